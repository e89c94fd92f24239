/* Campaign task routes: these are this project's assumption (spec §12), not the SDK's, which
 * shows no route to finish a task. Every such call lives in this one file, so that moving to
 * the platform's real routes is a change here and nowhere else. */
#include "api/picsellia/internal.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [A] §12.2 */
static const struct {
	const char *verb;   /* the last path segment */
	const char *status; /* what the assignment becomes */
} actions[] = {
    [PICSELLIA_TASK_SUBMIT] = {"submit", "SUBMITTED"},
    [PICSELLIA_TASK_ACCEPT] = {"accept", "ACCEPTED"},
    [PICSELLIA_TASK_REJECT] = {"reject", "REJECTED"},
    [PICSELLIA_TASK_SKIP] = {"skip", "SKIPPED"},
};

/* [A] §12.1: GET /api/campaigns/annotation/assignments/{id}, one task's state. */
static int assignment_get(struct picsellia *p, const char *id, struct picsellia_assignment *out,
                          char **json, struct err *err)
{
	struct pxl_request req = {"GET", NULL, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_at at;
	char *path = pxl_path("/api/campaigns/annotation/assignments/%s", id);
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (path == NULL)
		return err_setk(err, ERR_USAGE, "no assignment id");
	req.path = path;
	pxl_at_set(&at, "GET /api/campaigns/annotation/assignments/\xe2\x80\xa6", -1);
	if (pxl_call(p, &req, &resp, err) == 0 &&
	    pxl_parse_assignment(resp.json, &at, out, err) == 0) {
		*json = cJSON_PrintUnformatted(resp.json);
		rc = 0;
	}
	cJSON_Delete(resp.json);
	free(path);
	return rc;
}

static cJSON *decision_body(enum picsellia_task_action action, double duration, const char *comment)
{
	cJSON *body = cJSON_CreateObject();

	if (action == PICSELLIA_TASK_SUBMIT && duration > 0)
		cJSON_AddNumberToObject(body, "duration", duration);
	if (action == PICSELLIA_TASK_REJECT && comment)
		cJSON_AddStringToObject(body, "comment", comment);
	return body;
}

/* The answer's {"assignment": <next or null>}. */
static int next_of(const cJSON *json, struct picsellia_assignment *next, int *has_next,
                   struct err *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(json, "assignment");
	struct pxl_at at;

	if (has_next)
		*has_next = 0;
	pxl_at_set(&at, "POST /api/campaigns/annotation/assignments/\xe2\x80\xa6", -1);
	if (!cJSON_IsObject(json) || a == NULL)
		return err_setk(err, ERR_PARSE, "%s: \"assignment\" is missing", at.where);
	if (cJSON_IsNull(a) || next == NULL)
		return 0;
	if (pxl_parse_assignment(a, &at, next, err) < 0)
		return -1;
	if (has_next)
		*has_next = 1;
	return 0;
}

/* After a 409, a 403 or a lost answer: the task as the server has it now. Already in the state
 * this decision leads to (our own earlier attempt, or the same decision by someone else) is
 * done; still pending and ours after a lost answer is worth sending again (returns 1);
 * anything else is a conflict with the server's assignment beside it. */
static int settle(struct picsellia *p, const char *id, enum picsellia_task_action action, int lost,
                  struct picsellia_answer *ans)
{
	struct picsellia_assignment now;
	struct err err = {0};
	char *json = NULL;
	int again = 0;

	if (assignment_get(p, id, &now, &json, &err) < 0)
		return 0;
	if (strcmp(now.status, actions[action].status) == 0) {
		pxl_answer_done(ans);
	} else if (lost && strcmp(now.status, "PENDING") == 0) {
		again = 1;
	} else {
		ans->outcome = PICSELLIA_CONFLICT;
		free(ans->current_json);
		ans->current_json = json;
		json = NULL;
	}
	picsellia_assignment_clear(&now);
	free(json);
	return again;
}

/* One POST of the decision; 1 when it is worth sending again. */
static int decide_once(struct picsellia *p, const char *id, enum picsellia_task_action action,
                       const struct pxl_request *req, struct picsellia_assignment *next,
                       int *has_next, struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};
	int again = 0;

	if (pxl_call(p, req, &resp, &err) == 0) {
		if (next_of(resp.json, next, has_next, &err) == 0)
			pxl_answer_done(ans);
		else
			pxl_answer_from(ans, &err);
		cJSON_Delete(resp.json);
		return 0;
	}
	/* 409 (acted on already) and 403 (no longer ours) are conflicts to show, not refusals. */
	pxl_answer_from(ans, &err);
	if (resp.status == 403)
		ans->outcome = PICSELLIA_CONFLICT;
	if (resp.status == 409 || resp.status == 403 || resp.maybe_applied)
		again = settle(p, id, action, resp.maybe_applied, ans);
	ans->maybe_applied = resp.maybe_applied && ans->outcome == PICSELLIA_RETRY;
	cJSON_Delete(resp.json);
	return again;
}

enum picsellia_outcome picsellia_task_decide(struct picsellia *p, const char *assignment_id,
                                             enum picsellia_task_action action, double duration,
                                             const char *comment, struct picsellia_assignment *next,
                                             int *has_next, struct picsellia_answer *ans)
{
	struct pxl_request req = {"POST", NULL, NULL, NULL, PXL_REPLAY_UNSAFE};
	struct err err = {0};
	char fmt[96], *path = NULL, *body = NULL;
	cJSON *b = NULL;

	picsellia_answer_clear(ans);
	if (has_next)
		*has_next = 0;
	if ((unsigned)action > PICSELLIA_TASK_SKIP)
		return err_setk(&err, ERR_USAGE, "no such task decision"),
		       pxl_answer_from(ans, &err);
	snprintf(fmt, sizeof fmt, "/api/campaigns/annotation/assignments/%%s/%s",
	         actions[action].verb);
	path = pxl_path(fmt, assignment_id);
	b = decision_body(action, duration, comment);
	body = b ? cJSON_PrintUnformatted(b) : NULL;
	if (path == NULL || body == NULL) {
		err_setk(&err, ERR_USAGE, "a task decision needs an assignment id");
		pxl_answer_from(ans, &err);
		goto out;
	}
	req.path = path;
	req.body = body;
	for (int attempt = 0; attempt < p->cfg.max_attempts; attempt++)
		if (!decide_once(p, assignment_id, action, &req, next, has_next, ans))
			break;
out:
	cJSON_Delete(b);
	free(body);
	free(path);
	return ans->outcome;
}

int picsellia_tasks_filter(struct picsellia *p, const char *step_id,
                           struct picsellia_asset_filter *f, struct err *err)
{
	const char *uid = picsellia_user_id(p, err);

	memset(f, 0, sizeof *f);
	if (uid == NULL)
		return -1;
	f->assignment_step_id = step_id;
	f->assignment_user_id = uid;
	f->assignment_status = "PENDING"; /* [A] §12.1 status values */
	return 0;
}
