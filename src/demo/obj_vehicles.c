/* Vehicles of the demo scenes: cars and buses seen from the side or from behind, bicycles (with
 * or without a rider) and boats, each drawn from a table of outlines and annotated. */
#include "demo/scene.h"

#include <math.h>

/* Car bodies seen from the side, one unit long, rear at x = -0.5, on the ground at y = 0. */
static const double sedan_body[][2] = {
    {-0.50, 0.07}, {-0.50, 0.17}, {-0.47, 0.19}, {-0.35, 0.20}, {-0.27, 0.21}, {-0.18, 0.29},
    {-0.14, 0.30}, {0.06, 0.30},  {0.10, 0.29},  {0.20, 0.20},  {0.44, 0.18},  {0.49, 0.15},
    {0.50, 0.10},  {0.49, 0.06},  {0.46, 0.04},  {-0.47, 0.04},
};
static const double sedan_win1[][2] = {
    {-0.23, 0.205}, {-0.16, 0.28}, {-0.05, 0.28}, {-0.05, 0.205}};
static const double sedan_win2[][2] = {{-0.03, 0.205}, {-0.03, 0.28}, {0.07, 0.28}, {0.155, 0.205}};

static const double hatch_body[][2] = {
    {-0.50, 0.07}, {-0.50, 0.22}, {-0.46, 0.33}, {-0.40, 0.36}, {0.05, 0.36}, {0.10, 0.34},
    {0.25, 0.22},  {0.45, 0.19},  {0.50, 0.15},  {0.50, 0.09},  {0.47, 0.05}, {-0.47, 0.05},
};
static const double hatch_win1[][2] = {{-0.42, 0.24}, {-0.38, 0.33}, {-0.12, 0.33}, {-0.12, 0.24}};
static const double hatch_win2[][2] = {{-0.10, 0.24}, {-0.10, 0.33}, {0.06, 0.33}, {0.19, 0.24}};

static const double van_body[][2] = {
    {-0.50, 0.08}, {-0.50, 0.36}, {-0.48, 0.40}, {0.12, 0.40}, {0.18, 0.37},  {0.30, 0.24},
    {0.47, 0.21},  {0.50, 0.17},  {0.50, 0.09},  {0.47, 0.05}, {-0.47, 0.05},
};
static const double van_win1[][2] = {{-0.46, 0.26}, {-0.46, 0.36}, {-0.20, 0.36}, {-0.20, 0.26}};
static const double van_win2[][2] = {{-0.18, 0.26}, {-0.18, 0.36}, {0.10, 0.36}, {0.235, 0.26}};

struct car_model {
	const double (*body)[2];
	int nbody;
	const double (*win1)[2];
	const double (*win2)[2];
	double wheel_x;
	double wheel_r;
	double belt; /* height of the window line, for the shoulder highlight */
};

static const struct car_model car_models[] = {
    {XY_TABLE(sedan_body), sedan_win1, sedan_win2, 0.31, 0.07, 0.19},
    {XY_TABLE(hatch_body), hatch_win1, hatch_win2, 0.32, 0.085, 0.225},
    {XY_TABLE(van_body), van_win1, van_win2, 0.33, 0.08, 0.25},
};

static const uint32_t car_paints[] = {0xb3262e, 0x1f4e8c, 0xe8e8e6, 0xa7abb0, 0x26282b,
                                      0xe0b526, 0x2f6b45, 0x7a1f3d, 0x4a6a86, 0xd8d2c4};
static const uint32_t bus_paints[] = {0xc8302c, 0xe6b422, 0x2a6fb0, 0xe9eae4, 0x3d8b4f};
static const uint32_t bike_paints[] = {0xc0392b, 0x2c7fb8, 0x27ae60, 0x222222,
                                       0xf0f0f0, 0x8e44ad, 0xe67e22};
static const uint32_t shirt_paints[] = {0xd35400, 0x2980b9, 0xc0392b, 0xf1c40f, 0x16a085,
                                        0x8e44ad, 0xecf0f1, 0x34495e, 0xe84393, 0x55efc4};

static uint32_t glass_top(const struct scene *sc)
{
	return sc->mood == MOOD_NIGHT ? 0x1a2230 : 0xa9bccb;
}

