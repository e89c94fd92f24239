/* Tests of shape and label edits: the rows each changes, its outbox entry and payload, undo and
 * redo of each (same row ids, exact geometry), the redo chain, nudges merged into one step,
 * undo of pushed edits, labels found or created and ranked, export, and refusals. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char db_path[4096];

/* ---- helpers --------------------------------------------------------------------------- */

/* Runs sql with one argument; the first column of its first row, or -1. */
static int64_t sql_int(struct cache *c, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_bind_parameter_count(st) >= 1)
			sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_type(st, 0) == SQLITE_NULL ? -2
			                                              : sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

/* The text of the first column of the first row, malloc'd ("" when none). */
static char *sql_str(struct cache *c, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = NULL;
	char *s = NULL;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			s = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return s != NULL ? s : strdup("");
}

static int64_t outbox_count(struct cache *c)
{
	return sql_int(c, "SELECT count(*) FROM outbox", 0);
}

static int64_t log_count(struct cache *c)
{
	return sql_int(c, "SELECT count(*) FROM edit_log", 0);
}

static int64_t newest_outbox(struct cache *c)
{
	return sql_int(c, "SELECT max(id) FROM outbox", 0);
}

static int pending(struct cache *c, int64_t ds)
{
	int n = -1;

	cache_outbox_pending(c, ds, &n, NULL);
	return n;
}

/* The payload of an outbox entry, parsed (the caller deletes it). */
static cJSON *payload_of(struct cache *c, int64_t outbox_id)
{
	char *text = sql_str(c, "SELECT payload FROM outbox WHERE id = ?1", outbox_id);
	cJSON *json = cJSON_Parse(text);

	free(text);
	return json;
}

/* The shape a payload holds (its "value"), and coordinate i of an array member of it. */
static const cJSON *value_of(const cJSON *p)
{
	return cJSON_GetObjectItemCaseSensitive(p, "value");
}

static double coord(const cJSON *o, const char *key, int i, int j)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, key);
	const cJSON *v = cJSON_GetArrayItem(arr, i);

	if (j >= 0)
		v = cJSON_GetArrayItem(v, j);
	return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

static int op_is(struct cache *c, int64_t outbox_id, const char *op)
{
	char *got = sql_str(c, "SELECT op FROM outbox WHERE id = ?1", outbox_id);
	int same = strcmp(got, op) == 0;

	if (!same)
		printf("# outbox %lld: op %s, want %s\n", (long long)outbox_id, got, op);
	free(got);
	return same;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : -12345;
}

