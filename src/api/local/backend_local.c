/* The backend for local datasets (COCO JSON files for now): one dataset with one version, read
 * whole as one page, written back by export. */
#include "api/backend.h"
#include "api/registry.h"
#include "core/buf.h"
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
#include <unistd.h>

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

/* What a local file keeps beyond the common fields. */
struct local_priv {
	char *images_dir; /* --images override, or NULL */
};

static const char *images_dir_of(const struct backend *b)
{
	const struct local_priv *p = b->priv;

	return p != NULL ? p->images_dir : NULL;
}

static void local_caps(const struct backend *b, struct backend_caps *out)
{
	(void)b;
	out->containers = 1u << CONTAINER_DATASET | 1u << CONTAINER_VERSION;
	out->changes = 0; /* edits reach a local file through export, not pushes */
	out->shape_kinds = (1u << SHAPE_KIND_COUNT) - 1;
	out->review = REVIEW_LOCAL;
	out->page_max = 0; /* one page: the whole file */
	out->remote = 0;
	out->tags = 1;
}

static int container_add(struct container_list *l, enum container_kind kind, const char *name,
                         struct err *err)
{
	l->items = calloc(1, sizeof *l->items);
	if (l->items == NULL || (l->items[0].name = strdup(name)) == NULL) {
		container_list_clear(l);
		return err_set(err, "out of memory");
	}
	l->n = 1;
	l->items[0].kind = kind;
	l->items[0].count = -1;
	return 0;
}

/* A file is one dataset (named after it) with one version, "local". */
static int local_list(struct backend *b, enum container_kind kind, const char *parent_ext_id,
                      struct container_list *out, struct err *err)
{
	(void)parent_ext_id;
	if (kind == CONTAINER_DATASET)
		return container_add(out, kind, path_base(b->locator), err);
	if (kind == CONTAINER_VERSION)
		return container_add(out, kind, "local", err);
	return 0; /* no datalake, no campaigns */
}

static int local_pull(struct backend *b, const char *version_ext_id, const char *cursor,
                      struct backend_page *out, struct err *err)
{
	(void)version_ext_id;
	if (cursor != NULL)
		return err_setk(err, ERR_USAGE, "a local file is read whole, from its start");
	/* taken before reading, so that a change made while reading shows next time */
	if (local_fingerprint(b->locator, images_dir_of(b), &b->fingerprint, err) < 0 ||
	    coco_read_file(b->locator, images_dir_of(b), &out->doc, err) < 0)
		return -1;
	out->total = out->doc->nassets;
	return 0;
}

static int local_stream(struct backend *b, const struct doc_sink *sink, void *ctx,
                        struct dataset_doc **head, struct err *err)
{
	*head = NULL;
	/* taken before reading, so that a change made while reading shows next time */
	if (local_fingerprint(b->locator, images_dir_of(b), &b->fingerprint, err) < 0)
		return -1;
	return coco_stream_file(b->locator, images_dir_of(b), sink, ctx, head, err);
}

static int local_fetch_image(struct backend *b, const struct image_ref *ref, struct buf *out,
                             struct err *err)
{
	(void)b;
	if (ref->path == NULL || ref->path[0] == '\0')
		return err_setk(err, ERR_NOT_FOUND, "the image was not found on disk");
	return buf_read_file(out, ref->path, err);
}

/* The whole document to standard output, for an out_path of "-". */
static int save_stdout(const struct dataset_doc *doc, struct err *err)
{
	char *text = NULL;
	size_t len, done = 0;
	int rc = -1;

	if (coco_serialize(doc, &text, err) < 0)
		return -1;
	len = strlen(text);
	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, text + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err_setk(err, ERR_IO, "cannot write the export to standard output: %s",
			         strerror(errno));
			goto out;
		}
		done += (size_t)n;
	}
	rc = 0;
out:
	free(text);
	return rc;
}

static int local_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                      struct err *err)
{
	const char *path = out_path != NULL ? out_path : b->locator;

	if (strcmp(path, "-") == 0)
		return save_stdout(doc, err);

	if (coco_write_file(doc, path, err) < 0)
		return -1;
	/* the source now holds what was written: no need to read it back */
	if (strcmp(path, b->locator) == 0)
		return local_fingerprint(b->locator, images_dir_of(b), &b->fingerprint, err);
	return 0;
}

static void local_close(struct backend *b)
{
	struct local_priv *p = b->priv;

	if (p != NULL)
		free(p->images_dir);
	free(p);
	b->priv = NULL;
}

static const struct backend_ops local_coco_ops = {
    .kind = "coco",
    .caps = local_caps,
    .list = local_list,
    .pull = local_pull,
    .stream = local_stream,
    .fetch_image = local_fetch_image,
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

int backend_local_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	char json[PATH_MAX];
	struct backend *b = NULL;
	struct local_priv *p;
	int rc = -1;

	*out = NULL;
	if (loc->path == NULL)
		return err_setk(err, ERR_USAGE, "no dataset path given");
	if (local_json_path(loc->path, json, sizeof json, err) < 0)
		goto out;
	b = calloc(1, sizeof *b);
	if (b == NULL || (b->locator = strdup(json)) == NULL ||
	    (b->priv = p = calloc(1, sizeof *p)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	b->ops = &local_coco_ops;
	if (local_images_dir(loc->images_dir, &p->images_dir, err) < 0 ||
	    local_fingerprint(b->locator, p->images_dir, &b->fingerprint, err) < 0)
		goto out;
	*out = b;
	b = NULL;
	rc = 0;
out:
	backend_close(&b);
	return rc;
}
