/* What a frame shows, hashed: the frame store's key beside the asset id and the pane. */
#include "frame/frame.h"
#include "frame/store.h"

#include <string.h>

/* FNV-1a, 64 bits: fast on the few kilobytes a frame's shapes take, and good enough to tell
 * frames apart (a collision shows a stale overlay, it breaks nothing). */
#define FNV_PRIME 0x100000001b3ULL

static void hash_bytes(uint64_t *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++) {
		*h ^= p[i];
		*h *= FNV_PRIME;
	}
}

uint64_t frame_hash_mix(uint64_t h, const void *data, size_t n)
{
	hash_bytes(&h, data, n);
	return h;
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
	if (s->kind == SHAPE_MASK) /* its pixels are in its RLE */
		hash_str(h, s->extra_json);
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
	uint64_t h = FRAME_HASH_SEED;

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

uint64_t frame_key_place(const struct frame_key *k)
{
	uint64_t h = FRAME_HASH_SEED;

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