static int jhas(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

/* Asset ids in doc order: the fixture's asset i has ext_id i + 1. */
static int64_t asset_id(struct cache *c, int64_t ds, int i)
{
	sqlite3_stmt *st = NULL;
	char ext[16];
	int64_t id = 0;

	snprintf(ext, sizeof ext, "%d", i + 1);
	sqlite3_prepare_v2(c->db, "SELECT id FROM asset WHERE dataset_id = ?1 AND ext_id = ?2", -1,
	                   &st, NULL);
	sqlite3_bind_int64(st, 1, ds);
	sqlite3_bind_text(st, 2, ext, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int64_t shape_count(struct cache *c, int64_t asset)
{
	return sql_int(c, "SELECT shape_count FROM asset WHERE id = ?1", asset);
}

static int64_t local_rev(struct cache *c, int64_t asset)
{
	return sql_int(c, "SELECT local_rev FROM annotation WHERE asset_id = ?1", asset);
}

static int shape_exists(struct cache *c, int64_t id)
{
	return sql_int(c, "SELECT count(*) FROM shape WHERE id = ?1", id) == 1;
}

/* A deep copy of the shape with that row id as the asset shows it, and its position in the
 * asset's list; -1 when it is not there. */
static int shape_get(struct cache *c, int64_t asset, int64_t id, struct shape *out)
{
	struct asset_detail d;
	int at = -1;

	memset(out, 0, sizeof *out);
	if (cache_asset_get(c, asset, &d, NULL) < 0)
		return -1;
	for (int i = 0; i < d.nshapes; i++) {
		if (d.shape_ids[i] != id)
			continue;
		at = i;
		*out = d.shapes[i];
		memset(&d.shapes[i], 0, sizeof d.shapes[i]); /* moved to out */
	}
	cache_asset_detail_free(&d);
	return at;
}

/* 0 when the stored shape has the geometry, kind, label and text of want. */
static int shape_check(struct cache *c, int64_t asset, int64_t id, const struct shape *want)
{
	struct shape got;
	char why[256] = "";
	int rc;

	if (shape_get(c, asset, id, &got) < 0) {
		printf("# shape %lld is not on asset %lld\n", (long long)id, (long long)asset);
		return -1;
	}
	rc = fixture_shapes_compare(&got, want, why, sizeof why);
	if (rc < 0)
		printf("# shape %lld: %s\n", (long long)id, why);
	shape_clear(&got);
	return rc;
}

static struct shape box_make(double x, double y, double w, double h, int label)
{
	struct shape s = {.kind = SHAPE_BOX, .label = label, .box = {x, y, w, h}};

	return s;
}

/* A polygon of two parts with vertices that do not print short. */
static void polygon_make(struct shape *s, int label)
{
	memset(s, 0, sizeof *s);
	s->kind = SHAPE_POLYGON;
	s->label = label;
	shape_add_point(s, 10.1, 20.0 / 3);
	shape_add_point(s, 50.7, 20.0 / 3);
	shape_add_point(s, 50.7, 60.49);
	shape_end_part(s);
	shape_add_point(s, 100, 100);
	shape_add_point(s, 120, 100);
	shape_add_point(s, 110, 0.1 / 3);
	shape_end_part(s);
	shape_update_bounds(s);
}

/* Undoes everything so that each test starts from the imported state, with nothing pending
 * (as after an export). */
static void undo_all(struct cache *c, int64_t ds)
{
	int64_t touched;
	char what[128];
	int guard = 0;

	do
		cache_undo(c, ds, &touched, what, sizeof what, NULL);
	while ((touched != 0 || what[0] != '\0') && ++guard < 1000);
	cache_outbox_mark_pushed(c, ds, NULL, NULL);
}

/* ---- create ---------------------------------------------------------------------------- */

static void test_create(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 3); /* three shapes in the fixture */
	int64_t rev = local_rev(c, a), before = outbox_count(c), logs = log_count(c), id = 0, ob;
	struct shape s = box_make(10.4, 20.6, 30.2, 40.1, 1), got;
	struct err err = {0};
	cJSON *p, *label;

	ok(cache_shape_create(c, a, &s, &id, &err) == 0 && id > 0, "create a box (%s)", err.msg);
	is_int(shape_get(c, a, id, &got), 3, "it is the asset's last shape");
	shape_clear(&got);
	ok(shape_check(c, a, id, &s) == 0, "with the geometry and label given");
	is_int(shape_count(c, a), 4, "the asset's shape count went up");
	is_int(local_rev(c, a), rev + 1, "so did the annotation's local revision");
	is_int(outbox_count(c), before + 1, "one outbox entry");
	is_int(log_count(c), logs + 1, "one edit-log row");
	ob = newest_outbox(c);
	ok(op_is(c, ob, "shape.create"), "shape.create");
	ok(sql_int(c,
	           "SELECT count(*) FROM outbox WHERE id = ?1 AND entity = 'shape'"
	           " AND entity_id = (SELECT max(id) FROM shape) AND state = 'pending'",
	           ob) == 1,
	   "on the shape, pending");
	is_int(sql_int(c, "SELECT base_rev FROM outbox WHERE id = ?1", ob),
	       sql_int(c, "SELECT base_rev FROM annotation WHERE asset_id = ?1", a),
	       "against the annotation's base revision");
	p = payload_of(c, ob);
	label = cJSON_GetObjectItemCaseSensitive(p, "label");
	ok(p != NULL && jstr(p, "asset") != NULL && strcmp(jstr(p, "asset"), "4") == 0 &&
	       jnum(p, "asset_id") == (double)a && jnum(p, "shape_id") == (double)id,
	   "the payload names the asset (ext id and row) and the shape row");
	ok(jstr(value_of(p), "kind") != NULL && strcmp(jstr(value_of(p), "kind"), "box") == 0 &&
	       !jhas(p, "shape"),
	   "a box with no platform id yet");
	ok(jstr(label, "name") != NULL && strcmp(jstr(label, "name"), "person") == 0 &&
	       jstr(label, "id") != NULL && strcmp(jstr(label, "id"), "2") == 0,
	   "the label by name and ext id");
	/* what the user drew, in image pixels: each platform rounds it its own way (the
	 * Picsellia mapping's test checks its whole pixels) */
	ok(coord(value_of(p), "box", 0, -1) == 10.4 && coord(value_of(p), "box", 1, -1) == 20.6 &&
	       coord(value_of(p), "box", 2, -1) == 30.2 && coord(value_of(p), "box", 3, -1) == 40.1,
	   "the box exactly as drawn: %g %g %g %g", coord(value_of(p), "box", 0, -1),
	   coord(value_of(p), "box", 1, -1), coord(value_of(p), "box", 2, -1),
	   coord(value_of(p), "box", 3, -1));
	ok(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(value_of(p), "text")), "no text");
	cJSON_Delete(p);
	is_int(sql_int(c,
	               "SELECT count(*) FROM edit_log WHERE outbox_id = ?1 AND op ="
	               " 'shape.create' AND old_value IS NULL AND shape_id = (SELECT max(id) FROM"
	               " shape) AND label_id = (SELECT id FROM label WHERE name = 'person' AND"
	               " dataset_id = (SELECT dataset_id FROM outbox WHERE id = ?1))",
	               ob),
	       1, "the log row names the shape and its label");
}

static void test_create_kinds(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 0), id = 0; /* no shapes in the fixture */
	struct shape poly, line = {.kind = SHAPE_LINE, .label = -1};
	struct shape pt = {.kind = SHAPE_POINT, .label = 0, .text = "nose"};
	struct shape cls = {.kind = SHAPE_CLASSIFICATION, .label = 2, .box = {0, 0, 640, 480}};
	struct err err = {0};
	const cJSON *arr;
	cJSON *p;

	polygon_make(&poly, 3);
	ok(cache_shape_create(c, a, &poly, &id, &err) == 0, "create a polygon (%s)", err.msg);
	ok(shape_check(c, a, id, &poly) == 0, "stored exactly, both parts");
	p = payload_of(c, newest_outbox(c));
	arr = cJSON_GetObjectItemCaseSensitive(value_of(p), "points");
	ok(strcmp(jstr(value_of(p), "kind"), "polygon") == 0 && cJSON_GetArraySize(arr) == 6 &&
	       coord(value_of(p), "points", 1, 0) == 50.7 &&
	       coord(value_of(p), "points", 1, 1) == 20.0 / 3,
	   "the payload has every vertex as [[x, y], ...], exactly");
	ok(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(value_of(p), "parts")) == 2,
	   "and the end of every part when there are several");
	cJSON_Delete(p);

	shape_add_point(&line, 1, 2);
	shape_add_point(&line, 30, 40);
	shape_update_bounds(&line);
	ok(cache_shape_create(c, a, &line, &id, &err) == 0, "create a line without a label");
	p = payload_of(c, newest_outbox(c));
	ok(strcmp(jstr(value_of(p), "kind"), "line") == 0 &&
	       cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(value_of(p), "points")) == 2 &&
	       cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(p, "label")) &&
	       !jhas(value_of(p), "parts"),
	   "a line payload, label null");
	cJSON_Delete(p);

	pt.points = &(struct point){5.5, 6.4};
	pt.npoints = 1;
	pt.box = (struct rect){5.5, 6.4, 0, 0};
	ok(cache_shape_create(c, a, &pt, &id, &err) == 0, "create a point with text");
	p = payload_of(c, newest_outbox(c));
	arr = cJSON_GetObjectItemCaseSensitive(value_of(p), "points");
	ok(strcmp(jstr(value_of(p), "kind"), "point") == 0 && cJSON_GetArraySize(arr) == 1 &&
	       coord(value_of(p), "points", 0, 0) == 5.5 &&
	       coord(value_of(p), "points", 0, 1) == 6.4 &&
	       strcmp(jstr(value_of(p), "text"), "nose") == 0,
	   "a point payload: [[x, y]] and text");
	cJSON_Delete(p);

	ok(cache_shape_create(c, a, &cls, &id, &err) == 0, "create a classification");
	p = payload_of(c, newest_outbox(c));
	ok(strcmp(jstr(value_of(p), "kind"), "classification") == 0 &&
	       !jhas(value_of(p), "points") &&
	       strcmp(jstr(cJSON_GetObjectItemCaseSensitive(p, "label"), "name"),
	              "Traffic Light") == 0,
	   "a classification payload is its label");
	cJSON_Delete(p);
	is_int(shape_count(c, a), 4, "four shapes on the asset");
	shape_clear(&poly);
	shape_clear(&line);
}

