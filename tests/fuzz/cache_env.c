/* The fuzz targets' cache (see cache_env.h): imported once, copied back over the working
 * database before each input with SQLite's backup, which costs a few pages. */
#include "cache_env.h"

#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/model.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

static struct fuzz_cache env;
static sqlite3 *pristine;

/* Each shape is filled before the next is added: adding one may move the others. */
static void env_shapes(struct asset *a)
{
	struct shape *s = asset_add_shape(a);

	s->kind = SHAPE_BOX;
	s->box = (struct rect){10, 10, 100, 100};
	s->ext_id = strdup("1");
	s->extra_json = strdup("{\"keypoints\":[10,20,2,30,40,2,50,60,1],\"num_keypoints\":3}");
	s = asset_add_shape(a);
	s->kind = SHAPE_POLYGON;
	s->label = -1;
	shape_add_point(s, 1, 1);
	shape_add_point(s, 9, 1);
	shape_add_point(s, 5, 9);
	shape_end_part(s);
	shape_update_bounds(s);
	s = asset_add_shape(a);
	s->kind = SHAPE_POINT;
	s->label = -1;
	shape_add_point(s, 3, 4);
	shape_update_bounds(s);
}

static struct dataset_doc *env_doc(void)
{
	struct dataset_doc *doc = dataset_doc_new();
	struct label *l = dataset_doc_add_label(doc);
	struct asset *a = dataset_doc_add_asset(doc);

	doc->name = strdup("fuzz");
	doc->format = strdup("coco");
	doc->extra_json = strdup("{\"info\":{\"description\":\"fuzz\"},\"licenses\":[]}");
	l->name = strdup("person");
	l->ext_id = strdup("1");
	l->extra_json = strdup("{\"skeleton\":[[1,2],[2,3]],\"keypoints\":[\"a\",\"b\",\"c\"]}");
	a->ext_id = strdup("1");
	a->filename = strdup("a.jpg");
	a->width = 640;
	a->height = 480;
	asset_add_tag(a, "night");
	env_shapes(a);
	return doc;
}

static int env_ids(struct err *err)
{
	struct asset_detail d;
	sqlite3_stmt *st = NULL;

	if (cache_asset_get(env.c, env.asset_id, &d, err) < 0)
		return -1;
	env.shape_id = d.shape_ids[0];
	cache_asset_detail_free(&d);
	if (cache_db_prepare(env.c, "SELECT id FROM label", &st, err) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		env.label_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return env.label_id > 0 ? 0 : err_set(err, "the fuzz cache has no label");
}

static int env_make(struct err *err)
{
	struct dataset_doc *doc = env_doc();
	struct asset_query q = {0};
	struct asset_row row;
	int n = 0, rc = -1;

	if (cache_open(":memory:", &env.c, err) < 0 ||
	    cache_import(env.c, "coco", "/fuzz/annotations.json", "fp", doc, &env.dataset_id, NULL,
	                 err) < 0)
		goto out;
	q.dataset_id = env.dataset_id;
	if (cache_assets_page(env.c, &q, NULL, 0, &row, 1, &n, err) < 0 || n != 1)
		goto out;
	env.asset_id = row.id;
	if (env_ids(err) < 0)
		goto out;
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		goto out;
	rc = 0;
out:
	dataset_doc_free(&doc);
	return rc;
}

/* Copies the database of from over the one of to. */
static int env_copy(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (b == NULL)
		return -1;
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct fuzz_cache *fuzz_cache_reset(struct err *err)
{
	if (env.c == NULL) {
		if (env_make(err) < 0 || env_copy(pristine, env.c->db) < 0) {
			err_set(err, "the fuzz cache cannot be made: %s", err->msg);
			return NULL;
		}
		return &env;
	}
	if (env_copy(env.c->db, pristine) < 0) {
		err_set(err, "the fuzz cache cannot be reset");
		return NULL;
	}
	return &env;
}
