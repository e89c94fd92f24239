/* The Picsellia platform behind the backend interface (api/backend.h): its containers, pages of
 * a dataset version's assets with their shapes (assets/extended), image bytes through
 * presigned URLs, the server's current values, and each platform-neutral change mapped to the
 * client's requests (picsellia.h). Opening it touches no network: the client connects on the
 * first call that needs it, so that a cached source works offline. */
#include "api/backend.h"
#include "api/picsellia/picsellia.h"
#include "api/registry.h"
#include "core/buf.h"
#include "core/change.h"
#include "core/err.h"
#include "core/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct pic_priv {
	struct picsellia *client;
	int connected;
	char *labels_of; /* the version whose labels are cached */
	struct label *labels;
	int nlabels;
};

static struct pic_priv *priv_of(struct backend *b)
{
	return b->priv;
}

/* The client, connected (ping and organization) on first use. */
/* A refused token: the user has to give another, and the message says how. */
static void auth_advice(struct err *err)
{
	if (err_kind_of(err) == ERR_AUTH)
		err_wrap(err, "the Picsellia token was refused: log in again with 'annotty login',"
		              " or set PICSELLIA_TOKEN");
}

static struct picsellia *client_of(struct backend *b, struct err *err)
{
	struct pic_priv *p = priv_of(b);

	if (!p->connected) {
		if (picsellia_connect(p->client, err) < 0) {
			auth_advice(err);
			return NULL;
		}
		p->connected = 1;
	}
	return p->client;
}

static void labels_drop(struct pic_priv *p)
{
	picsellia_label_list_free(&p->labels, p->nlabels);
	p->nlabels = 0;
	free(p->labels_of);
	p->labels_of = NULL;
}

/* The version's labels, read once per version (again when refresh is set). */
static int labels_load(struct backend *b, const char *version, int refresh, struct err *err)
{
	struct pic_priv *p = priv_of(b);
	struct picsellia *c;

	if (!refresh && p->labels_of != NULL && version != NULL &&
	    strcmp(p->labels_of, version) == 0)
		return 0;
	labels_drop(p);
	if ((c = client_of(b, err)) == NULL ||
	    picsellia_labels(c, version, &p->labels, &p->nlabels, err) < 0)
		return -1;
	p->labels_of = strdup(version);
	return p->labels_of != NULL ? 0 : err_set(err, "out of memory");
}

static const char *label_name_of(const struct pic_priv *p, const char *id)
{
	for (int i = 0; id != NULL && i < p->nlabels; i++)
		if (p->labels[i].ext_id != NULL && strcmp(p->labels[i].ext_id, id) == 0)
			return p->labels[i].name;
	return NULL;
}

static const char *label_id_of(const struct pic_priv *p, const char *name)
{
	for (int i = 0; name != NULL && i < p->nlabels; i++)
		if (p->labels[i].name != NULL && strcasecmp(p->labels[i].name, name) == 0)
			return p->labels[i].ext_id;
	return NULL;
}

static void pic_caps(const struct backend *b, struct backend_caps *out)
{
	(void)b;
	out->containers = 1u << CONTAINER_DATALAKE | 1u << CONTAINER_DATASET |
	                  1u << CONTAINER_VERSION | 1u << CONTAINER_CAMPAIGN | 1u << CONTAINER_STEP;
	out->changes = 1u << CHANGE_STATUS | 1u << CHANGE_TAG_ADD | 1u << CHANGE_TAG_REMOVE |
	               1u << CHANGE_SHAPE_CREATE | 1u << CHANGE_SHAPE_UPDATE |
	               1u << CHANGE_SHAPE_DELETE | 1u << CHANGE_LABEL_CREATE |
	               1u << CHANGE_TASK_DECISION;
	out->shape_kinds = 1u << SHAPE_BOX | 1u << SHAPE_POLYGON | 1u << SHAPE_LINE |
	                   1u << SHAPE_POINT | 1u << SHAPE_CLASSIFICATION;
	out->review = REVIEW_ON_ANNOTATION;
	out->page_max = PICSELLIA_PAGE_MAX;
	out->remote = 1;
	out->tags = 1;
}

