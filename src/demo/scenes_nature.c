/* Open-air themes of the demo dataset: a park or field, and a harbour. Things farther away sit
 * higher, nearer the horizon, and are drawn smaller and first. */
#include "demo/scene.h"

#include <math.h>
#include <stdlib.h>

enum placed_kind {
	PLACED_TREE,
	PLACED_PINE,
	PLACED_PERSON,
	PLACED_WALKER,
	PLACED_DOG,
	PLACED_CYCLIST,
	PLACED_BIRD,
	PLACED_BOAT
};

struct placed {
	double y; /* where it stands */
	double x;
	enum placed_kind kind;
};

static int compare_far_first(const void *a, const void *b)
{
	const struct placed *u = a, *v = b;

	return (u->y > v->y) - (u->y < v->y);
}

/* Pixels per metre on the ground at y, for a camera looking at the horizon. */
static double ground_scale(const struct scene *sc, double horizon, double y)
{
	return (y - horizon) / (sc->h - horizon) * sc->u * 0.3;
}

static void horizon_line(struct scene *sc, double y)
{
	struct point pts[2] = {{0, y}, {sc->w, y}};

	scene_line(sc, DL_HORIZON, pts, 2);
}

/* A dirt path winding from the bottom of the frame to the horizon. */
static double park_path_x(const struct scene *sc, double t, double phase)
{
	return sc->w * (0.5 + 0.22 * sin(t * 3.2 + phase) * t);
}

static void park_path(struct scene *sc, double horizon, double phase)
{
	struct path p;

	path_init(&p);
	for (int i = 0; i <= 32; i++) {
		double t = i / 32.0;
		path_add(&p, park_path_x(sc, t, phase) - sc->w * (0.004 + 0.16 * t),
		         horizon + t * (sc->h - horizon));
	}
	for (int i = 32; i >= 0; i--) {
		double t = i / 32.0;
		path_add(&p, park_path_x(sc, t, phase) + sc->w * (0.004 + 0.16 * t),
		         horizon + t * (sc->h - horizon));
	}
	path_close(&p);
	paint_fill_grad(sc->cv, &p, scene_tint(sc, 0xd2c4a0), scene_tint(sc, 0xb09a70), 1);
}

static void park_treeline(struct scene *sc, double horizon)
{
	sc->quiet = 1;
	sc->haze = 0.45;
	for (double x = rng_range(&sc->rng, -20, 0); x < sc->w;
	     x += sc->u * rng_range(&sc->rng, 0.02, 0.05)) {
		double r = sc->u * rng_range(&sc->rng, 0.015, 0.035);
		paint_ellipse(sc->cv, x, horizon - r * 0.6, r, r, scene_tint(sc, 0x2f5a30), 1);
	}
	sc->haze = 0;
	sc->quiet = 0;
}

/* What a park holds: how many of each, between which depths (0 at the horizon, 1 at the
 * bottom of the frame). */
static const struct park_group {
	enum placed_kind kind;
	int lo;
	int hi;
	double far;
	double near;
} park_groups[] = {
    {PLACED_TREE, 2, 4, 0.03, 0.3},   {PLACED_PINE, 0, 2, 0.03, 0.3},
    {PLACED_PERSON, 1, 3, 0.1, 0.95}, {PLACED_WALKER, 0, 2, 0.15, 0.9},
    {PLACED_DOG, 0, 2, 0.3, 0.95},    {PLACED_BIRD, 0, 2, 0.5, 0.95},
};

/* Whether p keeps clear of what stands at about the same depth: near things are big. */
static int park_clear(const struct scene *sc, double horizon, const struct placed *it, int n,
                      const struct placed *p)
{
	double span = sc->h - horizon, d = (p->y - horizon) / span;

	for (int i = 0; i < n; i++)
		if (fabs(it[i].y - p->y) < 0.15 * span &&
		    fabs(it[i].x - p->x) < sc->w * 0.06 + sc->u * 0.3 * d)
			return 0;
	return 1;
}

/* A free spot between two depths; a crowd takes the first one that comes. */
static struct placed park_spot(struct scene *sc, double horizon, const struct placed *it, int n,
                               enum placed_kind kind, double far, double near)
{
	struct placed p;

	for (int tries = 0; tries < 8; tries++) {
		p = (struct placed){horizon + (sc->h - horizon) * rng_range(&sc->rng, far, near),
		                    rng_range(&sc->rng, 0.08, 0.92) * sc->w, kind};
		if (sc->crowded || park_clear(sc, horizon, it, n, &p))
			break;
	}
	return p;
}

