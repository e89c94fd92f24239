/* `annotty ls assets` and `annotty ls labels`: a source's contents for scripts, as text (one
 * line each, tab-separated) or JSON, written as it is read so that a million assets list in
 * constant memory. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

#define LS_PAGE 256
/* ls labels holds the labels in memory; a dataset with more is listed up to here, and says so */
#define LS_LABELS_MAX (1 << 18)

struct ls_out {
	int json;
	long count;
};

static void asset_json(const struct asset_detail *d, long i)
{
	printf("%s{\"filename\": ", i > 0 ? ",\n" : "\n");
	cli_json_string(stdout, d->filename);
	printf(", \"width\": %d, \"height\": %d, \"shape_count\": %d, \"status\": ", d->width,
	       d->height, d->nshapes);
	cli_json_string(stdout, review_status_name(d->status));
	fputs(", \"tags\": [", stdout);
	for (int t = 0; t < d->ntags; t++) {
		fputs(t > 0 ? ", " : "", stdout);
		cli_json_string(stdout, d->tags[t]);
	}
	fputs("], \"path\": ", stdout);
	if (d->path[0])
		cli_json_string(stdout, d->path);
	else
		fputs("null", stdout);
	fputc('}', stdout);
}

static void asset_text(const struct asset_detail *d)
{
	char name[1024], tags[1024] = "", clean[1024];

	for (int i = 0; i < d->ntags; i++) {
		if (i)
			strncat(tags, ",", sizeof tags - strlen(tags) - 1);
		strncat(tags, d->tags[i], sizeof tags - strlen(tags) - 1);
	}
	printf("%s\t%dx%d\t%d\t%s\t%s\n", str_sanitize(d->filename, name, sizeof name), d->width,
	       d->height, d->nshapes, review_status_name(d->status),
	       str_sanitize(tags, clean, sizeof clean));
}

/* Every asset of the dataset in filename order, a page at a time. */
static int ls_assets(struct cli_session *s, struct ls_out *o, struct err *err)
{
	struct asset_query q = {.dataset_id = s->dataset_id};
	struct asset_cursor from = {0};
	struct asset_row rows[LS_PAGE];
	struct asset_detail d;
	int n;

	do {
		if (cache_assets_page(s->cache, &q, &from, 0, rows, LS_PAGE, &n, err) < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (cache_asset_get(s->cache, rows[i].id, &d, err) < 0)
				return -1;
			if (o->json)
				asset_json(&d, o->count);
			else
				asset_text(&d);
			o->count++;
			cache_asset_detail_free(&d);
		}
		if (n > 0)
			from = rows[n - 1].cursor;
	} while (n == LS_PAGE);
	return 0;
}

static void labels_print(const struct label_row *rows, int n, int json)
{
	char clean[512];

	for (int i = 0; i < n; i++) {
		if (!json) {
			printf("%s\t%d\n", str_sanitize(rows[i].name, clean, sizeof clean),
			       rows[i].shape_count);
			continue;
		}
		printf("%s{\"name\": ", i > 0 ? ",\n" : "\n");
		cli_json_string(stdout, rows[i].name);
		printf(", \"shape_count\": %d}", rows[i].shape_count);
	}
}

int cli_ls_labels(struct cache *cache, int64_t dataset_id, int json, long *count, struct err *err)
{
	struct dataset_info info;
	struct label_row *rows = NULL;
	int n = 0, want, rc = -1;

	if (cache_dataset_get(cache, dataset_id, &info, err) < 0)
		return -1;
	want = info.label_count < LS_LABELS_MAX ? info.label_count : LS_LABELS_MAX;
	rows = calloc((size_t)want + 1, sizeof *rows);
	if (rows == NULL)
		return err_set(err, "out of memory for %d labels", want);
	if (cache_labels_list(cache, dataset_id, rows, want, &n, err) < 0)
		goto out;
	labels_print(rows, n, json);
	*count = n;
	rc = 0;
	if (info.label_count > n)
		rc = err_setk(err, ERR_TOO_LARGE, "listed the first %d of the %d labels", n,
		              info.label_count);
out:
	free(rows);
	return rc;
}

/* All the labels (the cache lists them in one call, so they are counted first). */
static int ls_labels(struct cli_session *s, struct ls_out *o, struct err *err)
{
	return cli_ls_labels(s->cache, s->dataset_id, o->json, &o->count, err);
}

static int ls_run(const struct cli_call *call,
                  int (*fn)(struct cli_session *, struct ls_out *, struct err *), struct err *err)
{
	struct cli_session s = {0};
	struct ls_out o = {.json = call->value[OPT_JSON] != NULL};
	int rc = -1;

	if (cli_session_open(&s, call->args[0], call, err) < 0)
		goto out;
	if (o.json)
		fputc('[', stdout);
	rc = fn(&s, &o, err);
	if (o.json)
		fputs(o.count > 0 ? "\n]\n" : "]\n", stdout);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
out:
	cli_session_close(&s);
	return rc;
}

int cli_run_ls_assets(const struct cli_call *call, struct err *err)
{
	return ls_run(call, ls_assets, err);
}

int cli_run_ls_labels(const struct cli_call *call, struct err *err)
{
	return ls_run(call, ls_labels, err);
}
