/* Marks and bulk edits: the rows marked in the list (a filter whose rows are all marked, plus
 * the rows toggled against it, kept in a table of this connection only), and one edit applied
 * to many assets in one transaction, one outbox entry per asset and one undo step for all. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/buf.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

#define SQL_MAX 4096

/* The toggled rows: a temporary table, so that marks never reach the file nor another
 * connection; they last as long as this one. */
static const char sql_toggle_make[] =
    "CREATE TEMP TABLE IF NOT EXISTS mark_toggle (asset_id INTEGER PRIMARY KEY)";
static const char sql_toggle_has[] = "SELECT 1 FROM temp.mark_toggle WHERE asset_id = ?1";
static const char sql_toggle_add[] = "INSERT OR IGNORE INTO temp.mark_toggle VALUES (?1)";
static const char sql_toggle_del[] = "DELETE FROM temp.mark_toggle WHERE asset_id = ?1";
static const char sql_toggle_clear[] = "DELETE FROM temp.mark_toggle";
static const char sql_count_set[] =
    "SELECT count(*) FROM temp.mark_toggle m JOIN asset x ON x.id = m.asset_id"
    " WHERE x.dataset_id = ?1";
/* toggled rows of the dataset in (%s EXISTS) or outside (NOT EXISTS) the filter's rows */
static const char sql_count_toggled[] =
    "SELECT count(*) FROM temp.mark_toggle m JOIN asset x ON x.id = m.asset_id"
    " WHERE x.dataset_id = :ds AND %sEXISTS (SELECT 1 FROM asset a%s AND a.id = m.asset_id)";
static const char sql_count_all[] = "SELECT count(*) FROM asset a%s";
static const char sql_ids_all[] =
    "SELECT a.id FROM asset a%s AND a.id NOT IN (SELECT asset_id FROM temp.mark_toggle)"
    " UNION SELECT m.asset_id FROM temp.mark_toggle m JOIN asset x ON x.id = m.asset_id"
    " WHERE x.dataset_id = :ds AND NOT EXISTS (SELECT 1 FROM asset a%s AND a.id = m.asset_id)"
    " ORDER BY 1";
static const char sql_ids_set[] =
    "SELECT m.asset_id FROM temp.mark_toggle m JOIN asset x ON x.id = m.asset_id"
    " WHERE x.dataset_id = ?1 ORDER BY 1";
static const char sql_in_filter[] = "SELECT count(*) FROM asset a%s AND a.id = :aid";
static const char sql_shapes_of_label[] =
    "SELECT s.id FROM shape s JOIN label l ON l.id = s.label_id WHERE s.asset_id = ?1"
    " AND l.name = ?2 COLLATE NOCASE ORDER BY s.id";
static const char sql_batch_next[] = "SELECT coalesce(max(id), 0) + 1 FROM edit_log";

#define BULK_SHAPES_MAX 10000 /* shapes of one label on one asset that one bulk edit takes */

static int toggle_ready(struct cache *c, struct err *err)
{
	return cache_db_exec(c, sql_toggle_make, err, "keeping the marks");
}

/* Prepares fmt with the filter's WHERE clause put in at each %s (at most two). */
static int filter_prepare(struct cache *c, const char *fmt, const struct asset_query *q, int uses,
                          sqlite3_stmt **st, struct err *err)
{
	struct buf where, sql;
	int rc = -1;

	buf_init(&where, SQL_MAX);
	buf_init(&sql, 3 * SQL_MAX);
	if (cache_query_where(q, &where) < 0 ||
	    (uses == 1
	         ? buf_printf(&sql, fmt, (const char *)where.data)
	         : buf_printf(&sql, fmt, (const char *)where.data, (const char *)where.data)) < 0) {
		err_setk(err, ERR_TOO_LARGE, "marks: the filter makes too long a query");
		goto out;
	}
	if (cache_db_prepare(c, (const char *)sql.data, st, err) < 0)
		goto out;
	cache_query_bind(*st, q);
	rc = 0;
out:
	buf_free(&where);
	buf_free(&sql);
	return rc;
}

