/* The overlay rasteriser: boxes, polygons (even-odd fill, so holes stay open), masks, lines,
 * points, classification badges, captions and selection handles, and the editing marks (active
 * handle or vertex, crosshair, a shape being drawn), drawn onto an RGB image and clipped to it
 * whatever the coordinates. */
#include "core/model.h"
#include "render/draw.h"
#include "render/font.h"
#include "render/mask.h"
#include "render/render.h"

#include <math.h>
#include <stdlib.h>

/* Mapped coordinates are kept within this, so that products of two stay finite; anything this
 * far out is off any image. */
#define OVERLAY_FAR   1e9
#define OVERLAY_DARK  0x101010
#define OVERLAY_LIGHT 0xf4f4f4

struct overlay_ctx {
	struct image *img;
	struct overlay_style style;
	int lw;                                 /* line width of an unselected shape */
	int scale;                              /* text scale */
	int badges;                             /* classification badges drawn so far */
	int side;                               /* the image's shorter side, in pixels */
	const struct overlay_item *items;       /* the items drawn, for mask_of */
	const struct render_mask *const *masks; /* their masks' pixels, or NULL */
	int nitems;
	struct mask_raster *rasters; /* per item, made when first needed */
	unsigned char *raster_made;  /* 0: not yet, 1: made, 2: nothing to draw */
};

/* The index of an item among the items drawn, or -1 (a marks item is not one of them: the
 * addresses are compared as numbers). */
static int item_index(const struct overlay_ctx *c, const struct overlay_item *it)
{
	uintptr_t p = (uintptr_t)it, first = (uintptr_t)c->items;

	if (p < first || p >= first + (uintptr_t)c->nitems * sizeof *it)
		return -1;
	return (int)((p - first) / sizeof *it);
}

/* The pixels of an item's mask, when it is a mask of the items drawn and has them. */
static const struct render_mask *mask_of(const struct overlay_ctx *c, const struct overlay_item *it)
{
	int i = item_index(c, it);

	return c->masks == NULL || it->shape->kind != SHAPE_MASK || i < 0 ? NULL : c->masks[i];
}

/* The mask rasterised at the frame's scale, made once for its fill and its outline; NULL when
 * it has no pixels here or memory is short. */
static const struct mask_raster *raster_of(struct overlay_ctx *c, const struct overlay_item *it)
{
	const struct render_mask *m = mask_of(c, it);
	int i = item_index(c, it);

	if (m == NULL || c->rasters == NULL)
		return NULL;
	if (c->raster_made[i] == 0)
		c->raster_made[i] =
		    mask_raster_make(m, &c->style, c->img->w, c->img->h, &c->rasters[i]) == 0 ? 1
		                                                                              : 2;
	return c->raster_made[i] == 1 ? &c->rasters[i] : NULL;
}

struct bounds {
	int x0, y0, x1, y1; /* inclusive pixel edges */
};

static double overlay_clamp(double v)
{
	return v < -OVERLAY_FAR ? -OVERLAY_FAR : v > OVERLAY_FAR ? OVERLAY_FAR : v;
}

static double map_x(const struct overlay_ctx *c, double x)
{
	return overlay_clamp((x - c->style.offset_x) * c->style.scale_x);
}

static double map_y(const struct overlay_ctx *c, double y)
{
	return overlay_clamp((y - c->style.offset_y) * c->style.scale_y);
}

/* Text on a label colour: black on light colours, white on dark ones. */
static uint32_t ink_of(uint32_t rgb)
{
	return draw_luma(rgb) > 150 ? 0x000000 : 0xffffff;
}

/* The rim around selected shapes and point markers: dark, unless the colour itself is so dark
 * that a dark rim would not separate it from the photo. */
static uint32_t halo_of(uint32_t rgb)
{
	return draw_luma(rgb) < 60 ? OVERLAY_LIGHT : OVERLAY_DARK;
}

/* A shape with a NaN or infinite coordinate cannot be placed: it is skipped whole. Boxes and
 * masks are placed by their box, the other kinds by their points. */
