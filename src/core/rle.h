/* Run-length masks as COCO stores them (a bitmap read column by column, runs of unset and set
 * pixels in turn, starting with unset ones): both forms of counts read, the compressed string
 * decoded, and the box and area of the set pixels. Shared by the COCO reader and the overlay
 * that draws the masks. */
#ifndef ANNOTTY_CORE_RLE_H
#define ANNOTTY_CORE_RLE_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

struct err;

#define RLE_MAX_SIDE 65500 /* as the sides of an image */

struct rle {
	int64_t h;
	int64_t w;
	int64_t *counts; /* runs in column-major order, starting with zeros */
	size_t n;
};

/* Reads a segmentation object {"size": [h, w], "counts": [...] or "..."}: the counts are
 * checked to be whole, not negative and to cover at most h * w pixels. The caller frees the
 * counts with rle_clear (on failure rle is empty). */
int rle_read(const cJSON *seg, struct rle *rle, struct err *err);
/* The same from JSON text that holds such an object under "segmentation" (a shape's extra
 * fields): -1 with err set when there is none or it is not a valid mask. */
int rle_from_extras(const char *extra_json, struct rle *rle, struct err *err);
/* Decodes the compressed string form of counts. The caller frees *counts. */
int rle_decode_compressed(const char *s, int64_t **counts, size_t *n, struct err *err);
/* Box of the set pixels (all zero for an empty mask) and their number. */
void rle_bounds(const struct rle *rle, struct rect *box, double *area);
void rle_clear(struct rle *rle);

#endif
