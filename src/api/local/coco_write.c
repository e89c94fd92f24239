/* COCO JSON writer: integer ids for every object, each shape's geometry the way COCO readers
 * expect it, the annotty extension fields, the kept extras; and the atomic write to disk. */
#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/model.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The ids written for one list of objects. */
struct ids {
	int64_t *id;
	unsigned char
	    *own; /* 1: id is the ext_id itself; 0: a non-NULL ext_id goes to annotty_id */
	size_t n;
};

struct writer {
	const struct dataset_doc *doc;
	struct buf out;
	struct ids images;
	struct ids labels;
	struct ids shapes;   /* all assets' shapes, one after the other */
	int64_t no_label_id; /* category_id of a shape without label: an id no category has */
	int failed;          /* a cJSON allocation failed */
};

/* Extension and structural keys the writer produces itself: never copied from extras. */
static const char *const own_keys[] = {"annotty_id",
                                       "annotty_type",
                                       "annotty_points",
                                       "annotty_text",
                                       "annotty_status",
                                       "annotty_tags",
                                       "annotty_task",
                                       "images",
                                       "annotations",
                                       "categories",
                                       NULL};

/* ---- ids ---- */

/* An ext_id that can be written as the id itself: an integer in canonical decimal (so that it
 * reads back as the same string) that a double holds exactly. */
static int id_parse(const char *s, int64_t *out)
{
	const char *p = s;

	if (s == NULL)
		return -1;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (*p == '-')
		p++;
	if (*p < '1' || *p > '9' || strlen(p) > 15 || strspn(p, "0123456789") != strlen(p))
		return -1;
	*out = strtoll(s, NULL, 10);
	return 0;
}

struct id_pair {
	int64_t id;
	size_t i;
};

