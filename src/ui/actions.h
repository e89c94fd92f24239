/* The one action table: key bindings, ':' commands with completion, the '?' help screen and the
 * man page's key list all come from it. */
#ifndef ANNOTTY_UI_ACTIONS_H
#define ANNOTTY_UI_ACTIONS_H

#include <stdio.h>

struct app;

/* Preconditions the dispatcher checks before running an action. */
enum action_needs {
	NEEDS_ASSET = 1,      /* a current asset (a list row, or the asset screen) */
	NEEDS_SHAPES = 2,     /* the current asset has shapes */
	NEEDS_TAGS = 4,       /* the current asset has tags */
	WRITES = 8,           /* changes the cache (an edit) */
	TAKES_ARG = 16,       /* ':' form takes an argument */
	NEEDS_SELECTION = 32, /* a shape is selected */
};

#define ACTION_MAX_KEYS 10 /* the digits share one row */

struct action {
	const char *name; /* the ':' command */
	const char *keys; /* how the keys are shown in help and the man page */
	int key[ACTION_MAX_KEYS];
	unsigned screens; /* where the keys work: SCREEN_LIST, SCREEN_ASSET, SCREEN_EDIT,
	                     SCREEN_CREATE */
	unsigned needs;
	const char *arg; /* argument's name in help, or NULL */
	const char *help;
	int (*run)(struct app *app, const char *arg); /* returns enum ui_change */
};

const struct action *actions_table(int *count);
/* Where the keys are now: app->screen, or on the asset screen SCREEN_EDIT or SCREEN_CREATE
 * while an edit mode is on. */
unsigned actions_context(const struct app *app);
const struct action *actions_find(const char *name);
/* The action bound to key on the current screen, or NULL. */
const struct action *actions_for_key(const struct app *app, int key);
/* Why the action cannot run now (NULL when it can). */
const char *actions_unavailable(const struct app *app, const struct action *a);
/* Checks the preconditions and runs. */
int actions_dispatch(struct app *app, const struct action *a, const char *arg);
/* Runs a ':' command line ("tag night", "sort size"). */
int actions_run_command(struct app *app, const char *line);
/* Candidates completing the command line's last word; returns the count written. */
int actions_complete(struct app *app, const char *line, char (*out)[128], int max);

/* Prints the table (for `annotty --list-actions`: name, screens, keys, help; tab-separated). */
void actions_print(FILE *out);

#endif
