/* The action table and its dispatcher (see actions.h). Handlers are small and return what
 * changed; none of them draws. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/stats.h"
#include "ui/task.h"
#include "core/str.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define BOTH    (SCREEN_LIST | SCREEN_ASSET)
#define EDITING (SCREEN_EDIT | SCREEN_CREATE)
#define BROWSE  (SCREEN_SOURCES | SCREEN_DATASETS | SCREEN_DATALAKE)
#define ANYWHERE                                                                                   \
	(BOTH | EDITING | SCREEN_CONFLICTS | SCREEN_CAMPAIGN | SCREEN_TASKS | BROWSE | SCREEN_STATS)

unsigned actions_context(const struct app *app)
{
	if (app->screen != SCREEN_ASSET || edit_state_of(app)->mode == EDIT_NONE)
		return app->screen;
	return edit_state_of(app)->mode == EDIT_CREATE ? SCREEN_CREATE : SCREEN_EDIT;
}

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
static int act_accept(struct app *app, const struct action_call *c)
{
	if (marks_active(app))
		return marks_bulk(
		    app, &(struct bulk_edit){.op = BULK_REVIEW, .status = REVIEW_ACCEPTED});
	edit_reset(app);
	return run_review(app, REVIEW_ACCEPTED, app->auto_advance);
}

static int act_reject(struct app *app, const struct action_call *c)
{
	if (marks_active(app))
		return marks_bulk(
		    app, &(struct bulk_edit){.op = BULK_REVIEW, .status = REVIEW_REJECTED});
	edit_reset(app);
	return run_review(app, REVIEW_REJECTED, app->auto_advance);
}

static int act_reset(struct app *app, const struct action_call *c)
{
	if (marks_active(app))
		return marks_bulk(app,
		                  &(struct bulk_edit){.op = BULK_REVIEW, .status = REVIEW_PENDING});
	return run_review(app, REVIEW_PENDING, 0);
}

/* Whether the asset has the tag (compared as the cache stores it: trimmed). 1, 0, or -1 with
 * the error shown. The open asset is known; a list row's tags may be cut, so it is read. */
