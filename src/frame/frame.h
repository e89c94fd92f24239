/* Building the terminal bytes of an asset's image with its shapes: the one path the asset
 * screen, the frame tests and `annotty show` share. Pure: no curses, no SQLite, no network; of
 * the cache only its plain types (struct asset_detail). */
#ifndef ANNOTTY_FRAME_FRAME_H
#define ANNOTTY_FRAME_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "cache/cache.h"
#include "frame/graphics.h"
#include "render/render.h"

struct buf;
struct err;

/* The kitty image id the asset screen reuses, so that each frame replaces the last. */
#define FRAME_KITTY_IMAGE_ID 7

struct frame_spec {
	enum graphics_mode mode; /* any but GRAPHICS_AUTO and GRAPHICS_NONE */
	int top, left;           /* the pane, in 1-based terminal cells */
	int cols, rows;
	int cell_w, cell_h; /* pixels per cell in the pixel modes (0: the defaults below) */
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
	int sixel_colors;                  /* the terminal's colour registers; 0: 256 */
	int png_colors; /* kitty, iTerm2: a palette PNG of this many colours; 0: full colour */
};

/* Pixels per cell when the terminal does not say (a common font size); the one pair of
 * defaults the frames, their placement and `annotty show` use. */
#define FRAME_CELL_W_DEFAULT 10
#define FRAME_CELL_H_DEFAULT 20

/* Frame pixels per cell: in the pixel modes the terminal's cell (cell_w x cell_h, each the
 * default when 0 or less), for half-blocks one pixel per column and two per row. */
void frame_cell_size(enum graphics_mode mode, int cell_w, int cell_h, int *px_w, int *px_h);

/* Where a zoomed view looks, in source pixels: a region of rw x rh at (x0, y0), shown at z
 * pane pixels per source pixel as a picture of out_w x out_h. The centre (0: the middle) is
 * moved so that the region stays on the image. */
struct frame_zoom_plan {
	double z, rw, rh, x0, y0;
	int out_w, out_h;
};

void frame_zoom_plan_make(int img_w, int img_h, double zoom, double center_x, double center_y,
                          int pw, int ph, struct frame_zoom_plan *p);

/* Where the picture goes in the pane and how the source lands on it: frame pixel (x, y) shows
 * source pixel (offset + x / scale); the picture's top-left is at cell (top, left), in the
 * spec's 1-based coordinates, and one cell covers px_w x px_h frame pixels. The frames are
 * encoded and the mouse is hit-tested with the same numbers. */
struct frame_placement {
	int px_w, px_h;          /* frame pixels per cell (frame_cell_size) */
	int pane_w, pane_h;      /* the pane in frame pixels: the largest picture */
	int w, h;                /* the picture in frame pixels */
	double scale_x, scale_y; /* frame pixels per source pixel */
	double offset_x, offset_y;
	int top, left;  /* the picture's first cell; pixel pictures start at the pane's top row,
	                 * half-blocks are centred both ways */
	int cols, rows; /* the cells it covers */
	int zoomed;     /* plan holds the zoomed view */
	struct frame_zoom_plan plan;
};

/* The placement of an image of src_w x src_h source pixels drawn as spec says (its mode, pane,
 * cell size, zoom and centre). -1 when the size is unknown or the pane has no pixel. */
int frame_place(const struct frame_spec *spec, int src_w, int src_h, struct frame_placement *pl);
/* Only the pane and the cells, for a picture of w x h frame pixels as it came out (a
 * placeholder, or one made smaller to fit): fills px_w, px_h, pane_w, pane_h, w, h, top, left,
 * cols and rows of pl and leaves the rest. */
void frame_place_picture(const struct frame_spec *spec, int w, int h, struct frame_placement *pl);

struct frame_result {
	int img_w, img_h;  /* the frame's size in image pixels */
	char problem[256]; /* why the image could not be shown ("" when it was) */
	int reduced; /* to fit out->max: 0 as asked, 1 fewer colours (a palette PNG for kitty and
	              * iTerm2, low bandwidth for sixel), 2+ also smaller */
};

/* Appends to out the positioned bytes that draw the asset's image centred in the pane, or a
 * placeholder frame when the image cannot be read (res->problem says why). Fails only when no
 * frame at all can be made. With inline_output, top and left are ignored: the image starts at
 * the cursor and each half-block row ends with a newline. low_bandwidth encodes sixel, kitty
 * and iTerm2 with 16 colours and half-blocks with 256. A frame that would not fit in out->max
 * is encoded again: kitty and iTerm2 first as a 256-colour palette PNG, then with
 * low_bandwidth, then smaller (res->reduced says so); when nothing fits the error is
 * ERR_TOO_LARGE, "frame larger than N bytes". */
int frame_build(const struct asset_detail *asset, const struct frame_spec *spec, struct buf *out,
                struct frame_result *res, struct err *err);

/* ---- Reusing the decoded picture ---------------------------------------------------------- */

/* The last decoded and scaled pictures, before overlays, keyed by (path, target size, zoomed
 * view), so that a frame that differs only in what is drawn over the picture (a selection, a
 * nudge of an edit) costs an overlay and an encode, never a decode. */
#define FRAME_BASES 3
/* A picture larger than this is not kept (a pane of more than about 2900 x 2900 pixels), so
 * that the kept ones take at most FRAME_BASES times as much. */
#define FRAME_BASE_MAX_BYTES ((size_t)24 << 20)

struct frame_base {
	int used;
	unsigned long tick; /* last use, for LRU */
	char path[4096];
	int w, h;         /* the target size asked for */
	int src_w, src_h; /* the asset's size (the zoom plan depends on it) */
	double zoom, center_x, center_y;
	struct image img;          /* decoded and scaled, without overlays */
	struct overlay_style view; /* how source coordinates land on img */
};

struct frame_bases {
	struct frame_base slot[FRAME_BASES];
	unsigned long tick;
};

/* frame_build, keeping successfully decoded pictures in bases (which may be NULL: decode every
 * time). Only one thread may use a given bases at a time; release it with frame_bases_free. */
int frame_build_reusing(const struct asset_detail *asset, const struct frame_spec *spec,
                        struct frame_bases *bases, struct buf *out, struct frame_result *res,
                        struct err *err);
void frame_bases_free(struct frame_bases *bases);

/* Image decodes done by frame_build since the program started (all threads): for tests. */
unsigned long frame_decode_count(void);

/* A 64-bit hash of everything drawn in a frame besides the asset id, the pane, the mode, the
 * zoom and the centre: the image's path and size, the shapes with their labels and text, the
 * selection, overlays on or off, the editing marks, low_bandwidth and the encoding options. */
uint64_t frame_hash(const struct asset_detail *asset, const struct frame_spec *spec);
/* The same 64-bit hash (FNV-1a) over n more bytes, starting from h (FRAME_HASH_SEED for a new
 * one): for callers that key something of their own on a frame's inputs. */
#define FRAME_HASH_SEED 0xcbf29ce484222325ULL
uint64_t frame_hash_mix(uint64_t h, const void *data, size_t n);

#endif
