/* A local dataset imported as a stream (a doc_sink): the reader's assets and shapes are
 * staged in temporary tables as they come, in whatever order the file has them, then stored
 * asset by asset with their shapes through the same steps as cache_import (so a re-import
 * keeps reviews, tags and unsent edits alike), all in one transaction. Memory stays bounded
 * by a batch of assets, whatever the size of the file. */
#include "cache/cache.h"
#include "cache/import_internal.h"
#include "cache/internal.h"
#include "core/doc_sink.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STORE_BATCH     512 /* assets in memory at once while storing */
#define PROGRESS_ASSETS 20000

static const char sql_stage[] =
    "CREATE TEMP TABLE IF NOT EXISTS stage_asset (idx INTEGER PRIMARY KEY, ext_id, data_ext_id,"
    " annotation_ext_id, filename, path, width, height, status, tags, extra_json);"
    "CREATE TEMP TABLE IF NOT EXISTS stage_shape (idx INTEGER, label INTEGER, kind, x, y, w, h,"
    " points, parts, text, ext_id, extra_json);"
    "DELETE FROM temp.stage_asset; DELETE FROM temp.stage_shape;";
static const char sql_unstage[] = "DROP TABLE IF EXISTS temp.stage_asset;"
                                  "DROP TABLE IF EXISTS temp.stage_shape;";
static const char sql_stage_asset[] =
    "INSERT INTO temp.stage_asset VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_stage_shape[] =
    "INSERT INTO temp.stage_shape VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
/* the index is built once every shape is in: cheaper than keeping it up to date */
static const char sql_stage_index[] = "CREATE INDEX temp.stage_shape_idx ON stage_shape(idx)";
static const char sql_assets_read[] =
    "SELECT idx, ext_id, data_ext_id, annotation_ext_id, filename, path, width, height, status,"
    " tags, extra_json FROM temp.stage_asset ORDER BY idx";
static const char sql_shapes_read[] =
    "SELECT idx, label, kind, x, y, w, h, points, parts, text, ext_id, extra_json"
    " FROM temp.stage_shape ORDER BY idx, rowid";
/* Indexes that only browsing needs: a first import of a large dataset drops them and builds
 * them once at the end (a sort each), instead of updating them row by row. */
static const char sql_browse_indexes[] =
    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN"
    " ('asset', 'shape', 'annotation', 'asset_tag') AND name NOT IN ('asset_ext', 'asset_name',"
    " 'shape_asset')";
static const char sql_cache_assets[] = "SELECT count(*) FROM asset";

struct cache_stream {
	struct import ix;
	struct cache *c;
	const struct dataset_doc *head;
	struct err *err;
	sqlite3_stmt *stage_asset;
	sqlite3_stmt *stage_shape;
	cache_stream_progress_fn progress;
	void *progress_ctx;
	int64_t assets;
	int64_t shapes;
	char **index_sql; /* the browse indexes dropped for a bulk load, to build again */
	int nindex;
	int began;
};

/* ---- staging ---------------------------------------------------------------------------- */

static int stream_head(void *ctx, const struct dataset_doc *head, struct err *err)
{
	struct cache_stream *s = ctx;

	s->head = head;
	if (cache_db_exec(s->c, sql_stage, err, "preparing the import") < 0 ||
	    cache_db_prepare(s->c, sql_stage_asset, &s->stage_asset, err) < 0 ||
	    cache_db_prepare(s->c, sql_stage_shape, &s->stage_shape, err) < 0)
		return -1;
	return 0;
}

/* The tags as one blob, each ending with a NUL. */
static int tags_blob(const struct asset *a, char **out, size_t *len)
{
	size_t n = 0, at = 0;

	*out = NULL;
	*len = 0;
	for (int i = 0; i < a->ntags; i++)
		n += a->tags[i] != NULL ? strlen(a->tags[i]) + 1 : 0;
	if (n == 0)
		return 0;
	*out = malloc(n);
	if (*out == NULL)
		return -1;
	for (int i = 0; i < a->ntags; i++) {
		if (a->tags[i] == NULL)
			continue;
		memcpy(*out + at, a->tags[i], strlen(a->tags[i]) + 1);
		at += strlen(a->tags[i]) + 1;
	}
	*len = n;
	return 0;
}

