/* Domain values: names of enums, growth helpers and destructors (see model.h). */
#include "core/model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const shape_kind_names[SHAPE_KIND_COUNT] = {
    "box", "polygon", "line", "point", "classification", "mask",
};

static const char *const review_status_names[REVIEW_STATUS_COUNT] = {
    "pending",
    "accepted",
    "rejected",
    "skipped",
};

const char *shape_kind_name(enum shape_kind kind)
{
	return (unsigned)kind < SHAPE_KIND_COUNT ? shape_kind_names[kind] : "unknown";
}

int shape_kind_parse(const char *name, enum shape_kind *out)
{
	for (int i = 0; i < SHAPE_KIND_COUNT; i++) {
		if (strcmp(name, shape_kind_names[i]) == 0) {
			*out = (enum shape_kind)i;
			return 0;
		}
	}
	return -1;
}

const char *review_status_name(enum review_status status)
{
	return (unsigned)status < REVIEW_STATUS_COUNT ? review_status_names[status] : "unknown";
}

int review_status_parse(const char *name, enum review_status *out)
{
	for (int i = 0; i < REVIEW_STATUS_COUNT; i++) {
		if (strcasecmp(name, review_status_names[i]) == 0) {
			*out = (enum review_status)i;
			return 0;
		}
	}
	/* Picsellia's spellings */
	if (strcasecmp(name, "refused") == 0) {
		*out = REVIEW_REJECTED;
		return 0;
	}
	return -1;
}

/* Grows *items (of *count elements of size elem) by one zeroed element. */
static void *grow_one(void *items_ptr, int *count, size_t elem)
{
	void **items = items_ptr;
	int n = *count;
	size_t cap = 4;
	char *p;

	/* The capacity is the next power of two (at least 4), with no field to keep it in. The
	 * array is resized on every append rather than only at powers of two, so that an array
	 * someone allocated to its exact size (a shape read from the cache) grows safely too;
	 * realloc to the size a block already has returns at once. */
	while (cap < (size_t)n + 1)
		cap *= 2;
	p = realloc(*items, cap * elem);
	if (p == NULL)
		return NULL;
	*items = p;
	p = (char *)*items + (size_t)n * elem;
	memset(p, 0, elem);
	*count = n + 1;
	return p;
}

struct label *dataset_doc_add_label(struct dataset_doc *doc)
{
	return grow_one(&doc->labels, &doc->nlabels, sizeof *doc->labels);
}

struct asset *dataset_doc_add_asset(struct dataset_doc *doc)
{
	return grow_one(&doc->assets, &doc->nassets, sizeof *doc->assets);
}

struct shape *asset_add_shape(struct asset *asset)
{
	struct shape *s = grow_one(&asset->shapes, &asset->nshapes, sizeof *asset->shapes);

	if (s != NULL)
		s->label = -1;
	return s;
}

int asset_add_tag(struct asset *asset, const char *tag)
{
	char **slot;
	char *copy;

	for (int i = 0; i < asset->ntags; i++)
		if (strcmp(asset->tags[i], tag) == 0)
			return 0;
	copy = strdup(tag);
	if (copy == NULL)
		return -1;
	slot = grow_one(&asset->tags, &asset->ntags, sizeof *asset->tags);
	if (slot == NULL) {
		free(copy);
		return -1;
	}
	*slot = copy;
	return 0;
}

int shape_add_point(struct shape *shape, double x, double y)
{
	struct point *p = grow_one(&shape->points, &shape->npoints, sizeof *shape->points);

	if (p == NULL)
		return -1;
	p->x = x;
	p->y = y;
	return 0;
}

int shape_end_part(struct shape *shape)
{
	int *end = grow_one(&shape->part_ends, &shape->nparts, sizeof *shape->part_ends);

	if (end == NULL)
		return -1;
	*end = shape->npoints;
	return 0;
}

int dataset_doc_warn(struct dataset_doc *doc, const char *fmt, ...)
{
	char msg[512];
	char **slot;
	va_list ap;

	if (doc->nwarnings >= 1000) /* enough to tell the user; the rest would be noise */
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	slot = grow_one(&doc->warnings, &doc->nwarnings, sizeof *doc->warnings);
	if (slot == NULL)
		return -1;
	*slot = strdup(msg);
	return *slot ? 0 : -1;
}

int dataset_doc_find_label(const struct dataset_doc *doc, const char *name)
{
	for (int i = 0; i < doc->nlabels; i++)
		if (doc->labels[i].name != NULL && strcmp(doc->labels[i].name, name) == 0)
			return i;
	return -1;
}

void shape_update_bounds(struct shape *shape)
{
	double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

	if (shape->kind == SHAPE_BOX || shape->kind == SHAPE_CLASSIFICATION ||
	    shape->kind == SHAPE_MASK || shape->npoints == 0)
		return;
	for (int i = 0; i < shape->npoints; i++) {
		x0 = fmin(x0, shape->points[i].x);
		y0 = fmin(y0, shape->points[i].y);
		x1 = fmax(x1, shape->points[i].x);
		y1 = fmax(y1, shape->points[i].y);
	}
	shape->box.x = x0;
	shape->box.y = y0;
	shape->box.w = x1 - x0;
	shape->box.h = y1 - y0;
}

void shape_clear(struct shape *shape)
{
	free(shape->ext_id);
	free(shape->points);
	free(shape->part_ends);
	free(shape->text);
	free(shape->extra_json);
	memset(shape, 0, sizeof *shape);
	shape->label = -1;
}

void asset_clear(struct asset *asset)
{
	for (int i = 0; i < asset->nshapes; i++)
		shape_clear(&asset->shapes[i]);
	for (int i = 0; i < asset->ntags; i++)
		free(asset->tags[i]);
	free(asset->shapes);
	free(asset->tags);
	free(asset->ext_id);
	free(asset->data_ext_id);
	free(asset->annotation_ext_id);
	free(asset->filename);
	free(asset->path);
	free(asset->extra_json);
	asset_task_free(&asset->task);
	memset(asset, 0, sizeof *asset);
}

struct dataset_doc *dataset_doc_new(void)
{
	return calloc(1, sizeof(struct dataset_doc));
}

void dataset_doc_free(struct dataset_doc **docp)
{
	struct dataset_doc *doc = *docp;

	if (doc == NULL)
		return;
	for (int i = 0; i < doc->nlabels; i++) {
		free(doc->labels[i].ext_id);
		free(doc->labels[i].name);
		free(doc->labels[i].extra_json);
	}
	for (int i = 0; i < doc->nassets; i++)
		asset_clear(&doc->assets[i]);
	for (int i = 0; i < doc->nwarnings; i++)
		free(doc->warnings[i]);
	free(doc->labels);
	free(doc->assets);
	free(doc->warnings);
	free(doc->name);
	free(doc->format);
	free(doc->extra_json);
	free(doc);
	*docp = NULL;
}

void data_item_clear(struct data_item *d)
{
	for (int i = 0; i < d->ntags; i++)
		free(d->tags[i]);
	free(d->tags);
	free(d->ext_id);
	free(d->filename);
	free(d->object_name);
	free(d->content_type);
	free(d->type);
	free(d->upload_status);
	free(d->extra_json);
	memset(d, 0, sizeof *d);
}
