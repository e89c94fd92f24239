/* COCO run-length masks for the reader and the writer: the decoding itself is core/rle.c's,
 * shared with the overlay that draws the masks. */
#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/err.h"
#include "core/model.h"
#include "core/rle.h"

#include <string.h>

_Static_assert(RLE_MAX_SIDE == COCO_MAX_SIDE, "masks and images share their size limit");

int coco_rle_decode_counts(const char *s, int64_t **counts, size_t *n, struct err *err)
{
	return rle_decode_compressed(s, counts, n, err);
}

int coco_rle_read(const cJSON *seg, struct coco_rle *rle, struct err *err)
{
	struct rle r;

	memset(rle, 0, sizeof *rle);
	if (rle_read(seg, &r, err) < 0)
		return -1;
	*rle = (struct coco_rle){r.h, r.w, r.counts, r.n};
	return 0;
}

void coco_rle_bounds(const struct coco_rle *rle, struct rect *box, double *area)
{
	struct rle r = {rle->h, rle->w, rle->counts, rle->n};

	rle_bounds(&r, box, area);
}

void coco_rle_clear(struct coco_rle *rle)
{
	struct rle r = {rle->h, rle->w, rle->counts, rle->n};

	rle_clear(&r);
	memset(rle, 0, sizeof *rle);
}
