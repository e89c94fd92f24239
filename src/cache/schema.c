/* The cache's tables, one DDL script per schema version. A released step is never edited:
 * changes go in a new step appended to the list (and CACHE_SCHEMA_VERSION goes up by one). */
#include "cache/cache.h"
#include "cache/internal.h"

#include <stddef.h>

/* Timestamps are Unix seconds. Review status and shape kind are the integer values of the
 * enums in core/model.h (pinned by the assertions in internal.h). */
#define NOW "(CAST(strftime('%s', 'now') AS INTEGER))"

/* Where datasets come from, and how far the sync engine got with each. */
static const char ddl_sources[] =
    "CREATE TABLE source ("
    " id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL,"                    /* coco, voc, yolo, picsellia */
    " locator TEXT NOT NULL UNIQUE,"          /* absolute file path, or the platform's URL */
    " fingerprint TEXT,"                      /* of the content last imported */
    " generation INTEGER NOT NULL DEFAULT 0," /* bumped by each import */
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " imported_at INTEGER);"
    "CREATE TABLE sync_state ("
    " source_id INTEGER PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,"
    " state TEXT NOT NULL DEFAULT 'idle'"
    "  CHECK (state IN ('idle', 'pulling', 'pushing', 'error')),"
    " pull_cursor TEXT," /* where an interrupted pull resumes; the backend's own format */
    " last_pull_at INTEGER,"
    " last_push_at INTEGER,"
    " last_error TEXT);"
    "CREATE TABLE app_user ("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,"
    " ext_id TEXT NOT NULL,"
    " username TEXT,"
    " is_me INTEGER NOT NULL DEFAULT 0,"
    " UNIQUE (source_id, ext_id));";

/* Datalakes and their items (Picsellia's data), with data tags. */
static const char ddl_datalakes[] =
    "CREATE TABLE datalake ("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL DEFAULT '',"
    " connector_id TEXT,"
    " extra_json TEXT,"
    " UNIQUE (source_id, ext_id));"
    "CREATE TABLE data ("
    " id INTEGER PRIMARY KEY,"
    " datalake_id INTEGER NOT NULL REFERENCES datalake(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " filename TEXT NOT NULL,"
    " object_name TEXT,"
    " content_type TEXT,"
    " type TEXT NOT NULL DEFAULT 'IMAGE',"
    " upload_status TEXT,"
    " width INTEGER NOT NULL DEFAULT 0,"
    " height INTEGER NOT NULL DEFAULT 0,"
    " local_path TEXT," /* the image bytes in the image store, once fetched */
    " byte_hash TEXT,"  /* of those bytes */
    " fetched_at INTEGER,"
    " metadata_json TEXT,"
    " custom_metadata_json TEXT,"
    " extra_json TEXT,"
    " UNIQUE (datalake_id, ext_id));"
    "CREATE INDEX data_filename ON data(datalake_id, filename);"
    "CREATE TABLE datalake_tag ("
    " id INTEGER PRIMARY KEY,"
    " datalake_id INTEGER NOT NULL REFERENCES datalake(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL,"
    " UNIQUE (datalake_id, name));"
    "CREATE TABLE data_tag ("
    " data_id INTEGER NOT NULL REFERENCES data(id) ON DELETE CASCADE,"
    " tag_id INTEGER NOT NULL REFERENCES datalake_tag(id) ON DELETE CASCADE,"
    " PRIMARY KEY (data_id, tag_id)) WITHOUT ROWID;"
    "CREATE INDEX data_tag_tag ON data_tag(tag_id, data_id);";

/* Datasets, their versions and labels. A local file is one dataset with one version. */
static const char ddl_datasets[] =
    "CREATE TABLE dataset ("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL DEFAULT '',"
    " format TEXT,"     /* the doc's format, for export */
    " extra_json TEXT," /* top-level fields kept for export (COCO info, licenses) */
    " UNIQUE (source_id, ext_id));"
    "CREATE INDEX dataset_source ON dataset(source_id);"
    "CREATE TABLE dataset_version ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL,"
    " type TEXT," /* Picsellia's InferenceType */
    " extra_json TEXT,"
    " UNIQUE (dataset_id, name));"
    "CREATE TABLE label ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL,"
    " position INTEGER NOT NULL," /* 0-based order: the label's colour */
    " group_ext_id TEXT,"
    " extra_json TEXT);"
    "CREATE INDEX label_position ON label(dataset_id, position);"
    "CREATE INDEX label_name ON label(dataset_id, name COLLATE NOCASE);"
    "CREATE TABLE tag ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL,"
    " UNIQUE (dataset_id, name));";