static int asset_has_tag(struct app *app, int64_t id, const char *tag)
{
	struct asset_detail d;
	struct err err;
	char want[CACHE_TAG_MAX + 1];
	size_t n;
	int found = 0;

	while (*tag == ' ' || *tag == '\t')
		tag++;
	str_copy(want, tag, sizeof want);
	for (n = strlen(want); n > 0 && (want[n - 1] == ' ' || want[n - 1] == '\t'); n--)
		want[n - 1] = '\0';
	if (app->screen == SCREEN_ASSET && app->asset_loaded && app->asset.id == id) {
		for (int i = 0; i < app->asset.ntags; i++)
			found |= strcmp(app->asset.tags[i], want) == 0;
		return found;
	}
	if (cache_asset_get(app->cache, id, &d, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	for (int i = 0; i < d.ntags; i++)
		found |= strcmp(d.tags[i], want) == 0;
	cache_asset_detail_free(&d);
	return found;
}

static int tag_edit(struct app *app, const char *tag, int add)
{
	struct err err;
	int64_t id = current_asset_id(app);
	int has = asset_has_tag(app, id, tag), rc;

	if (has < 0)
		return UI_REDRAW;
	if (has == add) { /* the cache would change nothing: say so rather than claim an edit */
		app_message(app, add ? "already tagged %s" : "no tag %s on this asset", tag);
		return UI_REDRAW;
	}
	rc = add ? cache_tag_add(app->cache, id, tag, &err)
	         : cache_tag_remove(app->cache, id, tag, &err);
	if (rc < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	app_message(app, "%s tag %s", add ? "added" : "removed", tag);
	return refresh_after_edit(app, id);
}

static int act_tag(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL && c->arg[0] != '\0' && marks_active(app))
		return marks_bulk(app, &(struct bulk_edit){.op = BULK_TAG_ADD, .name = c->arg});
	if (c->arg != NULL && c->arg[0] != '\0')
		return tag_edit(app, c->arg, 1);
	prompt_open(app, PROMPT_TAG_ADD, marks_active(app) ? "tag the marked rows: " : "tag: ", "");
	return UI_REDRAW;
}

static int act_untag(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL && c->arg[0] != '\0' && marks_active(app))
		return marks_bulk(app, &(struct bulk_edit){.op = BULK_TAG_REMOVE, .name = c->arg});
	if (c->arg != NULL && c->arg[0] != '\0')
		return tag_edit(app, c->arg, 0);
	prompt_open(app, PROMPT_TAG_REMOVE,
	            marks_active(app) ? "remove from the marked rows: " : "remove tag: ", "");
	return UI_REDRAW;
}

static int act_undo(struct app *app, const struct action_call *c)
{
	return edit_history(app, 0);
}

static int act_redo(struct app *app, const struct action_call *c)
{
	return edit_history(app, 1);
}

static int act_down(struct app *app, const struct action_call *c)
{
	list_move(app, 1);
	return UI_REDRAW;
}

static int act_up(struct app *app, const struct action_call *c)
{
	list_move(app, -1);
	return UI_REDRAW;
}

static int act_page_down(struct app *app, const struct action_call *c)
{
	list_move(app, app->list.page > 1 ? app->list.page - 1 : 1);
	return UI_REDRAW;
}

static int act_page_up(struct app *app, const struct action_call *c)
{
	list_move(app, -(app->list.page > 1 ? app->list.page - 1 : 1));
	return UI_REDRAW;
}

/* On the asset screen the first and last asset of the list open, as the rows do in it. */
static int show_current(struct app *app)
{
	if (app->screen != SCREEN_ASSET || list_current(app) == NULL)
		return UI_REDRAW;
	viewer_open(app, list_current(app)->id);
	return UI_REDRAW | UI_FRAME;
}

static int act_top(struct app *app, const struct action_call *c)
{
	list_reload_top(app);
	return show_current(app);
}

static int act_bottom(struct app *app, const struct action_call *c)
{
	list_go_bottom(app);
	return show_current(app);
}

static int act_open(struct app *app, const struct action_call *c)
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

static int act_next(struct app *app, const struct action_call *c)
{
	return step_asset(app, 1);
}

static int act_prev(struct app *app, const struct action_call *c)
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

static int act_zoom_in(struct app *app, const struct action_call *c)
{
	return zoom_to(app, app->zoom * 1.5);
}

static int act_zoom_out(struct app *app, const struct action_call *c)
{
	return zoom_to(app, app->zoom / 1.5);
}

/* In an edit mode a 0 after a count digit is part of the count (10l), as in vi. */
static int act_zoom_fit(struct app *app, const struct action_call *c)
{
	if (edit_state_of(app)->mode != EDIT_NONE && c->count > 0 && c->arg == NULL)
		return edit_count_digit(app, c->count, 0);
	return zoom_to(app, 1);
}

/* Zooms so that the selected shape fills about two thirds of the view. */
static int act_zoom_shape(struct app *app, const struct action_call *c)
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

static int act_pan_left(struct app *app, const struct action_call *c)
{
	return pan(app, -1, 0);
}

static int act_pan_right(struct app *app, const struct action_call *c)
{
	return pan(app, 1, 0);
}

static int act_pan_up(struct app *app, const struct action_call *c)
{
	return pan(app, 0, -1);
}

static int act_pan_down(struct app *app, const struct action_call *c)
{
	return pan(app, 0, 1);
}

static int cycle_shape(struct app *app, int delta)
{
	int n = app->asset.nshapes;

	return edit_select(app, app->selected_shape < 0 ? (delta > 0 ? 0 : n - 1)
	                                                : (app->selected_shape + delta + n) % n);
}

static int act_next_shape(struct app *app, const struct action_call *c)
{
	return cycle_shape(app, 1);
}

static int act_prev_shape(struct app *app, const struct action_call *c)
{
	return cycle_shape(app, -1);
}

static int act_overlays(struct app *app, const struct action_call *c)
{
	app->overlays = !app->overlays;
	app_message(app, app->overlays ? "overlays shown" : "overlays hidden");
	return UI_REDRAW | UI_FRAME;
}

/* q: back to the screen below; from the first screen, quit. */
static int act_back(struct app *app, const struct action_call *c)
{
	edit_reset(app);
	return screen_pop(app);
}

static int act_quit(struct app *app, const struct action_call *c)
{
	return UI_QUIT;
}

static int act_cancel(struct app *app, const struct action_call *c)
{
	if (app->screen == SCREEN_ASSET && edit_state_of(app)->mode != EDIT_NONE)
		return edit_leave(app);
	if (app->screen == SCREEN_ASSET && app->selected_shape >= 0)
		return edit_select(app, -1);
	if (app->screen == SCREEN_LIST && marks_active(app))
		return marks_clear(app);
	if (app->screen == SCREEN_LIST && cache_query_filtered(&app->list.query)) {
		list_set_filter(app, "");
		app_message(app, "filter cleared");
		return UI_REDRAW;
	}
	app->message[0] = '\0';
	return UI_REDRAW;
}

static int act_help(struct app *app, const struct action_call *c)
{
	return screen_push(app, SCREEN_INDEX_HELP, NULL);
}

static int act_command(struct app *app, const struct action_call *c)
{
	prompt_open(app, PROMPT_COMMAND, ":", "");
	return UI_REDRAW;
}

static int act_filter(struct app *app, const struct action_call *c)
{
	char now[sizeof app->list.query.filter_text + 16];

	if (c->arg != NULL) {
		app->search[0] = '\0'; /* n and N search the text given last */
		list_set_filter(app, c->arg);
		return UI_REDRAW;
	}
	list_filter_text(app, now, sizeof now); /* the field too: Esc puts back all of it */
	prompt_open(app, PROMPT_FILTER, "/", now);
	return UI_REDRAW;
}

static const char *const sort_names[SORT_COUNT] = {"filename", "status", "shapes", "size"};

static int act_sort(struct app *app, const struct action_call *c)
{
	struct asset_query *q = &app->list.query;
	int64_t id = list_current(app) ? list_current(app)->id : 0;

	if (c->arg != NULL && c->arg[0] != '\0') {
		int i = 0;
		while (i < SORT_COUNT && strcmp(c->arg, sort_names[i]) != 0)
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

static int act_reverse(struct app *app, const struct action_call *c)
{
	int64_t id = list_current(app) ? list_current(app)->id : 0;

	app->list.query.descending = !app->list.query.descending;
	app_message(app, "sorted by %s%s", sort_names[app->list.query.sort],
	            app->list.query.descending ? ", descending" : "");
	list_reanchor(app, id);
	return UI_REDRAW;
}

/* :search TEXT sets the text n and N look for; on the help screen it searches the help. */
static int act_search(struct app *app, const struct action_call *c)
{
	if (c->arg == NULL || c->arg[0] == '\0') {
		prompt_open(app, PROMPT_ARG, app->screen == SCREEN_HELP ? "/" : "search: ", "");
		app->prompt.action = "search";
		return UI_REDRAW;
	}
	str_copy(app->search, c->arg, sizeof app->search);
	if (app->screen == SCREEN_HELP)
		return help_search(app, 0);
	return list_search(app, 1);
}

static int act_search_next(struct app *app, const struct action_call *c)
{
	return app->screen == SCREEN_HELP ? help_search(app, 1) : list_search(app, 1);
}

static int act_search_prev(struct app *app, const struct action_call *c)
{
	return app->screen == SCREEN_HELP ? help_search(app, -1) : list_search(app, -1);
}

static int act_redraw(struct app *app, const struct action_call *c)
{
	clearok(curscr, TRUE);
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

static int act_lowband(struct app *app, const struct action_call *c)
{
	if (c->arg == NULL || c->arg[0] == '\0')
		app->low_bandwidth = !app->low_bandwidth;
	else if (strcmp(c->arg, "on") == 0)
		app->low_bandwidth = 1;
	else if (strcmp(c->arg, "off") == 0)
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

static int act_graphics(struct app *app, const struct action_call *c)
{
	enum graphics_mode mode;

	if (c->arg == NULL || graphics_mode_parse(c->arg, &mode) < 0) {
		app_error(app,
		          "graphics takes sixel, kitty, kitty-tmux, iterm2, blocks, none or auto");
		return UI_REDRAW;
	}
	app->graphics = term_choose_graphics(mode, &app->caps);
	app_message(app, "graphics: %s", graphics_mode_name(app->graphics));
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

/* ---- Conflicts (conflicts.c does the work) -------------------------------------------------- */

static int act_conflicts(struct app *app, const struct action_call *c)
{
	if (app->screen == SCREEN_CONFLICTS)
		return screens_refresh(app);
	edit_reset(app);
	return screen_push(app, SCREEN_INDEX_CONFLICTS, NULL);
}

static int act_keep_mine(struct app *app, const struct action_call *c)
{
	return conflicts_resolve(app, 0);
}

static int act_take_theirs(struct app *app, const struct action_call *c)
{
	return conflicts_resolve(app, 1);
}

static int act_conflict_next(struct app *app, const struct action_call *c)
{
	return conflicts_move(app, 1);
}

static int act_conflict_prev(struct app *app, const struct action_call *c)
{
	return conflicts_move(app, -1);
}

static int act_conflict_open(struct app *app, const struct action_call *c)
{
	return conflicts_open(app);
}

/* ---- Editing shapes (edit.c does the work) ----------------------------------------------- */

static int act_edit(struct app *app, const struct action_call *c)
{
	return edit_enter(app);
}

static int act_edit_move(struct app *app, const struct action_call *c)
{
	return edit_set_mode(app, EDIT_MOVE);
}

static int act_edit_resize(struct app *app, const struct action_call *c)
{
	return edit_set_mode(app, EDIT_RESIZE);
}

static int act_edit_vertex(struct app *app, const struct action_call *c)
{
	return edit_set_mode(app, EDIT_VERTEX);
}

/* A count typed before a move makes it that many moves. */
static int times(const struct action_call *c)
{
	return c->count > 0 ? c->count : 1;
}

static int act_nudge_left(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, -1, 0, times(c));
}

static int act_nudge_right(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 1, 0, times(c));
}

static int act_nudge_up(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 0, -1, times(c));
}

static int act_nudge_down(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 0, 1, times(c));
}

static int act_jump_left(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, -1, 0, times(c) * EDIT_JUMP);
}

static int act_jump_right(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 1, 0, times(c) * EDIT_JUMP);
}

