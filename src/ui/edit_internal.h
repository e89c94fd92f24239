/* What edit.c shares with edit_mouse.c and nothing else sees. */
#ifndef ANNOTTY_UI_EDIT_INTERNAL_H
#define ANNOTTY_UI_EDIT_INTERNAL_H

#include "ui/app.h"

/* The selected shape, or NULL. */
const struct shape *edit_selected(const struct app *app);
/* Moves the selected shape, a box's edge or corner (EDIT_RESIZE) or a vertex (EDIT_VERTEX)
 * by (dx, dy) source pixels, as the edit mode says; a run on one shape is one undo step.
 * Returns what changed (UI_* flags). */
int edit_nudge_by(struct app *app, double dx, double dy);

#endif
