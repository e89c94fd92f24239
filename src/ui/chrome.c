/* What surrounds the screens: colours, the title bar, the status bar, the message line, and
 * the one function that puts data text on screen (sanitised first). */
#include "ui/app.h"
#include "ui/theme.h"
#include "core/palette.h"
#include "core/str.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ui_put(int y, int x, int cols, const char *text, int pad)
{
	char clean[2048], fitted[2048];

	if (cols <= 0)
		return;
	str_sanitize(text, clean, sizeof clean);
	str_fit(clean, cols, pad, fitted, sizeof fitted);
	mvaddstr(y, x, fitted);
}

static void set_message(struct app *app, int is_error, const char *fmt, va_list ap)
{
	vsnprintf(app->message, sizeof app->message, fmt, ap);
	app->message_is_error = is_error;
}

void app_message(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(app, 0, fmt, ap);
	va_end(ap);
}

void app_error(struct app *app, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	set_message(app, 1, fmt, ap);
	va_end(ap);
	beep();
}

void colors_init(void)
{
	theme_start(); /* colours, or attributes where there are none (ui/theme.c) */
}

int color_pair_for_label(int label_index)
{
	return PAIR_LABEL_BASE + (label_index < 0 ? PALETTE_SIZE : label_index % PALETTE_SIZE);
}

int color_pair_for_status(enum review_status st)
{
	switch (st) {
	case REVIEW_ACCEPTED:
		return PAIR_ACCEPTED;
	case REVIEW_REJECTED:
		return PAIR_REJECTED;
	case REVIEW_PENDING:
		return PAIR_PENDING;
	default:
		return PAIR_DIM;
	}
}

void chrome_draw_title(struct app *app, const char *crumb)
{
	char left[1024], right[128];
	int rw;

	snprintf(left, sizeof left, " annotty %s %s%s%s%s%s", glyph(GLYPH_CRUMB), app->dataset.name,
	         crumb ? " " : "", crumb ? glyph(GLYPH_CRUMB) : "", crumb ? " " : "",
	         crumb ? crumb : "");
	if (app->list.total > 0 && app->list.nrows > 0)
		snprintf(right, sizeof right, "%d/%d ", app->list.first_pos + app->list.sel + 1,
		         app->list.total);
	else
		snprintf(right, sizeof right, "0/0 ");
	rw = str_width(right);
	attron(theme_attr(PAIR_TITLE) | A_BOLD);
	mvhline(0, 0, ' ', app->cols);
	ui_put(0, 0, app->cols - rw - 1, left, 0);
	mvaddstr(0, app->cols - rw, right);
	attroff(theme_attr(PAIR_TITLE) | A_BOLD);
}

static const char *const sort_labels[SORT_COUNT] = {"filename", "status", "shapes", "size"};

/* The candidate Tab put in the prompt last, or NULL. */
static const struct action_cand *completion_shown(const struct prompt *p)
{
	if (!p->active || p->ncompletions == 0 || p->complete_index < 0)
		return NULL;
	return &p->completions[(p->complete_index + p->ncompletions - 1) % p->ncompletions];
}

/* Whether the status bar lists the candidates: more than one, or one that cannot run. */
static int completions_listed(const struct prompt *p)
{
	const struct action_cand *c = completion_shown(p);

	return p->active && (p->ncompletions > 1 || (c != NULL && c->why != NULL));
}

/* The candidates Tab cycles through; after them, why the one in the prompt cannot run. */
static void completions_text(const struct prompt *p, char *out, size_t outsz)
{
	const struct action_cand *shown = completion_shown(p);
	size_t at = 0;

	out[0] = '\0';
	for (int i = 0; i < p->ncompletions && at + 4 < outsz; i++) {
		int n = snprintf(out + at, outsz - at, " %s%s", p->completions[i].text,
		                 i + 1 < p->ncompletions ? " " : "");
		if (n < 0)
			break;
		at += (size_t)n < outsz - at ? (size_t)n : outsz - at - 1;
	}
	if (shown != NULL && shown->why != NULL && at + 8 < outsz)
		snprintf(out + at, outsz - at, "   (%s: %s)", shown->text, shown->why);
}

/* The candidates that cannot run now, greyed over the list completions_text wrote. */
static void completions_grey(const struct prompt *p, int y, int width)
{
	int x = 0;

	attron(A_DIM);
	for (int i = 0; i < p->ncompletions; i++) {
		int w = str_width(p->completions[i].text);
		if (x + 1 + w > width)
			break;
		if (p->completions[i].why != NULL)
			ui_put(y, x + 1, w, p->completions[i].text, 0);
		x += 1 + w + 1;
	}
	attroff(A_DIM);
}

/* The counts every screen's status bar ends with: the platform's state (online, offline,
 * syncing), edits not sent yet (over the whole platform source on its browsing screens), and
 * conflicts. */
