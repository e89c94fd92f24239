/* labelme writer: OUT/NAME.json per image (version, flags, shapes, imagePath, imageData null,
 * imageHeight, imageWidth), the images beside them when asked. Tags are the image's flags
 * (true; a flag the source had that is no longer a tag is written false); the review status
 * is an "annotty_status" key labelme keeps and ignores. */
#include "api/backend.h"
#include "api/local/labelme_internal.h"
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *point_json(double x, double y)
{
	cJSON *p = cJSON_CreateArray();

	cJSON_AddItemToArray(p, cJSON_CreateNumber(x));
	cJSON_AddItemToArray(p, cJSON_CreateNumber(y));
	return p;
}

/* A polygon read from a circle and not moved since: the circle again. */
static const cJSON *circle_of(const struct shape *s, const cJSON *x)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "shape_type");
	const cJSON *pts = cJSON_GetObjectItemCaseSensitive(x, "points");
	struct shape c = {0};
	const cJSON *a = cJSON_GetArrayItem(pts, 0), *b = cJSON_GetArrayItem(pts, 1);
	int same;

	if (!cJSON_IsString(type) || strcmp(type->valuestring, "circle") != 0 ||
	    s->kind != SHAPE_POLYGON || a == NULL || b == NULL)
		return NULL;
	if (labelme_circle_points(&c,
	                          (struct point){cJSON_GetArrayItem(a, 0)->valuedouble,
	                                         cJSON_GetArrayItem(a, 1)->valuedouble},
	                          (struct point){cJSON_GetArrayItem(b, 0)->valuedouble,
	                                         cJSON_GetArrayItem(b, 1)->valuedouble}) < 0)
		return NULL;
	same = c.npoints == s->npoints;
	for (int i = 0; same && i < c.npoints; i++)
		same = c.points[i].x == s->points[i].x && c.points[i].y == s->points[i].y;
	shape_clear(&c);
	return same ? pts : NULL;
}

/* shape_type and points of a shape; NULL type when labelme has no form for it. */
static const char *shape_form(const struct shape *s, const cJSON *x, cJSON *points)
{
	const cJSON *type = cJSON_GetObjectItemCaseSensitive(x, "shape_type"), *circle;

	switch (s->kind) {
	case SHAPE_BOX:
	case SHAPE_MASK:
		cJSON_AddItemToArray(points, point_json(s->box.x, s->box.y));
		cJSON_AddItemToArray(points, point_json(s->box.x + s->box.w, s->box.y + s->box.h));
		return "rectangle";
	case SHAPE_POLYGON:
		if ((circle = circle_of(s, x)) != NULL) {
			const cJSON *p;
			cJSON_ArrayForEach(p, circle)
			{
				cJSON_AddItemToArray(points, cJSON_Duplicate(p, 1));
			}
			return "circle";
		}
		break;
	case SHAPE_LINE:
		break;
	case SHAPE_POINT:
		if (s->npoints > 0)
			cJSON_AddItemToArray(points, point_json(s->points[0].x, s->points[0].y));
		return "point";
	default:
		return NULL;
	}
	for (int i = 0; i < s->npoints; i++)
		cJSON_AddItemToArray(points, point_json(s->points[i].x, s->points[i].y));
	if (s->kind == SHAPE_POLYGON)
		return "polygon";
	if (cJSON_IsString(type) && strcmp(type->valuestring, "linestrip") == 0)
		return "linestrip";
	return s->npoints == 2 ? "line" : "linestrip";
}

static void add_shape(cJSON *shapes, const struct dataset_doc *doc, const struct shape *s)
{
	cJSON *x = s->extra_json != NULL ? cJSON_Parse(s->extra_json) : NULL;
	cJSON *o = cJSON_CreateObject(), *points = cJSON_CreateArray();
	const char *type = shape_form(s, x, points);
	const cJSON *m;

	if (type == NULL || o == NULL) {
		cJSON_Delete(points);
		cJSON_Delete(o);
		cJSON_Delete(x);
		return;
	}
	cJSON_AddStringToObject(
	    o, "label", s->label >= 0 && s->label < doc->nlabels ? doc->labels[s->label].name : "");
	cJSON_AddItemToObject(o, "points", points);
	cJSON_AddStringToObject(o, "shape_type", type);
	cJSON_ArrayForEach(m, x)
	{
		if (strcmp(m->string, "shape_type") != 0 && strcmp(m->string, "points") != 0)
			cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, 1));
	}
	if (cJSON_GetObjectItem(o, "group_id") == NULL)
		cJSON_AddNullToObject(o, "group_id");
	if (cJSON_GetObjectItem(o, "flags") == NULL)
		cJSON_AddObjectToObject(o, "flags");
	cJSON_AddItemToArray(shapes, o);
	cJSON_Delete(x);
}

