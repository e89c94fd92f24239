/* The demo dataset's contents (see catalog.h): one recipe per image, in a table. */
#include "demo/catalog.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>

#define OK                                                                                         \
	{                                                                                          \
		FLAW_NONE, DL_CAR, DL_CAR                                                          \
	}
#define PENDING  REVIEW_PENDING
#define ACCEPTED REVIEW_ACCEPTED

/* Mostly ordinary camera sizes, a few very large and a few portrait frames; a few names with
 * spaces and non-ASCII characters, as real datasets have. One recipe per line, as a table. */
/* clang-format off */
const struct demo_recipe demo_recipes[] = {
	{"street_0001.jpg", 1280, 720, THEME_STREET_SIDE, MOOD_DAY, 0, OK, ACCEPTED},
	{"street_0002.jpg", 1920, 1080, THEME_STREET_SIDE, MOOD_DAY, 0, {FLAW_LOOSE, DL_CAR, DL_CAR}, PENDING},
	{"street_0003.jpg", 4000, 3000, THEME_STREET_AHEAD, MOOD_DAY, 0, OK, PENDING},
	{"street_0004.jpg", 1024, 768, THEME_STREET_AHEAD, MOOD_OVERCAST, 0, OK, ACCEPTED},
	{"street_0005.jpg", 2048, 1536, THEME_STREET_SIDE, MOOD_DAY, RECIPE_CROWDED, {FLAW_SHIFTED, DL_PERSON, DL_PERSON}, REVIEW_REJECTED},
	{"street_0006.jpg", 1600, 900, THEME_STREET_SIDE, MOOD_NIGHT, 0, OK, PENDING},
	{"street_0007.jpg", 1280, 960, THEME_STREET_AHEAD, MOOD_SUNSET, 0, OK, PENDING},
	{"street_0008.jpg", 1920, 1080, THEME_STREET_AHEAD, MOOD_DAY, 0, {FLAW_MISSING, DL_CAR, DL_CAR}, PENDING},
	{"street_0009.jpg", 640, 480, THEME_STREET_SIDE, MOOD_OVERCAST, 0, OK, PENDING},
	{"street_0010.jpg", 4000, 3000, THEME_STREET_SIDE, MOOD_DAY, 0, OK, PENDING},
	{"street_0011.jpg", 3000, 2000, THEME_STREET_AHEAD, MOOD_NIGHT, 0, OK, PENDING},
	{"street_0012.jpg", 1366, 768, THEME_STREET_AHEAD, MOOD_DAY, 0, {FLAW_WRONG_LABEL, DL_CAR, DL_BUS}, PENDING},
	{"street_0013.jpg", 1080, 1440, THEME_STREET_SIDE, MOOD_DAY, 0, OK, PENDING},
	{"street_0014.jpg", 800, 600, THEME_STREET_SIDE, MOOD_FOG, 0, OK, PENDING},
	{"street_0015.jpg", 1024, 768, THEME_STREET_SIDE, MOOD_DAY, RECIPE_BLURRY, OK, PENDING},
	{"street_0016.jpg", 2048, 1536, THEME_STREET_AHEAD, MOOD_DAY, RECIPE_CROWDED, OK, PENDING},
	{"street_0017.jpg", 1920, 1080, THEME_STREET_SIDE, MOOD_SUNSET, 0, OK, PENDING},
	{"street_0018.jpg", 1280, 720, THEME_STREET_AHEAD, MOOD_FOG, 0, OK, PENDING},
	{"street_0019.jpg", 3000, 2000, THEME_STREET_SIDE, MOOD_OVERCAST, RECIPE_CROWDED, OK, PENDING},
	{"street_0020.jpg", 1600, 1200, THEME_STREET_AHEAD, MOOD_NIGHT, 0, {FLAW_DUPLICATE, DL_CAR, DL_CAR}, PENDING},
	{"street_0021.jpg", 1440, 1080, THEME_STREET_SIDE, MOOD_DAY, 0, OK, PENDING},
	{"street_0022.jpg", 1024, 768, THEME_STREET_AHEAD, MOOD_OVERCAST, 0, OK, PENDING},
	{"caf\xc3\xa9_terrasse.jpg", 1280, 960, THEME_STREET_SIDE, MOOD_SUNSET, RECIPE_CROWDED, OK, PENDING},
	{"\xe8\xa1\x97\xe9\x81\x93_\xe5\xa4\x9c.jpg", 1920, 1080, THEME_STREET_SIDE, MOOD_NIGHT, 0, {FLAW_MISSING, DL_TRAFFIC_LIGHT, DL_TRAFFIC_LIGHT}, PENDING},
	{"rue du march\xc3\xa9 3.jpg", 1280, 720, THEME_STREET_AHEAD, MOOD_DAY, RECIPE_CROWDED, OK, PENDING},
	{"IMG_20240613_181502.jpg", 1600, 1200, THEME_STREET_SIDE, MOOD_DAY, 0, OK, PENDING},
	{"park_0001.jpg", 1280, 960, THEME_PARK, MOOD_DAY, 0, OK, ACCEPTED},
	{"park_0002.jpg", 4000, 3000, THEME_PARK, MOOD_DAY, 0, OK, PENDING},
	{"park_0003.jpg", 1600, 1200, THEME_PARK, MOOD_DAY, 0, {FLAW_WRONG_LABEL, DL_DOG, DL_BIRD}, PENDING},
	{"park_0004.jpg", 1920, 1080, THEME_PARK, MOOD_SUNSET, 0, OK, PENDING},
	{"park_0005.jpg", 800, 600, THEME_PARK, MOOD_OVERCAST, 0, OK, PENDING},
	{"park_0006.jpg", 2048, 1536, THEME_PARK, MOOD_DAY, RECIPE_CROWDED, {FLAW_DUPLICATE, DL_PERSON, DL_PERSON}, PENDING},
	{"park_0007.jpg", 3000, 2000, THEME_PARK, MOOD_DAY, 0, OK, PENDING},
	{"park_0008.jpg", 1024, 768, THEME_PARK, MOOD_FOG, 0, OK, PENDING},
	{"park_0009.jpg", 800, 600, THEME_PARK, MOOD_DAY, RECIPE_BLURRY, OK, PENDING},
	{"park_0010.jpg", 1080, 1440, THEME_PARK, MOOD_DAY, 0, OK, PENDING},
	{"park_0011.jpg", 1280, 720, THEME_PARK, MOOD_DAY, 0, OK, PENDING},
	{"park_0012.jpg", 1440, 1080, THEME_PARK, MOOD_OVERCAST, 0, OK, PENDING},
	{"harbour_0001.jpg", 4000, 3000, THEME_HARBOUR, MOOD_DAY, 0, OK, PENDING},
	{"harbour_0002.jpg", 1280, 960, THEME_HARBOUR, MOOD_DAY, 0, OK, ACCEPTED},
	{"harbour_0003.jpg", 1920, 1080, THEME_HARBOUR, MOOD_SUNSET, 0, OK, PENDING},
	{"harbour_0004.jpg", 1600, 900, THEME_HARBOUR, MOOD_DAY, 0, {FLAW_MISSING, DL_BOAT, DL_BOAT}, PENDING},
	{"harbour_0005.jpg", 3000, 2000, THEME_HARBOUR, MOOD_OVERCAST, 0, OK, PENDING},
	{"harbour_0006.jpg", 1024, 768, THEME_HARBOUR, MOOD_FOG, 0, OK, PENDING},
	{"harbour_0007.jpg", 2048, 1536, THEME_HARBOUR, MOOD_SUNSET, 0, OK, PENDING},
	{"harbour_0008.jpg", 800, 600, THEME_HARBOUR, MOOD_DAY, 0, OK, PENDING},
	{"harbour_0009.jpg", 640, 480, THEME_HARBOUR, MOOD_DAY, RECIPE_BLURRY, OK, PENDING},
	{"harbour at dusk.jpg", 1280, 720, THEME_HARBOUR, MOOD_SUNSET, 0, OK, PENDING},
	{"dog_0001.jpg", 1280, 960, THEME_CLOSEUP_DOG, MOOD_DAY, 0, OK, ACCEPTED},
	{"dog_0002.jpg", 1920, 1080, THEME_CLOSEUP_DOG, MOOD_DAY, 0, {FLAW_LOOSE, DL_DOG, DL_DOG}, PENDING},
	{"dog_0003.jpg", 1080, 1440, THEME_CLOSEUP_DOG, MOOD_OVERCAST, 0, OK, PENDING},
	{"dog_0004.jpg", 2048, 1536, THEME_CLOSEUP_DOG, MOOD_SUNSET, 0, OK, PENDING},
	{"car_0001.jpg", 1600, 900, THEME_CLOSEUP_CAR, MOOD_DAY, 0, OK, PENDING},
	{"car_0002.jpg", 1280, 720, THEME_CLOSEUP_CAR, MOOD_NIGHT, 0, OK, PENDING},
	{"car_0003.jpg", 1920, 1080, THEME_CLOSEUP_CAR, MOOD_DAY, 0, {FLAW_SHIFTED, DL_CAR, DL_CAR}, PENDING},
	{"car_0004.jpg", 800, 600, THEME_CLOSEUP_CAR, MOOD_OVERCAST, 0, OK, PENDING},
	{"bird_0001.jpg", 1280, 960, THEME_CLOSEUP_BIRD, MOOD_DAY, 0, OK, PENDING},
	{"bird_0002.jpg", 1200, 1600, THEME_CLOSEUP_BIRD, MOOD_DAY, 0, OK, REVIEW_SKIPPED},
	{"bird_0003.jpg", 1024, 768, THEME_CLOSEUP_BIRD, MOOD_OVERCAST, 0, OK, PENDING},
	{"bird_0004.jpg", 3000, 2000, THEME_CLOSEUP_BIRD, MOOD_DAY, 0, OK, PENDING},
	{"light_0001.jpg", 1080, 1440, THEME_CLOSEUP_LIGHT, MOOD_DAY, 0, OK, ACCEPTED},
	{"light_0002.jpg", 1280, 720, THEME_CLOSEUP_LIGHT, MOOD_NIGHT, 0, OK, PENDING},
	{"light_0003.jpg", 1024, 768, THEME_CLOSEUP_LIGHT, MOOD_OVERCAST, 0, OK, PENDING},
	{"light_0004.jpg", 1920, 1080, THEME_CLOSEUP_LIGHT, MOOD_DAY, 0, OK, PENDING},
};
/* clang-format on */

