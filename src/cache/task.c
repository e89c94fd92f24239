/* "My tasks" of a campaign step, keyset-paged, and task decisions: each one transaction that
 * moves the asset through the steps as the step model says (spec 12.2) and queues the decision
 * in the outbox (cache.h, "Campaigns"). */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The queue is two parts, returned work then the rest, each in assignment order: each part is
 * one range of the queue index (step, user, status, returned). */
#define TASK_COLS                                                                                  \
	"SELECT t.id, t.asset_id, a.filename, t.status, t.rejected_count, coalesce(t.comment, "    \
	"''),"                                                                                     \
	" t.rejected_count > 0 FROM assignment t INDEXED BY assignment_queue"                      \
	" JOIN asset a ON a.id = t.asset_id"
#define TASK_MINE                                                                                  \
	" WHERE t.step_id = ?1 AND t.user_id = (SELECT u.id FROM app_user u JOIN campaign c"       \
	" ON c.source_id = u.source_id JOIN step s ON s.campaign_id = c.id WHERE s.id = ?1"        \
	" AND u.is_me = 1) AND t.status = 'PENDING' AND (t.rejected_count > 0) = ?2"
static const char sql_part_after[] = TASK_COLS TASK_MINE " AND t.id > ?3 ORDER BY t.id LIMIT ?4";
static const char sql_part_before[] =
    TASK_COLS TASK_MINE " AND t.id < ?3 ORDER BY t.id DESC LIMIT ?4";
static const char sql_part_count[] = "SELECT count(*) FROM assignment t INDEXED BY"
                                     " assignment_queue" TASK_MINE " AND t.id < ?3";
static const char sql_task_one[] =
    "SELECT t.id, t.asset_id, a.filename, t.status, t.rejected_count, coalesce(t.comment, ''),"
    " t.rejected_count > 0 FROM assignment t JOIN asset a ON a.id = t.asset_id WHERE t.id = ?1";

static void task_fill(sqlite3_stmt *st, struct task_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->asset_id = sqlite3_column_int64(st, 1);
	str_copy(r->filename, cache_db_text(st, 2), sizeof r->filename);
	if (assignment_status_parse(cache_db_text(st, 3), &r->status) < 0)
		r->status = ASSIGNMENT_PENDING;
	r->rejected_count = sqlite3_column_int(st, 4);
	str_copy(r->comment, cache_db_text(st, 5), sizeof r->comment);
	r->cursor =
	    (struct task_cursor){.valid = 1, .returned = sqlite3_column_int(st, 6), .id = r->id};
}

/* Reads up to max rows of one part past (or before) id into rows, in scan order. */
static int part_read(struct cache *c, int64_t step_id, int returned, int backward, int64_t id,
                     struct task_row *rows, int max, int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	*n = 0;
	if (max <= 0)
		return 0;
	if (cache_db_prepare(c, backward ? sql_part_before : sql_part_after, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, step_id);
	sqlite3_bind_int(st, 2, returned);
	sqlite3_bind_int64(st, 3, id);
	sqlite3_bind_int(st, 4, max);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		task_fill(st, &rows[(*n)++]);
	if (step != SQLITE_DONE)
		cache_db_fail(c, err, "reading the tasks");
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : -1;
}

static void rows_reverse(struct task_row *rows, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--) {
		struct task_row t = rows[i];
		rows[i] = rows[j];
		rows[j] = t;
	}
}

int cache_tasks_page(struct cache *c, int64_t step_id, const struct task_cursor *from, int backward,
                     struct task_row *rows, int max, int *n, struct err *err)
{
	/* forward: returned (1) then fresh (0); backward the other way round */
	int first = backward ? 0 : 1, got = 0, more = 0;
	int64_t start = backward ? INT64_MAX : 0;

	*n = 0;
	if (from != NULL && from->valid) {
		first = from->returned ? 1 : 0;
		start = from->id;
	}
	if (part_read(c, step_id, first, backward, start, rows, max, &got, err) < 0)
		return -1;
	/* the second part, whole, unless the cursor was already in it */
	if (first == (backward ? 0 : 1) &&
	    part_read(c, step_id, !first, backward, backward ? INT64_MAX : 0, rows + got, max - got,
	              &more, err) < 0)
		return -1;
	*n = got + more;
	if (backward)
		rows_reverse(rows, *n);
	return 0;
}

static int part_count(struct cache *c, int64_t step_id, int returned, int64_t below, int *count,
                      struct err *err)
{
	int64_t v = 0;

	if (CACHE_DB_DO(c, sql_part_count, &v, err, "counting the tasks", DB_INT(step_id),
	                DB_INT(returned), DB_INT(below)) < 0)
		return -1;
	*count = (int)v;
	return 0;
}

