/* COCO JSON (object detection / instance segmentation) reader and writer. */
#ifndef ANNOTTY_API_LOCAL_COCO_H
#define ANNOTTY_API_LOCAL_COCO_H

#include <stddef.h>

struct err;
struct dataset_doc;
struct doc_sink;

#define COCO_MAX_BYTES ((size_t)1 << 30) /* a COCO file larger than 1 GiB is refused */
#define COCO_MAX_SIDE  65500             /* declared image sides above this are not believed */

/* Parses COCO JSON text. json_path is the path of the JSON file and images_dir the --images
 * override (either may be NULL). The JSON file's folder and its neighbours (images/,
 * ../images/, the subset folder train2017/ of instances_train2017.json, ...) are searched for
 * each image (asset.path), and an image's size is read from its file when the JSON does not
 * say. doc->name is info.description, else json_path's file name without extension (else
 * "coco"). Problems that spare the rest of the dataset (an annotation pointing at a missing
 * image, an image file that is not there or not an image) become doc->warnings; a file that is
 * not COCO at all is an error. An image name that leads out of the folders searched and the
 * --images folder (../../etc/passwd, an absolute path elsewhere) is not opened, with a
 * warning, unless the environment sets ANNOTTY_IMAGES_ANYWHERE=1. The caller owns *out
 * (dataset_doc_free). */
int coco_parse(const char *text, size_t len, const char *json_path, const char *images_dir,
               struct dataset_doc **out, struct err *err);
/* Reads and parses a file; errors name the file. The caller owns *out. */
int coco_read_file(const char *json_path, const char *images_dir, struct dataset_doc **out,
                   struct err *err);

/* Reads a file as a stream in bounded memory (src/api/local/coco_stream.c): the head (name,
 * labels) goes to sink->head, then each image to sink->asset and each annotation to
 * sink->shape, in the file's order; the file is read twice (the first time for the
 * categories and the image ids). The warnings are those of coco_read_file; they are in
 * *head, which the caller owns (dataset_doc_free) and which has no assets. */
int coco_stream_file(const char *json_path, const char *images_dir, const struct doc_sink *sink,
                     void *ctx, struct dataset_doc **head, struct err *err);

/* Serialises a dataset as COCO, with review status and tags as extension fields and every
 * kept extra field put back. The text is strict JSON (json_out_strict): DEL and C1 controls
 * are escaped, bytes that are not UTF-8 become U+FFFD with a warning in the log naming the
 * first field. The caller frees *out (a NUL-terminated string). */
int coco_serialize(const struct dataset_doc *doc, char **out, struct err *err);
/* Writes atomically (temporary file in the same folder, fsync, rename): on failure the old
 * file is left as it was. */
int coco_write_file(const struct dataset_doc *doc, const char *path, struct err *err);

/* The export: streamed (one element in memory at a time) to path atomically (a temporary file
 * renamed), or to standard output for "-". Numbers keep their full precision. source (may be
 * NULL) is the COCO file the dataset was read from: then the source's key order and every
 * value the user did not change are written as the source had them (an untouched polygon's
 * bbox and area, numbers to the digit), and what the user edited is written anew (an edited
 * shape's bbox and area recomputed); objects made here follow the source's own in each list. */
int coco_export(const struct dataset_doc *doc, const char *source, const char *path,
                struct err *err);

/* Finds the COCO JSON inside a folder: the only .json there or in its annotations/ folder, or
 * a well-known name (_annotations.coco.json, annotations.json, a single instances_*.json).
 * Several candidates and no way to choose is an error that lists them. */
int coco_find_in_dir(const char *dir, char *out, size_t outsz, struct err *err);

#endif
