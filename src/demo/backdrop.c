/* Backdrops of the demo scenes: skies for each mood, hills, textured ground, water and grass. */
#include "demo/scene.h"

#include <math.h>

struct sky_colors {
	uint32_t zenith;
	uint32_t middle;
	uint32_t horizon;
};

static const struct sky_colors skies[] = {
    [MOOD_DAY] = {0x2f6fc0, 0x7fb0e0, 0xcfe2f0},
    [MOOD_OVERCAST] = {0x7d858e, 0xa4abb2, 0xc6cacd},
    [MOOD_SUNSET] = {0x26325e, 0xb0607a, 0xf6b060},
    [MOOD_NIGHT] = {0x03050d, 0x0a1024, 0x1e2744},
    [MOOD_FOG] = {0xaab0b6, 0xc4c8cb, 0xd4d6d7},
};

static void sky_cloud(struct scene *sc, double cx, double cy, double size)
{
	int puffs = rng_int(&sc->rng, 5, 9);
	uint32_t light = sc->mood == MOOD_SUNSET ? 0xf8c8a0 : 0xfafafa;
	uint32_t shade = sc->mood == MOOD_SUNSET ? 0x9a6a7a : 0xb8c0ca;

	for (int i = 0; i < puffs; i++) {
		double dx = rng_range(&sc->rng, -1.2, 1.2) * size,
		       dy = rng_range(&sc->rng, -0.3, 0.2);
		double r = size * rng_range(&sc->rng, 0.35, 0.7);
		paint_ellipse(sc->cv, cx + dx, cy + dy * size + r * 0.15, r * 1.1, r * 0.55, shade,
		              0.35);
		paint_ellipse(sc->cv, cx + dx, cy + dy * size, r, r * 0.6, light, 0.55);
	}
}

static void sky_night(struct scene *sc, double horizon)
{
	int stars = (int)(sc->w * horizon / 9000) + 40;

	for (int i = 0; i < stars; i++) {
		double x = rng_range(&sc->rng, 0, sc->w), y = rng_range(&sc->rng, 0, horizon * 0.9);
		double r = rng_range(&sc->rng, 0.4, 1.2) * (sc->u / 600);
		paint_ellipse(sc->cv, x, y, r, r, 0xf0f0ff, rng_range(&sc->rng, 0.3, 0.9));
	}
	double mx = rng_range(&sc->rng, 0.15, 0.85) * sc->w, my = horizon * 0.25;
	paint_glow(sc->cv, mx, my, sc->u * 0.12, 0x404a70, 0.6);
	paint_ellipse(sc->cv, mx, my, sc->u * 0.025, sc->u * 0.025, 0xf4f0dc, 1);
}

void backdrop_air(struct scene *sc)
{
	sc->haze_color = skies[sc->mood].horizon;
}

void backdrop_sky(struct scene *sc, double horizon)
{
	const struct sky_colors *c = &skies[sc->mood];

	paint_vgradient(sc->cv, 0, horizon * 0.55, c->zenith, c->middle);
	paint_vgradient(sc->cv, horizon * 0.55, horizon + 1, c->middle, c->horizon);
	if (sc->mood == MOOD_NIGHT) {
		sky_night(sc, horizon);
		return;
	}
	if (sc->mood == MOOD_SUNSET) {
		double sx = rng_range(&sc->rng, 0.2, 0.8) * sc->w;
		paint_glow(sc->cv, sx, horizon * 0.9, sc->u * 0.5, 0xff9040, 0.5);
		paint_ellipse(sc->cv, sx, horizon * 0.9, sc->u * 0.04, sc->u * 0.04, 0xfff0c0, 1);
	}
	int clouds = sc->mood == MOOD_FOG ? 0 : rng_int(&sc->rng, 2, 6);
	for (int i = 0; i < clouds; i++)
		sky_cloud(sc, rng_range(&sc->rng, 0, sc->w),
		          rng_range(&sc->rng, 0.1, 0.6) * horizon,
		          sc->u * rng_range(&sc->rng, 0.05, 0.12));
}

void backdrop_hills(struct scene *sc, double base, double height, uint32_t c, double haze)
{
	double ph1 = rng_range(&sc->rng, 0, 6.3), ph2 = rng_range(&sc->rng, 0, 6.3);
	double f1 = rng_range(&sc->rng, 1.5, 3.5), f2 = rng_range(&sc->rng, 5, 9);
	double old = sc->haze;
	struct path p;

	path_init(&p);
	path_add(&p, 0, base + 1);
	for (int i = 0; i <= 64; i++) {
		double t = i / 64.0;
		double y = base - height * (0.55 + 0.3 * sin(f1 * t * M_PI + ph1) +
		                            0.15 * sin(f2 * t * M_PI + ph2));
		path_add(&p, t * sc->w, y);
	}
	path_add(&p, sc->w, base + 1);
	path_close(&p);
	sc->haze = haze;
	paint_fill_grad(sc->cv, &p, scene_tint(sc, paint_shade(c, 0.1)),
	                scene_tint(sc, paint_shade(c, -0.15)), 1);
	sc->haze = old;
}

void backdrop_ground(struct scene *sc, double y0, double y1, uint32_t top, uint32_t bottom,
                     double texture)
{
	paint_vgradient(sc->cv, y0, y1, scene_tint(sc, top), scene_tint(sc, bottom));
	if (texture <= 0)
		return;
	paint_mottle(sc->cv, y0, y1, sc->u * 0.08, texture, rng_u64(&sc->rng));
	paint_mottle(sc->cv, y0, y1, sc->u * 0.012, texture * 0.6, rng_u64(&sc->rng));
}

void backdrop_water(struct scene *sc, double y0, double y1)
{
	const struct sky_colors *c = &skies[sc->mood];
	uint32_t deep = paint_mix(c->zenith, 0x0a2a3a, 0.5);
	int ripples = (int)(sc->w * (y1 - y0) / (sc->u * sc->u) * 600);

	paint_vgradient(sc->cv, y0, y1, paint_shade(c->horizon, -0.1), deep);
	paint_mottle(sc->cv, y0, y1, sc->u * 0.05, 6, rng_u64(&sc->rng));
	for (int i = 0; i < ripples; i++) {
		double t = pow(rng_unit(&sc->rng), 1.6), y = y0 + (y1 - y0) * t;
		double len = sc->u * (0.01 + 0.08 * t) * rng_range(&sc->rng, 0.5, 1.5);
		double x = rng_range(&sc->rng, -len, sc->w);
		int light = rng_chance(&sc->rng, 0.5);
		paint_line(sc->cv, x, y, x + len, y, fmax(0.6, sc->u * 0.004 * t),
		           light ? paint_shade(c->horizon, 0.2) : deep, light ? 0.35 : 0.3);
	}
}

void backdrop_grass_blades(struct scene *sc, double y0, double y1, uint32_t c, int count)
{
	for (int i = 0; i < count; i++) {
		double t = sqrt(rng_unit(&sc->rng)), y = y0 + (y1 - y0) * t;
		double len = sc->u * 0.03 * t * rng_range(&sc->rng, 0.5, 1.2);
		double x = rng_range(&sc->rng, 0, sc->w), lean = rng_range(&sc->rng, -0.4, 0.4);
		paint_line(sc->cv, x, y, x + lean * len, y - len, fmax(0.7, len * 0.08),
		           scene_tint(sc, paint_shade(c, rng_range(&sc->rng, -0.35, 0.25))), 0.6);
	}
}
