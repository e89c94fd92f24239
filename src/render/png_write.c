/* PNG frames for the protocols that carry PNG (iTerm2 always, kitty when a palette keeps the
 * frame small): 8-bit RGB, or an 8-bit palette fitted to the picture by the sixel quantizer,
 * whose flat colours (the overlay's) stay exact. Written with libpng into memory. */
#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"
#include "render/sixel_quant.h"

#include <png.h>
#include <stdlib.h>

/* Fast settings: the PNG crosses the link once and is decoded at once. One fixed filter skips
 * libpng's per-row search. Frame bytes for a photo-like 1000x750 picture, level 1: NONE 1048 KB,
 * SUB 818 KB, UP 830 KB, PAETH 904 KB; level 2 and SUB: 758 KB in about the same time. Palette
 * rows are indexes, which no filter predicts: they go unfiltered. */
#define PNG_LEVEL      2
#define PNG_RGB_FILTER PNG_FILTER_SUB
#define PNG_BAND       6 /* palette rows mapped at a time */

struct png_sink {
	struct buf *out;
	struct err *err;
};

static void sink_error(png_structp png, png_const_charp msg)
{
	struct png_sink *sink = png_get_error_ptr(png);

	err_set(sink->err, "png: %s", msg);
	png_longjmp(png, 1);
}

static void sink_warning(png_structp png, png_const_charp msg)
{
	/* libpng's warnings would go to stderr, under the curses screen */
	(void)png;
	(void)msg;
}

static void sink_write(png_structp png, png_bytep data, size_t n)
{
	struct png_sink *sink = png_get_error_ptr(png);

	if (buf_append(sink->out, data, n) < 0) {
		err_setk(sink->err, ERR_TOO_LARGE, "frame larger than %zu bytes", sink->out->max);
		png_longjmp(png, 1);
	}
}

static void sink_flush(png_structp png)
{
	(void)png;
}

static void write_rgb(png_structp png, png_infop info, const struct image *img)
{
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_RGB_FILTER);
	png_set_IHDR(png, info, (png_uint_32)img->w, (png_uint_32)img->h, 8, PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < img->h; y++)
		png_write_row(png, img->rgb + (size_t)y * img->w * 3);
}

/* Rows of palette indexes, mapped a band of rows at a time as the sixel encoder maps them. */
static void write_palette(png_structp png, png_infop info, const struct image *img, struct sixq *q,
                          unsigned char *idx, int band)
{
	const unsigned char *pal = sixq_palette(q);
	png_color entries[SIXQ_MAX_COLORS];
	int n = sixq_ncolors(q);

	for (int i = 0; i < n; i++)
		entries[i] = (png_color){pal[3 * i], pal[3 * i + 1], pal[3 * i + 2]};
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_IHDR(png, info, (png_uint_32)img->w, (png_uint_32)img->h, 8, PNG_COLOR_TYPE_PALETTE,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_PLTE(png, info, entries, n);
	png_write_info(png, info);
	for (int y = 0; y < img->h; y += band) {
		int rows = img->h - y < band ? img->h - y : band;

		sixq_map_rows(q, y, rows, idx);
		for (int r = 0; r < rows; r++)
			png_write_row(png, idx + (size_t)r * img->w);
	}
}

/* libpng's part, with its error jump; q is NULL for RGB. */
static int png_write_all(const struct image *img, struct sixq *q, unsigned char *idx,
                         struct png_sink *sink)
{
	png_structp png =
	    png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, sink_error, sink_warning);
	png_infop info = png != NULL ? png_create_info_struct(png) : NULL;

	if (info == NULL) {
		png_destroy_write_struct(&png, NULL);
		return err_set(sink->err, "png: out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1; /* the error callback has set the message */
	}
	png_set_write_fn(png, sink, sink_write, sink_flush);
	png_set_compression_level(png, PNG_LEVEL);
	if (q != NULL)
		write_palette(png, info, img, q, idx, PNG_BAND);
	else
		write_rgb(png, info, img);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int render_png_encode(const struct image *img, int colors, struct buf *out, struct err *err)
{
	struct png_sink sink = {out, err};
	struct sixq *q = NULL;
	unsigned char *idx = NULL;
	size_t start = out->len;
	int rc = -1;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "png: no image");
	if (colors > 0 && sixq_new(img, colors, &q, err) < 0)
		return -1;
	if (q != NULL && (idx = malloc((size_t)PNG_BAND * img->w)) == NULL)
		err_set(err, "png: out of memory");
	else
		rc = png_write_all(img, q, idx, &sink);
	if (rc < 0 && out->len > start) {
		out->len = start;
		out->data[start] = '\0';
	}
	sixq_free(&q);
	free(idx);
	return rc;
}
