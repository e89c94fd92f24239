/* `annotty sources` (and `annotty ls sources`): the datasets the cache holds (local files opened
 * before, Picsellia organizations synced) and the organizations configured, never a token. */
#include "cli/cli.h"
#include "cli/config.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct sources_out {
	int json;
	long n;
};

static void when_text(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || localtime_r(&tt, &tm) == NULL)
		snprintf(buf, n, "never");
	else
		strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

static int cached_row(const struct cache_source_row *r, void *ctx)
{
	struct sources_out *o = ctx;
	char loc[4096 * 2], when[32];

	if (!o->json) {
		when_text(r->imported_at, when, sizeof when);
		printf("%s\t%s\t%d %s\t%lld %s\t%d pending\t%d %s\t%s\n", r->kind,
		       str_sanitize(r->locator, loc, sizeof loc), r->datasets,
		       cli_plural(r->datasets, "dataset", "datasets"), (long long)r->assets,
		       cli_plural(r->assets, "asset", "assets"), r->pending, r->conflicts,
		       cli_plural(r->conflicts, "conflict", "conflicts"), when);
		return 0;
	}
	printf("%s\n    {\"kind\": ", o->n++ > 0 ? "," : "");
	cli_json_string(stdout, r->kind);
	fputs(", \"locator\": ", stdout);
	cli_json_string(stdout, r->locator);
	printf(", \"local\": %s, \"datasets\": %d, \"assets\": %lld, \"pending\": %d, "
	       "\"conflicts\": %d, \"synced_at\": %lld}",
	       strcmp(r->kind, "picsellia") == 0 ? "false" : "true", r->datasets,
	       (long long)r->assets, r->pending, r->conflicts, (long long)r->imported_at);
	return 0;
}

static void configured_row(const struct cli_remote *r, int first, const char *from,
                           struct sources_out *o)
{
	char org[CLI_ORG_MAX * 2], host[CLI_HOST_MAX * 2];

	if (!o->json) {
		printf("picsellia\t%s@%s\t%s%s\n",
		       r->organization[0] ? str_sanitize(r->organization, org, sizeof org)
		                          : "(default organization)",
		       str_sanitize(r->host, host, sizeof host), from, first ? ", default" : "");
		return;
	}
	printf("%s\n    {\"kind\": \"picsellia\", \"host\": ", o->n++ > 0 ? "," : "");
	cli_json_string(stdout, r->host);
	fputs(", \"organization\": ", stdout);
	if (r->organization[0])
		cli_json_string(stdout, r->organization);
	else
		fputs("null", stdout);
	printf(", \"from\": \"%s\", \"default\": %s}", from, first ? "true" : "false");
}

/* The environment's organization first (it wins), then the stored ones. */
static int list_configured(const struct cli_creds *c, struct sources_out *o, struct err *err)
{
	static const struct cli_call none;
	struct cli_remote env;
	const char *token = getenv("PICSELLIA_TOKEN");
	int have_env = token != NULL && token[0] != '\0';

	if (have_env) {
		if (cli_remote_resolve(&none, &env, err) < 0)
			return -1;
		configured_row(&env, 1, "environment", o);
		cli_wipe(&env, sizeof env);
	}
	for (int i = 0; i < c->n; i++)
		configured_row(&c->items[i], !have_env && i == 0, "login", o);
	return 0;
}

int cli_run_sources(const struct cli_call *call, struct err *err)
{
	struct sources_out o = {.json = call->value[OPT_JSON] != NULL};
	struct cache *cache = NULL;
	struct cli_creds *c = NULL;
	char db[PATH_MAX];
	int rc = -1;

	/* a credentials file that cannot be used is said before anything is written */
	if (cli_creds_load(&c, err) < 0)
		return -1;
	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &cache, err) < 0)
		goto out;
	if (o.json)
		fputs("{\"cached\": [", stdout);
	if (cache_sources_each(cache, cached_row, &o, err) < 0)
		goto out;
	if (o.json)
		fputs(o.n > 0 ? "\n  ],\n  \"configured\": [" : "],\n  \"configured\": [", stdout);
	o.n = 0;
	if (list_configured(c, &o, err) < 0)
		goto out;
	if (o.json)
		fputs(o.n > 0 ? "\n  ]}\n" : "]}\n", stdout);
	rc = EXIT_OK;
out:
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
	cache_close(&cache);
	cli_creds_free(&c);
	return rc;
}