static int shape_is_finite(const struct shape *s)
{
	if (s->kind == SHAPE_BOX || s->kind == SHAPE_MASK)
		return isfinite(s->box.x) && isfinite(s->box.y) && isfinite(s->box.w) &&
		       isfinite(s->box.h);
	for (int i = 0; i < s->npoints; i++)
		if (!isfinite(s->points[i].x) || !isfinite(s->points[i].y))
			return 0;
	return 1;
}

/* Part i of a polygon or line as [*start, *end) in points; 0 when the part table is unusable. */
static int shape_part(const struct shape *s, int i, int *start, int *end)
{
	if (s->nparts <= 0 || s->part_ends == NULL) {
		*start = 0;
		*end = s->npoints;
		return i == 0;
	}
	*start = i == 0 ? 0 : s->part_ends[i - 1];
	*end = s->part_ends[i];
	return *start >= 0 && *start <= *end && *end <= s->npoints;
}

static int shape_nparts(const struct shape *s)
{
	return s->nparts > 0 && s->part_ends != NULL ? s->nparts : 1;
}

/* Pixel edges of a source rectangle: it covers [x, x + w), so its last column is the one
 * before the mapped right side. */
static struct bounds rect_bounds(const struct overlay_ctx *c, const struct rect *r)
{
	struct bounds b;
	double xa = map_x(c, r->x), xb = map_x(c, r->x + r->w);
	double ya = map_y(c, r->y), yb = map_y(c, r->y + r->h);

	b.x0 = draw_pixel_index(fmin(xa, xb));
	b.x1 = draw_pixel_index(ceil(fmax(xa, xb))) - 1;
	b.y0 = draw_pixel_index(fmin(ya, yb));
	b.y1 = draw_pixel_index(ceil(fmax(ya, yb))) - 1;
	if (b.x1 < b.x0)
		b.x1 = b.x0;
	if (b.y1 < b.y0)
		b.y1 = b.y0;
	return b;
}

static struct bounds points_bounds(const struct overlay_ctx *c, const struct shape *s)
{
	struct bounds b = {0, 0, -1, -1};

	for (int i = 0; i < s->npoints; i++) {
		int x = draw_pixel_index(map_x(c, s->points[i].x));
		int y = draw_pixel_index(map_y(c, s->points[i].y));
		if (i == 0 || x < b.x0)
			b.x0 = x;
		if (i == 0 || x > b.x1)
			b.x1 = x;
		if (i == 0 || y < b.y0)
			b.y0 = y;
		if (i == 0 || y > b.y1)
			b.y1 = y;
	}
	return b;
}

/* Grows with the line width, but stays small next to the image: on a picture of a hundred
 * pixels (half-blocks) a point is a dot, not a blot. */
static int point_radius(const struct overlay_ctx *c, int selected)
{
	int r = 2 * c->lw + 1, cap = c->side / 50 > 1 ? c->side / 50 : 1;

	if (r > cap)
		r = cap;
	return r + (selected ? (r > 2 ? 2 : 1) : 0);
}

/* ---- Fills ------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct edge {
	double ax, ay, bx, by; /* image coordinates */
};

/* The edges of every usable part, each part closed, mapped once. Returns NULL (and *n = 0)
 * when there are none or memory is short. */
static struct edge *polygon_edges(const struct overlay_ctx *c, const struct shape *s, int *n)
{
	struct edge *e;
	int total = 0, start, end;

	*n = 0;
	for (int p = 0; p < shape_nparts(s); p++)
		if (shape_part(s, p, &start, &end) && end - start >= 3)
			total +=
			    end - start; /* parts may overlap in a broken table: count them all */
	if (total == 0 || (e = malloc(sizeof *e * (size_t)total)) == NULL)
		return NULL;
	for (int p = 0; p < shape_nparts(s); p++) {
		if (!shape_part(s, p, &start, &end) || end - start < 3)
			continue;
		for (int i = start; i < end; i++) {
			const struct point *a = &s->points[i];
			const struct point *b = &s->points[i + 1 < end ? i + 1 : start];
			e[*n] = (struct edge){map_x(c, a->x), map_y(c, a->y), map_x(c, b->x),
			                      map_y(c, b->y)};
			(*n)++;
		}
	}
	return e;
}

