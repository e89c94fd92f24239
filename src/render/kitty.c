/* Kitty graphics protocol frames: the raw RGB pixels deflated with zlib, sent as base64 in
 * chunks under one image id so that each new frame replaces the previous one in place. */
#include "core/buf.h"
#include "core/err.h"
#include "render/base64.h"
#include "render/render.h"

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

/* The chunks: ESC _ G <keys> ; <base64> ESC \, every chunk at most 4096 base64 characters;
 * the first carries all keys, the others only m (more follow: 1, last: 0). */
static int kitty_emit(const struct image *img, unsigned id, int cols, int rows,
                      const unsigned char *z, size_t zlen, struct buf *out)
{
	for (size_t i = 0; i < zlen; i += RENDER_BASE64_PIECE_IN) {
		size_t k = zlen - i < RENDER_BASE64_PIECE_IN ? zlen - i : RENDER_BASE64_PIECE_IN;
		int more = i + k < zlen;
		int rc = i == 0 ? buf_printf(out,
		                             "\033_Ga=T,f=24,s=%d,v=%d,o=z,i=%u,q=2,c=%d,r=%d,C=1,"
		                             "m=%d;",
		                             img->w, img->h, id, cols, rows, more)
		                : buf_printf(out, "\033_Gm=%d;", more);
		if (rc < 0 || render_base64_append(out, z + i, k) < 0 ||
		    buf_append(out, "\033\\", 2) < 0)
			return -1;
	}
	return 0;
}

int render_encode_kitty(const struct image *img, unsigned image_id, int cols, int rows,
                        struct buf *out, struct err *err)
{
	unsigned char *z = NULL;
	size_t zlen = 0, start = out->len;
	int rc = -1;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "kitty: no image");
	if (cols < 1 || rows < 1 || cols > KITTY_MAX_CELLS || rows > KITTY_MAX_CELLS)
		return err_set(err, "kitty: invalid area %dx%d", cols, rows);
	if (image_id == 0) /* id 0 means "none" to kitty: the frame could not be replaced */
		return err_set(err, "kitty: image id 0");
	if (kitty_deflate(img, &z, &zlen, err) < 0)
		goto out;
	if (kitty_emit(img, image_id, cols, rows, z, zlen, out) < 0) {
		err_set(err, "frame larger than %zu bytes", out->max);
		goto out;
	}
	rc = 0;
out:
	if (rc < 0 && out->len > start) {
		out->len = start; /* no half frame for the terminal */
		out->data[start] = '\0';
	}
	free(z);
	return rc;
}

int render_kitty_delete(unsigned image_id, struct buf *out)
{
	/* d=I: the image and its data go, not only the placement, so nothing lingers in the
	 * terminal's memory */
	return buf_printf(out, "\033_Ga=d,d=I,i=%u,q=2\033\\", image_id);
}
