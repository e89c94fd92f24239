/* The backend for the local formats besides COCO (api/local/local_format.h): one dataset whose
 * splits (train, val, test) are its versions, each read whole as one page. PATH#SPLIT opens
 * one split as a source of its own. */
#include "api/backend.h"
#include "api/local/local_format.h"
#include "api/registry.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FP_DEPTH 4 /* folders walked for the fingerprint: images/train/, a/b/labels/ */

struct fmt_priv {
	const struct local_format *fmt;
	char *root;       /* the absolute path of the file or folder */
	char *split;      /* the split PATH#SPLIT named, or NULL for the whole source */
	char *images_dir; /* --images, or NULL */
};

static void fmt_caps(const struct backend *b, struct backend_caps *out)
{
	(void)b;
	out->containers = 1u << CONTAINER_DATASET | 1u << CONTAINER_VERSION;
	out->changes = 0; /* edits reach a local source through export */
	out->shape_kinds = (1u << SHAPE_KIND_COUNT) - 1;
	out->review = REVIEW_LOCAL;
	out->page_max = 0;
	out->remote = 0;
	out->tags = 1;
}

static int list_add(struct container_list *l, enum container_kind kind, const char *name,
                    struct err *err)
{
	struct container *grown = realloc(l->items, (size_t)(l->n + 1) * sizeof *grown);
	struct container *c;

	if (grown == NULL)
		return err_set(err, "out of memory");
	l->items = grown;
	c = &l->items[l->n];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->count = -1;
	if ((c->name = strdup(name)) == NULL || (c->ext_id = strdup(name)) == NULL) {
		free(c->name);
		return err_set(err, "out of memory");
	}
	l->n++;
	return 0;
}

/* The dataset, and its versions: each split, or "local" for a source without splits. */
static int fmt_list(struct backend *b, enum container_kind kind, const char *parent_ext_id,
                    struct container_list *out, struct err *err)
{
	struct fmt_priv *p = b->priv;
	struct local_splits s = {0};
	int rc = 0;

	(void)parent_ext_id;
	if (kind == CONTAINER_DATASET)
		return list_add(out, kind, path_base(p->root), err);
	if (kind != CONTAINER_VERSION)
		return 0;
	if (p->split != NULL)
		return list_add(out, kind, p->split, err);
	if (p->fmt->splits(p->root, &s, err) < 0)
		return -1;
	if (s.n == 0)
		rc = list_add(out, kind, "local", err);
	for (int i = 0; i < s.n && rc == 0; i++)
		rc = list_add(out, kind, s.names[i], err);
	local_splits_clear(&s);
	if (rc < 0)
		container_list_clear(out);
	return rc;
}

static int fmt_pull(struct backend *b, const char *version_ext_id, const char *cursor,
                    struct backend_page *out, struct err *err)
{
	struct fmt_priv *p = b->priv;
	const char *split = p->split;

	if (cursor != NULL)
		return err_setk(err, ERR_USAGE, "a local source is read whole, from its start");
	if (version_ext_id != NULL && strcmp(version_ext_id, "local") != 0)
		split = version_ext_id;
	if (local_fingerprint_tree(p->root, FP_DEPTH, p->images_dir, &b->fingerprint, err) < 0 ||
	    p->fmt->read(p->root, split, p->images_dir, &out->doc, err) < 0)
		return -1;
	out->total = out->doc->nassets;
	return 0;
}

static int fmt_fetch_image(struct backend *b, const struct image_ref *ref, struct buf *out,
                           struct err *err)
{
	(void)b;
	if (ref->path == NULL || ref->path[0] == '\0')
		return err_setk(err, ERR_NOT_FOUND, "the image was not found on disk");
	return buf_read_file(out, ref->path, err);
}

static int fmt_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                    struct err *err)
{
	struct fmt_priv *p = b->priv;
	struct backend *w = NULL;
	struct export_options o = {.format = p->fmt->name};
	int rc;

	if (out_path == NULL || strcmp(out_path, "-") == 0)
		return err_setk(err, ERR_USAGE,
		                "a %s source is exported to a new folder: give its path",
		                p->fmt->what);
	if (backend_writer_open(&o, b, &w, err) < 0)
		return -1;
	rc = backend_save(w, doc, out_path, err);
	backend_close(&w);
	return rc;
}

