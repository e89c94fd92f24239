/* Palettes for sixel frames: flat colours found in the image kept exact, a variance-minimising
 * median cut over a subsample for the rest, nearest-entry lookups cached per colour cell. */
#include "render/sixel_quant.h"
#include "core/err.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Choices, measured on the bench's 4000x3000 JPEG with 50 boxes at 1000x750 and on six VOC
 * photos at 500x375 (PSNR against the frame before encoding; img2sixel, which dithers, on the
 * same frames as the reference: at 256 colours 0.87-0.93 of its bytes at +3.5 to +5 dB on the
 * photos, 0.40 at +5 dB on the bench frame; at 16 colours 0.72-0.90 of img2sixel -p 16's bytes
 * at +2.7 to +5.6 dB):
 * - histogram and lookup cells of 5 bits per channel: 6-bit lookup cells gained 0.2 dB but
 *   filled four times as many cells on photos (each a nearest-entry search) and cost bytes;
 * - slack 40 (squared error a pixel may take on to keep a neighbour's entry): the bench frame
 *   went from 830 KB to 185 KB, photos lost 0.1-0.3 dB and 5-15 % of their bytes; 50 and more
 *   left visible blotches in smooth gradients. Keeping only the left neighbour's entry needed
 *   a larger slack for the same bytes and lost more PSNR. Deciding per lookup cell instead of
 *   per pixel was cheaper but saved almost nothing where the palette is denser than the cells;
 * - flat colours by their repeats along rows, kept exact when the first palette would miss
 *   them: the overlay's label colours stay exact at 16 colours too. */
#define SIXQ_HIST_BITS  5
#define SIXQ_LUT_BITS   5
#define SIXQ_SLACK      40
#define SIXQ_SAMPLES    (1 << 16) /* pixels looked at for the palette, about */
#define SIXQ_FLAT_SLOTS 4096      /* hash of colours repeated along a row */
#define SIXQ_FLAT_MAX   64        /* flat colours remembered, the most frequent */
/* Repeats needed to count as flat: a box outline gives hundreds even on a small box, while a
 * photo's chance repeats (JPEG's flat blocks, clipped shadows) seldom reach a few dozen. */
#define SIXQ_FLAT_MIN 32
#define LUT_FILLED    0x100
#define LUT_FLAT      0x200

#define HIST_CELLS (1u << (3 * SIXQ_HIST_BITS))
#define LUT_CELLS  (1u << (3 * SIXQ_LUT_BITS))

/* A colour seen repeated along a row: the overlay's strokes and fills, clipped highlights, the
 * flat background of a drawing. */
struct sixq_flat {
	uint32_t rgb;
	uint32_t count;   /* pixels equal to their left neighbour, on the rows scanned */
	uint32_t samples; /* pixels of this colour in the palette's subsample */
	int index;        /* palette entry */
	int reserved;     /* has an entry of its own */
};

struct sixq_bin {
	uint32_t count;
	uint32_t cell;
	double sum[3];
	double q; /* |sum|^2 / count: the bin's share of the box's sum of squares */
};

struct sixq_box {
	int lo, hi; /* bins [lo, hi) */
	double count, sum[3], sse;
};

struct sixq {
	const struct image *img;
	int n;
	unsigned char pal[SIXQ_MAX_COLORS][3];
	/* the palette sorted along its principal axis, for the nearest-entry search */
	float axis[3];
	float key[SIXQ_MAX_COLORS];
	unsigned char order[SIXQ_MAX_COLORS];
	uint16_t *seed; /* per histogram cell: the entry of its median-cut box, 0xffff: none */
	struct sixq_flat flat[SIXQ_FLAT_MAX];
	int nflat;
	int16_t flat_slot[SIXQ_FLAT_MAX * 4]; /* open hash of flat colours: index + 1, 0 empty */
	uint16_t *lut;
	int slack; /* squared error a pixel may take on to match a neighbour's entry */
	int pr[SIXQ_MAX_COLORS], pg[SIXQ_MAX_COLORS],
	    pb[SIXQ_MAX_COLORS]; /* the palette, unpacked */
	struct sixq_bin *bins;   /* the subsample's histogram, in cell order of first sight */
	int nbins;
	struct sixq_bin *work; /* a copy the median cut reorders */
	struct sixq_bin *tmp;
	int forked; /* a copy from sixq_fork: only lut is its own */
};

static inline uint32_t px_rgb(const unsigned char *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline unsigned lut_cell(uint32_t c)
{
	const int s = 8 - SIXQ_LUT_BITS, b = SIXQ_LUT_BITS;

	return (c >> (16 + s)) << (2 * b) | ((c >> (8 + s)) & ((1u << b) - 1)) << b |
	       ((c & 0xff) >> s);
}

static inline unsigned hist_cell(uint32_t c)
{
	const int s = 8 - SIXQ_HIST_BITS, b = SIXQ_HIST_BITS;

	return (c >> (16 + s)) << (2 * b) | ((c >> (8 + s)) & ((1u << b) - 1)) << b |
	       ((c & 0xff) >> s);
}

static inline unsigned flat_hash(uint32_t c, unsigned mask)
{
	return (unsigned)((c * 2654435761u) >> 16) & mask;
}

/* ---- Flat colours ----------------------------------------------------------------------- */

struct flat_count {
	uint32_t key; /* rgb | 1 << 24; 0: empty */
	uint32_t count;
};

static void flat_bump(struct flat_count *tab, int *used, uint32_t c, uint32_t n)
{
	unsigned mask = SIXQ_FLAT_SLOTS - 1, h = flat_hash(c, mask);
	uint32_t key = c | 1u << 24;

	while (tab[h].key != 0 && tab[h].key != key)
		h = (h + 1) & mask;
	if (tab[h].key == 0) {
		if (*used >= SIXQ_FLAT_SLOTS * 3 / 4)
			return; /* full: the colours already in keep counting */
		tab[h].key = key;
		(*used)++;
	}
	tab[h].count += n;
}

static int flat_cmp(const void *a, const void *b)
{
	const struct sixq_flat *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->rgb < y->rgb ? -1 : x->rgb > y->rgb;
}

static int flat_find(const struct sixq *q, uint32_t c)
{
	unsigned mask = SIXQ_FLAT_MAX * 4 - 1, h = flat_hash(c, mask);

	while (q->flat_slot[h] != 0) {
		if (q->flat[q->flat_slot[h] - 1].rgb == c)
			return q->flat_slot[h] - 1;
		h = (h + 1) & mask;
	}
	return -1;
}

/* Keeps the SIXQ_FLAT_MAX most frequent counted colours with at least SIXQ_FLAT_MIN repeats,
 * most frequent first, and flags their cells in the LUT. */
static void flat_keep(struct sixq *q, const struct flat_count *tab, struct sixq_flat *all)
{
	int n = 0;

	for (int i = 0; i < SIXQ_FLAT_SLOTS; i++)
		if (tab[i].key != 0 && tab[i].count >= SIXQ_FLAT_MIN)
			all[n++] =
			    (struct sixq_flat){tab[i].key & 0xffffff, tab[i].count, 0, -1, 0};
	qsort(all, (size_t)n, sizeof *all, flat_cmp);
	q->nflat = n < SIXQ_FLAT_MAX ? n : SIXQ_FLAT_MAX;
	memcpy(q->flat, all, (size_t)q->nflat * sizeof *all);
	for (int i = 0; i < q->nflat; i++) {
		unsigned mask = SIXQ_FLAT_MAX * 4 - 1, h = flat_hash(q->flat[i].rgb, mask);

		while (q->flat_slot[h] != 0)
			h = (h + 1) & mask;
		q->flat_slot[h] = (int16_t)(i + 1);
		q->lut[lut_cell(q->flat[i].rgb)] |= LUT_FLAT;
	}
}

/* Colours equal to their left neighbour, counted by runs on every other row (a stroke two
 * pixels wide still shows on one of them). */
static int flat_find_all(struct sixq *q, struct err *err)
{
	const struct image *img = q->img;
	struct flat_count *tab = calloc(SIXQ_FLAT_SLOTS, sizeof *tab);
	struct sixq_flat *all = malloc(SIXQ_FLAT_SLOTS * sizeof *all);
	int used = 0;

	if (tab == NULL || all == NULL) {
		free(tab);
		free(all);
		return err_set(err, "sixel: out of memory");
	}
	for (int y = 0; y < img->h; y += 2) {
		const unsigned char *p = img->rgb + (size_t)y * img->w * 3;
		uint32_t prev = px_rgb(p), run = 0;

		for (int x = 1; x < img->w; x++) {
			uint32_t c = px_rgb(p + 3 * x);

			if (c == prev) {
				run++;
				continue;
			}
			if (run > 0)
				flat_bump(tab, &used, prev, run);
			prev = c;
			run = 0;
		}
		if (run > 0)
			flat_bump(tab, &used, prev, run);
	}
	flat_keep(q, tab, all);
	free(tab);
	free(all);
	return 0;
}

/* ---- Histogram of a subsample ----------------------------------------------------------- */

static int hist_build(struct sixq *q, struct err *err)
{
	const struct image *img = q->img;
	int64_t npix = (int64_t)img->w * img->h;
	int step = (int)sqrt((double)npix / SIXQ_SAMPLES);
	int32_t *slot = malloc(HIST_CELLS * sizeof *slot);
	int rc = -1;

	if (step < 1)
		step = 1;
	q->bins = malloc(HIST_CELLS * sizeof *q->bins);
	if (slot == NULL || q->bins == NULL) {
		err_set(err, "sixel: out of memory");
		goto out;
	}
	memset(slot, 0xff, HIST_CELLS * sizeof *slot);
	q->nbins = 0;
	for (int y = step / 2, row = 0; y < img->h; y += step, row++) {
		const unsigned char *line = img->rgb + (size_t)y * img->w * 3;

		/* shift each sampled row so that columns do not line up with a pattern */
		for (int x = (row * 7 + step / 2) % step; x < img->w; x += step) {
			uint32_t c = px_rgb(line + 3 * x);
			unsigned cell = hist_cell(c);
			struct sixq_bin *b;

			if (q->lut[lut_cell(c)] & LUT_FLAT) {
				int k = flat_find(q, c);

				if (k >= 0)
					q->flat[k].samples++;
			}
			if (slot[cell] < 0) {
				slot[cell] = q->nbins;
				b = &q->bins[q->nbins++];
				memset(b, 0, sizeof *b);
				b->cell = cell;
			}
			b = &q->bins[slot[cell]];
			b->count++;
			b->sum[0] += c >> 16;
			b->sum[1] += (c >> 8) & 0xff;
			b->sum[2] += c & 0xff;
		}
	}
	q->work = malloc((size_t)q->nbins * sizeof *q->work);
	q->tmp = malloc((size_t)q->nbins * sizeof *q->tmp);
	if (q->work == NULL || q->tmp == NULL) {
		err_set(err, "sixel: out of memory");
		goto out;
	}
	rc = 0;
out:
	free(slot);
	return rc;
}

/* ---- Median cut ------------------------------------------------------------------------- */

static void box_stats(struct sixq_box *box, const struct sixq_bin *bins)
{
	double qsum = 0;

	box->count = 0;
	box->sum[0] = box->sum[1] = box->sum[2] = 0;
	for (int i = box->lo; i < box->hi; i++) {
		box->count += bins[i].count;
		for (int a = 0; a < 3; a++)
			box->sum[a] += bins[i].sum[a];
		qsum += bins[i].q;
	}
	box->sse = qsum - (box->sum[0] * box->sum[0] + box->sum[1] * box->sum[1] +
	                   box->sum[2] * box->sum[2]) /
	                      box->count;
	if (box->hi - box->lo < 2 || box->sse < 1e-9)
		box->sse = 0; /* nothing to gain by splitting */
}

static int box_axis(const struct sixq_box *box, const struct sixq_bin *bins)
{
	double var[3] = {0, 0, 0};
	int best = 0;

	for (int i = box->lo; i < box->hi; i++)
		for (int a = 0; a < 3; a++)
			var[a] += bins[i].sum[a] * bins[i].sum[a] / bins[i].count;
	for (int a = 0; a < 3; a++) {
		var[a] -= box->sum[a] * box->sum[a] / box->count;
		if (var[a] > var[best])
			best = a;
	}
	return best;
}

/* Orders the box's bins along an axis (a counting sort on the bin coordinate). */
static void box_sort(struct sixq *q, struct sixq_bin *bins, const struct sixq_box *box, int axis)
{
	const int b = SIXQ_HIST_BITS, shift = (2 - axis) * b;
	int start[(1 << SIXQ_HIST_BITS) + 1] = {0};

	for (int i = box->lo; i < box->hi; i++)
		start[((bins[i].cell >> shift) & ((1u << b) - 1)) + 1]++;
	for (int k = 1; k <= 1 << b; k++)
		start[k] += start[k - 1];
	for (int i = box->lo; i < box->hi; i++)
		q->tmp[start[(bins[i].cell >> shift) & ((1u << b) - 1)]++] = bins[i];
	memcpy(bins + box->lo, q->tmp, (size_t)(box->hi - box->lo) * sizeof *bins);
}

/* Splits the box where the two halves' summed squared error is least. */
static void box_split(struct sixq *q, struct sixq_bin *bins, struct sixq_box *box,
                      struct sixq_box *out)
{
	double n = 0, s[3] = {0, 0, 0}, best = -1;
	int cut = box->lo + 1;

	box_sort(q, bins, box, box_axis(box, bins));
	for (int i = box->lo; i < box->hi - 1; i++) {
		double r[3], nr, score;

		n += bins[i].count;
		for (int a = 0; a < 3; a++) {
			s[a] += bins[i].sum[a];
			r[a] = box->sum[a] - s[a];
		}
		nr = box->count - n;
		score = (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]) / n +
		        (r[0] * r[0] + r[1] * r[1] + r[2] * r[2]) / nr;
		if (score > best) {
			best = score;
			cut = i + 1;
		}
	}
	out->lo = cut;
	out->hi = box->hi;
	box->hi = cut;
	box_stats(box, bins);
	box_stats(out, bins);
}

/* Median cut of the working bins into at most `want` entries, appended to the palette.
 * Returns the palette's mean squared error per pixel (between bins; 0 without bins). */
static double median_cut(struct sixq *q, int nbins, int want)
{
	struct sixq_box boxes[SIXQ_MAX_COLORS];
	double sse = 0, count = 0;
	int nbox = 0;

	if (nbins == 0 || want <= 0)
		return 0;
	for (int i = 0; i < nbins; i++) {
		struct sixq_bin *b = &q->work[i];

		b->q = (b->sum[0] * b->sum[0] + b->sum[1] * b->sum[1] + b->sum[2] * b->sum[2]) /
		       b->count;
	}
	boxes[0].lo = 0;
	boxes[0].hi = nbins;
	box_stats(&boxes[0], q->work);
	nbox = 1;
	while (nbox < want) {
		int pick = -1;

		for (int i = 0; i < nbox; i++)
			if (boxes[i].sse > 0 && (pick < 0 || boxes[i].sse > boxes[pick].sse))
				pick = i;
		if (pick < 0)
			break;
		box_split(q, q->work, &boxes[pick], &boxes[nbox]);
		nbox++;
	}
	for (int i = 0; i < nbox && q->n < SIXQ_MAX_COLORS; i++, q->n++) {
		for (int a = 0; a < 3; a++)
			q->pal[q->n][a] = (unsigned char)(boxes[i].sum[a] / boxes[i].count + 0.5);
		for (int j = boxes[i].lo; j < boxes[i].hi; j++)
			q->seed[q->work[j].cell] = (uint16_t)q->n;
		sse += boxes[i].sse;
		count += boxes[i].count;
	}
	return sse / count;
}

/* ---- Nearest entry ---------------------------------------------------------------------- */

/* The direction along which the palette spreads most (power iteration on its covariance):
 * sorted by their projection on it, few entries need a look before the rest are provably
 * further away. */
static void palette_axis(struct sixq *q)
{
	double mean[3] = {0, 0, 0}, cov[3][3] = {{0}}, v[3] = {0.58, 0.58, 0.58};

	for (int i = 0; i < q->n; i++)
		for (int a = 0; a < 3; a++)
			mean[a] += q->pal[i][a] / (double)q->n;
	for (int i = 0; i < q->n; i++)
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				cov[a][b] += (q->pal[i][a] - mean[a]) * (q->pal[i][b] - mean[b]);
	for (int it = 0; it < 16; it++) {
		double nv[3], len = 0;

		for (int a = 0; a < 3; a++) {
			nv[a] = cov[a][0] * v[0] + cov[a][1] * v[1] + cov[a][2] * v[2];
			len += nv[a] * nv[a];
		}
		if (len < 1e-12)
			break; /* a single colour, or none: any axis will do */
		len = sqrt(len);
		for (int a = 0; a < 3; a++)
			v[a] = nv[a] / len;
	}
	for (int a = 0; a < 3; a++)
		q->axis[a] = (float)v[a];
}

static inline float axis_key(const struct sixq *q, int r, int g, int b)
{
	return q->axis[0] * r + q->axis[1] * g + q->axis[2] * b;
}

static void nearest_prepare(struct sixq *q)
{
	palette_axis(q);
	/* insertion sort: at most 256 entries, once per frame */
	for (int i = 0; i < q->n; i++) {
		float k = axis_key(q, q->pal[i][0], q->pal[i][1], q->pal[i][2]);
		int j = i;

		while (j > 0 && q->key[j - 1] > k) {
			q->order[j] = q->order[j - 1];
			q->key[j] = q->key[j - 1];
			j--;
		}
		q->order[j] = (unsigned char)i;
		q->key[j] = k;
	}
}

static inline int d2_rgb(const unsigned char *p, int r, int g, int b)
{
	return (p[0] - r) * (p[0] - r) + (p[1] - g) * (p[1] - g) + (p[2] - b) * (p[2] - b);
}

/* The entry nearest to (r, g, b), starting from a guess (-1: none) and searching outwards
 * along the axis until the projection alone is further than the best so far. */
static int nearest_from(const struct sixq *q, int r, int g, int b, int guess)
{
	float k = axis_key(q, r, g, b);
	int lo = 0, hi = q->n, best = 0, bestd = 1 << 30;

	if (guess >= 0) {
		best = guess;
		bestd = d2_rgb(q->pal[guess], r, g, b);
	}
	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (q->key[mid] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int up = lo, down = lo - 1; up < q->n || down >= 0;) {
		int cand, d;
		float dk;

		if (up < q->n && (down < 0 || q->key[up] - k <= k - q->key[down]))
			cand = up++;
		else
			cand = down--;
		dk = q->key[cand] - k;
		if (dk * dk >= (float)bestd)
			break; /* every entry left is further along the axis alone */
		d = d2_rgb(q->pal[q->order[cand]], r, g, b);
		if (d < bestd) {
			bestd = d;
			best = q->order[cand];
		}
	}
	return best;
}

static int nearest(const struct sixq *q, int r, int g, int b)
{
	return nearest_from(q, r, g, b, -1);
}

static int dist2(const unsigned char *p, uint32_t c)
{
	return d2_rgb(p, (int)(c >> 16), (int)((c >> 8) & 0xff), (int)(c & 0xff));
}

/* ---- Building the palette --------------------------------------------------------------- */

/* The working bins: the histogram, less the subsample pixels of the flat colours that have an
 * entry of their own. */
static int work_bins(struct sixq *q)
{
	int n = 0;

	for (int i = 0; i < q->nbins; i++) {
		struct sixq_bin b = q->bins[i];

		for (int k = 0; k < q->nflat; k++) {
			uint32_t c = q->flat[k].rgb, m = q->flat[k].samples;

			if (!q->flat[k].reserved || m == 0 || hist_cell(c) != b.cell)
				continue;
			b.count -= m;
			b.sum[0] -= (double)m * (c >> 16);
			b.sum[1] -= (double)m * ((c >> 8) & 0xff);
			b.sum[2] -= (double)m * (c & 0xff);
		}
		if (b.count > 0)
			q->work[n++] = b;
	}
	return n;
}

/* A first palette with room left for the flat colours shows which of them it would not render
 * exactly: those, most pixels times squared error first, get entries of their own, up to a
 * quarter of the palette. A small palette (the low-bandwidth frames) has few entries to give:
 * up to half of it goes to flat colours that it would render worse than the image's average
 * pixel, the label colours of the overlay, not to a photo's clipped white. */
static int reserve_flat(struct sixq *q, int colors)
{
	int small = colors <= 32, cap = small ? colors / 2 : colors / 4, room, nres = 0;
	double floor = 0;

	room = q->nflat < cap ? q->nflat : cap;
	if (room == 0)
		return 0;
	q->n = 0;
	floor = median_cut(q, work_bins(q), colors - room);
	if (!small)
		floor = 0;
	nearest_prepare(q);
	while (nres < room) {
		double best = 0;
		int pick = -1;

		for (int k = 0; k < q->nflat; k++) {
			const struct sixq_flat *f = &q->flat[k];
			int d;

			if (f->reserved)
				continue;
			d = dist2(
			    q->pal[nearest(q, f->rgb >> 16, (f->rgb >> 8) & 0xff, f->rgb & 0xff)],
			    f->rgb);
			if (d > floor && (double)f->count * d > best) {
				best = (double)f->count * d;
				pick = k;
			}
		}
		if (pick < 0)
			break;
		q->flat[pick].reserved = 1;
		nres++;
	}
	return nres;
}

/* The reserved flat colours first, then the median cut of the rest; every flat colour then
 * knows its entry (its own, or the nearest). */
static void palette_build(struct sixq *q, int colors)
{
	int nres = reserve_flat(q, colors);

	q->n = 0;
	for (int k = 0; k < q->nflat; k++) {
		struct sixq_flat *f = &q->flat[k];

		if (!f->reserved)
			continue;
		f->index = q->n;
		q->pal[q->n][0] = f->rgb >> 16;
		q->pal[q->n][1] = (f->rgb >> 8) & 0xff;
		q->pal[q->n][2] = f->rgb & 0xff;
		q->n++;
	}
	memset(q->seed, 0xff, HIST_CELLS * sizeof *q->seed);
	median_cut(q, work_bins(q), colors - nres); /* at least one entry: the image has pixels */
	nearest_prepare(q);
	for (int i = 0; i < q->n; i++) {
		q->pr[i] = q->pal[i][0];
		q->pg[i] = q->pal[i][1];
		q->pb[i] = q->pal[i][2];
	}
	for (int k = 0; k < q->nflat; k++) {
		struct sixq_flat *f = &q->flat[k];

		if (!f->reserved)
			f->index = nearest(q, f->rgb >> 16, (f->rgb >> 8) & 0xff, f->rgb & 0xff);
	}
}

int sixq_new(const struct image *img, int colors, struct sixq **qp, struct err *err)
{
	struct sixq *q = calloc(1, sizeof *q);

	*qp = NULL;
	if (q == NULL)
		return err_set(err, "sixel: out of memory");
	colors = colors < 2 ? 2 : colors > SIXQ_MAX_COLORS ? SIXQ_MAX_COLORS : colors;
	q->img = img;
	q->lut = calloc(LUT_CELLS, sizeof *q->lut);
	q->seed = malloc(HIST_CELLS * sizeof *q->seed);
	if (q->lut == NULL || q->seed == NULL) {
		sixq_free(&q);
		return err_set(err, "sixel: out of memory");
	}
	if (flat_find_all(q, err) < 0 || hist_build(q, err) < 0) {
		sixq_free(&q);
		return -1;
	}
	palette_build(q, colors);
	q->slack = SIXQ_SLACK;
	*qp = q;
	return 0;
}

int sixq_fork(const struct sixq *q, struct sixq **copy, struct err *err)
{
	struct sixq *c = malloc(sizeof *c);

	*copy = NULL;
	if (c == NULL)
		return err_set(err, "sixel: out of memory");
	*c = *q;
	/* only the table is written while mapping; seed is read, the rest is not used */
	c->bins = c->work = c->tmp = NULL;
	c->forked = 1;
	c->lut = malloc(LUT_CELLS * sizeof *c->lut);
	if (c->lut == NULL) {
		free(c);
		return err_set(err, "sixel: out of memory");
	}
	memcpy(c->lut, q->lut, LUT_CELLS * sizeof *c->lut);
	*copy = c;
	return 0;
}

void sixq_free(struct sixq **qp)
{
	struct sixq *q = *qp;

	if (q == NULL)
		return;
	free(q->lut);
	if (!q->forked)
		free(q->seed);
	free(q->bins);
	free(q->work);
	free(q->tmp);
	free(q);
	*qp = NULL;
}

int sixq_ncolors(const struct sixq *q)
{
	return q->n;
}

const unsigned char *sixq_palette(const struct sixq *q)
{
	return &q->pal[0][0];
}

/* A cell's nearest entry (to its centre), found on the cell's first use. */
static uint16_t lut_fill(struct sixq *q, unsigned cell)
{
	const int s = 8 - SIXQ_LUT_BITS, b = SIXQ_LUT_BITS, half = (1 << s) >> 1;
	const unsigned mask = (1u << b) - 1;
	int r = (int)(cell >> (2 * b)) << s | half, g = (int)((cell >> b) & mask) << s | half;
	int bl = (int)(cell & mask) << s | half;
	uint16_t seed = q->seed[hist_cell((uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)bl)];
	int n = nearest_from(q, r, g, bl, seed == 0xffff ? -1 : seed);

	q->lut[cell] = (uint16_t)((q->lut[cell] & LUT_FLAT) | LUT_FILLED | n);
	return q->lut[cell];
}

/* The palette unpacked, for the per-pixel loop; local copies, since stores to the output
 * bytes could alias anything the compiler would otherwise reload. */
struct sixq_pal {
	const int *r, *g, *b;
	int slack;
};

static inline int pal_d2(const struct sixq_pal *pl, unsigned e, int r, int g, int b)
{
	int dr = pl->r[e] - r, dg = pl->g[e] - g, db = pl->b[e] - b;

	return dr * dr + dg * dg + db * db;
}

/* The pixel's nearest entry n differs from its left neighbour's: keeps the left or the upper
 * neighbour's entry instead when that costs less than `slack` more squared error for each
 * neighbour it then matches. Fewer colour changes along the rows and down the six rows of a
 * band are what make sixel bytes few; the added error stays under twice the slack. */
static inline unsigned choose(const struct sixq_pal *pl, const unsigned char *p, unsigned n,
                              unsigned left, const unsigned char *above)
{
	int r = p[0], g = p[1], b = p[2], dn, dl, du;
	unsigned up;

	if (above == NULL) {
		dn = pal_d2(pl, n, r, g, b);
		dl = pal_d2(pl, left, r, g, b);
		return dl < dn + pl->slack ? left : n;
	}
	up = *above;
	if (up == n)
		return n;
	dn = pal_d2(pl, n, r, g, b);
	dl = pal_d2(pl, left, r, g, b);
	if (up == left)
		return dl < dn + 2 * pl->slack ? left : n;
	du = pal_d2(pl, up, r, g, b);
	if (dl <= du)
		return dl < dn + pl->slack ? left : n;
	return du < dn + pl->slack ? up : n;
}

/* One row. A pixel equal to its left neighbour takes the same entry; a flat colour takes its
 * own whatever its neighbours; any other pixel its cell's nearest entry or, through choose(),
 * a neighbour's. */
static void map_row(struct sixq *q, const unsigned char *p, const unsigned char *above,
                    unsigned char *restrict out)
{
	const int w = q->img->w, s = 8 - SIXQ_LUT_BITS, b = SIXQ_LUT_BITS;
	const struct sixq_pal pl = {q->pr, q->pg, q->pb, q->slack};
	uint16_t *lut = q->lut;
	uint32_t prev = 0xffffffff;
	unsigned last = 0x100;

	for (int x = 0; x < w; x++, p += 3) {
		uint32_t c = px_rgb(p);
		unsigned cell, k;
		uint16_t e;

		if (c == prev) { /* a run of one colour stays one entry */
			out[x] = (unsigned char)last;
			continue;
		}
		prev = c;
		cell = (c >> (16 + s)) << (2 * b) | ((c >> (8 + s)) & ((1u << b) - 1)) << b |
		       ((c & 0xff) >> s);
		e = lut[cell];
		if (__builtin_expect((e & (LUT_FILLED | LUT_FLAT)) != LUT_FILLED, 0)) {
			int f = (e & LUT_FLAT) ? flat_find(q, c) : -1;

			if (f >= 0) {
				last = (unsigned)q->flat[f].index;
				out[x] = (unsigned char)last;
				continue;
			}
			if (!(e & LUT_FILLED))
				e = lut_fill(q, cell);
		}
		k = e & 0xff;
		if (k != last && last <= 0xff && pl.slack > 0)
			k = choose(&pl, p, k, last, above != NULL ? above + x : NULL);
		out[x] = (unsigned char)k;
		last = k;
	}
}

void sixq_map_rows(struct sixq *q, int y0, int n, unsigned char *idx)
{
	const int w = q->img->w;

	for (int r = 0; r < n; r++)
		map_row(q, q->img->rgb + ((size_t)y0 + r) * w * 3,
		        r > 0 ? idx + (size_t)(r - 1) * w : NULL, idx + (size_t)r * w);
}
