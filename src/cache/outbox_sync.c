/* The outbox as the sync engine walks it: the next entry due, its acknowledgement, a retry
 * time, a conflict with the source's value, and the user's choice on a conflict (see cache.h,
 * "The outbox and conflicts"). Entries leave the pending state only through these calls. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Entries go out in the order they were made; one waiting on the user (a conflict on the same
 * object) holds back the later ones on that object only. */
static const char sql_next[] =
    "SELECT o.id, o.op, o.payload, o.idem_key, o.base_rev, o.attempts,"
    " coalesce(o.resolution = 'mine', 0), coalesce(o.next_attempt_at, 0) FROM outbox o"
    " WHERE o.dataset_id = ?1 AND o.state = 'pending' AND NOT EXISTS (SELECT 1 FROM outbox b"
    "  WHERE b.dataset_id = o.dataset_id AND b.state = 'conflict' AND b.entity = o.entity"
    "  AND b.entity_id = o.entity_id AND b.id < o.id)"
    " ORDER BY o.id LIMIT 1";
static const char sql_ack[] =
    "UPDATE outbox SET state = 'pushed', pushed_at = " CACHE_NOW ", last_error = NULL"
    " WHERE id = ?1 AND state = 'pending'";
static const char sql_retry[] =
    "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?2, last_error = ?3"
    " WHERE id = ?1 AND state = 'pending'";
static const char sql_conflict[] =
    "UPDATE outbox SET state = 'conflict', theirs = ?2, refused = ?3, last_error = ?4,"
    " conflict_at = " CACHE_NOW " WHERE id = ?1 AND state = 'pending'";
static const char sql_keep_mine[] =
    "UPDATE outbox SET state = 'pending', resolution = 'mine', attempts = 0,"
    " next_attempt_at = NULL, refused = 0 WHERE id = ?1 AND state = 'conflict'";
static const char sql_take_theirs[] =
    "UPDATE outbox SET state = 'pushed', resolution = 'theirs', pushed_at = " CACHE_NOW
    " WHERE id = ?1 AND state = 'conflict'";
/* an edit the source's value replaced can be neither undone nor redone */
static const char sql_log_settle[] = "UPDATE edit_log SET undone = 2 WHERE outbox_id = ?1";
static const char sql_conflicts[] =
    "SELECT o.id, o.dataset_id, o.op, o.payload, o.theirs, o.refused, coalesce(o.last_error, ''),"
    " coalesce(a.filename, ''), coalesce(a.id, 0) FROM outbox o LEFT JOIN asset a ON a.id ="
    " CAST(json_extract(o.payload, '$.asset_id') AS INTEGER) WHERE o.state = 'conflict'"
    " AND (?1 = 0 OR o.dataset_id = ?1) ORDER BY o.id LIMIT ?2";
static const char sql_conflict_get[] =
    "SELECT dataset_id, op, payload, theirs FROM outbox WHERE id = ?1 AND state = 'conflict'";

/* The source's ids of the rows a change names, looked up now: an entry queued before an earlier
 * create was pushed learns the id that create was given. */
static const char sql_asset_ext[] = "SELECT ext_id FROM asset WHERE id = ?1";
static const char sql_shape_ext[] = "SELECT ext_id FROM shape WHERE id = ?1";
static const char sql_label_ext[] = "SELECT ext_id FROM label WHERE id = ?1";
static const char sql_annotation_ext[] = "SELECT ext_id FROM annotation WHERE id = ?1";
static const char sql_task_ext[] = "SELECT ext_id FROM assignment WHERE id = ?1";
static const char sql_version_ext[] =
    "SELECT coalesce(v.ext_id, d.ext_id) FROM dataset d LEFT JOIN dataset_version v"
    " ON v.dataset_id = d.id WHERE d.id = ?1 ORDER BY v.id LIMIT 1";

static const char sql_created_shape[] = "UPDATE shape SET ext_id = ?2 WHERE id = ?1";
static const char sql_created_label[] = "UPDATE label SET ext_id = ?2 WHERE id = ?1";
static const char sql_created_annotation[] = "UPDATE annotation SET ext_id = ?2 WHERE id = ?1";

