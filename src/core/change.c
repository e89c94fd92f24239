/* Platform-neutral changes and the JSON the outbox keeps them in (see change.h). */
#include "core/change.h"
#include "core/err.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[CHANGE_KIND_COUNT] = {
    [CHANGE_STATUS] = "annotation.status",  [CHANGE_TAG_ADD] = "tag.attach",
    [CHANGE_TAG_REMOVE] = "tag.detach",     [CHANGE_SHAPE_CREATE] = "shape.create",
    [CHANGE_SHAPE_UPDATE] = "shape.update", [CHANGE_SHAPE_DELETE] = "shape.delete",
    [CHANGE_LABEL_CREATE] = "label.create", [CHANGE_LABEL_DELETE] = "label.delete",
    [CHANGE_TASK_DECISION] = "task.decide",
};

static const char *const decision_names[TASK_DECISION_COUNT] = {
    [TASK_SUBMIT] = "submit",
    [TASK_ACCEPT] = "accept",
    [TASK_REJECT] = "reject",
    [TASK_SKIP] = "skip",
};

const char *change_kind_name(enum change_kind kind)
{
	return kind >= 0 && kind < CHANGE_KIND_COUNT ? kind_names[kind] : "unknown";
}

int change_kind_parse(const char *name, enum change_kind *out)
{
	for (int i = 0; name != NULL && i < CHANGE_KIND_COUNT; i++) {
		if (strcmp(kind_names[i], name) == 0) {
			*out = (enum change_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *task_decision_name(enum task_decision d)
{
	return d >= 0 && d < TASK_DECISION_COUNT ? decision_names[d] : "unknown";
}

int task_decision_parse(const char *name, enum task_decision *out)
{
	for (int i = 0; name != NULL && i < TASK_DECISION_COUNT; i++) {
		if (strcmp(decision_names[i], name) == 0) {
			*out = (enum task_decision)i;
			return 0;
		}
	}
	return -1;
}

/* ---- writing ------------------------------------------------------------------------------ */

/* cJSON prints a double with 15 digits when that reads back "close enough"; a pushed vertex
 * must be the one the user placed, so numbers go out with 17 significant digits. */
static cJSON *exact_number(double d)
{
	char text[40];

	snprintf(text, sizeof text, "%.17g", isfinite(d) ? d : 0.0);
	return cJSON_CreateRaw(text);
}

static int add_item(cJSON *o, const char *key, cJSON *item)
{
	if (item == NULL)
		return -1;
	if (!cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		return -1;
	}
	return 0;
}

static int add_text(cJSON *o, const char *key, const char *s)
{
	return add_item(o, key, s != NULL ? cJSON_CreateString(s) : cJSON_CreateNull());
}

/* A reference as "<key>": the source's id (or null) and "<key>_id": the row here. */
static int add_ref(cJSON *o, const char *key, const struct change_ref *r)
{
	char local_key[48];

	snprintf(local_key, sizeof local_key, "%s_id", key);
	/* no id on the source yet (a shape created offline): the key is left out */
	if (r->ext != NULL && add_text(o, key, r->ext) < 0)
		return -1;
	return r->local != 0 ? add_item(o, local_key, cJSON_CreateNumber((double)r->local)) : 0;
}

static cJSON *points_json(const struct shape *s)
{
	cJSON *arr = cJSON_CreateArray();

	for (int i = 0; arr != NULL && i < s->npoints; i++) {
		cJSON *pair = cJSON_CreateArray();

		if (pair == NULL || !cJSON_AddItemToArray(arr, pair) ||
		    !cJSON_AddItemToArray(pair, exact_number(s->points[i].x)) ||
		    !cJSON_AddItemToArray(pair, exact_number(s->points[i].y))) {
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *box_json(const struct rect *b)
{
	cJSON *arr = cJSON_CreateArray();

	if (arr == NULL || !cJSON_AddItemToArray(arr, exact_number(b->x)) ||
	    !cJSON_AddItemToArray(arr, exact_number(b->y)) ||
	    !cJSON_AddItemToArray(arr, exact_number(b->w)) ||
	    !cJSON_AddItemToArray(arr, exact_number(b->h))) {
		cJSON_Delete(arr);
		return NULL;
	}
	return arr;
}

/* A shape as {"kind", "box": [x, y, w, h], "points": [[x, y], ...], "parts": [end, ...],
 * "text", "extra"}, in image pixels. */
static cJSON *shape_json(const struct shape *s, const char *label_name, int with_label)
{
	cJSON *o = cJSON_CreateObject();
	int rc = o != NULL ? 0 : -1;

	if (rc == 0)
		rc = add_text(o, "kind", shape_kind_name(s->kind));
	if (rc == 0)
		rc = add_item(o, "box", box_json(&s->box));
	if (rc == 0 && s->npoints > 0)
		rc = add_item(o, "points", points_json(s));
	if (rc == 0 && s->nparts > 1)
		rc = add_item(o, "parts", cJSON_CreateIntArray(s->part_ends, s->nparts));
	if (rc == 0)
		rc = add_text(o, "text", s->text);
	if (rc == 0 && s->extra_json != NULL)
		rc = add_text(o, "extra", s->extra_json);
	if (rc == 0 && with_label)
		rc = add_text(o, "label", label_name);
	if (rc < 0) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_label(cJSON *o, const struct change *ch)
{
	cJSON *l;

	if (ch->label.local == 0 && ch->label.ext == NULL && ch->label_name == NULL)
		return add_item(o, "label", cJSON_CreateNull());
	l = cJSON_CreateObject();
	if (add_item(o, "label", l) < 0 || add_text(l, "id", ch->label.ext) < 0 ||
	    add_text(l, "name", ch->label_name) < 0)
		return -1;
	return ch->label.local != 0
	           ? add_item(l, "row", cJSON_CreateNumber((double)ch->label.local))
	           : 0;
}

static int add_refs(cJSON *o, const struct change *ch)
{
	return add_ref(o, "dataset", &ch->dataset) == 0 && add_ref(o, "asset", &ch->asset) == 0 &&
	               add_ref(o, "data", &ch->data) == 0 &&
	               add_ref(o, "annotation", &ch->annotation) == 0 &&
	               add_ref(o, "shape", &ch->shape) == 0 && add_ref(o, "task", &ch->task) == 0
	           ? 0
	           : -1;
}

static int add_values(cJSON *o, const struct change *ch)
{
	switch (ch->kind) {
	case CHANGE_STATUS:
		return add_text(o, "status", review_status_name(ch->status)) == 0 &&
		               add_text(o, "base_status", review_status_name(ch->base_status)) == 0
		           ? 0
		           : -1;
	case CHANGE_TAG_ADD:
	case CHANGE_TAG_REMOVE:
		return add_text(o, "tag", ch->tag);
	case CHANGE_TASK_DECISION:
		if (add_text(o, "decision", task_decision_name(ch->decision)) < 0 ||
		    add_text(o, "comment", ch->comment) < 0)
			return -1;
		return add_item(o, "duration", cJSON_CreateNumber(ch->duration));
	default:
		break;
	}
	if (ch->has_value && add_item(o, "value", shape_json(&ch->value, NULL, 0)) < 0)
		return -1;
	if (ch->has_base && add_item(o, "base", shape_json(&ch->base, ch->base_label_name, 1)) < 0)
		return -1;
	return add_label(o, ch);
}

char *change_to_json(const struct change *ch)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && add_refs(o, ch) == 0 && add_values(o, ch) == 0)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* ---- reading ------------------------------------------------------------------------------ */

struct reader {
	const char *what; /* the change kind, for messages */
	struct err *err;
};

static int bad(struct reader *rd, const char *field)
{
	return err_setk(rd->err, ERR_PARSE, "a queued %s is damaged: \"%s\" is missing or wrong",
	                rd->what, field);
}

/* A string or null member copied into *out (NULL for null or absent). */
static int take_text(struct reader *rd, const cJSON *o, const char *key, char **out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = NULL;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return bad(rd, key);
	*out = strdup(v->valuestring);
	return *out != NULL ? 0 : err_setk(rd->err, ERR_FAILED, "out of memory");
}

/* A row id: a whole number in the range of an int64_t (0 when absent). */
static int take_id(struct reader *rd, const cJSON *o, const char *key, int64_t *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = 0;
	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0 && v->valuedouble < 9.2e18) ||
	    v->valuedouble != floor(v->valuedouble))
		return bad(rd, key);
	*out = (int64_t)v->valuedouble;
	return 0;
}

static int take_ref(struct reader *rd, const cJSON *o, const char *key, struct change_ref *r)
{
	char local_key[48];

	snprintf(local_key, sizeof local_key, "%s_id", key);
	if (take_text(rd, o, key, &r->ext) < 0)
		return -1;
	return take_id(rd, o, local_key, &r->local);
}

static int take_number(struct reader *rd, const cJSON *v, double *out, const char *field)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return bad(rd, field);
	*out = v->valuedouble;
	return 0;
}

static int take_box(struct reader *rd, const cJSON *o, struct rect *b)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "box");
	double v[4];
	const cJSON *it;
	int n = 0;

	if (!cJSON_IsArray(arr))
		return bad(rd, "box");
	cJSON_ArrayForEach(it, arr)
	{
		if (n == 4 || take_number(rd, it, &v[n++], "box") < 0)
			return n == 4 ? bad(rd, "box") : -1;
	}
	if (n != 4)
		return bad(rd, "box");
	*b = (struct rect){v[0], v[1], v[2], v[3]};
	return 0;
}

static int take_points(struct reader *rd, const cJSON *o, struct shape *s)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "points"), *pair;

	if (arr == NULL)
		return 0;
	if (!cJSON_IsArray(arr))
		return bad(rd, "points");
	cJSON_ArrayForEach(pair, arr)
	{
		const cJSON *x = pair->child, *y = x != NULL ? x->next : NULL;
		double px = 0, py = 0;

		if (!cJSON_IsArray(pair) || y == NULL || y->next != NULL ||
		    take_number(rd, x, &px, "points") < 0 || take_number(rd, y, &py, "points") < 0)
			return bad(rd, "points");
		if (shape_add_point(s, px, py) < 0)
			return err_setk(rd->err, ERR_FAILED, "out of memory");
	}
	return 0;
}

