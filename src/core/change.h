/* A change the user made, as the outbox keeps it: what they meant (a status, a tag, a shape
 * with its geometry in image pixels, a label, a task decision), the value it was made against,
 * and which rows it concerns, here and on the source. It is platform-neutral: each backend maps
 * it to its own requests. The JSON form below is what the cache stores. */
#ifndef ANNOTTY_CORE_CHANGE_H
#define ANNOTTY_CORE_CHANGE_H

#include <stdint.h>

#include "core/model.h"

struct err;

/* The names are the outbox's op column and the edit log's (part of the cache's file format). */
enum change_kind {
	CHANGE_STATUS = 0, /* "annotation.status": an asset's review status */
	CHANGE_TAG_ADD,    /* "tag.attach" */
	CHANGE_TAG_REMOVE, /* "tag.detach" */
	CHANGE_SHAPE_CREATE,
	CHANGE_SHAPE_UPDATE,
	CHANGE_SHAPE_DELETE,
	CHANGE_LABEL_CREATE,
	CHANGE_LABEL_DELETE,
	CHANGE_TASK_DECISION, /* "task.decide": submit, accept, reject or skip a campaign task */
	CHANGE_KIND_COUNT
};

enum task_decision { TASK_SUBMIT = 0, TASK_ACCEPT, TASK_REJECT, TASK_SKIP, TASK_DECISION_COUNT };

/* A row here (its id in the cache, 0 when none) and its id on the source (NULL until the source
 * has given it one: a shape created offline has none until its create is pushed). */
struct change_ref {
	int64_t local;
	char *ext;
};

struct change {
	enum change_kind kind;
	struct change_ref dataset; /* the container the change belongs to (a dataset version) */
	struct change_ref asset;
	struct change_ref data; /* a datalake item: CHANGE_TAG_* on it rather than on an asset */
	struct change_ref annotation;
	struct change_ref shape;
	struct change_ref label; /* the label the change leaves (a shape's, or the one created) */
	struct change_ref task;  /* CHANGE_TASK_DECISION: the assignment */
	char *label_name;        /* of label */
	/* the new value */
	enum review_status status; /* CHANGE_STATUS */
	char *tag;                 /* CHANGE_TAG_* */
	int has_value;             /* CHANGE_SHAPE_CREATE and _UPDATE: value holds the shape */
	struct shape value;        /* in image pixels, full precision; value.label is unused */
	enum task_decision decision;
	char *comment;   /* a reviewer's reason for a rejection; may be NULL */
	double duration; /* seconds spent on the task, 0 when not measured */
	/* what the change was made against, to tell a conflict: the server's current value is
	 * compared with it where the platform keeps no revision */
	enum review_status base_status;
	int has_base; /* CHANGE_SHAPE_UPDATE and _DELETE: base holds the shape as it was */
	struct shape base;
	char *base_label_name; /* the label the shape had; NULL for none */
};

const char *change_kind_name(enum change_kind kind);
/* 0 with *out set, -1 for a name that is no change kind. */
int change_kind_parse(const char *name, enum change_kind *out);
const char *task_decision_name(enum task_decision d);
int task_decision_parse(const char *name, enum task_decision *out);

/* The JSON the outbox stores. The caller frees it; NULL when out of memory. */
char *change_to_json(const struct change *ch);
/* Reads it back into *out (which the caller clears with change_clear). The kind comes from the
 * outbox's op column, not from the JSON. Fails with ERR_PARSE on malformed or mistyped JSON. */
int change_from_json(enum change_kind kind, const char *json, struct change *out, struct err *err);
void change_clear(struct change *ch);

/* Whether two shapes have the same kind, geometry and text (labels are compared by name by the
 * caller). */
int change_shape_equal(const struct shape *a, const struct shape *b);

#endif
