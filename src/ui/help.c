/* The help screen: every action of the table with its keys, by where it works, greyed with
 * the reason when it cannot run on the screen behind the help. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

/* The help screen's own state. */
struct help_state {
	int scroll; /* lines scrolled off the top */
};

static int help_enter(struct app *app, void *self, const void *arg)
{
	struct help_state *st = self;

	st->scroll = 0;
	return 0;
}

static int help_line(struct app *app, int y, const struct action *a)
{
	char keys[64];
	const char *why;

	if (y < 1 || y >= app->rows - 2)
		return y + 1;
	/* only the screen behind the help can tell what is unavailable now */
	why = (a->screens & actions_context(app)) ? actions_unavailable(app, a) : NULL;
	snprintf(keys, sizeof keys, "%s", actions_keys_shown(a));
	attron(A_BOLD);
	ui_put(y, 2, 12, keys, 1);
	attroff(A_BOLD);
	ui_put(y, 15, 14, a->name, 1);
	if (why != NULL)
		attron(COLOR_PAIR(PAIR_DIM));
	ui_put(y, 30, app->cols - 31, a->help, 0);
	if (why != NULL) {
		int w = str_width(a->help) + 2;
		char note[128];
		snprintf(note, sizeof note, "(%s)", why);
		ui_put(y, 30 + w, app->cols - 31 - w, note, 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
	return y + 1;
}

/* The help section of an action: 0 everywhere, 1 the list, 2 the asset screen, 3 the edit
 * modes and new shapes, 4 campaigns and tasks, 5 the conflicts screen. */
static int help_section(const struct action *a)
{
	unsigned screens = a->screens;

	if (screens == SCREEN_CONFLICTS)
		return 5;
	if (!(screens & (SCREEN_LIST | SCREEN_ASSET | SCREEN_EDIT | SCREEN_CREATE)) &&
	    (screens & (SCREEN_SOURCES | SCREEN_DATASETS | SCREEN_DATALAKE)))
		return 6; /* the sources, datasets and datalake screens */
	if ((screens & SCREEN_LIST) && (screens & SCREEN_ASSET))
		return 0;
	if ((screens & (SCREEN_CAMPAIGN | SCREEN_TASKS)) || (a->needs & NEEDS_TASK))
		return 4;
	if (screens & SCREEN_LIST)
		return 1;
	return screens & SCREEN_ASSET ? 2 : 3;
}

/* The keys of the actions listed elsewhere that also work in an edit mode. */
static void help_also_in_edit(char *out, size_t outsz)
{
	int n;
	const struct action *t = actions_table(&n);

	str_copy(out, "Also in an edit mode:", outsz);
	for (int i = 0; i < n; i++)
		if ((t[i].screens & SCREEN_EDIT) && help_section(&t[i]) < 3 &&
		    actions_keys_shown(&t[i])[0] != '\0') {
			size_t len = strlen(out);
			snprintf(out + len, outsz - len, " %s", actions_keys_shown(&t[i]));
		}
}

static void help_draw(struct app *app, void *self)
{
	struct help_state *st = self;
	static const char *const titles[] = {
	    "Everywhere",
	    "Asset list",
	    "Asset screen",
	    "Edit mode (e on a shape) and new shapes (b g _ . c): Esc leaves",
	    "Campaign (W), my tasks and task mode",
	    "Conflicts screen (C or :conflicts)",
	    "Sources, datasets and datalake screens (:sources)"};
	static const char *const footer[] = {
	    "Commands: ':' then a name above (Tab completes), e.g. :sort size, :tag night, "
	    ":filter label:car, :graphics blocks",
	    "Mouse: a click selects a row or a shape, a double click opens an asset, the wheel "
	    "scrolls the list and zooms;",
	    "  dragging the selected shape moves it, dragging its edge, corner or vertex reshapes "
	    "it, "
	    "after b a drag draws the box"};
	char also[512];
	int n, y = 1 - st->scroll;
	const struct action *t = actions_table(&n);
	enum ui_screen saved = app->screen;

	erase();
	/* preconditions are those of the screen behind */
	app->screen = (enum ui_screen)(1u << screen_below(app));
	attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', app->cols);
	ui_put(0, 0, app->cols, " annotty \xe2\x80\xba help   (j/k scroll, q or Esc closes)", 0);
	attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	for (int s = 0; s < (int)(sizeof titles / sizeof titles[0]); s++) {
		if (y >= 1 && y < app->rows - 2) {
			attron(A_BOLD | A_UNDERLINE);
			ui_put(y, 1, app->cols - 2, titles[s], 0);
			attroff(A_BOLD | A_UNDERLINE);
		}
		y++;
		for (int i = 0; i < n; i++)
			if (help_section(&t[i]) == s)
				y = help_line(app, y, &t[i]);
		if (s == 3 && y >= 1 && y < app->rows - 2) {
			help_also_in_edit(also, sizeof also);
			ui_put(y, 2, app->cols - 3, also, 0);
		}
		if (s == 3)
			y++;
		y++;
	}
	for (int i = 0; i < (int)(sizeof footer / sizeof footer[0]); i++, y++)
		if (y >= 1 && y < app->rows - 2)
			ui_put(y, 1, app->cols - 2, footer[i], 0);
	app->screen = saved;
	chrome_draw_bottom(app);
}

static int help_key(struct app *app, void *self, int key)
{
	struct help_state *st = self;

	switch (key) {
	case 'j':
	case KEY_DOWN:
		st->scroll++;
		break;
	case 'k':
	case KEY_UP:
		if (st->scroll > 0)
			st->scroll--;
		break;
	case 'q':
	case 27:
	case '?':
		return screen_pop(app);
	default:
		break;
	}
	return UI_REDRAW;
}

const struct screen_ops screen_help = {
    .name = "help",
    .state_size = sizeof(struct help_state),
    .enter = help_enter,
    .draw = help_draw,
    .key = help_key,
};
