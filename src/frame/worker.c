/* The render worker thread and the frame pipe (see worker.h). One thread is enough: the pane
 * wants one frame at a time and the prefetches of its two neighbours go behind it. */
#include "frame/worker.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Prefetches queued at most; older ones go first (the user has moved on). */
enum { WORKER_PREFETCH_MAX = 4 };

struct job {
	struct job *next;
	struct frame_key key;
	uint64_t generation;
	enum worker_priority priority;
	struct asset_detail asset; /* a deep copy, freed with asset_dup_free */
	struct frame_spec spec;    /* spec.marks points at marks below */
	struct overlay_marks marks;
	struct shape mark_shape;
	struct point *draft;
};

struct worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct job *now;      /* queued for the pane, oldest first */
	struct job *prefetch; /* queued for later, oldest first */
	struct job *building; /* taken by the thread */
	struct worker_result *done, **done_tail;
	int quit;
	int wake[2]; /* the thread writes a byte per result; the main loop polls the read end */
	unsigned long builds;
	struct frame_bases bases; /* the thread's own */
};

/* ---- deep copies -------------------------------------------------------------------------- */

static int dup_str(char **dst, const char *src)
{
	*dst = src ? strdup(src) : NULL;
	return src == NULL || *dst != NULL ? 0 : -1;
}

static void *dup_mem(const void *src, size_t n)
{
	void *p;

	if (src == NULL || n == 0)
		return NULL;
	p = malloc(n);
	if (p != NULL)
		memcpy(p, src, n);
	return p;
}

/* What drawing a shape reads: kind, label, geometry, text (not its ids or extra fields). */
static int shape_dup(struct shape *d, const struct shape *s)
{
	memset(d, 0, sizeof *d);
	d->kind = s->kind;
	d->label = s->label;
	d->box = s->box;
	d->npoints = s->points ? s->npoints : 0;
	d->nparts = s->part_ends ? s->nparts : 0;
	d->points = dup_mem(s->points, (size_t)d->npoints * sizeof *d->points);
	d->part_ends = dup_mem(s->part_ends, (size_t)d->nparts * sizeof *d->part_ends);
	if ((d->npoints > 0 && d->points == NULL) || (d->nparts > 0 && d->part_ends == NULL) ||
	    dup_str(&d->text, s->text) < 0) {
		shape_clear(d);
		return -1;
	}
	return 0;
}

/* What frame_build reads; asset_dup_free releases it, also when the copy failed half-way. */
static int asset_dup(struct asset_detail *d, const struct asset_detail *s)
{
	memset(d, 0, sizeof *d);
	d->id = s->id;
	d->dataset_id = s->dataset_id;
	memcpy(d->filename, s->filename, sizeof d->filename);
	memcpy(d->path, s->path, sizeof d->path);
	d->width = s->width;
	d->height = s->height;
	d->status = s->status;
	if (s->nshapes <= 0)
		return 0;
	d->shapes = calloc((size_t)s->nshapes, sizeof *d->shapes);
	d->shape_labels = calloc((size_t)s->nshapes, sizeof *d->shape_labels);
	if (d->shapes == NULL || d->shape_labels == NULL)
		return -1;
	for (int i = 0; i < s->nshapes; i++) {
		if (shape_dup(&d->shapes[i], &s->shapes[i]) < 0)
			return -1;
		d->nshapes = i + 1;
		if (dup_str(&d->shape_labels[i],
		            s->shape_labels && s->shape_labels[i] ? s->shape_labels[i] : "") < 0)
			return -1;
	}
	if (s->nkeypoints > 0) {
		d->keypoints = dup_mem(s->keypoints, (size_t)s->nkeypoints * sizeof *s->keypoints);
		d->keypoint_shape =
		    dup_mem(s->keypoint_shape, (size_t)s->nkeypoints * sizeof *s->keypoint_shape);
		if (d->keypoints == NULL || d->keypoint_shape == NULL)
			return -1;
		d->nkeypoints = s->nkeypoints;
	}
	if (s->nlinks > 0) {
		d->keypoint_links =
		    dup_mem(s->keypoint_links, (size_t)s->nlinks * sizeof *s->keypoint_links);
		if (d->keypoint_links == NULL)
			return -1;
		d->nlinks = s->nlinks;
	}
	return 0;
}

/* Releases what asset_dup made (it never copies the ids or the tags). */
static void asset_dup_free(struct asset_detail *d)
{
	for (int i = 0; i < d->nshapes; i++) {
		shape_clear(&d->shapes[i]);
		free(d->shape_labels ? d->shape_labels[i] : NULL);
	}
	free(d->shapes);
	free(d->shape_labels);
	free(d->keypoints);
	free(d->keypoint_shape);
	free(d->keypoint_links);
	memset(d, 0, sizeof *d);
}

