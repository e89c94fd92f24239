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

#define FUZZ_MAX_SEEDS 64

extern const char fuzz_target_name[];
/* Mutations per seed in the smoke run of make check (FUZZ_SMOKE_RUNS overrides it): fewer for
 * targets that touch a database or the file system on each input. */
extern const int fuzz_smoke_runs;

/* Parses one input: 0 when accepted, -1 with err filled when refused. Never crashes, never
 * leaks, whatever the bytes. */
int fuzz_parse(const uint8_t *data, size_t len, struct err *err);

/* Fills at most max seeds; returns how many (0 when the target's seeds are all files under
 * tests/fuzz/corpus/<name>/, which both runs read too), or -1 when they could not be made. */
int fuzz_seeds(struct fuzz_seed *seeds, int max);

/* A seed from a string, for fuzz_seeds; -1 when out of memory. */
int fuzz_seed_text(struct fuzz_seed *s, const char *name, const char *text, size_t len);

#endif
