/* A small deterministic random generator (splitmix64), so that the demo images come out the same,
 * byte for byte, on every machine and every run. */
#ifndef ANNOTTY_DEMO_RNG_H
#define ANNOTTY_DEMO_RNG_H

#include <stdint.h>

struct rng {
	uint64_t state;
};

static inline uint64_t rng_u64(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static inline double rng_unit(struct rng *r)
{
	return (double)(rng_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline double rng_range(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * rng_unit(r);
}

/* Uniform in [lo, hi], both included. */
static inline int rng_int(struct rng *r, int lo, int hi)
{
	return lo + (int)(rng_u64(r) % (uint64_t)(hi - lo + 1));
}

static inline int rng_chance(struct rng *r, double p)
{
	return rng_unit(r) < p;
}

/* One element of a small constant table. */
#define RNG_PICK(r, table) ((table)[rng_int((r), 0, (int)(sizeof(table) / sizeof((table)[0])) - 1)])

#endif