/* Where the scanline at height yc crosses the edges, sorted. */
static int scan_crossings(const struct edge *e, int n, double yc, double *xs)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		if ((e[i].ay <= yc) != (e[i].by <= yc))
			xs[k++] =
			    e[i].ax + (yc - e[i].ay) * (e[i].bx - e[i].ax) / (e[i].by - e[i].ay);
	qsort(xs, (size_t)k, sizeof *xs, cmp_double);
	return k;
}

/* Even-odd scanline fill at pixel centres: a hole (an inner part) is crossed twice and stays
 * unfilled. */
static void fill_polygon(struct overlay_ctx *c, const struct shape *s, uint32_t rgb)
{
	struct bounds b = points_bounds(c, s);
	struct edge *edges = NULL;
	double *xs = NULL;
	int n;

	if (s->npoints < 3 || b.y1 < 0 || b.y0 >= c->img->h)
		return;
	edges = polygon_edges(c, s, &n);
	if (edges == NULL || (xs = malloc(sizeof *xs * (size_t)n)) == NULL)
		goto out; /* the outline still shows the shape */
	b.y0 = b.y0 < 0 ? 0 : b.y0;
	b.y1 = b.y1 >= c->img->h ? c->img->h - 1 : b.y1;
	for (int y = b.y0; y <= b.y1; y++) {
		int k = scan_crossings(edges, n, y + 0.5, xs);
		for (int i = 0; i + 1 < k; i += 2)
			draw_blend_rect(c->img, draw_pixel_index(ceil(xs[i] - 0.5)), y,
			                draw_pixel_index(ceil(xs[i + 1] - 0.5)), y + 1, rgb,
			                c->style.fill_alpha);
	}
out:
	free(edges);
	free(xs);
}

static void overlay_fill(struct overlay_ctx *c, const struct overlay_item *it)
{
	struct bounds b;

	if (c->style.fill_alpha <= 0)
		return;
	if (it->shape->kind == SHAPE_POLYGON) {
		fill_polygon(c, it->shape, it->rgb);
	} else if (it->shape->kind == SHAPE_MASK && mask_of(c, it) != NULL) {
		const struct mask_raster *r = raster_of(c, it);
		if (r != NULL)
			mask_raster_fill(c->img, r, it->rgb, c->style.fill_alpha);
	} else if (it->shape->kind == SHAPE_MASK) {
		b = rect_bounds(c, &it->shape->box);
		draw_blend_rect(c->img, b.x0, b.y0, b.x1 + 1, b.y1 + 1, it->rgb,
		                c->style.fill_alpha);
	}
}

/* ---- Outlines --------------------------------------------------------------------------- */

static void stroke_parts(struct overlay_ctx *c, const struct shape *s, int closed, int width,
                         uint32_t rgb)
{
	for (int p = 0; p < shape_nparts(s); p++) {
		int start, end;
		if (!shape_part(s, p, &start, &end))
			continue;
		for (int i = start; i < end; i++) {
			int j = i + 1 < end ? i + 1 : closed && end - start > 2 ? start : -1;
			const struct point *a = &s->points[i];
			if (j < 0) {
				if (i == start) /* a lone vertex still shows */
					draw_line(c->img, map_x(c, a->x), map_y(c, a->y),
					          map_x(c, a->x), map_y(c, a->y), width, rgb);
				continue;
			}
			draw_line(c->img, map_x(c, a->x), map_y(c, a->y), map_x(c, s->points[j].x),
			          map_y(c, s->points[j].y), width, rgb);
		}
	}
}

/* One stroke pass of a shape at a width and colour (called twice for a selected shape: the
 * dark halo, then the colour over it). */
