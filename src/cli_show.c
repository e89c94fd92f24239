/* `annotty show` and `annotty doctor`: one frame on stdout through the TUI's own frame path,
 * and a report of what annotty sees. */
#include "cli_show.h"
#include "api/version.h"
#include "cache/cache.h"
#include "cache/version.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/demo.h"
#include "frame/frame.h"
#include "render/render.h"
#include "ui/term.h"
#include "ui/version.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SHOW_MAX_BYTES  ((size_t)32 << 20)
#define SHOW_DETECT_MS  300
#define SHOW_PAGE       16
#define SHOW_MAX_COLS   1000
#define SHOW_DEFAULT_PX 800

/* The pane width in pixels: what the terminal reports, else 800. */
static int show_default_width(const struct term_caps *caps)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col == 0)
		return SHOW_DEFAULT_PX;
	if (ws.ws_xpixel > 0)
		return ws.ws_xpixel;
	return caps->cell_w > 0 ? ws.ws_col * caps->cell_w : SHOW_DEFAULT_PX;
}

static int clamp_int(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Sixel frames are sized in pixels (one "cell" per pixel); half-block frames in cells, one
 * pixel per column and two per row. */
static int show_spec(const struct show_options *o, const struct term_caps *caps, int src_w,
                     int src_h, struct frame_spec *spec, struct err *err)
{
	int64_t w = o->width > 0 ? o->width : show_default_width(caps);

	memset(spec, 0, sizeof *spec);
	spec->mode = term_choose_graphics(o->graphics, caps);
	spec->low_bandwidth = o->low_bandwidth;
	spec->sixel_colors = term_sixel_colors(caps);
	if (spec->mode == GRAPHICS_NONE)
		return err_set(err, "there is nothing to show with --graphics=none");
	spec->top = spec->left = 1;
	spec->overlays = 1;
	spec->selected = -1;
	spec->truecolor = caps->truecolor;
	spec->inline_output = 1;
	if (graphics_mode_has_pixels(spec->mode)) {
		/* sixel is placed in pixels; kitty and iTerm2 images are sized in cells */
		spec->cell_w = spec->cell_h = 1;
		if (spec->mode != GRAPHICS_SIXEL) {
			frame_cell_size(spec->mode, caps->cell_w, caps->cell_h, &spec->cell_w,
			                &spec->cell_h);
		}
		spec->cols = (int)((w + spec->cell_w - 1) / spec->cell_w);
		spec->rows = clamp_int(
		    (int)(((w * src_h + src_w - 1) / src_w + spec->cell_h - 1) / spec->cell_h), 2,
		    RENDER_MAX_SIDE);
		return 0;
	}
	spec->cols = clamp_int((int)(w / (caps->cell_w > 0 ? caps->cell_w : FRAME_CELL_W_DEFAULT)),
	                       2, SHOW_MAX_COLS);
	spec->rows = clamp_int((int)(((int64_t)spec->cols * src_h + src_w) / (2 * (int64_t)src_w)),
	                       1, SHOW_MAX_COLS);
	return 0;
}

static int show_emit(const struct asset_detail *d, const struct show_options *o, int src_w,
                     int src_h, struct err *err)
{
	struct term_caps caps;
	struct frame_spec spec;
	struct frame_result res;
	struct buf out;
	int rc = -1;

	term_detect(STDOUT_FILENO, SHOW_DETECT_MS, &caps);
	buf_init(&out, caps.in_tmux ? RENDER_MAX_FRAME_BYTES : SHOW_MAX_BYTES);
	if (show_spec(o, &caps, src_w, src_h, &spec, err) < 0)
		goto out;
	if (frame_build(d, &spec, &out, &res, err) < 0)
		goto out;
	if (res.problem[0] != '\0') {
		err_set(err, "%s", res.problem);
		goto out;
	}
	if (term_write_all(STDOUT_FILENO, out.data, out.len) < 0) {
		err_set(err, "cannot write the image to stdout");
		goto out;
	}
	rc = 0;
out:
	buf_free(&out);
	return rc;
}

/* The source's size as the shapes see it (after EXIF orientation). */
static int show_source_size(const char *path, int *w, int *h, struct err *err)
{
	struct image_probe probe;

	if (!paths_is_file(path))
		return err_set(err, "no such image file: %s", path);
	if (imgprobe_file(path, &probe, err) < 0)
		return err_wrap(err, "%s", path);
	*w = probe.orientation >= 5 ? probe.height : probe.width;
	*h = probe.orientation >= 5 ? probe.width : probe.height;
	return 0;
}

int cli_show_file(const char *path, const struct show_options *o, struct err *err)
{
	struct asset_detail d;

	memset(&d, 0, sizeof d);
	if (strlen(path) >= sizeof d.path)
		return err_set(err, "the image path is too long");
	if (show_source_size(path, &d.width, &d.height, err) < 0)
		return -1;
	str_copy(d.filename, path, sizeof d.filename);
	str_copy(d.path, path, sizeof d.path);
	d.id = -1;
	return show_emit(&d, o, d.width, d.height, err);
}

/* The asset whose filename is exactly name (the filter narrows, the comparison decides). */
static int show_find_asset(struct cache *cache, int64_t dataset_id, const char *name, int64_t *id,
                           struct err *err)
{
	struct asset_query q = {.dataset_id = dataset_id, .filter = FILTER_FILENAME};
	struct asset_cursor from = {0};
	struct asset_row rows[SHOW_PAGE];
	int n;

	str_copy(q.filter_text, name, sizeof q.filter_text);
	do {
		if (cache_assets_page(cache, &q, &from, 0, rows, SHOW_PAGE, &n, err) < 0)
			return -1;
		for (int i = 0; i < n; i++) {
			if (strcmp(rows[i].filename, name) == 0) {
				*id = rows[i].id;
				return 0;
			}
		}
		if (n > 0)
			from = rows[n - 1].cursor;
	} while (n == SHOW_PAGE);
	return err_set(err, "no asset named %s in the dataset", name);
}

int cli_show_asset(struct cache *cache, int64_t dataset_id, const char *name,
                   const struct show_options *o, struct err *err)
{
	struct asset_detail d;
	int64_t id = 0;
	int src_w, src_h, rc = -1;

	memset(&d, 0, sizeof d);
	if (show_find_asset(cache, dataset_id, name, &id, err) < 0)
		return -1;
	if (cache_asset_get(cache, id, &d, err) < 0)
		return -1;
	if (d.path[0] == '\0') {
		err_set(err, "the image of %s is not on disk", name);
		goto out;
	}
	if (show_source_size(d.path, &src_w, &src_h, err) < 0)
		goto out;
	rc = show_emit(&d, o, src_w, src_h, err);
out:
	cache_asset_detail_free(&d);
	return rc;
}

/* ---- doctor ------------------------------------------------------------------------------- */

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

/* Prints "  key: value" with the value made safe (it may come from the environment). */
static void doctor_line(const char *key, const char *value)
{
	char clean[PATH_MAX * 2];

	printf("  %-20s %s\n", key, str_sanitize(value, clean, sizeof clean));
}

static void doctor_cell_size(const struct term_caps *caps)
{
	struct winsize ws;
	char text[128];

	if (caps->cell_w <= 0)
		snprintf(text, sizeof text, "unknown (%dx%d assumed)", FRAME_CELL_W_DEFAULT,
		         FRAME_CELL_H_DEFAULT);
	else if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_xpixel > 0 && ws.ws_col > 0)
		snprintf(text, sizeof text, "%dx%d pixels (from TIOCGWINSZ)", caps->cell_w,
		         caps->cell_h);
	else
		snprintf(text, sizeof text, "%dx%d pixels (from the CSI 16 t reply)", caps->cell_w,
		         caps->cell_h);
	doctor_line("cell size:", text);
}

