/* Fuzz target: a shape as the edit log keeps it (the JSON undo and redo put back), read back
 * from the cache; what reads is written again as a value and as every outbox payload. */
#include "fuzz.h"

#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "shape_value";
const int fuzz_smoke_runs = 5000;

/* A value that reads and passes the checks must read back the same once written. */
static int round_trip(const struct shape_row *r, struct err *err)
{
	static const char *const ops[] = {"shape.create", "shape.update", "shape.delete"};
	struct shape_row again;
	char *value = cache_shape_value(r);
	int rc = -1;

	if (value == NULL)
		return err_set(err, "out of memory writing the value");
	if (cache_shape_value_parse(value, &again, err) < 0) {
		err_wrap(err, "the value written does not read back");
		goto out;
	}
	if (again.s.kind != r->s.kind || again.s.npoints != r->s.npoints ||
	    again.s.nparts != r->s.nparts || again.rev != r->rev || again.seq != r->seq ||
	    again.label_id != r->label_id) {
		err_set(err, "the value written reads back different");
		cache_shape_row_clear(&again);
		goto out;
	}
	cache_shape_row_clear(&again);
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
		char *payload = cache_shape_payload(r, r, ops[i]);
		struct change back;
		enum change_kind kind = CHANGE_SHAPE_UPDATE;

		if (payload == NULL) {
			err_set(err, "out of memory writing the %s payload", ops[i]);
			goto out;
		}
		/* what the outbox keeps must read back as the change it was */
		if (change_kind_parse(ops[i], &kind) < 0 ||
		    change_from_json(kind, payload, &back, err) < 0) {
			free(payload);
			goto out;
		}
		change_clear(&back);
		free(payload);
	}
	rc = 0;
out:
	free(value);
	return rc;
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct shape_row r;
	char *text;
	int rc;

	if (len == 0)
		return err_set(err, "empty input");
	if ((text = malloc(len + 1)) == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	rc = cache_shape_value_parse(text, &r, err);
	if (rc == 0) {
		rc = cache_shape_check(&r.s, err);
		if (rc == 0)
			rc = round_trip(&r, err);
		cache_shape_row_clear(&r);
	}
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/shape_value/ */
}