static int park_items(struct scene *sc, double horizon, double phase, struct placed *it, int max)
{
	int n = 0;

	if (rng_chance(&sc->rng, 0.5)) {
		double t = rng_range(&sc->rng, 0.3, 0.8);
		it[n++] = (struct placed){horizon + (sc->h - horizon) * t,
		                          park_path_x(sc, t, phase), PLACED_CYCLIST};
	}
	for (size_t g = 0; g < sizeof park_groups / sizeof park_groups[0]; g++) {
		const struct park_group *pg = &park_groups[g];
		int count = sc->crowded && pg->kind == PLACED_PERSON
		                ? rng_int(&sc->rng, 10, 16)
		                : rng_int(&sc->rng, pg->lo, pg->hi);
		for (int i = 0; i < count && n < max; i++, n++)
			it[n] = park_spot(sc, horizon, it, n, pg->kind, pg->far, pg->near);
	}
	/* the dog of a wrong-label mistake must be there, and near enough to see */
	if (sc->flaw.kind != FLAW_NONE && sc->flaw.target == DL_DOG && n < max) {
		it[n] = park_spot(sc, horizon, it, n, PLACED_DOG, 0.6, 0.85);
		n++;
	}
	return n;
}

/* A dog on a leash, a step ahead of where its owner will stand. */
static void park_leashed_dog(struct scene *sc, const struct placed *it, double m, int facing)
{
	double collar = obj_dog(sc, it->x + facing * 1.3 * m, it->y + 0.3 * m, 0.9 * m, facing,
	                        m > sc->u * 0.15);

	paint_line(sc->cv, it->x + facing * 0.2 * m, it->y - 0.85 * m, collar, it->y - 0.4 * m,
	           fmax(0.8, m * 0.02), scene_tint(sc, 0x202020), 1);
}

static void park_draw(struct scene *sc, double horizon, const struct placed *it)
{
	double m = ground_scale(sc, horizon, it->y);
	int facing = rng_chance(&sc->rng, 0.5) ? 1 : -1;

	sc->haze = (1 - (it->y - horizon) / (sc->h - horizon)) * (sc->mood == MOOD_FOG ? 0.7 : 0.2);
	switch (it->kind) {
	case PLACED_TREE:
		obj_tree(sc, it->x, it->y, m * rng_range(&sc->rng, 2.0, 2.8));
		break;
	case PLACED_PINE:
		obj_pine(sc, it->x, it->y, m * rng_range(&sc->rng, 8, 12));
		break;
	case PLACED_WALKER:
		park_leashed_dog(sc, it, m, facing);
		obj_person(sc, it->x, it->y, 1.75 * m * rng_range(&sc->rng, 0.9, 1.08), facing);
		break;
	case PLACED_PERSON:
		obj_person(sc, it->x, it->y, 1.75 * m * rng_range(&sc->rng, 0.9, 1.08),
		           rng_int(&sc->rng, -1, 1));
		break;
	case PLACED_DOG:
		obj_dog(sc, it->x, it->y, 0.9 * m, facing, m > sc->u * 0.15);
		break;
	case PLACED_CYCLIST:
		obj_bicycle(sc, it->x, it->y, 0.34 * m, facing, 1);
		break;
	default:
		obj_bird(sc, it->x, it->y - 0.1 * m, 0.3 * m, facing, 0);
		break;
	}
	sc->haze = 0;
}

static void sky_birds(struct scene *sc, double horizon, int count)
{
	for (int i = 0; i < count; i++)
		obj_gull(sc, rng_range(&sc->rng, 0.05, 0.95) * sc->w,
		         rng_range(&sc->rng, 0.1, 0.8) * horizon,
		         sc->u * rng_range(&sc->rng, 0.03, 0.07));
}

