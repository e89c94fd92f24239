/* Edits sent to the platform, each with a typed answer: annotation status, tags on assets and
 * data, shapes created, updated and deleted, labels; and the server's current values that an
 * edit's base is compared with. Every write is safe to repeat: PATCH, DELETE, attach and
 * detach are idempotent, creates that may have happened are looked for before being resent. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void picsellia_answer_clear(struct picsellia_answer *a)
{
	free(a->new_id);
	free(a->current_json);
	memset(a, 0, sizeof *a);
}

static void answer_reset(struct picsellia_answer *a)
{
	free(a->new_id);
	free(a->current_json);
	memset(a, 0, sizeof *a);
}

enum picsellia_outcome pxl_answer_done(struct picsellia_answer *ans)
{
	ans->outcome = PICSELLIA_DONE;
	ans->maybe_applied = 0;
	err_clear(&ans->err);
	return PICSELLIA_DONE;
}

enum picsellia_outcome pxl_answer_from(struct picsellia_answer *ans, const struct err *err)
{
	ans->err = *err;
	switch (err->kind) {
	case ERR_CONFLICT:
	case ERR_NOT_FOUND:
		ans->outcome = PICSELLIA_CONFLICT;
		break;
	case ERR_AUTH:
	case ERR_FORBIDDEN:
	case ERR_USAGE:
	case ERR_TOO_LARGE:
		ans->outcome = PICSELLIA_REFUSED;
		break;
	default: /* network, 429, 5xx, unreadable answers, cancels: nothing is lost by waiting */
		ans->outcome = PICSELLIA_RETRY;
		ans->retry_after = err->retry_after;
		break;
	}
	return ans->outcome;
}

/* One JSON call; path is consumed. body may be NULL. */
static int call(struct picsellia *p, const char *method, char *path, const char *query,
                const cJSON *body, enum pxl_replay replay, struct pxl_response *resp,
                struct err *err)
{
	struct pxl_request req = {method, path, query, NULL, replay};
	char *text = body ? cJSON_PrintUnformatted(body) : NULL;
	int rc;

	memset(resp, 0, sizeof *resp);
	if (path == NULL || (body && text == NULL)) {
		free(path);
		free(text);
		return err_setk(err, ERR_USAGE, "%s: an id is empty, or out of memory", method);
	}
	req.body = text;
	rc = pxl_call(p, &req, resp, err);
	free(text);
	free(path);
	return rc;
}

/* ---- annotations ------------------------------------------------------------------------ */

/* The latest annotation of an asset; *id NULL when it has none. */
static int annotation_find(struct picsellia *p, const char *asset_id, char **id, char **status,
                           struct err *err)
{
	struct pxl_response resp;
	struct pxl_at at;
	int rc = 0;

	*id = NULL;
	if (status)
		*status = NULL;
	pxl_at_set(&at, "GET /api/asset/\xe2\x80\xa6/annotations/find", -1);
	if (call(p, "GET", pxl_path("/api/asset/%s/annotations/find", asset_id), NULL, NULL,
	         PXL_REPLAY_SAFE, &resp, err) < 0)
		return resp.status == 404 ? 0 : -1;
	if (pxl_jstr(resp.json, "id", &at, id, err) < 0 ||
	    (status && pxl_jstr(resp.json, "status", &at, status, err) < 0)) {
		free(*id);
		*id = NULL;
		rc = -1;
	}
	cJSON_Delete(resp.json);
	return rc;
}

/* The asset's latest annotation, made when it has none. A lost answer to the create is
 * followed by a look: the annotation it made is then used, not a second one. */
static int annotation_ensure(struct picsellia *p, const char *asset_id, char **id, struct err *err)
{
	struct pxl_response resp;
	struct pxl_at at;
	cJSON *body;
	int rc;

	if (annotation_find(p, asset_id, id, NULL, err) < 0 || *id)
		return *id ? 0 : -1;
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "duration", 0.0);
	rc = call(p, "POST", pxl_path("/api/asset/%s/annotations", asset_id), NULL, body,
	          PXL_REPLAY_UNSAFE, &resp, err);
	cJSON_Delete(body);
	if (rc < 0) {
		if (resp.maybe_applied && annotation_find(p, asset_id, id, NULL, err) == 0 && *id)
			return 0;
		return -1;
	}
	pxl_at_set(&at, "POST /api/asset/\xe2\x80\xa6/annotations", -1);
	rc = pxl_jstr(resp.json, "id", &at, id, err);
	cJSON_Delete(resp.json);
	return rc;
}

