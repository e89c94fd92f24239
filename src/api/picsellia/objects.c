/* The platform's objects (spec §4.2, §5.1, §6, §12.1) read into the client's structs, each
 * field validated as it is read; and the functions that free them. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

int pxl_parse_tag(const cJSON *j, const struct pxl_at *at, struct picsellia_tag *out,
                  struct err *err)
{
	memset(out, 0, sizeof *out);
	if (pxl_jstr(j, "id", at, &out->id, err) < 0 ||
	    pxl_jstr(j, "name", at, &out->name, err) < 0 ||
	    pxl_jstr_opt(j, "target_type", at, &out->target_type, err) < 0) {
		picsellia_tag_clear(out);
		return -1;
	}
	return 0;
}

/* metadata and custom_metadata, kept as they came for the caller. */
static int data_extra(const cJSON *j, struct picsellia_data *out, const struct pxl_at *at,
                      struct err *err)
{
	const char *keys[] = {"metadata", "custom_metadata"};
	cJSON *extra = cJSON_CreateObject();
	int any = 0;

	if (extra == NULL)
		return err_set(err, "%s: out of memory", at->where);
	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[i]);

		if (v && !cJSON_IsNull(v)) {
			cJSON_AddItemToObject(extra, keys[i], cJSON_Duplicate(v, 1));
			any = 1;
		}
	}
	if (any)
		out->extra_json = cJSON_PrintUnformatted(extra);
	cJSON_Delete(extra);
	return 0;
}

static int data_size(const cJSON *j, const struct pxl_at *at, struct picsellia_data *out,
                     struct err *err)
{
	long w = 0, h = 0;

	/* The size is required once the upload is done (spec §11.2); before, it is 0. */
	if (strcmp(out->upload_status, "DONE") == 0) {
		if (pxl_jint(j, "meta.width", at, &w, err) < 0 ||
		    pxl_jint(j, "meta.height", at, &h, err) < 0)
			return -1;
	} else if (pxl_jint_opt(j, "meta.width", at, 0, &w, err) < 0 ||
	           pxl_jint_opt(j, "meta.height", at, 0, &h, err) < 0) {
		return -1;
	}
	if (w < 0 || h < 0 || w > 1000000 || h > 1000000)
		return err_setk(err, ERR_PARSE, "%s: the size %ldx%ld is out of range", at->where,
		                w, h);
	out->width = (int)w;
	out->height = (int)h;
	return 0;
}

int pxl_parse_data(const cJSON *j, const struct pxl_at *at, struct picsellia_data *out,
                   struct err *err)
{
	const cJSON *tags = NULL;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(j)) {
		err_setk(err, ERR_PARSE, "%s: the data item is not an object", at->where);
		goto fail;
	}
	if (pxl_jstr(j, "id", at, &out->id, err) < 0 ||
	    pxl_jstr(j, "filename", at, &out->filename, err) < 0 ||
	    pxl_jstr(j, "object_name", at, &out->object_name, err) < 0 ||
	    pxl_jstr(j, "content_type", at, &out->content_type, err) < 0 ||
	    pxl_jstr(j, "type", at, &out->type, err) < 0 ||
	    pxl_jstr(j, "upload_status", at, &out->upload_status, err) < 0 ||
	    pxl_jstr_opt(j, "presigned_url", at, &out->presigned_url, err) < 0 ||
	    data_size(j, at, out, err) < 0 || pxl_jarr_opt(j, "tags", at, &tags, err) < 0 ||
	    (tags && pxl_tag_names(tags, "tags", at, &out->tags, &out->ntags, err) < 0) ||
	    data_extra(j, out, at, err) < 0)
		goto fail;
	return 0;
fail:
	picsellia_data_clear(out);
	return -1;
}

int pxl_parse_version(const cJSON *j, const struct pxl_at *at, struct picsellia_version *out,
                      struct err *err)
{
	memset(out, 0, sizeof *out);
	if (pxl_jstr(j, "id", at, &out->id, err) < 0 ||
	    pxl_jstr(j, "origin_name", at, &out->origin_name, err) < 0 ||
	    pxl_jstr_opt(j, "origin_id", at, &out->origin_id, err) < 0 ||
	    pxl_jstr(j, "version", at, &out->version, err) < 0 ||
	    pxl_jstr(j, "type", at, &out->type, err) < 0 ||
	    pxl_jstr_opt(j, "annotation_campaign_id", at, &out->campaign_id, err) < 0) {
		picsellia_version_clear(out);
		return -1;
	}
	return 0;
}

