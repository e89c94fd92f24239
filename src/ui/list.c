/* The asset list: a window of rows read page by page from the cache (shared with the asset
 * screen and the frames), and the list screen that shows it. */
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LIST_TOP = 2 }; /* title and column header above the rows */

static int list_fetch(struct app *app, const struct asset_cursor *from, int backward,
                      struct asset_row *rows, int max, int *n)
{
	struct err err;

	if (cache_assets_page(app->cache, &app->list.query, from, backward, rows, max, n, &err) <
	    0) {
		app_error(app, "%s", err.msg);
		*n = 0;
		return -1;
	}
	return 0;
}

static void list_count(struct app *app)
{
	struct err err;

	if (cache_assets_count(app->cache, &app->list.query, &app->list.total, &err) < 0)
		app_error(app, "%s", err.msg);
}

int list_reload_top(struct app *app)
{
	struct asset_cursor start = {0};
	struct list_view *l = &app->list;

	list_count(app);
	l->first_pos = 0;
	l->sel = 0;
	return list_fetch(app, &start, 0, l->rows, l->page, &l->nrows);
}

int list_go_bottom(struct app *app)
{
	struct asset_cursor end = {0};
	struct list_view *l = &app->list;

	list_count(app);
	if (list_fetch(app, &end, 1, l->rows, l->page, &l->nrows) < 0)
		return -1;
	l->first_pos = l->total - l->nrows;
	if (l->first_pos < 0)
		l->first_pos = 0;
	l->sel = l->nrows > 0 ? l->nrows - 1 : 0;
	return 0;
}

/* Moves the selection by one row, scrolling the window by one when it leaves it. */
static int list_step(struct app *app, int dir)
{
	struct list_view *l = &app->list;
	struct asset_row next;
	int n = 0;

	if (l->nrows == 0)
		return 0;
	if (dir > 0 && l->sel + 1 < l->nrows) {
		l->sel++;
		return 1;
	}
	if (dir < 0 && l->sel > 0) {
		l->sel--;
		return 1;
	}
	if (list_fetch(app, dir > 0 ? &l->rows[l->nrows - 1].cursor : &l->rows[0].cursor, dir < 0,
	               &next, 1, &n) < 0 ||
	    n == 0)
		return 0;
	if (dir > 0) {
		if (l->nrows < l->page) {
			l->rows[l->nrows++] = next;
		} else {
			memmove(&l->rows[0], &l->rows[1], (size_t)(l->nrows - 1) * sizeof next);
			l->rows[l->nrows - 1] = next;
			l->first_pos++;
		}
		l->sel = l->nrows - 1;
	} else {
		memmove(&l->rows[1], &l->rows[0],
		        (size_t)(l->nrows - (l->nrows == l->page)) * sizeof next);
		l->rows[0] = next;
		if (l->nrows < l->page)
			l->nrows++;
		l->first_pos--;
		l->sel = 0;
	}
	return 1;
}

int list_move(struct app *app, int delta)
{
	int moved = 0, dir = delta > 0 ? 1 : -1;

	for (int i = 0; i < (delta > 0 ? delta : -delta); i++) {
		if (!list_step(app, dir))
			break;
		moved++;
	}
	return moved;
}

/* Puts row at window row `use` of the window, with the rows that precede and follow it. */
static void list_place(struct list_view *l, const struct asset_row *row, int pos,
                       const struct asset_row *above, int nabove, const struct asset_row *below,
                       int nbelow, int keep)
{
	int use = nbelow >= l->page - 1 - keep ? keep : l->page - 1 - nbelow;

	use = use > nabove ? nabove : use;
	memcpy(l->rows, above + (nabove - use), (size_t)use * sizeof *row);
	l->rows[use] = *row;
	nbelow = nbelow < l->page - 1 - use ? nbelow : l->page - 1 - use;
	memcpy(&l->rows[use + 1], below, (size_t)nbelow * sizeof *row);
	l->nrows = use + 1 + nbelow;
	l->sel = use;
	l->first_pos = pos - use;
}

/* Rebuilds the window so that asset_id is selected, keeping its screen row when possible;
 * near either end of the list the window takes more rows from the other side, so that it
 * always shows as many rows as there are (up to its height). */
