/* The checked conversions of outside numbers to integers. */
#include "core/num.h"
#include "tap.h"

#include <math.h>
#include <stdint.h>

int main(void)
{
	int64_t v = 7;
	int i = 7;

	ok(num_to_int64(42.9, INT64_MIN, INT64_MAX, &v) == 0 && v == 42, "42.9 truncates to 42");
	ok(num_to_int64(-42.9, INT64_MIN, INT64_MAX, &v) == 0 && v == -42, "-42.9 to -42");
	v = 7;
	ok(num_to_int64(1e300, INT64_MIN, INT64_MAX, &v) < 0 && v == 7,
	   "1e300 is refused and the output left alone");
	ok(num_to_int64(1e20, INT64_MIN, INT64_MAX, &v) < 0, "1e20 is over int64");
	ok(num_to_int64(9223372036854775808.0, INT64_MIN, INT64_MAX, &v) < 0,
	   "2^63 is one over INT64_MAX");
	ok(num_to_int64(-9223372036854775808.0, INT64_MIN, INT64_MAX, &v) == 0 && v == INT64_MIN,
	   "-2^63 is INT64_MIN exactly");
	ok(num_to_int64(NAN, INT64_MIN, INT64_MAX, &v) < 0, "NaN is refused");
	ok(num_to_int64(-INFINITY, INT64_MIN, INT64_MAX, &v) < 0, "-inf is refused");
	ok(num_to_int64(INFINITY, INT64_MIN, INT64_MAX, &v) < 0, "inf is refused");
	ok(num_to_int64(11, 0, 10, &v) < 0 && num_to_int64(10, 0, 10, &v) == 0 && v == 10,
	   "the range is inclusive");
	ok(num_to_int(1e20, INT32_MIN, INT32_MAX, &i) < 0 && i == 7, "1e20 is over int");
	ok(num_to_int(3e9, INT32_MIN, INT32_MAX, &i) < 0, "3e9 is over int");
	ok(num_to_int(NAN, 0, 10, &i) < 0 && num_to_int(-INFINITY, 0, 10, &i) < 0,
	   "NaN and -inf are refused into an int");
	ok(num_to_int(-0.5, 0, 10, &i) == 0 && i == 0, "-0.5 truncates to 0");
	return done_testing();
}
