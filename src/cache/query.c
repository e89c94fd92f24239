/* Reading what the UI shows besides the asset list: a dataset's summary, its labels and
 * tags, and one asset in full with its shapes. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

static const char sql_dataset_get[] =
    "SELECT d.name, s.kind, s.locator,"
    " (SELECT count(*) FROM asset a WHERE a.dataset_id = d.id),"
    " (SELECT count(*) FROM label l WHERE l.dataset_id = d.id)"
    " FROM dataset d JOIN source s ON s.id = d.source_id WHERE d.id = ?1";
static const char sql_labels_list[] =
    "SELECT l.id, l.position, l.name, (SELECT count(*) FROM shape s WHERE s.label_id = l.id)"
    " FROM label l WHERE l.dataset_id = ?1 ORDER BY l.position, l.id LIMIT ?2";
static const char sql_tags_list[] =
    "SELECT g.name, count(*) AS uses FROM tag g JOIN asset_tag t ON t.tag_id = g.id"
    " WHERE g.dataset_id = ?1 GROUP BY g.id ORDER BY uses DESC, g.name LIMIT ?2";
static const char sql_asset_get[] =
    "SELECT a.dataset_id, a.filename,"
    " coalesce(a.path, (SELECT dt.local_path FROM data dt WHERE dt.id = a.data_id), ''),"
    " a.width, a.height, a.status, a.shape_count FROM asset a WHERE a.id = ?1";
static const char sql_asset_shapes[] =
    "SELECT s.kind, s.x, s.y, s.w, s.h, s.points, s.parts, s.text, s.ext_id, s.extra_json,"
    " s.id, l.position, l.name FROM shape s LEFT JOIN label l ON l.id = s.label_id"
    " WHERE s.asset_id = ?1 ORDER BY s.seq, s.id";
static const char sql_asset_tags[] =
    "SELECT g.name FROM asset_tag t JOIN tag g ON g.id = t.tag_id WHERE t.asset_id = ?1"
    " ORDER BY g.name";

int cache_dataset_get(struct cache *cache, int64_t dataset_id, struct dataset_info *out,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(out, 0, sizeof *out);
	if (cache_db_prepare(cache, sql_dataset_get, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		err_set(err, "dataset %lld is not in the cache", (long long)dataset_id);
	if (step != SQLITE_ROW) {
		if (step != SQLITE_DONE)
			cache_db_fail(cache, err, "reading a dataset");
		goto out;
	}
	out->id = dataset_id;
	str_copy(out->kind, cache_db_text(st, 1), sizeof out->kind);
	str_copy(out->locator, cache_db_text(st, 2), sizeof out->locator);
	str_copy(out->name,
	         cache_db_text(st, 0)[0] ? cache_db_text(st, 0) : path_base(out->locator),
	         sizeof out->name);
	out->asset_count = sqlite3_column_int(st, 3);
	out->label_count = sqlite3_column_int(st, 4);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_labels_list(struct cache *cache, int64_t dataset_id, struct label_row *rows, int max,
                      int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*n = 0;
	if (cache_db_prepare(cache, sql_labels_list, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int(st, 2, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		struct label_row *r = &rows[(*n)++];

		r->id = sqlite3_column_int64(st, 0);
		r->index = sqlite3_column_int(st, 1);
		str_copy(r->name, cache_db_text(st, 2), sizeof r->name);
		r->shape_count = sqlite3_column_int(st, 3);
	}
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		cache_db_fail(cache, err, "listing labels");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_tags_list(struct cache *cache, int64_t dataset_id, char (*tags)[128], int max, int *n,
                    struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*n = 0;
	if (cache_db_prepare(cache, sql_tags_list, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int(st, 2, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		str_copy(tags[(*n)++], cache_db_text(st, 0), sizeof tags[0]);
	if (step != SQLITE_DONE && step != SQLITE_ROW) {
		cache_db_fail(cache, err, "listing tags");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- one asset ------------------------------------------------------------------------- */

