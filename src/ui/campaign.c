/* The campaign screen: the dataset's campaign, its steps in order with their type, assignees,
 * counts per status and a progress bar; Enter on a step opens my tasks of it. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/task.h"
#include "core/str.h"

#include <curses.h>
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAMPAIGN_STEPS_MAX 32
#define BAR_WIDTH          16
enum { STEPS_TOP = 5 }; /* title, campaign, instructions, blank line, header */

struct campaign_state {
	struct campaign_info info;
	struct step_row steps[CAMPAIGN_STEPS_MAX];
	int nsteps;
	int sel;
	int stale; /* read the counts again before drawing */
};

static struct campaign_state *campaign_of(const struct app *app)
{
	return screen_state(app, SCREEN_INDEX_CAMPAIGN);
}

void campaign_screen_stale(struct app *app)
{
	campaign_of(app)->stale = 1;
}

static int campaign_load(struct app *app, struct campaign_state *st)
{
	struct err err;
	int r = cache_campaign_find(app->cache, app->dataset_id, &st->info, &err);

	st->stale = 0;
	st->nsteps = 0;
	if (r < 0 || (r == 1 && cache_steps_list(app->cache, st->info.id, st->steps,
	                                         CAMPAIGN_STEPS_MAX, &st->nsteps, &err) < 0)) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	if (r == 0) {
		app_error(app, "this dataset has no campaign (:campaign start [RATE] starts one)");
		return -1;
	}
	if (st->sel >= st->nsteps)
		st->sel = st->nsteps > 0 ? st->nsteps - 1 : 0;
	return 0;
}

void campaign_bar(char *out, size_t outsz, int width, int done, int total, int ascii)
{
	static const char *const cells[9] = {"\xe2\x96\x91", /* light shade: the part still to do */
	                                     "\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d",
	                                     "\xe2\x96\x8c", "\xe2\x96\x8b", "\xe2\x96\x8a",
	                                     "\xe2\x96\x89", "\xe2\x96\x88"};
	long units = total > 0 ? (long)done * width * 8 / total : 0;
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; i < width && at + 4 < outsz; i++, units -= 8) {
		int fill = units >= 8 ? 8 : units > 0 ? (int)units : 0;
		const char *cell = ascii ? (fill >= 4 ? "#" : ".") : cells[fill];
		at += (size_t)snprintf(out + at, outsz - at, "%s", cell);
	}
}

static int locale_ascii(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs == NULL || (strcmp(cs, "UTF-8") != 0 && strcmp(cs, "utf8") != 0);
}

static void draw_step(struct app *app, int y, const struct step_row *s, int selected)
{
	char line[1024], bar[BAR_WIDTH * 4 + 1], name[64], who[64];
	const struct step_counts *k = &s->counts;
	int open = k->pending_mine + k->pending_others;

	campaign_bar(bar, sizeof bar, BAR_WIDTH, s->total - open, s->total, locale_ascii());
	str_fit(s->name, 16, 1, name, sizeof name);
	str_fit(s->assignees[0] ? s->assignees : "-", 14, 1, who, sizeof who);
	snprintf(line, sizeof line, " %2d %s %-10s %s %5d %6d %5d %5d %5d %5d  %s %3d%%",
	         s->position + 1, name, step_type_name(s->type), who, k->pending_mine,
	         k->pending_others, k->submitted, k->accepted, k->rejected, k->skipped, bar,
	         s->total > 0 ? (s->total - open) * 100 / s->total : 0);
	if (selected)
		attron(COLOR_PAIR(PAIR_SELECTED));
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 0, app->cols, line, 1);
	if (selected)
		attroff(COLOR_PAIR(PAIR_SELECTED));
}

