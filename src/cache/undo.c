/* Undo: walks the edit log back one edit at a time. An edit the source has not seen yet is
 * simply withdrawn from the outbox; one already sent is answered with its opposite. The log
 * row stays, marked undone with the entry that compensated it, so redo can follow later. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

static const char sql_edit_newest[] =
    "SELECT e.id, e.asset_id, e.op, e.old_value, e.new_value, e.outbox_id,"
    " coalesce(o.state, 'gone') FROM edit_log e LEFT JOIN outbox o ON o.id = e.outbox_id"
    " WHERE e.dataset_id = ?1 AND e.undone = 0 ORDER BY e.id DESC LIMIT 1";
static const char sql_outbox_delete[] = "DELETE FROM outbox WHERE id = ?1";
static const char sql_edit_mark_undone[] =
    "UPDATE edit_log SET undone = 1, undone_at = CAST(strftime('%s', 'now') AS INTEGER),"
    " undo_outbox_id = ?2 WHERE id = ?1";

/* Edit values are short (status names, tags of at most CACHE_TAG_MAX bytes). */
#define VALUE_MAX (CACHE_TAG_MAX + 1)

struct edit_entry {
	int64_t id;
	int64_t dataset_id;
	int64_t asset_id;
	int64_t outbox_id;
	char op[32];
	char old_value[VALUE_MAX];
	char new_value[VALUE_MAX];
	int has_old;
	int has_new;
	char state[16]; /* of its outbox entry: pending, pushed, conflict, or gone */
};

struct undo_kind {
	const char *op;
	const char *inverse;
	int (*revert)(struct cache *c, const struct edit_entry *e, struct err *err);
	void (*describe)(const struct edit_entry *e, char *what, size_t whatsz);
};

static int status_revert(struct cache *c, const struct edit_entry *e, struct err *err)
{
	enum review_status old;

	if (review_status_parse(e->old_value, &old) < 0)
		return err_set(err, "undo: unknown review status '%s'", e->old_value);
	return cache_status_apply(c, e->asset_id, old, err);
}

static int attach_revert(struct cache *c, const struct edit_entry *e, struct err *err)
{
	int changed;

	return cache_tag_detach(c, e->asset_id, e->new_value, &changed, err);
}

static int detach_revert(struct cache *c, const struct edit_entry *e, struct err *err)
{
	int changed;

	return cache_tag_attach(c, e->dataset_id, e->asset_id, e->old_value, &changed, err);
}

static void status_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	static const char *const verbs[REVIEW_STATUS_COUNT] = {
	    [REVIEW_PENDING] = "reset",
	    [REVIEW_ACCEPTED] = "accept",
	    [REVIEW_REJECTED] = "reject",
	    [REVIEW_SKIPPED] = "skip",
	};
	enum review_status st;

	str_copy(what, review_status_parse(e->new_value, &st) == 0 ? verbs[st] : "review", whatsz);
}

static void attach_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	snprintf(what, whatsz, "tag +%s", e->new_value);
}

static void detach_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	snprintf(what, whatsz, "tag -%s", e->old_value);
}

static const struct undo_kind undo_kinds[] = {
    {"annotation.status", "annotation.status", status_revert, status_describe},
    {"tag.attach", "tag.detach", attach_revert, attach_describe},
    {"tag.detach", "tag.attach", detach_revert, detach_describe},
};

static const struct undo_kind *undo_kind_find(const char *op)
{
	for (size_t i = 0; i < sizeof undo_kinds / sizeof undo_kinds[0]; i++)
		if (strcmp(undo_kinds[i].op, op) == 0)
			return &undo_kinds[i];
	return NULL;
}

static void entry_read(sqlite3_stmt *st, struct edit_entry *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->asset_id = sqlite3_column_int64(st, 1);
	str_copy(e->op, cache_db_text(st, 2), sizeof e->op);
	e->has_old = sqlite3_column_type(st, 3) != SQLITE_NULL;
	e->has_new = sqlite3_column_type(st, 4) != SQLITE_NULL;
	str_copy(e->old_value, cache_db_text(st, 3), sizeof e->old_value);
	str_copy(e->new_value, cache_db_text(st, 4), sizeof e->new_value);
	e->outbox_id = sqlite3_column_int64(st, 5);
	str_copy(e->state, cache_db_text(st, 6), sizeof e->state);
}

/* 1 with *e filled, 0 when every edit of the dataset is undone, -1 on failure. */
static int edit_newest(struct cache *c, int64_t dataset_id, struct edit_entry *e, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(e, 0, sizeof *e);
	if (cache_db_prepare(c, sql_edit_newest, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(c, err, "reading the edit log");
		goto out;
	}
	rc = step == SQLITE_ROW;
	if (rc)
		entry_read(st, e);
	e->dataset_id = dataset_id;
out:
	sqlite3_finalize(st);
	return rc;
}

static int run_ids(struct cache *c, const char *sql, int64_t a, int64_t b, struct err *err,
                   const char *doing)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (cache_db_prepare(c, sql, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, a);
	if (b != 0)
		sqlite3_bind_int64(st, 2, b);
	rc = cache_db_run(c, st, err, doing);
out:
	sqlite3_finalize(st);
	return rc;
}

/* Takes the edit back from the outbox, or queues its opposite when it has left already.
 * *undo_outbox_id is the opposite's entry (0 when none was needed). */
static int outbox_withdraw(struct cache *c, const struct edit_entry *e, const struct undo_kind *k,
                           int64_t *undo_outbox_id, struct err *err)
{
	struct cache_change opposite = {
	    .dataset_id = e->dataset_id,
	    .asset_id = e->asset_id,
	    .op = k->inverse,
	    .old_value = e->has_new ? e->new_value : NULL,
	    .new_value = e->has_old ? e->old_value : NULL,
	};

	*undo_outbox_id = 0;
	/* a conflicting entry never applied on the source either: withdrawing it is enough */
	if (strcmp(e->state, "pending") == 0 || strcmp(e->state, "conflict") == 0)
		return run_ids(c, sql_outbox_delete, e->outbox_id, 0, err,
		               "withdrawing the change from the outbox");
	return cache_outbox_append(c, &opposite, undo_outbox_id, err);
}

static int undo_one(struct cache *c, const struct edit_entry *e, char *what, size_t whatsz,
                    struct err *err)
{
	const struct undo_kind *k = undo_kind_find(e->op);
	int64_t undo_outbox_id = 0;

	if (k == NULL)
		return err_set(err, "undo: this annotty cannot undo '%s'", e->op);
	if (k->revert(c, e, err) < 0 || outbox_withdraw(c, e, k, &undo_outbox_id, err) < 0 ||
	    run_ids(c, sql_edit_mark_undone, e->id, undo_outbox_id, err, "recording the undo") < 0)
		return -1;
	if (what != NULL && whatsz > 0)
		k->describe(e, what, whatsz);
	return 0;
}

int cache_undo(struct cache *cache, int64_t dataset_id, int64_t *asset_id, char *what,
               size_t whatsz, struct err *err)
{
	struct edit_entry e;
	int rc = -1, found;

	*asset_id = 0;
	if (what != NULL && whatsz > 0)
		what[0] = '\0';
	if (cache_db_begin(cache, err) < 0)
		return -1;
	found = edit_newest(cache, dataset_id, &e, err);
	if (found < 0)
		goto out;
	rc = found ? undo_one(cache, &e, what, whatsz, err) : 0;
out:
	if (cache_db_end(cache, rc, err) < 0)
		return -1;
	*asset_id = found > 0 ? e.asset_id : 0;
	return 0;
}