static void test_refusals(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 1), id = 5, before = outbox_count(c), logs = log_count(c);
	struct shape bad = box_make(1, 2, 3, 4, 99), nan_box = box_make(0, 0, NAN, 1, 0);
	struct shape parts = {.kind = SHAPE_POLYGON, .label = -1};
	int ends[] = {5};
	struct err err = {0};

	ok(cache_shape_create(c, a, &bad, &id, &err) < 0 && strstr(err.msg, "99") && id == 0,
	   "an unknown label index is refused: %s", err.msg);
	ok(cache_shape_create(c, a, &nan_box, &id, &err) < 0, "so is a box that is not finite");
	parts.part_ends = ends;
	parts.nparts = 1;
	ok(cache_shape_create(c, a, &parts, &id, &err) < 0, "and parts beyond the vertices");
	bad.label = 0;
	ok(cache_shape_create(c, 999999, &bad, &id, &err) < 0 && strstr(err.msg, "999999"),
	   "and an unknown asset: %s", err.msg);
	ok(cache_shape_update(c, 999999, &bad, 0, &err) < 0 && strstr(err.msg, "999999"),
	   "updating an unknown shape is an error");
	ok(cache_shape_delete(c, 999999, &err) < 0, "so is deleting one");
	ok(outbox_count(c) == before && log_count(c) == logs, "failed edits leave nothing behind");
}

/* ---- update and delete ----------------------------------------------------------------- */

/* The row id of the fixture's shape with that ext id. */
static int64_t shape_by_ext(struct cache *c, const char *ext)
{
	sqlite3_stmt *st = NULL;
	int64_t id = 0;

	sqlite3_prepare_v2(c->db, "SELECT id FROM shape WHERE ext_id = ?1 ORDER BY id LIMIT 1", -1,
	                   &st, NULL);
	sqlite3_bind_text(st, 1, ext, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static void test_update(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 3), id = shape_by_ext(c, "301"); /* a box with extras */
	int64_t rev = local_rev(c, a), before, ob;
	struct shape s, moved;
	struct err err = {0};
	char *old;
	cJSON *p;

	shape_get(c, a, id, &s);
	moved = s;
	moved.box.x += 7.25;
	before = outbox_count(c);
	ok(cache_shape_update(c, id, &s, 0, &err) == 0 && outbox_count(c) == before &&
	       local_rev(c, a) == rev,
	   "an update equal to the stored shape queues nothing (%s)", err.msg);
	ok(cache_shape_update(c, id, &moved, 0, &err) == 0, "move the box (%s)", err.msg);
	ok(shape_check(c, a, id, &moved) == 0, "it moved");
	is_int(local_rev(c, a), rev + 1, "the local revision went up");
	ok(sql_int(c,
	           "SELECT count(*) FROM shape WHERE id = ?1 AND ext_id = '301' AND extra_json"
	           " LIKE '%iscrowd%'",
	           id) == 1,
	   "its ext id and extra fields stayed");
	ob = newest_outbox(c);
	ok(outbox_count(c) == before + 1 && op_is(c, ob, "shape.update"), "one shape.update");
	p = payload_of(c, ob);
	ok(jstr(p, "shape") != NULL && strcmp(jstr(p, "shape"), "301") == 0 &&
	       coord(value_of(p), "box", 0, -1) == moved.box.x && jnum(p, "shape_id") == (double)id,
	   "the payload addresses the platform's shape and has the new x");
	ok(coord(cJSON_GetObjectItemCaseSensitive(p, "base"), "box", 0, -1) == s.box.x,
	   "and the x it was made against");
	ok(strcmp(jstr(value_of(p), "text"), "OCR \"quoted\" text") == 0 &&
	       strcmp(jstr(cJSON_GetObjectItemCaseSensitive(p, "label"), "name"),
	              "Traffic Light") == 0,
	   "with its text and label");
	cJSON_Delete(p);
	old = sql_str(c, "SELECT old_value FROM edit_log WHERE outbox_id = ?1", ob);
	p = cJSON_Parse(old);
	ok(p != NULL && jnum(p, "x") == s.box.x && strcmp(jstr(p, "ext_id"), "301") == 0,
	   "the log keeps the whole shape from before");
	cJSON_Delete(p);
	free(old);
	shape_clear(&s);
}

static void test_delete(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 3), id = shape_by_ext(c, "302"), n = shape_count(c, a), ob;
	struct err err = {0};
	cJSON *p;

	ok(cache_shape_delete(c, id, &err) == 0, "delete a polygon (%s)", err.msg);
	ok(!shape_exists(c, id), "the row is gone");
	is_int(shape_count(c, a), n - 1, "the shape count went down");
	ob = newest_outbox(c);
	ok(op_is(c, ob, "shape.delete"), "shape.delete is queued");
	p = payload_of(c, ob);
	ok(strcmp(jstr(p, "shape"), "302") == 0 &&
	       strcmp(jstr(cJSON_GetObjectItemCaseSensitive(p, "base"), "kind"), "polygon") == 0 &&
	       strcmp(jstr(p, "asset"), "4") == 0 && !jhas(p, "value"),
	   "addressed by the platform's shape id, with the polygon it was");
	cJSON_Delete(p);
	is_int(sql_int(c,
	               "SELECT count(*) FROM edit_log WHERE outbox_id = ?1 AND new_value IS"
	               " NULL AND old_value LIKE '%\"ext_id\":\"302\"%'",
	               ob),
	       1, "the log keeps the shape to put back");
}

