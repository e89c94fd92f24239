/* The asset screen's image: build (decode, overlay, encode) and write it after curses has
 * drawn, remembering the last frame so that showing it again costs nothing. */
#include "ui/frame.h"
#include "ui/app.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/palette.h"
#include "render/render.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The frame's size in image pixels for a pane: sixel uses real pixels, half-blocks use one
 * pixel per column and two per row. */
static void frame_target(const struct frame_spec *spec, int *w, int *h)
{
	if (graphics_mode_has_pixels(spec->mode)) {
		*w = spec->cols * (spec->cell_w > 0 ? spec->cell_w : 10);
		*h = spec->rows * (spec->cell_h > 0 ? spec->cell_h : 20);
	} else {
		*w = spec->cols;
		*h = spec->rows * 2;
	}
}

static int frame_decode(const struct asset_detail *asset, int w, int h, struct image *img,
                        int *src_w, int *src_h, struct frame_result *res, struct err *err)
{
	struct err why;

	if (asset->path[0] == '\0')
		err_set(&why, "image file not found: %s", asset->filename);
	else if (render_decode_file(asset->path, w, h, img, src_w, src_h, &why) == 0)
		return 0;
	log_msg(LOG_WARN, "%s: %s", asset->filename, why.msg);
	snprintf(res->problem, sizeof res->problem, "%s", why.msg);
	*src_w = 0;
	*src_h = 0;
	return render_placeholder(w, h, why.msg, img, err);
}

static void frame_overlay(const struct asset_detail *asset, const struct frame_spec *spec,
                          struct image *img, int src_w, int src_h)
{
	struct overlay_item items[256];
	struct overlay_style style = {0};
	int n = 0;

	if (!spec->overlays || src_w <= 0 || src_h <= 0)
		return;
	style.scale_x = (double)img->w / src_w;
	style.scale_y = (double)img->h / src_h;
	style.fill_alpha = 48;
	style.show_caption = graphics_mode_has_pixels(spec->mode);
	style.line_width = graphics_mode_has_pixels(spec->mode) ? 0 : 1;
	for (int i = 0; i < asset->nshapes && n < (int)(sizeof items / sizeof items[0]); i++) {
		items[n].shape = &asset->shapes[i];
		items[n].rgb = palette_rgb(asset->shapes[i].label);
		items[n].selected = i == spec->selected;
		items[n].caption = asset->shape_labels[i];
		n++;
	}
	render_overlay(img, items, n, &style);
}

/* The image in one of the pixel protocols, covering cols x rows cells. */
static int frame_encode_pixels(const struct image *img, const struct frame_spec *spec, int cols,
                               int rows, struct buf *out, struct err *err)
{
	switch (spec->mode) {
	case GRAPHICS_KITTY:
		return render_encode_kitty(img, FRAME_KITTY_IMAGE_ID, cols, rows, out, err);
	case GRAPHICS_ITERM2:
		return render_encode_iterm2(img, cols, rows, out, err);
	default:
		return render_encode_sixel(img, 256, out, err);
	}
}

static int frame_encode(const struct image *img, const struct frame_spec *spec, struct buf *out,
                        struct err *err)
{
	int cw = spec->cell_w > 0 ? spec->cell_w : 10, ch = spec->cell_h > 0 ? spec->cell_h : 20;
	int cols = (img->w + cw - 1) / cw, rows = (img->h + ch - 1) / ch, top, left;

	if (spec->inline_output && spec->mode == GRAPHICS_BLOCKS) {
		if (render_encode_blocks(img, 0, 0, img->w, img->h / 2, spec->truecolor, out, err) <
		    0)
			return -1;
		return buf_putc(out, '\n') < 0 ? err_set(err, "frame too large") : 0;
	}
	if (spec->inline_output)
		return frame_encode_pixels(img, spec, cols, rows, out, err);
	if (spec->mode == GRAPHICS_BLOCKS) {
		cols = img->w;
		rows = (img->h + 1) / 2;
		top = spec->top + (spec->rows - rows) / 2;
		left = spec->left + (spec->cols - cols) / 2;
		return render_encode_blocks(img, top, left, cols, rows, spec->truecolor, out, err);
	}
	left = spec->left + (spec->cols - cols) / 2;
	if (buf_printf(out, "\0337\033[%d;%dH", spec->top, left > 0 ? left : 1) < 0)
		return err_set(err, "frame too large");
	if (frame_encode_pixels(img, spec, cols, rows, out, err) < 0)
		return -1;
	if (buf_puts(out, "\0338") < 0)
		return err_set(err, "frame too large");
	return 0;
}

