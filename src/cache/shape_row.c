/* A shape row together with what its edits need around it (its asset's and annotation's ids in
 * the source, its label), in the two JSON forms the edits write: the edit-log value that undo
 * and redo put back exactly, and the outbox payload a push sends. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
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
 * The change as the user meant it (core/change.h): the shape's geometry in image pixels at
 * full precision, its label by name and ids, and the shape as it was before (the base a push
 * compares with the source's value). Each backend maps it to its own requests; the ids on
 * the source are looked up again when it is pushed, since an earlier create in the outbox may
 * only then have given the shape or its label one. */

static struct change_ref ref_of(int64_t local, char *ext)
{
	return (struct change_ref){.local = local, .ext = ext};
}

char *cache_shape_payload(const struct shape_row *now, const struct shape_row *before,
                          const char *op)
{
	struct change ch = {0};

	if (change_kind_parse(op, &ch.kind) < 0)
		return NULL;
	ch.dataset = ref_of(now->dataset_id, NULL);
	ch.asset = ref_of(now->asset_id, now->asset_ext_id);
	ch.annotation = ref_of(now->annotation_id, now->annotation_ext_id);
	ch.shape = ref_of(now->id, ch.kind == CHANGE_SHAPE_CREATE ? NULL : now->s.ext_id);
	ch.label = ref_of(now->label_id, now->label_ext_id);
	ch.label_name = now->label_name;
	if (ch.kind != CHANGE_SHAPE_DELETE) {
		ch.has_value = 1;
		ch.value = now->s;
	}
	if (before != NULL) {
		ch.has_base = 1;
		ch.base = before->s;
		ch.base_label_name = before->label_name;
	}
	/* ch borrows every pointer from the rows: nothing to clear */
	return change_to_json(&ch);
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
