/* The platform source of a run, on the UI's side: the sync worker's events read into what the
 * status bar says (online, offline, syncing with progress, edits not sent), S and the periodic
 * sync, images asked for when an asset without one opens (a spinner meanwhile), and the
 * question before quitting with edits that have not reached the source. The network is the
 * worker's: nothing here waits on it. */
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define SYNC_EVERY_US (180ull * 1000000u) /* a sync every three minutes while online */
#define SPINNER_MS    120
#define NEIGHBOURS    2 /* images fetched ahead each way along the list */

static const char *const spinner[] = {
    "\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9", "\xe2\xa0\xb8", "\xe2\xa0\xbc",
    "\xe2\xa0\xb4", "\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87", "\xe2\xa0\x8f"};
#define NSPIN ((int)(sizeof spinner / sizeof spinner[0]))

int remote_fd(const struct app *app)
{
	return sync_worker_fd(app->remote.worker);
}

int remote_timer_fd(const struct app *app)
{
	return app->remote.worker != NULL ? app->remote.timer_fd : -1;
}

static void timer_arm(struct app *app, int on)
{
	struct itimerspec t = {0};

	if (app->remote.timer_fd < 0)
		return;
	if (on) {
		t.it_interval.tv_nsec = SPINNER_MS * 1000000L;
		t.it_value = t.it_interval;
	}
	timerfd_settime(app->remote.timer_fd, 0, &t, NULL);
}

int remote_here(const struct app *app)
{
	if (app->remote.worker == NULL)
		return 0;
	if (!(app->screen & (SCREEN_LIST | SCREEN_ASSET | SCREEN_CONFLICTS)))
		return 1; /* the browsing screens are the source's */
	return strcmp(app->dataset.locator, app->remote.locator) == 0;
}

static int pending_of(const struct cache_source_row *r, void *ctx)
{
	struct app *app = ctx;

	if (r->locator != NULL && strcmp(r->locator, app->remote.locator) == 0)
		app->remote.pending = r->pending;
	return 0;
}

/* The edits not sent yet over the whole source (its datalake's included). */
static void pending_read(struct app *app)
{
	app->remote.pending = 0;
	if (app->remote.worker != NULL)
		cache_sources_each(app->cache, pending_of, app, NULL);
}

/* ---- the worker's events --------------------------------------------------------------------- */

static void on_done(struct app *app, const struct sync_event *e)
{
	const struct sync_report *r = &e->report;
	struct remote_source *rs = &app->remote;

	rs->syncing = sync_worker_busy(rs->worker);
	rs->progress[0] = '\0';
	rs->last_sync_us = frame_clock_us();
	str_copy(rs->last_error, e->failed ? e->err_msg : r->last_error, sizeof rs->last_error);
	if (!e->eager) /* a sync of its own says only what went wrong, on the status bar */
		return;
	if (e->failed && e->link == SYNC_LINK_OFFLINE)
		app_error(app, "sync: cannot reach the server; %d %s kept for later", rs->pending,
		          rs->pending == 1 ? "edit" : "edits");
	else if (e->failed)
		app_error(app, "sync: %s", e->err_msg);
	else
		app_message(app, "synced: %d %s sent, %lld %s pulled%s%s", r->pushed,
		            r->pushed == 1 ? "edit" : "edits", (long long)r->assets,
		            r->assets == 1 ? "asset" : "assets",
		            r->conflicts ? ", conflicts to look at (C)" : "",
		            r->waiting ? ", some edits wait" : "");
}

static void on_image(struct app *app, const struct sync_event *e, int *change)
{
	struct remote_source *rs = &app->remote;

	if (e->asset_id != rs->fetching)
		return; /* a neighbour's: it is in the store for later */
	rs->fetching = 0;
	timer_arm(app, 0);
	if (e->failed)
		app_error(app, "image not fetched: %s", e->err_msg);
	if (screen_shows_image(app) && app->asset_loaded && app->asset.id == e->asset_id)
		*change |= viewer_refresh(app) | UI_FRAME | UI_REDRAW;
}

static void on_catalog(struct app *app, struct sync_event *e)
{
	free(app->remote.catalog);
	app->remote.catalog = e->catalog; /* taken over */
	app->remote.ncatalog = e->ncatalog;
	e->catalog = NULL;
	e->ncatalog = 0;
}

static int on_event(struct app *app, struct sync_event *e)
{
	struct remote_source *rs = &app->remote;
	int change = UI_REDRAW;

	if (e->link != SYNC_LINK_UNKNOWN)
		rs->link = e->link;
	switch (e->kind) {
	case SYNC_EVENT_STARTED:
		rs->syncing = 1;
		snprintf(rs->progress, sizeof rs->progress, "starting");
		break;
	case SYNC_EVENT_PROGRESS:
		if (e->total > 0)
			snprintf(rs->progress, sizeof rs->progress, "%s %lld/%lld", e->what,
			         (long long)e->done, (long long)e->total);
		else
			snprintf(rs->progress, sizeof rs->progress, "%s %lld", e->what,
			         (long long)e->done);
		break;
	case SYNC_EVENT_DONE:
		pending_read(app);
		on_done(app, e);
		change |= screens_refresh(app);
		break;
	case SYNC_EVENT_IMAGE:
		on_image(app, e, &change);
		break;
	case SYNC_EVENT_CATALOG:
		on_catalog(app, e);
		change |= screens_refresh(app);
		break;
	}
	return change;
}