static int pair_cmp(const void *a, const void *b)
{
	const struct id_pair *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Keeps each integer ext_id as the id (the first of duplicates only) and numbers the rest
 * above the largest. */
static int ids_assign(const char **ext, size_t n, struct ids *ids)
{
	struct id_pair *pairs = malloc((n ? n : 1) * sizeof *pairs);
	int64_t max = 0;
	size_t k = 0;

	ids->n = n;
	ids->id = calloc(n ? n : 1, sizeof *ids->id);
	ids->own = calloc(n ? n : 1, 1);
	if (pairs == NULL || ids->id == NULL || ids->own == NULL) {
		free(pairs);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (id_parse(ext[i], &pairs[k].id) == 0)
			pairs[k++].i = i;
	qsort(pairs, k, sizeof *pairs, pair_cmp);
	for (size_t j = 0; j < k; j++) {
		if (j > 0 && pairs[j].id == pairs[j - 1].id)
			continue;
		ids->own[pairs[j].i] = 1;
		ids->id[pairs[j].i] = pairs[j].id;
		max = pairs[j].id > max ? pairs[j].id : max;
	}
	for (size_t i = 0; i < n; i++)
		if (!ids->own[i])
			ids->id[i] = ++max;
	free(pairs);
	return 0;
}

static void ids_free(struct ids *ids)
{
	free(ids->id);
	free(ids->own);
	memset(ids, 0, sizeof *ids);
}

static int writer_ids(struct writer *w)
{
	const struct dataset_doc *doc = w->doc;
	size_t nshapes = 0, k = 0,
	       n = (size_t)(doc->nassets > doc->nlabels ? doc->nassets : doc->nlabels);
	const char **ext;
	int rc = -1;

	for (int i = 0; i < doc->nassets; i++)
		nshapes += (size_t)doc->assets[i].nshapes;
	ext = malloc((n > nshapes ? n : nshapes) * sizeof *ext + 1);
	if (ext == NULL)
		return -1;
	for (int i = 0; i < doc->nassets; i++)
		ext[i] = doc->assets[i].ext_id;
	if (ids_assign(ext, (size_t)doc->nassets, &w->images) < 0)
		goto out;
	for (int i = 0; i < doc->nlabels; i++)
		ext[i] = doc->labels[i].ext_id;
	if (ids_assign(ext, (size_t)doc->nlabels, &w->labels) < 0)
		goto out;
	for (int i = 0; i < doc->nassets; i++)
		for (int j = 0; j < doc->assets[i].nshapes; j++)
			ext[k++] = doc->assets[i].shapes[j].ext_id;
	if (ids_assign(ext, nshapes, &w->shapes) < 0)
		goto out;
	/* 0 unless a category has it; then one below the smallest */
	for (size_t i = 0; i < w->labels.n; i++)
		if (w->labels.id[i] <= w->no_label_id)
			w->no_label_id = w->labels.id[i] - 1;
	rc = 0;
out:
	free(ext);
	return rc;
}

/* ---- values ---- */

/* Integers as integers, everything else with at most 2 decimals: stable across round trips. */
static cJSON *num(double v)
{
	char text[64];
	size_t n;

	if (!isfinite(v) || v == 0)
		v = 0; /* JSON has no NaN; and no "-0" */
	if (fabs(v) >= 1e15) {
		/* past 2^53 every double is an integer anyway; keep the text short enough for
		 * readers (cJSON among them) that cap the length of a number */
		snprintf(text, sizeof text, "%.17g", v);
		return cJSON_CreateRaw(text);
	}
	if (v == floor(v)) {
		snprintf(text, sizeof text, "%.0f", v);
		return cJSON_CreateRaw(text);
	}
	snprintf(text, sizeof text, "%.2f", v);
	n = strlen(text);
	while (n > 0 && text[n - 1] == '0')
		text[--n] = '\0';
	if (n > 0 && text[n - 1] == '.')
		text[--n] = '\0';
	if (strcmp(text, "-0") == 0)
		strcpy(text, "0");
	return cJSON_CreateRaw(text);
}

static cJSON *id_num(int64_t id)
{
	char text[32];

	snprintf(text, sizeof text, "%lld", (long long)id);
	return cJSON_CreateRaw(text);
}

static void put(struct writer *w, cJSON *obj, const char *key, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(obj, key, item)) {
		cJSON_Delete(item);
		w->failed = 1;
	}
}

static void push(struct writer *w, cJSON *arr, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToArray(arr, item)) {
		cJSON_Delete(item);
		w->failed = 1;
	}
}

/* Kept extras, parsed; NULL when there are none or they are not an object. */
static cJSON *extras_parse(const char *json)
{
	cJSON *x = json != NULL ? cJSON_Parse(json) : NULL;

	if (x != NULL && !cJSON_IsObject(x)) {
		cJSON_Delete(x);
		x = NULL;
	}
	return x;
}

static const cJSON *extra(const cJSON *extras, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(extras, key);
}

static int is_own_key(const char *key)
{
	for (int i = 0; own_keys[i] != NULL; i++)
		if (strcmp(key, own_keys[i]) == 0)
			return 1;
	return 0;
}

/* Puts a kept value back as it was (a reference: extras outlive the object). */
static void put_extra(struct writer *w, cJSON *obj, const char *key, const cJSON *value)
{
	if (!cJSON_AddItemReferenceToObject(obj, key, (cJSON *)value))
		w->failed = 1;
}

/* Every extra that the object does not already have. */
static void put_extras(struct writer *w, cJSON *obj, const cJSON *extras)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, extras)
	{
		if (item->string == NULL || is_own_key(item->string) ||
		    cJSON_GetObjectItemCaseSensitive(obj, item->string) != NULL)
			continue;
		put_extra(w, obj, item->string, item);
	}
}

static void put_id(struct writer *w, cJSON *obj, const struct ids *ids, size_t i,
                   const char *ext_id)
{
	put(w, obj, "id", id_num(ids->id[i]));
	if (!ids->own[i] && ext_id != NULL)
		put(w, obj, "annotty_id", cJSON_CreateString(ext_id));
}

/* ---- output text ---- */

