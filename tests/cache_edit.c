/* Tests of review edits: the rows they change, exactly one outbox entry and one edit-log row
 * each, no-ops that queue nothing, tag checks, undo in order (also after reopening and after
 * a push), and an edit surviving a kill -9 right after it returned. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;
static char db_path[4096];

/* Runs sql with one argument; the first column of its first row, or -1. */
static int64_t sql_int(struct cache *c, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static void sql_text(struct cache *c, const char *sql, int64_t arg, char *out, size_t outsz)
{
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
			snprintf(out, outsz, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
}

static int64_t outbox_count(struct cache *c)
{
	return sql_int(c, "SELECT count(*) FROM outbox WHERE ?1 = ?1", 0);
}

static int64_t log_count(struct cache *c)
{
	return sql_int(c, "SELECT count(*) FROM edit_log WHERE ?1 = ?1", 0);
}

static int64_t newest_outbox(struct cache *c)
{
	return sql_int(c, "SELECT max(id) FROM outbox WHERE ?1 = ?1", 0);
}

/* 1 when the newest outbox entry has that op, state and payload value under key. */
static int newest_entry_is(struct cache *c, const char *op, const char *key, const char *value,
                           const char *asset_ext)
{
	int64_t id = newest_outbox(c);
	char got_op[64], state[16], payload[512];
	cJSON *json;
	int right;

	sql_text(c, "SELECT op FROM outbox WHERE id = ?1", id, got_op, sizeof got_op);
	sql_text(c, "SELECT state FROM outbox WHERE id = ?1", id, state, sizeof state);
	sql_text(c, "SELECT payload FROM outbox WHERE id = ?1", id, payload, sizeof payload);
	json = cJSON_Parse(payload);
	right = json != NULL && strcmp(got_op, op) == 0 && strcmp(state, "pending") == 0 &&
	        cJSON_IsString(cJSON_GetObjectItem(json, key)) &&
	        strcmp(cJSON_GetObjectItem(json, key)->valuestring, value) == 0 &&
	        cJSON_IsString(cJSON_GetObjectItem(json, "asset")) &&
	        strcmp(cJSON_GetObjectItem(json, "asset")->valuestring, asset_ext) == 0;
	if (!right)
		printf("# newest entry: %s %s %s\n", got_op, state, payload);
	cJSON_Delete(json);
	return right;
}

static int asset_has_tag(struct cache *c, int64_t id, const char *tag)
{
	struct asset_detail d;
	int has = 0;

	if (cache_asset_get(c, id, &d, NULL) < 0)
		return -1;
	for (int i = 0; i < d.ntags; i++)
		has |= strcmp(d.tags[i], tag) == 0;
	cache_asset_detail_free(&d);
	return has;
}

static int asset_status(struct cache *c, int64_t id)
{
	struct asset_detail d;
	int st;

	if (cache_asset_get(c, id, &d, NULL) < 0)
		return -1;
	st = (int)d.status;
	cache_asset_detail_free(&d);
	return st;
}

/* Asset ids in doc order: the fixture's asset i has ext_id i + 1. */
static int64_t asset_id(struct cache *c, int64_t ds, int i)
{
	sqlite3_stmt *st = NULL;
	char ext[16];
	int64_t id = 0;

	snprintf(ext, sizeof ext, "%d", i + 1);
	sqlite3_prepare_v2(c->db, "SELECT id FROM asset WHERE dataset_id = ?1 AND ext_id = ?2", -1,
	                   &st, NULL);
	sqlite3_bind_int64(st, 1, ds);
	sqlite3_bind_text(st, 2, ext, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static void test_review(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 0); /* pending in the fixture */
	int64_t rev = sql_int(c, "SELECT local_rev FROM annotation WHERE asset_id = ?1", a);
	int64_t before = outbox_count(c), logs = log_count(c);
	struct err err = {0};
	char key[64], old[32];

	ok(cache_review_set(c, a, REVIEW_ACCEPTED, &err) == 0, "accept (%s)", err.msg);
	is_int(asset_status(c, a), REVIEW_ACCEPTED, "the asset is accepted");
	is_int(sql_int(c, "SELECT status FROM annotation WHERE asset_id = ?1", a), REVIEW_ACCEPTED,
	       "so is its annotation");
	is_int(sql_int(c, "SELECT local_rev FROM annotation WHERE asset_id = ?1", a), rev + 1,
	       "whose local revision went up");
	is_int(outbox_count(c), before + 1, "exactly one outbox entry");
	ok(newest_entry_is(c, "annotation.status", "status", "accepted", "1"),
	   "annotation.status with the asset's ext id and the value");
	sql_text(c, "SELECT idem_key FROM outbox WHERE id = ?1", newest_outbox(c), key, sizeof key);
	ok(strlen(key) == 32 && strspn(key, "0123456789abcdef") == 32,
	   "a 128-bit idempotency key: %s", key);
	is_int(sql_int(c, "SELECT base_rev FROM outbox WHERE id = ?1", newest_outbox(c)),
	       sql_int(c, "SELECT base_rev FROM annotation WHERE asset_id = ?1", a),
	       "the base revision is the annotation's");
	is_int(log_count(c), logs + 1, "exactly one edit-log row");
	sql_text(c, "SELECT old_value FROM edit_log WHERE outbox_id = ?1", newest_outbox(c), old,
	         sizeof old);
	is_str(old, "pending", "holding the previous value, linked to the entry");

	ok(cache_review_set(c, a, REVIEW_ACCEPTED, &err) == 0, "accepting again");
	is_int(outbox_count(c), before + 1, "queues nothing");
	is_int(log_count(c), logs + 1, "and logs nothing");
	ok(cache_review_set(c, 999999, REVIEW_ACCEPTED, &err) < 0 && strstr(err.msg, "999999"),
	   "an unknown asset is an error: %s", err.msg);
	ok(cache_review_set(c, a, (enum review_status)9, &err) < 0, "so is an unknown status");
	is_int(outbox_count(c), before + 1, "failed edits queue nothing");
}

static void test_tags(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 1);
	int64_t before = outbox_count(c), logs = log_count(c);
	struct err err = {0};

	ok(cache_tag_add(c, a, "  good  ", &err) == 0, "add a tag (%s)", err.msg);
	is_int(asset_has_tag(c, a, "good"), 1, "trimmed and attached");
	ok(outbox_count(c) == before + 1 && log_count(c) == logs + 1,
	   "one outbox entry, one log row");
	ok(newest_entry_is(c, "tag.attach", "tag", "good", "2"), "tag.attach with the tag");
	ok(cache_tag_add(c, a, "good", &err) == 0 && outbox_count(c) == before + 1 &&
	       log_count(c) == logs + 1,
	   "adding it again is a no-op");
	ok(cache_tag_remove(c, a, "good", &err) == 0, "remove it");
	is_int(asset_has_tag(c, a, "good"), 0, "detached");
	ok(newest_entry_is(c, "tag.detach", "tag", "good", "2"), "tag.detach with the tag");
	ok(cache_tag_remove(c, a, "absent", &err) == 0 && outbox_count(c) == before + 2,
	   "removing a tag it lacks is a no-op");
	ok(cache_tag_add(c, a, "\xe6\x97\xa5\xe6\x9c\xac \"q'", &err) == 0 &&
	       asset_has_tag(c, a, "\xe6\x97\xa5\xe6\x9c\xac \"q'") == 1,
	   "UTF-8 and quotes are fine");
}

static void test_bad_tags(struct cache *c, int64_t ds)
{
	static const char *const bad[] = {
	    "", "   ", "bad\x1b[31m", "tab\there", "nel\xc2\x85", "del\x7f", "bad\xff\xfe",
	};
	char longest[CACHE_TAG_MAX + 2];
	int64_t a = asset_id(c, ds, 2), before = outbox_count(c);
	struct err err;
	int refused = 0;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err.msg[0] = '\0';
		if (cache_tag_add(c, a, bad[i], &err) < 0 && strstr(err.msg, "tag") != NULL)
			refused++;
		else
			printf("# accepted bad tag %zu\n", i);
	}
	is_int(refused, (int)(sizeof bad / sizeof bad[0]),
	       "empty, control characters and non-UTF-8 are refused");
	memset(longest, 'x', CACHE_TAG_MAX + 1);
	longest[CACHE_TAG_MAX + 1] = '\0';
	ok(cache_tag_add(c, a, longest, &err) < 0 && strstr(err.msg, "100"),
	   "101 bytes are too long: %s", err.msg);
	ok(cache_tag_remove(c, a, "", &err) < 0, "removing an empty tag is refused too");
	is_int(outbox_count(c), before, "nothing was queued");
	longest[CACHE_TAG_MAX] = '\0';
	ok(cache_tag_add(c, a, longest, &err) == 0, "100 bytes are fine");
	is_int(
	    sql_int(c, "SELECT count(DISTINCT idem_key) = count(*) FROM outbox WHERE ?1 = ?1", 0),
	    1, "every idempotency key is unique");
}

static void test_undo_order(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 4), b = asset_id(c, ds, 5); /* pending, accepted */
	struct err err = {0};
	int64_t touched = -1;
	char what[64];
	int pending0 = 0, pending = 0;

	/* start from a clean slate: undo everything earlier tests did */
	do
		cache_undo(c, ds, &touched, what, sizeof what, &err);
	while (touched != 0);
	cache_outbox_pending(c, ds, &pending0, &err);
	is_int(pending0, 0, "undoing every pending edit empties the outbox");
	cache_review_set(c, a, REVIEW_REJECTED, &err);
	cache_tag_add(c, a, "x", &err);
	cache_review_set(c, b, REVIEW_SKIPPED, &err);
	cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, 3, "three pending entries");

	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 && touched == b,
	   "undo touches the newest edit's asset");
	is_str(what, "skip", "and says what it undid");
	is_int(asset_status(c, b), REVIEW_ACCEPTED, "the status is back");
	cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, 2, "its pending entry left the outbox");
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 && touched == a, "undo again");
	is_str(what, "tag +x", "the tag");
	is_int(asset_has_tag(c, a, "x"), 0, "is gone");
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 && touched == a &&
	       strcmp(what, "reject") == 0 && asset_status(c, a) == REVIEW_PENDING,
	   "and the first edit last");
	cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, 0, "the outbox is empty");
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 && touched == 0 &&
	       what[0] == '\0',
	   "nothing left to undo");
	is_int(sql_int(c, "SELECT count(*) FROM edit_log WHERE dataset_id = ?1 AND undone = 0", ds),
	       0, "every log row is marked undone");
}

