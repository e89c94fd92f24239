/* Tests of the sync engine through the scripted backend: a paged pull into the cache, an
 * interrupted pull resumed from its cursor, queued edits pushed in order with the ids earlier
 * creates were given, and conflicts (answered by the source, or found by comparing its current
 * value with the edit's base) listed and resolved both ways. */
#include "backend_script.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "cache_fixture.h"
#include "core/change.h"
#include "core/err.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

static struct cache *fresh_cache(const char *name)
{
	char path[4096];
	struct cache *c = NULL;
	struct err err = {0};

	fixture_path(path, sizeof path, dir, name);
	if (cache_open(path, &c, &err) < 0)
		printf("# cache_open: %s\n", err.msg);
	return c;
}

static const struct cache_pull_target target = {
    .kind = "script",
    .locator = "script://test/org",
    .container_ext_id = "version-1",
    .name = "cars/v1",
    .version_name = "v1",
};

static int64_t asset_of(struct cache *c, int64_t ds, int i)
{
	char sql[160];

	snprintf(sql, sizeof sql, "SELECT id FROM asset WHERE dataset_id = ?1 AND ext_id = 'a%d'",
	         i);
	return sql_int(c, sql, ds);
}

static int pending(struct cache *c, int64_t ds)
{
	int n = -1;

	cache_outbox_pending(c, ds, &n, NULL);
	return n;
}

static void test_paged_pull(void)
{
	struct script s;
	struct backend *b = NULL;
	struct cache *c = fresh_cache("pull.db");
	struct pull_result res;
	struct import_stats stats = {0};
	struct err err = {0};

	script_init(&s, 25, 10);
	script_backend_open(&s, &b);
	ok(sync_pull_container(c, b, &target, NULL, &res, &stats, &err) == 0, "a paged pull (%s)",
	   err.msg);
	is_int(res.pages, 3, "three pages of at most ten");
	is_int(s.cursors_asked, 3, "three requests");
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1", res.dataset_id), 25,
	       "every asset is in the cache");
	is_int(sql_int(c,
	               "SELECT count(*) FROM shape s JOIN asset a ON a.id = s.asset_id"
	               " WHERE a.dataset_id = ?1",
	               res.dataset_id),
	       25, "with its shape");
	is_int(sql_int(c, "SELECT count(*) FROM label WHERE dataset_id = ?1", res.dataset_id), 2,
	       "the labels once");
	ok(sql_int(c,
	           "SELECT count(*) FROM pull_state WHERE dataset_id = ?1 AND cursor IS NULL"
	           " AND finished_at IS NOT NULL",
	           res.dataset_id) == 1,
	   "the pull is recorded as finished");

	/* the server loses an asset and changes another: a second pull follows */
	s.assets[3].gone = 1;
	s.assets[4].status = REVIEW_ACCEPTED;
	ok(sync_pull_container(c, b, &target, NULL, &res, &stats, &err) == 0 && !res.resumed,
	   "a second pull starts afresh (%s)", err.msg);
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE dataset_id = ?1", res.dataset_id), 24,
	       "the asset gone from the server is gone here");
	is_int(sql_int(c, "SELECT status FROM asset WHERE ext_id = 'a4' AND dataset_id = ?1",
	               res.dataset_id),
	       REVIEW_ACCEPTED, "the server's new status arrived");
	backend_close(&b);
	cache_close(&c);
}

static void test_resume(void)
{
	struct script s;
	struct backend *b = NULL;
	struct cache *c = fresh_cache("resume.db");
	struct pull_result res;
	struct err err = {0};

	script_init(&s, 25, 10);
	s.fail_page = 1;
	script_backend_open(&s, &b);
	ok(sync_pull_container(c, b, &target, NULL, &res, NULL, &err) < 0 &&
	       err_kind_of(&err) == ERR_OFFLINE,
	   "the pull fails on its second page (%s)", err.msg);
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE ?1 = ?1", 0), 10,
	       "the first page is stored");
	ok(sql_int(c, "SELECT count(*) FROM pull_state WHERE cursor = '10' AND finished_at IS NULL",
	           0) == 1,
	   "with the cursor of the page that failed");
	s.cursors_asked = 0;
	ok(sync_pull_container(c, b, &target, NULL, &res, NULL, &err) == 0 && res.resumed,
	   "the next pull resumes (%s)", err.msg);
	is_str(s.cursors[0], "10", "from the cursor it stopped at");
	is_int(s.cursors_asked, 2, "asking only for the pages it lacked");
	is_int(sql_int(c, "SELECT count(*) FROM asset WHERE ?1 = ?1", 0), 25,
	       "every asset once, none twice");
	backend_close(&b);
	cache_close(&c);
}

