/* The SQLite cache: the only writer of the database. Schema and migrations, imports from a
 * backend's dataset_doc, the queries the UI pages through, review edits with their outbox
 * entries and undo, and export back to a dataset_doc. Every function fills err on failure and
 * returns -1; nothing here prints. */
#ifndef ANNOTTY_CACHE_CACHE_H
#define ANNOTTY_CACHE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "core/campaign.h"
#include "core/change.h"
#include "core/model.h"

struct err;
struct cache; /* opaque: one SQLite connection */

#define CACHE_SCHEMA_VERSION 5

/* Opens (creating and migrating as needed) the database at path, in WAL mode with foreign keys
 * on. A database from a newer annotty is refused with a message. The caller owns *out. A
 * handle is one connection for one thread at a time: each thread opens its own. */
int cache_open(const char *path, struct cache **out, struct err *err);
void cache_close(struct cache **cache);

/* Opening runs SQLite's quick_check for at most 1.5 s (a larger cache is checked as far as
 * that goes, and the log says so). A cache it finds damaged opens read-only: reading works as
 * far as the damage allows, every write fails with ERR_DAMAGED. A file that is no database at
 * all fails to open with ERR_DAMAGED. Either way the way out is cache_rebuild. */
/* What the check found (a static string of the handle), or NULL when the cache is sound (or
 * there is no cache). */
const char *cache_damage(const struct cache *cache);

/* What a rebuild carried over from the damaged file, and what it could not. */
struct cache_rebuild_report {
	char aside[4096]; /* where the damaged file now is: it is never deleted */
	long rows_kept;   /* rows of every table copied into the new cache */
	long rows_lost;   /* rows read but not kept (their parent row was lost) or not read */
	int pending_kept; /* outbox entries not pushed yet (edits not exported), carried over */
	int pending_lost;
	int edits_kept; /* edit-log rows (the undo history) carried over */
	int edits_lost;
	int unread_ranges; /* stretches of a table the damage made unreadable */
};

/* Rebuilds the cache at path, which no connection may have open (close it first): moves the
 * damaged file (and its -wal and -shm) aside to path.damaged-YYYYMMDD-HHMMSS, creates a new
 * cache at path, and copies into it every row of the old one that can still be read and
 * whose parent rows came too, the outbox and the edit log included. Losses are counted in
 * report (rows_lost and the counts for unread stretches are estimates from the row ids);
 * the source can then be imported again to bring back what was lost. Returns 0, or -1 with
 * err filled (the file is not moved when the new cache cannot be made). */
int cache_rebuild(const char *path, struct cache_rebuild_report *report, struct err *err);
int cache_schema_version(struct cache *cache);

/* ---- Import ---------------------------------------------------------------------------- */

struct import_stats {
	int assets_added;
	int assets_updated;   /* source content changed: shapes replaced, review reset */
	int assets_unchanged; /* review state and tags kept */
	int assets_removed;   /* gone from the source */
	int shapes;
	int labels;
	int conflicts; /* images whose edits met a change of the source (see the conflicts) */
};

/* ---- a streaming import (import_stream.c) ----
 * For a reader that delivers a dataset piece by piece (core/doc_sink.h): cache_stream_begin
 * opens the transaction, the reader is given cache_stream_sink() with the stream as its ctx,
 * and cache_stream_finish stores what was staged exactly as cache_import stores a doc (a
 * re-import keeps reviews, tags and unsent edits the same way) and commits, or with ok == 0
 * rolls back. finish frees the stream either way. progress (may be NULL) is called while
 * reading and while storing; a nonzero return stops the import (nothing is stored). */
struct cache_stream;
struct doc_progress;
struct doc_sink;
typedef int (*cache_stream_progress_fn)(void *ctx, const struct doc_progress *p);
int cache_stream_begin(struct cache *cache, cache_stream_progress_fn progress, void *ctx,
                       struct cache_stream **out, struct err *err);
const struct doc_sink *cache_stream_sink(void);
int cache_stream_finish(struct cache_stream *s, int ok, const char *kind, const char *locator,
                        const char *fingerprint, int64_t *dataset_id, struct import_stats *stats,
                        struct err *err);

/* The dataset stored for a source locator (an absolute file path, a URL), with the fingerprint
 * of the content it was imported from. Returns 0 and sets *dataset_id (0 when the source has
 * never been imported). fingerprint may be NULL. */
int cache_dataset_find(struct cache *cache, const char *locator, int64_t *dataset_id,
                       char *fingerprint, size_t fpsz, struct err *err);

/* Imports (or re-imports) a whole dataset in one transaction. Assets are matched by ext_id,
 * else by filename; an asset whose source content (shapes, size, filename) is unchanged keeps
 * its local review state, tags and edits; a changed one gets the new shapes but keeps the
 * review the user gave it and its tags, and one whose shape edits were not exported yet keeps
 * them, the edits becoming conflicts (stats->conflicts). The edits of an asset gone from the
 * source become refused conflicts, so that they are neither lost silently nor counted as
 * waiting for export. Review status and tags carried by the doc (from an export) are applied
 * to new assets. stats may be NULL. */
int cache_import(struct cache *cache, const char *kind, const char *locator,
                 const char *fingerprint, const struct dataset_doc *doc, int64_t *dataset_id,
                 struct import_stats *stats, struct err *err);

/* ---- Paged pulls from a remote source -------------------------------------------------
 *
 * A pull fills one dataset of the cache (a platform's dataset version) page by page, each page
 * in its own transaction together with the cursor of the next one, so that a pull cut short
 * (a crash, the network gone) resumes where it stopped and never stores a page twice. Assets
 * are matched by the source's id; an asset with edits not pushed yet keeps the user's version
 * (the push meets the source's value and a difference becomes a conflict). Finishing removes
 * the assets the pull did not see (those with unsent edits stay). */

struct cache_pull_target {
	const char *kind;             /* the backend's kind */
	const char *locator;          /* the source: its URL and organization */
	const char *container_ext_id; /* the version pulled */
	const char *name;             /* the dataset's name as shown ("cars/v1") */
	const char *version_name;     /* "v1" */
	const char *version_type;     /* the platform's inference type, or NULL */
};

