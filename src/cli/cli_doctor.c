/* `annotty doctor`: what annotty finds out about the terminal, the graphics mode it would
 * choose and why, its files and its libraries; as text, or with --json as one object. */
#include "cli/cli.h"
#include "frame/frame.h"
#include "api/version.h"
#include "cache/cache.h"
#include "cache/version.h"
#include "core/err.h"
#include "core/paths.h"
#include "core/str.h"
#include "demo/demo.h"
#include "ui/version.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DOCTOR_DETECT_MS 300
#define DOCTOR_ITEMS_MAX 64
#define DOCTOR_VALUE_MAX (PATH_MAX + 256)

/* The report is gathered first, then written as text or JSON. */
struct doctor_item {
	const char *section;
	char key[40];
	char value[DOCTOR_VALUE_MAX];
};

struct doctor_report {
	struct doctor_item items[DOCTOR_ITEMS_MAX];
	int n;
	const char *section;
};

static void doctor_section(struct doctor_report *r, const char *name)
{
	r->section = name;
}

/* One "key: value" of the current section; the value may come from the environment or the
 * terminal, and is made safe when written. */
static void doctor_line(struct doctor_report *r, const char *key, const char *value)
{
	struct doctor_item *it;

	if (r->n == DOCTOR_ITEMS_MAX)
		return;
	it = &r->items[r->n++];
	it->section = r->section;
	str_copy(it->key, key, sizeof it->key);
	str_copy(it->value, value, sizeof it->value);
}

static void doctor_print_text(const struct doctor_report *r)
{
	char clean[DOCTOR_VALUE_MAX * 2];

	for (int i = 0; i < r->n; i++) {
		if (i == 0 || r->items[i].section != r->items[i - 1].section)
			puts(r->items[i].section);
		printf("  %-20s %s\n", r->items[i].key,
		       str_sanitize(r->items[i].value, clean, sizeof clean));
	}
}

/* "DA1 attributes:" -> "da1_attributes" */
static void json_key(const char *key, char *out, size_t n)
{
	size_t j = 0;

	for (const char *k = key; *k && *k != ':' && j + 1 < n; k++)
		out[j++] = isalnum((unsigned char)*k) ? (char)tolower((unsigned char)*k) : '_';
	out[j] = '\0';
}

static void doctor_print_json(const struct doctor_report *r)
{
	char key[40];

	fputc('{', stdout);
	for (int i = 0; i < r->n; i++) {
		int first = i == 0 || r->items[i].section != r->items[i - 1].section;

		if (first) {
			printf("%s\n  ", i > 0 ? "\n  }," : "");
			cli_json_string(stdout, r->items[i].section);
			fputs(": {", stdout);
		}
		json_key(r->items[i].key, key, sizeof key);
		printf("%s\n    ", first ? "" : ",");
		cli_json_string(stdout, key);
		fputs(": ", stdout);
		cli_json_string(stdout, r->items[i].value);
	}
	fputs(r->n > 0 ? "\n  }\n}\n" : "}\n", stdout);
}

static const char *yes_no(int v)
{
	return v ? "yes" : "no";
}

static void doctor_cell_size(struct doctor_report *r, const struct term_caps *caps)
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
	doctor_line(r, "cell size:", text);
}

static void doctor_terminal(struct doctor_report *r, const struct term_caps *caps, int tty)
{
	const char *term = getenv("TERM");
	char text[160];

	doctor_section(r, "terminal");
	doctor_line(r, "stdout:", tty ? "a terminal" : "not a terminal (nothing was asked)");
	doctor_line(r, "TERM:", term != NULL ? term : "(unset)");
	doctor_line(r, "DA1 attributes:", caps->da1[0] ? caps->da1 : "(no answer)");
	doctor_line(r, "sixel:", yes_no(caps->sixel));
	doctor_line(r, "kitty:", caps->in_tmux ? "not asked (inside tmux)" : yes_no(caps->kitty));
	doctor_line(r, "iterm2:", yes_no(caps->iterm2));
	doctor_cell_size(r, caps);
	doctor_line(r, "truecolor:", yes_no(caps->truecolor));
	doctor_line(r, "tmux:", yes_no(caps->in_tmux));
	doctor_line(r, "synchronized output:", yes_no(caps->sync_output));
	if (caps->color_registers > 0)
		snprintf(text, sizeof text, "%d (XTSMGRAPHICS); sixel frames use %d colours",
		         caps->color_registers, term_sixel_colors(caps));
	else
		snprintf(text, sizeof text,
		         "no answer to XTSMGRAPHICS; sixel frames use 256 colours");
	doctor_line(r, "colour registers:", text);
}

static const char *or_none(const char *s)
{
	return s[0] != '\0' ? s : "(none)";
}

