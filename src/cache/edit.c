/* Review edits from the UI: each changes the cached rows, queues an outbox entry and logs how
 * to undo it, all in one transaction committed before the function returns. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <string.h>

static const char sql_asset_state[] = "SELECT dataset_id, status FROM asset WHERE id = ?1";
static const char sql_asset_status_set[] = "UPDATE asset SET status = ?2 WHERE id = ?1";
static const char sql_annotation_status_set[] =
    "UPDATE annotation SET status = ?2, local_rev = local_rev + 1 WHERE asset_id = ?1";
static const char sql_tag_find[] = "SELECT id FROM tag WHERE dataset_id = ?1 AND name = ?2";
static const char sql_tag_insert[] = "INSERT INTO tag (dataset_id, name) VALUES (?1, ?2)";
static const char sql_asset_tag_insert[] =
    "INSERT OR IGNORE INTO asset_tag (asset_id, tag_id) VALUES (?1, ?2)";
static const char sql_asset_tag_delete[] =
    "DELETE FROM asset_tag WHERE asset_id = ?1 AND tag_id IN (SELECT g.id FROM tag g"
    " WHERE g.dataset_id = (SELECT dataset_id FROM asset WHERE id = ?1) AND g.name = ?2)";

/* Runs sql with an id and an integer, or with an id and a text when text is not NULL. */
static int run_bound(struct cache *c, const char *sql, int64_t id, int64_t num, const char *text,
                     struct err *err, const char *doing)
{
	struct db_arg second = text != NULL ? DB_TEXT(text) : DB_INT(num);

	return CACHE_DB_DO(c, sql, NULL, err, doing, DB_INT(id), second) < 0 ? -1 : 0;
}

int cache_status_apply(struct cache *c, int64_t asset_id, enum review_status status,
                       struct err *err)
{
	if (run_bound(c, sql_asset_status_set, asset_id, status, NULL, err,
	              "saving the review status") < 0)
		return -1;
	return run_bound(c, sql_annotation_status_set, asset_id, status, NULL, err,
	                 "saving the review status");
}

