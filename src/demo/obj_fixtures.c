/* What stands still in the demo scenes: traffic lights, signs, street lamps, trees and
 * buildings. */
#include "demo/scene.h"

#include <math.h>

static const uint32_t facades[] = {0xc9b79c, 0xa0522d, 0xd8d0c0, 0x8c8c8c,
                                   0xb0c4c8, 0xe0a878, 0x9a7b63, 0xc8c0a0};
static const uint32_t leaves[] = {0x2e6b2e, 0x3f7d34, 0x4f8a3a, 0x2a5a30, 0x6b8e23, 0x55802f};

void obj_traffic_light(struct scene *sc, double x, double ground, double housing_h, double pole_h)
{
	static const uint32_t lit[3] = {0xff3b2f, 0xffb000, 0x35e07a};
	static const uint32_t dim[3] = {0x3a1512, 0x3a2a0a, 0x0f2e1a};
	int on = rng_int(&sc->rng, 0, 2), night = sc->mood == MOOD_NIGHT;
	struct frame pole, box;
	struct point lamp;

	frame_init(&pole, x, ground, housing_h, 1);
	frame_init(&box, x, ground, housing_h, 1);
	frame_line(sc, &pole, 0, 0, 0, pole_h + 0.2, 0.14, 0x4a4d50, 1);
	frame_rect(sc, &box, -0.22, pole_h, 0.22, pole_h + 1, 0x25282c, 1);
	for (int i = 0; i < 3; i++) {
		double cy = pole_h + 0.83 - 0.33 * i;
		frame_rect(sc, &box, -0.17, cy + 0.12, 0.17, cy + 0.16, 0x15171a, 1);
		frame_ellipse(sc, &box, 0, cy, 0.115, 0.115, i == on ? LIT(lit[i]) : dim[i], 1);
	}
	frame_glow(sc, &box, 0, pole_h + 0.83 - 0.33 * on, night ? 0.9 : 0.4, lit[on],
	           night ? 0.7 : 0.35);
	frame_box(sc, &box, DL_TRAFFIC_LIGHT);
	box.track = 0;
	lamp = frame_pt(&box, 0, pole_h + 0.83 - 0.33 * on);
	scene_point(sc, DL_LAMP, lamp.x, lamp.y);
}

/* The face of a sign, in units of its width, centred on (0, cy). */
static void sign_face(struct scene *sc, struct frame *f, double cy, int kind)
{
	static const double arrow[][2] = {{-0.06, -0.3}, {-0.06, 0.05}, {-0.2, 0.05}, {0, 0.3},
	                                  {0.2, 0.05},   {0.06, 0.05},  {0.06, -0.3}};
	double shifted[7][2];

	switch (kind) {
	case 0: /* no entry */
		frame_ellipse(sc, f, 0, cy, 0.5, 0.5, 0xc4161c, 1);
		frame_rect(sc, f, -0.34, cy - 0.08, 0.34, cy + 0.08, 0xf4f4f4, 1);
		break;
	case 1: /* go straight */
		frame_ellipse(sc, f, 0, cy, 0.5, 0.5, 0x1f5fb0, 1);
		for (int i = 0; i < 7; i++) {
			shifted[i][0] = arrow[i][0];
			shifted[i][1] = arrow[i][1] + cy;
		}
		frame_poly(sc, f, shifted, 7, 0xf4f4f4, 0xf4f4f4, 1);
		break;
	default: /* parking */
		frame_rect(sc, f, -0.45, cy - 0.45, 0.45, cy + 0.45, 0x1f5fb0, 1);
		frame_rect(sc, f, -0.15, cy - 0.3, -0.05, cy + 0.3, 0xf4f4f4, 1);
		frame_ring(sc, f, 0.02, cy + 0.14, 0.17, 0.08, 0xf4f4f4);
		break;
	}
}

void obj_sign(struct scene *sc, double x, double ground, double face, double pole_h)
{
	struct frame pole, sign;

	frame_init(&pole, x, ground, face, 1);
	frame_init(&sign, x, ground, face, 1);
	frame_line(sc, &pole, 0, 0, 0, pole_h, 0.07, 0x8a8e92, 1);
	sign_face(sc, &sign, pole_h + 0.45, rng_int(&sc->rng, 0, 2));
	frame_box(sc, &sign, DL_TRAFFIC_SIGN);
}

