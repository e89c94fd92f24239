/* Editing one shape's geometry: pure functions over struct shape, in image pixels. Every
 * operation keeps the shape inside the image (0 <= x <= img_w, 0 <= y <= img_h, and a box's
 * x + w <= img_w) and keeps shape->box equal to the bounds of its points. An img_w or img_h
 * <= 0 means the size is unknown: that axis is then only held at 0. They return 0, or -1 with
 * err filled when the edit is refused (a vertex rule, a move or coordinate that is not a finite
 * number, out of memory); a refused edit leaves the shape unchanged. */
#ifndef ANNOTTY_CORE_SHAPE_EDIT_H
#define ANNOTTY_CORE_SHAPE_EDIT_H

#include "core/model.h"

struct err;

/* The smallest box side an edit leaves, in image pixels. */
#define SHAPE_MIN_SIDE 1.0

/* An edge or a corner of a box, for resizing; listed clockwise from the top-left corner. */
enum box_handle {
	HANDLE_TOP_LEFT = 0,
	HANDLE_TOP,
	HANDLE_TOP_RIGHT,
	HANDLE_RIGHT,
	HANDLE_BOTTOM_RIGHT,
	HANDLE_BOTTOM,
	HANDLE_BOTTOM_LEFT,
	HANDLE_LEFT,
	HANDLE_COUNT
};

const char *box_handle_name(enum box_handle h); /* "top-left", "top", ... */

/* A deep copy (ext_id, points, parts, text, extra_json); dst is overwritten, not cleared
 * first, and owns the copy (shape_clear frees it; the arrays have room for shape_add_point and
 * shape_end_part to grow them). On failure dst is left empty. */
int shape_copy(struct shape *dst, const struct shape *src, struct err *err);

/* Whether two shapes have the same kind, label, geometry and text (ext_id and extra_json are
 * not compared). Geometry is the box for boxes, masks and classifications, and the points and
 * parts for the other kinds (their box only follows from the points); a missing part table
 * equals one part over all points. A NULL text equals "". A NaN coordinate equals nothing. */
int shape_equal(const struct shape *a, const struct shape *b);

/* Moves the whole shape by (dx, dy), stopping at the image's edges so that it keeps its size
 * and form (the move is limited so that the bounding box stays inside). A classification does
 * not move (0). A shape that was partly outside comes back inside; one larger than the image
 * goes to 0 and the rest is cut (a box) or its points held at the edge. */
int shape_move(struct shape *s, double dx, double dy, int img_w, int img_h, struct err *err);

/* Moves one edge or corner of a box by (dx, dy); the opposite sides stay. A side never gets
 * shorter than SHAPE_MIN_SIDE (the handle stops, it does not flip over; a side already
 * shorter only grows) and stops at the image's edge. Boxes only (other kinds are refused). */
int shape_resize_box(struct shape *s, enum box_handle h, double dx, double dy, int img_w, int img_h,
                     struct err *err);

/* Vertex editing on polygons and lines; vertex indexes run over s->points. */
int shape_vertex_move(struct shape *s, int vertex, double dx, double dy, int img_w, int img_h,
                      struct err *err);
/* Inserts a vertex halfway between vertex and the next one of its part (for a polygon the
 * part wraps around; for a line's last vertex, one step beyond it along the last segment,
 * clamped). *inserted is the new vertex's index. */
int shape_vertex_insert_after(struct shape *s, int vertex, int img_w, int img_h, int *inserted,
                              struct err *err);
/* Refused when the vertex's part would keep fewer than 3 vertices (polygon) or 2 (line). */
int shape_vertex_delete(struct shape *s, int vertex, struct err *err);
/* The vertex index of the same part after (+1) or before (-1) vertex, wrapping in the part
 * (any step works); -1 when vertex is not a vertex of a polygon's or line's part. */
int shape_vertex_step(const struct shape *s, int vertex, int step);

/* Builders for new shapes (the shape is cleared first; label is -1, left to the caller; a
 * refused build leaves the shape unchanged). A box from two corners in any order, clamped,
 * each side at least SHAPE_MIN_SIDE (grown right and down, or back from the image's far edge);
 * a point (one part of one vertex); a classification (box = the whole image, 0 x 0 when the
 * size is unknown). */
int shape_make_box(struct shape *s, struct point a, struct point b, int img_w, int img_h,
                   struct err *err);
int shape_make_point(struct shape *s, struct point p, int img_w, int img_h, struct err *err);
int shape_make_classification(struct shape *s, int img_w, int img_h, struct err *err);
/* A polygon (kind SHAPE_POLYGON, at least 3 vertices) or line (SHAPE_LINE, at least 2) of one
 * part from n vertices, clamped into the image. SHAPE_POINT with n == 1 is accepted too. */
int shape_make_path(struct shape *s, enum shape_kind kind, const struct point *v, int n, int img_w,
                    int img_h, struct err *err);

/* The shape under image point p, for a click: among the shapes whose outline is within
 * tolerance pixels of p or whose inside holds p (boxes and masks by their box; polygons by the
 * even-odd rule over all parts, so a hole is not inside), the one with the smallest
 * bounding-box area; ties go to the nearer, then to the later one (drawn on top). Points count
 * within tolerance of their position, lines within tolerance of their segments.
 * Classifications and shapes with a non-finite coordinate are never hit; a negative or NaN
 * tolerance is 0. Returns the index, or -1. */
int shape_hit_test(const struct shape *shapes, int n, struct point p, double tolerance);

/* The index of the vertex nearest to p in s (the first on a tie), or -1 when s has no
 * vertices (boxes) or p is not finite. */
int shape_nearest_vertex(const struct shape *s, struct point p);

#endif
