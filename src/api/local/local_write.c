/* What the folder writers (VOC, YOLO, labelme) share: the output folder, files written
 * atomically, the images linked or copied beside the annotations, and the annotty.json side
 * file for the review status and tags a format has no place for. */
#include "api/backend.h"
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIDE_FILE "annotty.json"

int local_out_dir(const char *dir, struct err *err)
{
	if (paths_is_file(dir))
		return err_setk(err, ERR_USAGE, "%s is a file: this format is written to a folder",
		                dir);
	return paths_mkdirs(dir, err);
}

static int write_fd(int fd, const char *text, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int local_write_text(const char *path, const char *text, size_t len, struct err *err)
{
	char tmp[PATH_MAX];
	int fd, rc = -1;

	if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof tmp)
		return err_set(err, "path too long: %s", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		return err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
	fchmod(fd, 0644);
	if (write_fd(fd, text, len) < 0 || fsync(fd) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	rc = 0;
out:
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}

static int copy_file(const char *from, const char *to, struct err *err)
{
	char buf[1 << 16], tmp[PATH_MAX];
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = -1;
	ssize_t n;

	tmp[0] = '\0';
	if (in < 0)
		return err_setk(err, ERR_IO, "cannot read %s: %s", from, strerror(errno));
	if (snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", to) >= (int)sizeof tmp ||
	    (out = mkostemp(tmp, O_CLOEXEC)) < 0) {
		tmp[0] = '\0';
		err_setk(err, ERR_IO, "cannot write %s: %s", to, strerror(errno));
		goto out;
	}
	fchmod(out, 0644);
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write_fd(out, buf, (size_t)n) < 0)
			break;
	if (n != 0 || close(out) < 0 || rename(tmp, to) < 0) {
		out = -1;
		err_setk(err, ERR_IO, "cannot copy %s to %s: %s", from, to, strerror(errno));
		goto out;
	}
	out = -1;
	tmp[0] = '\0';
	rc = 0;
out:
	if (out >= 0)
		close(out);
	if (tmp[0] != '\0')
		unlink(tmp);
	close(in);
	return rc;
}

int local_place_image(const struct asset *a, const char *dir, const char *name,
                      const struct export_options *o, struct err *err)
{
	char to[PATH_MAX], abs[PATH_MAX];

	if (o->images == EXPORT_IMAGES_NONE)
		return 0;
	if (a->path == NULL || !paths_is_file(a->path))
		return 0; /* nothing on disk to place; the annotation still names it */
	if (paths_join(to, sizeof to, dir, name) < 0)
		return err_set(err, "path too long: %s/%s", dir, name);
	if (paths_absolute(a->path, abs, sizeof abs, err) < 0)
		return -1;
	if (strcmp(abs, to) == 0)
		return 0; /* exported over the folder it came from */
	if (o->images == EXPORT_IMAGES_COPY)
		return copy_file(abs, to, err);
	if (unlink(to) < 0 && errno != ENOENT)
		return err_setk(err, ERR_IO, "cannot replace %s: %s", to, strerror(errno));
	if (symlink(abs, to) < 0)
		return err_setk(err, ERR_IO, "cannot link %s: %s", to, strerror(errno));
	return 0;
}

/* ---- the side file ---- */

static const char *key_of(const struct dataset_doc *doc, const char *const *keys, int i)
{
	return keys != NULL ? keys[i] : doc->assets[i].filename;
}

int local_write_side(const struct dataset_doc *doc, const char *dir, const char *const *keys,
                     struct err *err)
{
	cJSON *root = cJSON_CreateObject(), *images = cJSON_AddObjectToObject(root, "images");
	char path[PATH_MAX], *text = NULL, *strict = NULL;
	int rc = -1;

	if (images == NULL)
		goto oom;
	cJSON_AddNumberToObject(root, "version", 1);
	for (int i = 0; i < doc->nassets; i++) {
		const struct asset *a = &doc->assets[i];
		cJSON *o, *tags;
		if (a->status == REVIEW_PENDING && a->ntags == 0)
			continue; /* nothing to say about it */
		if ((o = cJSON_AddObjectToObject(images, key_of(doc, keys, i))) == NULL ||
		    !cJSON_AddStringToObject(o, "status", review_status_name(a->status)) ||
		    (tags = cJSON_AddArrayToObject(o, "tags")) == NULL)
			goto oom;
		for (int t = 0; t < a->ntags; t++)
			if (!cJSON_AddItemToArray(tags, cJSON_CreateString(a->tags[t])))
				goto oom;
	}
	if ((text = cJSON_Print(root)) == NULL || (strict = json_out_strict(text, NULL)) == NULL)
		goto oom;
	if (paths_join(path, sizeof path, dir, SIDE_FILE) < 0) {
		err_set(err, "path too long");
		goto out;
	}
	rc = local_write_text(path, strict, strlen(strict), err);
	goto out;
oom:
	err_set(err, "out of memory writing %s", SIDE_FILE);
out:
	free(strict);
	free(text);
	cJSON_Delete(root);
	return rc;
}

static int side_apply(struct asset *a, const cJSON *entry)
{
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(entry, "status"), *tag;

	if (cJSON_IsString(status))
		review_status_parse(status->valuestring, &a->status);
	cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(entry, "tags"))
	{
		if (cJSON_IsString(tag) && asset_add_tag(a, tag->valuestring) < 0)
			return -1;
	}
	return 0;
}

struct side_key {
	const char *key;
	int i;
};

static int side_cmp(const void *a, const void *b)
{
	const struct side_key *x = a, *y = b;

	return strcmp(x->key != NULL ? x->key : "", y->key != NULL ? y->key : "");
}

int local_read_side(struct dataset_doc *doc, const char *dir, const char *const *keys,
                    struct err *err)
{
	char path[PATH_MAX], *text = NULL;
	cJSON *root = NULL;
	const cJSON *images, *e;
	struct side_key *ix = NULL;
	int rc = -1;

	if (paths_join(path, sizeof path, dir, SIDE_FILE) < 0 || !paths_is_file(path))
		return 0;
	if (local_read_text(path, &text, NULL, err) < 0)
		return -1;
	root = cJSON_Parse(text);
	images = cJSON_GetObjectItemCaseSensitive(root, "images");
	if (!cJSON_IsObject(images)) {
		rc = dataset_doc_warn(
		         doc, "%s is not an annotty side file; its review was not read", path) < 0
		         ? err_set(err, "out of memory")
		         : 0;
		goto out;
	}
	/* keys sorted once: one lookup per entry, not a scan of the object per asset */
	if ((ix = malloc(((size_t)doc->nassets + 1) * sizeof *ix)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	for (int i = 0; i < doc->nassets; i++)
		ix[i] = (struct side_key){key_of(doc, keys, i), i};
	qsort(ix, (size_t)doc->nassets, sizeof *ix, side_cmp);
	cJSON_ArrayForEach(e, images)
	{
		struct side_key k = {e->string, 0}, *hit;
		hit = bsearch(&k, ix, (size_t)doc->nassets, sizeof *ix, side_cmp);
		if (hit != NULL && side_apply(&doc->assets[hit->i], e) < 0) {
			err_set(err, "out of memory");
			goto out;
		}
	}
	rc = 0;
out:
	free(ix);
	cJSON_Delete(root);
	free(text);
	return rc;
}
