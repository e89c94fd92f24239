/* Tests of campaigns in the cache: a local campaign (its steps, its sample), "my tasks" paged
 * with returned work first, every decision and what the step model does with it, the outbox
 * entries they queue, a platform's campaign stored from a pull, and the export of the tasks. */
#include "api/local/coco.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/change.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <cjson/cJSON.h>
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

/* The payload of the newest outbox entry, parsed (the caller deletes it), if its op is op. */
static cJSON *newest_entry(struct cache *c, const char *op)
{
	sqlite3_stmt *st = NULL;
	cJSON *json = NULL;

	sqlite3_prepare_v2(c->db, "SELECT op, payload, entity FROM outbox ORDER BY id DESC LIMIT 1",
	                   -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), op) == 0 &&
	    strcmp((const char *)sqlite3_column_text(st, 2), "assignment") == 0)
		json = cJSON_Parse((const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	return json;
}

static const char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItem(o, key);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static struct cache *open_fresh(const char *name, int nassets, int64_t *ds)
{
	char path[4096];
	struct dataset_doc *doc = fixture_doc_rich(nassets);
	struct cache *c = NULL;
	struct err err = {0};

	fixture_path(path, sizeof path, dir, name);
	if (cache_open(path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/campaign.json", "fp", doc, ds, NULL, &err) < 0)
		printf("# %s\n", err.msg);
	dataset_doc_free(&doc);
	return c;
}

static int step_of(struct cache *c, int64_t ds, int i, struct step_row *out)
{
	struct campaign_info info;
	struct step_row rows[4];
	int n = 0;

	if (cache_campaign_find(c, ds, &info, NULL) != 1 ||
	    cache_steps_list(c, info.id, rows, 4, &n, NULL) < 0 || i >= n)
		return -1;
	*out = rows[i];
	return 0;
}

/* The first task of my queue in step i. */
static int first_task(struct cache *c, int64_t ds, int i, struct task_row *out)
{
	struct step_row s;
	int n = 0;

	if (step_of(c, ds, i, &s) < 0 || cache_tasks_page(c, s.id, NULL, 0, out, 1, &n, NULL) < 0)
		return -1;
	return n == 1 ? 0 : -1;
}

static void test_local_start(void)
{
	int64_t ds, campaign;
	struct cache *c = open_fresh("local.db", 10, &ds);
	struct campaign_local_spec spec = {.user = "alice", .instructions = "Box every car."};
	struct campaign_info info;
	struct step_row rows[4];
	struct err err = {0};
	int n = 0, made = 0;

	is_int(cache_campaign_find(c, ds, &info, &err), 0, "a dataset has no campaign at first");
	ok(cache_campaign_start_local(c, ds, &spec, &campaign, &made, &err) == 0,
	   "a local campaign starts (%s)", err.msg);
	is_int(made, 10, "with a task for every asset");
	is_int(cache_campaign_start_local(c, ds, &spec, &campaign, &made, &err), -1,
	       "a second one is refused");
	is_int(err_kind_of(&err), ERR_CONFLICT, "as a conflict");
	is_int(cache_campaign_find(c, ds, &info, &err), 1, "the campaign is found");
	ok(info.local && info.me != 0 && strcmp(info.me_name, "alice") == 0 && info.nsteps == 2,
	   "local, with alice as the user working here and two steps");
	is_str(info.instructions, "Box every car.", "its instructions are kept");
	ok(cache_steps_list(c, info.id, rows, 4, &n, &err) == 0 && n == 2, "two steps listed");
	ok(rows[0].type == STEP_ANNOTATION && rows[1].type == STEP_REVIEW &&
	       rows[0].position < rows[1].position,
	   "annotate, then review");
	is_str(rows[0].assignees, "alice", "alice is the annotate step's assignee");
	is_str(rows[1].assignees, "alice", "and the review step's");
	ok(rows[0].counts.pending_mine == 10 && rows[0].total == 10 && rows[1].total == 0,
	   "ten tasks pending for me in the annotate step, none in review");
	spec.sample_rate = 1.5;
	is_int(cache_campaign_start_local(c, ds, &spec, &campaign, &made, &err), -1,
	       "a sample rate above 1 is refused");
	is_int(err_kind_of(&err), ERR_USAGE, "as a usage error");
	cache_close(&c);
}

/* The file names of the tasks a sample at rate took, joined. */
static void sample_names(const char *db, double rate, int nassets, char *out, size_t outsz)
{
	int64_t ds, campaign;
	struct cache *c = open_fresh(db, nassets, &ds);
	struct campaign_local_spec spec = {.user = "bob", .sample_rate = rate};
	struct step_row s;
	struct task_row rows[64];
	int n = 0, made = 0;

	out[0] = '\0';
	if (cache_campaign_start_local(c, ds, &spec, &campaign, &made, NULL) < 0 ||
	    step_of(c, ds, 0, &s) < 0 || cache_tasks_page(c, s.id, NULL, 0, rows, 64, &n, NULL) < 0)
		n = 0;
	for (int i = 0; i < n; i++)
		snprintf(out + strlen(out), outsz - strlen(out), "%s ", rows[i].filename);
	cache_close(&c);
}

static void test_sample(void)
{
	char a[4096], b[4096], d[4096];
	int words = 0;

	sample_names("sample_a.db", 0.3, 20, a, sizeof a);
	sample_names("sample_b.db", 0.3, 20, b, sizeof b);
	sample_names("sample_c.db", 0.01, 20, d, sizeof d);
	for (const char *p = a; *p; p++)
		words += *p == ' ';
	is_int(words, 6, "a 0.3 sample of 20 assets has 6 tasks");
	is_str(a, b, "the same 6 in another cache: chosen by file name, not by chance");
	ok(strchr(d, ' ') == d + strlen(d) - 1, "a tiny share still takes one asset");
}

static void test_paging(struct cache *c, int64_t ds)
{
	struct step_row s;
	struct task_row page[4], back[4], all[16];
	int n = 0, m = 0, total = 0, pos = -1, k = 0, same = 1;

	if (step_of(c, ds, 0, &s) < 0)
		return;
	ok(cache_tasks_page(c, s.id, NULL, 0, all, 16, &k, NULL) == 0 && k == 10, "ten tasks");
	ok(cache_tasks_page(c, s.id, NULL, 0, page, 4, &n, NULL) == 0 && n == 4, "a first page");
	ok(cache_tasks_page(c, s.id, &page[3].cursor, 0, page, 4, &n, NULL) == 0 && n == 4 &&
	       page[0].id == all[4].id,
	   "the next page starts after the cursor");
	ok(cache_tasks_page(c, s.id, &page[0].cursor, 1, back, 4, &m, NULL) == 0 && m == 4,
	   "a page backward");
	for (int i = 0; i < m; i++)
		same &= back[i].id == all[i].id;
	ok(same, "comes back in queue order");
	ok(cache_tasks_count(c, s.id, &total, NULL) == 0 && total == 10, "the count");
	ok(cache_tasks_position(c, s.id, &page[1].cursor, &pos, NULL) == 0 && pos == 5,
	   "and a row's position");
	ok(all[0].status == ASSIGNMENT_PENDING && all[0].rejected_count == 0 &&
	       all[0].asset_id != 0,
	   "a task has its assignment, asset, status and returns");
}

static void test_plan(struct cache *c)
{
	sqlite3_stmt *st = NULL;
	char plan[1024] = "";

	sqlite3_prepare_v2(
	    c->db,
	    "EXPLAIN QUERY PLAN SELECT id FROM assignment INDEXED BY assignment_queue"
	    " WHERE step_id = 1 AND user_id = 1 AND status = 'PENDING'"
	    " AND (rejected_count > 0) = 1 AND id > 5 ORDER BY id LIMIT 10",
	    -1, &st, NULL);
	while (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		snprintf(plan + strlen(plan), sizeof plan - strlen(plan), "%s;",
		         (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	ok(strstr(plan, "<expr>=?") != NULL && strstr(plan, "rowid>?") != NULL &&
	       strstr(plan, "TEMP B-TREE") == NULL,
	   "a part of the queue is one index range, in order: %s", plan);
}

static void test_submit(struct cache *c, int64_t ds)
{
	struct task_row t;
	struct step_row annotate, review;
	struct err err = {0};
	cJSON *e;

	for (int i = 0; i < 2; i++) {
		ok(first_task(c, ds, 0, &t) == 0 &&
		       cache_task_decide(c, t.id, TASK_SUBMIT, NULL, 12.5, &err) == 0,
		   "submit %d (%s)", i + 1, err.msg);
	}
	e = newest_entry(c, "task.decide");
	ok(e != NULL, "a submit is a task.decide entry in the outbox");
	is_str(json_str(e, "decision"), "submit", "with its decision");
	ok(cJSON_GetObjectItem(e, "duration") != NULL &&
	       cJSON_GetObjectItem(e, "duration")->valuedouble == 12.5,
	   "and the time spent");
	ok(cJSON_IsNumber(cJSON_GetObjectItem(e, "task_id")) &&
	       cJSON_GetObjectItem(e, "task_id")->valuedouble == (double)t.id &&
	       cJSON_GetObjectItem(e, "task") == NULL,
	   "naming the task (a local one has no id on a platform)");
	cJSON_Delete(e);
	step_of(c, ds, 0, &annotate);
	step_of(c, ds, 1, &review);
	ok(annotate.counts.submitted == 2 && annotate.counts.pending_mine == 8,
	   "two submitted, eight to go");
	is_int(review.counts.pending_mine, 2, "both wait in review, for the local user");
	is_int(sql_int(c, "SELECT count(*) FROM assignment WHERE asset_id = ?1 AND current = 1",
	               t.asset_id),
	       1, "an asset has one current assignment");
	is_int(sql_int(c, "SELECT CAST(duration AS INTEGER) FROM annotation WHERE asset_id = ?1",
	               t.asset_id),
	       13, "the annotation keeps the time spent");
	is_int(cache_task_decide(c, t.id, TASK_SUBMIT, NULL, 0, &err), -1,
	       "a task decided already is refused");
	is_int(err_kind_of(&err), ERR_CONFLICT, "as a conflict");
}

static void test_refusals(struct cache *c, int64_t ds)
{
	struct task_row annotate, review;
	struct err err = {0};

	if (first_task(c, ds, 0, &annotate) < 0 || first_task(c, ds, 1, &review) < 0)
		return;
	is_int(cache_task_decide(c, annotate.id, TASK_ACCEPT, NULL, 0, &err), -1,
	       "an annotate task is not accepted");
	is_int(err_kind_of(&err), ERR_USAGE, "a usage error");
	is_int(cache_task_decide(c, review.id, TASK_SUBMIT, NULL, 0, &err), -1,
	       "a review task is not submitted");
	is_int(cache_task_decide(c, review.id, TASK_REJECT, "bad\x1b[31m", 0, &err), -1,
	       "a reason with control characters is refused");
	is_int(cache_task_decide(c, 99999, TASK_SKIP, NULL, 0, &err), -1, "an unknown task");
	is_int(err_kind_of(&err), ERR_NOT_FOUND, "is not found");
	sqlite3_exec(c->db,
	             "INSERT INTO app_user (source_id, ext_id, username) SELECT source_id, 'carol',"
	             " 'carol' FROM app_user LIMIT 1",
	             NULL, NULL, NULL);
	sqlite3_exec(
	    c->db,
	    "UPDATE assignment SET user_id = (SELECT id FROM app_user WHERE ext_id = 'carol')"
	    " WHERE id = (SELECT max(id) FROM assignment WHERE status = 'PENDING')",
	    NULL, NULL, NULL);
	is_int(cache_task_decide(c,
	                         sql_int(c,
	                                 "SELECT max(id) FROM assignment WHERE status ="
	                                 " 'PENDING' AND ?1 = ?1",
	                                 0),
	                         TASK_SKIP, NULL, 0, &err),
	       -1, "someone else's task is refused");
	is_int(err_kind_of(&err), ERR_FORBIDDEN, "as forbidden");
}

static void test_review(struct cache *c, int64_t ds)
{
	struct task_row t, back;
	struct err err = {0};
	int64_t rejected_asset;
	char reasons[4][CACHE_COMMENT_MAX + 1];
	struct step_row review;
	int n = 0;
	cJSON *e;

	first_task(c, ds, 1, &t);
	rejected_asset = t.asset_id;
	ok(cache_task_decide(c, t.id, TASK_REJECT, "  box too loose ", 30, &err) == 0,
	   "reject with a comment (%s)", err.msg);
	e = newest_entry(c, "task.decide");
	ok(e != NULL && strcmp(json_str(e, "decision"), "reject") == 0 &&
	       strcmp(json_str(e, "comment"), "box too loose") == 0,
	   "queued with its reason, trimmed");
	cJSON_Delete(e);
	is_int(sql_int(c, "SELECT status FROM asset WHERE id = ?1", rejected_asset),
	       REVIEW_REJECTED, "the asset's review is rejected");
	ok(first_task(c, ds, 0, &back) == 0 && back.asset_id == rejected_asset,
	   "the task comes back first in the annotate queue");
	ok(back.rejected_count == 1 && strcmp(back.comment, "box too loose") == 0,
	   "returned once, with the reviewer's comment");
	ok(cache_task_reasons(c, sql_int(c, "SELECT max(id) FROM campaign WHERE ?1 = ?1", 0),
	                      reasons, 4, &n, &err) == 0 &&
	       n == 1 && strcmp(reasons[0], "box too loose") == 0,
	   "the reason is offered again");
	first_task(c, ds, 1, &t);
	ok(cache_task_decide(c, t.id, TASK_ACCEPT, NULL, 3, &err) == 0, "accept another");
	is_int(sql_int(c, "SELECT status FROM asset WHERE id = ?1", t.asset_id), REVIEW_ACCEPTED,
	       "its review is accepted");
	step_of(c, ds, 1, &review);
	ok(review.counts.accepted == 1 && review.counts.rejected == 1 &&
	       review.counts.pending_mine == 0,
	   "the review step counts one accepted, one rejected");
	ok(cache_task_decide(c, back.id, TASK_SUBMIT, NULL, 1, &err) == 0 &&
	       first_task(c, ds, 1, &t) == 0 && t.asset_id == rejected_asset &&
	       t.rejected_count == 1,
	   "the fixed task goes to review again, its return count with it");
	first_task(c, ds, 0, &t);
	ok(cache_task_decide(c, t.id, TASK_SKIP, NULL, 0, &err) == 0, "skip");
	is_int(sql_int(c,
	               "SELECT count(*) FROM assignment WHERE id = ?1 AND user_id IS NULL"
	               " AND status = 'SKIPPED'",
	               t.id),
	       1, "a skipped task stays in its step for nobody");
}

/* The COCO text of the export with and without its tasks: the same but for annotty_task. */
static void test_export(struct cache *c, int64_t ds)
{
	struct dataset_doc *doc = NULL;
	char *with = NULL, *without = NULL, *p;
	int tasks = 0, rejected = 0;
	cJSON *json, *img;

	ok(cache_export_doc(c, ds, &doc, NULL) == 0, "export");
	for (int i = 0; doc != NULL && i < doc->nassets; i++) {
		tasks += doc->assets[i].task != NULL;
		rejected += doc->assets[i].task != NULL && doc->assets[i].task->comment != NULL;
	}
	ok(tasks == 10 && rejected == 1, "every asset with its task, one with a comment");
	coco_serialize(doc, &with, NULL);
	for (int i = 0; doc != NULL && i < doc->nassets; i++)
		asset_task_free(&doc->assets[i].task);
	coco_serialize(doc, &without, NULL);
	json = with ? cJSON_Parse(with) : NULL;
	img = json ? cJSON_GetArrayItem(cJSON_GetObjectItem(json, "images"), 0) : NULL;
	ok(cJSON_IsObject(cJSON_GetObjectItem(img, "annotty_task")), "images carry annotty_task");
	while (with != NULL && (p = strstr(with, ",\"annotty_task\":{")) != NULL)
		memmove(p, strchr(p, '}') + 1, strlen(strchr(p, '}') + 1) + 1);
	ok(with != NULL && without != NULL && strcmp(with, without) == 0,
	   "and nothing else changes in the file");
	cJSON_Delete(json);
	free(with);
	free(without);
	dataset_doc_free(&doc);
}

static void test_local_queue(void)
{
	int64_t ds, campaign;
	struct cache *c = open_fresh("queue.db", 10, &ds);
	struct campaign_local_spec spec = {.user = "alice"};

	cache_campaign_start_local(c, ds, &spec, &campaign, NULL, NULL);
	test_paging(c, ds);
	test_plan(c);
	test_submit(c, ds);
	test_review(c, ds);
	test_export(c, ds);
	test_refusals(c, ds);
	cache_close(&c);
}

/* ---- a platform's campaign, as a pull stores it ---------------------------------------- */

static void pulled_campaign(struct cache *c, int64_t ds, int64_t *campaign)
{
	struct campaign cp = {.ext_id = "c-1", .name = "Cars", .instructions = "Tight boxes."};
	char *annotators[] = {"u-alice"}, *reviewers[] = {"u-bob"};
	struct campaign_step steps[2] = {
	    {.ext_id = "s-1",
	     .name = "Label",
	     .type = STEP_ANNOTATION,
	     .position = 0,
	     .assignees = annotators,
	     .nassignees = 1},
	    {.ext_id = "s-2",
	     .name = "Check",
	     .type = STEP_REVIEW,
	     .position = 1,
	     .assignees = reviewers,
	     .nassignees = 1},
	};
	struct err err = {0};

	ok(cache_user_put(c, ds, "u-alice", "alice", 1, NULL, &err) == 0 &&
	       cache_user_put(c, ds, "u-bob", "bob", 0, NULL, &err) == 0,
	   "users stored (%s)", err.msg);
	ok(cache_campaign_put(c, ds, &cp, campaign, &err) == 0, "a campaign stored (%s)", err.msg);
	ok(cache_steps_put(c, *campaign, steps, 2, &err) == 0, "its steps (%s)", err.msg);
	ok(cache_steps_put(c, *campaign, steps, 2, &err) == 0 &&
	       sql_int(c, "SELECT count(*) FROM step WHERE campaign_id = ?1", *campaign) == 2,
	   "again: matched by ext id");
}

static void test_pull(void)
{
	int64_t ds, campaign;
	struct cache *c = open_fresh("pull.db", 4, &ds);
	struct assignment a[3] = {
	    {.ext_id = "a-1", .asset_ext_id = "1", .step_ext_id = "s-1", .user_ext_id = "u-alice"},
	    {.ext_id = "a-2",
	     .asset_ext_id = "2",
	     .step_ext_id = "s-1",
	     .user_ext_id = "u-alice",
	     .rejected_count = 2,
	     .comment = "again"},
	    {.ext_id = "a-9", .asset_ext_id = "999", .step_ext_id = "s-1"},
	};
	struct assignment bad = {.ext_id = "a-3", .asset_ext_id = "3", .step_ext_id = "s-7"};
	struct step_row review;
	struct task_row t;
	struct outbox_entry e;
	struct err err = {0};
	int skipped = -1;

	pulled_campaign(c, ds, &campaign);
	ok(cache_assignments_put(c, campaign, a, 3, &skipped, &err) == 0, "assignments stored");
	is_int(skipped, 1, "one of an asset not in the cache is passed over");
	is_int(cache_assignments_put(c, campaign, &bad, 1, NULL, &err), -1, "an unknown step");
	is_int(err_kind_of(&err), ERR_NOT_FOUND, "is not found");
	ok(first_task(c, ds, 0, &t) == 0 && t.rejected_count == 2 &&
	       strcmp(t.comment, "again") == 0,
	   "my queue: returned work first");
	ok(cache_task_decide(c, t.id, TASK_SUBMIT, NULL, 4, &err) == 0, "submit it");
	step_of(c, ds, 1, &review);
	ok(review.counts.pending_others == 1 && review.counts.pending_mine == 0,
	   "the review step's task waits for its assignee, known from the next pull");
	a[1].status = ASSIGNMENT_ACCEPTED;
	cache_assignments_put(c, campaign, &a[1], 1, NULL, &err);
	is_int(sql_int(c,
	               "SELECT count(*) FROM assignment WHERE ext_id = 'a-2' AND status ="
	               " 'SUBMITTED' AND ?1 = ?1",
	               0),
	       1, "a pull keeps a decision not pushed yet");
	ok(cache_outbox_next(c, ds, &e, &err) == 1 && e.change.kind == CHANGE_TASK_DECISION &&
	       e.change.task.ext != NULL && strcmp(e.change.task.ext, "a-2") == 0,
	   "the entry names the platform's assignment");
	cache_outbox_entry_clear(&e);
	a[0].status = ASSIGNMENT_SUBMITTED;
	cache_assignments_put(c, campaign, a, 1, NULL, &err);
	is_int(sql_int(c,
	               "SELECT count(*) FROM assignment WHERE asset_id IN (SELECT id FROM asset"
	               " WHERE ext_id = '1') AND ?1 = ?1",
	               0),
	       1, "a pulled change updates the row it matches");
	cache_close(&c);
}

int main(void)
{
	dir = fixture_tmpdir();
	test_local_start();
	test_sample();
	test_local_queue();
	test_pull();
	fixture_rmdir(&dir);
	return done_testing();
}