static const char *status_wire(enum review_status s)
{
	static const char *const names[REVIEW_STATUS_COUNT] = {"PENDING", "ACCEPTED", "REFUSED",
	                                                       "SKIPPED"};

	return (unsigned)s < REVIEW_STATUS_COUNT ? names[s] : NULL;
}

/* The server's value beside a conflict, as {"key": value}. */
static void current_set(struct picsellia_answer *ans, const char *key, const char *value)
{
	cJSON *o = cJSON_CreateObject();

	if (o && value)
		cJSON_AddStringToObject(o, key, value);
	free(ans->current_json);
	ans->current_json = o && value ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
}

enum picsellia_outcome picsellia_status_push(struct picsellia *p, const char *asset_id,
                                             const char *annotation_id, enum review_status status,
                                             struct picsellia_answer *ans)
{
	struct pxl_response resp;
	struct err err = {0};
	char *id = NULL, *now = NULL;
	cJSON *body = NULL;

	answer_reset(ans);
	if (status_wire(status) == NULL)
		return err_setk(&err, ERR_USAGE, "no such review status"),
		       pxl_answer_from(ans, &err);
	if (annotation_id)
		id = strdup(annotation_id);
	else if (annotation_ensure(p, asset_id, &id, &err) < 0)
		return pxl_answer_from(ans, &err);
	body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "status", status_wire(status));
	if (call(p, "PATCH", pxl_path("/api/annotation/%s", id), NULL, body, PXL_REPLAY_SAFE, &resp,
	         &err) == 0) {
		pxl_answer_done(ans);
		ans->new_id = id;
		id = NULL;
	} else if (pxl_answer_from(ans, &err) == PICSELLIA_CONFLICT && resp.status != 404) {
		struct err e2 = {0};
		char *cur = NULL;

		if (annotation_find(p, asset_id, &cur, &now, &e2) == 0)
			current_set(ans, "status", now);
		free(cur);
	}
	cJSON_Delete(resp.json);
	cJSON_Delete(body);
	free(now);
	free(id);
	return ans->outcome;
}

int picsellia_annotation_current(struct picsellia *p, const char *asset_id, char **annotation_id,
                                 enum review_status *status, struct err *err)
{
	char *wire = NULL;
	int rc = annotation_find(p, asset_id, annotation_id, &wire, err);

	*status = REVIEW_PENDING;
	if (rc == 0 && wire && review_status_parse(wire, status) < 0)
		rc = err_setk(err, ERR_PARSE,
		              "GET /api/asset/\xe2\x80\xa6/annotations/find: status "
		              "\"%s\" is not an annotation status",
		              wire);
	free(wire);
	return rc;
}

/* ---- tags ------------------------------------------------------------------------------- */

/* The id of the tag `name` in a scope (a version's asset tags or a datalake's data tags);
 * created when missing and create is set; *id NULL when missing and not created. */
static int tag_resolve(struct picsellia *p, const char *scope_fmt, const char *scope_id,
                       const char *name, int create, char **id, struct err *err)
{
	char find_fmt[96];
	struct pxl_query q;
	struct pxl_response resp = {0};
	struct pxl_at at;
	cJSON *body = NULL;
	int rc = -1;

	*id = NULL;
	snprintf(find_fmt, sizeof find_fmt, "%s/find", scope_fmt);
	pxl_query_init(&q);
	pxl_query_add(&q, "name", name);
	pxl_at_set(&at, "GET tags/find", -1);
	for (int round = 0; round < 2; round++) {
		if (call(p, "GET", pxl_path(find_fmt, scope_id), pxl_query_str(&q), NULL,
		         PXL_REPLAY_SAFE, &resp, err) == 0) {
			rc = pxl_jstr(resp.json, "id", &at, id, err);
			goto out;
		}
		if (resp.status != 404)
			goto out;
		if (!create) {
			rc = 0;
			goto out;
		}
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "name", name);
		/* A create that crossed another (or our own lost one) is a 409: find it again. */
		rc = call(p, "POST", pxl_path(scope_fmt, scope_id), NULL, body, PXL_REPLAY_SAFE,
		          &resp, err);
		cJSON_Delete(body);
		body = NULL;
		if (rc == 0) {
			rc = pxl_jstr(resp.json, "id", &at, id, err);
			goto out;
		}
		if (resp.status != 409)
			goto out;
		rc = -1;
	}