static int stream_asset(void *ctx, int index, const struct asset *a, struct err *err)
{
	struct cache_stream *s = ctx;
	sqlite3_stmt *st = s->stage_asset;
	char *tags;
	size_t ntags;

	if (tags_blob(a, &tags, &ntags) < 0)
		return err_set(err, "staging an asset: out of memory");
	sqlite3_bind_int(st, 1, index);
	cache_db_bind_text(st, 2, a->ext_id);
	cache_db_bind_text(st, 3, a->data_ext_id);
	cache_db_bind_text(st, 4, a->annotation_ext_id);
	cache_db_bind_text(st, 5, a->filename);
	cache_db_bind_text(st, 6, a->path);
	sqlite3_bind_int(st, 7, a->width);
	sqlite3_bind_int(st, 8, a->height);
	sqlite3_bind_int(st, 9, (int)a->status);
	if (tags != NULL)
		sqlite3_bind_blob(st, 10, tags, (int)ntags, free);
	else
		sqlite3_bind_null(st, 10);
	cache_db_bind_text(st, 11, a->extra_json);
	s->assets++;
	return cache_db_run(s->c, st, err, "staging an asset");
}

static int stream_shape(void *ctx, int index, const struct shape *sh, struct err *err)
{
	struct cache_stream *s = ctx;
	sqlite3_stmt *st = s->stage_shape;

	sqlite3_bind_int(st, 1, index);
	sqlite3_bind_int(st, 2, sh->label);
	if (cache_shape_bind(st, 3, sh, err) < 0)
		return -1;
	s->shapes++;
	return cache_db_run(s->c, st, err, "staging a shape");
}

static int stream_progress(void *ctx, const struct doc_progress *p)
{
	struct cache_stream *s = ctx;

	return s->progress != NULL ? s->progress(s->progress_ctx, p) : 0;
}

static const struct doc_sink stream_sink = {
    .head = stream_head,
    .asset = stream_asset,
    .shape = stream_shape,
    .progress = stream_progress,
};

const struct doc_sink *cache_stream_sink(void)
{
	return &stream_sink;
}

int cache_stream_begin(struct cache *cache, cache_stream_progress_fn progress, void *ctx,
                       struct cache_stream **out, struct err *err)
{
	struct cache_stream *s = calloc(1, sizeof *s);

	*out = NULL;
	if (s == NULL)
		return err_set(err, "importing: out of memory");
	s->c = cache;
	s->progress = progress;
	s->progress_ctx = ctx;
	if (cache_db_exec(cache, "PRAGMA cache_size = -65536; PRAGMA temp.cache_size = -32768", err,
	                  "preparing the import") < 0 ||
	    cache_db_begin(cache, err) < 0) {
		free(s);
		return -1;
	}
	s->began = 1;
	*out = s;
	return 0;
}

/* ---- dropping and building the browse indexes ------------------------------------------ */

/* Remembers each browse index's definition, then drops it. */
static int indexes_drop(struct cache_stream *s)
{
	sqlite3_stmt *st = NULL;
	char **names = NULL, drop[256];
	int rc = -1, step = SQLITE_ROW, n = 0;

	if (cache_db_prepare(s->c, sql_browse_indexes, &st, s->err) < 0)
		return -1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **grown = realloc(s->index_sql, (size_t)(n + 1) * sizeof *grown);
		char **grown_names =
		    grown != NULL ? realloc(names, (size_t)(n + 1) * sizeof *names) : NULL;

		if (grown != NULL)
			s->index_sql = grown;
		if (grown_names == NULL)
			break;
		names = grown_names;
		names[n] = strdup(cache_db_text(st, 0));
		s->index_sql[n] = strdup(cache_db_text(st, 1));
		s->nindex = ++n;
		if (names[n - 1] == NULL || s->index_sql[n - 1] == NULL)
			break;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		err_set(s->err, "preparing a bulk load: out of memory or %s",
		        sqlite3_errmsg(s->c->db));
		goto out;
	}
	rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
		rc = cache_db_exec(s->c, drop, s->err, "preparing a bulk load");
	}
