/* iTerm2 inline images (OSC 1337 File=): the frame as an in-memory PNG, base64-encoded, sized
 * to the pane in cells. */
#include "core/buf.h"
#include "core/err.h"
#include "render/base64.h"
#include "render/render.h"

#include <png.h>

#define ITERM2_MAX_CELLS 1000 /* per side; far beyond any terminal */
/* Fast settings: the PNG crosses the link once and is decoded at once. One fixed filter skips
 * libpng's per-row search. Frame bytes for a photo-like 1000x750 picture, level 1: NONE 1048 KB,
 * SUB 818 KB, UP 830 KB, PAETH 904 KB; level 2 and SUB: 758 KB in about the same time. */
#define ITERM2_PNG_LEVEL  2
#define ITERM2_PNG_FILTER PNG_FILTER_SUB

struct iterm2_sink {
	struct buf *png;
	struct err *err;
};

static void iterm2_png_error(png_structp png, png_const_charp msg)
{
	struct iterm2_sink *sink = png_get_error_ptr(png);

	err_set(sink->err, "iterm2: png: %s", msg);
	png_longjmp(png, 1);
}

static void iterm2_png_warning(png_structp png, png_const_charp msg)
{
	/* libpng's warnings would go to stderr, under the curses screen */
	(void)png;
	(void)msg;
}

static void iterm2_png_write(png_structp png, png_bytep data, size_t n)
{
	struct iterm2_sink *sink = png_get_error_ptr(png);

	if (buf_append(sink->png, data, n) < 0) {
		/* the PNG alone is already over the frame's cap; its base64 would be larger */
		err_set(sink->err, "frame larger than %zu bytes", sink->png->max);
		png_longjmp(png, 1);
	}
}

static void iterm2_png_flush(png_structp png)
{
	(void)png;
}

/* The image as an 8-bit RGB PNG appended to sink->png. */
static int iterm2_png(const struct image *img, struct iterm2_sink *sink)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, sink, iterm2_png_error,
	                                          iterm2_png_warning);
	png_infop info = NULL;
	int rc = -1;

	if (png == NULL)
		return err_set(sink->err, "iterm2: out of memory");
	info = png_create_info_struct(png);
	if (info == NULL) {
		err_set(sink->err, "iterm2: out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(png)))
		goto out; /* the error callback has set the message */
	png_set_write_fn(png, sink, iterm2_png_write, iterm2_png_flush);
	png_set_compression_level(png, ITERM2_PNG_LEVEL);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, ITERM2_PNG_FILTER);
	png_set_IHDR(png, info, (png_uint_32)img->w, (png_uint_32)img->h, 8, PNG_COLOR_TYPE_RGB,
	             PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < img->h; y++)
		png_write_row(png, img->rgb + (size_t)y * img->w * 3);
	png_write_end(png, NULL);
	rc = 0;
out:
	png_destroy_write_struct(&png, &info);
	return rc;
}

int render_encode_iterm2(const struct image *img, int cols, int rows, struct buf *out,
                         struct err *err)
{
	struct buf png;
	struct iterm2_sink sink = {&png, err};
	size_t start = out->len;
	int rc = -1;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "iterm2: no image");
	if (cols < 1 || rows < 1 || cols > ITERM2_MAX_CELLS || rows > ITERM2_MAX_CELLS)
		return err_set(err, "iterm2: invalid area %dx%d", cols, rows);
	buf_init(&png, out->max);
	if (iterm2_png(img, &sink) < 0)
		goto out;
	/* size= is the decoded file's byte count, which iTerm2 uses for its progress and limits */
	if (buf_printf(out,
	               "\033]1337;File=inline=1;size=%zu;width=%d;height=%d;"
	               "preserveAspectRatio=1:",
	               png.len, cols, rows) < 0 ||
	    render_base64_append(out, png.data, png.len) < 0 || buf_putc(out, '\a') < 0) {
		err_set(err, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && out->len > start) {
		out->len = start; /* no half frame for the terminal */
		out->data[start] = '\0';
	}
	buf_free(&png);
	return rc;
}
