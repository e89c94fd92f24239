/* The sync worker: threads that own a remote source's network and their own cache connections.
 * One runs the syncs (push then pull, with cancel and progress) and lists the source's datasets
 * and versions; image lanes fetch the bytes of the assets the screen opens and of their
 * neighbours into the image store, at most one fetch per lane at a time. Everything they learn
 * comes back as events through one wake-up descriptor; nothing here waits on the network on
 * the caller's thread, and nothing here draws. */
#ifndef ANNOTTY_CACHE_SYNC_WORKER_H
#define ANNOTTY_CACHE_SYNC_WORKER_H

#include <stdint.h>

#include "cache/sync.h"
#include "core/err.h"

struct backend;
struct sync_worker;

#define SYNC_IMAGE_LANES_MAX 4

/* What starts a worker. The backends are handed over (the worker closes them, also when it
 * fails to start); each lane gets its own, since a backend serves one thread at a time. */
struct sync_worker_config {
	const char *cache_path;  /* the cache database: each thread opens its own connection */
	struct backend *backend; /* the syncs' */
	struct backend *image_backends[SYNC_IMAGE_LANES_MAX];
	int nimage; /* 0: images are fetched on the syncs' thread, behind the syncs */
};

/* What the last word from the source says of it. */
enum sync_link {
	SYNC_LINK_UNKNOWN = 0, /* not asked yet */
	SYNC_LINK_ONLINE,
	SYNC_LINK_OFFLINE, /* the server cannot be reached */
	SYNC_LINK_REFUSED, /* reached, but it refuses the token or the organization */
};

enum sync_event_kind {
	SYNC_EVENT_STARTED = 1, /* a sync began */
	SYNC_EVENT_PROGRESS,    /* what, done, total */
	SYNC_EVENT_DONE,        /* a sync ended: report, and failed with err_kind, err_msg */
	SYNC_EVENT_IMAGE,       /* asset_id's image is in the store, or failed says why not */
	SYNC_EVENT_CATALOG,     /* the source's dataset versions, as it lists them */
};

/* One version of the source's catalog. */
struct sync_catalog_entry {
	char name[512]; /* "cars/v1" */
	char type[64];  /* the platform's inference type, "" when it says none */
	int64_t count;  /* assets, -1 when it does not say */
};

struct sync_event {
	struct sync_event *next; /* the list sync_worker_collect hands back */
	enum sync_event_kind kind;
	enum sync_link link;       /* what the event tells of the source; UNKNOWN when nothing */
	int eager;                 /* STARTED, DONE: the user asked for this sync */
	char what[32];             /* PROGRESS: "assets", "edits", "images" */
	int64_t done, total;       /* PROGRESS: total -1 when unknown */
	struct sync_report report; /* DONE */
	int failed;                /* DONE, IMAGE */
	enum err_kind err_kind;
	char err_msg[ERR_MSG_MAX];
	int64_t asset_id;                   /* IMAGE */
	struct sync_catalog_entry *catalog; /* CATALOG: owned by the event */
	int ncatalog;
};

/* Starts the threads (they do nothing until asked). The caller owns *out (sync_worker_stop).
 * -1 with err filled, the backends closed, when a thread or a connection cannot be had. */
int sync_worker_start(struct sync_worker_config *cfg, struct sync_worker **out, struct err *err);
/* Cancels what runs (a pull stops after its page, a push after its entry: both resume next
 * time), waits for the threads, closes the backends and connections. *w becomes NULL. */
void sync_worker_stop(struct sync_worker **w);
/* Readable when events wait: for the main loop's poll(). */
int sync_worker_fd(const struct sync_worker *w);

/* Asks for a sync of the whole source, or of one "NAME/VERSION" (dataset may be NULL), push
 * then pull, then a listing of the source's catalog. eager: the user asked (entries put off
 * for later are tried now). A sync already waiting is replaced by this one. */
void sync_worker_sync(struct sync_worker *w, const char *dataset, int eager);
/* Asks for the image bytes of an asset: first (open set: the screen waits for it) or behind
 * the others (a neighbour's, for later; only the newest few of those wait). An asset whose
 * image is in the store already gets its IMAGE event at once, and is marked as shown (the
 * store's budget drops it last). */
void sync_worker_image(struct sync_worker *w, int64_t asset_id, int open);
/* Whether a sync runs or waits now. */
int sync_worker_busy(struct sync_worker *w);

/* Takes every event posted so far, oldest first; the caller frees them (sync_events_free). */
struct sync_event *sync_worker_collect(struct sync_worker *w);
void sync_events_free(struct sync_event *list);

/* What a failure says of the source: offline for an unreachable server, refused for a token
 * or organization it will not take, else online (it answered). */
enum sync_link sync_link_of(enum err_kind kind);

#endif
