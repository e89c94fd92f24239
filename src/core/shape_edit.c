/* Editing one shape's geometry in image pixels: moves, box handles, vertices, builders and
 * hit testing (see shape_edit.h). */
#include "core/shape_edit.h"

#include "core/err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const handle_names[HANDLE_COUNT] = {
    "top-left", "top", "top-right", "right", "bottom-right", "bottom", "bottom-left", "left",
};

/* Which sides a handle moves: x is -1 for the left side, 1 for the right, 0 for neither; y
 * likewise for the top (-1) and the bottom (1). */
static const signed char handle_sides[HANDLE_COUNT][2] = {
    {-1, -1}, {0, -1}, {1, -1}, {1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0},
};

const char *box_handle_name(enum box_handle h)
{
	return (unsigned)h < HANDLE_COUNT ? handle_names[h] : "unknown";
}

/* ---- Limits ------------------------------------------------------------------------------ */

/* The far edge of one image axis; an unknown size (<= 0) sets no far limit. */
static double far_edge(int size)
{
	return size > 0 ? (double)size : INFINITY;
}

static double clamp(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static struct point clamp_point(struct point p, int img_w, int img_h)
{
	p.x = clamp(p.x, 0, far_edge(img_w));
	p.y = clamp(p.y, 0, far_edge(img_h));
	return p;
}

/* Shortens *len so that start + *len does not pass limit: a far edge computed as
 * start + (limit - start) can round one step beyond limit. */
static void fit_span(double start, double *len, double limit)
{
	if (start + *len > limit)
		*len = limit - start;
	while (*len > 0 && start + *len > limit)
		*len = nextafter(*len, 0);
	if (*len < 0)
		*len = 0;
}

static int point_finite(struct point p)
{
	return isfinite(p.x) && isfinite(p.y);
}

static int rect_finite(const struct rect *r)
{
	return isfinite(r->x) && isfinite(r->y) && isfinite(r->w) && isfinite(r->h);
}

/* A rectangle with a negative side turned around so that (x, y) is its top-left corner. */
static struct rect rect_norm(struct rect r)
{
	if (r.w < 0) {
		r.x += r.w;
		r.w = -r.w;
	}
	if (r.h < 0) {
		r.y += r.h;
		r.h = -r.h;
	}
	return r;
}

/* Cuts a normalised rectangle down to the image. */
static void rect_clip(struct rect *r, int img_w, int img_h)
{
	double x0 = clamp(r->x, 0, far_edge(img_w)), x1 = clamp(r->x + r->w, 0, far_edge(img_w));
	double y0 = clamp(r->y, 0, far_edge(img_h)), y1 = clamp(r->y + r->h, 0, far_edge(img_h));

	r->x = x0;
	r->y = y0;
	r->w = x1 - x0;
	r->h = y1 - y0;
	fit_span(r->x, &r->w, far_edge(img_w));
	fit_span(r->y, &r->h, far_edge(img_h));
}

/* ---- Kinds and parts --------------------------------------------------------------------- */

static int is_path(const struct shape *s)
{
	return s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE;
}

/* Kinds whose geometry is their points (their box is derived); the others are their box. */
static int uses_points(const struct shape *s)
{
	return is_path(s) || s->kind == SHAPE_POINT;
}

static int shape_finite(const struct shape *s)
{
	if (!uses_points(s))
		return rect_finite(&s->box);
	for (int i = 0; i < s->npoints; i++)
		if (!point_finite(s->points[i]))
			return 0;
	return 1;
}

/* A shape without a part table is one part over all its points. */
static int part_count(const struct shape *s)
{
	return s->nparts > 0 && s->part_ends != NULL ? s->nparts : 1;
}

/* Part i as [*start, *end) in points; 0 when that entry of the part table is unusable. */
static int part_range(const struct shape *s, int i, int *start, int *end)
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

/* The part holding vertex v, as its range; -1 when no part holds it. */
static int find_part(const struct shape *s, int v, int *start, int *end)
{
	for (int i = 0; i < part_count(s); i++)
		if (part_range(s, i, start, end) && v >= *start && v < *end)
			return 0;
	return -1;
}

/* Bounds of the points (the stored box may be stale in a shape someone else built). */
static struct rect points_bounds(const struct shape *s)
{
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
	struct rect r;

	for (int i = 0; i < s->npoints; i++) {
		x0 = fmin(x0, s->points[i].x);
		y0 = fmin(y0, s->points[i].y);
		x1 = fmax(x1, s->points[i].x);
		y1 = fmax(y1, s->points[i].y);
	}
	r.x = x0;
	r.y = y0;
	r.w = x1 - x0;
	r.h = y1 - y0;
	return r;
}

static struct rect shape_extent(const struct shape *s)
{
	return uses_points(s) ? points_bounds(s) : rect_norm(s->box);
}

/* Checks that a shape has geometry an edit can work on. */
static int check_geometry(const struct shape *s, struct err *err)
{
	if ((unsigned)s->kind >= SHAPE_KIND_COUNT)
		return err_set(err, "unknown shape kind %d", (int)s->kind);
	if (uses_points(s) && (s->npoints <= 0 || s->points == NULL))
		return err_set(err, "the %s has no %s", shape_kind_name(s->kind),
		               s->kind == SHAPE_POINT ? "position" : "vertices");
	if (!shape_finite(s))
		return err_set(err, "the %s has a coordinate that is not a finite number",
		               shape_kind_name(s->kind));
	return 0;
}

static int check_delta(double dx, double dy, struct err *err)
{
	if (!isfinite(dx) || !isfinite(dy))
		return err_set(err, "the move (%g, %g) is not a finite number of pixels", dx, dy);
	return 0;
}

/* Checks that vertex v of s can be edited; *start and *end are its part. */
static int check_vertex(const struct shape *s, int v, int *start, int *end, struct err *err)
{
	if (!is_path(s))
		return err_set(err, "only polygons and lines have vertices to edit (this is a %s)",
		               shape_kind_name(s->kind));
	if (v < 0 || v >= s->npoints || s->points == NULL)
		return err_set(err, "vertex %d does not exist (the %s has %d)", v,
		               shape_kind_name(s->kind), s->npoints);
	if (find_part(s, v, start, end) < 0)
		return err_set(err, "vertex %d belongs to no part of the %s", v,
		               shape_kind_name(s->kind));
	return 0;
}

/* ---- Copies ------------------------------------------------------------------------------- */

/* Room for n elements the way model.c's grow_one expects it (the next power of two, at least
 * 4), so that shape_add_point and shape_end_part can keep growing the arrays we allocate. */
static size_t capacity_for(int n)
{
	size_t cap = 4;

	while (cap < (size_t)n)
		cap *= 2;
	return cap;
}

static void *dup_array(const void *src, int n, size_t elem, int *failed)
{
	void *p;

	if (n <= 0 || src == NULL)
		return NULL;
	p = malloc(capacity_for(n) * elem);
	if (p == NULL) {
		*failed = 1;
		return NULL;
	}
	memcpy(p, src, (size_t)n * elem);
	return p;
}

static char *dup_str(const char *s, int *failed)
{
	char *p;

	if (s == NULL)
		return NULL;
	p = strdup(s);
	if (p == NULL)
		*failed = 1;
	return p;
}

int shape_copy(struct shape *dst, const struct shape *src, struct err *err)
{
	struct shape tmp = *src;
	int failed = 0;

	if (dst == src)
		return 0;
	tmp.ext_id = dup_str(src->ext_id, &failed);
	tmp.text = dup_str(src->text, &failed);
	tmp.extra_json = dup_str(src->extra_json, &failed);
	tmp.points = dup_array(src->points, src->npoints, sizeof *src->points, &failed);
	tmp.npoints = tmp.points != NULL ? src->npoints : 0;
	tmp.part_ends = dup_array(src->part_ends, src->nparts, sizeof *src->part_ends, &failed);
	tmp.nparts = tmp.part_ends != NULL ? src->nparts : 0;
	if (failed) {
		shape_clear(&tmp);
		*dst = tmp;
		return err_set(err, "out of memory copying a shape");
	}
	*dst = tmp;
	return 0;
}

static int text_equal(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

static int parts_equal(const struct shape *a, const struct shape *b)
{
	int as, ae, bs, be;

	if (part_count(a) != part_count(b))
		return 0;
	for (int i = 0; i < part_count(a); i++) {
		int ua = part_range(a, i, &as, &ae), ub = part_range(b, i, &bs, &be);

		if (ua != ub || (ua && (as != bs || ae != be)))
			return 0;
	}
	return 1;
}

int shape_equal(const struct shape *a, const struct shape *b)
{
	if (a->kind != b->kind || a->label != b->label || !text_equal(a->text, b->text))
		return 0;
	if (!uses_points(a))
		return a->box.x == b->box.x && a->box.y == b->box.y && a->box.w == b->box.w &&
		       a->box.h == b->box.h;
	if (a->npoints != b->npoints || !parts_equal(a, b))
		return 0;
	for (int i = 0; i < a->npoints; i++)
		if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y)
			return 0;
	return 1;
}

/* ---- Moves and resizes -------------------------------------------------------------------- */

/* The part of shift d that keeps the span [start, start + len] inside [0, limit]; a span
 * longer than the image goes to 0. */
static double limit_shift(double start, double len, double d, double limit)
{
	double lo = -start, hi = limit - (start + len);

	return hi < lo ? lo : clamp(d, lo, hi);
}

int shape_move(struct shape *s, double dx, double dy, int img_w, int img_h, struct err *err)
{
	struct rect ext;

	if (s->kind == SHAPE_CLASSIFICATION)
		return 0;
	if (check_geometry(s, err) < 0 || check_delta(dx, dy, err) < 0)
		return -1;
	ext = shape_extent(s);
	dx = limit_shift(ext.x, ext.w, dx, far_edge(img_w));
	dy = limit_shift(ext.y, ext.h, dy, far_edge(img_h));
	if (!uses_points(s)) {
		ext.x += dx;
		ext.y += dy;
		rect_clip(&ext, img_w, img_h);
		s->box = ext;
		return 0;
	}
	for (int i = 0; i < s->npoints; i++) {
		struct point p = {s->points[i].x + dx, s->points[i].y + dy};

		/* a no-op but for the last rounding step, or for a shape larger than the image */
		s->points[i] = clamp_point(p, img_w, img_h);
	}
	shape_update_bounds(s);
	return 0;
}

/* The new place of a left or top side v moved by d, with the opposite side at opp: it stops
 * SHAPE_MIN_SIDE before opp (or where it is, when already closer) and at the image's edge. */
static double move_low_side(double v, double opp, double d)
{
	double nv = fmin(v + d, fmax(opp - SHAPE_MIN_SIDE, v));

	return fmax(nv, 0);
}

static double move_high_side(double v, double opp, double d, double limit)
{
	double nv = fmax(v + d, fmin(opp + SHAPE_MIN_SIDE, v));

	return fmin(nv, limit);
}

int shape_resize_box(struct shape *s, enum box_handle h, double dx, double dy, int img_w, int img_h,
                     struct err *err)
{
	struct rect r;
	double x0, x1, y0, y1;

	if (s->kind != SHAPE_BOX)
		return err_set(err, "only boxes have handles to resize (this is a %s)",
		               shape_kind_name(s->kind));
	if ((unsigned)h >= HANDLE_COUNT)
		return err_set(err, "unknown box handle %d", (int)h);
	if (check_geometry(s, err) < 0 || check_delta(dx, dy, err) < 0)
		return -1;
	r = rect_norm(s->box);
	rect_clip(&r, img_w, img_h);
	x0 = r.x;
	x1 = r.x + r.w;
	y0 = r.y;
	y1 = r.y + r.h;
	if (handle_sides[h][0] < 0)
		x0 = move_low_side(x0, x1, dx);
	else if (handle_sides[h][0] > 0)
		x1 = move_high_side(x1, x0, dx, far_edge(img_w));
	if (handle_sides[h][1] < 0)
		y0 = move_low_side(y0, y1, dy);
	else if (handle_sides[h][1] > 0)
		y1 = move_high_side(y1, y0, dy, far_edge(img_h));
	r.x = x0;
	r.y = y0;
	r.w = x1 - x0;
	r.h = y1 - y0;
	fit_span(r.x, &r.w, far_edge(img_w));
	fit_span(r.y, &r.h, far_edge(img_h));
	s->box = r;
	return 0;
}

/* ---- Vertices ----------------------------------------------------------------------------- */

int shape_vertex_move(struct shape *s, int vertex, double dx, double dy, int img_w, int img_h,
                      struct err *err)
{
	struct point p;
	int start, end;

	if (check_vertex(s, vertex, &start, &end, err) < 0 || check_delta(dx, dy, err) < 0)
		return -1;
	p = s->points[vertex];
	if (!point_finite(p))
		return err_set(err, "vertex %d is not at a finite position", vertex);
	p.x += dx;
	p.y += dy;
	s->points[vertex] = clamp_point(p, img_w, img_h);
	shape_update_bounds(s);
	return 0;
}

/* Where a vertex inserted after vertex v of the part [start, end) goes. */
static struct point insert_position(const struct shape *s, int v, int start, int end)
{
	struct point a = s->points[v], b, np;

	if (v + 1 < end || s->kind == SHAPE_POLYGON) {
		b = s->points[v + 1 < end ? v + 1 : start];
		np.x = (a.x + b.x) / 2;
		np.y = (a.y + b.y) / 2;
	} else if (v > start) {
		/* past a line's end: one more step of the last segment */
		b = s->points[v - 1];
		np.x = a.x + (a.x - b.x);
		np.y = a.y + (a.y - b.y);
	} else {
		np = a;
	}
	return np;
}

int shape_vertex_insert_after(struct shape *s, int vertex, int img_w, int img_h, int *inserted,
                              struct err *err)
{
	struct point np, *grown;
	int start, end;

	if (check_vertex(s, vertex, &start, &end, err) < 0)
		return -1;
	np = insert_position(s, vertex, start, end);
	if (!point_finite(np))
		return err_set(err, "vertex %d or its neighbour is not at a finite position",
		               vertex);
	np = clamp_point(np, img_w, img_h);
	grown = realloc(s->points, capacity_for(s->npoints + 1) * sizeof *s->points);
	if (grown == NULL)
		return err_set(err, "out of memory adding a vertex");
	s->points = grown;
	memmove(&s->points[vertex + 2], &s->points[vertex + 1],
	        (size_t)(s->npoints - vertex - 1) * sizeof *s->points);
	s->points[vertex + 1] = np;
	s->npoints++;
	for (int i = 0; s->part_ends != NULL && i < s->nparts; i++)
		if (s->part_ends[i] > vertex)
			s->part_ends[i]++;
	shape_update_bounds(s);
	if (inserted != NULL)
		*inserted = vertex + 1;
	return 0;
}

int shape_vertex_delete(struct shape *s, int vertex, struct err *err)
{
	int start, end, min;

	if (check_vertex(s, vertex, &start, &end, err) < 0)
		return -1;
	min = s->kind == SHAPE_POLYGON ? 3 : 2;
	if (end - start - 1 < min)
		return err_set(err, "a %s part needs at least %d vertices",
		               shape_kind_name(s->kind), min);
	memmove(&s->points[vertex], &s->points[vertex + 1],
	        (size_t)(s->npoints - vertex - 1) * sizeof *s->points);
	s->npoints--;
	for (int i = 0; s->part_ends != NULL && i < s->nparts; i++)
		if (s->part_ends[i] > vertex)
			s->part_ends[i]--;
	shape_update_bounds(s);
	return 0;
}

int shape_vertex_step(const struct shape *s, int vertex, int step)
{
	int start, end;
	long long k;

	if (!is_path(s) || vertex < 0 || vertex >= s->npoints ||
	    find_part(s, vertex, &start, &end) < 0)
		return -1;
	k = ((long long)vertex - start + step) % (end - start);
	if (k < 0)
		k += end - start;
	return start + (int)k;
}

/* ---- Builders ----------------------------------------------------------------------------- */

/* Widens [*lo, *hi] to SHAPE_MIN_SIDE, towards the far side unless the limit is in the way. */
static void widen(double *lo, double *hi, double limit)
{
	if (*hi - *lo >= SHAPE_MIN_SIDE)
		return;
	*hi = *lo + SHAPE_MIN_SIDE;
	if (*hi > limit) {
		*hi = limit;
		*lo = fmax(0, limit - SHAPE_MIN_SIDE);
	}
}

int shape_make_box(struct shape *s, struct point a, struct point b, int img_w, int img_h,
                   struct err *err)
{
	double x0, x1, y0, y1;

	if (!point_finite(a) || !point_finite(b))
		return err_set(err, "a box corner is not at a finite position");
	a = clamp_point(a, img_w, img_h);
	b = clamp_point(b, img_w, img_h);
	x0 = fmin(a.x, b.x);
	x1 = fmax(a.x, b.x);
	y0 = fmin(a.y, b.y);
	y1 = fmax(a.y, b.y);
	widen(&x0, &x1, far_edge(img_w));
	widen(&y0, &y1, far_edge(img_h));
	shape_clear(s);
	s->kind = SHAPE_BOX;
	s->box.x = x0;
	s->box.y = y0;
	s->box.w = x1 - x0;
	s->box.h = y1 - y0;
	fit_span(s->box.x, &s->box.w, far_edge(img_w));
	fit_span(s->box.y, &s->box.h, far_edge(img_h));
	return 0;
}

int shape_make_point(struct shape *s, struct point p, int img_w, int img_h, struct err *err)
{
	return shape_make_path(s, SHAPE_POINT, &p, 1, img_w, img_h, err);
}

int shape_make_classification(struct shape *s, int img_w, int img_h, struct err *err)
{
	(void)err;
	shape_clear(s);
	s->kind = SHAPE_CLASSIFICATION;
	s->box.w = img_w > 0 ? img_w : 0;
	s->box.h = img_h > 0 ? img_h : 0;
	return 0;
}

static int check_path_args(enum shape_kind kind, const struct point *v, int n, struct err *err)
{
	int min = kind == SHAPE_POLYGON ? 3 : kind == SHAPE_LINE ? 2 : 1;

	if (kind != SHAPE_POLYGON && kind != SHAPE_LINE && kind != SHAPE_POINT)
		return err_set(err, "a %s is not made of vertices", shape_kind_name(kind));
	if (n < min || v == NULL)
		return err_set(err, "a %s needs at least %d vertices (got %d)",
		               shape_kind_name(kind), min, n);
	if (kind == SHAPE_POINT && n != 1)
		return err_set(err, "a point has one position (got %d)", n);
	for (int i = 0; i < n; i++)
		if (!point_finite(v[i]))
			return err_set(err, "vertex %d is not at a finite position", i);
	return 0;
}

/* Also builds points (kind SHAPE_POINT, n = 1), with one part like the importers give them. */
int shape_make_path(struct shape *s, enum shape_kind kind, const struct point *v, int n, int img_w,
                    int img_h, struct err *err)
{
	struct shape tmp = {.kind = kind, .label = -1};

	if (check_path_args(kind, v, n, err) < 0)
		return -1;
	tmp.points = malloc(capacity_for(n) * sizeof *tmp.points);
	tmp.part_ends = malloc(capacity_for(1) * sizeof *tmp.part_ends);
	if (tmp.points == NULL || tmp.part_ends == NULL) {
		shape_clear(&tmp);
		return err_set(err, "out of memory making a %s", shape_kind_name(kind));
	}
	for (int i = 0; i < n; i++)
		tmp.points[i] = clamp_point(v[i], img_w, img_h);
	tmp.npoints = n;
	tmp.part_ends[0] = n;
	tmp.nparts = 1;
	shape_update_bounds(&tmp);
	shape_clear(s);
	*s = tmp;
	return 0;
}

/* ---- Hit testing -------------------------------------------------------------------------- */

static double segment_distance(struct point p, struct point a, struct point b)
{
	double vx = b.x - a.x, vy = b.y - a.y, wx = p.x - a.x, wy = p.y - a.y;
	double len2 = vx * vx + vy * vy, t = 0;

	if (len2 > 0)
		t = clamp((wx * vx + wy * vy) / len2, 0, 1);
	return hypot(wx - t * vx, wy - t * vy);
}

/* 0 inside the rectangle, else the distance to it. */
static double rect_distance(struct point p, struct rect r)
{
	double dx = fmax(fmax(r.x - p.x, 0), p.x - (r.x + r.w));
	double dy = fmax(fmax(r.y - p.y, 0), p.y - (r.y + r.h));

	return hypot(dx, dy);
}

/* The distance from p to the parts' outlines; closed joins each part's last vertex to its
 * first. */
static double outline_distance(const struct shape *s, struct point p, int closed)
{
	double best = INFINITY;
	int start, end;

	for (int k = 0; k < part_count(s); k++) {
		if (!part_range(s, k, &start, &end) || start == end)
			continue;
		best = fmin(best, hypot(p.x - s->points[start].x, p.y - s->points[start].y));
		for (int i = start + 1; i < end; i++)
			best = fmin(best, segment_distance(p, s->points[i - 1], s->points[i]));
		if (closed && end - start > 2)
			best =
			    fmin(best, segment_distance(p, s->points[end - 1], s->points[start]));
	}
	return best;
}

/* Even-odd rule over every part, so that a part inside another is a hole. */
static int polygon_holds(const struct shape *s, struct point p)
{
	int inside = 0, start, end;

	for (int k = 0; k < part_count(s); k++) {
		if (!part_range(s, k, &start, &end))
			continue;
		for (int i = start, j = end - 1; i < end; j = i++) {
			struct point a = s->points[i], b = s->points[j];

			if ((a.y > p.y) != (b.y > p.y) &&
			    p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
				inside = !inside;
		}
	}
	return inside;
}

/* 0 when p is inside s, else its distance to the outline; INFINITY when s cannot be hit. */
static double shape_distance(const struct shape *s, struct point p)
{
	if ((unsigned)s->kind >= SHAPE_KIND_COUNT || s->kind == SHAPE_CLASSIFICATION ||
	    !shape_finite(s))
		return INFINITY;
	if (!uses_points(s))
		return rect_distance(p, rect_norm(s->box));
	if (s->npoints <= 0 || s->points == NULL)
		return INFINITY;
	if (s->kind == SHAPE_POINT)
		return hypot(p.x - s->points[0].x, p.y - s->points[0].y);
	if (s->kind == SHAPE_POLYGON && polygon_holds(s, p))
		return 0;
	return outline_distance(s, p, s->kind == SHAPE_POLYGON);
}

int shape_hit_test(const struct shape *shapes, int n, struct point p, double tolerance)
{
	double best_area = INFINITY, best_dist = INFINITY;
	int best = -1;

	if (shapes == NULL || !point_finite(p))
		return -1;
	if (!(tolerance >= 0))
		tolerance = 0;
	for (int i = 0; i < n; i++) {
		double d = shape_distance(&shapes[i], p), area;
		struct rect ext;

		if (!(d <= tolerance))
			continue;
		ext = shape_extent(&shapes[i]);
		area = ext.w * ext.h;
		/* equal areas: the nearer one, then the later one (drawn on top) */
		if (best < 0 || area < best_area || (area == best_area && d <= best_dist)) {
			best = i;
			best_area = area;
			best_dist = d;
		}
	}
	return best;
}

int shape_nearest_vertex(const struct shape *s, struct point p)
{
	double best_d = INFINITY;
	int best = -1;

	if (s->points == NULL || !point_finite(p))
		return -1;
	for (int i = 0; i < s->npoints; i++) {
		double d = hypot(p.x - s->points[i].x, p.y - s->points[i].y);

		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}
