/* Scene plumbing (see scene.h): the light of the scene, annotations clipped to the image with
 * the deliberate mistakes applied, and object frames that track what they draw. */
#include "demo/scene.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define CLIP_MAX (2 * PATH_MAX_POINTS + 8)

/* How each mood changes the colour of things that do not give light. */
static const struct {
	uint32_t toward;
	double amount;
} mood_tints[] = {
    [MOOD_DAY] = {0x000000, 0.0},     [MOOD_OVERCAST] = {0x8a9099, 0.18},
    [MOOD_SUNSET] = {0xb8643a, 0.20}, [MOOD_NIGHT] = {0x0e1426, 0.64},
    [MOOD_FOG] = {0xa0a4a8, 0.15},
};

uint32_t scene_tint(const struct scene *sc, uint32_t c)
{
	int lit = (c & 0x1000000u) != 0;

	c &= 0xffffff;
	if (!lit && mood_tints[sc->mood].amount > 0)
		c = paint_mix(c, mood_tints[sc->mood].toward, mood_tints[sc->mood].amount);
	if (sc->haze > 0)
		c = paint_mix(c, sc->haze_color, sc->haze > 1 ? 1 : sc->haze);
	return c;
}

/* Annotations keep a tenth of a pixel: enough for review, short in the JSON. */
static double tenth(double v)
{
	return round(v * 10) / 10;
}

static struct shape *scene_new_shape(struct scene *sc, enum shape_kind kind, int label)
{
	struct shape *s;

	if (sc->quiet)
		return NULL;
	s = asset_add_shape(sc->asset);
	if (s == NULL) {
		sc->oom = 1;
		return NULL;
	}
	s->kind = kind;
	s->label = label;
	return s;
}

static void scene_drop_last(struct scene *sc)
{
	shape_clear(&sc->asset->shapes[sc->asset->nshapes - 1]);
	sc->asset->nshapes--;
}

void scene_box(struct scene *sc, enum demo_label label, double x0, double y0, double x1, double y1)
{
	struct shape *s;

	x0 = tenth(fmax(0, x0));
	y0 = tenth(fmax(0, y0));
	x1 = tenth(fmin(sc->w, x1));
	y1 = tenth(fmin(sc->h, y1));
	if (x1 - x0 < 4 || y1 - y0 < 4 || (x1 - x0) * (y1 - y0) < 40)
		return;
	s = scene_new_shape(sc, SHAPE_BOX, label);
	if (s != NULL)
		s->box = (struct rect){x0, y0, x1 - x0, y1 - y0};
}

void scene_point(struct scene *sc, enum demo_label label, double x, double y)
{
	struct shape *s;

	if (x < 0 || y < 0 || x > sc->w || y > sc->h)
		return;
	s = scene_new_shape(sc, SHAPE_POINT, label);
	if (s == NULL)
		return;
	if (shape_add_point(s, tenth(x), tenth(y)) < 0 || shape_end_part(s) < 0)
		sc->oom = 1;
	shape_update_bounds(s);
}

void scene_class(struct scene *sc, enum demo_label label)
{
	scene_new_shape(sc, SHAPE_CLASSIFICATION, label);
}

void scene_line(struct scene *sc, enum demo_label label, const struct point *pts, int n)
{
	struct shape *s = scene_shape_begin(sc, SHAPE_LINE, label);

	scene_shape_part(sc, s, pts, n);
	scene_shape_end(sc, s);
}

struct shape *scene_shape_begin(struct scene *sc, enum shape_kind kind, enum demo_label label)
{
	return scene_new_shape(sc, kind, label);
}

/* One Sutherland-Hodgman pass: keeps the side of the line `axis = limit` given by sign. */
static int clip_pass(const struct point *in, int n, struct point *out, int axis, double limit,
                     double sign)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		struct point a = in[i], b = in[(i + 1) % n];
		double da = sign * ((axis ? a.y : a.x) - limit);
		double db = sign * ((axis ? b.y : b.x) - limit);
		if (da >= 0)
			out[m++] = a;
		if ((da >= 0) != (db >= 0)) {
			double t = da / (da - db);
			out[m++] = (struct point){a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
		}
	}
	return m;
}

