/* COCO annotations as shapes: the kind (annotty_type, else what segmentation and bbox say),
 * its geometry, its label, and the members left as they were for the round trip. */
#include "api/local/coco_internal.h"
#include "core/err.h"
#include "core/model.h"
#include "core/str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One annotation being read. */
struct ann {
	const cJSON *json;
	const struct asset *asset;
	char id[COCO_KEY_MAX]; /* for messages */
	struct shape shape;
};

/* Each geometry reader returns 1 when the shape is complete, 0 when the annotation is skipped
 * (after a warning), -1 when out of memory. */
typedef int (*geometry_fn)(struct coco_ann_ctx *ctx, struct ann *a);

static const cJSON *member(const cJSON *obj, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(obj, name);
}

/* Warns and returns 0 (the annotation is skipped), or -1 when out of memory. */
static __attribute__((format(printf, 2, 3))) int skip(struct coco_ann_ctx *ctx, const char *fmt,
                                                      ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return dataset_doc_warn(ctx->doc, "%s", msg) < 0 ? -1 : 0;
}

/* A finite number, or -1. */
static int number_of(const cJSON *item, double *out)
{
	if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
		return -1;
	*out = item->valuedouble;
	return 0;
}

/* Reads [x, y, w, h] with w, h >= 0. */
static int bbox_of(const cJSON *bbox, struct rect *r)
{
	double v[4];

	if (!cJSON_IsArray(bbox) || cJSON_GetArraySize(bbox) != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		if (number_of(cJSON_GetArrayItem(bbox, i), &v[i]) < 0)
			return -1;
	if (v[2] < 0 || v[3] < 0)
		return -1;
	r->x = v[0];
	r->y = v[1];
	r->w = v[2];
	r->h = v[3];
	return 0;
}

static int read_box(struct coco_ann_ctx *ctx, struct ann *a)
{
	if (bbox_of(member(a->json, "bbox"), &a->shape.box) == 0)
		return 1;
	return skip(ctx, "annotation %s: bbox is not [x, y, width, height]; skipped", a->id);
}

/* Adds one flat [x1, y1, x2, y2, ...] list as a part; 0 when the list is not a polygon. */
static int polygon_part(struct shape *s, const cJSON *list)
{
	const cJSON *item;
	double x = 0, v;
	int i = 0;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) % 2 != 0 ||
	    cJSON_GetArraySize(list) < 6)
		return 0;
	cJSON_ArrayForEach(item, list)
	{
		if (number_of(item, &v) < 0)
			return 0;
	}
	cJSON_ArrayForEach(item, list)
	{
		if (i++ % 2 == 0) {
			x = item->valuedouble;
			continue;
		}
		if (shape_add_point(s, x, item->valuedouble) < 0)
			return -1;
	}
	return shape_end_part(s) < 0 ? -1 : 1;
}

static int read_polygon(struct coco_ann_ctx *ctx, struct ann *a)
{
	const cJSON *seg = member(a->json, "segmentation"), *part;
	int bad = 0, r;

	a->shape.kind = SHAPE_POLYGON;
	/* a flat list of numbers is a single polygon written without its outer list */
	if (cJSON_IsArray(seg) && cJSON_IsNumber(cJSON_GetArrayItem(seg, 0))) {
		if ((r = polygon_part(&a->shape, seg)) < 0)
			return -1;
		bad = r == 0;
	} else {
		cJSON_ArrayForEach(part, seg)
		{
			if ((r = polygon_part(&a->shape, part)) < 0)
				return -1;
			bad += r == 0;
		}
	}
	if (bad > 0 && dataset_doc_warn(ctx->doc,
	                                "annotation %s: %d polygon part(s) with an odd number of "
	                                "coordinates or fewer than 3 points skipped",
	                                a->id, bad) < 0)
		return -1;
	if (a->shape.nparts > 0) {
		shape_update_bounds(&a->shape);
		return 1;
	}
	/* nothing drawable left: the box still says where the object is */
	a->shape.kind = SHAPE_BOX;
	return read_box(ctx, a);
}

static int read_mask(struct coco_ann_ctx *ctx, struct ann *a)
{
	struct coco_rle rle;
	struct err e;

	a->shape.kind = SHAPE_MASK;
	if (bbox_of(member(a->json, "bbox"), &a->shape.box) == 0)
		return 1;
	if (coco_rle_read(member(a->json, "segmentation"), &rle, &e) < 0)
		return skip(ctx, "annotation %s: %s; skipped", a->id, e.msg);
	coco_rle_bounds(&rle, &a->shape.box, NULL);
	coco_rle_clear(&rle);
	return 1;
}

/* [[x, y], ...] */
static int points_of(const cJSON *list, struct shape *s, int max)
{
	const cJSON *pt;
	double x, y;

	cJSON_ArrayForEach(pt, list)
	{
		if (s->npoints == max)
			break;
		if (!cJSON_IsArray(pt) || number_of(cJSON_GetArrayItem(pt, 0), &x) < 0 ||
		    number_of(cJSON_GetArrayItem(pt, 1), &y) < 0)
			return 0;
		if (shape_add_point(s, x, y) < 0)
			return -1;
	}
	return 1;
}

