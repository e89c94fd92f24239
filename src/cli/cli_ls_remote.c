/* `annotty ls datasets|versions|assets|labels|datalakes|data|tags` for a Picsellia
 * organization: what the last sync stored, read from the cache (it works offline),
 * as tab-separated lines or a JSON array, written row by row as the cache walks them. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <string.h>

#define CLEAN_MAX 2048

struct lsr {
	struct cli_remote_session *s;
	const struct cli_call *call;
	int json;
	int opened; /* the JSON array's "[" is out: nothing before it can fail any more */
	long count;
	/* ls datasets: the dataset whose object is open, and its total */
	char open_dataset[512];
	int64_t open_assets;
	const char *filter; /* ls versions --dataset */
};

/* ---- JSON and text pieces ---------------------------------------------------------------- */

static void j_str(const char *key, const char *v)
{
	printf(", \"%s\": ", key);
	if (v != NULL)
		cli_json_string(stdout, v);
	else
		fputs("null", stdout);
}

static void j_int(const char *key, long long v)
{
	printf(", \"%s\": %lld", key, v);
}

static void j_tags(const char *key, const char *const *tags, int n)
{
	printf(", \"%s\": [", key);
	for (int i = 0; i < n; i++) {
		fputs(i > 0 ? ", " : "", stdout);
		cli_json_string(stdout, tags[i]);
	}
	fputc(']', stdout);
}

/* The array opens with its first row, so that an error found before (no such dataset) leaves
 * standard output empty. */
static void lsr_begin(struct lsr *o)
{
	if (o->json && !o->opened)
		fputc('[', stdout);
	o->opened = 1;
}

/* Opens a row's object: the first key is "name" or "id" as the listing has it. */
static void j_open(struct lsr *o, const char *key, const char *v)
{
	lsr_begin(o);
	printf("%s\n{\"%s\": ", o->count++ > 0 ? "," : "", key);
	if (v != NULL)
		cli_json_string(stdout, v);
	else
		fputs("null", stdout);
}

/* A text field: control characters made visible, tabs included. */
static const char *t_clean(const char *s, char *buf)
{
	return str_sanitize(s != NULL ? s : "-", buf, CLEAN_MAX);
}

static void t_tags(const char *const *tags, int n)
{
	char c[CLEAN_MAX];

	for (int i = 0; i < n; i++)
		printf("%s%s", i > 0 ? "," : "", t_clean(tags[i], c));
}

static void j_status_counts(const struct cache_version_row *r)
{
	fputs(", \"status_counts\": {", stdout);
	for (int st = 0; st < REVIEW_STATUS_COUNT; st++)
		printf("%s\"%s\": %lld", st > 0 ? ", " : "", review_status_name(st),
		       (long long)r->status[st]);
	fputc('}', stdout);
}

/* ---- datasets and versions --------------------------------------------------------------- */

static void version_fields(const struct cache_version_row *r)
{
	j_str("id", r->ext_id);
	j_str("type", r->type);
	j_int("asset_count", r->assets);
	j_status_counts(r);
	j_int("label_count", r->labels);
	j_int("pending_edits", r->pending);
	j_int("conflicts", r->conflicts);
	printf(", \"pulled\": %s", r->pulled ? "true" : "false");
}

static void version_text(const struct cache_version_row *r)
{
	char a[CLEAN_MAX], b[CLEAN_MAX], c[CLEAN_MAX];

	printf("%s\t%s\t%s\t%lld\tpending %lld, accepted %lld, rejected %lld, skipped %lld\t%d "
	       "%s\t%d %s\n",
	       t_clean(r->dataset_name, a), t_clean(r->version_name, b), t_clean(r->type, c),
	       (long long)r->assets, (long long)r->status[REVIEW_PENDING],
	       (long long)r->status[REVIEW_ACCEPTED], (long long)r->status[REVIEW_REJECTED],
	       (long long)r->status[REVIEW_SKIPPED], r->pending,
	       cli_plural(r->pending, "edit", "edits"), r->conflicts,
	       cli_plural(r->conflicts, "conflict", "conflicts"));
}

static void dataset_close(struct lsr *o)
{
	if (o->open_dataset[0] == '\0')
		return;
	printf("]");
	j_int("asset_count", o->open_assets);
	fputc('}', stdout);
}

