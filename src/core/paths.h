/* Where annotty keeps its files: the XDG base directories and the overrides. */
#ifndef ANNOTTY_CORE_PATHS_H
#define ANNOTTY_CORE_PATHS_H

#include <stddef.h>

struct err;

/* $ANNOTTY_CACHE if set (a database file path), else $XDG_CACHE_HOME/annotty/cache.db, else
 * ~/.cache/annotty/cache.db. Creates the parent folder. */
int paths_cache_db(char *out, size_t outsz, struct err *err);
/* A folder under $XDG_DATA_HOME/annotty (or ~/.local/share/annotty), created if missing. */
/* annotty.log, beside the cache database. */
int paths_log_file(char *out, size_t outsz, struct err *err);
int paths_data_dir(const char *sub, char *out, size_t outsz, struct err *err);
/* $XDG_CONFIG_HOME/annotty/config (or ~/.config/annotty/config); not created. */
int paths_config_file(char *out, size_t outsz, struct err *err);
/* mkdir -p */
int paths_mkdirs(const char *dir, struct err *err);
/* Absolute, normalised form of an existing path (realpath). */
int paths_absolute(const char *path, char *out, size_t outsz, struct err *err);
/* Joins a folder and a relative name into out; returns -1 when it does not fit. */
int paths_join(char *out, size_t outsz, const char *dir, const char *name);
int paths_is_dir(const char *path);
/* The absolute form of path worked out on the string, without touching the disk (a relative
 * path is taken from the current folder; ".", ".." and repeated slashes are resolved, links are
 * not). Returns -1 when it does not fit in out. */
int paths_normalize(const char *path, char *out, size_t outsz);
/* 1 when path is dir or lies under it, both compared as paths_normalize makes them. */
int paths_is_inside(const char *path, const char *dir);
int paths_is_file(const char *path);

/* The last part of a path (after its last slash), for a dataset that does not name itself. */
const char *path_base(const char *path);

#endif
