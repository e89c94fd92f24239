/* Shape edits from the UI: create, update (with nudges merged into one step) and delete, each
 * one transaction that changes the rows, queues the push and logs the whole shape before and
 * after for undo; and the moves between those logged states that undo and redo make. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_asset_dataset[] = "SELECT dataset_id FROM asset WHERE id = ?1";
static const char sql_annotation_find[] = "SELECT id FROM annotation WHERE asset_id = ?1";
static const char sql_annotation_make[] =
    "INSERT INTO annotation (asset_id, status) SELECT id, status FROM asset WHERE id = ?1";
static const char sql_label_at[] =
    "SELECT id FROM label WHERE dataset_id = ?1 AND position = ?2 ORDER BY id LIMIT 1";
static const char sql_label_same[] =
    "SELECT id FROM label WHERE id = ?2 AND dataset_id = ?1 AND name = ?3";
static const char sql_label_named[] =
    "SELECT id FROM label WHERE dataset_id = ?1 AND name = ?3 COLLATE NOCASE"
    " ORDER BY position, id LIMIT 1";
static const char sql_seq_next[] =
    "SELECT coalesce(max(seq) + 1, 0) FROM shape WHERE asset_id = ?1";
static const char sql_shape_insert[] =
    "INSERT INTO shape (id, asset_id, annotation_id, seq, label_id, rev, kind, x, y, w, h,"
    " points, parts, text, ext_id, extra_json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char sql_shape_update[] =
    "UPDATE shape SET label_id = ?2, kind = ?3, x = ?4, y = ?5, w = ?6, h = ?7, points = ?8,"
    " parts = ?9, text = ?10, ext_id = ?11, extra_json = ?12 WHERE id = ?1";
static const char sql_shape_delete[] = "DELETE FROM shape WHERE id = ?1";
/* counted again rather than adjusted: the list shows it, and a count cannot drift */
static const char sql_shape_count[] =
    "UPDATE asset SET shape_count = (SELECT count(*) FROM shape WHERE asset_id = ?1)"
    " WHERE id = ?1";
static const char sql_local_rev[] =
    "UPDATE annotation SET local_rev = local_rev + 1 WHERE asset_id = ?1";
static const char sql_newest_edit[] =
    "SELECT e.id, e.op, e.shape_id, e.undone, e.outbox_id, coalesce(o.state, 'gone')"
    " FROM edit_log e LEFT JOIN outbox o ON o.id = e.outbox_id WHERE e.dataset_id = ?1"
    " ORDER BY e.id DESC LIMIT 1";
static const char sql_log_merge[] =
    "UPDATE edit_log SET new_value = ?2, label_id = ?3 WHERE id = ?1";
static const char sql_outbox_merge[] = "UPDATE outbox SET payload = ?2 WHERE id = ?1";

/* ---- small statements ------------------------------------------------------------------ */

/* Runs sql with ?1 = a (and ?2 = b, ?3 = text when the statement has them); *out, when not
 * NULL, gets column 0 of the first row. Returns 1 for a row, 0 for none, -1 on failure. */
static int run3(struct cache *c, const char *sql, int64_t a, int64_t b, const char *text,
                int64_t *out, struct err *err, const char *doing)
{
	return CACHE_DB_DO(c, sql, out, err, doing, DB_INT(a), DB_INT(b), DB_TEXT(text));
}

static int run_text(struct cache *c, const char *sql, int64_t id, const char *text, int64_t num,
                    struct err *err, const char *doing)
{
	return CACHE_DB_DO(c, sql, NULL, err, doing, DB_INT(id), DB_TEXT(text), DB_ID(num)) < 0 ? -1
	                                                                                        : 0;
}

static int asset_dataset(struct cache *c, int64_t asset_id, int64_t *dataset_id, struct err *err)
{
	int found = run3(c, sql_asset_dataset, asset_id, 0, NULL, dataset_id, err,
	                 "reading the asset being edited");

	if (found == 0)
		return err_set(err, "asset %lld is not in the cache", (long long)asset_id);
	return found < 0 ? -1 : 0;
}