static struct cache *pulled(struct script *s, struct backend **b, int64_t *ds, const char *name)
{
	struct cache *c = fresh_cache(name);
	struct pull_result res = {0};
	struct err err = {0};

	script_init(s, 6, 10);
	script_backend_open(s, b);
	if (sync_pull_container(c, *b, &target, NULL, &res, NULL, &err) < 0)
		printf("# pull: %s\n", err.msg);
	*ds = res.dataset_id;
	return c;
}

static void test_push_order(void)
{
	struct script s;
	struct backend *b = NULL;
	struct push_result pr;
	struct shape box = {.kind = SHAPE_BOX, .label = 1, .box = {1, 2, 3, 4}};
	struct err err = {0};
	int64_t ds, shape_id = 0;
	struct cache *c = pulled(&s, &b, &ds, "push.db");

	ok(cache_review_set(c, asset_of(c, ds, 1), REVIEW_ACCEPTED, &err) == 0 &&
	       cache_tag_add(c, asset_of(c, ds, 2), "night", &err) == 0 &&
	       cache_shape_create(c, asset_of(c, ds, 3), &box, &shape_id, &err) == 0,
	   "three edits made offline (%s)", err.msg);
	box.box.x = 7;
	ok(cache_shape_update(c, shape_id, &box, 0, &err) == 0, "and the new box moved");
	is_int(pending(c, ds), 4, "four entries wait");
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0, "push (%s)", err.msg);
	is_int(pr.pushed, 4, "all four reach the source");
	ok(s.npushed == 4 && s.pushed[0] == CHANGE_STATUS && s.pushed[1] == CHANGE_TAG_ADD &&
	       s.pushed[2] == CHANGE_SHAPE_CREATE && s.pushed[3] == CHANGE_SHAPE_UPDATE,
	   "in the order they were made");
	is_str(s.pushed_ext[3], "new1", "the update names the id the create was given");
	ok(s.assets[1].status == REVIEW_ACCEPTED && s.assets[2].tagged, "the server has them");
	is_int(pending(c, ds), 0, "nothing waits");
	ok(sql_int(c, "SELECT count(*) FROM shape WHERE id = ?1 AND ext_id = 'new1'", shape_id) ==
	       1,
	   "the shape keeps its new id");
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.pushed == 0 && s.npushed == 4,
	   "pushing again sends nothing twice");
	backend_close(&b);
	cache_close(&c);
}

static void test_retry(void)
{
	struct script s;
	struct backend *b = NULL;
	struct push_result pr;
	struct err err = {0};
	int64_t ds;
	struct cache *c = pulled(&s, &b, &ds, "retry.db");

	cache_review_set(c, asset_of(c, ds, 0), REVIEW_REJECTED, &err);
	cache_review_set(c, asset_of(c, ds, 1), REVIEW_ACCEPTED, &err);
	s.next_answer = PUSH_RETRY;
	s.next_retry_after = 30;
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.waiting == 1 && pr.pushed == 0,
	   "a rate-limited push waits (%s)", err.msg);
	ok(pr.retry_at >= (int64_t)time(NULL) + 30, "no sooner than the source asked");
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && s.npushed == 0 && pr.waiting == 1,
	   "before then nothing is sent, the later entry waiting behind it");
	sql_int(c, "UPDATE outbox SET next_attempt_at = 0 WHERE ?1 = ?1", 0);
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.pushed == 2 && s.npushed == 2 &&
	       s.pushed[0] == CHANGE_STATUS && s.assets[0].status == REVIEW_REJECTED,
	   "once due both go, in order");
	backend_close(&b);
	cache_close(&c);
}

static int conflicts(struct cache *c, int64_t ds, struct conflict_row *rows, int max)
{
	struct err err = {0};
	int n = 0;

	if (cache_conflicts_list(c, ds, rows, max, &n, &err) < 0)
		printf("# conflicts: %s\n", err.msg);
	return n;
}

static void test_conflict_answer(void)
{
	struct script s;
	struct backend *b = NULL;
	struct push_result pr;
	struct conflict_row rows[4];
	struct err err = {0};
	int64_t ds, a;
	struct cache *c = pulled(&s, &b, &ds, "conflict.db");
	int n;

	a = asset_of(c, ds, 2);
	cache_review_set(c, a, REVIEW_ACCEPTED, &err);
	s.next_answer = PUSH_CONFLICT;
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.conflicts == 1,
	   "a 409 from the source is a conflict (%s)", err.msg);
	n = conflicts(c, ds, rows, 4);
	ok(n == 1 && rows[0].asset_id == a && strcmp(rows[0].op, "annotation.status") == 0 &&
	       rows[0].mine != NULL && strstr(rows[0].mine, "\"accepted\"") != NULL &&
	       rows[0].theirs != NULL && strstr(rows[0].theirs, "\"rejected\"") != NULL,
	   "listed with both versions");
	ok(n == 1 && strstr(rows[0].reason, "first") != NULL, "and the source's reason");
	is_int(pending(c, ds), 0, "it is no longer pending");
	ok(n == 1 && cache_conflict_resolve(c, rows[0].id, CONFLICT_TAKE_THEIRS, &err) == 0,
	   "take theirs (%s)", err.msg);
	is_int(sql_int(c, "SELECT status FROM asset WHERE id = ?1", a), REVIEW_REJECTED,
	       "the cache now has the source's status");
	is_int(conflicts(c, ds, rows + 1, 3), 0, "no conflict is left");
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && s.npushed == 0, "and nothing is pushed");
	cache_conflict_rows_clear(rows, n);
	backend_close(&b);
	cache_close(&c);
}

