/* Where the files of a COCO dataset are: each image on disk (the layouts exporters use), an
 * image's size from its header, and the JSON file inside a dataset folder. */
#include "api/local/coco_internal.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/imgprobe.h"
#include "core/paths.h"
#include "core/str.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- folders to search ---- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/'), *b = strrchr(path, '\\');

	/* file names written on Windows use backslashes */
	if (b != NULL && (s == NULL || b > s))
		s = b;
	return s != NULL ? s + 1 : path;
}

/* The folder part of a path ("." when it has none). */
static char *dir_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* The parent of a folder, worked out on the string (the caller passes a real path when it
 * matters): "a/b" -> "a", "b" -> ".", "." -> "..", "../x/.." -> "../x/../..". */
static char *parent_dir(const char *dir)
{
	const char *last = base_name(dir);
	char *p;

	if (strcmp(dir, "/") == 0)
		return strdup("/");
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0 || last[0] == '\0') {
		p = malloc(strlen(dir) + 4);
		if (p != NULL)
			sprintf(p, "%s/..", dir);
		return p;
	}
	return dir_name(dir);
}

/* "instances_train2017.json" -> "train2017": the official COCO layout keeps that subset's
 * images in a folder of that name. NULL when the name has no such part. */
static char *subset_name(const char *json_path)
{
	const char *base = base_name(json_path), *us = strrchr(base, '_'), *dot;

	if (us == NULL || us[1] == '\0')
		return NULL;
	dot = strchr(us + 1, '.');
	if (dot == us + 1)
		return NULL;
	return dot != NULL ? strndup(us + 1, (size_t)(dot - us - 1)) : strdup(us + 1);
}

static int finder_add_dir(struct coco_finder *f, const char *a, const char *b)
{
	char path[PATH_MAX];

	if (a == NULL || (b != NULL && paths_join(path, sizeof path, a, b) < 0))
		return 0; /* a folder we cannot name is a folder we do not search */
	if (b == NULL && str_copy(path, a, sizeof path) >= sizeof path)
		return 0;
	for (int i = 0; i < f->ndirs; i++)
		if (strcmp(f->dirs[i], path) == 0)
			return 0;
	if (f->ndirs == COCO_FINDER_DIRS)
		return 0;
	f->dirs[f->ndirs] = strdup(path);
	if (f->dirs[f->ndirs] == NULL)
		return -1;
	f->ndirs++;
	return 0;
}

static void finder_add_try(struct coco_finder *f, int dir, int base)
{
	f->tries[f->ntries].dir = dir;
	f->tries[f->ntries].base = base;
	f->ntries++;
}

static int finder_add_json_dirs(struct coco_finder *f, const char *json_path)
{
	char *jdir = NULL, *parent = NULL, *subset = NULL, *images = NULL;
	int rc = -1;

	jdir = dir_name(json_path);
	parent = jdir != NULL ? parent_dir(jdir) : NULL;
	subset = subset_name(json_path);
	images = parent != NULL ? malloc(strlen(parent) + sizeof "/images") : NULL;
	if (jdir == NULL || parent == NULL || images == NULL)
		goto out;
	sprintf(images, "%s/images", parent);
	if (finder_add_dir(f, jdir, NULL) < 0 || finder_add_dir(f, jdir, "images") < 0 ||
	    finder_add_dir(f, parent, "images") < 0 || finder_add_dir(f, parent, NULL) < 0)
		goto out;
	if (subset != NULL &&
	    (finder_add_dir(f, images, subset) < 0 || finder_add_dir(f, parent, subset) < 0))
		goto out;
	rc = 0;
out:
	free(jdir);
	free(parent);
	free(subset);
	free(images);
	return rc;
}

int coco_finder_init(struct coco_finder *f, const char *json_path, const char *images_dir,
                     struct err *err)
{
	int first_json_dir;

	const char *anywhere = getenv(COCO_ANYWHERE_ENV);