int pxl_parse_label(const cJSON *j, const struct pxl_at *at, struct label *out, struct err *err)
{
	char *group = NULL, *q = NULL;

	memset(out, 0, sizeof *out);
	if (pxl_jstr(j, "id", at, &out->ext_id, err) < 0 ||
	    pxl_jstr(j, "name", at, &out->name, err) < 0 ||
	    pxl_jstr_opt(j, "group_id", at, &group, err) < 0)
		goto fail;
	if (group) {
		q = pxl_json_quote(group);
		out->extra_json = malloc(strlen(q ? q : "") + 16);
		if (q == NULL || out->extra_json == NULL) {
			err_set(err, "%s: out of memory", at->where);
			goto fail;
		}
		strcpy(out->extra_json, "{\"group_id\":");
		strcat(out->extra_json, q);
		strcat(out->extra_json, "}");
	}
	free(group);
	free(q);
	return 0;
fail:
	free(group);
	free(q);
	free(out->ext_id);
	free(out->name);
	free(out->extra_json);
	memset(out, 0, sizeof *out);
	return -1;
}

int pxl_parse_assignment(const cJSON *j, const struct pxl_at *at, struct picsellia_assignment *out,
                         struct err *err)
{
	long rejected = 0;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(j)) {
		err_setk(err, ERR_PARSE, "%s: \"assignment\" is not an object", at->where);
		return -1;
	}
	if (pxl_jstr(j, "id", at, &out->id, err) < 0 ||
	    pxl_jstr_opt(j, "asset_id", at, &out->asset_id, err) < 0 ||
	    pxl_jstr(j, "step_id", at, &out->step_id, err) < 0 ||
	    pxl_jstr_opt(j, "user_id", at, &out->user_id, err) < 0 ||
	    pxl_jstr(j, "status", at, &out->status, err) < 0 ||
	    pxl_jint_opt(j, "rejected_count", at, 0, &rejected, err) < 0 ||
	    pxl_jstr_opt(j, "comment", at, &out->comment, err) < 0) {
		picsellia_assignment_clear(out);
		return -1;
	}
	out->rejected_count = (int)rejected;
	return 0;
}

/* The annotation status of the platform as a review status. */
static int status_of(const char *s, enum review_status *out)
{
	static const struct {
		const char *name;
		enum review_status status;
	} map[] = {{"PENDING", REVIEW_PENDING},
	           {"ACCEPTED", REVIEW_ACCEPTED},
	           {"REFUSED", REVIEW_REJECTED},
	           {"SKIPPED", REVIEW_SKIPPED}};

	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(s, map[i].name) == 0) {
			*out = map[i].status;
			return 0;
		}
	return -1;
}

/* The latest annotation of assets/extended: the first of the list (newest first, as the
 * platform orders an asset's annotations, spec §7.6). */
static int asset_annotation(const cJSON *j, const struct pxl_at *at, const struct label *labels,
                            int nlabels, struct picsellia_asset *out, struct err *err)
{
	const cJSON *anns = pxl_jarr(j, "annotations", at, err), *ann;
	char *status = NULL;
	int rc = -1;

	if (anns == NULL)
		return -1;
	out->nannotations = cJSON_GetArraySize(anns);
	ann = cJSON_GetArrayItem(anns, 0);
	if (ann == NULL)
		return 0;
	if (pxl_jstr(ann, "id", at, &out->annotation_id, err) < 0 ||
	    pxl_jstr(ann, "status", at, &status, err) < 0 ||
	    pxl_jnum(ann, "duration", at, &out->duration, err) < 0)
		goto out;
	if (status_of(status, &out->asset.status) < 0) {
		err_setk(err, ERR_PARSE,
		         "%s: annotation status \"%s\" is not one of PENDING, "
		         "ACCEPTED, REFUSED, SKIPPED",
		         at->where, status);
		goto out;
	}
	rc = pxl_annotation_shapes(ann, at, labels, nlabels, &out->asset, err);
out:
	free(status);
	return rc;
}

static int asset_tags(const cJSON *j, const struct pxl_at *at, struct picsellia_asset *out,
                      struct err *err)
{
	const cJSON *tags;
	char **names = NULL;
	int n = 0;

	if (pxl_jarr_opt(j, "tags", at, &tags, err) < 0)
		return -1;
	if (tags == NULL)
		return 0;
	if (pxl_tag_names(tags, "tags", at, &names, &n, err) < 0)
		return -1;
	out->asset.tags = names;
	out->asset.ntags = n;
	return 0;
}

int pxl_parse_asset(const cJSON *j, const struct pxl_at *at, int with_annotations,
                    const struct label *labels, int nlabels, struct picsellia_asset *out,
                    struct err *err)
{
	struct picsellia_data data;
	struct pxl_at dat;
	const cJSON *d, *as;

