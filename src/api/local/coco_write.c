/* COCO JSON writer: integer ids for every object, each shape's geometry the way COCO readers
 * expect it, the annotty extension fields, the kept extras; and the atomic write to disk. */
#include "api/local/coco.h"
#include "api/local/coco_internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/json_out.h"
#include "core/log.h"
#include "core/model.h"
#include "core/str.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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
	int precise;         /* numbers in their shortest exact form (else at most 2 decimals) */
	int io_failed;       /* writing to sink failed (errno kept in io_errno) */
	int io_errno;
	FILE *sink;    /* streamed: each element goes out as it is made; NULL: all in out */
	long bad_utf8; /* strings that held bytes not UTF-8, over every flush */
	char bad_first[160];
};

/* Extension and structural keys the writer produces itself: never copied from extras. */
static const char *const own_keys[] = {
    "annotty_id",     "annotty_type", "annotty_points", "annotty_text",
    "annotty_status", "annotty_tags", "annotty_task",   NULL};

/* The lists the writer makes at the top level: an annotation's own member named "images" is
 * kept (they are lists of the document, not keys of its objects). */
static const char *const list_keys[] = {"images", "annotations", "categories", NULL};

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

/* The shortest decimal text that reads back as the same double: 177.292 stays 177.292. */
static void num_exact(double v, char *text, size_t size)
{
	for (int p = 1; p <= 17; p++) {
		snprintf(text, size, "%.*g", p, v);
		if (strtod(text, NULL) == v)
			return;
	}
}

/* Integers as integers; other values exactly when the writer is precise (exports), else with
 * at most 2 decimals (coco_serialize's compact form). */
