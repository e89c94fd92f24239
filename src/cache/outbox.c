/* The outbox (edits waiting to reach the source, replayed in id order) and the edit log that
 * undo walks back through. Entries are written inside the edit's own transaction. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IDEM_KEY_BYTES 16

static const char sql_edit_target[] =
    "SELECT a.ext_id, n.id, n.ext_id, n.base_rev, a.base_rev FROM asset a"
    " LEFT JOIN annotation n ON n.asset_id = a.id WHERE a.id = ?1";
static const char sql_outbox_insert[] =
    "INSERT INTO outbox (dataset_id, entity, entity_id, op, payload, idem_key, base_rev)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_edit_log_insert[] =
    "INSERT INTO edit_log (dataset_id, asset_id, op, old_value, new_value, outbox_id, shape_id,"
    " label_id, session, batch) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
/* the chain of this run (and of runs before runs were recorded): another process's redo chain
 * is its own */
static const char sql_redo_chain_end[] =
    "UPDATE edit_log SET undone = 2 WHERE dataset_id = ?1 AND undone = 1"
    " AND (session IS NULL OR session = ?2)";
static const char sql_outbox_pending[] =
    "SELECT count(*) FROM outbox WHERE dataset_id = ?1 AND state = 'pending'";
static const char sql_outbox_mark_pushed[] =
    "UPDATE outbox SET state = 'pushed', pushed_at = CAST(strftime('%s', 'now') AS INTEGER)"
    " WHERE dataset_id = ?1 AND state = 'pending' AND id <= ?2";
static const char sql_outbox_last[] =
    "SELECT coalesce(max(id), 0) FROM outbox WHERE dataset_id = ?1 AND state = 'pending'";

/* How each operation is addressed: the object it changes, and the payload key of its value. */
struct op_kind {
	const char *op;
	int on_annotation; /* else on the asset */
	const char *value_key;
};

static const struct op_kind op_kinds[] = {
    {"annotation.status", 1, "status"},
    {"tag.attach", 0, "tag"},
    {"tag.detach", 0, "tag"},
};

static const struct op_kind *op_find(const char *op)
{
	for (size_t i = 0; i < sizeof op_kinds / sizeof op_kinds[0]; i++)
		if (strcmp(op_kinds[i].op, op) == 0)
			return &op_kinds[i];
	return NULL;
}

/* What the replay needs to address the change on the source. */
struct edit_target {
	char *asset_ext_id;
	int64_t annotation_id;
	char *annotation_ext_id;
	int64_t annotation_rev;
	int64_t asset_rev;
};

static void edit_target_clear(struct edit_target *t)
{
	free(t->asset_ext_id);
	free(t->annotation_ext_id);
	memset(t, 0, sizeof *t);
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? NULL : strdup(cache_db_text(st, col));
}

static int edit_target_load(struct cache *c, int64_t asset_id, struct edit_target *t,
                            struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_edit_target, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, asset_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		if (step == SQLITE_DONE)
			err_set(err, "asset %lld is not in the cache", (long long)asset_id);
		else
			cache_db_fail(c, err, "reading the asset being edited");
		goto out;
	}
	t->asset_ext_id = column_dup(st, 0);
	t->annotation_id = sqlite3_column_int64(st, 1);
	t->annotation_ext_id = column_dup(st, 2);
	t->annotation_rev = sqlite3_column_int64(st, 3);
	t->asset_rev = sqlite3_column_int64(st, 4);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* 128 random bits: the source recognises a replayed entry by this key and applies it once. */
static int idem_key_make(char *out, size_t outsz, struct err *err)
{
	unsigned char raw[IDEM_KEY_BYTES];
	ssize_t got = -1;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		got = read(fd, raw, sizeof raw);
		close(fd);
	}
	if (got != (ssize_t)sizeof raw || outsz < 2 * sizeof raw + 1)
		return err_set(err, "making an idempotency key: cannot read /dev/urandom");
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

/* The change as the outbox keeps it (core/change.h): the asset and its annotation by their ids
 * here and on the source, the status with the one it replaced, or the tag. */
static char *payload_make(const struct cache_change *ch, const struct op_kind *k,
                          const struct edit_target *t)
{
	const char *value = ch->new_value != NULL ? ch->new_value : ch->old_value;
	struct change c = {0};

	if (change_kind_parse(ch->op, &c.kind) < 0)
		return NULL;
	c.dataset.local = ch->dataset_id;
	c.asset = (struct change_ref){.local = ch->asset_id, .ext = t->asset_ext_id};
	if (k->on_annotation) {
		c.annotation =
		    (struct change_ref){.local = t->annotation_id, .ext = t->annotation_ext_id};
		if (review_status_parse(value != NULL ? value : "", &c.status) < 0)
			return NULL;
		if (ch->old_value != NULL && review_status_parse(ch->old_value, &c.base_status) < 0)
			c.base_status = REVIEW_PENDING;
	} else {
		c.tag = (char *)value; /* borrowed: c is not cleared */
	}
	return change_to_json(&c);
}