static int take_parts(struct reader *rd, const cJSON *o, struct shape *s)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "parts"), *it;
	int count = 0, prev = 0;

	if (arr == NULL) /* one part: closed at the end of the points */
		return s->npoints > 0 && shape_end_part(s) < 0 ? bad(rd, "parts") : 0;
	if (!cJSON_IsArray(arr) || (s->part_ends = calloc((size_t)cJSON_GetArraySize(arr) + 1,
	                                                  sizeof *s->part_ends)) == NULL)
		return bad(rd, "parts");
	cJSON_ArrayForEach(it, arr)
	{
		double end = 0;

		if (take_number(rd, it, &end, "parts") < 0 || end < prev || end > s->npoints ||
		    end != floor(end))
			return bad(rd, "parts");
		prev = (int)end;
		s->part_ends[count++] = prev;
	}
	s->nparts = count;
	return 0;
}

static int take_shape(struct reader *rd, const cJSON *o, struct shape *s, char **label)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");

	memset(s, 0, sizeof *s);
	s->label = -1;
	if (!cJSON_IsObject(o))
		return bad(rd, "value");
	if (!cJSON_IsString(kind) || shape_kind_parse(kind->valuestring, &s->kind) < 0)
		return bad(rd, "kind");
	if (take_box(rd, o, &s->box) < 0 || take_points(rd, o, s) < 0 || take_parts(rd, o, s) < 0 ||
	    take_text(rd, o, "text", &s->text) < 0 || take_text(rd, o, "extra", &s->extra_json) < 0)
		return -1;
	return label != NULL ? take_text(rd, o, "label", label) : 0;
}

