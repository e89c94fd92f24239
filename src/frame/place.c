/* Where a frame's picture goes in the pane, at what scale, and which cells it covers: the one
 * computation behind both the encoded frame and the mouse on it. */
#include "frame/frame.h"
#include "render/decode.h"

#include <math.h>
#include <string.h>

void frame_cell_size(enum graphics_mode mode, int cell_w, int cell_h, int *px_w, int *px_h)
{
	if (graphics_mode_has_pixels(mode)) {
		*px_w = cell_w > 0 ? cell_w : FRAME_CELL_W_DEFAULT;
		*px_h = cell_h > 0 ? cell_h : FRAME_CELL_H_DEFAULT;
	} else {
		*px_w = 1;
		*px_h = 2;
	}
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void frame_zoom_plan_make(int img_w, int img_h, double zoom, double center_x, double center_y,
                          int pw, int ph, struct frame_zoom_plan *p)
{
	double fit = fmin((double)pw / img_w, (double)ph / img_h);
	double cx = center_x > 0 ? center_x : img_w / 2.0;
	double cy = center_y > 0 ? center_y : img_h / 2.0;

	p->z = fit * zoom;
	p->rw = fmin(img_w, pw / p->z);
	p->rh = fmin(img_h, ph / p->z);
	p->x0 = clampd(cx - p->rw / 2, 0, img_w - p->rw);
	p->y0 = clampd(cy - p->rh / 2, 0, img_h - p->rh);
	p->out_w = (int)fmax(1, fmin(pw, lround(p->rw * p->z)));
	p->out_h = (int)fmax(1, fmin(ph, lround(p->rh * p->z)));
}

void frame_place_picture(const struct frame_spec *spec, int w, int h, struct frame_placement *pl)
{
	frame_cell_size(spec->mode, spec->cell_w, spec->cell_h, &pl->px_w, &pl->px_h);
	pl->pane_w = spec->cols * pl->px_w;
	pl->pane_h = spec->rows * pl->px_h;
	pl->w = w;
	pl->h = h;
	pl->cols = (w + pl->px_w - 1) / pl->px_w;
	pl->rows = (h + pl->px_h - 1) / pl->px_h;
	pl->left = spec->left + (spec->cols - pl->cols) / 2;
	/* a pixel picture's height is known only once it is drawn, so it starts at the top;
	 * half-block rows are text and can be centred */
	pl->top = graphics_mode_has_pixels(spec->mode) ? spec->top
	                                               : spec->top + (spec->rows - pl->rows) / 2;
}

int frame_place(const struct frame_spec *spec, int src_w, int src_h, struct frame_placement *pl)
{
	int px_w, px_h, pw, ph, w, h;

	memset(pl, 0, sizeof *pl);
	frame_cell_size(spec->mode, spec->cell_w, spec->cell_h, &px_w, &px_h);
	pw = spec->cols * px_w;
	ph = spec->rows * px_h;
	if (src_w <= 0 || src_h <= 0 || pw < 1 || ph < 1)
		return -1;
	if (spec->zoom > 1.001) {
		pl->zoomed = 1;
		frame_zoom_plan_make(src_w, src_h, spec->zoom, spec->center_x, spec->center_y, pw,
		                     ph, &pl->plan);
		w = pl->plan.out_w;
		h = pl->plan.out_h;
		pl->scale_x = w / pl->plan.rw;
		pl->scale_y = h / pl->plan.rh;
		pl->offset_x = pl->plan.x0;
		pl->offset_y = pl->plan.y0;
	} else {
		render_fit(src_w, src_h, pw, ph, &w, &h);
		pl->scale_x = (double)w / src_w;
		pl->scale_y = (double)h / src_h;
	}
	frame_place_picture(spec, w, h, pl);
	return 0;
}
