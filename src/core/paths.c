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