static int act_jump_up(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 0, -1, times(c) * EDIT_JUMP);
}

static int act_jump_down(struct app *app, const struct action_call *c)
{
	return edit_nudge(app, 0, 1, times(c) * EDIT_JUMP);
}

/* A digit key's value, or a ':' command's argument. */
static int digit_of(const struct action_call *c)
{
	const char *arg = c->arg;

	if (arg != NULL)
		return arg[0] >= '0' && arg[0] <= '9' && arg[1] == '\0' ? arg[0] - '0' : -1;
	return c->key >= '0' && c->key <= '9' ? c->key - '0' : -1;
}

static int act_count(struct app *app, const struct action_call *c)
{
	int d = digit_of(c);

	if (d < 0) {
		app_error(app, "count takes a digit");
		return UI_REDRAW;
	}
	return edit_count_digit(app, c->count, d);
}

static int act_edit_next(struct app *app, const struct action_call *c)
{
	return edit_step_item(app, 1);
}

static int act_edit_prev(struct app *app, const struct action_call *c)
{
	return edit_step_item(app, -1);
}

static int act_vertex_insert(struct app *app, const struct action_call *c)
{
	return edit_vertex_insert(app);
}

static int act_vertex_delete(struct app *app, const struct action_call *c)
{
	return edit_vertex_delete(app);
}

static int act_place(struct app *app, const struct action_call *c)
{
	return edit_place(app);
}

static int act_finish(struct app *app, const struct action_call *c)
{
	return edit_finish(app);
}

static int act_unplace(struct app *app, const struct action_call *c)
{
	return edit_unplace(app);
}

static int act_new_box(struct app *app, const struct action_call *c)
{
	return edit_create(app, SHAPE_BOX);
}

static int act_new_polygon(struct app *app, const struct action_call *c)
{
	return edit_create(app, SHAPE_POLYGON);
}

static int act_new_line(struct app *app, const struct action_call *c)
{
	return edit_create(app, SHAPE_LINE);
}

static int act_new_point(struct app *app, const struct action_call *c)
{
	return edit_create(app, SHAPE_POINT);
}

static int act_new_class(struct app *app, const struct action_call *c)
{
	return edit_create(app, SHAPE_CLASSIFICATION);
}

static int act_label(struct app *app, const struct action_call *c)
{
	return edit_relabel(app, c->arg);
}

static int act_quick_label(struct app *app, const struct action_call *c)
{
	int d = digit_of(c);

	if (d < 1) {
		app_error(app, "quick-label takes a digit from 1 to 9");
		return UI_REDRAW;
	}
	return edit_quick_label(app, d);
}

static int act_delete_shape(struct app *app, const struct action_call *c)
{
	return edit_delete_shape(app);
}

static int act_duplicate(struct app *app, const struct action_call *c)
{
	return edit_duplicate(app);
}

static int act_text(struct app *app, const struct action_call *c)
{
	const char *now = app->asset.shapes[app->selected_shape].text;

	if (c->arg != NULL)
		return edit_set_text(app, c->arg);
	prompt_open(app, PROMPT_TEXT, "text: ", now ? now : "");
	return UI_REDRAW;
}

/* ---- The platform and its browsing screens ----------------------------------------------------
 */

static int act_sync(struct app *app, const struct action_call *c)
{
	return remote_sync_now(app);
}

static int act_sources(struct app *app, const struct action_call *c)
{
	edit_reset(app);
	return screen_push(app, SCREEN_INDEX_SOURCES, NULL);
}

static int browse_by(struct app *app, int delta)
{
	struct browse_rows *r = browse_rows_of(app);

	if (screen_top(app) == SCREEN_INDEX_DATALAKE)
		return datalake_move(app, delta) > 0 ? datalake_moved(app) | UI_REDRAW : UI_NONE;
	return r != NULL && browse_move(r, delta) ? UI_REDRAW : UI_NONE;
}

static int act_browse_down(struct app *app, const struct action_call *c)
{
	return browse_by(app, times(c));
}

static int act_browse_up(struct app *app, const struct action_call *c)
{
	return browse_by(app, -times(c));
}

static int act_browse_page_down(struct app *app, const struct action_call *c)
{
	return browse_by(app, browse_page(app) - 1);
}

static int act_browse_page_up(struct app *app, const struct action_call *c)
{
	return browse_by(app, -(browse_page(app) - 1));
}

static int act_browse_top(struct app *app, const struct action_call *c)
{
	return browse_by(app, -(1 << 30));
}

static int act_browse_bottom(struct app *app, const struct action_call *c)
{
	return browse_by(app, 1 << 30);
}

static int act_browse_open(struct app *app, const struct action_call *c)
{
	return browse_open(app);
}

static int act_data_tag(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL)
		return datalake_tag(app, c->arg, 1);
	prompt_open(app, PROMPT_ARG, "tag the data: ", "");
	app->prompt.action = "data-tag";
	return UI_REDRAW;
}

static int act_data_untag(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL)
		return datalake_tag(app, c->arg, 0);
	prompt_open(app, PROMPT_ARG, "untag the data: ", "");
	app->prompt.action = "data-untag";
	return UI_REDRAW;
}

static int act_data_filter(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL)
		return datalake_filter(app, c->arg);
	prompt_open(app, PROMPT_ARG, "filter (tag:X file:Y): ", "");
	app->prompt.action = "data-filter";
	return UI_REDRAW;
}

static int act_data_match(struct app *app, const struct action_call *c)
{
	return datalake_match_toggle(app);
}

/* ---- Completion ------------------------------------------------------------------------------ */

static int add_candidate(struct action_cand *out, int max, int n, const char *cand,
                         const char *prefix)
{
	if (n < max && strncmp(cand, prefix, strlen(prefix)) == 0) {
		str_copy(out[n].text, cand, sizeof out[n].text);
		out[n++].why = NULL;
	}
	return n;
}

static int add_words(struct action_cand *out, int max, const char *const *words, int nwords,
                     const char *prefix)
{
	int n = 0;

	for (int i = 0; i < nwords; i++)
		n = add_candidate(out, max, n, words[i], prefix);
	return n;
}