/* ---- containers --------------------------------------------------------------------------- */

static struct container *list_grow(struct container_list *l, int n, struct err *err)
{
	l->items = calloc((size_t)n + 1, sizeof *l->items);
	if (l->items == NULL) {
		err_set(err, "out of memory");
		return NULL;
	}
	return l->items;
}

/* Moves s into *dst (NULL stays NULL); returns 0, or -1 when a copy was asked and failed. */
static int take(char **dst, char **s)
{
	*dst = *s;
	*s = NULL;
	return 0;
}

static int list_datasets(struct picsellia *c, struct container_list *out, struct err *err)
{
	struct picsellia_dataset *items = NULL;
	int n = 0;

	if (picsellia_datasets(c, &items, &n, err) < 0 || list_grow(out, n, err) == NULL)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct container *k = &out->items[out->n++];

		k->kind = CONTAINER_DATASET;
		k->count = -1;
		take(&k->ext_id, &items[i].id);
		take(&k->name, &items[i].name);
	}
	picsellia_dataset_list_free(&items, n);
	return 0;
fail:
	picsellia_dataset_list_free(&items, n);
	return -1;
}

static int list_versions(struct picsellia *c, const char *dataset, struct container_list *out,
                         struct err *err)
{
	struct picsellia_version *items = NULL;
	int n = 0;

	if (dataset == NULL)
		return err_setk(err, ERR_USAGE, "listing versions needs their dataset");
	if (picsellia_versions(c, dataset, &items, &n, err) < 0 || list_grow(out, n, err) == NULL)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct container *k = &out->items[out->n++];

		k->kind = CONTAINER_VERSION;
		k->count = -1;
		take(&k->ext_id, &items[i].id);
		take(&k->parent_ext_id, &items[i].origin_id);
		take(&k->name, &items[i].version);
		take(&k->type, &items[i].type);
		/* the dataset's name and the campaign, for the cache's own naming */
		if (items[i].origin_name != NULL || items[i].campaign_id != NULL) {
			char extra[1024];

			snprintf(extra, sizeof extra, "{\"dataset\":\"%s\",\"campaign\":\"%s\"}",
			         items[i].origin_name ? items[i].origin_name : "",
			         items[i].campaign_id ? items[i].campaign_id : "");
			k->extra_json = strdup(extra);
		}
	}
	picsellia_version_list_free(&items, n);
	return 0;
fail:
	picsellia_version_list_free(&items, n);
	return -1;
}

static int list_datalakes(struct picsellia *c, struct container_list *out, struct err *err)
{
	struct picsellia_datalake *items = NULL;
	int n = 0;

	if (picsellia_datalakes(c, &items, &n, err) < 0 || list_grow(out, n, err) == NULL)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct container *k = &out->items[out->n++];

		k->kind = CONTAINER_DATALAKE;
		k->count = -1;
		take(&k->ext_id, &items[i].id);
		take(&k->name, &items[i].name);
	}
	picsellia_datalake_list_free(&items, n);
	return 0;
fail:
	picsellia_datalake_list_free(&items, n);
	return -1;
}

static int list_campaigns(struct picsellia *c, struct container_list *out, struct err *err)
{
	struct picsellia_campaign *items = NULL;
	int n = 0;

	if (picsellia_campaigns(c, &items, &n, err) < 0 || list_grow(out, n, err) == NULL)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct container *k = &out->items[out->n++];

		k->kind = CONTAINER_CAMPAIGN;
		k->count = -1;
		take(&k->ext_id, &items[i].id);
		take(&k->parent_ext_id, &items[i].dataset_version_id);
		take(&k->name, &items[i].name);
		take(&k->extra_json, &items[i].instructions_text);
	}
	picsellia_campaign_list_free(&items, n);
	return 0;
fail:
	picsellia_campaign_list_free(&items, n);
	return -1;
}

static int list_steps(struct picsellia *c, const char *campaign, struct container_list *out,
                      struct err *err)
{
	struct picsellia_step *items = NULL;
	int n = 0;

