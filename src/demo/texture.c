/* The photographic side of the demo painter (see paint.h): mottled surfaces, defocus, vignette,
 * sensor grain, and the JPEG encoder. */
#include "demo/paint.h"
#include "core/err.h"

#include <errno.h>
#include <stdio.h> /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

struct jpeg_fail {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
};

static unsigned char clamp_byte(int v)
{
	return (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : v);
}

/* A random value in [-1, 1] for a grid corner, the same for the same (seed, x, y). */
static float mottle_value(uint64_t seed, int ix, int iy)
{
	uint64_t z = seed ^ (uint64_t)(uint32_t)ix * 0x9e3779b97f4a7c15ULL ^
	             (uint64_t)(uint32_t)iy * 0xc2b2ae3d27d4eb4fULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (float)((double)(z >> 11) * (2.0 / 9007199254740992.0) - 1.0);
}

static float smooth(float t)
{
	return t * t * (3 - 2 * t);
}

/* The value noise of one grid row, interpolated across to every column. */
static void mottle_row(float *out, int w, double cell, uint64_t seed, int iy)
{
	float left = mottle_value(seed, 0, iy), right = mottle_value(seed, 1, iy);
	int ix = 0;

	for (int x = 0; x < w; x++) {
		double gx = x / cell;
		if ((int)gx != ix) {
			ix = (int)gx;
			left = right;
			right = mottle_value(seed, ix + 1, iy);
		}
		out[x] = left + (right - left) * smooth((float)(gx - ix));
	}
}

void paint_mottle(struct canvas *cv, double y0, double y1, double cell, double amp, uint64_t seed)
{
	float *top = cv->row_a, *bot = cv->row_b;
	int a = (int)fmax(0, y0), b = (int)fmin(cv->h, y1), cached = -1;

	if (cell < 1)
		cell = 1;
	for (int y = a; y < b; y++) {
		double gy = y / cell;
		int iy = (int)gy;
		float fy = smooth((float)(gy - iy)), k = (float)amp;
		unsigned char *p = cv->px + (size_t)y * cv->w * 3;
		if (iy != cached) {
			mottle_row(top, cv->w, cell, seed, iy);
			mottle_row(bot, cv->w, cell, seed, iy + 1);
			cached = iy;
		}
		for (int x = 0; x < cv->w; x++, p += 3) {
			/* +128.5 then -128 rounds to nearest for negative values too */
			int d = (int)((top[x] + (bot[x] - top[x]) * fy) * k + 128.5f) - 128;
			p[0] = clamp_byte(p[0] + d);
			p[1] = clamp_byte(p[1] + d);
			p[2] = clamp_byte(p[2] + d);
		}
	}
}

/* One box-blur pass along a row of n pixels, in place. */
static void blur_row(unsigned char *p, int n, int radius, unsigned char *tmp)
{
	int span = 2 * radius + 1, inv = (1 << 16) / span;

	for (int k = 0; k < 3; k++) {
		int sum = 0;
		for (int i = -radius; i <= radius; i++)
			sum += p[(i < 0 ? 0 : i >= n ? n - 1 : i) * 3 + k];
		for (int i = 0; i < n; i++) {
			int add = i + radius + 1, sub = i - radius;
			tmp[i * 3 + k] = (unsigned char)((sum * inv + (1 << 15)) >> 16);
			sum += p[(add >= n ? n - 1 : add) * 3 + k] - p[(sub < 0 ? 0 : sub) * 3 + k];
		}
	}
	memcpy(p, tmp, (size_t)n * 3);
}

/* One box-blur pass down the columns, row by row (kind to the cache), from a copy. */
static void blur_columns(struct canvas *cv, int radius, const unsigned char *src, int *sums)
{
	size_t stride = (size_t)cv->w * 3;
	int span = 2 * radius + 1, inv = (1 << 16) / span, last = cv->h - 1;

	for (size_t k = 0; k < stride; k++)
		sums[k] = 0;
	for (int i = -radius; i <= radius; i++) {
		const unsigned char *row = src + (size_t)(i < 0 ? 0 : i > last ? last : i) * stride;
		for (size_t k = 0; k < stride; k++)
			sums[k] += row[k];
	}
	for (int y = 0; y < cv->h; y++) {
		unsigned char *out = cv->px + (size_t)y * stride;
		const unsigned char *add =
		    src + (size_t)(y + radius + 1 > last ? last : y + radius + 1) * stride;
		const unsigned char *sub = src + (size_t)(y - radius < 0 ? 0 : y - radius) * stride;
		for (size_t k = 0; k < stride; k++) {
			out[k] = (unsigned char)((sums[k] * inv + (1 << 15)) >> 16);
			sums[k] += add[k] - sub[k];
		}
	}
}

