/* The local formats besides COCO on small fixtures: labelme (every shape type, flags, the
 * embedded image), CVAT 1.1 (rotated boxes, polygons, polylines, points, tags, attributes,
 * subsets), VOC and YOLO, a plain folder of images, non-ASCII names, detection and the
 * message for a folder no format reads; and round trips through every writer: the same
 * shapes, labels, statuses and tags. */
#include "api/backend.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct dataset_doc *open_load(const char *path, const char *format, struct backend **b)
{
	struct dataset_doc *doc = NULL;
	struct err err;

	err_clear(&err);
	if (backend_open_local_as(path, format, NULL, b, &err) < 0 ||
	    backend_load(*b, &doc, &err) < 0)
		printf("# %s: %s\n", path, err.msg);
	return doc;
}

/* The asset whose file name holds name's last part (a YOLO name is images/a.jpg, a VOC one
 * a.jpg). */
static const struct asset *asset_named(const struct dataset_doc *doc, const char *name)
{
	const char *slash = strrchr(name, '/');

	name = slash != NULL ? slash + 1 : name;
	for (int i = 0; doc != NULL && i < doc->nassets; i++)
		if (doc->assets[i].filename && strstr(doc->assets[i].filename, name))
			return &doc->assets[i];
	return NULL;
}

static int count_kind(const struct asset *a, enum shape_kind k)
{
	int n = 0;

	for (int i = 0; a != NULL && i < a->nshapes; i++)
		n += a->shapes[i].kind == k;
	return n;
}

static int near(double a, double b)
{
	return fabs(a - b) < 1e-6 * fmax(1, fabs(b));
}

/* ---- labelme ---- */

static const char labelme_json[] =
    "{\"version\": \"5.2.1\", \"flags\": {\"night\": true, \"blurry\": false},\n"
    " \"shapes\": [\n"
    "  {\"label\": \"Stra\xc3\x9f"
    "enbahn\", \"points\": [[10, 20], [110, 70]],"
    " \"shape_type\": \"rectangle\", \"group_id\": null, \"flags\": {}},\n"
    "  {\"label\": \"\xe7\x8c\xab\", \"points\": [[1, 1], [50, 1], [30, 40]], \"shape_type\":"
    " \"polygon\"},\n"
    "  {\"label\": \"road\", \"points\": [[0, 0], [10, 10]], \"shape_type\": \"line\"},\n"
    "  {\"label\": \"road\", \"points\": [[0, 0], [10, 10], [20, 0]], \"shape_type\":"
    " \"linestrip\"},\n"
    "  {\"label\": \"eye\", \"points\": [[5, 6]], \"shape_type\": \"point\"},\n"
    "  {\"label\": \"ball\", \"points\": [[60, 50], [70, 50]], \"shape_type\": \"circle\"},\n"
    "  {\"label\": \"blob\", \"points\": [[1, 1]], \"shape_type\": \"mask\"}\n"
    " ],\n"
    " \"imagePath\": \"caf\xc3\xa9.jpg\", \"imageData\": null, \"imageHeight\": 100,"
    " \"imageWidth\": 200}\n";

static void test_labelme(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc;
	const struct asset *a;

	fx_write(dir, "set/caf\xc3\xa9.json", labelme_json);
	fx_jpeg(dir, "set/caf\xc3\xa9.jpg", 200, 100);
	doc = open_load(fx_path(dir, "set"), NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, "labelme") == 0, "a labelme folder is detected");
	a = asset_named(doc, "caf\xc3\xa9.jpg");
	if (!ok(a != NULL, "the image with a non-ASCII name is read"))
		goto out;
	is_int(a->nshapes, 6, "six shapes (the mask is skipped)");
	is_int(count_kind(a, SHAPE_BOX), 1, "a rectangle is a box");
	ok(near(a->shapes[0].box.w, 100) && near(a->shapes[0].box.h, 50), "of the right size");
	is_int(count_kind(a, SHAPE_POLYGON), 2, "a polygon, and the circle as one");
	is_int(count_kind(a, SHAPE_LINE), 2, "a line and a linestrip");
	is_int(count_kind(a, SHAPE_POINT), 1, "a point");
	ok(dataset_doc_find_label(doc, "Stra\xc3\x9f"
	                               "enbahn") >= 0 &&
	       dataset_doc_find_label(doc, "\xe7\x8c\xab") >= 0,
	   "non-ASCII label names");
	ok(a->ntags == 1 && strcmp(a->tags[0], "night") == 0, "the true flag is a tag");
	ok(doc->nwarnings == 1 && strstr(doc->warnings[0], "mask"),
	   "the mask is named in a warning");