static int read_line(struct coco_ann_ctx *ctx, struct ann *a)
{
	int r = points_of(member(a->json, "annotty_points"), &a->shape, INT32_MAX);

	if (r < 0)
		return -1;
	if (r == 0 || a->shape.npoints < 2)
		return skip(ctx,
		            "annotation %s: a line needs annotty_points [[x, y], ...] with at "
		            "least 2 points; skipped",
		            a->id);
	if (shape_end_part(&a->shape) < 0)
		return -1;
	shape_update_bounds(&a->shape);
	return 1;
}

static int read_point(struct coco_ann_ctx *ctx, struct ann *a)
{
	const cJSON *kp = member(a->json, "keypoints");
	double x, y;
	int r = points_of(member(a->json, "annotty_points"), &a->shape, 1);

	if (r < 0)
		return -1;
	if (a->shape.npoints == 0 && number_of(cJSON_GetArrayItem(kp, 0), &x) == 0 &&
	    number_of(cJSON_GetArrayItem(kp, 1), &y) == 0 && shape_add_point(&a->shape, x, y) < 0)
		return -1;
	if (a->shape.npoints == 0)
		return skip(ctx,
		            "annotation %s: a point needs annotty_points [[x, y]] or keypoints "
		            "[x, y, v]; skipped",
		            a->id);
	if (shape_end_part(&a->shape) < 0)
		return -1;
	shape_update_bounds(&a->shape);
	return 1;
}

static int read_classification(struct coco_ann_ctx *ctx, struct ann *a)
{
	(void)ctx;
	/* image-level: its box is the whole image */
	a->shape.box.w = a->asset->width;
	a->shape.box.h = a->asset->height;
	return 1;
}

static const geometry_fn geometry_readers[SHAPE_KIND_COUNT] = {
    [SHAPE_BOX] = read_box,
    [SHAPE_POLYGON] = read_polygon,
    [SHAPE_LINE] = read_line,
    [SHAPE_POINT] = read_point,
    [SHAPE_CLASSIFICATION] = read_classification,
    [SHAPE_MASK] = read_mask,
};

/* 1 with the kind set, 0 when the annotation has nothing to draw, -1 when out of memory. */
static int ann_kind(struct coco_ann_ctx *ctx, struct ann *a)
{
	const cJSON *type = member(a->json, "annotty_type"), *seg = member(a->json, "segmentation");

	if (cJSON_IsString(type)) {
		if (shape_kind_parse(type->valuestring, &a->shape.kind) == 0)
			return 1;
		if (dataset_doc_warn(ctx->doc,
		                     "annotation %s: unknown annotty_type \"%s\"; read from its "
		                     "geometry",
		                     a->id, type->valuestring) < 0)
			return -1;
	}
	if (cJSON_IsObject(seg))
		a->shape.kind = SHAPE_MASK;
	else if (cJSON_IsArray(seg) && cJSON_GetArraySize(seg) > 0)
		a->shape.kind = SHAPE_POLYGON;
	else if (member(a->json, "bbox") != NULL)
		a->shape.kind = SHAPE_BOX;
	else if (member(a->json, "category_id") != NULL)
		a->shape.kind = SHAPE_CLASSIFICATION; /* a label for the whole image */
	else
		return 0;
	return 1;
}

/* Sets the label; an unknown category keeps its id among the extras. Returns 1 when the
 * category was found. */
static int ann_label(struct coco_ann_ctx *ctx, struct ann *a)
{
	const cJSON *cat = member(a->json, "category_id");
	char key[COCO_KEY_MAX] = "none";

	if (cat != NULL && coco_id_text(cat, key, sizeof key) == 0)
		a->shape.label = coco_index_find(ctx->labels, key);
	if (a->shape.label >= 0)
		return 1;
	if (ctx->unknown_label++ == 0)
		snprintf(ctx->unknown_label_example, sizeof ctx->unknown_label_example,
		         "annotation %s, category %s", a->id, key);
	return 0;
}

static int ann_extras(struct ann *a, int known_label)
{
	const char *skip[16] = {"id",           "annotty_id",     "image_id",    "bbox",
	                        "annotty_type", "annotty_points", "annotty_text"};
	const cJSON *crowd = member(a->json, "iscrowd");
	int n = 7;

	if (known_label)
		skip[n++] = "category_id";
	/* a mask's RLE and area are kept as they came: they are the mask */
	if (a->shape.kind != SHAPE_MASK) {
		skip[n++] = "segmentation";
		skip[n++] = "area"; /* the writer computes it from the shape */
	}
	/* what the writer puts when there is none: keeping it would only change the extras */
	if (cJSON_IsNumber(crowd) && crowd->valuedouble == 0)
		skip[n++] = "iscrowd";
	if (a->shape.kind == SHAPE_POINT) {
		skip[n++] = "keypoints";
		skip[n++] = "num_keypoints";
	}
	skip[n] = NULL;
	return coco_extras(a->json, skip, &a->shape.extra_json);
}

