/* The action table and its dispatcher (see actions.h). Handlers are small and return what
 * changed; none of them draws. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c)  ((c)&0x1f)
#define BOTH     (SCREEN_LIST | SCREEN_ASSET)
#define EDITING  (SCREEN_EDIT | SCREEN_CREATE)
#define ANYWHERE (BOTH | EDITING)

unsigned actions_context(const struct app *app)
{
	if (app->screen != SCREEN_ASSET || edit_state_of(app)->mode == EDIT_NONE)
		return app->screen;
	return edit_state_of(app)->mode == EDIT_CREATE ? SCREEN_CREATE : SCREEN_EDIT;
}

/* The key that found the action being run (0 for a ':' command): one row binds the digits. */
static int pressed_key;

/* The asset the user is looking at: the open one, or the selected list row. */
static int64_t current_asset_id(const struct app *app)
{
	const struct asset_row *row;

	if (app->screen == SCREEN_ASSET && app->asset_loaded)
		return app->asset.id;
	row = list_current(app);
	return row ? row->id : 0;
}

static int refresh_after_edit(struct app *app, int64_t asset_id)
{
	app_reload_pending(app);
	if (app->screen == SCREEN_ASSET && app->asset_loaded && app->asset.id == asset_id)
		viewer_open(app, asset_id);
	return UI_REDRAW | UI_RELOAD;
}

