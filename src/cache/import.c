/* Importing a backend's dataset_doc into the cache in one transaction, and re-importing it so
 * that local review work on unchanged assets survives. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

#define NOW "CAST(strftime('%s', 'now') AS INTEGER)"

/* An import touches far more pages than browsing does: a larger page cache for its duration
 * keeps dirty index pages in memory until the commit instead of spilling them. */
static const char sql_cache_large[] = "PRAGMA cache_size = -65536";
static const char sql_cache_normal[] = "PRAGMA cache_size = -2000";

static const char sql_source_find[] = "SELECT id, generation FROM source WHERE locator = ?1";
static const char sql_source_insert[] =
    "INSERT INTO source (kind, locator, fingerprint, generation, imported_at)"
    " VALUES (?1, ?2, ?3, 1, " NOW ")";
static const char sql_source_update[] =
    "UPDATE source SET kind = ?2, fingerprint = ?3, generation = generation + 1,"
    " imported_at = " NOW " WHERE id = ?1";
static const char sql_sync_touch[] =
    "INSERT INTO sync_state (source_id, last_pull_at) VALUES (?1, " NOW ")"
    " ON CONFLICT (source_id) DO UPDATE SET last_pull_at = excluded.last_pull_at";
static const char sql_dataset_find[] =
    "SELECT id FROM dataset WHERE source_id = ?1 ORDER BY id LIMIT 1";
static const char sql_dataset_insert[] =
    "INSERT INTO dataset (source_id, name, format, extra_json) VALUES (?1, ?2, ?3, ?4)";
static const char sql_dataset_update[] =
    "UPDATE dataset SET name = ?2, format = ?3, extra_json = ?4 WHERE id = ?1";
/* a local source has a single version, named like this */
static const char sql_version_find[] =
    "SELECT id FROM dataset_version WHERE dataset_id = ?1 AND name = 'local'";
static const char sql_version_insert[] =
    "INSERT INTO dataset_version (dataset_id, name) VALUES (?1, 'local')";
static const char sql_labels_load[] =
    "SELECT id, name FROM label WHERE dataset_id = ?1 ORDER BY position, id";
static const char sql_label_update[] =
    "UPDATE label SET position = ?2, ext_id = ?3, extra_json = ?4 WHERE id = ?1";
static const char sql_label_insert[] =
    "INSERT INTO label (dataset_id, position, ext_id, extra_json, name)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
/* a label created here and not yet sent (or exported) is not gone from the source: the
 * source has not heard of it yet */
static const char sql_label_delete[] =
    "DELETE FROM label WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM outbox"
    " WHERE entity = 'label' AND entity_id = ?1 AND op = 'label.create' AND state = 'pending')";
static const char sql_label_place[] = "UPDATE label SET position = ?2 WHERE id = ?1";
/* Candidates are rows this import has not matched yet (import_gen below the new one), so a
 * source listing the same file twice gets two assets. */
static const char sql_asset_by_ext[] =
    "SELECT id, content_hash FROM asset WHERE version_id = ?1 AND ext_id = ?2"
    " AND import_gen < ?3 ORDER BY id LIMIT 1";
static const char sql_asset_by_name[] =
    "SELECT id, content_hash FROM asset WHERE version_id = ?1 AND filename = ?2"
    " AND import_gen < ?3 ORDER BY id LIMIT 1";
static const char sql_asset_insert[] =
    "INSERT INTO asset (ext_id, path, seq, import_gen, extra_json, data_ext_id, filename, width,"
    " height, status, shape_count, content_hash, base_rev, dataset_id, version_id)"
    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
/* unchanged content: the review status and tags stay as the user left them */
/* a remote source names no file: the image store's file (path) stays */
#define SQL_PATH    " path = iif(?20, coalesce(?3, path), ?3),"
#define PARAM_PAGED 20
static const char sql_asset_keep[] =
    "UPDATE asset SET ext_id = ?2," SQL_PATH " seq = ?4, import_gen = ?5, extra_json = ?6,"
    " data_ext_id = ?7 WHERE id = ?1";
static const char sql_asset_change[] =
    "UPDATE asset SET ext_id = ?2," SQL_PATH " seq = ?4, import_gen = ?5, extra_json = ?6,"
    " data_ext_id = ?7, filename = ?8, width = ?9, height = ?10, status = ?11,"
    " shape_count = ?12, content_hash = ?13, base_rev = ?14 WHERE id = ?1";
static const char sql_version_has_assets[] =
    "SELECT EXISTS (SELECT 1 FROM asset WHERE version_id = ?1)";
static const char sql_annotation_insert[] =
    "INSERT INTO annotation (asset_id, status, base_rev, ext_id) VALUES (?1, ?2, ?3, ?4)";
static const char sql_annotation_upsert[] =
    "INSERT INTO annotation (asset_id, status, base_rev, ext_id) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (asset_id) DO UPDATE SET status = excluded.status,"
    " base_rev = excluded.base_rev, ext_id = coalesce(excluded.ext_id, ext_id)";
static const char sql_annotation_id[] = "SELECT id FROM annotation WHERE asset_id = ?1";
static const char sql_shapes_delete[] = "DELETE FROM shape WHERE asset_id = ?1";
/* Shapes go in SHAPE_BATCH rows per statement: with a million of them, the cost of running a
 * statement at all outweighs the cost of a row. */
static const char sql_shape_insert[] =
    "INSERT INTO shape (asset_id, annotation_id, seq, label_id, kind, x, y, w, h, points,"
    " parts, text, ext_id, extra_json) VALUES ";
static const char sql_shape_values[] = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
#define SHAPE_PARAMS 14
#define SHAPE_BATCH  32
static const char sql_tag_find[] = "SELECT id FROM tag WHERE dataset_id = ?1 AND name = ?2";
static const char sql_tag_insert[] = "INSERT INTO tag (dataset_id, name) VALUES (?1, ?2)";
static const char sql_asset_tag_insert[] =
    "INSERT OR IGNORE INTO asset_tag (asset_id, tag_id) VALUES (?1, ?2)";
/* shape edits made against shapes the source has since replaced cannot be undone (the shapes
 * they name are gone); the user's review of the image stays, and so does its undo */
static const char sql_status_log_delete[] = "DELETE FROM edit_log WHERE asset_id = ?1"
                                            " AND op LIKE 'shape.%'";
