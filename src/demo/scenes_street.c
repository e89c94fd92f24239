/* Street themes of the demo dataset: a street seen across from the far pavement, and a street
 * seen along its length in perspective. Each lays out its objects from the scene's random state. */
#include "demo/scene.h"

#include <math.h>
#include <stdlib.h>

/* How many pixels a metre takes in the side-on scenes. */
static double metre(const struct scene *sc)
{
	return sc->u * 0.065;
}

static int night(const struct scene *sc)
{
	return sc->mood == MOOD_NIGHT;
}

/* In fog, how much of the air lies between the camera and the layer drawn next. */
static void street_haze(struct scene *sc, double fog)
{
	sc->haze = sc->mood == MOOD_FOG ? fog : 0;
}

/* A row of buildings tiling the width, standing on `ground`. */
static void street_buildings(struct scene *sc, double ground)
{
	double floor_h = sc->u * 0.2;

	for (double x = 0; x < sc->w - 1;) {
		double bw = sc->u * rng_range(&sc->rng, 0.3, 0.7);
		int fit = (int)((ground - sc->h * 0.06) / floor_h - 0.4);
		int floors = rng_int(&sc->rng, 2, rng_chance(&sc->rng, 0.65) && fit > 2 ? fit : 5);
		if (sc->w - (x + bw) < sc->u * 0.15)
			bw = sc->w - x;
		obj_building(sc, x, x + bw, ground,
		             floors * floor_h + floor_h * rng_range(&sc->rng, 0, 0.4));
		x += bw;
	}
}

/* The dashed centre line of a road seen across, annotated dash by dash. */
static void street_dashes(struct scene *sc, double y, double thickness)
{
	double dash = metre(sc) * 3, gap = metre(sc) * 5, x = -rng_range(&sc->rng, 0, dash + gap);
	struct shape *s = scene_shape_begin(sc, SHAPE_LINE, DL_ROAD_MARKING);

	for (; x < sc->w; x += dash + gap) {
		struct point seg[2] = {{fmax(0, x), y}, {fmin(sc->w, x + dash), y}};
		paint_rect(sc->cv, x, y - thickness / 2, x + dash, y + thickness / 2,
		           scene_tint(sc, 0xe8e8e0), 0.9);
		if (seg[1].x - seg[0].x > 2)
			scene_shape_part(sc, s, seg, 2);
	}
	scene_shape_end(sc, s);
}

/* Cars (and now and then a bus) along one lane, spaced out, never cut by the frame. */
static void street_lane(struct scene *sc, double ground, int facing, double scale)
{
	double m = metre(sc) * scale, x = rng_range(&sc->rng, 0.5, 6) * m;
	int bus_ok = rng_chance(&sc->rng, 0.35);

	while (1) {
		int bus = bus_ok && rng_chance(&sc->rng, 0.4);
		double len = (bus ? 12 : 4.5 * rng_range(&sc->rng, 0.9, 1.08)) * m;
		if (bus && x + len > sc->w - 0.2 * m) {
			bus = 0;
			len = 4.5 * m;
		}
		if (x + len > sc->w - 0.2 * m)
			break;
		if (rng_chance(&sc->rng, 0.8)) {
			if (bus)
				obj_bus_side(sc, x + len / 2, ground, len, facing);
			else
				obj_car_side(sc, x + len / 2, ground, len, facing);
			bus_ok &= !bus;
		}
		x += len + rng_range(&sc->rng, 1.5, 9) * m;
	}
}

static int compare_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* People on the far pavement, some walking a dog; the nearer ones are drawn last. */
static void street_people(struct scene *sc, double back, double front)
{
	double ys[24], m = metre(sc);
	int n = sc->crowded ? rng_int(&sc->rng, 14, 20) : rng_int(&sc->rng, 2, 6);

	if (night(sc))
		n = n / 2 + 1;
	for (int i = 0; i < n; i++)
		ys[i] = rng_range(&sc->rng, back, front);
	qsort(ys, (size_t)n, sizeof ys[0], compare_double);
	for (int i = 0; i < n; i++) {
		double x = rng_range(&sc->rng, 0.04, 0.96) * sc->w,
		       hgt = 1.75 * m * rng_range(&sc->rng, 0.88, 1.08);
		int facing = rng_int(&sc->rng, -1, 1);
		if (facing != 0 && rng_chance(&sc->rng, 0.18) && x > 2 * m && x < sc->w - 2 * m) {
			double dx = x + facing * 1.2 * m,
			       collar = obj_dog(sc, dx, ys[i], 0.9 * m, facing, 0);
			paint_line(sc->cv, x + facing * 0.2 * m, ys[i] - 0.85 * m, collar,
			           ys[i] - 0.7 * m, fmax(0.8, m * 0.02), scene_tint(sc, 0x202020),
			           1);
		}
		obj_person(sc, x, ys[i], hgt, facing);
	}
}

