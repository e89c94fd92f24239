/* The statistics screen's action (ui/stats.c): i or :stats, of the rows the filter shows. */
#ifndef ANNOTTY_UI_STATS_H
#define ANNOTTY_UI_STATS_H

struct app;
struct action_call;

int stats_act_open(struct app *app, const struct action_call *c);

#endif
