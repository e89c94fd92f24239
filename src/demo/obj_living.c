/* People and animals of the demo scenes: walking or standing figures, dogs, perched birds and
 * gulls in flight. */
#include "demo/scene.h"

#include <math.h>

static const uint32_t skin_tones[] = {0xf1c9a5, 0xe0ac69, 0xc68642, 0x8d5524, 0x5c3a21};
static const uint32_t shirts[] = {0xd35400, 0x2980b9, 0xc0392b, 0xf1c40f, 0x16a085, 0x8e44ad,
                                  0xecf0f1, 0x34495e, 0xe84393, 0x6d8b3a, 0x9b59b6, 0xbdc3c7};
static const uint32_t trousers[] = {0x2b3a55, 0x222222, 0x6b5b45, 0x3a3a3a, 0x1f3b2f, 0x4a5a7a};
static const uint32_t hairs[] = {0x1a1410, 0x3b2a1a, 0x7a5230, 0xc9a15a, 0x9a9a9a, 0x5a2a14};
static const uint32_t dog_coats[] = {0x8b5a2b, 0xd4a04c, 0x2a2522, 0xe8e2d6, 0x6e6a66, 0xa0522d};

struct figure {
	uint32_t skin;
	uint32_t shirt;
	uint32_t legs;
	uint32_t hair;
	double stride; /* how far the feet are apart, in heights */
	int dress;
};

static void figure_legs(struct scene *sc, struct frame *f, const struct figure *fg, int facing)
{
	double s = facing ? fg->stride : 0.05, back = -s;
	uint32_t far = paint_shade(fg->legs, -0.25);

	frame_line(sc, f, -0.01, 0.5, back, 0.035, 0.085, far, 1);
	frame_ellipse(sc, f, back + (facing ? 0.025 : 0), 0.02, 0.05, 0.024, 0x1b1b1b, 1);
	frame_line(sc, f, 0.01, 0.5, s, 0.035, 0.085, fg->legs, 1);
	frame_ellipse(sc, f, s + (facing ? 0.025 : 0), 0.02, 0.05, 0.024, 0x222222, 1);
}

static void figure_body(struct scene *sc, struct frame *f, const struct figure *fg, int facing)
{
	static const double torso[][2] = {{-0.105, 0.47}, {-0.125, 0.80}, {-0.085, 0.845},
	                                  {0.085, 0.845}, {0.125, 0.80},  {0.105, 0.47}};
	static const double skirt[][2] = {{-0.1, 0.55}, {-0.17, 0.3}, {0.17, 0.3}, {0.1, 0.55}};
	double swing = facing ? fg->stride * 0.8 : 0;
	double hx = facing ? swing : 0.14;

	frame_line(sc, f, 0, 0.79, facing ? -swing : -0.14, 0.5, 0.06, paint_shade(fg->shirt, -0.3),
	           1);
	frame_ellipse(sc, f, facing ? -swing : -0.14, 0.49, 0.03, 0.03, paint_shade(fg->skin, -0.2),
	              1);
	frame_poly(sc, f, XY_TABLE(torso), paint_shade(fg->shirt, 0.1),
	           paint_shade(fg->shirt, -0.2), 1);
	if (fg->dress)
		frame_poly(sc, f, XY_TABLE(skirt), fg->shirt, paint_shade(fg->shirt, -0.3), 1);
	frame_line(sc, f, 0, 0.79, hx, 0.5, 0.06, paint_shade(fg->shirt, -0.1), 1);
	frame_ellipse(sc, f, hx, 0.49, 0.03, 0.03, fg->skin, 1);
}

static void figure_head(struct scene *sc, struct frame *f, const struct figure *fg)
{
	frame_rect(sc, f, -0.028, 0.83, 0.028, 0.87, paint_shade(fg->skin, -0.15), 1);
	frame_ellipse(sc, f, 0, 0.95, 0.066, 0.055, fg->hair, 1);
	frame_ellipse(sc, f, 0.005, 0.922, 0.058, 0.068, fg->skin, 1);
	frame_ellipse(sc, f, -0.01, 0.965, 0.06, 0.03, fg->hair, 1);
}

