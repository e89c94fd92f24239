/* YOLO writer (the YOLOv8 layout): OUT/data.yaml with the names, OUT/labels/NAME.txt per
 * image (boxes as "class cx cy w h", polygons as "class x1 y1 x2 y2 ...", the fractions of the
 * image's size, a kept confidence at the end), the images in OUT/images/ when asked, and the
 * review status and tags in OUT/annotty.json, as YOLO has no place for them. Lines, lone
 * points and image labels have no YOLO form: they are left out and counted in the log. */
#include "api/backend.h"
#include "api/local/local_format.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/log.h"
#include "core/model.h"
#include "core/paths.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define YOLO_OUT_MAX ((size_t)256 << 20)

/* The shortest text that reads back as the same double. */
static int put_num(struct buf *b, double v)
{
	char t[64];

	for (int p = 1; p <= 17; p++) {
		snprintf(t, sizeof t, "%.*g", p, v);
		if (strtod(t, NULL) == v)
			break;
	}
	return buf_printf(b, " %s", t);
}

static int confidence_of(const struct shape *s, double *out)
{
	cJSON *x = s->extra_json != NULL ? cJSON_Parse(s->extra_json) : NULL;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(x, "confidence");
	int r = cJSON_IsNumber(c) ? (*out = c->valuedouble, 1) : 0;

	cJSON_Delete(x);
	return r;
}

/* One shape as a label line; 0 when YOLO has no form for it. */
static int shape_line(struct buf *b, const struct asset *a, const struct shape *s)
{
	double w = a->width, h = a->height, conf;
	int r = 0;

	if (s->label < 0 || w <= 0 || h <= 0 ||
	    (s->kind != SHAPE_BOX && s->kind != SHAPE_POLYGON && s->kind != SHAPE_MASK))
		return 0;
	r |= buf_printf(b, "%d", s->label);
	if (s->kind == SHAPE_POLYGON) {
		for (int i = 0; i < s->npoints; i++)
			r |= put_num(b, s->points[i].x / w) | put_num(b, s->points[i].y / h);
	} else {
		r |= put_num(b, (s->box.x + s->box.w / 2) / w) |
		     put_num(b, (s->box.y + s->box.h / 2) / h);
		r |= put_num(b, s->box.w / w) | put_num(b, s->box.h / h);
	}
	if (confidence_of(s, &conf))
		r |= put_num(b, conf);
	r |= buf_putc(b, '\n');
	return r < 0 ? -1 : 1;
}

