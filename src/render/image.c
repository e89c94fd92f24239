/* Images in memory: allocation, area-averaging resize and the "no picture" placeholder. */
#include "render/render.h"
#include "core/err.h"
#include "render/decode.h"
#include "render/draw.h"
#include "render/font.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int image_alloc(struct image *img, int w, int h, struct err *err)
{
	img->w = 0;
	img->h = 0;
	img->rgb = NULL;
	if (w <= 0 || h <= 0)
		return err_set(err, "invalid image size %dx%d", w, h);
	if (w > RENDER_MAX_SIDE || h > RENDER_MAX_SIDE || (int64_t)w * h > RENDER_MAX_SOURCE_PIXELS)
		return err_set(err, "image too large: %dx%d", w, h);
	img->rgb = calloc((size_t)w * h, 3);
	if (img->rgb == NULL)
		return err_set(err, "out of memory for a %dx%d image", w, h);
	img->w = w;
	img->h = h;
	return 0;
}

void image_free(struct image *img)
{
	if (img == NULL)
		return;
	free(img->rgb);
	img->rgb = NULL;
	img->w = 0;
	img->h = 0;
}

/* Fixed point: weights in Q14, the intermediate row in Q6 (value * 64), so that the vertical
 * sums stay below 2^31 and a uniform colour comes out exactly. */
#define RESIZE_WBITS 14
#define RESIZE_HBITS 6

/* For each output pixel along one axis: the source pixels it covers and how much of each
 * (fractional coverage at both ends), weights summing to exactly 1 << RESIZE_WBITS. */
struct resize_axis {
	int *first;
	int *count;
	int32_t *weight; /* per output: `stride` slots */
	int stride;
};

/* Rounds the weights of one output pixel to Q14; the rounding residue goes to the largest. */
static void resize_quantize(const double *cover, int n, double sum, int32_t *w)
{
	int32_t total = 0;
	int big = 0;

	for (int k = 0; k < n; k++) {
		w[k] = (int32_t)lround(cover[k] / sum * (1 << RESIZE_WBITS));
		total += w[k];
		if (w[k] > w[big])
			big = k;
	}
	w[big] += (1 << RESIZE_WBITS) - total;
}

static int resize_axis_init(struct resize_axis *ax, int src, int dst)
{
	double step = (double)src / dst, *cover;

	ax->stride = (int)ceil(step) + 2;
	ax->first = malloc(sizeof(int) * 2 * (size_t)dst);
	ax->weight = malloc(sizeof(int32_t) * (size_t)ax->stride * dst);
	cover = malloc(sizeof(double) * (size_t)ax->stride);
	if (ax->first == NULL || ax->weight == NULL || cover == NULL) {
		free(cover);
		return -1;
	}
	ax->count = ax->first + dst;
	for (int i = 0; i < dst; i++) {
		double lo = i * step, hi = (i + 1) * step, sum = 0;
		int j0 = (int)floor(lo), j1 = (int)ceil(hi), n = 0;
		if (j1 > src)
			j1 = src;
		for (int j = j0; j < j1 && n < ax->stride; j++) {
			double c = fmin(hi, j + 1.0) - fmax(lo, (double)j);
			if (c <= 1e-9 && n == 0) {
				j0++; /* a sliver from rounding: start at the next pixel */
				continue;
			}
			cover[n++] = c;
			sum += c;
		}
		if (n == 0) {
			j0 = j0 < src ? j0 : src - 1;
			cover[n++] = sum = 1.0;
		}
		resize_quantize(cover, n, sum, ax->weight + (size_t)i * ax->stride);
		ax->first[i] = j0;
		ax->count[i] = n;
	}
	free(cover);
	return 0;
}

static void resize_axis_free(struct resize_axis *ax)
{
	free(ax->first);
	free(ax->weight);
	ax->first = NULL;
	ax->weight = NULL;
}

/* Vertical first: the source rows under one output row, weighted into one row at the source
 * width (Q6), so that the costlier horizontal step runs once per output row. Blocks of a fixed
 * 16 elements are what -O2's cheap vectoriser accepts. */