int list_reanchor(struct app *app, int64_t asset_id)
{
	struct list_view *l = &app->list;
	struct asset_row row, *near = NULL;
	int keep = l->sel, nabove = 0, nbelow = 0, pos = 0, rc = -1, side = l->page - 1;
	struct err err;

	list_count(app);
	if (asset_id == 0 || cache_asset_row(app->cache, &l->query, asset_id, &row, &err) < 0 ||
	    cache_assets_position(app->cache, &l->query, &row.cursor, &pos, &err) < 0)
		return list_reload_top(app); /* gone from this filter: start from the top */
	if (keep >= l->page)
		keep = l->page - 1;
	/* up to a window's height each way (above: in list order, the nearest last) */
	near = side > 0 ? calloc((size_t)side * 2, sizeof *near) : NULL;
	if (side > 0 && near == NULL) {
		app_error(app, "out of memory");
		return -1;
	}
	if (side > 0 && (list_fetch(app, &row.cursor, 1, near, side, &nabove) < 0 ||
	                 list_fetch(app, &row.cursor, 0, near + side, side, &nbelow) < 0))
		goto out;
	if (near == NULL) /* a window of one row: nothing beside it */
		list_place(l, &row, pos, &row, 0, &row, 0, 0);
	else
		list_place(l, &row, pos, near, nabove, near + side, nbelow, keep);
	rc = 0;
out:
	free(near);
	return rc;
}

const struct asset_row *list_current(const struct app *app)
{
	const struct list_view *l = &app->list;

	return l->nrows > 0 && l->sel < l->nrows ? &l->rows[l->sel] : NULL;
}

/* Selects a row found by a search: in the window it just moves there, else the window is
 * built again around it. */
static void list_select(struct app *app, const struct asset_row *row)
{
	struct list_view *l = &app->list;

	for (int i = 0; i < l->nrows; i++)
		if (l->rows[i].id == row->id) {
			l->sel = i;
			return;
		}
	list_reanchor(app, row->id);
}

/* What n and N look for: the :search text, else the filter's own words (its single field, or
 * the value of its first term). */
static const char *search_text(const struct app *app)
{
	const struct asset_query *q = &app->list.query;

	if (app->search[0] != '\0')
		return app->search;
	if (q->filter_text[0] != '\0')
		return q->filter_text;
	return q->nterms > 0 ? q->terms[0].text : "";
}

int list_search(struct app *app, int dir)
{
	const struct asset_row *cur = list_current(app);
	const char *text = search_text(app);
	struct asset_row found;
	struct err err;
	int wrapped = 0, rc;

	if (text[0] == '\0') {
		app_error(app, "nothing to search for: :search TEXT (or a / filter) first");
		return UI_REDRAW;
	}
	rc = cache_assets_find(app->cache, &app->list.query, text, cur ? &cur->cursor : NULL,
	                       dir < 0, &found, &wrapped, &err);
	if (rc < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	if (rc == 0) {
		app_error(app, "no row matches \"%s\"", text);
		return UI_REDRAW;
	}
	list_select(app, &found);
	if (wrapped)
		app_message(app, "search wrapped: \"%s\"", text);
	else
		app_message(app, "search: \"%s\"", text);
	return UI_REDRAW;
}

/* The prefixes of the fields a filter can name; the first of a field is how it is shown. */
static const struct {
	const char *prefix;
	enum asset_filter_field field;
} filter_fields[] = {
    {"label:", FILTER_LABEL},   {"tag:", FILTER_TAG},       {"status:", FILTER_STATUS},
    {"file:", FILTER_FILENAME}, {"name:", FILTER_FILENAME},
};

static const char *field_prefix(enum asset_filter_field field)
{
	for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++)
		if (filter_fields[i].field == field)
			return filter_fields[i].prefix;
	return ""; /* FILTER_ANY: plain text */
}

/* Appends one term as list_set_filter reads it (faithful) or as it is shown: a quoted value
 * with "" for each quote. */
static void term_text(const struct asset_term *t, int faithful, char *out, size_t outsz)
{
	size_t at = strlen(out);
	int quote = (faithful && t->exact) || strpbrk(t->text, " \"") != NULL;

	at += (size_t)snprintf(out + at, at < outsz ? outsz - at : 0, "%s%s%s", at ? " " : "",
	                       field_prefix(t->field), quote ? "\"" : "");
	for (const char *c = t->text; *c != '\0' && at + 3 < outsz; c++) {
		if (*c == '"')
			out[at++] = '"';
		out[at++] = *c;
	}
	if (quote && at + 1 < outsz)
		out[at++] = '"';
	if (at < outsz)
		out[at] = '\0';
}

