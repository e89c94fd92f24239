/* Export backends: a dataset written in a format of the user's choice (COCO, Pascal VOC, YOLO,
 * labelme), whatever format it was read from. */
#include "api/backend.h"
#include "api/local/coco.h"
#include "api/local/local_format.h"
#include "core/err.h"
#include "core/model.h"

#include <stdlib.h>
#include <string.h>

struct writer_priv {
	struct export_options o;
	char *format;
	char *source_coco; /* the COCO file the dataset came from, or NULL */
};

static void writer_caps(const struct backend *b, struct backend_caps *out)
{
	(void)b;
	out->shape_kinds = (1u << SHAPE_KIND_COUNT) - 1;
	out->review = REVIEW_LOCAL;
	out->tags = 1;
}

static int writer_pull(struct backend *b, const char *version_ext_id, const char *cursor,
                       struct backend_page *out, struct err *err)
{
	(void)version_ext_id, (void)cursor, (void)out;
	return err_setk(err, ERR_USAGE, "a %s export is written, not read", b->ops->kind);
}

static int writer_save(struct backend *b, const struct dataset_doc *doc, const char *out_path,
                       struct err *err)
{
	struct writer_priv *p = b->priv;
	const char *f = p->format;

	if (out_path == NULL)
		return err_setk(err, ERR_USAGE, "an export needs the path to write");
	if (strcmp(f, "coco") == 0)
		return coco_export(doc, p->source_coco, out_path, err);
	if (strcmp(out_path, "-") == 0)
		return err_setk(err, ERR_USAGE,
		                "a %s export is a folder of files: standard output takes COCO only",
		                f);
	if (strcmp(f, "voc") == 0)
		return voc_write_dir(doc, out_path, &p->o, err);
	if (strcmp(f, "yolo") == 0)
		return yolo_write_dir(doc, out_path, &p->o, err);
	return labelme_write_dir(doc, out_path, &p->o, err);
}

static void writer_close(struct backend *b)
{
	struct writer_priv *p = b->priv;

	if (p != NULL) {
		free(p->format);
		free(p->source_coco);
	}
	free(p);
	b->priv = NULL;
}

static const struct backend_ops writer_ops = {
    .kind = "export",
    .caps = writer_caps,
    .pull = writer_pull,
    .save = writer_save,
    .close = writer_close,
};

static int known_format(const char *f)
{
	static const char *const formats[] = {"coco", "voc", "yolo", "labelme", NULL};

	for (int i = 0; formats[i] != NULL; i++)
		if (strcmp(formats[i], f) == 0)
			return 1;
	return 0;
}

int backend_writer_open(const struct export_options *o, const struct backend *source,
                        struct backend **out, struct err *err)
{
	struct backend *b = NULL;
	struct writer_priv *p = NULL;
	const char *f = o->format != NULL ? o->format : "coco";
	int rc = -1;

	*out = NULL;
	if (!known_format(f))
		return err_setk(err, ERR_USAGE,
		                "annotty writes coco, voc, yolo and labelme, not %s", f);
	if ((b = calloc(1, sizeof *b)) == NULL || (b->priv = p = calloc(1, sizeof *p)) == NULL ||
	    (p->format = strdup(f)) == NULL || (b->locator = strdup("export")) == NULL)
		goto oom;
	b->ops = &writer_ops;
	p->o = *o;
	p->o.format = p->format;
	if (source != NULL && strcmp(source->ops->kind, "coco") == 0 &&
	    (p->source_coco = strdup(source->locator)) == NULL)
		goto oom;
	*out = b;
	b = NULL;
	rc = 0;
	goto out;
oom:
	err_set(err, "out of memory");
out:
	backend_close(&b);
	return rc;
}
