/* A dataset delivered piece by piece (a reader streaming a large file), so that no one holds
 * the whole of it in memory: the head first, then each asset and each shape as they come. */
#ifndef ANNOTTY_CORE_DOC_SINK_H
#define ANNOTTY_CORE_DOC_SINK_H

#include <stdint.h>

struct err;
struct asset;
struct shape;
struct dataset_doc;

/* How far a reader has got. */
struct doc_progress {
	const char *phase; /* "reading", "storing" */
	int64_t done;      /* bytes read, or assets stored */
	int64_t total;     /* of this many (0: unknown) */
	int64_t assets;    /* assets seen so far */
	int64_t shapes;    /* shapes seen so far */
};

/* Each function returns 0, or -1 with err filled to stop the reader. Nothing passed is kept
 * by the reader after the call returns: a sink copies what it needs. */
struct doc_sink {
	/* The dataset with no assets: name, format, extras and every label (a shape's label is
	 * an index into head->labels). Called once, before any asset or shape; head stays valid
	 * until the reader returns. */
	int (*head)(void *ctx, const struct dataset_doc *head, struct err *err);
	/* An asset without its shapes; index counts assets from 0 in the source's order. */
	int (*asset)(void *ctx, int index, const struct asset *a, struct err *err);
	/* A shape of asset index, in the source's order (which need not follow the assets'). */
	int (*shape)(void *ctx, int index, const struct shape *s, struct err *err);
	/* Optional: called now and then while reading. Returns nonzero to stop (cancel). */
	int (*progress)(void *ctx, const struct doc_progress *p);
};

#endif
