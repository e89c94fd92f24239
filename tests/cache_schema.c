/* Tests of the cache's database: schema version and tables, connection settings, refusing a
 * newer cache, migrating an older one, the indexes behind every list query, and clear error
 * messages. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static char *dir;

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void query_text(sqlite3 *db, const char *sql, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int has_object(sqlite3 *db, const char *type, const char *name)
{
	char sql[256];

	snprintf(sql, sizeof sql,
	         "SELECT count(*) FROM sqlite_master WHERE type = '%s' AND name = '%s'", type,
	         name);
	return query_int(db, sql) == 1;
}

static void test_new_cache(void)
{
	static const char *const tables[] = {
	    "source",       "sync_state", "app_user",   "datalake",        "data",
	    "datalake_tag", "data_tag",   "dataset",    "dataset_version", "label",
	    "tag",          "asset",      "asset_tag",  "annotation",      "shape",
	    "campaign",     "step",       "assignment", "outbox",          "edit_log",
	};
	static const char *const indexes[] = {
	    "asset_filename", "asset_status", "asset_shapes", "asset_size",   "asset_tag_tag",
	    "shape_asset",    "shape_label",  "label_name",   "outbox_state", "edit_log_dataset",
	};
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096], mode[32];
	int missing = 0;

	fixture_path(path, sizeof path, dir, "new.db");
	ok(cache_open(path, &c, &err) == 0, "a new cache opens (%s)", err.msg);
	is_int(cache_schema_version(c), CACHE_SCHEMA_VERSION, "schema version is current");
	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
		if (!has_object(c->db, "table", tables[i])) {
			printf("# missing table %s\n", tables[i]);
			missing++;
		}
	is_int(missing, 0, "every table exists");
	missing = 0;
	for (size_t i = 0; i < sizeof indexes / sizeof indexes[0]; i++)
		if (!has_object(c->db, "index", indexes[i])) {
			printf("# missing index %s\n", indexes[i]);
			missing++;
		}
	is_int(missing, 0, "the list indexes exist");
	query_text(c->db, "PRAGMA journal_mode", mode, sizeof mode);
	is_str(mode, "wal", "journal mode is WAL");
	is_int(query_int(c->db, "PRAGMA foreign_keys"), 1, "foreign keys are enforced");
	is_int(query_int(c->db, "PRAGMA synchronous"), 1, "synchronous is NORMAL");
	ok(query_int(c->db, "PRAGMA busy_timeout") > 0, "a busy timeout is set");
	is_int(query_int(c->db, "PRAGMA foreign_key_check"), -1, "no foreign key violations");
	cache_close(&c);
	ok(c == NULL, "close clears the handle");
	ok(cache_open(path, &c, &err) == 0 && cache_schema_version(c) == CACHE_SCHEMA_VERSION,
	   "reopening keeps the version");
	cache_close(&c);
}

static void test_newer_refused(void)
{
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	sqlite3 *db = NULL;

	fixture_path(path, sizeof path, dir, "newer.db");
	sqlite3_open(path, &db);
	sqlite3_exec(db, "CREATE TABLE future (x); PRAGMA user_version = 99", NULL, NULL, NULL);
	sqlite3_close(db);
	ok(cache_open(path, &c, &err) < 0 && c == NULL, "a newer cache is refused");
	ok(strstr(err.msg, "this cache was written by a newer annotty") != NULL,
	   "with a message saying why: %s", err.msg);
	db = NULL;
	sqlite3_open(path, &db);
	is_int(query_int(db, "PRAGMA user_version"), 99, "the newer cache is left alone");
	sqlite3_close(db);

	fixture_path(path, sizeof path, dir, "garbage.db");
	FILE *f = fopen(path, "w");
	fputs("this is not a database, not even close; just some text long enough.......\n"
	      "................................................................................\n",
	      f);
	fclose(f);
	err.msg[0] = '\0';
	ok(cache_open(path, &c, &err) < 0 && strstr(err.msg, path) != NULL,
	   "a file that is not a database is refused: %s", err.msg);
}

/* A cache as the first release wrote it, with a few rows in it. */
static const char v1_rows[] =
    "INSERT INTO source (id, kind, locator) VALUES (1, 'coco', '/v1.json');"
    "INSERT INTO dataset (id, source_id, name) VALUES (1, 1, 'v1');"
    "INSERT INTO dataset_version (id, dataset_id, name) VALUES (1, 1, 'local');"
    "INSERT INTO label (id, dataset_id, name, position) VALUES (1, 1, 'car', 0);"
    "INSERT INTO asset (id, dataset_id, version_id, ext_id, filename, width, height, status,"
    " shape_count) VALUES (1, 1, 1, '1', 'a.jpg', 100, 80, 1, 3);"
    "INSERT INTO annotation (id, asset_id, status) VALUES (1, 1, 1);"
    "INSERT INTO shape (id, asset_id, annotation_id, seq, label_id, kind, x, y, w, h, ext_id)"
    " VALUES (1, 1, 1, 0, 1, 0, 1, 2, 3, 4, 's1'), (2, 1, 1, 1, NULL, 0, 5, 6, 7, 8, 's2'),"
    " (7, 1, 1, 2, 1, 0, 9, 9, 9, 9, 's7');"
    "INSERT INTO outbox (id, dataset_id, entity, entity_id, op, payload, idem_key)"
    " VALUES (1, 1, 'annotation', 1, 'annotation.status', '{\"status\":\"accepted\"}', 'k1');"
    "INSERT INTO edit_log (id, dataset_id, asset_id, op, old_value, new_value, outbox_id)"
    " VALUES (1, 1, 1, 'annotation.status', 'pending', 'accepted', 1);"
    "PRAGMA user_version = 1;";

