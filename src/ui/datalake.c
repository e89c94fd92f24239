/* The datalake screen: a source's data as the cache holds them, by file name, a window read a
 * page at a time (keyset, for datalakes of any size), filtered by file name and by tags (any
 * of them, or all of them); t and T tag and untag the selected data (queued for the source);
 * the selected data's image with its tags in a pane on the right. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_MAX LIST_MAX_ROWS

struct datalake_state {
	struct browse_rows rows; /* first: browse_rows_of reads it (the window's rows) */
	char locator[1024];
	int64_t lake_id;
	char lake_name[256];
	int64_t source_id;
	struct data_query q;
	struct data_row *win; /* WINDOW_MAX, owned: the rows shown */
	int first_pos;        /* position of win[0] in the whole filtered list */
	int total;
	int64_t shown; /* the data whose image the pane holds, 0 for none */
};

static struct datalake_state *state(struct app *app)
{
	return screen_state(app, SCREEN_INDEX_DATALAKE);
}

static int page_of(const struct app *app)
{
	int page = browse_page(app);

	return page > WINDOW_MAX ? WINDOW_MAX : page;
}

static int window_read(struct app *app, struct datalake_state *st, const struct data_row *from,
                       int backward)
{
	struct err err;
	int n = 0;

	if (cache_data_count(app->cache, &st->q, &st->total, &err) < 0 ||
	    cache_data_page(app->cache, &st->q, from, backward, st->win, page_of(app), &n, &err) <
	        0) {
		app_error(app, "%s", err.msg);
		st->rows.n = 0;
		return -1;
	}
	st->rows.n = n;
	return 0;
}

/* Moves the selection a row, reading the next or previous row when it leaves the window. */
static int step(struct app *app, struct datalake_state *st, int dir)
{
	struct data_row next;
	struct err err;
	int n = 0, page = page_of(app);

	if (st->rows.n == 0)
		return 0;
	if (browse_move(&st->rows, dir))
		return 1;
	if (cache_data_page(app->cache, &st->q, dir > 0 ? &st->win[st->rows.n - 1] : &st->win[0],
	                    dir < 0, &next, 1, &n, &err) < 0 ||
	    n == 0)
		return 0;
	if (dir > 0 && st->rows.n < page) {
		st->win[st->rows.n++] = next;
	} else if (dir > 0) {
		memmove(&st->win[0], &st->win[1], (size_t)(st->rows.n - 1) * sizeof next);
		st->win[st->rows.n - 1] = next;
		st->first_pos++;
	} else {
		memmove(&st->win[1], &st->win[0],
		        (size_t)(st->rows.n - (st->rows.n == page)) * sizeof next);
		st->win[0] = next;
		st->rows.n += st->rows.n < page;
		st->first_pos--;
	}
	st->rows.sel = dir > 0 ? st->rows.n - 1 : 0;
	return 1;
}

int datalake_move(struct app *app, int delta)
{
	struct datalake_state *st = state(app);
	int moved = 0;

	for (int i = 0; i < (delta > 0 ? delta : -delta) && step(app, st, delta > 0 ? 1 : -1); i++)
		moved++;
	return moved;
}

static int reload_top(struct app *app, struct datalake_state *st)
{
	st->first_pos = 0;
	st->rows.sel = 0;
	st->rows.first = 0;
	return window_read(app, st, NULL, 0);
}

/* Reads the window again from its first row (the cache changed, or a tag did). */
static int reload_here(struct app *app, struct datalake_state *st)
{
	struct data_row before;
	int sel = st->rows.sel;

	if (st->rows.n == 0 || st->first_pos == 0)
		return reload_top(app, st) < 0 ? -1
		                               : (st->rows.sel = sel, browse_fit(&st->rows, 0), 0);
	before = st->win[0];
	/* the row before the window, so that the window starts where it did */
	if (cache_data_page(app->cache, &st->q, &before, 1, &st->win[0], 1, &st->rows.n, NULL) <
	        0 ||
	    st->rows.n == 0)
		return reload_top(app, st);
	before = st->win[0];
	if (window_read(app, st, &before, 0) < 0)
		return -1;
	st->rows.sel = sel < st->rows.n ? sel : st->rows.n - 1;
	return 0;
}

/* ---- the image pane ---------------------------------------------------------------------------
 */

static void pane_geometry(const struct app *app, int *top, int *left, int *rows, int *cols)
{
	*top = 2;
	*cols = app->cols * 2 / 5;
	*left = app->cols - *cols;
	*rows = app->rows - 5; /* a line for the tags under it */
}

static void datalake_pane(const struct app *app, const void *self, int *top, int *left, int *rows,
                          int *cols)
{
	(void)self;
	pane_geometry(app, top, left, rows, cols);
}

