/* The backends annotty knows, for backend_open (backend.c): one open function per platform or
 * local format. A new platform adds its function here and one row in backend.c's table. */
#ifndef ANNOTTY_API_REGISTRY_H
#define ANNOTTY_API_REGISTRY_H

struct backend;
struct backend_locator;
struct err;

/* Local COCO JSON files and folders (api/local/backend_local.c). */
int backend_local_open(const struct backend_locator *loc, struct backend **out, struct err *err);
/* The Picsellia platform (api/picsellia/backend_picsellia.c). */
int backend_picsellia_open(const struct backend_locator *loc, struct backend **out,
                           struct err *err);

#endif