out:
	cJSON_Delete(resp.json);
	pxl_query_free(&q);
	return rc;
}

static enum picsellia_outcome tag_push(struct picsellia *p, const char *scope_fmt,
                                       const char *scope_id, const char *target_id, const char *tag,
                                       int attach, struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};
	cJSON *ids = NULL;
	char *tag_id = NULL;

	answer_reset(ans);
	if (tag == NULL || *tag == '\0' || target_id == NULL)
		return err_setk(&err, ERR_USAGE, "a tag push needs a tag name and a target"),
		       pxl_answer_from(ans, &err);
	if (tag_resolve(p, scope_fmt, scope_id, tag, attach, &tag_id, &err) < 0)
		return pxl_answer_from(ans, &err);
	if (tag_id == NULL) /* detaching a tag that does not exist: nothing carries it */
		return pxl_answer_done(ans);
	/* The body is a bare array of target ids (spec §4.2). */
	ids = cJSON_CreateArray();
	cJSON_AddItemToArray(ids, cJSON_CreateString(target_id));
	if (call(p, "POST", pxl_path(attach ? "/api/tag/%s/attach" : "/api/tag/%s/detach", tag_id),
	         NULL, ids, PXL_REPLAY_SAFE, &resp, &err) == 0) {
		pxl_answer_done(ans);
		ans->new_id = tag_id;
		tag_id = NULL;
	} else {
		pxl_answer_from(ans, &err);
	}
	cJSON_Delete(resp.json);
	cJSON_Delete(ids);
	free(tag_id);
	return ans->outcome;
}

enum picsellia_outcome picsellia_asset_tag_push(struct picsellia *p, const char *version_id,
                                                const char *asset_id, const char *tag, int attach,
                                                struct picsellia_answer *ans)
{
	return tag_push(p, "/api/dataset/version/%s/tags", version_id, asset_id, tag, attach, ans);
}

enum picsellia_outcome picsellia_data_tag_push(struct picsellia *p, const char *datalake_id,
                                               const char *data_id, const char *tag, int attach,
                                               struct picsellia_answer *ans)
{
	return tag_push(p, "/api/datalake/%s/tags", datalake_id, data_id, tag, attach, ans);
}

static int tags_of(struct picsellia *p, char *path, char ***tags, int *ntags, struct err *err)
{
	struct pxl_response resp;
	const cJSON *arr;
	char route[PXL_ROUTE_MAX];
	struct pxl_at at;
	int rc = -1;

	*tags = NULL;
	*ntags = 0;
	if (path)
		pxl_route("GET", path, route, sizeof route);
	if (call(p, "GET", path, NULL, NULL, PXL_REPLAY_SAFE, &resp, err) < 0)
		return -1;
	pxl_at_set(&at, route, -1);
	if ((arr = pxl_jarr(resp.json, "tags", &at, err)))
		rc = pxl_tag_names(arr, "tags", &at, tags, ntags, err);
	cJSON_Delete(resp.json);
	return rc;
}

int picsellia_asset_tags_current(struct picsellia *p, const char *asset_id, char ***tags,
                                 int *ntags, struct err *err)
{
	return tags_of(p, pxl_path("/api/asset/%s", asset_id), tags, ntags, err);
}

int picsellia_data_tags_current(struct picsellia *p, const char *data_id, char ***tags, int *ntags,
                                struct err *err)
{
	return tags_of(p, pxl_path("/api/data/%s", data_id), tags, ntags, err);
}

