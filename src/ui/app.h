/* The TUI's state and the pieces that share it: screens, the action table, prompts, frames. */
#ifndef ANNOTTY_UI_APP_H
#define ANNOTTY_UI_APP_H

#include <stdint.h>

#include "cache/cache.h"
#include "cache/sync_worker.h"
#include "core/buf.h"
#include "core/err.h"
#include "render/render.h"
#include "ui/actions.h"
#include "ui/marks.h"
#include "ui/screen.h"
#include "ui/term.h"

#define LIST_MAX_ROWS 512 /* taller terminals show this many rows at most */
#define MSG_MAX       512

/* What a handler changed; the loop redraws once per iteration accordingly. */
enum ui_change {
	UI_NONE = 0,
	UI_REDRAW = 1, /* text changed */
	UI_FRAME = 2,  /* the image must be rebuilt */
	UI_RELOAD = 4, /* list rows must be read again from the cache */
	UI_QUIT = 8,
};

/* A window of the asset list, read from the cache one page at a time (keyset paging). */
struct list_view {
	struct asset_query query;
	struct asset_row rows[LIST_MAX_ROWS];
	int nrows;     /* rows loaded: at most the visible height */
	int sel;       /* selected row within rows */
	int first_pos; /* position of rows[0] in the whole filtered list */
	int total;
	int page; /* visible height */
};

/* The line editor used by ':', '/', and the tag prompts. */
struct prompt {
	int active;
	char label[CACHE_LABEL_MAX + 64]; /* may name a label: drawn sanitised */
	char text[256];
	int cursor; /* byte offset */
	int kind;   /* what submitting does: enum prompt_kind */
	struct action_cand completions[64];
	int ncompletions;
	int complete_index; /* next candidate to cycle to; -1 when none offered yet */
	char complete_stem[256];
	char original[256]; /* the text when opened, restored by Esc (filters apply as typed) */
	const char *action; /* PROMPT_ARG: the action the text is given to (a static name) */
};

enum prompt_kind {
	PROMPT_COMMAND = 0,
	PROMPT_TAG_ADD,
	PROMPT_TAG_REMOVE,
	PROMPT_FILTER,
	PROMPT_LABEL,  /* the label picker's filter (picker.c) */
	PROMPT_TEXT,   /* the selected shape's text */
	PROMPT_REASON, /* a rejection's reason in task mode (tasks.c) */
	PROMPT_ARG,    /* the argument of the action named in prompt.action */
};

/* The edit modes of the asset screen (edit.c). Outside them the movement keys pan. */
enum edit_mode {
	EDIT_NONE = 0,
	EDIT_MOVE,   /* the keys move the selected shape */
	EDIT_RESIZE, /* the keys move one edge or corner of the selected box */
	EDIT_VERTEX, /* the keys move one vertex of the selected polygon or line */
	EDIT_CREATE, /* the keys move a crosshair that places a new shape's corners or vertices */
};

#define EDIT_DRAFT_MAX 500
#define EDIT_JUMP      10 /* Shift moves this many steps */

struct edit_state {
	enum edit_mode mode;
	int handle;     /* EDIT_RESIZE: enum box_handle */
	int vertex;     /* EDIT_VERTEX: index into the shape's points */
	int64_t chain;  /* shape row the last nudge moved: the next nudge of it coalesces */
	int keep_chain; /* set by a running action that continues the chain */
	/* EDIT_CREATE */
	enum shape_kind kind;
	struct point cursor; /* the crosshair, source pixels */
	struct point draft[EDIT_DRAFT_MAX];
	int ndraft;
	int labelling;     /* the shape is finished and the picker asks for its label */
	struct shape made; /* the finished shape, while labelling */
	/* what edit_marks hands to the frame */
	struct point preview[EDIT_DRAFT_MAX + 4];
	struct overlay_marks marks;
	/* labels */
	int last_label;     /* index of the label applied last, -1 */
	int digit_label[9]; /* keys 1-9: label indexes, -1 for none */
	char digit_name[9][CACHE_LABEL_MAX + 1];
	int digits_loaded;
	/* a drag of the mouse on the image: enum edit_drag, where the pointer was (source
	 * pixels), the mode to go back to when it ends, whether it moved */
	int drag;
	struct point drag_at;
	enum edit_mode drag_from;
	int drag_moved;
};

