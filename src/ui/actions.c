/* The action table and its dispatcher (see actions.h). Handlers are small and return what
 * changed; none of them draws. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define BOTH    (SCREEN_LIST | SCREEN_ASSET)

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

static int act_accept(struct app *app, const char *arg)
{
	return run_review(app, REVIEW_ACCEPTED, 1);
}

static int act_reject(struct app *app, const char *arg)
{
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
	prompt_open(app, 1, "tag: ", "");
	return UI_REDRAW;
}

static int act_untag(struct app *app, const char *arg)
{
	if (arg != NULL && arg[0] != '\0')
		return tag_edit(app, arg, 0);
	prompt_open(app, 2, "remove tag: ", "");
	return UI_REDRAW;
}

static int act_undo(struct app *app, const char *arg)
{
	char what[128] = "";
	int64_t asset_id = 0;
	struct err err;

	if (cache_undo(app->cache, app->dataset_id, &asset_id, what, sizeof what, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	if (asset_id == 0) {
		app_message(app, "nothing to undo");
		return UI_REDRAW;
	}
	app_message(app, "undid %s", what);
	app_reload_pending(app);
	if (app->screen == SCREEN_ASSET) {
		list_reanchor(app, asset_id);
		viewer_open(app, asset_id);
		return UI_REDRAW | UI_FRAME;
	}
	list_reanchor(app, asset_id);
	return UI_REDRAW;
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
	list_go_top(app);
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

	if (row == NULL || viewer_open(app, row->id) < 0)
		return UI_REDRAW;
	app->screen = SCREEN_ASSET;
	return UI_REDRAW | UI_FRAME;
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

static int act_zoom_fit(struct app *app, const char *arg)
{
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

static int act_pan_right(struct app *app, const char *arg)
{
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

	app->selected_shape = app->selected_shape < 0 ? (delta > 0 ? 0 : n - 1)
	                                              : (app->selected_shape + delta + n) % n;
	return UI_REDRAW | UI_FRAME;
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

static int act_back(struct app *app, const char *arg)
{
	if (app->screen == SCREEN_ASSET) {
		int64_t id = app->asset.id;
		viewer_close(app);
		app->screen = SCREEN_LIST;
		list_reanchor(app, id);
		return UI_REDRAW;
	}
	return UI_QUIT;
}

static int act_quit(struct app *app, const char *arg)
{
	return UI_QUIT;
}

static int act_cancel(struct app *app, const char *arg)
{
	if (app->screen == SCREEN_ASSET && app->selected_shape >= 0) {
		app->selected_shape = -1;
		return UI_REDRAW | UI_FRAME;
	}
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
	app->help_return = app->screen;
	app->screen = SCREEN_HELP;
	app->help_scroll = 0;
	return UI_REDRAW;
}

static int act_command(struct app *app, const char *arg)
{
	prompt_open(app, 0, ":", "");
	return UI_REDRAW;
}

static int act_filter(struct app *app, const char *arg)
{
	if (arg != NULL) {
		list_set_filter(app, arg);
		return UI_REDRAW;
	}
	prompt_open(app, 3, "/", app->list.query.filter_text);
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

static int act_graphics(struct app *app, const char *arg)
{
	enum graphics_mode mode;

	if (arg == NULL || graphics_mode_parse(arg, &mode) < 0) {
		app_error(app, "graphics takes sixel, kitty, iterm2, blocks, none or auto");
		return UI_REDRAW;
	}
	app->graphics = term_choose_graphics(mode, &app->caps);
	app_message(app, "graphics: %s", graphics_mode_name(app->graphics));
	frame_forget(app);
	return UI_REDRAW | UI_FRAME;
}

static const struct action action_table[] = {
    {"help", "?", {'?', KEY_F(1)}, BOTH, 0, NULL, "show this help", act_help},
    {"command", ":", {':'}, BOTH, 0, NULL, "enter a command", act_command},
    {"quit", "q", {'q'}, BOTH, 0, NULL, "go back; quit from the asset list", act_back},
    {"exit", "Q", {'Q'}, BOTH, 0, NULL, "quit annotty", act_quit},
    {"cancel", "Esc", {27}, BOTH, 0, NULL, "clear the selection or the filter", act_cancel},
    {"redraw", "C-l", {CTRL('l')}, BOTH, 0, NULL, "redraw the screen", act_redraw},
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
    {"overlays", "o", {'o'}, SCREEN_ASSET, 0, NULL, "hide or show the shapes", act_overlays},
    {"zoom-in",
     "+ =",
     {'+', '='},
     SCREEN_ASSET,
     NEEDS_ASSET,
     NULL,
     "zoom in around the centre",
     act_zoom_in},
    {"zoom-out", "-", {'-'}, SCREEN_ASSET, NEEDS_ASSET, NULL, "zoom out", act_zoom_out},
    {"zoom-fit", "0", {'0'}, SCREEN_ASSET, NEEDS_ASSET, NULL, "show the whole image", act_zoom_fit},
    {"zoom-shape",
     "z",
     {'z'},
     SCREEN_ASSET,
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
     "pan right (when zoomed)",
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
    {"accept",
     "A",
     {'A'},
     BOTH,
     NEEDS_ASSET | WRITES,
     NULL,
     "accept the annotation and go to the next asset",
     act_accept},
    {"reject",
     "R",
     {'R'},
     BOTH,
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
    {"undo", "u", {'u'}, BOTH, WRITES, NULL, "undo the last edit", act_undo},
    {"graphics",
     "",
     {0},
     BOTH,
     TAKES_ARG,
     "mode",
     "image output: sixel, kitty, iterm2, blocks, none, auto",
     act_graphics},
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

	for (int i = 0; i < n; i++) {
		if (!(t[i].screens & app->screen))
			continue;
		for (int k = 0; k < ACTION_MAX_KEYS && t[i].key[k] != 0; k++)
			if (t[i].key[k] == key)
				return &t[i];
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

	if (why != NULL) {
		app_error(app, "%s: %s", a->name, why);
		return UI_REDRAW;
	}
	return a->run(app, arg);
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
	if (!(a->screens & app->screen)) {
		app_error(app, "%s does not apply on this screen", name);
		return UI_REDRAW;
	}
	return actions_dispatch(app, a, *arg ? arg : NULL);
}

static int add_candidate(char (*out)[128], int max, int n, const char *cand, const char *prefix)
{
	if (n < max && strncmp(cand, prefix, strlen(prefix)) == 0)
		str_copy(out[n++], cand, sizeof out[0]);
	return n;
}

static int complete_argument(struct app *app, const char *cmd, const char *prefix, char (*out)[128],
                             int max)
{
	static const char *const modes[] = {"sixel", "kitty", "iterm2", "blocks", "none", "auto"};
	char tags[64][128];
	int n = 0, ntags = 0;

	if (strcmp(cmd, "sort") == 0)
		for (int i = 0; i < SORT_COUNT; i++)
			n = add_candidate(out, max, n, sort_names[i], prefix);
	if (strcmp(cmd, "graphics") == 0)
		for (int i = 0; i < 6; i++)
			n = add_candidate(out, max, n, modes[i], prefix);
	if (strcmp(cmd, "tag") == 0 &&
	    cache_tags_list(app->cache, app->dataset_id, tags, 64, &ntags, NULL) == 0)
		for (int i = 0; i < ntags; i++)
			n = add_candidate(out, max, n, tags[i], prefix);
	if (strcmp(cmd, "untag") == 0 && app->screen == SCREEN_ASSET)
		for (int i = 0; i < app->asset.ntags; i++)
			n = add_candidate(out, max, n, app->asset.tags[i], prefix);
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
		if (t[i].screens & app->screen)
			n = add_candidate(out, max, n, t[i].name, line);
	return n;
}

void actions_print(FILE *out)
{
	int n;
	const struct action *t = actions_table(&n);

	for (int i = 0; i < n; i++)
		fprintf(
		    out, "%s\t%s%s\t%s\t%s\n", t[i].name, t[i].screens & SCREEN_LIST ? "list" : "",
		    t[i].screens & SCREEN_ASSET ? (t[i].screens & SCREEN_LIST ? ",asset" : "asset")
		                                : "",
		    t[i].keys, t[i].help);
}