struct cache_pull_resume {
	char *cursor; /* the page to ask for next (caller frees); NULL: from the start */
	int pages;    /* pages already stored; 0 when the pull starts afresh */
};

/* Starts a pull, or finds the one under way (resume says where it got to). */
int cache_pull_begin(struct cache *cache, const struct cache_pull_target *t, int64_t *dataset_id,
                     struct cache_pull_resume *resume, struct err *err);
/* Stores one page and the cursor after it (NULL after the last page). total may be -1. stats
 * (may be NULL) is added to. */
int cache_pull_page(struct cache *cache, int64_t dataset_id, const struct dataset_doc *page,
                    const char *next_cursor, int64_t total, struct import_stats *stats,
                    struct err *err);
/* Ends the pull after its last page. */
int cache_pull_finish(struct cache *cache, int64_t dataset_id, struct import_stats *stats,
                      struct err *err);

/* ---- A platform's datalake ------------------------------------------------------------------
 *
 * Its items with their tags, pulled page by page (each page one transaction). An item whose
 * tags the user changed (outbox entries on entity 'data', entity_id its row) keeps the user's
 * tags until they are pushed. The datalake has a dataset row of format 'datalake', whose id
 * the edits of its items queue under (listings of datasets leave such rows out). */

struct data_item;

struct datalake_pull {
	int64_t datalake_id;
	int64_t dataset_id; /* the datalake's dataset row, for the outbox */
	int64_t generation;
};

/* Starts a pull of the datalake ext_id (named name) of the source at locator. */
int cache_datalake_begin(struct cache *c, const char *kind, const char *locator, const char *ext_id,
                         const char *name, struct datalake_pull *out, struct err *err);
int cache_datalake_page(struct cache *c, const struct datalake_pull *p,
                        const struct data_item *items, int n, struct err *err);
/* After the last page: removes the items the pull did not see (those with unsent edits stay). */
int cache_datalake_finish(struct cache *c, const struct datalake_pull *p, int *removed,
                          struct err *err);

/* ---- The image store ---------------------------------------------------------------------- */

/* The datasets of a source (by its locator), at most max, oldest first. */
int cache_source_datasets(struct cache *c, const char *locator, int64_t *ids, int max, int *n,
                          struct err *err);
/* The folder that keeps remote images, beside the database (created). */
int cache_image_dir(struct cache *c, char *out, size_t outsz, struct err *err);

struct missing_image {
	int64_t asset_id;
	char ext_id[128];
	char data_ext_id[128];
};
/* Assets of the dataset with no image file yet, after asset id `after`, at most max. */
int cache_images_missing(struct cache *c, int64_t dataset_id, int64_t after,
                         struct missing_image *rows, int max, int *n, struct err *err);
int cache_asset_path_set(struct cache *c, int64_t asset_id, const char *path, struct err *err);
/* A fetched image file of bytes bytes is the asset's, in the store's accounts. */
int cache_image_stored(struct cache *c, int64_t asset_id, const char *path, int64_t bytes,
                       struct err *err);
/* The asset's image was shown: it is the last the budget drops. */
int cache_image_touch(struct cache *c, int64_t asset_id, struct err *err);
/* Drops the least recently used image files until the store holds at most budget bytes;
 * *removed says how many went (their assets fetch them again when opened). */
#define CACHE_IMAGE_BUDGET_DEFAULT (2LL << 30)
int cache_image_store_size(struct cache *c, int64_t *bytes, struct err *err);
int cache_images_trim(struct cache *c, int64_t budget, int *removed, struct err *err);

/* ---- Browsing for the TUI's datalake screen and image fetches (browse_ui.c) --------------- */

/* What the sync worker needs to fetch an asset's image: its ids on the source, and whether the
 * store (or a local file) has it already. */
struct cache_image_ref {
	char ext_id[128];
	char data_ext_id[128];
	int has_file;
};
int cache_asset_image_ref(struct cache *c, int64_t asset_id, struct cache_image_ref *out,
                          struct err *err);

/* The datalake of the source with that locator (its first, by name): 1 with *out filled, 0 when
 * the cache has none. */
int cache_datalake_first(struct cache *c, const char *locator, int64_t *datalake_id, char *name,
                         size_t namesz, struct err *err);

/* A page of a datalake's data: by file name (then id), file names holding filename
 * (case-insensitive; "" for all), and with tags: any of them, or with all set every one. */
#define DATA_QUERY_TAGS 8
struct data_query {
	int64_t datalake_id;
	char filename[256];
	char tags[DATA_QUERY_TAGS][128];
	int ntags;
	int all;
};

struct data_row {
	int64_t id;
	char filename[512];
	int width, height;
	char path[4096]; /* the image in the store, "" until fetched */
	char upload_status[32];
	char ext_id[128];
	char tags[256]; /* comma-separated, cut to fit */
};

/* Rows strictly after (or, backward, before) from (NULL: from the start, or the end), in
 * display order either way; *n is how many, at most max. */
int cache_data_page(struct cache *c, const struct data_query *q, const struct data_row *from,
                    int backward, struct data_row *rows, int max, int *n, struct err *err);
int cache_data_count(struct cache *c, const struct data_query *q, int *count, struct err *err);
int cache_data_get(struct cache *c, int64_t data_id, struct data_row *out, struct err *err);

/* Tags a datalake item (data_edit.c): one transaction, one outbox entry (entity "data", op
 * tag.attach or tag.detach, the change's "data" reference naming the item and no asset),
 * queued under the datalake's dataset row. *changed is 0 when the item already was so (nothing
 * is queued). Not undoable. */
int cache_data_tag_add(struct cache *c, int64_t data_id, const char *tag, int *changed,
                       struct err *err);
int cache_data_tag_remove(struct cache *c, int64_t data_id, const char *tag, int *changed,
                          struct err *err);

/* ---- Datasets and labels ---------------------------------------------------------------- */

