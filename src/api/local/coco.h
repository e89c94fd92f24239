/* COCO JSON (object detection / instance segmentation) reader and writer. */
#ifndef ANNOTTY_API_LOCAL_COCO_H
#define ANNOTTY_API_LOCAL_COCO_H

#include <stddef.h>

struct err;
struct dataset_doc;

#define COCO_MAX_BYTES ((size_t)1 << 30) /* a COCO file larger than 1 GiB is refused */

/* Parses COCO JSON text. json_dir is the folder of the JSON file and images_dir the --images
 * override (either may be NULL); they are used to find each image on disk (asset.path) and,
 * when the JSON does not say, its size. Problems that spare the rest of the dataset (an
 * annotation pointing at a missing image, an image file that is not there or not an image)
 * become doc->warnings; a file that is not COCO at all is an error. The caller owns *out. */
int coco_parse(const char *text, size_t len, const char *json_dir, const char *images_dir,
	       struct dataset_doc **out, struct err *err);
int coco_read_file(const char *json_path, const char *images_dir, struct dataset_doc **out,
		   struct err *err);

/* Serialises a dataset as COCO, with review status and tags as extension fields and every
 * kept extra field put back. The caller frees *out. */
int coco_serialize(const struct dataset_doc *doc, char **out, struct err *err);
/* Writes atomically (temporary file, fsync, rename). */
int coco_write_file(const struct dataset_doc *doc, const char *path, struct err *err);

/* Finds the COCO JSON inside a folder (a single .json, or a well-known name such as
 * annotations/instances_*.json, _annotations.coco.json). */
int coco_find_in_dir(const char *dir, char *out, size_t outsz, struct err *err);

#endif