static void scene_add_part(struct scene *sc, struct shape *s, const struct point *pts, int n,
                           int min_points)
{
	int kept = 0;

	for (int i = 0; i < n; i++) {
		double x = tenth(pts[i].x), y = tenth(pts[i].y);
		if (kept > 0 && s->points[s->npoints - 1].x == x &&
		    s->points[s->npoints - 1].y == y)
			continue;
		if (shape_add_point(s, x, y) < 0) {
			sc->oom = 1;
			return;
		}
		kept++;
	}
	if (kept < min_points)
		s->npoints -= kept;
	else if (shape_end_part(s) < 0)
		sc->oom = 1;
}

static void scene_polygon_part(struct scene *sc, struct shape *s, const struct point *pts, int n)
{
	struct point a[CLIP_MAX], b[CLIP_MAX];
	int m;

	if (n > PATH_MAX_POINTS)
		n = PATH_MAX_POINTS;
	memcpy(a, pts, (size_t)n * sizeof *pts);
	m = clip_pass(a, n, b, 0, 0, 1);
	m = clip_pass(b, m, a, 0, sc->w, -1);
	m = clip_pass(a, m, b, 1, 0, 1);
	m = clip_pass(b, m, a, 1, sc->h, -1);
	scene_add_part(sc, s, a, m, 3);
}

/* Liang-Barsky: the part of segment a-b inside the image, or 0 when none is. */
static int clip_segment(const struct scene *sc, struct point *a, struct point *b)
{
	double t0 = 0, t1 = 1, dx = b->x - a->x, dy = b->y - a->y;
	double p[4] = {-dx, dx, -dy, dy}, q[4] = {a->x, sc->w - a->x, a->y, sc->h - a->y};

	for (int i = 0; i < 4; i++) {
		if (p[i] == 0) {
			if (q[i] < 0)
				return 0;
			continue;
		}
		double t = q[i] / p[i];
		if (p[i] < 0 && t > t0)
			t0 = t;
		else if (p[i] > 0 && t < t1)
			t1 = t;
	}
	if (t0 > t1)
		return 0;
	*b = (struct point){a->x + dx * t1, a->y + dy * t1};
	*a = (struct point){a->x + dx * t0, a->y + dy * t0};
	return 1;
}

/* A polyline leaving and re-entering the image becomes several parts. */
static void scene_line_part(struct scene *sc, struct shape *s, const struct point *pts, int n)
{
	struct point run[PATH_MAX_POINTS];
	int m = 0;

	for (int i = 0; i + 1 < n && i + 1 < PATH_MAX_POINTS; i++) {
		struct point a = pts[i], b = pts[i + 1];
		int inside = clip_segment(sc, &a, &b);
		if (inside && m > 0 && (run[m - 1].x != a.x || run[m - 1].y != a.y)) {
			scene_add_part(sc, s, run, m, 2);
			m = 0;
		}
		if (!inside)
			continue;
		if (m == 0)
			run[m++] = a;
		run[m++] = b;
	}
	scene_add_part(sc, s, run, m, 2);
}

void scene_shape_part(struct scene *sc, struct shape *s, const struct point *pts, int n)
{
	if (s == NULL)
		return;
	if (s->kind == SHAPE_POLYGON)
		scene_polygon_part(sc, s, pts, n);
	else
		scene_line_part(sc, s, pts, n);
}

void scene_shape_end(struct scene *sc, struct shape *s)
{
	if (s == NULL)
		return;
	shape_update_bounds(s);
	if (s->nparts == 0 || (s->box.w < 3 && s->box.h < 3))
		scene_drop_last(sc);
}

/* The most visible object of the flaw's label: a mistake nobody can see teaches nothing. Boxes
 * only for the mistakes that move a box. */
