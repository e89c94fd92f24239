/* My tasks of a campaign step, and task mode: the asset screen working through that queue with
 * the task's context in its side panel, one key per decision, the next image prefetched (the
 * shared list window holds the queue's neighbours while a task is open). */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/task.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

enum { TASKS_TOP = 3, PANEL_ROWS = 9 };

struct tasks_state {
	struct campaign_info campaign;
	struct step_row step;
	struct task_row rows[LIST_MAX_ROWS]; /* the window of the queue the screen shows */
	int nrows, sel, first_pos, total;
	/* task mode: the asset screen on top works through the queue from cur */
	int active;
	struct task_row cur;
	int pos;            /* cur's position in the queue */
	int64_t list_asset; /* the list's selected asset before, put back after */
	uint64_t last_us;   /* the last key (or the task shown), frame_clock_us */
	double spent;       /* seconds on cur so far */
};

static struct tasks_state *tasks_of(const struct app *app)
{
	return screen_state(app, SCREEN_INDEX_TASKS);
}

static int tasks_page(const struct app *app)
{
	int page = app->rows - TASKS_TOP - 2;

	return page < 1 ? 1 : page > LIST_MAX_ROWS ? LIST_MAX_ROWS : page;
}

/* Rows of the queue after (or before) a cursor; 0 on success with *n set. */
static int queue_fetch(struct app *app, struct tasks_state *st, const struct task_cursor *from,
                       int backward, struct task_row *rows, int max, int *n)
{
	struct err err;

	if (cache_tasks_page(app->cache, st->step.id, from, backward, rows, max, n, &err) < 0) {
		app_error(app, "%s", err.msg);
		*n = 0;
		return -1;
	}
	return 0;
}

