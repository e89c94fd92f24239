/* Fuzz target: the edit log read back from the cache by undo and redo (review and tag values,
 * shapes and labels as JSON). The input is one log row: its first byte picks the edit, then
 * the value before and, after a NUL, the value after (an empty one is none). */
#include "fuzz.h"

#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_env.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "edit_log";
const int fuzz_smoke_runs = 300;

static const char *const ops[] = {"annotation.status", "tag.attach",   "tag.detach",
                                  "shape.create",      "shape.update", "shape.delete",
                                  "label.create"};
#define NOPS (sizeof ops / sizeof *ops)

static const char sql_log_row[] =
    "INSERT INTO edit_log (dataset_id, asset_id, op, old_value, new_value, shape_id, label_id)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

static int log_row(struct fuzz_cache *f, const char *op, const char *old_value,
                   const char *new_value, struct err *err)
{
	int label = strcmp(op, "label.create") == 0, del = strcmp(op, "shape.delete") == 0;
	sqlite3_stmt *st = NULL;
	int rc;

	if (cache_db_prepare(f->c, sql_log_row, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, f->dataset_id);
	if (!label)
		sqlite3_bind_int64(st, 2, f->asset_id);
	cache_db_bind_text(st, 3, op);
	cache_db_bind_text(st, 4, old_value);
	cache_db_bind_text(st, 5, new_value);
	if (!label)
		sqlite3_bind_int64(st, 6, del ? f->shape_id + 100 : f->shape_id);
	sqlite3_bind_int64(st, 7, label ? f->label_id + 100 : f->label_id);
	rc = cache_db_run(f->c, st, err, "writing the edit log");
	sqlite3_finalize(st);
	return rc;
}

/* Undo, then redo: both must work or say why. */
static int undo_redo(struct fuzz_cache *f, struct err *err)
{
	char what[128];
	int64_t asset = 0;

	if (cache_undo(f->c, f->dataset_id, &asset, what, sizeof what, err) < 0)
		return -1;
	return cache_redo(f->c, f->dataset_id, &asset, what, sizeof what, err);
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct fuzz_cache *f;
	char *text, *old_value, *new_value;
	int rc;

	if (len < 2)
		return err_set(err, "an edit-log row needs an edit and a value");
	if ((f = fuzz_cache_reset(err)) == NULL || (text = malloc(len)) == NULL)
		return err_set(err, "out of memory");
	/* the values after the first byte, as two C strings */
	memcpy(text, data + 1, len - 1);
	text[len - 1] = '\0';
	old_value = text;
	new_value = old_value + strlen(old_value) + 1;
	if (new_value > text + len - 1)
		new_value = text + len - 1;
	rc = log_row(f, ops[data[0] % NOPS], old_value[0] ? old_value : NULL,
	             new_value[0] ? new_value : NULL, err);
	if (rc == 0)
		rc = undo_redo(f, err);
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/edit_log/ */
}