static int detail_head(struct cache *cache, int64_t asset_id, struct asset_detail *d,
                       struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(cache, sql_asset_get, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, asset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		err_set(err, "asset %lld is not in the cache", (long long)asset_id);
	else if (step != SQLITE_ROW)
		cache_db_fail(cache, err, "reading an asset");
	if (step != SQLITE_ROW)
		goto out;
	d->id = asset_id;
	d->dataset_id = sqlite3_column_int64(st, 0);
	str_copy(d->filename, cache_db_text(st, 1), sizeof d->filename);
	str_copy(d->path, cache_db_text(st, 2), sizeof d->path);
	d->width = sqlite3_column_int(st, 3);
	d->height = sqlite3_column_int(st, 4);
	d->status = (enum review_status)sqlite3_column_int(st, 5);
	/* the count sizes the arrays; the shape query below fills at most that many */
	d->nshapes = sqlite3_column_int(st, 6);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int detail_alloc(struct asset_detail *d, int cap, struct err *err)
{
	size_t n = cap > 0 ? (size_t)cap : 1;

	d->shapes = calloc(n, sizeof *d->shapes);
	d->shape_labels = calloc(n, sizeof *d->shape_labels);
	d->shape_ids = calloc(n, sizeof *d->shape_ids);
	if (d->shapes == NULL || d->shape_labels == NULL || d->shape_ids == NULL)
		return err_set(err, "reading an asset: out of memory");
	return 0;
}

static int detail_shapes(struct cache *cache, struct asset_detail *d, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step, cap = d->nshapes, i = 0;

	d->nshapes = 0;
	if (detail_alloc(d, cap, err) < 0 ||
	    cache_db_prepare(cache, sql_asset_shapes, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, d->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW && i < cap) {
		if (cache_shape_read(st, 0, &d->shapes[i], err) < 0)
			goto out;
		d->nshapes = ++i; /* from here the shape is the detail's to free */
		d->shape_ids[i - 1] = sqlite3_column_int64(st, CACHE_SHAPE_COLS);
		if (sqlite3_column_type(st, CACHE_SHAPE_COLS + 1) != SQLITE_NULL)
			d->shapes[i - 1].label = sqlite3_column_int(st, CACHE_SHAPE_COLS + 1);
		d->shape_labels[i - 1] = strdup(cache_db_text(st, CACHE_SHAPE_COLS + 2));
		if (d->shape_labels[i - 1] == NULL) {
			err_set(err, "reading an asset: out of memory");
			goto out;
		}
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(cache, err, "reading an asset's shapes");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int detail_tags(struct cache *cache, struct asset_detail *d, struct err *err)
{
	sqlite3_stmt *st = NULL;
	char **grown;
	int rc = -1, step;

	if (cache_db_prepare(cache, sql_asset_tags, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, d->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		grown = realloc(d->tags, (size_t)(d->ntags + 1) * sizeof *d->tags);
		if (grown == NULL)
			break;
		d->tags = grown;
		d->tags[d->ntags] = strdup(cache_db_text(st, 0));
		if (d->tags[d->ntags] == NULL)
			break;
		d->ntags++;
	}
	if (step == SQLITE_ROW) {
		err_set(err, "reading an asset's tags: out of memory");
		goto out;
	}
	if (step != SQLITE_DONE) {
		cache_db_fail(cache, err, "reading an asset's tags");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_asset_get(struct cache *cache, int64_t asset_id, struct asset_detail *out,
                    struct err *err)
{
	int rc = -1;

	memset(out, 0, sizeof *out);
	/* one read transaction: the shape count and the shapes come from the same snapshot even
	 * while another connection writes */
	if (cache_db_exec(cache, "BEGIN", err, "reading an asset") < 0)
		return -1;
	if (detail_head(cache, asset_id, out, err) < 0 || detail_shapes(cache, out, err) < 0 ||
	    detail_tags(cache, out, err) < 0 || cache_detail_keypoints(cache, out, err) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_exec(cache->db, "COMMIT", NULL, NULL, NULL);
	if (rc < 0)
		cache_asset_detail_free(out);
	return rc;
}

void cache_asset_detail_free(struct asset_detail *d)
{
	for (int i = 0; i < d->nshapes; i++) {
		shape_clear(&d->shapes[i]);
		free(d->shape_labels[i]);
	}
	for (int i = 0; i < d->ntags; i++)
		free(d->tags[i]);
	free(d->shapes);
	free(d->shape_labels);
	free(d->shape_ids);
	free(d->tags);
	free(d->keypoints);
	free(d->keypoint_shape);
	free(d->keypoint_links);
	memset(d, 0, sizeof *d);
}
