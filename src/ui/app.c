/* The TUI's event loop: curses set-up and teardown, one poll() over a list of sources (the
 * terminal, the signal wake-up pipe, the render worker's, the sync worker's), keys and the mouse
 * handed to the screen on top (and from it to the action table), and one draw per iteration
 * (wnoutrefresh + doupdate, then the image). */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/config.h"
#include "core/log.h"
#include "render/render.h"
#include "frame/frame.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/timerfd.h>
#include <unistd.h>

enum { MIN_COLS = 40, MIN_ROWS = 10 };
/* The longest the loop sleeps before it looks whether the cache changed beside it. */
enum { WATCH_MS = 1000 };

int app_reload_pending(struct app *app)
{
	struct err err;

	if (cache_outbox_pending(app->cache, app->dataset_id, &app->pending_edits, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	return app_count_conflicts(app, &app->conflicts);
}

static int too_small(const struct app *app)
{
	return app->cols < MIN_COLS || app->rows < MIN_ROWS;
}

/* The terminal's size changed: each screen on the stack fits itself to it (the list's window
 * is kept while the terminal is too small, so that its rows come back as they were). */
static void layout(struct app *app)
{
	getmaxyx(stdscr, app->rows, app->cols);
	for (int i = 0; i < app->screens.depth && !too_small(app); i++) {
		enum screen_index s = app->screens.at[i];
		if (screen_ops(s)->resize != NULL)
			screen_ops(s)->resize(app, screen_state(app, s));
	}
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

static int top_shows_image(const struct app *app)
{
	return (screen_ops(screen_top(app))->flags & SCREEN_SHOWS_IMAGE) != 0;
}

/* The screen on top draws its text; the one that shows an image gets its frame written
 * after doupdate, and its neighbours' frames prepared after that. */
static void draw(struct app *app)
{
	enum screen_index top = screen_top(app);
	int image = !too_small(app) && top_shows_image(app);

	if (too_small(app)) {
		pane_invalidate(app);
		draw_too_small(app);
	} else if (image) {
		if (app->frame_dirty && !frame_prepare(app))
			pane_invalidate(app);
		screen_ops(top)->draw(app, screen_state(app, top));
		frame_placeholder(app);
	} else {
		pane_invalidate(app);
		screen_ops(top)->draw(app, screen_state(app, top));
	}
	wnoutrefresh(stdscr);
	doupdate();
	if (image && app->frame_dirty) {
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
	if (image)
		frame_prefetch(app); /* after the frame: the user waits for that one */
}

/* A mouse event as the screens see it: the wheel, motion with the button held, a release,
 * or a press (a click curses read whole counts as one). */
static int mouse_read(struct screen_mouse *m)
{
	MEVENT ev;

	if (getmouse(&ev) != OK)
		return -1;
	m->row = ev.y;
	m->col = ev.x;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED))
		m->kind = ev.bstate & BUTTON4_PRESSED ? MOUSE_WHEEL_UP : MOUSE_WHEEL_DOWN;
	else if (ev.bstate & REPORT_MOUSE_POSITION)
		m->kind = MOUSE_DRAG;
	else if (ev.bstate & BUTTON1_RELEASED)
		m->kind = MOUSE_RELEASE;
	else if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
		m->kind = MOUSE_DOUBLE;
	else if (ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		m->kind = MOUSE_PRESS;
	else
		return -1;
	return 0;
}

static int handle_key_now(struct app *app, int key)
{
	enum screen_index top = screen_top(app);
	const struct screen_ops *ops = screen_ops(top);
	const struct action *a;
	struct screen_mouse m;
	int change;

	if (key == KEY_RESIZE) {
		layout(app);
		return UI_REDRAW;
	}
	if (too_small(app))
		return key == 'q' || key == 'Q' ? UI_QUIT : UI_NONE;
	if (edit_history_cancels(app, key)) {
		if (key == KEY_MOUSE)
			mouse_read(&m); /* used up with the key */
		return UI_REDRAW;
	}
	if (app->prompt.active)
		return prompt_key(app, key);
	if (ops->key != NULL &&
	    (change = ops->key(app, screen_state(app, top), key)) != SCREEN_KEY_ACTIONS)
		return change;
	if (key == KEY_MOUSE)
		return ops->mouse != NULL && mouse_read(&m) == 0
		           ? ops->mouse(app, screen_state(app, top), &m)
		           : UI_NONE;
	if (!actions_key_resolve(app, key, &a))
		return UI_REDRAW; /* the first key of a sequence: the message says so */
	if (a == NULL)
		return UI_NONE;
	if (a->key[0] != 27)
		app->message[0] = '\0';
	return actions_dispatch_key(app, a, key);
}

/* Motion while a button is held (xterm's mode 1002), which curses does not ask for itself,
 * and focus reports (mode 1004: ESC [ I when the window gets the focus back, so that what
 * changed meanwhile is read at once); both off again before the terminal is handed back. */
static void mouse_motion(struct app *app, int on)
{
	static const char start[] = "\033[?1002h\033[?1004h", stop[] = "\033[?1004l\033[?1002l";

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
 * characters acts as a key. A focus report (ESC [ I) asks for a look at the cache. 1 when a
 * sequence was passed over. */
static int swallow_reply(struct app *app)
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
	if (n == 3 && seq[1] == '[' && seq[2] == 'I')
		app->focus_gained = 1;
	return 1;
}

/* The answer to the question before quitting with unsent edits: y quits, any other key stays. */
static int quit_answer(struct app *app, int key)
{
	app->quit_ask = 0;
	if (key == 'y' || key == 'Y')
		return UI_QUIT;
	app_message(app, "not quitting: the edits wait for the next sync (S sends them now)");
	return UI_REDRAW;
}

static int handle_key(struct app *app, int key)
{
	int change;

	if (app->quit_ask && key != KEY_RESIZE)
		return quit_answer(app, key);
	change = handle_key_now(app, key);
	if ((change & UI_QUIT) && remote_quit_asks(app))
		return (change & ~UI_QUIT) | UI_REDRAW;
	return change;
}

/* Keys handled in one turn of the loop at most: a large paste must not keep a quit, a signal or
 * a finished frame waiting for more than a turn. */
#define KEYS_PER_TURN 64

static int read_keys(struct app *app)
{
	int key, one, change = UI_NONE, taken = 0;
	uint64_t t0;

	app->keys_waiting = 0;
	while ((key = getch()) != ERR) {
		if (++taken > KEYS_PER_TURN) {
			ungetch(key);
			app->keys_waiting = 1;
			break;
		}
		if (key == 27 && swallow_reply(app))
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
	sources_add(&s, remote_fd(app), remote_ready, 1);
	sources_add(&s, remote_timer_fd(app), remote_tick, 0);
	sources_add(&s, STDIN_FILENO, read_keys, 1);
	for (;;) {
		if (change & UI_FRAME)
			app->frame_dirty = 1;
		if (change & UI_RELOAD && app->screen == SCREEN_LIST && list_current(app))
			list_reanchor(app, list_current(app)->id);
		if (change & (UI_REDRAW | UI_FRAME | UI_RELOAD))
			draw(app);
		if (poll(s.fds, (nfds_t)s.n, app->keys_waiting ? 0 : WATCH_MS) < 0) {
			if (errno != EINTR)
				return -1;
			change = UI_NONE; /* the signal's byte wakes the next poll() at once */
			continue;
		}
		change = sources_run(&s, app);
		if (change & UI_QUIT)
			return 0;
		change |= app_watch(app, 0);
	}
}

int app_run(struct app *app)
{
	int wake_fd, rc;

	app->tty_fd = STDOUT_FILENO;
	wake_fd = term_signals_install(STDOUT_FILENO);
	app->list.query.dataset_id = app->dataset_id;
	/* a local dataset: there, with no tasks, and writable unless the cache was found damaged
	 * when it was opened (then it is read-only until rebuilt) */
	app->source = (struct source_state){
	    .read_only = cache_damage(app->cache) != NULL, .online = 1, .in_task = 0};
	if (app->source.read_only)
		app_error(app,
		          "the cache is damaged and read-only: quit and run annotty cache rebuild");
	app->selected_shape = -1;
	app->overlays = 1;
	app->zoom = 1;
	app->remote.timer_fd = app->remote.worker != NULL
	                           ? timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)
	                           : -1;
	if (app->remote.worker != NULL) { /* what the cache holds shows at once; a sync follows */
		sync_worker_sync(app->remote.worker, NULL, 0);
		app->remote.syncing = 1;
	}
	app->auto_advance = app->confirm_new_labels = 1;
	if (app->config != NULL) /* bindings, theme, settings: before curses starts */
		config_apply(app, app->config);
	if (screens_init(app) < 0) {
		log_msg(LOG_ERROR, "out of memory for the screens");
		return -1;
	}
	if (frame_screen_start(app) < 0) {
		log_msg(LOG_ERROR, "out of memory for the frames");
		screens_free(app);
		return -1;
	}
	app_watch_start(app);
	app_reload_pending(app);
	curses_start(app);
	rc = loop(app, wake_fd);
	if (app->image_on_screen)
		kitty_delete_image(app);
	screens_free(app); /* the asset screen lets its asset go */
	frame_screen_stop(app);
	mouse_motion(app, 0);
	endwin();
	remote_stop(app); /* a sync under way stops after its page or entry */
	return rc;
}
