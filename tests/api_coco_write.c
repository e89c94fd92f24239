/* Unit tests of the COCO writer: round trips through the reader, what standard COCO readers
 * need, ids, numbers, areas, and the atomic write to disk. */
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dq(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static struct dataset_doc *parse_text(const char *text, struct err *err)
{
	struct dataset_doc *doc = NULL;

	err_clear(err);
	if (coco_parse(text, strlen(text), NULL, NULL, &doc, err) < 0)
		return NULL;
	return doc;
}

static struct dataset_doc *parse_sq(const char *sq, struct err *err)
{
	char *text = dq(sq);
	struct dataset_doc *doc = parse_text(text, err);

	free(text);
	return doc;
}

/* serialize, then parse again */
static struct dataset_doc *round_trip(const struct dataset_doc *doc, char **text_out,
                                      struct err *err)
{
	struct dataset_doc *again = NULL;
	char *text = NULL;

	if (coco_serialize(doc, &text, err) == 0)
		again = parse_text(text, err);
	if (again == NULL)
		printf("# %s\n", err->msg);
	if (text_out != NULL)
		*text_out = text;
	else
		free(text);
	return again;
}

/* ---- comparing documents ---- */

static char diff[512];

static int differ(const char *fmt, const char *a, const char *b)
{
	char what[256];

	snprintf(what, sizeof what, fmt, a ? a : "", "");
	snprintf(diff, sizeof diff, "%s: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Extras compare as JSON (member order aside). */
static int same_json(const char *a, const char *b)
{
	cJSON *ja = a ? cJSON_Parse(a) : NULL, *jb = b ? cJSON_Parse(b) : NULL;
	int same = (ja == NULL && jb == NULL) || cJSON_Compare(ja, jb, 1);

	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return same;
}

static int same_shape(const struct shape *a, const struct shape *b)
{
	if (!same_str(a->ext_id, b->ext_id))
		return differ("shape ext_id", a->ext_id, b->ext_id);
	if (a->kind != b->kind || a->label != b->label)
		return differ("kind or label of shape %s", a->ext_id, NULL);
	if (a->box.x != b->box.x || a->box.y != b->box.y || a->box.w != b->box.w ||
	    a->box.h != b->box.h)
		return differ("box of shape %s", a->ext_id, NULL);
	if (a->npoints != b->npoints || a->nparts != b->nparts)
		return differ("points of shape %s", a->ext_id, NULL);
	for (int i = 0; i < a->npoints; i++)
		if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y)
			return differ("a point of shape %s", a->ext_id, NULL);
	for (int i = 0; i < a->nparts; i++)
		if (a->part_ends[i] != b->part_ends[i])
			return differ("parts of shape %s", a->ext_id, NULL);
	if (!same_str(a->text, b->text))
		return differ("text", a->text, b->text);
	if (!same_json(a->extra_json, b->extra_json))
		return differ("shape extras", a->extra_json, b->extra_json);
	return 1;
}

static int same_asset(const struct asset *a, const struct asset *b)
{
	if (!same_str(a->ext_id, b->ext_id) || !same_str(a->filename, b->filename))
		return differ("asset", a->filename, b->filename);
	if (a->width != b->width || a->height != b->height || a->status != b->status)
		return differ("size or status of %s", a->filename, NULL);
	if (a->ntags != b->ntags)
		return differ("tags of %s", a->filename, NULL);
	for (int i = 0; i < a->ntags; i++)
		if (strcmp(a->tags[i], b->tags[i]) != 0)
			return differ("tag", a->tags[i], b->tags[i]);
	if (!same_json(a->extra_json, b->extra_json))
		return differ("asset extras", a->extra_json, b->extra_json);
	if (a->nshapes != b->nshapes)
		return differ("shape count of %s", a->filename, NULL);
	for (int i = 0; i < a->nshapes; i++)
		if (!same_shape(&a->shapes[i], &b->shapes[i]))
			return 0;
	return 1;
}

static int same_doc(const struct dataset_doc *a, const struct dataset_doc *b)
{
	diff[0] = '\0';
	if (a == NULL || b == NULL)
		return differ("a document is missing", NULL, NULL);
	if (!same_str(a->name, b->name))
		return differ("name", a->name, b->name);
	if (!same_json(a->extra_json, b->extra_json))
		return differ("top-level extras", a->extra_json, b->extra_json);
	if (a->nlabels != b->nlabels || a->nassets != b->nassets)
		return differ("label or asset count", NULL, NULL);
	for (int i = 0; i < a->nlabels; i++)
		if (!same_str(a->labels[i].ext_id, b->labels[i].ext_id) ||
		    !same_str(a->labels[i].name, b->labels[i].name) ||
		    !same_json(a->labels[i].extra_json, b->labels[i].extra_json))
			return differ("label", a->labels[i].name, b->labels[i].name);
	for (int i = 0; i < a->nassets; i++)
		if (!same_asset(&a->assets[i], &b->assets[i]))
			return 0;
	return 1;
}

static void report_diff(int same)
{
	if (!same)
		printf("# first difference: %s\n", diff);
}

/* ---- tests ---- */

static const char rich[] =
    "{'info': {'description': 'rich', 'year': ''}, 'licenses': [{'id': 0, 'name': ''}],"
    " 'categories': [{'id': 1, 'name': 'cat', 'supercategory': 'animal'},"
    "  {'id': 4, 'name': '\\u001b[31mred\\u001b[0m'}, {'id': 9, 'name': "
    "'\xe7\x8c\xab\\t\xd7\xa9'}],"
    " 'images': [{'id': 10, 'file_name': 'a b/\xe7\x8c\xab.jpg', 'width': 640, 'height': 480,"
    "   'license': 0, 'date_captured': 0, 'annotty_status': 'accepted',"
    "   'annotty_tags': ['night', '\\u202eevil']},"
    "  {'id': 11, 'file_name': 'tab\\there.png', 'width': 320, 'height': 200}],"
    " 'annotations': ["
    "  {'id': 100, 'image_id': 10, 'category_id': 4, 'bbox': [10, 20.5, 30, 40.25],"
    "   'area': 1207.5, 'iscrowd': 0, 'segmentation': [], 'attributes': {'occluded': true}},"
    "  {'id': 101, 'image_id': 11, 'category_id': 1, 'segmentation': [[0, 0, 10, 0, 10, 10,"
    "   0, 10], [20, 20, 30, 20, 25, 30.5]], 'bbox': [0, 0, 30, 30.5], 'iscrowd': 0},"
    "  {'id': 102, 'image_id': 10, 'category_id': 9, 'bbox': [0, 0, 1, 9], 'area': 20,"
    "   'iscrowd': 1, 'segmentation': {'counts': [0, 20, 30], 'size': [10, 5]}},"
    "  {'id': 103, 'image_id': 10, 'category_id': 9, 'bbox': [1, 2, 3, 4], 'iscrowd': 1,"
    "   'score': 0.87, 'segmentation': []},"
    "  {'id': 104, 'image_id': 11, 'category_id': 42, 'bbox': [1, 2, 3, 4],"
    "   'annotty_text': 'kept \\u001b text'},"
    "  {'id': 105, 'image_id': 10, 'category_id': 1, 'bbox': [5, 5, 10, 10],"
    "   'keypoints': [6, 7, 2, 8, 9, 2], 'num_keypoints': 2}]}";

static void test_round_trip(void)
{
	struct err err;
	struct dataset_doc *a = parse_sq(rich, &err), *b = NULL, *c = NULL;
	char *text = NULL;
	int same;

	if (!ok(a != NULL, "rich dataset parses (%s)", a ? "" : err.msg))
		return;
	b = round_trip(a, &text, &err);
	same = same_doc(a, b);
	ok(same, "parse, serialize, parse gives the same document");
	report_diff(same);
	c = round_trip(b, NULL, &err);
	ok(same_doc(b, c), "and again");
	ok(text != NULL && strstr(text, "\"name\":\"\\u001b[31mred\\u001b[0m\""),
	   "control characters escaped in the JSON text");
	ok(text != NULL && strstr(text, "\"file_name\":\"a b/\xe7\x8c\xab.jpg\""),
	   "UTF-8 written as it is");
	ok(text != NULL && strstr(text, "\"bbox\":[10,20.5,30,40.25]"), "numbers kept short");
	ok(text != NULL && strstr(text, "\"category_id\":42"), "unknown category id written back");
	if (b != NULL)
		is_int(b->nwarnings, 1, "only the unknown category warns again");
	free(text);
	dataset_doc_free(&a);
	dataset_doc_free(&b);
	dataset_doc_free(&c);
}

/* A document made in memory, as another source would give it. */
static struct dataset_doc *made_doc(void)
{
	struct dataset_doc *doc = dataset_doc_new();
	struct label *l;
	struct asset *a;
	struct shape *s;

	doc->name = strdup("made");
	doc->format = strdup("picsellia");
	l = dataset_doc_add_label(doc);
	l->ext_id = strdup("3f2a-uuid");
	l->name = strdup("car");
	l = dataset_doc_add_label(doc);
	l->name = strdup("no id");
	l = dataset_doc_add_label(doc);
	l->ext_id = strdup("12");
	l->name = strdup("twelve");
	a = dataset_doc_add_asset(doc);
	a->ext_id = strdup("asset-uuid-1");
	a->filename = strdup("one.jpg");
	a->width = 200;
	a->height = 100;
	a->status = REVIEW_SKIPPED;
	asset_add_tag(a, "t1");
	s = asset_add_shape(a);
	s->kind = SHAPE_LINE;
	s->label = 0;
	s->ext_id = strdup("7");
	shape_add_point(s, 0, 0);
	shape_add_point(s, 10.125, 5);
	shape_add_point(s, 20, 1.0 / 3);
	shape_end_part(s);
	shape_update_bounds(s);
	s = asset_add_shape(a);
	s->kind = SHAPE_POINT;
	s->label = 1;
	s->ext_id = strdup("7"); /* a duplicate id */
	shape_add_point(s, 12.5, 13.75);
	shape_end_part(s);
	shape_update_bounds(s);
	s = asset_add_shape(a);
	s->kind = SHAPE_CLASSIFICATION;
	s->label = 2;
	s->text = strdup("reads 'STOP'");
	a = dataset_doc_add_asset(doc);
	a->ext_id = strdup("5");
	a->filename = strdup("two.jpg");
	s = asset_add_shape(a);
	s->kind = SHAPE_POLYGON;
	s->label = 2;
	shape_add_point(s, 0, 0);
	shape_add_point(s, 4, 0);
	shape_add_point(s, 4, 3);
	shape_end_part(s);
	shape_add_point(s, 10, 10);
	shape_add_point(s, 12, 10);
	shape_add_point(s, 12, 12);
	shape_add_point(s, 10, 12);
	shape_end_part(s);
	s->box = (struct rect){99, 99, 1, 1}; /* stale: the writer derives it again */
	s = asset_add_shape(a);
	s->kind = SHAPE_BOX;
	s->label = -1;
	s->box = (struct rect){1, 2, 3, 4};
	return doc;
}

static const cJSON *item(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static double num_at(const cJSON *arr, int i)
{
	return cJSON_GetNumberValue(cJSON_GetArrayItem(arr, i));
}

/* What pycocotools-style readers rely on: lists, ids unique, references resolve. */
static void check_coco_shape(const cJSON *root)
{
	const cJSON *img, *ann, *cat;
	int bad = 0, n = 0;

	ok(cJSON_IsArray(item(root, "images")) && cJSON_IsArray(item(root, "annotations")) &&
	       cJSON_IsArray(item(root, "categories")),
	   "images, annotations and categories are lists");
	cJSON_ArrayForEach(ann, item(root, "annotations"))
	{
		int found_img = 0;
		n++;
		bad += !cJSON_IsNumber(item(ann, "id")) || !cJSON_IsNumber(item(ann, "image_id")) ||
		       !cJSON_IsNumber(item(ann, "category_id")) ||
		       cJSON_GetArraySize(item(ann, "bbox")) != 4 ||
		       !cJSON_IsNumber(item(ann, "area")) ||
		       !cJSON_IsNumber(item(ann, "iscrowd")) || item(ann, "segmentation") == NULL;
		cJSON_ArrayForEach(img, item(root, "images"))
		{
			if (cJSON_GetNumberValue(item(img, "id")) ==
			    cJSON_GetNumberValue(item(ann, "image_id")))
				found_img++;
		}
		bad += found_img != 1;
	}
	ok(n > 0 && bad == 0, "every annotation has numeric ids, bbox, area, iscrowd, "
	                      "segmentation and one image");
	bad = 0;
	cJSON_ArrayForEach(cat, item(root, "categories"))
	{
		bad += !cJSON_IsNumber(item(cat, "id")) || !cJSON_IsString(item(cat, "name"));
	}
	ok(bad == 0, "categories have numeric ids and names");
}

static const cJSON *ann_with_id(const cJSON *root, double id)
{
	const cJSON *ann;

	cJSON_ArrayForEach(ann, item(root, "annotations"))
	{
		if (cJSON_GetNumberValue(item(ann, "id")) == id)
			return ann;
	}
	return NULL;
}

static void test_writer_output(void)
{
	struct dataset_doc *doc = made_doc(), *back = NULL;
	struct err err;
	char *text = NULL;
	cJSON *root = NULL;
	const cJSON *img, *cat, *ann;

	if (!ok(coco_serialize(doc, &text, &err) == 0, "a made document serialises"))
		goto out;
	root = cJSON_Parse(text);
	if (!ok(root != NULL, "as valid JSON"))
		goto out;
	check_coco_shape(root);
	is_str(cJSON_GetStringValue(item(item(root, "info"), "description")), "made",
	       "info.description from the name");
	img = cJSON_GetArrayItem(item(root, "images"), 0);
	ok(cJSON_GetNumberValue(item(img, "id")) == 6, "uuid image gets an id above 5");
	is_str(cJSON_GetStringValue(item(img, "annotty_id")), "asset-uuid-1", "uuid kept");
	is_str(cJSON_GetStringValue(item(img, "annotty_status")), "skipped", "status written");
	ok(cJSON_GetArraySize(item(img, "annotty_tags")) == 1, "tags written");
	img = cJSON_GetArrayItem(item(root, "images"), 1);
	ok(cJSON_GetNumberValue(item(img, "id")) == 5 && item(img, "annotty_id") == NULL,
	   "integer ext_id is the id");
	ok(cJSON_IsArray(item(img, "annotty_tags")) &&
	       cJSON_GetArraySize(item(img, "annotty_tags")) == 0,
	   "tags always written");
	cat = cJSON_GetArrayItem(item(root, "categories"), 1);
	ok(cJSON_GetNumberValue(item(cat, "id")) > 12 && item(cat, "annotty_id") == NULL,
	   "label without ext_id gets a fresh id above the largest");
	ok(cJSON_GetNumberValue(item(cJSON_GetArrayItem(item(root, "categories"), 2), "id")) == 12,
	   "integer category id kept");
	ann = ann_with_id(root, 7);
	ok(ann != NULL && strcmp(cJSON_GetStringValue(item(ann, "annotty_type")), "line") == 0,
	   "line typed");
	ok(ann != NULL && cJSON_GetArraySize(item(ann, "annotty_points")) == 3, "line points");
	if (ann != NULL) {
		const cJSON *bb = item(ann, "bbox");
		ok(num_at(bb, 0) == 0 && num_at(bb, 2) == 20 && num_at(bb, 3) == 5,
		   "line bbox from its points");
	}
	ok(strstr(text, "[[0,0],[10.13,5],[20,0.33]]") ||
	       strstr(text, "[[0,0],[10.12,5],[20,0.33]]"),
	   "other values with 2 decimals");
	ann = ann_with_id(root, 8);
	ok(ann != NULL && strcmp(cJSON_GetStringValue(item(ann, "annotty_id")), "7") == 0,
	   "duplicate id gets a fresh one and keeps its ext_id");
	ok(ann != NULL && cJSON_GetArraySize(item(ann, "keypoints")) == 3 &&
	       num_at(item(ann, "keypoints"), 2) == 2 &&
	       cJSON_GetNumberValue(item(ann, "num_keypoints")) == 1,
	   "point as a COCO keypoint");
	ann = cJSON_GetArrayItem(item(root, "annotations"), 2);
	ok(ann != NULL &&
	       strcmp(cJSON_GetStringValue(item(ann, "annotty_type")), "classification") == 0 &&
	       num_at(item(ann, "bbox"), 2) == 200 && num_at(item(ann, "bbox"), 3) == 100,
	   "classification covers the image");
	is_str(cJSON_GetStringValue(item(ann, "annotty_text")), "reads 'STOP'", "text written");
	ann = cJSON_GetArrayItem(item(root, "annotations"), 3);
	ok(ann != NULL && item(ann, "annotty_type") == NULL, "no annotty_type for polygons");
	ok(ann != NULL && cJSON_GetArraySize(item(ann, "segmentation")) == 2 &&
	       cJSON_GetArraySize(cJSON_GetArrayItem(item(ann, "segmentation"), 1)) == 8,
	   "polygon parts as flat lists");
	ok(ann != NULL && cJSON_GetNumberValue(item(ann, "area")) == 10,
	   "polygon area by the shoelace formula over its parts");
	ok(ann != NULL && num_at(item(ann, "bbox"), 0) == 0 && num_at(item(ann, "bbox"), 2) == 12,
	   "stale box ignored: bbox from the points");
	ann = cJSON_GetArrayItem(item(root, "annotations"), 4);
	ok(ann != NULL && item(ann, "annotty_type") == NULL &&
	       cJSON_IsArray(item(ann, "segmentation")) &&
	       cJSON_GetArraySize(item(ann, "segmentation")) == 0 &&
	       cJSON_GetNumberValue(item(ann, "area")) == 12 &&
	       cJSON_GetNumberValue(item(ann, "iscrowd")) == 0,
	   "box: segmentation [], area w*h, iscrowd 0");
	ok(ann != NULL && cJSON_GetNumberValue(item(ann, "category_id")) == 0,
	   "a shape without label gets a category id no category has");
	back = parse_text(text, &err);
	ok(back != NULL && back->nassets == 2 && back->assets[0].nshapes == 3 &&
	       back->assets[0].shapes[0].kind == SHAPE_LINE &&
	       back->assets[0].shapes[1].kind == SHAPE_POINT &&
	       back->assets[0].shapes[2].kind == SHAPE_CLASSIFICATION &&
	       back->assets[1].shapes[0].kind == SHAPE_POLYGON,
	   "lines, points and classifications read back as themselves");
	if (back != NULL) {
		const struct shape *p = &back->assets[0].shapes[1];
		ok(p->points[0].x == 12.5 && p->points[0].y == 13.75, "point position back");
		is_str(back->assets[0].ext_id, "asset-uuid-1", "uuid ext_id back");
		is_str(back->labels[0].ext_id, "3f2a-uuid", "label uuid back");
		is_str(back->assets[0].shapes[1].ext_id, "7", "duplicate ext_id back");
		is_int(back->assets[0].status, REVIEW_SKIPPED, "status back");
		ok(back->assets[0].shapes[2].text &&
		       !strcmp(back->assets[0].shapes[2].text, "reads 'STOP'"),
		   "text back");
	}
out:
	cJSON_Delete(root);
	free(text);
	dataset_doc_free(&back);
	dataset_doc_free(&doc);
}

static void test_mask_area(void)
{
	static const char text[] =
	    "{'images': [{'id': 1, 'file_name': 'a.jpg', 'width': 5, 'height': 10}],"
	    " 'categories': [{'id': 1, 'name': 'x'}],"
	    " 'annotations': [{'id': 1, 'image_id': 1, 'category_id': 1, 'area': 33.5,"
	    "  'segmentation': {'counts': [12, 3, 15, 4, 16], 'size': [10, 5]}},"
	    "  {'id': 2, 'image_id': 1, 'category_id': 1, 'iscrowd': 1,"
	    "  'segmentation': {'counts': '<3?11', 'size': [10, 5]}}]}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, &err);
	char *out = NULL;
	cJSON *root = NULL;
	const cJSON *ann;

	if (!ok(doc != NULL && coco_serialize(doc, &out, &err) == 0, "masks serialise"))
		goto done;
	root = cJSON_Parse(out);
	ann = ann_with_id(root, 1);
	ok(ann && cJSON_GetNumberValue(item(ann, "area")) == 33.5, "mask keeps the source area");
	ok(ann && cJSON_IsArray(item(item(ann, "segmentation"), "counts")) &&
	       cJSON_GetArraySize(item(item(ann, "segmentation"), "counts")) == 5,
	   "mask keeps its RLE");
	ok(ann && num_at(item(ann, "bbox"), 0) == 1 && num_at(item(ann, "bbox"), 2) == 3 &&
	       num_at(item(ann, "bbox"), 3) == 5,
	   "mask bbox from the decoded RLE");
	ann = ann_with_id(root, 2);
	ok(ann && cJSON_GetNumberValue(item(ann, "area")) == 7, "without one, the RLE's area");
	ok(ann && strcmp(cJSON_GetStringValue(item(item(ann, "segmentation"), "counts")),
	                 "<3?11") == 0,
	   "compressed counts written back as they were");
	ok(ann && cJSON_GetNumberValue(item(ann, "iscrowd")) == 1, "iscrowd 1 kept");
done:
	cJSON_Delete(root);
	free(out);
	dataset_doc_free(&doc);
}

static void test_write_file(void)
{
	const char *dir = fx_tmpdir();
	struct dataset_doc *doc = made_doc(), *back = NULL;
	struct err err;
	struct rlimit old, small;
	char *before = NULL, *after = NULL;
	int rc;

	err_clear(&err);
	ok(coco_write_file(doc, fx_path(dir, "out.json"), &err) == 0, "writes a file (%s)",
	   err.msg);
	ok(coco_read_file(fx_path(dir, "out.json"), NULL, &back, &err) == 0 && back->nassets == 2,
	   "that reads back");
	dataset_doc_free(&back);
	is_int(fx_count_entries(dir), 1, "no temporary file left behind");

	rc = coco_write_file(doc, fx_path(dir, "no/such/folder/out.json"), &err);
	ok(rc < 0 && strstr(err.msg, "no/such/folder/out.json") &&
	       strstr(err.msg, "folder does not exist"),
	   "missing folder: %s", err.msg);
	is_int(fx_count_entries(dir), 1, "nothing created");

	/* a file size limit stands in for a full disk: the write fails part way */
	before = fx_read(fx_path(dir, "out.json"));
	getrlimit(RLIMIT_FSIZE, &old);
	small = old;
	small.rlim_cur = 100;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &small);
	rc = coco_write_file(doc, fx_path(dir, "out.json"), &err);
	setrlimit(RLIMIT_FSIZE, &old);
	ok(rc < 0 && strstr(err.msg, "cannot write") && strstr(err.msg, "out.json"),
	   "failed write reported: %s", err.msg);
	after = fx_read(fx_path(dir, "out.json"));
	ok(before != NULL && after != NULL && strcmp(before, after) == 0, "the old file is intact");
	is_int(fx_count_entries(dir), 1, "and the temporary file removed");
	free(before);
	free(after);

	/* through a symbolic link: the file it points to is replaced, the link stays */
	fx_write(dir, "real/target.json", "{}");
	ok(symlink("real/target.json", fx_path(dir, "link.json")) == 0, "a link to a file");
	err_clear(&err);
	ok(coco_write_file(doc, fx_path(dir, "link.json"), &err) == 0, "writes through it (%s)",
	   err.msg);
	{
		struct stat st;
		char *text = fx_read(fx_path(dir, "real/target.json"));
		ok(lstat(fx_path(dir, "link.json"), &st) == 0 && S_ISLNK(st.st_mode),
		   "the link is still a link");
		ok(text != NULL && strstr(text, "\"images\"") != NULL, "its target has the data");
		free(text);
	}
	rc = coco_write_file(doc, fx_path(dir, "real"), &err);
	ok(rc < 0 && strstr(err.msg, "real"), "a folder in the way: %s", err.msg);
	is_int(fx_count_entries(fx_path(dir, "real")), 1, "nothing left in the folder");
	dataset_doc_free(&doc);
}

static void test_numbers(void)
{
	struct dataset_doc *doc = dataset_doc_new();
	struct asset *a = dataset_doc_add_asset(doc);
	struct shape *s = asset_add_shape(a);
	struct err err;
	char *text = NULL;

	a->ext_id = strdup("1");
	a->filename = strdup("n.jpg");
	s->kind = SHAPE_BOX;
	s->box = (struct rect){-0.0001, 2.999, 1e6, 0.125};
	if (ok(coco_serialize(doc, &text, &err) == 0, "numbers serialise")) {
		ok(strstr(text, "\"bbox\":[0,3,1000000,0.12]") != NULL ||
		       strstr(text, "\"bbox\":[0,3,1000000,0.13]") != NULL,
		   "rounded to 2 decimals, trimmed, no -0");
		ok(strstr(text, "\"width\":0") != NULL, "unknown size written as 0");
	}
	free(text);
	dataset_doc_free(&doc);
}

int main(void)
{
	test_round_trip();
	test_writer_output();
	test_mask_area();
	test_numbers();
	test_write_file();
	fx_cleanup();
	return done_testing();
}
