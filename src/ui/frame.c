/* The asset screen's image: build it (decode, overlay, encode; on the render worker in the
 * TUI), and on the screen ask for it, say "loading" while it comes, and write it after curses
 * has drawn. */
#include "ui/frame.h"
#include "ui/app.h"
#include "ui/worker.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/palette.h"
#include "render/render.h"

#include <curses.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_ulong decodes;

unsigned long frame_decode_count(void)
{
	return atomic_load(&decodes);
}

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

	if (asset->path[0] == '\0') {
		err_set(&why, "image file not found: %s", asset->filename);
	} else {
		atomic_fetch_add(&decodes, 1);
		if (render_decode_file(asset->path, w, h, img, src_w, src_h, &why) == 0)
			return 0;
	}
	log_msg(LOG_WARN, "%s: %s", asset->filename, why.msg);
	snprintf(res->problem, sizeof res->problem, "%s", why.msg);
	*src_w = 0;
	*src_h = 0;
	return render_placeholder(w, h, why.msg, img, err);
}

static void frame_style(const struct frame_spec *spec, const struct overlay_style *view,
                        struct overlay_style *style)
{
	*style = *view;
	style->fill_alpha = 48;
	style->show_caption = graphics_mode_has_pixels(spec->mode);
	style->line_width = graphics_mode_has_pixels(spec->mode) ? 0 : 1;
	style->compact = !graphics_mode_has_pixels(spec->mode);
}

/* The shapes, then the editing aids over them. */
#define FRAME_OVERLAY_MAX 512 /* shapes and keypoint markers drawn in one frame */

static void frame_overlay(const struct asset_detail *asset, const struct frame_spec *spec,
                          struct image *img, const struct overlay_style *view)
{
	struct overlay_item items[FRAME_OVERLAY_MAX];
	struct shape markers[FRAME_OVERLAY_MAX];
	struct point bones[FRAME_OVERLAY_MAX][2];
	struct overlay_style style;
	int n = 0;

	if (view->scale_x <= 0 || view->scale_y <= 0)
		return; /* a placeholder: nothing lands on it */
	frame_style(spec, view, &style);
	for (int i = 0; spec->overlays && i < asset->nshapes && n < FRAME_OVERLAY_MAX; i++) {
		items[n].shape = &asset->shapes[i];
		items[n].rgb = palette_rgb(asset->shapes[i].label);
		items[n].selected = i == spec->selected;
		items[n].caption = asset->shape_labels[i];
		n++;
	}
	/* the skeleton's lines, then a marker for each keypoint, in the colour of their shape */
	for (int l = 0; spec->overlays && l < asset->nlinks && n < FRAME_OVERLAY_MAX; l++) {
		int a = asset->keypoint_links[l][0], b = asset->keypoint_links[l][1], owner;

		if (a < 0 || b < 0 || a >= asset->nkeypoints || b >= asset->nkeypoints)
			continue;
		owner = asset->keypoint_shape[a];
		if (owner < 0 || owner >= asset->nshapes)
			continue;
		bones[n][0] = asset->keypoints[a];
		bones[n][1] = asset->keypoints[b];
		markers[n] = (struct shape){.kind = SHAPE_LINE,
		                            .label = asset->shapes[owner].label,
		                            .points = bones[n],
		                            .npoints = 2};
		shape_update_bounds(&markers[n]);
		items[n] = (struct overlay_item){&markers[n],
		                                 palette_rgb(asset->shapes[owner].label), 0, NULL};
		n++;
	}
	for (int k = 0; spec->overlays && k < asset->nkeypoints && n < FRAME_OVERLAY_MAX; k++) {
		int owner = asset->keypoint_shape[k];

		if (owner < 0 || owner >= asset->nshapes)
			continue;
		markers[n] =
		    (struct shape){.kind = SHAPE_POINT,
		                   .label = asset->shapes[owner].label,
		                   .points = &asset->keypoints[k],
		                   .npoints = 1,
		                   .box = {asset->keypoints[k].x, asset->keypoints[k].y, 0, 0}};
		items[n] = (struct overlay_item){&markers[n],
		                                 palette_rgb(asset->shapes[owner].label), 0, NULL};
		n++;
	}
	if (n > 0)
		render_overlay(img, items, n, &style);
	if (spec->marks != NULL)
		render_overlay_marks(img, spec->marks, &style);
}

