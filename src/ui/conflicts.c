/* The conflicts screen: the dataset's changes that met a different value on the source (or
 * that it refused), each with both versions in words and, for a shape, both shapes on the
 * image: the user's selected in its label colour, the source's as a white outline. m keeps
 * mine, t takes theirs, Enter opens the asset. While it is on top it borrows the open asset
 * (app->asset) for its picture and gives the asset screen's back when it is left. */
#include "ui/conflicts.h"
#include "ui/actions.h"
#include "ui/app.h"
#include "core/shape_edit.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFLICTS_SHOWN 256      /* the oldest ones first; resolving them shows the rest */
#define THEIRS_RGB      0xffffff /* the source's shape: a white outline, no label colour has it */
#define OUTLINE_MAX     4096     /* vertices of the source's shape drawn */
#define LIST_ROWS_MAX   12       /* the list's share of the left panel */

struct conflicts_state {
	struct conflict_row *rows; /* CONFLICTS_SHOWN, owned */
	int nrows;
	int sel, scroll;
	/* the selected conflict, read */
	int parsed; /* mine (and theirs when has_theirs) hold its changes */
	struct change mine, theirs;
	int has_theirs;
	char problem[256]; /* why its changes could not be read */
	struct point outline[OUTLINE_MAX];
	int noutline;
	struct overlay_marks marks;
	/* what the asset screen had, given back on leave */
	struct asset_detail saved;
	int saved_loaded, saved_selected, saved_overlays;
	double saved_zoom, saved_cx, saved_cy;
};

static struct conflicts_state *state_of(const struct app *app)
{
	return screen_state(app, SCREEN_INDEX_CONFLICTS);
}

static const struct conflict_row *selected_row(const struct conflicts_state *st)
{
	return st->sel >= 0 && st->sel < st->nrows ? &st->rows[st->sel] : NULL;
}

static int left_width(const struct app *app)
{
	int w = app->cols * 2 / 5;

	return w < 36 ? 36 : w > 70 ? 70 : w;
}

static void conflicts_pane(const struct app *app, const void *self, int *top, int *left, int *rows,
                           int *cols)
{
	*top = 1;
	*left = left_width(app) + 1;
	*rows = app->rows - 3;
	*cols = app->cols - *left;
}

/* ---- The picture: the asset with the source's shape added ------------------------------- */

static void picture_drop(struct app *app)
{
	if (app->asset_loaded)
		cache_asset_detail_free(&app->asset);
	app->asset_loaded = 0;
	memset(&app->asset, 0, sizeof app->asset);
}

/* The source's shape as one more shape of the frame request, grey and captioned (its outline
 * comes as marks); -1 when out of memory. */
static int picture_add_theirs(struct asset_detail *d, const struct change *theirs)
{
	int n = d->nshapes;
	struct shape *shapes = realloc(d->shapes, (size_t)(n + 1) * sizeof *shapes);
	char **labels;
	int64_t *ids;
	char caption[CACHE_LABEL_MAX + 16];

	if (shapes == NULL)
		return -1;
	d->shapes = shapes;
	if ((labels = realloc(d->shape_labels, (size_t)(n + 1) * sizeof *labels)) == NULL)
		return -1;
	d->shape_labels = labels;
	if ((ids = realloc(d->shape_ids, (size_t)(n + 1) * sizeof *ids)) == NULL)
		return -1;
	d->shape_ids = ids;
	snprintf(caption, sizeof caption, "theirs: %s",
	         theirs->label_name ? theirs->label_name : "(no label)");
	if ((labels[n] = strdup(caption)) == NULL)
		return -1;
	if (shape_copy(&shapes[n], &theirs->value, NULL) < 0) {
		free(labels[n]);
		return -1;
	}
	shapes[n].label = -1;
	ids[n] = 0;
	d->nshapes = n + 1;
	return 0;
}

/* The source's shape as an outline: a box's corners, a path's vertices (its first part), a
 * point's position. */
static void outline_make(struct conflicts_state *st, const struct shape *s)
{
	int n = 0, closed = 0, end;

	if (s->kind == SHAPE_BOX) {
		st->outline[0] = (struct point){s->box.x, s->box.y};
		st->outline[1] = (struct point){s->box.x + s->box.w, s->box.y};
		st->outline[2] = (struct point){s->box.x + s->box.w, s->box.y + s->box.h};
		st->outline[3] = (struct point){s->box.x, s->box.y + s->box.h};
		n = 4;
		closed = 1;
	} else if (s->points != NULL && s->kind != SHAPE_CLASSIFICATION) {
		end = s->nparts > 0 && s->part_ends != NULL ? s->part_ends[0] : s->npoints;
		for (n = 0; n < end && n < s->npoints && n < OUTLINE_MAX; n++)
			st->outline[n] = s->points[n];
		closed = s->kind == SHAPE_POLYGON;
	}
	st->noutline = n;
	memset(&st->marks, 0, sizeof st->marks);
	st->marks.vertex = -1;
	st->marks.handle = -1;
	st->marks.draft = n > 0 ? st->outline : NULL;
	st->marks.ndraft = n;
	st->marks.draft_closed = closed;
	st->marks.rgb = THEIRS_RGB;
}