static void car_wheel(struct scene *sc, struct frame *f, double x, double r)
{
	frame_ellipse(sc, f, x, r, r * 1.18, r * 1.18, 0x121212, 1);
	frame_ellipse(sc, f, x, r, r, r, 0x1c1c1e, 1);
	frame_ellipse(sc, f, x, r, r * 0.62, r * 0.62, 0xb9bcc0, 1);
	frame_ellipse(sc, f, x, r, r * 0.45, r * 0.45, 0x8b8f94, 1);
	frame_ellipse(sc, f, x, r, r * 0.12, r * 0.12, 0x4a4d52, 1);
}

static void car_lights(struct scene *sc, struct frame *f, const struct car_model *m)
{
	double top = m->belt - 0.045, bottom = m->belt - 0.075;
	const double head[4][2] = {{0.455, bottom}, {0.497, bottom}, {0.49, top}, {0.45, top}};
	const double tail[4][2] = {{-0.5, bottom}, {-0.47, bottom}, {-0.47, top}, {-0.497, top}};
	int night = sc->mood == MOOD_NIGHT;

	frame_poly(sc, f, head, 4, LIT(night ? 0xfff6d8 : 0xe8e4d8), LIT(0xd8d4c4), 1);
	frame_poly(sc, f, tail, 4, LIT(night ? 0xff3020 : 0xb01818), LIT(0x901010), 1);
	if (night || sc->mood == MOOD_FOG) {
		frame_glow(sc, f, 0.49, (top + bottom) / 2, 0.22, 0xfff0c0, night ? 0.9 : 0.5);
		frame_glow(sc, f, -0.49, (top + bottom) / 2, 0.12, 0xff2010, 0.8);
	}
}

void obj_car_side(struct scene *sc, double x, double ground, double length, int facing)
{
	const struct car_model *m = &RNG_PICK(&sc->rng, car_models);
	uint32_t paint = RNG_PICK(&sc->rng, car_paints);
	struct frame f;

	frame_init(&f, x, ground, length, facing);
	frame_shadow(sc, &f, 0, 0.54, 0.035);
	frame_poly(sc, &f, m->body, m->nbody, paint_shade(paint, 0.12), paint_shade(paint, -0.35),
	           1);
	frame_line(sc, &f, -0.46, m->belt - 0.01, 0.44, m->belt - 0.025, 0.008, 0xffffff, 0.25);
	frame_poly(sc, &f, m->win1, 4, glass_top(sc), 0x2c3640, 1);
	frame_poly(sc, &f, m->win2, 4, glass_top(sc), 0x2c3640, 1);
	frame_line(sc, &f, -0.04, 0.06, -0.04, m->belt, 0.004, 0x000000, 0.45);
	frame_rect(sc, &f, -0.12, m->belt - 0.03, -0.08, m->belt - 0.02, 0x202020, 0.6);
	frame_rect(sc, &f, 0.06, m->belt - 0.03, 0.10, m->belt - 0.02, 0x202020, 0.6);
	frame_rect(sc, &f, -0.47, 0.04, 0.47, 0.075, 0x18191b, 0.7);
	car_lights(sc, &f, m);
	car_wheel(sc, &f, -m->wheel_x, m->wheel_r);
	car_wheel(sc, &f, m->wheel_x, m->wheel_r);
	frame_box(sc, &f, DL_CAR);
}

static const double rear_body[][2] = {
    {-0.50, 0.12}, {-0.50, 0.42}, {-0.47, 0.47}, {0.47, 0.47},
    {0.50, 0.42},  {0.50, 0.12},  {0.47, 0.08},  {-0.47, 0.08},
};
static const double rear_cabin[][2] = {{-0.44, 0.47}, {-0.36, 0.78}, {0.36, 0.78}, {0.44, 0.47}};
static const double rear_glass[][2] = {{-0.38, 0.50}, {-0.32, 0.74}, {0.32, 0.74}, {0.38, 0.50}};