/* ---- shapes ----------------------------------------------------------------------------- */

int picsellia_shape_current(struct picsellia *p, enum shape_kind kind, const char *shape_id,
                            struct shape *out, char **label_id, struct err *err)
{
	const char *route = pxl_shape_route(kind);
	char fmt[64], where[PXL_ROUTE_MAX];
	struct pxl_response resp;
	struct pxl_at at;
	int rc;

	memset(out, 0, sizeof *out);
	*label_id = NULL;
	if (route == NULL)
		return err_setk(err, ERR_USAGE, "the platform has no %s shapes",
		                shape_kind_name(kind));
	snprintf(fmt, sizeof fmt, "/api/%s/%%s", route);
	snprintf(where, sizeof where, "GET /api/%s/\xe2\x80\xa6", route);
	if (call(p, "GET", pxl_path(fmt, shape_id), NULL, NULL, PXL_REPLAY_SAFE, &resp, err) < 0)
		return -1;
	pxl_at_set(&at, where, -1);
	rc = pxl_shape_parse(resp.json, kind, &at, out, label_id, err);
	cJSON_Delete(resp.json);
	return rc;
}

/* The server's shape as the conflict's current value ({"label_id":..., geometry}). */
static void shape_current_set(struct picsellia *p, enum shape_kind kind, const char *id,
                              struct picsellia_answer *ans)
{
	struct shape s;
	struct err err = {0};
	char *label = NULL;
	cJSON *j;

	if (picsellia_shape_current(p, kind, id, &s, &label, &err) < 0)
		return;
	j = pxl_shape_create_json(&s, label);
	if (j && s.text)
		cJSON_AddStringToObject(j, "text", s.text);
	free(ans->current_json);
	ans->current_json = j ? cJSON_PrintUnformatted(j) : NULL;
	cJSON_Delete(j);
	shape_clear(&s);
	free(label);
}

/* Whether a server shape is the one we asked for (after a lost answer). */
static int shape_matches(const cJSON *j, const struct shape *s, const char *label_id)
{
	struct shape got;
	struct pxl_at at = {{0}, NULL};
	struct err err = {0};
	char *label = NULL;
	int same;

	if (pxl_shape_parse(j, s->kind, &at, &got, &label, &err) < 0)
		return 0;
	same = strcmp(label, label_id) == 0 && lround(got.box.x) == lround(s->box.x) &&
	       lround(got.box.y) == lround(s->box.y) && lround(got.box.w) == lround(s->box.w) &&
	       lround(got.box.h) == lround(s->box.h) && got.npoints == s->npoints;
	for (int i = 0; same && i < s->npoints; i++)
		same = lround(got.points[i].x) == lround(s->points[i].x) &&
		       lround(got.points[i].y) == lround(s->points[i].y);
	shape_clear(&got);
	free(label);
	return same;
}

/* After a create whose answer was lost: *id is a shape on the annotation that is exactly the
 * one we sent (then it was made), or NULL. -1 when the annotation cannot be read. An identical
 * shape made before by someone else would be taken for ours; two identical shapes with one
 * label are a duplicate anyway. */
static int shape_made(struct picsellia *p, const char *ann, const struct shape *s,
                      const char *label_id, char **id, struct err *err)
{
	char fmt[80];
	struct pxl_response resp;
	const cJSON *items = NULL, *it;
	long count;

	*id = NULL;
	snprintf(fmt, sizeof fmt, "/api/annotation/%%s/%s", pxl_shape_plural(s->kind));
	if (call(p, "GET", pxl_path(fmt, ann), NULL, NULL, PXL_REPLAY_SAFE, &resp, err) < 0)
		return -1;
	if (pxl_envelope(resp.json, fmt, 0, &items, &count, err) < 0) {
		cJSON_Delete(resp.json);
		return -1;
	}
	cJSON_ArrayForEach(it, items)
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");

		if (cJSON_IsString(v) && shape_matches(it, s, label_id)) {
			*id = strdup(v->valuestring);
			break;
		}
	}
	cJSON_Delete(resp.json);
	return 0;
}

