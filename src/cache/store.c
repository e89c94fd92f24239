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

static const char sql_source_datasets[] =
    "SELECT d.id FROM dataset d JOIN source s ON s.id = d.source_id WHERE s.locator = ?1"
    " AND d.id > ?2 ORDER BY d.id LIMIT 1";
static const char sql_missing_images[] =
    "SELECT id, coalesce(ext_id, ''), coalesce(data_ext_id, '') FROM asset"
    " WHERE dataset_id = ?1 AND (path IS NULL OR path = '') AND id > ?2 ORDER BY id LIMIT ?3";
static const char sql_asset_path[] = "UPDATE asset SET path = ?2 WHERE id = ?1";

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
