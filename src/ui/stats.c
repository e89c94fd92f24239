/* The statistics screen (i or :stats): of the dataset, or of the rows the filter shows, the
 * review status counts, the labels (shapes and images of each) and the tags as bar charts,
 * shapes per image, box sizes and the images without annotations; Enter on a status, a label
 * or a tag opens the list filtered to it. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/stats.h"
#include "ui/theme.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATS_LINES_MAX (16 + 2 * CACHE_STATS_BINS + CACHE_STATS_LABELS_MAX + CACHE_STATS_TAGS_MAX)

/* One line of the screen: a heading, or a bar with its count and, when it opens the list, the
 * filter that shows its rows. */
struct stats_line {
	int heading;
	char name[CACHE_LABEL_MAX + 1];
	int value, max;
	char extra[48]; /* after the count ("in 12 images") */
	int pair;       /* the bar's colour: theme_attr of it, or a label's (label >= 0) */
	int label;
	char filter[CACHE_LABEL_MAX + 16]; /* "" when the line opens nothing */
};

struct stats_state {
	struct cache_stats *stats;
	struct stats_line *lines;
	int nlines;
	int sel; /* a line with a filter, or -1 */
	int scroll;
	char scope[300]; /* "the dataset", "filter label:dog" */
};

/* field"name": the filter of the whole name (a filter's unquoted value is a prefix), each
 * quote doubled as the filter reads it. */
static void filter_exact(char *out, size_t outsz, const char *field, const char *name)
{
	size_t at = (size_t)snprintf(out, outsz, "%s\"", field);

	for (; *name != '\0' && at + 3 < outsz; name++) {
		if (*name == '"')
			out[at++] = '"';
		out[at++] = *name;
	}
	if (at + 1 < outsz)
		out[at++] = '"';
	if (at < outsz)
		out[at] = '\0';
}

static struct stats_line *line_add(struct stats_state *st, const char *name, int value, int max)
{
	struct stats_line *l;

	if (st->nlines == STATS_LINES_MAX)
		return NULL;
	l = &st->lines[st->nlines++];
	memset(l, 0, sizeof *l);
	str_copy(l->name, name, sizeof l->name);
	l->value = value;
	l->max = max;
	l->label = -1;
	return l;
}

static void heading_add(struct stats_state *st, const char *name)
{
	struct stats_line *l = line_add(st, name, 0, 0);

	if (l != NULL)
		l->heading = 1;
}

static void status_lines(struct stats_state *st, const struct cache_stats *s)
{
	static const int order[] = {REVIEW_PENDING, REVIEW_ACCEPTED, REVIEW_REJECTED,
	                            REVIEW_SKIPPED};
	char head[96];

	snprintf(head, sizeof head, "Review status (%d images)", s->assets);
	heading_add(st, head);
	for (int i = 0; i < 4; i++) {
		struct stats_line *l =
		    line_add(st, review_status_name(order[i]), s->status[order[i]], s->assets);
		if (l == NULL)
			return;
		l->pair = color_pair_for_status(order[i]);
		snprintf(l->filter, sizeof l->filter, "status:%s", review_status_name(order[i]));
	}
}

static void label_lines(struct stats_state *st, const struct cache_stats *s)
{
	int max = 1;
	char head[96];

	for (int i = 0; i < s->nlabels; i++)
		max = s->labels[i].shapes > max ? s->labels[i].shapes : max;
	snprintf(head, sizeof head, "Labels: shapes (%d in all, %d without a label)", s->shapes,
	         s->unlabelled);
	heading_add(st, head);
	for (int i = 0; i < s->nlabels; i++) {
		struct stats_line *l = line_add(st, s->labels[i].name, s->labels[i].shapes, max);
		if (l == NULL)
			return;
		l->label = s->labels[i].index;
		snprintf(l->extra, sizeof l->extra, "in %d image%s", s->labels[i].images,
		         s->labels[i].images == 1 ? "" : "s");
		filter_exact(l->filter, sizeof l->filter, "label:", s->labels[i].name);
	}
}

static void bin_lines(struct stats_state *st, const char *head, const char *const *names,
                      const int *bins, int total, const char *unit)
{
	heading_add(st, head);
	for (int i = 0; i < CACHE_STATS_BINS && names[i] != NULL; i++) {
		char name[64];
		struct stats_line *l;
		snprintf(name, sizeof name, "%s %s", names[i], unit);
		if ((l = line_add(st, name, bins[i], total > 0 ? total : 1)) == NULL)
			return;
		l->pair = PAIR_HEADER;
	}
}

static void tag_lines(struct stats_state *st, const struct cache_stats *s)
{
	heading_add(st, s->ntags ? "Tags: images" : "Tags: none");
	for (int i = 0; i < s->ntags; i++) {
		struct stats_line *l = line_add(st, s->tags[i].name, s->tags[i].images, s->assets);
		if (l == NULL)
			return;
		l->pair = PAIR_MARK;
		filter_exact(l->filter, sizeof l->filter, "tag:", s->tags[i].name);
	}
}

static void lines_build(struct stats_state *st)
{
	const struct cache_stats *s = st->stats;
	struct stats_line *l;

	st->nlines = 0;
	status_lines(st, s);
	if ((l = line_add(st, "without annotations", s->no_shapes, s->assets)) != NULL)
		l->pair = PAIR_DIM;
	label_lines(st, s);
	bin_lines(st, "Shapes per image", cache_stats_per_image_bins, s->per_image, s->assets,
	          "shapes");
	bin_lines(st, "Box sizes (the side of a square of the same area)", cache_stats_box_bins,
	          s->box_sizes, s->boxes, "px");
	tag_lines(st, s);
}

