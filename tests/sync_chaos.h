/* What the sync engine's chaos tests share: one fixed set of edits made in a cache synced from
 * the stand-in's small seed, a sync repeated until it reports complete, and the state of a
 * server (asked through its API) and of a cache written as sorted text, so that two runs can be
 * compared line by line. */
#ifndef ANNOTTY_TESTS_SYNC_CHAOS_H
#define ANNOTTY_TESTS_SYNC_CHAOS_H

#include <stdint.h>

struct backend;
struct cache;
struct err;
struct standin;
struct sync_scope;

/* The Picsellia backend for the stand-in as the user with that token (NULL on failure). */
struct backend *chaos_backend(const struct standin *s, const char *token);

/* Makes the edits in a cache that holds cars/v1 and cars/v2: per round on cars/v2 an accept, a
 * reject, a tag added, a new label with a box made with it, a box with an old label, a box
 * moved and a shape deleted (rounds 1..5 use different assets); once on cars/v1 a tag removed,
 * and a box and an accept on an asset that has no annotation. *entries is the number of outbox
 * entries they queued. */
int chaos_edits(struct cache *c, int rounds, int *entries, struct err *err);

/* Syncs (eagerly, as `annotty sync` does) until a sync reports complete, at most max times.
 * Returns the number of syncs it took, or -1 when none completed (err: the last failure). */
int chaos_sync_until(struct cache *c, struct backend *b, const struct sync_scope *scope, int max,
                     struct err *err);

/* A server's or a cache's content, one sorted line per asset of a dataset's versions:
 * "dataset/version file status [tags] {shapes}", plus the labels of each version. */
struct chaos_state {
	char *text; /* owned (chaos_state_clear) */
	long assets;
	long shapes;
	long duplicates;        /* shapes that are exactly another shape of the same asset */
	long annotations_extra; /* assets with more than one annotation (server only) */
};
/* As the server's API answers (as bob, through the client), for the versions of the dataset
 * named dataset ("cars"). */
int chaos_server_state(const struct standin *s, const char *dataset, struct chaos_state *out,
                       struct err *err);
int chaos_cache_state(struct cache *c, const char *dataset, struct chaos_state *out,
                      struct err *err);
void chaos_state_clear(struct chaos_state *st);
/* 1 when both hold the same text; otherwise 0, the first differing lines printed as comments. */
int chaos_state_same(const struct chaos_state *a, const struct chaos_state *b);

/* Outbox entries of every dataset still pending, and conflicts listed. */
int64_t chaos_pending(struct cache *c);
int64_t chaos_conflicts(struct cache *c);
/* Assets of the dataset whose image is a file of the image store. */
int64_t chaos_images(struct cache *c, const char *dataset);
/* The outbox as text (each entry's id, state, attempts, due time and error), to tell whether a
 * sync touched it; the caller frees it. */
char *chaos_outbox_text(struct cache *c);
/* 1 when PRAGMA integrity_check says ok. */
int chaos_integrity_ok(struct cache *c);

#endif
