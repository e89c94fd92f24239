/* The mouse on the asset screen's image: presses, drags and releases turned into the same
 * edits the keys make (edit.c), so that a drag is a run of nudges and one undo step. */
#include "core/shape_edit.h"
#include "ui/app.h"
#include "ui/edit_internal.h"

#include <math.h>

/* The edge or corner of box b that p is on (within slack), or -1: its column (left edge,
 * between, right edge) and row (top, between, bottom) pick it; the inside is none. */
static int box_handle_at(const struct rect *b, struct point p, double slack)
{
	static const signed char handles[3][3] = {
	    {HANDLE_TOP_LEFT, HANDLE_TOP, HANDLE_TOP_RIGHT},
	    {HANDLE_LEFT, -1, HANDLE_RIGHT},
	    {HANDLE_BOTTOM_LEFT, HANDLE_BOTTOM, HANDLE_BOTTOM_RIGHT}};
	int col = fabs(p.x - b->x) <= slack            ? 0
	          : fabs(p.x - (b->x + b->w)) <= slack ? 2
	          : p.x > b->x && p.x < b->x + b->w    ? 1
	                                               : -1;
	int row = fabs(p.y - b->y) <= slack            ? 0
	          : fabs(p.y - (b->y + b->h)) <= slack ? 2
	          : p.y > b->y && p.y < b->y + b->h    ? 1
	                                               : -1;

	return col < 0 || row < 0 ? -1 : handles[row][col];
}

/* What a press at p takes hold of on the selected shape: a handle or vertex (set in e), the
 * shape itself, or nothing. */
static int grab(struct edit_state *e, const struct shape *s, struct point p, double slack)
{
	int i;

	if (s == NULL || s->kind == SHAPE_CLASSIFICATION)
		return DRAG_NONE;
	if (s->kind == SHAPE_BOX && (i = box_handle_at(&s->box, p, slack)) >= 0) {
		e->handle = i;
		return DRAG_RESIZE;
	}
	if ((s->kind == SHAPE_POLYGON || s->kind == SHAPE_LINE) &&
	    (i = shape_nearest_vertex(s, p)) >= 0 &&
	    hypot(s->points[i].x - p.x, s->points[i].y - p.y) <= slack) {
		e->vertex = i;
		return DRAG_VERTEX;
	}
	return shape_hit_test(s, 1, p, slack) == 0 ? DRAG_MOVE : DRAG_NONE;
}

static const enum edit_mode drag_modes[] = {
    [DRAG_MOVE] = EDIT_MOVE, [DRAG_RESIZE] = EDIT_RESIZE, [DRAG_VERTEX] = EDIT_VERTEX};

/* A press while drawing: the crosshair goes there; a box's first corner is set there too. */
static int press_creating(struct app *app, struct point p)
{
	struct edit_state *e = edit_state_of(app);

	if (e->labelling)
		return UI_NONE;
	e->cursor = (struct point){floor(p.x), floor(p.y)};
	if (e->kind == SHAPE_BOX && e->ndraft == 0) {
		edit_place(app);
		e->drag = DRAG_CORNER;
		e->drag_moved = 0;
	}
	app->frame_dirty = 1;
	return UI_REDRAW | UI_FRAME;
}

int edit_press(struct app *app, int screen_row, int screen_col)
{
	struct edit_state *e = edit_state_of(app);
	struct view_geometry g;
	struct point p;
	double slack;
	int i;

	e->drag = DRAG_NONE;
	if (view_geometry(app, &g) < 0 || view_cell_to_source(&g, screen_row, screen_col, &p) < 0)
		return UI_NONE;
	e->chain = 0;
	if (e->mode == EDIT_CREATE)
		return press_creating(app, p);
	/* a cell and a half of slack: a click rarely lands on a one-pixel outline */
	slack = 1.5 * g.px_w / g.scale_x;
	e->drag = grab(e, edit_selected(app), p, slack);
	/* a smaller shape under the pointer is selected rather than the selected one moved */
	if (e->drag == DRAG_MOVE && e->mode == EDIT_NONE &&
	    shape_hit_test(app->asset.shapes, app->asset.nshapes, p, slack) != app->selected_shape)
		e->drag = DRAG_NONE;
	if (e->mode == EDIT_VERTEX && e->drag != DRAG_VERTEX) {
		/* in vertex mode a press picks the nearest vertex, wherever it is */
		e->drag = DRAG_NONE;
		if ((i = shape_nearest_vertex(edit_selected(app), p)) >= 0)
			e->vertex = i;
		app->frame_dirty = 1;
		return UI_REDRAW | UI_FRAME;
	}
	if (e->drag != DRAG_NONE) {
		e->drag_at = p;
		e->drag_from = e->mode;
		e->drag_moved = 0;
		if (e->mode != EDIT_NONE)
			e->mode = drag_modes[e->drag]; /* the handle or vertex held shows at once */
		app->frame_dirty = 1;
		return UI_REDRAW | UI_FRAME;
	}
	i = shape_hit_test(app->asset.shapes, app->asset.nshapes, p, slack);
	if (i < 0 && e->mode != EDIT_NONE)
		return UI_NONE;
	if (i >= 0)
		app_message(app, "%s %s", shape_kind_name(app->asset.shapes[i].kind),
		            app->asset.shape_labels[i][0] ? app->asset.shape_labels[i]
		                                          : "(no label)");
	return edit_select(app, i);
}

int edit_drag(struct app *app, int screen_row, int screen_col)
{
	struct edit_state *e = edit_state_of(app);
	struct view_geometry g;
	struct point p;
	double dx, dy;
	int change;

	if (e->drag == DRAG_NONE || view_geometry(app, &g) < 0 ||
	    view_cell_to_source(&g, screen_row, screen_col, &p) < 0)
		return UI_NONE;
	if (e->drag == DRAG_CORNER) {
		e->cursor = (struct point){floor(p.x), floor(p.y)};
		e->drag_moved = 1;
		app->frame_dirty = 1;
		return UI_REDRAW | UI_FRAME;
	}
	dx = round(p.x - e->drag_at.x);
	dy = round(p.y - e->drag_at.y);
	if ((dx == 0 && dy == 0) || edit_selected(app) == NULL)
		return UI_NONE;
	e->mode = drag_modes[e->drag];
	change = edit_nudge_by(app, dx, dy);
	e->drag_at.x += dx;
	e->drag_at.y += dy;
	e->drag_moved = 1;
	return change;
}

int edit_release(struct app *app, int screen_row, int screen_col)
{
	struct edit_state *e = edit_state_of(app);
	int drag = e->drag, change = UI_NONE;

	if (drag == DRAG_NONE)
		return UI_NONE;
	change = edit_drag(app, screen_row, screen_col); /* where it was let go */
	e->drag = DRAG_NONE;
	if (drag == DRAG_CORNER)
		return e->drag_moved && e->mode == EDIT_CREATE && e->ndraft == 1 &&
		               (e->cursor.x != e->draft[0].x || e->cursor.y != e->draft[0].y)
		           ? edit_place(app)
		           : UI_REDRAW | UI_FRAME;
	/* the mode the drag started in comes back (none, for a drag outside the edit mode) */
	if (e->mode != e->drag_from) {
		e->mode = e->drag_from;
		change |= UI_REDRAW | UI_FRAME;
		app->frame_dirty = 1;
	}
	e->chain = 0; /* the drag was one undo step; the next edit is another */
	return change | UI_REDRAW;
}