/* Trees, lamps, a traffic light and a sign along the far kerb. */
static void street_furniture(struct scene *sc, double ground)
{
	double m = metre(sc);
	int trees = rng_int(&sc->rng, 0, 3);

	for (int i = 0; i < trees; i++)
		obj_tree(sc, rng_range(&sc->rng, 0.08, 0.92) * sc->w, ground - 0.3 * m,
		         m * rng_range(&sc->rng, 2.0, 2.8));
	for (double x = rng_range(&sc->rng, 0.05, 0.3) * sc->w; x < sc->w; x += sc->u * 1.2)
		obj_street_lamp(sc, x, ground, 7 * m, rng_chance(&sc->rng, 0.5) ? 1 : -1);
	if (rng_chance(&sc->rng, 0.85) ||
	    (sc->flaw.kind != FLAW_NONE && sc->flaw.target == DL_TRAFFIC_LIGHT))
		obj_traffic_light(sc, rng_range(&sc->rng, 0.1, 0.9) * sc->w, ground, 0.9 * m, 3.0);
	if (rng_chance(&sc->rng, 0.6))
		obj_sign(sc, rng_range(&sc->rng, 0.1, 0.9) * sc->w, ground, 0.7 * m, 3.0);
}

void scene_street_side(struct scene *sc)
{
	double yb = sc->h * rng_range(&sc->rng, 0.55, 0.6), yr = yb + sc->h * 0.08;
	double yn = sc->h * 0.93, m = metre(sc);

	backdrop_sky(sc, yb);
	street_haze(sc, 0.45);
	street_buildings(sc, yb);
	street_haze(sc, 0.3);
	backdrop_ground(sc, yb, yr, 0xb0aca4, 0x96928a, 5);
	paint_rect(sc->cv, 0, yr - m * 0.2, sc->w, yr, scene_tint(sc, 0xcac6be), 1);
	street_haze(sc, 0.15);
	backdrop_ground(sc, yr, yn, 0x55575b, 0x424448, 7);
	street_haze(sc, 0.05);
	backdrop_ground(sc, yn, sc->h, 0xa8a49c, 0x9a968e, 5);
	paint_rect(sc->cv, 0, yn, sc->w, yn + m * 0.2, scene_tint(sc, 0xcac6be), 1);
	street_dashes(sc, (yr + yn) / 2, m * 0.15);
	street_haze(sc, 0.3);
	street_furniture(sc, yr - m * 0.3);
	street_people(sc, yb + (yr - yb) * 0.3, yr - m * 0.2);
	street_haze(sc, 0.2);
	street_lane(sc, yr + (yn - yr) * 0.42, -1, 0.94);
	if (rng_chance(&sc->rng, 0.5))
		obj_bicycle(sc, rng_range(&sc->rng, 0.15, 0.85) * sc->w, yn - (yn - yr) * 0.18,
		            0.34 * m, 1, 1);
	street_haze(sc, 0.1);
	street_lane(sc, yn - (yn - yr) * 0.04, 1, 1.0);
	sc->haze = 0;
	scene_class(sc, night(sc) ? DL_NIGHT : DL_DAY);
	scene_class(sc, DL_URBAN);
}

/* A pinhole camera over a flat ground: X to the right, Y up, Z ahead, in metres. */
struct persp {
	double cx;
	double horizon;
	double f;
	double cam_x;
	double cam_h;
};

static struct point persp_pt(const struct persp *p, double x, double y, double z)
{
	return (struct point){p->cx + p->f * (x - p->cam_x) / z,
	                      p->horizon + p->f * (p->cam_h - y) / z};
}

/* A flat quad on the ground between depths z0 and z1, across [x0, x1]. */
static void persp_ground_quad(struct scene *sc, const struct persp *p, double x0, double x1,
                              double z0, double z1, uint32_t near, uint32_t far)
{
	struct point q[4] = {persp_pt(p, x0, 0, z0), persp_pt(p, x1, 0, z0), persp_pt(p, x1, 0, z1),
	                     persp_pt(p, x0, 0, z1)};
	struct path path;

	path_init(&path);
	for (int i = 0; i < 4; i++)
		path_add(&path, q[i].x, q[i].y);
	path_close(&path);
	paint_fill_grad(sc->cv, &path, scene_tint(sc, far), scene_tint(sc, near), 1);
}

