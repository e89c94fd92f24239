/* Painting one demo scene: what a scene knows while it is painted (canvas, random state, where
 * its annotations go, the deliberate mistake it carries), the objects it can draw, and the
 * themes. Objects are drawn and annotated from the same geometry, so the shapes fit. */
#ifndef ANNOTTY_DEMO_SCENE_H
#define ANNOTTY_DEMO_SCENE_H

#include "core/model.h"
#include "demo/paint.h"
#include "demo/rng.h"

/* The labels of the demo dataset, in the order of the dataset's label list. */
enum demo_label {
	DL_CAR = 0,
	DL_BUS,
	DL_BICYCLE,
	DL_PERSON,
	DL_DOG,
	DL_BIRD,
	DL_TRAFFIC_LIGHT,
	DL_TRAFFIC_SIGN,
	DL_TREE,
	DL_BUILDING,
	DL_BOAT,
	DL_ROAD_MARKING,
	DL_HORIZON,
	DL_LAMP,
	DL_EYE,
	DL_DAY,
	DL_NIGHT,
	DL_URBAN,
	DL_RURAL,
	DL_COASTAL,
	DL_COUNT
};

/* Mistakes left on purpose for the user to find in review. */
enum demo_flaw_kind {
	FLAW_NONE = 0,
	FLAW_LOOSE,       /* the box is much larger than the object */
	FLAW_SHIFTED,     /* the box is beside the object */
	FLAW_WRONG_LABEL, /* the object carries another label */
	FLAW_MISSING,     /* the object is not annotated */
	FLAW_DUPLICATE,   /* the object has two boxes */
};

struct demo_flaw {
	enum demo_flaw_kind kind;
	enum demo_label target; /* the label of the object it is made on */
	enum demo_label as;     /* the wrong label (FLAW_WRONG_LABEL) */
};

enum scene_mood { MOOD_DAY = 0, MOOD_OVERCAST, MOOD_SUNSET, MOOD_NIGHT, MOOD_FOG };

struct scene {
	struct canvas *cv;
	struct asset *asset; /* where the annotations go */
	const char *const *label_names;
	struct rng rng;
	double w;
	double h;
	double u; /* the size unit: the height of a landscape frame, less for portrait ones */
	enum scene_mood mood;
	int crowded;
	int quiet;           /* what is drawn now is background: it is not annotated */
	double haze;         /* 0..1: how far the object being drawn fades into the air */
	uint32_t haze_color; /* what it fades into */
	struct demo_flaw flaw;
	int flaw_done;
	char flaw_note[96];
	int oom; /* an annotation could not be stored; the image is then reported as failed */
};

/* A colour with this bit set gives light (lamps, lit windows): night does not darken it. */
#define LIT(c) ((uint32_t)(c) | 0x1000000u)

/* The colour as the scene's light and air make it look. */
uint32_t scene_tint(const struct scene *sc, uint32_t c);

/* Annotations, clipped to the image; boxes smaller than a few pixels are not annotated. */
void scene_box(struct scene *sc, enum demo_label label, double x0, double y0, double x1, double y1);
void scene_point(struct scene *sc, enum demo_label label, double x, double y);
void scene_line(struct scene *sc, enum demo_label label, const struct point *pts, int n);
void scene_class(struct scene *sc, enum demo_label label);
/* Makes the scene's deliberate mistake on its most visible object of the target label, once
 * everything is drawn, and notes it in flaw_note. */
void scene_apply_flaw(struct scene *sc);
/* A polygon or line of several parts: begin, add parts, end. No other annotation may be made
 * between begin and end. begin returns NULL when the shape is to be left out; part and end
 * accept NULL. */
struct shape *scene_shape_begin(struct scene *sc, enum shape_kind kind, enum demo_label label);
void scene_shape_part(struct scene *sc, struct shape *s, const struct point *pts, int n);
void scene_shape_end(struct scene *sc, struct shape *s);

/* Where an object stands and how big it is: local coordinates (x towards the object's front,
 * y up, in the object's own unit) map to image pixels. Everything drawn through a tracking
 * frame widens its bounds, which become the object's box. */
