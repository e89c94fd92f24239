/* Seeds from strings, shared by the targets' fuzz_seeds. */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

int fuzz_seed_text(struct fuzz_seed *s, const char *name, const char *text, size_t len)
{
	s->name = name;
	s->len = len;
	s->data = malloc(len > 0 ? len : 1);
	if (s->data == NULL)
		return -1;
	memcpy(s->data, text, len);
	return 0;
}