int remote_ready(struct app *app)
{
	struct remote_source *rs = &app->remote;
	struct sync_event *list, *e;
	int change = UI_NONE;

	if (rs->worker == NULL)
		return UI_NONE;
	list = sync_worker_collect(rs->worker);
	for (e = list; e != NULL; e = e->next)
		change |= on_event(app, e);
	sync_events_free(list);
	app->source.online = rs->link != SYNC_LINK_OFFLINE;
	if (!rs->syncing && rs->link == SYNC_LINK_ONLINE &&
	    frame_clock_us() - rs->last_sync_us > SYNC_EVERY_US) {
		sync_worker_sync(rs->worker, NULL, 0);
		rs->syncing = 1;
		change |= UI_REDRAW;
	}
	return change;
}

int remote_tick(struct app *app)
{
	uint64_t n;

	if (read(app->remote.timer_fd, &n, sizeof n) < 0 || app->remote.fetching == 0)
		return UI_NONE;
	app->remote.spinner = (app->remote.spinner + 1) % NSPIN;
	return UI_REDRAW;
}

int remote_sync_now(struct app *app)
{
	struct remote_source *rs = &app->remote;

	sync_worker_sync(rs->worker, NULL, 1);
	rs->syncing = 1;
	snprintf(rs->progress, sizeof rs->progress, "asked");
	app_message(app, "syncing with %s\xe2\x80\xa6", rs->label);
	return UI_REDRAW;
}

/* ---- images ---------------------------------------------------------------------------------- */

int remote_image_waiting(const struct app *app)
{
	return app->remote.fetching != 0 && app->asset_loaded &&
	       app->asset.id == app->remote.fetching;
}

void remote_asset_opened(struct app *app)
{
	struct remote_source *rs = &app->remote;
	const struct list_view *l = &app->list;

	if (rs->worker == NULL || !app->asset_loaded || !remote_here(app))
		return;
	if (app->asset.path[0] == '\0' && rs->fetching != app->asset.id) {
		sync_worker_image(rs->worker, app->asset.id, 1);
		rs->fetching = app->asset.id;
		timer_arm(app, 1);
	}
	if (app->asset.path[0] != '\0' && rs->fetching == app->asset.id) {
		rs->fetching = 0;
		timer_arm(app, 0);
	}
	if (app->asset.path[0] != '\0') /* shown: the worker marks it the last the budget drops */
		sync_worker_image(rs->worker, app->asset.id, 1);
	/* the neighbours along the list, behind it (those in the store are answered at once) */
	for (int d = 1; d <= NEIGHBOURS && l->nrows > 0 && l->rows[l->sel].id == app->asset.id;
	     d++) {
		if (l->sel + d < l->nrows)
			sync_worker_image(rs->worker, l->rows[l->sel + d].id, 0);
		if (l->sel - d >= 0)
			sync_worker_image(rs->worker, l->rows[l->sel - d].id, 0);
	}
}

/* ---- the status bar and quitting ------------------------------------------------------------ */

void remote_status(const struct app *app, char *out, size_t outsz)
{
	const struct remote_source *rs = &app->remote;

	out[0] = '\0';
	if (rs->worker == NULL)
		return;
	if (rs->syncing)
		snprintf(out, outsz, "  %s syncing %s", spinner[rs->spinner % NSPIN], rs->progress);
	else if (rs->link == SYNC_LINK_OFFLINE)
		snprintf(out, outsz, "  \xe2\x97\x8b offline");
	else if (rs->link == SYNC_LINK_REFUSED)
		snprintf(out, outsz, "  \xe2\x9c\x97 refused: %s", rs->last_error);
	else if (rs->link == SYNC_LINK_ONLINE)
		snprintf(out, outsz, "  \xe2\x97\x8f online");
	else
		snprintf(out, outsz, "  \xe2\x80\xa6 connecting");
}

int remote_quit_asks(struct app *app)
{
	pending_read(app);
	if (app->remote.worker == NULL || app->remote.pending == 0)
		return 0;
	app->quit_ask = 1;
	app_error(app,
	          "%d %s not sent to %s yet (kept in the cache for the next sync): quit "
	          "anyway? (y/n)",
	          app->remote.pending, app->remote.pending == 1 ? "edit" : "edits",
	          app->remote.label);
	return 1;
}

void remote_stop(struct app *app)
{
	sync_worker_stop(&app->remote.worker);
	if (app->remote.timer_fd >= 0)
		close(app->remote.timer_fd);
	app->remote.timer_fd = -1;
	free(app->remote.catalog);
	app->remote.catalog = NULL;
	app->remote.ncatalog = 0;
}

/* ---- opening a dataset ------------------------------------------------------------------------
 */

int app_open_dataset(struct app *app, int64_t dataset_id)
{
	struct dataset_info info;
	struct err err;
	int change;

	if (cache_dataset_get(app->cache, dataset_id, &info, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	app->dataset_id = dataset_id;
	app->dataset = info;
	memset(&app->list.query, 0, sizeof app->list.query);
	app->list.query.dataset_id = dataset_id;
	app_reload_pending(app);
	change = screen_push(app, SCREEN_INDEX_LIST, NULL);
	/* a list not on the stack until now was never fitted to the terminal */
	screen_ops(SCREEN_INDEX_LIST)->resize(app, screen_state(app, SCREEN_INDEX_LIST));
	list_reload_top(app);
	return change | UI_RELOAD | UI_REDRAW;
}
