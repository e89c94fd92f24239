/* The importer's state and steps, shared by the whole-document import (import.c) and the
 * streaming one (import_stream.c); not for use outside src/cache. */
#ifndef ANNOTTY_CACHE_IMPORT_INTERNAL_H
#define ANNOTTY_CACHE_IMPORT_INTERNAL_H

#include "cache/cache.h"
#include "core/model.h"

#include <sqlite3.h>
#include <stdint.h>

enum { IMPORT_QUERIES = 34 }; /* the size of import.c's statement table */
/* Shapes go in SHAPE_BATCH rows per statement: with a million of them, the cost of running a
 * statement at all outweighs the cost of a row. */
#define SHAPE_BATCH 32

/* A shape waiting for its batch. */
struct queued_shape {
	const struct shape *s;
	int64_t asset_id;
	int64_t annotation_id;
	int seq;
};

/* One import: the statements it reuses for every row, and where it has got to. */
struct import {
	struct cache *c;
	const struct dataset_doc *doc;
	struct err *err;
	sqlite3_stmt *st[IMPORT_QUERIES];
	sqlite3_stmt *shape_one;   /* inserts one shape */
	sqlite3_stmt *shape_batch; /* inserts SHAPE_BATCH shapes */
	struct queued_shape queue[SHAPE_BATCH];
	int nqueued;
	int64_t source_id;
	int64_t dataset_id;
	int64_t version_id;
	int64_t gen;
	int had_assets;     /* 0: a first import, where no asset can match */
	int paged;          /* a page of a remote pull: the review state is the source's too */
	int64_t *label_ids; /* per doc label */
	struct import_stats stats;
};

/* Prepares every statement of the import (import_finish finalizes them). */
int import_prepare(struct import *ix);
void import_finish(struct import *ix);
/* The source row (found by locator, else created) and its next generation. */
int import_source(struct import *ix, const char *kind, const char *locator,
                  const char *fingerprint);
/* The dataset and its local version, from ix->doc's name, format and extras. */
int import_dataset(struct import *ix);
/* ix->doc's labels matched by name to the dataset's; fills ix->label_ids. */
int import_labels(struct import *ix);
/* One asset (seq is its place in the source), matched against the stored one; its shapes may
 * wait in the batch queue, which points into a: a must stay until shapes_flush. */
int import_asset_at(struct import *ix, const struct asset *a, int seq);
int shapes_flush(struct import *ix);
/* Assets this generation did not see are removed, their unsent edits kept as conflicts. */
int import_remove_gone(struct import *ix);

#endif
