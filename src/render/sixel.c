/* Sixel frames: a palette fitted to the image (sixel_quant.c) with no dithering, one complete
 * DCS sequence with raster attributes giving the exact pixel size, run-length encoded, each
 * band's colours chained left to right so that few carriage returns are needed. */
#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"
#include "render/sixel_quant.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Choices (bench/frame.sh, and the photos in sixel_quant.c's notes):
 * - an encoder of our own rather than libsixel's dither and encode, which took 35-60 ms for a
 *   1000x750 frame at 256 colours and gave 1.6 times img2sixel's bytes; this one takes about
 *   10 ms (most of it mapping pixels to the palette) for 0.7 of img2sixel's bytes;
 * - no dithering: error diffusion and ordered patterns change the sixel bits from one column
 *   to the next, which defeats run-length encoding (with libsixel, Atkinson cost 2-24 % more
 *   bytes and Floyd-Steinberg about 35 %), lowers PSNR and would speckle the flat overlay
 *   colours; the same holds for the 16 colours of low-bandwidth frames, where posterised
 *   areas stay recognisable and the label colours exact;
 * - each band's colours chained left to right (a colour that starts after the previous one
 *   ended follows it without a carriage return), gaps and repeats as !n. */
#define SIXEL_BAND 6

struct sixel_enc {
	struct sixq *q;
	int w;
	unsigned char *idx;   /* the band's palette indexes, SIXEL_BAND rows of w */
	unsigned char *masks; /* per colour, per column: the band's sixel bits, cleared on output */
	uint64_t *occ;        /* per colour, a bit per column whose mask is not empty */
	int words;            /* uint64_t per colour in occ */
	int first[SIXQ_MAX_COLORS], last[SIXQ_MAX_COLORS]; /* columns of the colours present */
	unsigned char used[SIXQ_MAX_COLORS];               /* the colours present */
	int nused;
	char *line; /* the band's bytes */
	size_t len, cap;
};

/* The first column at or after x whose bit is set (the caller knows there is one). */
static int occ_next(uint64_t *occ, int x)
{
	int i = x >> 6;
	uint64_t v = occ[i] & (~0ull << (x & 63));

	while (v == 0)
		v = occ[++i];
	return (i << 6) + __builtin_ctzll(v);
}

/* Each pixel of the band sets its row's bit in its colour's column and its column's
 * occupancy bit, without branches on the data (noisy rows would mispredict them). */
static void band_bits(struct sixel_enc *e, int rows, uint64_t *present)
{
	const int w = e->w, words = e->words;
	unsigned char *restrict masks = e->masks;
	uint64_t *restrict occ = e->occ;

	for (int r = 0; r < rows; r++) {
		const unsigned char *row = e->idx + (size_t)r * w;
		unsigned char bit = (unsigned char)(1u << r);

		for (int x = 0; x < w; x++) {
			unsigned c = row[x];

			masks[(size_t)c * w + x] |= bit;
			occ[(size_t)c * words + (x >> 6)] |= 1ull << (x & 63);
			present[c >> 6] |= 1ull << (c & 63);
		}
	}
}

/* The colours present in the band, with their first and last columns (from the occupancy
 * bits). */
static void band_masks(struct sixel_enc *e, int rows)
{
	uint64_t present[SIXQ_MAX_COLORS / 64] = {0};

	band_bits(e, rows, present);
	e->nused = 0;
	for (int i = 0; i < SIXQ_MAX_COLORS / 64; i++)
		for (uint64_t v = present[i]; v != 0; v &= v - 1) {
			int c = i * 64 + __builtin_ctzll(v), lo = 0, hi = e->words - 1;
			const uint64_t *occ = e->occ + (size_t)c * e->words;

			while (occ[lo] == 0)
				lo++;
			while (occ[hi] == 0)
				hi--;
			e->first[c] = lo * 64 + __builtin_ctzll(occ[lo]);
			e->last[c] = hi * 64 + 63 - __builtin_clzll(occ[hi]);
			e->used[e->nused++] = (unsigned char)c;
		}
}