struct dataset_info {
	int64_t id;
	char name[256];
	char kind[32];
	char locator[4096];
	int asset_count;
	int label_count;
};

int cache_dataset_get(struct cache *cache, int64_t dataset_id, struct dataset_info *out,
                      struct err *err);

struct label_row {
	int64_t id;
	int index; /* position in the dataset's label order: the colour index */
	char name[256];
	int shape_count;
};

/* Fills at most max rows, in label order; *n is the number written. */
int cache_labels_list(struct cache *cache, int64_t dataset_id, struct label_row *rows, int max,
                      int *n, struct err *err);

/* Distinct tags used in the dataset, most used first (for completion). */
int cache_tags_list(struct cache *cache, int64_t dataset_id, char (*tags)[128], int max, int *n,
                    struct err *err);

/* ---- Asset lists, keyset-paged ---------------------------------------------------------- */

enum asset_sort { SORT_FILENAME = 0, SORT_STATUS, SORT_SHAPES, SORT_SIZE, SORT_COUNT };

enum asset_filter_field {
	FILTER_NONE = 0,
	FILTER_ANY,      /* filename, label or tag contains the text, or status equals it */
	FILTER_FILENAME, /* substring, case-insensitive */
	FILTER_LABEL,    /* has a shape with that label (exact name, case-insensitive) */
	FILTER_TAG,      /* has that tag */
	FILTER_STATUS,   /* review status name */
};

/* One term of a combined filter. Its text matches by prefix for a label or a tag (any case),
 * for a status (pending, accepted, rejected or refused, skipped; any case), and as a substring
 * for a file name or FILTER_ANY. With exact set, a label, tag or status term matches the whole
 * name instead, as the single filter field does. A term with empty text holds for every asset. */
#define ASSET_QUERY_TERMS 8
struct asset_term {
	enum asset_filter_field field;
	int exact;
	char text[256];
};

/* An empty filter_text shows every asset, whatever the filter field; the single field matches
 * exactly as its enum says. The first nterms terms must all hold too (and with the single
 * field). Sort ties are broken by asset id, in the sort's direction. */
struct asset_query {
	int64_t dataset_id;
	enum asset_sort sort;
	int descending;
	enum asset_filter_field filter;
	char filter_text[256];
	int nterms; /* 0..ASSET_QUERY_TERMS */
	struct asset_term terms[ASSET_QUERY_TERMS];
};

/* 1 when the query leaves some assets out by its filter or terms, 0 when it shows them all. */
int cache_query_filtered(const struct asset_query *q);

/* The sort key of a row, as the keyset cursor. */
struct asset_cursor {
	int valid; /* 0: start from the beginning (forward) or the end (backward) */
	char key_text[512];
	int64_t key_num;
	int64_t id;
};

struct asset_row {
	int64_t id;
	char filename[512];
	int width;
	int height;
	int shape_count;
	enum review_status status;
	char tags[256]; /* comma-separated, cut to fit */
	struct asset_cursor cursor;
};

/* Rows strictly after (forward) or before (backward) the cursor, in display order either way
 * (a backward page comes back top to bottom). *n is the number written, at most max. */
int cache_assets_page(struct cache *cache, const struct asset_query *q,
                      const struct asset_cursor *from, int backward, struct asset_row *rows,
                      int max, int *n, struct err *err);
/* A search inside the list: the first row after (backward: before) the cursor, in the query's
 * order and within its filter, whose file name, a label or a tag contains text
 * (case-insensitive); with none there, the first from the start (backward: the end), and
 * *wrapped set. One indexed scan from the cursor. Returns 1 with *out filled, 0 when no row
 * matches (or text is empty), -1 on error. */
int cache_assets_find(struct cache *cache, const struct asset_query *q, const char *text,
                      const struct asset_cursor *from, int backward, struct asset_row *out,
                      int *wrapped, struct err *err);
/* Number of rows matching the query, and the 0-based position of a row in it. */
int cache_assets_count(struct cache *cache, const struct asset_query *q, int *count,
                       struct err *err);
int cache_assets_position(struct cache *cache, const struct asset_query *q,
                          const struct asset_cursor *at, int *position, struct err *err);
/* Every asset of a dataset in file-name order, from one statement, for scripts: fn gets each
 * with its tags (in name order) and its shape count as nshapes (no shapes read); d and what
 * it points to are valid only during the call. A negative return from fn stops the walk
 * (and cache_assets_detail_each returns -1). */
struct asset_detail;
typedef int (*cache_detail_fn)(void *ctx, const struct asset_detail *d);
int cache_assets_detail_each(struct cache *cache, int64_t dataset_id, cache_detail_fn fn, void *ctx,
                             struct err *err);
/* The row of one asset (for its cursor, after an edit or to re-anchor a list). */
int cache_asset_row(struct cache *cache, const struct asset_query *q, int64_t asset_id,
                    struct asset_row *out, struct err *err);

/* ---- One asset in full ------------------------------------------------------------------ */

struct asset_detail {
	int64_t id;
	int64_t dataset_id;
	char filename[512];
	char path[4096]; /* empty when the image is not on disk */
	int width;
	int height;
	enum review_status status;
	struct shape *shapes; /* shape.label is the label's index in label order (its colour) */
	char **shape_labels;  /* label name per shape ("" for none) */
	int64_t *shape_ids;
	int nshapes;
	char **tags;
	int ntags;
	/* COCO keypoints of the shapes (the "keypoints" [x, y, v, ...] a source gave a box or a
	 * polygon; those with v > 0), drawn as markers. They come as they were read: editing
	 * the shape leaves them, and an export writes them back unchanged. */
	struct point *keypoints;
	int *keypoint_shape; /* the index of the shape each belongs to */
	int nkeypoints;
	/* the skeleton of the shapes' labels (COCO category "skeleton"): pairs of indexes into
	 * keypoints, drawn as lines between the markers */
	int (*keypoint_links)[2];
	int nlinks;
};

/* The caller releases it with cache_asset_detail_free. */
int cache_asset_get(struct cache *cache, int64_t asset_id, struct asset_detail *out,
                    struct err *err);
