/* Browsing the platform: datalakes, data, tags, datasets, versions, assets, labels, campaigns
 * and steps, in pages of at most PICSELLIA_PAGE_MAX with a cursor the caller can resume from. */
#include "api/picsellia/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

/* A whole list stops here even if the server keeps counting (a guard, not a limit in use). */
#define LIST_ITEMS_MAX 10000000L

typedef int (*item_parse_fn)(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                             struct err *err);
typedef void (*item_clear_fn)(void *item);

/* How to list one kind of thing. */
struct list_spec {
	const char *path;  /* the route with ids in it */
	const char *query; /* extra parameters (escaped), or NULL */
	const char *body;  /* XGET body, or NULL for a GET */
	size_t item_size;
	item_parse_fn parse;
	item_clear_fn clear;
	void *ctx;
};

/* What a page call gave back. */
struct list_page {
	void *items;
	int n;
	long count;
	long next;
};

static void items_free(const struct list_spec *s, void *items, int n)
{
	for (int i = 0; i < n; i++)
		s->clear((char *)items + (size_t)i * s->item_size);
	free(items);
}

static int page_query(const struct list_spec *s, long from, int limit, struct pxl_query *q)
{
	pxl_query_init(q);
	if (s->query && *s->query && buf_puts(&q->b, s->query) < 0)
		return -1;
	return pxl_query_addl(q, "limit", limit) < 0 || pxl_query_addl(q, "offset", from) < 0 ? -1
	                                                                                      : 0;
}

static int page_items(const struct list_spec *s, const cJSON *items, long from, const char *route,
                      struct list_page *out, struct err *err)
{
	int size = cJSON_GetArraySize(items), i = 0;
	const cJSON *it;
	struct pxl_at at;

	out->items = size ? calloc((size_t)size, s->item_size) : NULL;
	if (size && out->items == NULL)
		return err_set(err, "%s: out of memory", route);
	cJSON_ArrayForEach(it, items)
	{
		pxl_at_set(&at, route, (int)(from + i));
		if (s->parse(it, &at, (char *)out->items + (size_t)i * s->item_size, s->ctx, err) <
		    0) {
			items_free(s, out->items, i);
			out->items = NULL;
			return -1;
		}
		i++;
	}
	out->n = i;
	return 0;
}

/* One page from `from`; the next cursor is -1 once count is reached or a page comes back
 * empty (a server whose count runs ahead of its items does not make us loop). */
static int page_fetch(struct picsellia *p, const struct list_spec *s, long from, int limit,
                      struct list_page *out, struct err *err)
{
	struct pxl_request req = {s->body ? "XGET" : "GET", s->path, NULL, s->body,
	                          PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	struct pxl_query q;
	char route[PXL_ROUTE_MAX];
	const cJSON *items;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > PICSELLIA_PAGE_MAX)
		limit = PICSELLIA_PAGE_MAX;
	pxl_route(req.method, s->path, route, sizeof route);
	if (page_query(s, from < 0 ? 0 : from, limit, &q) < 0) {
		err_set(err, "%s: out of memory", route);
		goto out;
	}
	req.query = pxl_query_str(&q);
	if (pxl_call(p, &req, &resp, err) < 0 ||
	    pxl_envelope(resp.json, route, 1, &items, &out->count, err) < 0 ||
	    page_items(s, items, from, route, out, err) < 0)
		goto out;
	out->next = from + out->n;
	if (out->n == 0 || out->next >= out->count)
		out->next = -1;
	rc = 0;
out:
	cJSON_Delete(resp.json);
	pxl_query_free(&q);
	return rc;
}

/* Every page, appended into one array. */
static int list_all(struct picsellia *p, const struct list_spec *s, void **items, int *n,
                    struct err *err)
{
	char *all = NULL;
	long from = 0, total = 0;

	*items = NULL;
	*n = 0;
	while (from >= 0) {
		struct list_page page;
		char *grown;

		if (page_fetch(p, s, from, PICSELLIA_PAGE_MAX, &page, err) < 0)
			goto fail;
		if (total + page.n > LIST_ITEMS_MAX) {
			items_free(s, page.items, page.n);
			err_setk(err, ERR_TOO_LARGE, "%s: more than %ld items", s->path,
			         LIST_ITEMS_MAX);
			goto fail;
		}
		grown = realloc(all, (size_t)(total + page.n + 1) * s->item_size);
		if (grown == NULL) {
			items_free(s, page.items, page.n);
			err_set(err, "out of memory");
			goto fail;
		}
		all = grown;
		if (page.n)
			memcpy(all + (size_t)total * s->item_size, page.items,
			       (size_t)page.n * s->item_size);
		free(page.items);
		total += page.n;
		from = page.next;
	}
	*items = all;
	*n = (int)total;
	return 0;
fail:
	items_free(s, all, (int)total);
	return -1;
}