/* ---- undo and redo --------------------------------------------------------------------- */

static void step(struct cache *c, int64_t ds, int redo, int64_t *touched, char *what)
{
	struct err err = {0};

	if ((redo ? cache_redo(c, ds, touched, what, 128, &err)
	          : cache_undo(c, ds, touched, what, 128, &err)) < 0)
		printf("# %s failed: %s\n", redo ? "redo" : "undo", err.msg);
}

static void test_undo_create(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 5), id = 0, touched = 0, n = shape_count(c, a);
	struct shape s = box_make(1, 2, 3, 4, 0);
	struct err err = {0};
	char what[128];

	undo_all(c, ds);
	cache_shape_create(c, a, &s, &id, &err);
	step(c, ds, 0, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0, "undo a create: %s", what);
	ok(!shape_exists(c, id) && shape_count(c, a) == n, "the shape is gone, the count back");
	is_int(pending(c, ds), 0, "its pending entry left the outbox");
	step(c, ds, 1, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0, "redo it: %s", what);
	ok(shape_exists(c, id) && shape_check(c, a, id, &s) == 0,
	   "the shape is back under the same id");
	is_int(shape_count(c, a), n + 1, "counted again");
	ok(pending(c, ds) == 1 && op_is(c, newest_outbox(c), "shape.create"),
	   "and queued again as a create");
	is_int(sql_int(c, "SELECT outbox_id FROM edit_log WHERE shape_id = ?1 AND undone = 0", id),
	       newest_outbox(c), "the log row points at the new entry");
	step(c, ds, 1, &touched, what);
	ok(touched == 0 && what[0] == '\0', "nothing more to redo");
}

static void test_undo_delete(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 6), id = shape_by_ext(c, "602"), touched = 0; /* polygon */
	int64_t seq = sql_int(c, "SELECT seq FROM shape WHERE id = ?1", id);
	struct shape before, again;
	struct err err = {0};
	char what[128];
	int at;

	undo_all(c, ds);
	at = shape_get(c, a, id, &before);
	cache_shape_delete(c, id, &err);
	step(c, ds, 0, &touched, what);
	ok(touched == a && strcmp(what, "delete polygon") == 0, "undo a delete: %s", what);
	ok(shape_check(c, a, id, &before) == 0, "the same shape is back, every vertex exact");
	ok(sql_int(c, "SELECT seq FROM shape WHERE id = ?1", id) == seq &&
	       shape_get(c, a, id, &again) == at,
	   "under the same id, in the same place");
	shape_clear(&again);
	is_int(pending(c, ds), 0, "the delete left the outbox");
	step(c, ds, 1, &touched, what);
	ok(strcmp(what, "delete polygon") == 0 && !shape_exists(c, id), "redo deletes it again");
	ok(pending(c, ds) == 1 && op_is(c, newest_outbox(c), "shape.delete"), "queued again");
	step(c, ds, 0, &touched, what);
	ok(shape_check(c, a, id, &before) == 0, "and undo brings it back once more");
	shape_clear(&before);
}

static void test_undo_update(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 6), id = shape_by_ext(c, "603"), touched = 0; /* a line */
	struct shape before, after;
	struct err err = {0};
	char what[128];

	undo_all(c, ds);
	shape_get(c, a, id, &before);
	shape_get(c, a, id, &after);
	for (int i = 0; i < after.npoints; i++) {
		after.points[i].x += 1.0 / 3;
		after.points[i].y += 2.5;
	}
	after.box.x += 1.0 / 3;
	after.box.y += 2.5;
	cache_shape_update(c, id, &after, 0, &err);
	step(c, ds, 0, &touched, what);
	ok(touched == a && strcmp(what, "move line") == 0, "undo a move: %s", what);
	ok(shape_check(c, a, id, &before) == 0, "the old geometry is back, bit for bit");
	step(c, ds, 1, &touched, what);
	ok(shape_check(c, a, id, &after) == 0, "redo moves it again");
	ok(pending(c, ds) == 1 && op_is(c, newest_outbox(c), "shape.update"), "queued again");

	after.label = 0; /* car */
	cache_shape_update(c, id, &after, 0, &err);
	step(c, ds, 0, &touched, what);
	is_str(what, "label car", "a relabel is described by its label");
	shape_clear(&before);
	shape_clear(&after);
}