out:
	dataset_doc_free(&doc);
	backend_close(&b);
}

/* a 2x2 PNG, base64 */
static const char tiny_png_b64[] = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVQI12P4z8D"
                                   "AwMAAAA0BAQCnAlTyAAAAAElFTkSuQmCC";

static void test_labelme_embedded(void)
{
	const char *dir = fx_tmpdir(), *cache = fx_tmpdir();
	char text[1024], db[512];
	struct backend *b = NULL;
	struct dataset_doc *doc;
	const struct asset *a;

	snprintf(db, sizeof db, "%s/cache.db", cache);
	setenv("ANNOTTY_CACHE", db, 1);
	snprintf(text, sizeof text,
	         "{\"shapes\": [{\"label\": \"x\", \"points\": [[0, 0], [1, 1]], \"shape_type\": "
	         "\"rectangle\"}], \"imagePath\": \"gone.png\", \"imageData\": \"%s\"}",
	         tiny_png_b64);
	fx_write(dir, "one.json", text);
	doc = open_load(fx_path(dir, "one.json"), NULL, &b);
	a = doc != NULL && doc->nassets == 1 ? &doc->assets[0] : NULL;
	ok(a != NULL && a->path != NULL && strncmp(a->path, cache, strlen(cache)) == 0,
	   "the embedded image is written beside the cache (%s)", a && a->path ? a->path : "none");
	ok(a != NULL && a->width == 2 && a->height == 2, "and its size read from it");
	is_int(fx_count_entries(dir), 1, "nothing is written beside the user's data");
	unsetenv("ANNOTTY_CACHE");
	dataset_doc_free(&doc);
	backend_close(&b);
}

/* ---- CVAT ---- */

static const char cvat_xml[] =
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<annotations>\n  <version>1.1</version>\n"
    "  <meta><task><labels>\n"
    "    <label><name>car</name></label><label><name>road</name></label>\n"
    "    <label><name>unused</name></label><label><name>sunny</name></label>\n"
    "  </labels></task></meta>\n"
    "  <image id=\"0\" name=\"a.jpg\" width=\"100\" height=\"50\" subset=\"train\">\n"
    "    <box label=\"car\" occluded=\"1\" xtl=\"10\" ytl=\"10\" xbr=\"30\" ybr=\"20\""
    " z_order=\"0\"><attribute name=\"color\">red</attribute></box>\n"
    "    <box label=\"car\" occluded=\"0\" xtl=\"40\" ytl=\"10\" xbr=\"60\" ybr=\"20\""
    " rotation=\"90\"></box>\n"
    "    <polygon label=\"road\" points=\"0,0;10,0;10,10\"/>\n"
    "    <polyline label=\"road\" points=\"0,40;100,40\"/>\n"
    "    <points label=\"car\" points=\"5,5\"/>\n"
    "    <tag label=\"sunny\" source=\"manual\"/>\n"
    "    <ellipse label=\"car\" cx=\"1\" cy=\"1\" rx=\"1\" ry=\"1\"/>\n"
    "  </image>\n"
    "  <image id=\"1\" name=\"b.jpg\" width=\"100\" height=\"50\" subset=\"val\"/>\n"
    "</annotations>\n";