static int complete_sort(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	return add_words(out, max, sort_names, SORT_COUNT, prefix);
}

static int complete_graphics(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	static const char *const modes[] = {"sixel",  "kitty", "kitty-tmux", "iterm2",
	                                    "blocks", "none",  "auto"};

	return add_words(out, max, modes, 7, prefix);
}

static int complete_switch(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	static const char *const switches[] = {"on", "off"};

	return add_words(out, max, switches, 2, prefix);
}

static int complete_filter(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	static const char *const fields[] = {"label:", "tag:", "status:", "file:"};

	return add_words(out, max, fields, 4, prefix);
}

/* Every tag of the dataset. */
static int complete_tags(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	char tags[64][128];
	int n = 0, ntags = 0;

	if (cache_tags_list(app->cache, app->dataset_id, tags, 64, &ntags, NULL) == 0)
		for (int i = 0; i < ntags; i++)
			n = add_candidate(out, max, n, tags[i], prefix);
	return n;
}

/* The tags of the current asset: the open one's, or the list row's ("a, b, c"). */
static int complete_asset_tags(struct app *app, const char *prefix, struct action_cand *out,
                               int max)
{
	const struct asset_row *row = list_current(app);
	const char *list = row ? row->tags : "";
	int n = 0;

	if (app->screen == SCREEN_ASSET) {
		for (int i = 0; i < app->asset.ntags; i++)
			n = add_candidate(out, max, n, app->asset.tags[i], prefix);
		return n;
	}
	while (*list && n < max) {
		size_t len = strcspn(list, ",");
		char tag[128];
		size_t k = len < sizeof tag - 1 ? len : sizeof tag - 1;
		memcpy(tag, list, k);
		tag[k] = '\0';
		n = add_candidate(out, max, n, tag, prefix);
		list += len;
		while (*list == ',' || *list == ' ')
			list++;
	}
	return n;
}

static int complete_labels(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	struct label_row *rows = calloc(256, sizeof *rows);
	struct err err;
	int nrows = 0, n = 0;

	if (rows != NULL &&
	    cache_labels_ranked(app->cache, app->dataset_id, rows, 256, &nrows, &err) == 0)
		for (int i = 0; i < nrows; i++)
			n = add_candidate(out, max, n, rows[i].name, prefix);
	free(rows);
	return n;
}

static int complete_data_tags(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	return datalake_complete_tags(app, prefix, out, max, 0);
}

static int complete_data_row_tags(struct app *app, const char *prefix, struct action_cand *out,
                                  int max)
{
	return datalake_complete_tags(app, prefix, out, max, 1);
}

