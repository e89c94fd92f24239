/* The edit modes of the asset screen: moving shapes, resizing boxes, moving, inserting and
 * deleting vertices, drawing new shapes with a crosshair, labels, delete, duplicate, text, and
 * undo/redo. The geometry is core/shape_edit.h's; each edit is one cache call, after which the
 * asset is read again with the same shape selected. Frames are kept by what they draw (shapes
 * and marks included), so a change here only has to ask for a new one (frame_dirty). */
#include "ui/app.h"
#include "ui/edit_internal.h"
#include "core/shape_edit.h"
#include "core/str.h"
#include "ui/frame.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MARK_RGB  0xff2d95 /* the editing marks: a pink that photos rarely have */
#define COUNT_MAX 9999
/* What a successful edit changed: the cache, so the text, the frame and the list. */
#define EDITED (UI_REDRAW | UI_FRAME | UI_RELOAD)

/* ---- How the pane shows the image (frame_place, as the frames are drawn) -------------------- */

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

int view_geometry(const struct app *app, struct view_geometry *g)
{
	struct frame_spec spec;
	struct frame_placement pl;

	memset(g, 0, sizeof *g);
	if (!app->asset_loaded)
		return -1;
	frame_pane_spec(app, &spec);
	if (frame_place(&spec, app->asset.width, app->asset.height, &pl) < 0)
		return -1;
	g->scale_x = pl.scale_x;
	g->scale_y = pl.scale_y;
	g->offset_x = pl.offset_x;
	g->offset_y = pl.offset_y;
	g->w = pl.w;
	g->h = pl.h;
	g->top = pl.top - 1; /* the screen's 0-based cells */
	g->left = pl.left - 1;
	g->px_w = pl.px_w;
	g->px_h = pl.px_h;
	return 0;
}

int view_cell_to_source(const struct view_geometry *g, int row, int col, struct point *p)
{
	double fx = (col - g->left + 0.5) * g->px_w, fy = (row - g->top + 0.5) * g->px_h;

	if (g->scale_x <= 0 || g->scale_y <= 0 || fx < 0 || fy < 0 || fx >= g->w || fy >= g->h)
		return -1;
	p->x = g->offset_x + fx / g->scale_x;
	p->y = g->offset_y + fy / g->scale_y;
	return 0;
}

int view_step(const struct view_geometry *g)
{
	double s = g->scale_x > 0 ? 1 / g->scale_x : 1;

	return s < 1.5 ? 1 : (int)fmin(1e6, lround(s));
}

static int app_step(const struct app *app)
{
	struct view_geometry g;

	return view_geometry(app, &g) == 0 ? view_step(&g) : 1;
}

/* Keeps a point in a zoomed view: when it leaves the visible region, the view centres on it. */
static void follow(struct app *app, struct point p)
{
	struct view_geometry g;
	double vw, vh;

	if (app->zoom <= 1.001 || view_geometry(app, &g) < 0)
		return;
	vw = g.w / g.scale_x;
	vh = g.h / g.scale_y;
	if (p.x < g.offset_x || p.x > g.offset_x + vw)
		app->center_x = clampd(p.x, vw / 2, app->asset.width - vw / 2);
	else
		app->center_x = g.offset_x + vw / 2;
	if (p.y < g.offset_y || p.y > g.offset_y + vh)
		app->center_y = clampd(p.y, vh / 2, app->asset.height - vh / 2);
	else
		app->center_y = g.offset_y + vh / 2;
}

/* ---- Selection and reloading ---------------------------------------------------------------- */

const struct shape *edit_selected(const struct app *app)
{
	int i = app->selected_shape;

	return app->asset_loaded && i >= 0 && i < app->asset.nshapes ? &app->asset.shapes[i] : NULL;
}

static int64_t selected_id(const struct app *app)
{
	return edit_selected(app) ? app->asset.shape_ids[app->selected_shape] : 0;
}

static const char *selected_label(const struct app *app)
{
	const char *name = edit_selected(app) ? app->asset.shape_labels[app->selected_shape] : "";

	return name[0] ? name : "(no label)";
}

/* Whether a mode can work on a shape. */
static int mode_fits(enum edit_mode mode, const struct shape *s)
{
	switch (mode) {
	case EDIT_MOVE:
		return s != NULL && s->kind != SHAPE_CLASSIFICATION;
	case EDIT_RESIZE:
		return s != NULL && s->kind == SHAPE_BOX;
	case EDIT_VERTEX:
		return s != NULL && (s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE) &&
		       s->npoints > 0;
	default:
		return 1;
	}
}

/* After the selection changed under an edit mode: a mode that no longer fits falls back to
 * moving, or ends. */
