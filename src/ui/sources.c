/* The sources screen: the platform organization configured for this run (online or offline,
 * its datasets and its datalake as the cache holds them), other platform sources the cache
 * keeps, and the local datasets opened before. Enter opens one. */
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOURCES_MAX 256
#define ROWS_MAX    (SOURCES_MAX + 8)

enum row_kind { ROW_ORG = 1, ROW_ORG_DATASETS, ROW_ORG_DATALAKE, ROW_CACHED_REMOTE, ROW_LOCAL };

struct source_line {
	enum row_kind kind;
	int64_t dataset_id;
	char locator[1024];
	char text[1024];
	int dim;
};

struct sources_state {
	struct browse_rows rows; /* first: browse_rows_of reads it */
	struct source_line lines[ROWS_MAX];
	int locals, remotes;
};

static struct source_line *add(struct sources_state *st, enum row_kind kind)
{
	struct source_line *l;

	if (st->rows.n == ROWS_MAX)
		return NULL;
	l = &st->lines[st->rows.n++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	return l;
}

static const char *link_words(const struct app *app)
{
	const struct remote_source *rs = &app->remote;

	if (rs->worker == NULL)
		return "not connected";
	if (rs->syncing)
		return "syncing";
	switch (rs->link) {
	case SYNC_LINK_ONLINE:
		return "online";
	case SYNC_LINK_OFFLINE:
		return "offline";
	case SYNC_LINK_REFUSED:
		return "refused";
	default:
		return "connecting";
	}
}

/* A source as the cache lists it, kept for the lines (browse.c gives strings for the call). */
struct source_seen {
	char kind[32];
	char locator[1024];
	int datasets;
	int64_t assets;
	int pending;
};

struct seen_list {
	struct source_seen *rows;
	int n;
};

static int seen_one(const struct cache_source_row *r, void *ctx)
{
	struct seen_list *l = ctx;
	struct source_seen *s;

	if (l->n == SOURCES_MAX)
		return 0;
	s = &l->rows[l->n++];
	str_copy(s->kind, r->kind ? r->kind : "", sizeof s->kind);
	str_copy(s->locator, r->locator ? r->locator : "", sizeof s->locator);
	s->datasets = r->datasets;
	s->assets = r->assets;
	s->pending = r->pending;
	return 0;
}

/* The configured organization and what the cache holds of it. */
static void add_org(struct app *app, struct sources_state *st, const struct source_seen *row)
{
	struct source_line *l;
	char lake[256] = "";
	int64_t lake_id = 0;

	cache_datalake_first(app->cache, app->remote.locator, &lake_id, lake, sizeof lake, NULL);
	if ((l = add(st, ROW_ORG)) != NULL)
		snprintf(l->text, sizeof l->text, "%-28s %-36s %s", app->remote.label,
		         app->remote.host, link_words(app));
	if ((l = add(st, ROW_ORG_DATASETS)) != NULL)
		snprintf(l->text, sizeof l->text, "  datasets %18d %s, %lld %s in the cache",
		         row ? row->datasets : 0,
		         row && row->datasets == 1 ? "version" : "versions",
		         (long long)(row ? row->assets : 0),
		         row && row->assets == 1 ? "asset" : "assets");
	if ((l = add(st, ROW_ORG_DATALAKE)) != NULL)
		snprintf(l->text, sizeof l->text, "  datalake %18s %s", lake,
		         lake_id ? "" : "(not in the cache yet)");
	for (int i = st->rows.n - 3; i < st->rows.n; i++)
		str_copy(st->lines[i].locator, app->remote.locator, sizeof st->lines[i].locator);
}

static int is_remote(const struct source_seen *r)
{
	return strcmp(r->kind, "picsellia") == 0;
}

static void add_source(struct app *app, struct sources_state *st, const struct source_seen *r)
{
	struct source_line *l = add(st, is_remote(r) ? ROW_CACHED_REMOTE : ROW_LOCAL);
	struct dataset_info info = {0};
	int n = 0;

	if (l == NULL)
		return;
	str_copy(l->locator, r->locator, sizeof l->locator);
	if (is_remote(r)) {
		snprintf(l->text, sizeof l->text, "%-28s %d %s cached (not configured now)",
		         strchr(r->locator, '#') ? strchr(r->locator, '#') + 1 : r->locator,
		         r->datasets, r->datasets == 1 ? "version" : "versions");
		return;
	}
	if (cache_source_datasets(app->cache, r->locator, &l->dataset_id, 1, &n, NULL) < 0 ||
	    n == 0)
		l->dataset_id = 0;
	if (l->dataset_id != 0)
		cache_dataset_get(app->cache, l->dataset_id, &info, NULL);
	snprintf(l->text, sizeof l->text, "%-28s %8lld %-7s %s%s", info.name, (long long)r->assets,
	         r->assets == 1 ? "asset" : "assets", r->locator,
	         r->pending ? "  (edits not exported)" : "");
	l->dim = l->dataset_id == 0;
}

static int sources_read(struct app *app, struct sources_state *st)
{
	struct seen_list seen = {calloc(SOURCES_MAX, sizeof(struct source_seen)), 0};
	const struct source_seen *mine = NULL;
	int keep = st->rows.sel;
	struct err err;

	st->rows.n = 0;
	if (seen.rows == NULL || cache_sources_each(app->cache, seen_one, &seen, &err) < 0) {
		app_error(app, "%s", seen.rows == NULL ? "out of memory" : err.msg);
		free(seen.rows);
		return -1;
	}
	for (int i = 0; i < seen.n; i++)
		if (app->remote.locator[0] &&
		    strcmp(seen.rows[i].locator, app->remote.locator) == 0)
			mine = &seen.rows[i];
	if (app->remote.locator[0])
		add_org(app, st, mine);
	for (int i = 0; i < seen.n; i++)
		if (&seen.rows[i] != mine && is_remote(&seen.rows[i]))
			add_source(app, st, &seen.rows[i]);
	st->remotes = st->rows.n;
	for (int i = 0; i < seen.n; i++)
		if (!is_remote(&seen.rows[i]))
			add_source(app, st, &seen.rows[i]);
	st->locals = st->rows.n - st->remotes;
	free(seen.rows);
	st->rows.sel = keep;
	browse_fit(&st->rows, browse_page(app) - 2);
	return 0;
}

static int sources_enter(struct app *app, void *self, const void *arg)
{
	(void)arg;
	sources_read(app, self);
	return 0;
}

static int sources_refresh(struct app *app, void *self)
{
	sources_read(app, self);
	return UI_REDRAW;
}

/* The screen's rows under their two headings. */
static void sources_draw(struct app *app, void *self)
{
	struct sources_state *st = self;
	int page = browse_page(app) - 2, y = 1;

	browse_title(app, "sources", &st->rows);
	browse_fit(&st->rows, page);
	for (int r = 1; r < app->rows - 2; r++)
		mvhline(r, 0, ' ', app->cols);
	for (int i = st->rows.first; i < st->rows.n && y < app->rows - 2; i++) {
		if (i == 0 && st->remotes > 0)
			browse_header(app, y++, "PLATFORM SOURCES");
		if (i == st->remotes && st->locals > 0)
			browse_header(app, y++, "LOCAL DATASETS");
		browse_line(app, y++, st->lines[i].text, i == st->rows.sel, st->lines[i].dim);
	}
	if (st->rows.n == 0)
		browse_line(app, 2,
		            "No source yet: annotty FILE.json opens a local dataset; set "
		            "PICSELLIA_HOST, PICSELLIA_TOKEN and PICSELLIA_ORGANIZATION for "
		            "a platform.",
		            0, 1);
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

int sources_open(struct app *app)
{
	struct sources_state *st = screen_state(app, SCREEN_INDEX_SOURCES);
	const struct source_line *l;

	if (st->rows.n == 0)
		return UI_NONE;
	l = &st->lines[st->rows.sel];
	switch (l->kind) {
	case ROW_ORG:
	case ROW_ORG_DATASETS:
	case ROW_CACHED_REMOTE:
		return screen_push(app, SCREEN_INDEX_DATASETS, l->locator);
	case ROW_ORG_DATALAKE:
		return screen_push(app, SCREEN_INDEX_DATALAKE, l->locator);
	case ROW_LOCAL:
		if (l->dataset_id == 0) {
			app_error(app, "this source holds no dataset");
			return UI_REDRAW;
		}
		return app_open_dataset(app, l->dataset_id);
	}
	return UI_NONE;
}

const struct screen_ops screen_sources = {
    .name = "sources",
    .state_size = sizeof(struct sources_state),
    .enter = sources_enter,
    .draw = sources_draw,
    .refresh = sources_refresh,
};
