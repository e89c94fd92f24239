/* Close-up themes of the demo dataset: one large subject in front of a background that is out
 * of focus (painted, then blurred, and left unannotated). */
#include "demo/scene.h"

#include <math.h>
#include <stddef.h>

/* Out-of-focus highlights. */
static void closeup_bokeh(struct scene *sc, int count, uint32_t c)
{
	for (int i = 0; i < count; i++) {
		double r = sc->u * rng_range(&sc->rng, 0.02, 0.06);
		paint_ellipse(sc->cv, rng_range(&sc->rng, 0, sc->w),
		              rng_range(&sc->rng, 0, sc->h * 0.7), r, r, scene_tint(sc, c),
		              rng_range(&sc->rng, 0.1, 0.3));
	}
}

static void closeup_defocus(struct scene *sc, double amount)
{
	int radius = (int)(sc->u * amount);

	sc->quiet = 0;
	if (paint_blur(sc->cv, radius < 1 ? 1 : radius, NULL) < 0)
		sc->oom = 1;
}

static void closeup_foliage(struct scene *sc, double horizon)
{
	for (double x = rng_range(&sc->rng, -40, 0); x < sc->w;
	     x += sc->u * rng_range(&sc->rng, 0.08, 0.16)) {
		double r = sc->u * rng_range(&sc->rng, 0.08, 0.18);
		paint_ellipse(sc->cv, x, horizon - r * 0.5, r, r * 1.1,
		              scene_tint(sc, paint_shade(0x3a6a32, rng_range(&sc->rng, -0.2, 0.2))),
		              1);
	}
}

void scene_closeup_dog(struct scene *sc)
{
	double horizon = sc->h * rng_range(&sc->rng, 0.35, 0.45);
	double len = fmin(sc->w * 0.6, sc->h * 0.62),
	       ground = sc->h * rng_range(&sc->rng, 0.88, 0.93);
	int facing = rng_chance(&sc->rng, 0.5) ? 1 : -1;

	sc->quiet = 1;
	backdrop_sky(sc, horizon);
	closeup_foliage(sc, horizon);
	backdrop_ground(sc, horizon, sc->h, 0x9ab860, 0x4f7f2f, 8);
	closeup_bokeh(sc, 20, 0xe8f0c0);
	closeup_defocus(sc, 0.012);
	backdrop_grass_blades(sc, ground - sc->h * 0.05, sc->h, 0x5a8a30,
	                      (int)(sc->w / sc->u * 300));
	obj_dog(sc, sc->w / 2 - facing * len * 0.05, ground, len, facing, 1);
	if (rng_chance(&sc->rng, 0.5))
		paint_ellipse(sc->cv, sc->w / 2 + facing * len * 0.62, ground - len * 0.04,
		              len * 0.04, len * 0.04, scene_tint(sc, 0xd03020), 1);
	scene_class(sc, DL_DAY);
	scene_class(sc, DL_RURAL);
}

void scene_closeup_car(struct scene *sc)
{
	double kerb = sc->h * rng_range(&sc->rng, 0.5, 0.58), len = fmin(sc->w * 0.84, sc->h * 2.0);
	double ground = sc->h * rng_range(&sc->rng, 0.84, 0.9);
	double floor_h = sc->u * 0.2;

	sc->quiet = 1;
	backdrop_sky(sc, kerb);
	for (double x = 0; x < sc->w;) {
		double bw = sc->u * rng_range(&sc->rng, 0.4, 0.8);
		obj_building(sc, x, x + bw, kerb, floor_h * rng_int(&sc->rng, 3, 5));
		x += bw;
	}
	backdrop_ground(sc, kerb, kerb + sc->h * 0.06, 0xb0aca4, 0x96928a, 4);
	backdrop_ground(sc, kerb + sc->h * 0.06, sc->h, 0x55575b, 0x3e4044, 7);
	closeup_defocus(sc, 0.008);
	obj_car_side(sc, sc->w / 2, ground, len, rng_chance(&sc->rng, 0.5) ? 1 : -1);
	scene_class(sc, sc->mood == MOOD_NIGHT ? DL_NIGHT : DL_DAY);
	scene_class(sc, DL_URBAN);
}

void scene_closeup_bird(struct scene *sc)
{
	double len = sc->u * rng_range(&sc->rng, 0.4, 0.5),
	       branch = sc->h * rng_range(&sc->rng, 0.62, 0.72);
	double x = sc->w * rng_range(&sc->rng, 0.4, 0.6),
	       tilt = sc->h * rng_range(&sc->rng, -0.08, 0.08);
	const struct point bough[3] = {
	    {-10, branch + tilt}, {x, branch}, {sc->w + 10, branch - tilt * 0.6}};

	sc->quiet = 1;
	paint_vgradient(sc->cv, 0, sc->h, scene_tint(sc, 0x7a9a6a), scene_tint(sc, 0x2f4a2a));
	closeup_bokeh(sc, 30, 0xd8e8a0);
	closeup_bokeh(sc, 12, 0x1a2a18);
	closeup_defocus(sc, 0.02);
	paint_stroke(sc->cv, bough, 3, sc->u * 0.045, scene_tint(sc, 0x5a4030), 1);
	for (int i = 0; i < 5; i++) {
		double lx = rng_range(&sc->rng, 0, sc->w);
		paint_ellipse(sc->cv, lx, branch - sc->u * 0.03, sc->u * 0.05, sc->u * 0.02,
		              scene_tint(sc, 0x4a7a32), 1);
	}
	obj_bird(sc, x, branch - sc->u * 0.02 - 0.42 * len, len, rng_chance(&sc->rng, 0.5) ? 1 : -1,
	         1);
	scene_class(sc, DL_DAY);
	scene_class(sc, DL_RURAL);
}

void scene_closeup_light(struct scene *sc)
{
	double housing = sc->h * rng_range(&sc->rng, 0.26, 0.32),
	       top = sc->h * rng_range(&sc->rng, 0.1, 0.2);
	double ground = sc->h * 1.05, x = sc->w * rng_range(&sc->rng, 0.35, 0.65);

	sc->quiet = 1;
	backdrop_sky(sc, sc->h);
	for (double bx = 0; bx < sc->w;) {
		double bw = sc->u * rng_range(&sc->rng, 0.3, 0.6);
		obj_building(sc, bx, bx + bw, sc->h * 1.02, sc->h * rng_range(&sc->rng, 0.25, 0.5));
		bx += bw;
	}
	closeup_defocus(sc, 0.01);
	if (rng_chance(&sc->rng, 0.6))
		obj_sign(sc, x + (x < sc->w / 2 ? 1 : -1) * sc->w * 0.28, ground, housing * 0.55,
		         (ground - top - housing * 0.8) / (housing * 0.55));
	obj_traffic_light(sc, x, ground, housing, (ground - top - housing) / housing);
	scene_class(sc, sc->mood == MOOD_NIGHT ? DL_NIGHT : DL_DAY);
	scene_class(sc, DL_URBAN);
}
