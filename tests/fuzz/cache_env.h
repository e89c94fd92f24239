/* A small cache in memory for the fuzz targets that read JSON back from a database: one
 * dataset with a skeleton label, an image with a box, a polygon and a point, a tag. Each input
 * starts from the same rows (fuzz_cache_reset), so that no input sees another's changes. */
#ifndef ANNOTTY_TESTS_FUZZ_CACHE_ENV_H
#define ANNOTTY_TESTS_FUZZ_CACHE_ENV_H

#include <stdint.h>

struct cache;
struct err;

struct fuzz_cache {
	struct cache *c;
	int64_t dataset_id;
	int64_t asset_id;
	int64_t shape_id; /* the box */
	int64_t label_id; /* the skeleton's label */
};

/* The cache with its rows as they were first imported; NULL when it cannot be made (err set).
 * It lives until the process ends. */
struct fuzz_cache *fuzz_cache_reset(struct err *err);

#endif
