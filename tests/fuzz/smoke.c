/* The fuzz targets without libFuzzer: every seed must be accepted, then a few thousand
 * deterministic mutations of each (bit flips, byte changes, cuts, insertions, splices of two
 * seeds) must each be accepted or refused with a message, and never crash (the sanitizer build
 * turns any memory error into a failure). `--write-seeds DIR` writes the seeds as a libFuzzer
 * corpus. FUZZ_SMOKE_RUNS sets the mutations per seed. */
#include "fuzz.h"

#include "../tap.h"
#include "core/err.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RUNS 5000
#define MAX_INPUT    (1u << 20)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t rng_below(uint32_t n)
{
	return n == 0 ? 0 : rng_next() % n;
}

/* Bytes that upset parsers most: JSON and marker punctuation, extremes, control bytes. */
static unsigned char interesting_byte(void)
{
	static const unsigned char pool[] = {0,   1,   0x7f, 0x80, 0xff, '"', '\\', '{',  '}',
	                                     '[', ']', ',',  ':',  '-',  '9', 'e',  0x1b, 0xd8};
	return pool[rng_below(sizeof pool)];
}

/* One mutation of src into dst (capacity MAX_INPUT); returns the new length. */
static size_t mutate(const struct fuzz_seed *src, const struct fuzz_seed *other, unsigned char *dst)
{
	size_t len = src->len < MAX_INPUT ? src->len : MAX_INPUT, at;

	memcpy(dst, src->data, len);
	if (len == 0)
		return 0;
	at = rng_below((uint32_t)len);
	switch (rng_below(6)) {
	case 0: /* flip a few bits */
		for (int i = 0, n = 1 + (int)rng_below(4); i < n; i++)
			dst[rng_below((uint32_t)len)] ^= (unsigned char)(1u << rng_below(8));
		return len;
	case 1: /* an interesting byte */
		dst[at] = interesting_byte();
		return len;
	case 2: /* cut short */
		return at;
	case 3: /* drop a run */
	{
		size_t n = 1 + rng_below((uint32_t)(len - at));
		memmove(dst + at, dst + at + n, len - at - n);
		return len - n;
	}
	case 4: /* insert a run of one byte */
	{
		size_t n = 1 + rng_below(64);
		if (len + n > MAX_INPUT)
			return len;
		memmove(dst + at + n, dst + at, len - at);
		memset(dst + at, interesting_byte(), n);
		return len + n;
	}
	default: /* splice: the head of this seed, the tail of another */
	{
		size_t from = other->len > 0 ? rng_below((uint32_t)other->len) : 0;
		size_t n = other->len - from;
		if (at + n > MAX_INPUT)
			n = MAX_INPUT - at;
		memcpy(dst + at, other->data + from, n);
		return at + n;
	}
	}
}

static int write_seeds(const char *dir, const struct fuzz_seed *seeds, int n)
{
	char path[4096];

	for (int i = 0; i < n; i++) {
		FILE *f;
		snprintf(path, sizeof path, "%s/%s-seed-%d", dir, fuzz_target_name, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(seeds[i].data, 1, seeds[i].len, f) != seeds[i].len) {
			fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
			if (f != NULL)
				fclose(f);
			return 1;
		}
		fclose(f);
	}
	return 0;
}

static void run_mutations(const struct fuzz_seed *seeds, int nseeds, int s, int runs,
                          unsigned char *input)
{
	int accepted = 0, refused = 0, silent = 0;
	struct err err;

	for (int r = 0; r < runs; r++) {
		size_t len = mutate(&seeds[s], &seeds[rng_below((uint32_t)nseeds)], input);
		err.msg[0] = '\0';
		if (fuzz_parse(input, len, &err) == 0)
			accepted++;
		else if (err.msg[0] != '\0')
			refused++;
		else
			silent++;
	}
	is_int(silent, 0, "%s: %d mutations of '%s': %d accepted, %d refused with a message",
	       fuzz_target_name, runs, seeds[s].name, accepted, refused);
}

int main(int argc, char **argv)
{
	struct fuzz_seed seeds[FUZZ_MAX_SEEDS] = {{0}};
	const char *env = getenv("FUZZ_SMOKE_RUNS");
	int runs = env != NULL && atoi(env) > 0 ? atoi(env) : DEFAULT_RUNS;
	int n = fuzz_seeds(seeds, FUZZ_MAX_SEEDS), rc;
	unsigned char *input = malloc(MAX_INPUT);
	struct err err;

	if (n <= 0 || input == NULL) {
		ok(0, "the %s seeds can be made", fuzz_target_name);
		return done_testing();
	}
	if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) {
		rc = write_seeds(argv[2], seeds, n);
		goto out;
	}
	for (int s = 0; s < n; s++) {
		err.msg[0] = '\0';
		ok(fuzz_parse(seeds[s].data, seeds[s].len, &err) == 0,
		   "%s: seed '%s' is accepted%s%s", fuzz_target_name, seeds[s].name,
		   err.msg[0] ? ": " : "", err.msg);
	}
	err.msg[0] = '\0';
	ok(fuzz_parse((const uint8_t *)"", 0, &err) < 0 && err.msg[0] != '\0',
	   "%s: empty input is refused with a message (%s)", fuzz_target_name, err.msg);
	for (int s = 0; s < n; s++)
		run_mutations(seeds, n, s, runs, input);
	rc = done_testing();
out:
	for (int s = 0; s < n; s++)
		free(seeds[s].data);
	free(input);
	return rc;
}
