/* libFuzzer's entry point over a target's fuzz_parse. */
#include "fuzz.h"

#include "core/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct err err;

	(void)fuzz_parse(data, len, &err);
	return 0;
}
