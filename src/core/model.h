/* The domain: datasets, assets, labels, shapes, tags and review state, as plain values that the
 * api layer produces and consumes and that the cache stores. */
#ifndef ANNOTTY_CORE_MODEL_H
#define ANNOTTY_CORE_MODEL_H

#include <stdint.h>

#include "core/campaign.h"

enum shape_kind {
	SHAPE_BOX = 0,
	SHAPE_POLYGON,
	SHAPE_LINE,
	SHAPE_POINT,
	SHAPE_CLASSIFICATION,
	SHAPE_MASK, /* a segmentation mask we only know by its box (COCO RLE) */
	SHAPE_KIND_COUNT
};

/* Review state of an asset's annotation; the names match Picsellia's annotation statuses. */
enum review_status {
	REVIEW_PENDING = 0,
	REVIEW_ACCEPTED,
	REVIEW_REJECTED,
	REVIEW_SKIPPED,
	REVIEW_STATUS_COUNT
};

struct point {
	double x;
	double y;
};

struct rect {
	double x; /* top-left corner, image pixels */
	double y;
	double w;
	double h;
};

/* One shape. Polygons and lines keep every part's vertices in one array: part i runs from
 * part_ends[i-1] (or 0) to part_ends[i]. A point keeps its position in points[0]. A box keeps
 * its rectangle in box; every other kind keeps its bounding box there too. */
struct shape {
	char *ext_id; /* the id in the source (COCO annotation id, Picsellia uuid); may be NULL */
	enum shape_kind kind;
	int label; /* index into the dataset's labels, or -1 */
	struct rect box;
	struct point *points;
	int npoints;
	int *part_ends;
	int nparts;
	char *text;       /* free text (OCR); may be NULL */
	char *extra_json; /* source fields we do not interpret, kept for the round trip; may be NULL
	                   */
};

struct label {
	char *ext_id; /* COCO category id, Picsellia uuid */
	char *name;
	char *extra_json;
};

struct asset {
	char *ext_id;            /* COCO image id, Picsellia asset uuid */
	char *data_ext_id;       /* the datalake item behind the asset (Picsellia data uuid) */
	char *annotation_ext_id; /* the source's annotation holding its shapes, when it has one */
	char *filename;          /* as the source names it */
	char *path;              /* where the image was found on disk, or NULL */
	int width;               /* 0 when unknown */
	int height;
	enum review_status status;
	char **tags;
	int ntags;
	struct shape *shapes;
	int nshapes;
	char *extra_json;
	struct asset_task *task; /* its place in a campaign (an export writes it); NULL: none */
};

/* An item of a platform's datalake (Picsellia's data): an image before any dataset. */
struct data_item {
	char *ext_id;
	char *filename;
	char *object_name;
	char *content_type;
	char *type;          /* IMAGE, VIDEO */
	char *upload_status; /* PENDING, COMPUTING, ERROR, DONE */
	int width;           /* 0 when unknown */
	int height;
	char **tags;
	int ntags;
	char *extra_json; /* metadata and custom metadata as they came */
};

void data_item_clear(struct data_item *d);

struct dataset_doc {
	char *name;
	char *format; /* "coco", "voc", "yolo", "picsellia" */
	struct label *labels;
	int nlabels;
	struct asset *assets;
	int nassets;
	char *extra_json; /* top-level fields (COCO info, licenses) */
	char **warnings;  /* problems found while reading that did not stop it, for the user */
	int nwarnings;
};

const char *shape_kind_name(enum shape_kind kind);
int shape_kind_parse(const char *name, enum shape_kind *out);
const char *review_status_name(enum review_status status);
int review_status_parse(const char *name, enum review_status *out);

/* Growth helpers; each returns a pointer to the new zeroed element, or NULL when out of memory. */
struct label *dataset_doc_add_label(struct dataset_doc *doc);
struct asset *dataset_doc_add_asset(struct dataset_doc *doc);
struct shape *asset_add_shape(struct asset *asset);
int asset_add_tag(struct asset *asset, const char *tag);
int shape_add_point(struct shape *shape, double x, double y);
int shape_end_part(struct shape *shape); /* closes the current part at npoints */
int dataset_doc_warn(struct dataset_doc *doc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Index of the label with that name, or -1. */
int dataset_doc_find_label(const struct dataset_doc *doc, const char *name);

/* Recomputes shape->box from its points (no-op for boxes and classifications). */
void shape_update_bounds(struct shape *shape);

void shape_clear(struct shape *shape);
void asset_clear(struct asset *asset);
struct dataset_doc *dataset_doc_new(void);
void dataset_doc_free(struct dataset_doc **doc);

#endif
