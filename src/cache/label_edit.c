/* Labels made while editing: finding or creating one by name (queued like any edit), the
 * picker's order, and taking a creation back or doing it again for undo and redo. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/change.h"
#include "core/err.h"
#include "core/str.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char sql_dataset_exists[] = "SELECT id FROM dataset WHERE id = ?1";
static const char sql_label_named[] =
    "SELECT id, position FROM label WHERE dataset_id = ?1 AND name = ?2 COLLATE NOCASE"
    " ORDER BY position, id LIMIT 1";
static const char sql_label_end[] =
    "SELECT coalesce(max(position) + 1, 0) FROM label WHERE dataset_id = ?1";
static const char sql_label_insert[] =
    "INSERT INTO label (id, dataset_id, name, position, ext_id, group_ext_id, extra_json)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_label_get[] =
    "SELECT l.dataset_id, l.name, l.position, l.ext_id, l.group_ext_id, l.extra_json,"
    " (SELECT count(*) FROM shape s WHERE s.label_id = l.id), d.ext_id,"
    " (SELECT v.ext_id FROM dataset_version v WHERE v.dataset_id = l.dataset_id"
    "  ORDER BY v.id LIMIT 1)"
    " FROM label l JOIN dataset d ON d.id = l.dataset_id WHERE l.id = ?1";
static const char sql_label_delete[] = "DELETE FROM label WHERE id = ?1";
/* positions stay 0..n-1: a label's position is its index (and colour) everywhere */
static const char sql_label_close_gap[] =
    "UPDATE label SET position = position - 1 WHERE dataset_id = ?1 AND position > ?2";
static const char sql_log_relabel[] =
    "UPDATE edit_log SET label_id = ?3 WHERE dataset_id = ?1 AND label_id = ?2";
static const char sql_labels_ranked[] =
    "SELECT l.id, l.position, l.name, (SELECT count(*) FROM shape s WHERE s.label_id = l.id)"
    " AS uses, r.last FROM label l LEFT JOIN (SELECT label_id, max(id) AS last FROM edit_log"
    "  WHERE dataset_id = ?1 AND undone = 0 AND op IN ('shape.create', 'shape.update')"
    "  AND label_id IS NOT NULL GROUP BY label_id) r ON r.label_id = l.id"
    " WHERE l.dataset_id = ?1 ORDER BY r.last IS NULL, r.last DESC, uses DESC, l.position, l.id"
    " LIMIT ?2";

/* A label row with what its payload needs. */
struct label_rec {
	int64_t id;
	int64_t dataset_id;
	char *name;
	int position;
	char *ext_id;
	char *group_ext_id;
	char *extra_json;
	int uses; /* shapes with the label */
	char *dataset_ext_id;
	char *version_ext_id;
};

static void label_rec_clear(struct label_rec *l)
{
	free(l->name);
	free(l->ext_id);
	free(l->group_ext_id);
	free(l->extra_json);
	free(l->dataset_ext_id);
	free(l->version_ext_id);
	memset(l, 0, sizeof *l);
}

/* 1 with *l filled, 0 when there is no such label, -1 on failure. */
static int label_load(struct cache *c, int64_t id, struct label_rec *l, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step, oom = 0;

	memset(l, 0, sizeof *l);
	if (cache_db_prepare(c, sql_label_get, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, id);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW) {
		rc = step == SQLITE_DONE ? 0 : cache_db_fail(c, err, "reading a label");
		goto out;
	}
	l->id = id;
	l->dataset_id = sqlite3_column_int64(st, 0);
	l->name = cache_db_text_dup(st, 1, &oom);
	l->position = sqlite3_column_int(st, 2);
	l->ext_id = cache_db_text_dup(st, 3, &oom);
	l->group_ext_id = cache_db_text_dup(st, 4, &oom);
	l->extra_json = cache_db_text_dup(st, 5, &oom);
	l->uses = sqlite3_column_int(st, 6);
	l->dataset_ext_id = cache_db_text_dup(st, 7, &oom);
	l->version_ext_id = cache_db_text_dup(st, 8, &oom);
	if (oom || l->name == NULL) {
		label_rec_clear(l);
		err_set(err, "reading a label: out of memory");
		goto out;
	}
	rc = 1;
out:
	sqlite3_finalize(st);
	return rc;
}

static int add_text(cJSON *o, const char *key, const char *s)
{
	return (s != NULL ? cJSON_AddStringToObject(o, key, s) : cJSON_AddNullToObject(o, key)) !=
	               NULL
	           ? 0
	           : -1;
}

