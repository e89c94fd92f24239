/* Building the terminal bytes of an asset's image with its shapes: the one path the asset
 * screen, the frame tests and `annotty show` share. No curses here. */
#ifndef ANNOTTY_UI_FRAME_H
#define ANNOTTY_UI_FRAME_H

#include "cache/cache.h"
#include "render/render.h"
#include "ui/term.h"

struct buf;
struct err;

/* The kitty image id the asset screen reuses, so that each frame replaces the last. */
#define FRAME_KITTY_IMAGE_ID 7

struct frame_spec {
	enum graphics_mode mode; /* GRAPHICS_SIXEL or GRAPHICS_BLOCKS */
	int top, left;           /* the pane, in 1-based terminal cells */
	int cols, rows;
	int cell_w, cell_h; /* pixels per cell (sixel sizing) */
	int truecolor;      /* blocks: 24-bit colour, else 256 colours */
	int overlays;       /* draw the shapes */
	int selected;       /* index of the selected shape, or -1 */
	int sync_output;    /* wrap in mode 2026 */
	double zoom;        /* 1 (or 0): the whole image fits the pane; 2: twice as large */
	double center_x;    /* source pixel at the centre of a zoomed view (0: the middle) */
	double center_y;
	int inline_output; /* at the cursor, flowing down (no cursor save or positioning) */
	const struct overlay_marks *marks; /* editing aids drawn over the shapes, or NULL */
	int low_bandwidth;                 /* fewer bytes per frame: see frame_build */
};

struct frame_result {
	int img_w, img_h;  /* the frame's size in image pixels */
	char problem[256]; /* why the image could not be shown ("" when it was) */
};

/* Appends to out the positioned bytes that draw the asset's image centred in the pane, or a
 * placeholder frame when the image cannot be read (res->problem says why). Fails only when no
 * frame at all can be made. With inline_output, top and left are ignored: the image starts at
 * the cursor and each half-block row ends with a newline. */
int frame_build(const struct asset_detail *asset, const struct frame_spec *spec, struct buf *out,
                struct frame_result *res, struct err *err);

#endif