static void doctor_terminal(const struct term_caps *caps, int tty)
{
	const char *term = getenv("TERM");
	char text[160];

	puts("terminal");
	doctor_line("stdout:", tty ? "a terminal" : "not a terminal (nothing was asked)");
	doctor_line("TERM:", term != NULL ? term : "(unset)");
	doctor_line("DA1 attributes:", caps->da1[0] ? caps->da1 : "(no answer)");
	doctor_line("sixel:", yes_no(caps->sixel));
	doctor_line("kitty:", caps->in_tmux ? "not asked (inside tmux)" : yes_no(caps->kitty));
	doctor_line("iterm2:", yes_no(caps->iterm2));
	doctor_cell_size(caps);
	doctor_line("truecolor:", yes_no(caps->truecolor));
	doctor_line("tmux:", yes_no(caps->in_tmux));
	doctor_line("synchronized output:", yes_no(caps->sync_output));
	if (caps->color_registers > 0)
		snprintf(text, sizeof text, "%d (XTSMGRAPHICS); sixel frames use %d colours",
		         caps->color_registers, term_sixel_colors(caps));
	else
		snprintf(text, sizeof text,
		         "no answer to XTSMGRAPHICS; sixel frames use 256 colours");
	doctor_line("colour registers:", text);
}

static const char *or_none(const char *s)
{
	return s[0] != '\0' ? s : "(none)";
}

