/* Kitty graphics protocol frames: the raw RGB pixels deflated with zlib, or a palette PNG when
 * that is asked for (a photo in a third of the bytes), sent as base64 in chunks under one image
 * id so that each new frame replaces the previous one in place. */
#include "core/buf.h"
#include "core/err.h"
#include "render/base64.h"
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>

#include <zlib.h>

#define KITTY_MAX_CELLS 1000 /* per side; far beyond any terminal */

/* Deflates the pixels into a malloc'd block. Z_BEST_SPEED: over SSH the frame is sent once and
 * shown at cell resolution, so the encode time matters more than the last bytes. */
static int kitty_deflate(const struct image *img, unsigned char **z, size_t *zlen, struct err *err)
{
	uLong raw = (uLong)img->w * (uLong)img->h * 3;
	uLongf n = compressBound(raw);
	int zrc;

	*z = malloc(n);
	if (*z == NULL)
		return err_set(err, "kitty: out of memory");
	zrc = compress2(*z, &n, img->rgb, raw, Z_BEST_SPEED);
	if (zrc != Z_OK) {
		free(*z);
		*z = NULL;
		return err_set(err, "kitty: zlib error %d", zrc);
	}
	*zlen = n;
	return 0;
}

/* Where the chunks go: straight into out, or each one wrapped for tmux passthrough on its own,
 * so that no single passthrough sequence grows past tmux's input limit. */
struct kitty_sink {
	struct buf *out;
	int tmux;
	struct buf chunk; /* one chunk before it is wrapped */
};

/* The buffer the next chunk is written to (emptied first when it is the wrapping one). */
static struct buf *kitty_chunk_begin(struct kitty_sink *k)
{
	if (!k->tmux)
		return k->out;
	buf_reset(&k->chunk);
	return &k->chunk;
}

static int kitty_chunk_end(struct kitty_sink *k)
{
	return k->tmux ? render_tmux_wrap(k->chunk.data, k->chunk.len, k->out) : 0;
}

/* The chunks: ESC _ G <keys> ; <base64> ESC \, every chunk at most 4096 base64 characters;
 * the first carries all keys (format the payload's), the others only m (more follow: 1, last:
 * 0). */
static int kitty_emit(unsigned id, int cols, int rows, const char *keys, const char *format,
                      const unsigned char *z, size_t zlen, struct kitty_sink *k)
{
	for (size_t i = 0; i < zlen; i += RENDER_BASE64_PIECE_IN) {
		size_t n = zlen - i < RENDER_BASE64_PIECE_IN ? zlen - i : RENDER_BASE64_PIECE_IN;
		int more = i + n < zlen;
		struct buf *b = kitty_chunk_begin(k);
		int rc = i == 0 ? buf_printf(b, "\033_Ga=T,%s%s,i=%u,q=2,c=%d,r=%d,m=%d;", keys,
		                             format, id, cols, rows, more)
		                : buf_printf(b, "\033_Gm=%d;", more);
		if (rc < 0 || render_base64_append(b, z + i, n) < 0 ||
		    buf_append(b, "\033\\", 2) < 0 || kitty_chunk_end(k) < 0)
			return -1;
	}
	return 0;
}

static int kitty_check(const struct image *img, unsigned image_id, int cols, int rows, int max_rows,
                       struct err *err)
{
	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "kitty: no image");
	if (cols < 1 || rows < 1 || cols > KITTY_MAX_CELLS || rows > max_rows)
		return err_set(err, "kitty: invalid area %dx%d", cols, rows);
	if (image_id == 0) /* id 0 means "none" to kitty: the frame could not be replaced */
		return err_set(err, "kitty: image id 0");
	return 0;
}

/* Sends the image with keys added to the first chunk: deflated RGB, or a palette PNG. */
static int kitty_transmit(const struct image *img, unsigned id, int cols, int rows, int colors,
                          const char *keys, struct kitty_sink *k, struct err *err)
{
	unsigned char *z = NULL;
	size_t zlen = 0;
	struct buf png;
	char format[64];
	int rc = -1;

	buf_init(&png, k->out->max);
	if (colors > 0) {
		if (render_png_encode(img, colors, &png, err) < 0)
			goto out;
		snprintf(format, sizeof format, "f=100");
	} else {
		if (kitty_deflate(img, &z, &zlen, err) < 0)
			goto out;
		snprintf(format, sizeof format, "f=24,s=%d,v=%d,o=z", img->w, img->h);
	}
	if (kitty_emit(id, cols, rows, keys, format, colors > 0 ? png.data : z,
	               colors > 0 ? png.len : zlen, k) < 0)
		err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", k->out->max);
	else
		rc = 0;
out:
	free(z);
	buf_free(&png);
	return rc;
}

/* No half frame for the terminal. */
static void kitty_rollback(struct buf *out, size_t start)
{
	if (out->len > start) {
		out->len = start;
		out->data[start] = '\0';
	}
}

int render_encode_kitty(const struct image *img, unsigned image_id, int cols, int rows, int colors,
                        struct buf *out, struct err *err)
{
	struct kitty_sink k = {.out = out};
	size_t start = out->len;

