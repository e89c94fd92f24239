/* The sync engine (see sync.h): pulls into the cache through the backend interface, pushes the
 * outbox back through it, and writes local sources. */
#include "cache/sync.h"
#include "api/backend.h"
#include "cache/cache.h"
#include "core/buf.h"
#include "core/campaign.h"
#include "core/change.h"
#include "core/err.h"
#include "core/model.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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

/* A source with a streaming reader: imported in bounded memory. */
static int pull_streamed(struct cache *cache, struct backend *b, struct pull_result *res,
                         struct import_stats *stats, const struct sync_pull_opts *o,
                         struct dataset_doc **head, struct err *err)
{
	struct cache_stream *cs = NULL;
	int rc;

	if (cache_stream_begin(cache, o->progress, o->progress_ctx, &cs, err) < 0)
		return -1;
	rc = b->ops->stream(b, cache_stream_sink(), cs, head, err);
	return cache_stream_finish(cs, rc == 0, b->ops->kind, b->locator, b->fingerprint,
	                           &res->dataset_id, stats, err);
}

int sync_pull_with(struct cache *cache, struct backend *b, struct pull_result *res,
                   struct import_stats *stats, const struct sync_pull_opts *o, struct err *err)
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
	if (b->ops->stream != NULL) {
		if (pull_streamed(cache, b, res, stats, o, &doc, err) < 0)
			goto out;
	} else if (backend_load(b, &doc, err) < 0 ||
	           cache_import(cache, b->ops->kind, b->locator, b->fingerprint, doc,
	                        &res->dataset_id, stats, err) < 0) {
		goto out;
	}
	for (int i = 0; i < doc->nwarnings; i++)
		if (o->warn != NULL)
			o->warn(doc->warnings[i], o->warn_ctx);
	res->warnings = doc->nwarnings;
	res->imported = 1;
	rc = 0;
out:
	dataset_doc_free(&doc);
	return rc;
}

int sync_pull(struct cache *cache, struct backend *b, struct pull_result *res,
              struct import_stats *stats, sync_warn_fn warn, void *warn_ctx, struct err *err)
{
	struct sync_pull_opts o = {.warn = warn, .warn_ctx = warn_ctx};

	return sync_pull_with(cache, b, res, stats, &o, err);
}

/* ---- paged pulls -------------------------------------------------------------------------- */

static int cancelled(const struct sync_hooks *h)
{
	return h != NULL && h->cancel != NULL && atomic_load(h->cancel);
}

static void page_warnings(const struct sync_hooks *h, const struct dataset_doc *doc,
                          struct pull_result *res)
{
	for (int i = 0; i < doc->nwarnings; i++)
		if (h != NULL && h->warn != NULL)
			h->warn(doc->warnings[i], h->ctx);
	res->warnings += doc->nwarnings;
}

static void progress(const struct sync_hooks *h, const char *what, int64_t done, int64_t total)
{
	if (h != NULL && h->progress != NULL)
		h->progress(what, done, total, h->ctx);
}

int sync_pull_container(struct cache *cache, struct backend *b, const struct cache_pull_target *t,
                        const struct sync_hooks *hooks, struct pull_result *res,
                        struct import_stats *stats, struct err *err)
{
	struct cache_pull_resume resume = {0};
	struct backend_page page = {0};
	int64_t assets = 0;
	char *cursor = NULL;
	int rc = -1, done;

	memset(res, 0, sizeof *res);
	res->total = -1;
	if (cache_pull_begin(cache, t, &res->dataset_id, &resume, err) < 0)
		return -1;
	cursor = resume.cursor;
	res->resumed = resume.pages > 0;
	/* a pull cut short after its last page was stored only has to be ended: starting it over
	 * would store every page a second time */
	done = res->resumed && cursor == NULL;
	while (!done) {
		if (cancelled(hooks)) {
			err_setk(err, ERR_RETRY,
			         "the pull was stopped; it resumes where it stopped");
			goto out;
		}
		if (backend_pull(b, t->container_ext_id, cursor, &page, err) < 0)
			goto out;
		page_warnings(hooks, page.doc, res);
		if (cache_pull_page(cache, res->dataset_id, page.doc, page.next_cursor, page.total,
		                    stats, err) < 0)
			goto out;
		res->pages++;
		res->total = page.total;
		assets += page.doc->nassets;
		progress(hooks, "assets", assets, page.total);
		free(cursor);
		cursor = page.next_cursor;
		page.next_cursor = NULL;
		backend_page_clear(&page);
		done = cursor == NULL;
	}
	if (cache_pull_finish(cache, res->dataset_id, stats, err) < 0)
		goto out;
	res->imported = 1;
	rc = 0;
out:
	backend_page_clear(&page);
	free(cursor);
	return rc;
}

