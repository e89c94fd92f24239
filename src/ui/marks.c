/* Marks in the asset list and the bulk edits over them: Space marks a row and moves on, v opens
 * a range that closes marked, * marks every row of the filter without reading one (the cache
 * keeps it as the filter plus exceptions); a bulk edit of the marked rows is one cache call,
 * asked about first over more than a screenful, with its progress on the message line. */
#include "ui/marks.h"
#include "ui/actions.h"
#include "ui/app.h"
#include "ui/theme.h"
#include "core/str.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANGE_PAGE 256 /* rows read at a time when a range is marked */

static struct marks_state *marks_of(struct app *app)
{
	app->marks.set.query.dataset_id = app->dataset_id;
	return &app->marks;
}

static void marks_recount(struct app *app)
{
	struct err err;

	if (cache_marks_count(app->cache, &marks_of(app)->set, &app->marks.count, &err) < 0)
		app_error(app, "%s", err.msg);
}

int marks_active(const struct app *app)
{
	return app->screen == SCREEN_LIST && (app->marks.count > 0 || app->marks.visual);
}

/* The range from the anchor to the selected row, as positions in the list. */
static void range_of(const struct app *app, int *lo, int *hi)
{
	int at = app->list.first_pos + app->list.sel, from = app->marks.anchor_pos;

	*lo = at < from ? at : from;
	*hi = at < from ? from : at;
}

int marks_row_marked(struct app *app, int i)
{
	struct err err;
	int on = 0, lo, hi, pos = app->list.first_pos + i;

	if (i < 0 || i >= app->list.nrows)
		return 0;
	if (app->marks.visual) {
		range_of(app, &lo, &hi);
		if (pos >= lo && pos <= hi)
			return 1;
	}
	if (app->marks.count == 0 && !app->marks.set.all)
		return 0;
	if (cache_mark_get(app->cache, &marks_of(app)->set, app->list.rows[i].id, &on, &err) < 0)
		return 0;
	return on;
}

void marks_status(const struct app *app, char *out, size_t outsz)
{
	int lo, hi;

	out[0] = '\0';
	if (app->marks.visual) {
		range_of(app, &lo, &hi);
		snprintf(out, outsz, "  VISUAL %d row%s", hi - lo + 1, hi > lo ? "s" : "");
	} else if (app->marks.count > 0) {
		snprintf(out, outsz, "  %d marked", app->marks.count);
	}
}