	if (kitty_check(img, image_id, cols, rows, KITTY_MAX_CELLS, err) < 0)
		return -1;
	if (kitty_transmit(img, image_id, cols, rows, colors, "C=1,", &k, err) < 0) {
		kitty_rollback(out, start);
		return -1;
	}
	return 0;
}

int render_kitty_delete(unsigned image_id, struct buf *out)
{
	/* d=I: the image and its data go, not only the placement, so nothing lingers in the
	 * terminal's memory */
	return buf_printf(out, "\033_Ga=d,d=I,i=%u,q=2\033\\", image_id);
}

int render_kitty_delete_tmux(unsigned image_id, struct buf *out)
{
	char cmd[64];
	int n = snprintf(cmd, sizeof cmd, "\033_Ga=d,d=I,i=%u,q=2\033\\", image_id);

	return render_tmux_wrap(cmd, (size_t)n, out);
}

/* ---- Unicode placeholders ----------------------------------------------------------------- */

#define KITTY_PLACEHOLDER "\xf4\x8e\xbb\xae" /* U+10EEEE, UTF-8 */

/* The combining marks that number rows, columns and the id's top byte, in the protocol's order
 * (its rowcolumn-diacritics.txt: the marks of combining class 230 in Unicode 6.0.0 without a
 * decomposition, less a few that normalisation could fuse with the base). Mark n means n. */
static const uint32_t kitty_diacritics[RENDER_KITTY_DIACRITICS] = {
    0x0305,  0x030D,  0x030E,  0x0310,  0x0312,  0x033D,  0x033E,  0x033F,  0x0346,  0x034A,
    0x034B,  0x034C,  0x0350,  0x0351,  0x0352,  0x0357,  0x035B,  0x0363,  0x0364,  0x0365,
    0x0366,  0x0367,  0x0368,  0x0369,  0x036A,  0x036B,  0x036C,  0x036D,  0x036E,  0x036F,
    0x0483,  0x0484,  0x0485,  0x0486,  0x0487,  0x0592,  0x0593,  0x0594,  0x0595,  0x0597,
    0x0598,  0x0599,  0x059C,  0x059D,  0x059E,  0x059F,  0x05A0,  0x05A1,  0x05A8,  0x05A9,
    0x05AB,  0x05AC,  0x05AF,  0x05C4,  0x0610,  0x0611,  0x0612,  0x0613,  0x0614,  0x0615,
    0x0616,  0x0617,  0x0657,  0x0658,  0x0659,  0x065A,  0x065B,  0x065D,  0x065E,  0x06D6,
    0x06D7,  0x06D8,  0x06D9,  0x06DA,  0x06DB,  0x06DC,  0x06DF,  0x06E0,  0x06E1,  0x06E2,
    0x06E4,  0x06E7,  0x06E8,  0x06EB,  0x06EC,  0x0730,  0x0732,  0x0733,  0x0735,  0x0736,
    0x073A,  0x073D,  0x073F,  0x0740,  0x0741,  0x0743,  0x0745,  0x0747,  0x0749,  0x074A,
    0x07EB,  0x07EC,  0x07ED,  0x07EE,  0x07EF,  0x07F0,  0x07F1,  0x07F3,  0x0816,  0x0817,
    0x0818,  0x0819,  0x081B,  0x081C,  0x081D,  0x081E,  0x081F,  0x0820,  0x0821,  0x0822,
    0x0823,  0x0825,  0x0826,  0x0827,  0x0829,  0x082A,  0x082B,  0x082C,  0x082D,  0x0951,
    0x0953,  0x0954,  0x0F82,  0x0F83,  0x0F86,  0x0F87,  0x135D,  0x135E,  0x135F,  0x17DD,
    0x193A,  0x1A17,  0x1A75,  0x1A76,  0x1A77,  0x1A78,  0x1A79,  0x1A7A,  0x1A7B,  0x1A7C,
    0x1B6B,  0x1B6D,  0x1B6E,  0x1B6F,  0x1B70,  0x1B71,  0x1B72,  0x1B73,  0x1CD0,  0x1CD1,
    0x1CD2,  0x1CDA,  0x1CDB,  0x1CE0,  0x1DC0,  0x1DC1,  0x1DC3,  0x1DC4,  0x1DC5,  0x1DC6,
    0x1DC7,  0x1DC8,  0x1DC9,  0x1DCB,  0x1DCC,  0x1DD1,  0x1DD2,  0x1DD3,  0x1DD4,  0x1DD5,
    0x1DD6,  0x1DD7,  0x1DD8,  0x1DD9,  0x1DDA,  0x1DDB,  0x1DDC,  0x1DDD,  0x1DDE,  0x1DDF,
    0x1DE0,  0x1DE1,  0x1DE2,  0x1DE3,  0x1DE4,  0x1DE5,  0x1DE6,  0x1DFE,  0x20D0,  0x20D1,
    0x20D4,  0x20D5,  0x20D6,  0x20D7,  0x20DB,  0x20DC,  0x20E1,  0x20E7,  0x20E9,  0x20F0,
    0x2CEF,  0x2CF0,  0x2CF1,  0x2DE0,  0x2DE1,  0x2DE2,  0x2DE3,  0x2DE4,  0x2DE5,  0x2DE6,
    0x2DE7,  0x2DE8,  0x2DE9,  0x2DEA,  0x2DEB,  0x2DEC,  0x2DED,  0x2DEE,  0x2DEF,  0x2DF0,
    0x2DF1,  0x2DF2,  0x2DF3,  0x2DF4,  0x2DF5,  0x2DF6,  0x2DF7,  0x2DF8,  0x2DF9,  0x2DFA,
    0x2DFB,  0x2DFC,  0x2DFD,  0x2DFE,  0x2DFF,  0xA66F,  0xA67C,  0xA67D,  0xA6F0,  0xA6F1,
    0xA8E0,  0xA8E1,  0xA8E2,  0xA8E3,  0xA8E4,  0xA8E5,  0xA8E6,  0xA8E7,  0xA8E8,  0xA8E9,
    0xA8EA,  0xA8EB,  0xA8EC,  0xA8ED,  0xA8EE,  0xA8EF,  0xA8F0,  0xA8F1,  0xAAB0,  0xAAB2,
    0xAAB3,  0xAAB7,  0xAAB8,  0xAABE,  0xAABF,  0xAAC1,  0xFE20,  0xFE21,  0xFE22,  0xFE23,
    0xFE24,  0xFE25,  0xFE26,  0x10A0F, 0x10A38, 0x1D185, 0x1D186, 0x1D187, 0x1D188, 0x1D189,
    0x1D1AA, 0x1D1AB, 0x1D1AC, 0x1D1AD, 0x1D242, 0x1D243, 0x1D244};

