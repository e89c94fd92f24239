/* Picsellia shapes (spec §7.3, §7.4) as domain shapes and back: rectangles, polygons, lines,
 * points and classifications in whole image pixels, each with its label id. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	enum shape_kind kind;
	const char *plural; /* the array key of an annotation, and of a bulk body */
	const char *route;  /* /api/<route>/{id}, and the coordinate key of polygon/line/point */
} kinds[] = {
    {SHAPE_BOX, "rectangles", "rectangle"},
    {SHAPE_POLYGON, "polygons", "polygon"},
    {SHAPE_LINE, "lines", "line"},
    {SHAPE_POINT, "points", "point"},
    {SHAPE_CLASSIFICATION, "classifications", "classification"},
};

const char *pxl_shape_plural(enum shape_kind kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == kind)
			return kinds[i].plural;
	return NULL;
}

const char *pxl_shape_route(enum shape_kind kind)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].kind == kind)
			return kinds[i].route;
	return NULL;
}

/* An [x, y] pair of finite numbers. */
static int pair_of(const cJSON *v, double *x, double *y)
{
	const cJSON *a = cJSON_GetArrayItem(v, 0), *b = cJSON_GetArrayItem(v, 1);

	if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 2 || !cJSON_IsNumber(a) ||
	    !cJSON_IsNumber(b) || !isfinite(a->valuedouble) || !isfinite(b->valuedouble))
		return -1;
	*x = a->valuedouble;
	*y = b->valuedouble;
	return 0;
}

static int read_coords(const cJSON *j, const char *key, const struct pxl_at *at, struct shape *out,
                       struct err *err)
{
	const cJSON *list = pxl_jarr(j, key, at, err), *it;
	int i = 0;

	if (list == NULL)
		return -1;
	cJSON_ArrayForEach(it, list)
	{
		double x, y;

		if (pair_of(it, &x, &y) < 0)
			return err_setk(err, ERR_PARSE, "%s: \"%s\" vertex %d is not [x, y]",
			                at->where, key, i);
		if (shape_add_point(out, x, y) < 0)
			return err_set(err, "%s: out of memory", at->where);
		i++;
	}
	if (i < (out->kind == SHAPE_POLYGON ? 3 : 2))
		return err_setk(err, ERR_PARSE, "%s: \"%s\" has %d vertices", at->where, key, i);
	return shape_end_part(out) < 0 ? err_set(err, "%s: out of memory", at->where) : 0;
}

static int read_geometry(const cJSON *j, enum shape_kind kind, const struct pxl_at *at,
                         struct shape *out, struct err *err)
{
	double x, y;
	long order;
	char extra[48];

	switch (kind) {
	case SHAPE_BOX:
		if (pxl_jnum(j, "x", at, &out->box.x, err) < 0 ||
		    pxl_jnum(j, "y", at, &out->box.y, err) < 0 ||
		    pxl_jnum(j, "w", at, &out->box.w, err) < 0 ||
		    pxl_jnum(j, "h", at, &out->box.h, err) < 0)
			return -1;
		if (out->box.w < 0 || out->box.h < 0)
			return err_setk(err, ERR_PARSE, "%s: a rectangle has a negative size",
			                at->where);
		return 0;
	case SHAPE_POLYGON:
	case SHAPE_LINE:
		if (read_coords(j, pxl_shape_route(kind), at, out, err) < 0)
			return -1;
		shape_update_bounds(out);
		return 0;
	case SHAPE_POINT:
		if (pair_of(pxl_jarr(j, "point", at, err), &x, &y) < 0)
			return err_setk(err, ERR_PARSE, "%s: \"point\" is not [x, y]", at->where);
		if (pxl_jint_opt(j, "order", at, 0, &order, err) < 0)
			return -1;
		if (shape_add_point(out, x, y) < 0)
			return err_set(err, "%s: out of memory", at->where);
		out->box = (struct rect){x, y, 0, 0};
		snprintf(extra, sizeof extra, "{\"order\":%ld}", order);
		out->extra_json = strdup(extra);
		return out->extra_json ? 0 : err_set(err, "%s: out of memory", at->where);
	default:
		return 0;
	}
}

/* label_id, or the id of an embedded label object. */
static int read_label(const cJSON *j, const struct pxl_at *at, char **label_id, struct err *err)
{
	if (pxl_jstr_opt(j, "label_id", at, label_id, err) < 0)
		return -1;
	if (*label_id)
		return 0;
	return pxl_jstr(j, "label.id", at, label_id, err);
}

