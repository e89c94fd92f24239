/* Rebuilding a dataset_doc from the cache for a writer: the source's content with the local
 * review status and tags, in the source's order, with every kept extra field. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

static const char sql_doc_head[] =
    "SELECT d.name, coalesce(d.format, s.kind), d.extra_json FROM dataset d"
    " JOIN source s ON s.id = d.source_id WHERE d.id = ?1";
static const char sql_doc_labels[] =
    "SELECT id, ext_id, name, extra_json FROM label WHERE dataset_id = ?1"
    " ORDER BY position, id";
static const char sql_doc_assets[] =
    "SELECT id, ext_id, filename, path, width, height, status, extra_json FROM asset"
    " WHERE dataset_id = ?1 ORDER BY seq, id";
static const char sql_doc_shapes[] =
    "SELECT kind, x, y, w, h, points, parts, text, ext_id, extra_json, label_id FROM shape"
    " WHERE asset_id = ?1 ORDER BY seq, id";
/* the asset's place in its campaign: its current assignment */
static const char sql_doc_task[] =
    "SELECT s.name, s.type, t.status, t.rejected_count, t.comment FROM assignment t"
    " JOIN step s ON s.id = t.step_id WHERE t.asset_id = ?1 AND t.current = 1"
    " ORDER BY t.id DESC LIMIT 1";
static const char sql_doc_tags[] =
    "SELECT g.name FROM asset_tag t JOIN tag g ON g.id = t.tag_id WHERE t.asset_id = ?1"
    " ORDER BY g.name";

/* The statements reused for every asset, and the label id to doc index map. */
struct export
{
	struct cache *c;
	struct dataset_doc *doc;
	struct err *err;
	sqlite3_stmt *shapes;
	sqlite3_stmt *tags;
	sqlite3_stmt *task;
	int64_t *label_ids; /* doc label i is label_ids[i] */
};