	memset(f, 0, sizeof *f);
	f->last = -1;
	f->anywhere = anywhere != NULL && strcmp(anywhere, "1") == 0;
	if (finder_add_dir(f, images_dir, NULL) < 0)
		goto oom;
	first_json_dir = f->ndirs;
	if (json_path != NULL && finder_add_json_dirs(f, json_path) < 0)
		goto oom;
	/* the --images folder first (name, then basename), then the name in each folder near
	 * the JSON, then the basename in each of them */
	for (int i = 0; i < first_json_dir; i++) {
		finder_add_try(f, i, 0);
		finder_add_try(f, i, 1);
	}
	for (int i = first_json_dir; i < f->ndirs; i++)
		finder_add_try(f, i, 0);
	for (int i = first_json_dir; i < f->ndirs; i++)
		finder_add_try(f, i, 1);
	return 0;
oom:
	coco_finder_clear(f);
	return err_set(err, "out of memory");
}

/* Whether path lies in one of the folders searched: a file name from a dataset may not lead
 * anywhere else on the disk. */
static int finder_inside(const struct coco_finder *f, const char *path)
{
	for (int i = 0; i < f->ndirs; i++)
		if (paths_is_inside(path, f->dirs[i]))
			return 1;
	return 0;
}

/* Tries one (folder, name) pair; returns the path when it names a file. *outside is set when
 * the name led out of the folders searched. */
static char *finder_try(const struct coco_finder *f, int t, const char *file_name, int *outside)
{
	const char *name = f->tries[t].base ? base_name(file_name) : file_name;
	char path[PATH_MAX];

	if (f->tries[t].base && name == file_name)
		return NULL; /* same as the plain try */
	if (paths_join(path, sizeof path, f->dirs[f->tries[t].dir], name) < 0)
		return NULL;
	if (!f->anywhere && !finder_inside(f, path)) {
		*outside = 1;
		return NULL;
	}
	return paths_is_file(path) ? strdup(path) : NULL;
}

char *coco_finder_locate(struct coco_finder *f, const char *file_name)
{
	char *path = NULL;
	int outside = 0;

	if (file_name[0] != '\0' && f->last >= 0)
		path = finder_try(f, f->last, file_name, &outside);
	for (int t = 0; path == NULL && file_name[0] != '\0' && t < f->ntries; t++) {
		if (t == f->last)
			continue;
		path = finder_try(f, t, file_name, &outside);
		if (path != NULL)
			f->last = t;
	}
	if (path == NULL && outside && f->outside++ == 0)
		str_copy(f->outside_example, file_name, sizeof f->outside_example);
	else if (path == NULL && f->missing++ == 0)
		str_copy(f->missing_example, file_name, sizeof f->missing_example);
	return path;
}

void coco_finder_clear(struct coco_finder *f)
{
	for (int i = 0; i < f->ndirs; i++)
		free(f->dirs[i]);
	memset(f, 0, sizeof *f);
	f->last = -1;
}

/* ---- image sizes ---- */

int coco_probe_size(const char *path, int *width, int *height, int *swapped_ok)
{
	/* most headers fit in the first 16 KiB; only a large EXIF block needs the full probe */
	unsigned char head[16384];
	struct image_probe probe;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, head, sizeof head);
	close(fd);
	if (n <= 0)
		return -1;
	if (imgprobe_mem(head, (size_t)n, &probe, NULL) < 0 &&
	    ((size_t)n < sizeof head || imgprobe_file(path, &probe, NULL) < 0))
		return -1;
	*width = probe.width;
	*height = probe.height;
	/* EXIF orientations 5..8 turn the picture a quarter: a tool that applied them declares
	 * the sides the other way round */
	*swapped_ok = probe.orientation >= 5;
	return 0;
}

/* ---- the JSON file inside a folder ---- */

struct json_names {
	char **names;
	int n;
};

static int has_json_ext(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcasecmp(name + len - 5, ".json") == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void json_names_clear(struct json_names *j)
{
	for (int i = 0; i < j->n; i++)
		free(j->names[i]);
	free(j->names);
	j->names = NULL;
	j->n = 0;
}

/* The visible .json files of dir, sorted; an unreadable or missing folder gives none. */
static int json_names_list(const char *dir, struct json_names *j, struct err *err)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = -1;

	memset(j, 0, sizeof *j);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char **grown, path[PATH_MAX];
		if (de->d_name[0] == '.' || !has_json_ext(de->d_name) ||
		    paths_join(path, sizeof path, dir, de->d_name) < 0 || !paths_is_file(path))
			continue;
		grown = realloc(j->names, (size_t)(j->n + 1) * sizeof *grown);
		if (grown == NULL)
			goto out;
		j->names = grown;
		if ((j->names[j->n] = strdup(de->d_name)) == NULL)
			goto out;
		j->n++;
	}
	if (j->n > 1)
		qsort(j->names, (size_t)j->n, sizeof *j->names, name_cmp);
	rc = 0;