static void stroke_shape(struct overlay_ctx *c, const struct shape *s, int width, uint32_t rgb)
{
	struct bounds b;

	switch (s->kind) {
	case SHAPE_BOX:
	case SHAPE_MASK:
		b = rect_bounds(c, &s->box);
		draw_frame(c->img, b.x0, b.y0, b.x1, b.y1, width,
		           s->kind == SHAPE_MASK ? 4 * width : 0, rgb);
		break;
	case SHAPE_POLYGON:
	case SHAPE_LINE:
		stroke_parts(c, s, s->kind == SHAPE_POLYGON, width, rgb);
		break;
	default:
		break;
	}
}

static void draw_handle(struct overlay_ctx *c, int x, int y)
{
	int h = c->style.compact ? 0 : c->lw + 2;

	draw_fill_rect(c->img, x - h - 1, y - h - 1, x + h + 2, y + h + 2, OVERLAY_DARK);
	draw_fill_rect(c->img, x - h, y - h, x + h + 1, y + h + 1, OVERLAY_LIGHT);
}

static void draw_handles(struct overlay_ctx *c, const struct shape *s)
{
	struct bounds b;

	if (s->kind == SHAPE_BOX || s->kind == SHAPE_MASK) {
		b = rect_bounds(c, &s->box);
		draw_handle(c, b.x0, b.y0);
		draw_handle(c, b.x1, b.y0);
		draw_handle(c, b.x0, b.y1);
		draw_handle(c, b.x1, b.y1);
	} else if (s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE) {
		for (int i = 0; i < s->npoints; i++)
			draw_handle(c, draw_pixel_index(map_x(c, s->points[i].x)),
			            draw_pixel_index(map_y(c, s->points[i].y)));
	}
}

/* A disc with a rim in the contrasting colour, so that it shows on any photo. */
static void draw_point(struct overlay_ctx *c, const struct overlay_item *it)
{
	const struct shape *s = it->shape;
	int r = point_radius(c, it->selected);
	int x = draw_pixel_index(map_x(c, s->points[0].x));
	int y = draw_pixel_index(map_y(c, s->points[0].y));

	draw_disc(c->img, x, y, r + (it->selected && r > 2 ? 2 : 1), halo_of(it->rgb));
	draw_disc(c->img, x, y, r, it->rgb);
}

/* A mask's outline from its pixels; selected, on a dark rim, with its box (dashed) and the
 * handles that edit the box. */
static void stroke_mask(struct overlay_ctx *c, const struct overlay_item *it)
{
	const struct mask_raster *r = raster_of(c, it);
	int extra = c->style.compact ? 0 : 2;

	if (r != NULL) {
		if (it->selected)
			mask_raster_outline(c->img, r,
			                    c->lw + 2 * extra + (c->style.compact ? 2 : 0),
			                    halo_of(it->rgb));
		mask_raster_outline(c->img, r, c->lw + (it->selected ? extra : 0), it->rgb);
	}
	if (!it->selected)
		return;
	stroke_shape(c, it->shape, c->lw, it->rgb);
	draw_handles(c, it->shape);
}

static void overlay_stroke(struct overlay_ctx *c, const struct overlay_item *it)
{
	const struct shape *s = it->shape;

	if (s->kind == SHAPE_CLASSIFICATION)
		return;
	if (s->kind == SHAPE_MASK && mask_of(c, it) != NULL) {
		stroke_mask(c, it);
		return;
	}
	if (s->kind == SHAPE_POINT) {
		if (s->npoints > 0)
			draw_point(c, it);
		return;
	}
	if (!it->selected) {
		stroke_shape(c, s, c->lw, it->rgb);
		return;
	}
	/* on a small picture a thick outline would hide what it outlines: a dark rim is enough */
	stroke_shape(c, s, c->lw + (c->style.compact ? 2 : 4), halo_of(it->rgb));
	stroke_shape(c, s, c->lw + (c->style.compact ? 0 : 2), it->rgb);
	draw_handles(c, s);
}

/* ---- Captions and badges ---------------------------------------------------------------- */

/* A caption as the font draws it, cut to the image width. */
struct tag {
	struct font_text text;
	size_t n;
	int w, h;
};