const int demo_recipe_count = (int)(sizeof demo_recipes / sizeof demo_recipes[0]);

const char *const demo_label_names[DL_COUNT] = {
    [DL_CAR] = "car",
    [DL_BUS] = "bus",
    [DL_BICYCLE] = "v\xc3\xa9lo",
    [DL_PERSON] = "person",
    [DL_DOG] = "dog",
    [DL_BIRD] = "bird",
    [DL_TRAFFIC_LIGHT] = "traffic_light",
    [DL_TRAFFIC_SIGN] = "traffic_sign",
    [DL_TREE] = "tree",
    [DL_BUILDING] = "building",
    [DL_BOAT] = "boat",
    [DL_ROAD_MARKING] = "road_marking",
    [DL_HORIZON] = "horizon",
    [DL_LAMP] = "lamp",
    [DL_EYE] = "eye",
    [DL_DAY] = "day",
    [DL_NIGHT] = "night",
    [DL_URBAN] = "urban",
    [DL_RURAL] = "rural",
    [DL_COASTAL] = "coastal",
};

/* COCO's supercategory of each label. */
static const char *const label_groups[DL_COUNT] = {
    [DL_CAR] = "vehicle",          [DL_BUS] = "vehicle",         [DL_BICYCLE] = "vehicle",
    [DL_PERSON] = "person",        [DL_DOG] = "animal",          [DL_BIRD] = "animal",
    [DL_TRAFFIC_LIGHT] = "street", [DL_TRAFFIC_SIGN] = "street", [DL_TREE] = "nature",
    [DL_BUILDING] = "structure",   [DL_BOAT] = "vehicle",        [DL_ROAD_MARKING] = "street",
    [DL_HORIZON] = "scene",        [DL_LAMP] = "street",         [DL_EYE] = "animal",
    [DL_DAY] = "time_of_day",      [DL_NIGHT] = "time_of_day",   [DL_URBAN] = "setting",
    [DL_RURAL] = "setting",        [DL_COASTAL] = "setting",
};

