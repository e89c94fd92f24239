/* Palettes for sixel frames: the image's flat colours (the overlay's label colours) kept exact,
 * the rest chosen by a variance-minimising median cut over a subsample, and pixels mapped to
 * their nearest entry through a lookup table filled as colours turn up. Internal to render. */
#ifndef ANNOTTY_RENDER_SIXEL_QUANT_H
#define ANNOTTY_RENDER_SIXEL_QUANT_H

#include "render/render.h"

#define SIXQ_MAX_COLORS 256

struct sixq;

/* Builds a palette of at most `colors` entries (2..256) for img; the caller frees *q with
 * sixq_free. Fails only when memory is short. */
int sixq_new(const struct image *img, int colors, struct sixq **q, struct err *err);
void sixq_free(struct sixq **q);
/* A second mapper over the same palette, with a lookup table of its own (a copy of q's as it
 * is), for mapping other rows on another thread; it maps exactly as q does. Free it with
 * sixq_free; q must outlive it. */
int sixq_fork(const struct sixq *q, struct sixq **copy, struct err *err);

/* The palette: n entries of 3 bytes (R, G, B), valid until sixq_free. */
int sixq_ncolors(const struct sixq *q);
const unsigned char *sixq_palette(const struct sixq *q);

/* Writes the palette index of each pixel of rows y0 .. y0 + n - 1 into idx (n * w bytes, row
 * after row): a flat colour's own entry, else the nearest entry or, when nearly as near, the
 * entry of the pixel's left or upper neighbour in these rows (fewer colour changes, fewer
 * sixel bytes). The lookup table fills as it goes: one thread per q. */
void sixq_map_rows(struct sixq *q, int y0, int n, unsigned char *idx);

#endif
