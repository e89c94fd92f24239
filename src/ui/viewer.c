/* The asset screen: the image pane (filled by frame.c) and the side panel: shapes, tags, the
 * keys 1-9 give to labels, and the label picker while it is open. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/task.h"
#include "core/palette.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static int side_width(const struct app *app)
{
	int w = app->cols / 4;

	return w < 24 ? 24 : w > 40 ? 40 : w;
}

static void viewer_close(struct app *app);

struct edit_state *edit_state_of(const struct app *app)
{
	struct asset_screen_state *st = screen_state(app, SCREEN_INDEX_ASSET);

	return &st->edit;
}

struct picker *picker_of(const struct app *app)
{
	struct asset_screen_state *st = screen_state(app, SCREEN_INDEX_ASSET);

	return &st->picker;
}

void viewer_pane(const struct app *app, int *top, int *left, int *rows, int *cols)
{
	enum screen_index on = screen_top(app);

	if (on < SCREEN_COUNT && screen_ops(on)->pane != NULL) { /* a pane of its own */
		screen_ops(on)->pane(app, screen_state(app, on), top, left, rows, cols);
		return;
	}
	*top = 1;
	*left = 0;
	*rows = app->rows - 3; /* title above; status bar and message line below */
	*cols = app->cols - side_width(app) - 1;
}