/* Steps a one-number statement and finalizes it. */
static int step_count(struct cache *c, sqlite3_stmt *st, int64_t *out, struct err *err)
{
	int rc = cache_db_lookup(c, st, out, err, "counting the marks");

	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Whether the asset is one of the filter's rows. */
static int in_filter(struct cache *c, const struct asset_query *q, int64_t asset_id, int *in,
                     struct err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;

	if (filter_prepare(c, sql_in_filter, q, 1, &st, err) < 0)
		return -1;
	cache_db_bind_named_int64(st, ":aid", asset_id);
	if (step_count(c, st, &n, err) < 0)
		return -1;
	*in = n > 0;
	return 0;
}

int cache_mark_get(struct cache *c, const struct cache_marks *m, int64_t asset_id, int *on,
                   struct err *err)
{
	int64_t found = 0;
	int in = 0;

	*on = 0;
	if (toggle_ready(c, err) < 0 ||
	    CACHE_DB_DO(c, sql_toggle_has, &found, err, "reading the marks", DB_INT(asset_id)) < 0)
		return -1;
	if (m->all && in_filter(c, &m->query, asset_id, &in, err) < 0)
		return -1;
	*on = (found != 0) != in;
	return 0;
}

int cache_mark_set(struct cache *c, const struct cache_marks *m, int64_t asset_id, int on,
                   struct err *err)
{
	int in = 0;

	if (toggle_ready(c, err) < 0)
		return -1;
	if (m->all && in_filter(c, &m->query, asset_id, &in, err) < 0)
		return -1;
	/* marked = in the filter XOR toggled */
	return CACHE_DB_DO(c, on != in ? sql_toggle_add : sql_toggle_del, NULL, err,
	                   "keeping the marks", DB_INT(asset_id)) < 0
	           ? -1
	           : 0;
}

int cache_marks_clear(struct cache *c, struct cache_marks *m, struct err *err)
{
	memset(m, 0, sizeof *m);
	if (toggle_ready(c, err) < 0)
		return -1;
	return cache_db_exec(c, sql_toggle_clear, err, "clearing the marks");
}

int cache_marks_all(struct cache *c, struct cache_marks *m, const struct asset_query *q,
                    struct err *err)
{
	if (cache_marks_clear(c, m, err) < 0)
		return -1;
	m->all = 1;
	m->query = *q;
	return 0;
}

/* The toggled rows in (outside set) or outside the filter's rows. */
static int count_toggled(struct cache *c, const struct asset_query *q, int outside, int64_t *n,
                         struct err *err)
{
	struct buf where, sql;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	buf_init(&where, SQL_MAX);
	buf_init(&sql, 2 * SQL_MAX);
	if (cache_query_where(q, &where) < 0 ||
	    buf_printf(&sql, sql_count_toggled, outside ? "NOT " : "", (const char *)where.data) <
	        0) {
		err_setk(err, ERR_TOO_LARGE, "marks: the filter makes too long a query");
		goto out;
	}
	if (cache_db_prepare(c, (const char *)sql.data, &st, err) < 0)
		goto out;
	cache_query_bind(st, q);
	rc = step_count(c, st, n, err);
out:
	buf_free(&where);
	buf_free(&sql);
	return rc;
}

int cache_marks_count(struct cache *c, const struct cache_marks *m, int *count, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t all = 0, in = 0, out = 0;

	*count = 0;
	if (toggle_ready(c, err) < 0)
		return -1;
	if (!m->all) { /* every toggled row of the dataset is marked */
		if (CACHE_DB_DO(c, sql_count_set, &out, err, "counting the marks",
		                DB_INT(m->query.dataset_id)) < 0)
			return -1;
		*count = (int)out;
		return 0;
	}
	if (filter_prepare(c, sql_count_all, &m->query, 1, &st, err) < 0 ||
	    step_count(c, st, &all, err) < 0 || count_toggled(c, &m->query, 0, &in, err) < 0 ||
	    count_toggled(c, &m->query, 1, &out, err) < 0)
		return -1;
	*count = (int)(all - in + out);
	return 0;
}

/* Reads every id a statement returns into a growing array. */
static int ids_collect(struct cache *c, sqlite3_stmt *st, int64_t **ids, int *n, struct err *err)
{
	int cap = 0, step;
	int64_t *grown;

	*ids = NULL;
	*n = 0;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 256;
			grown = realloc(*ids, (size_t)cap * sizeof **ids);
			if (grown == NULL) {
				free(*ids);
				*ids = NULL;
				return err_set(err, "marks: out of memory");
			}
			*ids = grown;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return cache_db_fail(c, err, "reading the marks");
	}
	return 0;
}

int cache_marks_ids(struct cache *c, const struct cache_marks *m, int64_t **ids, int *n,
                    struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*ids = NULL;
	*n = 0;
	if (toggle_ready(c, err) < 0)
		return -1;
	if (m->all)
		rc = filter_prepare(c, sql_ids_all, &m->query, 2, &st, err);
	else if ((rc = cache_db_prepare(c, sql_ids_set, &st, err)) == 0)
		sqlite3_bind_int64(st, 1, m->query.dataset_id);
	if (rc < 0)
		return -1;
	rc = ids_collect(c, st, ids, n, err);
	sqlite3_finalize(st);
	return rc;
}

/* ---- bulk edits ------------------------------------------------------------------------- */

