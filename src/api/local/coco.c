/* COCO JSON reader: the file as a whole, its top-level fields, categories and images
 * (annotations are read in coco_ann.c, image files found in coco_find.c). */
#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "core/num.h"
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Checking a declared size costs a file read; past this many images the check stops (the
 * first ones tell whether the JSON and the files agree). */
#define SIZE_CHECK_MAX 1000

struct parse {
	const char *source; /* for messages: the JSON path, or "the text" */
	struct dataset_doc *doc;
	struct coco_index images; /* JSON image id -> asset index */
	struct coco_index labels; /* JSON category id -> label index */
	struct coco_finder finder;
	int images_dir_given;
	long size_checked;
	long size_mismatch;
	char size_example[320];
	long unreadable;
	char unreadable_example[256];
	long no_size;
};

static const cJSON *member(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* ---- the JSON text ---- */

/* 1-based line and column (in characters) of byte offset pos. */
static void text_position(const char *text, size_t pos, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static int only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 0;
	return 1;
}

static int parse_json(struct parse *p, const char *text, size_t len, cJSON **root, struct err *err)
{
	const char *end = NULL;
	size_t skip = 0;
	int line, col;

	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		skip = 3; /* a byte-order mark, as some Windows tools write */
	if (only_space(text + skip, len - skip))
		return err_set(err, "%s is empty", p->source);
	/* the Opts variant reports where parsing stopped without cJSON's global error pointer,
	 * so that two threads can parse at once */
	*root = cJSON_ParseWithLengthOpts(text + skip, len - skip, &end, 0);
	if (*root == NULL || !only_space(end, len - (size_t)(end - text))) {
		if (end == NULL || end < text + skip || end > text + len)
			end = text + skip;
		while (*root != NULL && end < text + len && only_space(end, 1))
			end++; /* point at the text after the value, not at the space before it */
		text_position(text, (size_t)(end - text), &line, &col);
		cJSON_Delete(*root);
		*root = NULL;
		return err_set(err, "%s is not valid JSON: parsing stopped at line %d, column %d",
		               p->source, line, col);
	}
	if (!cJSON_IsObject(*root))
		return err_set(
		    err, "not a COCO file: %s is %s, not an object with \"images\"", p->source,
		    cJSON_IsArray(*root) ? "a list (detection results?)" : "a single value");
	if (!cJSON_IsArray(member(*root, "images")))
		return err_set(err, "not a COCO file: %s has no \"images\" list", p->source);
	return 0;
}

/* ---- top level ---- */

static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/'), *dot;

	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		return strdup(base);
	return strndup(base, (size_t)(dot - base));
}

static int read_top(struct parse *p, const cJSON *root, const char *json_path)
{
	static const char *const skip[] = {"images", "annotations", "categories", NULL};
	const cJSON *desc = member(member(root, "info"), "description");

	if (cJSON_IsString(desc) && desc->valuestring[0] != '\0')
		p->doc->name = strdup(desc->valuestring);
	else
		p->doc->name = json_path != NULL ? name_from_path(json_path) : strdup("coco");
	p->doc->format = strdup("coco");
	if (p->doc->name == NULL || p->doc->format == NULL)
		return -1;
	return coco_extras(root, skip, &p->doc->extra_json);
}

/* ---- categories ---- */

static int read_category(struct parse *p, const cJSON *cat)
{
	static const char *const skip[] = {"id", "annotty_id", "name", NULL};
	const cJSON *own = member(cat, "annotty_id"), *name = member(cat, "name");
	char key[COCO_KEY_MAX];
	struct label *label;

	if (coco_id_text(member(cat, "id"), key, sizeof key) < 0)
		return dataset_doc_warn(p->doc, "a category without a usable id was skipped (%s)",
		                        cJSON_IsString(name) ? name->valuestring : "no name");
	label = dataset_doc_add_label(p->doc);
	if (label == NULL)
		return -1;
	label->ext_id = strdup(cJSON_IsString(own) ? own->valuestring : key);
	label->name = strdup(cJSON_IsString(name) ? name->valuestring : key);
	if (label->ext_id == NULL || label->name == NULL)
		return -1;
	if (coco_extras(cat, skip, &label->extra_json) < 0)
		return -1;
	return coco_index_add(&p->labels, key, p->doc->nlabels - 1);
}

static int read_categories(struct parse *p, const cJSON *root)
{
	const cJSON *cats = member(root, "categories"), *cat;

	if (cats == NULL)
		return 0;
	if (!cJSON_IsArray(cats))
		return dataset_doc_warn(p->doc, "\"categories\" is not a list; ignored");
	cJSON_ArrayForEach(cat, cats)
	{
		if (read_category(p, cat) < 0)
			return -1;
	}
	if (p->labels.dups > 0)
		return dataset_doc_warn(p->doc,
		                        "%zu categories repeat the id of an earlier one; "
		                        "annotations get the first",
		                        p->labels.dups);
	return 0;
}

/* ---- images ---- */

