/* `annotty show`: one image, or one asset of a source with its shapes, drawn on standard
 * output through the review screen's own frame path. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "core/paths.h"
#include "core/str.h"
#include "render/render.h"
#include "frame/frame.h"
#include "ui/term.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* How show draws: the protocol (GRAPHICS_AUTO detects), the width in pixels (0: the
 * terminal's, else 800; the height keeps the aspect ratio), and the low-bandwidth encoding. */
struct show_options {
	enum graphics_mode graphics;
	int width;
	int low_bandwidth;
};

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

static int show_file(const char *path, const struct show_options *o, struct err *err)
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

static int show_asset(struct cache *cache, int64_t dataset_id, const char *name,
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

int cli_run_show_file(const struct cli_call *call, struct err *err)
{
	struct show_options o = {call->graphics, call->width, call->low_bandwidth};

	return show_file(call->args[0], &o, err);
}

int cli_run_show_asset(const struct cli_call *call, struct err *err)
{
	struct show_options o = {call->graphics, call->width, call->low_bandwidth};
	struct cli_session s = {0};
	int rc = -1;

	if (cli_session_open(&s, call->args[0], call, err) < 0)
		goto out;
	rc = show_asset(s.cache, s.dataset_id, call->value[OPT_ASSET], &o, err);
out:
	cli_session_close(&s);
	return rc;
}