int cache_tasks_count(struct cache *c, int64_t step_id, int *count, struct err *err)
{
	int a = 0, b = 0;

	if (part_count(c, step_id, 1, INT64_MAX, &a, err) < 0 ||
	    part_count(c, step_id, 0, INT64_MAX, &b, err) < 0)
		return -1;
	*count = a + b;
	return 0;
}

int cache_tasks_position(struct cache *c, int64_t step_id, const struct task_cursor *at,
                         int *position, struct err *err)
{
	int returned = 0, fresh = 0;

	*position = 0;
	if (at == NULL || !at->valid)
		return 0;
	if (part_count(c, step_id, 1, at->returned ? at->id : INT64_MAX, &returned, err) < 0)
		return -1;
	if (!at->returned && part_count(c, step_id, 0, at->id, &fresh, err) < 0)
		return -1;
	*position = returned + fresh;
	return 0;
}

int cache_task_get(struct cache *c, int64_t assignment_id, struct task_row *out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step;

	if (cache_db_prepare(c, sql_task_one, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, assignment_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW)
		task_fill(st, out);
	else if (step != SQLITE_DONE)
		cache_db_fail(c, err, "reading the task");
	sqlite3_finalize(st);
	return step == SQLITE_ROW ? 1 : step == SQLITE_DONE ? 0 : -1;
}

/* ---- decisions -------------------------------------------------------------------------- */

static const char sql_task_state[] =
    "SELECT t.ext_id, t.asset_id, t.step_id, coalesce(t.user_id, 0), t.status,"
    " t.rejected_count, t.base_rev, s.type, s.position, s.campaign_id, c.origin = 'local',"
    " coalesce((SELECT u.id FROM app_user u WHERE u.source_id = c.source_id AND u.is_me = 1), 0),"
    " a.dataset_id, a.ext_id, coalesce(n.id, 0), n.ext_id, t.comment FROM assignment t"
    " JOIN step s ON s.id = t.step_id JOIN campaign c ON c.id = s.campaign_id"
    " JOIN asset a ON a.id = t.asset_id LEFT JOIN annotation n ON n.asset_id = a.id"
    " WHERE t.id = ?1";
static const char sql_next_step[] =
    "SELECT id FROM step WHERE campaign_id = ?1 AND (position > ?2 OR (position = ?2 AND id > ?3))"
    " ORDER BY position, id LIMIT 1";
static const char sql_prev_annotation_step[] =
    "SELECT id FROM step WHERE campaign_id = ?1 AND type = 'ANNOTATION'"
    " AND (position < ?2 OR (position = ?2 AND id < ?3)) ORDER BY position DESC, id DESC LIMIT 1";
static const char sql_row_user[] =
    "SELECT coalesce(user_id, 0) FROM assignment WHERE step_id = ?1 AND asset_id = ?2";
static const char sql_row_returns[] =
    "SELECT rejected_count FROM assignment WHERE step_id = ?1 AND asset_id = ?2";
static const char sql_decided[] =
    "UPDATE assignment SET status = ?2, updated_at = " CACHE_NOW " WHERE id = ?1";
static const char sql_decided_comment[] = "UPDATE assignment SET comment = ?2 WHERE id = ?1";
static const char sql_decided_nobody[] = "UPDATE assignment SET user_id = NULL WHERE id = ?1";
static const char sql_duration_add[] =
    "UPDATE annotation SET duration = duration + ?2 WHERE asset_id = ?1";

/* The task being decided and what surrounds it. */
struct task_state {
	int64_t id;
	char *ext_id;
	int64_t asset_id, step_id, user_id;
	enum assignment_status status;
	int rejected_count;
	int64_t base_rev;
	enum step_type type;
	int position;
	int64_t campaign_id;
	int local;
	int64_t me;
	int64_t dataset_id;
	char *asset_ext_id;
	int64_t annotation_id;
	char *annotation_ext_id;
	char *comment; /* the last reviewer's reason, carried on to the next step */
};

static void task_state_clear(struct task_state *t)
{
	free(t->ext_id);
	free(t->asset_ext_id);
	free(t->annotation_ext_id);
	free(t->comment);
	memset(t, 0, sizeof *t);
}

static void task_state_fill(sqlite3_stmt *st, struct task_state *t, int *oom)
{
	t->ext_id = cache_db_text_dup(st, 0, oom);
	t->asset_id = sqlite3_column_int64(st, 1);
	t->step_id = sqlite3_column_int64(st, 2);
	t->user_id = sqlite3_column_int64(st, 3);
	if (assignment_status_parse(cache_db_text(st, 4), &t->status) < 0)
		t->status = ASSIGNMENT_PENDING;
	t->rejected_count = sqlite3_column_int(st, 5);
	t->base_rev = sqlite3_column_int64(st, 6);
	if (step_type_parse(cache_db_text(st, 7), &t->type) < 0)
		t->type = STEP_REVIEW;
	t->position = sqlite3_column_int(st, 8);
	t->campaign_id = sqlite3_column_int64(st, 9);
	t->local = sqlite3_column_int(st, 10);
	t->me = sqlite3_column_int64(st, 11);
	t->dataset_id = sqlite3_column_int64(st, 12);
	t->asset_ext_id = cache_db_text_dup(st, 13, oom);
	t->annotation_id = sqlite3_column_int64(st, 14);
	t->annotation_ext_id = cache_db_text_dup(st, 15, oom);
	t->comment = cache_db_text_dup(st, 16, oom);
}

static int task_state_load(struct cache *c, int64_t id, struct task_state *t, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step, oom = 0;

	if (cache_db_prepare(c, sql_task_state, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		t->id = id;
		task_state_fill(st, t, &oom);
		rc = oom ? err_set(err, "reading the task: out of memory") : 0;
	} else if (step == SQLITE_DONE) {
		err_setk(err, ERR_NOT_FOUND, "task %lld is not in the cache", (long long)id);
	} else {
		cache_db_fail(c, err, "reading the task");
	}
	sqlite3_finalize(st);
	return rc;
}

/* Whether the decision may be made now: mine, pending, and of the step's kind. */
static int task_check(const struct task_state *t, enum task_decision d, struct err *err)
{
	if (t->status != ASSIGNMENT_PENDING)
		return err_setk(err, ERR_CONFLICT, "this task is %s already, not pending",
		                assignment_status_name(t->status));
	if (t->me == 0 || t->user_id != t->me)
		return err_setk(err, ERR_FORBIDDEN, "this task is not yours");
	if (t->type == STEP_ANNOTATION && d != TASK_SUBMIT && d != TASK_SKIP)
		return err_setk(err, ERR_USAGE, "an annotate step's task is submitted or skipped");
	if (t->type == STEP_REVIEW && d == TASK_SUBMIT)
		return err_setk(err, ERR_USAGE,
		                "a review step's task is accepted, rejected or skipped");
	return 0;
}

/* Submitted or accepted: the asset goes on to the next step, if there is one. */
static int task_move_on(struct cache *c, const struct task_state *t, const char *comment,
                        struct err *err)
{
	struct cache_assignment next = {.asset_id = t->asset_id,
	                                .status = ASSIGNMENT_PENDING,
	                                .rejected_count = t->rejected_count,
	                                .comment = comment,
	                                .current = 1};
	int64_t id;
	int r = CACHE_DB_DO(c, sql_next_step, &next.step_id, err, "reading the steps",
	                    DB_INT(t->campaign_id), DB_INT(t->position), DB_INT(t->step_id));

	if (r <= 0)
		return r; /* the last step: the asset is done */
	/* the platform gives the next step's task to one of its assignees: the next pull says who
	 */
	next.user_id = t->local ? t->me : 0;
	return cache_assignment_store(c, &next, &id, err);
}

/* Rejected: back to the one who did the annotate step before, with one more return. */
static int task_send_back(struct cache *c, const struct task_state *t, const char *comment,
                          struct err *err)
{
	struct cache_assignment back = {.asset_id = t->asset_id,
	                                .status = ASSIGNMENT_PENDING,
	                                .comment = comment,
	                                .current = 1};
	int64_t id, returns = t->rejected_count;
	int r = CACHE_DB_DO(c, sql_prev_annotation_step, &back.step_id, err, "reading the steps",
	                    DB_INT(t->campaign_id), DB_INT(t->position), DB_INT(t->step_id));

	if (r <= 0)
		return r; /* no annotate step before: it stays rejected here */
	if (CACHE_DB_DO(c, sql_row_user, &back.user_id, err, "reading the assignments",
	                DB_INT(back.step_id), DB_INT(t->asset_id)) < 0 ||
	    CACHE_DB_DO(c, sql_row_returns, &returns, err, "reading the assignments",
	                DB_INT(back.step_id), DB_INT(t->asset_id)) < 0)
		return -1;
	if (back.user_id == 0 && t->local)
		back.user_id = t->me;
	back.rejected_count = (int)(returns > t->rejected_count ? returns : t->rejected_count) + 1;
	return cache_assignment_store(c, &back, &id, err);
}

/* The task's own row after the decision. */
static int task_mark(struct cache *c, const struct task_state *t, enum task_decision d,
                     const char *comment, struct err *err)
{
	static const enum assignment_status to[TASK_DECISION_COUNT] = {
	    [TASK_SUBMIT] = ASSIGNMENT_SUBMITTED,
	    [TASK_ACCEPT] = ASSIGNMENT_ACCEPTED,
	    [TASK_REJECT] = ASSIGNMENT_REJECTED,
	    [TASK_SKIP] = ASSIGNMENT_SKIPPED};

	if (CACHE_DB_DO(c, sql_decided, NULL, err, "saving the decision", DB_INT(t->id),
	                DB_TEXT(assignment_status_name(to[d]))) < 0)
		return -1;
	if (d == TASK_REJECT &&
	    CACHE_DB_DO(c, sql_decided_comment, NULL, err, "saving the decision", DB_INT(t->id),
	                DB_TEXT(comment)) < 0)
		return -1;
	/* skipped: the asset stays in the step, for nobody (spec 12.2) */
	if (d == TASK_SKIP &&
	    CACHE_DB_DO(c, sql_decided_nobody, NULL, err, "saving the decision", DB_INT(t->id)) < 0)
		return -1;
	return 0;
}

/* What the step model says happens next, in the local queue and the asset's review. */
static int task_apply(struct cache *c, const struct task_state *t, enum task_decision d,
                      const char *comment, double duration, struct err *err)
{
	if (task_mark(c, t, d, comment, err) < 0)
		return -1;
	if (duration > 0 && CACHE_DB_DO(c, sql_duration_add, NULL, err, "saving the time spent",
	                                DB_INT(t->asset_id), DB_INT(llround(duration))) < 0)
		return -1;
	switch (d) {
	case TASK_SUBMIT:
		return task_move_on(c, t, t->comment, err);
	case TASK_ACCEPT:
		if (cache_status_apply(c, t->asset_id, REVIEW_ACCEPTED, err) < 0)
			return -1;
		return task_move_on(c, t, t->comment, err);
	case TASK_REJECT:
		if (cache_status_apply(c, t->asset_id, REVIEW_REJECTED, err) < 0)
			return -1;
		return task_send_back(c, t, comment, err);
	default:
		return 0;
	}
}

/* The decision as the outbox keeps it. */
static int task_queue(struct cache *c, const struct task_state *t, enum task_decision d,
                      const char *comment, double duration, struct err *err)
{
	struct change ch = {.kind = CHANGE_TASK_DECISION, .decision = d, .duration = duration};
	struct cache_entry e = {.dataset_id = t->dataset_id,
	                        .entity = "assignment",
	                        .entity_id = t->id,
	                        .op = change_kind_name(CHANGE_TASK_DECISION),
	                        .base_rev = t->base_rev};
	int64_t outbox_id;
	char *json;
	int rc;

	/* borrowed: ch is not cleared */
	ch.dataset.local = t->dataset_id;
	ch.asset = (struct change_ref){.local = t->asset_id, .ext = t->asset_ext_id};
	ch.annotation = (struct change_ref){.local = t->annotation_id, .ext = t->annotation_ext_id};
	ch.task = (struct change_ref){.local = t->id, .ext = t->ext_id};
	ch.comment = (char *)comment;
	if ((json = change_to_json(&ch)) == NULL)
		return err_set(err, "queueing the decision: out of memory");
	e.payload = json;
	rc = cache_outbox_insert(c, &e, &outbox_id, err);
	free(json);
	return rc;
}

/* A rejection's reason: trimmed, NULL when empty, refused when too long or not one clean line. */
static int comment_normalize(const char *in, char *out, const char **use, struct err *err)
{
	const char *p = in != NULL ? in : "";

	*use = NULL;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return 0;
	if (cache_name_normalize(p, out, CACHE_COMMENT_MAX, "comment", err) < 0)
		return -1;
	*use = out;
	return 0;
}

int cache_task_decide(struct cache *c, int64_t assignment_id, enum task_decision d,
                      const char *comment, double duration, struct err *err)
{
	struct task_state t = {0};
	char clean[CACHE_COMMENT_MAX + 1];
	const char *reason = NULL;
	int rc = -1;

	if ((int)d < 0 || d >= TASK_DECISION_COUNT)
		return err_setk(err, ERR_USAGE, "unknown task decision");
	if (!isfinite(duration) || duration < 0)
		return err_setk(err, ERR_USAGE, "the time spent on a task cannot be negative");
	if (d == TASK_REJECT && comment_normalize(comment, clean, &reason, err) < 0)
		return -1;
	if (cache_db_begin(c, err) < 0)
		return -1;
	if (task_state_load(c, assignment_id, &t, err) < 0 || task_check(&t, d, err) < 0 ||
	    task_apply(c, &t, d, reason, duration, err) < 0 ||
	    task_queue(c, &t, d, reason, duration, err) < 0)
		goto out;
	rc = 0;
out:
	task_state_clear(&t);
	return cache_db_end(c, rc, err);
}