static void test_cvat(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc, *val = NULL;
	struct container_list versions = {0};
	struct backend_page page = {0};
	struct err err;
	const struct asset *a;
	const struct shape *rot = NULL;

	fx_write(dir, "annotations.xml", cvat_xml);
	doc = open_load(dir, NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, "cvat") == 0, "a CVAT folder is detected");
	a = asset_named(doc, "a.jpg");
	if (!ok(a != NULL, "the image is read"))
		goto out;
	is_int(a->nshapes, 6,
	       "box, rotated box, polygon, polyline, point and tag (not the ellipse)");
	is_int(count_kind(a, SHAPE_BOX), 1, "one upright box");
	is_int(count_kind(a, SHAPE_POLYGON), 2, "the rotated box is a polygon, beside the polygon");
	for (int i = 0; i < a->nshapes; i++)
		if (a->shapes[i].extra_json && strstr(a->shapes[i].extra_json, "\"rotation\""))
			rot = &a->shapes[i];
	ok(rot && rot->npoints == 4 && near(rot->box.w, 10) && near(rot->box.h, 20),
	   "turned by 90 degrees: 10 wide, 20 high");
	is_int(count_kind(a, SHAPE_LINE), 1, "a polyline is a line");
	is_int(count_kind(a, SHAPE_CLASSIFICATION), 1, "a tag labels the image");
	ok(a->shapes[0].extra_json && strstr(a->shapes[0].extra_json, "\"color\":\"red\"") &&
	       strstr(a->shapes[0].extra_json, "\"occluded\":\"1\""),
	   "attributes are kept (%s)", a->shapes[0].extra_json ? a->shapes[0].extra_json : "");
	is_int(doc->nlabels, 4, "every label of <meta>, used or not");
	err_clear(&err);
	ok(backend_list(b, CONTAINER_VERSION, NULL, &versions, &err) == 0 && versions.n == 2 &&
	       strcmp(versions.items[0].name, "train") == 0 &&
	       strcmp(versions.items[1].name, "val") == 0,
	   "the subsets are the versions");
	if (ok(backend_pull(b, "val", NULL, &page, &err) == 0 && page.doc->nassets == 1,
	       "pulling a version gives its images only"))
		val = page.doc;
	(void)val;
out:
	backend_page_clear(&page);
	container_list_clear(&versions);
	dataset_doc_free(&doc);
	backend_close(&b);
}

/* ---- VOC and YOLO fixtures ---- */

static const char voc_xml[] =
    "<annotation><filename>p\xc3\xa4rk</filename>\n"
    " <object><name>Stra\xc3\x9f"
    "enbahn</name><difficult>1</difficult>"
    "<bndbox><xmax>50.5</xmax><xmin>10</xmin><ymin>5</ymin><ymax>25</ymax></bndbox>\n"
    "  <part><name>door</name><bndbox><xmin>12</xmin><ymin>6</ymin><xmax>20</xmax>"
    "<ymax>20</ymax></bndbox></part></object>\n"
    " <object><name>tree</name></object>\n"
    "</annotation>\n";

static void test_voc(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc;
	const struct asset *a;

	fx_write(dir, "Annotations/p\xc3\xa4rk.xml", voc_xml);
	fx_jpeg(dir, "JPEGImages/p\xc3\xa4rk.jpg", 64, 32);
	fx_write(dir, "ImageSets/Main/train.txt", "p\xc3\xa4rk\n");
	fx_write(dir, "ImageSets/Main/val.txt", "");
	doc = open_load(dir, NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, "voc") == 0, "a VOC folder is detected");
	a = asset_named(doc, "p\xc3\xa4rk");
	if (!ok(a != NULL && a->path != NULL,
	        "the image is found though <filename> has no extension"))
		goto out;
	ok(a->width == 64 && a->height == 32, "a missing <size> is read from the image");
	is_int(a->nshapes, 2, "the object and its part (the object without a box is skipped)");
	ok(near(a->shapes[0].box.x, 10) && near(a->shapes[0].box.w, 40.5),
	   "corners in any order, with decimals");
	ok(a->shapes[0].extra_json && strstr(a->shapes[0].extra_json, "\"difficult\":1"),
	   "difficult kept");
	ok(a->shapes[1].extra_json && strstr(a->shapes[1].extra_json, "voc_part_of"),
	   "the part knows its object");
	ok(doc->nwarnings >= 1, "the object without a box is warned about");
out:
	dataset_doc_free(&doc);
	backend_close(&b);
}