int frame_build(const struct asset_detail *asset, const struct frame_spec *spec, struct buf *out,
                struct frame_result *res, struct err *err)
{
	struct image img = {0};
	int w, h, src_w, src_h, rc = -1;

	frame_target(spec, &w, &h);
	if (w < 2 || h < 2)
		return err_set(err, "the image pane is too small");
	memset(res, 0, sizeof *res);
	if (frame_decode(asset, w, h, &img, &src_w, &src_h, res, err) < 0)
		goto out;
	frame_overlay(asset, spec, &img, src_w, src_h);
	if (spec->sync_output && buf_puts(out, "\033[?2026h") < 0)
		goto too_large;
	if (frame_encode(&img, spec, out, err) < 0)
		goto out;
	if (spec->sync_output && buf_puts(out, "\033[?2026l") < 0)
		goto too_large;
	res->img_w = img.w;
	res->img_h = img.h;
	rc = 0;
	goto out;
too_large:
	err_set(err, "frame larger than %zu bytes", out->max);
out:
	image_free(&img);
	return rc;
}

/* ---- on screen ---------------------------------------------------------------------------- */

static void frame_spec_for(const struct app *app, struct frame_spec *spec)
{
	int top, left, rows, cols;

	viewer_pane(app, &top, &left, &rows, &cols);
	memset(spec, 0, sizeof *spec);
	spec->mode = app->graphics;
	spec->top = top + 1;
	spec->left = left + 1;
	spec->rows = rows;
	spec->cols = cols;
	spec->cell_w = app->caps.cell_w;
	spec->cell_h = app->caps.cell_h;
	spec->truecolor = app->caps.truecolor;
	spec->overlays = app->overlays;
	spec->selected = app->selected_shape;
	spec->sync_output = app->caps.sync_output;
}

static int frame_matches(const struct frame_cache *fc, const struct app *app,
                         const struct frame_spec *spec)
{
	return fc->valid && fc->asset_id == app->asset.id && fc->top == spec->top &&
	       fc->left == spec->left && fc->cols == spec->cols && fc->rows == spec->rows &&
	       fc->overlays == spec->overlays && fc->selected == spec->selected &&
	       fc->mode == spec->mode;
}

static void frame_remember(struct frame_cache *fc, const struct app *app,
                           const struct frame_spec *spec)
{
	fc->valid = 1;
	fc->asset_id = app->asset.id;
	fc->top = spec->top;
	fc->left = spec->left;
	fc->cols = spec->cols;
	fc->rows = spec->rows;
	fc->overlays = spec->overlays;
	fc->selected = spec->selected;
	fc->mode = spec->mode;
}

void frame_show(struct app *app)
{
	struct frame_spec spec;
	struct frame_result res;
	struct err err;

	if (app->screen != SCREEN_ASSET || !app->asset_loaded || app->graphics == GRAPHICS_NONE)
		return;
	frame_spec_for(app, &spec);
	if (spec.rows < 2 || spec.cols < 4)
		return;
	if (!frame_matches(&app->frame, app, &spec)) {
		buf_reset(&app->frame.bytes);
		app->frame.valid = 0;
		if (frame_build(&app->asset, &spec, &app->frame.bytes, &res, &err) < 0) {
			app_error(app, "%s", err.msg);
			return;
		}
		if (res.problem[0] != '\0')
			app_error(app, "%s", res.problem);
		frame_remember(&app->frame, app, &spec);
	}
	if (term_write_all(app->tty_fd, app->frame.bytes.data, app->frame.bytes.len) == 0)
		app->image_on_screen = 1;
}

void frame_forget(struct app *app)
{
	app->frame.valid = 0;
	app->frame_dirty = 1;
}