	memset(out, 0, sizeof *out);
	if (!cJSON_IsObject(j)) {
		err_setk(err, ERR_PARSE, "%s: the asset is not an object", at->where);
		return -1;
	}
	if (pxl_jstr(j, "id", at, &out->asset.ext_id, err) < 0 ||
	    (d = pxl_jobj(j, "data", at, err)) == NULL)
		goto fail;
	dat = *at;
	dat.prefix = "data.";
	if (pxl_parse_data(d, &dat, &data, err) < 0)
		goto fail;
	out->data_id = data.id;
	out->asset.filename = data.filename;
	out->presigned_url = data.presigned_url;
	out->content_type = data.content_type;
	out->asset.width = data.width;
	out->asset.height = data.height;
	out->data_tags = data.tags;
	out->ndata_tags = data.ntags;
	data.id = data.filename = data.presigned_url = data.content_type = NULL;
	data.tags = NULL;
	picsellia_data_clear(&data);
	if (asset_tags(j, at, out, err) < 0 ||
	    (with_annotations && asset_annotation(j, at, labels, nlabels, out, err) < 0))
		goto fail;
	as = cJSON_GetObjectItemCaseSensitive(j, "assignment");
	if (as && !cJSON_IsNull(as)) {
		if (pxl_parse_assignment(as, at, &out->assignment, err) < 0)
			goto fail;
		out->has_assignment = 1;
	}
	return 0;
fail:
	picsellia_asset_clear(out);
	return -1;
}

/* ---- freeing ---------------------------------------------------------------------------- */

void picsellia_datalake_clear(struct picsellia_datalake *d)
{
	free(d->id);
	free(d->name);
	free(d->connector_id);
	memset(d, 0, sizeof *d);
}

void picsellia_tag_clear(struct picsellia_tag *t)
{
	free(t->id);
	free(t->name);
	free(t->target_type);
	memset(t, 0, sizeof *t);
}

void picsellia_data_clear(struct picsellia_data *d)
{
	free(d->id);
	free(d->filename);
	free(d->object_name);
	free(d->content_type);
	free(d->type);
	free(d->upload_status);
	free(d->presigned_url);
	picsellia_names_free(&d->tags, d->ntags);
	free(d->extra_json);
	memset(d, 0, sizeof *d);
}

void picsellia_dataset_clear(struct picsellia_dataset *d)
{
	free(d->id);
	free(d->name);
	memset(d, 0, sizeof *d);
}

void picsellia_version_clear(struct picsellia_version *v)
{
	free(v->id);
	free(v->origin_id);
	free(v->origin_name);
	free(v->version);
	free(v->type);
	free(v->campaign_id);
	memset(v, 0, sizeof *v);
}

void picsellia_assignment_clear(struct picsellia_assignment *a)
{
	free(a->id);
	free(a->asset_id);
	free(a->step_id);
	free(a->user_id);
	free(a->status);
	free(a->comment);
	memset(a, 0, sizeof *a);
}

void picsellia_asset_clear(struct picsellia_asset *a)
{
	asset_clear(&a->asset);
	free(a->data_id);
	free(a->presigned_url);
	free(a->content_type);
	free(a->annotation_id);
	picsellia_names_free(&a->data_tags, a->ndata_tags);
	picsellia_assignment_clear(&a->assignment);
	memset(a, 0, sizeof *a);
}

void picsellia_campaign_clear(struct picsellia_campaign *c)
{
	free(c->id);
	free(c->dataset_version_id);
	free(c->name);
	free(c->instructions_text);
	memset(c, 0, sizeof *c);
}

void picsellia_step_clear(struct picsellia_step *s)
{
	free(s->id);
	free(s->name);
	free(s->type);
	free(s->description);
	for (int i = 0; i < s->nassignees; i++)
		free(s->assignees[i]);
	free(s->assignees);
	memset(s, 0, sizeof *s);
}

#define LIST_FREE(fn, type, clear)                                                                 \
	void fn(type **items, int n)                                                               \
	{                                                                                          \
		if (*items == NULL)                                                                \
			return;                                                                    \
		for (int i = 0; i < n; i++)                                                        \
			clear(&(*items)[i]);                                                       \
		free(*items);                                                                      \
		*items = NULL;                                                                     \
	}

static void label_clear(struct label *l)
{
	free(l->ext_id);
	free(l->name);
	free(l->extra_json);
	memset(l, 0, sizeof *l);
}

LIST_FREE(picsellia_datalake_list_free, struct picsellia_datalake, picsellia_datalake_clear)
LIST_FREE(picsellia_tag_list_free, struct picsellia_tag, picsellia_tag_clear)
LIST_FREE(picsellia_dataset_list_free, struct picsellia_dataset, picsellia_dataset_clear)
LIST_FREE(picsellia_version_list_free, struct picsellia_version, picsellia_version_clear)
LIST_FREE(picsellia_label_list_free, struct label, label_clear)
LIST_FREE(picsellia_campaign_list_free, struct picsellia_campaign, picsellia_campaign_clear)
LIST_FREE(picsellia_step_list_free, struct picsellia_step, picsellia_step_clear)

void picsellia_data_page_clear(struct picsellia_data_page *page)
{
	for (int i = 0; page->items && i < page->n; i++)
		picsellia_data_clear(&page->items[i]);
	free(page->items);
	memset(page, 0, sizeof *page);
}

void picsellia_asset_page_clear(struct picsellia_asset_page *page)
{
	for (int i = 0; page->items && i < page->n; i++)
		picsellia_asset_clear(&page->items[i]);
	free(page->items);
	memset(page, 0, sizeof *page);
}