void cache_asset_detail_free(struct asset_detail *d);

/* ---- Edits: each is one transaction that changes the rows and appends an outbox entry ---- */

/* Setting the status an asset already has, adding a tag it has or removing one it lacks
 * changes nothing and queues nothing. Tags are trimmed of surrounding white space and
 * refused when empty, longer than CACHE_TAG_MAX bytes, not UTF-8, or holding control
 * characters. */
#define CACHE_TAG_MAX 100

int cache_review_set(struct cache *cache, int64_t asset_id, enum review_status status,
                     struct err *err);
int cache_tag_add(struct cache *cache, int64_t asset_id, const char *tag, struct err *err);
int cache_tag_remove(struct cache *cache, int64_t asset_id, const char *tag, struct err *err);

/* ---- Shape edits ------------------------------------------------------------------------ */

/* A shape's label is shape->label: the label's index in label order (its colour), or -1.
 * Geometry is in image pixels; the caller keeps it inside the image (core/shape_edit.h). Each
 * call is one transaction that changes the shape rows (and the asset's shape count), bumps the
 * annotation's local revision and appends one outbox entry ("shape.create", "shape.update",
 * "shape.delete", with the annotation's base revision) and one edit-log row. A shape with an
 * unknown kind or label index, coordinates that are not finite, or parts that end outside
 * its vertices is refused. Shape row ids are never reused. */

/* Adds a shape to the asset's annotation, after its other shapes; *shape_id is its row id.
 * The new shape has no ext_id and no extra fields (it is not in the source yet). */
int cache_shape_create(struct cache *cache, int64_t asset_id, const struct shape *s,
                       int64_t *shape_id, struct err *err);
/* Replaces a shape's kind, label, geometry and text (its ext_id and extra fields stay). An
 * update equal to the stored shape changes nothing and queues nothing. With coalesce set, an
 * update that follows an update of the same shape (the newest edit of the dataset, not undone,
 * its outbox entry still pending) is merged into it: one undo step, one outbox entry holding
 * the latest geometry. The UI sets coalesce for repeated nudges of one shape. */
int cache_shape_update(struct cache *cache, int64_t shape_id, const struct shape *s, int coalesce,
                       struct err *err);
int cache_shape_delete(struct cache *cache, int64_t shape_id, struct err *err);

/* The label named name (case-insensitive), created at the end of the label order when the
 * dataset has none; *index is its index. Names are refused when empty, longer than
 * CACHE_LABEL_MAX bytes, not UTF-8 or holding control characters. A created label is queued
 * in the outbox ("label.create"). */
#define CACHE_LABEL_MAX 200
int cache_label_ensure(struct cache *cache, int64_t dataset_id, const char *name, int *index,
                       struct err *err);

/* The dataset's labels for a picker: the ones this user's edits used most recently first (by
 * their newest shape create or update), then the rest by shape count (most used first), ties
 * in label order. */
int cache_labels_ranked(struct cache *cache, int64_t dataset_id, struct label_row *rows, int max,
                        int *n, struct err *err);

/* Reverts the most recent edit of the dataset that has not been undone. *asset_id is set to
 * the asset it touched (0 when there was nothing to undo) and what to a short description
 * ("accept", "tag +x", "new box", "move box", "resize box", "edit polygon", "delete line",
 * "label car", "new label car"). An edit not yet pushed leaves the outbox; a pushed one queues
 * the compensating change. A label creation is undone together with the edit that followed it
 * (the one that used the new label); one that no edit followed is undone on its own, and
 * then *asset_id is 0 while what is not empty. A created label that shapes from the source
 * have come to use stays, and its creation can no longer be undone. */
int cache_undo(struct cache *cache, int64_t dataset_id, int64_t *asset_id, char *what,
               size_t whatsz, struct err *err);

/* Applies again the oldest undone edit of the dataset that a later undo has not passed by
 * (the redo order of an editor); a new edit made after an undo (review, tag, shape or label)
 * ends the redo chain. Shapes come back with their old row ids, so that later edits in the
 * log still address them. Like cache_undo, *asset_id is 0 when there was nothing to redo (or
 * only a label, with what set) and labels go with the edit after them. The outbox gets the
 * edit again, or, when the undo's compensating entry has not been pushed yet, loses that
 * entry instead. */
int cache_redo(struct cache *cache, int64_t dataset_id, int64_t *asset_id, char *what,
               size_t whatsz, struct err *err);

/* What the next undo (or with redo set, redo) would do, without doing it: its asset (0 for
 * none), its description, and whether the edit was made by an earlier run of annotty (the UI
 * asks before it jumps to another asset or reaches back into an earlier run). Undo and redo
 * never take an edit of another annotty still working on the same cache: those are its own. */
struct undo_step {
	int64_t asset_id;
	char what[128];
	int earlier_run;
	int assets; /* the edits the step takes back or does again: more than 1 for a bulk edit */
};
int cache_undo_peek(struct cache *cache, int64_t dataset_id, int redo, struct undo_step *step,
                    struct err *err);

/* A number that changes when another connection (another annotty, the sync worker) has
 * committed to the cache since this one last looked: the UI reloads what it shows then. */
int cache_data_version(struct cache *cache, int64_t *version, struct err *err);

/* Entries of the dataset's outbox not yet pushed (local sources: not yet exported). */
int cache_outbox_pending(struct cache *cache, int64_t dataset_id, int *count, struct err *err);
/* Marks every pending entry of the dataset as pushed: for a local source, once the dataset
 * has been exported with them. *count (may be NULL) is how many were marked. */
int cache_outbox_mark_pushed(struct cache *cache, int64_t dataset_id, int *count, struct err *err);
/* The same for the pending entries up to id upto, and the newest pending id (0 for none):
 * an export marks what it wrote and not what was queued while it wrote. */
int cache_outbox_mark_pushed_upto(struct cache *cache, int64_t dataset_id, int64_t upto, int *count,
                                  struct err *err);
int cache_outbox_last_pending(struct cache *cache, int64_t dataset_id, int64_t *id,
                              struct err *err);

