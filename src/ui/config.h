/* The user's configuration: $XDG_CONFIG_HOME/annotty/config (or ~/.config/annotty/config), a
 * key = value file with optional [sections]: key bindings, colours and theme, graphics, low
 * bandwidth, auto-advance, the label keys 1-9, whether a new label is asked about. A wrong line
 * is reported with its number and skipped; nothing in the file stops annotty. */
#ifndef ANNOTTY_UI_CONFIG_H
#define ANNOTTY_UI_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "cache/cache.h"
#include "frame/graphics.h"
#include "ui/actions.h"
#include "ui/theme.h"

struct app;
struct err;

#define CONFIG_BYTES      (256 * 1024) /* a larger file is refused */
#define CONFIG_ERRORS_MAX 16
#define CONFIG_BINDS_MAX  128

struct config_bind {
	char action[64];
	int key[ACTION_MAX_KEYS];
	int nkeys;
	char shown[64]; /* as the help shows the keys */
};

struct ui_config {
	char path[4096];
	int found; /* the file exists */
	int graphics_set;
	enum graphics_mode graphics;
	int low_bandwidth;
	int auto_advance;       /* A and R go on to the next asset (default on) */
	int confirm_new_labels; /* a name no label has is asked about (default on) */
	int ascii;              /* -1: from the locale */
	char theme[16];         /* auto, mono, color */
	int colour_set[THEME_ROLES];
	int fg[THEME_ROLES], bg[THEME_ROLES];
	char label_keys[9][CACHE_LABEL_MAX + 1]; /* "" for the default */
	struct config_bind binds[CONFIG_BINDS_MAX];
	int nbinds;
	char errors[CONFIG_ERRORS_MAX][300]; /* "config:12: ..." */
	int nerrors, errors_more;
};

/* The defaults. */
void config_defaults(struct ui_config *cfg);
/* Reads text (len bytes, the file at cfg->path) over cfg; wrong lines go to cfg->errors. */
void config_parse(struct ui_config *cfg, const char *text, size_t len);
/* The path of the file, its defaults and what it says (a missing file is no error; an
 * unreadable one is reported in cfg->errors). */
void config_load(struct ui_config *cfg);
/* A key name ("a", "C-x", "Space", "Enter", "F1", "Up", "c p" for a sequence) as a key code of
 * the action table; -1 when it names none. */
int config_key_parse(const char *name);
/* Sets up the app (bindings, theme, glyphs, label keys, auto-advance, the new-label question)
 * before curses starts; its first error goes to the message line. */
void config_apply(struct app *app, const struct ui_config *cfg);
/* Every setting in effect, in the file's own form (annotty config). */
void config_print(FILE *out, const struct ui_config *cfg);

#endif