/* the review the user gave an image, which a changed source file does not take away */
static const char sql_asset_reviewed[] =
    "SELECT a.status FROM asset a WHERE a.id = ?1 AND EXISTS (SELECT 1 FROM edit_log e"
    " WHERE e.asset_id = a.id AND e.op = 'annotation.status' AND e.undone = 0)";
/* an image with shape edits not yet exported keeps them when the source file changed it too:
 * those edits become conflicts for the user to settle */
static const char sql_asset_shape_unsent[] =
    "SELECT EXISTS (SELECT 1 FROM edit_log e JOIN outbox o ON o.id = e.outbox_id"
    " WHERE e.asset_id = ?1 AND e.op LIKE 'shape.%' AND o.state = 'pending')";
static const char sql_asset_conflict[] =
    "UPDATE outbox SET state = 'conflict', conflict_at = " NOW ", last_error ="
    " 'the source file changed this image too; your edit was kept' WHERE state = 'pending'"
    " AND id IN (SELECT outbox_id FROM edit_log WHERE asset_id = ?1 AND op LIKE 'shape.%')";
/* the edits of an image gone from the source file are not lost silently: they are conflicts
 * (refused: there is no image left to write them to) */
static const char sql_gone_conflict[] =
    "UPDATE outbox SET state = 'conflict', refused = 1, conflict_at = " NOW ", last_error ="
    " 'the image is gone from the source file' WHERE state = 'pending' AND id IN"
    " (SELECT e.outbox_id FROM edit_log e JOIN asset a ON a.id = e.asset_id"
    "  WHERE a.version_id = ?1 AND a.import_gen < ?2)";
static const char sql_assets_remove[] =
    "DELETE FROM asset WHERE version_id = ?1 AND import_gen < ?2";
static const char sql_asset_unsent[] =
    "SELECT EXISTS (SELECT 1 FROM edit_log e JOIN outbox o ON o.id = e.outbox_id"
    " WHERE e.asset_id = ?1 AND o.state IN ('pending', 'conflict'))";
/* a paged pull names its dataset by the source's id of the container */
static const char sql_dataset_find_ext[] =
    "SELECT id FROM dataset WHERE source_id = ?1 AND ext_id = ?2";
static const char sql_dataset_insert_ext[] =
    "INSERT INTO dataset (source_id, ext_id, name, format) VALUES (?1, ?2, ?3, ?4)";
static const char sql_version_insert_named[] =
    "INSERT INTO dataset_version (dataset_id, name, ext_id) VALUES (?1, ?2, ?3)";

enum import_sql {
	Q_SOURCE_FIND,
	Q_SOURCE_INSERT,
	Q_SOURCE_UPDATE,
	Q_SYNC_TOUCH,
	Q_DATASET_FIND,
	Q_DATASET_INSERT,
	Q_DATASET_UPDATE,
	Q_VERSION_FIND,
	Q_VERSION_INSERT,
	Q_LABELS_LOAD,
	Q_LABEL_UPDATE,
	Q_LABEL_INSERT,
	Q_LABEL_DELETE,
	Q_LABEL_PLACE,
	Q_ASSET_BY_EXT,
	Q_ASSET_BY_NAME,
	Q_ASSET_INSERT,
	Q_ASSET_KEEP,
	Q_ASSET_CHANGE,
	Q_VERSION_HAS_ASSETS,
	Q_ANNOTATION_INSERT,
	Q_ANNOTATION_UPSERT,
	Q_ANNOTATION_ID,
	Q_SHAPES_DELETE,
	Q_TAG_FIND,
	Q_TAG_INSERT,
	Q_ASSET_TAG_INSERT,
	Q_STATUS_LOG_DELETE,
	Q_ASSETS_REMOVE,
	Q_ASSET_UNSENT,
	Q_ASSET_REVIEWED,
	Q_ASSET_SHAPE_UNSENT,
	Q_ASSET_CONFLICT,
	Q_GONE_CONFLICT,
	Q_COUNT
};

static const char *const import_sql[Q_COUNT] = {
    [Q_SOURCE_FIND] = sql_source_find,
    [Q_SOURCE_INSERT] = sql_source_insert,
    [Q_SOURCE_UPDATE] = sql_source_update,
    [Q_SYNC_TOUCH] = sql_sync_touch,
    [Q_DATASET_FIND] = sql_dataset_find,
    [Q_DATASET_INSERT] = sql_dataset_insert,
    [Q_DATASET_UPDATE] = sql_dataset_update,
    [Q_VERSION_FIND] = sql_version_find,
    [Q_VERSION_INSERT] = sql_version_insert,
    [Q_LABELS_LOAD] = sql_labels_load,
    [Q_LABEL_UPDATE] = sql_label_update,
    [Q_LABEL_INSERT] = sql_label_insert,
    [Q_LABEL_DELETE] = sql_label_delete,
    [Q_LABEL_PLACE] = sql_label_place,
    [Q_ASSET_BY_EXT] = sql_asset_by_ext,
    [Q_ASSET_BY_NAME] = sql_asset_by_name,
    [Q_ASSET_INSERT] = sql_asset_insert,
    [Q_ASSET_KEEP] = sql_asset_keep,
    [Q_ASSET_CHANGE] = sql_asset_change,
    [Q_VERSION_HAS_ASSETS] = sql_version_has_assets,
    [Q_ANNOTATION_INSERT] = sql_annotation_insert,
    [Q_ANNOTATION_UPSERT] = sql_annotation_upsert,
    [Q_ANNOTATION_ID] = sql_annotation_id,
    [Q_SHAPES_DELETE] = sql_shapes_delete,
    [Q_TAG_FIND] = sql_tag_find,
    [Q_TAG_INSERT] = sql_tag_insert,
    [Q_ASSET_TAG_INSERT] = sql_asset_tag_insert,
    [Q_STATUS_LOG_DELETE] = sql_status_log_delete,
    [Q_ASSETS_REMOVE] = sql_assets_remove,
    [Q_ASSET_UNSENT] = sql_asset_unsent,
    [Q_ASSET_REVIEWED] = sql_asset_reviewed,
    [Q_ASSET_SHAPE_UNSENT] = sql_asset_shape_unsent,
    [Q_ASSET_CONFLICT] = sql_asset_conflict,
    [Q_GONE_CONFLICT] = sql_gone_conflict,
};

/* A shape waiting for its batch. */
struct queued_shape {
	const struct shape *s;
	int64_t asset_id;
	int64_t annotation_id;
	int seq;
};