static int is_shape_change(const struct change *c)
{
	return c->kind == CHANGE_SHAPE_CREATE || c->kind == CHANGE_SHAPE_UPDATE ||
	       c->kind == CHANGE_SHAPE_DELETE;
}

/* The selected conflict's asset, with mine selected and theirs added, as app->asset. */
static void picture_make(struct app *app, struct conflicts_state *st)
{
	const struct conflict_row *r = selected_row(st);
	struct err err;

	picture_drop(app);
	st->noutline = 0;
	app->selected_shape = -1;
	app->frame_dirty = 1;
	if (r == NULL || r->asset_id == 0)
		return;
	if (cache_asset_get(app->cache, r->asset_id, &app->asset, &err) < 0) {
		app_error(app, "%s", err.msg);
		return;
	}
	app->asset_loaded = 1;
	if (!st->parsed || !is_shape_change(&st->mine))
		return;
	for (int i = 0; i < app->asset.nshapes; i++)
		if (app->asset.shape_ids[i] == st->mine.shape.local &&
		    st->mine.kind != CHANGE_SHAPE_DELETE)
			app->selected_shape = i;
	if (st->has_theirs && st->theirs.has_value) {
		if (picture_add_theirs(&app->asset, &st->theirs) < 0)
			app_error(app, "out of memory for the source's shape");
		else
			outline_make(st, &st->theirs.value);
	}
}

static const struct overlay_marks *conflicts_marks(struct app *app, void *self)
{
	struct conflicts_state *st = self;

	return st->noutline > 0 ? &st->marks : NULL;
}

/* ---- The rows and the selected one's changes --------------------------------------------- */

static void changes_clear(struct conflicts_state *st)
{
	if (st->parsed) {
		change_clear(&st->mine);
		change_clear(&st->theirs);
	}
	st->parsed = 0;
	st->has_theirs = 0;
	st->problem[0] = '\0';
}

static void changes_read(struct conflicts_state *st)
{
	const struct conflict_row *r = selected_row(st);
	enum change_kind kind;
	struct err err;

	changes_clear(st);
	if (r == NULL)
		return;
	memset(&st->mine, 0, sizeof st->mine);
	memset(&st->theirs, 0, sizeof st->theirs);
	if (change_kind_parse(r->op, &kind) < 0) {
		snprintf(st->problem, sizeof st->problem, "this annotty does not know '%s'", r->op);
		return;
	}
	if (change_from_json(kind, r->mine, &st->mine, &err) < 0 ||
	    (r->theirs != NULL && change_from_json(kind, r->theirs, &st->theirs, &err) < 0)) {
		change_clear(&st->mine);
		change_clear(&st->theirs);
		snprintf(st->problem, sizeof st->problem, "cannot read this conflict: %s", err.msg);
		return;
	}
	st->parsed = 1;
	st->has_theirs = r->theirs != NULL;
}

static void rows_clear(struct conflicts_state *st)
{
	cache_conflict_rows_clear(st->rows, st->nrows);
	st->nrows = 0;
}

/* Reads the rows again and selects the conflict `keep` (an outbox id) when it is still
 * there, else the row at the same place. */