/* ---- The outbox and conflicts: what the sync engine pushes ------------------------------
 *
 * An entry is pending until the source confirms it (ack), is put off to a later time (retry),
 * or meets a conflict: the source changed the same object (a 409 or 423, or its current value
 * differs from the base the edit was made against) or refused it for good. A conflict is kept
 * with both versions until the user chooses: keep mine (pushed again over theirs) or take
 * theirs (the cache takes the source's value, and the edit can no longer be undone). Nothing
 * leaves the outbox any other way. */

struct outbox_entry {
	int64_t id;
	char idem_key[40]; /* the source applies an entry with the same key once */
	int64_t base_rev;
	int attempts;
	int force;            /* the user chose to keep theirs over the source's value */
	int64_t due_at;       /* Unix seconds before which it is not to be tried (0: now) */
	struct change change; /* with the source's ids looked up now (owned) */
};

/* The oldest pending entry of the dataset (later entries on an object in conflict wait behind
 * it): 1 with *out filled (cache_outbox_entry_clear), 0 when there is none, -1 on failure. An
 * entry that is not due yet is returned too: the caller waits for due_at, keeping the order. */
int cache_outbox_next(struct cache *c, int64_t dataset_id, struct outbox_entry *out,
                      struct err *err);
void cache_outbox_entry_clear(struct outbox_entry *e);
/* The source has the change. created_ext_id (may be NULL) is the id it gave a created shape or
 * label; annotation_ext_id (may be NULL) the annotation it made to hold a shape. */
int cache_outbox_ack(struct cache *c, const struct outbox_entry *e, const char *created_ext_id,
                     const char *annotation_ext_id, struct err *err);
/* Not now: try again at `at` (Unix seconds); why is kept for the status line. */
int cache_outbox_retry(struct cache *c, int64_t id, int64_t at, const char *why, struct err *err);
/* The entry meets the source's value theirs_json (change JSON; NULL when the object is gone
 * there), or with refused set, a refusal for good; why says what the source answered. */
int cache_outbox_conflict(struct cache *c, int64_t id, const char *theirs_json, int refused,
                          const char *why, struct err *err);

struct conflict_row {
	int64_t id; /* the outbox entry's */
	int64_t dataset_id;
	int64_t asset_id; /* 0 for a label */
	char filename[512];
	char op[32];
	char *mine;   /* change JSON */
	char *theirs; /* change JSON, NULL when the object is gone on the source */
	int refused;
	char reason[256];
};

/* The conflicts of a dataset (0: of every dataset), oldest first, at most max. The caller
 * clears the rows (cache_conflict_rows_clear). */
int cache_conflicts_list(struct cache *c, int64_t dataset_id, struct conflict_row *rows, int max,
                         int *n, struct err *err);
void cache_conflict_row_clear(struct conflict_row *r);
void cache_conflict_rows_clear(struct conflict_row *rows, int n);

/* Taking theirs on a local file's conflict marks the image to be read again from the file the
 * next time the dataset is opened (the file's version is the source's). */
enum conflict_choice { CONFLICT_KEEP_MINE = 0, CONFLICT_TAKE_THEIRS };
int cache_conflict_resolve(struct cache *c, int64_t id, enum conflict_choice choice,
                           struct err *err);

/* ---- Browsing for listings (browse.c) --------------------------------------------------
 *
 * Read-only walks over what the cache holds of a source, for `annotty sources` and
 * `annotty ls`: each calls fn once per row, in a stable order, with strings that live only
 * during the call (copy what you keep). A walk reads one snapshot and holds no more than a
 * row in memory, so that a million assets list in constant memory. fn returns 0 to go on, or
 * -1 to stop the walk, which then fails with the err fn filled. */

#define CACHE_BROWSE_TAGS_MAX 256 /* tags given per row; a row with more says so (ntags_total) */

struct cache_source_row {
	int64_t id;
	const char *kind;    /* "coco", "picsellia" */
	const char *locator; /* a file path, or the platform's URL and organization */
	int datasets;        /* dataset versions cached */
	int64_t assets;
	int pending; /* edits not yet pushed (not yet exported, for a local file) */
	int conflicts;
	int64_t imported_at; /* Unix seconds of the last import or pull, 0 for never */
};
typedef int (*cache_source_fn)(const struct cache_source_row *r, void *ctx);
int cache_sources_each(struct cache *c, cache_source_fn fn, void *ctx, struct err *err);
/* The source stored under locator: 1 with *source_id set, 0 when it was never pulled. */
int cache_source_find(struct cache *c, const char *locator, int64_t *source_id, struct err *err);

/* A dataset version of a remote source as the cache holds it (a cache dataset). */
struct cache_version_row {
	int64_t dataset_id;
	const char *name;         /* "cars/v1" */
	const char *dataset_name; /* "cars" */
	const char *version_name; /* "v1" */
	const char *ext_id;       /* the platform's version id */
	const char *type;         /* "OBJECT_DETECTION", or NULL when the pull did not say */
	int64_t assets;
	int64_t status[REVIEW_STATUS_COUNT]; /* assets per review status */
	int labels;
	int pending;
	int conflicts;
	int pulled; /* the last pull of it finished */
};
typedef int (*cache_version_fn)(const struct cache_version_row *r, void *ctx);
/* The versions of the source's datasets by dataset name then version name; dataset_name
 * (may be NULL for all) keeps one dataset's. */
int cache_versions_each(struct cache *c, int64_t source_id, const char *dataset_name,
                        cache_version_fn fn, void *ctx, struct err *err);
/* The cache dataset of "NAME/VERSION" in the source: 1 with *dataset_id set, 0 when the cache
 * holds no such version. */
int cache_version_find(struct cache *c, int64_t source_id, const char *name, int64_t *dataset_id,
                       struct err *err);

