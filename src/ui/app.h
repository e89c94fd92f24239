/* The TUI's state and the pieces that share it: screens, the action table, prompts, frames. */
#ifndef ANNOTTY_UI_APP_H
#define ANNOTTY_UI_APP_H

#include <stdint.h>

#include "cache/cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "ui/term.h"

#define LIST_MAX_ROWS 512 /* taller terminals show this many rows at most */
#define MSG_MAX       512

enum ui_screen { SCREEN_LIST = 1, SCREEN_ASSET = 2, SCREEN_HELP = 4 };

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
	char label[32];
	char text[256];
	int cursor; /* byte offset */
	int kind;   /* what submitting does: enum prompt_kind in prompt.c */
	char completions[64][128];
	int ncompletions;
	int complete_index; /* next candidate to cycle to; -1 when none offered yet */
	char complete_stem[256];
	char original[256]; /* the text when opened, restored by Esc (filters apply as typed) */
};

/* The last frame written, so that showing it again costs nothing. */
struct frame_cache {
	int valid;
	int64_t asset_id;
	int top, left, cols, rows;
	int overlays, selected;
	double zoom, center_x, center_y;
	enum graphics_mode mode;
	struct buf bytes; /* terminal bytes, positioned */
};

struct app {
	struct cache *cache;
	int64_t dataset_id;
	struct dataset_info dataset;
	int tty_fd;
	struct term_caps caps;
	enum graphics_mode graphics;
	int low_bandwidth; /* smaller frames for slow links (--low-bandwidth, :lowband) */

	enum ui_screen screen;
	enum ui_screen help_return; /* screen to go back to from help */
	int help_scroll;
	struct list_view list;
	struct asset_detail asset; /* valid on SCREEN_ASSET */
	int asset_loaded;
	int selected_shape; /* -1: none */
	int overlays;       /* shown */
	double zoom;        /* 1: fit; above 1: zoomed around (center_x, center_y) */
	double center_x;    /* source pixels; 0 means the middle */
	double center_y;
	int pending_edits;

	struct prompt prompt;
	char message[MSG_MAX]; /* one-line feedback at the bottom */
	int message_is_error;
	struct frame_cache frame;
	int frame_dirty;     /* rebuild and write the image after the next doupdate */
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
int list_go_top(struct app *app);
int list_go_bottom(struct app *app);
int list_set_filter(struct app *app, const char *text);
const struct asset_row *list_current(const struct app *app);
void list_draw(struct app *app);
int list_row_at(const struct app *app, int screen_row); /* index into rows, or -1 */

/* viewer.c */
int viewer_open(struct app *app, int64_t asset_id);
void viewer_close(struct app *app);
void viewer_draw(struct app *app);
int viewer_shape_at(const struct app *app, int screen_row, int screen_col);
void viewer_pane(const struct app *app, int *top, int *left, int *rows, int *cols);

/* frame.c: builds and writes the image for the asset screen */
void frame_show(struct app *app);
void frame_forget(struct app *app);

/* chrome.c: title, status bar, message line, help screen */
void chrome_draw_title(struct app *app, const char *crumb);
void chrome_draw_status(struct app *app);
void chrome_draw_bottom(struct app *app);
void help_draw(struct app *app);
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
	PAIR_LABEL_BASE = 16
};

/* prompt.c */
void prompt_open(struct app *app, int kind, const char *label, const char *initial);
int prompt_key(struct app *app, int key); /* returns enum ui_change */
void prompt_draw(struct app *app);

/* Safe text output: sanitises, then fits into `cols` columns at (y, x). */
void ui_put(int y, int x, int cols, const char *text, int pad);

/* app.c */
int app_run(struct app *app);
int app_reload_pending(struct app *app);

#endif
