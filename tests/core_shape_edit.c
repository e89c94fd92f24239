/* Unit tests of core/shape_edit: copies, moves, box handles, vertices, builders, hit testing. */
#include "core/shape_edit.h"
#include "core/err.h"
#include "tap.h"

#include <math.h>

/* Exact comparisons: every expected number below is exact in binary floating point. */
static void is_num_at(double got, double want, int line, const char *name)
{
	if (!ok(got == want, "%s", name))
		printf("#   line %d: got %.17g, want %.17g\n", line, got, want);
}

static void is_rect_at(struct rect r, double x, double y, double w, double h, int line,
                       const char *name)
{
	if (!ok(r.x == x && r.y == y && r.w == w && r.h == h, "%s", name))
		printf("#   line %d: got (%.17g, %.17g, %.17g, %.17g)\n", line, r.x, r.y, r.w, r.h);
}

static void is_pt_at(struct point p, double x, double y, int line, const char *name)
{
	if (!ok(p.x == x && p.y == y, "%s", name))
		printf("#   line %d: got (%.17g, %.17g)\n", line, p.x, p.y);
}

#define is_num(got, want, name)          is_num_at((got), (want), __LINE__, name)
#define is_rect(r, rx, ry, rw, rh, name) is_rect_at((r), (rx), (ry), (rw), (rh), __LINE__, name)
#define is_pt(p, px, py, name)           is_pt_at((p), (px), (py), __LINE__, name)

static struct shape empty_shape(void)
{
	struct shape s = {0};

	s.label = -1;
	return s;
}

static struct shape box_shape(double x, double y, double w, double h)
{
	struct shape s = empty_shape();

	s.kind = SHAPE_BOX;
	s.box.x = x;
	s.box.y = y;
	s.box.w = w;
	s.box.h = h;
	return s;
}

/* A shape of kind from n (x, y) pairs, ending a part after each count in ends. */
static struct shape path_shape(enum shape_kind kind, const double *xy, int n, const int *ends,
                               int nends)
{
	struct shape s = empty_shape();
	int e = 0;

	s.kind = kind;
	for (int i = 0; i < n; i++) {
		if (shape_add_point(&s, xy[2 * i], xy[2 * i + 1]) < 0)
			abort();
		if (e < nends && ends[e] == i + 1) {
			if (shape_end_part(&s) < 0)
				abort();
			e++;
		}
	}
	shape_update_bounds(&s);
	return s;
}

static struct shape square(double x0, double y0, double x1, double y1)
{
	double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1};
	int ends[] = {4};

	return path_shape(SHAPE_POLYGON, xy, 4, ends, 1);
}

/* A 100 x 100 square at the origin with a 50 x 50 hole in its middle. */
static struct shape holed_square(void)
{
	double xy[] = {0, 0, 100, 0, 100, 100, 0, 100, 25, 25, 75, 25, 75, 75, 25, 75};
	int ends[] = {4, 8};

	return path_shape(SHAPE_POLYGON, xy, 8, ends, 2);
}

static void test_handle_names(void)
{
	static const char *const want[HANDLE_COUNT] = {
	    "top-left",     "top",    "top-right",   "right",
	    "bottom-right", "bottom", "bottom-left", "left",
	};

	for (int h = 0; h < HANDLE_COUNT; h++)
		is_str(box_handle_name((enum box_handle)h), want[h], "handle %d is named", h);
	is_str(box_handle_name(HANDLE_COUNT), "unknown", "a handle out of range is unknown");
	is_str(box_handle_name((enum box_handle) - 1), "unknown", "a negative handle is unknown");
}