static void test_migrate_v1(void)
{
	struct shape s = {.kind = SHAPE_BOX, .label = 0, .box = {1, 1, 2, 2}};
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096], what[64] = "";
	int64_t id = 0, touched = 0;
	sqlite3 *db = NULL;
	int rc = SQLITE_OK;

	fixture_path(path, sizeof path, dir, "v1.db");
	sqlite3_open(path, &db);
	for (int i = 0; rc == SQLITE_OK && cache_schema_script(0, i) != NULL; i++)
		rc = sqlite3_exec(db, cache_schema_script(0, i), NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, v1_rows, NULL, NULL, NULL);
	ok(rc == SQLITE_OK, "a version 1 cache is made (%s)", sqlite3_errmsg(db));
	sqlite3_close(db);

	ok(cache_open(path, &c, &err) == 0, "it opens (%s)", err.msg);
	if (c == NULL)
		return;
	is_int(cache_schema_version(c), CACHE_SCHEMA_VERSION, "migrated to the current version");
	is_int(query_int(c->db,
	                 "SELECT count(*) FROM shape WHERE (id = 1 AND seq = 0 AND ext_id ="
	                 " 's1' AND label_id = 1) OR (id = 2 AND x = 5) OR (id = 7 AND seq = 2)"),
	       3, "every shape kept its id, place and columns");
	ok(has_object(c->db, "index", "shape_asset") && has_object(c->db, "index", "shape_label") &&
	       has_object(c->db, "index", "edit_log_dataset"),
	   "the indexes are there again");
	is_int(query_int(c->db, "SELECT \"notnull\" FROM pragma_table_info('edit_log')"
	                        " WHERE name = 'asset_id'"),
	       0, "a label edit may have no asset");
	is_int(query_int(c->db, "PRAGMA foreign_key_check"), -1, "no foreign key violations");
	sqlite3_exec(c->db, "DELETE FROM shape WHERE id = 7", NULL, NULL, NULL);
	ok(cache_shape_create(c, 1, &s, &id, &err) == 0 && id == 8,
	   "a deleted shape's id is not handed out again (%lld)", (long long)id);
	cache_undo(c, 1, &touched, what, sizeof what, &err);
	ok(strcmp(what, "new box") == 0 && query_int(c->db, "SELECT count(*) FROM shape") == 2,
	   "undo takes the new shape back");
	cache_undo(c, 1, &touched, what, sizeof what, &err);
	ok(touched == 1 && strcmp(what, "accept") == 0 &&
	       query_int(c->db, "SELECT status FROM asset WHERE id = 1") == REVIEW_PENDING,
	   "an edit logged by version 1 still undoes");
	cache_redo(c, 1, &touched, what, sizeof what, &err);
	ok(strcmp(what, "accept") == 0 &&
	       query_int(c->db, "SELECT status FROM asset WHERE id = 1") == REVIEW_ACCEPTED,
	   "and redoes");
	cache_close(&c);
}

static struct dataset_doc *small_doc(int n)
{
	return fixture_doc_rich(n);
}

/* The list statements of one call, caught as they run. */
static char traced[8][4096];
static int ntraced;

static int trace_list(unsigned type, void *ctx, void *p, void *x)
{
	const char *sql = sqlite3_sql(p);

	(void)type;
	(void)ctx;
	(void)x;
	if (sql != NULL && ntraced < 8 &&
	    (strncmp(sql, "SELECT a.id", 11) == 0 || strncmp(sql, "SELECT count", 12) == 0))
		snprintf(traced[ntraced++], sizeof traced[0], "%s", sql);
	return 0;
}

/* 1 when the plan walks an index over the assets, narrowed to the cursor when there is one,
 * and sorts nothing itself. */