/* Assets and what is drawn on them. The list columns (status, shape_count, the size) are
 * copies kept on the asset so that every list order is one index scan. */
static const char ddl_assets[] =
    "CREATE TABLE asset ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " version_id INTEGER NOT NULL REFERENCES dataset_version(id) ON DELETE CASCADE,"
    " data_id INTEGER REFERENCES data(id) ON DELETE SET NULL,"
    " ext_id TEXT,"
    " data_ext_id TEXT,"
    " filename TEXT NOT NULL,"
    " path TEXT,"
    " width INTEGER NOT NULL DEFAULT 0,"
    " height INTEGER NOT NULL DEFAULT 0,"
    /* a real column, not an expression index: keyset ranges only work on columns */
    " pixels INTEGER GENERATED ALWAYS AS (width * height) STORED,"
    " status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),"
    " shape_count INTEGER NOT NULL DEFAULT 0,"
    " content_hash INTEGER,"                  /* of the source's content at the last import */
    " seq INTEGER NOT NULL DEFAULT 0,"        /* order in the source, for export */
    " import_gen INTEGER NOT NULL DEFAULT 0," /* source generation that last saw it */
    " base_rev INTEGER NOT NULL DEFAULT 0,"
    " extra_json TEXT);"
    "CREATE INDEX asset_filename ON asset(dataset_id, filename, id);"
    "CREATE INDEX asset_status ON asset(dataset_id, status, id);"
    "CREATE INDEX asset_shapes ON asset(dataset_id, shape_count, id);"
    "CREATE INDEX asset_size ON asset(dataset_id, pixels, id);"
    "CREATE INDEX asset_seq ON asset(dataset_id, seq, id);"
    "CREATE INDEX asset_ext ON asset(version_id, ext_id);"
    "CREATE INDEX asset_name ON asset(version_id, filename);"
    "CREATE INDEX asset_data ON asset(data_id);"
    "CREATE TABLE asset_tag ("
    " asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
    " tag_id INTEGER NOT NULL REFERENCES tag(id) ON DELETE CASCADE,"
    " PRIMARY KEY (asset_id, tag_id)) WITHOUT ROWID;"
    "CREATE INDEX asset_tag_tag ON asset_tag(tag_id, asset_id);"
    "CREATE TABLE annotation ("
    " id INTEGER PRIMARY KEY,"
    " asset_id INTEGER NOT NULL UNIQUE REFERENCES asset(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " status INTEGER NOT NULL DEFAULT 0 CHECK (status BETWEEN 0 AND 3),"
    " duration REAL NOT NULL DEFAULT 0,"
    " base_rev INTEGER NOT NULL DEFAULT 0,"  /* the source's revision the rows reflect */
    " local_rev INTEGER NOT NULL DEFAULT 0," /* bumped by each local edit */
    " extra_json TEXT);"
    "CREATE TABLE shape ("
    " id INTEGER PRIMARY KEY,"
    " asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
    /* not a foreign key: the asset's cascade removes a shape with its annotation, and the
     * key would cost one more index and lookup on the largest table */
    " annotation_id INTEGER NOT NULL,"
    " seq INTEGER NOT NULL DEFAULT 0,"
    " label_id INTEGER REFERENCES label(id) ON DELETE SET NULL,"
    " kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),"
    " x REAL NOT NULL DEFAULT 0, y REAL NOT NULL DEFAULT 0,"
    " w REAL NOT NULL DEFAULT 0, h REAL NOT NULL DEFAULT 0,"
    " points BLOB," /* x, y pairs of little-endian IEEE doubles */
    " parts BLOB,"  /* little-endian uint32 end index of each part */
    " text TEXT,"
    " ext_id TEXT,"
    " extra_json TEXT,"
    " rev INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX shape_asset ON shape(asset_id, label_id);"
    "CREATE INDEX shape_label ON shape(label_id);";