/* As many colours as the terminal has registers (term_sixel_colors; 0: 256); 16 for low
 * bandwidth. */
static int frame_sixel_colors(const struct frame_spec *spec)
{
	int n = spec->sixel_colors > 0 ? spec->sixel_colors : 256;

	return spec->low_bandwidth && n > 16 ? 16 : n;
}

/* Full colour (0), or a palette PNG: 16 colours for low bandwidth, as sixel. */
static int frame_png_colors(const struct frame_spec *spec)
{
	return spec->low_bandwidth ? 16 : spec->png_colors;
}

/* The image in one of the pixel protocols, covering cols x rows cells. */
static int frame_encode_pixels(const struct image *img, const struct frame_spec *spec, int cols,
                               int rows, struct buf *out, struct err *err)
{
	switch (spec->mode) {
	case GRAPHICS_KITTY:
		return render_encode_kitty(img, FRAME_KITTY_IMAGE_ID, cols, rows,
		                           frame_png_colors(spec), out, err);
	case GRAPHICS_ITERM2:
		return render_encode_iterm2(img, cols, rows, frame_png_colors(spec), out, err);
	default:
		return render_encode_sixel(img, frame_sixel_colors(spec), out, err);
	}
}

/* The one wording every encoder uses, so that the size fallback can recognise it. */
static int frame_too_large(const struct buf *out, struct err *err)
{
	return err_set(err, "frame larger than %zu bytes", out->max);
}

static int frame_is_too_large(const struct err *err)
{
	return strncmp(err->msg, "frame larger", 12) == 0;
}

static int frame_encode(const struct image *img, const struct frame_spec *spec, struct buf *out,
                        struct err *err)
{
	int cw = spec->cell_w > 0 ? spec->cell_w : 10, ch = spec->cell_h > 0 ? spec->cell_h : 20;
	int cols = (img->w + cw - 1) / cw, rows = (img->h + ch - 1) / ch, top, left;
	int truecolor = spec->truecolor && !spec->low_bandwidth;

	if (spec->mode == GRAPHICS_KITTY_TMUX) {
		/* placeholder cells are text that tmux keeps; the encoder places them itself */
		top = spec->inline_output ? 0 : spec->top;
		left = spec->inline_output ? 0 : spec->left + (spec->cols - cols) / 2;
		if (render_encode_kitty_placeholder(img, FRAME_KITTY_IMAGE_ID, top,
		                                    top > 0 && left < 1 ? 1 : left, cols, rows,
		                                    frame_png_colors(spec), 1, out, err) < 0)
			return -1;
		return spec->inline_output && buf_putc(out, '\n') < 0 ? frame_too_large(out, err)
		                                                      : 0;
	}
	if (spec->inline_output && spec->mode == GRAPHICS_BLOCKS) {
		if (render_encode_blocks(img, 0, 0, img->w, img->h / 2, truecolor, out, err) < 0)
			return -1;
		return buf_putc(out, '\n') < 0 ? frame_too_large(out, err) : 0;
	}
	if (spec->inline_output)
		return frame_encode_pixels(img, spec, cols, rows, out, err);
	if (spec->mode == GRAPHICS_BLOCKS) {
		cols = img->w;
		rows = (img->h + 1) / 2;
		top = spec->top + (spec->rows - rows) / 2;
		left = spec->left + (spec->cols - cols) / 2;
		/* curses must find the cursor where it left it, or its next update erases from
		 * the wrong row */
		if (buf_puts(out, "\0337") < 0)
			return frame_too_large(out, err);
		if (render_encode_blocks(img, top, left, cols, rows, truecolor, out, err) < 0)
			return -1;
		return buf_puts(out, "\0338") < 0 ? frame_too_large(out, err) : 0;
	}
	left = spec->left + (spec->cols - cols) / 2;
	if (buf_printf(out, "\0337\033[%d;%dH", spec->top, left > 0 ? left : 1) < 0)
		return frame_too_large(out, err);
	if (frame_encode_pixels(img, spec, cols, rows, out, err) < 0)
		return -1;
	if (buf_puts(out, "\0338") < 0)
		return frame_too_large(out, err);
	return 0;
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

/* Decodes at the scale the visible region needs (the DCT scale is picked for it, not for the
 * whole image), crops the region and brings it to the pane's size. */
static int frame_decode_zoomed(const struct asset_detail *a, const struct frame_spec *spec, int pw,
                               int ph, struct image *out, struct overlay_style *view,
                               struct err *err)
{
	struct image full = {0}, crop = {0};
	struct frame_zoom_plan p;
	int src_w, src_h, cx, cy, cw, ch, rc = -1;
	double s;

