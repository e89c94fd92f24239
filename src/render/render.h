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

/* What a decode found out besides the pixels. */
struct render_decoded {
	int src_w, src_h; /* the source's size in the frame its shapes are in */
	int orientation;  /* the file's EXIF orientation, 1..8 (1 when it has none) */
	int as_stored;    /* 1: the orientation was not applied (see render_decode_declared) */
};

/* render_decode_mem for an image whose shapes were drawn on a declared_w x declared_h picture
 * (0 x 0: not known). Most tools (and COCO datasets made with them) annotate the picture as
 * shown after its EXIF orientation, and so the orientation is applied; but when it swaps the
 * sides (5..8) of a picture that is not square and the declared size is the stored, unrotated
 * one, the annotator saw the pixels as stored: then they are shown as stored, so that the
 * shapes stay on what they outline, and info->as_stored says so. Same ownership as
 * render_decode_mem. */
int render_decode_declared(const unsigned char *data, size_t len, int max_w, int max_h,
                           int declared_w, int declared_h, struct image *out,
                           struct render_decoded *info, struct err *err);
/* The same, reading the file first. */
int render_decode_file_declared(const char *path, int max_w, int max_h, int declared_w,
                                int declared_h, struct image *out, struct render_decoded *info,
                                struct err *err);

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
	int compact;      /* a coarse picture (half-blocks): small handles, a thin selection */
};

/* A segmentation mask's pixels: a w x h bitmap read column by column as runs of unset and set
 * pixels in turn, starting with unset ones (COCO's RLE, decoded), laid over the source so that
 * mask pixel (x, y) covers source pixels [x * scale_x, (x + 1) * scale_x) across and alike down
 * (scale 1 when the mask has the image's size). */
struct render_mask {
	int64_t w, h;
	const int64_t *counts;
	size_t n;
	double scale_x, scale_y;
	struct rect box; /* its set pixels, in source pixels (the caption's anchor) */
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
 * shape with a NaN or infinite coordinate is skipped. Captions beyond ASCII are drawn in GNU
 * Unifont, read at run time, with the side panel's column widths (render_caption_font), in a
 * UTF-8 locale; elsewhere, and without the font, as '?'. */
void render_overlay(struct image *img, const struct overlay_item *items, int n,
                    const struct overlay_style *style);
/* render_overlay with the pixels of the masks: masks[i] (masks or an entry NULL: none) belongs
 * to items[i], a SHAPE_MASK. A mask with its pixels is drawn as its outline and a light fill of
 * them (not as its box, which may differ), its box only when selected (dashed, with the handles
 * that edit it), its caption at its pixels' box; without them, as its box, dashed. */
void render_overlay_masks(struct image *img, const struct overlay_item *items,
                          const struct render_mask *const *masks, int n,
                          const struct overlay_style *style);

/* Which font draws captions beyond ASCII: 1 when GNU Unifont was read from *path, 0 when it
 * could not be (path says where it was looked for: $ANNOTTY_UNIFONT, else the configured
 * path); the built-in ASCII font then draws '?' for the other characters. */
int render_caption_font(char *path, size_t n);

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
 * palette entries (clamped to 2..256; 16 for low-bandwidth frames) fitted to the image, no
 * dithering, and an opaque background (every pixel painted once). Flat colours repeated in the
 * image, such as the overlay's label colours, keep their exact value (within the format's
 * whole-percent steps) while the palette has room for them: a quarter of it, half of a palette
 * of 32 or fewer. Fails with ERR_TOO_LARGE ("frame larger than N bytes") when the result would
 * exceed out->max (early, band by band); on any failure out is left as it was. Thread-safe: no
 * shared state. A large frame on a machine with two cores or more is encoded in two halves at once
 * (the lower half on a thread of its own); the bytes are the same either way. */
int render_encode_sixel(const struct image *img, int colors, struct buf *out, struct err *err);
/* 1: sixel frames on one thread; 2: on two whenever the frame has enough rows; 0 (the
 * default): two for large frames when the machine has two cores. For tests and benchmarks. */