	if (campaign == NULL)
		return err_setk(err, ERR_USAGE, "listing steps needs their campaign");
	if (picsellia_steps(c, campaign, &items, &n, err) < 0 || list_grow(out, n, err) == NULL)
		goto fail;
	for (int i = 0; i < n; i++) {
		struct container *k = &out->items[out->n++];

		k->kind = CONTAINER_STEP;
		k->count = -1;
		k->position = items[i].order;
		take(&k->ext_id, &items[i].id);
		take(&k->name, &items[i].name);
		take(&k->type, &items[i].type);
		k->parent_ext_id = strdup(campaign);
	}
	picsellia_step_list_free(&items, n);
	return 0;
fail:
	picsellia_step_list_free(&items, n);
	return -1;
}

static int pic_list(struct backend *b, enum container_kind kind, const char *parent,
                    struct container_list *out, struct err *err)
{
	struct picsellia *c = client_of(b, err);
	int rc;

	if (c == NULL)
		return -1;
	switch (kind) {
	case CONTAINER_DATASET:
		rc = list_datasets(c, out, err);
		break;
	case CONTAINER_VERSION:
		rc = list_versions(c, parent, out, err);
		break;
	case CONTAINER_DATALAKE:
		rc = list_datalakes(c, out, err);
		break;
	case CONTAINER_CAMPAIGN:
		rc = list_campaigns(c, out, err);
		break;
	case CONTAINER_STEP:
		rc = list_steps(c, parent, out, err);
		break;
	default:
		return err_setk(err, ERR_USAGE, "Picsellia has no such container");
	}
	if (rc < 0)
		container_list_clear(out);
	return rc;
}

/* ---- pulls -------------------------------------------------------------------------------- */

static int doc_labels(struct dataset_doc *doc, const struct pic_priv *p)
{
	for (int i = 0; i < p->nlabels; i++) {
		struct label *l = dataset_doc_add_label(doc);

		if (l == NULL || (l->name = strdup(p->labels[i].name)) == NULL ||
		    (p->labels[i].ext_id != NULL &&
		     (l->ext_id = strdup(p->labels[i].ext_id)) == NULL))
			return -1;
	}
	return 0;
}

/* The page's assets moved into the doc, with the ids the cache keeps beside them. */
static int doc_assets(struct dataset_doc *doc, struct picsellia_asset_page *page)
{
	for (int i = 0; i < page->n; i++) {
		struct picsellia_asset *pa = &page->items[i];
		struct asset *a = dataset_doc_add_asset(doc);

		if (a == NULL)
			return -1;
		*a = pa->asset;
		memset(&pa->asset, 0, sizeof pa->asset);
		a->data_ext_id = pa->data_id;
		pa->data_id = NULL;
		a->annotation_ext_id = pa->annotation_id;
		pa->annotation_id = NULL;
	}
	return 0;
}

static int pic_pull(struct backend *b, const char *version, const char *cursor,
                    struct backend_page *out, struct err *err)
{
	struct pic_priv *p = priv_of(b);
	struct picsellia_asset_page page = {0};
	struct picsellia *c;
	long from = cursor != NULL ? strtol(cursor, NULL, 10) : 0;
	char next[32];
	int rc = -1;