/* The source's flags, each true when it is a tag now, and every other tag as true. */
static cJSON *flags_json(const struct asset *a, const cJSON *extras)
{
	const cJSON *old = cJSON_GetObjectItemCaseSensitive(extras, "flags"), *f;
	cJSON *flags = cJSON_CreateObject();

	cJSON_ArrayForEach(f, old)
	{
		int tagged = 0;
		for (int t = 0; t < a->ntags; t++)
			tagged |= strcmp(a->tags[t], f->string) == 0;
		cJSON_AddBoolToObject(flags, f->string, tagged);
	}
	for (int t = 0; t < a->ntags; t++)
		if (cJSON_GetObjectItemCaseSensitive(flags, a->tags[t]) == NULL)
			cJSON_AddTrueToObject(flags, a->tags[t]);
	return flags;
}

static cJSON *asset_json(const struct dataset_doc *doc, const struct asset *a, const char *file)
{
	cJSON *x = a->extra_json != NULL ? cJSON_Parse(a->extra_json) : NULL;
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(x, "version"), *m;
	cJSON *o = cJSON_CreateObject(), *shapes;

	cJSON_AddStringToObject(o, "version",
	                        cJSON_IsString(version) ? version->valuestring : "5.2.1");
	cJSON_AddItemToObject(o, "flags", flags_json(a, x));
	shapes = cJSON_AddArrayToObject(o, "shapes");
	for (int i = 0; i < a->nshapes; i++)
		add_shape(shapes, doc, &a->shapes[i]);
	cJSON_AddStringToObject(o, "imagePath", file);
	cJSON_AddNullToObject(o, "imageData");
	cJSON_AddNumberToObject(o, "imageHeight", a->height);
	cJSON_AddNumberToObject(o, "imageWidth", a->width);
	if (a->status != REVIEW_PENDING)
		cJSON_AddStringToObject(o, "annotty_status", review_status_name(a->status));
	cJSON_ArrayForEach(m, x)
	{
		if (cJSON_GetObjectItemCaseSensitive(o, m->string) == NULL)
			cJSON_AddItemToObject(o, m->string, cJSON_Duplicate(m, 1));
	}
	cJSON_Delete(x);
	return o;
}

int labelme_write_dir(const struct dataset_doc *doc, const char *dir,
                      const struct export_options *o, struct err *err)
{
	if (local_out_dir(dir, err) < 0)
		return -1;
	for (int i = 0; i < doc->nassets; i++) {
		const struct asset *a = &doc->assets[i];
		const char *file = a->filename != NULL && a->filename[0] ? path_base(a->filename)
		                   : a->path != NULL                     ? path_base(a->path)
		                                                         : "image";
		char stem[256], path[PATH_MAX], *text, *strict;
		cJSON *js = asset_json(doc, a, file);
		int rc;

		text = js != NULL ? cJSON_Print(js) : NULL;
		cJSON_Delete(js);
		strict = text != NULL ? json_out_strict(text, NULL) : NULL;
		free(text);
		if (strict == NULL)
			return err_set(err, "out of memory writing the labelme JSON of %s", file);
		local_stem(file, stem, sizeof stem);
		rc = snprintf(path, sizeof path, "%s/%s.json", dir, stem) >= (int)sizeof path
		         ? err_set(err, "path too long")
		         : local_write_text(path, strict, strlen(strict), err);
		free(strict);
		if (rc < 0 || local_place_image(a, dir, file, o, err) < 0)
			return -1;
	}
	return 0;
}
