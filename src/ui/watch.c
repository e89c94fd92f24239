/* Never showing stale state: the cache's data version is looked at after each key and at
 * least once a second, and when another connection (another annotty, the sync worker, a
 * command-line edit) committed, the counts, the list's rows and the screen on top are read
 * again, keeping the selection and the view. */
#include "ui/app.h"
#include "ui/conflicts.h"
#include "ui/frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest conflict counted, for the message that announces it. */
struct conflict_news {
	char filename[512];
	char op[32];
};

static int count_conflicts(struct app *app, int *count, struct conflict_news *news)
{
	struct conflict_row *rows = calloc(CONFLICTS_COUNT_MAX, sizeof *rows);
	struct err err;
	int n = 0;

	*count = 0;
	if (rows == NULL) {
		app_error(app, "out of memory counting conflicts");
		return -1;
	}
	if (cache_conflicts_list(app->cache, app->dataset_id, rows, CONFLICTS_COUNT_MAX, &n, &err) <
	    0) {
		app_error(app, "%s", err.msg);
		free(rows);
		return -1;
	}
	if (n > 0 && news != NULL) {
		snprintf(news->filename, sizeof news->filename, "%s",
		         rows[n - 1].asset_id ? rows[n - 1].filename : "a label");
		snprintf(news->op, sizeof news->op, "%s", rows[n - 1].op);
	}
	cache_conflict_rows_clear(rows, n);
	free(rows);
	*count = n;
	return 0;
}

int app_count_conflicts(struct app *app, int *count)
{
	return count_conflicts(app, count, NULL);
}

/* ---- What is shown, as one number ------------------------------------------------------- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

static void mix(uint64_t *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		*h ^= p[i];
		*h *= FNV_PRIME;
	}
}

static void mix_int(uint64_t *h, int64_t v)
{
	mix(h, &v, sizeof v);
}

static void mix_str(uint64_t *h, const char *s)
{
	mix_int(h, s ? (int64_t)strlen(s) : -1);
	if (s)
		mix(h, s, strlen(s));
}

/* The list's rows as they are drawn, and the counts. */
static uint64_t list_signature(const struct app *app)
{
	const struct list_view *l = &app->list;
	uint64_t h = FNV_OFFSET;

	mix_int(&h, l->total);
	mix_int(&h, l->first_pos);
	mix_int(&h, l->nrows);
	for (int i = 0; i < l->nrows; i++) {
		mix_int(&h, l->rows[i].id);
		mix_int(&h, l->rows[i].status);
		mix_int(&h, l->rows[i].shape_count);
		mix_int(&h, l->rows[i].width);
		mix_int(&h, l->rows[i].height);
		mix_str(&h, l->rows[i].filename);
		mix_str(&h, l->rows[i].tags);
	}
	mix_int(&h, app->pending_edits);
	mix_int(&h, app->conflicts);
	return h;
}

/* The open asset (or the picture of the screen on top) as it is drawn: its shapes through
 * the frame's own hash, and its status and tags. */
static uint64_t asset_signature(const struct app *app)
{
	struct frame_spec spec = {.selected = app->selected_shape, .overlays = 1};
	uint64_t h = FNV_OFFSET;

	if (!app->asset_loaded)
		return 0;
	mix_int(&h, app->asset.id);
	mix_int(&h, (int64_t)frame_hash(&app->asset, &spec));
	mix_int(&h, app->asset.status);
	for (int i = 0; i < app->asset.ntags; i++)
		mix_str(&h, app->asset.tags[i]);
	return h;
}

/* ---- Looking ------------------------------------------------------------------------------ */

void app_watch_start(struct app *app)
{
	struct err err;

	if (cache_data_version(app->cache, &app->data_version, &err) < 0)
		app->data_version = 0;
}

/* Reads again what every screen shows; the screen on top now, the others when uncovered. */
static int reread(struct app *app, struct conflict_news *news, int *conflicts_before)
{
	const struct asset_row *row = list_current(app);
	struct dataset_info info;
	int change;

	*conflicts_before = app->conflicts;
	if (cache_outbox_pending(app->cache, app->dataset_id, &app->pending_edits, NULL) < 0)
		app->pending_edits = 0;
	count_conflicts(app, &app->conflicts, news);
	if (cache_dataset_get(app->cache, app->dataset_id, &info, NULL) == 0)
		app->dataset = info;
	list_reanchor(app, row ? row->id : 0);
	change = screens_refresh(app);
	return change | UI_REDRAW;
}

int app_watch(struct app *app, int force)
{
	struct conflict_news news = {{0}, {0}};
	uint64_t list_before, asset_before;
	int64_t version;
	int change, frame_was = app->frame_dirty, conflicts_before;
	struct err err;

	if (cache_data_version(app->cache, &version, &err) < 0)
		return UI_NONE; /* the next look tries again; the last reads stay shown */
	force |= app->focus_gained;
	app->focus_gained = 0;
	if (version == app->data_version && !force)
		return UI_NONE;
	app->data_version = version;
	list_before = list_signature(app);
	asset_before = asset_signature(app);
	change = reread(app, &news, &conflicts_before);
	if (asset_signature(app) == asset_before) {
		app->frame_dirty = frame_was; /* the same picture: nothing to write again */
		change &= ~UI_FRAME;
	}
	if (list_signature(app) == list_before && !(change & UI_FRAME))
		return change;
	if (app->undo_ask.armed)
		return change; /* its question stays on the message line; it looks again itself */
	if (app->conflicts > conflicts_before)
		app_error(app, "new conflict: %s on %s (C shows the conflicts)",
		          conflict_kind_words(news.op), news.filename);
	else
		app_message(app, "updated: the cache was changed beside this annotty");
	return change;
}