/* ---- the parsers of each kind ----------------------------------------------------------- */

static int parse_datalake(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                          struct err *err)
{
	struct picsellia_datalake *d = out;

	if (pxl_jstr(j, "id", at, &d->id, err) < 0 || pxl_jstr(j, "name", at, &d->name, err) < 0 ||
	    pxl_jstr_opt(j, "connector_id", at, &d->connector_id, err) < 0) {
		picsellia_datalake_clear(d);
		return -1;
	}
	return 0;
}

static void clear_datalake(void *d)
{
	picsellia_datalake_clear(d);
}

static int parse_tag(const cJSON *j, const struct pxl_at *at, void *out, void *ctx, struct err *err)
{
	return pxl_parse_tag(j, at, out, err);
}

static void clear_tag(void *t)
{
	picsellia_tag_clear(t);
}

static int parse_data(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                      struct err *err)
{
	return pxl_parse_data(j, at, out, err);
}

static void clear_data(void *d)
{
	picsellia_data_clear(d);
}

static int parse_dataset(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                         struct err *err)
{
	struct picsellia_dataset *d = out;

	if (pxl_jstr(j, "id", at, &d->id, err) < 0 || pxl_jstr(j, "name", at, &d->name, err) < 0) {
		picsellia_dataset_clear(d);
		return -1;
	}
	return 0;
}

static void clear_dataset(void *d)
{
	picsellia_dataset_clear(d);
}

static int parse_version(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                         struct err *err)
{
	return pxl_parse_version(j, at, out, err);
}

static void clear_version(void *v)
{
	picsellia_version_clear(v);
}

static int parse_label(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                       struct err *err)
{
	return pxl_parse_label(j, at, out, err);
}

static void clear_label(void *l)
{
	struct label *label = l;

	free(label->ext_id);
	free(label->name);
	free(label->extra_json);
	memset(label, 0, sizeof *label);
}

static int parse_campaign(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                          struct err *err)
{
	struct picsellia_campaign *c = out;

	if (pxl_jstr(j, "id", at, &c->id, err) < 0 ||
	    pxl_jstr(j, "dataset_version_id", at, &c->dataset_version_id, err) < 0 ||
	    pxl_jstr_opt(j, "name", at, &c->name, err) < 0 ||
	    pxl_jstr_opt(j, "instructions_text", at, &c->instructions_text, err) < 0) {
		picsellia_campaign_clear(c);
		return -1;
	}
	return 0;
}

static void clear_campaign(void *c)
{
	picsellia_campaign_clear(c);
}

/* A step's "assignees" ([{"user_id", "weight"}], spec 8.1; absent from the SDK's schema, so
 * optional): the users' ids. */
static int parse_assignees(const cJSON *j, const struct pxl_at *at, struct picsellia_step *s,
                           struct err *err)
{
	const cJSON *list, *it;
	int n = 0;

	if (pxl_jarr_opt(j, "assignees", at, &list, err) < 0)
		return -1;
	if (list == NULL || (n = cJSON_GetArraySize(list)) == 0)
		return 0;
	if ((s->assignees = calloc((size_t)n, sizeof *s->assignees)) == NULL)
		return err_set(err, "out of memory");
	cJSON_ArrayForEach(it, list)
	{
		if (pxl_jstr(it, "user_id", at, &s->assignees[s->nassignees], err) < 0)
			return -1;
		s->nassignees++;
	}
	return 0;
}

static int parse_step(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                      struct err *err)
{
	struct picsellia_step *s = out;
	long order = 0;

	if (pxl_jstr(j, "id", at, &s->id, err) < 0 || pxl_jstr(j, "name", at, &s->name, err) < 0 ||
	    pxl_jstr(j, "type", at, &s->type, err) < 0 ||
	    pxl_jint(j, "order", at, &order, err) < 0 ||
	    pxl_jstr_opt(j, "description", at, &s->description, err) < 0 ||
	    parse_assignees(j, at, s, err) < 0) {
		picsellia_step_clear(s);
		return -1;
	}
	s->order = (int)order;
	return 0;
}

static void clear_step(void *s)
{
	picsellia_step_clear(s);
}

/* The labels that resolve shapes' label ids, and whether to read annotations. */
struct asset_ctx {
	const struct label *labels;
	int nlabels;
	int with_annotations;
};

static int parse_asset(const cJSON *j, const struct pxl_at *at, void *out, void *ctx,
                       struct err *err)
{
	const struct asset_ctx *c = ctx;