static int dataset_row(const struct cache_version_row *r, void *ctx)
{
	struct lsr *o = ctx;
	int same = o->open_dataset[0] != '\0' && strcmp(o->open_dataset, r->dataset_name) == 0;

	if (!o->json) {
		version_text(r);
		return 0;
	}
	if (!same) {
		dataset_close(o);
		j_open(o, "name", r->dataset_name);
		fputs(", \"versions\": [", stdout);
		str_copy(o->open_dataset, r->dataset_name, sizeof o->open_dataset);
		o->open_assets = 0;
	}
	printf("%s{\"name\": ", same ? ", " : "");
	cli_json_string(stdout, r->version_name);
	version_fields(r);
	fputc('}', stdout);
	o->open_assets += r->assets;
	return 0;
}

static int version_row(const struct cache_version_row *r, void *ctx)
{
	struct lsr *o = ctx;

	if (o->filter != NULL && strchr(o->filter, '/') != NULL && strcmp(o->filter, r->name) != 0)
		return 0;
	if (!o->json) {
		version_text(r);
		return 0;
	}
	j_open(o, "name", r->name);
	j_str("dataset", r->dataset_name);
	j_str("version", r->version_name);
	version_fields(r);
	fputc('}', stdout);
	return 0;
}

static int ls_datasets(struct lsr *o, struct err *err)
{
	if (cache_versions_each(o->s->cache, o->s->source_id, NULL, dataset_row, o, err) < 0)
		return -1;
	if (o->json)
		dataset_close(o);
	return 0;
}

static int ls_versions(struct lsr *o, struct err *err)
{
	const char *f = o->call->value[OPT_DATASET];

	o->filter = f;
	return cache_versions_each(o->s->cache, o->s->source_id,
	                           f != NULL && strchr(f, '/') == NULL ? f : NULL, version_row, o,
	                           err);
}

/* ---- assets and labels ------------------------------------------------------------------- */

static int asset_row(const struct cache_asset_brief *r, void *ctx)
{
	struct lsr *o = ctx;
	char a[CLEAN_MAX], b[CLEAN_MAX];

	if (!o->json) {
		printf("%s\t%s\t%dx%d\t%d\t%s\t", t_clean(r->ext_id, a), t_clean(r->filename, b),
		       r->width, r->height, r->shape_count, review_status_name(r->status));
		t_tags(r->tags, r->ntags);
		fputc('\n', stdout);
		return 0;
	}
	j_open(o, "id", r->ext_id);
	j_str("filename", r->filename);
	j_int("width", r->width);
	j_int("height", r->height);
	j_int("shape_count", r->shape_count);
	j_str("status", review_status_name(r->status));
	j_tags("tags", r->tags, r->ntags);
	j_str("data_id", r->data_ext_id);
	fputc('}', stdout);
	return 0;
}

static int ls_assets(struct lsr *o, struct err *err)
{
	int64_t id;

	if (cli_remote_dataset(o->s, o->call->value[OPT_DATASET], &id, err) < 0)
		return -1;
	return cache_assets_each(o->s->cache, id, asset_row, o, err);
}

static int ls_labels(struct lsr *o, struct err *err)
{
	int64_t id;

	if (cli_remote_dataset(o->s, o->call->value[OPT_DATASET], &id, err) < 0)
		return -1;
	lsr_begin(o);
	return cli_ls_labels(o->s->cache, id, o->json, &o->count, err);
}

/* ---- the datalake ------------------------------------------------------------------------ */

static int datalake_row(const struct cache_datalake_row *r, void *ctx)
{
	struct lsr *o = ctx;
	char a[CLEAN_MAX], b[CLEAN_MAX];

	if (!o->json) {
		printf("%s\t%s\t%lld data\t%d %s\n", t_clean(r->ext_id, a), t_clean(r->name, b),
		       (long long)r->data, r->tags, cli_plural(r->tags, "tag", "tags"));
		return 0;
	}
	j_open(o, "id", r->ext_id);
	j_str("name", r->name);
	j_int("data_count", r->data);
	j_int("tag_count", r->tags);
	fputc('}', stdout);
	return 0;
}