int pxl_shape_parse(const cJSON *j, enum shape_kind kind, const struct pxl_at *at,
                    struct shape *out, char **label_id, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->label = -1;
	*label_id = NULL;
	if (!cJSON_IsObject(j)) {
		err_setk(err, ERR_PARSE, "%s: a shape is not an object", at->where);
		goto fail;
	}
	if (pxl_jstr(j, "id", at, &out->ext_id, err) < 0 || read_label(j, at, label_id, err) < 0 ||
	    pxl_jstr_opt(j, "text", at, &out->text, err) < 0 ||
	    read_geometry(j, kind, at, out, err) < 0)
		goto fail;
	return 0;
fail:
	free(*label_id);
	*label_id = NULL;
	shape_clear(out);
	return -1;
}

/* The label index of an id; an unknown id is kept in the shape's extra_json (beside a point's
 * order), so that nothing the server said is lost. */
static int resolve_label(struct shape *s, const char *label_id, const struct label *labels,
                         int nlabels)
{
	cJSON *extra;
	char *text;

	for (int i = 0; i < nlabels; i++)
		if (labels[i].ext_id && strcmp(labels[i].ext_id, label_id) == 0) {
			s->label = i;
			return 0;
		}
	extra = s->extra_json ? cJSON_Parse(s->extra_json) : cJSON_CreateObject();
	if (extra == NULL || cJSON_AddStringToObject(extra, "label_id", label_id) == NULL) {
		cJSON_Delete(extra);
		return -1;
	}
	text = cJSON_PrintUnformatted(extra);
	cJSON_Delete(extra);
	if (text == NULL)
		return -1;
	free(s->extra_json);
	s->extra_json = text;
	return 0;
}

static int kind_shapes(const cJSON *ann, size_t k, const struct pxl_at *at,
                       const struct label *labels, int nlabels, struct asset *asset,
                       struct err *err)
{
	const cJSON *list, *it;
	int i = 0;

	if (pxl_jarr_opt(ann, kinds[k].plural, at, &list, err) < 0)
		return -1;
	cJSON_ArrayForEach(it, list)
	{
		struct pxl_at sat;
		struct shape *s;
		char *label_id = NULL;

		snprintf(sat.where, sizeof sat.where, "%s: %s %d", at->where, kinds[k].plural, i++);
		sat.prefix = NULL;
		s = asset_add_shape(asset);
		if (s == NULL)
			return err_set(err, "%s: out of memory", at->where);
		if (pxl_shape_parse(it, kinds[k].kind, &sat, s, &label_id, err) < 0) {
			asset->nshapes--;
			return -1;
		}
		if (resolve_label(s, label_id, labels, nlabels) < 0) {
			free(label_id);
			return err_set(err, "%s: out of memory", at->where);
		}
		free(label_id);
	}
	return 0;
}

/* Keypoint sets have no domain kind yet: they are kept, untouched, in the asset's extras. */
static int keep_keypoints(const cJSON *ann, struct asset *asset)
{
	const cJSON *kp = cJSON_GetObjectItemCaseSensitive(ann, "keypoints");
	cJSON *extra;

	if (!cJSON_IsArray(kp) || cJSON_GetArraySize(kp) == 0)
		return 0;
	extra = cJSON_CreateObject();
	if (extra == NULL || !cJSON_AddItemToObject(extra, "keypoints", cJSON_Duplicate(kp, 1))) {
		cJSON_Delete(extra);
		return -1;
	}
	free(asset->extra_json);
	asset->extra_json = cJSON_PrintUnformatted(extra);
	cJSON_Delete(extra);
	return asset->extra_json ? 0 : -1;
}

int pxl_annotation_shapes(const cJSON *ann, const struct pxl_at *at, const struct label *labels,
                          int nlabels, struct asset *asset, struct err *err)
{
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (kind_shapes(ann, k, at, labels, nlabels, asset, err) < 0)
			return -1;
	if (keep_keypoints(ann, asset) < 0)
		return err_set(err, "%s: out of memory", at->where);
	return 0;
}

/* ---- bodies ----------------------------------------------------------------------------- */

