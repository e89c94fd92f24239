/* What the files of src/cache share and nothing outside them sees: the connection, the error
 * and transaction wrappers, the shape column codecs and the outbox primitives. */
#ifndef ANNOTTY_CACHE_INTERNAL_H
#define ANNOTTY_CACHE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/model.h"

struct err;
struct cache_edit;
struct asset_detail;

/* Enum values are written to the database as integers: they are part of the file format. */
_Static_assert(REVIEW_PENDING == 0 && REVIEW_ACCEPTED == 1 && REVIEW_REJECTED == 2 &&
                   REVIEW_SKIPPED == 3,
               "review_status values are stored in the cache");
_Static_assert(SHAPE_BOX == 0 && SHAPE_POLYGON == 1 && SHAPE_LINE == 2 && SHAPE_POINT == 3 &&
                   SHAPE_CLASSIFICATION == 4 && SHAPE_MASK == 5,
               "shape_kind values are stored in the cache");

#define CACHE_BUSY_TIMEOUT_MS 5000

/* Now, in the Unix seconds the tables keep, inside SQL. */
#define CACHE_NOW "(CAST(strftime('%s', 'now') AS INTEGER))"

struct cache {
	sqlite3 *db;
	char run_id[17]; /* this process's run (run.c), "" until its first edit */
	/* the integrity check at open found damage: the connection is read-only and every write
	 * is refused with ERR_DAMAGED; what the check said, for the message */
	int damaged;
	char damage[256];
	int tx_depth;  /* transactions open (cache_db_begin): above 1, savepoints inside one */
	int64_t batch; /* while a bulk edit runs: the edit-log batch its edits share (bulk.c) */
};

/* ---- db.c ---- */

/* Fills err with what was being done and SQLite's message for the last failure on the
 * connection, spelled out for the failures a user can act on. Returns -1. */
int cache_db_fail(struct cache *c, struct err *err, const char *doing);
int cache_db_prepare(struct cache *c, const char *sql, sqlite3_stmt **out, struct err *err);
int cache_db_exec(struct cache *c, const char *sql, struct err *err, const char *doing);
/* BEGIN IMMEDIATE: takes the write lock now, so that a transaction never fails half-way on
 * a lock held by another connection. */
int cache_db_begin(struct cache *c, struct err *err);
/* Commits when rc is 0, rolls back otherwise; returns rc, or -1 when the commit failed. */
int cache_db_end(struct cache *c, int rc, struct err *err);
/* Steps a statement once and resets it: 1 with *out set from column 0 when it returned a row,
 * 0 when it returned none, -1 on failure. out may be NULL. */
int cache_db_lookup(struct cache *c, sqlite3_stmt *st, int64_t *out, struct err *err,
                    const char *doing);
/* Steps a statement that returns no row (or whose rows are not wanted), then resets it. */
int cache_db_run(struct cache *c, sqlite3_stmt *st, struct err *err, const char *doing);
/* Text column as a C string, "" for NULL. */
const char *cache_db_text(sqlite3_stmt *st, int col);
/* A copy of a text column, NULL for SQL NULL; *oom is set when the copy could not be made. */
char *cache_db_text_dup(sqlite3_stmt *st, int col, int *oom);
/* Fills d's keypoints and skeleton links from its shapes' COCO extras and their labels'
 * skeletons (keypoints.c); d's shapes and shape ids are loaded. */
int cache_detail_keypoints(struct cache *c, struct asset_detail *d, struct err *err);
/* One value to bind to a statement's parameter. */
enum db_arg_type { DB_ARG_NULL = 0, DB_ARG_INT, DB_ARG_TEXT };
struct db_arg {
	enum db_arg_type type;
	int64_t i;
	const char *s;
};
#define DB_INT(v)  ((struct db_arg){.type = DB_ARG_INT, .i = (int64_t)(v)})
#define DB_TEXT(v) ((struct db_arg){.type = DB_ARG_TEXT, .s = (v)}) /* NULL binds NULL */
#define DB_ID(v)   ((struct db_arg){.type = (v) != 0 ? DB_ARG_INT : DB_ARG_NULL, .i = (int64_t)(v)})

/* The prepare-bind-run pattern in one place: prepares sql, binds args to ?1, ?2, ... (those past
 * the statement's parameters are ignored, so one call shape serves statements of one to n
 * parameters), steps it once and finalizes it. 1 with *out (may be NULL) set from column 0 when
 * it returned a row, 0 when it returned none (sqlite3_changes tells what a write did), -1 on
 * failure with err saying what was being done. */