/* What a press on the image takes hold of. */
enum edit_drag { DRAG_NONE, DRAG_MOVE, DRAG_RESIZE, DRAG_VERTEX, DRAG_CORNER };

/* The label picker (picker.c): a filtered list in the side panel, its filter typed in the
 * prompt line. */
enum picker_purpose { PICK_RELABEL = 1, PICK_NEW_SHAPE };

struct picker {
	enum picker_purpose purpose;
	char title[64];
	struct label_row *rows; /* ranked (cache_labels_ranked), owned */
	int nrows;
	int *match; /* indexes into rows that pass the filter, best first; owned */
	int nmatch;
	int create;  /* a last entry offers to create a label named as typed */
	int sel;     /* in match, or nmatch for the create entry */
	int confirm; /* Enter on the create entry asked first: y creates, any other key goes back */
	char typed[256]; /* the prompt's text while it asks */
};

/* The asset screen's frames (frame.c): built by the render worker thread, kept in an LRU of
 * encoded frames (frame/worker.h), written after doupdate; the latency trace (ANNOTTY_TRACE). */
struct frame_pipe;
struct frame_entry;
struct frame_cache {
	struct frame_pipe *pipe;         /* from frame_screen_start */
	int state;                       /* enum frame_state of the pane's frame */
	const struct frame_entry *ready; /* to write after this doupdate, or NULL */
	uint64_t prefetch_sig;           /* the view whose neighbours were queued last */
	/* with image_on_screen: where the picture on the screen is, and its size in pixels */
	uint64_t shown_place;
	int shown_w, shown_h;
	/* the latency trace: a key that asked for a frame not written yet */
	int trace_fd; /* ANNOTTY_TRACE, or -1 */
	int trace_armed;
	int trace_key;
	int trace_cached;  /* -1 unknown, 0 built for it, 1 from the cache */
	uint64_t trace_t0; /* when the key was read, microseconds (CLOCK_MONOTONIC) */
};

/* What the source allows now; the action table's dispatcher refuses what it does not (WRITES,
 * NEEDS_ONLINE, NEEDS_TASK). A local dataset is writable and online, with no tasks; the
 * screens of a remote platform set it as they learn it. */
struct source_state {
	int read_only; /* edits are refused */
	int online;    /* the source can be reached */
	int in_task;   /* working on an assignment (a campaign's task) */
};

/* A platform source opened in this run (remote.c): the sync worker that owns its network, and
 * what the status bar says of it. */
struct remote_source {
	char label[256];            /* the organization, as configured */
	char host[512];             /* shown beside it */
	char locator[1024];         /* the cache's locator of the source */
	struct sync_worker *worker; /* owned; NULL when no platform source is open */
	enum sync_link link;
	int syncing;
	char progress[96]; /* "assets 1200/20000" while a sync runs */
	char last_error[256];
	uint64_t last_sync_us; /* when the last sync ended (frame_clock_us), 0 before */
	int pending;           /* edits not sent yet, over the whole source */
	int64_t fetching;      /* the open asset whose image is on its way, 0 for none */
	int spinner;           /* its frame */
	int timer_fd;          /* ticks the spinner while an image is on its way; -1 without */
	struct sync_catalog_entry *catalog; /* the source's versions as it listed them; owned */
	int ncatalog;
};

/* An undo (or redo) that leaves the asset shown or reaches an earlier run asks first: the
 * step it would take, until the same key comes again (any other key cancels). */
struct undo_ask {
	int armed;
	int redo;
	struct undo_step step;
};