static char *put_uint(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	if (v < 10) { /* most counts and many colour numbers: no division */
		*p++ = (char)('0' + v);
		return p;
	}
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* A run of one sixel character: repeated up to 3 times, else as !count. */
static char *put_run(char *p, unsigned n, char ch)
{
	if (n > 3) {
		*p++ = '!';
		p = put_uint(p, n);
		*p++ = ch;
	} else {
		while (n-- > 0)
			*p++ = ch;
	}
	return p;
}

static int line_reserve(struct sixel_enc *e, size_t more)
{
	char *p;
	size_t cap = e->cap;

	if (e->len + more <= e->cap)
		return 0;
	while (cap < e->len + more)
		cap = cap ? 2 * cap : 4096;
	p = realloc(e->line, cap);
	if (p == NULL)
		return -1;
	e->line = p;
	e->cap = cap;
	return 0;
}

/* One colour's row of the band, from the cursor column `at` to its last column. Empty columns
 * are skipped through the occupancy bits; the masks and bits are cleared on the way. */
static int put_colour(struct sixel_enc *e, int c, int at)
{
	unsigned char *m = e->masks + (size_t)c * e->w;
	uint64_t *occ = e->occ + (size_t)c * e->words;
	int x = e->first[c], end = e->last[c] + 1;
	char *p;

	/* a run costs at most 3 bytes more than its length; "#255" and the gap at most 12 */
	if (line_reserve(e, 2 * (size_t)(end - x) + 16) < 0)
		return -1;
	p = e->line + e->len;
	*p++ = '#';
	p = put_uint(p, (unsigned)c);
	p = put_run(p, (unsigned)(x - at), '?');
	while (x < end) {
		unsigned char v = m[x];
		int x1 = x + 1;

		if (v == 0) {
			x1 = occ_next(occ, x);
		} else {
			while (x1 < end && m[x1] == v)
				x1++;
			for (int i = x; i < x1; i++)
				m[i] = 0;
		}
		p = put_run(p, (unsigned)(x1 - x), (char)('?' + v));
		x = x1;
	}
	for (int i = e->first[c] >> 6; i <= (end - 1) >> 6; i++)
		occ[i] = 0;
	e->len = (size_t)(p - e->line);
	return 0;
}

/* The first position in order[from..n) whose colour starts at or after column at. */
static int first_from(const struct sixel_enc *e, const unsigned char *order, int from, int n,
                      int at)
{
	while (from < n) {
		int mid = (from + n) / 2;

		if (e->first[order[mid]] < at)
			from = mid + 1;
		else
			n = mid;
	}
	return from;
}

static int key_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The band's colours in order of their first column, then passes left to right: each pass
 * takes the next colour that starts after the previous one ended, so a colour that fits in
 * the gap costs no carriage return ('$'). */
static int band_emit(struct sixel_enc *e)
{
	unsigned char order[SIXQ_MAX_COLORS], done[SIXQ_MAX_COLORS] = {0};
	uint32_t key[SIXQ_MAX_COLORS];
	int left = e->nused, head = 0, n = e->nused;

	for (int i = 0; i < n; i++)
		key[i] = (uint32_t)e->first[e->used[i]] << 8 | e->used[i];
	qsort(key, (size_t)n, sizeof key[0], key_cmp);
	for (int i = 0; i < n; i++)
		order[i] = (unsigned char)(key[i] & 0xff);
	while (left > 0) {
		int at = 0;

		while (done[head])
			head++;
		for (int i = head; i < n;) {
			int c = order[i];

			if (done[i]) {
				i++;
				continue;
			}
			if (put_colour(e, c, at) < 0)
				return -1;
			at = e->last[c] + 1;
			done[i] = 1;
			left--;
			i = first_from(e, order, i + 1, n, at);
		}
		if (left > 0) {
			if (line_reserve(e, 1) < 0)
				return -1;
			e->line[e->len++] = '$';
		}
	}
	e->nused = 0;
	return 0;
}

/* The header: raster attributes (1:1 pixels, exact size) and the palette in RGB percent. */
static int put_header(struct sixel_enc *e, int h)
{
	const unsigned char *pal = sixq_palette(e->q);
	int n = sixq_ncolors(e->q);

	if (line_reserve(e, 48 + (size_t)n * 20) < 0)
		return -1;
	e->len += (size_t)sprintf(e->line + e->len, "\033Pq\"1;1;%d;%d", e->w, h);
	for (int i = 0; i < n; i++)
		e->len += (size_t)sprintf(
		    e->line + e->len, "#%d;2;%d;%d;%d", i, (pal[3 * i] * 100 + 127) / 255,
		    (pal[3 * i + 1] * 100 + 127) / 255, (pal[3 * i + 2] * 100 + 127) / 255);
	return 0;
}

/* Moves the pending bytes to out; a frame over out->max fails here, band by band. */
static int flush(struct sixel_enc *e, struct buf *out, struct err *err)
{
	if (out->len + e->len > out->max)
		return err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
	if (buf_append(out, e->line, e->len) < 0)
		return err_set(err, "sixel: out of memory");
	e->len = 0;
	return 0;
}

/* The bands of rows y0 .. y1 - 1 (y0 a multiple of the band height). With out, each band
 * goes there as it is made; without, they gather in e->line, up to max bytes. */
static int encode_rows(struct sixel_enc *e, const struct image *img, int y0, int y1,
                       struct buf *out, size_t max, struct err *err)
{
	for (int y = y0; y < y1; y += SIXEL_BAND) {
		int rows = y1 - y < SIXEL_BAND ? y1 - y : SIXEL_BAND;

		sixq_map_rows(e->q, y, rows, e->idx);
		band_masks(e, rows);
		if (band_emit(e) < 0 || line_reserve(e, 2) < 0)
			return err_set(err, "sixel: out of memory");
		if (y + rows < img->h)
			e->line[e->len++] = '-';
		if (out != NULL && flush(e, out, err) < 0)
			return -1;
		if (out == NULL && e->len > max)
			return err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", max);
	}
	return 0;
}

static int enc_init(struct sixel_enc *e, struct sixq *q, int w)
{
	memset(e, 0, sizeof *e);
	e->q = q;
	e->w = w;
	e->idx = malloc((size_t)SIXEL_BAND * w);
	e->masks = calloc((size_t)sixq_ncolors(q), (size_t)w);
	e->words = (w + 63) / 64;
	e->occ = calloc((size_t)sixq_ncolors(q) * e->words, sizeof *e->occ);
	return e->idx != NULL && e->masks != NULL && e->occ != NULL ? 0 : -1;
}

static void enc_free(struct sixel_enc *e)
{
	free(e->idx);
	free(e->masks);
	free(e->occ);
	free(e->line);
}

/* The lower rows, encoded on a second thread into their own bytes. */
struct lower_half {
	struct sixel_enc e;
	struct sixq *q; /* a fork of the palette's mapper */
	const struct image *img;
	int y0;
	size_t max;
	int rc;
	struct err err;
	pthread_t thread;
};

static void *lower_half_run(void *arg)
{
	struct lower_half *l = arg;

	l->rc = encode_rows(&l->e, l->img, l->y0, l->img->h, NULL, l->max, &l->err);
	return NULL;
}

static atomic_int threads_wanted; /* 0: as the machine allows */

void render_sixel_threads(int n)
{
	atomic_store(&threads_wanted, n);
}

/* Two threads for a frame large enough to gain (mapping and encoding are about two thirds of
 * a sixel frame's time), on a machine with two cores or more. */
static int use_two_threads(const struct image *img)
{
	int want = atomic_load(&threads_wanted);
	long cpus;

	if (want == 1 || img->h < 8 * SIXEL_BAND)
		return 0;
	if (want >= 2)
		return 1;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus >= 2 && (long)img->w * img->h >= 150000;
}

/* Starts the lower half's thread: 1 when it runs, 0 when it could not be set up (the caller
 * then encodes everything itself). */
static int lower_half_start(struct lower_half *l, const struct sixel_enc *e,
                            const struct image *img, size_t max)
{
	struct err err;

	memset(l, 0, sizeof *l);
	l->img = img;
	l->max = max;
	/* the split on a band boundary, near the middle */
	l->y0 = (img->h / 2 + SIXEL_BAND - 1) / SIXEL_BAND * SIXEL_BAND;
	if (sixq_fork(e->q, &l->q, &err) < 0)
		return 0;
	if (enc_init(&l->e, l->q, img->w) < 0 ||
	    pthread_create(&l->thread, NULL, lower_half_run, l) != 0) {
		enc_free(&l->e);
		sixq_free(&l->q);
		return 0;
	}
	return 1;
}

static int lower_half_join(struct lower_half *l, struct buf *out, int rc, struct err *err)
{
	pthread_join(l->thread, NULL);
	if (rc == 0 && l->rc < 0) {
		if (err != NULL)
			*err = l->err; /* its kind too: the caller decides on it */
		rc = -1;
	}
	if (rc == 0 && out->len + l->e.len > out->max)
		rc = err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
	if (rc == 0 && buf_append(out, l->e.line, l->e.len) < 0)
		rc = err_set(err, "sixel: out of memory");
	enc_free(&l->e);
	sixq_free(&l->q);
	return rc;
}

static int encode(struct sixel_enc *e, const struct image *img, struct buf *out, struct err *err)
{
	struct lower_half lower;
	int split = use_two_threads(img) && lower_half_start(&lower, e, img, out->max);
	int rc;

	if (put_header(e, img->h) < 0)
		rc = err_set(err, "sixel: out of memory");
	else
		rc = encode_rows(e, img, 0, split ? lower.y0 : img->h, out, out->max, err);
	if (split)
		rc = lower_half_join(&lower, out, rc, err);
	if (rc < 0)
		return -1;
	if (line_reserve(e, 2) < 0)
		return err_set(err, "sixel: out of memory");
	e->line[e->len++] = '\033';
	e->line[e->len++] = '\\';
	return flush(e, out, err);
}

int render_encode_sixel(const struct image *img, int colors, struct buf *out, struct err *err)
{
	struct sixel_enc e;
	struct sixq *q = NULL;
	size_t start = out->len;
	int rc = -1;

	memset(&e, 0, sizeof e);
	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0)
		return err_set(err, "sixel: no image");
	if (sixq_new(img, colors, &q, err) < 0)
		goto out;
	if (enc_init(&e, q, img->w) < 0) {
		err_set(err, "sixel: out of memory");
		goto out;
	}
	rc = encode(&e, img, out, err);
out:
	if (rc < 0 && out->len > start) {
		out->len = start; /* no half frame for the terminal */
		out->data[start] = '\0';
	}
	sixq_free(&q);
	enc_free(&e);
	return rc;
}
