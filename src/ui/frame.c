/* The asset screen's image on the screen: ask the frame pipe for it, say "loading" while it
 * comes, write it after curses has drawn, and ask for the neighbours' frames behind it. */
#include "ui/frame.h"
#include "ui/app.h"
#include "core/err.h"
#include "core/log.h"
#include "frame/worker.h"

#include <curses.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- on screen ---------------------------------------------------------------------------- */

void frame_pane_spec(const struct app *app, struct frame_spec *spec)
{
	int top, left, rows, cols;

	viewer_pane(app, &top, &left, &rows, &cols);
	memset(spec, 0, sizeof *spec);
	spec->mode = app->graphics;
	spec->top = top + 1;
	spec->left = left + 1;
	spec->rows = rows;
	spec->cols = cols;
	spec->cell_w = app->caps.cell_w;
	spec->cell_h = app->caps.cell_h;
	spec->zoom = app->zoom;
	spec->center_x = app->center_x;
	spec->center_y = app->center_y;
}

/* The spec of the pane's frame now; -1 when the pane shows no frame. */
static int frame_spec_for(struct app *app, struct frame_spec *spec)
{
	if (!screen_shows_image(app) || !app->asset_loaded || app->graphics == GRAPHICS_NONE ||
	    app->frame.pipe == NULL || remote_image_waiting(app))
		return -1;
	frame_pane_spec(app, spec);
	spec->truecolor = app->caps.truecolor;
	spec->overlays = app->overlays;
	spec->selected = app->selected_shape;
	spec->sync_output = app->caps.sync_output;
	spec->marks = edit_marks(app);
	spec->low_bandwidth = app->low_bandwidth;
	spec->sixel_colors = term_sixel_colors(&app->caps);
	return spec->rows < 2 || spec->cols < 4 ? -1 : 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A line of text in the middle of the pane, while it has no picture. */
static void pane_say(struct app *app, const char *text, int len)
{
	int top, left, rows, cols;

	viewer_pane(app, &top, &left, &rows, &cols);
	attron(COLOR_PAIR(PAIR_DIM));
	ui_put(top + rows / 2, left + (cols > len ? (cols - len) / 2 : 0), cols, text, 0);
	attroff(COLOR_PAIR(PAIR_DIM));
}

int frame_prepare(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	struct frame_spec spec;
	struct frame_key key;

	fc->ready = NULL;
	if (!app->frame_dirty || frame_spec_for(app, &spec) < 0)
		return 0;
	fc->state = frame_pipe_want(fc->pipe, &app->asset, &spec, &fc->ready);
	if (fc->trace_armed && fc->trace_cached < 0)
		fc->trace_cached = fc->state == FRAME_READY;
	if (fc->state == FRAME_FAILED)
		app_error(app, "%s", fc->pipe->failure);
	if (fc->state == FRAME_FAILED || !app->image_on_screen)
		return 0;
	/* the same picture drawn over differently (a selection, an edit's nudge): the old one
	 * stays until the new one covers it, with no blank pane or "loading" in between */
	frame_key_make(&app->asset, &spec, &key);
	if (frame_key_place(&key) != fc->shown_place)
		return 0;
	return fc->state == FRAME_WAITING ||
	       (fc->ready->img_w == fc->shown_w && fc->ready->img_h == fc->shown_h);
}

void frame_placeholder(struct app *app)
{
	struct frame_spec spec;

	if (remote_image_waiting(app)) { /* the bytes are on their way from the source */
		char text[64];
		snprintf(text, sizeof text, "fetching the image %s",
		         (const char *[]){"|", "/", "-", "\\"}[app->remote.spinner % 4]);
		pane_say(app, text, 20);
		return;
	}

	if (app->image_on_screen || app->frame.state == FRAME_READY ||
	    frame_spec_for(app, &spec) < 0)
		return;
	if (app->frame.state == FRAME_FAILED)
		pane_say(app, "image not shown", 15);
	else
		pane_say(app, "loading image\xe2\x80\xa6", 14);
}

/* One line per key that led to a frame, fields split on spaces: the key as curses names it
 * ("n", "^I", "KEY_DOWN"; its code when the name has a space), the asset, whether the frame
 * came from the cache, microseconds from reading the key to the frame's last byte, the frame's
 * bytes and the microseconds the write itself took (the terminal reading them). */
static void trace_line(struct app *app, uint64_t t1, size_t bytes, uint64_t write_us)
{
	struct frame_cache *fc = &app->frame;
	const char *name = keyname(fc->trace_key);
	char line[160];
	int n;

	if (name != NULL && name[0] != '\0' && strchr(name, ' ') == NULL && strlen(name) < 40)
		n = snprintf(line, sizeof line, "key=%s", name);
	else
		n = snprintf(line, sizeof line, "key=%d", fc->trace_key);
	n += snprintf(line + n, sizeof line - (size_t)n,
	              " asset=%lld cached=%d us=%llu bytes=%zu write_us=%llu px=%dx%d\n",
	              (long long)app->asset.id, fc->trace_cached > 0,
	              (unsigned long long)(t1 - fc->trace_t0), bytes, (unsigned long long)write_us,
	              fc->shown_w, fc->shown_h);
	(void)!write(fc->trace_fd, line, (size_t)n);
	fc->trace_armed = 0;
}

void frame_show(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	const struct frame_entry *e = fc->ready;
	uint64_t t = now_us();

	fc->ready = NULL;
	if (e == NULL)
		return;
	if (term_write_all(app->tty_fd, e->bytes, e->len) < 0)
		return;
	app->image_on_screen = 1;
	fc->shown_place = frame_key_place(&e->key);
	fc->shown_w = e->img_w;
	fc->shown_h = e->img_h;
	if (fc->trace_armed && fc->trace_fd >= 0) {
		uint64_t t1 = now_us();
		trace_line(app, t1, e->len, t1 - t);
	}
	if (e->problem[0] != '\0')
		app_error(app, "%s", e->problem);
}

int frame_collect(struct app *app)
{
	if (app->frame.pipe == NULL || !frame_pipe_collect(app->frame.pipe))
		return UI_NONE;
	return screen_shows_image(app) ? UI_REDRAW | UI_FRAME : UI_NONE;
}

/* The asset before (-1) or after (1) the open one in the list's order, or 0. */
static int64_t neighbour_id(struct app *app, int dir)
{
	struct list_view *l = &app->list;
	struct asset_row row;
	struct err err;
	int n = 0;

	if (l->nrows == 0 || l->rows[l->sel].id != app->asset.id)
		return 0;
	if (l->sel + dir >= 0 && l->sel + dir < l->nrows)
		return l->rows[l->sel + dir].id;
	if (cache_assets_page(app->cache, &l->query, &l->rows[l->sel].cursor, dir < 0, &row, 1, &n,
	                      &err) < 0 ||
	    n == 0)
		return 0;
	return row.id;
}

void frame_prefetch(struct app *app)
{
	struct frame_spec spec;
	struct asset_detail d;
	struct err err;
	uint64_t sig = FRAME_HASH_SEED;
	int64_t id;

	if (frame_spec_for(app, &spec) < 0 || app->frame.pipe->worker == NULL)
		return;
	/* a neighbour opens whole, unselected, without editing aids */
	spec.selected = -1;
	spec.zoom = 1;
	spec.center_x = spec.center_y = 0;
	spec.marks = NULL;
	/* once per asset and view: an edit of this asset changes nothing next door */
	sig = frame_hash_mix(sig, &app->asset.id, sizeof app->asset.id);
	sig = frame_hash_mix(sig, &spec, sizeof spec);
	if (sig == app->frame.prefetch_sig)
		return;
	app->frame.prefetch_sig = sig;
	worker_drop_prefetch(app->frame.pipe->worker);
	for (int dir = 1; dir >= -1; dir -= 2) {
		if ((id = neighbour_id(app, dir)) <= 0 ||
		    cache_asset_get(app->cache, id, &d, &err) < 0)
			continue;
		frame_pipe_prefetch(app->frame.pipe, &d, &spec);
		cache_asset_detail_free(&d);
	}
}

void frame_forget(struct app *app)
{
	if (app->frame.pipe != NULL)
		frame_pipe_forget(app->frame.pipe);
	app->frame.ready = NULL;
	app->frame_dirty = 1;
}

void frame_trace_key(struct app *app, int key, uint64_t t0)
{
	struct frame_cache *fc = &app->frame;

	if (fc->trace_fd < 0)
		return;
	fc->trace_armed = 1;
	fc->trace_key = key;
	fc->trace_t0 = t0;
	fc->trace_cached = -1;
}

uint64_t frame_clock_us(void)
{
	return now_us();
}

int frame_screen_start(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	const char *trace = getenv("ANNOTTY_TRACE");
	struct err err;

	memset(fc, 0, sizeof *fc);
	fc->trace_fd = -1;
	if (trace != NULL && trace[0] != '\0' &&
	    (fc->trace_fd = open(trace, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		log_msg(LOG_WARN, "ANNOTTY_TRACE: cannot open %s", trace);
	fc->pipe = malloc(sizeof *fc->pipe);
	if (fc->pipe == NULL)
		return -1;
	if (frame_pipe_init(fc->pipe, FRAME_STORE_DEFAULT_BYTES, 1, &err) < 0) {
		log_msg(LOG_WARN, "%s; frames are built without a thread", err.msg);
		frame_pipe_init(fc->pipe, FRAME_STORE_DEFAULT_BYTES, 0, NULL);
	}
	return 0;
}

int frame_screen_fd(const struct app *app)
{
	return app->frame.pipe && app->frame.pipe->worker ? worker_fd(app->frame.pipe->worker) : -1;
}

void frame_screen_stop(struct app *app)
{
	struct frame_cache *fc = &app->frame;

	if (fc->pipe != NULL) {
		frame_pipe_free(fc->pipe);
		free(fc->pipe);
	}
	if (fc->trace_fd >= 0)
		close(fc->trace_fd);
	memset(fc, 0, sizeof *fc);
	fc->trace_fd = -1;
}
