/* The demo painter (see paint.h): paths, an anti-aliased scanline filler, gradients and glows. */
#include "demo/paint.h"
#include "core/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Sub-scanlines per pixel row: enough for smooth edges, cheap enough for 12-megapixel scenes. */
#define FILL_SUBROWS 4

struct fill_edge {
	double x0;
	double y0;
	double y1;
	double dxdy;
	int dir;
};

struct fill_cross {
	double x;
	int dir;
};

int paint_canvas_init(struct canvas *cv, int w, int h, struct err *err)
{
	memset(cv, 0, sizeof *cv);
	if (w <= 0 || h <= 0 || w > PAINT_MAX_SIDE || h > PAINT_MAX_SIDE)
		return err_set(err, "demo canvas size %dx%d is out of range", w, h);
	cv->px = malloc((size_t)w * (size_t)h * 3);
	cv->cov = calloc((size_t)w + 2, sizeof *cv->cov);
	cv->dif = calloc((size_t)w + 2, sizeof *cv->dif);
	cv->row_a = calloc((size_t)w + 2, sizeof *cv->row_a);
	cv->row_b = calloc((size_t)w + 2, sizeof *cv->row_b);
	if (cv->px == NULL || cv->cov == NULL || cv->dif == NULL || cv->row_a == NULL ||
	    cv->row_b == NULL) {
		paint_canvas_free(cv);
		return err_set(err, "out of memory for a %dx%d demo image", w, h);
	}
	cv->w = w;
	cv->h = h;
	memset(cv->px, 0, (size_t)w * (size_t)h * 3);
	return 0;
}

void paint_canvas_free(struct canvas *cv)
{
	free(cv->px);
	free(cv->cov);
	free(cv->dif);
	free(cv->row_a);
	free(cv->row_b);
	memset(cv, 0, sizeof *cv);
}

static int clamp255(double v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (int)(v + 0.5);
}

uint32_t paint_mix(uint32_t a, uint32_t b, double t)
{
	uint32_t out = 0;

	for (int shift = 16; shift >= 0; shift -= 8) {
		double ca = (a >> shift) & 0xff, cb = (b >> shift) & 0xff;
		out |= (uint32_t)clamp255(ca + (cb - ca) * t) << shift;
	}
	return out;
}

uint32_t paint_shade(uint32_t c, double f)
{
	return f < 0 ? paint_mix(c, 0x000000, -f) : paint_mix(c, 0xffffff, f);
}

void path_init(struct path *p)
{
	p->n = 0;
	p->nparts = 0;
}

static int path_start(const struct path *p)
{
	return p->nparts > 0 ? p->ends[p->nparts - 1] : 0;
}

void path_add(struct path *p, double x, double y)
{
	/* a full path drops further points: the shape is clipped, nothing is overrun */
	if (p->n >= PATH_MAX_POINTS || p->nparts >= PATH_MAX_PARTS)
		return;
	p->pts[p->n].x = x;
	p->pts[p->n].y = y;
	p->n++;
}

void path_close(struct path *p)
{
	if (p->nparts >= PATH_MAX_PARTS)
		return;
	if (p->n - path_start(p) < 3) {
		p->n = path_start(p);
		return;
	}
	p->ends[p->nparts++] = p->n;
}

double path_area(const struct path *p, int part)
{
	int a = part > 0 ? p->ends[part - 1] : 0, b = p->ends[part];
	double sum = 0;

	for (int i = a; i < b; i++) {
		const struct point *u = &p->pts[i], *v = &p->pts[i + 1 < b ? i + 1 : a];
		sum += u->x * v->y - v->x * u->y;
	}
	return sum / 2;
}

void path_orient_last(struct path *p, int hole)
{
	int part = p->nparts - 1, a, b;

	if (part < 0)
		return;
	a = part > 0 ? p->ends[part - 1] : 0;
	b = p->ends[part];
	if ((path_area(p, part) < 0) == !hole)
		for (int i = a, j = b - 1; i < j; i++, j--) {
			struct point t = p->pts[i];
			p->pts[i] = p->pts[j];
			p->pts[j] = t;
		}
}