static void test_redo_chain(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 8), b = asset_id(c, ds, 9), touched = 0, x = 0, y = 0, ended;
	struct shape s = box_make(5, 5, 10, 10, 1);
	struct err err = {0};
	char what[128];

	undo_all(c, ds);
	cache_shape_create(c, a, &s, &x, &err);
	cache_tag_add(c, b, "chain", &err);
	cache_shape_create(c, b, &s, &y, &err);
	step(c, ds, 0, &touched, what);
	step(c, ds, 0, &touched, what);
	step(c, ds, 0, &touched, what);
	ok(!shape_exists(c, x) && !shape_exists(c, y), "three edits undone");
	step(c, ds, 1, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0 && shape_exists(c, x) &&
	       !shape_exists(c, y),
	   "redo starts with the oldest undone edit");
	step(c, ds, 1, &touched, what);
	is_str(what, "tag +chain", "then the next");
	step(c, ds, 0, &touched, what);
	is_str(what, "tag +chain", "undo takes the redone edit back first");
	ended =
	    sql_int(c, "SELECT count(*) FROM edit_log WHERE dataset_id = ?1 AND undone = 2", ds);
	cache_review_set(c, b, REVIEW_REJECTED, &err);
	is_int(sql_int(c, "SELECT count(*) FROM edit_log WHERE dataset_id = ?1 AND undone = 2", ds),
	       ended + 2, "a new edit ends the redo chain");
	step(c, ds, 1, &touched, what);
	ok(touched == 0 && what[0] == '\0', "so there is nothing to redo");
	ok(!shape_exists(c, y), "and the undone shape stays gone");
	step(c, ds, 0, &touched, what);
	step(c, ds, 0, &touched, what);
	ok(strcmp(what, "new box") == 0 && !shape_exists(c, x), "undo walks on past the chain");
}

static void test_coalesce(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 4), id = shape_by_ext(c, "401"), touched = 0, before, logs;
	struct shape orig, s;
	struct err err = {0};
	char what[128];
	cJSON *p;

	undo_all(c, ds);
	shape_get(c, a, id, &orig);
	shape_get(c, a, id, &s);
	before = outbox_count(c);
	logs = log_count(c);
	for (int i = 0; i < 3; i++) {
		s.box.x += 1.5;
		ok(cache_shape_update(c, id, &s, 1, &err) == 0, "nudge %d (%s)", i + 1, err.msg);
	}
	is_int(outbox_count(c), before + 1, "three nudges are one outbox entry");
	is_int(log_count(c), logs + 1, "and one undo step");
	p = payload_of(c, newest_outbox(c));
	ok(coord(value_of(p), "box", 0, -1) == s.box.x, "holding the latest geometry (x %g)",
	   coord(value_of(p), "box", 0, -1));
	ok(coord(cJSON_GetObjectItemCaseSensitive(p, "base"), "box", 0, -1) == orig.box.x,
	   "against the geometry before the first nudge");
	cJSON_Delete(p);
	step(c, ds, 0, &touched, what);
	ok(shape_check(c, a, id, &orig) == 0 && strcmp(what, "move box") == 0,
	   "one undo puts the shape back where the first nudge found it");
	is_int(pending(c, ds), 0, "and withdraws the entry");

	shape_clear(&s);
	s = orig; /* borrowed: orig keeps ownership */
	s.box.x += 1;
	cache_shape_update(c, id, &s, 1, &err);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	s.box.x += 1;
	before = outbox_count(c);
	cache_shape_update(c, id, &s, 1, &err);
	is_int(outbox_count(c), before + 1, "a nudge after a push is a new entry");
	cache_tag_add(c, a, "between", &err);
	s.box.x += 1;
	cache_shape_update(c, id, &s, 1, &err);
	is_int(outbox_count(c), before + 3, "so is one after another edit");
	s.box.x += 1;
	cache_shape_update(c, id, &s, 0, &err);
	is_int(outbox_count(c), before + 4, "and one without coalesce");
	shape_clear(&orig);
}

static void test_undo_pushed(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 2), id = 0, touched = 0, ob, comp;
	struct shape s = box_make(3, 4, 5, 6, 2), moved = box_make(13, 4, 5, 6, 2);
	struct err err = {0};
	char what[128];
	cJSON *p;

	undo_all(c, ds);
	cache_shape_create(c, a, &s, &id, &err);
	ob = newest_outbox(c);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	step(c, ds, 0, &touched, what);
	ok(!shape_exists(c, id), "undo a pushed create");
	comp = newest_outbox(c);
	ok(pending(c, ds) == 1 && op_is(c, comp, "shape.delete"), "queues the compensating delete");
	p = payload_of(c, comp);
	is_int((int64_t)jnum(p, "shape_id"), id, "of that shape");
	cJSON_Delete(p);
	is_int(sql_int(c, "SELECT undo_outbox_id FROM edit_log WHERE outbox_id = ?1", ob), comp,
	       "the log row points at it");
	step(c, ds, 1, &touched, what);
	ok(shape_exists(c, id) && pending(c, ds) == 0 &&
	       sql_int(c, "SELECT count(*) FROM outbox WHERE id = ?1", comp) == 0,
	   "redo while the compensation waits withdraws it instead of queueing");
	is_int(sql_int(c, "SELECT outbox_id FROM edit_log WHERE shape_id = ?1", id), ob,
	       "the pushed create stands for the edit again");

	cache_shape_update(c, id, &moved, 0, &err);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	step(c, ds, 0, &touched, what);
	ok(shape_check(c, a, id, &s) == 0 && op_is(c, newest_outbox(c), "shape.update"),
	   "undo a pushed update queues an update back");
	p = payload_of(c, newest_outbox(c));
	ok(coord(value_of(p), "box", 0, -1) == 3, "to the old geometry");
	cJSON_Delete(p);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	step(c, ds, 1, &touched, what);
	ok(shape_check(c, a, id, &moved) == 0 && pending(c, ds) == 1 &&
	       op_is(c, newest_outbox(c), "shape.update"),
	   "redo after the compensation left queues the edit anew");

	cache_outbox_mark_pushed(c, ds, NULL, &err);
	cache_shape_delete(c, id, &err);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	step(c, ds, 0, &touched, what);
	ok(shape_exists(c, id) && op_is(c, newest_outbox(c), "shape.create"),
	   "undo a pushed delete queues a create of the same row");
	p = payload_of(c, newest_outbox(c));
	is_int((int64_t)jnum(p, "shape_id"), id, "which names the row");
	cJSON_Delete(p);
}