/* Annotation campaigns. Step types and assignment statuses follow the API spec; the
 * assignment statuses are the project's assumption (spec section 12), not Picsellia's. */
static const char ddl_campaigns[] =
    "CREATE TABLE campaign ("
    " id INTEGER PRIMARY KEY,"
    " source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,"
    " version_id INTEGER REFERENCES dataset_version(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " kind TEXT NOT NULL DEFAULT 'annotation' CHECK (kind IN ('annotation', 'review')),"
    " name TEXT,"
    " closed INTEGER NOT NULL DEFAULT 0,"
    " extra_json TEXT,"
    " UNIQUE (source_id, ext_id));"
    "CREATE INDEX campaign_version ON campaign(version_id);"
    "CREATE TABLE step ("
    " id INTEGER PRIMARY KEY,"
    " campaign_id INTEGER NOT NULL REFERENCES campaign(id) ON DELETE CASCADE,"
    " ext_id TEXT,"
    " name TEXT NOT NULL DEFAULT '',"
    " type TEXT NOT NULL CHECK (type IN ('ANNOTATION', 'REVIEW', 'QUALITY_CONTROL')),"
    " position INTEGER NOT NULL DEFAULT 0,"
    " extra_json TEXT,"
    " UNIQUE (campaign_id, ext_id));"
    "CREATE TABLE assignment ("
    " id INTEGER PRIMARY KEY,"
    " ext_id TEXT,"
    " asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
    " step_id INTEGER NOT NULL REFERENCES step(id) ON DELETE CASCADE,"
    " user_id INTEGER REFERENCES app_user(id) ON DELETE SET NULL,"
    " status TEXT NOT NULL DEFAULT 'PENDING'"
    "  CHECK (status IN ('PENDING', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'SKIPPED')),"
    " rejected_count INTEGER NOT NULL DEFAULT 0,"
    " comment TEXT,"
    " base_rev INTEGER NOT NULL DEFAULT 0,"
    " updated_at INTEGER);"
    "CREATE INDEX assignment_asset ON assignment(asset_id);"
    "CREATE INDEX assignment_step ON assignment(step_id, user_id, status);"
    "CREATE INDEX assignment_user ON assignment(user_id);";

/* Edits waiting to reach the source, in replay order, and the log that undoes them. */
static const char ddl_outbox[] =
    "CREATE TABLE outbox ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " entity TEXT NOT NULL,"  /* annotation, asset, shape, assignment */
    " entity_id INTEGER,"     /* its local row id */
    " op TEXT NOT NULL,"      /* annotation.status, tag.attach, tag.detach */
    " payload TEXT NOT NULL," /* JSON */
    " idem_key TEXT NOT NULL UNIQUE,"
    " base_rev INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " state TEXT NOT NULL DEFAULT 'pending'"
    "  CHECK (state IN ('pending', 'pushed', 'conflict')),"
    " attempts INTEGER NOT NULL DEFAULT 0,"
    " next_attempt_at INTEGER,"
    " last_error TEXT,"
    " pushed_at INTEGER);"
    "CREATE INDEX outbox_state ON outbox(dataset_id, state, id);"
    "CREATE TABLE edit_log ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
    " op TEXT NOT NULL,"
    " old_value TEXT," /* what undo puts back */
    " new_value TEXT,"
    " outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " undone INTEGER NOT NULL DEFAULT 0,"
    " undone_at INTEGER,"
    " undo_outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL);"
    "CREATE INDEX edit_log_dataset ON edit_log(dataset_id, undone, id);"
    "CREATE INDEX edit_log_asset ON edit_log(asset_id);"
    "CREATE INDEX edit_log_outbox ON edit_log(outbox_id);"
    "CREATE INDEX edit_log_undo_outbox ON edit_log(undo_outbox_id);";

static const char *const schema_v1[] = {
    ddl_sources, ddl_datalakes, ddl_datasets, ddl_assets, ddl_campaigns, ddl_outbox, NULL,
};

/* ---- v2: shape editing ---- */

/* Shape ids are never handed out twice (AUTOINCREMENT): undo and redo put a deleted shape back
 * under its old id, which a shape created meanwhile (in any dataset) must not have taken.
 * Nothing references shape, so the table can be rebuilt with foreign keys on. */