static int read_review(struct parse *p, struct asset *a, const cJSON *img)
{
	const cJSON *status = member(img, "annotty_status"), *tags = member(img, "annotty_tags");
	const cJSON *tag;

	if (cJSON_IsString(status) && review_status_parse(status->valuestring, &a->status) < 0 &&
	    dataset_doc_warn(p->doc, "image %s: unknown annotty_status \"%s\"; pending", a->ext_id,
	                     status->valuestring) < 0)
		return -1;
	cJSON_ArrayForEach(tag, tags)
	{
		if (cJSON_IsString(tag) && asset_add_tag(a, tag->valuestring) < 0)
			return -1;
	}
	return 0;
}

/* The declared size, or 0x0 when missing; a size no image has is reported and dropped. */
static int declared_size(struct parse *p, struct asset *a, const cJSON *img)
{
	const cJSON *w = member(img, "width"), *h = member(img, "height");
	double dw = cJSON_IsNumber(w) ? w->valuedouble : 0;
	double dh = cJSON_IsNumber(h) ? h->valuedouble : 0;

	if (dw == 0 || dh == 0)
		return 0; /* not given: read from the file */
	if (!(dw >= 1 && dw <= COCO_MAX_SIDE && dh >= 1 && dh <= COCO_MAX_SIDE))
		return dataset_doc_warn(p->doc,
		                        "image %s (%s): declared size %gx%g is not believable; "
		                        "ignored",
		                        a->ext_id, a->filename, dw, dh);
	/* in range by the test above: the conversions cannot fail */
	(void)num_to_int(round(dw), 1, COCO_MAX_SIDE, &a->width);
	(void)num_to_int(round(dh), 1, COCO_MAX_SIDE, &a->height);
	return 0;
}

/* Fills an unknown size from the file, or compares a declared one with it. */
static void check_size(struct parse *p, struct asset *a)
{
	int w, h, swapped_ok, known = a->width > 0 && a->height > 0;

	if (a->path == NULL || (known && p->size_checked >= SIZE_CHECK_MAX))
		return;
	if (known)
		p->size_checked++;
	if (coco_probe_size(a->path, &w, &h, &swapped_ok) < 0) {
		if (p->unreadable++ == 0)
			str_copy(p->unreadable_example, a->path, sizeof p->unreadable_example);
		return;
	}
	if (!known) {
		a->width = w;
		a->height = h;
		return;
	}
	if ((a->width == w && a->height == h) || (swapped_ok && a->width == h && a->height == w))
		return;
	if (p->size_mismatch++ == 0)
		snprintf(p->size_example, sizeof p->size_example,
		         "%s declares %dx%d, the file is %dx%d", a->filename, a->width, a->height,
		         w, h);
}

static int image_fields(struct parse *p, struct asset *a, const cJSON *img, const char *key)
{
	static const char *const skip[] = {"id",           "annotty_id",   "file_name",
	                                   "width",        "height",       "annotty_status",
	                                   "annotty_tags", "annotty_task", NULL};
	const cJSON *own = member(img, "annotty_id"), *file = member(img, "file_name");

	a->ext_id = strdup(cJSON_IsString(own) ? own->valuestring : key);
	a->filename = strdup(cJSON_IsString(file) ? file->valuestring : "");
	if (a->ext_id == NULL || a->filename == NULL)
		return -1;
	if (!cJSON_IsString(file) &&
	    dataset_doc_warn(p->doc, "image %s has no file_name", a->ext_id) < 0)
		return -1;
	if (read_review(p, a, img) < 0 || coco_extras(img, skip, &a->extra_json) < 0)
		return -1;
	return declared_size(p, a, img);
}

static int read_image(struct parse *p, const cJSON *img)
{
	char key[COCO_KEY_MAX];
	struct asset *a;

	if (coco_id_text(member(img, "id"), key, sizeof key) < 0)
		return dataset_doc_warn(p->doc, "an image without a usable id was skipped");
	a = dataset_doc_add_asset(p->doc);
	if (a == NULL || image_fields(p, a, img, key) < 0)
		return -1;
	/* with no folder to look in (text parsed from memory), no image is "missing" */
	if (a->filename[0] != '\0' && p->finder.ntries > 0) {
		a->path = coco_finder_locate(&p->finder, a->filename);
		check_size(p, a);
	}
	if (a->width == 0 || a->height == 0) {
		a->width = 0;
		a->height = 0;
		p->no_size++;
	}
	return coco_index_add(&p->images, key, p->doc->nassets - 1);
}

static int read_images(struct parse *p, const cJSON *root)
{
	const cJSON *img;

	cJSON_ArrayForEach(img, member(root, "images"))
	{
		if (read_image(p, img) < 0)
			return -1;
	}
	if (p->images.dups > 0)
		return dataset_doc_warn(
		    p->doc, "%zu %s the id of an earlier one; annotations go to the first",
		    p->images.dups, p->images.dups == 1 ? "image repeats" : "images repeat");
	return 0;
}