/* A deleted shape that had the highest id gets it back even when a shape was created
 * meanwhile, in this dataset or another. */
static void test_ids_kept(struct cache *c, int64_t ds, int64_t other)
{
	int64_t a = asset_id(c, ds, 1), o = asset_id(c, other, 0), x = 0, y = 0, touched = 0;
	struct shape s = box_make(1, 1, 2, 2, -1);
	struct err err = {0};
	char what[128];

	undo_all(c, ds);
	cache_shape_create(c, a, &s, &x, &err);
	ok(x == sql_int(c, "SELECT max(id) FROM shape", 0), "a new shape has the highest id");
	cache_shape_delete(c, x, &err);
	cache_shape_create(c, o, &s, &y, &err);
	ok(y > x, "a shape created after it was deleted gets a new id (%lld > %lld)", (long long)y,
	   (long long)x);
	step(c, ds, 0, &touched, what);
	ok(shape_exists(c, x) && shape_exists(c, y), "undo puts the deleted one back under its id");
	undo_all(c, other);
}

/* ---- labels ---------------------------------------------------------------------------- */

static void test_label_ensure(struct cache *c, int64_t ds)
{
	static const char *const bad[] = {"", "  ", "a\x1b[31m", "tab\there", "bad\xff", "del\x7f"};
	int64_t before, touched = 0;
	char longest[CACHE_LABEL_MAX + 2], what[128];
	struct err err = {0};
	int index = -7, refused = 0;
	cJSON *p;

	undo_all(c, ds);
	before = outbox_count(c);
	ok(cache_label_ensure(c, ds, "  PERSON ", &index, &err) == 0 && index == 1,
	   "an existing label is found whatever its case (%s)", err.msg);
	is_int(outbox_count(c), before, "and nothing is queued");
	ok(cache_label_ensure(c, ds, " Truck ", &index, &err) == 0 && index == 4,
	   "a new label goes at the end of the order");
	ok(op_is(c, newest_outbox(c), "label.create"), "label.create is queued");
	p = payload_of(c, newest_outbox(c));
	ok(strcmp(jstr(cJSON_GetObjectItemCaseSensitive(p, "label"), "name"), "Truck") == 0 &&
	       jnum(cJSON_GetObjectItemCaseSensitive(p, "label"), "row") > 0,
	   "with the trimmed name and the label's row");
	cJSON_Delete(p);
	is_int(sql_int(c,
	               "SELECT count(*) FROM edit_log WHERE op = 'label.create' AND asset_id IS"
	               " NULL AND dataset_id = ?1",
	               ds),
	       1, "logged without an asset");
	ok(cache_label_ensure(c, ds, "truck", &index, &err) == 0 && index == 4 &&
	       outbox_count(c) == before + 1,
	   "asking again finds it");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		refused += cache_label_ensure(c, ds, bad[i], &index, &err) < 0 &&
		           strstr(err.msg, "label") != NULL;
	is_int(refused, (int)(sizeof bad / sizeof bad[0]),
	       "empty names, control characters and bad UTF-8 are refused");
	memset(longest, 'x', sizeof longest - 1);
	longest[sizeof longest - 1] = '\0';
	ok(cache_label_ensure(c, ds, longest, &index, &err) < 0 && strstr(err.msg, "200"),
	   "201 bytes are too long: %s", err.msg);
	longest[CACHE_LABEL_MAX] = '\0';
	ok(cache_label_ensure(c, ds, longest, &index, &err) == 0 && index == 5, "200 are fine");
	ok(cache_label_ensure(c, 999999, "x", &index, &err) < 0, "an unknown dataset is an error");

	step(c, ds, 0, &touched, what);
	ok(touched == 0 && strncmp(what, "new label xxx", 13) == 0,
	   "undo takes back labels made alone in one step, with no asset: %.20s", what);
	ok(sql_int(c, "SELECT count(*) FROM label WHERE dataset_id = ?1", ds) == 4 &&
	       sql_int(c, "SELECT max(position) FROM label WHERE dataset_id = ?1", ds) == 3,
	   "the labels are gone again");
	is_int(pending(c, ds), 0, "and their entries");
	step(c, ds, 1, &touched, what);
	ok(touched == 0 && strcmp(what, "new label Truck") == 0 &&
	       sql_int(c, "SELECT count(*) FROM label WHERE dataset_id = ?1", ds) == 6,
	   "one redo makes both again: %s", what);
	is_int(pending(c, ds), 2, "queued again");
}

static void test_label_with_shape(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 2), id = 0, touched = 0, label_id;
	struct shape s = box_make(1, 1, 5, 5, -1);
	struct err err = {0};
	char what[128];
	int index = -1;

	undo_all(c, ds);
	cache_label_ensure(c, ds, "bike", &index, &err);
	label_id = sql_int(c, "SELECT id FROM label WHERE name = 'bike'", 0);
	s.label = index;
	cache_shape_create(c, a, &s, &id, &err);
	step(c, ds, 0, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0 && !shape_exists(c, id),
	   "one undo takes back a box with a new label: %s", what);
	is_int(sql_int(c, "SELECT count(*) FROM label WHERE name = 'bike'", 0), 0,
	       "and the label made for it");
	is_int(pending(c, ds), 0, "withdrawing both entries");
	step(c, ds, 1, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0 && shape_exists(c, id) &&
	       sql_int(c, "SELECT id FROM label WHERE name = 'bike'", 0) == label_id,
	   "one redo brings both back, under their ids");
	ok(shape_check(c, a, id, &s) == 0, "the box has its label");
	is_int(pending(c, ds), 2, "both are queued again");
}