static void fmt_close(struct backend *b)
{
	struct fmt_priv *p = b->priv;

	if (p != NULL) {
		free(p->root);
		free(p->split);
		free(p->images_dir);
	}
	free(p);
	b->priv = NULL;
}

/* One ops table per format, so that b->ops->kind names it. */
#define FMT_OPS(NAME)                                                                              \
	static const struct backend_ops NAME##_ops = {                                             \
	    .kind = #NAME,                                                                         \
	    .caps = fmt_caps,                                                                      \
	    .list = fmt_list,                                                                      \
	    .pull = fmt_pull,                                                                      \
	    .fetch_image = fmt_fetch_image,                                                        \
	    .save = fmt_save,                                                                      \
	    .close = fmt_close,                                                                    \
	}
FMT_OPS(voc);
FMT_OPS(yolo);
FMT_OPS(labelme);
FMT_OPS(cvat);
FMT_OPS(images);

/* PATH#SPLIT: the path and the split, when PATH exists and PATH#SPLIT does not. */
static int split_locator(const char *path, char *root, size_t rootsz, char **split, struct err *err)
{
	const char *sep = strrchr(path, LOCAL_SPLIT_SEP);

	*split = NULL;
	if (sep == NULL || sep[1] == '\0' || strchr(sep, '/') != NULL || paths_is_file(path) ||
	    paths_is_dir(path) || (size_t)(sep - path) >= rootsz)
		return paths_absolute(path, root, rootsz, err);
	memcpy(root, path, (size_t)(sep - path));
	root[sep - path] = '\0';
	if ((*split = strdup(sep + 1)) == NULL)
		return err_set(err, "out of memory");
	return paths_absolute(root, root, rootsz, err);
}

static int check_split(const struct fmt_priv *p, struct err *err)
{
	struct local_splits s = {0};
	int found = 0;

	if (p->split == NULL)
		return 0;
	if (p->fmt->splits(p->root, &s, err) < 0)
		return -1;
	for (int i = 0; i < s.n; i++)
		found |= strcmp(s.names[i], p->split) == 0;
	local_splits_clear(&s);
	if (!found)
		return err_setk(err, ERR_NOT_FOUND, "%s has no split named %s", p->root, p->split);
	return 0;
}

static int images_dir_abs(const char *images_dir, char **out, struct err *err)
{
	char abs[PATH_MAX];

	if (images_dir == NULL)
		return 0;
	if (!paths_is_dir(images_dir))
		return err_set(err, "the images folder %s does not exist", images_dir);
	if (paths_absolute(images_dir, abs, sizeof abs, err) < 0)
		return -1;
	return (*out = strdup(abs)) != NULL ? 0 : err_set(err, "out of memory");
}