static void tag_measure(const struct overlay_ctx *c, const char *text, struct tag *t)
{
	int pad = c->scale;

	font_text_layout(text, &t->text);
	t->n = font_text_fit(&t->text, c->scale, c->img->w - 2 * pad);
	t->h = font_text_px_height(&t->text, c->scale) + 2 * pad;
	t->w = t->n > 0 ? font_text_px_width(&t->text, t->n, c->scale) + 2 * pad : t->h;
}

/* A filled tag with the text in black or white, whichever reads better on the colour. */
static void tag_draw(struct overlay_ctx *c, const struct tag *t, int x, int y, uint32_t rgb)
{
	draw_fill_rect(c->img, x, y, x + t->w, y + t->h, rgb);
	font_text_draw(c->img, x + c->scale, y + c->scale, &t->text, t->n, c->scale, ink_of(rgb));
}

static int shape_anchor(struct overlay_ctx *c, const struct overlay_item *it, struct bounds *b)
{
	const struct shape *s = it->shape;

	if (s->kind == SHAPE_MASK && mask_of(c, it) != NULL) {
		*b = rect_bounds(c, &mask_of(c, it)->box);
	} else if (s->kind == SHAPE_BOX || s->kind == SHAPE_MASK) {
		*b = rect_bounds(c, &s->box);
	} else if (s->npoints > 0) {
		*b = points_bounds(c, s);
		if (s->kind == SHAPE_POINT) {
			int r = point_radius(c, 0);
			b->x0 -= r, b->y0 -= r, b->x1 += r, b->y1 += r;
		}
	} else {
		return 0;
	}
	/* a shape wholly off the image gets no caption */
	return b->x1 >= 0 && b->y1 >= 0 && b->x0 < c->img->w && b->y0 < c->img->h;
}

static void overlay_caption(struct overlay_ctx *c, const struct overlay_item *it)
{
	struct bounds b;
	struct tag t;
	int lw = c->lw + (it->selected ? 4 : 0), x, y;

	if (it->caption == NULL || it->caption[0] == '\0' ||
	    it->shape->kind == SHAPE_CLASSIFICATION || !shape_anchor(c, it, &b))
		return;
	tag_measure(c, it->caption, &t);
	/* above the outer edge of the line; inside the shape when there is no room above */
	y = b.y0 - lw / 2 - t.h;
	if (y < 0)
		y = b.y0 + (lw + 1) / 2 > 0 ? b.y0 + (lw + 1) / 2 : 0;
	x = b.x0 - (lw - 1) / 2;
	if (x > c->img->w - t.w)
		x = c->img->w - t.w;
	if (x < 0)
		x = 0;
	tag_draw(c, &t, x, y, it->rgb);
}

/* Where text would not be read (a picture too small for it), a classification is a small
 * square of its colour, side by side along the top edge. */
static void overlay_badge_square(struct overlay_ctx *c, const struct overlay_item *it)
{
	int a = c->side / 30 > 3 ? c->side / 30 : 3, m = 1, x = m + c->badges++ * (a + 2 * m);

	if (it->selected)
		draw_fill_rect(c->img, x - 1, m - 1, x + a + 1, m + a + 1, halo_of(it->rgb));
	draw_fill_rect(c->img, x, m, x + a, m + a, it->rgb);
}

/* Classifications have no place in the image: they stack as badges in the top-left corner. */
static void overlay_badge(struct overlay_ctx *c, const struct overlay_item *it)
{
	struct tag t;
	int m = 2 * c->scale, y;

	if (it->shape->kind != SHAPE_CLASSIFICATION)
		return;
	tag_measure(c, it->caption != NULL ? it->caption : "", &t);
	if (c->img->h < 12 * t.h) {
		overlay_badge_square(c, it);
		return;
	}
	y = m + c->badges++ * (t.h + m);
	if (it->selected)
		draw_fill_rect(c->img, m - 2, y - 2, m + t.w + 2, y + t.h + 2, halo_of(it->rgb));
	tag_draw(c, &t, m, y, it->rgb);
}

/* ---- Entry point ------------------------------------------------------------------------ */

