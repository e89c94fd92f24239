/* Export of some assets of a dataset (the marked rows) to a COCO file of their own: the whole
 * dataset as an export would write it, kept to the assets asked for. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The file names of the assets, sorted for bsearch; the caller frees each and the array. */
static int names_of(struct cache *c, const int64_t *ids, int n, char ***out, struct err *err)
{
	sqlite3_stmt *st = NULL;
	char **names = calloc((size_t)(n > 0 ? n : 1), sizeof *names);
	int rc = -1, k = 0, oom = 0;

	*out = NULL;
	if (names == NULL)
		return err_set(err, "export: out of memory");
	if (cache_db_prepare(c, "SELECT filename FROM asset WHERE id = ?1", &st, err) < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, ids[i]);
		if (sqlite3_step(st) == SQLITE_ROW && (names[k] = cache_db_text_dup(st, 0, &oom)))
			k++;
		sqlite3_reset(st);
		if (oom)
			goto out;
	}
	qsort(names, (size_t)k, sizeof *names, name_cmp);
	*out = names;
	names = NULL;
	rc = k;
out:
	sqlite3_finalize(st);
	if (names != NULL) {
		for (int i = 0; i < k; i++)
			free(names[i]);
		free(names);
	}
	if (oom)
		err_set(err, "export: out of memory");
	return rc;
}

/* Keeps the doc's assets whose file name is among names, in their order. */
static int doc_keep(struct dataset_doc *doc, char **names, int nnames)
{
	int kept = 0;

	for (int i = 0; i < doc->nassets; i++) {
		const char *key = doc->assets[i].filename;
		if (key != NULL && bsearch(&key, names, (size_t)nnames, sizeof *names, name_cmp))
			doc->assets[kept++] = doc->assets[i];
		else
			asset_clear(&doc->assets[i]);
	}
	doc->nassets = kept;
	return kept;
}

int cache_export_assets(struct cache *c, int64_t dataset_id, const int64_t *ids, int n,
                        const char *path, int *written, struct err *err)
{
	struct dataset_doc *doc = NULL;
	char **names = NULL;
	int nnames, rc = -1, kept = 0;

	if (written != NULL)
		*written = 0;
	if ((nnames = names_of(c, ids, n, &names, err)) < 0)
		return -1;
	if (cache_export_doc(c, dataset_id, &doc, err) < 0)
		goto out;
	kept = doc_keep(doc, names, nnames);
	if (coco_write_file(doc, path, err) < 0)
		goto out;
	if (written != NULL)
		*written = kept;
	rc = 0;
out:
	dataset_doc_free(&doc);
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}