/* "image" or "images" after a count. */
static const char *images_word(long n)
{
	return n == 1 ? "image" : "images";
}

/* One warning per kind of problem, however many images have it. */
static int images_finish(struct parse *p)
{
	struct dataset_doc *doc = p->doc;

	if (p->finder.missing > 0 &&
	    dataset_doc_warn(doc, "%ld %s not found, e.g. %s%s", p->finder.missing,
	                     images_word(p->finder.missing), p->finder.missing_example,
	                     p->images_dir_given ? "" : " (give the images folder with --images)") <
	        0)
		return -1;
	if (p->finder.outside > 0 &&
	    dataset_doc_warn(doc,
	                     "%ld image names lead out of the dataset's folders and were not "
	                     "opened, e.g. %s (set " COCO_ANYWHERE_ENV "=1 to allow it)",
	                     p->finder.outside, p->finder.outside_example) < 0)
		return -1;
	if (p->unreadable > 0 &&
	    dataset_doc_warn(doc, "%ld image %s not readable JPEG or PNG, e.g. %s", p->unreadable,
	                     p->unreadable == 1 ? "file is" : "files are",
	                     p->unreadable_example) < 0)
		return -1;
	if (p->size_mismatch > 0 &&
	    dataset_doc_warn(doc,
	                     "%ld of the %ld %s checked %s a size in the JSON that differs "
	                     "from the file (the JSON's is used), e.g. %s",
	                     p->size_mismatch, p->size_checked, images_word(p->size_checked),
	                     p->size_mismatch == 1 ? "has" : "have", p->size_example) < 0)
		return -1;
	if (p->no_size > 0 &&
	    dataset_doc_warn(doc, "%ld %s no known size (not in the JSON, no file)", p->no_size,
	                     p->no_size == 1 ? "image has" : "images have") < 0)
		return -1;
	return 0;
}

/* ---- annotations and the whole ---- */

static int read_annotations(struct parse *p, const cJSON *root, struct err *err)
{
	const cJSON *anns = member(root, "annotations"), *ann;
	struct coco_ann_ctx ctx = {.doc = p->doc, .images = &p->images, .labels = &p->labels};

	if (anns == NULL)
		return 0;
	if (!cJSON_IsArray(anns)) {
		if (dataset_doc_warn(p->doc, "\"annotations\" is not a list; ignored") < 0)
			return err_set(err, "out of memory");
		return 0;
	}
	cJSON_ArrayForEach(ann, anns)
	{
		if (cJSON_IsObject(ann) && coco_ann_read(&ctx, ann, err) < 0)
			return -1;
	}
	return coco_ann_finish(&ctx, err);
}

static int parse_sections(struct parse *p, const cJSON *root, const char *json_path,
                          struct err *err)
{
	if (read_top(p, root, json_path) < 0 || read_categories(p, root) < 0 ||
	    read_images(p, root) < 0 || images_finish(p) < 0)
		return err_set(err, "out of memory reading %s", p->source);
	return read_annotations(p, root, err);
}

int coco_parse(const char *text, size_t len, const char *json_path, const char *images_dir,
               struct dataset_doc **out, struct err *err)
{
	struct parse p = {.source = json_path != NULL ? json_path : "the text"};
	cJSON *root = NULL;
	int rc = -1;

	*out = NULL;
	if (len > COCO_MAX_BYTES) {
		err_set(err, "%s is larger than the %zu MiB limit", p.source, COCO_MAX_BYTES >> 20);
		goto out;
	}
	if (parse_json(&p, text, len, &root, err) < 0)
		goto out;
	p.doc = dataset_doc_new();
	if (p.doc == NULL || coco_finder_init(&p.finder, json_path, images_dir, err) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	p.images_dir_given = images_dir != NULL;
	if (parse_sections(&p, root, json_path, err) < 0)
		goto out;
	*out = p.doc;
	p.doc = NULL;
	rc = 0;
out:
	cJSON_Delete(root);
	coco_index_free(&p.images);
	coco_index_free(&p.labels);
	coco_finder_clear(&p.finder);
	dataset_doc_free(&p.doc);
	return rc;
}

int coco_read_file(const char *json_path, const char *images_dir, struct dataset_doc **out,
                   struct err *err)
{
	struct stat st;
	struct buf b;
	int rc = -1;

	*out = NULL;
	buf_init(&b, COCO_MAX_BYTES);
	if (stat(json_path, &st) < 0)
		return err_set(err, "cannot open %s: %s", json_path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return err_set(err, "%s is a folder, not a COCO file", json_path);
	/* refuse before reading a gigabyte */
	if ((unsigned long long)st.st_size > COCO_MAX_BYTES)
		return err_setk(err, ERR_TOO_LARGE, "%s is larger than the %zu MiB limit",
		                json_path, COCO_MAX_BYTES >> 20);
	if (buf_read_file(&b, json_path, err) < 0)
		goto out;
	rc = coco_parse((const char *)b.data, b.len, json_path, images_dir, out, err);
out:
	buf_free(&b);
	return rc;
}