static int ls_datalakes(struct lsr *o, struct err *err)
{
	return cache_datalakes_each(o->s->cache, o->s->source_id, datalake_row, o, err);
}

static int data_row(const struct cache_data_row *r, void *ctx)
{
	struct lsr *o = ctx;
	char a[CLEAN_MAX], b[CLEAN_MAX], c[CLEAN_MAX];

	if (!o->json) {
		printf("%s\t%s\t%dx%d\t%s\t", t_clean(r->ext_id, a), t_clean(r->filename, b),
		       r->width, r->height, t_clean(r->upload_status, c));
		t_tags(r->tags, r->ntags);
		fputc('\n', stdout);
		return 0;
	}
	j_open(o, "id", r->ext_id);
	j_str("filename", r->filename);
	j_str("datalake", r->datalake);
	j_str("type", r->type);
	j_str("upload_status", r->upload_status);
	j_int("width", r->width);
	j_int("height", r->height);
	j_tags("tags", r->tags, r->ntags);
	fputc('}', stdout);
	return 0;
}

static int ls_data(struct lsr *o, struct err *err)
{
	struct cache_data_query q = {
	    .source_id = o->s->source_id,
	    .tags = o->call->repeated[OPT_TAG],
	    .ntags = o->call->nrepeated[OPT_TAG],
	    .all_of = o->call->value[OPT_ALL_TAGS] != NULL,
	};

	if (q.all_of && q.ntags == 0)
		return err_setk(err, ERR_USAGE, "--all-tags needs the tags: --tag T (one or more)");
	return cache_data_each(o->s->cache, &q, data_row, o, err);
}

/* ---- tags -------------------------------------------------------------------------------- */

static int tag_row(const struct cache_tag_row *r, void *ctx)
{
	struct lsr *o = ctx;
	char a[CLEAN_MAX], b[CLEAN_MAX];

	if (!o->json) {
		printf("%s\t%lld\t%s\n", t_clean(r->name, a), (long long)r->uses,
		       t_clean(r->scope, b));
		return 0;
	}
	j_open(o, "name", r->name);
	j_int("count", r->uses);
	j_str("scope", r->scope);
	fputc('}', stdout);
	return 0;
}

/* The dataset --dataset names, 0 without it. */
static int optional_dataset(struct lsr *o, int64_t *id, struct err *err)
{
	*id = 0;
	if (o->call->value[OPT_DATASET] == NULL)
		return 0;
	return cli_remote_dataset(o->s, o->call->value[OPT_DATASET], id, err);
}

static int ls_tags(struct lsr *o, struct err *err)
{
	int64_t id;

	if (optional_dataset(o, &id, err) < 0)
		return -1;
	return cache_tag_counts_each(o->s->cache, o->s->source_id, id, tag_row, o, err);
}

/* ---- the command ------------------------------------------------------------------------- */

static const struct {
	const char *word;
	int (*fn)(struct lsr *o, struct err *err);
} listings[] = {
    {"datasets", ls_datasets}, {"versions", ls_versions},   {"assets", ls_assets},
    {"labels", ls_labels},     {"datalakes", ls_datalakes}, {"data", ls_data},
    {"tags", ls_tags},
};

int cli_run_ls_remote(const struct cli_call *call, struct err *err)
{
	struct cli_remote_session s;
	struct lsr o = {.s = &s, .call = call, .json = call->value[OPT_JSON] != NULL};
	int (*fn)(struct lsr *, struct err *) = NULL;
	int rc = -1;

	for (size_t i = 0; i < sizeof listings / sizeof listings[0]; i++)
		if (strcmp(listings[i].word, call->cmd->word) == 0)
			fn = listings[i].fn;
	if (fn == NULL)
		return err_set(err, "ls %s has no listing", call->cmd->word);
	if (cli_remote_open(&s, call, err) < 0 || cli_remote_need_cached(&s, err) < 0)
		goto out;
	rc = fn(&o, err);
	if (rc == 0)
		lsr_begin(&o);
	if (o.json && o.opened)
		fputs(o.count > 0 ? "\n]\n" : "]\n", stdout);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
out:
	cli_remote_close(&s);
	return rc;
}
