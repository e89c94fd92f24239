/* The fuzz targets without libFuzzer: every seed (the target's own, then the files of
 * tests/fuzz/corpus/<target>/) must be accepted, then deterministic mutations of each (bit
 * flips, byte changes, cuts, insertions, splices of two seeds) must each be accepted or refused
 * with a message, and never crash (the sanitizer build turns any memory error into a
 * failure). `--write-seeds DIR` writes the target's own seeds as a libFuzzer corpus.
 * FUZZ_SMOKE_RUNS sets the mutations per seed. */
#include "fuzz.h"

#include "../tap.h"
#include "core/err.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SMOKE_MAX_INPUT (1u << 20)

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

/* One mutation of src into dst (capacity SMOKE_MAX_INPUT); returns the new length. */
static size_t mutate(const struct fuzz_seed *src, const struct fuzz_seed *other, unsigned char *dst)
{
	size_t len = src->len < SMOKE_MAX_INPUT ? src->len : SMOKE_MAX_INPUT, at;

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
		if (len + n > SMOKE_MAX_INPUT)
			return len;
		memmove(dst + at + n, dst + at, len - at);
		memset(dst + at, interesting_byte(), n);
		return len + n;
	}
	default: /* splice: the head of this seed, the tail of another */
	{
		size_t from = other->len > 0 ? rng_below((uint32_t)other->len) : 0;
		size_t n = other->len - from;
		if (at + n > SMOKE_MAX_INPUT)
			n = SMOKE_MAX_INPUT - at;
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

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One corpus file as a seed (its name kept in name, which outlives the seed). */
static int read_seed(const char *path, struct fuzz_seed *s, char *name)
{
	FILE *f = fopen(path, "rb");
	long size;

	if (f == NULL || fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 ||
	    size > SMOKE_MAX_INPUT || fseek(f, 0, SEEK_SET) < 0 ||
	    (s->data = malloc((size_t)size + 1)) == NULL ||
	    fread(s->data, 1, (size_t)size, f) != (size_t)size) {
		if (f != NULL)
			fclose(f);
		return -1;
	}
	fclose(f);
	s->len = (size_t)size;
	s->name = name;
	return 0;
}

/* The files of the repository's corpus folder for this target, after the n seeds already
 * made; returns the new count, or -1 when a file cannot be read. */
static int corpus_seeds(struct fuzz_seed *seeds, int n, char (*names)[128])
{
	const char *top = getenv("top_srcdir");
	char dirpath[4096], path[4096], *files[FUZZ_MAX_SEEDS];
	struct dirent *e;
	int nfiles = 0, rc = n;
	DIR *d;

	snprintf(dirpath, sizeof dirpath, "%s/tests/fuzz/corpus/%s", top ? top : ".",
	         fuzz_target_name);
	if ((d = opendir(dirpath)) == NULL)
		return n;
	while ((e = readdir(d)) != NULL && n + nfiles < FUZZ_MAX_SEEDS)
		if (e->d_name[0] != '.' && (files[nfiles] = strdup(e->d_name)) != NULL)
			nfiles++;
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof *files, name_cmp);
	for (int i = 0; i < nfiles; i++) {
		snprintf(names[n], sizeof names[n], "%s", files[i]);
		snprintf(path, sizeof path, "%s/%s", dirpath, files[i]);
		if (rc >= 0 && read_seed(path, &seeds[n], names[n]) < 0) {
			fprintf(stderr, "cannot read %s\n", path);
			rc = -1;
		}
		if (rc >= 0)
			rc = ++n;
		free(files[i]);
	}
	return rc;
}

int main(int argc, char **argv)
{
	static char names[FUZZ_MAX_SEEDS][128];
	struct fuzz_seed seeds[FUZZ_MAX_SEEDS] = {{0}};
	const char *env = getenv("FUZZ_SMOKE_RUNS");
	int runs = env != NULL && atoi(env) > 0 ? atoi(env) : fuzz_smoke_runs;
	int own = fuzz_seeds(seeds, FUZZ_MAX_SEEDS), n = own, rc;
	unsigned char *input = malloc(SMOKE_MAX_INPUT);
	struct err err;

	if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0 && own >= 0) {
		rc = write_seeds(argv[2], seeds, own);
		goto out;
	}
	if (own >= 0)
		n = corpus_seeds(seeds, own, names);
	if (n <= 0 || input == NULL) {
		ok(0, "the %s seeds can be made", fuzz_target_name);
		return done_testing();
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
	for (int s = 0; s < FUZZ_MAX_SEEDS; s++)
		free(seeds[s].data);
	free(input);
	return rc;
}
