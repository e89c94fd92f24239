/* The asset screen's pane of frames: what the pane asks of the frame layer. The rest of the
 * pane's functions (frame_prepare, frame_show, ...) are declared with the app in ui/app.h. */
#ifndef ANNOTTY_UI_FRAME_H
#define ANNOTTY_UI_FRAME_H

#include "frame/frame.h"

struct app;

/* The part of the pane's frame spec that says where the picture goes: the mode, the pane (in
 * 1-based cells), the terminal's cell size, the zoom and its centre; the rest zero. Whatever
 * screen is shown: the editing keys ask it too. */
void frame_pane_spec(const struct app *app, struct frame_spec *spec);

#endif