static void out_json_string(struct writer *w, const char *s)
{
	int r = buf_putc(&w->out, '"');

	for (; *s != '\0' && r == 0; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			r = buf_printf(&w->out, "\\%c", c);
		else if (c < 0x20)
			r = buf_printf(&w->out, "\\u%04x", c);
		else
			r = buf_putc(&w->out, c);
	}
	if (r < 0 || buf_putc(&w->out, '"') < 0)
		w->failed = 1;
}

/* Appends an element (consumed) of a list, one per line. */
static void out_element(struct writer *w, cJSON *obj, int first)
{
	char *text = w->failed ? NULL : cJSON_PrintUnformatted(obj);

	cJSON_Delete(obj);
	if (text == NULL || buf_puts(&w->out, first ? "\n    " : ",\n    ") < 0 ||
	    buf_puts(&w->out, text) < 0)
		w->failed = 1;
	free(text);
}

static void out_list_start(struct writer *w, const char *key)
{
	if (buf_printf(&w->out, "  \"%s\": [", key) < 0)
		w->failed = 1;
}

static void out_list_end(struct writer *w, int last)
{
	if (buf_puts(&w->out, last ? "\n  ]\n" : "\n  ],\n") < 0)
		w->failed = 1;
}

/* ---- images and categories ---- */

/* Where the image is in its campaign (a local one's decisions go out this way). */
static cJSON *task_json(struct writer *w, const struct asset_task *t)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	put(w, o, "step", cJSON_CreateString(t->step != NULL ? t->step : ""));
	put(w, o, "status", cJSON_CreateString(assignment_status_name(t->status)));
	put(w, o, "rejected_count", num(t->rejected_count));
	put(w, o, "comment",
	    t->comment != NULL ? cJSON_CreateString(t->comment) : cJSON_CreateNull());
	return o;
}

static void out_image(struct writer *w, size_t i, int first)
{
	const struct asset *a = &w->doc->assets[i];
	cJSON *obj = cJSON_CreateObject(), *extras = extras_parse(a->extra_json);
	cJSON *tags = cJSON_CreateArray();
	const char *file = a->filename, *slash;

	/* a dataset from elsewhere may only know where the file is */
	if ((file == NULL || file[0] == '\0') && a->path != NULL)
		file = (slash = strrchr(a->path, '/')) != NULL ? slash + 1 : a->path;
	if (obj == NULL)
		w->failed = 1;
	put_id(w, obj, &w->images, i, a->ext_id);
	put(w, obj, "file_name", cJSON_CreateString(file != NULL ? file : ""));
	put(w, obj, "width", num(a->width));
	put(w, obj, "height", num(a->height));
	put_extras(w, obj, extras);
	put(w, obj, "annotty_status", cJSON_CreateString(review_status_name(a->status)));
	for (int t = 0; tags != NULL && t < a->ntags; t++)
		push(w, tags, cJSON_CreateString(a->tags[t]));
	put(w, obj, "annotty_tags", tags);
	if (a->task != NULL)
		put(w, obj, "annotty_task", task_json(w, a->task));
	out_element(w, obj, first);
	cJSON_Delete(extras);
}

static void out_category(struct writer *w, size_t i, int first)
{
	const struct label *l = &w->doc->labels[i];
	cJSON *obj = cJSON_CreateObject(), *extras = extras_parse(l->extra_json);

	if (obj == NULL)
		w->failed = 1;
	put_id(w, obj, &w->labels, i, l->ext_id);
	put(w, obj, "name", cJSON_CreateString(l->name != NULL ? l->name : ""));
	put_extras(w, obj, extras);
	out_element(w, obj, first);
	cJSON_Delete(extras);
}

/* ---- annotations ---- */

/* What every kind of shape gives: its box, area and segmentation. */
struct geometry {
	struct rect box;
	double area;
	cJSON *segmentation;
};

static struct rect points_bounds(const struct shape *s)
{
	struct rect r = {0, 0, 0, 0};
	double x1, y1;

