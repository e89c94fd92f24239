/* The version of the SQLite library the cache runs on, for diagnostics. */
#ifndef ANNOTTY_CACHE_VERSION_H
#define ANNOTTY_CACHE_VERSION_H

/* A static string owned by SQLite, e.g. "3.40.1". */
const char *cache_sqlite_version(void);

#endif