static void test_yolo(void)
{
	const char *dir = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc;
	const struct asset *a;

	fx_write(dir, "data.yaml",
	         "path: .\ntrain: images/train\nnames: {0: \"Stra\xc3\x9f"
	         "e\", 1: b}\n");
	fx_jpeg(dir, "images/train/x.jpg", 100, 50);
	fx_write(dir, "labels/train/x.txt",
	         "0 0.5 0.5 0.2 0.4\r\n"
	         "1 0.1 0.1 0.3 0.1 0.3 0.3\n"
	         "1 0.5 0.5 0.2 0.2 0.87\n"
	         "0 0.1 0.1 0.2 0.1 0.2 0.2 0.1 0.2\n"
	         "7 0.5 0.5 0.1 0.1\n"
	         "oops\n");
	doc = open_load(dir, NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, "yolo") == 0, "a data.yaml folder is detected");
	a = asset_named(doc, "x.jpg");
	if (!ok(a != NULL, "the image is read"))
		goto out;
	is_int(a->nshapes, 5, "five shapes, mixed in one file (CRLF too)");
	ok(near(a->shapes[0].box.x, 40) && near(a->shapes[0].box.w, 20) &&
	       near(a->shapes[0].box.h, 20),
	   "fractions of the size read from the image header");
	is_int(count_kind(a, SHAPE_POLYGON), 2, "a polygon and an oriented box");
	ok(a->shapes[2].extra_json && strstr(a->shapes[2].extra_json, "0.87"), "a confidence kept");
	ok(dataset_doc_find_label(doc, "Stra\xc3\x9f"
	                               "e") >= 0 &&
	       dataset_doc_find_label(doc, "7") >= 0,
	   "names from the map; an unknown class by its number");
	ok(doc->nwarnings == 1 && strstr(doc->warnings[0], "line 6"), "the bad line is named");
out:
	dataset_doc_free(&doc);
	backend_close(&b);
}

static void test_images_and_unknown(void)
{
	const char *dir = fx_tmpdir(), *other = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc;
	struct err err;

	fx_jpeg(dir, "a.jpg", 8, 8);
	fx_png(dir, "sub/b.png", 4, 4);
	doc = open_load(dir, NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, "images") == 0 && doc && doc->nassets == 2,
	   "a folder of images opens as a dataset to annotate");
	dataset_doc_free(&doc);
	backend_close(&b);

	fx_write(other, "notes.xml", "<?xml version=\"1.0\"?><svg/>");
	err_clear(&err);
	ok(backend_open_local_as(fx_path(other, "notes.xml"), NULL, NULL, &b, &err) < 0 &&
	       strstr(err.msg, "<svg>") && strstr(err.msg, "voc") && strstr(err.msg, "yolo") &&
	       strstr(err.msg, "labelme") && strstr(err.msg, "cvat"),
	   "an XML no format reads: its root named, the formats listed (%s)", err.msg);
	fx_write(other, "d/a.csv", "x");
	ok(backend_open_local_as(fx_path(other, "d"), NULL, NULL, &b, &err) < 0 &&
	       strstr(err.msg, "1 .csv file") && strstr(err.msg, "annotty reads"),
	   "a folder no format reads: what was found (%s)", err.msg);
	ok(backend_open_local_as(dir, "voc", NULL, &b, &err) == 0 &&
	       backend_load(b, &doc, &err) < 0 && strstr(err.msg, "not a Pascal VOC"),
	   "--format forces the reader: %s", err.msg);
	backend_close(&b);
}

/* ---- round trips ---- */

static int same_shapes(const struct dataset_doc *x, const struct asset *a,
                       const struct dataset_doc *y, const struct asset *b, int boxes_only)
{
	int n = 0;

	for (int i = 0; i < a->nshapes; i++) {
		const struct shape *s = &a->shapes[i], *t = NULL;
		if (boxes_only && s->kind != SHAPE_BOX)
			continue;
		for (int j = n; j < b->nshapes && t == NULL; j++)
			if (b->shapes[j].kind == s->kind)
				t = &b->shapes[j];
		if (t == NULL || !near(t->box.x, s->box.x) || !near(t->box.y, s->box.y) ||
		    !near(t->box.w, s->box.w) || !near(t->box.h, s->box.h) ||
		    t->npoints != s->npoints ||
		    strcmp(y->labels[t->label].name, x->labels[s->label].name) != 0) {
			printf("# shape %d of %s differs\n", i, a->filename);
			return 0;
		}
		for (int k = 0; k < s->npoints; k++)
			if (!near(t->points[k].x, s->points[k].x) ||
			    !near(t->points[k].y, s->points[k].y))
				return 0;
		n++;
	}
	return 1;
}