void path_rect(struct path *p, double x0, double y0, double x1, double y1)
{
	path_add(p, x0, y0);
	path_add(p, x1, y0);
	path_add(p, x1, y1);
	path_add(p, x0, y1);
	path_close(p);
	path_orient_last(p, 0);
}

/* Enough segments that the chord never strays a visible fraction of a pixel. */
static int ellipse_segments(double r)
{
	int n = (int)ceil(sqrt(fabs(r)) * 5.0);

	return n < 12 ? 12 : n > 160 ? 160 : n;
}

void path_ellipse(struct path *p, double cx, double cy, double rx, double ry, double angle,
                  int hole)
{
	int n = ellipse_segments(fmax(rx, ry));
	double ca = cos(angle), sa = sin(angle);

	for (int i = 0; i < n; i++) {
		double t = 2 * M_PI * i / n, ex = rx * cos(t), ey = ry * sin(t);
		path_add(p, cx + ex * ca - ey * sa, cy + ex * sa + ey * ca);
	}
	path_close(p);
	path_orient_last(p, hole);
}

void path_segment(struct path *p, double x0, double y0, double x1, double y1, double width)
{
	double dx = x1 - x0, dy = y1 - y0, len = hypot(dx, dy), nx, ny;

	if (len <= 0)
		return;
	nx = -dy / len * width / 2;
	ny = dx / len * width / 2;
	path_add(p, x0 + nx, y0 + ny);
	path_add(p, x1 + nx, y1 + ny);
	path_add(p, x1 - nx, y1 - ny);
	path_add(p, x0 - nx, y0 - ny);
	path_close(p);
	path_orient_last(p, 0);
}

static int fill_edges(const struct path *p, struct fill_edge *edges, double *ymin, double *ymax)
{
	int n = 0, a = 0;

	*ymin = INFINITY;
	*ymax = -INFINITY;
	for (int part = 0; part < p->nparts; a = p->ends[part++]) {
		int b = p->ends[part];
		for (int i = a; i < b; i++) {
			struct point u = p->pts[i], v = p->pts[i + 1 < b ? i + 1 : a];
			int dir = 1;
			if (u.y == v.y || !isfinite(u.x + u.y + v.x + v.y))
				continue;
			if (u.y > v.y) {
				struct point t = u;
				u = v;
				v = t;
				dir = -1;
			}
			edges[n] =
			    (struct fill_edge){u.x, u.y, v.y, (v.x - u.x) / (v.y - u.y), dir};
			*ymin = fmin(*ymin, u.y);
			*ymax = fmax(*ymax, v.y);
			n++;
		}
	}
	return n;
}

/* Adds the coverage of the span [xa, xb) of one sub-row, weight k, into the scratch rows. */
static void fill_span(struct canvas *cv, double xa, double xb, float k, int *lo, int *hi)
{
	int ia, ib;

	xa = fmax(xa, 0);
	xb = fmin(xb, cv->w);
	if (xb <= xa)
		return;
	ia = (int)xa;
	ib = (int)xb;
	if (ia == ib) {
		cv->cov[ia] += (float)(xb - xa) * k;
	} else {
		cv->cov[ia] += (float)(ia + 1 - xa) * k;
		cv->dif[ia + 1] += k;
		cv->dif[ib] -= k;
		cv->cov[ib] += (float)(xb - ib) * k;
	}
	if (ia < *lo)
		*lo = ia;
	if (ib + 1 > *hi)
		*hi = ib + 1;
}

static void fill_subrow(struct canvas *cv, const struct fill_edge *edges, int nedges, double ys,
                        struct fill_cross *cross, int *lo, int *hi)
{
	int n = 0, wind = 0;
	double start = 0;