static cJSON *coords_json(const struct shape *s)
{
	cJSON *list = cJSON_CreateArray();

	for (int i = 0; list && i < s->npoints; i++) {
		cJSON *pt = cJSON_CreateArray();

		if (pt == NULL || !cJSON_AddItemToArray(list, pt)) {
			cJSON_Delete(pt);
			cJSON_Delete(list);
			return NULL;
		}
		cJSON_AddItemToArray(pt, cJSON_CreateNumber(lround(s->points[i].x)));
		cJSON_AddItemToArray(pt, cJSON_CreateNumber(lround(s->points[i].y)));
	}
	return list;
}

static cJSON *point_json(const struct shape *s)
{
	cJSON *pt = cJSON_CreateArray();
	double x = s->npoints ? s->points[0].x : s->box.x,
	       y = s->npoints ? s->points[0].y : s->box.y;

	if (pt) {
		cJSON_AddItemToArray(pt, cJSON_CreateNumber(lround(x)));
		cJSON_AddItemToArray(pt, cJSON_CreateNumber(lround(y)));
	}
	return pt;
}

/* A point's keypoint order, from its extras; 0 when it has none. */
static long point_order(const struct shape *s)
{
	cJSON *extra = s->extra_json ? cJSON_Parse(s->extra_json) : NULL;
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(extra, "order");
	long order = cJSON_IsNumber(o) ? (long)o->valuedouble : 0;

	cJSON_Delete(extra);
	return order;
}

static void add_geometry(cJSON *o, const struct shape *s)
{
	switch (s->kind) {
	case SHAPE_BOX:
		cJSON_AddNumberToObject(o, "x", lround(s->box.x));
		cJSON_AddNumberToObject(o, "y", lround(s->box.y));
		cJSON_AddNumberToObject(o, "w", lround(s->box.w));
		cJSON_AddNumberToObject(o, "h", lround(s->box.h));
		break;
	case SHAPE_POLYGON:
	case SHAPE_LINE:
		cJSON_AddItemToObject(o, pxl_shape_route(s->kind), coords_json(s));
		break;
	case SHAPE_POINT:
		cJSON_AddItemToObject(o, "point", point_json(s));
		cJSON_AddNumberToObject(o, "order", point_order(s));
		break;
	default:
		break;
	}
}

cJSON *pxl_shape_create_json(const struct shape *s, const char *label_id)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	add_geometry(o, s);
	cJSON_AddStringToObject(o, "label_id", label_id);
	return o;
}

static int same_coords(const struct shape *a, const struct shape *b)
{
	if (a->npoints != b->npoints)
		return 0;
	for (int i = 0; i < a->npoints; i++)
		if (lround(a->points[i].x) != lround(b->points[i].x) ||
		    lround(a->points[i].y) != lround(b->points[i].y))
			return 0;
	return 1;
}

static int same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static void patch_geometry(cJSON *o, const struct shape *base, const struct shape *mine,
                           int *changed)
{
	const char *keys[] = {"x", "y", "w", "h"};
	const double was[] = {base->box.x, base->box.y, base->box.w, base->box.h};
	const double now[] = {mine->box.x, mine->box.y, mine->box.w, mine->box.h};

	if (mine->kind == SHAPE_BOX) {
		for (int i = 0; i < 4; i++)
			if (lround(was[i]) != lround(now[i])) {
				cJSON_AddNumberToObject(o, keys[i], lround(now[i]));
				*changed = 1;
			}
	} else if (mine->kind == SHAPE_POLYGON || mine->kind == SHAPE_LINE) {
		if (!same_coords(base, mine)) {
			cJSON_AddItemToObject(o, pxl_shape_route(mine->kind), coords_json(mine));
			*changed = 1;
		}
	} else if (mine->kind == SHAPE_POINT && !same_coords(base, mine)) {
		cJSON_AddItemToObject(o, "point", point_json(mine));
		*changed = 1;
	}
}

cJSON *pxl_shape_patch_json(const struct shape *base, const char *base_label,
                            const struct shape *mine, const char *label_id, int *changed)
{
	cJSON *o = cJSON_CreateObject();

	*changed = 0;
	if (o == NULL)
		return NULL;
	patch_geometry(o, base, mine, changed);
	if (!same_text(base->text, mine->text)) {
		if (mine->text)
			cJSON_AddStringToObject(o, "text", mine->text);
		else
			cJSON_AddNullToObject(o, "text");
		*changed = 1;
	}
	if (label_id && !same_text(base_label, label_id)) {
		cJSON_AddStringToObject(o, "label_id", label_id);
		*changed = 1;
	}
	return o;
}