static int tasks_reload(struct app *app, struct tasks_state *st)
{
	struct err err;

	if (cache_step_get(app->cache, st->step.id, &st->step, &err) < 0 ||
	    cache_tasks_count(app->cache, st->step.id, &st->total, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	st->sel = st->first_pos = 0;
	return queue_fetch(app, st, NULL, 0, st->rows, tasks_page(app), &st->nrows);
}

static int tasks_enter(struct app *app, void *self, const void *arg)
{
	struct tasks_state *st = self;
	struct err err;

	memset(st, 0, sizeof *st);
	st->step.id = *(const int64_t *)arg;
	if (cache_campaign_find(app->cache, app->dataset_id, &st->campaign, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	return tasks_reload(app, st);
}

int tasks_screen_move(struct app *app, int delta)
{
	struct tasks_state *st = tasks_of(app);
	struct task_row row;
	int n = 0, dir = delta > 0 ? 1 : -1;

	if (st->nrows == 0 || (dir > 0 && st->sel + 1 < st->nrows) || (dir < 0 && st->sel > 0)) {
		st->sel += st->nrows ? dir : 0;
		return UI_REDRAW;
	}
	if (queue_fetch(app, st, &st->rows[dir > 0 ? st->nrows - 1 : 0].cursor, dir < 0, &row, 1,
	                &n) < 0 ||
	    n == 0)
		return UI_REDRAW;
	if (dir > 0) {
		memmove(&st->rows[0], &st->rows[1], (size_t)(st->nrows - 1) * sizeof row);
		st->rows[st->nrows - 1] = row;
		st->first_pos++;
	} else {
		memmove(&st->rows[1], &st->rows[0], (size_t)(st->nrows - 1) * sizeof row);
		st->rows[0] = row;
		st->first_pos--;
	}
	return UI_REDRAW;
}

static void draw_task_row(struct app *app, int y, const struct tasks_state *st, int i)
{
	const struct task_row *t = &st->rows[i];
	char line[1200], name[600], returned[32] = "";

	if (t->rejected_count > 0)
		snprintf(returned, sizeof returned, "returned %d\xc3\x97", t->rejected_count);
	str_fit(t->filename, app->cols / 3, 1, name, sizeof name);
	snprintf(line, sizeof line, " %5d  %s  %-9s %-12s %s", st->first_pos + i + 1, name,
	         assignment_status_name(t->status), returned, t->comment);
	if (i == st->sel)
		attron(COLOR_PAIR(PAIR_SELECTED));
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 0, app->cols, line, 1);
	if (i == st->sel)
		attroff(COLOR_PAIR(PAIR_SELECTED));
}

static void tasks_draw(struct app *app, void *self)
{
	struct tasks_state *st = self;
	char crumb[400], line[400];

	erase();
	snprintf(crumb, sizeof crumb, "%s \xe2\x80\xba my tasks", st->step.name);
	chrome_draw_title(app, crumb);
	snprintf(line, sizeof line,
	         " %s step, %d task%s for you, returned work first  (Enter opens)",
	         step_type_name(st->step.type), st->total, st->total == 1 ? "" : "s");
	ui_put(1, 0, app->cols, line, 0);
	attron(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	mvhline(TASKS_TOP - 1, 0, ' ', app->cols);
	ui_put(TASKS_TOP - 1, 0, app->cols, "     #  FILENAME / STATUS / RETURNED / COMMENT", 0);
	attroff(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	for (int i = 0; i < st->nrows && TASKS_TOP + i < app->rows - 2; i++)
		draw_task_row(app, TASKS_TOP + i, st, i);
	if (st->nrows == 0) {
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(TASKS_TOP + 1, 2, app->cols - 4, "no tasks for you in this step", 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
	chrome_draw_bottom(app);
}

/* ---- task mode ------------------------------------------------------------------------- */

/* The shared list window becomes the queue around cur: the title shows "3/41" and the frames
 * prefetch the tasks beside it. */
static void window_sync(struct app *app, struct tasks_state *st)
{
	struct task_row before, after;
	struct list_view *l = &app->list;
	int nb = 0, na = 0, k = 0;

	queue_fetch(app, st, &st->cur.cursor, 1, &before, 1, &nb);
	queue_fetch(app, st, &st->cur.cursor, 0, &after, 1, &na);
	memset(l->rows, 0, 3 * sizeof l->rows[0]);
	if (nb == 1) {
		l->rows[k].id = before.asset_id;
		str_copy(l->rows[k++].filename, before.filename, sizeof l->rows[0].filename);
	}
	l->sel = k;
	l->rows[k].id = st->cur.asset_id;
	str_copy(l->rows[k++].filename, st->cur.filename, sizeof l->rows[0].filename);
	if (na == 1) {
		l->rows[k].id = after.asset_id;
		str_copy(l->rows[k++].filename, after.filename, sizeof l->rows[0].filename);
	}
	l->nrows = k;
	l->first_pos = st->pos - l->sel;
	l->total = st->total;
}

/* Shows cur on the asset screen; its time starts now. */
static int task_show(struct app *app, struct tasks_state *st)
{
	window_sync(app, st);
	st->spent = 0;
	st->last_us = frame_clock_us();
	if (app->screen != SCREEN_ASSET)
		return screen_push(app, SCREEN_INDEX_ASSET, &st->cur.asset_id);
	viewer_open(app, st->cur.asset_id);
	return UI_REDRAW | UI_FRAME;
}

int tasks_screen_open_task(struct app *app)
{
	struct tasks_state *st = tasks_of(app);
	const struct asset_row *row = list_current(app);

	if (st->nrows == 0)
		return UI_REDRAW;
	st->list_asset = row != NULL ? row->id : 0;
	st->cur = st->rows[st->sel];
	st->pos = st->first_pos + st->sel;
	st->active = 1;
	app->source.in_task = 1;
	return task_show(app, st);
}

void task_mode_activity(struct app *app)
{
	struct tasks_state *st = tasks_of(app);
	uint64_t now = frame_clock_us();
	double gap;

	if (!st->active)
		return;
	gap = (double)(now - st->last_us) / 1e6;
	if (gap <= TASK_IDLE_MAX) /* a longer pause was not work */
		st->spent += gap;
	st->last_us = now;
}

void task_mode_leave(struct app *app)
{
	struct tasks_state *st = tasks_of(app);

	if (!st->active)
		return;
	st->active = 0;
	app->source.in_task = 0;
	list_reanchor(app, st->list_asset);
	tasks_reload(app, st);
	campaign_screen_stale(app);
}

/* Moves cur one task along the queue (without deciding); 0 when there is none that way. */
static int task_step(struct app *app, struct tasks_state *st, int dir)
{
	struct task_row row;
	int n = 0;

	if (queue_fetch(app, st, &st->cur.cursor, dir < 0, &row, 1, &n) < 0 || n == 0)
		return 0;
	st->cur = row;
	st->pos += dir;
	return 1;
}

/* After a decision cur has left the queue: the task after it takes its place, else the one
 * before; with none left, back to my tasks. */
static int task_advance(struct app *app, struct tasks_state *st)
{
	struct task_row row;
	int n = 0;

	st->total = st->total > 0 ? st->total - 1 : 0;
	if (queue_fetch(app, st, &st->cur.cursor, 0, &row, 1, &n) == 0 && n == 1) {
		st->cur = row;
		return task_show(app, st);
	}
	if (task_step(app, st, -1))
		return task_show(app, st);
	edit_reset(app);
	return screen_pop(app); /* task mode ends with the asset screen */
}

static int task_guard(struct app *app, struct tasks_state *st)
{
	if (st->active && app->asset_loaded && app->asset.id == st->cur.asset_id)
		return 0;
	app_error(app, "the open image is not the task's (N goes back to the queue)");
	return -1;
}

static const char *const decided[TASK_DECISION_COUNT] = {[TASK_SUBMIT] = "submitted",
                                                         [TASK_ACCEPT] = "accepted",
                                                         [TASK_REJECT] = "rejected",
                                                         [TASK_SKIP] = "skipped"};

static int task_decide(struct app *app, enum task_decision d, const char *comment)
{
	struct tasks_state *st = tasks_of(app);
	struct err err;
	int left, change;
	double spent;

	if (task_guard(app, st) < 0)
		return UI_REDRAW;
	edit_reset(app);
	task_mode_activity(app);
	if (cache_task_decide(app->cache, st->cur.id, d, comment, st->spent, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	app_reload_pending(app);
	campaign_screen_stale(app);
	spent = st->spent;
	left = st->total - 1;
	change = task_advance(app, st);
	if (left > 0)
		app_message(app, "%s (%.0f s); %d task%s left", decided[d], spent, left,
		            left == 1 ? "" : "s");
	else
		app_message(app, "%s; no more tasks for you in this step", decided[d]);
	return change | UI_REDRAW;
}

int task_act_submit(struct app *app, const struct action_call *c)
{
	return task_decide(app, TASK_SUBMIT, NULL);
}

int task_act_accept(struct app *app, const struct action_call *c)
{
	return task_decide(app, TASK_ACCEPT, NULL);
}

int task_act_reject(struct app *app, const struct action_call *c)
{
	if (c->arg != NULL)
		return task_decide(app, TASK_REJECT, c->arg);
	if (task_guard(app, tasks_of(app)) < 0)
		return UI_REDRAW;
	prompt_open(app, PROMPT_REASON, "reject, reason (Tab or Up: the last ones): ", "");
	return UI_REDRAW;
}

int task_act_skip(struct app *app, const struct action_call *c)
{
	return task_decide(app, TASK_SKIP, NULL);
}

/* j and k pan a zoomed image, as on the asset screen; otherwise they move like N and P. */
static int task_move(struct app *app, const struct action_call *c, int dir)
{
	struct tasks_state *st = tasks_of(app);

	if (app->zoom > 1 && c->key != 'N' && c->key != 'P' && c->key != 'n' && c->key != 'p')
		return actions_dispatch(app, actions_find(dir > 0 ? "pan-down" : "pan-up"), NULL);
	if (!task_step(app, st, dir)) {
		app_message(app, dir > 0 ? "this is the last task" : "this is the first task");
		return UI_REDRAW;
	}
	edit_reset(app);
	return task_show(app, st);
}

int task_act_next(struct app *app, const struct action_call *c)
{
	return task_move(app, c, 1);
}

int task_act_prev(struct app *app, const struct action_call *c)
{
	return task_move(app, c, -1);
}

int task_complete_reasons(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	char reasons[16][CACHE_COMMENT_MAX + 1];
	int n = 0, k = 0;

	if (cache_task_reasons(app->cache, tasks_of(app)->campaign.id, reasons, 16, &n, NULL) < 0)
		return 0;
	for (int i = 0; i < n && k < max; i++)
		if (strncmp(reasons[i], prefix, strlen(prefix)) == 0) {
			str_copy(out[k].text, reasons[i], sizeof out[k].text);
			out[k++].why = NULL;
		}
	return k;
}

/* ---- the side panel in task mode ----------------------------------------------------- */

int task_panel_rows(const struct app *app)
{
	return tasks_of(app)->active && app->rows >= 24 ? PANEL_ROWS : 0;
}

/* The instructions, wrapped at spaces into at most rows lines from y. */
static int draw_wrapped(int y, int x, int w, const char *text, int rows)
{
	char line[512];
	const char *p = text;

	while (*p != '\0' && rows-- > 0) {
		size_t n = strlen(p), cut = n;
		if ((int)n > w) {
			cut = (size_t)w;
			while (cut > 0 && p[cut] != ' ')
				cut--;
			if (cut == 0)
				cut = (size_t)w;
		}
		snprintf(line, sizeof line, "%.*s", (int)cut, p);
		ui_put(y++, x, w, line, 0);
		for (p += cut; *p == ' ';)
			p++;
	}
	return y;
}

static const char *task_keys(const struct tasks_state *st)
{
	return st->step.type == STEP_REVIEW ? "A accept  R reject  K skip  N P"
	                                    : "s submit  K skip  N P";
}

void task_panel_draw(struct app *app, int x, int w, int top)
{
	struct tasks_state *st = tasks_of(app);
	char line[700];
	int y = top, bottom = top + task_panel_rows(app);

	if (y == bottom)
		return;
	mvhline(y++, x, ACS_HLINE, w);
	attron(A_BOLD);
	snprintf(line, sizeof line, "Task %d/%d", st->pos + 1, st->total);
	ui_put(y++, x + 1, w - 2, line, 0);
	attroff(A_BOLD);
	snprintf(line, sizeof line, "%s, %s step", st->step.name,
	         st->step.type == STEP_REVIEW ? "review" : "annotate");
	ui_put(y++, x + 1, w - 2, line, 0);
	if (st->cur.rejected_count > 0) {
		attron(COLOR_PAIR(PAIR_REJECTED));
		snprintf(line, sizeof line, "returned %d\xc3\x97: %s", st->cur.rejected_count,
		         st->cur.comment[0] ? st->cur.comment : "(no comment)");
		y = draw_wrapped(y, x + 1, w - 2, line, 2);
		attroff(COLOR_PAIR(PAIR_REJECTED));
	}
	attron(COLOR_PAIR(PAIR_DIM));
	y = draw_wrapped(y, x + 1, w - 2, st->campaign.instructions, bottom - 1 - y);
	attroff(COLOR_PAIR(PAIR_DIM));
	ui_put(bottom - 1, x + 1, w - 2, task_keys(st), 0);
}

const struct screen_ops screen_tasks = {
    .name = "tasks",
    .state_size = sizeof(struct tasks_state),
    .enter = tasks_enter,
    .draw = tasks_draw,
};