static void overlay_init(struct overlay_ctx *c, struct image *img,
                         const struct overlay_style *style)
{
	int side = img->w < img->h ? img->w : img->h;

	c->img = img;
	c->badges = 0;
	c->items = NULL;
	c->masks = NULL;
	c->nitems = 0;
	c->rasters = NULL;
	c->raster_made = NULL;
	c->side = side;
	if (style != NULL) {
		c->style = *style;
	} else {
		c->style = (struct overlay_style){.scale_x = 1, .scale_y = 1, .show_caption = 1};
	}
	if (!isfinite(c->style.scale_x) || !isfinite(c->style.scale_y))
		c->style.scale_x = c->style.scale_y = 1;
	if (!isfinite(c->style.offset_x) || !isfinite(c->style.offset_y))
		c->style.offset_x = c->style.offset_y = 0;
	c->lw = c->style.line_width > 0 ? c->style.line_width : (int)lround(side / 300.0);
	if (c->lw < 1)
		c->lw = 1;
	if (c->lw > 64)
		c->lw = 64;
	c->scale = (side + 250) / 500 > 1 ? (side + 250) / 500 : 1;
	if (c->style.fill_alpha > 255)
		c->style.fill_alpha = 255;
}

static int item_usable(const struct overlay_item *it)
{
	return it->shape != NULL && (int)it->shape->kind >= 0 &&
	       it->shape->kind < SHAPE_KIND_COUNT &&
	       (it->shape->npoints == 0 || it->shape->points != NULL) && shape_is_finite(it->shape);
}

void render_overlay_masks(struct image *img, const struct overlay_item *items,
                          const struct render_mask *const *masks, int n,
                          const struct overlay_style *style)
{
	struct overlay_ctx c;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0 || items == NULL)
		return;
	overlay_init(&c, img, style);
	c.items = items;
	c.nitems = n;
	if (masks != NULL && n > 0) {
		c.rasters = calloc((size_t)n, sizeof *c.rasters);
		c.raster_made = calloc((size_t)n, 1);
		/* short of memory, the masks are drawn as their boxes */
		c.masks = c.rasters != NULL && c.raster_made != NULL ? masks : NULL;
	}
	/* fills first so that no fill covers an outline; the selection last so it is on top */
	for (int i = 0; i < n; i++)
		if (item_usable(&items[i]))
			overlay_fill(&c, &items[i]);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++)
			if (item_usable(&items[i]) && !!items[i].selected == pass)
				overlay_stroke(&c, &items[i]);
	for (int i = 0; i < n; i++) {
		if (!item_usable(&items[i]))
			continue;
		if (c.style.show_caption)
			overlay_caption(&c, &items[i]);
		overlay_badge(&c, &items[i]);
	}
	for (int i = 0; c.rasters != NULL && i < n; i++)
		mask_raster_free(&c.rasters[i]);
	free(c.rasters);
	free(c.raster_made);
}

void render_overlay(struct image *img, const struct overlay_item *items, int n,
                    const struct overlay_style *style)
{
	render_overlay_masks(img, items, NULL, n, style);
}

/* ---- Editing marks ---------------------------------------------------------------------- */

/* The handle being dragged or the vertex being moved: larger than the white handles of a
 * selected shape and filled with the mark colour, so that it reads as "this one". */
static void draw_active(struct overlay_ctx *c, int x, int y, uint32_t rgb)
{
	int h = c->style.compact ? 1 : c->lw + 3;

	draw_fill_rect(c->img, x - h - 1, y - h - 1, x + h + 2, y + h + 2, OVERLAY_DARK);
	draw_fill_rect(c->img, x - h, y - h, x + h + 1, y + h + 1, rgb);
}

/* Where a box handle sits: corners and edge middles of the box's pixel edges. */
static void handle_position(const struct bounds *b, int handle, int *x, int *y)
{
	static const signed char where[8][2] = {{0, 0}, {1, 0}, {2, 0}, {2, 1},
	                                        {2, 2}, {1, 2}, {0, 2}, {0, 1}};
	int cols[3] = {b->x0, b->x0 + (b->x1 - b->x0) / 2, b->x1};
	int rows[3] = {b->y0, b->y0 + (b->y1 - b->y0) / 2, b->y1};

	*x = cols[where[handle][0]];
	*y = rows[where[handle][1]];
}

