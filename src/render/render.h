/* Image bytes plus shapes in, terminal bytes out. Pure functions over buffers: no curses, no
 * SQLite, no network. */
#ifndef ANNOTTY_RENDER_RENDER_H
#define ANNOTTY_RENDER_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

struct err;
struct buf;

/* Hard limits, checked before any large allocation. */
#define RENDER_MAX_SOURCE_PIXELS ((int64_t)200 * 1000 * 1000) /* 200 megapixels */
#define RENDER_MAX_SIDE          65500
#define RENDER_MAX_FILE_BYTES    ((size_t)256 << 20)
#define RENDER_MAX_FRAME_BYTES   ((size_t)1 << 20) /* tmux drops anything larger */

/* An 8-bit RGB image, rows packed (stride = 3 * w). */
struct image {
	int w;
	int h;
	unsigned char *rgb;
};

/* Allocates w x h black pixels (sizes capped as above); the caller frees with image_free. On
 * failure img is left empty (rgb NULL). */
int image_alloc(struct image *img, int w, int h, struct err *err);
/* Frees the pixels and leaves img empty; safe on an empty image. */
void image_free(struct image *img);

/* Decodes a JPEG or PNG so that the result fits inside max_w x max_h (keeping the aspect
 * ratio; never upscaled), using libjpeg-turbo's DCT scaling (1/1, 1/2, 1/4, 1/8) and then an
 * area-averaging downscale. EXIF orientation is applied. *src_w and *src_h receive the
 * source's size after orientation (the coordinate space of the shapes). A file that is not an
 * image, is truncated, or declares absurd dimensions is an error with a message. The caller
 * owns *out (image_free); on failure *out is empty. Thread-safe: no shared state. */
int render_decode_file(const char *path, int max_w, int max_h, struct image *out, int *src_w,
                       int *src_h, struct err *err);
int render_decode_mem(const unsigned char *data, size_t len, int max_w, int max_h,
                      struct image *out, int *src_w, int *src_h, struct err *err);

/* Area-averaging resize (any ratio; used for downscales): every output pixel is the average of
 * the source area it covers, edges weighted by coverage. The caller owns *out. */
int render_resize(const struct image *src, int w, int h, struct image *out, struct err *err);

/* Copies the w x h region at (x, y), which must lie inside src, into a new image. */
int render_crop(const struct image *src, int x, int y, int w, int h, struct image *out,
                struct err *err);

/* A frame that says why there is no picture (grey, with a crossed box and the reason word-wrapped
 * in a built-in ASCII font; other characters show as '?'). The caller owns *out. */
int render_placeholder(int w, int h, const char *reason, struct image *out, struct err *err);

/* ---- Overlays --------------------------------------------------------------------------- */

struct overlay_style {
	double scale_x; /* image pixels per source pixel */
	double scale_y;
	double offset_x; /* source pixel shown at image x = 0 (pan) */
	double offset_y;
	int line_width;   /* 0: chosen from the image size */
	int fill_alpha;   /* 0..255, polygon and mask fill; 0: none */
	int show_caption; /* label names drawn next to shapes */
};

struct overlay_item {
	const struct shape *shape;
	uint32_t rgb; /* 0xRRGGBB */
	int selected; /* drawn thicker, with handles */
	const char *caption;
};

/* Draws the shapes onto img in place: fills first, then outlines, selected shapes last (with a
 * dark halo and handles), then captions and classification badges. A source point (x, y) lands
 * on pixel ((x - offset_x) * scale_x, (y - offset_y) * scale_y); a box covers [x, x + w).
 * Everything is clipped to the image: any coordinates (huge, NaN, infinite) are safe, and a
 * shape with a NaN or infinite coordinate is skipped. Captions are drawn as ASCII. */
void render_overlay(struct image *img, const struct overlay_item *items, int n,
                    const struct overlay_style *style);

/* Editing aids drawn after render_overlay, with the same style (scale and offset): the
 * selected vertex of the shape being edited, its active box handle, a crosshair at the edit
 * cursor, and the vertices placed so far of a shape being created (joined by segments, and
 * closed back to the first when draft_closed). Clipped like render_overlay. */
struct overlay_marks {
	const struct shape *shape; /* the shape being edited, or NULL */
	int vertex;                /* its selected vertex, or -1 */
	int handle;                /* its active box handle (enum box_handle), or -1 */
	int crosshair;             /* draw a crosshair at cursor */
	struct point cursor;       /* source pixels */
	const struct point *draft; /* vertices of a shape being created, or NULL */
	int ndraft;
	int draft_closed;
	uint32_t rgb; /* colour of the draft and the crosshair */
};

void render_overlay_marks(struct image *img, const struct overlay_marks *m,
                          const struct overlay_style *style);

/* ---- Encoders for the terminal ---------------------------------------------------------- */

/* Appends a DCS sixel sequence (ESC P q "1;1;W;H ... ESC \) for the image, with at most `colors`
 * palette entries (clamped to 2..256). Fails with "frame larger than N bytes" when the result
 * would exceed out->max; on any failure out is left as it was. */
int render_encode_sixel(const struct image *img, int colors, struct buf *out, struct err *err);

/* Unicode upper half blocks (U+2580), two image rows per text row: the image is resampled to
 * cols x (2 * rows) and emitted row by row, each row starting with a cursor move to
 * (top + r, left) (1-based terminal coordinates, CSI H), colours as 24-bit SGR when truecolor
 * is set, else as xterm 256-colour indexes; SGR only where a colour changes. Ends with SGR 0.
 * top 0 means no cursor moves: the rows flow from the cursor, separated by newlines (for a
 * pipe); otherwise top and left are at least 1. cols and rows at most 1000. Fails like
 * render_encode_sixel when the result would exceed out->max, leaving out as it was. */
int render_encode_blocks(const struct image *img, int top, int left, int cols, int rows,
                         int truecolor, struct buf *out, struct err *err);

/* ---- Kitty and iTerm2 ------------------------------------------------------------------- */

/* Appends a kitty graphics frame that transmits and displays the image (a=T) as raw RGB
 * (f=24,s=W,v=H) deflated with zlib (o=z), base64 in chunks of at most 4096 characters (m=1
 * on all but the last; only the first carries the other keys), under image_id (i=, at least 1)
 * so that a new frame with the same id replaces the old one; q=2 (no replies), sized to
 * cols x rows cells (c=, r=, each 1..1000) with the cursor left where it was (C=1). Fails like
 * render_encode_sixel when the result would exceed out->max, leaving out as it was. */
int render_encode_kitty(const struct image *img, unsigned image_id, int cols, int rows,
                        struct buf *out, struct err *err);
/* Appends the command that deletes the image with that id and frees its data (a=d,d=I). */
int render_kitty_delete(unsigned image_id, struct buf *out);

/* Appends an iTerm2 inline image, OSC 1337 ; File=inline=1;size=N;width=cols;height=rows;
 * preserveAspectRatio=1 : <base64 of a PNG> BEL, N being the PNG's byte count; cols and rows
 * 1..1000. Fails like render_encode_sixel when the result would exceed out->max. */
int render_encode_iterm2(const struct image *img, int cols, int rows, struct buf *out,
                         struct err *err);

#endif
