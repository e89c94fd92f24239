/* The one action table: key bindings, ':' commands with completion, the '?' help screen and the
 * man page's key list all come from it. */
#ifndef ANNOTTY_UI_ACTIONS_H
#define ANNOTTY_UI_ACTIONS_H

#include <stdio.h>

struct app;

/* Preconditions: the dispatcher checks every one before running an action, and the help and
 * the ':' completion show an action that fails one greyed, with the reason. */
enum action_needs {
	NEEDS_ASSET = 1,      /* a current asset (a list row, or the asset screen) */
	NEEDS_SHAPES = 2,     /* the current asset has shapes */
	NEEDS_TAGS = 4,       /* the current asset has tags */
	WRITES = 8,           /* changes the data: refused on a read-only source */
	NEEDS_SELECTION = 32, /* a shape is selected */
	NEEDS_ONLINE = 64,    /* talks to the source: refused while offline */
	NEEDS_TASK = 128,     /* works on an assignment: refused outside task mode */
	NEEDS_REMOTE = 256,   /* a platform source is shown: its keys come before the others' */
};

#define ACTION_MAX_KEYS 10 /* the digits share one row */
/* A two-key sequence (c then p: new polygon) as one key code of the table; curses' keys are
 * below it. */
#define ACTION_SEQ(first, second) (0x100000 | ((first) << 10) | (second))
#define ACTION_SEQ_FIRST(k)       (((k) >> 10) & 0x3ff)
#define ACTION_CAND_MAX           128

/* What a run of an action is given: the ':' argument (NULL for a key, or none typed), the key
 * that found it (0 for a ':' command), and the count typed before it (0 for none). */
struct action_call {
	const char *arg;
	int key;
	int count;
};

/* A completion candidate, and why its action cannot run now (NULL when it can). */
struct action_cand {
	char text[ACTION_CAND_MAX];
	const char *why;
};

struct action {
	const char *name; /* the ':' command */
	const char *keys; /* how the keys are shown in help and the man page; NULL for none */
	int key[ACTION_MAX_KEYS];
	unsigned screens; /* where the keys work: SCREEN_* bits of ui/screen.h, SCREEN_EDIT,
	                     SCREEN_CREATE */
	unsigned needs;   /* enum action_needs */
	const char *arg;  /* the argument's name in the help; NULL: the action takes none */
	/* The candidates for the argument that start with prefix; returns the count written. */
	int (*complete)(struct app *app, const char *prefix, struct action_cand *out, int max);
	const char *help;
	int (*run)(struct app *app, const struct action_call *call); /* returns enum ui_change */
};

const struct action *actions_table(int *count);
/* Where the keys are now: app->screen, or on the asset screen SCREEN_EDIT or SCREEN_CREATE
 * while an edit mode is on. */
unsigned actions_context(const struct app *app);
const struct action *actions_find(const char *name);
/* The action bound to key on the current screen, or NULL. */
const struct action *actions_for_key(const struct app *app, int key);
/* A key read with what came before it: 1 with *out set (NULL: the key does nothing here),
 * 0 when the key starts a sequence (app->key_prefix keeps it until the next key). */
int actions_key_resolve(struct app *app, int key, const struct action **out);
/* Why the action cannot run now (NULL when it can). */
const char *actions_unavailable(const struct app *app, const struct action *a);
/* Checks the preconditions and runs with arg (NULL: none), or, from a key, with that key and
 * the count typed before it. */
int actions_dispatch(struct app *app, const struct action *a, const char *arg);
int actions_dispatch_key(struct app *app, const struct action *a, int key);
/* Runs a ':' command line ("tag night", "sort size"). */
int actions_run_command(struct app *app, const char *line);
/* Candidates completing the command line's last word (an action's name, or its argument
 * through the row's completer); returns the count written. */
int actions_complete(struct app *app, const char *line, struct action_cand *out, int max);

/* Gives the action the keys of the configuration in place of its own (shown: how the help
 * shows them); a NULL action is passed over. */
void actions_bind(const struct action *a, const int *keys, int nkeys, const char *shown);
/* The action's keys as they are now (bound or its own), 0-terminated; and as shown. */
const int *actions_keys(const struct action *a);
const char *actions_keys_shown(const struct action *a);

/* Prints the table (for `annotty --list-actions`: name, screens, keys, help; tab-separated). */
void actions_print(FILE *out);

#endif
