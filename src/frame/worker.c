/* The render worker (see worker.h): frame requests run on a core/workq thread. The main thread
 * keeps what is in flight (queued, being built, or built and not collected), so that a frame
 * is never asked twice and a result carries the generation its request was last raised to.
 * One thread is enough: the pane wants one frame at a time and the prefetches of its two
 * neighbours go behind it. */
#include "frame/worker.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/workq.h"

#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Prefetches queued at most; older ones go first (the user has moved on). */
enum { WORKER_PREFETCH_MAX = 4 };

struct job {
	struct workq_job link; /* link.level is the enum worker_priority it was queued at */
	struct frame_key key;
	struct asset_detail asset; /* a deep copy, freed with asset_dup_free */
	struct frame_spec spec;    /* spec.marks points at marks below */
	struct overlay_marks marks;
	struct shape mark_shape;
	struct point *draft;
	struct worker_result *result; /* made with the job, so that posting it cannot fail */
};

/* A frame asked of the thread and not collected yet: main thread only. */
struct flight {
	struct frame_key key;
	uint64_t generation; /* as last raised */
	enum worker_priority priority;
};

struct worker {
	struct workq *q;
	struct frame_bases bases; /* the thread's own */
	struct flight *flights;
	int nflights, capflights;
	/* frames built, counted before each is posted: whoever is woken by a result finds it
	 * counted (the queue's own count comes after the post) */
	atomic_ulong builds;
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

/* What drawing a shape reads: kind, label, geometry, text, and a mask's extra fields (its
 * RLE); not its ids nor the extra fields of other kinds. */
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
	    dup_str(&d->text, s->text) < 0 ||
	    (s->kind == SHAPE_MASK && dup_str(&d->extra_json, s->extra_json) < 0)) {
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
	free(job->result); /* still here: never built, its bytes never made */
	free(job);
}

static struct job *job_new(const struct asset_detail *asset, const struct frame_spec *spec,
                           const struct frame_key *key, enum worker_priority prio, struct err *err)
{
	struct job *job = calloc(1, sizeof *job);

	if (job == NULL || (job->result = calloc(1, sizeof *job->result)) == NULL) {
		free(job);
		err_set(err, "out of memory for a frame request");
		return NULL;
	}
	job->link.level = prio;
	job->key = *key;
	job->spec = *spec;
	job->spec.marks = spec->marks ? &job->marks : NULL;
	if (asset_dup(&job->asset, asset) < 0 || (spec->marks && marks_dup(job, spec->marks) < 0)) {
		job_free(job);
		err_set(err, "out of memory for a frame request");
		return NULL;
	}
	return job;
}

/* ---- the thread's side -------------------------------------------------------------------- */

static void job_run(struct workq *q, struct workq_job *link, void *ctx)
{
	struct worker *w = ctx;
	struct job *job = WORKQ_OF(link, struct job, link);
	struct worker_result *r = job->result;
	struct buf out;
	struct err err;

	job->result = NULL;
	r->key = job->key;
	buf_init(&out, RENDER_MAX_FRAME_BYTES);
	if (frame_build_reusing(&job->asset, &job->spec, &w->bases, &out, &r->res, &err) == 0) {
		r->ok = 1;
		r->bytes = buf_steal(&out, &r->len);
	} else {
		snprintf(r->error, sizeof r->error, "%s", err.msg);
	}
	buf_free(&out);
	atomic_fetch_add(&w->builds, 1);
	workq_post(q, &r->link);
}

static void job_release(struct workq_job *link, void *ctx)
{
	(void)ctx;
	job_free(WORKQ_OF(link, struct job, link));
}

static void result_release(struct workq_msg *m, void *ctx)
{
	struct worker_result *r = WORKQ_OF(m, struct worker_result, link);

	(void)ctx;
	r->next = NULL;
	worker_results_free(&r);
}

static const struct workq_ops render_ops = {job_run, job_release, result_release};

/* ---- what is in flight (main thread) ------------------------------------------------------ */

static struct flight *flight_find(struct worker *w, const struct frame_key *key)
{
	for (int i = 0; i < w->nflights; i++)
		if (frame_key_equal(&w->flights[i].key, key))
			return &w->flights[i];
	return NULL;
}

static int flight_add(struct worker *w, const struct frame_key *key, uint64_t generation,
                      enum worker_priority prio, struct err *err)
{
	if (w->nflights == w->capflights) {
		int cap = w->capflights ? 2 * w->capflights : 8;
		struct flight *f = realloc(w->flights, (size_t)cap * sizeof *f);
		if (f == NULL)
			return err_set(err, "out of memory for a frame request");
		w->flights = f;
		w->capflights = cap;
	}
	w->flights[w->nflights++] = (struct flight){*key, generation, prio};
	return 0;
}