void obj_street_lamp(struct scene *sc, double x, double ground, double height, int facing)
{
	static const double arm[][2] = {{0, 0.95}, {0.05, 1.0}, {0.22, 1.0}};
	struct frame f;

	frame_init(&f, x, ground, height, facing);
	frame_line(sc, &f, 0, 0, 0, 0.97, 0.025, 0x3c4044, 1);
	frame_stroke(sc, &f, XY_TABLE(arm), 0.018, 0x3c4044, 1);
	frame_rect(sc, &f, 0.16, 0.975, 0.28, 0.995, 0x2a2c2e, 1);
	frame_rect(sc, &f, 0.17, 0.968, 0.27, 0.976,
	           sc->mood == MOOD_NIGHT ? LIT(0xfff4d0) : 0xd8d8d0, 1);
	if (sc->mood == MOOD_NIGHT || sc->mood == MOOD_FOG) {
		frame_glow(sc, &f, 0.22, 0.95, 0.35, 0xffd890, 0.55);
		frame_glow(sc, &f, 0.22, 0.96, 0.08, 0xfff4d0, 0.8);
	}
}

/* The crown's outline radius at angle t: a wobbly circle, the same for a given phase set. */
static double crown_radius(const double ph[3], double t)
{
	return 1 + 0.09 * sin(3 * t + ph[0]) + 0.06 * sin(5 * t + ph[1]) +
	       0.04 * sin(8 * t + ph[2]) + 0.02 * sin(17 * t + ph[0] + ph[1]);
}

static void tree_crown(struct scene *sc, struct frame *f, double cy, const double ph[3],
                       uint32_t green, struct point *outline, int n)
{
	struct path p;

	path_init(&p);
	for (int i = 0; i < n; i++) {
		double t = 2 * M_PI * i / n, r = crown_radius(ph, t);
		outline[i] = frame_pt(f, r * cos(t), cy + 0.88 * r * sin(t));
		path_add(&p, outline[i].x, outline[i].y);
	}
	path_close(&p);
	paint_fill_grad(sc->cv, &p, scene_tint(sc, paint_shade(green, 0.1)),
	                scene_tint(sc, paint_shade(green, -0.35)), 1);
	/* light from the upper left, then clumps of leaves catching it or not */
	for (int i = 0; i < 3; i++)
		frame_ellipse(sc, f, rng_range(&sc->rng, -0.3, 0.05),
		              cy + rng_range(&sc->rng, 0.05, 0.28), 0.42, 0.36,
		              paint_shade(green, 0.15), 0.3);
	for (int i = 0; i < 70; i++) {
		double a = rng_range(&sc->rng, 0, 2 * M_PI), d = 0.7 * sqrt(rng_unit(&sc->rng));
		double lit =
		    0.1 - 0.25 * (d * cos(a) - d * sin(a)) + rng_range(&sc->rng, -0.12, 0.12);
		frame_ellipse(sc, f, d * cos(a), cy + 0.85 * d * sin(a), 0.085, 0.07,
		              paint_shade(green, lit), 0.4);
	}
}

void obj_tree(struct scene *sc, double x, double ground, double crown_r)
{
	uint32_t green = RNG_PICK(&sc->rng, leaves);
	double trunk = rng_range(&sc->rng, 1.0, 1.5), cy = trunk + 0.7, bottom;
	double ph[3] = {rng_range(&sc->rng, 0, 6.3), rng_range(&sc->rng, 0, 6.3),
	                rng_range(&sc->rng, 0, 6.3)};
	/* drawn with 96 points, annotated with every other one: a sub-pixel difference */
	struct point outline[96], half[48], stem[4];
	struct frame f;
	struct shape *s;

	frame_init(&f, x, ground, crown_r, 1);
	frame_shadow(sc, &f, 0, 0.7, 0.09);
	bottom = cy - 0.88 * crown_radius(ph, -M_PI / 2);
	const double trunk_xy[][2] = {{-0.13, 0}, {-0.08, cy}, {0.08, cy}, {0.13, 0}};
	frame_poly(sc, &f, XY_TABLE(trunk_xy), 0x6b4a2e, 0x4a3320, 1);
	frame_line(sc, &f, 0, trunk, -0.45, cy + 0.25, 0.07, 0x5a3e26, 1);
	frame_line(sc, &f, 0, trunk + 0.2, 0.4, cy + 0.35, 0.06, 0x5a3e26, 1);
	tree_crown(sc, &f, cy, ph, green, outline, 96);
	for (int i = 0; i < 48; i++)
		half[i] = outline[2 * i];
	stem[0] = frame_pt(&f, -0.13, 0);
	stem[1] = frame_pt(&f, -0.08 - 0.05 * (1 - bottom / cy), bottom);
	stem[2] = frame_pt(&f, 0.08 + 0.05 * (1 - bottom / cy), bottom);
	stem[3] = frame_pt(&f, 0.13, 0);
	/* the crown and the visible part of the trunk are two parts of one tree */
	s = scene_shape_begin(sc, SHAPE_POLYGON, DL_TREE);
	scene_shape_part(sc, s, half, 48);
	if (bottom > 0.1)
		scene_shape_part(sc, s, stem, 4);
	scene_shape_end(sc, s);
}