void render_sixel_threads(int n);

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
 * (f=24,s=W,v=H) deflated with zlib (o=z), or with colors > 0 as a palette PNG of that many
 * colours (f=100, render_png_encode: far fewer bytes for a photo), base64 in chunks of at most 4096
 * characters (m=1 on all but the last; only the first carries the other keys), under image_id (i=,
 * at least 1) so that a new frame with the same id replaces the old one; q=2 (no replies), sized to
 * cols x rows cells (c=, r=, each 1..1000) with the cursor left where it was (C=1). Fails like
 * render_encode_sixel when the result would exceed out->max, leaving out as it was. */
int render_encode_kitty(const struct image *img, unsigned image_id, int cols, int rows, int colors,
                        struct buf *out, struct err *err);
/* Appends the command that deletes the image with that id and frees its data (a=d,d=I). */
int render_kitty_delete(unsigned image_id, struct buf *out);

/* Appends an iTerm2 inline image, OSC 1337 ; File=inline=1;size=N;width=cols;height=rows;
 * preserveAspectRatio=1 : <base64 of a PNG> BEL, N being the PNG's byte count; cols and rows
 * 1..1000; the PNG as render_png_encode makes it with colors. Fails like render_encode_sixel
 * when the result would exceed out->max. */
int render_encode_iterm2(const struct image *img, int cols, int rows, int colors, struct buf *out,
                         struct err *err);

/* Appends the image as a PNG: 8-bit RGB when colors is 0, else with a palette of at most
 * colors entries (2..256) fitted like a sixel frame's, flat colours exact, no dithering (a
 * third to a half of the RGB PNG's bytes for a photo). Fails with ERR_TOO_LARGE ("frame larger than
 * N bytes") when out->max would be passed, leaving out as it was. */
int render_png_encode(const struct image *img, int colors, struct buf *out, struct err *err);

/* ---- Through tmux: DCS passthrough and kitty's Unicode placeholders --------------------- */

/* Appends seq wrapped for tmux passthrough: ESC P tmux ; <seq with every ESC doubled> ESC \.
 * tmux hands the inside to the terminal outside it, unseen (tmux 3.3 and later only with the
 * allow-passthrough option on). Fails when out->max would be exceeded, leaving out as it was. */
int render_tmux_wrap(const void *seq, size_t len, struct buf *out);
/* The wrapped length of seq, for sizing. */
size_t render_tmux_wrap_len(const void *seq, size_t len);

/* How many numbers the placeholder marks can say: rows and columns 0..296, and the image id's
 * top byte. */
#define RENDER_KITTY_DIACRITICS 297

/* The combining mark that means n (0..296) in placeholder cells, else 0. */
uint32_t render_kitty_diacritic(int n);

/* Kitty's Unicode-placeholder mode, which survives tmux because the picture's cells are text
 * tmux keeps and redraws. Appends the image sent like render_encode_kitty (colors alike) but with
 * U=1 instead of C=1 (a virtual placement of cols x rows cells that shows only where placeholder
 * cells name it), each chunk wrapped for tmux passthrough on its own when tmux_passthrough is set
 * (so none comes near tmux's input limit); then the cells: the foreground set to the id (38;5;ID
 * below 256, else 38;2;R;G;B of its low 24 bits), and for each row a cursor move to (top + r, left)
 * (1-based; top 0 and left 0: no moves, rows flow from the cursor separated by newlines)
 * followed by cols cells of U+10EEEE + the row's mark + the column's mark (+ a mark for the
 * id's top byte when it is not 0; past column 296 the row's mark alone, the terminal counting
 * on from the left); then SGR 0. cols 1..1000, rows 1..297, image_id at least 1. Fails like
 * render_encode_sixel when the result would exceed out->max, leaving out as it was. */
int render_encode_kitty_placeholder(const struct image *img, uint32_t image_id, int top, int left,
                                    int cols, int rows, int colors, int tmux_passthrough,
                                    struct buf *out, struct err *err);
/* render_kitty_delete wrapped for tmux passthrough. */
int render_kitty_delete_tmux(unsigned image_id, struct buf *out);

#endif
