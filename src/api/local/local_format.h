/* The local formats besides COCO (Pascal VOC, YOLO, labelme, CVAT, a plain image folder): one
 * table of functions each, used by the local backend, and the helpers they share for folders,
 * images and output files. Not for use outside src/api/local. */
#ifndef ANNOTTY_API_LOCAL_FORMAT_H
#define ANNOTTY_API_LOCAL_FORMAT_H

#include <stddef.h>
#include <stdint.h>

struct err;
struct asset;
struct dataset_doc;
struct export_options;

#define LOCAL_SPLITS_MAX 16         /* train, val, test and a few more */
#define LOCAL_FILES_MAX  4000000    /* files listed in one folder walk */
#define LOCAL_TEXT_MAX   (64 << 20) /* one annotation file (XML, JSON, txt) */
#define LOCAL_SPLIT_SEP  '#'        /* PATH#SPLIT opens one split of a source */

/* The splits a source offers, in order. */
struct local_splits {
	char *names[LOCAL_SPLITS_MAX];
	int n;
};

struct local_format {
	const char *name; /* what --format takes: "voc" */
	const char *what; /* for messages: "Pascal VOC XML" */
	/* 1 when the file or folder at path is in this format (a cheap look, never an error) */
	int (*detect)(const char *path);
	/* The splits of the source at path (n = 0: none). */
	int (*splits)(const char *path, struct local_splits *out, struct err *err);
	/* The whole source, or one split of it (split NULL: every image once). images_dir is
	 * the --images override or NULL. The caller owns *out (dataset_doc_free). */
	int (*read)(const char *path, const char *split, const char *images_dir,
	            struct dataset_doc **out, struct err *err);
};

extern const struct local_format local_format_voc;
extern const struct local_format local_format_yolo;
extern const struct local_format local_format_labelme;
extern const struct local_format local_format_cvat;
extern const struct local_format local_format_images;

void local_splits_clear(struct local_splits *s);
/* Adds a split name unless it is there; -1 when out of memory. */
int local_splits_add(struct local_splits *s, const char *name);

/* ---- files and folders (local_scan.c) ---- */

/* A list of relative paths under a root, sorted bytewise. */
struct local_files {
	char **names;
	size_t n;
	size_t cap;
};

/* The files under dir (down to depth levels of folders; 0: dir only) whose names end in one
 * of exts (NULL-terminated, compared without case, without the dot: "xml"). Hidden files
 * and folders are skipped. */
int local_files_list(const char *dir, const char *const *exts, int depth, struct local_files *out,
                     struct err *err);
void local_files_clear(struct local_files *f);
int local_files_add(struct local_files *f, const char *name);
/* Whether the folder holds at least one file with one of exts (same rules, stops early). */
int local_dir_has(const char *dir, const char *const *exts, int depth);

extern const char *const local_image_exts[]; /* jpg, jpeg, png, bmp, ... */
int local_is_image_name(const char *name);
/* 1 when name ends in ".ext" (without case). */
int local_has_ext(const char *name, const char *ext);

/* The whole file, NUL-terminated, within LOCAL_TEXT_MAX. The caller frees *out. */
int local_read_text(const char *path, char **out, size_t *len, struct err *err);
/* The first bytes of a file (at most n-1), NUL-terminated; the length read, or -1. */
long local_peek(const char *path, char *buf, size_t n);

/* An image file beside a stem ("dir/name" + one of the image extensions, in either case):
 * the path, newly allocated, or NULL. */
char *local_find_image(const char *dir, const char *stem);
/* Width and height of an image file from its header; -1 when it cannot be read. */
int local_image_size(const char *path, int *width, int *height);

/* An asset for an image file: filename (as given) and path (may be NULL), its size read from
 * the file when width or height is 0. Returns the asset or NULL when out of memory. */
struct asset *local_add_asset(struct dataset_doc *doc, const char *filename, const char *path);

/* A dataset_doc named after the path's last part, of that format. */
struct dataset_doc *local_doc_new(const char *path, const char *format);
/* The index of the label of that name, added when new; -1 when out of memory. */
int local_label(struct dataset_doc *doc, const char *name);

/* The fingerprint of a folder source: every file's name, size and mtime under it (to depth),
 * hashed; or of one file. */
int local_fingerprint_tree(const char *path, int depth, const char *images_dir, char **out,
                           struct err *err);

/* "a/b/c.txt" -> "c"; into out. */
void local_stem(const char *name, char *out, size_t outsz);

/* ---- output (local_write.c) ---- */

/* Creates the output folder (and its parents). */
int local_out_dir(const char *dir, struct err *err);
/* Writes text to path atomically (a temporary file renamed over it). */
int local_write_text(const char *path, const char *text, size_t len, struct err *err);
/* Puts the asset's image file at dir/name as the options ask: a link, a copy, or nothing. */
int local_place_image(const struct asset *a, const char *dir, const char *name,
                      const struct export_options *o, struct err *err);
/* The annotty.json side file: each asset's review status and tags, by its file name in the
 * export, for formats that have no place of their own for them. keys[i] names assets[i]. */
int local_write_side(const struct dataset_doc *doc, const char *dir, const char *const *keys,
                     struct err *err);
/* Reads annotty.json beside a source (when there is one) into the assets whose key matches. */
int local_read_side(struct dataset_doc *doc, const char *dir, const char *const *keys,
                    struct err *err);

/* ---- writers ---- */

int voc_write_dir(const struct dataset_doc *doc, const char *dir, const struct export_options *o,
                  struct err *err);
int yolo_write_dir(const struct dataset_doc *doc, const char *dir, const struct export_options *o,
                   struct err *err);
int labelme_write_dir(const struct dataset_doc *doc, const char *dir,
                      const struct export_options *o, struct err *err);

#endif