static int scene_flaw_victim(const struct scene *sc)
{
	int boxes_only = sc->flaw.kind == FLAW_LOOSE || sc->flaw.kind == FLAW_SHIFTED ||
	                 sc->flaw.kind == FLAW_DUPLICATE;
	double best = 0;
	int victim = -1;

	for (int i = 0; i < sc->asset->nshapes; i++) {
		const struct shape *s = &sc->asset->shapes[i];
		if (s->label != (int)sc->flaw.target || (boxes_only && s->kind != SHAPE_BOX) ||
		    s->kind == SHAPE_CLASSIFICATION || s->box.w * s->box.h <= best)
			continue;
		best = s->box.w * s->box.h;
		victim = i;
	}
	return victim;
}

static void scene_flaw_note(struct scene *sc, const char *fmt)
{
	sc->flaw_done = 1;
	snprintf(sc->flaw_note, sizeof sc->flaw_note, fmt, sc->label_names[sc->flaw.target],
	         sc->label_names[sc->flaw.as]);
}

/* Moves the victim's box: larger all round, or half its width aside. */
static void scene_flaw_move(struct scene *sc, struct shape *s)
{
	struct rect r = s->box;
	double dx = r.x + r.w * 1.45 <= sc->w ? 0.45 * r.w : -0.45 * r.w;

	if (sc->flaw.kind == FLAW_LOOSE)
		r = (struct rect){r.x - 0.35 * r.w, r.y - 0.3 * r.h, r.w * 1.7, r.h * 1.5};
	else
		r = (struct rect){r.x + dx, r.y - 0.08 * r.h, r.w, r.h};
	r.x = tenth(fmax(0, r.x));
	r.y = tenth(fmax(0, r.y));
	r.w = tenth(fmin(sc->w - r.x, r.w));
	r.h = tenth(fmin(sc->h - r.y, r.h));
	s->box = r;
}

void scene_apply_flaw(struct scene *sc)
{
	static const char *const notes[] = {
	    [FLAW_LOOSE] = "loose box on %s",         [FLAW_SHIFTED] = "shifted box on %s",
	    [FLAW_WRONG_LABEL] = "%s labelled %s",    [FLAW_MISSING] = "%s not annotated",
	    [FLAW_DUPLICATE] = "duplicate box on %s",
	};
	int victim = sc->flaw.kind == FLAW_NONE ? -1 : scene_flaw_victim(sc);
	struct shape *s;

	if (victim < 0)
		return;
	s = &sc->asset->shapes[victim];
	scene_flaw_note(sc, notes[sc->flaw.kind]);
	if (sc->flaw.kind == FLAW_LOOSE || sc->flaw.kind == FLAW_SHIFTED) {
		scene_flaw_move(sc, s);
	} else if (sc->flaw.kind == FLAW_WRONG_LABEL) {
		s->label = sc->flaw.as;
	} else if (sc->flaw.kind == FLAW_MISSING) {
		struct shape *shapes = sc->asset->shapes;
		shape_clear(s);
		memmove(shapes + victim, shapes + victim + 1,
		        (size_t)(sc->asset->nshapes - victim - 1) * sizeof *shapes);
		sc->asset->nshapes--;
	} else {
		struct rect r = s->box;
		scene_box(sc, sc->flaw.target, r.x + 0.04 * r.w, r.y - 0.03 * r.h, r.x + r.w * 1.07,
		          r.y + r.h);
	}
}

void frame_init(struct frame *f, double ox, double oy, double scale, int facing)
{
	f->ox = ox;
	f->oy = oy;
	f->sx = facing < 0 ? -scale : scale;
	f->sy = scale;
	f->x0 = f->y0 = INFINITY;
	f->x1 = f->y1 = -INFINITY;
	f->track = 1;
}

static void frame_extend(struct frame *f, double x, double y, double rx, double ry)
{
	if (!f->track)
		return;
	f->x0 = fmin(f->x0, x - rx);
	f->x1 = fmax(f->x1, x + rx);
	f->y0 = fmin(f->y0, y - ry);
	f->y1 = fmax(f->y1, y + ry);
}