static void campaign_draw(struct app *app, void *self)
{
	struct campaign_state *st = self;
	char line[512];

	if (st->stale)
		campaign_load(app, st);
	erase();
	chrome_draw_title(app, "campaign");
	snprintf(line, sizeof line, " %s%s   you: %s",
	         st->info.name[0] ? st->info.name : "Campaign", st->info.local ? " (local)" : "",
	         st->info.me_name[0] ? st->info.me_name : "?");
	attron(A_BOLD);
	ui_put(1, 0, app->cols, line, 0);
	attroff(A_BOLD);
	attron(COLOR_PAIR(PAIR_DIM));
	ui_put(2, 1, app->cols - 2,
	       st->info.instructions[0] ? st->info.instructions : "(no instructions)", 0);
	attroff(COLOR_PAIR(PAIR_DIM));
	attron(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	mvhline(STEPS_TOP - 1, 0, ' ', app->cols);
	ui_put(STEPS_TOP - 1, 0, app->cols,
	       "  # STEP             TYPE       ASSIGNEES       MINE OTHERS  SUBM   ACC   REJ"
	       "  SKIP  PROGRESS",
	       0);
	attroff(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	for (int i = 0; i < st->nsteps && STEPS_TOP + i < app->rows - 2; i++)
		draw_step(app, STEPS_TOP + i, &st->steps[i], i == st->sel);
	chrome_draw_bottom(app);
}

static int campaign_enter(struct app *app, void *self, const void *arg)
{
	struct campaign_state *st = self;

	st->sel = 0;
	return campaign_load(app, st);
}

/* ---- the actions ---- */

/* :campaign start [RATE]: a local campaign for the user running annotty. */
static int campaign_start(struct app *app, const char *rate_text)
{
	struct campaign_local_spec spec = {
	    .user = getenv("USER"),
	    .instructions =
	        "Annotate: fix each shape's extent and label, add what is missing, then "
	        "s submits. Review: A accepts, R sends it back with a reason."};
	struct err err;
	int64_t id;
	int made = 0;
	char *end = NULL;

	if (spec.user == NULL || spec.user[0] == '\0')
		spec.user = "me";
	if (rate_text != NULL && rate_text[0] != '\0') {
		spec.sample_rate = strtod(rate_text, &end);
		if (end == rate_text || *end != '\0') {
			app_error(app, "campaign start takes a share of the assets, like 0.25");
			return -1;
		}
	}
	if (cache_campaign_start_local(app->cache, app->dataset_id, &spec, &id, &made, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	app_message(app, "local campaign started: %d task%s for %s", made, made == 1 ? "" : "s",
	            spec.user);
	return 0;
}

int campaign_act_open(struct app *app, const struct action_call *c)
{
	const char *arg = c->arg;

	if (arg != NULL && strncmp(arg, "start", 5) == 0 && (arg[5] == '\0' || arg[5] == ' ')) {
		for (arg += 5; *arg == ' ';)
			arg++;
		if (campaign_start(app, arg) < 0)
			return UI_REDRAW;
	} else if (arg != NULL) {
		app_error(app, "campaign takes nothing, or start [RATE]");
		return UI_REDRAW;
	}
	return screen_push(app, SCREEN_INDEX_CAMPAIGN, NULL);
}

int campaign_complete(struct app *app, const char *prefix, struct action_cand *out, int max)
{
	if (max < 1 || strncmp("start", prefix, strlen(prefix)) != 0)
		return 0;
	str_copy(out[0].text, "start", sizeof out[0].text);
	out[0].why = NULL;
	return 1;
}

int campaign_act_move(struct app *app, const struct action_call *c)
{
	struct campaign_state *st = campaign_of(app);
	int delta = c->key == 'k' || c->key == KEY_UP ? -1 : 1;

	if (app->screen == SCREEN_TASKS)
		return tasks_screen_move(app, delta);
	if (st->sel + delta >= 0 && st->sel + delta < st->nsteps)
		st->sel += delta;
	return UI_REDRAW;
}

int campaign_act_enter(struct app *app, const struct action_call *c)
{
	struct campaign_state *st = campaign_of(app);

	if (app->screen == SCREEN_TASKS)
		return tasks_screen_open_task(app);
	if (st->nsteps == 0)
		return UI_REDRAW;
	return screen_push(app, SCREEN_INDEX_TASKS, &st->steps[st->sel].id);
}

const struct screen_ops screen_campaign = {
    .name = "campaign",
    .state_size = sizeof(struct campaign_state),
    .enter = campaign_enter,
    .draw = campaign_draw,
};