/* One import: the statements it reuses for every row, and where it has got to. */
struct import {
	struct cache *c;
	const struct dataset_doc *doc;
	struct err *err;
	sqlite3_stmt *st[Q_COUNT];
	sqlite3_stmt *shape_one;   /* inserts one shape */
	sqlite3_stmt *shape_batch; /* inserts SHAPE_BATCH shapes */
	struct queued_shape queue[SHAPE_BATCH];
	int nqueued;
	int64_t source_id;
	int64_t dataset_id;
	int64_t version_id;
	int64_t gen;
	int had_assets;     /* 0: a first import, where no asset can match */
	int paged;          /* a page of a remote pull: the review state is the source's too */
	int64_t *label_ids; /* per doc label */
	struct import_stats stats;
};

/* What a re-import found for one asset of the doc. */
struct asset_match {
	int64_t id; /* 0: new */
	int64_t old_hash;
	int64_t new_hash;
};

/* Binding without a copy: the doc outlives every step of the import. */
static void bind_static(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, idx);
	else
		sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

static int shape_insert_prepare(struct import *ix, int rows, sqlite3_stmt **st)
{
	struct buf b;
	int rc;

	buf_init(&b, 1 << 16);
	rc = buf_puts(&b, sql_shape_insert);
	for (int i = 0; i < rows && rc == 0; i++)
		rc = buf_printf(&b, "%s%s", i ? ", " : "", sql_shape_values);
	if (rc < 0)
		rc = err_set(ix->err, "preparing the import: out of memory");
	else
		rc = cache_db_prepare(ix->c, (const char *)b.data, st, ix->err);
	buf_free(&b);
	return rc;
}

static int import_prepare(struct import *ix)
{
	for (int i = 0; i < Q_COUNT; i++)
		if (cache_db_prepare(ix->c, import_sql[i], &ix->st[i], ix->err) < 0)
			return -1;
	if (shape_insert_prepare(ix, 1, &ix->shape_one) < 0)
		return -1;
	return shape_insert_prepare(ix, SHAPE_BATCH, &ix->shape_batch);
}