static void flight_remove(struct worker *w, const struct frame_key *key)
{
	struct flight *f = flight_find(w, key);

	if (f != NULL)
		*f = w->flights[--w->nflights];
}

/* Jobs the queue handed back (cancelled, or over the prefetch bound): no longer in flight. */
static void jobs_dropped(struct worker *w, struct workq_job *list)
{
	while (list != NULL) {
		struct job *job = WORKQ_OF(list, struct job, link);
		list = list->next;
		flight_remove(w, &job->key);
		job_free(job);
	}
}

static int match_key(const struct workq_job *link, void *key)
{
	return frame_key_equal(&WORKQ_OF(link, const struct job, link)->key, key);
}

static int match_level(const struct workq_job *link, void *level)
{
	return link->level == *(const int *)level;
}

/* The queued WORKER_NOW jobs but the one for key (NULL: all): the pane wants one frame. */
static int match_now_but(const struct workq_job *link, void *key)
{
	return link->level == WORKER_NOW && (key == NULL || !match_key(link, key));
}

/* ---- the API ------------------------------------------------------------------------------ */

struct worker *worker_start(struct err *err)
{
	struct worker *w = calloc(1, sizeof *w);

	if (w == NULL) {
		err_set(err, "out of memory for the render worker");
		return NULL;
	}
	if ((w->q = workq_start(&render_ops, w, err)) == NULL) {
		err_wrap(err, "render worker");
		free(w);
		return NULL;
	}
	workq_set_limit(w->q, WORKER_PREFETCH, WORKER_PREFETCH_MAX);
	return w;
}

void worker_stop(struct worker **wp)
{
	struct worker *w = *wp;

	if (w == NULL)
		return;
	workq_stop(&w->q);
	frame_bases_free(&w->bases);
	free(w->flights);
	free(w);
	*wp = NULL;
}

int worker_fd(const struct worker *w)
{
	return workq_fd(w->q);
}

/* A request for a frame already in flight raises that one instead. */
static void flight_raise(struct worker *w, struct flight *f, uint64_t generation,
                         enum worker_priority prio)
{
	if (prio == WORKER_NOW) {
		f->generation = generation;
		f->priority = WORKER_NOW;
		jobs_dropped(w, workq_cancel(w->q, match_now_but, &f->key));
		workq_move(w->q, match_key, &f->key, WORKER_NOW);
	} else if (f->priority == WORKER_PREFETCH) {
		workq_move(w->q, match_key, &f->key,
		           WORKER_PREFETCH); /* wanted again: kept longer */
	}
}

int worker_submit(struct worker *w, const struct asset_detail *asset, const struct frame_spec *spec,
                  const struct frame_key *key, uint64_t generation, enum worker_priority prio,
                  struct err *err)
{
	struct flight *f = flight_find(w, key);
	struct job *job;

	if (f != NULL) {
		flight_raise(w, f, generation, prio);
		return 0;
	}
	job = job_new(asset, spec, key, prio, err);
	if (job == NULL)
		return -1;
	if (flight_add(w, key, generation, prio, err) < 0) {
		job_free(job);
		return -1;
	}
	if (prio == WORKER_NOW)
		jobs_dropped(w, workq_cancel(w->q, match_now_but, NULL));
	jobs_dropped(w, workq_submit(w->q, &job->link));
	return 0;
}

int worker_has(struct worker *w, const struct frame_key *key)
{
	return flight_find(w, key) != NULL;
}

void worker_drop_prefetch(struct worker *w)
{
	int level = WORKER_PREFETCH;

	jobs_dropped(w, workq_cancel(w->q, match_level, &level));
}

struct worker_result *worker_collect(struct worker *w)
{
	struct workq_msg *m = workq_collect(w->q);
	struct worker_result *list = NULL, **tail = &list;

	for (; m != NULL; m = m->next) {
		struct worker_result *r = WORKQ_OF(m, struct worker_result, link);
		struct flight *f = flight_find(w, &r->key);
		if (f != NULL) { /* always: a frame stays in flight until collected */
			r->generation = f->generation;
			r->priority = f->priority;
			flight_remove(w, &r->key);
		}
		*tail = r;
		tail = &r->next;
	}
	*tail = NULL;
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
	return atomic_load(&w->builds);
}