static int plan_is_indexed(sqlite3 *db, const char *sql, char *plan, size_t plansz)
{
	char eqp[4200];
	sqlite3_stmt *st = NULL;
	size_t at = 0;
	int indexed = 0, sorts = 0, keyset = strstr(sql, ":key") != NULL;

	snprintf(eqp, sizeof eqp, "EXPLAIN QUERY PLAN %s", sql);
	plan[0] = '\0';
	if (sqlite3_prepare_v2(db, eqp, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 3);
		int top = sqlite3_column_int(st, 1) == 0;

		at += (size_t)snprintf(plan + at, at < plansz ? plansz - at : 0, "%s; ", row);
		if (at >= plansz)
			at = plansz - 1;
		if (top && strncmp(row, "SEARCH a USING", 14) == 0)
			indexed = !keyset || strstr(row, "(dataset_id=?)") == NULL;
		/* the tag list of each row is sorted in its own tiny subquery; that is fine */
		if (top && strstr(row, "TEMP B-TREE") != NULL)
			sorts = 1;
	}
	sqlite3_finalize(st);
	return indexed && !sorts;
}

/* Checks the plans of the statements traced since the last call. */
static int traced_plans_bad(sqlite3 *db, const char *what, int sort, int filter)
{
	char plan[2048];
	int bad = 0;

	for (int i = 0; i < ntraced; i++)
		if (!plan_is_indexed(db, traced[i], plan, sizeof plan)) {
			printf("# %s, sort %d filter %d: %s\n", what, sort, filter, plan);
			bad++;
		}
	ntraced = 0;
	return bad;
}

static void test_plans(void)
{
	struct dataset_doc *doc = small_doc(50);
	struct asset_row rows[10];
	struct asset_cursor cur = {0};
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	int64_t ds = 0;
	int n, bad = 0, count;

	fixture_path(path, sizeof path, dir, "plans.db");
	cache_open(path, &c, &err);
	ok(cache_import(c, "coco", "/plans.json", "fp", doc, &ds, NULL, &err) == 0, "import (%s)",
	   err.msg);
	sqlite3_trace_v2(c->db, SQLITE_TRACE_STMT, trace_list, NULL);
	for (int sort = 0; sort < SORT_COUNT; sort++) {
		for (int filter = FILTER_NONE; filter <= FILTER_STATUS; filter++) {
			struct asset_query q = {.dataset_id = ds, .sort = sort, .filter = filter};

			snprintf(q.filter_text, sizeof q.filter_text, "%s",
			         filter == FILTER_STATUS ? "accepted" : "night");
			cur.valid = 0;
			ntraced = 0;
			cache_assets_page(c, &q, &cur, 0, rows, 10, &n, &err);
			bad += traced_plans_bad(c->db, "first page", sort, filter);
			cur = rows[n > 0 ? n - 1 : 0].cursor;
			cache_assets_page(c, &q, &cur, 1, rows, 10, &n, &err);
			bad += traced_plans_bad(c->db, "page", sort, filter);
			cache_assets_position(c, &q, &cur, &count, &err);
			bad += traced_plans_bad(c->db, "position", sort, filter);
		}
	}
	is_int(bad, 0, "every page and position query walks an index from the cursor, unsorted");
	sqlite3_trace_v2(c->db, 0, NULL, NULL);
	cache_close(&c);
	dataset_doc_free(&doc);
}

static void test_errors(void)
{
	struct dataset_doc *doc = small_doc(20), *big = fixture_doc_rich(3000);
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	sqlite3 *other = NULL;
	int64_t ds = 0;
	int pending = -1;

	fixture_path(path, sizeof path, dir, "errors.db");
	cache_open(path, &c, &err);
	cache_import(c, "coco", "/errors.json", "fp", doc, &ds, NULL, &err);
	sqlite3_open(path, &other);
	sqlite3_busy_timeout(c->db, 0); /* fail at once instead of after the usual wait */
	ok(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK,
	   "another connection takes the write lock");
	err.msg[0] = '\0';
	ok(cache_review_set(c, 1, REVIEW_REJECTED, &err) < 0, "an edit fails while it is held");
	ok(strstr(err.msg, "locked") != NULL && strstr(err.msg, "another annotty") != NULL,
	   "the message says the database is locked by someone else: %s", err.msg);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	ok(cache_outbox_pending(c, ds, &pending, &err) == 0 && pending == 0,
	   "the failed edit left nothing behind");

	/* a database that may not grow stands in for a full disk */
	sqlite3_exec(c->db, "PRAGMA max_page_count = 1", NULL, NULL, NULL);
	err.msg[0] = '\0';
	ok(cache_import(c, "coco", "/big.json", "fp", big, &ds, NULL, &err) < 0,
	   "an import that does not fit fails");
	ok(strstr(err.msg, "full") != NULL && strstr(err.msg, "free some space") != NULL,
	   "the message says the disk is full: %s", err.msg);
	ok(strstr(err.msg, "/big.json") != NULL, "and names what was being imported");
	cache_close(&c);
	dataset_doc_free(&doc);
	dataset_doc_free(&big);
}

int main(void)
{
	dir = fixture_tmpdir();
	test_new_cache();
	test_newer_refused();
	test_migrate_v1();
	test_plans();
	test_errors();
	fixture_rmdir(&dir);
	return done_testing();
}