/* Rear lamps, or headlamps and grille when the car comes towards us. */
static void car_rear_lamps(struct scene *sc, struct frame *f, int front_view)
{
	int night = sc->mood == MOOD_NIGHT;
	uint32_t lamp =
	    front_view ? LIT(night ? 0xfffbe8 : 0xe4e2d8) : LIT(night ? 0xff2a1a : 0xb3141a);

	for (int side = -1; side <= 1; side += 2) {
		frame_rect(sc, f, side * 0.47, 0.32, side * 0.29, 0.42, lamp, 1);
		if (night || sc->mood == MOOD_FOG)
			frame_glow(sc, f, side * 0.38, 0.37, front_view ? 0.7 : 0.35,
			           front_view ? 0xfff2c8 : 0xff2010, night ? 0.8 : 0.45);
	}
	if (front_view)
		frame_rect(sc, f, -0.22, 0.20, 0.22, 0.35, 0x1a1b1d, 1);
	frame_rect(sc, f, -0.13, front_view ? 0.10 : 0.19, 0.13, front_view ? 0.17 : 0.27, 0xe9e9e2,
	           1);
}

void obj_car_rear(struct scene *sc, double x, double ground, double width, int front_view)
{
	uint32_t paint = RNG_PICK(&sc->rng, car_paints);
	struct frame f;

	frame_init(&f, x, ground, width, 1);
	frame_shadow(sc, &f, 0, 0.58, 0.05);
	frame_rect(sc, &f, -0.47, 0, -0.31, 0.17, 0x161616, 1);
	frame_rect(sc, &f, 0.31, 0, 0.47, 0.17, 0x161616, 1);
	frame_poly(sc, &f, XY_TABLE(rear_cabin), paint_shade(paint, 0.1), paint, 1);
	frame_poly(sc, &f, XY_TABLE(rear_body), paint_shade(paint, 0.05), paint_shade(paint, -0.4),
	           1);
	frame_poly(sc, &f, XY_TABLE(rear_glass), glass_top(sc), 0x28323c, 1);
	frame_ellipse(sc, &f, -0.52, 0.52, 0.035, 0.03, paint, 1);
	frame_ellipse(sc, &f, 0.52, 0.52, 0.035, 0.03, paint, 1);
	frame_rect(sc, &f, -0.5, 0.08, 0.5, 0.16, 0x1d1e20, 0.85);
	car_rear_lamps(sc, &f, front_view);
	frame_box(sc, &f, DL_CAR);
}

static const double bus_body[][2] = {
    {-0.50, 0.03}, {-0.50, 0.25}, {-0.49, 0.27}, {0.48, 0.27},
    {0.50, 0.25},  {0.50, 0.03},  {0.49, 0.02},  {-0.49, 0.02},
};

static void bus_windows(struct scene *sc, struct frame *f, uint32_t paint)
{
	int night = sc->mood == MOOD_NIGHT;
	uint32_t glass = night ? LIT(0xd8c890) : glass_top(sc);

	frame_rect(sc, f, -0.47, 0.15, 0.40, 0.245, glass, 1);
	if (!night)
		frame_rect(sc, f, -0.47, 0.15, 0.40, 0.19, 0x26303a, 0.6);
	for (double px = -0.47 + 0.107; px < 0.40; px += 0.107)
		frame_rect(sc, f, px - 0.005, 0.15, px + 0.005, 0.245, paint, 1);
	frame_rect(sc, f, 0.43, 0.10, 0.497, 0.25, glass_top(sc), 1);
	frame_rect(sc, f, 0.33, 0.035, 0.40, 0.225, 0x303840, 1);
	frame_rect(sc, f, 0.364, 0.035, 0.366, 0.225, paint, 1);
	frame_rect(sc, f, -0.06, 0.035, 0.01, 0.225, 0x303840, 1);
	frame_rect(sc, f, 0.25, 0.248, 0.40, 0.266, 0x121212, 1);
	frame_rect(sc, f, 0.26, 0.252, 0.37, 0.262, LIT(0xffa020), 1);
}