void scene_park(struct scene *sc)
{
	double horizon = sc->h * rng_range(&sc->rng, 0.45, 0.58),
	       phase = rng_range(&sc->rng, 0, 6.3);
	int hills = rng_chance(&sc->rng, 0.6), n;
	struct placed items[40];

	backdrop_sky(sc, horizon);
	if (hills) {
		backdrop_hills(sc, horizon, sc->h * 0.12, 0x6a8a7a, 0.45);
		backdrop_hills(sc, horizon, sc->h * 0.05, 0x4f7a3f, 0.2);
	}
	backdrop_ground(sc, horizon, sc->h, 0xa8c070, 0x4a7a2a, 8);
	if (!hills)
		horizon_line(sc, horizon);
	if (rng_chance(&sc->rng, 0.6))
		park_treeline(sc, horizon);
	park_path(sc, horizon, phase);
	backdrop_grass_blades(sc, horizon + (sc->h - horizon) * 0.45, sc->h, 0x5a8a30,
	                      (int)(sc->w / sc->u * 500));
	n = park_items(sc, horizon, phase, items, 40);
	qsort(items, (size_t)n, sizeof items[0], compare_far_first);
	for (int i = 0; i < n; i++)
		park_draw(sc, horizon, &items[i]);
	/* last: a bird behind a tree would be annotated but not seen */
	sky_birds(sc, horizon, rng_int(&sc->rng, 0, 4));
	scene_class(sc, DL_DAY);
	scene_class(sc, DL_RURAL);
}

/* A wooden pier from one side of the frame, its posts in the water, a few people on it. */
static void harbour_pier(struct scene *sc, double horizon)
{
	double deck = horizon + (sc->h - horizon) * rng_range(&sc->rng, 0.45, 0.6);
	double len = sc->w * rng_range(&sc->rng, 0.25, 0.4), th = sc->h * 0.025;
	int left = rng_chance(&sc->rng, 0.5);
	double x0 = left ? 0 : sc->w - len, x1 = left ? len : sc->w;

	for (double x = x0 + th; x < x1; x += th * 4) {
		paint_rect(sc->cv, x, deck, x + th * 0.7, deck + th * 3, scene_tint(sc, 0x4a3626),
		           1);
		paint_rect(sc->cv, x, deck + th * 3.2, x + th * 0.7, deck + th * 5,
		           scene_tint(sc, 0x4a3626), 0.25);
	}
	paint_rect(sc->cv, x0, deck - th, x1, deck, scene_tint(sc, 0x9a7a58), 1);
	paint_rect(sc->cv, x0, deck, x1, deck + th * 0.5, scene_tint(sc, 0x5a4230), 1);
	for (int i = rng_int(&sc->rng, 1, 3); i > 0; i--)
		obj_person(sc, rng_range(&sc->rng, x0 + 0.04 * sc->w, x1 - 0.04 * sc->w), deck - th,
		           ground_scale(sc, horizon, deck) * 1.75, rng_int(&sc->rng, -1, 1));
}

/* Sail and motor boats spread across the water, no nearer than `lowest`, far ones first. */
static void harbour_boats(struct scene *sc, double horizon, double lowest)
{
	int boats = rng_int(&sc->rng, 2, 5);
	struct placed items[5];

	for (int i = 0; i < boats; i++)
		items[i] = (struct placed){
		    rng_range(&sc->rng, horizon + (sc->h - horizon) * 0.06, lowest),
		    (i + rng_range(&sc->rng, 0.2, 0.8)) / boats * sc->w, PLACED_BOAT};
	qsort(items, (size_t)boats, sizeof items[0], compare_far_first);
	for (int i = 0; i < boats; i++) {
		double d = (items[i].y - horizon) / (sc->h - horizon);
		double len = fmin(ground_scale(sc, horizon, items[i].y) * rng_range(&sc->rng, 5, 9),
		                  sc->w * 0.3);
		double margin = len * 0.55 + sc->w * 0.02;
		sc->haze = (1 - d) * (sc->mood == MOOD_FOG ? 0.75 : 0.25);
		obj_boat(sc, fmax(margin, fmin(items[i].x, sc->w - margin)), items[i].y, len,
		         rng_chance(&sc->rng, 0.5) ? 1 : -1);
	}
	sc->haze = 0;
}

void scene_harbour(struct scene *sc)
{
	double horizon = sc->h * rng_range(&sc->rng, 0.4, 0.52);
	int pier = rng_chance(&sc->rng, 0.6);

	backdrop_sky(sc, horizon);
	if (rng_chance(&sc->rng, 0.7))
		backdrop_hills(sc, horizon, sc->h * 0.05, 0x5a7a6a, 0.5);
	backdrop_water(sc, horizon, sc->h);
	horizon_line(sc, horizon);
	/* boats stay behind the pier, which stands in the middle distance */
	harbour_boats(sc, horizon, horizon + (sc->h - horizon) * (pier ? 0.3 : 0.4));
	sky_birds(sc, horizon, rng_int(&sc->rng, 1, 5));
	if (pier)
		harbour_pier(sc, horizon);
	scene_class(sc, DL_DAY);
	scene_class(sc, DL_COASTAL);
}