static const char *const mood_tags[] = {
    [MOOD_DAY] = NULL,      [MOOD_OVERCAST] = "overcast", [MOOD_SUNSET] = "sunset",
    [MOOD_NIGHT] = "night", [MOOD_FOG] = "fog",
};

static void (*const painters[THEME_COUNT])(struct scene *) = {
    [THEME_STREET_SIDE] = scene_street_side,
    [THEME_STREET_AHEAD] = scene_street_ahead,
    [THEME_PARK] = scene_park,
    [THEME_HARBOUR] = scene_harbour,
    [THEME_CLOSEUP_DOG] = scene_closeup_dog,
    [THEME_CLOSEUP_CAR] = scene_closeup_car,
    [THEME_CLOSEUP_BIRD] = scene_closeup_bird,
    [THEME_CLOSEUP_LIGHT] = scene_closeup_light,
};

/* The images are generated: the dataset says so where COCO keeps such things. */
static const char doc_extras[] =
    "{\"info\":{\"description\":\"annotty demo\",\"version\":\"1\",\"year\":2025,"
    "\"contributor\":\"annotty\",\"url\":\"\",\"date_created\":\"2025-01-01\","
    "\"note\":\"every image is painted by annotty's demo generator; nothing is "
    "photographed\"},\"licenses\":[{\"id\":1,\"name\":\"CC0 1.0 (images generated by "
    "annotty)\",\"url\":\"https://creativecommons.org/publicdomain/zero/1.0/\"}]}";