int viewer_open(struct app *app, int64_t asset_id)
{
	struct err err;
	int64_t previous = app->asset_loaded ? app->asset.id : 0;

	viewer_close(app);
	if (cache_asset_get(app->cache, asset_id, &app->asset, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app->asset_loaded = 1;
	if (previous != asset_id || app->selected_shape >= app->asset.nshapes)
		app->selected_shape = -1;
	if (previous != asset_id) { /* a new picture starts whole, outside any edit mode */
		edit_reset(app);
		app->zoom = 1;
		app->center_x = app->center_y = 0;
	}
	app->frame_dirty = 1;
	remote_asset_opened(app); /* a platform's image not in the store yet is asked for */
	return 0;
}

static void viewer_close(struct app *app)
{
	if (app->asset_loaded)
		cache_asset_detail_free(&app->asset);
	app->asset_loaded = 0;
	memset(&app->asset, 0, sizeof app->asset);
}

/* The first side-panel row of the shape list, shared by drawing and mouse hits. */
enum { SHAPES_FIRST_ROW = 3 };

static int shapes_visible(const struct app *app)
{
	/* leave room for the tags, and for the task in task mode */
	int room = app->rows - 3 - SHAPES_FIRST_ROW - 4 - task_panel_rows(app);

	return room < 1 ? 1 : room;
}

/* The first shape shown, so that the selected one stays in view. */
static int shapes_scroll(const struct app *app)
{
	int vis = shapes_visible(app), sel = app->selected_shape;

	return sel >= vis ? sel - vis + 1 : 0;
}

static void draw_shape_line(struct app *app, int y, int x, int w, int i)
{
	const struct shape *s = &app->asset.shapes[i];
	char line[512], kind[32];
	int selected = i == app->selected_shape, digit = 0;

	for (int d = 1; d <= 9 && s->label >= 0 && digit == 0; d++)
		if (edit_digit_label(app, d) == s->label)
			digit = d;
	if (selected)
		attron(COLOR_PAIR(PAIR_SELECTED));
	mvhline(y, x, ' ', w);
	if (digit > 0) /* the key that gives this label, so that it can be learnt */
		mvaddch(y, x, '0' + digit);
	attron(COLOR_PAIR(color_pair_for_label(s->label)));
	mvaddstr(y, x + 1, "\xe2\x96\xa0"); /* the label's colour swatch */
	attroff(COLOR_PAIR(color_pair_for_label(s->label)));
	if (selected)
		attron(COLOR_PAIR(PAIR_SELECTED));
	snprintf(kind, sizeof kind, "%s", shape_kind_name(s->kind));
	ui_put(y, x + 3, w - 4 - 8,
	       app->asset.shape_labels[i][0] ? app->asset.shape_labels[i] : "(no label)", 1);
	snprintf(line, sizeof line, "%7s", kind);
	ui_put(y, x + w - 8, 7, line, 1);
	if (selected)
		attroff(COLOR_PAIR(PAIR_SELECTED));
}

/* One line of what the keys do now, under the heading. */
static const char *side_hint(const struct app *app)
{
	switch (edit_state_of(app)->mode) {
	case EDIT_MOVE:
		return "hjkl move, r size, v vertex";
	case EDIT_RESIZE:
		return "Tab picks a side, hjkl moves";
	case EDIT_VERTEX:
		return "[ ] pick hjkl i add x del";
	case EDIT_CREATE:
		return edit_state_of(app)->kind == SHAPE_BOX ||
		               edit_state_of(app)->kind == SHAPE_POINT
		           ? "hjkl aim, Space places"
		           : "Space vertex, Enter ends";
	default:
		return app->asset.nshapes ? "Tab selects, e edits, b adds"
		                          : "b g _ . c add a shape";
	}
}

/* Which label each digit key gives, packed into as few lines as fit. */
static int draw_digit_legend(struct app *app, int y, int x, int w, int bottom)
{
	char line[1024] = "", item[300], clean[300], name[300];

	if (y + 1 >= bottom || edit_digit_label(app, 1) < 0)
		return y;
	attron(A_BOLD);
	ui_put(y++, x + 1, w - 2, "Label keys", 0);
	attroff(A_BOLD);
	for (int d = 1; d <= 9 && y < bottom && edit_digit_label(app, d) >= 0; d++) {
		str_sanitize(edit_state_of(app)->digit_name[d - 1], clean, sizeof clean);
		str_fit(clean, 20, 0, name, sizeof name); /* whole characters, long names cut */
		snprintf(item, sizeof item, "%d %s", d, name);
		if (line[0] && str_width(line) + 2 + str_width(item) > w - 3) {
			ui_put(y++, x + 2, w - 3, line, 0);
			line[0] = '\0';
		}
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s%s",
		         line[0] ? "  " : "", item);
	}
	if (line[0] && y < bottom)
		ui_put(y++, x + 2, w - 3, line, 0);
	return y;
}

static void draw_side(struct app *app, int x, int w)
{
	char head[64];
	int y = 1, first = shapes_scroll(app), vis = shapes_visible(app);
	int bottom = app->rows - 3 - task_panel_rows(app);

	for (int r = 1; r < app->rows - 2; r++)
		mvhline(r, x, ' ', w);
	mvvline(1, x - 1, ACS_VLINE, app->rows - 3);
	if (app->prompt.active && app->prompt.kind == PROMPT_LABEL) {
		picker_draw(app, x, w);
		return;
	}
	attron(A_BOLD);
	snprintf(head, sizeof head, "Shapes (%d)", app->asset.nshapes);
	ui_put(y, x + 1, w - 2, head, 0);
	attroff(A_BOLD);
	y = SHAPES_FIRST_ROW - 1;
	attron(COLOR_PAIR(PAIR_DIM));
	ui_put(y, x + 1, w - 2, side_hint(app), 0);
	attroff(COLOR_PAIR(PAIR_DIM));
	for (int i = first; i < app->asset.nshapes && i < first + vis; i++)
		draw_shape_line(app, SHAPES_FIRST_ROW + i - first, x, w, i);
	y = SHAPES_FIRST_ROW +
	    (app->asset.nshapes - first < vis ? app->asset.nshapes - first : vis) + 1;
	attron(A_BOLD);
	snprintf(head, sizeof head, "Tags (%d)", app->asset.ntags);
	if (y < bottom)
		ui_put(y++, x + 1, w - 2, head, 0);
	attroff(A_BOLD);
	for (int i = 0; i < app->asset.ntags && y < bottom; i++)
		ui_put(y++, x + 2, w - 3, app->asset.tags[i], 0);
	draw_digit_legend(app, y + 1, x, w, bottom);
	task_panel_draw(app, x, w, bottom);
}

static void draw_pane_text(struct app *app)
{
	int top, left, rows, cols;

	viewer_pane(app, &top, &left, &rows, &cols);
	for (int r = 0; r < rows; r++)
		mvhline(top + r, left, ' ', cols);
	if (app->graphics == GRAPHICS_NONE) {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(top + rows / 2, left + 2, cols - 4,
		       "graphics are off (:graphics sixel or :graphics blocks)", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
}

static void viewer_draw(struct app *app, void *self)
{
	char crumb[700];

	snprintf(crumb, sizeof crumb, "%s", app->asset.filename);
	chrome_draw_title(app, crumb);
	if (app->frame_dirty || !app->image_on_screen)
		draw_pane_text(app);
	draw_side(app, app->cols - side_width(app), side_width(app));
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

static int viewer_shape_at(const struct app *app, int screen_row, int screen_col)
{
	int i = screen_row - SHAPES_FIRST_ROW + shapes_scroll(app);

	if (screen_col < app->cols - side_width(app) || screen_row < SHAPES_FIRST_ROW ||
	    screen_row >= SHAPES_FIRST_ROW + shapes_visible(app))
		return -1;
	return i >= 0 && i < app->asset.nshapes ? i : -1;
}

/* ---- The asset screen ----------------------------------------------------------------------- */

/* Entered with the asset's row id (const int64_t *). */
static int viewer_enter(struct app *app, void *self, const void *arg)
{
	return viewer_open(app, *(const int64_t *)arg);
}

/* Back to the list: the list's window is rebuilt around the asset that was open. */
static void viewer_leave(struct app *app, void *self)
{
	int64_t id = app->asset.id;

	edit_reset(app);
	viewer_close(app);
	list_reanchor(app, id);
	task_mode_leave(app);
}

/* Every key counts as work on an open task (its time is measured); the table does the rest. */
static int viewer_key(struct app *app, void *self, int key)
{
	task_mode_activity(app);
	return SCREEN_KEY_ACTIONS;
}

int viewer_refresh(struct app *app)
{
	int64_t id = app->asset.id;

	if (!app->asset_loaded)
		return UI_NONE;
	edit_refresh(app);
	if (app->asset_loaded)
		return UI_REDRAW | UI_FRAME;
	/* gone from the cache beside this annotty (a re-import, another process) */
	app_error(app, "asset %lld is no longer in the cache", (long long)id);
	return screen_pop(app) | UI_RELOAD;
}

static int viewer_refresh_hook(struct app *app, void *self)
{
	return viewer_refresh(app);
}

/* The wheel zooms; a press on the side panel's list selects that shape, one on the picture
 * takes hold of what is there (edit_press). */
static int viewer_mouse(struct app *app, void *self, const struct screen_mouse *m)
{
	int i;

	switch (m->kind) {
	case MOUSE_WHEEL_UP:
	case MOUSE_WHEEL_DOWN:
		return actions_dispatch(
		    app, actions_find(m->kind == MOUSE_WHEEL_UP ? "zoom-in" : "zoom-out"), NULL);
	case MOUSE_DRAG:
		return edit_drag(app, m->row, m->col);
	case MOUSE_RELEASE:
		return edit_release(app, m->row, m->col);
	case MOUSE_PRESS:
	case MOUSE_DOUBLE:
		if ((i = viewer_shape_at(app, m->row, m->col)) >= 0)
			return edit_select(app, i);
		return edit_press(app, m->row, m->col);
	default:
		return UI_NONE;
	}
}

const struct screen_ops screen_asset = {
    .name = "asset",
    .state_size = sizeof(struct asset_screen_state),
    .flags = SCREEN_SHOWS_IMAGE,
    .enter = viewer_enter,
    .leave = viewer_leave,
    .draw = viewer_draw,
    .key = viewer_key,
    .mouse = viewer_mouse,
    .refresh = viewer_refresh_hook,
};