static int fmt_open(const struct local_format *fmt, const struct backend_ops *ops,
                    const struct backend_locator *loc, struct backend **out, struct err *err)
{
	char root[PATH_MAX], locator[PATH_MAX + 64];
	struct backend *b = NULL;
	struct fmt_priv *p = NULL;
	int rc = -1;

	*out = NULL;
	if (loc->path == NULL)
		return err_setk(err, ERR_USAGE, "no dataset path given");
	if ((b = calloc(1, sizeof *b)) == NULL || (b->priv = p = calloc(1, sizeof *p)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	b->ops = ops;
	p->fmt = fmt;
	if (split_locator(loc->path, root, sizeof root, &p->split, err) < 0 ||
	    images_dir_abs(loc->images_dir, &p->images_dir, err) < 0)
		goto out;
	if ((p->root = strdup(root)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	if (check_split(p, err) < 0)
		goto out;
	/* each split is a source of its own in the cache, beside the whole */
	snprintf(locator, sizeof locator, "%s%s%s", root, p->split ? "#" : "",
	         p->split ? p->split : "");
	if ((b->locator = strdup(locator)) == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	if (local_fingerprint_tree(root, FP_DEPTH, p->images_dir, &b->fingerprint, err) < 0)
		goto out;
	*out = b;
	b = NULL;
	rc = 0;
out:
	backend_close(&b);
	return rc;
}

int backend_voc_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	return fmt_open(&local_format_voc, &voc_ops, loc, out, err);
}

int backend_yolo_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	return fmt_open(&local_format_yolo, &yolo_ops, loc, out, err);
}

int backend_labelme_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	return fmt_open(&local_format_labelme, &labelme_ops, loc, out, err);
}

int backend_cvat_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	return fmt_open(&local_format_cvat, &cvat_ops, loc, out, err);
}

int backend_images_open(const struct backend_locator *loc, struct backend **out, struct err *err)
{
	return fmt_open(&local_format_images, &images_ops, loc, out, err);
}

/* The path without its #SPLIT, for detection. */
static const char *detect_path(const char *path, char *buf, size_t bufsz)
{
	const char *sep = strrchr(path, LOCAL_SPLIT_SEP);

	if (sep == NULL || paths_is_file(path) || paths_is_dir(path) ||
	    (size_t)(sep - path) >= bufsz)
		return path;
	memcpy(buf, path, (size_t)(sep - path));
	buf[sep - path] = '\0';
	return buf;
}

#define DETECT(NAME)                                                                               \
	int backend_##NAME##_detect(const char *path)                                              \
	{                                                                                          \
		char buf[PATH_MAX];                                                                \
		return local_format_##NAME.detect(detect_path(path, buf, sizeof buf));             \
	}
DETECT(voc)
DETECT(yolo)
DETECT(labelme)
DETECT(cvat)
DETECT(images)

int backend_coco_detect(const char *path)
{
	static const char *const json[] = {"json", NULL};
	char sub[PATH_MAX];

	if (paths_is_file(path))
		return local_has_ext(path, "json");
	if (!paths_is_dir(path))
		return 0;
	if (local_dir_has(path, json, 0))
		return 1;
	return paths_join(sub, sizeof sub, path, "annotations") == 0 && local_dir_has(sub, json, 0);
}

/* ---- what a path holds, for the message when no format reads it ---- */

static void describe_count(char *out, size_t outsz, const char *path, const char *ext)
{
	struct local_files f;
	struct err e;
	size_t n = strlen(out);

	if (local_files_list(path, (const char *const[]){ext, NULL}, 2, &f, &e) < 0)
		return;
	if (f.n > 0)
		snprintf(out + n, outsz - n, "%s%zu .%s file%s", n ? ", " : "", f.n, ext,
		         f.n == 1 ? "" : "s");
	local_files_clear(&f);
}

void backend_local_describe(const char *path, char *out, size_t outsz)
{
	static const char *const exts[] = {"json", "xml", "txt", "yaml", "csv", NULL};
	char head[512], root[64] = "";
	struct local_files imgs;
	struct err e;
	size_t n;

	out[0] = '\0';
	if (paths_is_file(path)) {
		/* an XML file says what it is by its root element */
		if (local_peek(path, head, sizeof head) > 0) {
			const char *lt = head;
			while ((lt = strchr(lt, '<')) != NULL && (lt[1] == '?' || lt[1] == '!'))
				lt++;
			if (lt != NULL)
				sscanf(lt + 1, "%63[A-Za-z0-9_:-]", root);
		}
		snprintf(out, outsz,
		         root[0] ? "a file whose first element is <%s>"
		                 : "a file of "
		                   "an unknown kind",
		         root);
		return;
	}
	for (int i = 0; exts[i] != NULL; i++)
		describe_count(out, outsz, path, exts[i]);
	if (local_files_list(path, local_image_exts, 2, &imgs, &e) == 0) {
		n = strlen(out);
		if (imgs.n > 0)
			snprintf(out + n, outsz - n, "%s%zu image%s", n ? ", " : "", imgs.n,
			         imgs.n == 1 ? "" : "s");
		local_files_clear(&imgs);
	}
	if (out[0] == '\0')
		snprintf(out, outsz, "no annotation or image files");
}