	for (int i = 0; i < nedges; i++) {
		const struct fill_edge *e = &edges[i];
		if (ys < e->y0 || ys >= e->y1)
			continue;
		struct fill_cross c = {e->x0 + (ys - e->y0) * e->dxdy, e->dir};
		int j = n++;
		for (; j > 0 && cross[j - 1].x > c.x; j--)
			cross[j] = cross[j - 1];
		cross[j] = c;
	}
	for (int i = 0; i < n; i++) {
		int was = wind;
		wind += cross[i].dir;
		if (was == 0 && wind != 0)
			start = cross[i].x;
		else if (was != 0 && wind == 0)
			fill_span(cv, start, cross[i].x, 1.0f / FILL_SUBROWS, lo, hi);
	}
}

/* Blends the accumulated coverage of one row into the pixels and clears the scratch rows. */
static void fill_blend_row(struct canvas *cv, int y, int lo, int hi, uint32_t c, float alpha)
{
	unsigned char *row = cv->px + (size_t)y * cv->w * 3;
	int r = c >> 16 & 0xff, g = c >> 8 & 0xff, b = c & 0xff, end = hi < cv->w ? hi : cv->w;
	float run = 0, scale = alpha * 256;

	for (int x = lo; x < end; x++) {
		unsigned char *p = row + (size_t)x * 3;
		float cov;
		int k;
		run += cv->dif[x];
		cov = run + cv->cov[x];
		cv->dif[x] = 0;
		cv->cov[x] = 0;
		k = (int)((cov > 1 ? 1 : cov) * scale + 0.5f);
		if (k >= 256) {
			p[0] = (unsigned char)r;
			p[1] = (unsigned char)g;
			p[2] = (unsigned char)b;
		} else if (k > 0) {
			p[0] = (unsigned char)((r * k + p[0] * (256 - k) + 128) >> 8);
			p[1] = (unsigned char)((g * k + p[1] * (256 - k) + 128) >> 8);
			p[2] = (unsigned char)((b * k + p[2] * (256 - k) + 128) >> 8);
		}
	}
	for (int x = end; x <= hi && x <= cv->w + 1; x++)
		cv->dif[x] = cv->cov[x] = 0;
}

void paint_fill_grad(struct canvas *cv, const struct path *p, uint32_t top, uint32_t bottom,
                     double alpha)
{
	struct fill_edge edges[PATH_MAX_POINTS];
	struct fill_cross cross[PATH_MAX_POINTS];
	double ymin, ymax;
	int nedges = fill_edges(p, edges, &ymin, &ymax);
	int y0, y1;

	if (nedges == 0 || alpha <= 0)
		return;
	y0 = (int)fmax(0, floor(ymin));
	y1 = (int)fmin(cv->h, ceil(ymax));
	for (int y = y0; y < y1; y++) {
		int lo = cv->w, hi = -1;
		for (int s = 0; s < FILL_SUBROWS; s++)
			fill_subrow(cv, edges, nedges, y + (s + 0.5) / FILL_SUBROWS, cross, &lo,
			            &hi);
		if (hi < 0)
			continue;
		double t = ymax > ymin ? (y + 0.5 - ymin) / (ymax - ymin) : 0;
		uint32_t c = top == bottom ? top : paint_mix(top, bottom, t);
		fill_blend_row(cv, y, lo, hi, c, (float)(alpha > 1 ? 1 : alpha));
	}
}

void paint_fill(struct canvas *cv, const struct path *p, uint32_t c, double alpha)
{
	paint_fill_grad(cv, p, c, c, alpha);
}

void paint_polygon(struct canvas *cv, const struct point *pts, int n, uint32_t c, double alpha)
{
	struct path p;

	path_init(&p);
	for (int i = 0; i < n; i++)
		path_add(&p, pts[i].x, pts[i].y);
	path_close(&p);
	paint_fill(cv, &p, c, alpha);
}

void paint_rect(struct canvas *cv, double x0, double y0, double x1, double y1, uint32_t c,
                double alpha)
{
	struct path p;

	path_init(&p);
	path_rect(&p, x0, y0, x1, y1);
	paint_fill(cv, &p, c, alpha);
}