/* The selected data as the frames see an asset: its file, its size, no shapes. */
static int show_selected(struct app *app, struct datalake_state *st)
{
	const struct data_row *r = st->rows.n > 0 ? &st->win[st->rows.sel] : NULL;

	if (r != NULL && r->id == st->shown && app->asset_loaded)
		return UI_NONE;
	if (app->asset_loaded)
		cache_asset_detail_free(&app->asset);
	app->asset_loaded = 0;
	st->shown = 0;
	if (r == NULL || r->path[0] == '\0')
		return UI_REDRAW | UI_FRAME;
	memset(&app->asset, 0, sizeof app->asset);
	app->asset.id = -r->id; /* never an asset's: the frame store keys on it */
	str_copy(app->asset.filename, r->filename, sizeof app->asset.filename);
	str_copy(app->asset.path, r->path, sizeof app->asset.path);
	app->asset.width = r->width;
	app->asset.height = r->height;
	app->asset_loaded = 1;
	app->selected_shape = -1;
	app->zoom = 1;
	app->center_x = app->center_y = 0;
	st->shown = r->id;
	return UI_REDRAW | UI_FRAME;
}

/* ---- the screen -------------------------------------------------------------------------------
 */

static int datalake_enter(struct app *app, void *self, const void *arg)
{
	struct datalake_state *st = self;
	struct err err;
	int n = 0;

	if (st->win == NULL && (st->win = calloc(WINDOW_MAX, sizeof *st->win)) == NULL) {
		app_error(app, "out of memory");
		return -1;
	}
	str_copy(st->locator, arg ? arg : app->remote.locator, sizeof st->locator);
	memset(&st->q, 0, sizeof st->q);
	n = cache_datalake_first(app->cache, st->locator, &st->lake_id, st->lake_name,
	                         sizeof st->lake_name, &err);
	if (n < 0 || cache_source_find(app->cache, st->locator, &st->source_id, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	if (n == 0) {
		app_error(app, "no datalake of this source in the cache yet (S syncs)");
		return -1;
	}
	st->q.datalake_id = st->lake_id;
	st->shown = 0;
	reload_top(app, st);
	show_selected(app, st);
	return 0;
}

static void datalake_leave(struct app *app, void *self)
{
	struct datalake_state *st = self;

	if (app->asset_loaded)
		cache_asset_detail_free(&app->asset);
	app->asset_loaded = 0;
	free(st->win);
	st->win = NULL;
	st->shown = 0;
}

static int datalake_refresh(struct app *app, void *self)
{
	struct datalake_state *st = self;

	reload_here(app, st);
	st->shown = 0; /* its image may have come */
	return show_selected(app, st) | UI_REDRAW;
}

static void filter_words(const struct datalake_state *st, char *out, size_t outsz)
{
	size_t at = 0;

	out[0] = '\0';
	if (st->q.filename[0])
		at += (size_t)snprintf(out, outsz, "  file \"%s\"", st->q.filename);
	if (st->q.ntags > 0 && at < outsz)
		at += (size_t)snprintf(out + at, outsz - at,
		                       "  tags (%s of):", st->q.all ? "all" : "any");
	for (int i = 0; i < st->q.ntags && at < outsz; i++)
		at += (size_t)snprintf(out + at, outsz - at, " %s", st->q.tags[i]);
}

static void datalake_draw(struct app *app, void *self)
{
	struct datalake_state *st = self;
	int top, left, rows, cols, page = page_of(app);
	char crumb[1400], head[1600], filter[1200], line[1200];

	snprintf(crumb, sizeof crumb, "datalake %s  (%d %s)", st->lake_name, st->total,
	         st->q.ntags || st->q.filename[0] ? "match" : "data");
	browse_title(app, crumb, &st->rows);
	pane_geometry(app, &top, &left, &rows, &cols);
	filter_words(st, filter, sizeof filter);
	snprintf(head, sizeof head, "FILE NAME                        SIZE        TAGS%s", filter);
	browse_header(app, 1, head);
	for (int i = 0; i < page; i++) {
		const struct data_row *r = &st->win[i];
		mvhline(2 + i, 0, ' ', left);
		if (i >= st->rows.n)
			continue;
		snprintf(line, sizeof line, "%-30.30s %5dx%-5d %s%s", r->filename, r->width,
		         r->height, r->tags,
		         r->upload_status[0] && strcmp(r->upload_status, "DONE") ? "  [" : "");
		if (r->upload_status[0] && strcmp(r->upload_status, "DONE"))
			snprintf(line + strlen(line), sizeof line - strlen(line), "%s]",
			         r->upload_status);
		if (i == st->rows.sel)
			attron(COLOR_PAIR(PAIR_SELECTED));
		mvhline(2 + i, 0, ' ', left - 1);
		ui_put(2 + i, 1, left - 2, line, 0);
		if (i == st->rows.sel)
			attroff(COLOR_PAIR(PAIR_SELECTED));
	}
	mvvline(2, left - 1, ACS_VLINE, rows + 1);
	if (app->frame_dirty || !app->image_on_screen)
		for (int r = 0; r < rows; r++)
			mvhline(top + r, left, ' ', cols);
	if (st->rows.n > 0 && st->win[st->rows.sel].path[0] == '\0') {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(top + rows / 2, left + 2, cols - 3, "image not fetched yet", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
	mvhline(top + rows, left, ' ', cols);
	if (st->rows.n > 0) {
		snprintf(line, sizeof line, "tags: %s",
		         st->win[st->rows.sel].tags[0] ? st->win[st->rows.sel].tags : "(none)");
		ui_put(top + rows, left + 1, cols - 2, line, 0);
	}
	if (st->rows.n == 0)
		browse_line(app, 3,
		            st->q.filename[0] || st->q.ntags
		                ? "No data matches the filter (Esc clears it)."
		                : "This datalake has no data in the cache.",
		            0, 1);
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

int datalake_open(struct app *app)
{
	struct datalake_state *st = state(app);

	if (st->rows.n > 0)
		app_message(app, "%s: %s", st->win[st->rows.sel].filename,
		            st->win[st->rows.sel].tags[0] ? st->win[st->rows.sel].tags : "no tags");
	return UI_REDRAW;
}

/* After a move: the pane follows the selection. */
int datalake_moved(struct app *app)
{
	return show_selected(app, state(app));
}

int datalake_tag(struct app *app, const char *tag, int add)
{
	struct datalake_state *st = state(app);
	struct err err;
	int changed = 0, rc;

	if (st->rows.n == 0)
		return UI_NONE;
	rc = add ? cache_data_tag_add(app->cache, st->win[st->rows.sel].id, tag, &changed, &err)
	         : cache_data_tag_remove(app->cache, st->win[st->rows.sel].id, tag, &changed, &err);
	if (rc < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	if (!changed)
		app_message(app, add ? "already tagged %s" : "no tag %s on this data", tag);
	else
		app_message(app, "%s tag %s (queued for the source)", add ? "added" : "removed",
		            tag);
	reload_here(app, st);
	app->remote.pending += changed;
	return UI_REDRAW;
}

/* "night rural file:street_00" or "tag:night tag:rural street": tags and a file name. */
int datalake_filter(struct app *app, const char *text)
{
	struct datalake_state *st = state(app);
	char copy[512], *save = NULL;
	int all = st->q.all;

	memset(&st->q, 0, sizeof st->q);
	st->q.datalake_id = st->lake_id;
	st->q.all = all;
	str_copy(copy, text, sizeof copy);
	for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
		if (strncmp(w, "file:", 5) == 0)
			str_copy(st->q.filename, w + 5, sizeof st->q.filename);
		else if (strncmp(w, "tag:", 4) == 0 && w[4] && st->q.ntags < DATA_QUERY_TAGS)
			str_copy(st->q.tags[st->q.ntags++], w + 4, sizeof st->q.tags[0]);
		else if (strncmp(w, "tag:", 4) != 0)
			str_copy(st->q.filename, w, sizeof st->q.filename);
	}
	reload_top(app, st);
	return show_selected(app, st) | UI_REDRAW;
}

int datalake_match_toggle(struct app *app)
{
	struct datalake_state *st = state(app);

	st->q.all = !st->q.all;
	app_message(app, "tags: data with %s of them", st->q.all ? "all" : "any");
	reload_top(app, st);
	return show_selected(app, st) | UI_REDRAW;
}

struct tag_candidates {
	const char *prefix;
	struct action_cand *out;
	int max, n;
};

static int tag_candidate(const struct cache_tag_row *r, void *ctx)
{
	struct tag_candidates *t = ctx;

	if (t->n < t->max && r->name && strncmp(r->name, t->prefix, strlen(t->prefix)) == 0) {
		str_copy(t->out[t->n].text, r->name, sizeof t->out[0].text);
		t->out[t->n++].why = NULL;
	}
	return 0;
}

/* The datalake's tags (of_row: the selected data's) starting with prefix. */
int datalake_complete_tags(struct app *app, const char *prefix, struct action_cand *out, int max,
                           int of_row)
{
	struct datalake_state *st = state(app);
	struct tag_candidates t = {prefix, out, max, 0};
	char row[256];

	if (of_row && st->rows.n > 0) {
		str_copy(row, st->win[st->rows.sel].tags, sizeof row);
		for (char *save = NULL, *w = strtok_r(row, ", ", &save); w && t.n < max;
		     w = strtok_r(NULL, ", ", &save))
			tag_candidate(&(struct cache_tag_row){.name = w}, &t);
		return t.n;
	}
	cache_tag_counts_each(app->cache, st->source_id, 0, tag_candidate, &t, NULL);
	return t.n;
}

const struct screen_ops screen_datalake = {
    .name = "datalake",
    .state_size = sizeof(struct datalake_state),
    .flags = SCREEN_SHOWS_IMAGE,
    .enter = datalake_enter,
    .leave = datalake_leave,
    .draw = datalake_draw,
    .refresh = datalake_refresh,
    .pane = datalake_pane,
};
