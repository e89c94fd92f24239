/* The campaign loop of two people against the stand-in server, each with their own cache:
 * alice submits, bob rejects with a comment, alice finds the task first in her queue with the
 * comment, fixes a box and submits again, bob accepts, and the server shows the annotation
 * ACCEPTED with the fixed box. Then two reviewers decide the same task: one gets a conflict,
 * nothing is lost. */
#include "api/backend.h"
#include "api/picsellia/picsellia.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "tap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

struct person {
	const char *token;
	struct cache *cache;
	struct backend *backend;
};

static int64_t sql_int(struct cache *c, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static void sql_text(struct cache *c, const char *sql, int64_t arg, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

static void person_open(struct person *p, const struct standin *s, const char *token,
                        const char *db)
{
	struct backend_locator loc = {
	    .kind = "picsellia", .host = s->url, .organization = "demo-org", .token = token};
	char path[4096];
	struct err err = {0};

	p->token = token;
	fixture_path(path, sizeof path, dir, db);
	if (cache_open(path, &p->cache, &err) < 0 || backend_open(&loc, &p->backend, &err) < 0)
		printf("# %s: %s\n", token, err.msg);
}

static void person_close(struct person *p)
{
	backend_close(&p->backend);
	cache_close(&p->cache);
}

/* A sync as `annotty sync` makes it; 0 when everything went. */
static int sync(struct person *p)
{
	static const struct sync_scope all = {.pull = 1, .push = 1};
	static const struct sync_hooks asked = {.eager = 1};
	struct sync_report rep;
	struct err err = {0};

	if (sync_source(p->cache, p->backend, &all, &asked, &rep, &err) < 0) {
		printf("# sync as %s: %s\n", p->token, err.msg);
		return -1;
	}
	if (!rep.complete)
		printf("# sync as %s: %d conflicts, %d waiting %s\n", p->token, rep.conflicts,
		       rep.waiting, rep.last_error);
	return rep.complete ? 0 : -1;
}

/* My pending task on the asset (by its source id), 0 when none. */
static int64_t my_task(struct person *p, const char *asset)
{
	return sql_int(
	    p->cache,
	    "SELECT a.id FROM assignment a JOIN asset s ON s.id = a.asset_id JOIN app_user u"
	    " ON u.id = a.user_id WHERE s.ext_id = ?1 AND u.is_me = 1 AND a.status ="
	    " 'PENDING' AND a.current = 1",
	    asset);
}

static int64_t annotate_step(struct person *p)
{
	return sql_int(
	    p->cache,
	    "SELECT s.id FROM step s WHERE s.type = 'ANNOTATION' AND ?1 = ?1 ORDER BY s.id"
	    " LIMIT 1",
	    "");
}

/* Moves the asset's first box by dx; *shape_ext and *x say which and where to. */
static int fix_box(struct person *p, const char *asset, double dx, char *shape_ext, size_t extsz,
                   double *x)
{
	int64_t id = sql_int(p->cache, "SELECT id FROM asset WHERE ext_id = ?1", asset);
	struct asset_detail d;
	struct err err = {0};
	int rc = -1;

	if (cache_asset_get(p->cache, id, &d, &err) < 0)
		return -1;
	for (int i = 0; i < d.nshapes && rc < 0; i++) {
		struct shape s = d.shapes[i];

		if (s.kind != SHAPE_BOX || s.ext_id == NULL)
			continue;
		s.box.x += dx;
		*x = s.box.x;
		snprintf(shape_ext, extsz, "%s", d.shapes[i].ext_id);
		rc = cache_shape_update(p->cache, d.shape_ids[i], &s, 0, &err);
	}
	if (rc < 0)
		printf("# fixing a box: %s\n", err.msg[0] ? err.msg : "no box");
	cache_asset_detail_free(&d);
	return rc;
}

static void test_loop(const struct standin *s)
{
	struct person alice, bob;
	struct task_row rows[4];
	struct err err = {0};
	char asset[128], shape[128] = "";
	double x = 0;
	int n = 0;

	person_open(&alice, s, "alice-token", "alice.db");
	person_open(&bob, s, "bob-token", "bob.db");
	ok(sync(&alice) == 0 && sync(&bob) == 0, "alice and bob sync");
	/* alice's first task that is not returned work */
	sql_text(
	    alice.cache,
	    "SELECT s.ext_id FROM assignment a JOIN asset s ON s.id = a.asset_id JOIN app_user u"
	    " ON u.id = a.user_id WHERE u.is_me = 1 AND a.status = 'PENDING' AND a.current = 1"
	    " AND a.rejected_count = 0 AND ?1 = ?1 AND EXISTS (SELECT 1 FROM shape h WHERE"
	    " h.asset_id = s.id AND h.kind = 0) ORDER BY a.id LIMIT 1",
	    0, asset, sizeof asset);
	ok(asset[0] != '\0' && my_task(&alice, asset) > 0, "alice has a task (%s)", asset);
	ok(cache_task_decide(alice.cache, my_task(&alice, asset), TASK_SUBMIT, NULL, 12.5, &err) ==
	       0,
	   "alice submits it (%s)", err.msg);
	ok(sync(&alice) == 0, "and syncs");
	ok(sync(&bob) == 0 && my_task(&bob, asset) > 0, "bob finds it in his review queue");
	ok(cache_task_decide(bob.cache, my_task(&bob, asset), TASK_REJECT, "box too loose", 3,
	                     &err) == 0,
	   "bob rejects it with a comment (%s)", err.msg);
	ok(sync(&bob) == 0, "and syncs");
	ok(sync(&alice) == 0 &&
	       cache_tasks_page(alice.cache, annotate_step(&alice), NULL, 0, rows, 4, &n, &err) ==
	           0 &&
	       n > 0,
	   "alice syncs and reads her queue (%s)", err.msg);
	{
		char first[128];

		sql_text(alice.cache, "SELECT ext_id FROM asset WHERE id = ?1",
		         n > 0 ? rows[0].asset_id : 0, first, sizeof first);
		ok(n > 0 && strcmp(first, asset) == 0 && rows[0].rejected_count == 1 &&
		       strcmp(rows[0].comment, "box too loose") == 0,
		   "the returned task comes first, with bob's comment (%s, %s)", first,
		   n > 0 ? rows[0].comment : "");
	}
	ok(fix_box(&alice, asset, 7, shape, sizeof shape, &x) == 0, "alice fixes a box");
	ok(cache_task_decide(alice.cache, my_task(&alice, asset), TASK_SUBMIT, NULL, 20, &err) ==
	           0 &&
	       sync(&alice) == 0,
	   "submits again and syncs: the box goes before the submit (%s)", err.msg);
	ok(sync(&bob) == 0 && my_task(&bob, asset) > 0 &&
	       cache_task_decide(bob.cache, my_task(&bob, asset), TASK_ACCEPT, NULL, 2, &err) ==
	           0 &&
	       sync(&bob) == 0,
	   "bob accepts it (%s)", err.msg);
	{
		struct picsellia_config cfg = {
		    .host = s->url, .token = "bob-token", .org_name = "demo-org"};
		struct picsellia *p = NULL;
		enum review_status status = REVIEW_PENDING;
		struct shape now = {0};
		char *annotation = NULL, *label = NULL;

		if (picsellia_new(&cfg, &p, &err) < 0 || picsellia_connect(p, &err) < 0 ||
		    picsellia_annotation_current(p, asset, &annotation, &status, &err) < 0 ||
		    picsellia_shape_current(p, SHAPE_BOX, shape, &now, &label, &err) < 0)
			printf("# asking the server: %s\n", err.msg);
		is_int(status, REVIEW_ACCEPTED, "the server has the annotation ACCEPTED");
		ok(fabs(now.box.x - round(x)) < 1.0, "with the fixed box (x %g, want %g)",
		   now.box.x, x);
		shape_clear(&now);
		free(annotation);
		free(label);
		picsellia_free(&p);
	}
	is_int(standin_violations(s), 0, "no violation on the server");
	person_close(&alice);
	person_close(&bob);
}

static void test_two_reviewers(struct standin *s)
{
	const char *two[] = {"--reviewers", "2", NULL};
	struct person alice, bob, carol;
	struct conflict_row rows[4];
	struct err err = {0};
	char asset[128];
	int n = 0, lost;

	standin_stop(s);
	fixture_rmdir(&dir);
	dir = fixture_tmpdir();
	standin_start(s, two);
	person_open(&alice, s, "alice-token", "alice2.db");
	person_open(&bob, s, "bob-token", "bob2.db");
	person_open(&carol, s, "carol-token", "carol2.db");
	sync(&alice);
	sync(&bob);
	sync(&carol);
	/* a task both reviewers see as theirs: one bob has; carol's cache is told it is hers */
	sql_text(
	    bob.cache,
	    "SELECT s.ext_id FROM assignment a JOIN asset s ON s.id = a.asset_id JOIN app_user u"
	    " ON u.id = a.user_id WHERE u.is_me = 1 AND a.status = 'PENDING' AND a.current = 1"
	    " AND ?1 = ?1 ORDER BY a.id LIMIT 1",
	    0, asset, sizeof asset);
	ok(asset[0] != '\0', "bob has a review task (%s)", asset);
	sql_int(carol.cache,
	        "UPDATE assignment SET user_id = (SELECT id FROM app_user WHERE is_me = 1),"
	        " status = 'PENDING' WHERE current = 1 AND asset_id = (SELECT id FROM asset WHERE"
	        " ext_id = ?1)",
	        asset);
	ok(cache_task_decide(bob.cache, my_task(&bob, asset), TASK_ACCEPT, NULL, 1, &err) == 0 &&
	       sync(&bob) == 0,
	   "bob accepts it first (%s)", err.msg);
	ok(my_task(&carol, asset) > 0 && cache_task_decide(carol.cache, my_task(&carol, asset),
	                                                   TASK_REJECT, "no", 1, &err) == 0,
	   "carol rejects it offline meanwhile (%s)", err.msg);
	sync(&carol);
	ok(cache_conflicts_list(carol.cache, 0, rows, 4, &n, &err) == 0 && n == 1 &&
	       strcmp(rows[0].op, "task.decide") == 0,
	   "carol's decision is a conflict she sees (%d: %s)", n, n > 0 ? rows[0].reason : err.msg);
	lost = sql_int(carol.cache,
	               "SELECT count(*) FROM outbox WHERE op = 'task.decide' AND ?1 = ?1", "");
	is_int(lost, 1, "kept in the outbox, not dropped");
	cache_conflict_rows_clear(rows, n);
	person_close(&alice);
	person_close(&bob);
	person_close(&carol);
}

int main(void)
{
	struct standin s;

	dir = fixture_tmpdir();
	standin_start(&s, NULL);
	test_loop(&s);
	test_two_reviewers(&s);
	standin_stop(&s);
	fixture_rmdir(&dir);
	return done_testing();
}
