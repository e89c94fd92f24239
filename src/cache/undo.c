/* Undo and redo: walk the edit log back and forth one step at a time. An edit the source has
 * not seen yet is simply withdrawn from the outbox; one already sent is answered with its
 * opposite. The log row stays, marked undone with the entry that compensated it, so that redo
 * can apply it again (queueing it anew, or withdrawing a compensation not sent yet).
 *
 * The log is a stack of applied edits (undone = 0) followed, in id order, by the redo chain
 * (undone = 1); a new edit turns the chain into undone = 2 for good. A label creation is not
 * a step of its own: it goes with the edit after it (the one that used the new label). */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ends of the log, each one step down the edit_log_dataset index: the newest applied edit
 * and the oldest one on the redo chain. */
#define SQL_EDIT_PICK(undone, order, past)                                                         \
	"SELECT e.id, e.asset_id, e.op, e.old_value, e.new_value, e.outbox_id,"                    \
	" coalesce(o.state, 'gone'), e.undo_outbox_id, coalesce(u.state, 'gone'), e.shape_id,"     \
	" e.label_id, e.session, e.batch FROM edit_log e LEFT JOIN outbox o ON o.id = e.outbox_id" \
	" LEFT JOIN outbox u ON u.id = e.undo_outbox_id WHERE e.dataset_id = ?1"                   \
	" AND e.undone = " undone " AND e.id " past " ?2 ORDER BY e.id " order " LIMIT 1"
static const char sql_edit_newest[] = SQL_EDIT_PICK("0", "DESC", "<");
static const char sql_edit_oldest_undone[] = SQL_EDIT_PICK("1", "ASC", ">");
/* how far the walk past the edits of processes working beside this one may go */
#define EDIT_SKIP_MAX 10000
static const char sql_outbox_delete[] = "DELETE FROM outbox WHERE id = ?1";
static const char sql_edit_mark_undone[] =
    "UPDATE edit_log SET undone = ?3, undone_at = CAST(strftime('%s', 'now') AS INTEGER),"
    " undo_outbox_id = ?2 WHERE id = ?1";
static const char sql_edit_mark_redone[] =
    "UPDATE edit_log SET undone = 0, undone_at = NULL, undo_outbox_id = NULL, outbox_id = ?2"
    " WHERE id = ?1";
static const char sql_edit_old_set[] = "UPDATE edit_log SET old_value = ?2 WHERE id = ?1";
static const char sql_edit_new_set[] = "UPDATE edit_log SET new_value = ?2 WHERE id = ?1";

struct edit_entry {
	int64_t id;
	int64_t dataset_id;
	int64_t asset_id; /* 0 for a label */
	int64_t outbox_id;
	int64_t undo_outbox_id;
	int64_t shape_id;
	int64_t label_id;
	int64_t batch; /* the bulk edit it belongs to, or 0 */
	char op[32];
	char *old_value; /* NULL for none */
	char *new_value;
	char state[16];      /* of its outbox entry: pending, pushed, conflict, or gone */
	char undo_state[16]; /* of the entry that compensated its undo, or gone */
	int kept;            /* undo left it in place (a label in use): it is undone for good */
	int owner;           /* RUN_MINE or RUN_EARLIER: whose edit it is */
};

struct edit_kind {
	const char *op;
	/* Moves the rows to the edit's new state (forward) or back to its old one. With queue
	 * set, appends the outbox entry that tells the source, as *outbox_id. */
	int (*apply)(struct cache *c, struct edit_entry *e, int forward, int queue,
	             int64_t *outbox_id, struct err *err);
	void (*describe)(const struct edit_entry *e, char *what, size_t whatsz);
};

/* ---- review and tags ------------------------------------------------------------------- */

/* Queues a review or tag change from one value to another. */
static int change_queue(struct cache *c, const struct edit_entry *e, const char *op,
                        const char *from, const char *to, int64_t *outbox_id, struct err *err)
{
	struct cache_change ch = {
	    .dataset_id = e->dataset_id,
	    .asset_id = e->asset_id,
	    .op = op,
	    .old_value = from,
	    .new_value = to,
	};

	return cache_outbox_append(c, &ch, outbox_id, err);
}

static int status_apply(struct cache *c, struct edit_entry *e, int forward, int queue,
                        int64_t *outbox_id, struct err *err)
{
	const char *from = forward ? e->old_value : e->new_value;
	const char *to = forward ? e->new_value : e->old_value;
	enum review_status status;

	if (to == NULL || review_status_parse(to, &status) < 0)
		return err_set(err, "undo: unknown review status '%s'", to != NULL ? to : "");
	if (cache_status_apply(c, e->asset_id, status, err) < 0)
		return -1;
	return queue ? change_queue(c, e, e->op, from, to, outbox_id, err) : 0;
}

