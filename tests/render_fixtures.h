/* Test fixtures for the render tests: images made in memory (JPEG and PNG encoders, patterns),
 * pixel checks and a clock. Nothing binary is kept in the repository. */
#ifndef ANNOTTY_TESTS_RENDER_FIXTURES_H
#define ANNOTTY_TESTS_RENDER_FIXTURES_H

#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>
#include <png.h>

static __attribute__((unused)) double fx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static __attribute__((unused)) unsigned char *fx_px(const struct image *img, int x, int y)
{
	return img->rgb + ((size_t)y * img->w + x) * 3;
}

static __attribute__((unused)) uint32_t fx_rgb_at(const struct image *img, int x, int y)
{
	const unsigned char *p = fx_px(img, x, y);

	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Every channel of the pixel within tol of rgb. */
static __attribute__((unused)) int fx_near(const unsigned char *p, uint32_t rgb, int tol)
{
	int want[3] = {(int)(rgb >> 16 & 0xff), (int)(rgb >> 8 & 0xff), (int)(rgb & 0xff)};

	for (int c = 0; c < 3; c++)
		if (abs(p[c] - want[c]) > tol)
			return 0;
	return 1;
}

static __attribute__((unused)) void fx_fill(struct image *img, int x0, int y0, int x1, int y1,
                                            uint32_t rgb)
{
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			unsigned char *p = fx_px(img, x, y);
			p[0] = rgb >> 16 & 0xff;
			p[1] = rgb >> 8 & 0xff;
			p[2] = rgb & 0xff;
		}
}

/* Four quadrants: red top-left, green top-right, blue bottom-left, white bottom-right. */
static __attribute__((unused)) void fx_quadrants(struct image *img)
{
	fx_fill(img, 0, 0, img->w / 2, img->h / 2, 0xff0000);
	fx_fill(img, img->w / 2, 0, img->w, img->h / 2, 0x00ff00);
	fx_fill(img, 0, img->h / 2, img->w / 2, img->h, 0x0000ff);
	fx_fill(img, img->w / 2, img->h / 2, img->w, img->h, 0xffffff);
}

struct fx_jpeg_opts {
	J_COLOR_SPACE in_space; /* JCS_RGB (default when 0), JCS_GRAYSCALE, JCS_CMYK */
	int quality;            /* default 90 */
	int progressive;
	const unsigned char *app1; /* an APP1 body to write (EXIF), or NULL */
	size_t app1_len;
};

/* Encodes raw samples (3, 1 or 4 per pixel as in_space says) into a malloc'd JPEG. */
static __attribute__((unused)) unsigned char *fx_jpeg_encode(const unsigned char *samples, int w,
                                                             int h, const struct fx_jpeg_opts *o,
                                                             size_t *len)
{
	struct jpeg_compress_struct ci;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long mem_len = 0;
	J_COLOR_SPACE space = o != NULL && o->in_space != 0 ? o->in_space : JCS_RGB;
	int comps = space == JCS_GRAYSCALE ? 1 : space == JCS_CMYK ? 4 : 3;

	ci.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&ci);
	jpeg_mem_dest(&ci, &mem, &mem_len);
	ci.image_width = (JDIMENSION)w;
	ci.image_height = (JDIMENSION)h;
	ci.input_components = comps;
	ci.in_color_space = space;
	jpeg_set_defaults(&ci);
	jpeg_set_quality(&ci, o != NULL && o->quality > 0 ? o->quality : 90, TRUE);
	if (o != NULL && o->progressive)
		jpeg_simple_progression(&ci);
	jpeg_start_compress(&ci, TRUE);
	if (o != NULL && o->app1 != NULL)
		jpeg_write_marker(&ci, JPEG_APP0 + 1, o->app1, (unsigned)o->app1_len);
	while (ci.next_scanline < ci.image_height) {
		JSAMPROW row = (JSAMPROW)(samples + (size_t)ci.next_scanline * w * comps);
		jpeg_write_scanlines(&ci, &row, 1);
	}
	jpeg_finish_compress(&ci);
	jpeg_destroy_compress(&ci);
	*len = mem_len;
	return mem;
}

static __attribute__((unused)) unsigned char *fx_jpeg_of(const struct image *img, size_t *len)
{
	return fx_jpeg_encode(img->rgb, img->w, img->h, NULL, len);
}

static __attribute__((unused)) void fx_png_write(png_structp png, png_bytep data, size_t n)
{
	if (buf_append(png_get_io_ptr(png), data, n) < 0)
		png_error(png, "fixture too large");
}

static __attribute__((unused)) void fx_png_flush(png_structp png)
{
	(void)png;
}

struct fx_png_opts {
	int color_type; /* PNG_COLOR_TYPE_... */
	int bit_depth;
	int interlace;
	const png_color *palette; /* for PNG_COLOR_TYPE_PALETTE */
	int npalette;
	const png_byte *trns; /* palette alpha, or NULL */
	int ntrns;
};

/* Encodes rows of samples laid out as the colour type and depth say (16-bit big-endian). */
static __attribute__((unused)) int fx_png_encode(const unsigned char *samples, int w, int h,
                                                 const struct fx_png_opts *o, struct buf *out)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	size_t rowbytes;

	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, out, fx_png_write, fx_png_flush);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, o->bit_depth, o->color_type,
	             o->interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (o->palette != NULL)
		png_set_PLTE(png, info, o->palette, o->npalette);
	if (o->trns != NULL)
		png_set_tRNS(png, info, o->trns, o->ntrns, NULL);
	png_write_info(png, info);
	rowbytes = png_get_rowbytes(png, info);
	{
		int passes = png_set_interlace_handling(png);
		for (int p = 0; p < passes; p++)
			for (int y = 0; y < h; y++)
				png_write_row(png, samples + rowbytes * (size_t)y);
	}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

/* Writes bytes to a file under dir; returns the path in a static buffer. */
static __attribute__((unused)) const char *fx_write_file(const char *dir, const char *name,
                                                         const void *data, size_t len)
{
	static char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL)
		return NULL;
	if (len > 0)
		fwrite(data, 1, len, f);
	fclose(f);
	return path;
}

#endif
