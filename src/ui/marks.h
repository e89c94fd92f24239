/* Marks in the asset list (Space, a visual range, every row of the filter) and the bulk edits
 * that apply to the marked rows: the state the app keeps, and what the actions call. */
#ifndef ANNOTTY_UI_MARKS_H
#define ANNOTTY_UI_MARKS_H

#include "cache/cache.h"

struct app;

struct marks_state {
	struct cache_marks set; /* the marks themselves (cache/cache.h) */
	int count;              /* marked rows, as counted after the last change */
	/* a visual range (v): from the anchor to the selected row, marked when it closes */
	int visual;
	int64_t anchor_id;
	int anchor_pos; /* the anchor's position in the list */
	/* a bulk edit over more than a screenful waits for y */
	int asking;
	struct bulk_edit ask;
	char ask_name[CACHE_LABEL_MAX + 1];
	char ask_new[CACHE_LABEL_MAX + 1];
	char ask_path[4096]; /* an export's file */
	int ask_export;
};

/* Whether the list's bulk edits apply: on the list screen, with marks or a visual range. */
int marks_active(const struct app *app);
/* Whether the list row at window index i shows as marked (its mark, or inside the range). */
int marks_row_marked(struct app *app, int i);
/* The status bar's words ("12 marked", "VISUAL 5 rows"), "" when there are none. */
void marks_status(const struct app *app, char *out, size_t outsz);
/* A key while a bulk edit asks (y goes on, any other key drops it): 1 when it took the key,
 * with *change set. */
int marks_key(struct app *app, int key, int *change);

/* The actions (each returns enum ui_change). */
int marks_toggle(struct app *app); /* Space: mark or unmark, then the next row */
int marks_visual(struct app *app); /* v: open a range, or close it (marking it) */
int marks_all(struct app *app);    /* *: every row the filter shows */
int marks_clear(struct app *app);  /* unmark everything */
int marks_invert(struct app *app); /* the marked rows become unmarked and the rest marked */
/* A bulk edit of the marked rows: asks first over more than a screenful, shows progress. For
 * BULK_RELABEL and BULK_DELETE_LABEL, name is the label (and new_name the new one). */
int marks_bulk(struct app *app, const struct bulk_edit *e);
/* Writes the marked assets to a COCO file at path. */
int marks_export(struct app *app, const char *path);

/* The action table's handlers (ui/actions.c). */
struct action_call;
int marks_act_toggle(struct app *app, const struct action_call *c);
int marks_act_visual(struct app *app, const struct action_call *c);
int marks_act_all(struct app *app, const struct action_call *c);
int marks_act_invert(struct app *app, const struct action_call *c);
int marks_act_relabel(struct app *app, const struct action_call *c);      /* "OLD NEW" */
int marks_act_delete_label(struct app *app, const struct action_call *c); /* "LABEL" */
int marks_act_export(struct app *app, const struct action_call *c);       /* "FILE" */

#endif
