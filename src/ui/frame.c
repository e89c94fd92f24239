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
#include <math.h>
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
                          struct image *img, const struct overlay_style *view)
{
	struct overlay_item items[256];
	struct overlay_style style = *view;
	int n = 0;

	if (!spec->overlays || view->scale_x <= 0 || view->scale_y <= 0)
		return;
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

/* Where the zoomed view looks, in source pixels: a region of rw x rh at (x0, y0), shown at
 * z screen pixels per source pixel. */
struct zoom_plan {
	double z, rw, rh, x0, y0;
	int out_w, out_h;
};

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void zoom_plan_make(const struct asset_detail *a, const struct frame_spec *spec, int pw,
                           int ph, struct zoom_plan *p)
{
	double fit = fmin((double)pw / a->width, (double)ph / a->height);
	double cx = spec->center_x > 0 ? spec->center_x : a->width / 2.0;
	double cy = spec->center_y > 0 ? spec->center_y : a->height / 2.0;

	p->z = fit * spec->zoom;
	p->rw = fmin(a->width, pw / p->z);
	p->rh = fmin(a->height, ph / p->z);
	p->x0 = clampd(cx - p->rw / 2, 0, a->width - p->rw);
	p->y0 = clampd(cy - p->rh / 2, 0, a->height - p->rh);
	p->out_w = (int)fmax(1, fmin(pw, lround(p->rw * p->z)));
	p->out_h = (int)fmax(1, fmin(ph, lround(p->rh * p->z)));
}

/* Decodes at the scale the visible region needs (the DCT scale is picked for it, not for the
 * whole image), crops the region and brings it to the pane's size. */
static int frame_decode_zoomed(const struct asset_detail *a, const struct frame_spec *spec, int pw,
                               int ph, struct image *out, struct overlay_style *view,
                               struct err *err)
{
	struct image full = {0}, crop = {0};
	struct zoom_plan p;
	int src_w, src_h, cx, cy, cw, ch, rc = -1;
	double s;

	zoom_plan_make(a, spec, pw, ph, &p);
	if (render_decode_file(a->path, (int)fmin(RENDER_MAX_SIDE, ceil(a->width * p.z)),
	                       (int)fmin(RENDER_MAX_SIDE, ceil(a->height * p.z)), &full, &src_w,
	                       &src_h, err) < 0)
		goto out;
	s = (double)full.w / src_w;
	cx = (int)fmin(full.w - 1, floor(p.x0 * s));
	cy = (int)fmin(full.h - 1, floor(p.y0 * s));
	cw = (int)fmax(1, fmin(full.w - cx, lround(p.rw * s)));
	ch = (int)fmax(1, fmin(full.h - cy, lround(p.rh * s)));
	if (render_crop(&full, cx, cy, cw, ch, &crop, err) < 0 ||
	    render_resize(&crop, p.out_w, p.out_h, out, err) < 0)
		goto out;
	view->scale_x = p.out_w / p.rw;
	view->scale_y = p.out_h / p.rh;
	view->offset_x = p.x0;
	view->offset_y = p.y0;
	rc = 0;
out:
	image_free(&full);
	image_free(&crop);
	return rc;
}

/* The picture for the pane and how source coordinates map onto it. */
static int frame_decode_view(const struct asset_detail *a, const struct frame_spec *spec, int w,
                             int h, struct image *img, struct overlay_style *view,
                             struct frame_result *res, struct err *err)
{
	int src_w, src_h;
	struct err why;

	memset(view, 0, sizeof *view);
	if (spec->zoom > 1.001 && a->width > 0 && a->height > 0 && a->path[0] != '\0' &&
	    frame_decode_zoomed(a, spec, w, h, img, view, &why) == 0)
		return 0;
	if (frame_decode(a, w, h, img, &src_w, &src_h, res, err) < 0)
		return -1;
	if (src_w > 0 && src_h > 0) {
		view->scale_x = (double)img->w / src_w;
		view->scale_y = (double)img->h / src_h;
	}
	return 0;
}

int frame_build(const struct asset_detail *asset, const struct frame_spec *spec, struct buf *out,
                struct frame_result *res, struct err *err)
{
	struct image img = {0};
	struct overlay_style view;
	int w, h, rc = -1;

	frame_target(spec, &w, &h);
	if (w < 2 || h < 2)
		return err_set(err, "the image pane is too small");
	memset(res, 0, sizeof *res);
	if (frame_decode_view(asset, spec, w, h, &img, &view, res, err) < 0)
		goto out;
	frame_overlay(asset, spec, &img, &view);
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
	spec->zoom = app->zoom;
	spec->center_x = app->center_x;
	spec->center_y = app->center_y;
	spec->sync_output = app->caps.sync_output;
}

static int frame_matches(const struct frame_cache *fc, const struct app *app,
                         const struct frame_spec *spec)
{
	return fc->valid && fc->asset_id == app->asset.id && fc->top == spec->top &&
	       fc->left == spec->left && fc->cols == spec->cols && fc->rows == spec->rows &&
	       fc->overlays == spec->overlays && fc->selected == spec->selected &&
	       fc->zoom == spec->zoom && fc->center_x == spec->center_x &&
	       fc->center_y == spec->center_y && fc->mode == spec->mode;
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
	fc->zoom = spec->zoom;
	fc->center_x = spec->center_x;
	fc->center_y = spec->center_y;
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
