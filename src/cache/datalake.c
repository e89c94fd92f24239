/* A platform's datalake in the cache: its items (data) with their tags, stored page by page by
 * the sync engine and read by the datalake screens and listings. A datalake also has a row in
 * the dataset table (format 'datalake') so that its tag edits have an outbox like any
 * dataset's; listings of datasets leave those rows out. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/model.h"

#include <string.h>

static const char sql_source_find[] = "SELECT id FROM source WHERE locator = ?1";
static const char sql_source_insert[] = "INSERT INTO source (kind, locator) VALUES (?1, ?2)";
static const char sql_datalake_find[] =
    "SELECT id FROM datalake WHERE source_id = ?1 AND ext_id = ?2";
static const char sql_datalake_insert[] =
    "INSERT INTO datalake (source_id, ext_id, name) VALUES (?1, ?2, ?3)";
static const char sql_datalake_name[] = "UPDATE datalake SET name = ?2 WHERE id = ?1";
static const char sql_shadow_find[] =
    "SELECT id FROM dataset WHERE source_id = ?1 AND ext_id = ?2 AND format = 'datalake'";
static const char sql_shadow_insert[] =
    "INSERT INTO dataset (source_id, ext_id, name, format) VALUES (?1, ?2, ?3, 'datalake')";
static const char sql_next_gen[] =
    "SELECT coalesce(max(pull_gen), 0) + 1 FROM data WHERE datalake_id = ?1";
static const char sql_data_upsert[] =
    "INSERT INTO data (datalake_id, ext_id, filename, object_name, content_type, type,"
    " upload_status, width, height, extra_json, pull_gen) VALUES (?1, ?2, ?3, ?4, ?5,"
    " coalesce(?6, 'IMAGE'), ?7, ?8, ?9, ?10, ?11) ON CONFLICT (datalake_id, ext_id) DO UPDATE SET"
    " filename = excluded.filename, object_name = excluded.object_name, content_type ="
    " excluded.content_type, type = excluded.type, upload_status = excluded.upload_status,"
    " width = excluded.width, height = excluded.height, extra_json = excluded.extra_json,"
    " pull_gen = excluded.pull_gen";
static const char sql_data_id[] = "SELECT id FROM data WHERE datalake_id = ?1 AND ext_id = ?2";
/* an item whose tags the user changed and the platform has not taken yet keeps them */
static const char sql_data_unsent[] =
    "SELECT EXISTS (SELECT 1 FROM outbox WHERE entity = 'data' AND entity_id = ?1"
    " AND state IN ('pending', 'conflict'))";
static const char sql_data_tags_clear[] = "DELETE FROM data_tag WHERE data_id = ?1";
static const char sql_tag_find[] =
    "SELECT id FROM datalake_tag WHERE datalake_id = ?1 AND name = ?2";
static const char sql_tag_insert[] = "INSERT INTO datalake_tag (datalake_id, name) VALUES (?1, ?2)";
static const char sql_data_tag[] =
    "INSERT OR IGNORE INTO data_tag (data_id, tag_id) VALUES (?1, ?2)";
static const char sql_data_gone[] =
    "DELETE FROM data WHERE datalake_id = ?1 AND pull_gen < ?2 AND NOT EXISTS (SELECT 1 FROM"
    " outbox WHERE entity = 'data' AND entity_id = data.id AND state IN ('pending', 'conflict'))";

/* The row sql finds with (a, b), else the one insert makes with (a, b, c). */
static int find_or_make(struct cache *c, const char *find, const char *insert, struct db_arg a,
                        struct db_arg b, struct db_arg third, int64_t *id, struct err *err)
{
	int found = CACHE_DB_DO(c, find, id, err, "finding the datalake", a, b);

