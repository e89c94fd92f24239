/* Tests of marks and bulk edits: marks as a filter plus exceptions (counted and listed without
 * reading the rows), a bulk review and a bulk tag (one outbox entry per asset changed, one undo
 * step for all, redo too), a relabel and a delete of one label's shapes, a failure that
 * changes nothing, a cancel, an export of the marked assets, and the statistics against
 * counts made here from the rows. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "api/local/coco.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static int64_t sql_int(struct cache *c, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static int64_t outbox_count(struct cache *c, int64_t ds)
{
	return sql_int(c, "SELECT count(*) FROM outbox WHERE dataset_id = ?1", ds);
}

static void test_marks(struct cache *c, int64_t ds)
{
	struct cache_marks m = {.query = {.dataset_id = ds}};
	struct asset_query night = {.dataset_id = ds, .filter = FILTER_TAG};
	struct err err = {0};
	int64_t *ids = NULL,
	        first = sql_int(c, "SELECT min(id) FROM asset WHERE dataset_id = ?1", ds);
	int n = -1, on = -1;
	int64_t nights = sql_int(c,
	                         "SELECT count(*) FROM asset_tag t JOIN tag g ON g.id = t.tag_id"
	                         " WHERE g.dataset_id = ?1 AND g.name = 'night'",
	                         ds);

	strcpy(night.filter_text, "night");
	ok(cache_marks_count(c, &m, &n, &err) == 0 && n == 0, "no marks at first");
	ok(cache_mark_set(c, &m, first, 1, &err) == 0 &&
	       cache_mark_set(c, &m, first + 1, 1, &err) == 0,
	   "two rows marked (%s)", err.msg);
	ok(cache_mark_get(c, &m, first, &on, &err) == 0 && on == 1, "a marked row is marked");
	ok(cache_mark_get(c, &m, first + 2, &on, &err) == 0 && on == 0, "another is not");
	ok(cache_marks_count(c, &m, &n, &err) == 0 && n == 2, "two marks counted (%d)", n);
	ok(cache_mark_set(c, &m, first, 0, &err) == 0 && cache_marks_count(c, &m, &n, &err) == 0 &&
	       n == 1,
	   "unmarking one leaves one");
	ok(cache_marks_all(c, &m, &night, &err) == 0 && cache_marks_count(c, &m, &n, &err) == 0 &&
	       n == nights,
	   "* marks every row of the filter (%d of %lld)", n, (long long)nights);
	/* asset 0 has the tag night (even index): unmarking it is an exception to the filter */
	ok(cache_mark_set(c, &m, first, 0, &err) == 0 &&
	       cache_mark_set(c, &m, first + 1, 1, &err) == 0 &&
	       cache_marks_count(c, &m, &n, &err) == 0 && n == nights,
	   "one row out, one row outside the filter in: the count is the same");
	ok(cache_mark_get(c, &m, first, &on, &err) == 0 && on == 0,
	   "the row taken out is unmarked");
	ok(cache_marks_ids(c, &m, &ids, &n, &err) == 0 && n == nights && ids != NULL &&
	       ids[0] == first + 1,
	   "the ids listed are the filter's, with the exceptions");
	free(ids);
	ok(cache_marks_clear(c, &m, &err) == 0 && (m.query.dataset_id = ds, 1) &&
	       cache_marks_count(c, &m, &n, &err) == 0 && n == 0,
	   "clearing unmarks all");
}

static int progress_calls;
static int count_progress(void *ctx, int done, int total)
{
	progress_calls++;
	return ctx != NULL && done >= *(int *)ctx; /* cancel once that many are done */
}