/* What tmux said about itself and the terminal outside it. */
static void doctor_tmux(const struct term_caps *caps)
{
	const struct term_tmux *t = &caps->tmux;
	char text[256];

	if (!caps->in_tmux)
		return;
	puts("tmux");
	if (!t->asked)
		doctor_line("asked:",
		            "no: TERM says tmux or screen, but $TMUX is unset (over ssh?)");
	else
		doctor_line("asked:", t->answered ? "yes (tmux display-message)"
		                                  : "yes, but tmux did not answer");
	if (t->answered) {
		doctor_line("version:", or_none(t->version));
		doctor_line("client TERM:", or_none(t->termname));
		doctor_line("client XTVERSION:", or_none(t->termtype));
		doctor_line("client features:", or_none(t->features));
		doctor_line("allow-passthrough:",
		            t->passthrough[0] != '\0' ? t->passthrough : "(no such option)");
	}
	if (t->outer[0] != '\0')
		snprintf(text, sizeof text, "%s (from %s)", t->outer, t->outer_from);
	else
		snprintf(text, sizeof text,
		         "unknown (no client attached, and no clue in the "
		         "environment)");
	doctor_line("outer terminal:", text);
	doctor_line("passthrough:", t->passthrough_ok ? "allowed" : "not allowed");
}

/* What was asked for: --graphics, else ANNOTTY_GRAPHICS, else auto. */
static enum graphics_mode doctor_wanted(enum graphics_mode flag, const char **why)
{
	const char *env = getenv("ANNOTTY_GRAPHICS");
	enum graphics_mode mode;

	*why = "asked for with --graphics";
	if (flag != GRAPHICS_AUTO)
		return flag;
	*why = "asked for with ANNOTTY_GRAPHICS";
	if (env != NULL && env[0] != '\0' && graphics_mode_parse(env, &mode) == 0 &&
	    mode != GRAPHICS_AUTO)
		return mode;
	*why = NULL;
	return GRAPHICS_AUTO;
}

static const char *doctor_sixel_reason(const struct term_caps *caps, int tty)
{
	int outer = caps->in_tmux && caps->tmux.outer_sixel && caps->tmux.passthrough_ok;

	if (!tty)
		return "not offered: stdout is not a terminal";
	if (caps->da1[0] == '\0')
		return "not offered: the terminal did not answer DA1";
	if (caps->in_tmux && caps->sixel)
		return "usable: tmux lists attribute 4 in DA1 (its own sixel)";
	if (outer)
		return "not offered: tmux has no sixel of its own; the outer terminal has, but an "
		       "image "
		       "passed through is one tmux does not know about (it would paint over it)";
	if (caps->in_tmux)
		return "not offered: tmux does not list attribute 4 in DA1";
	return caps->sixel ? "usable: DA1 lists attribute 4"
	                   : "not offered: DA1 does not list attribute 4";
}

static const char *doctor_kitty_reason(const struct term_caps *caps)
{
	if (caps->in_tmux)
		return "not offered inside tmux: tmux drops kitty graphics (see kitty-tmux)";
	return caps->kitty ? "usable: answered the graphics query"
	                   : "not offered: no answer to the graphics query";
}

static void doctor_kitty_tmux_reason(const struct term_caps *caps, char *text, size_t n)
{
	const struct term_tmux *t = &caps->tmux;

	if (!caps->in_tmux)
		snprintf(text, n, "not needed: not inside tmux");
	else if (!t->asked)
		snprintf(text, n, "not offered: $TMUX is unset, so tmux cannot be asked");
	else if (!t->answered)
		snprintf(text, n,
		         "not offered: tmux did not answer display-message, so whether it "
		         "passes sequences on is unknown");
	else if (t->outer[0] == '\0')
		snprintf(text, n, "not offered: the terminal outside tmux is unknown (no client?)");
	else if (!t->outer_kitty)
		snprintf(text, n,
		         "not offered: the outer terminal (%s) does not draw kitty placeholders",
		         t->outer);
	else if (!t->passthrough_ok)
		snprintf(text, n,
		         "not offered: the outer terminal (%s) draws kitty placeholders, but "
		         "allow-passthrough is off (tmux set -g allow-passthrough on)",
		         t->outer);
	else
		snprintf(text, n,
		         "usable: the outer terminal (%s) draws kitty placeholders, and "
		         "passthrough is allowed",
		         t->outer);
}