	frame_zoom_plan_make(a->width, a->height, spec->zoom, spec->center_x, spec->center_y, pw,
	                     ph, &p);
	atomic_fetch_add(&decodes, 1);
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

/* ---- reusing the decoded picture ---------------------------------------------------------- */

/* Which picture a frame needs: the zoom plan depends on the asset's size, the zoom and, when
 * zoomed, the centre. */
static int base_matches(const struct frame_base *b, const struct asset_detail *a,
                        const struct frame_spec *spec, int w, int h)
{
	int zoomed = spec->zoom > 1.001;

	return b->used && b->w == w && b->h == h && b->src_w == a->width && b->src_h == a->height &&
	       b->zoom == (zoomed ? spec->zoom : 1) &&
	       b->center_x == (zoomed ? spec->center_x : 0) &&
	       b->center_y == (zoomed ? spec->center_y : 0) && strcmp(b->path, a->path) == 0;
}

static struct frame_base *base_find(struct frame_bases *bases, const struct asset_detail *a,
                                    const struct frame_spec *spec, int w, int h)
{
	for (int i = 0; i < FRAME_BASES; i++)
		if (base_matches(&bases->slot[i], a, spec, w, h))
			return &bases->slot[i];
	return NULL;
}

/* Moves a freshly decoded picture into the least recently used slot. */
static struct frame_base *base_keep(struct frame_bases *bases, const struct asset_detail *a,
                                    const struct frame_spec *spec, int w, int h, struct image *img,
                                    const struct overlay_style *view)
{
	struct frame_base *b = &bases->slot[0];
	int zoomed = spec->zoom > 1.001;

	for (int i = 1; i < FRAME_BASES; i++)
		if (!bases->slot[i].used || (b->used && bases->slot[i].tick < b->tick))
			b = &bases->slot[i];
	image_free(&b->img);
	memset(b, 0, sizeof *b);
	b->used = 1;
	snprintf(b->path, sizeof b->path, "%s", a->path);
	b->w = w;
	b->h = h;
	b->src_w = a->width;
	b->src_h = a->height;
	b->zoom = zoomed ? spec->zoom : 1;
	b->center_x = zoomed ? spec->center_x : 0;
	b->center_y = zoomed ? spec->center_y : 0;
	b->img = *img;
	memset(img, 0, sizeof *img);
	b->view = *view;
	return b;
}

void frame_bases_free(struct frame_bases *bases)
{
	for (int i = 0; i < FRAME_BASES; i++)
		image_free(&bases->slot[i].img);
	memset(bases, 0, sizeof *bases);
}

/* The picture without overlays: *pic points at a kept one, or at owned (which the caller
 * frees) when it was decoded now and not kept. Placeholders are never kept: the file may
 * appear. */
static int frame_picture(const struct asset_detail *a, const struct frame_spec *spec, int w, int h,
                         struct frame_bases *bases, const struct image **pic, struct image *owned,
                         struct overlay_style *view, struct frame_result *res, struct err *err)
{
	struct frame_base *b = bases ? base_find(bases, a, spec, w, h) : NULL;

	if (b == NULL) {
		if (frame_decode_view(a, spec, w, h, owned, view, res, err) < 0)
			return -1;
		*pic = owned;
		if (bases == NULL || res->problem[0] != '\0' ||
		    (size_t)owned->w * owned->h * 3 > FRAME_BASE_MAX_BYTES)
			return 0;
		b = base_keep(bases, a, spec, w, h, owned, view);
	}
	b->tick = ++bases->tick;
	*pic = &b->img;
	*view = b->view;
	return 0;
}

static int image_copy(const struct image *src, struct image *dst, struct err *err)
{
	if (image_alloc(dst, src->w, src->h, err) < 0)
		return -1;
	memcpy(dst->rgb, src->rgb, (size_t)src->w * src->h * 3);
	return 0;
}

/* ---- fitting the frame in the buffer ------------------------------------------------------ */

/* Smaller sizes tried, each 3/4 of the last, before giving up. */
enum { FRAME_SHRINK_STEPS = 4 };

static int frame_encode_once(const struct image *img, const struct frame_spec *spec,
                             struct buf *out, struct err *err)
{
	size_t start = out->len;