static void test_label_pushed(struct cache *c, int64_t ds)
{
	int64_t touched = 0, label_id, was;
	struct err err = {0};
	char what[128];
	cJSON *p;
	int index = -1;

	undo_all(c, ds);
	cache_label_ensure(c, ds, "sent", &index, &err);
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	step(c, ds, 0, &touched, what);
	ok(strcmp(what, "new label sent") == 0 &&
	       sql_int(c, "SELECT count(*) FROM label WHERE name = 'sent'", 0) == 0,
	   "undo a pushed label creation");
	ok(pending(c, ds) == 1 && op_is(c, newest_outbox(c), "label.delete"),
	   "queues label.delete");
	p = payload_of(c, newest_outbox(c));
	ok(p != NULL &&
	       strcmp(jstr(cJSON_GetObjectItemCaseSensitive(p, "label"), "name"), "sent") == 0,
	   "naming the label");
	cJSON_Delete(p);

	/* shapes from the source came to use the label (an import): undo leaves it */
	undo_all(c, ds);
	cache_label_ensure(c, ds, "adopted", &index, &err);
	label_id = sql_int(c, "SELECT id FROM label WHERE name = 'adopted'", 0);
	was = sql_int(c, "SELECT label_id FROM shape WHERE ext_id = '101'", 0);
	sql_int(c, "UPDATE shape SET label_id = ?1 WHERE ext_id = '101'", label_id);
	step(c, ds, 0, &touched, what);
	ok(sql_int(c, "SELECT count(*) FROM label WHERE id = ?1", label_id) == 1,
	   "a label in use is not taken back");
	is_int(sql_int(c, "SELECT undone FROM edit_log WHERE op = 'label.create' AND label_id = ?1",
	               label_id),
	       2, "its creation is undone for good, with nothing to redo");
	sql_int(c, "UPDATE shape SET label_id = ?1 WHERE ext_id = '101'", was);
	sql_int(c, "DELETE FROM label WHERE id = ?1", label_id); /* the last one: no gap */
}

/* A re-import keeps a label made here and not sent yet; edits on assets the source changed
 * leave the log, and undo goes on with the rest. */
static void test_reimport(struct cache *c, int64_t ds, struct dataset_doc *doc)
{
	int64_t a = asset_id(c, ds, 1), b = asset_id(c, ds, 2), x = 0, y = 0, touched = 0;
	struct shape s = box_make(2, 2, 4, 4, -1);
	struct err err = {0};
	char what[128];
	int index = -1;

	undo_all(c, ds);
	cache_label_ensure(c, ds, "local", &index, &err);
	s.label = index;
	cache_shape_create(c, a, &s, &x, &err);
	cache_shape_create(c, b, &s, &y, &err);
	doc->assets[2].width += 1; /* the source changed asset 2 */
	ok(cache_import(c, "coco", "/shapes.json", "fp2", doc, &ds, NULL, &err) == 0,
	   "re-import (%s)", err.msg);
	doc->assets[2].width -= 1;
	ok(sql_int(c, "SELECT position FROM label WHERE name = 'local'", 0) == 4 &&
	       shape_exists(c, x),
	   "the new label and the box on the unchanged asset stay");
	/* the box drawn on the changed asset was lost silently; it stays, as a conflict */
	ok(shape_exists(c, y) &&
	       sql_int(c,
	               "SELECT count(*) FROM outbox o JOIN edit_log e ON e.outbox_id = o.id"
	               " WHERE e.shape_id = ?1 AND o.state = 'conflict'",
	               y) == 1,
	   "the box on the changed asset stays, its edit a conflict to settle");
	step(c, ds, 0, &touched, what);
	ok(touched == b && strcmp(what, "new box") == 0 && !shape_exists(c, y),
	   "undo takes it back first: %s", what);
	step(c, ds, 0, &touched, what);
	ok(touched == a && strcmp(what, "new box") == 0 && !shape_exists(c, x) &&
	       sql_int(c, "SELECT count(*) FROM label WHERE name = 'local'", 0) == 0,
	   "undo takes back the rest: %s", what);
}

/* Label i of the ranking. */
static int ranked_index(struct cache *c, int64_t ds, int i)
{
	struct label_row rows[16];
	int n = 0;

	if (cache_labels_ranked(c, ds, rows, 16, &n, NULL) < 0 || i >= n)
		return -1;
	return rows[i].index;
}

static void test_ranked(struct cache *c, int64_t ds)
{
	struct label_row rows[16], by_count[16];
	int64_t a = asset_id(c, ds, 2), id = 0, other = shape_by_ext(c, "501");
	struct shape s = box_make(1, 1, 5, 5, 3), relabel;
	struct err err = {0};
	int n = 0, m = 0, sorted = 1;

	undo_all(c, ds);
	cache_labels_ranked(c, ds, rows, 16, &n, &err);
	cache_labels_list(c, ds, by_count, 16, &m, &err);
	for (int i = 1; i < n; i++)
		sorted &= rows[i - 1].shape_count > rows[i].shape_count ||
		          (rows[i - 1].shape_count == rows[i].shape_count &&
		           rows[i - 1].index < rows[i].index);
	ok(n == m && sorted, "without edits: most used first, ties in label order");
	cache_shape_create(c, a, &s, &id, &err);
	is_int(ranked_index(c, ds, 0), 3, "a label just used comes first");
	shape_get(c, asset_id(c, ds, 5), other, &relabel);
	relabel.label = 1;
	cache_shape_update(c, other, &relabel, 0, &err);
	is_int(ranked_index(c, ds, 0), 1, "the one used last before it");
	is_int(ranked_index(c, ds, 1), 3, "then the one before");
	cache_labels_ranked(c, ds, rows, 2, &n, &err);
	is_int(n, 2, "the list stops at max");
	shape_clear(&relabel);
}

