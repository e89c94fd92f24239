/* The image store: image bytes of remote assets kept as files in a folder beside the cache
 * database (images/), named by the asset's source id, and the queries the sync engine walks
 * to fill it. Local datasets keep their images where they are. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char sql_source_datasets[] =
    "SELECT d.id FROM dataset d JOIN source s ON s.id = d.source_id WHERE s.locator = ?1"
    " AND d.id > ?2 ORDER BY d.id LIMIT 1";
static const char sql_missing_images[] =
    "SELECT id, coalesce(ext_id, ''), coalesce(data_ext_id, '') FROM asset"
    " WHERE dataset_id = ?1 AND (path IS NULL OR path = '') AND id > ?2 ORDER BY id LIMIT ?3";
static const char sql_asset_path[] = "UPDATE asset SET path = ?2 WHERE id = ?1";
static const char sql_store_put[] =
    "INSERT INTO image_store (asset_id, path, bytes) VALUES (?1, ?2, ?3)"
    " ON CONFLICT (asset_id) DO UPDATE SET path = excluded.path, bytes = excluded.bytes,"
    " used_at = " CACHE_NOW;
static const char sql_store_touch[] =
    "UPDATE image_store SET used_at = " CACHE_NOW " WHERE asset_id = ?1";
static const char sql_store_total[] = "SELECT coalesce(sum(bytes), 0) FROM image_store";
static const char sql_store_oldest[] =
    "SELECT asset_id, path, bytes FROM image_store ORDER BY used_at, asset_id LIMIT 1";
static const char sql_store_drop[] = "DELETE FROM image_store WHERE asset_id = ?1";
static const char sql_store_unlink[] = "UPDATE asset SET path = NULL WHERE id = ?1";

int cache_source_datasets(struct cache *c, const char *locator, int64_t *ids, int max, int *n,
                          struct err *err)
{
	int64_t last = 0, id = 0;

	*n = 0;
	while (*n < max) {
		int found = CACHE_DB_DO(c, sql_source_datasets, &id, err, "listing the datasets",
		                        DB_TEXT(locator), DB_INT(last));

		if (found < 0)
			return -1;
		if (found == 0)
			break;
		ids[(*n)++] = last = id;
	}
	return 0;
}

int cache_image_dir(struct cache *c, char *out, size_t outsz, struct err *err)
{
	const char *db = sqlite3_db_filename(c->db, "main");
	const char *slash = db != NULL ? strrchr(db, '/') : NULL;

	if (slash == NULL)
		return err_setk(err, ERR_IO, "the cache has no folder for images");
	if ((size_t)(slash - db) + sizeof "/images" > outsz)
		return err_setk(err, ERR_TOO_LARGE, "the cache's folder name is too long");
	snprintf(out, outsz, "%.*s/images", (int)(slash - db), db);
	return paths_mkdirs(out, err);
}

int cache_images_missing(struct cache *c, int64_t dataset_id, int64_t after,
                         struct missing_image *rows, int max, int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*n = 0;
	if (cache_db_prepare(c, sql_missing_images, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int(st, 3, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		struct missing_image *m = &rows[(*n)++];

		m->asset_id = sqlite3_column_int64(st, 0);
		str_copy(m->ext_id, cache_db_text(st, 1), sizeof m->ext_id);
		str_copy(m->data_ext_id, cache_db_text(st, 2), sizeof m->data_ext_id);
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		cache_db_fail(c, err, "listing the images to fetch");
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int cache_asset_path_set(struct cache *c, int64_t asset_id, const char *path, struct err *err)
{
	return CACHE_DB_DO(c, sql_asset_path, NULL, err, "recording the image's file",
	                   DB_INT(asset_id), DB_TEXT(path)) < 0
	           ? -1
	           : 0;
}

int cache_image_stored(struct cache *c, int64_t asset_id, const char *path, int64_t bytes,
                       struct err *err)
{
	int rc;

	if (cache_db_begin(c, err) < 0)
		return -1;
	rc = cache_asset_path_set(c, asset_id, path, err);
	if (rc == 0 && CACHE_DB_DO(c, sql_store_put, NULL, err, "recording the image's file",
	                           DB_INT(asset_id), DB_TEXT(path), DB_INT(bytes)) < 0)
		rc = -1;
	return cache_db_end(c, rc, err);
}

int cache_image_touch(struct cache *c, int64_t asset_id, struct err *err)
{
	return CACHE_DB_DO(c, sql_store_touch, NULL, err, "noting the image's use",
	                   DB_INT(asset_id)) < 0
	           ? -1
	           : 0;
}

/* Drops the least recently used file: 1 when one went, 0 when the store is empty. */
static int store_drop_oldest(struct cache *c, int64_t *bytes, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t asset = 0;
	char path[4096] = "";
	int found, rc;

	if (cache_db_prepare(c, sql_store_oldest, &st, err) < 0)
		return -1;
	found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		asset = sqlite3_column_int64(st, 0);
		str_copy(path, cache_db_text(st, 1), sizeof path);
		*bytes = sqlite3_column_int64(st, 2);
	}
	sqlite3_finalize(st);
	if (!found)
		return 0;
	/* the row first: a file left over is harmless, a row naming a gone file is not */
	if (cache_db_begin(c, err) < 0)
		return -1;
	rc = CACHE_DB_DO(c, sql_store_drop, NULL, err, "forgetting an image", DB_INT(asset)) < 0 ||
	             CACHE_DB_DO(c, sql_store_unlink, NULL, err, "forgetting an image",
	                         DB_INT(asset)) < 0
	         ? -1
	         : 0;
	if (cache_db_end(c, rc, err) < 0)
		return -1;
	unlink(path);
	return 1;
}

int cache_image_store_size(struct cache *c, int64_t *bytes, struct err *err)
{
	*bytes = 0;
	return CACHE_DB_DO(c, sql_store_total, bytes, err, "sizing the image store") < 0 ? -1 : 0;
}

int cache_images_trim(struct cache *c, int64_t budget, int *removed, struct err *err)
{
	int64_t total = 0, bytes = 0;

	*removed = 0;
	if (CACHE_DB_DO(c, sql_store_total, &total, err, "sizing the image store") < 0)
		return -1;
	while (total > budget) {
		int dropped = store_drop_oldest(c, &bytes, err);

		if (dropped <= 0)
			return dropped;
		total -= bytes;
		(*removed)++;
	}
	return 0;
}