/* Replaces r->ext with the row's current source id when it has one. */
static int ref_refresh(struct cache *c, const char *sql, struct change_ref *r, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (r->local == 0)
		return 0;
	if (cache_db_prepare(c, sql, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, r->local);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		char *ext = strdup(cache_db_text(st, 0));

		if (ext == NULL) {
			rc = err_set(err, "out of memory");
		} else {
			free(r->ext);
			r->ext = ext;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int refs_refresh(struct cache *c, struct change *ch, struct err *err)
{
	return ref_refresh(c, sql_version_ext, &ch->dataset, err) == 0 &&
	               ref_refresh(c, sql_asset_ext, &ch->asset, err) == 0 &&
	               ref_refresh(c, sql_annotation_ext, &ch->annotation, err) == 0 &&
	               ref_refresh(c, sql_shape_ext, &ch->shape, err) == 0 &&
	               ref_refresh(c, sql_label_ext, &ch->label, err) == 0 &&
	               ref_refresh(c, sql_task_ext, &ch->task, err) == 0
	           ? 0
	           : -1;
}

static int entry_fill(struct cache *c, sqlite3_stmt *st, struct outbox_entry *e, struct err *err)
{
	enum change_kind kind;

	e->id = sqlite3_column_int64(st, 0);
	str_copy(e->idem_key, cache_db_text(st, 3), sizeof e->idem_key);
	e->base_rev = sqlite3_column_int64(st, 4);
	e->attempts = sqlite3_column_int(st, 5);
	e->force = sqlite3_column_int(st, 6);
	e->due_at = sqlite3_column_int64(st, 7);
	if (change_kind_parse(cache_db_text(st, 1), &kind) < 0)
		return err_setk(err, ERR_PARSE, "outbox entry %lld has an unknown operation %s",
		                (long long)e->id, cache_db_text(st, 1));
	if (change_from_json(kind, cache_db_text(st, 2), &e->change, err) < 0)
		return err_wrap(err, "outbox entry %lld", (long long)e->id);
	return refs_refresh(c, &e->change, err);
}

int cache_outbox_next(struct cache *c, int64_t dataset_id, struct outbox_entry *out,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof *out);
	if (cache_db_prepare(c, sql_next, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		rc = 0;
	else if (step != SQLITE_ROW)
		cache_db_fail(c, err, "reading the outbox");
	else if (entry_fill(c, st, out, err) == 0)
		rc = 1;
	sqlite3_finalize(st);
	if (rc < 0)
		cache_outbox_entry_clear(out);
	return rc;
}

void cache_outbox_entry_clear(struct outbox_entry *e)
{
	change_clear(&e->change);
	memset(e, 0, sizeof *e);
}

static int run_id_text(struct cache *c, const char *sql, int64_t id, const char *text,
                       struct err *err, const char *doing)
{
	return CACHE_DB_DO(c, sql, NULL, err, doing, DB_INT(id), DB_TEXT(text)) < 0 ? -1 : 0;
}

/* The row that a create made on the source, named by the id the source gave it. */
static int created_store(struct cache *c, const struct outbox_entry *e, const char *ext,
                         struct err *err)
{
	const struct change *ch = &e->change;

	if (ext == NULL || ext[0] == '\0')
		return 0;
	if (ch->kind == CHANGE_SHAPE_CREATE)
		return run_id_text(c, sql_created_shape, ch->shape.local, ext, err,
		                   "recording the shape's id");
	if (ch->kind == CHANGE_LABEL_CREATE)
		return run_id_text(c, sql_created_label, ch->label.local, ext, err,
		                   "recording the label's id");
	return 0;
}

int cache_outbox_ack(struct cache *c, const struct outbox_entry *e, const char *created_ext_id,
                     const char *annotation_ext_id, struct err *err)
{
	int rc;

	if (cache_db_begin(c, err) < 0)
		return -1;
	rc = run_id_text(c, sql_ack, e->id, NULL, err, "acknowledging a pushed change");
	if (rc == 0 && sqlite3_changes(c->db) != 1)
		rc = err_setk(err, ERR_CONFLICT, "outbox entry %lld is no longer pending",
		              (long long)e->id);
	if (rc == 0)
		rc = created_store(c, e, created_ext_id, err);
	if (rc == 0 && annotation_ext_id != NULL && e->change.annotation.local != 0 &&
	    e->change.annotation.ext == NULL)
		rc = run_id_text(c, sql_created_annotation, e->change.annotation.local,
		                 annotation_ext_id, err, "recording the annotation's id");
	return cache_db_end(c, rc, err);
}

int cache_outbox_retry(struct cache *c, int64_t id, int64_t at, const char *why, struct err *err)
{
	return CACHE_DB_DO(c, sql_retry, NULL, err, "scheduling a retry", DB_INT(id), DB_INT(at),
	                   DB_TEXT(why)) < 0
	           ? -1
	           : 0;
}

int cache_outbox_conflict(struct cache *c, int64_t id, const char *theirs_json, int refused,
                          const char *why, struct err *err)
{
	return CACHE_DB_DO(c, sql_conflict, NULL, err, "recording a conflict", DB_INT(id),
	                   DB_TEXT(theirs_json), DB_INT(refused != 0), DB_TEXT(why)) < 0
	           ? -1
	           : 0;
}

static char *text_dup(sqlite3_stmt *st, int col, int *oom)
{
	return cache_db_text_dup(st, col, oom);
}

static int conflict_fill(sqlite3_stmt *st, struct conflict_row *r)
{
	int oom = 0;

	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->dataset_id = sqlite3_column_int64(st, 1);
	str_copy(r->op, cache_db_text(st, 2), sizeof r->op);
	r->mine = text_dup(st, 3, &oom);
	r->theirs = text_dup(st, 4, &oom);
	r->refused = sqlite3_column_int(st, 5);
	str_copy(r->reason, cache_db_text(st, 6), sizeof r->reason);
	str_copy(r->filename, cache_db_text(st, 7), sizeof r->filename);
	r->asset_id = sqlite3_column_int64(st, 8);
	return oom ? -1 : 0;
}

int cache_conflicts_list(struct cache *c, int64_t dataset_id, struct conflict_row *rows, int max,
                         int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*n = 0;
	if (cache_db_prepare(c, sql_conflicts, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int(st, 2, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		if (conflict_fill(st, &rows[*n]) < 0) {
			cache_conflict_row_clear(&rows[*n]);
			err_set(err, "listing conflicts: out of memory");
			goto out;
		}
		(*n)++;
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		cache_db_fail(c, err, "listing conflicts");
		goto out;
	}
	rc = 0;
out:
	if (rc < 0)
		cache_conflict_rows_clear(rows, *n);
	if (rc < 0)
		*n = 0;
	sqlite3_finalize(st);
	return rc;
}

void cache_conflict_row_clear(struct conflict_row *r)
{
	free(r->mine);
	free(r->theirs);
	memset(r, 0, sizeof *r);
}

void cache_conflict_rows_clear(struct conflict_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		cache_conflict_row_clear(&rows[i]);
}

/* ---- taking the source's value ------------------------------------------------------------ */

static const char sql_label_by_name[] =
    "SELECT id FROM label WHERE dataset_id = ?1 AND name = ?2 COLLATE NOCASE";
static const char sql_shape_put[] =
    "UPDATE shape SET kind = ?2, x = ?3, y = ?4, w = ?5, h = ?6, points = ?7, parts = ?8,"
    " text = ?9, ext_id = coalesce(?10, ext_id), extra_json = coalesce(?11, extra_json),"
    " label_id = ?12 WHERE id = ?1";
static const char sql_shape_drop[] = "DELETE FROM shape WHERE id = ?1";
static const char sql_shape_count[] =
    "UPDATE asset SET shape_count = (SELECT count(*) FROM shape WHERE asset_id = ?1)"
    " WHERE id = ?1";

static int label_named(struct cache *c, int64_t dataset_id, const char *name, int64_t *id,
                       struct err *err)
{
	sqlite3_stmt *st = NULL;
	int found;

	*id = 0;
	if (name == NULL)
		return 0;
	if (cache_db_prepare(c, sql_label_by_name, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	cache_db_bind_text(st, 2, name);
	found = cache_db_lookup(c, st, id, err, "finding a label");
	sqlite3_finalize(st);
	return found < 0 ? -1 : 0;
}

/* The shape row takes the source's geometry, text and label. */
static int shape_take(struct cache *c, int64_t dataset_id, int64_t shape_id,
                      const struct change *theirs, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t label_id = 0;
	struct shape s = theirs->value;
	int rc = -1;

	s.ext_id = NULL;
	s.extra_json = NULL;
	if (label_named(c, dataset_id, theirs->label_name, &label_id, err) < 0 ||
	    cache_db_prepare(c, sql_shape_put, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, shape_id);
	/* the shape's columns at 2..11 (its own source id and fields stay), the label at 12 */
	if (cache_shape_bind(st, 2, &s, err) < 0)
		goto out;
	if (label_id != 0)
		sqlite3_bind_int64(st, 12, label_id);
	else
		sqlite3_bind_null(st, 12);
	rc = cache_db_run(c, st, err, "taking the source's shape");
out:
	sqlite3_finalize(st);
	return rc;
}

static int asset_run(struct cache *c, const char *sql, int64_t id, struct err *err,
                     const char *doing)
{
	return run_id_text(c, sql, id, NULL, err, doing);
}

/* Puts the source's value (theirs) in place of the user's change mine. An object the source
 * no longer has (theirs NULL) goes from the cache too. */
static int theirs_apply(struct cache *c, int64_t dataset_id, const struct change *mine,
                        const struct change *theirs, struct err *err)
{
	int changed;

	switch (mine->kind) {
	case CHANGE_STATUS:
		if (theirs == NULL)
			return 0;
		return cache_status_apply(c, mine->asset.local, theirs->status, err);
	case CHANGE_TAG_ADD:
		return cache_tag_detach(c, mine->asset.local, mine->tag, &changed, err);
	case CHANGE_TAG_REMOVE:
		return cache_tag_attach(c, dataset_id, mine->asset.local, mine->tag, &changed, err);
	case CHANGE_SHAPE_CREATE:
	case CHANGE_SHAPE_UPDATE:
	case CHANGE_SHAPE_DELETE:
		break;
	default:
		return 0; /* labels and task decisions: nothing of theirs to put back here */
	}
	if (theirs != NULL && theirs->has_value && mine->kind != CHANGE_SHAPE_CREATE) {
		if (mine->kind == CHANGE_SHAPE_DELETE)
			return err_setk(
			    err, ERR_CONFLICT,
			    "the shape was changed on the source after it was deleted here:"
			    " sync again to get it back");
		return shape_take(c, dataset_id, mine->shape.local, theirs, err);
	}
	if (asset_run(c, sql_shape_drop, mine->shape.local, err, "removing the shape") < 0)
		return -1;
	return asset_run(c, sql_shape_count, mine->asset.local, err, "counting shapes");
}

/* A local file's conflict (the file changed an image the user had edited): the source's
 * version is the file's, read again the next time the dataset is opened: the image is marked
 * changed and the source's fingerprint forgotten. */
static const char sql_is_paged[] = "SELECT EXISTS (SELECT 1 FROM pull_state WHERE dataset_id = ?1)";
static const char sql_reread_asset[] = "UPDATE asset SET content_hash = 0 WHERE id = ?1";
static const char sql_reread_source[] =
    "UPDATE source SET fingerprint = NULL WHERE id = (SELECT source_id FROM dataset"
    " WHERE id = ?1)";

static int reread_local(struct cache *c, int64_t dataset_id, const struct change *mine, int *done,
                        struct err *err)
{
	int64_t paged = 1;

	*done = 0;
	if (CACHE_DB_DO(c, sql_is_paged, &paged, err, "reading the source", DB_INT(dataset_id)) < 0)
		return -1;
	if (paged)
		return 0;
	*done = 1;
	if (mine->asset.local != 0 &&
	    CACHE_DB_DO(c, sql_reread_asset, NULL, err, "marking the image",
	                DB_INT(mine->asset.local)) < 0)
		return -1;
	return CACHE_DB_DO(c, sql_reread_source, NULL, err, "marking the source",
	                   DB_INT(dataset_id)) < 0
	           ? -1
	           : 0;
}

static int resolve_theirs(struct cache *c, int64_t id, struct err *err)
{
	sqlite3_stmt *st = NULL;
	struct change mine = {0}, theirs = {0};
	enum change_kind kind;
	int64_t dataset_id;
	int rc = -1, has_theirs, local = 0;

	if (cache_db_prepare(c, sql_conflict_get, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		err_setk(err, ERR_NOT_FOUND, "conflict %lld is not in the cache", (long long)id);
		goto out;
	}
	dataset_id = sqlite3_column_int64(st, 0);
	has_theirs = sqlite3_column_type(st, 3) != SQLITE_NULL;
	if (change_kind_parse(cache_db_text(st, 1), &kind) < 0 ||
	    change_from_json(kind, cache_db_text(st, 2), &mine, err) < 0 ||
	    (has_theirs && change_from_json(kind, cache_db_text(st, 3), &theirs, err) < 0))
		goto out;
	if (!has_theirs && kind >= CHANGE_SHAPE_CREATE && kind <= CHANGE_SHAPE_DELETE &&
	    reread_local(c, dataset_id, &mine, &local, err) < 0)
		goto out;
	if ((!local && theirs_apply(c, dataset_id, &mine, has_theirs ? &theirs : NULL, err) < 0) ||
	    run_id_text(c, sql_take_theirs, id, NULL, err, "settling the conflict") < 0 ||
	    run_id_text(c, sql_log_settle, id, NULL, err, "settling the conflict") < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	change_clear(&mine);
	change_clear(&theirs);
	return rc;
}

int cache_conflict_resolve(struct cache *c, int64_t id, enum conflict_choice choice,
                           struct err *err)
{
	int rc;

	if (cache_db_begin(c, err) < 0)
		return -1;
	if (choice == CONFLICT_KEEP_MINE) {
		rc = run_id_text(c, sql_keep_mine, id, NULL, err, "keeping your change");
		if (rc == 0 && sqlite3_changes(c->db) != 1)
			rc = err_setk(err, ERR_NOT_FOUND, "conflict %lld is not in the cache",
			              (long long)id);
	} else {
		rc = resolve_theirs(c, id, err);
	}
	return cache_db_end(c, rc, err);
}