static int run_review(struct app *app, enum review_status status, int advance)
{
	struct err err;
	int64_t id = current_asset_id(app);

	if (cache_review_set(app->cache, id, status, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	app_message(app, "%s",
	            status == REVIEW_ACCEPTED   ? "accepted"
	            : status == REVIEW_REJECTED ? "rejected"
	                                        : "review reset to pending");
	refresh_after_edit(app, id);
	if (advance && app->screen == SCREEN_ASSET) {
		if (list_move(app, 1) > 0 && list_current(app) != NULL)
			viewer_open(app, list_current(app)->id);
		else
			app_message(app, "%s; this was the last asset",
			            status == REVIEW_ACCEPTED ? "accepted" : "rejected");
		return UI_REDRAW | UI_FRAME;
	}
	if (advance)
		list_move(app, 1);
	return UI_REDRAW | UI_RELOAD;
}

/* Accepting after a fix: the edit mode ends, the review is recorded, the next asset opens. */
static int act_accept(struct app *app, const char *arg)
{
	edit_reset(app);
	return run_review(app, REVIEW_ACCEPTED, 1);
}

static int act_reject(struct app *app, const char *arg)
{
	edit_reset(app);
	return run_review(app, REVIEW_REJECTED, 1);
}

static int act_reset(struct app *app, const char *arg)
{
	return run_review(app, REVIEW_PENDING, 0);
}

static int tag_edit(struct app *app, const char *tag, int add)
{
	struct err err;
	int64_t id = current_asset_id(app);
	int rc = add ? cache_tag_add(app->cache, id, tag, &err)
	             : cache_tag_remove(app->cache, id, tag, &err);

	if (rc < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	app_message(app, "%s tag %s", add ? "added" : "removed", tag);
	return refresh_after_edit(app, id);
}

static int act_tag(struct app *app, const char *arg)
{
	if (arg != NULL && arg[0] != '\0')
		return tag_edit(app, arg, 1);
	prompt_open(app, PROMPT_TAG_ADD, "tag: ", "");
	return UI_REDRAW;
}

static int act_untag(struct app *app, const char *arg)
{
	if (arg != NULL && arg[0] != '\0')
		return tag_edit(app, arg, 0);
	prompt_open(app, PROMPT_TAG_REMOVE, "remove tag: ", "");
	return UI_REDRAW;
}

static int act_undo(struct app *app, const char *arg)
{
	return edit_history(app, 0);
}

static int act_redo(struct app *app, const char *arg)
{
	return edit_history(app, 1);
}

static int act_down(struct app *app, const char *arg)
{
	list_move(app, 1);
	return UI_REDRAW;
}

static int act_up(struct app *app, const char *arg)
{
	list_move(app, -1);
	return UI_REDRAW;
}

static int act_page_down(struct app *app, const char *arg)
{
	list_move(app, app->list.page > 1 ? app->list.page - 1 : 1);
	return UI_REDRAW;
}

static int act_page_up(struct app *app, const char *arg)
{
	list_move(app, -(app->list.page > 1 ? app->list.page - 1 : 1));
	return UI_REDRAW;
}

static int act_top(struct app *app, const char *arg)
{
	list_reload_top(app);
	return UI_REDRAW;
}

static int act_bottom(struct app *app, const char *arg)
{
	list_go_bottom(app);
	return UI_REDRAW;
}

static int act_open(struct app *app, const char *arg)
{
	const struct asset_row *row = list_current(app);

	if (row == NULL)
		return UI_REDRAW;
	return screen_push(app, SCREEN_INDEX_ASSET, &row->id);
}

static int step_asset(struct app *app, int delta)
{
	if (list_move(app, delta) == 0) {
		app_message(app, delta > 0 ? "this is the last asset" : "this is the first asset");
		return UI_REDRAW;
	}
	viewer_open(app, list_current(app)->id);
	return UI_REDRAW | UI_FRAME;
}

static int act_next(struct app *app, const char *arg)
{
	return step_asset(app, 1);
}

static int act_prev(struct app *app, const char *arg)
{
	return step_asset(app, -1);
}

enum { ZOOM_MAX = 32, ZOOM_POINT = 8 };

/* Keeps the view's centre where the zoomed region stays inside the image. */
static void view_clamp(struct app *app)
{
	double w = app->asset.width, h = app->asset.height;
	double hw = w / app->zoom / 2, hh = h / app->zoom / 2;

	if (app->center_x <= 0)
		app->center_x = w / 2;
	if (app->center_y <= 0)
		app->center_y = h / 2;
	app->center_x = app->center_x < hw ? hw : app->center_x > w - hw ? w - hw : app->center_x;
	app->center_y = app->center_y < hh ? hh : app->center_y > h - hh ? h - hh : app->center_y;
}

static int zoom_to(struct app *app, double zoom)
{
	app->zoom = zoom < 1.01 ? 1 : zoom > ZOOM_MAX ? ZOOM_MAX : zoom;
	if (app->zoom == 1)
		app->center_x = app->center_y = 0;
	else
		view_clamp(app);
	app_message(app, "zoom %.0f%%", app->zoom * 100);
	return UI_REDRAW | UI_FRAME;
}

static int act_zoom_in(struct app *app, const char *arg)
{
	return zoom_to(app, app->zoom * 1.5);
}

static int act_zoom_out(struct app *app, const char *arg)
{
	return zoom_to(app, app->zoom / 1.5);
}

/* In an edit mode a 0 after a count digit is part of the count (10l), as in vi. */
static int act_zoom_fit(struct app *app, const char *arg)
{
	if (edit_state_of(app)->mode != EDIT_NONE && edit_state_of(app)->taken_count > 0 &&
	    arg == NULL)
		return edit_count_digit(app, 0);
	return zoom_to(app, 1);
}

/* Zooms so that the selected shape fills about two thirds of the view. */
static int act_zoom_shape(struct app *app, const char *arg)
{
	const struct rect *b = &app->asset.shapes[app->selected_shape].box;
	/* a point has no size: show it with some context around it */
	double zw = b->w > 1 ? app->asset.width / (b->w * 1.5) : ZOOM_POINT;
	double zh = b->h > 1 ? app->asset.height / (b->h * 1.5) : ZOOM_POINT;

	app->center_x = b->x + b->w / 2;
	app->center_y = b->y + b->h / 2;
	return zoom_to(app, zw < zh ? zw : zh);
}

/* Arrows and hjkl pan a zoomed image by a quarter of the view; on a whole image j and k go
 * to the next and previous asset, as in the list. */
static int pan(struct app *app, int dx, int dy)
{
	if (app->zoom <= 1) {
		if (dy != 0)
			return step_asset(app, dy);
		app_message(app, "the whole image is shown (+ zooms in)");
		return UI_REDRAW;
	}
	app->center_x += dx * app->asset.width / app->zoom / 4;
	app->center_y += dy * app->asset.height / app->zoom / 4;
	view_clamp(app);
	return UI_REDRAW | UI_FRAME;
}

static int act_pan_left(struct app *app, const char *arg)
{
	return pan(app, -1, 0);
}

/* With nothing to pan (the whole image shown), l relabels the selected shape, as L does. */
static int act_pan_right(struct app *app, const char *arg)
{
	if (app->zoom <= 1 && app->selected_shape >= 0)
		return edit_relabel(app, NULL);
	return pan(app, 1, 0);
}

static int act_pan_up(struct app *app, const char *arg)
{
	return pan(app, 0, -1);
}

static int act_pan_down(struct app *app, const char *arg)
{
	return pan(app, 0, 1);
}

static int cycle_shape(struct app *app, int delta)
{
	int n = app->asset.nshapes;

	return edit_select(app, app->selected_shape < 0 ? (delta > 0 ? 0 : n - 1)
	                                                : (app->selected_shape + delta + n) % n);
}

static int act_next_shape(struct app *app, const char *arg)
{
	return cycle_shape(app, 1);
}

static int act_prev_shape(struct app *app, const char *arg)
{
	return cycle_shape(app, -1);
}

static int act_overlays(struct app *app, const char *arg)
{
	app->overlays = !app->overlays;
	app_message(app, app->overlays ? "overlays shown" : "overlays hidden");
	return UI_REDRAW | UI_FRAME;
}

/* q: back to the screen below; from the first screen, quit. */
static int act_back(struct app *app, const char *arg)
{
	edit_reset(app);
	return screen_pop(app);
}

static int act_quit(struct app *app, const char *arg)
{
	return UI_QUIT;
}

static int act_cancel(struct app *app, const char *arg)
{
	if (app->screen == SCREEN_ASSET && edit_state_of(app)->mode != EDIT_NONE)
		return edit_leave(app);
	if (app->screen == SCREEN_ASSET && app->selected_shape >= 0)
		return edit_select(app, -1);
	if (app->screen == SCREEN_LIST && app->list.query.filter != FILTER_NONE) {
		list_set_filter(app, "");
		app_message(app, "filter cleared");
		return UI_REDRAW;
	}
	app->message[0] = '\0';
	return UI_REDRAW;
}

static int act_help(struct app *app, const char *arg)
{
	return screen_push(app, SCREEN_INDEX_HELP, NULL);
}

static int act_command(struct app *app, const char *arg)
{
	prompt_open(app, PROMPT_COMMAND, ":", "");
	return UI_REDRAW;
}

static int act_filter(struct app *app, const char *arg)
{
	if (arg != NULL) {
		list_set_filter(app, arg);
		return UI_REDRAW;
	}
	prompt_open(app, PROMPT_FILTER, "/", app->list.query.filter_text);
	return UI_REDRAW;
}

static const char *const sort_names[SORT_COUNT] = {"filename", "status", "shapes", "size"};

static int act_sort(struct app *app, const char *arg)
{
	struct asset_query *q = &app->list.query;
	int64_t id = list_current(app) ? list_current(app)->id : 0;

	if (arg != NULL && arg[0] != '\0') {
		int i = 0;
		while (i < SORT_COUNT && strcmp(arg, sort_names[i]) != 0)
			i++;
		if (i == SORT_COUNT) {
			app_error(app, "unknown sort key; use filename, status, shapes or size");
			return UI_REDRAW;
		}
		q->sort = (enum asset_sort)i;
	} else {
		q->sort = (enum asset_sort)((q->sort + 1) % SORT_COUNT);
	}
	app_message(app, "sorted by %s%s", sort_names[q->sort],
	            q->descending ? ", descending" : "");
	list_reanchor(app, id);
	return UI_REDRAW;
}

static int act_reverse(struct app *app, const char *arg)
{
	int64_t id = list_current(app) ? list_current(app)->id : 0;

	app->list.query.descending = !app->list.query.descending;
	app_message(app, "sorted by %s%s", sort_names[app->list.query.sort],
	            app->list.query.descending ? ", descending" : "");
	list_reanchor(app, id);
	return UI_REDRAW;
}

static int act_redraw(struct app *app, const char *arg)
{
	clearok(curscr, TRUE);
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

static int act_lowband(struct app *app, const char *arg)
{
	if (arg == NULL || arg[0] == '\0')
		app->low_bandwidth = !app->low_bandwidth;
	else if (strcmp(arg, "on") == 0)
		app->low_bandwidth = 1;
	else if (strcmp(arg, "off") == 0)
		app->low_bandwidth = 0;
	else {
		app_error(app, "lowband takes on or off (or nothing, to switch)");
		return UI_REDRAW;
	}
	app_message(app, "low bandwidth %s",
	            app->low_bandwidth ? "on: fewer colours, fewer bytes" : "off");
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

static int act_graphics(struct app *app, const char *arg)
{
	enum graphics_mode mode;

	if (arg == NULL || graphics_mode_parse(arg, &mode) < 0) {
		app_error(app,
		          "graphics takes sixel, kitty, kitty-tmux, iterm2, blocks, none or auto");
		return UI_REDRAW;
	}
	app->graphics = term_choose_graphics(mode, &app->caps);
	app_message(app, "graphics: %s", graphics_mode_name(app->graphics));
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

/* ---- Editing shapes (edit.c does the work) ----------------------------------------------- */

static int act_edit(struct app *app, const char *arg)
{
	return edit_enter(app);
}

static int act_edit_move(struct app *app, const char *arg)
{
	return edit_set_mode(app, EDIT_MOVE);
}

static int act_edit_resize(struct app *app, const char *arg)
{
	return edit_set_mode(app, EDIT_RESIZE);
}

static int act_edit_vertex(struct app *app, const char *arg)
{
	return edit_set_mode(app, EDIT_VERTEX);
}

static int act_nudge_left(struct app *app, const char *arg)
{
	return edit_nudge(app, -1, 0, 1);
}

static int act_nudge_right(struct app *app, const char *arg)
{
	return edit_nudge(app, 1, 0, 1);
}

static int act_nudge_up(struct app *app, const char *arg)
{
	return edit_nudge(app, 0, -1, 1);
}

static int act_nudge_down(struct app *app, const char *arg)
{
	return edit_nudge(app, 0, 1, 1);
}

static int act_jump_left(struct app *app, const char *arg)
{
	return edit_nudge(app, -1, 0, EDIT_JUMP);
}

static int act_jump_right(struct app *app, const char *arg)
{
	return edit_nudge(app, 1, 0, EDIT_JUMP);
}

static int act_jump_up(struct app *app, const char *arg)
{
	return edit_nudge(app, 0, -1, EDIT_JUMP);
}

static int act_jump_down(struct app *app, const char *arg)
{
	return edit_nudge(app, 0, 1, EDIT_JUMP);
}

/* A digit key's value, or a ':' command's argument. */
static int digit_of(const char *arg)
{
	if (arg != NULL)
		return arg[0] >= '0' && arg[0] <= '9' && arg[1] == '\0' ? arg[0] - '0' : -1;
	return pressed_key >= '0' && pressed_key <= '9' ? pressed_key - '0' : -1;
}

static int act_count(struct app *app, const char *arg)
{
	int d = digit_of(arg);

	if (d < 0) {
		app_error(app, "count takes a digit");
		return UI_REDRAW;
	}
	return edit_count_digit(app, d);
}

static int act_edit_next(struct app *app, const char *arg)
{
	return edit_step_item(app, 1);
}

static int act_edit_prev(struct app *app, const char *arg)
{
	return edit_step_item(app, -1);
}

static int act_vertex_insert(struct app *app, const char *arg)
{
	return edit_vertex_insert(app);
}

static int act_vertex_delete(struct app *app, const char *arg)
{
	return edit_vertex_delete(app);
}

static int act_place(struct app *app, const char *arg)
{
	return edit_place(app);
}

static int act_finish(struct app *app, const char *arg)
{
	return edit_finish(app);
}

static int act_unplace(struct app *app, const char *arg)
{
	return edit_unplace(app);
}

static int act_new_box(struct app *app, const char *arg)
{
	return edit_create(app, SHAPE_BOX);
}

static int act_new_polygon(struct app *app, const char *arg)
{
	return edit_create(app, SHAPE_POLYGON);
}

static int act_new_line(struct app *app, const char *arg)
{
	return edit_create(app, SHAPE_LINE);
}

static int act_new_point(struct app *app, const char *arg)
{
	return edit_create(app, SHAPE_POINT);
}

static int act_new_class(struct app *app, const char *arg)
{
	return edit_create(app, SHAPE_CLASSIFICATION);
}

static int act_label(struct app *app, const char *arg)
{
	return edit_relabel(app, arg);
}

static int act_quick_label(struct app *app, const char *arg)
{
	int d = digit_of(arg);

	if (d < 1) {
		app_error(app, "quick-label takes a digit from 1 to 9");
		return UI_REDRAW;
	}
	return edit_quick_label(app, d);
}

static int act_delete_shape(struct app *app, const char *arg)
{
	return edit_delete_shape(app);
}

static int act_duplicate(struct app *app, const char *arg)
{
	return edit_duplicate(app);
}

static int act_text(struct app *app, const char *arg)
{
	const char *now = app->asset.shapes[app->selected_shape].text;

	if (arg != NULL)
		return edit_set_text(app, arg);
	prompt_open(app, PROMPT_TEXT, "text: ", now ? now : "");
	return UI_REDRAW;
}

static const struct action action_table[] = {
    {"help", "?", {'?', KEY_F(1)}, ANYWHERE, 0, NULL, "show this help", act_help},
    {"command", ":", {':'}, ANYWHERE, 0, NULL, "enter a command", act_command},
    {"quit", "q", {'q'}, ANYWHERE, 0, NULL, "go back; quit from the asset list", act_back},
    {"exit", "Q", {'Q'}, ANYWHERE, 0, NULL, "quit annotty", act_quit},
    {"cancel",
     "Esc",
     {27},
     ANYWHERE,
     0,
     NULL,
     "leave the edit mode, or clear the selection or the filter",
     act_cancel},
    {"redraw", "C-l", {CTRL('l')}, ANYWHERE, 0, NULL, "redraw the screen", act_redraw},
    {"down", "j Down", {'j', KEY_DOWN}, SCREEN_LIST, 0, NULL, "next row", act_down},
    {"up", "k Up", {'k', KEY_UP}, SCREEN_LIST, 0, NULL, "previous row", act_up},
    {"page-down",
     "C-f PgDn",
     {CTRL('f'), KEY_NPAGE, ' '},
     SCREEN_LIST,
     0,
     NULL,
     "next page",
     act_page_down},
    {"page-up",
     "C-b PgUp",
     {CTRL('b'), KEY_PPAGE},
     SCREEN_LIST,
     0,
     NULL,
     "previous page",
     act_page_up},
    {"top", "g Home", {'g', KEY_HOME}, SCREEN_LIST, 0, NULL, "first row", act_top},
    {"bottom", "G End", {'G', KEY_END}, SCREEN_LIST, 0, NULL, "last row", act_bottom},
    {"open",
     "Enter l",
     {'\n', KEY_ENTER, 'l', KEY_RIGHT},
     SCREEN_LIST,
     NEEDS_ASSET,
     NULL,
     "open the asset",
     act_open},
    {"filter",
     "/",
     {'/'},
     SCREEN_LIST,
     TAKES_ARG,
     "text",
     "filter by filename, or label:X tag:X status:X file:X",
     act_filter},
    {"sort",
     "s",
     {'s'},
     SCREEN_LIST,
     TAKES_ARG,
     "key",
     "sort by the next key (or: filename, status, shapes, size)",
     act_sort},
    {"reverse", "S", {'S'}, SCREEN_LIST, 0, NULL, "reverse the sort order", act_reverse},
    {"next", "n", {'n'}, SCREEN_ASSET, NEEDS_ASSET, NULL, "next asset", act_next},
    {"prev", "p", {'p'}, SCREEN_ASSET, NEEDS_ASSET, NULL, "previous asset", act_prev},
    {"next-shape",
     "Tab",
     {'\t'},
     SCREEN_ASSET,
     NEEDS_SHAPES,
     NULL,
     "select the next shape",
     act_next_shape},
    {"prev-shape",
     "S-Tab",
     {KEY_BTAB},
     SCREEN_ASSET,
     NEEDS_SHAPES,
     NULL,
     "select the previous shape",
     act_prev_shape},
    {"overlays",
     "o",
     {'o'},
     SCREEN_ASSET | EDITING,
     0,
     NULL,
     "hide or show the shapes",
     act_overlays},
    {"zoom-in",
     "+ =",
     {'+', '='},
     SCREEN_ASSET | EDITING,
     NEEDS_ASSET,
     NULL,
     "zoom in around the centre",
     act_zoom_in},
    {"zoom-out", "-", {'-'}, SCREEN_ASSET | EDITING, NEEDS_ASSET, NULL, "zoom out", act_zoom_out},
    {"zoom-fit",
     "0",
     {'0'},
     SCREEN_ASSET | EDITING,
     NEEDS_ASSET,
     NULL,
     "show the whole image (after a count digit: part of the count)",
     act_zoom_fit},
    {"zoom-shape",
     "z",
     {'z'},
     SCREEN_ASSET | SCREEN_EDIT,
     NEEDS_SELECTION,
     NULL,
     "zoom to the selected shape",
     act_zoom_shape},
    {"pan-left",
     "h Left",
     {'h', KEY_LEFT},
     SCREEN_ASSET,
     NEEDS_ASSET,
     NULL,
     "pan left (when zoomed)",
     act_pan_left},
    {"pan-right",
     "l Right",
     {'l', KEY_RIGHT},
     SCREEN_ASSET,
     NEEDS_ASSET,
     NULL,
     "pan right when zoomed; else relabel the selected shape, like L",
     act_pan_right},
    {"pan-up",
     "k Up",
     {'k', KEY_UP},
     SCREEN_ASSET,
     NEEDS_ASSET,
     NULL,
     "pan up; the previous asset when not zoomed",
     act_pan_up},
    {"pan-down",
     "j Down",
     {'j', KEY_DOWN},
     SCREEN_ASSET,
     NEEDS_ASSET,
     NULL,
     "pan down; the next asset when not zoomed",
     act_pan_down},
    {"edit",
     "e",
     {'e'},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES,
     NULL,
     "edit the selected shape: the movement keys move it",
     act_edit},
    {"label",
     "L",
     {'L'},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES | TAKES_ARG,
     "name",
     "relabel the selected shape (a picker; a new name creates the label)",
     act_label},
    {"quick-label",
     "1-9",
     {'1', '2', '3', '4', '5', '6', '7', '8', '9'},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES | TAKES_ARG,
     "digit",
     "give the selected shape the label of that key (shown beside the labels)",
     act_quick_label},
    {"delete-shape",
     "d Delete",
     {'d', KEY_DC},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES,
     NULL,
     "delete the selected shape",
     act_delete_shape},
    {"duplicate",
     "D",
     {'D'},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES,
     NULL,
     "copy the selected shape, a little aside",
     act_duplicate},
    {"text",
     "\"",
     {'"'},
     SCREEN_ASSET,
     NEEDS_SELECTION | WRITES | TAKES_ARG,
     "text",
     "edit the selected shape's text",
     act_text},
    {"new-box",
     "b",
     {'b'},
     SCREEN_ASSET,
     NEEDS_ASSET | WRITES,
     NULL,
     "draw a new box with a crosshair",
     act_new_box},
    {"new-polygon",
     "g",
     {'g'},
     SCREEN_ASSET,
     NEEDS_ASSET | WRITES,
     NULL,
     "draw a new polygon, vertex by vertex",
     act_new_polygon},
    {"new-line",
     "_",
     {'_'},
     SCREEN_ASSET,
     NEEDS_ASSET | WRITES,
     NULL,
     "draw a new line, vertex by vertex",
     act_new_line},
    {"new-point",
     ".",
     {'.'},
     SCREEN_ASSET,
     NEEDS_ASSET | WRITES,
     NULL,
     "place a new point",
     act_new_point},
    {"new-class",
     "c",
     {'c'},
     SCREEN_ASSET,
     NEEDS_ASSET | WRITES,
     NULL,
     "classify the whole image (asks for the label)",
     act_new_class},
    {"nudge-left",
     "h Left",
     {'h', KEY_LEFT},
     EDITING,
     0,
     NULL,
     "move left by one screen pixel's worth (a count before it: that many)",
     act_nudge_left},
    {"nudge-down", "j Down", {'j', KEY_DOWN}, EDITING, 0, NULL, "move down", act_nudge_down},
    {"nudge-up", "k Up", {'k', KEY_UP}, EDITING, 0, NULL, "move up", act_nudge_up},
    {"nudge-right", "l Right", {'l', KEY_RIGHT}, EDITING, 0, NULL, "move right", act_nudge_right},
    {"jump-left",
     "H S-Left",
     {'H', KEY_SLEFT},
     EDITING,
     0,
     NULL,
     "move left by ten steps",
     act_jump_left},
    {"jump-down", "J S-Down", {'J', KEY_SF}, EDITING, 0, NULL, "move down by ten", act_jump_down},
    {"jump-up", "K S-Up", {'K', KEY_SR}, EDITING, 0, NULL, "move up by ten", act_jump_up},
    {"jump-right",
     "L S-Right",
     {'L', KEY_SRIGHT},
     EDITING,
     0,
     NULL,
     "move right by ten",
     act_jump_right},
    {"count",
     "1-9",
     {'1', '2', '3', '4', '5', '6', '7', '8', '9'},
     EDITING,
     TAKES_ARG,
     "digit",
     "a count for the next move (5l moves five steps)",
     act_count},
    {"edit-move",
     "m",
     {'m'},
     SCREEN_EDIT,
     0,
     NULL,
     "the movement keys move the whole shape",
     act_edit_move},
    {"edit-resize",
     "r",
     {'r'},
     SCREEN_EDIT,
     0,
     NULL,
     "the movement keys move one edge or corner of a box",
     act_edit_resize},
    {"edit-vertex",
     "v",
     {'v'},
     SCREEN_EDIT,
     0,
     NULL,
     "the movement keys move one vertex of a polygon or line",
     act_edit_vertex},
    {"edit-next",
     "Tab ]",
     {'\t', ']'},
     SCREEN_EDIT,
     0,
     NULL,
     "the next handle (resize), vertex (vertex) or shape (move)",
     act_edit_next},
    {"edit-prev",
     "S-Tab [",
     {KEY_BTAB, '['},
     SCREEN_EDIT,
     0,
     NULL,
     "the previous handle, vertex or shape",
     act_edit_prev},
    {"vertex-insert",
     "i a",
     {'i', 'a'},
     SCREEN_EDIT,
     0,
     NULL,
     "insert a vertex after the selected one",
     act_vertex_insert},
    {"vertex-delete",
     "x Delete",
     {'x', KEY_DC},
     SCREEN_EDIT,
     0,
     NULL,
     "delete the selected vertex",
     act_vertex_delete},
    {"place",
     "Space",
     {' '},
     SCREEN_CREATE,
     0,
     NULL,
     "set a corner, or place a vertex, at the crosshair",
     act_place},
    {"finish",
     "Enter",
     {'\n', KEY_ENTER},
     EDITING,
     0,
     NULL,
     "finish the new shape (then pick its label); in an edit mode: done",
     act_finish},
    {"unplace",
     "Backspace",
     {KEY_BACKSPACE, 127, 8},
     SCREEN_CREATE,
     0,
     NULL,
     "take back the last corner or vertex",
     act_unplace},
    {"accept",
     "A",
     {'A'},
     BOTH | SCREEN_EDIT,
     NEEDS_ASSET | WRITES,
     NULL,
     "accept the annotation and go to the next asset",
     act_accept},
    {"reject",
     "R",
     {'R'},
     BOTH | SCREEN_EDIT,
     NEEDS_ASSET | WRITES,
     NULL,
     "reject the annotation and go to the next asset",
     act_reject},
    {"reset",
     "P",
     {'P'},
     BOTH,
     NEEDS_ASSET | WRITES,
     NULL,
     "set the review back to pending",
     act_reset},
    {"tag", "t", {'t'}, BOTH, NEEDS_ASSET | WRITES | TAKES_ARG, "name", "add a tag", act_tag},
    {"untag",
     "T",
     {'T'},
     BOTH,
     NEEDS_ASSET | NEEDS_TAGS | WRITES | TAKES_ARG,
     "name",
     "remove a tag",
     act_untag},
    {"undo",
     "u",
     {'u'},
     BOTH | SCREEN_EDIT,
     WRITES,
     NULL,
     "undo the last edit (it may be on another asset: that one opens)",
     act_undo},
    {"redo",
     "C-r",
     {CTRL('r')},
     BOTH | SCREEN_EDIT,
     WRITES,
     NULL,
     "redo the last undone edit",
     act_redo},
    {"graphics",
     "",
     {0},
     ANYWHERE,
     TAKES_ARG,
     "mode",
     "image output: sixel, kitty, kitty-tmux, iterm2, blocks, none, auto",
     act_graphics},
    {"lowband",
     "",
     {0},
     ANYWHERE,
     TAKES_ARG,
     "[on|off]",
     "fewer colours and bytes per frame for a slow link (switches without an argument)",
     act_lowband},
};

const struct action *actions_table(int *count)
{
	*count = (int)(sizeof action_table / sizeof action_table[0]);
	return action_table;
}

const struct action *actions_find(const char *name)
{
	int n;
	const struct action *t = actions_table(&n);

	for (int i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

const struct action *actions_for_key(const struct app *app, int key)
{
	int n;
	const struct action *t = actions_table(&n);
	unsigned where = actions_context(app);

	for (int i = 0; i < n; i++) {
		if (!(t[i].screens & where))
			continue;
		for (int k = 0; k < ACTION_MAX_KEYS && t[i].key[k] != 0; k++)
			if (t[i].key[k] == key) {
				pressed_key = key;
				return &t[i];
			}
	}
	return NULL;
}

const char *actions_unavailable(const struct app *app, const struct action *a)
{
	if ((a->needs & NEEDS_ASSET) && app->screen != SCREEN_ASSET && list_current(app) == NULL)
		return "no asset selected";
	if ((a->needs & NEEDS_SHAPES) && (app->screen != SCREEN_ASSET || app->asset.nshapes == 0))
		return "this asset has no shapes";
	if ((a->needs & NEEDS_SELECTION) &&
	    (app->screen != SCREEN_ASSET || app->selected_shape < 0 ||
	     app->selected_shape >= app->asset.nshapes))
		return "no shape selected (Tab selects one)";
	if ((a->needs & NEEDS_TAGS) && app->screen == SCREEN_ASSET && app->asset.ntags == 0)
		return "this asset has no tags";
	if ((a->needs & NEEDS_TAGS) && app->screen == SCREEN_LIST && list_current(app) != NULL &&
	    list_current(app)->tags[0] == '\0')
		return "this asset has no tags";
	return NULL;
}

int actions_dispatch(struct app *app, const struct action *a, const char *arg)
{
	const char *why = actions_unavailable(app, a);
	int change;

	/* a count is for the action that follows it; a run of nudges ends at any other action */
	edit_state_of(app)->taken_count = edit_state_of(app)->count;
	edit_state_of(app)->count = 0;
	edit_state_of(app)->keep_chain = 0;
	if (why != NULL) {
		app_error(app, "%s: %s", a->name, why);
		change = UI_REDRAW;
	} else {
		change = a->run(app, arg);
	}
	if (!edit_state_of(app)->keep_chain)
		edit_state_of(app)->chain = 0;
	edit_state_of(app)->taken_count = 0;
	pressed_key = 0;
	return change;
}

int actions_run_command(struct app *app, const char *line)
{
	char name[64];
	const struct action *a;
	const char *arg;
	size_t n;

	while (*line == ' ')
		line++;
	n = strcspn(line, " ");
	if (n == 0)
		return UI_REDRAW;
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, line, n);
	name[n] = '\0';
	arg = line + strcspn(line, " ");
	while (*arg == ' ')
		arg++;
	a = actions_find(name);
	if (a == NULL) {
		app_error(app, "unknown command: %s (see ? for the list)", name);
		return UI_REDRAW;
	}
	if (!(a->screens & actions_context(app))) {
		app_error(app, "%s does not apply %s", name,
		          edit_state_of(app)->mode != EDIT_NONE ? "in this mode (Esc leaves it)"
		                                                : "on this screen");
		return UI_REDRAW;
	}
	pressed_key = 0;
	return actions_dispatch(app, a, *arg ? arg : NULL);
}

static int add_candidate(char (*out)[128], int max, int n, const char *cand, const char *prefix)
{
	if (n < max && strncmp(cand, prefix, strlen(prefix)) == 0)
		str_copy(out[n++], cand, sizeof out[0]);
	return n;
}

static int complete_labels(struct app *app, const char *prefix, char (*out)[128], int max, int n)
{
	struct label_row *rows = calloc(256, sizeof *rows);
	struct err err;
	int nrows = 0;

	if (rows != NULL &&
	    cache_labels_ranked(app->cache, app->dataset_id, rows, 256, &nrows, &err) == 0)
		for (int i = 0; i < nrows; i++)
			n = add_candidate(out, max, n, rows[i].name, prefix);
	free(rows);
	return n;
}

static int complete_argument(struct app *app, const char *cmd, const char *prefix, char (*out)[128],
                             int max)
{
	static const char *const modes[] = {"sixel",  "kitty", "kitty-tmux", "iterm2",
	                                    "blocks", "none",  "auto"};
	static const char *const switches[] = {"on", "off"};
	char tags[64][128];
	int n = 0, ntags = 0;

	if (strcmp(cmd, "sort") == 0)
		for (int i = 0; i < SORT_COUNT; i++)
			n = add_candidate(out, max, n, sort_names[i], prefix);
	if (strcmp(cmd, "graphics") == 0)
		for (int i = 0; i < 7; i++)
			n = add_candidate(out, max, n, modes[i], prefix);
	if (strcmp(cmd, "lowband") == 0)
		for (int i = 0; i < 2; i++)
			n = add_candidate(out, max, n, switches[i], prefix);
	if (strcmp(cmd, "tag") == 0 &&
	    cache_tags_list(app->cache, app->dataset_id, tags, 64, &ntags, NULL) == 0)
		for (int i = 0; i < ntags; i++)
			n = add_candidate(out, max, n, tags[i], prefix);
	if (strcmp(cmd, "untag") == 0 && app->screen == SCREEN_ASSET)
		for (int i = 0; i < app->asset.ntags; i++)
			n = add_candidate(out, max, n, app->asset.tags[i], prefix);
	if (strcmp(cmd, "label") == 0)
		n = complete_labels(app, prefix, out, max, n);
	return n;
}

int actions_complete(struct app *app, const char *line, char (*out)[128], int max)
{
	const char *space = strchr(line, ' ');
	int count, n = 0;
	const struct action *t;

	if (space != NULL) {
		char cmd[64];
		size_t len = (size_t)(space - line) < sizeof cmd - 1 ? (size_t)(space - line)
		                                                     : sizeof cmd - 1;
		memcpy(cmd, line, len);
		cmd[len] = '\0';
		return complete_argument(app, cmd, space + 1, out, max);
	}
	t = actions_table(&count);
	for (int i = 0; i < count; i++)
		if (t[i].screens & actions_context(app))
			n = add_candidate(out, max, n, t[i].name, line);
	return n;
}

void actions_print(FILE *out)
{
	static const struct {
		unsigned bit;
		const char *name;
	} where[] = {{SCREEN_LIST, "list"},
	             {SCREEN_ASSET, "asset"},
	             {SCREEN_EDIT, "edit"},
	             {SCREEN_CREATE, "new"}};
	int n;
	const struct action *t = actions_table(&n);

	for (int i = 0; i < n; i++) {
		const char *sep = "";
		fprintf(out, "%s\t", t[i].name);
		for (size_t w = 0; w < sizeof where / sizeof where[0]; w++)
			if (t[i].screens & where[w].bit) {
				fprintf(out, "%s%s", sep, where[w].name);
				sep = ",";
			}
		fprintf(out, "\t%s\t%s\n", t[i].keys, t[i].help);
	}
}
