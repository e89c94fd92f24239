/* The benchmarks' driver of the sync engine: one sync_source of a Picsellia source (a pull, or a
 * pull with the images fetched into the image store) into a cache, timed, with one line of
 * figures on standard output for bench/sync.sh. */
#include "api/backend.h"
#include "cache/cache.h"
#include "cache/sync.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct backend_locator loc = {.kind = "picsellia", .organization = "demo-org"};
	struct sync_scope scope = {.pull = 1};
	static const struct sync_hooks asked = {.eager = 1};
	struct backend *b = NULL;
	struct cache *c = NULL;
	struct sync_report rep = {0};
	struct err err = {0};
	double t0;
	int rc = 1;

	if (argc < 4 || (argc > 4 && strcmp(argv[4], "images") != 0)) {
		fprintf(stderr, "usage: sync_bench URL NAME/VERSION CACHE [images]\n");
		return 2;
	}
	loc.host = argv[1];
	loc.token = getenv("PICSELLIA_TOKEN") ? getenv("PICSELLIA_TOKEN") : "alice-token";
	scope.dataset = argv[2];
	scope.images = argc > 4;
	if (cache_open(argv[3], &c, &err) < 0 || backend_open(&loc, &b, &err) < 0)
		goto out;
	t0 = now();
	if (sync_source(c, b, &scope, &asked, &rep, &err) < 0)
		goto out;
	printf("seconds=%.3f assets=%lld images=%d complete=%d\n", now() - t0,
	       (long long)rep.assets, rep.images, rep.complete);
	rc = rep.complete ? 0 : 1;
out:
	if (err.msg[0] != '\0')
		fprintf(stderr, "sync_bench: %s\n", err.msg);
	backend_close(&b);
	cache_close(&c);
	return rc;
}