/* Right half of a pine's outline, from the trunk's foot up to the top, in units of its height:
 * four tiers, each a drooping triangle whose underside tucks under the tier above. */
static int pine_half(double (*out)[2])
{
	static const double base[4] = {0.12, 0.33, 0.52, 0.70}, width[4] = {0.30, 0.24, 0.18, 0.12};
	int n = 0;

	out[n][0] = 0.035, out[n++][1] = 0;
	out[n][0] = 0.035, out[n++][1] = base[0];
	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			double top = fmin(1, base[i - 1] + 0.42);
			double t = (base[i] - base[i - 1]) / (top - base[i - 1]);
			out[n][0] = width[i - 1] * (1 - t);
			out[n++][1] = base[i] + 0.01;
		}
		out[n][0] = width[i];
		out[n++][1] = base[i] - 0.02;
	}
	return n;
}

void obj_pine(struct scene *sc, double x, double ground, double height)
{
	double half[12][2];
	struct point pts[26], lit[14];
	int nh = pine_half(half), n = 0, m = 0;
	struct frame f;
	struct shape *s;

	frame_init(&f, x, ground, height, 1);
	frame_shadow(sc, &f, 0, 0.25, 0.03);
	for (int i = 0; i < nh; i++)
		pts[n++] = frame_pt(&f, half[i][0], half[i][1]);
	pts[n++] = frame_pt(&f, 0, 1);
	for (int i = nh - 1; i >= 0; i--)
		pts[n++] = lit[m++] = frame_pt(&f, -half[i][0], half[i][1]);
	lit[m - 1] = frame_pt(&f, 0, 0);
	lit[m++] = frame_pt(&f, 0, 1);
	paint_polygon(sc->cv, pts, n, scene_tint(sc, 0x24502e), 1);
	paint_polygon(sc->cv, lit, m, scene_tint(sc, 0x4a8a50), 0.35);
	frame_rect(sc, &f, -0.035, 0, 0.035, 0.12, 0x5a3e26, 1);
	s = scene_shape_begin(sc, SHAPE_POLYGON, DL_TREE);
	scene_shape_part(sc, s, pts, n);
	scene_shape_end(sc, s);
}

/* Windows of one floor; at night some are lit. */
static void building_floor(struct scene *sc, double x0, double x1, double y, double floor_h)
{
	double ww = floor_h * 0.42, wh = floor_h * 0.55, gap = floor_h * 0.32;
	int cols = (int)((x1 - x0 - gap) / (ww + gap));
	double left = x0 + (x1 - x0 - cols * (ww + gap) + gap) / 2;
	int night = sc->mood == MOOD_NIGHT;

	for (int c = 0; c < cols; c++) {
		double wx = left + c * (ww + gap), wy = y - floor_h * 0.78;
		uint32_t top = 0x9fb6c8, bottom = 0x3b4a58;
		if (night && rng_chance(&sc->rng, 0.45))
			top = LIT(0xffd98a), bottom = LIT(0xe8a850);
		else if (night)
			top = 0x202632, bottom = 0x141820;
		paint_rect(sc->cv, wx - ww * 0.08, wy - wh * 0.06, wx + ww * 1.08, wy + wh * 1.08,
		           scene_tint(sc, 0xe4e0d6), 0.8);
		struct path p;
		path_init(&p);
		path_rect(&p, wx, wy, wx + ww, wy + wh);
		paint_fill_grad(sc->cv, &p, scene_tint(sc, top), scene_tint(sc, bottom), 1);
		paint_rect(sc->cv, wx + ww * 0.47, wy, wx + ww * 0.53, wy + wh,
		           scene_tint(sc, 0xd8d4ca), 0.9);
	}
}