static void resize_column_pass(const struct image *src, const struct resize_axis *ay, int y,
                               uint16_t *restrict out)
{
	const int shift = RESIZE_WBITS - RESIZE_HBITS;
	const int32_t *w = ay->weight + (size_t)y * ay->stride;
	const unsigned char *first = src->rgb + (size_t)src->w * 3 * ay->first[y];
	size_t n = (size_t)src->w * 3, i = 0;
	int cnt = ay->count[y];

	for (; i < n; i += 16) {
		uint32_t acc[16];
		size_t m = n - i < 16 ? n - i : 16;
		for (size_t j = 0; j < 16; j++)
			acc[j] = 1u << (shift - 1);
		for (int k = 0; k < cnt; k++) {
			const unsigned char *restrict r = first + n * k + i;
			uint32_t wk = (uint32_t)w[k];
			if (m == 16) {
				for (size_t j = 0; j < 16; j++)
					acc[j] += wk * r[j];
			} else {
				for (size_t j = 0; j < m; j++)
					acc[j] += wk * r[j];
			}
		}
		for (size_t j = 0; j < m; j++)
			out[i + j] = (uint16_t)(acc[j] >> shift);
	}
}

/* Then across: each output pixel from the source columns it covers. */
static void resize_row_pass(const uint16_t *row, const struct resize_axis *ax, int w,
                            unsigned char *dst)
{
	const int shift = RESIZE_WBITS + RESIZE_HBITS;

	for (int x = 0; x < w; x++, dst += 3) {
		const int32_t *wx = ax->weight + (size_t)x * ax->stride;
		const uint16_t *p = row + (size_t)ax->first[x] * 3;
		uint32_t r = 1u << (shift - 1), g = r, b = r;
		for (int k = 0, n = ax->count[x]; k < n; k++, p += 3) {
			r += (uint32_t)wx[k] * p[0];
			g += (uint32_t)wx[k] * p[1];
			b += (uint32_t)wx[k] * p[2];
		}
		r >>= shift, g >>= shift, b >>= shift;
		dst[0] = (unsigned char)(r > 255 ? 255 : r);
		dst[1] = (unsigned char)(g > 255 ? 255 : g);
		dst[2] = (unsigned char)(b > 255 ? 255 : b);
	}
}

int render_resize(const struct image *src, int w, int h, struct image *out, struct err *err)
{
	struct resize_axis ax = {0}, ay = {0};
	uint16_t *row = NULL;
	int rc = -1;

	if (src == NULL || src->rgb == NULL || src->w <= 0 || src->h <= 0)
		return err_set(err, "resize: no source image");
	if (image_alloc(out, w, h, err) < 0)
		return -1;
	if (w == src->w && h == src->h) {
		memcpy(out->rgb, src->rgb, (size_t)w * h * 3);
		return 0;
	}
	row = malloc(sizeof *row * 3 * (size_t)src->w);
	if (row == NULL || resize_axis_init(&ax, src->w, w) < 0 ||
	    resize_axis_init(&ay, src->h, h) < 0) {
		err_set(err, "out of memory resizing to %dx%d", w, h);
		goto out;
	}
	for (int y = 0; y < h; y++) {
		resize_column_pass(src, &ay, y, row);
		resize_row_pass(row, &ax, w, out->rgb + (size_t)y * w * 3);
	}
	rc = 0;
out:
	if (rc < 0)
		image_free(out);
	resize_axis_free(&ax);
	resize_axis_free(&ay);
	free(row);
	return rc;
}

/* ---- Downscaling while the decoder works --------------------------------------------------- */

/* The downscale on a thread of its own, an output row as soon as the source rows under it are
 * decoded: on two cores it then costs next to nothing after the decode. */
struct resize_stream {
	const struct image *src;
	struct image *out;
	struct resize_axis ax, ay;
	uint16_t *row;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t more;
	int ready;   /* source rows decoded */
	int aborted; /* the decode failed: stop */
};

static void *resize_stream_run(void *arg)
{
	struct resize_stream *s = arg;

	for (int y = 0; y < s->out->h; y++) {
		int need = s->ay.first[y] + s->ay.count[y], go;
		pthread_mutex_lock(&s->lock);
		while (s->ready < need && !s->aborted)
			pthread_cond_wait(&s->more, &s->lock);
		go = !s->aborted;
		pthread_mutex_unlock(&s->lock);
		if (!go)
			break;
		resize_column_pass(s->src, &s->ay, y, s->row);
		resize_row_pass(s->row, &s->ax, s->out->w, s->out->rgb + (size_t)y * s->out->w * 3);
	}
	return NULL;
}