static int marks_dup(struct job *job, const struct overlay_marks *m)
{
	job->marks = *m;
	job->marks.shape = NULL;
	job->marks.draft = NULL;
	job->marks.ndraft = m->draft ? m->ndraft : 0;
	if (m->shape != NULL) {
		if (shape_dup(&job->mark_shape, m->shape) < 0)
			return -1;
		job->marks.shape = &job->mark_shape;
	}
	if (job->marks.ndraft > 0) {
		job->draft = dup_mem(m->draft, (size_t)job->marks.ndraft * sizeof *job->draft);
		if (job->draft == NULL)
			return -1;
		job->marks.draft = job->draft;
	}
	return 0;
}

static void job_free(struct job *job)
{
	asset_dup_free(&job->asset);
	shape_clear(&job->mark_shape);
	free(job->draft);
	free(job);
}

static struct job *job_new(const struct asset_detail *asset, const struct frame_spec *spec,
                           const struct frame_key *key, uint64_t generation,
                           enum worker_priority prio, struct err *err)
{
	struct job *job = calloc(1, sizeof *job);

	if (job == NULL) {
		err_set(err, "out of memory for a frame request");
		return NULL;
	}
	job->key = *key;
	job->generation = generation;
	job->priority = prio;
	job->spec = *spec;
	job->spec.marks = spec->marks ? &job->marks : NULL;
	if (asset_dup(&job->asset, asset) < 0 || (spec->marks && marks_dup(job, spec->marks) < 0)) {
		job_free(job);
		err_set(err, "out of memory for a frame request");
		return NULL;
	}
	return job;
}

/* ---- queues (under the lock) -------------------------------------------------------------- */

static void queue_push(struct job **q, struct job *job)
{
	while (*q != NULL)
		q = &(*q)->next;
	job->next = NULL;
	*q = job;
}

static struct job *queue_pop(struct job **q)
{
	struct job *job = *q;

	*q = job->next;
	job->next = NULL;
	return job;
}

static struct job *queue_take(struct job **q, const struct frame_key *key)
{
	for (; *q != NULL; q = &(*q)->next)
		if (frame_key_equal(&(*q)->key, key))
			return queue_pop(q);
	return NULL;
}

static void queue_clear(struct job **q)
{
	while (*q != NULL)
		job_free(queue_pop(q));
}

static int queue_len(const struct job *q)
{
	int n = 0;

	for (; q != NULL; q = q->next)
		n++;
	return n;
}

/* The result with that key built and not collected yet, or NULL. */
static struct worker_result *done_find(struct worker_result *r, const struct frame_key *key)
{
	for (; r != NULL; r = r->next)
		if (frame_key_equal(&r->key, key))
			return r;
	return NULL;
}

/* A result built and not collected yet: a request for it now takes it as it is. */
static int result_promote(struct worker *w, const struct frame_key *key, uint64_t generation,
                          enum worker_priority prio)
{
	struct worker_result *r = done_find(w->done, key);

	if (r != NULL && prio == WORKER_NOW) {
		r->generation = generation;
		r->priority = WORKER_NOW;
		queue_clear(&w->now);
	}
	return r != NULL;
}

/* A request for a frame already built, queued or being built raises that one instead. */
static int job_promote(struct worker *w, const struct frame_key *key, uint64_t generation,
                       enum worker_priority prio)
{
	struct job *job = NULL;

	if (result_promote(w, key, generation, prio))
		return 1;
	if (w->building != NULL && frame_key_equal(&w->building->key, key))
		job = w->building;
	else if ((job = queue_take(&w->now, key)) == NULL)
		job = queue_take(&w->prefetch, key);
	if (job == NULL)
		return 0;
	if (prio == WORKER_NOW) {
		job->generation = generation;
		job->priority = WORKER_NOW;
		queue_clear(&w->now);
	}
	if (job != w->building)
		queue_push(job->priority == WORKER_NOW ? &w->now : &w->prefetch, job);
	return 1;
}

/* ---- the thread --------------------------------------------------------------------------- */

static struct worker_result *job_run(struct worker *w, const struct job *job)
{
	struct worker_result *r = calloc(1, sizeof *r);
	struct buf out;
	struct err err;