int cache_outbox_insert(struct cache *c, const struct cache_entry *e, int64_t *outbox_id,
                        struct err *err)
{
	char key[2 * IDEM_KEY_BYTES + 1];
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (idem_key_make(key, sizeof key, err) < 0 ||
	    cache_db_prepare(c, sql_outbox_insert, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, e->dataset_id);
	cache_db_bind_text(st, 2, e->entity);
	sqlite3_bind_int64(st, 3, e->entity_id);
	cache_db_bind_text(st, 4, e->op);
	cache_db_bind_text(st, 5, e->payload);
	cache_db_bind_text(st, 6, key);
	sqlite3_bind_int64(st, 7, e->base_rev);
	if (cache_db_run(c, st, err, "queueing the change in the outbox") < 0)
		goto out;
	*outbox_id = sqlite3_last_insert_rowid(c->db);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_outbox_append(struct cache *c, const struct cache_change *ch, int64_t *outbox_id,
                        struct err *err)
{
	const struct op_kind *k = op_find(ch->op);
	struct cache_entry entry = {0};
	struct edit_target t = {0};
	char *payload = NULL;
	int rc = -1;

	if (k == NULL)
		return err_set(err, "queueing a change: unknown operation %s", ch->op);
	if (edit_target_load(c, ch->asset_id, &t, err) < 0)
		goto out;
	payload = payload_make(ch, k, &t);
	if (payload == NULL) {
		err_set(err, "queueing a change: out of memory or a damaged value");
		goto out;
	}
	entry.dataset_id = ch->dataset_id;
	entry.entity = k->on_annotation ? "annotation" : "asset";
	entry.entity_id = k->on_annotation ? t.annotation_id : ch->asset_id;
	entry.op = ch->op;
	entry.payload = payload;
	entry.base_rev = k->on_annotation ? t.annotation_rev : t.asset_rev;
	rc = cache_outbox_insert(c, &entry, outbox_id, err);
out:
	free(payload);
	edit_target_clear(&t);
	return rc;
}

/* Binds an id, or NULL for 0 (no such row). */
static void bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
	if (id != 0)
		sqlite3_bind_int64(st, idx, id);
	else
		sqlite3_bind_null(st, idx);
}

int cache_edit_log_append(struct cache *c, const struct cache_change *ch, int64_t outbox_id,
                          struct err *err)
{
	const char *run = cache_run_id(c, err);
	sqlite3_stmt *st = NULL;
	int rc = -1;

	/* an editor's rule: once something new is done, what was undone cannot come back */
	if (run == NULL || cache_db_prepare(c, sql_redo_chain_end, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ch->dataset_id);
	cache_db_bind_text(st, 2, run);
	if (cache_db_run(c, st, err, "ending the redo chain") < 0)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (cache_db_prepare(c, sql_edit_log_insert, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ch->dataset_id);
	bind_id(st, 2, ch->asset_id);
	cache_db_bind_text(st, 3, ch->op);
	cache_db_bind_text(st, 4, ch->old_value);
	cache_db_bind_text(st, 5, ch->new_value);
	bind_id(st, 6, outbox_id);
	bind_id(st, 7, ch->shape_id);
	bind_id(st, 8, ch->label_id);
	cache_db_bind_text(st, 9, run);
	bind_id(st, 10, c->batch); /* one undo step for the whole of a bulk edit */
	rc = cache_db_run(c, st, err, "recording the change for undo");
out:
	sqlite3_finalize(st);
	return rc;
}

static int dataset_statement(struct cache *cache, const char *sql, int64_t dataset_id, int *count,
                             struct err *err, const char *doing)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(cache, sql, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(cache, err, doing);
		goto out;
	}
	if (count != NULL)
		*count =
		    step == SQLITE_ROW ? sqlite3_column_int(st, 0) : sqlite3_changes(cache->db);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_outbox_pending(struct cache *cache, int64_t dataset_id, int *count, struct err *err)
{
	*count = 0;
	return dataset_statement(cache, sql_outbox_pending, dataset_id, count, err,
	                         "counting pending changes");
}

int cache_outbox_last_pending(struct cache *cache, int64_t dataset_id, int64_t *id, struct err *err)
{
	int n = 0;

	if (dataset_statement(cache, sql_outbox_last, dataset_id, &n, err, "reading the outbox") <
	    0)
		return -1;
	*id = n;
	return 0;
}

int cache_outbox_mark_pushed_upto(struct cache *cache, int64_t dataset_id, int64_t upto, int *count,
                                  struct err *err)
{
	if (CACHE_DB_DO(cache, sql_outbox_mark_pushed, NULL, err, "marking changes as saved",
	                DB_INT(dataset_id), DB_INT(upto)) < 0)
		return -1;
	if (count != NULL)
		*count = sqlite3_changes(cache->db);
	return 0;
}

int cache_outbox_mark_pushed(struct cache *cache, int64_t dataset_id, int *count, struct err *err)
{
	return cache_outbox_mark_pushed_upto(cache, dataset_id, INT64_MAX, count, err);
}
