/* What the cache tests share: a scratch folder for databases, datasets built in memory, and a
 * deep comparison of two datasets. */
#ifndef ANNOTTY_TESTS_CACHE_FIXTURE_H
#define ANNOTTY_TESTS_CACHE_FIXTURE_H

#include <stddef.h>

struct dataset_doc;

/* A new empty folder under $TMPDIR (or /tmp); the caller frees the string. */
char *fixture_tmpdir(void);
/* Removes the folder and every file in it (databases with their -wal and -shm). */
void fixture_rmdir(char **dir);
/* dir/name into out. */
void fixture_path(char *out, size_t outsz, const char *dir, const char *name);

/* A dataset with every shape kind: labels with ext ids and extras, multi-part polygons,
 * lines, points, classifications with text, masks, assets with tags, statuses and extras.
 * Asset i is named "img_<i>.jpg" with ext_id "<i + 1>". */
struct dataset_doc *fixture_doc_rich(int nassets);

/* 0 when both datasets hold the same content (tags compared as sets); otherwise -1 with the
 * first difference described in why. */
int fixture_docs_compare(const struct dataset_doc *a, const struct dataset_doc *b, char *why,
                         size_t whysz);

struct shape;
/* The same for two shapes (label indexes compared as they are). */
int fixture_shapes_compare(const struct shape *x, const struct shape *y, char *why, size_t whysz);

/* Seconds on a monotonic clock. */
double fixture_now(void);

#endif