void (*catalog_painter(enum demo_theme theme))(struct scene *sc)
{
	return painters[theme];
}

static int catalog_add_labels(struct dataset_doc *doc)
{
	char text[64];

	for (int i = 0; i < DL_COUNT; i++) {
		struct label *l = dataset_doc_add_label(doc);
		if (l == NULL)
			return -1;
		snprintf(text, sizeof text, "%d", i + 1);
		l->ext_id = str_dup(text);
		l->name = str_dup(demo_label_names[i]);
		snprintf(text, sizeof text, "{\"supercategory\":\"%s\"}", label_groups[i]);
		l->extra_json = str_dup(text);
		if (l->ext_id == NULL || l->name == NULL || l->extra_json == NULL)
			return -1;
	}
	return 0;
}

static int catalog_add_asset(struct dataset_doc *doc, int index)
{
	const struct demo_recipe *r = &demo_recipes[index];
	struct asset *a = dataset_doc_add_asset(doc);
	char id[16];

	if (a == NULL)
		return -1;
	snprintf(id, sizeof id, "%d", index + 1);
	a->ext_id = str_dup(id);
	a->filename = str_dup(r->filename);
	a->extra_json = str_dup("{\"license\":1}");
	a->width = r->width;
	a->height = r->height;
	a->status = r->status;
	if (a->ext_id == NULL || a->filename == NULL || a->extra_json == NULL)
		return -1;
	if (mood_tags[r->mood] != NULL && asset_add_tag(a, mood_tags[r->mood]) < 0)
		return -1;
	if ((r->flags & RECIPE_CROWDED) && asset_add_tag(a, "crowded") < 0)
		return -1;
	if ((r->flags & RECIPE_BLURRY) && asset_add_tag(a, "blurry") < 0)
		return -1;
	return 0;
}

int catalog_doc_new(struct dataset_doc **out, struct err *err)
{
	struct dataset_doc *doc = dataset_doc_new();
	int rc = -1;

	*out = NULL;
	if (doc == NULL)
		goto out;
	doc->name = str_dup("annotty demo");
	doc->format = str_dup("coco");
	doc->extra_json = str_dup(doc_extras);
	if (doc->name == NULL || doc->format == NULL || doc->extra_json == NULL)
		goto out;
	if (catalog_add_labels(doc) < 0)
		goto out;
	for (int i = 0; i < demo_recipe_count; i++)
		if (catalog_add_asset(doc, i) < 0)
			goto out;
	*out = doc;
	doc = NULL;
	rc = 0;
out:
	if (rc < 0)
		err_set(err, "out of memory describing the demo dataset");
	dataset_doc_free(&doc);
	return rc;
}

int catalog_note_flaw(struct asset *asset, const struct scene *sc)
{
	char text[192];
	char *copy;

	if (!sc->flaw_done)
		return 0;
	/* the note is made of label names and plain words: nothing to escape */
	snprintf(text, sizeof text, "{\"license\":1,\"demo_flaw\":\"%s\"}", sc->flaw_note);
	copy = str_dup(text);
	if (copy == NULL)
		return -1;
	free(asset->extra_json);
	asset->extra_json = copy;
	return 0;
}