/* {"rectangles": [ {...} ]}: the bulk route with one element, as the SDK does. */
static cJSON *bulk_body(const struct shape *s, const char *label_id)
{
	cJSON *body = cJSON_CreateObject(), *list = cJSON_CreateArray();

	cJSON_AddItemToObject(body, pxl_shape_plural(s->kind), list);
	cJSON_AddItemToArray(list, pxl_shape_create_json(s, label_id));
	return body;
}

static int created_id(const cJSON *json, enum shape_kind kind, char **id, struct err *err)
{
	const char *plural = pxl_shape_plural(kind);
	struct pxl_at at;
	const cJSON *list;

	pxl_at_set(&at, "POST /api/annotation/\xe2\x80\xa6/bulk-*", -1);
	if ((list = pxl_jarr(json, plural, &at, err)) == NULL)
		return -1;
	if (cJSON_GetArraySize(list) != 1)
		return err_setk(err, ERR_PARSE, "%s: %d shapes made, not one", at.where,
		                cJSON_GetArraySize(list));
	return pxl_jstr(cJSON_GetArrayItem(list, 0), "id", &at, id, err);
}

static int shape_sendable(const struct shape *s, const char *label_id, struct err *err)
{
	if (pxl_shape_plural(s->kind) == NULL)
		return err_setk(err, ERR_USAGE, "the platform has no %s shapes",
		                shape_kind_name(s->kind));
	if (label_id == NULL || *label_id == '\0')
		return err_setk(err, ERR_USAGE, "a shape needs a label on the platform");
	if ((s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE) && s->nparts > 1)
		return err_setk(err, ERR_USAGE,
		                "a %s of %d parts cannot be sent: the platform keeps "
		                "one per shape",
		                shape_kind_name(s->kind), s->nparts);
	return 0;
}

/* One POST of the bulk create; 1 when it may have been applied and its answer is lost. */
static int create_once(struct picsellia *p, const char *ann, const struct shape *s,
                       const cJSON *body, struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};
	char fmt[80];
	int lost = 0;

	snprintf(fmt, sizeof fmt, "/api/annotation/%%s/bulk-%s", pxl_shape_plural(s->kind));
	if (call(p, "POST", pxl_path(fmt, ann), NULL, body, PXL_REPLAY_UNSAFE, &resp, &err) == 0) {
		if (created_id(resp.json, s->kind, &ans->new_id, &err) == 0)
			pxl_answer_done(ans);
		else
			pxl_answer_from(ans, &err);
	} else {
		pxl_answer_from(ans, &err);
		lost = resp.maybe_applied;
	}
	ans->maybe_applied = lost;
	cJSON_Delete(resp.json);
	return lost;
}

enum picsellia_outcome picsellia_shape_create(struct picsellia *p, const char *asset_id,
                                              const struct shape *s, const char *label_id,
                                              int resend, struct picsellia_answer *ans)
{
	struct err err = {0};
	char *ann = NULL;
	cJSON *body = NULL;
	int look = resend;

	answer_reset(ans);
	if (shape_sendable(s, label_id, &err) < 0 || annotation_ensure(p, asset_id, &ann, &err) < 0)
		return pxl_answer_from(ans, &err);
	body = bulk_body(s, label_id);
	for (int attempt = 1; attempt <= p->cfg.max_attempts; attempt++) {
		/* Made by an attempt whose answer was lost? Look before sending it again. */
		if (look && shape_made(p, ann, s, label_id, &ans->new_id, &err) < 0) {
			pxl_answer_from(ans, &err);
			ans->maybe_applied = 1;
		} else if (look && ans->new_id) {
			pxl_answer_done(ans);
			break;
		} else if (!create_once(p, ann, s, body, ans)) {
			break;
		}
		look = 1;
		if (attempt < p->cfg.max_attempts && pxl_sleep(p, pxl_backoff_ms(p, attempt)) < 0)
			break;
	}
	cJSON_Delete(body);
	free(ann);
	return ans->outcome;
}

static char *shape_path(enum shape_kind kind, const char *id)
{
	char fmt[64];

	if (pxl_shape_route(kind) == NULL)
		return NULL;
	snprintf(fmt, sizeof fmt, "/api/%s/%%s", pxl_shape_route(kind));
	return pxl_path(fmt, id);
}