static void test_undo_pushed(struct cache *c, int64_t ds)
{
	int64_t a = asset_id(c, ds, 4), touched = 0, pushed_id, undo_id;
	struct err err = {0};
	char what[64];
	int pending = 0, marked = 0;

	cache_review_set(c, a, REVIEW_ACCEPTED, &err);
	pushed_id = newest_outbox(c);
	ok(cache_outbox_mark_pushed(c, ds, &marked, &err) == 0 && marked == 1,
	   "an export marks the entry pushed");
	cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, 0, "nothing pending");
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 && touched == a,
	   "undo a pushed edit");
	is_int(asset_status(c, a), REVIEW_PENDING, "the status is back");
	cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, 1, "a compensating entry is queued");
	ok(newest_entry_is(c, "annotation.status", "status", "pending", "5"),
	   "setting the old status back");
	undo_id = sql_int(c, "SELECT undo_outbox_id FROM edit_log WHERE outbox_id = ?1", pushed_id);
	is_int(undo_id, newest_outbox(c), "the log row points at it");
	is_int(
	    sql_int(c, "SELECT count(*) FROM outbox WHERE id = ?1 AND state = 'pushed'", pushed_id),
	    1, "the pushed entry stays as it was");

	/* a push that succeeded and was cleaned away, as the sync engine does */
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	cache_tag_add(c, a, "gone", &err);
	sql_int(c, "DELETE FROM outbox WHERE id = ?1", newest_outbox(c));
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 &&
	       strcmp(what, "tag +gone") == 0 && asset_has_tag(c, a, "gone") == 0,
	   "undo after the entry was cleaned away");
	ok(newest_entry_is(c, "tag.detach", "tag", "gone", "5"), "queues the detach");

	/* a conflicting entry never reached the source: withdrawing it is enough */
	cache_outbox_mark_pushed(c, ds, NULL, &err);
	cache_review_set(c, a, REVIEW_SKIPPED, &err);
	sql_int(c, "UPDATE outbox SET state = 'conflict' WHERE id = ?1", newest_outbox(c));
	undo_id = newest_outbox(c);
	ok(cache_undo(c, ds, &touched, what, sizeof what, &err) == 0 &&
	       sql_int(c, "SELECT count(*) FROM outbox WHERE id = ?1", undo_id) == 0 &&
	       newest_outbox(c) < undo_id,
	   "undoing a conflicting edit withdraws it and queues nothing");
}