/* A lane line at x: solid, or dashed (3 m of paint every 9 m), annotated as one line shape. */
static void persp_lane_line(struct scene *sc, const struct persp *p, double x, double z_near,
                            int dashed)
{
	struct shape *s = scene_shape_begin(sc, SHAPE_LINE, DL_ROAD_MARKING);
	double period = dashed ? 9 : 140, paint = dashed ? 3 : 140;

	for (double z = z_near; z < 150; z += period) {
		double z1 = fmin(z + paint, 150);
		persp_ground_quad(sc, p, x - 0.08, x + 0.08, z, z1, 0xe8e8e0, 0xc8c8c4);
		struct point seg[2] = {persp_pt(p, x, 0, z), persp_pt(p, x, 0, z1)};
		if (seg[0].y - seg[1].y > 3)
			scene_shape_part(sc, s, seg, 2);
	}
	scene_shape_end(sc, s);
}

/* The windows of a facade on the plane x = side, between depths z0 and z1. */
static void persp_facade_windows(struct scene *sc, const struct persp *p, double side, double z0,
                                 double z1, double height)
{
	for (double y = 3.6; y + 1.6 < height; y += 3.2)
		for (double z = z0 + 1; z + 1.3 < z1; z += 3) {
			struct point q[4] = {persp_pt(p, side, y, z), persp_pt(p, side, y + 1.6, z),
			                     persp_pt(p, side, y + 1.6, z + 1.3),
			                     persp_pt(p, side, y, z + 1.3)};
			uint32_t c = 0x3b4a58;
			if (night(sc))
				c = rng_chance(&sc->rng, 0.4) ? LIT(0xf0c070) : 0x161a24;
			paint_polygon(sc->cv, q, 4, scene_tint(sc, c), 0.9);
		}
}

static void persp_buildings(struct scene *sc, const struct persp *p, double side)
{
	static const uint32_t walls[] = {0xc9b79c, 0xa0522d, 0xd8d0c0,
	                                 0x8c8c8c, 0xe0a878, 0x9a7b63};

	for (double z = 6; z < 160;) {
		double len = rng_range(&sc->rng, 12, 30), hgt = rng_range(&sc->rng, 8, 22);
		struct point q[4] = {persp_pt(p, side, 0, z), persp_pt(p, side, hgt, z),
		                     persp_pt(p, side, hgt, z + len),
		                     persp_pt(p, side, 0, z + len)};
		uint32_t wall = RNG_PICK(&sc->rng, walls);
		sc->haze = fmin(0.7, z / 220);
		paint_polygon(sc->cv, q, 4,
		              scene_tint(sc, paint_shade(wall, side < 0 ? -0.1 : -0.25)), 1);
		persp_facade_windows(sc, p, side, z, z + len, hgt);
		struct shape *s = scene_shape_begin(sc, SHAPE_POLYGON, DL_BUILDING);
		scene_shape_part(sc, s, q, 4);
		scene_shape_end(sc, s);
		z += len;
	}
	sc->haze = 0;
}

enum item_kind {
	ITEM_CAR,
	ITEM_ONCOMING,
	ITEM_BUS,
	ITEM_TREE,
	ITEM_LAMP,
	ITEM_PERSON,
	ITEM_LIGHT,
	ITEM_SIGN
};

struct item {
	double z;
	double x;
	enum item_kind kind;
};

static int compare_far_first(const void *a, const void *b)
{
	const struct item *u = a, *v = b;

	return (u->z < v->z) - (u->z > v->z);
}

