/* The list's queries timed on a cache that holds a large dataset: opening (the dataset's
 * summary), the first page, the last row, a filter of each kind with its count, and a filter
 * typed one key at a time. Prints "name milliseconds" lines for bench/scale.sh; figures only.
 *
 * usage: scale_queries CACHE.db LOCATOR */
#include "cache/cache.h"
#include "core/err.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define PAGE_ROWS 43

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static struct asset_row rows[PAGE_ROWS];

/* A first page of the query, and (with counted) its count, as the list shows them. */
static double page_ms(struct cache *c, const struct asset_query *q, int backward, int counted)
{
	struct asset_cursor from = {0};
	struct err err;
	int n = 0, total = 0;
	double t0 = now_ms();

	if (cache_assets_page(c, q, &from, backward, rows, PAGE_ROWS, &n, &err) < 0)
		fprintf(stderr, "scale_queries: %s\n", err.msg);
	if (counted && cache_assets_count(c, q, &total, &err) < 0)
		fprintf(stderr, "scale_queries: %s\n", err.msg);
	return now_ms() - t0;
}

static void filter(struct cache *c, int64_t ds, const char *name, enum asset_filter_field f,
                   const char *text)
{
	struct asset_query q = {.dataset_id = ds, .filter = f};

	snprintf(q.filter_text, sizeof q.filter_text, "%s", text);
	printf("%s %.2f\n", name, page_ms(c, &q, 0, 1));
}

int main(int argc, char **argv)
{
	struct cache *c = NULL;
	struct dataset_info info;
	struct asset_query q = {0};
	int64_t ds = 0;
	struct err err;
	double t0, typed = 0;
	const char *word = "class42";

	if (argc != 3)
		return fprintf(stderr, "usage: scale_queries CACHE.db LOCATOR\n"), 2;
	t0 = now_ms();
	if (cache_open(argv[1], &c, &err) < 0 ||
	    cache_dataset_find(c, argv[2], &ds, NULL, 0, &err) < 0 ||
	    cache_dataset_get(c, ds, &info, &err) < 0)
		return fprintf(stderr, "scale_queries: %s\n", err.msg), 1;
	q.dataset_id = ds;
	page_ms(c, &q, 0, 0);
	printf("open %.2f\n", now_ms() - t0);
	printf("page %.2f\n", page_ms(c, &q, 0, 0));
	printf("page+count %.2f\n", page_ms(c, &q, 0, 1));
	printf("last_row %.2f\n", page_ms(c, &q, 1, 0));
	filter(c, ds, "filter_label", FILTER_LABEL, "car");
	filter(c, ds, "filter_tag", FILTER_TAG, "night");
	filter(c, ds, "filter_status", FILTER_STATUS, "accepted");
	filter(c, ds, "filter_name_substring", FILTER_FILENAME, "12345");
	filter(c, ds, "filter_any", FILTER_ANY, "night");
	/* typing /label:class42 one key at a time: each key runs the filter and its count */
	for (size_t i = 1; i <= strlen(word); i++) {
		q.filter = FILTER_LABEL;
		snprintf(q.filter_text, sizeof q.filter_text, "%.*s", (int)i, word);
		typed += page_ms(c, &q, 0, 1);
	}
	printf("typed_filter_total %.2f\n", typed);
	cache_close(&c);
	return 0;
}
