/* Checked float-to-integer conversions (see num.h). */
#include "core/num.h"

#include <math.h>

/* 2^63 is exact in a double; INT64_MAX is not (it rounds up to 2^63), so the test is on the
 * open interval below it. */
#define TWO_63 9223372036854775808.0

int num_to_int64(double d, int64_t lo, int64_t hi, int64_t *out)
{
	int64_t v;

	if (!(d >= -TWO_63 && d < TWO_63)) /* false for NaN too */
		return -1;
	v = (int64_t)d;
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int num_to_int(double d, int lo, int hi, int *out)
{
	int64_t v;

	if (num_to_int64(d, lo, hi, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}
