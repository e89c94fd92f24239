/* One colour per label, the same in the list, the legend and the image. */
#ifndef ANNOTTY_CORE_PALETTE_H
#define ANNOTTY_CORE_PALETTE_H

#include <stdint.h>

#define PALETTE_SIZE 16

/* 0xRRGGBB of the colour for a label index (any integer; -1, "no label", is grey). */
uint32_t palette_rgb(int label_index);
/* The nearest xterm 256-colour index to an 0xRRGGBB colour (16..255, the stable part). */
int palette_xterm256(uint32_t rgb);

#endif