struct cache_asset_brief {
	int64_t id;
	const char *ext_id;      /* the source's id; NULL when it has none */
	const char *data_ext_id; /* the datalake item behind it, or NULL */
	const char *filename;
	int width, height;
	int shape_count;
	enum review_status status;
	const char *const *tags; /* by name */
	int ntags;
	int ntags_total; /* more than ntags when the row had over CACHE_BROWSE_TAGS_MAX */
};
typedef int (*cache_asset_fn)(const struct cache_asset_brief *r, void *ctx);
/* The dataset's assets in file name order. */
int cache_assets_each(struct cache *c, int64_t dataset_id, cache_asset_fn fn, void *ctx,
                      struct err *err);
/* The asset of the dataset that key names: its source id, else its file name. 0 with
 * *asset_id set; ERR_NOT_FOUND when none matches, ERR_USAGE when the file name is several
 * assets' (the ids tell them apart). */
int cache_asset_lookup(struct cache *c, int64_t dataset_id, const char *key, int64_t *asset_id,
                       struct err *err);

struct cache_datalake_row {
	int64_t id;
	const char *ext_id;
	const char *name;
	int64_t data;
	int tags;
};
typedef int (*cache_datalake_fn)(const struct cache_datalake_row *r, void *ctx);
int cache_datalakes_each(struct cache *c, int64_t source_id, cache_datalake_fn fn, void *ctx,
                         struct err *err);

/* Which data items a walk gives: all, or those with any (or with all_of, every) of the tags. */
struct cache_data_query {
	int64_t source_id;
	const char *const *tags;
	int ntags;
	int all_of;
};
struct cache_data_row {
	int64_t id;
	const char *datalake; /* its datalake's name */
	const char *ext_id;
	const char *filename;
	const char *type;          /* "IMAGE", "VIDEO" */
	const char *upload_status; /* or NULL */
	int width, height;
	const char *const *tags;
	int ntags;
	int ntags_total;
};
typedef int (*cache_data_fn)(const struct cache_data_row *r, void *ctx);
/* The data of the source's datalakes in file name order. */
int cache_data_each(struct cache *c, const struct cache_data_query *q, cache_data_fn fn, void *ctx,
                    struct err *err);

/* A tag with the number of items that carry it. */
struct cache_tag_row {
	const char *name;
	const char *scope; /* the datalake's name, or the dataset version's ("cars/v1") */
	int64_t uses;
};
typedef int (*cache_tag_fn)(const struct cache_tag_row *r, void *ctx);
/* The tags of the source's datalakes (dataset_id 0), or of one dataset version's assets, by
 * name. */
int cache_tag_counts_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_tag_fn fn,
                          void *ctx, struct err *err);

struct cache_campaign_row {
	int64_t id;
	const char *ext_id;       /* NULL for a campaign started here */
	const char *name;         /* may be NULL */
	const char *kind;         /* "annotation", "review" */
	const char *dataset;      /* the version it runs on ("cars/v1"), or NULL */
	const char *instructions; /* NULL when it has none */
	int local;                /* started here, kept only in the cache */
	int closed;
	int steps;
	int64_t assignments;
};
typedef int (*cache_campaign_fn)(const struct cache_campaign_row *r, void *ctx);
/* The source's campaigns (source_id 0: of any source), of one dataset version when dataset_id
 * is not 0, by name. */
int cache_campaigns_each(struct cache *c, int64_t source_id, int64_t dataset_id,
                         cache_campaign_fn fn, void *ctx, struct err *err);

struct cache_step_row {
	int64_t id;
	int64_t campaign_id;
	const char *campaign_ext_id; /* NULL for a local campaign */
	const char *campaign;        /* its campaign's name, or NULL */
	const char *dataset;         /* the version its campaign runs on, or NULL */
	const char *ext_id;          /* NULL for a local campaign's step */
	const char *name;
	const char *type; /* "ANNOTATION", "REVIEW", "QUALITY_CONTROL" */
	int position;
	const char *const *assignees; /* their names (the user's id when the name is unknown) */
	int nassignees;
	int nassignees_total; /* more than nassignees past CACHE_BROWSE_TAGS_MAX */
	int64_t assignments;
	/* assignments per status; PENDING split into mine and the others' (or nobody's) */
	int64_t pending_mine, pending_others, submitted, accepted, rejected, skipped;
};
typedef int (*cache_step_fn)(const struct cache_step_row *r, void *ctx);
/* The steps of the source's campaigns (source_id 0: of any source; of one dataset version's
 * when dataset_id is not 0), by campaign then position. */
int cache_steps_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_step_fn fn,
                     void *ctx, struct err *err);

/* One of my pending tasks, as `annotty ls tasks` lists them. */
struct cache_task_brief {
	int64_t id;          /* the assignment's row */
	const char *ext_id;  /* the source's assignment id, NULL for a local campaign */
	const char *dataset; /* "cars/v1" */
	int64_t asset_id;
	const char *asset_ext_id; /* NULL when the asset has none */
	const char *filename;
	const char *step;
	const char *step_type;
	const char *status; /* "PENDING" */
	int rejected_count;
	const char *comment; /* NULL for none */
};
typedef int (*cache_task_fn)(const struct cache_task_brief *r, void *ctx);
/* My PENDING tasks (source_id 0: of any source; of one dataset when dataset_id is not 0), by
 * dataset, then step in campaign order, then as cache_tasks_page orders a step's queue:
 * returned work first, each part in assignment order. */
int cache_tasks_each(struct cache *c, int64_t source_id, int64_t dataset_id, cache_task_fn fn,
                     void *ctx, struct err *err);
/* The task of the dataset that key names: an assignment's source id, else the number of its
 * row (as cache_tasks_each gives it when it has no source id), else an asset's source id or
 * file name (cache_asset_lookup), whose current assignment it is. 0 with *assignment_id set;
 * ERR_NOT_FOUND when none matches, ERR_USAGE when the file name is several assets'. */
int cache_task_lookup(struct cache *c, int64_t dataset_id, const char *key, int64_t *assignment_id,
                      struct err *err);

/* The number of conflicts of a dataset (0: of every dataset). */
int cache_conflicts_count(struct cache *c, int64_t dataset_id, int *count, struct err *err);

