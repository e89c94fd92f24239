/* The scripted backend (see backend_script.h). */
#include "backend_script.h"
#include "core/change.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void script_init(struct script *s, int nassets, int page_size)
{
	memset(s, 0, sizeof *s);
	s->nassets = nassets;
	s->page_size = page_size;
	s->fail_page = -1;
	s->next_answer = PUSH_DONE;
	for (int i = 0; i < nassets; i++) {
		s->assets[i].box = (struct rect){10 + i, 20, 30, 40};
		snprintf(s->assets[i].label, sizeof s->assets[i].label, "car");
	}
}

static struct script *script_of(struct backend *b)
{
	return b->priv;
}

static void script_caps(const struct backend *b, struct backend_caps *out)
{
	(void)b;
	out->containers = 1u << CONTAINER_VERSION;
	out->changes = ~0u;
	out->shape_kinds = 1u << SHAPE_BOX;
	out->review = REVIEW_ON_ANNOTATION;
	out->page_max = 1000;
	out->remote = 1;
	out->tags = 1;
}

static int page_asset(struct dataset_doc *doc, const struct script *s, int i)
{
	struct asset *a = dataset_doc_add_asset(doc);
	char name[32];
	struct shape *sh;

	if (a == NULL)
		return -1;
	snprintf(name, sizeof name, "a%d", i);
	a->ext_id = strdup(name);
	snprintf(name, sizeof name, "img_%03d.jpg", i);
	a->filename = strdup(name);
	a->width = 640;
	a->height = 480;
	a->status = s->assets[i].status;
	if (s->assets[i].tagged && asset_add_tag(a, "night") < 0)
		return -1;
	sh = asset_add_shape(a);
	if (sh == NULL)
		return -1;
	sh->kind = SHAPE_BOX;
	sh->label = strcmp(s->assets[i].label, "person") == 0 ? 1 : 0;
	sh->box = s->assets[i].box;
	snprintf(name, sizeof name, "s%d", i);
	sh->ext_id = strdup(name);
	return a->ext_id != NULL && a->filename != NULL && sh->ext_id != NULL ? 0 : -1;
}

static int page_labels(struct dataset_doc *doc)
{
	static const char *const names[] = {"car", "person"};

	for (int i = 0; i < 2; i++) {
		struct label *l = dataset_doc_add_label(doc);

		if (l == NULL || (l->name = strdup(names[i])) == NULL)
			return -1;
	}
	return 0;
}

static int script_pull(struct backend *b, const char *version, const char *cursor,
                       struct backend_page *out, struct err *err)
{
	struct script *s = script_of(b);
	int from = cursor != NULL ? atoi(cursor) : 0, page = from / s->page_size;
	char next[16];

	(void)version;
	if (s->cursors_asked < 32)
		snprintf(s->cursors[s->cursors_asked], sizeof s->cursors[0], "%s",
		         cursor != NULL ? cursor : "-");
	s->cursors_asked++;
	if (page == s->fail_page) {
		s->fail_page = -1;
		return err_setk(err, ERR_OFFLINE, "the scripted server dropped the connection");
	}
	out->doc = dataset_doc_new();
	if (out->doc == NULL || page_labels(out->doc) < 0)
		return err_set(err, "out of memory");
	for (int i = from; i < s->nassets && i < from + s->page_size; i++)
		if (!s->assets[i].gone && page_asset(out->doc, s, i) < 0)
			return err_set(err, "out of memory");
	out->total = s->nassets;
	if (from + s->page_size < s->nassets) {
		snprintf(next, sizeof next, "%d", from + s->page_size);
		out->next_cursor = strdup(next);
	}
	return 0;
}

/* The asset index an ext id "aN" names, or -1. */
static int asset_index(const struct script *s, const char *ext)
{
	int i = ext != NULL && ext[0] == 'a' ? atoi(ext + 1) : -1;

	return i >= 0 && i < s->nassets ? i : -1;
}