/* The edit-log value: what puts the label back as it was. */
static char *label_value(const struct label_rec *l)
{
	cJSON *o = cJSON_CreateObject();
	char *text = NULL;

	if (o != NULL && add_text(o, "name", l->name) == 0 &&
	    cJSON_AddNumberToObject(o, "position", l->position) != NULL &&
	    add_text(o, "ext_id", l->ext_id) == 0 &&
	    add_text(o, "group_ext_id", l->group_ext_id) == 0 &&
	    add_text(o, "extra_json", l->extra_json) == 0)
		text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

static int label_value_parse(const char *json, struct label_rec *l)
{
	cJSON *o = json != NULL ? cJSON_Parse(json) : NULL;
	const char *keys[] = {"name", "ext_id", "group_ext_id", "extra_json"};
	char **fields[] = {&l->name, &l->ext_id, &l->group_ext_id, &l->extra_json};
	int rc = -1;

	memset(l, 0, sizeof *l);
	if (!cJSON_IsObject(o))
		goto out;
	for (int i = 0; i < 4; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, keys[i]);

		if (cJSON_IsString(v) && (*fields[i] = strdup(v->valuestring)) == NULL)
			goto out;
	}
	rc = l->name != NULL ? 0 : -1;
out:
	cJSON_Delete(o);
	if (rc < 0)
		label_rec_clear(l);
	return rc;
}

/* label.create (POST to the dataset version's labels) or label.delete (DELETE the label by
 * its id on the platform, once it has one). */
static int label_queue(struct cache *c, const struct label_rec *l, const char *op,
                       int64_t *outbox_id, struct err *err)
{
	struct cache_entry e = {
	    .dataset_id = l->dataset_id,
	    .entity = "label",
	    .entity_id = l->id,
	    .op = op,
	};
	struct change ch = {0};
	char *payload = NULL;
	int rc = -1;

	/* the label goes to the version: the platform's container of labels */
	if (change_kind_parse(op, &ch.kind) == 0) {
		ch.dataset = (struct change_ref){
		    .local = l->dataset_id,
		    .ext = l->version_ext_id != NULL ? l->version_ext_id : l->dataset_ext_id};
		ch.label = (struct change_ref){.local = l->id, .ext = l->ext_id};
		ch.label_name = l->name;
		payload = change_to_json(&ch); /* ch borrows l's strings */
	}
	if (payload == NULL)
		return err_set(err, "queueing a label: out of memory");
	e.payload = payload;
	rc = cache_outbox_insert(c, &e, outbox_id, err);
	free(payload);
	return rc;
}