int marks_toggle(struct app *app)
{
	const struct asset_row *row = list_current(app);
	struct err err;
	int on = 0;

	if (row == NULL)
		return UI_REDRAW;
	if (cache_mark_get(app->cache, &marks_of(app)->set, row->id, &on, &err) < 0 ||
	    cache_mark_set(app->cache, &app->marks.set, row->id, !on, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	marks_recount(app);
	list_move(app, 1);
	return UI_REDRAW;
}

/* Marks the rows from the anchor to the selected one, reading them page by page from the one
 * nearer the top. */
static int range_commit(struct app *app)
{
	struct asset_row *rows = calloc(RANGE_PAGE, sizeof *rows);
	struct asset_row start;
	struct err err;
	int lo, hi, left, n = 0, rc = -1;
	int64_t top_id;

	range_of(app, &lo, &hi);
	left = hi - lo + 1;
	top_id = lo == app->marks.anchor_pos ? app->marks.anchor_id : list_current(app)->id;
	if (rows == NULL || cache_asset_row(app->cache, &app->list.query, top_id, &start, &err) < 0)
		goto out;
	if (cache_mark_set(app->cache, &marks_of(app)->set, top_id, 1, &err) < 0)
		goto out;
	for (left--; left > 0; left -= n) {
		if (cache_assets_page(app->cache, &app->list.query, &start.cursor, 0, rows,
		                      left < RANGE_PAGE ? left : RANGE_PAGE, &n, &err) < 0)
			goto out;
		if (n == 0)
			break;
		for (int i = 0; i < n; i++)
			if (cache_mark_set(app->cache, &app->marks.set, rows[i].id, 1, &err) < 0)
				goto out;
		start = rows[n - 1];
	}
	rc = 0;
out:
	if (rc < 0)
		app_error(app, "%s", rows == NULL ? "out of memory" : err.msg);
	free(rows);
	app->marks.visual = 0;
	marks_recount(app);
	return rc;
}

int marks_visual(struct app *app)
{
	const struct asset_row *row = list_current(app);

	if (app->marks.visual) {
		range_commit(app);
		app_message(app, "%d marked", app->marks.count);
		return UI_REDRAW;
	}
	if (row == NULL)
		return UI_REDRAW;
	app->marks.visual = 1;
	app->marks.anchor_id = row->id;
	app->marks.anchor_pos = app->list.first_pos + app->list.sel;
	app_message(app, "VISUAL: move to the end of the range, then v (or an edit: A R P t T)");
	return UI_REDRAW;
}

int marks_all(struct app *app)
{
	struct err err;

	app->marks.visual = 0;
	if (cache_marks_all(app->cache, &app->marks.set, &app->list.query, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	marks_recount(app);
	app_message(app, "%d marked: every row %s (Esc unmarks)", app->marks.count,
	            cache_query_filtered(&app->list.query) ? "the filter shows" : "of the dataset");
	return UI_REDRAW;
}

int marks_clear(struct app *app)
{
	struct err err;

	app->marks.visual = 0;
	if (cache_marks_clear(app->cache, &app->marks.set, &err) < 0)
		app_error(app, "%s", err.msg);
	marks_recount(app);
	app_message(app, "marks cleared");
	return UI_REDRAW;
}

int marks_invert(struct app *app)
{
	struct asset_query every = {.dataset_id = app->dataset_id};
	struct err err;
	int64_t *ids = NULL;
	int n = 0, rc = 0;

	/* every row of the dataset marked, with the rows marked now as the exceptions */
	if (cache_marks_ids(app->cache, &marks_of(app)->set, &ids, &n, &err) < 0 ||
	    cache_marks_all(app->cache, &app->marks.set, &every, &err) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < n; i++)
		rc = cache_mark_set(app->cache, &app->marks.set, ids[i], 0, &err);
	free(ids);
	if (rc < 0)
		app_error(app, "%s", err.msg);
	marks_recount(app);
	if (rc == 0)
		app_message(app, "%d marked", app->marks.count);
	return UI_REDRAW;
}

/* ---- bulk edits ------------------------------------------------------------------------- */

static const char *bulk_verb(const struct bulk_edit *e)
{
	switch (e->op) {
	case BULK_REVIEW:
		return e->status == REVIEW_ACCEPTED   ? "accept"
		       : e->status == REVIEW_REJECTED ? "reject"
		                                      : "reset the review of";
	case BULK_TAG_ADD:
		return "tag";
	case BULK_TAG_REMOVE:
		return "untag";
	case BULK_RELABEL:
		return "relabel the shapes of";
	default:
		return "delete the shapes of";
	}
}

/* The progress of a bulk edit on the message line; Esc typed meanwhile cancels it. */
static int bulk_progress(void *ctx, int done, int total)
{
	struct app *app = ctx;
	int key;

	app_message(app, "%d/%d assets done (Esc cancels)", done, total);
	chrome_draw_bottom(app);
	wnoutrefresh(stdscr);
	doupdate();
	while ((key = getch()) != ERR)
		if (key == 27)
			return 1;
	return 0;
}

static void bulk_report(struct app *app, const struct bulk_edit *e, const struct bulk_result *r)
{
	char what[CACHE_LABEL_MAX * 2 + 64] = "";

	if (e->op == BULK_TAG_ADD || e->op == BULK_TAG_REMOVE)
		snprintf(what, sizeof what, " %s%s", e->op == BULK_TAG_ADD ? "+" : "-", e->name);
	if (e->op == BULK_RELABEL)
		snprintf(what, sizeof what, " (%d shapes %s to %s)", r->shapes, e->name,
		         e->new_name);
	if (e->op == BULK_DELETE_LABEL)
		snprintf(what, sizeof what, " (%d shapes of %s)", r->shapes, e->name);
	app_message(app, "%s%s: %d asset%s changed%s%s", bulk_verb(e),
	            e->op == BULK_TAG_ADD || e->op == BULK_TAG_REMOVE ? what : "", r->changed,
	            r->changed == 1 ? "" : "s",
	            e->op == BULK_RELABEL || e->op == BULK_DELETE_LABEL ? what : "",
	            r->changed ? " (u undoes all of it)" : " (all already were)");
}

static int bulk_run(struct app *app, const struct bulk_edit *e)
{
	struct bulk_result r;
	struct err err;
	int64_t *ids = NULL;
	int n = 0;

	if (cache_marks_ids(app->cache, &marks_of(app)->set, &ids, &n, &err) < 0 ||
	    cache_bulk_apply(app->cache, app->dataset_id, ids, n, e, bulk_progress, app, &r, &err) <
	        0)
		app_error(app, "%s", err.msg);
	else
		bulk_report(app, e, &r);
	free(ids);
	app_reload_pending(app);
	marks_recount(app);
	screens_mark_stale(app);
	return UI_REDRAW | UI_RELOAD;
}

static int export_run(struct app *app, const char *path)
{
	struct err err;
	int64_t *ids = NULL;
	int n = 0, written = 0;

	if (cache_marks_ids(app->cache, &marks_of(app)->set, &ids, &n, &err) < 0 ||
	    cache_export_assets(app->cache, app->dataset_id, ids, n, path, &written, &err) < 0)
		app_error(app, "%s", err.msg);
	else
		app_message(app, "wrote %d marked asset%s to %s", written, written == 1 ? "" : "s",
		            path);
	free(ids);
	return UI_REDRAW;
}

/* Keeps the edit (its strings copied) until y answers. */
static int bulk_ask(struct app *app, const struct bulk_edit *e, const char *path)
{
	struct marks_state *m = &app->marks;

	m->asking = 1;
	m->ask_export = path != NULL;
	if (path != NULL) {
		str_copy(m->ask_path, path, sizeof m->ask_path);
		app_message(app, "export %d marked assets to %s? y/n", m->count, path);
		return UI_REDRAW;
	}
	m->ask = *e;
	str_copy(m->ask_name, e->name ? e->name : "", sizeof m->ask_name);
	str_copy(m->ask_new, e->new_name ? e->new_name : "", sizeof m->ask_new);
	m->ask.name = e->name ? m->ask_name : NULL;
	m->ask.new_name = e->new_name ? m->ask_new : NULL;
	app_message(app, "%s %d marked assets%s%s? y/n", bulk_verb(e), m->count, e->name ? " " : "",
	            e->name ? e->name : "");
	return UI_REDRAW;
}

/* Closes an open range first: it is part of what the edit applies to. */
static int bulk_ready(struct app *app)
{
	if (app->marks.visual && range_commit(app) < 0)
		return -1;
	if (app->marks.count == 0) {
		app_error(app, "no row is marked");
		return -1;
	}
	return 0;
}

int marks_bulk(struct app *app, const struct bulk_edit *e)
{
	if (bulk_ready(app) < 0)
		return UI_REDRAW;
	if (app->marks.count > app->list.page)
		return bulk_ask(app, e, NULL);
	return bulk_run(app, e);
}

int marks_export(struct app *app, const char *path)
{
	if (bulk_ready(app) < 0)
		return UI_REDRAW;
	if (app->marks.count > app->list.page)
		return bulk_ask(app, NULL, path);
	return export_run(app, path);
}

int marks_key(struct app *app, int key, int *change)
{
	struct marks_state *m = &app->marks;

	if (!m->asking)
		return 0;
	m->asking = 0;
	if (key != 'y' && key != 'Y') {
		app_message(app, "nothing changed");
		*change = UI_REDRAW;
		return 1;
	}
	*change = m->ask_export ? export_run(app, m->ask_path) : bulk_run(app, &m->ask);
	return 1;
}

/* ---- the action table's handlers ----------------------------------------------------------- */

int marks_act_toggle(struct app *app, const struct action_call *c)
{
	return marks_toggle(app);
}

int marks_act_visual(struct app *app, const struct action_call *c)
{
	return marks_visual(app);
}

int marks_act_all(struct app *app, const struct action_call *c)
{
	return marks_all(app);
}

int marks_act_invert(struct app *app, const struct action_call *c)
{
	return marks_invert(app);
}

/* Without marks, a label edit is for the selected row: it is marked for the edit alone. */
static int bulk_here_or_marked(struct app *app, const struct bulk_edit *e)
{
	const struct asset_row *row = list_current(app);
	struct cache_marks saved = app->marks.set;
	struct err err;
	int change;

	if (marks_active(app) || row == NULL)
		return marks_bulk(app, e);
	app->marks.set = (struct cache_marks){.query = {.dataset_id = app->dataset_id}};
	if (cache_mark_set(app->cache, &app->marks.set, row->id, 1, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	marks_recount(app);
	change = bulk_run(app, e);
	cache_mark_set(app->cache, &app->marks.set, row->id, 0, &err);
	app->marks.set = saved;
	marks_recount(app);
	return change;
}

int marks_act_relabel(struct app *app, const struct action_call *c)
{
	char old[CACHE_LABEL_MAX + 1];
	const char *arg = c->arg ? c->arg : "", *space = strchr(arg, ' ');
	size_t n = space ? (size_t)(space - arg) : 0;

	if (space == NULL || n >= sizeof old || space[1] == '\0') {
		app_error(app,
		          "relabel takes the label to change and the new one: relabel car truck");
		return UI_REDRAW;
	}
	memcpy(old, arg, n);
	old[n] = '\0';
	while (*space == ' ')
		space++;
	return bulk_here_or_marked(
	    app, &(struct bulk_edit){.op = BULK_RELABEL, .name = old, .new_name = space});
}

int marks_act_delete_label(struct app *app, const struct action_call *c)
{
	if (c->arg == NULL || c->arg[0] == '\0') {
		app_error(app, "delete-label takes the label whose shapes go: delete-label car");
		return UI_REDRAW;
	}
	return bulk_here_or_marked(app,
	                           &(struct bulk_edit){.op = BULK_DELETE_LABEL, .name = c->arg});
}

int marks_act_export(struct app *app, const struct action_call *c)
{
	if (c->arg == NULL || c->arg[0] == '\0') {
		app_error(app, "export takes the file to write: export marked.json");
		return UI_REDRAW;
	}
	if (!marks_active(app)) /* what the filter shows */
		marks_all(app);
	return marks_export(app, c->arg);
}
