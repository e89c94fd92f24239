/* Pull from a backend into the cache (see sync.h). */
#include "cache/sync.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/model.h"

#include <string.h>

static int cache_is_current(struct cache *cache, const struct backend *b, int64_t *dataset_id,
                            struct err *err)
{
	char fingerprint[256] = "";

	if (cache_dataset_find(cache, b->locator, dataset_id, fingerprint, sizeof fingerprint,
	                       err) < 0)
		return -1;
	return *dataset_id != 0 && b->fingerprint != NULL &&
	       strcmp(fingerprint, b->fingerprint) == 0;
}

int sync_pull(struct cache *cache, struct backend *b, struct pull_result *res,
              struct import_stats *stats, sync_warn_fn warn, void *warn_ctx, struct err *err)
{
	struct dataset_doc *doc = NULL;
	int current, rc = -1;

	memset(res, 0, sizeof *res);
	current = cache_is_current(cache, b, &res->dataset_id, err);
	if (current < 0)
		goto out;
	if (current) {
		rc = 0;
		goto out;
	}
	if (backend_load(b, &doc, err) < 0)
		goto out;
	for (int i = 0; i < doc->nwarnings; i++)
		if (warn != NULL)
			warn(doc->warnings[i], warn_ctx);
	res->warnings = doc->nwarnings;
	if (cache_import(cache, b->ops->kind, b->locator, b->fingerprint, doc, &res->dataset_id,
	                 stats, err) < 0)
		goto out;
	res->imported = 1;
	rc = 0;
out:
	dataset_doc_free(&doc);
	return rc;
}