static void test_bulk_review(struct cache *c, int64_t ds)
{
	int64_t ids[5], before = outbox_count(c, ds), asset = 0;
	struct bulk_edit e = {.op = BULK_REVIEW, .status = REVIEW_REJECTED};
	struct bulk_result r;
	struct err err = {0};
	char what[128];
	int64_t rejected_before =
	    sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1 AND status = 2", ds);

	for (int i = 0; i < 5; i++)
		ids[i] = sql_int(c,
		                 "SELECT id FROM asset WHERE dataset_id = ?1 ORDER BY id LIMIT 1"
		                 " OFFSET 10",
		                 ds) +
		         i;
	ok(cache_bulk_apply(c, ds, ids, 5, &e, count_progress, NULL, &r, &err) == 0,
	   "bulk reject (%s)", err.msg);
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1 AND status = 2", ds) -
	           rejected_before,
	       r.changed, "the assets changed are rejected now");
	ok(r.changed + r.unchanged == 5 && r.changed > 0, "each asset counted once (%d + %d)",
	   r.changed, r.unchanged);
	is_int(outbox_count(c, ds) - before, r.changed, "one outbox entry per asset changed");
	ok(progress_calls > 0, "progress was reported");
	ok(cache_undo(c, ds, &asset, what, sizeof what, &err) == 0, "one undo");
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1 AND status = 2", ds),
	       rejected_before, "takes every asset back");
	is_int(outbox_count(c, ds), before, "and withdraws every entry");
	ok(strstr(what, "reject") != NULL && (r.changed < 2 || strstr(what, "assets") != NULL),
	   "the undo says what it took back: %s", what);
	ok(cache_redo(c, ds, &asset, what, sizeof what, &err) == 0 &&
	       outbox_count(c, ds) - before == r.changed,
	   "one redo applies it all again");
	ok(cache_undo(c, ds, &asset, what, sizeof what, &err) == 0, "and undo once more");
}

static void test_bulk_tag(struct cache *c, int64_t ds)
{
	int64_t ids[40], before = outbox_count(c, ds), asset = 0;
	struct bulk_edit e = {.op = BULK_TAG_ADD, .name = "checked"};
	struct bulk_result r;
	struct err err = {0};
	int64_t many[200];
	int cut = 100, n = 0;
	char what[128];

	for (int i = 0; i < 40; i++)
		ids[n++] =
		    sql_int(c, "SELECT id FROM asset WHERE dataset_id = ?1 ORDER BY id LIMIT 1",
		            ds) +
		    i;
	ok(cache_bulk_apply(c, ds, ids, n, &e, NULL, NULL, &r, &err) == 0 && r.changed == 40,
	   "forty assets tagged (%s)", err.msg);
	is_int(outbox_count(c, ds) - before, 40, "forty entries");
	ok(cache_bulk_apply(c, ds, ids, n, &e, NULL, NULL, &r, &err) == 0 && r.changed == 0 &&
	       r.unchanged == 40,
	   "tagging again changes nothing");
	ok(cache_undo(c, ds, &asset, what, sizeof what, &err) == 0 &&
	       strcmp(what, "tag +checked on 40 assets") == 0,
	   "one undo: %s", what);
	is_int(outbox_count(c, ds), before, "every tag entry withdrawn");
	e.name = "bad\ttag\x01";
	ok(cache_bulk_apply(c, ds, ids, n, &e, NULL, NULL, &r, &err) < 0 && r.changed == 0,
	   "a tag refused: %s", err.msg);
	is_int(outbox_count(c, ds), before, "a failure changes nothing");
	e.name = "late";
	for (int i = 0; i < 200; i++)
		many[i] = ids[0] + i;
	ok(cache_bulk_apply(c, ds, many, 200, &e, count_progress, &cut, &r, &err) < 0,
	   "a cancel stops it: %s", err.msg);
	is_int(outbox_count(c, ds), before, "and leaves nothing behind");
}

static void test_bulk_labels(struct cache *c, int64_t ds)
{
	const char *count_sql = "SELECT count(*) FROM shape s JOIN label l ON l.id = s.label_id"
	                        " WHERE l.dataset_id = ?1 AND l.name = 'person'";
	int64_t persons = sql_int(c, count_sql, ds), ids[300], asset = 0;
	int64_t shapes = sql_int(c,
	                         "SELECT count(*) FROM shape s JOIN asset a ON a.id ="
	                         " s.asset_id WHERE a.dataset_id = ?1",
	                         ds);
	struct bulk_edit e = {.op = BULK_RELABEL, .name = "person", .new_name = "pedestrian"};
	struct bulk_result r;
	struct err err = {0};
	char what[128];
	int n = 0;

	for (int i = 0; i < 300; i++)
		ids[n++] = sql_int(c, "SELECT min(id) FROM asset WHERE dataset_id = ?1", ds) + i;
	ok(persons > 0, "the fixture has person shapes (%lld)", (long long)persons);
	ok(cache_bulk_apply(c, ds, ids, n, &e, NULL, NULL, &r, &err) == 0 && r.shapes == persons,
	   "every person relabelled (%d, %s)", r.shapes, err.msg);
	is_int(sql_int(c, count_sql, ds), 0, "no person is left");
	ok(cache_undo(c, ds, &asset, what, sizeof what, &err) == 0, "one undo (%s)", what);
	is_int(sql_int(c, count_sql, ds), persons, "brings them all back");
	is_int(sql_int(c,
	               "SELECT count(*) FROM label WHERE dataset_id = ?1 AND name ="
	               " 'pedestrian'",
	               ds),
	       0, "with the label it created gone");
	e.op = BULK_DELETE_LABEL;
	ok(cache_bulk_apply(c, ds, ids, n, &e, NULL, NULL, &r, &err) == 0 && r.shapes == persons,
	   "delete every person");
	is_int(sql_int(c,
	               "SELECT count(*) FROM shape s JOIN asset a ON a.id = s.asset_id WHERE"
	               " a.dataset_id = ?1",
	               ds),
	       shapes - persons, "the others stay");
	ok(cache_undo(c, ds, &asset, what, sizeof what, &err) == 0 &&
	       sql_int(c, count_sql, ds) == persons,
	   "undo brings them back");
}