/* Attaches (attach set) or detaches the tag, and queues that. */
static int tag_set(struct cache *c, struct edit_entry *e, const char *tag, int attach, int queue,
                   int64_t *outbox_id, struct err *err)
{
	int changed;

	if (tag == NULL)
		return err_set(err, "undo: the edit log lost a tag");
	if ((attach ? cache_tag_attach(c, e->dataset_id, e->asset_id, tag, &changed, err)
	            : cache_tag_detach(c, e->asset_id, tag, &changed, err)) < 0)
		return -1;
	if (!queue)
		return 0;
	return change_queue(c, e, attach ? "tag.attach" : "tag.detach", attach ? NULL : tag,
	                    attach ? tag : NULL, outbox_id, err);
}

static int attach_apply(struct cache *c, struct edit_entry *e, int forward, int queue,
                        int64_t *outbox_id, struct err *err)
{
	return tag_set(c, e, e->new_value, forward, queue, outbox_id, err);
}

static int detach_apply(struct cache *c, struct edit_entry *e, int forward, int queue,
                        int64_t *outbox_id, struct err *err)
{
	return tag_set(c, e, e->old_value, !forward, queue, outbox_id, err);
}

static void status_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	static const char *const verbs[REVIEW_STATUS_COUNT] = {
	    [REVIEW_PENDING] = "reset",
	    [REVIEW_ACCEPTED] = "accept",
	    [REVIEW_REJECTED] = "reject",
	    [REVIEW_SKIPPED] = "skip",
	};
	enum review_status st;

	str_copy(what,
	         e->new_value != NULL && review_status_parse(e->new_value, &st) == 0 ? verbs[st]
	                                                                             : "review",
	         whatsz);
}

static void attach_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	snprintf(what, whatsz, "tag +%s", e->new_value != NULL ? e->new_value : "");
}

static void detach_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	snprintf(what, whatsz, "tag -%s", e->old_value != NULL ? e->old_value : "");
}

/* ---- shapes and labels ----------------------------------------------------------------- */

static int run_text(struct cache *c, const char *sql, int64_t id, const char *text, struct err *err)
{
	return CACHE_DB_DO(c, sql, NULL, err, "recording the undo", DB_INT(id), DB_TEXT(text)) < 0
	           ? -1
	           : 0;
}

static int shape_apply(struct cache *c, struct edit_entry *e, int forward, int queue,
                       int64_t *outbox_id, struct err *err)
{
	const char *from = forward ? e->old_value : e->new_value;
	const char *to = forward ? e->new_value : e->old_value;
	char *snapshot = NULL;
	int rc;

	rc = cache_shape_transition(c, e->dataset_id, e->asset_id, e->shape_id, from, to, queue,
	                            outbox_id, &snapshot, err);
	/* the shape as it left (with the id the source gave it meanwhile) is what comes back */
	if (rc == 0 && snapshot != NULL)
		rc = run_text(c, forward ? sql_edit_old_set : sql_edit_new_set, e->id, snapshot,
		              err);
	free(snapshot);
	return rc;
}

static int label_apply(struct cache *c, struct edit_entry *e, int forward, int queue,
                       int64_t *outbox_id, struct err *err)
{
	return cache_label_transition(c, e->dataset_id, &e->label_id, forward ? e->new_value : NULL,
	                              queue, outbox_id, &e->kept, err);
}

static void shape_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	cache_shape_describe(e->op, e->old_value, e->new_value, what, whatsz);
}

static void label_describe(const struct edit_entry *e, char *what, size_t whatsz)
{
	cJSON *value = e->new_value != NULL ? cJSON_Parse(e->new_value) : NULL;
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(value, "name");

	snprintf(what, whatsz, "new label %s", cJSON_IsString(name) ? name->valuestring : "");
	cJSON_Delete(value);
}

static const struct edit_kind edit_kinds[] = {
    {"annotation.status", status_apply, status_describe},
    {"tag.attach", attach_apply, attach_describe},
    {"tag.detach", detach_apply, detach_describe},
    {"shape.create", shape_apply, shape_describe},
    {"shape.update", shape_apply, shape_describe},
    {"shape.delete", shape_apply, shape_describe},
    {"label.create", label_apply, label_describe},
};

static const struct edit_kind *edit_kind_find(const char *op)
{
	for (size_t i = 0; i < sizeof edit_kinds / sizeof edit_kinds[0]; i++)
		if (strcmp(edit_kinds[i].op, op) == 0)
			return &edit_kinds[i];
	return NULL;
}

/* ---- the log --------------------------------------------------------------------------- */

static void entry_clear(struct edit_entry *e)
{
	free(e->old_value);
	free(e->new_value);
	memset(e, 0, sizeof *e);
}