static void mode_check(struct app *app)
{
	struct edit_state *e = edit_state_of(app);
	const struct shape *s = edit_selected(app);

	if (e->mode == EDIT_NONE || e->mode == EDIT_CREATE)
		return;
	if (!mode_fits(e->mode, s))
		e->mode = mode_fits(EDIT_MOVE, s) ? EDIT_MOVE : EDIT_NONE;
	if (e->mode == EDIT_VERTEX && (e->vertex < 0 || e->vertex >= s->npoints))
		e->vertex = s->npoints - 1;
}

/* Reads the asset again after an edit and selects the shape with row id select (0: none). */
static int reload(struct app *app, int64_t asset_id, int64_t select)
{
	app_reload_pending(app);
	if (viewer_open(app, asset_id) < 0) {
		edit_reset(app);
		return UI_REDRAW;
	}
	app->selected_shape = -1;
	for (int i = 0; select != 0 && i < app->asset.nshapes; i++)
		if (app->asset.shape_ids[i] == select)
			app->selected_shape = i;
	mode_check(app);
	app->frame_dirty = 1;
	return EDITED;
}

int edit_refresh(struct app *app)
{
	if (!app->asset_loaded)
		return UI_NONE;
	return reload(app, app->asset.id, selected_id(app));
}

int edit_select(struct app *app, int index)
{
	app->selected_shape = index >= 0 && index < app->asset.nshapes ? index : -1;
	edit_state_of(app)->chain = 0;
	mode_check(app);
	return UI_REDRAW | UI_FRAME;
}

/* ---- Modes ---------------------------------------------------------------------------------- */

static void drop_new_shape(struct edit_state *e)
{
	if (e->labelling)
		shape_clear(&e->made);
	e->labelling = 0;
	e->ndraft = 0;
}

void edit_reset(struct app *app)
{
	drop_new_shape(edit_state_of(app));
	edit_state_of(app)->mode = EDIT_NONE;
	app->count = 0;
	edit_state_of(app)->chain = 0;
}

int edit_enter(struct app *app)
{
	const struct shape *s = edit_selected(app);

	if (s->kind == SHAPE_CLASSIFICATION) {
		app_error(app,
		          "a classification has no outline to edit: L relabels it, d deletes it");
		return UI_REDRAW;
	}
	edit_state_of(app)->mode = EDIT_MOVE;
	edit_state_of(app)->handle = HANDLE_BOTTOM_RIGHT;
	edit_state_of(app)->vertex = 0;
	edit_state_of(app)->chain = 0;
	app_message(app,
	            "editing %s %s: hjkl or arrows move it (HJKL: x%d), r resize, "
	            "v vertices, Enter or Esc ends",
	            shape_kind_name(s->kind), selected_label(app), EDIT_JUMP);
	return UI_REDRAW | UI_FRAME;
}