/* What tmux said about itself and the terminal outside it. */
static void doctor_tmux(struct doctor_report *r, const struct term_caps *caps)
{
	const struct term_tmux *t = &caps->tmux;
	char text[256];

	if (!caps->in_tmux)
		return;
	doctor_section(r, "tmux");
	if (!t->asked)
		doctor_line(
		    r, "asked:", "no: TERM says tmux or screen, but $TMUX is unset (over ssh?)");
	else
		doctor_line(r, "asked:",
		            t->answered ? "yes (tmux display-message)"
		                        : "yes, but tmux did not answer");
	if (t->answered) {
		doctor_line(r, "version:", or_none(t->version));
		doctor_line(r, "client TERM:", or_none(t->termname));
		doctor_line(r, "client XTVERSION:", or_none(t->termtype));
		doctor_line(r, "client features:", or_none(t->features));
		doctor_line(r, "allow-passthrough:",
		            t->passthrough[0] != '\0' ? t->passthrough : "(no such option)");
	}
	if (t->outer[0] != '\0')
		snprintf(text, sizeof text, "%s (from %s)", t->outer, t->outer_from);
	else
		snprintf(text, sizeof text,
		         "unknown (no client attached, and no clue in the "
		         "environment)");
	doctor_line(r, "outer terminal:", text);
	doctor_line(r, "passthrough:", t->passthrough_ok ? "allowed" : "not allowed");
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

/* Label names beyond ASCII on the pictures need GNU Unifont (Debian's unifont package). */
static void doctor_caption_font(struct doctor_report *r)
{
	char path[1024], text[1200];

	if (render_caption_font(path, sizeof path) && MB_CUR_MAX == 1)
		snprintf(text, sizeof text,
		         "built-in ASCII only: GNU Unifont is at %s, but the locale is not UTF-8 "
		         "(other characters show as ?)",
		         path);
	else if (render_caption_font(path, sizeof path))
		snprintf(text, sizeof text, "GNU Unifont (%s) for names beyond ASCII", path);
	else
		snprintf(text, sizeof text,
		         "built-in ASCII only: GNU Unifont not found at %s (the unifont package); "
		         "other characters show as ?",
		         path);
	doctor_line(r, "caption font:", text);
}

static void doctor_graphics(struct doctor_report *r, enum graphics_mode flag,
                            const struct term_caps *caps, int tty)
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
	doctor_section(r, "graphics");
	doctor_line(r, "chosen:", text);
	doctor_line(r, "sixel:", doctor_sixel_reason(caps, tty));
	doctor_line(r, "kitty:", doctor_kitty_reason(caps));
	doctor_kitty_tmux_reason(caps, text, sizeof text);
	doctor_line(r, "kitty-tmux:", text);
	doctor_line(r, "iterm2:",
	            caps->in_tmux  ? "not offered inside tmux"
	            : caps->iterm2 ? "usable: TERM_PROGRAM or LC_TERMINAL says so"
	                           : "not offered: the environment does not say iTerm2");
	doctor_line(r, "blocks:", "usable everywhere (the fallback)");
	doctor_line(r, "none:", "only when asked for (no image, text only)");
	doctor_caption_font(r);
}

static int doctor_cache(struct doctor_report *r, char *db, size_t dbsz, struct err *err)
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
	doctor_line(r, "cache:", text);
	return 0;
}

static int doctor_paths(struct doctor_report *r, struct err *err)
{
	char db[PATH_MAX], dir[PATH_MAX], text[PATH_MAX + 64];

	doctor_section(r, "files");
	if (doctor_cache(r, db, sizeof db, err) < 0 || paths_log_file(text, sizeof text, err) < 0)
		return -1;
	doctor_line(r, "log:", text);
	if (paths_data_dir("demo", dir, sizeof dir, err) < 0)
		return -1;
	snprintf(text, sizeof text, "%s (%s)", dir,
	         demo_is_complete(dir) ? "generated" : "not generated yet");
	doctor_line(r, "demo:", text);
	return 0;
}

static void doctor_libraries(struct doctor_report *r)
{
	doctor_section(r, "libraries");
	doctor_line(r, "annotty:", PACKAGE_VERSION);
	doctor_line(r, "curses:", ui_curses_version());
	doctor_line(r, "libcurl:", api_curl_version());
	doctor_line(r, "SQLite:", cache_sqlite_version());
	doctor_line(r, "libjpeg:", cli_version_jpeg());
	doctor_line(r, "libpng:", cli_version_png());
	doctor_line(r, "zlib:", cli_version_zlib());
	doctor_line(r, "cJSON:", cli_version_cjson());
	doctor_line(r, "libsixel:", cli_version_sixel());
}

int cli_run_doctor(const struct cli_call *call, struct err *err)
{
	struct doctor_report *r = calloc(1, sizeof *r);
	struct term_caps caps;
	int tty = isatty(STDOUT_FILENO), rc = -1;

	if (r == NULL)
		return err_set(err, "out of memory");
	term_detect(STDOUT_FILENO, DOCTOR_DETECT_MS, &caps);
	doctor_terminal(r, &caps, tty);
	doctor_tmux(r, &caps);
	doctor_graphics(r, call->graphics, &caps, tty);
	if (doctor_paths(r, err) < 0)
		goto out;
	doctor_libraries(r);
	if (call->value[OPT_JSON] != NULL)
		doctor_print_json(r);
	else
		doctor_print_text(r);
	rc = cli_flush_stdout(err);
out:
	free(r);
	return rc;
}