static const char ddl_v2_shape[] =
    "CREATE TABLE shape_v2 ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,"
    " annotation_id INTEGER NOT NULL,"
    " seq INTEGER NOT NULL DEFAULT 0,"
    " label_id INTEGER REFERENCES label(id) ON DELETE SET NULL,"
    " kind INTEGER NOT NULL CHECK (kind BETWEEN 0 AND 5),"
    " x REAL NOT NULL DEFAULT 0, y REAL NOT NULL DEFAULT 0,"
    " w REAL NOT NULL DEFAULT 0, h REAL NOT NULL DEFAULT 0,"
    " points BLOB,"
    " parts BLOB,"
    " text TEXT,"
    " ext_id TEXT,"
    " extra_json TEXT,"
    " rev INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO shape_v2 (id, asset_id, annotation_id, seq, label_id, kind, x, y, w, h,"
    " points, parts, text, ext_id, extra_json, rev)"
    " SELECT id, asset_id, annotation_id, seq, label_id, kind, x, y, w, h, points, parts,"
    " text, ext_id, extra_json, rev FROM shape;"
    "DROP TABLE shape;"
    "ALTER TABLE shape_v2 RENAME TO shape;"
    "CREATE INDEX shape_asset ON shape(asset_id, label_id);"
    "CREATE INDEX shape_label ON shape(label_id);";

/* The edit log learns shape and label edits: a label belongs to no asset, and a shape edit
 * names its shape and label in columns (coalescing nudges, ranking labels by recent use).
 * undone: 0 applied; 1 undone and on the redo chain; 2 undone for good (a newer edit ended
 * the redo chain, or the edit can no longer be taken back). */
static const char ddl_v2_edit_log[] =
    "CREATE TABLE edit_log_v2 ("
    " id INTEGER PRIMARY KEY,"
    " dataset_id INTEGER NOT NULL REFERENCES dataset(id) ON DELETE CASCADE,"
    " asset_id INTEGER REFERENCES asset(id) ON DELETE CASCADE," /* NULL for a label */
    " op TEXT NOT NULL,"
    " old_value TEXT," /* what undo puts back: a value, or a whole shape or label as JSON */
    " new_value TEXT," /* what redo puts back */
    " shape_id INTEGER,"
    " label_id INTEGER," /* the label a shape edit leaves on its shape, or the label created */
    " outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL,"
    " created_at INTEGER NOT NULL DEFAULT " NOW ","
    " undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1, 2)),"
    " undone_at INTEGER,"
    " undo_outbox_id INTEGER REFERENCES outbox(id) ON DELETE SET NULL);"
    "INSERT INTO edit_log_v2 (id, dataset_id, asset_id, op, old_value, new_value, outbox_id,"
    " created_at, undone, undone_at, undo_outbox_id)"
    " SELECT id, dataset_id, asset_id, op, old_value, new_value, outbox_id, created_at,"
    " undone, undone_at, undo_outbox_id FROM edit_log;"
    "DROP TABLE edit_log;"
    "ALTER TABLE edit_log_v2 RENAME TO edit_log;"
    "CREATE INDEX edit_log_dataset ON edit_log(dataset_id, undone, id);"
    "CREATE INDEX edit_log_asset ON edit_log(asset_id);"
    "CREATE INDEX edit_log_outbox ON edit_log(outbox_id);"
    "CREATE INDEX edit_log_undo_outbox ON edit_log(undo_outbox_id);";

/* The outbox needs no change: shape edits are entity 'shape' with ops shape.create,
 * shape.update and shape.delete; labels are entity 'label' with label.create and
 * label.delete. */
static const char *const schema_v2[] = {
    ddl_v2_shape,
    ddl_v2_edit_log,
    NULL,
};

/* ---- v3: the sync engine ---- */

/* The outbox learns the life of an entry that reaches a remote source: the source's value when
 * it answered with a conflict (theirs, as change JSON), when that happened, and what the user
 * chose (resolution: 'mine' pushes again over theirs, 'theirs' took the source's value; a
 * refusal is a conflict with refused = 1 and its reason in last_error). The edit log learns
 * which run of annotty made each edit, so that undo stays with its own process. */
