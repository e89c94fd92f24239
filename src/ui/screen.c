/* The registry of screens (ui/screens.def) and the stack the app keeps of them: push enters a
 * screen on top, pop leaves it and uncovers the one below. */
#include "ui/screen.h"
#include "ui/app.h"

#include <stdlib.h>

static const struct screen_ops *const registry[SCREEN_COUNT] = {
#define SCREEN(id, ops) [SCREEN_INDEX_##id] = &ops,
#include "ui/screens.def"
#undef SCREEN
};

const struct screen_ops *screen_ops(enum screen_index i)
{
	return registry[i];
}

enum screen_index screen_top(const struct app *app)
{
	const struct screen_stack *s = &app->screens;

	return s->depth > 0 ? s->at[s->depth - 1] : SCREEN_COUNT;
}

enum screen_index screen_below(const struct app *app)
{
	const struct screen_stack *s = &app->screens;

	return s->depth > 1 ? s->at[s->depth - 2] : SCREEN_COUNT;
}

void *screen_state(const struct app *app, enum screen_index i)
{
	return app->screens.state[i];
}

/* app->screen follows the top: the action table and the frames read the bit. */
static void screen_settle(struct app *app)
{
	enum screen_index top = screen_top(app);

	app->screen = top < SCREEN_COUNT ? (enum ui_screen)(1u << top) : 0;
	if (top < SCREEN_COUNT && (registry[top]->flags & SCREEN_SHOWS_IMAGE))
		app->frame_dirty = 1; /* uncovered or entered: its picture is written again */
}

static void screen_leave_top(struct app *app)
{
	struct screen_stack *s = &app->screens;
	enum screen_index top = s->at[--s->depth];

	if (registry[top]->leave != NULL)
		registry[top]->leave(app, s->state[top]);
}

int screen_push(struct app *app, enum screen_index i, const void *arg)
{
	struct screen_stack *s = &app->screens;
	int on = -1;

	for (int k = 0; k < s->depth; k++)
		if (s->at[k] == i)
			on = k;
	if (on >= 0) { /* one state per screen: go back to it instead */
		int change = UI_REDRAW;
		while (s->depth > on + 1)
			screen_leave_top(app);
		if (s->stale[i] && registry[i]->refresh != NULL)
			change |= registry[i]->refresh(app, s->state[i]);
		s->stale[i] = 0;
		screen_settle(app);
		return change;
	}
	if (s->depth == SCREEN_STACK_MAX) {
		app_error(app, "too many screens open (q goes back)");
		return UI_REDRAW;
	}
	if (registry[i]->enter != NULL && registry[i]->enter(app, s->state[i], arg) < 0)
		return UI_REDRAW;
	s->at[s->depth++] = i;
	s->stale[i] = 0; /* entered: it has just read what it shows */
	screen_settle(app);
	return UI_REDRAW | (registry[i]->flags & SCREEN_SHOWS_IMAGE ? UI_FRAME : 0);
}

int screen_pop(struct app *app)
{
	struct screen_stack *s = &app->screens;
	enum screen_index top;
	int change = UI_REDRAW;

	if (s->depth <= 1)
		return UI_QUIT;
	screen_leave_top(app);
	top = screen_top(app);
	if (s->stale[top] && registry[top]->refresh != NULL)
		change |= registry[top]->refresh(app, s->state[top]);
	s->stale[top] = 0;
	screen_settle(app);
	return change;
}

int screen_shows_image(const struct app *app)
{
	enum screen_index top = screen_top(app);

	return top < SCREEN_COUNT && (registry[top]->flags & SCREEN_SHOWS_IMAGE) != 0;
}

int screens_refresh(struct app *app)
{
	struct screen_stack *s = &app->screens;
	enum screen_index top = screen_top(app);

	if (top == SCREEN_COUNT)
		return UI_NONE;
	screens_mark_stale(app);
	s->stale[top] = 0;
	return registry[top]->refresh != NULL ? registry[top]->refresh(app, s->state[top])
	                                      : UI_NONE;
}

void screens_mark_stale(struct app *app)
{
	struct screen_stack *s = &app->screens;

	for (int i = 0; i + 1 < s->depth; i++)
		s->stale[s->at[i]] = 1;
}

int screens_init(struct app *app)
{
	struct screen_stack *s = &app->screens;

	for (int i = 0; i < SCREEN_COUNT; i++) {
		s->state[i] = calloc(1, registry[i]->state_size ? registry[i]->state_size : 1);
		if (s->state[i] == NULL) {
			screens_free(app);
			return -1;
		}
	}
	s->depth = 0;
	screen_push(app, app->start_screen, NULL);
	return s->depth == 1 ? 0 : -1;
}

void screens_free(struct app *app)
{
	struct screen_stack *s = &app->screens;

	while (s->depth > 0)
		screen_leave_top(app);
	for (int i = 0; i < SCREEN_COUNT; i++) {
		free(s->state[i]);
		s->state[i] = NULL;
	}
}