int cache_db_do(struct cache *c, const char *sql, const struct db_arg *args, int nargs,
                int64_t *out, struct err *err, const char *doing);
#define CACHE_DB_DO(c, sql, out, err, doing, ...)                                                  \
	cache_db_do((c), (sql), (const struct db_arg[]){__VA_ARGS__},                              \
	            (int)(sizeof((const struct db_arg[]){__VA_ARGS__}) / sizeof(struct db_arg)),   \
	            (out), (err), (doing))

/* Binds text, or NULL for a NULL pointer. */
int cache_db_bind_text(sqlite3_stmt *st, int idx, const char *s);
int cache_db_bind_named_text(sqlite3_stmt *st, const char *name, const char *s);
int cache_db_bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v);

/* ---- page.c: the rows a list query shows, for other queries over them ---- */

/* Appends to b the WHERE clause of q's rows over "asset a" (the dataset and the filter), to
 * which the caller may add " AND ..." terms; its parameters are named (:ds, :text, :pattern,
 * :status) and cache_query_bind binds them. */
struct buf;
struct asset_query;
int cache_query_where(const struct asset_query *q, struct buf *b);
void cache_query_bind(sqlite3_stmt *st, const struct asset_query *q);

/* ---- run.c ---- */

/* This process's run id, registered on first use; NULL on failure. */
const char *cache_run_id(struct cache *c, struct err *err);
/* Records that this run is over (at close). */
void cache_run_end(struct cache *c);
/* Whose an edit-log row of that run is: this run's, a process's still working beside us, or
 * an earlier run's (ended, or its process gone); -1 on failure. */
enum { RUN_MINE = 0, RUN_BESIDE, RUN_EARLIER };
int cache_run_owner(struct cache *c, const char *run, struct err *err);

/* ---- schema.c ---- */

/* Script i of the DDL that moves a database from user_version v to v + 1, NULL after the
 * last; v runs over [0, cache_schema_steps()). */
const char *cache_schema_script(int from_version, int i);
int cache_schema_steps(void);

/* ---- shapes.c ---- */

/* The columns of the shape table a shape is written to and read back from. */
int cache_shape_bind(sqlite3_stmt *st, int first_col, const struct shape *s, struct err *err);
/* Reads kind, box, points, parts, text, ext_id, extra_json starting at first_col; the label
 * is left to the caller. Frees what it allocated on failure. */
int cache_shape_read(sqlite3_stmt *st, int first_col, struct shape *s, struct err *err);
#define CACHE_SHAPE_COLS 10 /* kind x y w h points parts text ext_id extra_json */

/* ---- outbox.c ---- */

/* One change as the edit log and the outbox record it. */
struct cache_change {
	int64_t dataset_id;
	int64_t asset_id;      /* 0 for a label edit, which belongs to no asset */
	const char *op;        /* "annotation.status", "tag.attach", "shape.update", ... */
	const char *old_value; /* status name, tag, or the shape or label as JSON; NULL for none */
	const char *new_value;
	int64_t shape_id; /* shape edits: the shape's row id; else 0 */
	int64_t label_id; /* the label a shape edit leaves on its shape, or the label created */
};

/* One outbox row as it is written. */
struct cache_entry {
	int64_t dataset_id;
	const char *entity; /* annotation, asset, shape, label */
	int64_t entity_id;  /* its local row id */
	const char *op;
	const char *payload; /* JSON, in the form the replay sends */
	int64_t base_rev;    /* of the entity, as the edit saw it */
};

/* Appends an outbox entry with a fresh idempotency key; *outbox_id is its id. */
int cache_outbox_insert(struct cache *c, const struct cache_entry *e, int64_t *outbox_id,
                        struct err *err);
/* Appends the outbox entry of a review or tag change made to the rows. */
int cache_outbox_append(struct cache *c, const struct cache_change *ch, int64_t *outbox_id,
                        struct err *err);
/* Appends the edit-log row that lets the change be undone. A new edit ends the dataset's redo
 * chain, so this also marks every edit still waiting for a redo as undone for good. */
int cache_edit_log_append(struct cache *c, const struct cache_change *ch, int64_t outbox_id,
                          struct err *err);

/* ---- edit.c ---- */

int cache_status_apply(struct cache *c, int64_t asset_id, enum review_status status,
                       struct err *err);
