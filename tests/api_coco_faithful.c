/* The faithful COCO export: from a COCO source, what the user did not change is written as
 * the source had it (untouched polygon bbox and area, numbers to the digit, an annotation key
 * named "images", no info added, the source's key order), an edited shape's bbox and area are
 * computed again, and the file is written through a temporary file renamed into place. */
#include "api/backend.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* keys deliberately out of the usual order; a polygon whose bbox is not its extent and whose
 * area is not its shoelace area; numbers with 3 decimals; an annotation key named images */
static const char source[] =
    "{\n"
    "  \"licenses\": [{\"id\": 1, \"name\": \"x\"}],\n"
    "  \"categories\": [{\"supercategory\": \"animal\", \"id\": 1, \"name\": \"cat\"}],\n"
    "  \"images\": [{\"file_name\": \"a.jpg\", \"id\": 1, \"height\": 480, \"width\": 640,"
    " \"date_captured\": \"2020-01-01T00:00:00+00:00\"}],\n"
    "  \"annotations\": [\n"
    "    {\"segmentation\": [[10.5, 20.25, 177.292, 20.25, 177.292, 90.125]],"
    " \"area\": 4321.5, \"iscrowd\": 0, \"image_id\": 1, \"bbox\": [9.5, 19.5, 170, 72],"
    " \"category_id\": 1, \"id\": 7, \"images\": [\"kept\"]},\n"
    "    {\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1.125, 2.5, 30.333, 40],"
    " \"area\": 1213.32, \"segmentation\": [], \"iscrowd\": 0}\n"
    "  ]\n"
    "}\n";

/* The text without whitespace outside strings. */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int in = 0;

	for (; *s != '\0'; s++) {
		if (in) {
			*o++ = *s;
			if (*s == '\\' && s[1] != '\0')
				*o++ = *++s;
			else if (*s == '"')
				in = 0;
		} else if (*s == '"') {
			in = 1;
			*o++ = *s;
		} else if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r') {
			*o++ = *s;
		}
	}
	*o = '\0';
	return out;
}

/* Removes the review members annotty adds to each image (its own, never a source value). */
static void drop_review(char *s)
{
	static const char *const members[] = {",\"annotty_status\":\"pending\"",
	                                      ",\"annotty_tags\":[]", NULL};

	for (int i = 0; members[i] != NULL; i++) {
		char *p;
		size_t n = strlen(members[i]);
		while ((p = strstr(s, members[i])) != NULL)
			memmove(p, p + n, strlen(p + n) + 1);
	}
}

static struct dataset_doc *load(const char *path, struct backend **b)
{
	struct dataset_doc *doc = NULL;
	struct err err;

	err_clear(&err);
	if (backend_open_local_as(path, NULL, NULL, b, &err) < 0 ||
	    backend_load(*b, &doc, &err) < 0)
		printf("# %s\n", err.msg);
	return doc;
}

static char *export(const struct dataset_doc *doc, const struct backend *src, const char *out)
{
	struct export_options o = {.format = "coco"};
	struct backend *w = NULL;
	struct err err;

	err_clear(&err);
	if (backend_writer_open(&o, src, &w, &err) < 0 || backend_save(w, doc, out, &err) < 0) {
		printf("# %s\n", err.msg);
		backend_close(&w);
		return NULL;
	}
	backend_close(&w);
	return fx_read(out);
}

static const cJSON *ann(const cJSON *root, int id)
{
	const cJSON *a;

	cJSON_ArrayForEach(a, cJSON_GetObjectItem(root, "annotations"))
	{
		if (cJSON_GetNumberValue(cJSON_GetObjectItem(a, "id")) == id)
			return a;
	}
	return NULL;
}

static double at(const cJSON *arr, int i)
{
	return cJSON_GetNumberValue(cJSON_GetArrayItem(arr, i));
}

