/* A shape row together with what its edits need around it (its asset's and annotation's ids in
 * the source, its label), in the two JSON forms the edits write: the edit-log value that undo
 * and redo put back exactly, and the outbox payload a push sends. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/num.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_row_load[] =
    "SELECT s.kind, s.x, s.y, s.w, s.h, s.points, s.parts, s.text, s.ext_id, s.extra_json,"
    " s.asset_id, s.annotation_id, s.seq, s.label_id, s.rev, l.position, l.name, l.ext_id,"
    " a.dataset_id, a.ext_id, n.ext_id, n.base_rev FROM shape s JOIN asset a ON a.id = s.asset_id"
    " LEFT JOIN label l ON l.id = s.label_id LEFT JOIN annotation n ON n.asset_id = s.asset_id"
    " WHERE s.id = ?1";

/* Where the columns after the shape's own start in sql_row_load. */
enum {
	COL_ASSET = CACHE_SHAPE_COLS,
	COL_ANNOTATION,
	COL_SEQ,
	COL_LABEL_ID,
	COL_REV,
	COL_LABEL_POS,
	COL_LABEL_NAME,
	COL_LABEL_EXT,
	COL_DATASET,
	COL_ASSET_EXT,
	COL_ANNOTATION_EXT,
	COL_BASE_REV,
};

/* The route names of the platform (its shape JSON and URLs), per shape kind. A mask has none:
 * it is only known locally, by its box. */
static const char *const route_kinds[SHAPE_KIND_COUNT] = {
    [SHAPE_BOX] = "rectangle",
    [SHAPE_POLYGON] = "polygon",
    [SHAPE_LINE] = "line",
    [SHAPE_POINT] = "point",
    [SHAPE_CLASSIFICATION] = "classification",
    [SHAPE_MASK] = "mask",
};

static int row_fill(sqlite3_stmt *st, struct shape_row *r, struct err *err)
{
	int oom = 0;

	if (cache_shape_read(st, 0, &r->s, err) < 0)
		return -1;
	r->asset_id = sqlite3_column_int64(st, COL_ASSET);
	r->annotation_id = sqlite3_column_int64(st, COL_ANNOTATION);
	r->seq = sqlite3_column_int64(st, COL_SEQ);
	r->label_id = sqlite3_column_int64(st, COL_LABEL_ID);
	r->rev = sqlite3_column_int64(st, COL_REV);
	if (sqlite3_column_type(st, COL_LABEL_POS) != SQLITE_NULL) {
		r->s.label = sqlite3_column_int(st, COL_LABEL_POS);
		r->label_name = strdup(cache_db_text(st, COL_LABEL_NAME));
		oom |= r->label_name == NULL;
		r->label_ext_id = cache_db_text_dup(st, COL_LABEL_EXT, &oom);
	} else {
		r->label_id = 0; /* a dangling id is no label */
	}
	r->dataset_id = sqlite3_column_int64(st, COL_DATASET);
	r->asset_ext_id = cache_db_text_dup(st, COL_ASSET_EXT, &oom);
	r->annotation_ext_id = cache_db_text_dup(st, COL_ANNOTATION_EXT, &oom);
	r->base_rev = sqlite3_column_int64(st, COL_BASE_REV);
	return oom ? err_set(err, "reading a shape: out of memory") : 0;
}

