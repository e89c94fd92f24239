/* The LRU of encoded frames (see frame_store.h). A few hundred entries at most (the bound over
 * frames of tens to hundreds of kilobytes), so a linear scan is cheaper than any index. */
#include "frame/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void frame_key_make(const struct asset_detail *asset, const struct frame_spec *spec,
                    struct frame_key *key)
{
	memset(key, 0, sizeof *key);
	key->asset_id = asset->id;
	key->top = spec->top;
	key->left = spec->left;
	key->cols = spec->cols;
	key->rows = spec->rows;
	key->mode = spec->mode;
	/* a whole image looks the same whatever its centre says */
	key->zoom = spec->zoom > 1.001 ? spec->zoom : 1;
	key->center_x = spec->zoom > 1.001 ? spec->center_x : 0;
	key->center_y = spec->zoom > 1.001 ? spec->center_y : 0;
	key->hash = frame_hash(asset, spec);
}

int frame_key_equal(const struct frame_key *a, const struct frame_key *b)
{
	return a->asset_id == b->asset_id && a->top == b->top && a->left == b->left &&
	       a->cols == b->cols && a->rows == b->rows && a->mode == b->mode &&
	       a->zoom == b->zoom && a->center_x == b->center_x && a->center_y == b->center_y &&
	       a->hash == b->hash;
}

void frame_store_init(struct frame_store *s, size_t max_bytes)
{
	memset(s, 0, sizeof *s);
	s->max_bytes = max_bytes;
}

static void entry_drop(struct frame_store *s, int i)
{
	s->bytes -= s->entries[i].len;
	free(s->entries[i].bytes);
	s->entries[i] = s->entries[--s->n];
}

void frame_store_free(struct frame_store *s)
{
	while (s->n > 0)
		entry_drop(s, s->n - 1);
	free(s->entries);
	memset(s, 0, sizeof *s);
}

static int entry_find(const struct frame_store *s, const struct frame_key *key)
{
	for (int i = 0; i < s->n; i++)
		if (frame_key_equal(&s->entries[i].key, key))
			return i;
	return -1;
}

const struct frame_entry *frame_store_get(struct frame_store *s, const struct frame_key *key)
{
	int i = entry_find(s, key);

	if (i < 0)
		return NULL;
	s->entries[i].tick = ++s->tick;
	return &s->entries[i];
}

static void evict_oldest(struct frame_store *s)
{
	int oldest = 0;

	for (int i = 1; i < s->n; i++)
		if (s->entries[i].tick < s->entries[oldest].tick)
			oldest = i;
	entry_drop(s, oldest);
}

static int entries_grow(struct frame_store *s)
{
	int cap = s->cap ? 2 * s->cap : 16;
	struct frame_entry *e;

	if (s->n < s->cap)
		return 0;
	e = realloc(s->entries, (size_t)cap * sizeof *e);
	if (e == NULL)
		return -1;
	s->entries = e;
	s->cap = cap;
	return 0;
}

int frame_store_put(struct frame_store *s, const struct frame_key *key, unsigned char *bytes,
                    size_t len, const struct frame_result *res)
{
	struct frame_entry *e;
	int i = entry_find(s, key);

	if (i >= 0)
		entry_drop(s, i);
	if (len > s->max_bytes || entries_grow(s) < 0) {
		free(bytes);
		return -1;
	}
	while (s->n > 0 && s->bytes + len > s->max_bytes)
		evict_oldest(s);
	e = &s->entries[s->n++];
	memset(e, 0, sizeof *e);
	e->key = *key;
	e->bytes = bytes;
	e->len = len;
	if (res != NULL) {
		snprintf(e->problem, sizeof e->problem, "%s", res->problem);
		e->img_w = res->img_w;
		e->img_h = res->img_h;
	}
	e->tick = ++s->tick;
	s->bytes += len;
	return 0;
}
