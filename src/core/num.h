/* Numbers from outside data (JSON, the cache) turned into integers without undefined
 * behaviour: a double out of an integer's range, NaN or an infinity is refused, not cast. */
#ifndef ANNOTTY_CORE_NUM_H
#define ANNOTTY_CORE_NUM_H

#include <stdint.h>

/* Truncates d toward zero into *out when the result lies in [lo, hi]; returns 0. Returns -1
 * and leaves *out alone when d is NaN, infinite or outside the range. */
int num_to_int64(double d, int64_t lo, int64_t hi, int64_t *out);

/* The same into an int. */
int num_to_int(double d, int lo, int hi, int *out);

#endif