static void test_stats(struct cache *c, int64_t ds)
{
	struct asset_query q = {.dataset_id = ds};
	struct cache_stats *s = calloc(1, sizeof *s);
	struct err err = {0};
	int found = 0, sum = 0;

	ok(cache_stats(c, &q, s, &err) == 0, "statistics (%s)", err.msg);
	is_int(s->assets, sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1", ds),
	       "every asset counted");
	is_int(s->status[REVIEW_ACCEPTED],
	       sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1 AND status = 1", ds),
	       "accepted counted");
	is_int(s->no_shapes,
	       sql_int(c,
	               "SELECT count(*) FROM asset a WHERE dataset_id = ?1 AND NOT EXISTS"
	               " (SELECT 1 FROM shape s WHERE s.asset_id = a.id)",
	               ds),
	       "images without shapes");
	for (int i = 0; i < s->nlabels; i++)
		if (strcmp(s->labels[i].name, "car") == 0) {
			found = 1;
			is_int(s->labels[i].images,
			       sql_int(c,
			               "SELECT count(DISTINCT s.asset_id) FROM shape s JOIN label l"
			               " ON l.id = s.label_id WHERE l.dataset_id = ?1 AND l.name ="
			               " 'car'",
			               ds),
			       "images with a car");
		}
	ok(found, "the label car is listed");
	for (int i = 0; i < CACHE_STATS_BINS; i++)
		sum += s->per_image[i];
	is_int(sum, s->assets, "the shapes-per-image bins hold every asset");
	q.filter = FILTER_TAG;
	strcpy(q.filter_text, "night");
	ok(cache_stats(c, &q, s, &err) == 0 &&
	       s->assets == sql_int(c,
	                            "SELECT count(*) FROM asset_tag t JOIN tag g ON g.id ="
	                            " t.tag_id WHERE g.dataset_id = ?1 AND g.name = 'night'",
	                            ds),
	   "per filter: the filter's rows only (%d)", s->assets);
	ok(s->ntags > 0 && strcmp(s->tags[0].name, "night") == 0 && s->tags[0].images == s->assets,
	   "every row of the filter has its tag");
	free(s);
}

static void test_export(struct cache *c, int64_t ds)
{
	char path[4096];
	struct dataset_doc *doc = NULL;
	struct err err = {0};
	int64_t ids[3];
	int written = 0;

	fixture_path(path, sizeof path, dir, "marked.json");
	for (int i = 0; i < 3; i++)
		ids[i] = sql_int(c, "SELECT min(id) FROM asset WHERE dataset_id = ?1", ds) + 2 * i;
	ok(cache_export_assets(c, ds, ids, 3, path, &written, &err) == 0 && written == 3,
	   "three marked assets exported (%s)", err.msg);
	ok(coco_read_file(path, dir, &doc, &err) == 0 && doc->nassets == 3 && doc->nlabels == 4,
	   "the file holds them and the labels");
	dataset_doc_free(&doc);
}

int main(void)
{
	struct dataset_doc *doc = fixture_doc_rich(300);
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	int64_t ds = 0;

	dir = fixture_tmpdir();
	fixture_path(path, sizeof path, dir, "bulk.db");
	if (cache_open(path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/bulk.json", "fp", doc, &ds, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	test_marks(c, ds);
	test_bulk_review(c, ds);
	test_bulk_tag(c, ds);
	test_bulk_labels(c, ds);
	test_stats(c, ds);
	test_export(c, ds);
	cache_close(&c);
	dataset_doc_free(&doc);
	fixture_rmdir(&dir);
	return done_testing();
}
