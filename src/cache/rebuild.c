/* Rebuilding a damaged cache: the file goes aside (never deleted), a new cache takes its
 * place, and every row of the old one that can still be read is copied over, table by table,
 * parents first, so that pending edits and the undo history survive what can be saved. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Parents before children, so that each row's references are there when it is inserted. */
static const char *const copy_order[] = {
    "source",  "sync_state",      "app_user", "datalake",   "data",   "datalake_tag", "data_tag",
    "dataset", "dataset_version", "label",    "tag",        "asset",  "asset_tag",    "annotation",
    "shape",   "campaign",        "step",     "assignment", "outbox", "edit_log",     NULL};

/* Tables keyed by their columns, without a rowid to resume a scan from. */
static int without_rowid(const char *table)
{
	return strcmp(table, "data_tag") == 0 || strcmp(table, "asset_tag") == 0;
}

#define SQL_MAX      2048
#define SKIP_TRIES   48 /* a damaged stretch is jumped in doubling steps, up to 2^48 ids */
#define SUFFIX_TRIES 100

struct copy_stats {
	long kept;
	long refused; /* read, but the new cache would not take it (its parent was lost) */
	long unread;  /* ids in damaged stretches: an estimate, gaps included */
	int ranges;
	long pending_refused; /* outbox: pending entries among the refused */
};

struct copy {
	sqlite3 *old;
	struct cache *c;
	const char *table;
	char cols[SQL_MAX]; /* the stored columns, comma-separated (generated ones left out) */
	int ncols;
	sqlite3_stmt *ins;
	struct copy_stats st;
};

/* The columns of the table in the new cache that an INSERT can set. */
static int copy_columns(struct copy *k, struct err *err)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	size_t used = 0;

	snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_xinfo('%s') WHERE hidden = 0",
	         k->table);
	if (cache_db_prepare(k->c, sql, &st, err) < 0)
		return -1;
	k->ncols = 0;
	k->cols[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW && used < sizeof k->cols) {
		used += (size_t)snprintf(k->cols + used, sizeof k->cols - used, "%s%s",
		                         k->ncols ? ", " : "", cache_db_text(st, 0));
		k->ncols++;
	}
	sqlite3_finalize(st);
	return k->ncols > 0 && used < sizeof k->cols ? 0
	                                             : err_set(err,
	                                                       "rebuilding: the table %s has "
	                                                       "no columns",
	                                                       k->table);
}