static cJSON *num(const struct writer *w, double v)
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
	if (w->precise) {
		num_exact(v, text, sizeof text);
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

static int in_keys(const char *key, const char *const *keys)
{
	for (int i = 0; keys[i] != NULL; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

static int is_own_key(const char *key)
{
	return in_keys(key, own_keys);
}

/* Puts a kept value back as it was (a copy: the object outlives the parsed extras). */
static void put_extra(struct writer *w, cJSON *obj, const char *key, const cJSON *value)
{
	put(w, obj, key, cJSON_Duplicate(value, 1));
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

/* What is in out goes to the sink, made strict (a streamed export holds one element at a
 * time). */
static void flush(struct writer *w)
{
	struct json_out_report report;
	char *strict;

	if (w->sink == NULL || w->out.len == 0 || w->failed)
		return;
	strict = json_out_strict((const char *)w->out.data, &report);
	if (strict == NULL) {
		w->failed = 1;
		return;
	}
	if (report.fields > 0 && w->bad_utf8++ == 0)
		str_copy(w->bad_first, report.first, sizeof w->bad_first);
	if (!w->io_failed && fputs(strict, w->sink) == EOF) {
		w->io_failed = 1;
		w->io_errno = errno;
	}
	free(strict);
	buf_reset(&w->out);
}

static void out_text(struct writer *w, const char *text)
{
	if (buf_puts(&w->out, text) < 0)
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
	flush(w);
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
	put(w, o, "rejected_count", num(w, t->rejected_count));
	put(w, o, "comment",
	    t->comment != NULL ? cJSON_CreateString(t->comment) : cJSON_CreateNull());
	return o;
}

static cJSON *gen_image(struct writer *w, size_t i)
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
	put(w, obj, "width", num(w, a->width));
	put(w, obj, "height", num(w, a->height));
	put_extras(w, obj, extras);
	put(w, obj, "annotty_status", cJSON_CreateString(review_status_name(a->status)));
	for (int t = 0; tags != NULL && t < a->ntags; t++)
		push(w, tags, cJSON_CreateString(a->tags[t]));
	put(w, obj, "annotty_tags", tags);
	if (a->task != NULL)
		put(w, obj, "annotty_task", task_json(w, a->task));
	cJSON_Delete(extras);
	return obj;
}

static cJSON *gen_category(struct writer *w, size_t i)
{
	const struct label *l = &w->doc->labels[i];
	cJSON *obj = cJSON_CreateObject(), *extras = extras_parse(l->extra_json);

	if (obj == NULL)
		w->failed = 1;
	put_id(w, obj, &w->labels, i, l->ext_id);
	put(w, obj, "name", cJSON_CreateString(l->name != NULL ? l->name : ""));
	put_extras(w, obj, extras);
	cJSON_Delete(extras);
	return obj;
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
			push(w, flat, num(w, s->points[i].x));
			push(w, flat, num(w, s->points[i].y));
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
		g->segmentation = cJSON_Duplicate(rle_json, 1);
		if (g->segmentation == NULL)
			w->failed = 1;
	}
}

static cJSON *point_list(struct writer *w, const struct shape *s, int max)
{
	cJSON *list = cJSON_CreateArray();

	for (int i = 0; list != NULL && i < s->npoints && i < max; i++) {
		cJSON *pt = cJSON_CreateArray();
		push(w, pt, num(w, s->points[i].x));
		push(w, pt, num(w, s->points[i].y));
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
	push(w, kp, num(w, s->points[0].x));
	push(w, kp, num(w, s->points[0].y));
	push(w, kp, num(w, 2));
	put(w, obj, "keypoints", kp);
	put(w, obj, "num_keypoints", num(w, 1));
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

	push(w, b, num(w, r->x));
	push(w, b, num(w, r->y));
	push(w, b, num(w, r->w));
	push(w, b, num(w, r->h));
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

static cJSON *gen_annotation(struct writer *w, size_t ai, const struct shape *s, size_t si)
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
	put(w, obj, "area", num(w, g.area));
	if (crowd != NULL)
		put_extra(w, obj, "iscrowd", crowd);
	else
		put(w, obj, "iscrowd", num(w, 0));
	put(w, obj, "segmentation", g.segmentation);
	put_annotty_kind(w, obj, s);
	if (s->text != NULL)
		put(w, obj, "annotty_text", cJSON_CreateString(s->text));
	put_extras(w, obj, extras);
	cJSON_Delete(extras);
	return obj;
}

/* ---- the document ---- */

/* Top-level extras (info, licenses, ...) in their order, each as one member line. */
static void out_top(struct writer *w)
{
	cJSON *extras = extras_parse(w->doc->extra_json), *item;

	cJSON_ArrayForEach(item, extras)
	{
		char *text = is_own_key(item->string) || in_keys(item->string, list_keys)
		                 ? NULL
		                 : cJSON_PrintUnformatted(item);
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
	/* a dataset that did not come from COCO still says what it is; a COCO source without
	 * info gets none */
	if (extra(extras, "info") == NULL && w->doc->name != NULL &&
	    (w->doc->format == NULL || strcmp(w->doc->format, "coco") != 0 || !w->precise)) {
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
		out_element(w, gen_image(w, (size_t)i), i == 0);
	out_list_end(w, 0);
	out_list_start(w, "annotations");
	for (int i = 0; i < doc->nassets && !w->failed; i++)
		for (int j = 0; j < doc->assets[i].nshapes && !w->failed; j++, si++)
			out_element(w, gen_annotation(w, (size_t)i, &doc->assets[i].shapes[j], si),
			            si == 0);
	out_list_end(w, 0);
	out_list_start(w, "categories");
	for (int i = 0; i < doc->nlabels && !w->failed; i++)
		out_element(w, gen_category(w, (size_t)i), i == 0);
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

/* ---- the faithful export: the source COCO file as the template ---- */

/* A span of the source text: one JSON value or key as it was written. */
struct span {
	const char *p;
	size_t n;
};

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of the value at p (after it), or NULL when the text is not JSON there. Strings are
 * stepped over with their escapes; objects and arrays by depth (bounded). */
static const char *skip_value(const char *p, const char *end)
{
	int depth = 0;

	do {
		p = skip_ws(p, end);
		if (p >= end)
			return NULL;
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return NULL;
			p++;
		} else if (*p == '{' || *p == '[') {
			if (++depth > 512)
				return NULL;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (--depth < 0)
				return NULL;
			p++;
		} else if (*p == ',' || *p == ':') {
			if (depth == 0)
				return NULL;
			p++;
		} else {
			while (p < end && strchr(",:]} \t\r\n", *p) == NULL)
				p++;
		}
	} while (depth > 0 && p < end);
	return depth == 0 ? p : NULL;
}

/* One member of an object at *pp ("key": value); 1 with key and value, 0 at the '}', -1 on
 * text that is not JSON. */
static int next_member(const char **pp, const char *end, char *key, size_t keysz,
                       struct span *value)
{
	const char *p = skip_ws(*pp, end), *k;
	cJSON *kj;

	if (p < end && *p == ',')
		p = skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		*pp = p + 1;
		return 0;
	}
	if (p >= end || *p != '"' || (k = skip_value(p, end)) == NULL)
		return -1;
	kj = cJSON_ParseWithLength(p, (size_t)(k - p));
	if (!cJSON_IsString(kj)) {
		cJSON_Delete(kj);
		return -1;
	}
	str_copy(key, kj->valuestring, keysz);
	cJSON_Delete(kj);
	p = skip_ws(k, end);
	if (p >= end || *p != ':')
		return -1;
	value->p = skip_ws(p + 1, end);
	if ((p = skip_value(value->p, end)) == NULL)
		return -1;
	value->n = (size_t)(p - value->p);
	*pp = p;
	return 1;
}

/* One element of an array at *pp; 1, 0 at the ']', -1 on text that is not JSON. */
static int next_element(const char **pp, const char *end, struct span *value)
{
	const char *p = skip_ws(*pp, end);

	if (p < end && *p == ',')
		p = skip_ws(p + 1, end);
	if (p < end && *p == ']') {
		*pp = p + 1;
		return 0;
	}
	value->p = p;
	if ((p = skip_value(p, end)) == NULL)
		return -1;
	value->n = (size_t)(p - value->p);
	*pp = p;
	return 1;
}

/* What the merge knows: which doc object each source element is, and which were written. */
struct merge {
	struct writer *w;
	struct coco_index images, labels, shapes; /* ext_id -> index (shapes: global index) */
	int *shape_asset;                         /* global shape index -> asset */
	int *shape_local;                         /* -> index within the asset */
	unsigned char *done_images, *done_labels, *done_shapes;
	size_t nshapes;
	int bad; /* the source text could not be followed */
};

static void merge_free(struct merge *m)
{
	coco_index_free(&m->images);
	coco_index_free(&m->labels);
	coco_index_free(&m->shapes);
	free(m->shape_asset);
	free(m->shape_local);
	free(m->done_images);
	free(m->done_labels);
	free(m->done_shapes);
}

static int merge_init(struct merge *m, struct writer *w)
{
	const struct dataset_doc *doc = w->doc;
	size_t k = 0;

	memset(m, 0, sizeof *m);
	m->w = w;
	for (int i = 0; i < doc->nassets; i++)
		m->nshapes += (size_t)doc->assets[i].nshapes;
	m->shape_asset = malloc((m->nshapes + 1) * sizeof *m->shape_asset);
	m->shape_local = malloc((m->nshapes + 1) * sizeof *m->shape_local);
	m->done_images = calloc((size_t)doc->nassets + 1, 1);
	m->done_labels = calloc((size_t)doc->nlabels + 1, 1);
	m->done_shapes = calloc(m->nshapes + 1, 1);
	if (m->shape_asset == NULL || m->shape_local == NULL || m->done_images == NULL ||
	    m->done_labels == NULL || m->done_shapes == NULL)
		return -1;
	for (int i = 0; i < doc->nassets; i++) {
		if (doc->assets[i].ext_id != NULL &&
		    coco_index_add(&m->images, doc->assets[i].ext_id, i) < 0)
			return -1;
		for (int j = 0; j < doc->assets[i].nshapes; j++, k++) {
			const char *id = doc->assets[i].shapes[j].ext_id;
			m->shape_asset[k] = i;
			m->shape_local[k] = j;
			if (id != NULL && coco_index_add(&m->shapes, id, (int)k) < 0)
				return -1;
		}
	}
	for (int i = 0; i < doc->nlabels; i++)
		if (doc->labels[i].ext_id != NULL &&
		    coco_index_add(&m->labels, doc->labels[i].ext_id, i) < 0)
			return -1;
	return 0;
}

/* The id a source element is known by (annotty_id, else id), or -1. */
static int element_key(const cJSON *obj, char *out, size_t outsz)
{
	const cJSON *own = cJSON_GetObjectItemCaseSensitive(obj, "annotty_id");

	if (cJSON_IsString(own)) {
		str_copy(out, own->valuestring, outsz);
		return 0;
	}
	return coco_id_text(cJSON_GetObjectItemCaseSensitive(obj, "id"), out, outsz);
}

static int same_geometry(const struct shape *a, const struct shape *b)
{
	if (a->kind != b->kind || a->box.x != b->box.x || a->box.y != b->box.y ||
	    a->box.w != b->box.w || a->box.h != b->box.h || a->npoints != b->npoints ||
	    a->nparts != b->nparts)
		return 0;
	for (int i = 0; i < a->npoints; i++)
		if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y)
			return 0;
	for (int i = 0; i < a->nparts; i++)
		if (a->part_ends[i] != b->part_ends[i])
			return 0;
	return 1;
}

/* Whether the shape's geometry is still the one the source annotation gives: read again as
 * the reader reads it, and compared exactly. */
static int geometry_untouched(struct merge *m, const cJSON *ann, const struct asset *a,
                              const struct shape *s)
{
	struct dataset_doc tmp = {0};
	struct asset one = {0};
	struct coco_index images = {0};
	struct coco_ann_ctx ctx = {.doc = &tmp, .images = &images, .labels = &m->labels};
	char key[COCO_KEY_MAX];
	struct err e;
	int same = 0;

	one.width = a->width;
	one.height = a->height;
	tmp.assets = &one;
	tmp.nassets = 1;
	tmp.labels = m->w->doc->labels;
	tmp.nlabels = m->w->doc->nlabels;
	if (coco_id_text(cJSON_GetObjectItemCaseSensitive(ann, "image_id"), key, sizeof key) == 0 &&
	    coco_index_add(&images, key, 0) == 0 && coco_ann_read(&ctx, ann, &e) == 0 &&
	    one.nshapes == 1)
		same = same_geometry(&one.shapes[0], s);
	for (int i = 0; i < one.nshapes; i++)
		shape_clear(&one.shapes[i]);
	free(one.shapes);
	for (int i = 0; i < tmp.nwarnings; i++)
		free(tmp.warnings[i]);
	free(tmp.warnings);
	coco_index_free(&images);
	return same;
}

/* Keys whose source text stands while the geometry is the source's. */
static const char *const geometry_keys[] = {
    "bbox", "area", "segmentation", "keypoints", "num_keypoints", "annotty_points", NULL};

static int values_equal(const struct span *src, const cJSON *gen)
{
	cJSON *a = cJSON_ParseWithLength(src->p, src->n);
	char *text = cJSON_PrintUnformatted(gen);
	cJSON *b = text != NULL ? cJSON_Parse(text) : NULL;
	int eq = a != NULL && b != NULL && cJSON_Compare(a, b, 1);

	cJSON_Delete(a);
	cJSON_Delete(b);
	free(text);
	return eq;
}

static void out_member(struct writer *w, int *first, const char *key, const char *text, size_t n)
{
	if (!*first)
		out_text(w, ",");
	*first = 0;
	out_json_string(w, key);
	out_text(w, ":");
	if (buf_append(&w->out, text, n) < 0)
		w->failed = 1;
}

static void out_gen_member(struct writer *w, int *first, const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);

	if (text == NULL) {
		w->failed = 1;
		return;
	}
	out_member(w, first, item->string, text, strlen(text));
	free(text);
}

/* One element: the source's members in the source's order, each as the source wrote it
 * unless the value annotty has for it differs (then annotty's); then annotty's members the
 * source did not have (its own annotty_ fields always; others only when edited). */
static void merge_element(struct writer *w, const struct span *src, cJSON *gen, int untouched,
                          int edited, int first_el)
{
	const char *p = src->p + 1, *end = src->p + src->n;
	char key[256];
	struct span v;
	int first = 1, r = 0;
	const cJSON *g;

	out_text(w, first_el ? "\n    {" : ",\n    {");
	while ((r = next_member(&p, end, key, sizeof key, &v)) > 0) {
		cJSON *mine = cJSON_GetObjectItemCaseSensitive(gen, key);
		if (mine == NULL) {
			if (!is_own_key(key))
				out_member(w, &first, key, v.p, v.n);
			continue;
		}
		if ((untouched && in_keys(key, geometry_keys)) || values_equal(&v, mine))
			out_member(w, &first, key, v.p, v.n);
		else
			out_gen_member(w, &first, mine);
		mine->type |= cJSON_IsReference; /* written: marked so the tail skips it */
	}
	if (r < 0)
		w->failed = 1;
	cJSON_ArrayForEach(g, gen)
	{
		if (g->type & cJSON_IsReference)
			continue;
		if (is_own_key(g->string) || edited)
			out_gen_member(w, &first, g);
	}
	out_text(w, "}");
	/* the marks are not real references: clear them before cJSON frees the items */
	for (cJSON *c = gen != NULL ? gen->child : NULL; c != NULL; c = c->next)
		c->type &= ~cJSON_IsReference;
	cJSON_Delete(gen);
	flush(w);
}

enum list_kind { LIST_IMAGES, LIST_ANNOTATIONS, LIST_CATEGORIES };

/* The doc object a source element is, and its generated form; NULL when the user deleted it
 * (or it was written already). */
static cJSON *element_gen(struct merge *m, enum list_kind kind, const cJSON *obj, int *untouched,
                          int *edited)
{
	char key[COCO_KEY_MAX];
	int i;

	*untouched = 0;
	*edited = 0;
	if (element_key(obj, key, sizeof key) < 0)
		return NULL;
	if (kind == LIST_IMAGES) {
		if ((i = coco_index_find(&m->images, key)) < 0 || m->done_images[i]++)
			return NULL;
		return gen_image(m->w, (size_t)i);
	}
	if (kind == LIST_CATEGORIES) {
		if ((i = coco_index_find(&m->labels, key)) < 0 || m->done_labels[i]++)
			return NULL;
		return gen_category(m->w, (size_t)i);
	}
	if ((i = coco_index_find(&m->shapes, key)) < 0 || m->done_shapes[i]++)
		return NULL;
	{
		const struct asset *a = &m->w->doc->assets[m->shape_asset[i]];
		const struct shape *s = &a->shapes[m->shape_local[i]];
		*untouched = geometry_untouched(m, obj, a, s);
		*edited = !*untouched;
		return gen_annotation(m->w, (size_t)m->shape_asset[i], s, (size_t)i);
	}
}

/* The objects the source did not have (made here), after its own. */
static void merge_rest(struct merge *m, enum list_kind kind, int *first)
{
	const struct dataset_doc *doc = m->w->doc;

	if (kind == LIST_IMAGES)
		for (int i = 0; i < doc->nassets && !m->w->failed; i++)
			if (!m->done_images[i])
				out_element(m->w, gen_image(m->w, (size_t)i), (*first)++ == 0);
	if (kind == LIST_CATEGORIES)
		for (int i = 0; i < doc->nlabels && !m->w->failed; i++)
			if (!m->done_labels[i])
				out_element(m->w, gen_category(m->w, (size_t)i), (*first)++ == 0);
	if (kind == LIST_ANNOTATIONS)
		for (int i = 0, k = 0; i < doc->nassets && !m->w->failed; i++)
			for (int j = 0; j < doc->assets[i].nshapes; j++, k++) {
				if (!m->done_shapes[k])
					out_element(m->w,
					            gen_annotation(m->w, (size_t)i,
					                           &doc->assets[i].shapes[j],
					                           (size_t)k),
					            (*first)++ == 0);
			}
}

static void merge_list(struct merge *m, enum list_kind kind, const struct span *list)
{
	const char *p = list->p + 1, *end = list->p + list->n;
	struct span el;
	int r = 0, n = 0;

	if (list->n == 0 || list->p[0] != '[') {
		m->bad = 1;
		return;
	}
	out_text(m->w, "[");
	while (!m->w->failed && (r = next_element(&p, end, &el)) > 0) {
		cJSON *obj = cJSON_ParseWithLength(el.p, el.n), *gen = NULL;
		int untouched = 0, edited = 0;
		if (cJSON_IsObject(obj))
			gen = element_gen(m, kind, obj, &untouched, &edited);
		cJSON_Delete(obj);
		if (gen != NULL)
			merge_element(m->w, &el, gen, untouched, edited, n++ == 0);
	}
	if (r < 0)
		m->bad = 1;
	merge_rest(m, kind, &n);
	out_text(m->w, "\n  ]");
	flush(m->w);
}

static int list_kind_of(const char *key, enum list_kind *kind)
{
	for (int i = 0; list_keys[i] != NULL; i++)
		if (strcmp(key, list_keys[i]) == 0) {
			*kind = (enum list_kind)i;
			return 1;
		}
	return 0;
}

/* The top level: the source's members in order, the lists merged, the kept extras that the
 * source no longer has (or never had) after them, and any list the source lacked. */
static void merge_top(struct merge *m, const char *text, size_t len)
{
	const char *p = skip_ws(text, text + len), *end = text + len;
	cJSON *extras = extras_parse(m->w->doc->extra_json);
	const cJSON *x;
	unsigned seen_lists = 0;
	char key[256];
	struct span v;
	int first = 1, r = 0;

	if (p >= end || *p != '{') {
		m->bad = 1;
		goto out;
	}
	p++;
	out_text(m->w, "{\n  ");
	while (!m->w->failed && (r = next_member(&p, end, key, sizeof key, &v)) > 0) {
		enum list_kind kind;
		cJSON *mine = cJSON_GetObjectItemCaseSensitive(extras, key);
		if (list_kind_of(key, &kind)) {
			if (!first)
				out_text(m->w, ",\n  ");
			first = 0;
			out_json_string(m->w, key);
			out_text(m->w, ": ");
			merge_list(m, kind, &v);
			seen_lists |= 1u << kind;
			continue;
		}
		if (!first)
			out_text(m->w, ",\n  ");
		if (mine == NULL || values_equal(&v, mine)) {
			first = 1; /* out_member writes its own comma otherwise */
			out_member(m->w, &first, key, v.p, v.n);
		} else {
			first = 1;
			out_gen_member(m->w, &first, mine);
		}
		if (mine != NULL)
			mine->type |= cJSON_IsReference;
		flush(m->w);
	}
	if (r < 0)
		m->bad = 1;
	cJSON_ArrayForEach(x, extras)
	{
		int one = 1;
		if ((x->type & cJSON_IsReference) || is_own_key(x->string) ||
		    in_keys(x->string, list_keys))
			continue;
		out_text(m->w, first ? "" : ",\n  ");
		first = 0;
		out_gen_member(m->w, &one, x);
	}
	for (int k = 0; k < 3; k++) {
		static const struct span empty = {"[]", 2};
		if (seen_lists & (1u << k))
			continue;
		out_text(m->w, first ? "" : ",\n  ");
		first = 0;
		out_json_string(m->w, list_keys[k]);
		out_text(m->w, ": ");
		merge_list(m, (enum list_kind)k, &empty);
	}
	out_text(m->w, "\n}\n");
	flush(m->w);
out:
	for (cJSON *c = extras != NULL ? extras->child : NULL; c != NULL; c = c->next)
		c->type &= ~cJSON_IsReference;
	cJSON_Delete(extras);
}

/* The source mapped read-only; NULL when it cannot be (then the export is made afresh). */
static const char *map_source(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || st.st_size <= 0 || (uint64_t)st.st_size > COCO_MAX_BYTES) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return p;
}

/* Streams the export to sink: merged with the source when there is one that can be
 * followed, else made afresh. */
static int export_stream(const struct dataset_doc *doc, const char *source, FILE *sink,
                         const char *what, struct err *err)
{
	struct writer w = {.doc = doc, .precise = 1, .sink = sink};
	struct merge m;
	size_t len = 0;
	const char *text = source != NULL ? map_source(source, &len) : NULL;
	int rc = -1, merged = 0;

	memset(&m, 0, sizeof m);
	buf_init(&w.out, COCO_MAX_BYTES);
	if (writer_ids(&w) < 0 || merge_init(&m, &w) < 0) {
		err_set(err, "out of memory");
		goto out;
	}
	/* a BOM before the object is not JSON's: skipped, as the reader does */
	if (text != NULL && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		merge_top(&m, text + 3, len - 3), merged = 1;
	else if (text != NULL)
		merge_top(&m, text, len), merged = 1;
	if (merged && m.bad) {
		/* the source changed under us into something we cannot follow: made afresh */
		if (fseek(sink, 0, SEEK_SET) < 0 || ftruncate(fileno(sink), 0) < 0) {
			err_setk(err, ERR_PARSE, "%s: the source COCO file cannot be followed",
			         source);
			goto out;
		}
		buf_reset(&w.out);
		merged = 0;
	}
	if (!merged) {
		out_text(&w, "{\n");
		out_top(&w);
		flush(&w);
		out_lists(&w);
		out_text(&w, "}\n");
		flush(&w);
	}
	if (w.failed) {
		err_set(err, "out of memory writing %s", what);
		goto out;
	}
	if (w.io_failed || fflush(sink) == EOF) {
		err_setk(err, ERR_IO, "cannot write %s: %s", what,
		         strerror(w.io_failed ? w.io_errno : errno));
		goto out;
	}
	if (w.bad_utf8 > 0)
		log_msg(LOG_WARN,
		        "%s: %ld text field(s) held bytes that are not UTF-8, written as "
		        "U+FFFD, e.g. %s",
		        what, w.bad_utf8, w.bad_first);
	rc = 0;
out:
	if (text != NULL)
		munmap((void *)text, len);
	merge_free(&m);
	buf_free(&w.out);
	ids_free(&w.images);
	ids_free(&w.labels);
	ids_free(&w.shapes);
	return rc;
}

int coco_export(const struct dataset_doc *doc, const char *source, const char *path,
                struct err *err)
{
	char tmp[PATH_MAX], real[PATH_MAX];
	const char *target;
	FILE *f = NULL;
	int fd, rc = -1;

	if (strcmp(path, "-") == 0) {
		/* standard output: nothing to make atomic; a broken pipe is an error */
		return export_stream(doc, source, stdout, "standard output", err);
	}
	target = write_target(path, real);
	tmp[0] = '\0';
	if ((fd = open_temp(target, tmp, sizeof tmp, err)) < 0)
		return -1;
	if ((f = fdopen(fd, "w+")) == NULL) {
		close(fd);
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	if (export_stream(doc, source, f, path, err) < 0)
		goto out;
	if (fsync(fileno(f)) < 0 || fclose(f) == EOF) {
		f = NULL;
		err_setk(err, ERR_IO, "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, target) < 0) {
		err_setk(err, ERR_IO, "cannot replace %s: %s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	sync_dir_of(target);
	rc = 0;
out:
	if (f != NULL)
		fclose(f);
	if (tmp[0] != '\0')
		unlink(tmp);
	return rc;
}