static void filter_text(const struct app *app, int faithful, char *out, size_t outsz)
{
	const struct asset_query *q = &app->list.query;

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (q->filter != FILTER_NONE && q->filter_text[0] != '\0')
		snprintf(out, outsz, "%s%s", field_prefix(q->filter), q->filter_text);
	for (int i = 0; i < q->nterms && i < ASSET_QUERY_TERMS; i++)
		term_text(&q->terms[i], faithful, out, outsz);
}

void list_filter_text(const struct app *app, char *out, size_t outsz)
{
	filter_text(app, 1, out, outsz);
}

void list_filter_shown(const struct app *app, char *out, size_t outsz)
{
	filter_text(app, 0, out, outsz);
}

/* Reads one word of a filter into t: a field prefix or none (any field), then the value, up
 * to a space, or quoted ("traffic light", "" for a quote) for a whole name. Returns the text
 * after the word. A value too long for the term is cut. */
static const char *filter_word(const char *text, struct asset_term *t)
{
	size_t at = 0;

	memset(t, 0, sizeof *t);
	t->field = FILTER_ANY;
	for (size_t i = 0; i < sizeof filter_fields / sizeof filter_fields[0]; i++) {
		size_t n = strlen(filter_fields[i].prefix);
		if (strncmp(text, filter_fields[i].prefix, n) == 0) {
			t->field = filter_fields[i].field;
			text += n;
			break;
		}
	}
	t->exact = *text == '"';
	text += t->exact;
	for (; *text != '\0'; text++) {
		if (t->exact ? *text == '"' && *++text != '"' : *text == ' ')
			break;
		if (at + 1 < sizeof t->text)
			t->text[at++] = *text;
	}
	t->text[at] = '\0';
	return text;
}

/* Space-separated terms that must all hold: "label:car tag:ni status:pend", values by prefix
 * ("label:\"car\"" for the whole name), plain words as substrings of any field. */
int list_set_filter(struct app *app, const char *text)
{
	struct asset_query *q = &app->list.query;

	q->filter = FILTER_NONE;
	q->filter_text[0] = '\0';
	q->nterms = 0;
	for (;;) {
		while (*text == ' ')
			text++;
		if (*text == '\0')
			break;
		if (q->nterms == ASSET_QUERY_TERMS) {
			app_message(app, "a filter holds %d terms: the rest is left out",
			            ASSET_QUERY_TERMS);
			break;
		}
		text = filter_word(text, &q->terms[q->nterms]);
		if (q->terms[q->nterms].text[0] != '\0')
			q->nterms++;
	}
	return list_reload_top(app);
}

static int list_row_at(const struct app *app, int screen_row)
{
	int i = screen_row - LIST_TOP;

	return i >= 0 && i < app->list.nrows ? i : -1;
}

/* Column widths for the current terminal width. */
struct list_columns {
	int name, size, shapes, status, tags;
};

static struct list_columns list_layout(int cols)
{
	struct list_columns c = {0, 11, 6, 9, 0};
	int rest = cols - 1 - c.size - c.shapes - c.status - 4;

	if (rest < 20) { /* narrow: name and status only */
		c.size = c.shapes = 0;
		rest = cols - 1 - c.status - 1;
	}
	c.tags = rest > 40 ? rest / 3 : 0;
	c.name = rest - c.tags - (c.tags ? 1 : 0);
	if (c.name < 4)
		c.name = 4;
	return c;
}

static void draw_header(struct app *app, const struct list_columns *c)
{
	int x = 1;

	attron(theme_attr(PAIR_HEADER) | A_BOLD);
	mvhline(1, 0, ' ', app->cols);
	ui_put(1, x, c->name, "FILENAME", 1);
	x += c->name + 1;
	if (c->size) {
		ui_put(1, x, c->size, "       SIZE", 1);
		x += c->size + 1;
		ui_put(1, x, c->shapes, "SHAPES", 1);
		x += c->shapes + 1;
	}
	ui_put(1, x, c->status, "STATUS", 1);
	x += c->status + 1;
	if (c->tags)
		ui_put(1, x, c->tags, "TAGS", 1);
	attroff(theme_attr(PAIR_HEADER) | A_BOLD);
}