static int copy_prepare_insert(struct copy *k, struct err *err)
{
	char sql[SQL_MAX * 2];
	size_t used =
	    (size_t)snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (", k->table, k->cols);

	for (int i = 0; i < k->ncols && used < sizeof sql; i++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s?", i ? ", " : "");
	if (used + 2 >= sizeof sql)
		return err_set(err, "rebuilding: the table %s has too many columns", k->table);
	strcat(sql, ")");
	return cache_db_prepare(k->c, sql, &k->ins, err);
}

/* Inserts the row sel is on (its columns from first on); a refusal is counted, not fatal. */
static void copy_row(struct copy *k, sqlite3_stmt *sel, int first, int pending_col)
{
	for (int i = 0; i < k->ncols; i++)
		sqlite3_bind_value(k->ins, i + 1, sqlite3_column_value(sel, first + i));
	if (sqlite3_step(k->ins) == SQLITE_DONE) {
		k->st.kept++;
	} else {
		k->st.refused++;
		if (pending_col >= 0 &&
		    strcmp((const char *)sqlite3_column_text(sel, pending_col), "pending") == 0)
			k->st.pending_refused++;
	}
	sqlite3_reset(k->ins);
	sqlite3_clear_bindings(k->ins);
}

/* The column of sel holding the outbox state, or -1. */
static int pending_column(const struct copy *k, int first)
{
	char probe[SQL_MAX + 4];
	const char *at;
	int n = 0;

	if (strcmp(k->table, "outbox") != 0)
		return -1;
	snprintf(probe, sizeof probe, ", %s,", k->cols);
	if ((at = strstr(probe, ", state,")) == NULL)
		return -1;
	for (const char *p = probe + 2; p < at + 2; p++)
		n += *p == ',';
	return first + n;
}

/* Reads from after id `from` on; 1 at the end of the table, 0 when damage stopped the scan
 * (*last is the last id read), -1 on a failure of the new cache. */
static int copy_scan(struct copy *k, sqlite3_stmt *sel, int64_t from, int64_t *last)
{
	int pending = pending_column(k, 1), rc;

	sqlite3_reset(sel);
	sqlite3_bind_int64(sel, 1, from);
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		*last = sqlite3_column_int64(sel, 0);
		copy_row(k, sel, 1, pending);
	}
	return rc == SQLITE_DONE ? 1 : 0;
}

/* The first readable id after a damaged stretch that starts after last: jumps ahead in
 * doubling steps. 1 with *next set, 0 when nothing after it can be read. */
static int copy_skip(sqlite3_stmt *probe, int64_t last, int64_t *next)
{
	for (int t = 0; t < SKIP_TRIES; t++) {
		int64_t from = last + ((int64_t)1 << t);
		int rc;

		sqlite3_reset(probe);
		sqlite3_bind_int64(probe, 1, from);
		rc = sqlite3_step(probe);
		if (rc == SQLITE_ROW) {
			*next = sqlite3_column_int64(probe, 0);
			return 1;
		}
		if (rc == SQLITE_DONE)
			return 0;
	}
	return 0;
}

static int copy_rowid_table(struct copy *k, struct err *err)
{
	char sql[SQL_MAX + 128];
	sqlite3_stmt *sel = NULL, *probe = NULL;
	int64_t last = INT64_MIN, next;
	int rc = -1;

	snprintf(sql, sizeof sql, "SELECT rowid, %s FROM %s WHERE rowid > ?1 ORDER BY rowid",
	         k->cols, k->table);
	if (sqlite3_prepare_v2(k->old, sql, -1, &sel, NULL) != SQLITE_OK)
		goto unreadable;
	snprintf(sql, sizeof sql, "SELECT rowid FROM %s WHERE rowid >= ?1 ORDER BY rowid LIMIT 1",
	         k->table);
	if (sqlite3_prepare_v2(k->old, sql, -1, &probe, NULL) != SQLITE_OK)
		goto unreadable;
	while (copy_scan(k, sel, last, &last) == 0) {
		k->st.ranges++;
		if (last == INT64_MIN || !copy_skip(probe, last, &next))
			break; /* the rest of the table is out of reach */
		k->st.unread += next - last - 1;
		last = next - 1;
	}
	rc = 0;
	goto out;
unreadable:
	k->st.ranges++;
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(probe);
	(void)err;
	return rc;
}

static int copy_plain_table(struct copy *k)
{
	char sql[SQL_MAX + 64];
	sqlite3_stmt *sel = NULL;
	int rc;

	snprintf(sql, sizeof sql, "SELECT %s FROM %s", k->cols, k->table);
	if (sqlite3_prepare_v2(k->old, sql, -1, &sel, NULL) != SQLITE_OK) {
		k->st.ranges++;
		return 0;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW)
		copy_row(k, sel, 0, -1);
	if (rc != SQLITE_DONE)
		k->st.ranges++;
	sqlite3_finalize(sel);
	return 0;
}

static void report_add(struct cache_rebuild_report *r, const struct copy *k)
{
	r->rows_kept += k->st.kept;
	r->rows_lost += k->st.refused + k->st.unread;
	r->unread_ranges += k->st.ranges;
	if (strcmp(k->table, "outbox") == 0)
		r->pending_lost += (int)(k->st.pending_refused + k->st.unread);
	if (strcmp(k->table, "edit_log") == 0) {
		r->edits_kept = (int)k->st.kept;
		r->edits_lost = (int)(k->st.refused + k->st.unread);
	}
}

static int copy_table(sqlite3 *old, struct cache *c, const char *table,
                      struct cache_rebuild_report *r, struct err *err)
{
	struct copy k = {.old = old, .c = c, .table = table};
	int rc = -1;

	if (copy_columns(&k, err) < 0 || copy_prepare_insert(&k, err) < 0)
		goto out;
	rc = without_rowid(table) ? copy_plain_table(&k) : copy_rowid_table(&k, err);
	if (k.st.ranges > 0 || k.st.refused > 0)
		log_msg(LOG_WARN,
		        "rebuilding the cache: %s: %ld rows kept, %ld refused, about %ld "
		        "unread in %d damaged stretches",
		        table, k.st.kept, k.st.refused, k.st.unread, k.st.ranges);
	report_add(r, &k);
out:
	sqlite3_finalize(k.ins);
	return rc;
}

/* AUTOINCREMENT counters, so that the new cache never hands out an id the old one had. */
static void copy_sequences(sqlite3 *old, struct cache *c)
{
	sqlite3_stmt *sel = NULL, *up = NULL;

	if (sqlite3_prepare_v2(old, "SELECT name, seq FROM sqlite_sequence", -1, &sel, NULL) !=
	        SQLITE_OK ||
	    cache_db_prepare(c, "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1;",
	                     &up, NULL) < 0)
		goto out;
	while (sqlite3_step(sel) == SQLITE_ROW) {
		sqlite3_bind_value(up, 1, sqlite3_column_value(sel, 0));
		sqlite3_bind_value(up, 2, sqlite3_column_value(sel, 1));
		sqlite3_step(up);
		sqlite3_reset(up);
	}
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(up);
}

static int count_pending(struct cache *c, int *n, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;
	int rc;

	if (cache_db_prepare(c, "SELECT count(*) FROM outbox WHERE state = 'pending'", &st, err) <
	    0)
		return -1;
	rc = cache_db_lookup(c, st, &v, err, "counting the pending edits");
	sqlite3_finalize(st);
	*n = (int)v;
	return rc < 0 ? -1 : 0;
}

/* Copies every table it can from old into c, in one transaction. */
static int copy_all(sqlite3 *old, struct cache *c, struct cache_rebuild_report *r, struct err *err)
{
	int rc = 0;

	/* the shape table's AUTOINCREMENT row exists once a shape was inserted */
	if (cache_db_begin(c, err) < 0)
		return -1;
	for (int i = 0; copy_order[i] != NULL && rc == 0; i++)
		rc = copy_table(old, c, copy_order[i], r, err);
	if (rc == 0)
		copy_sequences(old, c);
	if (cache_db_end(c, rc, err) < 0)
		return -1;
	return count_pending(c, &r->pending_kept, err);
}

/* ---- moving the damaged file aside ---------------------------------------------------- */

static int move_one(const char *from, const char *to, struct err *err)
{
	if (rename(from, to) == 0 || errno == ENOENT)
		return 0;
	return err_setk(err, ERR_IO, "cannot move %s to %s: %s", from, to, strerror(errno));
}

/* Moves path and its -wal and -shm to a name that does not exist yet, written to aside. */
static int move_aside(const char *path, char *aside, size_t asidesz, struct err *err)
{
	static const char *const sides[] = {"", "-wal", "-shm"};
	char stamp[32], from[4200], to[4200];
	time_t now = time(NULL);
	struct tm tm;
	int n = 0;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	do {
		if (n == SUFFIX_TRIES)
			return err_setk(err, ERR_IO, "cannot find a free name beside %s", path);
		if ((n++ ? snprintf(aside, asidesz, "%s.damaged-%s-%d", path, stamp, n)
		         : snprintf(aside, asidesz, "%s.damaged-%s", path, stamp)) >= (int)asidesz)
			return err_set(err, "path too long: %s", path);
	} while (access(aside, F_OK) == 0);
	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		snprintf(from, sizeof from, "%s%s", path, sides[i]);
		snprintf(to, sizeof to, "%s%s", aside, sides[i]);
		if (move_one(from, to, err) < 0)
			return -1;
	}
	return 0;
}