/* ---- export, the old edits, reopening -------------------------------------------------- */

static void test_export(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 3), id = 0;
	int64_t moved_id = shape_by_ext(c, "301"), gone = shape_by_ext(c, "303");
	struct shape s = box_make(40, 50, 60, 70, -1), moved;
	struct dataset_doc *doc = NULL;
	const struct asset *d;
	struct err err = {0};
	int index = -1, found_moved = 0, found_gone = 0;

	undo_all(c, ds);
	cache_label_ensure(c, ds, "scooter", &index, &err);
	s.label = index;
	cache_shape_create(c, a, &s, &id, &err);
	shape_get(c, a, moved_id, &moved);
	moved.box.y += 3;
	moved.label = 0;
	cache_shape_update(c, moved_id, &moved, 0, &err);
	cache_shape_delete(c, gone, &err);
	ok(cache_export_doc(c, ds, &doc, &err) == 0, "export (%s)", err.msg);
	if (doc == NULL)
		return;
	d = &doc->assets[3];
	ok(doc->nlabels == 5 && strcmp(doc->labels[4].name, "scooter") == 0,
	   "the new label is exported last");
	ok(d->nshapes == 3 && d->shapes[2].ext_id == NULL && d->shapes[2].label == 4 &&
	       d->shapes[2].box.x == 40,
	   "the new box is the asset's last shape, with its label and no source id");
	for (int i = 0; i < d->nshapes; i++) {
		found_moved += d->shapes[i].ext_id != NULL &&
		               strcmp(d->shapes[i].ext_id, "301") == 0 &&
		               d->shapes[i].box.y == moved.box.y && d->shapes[i].label == 0;
		found_gone +=
		    d->shapes[i].ext_id != NULL && strcmp(d->shapes[i].ext_id, "303") == 0;
	}
	ok(found_moved == 1, "the moved box is exported moved and relabelled");
	ok(found_gone == 0, "the deleted line is not exported");
	dataset_doc_free(&doc);
	shape_clear(&moved);
}

static void test_review_redo(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 4), touched = 0; /* pending in the fixture */
	struct err err = {0};
	char what[128];

	undo_all(c, ds);
	cache_review_set(c, a, REVIEW_ACCEPTED, &err);
	cache_tag_add(c, a, "redo-me", &err);
	step(c, ds, 0, &touched, what);
	is_str(what, "tag +redo-me", "review and tag edits still undo");
	step(c, ds, 0, &touched, what);
	ok(strcmp(what, "accept") == 0 &&
	       sql_int(c, "SELECT status FROM asset WHERE id = ?1", a) == REVIEW_PENDING,
	   "the status is back");
	is_int(pending(c, ds), 0, "and the outbox is empty");
	step(c, ds, 1, &touched, what);
	ok(touched == a && strcmp(what, "accept") == 0 &&
	       sql_int(c, "SELECT status FROM asset WHERE id = ?1", a) == REVIEW_ACCEPTED,
	   "redo accepts again");
	step(c, ds, 1, &touched, what);
	ok(strcmp(what, "tag +redo-me") == 0 &&
	       sql_int(c,
	               "SELECT count(*) FROM asset_tag t JOIN tag g ON g.id = t.tag_id WHERE"
	               " t.asset_id = ?1 AND g.name = 'redo-me'",
	               a) == 1,
	   "and tags again");
	is_int(pending(c, ds), 2, "both queued again");
}

static void test_reopen(struct cache **cp, int64_t ds)
{
	int64_t a = asset_id(*cp, ds, 6), id = shape_by_ext(*cp, "601"), touched = 0;
	struct shape before, after;
	struct err err = {0};
	char what[128];

	undo_all(*cp, ds);
	shape_get(*cp, a, id, &before);
	shape_get(*cp, a, id, &after);
	after.box.w += 4;
	cache_shape_update(*cp, id, &after, 0, &err);
	cache_close(cp);
	ok(cache_open(db_path, cp, &err) == 0, "reopen (%s)", err.msg);
	step(*cp, ds, 0, &touched, what);
	ok(strcmp(what, "resize box") == 0 && shape_check(*cp, a, id, &before) == 0,
	   "undo after reopening: %s", what);
	step(*cp, ds, 1, &touched, what);
	ok(shape_check(*cp, a, id, &after) == 0, "and redo");
	shape_clear(&before);
	shape_clear(&after);
}

int main(void)
{
	struct dataset_doc *doc = fixture_doc_rich(10), *other_doc = fixture_doc_rich(3);
	struct cache *c = NULL;
	struct err err = {0};
	int64_t ds = 0, other = 0;

	dir = fixture_tmpdir();
	fixture_path(db_path, sizeof db_path, dir, "shapes.db");
	if (cache_open(db_path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/shapes.json", "fp", doc, &ds, NULL, &err) < 0 ||
	    cache_import(c, "coco", "/other.json", "fp", other_doc, &other, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	test_create(c, ds);
	test_create_kinds(c, ds);
	test_refusals(c, ds);
	test_update(c, ds);
	test_delete(c, ds);
	test_undo_create(c, ds);
	test_undo_delete(c, ds);
	test_undo_update(c, ds);
	test_redo_chain(c, ds);
	test_coalesce(c, ds);
	test_undo_pushed(c, ds);
	test_ids_kept(c, ds, other);
	test_label_ensure(c, ds);
	test_label_with_shape(c, ds);
	test_label_pushed(c, ds);
	test_ranked(c, ds);
	test_export(c, ds);
	test_review_redo(c, ds);
	test_reopen(&c, ds);
	test_reimport(c, ds, doc);
	cache_close(&c);
	dataset_doc_free(&doc);
	dataset_doc_free(&other_doc);
	fixture_rmdir(&dir);
	return done_testing();
}