void obj_bus_side(struct scene *sc, double x, double ground, double length, int facing)
{
	uint32_t paint = RNG_PICK(&sc->rng, bus_paints);
	struct frame f;

	frame_init(&f, x, ground, length, facing);
	frame_shadow(sc, &f, 0, 0.53, 0.02);
	frame_poly(sc, &f, XY_TABLE(bus_body), paint_shade(paint, 0.1), paint_shade(paint, -0.3),
	           1);
	frame_rect(sc, &f, -0.5, 0.11, 0.5, 0.13, paint_shade(paint, -0.45), 1);
	bus_windows(sc, &f, paint);
	if (sc->mood == MOOD_NIGHT)
		frame_glow(sc, &f, 0.5, 0.07, 0.09, 0xfff2c8, 0.8);
	frame_rect(sc, &f, 0.485, 0.05, 0.5, 0.08, LIT(0xf4f0dc), 1);
	car_wheel(sc, &f, -0.33, 0.042);
	car_wheel(sc, &f, 0.30, 0.042);
	frame_box(sc, &f, DL_BUS);
}

void obj_bus_rear(struct scene *sc, double x, double ground, double width)
{
	static const double body[][2] = {{-0.5, 0.07}, {-0.5, 1.18}, {-0.46, 1.24},
	                                 {0.46, 1.24}, {0.5, 1.18},  {0.5, 0.07}};
	uint32_t paint = RNG_PICK(&sc->rng, bus_paints);
	int night = sc->mood == MOOD_NIGHT;
	struct frame f;

	frame_init(&f, x, ground, width, 1);
	frame_shadow(sc, &f, 0, 0.58, 0.05);
	frame_rect(sc, &f, -0.46, 0, -0.30, 0.1, 0x161616, 1);
	frame_rect(sc, &f, 0.30, 0, 0.46, 0.1, 0x161616, 1);
	frame_poly(sc, &f, XY_TABLE(body), paint_shade(paint, 0.1), paint_shade(paint, -0.3), 1);
	frame_rect(sc, &f, -0.40, 0.80, 0.40, 1.15, night ? LIT(0xc8b888) : glass_top(sc), 1);
	frame_rect(sc, &f, -0.35, 0.30, 0.35, 0.55, paint_shade(paint, -0.5), 1);
	for (double gy = 0.34; gy < 0.54; gy += 0.04)
		frame_rect(sc, &f, -0.33, gy, 0.33, gy + 0.012, 0x111111, 0.7);
	for (int side = -1; side <= 1; side += 2) {
		frame_rect(sc, &f, side * 0.47, 0.2, side * 0.38, 0.45,
		           LIT(night ? 0xff2a1a : 0xb3141a), 1);
		if (night)
			frame_glow(sc, &f, side * 0.425, 0.32, 0.3, 0xff2010, 0.7);
	}
	frame_rect(sc, &f, -0.14, 0.12, 0.14, 0.2, 0xe9e9e2, 1);
	frame_box(sc, &f, DL_BUS);
}

/* Knee (or elbow) of a two-link limb from hip to foot, bending towards `bend` (+1 forward). */
static void limb_joint(const double hip[2], const double foot[2], double l1, double l2, int bend,
                       double out[2])
{
	double dx = foot[0] - hip[0], dy = foot[1] - hip[1], d = hypot(dx, dy);
	double a, h;

	if (d >= l1 + l2 || d <= 0) {
		out[0] = hip[0] + dx * l1 / (l1 + l2);
		out[1] = hip[1] + dy * l1 / (l1 + l2);
		return;
	}
	a = (l1 * l1 - l2 * l2 + d * d) / (2 * d);
	h = sqrt(fmax(0, l1 * l1 - a * a));
	out[0] = hip[0] + dx * a / d - bend * dy * h / d;
	out[1] = hip[1] + dy * a / d + bend * dx * h / d;
}

static void bike_wheel(struct scene *sc, struct frame *f, double cx)
{
	frame_ring(sc, f, cx, 1, 1, 0.86, 0x1c1c1c);
	frame_ring(sc, f, cx, 1, 0.86, 0.80, 0xb0b4b8);
	for (int i = 0; i < 8; i++) {
		double a = i * M_PI / 8;
		frame_line(sc, f, cx - 0.8 * cos(a), 1 - 0.8 * sin(a), cx + 0.8 * cos(a),
		           1 + 0.8 * sin(a), 0.015, 0x9a9ea2, 0.8);
	}
	frame_ellipse(sc, f, cx, 1, 0.08, 0.08, 0x606468, 1);
}