static const struct action action_table[] = {
    /* clang-format off: one row per action, its binding first, then what it does */
    {.name = "help",
     .screens = ANYWHERE,
     .keys = "?",
     .key = {'?', KEY_F(1)},
     .run = act_help,
     .help = "show this help"},
    {.name = "command",
     .screens = ANYWHERE,
     .keys = ":",
     .key = {':'},
     .run = act_command,
     .help = "enter a command"},
    {.name = "quit",
     .screens = ANYWHERE,
     .keys = "q",
     .key = {'q'},
     .run = act_back,
     .help = "go back; quit from the asset list"},
    {.name = "exit",
     .screens = ANYWHERE,
     .keys = "Q",
     .key = {'Q'},
     .run = act_quit,
     .help = "quit annotty"},
    {.name = "cancel",
     .screens = ANYWHERE,
     .keys = "Esc",
     .key = {27},
     .run = act_cancel,
     .help = "leave the edit mode, or clear the selection or the filter"},
    {.name = "redraw",
     .screens = ANYWHERE,
     .keys = "C-l",
     .key = {CTRL('l')},
     .run = act_redraw,
     .help = "redraw the screen"},
    {.name = "down",
     .screens = SCREEN_LIST,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = act_down,
     .help = "next row"},
    {.name = "up",
     .screens = SCREEN_LIST,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = act_up,
     .help = "previous row"},
    {.name = "page-down",
     .screens = SCREEN_LIST,
     .keys = "C-f PgDn",
     .key = {CTRL('f'), KEY_NPAGE},
     .run = act_page_down,
     .help = "next page"},
    {.name = "page-up",
     .screens = SCREEN_LIST,
     .keys = "C-b PgUp",
     .key = {CTRL('b'), KEY_PPAGE},
     .run = act_page_up,
     .help = "previous page"},
    {.name = "top",
     .screens = BOTH,
     .keys = "g Home",
     .key = {'g', KEY_HOME},
     .run = act_top,
     .help = "first row (on the asset screen: the first asset)"},
    {.name = "bottom",
     .screens = BOTH,
     .keys = "G End",
     .key = {'G', KEY_END},
     .run = act_bottom,
     .help = "last row (on the asset screen: the last asset)"},
    {.name = "open",
     .screens = SCREEN_LIST,
     .needs = NEEDS_ASSET,
     .keys = "Enter l",
     .key = {'\n', KEY_ENTER, 'l', KEY_RIGHT},
     .run = act_open,
     .help = "open the asset"},
    {.name = "filter",
     .screens = SCREEN_LIST,
     .keys = "/",
     .key = {'/'},
     .arg = "text",
     .complete = complete_filter,
     .run = act_filter,
     .help = "filter: label:X tag:X status:X file:X or text, all must hold"},
    {.name = "sort",
     .screens = SCREEN_LIST,
     .keys = "s",
     .key = {'s'},
     .arg = "key",
     .complete = complete_sort,
     .run = act_sort,
     .help = "sort by the next key (or: filename, status, shapes, size)"},
    {.name = "reverse",
     .screens = SCREEN_LIST,
     .keys = "S",
     .key = {'S'},
     .run = act_reverse,
     .help = "reverse the sort order"},
    {.name = "next",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "n",
     .key = {'n'},
     .run = act_next,
     .help = "next asset"},
    {.name = "prev",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "p",
     .key = {'p'},
     .run = act_prev,
     .help = "previous asset"},
    {.name = "next-shape",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SHAPES,
     .keys = "Tab",
     .key = {'\t'},
     .run = act_next_shape,
     .help = "select the next shape"},
    {.name = "prev-shape",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SHAPES,
     .keys = "S-Tab",
     .key = {KEY_BTAB},
     .run = act_prev_shape,
     .help = "select the previous shape"},
    {.name = "overlays",
     .screens = SCREEN_ASSET | EDITING,
     .keys = "o",
     .key = {'o'},
     .run = act_overlays,
     .help = "hide or show the shapes"},
    {.name = "zoom-in",
     .screens = SCREEN_ASSET | EDITING,
     .needs = NEEDS_ASSET,
     .keys = "+ =",
     .key = {'+', '='},
     .run = act_zoom_in,
     .help = "zoom in around the centre"},
    {.name = "zoom-out",
     .screens = SCREEN_ASSET | EDITING,
     .needs = NEEDS_ASSET,
     .keys = "-",
     .key = {'-'},
     .run = act_zoom_out,
     .help = "zoom out"},
    {.name = "zoom-fit",
     .screens = SCREEN_ASSET | EDITING,
     .needs = NEEDS_ASSET,
     .keys = "0",
     .key = {'0'},
     .run = act_zoom_fit,
     .help = "show the whole image (after a count digit: part of the count)"},
    {.name = "zoom-shape",
     .screens = SCREEN_ASSET | SCREEN_EDIT,
     .needs = NEEDS_SELECTION,
     .keys = "z",
     .key = {'z'},
     .run = act_zoom_shape,
     .help = "zoom to the selected shape"},
    {.name = "pan-left",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "h Left",
     .key = {'h', KEY_LEFT},
     .run = act_pan_left,
     .help = "pan left (when zoomed)"},
    {.name = "pan-right",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "l Right",
     .key = {'l', KEY_RIGHT},
     .run = act_pan_right,
     .help = "pan right (when zoomed)"},
    {.name = "pan-up",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = act_pan_up,
     .help = "pan up; the previous asset when not zoomed"},
    {.name = "pan-down",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = act_pan_down,
     .help = "pan down; the next asset when not zoomed"},
    {.name = "edit",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "e",
     .key = {'e'},
     .run = act_edit,
     .help = "edit the selected shape: the movement keys move it"},
    {.name = "label",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "L",
     .key = {'L'},
     .arg = "name",
     .complete = complete_labels,
     .run = act_label,
     .help = "relabel the selected shape (a picker; a new name creates the label)"},
    {.name = "quick-label",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "1-9",
     .key = {'1', '2', '3', '4', '5', '6', '7', '8', '9'},
     .arg = "digit",
     .run = act_quick_label,
     .help = "give the selected shape the label of that key (shown beside the labels)"},
    {.name = "delete-shape",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "d Delete",
     .key = {'d', KEY_DC},
     .run = act_delete_shape,
     .help = "delete the selected shape"},
    {.name = "duplicate",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "D",
     .key = {'D'},
     .run = act_duplicate,
     .help = "copy the selected shape, a little aside"},
    {.name = "text",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_SELECTION | WRITES,
     .keys = "\"",
     .key = {'"'},
     .arg = "text",
     .run = act_text,
     .help = "edit the selected shape's text"},
    {.name = "new-box",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "c b, b",
     .key = {ACTION_SEQ('c', 'b'), 'b'},
     .run = act_new_box,
     .help = "draw a new box with a crosshair"},
    {.name = "new-polygon",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "c p",
     .key = {ACTION_SEQ('c', 'p')},
     .run = act_new_polygon,
     .help = "draw a new polygon, vertex by vertex"},
    {.name = "new-line",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "c l, _",
     .key = {ACTION_SEQ('c', 'l'), '_'},
     .run = act_new_line,
     .help = "draw a new line, vertex by vertex"},
    {.name = "new-point",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "c ., .",
     .key = {ACTION_SEQ('c', '.'), '.'},
     .run = act_new_point,
     .help = "place a new point"},
    {.name = "new-class",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "c c",
     .key = {ACTION_SEQ('c', 'c')},
     .run = act_new_class,
     .help = "classify the whole image (asks for the label)"},
    {.name = "nudge-left",
     .screens = EDITING,
     .keys = "h Left",
     .key = {'h', KEY_LEFT},
     .run = act_nudge_left,
     .help = "move left by one screen pixel's worth (a count before it: that many)"},
    {.name = "nudge-down",
     .screens = EDITING,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = act_nudge_down,
     .help = "move down"},
    {.name = "nudge-up",
     .screens = EDITING,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = act_nudge_up,
     .help = "move up"},
    {.name = "nudge-right",
     .screens = EDITING,
     .keys = "l Right",
     .key = {'l', KEY_RIGHT},
     .run = act_nudge_right,
     .help = "move right"},
    {.name = "jump-left",
     .screens = EDITING,
     .keys = "H S-Left",
     .key = {'H', KEY_SLEFT},
     .run = act_jump_left,
     .help = "move left by ten steps"},
    {.name = "jump-down",
     .screens = EDITING,
     .keys = "J S-Down",
     .key = {'J', KEY_SF},
     .run = act_jump_down,
     .help = "move down by ten"},
    {.name = "jump-up",
     .screens = EDITING,
     .keys = "K S-Up",
     .key = {'K', KEY_SR},
     .run = act_jump_up,
     .help = "move up by ten"},
    {.name = "jump-right",
     .screens = EDITING,
     .keys = "L S-Right",
     .key = {'L', KEY_SRIGHT},
     .run = act_jump_right,
     .help = "move right by ten"},
    {.name = "count",
     .screens = EDITING,
     .keys = "1-9",
     .key = {'1', '2', '3', '4', '5', '6', '7', '8', '9'},
     .arg = "digit",
     .run = act_count,
     .help = "a count for the next move (5l moves five steps)"},
    {.name = "edit-move",
     .screens = SCREEN_EDIT,
     .keys = "m",
     .key = {'m'},
     .run = act_edit_move,
     .help = "the movement keys move the whole shape"},
    {.name = "edit-resize",
     .screens = SCREEN_EDIT,
     .keys = "r",
     .key = {'r'},
     .run = act_edit_resize,
     .help = "the movement keys move one edge or corner of a box"},
    {.name = "edit-vertex",
     .screens = SCREEN_EDIT,
     .keys = "v",
     .key = {'v'},
     .run = act_edit_vertex,
     .help = "the movement keys move one vertex of a polygon or line"},
    {.name = "edit-next",
     .screens = SCREEN_EDIT,
     .keys = "Tab ]",
     .key = {'\t', ']'},
     .run = act_edit_next,
     .help = "the next handle (resize), vertex (vertex) or shape (move)"},
    {.name = "edit-prev",
     .screens = SCREEN_EDIT,
     .keys = "S-Tab [",
     .key = {KEY_BTAB, '['},
     .run = act_edit_prev,
     .help = "the previous handle, vertex or shape"},
    {.name = "vertex-insert",
     .screens = SCREEN_EDIT,
     .keys = "i a",
     .key = {'i', 'a'},
     .run = act_vertex_insert,
     .help = "insert a vertex after the selected one"},
    {.name = "vertex-delete",
     .screens = SCREEN_EDIT,
     .keys = "x Delete",
     .key = {'x', KEY_DC},
     .run = act_vertex_delete,
     .help = "delete the selected vertex"},
    {.name = "place",
     .screens = SCREEN_CREATE,
     .keys = "Space",
     .key = {' '},
     .run = act_place,
     .help = "set a corner, or place a vertex, at the crosshair"},
    {.name = "finish",
     .screens = EDITING,
     .keys = "Enter",
     .key = {'\n', KEY_ENTER},
     .run = act_finish,
     .help = "finish the new shape (then pick its label); in an edit mode: done"},
    {.name = "unplace",
     .screens = SCREEN_CREATE,
     .keys = "Backspace",
     .key = {KEY_BACKSPACE, 127, 8},
     .run = act_unplace,
     .help = "take back the last corner or vertex"},
    {.name = "accept",
     .screens = BOTH | SCREEN_EDIT,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "A",
     .key = {'A'},
     .run = act_accept,
     .help = "accept the annotation and go to the next asset"},
    {.name = "reject",
     .screens = BOTH | SCREEN_EDIT,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "R",
     .key = {'R'},
     .run = act_reject,
     .help = "reject the annotation and go to the next asset"},
    {.name = "reset",
     .screens = BOTH,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "P",
     .key = {'P'},
     .run = act_reset,
     .help = "set the review back to pending"},
    {.name = "tag",
     .screens = BOTH,
     .needs = NEEDS_ASSET | WRITES,
     .keys = "t",
     .key = {'t'},
     .arg = "name",
     .complete = complete_tags,
     .run = act_tag,
     .help = "add a tag"},
    {.name = "untag",
     .screens = BOTH,
     .needs = NEEDS_ASSET | NEEDS_TAGS | WRITES,
     .keys = "T",
     .key = {'T'},
     .arg = "name",
     .complete = complete_asset_tags,
     .run = act_untag,
     .help = "remove a tag"},
    {.name = "undo",
     .screens = BOTH | SCREEN_EDIT,
     .needs = WRITES,
     .keys = "u",
     .key = {'u'},
     .run = act_undo,
     .help = "undo the last edit; one on another asset or from an earlier run asks first"},
    {.name = "redo",
     .screens = BOTH | SCREEN_EDIT,
     .needs = WRITES,
     .keys = "C-r",
     .key = {CTRL('r')},
     .run = act_redo,
     .help = "redo the last undone edit (asks first as undo does)"},
    {.name = "conflicts",
     .screens = BOTH | SCREEN_CONFLICTS,
     .keys = "C",
     .key = {'C'},
     .run = act_conflicts,
     .help = "the edits that met another change on the source: keep mine or take theirs"},
    {.name = "keep-mine",
     .screens = SCREEN_CONFLICTS,
     .needs = WRITES,
     .keys = "m",
     .key = {'m'},
     .run = act_keep_mine,
     .help = "keep your version: it is sent again over the source's"},
    {.name = "take-theirs",
     .screens = SCREEN_CONFLICTS,
     .needs = WRITES,
     .keys = "t",
     .key = {'t'},
     .run = act_take_theirs,
     .help = "take the source's version in place of yours"},
    {.name = "conflict-next",
     .screens = SCREEN_CONFLICTS,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = act_conflict_next,
     .help = "the next conflict"},
    {.name = "conflict-prev",
     .screens = SCREEN_CONFLICTS,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = act_conflict_prev,
     .help = "the previous conflict"},
    {.name = "conflict-open",
     .screens = SCREEN_CONFLICTS,
     .keys = "Enter",
     .key = {'\n', KEY_ENTER},
     .run = act_conflict_open,
     .help = "open the conflict's asset"},
    {.name = "graphics",
     .screens = ANYWHERE,
     .arg = "mode",
     .complete = complete_graphics,
     .run = act_graphics,
     .help = "image output: sixel, kitty, kitty-tmux, iterm2, blocks, none, auto"},
    {.name = "lowband",
     .screens = ANYWHERE,
     .arg = "[on|off]",
     .complete = complete_switch,
     .run = act_lowband,
     .help = "fewer colours and bytes per frame for a slow link (switches without an argument)"},
    {.name = "campaign",
     .screens = SCREEN_LIST,
     .keys = "W",
     .key = {'W'},
     .arg = "[start [RATE]]",
     .complete = campaign_complete,
     .run = campaign_act_open,
     .help = "the dataset's campaign, its work queue; start [RATE] first starts a local one (on a "
             "share)"},
    {.name = "campaign-down",
     .screens = SCREEN_CAMPAIGN | SCREEN_TASKS,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = campaign_act_move,
     .help = "the next step, or the next of my tasks"},
    {.name = "campaign-up",
     .screens = SCREEN_CAMPAIGN | SCREEN_TASKS,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = campaign_act_move,
     .help = "the previous step, or the previous of my tasks"},
    {.name = "campaign-open",
     .screens = SCREEN_CAMPAIGN | SCREEN_TASKS,
     .keys = "Enter l",
     .key = {'\n', KEY_ENTER, 'l', KEY_RIGHT},
     .run = campaign_act_enter,
     .help = "my tasks of the step; on a task, work through the queue from it"},
    {.name = "task-submit",
     .screens = SCREEN_ASSET | SCREEN_EDIT,
     .needs = NEEDS_TASK | WRITES,
     .keys = "s",
     .key = {'s'},
     .run = task_act_submit,
     .help = "submit the annotate task and go to the next"},
    {.name = "task-accept",
     .screens = SCREEN_ASSET | SCREEN_EDIT,
     .needs = NEEDS_TASK | WRITES,
     .keys = "A",
     .key = {'A'},
     .run = task_act_accept,
     .help = "accept the review task and go to the next"},
    {.name = "task-reject",
     .screens = SCREEN_ASSET | SCREEN_EDIT,
     .needs = NEEDS_TASK | WRITES,
     .keys = "R",
     .key = {'R'},
     .arg = "reason",
     .complete = task_complete_reasons,
     .run = task_act_reject,
     .help = "send the review task back with a reason (Tab or Up: the last ones)"},
    {.name = "task-skip",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_TASK | WRITES,
     .keys = "K",
     .key = {'K'},
     .run = task_act_skip,
     .help = "skip the task (it stays in the step for nobody) and go to the next"},
    {.name = "task-next",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_TASK,
     .keys = "N n j",
     .key = {'N', 'n', 'j', KEY_DOWN},
     .run = task_act_next,
     .help = "the next task, without deciding (j and Down pan when zoomed)"},
    {.name = "task-prev",
     .screens = SCREEN_ASSET,
     .needs = NEEDS_TASK,
     .keys = "P p k",
     .key = {'P', 'p', 'k', KEY_UP},
     .run = task_act_prev,
     .help = "the previous task, without deciding"},
    {.name = "sync",
     .screens = BOTH | SCREEN_CONFLICTS | BROWSE,
     .needs = NEEDS_REMOTE,
     .keys = "S",
     .key = {'S'},
     .run = act_sync,
     .help = "sync with the platform now: send the edits, then pull (on a local list S reverses)"},
    {.name = "sources",
     .screens = BOTH | SCREEN_CONFLICTS | BROWSE,
     .run = act_sources,
     .help = "the sources: the platform's organization and the local datasets opened before"},
    {.name = "browse-down",
     .screens = BROWSE,
     .keys = "j Down",
     .key = {'j', KEY_DOWN},
     .run = act_browse_down,
     .help = "next row"},
    {.name = "browse-up",
     .screens = BROWSE,
     .keys = "k Up",
     .key = {'k', KEY_UP},
     .run = act_browse_up,
     .help = "previous row"},
    {.name = "browse-page-down",
     .screens = BROWSE,
     .keys = "C-f PgDn",
     .key = {CTRL('f'), KEY_NPAGE, ' '},
     .run = act_browse_page_down,
     .help = "next page"},
    {.name = "browse-page-up",
     .screens = BROWSE,
     .keys = "C-b PgUp",
     .key = {CTRL('b'), KEY_PPAGE},
     .run = act_browse_page_up,
     .help = "previous page"},
    {.name = "browse-top",
     .screens = BROWSE,
     .keys = "g Home",
     .key = {'g', KEY_HOME},
     .run = act_browse_top,
     .help = "first row"},
    {.name = "browse-bottom",
     .screens = BROWSE,
     .keys = "G End",
     .key = {'G', KEY_END},
     .run = act_browse_bottom,
     .help = "last row"},
    {.name = "browse-open",
     .screens = BROWSE,
     .keys = "Enter l",
     .key = {'\n', KEY_ENTER, 'l', KEY_RIGHT},
     .run = act_browse_open,
     .help = "open: a source, a dataset version's assets (one not pulled yet is pulled)"},
    {.name = "data-tag",
     .screens = SCREEN_DATALAKE,
     .needs = WRITES,
     .keys = "t",
     .key = {'t'},
     .arg = "name",
     .complete = complete_data_tags,
     .run = act_data_tag,
     .help = "tag the selected data (sent to the platform with the next sync)"},
    {.name = "data-untag",
     .screens = SCREEN_DATALAKE,
     .needs = WRITES,
     .keys = "T",
     .key = {'T'},
     .arg = "name",
     .complete = complete_data_row_tags,
     .run = act_data_untag,
     .help = "remove a tag from the selected data"},
    {.name = "data-filter",
     .screens = SCREEN_DATALAKE,
     .keys = "/",
     .key = {'/'},
     .arg = "text",
     .complete = complete_data_tags,
     .run = act_data_filter,
     .help = "filter the data: tag:X (repeat for more tags) and a file name"},
    {.name = "data-match",
     .screens = SCREEN_DATALAKE,
     .keys = "a",
     .key = {'a'},
     .run = act_data_match,
     .help = "the tag filter takes data with any of its tags, or all of them"},
    {.name = "mark",
     .screens = SCREEN_LIST,
     .needs = NEEDS_ASSET,
     .keys = "Space",
     .key = {' '},
     .run = marks_act_toggle,
     .help = "mark or unmark the row and go to the next (A R P t T then apply to the marked)"},
    {.name = "visual",
     .screens = SCREEN_LIST,
     .needs = NEEDS_ASSET,
     .keys = "v",
     .key = {'v'},
     .run = marks_act_visual,
     .help = "start a range at the row; v again marks it (an edit applies to it at once)"},
    {.name = "mark-all",
     .screens = SCREEN_LIST,
     .keys = "*",
     .key = {'*'},
     .run = marks_act_all,
     .help = "mark every row the filter shows (Esc unmarks all)"},
    {.name = "mark-invert",
     .screens = SCREEN_LIST,
     .run = marks_act_invert,
     .help = "unmark the marked rows and mark every other row of the dataset"},
    {.name = "relabel",
     .screens = SCREEN_LIST,
     .needs = NEEDS_ASSET | WRITES,
     .arg = "OLD NEW",
     .complete = complete_labels,
     .run = marks_act_relabel,
     .help = "give every shape of label OLD the label NEW, on the marked rows (or this one)"},
    {.name = "delete-label",
     .screens = SCREEN_LIST,
     .needs = NEEDS_ASSET | WRITES,
     .arg = "LABEL",
     .complete = complete_labels,
     .run = marks_act_delete_label,
     .help = "delete every shape of LABEL on the marked rows (or this one)"},
    {.name = "export",
     .screens = SCREEN_LIST,
     .arg = "FILE",
     .run = marks_act_export,
     .help = "write the marked rows (or with none, every row the filter shows) to a COCO file"},
    {.name = "stats",
     .screens = BOTH | SCREEN_STATS,
     .keys = "i",
     .key = {'i'},
     .run = stats_act_open,
     .help = "statistics of the rows the filter shows: statuses, labels, tags, sizes (Enter on "
             "one lists its rows)"},
    {.name = "search",
     .screens = SCREEN_LIST | SCREEN_HELP,
     .arg = "text",
     .run = act_search,
     .help = "search for text: n and N go to rows whose file name, a label or a tag holds it "
             "(/ in the help searches the help)"},
    {.name = "search-next",
     .screens = SCREEN_LIST | SCREEN_HELP,
     .keys = "n",
     .key = {'n'},
     .run = act_search_next,
     .help = "the next row matching the :search text, or the / filter's text when that was "
             "given last"},
    {.name = "search-prev",
     .screens = SCREEN_LIST | SCREEN_HELP,
     .keys = "N",
     .key = {'N'},
     .run = act_search_prev,
     .help = "the previous row matching the search (it wraps around, and says so)"},
    /* clang-format on */
};

