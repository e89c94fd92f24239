/* Campaigns in the TUI: the campaign screen (campaign.c), my tasks of a step and task mode on
 * the asset screen (tasks.c). The action table's campaign and task rows call these. */
#ifndef ANNOTTY_UI_TASK_H
#define ANNOTTY_UI_TASK_H

#include <stddef.h>

struct app;
struct action_call;
struct action_cand;

/* campaign.c */
/* :campaign opens the campaign screen; :campaign start [RATE] first starts a local campaign. */
int campaign_act_open(struct app *app, const struct action_call *c);
/* j/k and Enter on the campaign screen and on my tasks. */
int campaign_act_move(struct app *app, const struct action_call *c);
int campaign_act_enter(struct app *app, const struct action_call *c);
int campaign_complete(struct app *app, const char *prefix, struct action_cand *out, int max);
/* The counts changed (a decision): the campaign screen reads them again when it shows. */
void campaign_screen_stale(struct app *app);
/* A progress bar of width cells for done out of total into out: block characters with
 * eighths, or with ascii set '#' and '.'. */
void campaign_bar(char *out, size_t outsz, int width, int done, int total, int ascii);

/* tasks.c */
int tasks_screen_move(struct app *app, int delta);
int tasks_screen_open_task(struct app *app);
/* The decisions and the moves of task mode. */
int task_act_submit(struct app *app, const struct action_call *c);
int task_act_accept(struct app *app, const struct action_call *c);
int task_act_reject(struct app *app, const struct action_call *c); /* arg: the reason */
int task_act_skip(struct app *app, const struct action_call *c);
int task_act_next(struct app *app, const struct action_call *c);
int task_act_prev(struct app *app, const struct action_call *c);
/* The last reasons of the campaign, for the reject prompt. */
int task_complete_reasons(struct app *app, const char *prefix, struct action_cand *out, int max);
/* The asset screen's side panel: the rows task mode takes at its bottom (0 outside it), and
 * their drawing from row top. */
int task_panel_rows(const struct app *app);
void task_panel_draw(struct app *app, int x, int w, int top);
/* A key on the asset screen: the time on a task counts from the task shown to its decision,
 * without pauses longer than TASK_IDLE_MAX seconds. */
#define TASK_IDLE_MAX 300
void task_mode_activity(struct app *app);
/* The asset screen goes away: task mode ends and the list is put back as it was. */
void task_mode_leave(struct app *app);

#endif
