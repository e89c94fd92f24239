/* What the demo dataset holds: its labels, and the recipe of each of its images (size, theme,
 * light, tags, review state, the deliberate mistake it carries). */
#ifndef ANNOTTY_DEMO_CATALOG_H
#define ANNOTTY_DEMO_CATALOG_H

#include "core/model.h"
#include "demo/scene.h"

struct err;

enum demo_theme {
	THEME_STREET_SIDE = 0,
	THEME_STREET_AHEAD,
	THEME_PARK,
	THEME_HARBOUR,
	THEME_CLOSEUP_DOG,
	THEME_CLOSEUP_CAR,
	THEME_CLOSEUP_BIRD,
	THEME_CLOSEUP_LIGHT,
	THEME_COUNT
};

#define RECIPE_CROWDED 1u
#define RECIPE_BLURRY  2u

struct demo_recipe {
	const char *filename;
	int width;
	int height;
	enum demo_theme theme;
	enum scene_mood mood;
	unsigned flags;
	struct demo_flaw flaw;
	enum review_status status;
};

extern const struct demo_recipe demo_recipes[];
extern const int demo_recipe_count;
extern const char *const demo_label_names[DL_COUNT];

/* The painter of a theme. */
void (*catalog_painter(enum demo_theme theme))(struct scene *sc);

/* A dataset with the demo's labels and one asset per recipe (name, size, tags, status), but
 * no shapes yet. The caller owns *out (dataset_doc_free). */
int catalog_doc_new(struct dataset_doc **out, struct err *err);

/* Records on the asset the mistake its scene made (an extra field "demo_flaw"), if any. */
int catalog_note_flaw(struct asset *asset, const struct scene *sc);

#endif
