/* Unit tests of the streaming COCO reader: on the same files it gives what the whole-document
 * reader gives (the same assets, shapes, labels and fields, byte for byte once written back,
 * and the same warnings and errors), whatever the order of the file's sections. */
#include "api/local/coco.h"
#include "core/doc_sink.h"
#include "core/err.h"
#include "core/model.h"
#include "api_fixture.h"
#include "tap.h"

static char *dq(const char *s)
{
	char *d = strdup(s);

	for (char *p = d; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static char *dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/* A sink that builds a dataset_doc again from the pieces. */
struct collect {
	struct dataset_doc *doc;
	int heads;
	int out_of_order; /* an asset whose index was not the next one */
};

static int c_head(void *ctx, const struct dataset_doc *head, struct err *err)
{
	struct collect *c = ctx;

	(void)head;
	(void)err;
	c->heads++;
	return c->doc->nassets == 0 ? 0 : -1;
}

static int c_asset(void *ctx, int index, const struct asset *a, struct err *err)
{
	struct collect *c = ctx;
	struct asset *d;

	(void)err;
	if (index != c->doc->nassets)
		c->out_of_order++;
	d = dataset_doc_add_asset(c->doc);
	d->ext_id = dup_or_null(a->ext_id);
	d->data_ext_id = dup_or_null(a->data_ext_id);
	d->annotation_ext_id = dup_or_null(a->annotation_ext_id);
	d->filename = dup_or_null(a->filename);
	d->path = dup_or_null(a->path);
	d->width = a->width;
	d->height = a->height;
	d->status = a->status;
	d->extra_json = dup_or_null(a->extra_json);
	for (int i = 0; i < a->ntags; i++)
		asset_add_tag(d, a->tags[i]);
	return 0;
}

/* Shapes may come before their asset: they wait in a side doc, keyed by index. */
static struct asset pending[64];

static int c_shape(void *ctx, int index, const struct shape *s, struct err *err)
{
	struct shape *d;

	(void)ctx;
	(void)err;
	if (index < 0 || index >= 64)
		return -1;
	d = asset_add_shape(&pending[index]);
	*d = *s;
	d->ext_id = dup_or_null(s->ext_id);
	d->text = dup_or_null(s->text);
	d->extra_json = dup_or_null(s->extra_json);
	d->points = NULL;
	d->npoints = 0;
	d->part_ends = NULL;
	d->nparts = 0;
	for (int i = 0; i < s->npoints; i++)
		shape_add_point(d, s->points[i].x, s->points[i].y);
	for (int i = 0; i < s->nparts; i++) {
		d->npoints = s->part_ends[i];
		shape_end_part(d);
	}
	d->npoints = s->npoints;
	return 0;
}

static const struct doc_sink collect_sink = {.head = c_head, .asset = c_asset, .shape = c_shape};

/* Reads path by streaming into a whole doc (head's fields moved in), or NULL. */
static struct dataset_doc *stream_read(const char *path, const char *images_dir, struct err *err)
{
	struct collect c = {.doc = dataset_doc_new()};
	struct dataset_doc *head = NULL;

	memset(pending, 0, sizeof pending);
	err_clear(err);
	if (coco_stream_file(path, images_dir, &collect_sink, &c, &head, err) < 0) {
		dataset_doc_free(&c.doc);
		for (int i = 0; i < 64; i++)
			asset_clear(&pending[i]);
		return NULL;
	}
	for (int i = 0; i < c.doc->nassets && i < 64; i++) {
		c.doc->assets[i].shapes = pending[i].shapes;
		c.doc->assets[i].nshapes = pending[i].nshapes;
		pending[i].shapes = NULL;
		pending[i].nshapes = 0;
	}
	for (int i = 0; i < 64; i++)
		asset_clear(&pending[i]);
	ok(c.heads == 1 && c.out_of_order == 0, "one head first, assets in order");
	c.doc->name = head->name;
	c.doc->format = head->format;
	c.doc->extra_json = head->extra_json;
	c.doc->labels = head->labels;
	c.doc->nlabels = head->nlabels;
	c.doc->warnings = head->warnings;
	c.doc->nwarnings = head->nwarnings;
	free(head->assets); /* emptied as the stream went (each asset handed on and dropped) */
	memset(head, 0, sizeof *head);
	dataset_doc_free(&head);
	return c.doc;
}

static int has_warning(const struct dataset_doc *doc, const char *w)
{
	for (int i = 0; i < doc->nwarnings; i++)
		if (strcmp(doc->warnings[i], w) == 0)
			return 1;
	return 0;
}

/* The same doc from both readers: written back identically, the same warnings. */
static void same(const char *what, const char *dir, const char *sq)
{
	char *text = dq(sq), *a = NULL, *b = NULL;
	struct dataset_doc *whole = NULL, *streamed;
	const char *path = fx_path(dir, "same.json");
	struct err err;
	int same_warnings;

	fx_write(dir, "same.json", text);
	free(text);
	err_clear(&err);
	ok(coco_read_file(path, NULL, &whole, &err) == 0, "%s: whole (%s)", what, err.msg);
	streamed = stream_read(path, NULL, &err);
	if (!ok(streamed != NULL && whole != NULL, "%s: streamed (%s)", what, err.msg)) {
		dataset_doc_free(&whole);
		return;
	}
	coco_serialize(whole, &a, &err);
	coco_serialize(streamed, &b, &err);
	ok(a != NULL && b != NULL && strcmp(a, b) == 0, "%s: the same dataset", what);
	if (a != NULL && b != NULL && strcmp(a, b) != 0) {
		tap_diag(a);
		tap_diag(b);
	}
	same_warnings = whole->nwarnings == streamed->nwarnings;
	for (int i = 0; i < whole->nwarnings && same_warnings; i++)
		same_warnings = has_warning(streamed, whole->warnings[i]);
	ok(same_warnings, "%s: the same %d warnings", what, whole->nwarnings);
	for (int i = 0; i < whole->nwarnings && !same_warnings; i++)
		tap_diag(whole->warnings[i]);
	for (int i = 0; i < streamed->nwarnings && !same_warnings; i++)
		tap_diag(streamed->warnings[i]);
	free(a);
	free(b);
	dataset_doc_free(&whole);
	dataset_doc_free(&streamed);
}

static const char cats[] = "'categories': [{'id': 1, 'name': 'cat', 'supercategory': 'animal'},"
                           " {'id': 2, 'name': 'dog'}, {'id': 2, 'name': 'dup'}, {'name': 'x'}]";
static const char images[] =
    "'images': [{'id': 10, 'file_name': 'a.jpg', 'width': 640, 'height': 480, 'license': 3,"
    " 'annotty_status': 'accepted', 'annotty_tags': ['night', 'rain']},"
    " {'id': 'eleven', 'file_name': 'b.jpg', 'width': 320, 'height': 200},"
    " {'id': 12, 'file_name': 'c.jpg'}, {'file_name': 'noid.jpg'}, 7,"
    " {'id': 10, 'file_name': 'again.jpg', 'width': 5, 'height': 5}]";
static const char anns[] =
    "'annotations': ["
    " {'id': 100, 'image_id': 10, 'category_id': 2, 'bbox': [10, 20.5, 30, 40], 'area': 1200,"
    "  'attributes': {'occluded': true, 'deep': [[1, [2, {'x': null}]]]}},"
    " {'id': 101, 'image_id': 'eleven', 'category_id': 1, 'segmentation': [[0, 0, 10, 0, 10,"
    "  10, 0, 10], [20, 20, 30, 20, 25, 30]], 'bbox': [0, 0, 30, 30]},"
    " {'id': 102, 'image_id': 10, 'category_id': 1},"
    " {'id': 103, 'image_id': 555, 'category_id': 1, 'bbox': [1, 1, 2, 2]},"
    " {'id': 104, 'image_id': 10, 'category_id': 99, 'bbox': [1, 1, 2, 2],"
    "  'annotty_text': 'caf\\u00e9 \\\"q\\\"'},"
    " {'id': 105, 'image_id': 'eleven', 'category_id': 1, 'bbox': [1e2, 2.5e-1, 3, 4]},"
    " {'id': 106, 'image_id': 10}, 'not an object']";

static void test_orders(void)
{
	const char *dir = fx_tmpdir();
	char text[8192];

	snprintf(text, sizeof text,
	         "{'info': {'description': 'zoo', 'year': 2024}, 'licenses': [{'id': 3}], %s, %s, "
	         "%s}",
	         cats, images, anns);
	same("categories, images, annotations", dir, text);
	snprintf(text, sizeof text, "{'info': {'year': 1}, %s, %s, %s, 'extra': [1, 'two']}",
	         images, anns, cats);
	same("categories last (as COCO's own files)", dir, text);
	snprintf(text, sizeof text, "{%s, %s, %s}", anns, cats, images);
	same("annotations first", dir, text);
	same("no annotations, no categories", dir, "{'images': [{'id': 1, 'file_name': 'x.jpg'}]}");
	same("sections not lists", dir,
	     "{'images': [{'id': 1, 'file_name': 'x.jpg'}], 'categories': 5, 'annotations': {}}");
	same("empty strings and nesting", dir,
	     "{'images': [{'id': 1, 'file_name': '', 'meta': {'a': {'b': [[], {}]}}}],"
	     " 'annotations': [{'id': 1, 'image_id': 1, 'bbox': [0, 0, 1, 1], 'x': ''}]}");
}

/* The error of the whole-document reader, word for word. */
static void same_error(const char *what, const char *dir, const char *name, const char *sq)
{
	char *text = dq(sq);
	struct dataset_doc *doc = NULL;
	struct err whole, streamed;
	const char *path = fx_path(dir, name);

	fx_write(dir, name, text);
	free(text);
	err_clear(&whole);
	ok(coco_read_file(path, NULL, &doc, &whole) < 0, "%s: an error whole", what);
	dataset_doc_free(&doc);
	doc = stream_read(path, NULL, &streamed);
	ok(doc == NULL, "%s: an error streamed", what);
	dataset_doc_free(&doc);
	is_str(streamed.msg, whole.msg, "%s: the same words", what);
}

static void test_errors(void)
{
	const char *dir = fx_tmpdir();
	struct err err;

	same_error("malformed", dir, "bad.json", "{\n  'images': [\n    {'id': 1,,}\n  ]\n}");
	same_error("cut short", dir, "cut.json", "{'images': [{'id': 1");
	same_error("text after", dir, "after.json", "{'images': []}\n  x");
	same_error("no images", dir, "foo.json", "{'foo': 1}");
	same_error("a list", dir, "list.json", "[{'image_id': 1, 'bbox': [1, 2, 3, 4]}]");
	same_error("a number", dir, "num.json", "42");
	same_error("images not a list", dir, "obj.json", "{'images': {}}");
	same_error("empty", dir, "empty.json", "");
	same_error("blank", dir, "blank.json", " \n\t\n");
	ok(stream_read(fx_path(dir, "missing.json"), NULL, &err) == NULL &&
	       strstr(err.msg, "missing.json"),
	   "a missing file: %s", err.msg);
	ok(stream_read(dir, NULL, &err) == NULL && strstr(err.msg, "folder"), "a folder: %s",
	   err.msg);
	fx_write(dir, "bom.json", "\xEF\xBB\xBF{\"images\": []}");
	same("a byte-order mark", dir, "\xEF\xBB\xBF{'images': []}");
}

int main(void)
{
	test_orders();
	test_errors();
	fx_cleanup();
	return done_testing();
}