/* Inserts l under l->id (0: a new id, written back). */
static int label_insert(struct cache *c, struct label_rec *l, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (cache_db_prepare(c, sql_label_insert, &st, err) < 0)
		goto out;
	if (l->id != 0)
		sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_int64(st, 2, l->dataset_id);
	cache_db_bind_text(st, 3, l->name);
	sqlite3_bind_int(st, 4, l->position);
	cache_db_bind_text(st, 5, l->ext_id);
	cache_db_bind_text(st, 6, l->group_ext_id);
	cache_db_bind_text(st, 7, l->extra_json);
	if (cache_db_run(c, st, err, "creating the label") < 0)
		goto out;
	l->id = sqlite3_last_insert_rowid(c->db);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Runs sql with up to three integers (the ones it has parameters for). */
static int run_ints(struct cache *c, const char *sql, int64_t a, int64_t b, int64_t d, int64_t *out,
                    struct err *err, const char *doing)
{
	return CACHE_DB_DO(c, sql, out, err, doing, DB_INT(a), DB_INT(b), DB_INT(d));
}

/* 1 with the label's id and position when the dataset has a label of that name. */
static int label_find(struct cache *c, int64_t dataset_id, const char *name, int64_t *id,
                      int *position, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_label_named, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	cache_db_bind_text(st, 2, name);
	step = sqlite3_step(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		cache_db_fail(c, err, "looking up a label");
		goto out;
	}
	rc = step == SQLITE_ROW;
	if (rc) {
		*id = sqlite3_column_int64(st, 0);
		*position = sqlite3_column_int(st, 1);
	}
out:
	sqlite3_finalize(st);
	return rc;
}

/* Creates the label at the end of the order, queued and logged. */
static int label_create(struct cache *c, int64_t dataset_id, const char *name, int *index,
                        struct err *err)
{
	struct cache_change ch = {.dataset_id = dataset_id, .op = "label.create"};
	struct label_rec l = {0};
	int64_t end = 0, outbox_id = 0;
	char *value = NULL;
	int rc = -1;

	if (run_ints(c, sql_label_end, dataset_id, 0, 0, &end, err, "placing the label") < 0)
		return -1;
	l.dataset_id = dataset_id;
	l.name = (char *)name;
	l.position = (int)end;
	if (label_insert(c, &l, err) < 0)
		return -1;
	l.name = NULL; /* not ours to free; the loaded record below is */
	if (label_load(c, l.id, &l, err) != 1 || label_queue(c, &l, ch.op, &outbox_id, err) < 0)
		goto out;
	value = label_value(&l);
	if (value == NULL) {
		err_set(err, "logging a label: out of memory");
		goto out;
	}
	ch.new_value = value;
	ch.label_id = l.id;
	if (cache_edit_log_append(c, &ch, outbox_id, err) < 0)
		goto out;
	*index = l.position;
	rc = 0;
out:
	free(value);
	label_rec_clear(&l);
	return rc;
}

int cache_label_ensure(struct cache *cache, int64_t dataset_id, const char *name, int *index,
                       struct err *err)
{
	char clean[CACHE_LABEL_MAX + 1];
	int64_t id = 0;
	int rc = -1, exists, found;

	*index = -1;
	if (cache_name_normalize(name, clean, CACHE_LABEL_MAX, "label", err) < 0 ||
	    cache_db_begin(cache, err) < 0)
		return -1;
	exists =
	    run_ints(cache, sql_dataset_exists, dataset_id, 0, 0, NULL, err, "reading the dataset");
	if (exists == 0)
		err_set(err, "dataset %lld is not in the cache", (long long)dataset_id);
	if (exists == 1) {
		found = label_find(cache, dataset_id, clean, &id, index, err);
		if (found == 1)
			rc = 0; /* it exists: nothing to create or send */
		else if (found == 0)
			rc = label_create(cache, dataset_id, clean, index, err);
	}
	return cache_db_end(cache, rc, err);
}

int cache_labels_ranked(struct cache *cache, int64_t dataset_id, struct label_row *rows, int max,
                        int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step = SQLITE_DONE;

	*n = 0;
	if (cache_db_prepare(cache, sql_labels_ranked, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	sqlite3_bind_int(st, 2, max);
	while (*n < max && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct label_row *r = &rows[(*n)++];

		r->id = sqlite3_column_int64(st, 0);
		r->index = sqlite3_column_int(st, 1);
		str_copy(r->name, cache_db_text(st, 2), sizeof r->name);
		r->shape_count = sqlite3_column_int(st, 3);
	}
	if (*n < max && step != SQLITE_DONE) {
		cache_db_fail(cache, err, "ranking labels");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* ---- undo and redo --------------------------------------------------------------------- */

static int label_remove(struct cache *c, const struct label_rec *l, int queue, int64_t *outbox_id,
                        struct err *err)
{
	if (queue && label_queue(c, l, "label.delete", outbox_id, err) < 0)
		return -1;
	if (run_ints(c, sql_label_delete, l->id, 0, 0, NULL, err, "removing the label") < 0 ||
	    run_ints(c, sql_label_close_gap, l->dataset_id, l->position, 0, NULL, err,
	             "removing the label") < 0)
		return -1;
	return 0;
}

/* Puts a logged label back at the end of the order, under its old id when that is free. */
static int label_restore(struct cache *c, int64_t dataset_id, int64_t *label_id, const char *to,
                         int queue, int64_t *outbox_id, struct err *err)
{
	struct label_rec want = {0}, now = {0};
	int64_t old_id = *label_id, end = 0, found_id = 0;
	int rc = -1, found, position = 0;

	if (label_value_parse(to, &want) < 0)
		return err_set(err, "the edit log holds a damaged label");
	/* a label of that name came meanwhile (an import): it stands for the created one */
	found = label_find(c, dataset_id, want.name, &found_id, &position, err);
	if (found < 0)
		goto out;
	if (found == 1) {
		*label_id = found_id;
		rc = found_id == old_id ? 0
		                        : run_ints(c, sql_log_relabel, dataset_id, old_id, found_id,
		                                   NULL, err, "renumbering the label");
		goto out;
	}
	found = label_load(c, old_id, &now, err);
	if (found < 0 ||
	    run_ints(c, sql_label_end, dataset_id, 0, 0, &end, err, "placing the label") < 0)
		goto out;
	want.id = found ? 0 : old_id; /* taken by another label: a new id */
	want.dataset_id = dataset_id;
	want.position = (int)end;
	if (label_insert(c, &want, err) < 0)
		goto out;
	*label_id = want.id;
	label_rec_clear(&now);
	if (*label_id != old_id && run_ints(c, sql_log_relabel, dataset_id, old_id, *label_id, NULL,
	                                    err, "renumbering the label") < 0)
		goto out;
	if (queue && (label_load(c, *label_id, &now, err) != 1 ||
	              label_queue(c, &now, "label.create", outbox_id, err) < 0))
		goto out;
	rc = 0;
out:
	label_rec_clear(&want);
	label_rec_clear(&now);
	return rc;
}

int cache_label_transition(struct cache *c, int64_t dataset_id, int64_t *label_id, const char *to,
                           int queue, int64_t *outbox_id, int *kept, struct err *err)
{
	struct label_rec l = {0};
	int rc = 0, found;

	*outbox_id = 0;
	*kept = 0;
	if (to != NULL)
		return label_restore(c, dataset_id, label_id, to, queue, outbox_id, err);
	found = label_load(c, *label_id, &l, err);
	if (found < 0)
		return -1;
	/* gone already (an import removed it), or shapes from the source use it now */
	if (found == 0 || l.dataset_id != dataset_id || l.uses > 0)
		*kept = found == 1;
	else
		rc = label_remove(c, &l, queue, outbox_id, err);
	label_rec_clear(&l);
	return rc;
}