#define CONFLICTS_COUNT_MAX 100 /* the status bar says "100+" beyond */

struct ui_config;

struct app {
	struct cache *cache;
	int64_t dataset_id;
	struct dataset_info dataset;
	int tty_fd;
	struct term_caps caps;
	enum graphics_mode graphics;
	int low_bandwidth; /* smaller frames for slow links (--low-bandwidth, :lowband) */

	struct screen_stack screens; /* ui/screen.h; each screen's own state is there */
	enum ui_screen screen;       /* the bit of the screen on top (kept by ui/screen.c) */
	/* The shared views: the list's window over the assets (the list screen shows it, the
	 * asset screen steps through it, the frames prefetch along it), and the open asset with
	 * how it is shown (the asset screen edits it, the frames draw it). */
	struct list_view list;
	struct asset_detail asset; /* valid on SCREEN_ASSET */
	int asset_loaded;
	int selected_shape; /* -1: none */
	int overlays;       /* shown */
	double zoom;        /* 1: fit; above 1: zoomed around (center_x, center_y) */
	double center_x;    /* source pixels; 0 means the middle */
	double center_y;
	int pending_edits;
	int conflicts; /* the dataset's conflicts, counted up to CONFLICTS_COUNT_MAX */
	struct source_state source;
	struct remote_source remote;
	enum screen_index start_screen; /* the bottom of the stack (0: the asset list) */
	int quit_ask;                   /* quitting with unsent edits asked: y quits */
	struct undo_ask undo_ask;
	int64_t data_version; /* the cache's, when it was last looked at (watch.c) */
	int focus_gained;     /* the terminal reported the focus back: look at once */
	int count; /* digits typed before a key (5l), 0 when none: the next action's count */
	struct marks_state marks; /* the list's marked rows (ui/marks.h) */
	int key_prefix;           /* the first key of a two-key sequence (c of c p), or 0 */
	/* from the configuration (ui/config.h); app_run sets the defaults when config is NULL */
	const struct ui_config *config;
	int auto_advance;                        /* A and R go on to the next asset */
	int confirm_new_labels;                  /* a name no label has is asked about */
	char label_keys[9][CACHE_LABEL_MAX + 1]; /* the labels of keys 1-9 ("" for the default) */

	char search[256]; /* the last :search text ("": n and N use the filter's text) */

	struct prompt prompt;
	char message[MSG_MAX]; /* one-line feedback at the bottom */
	int message_is_error;
	struct frame_cache frame;
	int frame_dirty;     /* rebuild and write the image after the next doupdate */
	int keys_waiting;    /* read_keys stopped at its bound: the next poll() does not wait */
	int image_on_screen; /* some image bytes are on the terminal now */
	int rows, cols;
};