int cache_shape_row_load(struct cache *c, int64_t shape_id, struct shape_row *r, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(r, 0, sizeof *r);
	r->s.label = -1;
	if (cache_db_prepare(c, sql_row_load, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, shape_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (step != SQLITE_ROW) {
		cache_db_fail(c, err, "reading a shape");
		goto out;
	}
	r->id = shape_id;
	if (row_fill(st, r, err) < 0) {
		cache_shape_row_clear(r);
		goto out;
	}
	rc = 1;
out:
	sqlite3_finalize(st);
	return rc;
}

void cache_shape_row_clear(struct shape_row *r)
{
	shape_clear(&r->s);
	free(r->label_name);
	free(r->label_ext_id);
	free(r->asset_ext_id);
	free(r->annotation_ext_id);
	memset(r, 0, sizeof *r);
	r->s.label = -1;
}

/* ---- the edit-log value ---------------------------------------------------------------- */

/* cJSON prints doubles with 15 digits when they come back "close enough": undo must put a
 * vertex back bit for bit, so numbers go out as raw text with 17 significant digits. */
static cJSON *exact_number(double d)
{
	char text[40];

	snprintf(text, sizeof text, "%.17g", isfinite(d) ? d : 0.0);
	return cJSON_CreateRaw(text);
}

static int add_exact(cJSON *o, const char *key, double d)
{
	cJSON *n = exact_number(d);

	return n != NULL && cJSON_AddItemToObject(o, key, n) ? 0 : -1;
}

static int add_text(cJSON *o, const char *key, const char *s)
{
	return (s != NULL ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) !=
	               NULL
	           ? 0
	           : -1;
}

/* cJSON prints a number with 15 digits when that reads back "close enough": a revision of
 * 2^53 - 1 came back one less. Integers go out as raw text, every digit. */
static int add_integer(cJSON *o, const char *key, int64_t v)
{
	char text[32];
	cJSON *n;

	snprintf(text, sizeof text, "%lld", (long long)v);
	n = cJSON_CreateRaw(text);
	return n != NULL && cJSON_AddItemToObject(o, key, n) ? 0 : -1;
}

static int add_id(cJSON *o, const char *key, int64_t id)
{
	if (id == 0)
		return cJSON_AddNullToObject(o, key) != NULL ? 0 : -1;
	return add_integer(o, key, id);
}

static int value_geometry(cJSON *o, const struct shape *s)
{
	cJSON *points = cJSON_AddArrayToObject(o, "points");
	cJSON *parts = cJSON_AddArrayToObject(o, "parts");

	if (points == NULL || parts == NULL || add_exact(o, "x", s->box.x) < 0 ||
	    add_exact(o, "y", s->box.y) < 0 || add_exact(o, "w", s->box.w) < 0 ||
	    add_exact(o, "h", s->box.h) < 0)
		return -1;
	/* adding NULL (out of memory) fails without leaking */
	for (int i = 0; i < s->npoints; i++)
		if (!cJSON_AddItemToArray(points, exact_number(s->points[i].x)) ||
		    !cJSON_AddItemToArray(points, exact_number(s->points[i].y)))
			return -1;
	for (int i = 0; i < s->nparts; i++)
		if (!cJSON_AddItemToArray(parts, cJSON_CreateNumber(s->part_ends[i])))
			return -1;
	return 0;
}

char *cache_shape_value(const struct shape_row *r)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o == NULL)
		return NULL;
	if (cJSON_AddStringToObject(o, "kind", shape_kind_name(r->s.kind)) != NULL &&
	    add_id(o, "label_id", r->label_id) == 0 && add_text(o, "label", r->label_name) == 0 &&
	    value_geometry(o, &r->s) == 0 && add_text(o, "text", r->s.text) == 0 &&
	    add_integer(o, "seq", r->seq) == 0 && add_integer(o, "rev", r->rev) == 0 &&
	    add_text(o, "ext_id", r->s.ext_id) == 0 &&
	    add_text(o, "extra_json", r->s.extra_json) == 0)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* A string member copied, NULL for null or missing; -1 when out of memory. */
static int take_text(const cJSON *o, const char *key, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (!cJSON_IsString(v))
		return 0;
	*out = strdup(v->valuestring);
	return *out != NULL ? 0 : -1;
}

static double number_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

/* An integer member into *out (0 when missing or not a number); -1 when it is a number no
 * int64 holds (1e300: a damaged value, not one to cast). */
static int integer_of(const cJSON *o, const char *key, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (!cJSON_IsNumber(v))
		return 0;
	return num_to_int64(v->valuedouble, INT64_MIN, INT64_MAX, out);
}

static int parse_points(const cJSON *o, struct shape *s)
{
	const cJSON *points = cJSON_GetObjectItemCaseSensitive(o, "points");
	const cJSON *parts = cJSON_GetObjectItemCaseSensitive(o, "parts");
	int n = cJSON_GetArraySize(points), m = cJSON_GetArraySize(parts), i = 0;
	const cJSON *v;

	if (n % 2 != 0)
		return -1;
	if (n > 0 && (s->points = malloc((size_t)n / 2 * sizeof *s->points)) == NULL)
		return -1;
	cJSON_ArrayForEach(v, points)
	{
		double d = cJSON_IsNumber(v) ? v->valuedouble : 0.0;

		if (i % 2 == 0)
			s->points[i / 2].x = d;
		else
			s->points[i / 2].y = d;
		i++;
	}
	s->npoints = n / 2;
	if (m > 0 && (s->part_ends = malloc((size_t)m * sizeof *s->part_ends)) == NULL)
		return -1;
	i = 0;
	cJSON_ArrayForEach(v, parts)
	{
		int end;

		if (!cJSON_IsNumber(v) ||
		    num_to_int(v->valuedouble, i > 0 ? s->part_ends[i - 1] : 0, s->npoints, &end) <
		        0)
			return -1;
		s->part_ends[i++] = end;
	}
	s->nparts = m;
	return 0;
}

int cache_shape_value_parse(const char *json, struct shape_row *r, struct err *err)
{
	cJSON *o = json != NULL ? cJSON_Parse(json) : NULL;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	int rc = -1;

	memset(r, 0, sizeof *r);
	r->s.label = -1;
	if (!cJSON_IsObject(o) || !cJSON_IsString(kind) ||
	    shape_kind_parse(kind->valuestring, &r->s.kind) < 0)
		goto out;
	if (integer_of(o, "label_id", &r->label_id) < 0 || integer_of(o, "seq", &r->seq) < 0 ||
	    integer_of(o, "rev", &r->rev) < 0)
		goto out;
	r->s.box.x = number_of(o, "x");
	r->s.box.y = number_of(o, "y");
	r->s.box.w = number_of(o, "w");
	r->s.box.h = number_of(o, "h");
	if (parse_points(o, &r->s) < 0 || take_text(o, "label", &r->label_name) < 0 ||
	    take_text(o, "text", &r->s.text) < 0 || take_text(o, "ext_id", &r->s.ext_id) < 0 ||
	    take_text(o, "extra_json", &r->s.extra_json) < 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(o);
	if (rc < 0) {
		cache_shape_row_clear(r);
		err_set(err, "the edit log holds a damaged shape");
	}
	return rc;
}

/* ---- the outbox payload ----------------------------------------------------------------
 *
 * What a push to Picsellia needs (spec 7.2, 7.4), addressed by ext ids, with the local rows
 * the replay writes results back to:
 *   all:    asset (ext id or null), asset_id, annotation (ext id, when known), shape_id,
 *           kind (the route: rectangle, polygon, line, point, classification; mask has none)
 *   update, delete: shape (the platform's shape id, when it has one)
 *   create, update: label ({id: ext id or null, name} or null), text (or null), and the
 *           geometry in whole pixels: x, y, w, h (rectangle, mask); polygon or line
 *           [[x, y], ...] of the first part, plus parts [[[x, y], ...], ...] when there are
 *           more; point [x, y] and order (from the source's extra fields, else 0).
 * A create carries no shape id: the platform makes a new one. */

/* The platform takes whole pixels. */
static double pixel(double d)
{
	return isfinite(d) ? (double)llround(d) : 0.0;
}

static cJSON *pixel_pair(struct point p)
{
	double xy[2] = {pixel(p.x), pixel(p.y)};

	return cJSON_CreateDoubleArray(xy, 2);
}

/* Vertices from..to as [[x, y], ...]. */
static cJSON *pixel_path(const struct shape *s, int from, int to)
{
	cJSON *path = cJSON_CreateArray();

	for (int i = from; path != NULL && i < to; i++) {
		cJSON *pair = pixel_pair(s->points[i]);

		if (pair == NULL || !cJSON_AddItemToArray(path, pair)) {
			cJSON_Delete(path);
			return NULL;
		}
	}
	return path;
}

/* A rectangle by its rounded edges, so that the far edge does not drift by a pixel. */
static int payload_box(cJSON *o, const struct rect *b)
{
	double x0 = pixel(b->x), y0 = pixel(b->y);
	double x1 = pixel(b->x + b->w), y1 = pixel(b->y + b->h);

	return cJSON_AddNumberToObject(o, "x", x0) != NULL &&
	               cJSON_AddNumberToObject(o, "y", y0) != NULL &&
	               cJSON_AddNumberToObject(o, "w", x1 - x0) != NULL &&
	               cJSON_AddNumberToObject(o, "h", y1 - y0) != NULL
	           ? 0
	           : -1;
}

/* A polygon or line: its first part under the route's key (the platform's shapes have one),
 * and every part under "parts" when there are more. */
static int payload_path(cJSON *o, const struct shape *s, const char *key)
{
	int first_end = s->nparts > 0 ? s->part_ends[0] : s->npoints;
	cJSON *parts, *first = pixel_path(s, 0, first_end);

	if (first == NULL || !cJSON_AddItemToObject(o, key, first)) {
		cJSON_Delete(first);
		return -1;
	}
	if (s->nparts <= 1)
		return 0;
	parts = cJSON_AddArrayToObject(o, "parts");
	for (int i = 0; parts != NULL && i < s->nparts; i++) {
		cJSON *path = pixel_path(s, i > 0 ? s->part_ends[i - 1] : 0, s->part_ends[i]);

		if (path == NULL || !cJSON_AddItemToArray(parts, path)) {
			cJSON_Delete(path);
			return -1;
		}
	}
	return parts != NULL ? 0 : -1;
}

/* A keypoint's index, kept from the source in the shape's extra fields ("order"), else 0. */
static int point_order(const struct shape *s)
{
	cJSON *extra = s->extra_json != NULL ? cJSON_Parse(s->extra_json) : NULL;
	const cJSON *order = cJSON_GetObjectItemCaseSensitive(extra, "order");
	int n = 0;

	if (cJSON_IsNumber(order) && num_to_int(order->valuedouble, 0, INT_MAX, &n) < 0)
		n = 0;

	cJSON_Delete(extra);
	return n;
}

static int payload_point(cJSON *o, const struct shape *s)
{
	struct point p = s->npoints > 0 ? s->points[0] : (struct point){s->box.x, s->box.y};
	cJSON *pair = pixel_pair(p);

	if (pair == NULL || !cJSON_AddItemToObject(o, "point", pair)) {
		cJSON_Delete(pair);
		return -1;
	}
	return cJSON_AddNumberToObject(o, "order", point_order(s)) != NULL ? 0 : -1;
}

static int payload_geometry(cJSON *o, const struct shape *s)
{
	switch (s->kind) {
	case SHAPE_POLYGON:
		return payload_path(o, s, "polygon");
	case SHAPE_LINE:
		return payload_path(o, s, "line");
	case SHAPE_POINT:
		return payload_point(o, s);
	case SHAPE_CLASSIFICATION:
		return 0;
	default:
		return payload_box(o, &s->box);
	}
}

static int payload_label(cJSON *o, const struct shape_row *r)
{
	cJSON *label;

	if (r->label_id == 0)
		return cJSON_AddNullToObject(o, "label") != NULL ? 0 : -1;
	label = cJSON_AddObjectToObject(o, "label");
	if (label == NULL || add_text(label, "id", r->label_ext_id) < 0 ||
	    add_text(label, "name", r->label_name) < 0)
		return -1;
	return 0;
}

/* What addresses the shape on the platform: its asset and annotation, its id there once it
 * has one (a create makes a new one), and the local row the replay writes that id back to. */
static int payload_head(cJSON *o, const struct shape_row *r, int create)
{
	if (add_text(o, "asset", r->asset_ext_id) < 0 ||
	    cJSON_AddNumberToObject(o, "asset_id", (double)r->asset_id) == NULL ||
	    (r->annotation_ext_id != NULL &&
	     cJSON_AddStringToObject(o, "annotation", r->annotation_ext_id) == NULL) ||
	    cJSON_AddNumberToObject(o, "shape_id", (double)r->id) == NULL ||
	    (!create && r->s.ext_id != NULL &&
	     cJSON_AddStringToObject(o, "shape", r->s.ext_id) == NULL) ||
	    cJSON_AddStringToObject(o, "kind", route_kinds[r->s.kind]) == NULL)
		return -1;
	return 0;
}

char *cache_shape_payload(const struct shape_row *r, const char *op)
{
	int create = strcmp(op, "shape.create") == 0, del = strcmp(op, "shape.delete") == 0;
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o == NULL)
		return NULL;
	if (payload_head(o, r, create) == 0 &&
	    (del || (payload_label(o, r) == 0 && payload_geometry(o, &r->s) == 0 &&
	             add_text(o, "text", r->s.text) == 0)))
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* ---- checks ---------------------------------------------------------------------------- */

int cache_shape_check(const struct shape *s, struct err *err)
{
	if ((unsigned)s->kind >= SHAPE_KIND_COUNT)
		return err_set(err, "unknown shape kind %d", (int)s->kind);
	if (s->npoints < 0 || s->nparts < 0 || (s->npoints > 0 && s->points == NULL) ||
	    (s->nparts > 0 && s->part_ends == NULL))
		return err_set(err, "a shape's vertex lists do not match their counts");
	if (!isfinite(s->box.x) || !isfinite(s->box.y) || !isfinite(s->box.w) ||
	    !isfinite(s->box.h) || s->box.w < 0 || s->box.h < 0)
		return err_set(err, "a shape's box must be finite, with no negative side");
	for (int i = 0; i < s->npoints; i++)
		if (!isfinite(s->points[i].x) || !isfinite(s->points[i].y))
			return err_set(err, "a shape's vertex %d is not a finite number", i);
	for (int i = 0; i < s->nparts; i++)
		if (s->part_ends[i] < (i > 0 ? s->part_ends[i - 1] : 0) ||
		    s->part_ends[i] > s->npoints)
			return err_set(err, "a shape's part %d does not end inside its vertices",
			               i);
	return 0;
}