static void test_undo_reopen(struct cache **cp, int64_t ds, int64_t other_ds)
{
	int64_t a = asset_id(*cp, ds, 6), o = asset_id(*cp, other_ds, 0), touched = 0;
	struct err err = {0};
	char what[64];
	int pending = 0;

	cache_review_set(*cp, a, REVIEW_ACCEPTED, &err); /* rejected in the fixture */
	cache_review_set(*cp, o, REVIEW_REJECTED, &err); /* in another dataset */
	cache_close(cp);
	ok(cache_open(db_path, cp, &err) == 0, "reopen");
	ok(cache_undo(*cp, ds, &touched, what, sizeof what, &err) == 0 && touched == a &&
	       strcmp(what, "accept") == 0,
	   "undo works after reopening");
	is_int(asset_status(*cp, a), REVIEW_REJECTED, "and reverts the status");
	is_int(asset_status(*cp, o), REVIEW_REJECTED, "the other dataset's edit is untouched");
	cache_outbox_pending(*cp, other_ds, &pending, &err);
	is_int(pending, 1, "and still pending");
}

/* The child edits, tells the parent, and waits to be killed. */
static void crash_child(int64_t a, int fd)
{
	struct cache *c = NULL;
	struct err err;

	if (cache_open(db_path, &c, &err) < 0 || cache_review_set(c, a, REVIEW_SKIPPED, &err) < 0 ||
	    cache_tag_add(c, a, "crash", &err) < 0)
		_exit(1);
	if (write(fd, "k", 1) != 1)
		_exit(1);
	for (;;)
		pause();
}