	if (s->npoints == 0)
		return s->box;
	r.x = x1 = s->points[0].x;
	r.y = y1 = s->points[0].y;
	for (int i = 1; i < s->npoints; i++) {
		r.x = fmin(r.x, s->points[i].x);
		r.y = fmin(r.y, s->points[i].y);
		x1 = fmax(x1, s->points[i].x);
		y1 = fmax(y1, s->points[i].y);
	}
	r.w = x1 - r.x;
	r.h = y1 - r.y;
	return r;
}

/* Part i of a shape as [start, end) into points; a shape without parts is one part. */
static void part_range(const struct shape *s, int i, int *start, int *end)
{
	if (s->nparts == 0) {
		*start = 0;
		*end = s->npoints;
		return;
	}
	*start = i > 0 ? s->part_ends[i - 1] : 0;
	*end = s->part_ends[i] < s->npoints ? s->part_ends[i] : s->npoints;
	if (*start > *end)
		*start = *end;
}

/* Shoelace area summed over the parts. */
static double polygon_area(const struct shape *s)
{
	double total = 0;

	for (int p = 0; p < (s->nparts > 0 ? s->nparts : 1); p++) {
		int start, end;
		double twice = 0;
		part_range(s, p, &start, &end);
		for (int i = start; i < end; i++) {
			const struct point *a = &s->points[i];
			const struct point *b = &s->points[i + 1 < end ? i + 1 : start];
			twice += a->x * b->y - b->x * a->y;
		}
		total += fabs(twice) / 2;
	}
	return total;
}

static void geometry_polygon(struct writer *w, const struct shape *s, struct geometry *g)
{
	g->box = points_bounds(s);
	g->area = polygon_area(s);
	for (int p = 0; g->segmentation != NULL && p < (s->nparts > 0 ? s->nparts : 1); p++) {
		cJSON *flat = cJSON_CreateArray();
		int start, end;
		part_range(s, p, &start, &end);
		for (int i = start; flat != NULL && i < end; i++) {
			push(w, flat, num(s->points[i].x));
			push(w, flat, num(s->points[i].y));
		}
		push(w, g->segmentation, flat);
	}
}

/* A mask keeps the RLE it came with; its area is the source's, else the RLE's. */
static void geometry_mask(struct writer *w, const struct shape *s, const cJSON *extras,
                          struct geometry *g)
{
	const cJSON *rle_json = extra(extras, "segmentation"), *area = extra(extras, "area");
	struct coco_rle rle;

	g->box = s->box;
	g->area = s->box.w * s->box.h;
	if (cJSON_IsNumber(area))
		g->area = area->valuedouble;
	else if (cJSON_IsObject(rle_json) && coco_rle_read(rle_json, &rle, NULL) == 0) {
		coco_rle_bounds(&rle, &(struct rect){0, 0, 0, 0}, &g->area);
		coco_rle_clear(&rle);
	}
	if (cJSON_IsObject(rle_json)) {
		cJSON_Delete(g->segmentation);
		g->segmentation = cJSON_CreateObjectReference(rle_json->child);
		if (g->segmentation == NULL)
			w->failed = 1;
	}
}

static cJSON *point_list(struct writer *w, const struct shape *s, int max)
{
	cJSON *list = cJSON_CreateArray();

	for (int i = 0; list != NULL && i < s->npoints && i < max; i++) {
		cJSON *pt = cJSON_CreateArray();
		push(w, pt, num(s->points[i].x));
		push(w, pt, num(s->points[i].y));
		push(w, list, pt);
	}
	return list;
}

/* The annotty extension fields of lines, points and classifications. */
static void put_annotty_kind(struct writer *w, cJSON *obj, const struct shape *s)
{
	cJSON *kp;

	if (s->kind != SHAPE_LINE && s->kind != SHAPE_POINT && s->kind != SHAPE_CLASSIFICATION)
		return;
	put(w, obj, "annotty_type", cJSON_CreateString(shape_kind_name(s->kind)));
	if (s->kind == SHAPE_LINE)
		put(w, obj, "annotty_points", point_list(w, s, INT32_MAX));
	if (s->kind != SHAPE_POINT || s->npoints == 0)
		return;
	put(w, obj, "annotty_points", point_list(w, s, 1));
	/* the standard form too, for COCO keypoint tools: visible (2) */
	kp = cJSON_CreateArray();
	push(w, kp, num(s->points[0].x));
	push(w, kp, num(s->points[0].y));
	push(w, kp, num(2));
	put(w, obj, "keypoints", kp);
	put(w, obj, "num_keypoints", num(1));
}