static void status_counts(const struct app *app, char *out, size_t outsz)
{
	int browsing = remote_here(app) && !(app->screen & (SCREEN_LIST | SCREEN_ASSET));
	int pending = browsing ? app->remote.pending : app->pending_edits;
	size_t n = 0;

	out[0] = '\0';
	if (remote_here(app)) {
		remote_status(app, out, outsz);
		n = strlen(out);
	}
	if (pending > 0 && n < outsz)
		n += (size_t)snprintf(
		    out + n, outsz - n, "  %s %d edit%s not %s yet", glyph(GLYPH_PENCIL), pending,
		    pending == 1 ? "" : "s",
		    !browsing && strcmp(app->dataset.kind, "coco") == 0 ? "exported" : "synced");
	if (n >= outsz)
		n = outsz - 1;
	if (app->conflicts > 0 && n < outsz)
		snprintf(out + n, outsz - n, "  %s %d%s conflict%s%s", glyph(GLYPH_WARN),
		         app->conflicts, app->conflicts >= CONFLICTS_COUNT_MAX ? "+" : "",
		         app->conflicts == 1 ? "" : "s",
		         app->screen == SCREEN_CONFLICTS ? "" : " (C)");
}

void chrome_draw_status(struct app *app)
{
	char text[1024], filter[300] = "", pending[400] = "", zoom[32] = "", mode[128] = "";
	const struct asset_query *q = &app->list.query;
	int y = app->rows - 2;

	if (cache_query_filtered(q)) {
		char now[sizeof q->filter_text + 16];
		list_filter_shown(app, now, sizeof now);
		snprintf(filter, sizeof filter, "  filter %s (%d)", now, app->list.total);
	}
	status_counts(app, pending, sizeof pending);
	if (app->zoom > 1)
		snprintf(zoom, sizeof zoom, "  zoom %.0f%%", app->zoom * 100);
	if (app->screen == SCREEN_ASSET && app->asset_loaded) {
		edit_status(app, mode + 1, sizeof mode - 8);
		if (mode[1] != '\0') {
			mode[0] = ' ';
			strcat(mode,
			       theme_is_ascii()
			           ? " |"
			           : " \xe2\x94\x82"); /* a bar between the mode and the rest */
		}
	}
	if (app->screen == SCREEN_ASSET && app->asset_loaded)
		snprintf(text, sizeof text, "%s %s  %dx%d  %d shape%s%s%s%s  [%s]", mode,
		         review_status_name(app->asset.status), app->asset.width, app->asset.height,
		         app->asset.nshapes, app->asset.nshapes == 1 ? "" : "s",
		         app->overlays ? "" : "  (overlays hidden)", zoom, pending,
		         graphics_mode_name(app->graphics));
	else if (app->screen == SCREEN_CONFLICTS)
		snprintf(text, sizeof text, " m keep mine  t take theirs  Enter open%s", pending);
	else if (browse_rows_of(app) != NULL)
		snprintf(text, sizeof text, " Enter open%s%s%s",
		         app->screen == SCREEN_DATALAKE ? "  t tag  / filter  a any/all" : "",
		         remote_here(app) ? "  S sync" : "", pending);
	else {
		char marked[64];
		marks_status(app, marked, sizeof marked);
		snprintf(text, sizeof text, " sort %s%s%s%s%s%s", sort_labels[q->sort],
		         q->descending ? " " : "", q->descending ? glyph(GLYPH_DOWN) : "", filter,
		         marked, pending);
	}
	if (completions_listed(&app->prompt))
		completions_text(&app->prompt, text, sizeof text);
	attron(theme_attr(PAIR_STATUSBAR));
	mvhline(y, 0, ' ', app->cols);
	ui_put(y, 0, app->cols - 18, text, 0);
	/* q goes back, or quits from the first screen: the footer says which */
	ui_put(y, app->cols - 17, 17,
	       screen_below(app) == SCREEN_COUNT ? "  ? help  q quit " : "  ? help  q back ", 0);
	if (completions_listed(&app->prompt))
		completions_grey(&app->prompt, y, app->cols - 18);
	attroff(theme_attr(PAIR_STATUSBAR));
	if (mode[0] != '\0' && !completions_listed(&app->prompt)) {
		attron(theme_attr(PAIR_SELECTED)); /* the mode stands out */
		ui_put(y, 0, app->cols - 18, mode, 0);
		attroff(theme_attr(PAIR_SELECTED));
	}
}

void chrome_draw_bottom(struct app *app)
{
	int y = app->rows - 1;

	if (app->prompt.active) {
		prompt_draw(app);
		return;
	}
	move(y, 0);
	clrtoeol();
	if (app->message[0] == '\0')
		return;
	if (app->message_is_error)
		attron(theme_attr(PAIR_ERROR));
	ui_put(y, 0, app->cols - 1, app->message, 0);
	if (app->message_is_error)
		attroff(theme_attr(PAIR_ERROR));
}