static void bike_frame(struct scene *sc, struct frame *f, uint32_t paint, double crank)
{
	static const double tubes[][2] = {
	    {-1.25, 1.0}, {0.0, 0.95}, {0.95, 2.25}, {-0.42, 2.3}, {-1.25, 1.0}};
	static const double seat_tube[][2] = {{0.0, 0.95}, {-0.45, 2.45}};
	static const double saddle[][2] = {
	    {-0.66, 2.5}, {-0.22, 2.55}, {-0.28, 2.43}, {-0.6, 2.41}};
	static const double bars[][2] = {{0.95, 2.25}, {0.88, 2.7}, {0.66, 2.76}};

	frame_stroke(sc, f, XY_TABLE(tubes), 0.1, paint, 1);
	frame_stroke(sc, f, XY_TABLE(seat_tube), 0.1, paint, 1);
	frame_line(sc, f, 0.95, 2.25, 1.25, 1.0, 0.09, paint_shade(paint, -0.2), 1);
	frame_stroke(sc, f, XY_TABLE(bars), 0.08, 0x2a2a2a, 1);
	frame_poly(sc, f, XY_TABLE(saddle), 0x202020, 0x101010, 1);
	frame_ring(sc, f, 0, 0.95, 0.24, 0.17, 0x8a8e92);
	frame_line(sc, f, 0, 0.95, 0.36 * cos(crank), 0.95 + 0.36 * sin(crank), 0.07, 0x555a5e, 1);
}

/* A rider sitting on the bicycle: legs reach the pedals, hands the handlebar. */
static void bike_rider(struct scene *sc, struct frame *f, double crank, int near_leg)
{
	static const uint32_t skins[] = {0xf1c9a5, 0xe0ac69, 0xc68642, 0x8d5524};
	static const double hip[2] = {-0.42, 2.6};
	uint32_t skin = RNG_PICK(&sc->rng, skins), shirt = RNG_PICK(&sc->rng, shirt_paints);
	double a = crank + (near_leg ? 0 : M_PI);
	double foot[2] = {0.36 * cos(a), 0.95 + 0.36 * sin(a)}, knee[2];
	const double torso[2][2] = {{-0.42, 2.7}, {0.3, 4.05}};
	const double hand[2] = {0.7, 2.78}, shoulder[2] = {0.28, 3.95};
	double elbow[2];

	limb_joint(hip, foot, 1.05, 1.05, 1, knee);
	const double leg[3][2] = {{hip[0], hip[1]}, {knee[0], knee[1]}, {foot[0], foot[1]}};
	frame_stroke(sc, f, XY_TABLE(leg), 0.3, near_leg ? 0x2b3a55 : 0x1f2a3e, 1);
	frame_ellipse(sc, f, foot[0] + 0.08, foot[1] - 0.05, 0.16, 0.08, 0x1a1a1a, 1);
	if (!near_leg)
		return;
	frame_stroke(sc, f, XY_TABLE(torso), 0.62, shirt, 1);
	limb_joint(shoulder, hand, 0.72, 0.72, -1, elbow);
	const double arm[3][2] = {
	    {shoulder[0], shoulder[1]}, {elbow[0], elbow[1]}, {hand[0], hand[1]}};
	frame_stroke(sc, f, XY_TABLE(arm), 0.2, paint_shade(shirt, -0.15), 1);
	frame_ellipse(sc, f, hand[0], hand[1], 0.1, 0.1, skin, 1);
	frame_ellipse(sc, f, 0.55, 4.55, 0.34, 0.38, skin, 1);
	frame_ellipse(sc, f, 0.48, 4.7, 0.4, 0.28, rng_chance(&sc->rng, 0.5) ? 0xe8e8e8 : 0x2a2a2a,
	              1);
}

void obj_bicycle(struct scene *sc, double x, double ground, double wheel_r, int facing, int rider)
{
	uint32_t paint = RNG_PICK(&sc->rng, bike_paints);
	double crank = rng_range(&sc->rng, 0, 2 * M_PI);
	struct frame bike, person;

	frame_init(&bike, x, ground, wheel_r, facing);
	frame_init(&person, x, ground, wheel_r, facing);
	frame_shadow(sc, &bike, 0, 2.2, 0.12);
	if (rider)
		bike_rider(sc, &person, crank, 0);
	bike_wheel(sc, &bike, -1.25);
	bike_wheel(sc, &bike, 1.25);
	bike_frame(sc, &bike, paint, crank);
	if (rider) {
		bike_rider(sc, &person, crank, 1);
		frame_box(sc, &person, DL_PERSON);
	}
	frame_box(sc, &bike, DL_BICYCLE);
}

