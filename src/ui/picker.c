/* The label picker: the dataset's labels, most recently used first, filtered as the user types
 * in the prompt line and listed in the side panel; Enter applies the highlighted label, or
 * creates one named as typed when no label has that name. */
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CTRL(c)    ((c)&0x1f)
#define PICKER_MAX 4096 /* labels offered; a dataset with more is filtered by typing */

/* The typed text without surrounding spaces: the name a new label would get. */
static void trimmed(const char *text, char *out, size_t outsz)
{
	size_t n;

	while (*text == ' ')
		text++;
	str_copy(out, text, outsz);
	n = strlen(out);
	while (n > 0 && out[n - 1] == ' ')
		out[--n] = '\0';
}

static int starts_with_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

int picker_filter(const struct label_row *rows, int n, const char *text, int *match, int *create)
{
	char want[CACHE_LABEL_MAX + 1];
	int nmatch = 0, exact = 0;

	trimmed(text, want, sizeof want);
	/* three passes keep rank order within each class of match */
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < n; i++) {
			int is_exact = strcasecmp(rows[i].name, want) == 0;
			int is_prefix = !is_exact && starts_with_ci(rows[i].name, want);
			int is_inside =
			    !is_exact && !is_prefix && str_icontains(rows[i].name, want);
			if ((pass == 0 && is_exact) || (pass == 1 && is_prefix) ||
			    (pass == 2 && is_inside))
				match[nmatch++] = i;
			exact |= is_exact;
		}
	*create = want[0] != '\0' && !exact;
	return nmatch;
}

void picker_digits(const struct label_row *rows, int n, int digit_label[9])
{
	int taken = 0;

	for (int d = 0; d < 9; d++)
		digit_label[d] = -1;
	/* a selection by count: n is small next to the nine passes it takes */
	for (int d = 0; d < 9 && d < n; d++) {
		int best = -1;
		for (int i = 0; i < n; i++) {
			int used = 0;
			for (int k = 0; k < taken; k++)
				used |= digit_label[k] == rows[i].index;
			if (used)
				continue;
			if (best < 0 || rows[i].shape_count > rows[best].shape_count ||
			    (rows[i].shape_count == rows[best].shape_count &&
			     rows[i].index < rows[best].index))
				best = i;
		}
		if (best < 0)
			break;
		digit_label[taken++] = rows[best].index;
	}
}

static void picker_free(struct picker *p)
{
	free(p->rows);
	free(p->match);
	p->rows = NULL;
	p->match = NULL;
	p->nrows = p->nmatch = 0;
}

static void picker_refilter(struct app *app)
{
	struct picker *p = picker_of(app);

	p->nmatch = picker_filter(p->rows, p->nrows, app->prompt.text, p->match, &p->create);
	p->sel = p->nmatch > 0 || !p->create ? 0 : p->nmatch;
}

int picker_open(struct app *app, enum picker_purpose purpose, const char *title)
{
	struct picker *p = picker_of(app);
	struct err err;

	picker_free(p);
	p->confirm = 0;
	p->purpose = purpose;
	str_copy(p->title, title, sizeof p->title);
	p->rows = calloc(PICKER_MAX, sizeof *p->rows);
	p->match = calloc(PICKER_MAX, sizeof *p->match);
	if (p->rows == NULL || p->match == NULL) {
		picker_free(p);
		app_error(app, "out of memory");
		return -1;
	}
	if (cache_labels_ranked(app->cache, app->dataset_id, p->rows, PICKER_MAX, &p->nrows, &err) <
	    0) {
		picker_free(p);
		app_error(app, "%s", err.msg);
		return -1;
	}
	prompt_open(app, PROMPT_LABEL, "label: ", "");
	picker_refilter(app);
	return 0;
}

void picker_close(struct app *app)
{
	picker_free(picker_of(app));
	prompt_close(app);
}

static void picker_move(struct picker *p, int delta)
{
	int last = p->nmatch + (p->create ? 1 : 0) - 1;

	if (last < 0)
		return;
	p->sel += delta;
	p->sel = p->sel < 0 ? 0 : p->sel > last ? last : p->sel;
}

/* A typo must not make a label: the create entry asks first, in the prompt line. */
static void picker_ask_create(struct app *app, const char *name)
{
	struct picker *p = picker_of(app);
	char clean[CACHE_LABEL_MAX * 4 + 1];

	str_sanitize(name, clean, sizeof clean);
	p->confirm = 1;
	str_copy(p->typed, app->prompt.text, sizeof p->typed);
	app->prompt.text[0] = '\0';
	app->prompt.cursor = 0;
	snprintf(app->prompt.label, sizeof app->prompt.label, "create label \"%.*s\"? y/n ",
	         CACHE_LABEL_MAX, clean);
}