/* Puts the damaged file back where it was, when no new cache could be made. */
static void move_back(const char *path, const char *aside)
{
	static const char *const sides[] = {"", "-wal", "-shm"};
	char from[4200], to[4200];

	for (size_t i = 0; i < sizeof sides / sizeof *sides; i++) {
		snprintf(from, sizeof from, "%s%s", aside, sides[i]);
		snprintf(to, sizeof to, "%s%s", path, sides[i]);
		if (i > 0 || unlink(to) == 0 || errno == ENOENT)
			rename(from, to);
	}
}

int cache_rebuild(const char *path, struct cache_rebuild_report *report, struct err *err)
{
	struct cache *c = NULL;
	sqlite3 *old = NULL;
	int rc = -1;

	memset(report, 0, sizeof *report);
	if (move_aside(path, report->aside, sizeof report->aside, err) < 0)
		return err_wrap(err, "rebuilding the cache");
	if (cache_open(path, &c, err) < 0) {
		move_back(path, report->aside);
		report->aside[0] = '\0';
		return err_wrap(err, "rebuilding the cache");
	}
	/* a file that is no database at all gives nothing to copy: the new cache is empty */
	if (sqlite3_open_v2(report->aside, &old, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
	                    NULL) == SQLITE_OK &&
	    copy_all(old, c, report, err) < 0) {
		err_wrap(err, "rebuilding the cache (the damaged file is at %s)", report->aside);
		goto out;
	}
	log_msg(LOG_WARN,
	        "rebuilt the cache %s: the damaged file is at %s; %ld rows kept, about %ld lost; "
	        "%d pending edits kept, %d lost",
	        path, report->aside, report->rows_kept, report->rows_lost, report->pending_kept,
	        report->pending_lost);
	rc = 0;
out:
	sqlite3_close_v2(old);
	cache_close(&c);
	return rc;
}
