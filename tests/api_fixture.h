/* Temporary folders and small files (JSON, JPEG, PNG) made by the api tests themselves. */
#ifndef ANNOTTY_TESTS_API_FIXTURE_H
#define ANNOTTY_TESTS_API_FIXTURE_H

#include <stddef.h>

/* A new empty folder under $TMPDIR (or /tmp); exits the test when it cannot be made. The
 * string lives until fx_cleanup. */
const char *fx_tmpdir(void);
/* Removes every folder fx_tmpdir made. */
void fx_cleanup(void);
/* dir/rel, in a small ring of static buffers (good for a few uses at once). */
const char *fx_path(const char *dir, const char *rel);
/* Writes text to dir/rel, making the folders on the way. Returns 0 or -1. */
int fx_write(const char *dir, const char *rel, const char *text);
int fx_mkdirs(const char *dir, const char *rel);
/* A valid grey JPEG or PNG of that size at dir/rel. */
int fx_jpeg(const char *dir, const char *rel, int width, int height);
int fx_png(const char *dir, const char *rel, int width, int height);
/* The whole file as a string (the caller frees), or NULL. */
char *fx_read(const char *path);
/* Number of entries in a folder (not counting . and ..), or -1. */
int fx_count_entries(const char *dir);

#endif