	return pxl_parse_asset(j, at, c->with_annotations, c->labels, c->nlabels, out, err);
}

static void clear_asset(void *a)
{
	picsellia_asset_clear(a);
}

/* ---- whole lists ------------------------------------------------------------------------ */

static int org_list(struct picsellia *p, const char *fmt, size_t size, item_parse_fn parse,
                    item_clear_fn clear, void **items, int *n, struct err *err)
{
	struct list_spec s = {NULL, NULL, NULL, size, parse, clear, NULL};
	int rc;

	if (p->session.org_id == NULL)
		return err_setk(err, ERR_USAGE, "not connected to an organization");
	s.path = pxl_path(fmt, p->session.org_id);
	if (s.path == NULL)
		return err_set(err, "out of memory");
	rc = list_all(p, &s, items, n, err);
	free((char *)s.path);
	return rc;
}

static int id_list(struct picsellia *p, const char *fmt, const char *id, size_t size,
                   item_parse_fn parse, item_clear_fn clear, void **items, int *n, struct err *err)
{
	struct list_spec s = {NULL, NULL, NULL, size, parse, clear, NULL};
	int rc;

	s.path = pxl_path(fmt, id);
	if (s.path == NULL)
		return err_setk(err, ERR_USAGE, "the id \"%s\" is not usable", id ? id : "");
	rc = list_all(p, &s, items, n, err);
	free((char *)s.path);
	return rc;
}

int picsellia_datalakes(struct picsellia *p, struct picsellia_datalake **items, int *n,
                        struct err *err)
{
	return org_list(p, "/api/organization/%s/datalakes", sizeof **items, parse_datalake,
	                clear_datalake, (void **)items, n, err);
}

int picsellia_data_tags(struct picsellia *p, const char *datalake_id, struct picsellia_tag **items,
                        int *n, struct err *err)
{
	return id_list(p, "/api/datalake/%s/tags", datalake_id, sizeof **items, parse_tag,
	               clear_tag, (void **)items, n, err);
}

int picsellia_asset_tags_list(struct picsellia *p, const char *version_id,
                              struct picsellia_tag **items, int *n, struct err *err)
{
	return id_list(p, "/api/dataset/version/%s/tags", version_id, sizeof **items, parse_tag,
	               clear_tag, (void **)items, n, err);
}

int picsellia_datasets(struct picsellia *p, struct picsellia_dataset **items, int *n,
                       struct err *err)
{
	return org_list(p, "/api/organization/%s/datasets", sizeof **items, parse_dataset,
	                clear_dataset, (void **)items, n, err);
}

int picsellia_versions(struct picsellia *p, const char *dataset_id,
                       struct picsellia_version **items, int *n, struct err *err)
{
	return id_list(p, "/api/dataset/%s/versions", dataset_id, sizeof **items, parse_version,
	               clear_version, (void **)items, n, err);
}

int picsellia_labels(struct picsellia *p, const char *version_id, struct label **items, int *n,
                     struct err *err)
{
	return id_list(p, "/api/dataset/version/%s/labels", version_id, sizeof **items, parse_label,
	               clear_label, (void **)items, n, err);
}

int picsellia_campaigns(struct picsellia *p, struct picsellia_campaign **items, int *n,
                        struct err *err)
{
	return org_list(p, "/api/organization/%s/annotationcampaigns", sizeof **items,
	                parse_campaign, clear_campaign, (void **)items, n, err);
}

int picsellia_steps(struct picsellia *p, const char *campaign_id, struct picsellia_step **items,
                    int *n, struct err *err)
{
	return id_list(p, "/api/campaigns/annotation/%s/steps", campaign_id, sizeof **items,
	               parse_step, clear_step, (void **)items, n, err);
}

/* ---- single objects --------------------------------------------------------------------- */

/* GETs one object at path and parses it with parse into out. */
static int object_get(struct picsellia *p, char *path, item_parse_fn parse, void *out, void *ctx,
                      struct err *err)
{
	struct pxl_request req = {"GET", path, NULL, NULL, PXL_REPLAY_SAFE};
	struct pxl_response resp = {0};
	char route[PXL_ROUTE_MAX];
	struct pxl_at at;
	int rc = -1;

	if (path == NULL)
		return err_setk(err, ERR_USAGE, "an id is empty or not usable");
	pxl_route("GET", path, route, sizeof route);
	pxl_at_set(&at, route, -1);
	if (pxl_call(p, &req, &resp, err) == 0) {
		if (cJSON_IsObject(resp.json))
			rc = parse(resp.json, &at, out, ctx, err);
		else
			err_setk(err, ERR_PARSE, "%s: the answer is not an object", route);
	}
	cJSON_Delete(resp.json);
	free(path);
	return rc;
}