static int take_label(struct reader *rd, const cJSON *o, struct change *ch)
{
	const cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "label");

	if (l == NULL || cJSON_IsNull(l))
		return 0;
	if (!cJSON_IsObject(l))
		return bad(rd, "label");
	if (take_text(rd, l, "id", &ch->label.ext) < 0 ||
	    take_text(rd, l, "name", &ch->label_name) < 0)
		return -1;
	return take_id(rd, l, "row", &ch->label.local);
}

static int take_status(struct reader *rd, const cJSON *o, const char *key, enum review_status *out)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	*out = REVIEW_PENDING;
	if (v == NULL) /* entries queued before the base was kept */
		return 0;
	if (!cJSON_IsString(v) || review_status_parse(v->valuestring, out) < 0)
		return bad(rd, key);
	return 0;
}

static int take_task(struct reader *rd, const cJSON *o, struct change *ch)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "decision");
	const cJSON *dur = cJSON_GetObjectItemCaseSensitive(o, "duration");

	if (!cJSON_IsString(d) || task_decision_parse(d->valuestring, &ch->decision) < 0)
		return bad(rd, "decision");
	if (dur != NULL && take_number(rd, dur, &ch->duration, "duration") < 0)
		return -1;
	return take_text(rd, o, "comment", &ch->comment);
}

