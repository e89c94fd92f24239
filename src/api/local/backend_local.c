/* The backend for local datasets (COCO JSON files for now), and the calls every backend is
 * used through. */
#include "api/backend.h"
#include "api/local/coco.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Size and modification time (to the nanosecond) of the file, and which images folder was
 * given: asset paths depend on it, so a different --images must read the dataset again. */
static int local_fingerprint(const char *locator, const char *images_dir, char **out,
                             struct err *err)
{
	char text[128];
	struct stat st;
	uint64_t images =
	    images_dir != NULL ? str_hash64(images_dir, strlen(images_dir), STR_HASH_SEED) : 0;
	char *copy;

	if (stat(locator, &st) < 0)
		return err_set(err, "cannot open %s: %s", locator, strerror(errno));
	snprintf(text, sizeof text, "size=%lld mtime=%lld.%09ld images=%016llx",
	         (long long)st.st_size, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
	         (unsigned long long)images);
	copy = strdup(text);
	if (copy == NULL)
		return err_set(err, "out of memory");
	free(*out);
	*out = copy;
	return 0;
}

static int local_load(struct backend *b, struct dataset_doc **out, struct err *err)
{
	/* taken before reading, so that a change made while reading shows next time */
	if (local_fingerprint(b->locator, b->images_dir, &b->fingerprint, err) < 0)
		return -1;
	return coco_read_file(b->locator, b->images_dir, out, err);
}

static int local_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                      struct err *err)
{
	const char *path = out_path != NULL ? out_path : b->locator;

	if (coco_write_file(doc, path, err) < 0)
		return -1;
	/* the source now holds what was written: no need to read it back */
	if (strcmp(path, b->locator) == 0)
		return local_fingerprint(b->locator, b->images_dir, &b->fingerprint, err);
	return 0;
}

static void local_close(struct backend *b)
{
	(void)b; /* nothing beyond the common fields */
}

static const struct backend_ops local_coco_ops = {
    .kind = "coco",
    .load = local_load,
    .save = local_save,
    .close = local_close,
};

/* The JSON file that path names: itself, or the one found in the folder. */
static int local_json_path(const char *path, char *out, size_t outsz, struct err *err)
{
	char found[PATH_MAX];
	struct stat st;

	if (stat(path, &st) < 0)
		return err_set(err, "cannot open %s: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (coco_find_in_dir(path, found, sizeof found, err) < 0)
			return -1;
		path = found;
	} else if (!S_ISREG(st.st_mode)) {
		return err_set(err, "cannot open %s: not a regular file", path);
	}
	return paths_absolute(path, out, outsz, err);
}

static int local_images_dir(const char *images_dir, char **out, struct err *err)
{
	char abs[PATH_MAX];

	if (images_dir == NULL)
		return 0;
	if (!paths_is_dir(images_dir))
		return err_set(err, "the images folder %s does not exist", images_dir);
	if (paths_absolute(images_dir, abs, sizeof abs, err) < 0)
		return -1;
	*out = strdup(abs);
	return *out != NULL ? 0 : err_set(err, "out of memory");
}

int backend_open_local(const char *path, const char *images_dir, struct backend **out,
                       struct err *err)
{
	char json[PATH_MAX];
	struct backend *b = NULL;
	int rc = -1;

	*out = NULL;
	if (local_json_path(path, json, sizeof json, err) < 0)
		goto out;
	b = calloc(1, sizeof *b);
	if (b == NULL || (b->locator = strdup(json)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	b->ops = &local_coco_ops;
	if (local_images_dir(images_dir, &b->images_dir, err) < 0 ||
	    local_fingerprint(b->locator, b->images_dir, &b->fingerprint, err) < 0)
		goto out;
	*out = b;
	b = NULL;
	rc = 0;
out:
	backend_close(&b);
	return rc;
}

int backend_load(struct backend *b, struct dataset_doc **out, struct err *err)
{
	*out = NULL;
	return b->ops->load(b, out, err);
}

int backend_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                 struct err *err)
{
	if (b->ops->save == NULL)
		return err_set(err, "a %s source cannot be written", b->ops->kind);
	return b->ops->save(b, doc, out_path, err);
}

void backend_close(struct backend **bp)
{
	struct backend *b = *bp;

	if (b == NULL)
		return;
	if (b->ops != NULL && b->ops->close != NULL)
		b->ops->close(b);
	free(b->locator);
	free(b->images_dir);
	free(b->fingerprint);
	free(b);
	*bp = NULL;
}
