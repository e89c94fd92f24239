/* Fuzz target: the keypoints of a shape and the skeleton of its label, as the viewer reads
 * them from the extras a COCO file gave them. The input is the shape's extras, then a NUL
 * and its label's extras (the fixture's skeleton when there is no NUL). */
#include "fuzz.h"

#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_env.h"
#include "core/err.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_target_name[] = "keypoints";
const int fuzz_smoke_runs = 400;

static int set_extra(struct fuzz_cache *f, const char *sql, int64_t id, const char *json,
                     struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (cache_db_prepare(f->c, sql, &st, err) < 0)
		return -1;
	cache_db_bind_text(st, 1, json);
	sqlite3_bind_int64(st, 2, id);
	rc = cache_db_run(f->c, st, err, "setting the extras");
	sqlite3_finalize(st);
	return rc;
}

/* What the viewer relies on: every marker has a shape, every link joins two markers. */
static int check_detail(const struct asset_detail *d, struct err *err)
{
	if (d->nkeypoints < 0 || d->nkeypoints > 4096)
		return err_set(err, "%d markers, over the cap", d->nkeypoints);
	for (int k = 0; k < d->nkeypoints; k++)
		if (d->keypoint_shape[k] < 0 || d->keypoint_shape[k] >= d->nshapes)
			return err_set(err, "marker %d belongs to no shape", k);
	for (int k = 0; k < d->nlinks; k++)
		for (int e = 0; e < 2; e++)
			if (d->keypoint_links[k][e] < 0 || d->keypoint_links[k][e] >= d->nkeypoints)
				return err_set(err, "link %d ends at no marker", k);
	return 0;
}

static int load(struct fuzz_cache *f, const char *shape_extra, const char *label_extra,
                struct err *err)
{
	struct asset_detail d;
	int rc;

	if (set_extra(f, "UPDATE shape SET extra_json = ?1 WHERE id = ?2", f->shape_id, shape_extra,
	              err) < 0 ||
	    (label_extra != NULL && set_extra(f, "UPDATE label SET extra_json = ?1 WHERE id = ?2",
	                                      f->label_id, label_extra, err) < 0) ||
	    cache_asset_get(f->c, f->asset_id, &d, err) < 0)
		return -1;
	rc = check_detail(&d, err);
	cache_asset_detail_free(&d);
	return rc;
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	struct fuzz_cache *f;
	char *text;
	const char *nul;
	cJSON *parsed;
	int rc = -1;

	if (len == 0)
		return err_set(err, "empty input");
	if ((f = fuzz_cache_reset(err)) == NULL || (text = malloc(len + 1)) == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	nul = memchr(data, 0, len);
	/* a shape's extras that are not JSON are refused on import; here they are passed over */
	parsed = cJSON_Parse(text);
	if (parsed == NULL)
		err_set(err, "the shape's extras are not JSON");
	else
		rc = load(f, text, nul != NULL ? text + (nul - (const char *)data) + 1 : NULL, err);
	cJSON_Delete(parsed);
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/keypoints/ */
}