void paint_ellipse(struct canvas *cv, double cx, double cy, double rx, double ry, uint32_t c,
                   double alpha)
{
	struct path p;

	path_init(&p);
	path_ellipse(&p, cx, cy, rx, ry, 0, 0);
	paint_fill(cv, &p, c, alpha);
}

void paint_stroke(struct canvas *cv, const struct point *pts, int n, double width, uint32_t c,
                  double alpha)
{
	struct path p;

	/* one path for the whole line, so that joins are not blended twice */
	path_init(&p);
	for (int i = 0; i + 1 < n; i++)
		path_segment(&p, pts[i].x, pts[i].y, pts[i + 1].x, pts[i + 1].y, width);
	for (int i = 0; i < n; i++)
		path_ellipse(&p, pts[i].x, pts[i].y, width / 2, width / 2, 0, 0);
	paint_fill(cv, &p, c, alpha);
}

void paint_line(struct canvas *cv, double x0, double y0, double x1, double y1, double width,
                uint32_t c, double alpha)
{
	struct point pts[2] = {{x0, y0}, {x1, y1}};

	paint_stroke(cv, pts, 2, width, c, alpha);
}

void paint_vgradient(struct canvas *cv, double y0, double y1, uint32_t top, uint32_t bottom)
{
	int a = (int)fmax(0, floor(y0)), b = (int)fmin(cv->h, ceil(y1));

	for (int y = a; y < b; y++) {
		uint32_t c = paint_mix(top, bottom, y1 > y0 ? (y + 0.5 - y0) / (y1 - y0) : 0);
		unsigned char *row = cv->px + (size_t)y * cv->w * 3;
		for (int x = 0; x < cv->w; x++) {
			row[3 * x] = (unsigned char)(c >> 16);
			row[3 * x + 1] = (unsigned char)(c >> 8);
			row[3 * x + 2] = (unsigned char)c;
		}
	}
}

void paint_glow(struct canvas *cv, double cx, double cy, double r, uint32_t c, double strength)
{
	int x0 = (int)fmax(0, cx - r), x1 = (int)fmin(cv->w, cx + r + 1);
	int y0 = (int)fmax(0, cy - r), y1 = (int)fmin(cv->h, cy + r + 1);
	double add[3] = {(c >> 16 & 0xff) * strength, (c >> 8 & 0xff) * strength,
	                 (c & 0xff) * strength};

	if (r <= 0)
		return;
	for (int y = y0; y < y1; y++) {
		double dy = (y + 0.5 - cy) / r;
		unsigned char *p = cv->px + ((size_t)y * cv->w + x0) * 3;
		for (int x = x0; x < x1; x++, p += 3) {
			double dx = (x + 0.5 - cx) / r, d = 1 - (dx * dx + dy * dy);
			if (d <= 0)
				continue;
			d *= d;
			for (int k = 0; k < 3; k++)
				p[k] = (unsigned char)clamp255(p[k] + add[k] * d);
		}
	}
}

void paint_shadow(struct canvas *cv, double cx, double cy, double rx, double ry, double strength)
{
	int x0 = (int)fmax(0, cx - rx), x1 = (int)fmin(cv->w, cx + rx + 1);
	int y0 = (int)fmax(0, cy - ry), y1 = (int)fmin(cv->h, cy + ry + 1);

	if (rx <= 0 || ry <= 0)
		return;
	for (int y = y0; y < y1; y++) {
		double dy = (y + 0.5 - cy) / ry;
		unsigned char *p = cv->px + ((size_t)y * cv->w + x0) * 3;
		for (int x = x0; x < x1; x++, p += 3) {
			double dx = (x + 0.5 - cx) / rx, d = 1 - (dx * dx + dy * dy);
			int keep;
			if (d <= 0)
				continue;
			keep = (int)(256 * (1 - strength * sqrt(d)));
			p[0] = (unsigned char)(p[0] * keep >> 8);
			p[1] = (unsigned char)(p[1] * keep >> 8);
			p[2] = (unsigned char)(p[2] * keep >> 8);
		}
	}
}