/* The dataset and review status of an asset. */
static int asset_state(struct cache *c, int64_t asset_id, int64_t *dataset_id,
                       enum review_status *status, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	if (cache_db_prepare(c, sql_asset_state, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, asset_id);
	step = sqlite3_step(st);
	if (step == SQLITE_DONE)
		err_set(err, "asset %lld is not in the cache", (long long)asset_id);
	else if (step != SQLITE_ROW)
		cache_db_fail(c, err, "reading the asset being edited");
	if (step != SQLITE_ROW)
		goto out;
	*dataset_id = sqlite3_column_int64(st, 0);
	*status = (enum review_status)sqlite3_column_int(st, 1);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* Queues the change and logs it for undo. */
static int change_record(struct cache *c, const struct cache_change *ch, struct err *err)
{
	int64_t outbox_id = 0;

	if (cache_outbox_append(c, ch, &outbox_id, err) < 0)
		return -1;
	return cache_edit_log_append(c, ch, outbox_id, err);
}

int cache_review_set(struct cache *cache, int64_t asset_id, enum review_status status,
                     struct err *err)
{
	struct cache_change ch = {.asset_id = asset_id, .op = "annotation.status"};
	enum review_status old = REVIEW_PENDING;
	int rc = -1;

	if ((unsigned)status >= REVIEW_STATUS_COUNT)
		return err_set(err, "unknown review status %d", (int)status);
	if (cache_db_begin(cache, err) < 0)
		return -1;
	if (asset_state(cache, asset_id, &ch.dataset_id, &old, err) < 0)
		goto out;
	if (old == status) {
		rc = 0; /* nothing changes, so nothing to send */
		goto out;
	}
	ch.old_value = review_status_name(old);
	ch.new_value = review_status_name(status);
	if (cache_status_apply(cache, asset_id, status, err) < 0 ||
	    change_record(cache, &ch, err) < 0)
		goto out;
	rc = 0;
out:
	return cache_db_end(cache, rc, err);
}

/* ---- tags ------------------------------------------------------------------------------ */

static int tag_id_get(struct cache *c, int64_t dataset_id, const char *tag, int64_t *id,
                      struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1, found;

	if (cache_db_prepare(c, sql_tag_find, &st, err) < 0)
		goto out;
	sqlite3_bind_int64(st, 1, dataset_id);
	cache_db_bind_text(st, 2, tag);
	found = cache_db_lookup(c, st, id, err, "looking up a tag");
	if (found < 0)
		goto out;
	if (found == 0) {
		if (run_bound(c, sql_tag_insert, dataset_id, 0, tag, err, "creating a tag") < 0)
			goto out;
		*id = sqlite3_last_insert_rowid(c->db);
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

int cache_tag_attach(struct cache *c, int64_t dataset_id, int64_t asset_id, const char *tag,
                     int *changed, struct err *err)
{
	int64_t tag_id = 0;

	*changed = 0;
	if (tag_id_get(c, dataset_id, tag, &tag_id, err) < 0 ||
	    run_bound(c, sql_asset_tag_insert, asset_id, tag_id, NULL, err, "tagging the asset") <
	        0)
		return -1;
	*changed = sqlite3_changes(c->db) > 0;
	return 0;
}

int cache_tag_detach(struct cache *c, int64_t asset_id, const char *tag, int *changed,
                     struct err *err)
{
	*changed = 0;
	if (run_bound(c, sql_asset_tag_delete, asset_id, 0, tag, err, "untagging the asset") < 0)
		return -1;
	*changed = sqlite3_changes(c->db) > 0;
	return 0;
}

static int is_trim_space(unsigned char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/* Refuses what would be hard to show, type or send back: control characters (C0, DEL, C1)
 * and bytes that are not UTF-8. */
static int name_check_chars(const char *s, size_t len, const char *what, struct err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n;

	while (len > 0) {
		n = str_utf8_decode(p, len, &cp);
		if (cp == 0xFFFD && n == 1)
			return err_set(err, "a %s must be valid UTF-8 text", what);
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			return err_set(err, "a %s cannot contain control characters", what);
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cache_name_normalize(const char *name, char *out, size_t max, const char *what, struct err *err)
{
	size_t len;

	if (name == NULL)
		name = "";
	while (is_trim_space((unsigned char)*name))
		name++;
	len = strlen(name);
	while (len > 0 && is_trim_space((unsigned char)name[len - 1]))
		len--;
	if (len == 0)
		return err_set(err, "a %s cannot be empty", what);
	if (len > max)
		return err_set(err, "a %s is at most %zu bytes long", what, max);
	if (name_check_chars(name, len, what, err) < 0)
		return -1;
	memcpy(out, name, len);
	out[len] = '\0';
	return 0;
}

static int tag_edit(struct cache *cache, int64_t asset_id, const char *tag, int attach,
                    struct err *err)
{
	char name[CACHE_TAG_MAX + 1];
	struct cache_change ch = {.asset_id = asset_id};
	enum review_status status;
	int rc = -1, changed = 0;

	if (cache_name_normalize(tag, name, CACHE_TAG_MAX, "tag", err) < 0)
		return -1;
	ch.op = attach ? "tag.attach" : "tag.detach";
	ch.old_value = attach ? NULL : name;
	ch.new_value = attach ? name : NULL;
	if (cache_db_begin(cache, err) < 0)
		return -1;
	if (asset_state(cache, asset_id, &ch.dataset_id, &status, err) < 0)
		goto out;
	if (attach)
		rc = cache_tag_attach(cache, ch.dataset_id, asset_id, name, &changed, err);
	else
		rc = cache_tag_detach(cache, asset_id, name, &changed, err);
	if (rc == 0 && changed)
		rc = change_record(cache, &ch, err);
out:
	return cache_db_end(cache, rc, err);
}

int cache_tag_add(struct cache *cache, int64_t asset_id, const char *tag, struct err *err)
{
	return tag_edit(cache, asset_id, tag, 1, err);
}

int cache_tag_remove(struct cache *cache, int64_t asset_id, const char *tag, struct err *err)
{
	return tag_edit(cache, asset_id, tag, 0, err);
}