	if (spec->sync_output && buf_puts(out, "\033[?2026h") < 0)
		goto too_large;
	if (frame_encode(img, spec, out, err) < 0)
		goto fail;
	if (spec->sync_output && buf_puts(out, "\033[?2026l") < 0)
		goto too_large;
	return 0;
too_large:
	frame_too_large(out, err);
fail:
	out->len = start; /* no half frame for the terminal */
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

/* tmux drops a frame over its input limit: try fewer colours, then fewer pixels. */
static int frame_encode_fitting(const struct image *img, const struct frame_spec *spec,
                                struct buf *out, struct frame_result *res, struct err *err)
{
	struct frame_spec low = *spec;
	struct image small = {0};
	int rc = -1;
	/* kitty or iTerm2 in full colour: over the cap, a 256-colour palette at full size first */
	int full_colour_png = spec->mode != GRAPHICS_SIXEL && spec->mode != GRAPHICS_BLOCKS &&
	                      frame_png_colors(spec) == 0;

	res->img_w = img->w;
	res->img_h = img->h;
	/* full colour deflates a photo to about two bytes a pixel, base64 included: a picture
	 * that large is not even tried */
	if (!(full_colour_png && (size_t)img->w * (size_t)img->h * 2 > out->max - out->len)) {
		if (frame_encode_once(img, spec, out, err) == 0)
			return 0;
		if (!frame_is_too_large(err))
			return -1;
	}
	if (full_colour_png) {
		struct frame_spec pal = *spec;

		pal.png_colors = 256;
		res->reduced = 1;
		if (frame_encode_once(img, &pal, out, err) == 0)
			return 0;
		if (!frame_is_too_large(err))
			return -1;
	}
	low.low_bandwidth = 1;
	if (!spec->low_bandwidth) {
		res->reduced = 1;
		if (frame_encode_once(img, &low, out, err) == 0)
			return 0;
	}
	for (int i = 1; i <= FRAME_SHRINK_STEPS && frame_is_too_large(err); i++) {
		int w = (int)(img->w * pow(0.75, i)), h = (int)(img->h * pow(0.75, i));
		if (w < 2 || h < 2 || render_resize(img, w, h, &small, err) < 0)
			break;
		res->reduced = 1 + i;
		res->img_w = w;
		res->img_h = h;
		rc = frame_encode_once(&small, &low, out, err);
		image_free(&small);
		if (rc == 0)
			return 0;
	}
	return -1;
}

int frame_build_reusing(const struct asset_detail *asset, const struct frame_spec *spec,
                        struct frame_bases *bases, struct buf *out, struct frame_result *res,
                        struct err *err)
{
	struct image owned = {0}, drawn = {0};
	const struct image *pic = NULL;
	struct overlay_style view;
	struct err e;
	int w, h, rc = -1;