static void shape_geometry(struct writer *w, const struct asset *a, const struct shape *s,
                           const cJSON *extras, struct geometry *g)
{
	g->segmentation = cJSON_CreateArray();
	g->box = s->box;
	switch (s->kind) {
	case SHAPE_POLYGON:
		geometry_polygon(w, s, g);
		return;
	case SHAPE_MASK:
		geometry_mask(w, s, extras, g);
		return;
	case SHAPE_LINE:
	case SHAPE_POINT:
		g->box = points_bounds(s);
		g->area = 0;
		return;
	case SHAPE_CLASSIFICATION:
		if (a->width > 0 && a->height > 0)
			g->box = (struct rect){0, 0, a->width, a->height};
		break;
	default:
		break;
	}
	g->area = g->box.w * g->box.h;
}

static cJSON *bbox_json(struct writer *w, const struct rect *r)
{
	cJSON *b = cJSON_CreateArray();

	push(w, b, num(r->x));
	push(w, b, num(r->y));
	push(w, b, num(r->w));
	push(w, b, num(r->h));
	return b;
}

static void put_category(struct writer *w, cJSON *obj, const struct shape *s, const cJSON *extras)
{
	const cJSON *kept = extra(extras, "category_id");

	if (s->label >= 0 && s->label < w->doc->nlabels)
		put(w, obj, "category_id", id_num(w->labels.id[s->label]));
	else if (kept != NULL) /* a category the source named but did not list */
		put_extra(w, obj, "category_id", kept);
	else
		put(w, obj, "category_id", id_num(w->no_label_id));
}

static void out_annotation(struct writer *w, size_t ai, const struct shape *s, size_t si, int first)
{
	const struct asset *a = &w->doc->assets[ai];
	cJSON *obj = cJSON_CreateObject(), *extras = extras_parse(s->extra_json);
	const cJSON *crowd = extra(extras, "iscrowd");
	struct geometry g = {{0, 0, 0, 0}, 0, NULL};

	if (obj == NULL)
		w->failed = 1;
	shape_geometry(w, a, s, extras, &g);
	put_id(w, obj, &w->shapes, si, s->ext_id);
	put(w, obj, "image_id", id_num(w->images.id[ai]));
	put_category(w, obj, s, extras);
	put(w, obj, "bbox", bbox_json(w, &g.box));
	put(w, obj, "area", num(g.area));
	if (crowd != NULL)
		put_extra(w, obj, "iscrowd", crowd);
	else
		put(w, obj, "iscrowd", num(0));
	put(w, obj, "segmentation", g.segmentation);
	put_annotty_kind(w, obj, s);
	if (s->text != NULL)
		put(w, obj, "annotty_text", cJSON_CreateString(s->text));
	put_extras(w, obj, extras);
	out_element(w, obj, first);
	cJSON_Delete(extras);
}

/* ---- the document ---- */

/* Top-level extras (info, licenses, ...) in their order, each as one member line. */
static void out_top(struct writer *w)
{
	cJSON *extras = extras_parse(w->doc->extra_json), *item;

	cJSON_ArrayForEach(item, extras)
	{
		char *text = is_own_key(item->string) ? NULL : cJSON_PrintUnformatted(item);
		if (text == NULL)
			continue;
		if (buf_puts(&w->out, "  ") < 0)
			w->failed = 1;
		out_json_string(w, item->string);
		if (buf_puts(&w->out, ": ") < 0 || buf_puts(&w->out, text) < 0 ||
		    buf_puts(&w->out, ",\n") < 0)
			w->failed = 1;
		free(text);
	}
	/* a dataset that did not come from COCO still says what it is */
	if (extra(extras, "info") == NULL && w->doc->name != NULL) {
		if (buf_puts(&w->out, "  \"info\": {\"description\":") < 0)
			w->failed = 1;
		out_json_string(w, w->doc->name);
		if (buf_puts(&w->out, "},\n") < 0)
			w->failed = 1;
	}
	cJSON_Delete(extras);
}