static void test_copy(void)
{
	struct shape a = holed_square(), b = empty_shape(), c = box_shape(1, 2, 3, 4);
	struct err err = {0};

	a.label = 3;
	a.ext_id = strdup("ann-1");
	a.text = strdup("hello");
	a.extra_json = strdup("{\"k\":1}");
	is_int(shape_copy(&b, &a, &err), 0, "a polygon copies");
	ok(b.points != a.points && b.part_ends != a.part_ends && b.ext_id != a.ext_id &&
	       b.text != a.text && b.extra_json != a.extra_json,
	   "every owned pointer is a new allocation");
	is_str(b.ext_id, "ann-1", "ext_id copied");
	is_str(b.text, "hello", "text copied");
	is_str(b.extra_json, "{\"k\":1}", "extra_json copied");
	is_int(b.npoints, 8, "points copied");
	is_int(b.nparts, 2, "parts copied");
	is_int(b.part_ends[0] * 100 + b.part_ends[1], 408, "part ends copied");
	is_int(b.label, 3, "label copied");
	ok(shape_equal(&a, &b), "the copy equals the original");
	b.points[0].x = 7;
	is_num(a.points[0].x, 0, "changing the copy leaves the original");
	ok(!shape_equal(&a, &b), "and they differ");
	/* the copy's arrays must take model.c's growth helpers (ASan checks the room) */
	for (int i = 0; i < 20; i++)
		if (shape_add_point(&b, i, i) < 0 || shape_end_part(&b) < 0)
			abort();
	is_int(b.npoints, 28, "the copy's points grow");
	is_int(b.part_ends[21], 28, "the copy's parts grow");
	shape_clear(&b);
	shape_clear(&a);
	/* counts that are not powers of two are where grow_one does not reallocate */
	double nine[] = {0, 0, 1, 0, 1, 1, 2, 2, 3, 2, 3, 3, 4, 4, 5, 4, 5, 5};
	int three[] = {3, 6, 9};
	a = path_shape(SHAPE_POLYGON, nine, 9, three, 3);
	b = path_shape(SHAPE_LINE, nine, 3, three, 1);
	is_int(shape_copy(&c, &b, &err), 0, "a line of 3 vertices copies");
	if (shape_add_point(&c, 9, 9) < 0)
		abort();
	is_pt(c.points[3], 9, 9, "and grows from 3 vertices");
	shape_clear(&b);
	shape_clear(&c);
	is_int(shape_copy(&b, &a, &err), 0, "a polygon of 3 parts copies");
	if (shape_add_point(&b, 9, 9) < 0 || shape_end_part(&b) < 0)
		abort();
	is_int(b.part_ends[3], 10, "and grows from 3 parts");
	shape_clear(&b);
	c = box_shape(1, 2, 3, 4);

	is_int(shape_copy(&b, &c, &err), 0, "a box copies");
	ok(b.points == NULL && b.part_ends == NULL && b.ext_id == NULL && b.text == NULL,
	   "a box copy owns no arrays");
	is_rect(b.box, 1, 2, 3, 4, "the box is copied");
	is_int(shape_copy(&a, &a, &err), 0, "copying onto itself is a no-op");
	is_int(a.npoints * 10 + a.nparts, 93, "and keeps the shape");
	shape_clear(&a);
	shape_clear(&b);
	ok(a.points == NULL && a.label == -1, "shape_clear empties a copy");
}

static void test_equal(void)
{
	struct shape a = square(0, 0, 10, 10), b = square(0, 0, 10, 10);
	struct shape c = box_shape(1, 2, 3, 4), d = box_shape(1, 2, 3, 4);

	ok(shape_equal(&a, &b), "equal polygons");
	ok(shape_equal(&c, &d), "equal boxes");
	d.box.h = 5;
	ok(!shape_equal(&c, &d), "a box's height counts");
	d.box.h = 4;
	d.label = 2;
	ok(!shape_equal(&c, &d), "the label counts");
	d.label = -1;
	d.kind = SHAPE_MASK;
	ok(!shape_equal(&c, &d), "the kind counts");
	b.points[2].y = 11;
	ok(!shape_equal(&a, &b), "a vertex counts");
	b.points[2].y = 10;
	b.text = strdup("");
	ok(shape_equal(&a, &b), "no text equals empty text");
	free(b.text);
	b.text = strdup("x");
	ok(!shape_equal(&a, &b), "the text counts");
	free(b.text);
	b.text = NULL;
	b.ext_id = strdup("other");
	b.extra_json = strdup("{}");
	ok(shape_equal(&a, &b), "ext_id and extra_json do not count");
	/* one part over all points, with or without a part table */
	free(b.part_ends);
	b.part_ends = NULL;
	b.nparts = 0;
	ok(shape_equal(&a, &b), "a missing part table equals one whole part");
	shape_clear(&b);
	b = holed_square();
	shape_clear(&a);
	a = holed_square();
	a.part_ends[0] = 3;
	ok(!shape_equal(&a, &b), "part ends count");
	a.box.x = 99;
	a.part_ends[0] = 4;
	ok(shape_equal(&a, &b), "a polygon's stale box does not count");
	shape_clear(&a);
	shape_clear(&b);
}

