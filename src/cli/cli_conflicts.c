/* `annotty ls conflicts [SOURCE]` and `annotty conflicts keep-mine|take-theirs ID`: the edits
 * that met a change of the source, with both versions, and the user's choice on one of them
 * (cache_conflict_resolve, as the conflicts screen does). */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* Conflicts are few; a dataset with more is listed up to here, and says so. */
#define CONFLICTS_MAX 100000

struct conflicts_out {
	int json;
	long count;
};

static int conflict_json(const struct conflict_row *r, const char *dataset, struct conflicts_out *o,
                         struct err *err)
{
	printf("%s\n{\"id\": %lld, \"dataset\": ", o->count++ > 0 ? "," : "", (long long)r->id);
	cli_json_string(stdout, dataset);
	fputs(", \"filename\": ", stdout);
	cli_json_string(stdout, r->filename);
	fputs(", \"op\": ", stdout);
	cli_json_string(stdout, r->op);
	printf(", \"refused\": %s, \"reason\": ", r->refused ? "true" : "false");
	cli_json_string(stdout, r->reason);
	fputs(", \"mine\": ", stdout);
	if (r->mine == NULL || cli_json_raw(stdout, r->mine, err) < 0)
		fputs("null", stdout);
	fputs(", \"theirs\": ", stdout);
	if (r->theirs == NULL || cli_json_raw(stdout, r->theirs, err) < 0)
		fputs("null", stdout);
	fputc('}', stdout);
	return 0;
}

static void conflict_text(const struct conflict_row *r, const char *dataset)
{
	char d[1024], f[1024], why[512], mine[4096], theirs[4096];

	printf("%lld\t%s\t%s\t%s\t%s\tmine: %s\ttheirs: %s\n", (long long)r->id,
	       str_sanitize(dataset, d, sizeof d), str_sanitize(r->filename, f, sizeof f), r->op,
	       str_sanitize(r->refused ? "refused" : r->reason, why, sizeof why),
	       str_sanitize(r->mine != NULL ? r->mine : "-", mine, sizeof mine),
	       r->theirs != NULL ? str_sanitize(r->theirs, theirs, sizeof theirs)
	                         : "(gone on the source)");
}

/* The conflicts of one cache dataset. */
static int conflicts_of(struct cache *cache, int64_t dataset_id, const char *dataset,
                        struct conflicts_out *o, struct err *err)
{
	struct conflict_row *rows = NULL;
	int total, n = 0, rc = -1;

	if (cache_conflicts_count(cache, dataset_id, &total, err) < 0)
		return -1;
	if (total == 0)
		return 0;
	if (total > CONFLICTS_MAX)
		total = CONFLICTS_MAX;
	if ((rows = calloc((size_t)total, sizeof *rows)) == NULL)
		return err_set(err, "out of memory for %d conflicts", total);
	if (cache_conflicts_list(cache, dataset_id, rows, total, &n, err) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		if (o->json)
			conflict_json(&rows[i], dataset, o, err);
		else
			conflict_text(&rows[i], dataset);
	}
	rc = 0;
out:
	cache_conflict_rows_clear(rows, n);
	free(rows);
	return rc;
}

struct remote_walk {
	struct cache *cache;
	struct conflicts_out *o;
	struct err *err;
};

static int remote_version(const struct cache_version_row *r, void *ctx)
{
	struct remote_walk *w = ctx;

	if (r->conflicts == 0)
		return 0;
	return conflicts_of(w->cache, r->dataset_id, r->name, w->o, w->err);
}

/* Every conflict of the organization (or of --dataset), dataset by dataset. */
static int remote_conflicts(const struct cli_call *call, struct conflicts_out *o, struct err *err)
{
	struct cli_remote_session s;
	struct remote_walk w = {.o = o, .err = err};
	int64_t id;
	int rc = -1;

	if (cli_remote_open(&s, call, err) < 0 || cli_remote_need_cached(&s, err) < 0)
		goto out;
	w.cache = s.cache;
	if (call->value[OPT_DATASET] != NULL) {
		if (cli_remote_dataset(&s, call->value[OPT_DATASET], &id, err) < 0)
			goto out;
		fputs(o->json ? "[" : "", stdout);
		rc = conflicts_of(s.cache, id, call->value[OPT_DATASET], o, err);
		goto out;
	}
	fputs(o->json ? "[" : "", stdout);
	rc = cache_versions_each(s.cache, s.source_id, NULL, remote_version, &w, err);
out:
	cli_remote_close(&s);
	return rc;
}

static int local_conflicts(const struct cli_call *call, struct conflicts_out *o, struct err *err)
{
	struct cli_session s = {0};
	struct dataset_info info;
	int rc = -1;

	if (cli_session_open(&s, call->args[0], call, err) < 0 ||
	    cache_dataset_get(s.cache, s.dataset_id, &info, err) < 0)
		goto out;
	fputs(o->json ? "[" : "", stdout);
	rc = conflicts_of(s.cache, s.dataset_id, info.name, o, err);
out:
	cli_session_close(&s);
	return rc;
}

int cli_run_ls_conflicts(const struct cli_call *call, struct err *err)
{
	struct conflicts_out o = {.json = call->value[OPT_JSON] != NULL};
	int rc;

	if (call->nargs > 0 && call->value[OPT_DATASET] != NULL)
		return err_setk(err, ERR_USAGE,
		                "ls conflicts takes a local SOURCE or --dataset, not both");
	rc = call->nargs > 0 ? local_conflicts(call, &o, err) : remote_conflicts(call, &o, err);
	if (o.json && (rc == 0 || o.count > 0))
		fputs(o.count > 0 ? "\n]\n" : "]\n", stdout);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
	return rc < 0 ? -1 : EXIT_OK;
}

int cli_run_conflicts(const struct cli_call *call, struct err *err)
{
	int keep = strcmp(call->cmd->word, "keep-mine") == 0;
	struct cache *cache = NULL;
	char db[PATH_MAX], *end;
	long long id;
	int rc = -1;

	errno = 0;
	id = strtoll(call->args[0], &end, 10);
	if (errno != 0 || end == call->args[0] || *end != '\0' || id <= 0)
		return err_setk(err, ERR_USAGE,
		                "a conflict is named by its number (annotty ls conflicts), not %s",
		                call->args[0]);
	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &cache, err) < 0)
		goto out;
	if (cache_conflict_resolve(cache, id, keep ? CONFLICT_KEEP_MINE : CONFLICT_TAKE_THEIRS,
	                           err) < 0)
		goto out;
	printf("conflict %lld: %s\n", id,
	       keep ? "your version is kept; the next annotty sync sends it again"
	            : "the source's version is taken");
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
out:
	cache_close(&cache);
	return rc;
}
