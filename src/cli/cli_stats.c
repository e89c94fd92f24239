/* `annotty stats [--json] SOURCE`: what the dataset holds, as the statistics screen counts it:
 * review status counts, labels (shapes and images of each), shapes per image, box sizes, the
 * images without annotations and the tags. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>

static void json_named_counts(const char *key, const char *const *names, const int *n,
                              const char *what)
{
	printf(", \"%s\": [", key);
	for (int i = 0; i < CACHE_STATS_BINS && names[i] != NULL; i++) {
		printf("%s{\"bin\": ", i ? ", " : "");
		cli_json_string(stdout, names[i]);
		printf(", \"%s\": %d}", what, n[i]);
	}
	fputc(']', stdout);
}

static void stats_json(const struct cache_stats *s)
{
	printf("{\"assets\": %d, \"status\": {", s->assets);
	for (int i = 0; i < REVIEW_STATUS_COUNT; i++)
		printf("%s\"%s\": %d", i ? ", " : "", review_status_name(i), s->status[i]);
	printf("}, \"without_annotations\": %d, \"shapes\": %d, \"unlabelled\": %d, \"labels\": [",
	       s->no_shapes, s->shapes, s->unlabelled);
	for (int i = 0; i < s->nlabels; i++) {
		printf("%s{\"name\": ", i ? ", " : "");
		cli_json_string(stdout, s->labels[i].name);
		printf(", \"shapes\": %d, \"images\": %d}", s->labels[i].shapes,
		       s->labels[i].images);
	}
	fputc(']', stdout);
	json_named_counts("shapes_per_image", cache_stats_per_image_bins, s->per_image, "images");
	json_named_counts("box_sizes", cache_stats_box_bins, s->box_sizes, "boxes");
	fputs(", \"tags\": [", stdout);
	for (int i = 0; i < s->ntags; i++) {
		printf("%s{\"name\": ", i ? ", " : "");
		cli_json_string(stdout, s->tags[i].name);
		printf(", \"images\": %d}", s->tags[i].images);
	}
	printf("], \"labels_not_listed\": %d, \"tags_not_listed\": %d}\n", s->labels_more,
	       s->tags_more);
}

static void text_bins(const char *title, const char *const *names, const int *n)
{
	printf("\n%s\n", title);
	for (int i = 0; i < CACHE_STATS_BINS && names[i] != NULL; i++)
		printf("  %-8s\t%d\n", names[i], n[i]);
}

static void stats_text(const struct cache_stats *s)
{
	char clean[CACHE_LABEL_MAX * 4 + 1];

	printf("images\t%d\nwithout annotations\t%d\nshapes\t%d\nunlabelled shapes\t%d\n",
	       s->assets, s->no_shapes, s->shapes, s->unlabelled);
	for (int i = 0; i < REVIEW_STATUS_COUNT; i++)
		printf("%s\t%d\n", review_status_name(i), s->status[i]);
	printf("\nlabel\tshapes\timages\n");
	for (int i = 0; i < s->nlabels; i++)
		printf("%s\t%d\t%d\n", str_sanitize(s->labels[i].name, clean, sizeof clean),
		       s->labels[i].shapes, s->labels[i].images);
	text_bins("shapes per image\timages", cache_stats_per_image_bins, s->per_image);
	text_bins("box size (px)\tboxes", cache_stats_box_bins, s->box_sizes);
	printf("\ntag\timages\n");
	for (int i = 0; i < s->ntags; i++)
		printf("%s\t%d\n", str_sanitize(s->tags[i].name, clean, sizeof clean),
		       s->tags[i].images);
}

int cli_run_stats(const struct cli_call *call, struct err *err)
{
	struct cli_session s = {0};
	struct cache_stats *st = calloc(1, sizeof *st);
	int rc = -1;

	if (st == NULL)
		return err_set(err, "stats: out of memory");
	if (cli_session_open(&s, call->args[0], call, err) < 0)
		goto out;
	struct asset_query q = {.dataset_id = s.dataset_id};
	if (cache_stats(s.cache, &q, st, err) < 0)
		goto out;
	if (call->value[OPT_JSON] != NULL)
		stats_json(st);
	else
		stats_text(st);
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
out:
	cli_session_close(&s);
	free(st);
	return rc;
}