static void test_move_box(void)
{
	struct shape s = box_shape(10, 20, 30, 40), before;
	struct err err = {0};

	is_int(shape_move(&s, 5, -5, 100, 80, &err), 0, "a box moves");
	is_rect(s.box, 15, 15, 30, 40, "by the move");
	shape_move(&s, -100, 0, 100, 80, &err);
	is_rect(s.box, 0, 15, 30, 40, "stops at the left edge with its size");
	shape_move(&s, 0, -100, 100, 80, &err);
	is_rect(s.box, 0, 0, 30, 40, "stops at the top edge with its size");
	shape_move(&s, 1000, 0, 100, 80, &err);
	is_rect(s.box, 70, 0, 30, 40, "stops at the right edge: x + w = img_w");
	shape_move(&s, 0, 1000, 100, 80, &err);
	is_rect(s.box, 70, 40, 30, 40, "stops at the bottom edge: y + h = img_h");
	shape_move(&s, 1000, 1000, 0, -1, &err);
	is_rect(s.box, 1070, 1040, 30, 40, "an unknown image size sets no far edge");
	shape_move(&s, -5000, -5000, 0, 0, &err);
	is_rect(s.box, 0, 0, 30, 40, "but 0 still holds");

	s = box_shape(90, 10, 20, 10);
	shape_move(&s, 1, 0, 100, 100, &err);
	is_rect(s.box, 80, 10, 20, 10, "a box partly outside comes back inside");
	/* 0.2 + (100 - (0.2 + 0.4)) + 0.4 rounds to 100.00000000000001 */
	s = box_shape(0.2, 0.2, 0.4, 0.4);
	shape_move(&s, 1000, 1000, 100, 100, &err);
	ok(s.box.x + s.box.w <= 100 && s.box.y + s.box.h <= 100,
	   "a fractional box at the far edge stays inside after rounding");
	ok(s.box.w > 0.3999 && s.box.h > 0.3999, "losing at most a rounding step");

	s = box_shape(10, 20, 30, 40);
	s.kind = SHAPE_MASK;
	shape_move(&s, -3, 4, 100, 100, &err);
	is_rect(s.box, 7, 24, 30, 40, "a mask moves by its box");

	s = box_shape(0, 0, 100, 80);
	s.kind = SHAPE_CLASSIFICATION;
	is_int(shape_move(&s, 5, 5, 100, 80, &err), 0, "a classification move is a no-op");
	is_rect(s.box, 0, 0, 100, 80, "and leaves it");
	shape_move(&s, 5, 5, 0, 0, &err);
	is_rect(s.box, 0, 0, 100, 80, "even where the image would leave room");

	s = box_shape(10, 20, 30, 40);
	before = s;
	err.msg[0] = '\0';
	is_int(shape_move(&s, NAN, 1, 100, 100, &err), -1, "a NaN move is refused");
	ok(err.msg[0] != '\0', "with a message: %s", err.msg);
	is_int(shape_move(&s, 1, INFINITY, 100, 100, &err), -1, "an infinite move is refused");
	ok(shape_equal(&s, &before), "a refused move leaves the box");
	s.box.w = NAN;
	is_int(shape_move(&s, 1, 1, 100, 100, &err), -1, "a box with a NaN side is refused");
}

static void test_move_points(void)
{
	double tri[] = {10, 10, 30, 10, 20, 40};
	int ends[] = {3};
	struct shape s = path_shape(SHAPE_POLYGON, tri, 3, ends, 1), empty = empty_shape();
	struct err err = {0};

	is_int(shape_move(&s, 2.5, 1, 100, 50, &err), 0, "a polygon moves");
	is_pt(s.points[2], 22.5, 41, "its vertices move");
	is_rect(s.box, 12.5, 11, 20, 30, "its bounds follow");
	shape_move(&s, 500, 500, 100, 50, &err);
	is_pt(s.points[0], 80, 20, "it slides to the bottom-right corner");
	is_pt(s.points[1], 100, 20, "without distortion");
	is_pt(s.points[2], 90, 50, "keeping its form");
	is_rect(s.box, 80, 20, 20, 30, "its bounds end at the image's edges");
	shape_move(&s, -500, -500, 100, 50, &err);
	is_pt(s.points[0], 0, 0, "and to the top-left corner");
	is_pt(s.points[2], 10, 30, "still without distortion");
	shape_clear(&s);

	double wide[] = {10, 0, 150, 0, 80, 30};
	s = path_shape(SHAPE_POLYGON, wide, 3, ends, 1);
	shape_move(&s, 5, 0, 100, 50, &err);
	is_pt(s.points[0], 0, 0, "a polygon wider than the image goes to 0");
	is_pt(s.points[1], 100, 0, "its far side is held at the edge");
	is_pt(s.points[2], 70, 30, "the rest keeps its place relative to 0");
	shape_clear(&s);

	double pt[] = {5, 5};
	s = path_shape(SHAPE_POINT, pt, 1, ends, 0);
	shape_move(&s, 200, -1, 100, 50, &err);
	is_pt(s.points[0], 100, 4, "a point stops at x = img_w");
	is_rect(s.box, 100, 4, 0, 0, "its box is the point");
	shape_clear(&s);

	double line[] = {10, 10, 20, 20};
	int lend[] = {2};
	s = path_shape(SHAPE_LINE, line, 2, lend, 1);
	shape_move(&s, -15, 0, 0, 0, &err);
	is_pt(s.points[0], 0, 10, "a line stops at 0 with an unknown size");
	is_pt(s.points[1], 10, 20, "and keeps its length");
	shape_clear(&s);

	empty.kind = SHAPE_POLYGON;
	is_int(shape_move(&empty, 1, 1, 10, 10, &err), -1, "a polygon without vertices is refused");
	is_int(shape_move(&empty, 0, 0, 10, 10, NULL), -1, "a NULL err is allowed");
}