struct point frame_pt(struct frame *f, double x, double y)
{
	struct point p = {f->ox + x * f->sx, f->oy - y * f->sy};

	frame_extend(f, p.x, p.y, 0, 0);
	return p;
}

void frame_poly(struct scene *sc, struct frame *f, const double (*xy)[2], int n, uint32_t top,
                uint32_t bottom, double alpha)
{
	struct path p;

	path_init(&p);
	for (int i = 0; i < n; i++) {
		struct point q = frame_pt(f, xy[i][0], xy[i][1]);
		path_add(&p, q.x, q.y);
	}
	path_close(&p);
	paint_fill_grad(sc->cv, &p, scene_tint(sc, top), scene_tint(sc, bottom), alpha);
}

void frame_rect(struct scene *sc, struct frame *f, double x0, double y0, double x1, double y1,
                uint32_t c, double alpha)
{
	const double xy[4][2] = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};

	frame_poly(sc, f, xy, 4, c, c, alpha);
}

void frame_ellipse(struct scene *sc, struct frame *f, double cx, double cy, double rx, double ry,
                   uint32_t c, double alpha)
{
	struct point q = frame_pt(f, cx, cy);

	rx *= f->sy;
	ry *= f->sy;
	frame_extend(f, q.x, q.y, rx, ry);
	paint_ellipse(sc->cv, q.x, q.y, rx, ry, scene_tint(sc, c), alpha);
}

void frame_ring(struct scene *sc, struct frame *f, double cx, double cy, double r_out, double r_in,
                uint32_t c)
{
	struct point q = frame_pt(f, cx, cy);
	struct path p;

	frame_extend(f, q.x, q.y, r_out * f->sy, r_out * f->sy);
	path_init(&p);
	path_ellipse(&p, q.x, q.y, r_out * f->sy, r_out * f->sy, 0, 0);
	path_ellipse(&p, q.x, q.y, r_in * f->sy, r_in * f->sy, 0, 1);
	paint_fill(sc->cv, &p, scene_tint(sc, c), 1);
}

void frame_stroke(struct scene *sc, struct frame *f, const double (*xy)[2], int n, double width,
                  uint32_t c, double alpha)
{
	struct point pts[64];
	double wpx = width * f->sy;

	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++) {
		pts[i] = frame_pt(f, xy[i][0], xy[i][1]);
		frame_extend(f, pts[i].x, pts[i].y, wpx / 2, wpx / 2);
	}
	paint_stroke(sc->cv, pts, n, wpx, scene_tint(sc, c), alpha);
}

void frame_line(struct scene *sc, struct frame *f, double x0, double y0, double x1, double y1,
                double width, uint32_t c, double alpha)
{
	const double xy[2][2] = {{x0, y0}, {x1, y1}};

	frame_stroke(sc, f, xy, 2, width, c, alpha);
}

void frame_glow(struct scene *sc, struct frame *f, double cx, double cy, double r, uint32_t c,
                double strength)
{
	int track = f->track;
	struct point q;

	f->track = 0;
	q = frame_pt(f, cx, cy);
	f->track = track;
	paint_glow(sc->cv, q.x, q.y, r * f->sy, scene_tint(sc, LIT(c)), strength);
}

void frame_shadow(struct scene *sc, struct frame *f, double cx, double rx, double ry)
{
	int track = f->track;
	struct point q;

	f->track = 0;
	q = frame_pt(f, cx, 0);
	f->track = track;
	paint_shadow(sc->cv, q.x, q.y, rx * f->sy, ry * f->sy,
	             sc->mood == MOOD_NIGHT || sc->mood == MOOD_FOG ? 0.3 : 0.5);
}

void frame_box(struct scene *sc, const struct frame *f, enum demo_label label)
{
	if (f->x1 > f->x0 && f->y1 > f->y0)
		scene_box(sc, label, f->x0, f->y0, f->x1, f->y1);
}