static int write_yaml(const struct dataset_doc *doc, const char *dir, struct err *err)
{
	struct buf b;
	char path[PATH_MAX];
	int rc = -1;

	buf_init(&b, YOLO_OUT_MAX);
	if (buf_puts(&b, "path: .\ntrain: images\nnames:\n") < 0)
		goto oom;
	for (int i = 0; i < doc->nlabels; i++) {
		/* a double-quoted YAML scalar, so that any name reads back as it is */
		const char *n = doc->labels[i].name != NULL ? doc->labels[i].name : "";
		if (buf_printf(&b, "  %d: \"", i) < 0)
			goto oom;
		for (; *n != '\0'; n++) {
			unsigned char c = (unsigned char)*n;
			if ((c == '"' || c == '\\' ? buf_printf(&b, "\\%c", c)
			     : c < 0x20            ? buf_printf(&b, "\\x%02x", c)
			                           : buf_putc(&b, c)) < 0)
				goto oom;
		}
		if (buf_puts(&b, "\"\n") < 0)
			goto oom;
	}
	if (paths_join(path, sizeof path, dir, "data.yaml") < 0) {
		err_set(err, "path too long");
		goto out;
	}
	rc = local_write_text(path, (const char *)b.data, b.len, err);
	goto out;
oom:
	err_set(err, "out of memory writing data.yaml");
out:
	buf_free(&b);
	return rc;
}

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether two of the names share a base name (train/a.jpg and val/a.jpg): n log n. */
static int names_clash(char **names, int n)
{
	const char **bases = malloc(((size_t)n + 1) * sizeof *bases);
	int clash = 0;

	if (bases == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		bases[i] = path_base(names[i]);
	qsort(bases, (size_t)n, sizeof *bases, str_ptr_cmp);
	for (int i = 1; i < n && !clash; i++)
		clash = strcmp(bases[i - 1], bases[i]) == 0;
	free(bases);
	return clash;
}

/* Each asset's name in the export: its base name, or its whole path with "/" as "_" when two
 * assets share a base name. The caller frees the list (free_names). */
static char **export_names(const struct dataset_doc *doc)
{
	char **names = calloc((size_t)doc->nassets + 1, sizeof *names);
	int clash;

	if (names == NULL)
		return NULL;
	for (int i = 0; i < doc->nassets; i++) {
		const struct asset *a = &doc->assets[i];
		const char *n = a->filename != NULL && a->filename[0] ? a->filename
		                : a->path != NULL                     ? path_base(a->path)
		                                                      : "image";
		if ((names[i] = strdup(n)) == NULL)
			goto fail;
	}
	if ((clash = names_clash(names, doc->nassets)) < 0)
		goto fail;
	for (int i = 0; i < doc->nassets; i++) {
		char *p = names[i];
		if (clash)
			for (char *q = p; *q; q++)
				*q = *q == '/' ? '_' : *q;
		else
			memmove(p, path_base(p), strlen(path_base(p)) + 1);
	}
	return names;
fail:
	for (int i = 0; i < doc->nassets; i++)
		free(names[i]);
	free(names);
	return NULL;
}

static void free_names(char **names, int n)
{
	for (int i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
}

static int write_labels(const struct asset *a, const char *dir, const char *name, long *left,
                        struct err *err)
{
	struct buf b;
	char stem[256], path[PATH_MAX];
	int rc = -1;

	buf_init(&b, YOLO_OUT_MAX);
	for (int i = 0; i < a->nshapes; i++) {
		int r = shape_line(&b, a, &a->shapes[i]);
		if (r < 0) {
			err_set(err, "out of memory writing the labels of %s", name);
			goto out;
		}
		*left += r == 0;
	}
	local_stem(name, stem, sizeof stem);
	if (snprintf(path, sizeof path, "%s/labels/%s.txt", dir, stem) >= (int)sizeof path) {
		err_set(err, "path too long");
		goto out;
	}
	rc = local_write_text(path, b.data != NULL ? (const char *)b.data : "", b.len, err);
out:
	buf_free(&b);
	return rc;
}

int yolo_write_dir(const struct dataset_doc *doc, const char *dir, const struct export_options *o,
                   struct err *err)
{
	char sub[PATH_MAX], **names = NULL;
	long left = 0;
	int rc = -1;

	if (local_out_dir(dir, err) < 0)
		return -1;
	if (snprintf(sub, sizeof sub, "%s/labels", dir) >= (int)sizeof sub ||
	    paths_mkdirs(sub, err) < 0 ||
	    snprintf(sub, sizeof sub, "%s/images", dir) >= (int)sizeof sub ||
	    paths_mkdirs(sub, err) < 0)
		return -1;
	if ((names = export_names(doc)) == NULL)
		return err_set(err, "out of memory");
	for (int i = 0; i < doc->nassets; i++)
		if (write_labels(&doc->assets[i], dir, names[i], &left, err) < 0 ||
		    local_place_image(&doc->assets[i], sub, names[i], o, err) < 0)
			goto out;
	/* the side file names each image as the export's reader will: images/NAME */
	for (int i = 0; i < doc->nassets; i++) {
		char *k = malloc(strlen(names[i]) + 8);
		if (k == NULL) {
			err_set(err, "out of memory");
			goto out;
		}
		sprintf(k, "images/%s", names[i]);
		free(names[i]);
		names[i] = k;
	}
	if (write_yaml(doc, dir, err) < 0 ||
	    local_write_side(doc, dir, (const char *const *)names, err) < 0)
		goto out;
	if (left > 0)
		log_msg(LOG_WARN,
		        "YOLO export to %s: %ld line, point or image-label shape(s) have "
		        "no YOLO form and were left out",
		        dir, left);
	rc = 0;
out:
	free_names(names, doc->nassets);
	return rc;
}