static void test_resize(void)
{
	static const struct {
		enum box_handle h;
		double x, y, w, h_;
	} want[] = {
	    {HANDLE_TOP_LEFT, 12, 23, 28, 37},     {HANDLE_TOP, 10, 23, 30, 37},
	    {HANDLE_TOP_RIGHT, 10, 23, 32, 37},    {HANDLE_RIGHT, 10, 20, 32, 40},
	    {HANDLE_BOTTOM_RIGHT, 10, 20, 32, 43}, {HANDLE_BOTTOM, 10, 20, 30, 43},
	    {HANDLE_BOTTOM_LEFT, 12, 20, 28, 43},  {HANDLE_LEFT, 12, 20, 28, 40},
	};
	struct err err = {0};
	struct shape s, before;

	for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++) {
		s = box_shape(10, 20, 30, 40);
		is_int(shape_resize_box(&s, want[i].h, 2, 3, 100, 100, &err), 0, "%s resizes",
		       box_handle_name(want[i].h));
		is_rect(s.box, want[i].x, want[i].y, want[i].w, want[i].h_,
		        "the opposite sides stay");
	}

	s = box_shape(10, 20, 30, 40);
	shape_resize_box(&s, HANDLE_LEFT, 100, 0, 100, 100, &err);
	is_rect(s.box, 39, 20, 1, 40, "the left side stops SHAPE_MIN_SIDE before the right");
	s = box_shape(10, 20, 30, 40);
	shape_resize_box(&s, HANDLE_RIGHT, -100, 0, 100, 100, &err);
	is_rect(s.box, 10, 20, 1, 40, "the right side stops SHAPE_MIN_SIDE after the left");
	s = box_shape(10, 20, 30, 40);
	shape_resize_box(&s, HANDLE_TOP, 0, 100, 100, 100, &err);
	is_rect(s.box, 10, 59, 30, 1, "the top stops SHAPE_MIN_SIDE above the bottom");
	s = box_shape(10, 20, 30, 40);
	shape_resize_box(&s, HANDLE_BOTTOM_LEFT, 0, -100, 100, 100, &err);
	is_rect(s.box, 10, 20, 30, 1, "the bottom stops SHAPE_MIN_SIDE below the top");
	s = box_shape(10, 20, 0.5, 40);
	shape_resize_box(&s, HANDLE_RIGHT, -0.25, 0, 100, 100, &err);
	is_rect(s.box, 10, 20, 0.5, 40, "a side already under the minimum does not shrink");
	shape_resize_box(&s, HANDLE_RIGHT, 0.25, 0, 100, 100, &err);
	is_rect(s.box, 10, 20, 0.75, 40, "but it grows");
	shape_resize_box(&s, HANDLE_LEFT, 0.25, 0, 100, 100, &err);
	is_rect(s.box, 10, 20, 0.75, 40, "its left side does not move in either");
	shape_resize_box(&s, HANDLE_LEFT, -0.25, 0, 100, 100, &err);
	is_rect(s.box, 9.75, 20, 1, 40, "but out");

	s = box_shape(10, 20, 30, 40);
	shape_resize_box(&s, HANDLE_TOP_LEFT, -50, -50, 100, 100, &err);
	is_rect(s.box, 0, 0, 40, 60, "the top-left corner stops at the image's corner");
	shape_resize_box(&s, HANDLE_BOTTOM_RIGHT, 500, 500, 100, 80, &err);
	is_rect(s.box, 0, 0, 100, 80, "the bottom-right corner stops at img_w, img_h");
	shape_resize_box(&s, HANDLE_BOTTOM_RIGHT, 500, 500, 0, 0, &err);
	is_rect(s.box, 0, 0, 600, 580, "an unknown size sets no far edge");
	s = box_shape(90, 10, 20, 10);
	shape_resize_box(&s, HANDLE_TOP, 0, -5, 100, 100, &err);
	is_rect(s.box, 90, 5, 10, 15, "a box partly outside is cut to the image");
	s = box_shape(-10, 5, 30, 10);
	shape_resize_box(&s, HANDLE_RIGHT, 5, 0, 100, 100, &err);
	is_rect(s.box, 0, 5, 25, 10, "on the side opposite the handle too");

	s = square(0, 0, 10, 10);
	before = empty_shape();
	shape_copy(&before, &s, &err);
	err.msg[0] = '\0';
	is_int(shape_resize_box(&s, HANDLE_RIGHT, 1, 1, 100, 100, &err), -1,
	       "a polygon cannot be resized by a handle");
	ok(strstr(err.msg, "polygon") != NULL, "the message names the kind: %s", err.msg);
	ok(shape_equal(&s, &before), "the polygon is unchanged");
	shape_clear(&s);
	shape_clear(&before);
	s = box_shape(10, 20, 30, 40);
	s.kind = SHAPE_MASK;
	is_int(shape_resize_box(&s, HANDLE_RIGHT, 1, 1, 100, 100, &err), -1, "nor a mask");
	s.kind = SHAPE_BOX;
	is_int(shape_resize_box(&s, HANDLE_COUNT, 1, 1, 100, 100, &err), -1,
	       "an unknown handle is refused");
	is_int(shape_resize_box(&s, HANDLE_LEFT, NAN, 0, 100, 100, &err), -1,
	       "a NaN resize is refused");
	is_rect(s.box, 10, 20, 30, 40, "and leaves the box");
}