/* Counts again (on entering, and when the cache changed beside). */
static int stats_load(struct app *app, struct stats_state *st)
{
	struct err err;
	char filter[300];

	list_filter_shown(app, filter, sizeof filter);
	if (filter[0] != '\0')
		snprintf(st->scope, sizeof st->scope, "filter %s", filter);
	else
		str_copy(st->scope, "the dataset", sizeof st->scope);
	if (cache_stats(app->cache, &app->list.query, st->stats, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	lines_build(st);
	if (st->sel >= st->nlines || st->sel < 0 || st->lines[st->sel].filter[0] == '\0')
		for (st->sel = 0; st->sel < st->nlines && st->lines[st->sel].filter[0] == '\0';)
			st->sel++;
	return 0;
}

static int stats_enter(struct app *app, void *self, const void *arg)
{
	struct stats_state *st = self;

	if (st->stats == NULL)
		st->stats = calloc(1, sizeof *st->stats);
	if (st->lines == NULL)
		st->lines = calloc(STATS_LINES_MAX, sizeof *st->lines);
	if (st->stats == NULL || st->lines == NULL) {
		app_error(app, "out of memory");
		return -1;
	}
	st->sel = 0;
	st->scroll = 0;
	return stats_load(app, st);
}

static void stats_leave(struct app *app, void *self)
{
	struct stats_state *st = self;

	free(st->stats);
	free(st->lines);
	st->stats = NULL;
	st->lines = NULL;
}

/* A bar of value / max over width cells, with the count after it. */
static void bar_draw(struct app *app, int y, const struct stats_line *l, int selected)
{
	int x = 4 + 24, width = app->cols - x - 30, len;
	char num[96];

	if (selected)
		attron(theme_attr(PAIR_SELECTED));
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 4, 23, l->name, 1);
	if (selected)
		attroff(theme_attr(PAIR_SELECTED));
	width = width < 10 ? 10 : width;
	len = l->max > 0 ? (int)((long)l->value * width / l->max) : 0;
	len = len == 0 && l->value > 0 ? 1 : len;
	attron(l->label >= 0 ? theme_label_attr(l->label) : theme_attr(l->pair));
	for (int i = 0; i < len && x + i < app->cols; i++)
		mvaddstr(y, x + i, glyph(GLYPH_FULL));
	attroff(l->label >= 0 ? theme_label_attr(l->label) : theme_attr(l->pair));
	snprintf(num, sizeof num, "%d%s%s", l->value, l->extra[0] ? " " : "", l->extra);
	ui_put(y, x + len + 1, app->cols - x - len - 2, num, 0);
}

static void stats_draw(struct app *app, void *self)
{
	struct stats_state *st = self;
	char title[400];
	int rows = app->rows - 3;

	erase();
	snprintf(title, sizeof title, "statistics of %s", st->scope);
	chrome_draw_title(app, title);
	for (int i = 0; i < rows && st->scroll + i < st->nlines; i++) {
		const struct stats_line *l = &st->lines[st->scroll + i];
		if (l->heading) {
			attron(A_BOLD | A_UNDERLINE);
			ui_put(1 + i, 1, app->cols - 2, l->name, 0);
			attroff(A_BOLD | A_UNDERLINE);
		} else {
			bar_draw(app, 1 + i, l, st->scroll + i == st->sel);
		}
	}
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

/* The next line with a filter in direction dir, the view scrolled to it. */
static void stats_move(struct app *app, struct stats_state *st, int dir)
{
	int rows = app->rows - 3, i = st->sel + dir;

	while (i >= 0 && i < st->nlines && st->lines[i].filter[0] == '\0')
		i += dir;
	if (i >= 0 && i < st->nlines)
		st->sel = i;
	else if (dir < 0)
		st->scroll = 0; /* the headings above the first one */
	if (st->sel < st->scroll)
		st->scroll = st->sel - 1 > 0 ? st->sel - 1 : 0;
	if (st->sel >= st->scroll + rows)
		st->scroll = st->sel - rows + 1;
}

/* Enter: the list, filtered to the selected line's rows. */
static int stats_open(struct app *app, struct stats_state *st)
{
	char filter[sizeof st->lines[0].filter];

	if (st->sel < 0 || st->sel >= st->nlines || st->lines[st->sel].filter[0] == '\0')
		return UI_REDRAW;
	str_copy(filter, st->lines[st->sel].filter, sizeof filter);
	edit_reset(app);
	screen_push(app, SCREEN_INDEX_LIST, NULL); /* the screens above the list go */
	list_set_filter(app, filter);
	app_message(app, "filter %s (Esc clears it)", filter);
	return UI_REDRAW | UI_RELOAD;
}

static int stats_key(struct app *app, void *self, int key)
{
	struct stats_state *st = self;

	switch (key) {
	case 'j':
	case KEY_DOWN:
		stats_move(app, st, 1);
		return UI_REDRAW;
	case 'k':
	case KEY_UP:
		stats_move(app, st, -1);
		return UI_REDRAW;
	case '\n':
	case KEY_ENTER:
	case 'l':
	case KEY_RIGHT:
		return stats_open(app, st);
	default:
		return SCREEN_KEY_ACTIONS; /* q, ?, : as everywhere */
	}
}

static int stats_refresh(struct app *app, void *self)
{
	stats_load(app, self);
	return UI_REDRAW;
}

const struct screen_ops screen_stats = {
    .name = "stats",
    .state_size = sizeof(struct stats_state),
    .enter = stats_enter,
    .leave = stats_leave,
    .draw = stats_draw,
    .key = stats_key,
    .refresh = stats_refresh,
};

int stats_act_open(struct app *app, const struct action_call *c)
{
	if (app->screen == SCREEN_STATS)
		return screens_refresh(app);
	edit_reset(app);
	return screen_push(app, SCREEN_INDEX_STATS, NULL);
}