static int rows_load(struct app *app, struct conflicts_state *st, int64_t keep)
{
	struct err err;
	int at = st->sel;

	rows_clear(st);
	if (st->rows == NULL && (st->rows = calloc(CONFLICTS_SHOWN, sizeof *st->rows)) == NULL) {
		app_error(app, "out of memory for the conflicts");
		return -1;
	}
	if (cache_conflicts_list(app->cache, app->dataset_id, st->rows, CONFLICTS_SHOWN, &st->nrows,
	                         &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	for (int i = 0; i < st->nrows; i++)
		if (st->rows[i].id == keep)
			at = i;
	st->sel = at >= st->nrows ? st->nrows - 1 : at < 0 ? 0 : at;
	return 0;
}

/* Everything about the selection again: its changes and its picture. */
static void selection_show(struct app *app, struct conflicts_state *st)
{
	changes_read(st);
	picture_make(app, st);
}

/* ---- Entering and leaving: the asset screen's view is kept aside -------------------------- */

static int conflicts_enter(struct app *app, void *self, const void *arg)
{
	struct conflicts_state *st = self;

	st->saved = app->asset;
	st->saved_loaded = app->asset_loaded;
	st->saved_selected = app->selected_shape;
	st->saved_overlays = app->overlays;
	st->saved_zoom = app->zoom;
	st->saved_cx = app->center_x;
	st->saved_cy = app->center_y;
	memset(&app->asset, 0, sizeof app->asset);
	app->asset_loaded = 0;
	app->overlays = 1;
	app->zoom = 1;
	app->center_x = app->center_y = 0;
	st->sel = 0;
	st->scroll = 0;
	rows_load(app, st, 0);
	selection_show(app, st);
	return 0;
}

static void conflicts_leave(struct app *app, void *self)
{
	struct conflicts_state *st = self;

	changes_clear(st);
	rows_clear(st);
	free(st->rows);
	st->rows = NULL;
	picture_drop(app);
	st->noutline = 0;
	app->asset = st->saved;
	app->asset_loaded = st->saved_loaded;
	app->selected_shape = st->saved_selected;
	app->overlays = st->saved_overlays;
	app->zoom = st->saved_zoom;
	app->center_x = st->saved_cx;
	app->center_y = st->saved_cy;
	memset(&st->saved, 0, sizeof st->saved);
	st->saved_loaded = 0;
	app->frame_dirty = 1;
}

static int conflicts_refresh(struct app *app, void *self)
{
	struct conflicts_state *st = self;
	const struct conflict_row *r = selected_row(st);

	rows_load(app, st, r ? r->id : 0);
	selection_show(app, st);
	return UI_REDRAW | UI_FRAME;
}

/* ---- What the action table calls ---------------------------------------------------------- */

int conflicts_move(struct app *app, int delta)
{
	struct conflicts_state *st = state_of(app);
	int to = st->sel + delta;

	to = to >= st->nrows ? st->nrows - 1 : to < 0 ? 0 : to;
	if (st->nrows == 0 || to == st->sel)
		return UI_NONE;
	st->sel = to;
	selection_show(app, st);
	return UI_REDRAW | UI_FRAME;
}

int conflicts_resolve(struct app *app, int take_theirs)
{
	struct conflicts_state *st = state_of(app);
	const struct conflict_row *r = selected_row(st);
	char name[512];
	struct err err;

	if (r == NULL) {
		app_error(app, "no conflict selected");
		return UI_REDRAW;
	}
	if (cache_conflict_resolve(app->cache, r->id,
	                           take_theirs ? CONFLICT_TAKE_THEIRS : CONFLICT_KEEP_MINE,
	                           &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	str_copy(name, r->asset_id ? r->filename : "a label", sizeof name);
	if (take_theirs)
		app_message(app, "took the source's version of the %s on %s", r->op, name);
	else
		app_message(app, "kept your %s on %s: it is sent again over the source's", r->op,
		            name);
	app_reload_pending(app);
	screens_mark_stale(app); /* the asset and the list below show what changed */
	rows_load(app, st, 0);
	selection_show(app, st);
	return UI_REDRAW | UI_FRAME | UI_RELOAD;
}

int conflicts_open(struct app *app)
{
	struct conflicts_state *st = state_of(app);
	const struct conflict_row *r = selected_row(st);
	int64_t id;
	int change;

	if (r == NULL || r->asset_id == 0) {
		app_error(app,
		          r == NULL ? "no conflict selected" : "a label conflict has no asset");
		return UI_REDRAW;
	}
	id = r->asset_id;
	change = screen_pop(app);
	list_reanchor(app, id);
	if (app->screen != SCREEN_ASSET)
		return change | screen_push(app, SCREEN_INDEX_ASSET, &id);
	if (app->asset.id != id)
		viewer_open(app, id);
	return change | UI_REDRAW | UI_FRAME;
}

/* ---- Drawing ------------------------------------------------------------------------------ */

static void draw_title(struct app *app, const struct conflicts_state *st)
{
	char left[600], right[64];
	int rw;

	snprintf(left, sizeof left, " annotty \xe2\x80\xba %s \xe2\x80\xba conflicts",
	         app->dataset.name);
	snprintf(right, sizeof right, "%d/%d%s ", st->nrows ? st->sel + 1 : 0, st->nrows,
	         st->nrows == CONFLICTS_SHOWN ? "+" : "");
	rw = str_width(right);
	attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', app->cols);
	ui_put(0, 0, app->cols - rw - 1, left, 0);
	mvaddstr(0, app->cols - rw, right);
	attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
}

static int list_rows(const struct app *app)
{
	int room = (app->rows - 3) / 2 - 1;

	return room < 1 ? 1 : room > LIST_ROWS_MAX ? LIST_ROWS_MAX : room;
}

static void draw_row(struct app *app, int y, int w, const struct conflict_row *r, int selected)
{
	char line[1024];

	snprintf(line, sizeof line, "%s %s  %s%s", r->refused ? "!" : " ",
	         r->asset_id ? r->filename : "(label)", conflict_kind_words(r->op),
	         r->refused ? "  REFUSED" : "");
	if (selected)
		attron(COLOR_PAIR(PAIR_SELECTED));
	mvhline(y, 0, ' ', w);
	ui_put(y, 0, w, line, 0);
	if (selected)
		attroff(COLOR_PAIR(PAIR_SELECTED));
}

/* The list's rows from y; returns the row after them. */
static int draw_list(struct app *app, struct conflicts_state *st, int y, int w)
{
	int vis = list_rows(app);

	if (st->sel < st->scroll)
		st->scroll = st->sel;
	if (st->sel >= st->scroll + vis)
		st->scroll = st->sel - vis + 1;
	attron(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	mvhline(y, 0, ' ', w);
	ui_put(y++, 1, w - 1, "ASSET / CHANGE", 0);
	attroff(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	if (st->nrows == 0) {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(y + 1, 2, w - 3, "No conflicts: every edit went through.", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
		return y + 3;
	}
	for (int i = st->scroll; i < st->nrows && i < st->scroll + vis; i++)
		draw_row(app, y++, w, &st->rows[i], i == st->sel);
	return y + 1;
}

static void draw_columns(int y, int w, const char *what, const char *mine, const char *theirs,
                         int bold)
{
	int side = (w - 11) / 2;

	if (bold)
		attron(A_BOLD);
	ui_put(y, 1, 9, what, 1);
	ui_put(y, 11, side - 1, mine, 1);
	ui_put(y, 11 + side, w - 11 - side, theirs, 1);
	if (bold)
		attroff(A_BOLD);
}

/* Both versions of the selected conflict, in words, from y down to bottom. */
static void draw_words(struct app *app, struct conflicts_state *st, int y, int w, int bottom)
{
	const struct conflict_row *r = selected_row(st);
	struct conflict_words words;
	char line[700];

	if (r == NULL)
		return;
	if (st->problem[0] != '\0') {
		ui_put(y, 1, w - 1, st->problem, 0);
		return;
	}
	conflict_words_make(st->mine.kind, &st->mine, st->has_theirs ? &st->theirs : NULL, &words);
	snprintf(line, sizeof line, "%s: %s", r->asset_id ? r->filename : "label", words.title);
	attron(A_BOLD);
	ui_put(y++, 1, w - 1, line, 0);
	attroff(A_BOLD);
	snprintf(line, sizeof line, "%s %s", r->refused ? "refused by the source:" : "source said:",
	         r->reason[0] ? r->reason : "(no reason given)");
	if (r->refused)
		attron(COLOR_PAIR(PAIR_REJECTED));
	ui_put(y++, 1, w - 1, line, 0);
	if (r->refused)
		attroff(COLOR_PAIR(PAIR_REJECTED));
	y++;
	draw_columns(y++, w, "", "mine", "theirs", 1);
	for (int i = 0; i < words.nlines && y < bottom; i++)
		draw_columns(y++, w, words.line[i].what, words.line[i].mine, words.line[i].theirs,
		             0);
	if (st->noutline > 0 && y + 1 < bottom) {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(++y, 1, w - 1, "image: mine selected, theirs in white", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
	if (y + 2 < bottom) {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(y + 2, 1, w - 1, "m mine  t theirs  Enter open  q back", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
}

static void draw_pane_text(struct app *app)
{
	int top, left, rows, cols;

	conflicts_pane(app, NULL, &top, &left, &rows, &cols);
	if (!app->frame_dirty && app->image_on_screen)
		return;
	for (int r = 0; r < rows; r++)
		mvhline(top + r, left, ' ', cols);
	attron(COLOR_PAIR(PAIR_DIM));
	if (!app->asset_loaded)
		ui_put(top + rows / 2, left + 2, cols - 4, "no picture for this conflict", 0);
	else if (app->graphics == GRAPHICS_NONE)
		ui_put(top + rows / 2, left + 2, cols - 4, "graphics are off", 0);
	attroff(COLOR_PAIR(PAIR_DIM));
}

static void conflicts_draw(struct app *app, void *self)
{
	struct conflicts_state *st = self;
	int w = left_width(app), bottom = app->rows - 2, y;

	draw_title(app, st);
	for (int r = 1; r < bottom; r++)
		mvhline(r, 0, ' ', w);
	mvvline(1, w, ACS_VLINE, app->rows - 3);
	y = draw_list(app, st, 1, w);
	draw_words(app, st, y, w, bottom);
	draw_pane_text(app);
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

const struct screen_ops screen_conflicts = {
    .name = "conflicts",
    .state_size = sizeof(struct conflicts_state),
    .flags = SCREEN_SHOWS_IMAGE,
    .enter = conflicts_enter,
    .leave = conflicts_leave,
    .draw = conflicts_draw,
    .refresh = conflicts_refresh,
    .pane = conflicts_pane,
    .marks = conflicts_marks,
};
