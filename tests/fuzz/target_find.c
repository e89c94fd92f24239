/* Fuzz target: folder discovery, as annotty looks for a dataset's JSON in a folder and for
 * each image named by the JSON. The input is a list of lines: "+path" makes an empty file at
 * path inside a scratch folder (the first one ending in .json is the dataset's JSON), "?name"
 * is a file_name to look for. Every image found must be inside the scratch folder. */
#include "fuzz.h"

#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/err.h"
#include "core/paths.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char fuzz_target_name[] = "find";
const int fuzz_smoke_runs = 300;

#define MAX_FILES 32

static char root[PATH_MAX];

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	return ftw->level > 0 ? remove(path) : 0;
}

static int scratch(struct err *err)
{
	const char *tmp = getenv("TMPDIR");
	char made[PATH_MAX];

	if (root[0] == '\0') {
		snprintf(made, sizeof made, "%s/annotty-fuzz-find-XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (mkdtemp(made) == NULL || realpath(made, root) == NULL)
			return err_set(err, "cannot make a scratch folder");
	}
	nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* Makes root/rel and its folders; a name that leaves the folder is not made. */
static void make_file(const char *rel)
{
	char path[PATH_MAX];
	FILE *f;

	if (rel[0] == '/' || strstr(rel, "..") != NULL || rel[0] == '\0' ||
	    paths_join(path, sizeof path, root, rel) < 0)
		return;
	for (char *p = path + strlen(root) + 1; *p != '\0'; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
}

static int inside_root(const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(root);

	return realpath(path, real) != NULL && strncmp(real, root, n) == 0 && real[n] == '/';
}

static int look_up(const char *json, char **names, int nnames, struct err *err)
{
	struct coco_finder finder;
	char jpath[PATH_MAX];
	int rc = 0;

	if (paths_join(jpath, sizeof jpath, root, json) < 0 ||
	    coco_finder_init(&finder, jpath, NULL, err) < 0)
		return -1;
	for (int i = 0; i < nnames && rc == 0; i++) {
		char *found = coco_finder_locate(&finder, names[i]);
		if (found != NULL && !inside_root(found))
			rc = err_set(err, "'%s' was found outside the dataset, at %s", names[i],
			             found);
		free(found);
	}
	coco_finder_clear(&finder);
	return rc;
}

int fuzz_parse(const uint8_t *data, size_t len, struct err *err)
{
	char *text, *line, *save = NULL, *names[MAX_FILES], found[PATH_MAX];
	const char *json = NULL;
	int nnames = 0, rc;

	if (len == 0)
		return err_set(err, "empty input");
	if (scratch(err) < 0 || (text = malloc(len + 1)) == NULL)
		return err_set(err, "out of memory");
	memcpy(text, data, len);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save))
		if (line[0] == '+' && nnames < MAX_FILES) {
			make_file(line + 1);
			if (json == NULL && strstr(line + 1, ".json") != NULL)
				json = line + 1;
		} else if (line[0] == '?' && nnames < MAX_FILES) {
			names[nnames++] = line + 1;
		}
	/* a folder with no JSON, or several, is refused with a message: that is an answer too */
	rc = 0;
	if (coco_find_in_dir(root, found, sizeof found, NULL) == 0 && !inside_root(found))
		rc = err_set(err, "the JSON found is outside the folder: %s", found);
	if (rc == 0 && json != NULL && look_up(json, names, nnames, err) < 0)
		rc = -1;
	free(text);
	return rc;
}

int fuzz_seeds(struct fuzz_seed *seeds, int max)
{
	return max > 0 ? 0 : -1; /* every seed is a file under corpus/find/ */
}