/* Attach or detach a tag on an asset. *changed is 0 when it was already so. */
int cache_tag_attach(struct cache *c, int64_t dataset_id, int64_t asset_id, const char *tag,
                     int *changed, struct err *err);
int cache_tag_detach(struct cache *c, int64_t asset_id, const char *tag, int *changed,
                     struct err *err);
/* Trims surrounding white space from a tag or label name into out (max + 1 bytes) and refuses
 * it when empty, longer than max bytes, not UTF-8 or holding control characters; what ("tag",
 * "label") names it in the message. */
int cache_name_normalize(const char *name, char *out, size_t max, const char *what,
                         struct err *err);

/* ---- shape_row.c: a shape row with what its edits need around it ---- */

struct shape_row {
	int64_t id;
	int64_t dataset_id;
	int64_t asset_id;
	int64_t annotation_id;
	int64_t label_id; /* 0: no label */
	int64_t seq;
	int64_t rev;
	struct shape s;          /* s.label is the label's position, or -1 */
	char *label_name;        /* NULL without a label */
	char *label_ext_id;      /* NULL when the source has not given the label an id */
	char *asset_ext_id;      /* NULL when unknown */
	char *annotation_ext_id; /* NULL when unknown */
	int64_t base_rev;        /* the annotation's */
};

/* 1 with *r filled, 0 when there is no shape with that id, -1 on failure. */
int cache_shape_row_load(struct cache *c, int64_t shape_id, struct shape_row *r, struct err *err);
void cache_shape_row_clear(struct shape_row *r);
/* The row as an edit-log value: everything needed to put it back (JSON, exact doubles). The
 * caller frees it; NULL when out of memory. */
char *cache_shape_value(const struct shape_row *r);
/* Reads such a value back into r: shape, seq, rev, label id and name (the rest stays 0). */
int cache_shape_value_parse(const char *json, struct shape_row *r, struct err *err);
/* The outbox payload of op ("shape.create", "shape.update", "shape.delete") for the row as it
 * is now (as it was, for a delete), with before as its base (NULL for a create). */
char *cache_shape_payload(const struct shape_row *now, const struct shape_row *before,
                          const char *op);
/* Checks a shape from the caller before it is stored: known kind, finite coordinates, parts
 * inside the points. */
int cache_shape_check(const struct shape *s, struct err *err);

/* ---- shape_edit.c, label_edit.c: undo and redo of shape and label edits ---- */

/* Moves shape shape_id of the asset from state from to state to, each the JSON of
 * cache_shape_value or NULL for "no such shape": a NULL to deletes the row, a NULL from
 * re-inserts it under its old id, both set replace kind, label, geometry and text. With queue
 * set, appends the matching shape.create, shape.update or shape.delete outbox entry in
 * *outbox_id. When the row is deleted, *snapshot (caller frees) is its value just before. */
int cache_shape_transition(struct cache *c, int64_t dataset_id, int64_t asset_id, int64_t shape_id,
                           const char *from, const char *to, int queue, int64_t *outbox_id,
                           char **snapshot, struct err *err);
/* A short description of a shape edit for the status line ("new box", "move box"). */
void cache_shape_describe(const char *op, const char *old_value, const char *new_value, char *what,
                          size_t whatsz);

/* Creates (to = the label's logged value) or removes (to = NULL) a label created by an edit.
 * Creating puts it back at the end of the label order under *label_id, or under a new id
 * written to *label_id (and the dataset's edit log) when that id was taken. A label that
 * shapes use is not removed: *kept is set and nothing changes. queue and *outbox_id as
 * above, with label.create and label.delete. */
int cache_label_transition(struct cache *c, int64_t dataset_id, int64_t *label_id, const char *to,
                           int queue, int64_t *outbox_id, int *kept, struct err *err);

/* ---- campaign.c: an assignment row ---- */

struct cache_assignment {
	int64_t step_id;
	int64_t asset_id;
	const char *ext_id; /* NULL until the source gives one */
	int64_t user_id;    /* 0: nobody */
	enum assignment_status status;
	int rejected_count;
	const char *comment;
	int current; /* becomes the asset's current assignment in its campaign */
};

/* Writes the asset's assignment in the step (matched by ext_id, else by asset and step: one per
 * pair), stamped now; *id is its row id. */
int cache_assignment_store(struct cache *c, const struct cache_assignment *a, int64_t *id,
                           struct err *err);

#endif
