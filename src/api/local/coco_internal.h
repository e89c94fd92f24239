/* Declarations shared by the files of the COCO reader and writer; not for use outside
 * src/api/local. */
#ifndef ANNOTTY_API_LOCAL_COCO_INTERNAL_H
#define ANNOTTY_API_LOCAL_COCO_INTERNAL_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

struct err;
struct rect;
struct shape;
struct asset;
struct dataset_doc;

/* ---- ids: JSON ids (numbers or strings) as text keys, and a table to look them up ---- */

#define COCO_KEY_MAX 128

/* The text of an id: a number in decimal, a string as it is. Returns -1 for other values. */
int coco_id_text(const cJSON *id, char *out, size_t outsz);

struct coco_key {
	char *key; /* NULL: an empty slot */
	int index;
};

struct coco_index {
	struct coco_key *slots;
	size_t cap; /* a power of two, or 0 */
	size_t n;
	size_t dups; /* keys added again (the first one is kept) */
};

int coco_index_add(struct coco_index *ix, const char *key, int index);
/* The index stored for key, or -1. */
int coco_index_find(const struct coco_index *ix, const char *key);
void coco_index_free(struct coco_index *ix);

/* ---- run-length masks ---- */

struct coco_rle {
	int64_t h;
	int64_t w;
	int64_t *counts; /* runs in column-major order, starting with zeros */
	size_t n;
};

/* Reads a segmentation object {"size": [h, w], "counts": [...] or "..."}. */
int coco_rle_read(const cJSON *seg, struct coco_rle *rle, struct err *err);
/* Decodes the compressed string form of counts. The caller frees *counts. */
int coco_rle_decode_counts(const char *s, int64_t **counts, size_t *n, struct err *err);
/* Box of the set pixels (all zero for an empty mask) and their number. */
void coco_rle_bounds(const struct coco_rle *rle, struct rect *box, double *area);
void coco_rle_clear(struct coco_rle *rle);

/* ---- annotations ---- */

/* What the annotation reader needs from the rest of the parse. */
struct coco_ann_ctx {
	struct dataset_doc *doc;
	const struct coco_index *images; /* JSON image id -> asset index */
	const struct coco_index *labels; /* JSON category id -> label index */
	/* streaming: each shape goes to emit (which does not keep it) instead of onto an asset of
	 * doc, and sizes holds each image's width and height (2 ints an image, n of them) */
	int (*emit)(void *arg, int image, const struct shape *s, struct err *err);
	void *emit_arg;
	const int *sizes;
	size_t nsizes;
	/* aggregated problems, reported once at the end */
	long missing_image;
	char missing_image_example[COCO_KEY_MAX];
	long unknown_label;
	char unknown_label_example[2 * COCO_KEY_MAX];
	long no_geometry;
	char no_geometry_example[COCO_KEY_MAX];
};

/* Adds one annotation object as a shape on its asset. Returns -1 only when out of memory. */
int coco_ann_read(struct coco_ann_ctx *ctx, const cJSON *ann, struct err *err);
/* Turns the aggregated counts into doc warnings. */
int coco_ann_finish(struct coco_ann_ctx *ctx, struct err *err);

/* ---- finding images on disk ---- */

#define COCO_FINDER_DIRS 8

struct coco_finder {
	char *dirs[COCO_FINDER_DIRS];
	int ndirs;
	/* the (folder, name or basename) pairs to try, in order */
	struct {
		int dir;
		int base;
	} tries[2 * COCO_FINDER_DIRS];
	int ntries;
	int last; /* the try that found the previous image: most datasets keep one layout */
	long missing;
	char missing_example[256];
	/* file names that lead out of every folder searched (../../etc/passwd, /etc/passwd) are
	 * not opened unless $ANNOTTY_IMAGES_ANYWHERE is 1 */
	int anywhere;
	long outside;
	char outside_example[256];
};

#define COCO_ANYWHERE_ENV "ANNOTTY_IMAGES_ANYWHERE"

int coco_finder_init(struct coco_finder *f, const char *json_path, const char *images_dir,
                     struct err *err);
/* The path of the image file, newly allocated, or NULL when not found (counted in missing). */
char *coco_finder_locate(struct coco_finder *f, const char *file_name);
void coco_finder_clear(struct coco_finder *f);

/* Width and height from an image file's header; -1 when unreadable. */
int coco_probe_size(const char *path, int *width, int *height, int *swapped_ok);

/* ---- extras: the JSON keys a reader does not interpret ---- */

/* Serialises the members of obj whose names are not in skip (NULL-terminated list) as a JSON
 * object; *out is NULL when none remain. Returns -1 when out of memory. */
int coco_extras(const cJSON *obj, const char *const *skip, char **out);

/* ---- the reader's state, shared by the whole-document and the streaming reader ---- */

/* Checking a declared size costs a file read; past this many images the check stops (the
 * first ones tell whether the JSON and the files agree). */
#define SIZE_CHECK_MAX 1000

struct coco_parse {
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

/* Top-level fields: the name (info.description), the format and the extras. */
int coco_read_top(struct coco_parse *p, const cJSON *root, const char *json_path);
/* One category as a label of p->doc. Returns -1 only when out of memory. */
int coco_read_category(struct coco_parse *p, const cJSON *cat);
/* One image as a new asset at the end of p->doc: 1 when added (key filled, COCO_KEY_MAX
 * bytes), 0 when skipped with a warning, -1 when out of memory. */
int coco_image_add(struct coco_parse *p, const cJSON *img, char *key);
/* The warnings after the categories, after the images (repeated ids) and about image files. */
int coco_categories_done(struct coco_parse *p);
int coco_images_done(struct coco_parse *p);
int coco_images_finish(struct coco_parse *p);

#endif