/* ---- pushes ------------------------------------------------------------------------------- */

int sync_backoff_seconds(int attempt, int retry_after)
{
	int wait = 1;

	for (int i = 0; i < attempt && wait < 300; i++)
		wait *= 2;
	if (wait > 300)
		wait = 300;
	/* up to a quarter more, so that many clients cut off together do not come back together */
	wait += rand() % (wait / 4 + 1);
	return retry_after > wait ? retry_after : wait;
}

static int same_label(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Whether the source's value still is the one the change was made against, or already the
 * change itself (sent before, its answer lost or not recorded: sending it again is safe). */
static int base_holds(const struct change *mine, const struct change *theirs)
{
	switch (mine->kind) {
	case CHANGE_STATUS:
		return theirs->status == mine->base_status || theirs->status == mine->status;
	case CHANGE_SHAPE_UPDATE:
	case CHANGE_SHAPE_DELETE:
		if (!mine->has_base || !theirs->has_value)
			return 1;
		if (mine->kind == CHANGE_SHAPE_UPDATE && mine->has_value &&
		    change_shape_equal(&mine->value, &theirs->value) &&
		    same_label(mine->label_name, theirs->label_name))
			return 1;
		return change_shape_equal(&mine->base, &theirs->value) &&
		       same_label(mine->base_label_name, theirs->label_name);
	default:
		return 1;
	}
}

static int needs_check(const struct backend *b, const struct outbox_entry *e)
{
	enum change_kind k = e->change.kind;

	return !e->force && b->ops->current != NULL &&
	       (k == CHANGE_STATUS || k == CHANGE_SHAPE_UPDATE || k == CHANGE_SHAPE_DELETE);
}

/* Compares the source's current value with the entry's base: 0 when the push may go on, 1 when
 * the entry was recorded as a conflict (or the object is gone there), -1 on failure (with
 * err's kind telling whether the source or the cache failed). */
static int check_current(struct cache *cache, struct backend *b, const struct outbox_entry *e,
                         struct err *err)
{
	struct change theirs;
	char *json = NULL;
	int found, rc = -1;

	found = backend_current(b, &e->change, &theirs, err);
	if (found < 0)
		return -1;
	if (found == 1 && e->change.kind == CHANGE_SHAPE_DELETE) {
		change_clear(
		    &theirs); /* gone already: what the delete wants (perhaps its own doing) */
		return 0;
	}
	if (found == 1) {
		rc = cache_outbox_conflict(cache, e->id, NULL, 0, "it is gone on the source", err);
		change_clear(&theirs);
		return rc < 0 ? -1 : 1;
	}
	if (base_holds(&e->change, &theirs)) {
		change_clear(&theirs);
		return 0;
	}
	json = change_to_json(&theirs);
	rc = cache_outbox_conflict(cache, e->id, json, 0, "changed on the source since", err);
	free(json);
	change_clear(&theirs);
	return rc < 0 ? -1 : 1;
}

/* Puts the entry off after a failure of the source (kept in res for the caller). */
static int put_off(struct cache *cache, const struct outbox_entry *e, int retry_after,
                   const char *why, struct push_result *res, struct err *err)
{
	int64_t at = (int64_t)time(NULL) + sync_backoff_seconds(e->attempts, retry_after);

	str_copy(res->last_error, why, sizeof res->last_error);
	res->waiting++;
	res->retry_at = at;
	return cache_outbox_retry(cache, e->id, at, why, err);
}

/* The source failed on the entry (src): 0 when it was put off for later, -1 (err set) when
 * the token was refused: the token is wrong, not the edit, so the entry stays as it was (its
 * attempts and due time untouched) and the sync stops with the source's words. */
static int source_failed(struct cache *cache, const struct outbox_entry *e, const struct err *src,
                         struct push_result *res, struct err *err)
{
	if (err_kind_of(src) == ERR_AUTH) {
		if (err != NULL)
			*err = *src;
		str_copy(res->last_error, src->msg, sizeof res->last_error);
		return -1;
	}
	return put_off(cache, e, src->retry_after, src->msg, res, err) < 0 ? -1 : 0;
}

/* 1 when the push loop goes on, 0 when it stops (the entry has to wait), -1 on failure. */
static int push_one(struct cache *cache, struct backend *b, struct outbox_entry *e,
                    struct push_result *res, struct err *err)
{
	struct push_answer ans;
	struct err src = {0};
	int rc;

	if (needs_check(b, e)) {
		rc = check_current(cache, b, e, &src);
		if (rc == 1)
			res->conflicts++;
		if (rc != 0)
			return rc > 0 ? 1 : source_failed(cache, e, &src, res, err);
	}
	if (backend_push(b, &e->change, &ans, &src) < 0) /* the source could not tell */
		return source_failed(cache, e, &src, res, err);
	switch (ans.outcome) {
	case PUSH_DONE:
		rc = cache_outbox_ack(cache, e, ans.created_ext_id, NULL, err) < 0 ? -1 : 1;
		res->pushed += rc > 0;
		break;
	case PUSH_CONFLICT:
	case PUSH_REFUSED:
		rc = cache_outbox_conflict(cache, e->id, ans.theirs_json,
		                           ans.outcome == PUSH_REFUSED, ans.reason, err) < 0
		         ? -1
		         : 1;
		res->conflicts += rc > 0;
		break;
	default:
		rc = put_off(cache, e, ans.retry_after, ans.reason, res, err) < 0 ? -1 : 0;
		break;
	}
	push_answer_clear(&ans);
	return rc;
}

int sync_push(struct cache *cache, struct backend *b, int64_t dataset_id,
              const struct sync_hooks *hooks, struct push_result *res, struct err *err)
{
	struct outbox_entry e;
	int found, go = 1, rc = 0;

	memset(res, 0, sizeof *res);
	while (go > 0 && !cancelled(hooks)) {
		found = cache_outbox_next(cache, dataset_id, &e, err);
		if (found <= 0)
			return found;
		if (e.due_at > (int64_t)time(NULL) && !(hooks != NULL && hooks->eager)) {
			/* the oldest waits, and the rest behind it */
			res->waiting++;
			res->retry_at = e.due_at;
			cache_outbox_entry_clear(&e);
			break;
		}
		go = push_one(cache, b, &e, res, err);
		cache_outbox_entry_clear(&e);
		progress(hooks, "edits", res->pushed + res->conflicts, -1);
		if (go < 0)
			rc = -1;
	}
	return rc;
}

/* ---- export ------------------------------------------------------------------------------- */

int sync_export(struct cache *cache, struct backend *b, int64_t dataset_id, const char *out_path,
                int *written, struct err *err)
{
	struct backend_caps caps;
	struct dataset_doc *doc = NULL;
	int64_t last = 0;
	int rc = -1;

	if (written != NULL)
		*written = 0;
	backend_caps_get(b, &caps);
	if (caps.remote)
		return err_setk(err, ERR_USAGE, "edits reach a %s source by sync, not export",
		                b->ops->kind);
	/* what is pending now is what the file will hold */
	if (cache_outbox_last_pending(cache, dataset_id, &last, err) < 0 ||
	    cache_export_doc(cache, dataset_id, &doc, err) < 0 ||
	    backend_save(b, doc, out_path, err) < 0)
		goto out;
	/* the edits are written out: a local source's pending count is "not exported yet". A cache
	 * that cannot be written (read-only, damaged) does not undo a complete file: the export
	 * stands, and the edits stay counted as not exported (*written = -1 says so) */
	rc = cache_outbox_mark_pushed_upto(cache, dataset_id, last, written, err);
	if (rc < 0 && (err_kind_of(err) == ERR_FORBIDDEN || err_kind_of(err) == ERR_DAMAGED)) {
		if (written != NULL)
			*written = -1;
		rc = 0;
	}
out:
	dataset_doc_free(&doc);
	return rc;
}

/* ---- a whole source ----------------------------------------------------------------------- */

#define SYNC_DATASETS_MAX 4096
#define IMAGE_BATCH       16

static int push_all(struct cache *cache, struct backend *b, const struct sync_hooks *hooks,
                    struct sync_report *rep, struct err *err)
{
	/* on the heap, not static: a sync runs on whichever thread owns the network */
	int64_t *ids = malloc(SYNC_DATASETS_MAX * sizeof *ids);
	int n = 0, rc = -1;

	if (ids == NULL)
		return err_set(err, "out of memory");
	if (cache_source_datasets(cache, b->locator, ids, SYNC_DATASETS_MAX, &n, err) < 0)
		goto out;
	for (int i = 0; i < n && !cancelled(hooks); i++) {
		struct push_result pr;

		if (sync_push(cache, b, ids[i], hooks, &pr, err) < 0)
			goto out;
		rep->pushed += pr.pushed;
		rep->conflicts += pr.conflicts;
		rep->waiting += pr.waiting;
		if (pr.last_error[0] != '\0')
			str_copy(rep->last_error, pr.last_error, sizeof rep->last_error);
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

/* Whether the version named "dataset/version" is in the scope ("NAME/VERSION", "NAME"). */
static int in_scope(const struct sync_scope *scope, const char *dataset, const char *version)
{
	size_t n;

	if (scope->dataset == NULL || scope->dataset[0] == '\0')
		return 1;
	n = strlen(dataset);
	if (strncmp(scope->dataset, dataset, n) != 0)
		return 0;
	return scope->dataset[n] == '\0' ||
	       (scope->dataset[n] == '/' && strcmp(scope->dataset + n + 1, version) == 0);
}

/* The image bytes of the dataset's assets that have none yet, into the image store. */
static int64_t budget_of(const struct sync_scope *scope)
{
	return scope->image_budget > 0 ? scope->image_budget : CACHE_IMAGE_BUDGET_DEFAULT;
}

/* One batch of images into the store, fetched in parallel; the ones that came are counted in
 * the store's accounts. -1 when none came (offline, refused: err says why). */
static int fetch_batch(struct cache *cache, struct backend *b, const struct missing_image *rows,
                       int n, const char *dir, int64_t *total, struct sync_report *rep,
                       struct err *err)
{
	struct image_ref refs[IMAGE_BATCH];
	char paths[IMAGE_BATCH][1024]; /* a store folder and an id fit; longer is refused below */
	const char *names[IMAGE_BATCH];
	int ok[IMAGE_BATCH], got = 0;

	for (int i = 0; i < n; i++) {
		refs[i] = (struct image_ref){.asset_ext_id = rows[i].ext_id,
		                             .data_ext_id = rows[i].data_ext_id};
		if (snprintf(paths[i], sizeof paths[i], "%s/%s", dir, rows[i].ext_id) >=
		    (int)sizeof paths[i])
			return err_setk(err, ERR_TOO_LARGE, "an asset id too long for a file name");
		names[i] = paths[i];
	}
	if (backend_fetch_images(b, refs, names, n, ok, err) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct stat st;

		if (!ok[i] || stat(paths[i], &st) < 0)
			continue;
		if (cache_image_stored(cache, rows[i].asset_id, paths[i], (int64_t)st.st_size,
		                       err) < 0)
			return -1;
		*total += (int64_t)st.st_size;
		got++;
	}
	rep->images += got;
	/* the ones that came are kept; the sync is not complete until the rest come too */
	if (got < n)
		return err_setk(
		    err, ERR_RETRY,
		    "%d of %d images could not be fetched; the next sync tries them again", n - got,
		    n);
	return 0;
}

/* The image bytes of the dataset's assets that have none yet, into the image store, as far as
 * its size budget goes (the rest are fetched when opened). */
static int fetch_images(struct cache *cache, struct backend *b, int64_t dataset_id,
                        const struct sync_scope *scope, const struct sync_hooks *hooks,
                        struct sync_report *rep, struct err *err)
{
	struct missing_image rows[IMAGE_BATCH];
	char dir[4096];
	int64_t after = 0, total = 0, budget = budget_of(scope);
	int n, trimmed = 0;

	if (cache_image_dir(cache, dir, sizeof dir, err) < 0 ||
	    cache_images_trim(cache, budget, &trimmed, err) < 0 ||
	    cache_image_store_size(cache, &total, err) < 0)
		return -1;
	do {
		if (total >= budget || cancelled(hooks))
			break;
		if (cache_images_missing(cache, dataset_id, after, rows, IMAGE_BATCH, &n, err) < 0)
			return -1;
		if (n == 0)
			break;
		after = rows[n - 1].asset_id;
		if (fetch_batch(cache, b, rows, n, dir, &total, rep, err) < 0)
			return -1;
		progress(hooks, "images", rep->images, -1);
	} while (n == IMAGE_BATCH);
	/* a batch can overshoot the budget by its size: the least recently shown go */
	return cache_images_trim(cache, budget, &trimmed, err);
}

/* ---- campaigns ------------------------------------------------------------------------------ */

struct task_set {
	struct assignment *items;
	int *step_pos; /* the position of each item's step */
	int n, cap;
};

static void task_set_clear(struct task_set *t)
{
	for (int i = 0; i < t->n; i++)
		assignment_clear(&t->items[i]);
	free(t->items);
	free(t->step_pos);
	memset(t, 0, sizeof *t);
}

/* Moves the page's assignments into the set. */
static int task_set_take(struct task_set *t, struct task_page *page, int pos, struct err *err)
{
	if (t->n + page->n > t->cap) {
		int cap = (t->n + page->n) * 2 + 16;
		struct assignment *items = realloc(t->items, (size_t)cap * sizeof *items);
		int *steps =
		    items != NULL ? realloc(t->step_pos, (size_t)cap * sizeof *steps) : NULL;

		if (items != NULL)
			t->items = items;
		if (steps == NULL)
			return err_set(err, "out of memory");
		t->step_pos = steps;
		t->cap = cap;
	}
	for (int i = 0; i < page->n; i++) {
		t->items[t->n] = page->items[i];
		t->step_pos[t->n++] = pos;
	}
	page->n = 0;
	return 0;
}

/* Assignments in the order of their asset's source id (qsort_r over indexes into a set). */
static int by_asset(const void *x, const void *y, void *set)
{
	const struct task_set *t = set;
	const char *a = t->items[*(const int *)x].asset_ext_id;
	const char *b = t->items[*(const int *)y].asset_ext_id;

	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Whether assignment j should be its asset's current one rather than i: a pending one wins,
 * else the one of the furthest step (a listing gives an asset's latest assignment per step). */
static int beats(const struct task_set *t, int j, int i)
{
	int pj = t->items[j].status == ASSIGNMENT_PENDING,
	    pi = t->items[i].status == ASSIGNMENT_PENDING;

	return pj != pi ? pj : t->step_pos[j] > t->step_pos[i];
}

/* Marks in current[] the one current assignment of each asset. */
static void task_set_mark(const struct task_set *t, const int *idx, char *current)
{
	for (int g = 0; g < t->n;) {
		int best = idx[g], end = g + 1;

		while (end < t->n && by_asset(&idx[g], &idx[end], (void *)t) == 0) {
			if (beats(t, idx[end], best))
				best = idx[end];
			end++;
		}
		current[best] = 1;
		g = end;
	}
}

/* The set stored with each asset's current assignment last: a put makes the one it stores
 * the asset's current one. */
static int task_set_store(struct cache *cache, int64_t campaign_id, struct task_set *t,
                          struct err *err)
{
	struct assignment *order = calloc((size_t)t->n + 1, sizeof *order);
	int *idx = calloc((size_t)t->n + 1, sizeof *idx);
	char *current = calloc((size_t)t->n + 1, 1);
	int n = 0, rc = -1;

	if (order == NULL || idx == NULL || current == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < t->n; i++)
		idx[i] = i;
	qsort_r(idx, (size_t)t->n, sizeof *idx, by_asset, t);
	task_set_mark(t, idx, current);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < t->n; i++)
			if (current[i] == pass)
				order[n++] = t->items[i];
	rc = cache_assignments_put(cache, campaign_id, order, n, NULL, err);
out:
	free(order); /* the items stay the set's */
	free(idx);
	free(current);
	return rc;
}

static int step_tasks(struct backend *b, const char *version, const struct campaign_step *s,
                      struct task_set *t, struct err *err)
{
	struct task_page page = {0};
	char *cursor = NULL;
	int rc = -1;

	do {
		if (backend_pull_tasks(b, version, s->ext_id, cursor, &page, err) < 0 ||
		    task_set_take(t, &page, s->position, err) < 0)
			goto out;
		free(cursor);
		cursor = page.next_cursor;
		page.next_cursor = NULL;
		task_page_clear(&page);
	} while (cursor != NULL);
	rc = 0;
out:
	task_page_clear(&page);
	free(cursor);
	return rc;
}

/* The organization's people, so that steps name their assignees (we are stored after them,
 * as "me"). Not knowing them is no reason to stop the pull: ids then show instead of names. */
static int users_store(struct cache *cache, struct backend *b, int64_t dataset_id, const char *me,
                       struct err *err)
{
	struct backend_user *users = NULL;
	struct err quiet = {0};
	int64_t id;
	int n = 0, rc = 0;

	if (backend_users(b, &users, &n, &quiet) < 0)
		return 0;
	for (int i = 0; i < n && rc == 0; i++)
		if (users[i].ext_id != NULL && (me == NULL || strcmp(users[i].ext_id, me) != 0))
			rc = cache_user_put(cache, dataset_id, users[i].ext_id, users[i].username,
			                    0, &id, err);
	backend_users_free(&users, n);
	return rc;
}

static int pull_campaign(struct cache *cache, struct backend *b, int64_t dataset_id,
                         const char *version, struct err *err)
{
	struct campaign cp = {0};
	struct campaign_step *steps = NULL;
	struct backend_user me = {0};
	struct task_set tasks = {0};
	int64_t campaign_id = 0, user_id = 0;
	int n = 0, rc;

	rc = backend_campaign_of(b, version, &cp, &steps, &n, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	if (backend_whoami(b, &me, err) < 0 ||
	    users_store(cache, b, dataset_id, me.ext_id, err) < 0 ||
	    cache_user_put(cache, dataset_id, me.ext_id, me.username, 1, &user_id, err) < 0 ||
	    cache_campaign_put(cache, dataset_id, &cp, &campaign_id, err) < 0 ||
	    cache_steps_put(cache, campaign_id, steps, n, err) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (step_tasks(b, version, &steps[i], &tasks, err) < 0)
			goto out;
	rc = task_set_store(cache, campaign_id, &tasks, err);
out:
	task_set_clear(&tasks);
	for (int i = 0; i < n; i++)
		campaign_step_clear(&steps[i]);
	free(steps);
	campaign_clear(&cp);
	backend_user_clear(&me);
	return rc < 0 ? err_wrap(err, "the campaign") : 0;
}

static int pull_version(struct cache *cache, struct backend *b, const struct container *ds,
                        const struct container *v, const struct sync_scope *scope,
                        const struct sync_hooks *hooks, struct sync_report *rep, struct err *err)
{
	char name[1024];
	struct cache_pull_target t = {
	    .kind = b->ops->kind,
	    .locator = b->locator,
	    .container_ext_id = v->ext_id,
	    .name = name,
	    .version_name = v->name,
	    .version_type = v->type,
	};
	struct import_stats stats = {0};
	struct pull_result res;

	snprintf(name, sizeof name, "%s/%s", ds->name ? ds->name : "", v->name ? v->name : "");
	if (sync_pull_container(cache, b, &t, hooks, &res, &stats, err) < 0)
		return err_wrap(err, "%s", name);
	rep->versions++;
	rep->assets += stats.assets_added + stats.assets_updated + stats.assets_unchanged;
	if (pull_campaign(cache, b, res.dataset_id, v->ext_id, err) < 0)
		return err_wrap(err, "%s", name);
	if (scope->images && fetch_images(cache, b, res.dataset_id, scope, hooks, rep, err) < 0)
		return err_wrap(err, "%s: images", name);
	return 0;
}

static int pull_all(struct cache *cache, struct backend *b, const struct sync_scope *scope,
                    const struct sync_hooks *hooks, struct sync_report *rep, struct err *err)
{
	struct container_list datasets = {0}, versions = {0};
	int rc = -1, matched = 0;

	if (backend_list(b, CONTAINER_DATASET, NULL, &datasets, err) < 0)
		return -1;
	for (int i = 0; i < datasets.n && !cancelled(hooks); i++) {
		if (backend_list(b, CONTAINER_VERSION, datasets.items[i].ext_id, &versions, err) <
		    0)
			goto out;
		for (int j = 0; j < versions.n && !cancelled(hooks); j++) {
			if (!in_scope(scope, datasets.items[i].name, versions.items[j].name))
				continue;
			matched++;
			if (pull_version(cache, b, &datasets.items[i], &versions.items[j], scope,
			                 hooks, rep, err) < 0)
				goto out;
		}
		container_list_clear(&versions);
	}
	if (!matched && scope->dataset != NULL) {
		err_setk(err, ERR_NOT_FOUND, "the source has no dataset version %s",
		         scope->dataset);
		goto out;
	}
	rc = 0;
out:
	container_list_clear(&versions);
	container_list_clear(&datasets);
	return rc;
}

static int pull_lake(struct cache *cache, struct backend *b, const struct container *lake,
                     const struct sync_hooks *hooks, struct sync_report *rep, struct err *err)
{
	struct datalake_pull pull;
	struct data_page page = {0};
	char *cursor = NULL;
	int rc = -1;

	if (cache_datalake_begin(cache, b->ops->kind, b->locator, lake->ext_id, lake->name, &pull,
	                         err) < 0)
		return -1;
	do {
		if (cancelled(hooks)) {
			err_setk(err, ERR_RETRY, "the pull was stopped");
			goto out;
		}
		if (backend_pull_data(b, lake->ext_id, cursor, &page, err) < 0 ||
		    cache_datalake_page(cache, &pull, page.items, page.n, err) < 0)
			goto out;
		rep->data += page.n;
		progress(hooks, "data", rep->data, page.total);
		free(cursor);
		cursor = page.next_cursor;
		page.next_cursor = NULL;
		data_page_clear(&page);
	} while (cursor != NULL);
	rc = cache_datalake_finish(cache, &pull, NULL, err);
out:
	data_page_clear(&page);
	free(cursor);
	return rc;
}

static int pull_datalakes(struct cache *cache, struct backend *b, const struct sync_hooks *hooks,
                          struct sync_report *rep, struct err *err)
{
	struct container_list lakes = {0};
	int rc = 0;

	if (backend_list(b, CONTAINER_DATALAKE, NULL, &lakes, err) < 0)
		return -1;
	for (int i = 0; i < lakes.n && rc == 0 && !cancelled(hooks); i++)
		if (lakes.items[i].ext_id != NULL)
			rc = pull_lake(cache, b, &lakes.items[i], hooks, rep, err);
	if (rc < 0 && lakes.n > 0)
		err_wrap(err, "datalake");
	container_list_clear(&lakes);
	return rc;
}

int sync_source(struct cache *cache, struct backend *b, const struct sync_scope *scope,
                const struct sync_hooks *hooks, struct sync_report *rep, struct err *err)
{
	memset(rep, 0, sizeof *rep);
	/* edits first: the pull then shows the source with them */
	if (scope->push && push_all(cache, b, hooks, rep, err) < 0)
		return -1;
	if (scope->pull && pull_all(cache, b, scope, hooks, rep, err) < 0)
		return -1;
	if (scope->datalake && pull_datalakes(cache, b, hooks, rep, err) < 0)
		return -1;
	if (cancelled(hooks))
		return err_setk(err, ERR_RETRY, "the sync was stopped; it goes on next time");
	rep->complete = rep->waiting == 0 && rep->conflicts == 0;
	return 0;
}
