/* Read-only queries the TUI's datalake screen pages through: a platform datalake's data in
 * keyset pages by file name (with a file name filter and tag filters any-of
 * or all-of: a window over datalakes of any size, where browse.c walks them whole), and what
 * the sync worker needs to fetch one asset's image. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

static const char sql_image_ref[] =
    "SELECT coalesce(ext_id, ''), coalesce(data_ext_id, ''), coalesce(path, '') FROM asset"
    " WHERE id = ?1";
static const char sql_data_row_tags[] =
    "SELECT t.name FROM data_tag dt JOIN datalake_tag t ON t.id = dt.tag_id"
    " WHERE dt.data_id = ?1 ORDER BY t.name";
static const char sql_data_one[] =
    "SELECT id, filename, width, height, coalesce(local_path, ''), coalesce(upload_status, ''),"
    " coalesce(ext_id, '') FROM data WHERE id = ?1";

/* ---- images ------------------------------------------------------------------------------- */

int cache_asset_image_ref(struct cache *c, int64_t asset_id, struct cache_image_ref *out,
                          struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof *out);
	if (cache_db_prepare(c, sql_image_ref, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, asset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		str_copy(out->ext_id, cache_db_text(st, 0), sizeof out->ext_id);
		str_copy(out->data_ext_id, cache_db_text(st, 1), sizeof out->data_ext_id);
		out->has_file = cache_db_text(st, 2)[0] != '\0';
		rc = 0;
	} else if (step == SQLITE_DONE) {
		err_setk(err, ERR_NOT_FOUND, "asset %lld is not in the cache", (long long)asset_id);
	} else {
		cache_db_fail(c, err, "reading the asset's image");
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- datalakes ------------------------------------------------------------------------------ */

static const char sql_datalake_first[] =
    "SELECT l.id, l.name FROM datalake l JOIN source s ON s.id = l.source_id"
    " WHERE s.locator = ?1 ORDER BY l.name, l.id LIMIT 1";

int cache_datalake_first(struct cache *c, const char *locator, int64_t *datalake_id, char *name,
                         size_t namesz, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	*datalake_id = 0;
	if (cache_db_prepare(c, sql_datalake_first, &st, err) < 0)
		return -1;
	cache_db_bind_text(st, 1, locator);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		*datalake_id = sqlite3_column_int64(st, 0);
		str_copy(name, cache_db_text(st, 1), namesz);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return cache_db_fail(c, err, "finding the datalake");
	return step == SQLITE_ROW;
}

/* The WHERE clause of a data query (parameters ?1 datalake, ?2 file name, ?3.. the tags). */
static void data_where(const struct data_query *q, char *out, size_t outsz)
{
	size_t at;

	at = (size_t)snprintf(out, outsz, " d.datalake_id = ?1");
	if (q->filename[0] != '\0')
		at += (size_t)snprintf(out + at, outsz - at,
		                       " AND instr(lower(d.filename), lower(?2)) > 0");
	if (q->ntags == 0 || at >= outsz)
		return;
	at += (size_t)snprintf(out + at, outsz - at,
	                       " AND (SELECT count(DISTINCT t.name) FROM data_tag dt JOIN"
	                       " datalake_tag t ON t.id = dt.tag_id WHERE dt.data_id = d.id AND"
	                       " t.name IN (");
	for (int i = 0; i < q->ntags && at < outsz; i++)
		at += (size_t)snprintf(out + at, outsz - at, "%s?%d", i ? ", " : "", 3 + i);
	if (at < outsz)
		snprintf(out + at, outsz - at, ")) %s", q->all ? "= ?11" : ">= 1");
}

static void data_bind(sqlite3_stmt *st, const struct data_query *q)
{
	sqlite3_bind_int64(st, 1, q->datalake_id);
	cache_db_bind_text(st, 2, q->filename);
	for (int i = 0; i < q->ntags; i++)
		cache_db_bind_text(st, 3 + i, q->tags[i]);
	if (q->all && q->ntags > 0)
		sqlite3_bind_int(st, 11, q->ntags);
}

int cache_data_count(struct cache *c, const struct data_query *q, int *count, struct err *err)
{
	char where[1024], sql[1200];
	sqlite3_stmt *st = NULL;
	int step;

	*count = 0;
	if (q->ntags > DATA_QUERY_TAGS)
		return err_setk(err, ERR_USAGE, "at most %d tags in a filter", DATA_QUERY_TAGS);
	data_where(q, where, sizeof where);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM data d WHERE%s", where);
	if (cache_db_prepare(c, sql, &st, err) < 0)
		return -1;
	data_bind(st, q);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		*count = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? 0 : cache_db_fail(c, err, "counting the data");
}

/* The row's tags, comma-separated, cut to fit. */
static int data_row_tags(struct cache *c, int64_t id, char *out, size_t outsz, struct err *err)
{
	sqlite3_stmt *st = NULL;
	size_t at = 0;
	int step;

	out[0] = '\0';
	if (cache_db_prepare(c, sql_data_row_tags, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		if (at + 1 < outsz)
			at += (size_t)snprintf(out + at, outsz - at, "%s%s", at ? ", " : "",
			                       cache_db_text(st, 0));
	if (at >= outsz)
		out[outsz - 1] = '\0';
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : cache_db_fail(c, err, "reading the data's tags");
}

static void data_row_read(sqlite3_stmt *st, struct data_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	str_copy(r->filename, cache_db_text(st, 1), sizeof r->filename);
	r->width = sqlite3_column_int(st, 2);
	r->height = sqlite3_column_int(st, 3);
	str_copy(r->path, cache_db_text(st, 4), sizeof r->path);
	str_copy(r->upload_status, cache_db_text(st, 5), sizeof r->upload_status);
	str_copy(r->ext_id, cache_db_text(st, 6), sizeof r->ext_id);
}

int cache_data_page(struct cache *c, const struct data_query *q, const struct data_row *from,
                    int backward, struct data_row *rows, int max, int *n, struct err *err)
{
	char where[1024], sql[1600];
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*n = 0;
	if (q->ntags > DATA_QUERY_TAGS)
		return err_setk(err, ERR_USAGE, "at most %d tags in a filter", DATA_QUERY_TAGS);
	data_where(q, where, sizeof where);
	snprintf(sql, sizeof sql,
	         "SELECT d.id, d.filename, d.width, d.height, coalesce(d.local_path, ''),"
	         " coalesce(d.upload_status, ''), coalesce(d.ext_id, '') FROM data d WHERE%s%s"
	         " ORDER BY d.filename %s, d.id %s LIMIT ?12",
	         where,
	         from == NULL ? ""
	         : backward   ? " AND (d.filename < ?13 OR (d.filename = ?13 AND d.id < ?14))"
	                      : " AND (d.filename > ?13 OR (d.filename = ?13 AND d.id > ?14))",
	         backward ? "DESC" : "ASC", backward ? "DESC" : "ASC");
	if (cache_db_prepare(c, sql, &st, err) < 0)
		return -1;
	data_bind(st, q);
	sqlite3_bind_int(st, 12, max);
	if (from != NULL) {
		cache_db_bind_text(st, 13, from->filename);
		sqlite3_bind_int64(st, 14, from->id);
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		data_row_read(st, &rows[(*n)++]);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		cache_db_fail(c, err, "listing the data");
		goto out;
	}
	/* a backward page comes back top to bottom, as it is shown */
	for (int i = 0; backward && i < *n / 2; i++) {
		struct data_row t = rows[i];
		rows[i] = rows[*n - 1 - i];
		rows[*n - 1 - i] = t;
	}
	for (int i = 0; i < *n; i++)
		if (data_row_tags(c, rows[i].id, rows[i].tags, sizeof rows[i].tags, err) < 0)
			goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_data_get(struct cache *c, int64_t data_id, struct data_row *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	if (cache_db_prepare(c, sql_data_one, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, data_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		data_row_read(st, out);
	sqlite3_finalize(st);
	if (step == SQLITE_DONE)
		return err_setk(err, ERR_NOT_FOUND, "data %lld is not in the cache",
		                (long long)data_id);
	if (step != SQLITE_ROW)
		return cache_db_fail(c, err, "reading the data");
	return data_row_tags(c, data_id, out->tags, sizeof out->tags, err);
}