/* The answer to picker_ask_create: y goes on; anything else is back to the typed name. */
static int picker_answer(struct app *app, int key)
{
	struct picker *p = picker_of(app);

	p->confirm = 0;
	str_copy(app->prompt.label, "label: ", sizeof app->prompt.label);
	str_copy(app->prompt.text, p->typed, sizeof app->prompt.text);
	app->prompt.cursor = (int)strlen(app->prompt.text);
	if (key == 'y' || key == 'Y')
		return 1;
	app_message(app, "no label created");
	return 0;
}

static int picker_submit(struct app *app, int confirmed)
{
	struct picker *p = picker_of(app);
	char name[CACHE_LABEL_MAX + 1];

	if (p->sel < p->nmatch)
		str_copy(name, p->rows[p->match[p->sel]].name, sizeof name);
	else if (p->create)
		trimmed(app->prompt.text, name, sizeof name);
	else {
		app_error(app, "no label matches; type a new name to create one");
		return UI_REDRAW;
	}
	if (p->sel >= p->nmatch && !confirmed && app->confirm_new_labels) {
		picker_ask_create(app, name);
		return UI_REDRAW;
	}
	picker_close(app);
	app->message[0] = '\0';
	return edit_label_chosen(app, name);
}

int picker_key(struct app *app, int key)
{
	struct picker *p = picker_of(app);

	if (p->confirm && key != 27)
		return picker_answer(app, key) ? picker_submit(app, 1) : UI_REDRAW;
	switch (key) {
	case 27:
		p->confirm = 0;
		picker_close(app);
		edit_label_cancelled(app);
		return UI_REDRAW | UI_FRAME;
	case '\n':
	case KEY_ENTER:
		return picker_submit(app, 0);
	case KEY_DOWN:
	case CTRL('n'):
	case '\t':
		picker_move(p, 1);
		return UI_REDRAW;
	case KEY_UP:
	case CTRL('p'):
	case KEY_BTAB:
		picker_move(p, -1);
		return UI_REDRAW;
	case KEY_NPAGE:
		picker_move(p, 10);
		return UI_REDRAW;
	case KEY_PPAGE:
		picker_move(p, -10);
		return UI_REDRAW;
	default:
		if (prompt_edit(&app->prompt, key))
			picker_refilter(app);
		return UI_REDRAW;
	}
}

/* The quick key of a label, or 0. */
static int digit_of(struct app *app, int index)
{
	for (int d = 1; d <= 9; d++)
		if (edit_digit_label(app, d) == index)
			return d;
	return 0;
}

static void picker_line(struct app *app, int y, int x, int w, int entry)
{
	struct picker *p = picker_of(app);
	char text[CACHE_LABEL_MAX + 64], count[32];
	int selected = entry == p->sel;

	if (selected)
		attron(COLOR_PAIR(PAIR_SELECTED));
	mvhline(y, x, ' ', w);
	if (entry < p->nmatch) {
		const struct label_row *r = &p->rows[p->match[entry]];
		int d = digit_of(app, r->index);
		if (d > 0)
			mvaddch(y, x, '0' + d);
		if (!selected)
			attron(COLOR_PAIR(color_pair_for_label(r->index)));
		mvaddstr(y, x + 1, "\xe2\x96\xa0");
		if (!selected)
			attroff(COLOR_PAIR(color_pair_for_label(r->index)));
		snprintf(count, sizeof count, "%d", r->shape_count);
		ui_put(y, x + 3, w - 4 - str_width(count) - 1, r->name, 0);
		ui_put(y, x + w - str_width(count) - 1, str_width(count), count, 0);
	} else {
		char name[CACHE_LABEL_MAX + 1];
		trimmed(app->prompt.text, name, sizeof name);
		snprintf(text, sizeof text, "+ create label \"%s\"", name);
		ui_put(y, x + 1, w - 2, text, 0);
	}
	if (selected)
		attroff(COLOR_PAIR(PAIR_SELECTED));
}

void picker_draw(struct app *app, int x, int w)
{
	struct picker *p = picker_of(app);
	int top = 3, bottom = app->rows - 3, vis = bottom - top, total, first;

	attron(A_BOLD);
	ui_put(1, x + 1, w - 2, p->title, 0);
	attroff(A_BOLD);
	attron(COLOR_PAIR(PAIR_DIM));
	ui_put(2, x + 1, w - 2, "type filters, Enter picks", 0);
	attroff(COLOR_PAIR(PAIR_DIM));
	total = p->nmatch + (p->create ? 1 : 0);
	if (total == 0) {
		ui_put(top, x + 1, w - 2,
		       p->nrows == 0 ? "no labels yet: type a name" : "no label matches", 0);
		return;
	}
	if (vis < 1)
		return;
	first = p->sel >= vis ? p->sel - vis + 1 : 0;
	for (int i = first; i < total && i < first + vis; i++)
		picker_line(app, top + i - first, x, w, i);
}