static void test_conflict_base(void)
{
	struct script s;
	struct backend *b = NULL;
	struct push_result pr;
	struct conflict_row rows[4];
	struct err err = {0};
	int64_t ds, a;
	struct cache *c = pulled(&s, &b, &ds, "base.db");
	int n;

	a = asset_of(c, ds, 0);
	cache_review_set(c, a, REVIEW_ACCEPTED, &err);
	s.assets[0].status = REVIEW_SKIPPED; /* someone else, meanwhile */
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.conflicts == 1 && s.npushed == 0,
	   "a source changed since the edit's base is a conflict, and nothing is sent (%s)",
	   err.msg);
	n = conflicts(c, ds, rows, 4);
	ok(n == 1 && rows[0].theirs != NULL && strstr(rows[0].theirs, "\"skipped\"") != NULL,
	   "theirs is the source's current value");
	ok(n == 1 && cache_conflict_resolve(c, rows[0].id, CONFLICT_KEEP_MINE, &err) == 0,
	   "keep mine (%s)", err.msg);
	is_int(pending(c, ds), 1, "the edit waits again");
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.pushed == 1 &&
	       s.assets[0].status == REVIEW_ACCEPTED,
	   "and is pushed over theirs");
	cache_conflict_rows_clear(rows, n);

	/* a shape moved on both sides: take theirs puts the source's box in the cache */
	{
		int64_t shape =
		    sql_int(c, "SELECT id FROM shape WHERE asset_id = ?1", asset_of(c, ds, 1));
		struct shape moved = {.kind = SHAPE_BOX, .label = 0, .box = {100, 100, 5, 5}};

		ok(cache_shape_update(c, shape, &moved, 0, &err) == 0, "move a box (%s)", err.msg);
		s.assets[1].box = (struct rect){50, 60, 70, 80};
		ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.conflicts == 1,
		   "the server moved it too: a conflict");
		n = conflicts(c, ds, rows, 4);
		ok(n == 1 && cache_conflict_resolve(c, rows[0].id, CONFLICT_TAKE_THEIRS, &err) == 0,
		   "take theirs (%s)", err.msg);
		ok(sql_int(
		       c, "SELECT x = 50 AND y = 60 AND w = 70 AND h = 80 FROM shape WHERE id = ?1",
		       shape) == 1,
		   "the cache has the server's box");
		cache_conflict_rows_clear(rows, n);
	}
	backend_close(&b);
	cache_close(&c);
}

static void test_refused(void)
{
	struct script s;
	struct backend *b = NULL;
	struct push_result pr;
	struct conflict_row rows[2];
	struct err err = {0};
	int64_t ds;
	struct cache *c = pulled(&s, &b, &ds, "refused.db");
	int n;

	cache_tag_add(c, asset_of(c, ds, 4), "blurry", &err);
	s.next_answer = PUSH_REFUSED;
	ok(sync_push(c, b, ds, NULL, &pr, &err) == 0 && pr.conflicts == 1,
	   "a refusal is kept, not dropped");
	n = conflicts(c, ds, rows, 2);
	ok(n == 1 && rows[0].refused && strstr(rows[0].reason, "not allowed") != NULL,
	   "listed as refused, with the reason");
	ok(n == 1 && cache_conflict_resolve(c, rows[0].id, CONFLICT_TAKE_THEIRS, &err) == 0 &&
	       sql_int(c,
	               "SELECT count(*) FROM asset_tag t JOIN tag g ON g.id = t.tag_id"
	               " WHERE g.name = 'blurry' AND ?1 = ?1",
	               0) == 0,
	   "taking theirs takes the tag back off");
	cache_conflict_rows_clear(rows, n);
	backend_close(&b);
	cache_close(&c);
}

int main(void)
{
	dir = fixture_tmpdir();
	test_paged_pull();
	test_resume();
	test_push_order();
	test_retry();
	test_conflict_answer();
	test_conflict_base();
	test_refused();
	fixture_rmdir(&dir);
	return done_testing();
}