int picsellia_datalake_default(struct picsellia *p, struct picsellia_datalake *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	if (p->session.org_id == NULL)
		return err_setk(err, ERR_USAGE, "not connected to an organization");
	return object_get(p, pxl_path("/api/organization/%s/datalake", p->session.org_id),
	                  parse_datalake, out, NULL, err);
}

int picsellia_version_get(struct picsellia *p, const char *version_id,
                          struct picsellia_version *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	return object_get(p, pxl_path("/api/dataset/version/%s", version_id), parse_version, out,
	                  NULL, err);
}

int picsellia_campaign_get(struct picsellia *p, const char *campaign_id,
                           struct picsellia_campaign *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	return object_get(p, pxl_path("/api/campaigns/annotation/%s", campaign_id), parse_campaign,
	                  out, NULL, err);
}

int picsellia_asset_get(struct picsellia *p, const char *asset_id, struct picsellia_asset *out,
                        struct err *err)
{
	struct asset_ctx c = {NULL, 0, 0};

	memset(out, 0, sizeof *out);
	return object_get(p, pxl_path("/api/asset/%s", asset_id), parse_asset, out, &c, err);
}

int picsellia_data_get(struct picsellia *p, const char *data_id, struct picsellia_data *out,
                       struct err *err)
{
	memset(out, 0, sizeof *out);
	return object_get(p, pxl_path("/api/data/%s", data_id), parse_data, out, NULL, err);
}

/* ---- pages with filters ----------------------------------------------------------------- */

static int add_list(struct pxl_query *q, const char *key, const char *const *v, int n,
                    const char *const *def, int ndef)
{
	if (v == NULL) {
		v = def;
		n = ndef;
	}
	for (int i = 0; i < n; i++)
		if (pxl_query_add(q, key, v[i]) < 0)
			return -1;
	return 0;
}

/* The upload_statuses and types every data and asset listing sends (spec §3.2). */
static int add_mandatory(struct pxl_query *q, const struct picsellia_data_filter *f)
{
	static const char *const statuses[] = {"PENDING", "COMPUTING", "DONE", "ERROR"};
	static const char *const types[] = {"IMAGE", "VIDEO"};

	return add_list(q, "upload_statuses", f ? f->upload_statuses : NULL,
	                f ? f->nupload_statuses : 0, statuses, 4) < 0 ||
	               add_list(q, "types", f ? f->types : NULL, f ? f->ntypes : 0, types, 2) < 0
	           ? -1
	           : 0;
}

/* Joins the parts of a query with " and " as the SDK does (§3.4). */
static char *q_join(const char *const *parts, int n)
{
	struct buf b;

	buf_init(&b, 256 * 1024);
	for (int i = 0; i < n; i++) {
		if (parts[i] == NULL || *parts[i] == '\0')
			continue;
		if ((b.len && buf_puts(&b, " and ") < 0) || buf_puts(&b, parts[i]) < 0) {
			buf_free(&b);
			return NULL;
		}
	}
	if (b.len == 0) {
		buf_free(&b);
		return strdup("");
	}
	return (char *)buf_steal(&b, NULL);
}

static int data_query(const struct picsellia_data_filter *f, struct pxl_query *q)
{
	char *tags = f ? picsellia_q_tags("", f->tags, f->ntags, f->all_of) : NULL;
	const char *parts[] = {tags, f ? f->q : NULL};
	char *joined = q_join(parts, 2);
	int rc = joined == NULL || (*joined && pxl_query_add(q, "q", joined) < 0) ||
	                 add_mandatory(q, f) < 0
	             ? -1
	             : 0;

	free(tags);
	free(joined);
	return rc;
}

int picsellia_data_page(struct picsellia *p, const char *datalake_id,
                        const struct picsellia_data_filter *f, long from, int limit,
                        struct picsellia_data_page *out, struct err *err)
{
	struct list_spec s = {NULL,       NULL,       NULL, sizeof(struct picsellia_data),
	                      parse_data, clear_data, NULL};
	struct list_page page;
	struct pxl_query q;
	int rc = -1;

	memset(out, 0, sizeof *out);
	pxl_query_init(&q);
	s.path = pxl_path("/api/datalake/%s/datas", datalake_id);
	if (s.path == NULL || data_query(f, &q) < 0) {
		err_set(err, "the datalake listing cannot be built (out of memory or no id)");
		goto out;
	}
	s.query = pxl_query_str(&q);
	if (page_fetch(p, &s, from, limit, &page, err) < 0)
		goto out;
	out->items = page.items;
	out->n = page.n;
	out->count = page.count;
	out->next = page.next;
	rc = 0;
out:
	pxl_query_free(&q);
	free((char *)s.path);
	return rc;
}

