/* Encoded frames kept in memory, keyed by what they show, so that showing a frame again is a
 * lookup and one write. Main thread only: the render worker hands its frames over. */
#ifndef ANNOTTY_FRAME_STORE_H
#define ANNOTTY_FRAME_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "frame/frame.h"

/* Everything that decides a frame's bytes. */
struct frame_key {
	int64_t asset_id;
	int top, left, cols, rows; /* the pane */
	enum graphics_mode mode;
	double zoom, center_x, center_y;
	uint64_t hash; /* frame_hash: the shapes, selection, overlays, marks, options */
};

void frame_key_make(const struct asset_detail *asset, const struct frame_spec *spec,
                    struct frame_key *key);
int frame_key_equal(const struct frame_key *a, const struct frame_key *b);
/* A hash of where and how large the picture lands: the key without what is drawn over it, so
 * that the pane can tell a new picture from the same one drawn over differently. */
uint64_t frame_key_place(const struct frame_key *k);

struct frame_entry {
	struct frame_key key;
	unsigned char *bytes; /* the terminal bytes, positioned; NUL-terminated */
	size_t len;
	char problem[256];  /* why the picture is a placeholder ("" when it is not) */
	int img_w, img_h;   /* the picture's size in pixels */
	unsigned long tick; /* last use */
};

/* At most max_bytes of frames (their byte counts); the least recently used go first. */
struct frame_store {
	struct frame_entry *entries;
	int n, cap;
	size_t bytes, max_bytes;
	unsigned long tick;
};

#define FRAME_STORE_DEFAULT_BYTES ((size_t)32 << 20)

void frame_store_init(struct frame_store *s, size_t max_bytes);
void frame_store_free(struct frame_store *s);
/* The frame for key, marked as just used, or NULL. The entry stays valid until the next
 * frame_store_put or frame_store_free. */
const struct frame_entry *frame_store_get(struct frame_store *s, const struct frame_key *key);
/* Keeps bytes (malloc'ed, len bytes plus a NUL) under key, with the problem and picture size
 * of res (which may be NULL), replacing a frame with the same key and evicting the least
 * recently used ones to stay within the bound. Always takes ownership of bytes: a frame larger
 * than the whole bound, or no memory for the entry, frees them and returns -1. */
int frame_store_put(struct frame_store *s, const struct frame_key *key, unsigned char *bytes,
                    size_t len, const struct frame_result *res);

#endif