out:
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int indexes_build(struct cache_stream *s)
{
	for (int i = 0; i < s->nindex; i++)
		if (cache_db_exec(s->c, s->index_sql[i], s->err, "building an index") < 0)
			return -1;
	return 0;
}

/* A bulk load is worth it when the stream brings more assets than the cache holds. */
static int bulk_wanted(struct cache_stream *s)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;

	if (s->ix.had_assets || cache_db_prepare(s->c, sql_cache_assets, &st, s->err) < 0)
		return 0;
	if (cache_db_lookup(s->c, st, &n, s->err, "counting assets") < 0)
		n = INT64_MAX;
	sqlite3_finalize(st);
	return s->assets > n;
}

/* ---- storing what was staged ------------------------------------------------------------ */

static int tags_read(sqlite3_stmt *st, int col, struct asset *a)
{
	const char *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col), at = 0;

	while (b != NULL && at < n) {
		if (asset_add_tag(a, b + at) < 0)
			return -1;
		at += (int)strlen(b + at) + 1;
	}
	return 0;
}

static int asset_read(sqlite3_stmt *st, struct asset *a)
{
	int oom = 0;

	a->ext_id = cache_db_text_dup(st, 1, &oom);
	a->data_ext_id = cache_db_text_dup(st, 2, &oom);
	a->annotation_ext_id = cache_db_text_dup(st, 3, &oom);
	a->filename = cache_db_text_dup(st, 4, &oom);
	a->path = cache_db_text_dup(st, 5, &oom);
	a->width = sqlite3_column_int(st, 6);
	a->height = sqlite3_column_int(st, 7);
	a->status = (enum review_status)sqlite3_column_int(st, 8);
	a->extra_json = cache_db_text_dup(st, 10, &oom);
	return oom || tags_read(st, 9, a) < 0 ? -1 : 0;
}

/* The shapes of asset idx from the shape cursor (at its next row, or done). */
static int shapes_read(struct cache_stream *s, sqlite3_stmt *st, int *step, int idx,
                       struct asset *a)
{
	while (*step == SQLITE_ROW && sqlite3_column_int(st, 0) <= idx) {
		if (sqlite3_column_int(st, 0) == idx) {
			struct shape *sh = asset_add_shape(a);

			if (sh == NULL)
				return err_set(s->err, "storing shapes: out of memory");
			if (cache_shape_read(st, 2, sh, s->err) < 0) {
				a->nshapes--;
				return -1;
			}
			sh->label = sqlite3_column_int(st, 1);
		}
		*step = sqlite3_step(st);
	}
	if (*step != SQLITE_ROW && *step != SQLITE_DONE)
		return cache_db_fail(s->c, s->err, "reading the staged shapes");
	return 0;
}

static int batch_store(struct cache_stream *s, struct asset *batch, const int *seqs, int n)
{
	struct dataset_doc view = *s->head;
	struct doc_progress p = {.phase = "storing", .total = s->assets, .shapes = s->shapes};
	int rc = 0;

	view.assets = batch;
	view.nassets = n;
	s->ix.doc = &view;
	for (int i = 0; i < n && rc == 0; i++)
		if (import_asset_at(&s->ix, &batch[i], seqs[i]) < 0)
			rc = err_wrap(s->err, "asset %d (%s)", seqs[i] + 1,
			              batch[i].filename ? batch[i].filename : "no name");
	if (rc == 0)
		rc = shapes_flush(&s->ix);
	s->ix.doc = s->head;
	p.done = p.assets = seqs[n - 1] + 1;
	if (rc == 0 && s->progress != NULL &&
	    (seqs[n - 1] / STORE_BATCH) % (PROGRESS_ASSETS / STORE_BATCH) == 0 &&
	    s->progress(s->progress_ctx, &p) != 0)
		rc = err_setk(s->err, ERR_RETRY, "the import was stopped");
	return rc;
}