enum picsellia_outcome picsellia_shape_update(struct picsellia *p, const char *shape_id,
                                              const struct shape *base, const char *base_label,
                                              const struct shape *mine, const char *label_id,
                                              struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};
	int changed = 0;
	cJSON *body;

	answer_reset(ans);
	if (base->kind != mine->kind || shape_sendable(mine, label_id ? label_id : "-", &err) < 0) {
		if (err.msg[0] == '\0')
			err_setk(&err, ERR_USAGE,
			         "a shape cannot change kind: delete and create it");
		return pxl_answer_from(ans, &err);
	}
	body = pxl_shape_patch_json(base, base_label, mine, label_id, &changed);
	if (body && !changed) {
		cJSON_Delete(body);
		return pxl_answer_done(ans);
	}
	if (call(p, "PATCH", shape_path(mine->kind, shape_id), NULL, body, PXL_REPLAY_SAFE, &resp,
	         &err) == 0)
		pxl_answer_done(ans);
	else if (pxl_answer_from(ans, &err) == PICSELLIA_CONFLICT && resp.status != 404)
		shape_current_set(p, mine->kind, shape_id, ans);
	cJSON_Delete(resp.json);
	cJSON_Delete(body);
	return ans->outcome;
}

enum picsellia_outcome picsellia_shape_delete(struct picsellia *p, enum shape_kind kind,
                                              const char *shape_id, struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};

	answer_reset(ans);
	if (call(p, "DELETE", shape_path(kind, shape_id), NULL, NULL, PXL_REPLAY_SAFE, &resp,
	         &err) == 0 ||
	    resp.status == 404)
		pxl_answer_done(ans);
	else if (pxl_answer_from(ans, &err) == PICSELLIA_CONFLICT)
		shape_current_set(p, kind, shape_id, ans);
	cJSON_Delete(resp.json);
	return ans->outcome;
}

/* ---- labels ----------------------------------------------------------------------------- */

static int label_find(struct picsellia *p, const char *version_id, const char *name, char **id,
                      struct err *err)
{
	struct pxl_query q;
	struct pxl_response resp;
	struct pxl_at at;
	int rc = -1;

	pxl_query_init(&q);
	pxl_query_add(&q, "name", name);
	pxl_at_set(&at, "GET /api/dataset/version/\xe2\x80\xa6/labels/find", -1);
	if (call(p, "GET", pxl_path("/api/dataset/version/%s/labels/find", version_id),
	         pxl_query_str(&q), NULL, PXL_REPLAY_SAFE, &resp, err) == 0)
		rc = pxl_jstr(resp.json, "id", &at, id, err);
	cJSON_Delete(resp.json);
	pxl_query_free(&q);
	return rc;
}

enum picsellia_outcome picsellia_label_push(struct picsellia *p, const char *version_id,
                                            const char *name, struct picsellia_answer *ans)
{
	struct pxl_response resp = {0};
	struct err err = {0};
	struct pxl_at at;
	cJSON *body = cJSON_CreateObject();

	answer_reset(ans);
	cJSON_AddStringToObject(body, "name", name ? name : "");
	pxl_at_set(&at, "POST /api/dataset/version/\xe2\x80\xa6/labels", -1);
	/* Repeating it is safe: a label made by a lost attempt answers 409 and is found. */
	if (call(p, "POST", pxl_path("/api/dataset/version/%s/labels", version_id), NULL, body,
	         PXL_REPLAY_SAFE, &resp, &err) == 0) {
		if (pxl_jstr(resp.json, "id", &at, &ans->new_id, &err) == 0)
			pxl_answer_done(ans);
		else
			pxl_answer_from(ans, &err);
	} else if (resp.status == 409 && label_find(p, version_id, name, &ans->new_id, &err) == 0) {
		pxl_answer_done(ans);
	} else {
		pxl_answer_from(ans, &err);
	}
	cJSON_Delete(resp.json);
	cJSON_Delete(body);
	return ans->outcome;
}