static void import_finish(struct import *ix)
{
	for (int i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(ix->st[i]);
	sqlite3_finalize(ix->shape_one);
	sqlite3_finalize(ix->shape_batch);
	free(ix->label_ids);
}

/* ---- content hash ---------------------------------------------------------------------- */

/* Mixes one word in at a time: the hash runs over every coordinate of every shape, so it is
 * worth not going byte by byte. Change detection only; not for security. */
static uint64_t hash_u64(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static uint64_t hash_double(uint64_t h, double d)
{
	uint64_t u;

	if (d == 0)
		d = 0; /* -0 and 0 are the same coordinate */
	memcpy(&u, &d, sizeof u);
	return hash_u64(h, u);
}

/* NULL and "" differ, and the terminator keeps "ab"+"c" apart from "a"+"bc". */
static uint64_t hash_str(uint64_t h, const char *s)
{
	h = hash_u64(h, s != NULL);
	return s != NULL ? str_hash64(s, strlen(s) + 1, h) : h;
}

static uint64_t hash_shape(uint64_t h, const struct dataset_doc *doc, const struct shape *s)
{
	int has_label = s->label >= 0 && s->label < doc->nlabels;

	h = hash_u64(h, (uint64_t)s->kind);
	h = hash_str(h, has_label ? doc->labels[s->label].name : NULL);
	h = hash_double(h, s->box.x);
	h = hash_double(h, s->box.y);
	h = hash_double(h, s->box.w);
	h = hash_double(h, s->box.h);
	h = hash_u64(h, (uint64_t)s->npoints);
	for (int i = 0; i < s->npoints; i++)
		h = hash_double(hash_double(h, s->points[i].x), s->points[i].y);
	h = hash_u64(h, (uint64_t)s->nparts);
	for (int i = 0; i < s->nparts; i++)
		h = hash_u64(h, (uint64_t)s->part_ends[i]);
	return hash_str(h, s->text);
}

/* What decides between "unchanged" and "changed" on a re-import. Labels enter by name, so
 * reordering the label list changes no asset. The result is stored in asset.content_hash:
 * changing how it is computed makes every asset look changed (and lose its review) on its
 * next import, so that needs a migration that recomputes the column. */
static int64_t asset_content_hash(const struct dataset_doc *doc, const struct asset *a,
                                  int with_status)
{
	uint64_t h = hash_str(STR_HASH_SEED, a->filename != NULL ? a->filename : "");

	/* on a platform the review status is the source's as much as the shapes are; a local
	 * file's hash leaves it out (the review is the user's, kept across imports) */
	if (with_status)
		h = hash_u64(h, 0x5eed0000u + (uint64_t)a->status);
	h = hash_u64(h, (uint64_t)a->width);
	h = hash_u64(h, (uint64_t)a->height);
	h = hash_u64(h, (uint64_t)a->nshapes);
	for (int i = 0; i < a->nshapes; i++)
		h = hash_shape(h, doc, &a->shapes[i]);
	return (int64_t)h;
}

/* ---- source, dataset, version ---------------------------------------------------------- */

static int import_source(struct import *ix, const char *kind, const char *locator,
                         const char *fingerprint)
{
	sqlite3_stmt *find = ix->st[Q_SOURCE_FIND], *st;
	int found;

	bind_static(find, 1, locator);
	found = sqlite3_step(find);
	if (found == SQLITE_ROW) {
		ix->source_id = sqlite3_column_int64(find, 0);
		ix->gen = sqlite3_column_int64(find, 1) + 1;
	}
	sqlite3_reset(find);
	if (found != SQLITE_ROW && found != SQLITE_DONE)
		return cache_db_fail(ix->c, ix->err, "looking up the source");
	st = ix->st[found == SQLITE_ROW ? Q_SOURCE_UPDATE : Q_SOURCE_INSERT];
	if (found == SQLITE_ROW)
		sqlite3_bind_int64(st, 1, ix->source_id);
	else
		bind_static(st, 1, kind);
	bind_static(st, 2, found == SQLITE_ROW ? kind : locator);
	bind_static(st, 3, fingerprint);
	if (cache_db_run(ix->c, st, ix->err, "recording the source") < 0)
		return -1;
	if (found != SQLITE_ROW) {
		ix->source_id = sqlite3_last_insert_rowid(ix->c->db);
		ix->gen = 1;
	}
	sqlite3_bind_int64(ix->st[Q_SYNC_TOUCH], 1, ix->source_id);
	return cache_db_run(ix->c, ix->st[Q_SYNC_TOUCH], ix->err, "recording the pull");
}

/* Finds the row with find (bound to parent), else creates it with insert. */
static int find_or_insert(struct import *ix, enum import_sql find, enum import_sql insert,
                          int64_t parent, int64_t *id, const char *doing)
{
	int found;

	sqlite3_bind_int64(ix->st[find], 1, parent);
	found = cache_db_lookup(ix->c, ix->st[find], id, ix->err, doing);
	if (found != 0)
		return found < 0 ? -1 : 0;
	if (cache_db_run(ix->c, ix->st[insert], ix->err, doing) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(ix->c->db);
	return 0;
}

static int import_dataset(struct import *ix)
{
	const struct dataset_doc *doc = ix->doc;
	sqlite3_stmt *ins = ix->st[Q_DATASET_INSERT], *upd = ix->st[Q_DATASET_UPDATE];
	int64_t exists = 0;

	sqlite3_bind_int64(ins, 1, ix->source_id);
	bind_static(ins, 2, doc->name != NULL ? doc->name : "");
	bind_static(ins, 3, doc->format);
	bind_static(ins, 4, doc->extra_json);
	if (find_or_insert(ix, Q_DATASET_FIND, Q_DATASET_INSERT, ix->source_id, &ix->dataset_id,
	                   "recording the dataset") < 0)
		return -1;
	sqlite3_bind_int64(upd, 1, ix->dataset_id);
	bind_static(upd, 2, doc->name != NULL ? doc->name : "");
	bind_static(upd, 3, doc->format);
	bind_static(upd, 4, doc->extra_json);
	if (cache_db_run(ix->c, upd, ix->err, "recording the dataset") < 0)
		return -1;
	sqlite3_bind_int64(ix->st[Q_VERSION_INSERT], 1, ix->dataset_id);
	if (find_or_insert(ix, Q_VERSION_FIND, Q_VERSION_INSERT, ix->dataset_id, &ix->version_id,
	                   "recording the dataset version") < 0)
		return -1;
	sqlite3_bind_int64(ix->st[Q_VERSION_HAS_ASSETS], 1, ix->version_id);
	if (cache_db_lookup(ix->c, ix->st[Q_VERSION_HAS_ASSETS], &exists, ix->err,
	                    "reading the dataset version") < 0)
		return -1;
	ix->had_assets = exists != 0;
	return 0;
}

/* ---- labels ---------------------------------------------------------------------------- */

struct old_label {
	int64_t id;
	char *name;
	int matched;
};

static void old_labels_free(struct old_label *old, int n)
{
	for (int i = 0; i < n; i++)
		free(old[i].name);
	free(old);
}

static int old_labels_load(struct import *ix, struct old_label **out, int *n)
{
	sqlite3_stmt *st = ix->st[Q_LABELS_LOAD];
	struct old_label *old = NULL, *grown;
	int count = 0, cap = 0, rc;

	sqlite3_bind_int64(st, 1, ix->dataset_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(old, (size_t)cap * sizeof *old);
			if (grown == NULL)
				break;
			old = grown;
		}
		old[count].id = sqlite3_column_int64(st, 0);
		old[count].matched = 0;
		old[count].name = strdup(cache_db_text(st, 1));
		if (old[count++].name == NULL)
			break;
	}
	sqlite3_reset(st);
	*out = old;
	*n = count;
	if (rc == SQLITE_ROW)
		return err_set(ix->err, "loading the labels: out of memory");
	return rc == SQLITE_DONE ? 0 : cache_db_fail(ix->c, ix->err, "loading the labels");
}

/* Labels are matched by name; a name listed twice matches two rows in order. */
static int64_t old_label_take(struct old_label *old, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (!old[i].matched && strcmp(old[i].name, name) == 0) {
			old[i].matched = 1;
			return old[i].id;
		}
	}
	return 0;
}

static int label_store(struct import *ix, int pos, int64_t id)
{
	const struct label *l = &ix->doc->labels[pos];
	sqlite3_stmt *st = ix->st[id != 0 ? Q_LABEL_UPDATE : Q_LABEL_INSERT];

	sqlite3_bind_int64(st, 1, id != 0 ? id : ix->dataset_id);
	sqlite3_bind_int(st, 2, pos);
	bind_static(st, 3, l->ext_id);
	bind_static(st, 4, l->extra_json);
	if (id == 0)
		bind_static(st, 5, l->name != NULL ? l->name : "");
	if (cache_db_run(ix->c, st, ix->err, "storing a label") < 0)
		return -1;
	ix->label_ids[pos] = id != 0 ? id : sqlite3_last_insert_rowid(ix->c->db);
	return 0;
}

static int import_labels(struct import *ix)
{
	struct old_label *old = NULL;
	int nold = 0, rc = -1, kept = 0;

	ix->label_ids = calloc((size_t)ix->doc->nlabels + 1, sizeof *ix->label_ids);
	if (ix->label_ids == NULL) {
		err_set(ix->err, "importing the labels: out of memory");
		goto out;
	}
	if (old_labels_load(ix, &old, &nold) < 0)
		goto out;
	for (int i = 0; i < ix->doc->nlabels; i++) {
		const char *name = ix->doc->labels[i].name;

		if (label_store(ix, i, old_label_take(old, nold, name != NULL ? name : "")) < 0)
			goto out;
	}
	/* the doc lists every label; the others are gone from the source */
	for (int i = 0; i < nold; i++) {
		if (old[i].matched)
			continue;
		sqlite3_bind_int64(ix->st[Q_LABEL_DELETE], 1, old[i].id);
		if (cache_db_run(ix->c, ix->st[Q_LABEL_DELETE], ix->err, "removing a label") < 0)
			goto out;
		if (sqlite3_changes(ix->c->db) > 0)
			continue;
		/* kept: after the source's labels, in the order they had */
		sqlite3_bind_int64(ix->st[Q_LABEL_PLACE], 1, old[i].id);
		sqlite3_bind_int(ix->st[Q_LABEL_PLACE], 2, ix->doc->nlabels + kept++);
		if (cache_db_run(ix->c, ix->st[Q_LABEL_PLACE], ix->err, "keeping a label") < 0)
			goto out;
	}
	ix->stats.labels = ix->doc->nlabels;
	rc = 0;
out:
	old_labels_free(old, nold);
	return rc;
}

/* ---- assets ---------------------------------------------------------------------------- */

/* 1 and m filled when a row matched by key, 0 when none did, -1 on failure. */
static int asset_lookup(struct import *ix, enum import_sql q, const char *key,
                        struct asset_match *m)
{
	sqlite3_stmt *st = ix->st[q];
	int rc;

	if (key == NULL || !ix->had_assets)
		return 0;
	sqlite3_bind_int64(st, 1, ix->version_id);
	bind_static(st, 2, key);
	sqlite3_bind_int64(st, 3, ix->gen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		m->id = sqlite3_column_int64(st, 0);
		m->old_hash = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_db_fail(ix->c, ix->err, "matching an asset");
	return rc == SQLITE_ROW;
}

/* Binds ?2..?7, the columns every import writes, and with all, ?8..?16 too. */
static void asset_bind(struct import *ix, sqlite3_stmt *st, const struct asset *a, int seq,
                       const struct asset_match *m, int all)
{
	sqlite3_bind_int64(st, 1, m->id);
	bind_static(st, 2, a->ext_id);
	bind_static(st, 3, a->path);
	sqlite3_bind_int(st, 4, seq);
	sqlite3_bind_int64(st, 5, ix->gen);
	bind_static(st, 6, a->extra_json);
	bind_static(st, 7, a->data_ext_id);
	if (sqlite3_bind_parameter_count(st) >= PARAM_PAGED)
		sqlite3_bind_int(st, PARAM_PAGED, ix->paged);
	if (!all)
		return;
	bind_static(st, 8, a->filename != NULL ? a->filename : "");
	sqlite3_bind_int(st, 9, a->width);
	sqlite3_bind_int(st, 10, a->height);
	sqlite3_bind_int(st, 11, (unsigned)a->status < REVIEW_STATUS_COUNT ? (int)a->status : 0);
	sqlite3_bind_int(st, 12, a->nshapes);
	sqlite3_bind_int64(st, 13, m->new_hash);
	sqlite3_bind_int64(st, 14, ix->gen);
	sqlite3_bind_int64(st, 15, ix->dataset_id);
	sqlite3_bind_int64(st, 16, ix->version_id);
}

/* The asset's annotation: a new row for a new asset, else the existing one updated. */
static int annotation_store(struct import *ix, int64_t asset_id, const struct asset *a, int is_new,
                            int64_t *annotation_id)
{
	sqlite3_stmt *st = ix->st[is_new ? Q_ANNOTATION_INSERT : Q_ANNOTATION_UPSERT];

	sqlite3_bind_int64(st, 1, asset_id);
	sqlite3_bind_int(st, 2, (unsigned)a->status < REVIEW_STATUS_COUNT ? (int)a->status : 0);
	sqlite3_bind_int64(st, 3, ix->gen);
	bind_static(st, 4, a->annotation_ext_id);
	if (cache_db_run(ix->c, st, ix->err, "storing an annotation") < 0)
		return -1;
	if (is_new) {
		*annotation_id = sqlite3_last_insert_rowid(ix->c->db);
		return 0;
	}
	sqlite3_bind_int64(ix->st[Q_ANNOTATION_ID], 1, asset_id);
	if (cache_db_lookup(ix->c, ix->st[Q_ANNOTATION_ID], annotation_id, ix->err,
	                    "storing an annotation") != 1)
		return err_set(ix->err, "storing an annotation: it did not stick");
	return 0;
}

/* Binds queued shape q as row `row` of a shape insert. */
static int shape_bind_row(struct import *ix, sqlite3_stmt *st, int row,
                          const struct queued_shape *q)
{
	int base = row * SHAPE_PARAMS;
	int label = q->s->label;

	sqlite3_bind_int64(st, base + 1, q->asset_id);
	sqlite3_bind_int64(st, base + 2, q->annotation_id);
	sqlite3_bind_int(st, base + 3, q->seq);
	if (label >= 0 && label < ix->doc->nlabels)
		sqlite3_bind_int64(st, base + 4, ix->label_ids[label]);
	else
		sqlite3_bind_null(st, base + 4);
	return cache_shape_bind(st, base + 5, q->s, ix->err);
}

/* Writes the queued shapes: a full queue in one statement, a partial one row by row. */
static int shapes_flush(struct import *ix)
{
	int full = ix->nqueued == SHAPE_BATCH, n = ix->nqueued;

	ix->nqueued = 0;
	for (int i = 0; i < n; i++) {
		sqlite3_stmt *st = full ? ix->shape_batch : ix->shape_one;

		if (shape_bind_row(ix, st, full ? i : 0, &ix->queue[i]) < 0)
			return -1;
		if ((!full || i == n - 1) && cache_db_run(ix->c, st, ix->err, "storing shapes") < 0)
			return -1;
	}
	return 0;
}

static int shapes_store(struct import *ix, int64_t asset_id, const struct asset *a, int is_new)
{
	int64_t annotation_id = 0;

	if (annotation_store(ix, asset_id, a, is_new, &annotation_id) < 0)
		return -1;
	for (int i = 0; i < a->nshapes; i++) {
		ix->queue[ix->nqueued++] = (struct queued_shape){
		    .s = &a->shapes[i],
		    .asset_id = asset_id,
		    .annotation_id = annotation_id,
		    .seq = i,
		};
		if (ix->nqueued == SHAPE_BATCH && shapes_flush(ix) < 0)
			return -1;
	}
	ix->stats.shapes += a->nshapes;
	return 0;
}

static int tag_id_get(struct import *ix, const char *name, int64_t *id)
{
	sqlite3_stmt *find = ix->st[Q_TAG_FIND], *ins = ix->st[Q_TAG_INSERT];
	int found;

	sqlite3_bind_int64(find, 1, ix->dataset_id);
	bind_static(find, 2, name);
	found = cache_db_lookup(ix->c, find, id, ix->err, "looking up a tag");
	if (found != 0)
		return found < 0 ? -1 : 0;
	sqlite3_bind_int64(ins, 1, ix->dataset_id);
	bind_static(ins, 2, name);
	if (cache_db_run(ix->c, ins, ix->err, "storing a tag") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(ix->c->db);
	return 0;
}

/* Tags in the doc are added; tags the user put on the asset stay. */
static int tags_store(struct import *ix, int64_t asset_id, const struct asset *a)
{
	sqlite3_stmt *st = ix->st[Q_ASSET_TAG_INSERT];
	int64_t tag_id;

	for (int i = 0; i < a->ntags; i++) {
		if (a->tags[i] == NULL || a->tags[i][0] == '\0')
			continue;
		if (tag_id_get(ix, a->tags[i], &tag_id) < 0)
			return -1;
		sqlite3_bind_int64(st, 1, asset_id);
		sqlite3_bind_int64(st, 2, tag_id);
		if (cache_db_run(ix->c, st, ix->err, "tagging an asset") < 0)
			return -1;
	}
	return 0;
}

static int asset_insert(struct import *ix, const struct asset *a, int seq, struct asset_match *m)
{
	sqlite3_stmt *st = ix->st[Q_ASSET_INSERT];

	asset_bind(ix, st, a, seq, m, 1);
	if (cache_db_run(ix->c, st, ix->err, "storing an asset") < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(ix->c->db);
	ix->stats.assets_added++;
	return shapes_store(ix, m->id, a, 1);
}

static int asset_replace(struct import *ix, const struct asset *source, int seq,
                         const struct asset_match *m)
{
	sqlite3_stmt *st = ix->st[Q_ASSET_CHANGE];
	struct asset mine = *source; /* the source's content with the user's review */
	const struct asset *a = &mine;
	int64_t status = 0;
	int reviewed;

	sqlite3_bind_int64(ix->st[Q_ASSET_REVIEWED], 1, m->id);
	reviewed = cache_db_lookup(ix->c, ix->st[Q_ASSET_REVIEWED], &status, ix->err,
	                           "reading the review");
	if (reviewed < 0)
		return -1;
	if (reviewed && !ix->paged && status >= 0 && status < REVIEW_STATUS_COUNT)
		mine.status = (enum review_status)status;
	asset_bind(ix, st, a, seq, m, 1);
	if (cache_db_run(ix->c, st, ix->err, "updating an asset") < 0)
		return -1;
	sqlite3_bind_int64(ix->st[Q_SHAPES_DELETE], 1, m->id);
	if (cache_db_run(ix->c, ix->st[Q_SHAPES_DELETE], ix->err, "replacing shapes") < 0)
		return -1;
	sqlite3_bind_int64(ix->st[Q_STATUS_LOG_DELETE], 1, m->id);
	if (cache_db_run(ix->c, ix->st[Q_STATUS_LOG_DELETE], ix->err, "resetting a review") < 0)
		return -1;
	ix->stats.assets_updated++;
	return shapes_store(ix, m->id, a, 0);
}

static int asset_keep(struct import *ix, const struct asset *a, int seq,
                      const struct asset_match *m)
{
	sqlite3_stmt *st = ix->st[Q_ASSET_KEEP];

	asset_bind(ix, st, a, seq, m, 0);
	if (cache_db_run(ix->c, st, ix->err, "updating an asset") < 0)
		return -1;
	ix->stats.assets_unchanged++;
	ix->stats.shapes += a->nshapes;
	return 0;
}

/* Whether the asset has edits the source has not taken yet: on a paged pull such an asset keeps
 * the user's version, which meets the source's when it is pushed (a difference becomes a
 * conflict there) (a failed lookup counts as yes:
 * keeping the user's work is the safe side). */
static int asset_has_unsent(struct import *ix, int64_t asset_id)
{
	int64_t unsent = 1;

	sqlite3_bind_int64(ix->st[Q_ASSET_UNSENT], 1, asset_id);
	if (cache_db_lookup(ix->c, ix->st[Q_ASSET_UNSENT], &unsent, ix->err,
	                    "looking for unsent edits") < 0)
		return 1;
	return unsent != 0;
}

/* Whether a local image has shape edits not exported yet (a failed lookup counts as yes). */
static int shapes_unsent(struct import *ix, int64_t asset_id)
{
	int64_t unsent = 1;

	sqlite3_bind_int64(ix->st[Q_ASSET_SHAPE_UNSENT], 1, asset_id);
	if (cache_db_lookup(ix->c, ix->st[Q_ASSET_SHAPE_UNSENT], &unsent, ix->err,
	                    "looking for unexported edits") < 0)
		return 1;
	return unsent != 0;
}

/* The source changed an image the user has edited: the user's version stays, and (for a local
 * file) the edits become conflicts to settle; a platform's meet the source's value when they
 * are pushed. */
static int asset_keep_edited(struct import *ix, const struct asset *a, int seq,
                             const struct asset_match *m)
{
	if (asset_keep(ix, a, seq, m) < 0)
		return -1;
	if (ix->paged)
		return 0;
	sqlite3_bind_int64(ix->st[Q_ASSET_CONFLICT], 1, m->id);
	if (cache_db_run(ix->c, ix->st[Q_ASSET_CONFLICT], ix->err, "keeping your edits") < 0)
		return -1;
	ix->stats.conflicts += sqlite3_changes(ix->c->db) > 0;
	return 0;
}

static int import_asset(struct import *ix, int seq)
{
	const struct asset *a = &ix->doc->assets[seq];
	struct asset_match m = {0};
	int found;

	m.new_hash = asset_content_hash(ix->doc, a, ix->paged);
	found = asset_lookup(ix, Q_ASSET_BY_EXT, a->ext_id, &m);
	if (found == 0)
		found = asset_lookup(ix, Q_ASSET_BY_NAME, a->filename ? a->filename : "", &m);
	if (found < 0)
		return -1;
	if (found == 0)
		found = asset_insert(ix, a, seq, &m);
	else if (m.old_hash == m.new_hash)
		found = asset_keep(ix, a, seq, &m);
	else if (ix->paged ? asset_has_unsent(ix, m.id) : shapes_unsent(ix, m.id))
		found = asset_keep_edited(ix, a, seq, &m);
	else
		found = asset_replace(ix, a, seq, &m);
	if (found < 0)
		return -1;
	return tags_store(ix, m.id, a);
}

static int import_remove_gone(struct import *ix)
{
	sqlite3_stmt *st = ix->st[Q_ASSETS_REMOVE];

	sqlite3_bind_int64(ix->st[Q_GONE_CONFLICT], 1, ix->version_id);
	sqlite3_bind_int64(ix->st[Q_GONE_CONFLICT], 2, ix->gen);
	if (cache_db_run(ix->c, ix->st[Q_GONE_CONFLICT], ix->err, "keeping edits of gone images") <
	    0)
		return -1;
	ix->stats.conflicts += sqlite3_changes(ix->c->db);

	sqlite3_bind_int64(st, 1, ix->version_id);
	sqlite3_bind_int64(st, 2, ix->gen);
	if (cache_db_run(ix->c, st, ix->err, "removing assets gone from the source") < 0)
		return -1;
	ix->stats.assets_removed = sqlite3_changes(ix->c->db);
	return 0;
}

static int import_all(struct import *ix, const char *kind, const char *locator,
                      const char *fingerprint)
{
	if (import_prepare(ix) < 0 || import_source(ix, kind, locator, fingerprint) < 0 ||
	    import_dataset(ix) < 0 || import_labels(ix) < 0)
		return -1;
	for (int i = 0; i < ix->doc->nassets; i++)
		if (import_asset(ix, i) < 0)
			return err_wrap(ix->err, "asset %d (%s)", i + 1,
			                ix->doc->assets[i].filename ? ix->doc->assets[i].filename
			                                            : "no name");
	if (shapes_flush(ix) < 0)
		return -1;
	return import_remove_gone(ix);
}

int cache_import(struct cache *cache, const char *kind, const char *locator,
                 const char *fingerprint, const struct dataset_doc *doc, int64_t *dataset_id,
                 struct import_stats *stats, struct err *err)
{
	struct import ix = {.c = cache, .doc = doc, .err = err};
	int rc;

	if (kind == NULL || locator == NULL || doc == NULL)
		return err_set(err, "importing a dataset: no source given");
	if (cache_db_exec(cache, sql_cache_large, err, "preparing the import") < 0 ||
	    cache_db_begin(cache, err) < 0)
		return -1;
	rc = import_all(&ix, kind, locator, fingerprint);
	/* statements are finalized before COMMIT so that none holds the database open */
	import_finish(&ix);
	rc = cache_db_end(cache, rc, err);
	sqlite3_exec(cache->db, sql_cache_normal, NULL, NULL, NULL);
	if (rc < 0)
		return err_wrap(err, "importing %s", locator);
	if (dataset_id != NULL)
		*dataset_id = ix.dataset_id;
	if (stats != NULL)
		*stats = ix.stats;
	return 0;
}

int cache_dataset_find(struct cache *cache, const char *locator, int64_t *dataset_id,
                       char *fingerprint, size_t fpsz, struct err *err)
{
	static const char sql[] = "SELECT d.id, s.fingerprint FROM source s"
	                          " JOIN dataset d ON d.source_id = s.id"
	                          " WHERE s.locator = ?1 ORDER BY d.id LIMIT 1";
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	*dataset_id = 0;
	if (fingerprint != NULL && fpsz > 0)
		fingerprint[0] = '\0';
	if (cache_db_prepare(cache, sql, &st, err) < 0)
		goto out;
	cache_db_bind_text(st, 1, locator);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(cache, err, "looking up a dataset");
		goto out;
	}
	if (step == SQLITE_ROW) {
		*dataset_id = sqlite3_column_int64(st, 0);
		if (fingerprint != NULL && fpsz > 0)
			str_copy(fingerprint, cache_db_text(st, 1), fpsz);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- paged pulls ------------------------------------------------------------------------ */

static const char sql_pull_state_get[] =
    "SELECT generation, cursor, pages, finished_at IS NULL FROM pull_state WHERE dataset_id = ?1";
static const char sql_pull_state_start[] =
    "INSERT OR REPLACE INTO pull_state (dataset_id, generation, cursor, pages, total)"
    " VALUES (?1, (SELECT coalesce(max(a.import_gen), 0) + 1 FROM asset a"
    "  JOIN dataset_version v ON v.id = a.version_id WHERE v.dataset_id = ?1), NULL, 0, NULL)";
static const char sql_pull_state_step[] =
    "UPDATE pull_state SET cursor = ?2, pages = pages + 1, total = ?3 WHERE dataset_id = ?1";
static const char sql_pull_state_done[] =
    "UPDATE pull_state SET cursor = NULL, finished_at = " NOW " WHERE dataset_id = ?1";
static const char sql_pull_version[] =
    "SELECT id FROM dataset_version WHERE dataset_id = ?1 ORDER BY id LIMIT 1";

struct pull_state {
	int64_t generation;
	char *cursor;
	int pages;
	int running;
};

/* The source and the dataset a pull fills, created on its first pull. */
static int pull_target_rows(struct import *ix, const struct cache_pull_target *t)
{
	sqlite3_stmt *st = NULL;
	int found, rc = -1;

	if (import_source(ix, t->kind, t->locator, NULL) < 0 ||
	    cache_db_prepare(ix->c, sql_dataset_find_ext, &st, ix->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ix->source_id);
	bind_static(st, 2, t->container_ext_id);
	found = cache_db_lookup(ix->c, st, &ix->dataset_id, ix->err, "looking up the dataset");
	sqlite3_finalize(st);
	st = NULL;
	if (found < 0)
		goto out;
	if (found == 0) {
		if (cache_db_prepare(ix->c, sql_dataset_insert_ext, &st, ix->err) < 0)
			goto out;
		sqlite3_bind_int64(st, 1, ix->source_id);
		bind_static(st, 2, t->container_ext_id);
		bind_static(st, 3, t->name != NULL ? t->name : "");
		bind_static(st, 4, t->kind);
		if (cache_db_run(ix->c, st, ix->err, "recording the dataset") < 0)
			goto out;
		ix->dataset_id = sqlite3_last_insert_rowid(ix->c->db);
		sqlite3_finalize(st);
		if (cache_db_prepare(ix->c, sql_version_insert_named, &st, ix->err) < 0)
			goto out;
		sqlite3_bind_int64(st, 1, ix->dataset_id);
		bind_static(st, 2, t->version_name != NULL ? t->version_name : "local");
		bind_static(st, 3, t->container_ext_id);
		if (cache_db_run(ix->c, st, ix->err, "recording the dataset version") < 0)
			goto out;
	}
	if (t->version_type != NULL &&
	    CACHE_DB_DO(ix->c, "UPDATE dataset_version SET type = ?2 WHERE dataset_id = ?1", NULL,
	                ix->err, "recording the version's type", DB_INT(ix->dataset_id),
	                DB_TEXT(t->version_type)) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* 1 with *ps filled when the dataset has pull progress, 0 when none, -1 on failure. */
static int pull_state_read(struct cache *c, int64_t dataset_id, struct pull_state *ps,
                           struct err *err)
{
	sqlite3_stmt *st = NULL;
	int step, rc = -1, oom = 0;

	memset(ps, 0, sizeof *ps);
	if (cache_db_prepare(c, sql_pull_state_get, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		ps->generation = sqlite3_column_int64(st, 0);
		ps->cursor = cache_db_text_dup(st, 1, &oom);
		ps->pages = sqlite3_column_int(st, 2);
		ps->running = sqlite3_column_int(st, 3);
		rc = oom ? err_set(err, "out of memory") : 1;
	} else if (step == SQLITE_DONE) {
		rc = 0;
	} else {
		cache_db_fail(c, err, "reading how far the pull got");
	}
	sqlite3_finalize(st);
	return rc;
}

static int dataset_run(struct cache *c, const char *sql, int64_t dataset_id, struct err *err,
                       const char *doing)
{
	return CACHE_DB_DO(c, sql, NULL, err, doing, DB_INT(dataset_id)) < 0 ? -1 : 0;
}

static int pull_begin_in(struct import *ix, const struct cache_pull_target *t,
                         struct cache_pull_resume *resume)
{
	struct pull_state ps;
	int has = 0;

	if (import_prepare(ix) < 0 || pull_target_rows(ix, t) < 0)
		return -1;
	has = pull_state_read(ix->c, ix->dataset_id, &ps, ix->err);
	if (has < 0)
		return -1;
	if (has && ps.running) {
		resume->cursor = ps.cursor; /* handed on */
		resume->pages = ps.pages;
		return 0;
	}
	free(ps.cursor);
	return dataset_run(ix->c, sql_pull_state_start, ix->dataset_id, ix->err,
	                   "starting the pull");
}

int cache_pull_begin(struct cache *cache, const struct cache_pull_target *t, int64_t *dataset_id,
                     struct cache_pull_resume *resume, struct err *err)
{
	struct import ix = {.c = cache, .err = err};
	int rc;

	memset(resume, 0, sizeof *resume);
	if (t->kind == NULL || t->locator == NULL || t->container_ext_id == NULL)
		return err_setk(err, ERR_USAGE, "pulling: no source or container given");
	if (cache_db_begin(cache, err) < 0)
		return -1;
	rc = pull_begin_in(&ix, t, resume);
	import_finish(&ix);
	rc = cache_db_end(cache, rc, err);
	if (rc < 0) {
		free(resume->cursor);
		memset(resume, 0, sizeof *resume);
		return err_wrap(err, "pulling %s", t->name != NULL ? t->name : t->container_ext_id);
	}
	*dataset_id = ix.dataset_id;
	return 0;
}

/* The import of one page into a dataset whose pull is under way. */
static int pull_page_in(struct import *ix, const char *next_cursor, int64_t total)
{
	struct pull_state ps;
	sqlite3_stmt *st = NULL;
	int64_t exists = 0;
	int rc = -1;

	if (pull_state_read(ix->c, ix->dataset_id, &ps, ix->err) != 1 || !ps.running) {
		free(ps.cursor);
		return err_set(ix->err, "no pull of this dataset is under way");
	}
	free(ps.cursor);
	ix->gen = ps.generation;
	if (import_prepare(ix) < 0 || cache_db_prepare(ix->c, sql_pull_version, &st, ix->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ix->dataset_id);
	if (cache_db_lookup(ix->c, st, &ix->version_id, ix->err, "finding the version") != 1)
		goto out;
	sqlite3_bind_int64(ix->st[Q_VERSION_HAS_ASSETS], 1, ix->version_id);
	if (cache_db_lookup(ix->c, ix->st[Q_VERSION_HAS_ASSETS], &exists, ix->err,
	                    "reading the dataset version") < 0 ||
	    (ix->had_assets = exists != 0, import_labels(ix) < 0))
		goto out;
	for (int i = 0; i < ix->doc->nassets; i++)
		if (import_asset(ix, i) < 0)
			goto out;
	if (shapes_flush(ix) < 0)
		goto out;
	sqlite3_finalize(st);
	if (cache_db_prepare(ix->c, sql_pull_state_step, &st, ix->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ix->dataset_id);
	bind_static(st, 2, next_cursor);
	if (total >= 0)
		sqlite3_bind_int64(st, 3, total);
	rc = cache_db_run(ix->c, st, ix->err, "recording the pull's progress");
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_pull_page(struct cache *cache, int64_t dataset_id, const struct dataset_doc *page,
                    const char *next_cursor, int64_t total, struct import_stats *stats,
                    struct err *err)
{
	struct import ix = {
	    .c = cache, .doc = page, .err = err, .dataset_id = dataset_id, .paged = 1};
	int rc;

	if (cache_db_begin(cache, err) < 0)
		return -1;
	rc = pull_page_in(&ix, next_cursor, total);
	import_finish(&ix);
	rc = cache_db_end(cache, rc, err);
	if (rc < 0)
		return err_wrap(err, "storing a page");
	if (stats != NULL) {
		stats->assets_added += ix.stats.assets_added;
		stats->assets_updated += ix.stats.assets_updated;
		stats->assets_unchanged += ix.stats.assets_unchanged;
		stats->shapes += ix.stats.shapes;
		stats->labels = ix.stats.labels;
	}
	return 0;
}

static int pull_finish_in(struct import *ix)
{
	struct pull_state ps;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (pull_state_read(ix->c, ix->dataset_id, &ps, ix->err) != 1 || !ps.running) {
		free(ps.cursor);
		return err_set(ix->err, "no pull of this dataset is under way");
	}
	free(ps.cursor);
	ix->gen = ps.generation;
	if (import_prepare(ix) < 0 || cache_db_prepare(ix->c, sql_pull_version, &st, ix->err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, ix->dataset_id);
	if (cache_db_lookup(ix->c, st, &ix->version_id, ix->err, "finding the version") != 1 ||
	    import_remove_gone(ix) < 0)
		goto out;
	rc = dataset_run(ix->c, sql_pull_state_done, ix->dataset_id, ix->err, "ending the pull");
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_pull_finish(struct cache *cache, int64_t dataset_id, struct import_stats *stats,
                      struct err *err)
{
	struct import ix = {.c = cache, .err = err, .dataset_id = dataset_id};
	int rc;

	if (cache_db_begin(cache, err) < 0)
		return -1;
	rc = pull_finish_in(&ix);
	import_finish(&ix);
	rc = cache_db_end(cache, rc, err);
	if (rc < 0)
		return err_wrap(err, "ending the pull");
	if (stats != NULL)
		stats->assets_removed += ix.stats.assets_removed;
	return 0;
}
