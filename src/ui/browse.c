/* What the browsing screens share (sources, datasets and versions, the datalake): a window of
 * rows with a selection, their lines and header, and the action table's way to their rows and
 * their Enter. */
#include "ui/app.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>

int browse_move(struct browse_rows *r, int delta)
{
	int to = r->sel + delta;

	if (to >= r->n)
		to = r->n - 1;
	if (to < 0)
		to = 0;
	if (to == r->sel)
		return 0;
	r->sel = to;
	return 1;
}

void browse_fit(struct browse_rows *r, int page)
{
	if (r->sel >= r->n)
		r->sel = r->n > 0 ? r->n - 1 : 0;
	if (r->sel < r->first)
		r->first = r->sel;
	if (page > 0 && r->sel >= r->first + page)
		r->first = r->sel - page + 1;
	if (r->first < 0)
		r->first = 0;
}

int browse_page(const struct app *app)
{
	int page = app->rows - 4; /* title, header, status bar, message line */

	return page < 1 ? 1 : page;
}

void browse_line(struct app *app, int y, const char *text, int selected, int dim)
{
	int pair = selected ? PAIR_SELECTED : dim ? PAIR_DIM : 0;

	if (pair)
		attron(COLOR_PAIR(pair));
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 1, app->cols - 2, text, 0);
	if (pair)
		attroff(COLOR_PAIR(pair));
}

void browse_header(struct app *app, int y, const char *text)
{
	attron(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 1, app->cols - 2, text, 0);
	attroff(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
}

void browse_title(struct app *app, const char *crumb, const struct browse_rows *r)
{
	char left[1024], right[64];
	int rw;

	snprintf(left, sizeof left, " annotty \xe2\x80\xba %s", crumb);
	snprintf(right, sizeof right, "%d/%d ", r->n > 0 ? r->sel + 1 : 0, r->n);
	rw = str_width(right);
	attron(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', app->cols);
	ui_put(0, 0, app->cols - rw - 1, left, 0);
	mvaddstr(0, app->cols - rw, right);
	attroff(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
}

/* Each browsing screen's state begins with its rows. */
struct browse_rows *browse_rows_of(struct app *app)
{
	enum screen_index top = screen_top(app);

	if (top != SCREEN_INDEX_SOURCES && top != SCREEN_INDEX_DATASETS &&
	    top != SCREEN_INDEX_DATALAKE)
		return NULL;
	return screen_state(app, top);
}

int browse_open(struct app *app)
{
	switch (screen_top(app)) {
	case SCREEN_INDEX_SOURCES:
		return sources_open(app);
	case SCREEN_INDEX_DATASETS:
		return datasets_open(app);
	case SCREEN_INDEX_DATALAKE:
		return datalake_open(app);
	default:
		return UI_NONE;
	}
}