static const double sail_hull[][2] = {{-0.5, 0.12}, {0.56, 0.14}, {0.42, -0.06}, {-0.44, -0.07}};
static const double sail_main[][2] = {{-0.02, 0.18}, {-0.02, 1.15}, {-0.44, 0.2}};
static const double sail_jib[][2] = {{0.03, 1.05}, {0.46, 0.17}, {0.03, 0.17}};
static const double motor_hull[][2] = {{-0.5, 0.14}, {-0.22, 0.14}, {-0.16, 0.34}, {0.16, 0.34},
                                       {0.28, 0.17}, {0.56, 0.17},  {0.42, -0.05}, {-0.45, -0.06}};

/* Shapes of one boat: hull and sails are separate parts of one polygon. */
static void boat_annotate(struct scene *sc, struct frame *f, int sail)
{
	struct shape *s = scene_shape_begin(sc, SHAPE_POLYGON, DL_BOAT);
	const double(*parts[3])[2] = {sail ? sail_hull : motor_hull, sail_main, sail_jib};
	int sizes[3] = {sail ? 4 : 8, 3, 3};

	for (int i = 0; i < (sail ? 3 : 1); i++) {
		struct point pts[8];
		for (int k = 0; k < sizes[i]; k++)
			pts[k] = frame_pt(f, parts[i][k][0], parts[i][k][1]);
		scene_shape_part(sc, s, pts, sizes[i]);
	}
	scene_shape_end(sc, s);
}

/* The boat upside down and faded in the water under it. */
static void boat_reflection(struct scene *sc, struct frame *f, int sail, uint32_t hull)
{
	struct frame r = *f;

	r.sy = -f->sy * 0.8;
	r.track = 0;
	if (sail) {
		frame_poly(sc, &r, XY_TABLE(sail_main), 0xd8d8d0, 0xd8d8d0, 0.12);
		frame_poly(sc, &r, XY_TABLE(sail_jib), 0xd8d8d0, 0xd8d8d0, 0.12);
	}
	frame_poly(sc, &r, sail ? sail_hull : motor_hull, sail ? 4 : 8, hull, hull, 0.3);
}

void obj_boat(struct scene *sc, double x, double waterline, double length, int facing)
{
	static const uint32_t hulls[] = {0xf2f2ee, 0x1f3f6e, 0xb22222, 0xf2f2ee, 0x2e5e3e};
	int sail = rng_chance(&sc->rng, 0.55);
	uint32_t hull = RNG_PICK(&sc->rng, hulls);
	struct frame f;

	frame_init(&f, x, waterline, length, facing);
	boat_reflection(sc, &f, sail, hull);
	if (sail) {
		frame_line(sc, &f, 0, 0.1, 0, 1.2, 0.012, 0x8a8a8a, 1);
		frame_poly(sc, &f, XY_TABLE(sail_main), 0xfbfaf4, 0xd6d4cc, 1);
		frame_poly(sc, &f, XY_TABLE(sail_jib), 0xf4f2ea, 0xcfcdc4, 1);
		frame_poly(sc, &f, XY_TABLE(sail_hull), paint_shade(hull, 0.1),
		           paint_shade(hull, -0.3), 1);
	} else {
		frame_poly(sc, &f, XY_TABLE(motor_hull), paint_shade(hull, 0.1),
		           paint_shade(hull, -0.3), 1);
		frame_rect(sc, &f, -0.12, 0.22, 0.12, 0.3, 0x24303c, 1);
	}
	frame_rect(sc, &f, -0.46, 0.04, 0.5, 0.07, paint_shade(hull, -0.5), 0.8);
	paint_rect(sc->cv, f.x0, waterline - 0.01 * length, f.x1, waterline + 0.012 * length,
	           scene_tint(sc, 0xffffff), 0.25);
	boat_annotate(sc, &f, sail);
}
