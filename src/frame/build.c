/* Building the terminal bytes of an asset's image with its shapes: decode (keeping the last
 * pictures for frames that differ only in what is drawn over them), overlay, encode, and fit the
 * result in the caller's byte budget. */
#include "frame/frame.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/palette.h"
#include "core/rle.h"
#include "render/render.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_ulong decodes;

unsigned long frame_decode_count(void)
{
	return atomic_load(&decodes);
}

/* The frame's size in image pixels for a pane: the pane, as frame_place sees it. */
static void frame_target(const struct frame_spec *spec, int *w, int *h)
{
	int px_w, px_h;

	frame_cell_size(spec->mode, spec->cell_w, spec->cell_h, &px_w, &px_h);
	*w = spec->cols * px_w;
	*h = spec->rows * px_h;
}

/* Decodes the asset's image in the frame its shapes are in (render_decode_declared's rule),
 * saying in the log when its EXIF orientation is left out for that. */
static int frame_decode_oriented(const struct asset_detail *a, int w, int h, struct image *img,
                                 int *src_w, int *src_h, struct err *err)
{
	struct render_decoded info;

	atomic_fetch_add(&decodes, 1);
	if (render_decode_file_declared(a->path, w, h, a->width, a->height, img, &info, err) < 0)
		return -1;
	if (info.as_stored)
		log_msg(LOG_INFO,
		        "%s: EXIF orientation %d not applied: the dataset declares %dx%d, the size "
		        "as stored, so its shapes were drawn on the unrotated pixels",
		        a->filename, info.orientation, a->width, a->height);
	*src_w = info.src_w;
	*src_h = info.src_h;
	return 0;
}