uint32_t render_kitty_diacritic(int n)
{
	return n >= 0 && n < RENDER_KITTY_DIACRITICS ? kitty_diacritics[n] : 0;
}

/* Appends the UTF-8 form of a code point (all the marks are above U+007F). */
static int kitty_put_utf8(struct buf *out, uint32_t cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return buf_append(out, u, n);
}

/* The foreground colour names the image: an id below 256 as a 256-colour index, which tmux
 * passes on unchanged to any 256-colour terminal, a larger one as 24-bit colour (the outer
 * terminal must then have RGB in tmux's eyes). Bits above 24 travel in a third mark. */
static int kitty_id_colour(uint32_t id, struct buf *out)
{
	uint32_t low = id & 0xffffff;

	if (low < 256)
		return buf_printf(out, "\033[38;5;%um", (unsigned)low);
	return buf_printf(out, "\033[38;2;%u;%u;%um", (unsigned)(low >> 16),
	                  (unsigned)(low >> 8 & 0xff), (unsigned)(low & 0xff));
}

/* One cell: the placeholder, its row mark, its column mark, and the id's top byte when set.
 * Columns past the last mark carry the row alone: the terminal then takes the column of the
 * cell to the left plus one, and its top byte. */
static int kitty_cell(int row, int col, uint32_t id, struct buf *out)
{
	if (buf_puts(out, KITTY_PLACEHOLDER) < 0 || kitty_put_utf8(out, kitty_diacritics[row]) < 0)
		return -1;
	if (col >= RENDER_KITTY_DIACRITICS)
		return 0;
	if (kitty_put_utf8(out, kitty_diacritics[col]) < 0)
		return -1;
	return id >> 24 == 0 ? 0 : kitty_put_utf8(out, kitty_diacritics[id >> 24]);
}

static int kitty_cells(uint32_t id, int top, int left, int cols, int rows, struct buf *out)
{
	if (kitty_id_colour(id, out) < 0)
		return -1;
	for (int r = 0; r < rows; r++) {
		if (top > 0 ? buf_printf(out, "\033[%d;%dH", top + r, left) < 0
		            : r > 0 && buf_putc(out, '\n') < 0)
			return -1;
		for (int c = 0; c < cols; c++)
			if (kitty_cell(r, c, id, out) < 0)
				return -1;
	}
	return buf_puts(out, "\033[0m");
}

int render_encode_kitty_placeholder(const struct image *img, uint32_t image_id, int top, int left,
                                    int cols, int rows, int colors, int tmux_passthrough,
                                    struct buf *out, struct err *err)
{
	struct kitty_sink k = {.out = out, .tmux = tmux_passthrough};
	size_t start = out->len;
	int rc = -1;

	if (kitty_check(img, image_id, cols, rows, RENDER_KITTY_DIACRITICS, err) < 0)
		return -1;
	if (top < 0 || left < 0 || (top > 0) != (left > 0))
		return err_set(err, "kitty: invalid position %d,%d", top, left);
	buf_init(&k.chunk, 2 * RENDER_BASE64_PIECE_IN);
	/* U=1: a virtual placement, shown only where placeholder cells name the image */
	if (kitty_transmit(img, image_id, cols, rows, colors, "U=1,", &k, err) < 0)
		goto out;
	if (kitty_cells(image_id, top, left, cols, rows, out) < 0) {
		err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		kitty_rollback(out, start);
	buf_free(&k.chunk);
	return rc;
}