/* Message helpers (the text is sanitised before it is shown). */
void app_message(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void app_error(struct app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* list.c */
int list_reload_top(struct app *app);
int list_reanchor(struct app *app, int64_t asset_id);
int list_move(struct app *app, int delta);
int list_go_bottom(struct app *app);
int list_set_filter(struct app *app, const char *text);
/* The filter as it applies, in the form list_set_filter reads ("tag:night", 'tag:"night"' for
 * the whole name); "" for none. */
void list_filter_text(const struct app *app, char *out, size_t outsz);
/* The same for the eye: a whole name is quoted only when it has a space or a quote in it. */
void list_filter_shown(const struct app *app, char *out, size_t outsz);
const struct asset_row *list_current(const struct app *app);
/* n and N: selects the next (dir > 0) or previous row matching app->search, or the filter's
 * text when no search was given, wrapping around with a message. Returns enum ui_change. */
int list_search(struct app *app, int dir);

/* help.c: on the help screen, goes to the first line holding app->search (dir 0), or the
 * next (1) or previous (-1) one, wrapping around with a message. Returns enum ui_change. */
int help_search(struct app *app, int dir);

/* viewer.c: the asset screen. Its own state holds the edit modes and the label picker. */
struct asset_screen_state {
	struct edit_state edit;
	struct picker picker;
};
struct edit_state *edit_state_of(const struct app *app); /* owned by the asset screen */
struct picker *picker_of(const struct app *app);         /* the same */
int viewer_open(struct app *app, int64_t asset_id);
void viewer_pane(const struct app *app, int *top, int *left, int *rows, int *cols);

/* edit.c: the edit modes (see enum edit_mode); every edit is one cache call, after which the
 * asset is read again and the selection kept. The handlers return enum ui_change. */
int edit_enter(struct app *app);
int edit_set_mode(struct app *app, enum edit_mode mode);
int edit_leave(struct app *app);  /* back to EDIT_NONE, dropping a shape being drawn */
void edit_reset(struct app *app); /* the same, silently, when the asset goes away */
/* Moves by steps key presses' worth (a count and a Shift jump multiplied in). */
int edit_nudge(struct app *app, int dx, int dy, int steps);
/* A count digit after the count typed so far (count): the next action's count. */
int edit_count_digit(struct app *app, int count, int digit);
int edit_step_item(struct app *app, int delta); /* Tab: next shape, handle or vertex */
int edit_vertex_insert(struct app *app);
int edit_vertex_delete(struct app *app);
int edit_create(struct app *app, enum shape_kind kind);
int edit_place(struct app *app);   /* Space while creating */
int edit_finish(struct app *app);  /* Enter: finish the new shape, or leave the edit mode */
int edit_unplace(struct app *app); /* Backspace while creating */
int edit_delete_shape(struct app *app);
int edit_duplicate(struct app *app);
int edit_relabel(struct app *app, const char *name); /* NULL: ask with the picker */
int edit_quick_label(struct app *app, int digit);    /* 1-9 */
int edit_set_text(struct app *app, const char *text);
/* Undo or redo, then show it; a step that leaves the asset shown or reaches an earlier run
 * of annotty asks first (the same key again does it). */
int edit_history(struct app *app, int redo);
/* While an undo or redo asks: 1 when key cancels it (the key is used up), 0 when it is the
 * key that goes on, or nothing asks. */
int edit_history_cancels(struct app *app, int key);
/* The open asset read again, the same shape selected (the cache changed beside). */
int edit_refresh(struct app *app);
int edit_label_chosen(struct app *app, const char *name); /* the picker's answer */
void edit_label_cancelled(struct app *app);
/* The mouse on the image pane: a press selects, or takes hold of the selected shape (its
 * inside moves it, a box's edge or corner resizes it, a vertex moves that vertex) or, when
 * drawing a box, sets its first corner; a drag moves what was taken hold of (one undo step);
 * the release lets go (a box being drawn gets its second corner there). */
int edit_press(struct app *app, int screen_row, int screen_col);
int edit_drag(struct app *app, int screen_row, int screen_col);
int edit_release(struct app *app, int screen_row, int screen_col);
int edit_select(struct app *app, int index);      /* from the side panel, Tab */
int edit_digit_label(struct app *app, int digit); /* the label index of key 1-9, or -1 */
/* The editing aids the frame draws (valid until the next call or edit), or NULL. */
const struct overlay_marks *edit_marks(struct app *app);
/* "EDIT move", "EDIT resize top-left", "EDIT vertex 3/7", "NEW box ...", or "". */
void edit_status(const struct app *app, char *out, size_t outsz);

/* How the pane shows the image, as frame_place says (frame/frame.h): frame pixel (x, y) shows
 * source pixel (offset + x / scale); the frame's top-left is at screen cell (top, left), 0-based,
 * and one cell covers px_w x px_h frame pixels. */
struct view_geometry {
	double scale_x, scale_y;
	double offset_x, offset_y;
	int w, h; /* the frame in pixels */
	int top, left;
	int px_w, px_h;
};
int view_geometry(const struct app *app, struct view_geometry *g); /* -1: no image size */
/* The source point at the middle of a screen cell; -1 when the cell is off the frame. */
int view_cell_to_source(const struct view_geometry *g, int row, int col, struct point *p);
/* Source pixels per screen pixel, rounded, at least 1: what one key press moves. */
int view_step(const struct view_geometry *g);

/* picker.c */
int picker_open(struct app *app, enum picker_purpose purpose, const char *title);
void picker_close(struct app *app);
int picker_key(struct app *app, int key); /* from prompt_key, for PROMPT_LABEL */
void picker_draw(struct app *app, int x, int w);
/* Pure parts: the rows whose name holds text (case-insensitive): exact, then prefix, then the
 * others, each in rank order; *create is set when text names no label. Returns the count. */
int picker_filter(const struct label_row *rows, int n, const char *text, int *match, int *create);
/* Keys 1-9: the labels with the most shapes, ties in label order; -1 past the last label. */
void picker_digits(const struct label_row *rows, int n, int digit_label[9]);

/* frame.c: the image of the asset screen. frame_screen_start starts the render worker;
 * frame_screen_fd is readable when frames are done (-1 without a thread), and frame_collect
 * then takes them (returns enum ui_change). A draw on the asset screen calls frame_prepare
 * first (asks for the frame when frame_dirty; returns 1 when the picture on the screen may
 * stay until the new one is written over it, else the pane must be invalidated), then
 * frame_placeholder after the text ("loading" in the pane while the frame comes), frame_show
 * after doupdate (writes a ready frame), and frame_prefetch (the neighbours' frames). */
int frame_screen_start(struct app *app);
int frame_screen_fd(const struct app *app);
void frame_screen_stop(struct app *app);
int frame_collect(struct app *app);
int frame_prepare(struct app *app);
void frame_placeholder(struct app *app);
void frame_show(struct app *app);
void frame_prefetch(struct app *app);
/* The image on the screen is gone or unknown: write it again; nothing on its way is shown. */
void frame_forget(struct app *app);
/* A key read at t0 (frame_clock_us) asked for a frame: traced when it is written. */
void frame_trace_key(struct app *app, int key, uint64_t t0);
uint64_t frame_clock_us(void);

/* chrome.c: title, status bar, message line */
void chrome_draw_title(struct app *app, const char *crumb);
void chrome_draw_status(struct app *app);
void chrome_draw_bottom(struct app *app);
void colors_init(void);
int color_pair_for_label(int label_index);
int color_pair_for_status(enum review_status st);
enum {
	PAIR_TITLE = 1,
	PAIR_STATUSBAR,
	PAIR_SELECTED,
	PAIR_DIM,
	PAIR_ERROR,
	PAIR_ACCEPTED,
	PAIR_REJECTED,
	PAIR_PENDING,
	PAIR_HEADER,
	PAIR_MARK,
	PAIR_LABEL_BASE = 16
};

/* prompt.c */
void prompt_open(struct app *app, int kind, const char *label, const char *initial);
int prompt_key(struct app *app, int key); /* returns enum ui_change */
void prompt_close(struct app *app);
/* Line editing (characters, Backspace, C-u, Left, Right); returns 1 when the text changed. */
int prompt_edit(struct prompt *p, int key);
void prompt_draw(struct app *app);

/* browse.c: what the browsing screens (sources, datasets, datalake) share: a window of rows
 * with a selection, drawn one line each. */
struct browse_rows {
	int n;     /* rows */
	int sel;   /* the selected one */
	int first; /* the first one shown */
};
/* Moves the selection by delta (clamped); 1 when it moved. */
int browse_move(struct browse_rows *r, int delta);
/* Keeps the selection in a window of page rows. */
void browse_fit(struct browse_rows *r, int page);
/* Rows between the title and the header above and the status bar below. */
int browse_page(const struct app *app);
/* One line at y: the selected one in the selection's colours, dim ones greyed. */
void browse_line(struct app *app, int y, const char *text, int selected, int dim);
void browse_header(struct app *app, int y, const char *text);
/* The screen on top's rows (NULL when it has none) and its Enter. */
struct browse_rows *browse_rows_of(struct app *app);
int browse_open(struct app *app);
/* The title bar of a browsing screen: " annotty › crumb", right: what is selected of what. */
void browse_title(struct app *app, const char *crumb, const struct browse_rows *r);

/* sources.c, datasets.c, datalake.c: each screen's Enter, and the datalake's edits. */
int sources_open(struct app *app);
int datasets_open(struct app *app);
int datalake_open(struct app *app);
int datalake_move(struct app *app, int delta); /* the window follows; returns rows moved */
int datalake_moved(struct app *app);           /* the pane follows the selection */
int datalake_tag(struct app *app, const char *tag, int add);
int datalake_filter(struct app *app, const char *text);
int datalake_match_toggle(struct app *app);
int datalake_complete_tags(struct app *app, const char *prefix, struct action_cand *out, int max,
                           int of_row);

/* Safe text output: sanitises, then fits into `cols` columns at (y, x). */
void ui_put(int y, int x, int cols, const char *text, int pad);

/* app.c */
int app_run(struct app *app);
/* Reads the counts the status bar shows again: pending edits and conflicts. */
int app_reload_pending(struct app *app);

/* watch.c: what is shown never stays stale. app_watch asks the cache whether another
 * connection committed since the last look (cheap: after each key and at least once a
 * second) and, when one did or force is set (the terminal got the focus back), reads the
 * counts, the list's rows and the screen on top again, keeping the selection and the view;
 * the message line says so when what is shown changed, and names a new conflict. Returns
 * enum ui_change. */
int app_watch(struct app *app, int force);
/* Takes the data version as seen now, so that the app's own reads start from it. */
void app_watch_start(struct app *app);
/* The dataset's conflicts, counted up to CONFLICTS_COUNT_MAX; -1 with the message set. */
int app_count_conflicts(struct app *app, int *count);

/* conflicts.c: the conflicts screen's actions (each returns enum ui_change): move the
 * selection, keep mine or take theirs for the selected conflict, open its asset. */
int conflicts_move(struct app *app, int delta);
int conflicts_resolve(struct app *app, int take_theirs);
int conflicts_open(struct app *app);

/* remote.c: the platform source of this run. remote_fd is the sync worker's wake-up descriptor
 * (-1 without one) and remote_ready takes its events (the status bar's state, a fetched image,
 * the catalog) and asks for the periodic sync; both return enum ui_change. */
int remote_fd(const struct app *app);
int remote_timer_fd(const struct app *app);
int remote_ready(struct app *app);
int remote_tick(struct app *app);
/* Whether the screen shows the platform source (its screens, or one of its datasets). */
int remote_here(const struct app *app);
/* S: a sync now (eager: what was put off is tried at once). */
int remote_sync_now(struct app *app);
/* The open asset has no image in the store: it is asked for (and the neighbours' behind it). */
void remote_asset_opened(struct app *app);
/* Whether the pane waits for the open asset's image (a placeholder and a spinner meanwhile). */
int remote_image_waiting(const struct app *app);
/* The status bar's words for the source ("online", "offline", "syncing assets 10/60"). */
void remote_status(const struct app *app, char *out, size_t outsz);
/* Quitting: when edits have not reached the source, asks (y/n) and returns 1; else 0. */
int remote_quit_asks(struct app *app);
void remote_stop(struct app *app);
/* Opens a dataset of the cache on the asset list (from the sources or versions screens). */
int app_open_dataset(struct app *app, int64_t dataset_id);

/* viewer.c: the asset screen reads its asset again, keeping the shape selected and the view;
 * an asset gone from the cache goes back to the list. */
int viewer_refresh(struct app *app);

#endif