#define NACTIONS (sizeof action_table / sizeof action_table[0])

/* The configuration's bindings, by the action's row. */
static struct {
	int set;
	int key[ACTION_MAX_KEYS + 1];
	char shown[64];
} bound[NACTIONS];

void actions_bind(const struct action *a, const int *keys, int nkeys, const char *shown)
{
	size_t i;

	if (a == NULL)
		return;
	i = (size_t)(a - action_table);
	bound[i].set = 1;
	memset(bound[i].key, 0, sizeof bound[i].key);
	for (int k = 0; k < nkeys && k < ACTION_MAX_KEYS; k++)
		bound[i].key[k] = keys[k];
	str_copy(bound[i].shown, shown, sizeof bound[i].shown);
}

const int *actions_keys(const struct action *a)
{
	size_t i = (size_t)(a - action_table);

	return bound[i].set ? bound[i].key : a->key;
}

const char *actions_keys_shown(const struct action *a)
{
	size_t i = (size_t)(a - action_table);

	return bound[i].set ? bound[i].shown : a->keys ? a->keys : "";
}

/* Whether the key is one of the action's; a key the configuration bound to another action of
 * the same screens is that action's. */
static int action_has_key(const struct action *a, int key)
{
	const int *k = actions_keys(a);

	for (int i = 0; i < ACTION_MAX_KEYS && k[i] != 0; i++)
		if (k[i] == key)
			return 1;
	return 0;
}

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

	/* the configuration's bindings first; in a task its keys next (they stand in for the
	 * asset screen's own); on a platform source its own keys after them (S syncs there, and
	 * reverses a local list); then the rest */
	for (int pass = 0; pass < 4; pass++) {
		if ((pass == 1 && !app->source.in_task) || (pass == 2 && !remote_here(app)))
			continue;
		for (int i = 0; i < n; i++) {
			if (!(t[i].screens & where) || (pass == 0 && !bound[i].set) ||
			    (pass == 1 && !(t[i].needs & NEEDS_TASK)) ||
			    (pass == 2 && !(t[i].needs & NEEDS_REMOTE)))
				continue;
			if (action_has_key(&t[i], key))
				return &t[i];
		}
	}
	return NULL;
}

