/* The sync engine's pull: bring a backend's dataset into the cache (local sources re-import
 * only when their file changed). */
#ifndef ANNOTTY_CACHE_SYNC_H
#define ANNOTTY_CACHE_SYNC_H

#include <stdint.h>

struct cache;
struct backend;
struct err;
struct import_stats;

/* Called for each problem found in the source that did not stop the pull. */
typedef void (*sync_warn_fn)(const char *msg, void *ctx);

struct pull_result {
	int64_t dataset_id;
	int imported; /* 0 when the cache was already up to date */
	int warnings;
};

/* Pulls the backend's dataset into the cache. stats may be NULL; warn may be NULL. */
int sync_pull(struct cache *cache, struct backend *b, struct pull_result *res,
              struct import_stats *stats, sync_warn_fn warn, void *warn_ctx, struct err *err);

#endif