void obj_person(struct scene *sc, double x, double ground, double height, int facing)
{
	struct figure fg = {
	    RNG_PICK(&sc->rng, skin_tones),  RNG_PICK(&sc->rng, shirts),
	    RNG_PICK(&sc->rng, trousers),    RNG_PICK(&sc->rng, hairs),
	    rng_range(&sc->rng, 0.04, 0.13), rng_chance(&sc->rng, 0.2),
	};
	struct frame f;

	frame_init(&f, x, ground, height, facing ? facing : 1);
	frame_shadow(sc, &f, 0, 0.2, 0.025);
	figure_legs(sc, &f, &fg, facing);
	figure_body(sc, &f, &fg, facing);
	figure_head(sc, &f, &fg);
	frame_box(sc, &f, DL_PERSON);
}

static void dog_legs(struct scene *sc, struct frame *f, uint32_t coat, int near)
{
	uint32_t c = near ? coat : paint_shade(coat, -0.3);
	double off = near ? 0 : 0.05;

	frame_line(sc, f, 0.26 - off, 0.45, 0.27 - off, 0.03, 0.085, c, 1);
	frame_line(sc, f, -0.28 + off, 0.47, -0.25 + off * 1.6, 0.03, 0.09, c, 1);
	frame_ellipse(sc, f, 0.29 - off, 0.025, 0.05, 0.025, paint_shade(c, -0.2), 1);
	frame_ellipse(sc, f, -0.23 + off * 1.6, 0.025, 0.05, 0.025, paint_shade(c, -0.2), 1);
}

static void dog_head(struct scene *sc, struct frame *f, uint32_t coat, int eyes)
{
	static const double neck[][2] = {
	    {0.22, 0.48}, {0.28, 0.72}, {0.40, 0.86}, {0.52, 0.8}, {0.44, 0.5}};
	static const double ear[][2] = {{0.47, 0.97}, {0.41, 0.99}, {0.37, 0.94}, {0.36, 0.83},
	                                {0.39, 0.76}, {0.43, 0.78}, {0.45, 0.88}};
	struct point eye;

	frame_poly(sc, f, XY_TABLE(neck), coat, paint_shade(coat, -0.15), 1);
	frame_ellipse(sc, f, 0.50, 0.88, 0.13, 0.11, coat, 1);
	frame_ellipse(sc, f, 0.64, 0.83, 0.095, 0.058, paint_shade(coat, 0.08), 1);
	frame_ellipse(sc, f, 0.725, 0.85, 0.026, 0.024, 0x151515, 1);
	frame_poly(sc, f, XY_TABLE(ear), paint_shade(coat, -0.35), paint_shade(coat, -0.45), 1);
	frame_ellipse(sc, f, 0.55, 0.91, 0.02, 0.02, 0x111111, 1);
	frame_ellipse(sc, f, 0.545, 0.915, 0.006, 0.006, LIT(0xffffff), 1);
	frame_line(sc, f, 0.3, 0.7, 0.42, 0.76, 0.03, 0xb03030, 1);
	if (eyes) {
		int track = f->track;
		f->track = 0;
		eye = frame_pt(f, 0.55, 0.91);
		f->track = track;
		scene_point(sc, DL_EYE, eye.x, eye.y);
	}
}

