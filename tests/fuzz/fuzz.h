/* Fuzz targets for the parsers of outside data. Each target file defines how one input is
 * parsed and which valid inputs seed the search; the same target links either into libFuzzer
 * (--enable-fuzzing, `make fuzz`) or into the smoke driver that `make check` runs everywhere. */
#ifndef ANNOTTY_TESTS_FUZZ_H
#define ANNOTTY_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct err;

/* A valid input the target must accept; data is malloc'd and owned by the caller. */
struct fuzz_seed {
	const char *name;
	unsigned char *data;
	size_t len;
};

#define FUZZ_MAX_SEEDS 16

extern const char fuzz_target_name[];

/* Parses one input: 0 when accepted, -1 with err filled when refused. Never crashes, never
 * leaks, whatever the bytes. */
int fuzz_parse(const uint8_t *data, size_t len, struct err *err);

/* Fills at most max seeds; returns how many, or -1 when they could not be made. */
int fuzz_seeds(struct fuzz_seed *seeds, int max);

#endif
