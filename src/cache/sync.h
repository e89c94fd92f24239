/* The sync engine: pull a backend's content into the cache (a local file re-imported when it
 * changed; a remote container page by page, resumable), push the outbox to the backend in
 * order, and write a local source back (export). It runs on whichever thread owns the network
 * and its own cache connection; nothing here prints. */
#ifndef ANNOTTY_CACHE_SYNC_H
#define ANNOTTY_CACHE_SYNC_H

#include <stdatomic.h>
#include <stdint.h>

struct cache;
struct backend;
struct err;
struct import_stats;
struct cache_pull_target;

/* Called for each problem found in the source that did not stop the pull. */
typedef void (*sync_warn_fn)(const char *msg, void *ctx);

struct pull_result {
	int64_t dataset_id;
	int imported; /* 0 when the cache was already up to date */
	int warnings;
	int pages;   /* pages stored by this call */
	int resumed; /* a pull cut short before went on where it stopped */
	int64_t total;
};

/* Pulls a local backend's dataset into the cache (whole, when its file changed). stats and
 * warn may be NULL. */
int sync_pull(struct cache *cache, struct backend *b, struct pull_result *res,
              struct import_stats *stats, sync_warn_fn warn, void *warn_ctx, struct err *err);

/* Progress of a long pull or push: done out of total (total -1 when unknown). */
typedef void (*sync_progress_fn)(const char *what, int64_t done, int64_t total, void *ctx);

struct sync_hooks {
	sync_warn_fn warn;
	sync_progress_fn progress;
	void *ctx;
	const atomic_int *cancel; /* set from another thread: stop after the page or entry */
	int eager; /* the user asked for this sync: entries put off for later are tried now */
};

/* Pulls one container of a paged source into the cache, resuming a pull cut short. hooks and
 * stats may be NULL. A cancelled pull fails with ERR_RETRY and resumes next time. */
int sync_pull_container(struct cache *cache, struct backend *b, const struct cache_pull_target *t,
                        const struct sync_hooks *hooks, struct pull_result *res,
                        struct import_stats *stats, struct err *err);

struct push_result {
	int pushed;       /* entries the source confirmed */
	int conflicts;    /* entries that met a conflict or a refusal */
	int waiting;      /* entries left pending (retry later) */
	int64_t retry_at; /* when the first waiting one is due (Unix seconds), 0 for none */
	char last_error[256];
};

/* Pushes the dataset's outbox to the backend in order, until it is empty or an entry has to
 * wait (offline, rate limited: the later ones wait behind it). Conflicts are recorded and the
 * push goes on. Fails only when the cache could not be read or written, or when the source
 * refused the token (ERR_AUTH: the entry stays as it was, to be pushed with a right one). */
int sync_push(struct cache *cache, struct backend *b, int64_t dataset_id,
              const struct sync_hooks *hooks, struct push_result *res, struct err *err);

/* Writes a local source's dataset with the user's review to out_path (NULL: over the source;
 * "-": standard output); on a cache that cannot be written the file is written all the same and
 * *written is -1 (the edits stay counted as not exported)
 * and marks as written exactly the edits the file holds (those queued before it was read);
 * *written (may be NULL) is how many. Remote sources are refused: their edits are pushed. */
int sync_export(struct cache *cache, struct backend *b, int64_t dataset_id, const char *out_path,
                int *written, struct err *err);

/* What one sync of a source covers. */
struct sync_scope {
	const char *dataset;  /* "NAME/VERSION" (or "NAME" for each of its versions); NULL: all */
	int pull;             /* bring the source's content into the cache */
	int push;             /* send the outbox */
	int images;           /* also fetch the image bytes of the pulled assets into the store */
	int datalake;         /* also pull the datalake's data and tags */
	int64_t image_budget; /* bytes the image store may hold; 0: CACHE_IMAGE_BUDGET_DEFAULT */
};

struct sync_report {
	int versions;   /* dataset versions pulled */
	int64_t assets; /* assets stored by the pulls */
	int64_t data;   /* datalake items stored */
	int pushed;     /* outbox entries the source confirmed */
	int conflicts;  /* entries that met a conflict */
	int waiting;    /* entries left for later (offline, rate limited) */
	int images;     /* image files fetched */
	int complete;   /* everything in scope was pulled and pushed */
	char last_error[256];
};

/* Syncs a remote source: pushes each dataset's outbox, then pulls its containers (resuming
 * pulls cut short), as scope says. A failure of the source (offline, auth) ends it with err
 * set and rep saying how far it got; conflicts do not fail it (rep counts them). */
int sync_source(struct cache *cache, struct backend *b, const struct sync_scope *scope,
                const struct sync_hooks *hooks, struct sync_report *rep, struct err *err);

/* How long to wait before the attempt-th retry of an entry: exponential from 1 s, capped at
 * five minutes, with jitter; a source's Retry-After wins when it is longer. */
int sync_backoff_seconds(int attempt, int retry_after);

#endif
