/* Fuzz target: what an export writes from the cache: the extras kept from the source (top
 * level, category, image, annotation) and the names and texts stored beside them, put back
 * into COCO. The input's first byte picks the column, the rest is its text; the COCO written
 * must read again as strict JSON. */
#include "fuzz.h"

#include "api/local/coco.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_env.h"
#include "core/err.h"
#include "core/model.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "export";
const int fuzz_smoke_runs = 300;

static const char *const columns[] = {
    "UPDATE dataset SET extra_json = ?1 WHERE id = ?2",
    "UPDATE label SET extra_json = ?1 WHERE dataset_id = ?2",
    "UPDATE asset SET extra_json = ?1 WHERE dataset_id = ?2",
    ("UPDATE shape SET extra_json = ?1 WHERE asset_id IN (SELECT id FROM asset"
     " WHERE dataset_id = ?2)"),
    "UPDATE asset SET filename = ?1 WHERE dataset_id = ?2",
    "UPDATE label SET name = ?1 WHERE dataset_id = ?2",
    "UPDATE tag SET name = ?1 WHERE dataset_id = ?2",
    "UPDATE shape SET text = ?1 WHERE asset_id IN (SELECT id FROM asset WHERE dataset_id = ?2)",
};
#define NCOLUMNS (sizeof columns / sizeof *columns)

static int set_column(struct fuzz_cache *f, int which, const char *text, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (cache_db_prepare(f->c, columns[which], &st, err) < 0)
		return -1;
	cache_db_bind_text(st, 1, text);
	sqlite3_bind_int64(st, 2, f->dataset_id);
	rc = cache_db_run(f->c, st, err, "setting a column");
	sqlite3_finalize(st);
	return rc;
}

/* The text written must be JSON again, for strict readers: UTF-8 throughout, no raw DEL or
 * C1 control. */
static int check_output(const char *coco, struct err *err)
{
	const unsigned char *p = (const unsigned char *)coco, *end = p + strlen(coco);
	cJSON *again = cJSON_Parse(coco);

	cJSON_Delete(again);
	if (again == NULL)
		return err_set(err, "the COCO written does not read as JSON");
	while (p < end) {
		uint32_t cp;
		int n = str_utf8_decode(p, (size_t)(end - p), &cp);

		if (cp == 0xFFFD && n == 1)
			return err_set(err, "the COCO written is not UTF-8 at byte %td",
			               p - (const unsigned char *)coco);
		if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
			return err_set(err, "the COCO written holds a raw control U+%04X",
			               (unsigned)cp);
		p += n;
	}
	return 0;
}

static int export_once(struct fuzz_cache *f, struct err *err)
{
	struct dataset_doc *doc = NULL;
	char *coco = NULL;
	int rc = -1;

	if (cache_export_doc(f->c, f->dataset_id, &doc, err) < 0 ||
	    coco_serialize(doc, &coco, err) < 0)
		goto out;
	rc = check_output(coco, err);
out:
	free(coco);
	dataset_doc_free(&doc);
	return rc;
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct fuzz_cache *f;
	char *text;
	int rc;

	if (len < 2)
		return err_set(err, "an export input needs a column and a text");
	if ((f = fuzz_cache_reset(err)) == NULL || (text = malloc(len)) == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data + 1, len - 1);
	text[len - 1] = '\0';
	rc = set_column(f, data[0] % NCOLUMNS, text, err);
	if (rc == 0)
		rc = export_once(f, err);
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/export/ */
}