static void draw_row(struct app *app, int y, const struct asset_row *r, int selected,
                     const struct list_columns *c, int marked)
{
	char num[32];
	int x = 1;

	if (selected)
		attron(theme_attr(PAIR_SELECTED));
	mvhline(y, 0, ' ', app->cols);
	if (marked) { /* a glyph and bold: seen without colours too */
		attron(theme_attr(PAIR_MARK) | A_BOLD);
		mvaddstr(y, 0, glyph(GLYPH_MARK));
		attroff(theme_attr(PAIR_MARK));
		if (!selected)
			attroff(A_BOLD);
	}
	ui_put(y, x, c->name, r->filename, 1);
	x += c->name + 1;
	if (c->size) {
		if (r->width > 0)
			snprintf(num, sizeof num, "%5d%s%-5d", r->width, glyph(GLYPH_TIMES),
			         r->height);
		else
			snprintf(num, sizeof num, "%11s", "?");
		ui_put(y, x, c->size, num, 1);
		x += c->size + 1;
		snprintf(num, sizeof num, "%6d", r->shape_count);
		ui_put(y, x, c->shapes, num, 1);
		x += c->shapes + 1;
	}
	if (!selected)
		attron(theme_attr(color_pair_for_status(r->status)));
	ui_put(y, x, c->status, review_status_name(r->status), 1);
	if (!selected)
		attroff(theme_attr(color_pair_for_status(r->status)));
	x += c->status + 1;
	if (c->tags)
		ui_put(y, x, c->tags, r->tags, 1);
	if (selected)
		attroff(theme_attr(PAIR_SELECTED));
	attroff(A_BOLD);
}

static void list_draw(struct app *app, void *self)
{
	struct list_columns c = list_layout(app->cols);
	struct list_view *l = &app->list;

	chrome_draw_title(app, NULL);
	draw_header(app, &c);
	for (int i = 0; i < l->page; i++) {
		if (i < l->nrows)
			draw_row(app, LIST_TOP + i, &l->rows[i], i == l->sel, &c,
			         marks_row_marked(app, i));
		else
			mvhline(LIST_TOP + i, 0, ' ', app->cols);
	}
	if (l->nrows == 0) {
		const char *why = cache_query_filtered(&l->query)
		                      ? "No asset matches the filter (Esc clears it)."
		                      : "This dataset has no assets.";
		attron(COLOR_PAIR(PAIR_DIM));
		ui_put(LIST_TOP + 1, 2, app->cols - 4, why, 0);
		attroff(COLOR_PAIR(PAIR_DIM));
	}
	chrome_draw_status(app);
	chrome_draw_bottom(app);
}

/* ---- The list screen ------------------------------------------------------------------------ */

/* The list screen's own state: the last mouse press, for a double click. */
struct list_screen_state {
	long last_press_ms;
	int last_press_row;
};

#define DOUBLE_CLICK_MS 400

/* A press on the list: the row is selected; a second press on it soon after (or a double
 * click curses read as one) opens it. */
static int list_press(struct app *app, struct list_screen_state *st, int row, int dbl)
{
	long t = (long)(frame_clock_us() / 1000);
	int i = list_row_at(app, row), twice;

	if (i < 0)
		return UI_NONE;
	twice = dbl || (i == app->list.sel && st->last_press_row == row &&
	                t - st->last_press_ms <= DOUBLE_CLICK_MS);
	app->list.sel = i;
	st->last_press_row = twice ? -1 : row;
	st->last_press_ms = t;
	return twice ? actions_dispatch(app, actions_find("open"), NULL) : UI_REDRAW;
}

static int list_mouse(struct app *app, void *self, const struct screen_mouse *m)
{
	switch (m->kind) {
	case MOUSE_WHEEL_UP:
	case MOUSE_WHEEL_DOWN:
		list_move(app, m->kind == MOUSE_WHEEL_UP ? -3 : 3);
		return UI_REDRAW;
	case MOUSE_PRESS:
	case MOUSE_DOUBLE:
		return list_press(app, self, m->row, m->kind == MOUSE_DOUBLE);
	default:
		return UI_NONE;
	}
}

/* The window is as tall as the rows between the column header and the status bar. */
static void list_resize(struct app *app, void *self)
{
	int64_t keep = list_current(app) ? list_current(app)->id : 0;

	app->list.page = app->rows - 4; /* title, header, status bar, message line */
	if (app->list.page < 1)
		app->list.page = 1;
	if (app->list.page > LIST_MAX_ROWS)
		app->list.page = LIST_MAX_ROWS;
	list_reanchor(app, keep);
}

/* A bulk edit that asks first takes the next key. */
static int list_key(struct app *app, void *self, int key)
{
	int change;

	return marks_key(app, key, &change) ? change : SCREEN_KEY_ACTIONS;
}

const struct screen_ops screen_list = {
    .name = "list",
    .state_size = sizeof(struct list_screen_state),
    .draw = list_draw,
    .key = list_key,
    .mouse = list_mouse,
    .resize = list_resize,
};