/* ---- Campaigns: the annotators' and reviewers' work queue ------------------------------
 *
 * A dataset has at most one campaign: its ordered steps (annotate, review), each with its
 * assignees, and per asset one assignment for each step it has reached, one of them the
 * asset's current one. A campaign comes from a platform's pull, or is a local one started here
 * (kept only in the cache, its decisions going out with an export). "Me" is the user of the
 * dataset's source marked as the one working here. Task decisions update the local queue at
 * once and are queued in the outbox as "task.decide" entries; the step model (spec 12.2) says
 * what happens next locally. */

#define CACHE_COMMENT_MAX      500  /* a rejection's reason, in bytes */
#define CACHE_INSTRUCTIONS_MAX 2000 /* the instructions kept for the task screen, in bytes */

/* A user of the dataset's source, matched by ext_id; with is_me set, the one working here (no
 * other user of the source stays so). username may be NULL (kept when known). *user_id (may be
 * NULL) is the row's id. */
int cache_user_put(struct cache *c, int64_t dataset_id, const char *ext_id, const char *username,
                   int is_me, int64_t *user_id, struct err *err);
/* Stores the campaign of a pulled dataset, matched by ext_id (which it must have); its name and
 * instructions replace the stored ones. */
int cache_campaign_put(struct cache *c, int64_t dataset_id, const struct campaign *cp,
                       int64_t *campaign_id, struct err *err);
/* Stores the campaign's steps, matched by ext_id (which each must have), with their assignees
 * by user ext_id (users not seen yet are stored without a name). One transaction. */
int cache_steps_put(struct cache *c, int64_t campaign_id, const struct campaign_step *steps, int n,
                    struct err *err);
/* Stores a page of the campaign's assignments, each the current one of its asset (matched by
 * ext_id, else by its asset and step), in one transaction. An assignment of an asset the cache
 * does not hold is passed over and counted in *skipped (may be NULL); one whose asset has a task
 * decision not pushed yet keeps the local state (the push meets the source's). A step that is
 * not stored is an ERR_NOT_FOUND error. */
int cache_assignments_put(struct cache *c, int64_t campaign_id, const struct assignment *a, int n,
                          int *skipped, struct err *err);

/* A local campaign: an annotate step and a review step, both assigned to user (the local user,
 * who becomes "me"), and a PENDING annotate task for a share of the assets: all of them for a
 * sample_rate of 0 or 1, else round(rate * count) of them (at least one), the same ones for the
 * same file names every time. A dataset that has a campaign already is refused (ERR_CONFLICT).
 * *ntasks (may be NULL) is how many tasks it made. */
struct campaign_local_spec {
	const char *user;         /* the local user's name */
	double sample_rate;       /* in [0, 1] */
	const char *name;         /* NULL: "Local campaign" */
	const char *instructions; /* may be NULL */
};
int cache_campaign_start_local(struct cache *c, int64_t dataset_id,
                               const struct campaign_local_spec *spec, int64_t *campaign_id,
                               int *ntasks, struct err *err);

struct campaign_info {
	int64_t id;
	char ext_id[128];
	char name[256];
	char instructions[CACHE_INSTRUCTIONS_MAX + 1]; /* cut to fit */
	int local;                                     /* started here */
	int64_t me;        /* the user working here (0 when the source has not said) */
	char me_name[128]; /* "" when unknown */
	int nsteps;
};
/* The dataset's campaign: 1 with *out filled, 0 when it has none, -1 on failure. */
int cache_campaign_find(struct cache *c, int64_t dataset_id, struct campaign_info *out,
                        struct err *err);

struct step_counts {
	int pending_mine;
	int pending_others; /* assigned to someone else, or to nobody yet */
	int submitted;
	int accepted;
	int rejected;
	int skipped;
};

struct step_row {
	int64_t id;
	int64_t campaign_id;
	char ext_id[128];
	char name[256];
	enum step_type type;
	int position;
	char assignees[256]; /* their names, comma-separated, cut to fit */
	struct step_counts counts;
	int total; /* assignments in the step */
};
/* The campaign's steps in order, with their counts; at most max, *n written. */
int cache_steps_list(struct cache *c, int64_t campaign_id, struct step_row *rows, int max, int *n,
                     struct err *err);
/* One step: 1 with *out filled, 0 when there is none, -1 on failure. */
int cache_step_get(struct cache *c, int64_t step_id, struct step_row *out, struct err *err);

/* "My tasks" of a step: its PENDING assignments for me, returned work first (rejected_count >
 * 0), each part in assignment order, keyset-paged like the asset list. */
struct task_cursor {
	int valid; /* 0: from the start (forward) or the end (backward) */
	int returned;
	int64_t id;
};

struct task_row {
	int64_t id; /* the assignment's */
	int64_t asset_id;
	char filename[512];
	enum assignment_status status;
	int rejected_count;
	char comment[CACHE_COMMENT_MAX + 1]; /* "" for none */
	struct task_cursor cursor;
};
/* Rows strictly after (forward) or before (backward) the cursor, in queue order either way. */
int cache_tasks_page(struct cache *c, int64_t step_id, const struct task_cursor *from, int backward,
                     struct task_row *rows, int max, int *n, struct err *err);
int cache_tasks_count(struct cache *c, int64_t step_id, int *count, struct err *err);
/* The 0-based position in the queue of the row at cursor at (or where it would be). */
int cache_tasks_position(struct cache *c, int64_t step_id, const struct task_cursor *at,
                         int *position, struct err *err);
/* One assignment as a row (whatever its status): 1 with *out filled, 0 when there is none. */
int cache_task_get(struct cache *c, int64_t assignment_id, struct task_row *out, struct err *err);

/* Decides a PENDING task of mine, in one transaction: an ANNOTATION step's task is submitted
 * (it moves on to the next step) or skipped; a REVIEW step's is accepted (the asset's review
 * becomes accepted and it moves on), rejected (the asset's review becomes rejected and it goes
 * back to the one who did the annotate step before it, with rejected_count + 1 and the comment)
 * or skipped (left in the step for nobody). In a local campaign the next step's task is the
 * local user's; in a platform's, its assignee is learnt from the next pull. comment (may be
 * NULL or empty) is kept for a rejection only; duration is the seconds spent on the task. The
 * outbox gets one "task.decide" entry. Refused with ERR_CONFLICT when the task is no longer
 * pending, ERR_FORBIDDEN when it is not mine, ERR_USAGE when the decision does not fit the step,
 * ERR_NOT_FOUND when there is no such task. */
