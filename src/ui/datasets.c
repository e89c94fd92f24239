/* A platform source's datasets and their versions, as one tree: each dataset, then its
 * versions with their type, asset count and review counts (from the cache; the source's own
 * listing adds the types and the versions not pulled yet). Enter on a version opens its asset
 * list, the same list and asset screens as a local dataset; one not in the cache is pulled. */
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSIONS_MAX 2048
#define LINES_MAX    (2 * VERSIONS_MAX)

struct version_line {
	int is_dataset;
	int64_t dataset_id; /* a version in the cache; 0 for one only the source lists */
	char name[512];     /* "cars/v1", or the dataset's "cars" */
	char text[1024];
	int dim;
};

struct datasets_state {
	struct browse_rows rows; /* first: browse_rows_of reads it */
	char locator[1024];
	struct version_line *lines; /* LINES_MAX, owned */
};

/* The dataset part of "cars/v1" (up to the last slash). */
static size_t dataset_part(const char *name)
{
	const char *slash = strrchr(name, '/');

	return slash != NULL ? (size_t)(slash - name) : strlen(name);
}

static const struct sync_catalog_entry *
catalog_find(const struct app *app, const struct datasets_state *st, const char *name)
{
	if (strcmp(st->locator, app->remote.locator) != 0)
		return NULL;
	for (int i = 0; i < app->remote.ncatalog; i++)
		if (strcmp(app->remote.catalog[i].name, name) == 0)
			return &app->remote.catalog[i];
	return NULL;
}

static struct version_line *line_add(struct datasets_state *st)
{
	if (st->rows.n == LINES_MAX)
		return NULL;
	memset(&st->lines[st->rows.n], 0, sizeof st->lines[0]);
	return &st->lines[st->rows.n++];
}

/* A dataset's heading line, when name starts another dataset than the line before. */
static void heading_add(struct datasets_state *st, const char *name)
{
	size_t n = dataset_part(name);
	struct version_line *l;

	for (int i = st->rows.n - 1; i >= 0; i--)
		if (st->lines[i].is_dataset)
			if (strlen(st->lines[i].name) == n &&
			    strncmp(st->lines[i].name, name, n) == 0)
				return;
	if ((l = line_add(st)) == NULL)
		return;
	l->is_dataset = 1;
	snprintf(l->name, sizeof l->name, "%.*s", (int)n, name);
	snprintf(l->text, sizeof l->text, "%s", l->name);
}

/* One version as the cache holds it (the strings copied out of the walk). */
struct version_seen {
	int64_t dataset_id;
	char name[512];
	char type[64];
	int64_t assets;
	int64_t status[REVIEW_STATUS_COUNT];
	int pending;
	int pulled;
};

static void version_add(struct datasets_state *st, const struct version_seen *v,
                        const struct sync_catalog_entry *c)
{
	const char *name = v ? v->name : c->name;
	const char *type = v && v->type[0] ? v->type : c ? c->type : "";
	const char *short_name = name + (name[dataset_part(name)] ? dataset_part(name) + 1 : 0);
	struct version_line *l;

	heading_add(st, name);
	if ((l = line_add(st)) == NULL)
		return;
	str_copy(l->name, name, sizeof l->name);
	if (v == NULL) {
		snprintf(l->text, sizeof l->text,
		         "  %-20s %-20s %8lld  not in the cache yet (Enter pulls it)", short_name,
		         type, (long long)c->count);
		l->dim = 1;
		return;
	}
	l->dataset_id = v->dataset_id;
	snprintf(l->text, sizeof l->text, "  %-20s %-20s %8lld %8lld %8lld %8lld %8lld %6d%s",
	         short_name, type, (long long)v->assets, (long long)v->status[REVIEW_ACCEPTED],
	         (long long)v->status[REVIEW_REJECTED], (long long)v->status[REVIEW_PENDING],
	         (long long)v->status[REVIEW_SKIPPED], v->pending,
	         v->pulled ? "" : "  (pull not finished)");
}

struct versions_seen {
	struct version_seen *rows;
	int n;
};

static int version_seen_one(const struct cache_version_row *r, void *ctx)
{
	struct versions_seen *l = ctx;
	struct version_seen *v;

	if (l->n == VERSIONS_MAX)
		return 0;
	v = &l->rows[l->n++];
	v->dataset_id = r->dataset_id;
	str_copy(v->name, r->name ? r->name : "", sizeof v->name);
	str_copy(v->type, r->type ? r->type : "", sizeof v->type);
	v->assets = r->assets;
	memcpy(v->status, r->status, sizeof v->status);
	v->pending = r->pending;
	v->pulled = r->pulled;
	return 0;
}