/* Why auto landed where it did. */
static const char *doctor_auto_why(enum graphics_mode chosen, const struct term_caps *caps)
{
	switch (chosen) {
	case GRAPHICS_KITTY:
		return "auto: the terminal answered the kitty graphics query";
	case GRAPHICS_KITTY_TMUX:
		return "auto: kitty outside tmux, reached through passthrough";
	case GRAPHICS_SIXEL:
		return caps->in_tmux ? "auto: tmux offers sixel"
		                     : "auto: the terminal offers sixel";
	case GRAPHICS_ITERM2:
		return "auto: the environment says iTerm2";
	default:
		return caps->in_tmux ? "auto: inside tmux without kitty placeholders or tmux's own "
		                       "sixel, so half-blocks"
		                     : "auto: no pixel protocol, so half-blocks";
	}
}

static void doctor_graphics(enum graphics_mode flag, const struct term_caps *caps, int tty)
{
	const char *why;
	enum graphics_mode wanted = doctor_wanted(flag, &why);
	enum graphics_mode chosen = term_choose_graphics(wanted, caps);
	char text[256];

	if (why == NULL)
		why = doctor_auto_why(chosen, caps);
	if (wanted != GRAPHICS_AUTO && chosen != wanted)
		snprintf(text, sizeof text, "%s (%s: %s, which means %s %s tmux)",
		         graphics_mode_name(chosen), why, graphics_mode_name(wanted),
		         graphics_mode_name(chosen), caps->in_tmux ? "inside" : "outside");
	else
		snprintf(text, sizeof text, "%s (%s)", graphics_mode_name(chosen), why);
	puts("graphics");
	doctor_line("chosen:", text);
	doctor_line("sixel:", doctor_sixel_reason(caps, tty));
	doctor_line("kitty:", doctor_kitty_reason(caps));
	doctor_kitty_tmux_reason(caps, text, sizeof text);
	doctor_line("kitty-tmux:", text);
	doctor_line("iterm2:", caps->in_tmux  ? "not offered inside tmux"
	                       : caps->iterm2 ? "usable: TERM_PROGRAM or LC_TERMINAL says so"
	                                      : "not offered: the environment does not say iTerm2");
	doctor_line("blocks:", "usable everywhere (the fallback)");
	doctor_line("none:", "only when asked for (no image, text only)");
}

static int doctor_cache(char *db, size_t dbsz, struct err *err)
{
	struct cache *cache = NULL;
	char text[PATH_MAX + 64];

	if (paths_cache_db(db, dbsz, err) < 0)
		return -1;
	if (!paths_is_file(db)) {
		snprintf(text, sizeof text, "%s (not created yet)", db);
	} else if (cache_open(db, &cache, err) < 0) {
		snprintf(text, sizeof text, "%s (cannot open: %s)", db, err->msg);
	} else {
		snprintf(text, sizeof text, "%s (schema version %d)", db,
		         cache_schema_version(cache));
		cache_close(&cache);
	}
	doctor_line("cache:", text);
	return 0;
}

static int doctor_paths(struct err *err)
{
	char db[PATH_MAX], dir[PATH_MAX], text[PATH_MAX + 64];

	puts("files");
	if (doctor_cache(db, sizeof db, err) < 0 || paths_log_file(text, sizeof text, err) < 0)
		return -1;
	doctor_line("log:", text);
	if (paths_data_dir("demo", dir, sizeof dir, err) < 0)
		return -1;
	snprintf(text, sizeof text, "%s (%s)", dir,
	         demo_is_complete(dir) ? "generated" : "not generated yet");
	doctor_line("demo:", text);
	return 0;
}

static void doctor_libraries(void)
{
	puts("libraries");
	doctor_line("annotty:", PACKAGE_VERSION);
	doctor_line("curses:", ui_curses_version());
	doctor_line("libcurl:", api_curl_version());
	doctor_line("SQLite:", cache_sqlite_version());
}

int cli_doctor(enum graphics_mode wanted, struct err *err)
{
	struct term_caps caps;
	int tty = isatty(STDOUT_FILENO);

	term_detect(STDOUT_FILENO, SHOW_DETECT_MS, &caps);
	doctor_terminal(&caps, tty);
	doctor_tmux(&caps);
	doctor_graphics(wanted, &caps, tty);
	if (doctor_paths(err) < 0)
		return -1;
	doctor_libraries();
	return fflush(stdout) == 0 ? 0 : err_set(err, "cannot write to stdout");
}