static const char ddl_v3_outbox[] =
    "ALTER TABLE outbox ADD COLUMN theirs TEXT;"
    "ALTER TABLE outbox ADD COLUMN conflict_at INTEGER;"
    "ALTER TABLE outbox ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN resolution TEXT"
    " CHECK (resolution IS NULL OR resolution IN ('mine', 'theirs'));"
    "ALTER TABLE edit_log ADD COLUMN session TEXT;"
    "CREATE TABLE run ("
    " id TEXT PRIMARY KEY,"
    " pid INTEGER,"
    " host TEXT,"
    " started_at INTEGER NOT NULL DEFAULT " NOW ","
    " ended_at INTEGER);"
    "CREATE INDEX outbox_conflicts ON outbox(dataset_id, state) WHERE state = 'conflict';";

/* How far a paged pull of a dataset has got: the generation its pages stamp on the assets they
 * bring, and the backend's cursor of the next page (NULL once the pull finished). */
static const char ddl_v3_pull[] =
    "CREATE TABLE pull_state ("
    " dataset_id INTEGER PRIMARY KEY REFERENCES dataset(id) ON DELETE CASCADE,"
    " generation INTEGER NOT NULL,"
    " cursor TEXT,"
    " pages INTEGER NOT NULL DEFAULT 0,"
    " total INTEGER,"
    " started_at INTEGER NOT NULL DEFAULT " NOW ","
    " finished_at INTEGER);"
    "CREATE INDEX dataset_ext ON dataset(source_id, ext_id);"
    /* the image files fetched for remote assets, with their size and last use: the store
     * keeps to a size budget by dropping the least recently used */
    "CREATE TABLE image_store ("
    " asset_id INTEGER PRIMARY KEY REFERENCES asset(id) ON DELETE CASCADE,"
    " path TEXT NOT NULL,"
    " bytes INTEGER NOT NULL,"
    " used_at INTEGER NOT NULL DEFAULT " NOW ");"
    "CREATE INDEX image_store_used ON image_store(used_at);"
    /* the pull that last saw a datalake item, to tell those gone from the platform */
    "ALTER TABLE data ADD COLUMN pull_gen INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX annotation_ext ON annotation(ext_id);"
    "CREATE INDEX shape_ext ON shape(ext_id) WHERE ext_id IS NOT NULL;";

static const char *const schema_v3[] = {
    ddl_v3_outbox,
    ddl_v3_pull,
    NULL,
};

/* ---- v4: campaign work queues ---- */

/* A campaign learns its instructions and where it comes from ('local': started here, kept only
 * here; 'source': the platform's); a step its assignees. An asset has one assignment per step
 * it has reached (updated in place as it comes and goes), and one of them is its current one,
 * the place it is now (spec 12.1). The queue index serves "my tasks" of a step, the returned
 * ones first, each part in assignment order. */
static const char ddl_v4_campaign[] =
    "ALTER TABLE campaign ADD COLUMN instructions TEXT;"
    "ALTER TABLE campaign ADD COLUMN origin TEXT NOT NULL DEFAULT 'source'"
    " CHECK (origin IN ('source', 'local'));"
    "CREATE TABLE step_assignee ("
    " step_id INTEGER NOT NULL REFERENCES step(id) ON DELETE CASCADE,"
    " user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,"
    " PRIMARY KEY (step_id, user_id)) WITHOUT ROWID;"
    "ALTER TABLE assignment ADD COLUMN current INTEGER NOT NULL DEFAULT 0;"
    "CREATE UNIQUE INDEX assignment_step_asset ON assignment(step_id, asset_id);"
    "CREATE INDEX assignment_queue ON assignment(step_id, user_id, status, rejected_count > 0);"
    "CREATE INDEX assignment_ext ON assignment(ext_id) WHERE ext_id IS NOT NULL;";

static const char *const schema_v4[] = {
    ddl_v4_campaign,
    NULL,
};

/* Step i moves a database from user_version i to i + 1. */
static const char *const *const schema_steps[] = {
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
};

#define NSTEPS ((int)(sizeof schema_steps / sizeof schema_steps[0]))

const char *cache_schema_script(int from_version, int i)
{
	if (from_version < 0 || from_version >= NSTEPS)
		return NULL;
	return schema_steps[from_version][i];
}

int cache_schema_steps(void)
{
	return NSTEPS;
}