static void test_untouched(const char *dir)
{
	struct backend *b = NULL;
	struct dataset_doc *doc = load(fx_path(dir, "src.json"), &b);
	char *text = doc ? export(doc, b, fx_path(dir, "out.json")) : NULL;
	cJSON *root = text ? cJSON_Parse(text) : NULL;
	const cJSON *poly = ann(root, 7), *box = ann(root, 8);
	char *a = squeeze(source), *x = text ? squeeze(text) : NULL;

	ok(root != NULL, "the export is JSON");
	ok(poly && at(cJSON_GetObjectItem(poly, "bbox"), 0) == 9.5 &&
	       at(cJSON_GetObjectItem(poly, "bbox"), 2) == 170,
	   "an untouched polygon keeps the source's bbox, not its extent");
	ok(poly && cJSON_GetNumberValue(cJSON_GetObjectItem(poly, "area")) == 4321.5,
	   "an untouched polygon keeps the source's area, not its shoelace area");
	ok(text && strstr(text, "177.292") != NULL && strstr(text, "30.333") != NULL,
	   "numbers keep their digits (177.292 is not 177.29)");
	ok(poly && cJSON_IsArray(cJSON_GetObjectItem(poly, "images")),
	   "an annotation member named images is kept");
	ok(root && cJSON_GetObjectItem(root, "info") == NULL, "no info where the source had none");
	ok(box && cJSON_GetNumberValue(cJSON_GetObjectItem(box, "area")) == 1213.32,
	   "a box's area is the source's");
	if (x != NULL)
		drop_review(x);
	if (!ok(x && strcmp(a, x) == 0,
	        "byte for byte the source (whitespace aside, with annotty's review members)"))
		printf("# want %s\n# got  %s\n", a, x ? x : "(none)");
	free(a);
	free(x);
	cJSON_Delete(root);
	free(text);
	dataset_doc_free(&doc);
	backend_close(&b);
}

static struct shape *shape_by_id(struct dataset_doc *doc, const char *id)
{
	for (int i = 0; i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++)
			if (strcmp(doc->assets[i].shapes[j].ext_id, id) == 0)
				return &doc->assets[i].shapes[j];
	return NULL;
}

static void test_edited(const char *dir)
{
	struct backend *b = NULL;
	struct dataset_doc *doc = load(fx_path(dir, "src.json"), &b);
	struct shape *p = doc ? shape_by_id(doc, "7") : NULL,
	             *bx = doc ? shape_by_id(doc, "8") : NULL;
	char *text = NULL;
	cJSON *root = NULL;
	const cJSON *poly, *box;

	if (!ok(p != NULL && bx != NULL, "the shapes are read"))
		goto out;
	p->points[2].y = 100.0625; /* a vertex moved */
	shape_update_bounds(p);
	bx->label = -1; /* a label-only edit leaves the geometry as it was */
	bx->label = 0;
	bx->box.w = 10.125;
	text = export(doc, b, fx_path(dir, "edited.json"));
	root = text ? cJSON_Parse(text) : NULL;
	poly = ann(root, 7);
	box = ann(root, 8);
	ok(poly && at(cJSON_GetObjectItem(poly, "bbox"), 0) == 10.5 &&
	       at(cJSON_GetObjectItem(poly, "bbox"), 3) == 100.0625 - 20.25,
	   "an edited polygon's bbox is its extent again");
	ok(poly && cJSON_GetNumberValue(cJSON_GetObjectItem(poly, "area")) != 4321.5,
	   "and its area is computed again");
	ok(text && strstr(text, "100.0625") != NULL, "the new vertex keeps its digits");
	ok(box && at(cJSON_GetObjectItem(box, "bbox"), 2) == 10.125 &&
	       cJSON_GetNumberValue(cJSON_GetObjectItem(box, "area")) == 10.125 * 40,
	   "an edited box's area follows it");
	ok(poly && cJSON_IsArray(cJSON_GetObjectItem(poly, "images")),
	   "the kept member stays on the edited annotation");
out:
	cJSON_Delete(root);
	free(text);
	dataset_doc_free(&doc);
	backend_close(&b);
}

static void test_atomic(const char *dir)
{
	struct backend *b = NULL;
	struct dataset_doc *doc = load(fx_path(dir, "src.json"), &b);
	struct export_options o = {.format = "coco"};
	struct backend *w = NULL;
	struct err err;
	char *before = fx_read(fx_path(dir, "out.json")), *after;
	int entries = fx_count_entries(dir);

	err_clear(&err);
	ok(backend_writer_open(&o, b, &w, &err) == 0 &&
	       backend_save(w, doc, fx_path(dir, "no/such/out.json"), &err) < 0,
	   "a folder that is not there fails: %s", err.msg);
	after = fx_read(fx_path(dir, "out.json"));
	ok(fx_count_entries(dir) == entries && before && after && strcmp(before, after) == 0,
	   "nothing is left behind and the old export is as it was");
	free(before);
	free(after);
	backend_close(&w);
	dataset_doc_free(&doc);
	backend_close(&b);
}

int main(void)
{
	const char *dir = fx_tmpdir();

	fx_write(dir, "src.json", source);
	fx_jpeg(dir, "a.jpg", 640, 480);
	test_untouched(dir);
	test_edited(dir);
	test_atomic(dir);
	fx_cleanup();
	return done_testing();
}
