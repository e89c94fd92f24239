/* A plain folder of images with no annotations: a dataset to tag, classify and annotate from
 * scratch. Its first-level subfolders (train/, val/) are its splits when it has images only
 * inside them. An annotty.json side file (written by a YOLO export) gives status and tags. */
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define IMGDIR_DEPTH 3 /* images/train/cats/ */

/* label .txt files come with a YOLO layout, detected before; a README.txt is no annotation */
static const char *const annotation_exts[] = {"json", "xml", "yaml", "yml", NULL};

static int images_detect(const char *path)
{
	/* any annotation file means some other format, or one annotty cannot read: never
	 * open it as bare images and lose its annotations */
	return paths_is_dir(path) && local_dir_has(path, local_image_exts, IMGDIR_DEPTH) &&
	       !local_dir_has(path, annotation_exts, 2);
}

static int images_splits(const char *path, struct local_splits *out, struct err *err)
{
	struct local_files top;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (local_files_list(path, local_image_exts, 0, &top, err) < 0)
		return -1;
	if (top.n > 0 || (d = opendir(path)) == NULL) {
		local_files_clear(&top);
		return 0; /* images at the top: one dataset, no splits */
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char sub[PATH_MAX];
		if (e->d_name[0] != '.' && paths_join(sub, sizeof sub, path, e->d_name) == 0 &&
		    paths_is_dir(sub) && local_dir_has(sub, local_image_exts, IMGDIR_DEPTH - 1))
			rc = local_splits_add(out, e->d_name) < 0 ? err_set(err, "out of memory")
			                                          : 0;
	}
	closedir(d);
	if (out->n < 2)
		local_splits_clear(out); /* one subfolder is a folder, not a split */
	return rc;
}

static int images_read(const char *path, const char *split, const char *images_dir,
                       struct dataset_doc **out, struct err *err)
{
	struct local_files files;
	struct dataset_doc *doc = local_doc_new(path, "images");
	char root[PATH_MAX], full[PATH_MAX];
	int rc = -1;

	(void)images_dir; /* the folder is the images */
	*out = NULL;
	memset(&files, 0, sizeof files);
	if (doc == NULL)
		return err_set(err, "out of memory");
	if (split != NULL ? paths_join(root, sizeof root, path, split) < 0
	                  : (str_copy(root, path, sizeof root), 0)) {
		err_set(err, "path too long");
		goto out;
	}
	if (local_files_list(root, local_image_exts, IMGDIR_DEPTH, &files, err) < 0)
		goto out;
	for (size_t i = 0; i < files.n; i++) {
		if (paths_join(full, sizeof full, root, files.names[i]) < 0)
			continue;
		if (local_add_asset(doc, files.names[i], full) == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
	}
	if (local_read_side(doc, root, NULL, err) < 0)
		goto out;
	*out = doc;
	doc = NULL;
	rc = 0;
out:
	local_files_clear(&files);
	dataset_doc_free(&doc);
	return rc;
}

const struct local_format local_format_images = {
    .name = "images",
    .what = "a folder of images",
    .detect = images_detect,
    .splits = images_splits,
    .read = images_read,
};
