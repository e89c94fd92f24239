/* Screens as rooms: each screen is one file with a table of functions (struct screen_ops) and
 * its own state; the app keeps a stack of them (q goes back to the one below). */
#ifndef ANNOTTY_UI_SCREEN_H
#define ANNOTTY_UI_SCREEN_H

#include <stddef.h>

struct app;
struct overlay_marks;

/* One index per line of ui/screens.def, in its order. */
enum screen_index {
#define SCREEN(id, ops) SCREEN_INDEX_##id,
#include "ui/screens.def"
#undef SCREEN
	SCREEN_COUNT
};

/* A screen's bit, for the action table's rows and app->screen. */
enum ui_screen {
#define SCREEN(id, ops) SCREEN_##id = 1u << SCREEN_INDEX_##id,
#include "ui/screens.def"
#undef SCREEN
};
/* Where an action's keys work on the asset screen besides SCREEN_ASSET (action table bits,
 * never app->screen): in an edit mode, and while a new shape is being drawn. */
enum { SCREEN_EDIT = 1u << SCREEN_COUNT, SCREEN_CREATE = 2u << SCREEN_COUNT };

/* The mouse as a screen sees it (app.c reads it from curses): cells are 0-based. */
enum screen_mouse_kind {
	MOUSE_PRESS = 1,
	MOUSE_DOUBLE, /* a double click curses read as one */
	MOUSE_DRAG,   /* motion with the button held */
	MOUSE_RELEASE,
	MOUSE_WHEEL_UP,
	MOUSE_WHEEL_DOWN,
};

struct screen_mouse {
	enum screen_mouse_kind kind;
	int row, col;
};

enum screen_flags {
	SCREEN_SHOWS_IMAGE = 1, /* the frames are drawn (and prefetched) while it is on top */
};

/* Every hook gets the screen's own state (self: state_size bytes, zeroed at start, owned by
 * the app for its whole run). NULL hooks do nothing; the ones returning int return enum
 * ui_change. */
struct screen_ops {
	const char *name; /* in --list-actions and the help */
	size_t state_size;
	unsigned flags; /* enum screen_flags */
	/* pushed on the stack with the caller's argument; -1 refuses (the screen is not shown) */
	int (*enter)(struct app *app, void *self, const void *arg);
	void (*leave)(struct app *app, void *self); /* popped off the stack */
	void (*draw)(struct app *app, void *self);
	/* a key the prompt did not take: SCREEN_KEY_ACTIONS hands it to the action table */
	int (*key)(struct app *app, void *self, int key);
	int (*mouse)(struct app *app, void *self, const struct screen_mouse *m);
	void (*resize)(struct app *app, void *self); /* the terminal's size changed */
	/* the cache changed beside this annotty (another process, the sync worker), or under the
	 * screen while it was covered: read again what it shows, keeping the selection and the
	 * view; returns enum ui_change */
	int (*refresh)(struct app *app, void *self);
	/* a screen that shows an image (SCREEN_SHOWS_IMAGE) in a pane of its own: where the pane
	 * is, in 0-based cells (NULL: the asset screen's), and the marks drawn over its shapes */
	void (*pane)(const struct app *app, const void *self, int *top, int *left, int *rows,
	             int *cols);
	const struct overlay_marks *(*marks)(struct app *app, void *self);
};

#define SCREEN_KEY_ACTIONS (-1)

#define SCREEN(id, ops) extern const struct screen_ops ops;
#include "ui/screens.def"
#undef SCREEN

#define SCREEN_STACK_MAX 16

/* The stack of screens (kept in struct app); the bottom one is never popped. */
struct screen_stack {
	enum screen_index at[SCREEN_STACK_MAX];
	int depth;
	void *state[SCREEN_COUNT]; /* each screen's own state, from screens_init */
	/* the cache changed while the screen was covered: refreshed when it is uncovered */
	int stale[SCREEN_COUNT];
};

/* Allocates every screen's state and puts app->start_screen (0: the first of ui/screens.def)
 * on the stack (entered with a NULL argument). -1 when out of memory. */
int screens_init(struct app *app);
/* Leaves every screen on the stack and frees their state. */
void screens_free(struct app *app);
const struct screen_ops *screen_ops(enum screen_index i);
/* The screen on top, and the one under it (SCREEN_COUNT when there is none). */
enum screen_index screen_top(const struct app *app);
enum screen_index screen_below(const struct app *app);
/* A screen's state (never NULL after screens_init; owned by the app). */
void *screen_state(const struct app *app, enum screen_index i);
/* Enters screen i on top, with arg for its enter hook; a screen already on the stack is not
 * pushed twice (the ones above it are popped instead). Returns enum ui_change (UI_REDRAW
 * alone when the screen refused). */
int screen_push(struct app *app, enum screen_index i, const void *arg);
/* Leaves the top screen and uncovers the one below (refreshed first when it is stale);
 * UI_QUIT at the bottom. */
int screen_pop(struct app *app);
/* Whether the screen on top shows an image (its flags have SCREEN_SHOWS_IMAGE). */
int screen_shows_image(const struct app *app);
/* The cache changed: the screen on top is refreshed now (returns enum ui_change), the ones
 * under it when they are uncovered. */
int screens_refresh(struct app *app);
/* Marks the screens under the top one as stale (the top one changed what they show). */
void screens_mark_stale(struct app *app);

#endif