static int take_values(struct reader *rd, const cJSON *o, struct change *ch)
{
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(o, "value");
	const cJSON *base = cJSON_GetObjectItemCaseSensitive(o, "base");

	switch (ch->kind) {
	case CHANGE_STATUS:
		if (take_status(rd, o, "status", &ch->status) < 0)
			return -1;
		return take_status(rd, o, "base_status", &ch->base_status);
	case CHANGE_TAG_ADD:
	case CHANGE_TAG_REMOVE:
		if (take_text(rd, o, "tag", &ch->tag) < 0)
			return -1;
		return ch->tag != NULL ? 0 : bad(rd, "tag");
	case CHANGE_TASK_DECISION:
		return take_task(rd, o, ch);
	default:
		break;
	}
	if (value != NULL) {
		ch->has_value = 1;
		if (take_shape(rd, value, &ch->value, NULL) < 0)
			return -1;
	}
	if (base != NULL) {
		ch->has_base = 1;
		if (take_shape(rd, base, &ch->base, &ch->base_label_name) < 0)
			return -1;
	}
	return take_label(rd, o, ch);
}

int change_from_json(enum change_kind kind, const char *json, struct change *out, struct err *err)
{
	struct reader rd = {.what = change_kind_name(kind), .err = err};
	cJSON *o = json != NULL ? cJSON_Parse(json) : NULL;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->value.label = out->base.label = -1;
	if (kind < 0 || kind >= CHANGE_KIND_COUNT) {
		err_setk(err, ERR_PARSE, "a queued change of an unknown kind");
		goto out;
	}
	if (!cJSON_IsObject(o)) {
		err_setk(err, ERR_PARSE, "a queued %s is damaged: not a JSON object", rd.what);
		goto out;
	}
	if (take_ref(&rd, o, "dataset", &out->dataset) < 0 ||
	    take_ref(&rd, o, "asset", &out->asset) < 0 ||
	    take_ref(&rd, o, "data", &out->data) < 0 ||
	    take_ref(&rd, o, "annotation", &out->annotation) < 0 ||
	    take_ref(&rd, o, "shape", &out->shape) < 0 ||
	    take_ref(&rd, o, "task", &out->task) < 0 || take_values(&rd, o, out) < 0)
		goto out;
	rc = 0;
out:
	cJSON_Delete(o);
	if (rc < 0)
		change_clear(out);
	return rc;
}

static void ref_clear(struct change_ref *r)
{
	free(r->ext);
	r->ext = NULL;
	r->local = 0;
}

void change_clear(struct change *ch)
{
	ref_clear(&ch->dataset);
	ref_clear(&ch->asset);
	ref_clear(&ch->data);
	ref_clear(&ch->annotation);
	ref_clear(&ch->shape);
	ref_clear(&ch->label);
	ref_clear(&ch->task);
	free(ch->label_name);
	free(ch->tag);
	free(ch->comment);
	free(ch->base_label_name);
	shape_clear(&ch->value);
	shape_clear(&ch->base);
	memset(ch, 0, sizeof *ch);
	ch->value.label = ch->base.label = -1;
}

static int same_text(const char *a, const char *b)
{
	return (a == NULL || a[0] == '\0') ? (b == NULL || b[0] == '\0')
	                                   : (b != NULL && strcmp(a, b) == 0);
}

int change_shape_equal(const struct shape *a, const struct shape *b)
{
	if (a->kind != b->kind || a->npoints != b->npoints || !same_text(a->text, b->text))
		return 0;
	if (a->npoints == 0 && (a->box.x != b->box.x || a->box.y != b->box.y ||
	                        a->box.w != b->box.w || a->box.h != b->box.h))
		return 0;
	for (int i = 0; i < a->npoints; i++)
		if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y)
			return 0;
	return 1;
}
