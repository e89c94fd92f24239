/* Inside src/render: GNU Unifont glyphs, read at run time from its .hex file (Debian's unifont
 * package), for text beyond ASCII drawn on the pictures. */
#ifndef ANNOTTY_RENDER_UNIFONT_H
#define ANNOTTY_RENDER_UNIFONT_H

#include <stddef.h>
#include <stdint.h>

#define UNIFONT_H 16

struct unifont_glyph {
	int w;                    /* 8 or 16 pixels */
	uint16_t rows[UNIFONT_H]; /* the leftmost pixel in the top bit of the glyph's width */
};

/* The glyph of a code point; -1 when the font is absent or has none. Thread-safe. */
int unifont_glyph(uint32_t cp, struct unifont_glyph *g);
/* Whether the font could be read; *path receives the file tried (ANNOTTY_UNIFONT when set,
 * else the path configure was given). */
int unifont_available(char *path, size_t n);

#endif