/* What stands on the road and beside it, from which the scene draws far to near. */
static int persp_items(struct scene *sc, struct item *it, int max)
{
	static const double lanes[4] = {-5.25, -1.75, 1.75, 5.25};
	int n = 0, people = sc->crowded ? rng_int(&sc->rng, 12, 18) : rng_int(&sc->rng, 1, 6);

	for (int l = 0; l < 4; l++)
		for (double z = rng_range(&sc->rng, 8, 20); z < 90 && n < max;
		     z += rng_range(&sc->rng, 10, 30)) {
			enum item_kind k = lanes[l] < 0 ? ITEM_ONCOMING : ITEM_CAR;
			if (l == 3 && rng_chance(&sc->rng, 0.25))
				k = ITEM_BUS;
			it[n++] = (struct item){z, lanes[l] + rng_range(&sc->rng, -0.3, 0.3), k};
		}
	for (double z = rng_range(&sc->rng, 6, 12); z < 110 && n + 4 <= max;
	     z += rng_range(&sc->rng, 10, 18)) {
		it[n++] = (struct item){z, 8.8, ITEM_TREE};
		it[n++] = (struct item){z + 5, -8.8, ITEM_TREE};
	}
	for (double z = 15; z < 120 && n + 2 <= max; z += 25)
		it[n++] = (struct item){z, 7.4, ITEM_LAMP};
	for (int i = 0; i < people && n < max; i++)
		it[n++] = (struct item){rng_range(&sc->rng, 7, sc->crowded ? 40 : 60),
		                        (rng_chance(&sc->rng, 0.5) ? 1 : -1) *
		                            rng_range(&sc->rng, 7.4, 9.8),
		                        ITEM_PERSON};
	if (n + 2 <= max) {
		it[n++] = (struct item){rng_range(&sc->rng, 16, 30), 7.6, ITEM_LIGHT};
		it[n++] = (struct item){rng_range(&sc->rng, 10, 30), -7.6, ITEM_SIGN};
	}
	return n;
}

static void persp_draw_item(struct scene *sc, const struct persp *p, const struct item *it)
{
	struct point g = persp_pt(p, it->x, 0, it->z);
	double m = p->f / it->z;

	sc->haze = fmin(0.6, it->z / 250) + (sc->mood == MOOD_FOG ? fmin(0.5, it->z / 80) : 0);
	switch (it->kind) {
	case ITEM_CAR:
	case ITEM_ONCOMING:
		obj_car_rear(sc, g.x, g.y, 1.8 * m, it->kind == ITEM_ONCOMING);
		break;
	case ITEM_BUS:
		obj_bus_rear(sc, g.x, g.y, 2.55 * m);
		break;
	case ITEM_TREE:
		obj_tree(sc, g.x, g.y, 2.2 * m);
		break;
	case ITEM_LAMP:
		obj_street_lamp(sc, g.x, g.y, 8 * m, -1);
		break;
	case ITEM_PERSON:
		obj_person(sc, g.x, g.y, 1.75 * m * rng_range(&sc->rng, 0.9, 1.08),
		           rng_int(&sc->rng, -1, 1));
		break;
	case ITEM_LIGHT:
		obj_traffic_light(sc, g.x, g.y, 0.9 * m, 3.2);
		break;
	default:
		obj_sign(sc, g.x, g.y, 0.7 * m, 3.0);
		break;
	}
	sc->haze = 0;
}

void scene_street_ahead(struct scene *sc)
{
	struct persp p = {sc->w * rng_range(&sc->rng, 0.45, 0.55),
	                  sc->h * rng_range(&sc->rng, 0.42, 0.5), sc->u * 1.25, 1.75, 1.5};
	double z_near = p.f * p.cam_h / (sc->h - p.horizon) * 0.9;
	struct item items[96];
	int n;

	backdrop_sky(sc, p.horizon);
	backdrop_ground(sc, p.horizon, sc->h, 0x8a9a6a, 0x5a7a3a, 6);
	persp_buildings(sc, &p, 12.5);
	persp_buildings(sc, &p, -12.5);
	persp_ground_quad(sc, &p, 7, 10.5, z_near, 400, 0xa8a49c, 0x9a9890);
	persp_ground_quad(sc, &p, -10.5, -7, z_near, 400, 0xa8a49c, 0x9a9890);
	persp_ground_quad(sc, &p, -7, 7, z_near, 400, 0x46484c, 0x6a6c70);
	paint_mottle(sc->cv, p.horizon, sc->h, sc->u * 0.01, 5, rng_u64(&sc->rng));
	persp_lane_line(sc, &p, -6.8, z_near, 0);
	persp_lane_line(sc, &p, -3.5, z_near, 1);
	persp_lane_line(sc, &p, 0, z_near, 0);
	persp_lane_line(sc, &p, 3.5, z_near, 1);
	persp_lane_line(sc, &p, 6.8, z_near, 0);
	n = persp_items(sc, items, 96);
	qsort(items, (size_t)n, sizeof items[0], compare_far_first);
	for (int i = 0; i < n; i++)
		persp_draw_item(sc, &p, &items[i]);
	scene_class(sc, night(sc) ? DL_NIGHT : DL_DAY);
	scene_class(sc, DL_URBAN);
}
