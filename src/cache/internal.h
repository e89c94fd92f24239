/* What the files of src/cache share and nothing outside them sees: the connection, the error
 * and transaction wrappers, the shape column codecs and the outbox primitives. */
#ifndef ANNOTTY_CACHE_INTERNAL_H
#define ANNOTTY_CACHE_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"

struct err;
struct cache_edit;

/* Enum values are written to the database as integers: they are part of the file format. */
_Static_assert(REVIEW_PENDING == 0 && REVIEW_ACCEPTED == 1 && REVIEW_REJECTED == 2 &&
                   REVIEW_SKIPPED == 3,
               "review_status values are stored in the cache");
_Static_assert(SHAPE_BOX == 0 && SHAPE_POLYGON == 1 && SHAPE_LINE == 2 && SHAPE_POINT == 3 &&
                   SHAPE_CLASSIFICATION == 4 && SHAPE_MASK == 5,
               "shape_kind values are stored in the cache");

#define CACHE_BUSY_TIMEOUT_MS 5000

struct cache {
	sqlite3 *db;
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
/* Binds text, or NULL for a NULL pointer. */
int cache_db_bind_text(sqlite3_stmt *st, int idx, const char *s);
int cache_db_bind_named_text(sqlite3_stmt *st, const char *name, const char *s);
int cache_db_bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v);

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
	int64_t asset_id;
	const char *op;        /* "annotation.status", "tag.attach", "tag.detach" */
	const char *old_value; /* status name, or the tag (NULL when attaching) */
	const char *new_value; /* status name, or the tag (NULL when detaching) */
};

/* Appends the outbox entry of a change made to the rows; *outbox_id is its id. */
int cache_outbox_append(struct cache *c, const struct cache_change *ch, int64_t *outbox_id,
                        struct err *err);
/* Appends the edit-log row that lets the change be undone. */
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

#endif
