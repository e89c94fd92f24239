/* Unit tests of the COCO reader: geometry of every kind, categories, images found on disk,
 * sizes, warnings and errors, names kept byte for byte. */
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

#include <math.h>

/* JSON written with single quotes, which C strings make easier to read. */
static char *dq(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static struct dataset_doc *parse_sq(const char *sq, const char *json_path, const char *images_dir,
                                    struct err *err)
{
	struct dataset_doc *doc = NULL;
	char *text = dq(sq);

	err_clear(err);
	if (coco_parse(text, strlen(text), json_path, images_dir, &doc, err) < 0)
		doc = NULL;
	free(text);
	return doc;
}

/* Writes the JSON to dir/rel and reads it as a file. */
static struct dataset_doc *read_sq(const char *dir, const char *rel, const char *sq,
                                   const char *images_dir, struct err *err)
{
	struct dataset_doc *doc = NULL;
	char *text = dq(sq);
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	err_clear(err);
	if (fx_write(dir, rel, text) < 0 || coco_read_file(path, images_dir, &doc, err) < 0)
		doc = NULL;
	free(text);
	return doc;
}

static int warnings_with(const struct dataset_doc *doc, const char *needle)
{
	int n = 0;

	for (int i = 0; doc != NULL && i < doc->nwarnings; i++)
		n += strstr(doc->warnings[i], needle) != NULL;
	return n;
}

static void show_warnings(const struct dataset_doc *doc)
{
	for (int i = 0; doc != NULL && i < doc->nwarnings; i++)
		printf("# warning: %s\n", doc->warnings[i]);
}

static const struct shape *shape_by_id(const struct dataset_doc *doc, const char *id)
{
	for (int i = 0; doc != NULL && i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++)
			if (doc->assets[i].shapes[j].ext_id != NULL &&
			    strcmp(doc->assets[i].shapes[j].ext_id, id) == 0)
				return &doc->assets[i].shapes[j];
	return NULL;
}

static int box_is(const struct shape *s, double x, double y, double w, double h)
{
	if (s == NULL)
		return 0;
	if (s->box.x == x && s->box.y == y && s->box.w == w && s->box.h == h)
		return 1;
	printf("# box is %g,%g %gx%g, want %g,%g %gx%g\n", s->box.x, s->box.y, s->box.w, s->box.h,
	       x, y, w, h);
	return 0;
}

static const char zoo[] =
    "{'info': {'description': 'zoo', 'year': 2024}, 'licenses': [{'id': 3, 'name': 'CC'}],"
    " 'categories': [{'id': 1, 'name': 'cat', 'supercategory': 'animal'},"
    "  {'id': 2, 'name': 'dog', 'supercategory': 'animal'}, {'id': 7, 'name': 'bird'}],"
    " 'images': [{'id': 10, 'file_name': 'a.jpg', 'width': 640, 'height': 480, 'license': 3},"
    "  {'id': 11, 'file_name': 'b.jpg', 'width': 320, 'height': 200}],"
    " 'annotations': ["
    "  {'id': 100, 'image_id': 10, 'category_id': 7, 'bbox': [10, 20.5, 30, 40],"
    "   'area': 1200, 'iscrowd': 0, 'segmentation': [], 'attributes': {'occluded': true}},"
    "  {'id': 101, 'image_id': 11, 'category_id': 1, 'segmentation': [[0, 0, 10, 0, 10, 10, "
    "   0, 10], [20, 20, 30, 20, 25, 30]], 'bbox': [0, 0, 30, 30], 'area': 175, 'iscrowd': 0},"
    "  {'id': 102, 'image_id': 10, 'category_id': 2, 'bbox': [1, 2, 3, 4]}]}";

static void test_boxes_and_categories(void)
{
	struct err err;
	struct dataset_doc *doc = parse_sq(zoo, NULL, NULL, &err);
	const struct shape *s;

	if (!ok(doc != NULL, "a small COCO parses (%s)", doc ? "" : err.msg))
		return;
	is_str(doc->name, "zoo", "name from info.description");
	is_str(doc->format, "coco", "format");
	is_int(doc->nlabels, 3, "three categories");
	is_str(doc->labels[2].ext_id, "7", "non-contiguous category id kept as text");
	is_str(doc->labels[2].name, "bird", "category name");
	is_str(doc->labels[0].extra_json, "{\"supercategory\":\"animal\"}",
	       "supercategory kept as extra");
	ok(doc->labels[2].extra_json == NULL, "no extras when there are none");
	ok(doc->extra_json != NULL && strstr(doc->extra_json, "\"licenses\"") &&
	       strstr(doc->extra_json, "\"info\"") && !strstr(doc->extra_json, "images"),
	   "top-level extras keep info and licenses, not the lists");
	is_int(doc->nassets, 2, "two images");
	is_str(doc->assets[0].ext_id, "10", "image id as text");
	is_str(doc->assets[0].filename, "a.jpg", "file name");
	is_int(doc->assets[0].width, 640, "declared width");
	is_int(doc->assets[0].height, 480, "declared height");
	is_str(doc->assets[0].extra_json, "{\"license\":3}", "image extras");
	ok(doc->assets[0].path == NULL, "no path without a folder to look in");
	is_int(doc->assets[0].nshapes, 2, "annotations go to their image, in order");
	s = shape_by_id(doc, "100");
	ok(s != NULL && s->kind == SHAPE_BOX, "empty segmentation with a bbox is a box");
	ok(box_is(s, 10, 20.5, 30, 40), "box from bbox");
	is_int(s ? s->label : -2, 2, "category 7 is the third label");
	is_str(s ? s->extra_json : NULL, "{\"attributes\":{\"occluded\":true}}",
	       "unknown members kept; bbox, segmentation, area and iscrowd 0 are rewritten");
	s = shape_by_id(doc, "102");
	ok(s != NULL && s->kind == SHAPE_BOX && s->label == 1, "box without segmentation");
	ok(s != NULL && s->extra_json == NULL, "nothing else to keep");
	s = shape_by_id(doc, "101");
	ok(s != NULL && s->kind == SHAPE_POLYGON, "list of lists is a polygon");
	if (s != NULL && s->nparts == 2) {
		ok(s->npoints == 7 && s->part_ends[0] == 4 && s->part_ends[1] == 7,
		   "one part per inner list");
		ok(s->points[4].x == 20 && s->points[6].y == 30, "vertices in order");
	} else {
		ok(0, "two parts");
	}
	ok(box_is(s, 0, 0, 30, 30), "polygon box from its points");
	is_int(doc->nwarnings, 0, "no warnings");
	show_warnings(doc);
	dataset_doc_free(&doc);
}

static void test_rle(void)
{
	static const char text[] =
	    "{'categories': [{'id': 1, 'name': 'blob'}],"
	    " 'images': [{'id': 1, 'file_name': 'm.jpg', 'width': 5, 'height': 10}],"
	    " 'annotations': ["
	    "  {'id': 1, 'image_id': 1, 'category_id': 1, 'iscrowd': 1,"
	    "   'segmentation': {'counts': [12, 3, 15, 4, 16], 'size': [10, 5]}},"
	    "  {'id': 2, 'image_id': 1, 'category_id': 1, 'iscrowd': 1,"
	    "   'segmentation': {'counts': '<3?11', 'size': [10, 5]}},"
	    "  {'id': 3, 'image_id': 1, 'category_id': 1, 'bbox': [0, 0, 1, 9],"
	    "   'segmentation': {'counts': [0, 20, 30], 'size': [10, 5]}},"
	    "  {'id': 4, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': '=2>OL', 'size': [10, 4]}},"
	    "  {'id': 5, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': 'T35o2', 'size': [20, 10]}},"
	    "  {'id': 6, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': 'ab~', 'size': [10, 5]}},"
	    "  {'id': 7, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': [40, 20], 'size': [10, 5]}},"
	    "  {'id': 8, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': [50], 'size': [10, 5]}},"
	    "  {'id': 9, 'image_id': 1, 'category_id': 1,"
	    "   'segmentation': {'counts': [8, 4, 38], 'size': [10, 5]}}]}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, NULL, NULL, &err);
	const struct shape *s;

	if (!ok(doc != NULL, "RLE dataset parses (%s)", doc ? "" : err.msg))
		return;
	s = shape_by_id(doc, "1");
	ok(s != NULL && s->kind == SHAPE_MASK, "RLE object is a mask");
	ok(box_is(s, 1, 0, 3, 5), "uncompressed counts decoded to their box");
	ok(s != NULL && s->extra_json != NULL &&
	       strstr(s->extra_json, "\"segmentation\":{\"counts\":[12,3,15,4,16]"),
	   "the RLE itself is kept for writing back");
	ok(box_is(shape_by_id(doc, "2"), 1, 0, 3, 5), "compressed string decoded to the same box");
	ok(box_is(shape_by_id(doc, "3"), 0, 0, 1, 9), "bbox wins over decoding");
	ok(box_is(shape_by_id(doc, "4"), 1, 3, 2, 7),
	   "compressed counts with negative deltas from two back");
	ok(box_is(shape_by_id(doc, "5"), 5, 0, 1, 5), "multi-character counts");
	ok(shape_by_id(doc, "6") == NULL, "invalid RLE string without bbox is skipped");
	is_int(warnings_with(doc, "annotation 6: RLE"), 1, "with a warning naming it");
	ok(shape_by_id(doc, "7") == NULL, "counts covering more than the size are refused");
	ok(box_is(shape_by_id(doc, "8"), 0, 0, 0, 0), "an empty mask is kept with an empty box");
	ok(box_is(shape_by_id(doc, "9"), 0, 0, 2, 10),
	   "a run that wraps into the next column spans the full height");
	dataset_doc_free(&doc);
}

static void test_problems(void)
{
	static const char text[] =
	    "{'categories': [{'id': 1, 'name': 'a'}],"
	    " 'images': [{'id': 1, 'file_name': 'x.jpg', 'width': 100, 'height': 50}],"
	    " 'annotations': ["
	    "  {'id': 1, 'image_id': 1, 'category_id': 99, 'bbox': [1, 1, 2, 2]},"
	    "  {'id': 2, 'image_id': 555, 'category_id': 1, 'bbox': [1, 1, 2, 2]},"
	    "  {'id': 3, 'image_id': 1, 'category_id': 1, 'bbox': [1, 1, 2, 2],"
	    "   'segmentation': [[0, 0, 10, 0, 10], [0, 0, 4, 0, 4, 4]]},"
	    "  {'id': 4, 'image_id': 1, 'category_id': 1, 'bbox': [5, 6, 7, 8],"
	    "   'segmentation': [[0, 0, 1, 1]]},"
	    "  {'id': 5, 'image_id': 1, 'category_id': 1, 'segmentation': [[0, 0, 1]]},"
	    "  {'id': 6, 'image_id': 1, 'category_id': 1},"
	    "  {'image_id': 1, 'file_name': 'x.png', 'segments_info': []},"
	    "  {'id': 8, 'image_id': 1, 'category_id': 1, 'bbox': [1, 2, -3, 4]}]}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, NULL, NULL, &err);
	const struct shape *s;

	if (!ok(doc != NULL, "dataset with problems still parses (%s)", doc ? "" : err.msg))
		return;
	show_warnings(doc);
	s = shape_by_id(doc, "1");
	ok(s != NULL && s->label == -1, "unknown category: no label");
	ok(s != NULL && s->extra_json && strstr(s->extra_json, "\"category_id\":99"),
	   "unknown category id kept to write back");
	is_int(warnings_with(doc, "category 99"), 1, "unknown category warned once");
	ok(shape_by_id(doc, "2") == NULL, "annotation of a missing image is skipped");
	is_int(warnings_with(doc, "image id 555"), 1, "and warned");
	s = shape_by_id(doc, "3");
	ok(s != NULL && s->kind == SHAPE_POLYGON && s->nparts == 1 && s->npoints == 3,
	   "odd-length part skipped, the good one kept");
	is_int(warnings_with(doc, "annotation 3: 1 polygon part"), 1, "odd-length part warned");
	s = shape_by_id(doc, "4");
	ok(s != NULL && s->kind == SHAPE_BOX && box_is(s, 5, 6, 7, 8),
	   "polygon of 2 points falls back to its bbox");
	ok(shape_by_id(doc, "5") == NULL, "no polygon and no bbox: skipped");
	s = shape_by_id(doc, "6");
	ok(s != NULL && s->kind == SHAPE_CLASSIFICATION && box_is(s, 0, 0, 100, 50),
	   "category without geometry is an image-level classification");
	is_int(warnings_with(doc, "no bbox, segmentation or category"), 1,
	       "annotation without anything (panoptic) skipped with a warning");
	ok(shape_by_id(doc, "8") == NULL, "negative bbox size refused");
	is_int(doc->assets[0].nshapes, 4, "four shapes kept");
	dataset_doc_free(&doc);
}

static void test_annotty_kinds(void)
{
	static const char text[] =
	    "{'categories': [{'id': 1, 'name': 'a'}],"
	    " 'images': [{'id': 1, 'file_name': 'x.jpg', 'width': 100, 'height': 50,"
	    "  'annotty_status': 'rejected', 'annotty_tags': ['night', 'blurry', 'night', 3]},"
	    "  {'id': 2, 'file_name': 'y.jpg', 'width': 10, 'height': 10, 'annotty_status': "
	    "'maybe'}],"
	    " 'annotations': ["
	    "  {'id': 1, 'image_id': 1, 'category_id': 1, 'annotty_type': 'line',"
	    "   'annotty_points': [[0, 0], [10, 5], [20, 0]], 'annotty_text': 'road edge'},"
	    "  {'id': 2, 'image_id': 1, 'category_id': 1, 'annotty_type': 'point',"
	    "   'keypoints': [7, 8, 2], 'num_keypoints': 1},"
	    "  {'id': 3, 'image_id': 1, 'category_id': 1, 'annotty_type': 'point',"
	    "   'annotty_points': [[3.5, 4.25]], 'keypoints': [7, 8, 2]},"
	    "  {'id': 4, 'image_id': 1, 'category_id': 1, 'annotty_type': 'classification'},"
	    "  {'id': 5, 'image_id': 1, 'category_id': 1, 'annotty_type': 'line',"
	    "   'annotty_points': [[1, 1]]},"
	    "  {'id': 6, 'image_id': 1, 'category_id': 1, 'annotty_type': 'box',"
	    "   'bbox': [1, 2, 3, 4], 'annotty_id': 'uuid-6'}]}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, NULL, NULL, &err);
	const struct shape *s;

	if (!ok(doc != NULL, "annotty kinds parse (%s)", doc ? "" : err.msg))
		return;
	s = shape_by_id(doc, "1");
	ok(s && s->kind == SHAPE_LINE && s->npoints == 3 && s->nparts == 1, "line with 3 points");
	ok(box_is(s, 0, 0, 20, 5), "line box");
	is_str(s ? s->text : NULL, "road edge", "annotty_text");
	ok(s && s->extra_json == NULL, "line keeps no extension field as extra");
	s = shape_by_id(doc, "2");
	ok(s && s->kind == SHAPE_POINT && s->npoints == 1 && s->points[0].x == 7 &&
	       s->points[0].y == 8,
	   "point from keypoints");
	ok(s && s->extra_json == NULL, "a point's keypoints are not kept twice");
	s = shape_by_id(doc, "3");
	ok(s && s->points[0].x == 3.5 && s->points[0].y == 4.25, "annotty_points win for a point");
	s = shape_by_id(doc, "4");
	ok(s && s->kind == SHAPE_CLASSIFICATION && box_is(s, 0, 0, 100, 50),
	   "classification covers the image");
	ok(shape_by_id(doc, "5") == NULL, "line of one point skipped");
	is_int(warnings_with(doc, "annotation 5: a line needs"), 1, "with a warning");
	ok(shape_by_id(doc, "uuid-6") != NULL, "annotty_id is the ext_id");
	is_int(doc->assets[0].status, REVIEW_REJECTED, "annotty_status read");
	is_int(doc->assets[0].ntags, 2, "tags read once each, non-strings ignored");
	ok(doc->assets[0].ntags == 2 && strcmp(doc->assets[0].tags[1], "blurry") == 0,
	   "tags in order");
	ok(doc->assets[0].extra_json == NULL, "status and tags are not extras");
	is_int(doc->assets[1].status, REVIEW_PENDING, "unknown status is pending");
	is_int(warnings_with(doc, "unknown annotty_status \"maybe\""), 1, "and warned");
	dataset_doc_free(&doc);
}

static void test_ids_and_names(void)
{
	static const char text[] =
	    "{'info': {'description': ''},"
	    " 'categories': [{'id': 'c1', 'name': 'x'}, {'id': 5}],"
	    " 'images': [{'id': 'img-a', 'file_name': 'a.jpg'}, {'id': 7, 'file_name': 'b.jpg'},"
	    "  {'id': 7, 'file_name': 'c.jpg'}, {'file_name': 'noid.jpg'}],"
	    " 'annotations': [{'id': 'n1', 'image_id': 'img-a', 'category_id': 'c1',"
	    "   'bbox': [0, 0, 1, 1]}, {'id': 2, 'image_id': 7, 'category_id': 5,"
	    "   'bbox': [0, 0, 1, 1]}, {'id': 20180000001, 'image_id': 7, 'category_id': 5,"
	    "   'bbox': [0, 0, 1, 1]}]}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, "/nowhere/my_set.v2.json", NULL, &err);

	if (!ok(doc != NULL, "string ids parse (%s)", doc ? "" : err.msg))
		return;
	is_str(doc->name, "my_set.v2", "empty description: name from the file name");
	is_str(doc->labels[0].ext_id, "c1", "string category id");
	is_str(doc->labels[1].name, "5", "category without name is named by its id");
	is_str(doc->assets[0].ext_id, "img-a", "string image id");
	is_int(doc->assets[0].nshapes, 1, "annotation found its image by string id");
	is_int(doc->nassets, 3, "image without id skipped");
	is_int(warnings_with(doc, "without a usable id"), 1, "and warned");
	is_int(warnings_with(doc, "1 image repeats the id"), 1,
	       "duplicate image id warned, in the singular");
	is_int(doc->assets[1].nshapes, 2, "annotations go to the first of duplicates");
	ok(shape_by_id(doc, "20180000001") != NULL, "11-digit ids kept exactly");
	dataset_doc_free(&doc);
}

static void test_bytes_kept(void)
{
	static const char text[] =
	    "{'categories': [{'id': 1, 'name': '\\u001b]52;c;aGk=\\u0007evil'},"
	    "  {'id': 2, 'name': '\xe7\x8c\xab\\t\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d'}],"
	    " 'images': [{'id': 1, 'file_name': 'tab\\there\\u202e.jpg', 'width': 1, 'height': 1,"
	    "  'annotty_tags': ['\xe5\xa4\x9c\\u001b[2J']}],"
	    " 'annotations': []}";
	struct err err;
	struct dataset_doc *doc = parse_sq(text, NULL, NULL, &err);

	if (!ok(doc != NULL, "control characters parse (%s)", doc ? "" : err.msg))
		return;
	is_str(doc->labels[0].name,
	       "\x1b]52;c;aGk=\x07"
	       "evil",
	       "ESC and BEL kept in a label");
	is_str(doc->labels[1].name, "\xe7\x8c\xab\t\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",
	       "CJK, tab and Hebrew kept");
	is_str(doc->assets[0].filename, "tab\there\xe2\x80\xae.jpg", "file name with tab and RLO");
	ok(doc->assets[0].ntags == 1 && strcmp(doc->assets[0].tags[0], "\xe5\xa4\x9c\x1b[2J") == 0,
	   "tag with CSI kept");
	dataset_doc_free(&doc);
}

static void test_sizes_from_files(void)
{
	const char *dir = fx_tmpdir();
	struct err err;
	struct dataset_doc *doc;

	fx_jpeg(dir, "a.jpg", 7, 5);
	fx_png(dir, "b.png", 9, 4);
	fx_jpeg(dir, "c.jpg", 7, 5);
	fx_write(dir, "d.jpg", "not an image");
	doc = read_sq(dir, "set.json",
	              "{'images': [{'id': 1, 'file_name': 'a.jpg'},"
	              " {'id': 2, 'file_name': 'b.png', 'width': 0, 'height': 0},"
	              " {'id': 3, 'file_name': 'c.jpg', 'width': -5, 'height': 10},"
	              " {'id': 4, 'file_name': 'gone.jpg', 'width': 70000, 'height': 10},"
	              " {'id': 5, 'file_name': 'd.jpg'}], 'annotations': []}",
	              NULL, &err);
	if (!ok(doc != NULL, "sizes dataset reads (%s)", doc ? "" : err.msg))
		return;
	show_warnings(doc);
	ok(doc->assets[0].width == 7 && doc->assets[0].height == 5, "missing size from the JPEG");
	ok(doc->assets[1].width == 9 && doc->assets[1].height == 4, "zero size from the PNG");
	ok(doc->assets[2].width == 7 && doc->assets[2].height == 5,
	   "absurd size replaced by the file's");
	ok(doc->assets[3].width == 0 && doc->assets[3].height == 0,
	   "absurd size without a file is unknown");
	is_int(warnings_with(doc, "is not believable"), 2, "each absurd size is warned");
	is_int(warnings_with(doc, "not readable JPEG or PNG"), 1, "unreadable image warned");
	is_int(warnings_with(doc, "no known size"), 1, "unknown sizes summed up");
	/* one image, not "1 images" */
	is_int(warnings_with(doc, "1 image not found, e.g. gone.jpg"), 1, "missing file warned");
	dataset_doc_free(&doc);

	doc = read_sq(dir, "set2.json",
	              "{'images': [{'id': 1, 'file_name': 'a.jpg', 'width': 100, 'height': 100},"
	              " {'id': 2, 'file_name': 'c.jpg', 'width': 100, 'height': 90},"
	              " {'id': 3, 'file_name': 'b.png', 'width': 9, 'height': 4}]}",
	              NULL, &err);
	if (!ok(doc != NULL, "mismatch dataset reads (%s)", doc ? "" : err.msg))
		return;
	show_warnings(doc);
	ok(doc->assets[0].width == 100 && doc->assets[1].height == 90, "declared size kept");
	is_int(doc->nwarnings, 1, "one warning for all mismatches");
	is_int(warnings_with(doc, "2 of the 3 images checked"), 1, "with the count");
	dataset_doc_free(&doc);
}

/* Reads a one-image dataset and returns the path found for the image. */
static char *found_path(const char *dir, const char *json_rel, const char *file_name,
                        const char *images_dir)
{
	char sq[512];
	struct err err;
	struct dataset_doc *doc;
	char *path = NULL;

	snprintf(sq, sizeof sq,
	         "{'images': [{'id': 1, 'file_name': '%s', 'width': 7, 'height': 5}]}", file_name);
	doc = read_sq(dir, json_rel, sq, images_dir, &err);
	if (doc == NULL)
		printf("# %s\n", err.msg);
	else if (doc->assets[0].path != NULL)
		path = strdup(doc->assets[0].path);
	dataset_doc_free(&doc);
	return path;
}

static void check_layout(const char *what, const char *image_rel, const char *json_rel,
                         const char *file_name, int with_images_dir)
{
	const char *dir = fx_tmpdir();
	char want[4096], images_dir[4096], *got;

	fx_jpeg(dir, image_rel, 7, 5);
	snprintf(want, sizeof want, "%s/%s", dir, image_rel);
	snprintf(images_dir, sizeof images_dir, "%s/elsewhere/pics", dir);
	got = found_path(dir, json_rel, file_name, with_images_dir ? images_dir : NULL);
	is_str(got, want, "image found: %s", what);
	free(got);
}

static void test_layouts(void)
{
	const char *dir;
	struct err err;
	struct dataset_doc *doc;

	check_layout("images/ next to the JSON", "images/x.jpg", "set.json", "x.jpg", 0);
	check_layout("../images/", "images/x.jpg", "annotations/set.json", "x.jpg", 0);
	check_layout("next to the JSON", "x.jpg", "set.json", "x.jpg", 0);
	check_layout("the JSON's parent", "x.jpg", "annotations/set.json", "x.jpg", 0);
	check_layout("--images override", "elsewhere/pics/x.jpg", "set.json", "x.jpg", 1);
	check_layout("--images with a path in file_name", "elsewhere/pics/x.jpg", "set.json",
	             "train/x.jpg", 1);
	check_layout("basename next to the JSON", "x.jpg", "set.json", "/home/someone/data/x.jpg",
	             0);
	check_layout("subset folder of instances_val2017", "val2017/x.jpg",
	             "annotations/instances_val2017.json", "x.jpg", 0);
	check_layout("images/subset folder", "images/val/x.jpg", "annotations/instances_val.json",
	             "x.jpg", 0);
	check_layout("file_name with a folder", "images/train/x.jpg", "set.json", "train/x.jpg", 0);

	/* mixed layouts: the remembered folder must not hide the others */
	dir = fx_tmpdir();
	fx_jpeg(dir, "images/1.jpg", 7, 5);
	fx_jpeg(dir, "images/2.jpg", 7, 5);
	fx_jpeg(dir, "3.jpg", 7, 5);
	fx_jpeg(dir, "images/4.jpg", 7, 5);
	doc =
	    read_sq(dir, "set.json",
	            "{'images': [{'id': 1, 'file_name': '1.jpg'}, {'id': 2, 'file_name': '2.jpg'},"
	            " {'id': 3, 'file_name': '3.jpg'}, {'id': 4, 'file_name': '4.jpg'},"
	            " {'id': 5, 'file_name': 'nothere.jpg'}, {'id': 6, 'file_name': 'nor.jpg'}]}",
	            NULL, &err);
	if (ok(doc != NULL, "mixed layout reads (%s)", doc ? "" : err.msg)) {
		int found = 0;
		for (int i = 0; i < doc->nassets; i++)
			found += doc->assets[i].path != NULL;
		is_int(found, 4, "every present image found");
		is_str(doc->assets[2].path, fx_path(dir, "3.jpg"), "the odd one out too");
		is_int(warnings_with(doc, "not found"), 1, "one warning for the missing ones");
		is_int(warnings_with(doc, "2 images not found, e.g. nothere.jpg"), 1,
		       "with count and example");
		is_int(warnings_with(doc, "--images"), 1, "suggesting --images");
		ok(doc->assets[0].width == 7, "sizes read from the files found");
	}
	dataset_doc_free(&doc);

	/* the folder that found the previous image is tried first, before the usual order */
	dir = fx_tmpdir();
	fx_jpeg(dir, "images/1.jpg", 7, 5);
	fx_jpeg(dir, "images/2.jpg", 7, 5);
	fx_jpeg(dir, "2.jpg", 7, 5);
	doc = read_sq(
	    dir, "set.json",
	    "{'images': [{'id': 1, 'file_name': '1.jpg'}, {'id': 2, 'file_name': '2.jpg'}]}", NULL,
	    &err);
	if (ok(doc != NULL, "two copies read (%s)", doc ? "" : err.msg))
		is_str(doc->assets[1].path, fx_path(dir, "images/2.jpg"),
		       "the remembered folder wins over the one next to the JSON");
	dataset_doc_free(&doc);
}

static void test_errors(void)
{
	const char *dir = fx_tmpdir();
	struct dataset_doc *doc;
	struct err err;

	doc = read_sq(dir, "bad.json", "{\n  'images': [\n    {'id': 1,,}\n  ]\n}", NULL, &err);
	ok(doc == NULL, "malformed JSON is an error");
	ok(strstr(err.msg, fx_path(dir, "bad.json")) != NULL, "naming the file: %s", err.msg);
	ok(strstr(err.msg, "line 3, column 15") != NULL, "and where parsing stopped");
	doc = read_sq(dir, "cut.json", "{'images': [{'id': 1", NULL, &err);
	ok(doc == NULL && strstr(err.msg, "line 1"), "truncated JSON: %s", err.msg);
	doc = parse_sq("{'images': []}\n  x", NULL, NULL, &err);
	ok(doc == NULL && strstr(err.msg, "line 2, column 3"), "text after the JSON: %s", err.msg);
	doc = read_sq(dir, "foo.json", "{'foo': 1}", NULL, &err);
	ok(doc == NULL && strncmp(err.msg, "not a COCO file: ", 17) == 0 &&
	       strstr(err.msg, "foo.json"),
	   "JSON without images: %s", err.msg);
	doc = parse_sq("[{'image_id': 1, 'bbox': [1, 2, 3, 4], 'score': 0.5}]", NULL, NULL, &err);
	ok(doc == NULL && strstr(err.msg, "not a COCO file"), "a list: %s", err.msg);
	doc = parse_sq("{'images': {}}", NULL, NULL, &err);
	ok(doc == NULL && strstr(err.msg, "not a COCO file"), "images not a list: %s", err.msg);
	doc = read_sq(dir, "empty.json", "", NULL, &err);
	ok(doc == NULL && strstr(err.msg, "empty.json is empty"), "empty file: %s", err.msg);
	doc = read_sq(dir, "blank.json", " \n\t\n", NULL, &err);
	ok(doc == NULL && strstr(err.msg, "is empty"), "blank file: %s", err.msg);
	err_clear(&err);
	ok(coco_read_file(fx_path(dir, "missing.json"), NULL, &doc, &err) < 0 &&
	       strstr(err.msg, "missing.json"),
	   "missing file: %s", err.msg);
	ok(coco_read_file(dir, NULL, &doc, &err) < 0 && strstr(err.msg, "folder"), "a folder: %s",
	   err.msg);
	ok(coco_parse("{}", COCO_MAX_BYTES + 1, NULL, NULL, &doc, &err) < 0 &&
	       strstr(err.msg, "limit"),
	   "size cap: %s", err.msg);
	doc = parse_sq("\xEF\xBB\xBF{'images': []}", NULL, NULL, &err);
	ok(doc != NULL && doc->nassets == 0, "a byte-order mark is allowed");
	dataset_doc_free(&doc);
}

int main(void)
{
	test_boxes_and_categories();
	test_rle();
	test_problems();
	test_annotty_kinds();
	test_ids_and_names();
	test_bytes_kept();
	test_sizes_from_files();
	test_layouts();
	test_errors();
	fx_cleanup();
	return done_testing();
}