	if (r == NULL)
		return NULL;
	r->key = job->key;
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (frame_build_reusing(&job->asset, &job->spec, &w->bases, &out, &r->res, &err) == 0) {
		r->ok = 1;
		r->bytes = buf_steal(&out, &r->len);
	} else {
		snprintf(r->error, sizeof r->error, "%s", err.msg);
	}
	buf_free(&out);
	return r;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct worker_result *r;
	struct job *job;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->quit && w->now == NULL && w->prefetch == NULL)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->quit)
			break;
		job = queue_pop(w->now ? &w->now : &w->prefetch);
		w->building = job;
		pthread_mutex_unlock(&w->lock);
		r = job_run(w, job);
		pthread_mutex_lock(&w->lock);
		w->building = NULL;
		w->builds++;
		if (r != NULL) {
			/* read now: the main thread may have raised them while the frame was built
			 */
			r->generation = job->generation;
			r->priority = job->priority;
			*w->done_tail = r;
			w->done_tail = &r->next;
			(void)!write(w->wake[1], "f", 1);
		} else {
			log_msg(LOG_ERROR, "render worker: out of memory for a result");
		}
		job_free(job);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int wake_pipe_open(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

/* The thread takes no signals sent to the process: they go to the main thread, whose handlers
 * wake its poll(). The ones a fault raises stay open, so that the crash handler still runs. */
static int thread_start(struct worker *w)
{
	static const int faults[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS};
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

struct worker *worker_start(struct err *err)
{
	struct worker *w = calloc(1, sizeof *w);
	int rc;

	if (w == NULL) {
		err_set(err, "out of memory for the render worker");
		return NULL;
	}
	w->done_tail = &w->done;
	if (wake_pipe_open(w->wake) < 0) {
		err_set(err, "render worker: pipe: %s", strerror(errno));
		free(w);
		return NULL;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if ((rc = thread_start(w)) != 0) {
		err_set(err, "render worker: %s", strerror(rc));
		close(w->wake[0]);
		close(w->wake[1]);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->cond);
		free(w);
		return NULL;
	}
	return w;
}

void worker_stop(struct worker **wp)
{
	struct worker *w = *wp;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->quit = 1;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	queue_clear(&w->now);
	queue_clear(&w->prefetch);
	worker_results_free(&w->done);
	frame_bases_free(&w->bases);
	close(w->wake[0]);
	close(w->wake[1]);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cond);
	free(w);
	*wp = NULL;
}

int worker_fd(const struct worker *w)
{
	return w->wake[0];
}

int worker_submit(struct worker *w, const struct asset_detail *asset, const struct frame_spec *spec,
                  const struct frame_key *key, uint64_t generation, enum worker_priority prio,
                  struct err *err)
{
	struct job *job;
	int found;

	pthread_mutex_lock(&w->lock);
	found = job_promote(w, key, generation, prio);
	pthread_mutex_unlock(&w->lock);
	if (found)
		return 0;
	/* the copy is made outside the lock: only this thread submits */
	job = job_new(asset, spec, key, generation, prio, err);
	if (job == NULL)
		return -1;
	pthread_mutex_lock(&w->lock);
	if (prio == WORKER_NOW) {
		queue_clear(&w->now);
		queue_push(&w->now, job);
	} else {
		while (queue_len(w->prefetch) >= WORKER_PREFETCH_MAX)
			job_free(queue_pop(&w->prefetch));
		queue_push(&w->prefetch, job);
	}
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

static int queue_has(const struct job *q, const struct frame_key *key)
{
	for (; q != NULL; q = q->next)
		if (frame_key_equal(&q->key, key))
			return 1;
	return 0;
}

int worker_has(struct worker *w, const struct frame_key *key)
{
	int has;

	pthread_mutex_lock(&w->lock);
	/* a frame built but not collected yet counts: asking again would build it twice */
	has = (w->building && frame_key_equal(&w->building->key, key)) || queue_has(w->now, key) ||
	      queue_has(w->prefetch, key) || done_find(w->done, key) != NULL;
	pthread_mutex_unlock(&w->lock);
	return has;
}

void worker_drop_prefetch(struct worker *w)
{
	pthread_mutex_lock(&w->lock);
	queue_clear(&w->prefetch);
	pthread_mutex_unlock(&w->lock);
}

struct worker_result *worker_collect(struct worker *w)
{
	struct worker_result *list;
	char sink[64];

	/* drain first: a result posted after the drain leaves its byte for the next poll() */
	while (read(w->wake[0], sink, sizeof sink) > 0)
		;
	pthread_mutex_lock(&w->lock);
	list = w->done;
	w->done = NULL;
	w->done_tail = &w->done;
	pthread_mutex_unlock(&w->lock);
	return list;
}

void worker_results_free(struct worker_result **list)
{
	while (*list != NULL) {
		struct worker_result *r = *list;
		*list = r->next;
		free(r->bytes);
		free(r);
	}
}

unsigned long worker_builds(struct worker *w)
{
	unsigned long n;

	pthread_mutex_lock(&w->lock);
	n = w->builds;
	pthread_mutex_unlock(&w->lock);
	return n;
}

/* ---- the frame pipe ----------------------------------------------------------------------- */

int frame_pipe_init(struct frame_pipe *p, size_t max_bytes, int threaded, struct err *err)
{
	memset(p, 0, sizeof *p);
	frame_store_init(&p->store, max_bytes);
	if (threaded && (p->worker = worker_start(err)) == NULL)
		return -1;
	return 0;
}

void frame_pipe_free(struct frame_pipe *p)
{
	worker_stop(&p->worker);
	frame_bases_free(&p->bases);
	frame_store_free(&p->store);
}

static void pipe_fail(struct frame_pipe *p, const struct frame_key *key, const char *why)
{
	p->failed = *key;
	p->has_failed = 1;
	p->wanting = 0;
	snprintf(p->failure, sizeof p->failure, "%s", why);
}

/* Without a thread: build now, on this one. */
static enum frame_state pipe_build_inline(struct frame_pipe *p, const struct asset_detail *asset,
                                          const struct frame_spec *spec,
                                          const struct frame_key *key,
                                          const struct frame_entry **entry)
{
	struct frame_result res;
	unsigned char *bytes;
	struct buf out;
	struct err err;
	size_t len;

	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (frame_build_reusing(asset, spec, &p->bases, &out, &res, &err) < 0) {
		buf_free(&out);
		pipe_fail(p, key, err.msg);
		return FRAME_FAILED;
	}
	bytes = buf_steal(&out, &len);
	if (frame_store_put(&p->store, key, bytes, len, &res) < 0 ||
	    (*entry = frame_store_get(&p->store, key)) == NULL) {
		pipe_fail(p, key, "out of memory for a frame");
		return FRAME_FAILED;
	}
	return FRAME_READY;
}

enum frame_state frame_pipe_want(struct frame_pipe *p, const struct asset_detail *asset,
                                 const struct frame_spec *spec, const struct frame_entry **entry)
{
	struct frame_key key;
	struct err err;

	frame_key_make(asset, spec, &key);
	*entry = frame_store_get(&p->store, &key);
	if (*entry != NULL) {
		p->wanting = 0;
		return FRAME_READY;
	}
	if (p->has_failed && frame_key_equal(&p->failed, &key)) {
		p->wanting = 0;
		return FRAME_FAILED;
	}
	if (p->worker == NULL)
		return pipe_build_inline(p, asset, spec, &key, entry);
	if (p->wanting && frame_key_equal(&p->want, &key) && worker_has(p->worker, &key))
		return FRAME_WAITING;
	p->generation++;
	p->want = key;
	p->wanting = 1;
	if (worker_submit(p->worker, asset, spec, &key, p->generation, WORKER_NOW, &err) < 0) {
		pipe_fail(p, &key, err.msg);
		return FRAME_FAILED;
	}
	return FRAME_WAITING;
}

void frame_pipe_prefetch(struct frame_pipe *p, const struct asset_detail *asset,
                         const struct frame_spec *spec)
{
	struct frame_key key;
	struct err err;

	if (p->worker == NULL)
		return;
	frame_key_make(asset, spec, &key);
	if (frame_store_get(&p->store, &key) != NULL || worker_has(p->worker, &key))
		return;
	if (worker_submit(p->worker, asset, spec, &key, 0, WORKER_PREFETCH, &err) < 0)
		log_msg(LOG_WARN, "prefetch: %s", err.msg);
}

int frame_pipe_collect(struct frame_pipe *p)
{
	struct worker_result *list, *r;
	int arrived = 0, current;

	if (p->worker == NULL)
		return 0;
	list = worker_collect(p->worker);
	for (r = list; r != NULL; r = r->next) {
		current = p->wanting && r->generation == p->generation &&
		          frame_key_equal(&r->key, &p->want);
		if (r->ok) {
			frame_store_put(&p->store, &r->key, r->bytes, r->len, &r->res);
			r->bytes = NULL;
		} else if (current) {
			pipe_fail(p, &r->key, r->error);
		} else {
			log_msg(LOG_WARN, "prefetch: %s", r->error);
		}
		if (current) {
			p->wanting = 0;
			arrived = 1;
		}
	}
	worker_results_free(&list);
	return arrived;
}

void frame_pipe_forget(struct frame_pipe *p)
{
	p->generation++;
	p->wanting = 0;
	p->has_failed = 0;
}