int edit_set_mode(struct app *app, enum edit_mode mode)
{
	const struct shape *s = edit_selected(app);

	if (!mode_fits(mode, s)) {
		app_error(app, "%s",
		          mode == EDIT_RESIZE
		              ? "only boxes resize (v moves the vertices of polygons "
		                "and lines)"
		          : mode == EDIT_VERTEX
		              ? "only polygons and lines have vertices (r resizes a box)"
		              : "a classification does not move");
		return UI_REDRAW;
	}
	edit_state_of(app)->mode = mode;
	if (mode == EDIT_RESIZE)
		app_message(app, "resize: Tab picks the edge or corner, hjkl moves it");
	else if (mode == EDIT_VERTEX) {
		if (edit_state_of(app)->vertex < 0 || edit_state_of(app)->vertex >= s->npoints)
			edit_state_of(app)->vertex = 0;
		app_message(app,
		            "vertices: [ ] or Tab pick one, hjkl moves it, i inserts, x deletes");
	} else
		app_message(app, "move: hjkl or arrows move the shape");
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_leave(struct app *app)
{
	struct edit_state *e = edit_state_of(app);

	if (e->mode == EDIT_CREATE)
		app_message(app, "new %s cancelled", shape_kind_name(e->kind));
	else if (e->mode != EDIT_NONE)
		app_message(app, "edit done");
	edit_reset(app);
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_count_digit(struct app *app, int count, int digit)
{
	int n = count * 10 + digit;

	app->count = n > COUNT_MAX ? COUNT_MAX : n;
	edit_state_of(app)->keep_chain = 1; /* 5l continues a run of nudges like l does */
	return UI_REDRAW;
}

/* ---- Nudges --------------------------------------------------------------------------------- */

static void describe_shape(const struct shape *s, char *out, size_t outsz)
{
	if (s->kind == SHAPE_POINT && s->npoints > 0)
		snprintf(out, outsz, "at %.0f,%.0f", s->points[0].x, s->points[0].y);
	else
		snprintf(out, outsz, "at %.0f,%.0f, %.0fx%.0f", s->box.x, s->box.y, s->box.w,
		         s->box.h);
}

/* Replaces the selected shape with s (one cache call) and reads the asset again. Returns 0,
 * or -1 with the error shown. */
static int commit_update(struct app *app, const struct shape *s, int coalesce)
{
	struct err err;
	int64_t id = selected_id(app);

	if (cache_shape_update(app->cache, id, s, coalesce, &err) < 0) {
		app_error(app, "%s", err.msg);
		return -1;
	}
	reload(app, app->asset.id, id);
	return 0;
}

/* Why a nudge changed nothing: an edge moved along itself, or a stop. */
static void refuse_nudge(struct app *app, double dx, double dy)
{
	enum box_handle h;

	if (edit_state_of(app)->mode != EDIT_RESIZE) {
		app_error(app, "at the edge of the image");
		return;
	}
	h = (enum box_handle)edit_state_of(app)->handle;
	if ((h == HANDLE_TOP || h == HANDLE_BOTTOM) && dy == 0)
		app_error(app, "the %s edge moves up and down (j k); Tab picks an edge or corner",
		          box_handle_name(h));
	else if ((h == HANDLE_LEFT || h == HANDLE_RIGHT) && dx == 0)
		app_error(app,
		          "the %s edge moves left and right (h l); Tab picks an edge or corner",
		          box_handle_name(h));
	else
		app_error(app, "the box stops here (the image's edge, or its smallest size)");
}

int edit_nudge_by(struct app *app, double dx, double dy)
{
	struct edit_state *e = edit_state_of(app);
	const struct shape *cur = edit_selected(app);
	int64_t id = selected_id(app);
	int w = app->asset.width, h = app->asset.height, rc, change = UI_REDRAW;
	struct shape s;
	struct err err;
	char where[128];

	if (shape_copy(&s, cur, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	if (e->mode == EDIT_RESIZE)
		rc = shape_resize_box(&s, (enum box_handle)e->handle, dx, dy, w, h, &err);
	else if (e->mode == EDIT_VERTEX)
		rc = shape_vertex_move(&s, e->vertex, dx, dy, w, h, &err);
	else
		rc = shape_move(&s, dx, dy, w, h, &err);
	if (rc < 0) {
		app_error(app, "%s", err.msg);
	} else if (shape_equal(&s, cur)) {
		refuse_nudge(app, dx, dy);
	} else if (commit_update(app, &s, e->chain == id) == 0) {
		change = EDITED;
		e->chain = id;
		e->keep_chain = 1;
		if (e->mode == EDIT_VERTEX && edit_selected(app) != NULL) {
			const struct point *v = &edit_selected(app)->points[e->vertex];
			app_message(app, "vertex %d at %.0f,%.0f", e->vertex + 1, v->x, v->y);
		} else if (edit_selected(app) != NULL) {
			describe_shape(edit_selected(app), where, sizeof where);
			app_message(app, "%s %s %s", shape_kind_name(s.kind), selected_label(app),
			            where);
		}
		follow(app, e->mode == EDIT_VERTEX && edit_selected(app) != NULL
		                ? edit_selected(app)->points[e->vertex]
		                : (struct point){s.box.x + s.box.w / 2, s.box.y + s.box.h / 2});
	}
	shape_clear(&s);
	return change;
}

static int move_cursor(struct app *app, double dx, double dy)
{
	struct point *c = &edit_state_of(app)->cursor;

	c->x = clampd(c->x + dx, 0, app->asset.width);
	c->y = clampd(c->y + dy, 0, app->asset.height);
	follow(app, *c);
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_nudge(struct app *app, int dx, int dy, int steps)
{
	double d = (double)steps * app_step(app);

	if (edit_state_of(app)->mode == EDIT_CREATE)
		return move_cursor(app, dx * d, dy * d);
	if (edit_selected(app) == NULL)
		return edit_leave(app);
	return edit_nudge_by(app, dx * d, dy * d);
}

/* ---- Handles and vertices ------------------------------------------------------------------- */

int edit_step_item(struct app *app, int delta)
{
	struct edit_state *e = edit_state_of(app);
	const struct shape *s = edit_selected(app);
	int n = app->asset.nshapes;

	switch (e->mode) {
	case EDIT_RESIZE:
		e->handle = (e->handle + delta + HANDLE_COUNT) % HANDLE_COUNT;
		break;
	case EDIT_VERTEX:
		if (s != NULL && shape_vertex_step(s, e->vertex, delta) >= 0)
			e->vertex = shape_vertex_step(s, e->vertex, delta);
		break;
	default: /* the next shape that can be moved */
		for (int k = 1, i = app->selected_shape; k <= n; k++) {
			int next = ((i < 0 ? (delta > 0 ? -1 : 0) : i) + k * delta % n + 2 * n) % n;
			if (mode_fits(EDIT_MOVE, &app->asset.shapes[next]))
				return edit_select(app, next);
		}
		return UI_REDRAW;
	}
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_vertex_insert(struct app *app)
{
	struct shape s;
	struct err err;
	int at, change = UI_REDRAW;

	if (edit_state_of(app)->mode != EDIT_VERTEX) {
		app_error(app, "i inserts a vertex in vertex mode (v)");
		return UI_REDRAW;
	}
	if (shape_copy(&s, edit_selected(app), &err) < 0 ||
	    shape_vertex_insert_after(&s, edit_state_of(app)->vertex, app->asset.width,
	                              app->asset.height, &at, &err) < 0) {
		app_error(app, "%s", err.msg);
	} else if (commit_update(app, &s, 0) == 0) {
		change = EDITED;
		edit_state_of(app)->vertex = at;
		mode_check(app);
		app_message(app, "vertex %d inserted (x deletes it)", at + 1);
	}
	shape_clear(&s);
	return change;
}

int edit_vertex_delete(struct app *app)
{
	struct shape s;
	struct err err;
	int change = UI_REDRAW, gone = edit_state_of(app)->vertex;

	if (edit_state_of(app)->mode != EDIT_VERTEX) {
		app_error(app, "x deletes a vertex in vertex mode (v); d deletes the shape");
		return UI_REDRAW;
	}
	if (shape_copy(&s, edit_selected(app), &err) < 0 ||
	    shape_vertex_delete(&s, edit_state_of(app)->vertex, &err) < 0) {
		app_error(app, "vertex %d kept: %s", gone + 1, err.msg);
	} else if (commit_update(app, &s, 0) == 0) {
		change = EDITED;
		if (edit_state_of(app)->vertex > 0)
			edit_state_of(app)->vertex--;
		mode_check(app);
		app_message(app, "vertex %d deleted", gone + 1);
	}
	shape_clear(&s);
	return change;
}

/* ---- New shapes ----------------------------------------------------------------------------- */

/* The middle of what the pane shows, on whole pixels. */
static struct point view_centre(const struct app *app)
{
	struct view_geometry g;

	if (view_geometry(app, &g) == 0 && app->zoom > 1.001)
		return (struct point){floor(g.offset_x + g.w / g.scale_x / 2),
		                      floor(g.offset_y + g.h / g.scale_y / 2)};
	return (struct point){floor(app->asset.width / 2.0), floor(app->asset.height / 2.0)};
}

static int ask_label(struct app *app)
{
	char title[64];

	snprintf(title, sizeof title, "Label for new %s",
	         shape_kind_name(edit_state_of(app)->made.kind));
	edit_state_of(app)->labelling = 1;
	if (picker_open(app, PICK_NEW_SHAPE, title) < 0) {
		edit_reset(app);
		return UI_REDRAW | UI_FRAME;
	}
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_create(struct app *app, enum shape_kind kind)
{
	static const char *const hints[SHAPE_KIND_COUNT] = {
	    [SHAPE_BOX] = "Space sets a corner, then the opposite one",
	    [SHAPE_POLYGON] = "Space places a vertex, Backspace takes it back, Enter closes",
	    [SHAPE_LINE] = "Space places a vertex, Backspace takes it back, Enter ends",
	    [SHAPE_POINT] = "Space or Enter places it",
	};
	struct edit_state *e = edit_state_of(app);
	struct err err;

	if (app->asset.width <= 0 || app->asset.height <= 0) {
		app_error(app, "the image's size is unknown: shapes cannot be placed");
		return UI_REDRAW;
	}
	edit_reset(app);
	e->mode = EDIT_CREATE;
	e->kind = kind;
	if (kind == SHAPE_CLASSIFICATION) {
		if (shape_make_classification(&e->made, app->asset.width, app->asset.height, &err) <
		    0) {
			edit_reset(app);
			app_error(app, "%s", err.msg);
			return UI_REDRAW;
		}
		return ask_label(app);
	}
	e->cursor = view_centre(app);
	app_message(app, "new %s: hjkl or arrows move the crosshair (HJKL: x%d); %s; Esc cancels",
	            shape_kind_name(kind), EDIT_JUMP, hints[kind]);
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_place(struct app *app)
{
	struct edit_state *e = edit_state_of(app);

	if (e->kind == SHAPE_POINT || (e->kind == SHAPE_BOX && e->ndraft == 1))
		return edit_finish(app);
	if (e->ndraft > 0 && e->draft[e->ndraft - 1].x == e->cursor.x &&
	    e->draft[e->ndraft - 1].y == e->cursor.y) {
		app_error(app, "a vertex is already there: move the crosshair first");
		return UI_REDRAW;
	}
	if (e->ndraft >= (e->kind == SHAPE_BOX ? 1 : EDIT_DRAFT_MAX)) {
		app_error(app, "no more vertices: Enter ends the shape");
		return UI_REDRAW;
	}
	e->draft[e->ndraft++] = e->cursor;
	if (e->kind == SHAPE_BOX)
		app_message(app,
		            "first corner at %.0f,%.0f: move to the opposite corner, then Space "
		            "or Enter",
		            e->cursor.x, e->cursor.y);
	else
		app_message(app, "vertex %d at %.0f,%.0f (%s)", e->ndraft, e->cursor.x, e->cursor.y,
		            e->kind == SHAPE_POLYGON ? "Enter closes the polygon"
		                                     : "Enter ends the line");
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

static int finish_new(struct app *app)
{
	struct edit_state *e = edit_state_of(app);
	int w = app->asset.width, h = app->asset.height, rc, least;
	struct err err;

	switch (e->kind) {
	case SHAPE_BOX:
		if (e->ndraft == 0) {
			app_error(app,
			          "Space sets the first corner, then Space or Enter the second");
			return UI_REDRAW;
		}
		rc = shape_make_box(&e->made, e->draft[0], e->cursor, w, h, &err);
		break;
	case SHAPE_POINT:
		rc = shape_make_point(&e->made, e->cursor, w, h, &err);
		break;
	default:
		least = e->kind == SHAPE_POLYGON ? 3 : 2;
		if (e->ndraft < least) {
			app_error(app,
			          "a %s needs at least %d vertices (%d placed; Space places one)",
			          shape_kind_name(e->kind), least, e->ndraft);
			return UI_REDRAW;
		}
		rc = shape_make_path(&e->made, e->kind, e->draft, e->ndraft, w, h, &err);
		break;
	}
	if (rc < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	return ask_label(app);
}

int edit_finish(struct app *app)
{
	if (edit_state_of(app)->mode == EDIT_CREATE)
		return finish_new(app);
	return edit_leave(app);
}

int edit_unplace(struct app *app)
{
	struct edit_state *e = edit_state_of(app);

	if (e->ndraft == 0) {
		app_error(app, "nothing placed yet (Esc cancels the new %s)",
		          shape_kind_name(e->kind));
		return UI_REDRAW;
	}
	e->ndraft--;
	app_message(app, "%s taken back", e->kind == SHAPE_BOX ? "the first corner" : "a vertex");
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

/* ---- Labels --------------------------------------------------------------------------------- */

static int load_digits(struct app *app)
{
	struct label_row *rows;
	struct err err;
	int n = 0, rc;

	if (edit_state_of(app)->digits_loaded)
		return 0;
	rows = calloc(1024, sizeof *rows);
	if (rows == NULL)
		return -1;
	rc = cache_labels_list(app->cache, app->dataset_id, rows, 1024, &n, &err);
	if (rc == 0) {
		/* fixed for the session, so that the keys can be learnt */
		picker_digits(rows, n, edit_state_of(app)->digit_label);
		for (int d = 0; d < 9; d++) /* the configuration's labels for keys 1-9 */
			for (int i = 0; i < n && app->label_keys[d][0] != '\0'; i++)
				if (strcasecmp(rows[i].name, app->label_keys[d]) == 0)
					edit_state_of(app)->digit_label[d] = rows[i].index;
		for (int d = 0; d < 9; d++)
			for (int i = 0; i < n; i++)
				if (rows[i].index == edit_state_of(app)->digit_label[d])
					str_copy(edit_state_of(app)->digit_name[d], rows[i].name,
					         sizeof edit_state_of(app)->digit_name[d]);
		edit_state_of(app)->digits_loaded = 1;
	}
	free(rows);
	return rc;
}

int edit_digit_label(struct app *app, int digit)
{
	if (digit < 1 || digit > 9 || load_digits(app) < 0)
		return -1;
	return edit_state_of(app)->digit_label[digit - 1];
}

static int apply_label(struct app *app, int index, const char *name)
{
	struct shape s;
	struct err err;
	char old[CACHE_LABEL_MAX + 16];
	int change = UI_REDRAW;

	if (edit_selected(app)->label == index) {
		app_message(app, "already labelled %s", name);
		return UI_REDRAW;
	}
	str_copy(old, selected_label(app), sizeof old);
	if (shape_copy(&s, edit_selected(app), &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	s.label = index;
	if (commit_update(app, &s, 0) == 0) {
		change = EDITED;
		app_message(app, "relabelled %s: %s \xe2\x86\x92 %s", shape_kind_name(s.kind), old,
		            name);
		edit_state_of(app)->last_label = index;
	}
	shape_clear(&s);
	return change;
}

static int create_labelled(struct app *app, int index, const char *name)
{
	struct edit_state *e = edit_state_of(app);
	struct err err;
	int64_t id;
	enum shape_kind kind = e->made.kind;

	e->made.label = index;
	if (cache_shape_create(app->cache, app->asset.id, &e->made, &id, &err) < 0) {
		edit_reset(app);
		app_error(app, "%s", err.msg);
		return UI_REDRAW | UI_FRAME;
	}
	edit_reset(app);
	e->last_label = index;
	reload(app, app->asset.id, id);
	app_message(app, "added %s %s (u undoes)", shape_kind_name(kind), name);
	return EDITED;
}

static int label_apply(struct app *app, enum picker_purpose purpose, const char *name)
{
	struct err err;
	int index, before = app->dataset.label_count, change;

	if (cache_label_ensure(app->cache, app->dataset_id, name, &index, &err) < 0) {
		app_error(app, "%s", err.msg);
		if (purpose == PICK_NEW_SHAPE) { /* keep the shape: ask again */
			char msg[MSG_MAX];
			str_copy(msg, app->message, sizeof msg);
			change = ask_label(app);
			app_error(app, "%s", msg);
			return change;
		}
		return UI_REDRAW;
	}
	if (purpose == PICK_NEW_SHAPE)
		change = create_labelled(app, index, name);
	else
		change = apply_label(app, index, name);
	if ((change & UI_RELOAD) &&
	    cache_dataset_get(app->cache, app->dataset_id, &app->dataset, &err) == 0 &&
	    app->dataset.label_count > before) {
		char msg[MSG_MAX];
		str_copy(msg, app->message, sizeof msg);
		app_message(app, "%s (new label %s)", msg, name);
	}
	return change;
}

int edit_label_chosen(struct app *app, const char *name)
{
	return label_apply(app, picker_of(app)->purpose, name);
}

void edit_label_cancelled(struct app *app)
{
	if (picker_of(app)->purpose == PICK_NEW_SHAPE) {
		app_message(app, "new %s cancelled",
		            shape_kind_name(edit_state_of(app)->made.kind));
		edit_reset(app);
		app->frame_dirty = 1;
	} else {
		app_message(app, "label unchanged");
	}
}

int edit_relabel(struct app *app, const char *name)
{
	char title[64];

	if (name != NULL)
		return label_apply(app, PICK_RELABEL, name);
	snprintf(title, sizeof title, "Relabel %s %s", shape_kind_name(edit_selected(app)->kind),
	         selected_label(app));
	picker_open(app, PICK_RELABEL, title);
	return UI_REDRAW;
}

int edit_quick_label(struct app *app, int digit)
{
	int index = edit_digit_label(app, digit);

	if (index < 0) {
		app_error(app, "no label on key %d (the dataset has %d label%s)", digit,
		          app->dataset.label_count, app->dataset.label_count == 1 ? "" : "s");
		return UI_REDRAW;
	}
	return apply_label(app, index, edit_state_of(app)->digit_name[digit - 1]);
}

/* ---- Delete, duplicate, text ---------------------------------------------------------------- */

int edit_delete_shape(struct app *app)
{
	struct err err;
	char what[CACHE_LABEL_MAX + 64];
	int64_t id = selected_id(app);

	snprintf(what, sizeof what, "%s %s", shape_kind_name(edit_selected(app)->kind),
	         selected_label(app));
	if (cache_shape_delete(app->cache, id, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	edit_reset(app);
	reload(app, app->asset.id, 0);
	app_message(app, "deleted %s (u undoes)", what);
	return EDITED;
}

/* A copy beside the original, moved by a Shift jump towards where there is room. */
int edit_duplicate(struct app *app)
{
	struct shape s;
	struct err err;
	double off = (double)EDIT_JUMP * app_step(app), dx, dy;
	int64_t id;
	int change = UI_REDRAW;

	if (shape_copy(&s, edit_selected(app), &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	free(s.ext_id); /* the copy is a new annotation of the source */
	s.ext_id = NULL;
	dx = s.box.x + s.box.w + off <= app->asset.width ? off : -off;
	dy = s.box.y + s.box.h + off <= app->asset.height ? off : -off;
	if (shape_move(&s, dx, dy, app->asset.width, app->asset.height, &err) < 0 ||
	    cache_shape_create(app->cache, app->asset.id, &s, &id, &err) < 0) {
		app_error(app, "%s", err.msg);
	} else {
		edit_reset(app);
		change = reload(app, app->asset.id, id);
		app_message(app, "duplicated %s %s: the copy is selected", shape_kind_name(s.kind),
		            selected_label(app));
	}
	shape_clear(&s);
	return change;
}

int edit_set_text(struct app *app, const char *text)
{
	struct shape s;
	struct err err;
	int change = UI_REDRAW;

	if (shape_copy(&s, edit_selected(app), &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	free(s.text);
	s.text = text[0] ? str_dup(text) : NULL;
	if (text[0] && s.text == NULL)
		app_error(app, "out of memory");
	else if (shape_equal(&s, edit_selected(app)))
		app_message(app, "text unchanged");
	else if (commit_update(app, &s, 0) == 0) {
		change = EDITED;
		app_message(app, text[0] ? "text set" : "text cleared");
	}
	shape_clear(&s);
	return change;
}

/* ---- Undo and redo -------------------------------------------------------------------------- */

/* The row ids of the open asset's shapes (owned by the caller; NULL with *n 0 when none,
 * NULL with *n -1 when out of memory). */
static int64_t *shape_ids_copy(const struct app *app, int *n)
{
	int64_t *ids;

	*n = 0;
	if (!app->asset_loaded || app->asset.nshapes == 0)
		return NULL;
	ids = malloc((size_t)app->asset.nshapes * sizeof *ids);
	*n = ids != NULL ? app->asset.nshapes : -1;
	if (ids != NULL)
		memcpy(ids, app->asset.shape_ids, (size_t)app->asset.nshapes * sizeof *ids);
	return ids;
}

/* A shape of the open asset that is not among ids (one an undo brought back), or 0 (also
 * when the ids are not known: n < 0). */
static int64_t shape_new_since(const struct app *app, const int64_t *ids, int n)
{
	for (int i = 0; n >= 0 && i < app->asset.nshapes; i++) {
		int seen = 0;
		for (int k = 0; k < n && !seen; k++)
			seen = ids[k] == app->asset.shape_ids[i];
		if (!seen)
			return app->asset.shape_ids[i];
	}
	return 0;
}

/* The asset the user is looking at: the open one, or the selected list row (0: none). */
static int64_t shown_asset(const struct app *app)
{
	const struct asset_row *row;

	if (app->screen == SCREEN_ASSET)
		return app->asset_loaded ? app->asset.id : 0;
	row = list_current(app);
	return row ? row->id : 0;
}

/* Whether the step must be asked about: it opens another asset, or it reaches back into an
 * edit made by an earlier run of annotty. */
static int history_surprises(const struct app *app, const struct undo_step *step)
{
	/* a bulk edit of this run, in the list where it was made, is no surprise */
	if (step->assets > 1 && app->screen == SCREEN_LIST)
		return step->earlier_run;
	return step->earlier_run || (step->asset_id != 0 && step->asset_id != shown_asset(app));
}

static int history_asked(const struct app *app, int redo, const struct undo_step *step)
{
	const struct undo_ask *a = &app->undo_ask;

	return a->armed && a->redo == redo && a->step.asset_id == step->asset_id &&
	       a->step.earlier_run == step->earlier_run && strcmp(a->step.what, step->what) == 0;
}

/* Says what the step would do and waits for the same key again. */
static int history_ask(struct app *app, int redo, const struct undo_step *step)
{
	struct asset_query q = {.dataset_id = app->dataset_id};
	struct asset_row row;
	char where[600] = "";
	struct err err;

	app->undo_ask = (struct undo_ask){.armed = 1, .redo = redo, .step = *step};
	if (step->assets > 1) /* the description says on how many */
		where[0] = '\0';
	else if (step->asset_id != 0 &&
	         cache_asset_row(app->cache, &q, step->asset_id, &row, &err) == 0)
		snprintf(where, sizeof where, " on %s", row.filename);
	else if (step->asset_id != 0)
		snprintf(where, sizeof where, " on asset %lld", (long long)step->asset_id);
	app_message(app, "%s again to %s %s%s%s; any other key cancels", redo ? "C-r" : "u",
	            redo ? "redo" : "undo", step->what, where,
	            step->earlier_run ? " (an earlier session)" : "");
	return UI_REDRAW;
}

int edit_history_cancels(struct app *app, int key)
{
	const struct action *a;

	if (!app->undo_ask.armed)
		return 0;
	a = actions_for_key(app, key);
	if (a != NULL && a == actions_find(app->undo_ask.redo ? "redo" : "undo"))
		return 0;
	app->undo_ask.armed = 0;
	app_message(app, "%s cancelled: nothing changed", app->undo_ask.redo ? "redo" : "undo");
	return 1;
}

int edit_history(struct app *app, int redo)
{
	char what[128] = "";
	int64_t asset_id = 0, keep = selected_id(app);
	struct undo_step step;
	struct err err;
	int n = 0, rc, change = UI_REDRAW;
	int64_t *before = NULL, back;

	if (cache_undo_peek(app->cache, app->dataset_id, redo, &step, &err) < 0) {
		app_error(app, "%s", err.msg);
		return UI_REDRAW;
	}
	if (step.asset_id != 0 || step.what[0] != '\0') {
		if (history_surprises(app, &step) && !history_asked(app, redo, &step))
			return history_ask(app, redo, &step);
	}
	app->undo_ask.armed = 0;
	before = shape_ids_copy(app, &n);
	rc = redo ? cache_redo(app->cache, app->dataset_id, &asset_id, what, sizeof what, &err)
	          : cache_undo(app->cache, app->dataset_id, &asset_id, what, sizeof what, &err);
	if (rc < 0) {
		app_error(app, "%s", err.msg);
		goto out;
	}
	if (asset_id == 0 && what[0] == '\0') {
		app_message(app, redo ? "nothing to redo" : "nothing to undo");
		goto out;
	}
	app_reload_pending(app);
	if (asset_id == 0) { /* a label creation alone: no asset to show */
		app_message(app, "%s %s", redo ? "redid" : "undid", what);
		goto out;
	}
	list_reanchor(app, asset_id);
	if (app->screen == SCREEN_ASSET) {
		if (!app->asset_loaded || app->asset.id != asset_id) {
			edit_reset(app);
			viewer_open(app, asset_id);
		} else {
			reload(app, asset_id, keep);
			/* a shape the step brought back (an undone delete) is selected */
			if ((back = shape_new_since(app, before, n)) != 0)
				reload(app, asset_id, back);
		}
	}
	app_message(app, "%s %s", redo ? "redid" : "undid", what);
	change = EDITED;
out:
	free(before);
	return change;
}

/* ---- What the frame and the status bar show ------------------------------------------------- */

/* The outline of the shape being drawn: the corners so far, and a rubber band to the cursor. */
static int preview(struct edit_state *e, int *closed)
{
	struct point *v = e->preview, c = e->cursor;
	const struct shape *m = &e->made;
	int n = 0;

	*closed = 0;
	if (e->labelling && (m->kind == SHAPE_BOX || m->kind == SHAPE_CLASSIFICATION)) {
		v[0] = (struct point){m->box.x, m->box.y};
		v[1] = (struct point){m->box.x + m->box.w, m->box.y};
		v[2] = (struct point){m->box.x + m->box.w, m->box.y + m->box.h};
		v[3] = (struct point){m->box.x, m->box.y + m->box.h};
		*closed = 1;
		return 4;
	}
	if (e->labelling) {
		for (int i = 0; i < m->npoints && i < EDIT_DRAFT_MAX; i++)
			v[n++] = m->points[i];
		*closed = m->kind == SHAPE_POLYGON;
		return n;
	}
	if (e->kind == SHAPE_BOX && e->ndraft == 1) {
		struct point a = e->draft[0];
		v[0] = a;
		v[1] = (struct point){c.x, a.y};
		v[2] = c;
		v[3] = (struct point){a.x, c.y};
		*closed = 1;
		return 4;
	}
	for (int i = 0; i < e->ndraft; i++)
		v[n++] = e->draft[i];
	if (n > 0)
		v[n++] = c;
	return n;
}

const struct overlay_marks *edit_marks(struct app *app)
{
	enum screen_index on = screen_top(app);
	struct edit_state *e = edit_state_of(app);
	struct overlay_marks *m = &e->marks;

	if (on < SCREEN_COUNT && on != SCREEN_INDEX_ASSET) /* another screen's picture */
		return screen_ops(on)->marks ? screen_ops(on)->marks(app, screen_state(app, on))
		                             : NULL;
	memset(m, 0, sizeof *m);
	m->vertex = -1;
	m->handle = -1;
	m->rgb = MARK_RGB;
	switch (e->mode) {
	case EDIT_RESIZE:
		m->shape = edit_selected(app);
		m->handle = e->handle;
		break;
	case EDIT_VERTEX:
		m->shape = edit_selected(app);
		m->vertex = e->vertex;
		break;
	case EDIT_CREATE:
		m->crosshair = !e->labelling;
		m->cursor = e->cursor;
		m->ndraft = preview(e, &m->draft_closed);
		m->draft = m->ndraft > 0 ? e->preview : NULL;
		break;
	default:
		return NULL;
	}
	return m;
}

void edit_status(const struct app *app, char *out, size_t outsz)
{
	const struct edit_state *e = edit_state_of(app);
	const struct shape *s = edit_selected(app);
	char count[32] = "";

	if (app->count > 0)
		snprintf(count, sizeof count, "  %d", app->count);
	switch (e->mode) {
	case EDIT_MOVE:
		snprintf(out, outsz, "EDIT move%s", count);
		break;
	case EDIT_RESIZE:
		snprintf(out, outsz, "EDIT resize %s%s",
		         box_handle_name((enum box_handle)e->handle), count);
		break;
	case EDIT_VERTEX:
		snprintf(out, outsz, "EDIT vertex %d/%d%s", e->vertex + 1, s ? s->npoints : 0,
		         count);
		break;
	case EDIT_CREATE:
		if (e->labelling)
			snprintf(out, outsz, "NEW %s: its label?", shape_kind_name(e->kind));
		else if (e->kind == SHAPE_BOX && e->ndraft == 1)
			snprintf(out, outsz, "NEW box %.0f,%.0f to %.0f,%.0f%s", e->draft[0].x,
			         e->draft[0].y, e->cursor.x, e->cursor.y, count);
		else if (e->kind == SHAPE_POLYGON || e->kind == SHAPE_LINE)
			snprintf(out, outsz, "NEW %s %d placed, at %.0f,%.0f%s",
			         shape_kind_name(e->kind), e->ndraft, e->cursor.x, e->cursor.y,
			         count);
		else
			snprintf(out, outsz, "NEW %s at %.0f,%.0f%s", shape_kind_name(e->kind),
			         e->cursor.x, e->cursor.y, count);
		break;
	default:
		out[0] = '\0';
		break;
	}
}