static int export_head(struct export *ex, int64_t dataset_id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step, oom = 0;

	if (cache_db_prepare(ex->c, sql_doc_head, &st, ex->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		err_set(ex->err, "dataset %lld is not in the cache", (long long)dataset_id);
	else if (step != SQLITE_ROW)
		cache_db_fail(ex->c, ex->err, "reading the dataset");
	if (step != SQLITE_ROW)
		goto out;
	/* an unnamed source was stored with an empty name */
	ex->doc->name = cache_db_text(st, 0)[0] ? cache_db_text_dup(st, 0, &oom) : NULL;
	ex->doc->format = cache_db_text_dup(st, 1, &oom);
	ex->doc->extra_json = cache_db_text_dup(st, 2, &oom);
	rc = oom ? err_set(ex->err, "exporting: out of memory") : 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int label_add(struct export *ex, sqlite3_stmt *st)
{
	struct label *l = dataset_doc_add_label(ex->doc);
	int64_t *grown;
	int oom = 0;

	grown = realloc(ex->label_ids, (size_t)ex->doc->nlabels * sizeof *ex->label_ids);
	if (l == NULL || grown == NULL)
		return err_set(ex->err, "exporting labels: out of memory");
	ex->label_ids = grown;
	ex->label_ids[ex->doc->nlabels - 1] = sqlite3_column_int64(st, 0);
	l->ext_id = cache_db_text_dup(st, 1, &oom);
	l->name = cache_db_text_dup(st, 2, &oom);
	l->extra_json = cache_db_text_dup(st, 3, &oom);
	return oom ? err_set(ex->err, "exporting labels: out of memory") : 0;
}

static int export_labels(struct export *ex, int64_t dataset_id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(ex->c, sql_doc_labels, &st, ex->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (label_add(ex, st) < 0)
			goto out;
	if (step != SQLITE_DONE) {
		cache_db_fail(ex->c, ex->err, "exporting labels");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Labels are few; a linear search keeps the map trivially correct. */
static int label_index(const struct export *ex, int64_t label_id)
{
	for (int i = 0; i < ex->doc->nlabels; i++)
		if (ex->label_ids[i] == label_id)
			return i;
	return -1;
}

static int shape_add(struct export *ex, struct asset *a, sqlite3_stmt *st)
{
	struct shape *s = asset_add_shape(a);

	if (s == NULL)
		return err_set(ex->err, "exporting shapes: out of memory");
	if (cache_shape_read(st, 0, s, ex->err) < 0) {
		a->nshapes--; /* cache_shape_read left it cleared */
		return -1;
	}
	if (sqlite3_column_type(st, CACHE_SHAPE_COLS) != SQLITE_NULL)
		s->label = label_index(ex, sqlite3_column_int64(st, CACHE_SHAPE_COLS));
	return 0;
}

static int task_fill(struct export *ex, struct asset *a, sqlite3_stmt *st)
{
	struct asset_task *t = calloc(1, sizeof *t);
	int oom = t == NULL;

	if (t != NULL) {
		t->step = cache_db_text_dup(st, 0, &oom);
		if (step_type_parse(cache_db_text(st, 1), &t->step_type) < 0)
			t->step_type = STEP_REVIEW;
		if (assignment_status_parse(cache_db_text(st, 2), &t->status) < 0)
			t->status = ASSIGNMENT_PENDING;
		t->rejected_count = sqlite3_column_int(st, 3);
		t->comment = cache_db_text_dup(st, 4, &oom);
	}
	a->task = t;
	return oom ? err_set(ex->err, "exporting tasks: out of memory") : 0;
}

static int asset_task(struct export *ex, struct asset *a, int64_t asset_id)
{
	int step, rc = 0;

	sqlite3_bind_int64(ex->task, 1, asset_id);
	step = sqlite3_step(ex->task);
	if (step == SQLITE_ROW)
		rc = task_fill(ex, a, ex->task);
	else if (step != SQLITE_DONE)
		rc = cache_db_fail(ex->c, ex->err, "exporting tasks");
	sqlite3_reset(ex->task);
	return rc;
}

static int asset_children(struct export *ex, struct asset *a, int64_t asset_id)
{
	int step, rc = -1;

	sqlite3_bind_int64(ex->shapes, 1, asset_id);
	while ((step = sqlite3_step(ex->shapes)) == SQLITE_ROW)
		if (shape_add(ex, a, ex->shapes) < 0)
			goto out;
	if (step != SQLITE_DONE) {
		cache_db_fail(ex->c, ex->err, "exporting shapes");
		goto out;
	}
	sqlite3_bind_int64(ex->tags, 1, asset_id);
	while ((step = sqlite3_step(ex->tags)) == SQLITE_ROW)
		if (asset_add_tag(a, cache_db_text(ex->tags, 0)) < 0) {
			err_set(ex->err, "exporting tags: out of memory");
			goto out;
		}
	if (step != SQLITE_DONE) {
		cache_db_fail(ex->c, ex->err, "exporting tags");
		goto out;
	}
	rc = asset_task(ex, a, asset_id);
out:
	sqlite3_reset(ex->shapes);
	sqlite3_reset(ex->tags);
	return rc;
}

static int asset_add(struct export *ex, sqlite3_stmt *st)
{
	struct asset *a = dataset_doc_add_asset(ex->doc);
	int oom = 0, status;

	if (a == NULL)
		return err_set(ex->err, "exporting assets: out of memory");
	a->ext_id = cache_db_text_dup(st, 1, &oom);
	a->filename = cache_db_text_dup(st, 2, &oom);
	a->path = cache_db_text_dup(st, 3, &oom);
	a->width = sqlite3_column_int(st, 4);
	a->height = sqlite3_column_int(st, 5);
	status = sqlite3_column_int(st, 6);
	a->status = status >= 0 && status < REVIEW_STATUS_COUNT ? (enum review_status)status
	                                                        : REVIEW_PENDING;
	a->extra_json = cache_db_text_dup(st, 7, &oom);
	if (oom)
		return err_set(ex->err, "exporting assets: out of memory");
	return asset_children(ex, a, sqlite3_column_int64(st, 0));
}

static int export_assets(struct export *ex, int64_t dataset_id)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(ex->c, sql_doc_assets, &st, ex->err) < 0 ||
	    cache_db_prepare(ex->c, sql_doc_shapes, &ex->shapes, ex->err) < 0 ||
	    cache_db_prepare(ex->c, sql_doc_tags, &ex->tags, ex->err) < 0 ||
	    cache_db_prepare(ex->c, sql_doc_task, &ex->task, ex->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (asset_add(ex, st) < 0)
			goto out;
	if (step != SQLITE_DONE) {
		cache_db_fail(ex->c, ex->err, "exporting assets");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_export_doc(struct cache *cache, int64_t dataset_id, struct dataset_doc **out,
                     struct err *err)
{
	struct export ex = {.c = cache, .err = err};
	int rc = -1;

	*out = NULL;
	ex.doc = dataset_doc_new();
	if (ex.doc == NULL)
		return err_set(err, "exporting: out of memory");
	/* one snapshot: a sync writing meanwhile cannot tear the export */
	if (cache_db_exec(cache, "BEGIN", err, "exporting") < 0)
		goto out;
	if (export_head(&ex, dataset_id) < 0 || export_labels(&ex, dataset_id) < 0 ||
	    export_assets(&ex, dataset_id) < 0)
		goto out;
	*out = ex.doc;
	ex.doc = NULL;
	rc = 0;
out:
	sqlite3_finalize(ex.shapes);
	sqlite3_finalize(ex.tags);
	sqlite3_finalize(ex.task);
	if (!sqlite3_get_autocommit(cache->db))
		sqlite3_exec(cache->db, "COMMIT", NULL, NULL, NULL);
	free(ex.label_ids);
	dataset_doc_free(&ex.doc);
	return rc;
}