/* The asset's annotation, made when the source gave it none (the shapes hang off it). */
static int annotation_of(struct cache *c, int64_t asset_id, int64_t *annotation_id, struct err *err)
{
	int found = run3(c, sql_annotation_find, asset_id, 0, NULL, annotation_id, err,
	                 "reading the asset's annotation");

	if (found != 0)
		return found < 0 ? -1 : 0;
	if (run3(c, sql_annotation_make, asset_id, 0, NULL, NULL, err,
	         "making the asset's annotation") < 0)
		return -1;
	*annotation_id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

/* The row id of the label at a position of the dataset's label order; 0 for -1. */
static int label_at(struct cache *c, int64_t dataset_id, int position, int64_t *label_id,
                    struct err *err)
{
	int found;

	*label_id = 0;
	if (position == -1)
		return 0;
	found = run3(c, sql_label_at, dataset_id, position, NULL, label_id, err,
	             "reading the shape's label");
	if (found == 0)
		return err_set(err, "the dataset has no label %d", position);
	return found < 0 ? -1 : 0;
}

/* The label a logged shape had: the same row when it is still there under its name, else
 * a label of that name (it may have come back under another id), else none. */
static int label_resolve(struct cache *c, int64_t dataset_id, int64_t label_id, const char *name,
                         int64_t *out, struct err *err)
{
	int found;

	*out = 0;
	if (name == NULL)
		return 0;
	found = run3(c, sql_label_same, dataset_id, label_id, name, out, err,
	             "finding the shape's label");
	if (found == 0)
		found = run3(c, sql_label_named, dataset_id, 0, name, out, err,
		             "finding the shape's label");
	return found < 0 ? -1 : 0;
}

/* Shape count and local revision of the asset, after any change to its shapes. */
static int asset_touch(struct cache *c, int64_t asset_id, struct err *err)
{
	if (run3(c, sql_shape_count, asset_id, 0, NULL, NULL, err, "counting the shapes") < 0 ||
	    run3(c, sql_local_rev, asset_id, 0, NULL, NULL, err, "saving the annotation") < 0)
		return -1;
	return 0;
}

/* ---- rows ------------------------------------------------------------------------------ */

/* Inserts r->s as a row under id (0: a new id); *new_id is the row's id. */
static int row_insert(struct cache *c, int64_t id, const struct shape_row *r, int64_t *new_id,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (cache_db_prepare(c, sql_shape_insert, &st, err) < 0)
		goto out;
	if (id != 0)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, r->asset_id);
	sqlite3_bind_int64(st, 3, r->annotation_id);
	sqlite3_bind_int64(st, 4, r->seq);
	if (r->label_id != 0)
		sqlite3_bind_int64(st, 5, r->label_id);
	sqlite3_bind_int64(st, 6, r->rev);
	if (cache_shape_bind(st, 7, &r->s, err) < 0 ||
	    cache_db_run(c, st, err, "storing the shape") < 0)
		goto out;
	*new_id = sqlite3_last_insert_rowid(c->db);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Gives the row the kind, geometry and text of s and the label label_id; its ext_id and
 * extra fields stay those of keep. */
static int row_update(struct cache *c, int64_t id, int64_t label_id, const struct shape *s,
                      const struct shape *keep, struct err *err)
{
	struct shape merged = *s;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	merged.ext_id = keep->ext_id;
	merged.extra_json = keep->extra_json;
	if (cache_db_prepare(c, sql_shape_update, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	if (label_id != 0)
		sqlite3_bind_int64(st, 2, label_id);
	else
		sqlite3_bind_null(st, 2);
	if (cache_shape_bind(st, 3, &merged, err) < 0 ||
	    cache_db_run(c, st, err, "saving the shape") < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Appends the outbox entry of op for the row as it is (as it was, for a delete), made against
 * before (NULL for a create). */
static int shape_queue(struct cache *c, const struct shape_row *r, const struct shape_row *before,
                       const char *op, int64_t *outbox_id, struct err *err)
{
	struct cache_entry e = {
	    .dataset_id = r->dataset_id,
	    .entity = "shape",
	    .entity_id = r->id,
	    .op = op,
	    .base_rev = r->base_rev,
	};
	char *payload = cache_shape_payload(r, before, op);
	int rc;

	if (payload == NULL)
		return err_set(err, "queueing a shape edit: out of memory");
	e.payload = payload;
	rc = cache_outbox_insert(c, &e, outbox_id, err);
	free(payload);
	return rc;
}

/* The row's edit-log value, or an error. */
static int row_value(const struct shape_row *r, char **value, struct err *err)
{
	*value = cache_shape_value(r);
	return *value != NULL ? 0 : err_set(err, "logging a shape edit: out of memory");
}

static int text_same(const char *a, const char *b)
{
	/* no text and an empty one look the same on screen and on the platform */
	return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* Whether the stored row already has the kind, label, geometry and text of s. */
static int row_same(const struct shape_row *r, const struct shape *s, int64_t label_id)
{
	const struct shape *o = &r->s;

	if (o->kind != s->kind || r->label_id != label_id || o->npoints != s->npoints ||
	    o->nparts != s->nparts || !text_same(o->text, s->text) || o->box.x != s->box.x ||
	    o->box.y != s->box.y || o->box.w != s->box.w || o->box.h != s->box.h)
		return 0;
	for (int i = 0; i < s->npoints; i++)
		if (o->points[i].x != s->points[i].x || o->points[i].y != s->points[i].y)
			return 0;
	for (int i = 0; i < s->nparts; i++)
		if (o->part_ends[i] != s->part_ends[i])
			return 0;
	return 1;
}

/* ---- create, update, delete ------------------------------------------------------------ */

int cache_shape_create(struct cache *cache, int64_t asset_id, const struct shape *s,
                       int64_t *shape_id, struct err *err)
{
	struct shape_row r = {0}, now = {0};
	struct cache_change ch = {.asset_id = asset_id, .op = "shape.create"};
	int64_t id = 0, outbox_id = 0;
	char *value = NULL;
	int rc = -1;

	*shape_id = 0;
	if (cache_shape_check(s, err) < 0 || cache_db_begin(cache, err) < 0)
		return -1;
	r.asset_id = asset_id;
	r.s = *s;
	/* a new shape is not in the source yet: no source id, no source fields */
	r.s.ext_id = NULL;
	r.s.extra_json = NULL;
	if (asset_dataset(cache, asset_id, &ch.dataset_id, err) < 0 ||
	    annotation_of(cache, asset_id, &r.annotation_id, err) < 0 ||
	    label_at(cache, ch.dataset_id, s->label, &r.label_id, err) < 0 ||
	    run3(cache, sql_seq_next, asset_id, 0, NULL, &r.seq, err, "placing the shape") < 0 ||
	    row_insert(cache, 0, &r, &id, err) < 0 || asset_touch(cache, asset_id, err) < 0)
		goto out;
	if (cache_shape_row_load(cache, id, &now, err) != 1 || row_value(&now, &value, err) < 0 ||
	    shape_queue(cache, &now, NULL, ch.op, &outbox_id, err) < 0)
		goto out;
	ch.new_value = value;
	ch.shape_id = id;
	ch.label_id = now.label_id;
	rc = cache_edit_log_append(cache, &ch, outbox_id, err);
out:
	free(value);
	cache_shape_row_clear(&now);
	if (cache_db_end(cache, rc, err) < 0)
		return -1;
	*shape_id = id;
	return 0;
}

/* The newest edit of the dataset when it is an update of this shape, not undone, whose
 * outbox entry has not left: a nudge following it merges into it. 1 with the log row and
 * outbox entry ids, 0 when the update stands alone. */
static int merge_target(struct cache *c, int64_t dataset_id, int64_t shape_id, int64_t *log_id,
                        int64_t *outbox_id, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_newest_edit, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(c, err, "reading the edit log");
		goto out;
	}
	rc = step == SQLITE_ROW && strcmp(cache_db_text(st, 1), "shape.update") == 0 &&
	     sqlite3_column_int64(st, 2) == shape_id && sqlite3_column_int(st, 3) == 0 &&
	     strcmp(cache_db_text(st, 5), "pending") == 0;
	if (rc) {
		*log_id = sqlite3_column_int64(st, 0);
		*outbox_id = sqlite3_column_int64(st, 4);
	}
out:
	sqlite3_finalize(st);
	return rc;
}

static int logged_old_value(struct cache *c, int64_t log_id, char **out, struct err *err)
{
	static const char sql[] = "SELECT old_value FROM edit_log WHERE id = ?1";
	sqlite3_stmt *st = NULL;
	int rc = -1, oom = 0;

	*out = NULL;
	if (cache_db_prepare(c, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, log_id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*out = cache_db_text_dup(st, 0, &oom);
		rc = oom ? err_set(err, "out of memory") : 0;
	} else {
		cache_db_fail(c, err, "reading the edit being merged");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Folds the update into the edit it follows: the logged old value stays the one from before
 * the first nudge, the new value and the pending payload become the latest. */
static int update_merge(struct cache *c, int64_t log_id, int64_t outbox_id,
                        const struct shape_row *now, const char *value, struct err *err)
{
	struct shape_row first = {0};
	char *payload = NULL, *old = NULL;
	int rc = -1;

	/* the base stays the shape as it was before the first nudge: the logged old value */
	if (logged_old_value(c, log_id, &old, err) < 0 ||
	    cache_shape_value_parse(old, &first, err) < 0)
		goto out;
	payload = cache_shape_payload(now, &first, "shape.update");
	if (payload == NULL) {
		err_set(err, "queueing a shape edit: out of memory");
		goto out;
	}
	if (run_text(c, sql_log_merge, log_id, value, now->label_id, err,
	             "recording the change for undo") == 0 &&
	    run_text(c, sql_outbox_merge, outbox_id, payload, 0, err,
	             "queueing the change in the outbox") == 0)
		rc = 0;
out:
	free(payload);
	free(old);
	cache_shape_row_clear(&first);
	return rc;
}

/* The update itself, inside the transaction; cur is the row before. */
static int update_apply(struct cache *c, const struct shape_row *cur, const struct shape *s,
                        int coalesce, struct err *err)
{
	struct cache_change ch = {.dataset_id = cur->dataset_id,
	                          .asset_id = cur->asset_id,
	                          .op = "shape.update",
	                          .shape_id = cur->id};
	struct shape_row now = {0};
	int64_t label_id = 0, log_id = 0, outbox_id = 0;
	char *old = NULL, *value = NULL;
	int rc = -1, merge = 0;

	if (label_at(c, cur->dataset_id, s->label, &label_id, err) < 0)
		return -1;
	if (row_same(cur, s, label_id))
		return 0; /* nothing changes, so nothing to send */
	if (coalesce &&
	    (merge = merge_target(c, cur->dataset_id, cur->id, &log_id, &outbox_id, err)) < 0)
		return -1;
	if (row_value(cur, &old, err) < 0 ||
	    row_update(c, cur->id, label_id, s, &cur->s, err) < 0 ||
	    asset_touch(c, cur->asset_id, err) < 0 ||
	    cache_shape_row_load(c, cur->id, &now, err) != 1 || row_value(&now, &value, err) < 0)
		goto out;
	if (merge) {
		rc = update_merge(c, log_id, outbox_id, &now, value, err);
		goto out;
	}
	if (shape_queue(c, &now, cur, ch.op, &outbox_id, err) < 0)
		goto out;
	ch.old_value = old;
	ch.new_value = value;
	ch.label_id = now.label_id;
	rc = cache_edit_log_append(c, &ch, outbox_id, err);
out:
	free(old);
	free(value);
	cache_shape_row_clear(&now);
	return rc;
}

int cache_shape_update(struct cache *cache, int64_t shape_id, const struct shape *s, int coalesce,
                       struct err *err)
{
	struct shape_row cur = {0};
	int rc = -1, found;

	if (cache_shape_check(s, err) < 0 || cache_db_begin(cache, err) < 0)
		return -1;
	found = cache_shape_row_load(cache, shape_id, &cur, err);
	if (found == 0)
		err_set(err, "shape %lld is not in the cache", (long long)shape_id);
	if (found == 1)
		rc = update_apply(cache, &cur, s, coalesce, err);
	cache_shape_row_clear(&cur);
	return cache_db_end(cache, rc, err);
}

int cache_shape_delete(struct cache *cache, int64_t shape_id, struct err *err)
{
	struct shape_row cur = {0};
	struct cache_change ch = {.op = "shape.delete", .shape_id = shape_id};
	int64_t outbox_id = 0;
	char *old = NULL;
	int rc = -1, found;

	if (cache_db_begin(cache, err) < 0)
		return -1;
	found = cache_shape_row_load(cache, shape_id, &cur, err);
	if (found == 0)
		err_set(err, "shape %lld is not in the cache", (long long)shape_id);
	if (found != 1)
		goto out;
	ch.dataset_id = cur.dataset_id;
	ch.asset_id = cur.asset_id;
	if (row_value(&cur, &old, err) < 0 ||
	    shape_queue(cache, &cur, &cur, ch.op, &outbox_id, err) < 0 ||
	    run3(cache, sql_shape_delete, shape_id, 0, NULL, NULL, err, "deleting the shape") < 0 ||
	    asset_touch(cache, cur.asset_id, err) < 0)
		goto out;
	ch.old_value = old;
	rc = cache_edit_log_append(cache, &ch, outbox_id, err);
out:
	free(old);
	cache_shape_row_clear(&cur);
	return cache_db_end(cache, rc, err);
}

/* ---- undo and redo --------------------------------------------------------------------- */

/* Puts the logged state want on the shape: re-inserted under its id when it is gone, else
 * updated in place. cur is the row as it is (found: whether there is one). */
static int transition_put(struct cache *c, int64_t dataset_id, int64_t asset_id, int64_t shape_id,
                          const struct shape_row *cur, int found, struct shape_row *want,
                          struct err *err)
{
	int64_t id = 0, label_id = 0;

	if (label_resolve(c, dataset_id, want->label_id, want->label_name, &label_id, err) < 0)
		return -1;
	if (found)
		return row_update(c, shape_id, label_id, &want->s, &cur->s, err);
	want->asset_id = asset_id;
	want->label_id = label_id;
	if (annotation_of(c, asset_id, &want->annotation_id, err) < 0 ||
	    row_insert(c, shape_id, want, &id, err) < 0)
		return -1;
	return 0;
}

int cache_shape_transition(struct cache *c, int64_t dataset_id, int64_t asset_id, int64_t shape_id,
                           const char *from, const char *to, int queue, int64_t *outbox_id,
                           char **snapshot, struct err *err)
{
	struct shape_row cur = {0}, want = {0}, now = {0};
	int rc = -1, found;

	*outbox_id = 0;
	*snapshot = NULL;
	found = cache_shape_row_load(c, shape_id, &cur, err);
	if (found < 0)
		return -1;
	if (from != NULL && !found) {
		err_set(err, "shape %lld is no longer in the cache", (long long)shape_id);
		goto out;
	}
	if (from == NULL && found) {
		err_set(err, "shape %lld is in the cache already", (long long)shape_id);
		goto out;
	}
	if (to == NULL) {
		if (row_value(&cur, snapshot, err) < 0 ||
		    (queue && shape_queue(c, &cur, &cur, "shape.delete", outbox_id, err) < 0) ||
		    run3(c, sql_shape_delete, shape_id, 0, NULL, NULL, err, "deleting the shape") <
		        0)
			goto out;
	} else if (cache_shape_value_parse(to, &want, err) < 0 ||
	           transition_put(c, dataset_id, asset_id, shape_id, &cur, found, &want, err) < 0) {
		goto out;
	}
	if (asset_touch(c, asset_id, err) < 0)
		goto out;
	if (to != NULL && queue &&
	    (cache_shape_row_load(c, shape_id, &now, err) != 1 ||
	     shape_queue(c, &now, found ? &cur : NULL, found ? "shape.update" : "shape.create",
	                 outbox_id, err) < 0))
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		free(*snapshot);
		*snapshot = NULL;
	}
	cache_shape_row_clear(&cur);
	cache_shape_row_clear(&want);
	cache_shape_row_clear(&now);
	return rc;
}

/* ---- descriptions ---------------------------------------------------------------------- */

static int same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* Whether b is a with every vertex and the box moved by one offset, and nothing resized. */
static int is_translation(const struct shape *a, const struct shape *b)
{
	double dx = b->box.x - a->box.x, dy = b->box.y - a->box.y;

	if (a->npoints != b->npoints || fabs(a->box.w - b->box.w) > 1e-9 ||
	    fabs(a->box.h - b->box.h) > 1e-9)
		return 0;
	for (int i = 0; i < a->npoints; i++)
		if (fabs(b->points[i].x - a->points[i].x - dx) > 1e-9 ||
		    fabs(b->points[i].y - a->points[i].y - dy) > 1e-9)
			return 0;
	return 1;
}

static int geometry_same(const struct shape *a, const struct shape *b)
{
	return is_translation(a, b) && a->box.x == b->box.x && a->box.y == b->box.y &&
	       a->nparts == b->nparts;
}

static void update_describe(const struct shape_row *o, const struct shape_row *n, char *what,
                            size_t whatsz)
{
	const char *kind = shape_kind_name(n->s.kind);

	if (o->s.kind != n->s.kind)
		snprintf(what, whatsz, "edit %s", kind);
	else if (!geometry_same(&o->s, &n->s))
		snprintf(what, whatsz, "%s %s",
		         is_translation(&o->s, &n->s) ? "move"
		         : n->s.kind == SHAPE_BOX     ? "resize"
		                                      : "edit",
		         kind);
	else if (!same_text(o->label_name, n->label_name))
		snprintf(what, whatsz, n->label_name != NULL ? "label %s" : "unlabel %s",
		         n->label_name != NULL ? n->label_name : kind);
	else
		snprintf(what, whatsz, "text %s", kind);
}

void cache_shape_describe(const char *op, const char *old_value, const char *new_value, char *what,
                          size_t whatsz)
{
	struct shape_row o = {0}, n = {0};
	int have_old = old_value != NULL && cache_shape_value_parse(old_value, &o, NULL) == 0;
	int have_new = new_value != NULL && cache_shape_value_parse(new_value, &n, NULL) == 0;

	if (strcmp(op, "shape.create") == 0 && have_new)
		snprintf(what, whatsz, "new %s", shape_kind_name(n.s.kind));
	else if (strcmp(op, "shape.delete") == 0 && have_old)
		snprintf(what, whatsz, "delete %s", shape_kind_name(o.s.kind));
	else if (have_old && have_new)
		update_describe(&o, &n, what, whatsz);
	else
		str_copy(what, "shape edit", whatsz);
	cache_shape_row_clear(&o);
	cache_shape_row_clear(&n);
}