static int versions_read(struct app *app, const char *locator, struct versions_seen *seen)
{
	int64_t source_id = 0;
	struct err err;
	int found = cache_source_find(app->cache, locator, &source_id, &err);

	if (found < 0 || (found > 0 && cache_versions_each(app->cache, source_id, NULL,
	                                                   version_seen_one, seen, &err) < 0)) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	return 0;
}

static int datasets_read(struct app *app, struct datasets_state *st)
{
	struct versions_seen seen = {calloc(VERSIONS_MAX, sizeof(struct version_seen)), 0};
	int keep = st->rows.sel, listed = strcmp(st->locator, app->remote.locator) == 0;

	st->rows.n = 0;
	if (seen.rows == NULL || versions_read(app, st->locator, &seen) < 0) {
		if (seen.rows == NULL)
			app_error(app, "out of memory");
		free(seen.rows);
		return -1;
	}
	for (int i = 0; i < seen.n; i++)
		version_add(st, &seen.rows[i], catalog_find(app, st, seen.rows[i].name));
	/* what the source lists that the cache does not hold yet */
	for (int i = 0; listed && i < app->remote.ncatalog; i++) {
		int held = 0;
		for (int k = 0; k < seen.n && !held; k++)
			held = strcmp(seen.rows[k].name, app->remote.catalog[i].name) == 0;
		if (!held)
			version_add(st, NULL, &app->remote.catalog[i]);
	}
	free(seen.rows);
	st->rows.sel = keep;
	browse_fit(&st->rows, browse_page(app));
	return 0;
}

static int datasets_enter(struct app *app, void *self, const void *arg)
{
	struct datasets_state *st = self;

	if (st->lines == NULL && (st->lines = calloc(LINES_MAX, sizeof *st->lines)) == NULL) {
		app_error(app, "out of memory");
		return -1;
	}
	str_copy(st->locator, arg ? arg : app->remote.locator, sizeof st->locator);
	st->rows = (struct browse_rows){0};
	return datasets_read(app, st) < 0 ? -1 : 0;
}

static void datasets_leave(struct app *app, void *self)
{
	struct datasets_state *st = self;

	(void)app;
	free(st->lines);
	st->lines = NULL;
}

static int datasets_refresh(struct app *app, void *self)
{
	datasets_read(app, self);
	return UI_REDRAW;
}

static void datasets_draw(struct app *app, void *self)
{
	struct datasets_state *st = self;
	char crumb[1200];
	int page = browse_page(app);

	snprintf(crumb, sizeof crumb, "%s \xe2\x80\xba datasets",
	         strncmp(st->locator, "picsellia:", 10) == 0
	             ? strchr(st->locator, '#') ? strchr(st->locator, '#') + 1 : st->locator
	             : st->locator);
	browse_title(app, crumb, &st->rows);
	browse_header(app, 1,
	              "DATASET / VERSION      TYPE                   ASSETS ACCEPTED REJECTED "
	              " PENDING  SKIPPED  EDITS");
	browse_fit(&st->rows, page);
	for (int i = 0; i < page; i++) {
		int k = st->rows.first + i;
		if (k < st->rows.n)
			browse_line(app, 2 + i, st->lines[k].text, k == st->rows.sel,
			            st->lines[k].dim);
		else
			mvhline(2 + i, 0, ' ', app->cols);
	}
	if (st->rows.n == 0)
		browse_line(app, 3, "No dataset in the cache yet: S syncs with the source.", 0, 1);
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

int datasets_open(struct app *app)
{
	struct datasets_state *st = screen_state(app, SCREEN_INDEX_DATASETS);
	const struct version_line *l;

	if (st->rows.n == 0)
		return UI_NONE;
	l = &st->lines[st->rows.sel];
	if (l->is_dataset) { /* to its first version */
		browse_move(&st->rows, 1);
		return UI_REDRAW;
	}
	if (l->dataset_id != 0)
		return app_open_dataset(app, l->dataset_id);
	if (app->remote.worker == NULL || strcmp(st->locator, app->remote.locator) != 0) {
		app_error(app, "%s is not in the cache and its source is not connected", l->name);
		return UI_REDRAW;
	}
	sync_worker_sync(app->remote.worker, l->name, 1);
	app->remote.syncing = 1;
	app_message(app, "pulling %s\xe2\x80\xa6 (it shows here when it is in)", l->name);
	return UI_REDRAW;
}

const struct screen_ops screen_datasets = {
    .name = "datasets",
    .state_size = sizeof(struct datasets_state),
    .enter = datasets_enter,
    .leave = datasets_leave,
    .draw = datasets_draw,
    .refresh = datasets_refresh,
};