/* The shapes of the asset that carry the label named name. */
static int shapes_of_label(struct cache *c, int64_t asset_id, const char *name, int64_t **ids,
                           int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (cache_db_prepare(c, sql_shapes_of_label, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, asset_id);
	cache_db_bind_text(st, 2, name);
	rc = ids_collect(c, st, ids, n, err);
	sqlite3_finalize(st);
	if (rc == 0 && *n > BULK_SHAPES_MAX) {
		free(*ids);
		*ids = NULL;
		return err_setk(err, ERR_TOO_LARGE, "an asset has more than %d shapes of label %s",
		                BULK_SHAPES_MAX, name);
	}
	return rc;
}

/* Relabels (to_index >= 0) or deletes (to_index < 0) the asset's shapes of label from. */
static int shapes_apply(struct cache *c, int64_t asset_id, const char *from, int to_index,
                        int *shapes, struct err *err)
{
	int64_t *ids = NULL;
	int n = 0, rc = 0;

	if (shapes_of_label(c, asset_id, from, &ids, &n, err) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		struct shape_row r;
		if (to_index < 0) {
			rc = cache_shape_delete(c, ids[i], err);
		} else if ((rc = cache_shape_row_load(c, ids[i], &r, err)) == 1) {
			r.s.label = to_index;
			rc = cache_shape_update(c, ids[i], &r.s, 0, err);
			cache_shape_row_clear(&r);
		}
		if (rc == 0)
			(*shapes)++;
	}
	free(ids);
	return rc < 0 ? -1 : 0;
}

/* Whether the asset's edit changed something: its newest edit-log row is of this batch. */
static int asset_changed(struct cache *c, int64_t asset_id, struct err *err)
{
	int64_t n = 0;

	if (CACHE_DB_DO(c, "SELECT count(*) FROM edit_log WHERE asset_id = ?1 AND batch = ?2", &n,
	                err, "reading the edit log", DB_INT(asset_id), DB_INT(c->batch)) < 0)
		return -1;
	return n > 0;
}

static int bulk_one(struct cache *c, int64_t asset_id, const struct bulk_edit *e, int to_index,
                    struct bulk_result *res, struct err *err)
{
	int rc, changed;

	switch (e->op) {
	case BULK_REVIEW:
		rc = cache_review_set(c, asset_id, e->status, err);
		break;
	case BULK_TAG_ADD:
		rc = cache_tag_add(c, asset_id, e->name, err);
		break;
	case BULK_TAG_REMOVE:
		rc = cache_tag_remove(c, asset_id, e->name, err);
		break;
	case BULK_RELABEL:
	case BULK_DELETE_LABEL:
		rc = shapes_apply(c, asset_id, e->name, e->op == BULK_RELABEL ? to_index : -1,
		                  &res->shapes, err);
		break;
	default:
		return err_setk(err, ERR_USAGE, "unknown bulk edit %d", (int)e->op);
	}
	if (rc < 0 || (changed = asset_changed(c, asset_id, err)) < 0)
		return -1;
	if (changed)
		res->changed++;
	else
		res->unchanged++;
	return 0;
}

/* The label index a relabel gives: the label named new_name, created when the dataset has
 * none (before the batch starts, so that undo takes it back with the batch as it does for a
 * single edit). */
static int relabel_target(struct cache *c, int64_t dataset_id, const struct bulk_edit *e,
                          int *to_index, struct err *err)
{
	*to_index = -1;
	if (e->op != BULK_RELABEL)
		return 0;
	if (e->new_name == NULL || e->new_name[0] == '\0')
		return err_setk(err, ERR_USAGE, "relabel: which label should the shapes get?");
	return cache_label_ensure(c, dataset_id, e->new_name, to_index, err);
}

int cache_bulk_apply(struct cache *c, int64_t dataset_id, const int64_t *ids, int n,
                     const struct bulk_edit *e, cache_progress_fn progress, void *ctx,
                     struct bulk_result *res, struct err *err)
{
	int rc = -1, to_index = -1;

	memset(res, 0, sizeof *res);
	if (e->name == NULL && e->op != BULK_REVIEW)
		return err_setk(err, ERR_USAGE, "a bulk edit needs a tag or a label");
	if (cache_db_begin(c, err) < 0)
		return -1;
	if (relabel_target(c, dataset_id, e, &to_index, err) < 0 ||
	    CACHE_DB_DO(c, sql_batch_next, &c->batch, err, "starting a bulk edit") < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (bulk_one(c, ids[i], e, to_index, res, err) < 0)
			goto out;
		/* a cancel leaves everything as it was: the transaction is rolled back */
		if (progress != NULL && (i % 64 == 63 || i + 1 == n) && progress(ctx, i + 1, n)) {
			err_setk(err, ERR_FAILED, "cancelled: nothing was changed");
			goto out;
		}
	}
	rc = 0;
out:
	c->batch = 0;
	if (rc < 0)
		memset(res, 0, sizeof *res);
	return cache_db_end(c, rc, err);
}