static int entry_read(sqlite3_stmt *st, struct edit_entry *e)
{
	e->id = sqlite3_column_int64(st, 0);
	e->asset_id = sqlite3_column_int64(st, 1);
	str_copy(e->op, cache_db_text(st, 2), sizeof e->op);
	if (sqlite3_column_type(st, 3) != SQLITE_NULL &&
	    (e->old_value = strdup(cache_db_text(st, 3))) == NULL)
		return -1;
	if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
	    (e->new_value = strdup(cache_db_text(st, 4))) == NULL)
		return -1;
	e->outbox_id = sqlite3_column_int64(st, 5);
	str_copy(e->state, cache_db_text(st, 6), sizeof e->state);
	e->undo_outbox_id = sqlite3_column_int64(st, 7);
	str_copy(e->undo_state, cache_db_text(st, 8), sizeof e->undo_state);
	e->shape_id = sqlite3_column_int64(st, 9);
	e->label_id = sqlite3_column_int64(st, 10);
	e->batch = sqlite3_column_int64(st, 12);
	return 0;
}

/* One row of the log past `from` (exclusive) in the walk's direction: 1, 0 for none, -1. */
static int edit_at(struct cache *c, int64_t dataset_id, int undone, int64_t from,
                   struct edit_entry *e, char *run, size_t runsz, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	memset(e, 0, sizeof *e);
	e->dataset_id = dataset_id;
	if (cache_db_prepare(c, undone ? sql_edit_oldest_undone : sql_edit_newest, &st, err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int64(st, 2, from);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(c, err, "reading the edit log");
		goto out;
	}
	rc = step == SQLITE_ROW;
	if (rc && entry_read(st, e) < 0) {
		entry_clear(e);
		rc = err_set(err, "reading the edit log: out of memory");
	}
	if (rc == 1)
		str_copy(run, cache_db_text(st, 11), runsz);
out:
	sqlite3_finalize(st);
	return rc;
}

/* The newest applied edit (undone 0) or the oldest on the redo chain (undone 1): 1 with *e
 * filled (the caller clears it), 0 when there is none, -1 on failure. */
static int edit_pick(struct cache *c, int64_t dataset_id, int undone, struct edit_entry *e,
                     struct err *err)
{
	/* past the edits of a process working beside this one: they are its to undo */
	int64_t from = undone ? 0 : INT64_MAX;
	char run[64];

	for (int i = 0; i < EDIT_SKIP_MAX; i++) {
		int found = edit_at(c, dataset_id, undone, from, e, run, sizeof run, err), owner;

		if (found <= 0)
			return found;
		owner = cache_run_owner(c, run, err);
		if (owner < 0) {
			entry_clear(e);
			return -1;
		}
		if (owner != RUN_BESIDE) {
			e->owner = owner;
			return 1;
		}
		from = e->id;
		entry_clear(e);
	}
	return 0;
}

static int run_ids(struct cache *c, const char *sql, int64_t a, int64_t b, int64_t d,
                   struct err *err, const char *doing)
{
	/* b of 0 binds NULL: no entry */
	return CACHE_DB_DO(c, sql, NULL, err, doing, DB_INT(a), DB_ID(b), DB_INT(d)) < 0 ? -1 : 0;
}

/* Whether an entry in that state has not reached the source (a conflicting one never
 * applied there either), so that taking it back from the outbox is enough. */
static int entry_unsent(const char *state)
{
	return strcmp(state, "pending") == 0 || strcmp(state, "conflict") == 0;
}

static int undo_step(struct cache *c, struct edit_entry *e, const struct edit_kind *k,
                     struct err *err)
{
	int unsent = entry_unsent(e->state);
	int64_t undo_outbox_id = 0;

	if (k->apply(c, e, 0, !unsent, &undo_outbox_id, err) < 0)
		return -1;
	if (e->kept) /* nothing changed; the source keeps what it got */
		return run_ids(c, sql_edit_mark_undone, e->id, 0, 2, err, "recording the undo");
	if (unsent && e->outbox_id != 0 &&
	    run_ids(c, sql_outbox_delete, e->outbox_id, 0, 0, err,
	            "withdrawing the change from the outbox") < 0)
		return -1;
	return run_ids(c, sql_edit_mark_undone, e->id, undo_outbox_id, 1, err,
	               "recording the undo");
}

static int redo_step(struct cache *c, struct edit_entry *e, const struct edit_kind *k,
                     struct err *err)
{
	/* the undo's compensation has not left: withdrawing it leaves the source as the edit
	 * made it, and the edit's own entry stands */
	int unsent = e->undo_outbox_id != 0 && entry_unsent(e->undo_state);
	int64_t queued = 0, outbox_id;

	if (k->apply(c, e, 1, !unsent, &queued, err) < 0)
		return -1;
	outbox_id = unsent ? e->outbox_id : queued;
	if (unsent && run_ids(c, sql_outbox_delete, e->undo_outbox_id, 0, 0, err,
	                      "withdrawing the undo from the outbox") < 0)
		return -1;
	return run_ids(c, sql_edit_mark_redone, e->id, outbox_id, 0, err, "recording the redo");
}

/* What a step of a bulk edit says: the first edit's description and the count ("reject on
 * 240 assets"). */
static void batch_describe(char *what, size_t whatsz, int edits)
{
	size_t n = strlen(what);

	if (edits > 1 && n + 1 < whatsz)
		snprintf(what + n, whatsz - n, " on %d assets", edits);
}

/* Whether the edit at the end of the log ends the step taken so far: took is 0 before any
 * edit, 1 after a label creation, 2 after an edit; batch is the taken edit's bulk edit. */
static int step_over(int took, int redo, int label, int64_t batch, const struct edit_entry *e)
{
	if (took == 2 && batch != 0 && e->batch == batch)
		return 0; /* a bulk edit is one step */
	return took && (redo ? took > 1 : !label);
}

/* One step in either direction: the edit at the end of the log, with the label creations
 * that belong to it, or every edit of a bulk edit. *asset_id and what describe the step. */
static int walk(struct cache *c, int64_t dataset_id, int redo, int64_t *asset_id, char *what,
                size_t whatsz, int *earlier, int *nedits, struct err *err)
{
	const struct edit_kind *k;
	struct edit_entry e;
	int took = 0, found, label, edits = 0;
	int64_t batch = 0;

	for (;;) {
		found = edit_pick(c, dataset_id, redo ? 1 : 0, &e, err);
		if (found <= 0)
			break;
		label = strcmp(e.op, "label.create") == 0;
		/* undo: an edit comes with the labels below it; redo: labels come before theirs */
		if (step_over(took, redo, label, batch, &e)) {
			entry_clear(&e);
			break;
		}
		k = edit_kind_find(e.op);
		if (k == NULL) {
			err_set(err, "this annotty cannot undo or redo '%s'", e.op);
			entry_clear(&e);
			return -1;
		}
		if ((redo ? redo_step(c, &e, k, err) : undo_step(c, &e, k, err)) < 0) {
			entry_clear(&e);
			return -1;
		}
		if (!e.kept) {
			if (!took || (!label && took < 2)) {
				*asset_id = e.asset_id;
				*earlier = e.owner == RUN_EARLIER;
				if (what != NULL && whatsz > 0)
					k->describe(&e, what, whatsz);
			}
			if (!label) {
				edits++;
				batch = e.batch;
			}
			took = label ? (took ? took : 1) : 2;
		}
		entry_clear(&e);
	}
	if (found < 0)
		return -1;
	if (what != NULL && whatsz > 0)
		batch_describe(what, whatsz, edits);
	*nedits = edits;
	return 0;
}

/* One step, committed, or with peek set only looked at (rolled back). */
static int walk_tx(struct cache *cache, int64_t dataset_id, int redo, int peek,
                   struct undo_step *step, struct err *err)
{
	int64_t touched = 0;
	int rc, earlier = 0, edits = 0;

	memset(step, 0, sizeof *step);
	if (cache_db_begin(cache, err) < 0)
		return -1;
	rc = walk(cache, dataset_id, redo, &touched, step->what, sizeof step->what, &earlier,
	          &edits, err);
	if (cache_db_end(cache, rc < 0 || peek ? -1 : 0, err) < 0 && !(peek && rc >= 0)) {
		step->what[0] = '\0';
		return -1;
	}
	step->asset_id = touched;
	step->earlier_run = earlier;
	step->assets = edits;
	return 0;
}

static int walk_out(struct cache *cache, int64_t dataset_id, int redo, int64_t *asset_id,
                    char *what, size_t whatsz, struct err *err)
{
	struct undo_step step;
	int rc = walk_tx(cache, dataset_id, redo, 0, &step, err);

	*asset_id = rc == 0 ? step.asset_id : 0;
	if (what != NULL && whatsz > 0)
		str_copy(what, rc == 0 ? step.what : "", whatsz);
	return rc;
}

int cache_undo(struct cache *cache, int64_t dataset_id, int64_t *asset_id, char *what,
               size_t whatsz, struct err *err)
{
	return walk_out(cache, dataset_id, 0, asset_id, what, whatsz, err);
}

int cache_redo(struct cache *cache, int64_t dataset_id, int64_t *asset_id, char *what,
               size_t whatsz, struct err *err)
{
	return walk_out(cache, dataset_id, 1, asset_id, what, whatsz, err);
}

int cache_undo_peek(struct cache *cache, int64_t dataset_id, int redo, struct undo_step *step,
                    struct err *err)
{
	return walk_tx(cache, dataset_id, redo, 1, step, err);
}