struct frame {
	double ox;
	double oy;
	double sx; /* pixels per unit, negative when the object faces left */
	double sy;
	double x0; /* bounds of what was drawn, in pixels */
	double y0;
	double x1;
	double y1;
	int track;
};

#define XY_TABLE(t) (t), (int)(sizeof(t) / sizeof((t)[0]))

void frame_init(struct frame *f, double ox, double oy, double scale, int facing);
struct point frame_pt(struct frame *f, double x, double y);
void frame_poly(struct scene *sc, struct frame *f, const double (*xy)[2], int n, uint32_t top,
                uint32_t bottom, double alpha);
void frame_rect(struct scene *sc, struct frame *f, double x0, double y0, double x1, double y1,
                uint32_t c, double alpha);
void frame_ellipse(struct scene *sc, struct frame *f, double cx, double cy, double rx, double ry,
                   uint32_t c, double alpha);
void frame_ring(struct scene *sc, struct frame *f, double cx, double cy, double r_out, double r_in,
                uint32_t c);
void frame_stroke(struct scene *sc, struct frame *f, const double (*xy)[2], int n, double width,
                  uint32_t c, double alpha);
void frame_line(struct scene *sc, struct frame *f, double x0, double y0, double x1, double y1,
                double width, uint32_t c, double alpha);
/* Light around a lamp; never part of the bounds. */
void frame_glow(struct scene *sc, struct frame *f, double cx, double cy, double r, uint32_t c,
                double strength);
/* A soft shadow on the ground under an object; never part of the bounds. */
void frame_shadow(struct scene *sc, struct frame *f, double cx, double rx, double ry);
void frame_box(struct scene *sc, const struct frame *f, enum demo_label label);

/* Objects (obj_vehicles.c, obj_living.c, obj_fixtures.c). `ground` is the y of the ground
 * under the object, facing is +1 (right) or -1 (left). Each draws and annotates itself. */
void obj_car_side(struct scene *sc, double x, double ground, double length, int facing);
void obj_car_rear(struct scene *sc, double x, double ground, double width, int front_view);
void obj_bus_side(struct scene *sc, double x, double ground, double length, int facing);
void obj_bus_rear(struct scene *sc, double x, double ground, double width);
void obj_bicycle(struct scene *sc, double x, double ground, double wheel_r, int facing, int rider);
void obj_boat(struct scene *sc, double x, double waterline, double length, int facing);
void obj_person(struct scene *sc, double x, double ground, double height, int facing);
/* Returns the x of the dog's collar (for a leash). */
double obj_dog(struct scene *sc, double x, double ground, double length, int facing, int eyes);
void obj_bird(struct scene *sc, double x, double y, double length, int facing, int eyes);
void obj_gull(struct scene *sc, double x, double y, double span);
void obj_traffic_light(struct scene *sc, double x, double ground, double housing_h, double pole_h);
void obj_sign(struct scene *sc, double x, double ground, double face, double pole_h);
void obj_street_lamp(struct scene *sc, double x, double ground, double height, int facing);
void obj_tree(struct scene *sc, double x, double ground, double crown_r);
void obj_pine(struct scene *sc, double x, double ground, double height);
void obj_building(struct scene *sc, double x0, double x1, double ground, double height);

/* Themes (scenes_*.c), and the backdrops they share (backdrop.c). */
void scene_street_side(struct scene *sc);
void scene_street_ahead(struct scene *sc);
void scene_park(struct scene *sc);
void scene_harbour(struct scene *sc);
void scene_closeup_dog(struct scene *sc);
void scene_closeup_car(struct scene *sc);
void scene_closeup_bird(struct scene *sc);
void scene_closeup_light(struct scene *sc);

/* Sets the colour distant things fade into for the scene's mood. */
void backdrop_air(struct scene *sc);
void backdrop_sky(struct scene *sc, double horizon);
void backdrop_hills(struct scene *sc, double base, double height, uint32_t c, double haze);
void backdrop_ground(struct scene *sc, double y0, double y1, uint32_t top, uint32_t bottom,
                     double texture);
void backdrop_water(struct scene *sc, double y0, double y1);
void backdrop_grass_blades(struct scene *sc, double y0, double y1, uint32_t c, int count);

#endif
