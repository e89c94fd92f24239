/* The TUI's event loop: curses set-up and teardown, one poll() over a list of sources (the
 * terminal, the signal wake-up pipe, the render worker's), key and mouse dispatch through the
 * action table, and one draw per iteration (wnoutrefresh + doupdate, then the image). */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/log.h"
#include "render/render.h"
#include "frame/frame.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum { MIN_COLS = 40, MIN_ROWS = 10 };

int app_reload_pending(struct app *app)
{
	struct err err;

	if (cache_outbox_pending(app->cache, app->dataset_id, &app->pending_edits, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	return 0;
}

static int too_small(const struct app *app)
{
	return app->cols < MIN_COLS || app->rows < MIN_ROWS;
}

static void layout(struct app *app)
{
	int64_t keep = list_current(app) ? list_current(app)->id : 0;

	getmaxyx(stdscr, app->rows, app->cols);
	app->list.page = app->rows - 4; /* title, header, status bar, message line */
	if (app->list.page < 1)
		app->list.page = 1;
	if (app->list.page > LIST_MAX_ROWS)
		app->list.page = LIST_MAX_ROWS;
	if (!too_small(app))
		list_reanchor(app, keep);
	frame_forget(app);
	app->image_on_screen = 0;
	clearok(curscr, TRUE);
}

static void draw_too_small(struct app *app)
{
	erase();
	mvaddstr(0, 0, "Terminal too small");
	mvprintw(1, 0, "need %dx%d,", MIN_COLS, MIN_ROWS);
	mvprintw(2, 0, "have %dx%d", app->cols, app->rows);
}

/* Kitty keeps images on a layer of their own that text does not erase; through tmux the
 * delete must be passed through to the terminal outside. */
static void kitty_delete_image(struct app *app)
{
	struct buf b;
	int rc;

	if (app->graphics != GRAPHICS_KITTY && app->graphics != GRAPHICS_KITTY_TMUX)
		return;
	buf_init(&b, 256);
	rc = app->graphics == GRAPHICS_KITTY_TMUX
	         ? render_kitty_delete_tmux(FRAME_KITTY_IMAGE_ID, &b)
	         : render_kitty_delete(FRAME_KITTY_IMAGE_ID, &b);
	if (rc == 0)
		term_write_all(app->tty_fd, b.data, b.len);
	buf_free(&b);
}

/* Forgets the image when it is about to be covered or must be replaced: the pane's lines are
 * marked for a full repaint, which erases the old pixels. */
static void pane_invalidate(struct app *app)
{
	int top, left, rows, cols;

	if (!app->image_on_screen)
		return;
	viewer_pane(app, &top, &left, &rows, &cols);
	wredrawln(stdscr, top, rows);
	kitty_delete_image(app);
	app->image_on_screen = 0;
}

static void draw(struct app *app)
{
	if (too_small(app)) {
		pane_invalidate(app);
		draw_too_small(app);
	} else if (app->screen == SCREEN_HELP) {
		pane_invalidate(app);
		help_draw(app);
	} else if (app->screen == SCREEN_ASSET) {
		if (app->frame_dirty && !frame_prepare(app))
			pane_invalidate(app);
		viewer_draw(app);
		frame_placeholder(app);
	} else {
		pane_invalidate(app);
		list_draw(app);
	}
	wnoutrefresh(stdscr);
	doupdate();
	if (!too_small(app) && app->screen == SCREEN_ASSET && app->frame_dirty) {
		char before[MSG_MAX];
		memcpy(before, app->message, sizeof before);
		frame_show(app);
		app->frame_dirty = 0;
		if (strcmp(before, app->message) != 0) { /* the frame had something to say */
			chrome_draw_bottom(app);
			wnoutrefresh(stdscr);
			doupdate();
		}
	}
	if (!too_small(app) && app->screen == SCREEN_ASSET)
		frame_prefetch(app); /* after the frame: the user waits for that one */
}

static int help_key(struct app *app, int key)
{
	switch (key) {
	case 'j':
	case KEY_DOWN:
		app->help_scroll++;
		break;
	case 'k':
	case KEY_UP:
		if (app->help_scroll > 0)
			app->help_scroll--;
		break;
	case 'q':
	case 27:
	case '?':
		app->screen = app->help_return;
		app->frame_dirty = 1;
		break;
	default:
		break;
	}
	return UI_REDRAW;
}

#define DOUBLE_CLICK_MS 400

/* The wheel: the list scrolls, the image zooms. */
static int mouse_wheel(struct app *app, int up)
{
	if (app->screen == SCREEN_LIST) {
		list_move(app, up ? -3 : 3);
		return UI_REDRAW;
	}
	if (app->screen == SCREEN_ASSET)
		return actions_dispatch(app, actions_find(up ? "zoom-in" : "zoom-out"), NULL);
	return UI_NONE;
}

/* A press on the list: the row is selected; a second press on it soon after (or a double
 * click curses read as one) opens it. */
static int mouse_list(struct app *app, int row, mmask_t bstate)
{
	long t = (long)(frame_clock_us() / 1000);
	int i = list_row_at(app, row), twice;

	if (i < 0)
		return UI_NONE;
	twice = (bstate & BUTTON1_DOUBLE_CLICKED) ||
	        (i == app->list.sel && app->last_press_row == row &&
	         t - app->last_press_ms <= DOUBLE_CLICK_MS);
	app->list.sel = i;
	app->last_press_row = twice ? -1 : row;
	app->last_press_ms = t;
	return twice ? actions_dispatch(app, actions_find("open"), NULL) : UI_REDRAW;
}

static int mouse_event(struct app *app)
{
	MEVENT ev;
	int i;

	if (getmouse(&ev) != OK)
		return UI_NONE;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		return mouse_wheel(app, !!(ev.bstate & BUTTON4_PRESSED));
	if (app->screen != SCREEN_ASSET && app->screen != SCREEN_LIST)
		return UI_NONE;
	if (ev.bstate & REPORT_MOUSE_POSITION)
		return app->screen == SCREEN_ASSET ? edit_drag(app, ev.y, ev.x) : UI_NONE;
	if (ev.bstate & BUTTON1_RELEASED)
		return app->screen == SCREEN_ASSET ? edit_release(app, ev.y, ev.x) : UI_NONE;
	if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
		return UI_NONE;
	if (app->screen == SCREEN_LIST)
		return mouse_list(app, ev.y, ev.bstate);
	/* the side panel's list, else the picture */
	if ((i = viewer_shape_at(app, ev.y, ev.x)) >= 0)
		return edit_select(app, i);
	return edit_press(app, ev.y, ev.x);
}

static int handle_key(struct app *app, int key)
{
	const struct action *a;

	if (key == KEY_RESIZE) {
		layout(app);
		return UI_REDRAW;
	}
	if (too_small(app))
		return key == 'q' || key == 'Q' ? UI_QUIT : UI_NONE;
	if (app->prompt.active)
		return prompt_key(app, key);
	if (app->screen == SCREEN_HELP)
		return help_key(app, key);
	if (key == KEY_MOUSE)
		return mouse_event(app);
	a = actions_for_key(app, key);
	if (a == NULL)
		return UI_NONE;
	if (a->key[0] != 27)
		app->message[0] = '\0';
	return actions_dispatch(app, a, NULL);
}

/* Motion while a button is held (xterm's mode 1002), which curses does not ask for itself;
 * off again before the terminal is handed back. */
static void mouse_motion(struct app *app, int on)
{
	static const char start[] = "\033[?1002h", stop[] = "\033[?1002l";

	term_write_all(app->tty_fd, on ? start : stop, (on ? sizeof start : sizeof stop) - 1);
}

static void curses_start(struct app *app)
{
	initscr();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	colors_init();
	/* presses, releases and the motion between them (drags) as they come, with no click
	 * resolution to wait for; a press and release read together still come as a click */
	mousemask(BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
	              REPORT_MOUSE_POSITION | BUTTON4_PRESSED | BUTTON5_PRESSED,
	          NULL);
	mouseinterval(0);
	refresh(); /* curses' own mouse mode goes out first: the last mode set is the one used */
	mouse_motion(app, 1);
	layout(app);
	/* keys typed while annotty started (read with the terminal's replies), in their order */
	for (int i = app->caps.ntypeahead - 1; i >= 0; i--)
		ungetch((unsigned char)app->caps.typeahead[i]);
	app->caps.ntypeahead = 0;
}

/* Ctrl-Z: give the terminal back, stop, and take it again after fg. */
static void suspend(struct app *app)
{
	mouse_motion(app, 0);
	endwin();
	term_suspend_self();
	refresh();
	mouse_motion(app, 1);
	layout(app);
}

static int handle_signals(struct app *app)
{
	int flags = term_signals_take();

	if (flags & TERM_SIG_QUIT)
		return UI_QUIT;
	if (flags & TERM_SIG_TSTP)
		suspend(app);
	if (flags & TERM_SIG_WINCH) {
		struct winsize ws;
		if (ioctl(app->tty_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
			resizeterm(ws.ws_row, ws.ws_col);
		layout(app);
	}
	if (flags & (TERM_SIG_CONT | TERM_SIG_WINCH)) {
		frame_forget(app);
		app->image_on_screen = 0;
		clearok(curscr, TRUE);
	}
	return flags ? UI_REDRAW : UI_NONE;
}

/* After an Esc: a terminal's reply that came too late for the start-up questions (a slow
 * link) reads as keys; ESC [ ... (no key curses knows: those come decoded) or ESC _ ... ESC \
 * is passed over whole (term_sequence_length says where it ends), so that none of its
 * characters acts as a key. 1 when one was. */
static int swallow_reply(void)
{
	char seq[512] = "\033";
	size_t n = 1;
	int c = getch();

	if (c != '[' && c != '_') {
		if (c != ERR)
			ungetch(c);
		return 0;
	}
	do
		seq[n++] = (char)c;
	while (term_sequence_length(seq, n) == 0 && n < sizeof seq && (c = getch()) != ERR);
	return 1;
}

static int read_keys(struct app *app)
{
	int key, one, change = UI_NONE;
	uint64_t t0;

	while ((key = getch()) != ERR) {
		if (key == 27 && swallow_reply())
			continue;
		t0 = app->frame.trace_fd >= 0 ? frame_clock_us() : 0;
		key = key == '\r' ? '\n' : key;
		one = handle_key(app, key);
		if ((one & UI_FRAME) || app->frame_dirty)
			frame_trace_key(app, key, t0);
		change |= one;
		if (change & UI_QUIT)
			break;
	}
	return change;
}

/* What the loop waits on: a descriptor and what to do when it is readable (it returns enum
 * ui_change), or after every wake-up for a source that may hold input its descriptor no longer
 * shows (curses keeps keys it read ahead or was handed back). The signals' wake-up pipe, the
 * render worker's results, the terminal's keys; another thread's pipe is one more row. */
struct poll_source {
	int fd;
	int (*ready)(struct app *app);
	int every_wake;
};

enum { POLL_SOURCES_MAX = 8 };

struct poll_sources {
	struct poll_source src[POLL_SOURCES_MAX];
	struct pollfd fds[POLL_SOURCES_MAX];
	int n;
};

/* A source without a descriptor (-1: no thread could be started) is left out. */
static void sources_add(struct poll_sources *s, int fd, int (*ready)(struct app *app),
                        int every_wake)
{
	if (fd < 0 || s->n == POLL_SOURCES_MAX)
		return;
	s->src[s->n] = (struct poll_source){fd, ready, every_wake};
	s->fds[s->n] = (struct pollfd){.fd = fd, .events = POLLIN};
	s->n++;
}

static int signals_ready(struct app *app)
{
	term_wake_drain();
	return handle_signals(app);
}

/* Each source that woke the loop, in the order they were added, until one says quit. */
static int sources_run(struct poll_sources *s, struct app *app)
{
	int change = UI_NONE;

	for (int i = 0; i < s->n && !(change & UI_QUIT); i++)
		if (s->fds[i].revents != 0 || s->src[i].every_wake)
			change |= s->src[i].ready(app);
	return change;
}

static int loop(struct app *app, int wake_fd)
{
	struct poll_sources s = {0};
	int change = UI_REDRAW;

	sources_add(&s, wake_fd, signals_ready, 0);
	sources_add(&s, frame_screen_fd(app), frame_collect, 0);
	sources_add(&s, STDIN_FILENO, read_keys, 1);
	for (;;) {
		if (change & UI_FRAME)
			app->frame_dirty = 1;
		if (change & UI_RELOAD && app->screen == SCREEN_LIST && list_current(app))
			list_reanchor(app, list_current(app)->id);
		if (change & (UI_REDRAW | UI_FRAME | UI_RELOAD))
			draw(app);
		if (poll(s.fds, (nfds_t)s.n, -1) < 0) {
			if (errno != EINTR)
				return -1;
			change = UI_NONE; /* the signal's byte wakes the next poll() at once */
			continue;
		}
		change = sources_run(&s, app);
		if (change & UI_QUIT)
			return 0;
	}
}

int app_run(struct app *app)
{
	int wake_fd, rc;

	app->tty_fd = STDOUT_FILENO;
	wake_fd = term_signals_install(STDOUT_FILENO);
	app->screen = SCREEN_LIST;
	app->list.query.dataset_id = app->dataset_id;
	app->selected_shape = -1;
	app->overlays = 1;
	app->zoom = 1;
	if (frame_screen_start(app) < 0) {
		log_msg(LOG_ERROR, "out of memory for the frames");
		return -1;
	}
	app_reload_pending(app);
	curses_start(app);
	rc = loop(app, wake_fd);
	if (app->image_on_screen)
		kitty_delete_image(app);
	viewer_close(app);
	frame_screen_stop(app);
	mouse_motion(app, 0);
	endwin();
	return rc;
}