static void resize_stream_free(struct resize_stream *s)
{
	resize_axis_free(&s->ax);
	resize_axis_free(&s->ay);
	free(s->row);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->more);
	free(s);
}

/* Worth a thread: a real downscale of a picture of a megapixel or more, with two cores. */
static int resize_stream_pays(const struct image *src, int w, int h)
{
	return (w < src->w || h < src->h) && (long)src->w * src->h >= 1000000 &&
	       sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

struct resize_stream *resize_stream_start(const struct image *src, int w, int h, struct image *out)
{
	struct resize_stream *s;

	if (!resize_stream_pays(src, w, h) || (s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->src = src;
	s->out = out;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	s->row = malloc(sizeof *s->row * 3 * (size_t)src->w);
	if (s->row == NULL || resize_axis_init(&s->ax, src->w, w) < 0 ||
	    resize_axis_init(&s->ay, src->h, h) < 0 || image_alloc(out, w, h, NULL) < 0)
		goto fail;
	if (pthread_create(&s->thread, NULL, resize_stream_run, s) == 0)
		return s;
	image_free(out);
fail:
	resize_stream_free(s);
	return NULL;
}

void resize_stream_rows(struct resize_stream *s, int ready)
{
	pthread_mutex_lock(&s->lock);
	s->ready = ready;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

void resize_stream_end(struct resize_stream *s, int ok)
{
	pthread_mutex_lock(&s->lock);
	if (ok)
		s->ready = s->src->h;
	else
		s->aborted = 1;
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (!ok)
		image_free(s->out);
	resize_stream_free(s);
}

#define PLACEHOLDER_BG     0x262626
#define PLACEHOLDER_LINE   0x4a4a4a
#define PLACEHOLDER_BORDER 0x6a6a6a
#define PLACEHOLDER_TEXT   0xd8d8d8

int render_crop(const struct image *src, int x, int y, int w, int h, struct image *out,
                struct err *err)
{
	if (x < 0 || y < 0 || w < 1 || h < 1 || x > src->w - w || y > src->h - h)
		return err_set(err, "crop %dx%d at %d,%d is outside the %dx%d image", w, h, x, y,
		               src->w, src->h);
	if (image_alloc(out, w, h, err) < 0)
		return -1;
	for (int r = 0; r < h; r++)
		memcpy(out->rgb + (size_t)r * w * 3, src->rgb + ((size_t)(y + r) * src->w + x) * 3,
		       (size_t)w * 3);
	return 0;
}

int render_placeholder(int w, int h, const char *reason, struct image *out, struct err *err)
{
	int scale, margin, lines, line_h, block_h, top;

	if (image_alloc(out, w, h, err) < 0)
		return -1;
	draw_fill_rect(out, 0, 0, w, h, PLACEHOLDER_BG);
	draw_line(out, 0, 0, w - 1, h - 1, 1, PLACEHOLDER_LINE);
	draw_line(out, w - 1, 0, 0, h - 1, 1, PLACEHOLDER_LINE);
	draw_frame(out, 0, 0, w - 1, h - 1, 1, 0, PLACEHOLDER_BORDER);
	scale = (w < h ? w : h) / 250 + 1;
	margin = 4 * scale;
	line_h = FONT_LINE * scale;
	lines = font_draw_wrapped(NULL, w / 2, 0, w - 4 * margin, (h - 2 * margin) / line_h, reason,
	                          scale, PLACEHOLDER_TEXT);
	if (lines == 0)
		return 0;
	/* a solid band behind the text keeps it readable across the cross */
	block_h = lines * line_h - 2 * scale;
	top = (h - block_h) / 2;
	draw_fill_rect(out, margin, top - margin, w - margin, top + block_h + margin,
	               PLACEHOLDER_BG);
	font_draw_wrapped(out, w / 2, top, w - 4 * margin, lines, reason, scale, PLACEHOLDER_TEXT);
	return 0;
}