int paint_blur(struct canvas *cv, int radius, struct err *err)
{
	size_t stride = (size_t)cv->w * 3;
	unsigned char *copy = NULL, *tmp = NULL;
	int *sums = NULL, rc = -1;

	if (radius <= 0)
		return 0;
	copy = malloc(stride * (size_t)cv->h);
	tmp = malloc(stride);
	sums = malloc(stride * sizeof *sums);
	if (copy == NULL || tmp == NULL || sums == NULL) {
		err_set(err, "out of memory blurring a demo image");
		goto out;
	}
	/* two box passes each way come close to a gaussian defocus */
	for (int pass = 0; pass < 2; pass++) {
		for (int y = 0; y < cv->h; y++)
			blur_row(cv->px + (size_t)y * stride, cv->w, radius, tmp);
		memcpy(copy, cv->px, stride * (size_t)cv->h);
		blur_columns(cv, radius, copy, sums);
	}
	rc = 0;
out:
	free(copy);
	free(tmp);
	free(sums);
	return rc;
}

#define GRAIN_TABLE 65536

void paint_finish(struct canvas *cv, double vignette, int grain, uint64_t seed)
{
	static const uint32_t mask = GRAIN_TABLE - 1;
	signed char noise[GRAIN_TABLE];
	float *darken = cv->row_a;
	uint64_t s = seed | 1;

	/* triangular noise in a table, read from a random offset on each row: far cheaper than
	 * a random number per pixel, and no pattern shows at these sizes */
	for (uint32_t i = 0; i < GRAIN_TABLE; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		noise[i] =
		    (signed char)(((int)(s & 0xff) + (int)(s >> 8 & 0xff) - 255) * grain / 255);
	}
	/* the vignette in 1/65536ths: a per-column part plus a per-row part */
	for (int x = 0; x < cv->w; x++) {
		double vx = (x + 0.5) / cv->w * 2 - 1;
		darken[x] = (float)(vignette * vx * vx * 0.5 * 65536);
	}
	for (int y = 0; y < cv->h; y++) {
		double vy = (y + 0.5) / cv->h * 2 - 1;
		int row = (int)(vignette * vy * vy * 0.5 * 65536);
		uint32_t at = (uint32_t)(seed >> 16) + (uint32_t)y * 40503u;
		unsigned char *p = cv->px + (size_t)y * cv->w * 3;
		for (int x = 0; x < cv->w; x++, p += 3) {
			int f = 65536 - (int)darken[x] - row, n = noise[(at + (uint32_t)x) & mask];
			p[0] = clamp_byte((p[0] * f >> 16) + n);
			p[1] = clamp_byte((p[1] * f >> 16) + n);
			p[2] = clamp_byte((p[2] * f >> 16) + n);
		}
	}
}

static void jpeg_fail_exit(j_common_ptr cinfo)
{
	struct jpeg_fail *fail = (struct jpeg_fail *)cinfo->err;

	cinfo->err->format_message(cinfo, fail->msg);
	longjmp(fail->jump, 1);
}

/* libjpeg would print warnings on stderr; the demo prints nothing. */
static void jpeg_fail_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

static void jpeg_encode_rows(struct jpeg_compress_struct *ci, const struct canvas *cv, int quality)
{
	ci->image_width = (JDIMENSION)cv->w;
	ci->image_height = (JDIMENSION)cv->h;
	ci->input_components = 3;
	ci->in_color_space = JCS_RGB;
	jpeg_set_defaults(ci);
	jpeg_set_quality(ci, quality, TRUE);
	jpeg_start_compress(ci, TRUE);
	while (ci->next_scanline < ci->image_height) {
		JSAMPROW row = cv->px + (size_t)ci->next_scanline * cv->w * 3;
		jpeg_write_scanlines(ci, &row, 1);
	}
	jpeg_finish_compress(ci);
}

int paint_save_jpeg(const struct canvas *cv, const char *path, int quality, struct err *err)
{
	struct jpeg_compress_struct ci;
	struct jpeg_fail fail;
	FILE *volatile f;
	volatile int rc = -1;

	memset(&ci, 0, sizeof ci);
	f = fopen(path, "wb");
	if (f == NULL)
		return err_set(err, "cannot create %s: %s", path, strerror(errno));
	ci.err = jpeg_std_error(&fail.mgr);
	fail.mgr.error_exit = jpeg_fail_exit;
	fail.mgr.output_message = jpeg_fail_quiet;
	if (setjmp(fail.jump)) {
		err_set(err, "cannot encode %s: %s", path, fail.msg);
		goto out;
	}
	jpeg_create_compress(&ci);
	jpeg_stdio_dest(&ci, f);
	jpeg_encode_rows(&ci, cv, quality);
	if (fflush(f) != 0 || ferror(f)) {
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	jpeg_destroy_compress(&ci);
	if (fclose(f) != 0 && rc == 0)
		rc = err_set(err, "cannot write %s: %s", path, strerror(errno));
	return rc;
}
