/* Segmentation masks at the frame's scale (see mask.h): the runs are walked once, each set run
 * marking the frame pixels whose centres fall on it, so the cost follows the runs and the
 * pixels covered, not the mask's full resolution. */
#include "render/mask.h"
#include "render/draw.h"
#include "render/render.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Frame pixels whose centres lie in [a, b) (frame coordinates), clipped to [lo, hi). */
static void centre_span(double a, double b, int lo, int hi, int *p0, int *p1)
{
	double s = ceil(a - 0.5), e = ceil(b - 0.5);

	*p0 = s < lo ? lo : s > hi ? hi : (int)s;
	*p1 = e < lo ? lo : e > hi ? hi : (int)e;
}

/* The frame region the mask's box lands on, a pixel wider each way for the rounding, clipped
 * to the frame. */
static int mask_region(const struct render_mask *m, const struct overlay_style *st, int img_w,
                       int img_h, struct mask_raster *r)
{
	double xa = (m->box.x - st->offset_x) * st->scale_x;
	double xb = (m->box.x + m->box.w - st->offset_x) * st->scale_x;
	double ya = (m->box.y - st->offset_y) * st->scale_y;
	double yb = (m->box.y + m->box.h - st->offset_y) * st->scale_y;
	int x0, x1, y0, y1;

	if (!(m->box.w > 0 && m->box.h > 0) || !isfinite(xa) || !isfinite(xb) || !isfinite(ya) ||
	    !isfinite(yb))
		return -1;
	x0 = draw_pixel_index(xa) - 1, x1 = draw_pixel_index(ceil(xb)) + 1;
	y0 = draw_pixel_index(ya) - 1, y1 = draw_pixel_index(ceil(yb)) + 1;
	x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > img_w ? img_w : x1, y1 = y1 > img_h ? img_h : y1;
	if (x1 <= x0 || y1 <= y0)
		return -1;
	*r = (struct mask_raster){x0, y0, x1 - x0, y1 - y0, NULL};
	return 0;
}

/* Marks the frame pixels over rows [r0, r1) of mask column c. */
static void mark_run(const struct render_mask *m, const struct overlay_style *st,
                     struct mask_raster *r, int64_t c, int64_t r0, int64_t r1)
{
	int fx0, fx1, fy0, fy1;

	centre_span(((double)c * m->scale_x - st->offset_x) * st->scale_x,
	            ((double)(c + 1) * m->scale_x - st->offset_x) * st->scale_x, r->x0,
	            r->x0 + r->w, &fx0, &fx1);
	if (fx0 >= fx1)
		return; /* a column between two pixel centres (a downscale) */
	centre_span(((double)r0 * m->scale_y - st->offset_y) * st->scale_y,
	            ((double)r1 * m->scale_y - st->offset_y) * st->scale_y, r->y0, r->y0 + r->h,
	            &fy0, &fy1);
	for (int y = fy0; y < fy1; y++)
		memset(r->on + (size_t)(y - r->y0) * r->w + (fx0 - r->x0), 1, (size_t)(fx1 - fx0));
}

int mask_raster_make(const struct render_mask *m, const struct overlay_style *st, int img_w,
                     int img_h, struct mask_raster *r)
{
	int64_t pos = 0, total;

	memset(r, 0, sizeof *r);
	if (m == NULL || m->counts == NULL || m->w < 1 || m->h < 1 || !(m->scale_x > 0) ||
	    !(m->scale_y > 0) || !(st->scale_x > 0) || !(st->scale_y > 0) ||
	    mask_region(m, st, img_w, img_h, r) < 0)
		return -1;
	if ((r->on = calloc((size_t)r->w * r->h, 1)) == NULL)
		return -1;
	total = m->w * m->h;
	for (size_t i = 0; i < m->n && pos < total; pos += m->counts[i], i++) {
		int64_t start = pos, end = pos + m->counts[i];
		if (i % 2 == 0)
			continue; /* even runs are unset pixels */
		end = end > total ? total : end;
		while (start < end) { /* a run may go on into the next columns */
			int64_t c = start / m->h, r0 = start % m->h;
			int64_t r1 = r0 + (end - start) < m->h ? r0 + (end - start) : m->h;
			mark_run(m, st, r, c, r0, r1);
			start += r1 - r0;
		}
	}
	return 0;
}

void mask_raster_free(struct mask_raster *r)
{
	free(r->on);
	memset(r, 0, sizeof *r);
}

void mask_raster_fill(struct image *img, const struct mask_raster *r, uint32_t rgb, int alpha)
{
	for (int y = 0; y < r->h; y++) {
		const unsigned char *row = r->on + (size_t)y * r->w;
		for (int x = 0; x < r->w;) {
			int x1;
			if (!row[x]) {
				x++;
				continue;
			}
			for (x1 = x; x1 < r->w && row[x1]; x1++)
				;
			draw_blend_rect(img, r->x0 + x, r->y0 + y, r->x0 + x1, r->y0 + y + 1, rgb,
			                alpha);
			x = x1;
		}
	}
}

/* Whether frame pixel (x, y) of the region is covered; beyond the frame counts as covered, so
 * that a mask cut by the picture's edge gets no outline along it. */
static int raster_on(const struct mask_raster *r, int img_w, int img_h, int x, int y)
{
	if (x < 0 || y < 0 || x >= img_w || y >= img_h)
		return 1;
	x -= r->x0, y -= r->y0;
	if (x < 0 || y < 0 || x >= r->w || y >= r->h)
		return 0;
	return r->on[(size_t)y * r->w + x];
}

/* Whether the covered pixel at (x, y) of the region borders an uncovered one (4-neighbours);
 * away from the region's edge the neighbours are read directly. */
static int raster_edge(const struct mask_raster *r, int img_w, int img_h, int x, int y)
{
	const unsigned char *p = r->on + (size_t)y * r->w + x;

	if (x > 0 && y > 0 && x + 1 < r->w && y + 1 < r->h)
		return !(p[-1] && p[1] && p[-r->w] && p[r->w]);
	x += r->x0, y += r->y0;
	return !(raster_on(r, img_w, img_h, x - 1, y) && raster_on(r, img_w, img_h, x + 1, y) &&
	         raster_on(r, img_w, img_h, x, y - 1) && raster_on(r, img_w, img_h, x, y + 1));
}

void mask_raster_outline(struct image *img, const struct mask_raster *r, int width, uint32_t rgb)
{
	int lo = (width - 1) / 2, hi = width - lo;

	for (int y = 0; y < r->h; y++)
		for (int x = 0; x < r->w; x++) {
			if (!r->on[(size_t)y * r->w + x] || !raster_edge(r, img->w, img->h, x, y))
				continue;
			draw_fill_rect(img, r->x0 + x - lo, r->y0 + y - lo, r->x0 + x + hi,
			               r->y0 + y + hi, rgb);
		}
}
