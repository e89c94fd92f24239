/* Clipped pixel primitives (see draw.h). */
#include "render/draw.h"
#include "render/render.h"

#include <math.h>

int draw_pixel_index(double v)
{
	if (!(v > -DRAW_COORD_LIMIT))
		return (int)-DRAW_COORD_LIMIT;
	if (v > DRAW_COORD_LIMIT)
		return (int)DRAW_COORD_LIMIT;
	return (int)floor(v);
}

/* Clamps a half-open range to [0, n); returns 0 when nothing is left. */
static int clip_range(int *a, int *b, int n)
{
	if (*a < 0)
		*a = 0;
	if (*b > n)
		*b = n;
	return *a < *b;
}

void draw_fill_rect(struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb)
{
	unsigned char r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	if (!clip_range(&x0, &x1, img->w) || !clip_range(&y0, &y1, img->h))
		return;
	for (int y = y0; y < y1; y++) {
		unsigned char *p = img->rgb + ((size_t)y * img->w + x0) * 3;
		for (int x = x0; x < x1; x++, p += 3) {
			p[0] = r;
			p[1] = g;
			p[2] = b;
		}
	}
}

void draw_blend_rect(struct image *img, int x0, int y0, int x1, int y1, uint32_t rgb, int alpha)
{
	int a = alpha < 0 ? 0 : alpha > 255 ? 255 : alpha;
	int cr = (int)(rgb >> 16 & 0xff) * a, cg = (int)(rgb >> 8 & 0xff) * a,
	    cb = (int)(rgb & 0xff) * a;
	int keep = 255 - a;

	if (a == 0 || !clip_range(&x0, &x1, img->w) || !clip_range(&y0, &y1, img->h))
		return;
	for (int y = y0; y < y1; y++) {
		unsigned char *p = img->rgb + ((size_t)y * img->w + x0) * 3;
		for (int x = x0; x < x1; x++, p += 3) {
			p[0] = (unsigned char)((cr + p[0] * keep + 127) / 255);
			p[1] = (unsigned char)((cg + p[1] * keep + 127) / 255);
			p[2] = (unsigned char)((cb + p[2] * keep + 127) / 255);
		}
	}
}

/* Liang-Barsky: narrows [t0, t1] to the part of the segment where p * t <= q holds. */
static int clip_edge(double p, double q, double *t0, double *t1)
{
	double t;

	if (p == 0)
		return q >= 0;
	t = q / p;
	if (p < 0) {
		if (t > *t1)
			return 0;
		if (t > *t0)
			*t0 = t;
	} else {
		if (t < *t0)
			return 0;
		if (t < *t1)
			*t1 = t;
	}
	return 1;
}

/* Clips the segment to the rectangle [lo_x, hi_x] x [lo_y, hi_y]; 0 when nothing is left. */
static int clip_segment(double *x0, double *y0, double *x1, double *y1, double lo_x, double lo_y,
                        double hi_x, double hi_y)
{
	double dx = *x1 - *x0, dy = *y1 - *y0, t0 = 0, t1 = 1;

	if (!isfinite(dx) || !isfinite(dy))
		return 0;
	if (!clip_edge(-dx, *x0 - lo_x, &t0, &t1) || !clip_edge(dx, hi_x - *x0, &t0, &t1) ||
	    !clip_edge(-dy, *y0 - lo_y, &t0, &t1) || !clip_edge(dy, hi_y - *y0, &t0, &t1))
		return 0;
	*x1 = *x0 + t1 * dx;
	*y1 = *y0 + t1 * dy;
	*x0 += t0 * dx;
	*y0 += t0 * dy;
	return 1;
}

void draw_line(struct image *img, double x0, double y0, double x1, double y1, int width,
               uint32_t rgb)
{
	int ax, ay, bx, by, dx, dy, sx, sy, e, lo = (width - 1) / 2; /* Bresenham state */
	double margin = width + 2.0;

	if (width < 1 || !isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	/* Clipping first keeps the walk short and the int conversions in range. */
	if (!clip_segment(&x0, &y0, &x1, &y1, -margin, -margin, img->w + margin, img->h + margin))
		return;
	ax = draw_pixel_index(x0), ay = draw_pixel_index(y0);
	bx = draw_pixel_index(x1), by = draw_pixel_index(y1);
	dx = bx > ax ? bx - ax : ax - bx, sx = ax < bx ? 1 : -1;
	dy = by > ay ? ay - by : by - ay, sy = ay < by ? 1 : -1;
	e = dx + dy;
	for (;;) {
		int e2 = 2 * e;
		draw_fill_rect(img, ax - lo, ay - lo, ax - lo + width, ay - lo + width, rgb);
		if (ax == bx && ay == by)
			break;
		if (e2 >= dy) {
			e += dy;
			ax += sx;
		}
		if (e2 <= dx) {
			e += dx;
			ay += sy;
		}
	}
}

/* One edge of a frame as a run along x (horizontal) or y, solid or dashed. */
static void frame_run(struct image *img, int from, int to, int across, int width, int dash,
                      int horizontal, uint32_t rgb)
{
	int gap = dash * 2 / 3 > 0 ? dash * 2 / 3 : 1, period = dash + gap;

	if (dash <= 0) {
		dash = to - from;
		period = dash + 1;
	} else if (from < -period) {
		/* skip whole periods left of the image instead of walking them */
		from += (-from / period - 1) * period;
	}
	for (int s = from; s < to; s += period) {
		int e = s + dash < to ? s + dash : to;
		int limit = horizontal ? img->w : img->h;
		if (s >= limit)
			break;
		if (horizontal)
			draw_fill_rect(img, s, across, e, across + width, rgb);
		else
			draw_fill_rect(img, across, s, across + width, e, rgb);
	}
}

void draw_frame(struct image *img, int x0, int y0, int x1, int y1, int width, int dash,
                uint32_t rgb)
{
	int lo = (width - 1) / 2;

	if (width < 1)
		return;
	if (x1 < x0 || y1 < y0)
		return;
	frame_run(img, x0 - lo, x1 - lo + width, y0 - lo, width, dash, 1, rgb);
	frame_run(img, x0 - lo, x1 - lo + width, y1 - lo, width, dash, 1, rgb);
	frame_run(img, y0 - lo + width, y1 - lo, x0 - lo, width, dash, 0, rgb);
	frame_run(img, y0 - lo + width, y1 - lo, x1 - lo, width, dash, 0, rgb);
}

void draw_disc(struct image *img, int cx, int cy, int radius, uint32_t rgb)
{
	double rr = (double)radius * radius + radius;

	if (radius < 0)
		return;
	for (int dy = -radius; dy <= radius; dy++) {
		int half = (int)sqrt(rr - (double)dy * dy);
		draw_fill_rect(img, cx - half, cy + dy, cx + half + 1, cy + dy + 1, rgb);
	}
}

int draw_luma(uint32_t rgb)
{
	int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	return (299 * r + 587 * g + 114 * b + 500) / 1000;
}