static void test_vertex_move(void)
{
	struct shape s = square(10, 10, 20, 20), before = empty_shape(), b = box_shape(1, 1, 2, 2);
	struct err err = {0};

	is_int(shape_vertex_move(&s, 2, 5, -2, 100, 50, &err), 0, "a vertex moves");
	is_pt(s.points[2], 25, 18, "by the move");
	is_rect(s.box, 10, 10, 15, 10, "the bounds follow");
	shape_vertex_move(&s, 0, -50, -50, 100, 50, &err);
	is_pt(s.points[0], 0, 0, "a vertex stops at the top-left");
	is_rect(s.box, 0, 0, 25, 20, "the bounds grow");
	shape_vertex_move(&s, 2, 500, 500, 100, 50, &err);
	is_pt(s.points[2], 100, 50, "and at the bottom-right");
	is_rect(s.box, 0, 0, 100, 50, "the bounds reach the image's edges");

	shape_copy(&before, &s, &err);
	err.msg[0] = '\0';
	is_int(shape_vertex_move(&s, 4, 1, 1, 100, 50, &err), -1, "vertex 4 of 4 is refused");
	ok(strstr(err.msg, "vertex 4") != NULL, "the message names it: %s", err.msg);
	is_int(shape_vertex_move(&s, -1, 1, 1, 100, 50, &err), -1, "vertex -1 is refused");
	is_int(shape_vertex_move(&s, 1, NAN, 1, 100, 50, &err), -1, "a NaN move is refused");
	ok(shape_equal(&s, &before), "refusals leave the polygon");
	is_int(shape_vertex_move(&b, 0, 1, 1, 100, 50, &err), -1, "a box has no vertices");
	ok(strstr(err.msg, "box") != NULL, "the message names the kind: %s", err.msg);
	is_rect(b.box, 1, 1, 2, 2, "the box is unchanged");
	s.points[1].x = NAN;
	is_int(shape_vertex_move(&s, 1, 1, 1, 100, 50, &err), -1, "a NaN vertex does not move");
	ok(isnan(s.points[1].x), "and stays as it was");
	is_int(shape_vertex_move(&s, 0, 1, 1, 100, 50, &err), 0, "another vertex still moves");
	is_int(shape_vertex_insert_after(&s, 0, 100, 50, NULL, &err), -1,
	       "an insert next to a NaN vertex is refused");
	is_int(s.npoints, 4, "and adds nothing");
	is_int(shape_vertex_delete(&s, 1, &err), 0, "the NaN vertex can be deleted");
	ok(!isnan(s.box.w), "and the bounds are finite again");
	shape_clear(&s);
	shape_clear(&before);
}

static void test_vertex_insert(void)
{
	struct shape s = square(0, 0, 10, 20), h = holed_square(), before = empty_shape();
	struct err err = {0};
	int at = -1;

	is_int(shape_vertex_insert_after(&s, 1, 100, 100, &at, &err), 0, "a vertex is inserted");
	is_int(at, 2, "after vertex 1");
	is_int(s.npoints, 5, "the polygon has 5 vertices");
	is_pt(s.points[2], 10, 10, "halfway to the next one");
	is_pt(s.points[3], 10, 20, "the next one follows");
	is_int(s.part_ends[0], 5, "the part grows");
	shape_vertex_insert_after(&s, 4, 100, 100, &at, &err);
	is_int(at, 5, "after the last vertex");
	is_pt(s.points[5], 0, 10, "halfway back to the first (the part wraps)");
	shape_clear(&s);

	double line[] = {10, 10, 20, 30};
	int lend[] = {2};
	s = path_shape(SHAPE_LINE, line, 2, lend, 1);
	shape_vertex_insert_after(&s, 0, 100, 100, &at, &err);
	is_pt(s.points[1], 15, 20, "a line gets a vertex halfway along a segment");
	shape_vertex_insert_after(&s, 2, 100, 100, &at, &err);
	is_int(at, 3, "after a line's last vertex");
	is_pt(s.points[3], 25, 40, "one step beyond along the last segment");
	is_rect(s.box, 10, 10, 15, 30, "the bounds grow");
	shape_vertex_insert_after(&s, 3, 28, 100, &at, &err);
	is_pt(s.points[4], 28, 50, "a step beyond the image's edge is clamped");
	is_int(s.part_ends[0], 5, "the line's part grows");
	shape_clear(&s);

	/* two parts: an insert moves the ends of its part and the later ones */
	shape_vertex_insert_after(&h, 2, 100, 100, &at, &err);
	is_pt(h.points[3], 50, 100, "a vertex in the outer part");
	is_int(h.part_ends[0], 5, "ends the outer part one later");
	is_int(h.part_ends[1], 9, "and the hole too");
	shape_vertex_insert_after(&h, 8, 100, 100, &at, &err);
	is_int(at, 9, "after the hole's last vertex");
	is_pt(h.points[9], 25, 50, "halfway back to the hole's first vertex");
	is_int(h.part_ends[0], 5, "the outer part is unchanged");
	is_int(h.part_ends[1], 10, "the hole ends one later");
	shape_vertex_insert_after(&h, 5, 100, 100, &at, &err);
	is_pt(h.points[6], 50, 25, "after the hole's first vertex");
	is_int(h.part_ends[0], 5, "the outer part, ending there, is unchanged");
	is_int(h.part_ends[1], 11, "the hole ends one later");

	shape_copy(&before, &h, &err);
	is_int(shape_vertex_insert_after(&h, 11, 100, 100, &at, &err), -1,
	       "inserting after a missing vertex is refused");
	ok(shape_equal(&h, &before), "and leaves the polygon");
	shape_clear(&before);
	shape_clear(&h);

	double pt[] = {1, 1};
	s = path_shape(SHAPE_POINT, pt, 1, lend, 0);
	is_int(shape_vertex_insert_after(&s, 0, 100, 100, &at, &err), -1,
	       "a point takes no vertex");
	is_int(s.npoints, 1, "and keeps its one");
	shape_clear(&s);
}

