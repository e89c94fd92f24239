/* The help screen: every action of the table with its keys, by where it works, greyed with
 * the reason when it cannot run on the screen behind the help. */
#include "ui/actions.h"
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define HELP_ROWS_MAX 512

/* One line of the help: a section title, an action, a line of text or a blank. */
struct help_row {
	const char *text;       /* a title or a line of text; NULL for an action or a blank */
	const struct action *a; /* an action's line */
	int title;
	int x; /* the column a line of text starts at */
};

/* The help screen's own state: its lines, built at enter, and the line a search found. */
struct help_state {
	int scroll; /* lines scrolled off the top */
	int found;  /* the line the last search went to, or -1 */
	int nrows;
	struct help_row rows[HELP_ROWS_MAX];
	char also[512]; /* the text of the edit section's last line */
};

static void help_line(struct app *app, int y, const struct action *a)
{
	char keys[64];
	const char *why;

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

static void help_add(struct help_state *st, const char *text, const struct action *a, int title,
                     int x)
{
	if (st->nrows < HELP_ROWS_MAX)
		st->rows[st->nrows++] =
		    (struct help_row){.text = text, .a = a, .title = title, .x = x};
}

/* The help's lines in order: each section's title and actions, then the footer. */
static void help_build(struct help_state *st)
{
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
	    ":filter label:car, :graphics blocks, :search bird",
	    "Mouse: a click selects a row or a shape, a double click opens an asset, the wheel "
	    "scrolls the list and zooms;",
	    "  dragging the selected shape moves it, dragging its edge, corner or vertex reshapes "
	    "it, "
	    "after b a drag draws the box"};
	int n;
	const struct action *t = actions_table(&n);

	st->nrows = 0;
	for (int s = 0; s < (int)(sizeof titles / sizeof titles[0]); s++) {
		help_add(st, titles[s], NULL, 1, 1);
		for (int i = 0; i < n; i++)
			if (help_section(&t[i]) == s)
				help_add(st, NULL, &t[i], 0, 0);
		if (s == 3) {
			help_also_in_edit(st->also, sizeof st->also);
			help_add(st, st->also, NULL, 0, 2);
		}
		help_add(st, NULL, NULL, 0, 0);
	}
	for (int i = 0; i < (int)(sizeof footer / sizeof footer[0]); i++)
		help_add(st, footer[i], NULL, 0, 1);
}

static int help_enter(struct app *app, void *self, const void *arg)
{
	struct help_state *st = self;

	st->scroll = 0;
	st->found = -1;
	help_build(st);
	return 0;
}

static void help_row_draw(struct app *app, int y, const struct help_row *r)
{
	if (r->a != NULL)
		help_line(app, y, r->a);
	else if (r->title) {
		attron(A_BOLD | A_UNDERLINE);
		ui_put(y, 1, app->cols - 2, r->text, 0);
		attroff(A_BOLD | A_UNDERLINE);
	} else if (r->text != NULL)
		ui_put(y, r->x, app->cols - 1 - r->x, r->text, 0);
}

static void help_draw(struct app *app, void *self)
{
	struct help_state *st = self;
	enum ui_screen saved = app->screen;

	erase();
	/* preconditions are those of the screen behind */
	app->screen = (enum ui_screen)(1u << screen_below(app));
	attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', app->cols);
	ui_put(
	    0, 0, app->cols,
	    " annotty \xe2\x80\xba help   (j/k scroll, / search, n/N next/previous match, q or Esc "
	    "closes)",
	    0);
	attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	for (int i = st->scroll; i < st->nrows; i++) {
		int y = 1 + i - st->scroll;
		if (y >= app->rows - 2)
			break;
		if (i == st->found) /* the line the search went to stands out, colours or not */
			attron(A_REVERSE);
		help_row_draw(app, y, &st->rows[i]);
		if (i == st->found) {
			mvchgat(y, 0, -1, A_REVERSE, 0, NULL);
			attroff(A_REVERSE);
		}
	}
	app->screen = saved;
	chrome_draw_bottom(app);
}

/* Whether the help's line holds text (its keys, name and summary for an action). */
static int help_row_has(const struct help_row *r, const char *text)
{
	if (r->a != NULL)
		return str_icontains(actions_keys_shown(r->a), text) ||
		       str_icontains(r->a->name, text) || str_icontains(r->a->help, text);
	return r->text != NULL && str_icontains(r->text, text);
}

int help_search(struct app *app, int dir)
{
	struct help_state *st = screen_state(app, SCREEN_INDEX_HELP);
	int from = dir == 0 ? -1 : st->found, step = dir < 0 ? -1 : 1;

	if (app->search[0] == '\0') {
		app_error(app, "nothing to search for: / then a word");
		return UI_REDRAW;
	}
	if (from < 0 && step < 0)
		from = st->nrows;
	for (int k = 1; k <= st->nrows; k++) {
		int i = ((from + step * k) % st->nrows + st->nrows) % st->nrows;
		if (!help_row_has(&st->rows[i], app->search))
			continue;
		st->found = i;
		st->scroll = i > 2 ? i - 2 : 0; /* with a little of what comes before */
		if (from >= 0 && from < st->nrows && (step > 0 ? i <= from : i >= from))
			app_message(app, "search wrapped: \"%s\"", app->search);
		else
			app_message(app, "search: \"%s\"", app->search);
		return UI_REDRAW;
	}
	st->found = -1;
	app_error(app, "no line of the help holds \"%s\"", app->search);
	return UI_REDRAW;
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
	case '/':
		return actions_dispatch(app, actions_find("search"), NULL);
	default: { /* n and N, or the keys the configuration gave them */
		const struct action *a = actions_for_key(app, key);
		if (a != NULL && a->screens & SCREEN_HELP)
			return actions_dispatch_key(app, a, key);
		break;
	}
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
