/* The sync worker (see sync_worker.h): lanes on core/workq, each with its own backend and cache
 * connection. The syncs' lane owns the queue whose messages the main loop polls; the image
 * lanes post their events onto it too, so that one descriptor says that something came. */
#include "cache/sync_worker.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/str.h"
#include "core/workq.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define IMAGE_MAX_BYTES   (256u << 20)
#define PREFETCH_QUEUED   4   /* neighbours' fetches kept waiting; older ones are dropped */
#define PROGRESS_EVERY_MS 100 /* at most this often a progress event */
#define CATALOG_MAX       4096

enum job_kind { JOB_SYNC = 1, JOB_IMAGE };

struct job {
	struct workq_job base;
	enum job_kind kind;
	char dataset[512]; /* JOB_SYNC: "" for the whole source */
	int eager;
	int64_t asset_id; /* JOB_IMAGE */
	int open;         /* JOB_IMAGE: the screen shows it (else a neighbour's, for later) */
};

struct msg {
	struct workq_msg base;
	struct sync_event ev;
};

struct lane {
	struct sync_worker *w;
	struct workq *q;
	struct cache *cache;
	struct backend *b;
	uint64_t last_progress_ms;
};

struct sync_worker {
	struct lane sync;
	struct lane image[SYNC_IMAGE_LANES_MAX];
	int nimage;
	atomic_int cancel;  /* set by sync_worker_stop: what runs ends early */
	atomic_int pending; /* syncs asked for and not ended */
};

enum sync_link sync_link_of(enum err_kind kind)
{
	if (kind == ERR_OFFLINE)
		return SYNC_LINK_OFFLINE;
	if (kind == ERR_AUTH || kind == ERR_FORBIDDEN)
		return SYNC_LINK_REFUSED;
	return SYNC_LINK_ONLINE;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- events --------------------------------------------------------------------------------- */

static struct msg *event_new(enum sync_event_kind kind)
{
	struct msg *m = calloc(1, sizeof *m);