int cache_task_decide(struct cache *c, int64_t assignment_id, enum task_decision d,
                      const char *comment, double duration, struct err *err);

/* The campaign's latest distinct rejection reasons, newest first (for the reason prompt). */
int cache_task_reasons(struct cache *c, int64_t campaign_id, char (*out)[CACHE_COMMENT_MAX + 1],
                       int max, int *n, struct err *err);

/* ---- Marks and bulk edits (bulk.c) ------------------------------------------------------
 *
 * The rows marked in the list are a filter plus exceptions: with all set, every row of query
 * is marked (what `*` marks, without a row being read), and the rows toggled against that are
 * kept in a table of this connection (never in the file: marks last as long as the run).
 * Without all, the toggled rows are the marks and query.dataset_id says whose. The caller
 * owns the struct; the toggled rows belong to the connection. */
struct cache_marks {
	int all;
	struct asset_query query;
};

/* Marks (on set) or unmarks one asset; *on of cache_mark_get is whether it is marked. */
int cache_mark_set(struct cache *c, const struct cache_marks *m, int64_t asset_id, int on,
                   struct err *err);
int cache_mark_get(struct cache *c, const struct cache_marks *m, int64_t asset_id, int *on,
                   struct err *err);
/* Unmarks everything (m is zeroed; set its query.dataset_id again before use). */
int cache_marks_clear(struct cache *c, struct cache_marks *m, struct err *err);
/* Marks every row of q (and nothing else). */
int cache_marks_all(struct cache *c, struct cache_marks *m, const struct asset_query *q,
                    struct err *err);
int cache_marks_count(struct cache *c, const struct cache_marks *m, int *count, struct err *err);
/* The marked assets' ids in id order; the caller frees *ids (NULL when there are none). */
int cache_marks_ids(struct cache *c, const struct cache_marks *m, int64_t **ids, int *n,
                    struct err *err);

/* One edit over many assets. */
enum bulk_op {
	BULK_REVIEW = 0,   /* status */
	BULK_TAG_ADD,      /* name: the tag */
	BULK_TAG_REMOVE,   /* name: the tag */
	BULK_RELABEL,      /* every shape of label name gets label new_name (created if need be) */
	BULK_DELETE_LABEL, /* every shape of label name is deleted */
};

struct bulk_edit {
	enum bulk_op op;
	enum review_status status;
	const char *name;
	const char *new_name;
};

struct bulk_result {
	int changed;   /* assets the edit changed */
	int unchanged; /* assets that already were so (nothing queued for them) */
	int shapes;    /* shapes relabelled or deleted */
};

/* Called as a bulk edit goes (done of total assets); returning nonzero cancels it. */
typedef int (*cache_progress_fn)(void *ctx, int done, int total);

/* Applies the edit to each of the n assets in one transaction: each asset's change is the
 * single edit's (the same outbox entries: one per asset for a review or a tag, one per shape
 * for a shape edit), and all of them make one undo step (cache_undo takes them back together,
 * its description saying on how many assets). A failure or a cancel changes nothing.
 * progress (may be NULL) is called every 64 assets and at the end. */
int cache_bulk_apply(struct cache *c, int64_t dataset_id, const int64_t *ids, int n,
                     const struct bulk_edit *e, cache_progress_fn progress, void *ctx,
                     struct bulk_result *res, struct err *err);

/* Writes the assets of ids (with their review, tags and edits) as a COCO file at path, the
 * dataset's labels with them; the outbox is left as it is (the source itself is not written).
 * *written (may be NULL) is how many assets the file holds. */
int cache_export_assets(struct cache *c, int64_t dataset_id, const int64_t *ids, int n,
                        const char *path, int *written, struct err *err);

/* ---- Statistics (stats.c) --------------------------------------------------------------- */

#define CACHE_STATS_BINS       8
#define CACHE_STATS_LABELS_MAX 256
#define CACHE_STATS_TAGS_MAX   64

struct cache_stats_label {
	char name[CACHE_LABEL_MAX + 1];
	int index; /* in label order: its colour */
	int shapes;
	int images; /* images with at least one shape of it */
};

struct cache_stats_tag {
	char name[CACHE_TAG_MAX + 1];
	int images;
};

/* What the rows of a query hold. Labels come most shapes first (every label of the dataset,
 * those without shapes too), tags most used first; what did not fit is counted in *_more. */
struct cache_stats {
	int assets;
	int status[REVIEW_STATUS_COUNT];
	int no_shapes; /* images without annotations */
	int shapes;
	int unlabelled;                  /* shapes without a label */
	int per_image[CACHE_STATS_BINS]; /* images by shape count, cache_stats_per_image_bins */
	int boxes;
	int box_sizes[CACHE_STATS_BINS]; /* boxes by size, cache_stats_box_bins (NULL ends) */
	struct cache_stats_label labels[CACHE_STATS_LABELS_MAX];
	int nlabels, labels_more;
	struct cache_stats_tag tags[CACHE_STATS_TAGS_MAX];
	int ntags, tags_more;
};
extern const char *const cache_stats_per_image_bins[CACHE_STATS_BINS];
extern const char *const cache_stats_box_bins[CACHE_STATS_BINS];

/* Counts over the rows of q (an empty filter: the whole dataset). The caller owns *out. */
int cache_stats(struct cache *c, const struct asset_query *q, struct cache_stats *out,
                struct err *err);

/* ---- Export ----------------------------------------------------------------------------- */

/* The dataset as stored, with local review state, tags and kept extra fields, for a writer.
 * The caller owns *out. */
int cache_export_doc(struct cache *cache, int64_t dataset_id, struct dataset_doc **out,
                     struct err *err);

#endif