	if (version == NULL)
		return err_setk(err, ERR_USAGE, "a Picsellia pull needs its dataset version");
	/* the labels are read again at the start of each pull: a page carries them all */
	if ((c = client_of(b, err)) == NULL || labels_load(b, version, cursor == NULL, err) < 0 ||
	    picsellia_assets_extended_page(c, version, NULL, from < 0 ? 0 : from,
	                                   PICSELLIA_PAGE_MAX, p->labels, p->nlabels, &page,
	                                   err) < 0)
		goto out;
	out->doc = dataset_doc_new();
	if (out->doc == NULL || doc_labels(out->doc, p) < 0 || doc_assets(out->doc, &page) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	out->total = page.count;
	if (page.next >= 0) {
		snprintf(next, sizeof next, "%ld", page.next);
		if ((out->next_cursor = strdup(next)) == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	picsellia_asset_page_clear(&page);
	return rc;
}

/* A platform data item as a domain data item (its strings moved). */
static void data_take(struct data_item *d, struct picsellia_data *pd)
{
	take(&d->ext_id, &pd->id);
	take(&d->filename, &pd->filename);
	take(&d->object_name, &pd->object_name);
	take(&d->content_type, &pd->content_type);
	take(&d->type, &pd->type);
	take(&d->upload_status, &pd->upload_status);
	take(&d->extra_json, &pd->extra_json);
	d->width = pd->width;
	d->height = pd->height;
	d->tags = pd->tags;
	d->ntags = pd->ntags;
	pd->tags = NULL;
	pd->ntags = 0;
}

static int pic_pull_data(struct backend *b, const char *datalake, const char *cursor,
                         struct data_page *out, struct err *err)
{
	struct picsellia_data_page page = {0};
	struct picsellia *c = client_of(b, err);
	long from = cursor != NULL ? strtol(cursor, NULL, 10) : 0;
	char next[32];
	int rc = -1;

	if (c == NULL || picsellia_data_page(c, datalake, NULL, from < 0 ? 0 : from,
	                                     PICSELLIA_PAGE_MAX, &page, err) < 0)
		goto out;
	out->items = calloc((size_t)page.n + 1, sizeof *out->items);
	if (out->items == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < page.n; i++)
		data_take(&out->items[out->n++], &page.items[i]);
	out->total = page.count;
	if (page.next >= 0) {
		snprintf(next, sizeof next, "%ld", page.next);
		if ((out->next_cursor = strdup(next)) == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	picsellia_data_page_clear(&page);
	return rc;
}

static int pic_fetch_image(struct backend *b, const struct image_ref *ref, struct buf *out,
                           struct err *err)
{
	struct picsellia *c = client_of(b, err);
	struct picsellia_download d = {.data_id = ref->data_ext_id};
	int rc;

	if (c == NULL)
		return -1;
	if (ref->data_ext_id == NULL)
		return err_setk(err, ERR_NOT_FOUND, "the asset names no data item");
	if (picsellia_download_many(c, &d, 1, 1, err) < 0)
		return -1;
	rc = buf_append(out, d.bytes, d.len) < 0
	         ? err_setk(err, ERR_TOO_LARGE, "the image does not fit in %zu bytes", out->max)
	         : 0;
	free(d.bytes);
	return rc;
}

/* Downloads at once through the client's parallel fetch (a bound of PICSELLIA_PARALLEL_MAX). */
#define PIC_PARALLEL 8

static int pic_fetch_images(struct backend *b, const struct image_ref *refs,
                            const char *const *paths, int n, int *ok, struct err *err)
{
	struct picsellia *c = client_of(b, err);
	struct picsellia_download *d;
	int got = 0;

	if (c == NULL)
		return -1;
	d = calloc((size_t)n + 1, sizeof *d);
	if (d == NULL)
		return err_set(err, "out of memory");
	for (int i = 0; i < n; i++) {
		d[i].data_id = refs[i].data_ext_id;
		d[i].path = paths[i];
	}
	picsellia_download_many(c, d, n, PIC_PARALLEL, err); /* each item says how it went */
	for (int i = 0; i < n; i++) {
		ok[i] = d[i].status == 0 && refs[i].data_ext_id != NULL;
		got += ok[i];
		if (!ok[i] && got == 0)
			*err = d[i].err;
	}
	free(d);
	return got > 0 || n == 0 ? 0 : -1;
}

/* ---- campaigns ---------------------------------------------------------------------------- */

static int pic_whoami(struct backend *b, struct backend_user *out, struct err *err)
{
	struct picsellia *c = client_of(b, err);
	const char *id;

	if (c == NULL || (id = picsellia_user_id(c, err)) == NULL)
		return -1;
	out->ext_id = strdup(id);
	out->username =
	    strdup(picsellia_session(c)->username ? picsellia_session(c)->username : "");
	return out->ext_id != NULL && out->username != NULL ? 0 : err_set(err, "out of memory");
}

static int pic_users(struct backend *b, struct backend_user **out, int *n, struct err *err)
{
	struct picsellia *c = client_of(b, err);
	struct picsellia_user *items = NULL;
	int count = 0;

	if (c == NULL || picsellia_users(c, &items, &count, err) < 0)
		return -1;
	*out = calloc((size_t)count + 1, sizeof **out);
	if (*out == NULL) {
		picsellia_user_list_free(&items, count);
		return err_set(err, "out of memory");
	}
	for (int i = 0; i < count; i++) {
		take(&(*out)[i].ext_id, &items[i].id);
		take(&(*out)[i].username, &items[i].username);
	}
	*n = count;
	picsellia_user_list_free(&items, count);
	return 0;
}

static int steps_take(struct picsellia_step *items, int n, struct campaign_step **out, int *nout,
                      struct err *err)
{
	*out = calloc((size_t)n + 1, sizeof **out);
	if (*out == NULL)
		return err_set(err, "out of memory");
	for (int i = 0; i < n; i++) {
		struct campaign_step *s = &(*out)[(*nout)++];

		take(&s->ext_id, &items[i].id);
		take(&s->name, &items[i].name);
		s->position = items[i].order;
		s->assignees = items[i].assignees; /* moved: the item no longer owns them */
		s->nassignees = items[i].nassignees;
		items[i].assignees = NULL;
		items[i].nassignees = 0;
		if (step_type_parse(items[i].type, &s->type) < 0)
			s->type = STEP_REVIEW; /* QUALITY_CONTROL reviews too */
	}
	return 0;
}

static int pic_campaign_of(struct backend *b, const char *version, struct campaign *cp,
                           struct campaign_step **steps, int *nsteps, struct err *err)
{
	struct picsellia_version v = {0};
	struct picsellia_campaign pc = {0};
	struct picsellia_step *items = NULL;
	struct picsellia *c = client_of(b, err);
	int n = 0, rc = -1;

	if (c == NULL || picsellia_version_get(c, version, &v, err) < 0)
		goto out;
	if (v.campaign_id == NULL) {
		rc = 1;
		goto out;
	}
	if (picsellia_campaign_get(c, v.campaign_id, &pc, err) < 0 ||
	    picsellia_steps(c, v.campaign_id, &items, &n, err) < 0 ||
	    steps_take(items, n, steps, nsteps, err) < 0)
		goto out;
	take(&cp->ext_id, &pc.id);
	take(&cp->name, &pc.name);
	take(&cp->instructions, &pc.instructions_text);
	cp->version_ext_id = strdup(version);
	rc = 0;
out:
	picsellia_step_list_free(&items, n);
	picsellia_campaign_clear(&pc);
	picsellia_version_clear(&v);
	return rc;
}

static void assignment_take(struct assignment *a, struct picsellia_asset *pa)
{
	struct picsellia_assignment *pas = &pa->assignment;

	take(&a->ext_id, &pas->id);
	a->asset_ext_id = pas->asset_id != NULL ? pas->asset_id : pa->asset.ext_id;
	if (pas->asset_id != NULL)
		pas->asset_id = NULL;
	else
		pa->asset.ext_id = NULL;
	take(&a->step_ext_id, &pas->step_id);
	take(&a->user_ext_id, &pas->user_id);
	take(&a->comment, &pas->comment);
	a->rejected_count = pas->rejected_count;
	if (assignment_status_parse(pas->status, &a->status) < 0)
		a->status = ASSIGNMENT_PENDING;
}

static int pic_pull_tasks(struct backend *b, const char *version, const char *step,
                          const char *cursor, struct task_page *out, struct err *err)
{
	struct picsellia_asset_filter f = {.assignment_step_id = step};
	struct picsellia_asset_page page = {0};
	struct picsellia *c = client_of(b, err);
	long from = cursor != NULL ? strtol(cursor, NULL, 10) : 0;
	char next[32];
	int rc = -1;

	if (c == NULL || picsellia_assets_page(c, version, &f, from < 0 ? 0 : from,
	                                       PICSELLIA_PAGE_MAX, NULL, 0, &page, err) < 0)
		goto out;
	out->items = calloc((size_t)page.n + 1, sizeof *out->items);
	if (out->items == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < page.n; i++)
		if (page.items[i].has_assignment)
			assignment_take(&out->items[out->n++], &page.items[i]);
	out->total = page.count;
	if (page.next >= 0) {
		snprintf(next, sizeof next, "%ld", page.next);
		if ((out->next_cursor = strdup(next)) == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	picsellia_asset_page_clear(&page);
	return rc;
}

/* ---- current values ----------------------------------------------------------------------- */

static int current_status(struct picsellia *c, const struct change *ch, struct change *theirs,
                          struct err *err)
{
	char *annotation = NULL;
	int rc;

	rc = picsellia_annotation_current(c, ch->asset.ext, &annotation, &theirs->status, err);
	free(annotation);
	if (rc < 0)
		return err_kind_of(err) == ERR_NOT_FOUND ? 1 : -1;
	return 0;
}

static int current_shape(struct backend *b, struct picsellia *c, const struct change *ch,
                         struct change *theirs, struct err *err)
{
	const char *name;
	char *label_id = NULL;
	enum shape_kind kind = ch->has_base ? ch->base.kind : ch->value.kind;

	if (ch->shape.ext == NULL)
		return 0; /* created here and not pushed: the source has no value of it */
	if (picsellia_shape_current(c, kind, ch->shape.ext, &theirs->value, &label_id, err) < 0)
		return err_kind_of(err) == ERR_NOT_FOUND ? 1 : -1;
	theirs->has_value = 1;
	if (ch->dataset.ext != NULL && labels_load(b, ch->dataset.ext, 0, err) < 0) {
		free(label_id);
		return -1;
	}
	name = label_name_of(priv_of(b), label_id);
	theirs->label_name = name != NULL ? strdup(name) : NULL;
	theirs->label.ext = label_id;
	return 0;
}

static int pic_current(struct backend *b, const struct change *ch, struct change *theirs,
                       struct err *err)
{
	struct picsellia *c = client_of(b, err);

	if (c == NULL)
		return -1;
	theirs->kind = ch->kind;
	if (ch->asset.ext == NULL)
		return err_setk(err, ERR_NOT_FOUND, "the asset is not on the platform");
	if (ch->kind == CHANGE_STATUS)
		return current_status(c, ch, theirs, err);
	if (ch->kind == CHANGE_SHAPE_UPDATE || ch->kind == CHANGE_SHAPE_DELETE)
		return current_shape(b, c, ch, theirs, err);
	return 0;
}

/* ---- pushes ------------------------------------------------------------------------------- */

static const enum picsellia_task_action task_actions[TASK_DECISION_COUNT] = {
    [TASK_SUBMIT] = PICSELLIA_TASK_SUBMIT,
    [TASK_ACCEPT] = PICSELLIA_TASK_ACCEPT,
    [TASK_REJECT] = PICSELLIA_TASK_REJECT,
    [TASK_SKIP] = PICSELLIA_TASK_SKIP,
};

/* The label a shape goes to on the platform: its id once known, else found or made by name. */
static int shape_label(struct backend *b, struct picsellia *c, const struct change *ch,
                       char **owned, const char **id, struct err *err)
{
	struct picsellia_answer ans = {0};

	*id = ch->label.ext;
	*owned = NULL;
	if (*id != NULL || ch->label_name == NULL)
		return 0;
	if (ch->dataset.ext != NULL && labels_load(b, ch->dataset.ext, 0, err) == 0 &&
	    (*id = label_id_of(priv_of(b), ch->label_name)) != NULL)
		return 0;
	if (picsellia_label_push(c, ch->dataset.ext, ch->label_name, &ans) != PICSELLIA_DONE) {
		*err = ans.err;
		picsellia_answer_clear(&ans);
		return -1;
	}
	*owned = ans.new_id;
	ans.new_id = NULL;
	*id = *owned;
	picsellia_answer_clear(&ans);
	return 0;
}

static enum picsellia_outcome push_shape(struct backend *b, struct picsellia *c,
                                         const struct change *ch, int resend,
                                         struct picsellia_answer *ans)
{
	const char *label = NULL;
	char *owned = NULL;
	enum picsellia_outcome o;

	if (ch->kind == CHANGE_SHAPE_DELETE)
		return picsellia_shape_delete(c, ch->base.kind, ch->shape.ext, ans);
	if (shape_label(b, c, ch, &owned, &label, &ans->err) < 0)
		return err_kind_of(&ans->err) == ERR_RETRY || err_kind_of(&ans->err) == ERR_OFFLINE
		           ? PICSELLIA_RETRY
		           : PICSELLIA_REFUSED;
	if (ch->kind == CHANGE_SHAPE_CREATE)
		o = picsellia_shape_create(c, ch->asset.ext, &ch->value, label, resend, ans);
	else
		o = picsellia_shape_update(c, ch->shape.ext, ch->has_base ? &ch->base : NULL,
		                           ch->base_label_name, &ch->value, label, ans);
	free(owned);
	return o;
}

static enum picsellia_outcome push_call(struct backend *b, struct picsellia *c,
                                        const struct change *ch, int resend,
                                        struct picsellia_answer *ans)
{
	switch (ch->kind) {
	case CHANGE_STATUS:
		return picsellia_status_push(c, ch->asset.ext, ch->annotation.ext, ch->status, ans);
	case CHANGE_TAG_ADD:
	case CHANGE_TAG_REMOVE:
		/* a datalake item's tag, or an asset's in its version */
		if (ch->data.local != 0 || (ch->data.ext != NULL && ch->asset.ext == NULL))
			return picsellia_data_tag_push(c, ch->dataset.ext, ch->data.ext, ch->tag,
			                               ch->kind == CHANGE_TAG_ADD, ans);
		return picsellia_asset_tag_push(c, ch->dataset.ext, ch->asset.ext, ch->tag,
		                                ch->kind == CHANGE_TAG_ADD, ans);
	case CHANGE_SHAPE_CREATE:
	case CHANGE_SHAPE_UPDATE:
	case CHANGE_SHAPE_DELETE:
		return push_shape(b, c, ch, resend, ans);
	case CHANGE_LABEL_CREATE:
		return picsellia_label_push(c, ch->dataset.ext, ch->label_name, ans);
	case CHANGE_TASK_DECISION:
		return picsellia_task_decide(c, ch->task.ext, task_actions[ch->decision],
		                             ch->duration, ch->comment, NULL, NULL, ans);
	default:
		err_setk(&ans->err, ERR_USAGE, "Picsellia takes no %s", change_kind_name(ch->kind));
		return PICSELLIA_REFUSED;
	}
}

/* The source's value beside a conflict, as change JSON (NULL when it is gone or unknown). */
static char *theirs_of(struct backend *b, const struct change *ch)
{
	struct change theirs;
	struct err err = {0};
	char *json = NULL;

	if (backend_current(b, ch, &theirs, &err) == 0)
		json = change_to_json(&theirs);
	change_clear(&theirs);
	return json;
}

/* A change is addressed by what the platform knows: an asset it never had cannot take one. */
static int addressable(const struct change *ch)
{
	if (ch->kind == CHANGE_LABEL_CREATE || ch->kind == CHANGE_LABEL_DELETE)
		return ch->dataset.ext != NULL;
	if (ch->kind == CHANGE_TASK_DECISION)
		return ch->task.ext != NULL;
	if (ch->data.local != 0)
		return ch->data.ext != NULL && ch->dataset.ext != NULL;
	if ((ch->kind == CHANGE_SHAPE_UPDATE || ch->kind == CHANGE_SHAPE_DELETE) &&
	    ch->shape.ext == NULL)
		return 0;
	return ch->asset.ext != NULL;
}

static int pic_push(struct backend *b, const struct change *ch, struct push_answer *out,
                    struct err *err)
{
	struct picsellia_answer ans = {0};
	struct picsellia *c;
	enum picsellia_outcome o;

	if (!addressable(ch))
		return push_answer_set(out, PUSH_REFUSED, "the platform does not know this %s yet",
		                       ch->kind == CHANGE_LABEL_CREATE ? "dataset version"
		                                                       : "object");
	if ((c = client_of(b, err)) == NULL)
		return -1; /* offline or refused before anything was sent */
	/* A create may be a replay: sent before by a run that died, or whose answer was lost,
	 * before the cache recorded it. Nothing here tells, so the annotation is always looked
	 * at first and a shape exactly like it there is taken as the one sent. */
	o = push_call(b, c, ch, ch->kind == CHANGE_SHAPE_CREATE, &ans);
	if (o == PICSELLIA_REFUSED && err_kind_of(&ans.err) == ERR_AUTH) {
		/* the token, not the edit, is wrong: the edit waits for a right one */
		*err = ans.err;
		auth_advice(err);
		picsellia_answer_clear(&ans);
		return -1;
	}
	switch (o) {
	case PICSELLIA_DONE:
		push_answer_set(out, PUSH_DONE, "done");
		out->created_ext_id = ans.new_id;
		ans.new_id = NULL;
		break;
	case PICSELLIA_CONFLICT:
		push_answer_set(out, PUSH_CONFLICT, "%s", ans.err.msg);
		out->theirs_json = theirs_of(b, ch);
		break;
	case PICSELLIA_RETRY:
		push_answer_set(out, PUSH_RETRY, "%s", ans.err.msg);
		out->retry_after = ans.retry_after;
		break;
	default:
		push_answer_set(out, PUSH_REFUSED, "%s", ans.err.msg);
		break;
	}
	picsellia_answer_clear(&ans);
	return 0;
}

static void pic_close(struct backend *b)
{
	struct pic_priv *p = priv_of(b);

	if (p == NULL)
		return;
	labels_drop(p);
	picsellia_free(&p->client);
	free(p);
	b->priv = NULL;
}

static const struct backend_ops picsellia_ops = {
    .kind = "picsellia",
    .caps = pic_caps,
    .list = pic_list,
    .pull = pic_pull,
    .pull_data = pic_pull_data,
    .fetch_image = pic_fetch_image,
    .fetch_images = pic_fetch_images,
    .whoami = pic_whoami,
    .users = pic_users,
    .campaign_of = pic_campaign_of,
    .pull_tasks = pic_pull_tasks,
    .current = pic_current,
    .push = pic_push,
    .close = pic_close,
};

/* What names the source in the cache: the host and the organization as configured (the
 * default organization is only known online, so it is named "default"). */
static char *locator_make(const struct backend_locator *loc)
{
	const char *org =
	    loc->organization != NULL && loc->organization[0] ? loc->organization : "default";
	size_t n = strlen(loc->host) + strlen(org) + 16;
	char *s = malloc(n);

	if (s != NULL)
		snprintf(s, n, "picsellia:%s#%s", loc->host, org);
	return s;
}

/* A uuid names an organization by id; anything else is its name. */
static int looks_like_uuid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((i == 8 || i == 13 || i == 18 || i == 23)
		        ? s[i] != '-'
		        : strchr("0123456789abcdefABCDEF", s[i]) == NULL)
			return 0;
	return 1;
}

int backend_picsellia_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	struct picsellia_config cfg = {
	    .host = loc->host,
	    .token = loc->token,
	    .ca_bundle = loc->ca_bundle,
	};
	struct backend *b = NULL;
	struct pic_priv *p = NULL;
	int rc = -1;

	*out = NULL;
	if (loc->host == NULL || loc->host[0] == '\0')
		return err_setk(err, ERR_USAGE, "no Picsellia host given");
	if (loc->token == NULL || loc->token[0] == '\0')
		return err_setk(err, ERR_AUTH,
		                "no Picsellia token: log in with 'annotty login', or"
		                " set PICSELLIA_TOKEN");
	if (looks_like_uuid(loc->organization))
		cfg.org_id = loc->organization;
	else
		cfg.org_name = loc->organization;
	b = calloc(1, sizeof *b);
	p = calloc(1, sizeof *p);
	if (b == NULL || p == NULL || (b->locator = locator_make(loc)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	b->ops = &picsellia_ops;
	b->priv = p;
	p = NULL;
	if (picsellia_new(&cfg, &priv_of(b)->client, err) < 0)
		goto out;
	*out = b;
	b = NULL;
	rc = 0;
out:
	free(p);
	backend_close(&b);
	return rc;
}