static void test_vertex_delete(void)
{
	struct shape s = square(0, 0, 10, 20), h = holed_square(), before = empty_shape();
	struct err err = {0};

	is_int(shape_vertex_delete(&s, 2, &err), 0, "a square's vertex is deleted");
	is_int(s.npoints, 3, "three are left");
	is_pt(s.points[2], 0, 20, "the later vertices move down");
	is_int(s.part_ends[0], 3, "the part shrinks");
	is_rect(s.box, 0, 0, 10, 20, "the bounds hold");
	shape_vertex_delete(&s, 1, &err);
	is_int(s.npoints, 3, "a triangle's vertex is not deleted");
	err.msg[0] = '\0';
	is_int(shape_vertex_delete(&s, 0, &err), -1, "a polygon part keeps 3 vertices");
	ok(strstr(err.msg, "3") != NULL, "the message gives the minimum: %s", err.msg);
	shape_clear(&s);

	double line[] = {0, 0, 10, 10, 30, 40};
	int lend[] = {3};
	s = path_shape(SHAPE_LINE, line, 3, lend, 1);
	is_int(shape_vertex_delete(&s, 2, &err), 0, "a line's end is deleted");
	is_rect(s.box, 0, 0, 10, 10, "the bounds shrink");
	is_int(shape_vertex_delete(&s, 0, &err), -1, "a line part keeps 2 vertices");
	is_int(s.npoints, 2, "the line keeps both");
	shape_clear(&s);

	is_int(shape_vertex_delete(&h, 1, &err), 0, "a vertex of the outer part is deleted");
	is_int(h.part_ends[0], 3, "the outer part ends one earlier");
	is_int(h.part_ends[1], 7, "the hole too");
	is_pt(h.points[3], 25, 25, "the hole's vertices move down");
	is_int(shape_vertex_delete(&h, 3, &err), 0, "the hole's first vertex is deleted");
	is_int(h.part_ends[0], 3, "the outer part, ending there, is unchanged");
	is_int(h.part_ends[1], 6, "the hole ends one earlier");
	is_pt(h.points[3], 75, 25, "the hole starts at its second vertex");
	shape_copy(&before, &h, &err);
	is_int(shape_vertex_delete(&h, 0, &err), -1, "the outer triangle keeps its vertices");
	is_int(shape_vertex_delete(&h, 4, &err), -1, "the hole triangle keeps its vertices");
	is_int(shape_vertex_delete(&h, 6, &err), -1, "a missing vertex is refused");
	is_int(shape_vertex_delete(&h, -1, &err), -1, "a negative vertex is refused");
	ok(shape_equal(&h, &before), "refusals leave the polygon");
	shape_clear(&before);
	shape_clear(&h);

	s = box_shape(1, 1, 2, 2);
	is_int(shape_vertex_delete(&s, 0, &err), -1, "a box has no vertex to delete");
}

static void test_vertex_step(void)
{
	struct shape h = holed_square(), b = box_shape(0, 0, 1, 1);

	is_int(shape_vertex_step(&h, 0, 1), 1, "next in the outer part");
	is_int(shape_vertex_step(&h, 3, 1), 0, "the outer part wraps forward");
	is_int(shape_vertex_step(&h, 0, -1), 3, "and backward");
	is_int(shape_vertex_step(&h, 7, 1), 4, "the hole wraps within the hole");
	is_int(shape_vertex_step(&h, 4, -1), 7, "backward too");
	is_int(shape_vertex_step(&h, 5, 6), 7, "a longer step wraps");
	is_int(shape_vertex_step(&h, 5, 0), 5, "a zero step stays");
	is_int(shape_vertex_step(&h, 8, 1), -1, "a missing vertex has no step");
	is_int(shape_vertex_step(&h, -1, 1), -1, "nor a negative one");
	is_int(shape_vertex_step(&b, 0, 1), -1, "nor a box");
	free(h.part_ends);
	h.part_ends = NULL;
	h.nparts = 0;
	is_int(shape_vertex_step(&h, 7, 1), 0, "without a part table all points are one part");
	shape_clear(&h);
}