static void test_kill9(struct cache **cp, int64_t ds)
{
	int64_t a = asset_id(*cp, ds, 8); /* pending */
	struct err err = {0};
	int fds[2], status = 0, pending_before = 0, pending = 0;
	char byte = 0;
	pid_t pid;

	cache_outbox_pending(*cp, ds, &pending_before, &err);
	cache_close(cp);
	if (pipe(fds) < 0)
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		crash_child(a, fds[1]);
	}
	close(fds[1]);
	ok(read(fds[0], &byte, 1) == 1 && byte == 'k', "the child edited");
	close(fds[0]);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "and was killed with -9");
	ok(cache_open(db_path, cp, &err) == 0, "the cache opens after the crash (%s)", err.msg);
	is_int(asset_status(*cp, a), REVIEW_SKIPPED, "the status edit survived");
	is_int(asset_has_tag(*cp, a, "crash"), 1, "so did the tag");
	cache_outbox_pending(*cp, ds, &pending, &err);
	is_int(pending, pending_before + 2, "with both outbox entries");
}

int main(void)
{
	struct dataset_doc *doc = fixture_doc_rich(10), *other = fixture_doc_rich(3);
	struct cache *c = NULL;
	struct err err = {0};
	int64_t ds = 0, other_ds = 0;

	dir = fixture_tmpdir();
	fixture_path(db_path, sizeof db_path, dir, "edit.db");
	if (cache_open(db_path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/edit.json", "fp", doc, &ds, NULL, &err) < 0 ||
	    cache_import(c, "coco", "/other.json", "fp", other, &other_ds, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	test_review(c, ds);
	test_tags(c, ds);
	test_bad_tags(c, ds);
	test_undo_order(c, ds);
	test_undo_pushed(c, ds);
	test_undo_reopen(&c, ds, other_ds);
	test_kill9(&c, ds);
	cache_close(&c);
	dataset_doc_free(&doc);
	dataset_doc_free(&other);
	fixture_rmdir(&dir);
	return done_testing();
}