/* Whether an action of this context has a sequence that starts with key. */
static int key_starts_sequence(const struct app *app, int key)
{
	int n;
	const struct action *t = actions_table(&n);
	unsigned where = actions_context(app);

	for (int i = 0; i < n; i++) {
		const int *k = actions_keys(&t[i]);
		for (int j = 0; j < ACTION_MAX_KEYS && k[j] != 0; j++)
			if ((t[i].screens & where) && k[j] > KEY_MAX &&
			    ACTION_SEQ_FIRST(k[j]) == key)
				return 1;
	}
	return 0;
}

int actions_key_resolve(struct app *app, int key, const struct action **out)
{
	int first = app->key_prefix;

	*out = NULL;
	app->key_prefix = 0;
	if (first != 0) {
		if (key != 27 && key >= 0 && key < 0x400)
			*out = actions_for_key(app, ACTION_SEQ(first, key));
		if (*out == NULL && key != 27)
			app_error(app, "%c %s: no such key here (see ?)", first, keyname(key));
		else if (*out == NULL)
			app->message[0] = '\0';
		return 1;
	}
	if (key > 0 && key < 0x400 && actions_for_key(app, key) == NULL &&
	    key_starts_sequence(app, key)) {
		app->key_prefix = key;
		app_message(app,
		            "%c-  (then b box, p polygon, l line, . point, c classification; "
		            "Esc cancels)",
		            key);
		return 0;
	}
	*out = actions_for_key(app, key);
	return 1;
}