static void out_lists(struct writer *w)
{
	const struct dataset_doc *doc = w->doc;
	size_t si = 0;

	out_list_start(w, "images");
	for (int i = 0; i < doc->nassets && !w->failed; i++)
		out_image(w, (size_t)i, i == 0);
	out_list_end(w, 0);
	out_list_start(w, "annotations");
	for (int i = 0; i < doc->nassets && !w->failed; i++)
		for (int j = 0; j < doc->assets[i].nshapes && !w->failed; j++, si++)
			out_annotation(w, (size_t)i, &doc->assets[i].shapes[j], si, si == 0);
	out_list_end(w, 0);
	out_list_start(w, "categories");
	for (int i = 0; i < doc->nlabels && !w->failed; i++)
		out_category(w, (size_t)i, i == 0);
	out_list_end(w, 1);
}

int coco_serialize(const struct dataset_doc *doc, char **out, struct err *err)
{
	struct writer w = {.doc = doc};
	struct json_out_report report;
	int rc = -1;

	*out = NULL;
	buf_init(&w.out, COCO_MAX_BYTES);
	if (writer_ids(&w) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	if (buf_puts(&w.out, "{\n") < 0)
		w.failed = 1;
	out_top(&w);
	out_lists(&w);
	if (w.failed || buf_puts(&w.out, "}\n") < 0) {
		err_set(err, "out of memory, or the COCO text would be larger than %zu MiB",
		        COCO_MAX_BYTES >> 20);
		goto out;
	}
	/* names and kept extras come from data: no raw control byte or broken UTF-8 goes out */
	*out = json_out_strict((const char *)w.out.data, &report);
	if (*out == NULL) {
		err_set(err, "out of memory");
		goto out;
	}
	json_out_warn(&report, "the COCO export");
	rc = 0;
out:
	buf_free(&w.out);
	ids_free(&w.images);
	ids_free(&w.labels);
	ids_free(&w.shapes);
	return rc;
}

/* ---- writing the file ---- */

static int write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Makes the rename itself durable; a failure here does not undo the write. */
static void sync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash == NULL)
		strcpy(dir, ".");
	else if ((size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		return;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int open_temp(const char *path, char *tmp, size_t tmpsz, struct err *err)
{
	struct stat st;
	int fd;

	if (snprintf(tmp, tmpsz, "%s.tmp-XXXXXX", path) >= (int)tmpsz)
		return err_set(err, "path too long: %s", path);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return err_set(err, "cannot write %s: its folder does not exist", path);
	if (fd < 0)
		return err_set(err, "cannot write %s: %s", path, strerror(errno));
	/* keep the mode of the file being replaced; a new file is readable by others, as
	 * datasets usually are */
	fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);
	return fd;
}

/* Writing through a symbolic link replaces the file it points to, and keeps the link. */
static const char *write_target(const char *path, char *buf)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && realpath(path, buf) != NULL)
		return buf;
	return path;
}

int coco_write_file(const struct dataset_doc *doc, const char *path, struct err *err)
{
	char tmp[PATH_MAX], real[PATH_MAX], *text = NULL;
	const char *target = write_target(path, real);
	int fd = -1, rc = -1;

	tmp[0] = '\0';
	if (coco_serialize(doc, &text, err) < 0)
		goto out;
	fd = open_temp(target, tmp, sizeof tmp, err);
	if (fd < 0) {
		tmp[0] = '\0';
		goto out;
	}
	if (write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_set(err, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, target) < 0) {
		err_set(err, "cannot replace %s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	sync_dir_of(target);
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0] != '\0')
		unlink(tmp);
	free(text);
	return rc;
}
