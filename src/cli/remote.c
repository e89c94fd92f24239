/* Opening a configured platform source for a subcommand: the organization chosen from the
 * environment or the credentials, its backend (which holds the token from then on) and the
 * cache, with the source's row when a sync stored it. */
#include "cli/cli.h"
#include "cli/config.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/paths.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

static int remote_backend(const struct cli_remote *r, struct backend **out, struct err *err)
{
	struct backend_locator loc = {
	    .kind = "picsellia",
	    .host = r->host,
	    .organization = r->organization[0] != '\0' ? r->organization : NULL,
	    .token = r->token,
	};

	return backend_open(&loc, out, err);
}

int cli_remote_open(struct cli_remote_session *s, const struct cli_call *call, struct err *err)
{
	struct cli_remote r;
	char db[PATH_MAX];
	int rc = -1;

	memset(s, 0, sizeof *s);
	if (cli_remote_resolve(call, &r, err) < 0)
		goto out;
	snprintf(s->label, sizeof s->label, "%s at %s",
	         r.organization[0] != '\0' ? r.organization : "the default organization", r.host);
	if (remote_backend(&r, &s->backend, err) < 0) {
		err_wrap(err, "%s", s->label);
		goto out;
	}
	if (paths_cache_db(db, sizeof db, err) < 0 || cache_open(db, &s->cache, err) < 0 ||
	    cache_source_find(s->cache, s->backend->locator, &s->source_id, err) < 0)
		goto out;
	rc = 0;
out:
	cli_wipe(&r, sizeof r);
	return rc;
}

void cli_remote_close(struct cli_remote_session *s)
{
	backend_close(&s->backend);
	cache_close(&s->cache);
}

int cli_remote_need_cached(const struct cli_remote_session *s, struct err *err)
{
	if (s->source_id != 0)
		return 0;
	return err_setk(err, ERR_NOT_FOUND,
	                "nothing of %s is in the cache yet: run annotty sync first", s->label);
}

int cli_remote_dataset(struct cli_remote_session *s, const char *name, int64_t *dataset_id,
                       struct err *err)
{
	int found;

	*dataset_id = 0;
	if (cli_remote_need_cached(s, err) < 0)
		return -1;
	if (strchr(name, '/') == NULL)
		return err_setk(err, ERR_USAGE, "--dataset takes NAME/VERSION (cars/v1), not %s",
		                name);
	found = cache_version_find(s->cache, s->source_id, name, dataset_id, err);
	if (found < 0)
		return -1;
	if (found == 0)
		return err_setk(
		    err, ERR_NOT_FOUND,
		    "the cache holds no dataset %s of %s: run annotty sync --dataset %s", name,
		    s->label, name);
	return 0;
}
