/* The backends annotty knows, for backend_open (backend.c): one open function per platform or
 * local format. A new platform adds its function here and one row in backend.c's table. */
#ifndef ANNOTTY_API_REGISTRY_H
#define ANNOTTY_API_REGISTRY_H

struct backend;
struct backend_locator;
struct err;

#include <stddef.h>

/* Local COCO JSON files and folders (api/local/backend_local.c). */
int backend_local_open(const struct backend_locator *loc, struct backend **out, struct err *err);
/* The other local formats (api/local/backend_formats.c): each opens a file or folder, and
 * its detect says whether a path looks like that format (a cheap look at names and first
 * bytes). A path may end in #SPLIT to open one split. */
int backend_voc_open(const struct backend_locator *loc, struct backend **out, struct err *err);
int backend_yolo_open(const struct backend_locator *loc, struct backend **out, struct err *err);
int backend_labelme_open(const struct backend_locator *loc, struct backend **out, struct err *err);
int backend_cvat_open(const struct backend_locator *loc, struct backend **out, struct err *err);
int backend_images_open(const struct backend_locator *loc, struct backend **out, struct err *err);
int backend_voc_detect(const char *path);
int backend_yolo_detect(const char *path);
int backend_labelme_detect(const char *path);
int backend_cvat_detect(const char *path);
int backend_images_detect(const char *path);
/* A COCO JSON file, or a folder with a JSON file at its top or in annotations/. */
int backend_coco_detect(const char *path);
/* What a path holds, for the message when no format reads it: "3 .xml files, 2 images". */
void backend_local_describe(const char *path, char *out, size_t outsz);

/* The Picsellia platform (api/picsellia/backend_picsellia.c). */
int backend_picsellia_open(const struct backend_locator *loc, struct backend **out,
                           struct err *err);

#endif