static void marks_shape(struct overlay_ctx *c, const struct overlay_marks *m)
{
	const struct shape *s = m->shape;
	struct overlay_item it = {s, m->rgb, 1, NULL};
	struct bounds b;
	int x, y;

	if (!item_usable(&it))
		return;
	if (m->handle >= 0 && m->handle < 8 && (s->kind == SHAPE_BOX || s->kind == SHAPE_MASK)) {
		b = rect_bounds(c, &s->box);
		handle_position(&b, m->handle, &x, &y);
		draw_active(c, x, y, m->rgb);
	}
	if (m->vertex >= 0 && m->vertex < s->npoints && s->kind != SHAPE_CLASSIFICATION) {
		x = draw_pixel_index(map_x(c, s->points[m->vertex].x));
		y = draw_pixel_index(map_y(c, s->points[m->vertex].y));
		draw_active(c, x, y, m->rgb);
	}
}

/* A line through the cursor across the whole image each way, on a dark rim, so that the
 * position reads against any photo and lines up with the edges it is being placed on. */
static void marks_crosshair(struct overlay_ctx *c, const struct overlay_marks *m)
{
	int x, y;

	if (!isfinite(m->cursor.x) || !isfinite(m->cursor.y))
		return;
	x = draw_pixel_index(map_x(c, m->cursor.x));
	y = draw_pixel_index(map_y(c, m->cursor.y));
	draw_line(c->img, 0, y, c->img->w - 1, y, c->lw + 2, OVERLAY_DARK);
	draw_line(c->img, x, 0, x, c->img->h - 1, c->lw + 2, OVERLAY_DARK);
	draw_line(c->img, 0, y, c->img->w - 1, y, c->lw, m->rgb);
	draw_line(c->img, x, 0, x, c->img->h - 1, c->lw, m->rgb);
}

static void marks_draft(struct overlay_ctx *c, const struct overlay_marks *m)
{
	int n = m->ndraft, closed = m->draft_closed && n >= 3;

	for (int i = 0; i < n; i++)
		if (!isfinite(m->draft[i].x) || !isfinite(m->draft[i].y))
			return;
	for (int pass = 0; pass < 2; pass++) {
		int width = pass == 0 ? c->lw + 2 : c->lw;
		uint32_t rgb = pass == 0 ? halo_of(m->rgb) : m->rgb;
		for (int i = 0; i + 1 < n || (closed && i < n); i++) {
			const struct point *a = &m->draft[i], *b = &m->draft[(i + 1) % n];
			draw_line(c->img, draw_pixel_index(map_x(c, a->x)),
			          draw_pixel_index(map_y(c, a->y)),
			          draw_pixel_index(map_x(c, b->x)),
			          draw_pixel_index(map_y(c, b->y)), width, rgb);
		}
	}
	for (int i = 0; i < n; i++) {
		int x = draw_pixel_index(map_x(c, m->draft[i].x));
		int y = draw_pixel_index(map_y(c, m->draft[i].y));
		int h = c->lw + 1;
		draw_fill_rect(c->img, x - h - 1, y - h - 1, x + h + 2, y + h + 2, halo_of(m->rgb));
		draw_fill_rect(c->img, x - h, y - h, x + h + 1, y + h + 1, m->rgb);
	}
}

void render_overlay_marks(struct image *img, const struct overlay_marks *m,
                          const struct overlay_style *style)
{
	struct overlay_ctx c;

	if (img == NULL || img->rgb == NULL || img->w <= 0 || img->h <= 0 || m == NULL)
		return;
	overlay_init(&c, img, style);
	/* the crosshair underneath: the marks it passes through stay readable */
	if (m->crosshair)
		marks_crosshair(&c, m);
	if (m->draft != NULL && m->ndraft > 0)
		marks_draft(&c, m);
	if (m->shape != NULL)
		marks_shape(&c, m);
}
