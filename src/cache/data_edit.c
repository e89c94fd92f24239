/* Tagging a datalake's data: each edit is one transaction that changes the data's tag rows and
 * queues one outbox entry (entity "data", op tag.attach or tag.detach, the change naming the
 * data item in its "data" reference and no asset), under the datalake's own dataset row (format
 * 'datalake'), which the sync engine pushes like any dataset's outbox. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_data_target[] =
    "SELECT d.datalake_id, coalesce(d.ext_id, ''),"
    " (SELECT ds.id FROM dataset ds WHERE ds.source_id = l.source_id AND ds.ext_id = l.ext_id"
    "  AND ds.format = 'datalake')"
    " FROM data d JOIN datalake l ON l.id = d.datalake_id WHERE d.id = ?1";
static const char sql_tag_find[] =
    "SELECT id FROM datalake_tag WHERE datalake_id = ?1 AND name = ?2";
static const char sql_tag_insert[] = "INSERT INTO datalake_tag (datalake_id, name) VALUES (?1, ?2)";
static const char sql_attach[] = "INSERT OR IGNORE INTO data_tag (data_id, tag_id) VALUES (?1, ?2)";
static const char sql_detach[] = "DELETE FROM data_tag WHERE data_id = ?1 AND tag_id = ?2";

struct data_target {
	int64_t datalake_id;
	int64_t carrier; /* the datalake's dataset row: its outbox carries the entry */
	char ext_id[128];
};

static int target_load(struct cache *c, int64_t data_id, struct data_target *t, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	if (cache_db_prepare(c, sql_data_target, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, data_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		t->datalake_id = sqlite3_column_int64(st, 0);
		snprintf(t->ext_id, sizeof t->ext_id, "%s", cache_db_text(st, 1));
		t->carrier = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return err_setk(err, ERR_NOT_FOUND, "data %lld is not in the cache",
		                (long long)data_id);
	if (step != SQLITE_ROW)
		return cache_db_fail(c, err, "reading the data being tagged");
	if (t->carrier == 0)
		return err_setk(err, ERR_USAGE,
		                "the datalake has no outbox in the cache: sync it again first");
	return 0;
}

static int tag_row(struct cache *c, int64_t datalake_id, const char *tag, int create,
                   int64_t *tag_id, struct err *err)
{
	int found = CACHE_DB_DO(c, sql_tag_find, tag_id, err, "finding the data tag",
	                        DB_INT(datalake_id), DB_TEXT(tag));

	if (found != 0 || !create)
		return found < 0 ? -1 : found;
	if (CACHE_DB_DO(c, sql_tag_insert, NULL, err, "making the data tag", DB_INT(datalake_id),
	                DB_TEXT(tag)) < 0)
		return -1;
	*tag_id = sqlite3_last_insert_rowid(c->db);
	return 1;
}

static int queue(struct cache *c, int64_t data_id, const struct data_target *t, const char *tag,
                 int attach, struct err *err)
{
	struct change ch = {0};
	struct cache_entry e = {0};
	int64_t outbox_id;
	char *payload;
	int rc;

	ch.kind = attach ? CHANGE_TAG_ADD : CHANGE_TAG_REMOVE;
	ch.dataset.local = t->carrier;
	ch.data =
	    (struct change_ref){.local = data_id, .ext = t->ext_id[0] ? (char *)t->ext_id : NULL};
	ch.tag = (char *)tag; /* borrowed: ch is not cleared */
	payload = change_to_json(&ch);
	if (payload == NULL)
		return err_set(err, "queueing a data tag: out of memory");
	e.dataset_id = t->carrier;
	e.entity = "data";
	e.entity_id = data_id;
	e.op = change_kind_name(ch.kind);
	e.payload = payload;
	rc = cache_outbox_insert(c, &e, &outbox_id, err);
	free(payload);
	return rc;
}

static int data_tag_edit(struct cache *c, int64_t data_id, const char *tag_in, int attach,
                         int *changed, struct err *err)
{
	char tag[CACHE_TAG_MAX + 1];
	struct data_target t = {0};
	int64_t tag_id = 0;
	int rc = -1, found;

	*changed = 0;
	if (cache_name_normalize(tag_in, tag, CACHE_TAG_MAX, "tag", err) < 0 ||
	    cache_db_begin(c, err) < 0)
		return -1;
	if (target_load(c, data_id, &t, err) < 0 ||
	    (found = tag_row(c, t.datalake_id, tag, attach, &tag_id, err)) < 0)
		goto out;
	if (found > 0 && CACHE_DB_DO(c, attach ? sql_attach : sql_detach, NULL, err,
	                             "tagging the data", DB_INT(data_id), DB_INT(tag_id)) < 0)
		goto out;
	*changed = found > 0 && sqlite3_changes(c->db) > 0;
	rc = *changed ? queue(c, data_id, &t, tag, attach, err) : 0;
out:
	return cache_db_end(c, rc, err);
}

int cache_data_tag_add(struct cache *c, int64_t data_id, const char *tag, int *changed,
                       struct err *err)
{
	return data_tag_edit(c, data_id, tag, 1, changed, err);
}

int cache_data_tag_remove(struct cache *c, int64_t data_id, const char *tag, int *changed,
                          struct err *err)
{
	return data_tag_edit(c, data_id, tag, 0, changed, err);
}
