/* Decoding entry points: reading the file within its cap, dispatch by magic bytes, and the
 * steps every format shares (fitting, downscaling, orientation). */
#include "render/decode.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"

#include <math.h>
#include <string.h>

int render_size_check(long long w, long long h, struct err *err)
{
	if (w <= 0 || h <= 0)
		return err_set(err, "image declares an empty size %lldx%lld", w, h);
	if (w > RENDER_MAX_SIDE || h > RENDER_MAX_SIDE || w * h > RENDER_MAX_SOURCE_PIXELS)
		return err_set(err, "image too large: %lldx%lld", w, h);
	return 0;
}

void render_fit(int sw, int sh, int max_w, int max_h, int *w, int *h)
{
	if (sw <= max_w && sh <= max_h) {
		*w = sw;
		*h = sh;
	} else if ((double)sw * max_h >= (double)sh * max_w) {
		*w = max_w; /* width is the limiting side */
		*h = (int)lround((double)sh * max_w / sw);
	} else {
		*h = max_h;
		*w = (int)lround((double)sw * max_h / sh);
	}
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

int render_shrink(struct image *img, int w, int h, struct err *err)
{
	struct image small;

	if (img->w == w && img->h == h)
		return 0;
	if (render_resize(img, w, h, &small, err) < 0)
		return -1;
	image_free(img);
	*img = small;
	return 0;
}

/* How each EXIF orientation maps a shown pixel back to the stored one: swap the axes first
 * (transpose), then mirror x and/or y. */
static const struct {
	unsigned char transpose, flip_x, flip_y;
} orient_table[9] = {
    [2] = {0, 1, 0}, [3] = {0, 1, 1}, [4] = {0, 0, 1}, [5] = {1, 0, 0},
    [6] = {1, 0, 1}, [7] = {1, 1, 1}, [8] = {1, 1, 0},
};

int render_orient(struct image *img, int orientation, struct err *err)
{
	struct image out;
	int t, fx, fy;
	ptrdiff_t step;

	if (orientation < 2 || orientation > 8)
		return 0;
	t = orient_table[orientation].transpose;
	fx = orient_table[orientation].flip_x;
	fy = orient_table[orientation].flip_y;
	if (image_alloc(&out, t ? img->h : img->w, t ? img->w : img->h, err) < 0)
		return -1;
	/* along a shown row the stored position moves by one pixel, or one row when transposed */
	step = t ? (fy ? -3 * (ptrdiff_t)img->w : 3 * (ptrdiff_t)img->w) : (fx ? -3 : 3);
	for (int dy = 0; dy < out.h; dy++) {
		int sx = t ? dy : 0, sy = t ? 0 : dy;
		const unsigned char *s;
		unsigned char *d = out.rgb + (size_t)dy * out.w * 3;
		if (fx)
			sx = (t ? img->w - 1 - dy : img->w - 1);
		if (fy)
			sy = (t ? img->h - 1 : img->h - 1 - dy);
		s = img->rgb + ((size_t)sy * img->w + sx) * 3;
		for (int dx = 0; dx < out.w; dx++, d += 3, s += step)
			memcpy(d, s, 3);
	}
	image_free(img);
	*img = out;
	return 0;
}

int render_orientation_for(int orientation, int w, int h, int declared_w, int declared_h)
{
	if (orientation < 5 || orientation > 8 || w == h)
		return orientation;
	return declared_w == w && declared_h == h ? 1 : orientation;
}

int render_decode_declared(const unsigned char *data, size_t len, int max_w, int max_h,
                           int declared_w, int declared_h, struct image *out,
                           struct render_decoded *info, struct err *err)
{
	static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

	out->w = 0;
	out->h = 0;
	out->rgb = NULL;
	memset(info, 0, sizeof *info);
	info->orientation = 1;
	if (max_w < 1 || max_h < 1 || max_w > RENDER_MAX_SIDE || max_h > RENDER_MAX_SIDE)
		return err_set(err, "invalid target size %dx%d", max_w, max_h);
	if (data == NULL || len == 0)
		return err_set(err, "empty image file");
	if (len > RENDER_MAX_FILE_BYTES)
		return err_set(err, "image file larger than %zu MiB", RENDER_MAX_FILE_BYTES >> 20);
	if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
		return render_jpeg_decode(data, len, max_w, max_h, declared_w, declared_h, out,
		                          info, err);
	if (len >= sizeof png_magic && memcmp(data, png_magic, sizeof png_magic) == 0)
		return render_png_decode(data, len, max_w, max_h, out, &info->src_w, &info->src_h,
		                         err);
	return err_set(err, "not a JPEG or PNG image");
}

int render_decode_mem(const unsigned char *data, size_t len, int max_w, int max_h,
                      struct image *out, int *src_w, int *src_h, struct err *err)
{
	struct render_decoded info;
	int rc = render_decode_declared(data, len, max_w, max_h, 0, 0, out, &info, err);

	*src_w = info.src_w;
	*src_h = info.src_h;
	return rc;
}

int render_decode_file_declared(const char *path, int max_w, int max_h, int declared_w,
                                int declared_h, struct image *out, struct render_decoded *info,
                                struct err *err)
{
	struct buf b;
	int rc = -1;

	out->w = 0;
	out->h = 0;
	out->rgb = NULL;
	memset(info, 0, sizeof *info);
	buf_init(&b, RENDER_MAX_FILE_BYTES);
	if (buf_read_file(&b, path, err) < 0)
		goto out;
	if (b.len == 0) {
		err_set(err, "%s is an empty file", path);
		goto out;
	}
	rc = render_decode_declared(b.data, b.len, max_w, max_h, declared_w, declared_h, out, info,
	                            err);
out:
	buf_free(&b);
	return rc;
}

int render_decode_file(const char *path, int max_w, int max_h, struct image *out, int *src_w,
                       int *src_h, struct err *err)
{
	struct render_decoded info;
	int rc = render_decode_file_declared(path, max_w, max_h, 0, 0, out, &info, err);

	*src_w = info.src_w;
	*src_h = info.src_h;
	return rc;
}