	if (m == NULL)
		log_msg(LOG_WARN, "sync: out of memory for an event");
	else
		m->ev.kind = kind;
	return m;
}

/* Every lane posts to the syncs' queue: the one the main loop polls. */
static void event_post(struct lane *l, struct msg *m)
{
	if (m != NULL)
		workq_post(l->w->sync.q, &m->base);
}

static void event_fail(struct sync_event *ev, const struct err *err)
{
	ev->failed = 1;
	ev->err_kind = err_kind_of(err);
	str_copy(ev->err_msg, err->msg, sizeof ev->err_msg);
	ev->link = sync_link_of(ev->err_kind);
}

void sync_events_free(struct sync_event *list)
{
	while (list != NULL) {
		struct sync_event *next = list->next;
		struct msg *m = WORKQ_OF(list, struct msg, ev);

		free(list->catalog);
		free(m);
		list = next;
	}
}

/* ---- syncs ---------------------------------------------------------------------------------- */

static void on_progress(const char *what, int64_t done, int64_t total, void *ctx)
{
	struct lane *l = ctx;
	uint64_t t = now_ms();
	struct msg *m;

	if (t - l->last_progress_ms < PROGRESS_EVERY_MS && (total < 0 || done < total))
		return;
	l->last_progress_ms = t;
	if ((m = event_new(SYNC_EVENT_PROGRESS)) == NULL)
		return;
	str_copy(m->ev.what, what, sizeof m->ev.what);
	m->ev.done = done;
	m->ev.total = total;
	event_post(l, m);
}

static void on_warning(const char *msg, void *ctx)
{
	(void)ctx;
	log_msg(LOG_INFO, "sync: %s", msg);
}

/* The source's dataset versions as it lists them now (names, types, counts). */
static int catalog_list(struct backend *b, struct sync_event *ev, struct err *err)
{
	struct container_list ds = {0}, vs = {0};
	int rc = -1;

	if (backend_list(b, CONTAINER_DATASET, NULL, &ds, err) < 0)
		return -1;
	ev->catalog = calloc(CATALOG_MAX, sizeof *ev->catalog);
	if (ev->catalog == NULL) {
		err_set(err, "out of memory listing the source");
		goto out;
	}
	for (int i = 0; i < ds.n; i++) {
		if (backend_list(b, CONTAINER_VERSION, ds.items[i].ext_id, &vs, err) < 0)
			goto out;
		for (int j = 0; j < vs.n && ev->ncatalog < CATALOG_MAX; j++) {
			struct sync_catalog_entry *e = &ev->catalog[ev->ncatalog++];

			snprintf(e->name, sizeof e->name, "%s/%s",
			         ds.items[i].name ? ds.items[i].name : "",
			         vs.items[j].name ? vs.items[j].name : "");
			str_copy(e->type, vs.items[j].type ? vs.items[j].type : "", sizeof e->type);
			e->count = vs.items[j].count;
		}
		container_list_clear(&vs);
	}
	rc = 0;
out:
	container_list_clear(&vs);
	container_list_clear(&ds);
	return rc;
}

static void run_catalog(struct lane *l)
{
	struct msg *m = event_new(SYNC_EVENT_CATALOG);
	struct err err = {0};

	if (m == NULL)
		return;
	if (catalog_list(l->b, &m->ev, &err) < 0) {
		log_msg(LOG_INFO, "sync: listing the source: %s", err.msg);
		event_fail(&m->ev, &err);
	} else {
		m->ev.link = SYNC_LINK_ONLINE;
	}
	event_post(l, m);
}

static void run_sync(struct lane *l, const struct job *j)
{
	struct sync_scope scope = {
	    .dataset = j->dataset[0] ? j->dataset : NULL, .pull = 1, .push = 1, .datalake = 1};
	struct sync_hooks hooks = {.warn = on_warning,
	                           .progress = on_progress,
	                           .ctx = l,
	                           .cancel = &l->w->cancel,
	                           .eager = j->eager};
	struct msg *m = event_new(SYNC_EVENT_STARTED);
	struct err err = {0};
	enum sync_link link;

	if (m != NULL)
		m->ev.eager = j->eager;
	event_post(l, m);
	m = event_new(SYNC_EVENT_DONE);
	if (m == NULL) {
		atomic_fetch_sub(&l->w->pending, 1);
		return;
	}
	m->ev.eager = j->eager;
	l->last_progress_ms = 0;
	if (sync_source(l->cache, l->b, &scope, &hooks, &m->ev.report, &err) < 0)
		event_fail(&m->ev, &err);
	else
		m->ev.link = SYNC_LINK_ONLINE;
	/* ended before it is said: whoever reads the event finds the worker idle */
	atomic_fetch_sub(&l->w->pending, 1);
	link = m->ev.link;
	event_post(l, m);
	if (!atomic_load(&l->w->cancel) && link == SYNC_LINK_ONLINE)
		run_catalog(l);
}

/* ---- images --------------------------------------------------------------------------------- */

/* A source id that names a file of the store as it is: no folder, no hidden file. */
static int ext_id_is_file_name(const char *id)
{
	return id[0] != '\0' && id[0] != '.' && strchr(id, '/') == NULL && strlen(id) < 200;
}

static int image_fetch(struct lane *l, int64_t asset_id, int open, struct err *err)
{
	struct cache_image_ref ref;
	char dir[4096], path[4400];
	struct buf bytes;
	int rc = -1, trimmed = 0;

	if (cache_asset_image_ref(l->cache, asset_id, &ref, err) < 0)
		return -1;
	if (ref.has_file) /* shown again: the store's budget drops it last */
		return open ? cache_image_touch(l->cache, asset_id, err) : 0;
	if (!ext_id_is_file_name(ref.ext_id))
		return err_setk(err, ERR_NOT_FOUND, "the asset has no image on the source");
	buf_init(&bytes, IMAGE_MAX_BYTES);
	struct image_ref iref = {.asset_ext_id = ref.ext_id, .data_ext_id = ref.data_ext_id};
	if (cache_image_dir(l->cache, dir, sizeof dir, err) < 0 ||
	    backend_fetch_image(l->b, &iref, &bytes, err) < 0)
		goto out;
	snprintf(path, sizeof path, "%s/%s", dir, ref.ext_id);
	/* in the store's accounts, within its budget (the least recently shown go first) */
	if (buf_write_file(&bytes, path, err) < 0 ||
	    cache_image_stored(l->cache, asset_id, path, (int64_t)bytes.len, err) < 0 ||
	    cache_image_touch(l->cache, asset_id, err) < 0 ||
	    cache_images_trim(l->cache, CACHE_IMAGE_BUDGET_DEFAULT, &trimmed, err) < 0)
		goto out;
	rc = 0;
out:
	buf_free(&bytes);
	return rc;
}

static void run_image(struct lane *l, const struct job *j)
{
	struct msg *m = event_new(SYNC_EVENT_IMAGE);
	struct err err = {0};

	if (m == NULL)
		return;
	m->ev.asset_id = j->asset_id;
	if (image_fetch(l, j->asset_id, j->open, &err) < 0)
		event_fail(&m->ev, &err);
	else
		m->ev.link = SYNC_LINK_ONLINE;
	event_post(l, m);
}

/* ---- the lanes ------------------------------------------------------------------------------ */

static void lane_run(struct workq *q, struct workq_job *job, void *ctx)
{
	struct lane *l = ctx;
	struct job *j = WORKQ_OF(job, struct job, base);

	(void)q;
	if (atomic_load(&l->w->cancel)) {
		if (j->kind == JOB_SYNC)
			atomic_fetch_sub(&l->w->pending, 1);
		return;
	}
	if (j->kind == JOB_SYNC)
		run_sync(l, j);
	else
		run_image(l, j);
}

static void job_free(struct workq_job *job, void *ctx)
{
	(void)ctx;
	free(WORKQ_OF(job, struct job, base));
}

static void msg_free(struct workq_msg *msg, void *ctx)
{
	struct msg *m = WORKQ_OF(msg, struct msg, base);

	(void)ctx;
	free(m->ev.catalog);
	free(m);
}

static const struct workq_ops lane_ops = {
    .run = lane_run, .job_free = job_free, .msg_free = msg_free};

static int lane_start(struct sync_worker *w, struct lane *l, const char *cache_path,
                      struct backend *b, struct err *err)
{
	l->w = w;
	l->b = b;
	if (cache_open(cache_path, &l->cache, err) < 0)
		return -1;
	l->q = workq_start(&lane_ops, l, err);
	return l->q != NULL ? 0 : -1;
}

static void lane_stop(struct lane *l)
{
	workq_stop(&l->q);
	cache_close(&l->cache);
	backend_close(&l->b);
}

int sync_worker_start(struct sync_worker_config *cfg, struct sync_worker **out, struct err *err)
{
	struct sync_worker *w = calloc(1, sizeof *w);
	int n = cfg->nimage < 0                      ? 0
	        : cfg->nimage > SYNC_IMAGE_LANES_MAX ? SYNC_IMAGE_LANES_MAX
	                                             : cfg->nimage;

	*out = NULL;
	if (w == NULL) {
		backend_close(&cfg->backend);
		for (int i = 0; i < SYNC_IMAGE_LANES_MAX; i++)
			backend_close(&cfg->image_backends[i]);
		return err_set(err, "out of memory for the sync worker");
	}
	/* every backend belongs to a lane from here on: lane_stop closes it */
	w->sync.b = cfg->backend;
	for (int i = 0; i < SYNC_IMAGE_LANES_MAX; i++)
		w->image[i].b = cfg->image_backends[i];
	cfg->backend = NULL;
	memset(cfg->image_backends, 0, sizeof cfg->image_backends);
	w->nimage = SYNC_IMAGE_LANES_MAX;
	if (lane_start(w, &w->sync, cfg->cache_path, w->sync.b, err) < 0)
		goto fail;
	for (int i = 0; i < n; i++)
		if (lane_start(w, &w->image[i], cfg->cache_path, w->image[i].b, err) < 0)
			goto fail;
	for (int i = 0; i < n; i++)
		workq_set_limit(w->image[i].q, 1, PREFETCH_QUEUED);
	w->nimage = n;
	for (int i = n; i < SYNC_IMAGE_LANES_MAX; i++)
		backend_close(&w->image[i].b);
	workq_set_limit(w->sync.q, 2, 1); /* one sync waits at most: a newer ask replaces it */
	workq_set_limit(w->sync.q, 1, PREFETCH_QUEUED);
	*out = w;
	return 0;
fail:
	sync_worker_stop(&w);
	return -1;
}

void sync_worker_stop(struct sync_worker **wp)
{
	struct sync_worker *w = *wp;

	if (w == NULL)
		return;
	atomic_store(&w->cancel, 1);
	/* the image lanes post onto the syncs' queue: they end first */
	for (int i = 0; i < w->nimage; i++)
		lane_stop(&w->image[i]);
	lane_stop(&w->sync);
	free(w);
	*wp = NULL;
}

int sync_worker_fd(const struct sync_worker *w)
{
	return w != NULL && w->sync.q != NULL ? workq_fd(w->sync.q) : -1;
}

static void jobs_free(struct workq_job *list)
{
	while (list != NULL) {
		struct workq_job *next = list->next;
		free(WORKQ_OF(list, struct job, base));
		list = next;
	}
}

void sync_worker_sync(struct sync_worker *w, const char *dataset, int eager)
{
	struct job *j = calloc(1, sizeof *j);
	struct workq_job *dropped;

	if (j == NULL) {
		log_msg(LOG_WARN, "sync: out of memory for a sync");
		return;
	}
	j->kind = JOB_SYNC;
	j->base.level = 2; /* after the images the screen waits for */
	j->eager = eager;
	str_copy(j->dataset, dataset ? dataset : "", sizeof j->dataset);
	atomic_fetch_add(&w->pending, 1);
	dropped = workq_submit(w->sync.q, &j->base);
	for (struct workq_job *d = dropped; d != NULL; d = d->next)
		atomic_fetch_sub(&w->pending, 1);
	jobs_free(dropped);
}

void sync_worker_image(struct sync_worker *w, int64_t asset_id, int open)
{
	struct job *j = calloc(1, sizeof *j);
	/* the opened image has a lane of its own; the neighbours share the others */
	struct lane *l = w->nimage == 0 ? &w->sync
	                 : open || w->nimage == 1
	                     ? &w->image[0]
	                     : &w->image[1 + (int)(asset_id % (w->nimage - 1))];

	if (j == NULL) {
		log_msg(LOG_WARN, "sync: out of memory for an image");
		return;
	}
	j->kind = JOB_IMAGE;
	j->asset_id = asset_id;
	j->open = open;
	/* the opened one first; on the syncs' lane both before the next sync */
	j->base.level = open ? 0 : 1;
	jobs_free(workq_submit(l->q, &j->base));
}

int sync_worker_busy(struct sync_worker *w)
{
	return atomic_load(&w->pending) > 0;
}

struct sync_event *sync_worker_collect(struct sync_worker *w)
{
	struct workq_msg *m = workq_collect(w->sync.q);
	struct sync_event *head = NULL, **tail = &head;

	while (m != NULL) {
		struct workq_msg *next = m->next;
		struct sync_event *ev = &WORKQ_OF(m, struct msg, base)->ev;

		ev->next = NULL;
		*tail = ev;
		tail = &ev->next;
		m = next;
	}
	return head;
}