/* Identity, label, text and extras of a shape whose geometry is read. */
static int ann_fill(struct coco_ann_ctx *ctx, struct ann *a)
{
	const cJSON *own = member(a->json, "annotty_id"), *text = member(a->json, "annotty_text");
	const char *ext_id = NULL;
	char key[COCO_KEY_MAX];
	int known = ann_label(ctx, a);

	/* an id that was not an integer was kept as annotty_id when written */
	if (cJSON_IsString(own))
		ext_id = own->valuestring;
	else if (coco_id_text(member(a->json, "id"), key, sizeof key) == 0)
		ext_id = key;
	if (ext_id != NULL && (a->shape.ext_id = strdup(ext_id)) == NULL)
		return -1;
	if (cJSON_IsString(text) && (a->shape.text = strdup(text->valuestring)) == NULL)
		return -1;
	return ann_extras(a, known);
}

/* The index of the asset the annotation belongs to, or -1 (counted). */
static int ann_asset(struct coco_ann_ctx *ctx, struct ann *a)
{
	char key[COCO_KEY_MAX] = "";
	int i = -1;

	if (coco_id_text(member(a->json, "image_id"), key, sizeof key) == 0)
		i = coco_index_find(ctx->images, key);
	if (i >= 0)
		return i;
	if (ctx->missing_image++ == 0)
		snprintf(ctx->missing_image_example, sizeof ctx->missing_image_example, "%s",
		         key[0] ? key : "none");
	return -1;
}

/* The finished shape onto its asset (which owns it then), or to the stream. */
static int ann_place(struct coco_ann_ctx *ctx, struct ann *a, struct asset *asset, int index,
                     struct err *err)
{
	struct shape *slot;

	if (ctx->emit != NULL)
		return ctx->emit(ctx->emit_arg, index, &a->shape, err);
	slot = asset_add_shape(asset);
	if (slot == NULL)
		return err_set(err, "out of memory reading annotation %s", a->id);
	*slot = a->shape;
	memset(&a->shape, 0, sizeof a->shape);
	return 0;
}

int coco_ann_read(struct coco_ann_ctx *ctx, const cJSON *json, struct err *err)
{
	struct ann a = {.json = json};
	struct asset sized = {0}, *asset = NULL;
	int index, r, rc = -1;

	a.shape.label = -1;
	if (coco_id_text(member(json, "id"), a.id, sizeof a.id) < 0)
		str_copy(a.id, "without id", sizeof a.id);
	index = ann_asset(ctx, &a);
	if (index < 0)
		return 0;
	if (ctx->emit == NULL) {
		asset = &ctx->doc->assets[index];
	} else if ((size_t)index < ctx->nsizes) {
		sized.width = ctx->sizes[2 * (size_t)index];
		sized.height = ctx->sizes[2 * (size_t)index + 1];
	}
	a.asset = asset != NULL ? asset : &sized;
	r = ann_kind(ctx, &a);
	if (r == 0 && ctx->no_geometry++ == 0)
		str_copy(ctx->no_geometry_example, a.id, sizeof ctx->no_geometry_example);
	if (r > 0)
		r = geometry_readers[a.shape.kind](ctx, &a);
	if (r > 0)
		r = ann_fill(ctx, &a) < 0 ? -1 : 1;
	if (r < 0) {
		err_set(err, "out of memory reading annotation %s", a.id);
		goto out;
	}
	if (r > 0 && ann_place(ctx, &a, asset, index, err) < 0)
		goto out;
	rc = 0;
out:
	shape_clear(&a.shape);
	return rc;
}

int coco_ann_finish(struct coco_ann_ctx *ctx, struct err *err)
{
	struct dataset_doc *doc = ctx->doc;

	if (ctx->missing_image > 0 &&
	    dataset_doc_warn(doc,
	                     "%ld annotation(s) refer to an image id that is not in images "
	                     "and were skipped, e.g. image id %s",
	                     ctx->missing_image, ctx->missing_image_example) < 0)
		return err_set(err, "out of memory");
	if (ctx->unknown_label > 0 &&
	    dataset_doc_warn(doc,
	                     "%ld annotation(s) have a category that is not in categories "
	                     "and have no label, e.g. %s",
	                     ctx->unknown_label, ctx->unknown_label_example) < 0)
		return err_set(err, "out of memory");
	if (ctx->no_geometry > 0 &&
	    dataset_doc_warn(doc,
	                     "%ld annotation(s) have no bbox, segmentation or category and "
	                     "were skipped, e.g. annotation %s",
	                     ctx->no_geometry, ctx->no_geometry_example) < 0)
		return err_set(err, "out of memory");
	return 0;
}