/* What the source allows now (app->source): the flags that do not depend on the asset. */
static const char *source_refuses(const struct app *app, unsigned needs)
{
	if ((needs & WRITES) && app->source.read_only)
		return cache_damage(app->cache) != NULL
		           ? "the cache is damaged: quit and run annotty cache rebuild"
		           : "the source is read-only";
	if ((needs & NEEDS_ONLINE) && !app->source.online)
		return "offline";
	if ((needs & NEEDS_TASK) && !app->source.in_task)
		return "only in a task (open one from my tasks)";
	if ((needs & NEEDS_REMOTE) && !remote_here(app))
		return "not a platform source (a local dataset is written by annotty export)";
	return NULL;
}

static int current_has_tags(const struct app *app)
{
	if (marks_active(app)) /* the marked rows' tags: the cache says which it has */
		return 1;
	if (app->screen == SCREEN_ASSET)
		return app->asset.ntags > 0;
	return list_current(app) == NULL || list_current(app)->tags[0] != '\0';
}

const char *actions_unavailable(const struct app *app, const struct action *a)
{
	const char *why = source_refuses(app, a->needs);

	if (why != NULL)
		return why;
	if ((a->needs & NEEDS_ASSET) && app->screen != SCREEN_ASSET && list_current(app) == NULL)
		return "no asset selected";
	if ((a->needs & NEEDS_SHAPES) && (app->screen != SCREEN_ASSET || app->asset.nshapes == 0))
		return "this asset has no shapes";
	if ((a->needs & NEEDS_SELECTION) &&
	    (app->screen != SCREEN_ASSET || app->selected_shape < 0 ||
	     app->selected_shape >= app->asset.nshapes))
		return "no shape selected (Tab selects one)";
	if ((a->needs & NEEDS_TAGS) && !current_has_tags(app))
		return "this asset has no tags";
	return NULL;
}

static int dispatch(struct app *app, const struct action *a, struct action_call *call)
{
	const char *why = actions_unavailable(app, a);
	int change;

	/* a count is for the action that follows it; a run of nudges ends at any other action */
	call->count = app->count;
	app->count = 0;
	edit_state_of(app)->keep_chain = 0;
	if (why == NULL && call->arg != NULL && a->arg == NULL)
		why = "takes no argument";
	if (why != NULL) {
		app_error(app, "%s: %s", a->name, why);
		change = UI_REDRAW;
	} else {
		change = a->run(app, call);
	}
	if (!edit_state_of(app)->keep_chain)
		edit_state_of(app)->chain = 0;
	return change;
}

int actions_dispatch(struct app *app, const struct action *a, const char *arg)
{
	struct action_call call = {.arg = arg};

	return dispatch(app, a, &call);
}

int actions_dispatch_key(struct app *app, const struct action *a, int key)
{
	struct action_call call = {.key = key};

	return dispatch(app, a, &call);
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
	return actions_dispatch(app, a, *arg ? arg : NULL);
}

int actions_complete(struct app *app, const char *line, struct action_cand *out, int max)
{
	const char *space = strchr(line, ' ');
	int count, n = 0;
	const struct action *t;

	if (space != NULL) {
		char cmd[64];
		size_t len = (size_t)(space - line) < sizeof cmd - 1 ? (size_t)(space - line)
		                                                     : sizeof cmd - 1;
		const struct action *a;
		memcpy(cmd, line, len);
		cmd[len] = '\0';
		a = actions_find(cmd);
		return a != NULL && a->complete != NULL ? a->complete(app, space + 1, out, max) : 0;
	}
	t = actions_table(&count);
	for (int i = 0; i < count; i++)
		if (t[i].screens & actions_context(app)) {
			int before = n;
			n = add_candidate(out, max, n, t[i].name, line);
			if (n > before) /* offered, greyed with the reason when it cannot run */
				out[before].why = actions_unavailable(app, &t[i]);
		}
	return n;
}

void actions_print(FILE *out)
{
	static const struct {
		unsigned bit;
		const char *name;
	} where[] = {{SCREEN_LIST, "list"},           {SCREEN_ASSET, "asset"},
	             {SCREEN_EDIT, "edit"},           {SCREEN_CREATE, "new"},
	             {SCREEN_CONFLICTS, "conflicts"}, {SCREEN_CAMPAIGN, "campaign"},
	             {SCREEN_TASKS, "tasks"},         {SCREEN_SOURCES, "sources"},
	             {SCREEN_DATASETS, "datasets"},   {SCREEN_DATALAKE, "datalake"},
	             {SCREEN_STATS, "stats"}};
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
		fprintf(out, "\t%s\t%s\n", actions_keys_shown(&t[i]), t[i].help);
	}
}