/* The ground floor: a door and a shop window under an awning. */
static void building_street_level(struct scene *sc, double x0, double x1, double ground,
                                  double floor_h)
{
	static const uint32_t awnings[] = {0xb03030, 0x2f6f4f, 0x2f4f8f, 0xd0a020};
	double w = x1 - x0, door = x0 + w * rng_range(&sc->rng, 0.1, 0.7);
	uint32_t awning = RNG_PICK(&sc->rng, awnings);
	int night = sc->mood == MOOD_NIGHT;

	paint_rect(sc->cv, door, ground - floor_h * 0.75, door + floor_h * 0.38, ground,
	           scene_tint(sc, 0x3a2a20), 1);
	if (w < floor_h * 1.6)
		return;
	double sx0 = door < x0 + w / 2 ? door + floor_h * 0.55 : x0 + w * 0.08;
	double sx1 = door < x0 + w / 2 ? x1 - w * 0.08 : door - floor_h * 0.15;
	paint_rect(sc->cv, sx0, ground - floor_h * 0.7, sx1, ground - floor_h * 0.12,
	           scene_tint(sc, night ? LIT(0xf0c878) : 0x51606c), 1);
	const struct point aw[4] = {{sx0 - floor_h * 0.1, ground - floor_h * 0.92},
	                            {sx1 + floor_h * 0.1, ground - floor_h * 0.92},
	                            {sx1 + floor_h * 0.2, ground - floor_h * 0.72},
	                            {sx0 - floor_h * 0.2, ground - floor_h * 0.72}};
	paint_polygon(sc->cv, aw, 4, scene_tint(sc, awning), 1);
}

/* The outline of a building with a flat, gabled or stepped top. */
static int building_outline(struct scene *sc, double x0, double x1, double ground, double top,
                            struct point *pts)
{
	double w = x1 - x0, rise = fmin(w * 0.3, (ground - top) * 0.4);
	int n = 0, kind = rng_int(&sc->rng, 0, 3);

	pts[n++] = (struct point){x0, ground};
	pts[n++] = (struct point){x0, top};
	if (kind == 1) {
		pts[n++] = (struct point){x0 + w / 2, top - rise};
	} else if (kind == 2) {
		pts[n++] = (struct point){x0 + w * 0.22, top};
		pts[n++] = (struct point){x0 + w * 0.22, top - rise * 0.6};
		pts[n++] = (struct point){x1 - w * 0.22, top - rise * 0.6};
		pts[n++] = (struct point){x1 - w * 0.22, top};
	}
	pts[n++] = (struct point){x1, top};
	pts[n++] = (struct point){x1, ground};
	return n;
}

void obj_building(struct scene *sc, double x0, double x1, double ground, double height)
{
	uint32_t wall = RNG_PICK(&sc->rng, facades);
	double floor_h = sc->u * 0.2, top = ground - height;
	int floors = (int)(height / floor_h);
	struct point pts[8];
	int n = building_outline(sc, x0, x1, ground, top, pts);
	struct path p;
	struct shape *s;

	path_init(&p);
	for (int i = 0; i < n; i++)
		path_add(&p, pts[i].x, pts[i].y);
	path_close(&p);
	paint_fill_grad(sc->cv, &p, scene_tint(sc, paint_shade(wall, 0.08)),
	                scene_tint(sc, paint_shade(wall, -0.2)), 1);
	if (n == 5) /* a gable: tiles over the top floor */
		paint_polygon(sc->cv, pts + 1, 3, scene_tint(sc, 0x7a3a2a), 1);
	paint_rect(sc->cv, x0, top, x1, top + floor_h * 0.12,
	           scene_tint(sc, paint_shade(wall, -0.3)), 0.9);
	paint_rect(sc->cv, x1 - (x1 - x0) * 0.04, top, x1, ground, 0x000000, 0.18);
	for (int i = 1; i < floors; i++)
		building_floor(sc, x0, x1, ground - i * floor_h, floor_h);
	building_street_level(sc, x0, x1, ground, floor_h);
	s = scene_shape_begin(sc, SHAPE_POLYGON, DL_BUILDING);
	scene_shape_part(sc, s, pts, n);
	scene_shape_end(sc, s);
}