static int frame_decode(const struct asset_detail *asset, int w, int h, struct image *img,
                        int *src_w, int *src_h, struct frame_result *res, struct err *err)
{
	struct err why;

	if (asset->path[0] == '\0') {
		err_set(&why, "image file not found: %s", asset->filename);
	} else if (frame_decode_oriented(asset, w, h, img, src_w, src_h, &why) == 0) {
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

/* The pixels of the masks among the first n shapes, decoded from the RLE their extra fields
 * keep (the source's own segmentation, stored once in the cache): masks[i] for shape i, NULL
 * for other kinds and for a mask whose RLE is missing or broken (drawn as its box). */
struct frame_masks {
	struct rle rle[FRAME_OVERLAY_MAX];
	struct render_mask mask[FRAME_OVERLAY_MAX];
	const struct render_mask *of[FRAME_OVERLAY_MAX];
};

static void frame_mask_one(const struct asset_detail *a, int i, struct frame_masks *m)
{
	struct rle *r = &m->rle[i];
	struct rect box;
	double sx, sy;

	if (rle_from_extras(a->shapes[i].extra_json, r, NULL) < 0)
		return;
	/* an RLE of another size than the image is stretched over it */
	sx = a->width > 0 ? (double)a->width / (double)r->w : 1;
	sy = a->height > 0 ? (double)a->height / (double)r->h : 1;
	rle_bounds(r, &box, NULL);
	m->mask[i] = (struct render_mask){
	    r->w, r->h, r->counts, r->n, sx, sy, {box.x * sx, box.y * sy, box.w * sx, box.h * sy}};
	m->of[i] = &m->mask[i];
}

static struct frame_masks *frame_masks_make(const struct asset_detail *a, int n)
{
	struct frame_masks *m = NULL;

	for (int i = 0; i < n; i++) {
		if (a->shapes[i].kind != SHAPE_MASK)
			continue;
		if (m == NULL && (m = calloc(1, sizeof *m)) == NULL)
			return NULL; /* out of memory: masks are drawn as boxes */
		frame_mask_one(a, i, m);
	}
	return m;
}

static void frame_masks_free(struct frame_masks *m)
{
	if (m == NULL)
		return;
	for (int i = 0; i < FRAME_OVERLAY_MAX; i++)
		rle_clear(&m->rle[i]);
	free(m);
}

static void frame_overlay(const struct asset_detail *asset, const struct frame_spec *spec,
                          struct image *img, const struct overlay_style *view)
{
	struct overlay_item items[FRAME_OVERLAY_MAX];
	struct shape markers[FRAME_OVERLAY_MAX];
	struct point bones[FRAME_OVERLAY_MAX][2];
	struct overlay_style style;
	struct frame_masks *masks = NULL;
	int n = 0;

	if (view->scale_x <= 0 || view->scale_y <= 0)
		return; /* a placeholder: nothing lands on it */
	frame_style(spec, view, &style);
	if (spec->overlays)
		masks = frame_masks_make(
		    asset, asset->nshapes < FRAME_OVERLAY_MAX ? asset->nshapes : FRAME_OVERLAY_MAX);
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
	/* the shapes come first in items, so masks->of lines up with them */
	if (n > 0)
		render_overlay_masks(img, items, masks ? masks->of : NULL, n, &style);
	if (spec->marks != NULL)
		render_overlay_marks(img, spec->marks, &style);
	frame_masks_free(masks);
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

/* Over the byte budget, as the encoders say it: the size fallback acts on the kind. */
static int frame_too_large(const struct buf *out, struct err *err)
{
	return err_setk(err, ERR_TOO_LARGE, "frame larger than %zu bytes", out->max);
}

static int frame_is_too_large(const struct err *err)
{
	return err_kind_of(err) == ERR_TOO_LARGE;
}

static int frame_encode(const struct image *img, const struct frame_spec *spec, struct buf *out,
                        struct err *err)
{
	int truecolor = spec->truecolor && !spec->low_bandwidth, top, left;
	struct frame_placement pl;

	frame_place_picture(spec, img->w, img->h, &pl);
	if (spec->mode == GRAPHICS_KITTY_TMUX) {
		/* placeholder cells are text that tmux keeps; the encoder places them itself */
		top = spec->inline_output ? 0 : pl.top;
		left = spec->inline_output ? 0 : pl.left;
		if (render_encode_kitty_placeholder(
		        img, FRAME_KITTY_IMAGE_ID, top, top > 0 && left < 1 ? 1 : left, pl.cols,
		        pl.rows, frame_png_colors(spec), 1, out, err) < 0)
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
		return frame_encode_pixels(img, spec, pl.cols, pl.rows, out, err);
	if (spec->mode == GRAPHICS_BLOCKS) {
		/* curses must find the cursor where it left it, or its next update erases from
		 * the wrong row */
		if (buf_puts(out, "\0337") < 0)
			return frame_too_large(out, err);
		if (render_encode_blocks(img, pl.top, pl.left, pl.cols, pl.rows, truecolor, out,
		                         err) < 0)
			return -1;
		return buf_puts(out, "\0338") < 0 ? frame_too_large(out, err) : 0;
	}
	if (buf_printf(out, "\0337\033[%d;%dH", pl.top, pl.left > 0 ? pl.left : 1) < 0)
		return frame_too_large(out, err);
	if (frame_encode_pixels(img, spec, pl.cols, pl.rows, out, err) < 0)
		return -1;
	if (buf_puts(out, "\0338") < 0)
		return frame_too_large(out, err);
	return 0;
}

/* Decodes at the scale the visible region needs (the DCT scale is picked for it, not for the
 * whole image), crops the region and brings it to the pane's size. */
static int frame_decode_zoomed(const struct asset_detail *a, const struct frame_spec *spec,
                               struct image *out, struct overlay_style *view, struct err *err)
{
	struct image full = {0}, crop = {0};
	struct frame_placement pl;
	const struct frame_zoom_plan *p = &pl.plan;
	int src_w, src_h, cx, cy, cw, ch, rc = -1;
	double s;

	if (frame_place(spec, a->width, a->height, &pl) < 0)
		return err_set(err, "the image pane is too small");
	if (frame_decode_oriented(a, (int)fmin(RENDER_MAX_SIDE, ceil(a->width * p->z)),
	                          (int)fmin(RENDER_MAX_SIDE, ceil(a->height * p->z)), &full, &src_w,
	                          &src_h, err) < 0)
		goto out;
	s = (double)full.w / src_w;
	cx = (int)fmin(full.w - 1, floor(p->x0 * s));
	cy = (int)fmin(full.h - 1, floor(p->y0 * s));
	cw = (int)fmax(1, fmin(full.w - cx, lround(p->rw * s)));
	ch = (int)fmax(1, fmin(full.h - cy, lround(p->rh * s)));
	if (render_crop(&full, cx, cy, cw, ch, &crop, err) < 0 ||
	    render_resize(&crop, pl.w, pl.h, out, err) < 0)
		goto out;
	view->scale_x = pl.scale_x;
	view->scale_y = pl.scale_y;
	view->offset_x = pl.offset_x;
	view->offset_y = pl.offset_y;
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
	    frame_decode_zoomed(a, spec, img, view, &why) == 0)
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