static void test_builders(void)
{
	struct shape s = square(1, 1, 5, 5), before = empty_shape();
	struct point a = {30, 40}, b = {10, 60}, v[3] = {{-5, 10}, {50, 200}, {20, -1}};
	struct err err = {0};

	s.text = strdup("old");
	is_int(shape_make_box(&s, a, b, 100, 50, &err), 0, "a box from two corners");
	is_int(s.kind, SHAPE_BOX, "is a box");
	is_rect(s.box, 10, 40, 20, 10, "in either order, clamped at the bottom");
	ok(s.points == NULL && s.text == NULL && s.label == -1, "the old shape is cleared");
	a.x = 150;
	a.y = 20;
	b.x = 150;
	b.y = 20;
	shape_make_box(&s, a, b, 100, 50, &err);
	is_rect(s.box, 99, 20, 1, 1, "a click at the far edge gives a minimum box inside");
	a.x = 10.25;
	b.x = 10.5;
	b.y = 30;
	shape_make_box(&s, a, b, 100, 50, &err);
	is_rect(s.box, 10.25, 20, 1, 10, "a narrow box is widened to SHAPE_MIN_SIDE");
	a.x = NAN;
	is_int(shape_make_box(&s, a, b, 100, 50, &err), -1, "a NaN corner is refused");
	is_rect(s.box, 10.25, 20, 1, 10, "and leaves the shape");

	a.x = 120;
	a.y = -3;
	is_int(shape_make_point(&s, a, 100, 50, &err), 0, "a point");
	is_int(s.kind, SHAPE_POINT, "is a point");
	is_int(s.npoints, 1, "of one vertex");
	is_pt(s.points[0], 100, 0, "clamped into the image");
	is_rect(s.box, 100, 0, 0, 0, "its box is the point");
	a.y = INFINITY;
	shape_copy(&before, &s, &err);
	is_int(shape_make_point(&s, a, 100, 50, &err), -1, "an infinite point is refused");
	ok(shape_equal(&s, &before), "and leaves the shape");
	shape_clear(&before);

	is_int(shape_make_classification(&s, 640, 480, &err), 0, "a classification");
	is_int(s.kind, SHAPE_CLASSIFICATION, "is a classification");
	is_rect(s.box, 0, 0, 640, 480, "covering the image");
	ok(s.points == NULL, "without points");
	shape_make_classification(&s, -1, -1, &err);
	is_rect(s.box, 0, 0, 0, 0, "an unknown size gives an empty box");

	is_int(shape_make_path(&s, SHAPE_POLYGON, v, 3, 100, 50, &err), 0, "a polygon");
	is_int(s.kind, SHAPE_POLYGON, "is a polygon");
	is_pt(s.points[0], 0, 10, "clamped at the left");
	is_pt(s.points[1], 50, 50, "and at the bottom");
	is_pt(s.points[2], 20, 0, "and at the top");
	is_int(s.nparts, 1, "of one part");
	is_int(s.part_ends[0], 3, "holding every vertex");
	is_rect(s.box, 0, 0, 50, 50, "with its bounds");
	is_int(shape_make_path(&s, SHAPE_LINE, v, 2, 100, 50, &err), 0, "a line");
	is_int(s.kind, SHAPE_LINE, "is a line");
	is_int(s.npoints, 2, "of two vertices");
	shape_copy(&before, &s, &err);
	is_int(shape_make_path(&s, SHAPE_POLYGON, v, 2, 100, 50, &err), -1,
	       "a polygon of 2 vertices is refused");
	is_int(shape_make_path(&s, SHAPE_LINE, v, 1, 100, 50, &err), -1,
	       "a line of 1 vertex is refused");
	is_int(shape_make_path(&s, SHAPE_BOX, v, 3, 100, 50, &err), -1, "a box path is refused");
	is_int(shape_make_path(&s, SHAPE_LINE, NULL, 2, 100, 50, &err), -1, "no vertices");
	is_int(shape_make_path(&s, SHAPE_POINT, v, 2, 100, 50, &err), -1,
	       "a point of 2 vertices is refused");
	v[1].y = NAN;
	is_int(shape_make_path(&s, SHAPE_LINE, v, 2, 100, 50, &err), -1, "a NaN vertex is refused");
	ok(shape_equal(&s, &before), "refusals leave the shape");
	v[1].y = 20;
	shape_make_path(&s, SHAPE_POLYGON, v, 3, 100, 50, &err);
	for (int i = 0; i < 10; i++)
		if (shape_add_point(&s, i, i) < 0)
			abort();
	is_int(s.npoints, 13, "a built path grows with shape_add_point");
	shape_clear(&before);
	shape_clear(&s);
}

