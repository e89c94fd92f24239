/* The bundled demo dataset: street, park and harbour scenes painted on first use (so that no
 * image ships with annotty), annotated from the same geometry, with a few deliberate mistakes
 * for the user to find in review. */
#ifndef ANNOTTY_DEMO_DEMO_H
#define ANNOTTY_DEMO_DEMO_H

#include <stddef.h>

struct err;

#define DEMO_IMAGE_COUNT 64
#define DEMO_JSON_NAME   "annotations.json"
#define DEMO_IMAGES_DIR  "images"

/* Generates the demo dataset into dir: one JPEG per image in dir/images, and
 * dir/annotations.json (COCO). The files are written into a sibling folder, dir.tmp-PID, which
 * is renamed into place once complete (with a marker file), so an interrupted run never leaves
 * a dataset that looks whole; leftovers of killed runs are removed. A dir that already exists
 * is replaced, provided it is empty or an earlier demo. The output is the same, byte for byte,
 * on every run. progress (may be NULL) is called on the calling thread after each image.
 * Prints nothing. */
int demo_generate(const char *dir, void (*progress)(int done, int total, void *ctx), void *ctx,
                  struct err *err);

/* Whether dir holds a complete demo dataset written by this version of the generator. */
int demo_is_complete(const char *dir);

/* Generates the demo dataset into dir unless it is already there and complete, and fills
 * json_path with the path of its annotations.json. The _progress form reports as
 * demo_generate does, for a caller that shows the first run's wait. */
int demo_ensure(const char *dir, char *json_path, size_t json_pathsz, struct err *err);
int demo_ensure_progress(const char *dir, char *json_path, size_t json_pathsz,
                         void (*progress)(int done, int total, void *ctx), void *ctx,
                         struct err *err);

#endif