static int same_review(const struct asset *a, const struct asset *b)
{
	if (a->status != b->status || a->ntags != b->ntags)
		return 0;
	for (int i = 0; i < a->ntags; i++) {
		int found = 0;
		for (int j = 0; j < b->ntags; j++)
			found |= strcmp(a->tags[i], b->tags[j]) == 0;
		if (!found)
			return 0;
	}
	return 1;
}

static void round_trip(const char *what, struct dataset_doc *doc, const char *format,
                       const char *out, int boxes_only)
{
	struct export_options o = {.format = format, .images = EXPORT_IMAGES_LINK};
	struct backend *w = NULL, *b = NULL;
	struct dataset_doc *back = NULL;
	struct err err;
	int same = 1;

	err_clear(&err);
	if (!ok(backend_writer_open(&o, NULL, &w, &err) == 0 &&
	            backend_save(w, doc, out, &err) == 0,
	        "%s: written as %s (%s)", what, format, err.msg))
		goto out;
	back = open_load(out, NULL, &b);
	ok(b != NULL && strcmp(b->ops->kind, format) == 0, "%s: read back as %s", what, format);
	if (!ok(back != NULL && back->nassets == doc->nassets, "%s: the same images", what))
		goto out;
	for (int i = 0; i < doc->nassets && same; i++) {
		const struct asset *a = &doc->assets[i];
		const struct asset *c = asset_named(back, a->filename);
		same = c != NULL && same_shapes(doc, a, back, c, boxes_only);
	}
	ok(same, "%s: the same shapes and labels in %s", what, format);
	same = 1;
	for (int i = 0; i < doc->nassets && same; i++) {
		const struct asset *c = asset_named(back, doc->assets[i].filename);
		same = c != NULL && same_review(&doc->assets[i], c);
	}
	ok(same, "%s: the same statuses and tags in %s", what, format);
out:
	dataset_doc_free(&back);
	backend_close(&b);
	backend_close(&w);
}

static void test_round_trips(void)
{
	const char *dir = fx_tmpdir(), *out = fx_tmpdir();
	struct backend *b = NULL;
	struct dataset_doc *doc;
	static const char *const formats[] = {"coco", "voc", "yolo", "labelme"};

	/* a YOLO source with boxes and polygons, reviewed here */
	fx_write(dir, "data.yaml",
	         "names: [car, \"Stra\xc3\x9f"
	         "e\"]\n");
	fx_jpeg(dir, "images/a.jpg", 100, 50);
	fx_jpeg(dir, "images/b.jpg", 64, 64);
	fx_write(dir, "labels/a.txt", "0 0.5 0.5 0.25 0.5\n1 0.1 0.1 0.5 0.1 0.5 0.5\n");
	fx_write(dir, "labels/b.txt", "1 0.25 0.25 0.5 0.5\n");
	doc = open_load(dir, NULL, &b);
	if (!ok(doc != NULL && doc->nassets == 2, "the source is read"))
		goto out;
	doc->assets[0].status = REVIEW_ACCEPTED;
	asset_add_tag(&doc->assets[0], "night");
	asset_add_tag(&doc->assets[0], "\xe5\xa4\x9c");
	doc->assets[1].status = REVIEW_REJECTED;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s%s", out, formats[i],
		         strcmp(formats[i], "coco") == 0 ? ".json" : "");
		round_trip("YOLO boxes and polygons", doc, formats[i], path,
		           strcmp(formats[i], "voc") == 0);
	}
out:
	dataset_doc_free(&doc);
	backend_close(&b);
}

int main(void)
{
	test_labelme();
	test_labelme_embedded();
	test_cvat();
	test_voc();
	test_yolo();
	test_images_and_unknown();
	test_round_trips();
	fx_cleanup();
	return done_testing();
}