double obj_dog(struct scene *sc, double x, double ground, double length, int facing, int eyes)
{
	static const double tail[][2] = {{-0.4, 0.62}, {-0.52, 0.74}, {-0.6, 0.86}};
	uint32_t coat = RNG_PICK(&sc->rng, dog_coats);
	struct frame f;

	frame_init(&f, x, ground, length, facing);
	frame_shadow(sc, &f, 0, 0.45, 0.04);
	frame_stroke(sc, &f, XY_TABLE(tail), 0.045, paint_shade(coat, -0.1), 1);
	dog_legs(sc, &f, coat, 0);
	frame_ellipse(sc, &f, 0, 0.57, 0.44, 0.17, coat, 1);
	frame_ellipse(sc, &f, 0.02, 0.52, 0.36, 0.09, paint_shade(coat, -0.12), 0.5);
	if (coat == 0xe8e2d6)
		frame_ellipse(sc, &f, -0.12, 0.62, 0.14, 0.09, 0x3a2a20, 1);
	dog_legs(sc, &f, coat, 1);
	dog_head(sc, &f, coat, eyes);
	frame_box(sc, &f, DL_DOG);
	return x + facing * 0.3 * length;
}

void obj_bird(struct scene *sc, double x, double y, double length, int facing, int eyes)
{
	static const uint32_t plumage[] = {0x6b4f3a, 0x3a5f8a, 0x2a2a2a, 0xb5651d, 0x8a8d5a};
	static const double tail[][2] = {{-0.3, 0.02}, {-0.78, -0.14}, {-0.74, 0.02}};
	static const double wing[][2] = {{-0.28, 0.12}, {0.14, 0.12}, {0.04, -0.1}, {-0.5, -0.04}};
	static const double beak[][2] = {{0.5, 0.26}, {0.7, 0.19}, {0.5, 0.15}};
	uint32_t c = RNG_PICK(&sc->rng, plumage);
	struct frame f;

	frame_init(&f, x, y, length, facing);
	frame_line(sc, &f, -0.04, -0.18, -0.02, -0.42, 0.025, 0x7a5a3a, 1);
	frame_line(sc, &f, 0.08, -0.18, 0.1, -0.42, 0.025, 0x7a5a3a, 1);
	frame_poly(sc, &f, XY_TABLE(tail), paint_shade(c, -0.3), paint_shade(c, -0.4), 1);
	frame_ellipse(sc, &f, 0, 0, 0.42, 0.24, c, 1);
	frame_ellipse(sc, &f, 0.06, -0.08, 0.3, 0.13, paint_shade(c, 0.45), 1);
	frame_poly(sc, &f, XY_TABLE(wing), paint_shade(c, -0.25), paint_shade(c, -0.45), 1);
	frame_ellipse(sc, &f, 0.36, 0.2, 0.18, 0.18, c, 1);
	frame_poly(sc, &f, XY_TABLE(beak), 0xe8a317, 0xc07a10, 1);
	frame_ellipse(sc, &f, 0.43, 0.24, 0.035, 0.035, 0x0c0c0c, 1);
	frame_box(sc, &f, DL_BIRD);
	if (eyes) {
		f.track = 0;
		struct point e = frame_pt(&f, 0.43, 0.24);
		scene_point(sc, DL_EYE, e.x, e.y);
	}
}

void obj_gull(struct scene *sc, double x, double y, double span)
{
	double lift = rng_range(&sc->rng, 0.05, 0.3);
	const double left[][2] = {{0, 0}, {-0.22, 0.12 + lift}, {-0.5, lift * 0.6}};
	const double right[][2] = {{0, 0}, {0.22, 0.12 + lift}, {0.5, lift * 0.6}};
	struct frame f;

	frame_init(&f, x, y, span, rng_chance(&sc->rng, 0.5) ? 1 : -1);
	frame_stroke(sc, &f, XY_TABLE(left), 0.05, 0xf4f4f0, 1);
	frame_stroke(sc, &f, XY_TABLE(right), 0.05, 0xe8e8e4, 1);
	frame_line(sc, &f, -0.5, lift * 0.6, -0.44, lift * 0.62, 0.05, 0x333333, 1);
	frame_line(sc, &f, 0.5, lift * 0.6, 0.44, lift * 0.62, 0.05, 0x333333, 1);
	frame_ellipse(sc, &f, 0.02, -0.01, 0.12, 0.045, 0xffffff, 1);
	frame_box(sc, &f, DL_BIRD);
}