	frame_target(spec, &w, &h);
	if (w < 2 || h < 2)
		return err_set(err, "the image pane is too small");
	memset(res, 0, sizeof *res);
	err_clear(&e);
	if (frame_picture(asset, spec, w, h, bases, &pic, &owned, &view, res, &e) < 0)
		goto out;
	/* the kept picture stays clean: overlays go on a copy */
	if ((spec->overlays && asset->nshapes > 0) || spec->marks != NULL) {
		if (image_copy(pic, &drawn, &e) < 0)
			goto out;
		frame_overlay(asset, spec, &drawn, &view);
		pic = &drawn;
	}
	rc = frame_encode_fitting(pic, spec, out, res, &e);
out:
	if (rc < 0 && err != NULL)
		*err = e;
	image_free(&owned);
	image_free(&drawn);
	return rc;
}

int frame_build(const struct asset_detail *asset, const struct frame_spec *spec, struct buf *out,
                struct frame_result *res, struct err *err)
{
	return frame_build_reusing(asset, spec, NULL, out, res, err);
}

/* ---- what a frame shows, hashed ----------------------------------------------------------- */

/* FNV-1a, 64 bits: fast on the few kilobytes a frame's shapes take, and good enough to tell
 * frames apart (a collision shows a stale overlay, it breaks nothing). */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME  0x100000001b3ULL

static void hash_bytes(uint64_t *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		*h ^= p[i];
		*h *= FNV_PRIME;
	}
}

static void hash_int(uint64_t *h, int64_t v)
{
	hash_bytes(h, &v, sizeof v);
}

static void hash_double(uint64_t *h, double v)
{
	if (v == 0)
		v = 0; /* -0 and 0 draw the same */
	hash_bytes(h, &v, sizeof v);
}

static void hash_str(uint64_t *h, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	hash_int(h, s ? (int64_t)n : -1);
	hash_bytes(h, s, n);
}

static void hash_shape(uint64_t *h, const struct shape *s)
{
	hash_int(h, s->kind);
	hash_int(h, s->label);
	hash_double(h, s->box.x);
	hash_double(h, s->box.y);
	hash_double(h, s->box.w);
	hash_double(h, s->box.h);
	hash_int(h, s->points ? s->npoints : 0);
	for (int i = 0; s->points && i < s->npoints; i++) {
		hash_double(h, s->points[i].x);
		hash_double(h, s->points[i].y);
	}
	hash_int(h, s->part_ends ? s->nparts : 0);
	for (int i = 0; s->part_ends && i < s->nparts; i++)
		hash_int(h, s->part_ends[i]);
	hash_str(h, s->text);
}

static void hash_marks(uint64_t *h, const struct overlay_marks *m)
{
	hash_int(h, m != NULL);
	if (m == NULL)
		return;
	hash_int(h, m->shape != NULL);
	if (m->shape != NULL)
		hash_shape(h, m->shape);
	hash_int(h, m->vertex);
	hash_int(h, m->handle);
	hash_int(h, m->crosshair);
	hash_double(h, m->cursor.x);
	hash_double(h, m->cursor.y);
	hash_int(h, m->draft ? m->ndraft : 0);
	for (int i = 0; m->draft && i < m->ndraft; i++) {
		hash_double(h, m->draft[i].x);
		hash_double(h, m->draft[i].y);
	}
	hash_int(h, m->draft_closed);
	hash_int(h, m->rgb);
}

uint64_t frame_hash(const struct asset_detail *a, const struct frame_spec *spec)
{
	uint64_t h = FNV_OFFSET;

	hash_str(&h, a->path);
	hash_str(&h, a->filename); /* a placeholder names the file */
	hash_int(&h, a->width);
	hash_int(&h, a->height);
	hash_int(&h, spec->overlays);
	if (spec->overlays) { /* hidden shapes draw nothing, whatever they are */
		hash_int(&h, spec->selected);
		hash_int(&h, a->nshapes);
		for (int i = 0; i < a->nshapes; i++) {
			hash_shape(&h, &a->shapes[i]);
			hash_str(&h, a->shape_labels ? a->shape_labels[i] : NULL);
		}
		hash_int(&h, a->nkeypoints);
		for (int k = 0; k < a->nkeypoints; k++) {
			hash_double(&h, a->keypoints[k].x);
			hash_double(&h, a->keypoints[k].y);
			hash_int(&h, a->keypoint_shape[k]);
		}
		hash_int(&h, a->nlinks);
		for (int l = 0; l < a->nlinks; l++) {
			hash_int(&h, a->keypoint_links[l][0]);
			hash_int(&h, a->keypoint_links[l][1]);
		}
	}
	hash_marks(&h, spec->marks);
	hash_int(&h, spec->low_bandwidth);
	hash_int(&h, spec->sixel_colors);
	hash_int(&h, spec->png_colors);
	hash_int(&h, spec->truecolor);
	hash_int(&h, spec->cell_w);
	hash_int(&h, spec->cell_h);
	hash_int(&h, spec->sync_output);
	hash_int(&h, spec->inline_output);
	return h;
}

/* ---- on screen ---------------------------------------------------------------------------- */

/* The spec of the pane's frame now; -1 when the pane shows no frame. */
static int frame_spec_for(struct app *app, struct frame_spec *spec)
{
	int top, left, rows, cols;

	if (!screen_shows_image(app) || !app->asset_loaded || app->graphics == GRAPHICS_NONE ||
	    app->frame.pipe == NULL)
		return -1;
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
	spec->marks = edit_marks(app);
	spec->low_bandwidth = app->low_bandwidth;
	spec->sixel_colors = term_sixel_colors(&app->caps);
	return spec->rows < 2 || spec->cols < 4 ? -1 : 0;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* A line of text in the middle of the pane, while it has no picture. */
static void pane_say(struct app *app, const char *text, int len)
{
	int top, left, rows, cols;

	viewer_pane(app, &top, &left, &rows, &cols);
	attron(COLOR_PAIR(PAIR_DIM));
	ui_put(top + rows / 2, left + (cols > len ? (cols - len) / 2 : 0), cols, text, 0);
	attroff(COLOR_PAIR(PAIR_DIM));
}

/* Where and how large the picture lands: the key without what is drawn over it. */
static uint64_t frame_place(const struct frame_key *k)
{
	uint64_t h = FNV_OFFSET;

	hash_int(&h, k->asset_id);
	hash_int(&h, k->top);
	hash_int(&h, k->left);
	hash_int(&h, k->cols);
	hash_int(&h, k->rows);
	hash_int(&h, k->mode);
	hash_double(&h, k->zoom);
	hash_double(&h, k->center_x);
	hash_double(&h, k->center_y);
	return h;
}

int frame_prepare(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	struct frame_spec spec;
	struct frame_key key;

	fc->ready = NULL;
	if (!app->frame_dirty || frame_spec_for(app, &spec) < 0)
		return 0;
	fc->state = frame_pipe_want(fc->pipe, &app->asset, &spec, &fc->ready);
	if (fc->trace_armed && fc->trace_cached < 0)
		fc->trace_cached = fc->state == FRAME_READY;
	if (fc->state == FRAME_FAILED)
		app_error(app, "%s", fc->pipe->failure);
	if (fc->state == FRAME_FAILED || !app->image_on_screen)
		return 0;
	/* the same picture drawn over differently (a selection, an edit's nudge): the old one
	 * stays until the new one covers it, with no blank pane or "loading" in between */
	frame_key_make(&app->asset, &spec, &key);
	if (frame_place(&key) != fc->shown_place)
		return 0;
	return fc->state == FRAME_WAITING ||
	       (fc->ready->img_w == fc->shown_w && fc->ready->img_h == fc->shown_h);
}

void frame_placeholder(struct app *app)
{
	struct frame_spec spec;

	if (app->image_on_screen || app->frame.state == FRAME_READY ||
	    frame_spec_for(app, &spec) < 0)
		return;
	if (app->frame.state == FRAME_FAILED)
		pane_say(app, "image not shown", 15);
	else
		pane_say(app, "loading image\xe2\x80\xa6", 14);
}

/* One line per key that led to a frame, fields split on spaces: the key as curses names it
 * ("n", "^I", "KEY_DOWN"; its code when the name has a space), the asset, whether the frame
 * came from the cache, microseconds from reading the key to the frame's last byte, the frame's
 * bytes and the microseconds the write itself took (the terminal reading them). */
static void trace_line(struct app *app, uint64_t t1, size_t bytes, uint64_t write_us)
{
	struct frame_cache *fc = &app->frame;
	const char *name = keyname(fc->trace_key);
	char line[160];
	int n;

	if (name != NULL && name[0] != '\0' && strchr(name, ' ') == NULL && strlen(name) < 40)
		n = snprintf(line, sizeof line, "key=%s", name);
	else
		n = snprintf(line, sizeof line, "key=%d", fc->trace_key);
	n += snprintf(line + n, sizeof line - (size_t)n,
	              " asset=%lld cached=%d us=%llu bytes=%zu write_us=%llu px=%dx%d\n",
	              (long long)app->asset.id, fc->trace_cached > 0,
	              (unsigned long long)(t1 - fc->trace_t0), bytes, (unsigned long long)write_us,
	              fc->shown_w, fc->shown_h);
	(void)!write(fc->trace_fd, line, (size_t)n);
	fc->trace_armed = 0;
}

void frame_show(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	const struct frame_entry *e = fc->ready;
	uint64_t t = now_us();

	fc->ready = NULL;
	if (e == NULL)
		return;
	if (term_write_all(app->tty_fd, e->bytes, e->len) < 0)
		return;
	app->image_on_screen = 1;
	fc->shown_place = frame_place(&e->key);
	fc->shown_w = e->img_w;
	fc->shown_h = e->img_h;
	if (fc->trace_armed && fc->trace_fd >= 0) {
		uint64_t t1 = now_us();
		trace_line(app, t1, e->len, t1 - t);
	}
	if (e->problem[0] != '\0')
		app_error(app, "%s", e->problem);
}

int frame_collect(struct app *app)
{
	if (app->frame.pipe == NULL || !frame_pipe_collect(app->frame.pipe))
		return UI_NONE;
	return screen_shows_image(app) ? UI_REDRAW | UI_FRAME : UI_NONE;
}

/* The asset before (-1) or after (1) the open one in the list's order, or 0. */
static int64_t neighbour_id(struct app *app, int dir)
{
	struct list_view *l = &app->list;
	struct asset_row row;
	struct err err;
	int n = 0;

	if (l->nrows == 0 || l->rows[l->sel].id != app->asset.id)
		return 0;
	if (l->sel + dir >= 0 && l->sel + dir < l->nrows)
		return l->rows[l->sel + dir].id;
	if (cache_assets_page(app->cache, &l->query, &l->rows[l->sel].cursor, dir < 0, &row, 1, &n,
	                      &err) < 0 ||
	    n == 0)
		return 0;
	return row.id;
}

void frame_prefetch(struct app *app)
{
	struct frame_spec spec;
	struct asset_detail d;
	struct err err;
	uint64_t sig = FNV_OFFSET;
	int64_t id;

	if (frame_spec_for(app, &spec) < 0 || app->frame.pipe->worker == NULL)
		return;
	/* a neighbour opens whole, unselected, without editing aids */
	spec.selected = -1;
	spec.zoom = 1;
	spec.center_x = spec.center_y = 0;
	spec.marks = NULL;
	/* once per asset and view: an edit of this asset changes nothing next door */
	hash_int(&sig, app->asset.id);
	hash_bytes(&sig, &spec, sizeof spec);
	if (sig == app->frame.prefetch_sig)
		return;
	app->frame.prefetch_sig = sig;
	worker_drop_prefetch(app->frame.pipe->worker);
	for (int dir = 1; dir >= -1; dir -= 2) {
		if ((id = neighbour_id(app, dir)) <= 0 ||
		    cache_asset_get(app->cache, id, &d, &err) < 0)
			continue;
		frame_pipe_prefetch(app->frame.pipe, &d, &spec);
		cache_asset_detail_free(&d);
	}
}

void frame_forget(struct app *app)
{
	if (app->frame.pipe != NULL)
		frame_pipe_forget(app->frame.pipe);
	app->frame.ready = NULL;
	app->frame_dirty = 1;
}

void frame_trace_key(struct app *app, int key, uint64_t t0)
{
	struct frame_cache *fc = &app->frame;

	if (fc->trace_fd < 0)
		return;
	fc->trace_armed = 1;
	fc->trace_key = key;
	fc->trace_t0 = t0;
	fc->trace_cached = -1;
}

uint64_t frame_clock_us(void)
{
	return now_us();
}

int frame_screen_start(struct app *app)
{
	struct frame_cache *fc = &app->frame;
	const char *trace = getenv("ANNOTTY_TRACE");
	struct err err;

	memset(fc, 0, sizeof *fc);
	fc->trace_fd = -1;
	if (trace != NULL && trace[0] != '\0' &&
	    (fc->trace_fd = open(trace, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
		log_msg(LOG_WARN, "ANNOTTY_TRACE: cannot open %s", trace);
	fc->pipe = malloc(sizeof *fc->pipe);
	if (fc->pipe == NULL)
		return -1;
	if (frame_pipe_init(fc->pipe, FRAME_STORE_DEFAULT_BYTES, 1, &err) < 0) {
		log_msg(LOG_WARN, "%s; frames are built without a thread", err.msg);
		frame_pipe_init(fc->pipe, FRAME_STORE_DEFAULT_BYTES, 0, NULL);
	}
	return 0;
}

int frame_screen_fd(const struct app *app)
{
	return app->frame.pipe && app->frame.pipe->worker ? worker_fd(app->frame.pipe->worker) : -1;
}

void frame_screen_stop(struct app *app)
{
	struct frame_cache *fc = &app->frame;

	if (fc->pipe != NULL) {
		frame_pipe_free(fc->pipe);
		free(fc->pipe);
	}
	if (fc->trace_fd >= 0)
		close(fc->trace_fd);
	memset(fc, 0, sizeof *fc);
	fc->trace_fd = -1;
}
