/* File locations (see paths.h). */
#include "core/paths.h"
#include "core/err.h"
#include "core/str.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int paths_join(char *out, size_t outsz, const char *dir, const char *name)
{
	int n;

	if (dir == NULL || dir[0] == '\0' || name[0] == '/')
		n = snprintf(out, outsz, "%s", name);
	else if (dir[strlen(dir) - 1] == '/')
		n = snprintf(out, outsz, "%s%s", dir, name);
	else
		n = snprintf(out, outsz, "%s/%s", dir, name);
	return n < 0 || (size_t)n >= outsz ? -1 : 0;
}

int paths_mkdirs(const char *dir, struct err *err)
{
	char tmp[PATH_MAX];

	if (strlen(dir) >= sizeof tmp)
		return err_set(err, "path too long: %s", dir);
	strcpy(tmp, dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return err_set(err, "cannot create %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
		return err_set(err, "cannot create %s: %s", tmp, strerror(errno));
	return 0;
}

/* $VAR/annotty, or $HOME/fallback/annotty */
static int xdg_dir(const char *var, const char *fallback, char *out, size_t outsz, struct err *err)
{
	const char *base = getenv(var), *home = getenv("HOME");
	int n;

	if (base != NULL && base[0] == '/')
		n = snprintf(out, outsz, "%s/annotty", base);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(out, outsz, "%s/%s/annotty", home, fallback);
	else
		return err_set(err, "neither %s nor HOME is set", var);
	if (n < 0 || (size_t)n >= outsz)
		return err_set(err, "path too long under %s", var);
	return 0;
}

int paths_cache_db(char *out, size_t outsz, struct err *err)
{
	const char *override = getenv("ANNOTTY_CACHE");
	char dir[PATH_MAX];

	if (override != NULL && override[0] != '\0') {
		char *slash;
		if (strlen(override) >= outsz || strlen(override) >= sizeof dir)
			return err_set(err, "ANNOTTY_CACHE is too long");
		strcpy(out, override);
		strcpy(dir, override);
		slash = strrchr(dir, '/');
		if (slash != NULL && slash != dir) {
			*slash = '\0';
			return paths_mkdirs(dir, err);
		}
		return 0;
	}
	if (xdg_dir("XDG_CACHE_HOME", ".cache", dir, sizeof dir, err) < 0)
		return -1;
	if (paths_mkdirs(dir, err) < 0)
		return -1;
	if (paths_join(out, outsz, dir, "cache.db") < 0)
		return err_set(err, "cache path too long");
	return 0;
}

int paths_log_file(char *out, size_t outsz, struct err *err)
{
	char db[PATH_MAX];
	char *slash;

	if (paths_cache_db(db, sizeof db, err) < 0)
		return -1;
	slash = strrchr(db, '/');
	if (slash == NULL)
		str_copy(db, ".", sizeof db);
	else
		*slash = '\0';
	if (paths_join(out, outsz, db, "annotty.log") < 0)
		return err_set(err, "log path too long");
	return 0;
}

int paths_data_dir(const char *sub, char *out, size_t outsz, struct err *err)
{
	char dir[PATH_MAX];

	if (xdg_dir("XDG_DATA_HOME", ".local/share", dir, sizeof dir, err) < 0)
		return -1;
	if (paths_join(out, outsz, dir, sub) < 0)
		return err_set(err, "data path too long");
	return paths_mkdirs(out, err);
}

int paths_config_file(char *out, size_t outsz, struct err *err)
{
	char dir[PATH_MAX];

	if (xdg_dir("XDG_CONFIG_HOME", ".config", dir, sizeof dir, err) < 0)
		return -1;
	if (paths_join(out, outsz, dir, "config") < 0)
		return err_set(err, "config path too long");
	return 0;
}

int paths_absolute(const char *path, char *out, size_t outsz, struct err *err)
{
	char tmp[PATH_MAX];

	if (realpath(path, tmp) == NULL)
		return err_set(err, "%s: %s", path, strerror(errno));
	if (strlen(tmp) >= outsz)
		return err_set(err, "path too long: %s", tmp);
	strcpy(out, tmp);
	return 0;
}

int paths_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int paths_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL && slash[1] != '\0' ? slash + 1 : path;
}

/* Appends the components of rel to out (absolute, at length *len), resolving "." and "..". */
static int normalize_append(char *out, size_t outsz, size_t *len, const char *rel)
{
	while (*rel != '\0') {
		size_t n = strcspn(rel, "/");

		if (n == 2 && rel[0] == '.' && rel[1] == '.') {
			while (*len > 1 && out[*len - 1] != '/')
				(*len)--;
			if (*len > 1)
				(*len)--; /* the slash before the component dropped */
		} else if (n > 0 && !(n == 1 && rel[0] == '.')) {
			if (*len + (*len > 1) + n + 1 > outsz)
				return -1;
			if (*len > 1)
				out[(*len)++] = '/';
			memcpy(out + *len, rel, n);
			*len += n;
		}
		out[*len] = '\0';
		rel += n;
		rel += *rel == '/';
	}
	return 0;
}

int paths_normalize(const char *path, char *out, size_t outsz)
{
	char cwd[PATH_MAX];
	size_t len = 1;

	if (outsz < 2)
		return -1;
	out[0] = '/';
	out[1] = '\0';
	if (path[0] != '/' &&
	    (getcwd(cwd, sizeof cwd) == NULL || normalize_append(out, outsz, &len, cwd + 1) < 0))
		return -1;
	return normalize_append(out, outsz, &len, path);
}

int paths_is_inside(const char *path, const char *dir)
{
	char p[PATH_MAX], d[PATH_MAX];
	size_t n;

	if (paths_normalize(path, p, sizeof p) < 0 || paths_normalize(dir, d, sizeof d) < 0)
		return 0;
	n = strlen(d);
	if (n == 1)
		return 1; /* everything is under / */
	return strncmp(p, d, n) == 0 && (p[n] == '\0' || p[n] == '/');
}