static int script_current(struct backend *b, const struct change *ch, struct change *theirs,
                          struct err *err)
{
	struct script *s = script_of(b);
	int i = asset_index(s, ch->asset.ext);

	if (i < 0)
		return err_setk(err, ERR_NOT_FOUND, "no asset %s",
		                ch->asset.ext ? ch->asset.ext : "?");
	if (s->assets[i].gone)
		return 1;
	theirs->kind = ch->kind;
	theirs->status = s->assets[i].status;
	/* the server knows the value of its own shape "s<i>"; of one it created, nothing more */
	if ((ch->kind == CHANGE_SHAPE_UPDATE || ch->kind == CHANGE_SHAPE_DELETE) &&
	    ch->shape.ext != NULL && ch->shape.ext[0] == 's') {
		theirs->has_value = 1;
		theirs->value.kind = SHAPE_BOX;
		theirs->value.label = -1;
		theirs->value.box = s->assets[i].box;
		theirs->label_name = strdup(s->assets[i].label);
	}
	return 0;
}

static void log_push(struct script *s, const struct change *ch)
{
	const char *ext = ch->shape.ext != NULL ? ch->shape.ext : ch->asset.ext;

	if (s->npushed >= SCRIPT_MAX_LOG)
		return;
	s->pushed[s->npushed] = ch->kind;
	snprintf(s->pushed_ext[s->npushed], sizeof s->pushed_ext[0], "%s", ext ? ext : "");
	s->npushed++;
}

static void apply(struct script *s, const struct change *ch, struct push_answer *ans)
{
	int i = asset_index(s, ch->asset.ext);
	char id[32];

	if (i < 0)
		return;
	switch (ch->kind) {
	case CHANGE_STATUS:
		s->assets[i].status = ch->status;
		break;
	case CHANGE_TAG_ADD:
	case CHANGE_TAG_REMOVE:
		s->assets[i].tagged = ch->kind == CHANGE_TAG_ADD;
		break;
	case CHANGE_SHAPE_CREATE:
		snprintf(id, sizeof id, "new%d", ++s->next_shape_id);
		ans->created_ext_id = strdup(id);
		break;
	case CHANGE_SHAPE_UPDATE:
		if (ch->shape.ext != NULL && ch->shape.ext[0] == 's')
			s->assets[i].box = ch->value.box;
		break;
	default:
		break;
	}
}

static int script_push(struct backend *b, const struct change *ch, struct push_answer *ans,
                       struct err *err)
{
	struct script *s = script_of(b);
	enum push_outcome answer = s->next_answer;

	(void)err;
	s->next_answer = PUSH_DONE;
	if (answer == PUSH_RETRY) {
		ans->retry_after = s->next_retry_after;
		return push_answer_set(ans, PUSH_RETRY, "scripted: try again later");
	}
	if (answer == PUSH_CONFLICT) {
		struct change theirs = {0};

		theirs.kind = ch->kind;
		theirs.status = REVIEW_REJECTED;
		ans->theirs_json = change_to_json(&theirs);
		return push_answer_set(ans, PUSH_CONFLICT,
		                       "scripted: someone else got there first");
	}
	if (answer == PUSH_REFUSED)
		return push_answer_set(ans, PUSH_REFUSED, "scripted: not allowed");
	log_push(s, ch);
	apply(s, ch, ans);
	return push_answer_set(ans, PUSH_DONE, "ok");
}

static void script_close(struct backend *b)
{
	b->priv = NULL; /* the caller owns the script */
}

static const struct backend_ops script_ops = {
    .kind = "script",
    .caps = script_caps,
    .pull = script_pull,
    .current = script_current,
    .push = script_push,
    .close = script_close,
};

int script_backend_open(struct script *s, struct backend **out)
{
	struct backend *b = calloc(1, sizeof *b);

	*out = NULL;
	if (b == NULL || (b->locator = strdup("script://test/org")) == NULL) {
		free(b);
		return -1;
	}
	b->ops = &script_ops;
	b->priv = s;
	*out = b;
	return 0;
}