static int store_all(struct cache_stream *s, sqlite3_stmt *assets, sqlite3_stmt *shapes)
{
	struct asset batch[STORE_BATCH];
	int seqs[STORE_BATCH], n = 0, astep, sstep, rc = 0;

	memset(batch, 0, sizeof batch);
	sstep = sqlite3_step(shapes);
	while (rc == 0 && (astep = sqlite3_step(assets)) == SQLITE_ROW) {
		seqs[n] = sqlite3_column_int(assets, 0);
		if (asset_read(assets, &batch[n]) < 0)
			rc = err_set(s->err, "storing assets: out of memory");
		else
			rc = shapes_read(s, shapes, &sstep, seqs[n], &batch[n]);
		if (rc == 0 && ++n == STORE_BATCH) {
			rc = batch_store(s, batch, seqs, n);
			for (int i = 0; i < n; i++)
				asset_clear(&batch[i]);
			n = 0;
		}
	}
	if (rc == 0 && astep != SQLITE_DONE)
		rc = cache_db_fail(s->c, s->err, "reading the staged assets");
	if (rc == 0 && n > 0)
		rc = batch_store(s, batch, seqs, n);
	for (int i = 0; i < STORE_BATCH; i++)
		asset_clear(&batch[i]);
	return rc;
}

static int store_staged(struct cache_stream *s)
{
	sqlite3_stmt *assets = NULL, *shapes = NULL;
	int rc = -1, bulk;

	if (cache_db_exec(s->c, sql_stage_index, s->err, "sorting the shapes") < 0)
		return -1;
	bulk = bulk_wanted(s);
	if (bulk && indexes_drop(s) < 0)
		return -1;
	if (cache_db_prepare(s->c, sql_assets_read, &assets, s->err) < 0 ||
	    cache_db_prepare(s->c, sql_shapes_read, &shapes, s->err) < 0)
		goto out;
	rc = store_all(s, assets, shapes);
out:
	sqlite3_finalize(assets);
	sqlite3_finalize(shapes);
	if (rc == 0)
		rc = shapes_flush(&s->ix);
	if (rc == 0)
		rc = import_remove_gone(&s->ix);
	if (rc == 0 && bulk)
		rc = indexes_build(s);
	return rc;
}

static int finish_in(struct cache_stream *s, const char *kind, const char *locator,
                     const char *fingerprint)
{
	if (s->head == NULL)
		return err_set(s->err, "importing: the reader gave no dataset");
	s->ix.c = s->c;
	s->ix.doc = s->head;
	s->ix.err = s->err;
	if (import_prepare(&s->ix) < 0 || import_source(&s->ix, kind, locator, fingerprint) < 0 ||
	    import_dataset(&s->ix) < 0 || import_labels(&s->ix) < 0)
		return -1;
	return store_staged(s);
}

int cache_stream_finish(struct cache_stream *s, int ok, const char *kind, const char *locator,
                        const char *fingerprint, int64_t *dataset_id, struct import_stats *stats,
                        struct err *err)
{
	struct err ignored;
	int rc = ok ? 0 : -1;

	if (s == NULL)
		return -1;
	s->err = err;
	sqlite3_finalize(s->stage_asset);
	sqlite3_finalize(s->stage_shape);
	s->stage_asset = s->stage_shape = NULL;
	if (rc == 0 && (kind == NULL || locator == NULL))
		rc = err_set(err, "importing a dataset: no source given");
	if (rc == 0)
		rc = finish_in(s, kind, locator, fingerprint);
	import_finish(&s->ix);
	/* on failure err holds the reason already: the rollback's message goes elsewhere */
	rc = cache_db_end(s->c, rc, rc == 0 ? err : &ignored);
	cache_db_exec(s->c, sql_unstage, &ignored, "cleaning up");
	sqlite3_exec(s->c->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	if (rc == 0 && dataset_id != NULL)
		*dataset_id = s->ix.dataset_id;
	if (rc == 0 && stats != NULL)
		*stats = s->ix.stats;
	for (int i = 0; i < s->nindex; i++)
		free(s->index_sql[i]);
	free(s->index_sql);
	free(s);
	if (rc < 0 && ok && locator != NULL)
		return err_wrap(err, "importing %s", locator);
	return rc;
}