static void test_hit(void)
{
	struct shape sh[6];
	struct point p;
	double line[] = {0, 150, 100, 150};
	int lend[] = {2};

	sh[0] = box_shape(0, 0, 200, 200);
	sh[0].kind = SHAPE_CLASSIFICATION;
	sh[1] = box_shape(10, 10, 100, 100);
	sh[2] = box_shape(40, 40, 20, 20);
	sh[3] = holed_square();
	shape_move(&sh[3], 300, 0, 0, 0, NULL); /* 300..400 x 0..100, hole 325..375 */
	sh[4] = path_shape(SHAPE_LINE, line, 2, lend, 1);
	sh[5] = box_shape(0, 0, 0, 0);
	sh[5].kind = SHAPE_POINT;
	if (shape_add_point(&sh[5], 50, 50) < 0)
		abort();
	shape_update_bounds(&sh[5]);

	p.x = 45;
	p.y = 45;
	is_int(shape_hit_test(sh, 5, p, 2), 2, "the smaller of two overlapping boxes wins");
	p.x = 20;
	is_int(shape_hit_test(sh, 5, p, 2), 1, "the big box where only it holds the point");
	p.x = 50;
	p.y = 51;
	is_int(shape_hit_test(sh, 6, p, 2), 5, "a point within tolerance wins over its boxes");
	is_int(shape_hit_test(sh, 6, p, 0.5), 2, "out of tolerance the small box holds it");
	p.x = 112;
	p.y = 50;
	is_int(shape_hit_test(sh, 5, p, 2), 1, "a box outline within tolerance");
	is_int(shape_hit_test(sh, 5, p, 1.5), -1, "but not beyond it");
	p.x = 150;
	is_int(shape_hit_test(sh, 5, p, 2), -1, "a classification is never hit");
	is_int(shape_hit_test(sh, 1, p, 1e9), -1, "even with a huge tolerance");

	p.x = 310;
	p.y = 50;
	is_int(shape_hit_test(sh, 5, p, 2), 3, "inside a polygon's ring");
	p.x = 350;
	is_int(shape_hit_test(sh, 5, p, 2), -1, "not in its hole");
	p.x = 326;
	is_int(shape_hit_test(sh, 5, p, 2), 3, "the hole's edge within tolerance");
	p.x = 405;
	is_int(shape_hit_test(sh, 5, p, 4), -1, "beyond the outer edge's tolerance");
	is_int(shape_hit_test(sh, 5, p, 5), 3, "at the tolerance");

	p.x = 50;
	p.y = 153;
	is_int(shape_hit_test(sh, 5, p, 3), 4, "a line within tolerance");
	is_int(shape_hit_test(sh, 5, p, 2.5), -1, "but not beyond it");
	p.x = 103;
	p.y = 154;
	is_int(shape_hit_test(sh, 5, p, 5), 4, "a line's end within tolerance");
	is_int(shape_hit_test(sh, 5, p, 4.9), -1, "measured to the end, not the line through it");

	p.x = NAN;
	p.y = 45;
	is_int(shape_hit_test(sh, 5, p, 2), -1, "a NaN point hits nothing");
	p.x = 45;
	p.y = 45;
	is_int(shape_hit_test(sh, 5, p, NAN), 2, "a NaN tolerance is 0");
	is_int(shape_hit_test(sh, 5, p, -3), 2, "so is a negative one");
	is_int(shape_hit_test(NULL, 5, p, 2), -1, "no shapes, no hit");
	sh[2].box.w = NAN;
	is_int(shape_hit_test(sh, 5, p, 2), 1, "a shape with a NaN side is skipped");
	sh[2].box.w = 20;
	sh[2].kind = SHAPE_MASK;
	is_int(shape_hit_test(sh, 5, p, 2), 2, "a mask is hit by its box");
	sh[1] = box_shape(40, 40, 20, 20);
	is_int(shape_hit_test(sh, 5, p, 2), 2, "equal boxes: the later one (drawn on top)");
	sh[1].box.x = 41;
	sh[2].box.x = 39;
	p.x = 60.5;
	is_int(shape_hit_test(sh, 5, p, 2), 1, "equal areas: the nearer one first");

	for (int i = 0; i < 6; i++)
		shape_clear(&sh[i]);
}

static void test_nearest(void)
{
	struct shape h = holed_square(), b = box_shape(0, 0, 10, 10);
	struct point p = {70, 80};

	is_int(shape_nearest_vertex(&h, p), 6, "the hole's corner is nearest");
	p.x = 110;
	p.y = -5;
	is_int(shape_nearest_vertex(&h, p), 1, "the outer corner is nearest");
	p.x = 50;
	p.y = 50;
	is_int(shape_nearest_vertex(&h, p), 4, "the first of equally near vertices");
	is_int(shape_nearest_vertex(&b, p), -1, "a box has no vertex");
	p.y = NAN;
	is_int(shape_nearest_vertex(&h, p), -1, "a NaN point has no nearest vertex");
	shape_clear(&h);
}

int main(void)
{
	test_handle_names();
	test_copy();
	test_equal();
	test_move_box();
	test_move_points();
	test_resize();
	test_vertex_move();
	test_vertex_insert();
	test_vertex_delete();
	test_vertex_step();
	test_builders();
	test_hit();
	test_nearest();
	return done_testing();
}