	if (found != 0)
		return found < 0 ? -1 : 0;
	if (CACHE_DB_DO(c, insert, NULL, err, "recording the datalake", a, b, third) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(c->db);
	return 0;
}

static int begin_in(struct cache *c, const char *kind, const char *locator, const char *ext_id,
                    const char *name, struct datalake_pull *out, struct err *err)
{
	int64_t source = 0, shadow = 0;
	int found =
	    CACHE_DB_DO(c, sql_source_find, &source, err, "finding the source", DB_TEXT(locator));

	if (found < 0)
		return -1;
	if (found == 0) {
		if (CACHE_DB_DO(c, sql_source_insert, NULL, err, "recording the source",
		                DB_TEXT(kind), DB_TEXT(locator)) < 0)
			return -1;
		source = sqlite3_last_insert_rowid(c->db);
	}
	if (find_or_make(c, sql_datalake_find, sql_datalake_insert, DB_INT(source), DB_TEXT(ext_id),
	                 DB_TEXT(name ? name : ""), &out->datalake_id, err) < 0 ||
	    CACHE_DB_DO(c, sql_datalake_name, NULL, err, "naming the datalake",
	                DB_INT(out->datalake_id), DB_TEXT(name ? name : "")) < 0 ||
	    find_or_make(c, sql_shadow_find, sql_shadow_insert, DB_INT(source), DB_TEXT(ext_id),
	                 DB_TEXT(name ? name : "datalake"), &shadow, err) < 0)
		return -1;
	out->dataset_id = shadow;
	return CACHE_DB_DO(c, sql_next_gen, &out->generation, err, "starting the pull",
	                   DB_INT(out->datalake_id)) < 0
	           ? -1
	           : 0;
}

int cache_datalake_begin(struct cache *c, const char *kind, const char *locator, const char *ext_id,
                         const char *name, struct datalake_pull *out, struct err *err)
{
	int rc;

	memset(out, 0, sizeof *out);
	if (ext_id == NULL)
		return err_setk(err, ERR_USAGE, "a datalake without an id");
	if (cache_db_begin(c, err) < 0)
		return -1;
	rc = begin_in(c, kind, locator, ext_id, name, out, err);
	return cache_db_end(c, rc, err);
}

static int tag_store(struct cache *c, int64_t datalake_id, int64_t data_id, const char *name,
                     struct err *err)
{
	int64_t tag = 0;

	if (find_or_make(c, sql_tag_find, sql_tag_insert, DB_INT(datalake_id), DB_TEXT(name),
	                 DB_TEXT(NULL), &tag, err) < 0)
		return -1;
	return CACHE_DB_DO(c, sql_data_tag, NULL, err, "tagging a data item", DB_INT(data_id),
	                   DB_INT(tag)) < 0
	           ? -1
	           : 0;
}

static int item_store(struct cache *c, const struct datalake_pull *p, const struct data_item *d,
                      struct err *err)
{
	int64_t id = 0, unsent = 0;

	if (CACHE_DB_DO(c, sql_data_upsert, NULL, err, "storing a data item",
	                DB_INT(p->datalake_id), DB_TEXT(d->ext_id),
	                DB_TEXT(d->filename ? d->filename : ""), DB_TEXT(d->object_name),
	                DB_TEXT(d->content_type), DB_TEXT(d->type), DB_TEXT(d->upload_status),
	                DB_INT(d->width), DB_INT(d->height), DB_TEXT(d->extra_json),
	                DB_INT(p->generation)) < 0 ||
	    CACHE_DB_DO(c, sql_data_id, &id, err, "storing a data item", DB_INT(p->datalake_id),
	                DB_TEXT(d->ext_id)) != 1 ||
	    CACHE_DB_DO(c, sql_data_unsent, &unsent, err, "reading the outbox", DB_INT(id)) < 0)
		return -1;
	if (unsent)
		return 0; /* the user's tags stay until the platform has them */
	if (CACHE_DB_DO(c, sql_data_tags_clear, NULL, err, "storing tags", DB_INT(id)) < 0)
		return -1;
	for (int i = 0; i < d->ntags; i++)
		if (d->tags[i] != NULL && tag_store(c, p->datalake_id, id, d->tags[i], err) < 0)
			return -1;
	return 0;
}

int cache_datalake_page(struct cache *c, const struct datalake_pull *p,
                        const struct data_item *items, int n, struct err *err)
{
	int rc = 0;

	if (cache_db_begin(c, err) < 0)
		return -1;
	for (int i = 0; i < n && rc == 0; i++)
		if (items[i].ext_id != NULL)
			rc = item_store(c, p, &items[i], err);
	return cache_db_end(c, rc, err);
}

int cache_datalake_finish(struct cache *c, const struct datalake_pull *p, int *removed,
                          struct err *err)
{
	if (CACHE_DB_DO(c, sql_data_gone, NULL, err, "removing items gone from the datalake",
	                DB_INT(p->datalake_id), DB_INT(p->generation)) < 0)
		return -1;
	if (removed != NULL)
		*removed = sqlite3_changes(c->db);
	return 0;
}
