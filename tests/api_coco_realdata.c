/* The COCO reader on real files other projects committed ($REALDATA, see its SOURCES.md):
 * exact counts on a known dataset, and every COCO JSON either loads with the counts the file
 * holds (walked here separately with cJSON) or fails with a message. */
#include "api/backend.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <ftw.h>
#include <limits.h>
#include <strings.h>
#include <sys/stat.h>

static const char *realdata;

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *rd(const char *rel)
{
	static char path[4][PATH_MAX];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", realdata, rel);
	return p;
}

static int count_shapes(const struct dataset_doc *doc)
{
	int n = 0;

	for (int i = 0; i < doc->nassets; i++)
		n += doc->assets[i].nshapes;
	return n;
}

static int count_found(const struct dataset_doc *doc)
{
	int n = 0;

	for (int i = 0; i < doc->nassets; i++)
		n += doc->assets[i].path != NULL;
	return n;
}

static int warnings_with(const struct dataset_doc *doc, const char *needle)
{
	int n = 0;

	for (int i = 0; i < doc->nwarnings; i++)
		n += strstr(doc->warnings[i], needle) != NULL;
	return n;
}

static void test_known_dataset(void)
{
	const char *json = rd("review_object_detection_metrics/data/database/gts/coco_format_v1/"
	                      "instances_default.json");
	const char *images = rd("review_object_detection_metrics/data/database/images");
	struct dataset_doc *doc = NULL, *again = NULL;
	struct backend *b = NULL;
	struct err err;
	char *text = NULL;
	int boxes = 0, labelled = 0;

	err_clear(&err);
	if (!ok(backend_open_local(json, images, &b, &err) == 0 && backend_load(b, &doc, &err) == 0,
	        "instances_default.json loads%s%s", err.msg[0] ? ": " : "", err.msg))
		goto out;
	is_str(doc->format, "coco", "format");
	is_int(doc->nassets, 100, "100 assets");
	is_int(count_shapes(doc), 273, "273 shapes");
	is_int(count_found(doc), 100, "every image found on disk");
	is_int(doc->nwarnings, 0, "no warnings");
	for (int i = 0; i < doc->nwarnings; i++)
		printf("# warning: %s\n", doc->warnings[i]);
	for (int i = 0; i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++) {
			boxes += doc->assets[i].shapes[j].kind == SHAPE_BOX;
			labelled += doc->assets[i].shapes[j].label >= 0;
		}
	is_int(boxes, 273, "all boxes");
	is_int(labelled, 273, "all labelled");
	ok(coco_serialize(doc, &text, &err) == 0 &&
	       coco_parse(text, strlen(text), json, images, &again, &err) == 0,
	   "serialises and parses again");
	ok(again != NULL && again->nassets == 100 && count_shapes(again) == 273 &&
	       again->nlabels == doc->nlabels,
	   "with the same counts");
out:
	free(text);
	dataset_doc_free(&doc);
	dataset_doc_free(&again);
	backend_close(&b);
}

/* ---- every COCO JSON under a folder ---- */

struct expect {
	int images;
	int labels;
	int shapes;
};

static int image_listed(const cJSON *images, const cJSON *image_id)
{
	const cJSON *img;

	cJSON_ArrayForEach(img, images)
	{
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(img, "id");
		if (cJSON_IsNumber(id) && cJSON_IsNumber(image_id) &&
		    id->valuedouble == image_id->valuedouble)
			return 1;
		if (cJSON_IsString(id) && cJSON_IsString(image_id) &&
		    strcmp(id->valuestring, image_id->valuestring) == 0)
			return 1;
	}
	return 0;
}

/* An annotation that becomes a shape: on a listed image, with a bbox, a non-empty
 * segmentation or at least a category (an image-level label). */
static int drawable(const cJSON *images, const cJSON *ann)
{
	const cJSON *seg = cJSON_GetObjectItemCaseSensitive(ann, "segmentation");

	if (!image_listed(images, cJSON_GetObjectItemCaseSensitive(ann, "image_id")))
		return 0;
	return cJSON_HasObjectItem(ann, "bbox") || cJSON_IsObject(seg) ||
	       (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 0) ||
	       cJSON_HasObjectItem(ann, "category_id");
}

/* -1 when the file is not a COCO dataset (no images list). */
static int expect_of(const char *path, struct expect *e)
{
	char *text = fx_read(path);
	cJSON *root = text != NULL ? cJSON_Parse(text) : NULL;
	const cJSON *images = cJSON_GetObjectItemCaseSensitive(root, "images"), *ann;
	int rc = -1;

	memset(e, 0, sizeof *e);
	if (cJSON_IsObject(root) && cJSON_IsArray(images)) {
		e->images = cJSON_GetArraySize(images);
		e->labels =
		    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(root, "categories"));
		cJSON_ArrayForEach(ann, cJSON_GetObjectItemCaseSensitive(root, "annotations"))
		{
			e->shapes += drawable(images, ann);
		}
		rc = 0;
	}
	cJSON_Delete(root);
	free(text);
	return rc;
}

static void check_json(const char *path, int images_expected_on_disk)
{
	const char *name = path + strlen(realdata) + 1;
	struct dataset_doc *doc = NULL;
	struct backend *b = NULL;
	struct expect e;
	struct err err;
	int is_coco = expect_of(path, &e) == 0, rc;

	err_clear(&err);
	rc = backend_open_local(path, NULL, &b, &err);
	if (rc == 0)
		rc = backend_load(b, &doc, &err);
	if (!is_coco) {
		ok(rc < 0 && err.msg[0] != '\0', "%s is refused: %s", name, err.msg);
		goto out;
	}
	if (!ok(rc == 0, "%s loads%s%s", name, err.msg[0] ? ": " : "", err.msg))
		goto out;
	ok(doc->nassets == e.images && doc->nlabels == e.labels && count_shapes(doc) == e.shapes,
	   "%s: %d images, %d labels, %d shapes", name, e.images, e.labels, e.shapes);
	if (images_expected_on_disk)
		is_int(count_found(doc), doc->nassets, "%s: every image found", name);
	is_int(warnings_with(doc, "differs from their file"), 0, "%s: sizes agree", name);
out:
	dataset_doc_free(&doc);
	backend_close(&b);
}

static char found[64][PATH_MAX];
static int nfound;

static int collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)st;
	(void)ftw;
	if (flag == FTW_F && len > 5 && strcasecmp(path + len - 5, ".json") == 0 && nfound < 64)
		snprintf(found[nfound++], PATH_MAX, "%s", path);
	return 0;
}

static int path_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void check_tree(const char *rel, int images_expected_on_disk)
{
	nfound = 0;
	if (!ok(nftw(rd(rel), collect, 16, FTW_PHYS) == 0 && nfound > 0, "JSON files in %s", rel))
		return;
	qsort(found, (size_t)nfound, sizeof found[0], path_cmp);
	for (int i = 0; i < nfound; i++)
		check_json(found[i], images_expected_on_disk);
}

int main(void)
{
	realdata = getenv("REALDATA");
	if (realdata == NULL || !is_dir(realdata))
		skip_all("REALDATA is not set or not a folder: the real-data samples are absent");
	test_known_dataset();
	check_tree("datumaro/tests/assets/coco_dataset", 1);
	check_tree("datumaro/tests/assets/kaggle_dataset/relaxed_coco", 1);
	check_tree("datumaro/tests/assets/roboflow_dataset/coco", 1);
	check_tree("roboflow-python/tests/datasets/sharks-tiny-coco", 1);
	/* detections, labelme files and a sample whose images are not included */
	check_tree("review_object_detection_metrics", 0);
	return done_testing();
}