/* Asset tag filter, then the caller's query, then data tags (the SDK's order, §3.4). */
static int asset_query(const struct picsellia_asset_filter *f, struct pxl_query *q)
{
	char *tags = f ? picsellia_q_tags("", f->tags, f->ntags, f->all_of) : NULL;
	char *dtags =
	    f ? picsellia_q_tags("data.", f->data_tags, f->ndata_tags, f->data_all_of) : NULL;
	const char *parts[] = {tags, f ? f->q : NULL, dtags};
	char *joined = q_join(parts, 3);
	int rc = -1;

	if (joined == NULL || (*joined && pxl_query_add(q, "q", joined) < 0))
		goto out;
	if (f && (pxl_query_add(q, "assignment_step_id", f->assignment_step_id) < 0 ||
	          pxl_query_add(q, "assignment_user_id", f->assignment_user_id) < 0 ||
	          pxl_query_add(q, "assignment_status", f->assignment_status) < 0))
		goto out;
	rc = add_mandatory(q, NULL);
out:
	free(tags);
	free(dtags);
	free(joined);
	return rc;
}

static int assets_page(struct picsellia *p, const char *fmt, const char *version_id,
                       const struct picsellia_asset_filter *f, long from, int limit,
                       struct asset_ctx *c, struct picsellia_asset_page *out, struct err *err)
{
	struct list_spec s = {NULL,        NULL,        NULL, sizeof(struct picsellia_asset),
	                      parse_asset, clear_asset, c};
	struct list_page page;
	struct pxl_query q;
	int rc = -1;

	memset(out, 0, sizeof *out);
	pxl_query_init(&q);
	s.path = pxl_path(fmt, version_id);
	if (s.path == NULL || asset_query(f, &q) < 0) {
		err_set(err, "the asset listing cannot be built (out of memory or no id)");
		goto out;
	}
	s.query = pxl_query_str(&q);
	if (page_fetch(p, &s, from, limit, &page, err) < 0)
		goto out;
	out->items = page.items;
	out->n = page.n;
	out->count = page.count;
	out->next = page.next;
	rc = 0;
out:
	pxl_query_free(&q);
	free((char *)s.path);
	return rc;
}

int picsellia_assets_page(struct picsellia *p, const char *version_id,
                          const struct picsellia_asset_filter *f, long from, int limit,
                          const struct label *labels, int nlabels, struct picsellia_asset_page *out,
                          struct err *err)
{
	struct asset_ctx c = {labels, nlabels, 0};

	return assets_page(p, "/api/dataset/version/%s/assets", version_id, f, from, limit, &c, out,
	                   err);
}

int picsellia_assets_extended_page(struct picsellia *p, const char *version_id,
                                   const struct picsellia_asset_filter *f, long from, int limit,
                                   const struct label *labels, int nlabels,
                                   struct picsellia_asset_page *out, struct err *err)
{
	struct asset_ctx c = {labels, nlabels, 1};

	return assets_page(p, "/api/dataset/version/%s/assets/extended", version_id, f, from, limit,
	                   &c, out, err);
}

/* ---- the query language ----------------------------------------------------------------- */

/* A name as a double-quoted literal; quotes and backslashes inside are escaped. */
static int q_literal(struct buf *b, const char *name)
{
	if (buf_putc(b, '"') < 0)
		return -1;
	for (const char *c = name; *c; c++)
		if ((strchr("\"\\", *c) && buf_putc(b, '\\') < 0) ||
		    buf_putc(b, (unsigned char)*c) < 0)
			return -1;
	return buf_putc(b, '"');
}

char *picsellia_q_tags(const char *prefix, const char *const *names, int n, int all_of)
{
	struct buf b;
	int bad = 0;

	if (names == NULL || n <= 0)
		return NULL;
	buf_init(&b, 256 * 1024);
	if (!all_of)
		bad = buf_printf(&b, "%stags.name in (", prefix) < 0;
	for (int i = 0; i < n && !bad; i++) {
		if (all_of)
			bad = (i && buf_puts(&b, " and ") < 0) ||
			      buf_printf(&b, "%stags.name = ", prefix) < 0;
		else
			bad = i && buf_putc(&b, ',') < 0;
		bad = bad || q_literal(&b, names[i]) < 0;
	}
	if (!all_of && !bad)
		bad = buf_putc(&b, ')') < 0;
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	return (char *)buf_steal(&b, NULL);
}