out:
	closedir(d);
	if (rc < 0) {
		json_names_clear(j);
		err_set(err, "out of memory");
	}
	return rc;
}

/* The one name to take among several, or NULL when it is not clear. */
static const char *json_names_choose(const struct json_names *j)
{
	static const char *const known[] = {"_annotations.coco.json", "annotations.json",
	                                    "instances_default.json"};
	const char *instances = NULL;
	int ninstances = 0;

	if (j->n == 1)
		return j->names[0];
	for (size_t k = 0; k < sizeof known / sizeof *known; k++)
		for (int i = 0; i < j->n; i++)
			if (strcmp(j->names[i], known[k]) == 0)
				return j->names[i];
	for (int i = 0; i < j->n; i++) {
		if (strncmp(j->names[i], "instances_", 10) == 0) {
			instances = j->names[i];
			ninstances++;
		}
	}
	return ninstances == 1 ? instances : NULL;
}

static int json_names_ambiguous(const char *dir, const struct json_names *j, struct err *err)
{
	char list[256] = "";
	size_t used = 0;

	for (int i = 0; i < j->n && used < sizeof list; i++)
		used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
		                         j->names[i]);
	return err_set(err, "%s holds several JSON files (%s): open one of them", dir, list);
}

/* Looks in one folder; 1 when found, 0 when the folder has no JSON, -1 on error. */
static int find_in_one(const char *dir, char *out, size_t outsz, struct err *err)
{
	struct json_names j;
	const char *name;
	int rc = -1;

	if (json_names_list(dir, &j, err) < 0)
		return -1;
	if (j.n == 0) {
		rc = 0;
		goto out;
	}
	name = json_names_choose(&j);
	if (name == NULL) {
		json_names_ambiguous(dir, &j, err);
		goto out;
	}
	if (paths_join(out, outsz, dir, name) < 0) {
		err_set(err, "path too long: %s/%s", dir, name);
		goto out;
	}
	rc = 1;
out:
	json_names_clear(&j);
	return rc;
}

/* Names the subfolders that hold a dataset (train/, valid/, test/ of a split export), so that
 * the message says where to go; at most a few are listed. */
static int no_json_error(const char *dir, struct err *err)
{
	char splits[256] = "", sub[PATH_MAX], found[PATH_MAX], first[PATH_MAX] = "";
	size_t used = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d != NULL && (e = readdir(d)) != NULL && used + 2 < sizeof splits) {
		if (e->d_name[0] == '.' || paths_join(sub, sizeof sub, dir, e->d_name) < 0 ||
		    !paths_is_dir(sub) || find_in_one(sub, found, sizeof found, NULL) != 1)
			continue;
		used += (size_t)snprintf(splits + used, sizeof splits - used, "%s%s/",
		                         used ? ", " : "", e->d_name);
		if (first[0] == '\0')
			snprintf(first, sizeof first, "%s", sub);
	}
	if (d != NULL)
		closedir(d);
	if (splits[0] != '\0')
		return err_set(err,
		               "no COCO JSON file in %s itself; its subfolders %s hold one: "
		               "open one of them, e.g. annotty %s",
		               dir, splits, first);
	return err_set(err, "no COCO JSON file in %s or %s/annotations", dir, dir);
}

int coco_find_in_dir(const char *dir, char *out, size_t outsz, struct err *err)
{
	char sub[PATH_MAX];
	int found;

	if (!paths_is_dir(dir))
		return err_set(err, "%s is not a folder", dir);
	found = find_in_one(dir, out, outsz, err);
	if (found != 0)
		return found < 0 ? -1 : 0;
	if (paths_join(sub, sizeof sub, dir, "annotations") < 0)
		return err_set(err, "path too long: %s", dir);
	found = find_in_one(sub, out, outsz, err);
	if (found != 0)
		return found < 0 ? -1 : 0;
	return no_json_error(dir, err);
}
