/* The cache's connection: opening, settings, versioned migrations, and the wrappers that turn
 * every SQLite failure into an error value. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char sql_settings[] = "PRAGMA foreign_keys = ON;"
                                   "PRAGMA synchronous = NORMAL;"
                                   "PRAGMA temp_store = MEMORY;";
static const char sql_wal[] = "PRAGMA journal_mode = WAL";
static const char sql_user_version[] = "PRAGMA user_version";
static const char sql_set_user_version[] = "PRAGMA user_version = %d";

#define CACHE_CHECK_MS 1500 /* the integrity check at open stops after this */

_Static_assert(CACHE_SCHEMA_VERSION >= 1, "the schema has at least one migration");

/* What the user can do about the failures that are theirs to act on, and their kind. */
static const struct {
	int code;
	enum err_kind kind;
	const char *hint;
} fail_hints[] = {
    {SQLITE_BUSY, ERR_RETRY, "another annotty is writing to the cache; try again in a moment"},
    {SQLITE_LOCKED, ERR_RETRY, "another annotty is writing to the cache; try again in a moment"},
    {SQLITE_FULL, ERR_IO, "the disk holding the cache is full; free some space"},
    {SQLITE_IOERR, ERR_IO,
     "the cache file could not be read or written; is the disk full or gone?"},
    {SQLITE_READONLY, ERR_FORBIDDEN, "check the permissions of the cache file and its folder"},
    {SQLITE_CANTOPEN, ERR_IO, "check the permissions of the cache file and its folder"},
    {SQLITE_PERM, ERR_FORBIDDEN, "check the permissions of the cache file and its folder"},
    {SQLITE_CORRUPT, ERR_DAMAGED, "the cache file is damaged; rebuild it"},
    {SQLITE_NOTADB, ERR_DAMAGED, "the cache file is damaged; rebuild it"},
};

/* A write to a cache found damaged at open. */
static int refuse_damaged(struct cache *c, struct err *err, const char *doing)
{
	return err_setk(err, ERR_DAMAGED,
	                "%s: the cache is damaged (%s) and open read-only; rebuild it to go on "
	                "editing (the damaged file is kept aside, pending edits are carried over)",
	                doing, c->damage);
}

int cache_db_fail(struct cache *c, struct err *err, const char *doing)
{
	sqlite3 *db = c != NULL ? c->db : NULL;
	int code = db != NULL ? sqlite3_errcode(db) : SQLITE_ERROR;
	const char *msg = db != NULL ? sqlite3_errmsg(db) : "no database connection";

	if (c != NULL && c->damaged && code == SQLITE_READONLY)
		return refuse_damaged(c, err, doing);
	for (size_t i = 0; i < sizeof fail_hints / sizeof fail_hints[0]; i++)
		if (fail_hints[i].code == code)
			return err_setk(err, fail_hints[i].kind, "%s: %s (%s)", doing, msg,
			                fail_hints[i].hint);
	return err_set(err, "%s: %s", doing, msg);
}

int cache_db_prepare(struct cache *c, const char *sql, sqlite3_stmt **out, struct err *err)
{
	*out = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, out, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, "preparing a cache query");
	return 0;
}

int cache_db_exec(struct cache *c, const char *sql, struct err *err, const char *doing)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, doing);
	return 0;
}

int cache_db_begin(struct cache *c, struct err *err)
{
	if (c->damaged)
		return refuse_damaged(c, err, "starting a cache transaction");
	/* inside a transaction (a bulk edit made of single edits): a savepoint, so that the
	 * inner edit's failure undoes that edit alone and the outer one decides */
	if (c->tx_depth > 0) {
		if (cache_db_exec(c, "SAVEPOINT inner", err, "starting a cache transaction") < 0)
			return -1;
		c->tx_depth++;
		return 0;
	}
	if (cache_db_exec(c, "BEGIN IMMEDIATE", err, "starting a cache transaction") < 0)
		return -1;
	c->tx_depth = 1;
	return 0;
}

int cache_db_end(struct cache *c, int rc, struct err *err)
{
	if (c->tx_depth > 1) {
		c->tx_depth--;
		if (rc == 0)
			return cache_db_exec(c, "RELEASE inner", err, "committing to the cache");
		sqlite3_exec(c->db, "ROLLBACK TO inner; RELEASE inner", NULL, NULL, NULL);
		return -1;
	}
	c->tx_depth = 0;
	if (rc == 0 && cache_db_exec(c, "COMMIT", err, "committing to the cache") == 0)
		return 0;
	/* the failure's own message is what the user needs; a failed rollback adds nothing */
	if (!sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int cache_db_run(struct cache *c, sqlite3_stmt *st, struct err *err, const char *doing)
{
	int rc = sqlite3_step(st);

	/* reset leaves the step's error on the connection, where cache_db_fail reads it */
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return cache_db_fail(c, err, doing);
	return 0;
}

int cache_db_lookup(struct cache *c, sqlite3_stmt *st, int64_t *out, struct err *err,
                    const char *doing)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW && out != NULL)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return cache_db_fail(c, err, doing);
}

const char *cache_db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s != NULL ? (const char *)s : "";
}

char *cache_db_text_dup(sqlite3_stmt *st, int col, int *oom)
{
	char *s;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	s = strdup(cache_db_text(st, col));
	if (s == NULL)
		*oom = 1;
	return s;
}

int cache_db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int cache_db_bind_named_text(sqlite3_stmt *st, const char *name, const char *s)
{
	int idx = sqlite3_bind_parameter_index(st, name);

	return idx > 0 ? cache_db_bind_text(st, idx, s) : SQLITE_OK;
}

int cache_db_bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	int idx = sqlite3_bind_parameter_index(st, name);

	return idx > 0 ? sqlite3_bind_int64(st, idx, v) : SQLITE_OK;
}

static int read_user_version(struct cache *c, int *version, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (cache_db_prepare(c, sql_user_version, &st, err) < 0)
		goto out;
	if (sqlite3_step(st) != SQLITE_ROW) {
		cache_db_fail(c, err, "reading the cache's schema version");
		goto out;
	}
	*version = sqlite3_column_int(st, 0);
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

static int refuse_newer(int version, struct err *err)
{
	return err_set(err,
	               "this cache was written by a newer annotty (schema %d; this one knows up to "
	               "%d): upgrade annotty, or point ANNOTTY_CACHE at another file",
	               version, CACHE_SCHEMA_VERSION);
}

/* One migration step in its own transaction; the version is read again under the write lock
 * so that two processes opening a new cache at once do not both migrate it. */
static int migrate_step(struct cache *c, int from, struct err *err)
{
	char setver[64];
	int version = 0, rc = -1;

	if (cache_db_begin(c, err) < 0)
		return -1;
	if (read_user_version(c, &version, err) < 0)
		goto out;
	if (version != from) {
		rc = 0; /* someone else got there first */
		goto out;
	}
	for (int i = 0; cache_schema_script(from, i) != NULL; i++)
		if (cache_db_exec(c, cache_schema_script(from, i), err,
		                  "creating the cache's tables") < 0)
			goto out;
	snprintf(setver, sizeof setver, sql_set_user_version, from + 1);
	if (cache_db_exec(c, setver, err, "recording the cache's schema version") < 0)
		goto out;
	rc = 0;
out:
	return cache_db_end(c, rc, err);
}

static int migrate(struct cache *c, struct err *err)
{
	int version = 0;

	for (;;) {
		if (read_user_version(c, &version, err) < 0)
			return -1;
		if (version > CACHE_SCHEMA_VERSION)
			return refuse_newer(version, err);
		if (version == CACHE_SCHEMA_VERSION)
			return 0;
		if (migrate_step(c, version, err) < 0)
			return -1;
	}
}

static int configure(struct cache *c, struct err *err)
{
	sqlite3_busy_timeout(c->db, CACHE_BUSY_TIMEOUT_MS);
	if (cache_db_exec(c, sql_settings, err, "configuring the cache") < 0)
		return -1;
	if (c->damaged)
		return 0; /* a read-only connection keeps the journal mode it finds */
	/* an in-memory or read-only database keeps its own journal mode; that is not an error */
	return cache_db_exec(c, sql_wal, err, "switching the cache to WAL mode");
}

/* ---- the integrity check at open ------------------------------------------------------- */

struct check_clock {
	struct timespec deadline;
	int expired;
};

static int check_progress(void *arg)
{
	struct check_clock *clock = arg;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > clock->deadline.tv_sec ||
	    (now.tv_sec == clock->deadline.tv_sec && now.tv_nsec >= clock->deadline.tv_nsec))
		clock->expired = 1;
	return clock->expired;
}

/* quick_check's first finding on one line, without its "*** in database main ***" head. */
static void check_message(const char *text, char *why, size_t whysz)
{
	const char *head = strstr(text, "***\n");
	size_t n;

	snprintf(why, whysz, "%s", head != NULL ? head + 4 : text);
	for (n = 0; why[n] != '\0'; n++)
		if (why[n] == '\n' || why[n] == '\r' || why[n] == '\t')
			why[n] = ' ';
}

/* Runs PRAGMA quick_check for at most CACHE_CHECK_MS. Returns 1 with why filled when it found
 * damage, 0 when it found none or ran out of time (logged: the rest goes unchecked). */
static int quick_check(struct cache *c, const char *path, char *why, size_t whysz)
{
	struct check_clock clock = {.expired = 0};
	sqlite3_stmt *st = NULL;
	int rc, damaged = 0;

	clock_gettime(CLOCK_MONOTONIC, &clock.deadline);
	clock.deadline.tv_nsec += (long)CACHE_CHECK_MS % 1000 * 1000000;
	clock.deadline.tv_sec += CACHE_CHECK_MS / 1000 + clock.deadline.tv_nsec / 1000000000;
	clock.deadline.tv_nsec %= 1000000000;
	sqlite3_progress_handler(c->db, 10000, check_progress, &clock);
	rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && strcmp(cache_db_text(st, 0), "ok") != 0) {
		check_message(cache_db_text(st, 0), why, whysz);
		damaged = 1;
	} else if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) {
		snprintf(why, whysz, "%s", sqlite3_errmsg(c->db));
		damaged = 1;
	} else if (clock.expired) {
		log_msg(LOG_INFO,
		        "%s: the integrity check stopped unfinished after %d ms (a large cache); "
		        "damage in the pages it did not read shows when they are read",
		        path, CACHE_CHECK_MS);
	}
	sqlite3_finalize(st);
	sqlite3_progress_handler(c->db, 0, NULL, NULL);
	return damaged;
}

static int open_connection(struct cache *c, const char *path, int flags, struct err *err)
{
	sqlite3_close_v2(c->db);
	c->db = NULL;
	/* each thread opens its own connection, so SQLite's per-call locking is not needed */
	if (sqlite3_open_v2(path, &c->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, "opening the cache");
	return 0;
}

/* A cache that fails the check is opened again read-only, so that nothing is written to it. */
static int open_checked(struct cache *c, const char *path, struct err *err)
{
	if (open_connection(c, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, err) < 0)
		return -1;
	if (!quick_check(c, path, c->damage, sizeof c->damage))
		return 0;
	log_msg(LOG_ERROR, "%s is damaged (%s): opened read-only", path, c->damage);
	c->damaged = 1;
	return open_connection(c, path, SQLITE_OPEN_READONLY, err);
}

int cache_open(const char *path, struct cache **out, struct err *err)
{
	struct cache *c = calloc(1, sizeof *c);
	int rc = -1, version = 0;

	*out = NULL;
	if (c == NULL)
		return err_set(err, "opening the cache %s: out of memory", path);
	if (cache_schema_steps() != CACHE_SCHEMA_VERSION) {
		err_set(err, "the cache schema has %d steps for version %d", cache_schema_steps(),
		        CACHE_SCHEMA_VERSION);
		goto out;
	}
	if (open_checked(c, path, err) < 0 || configure(c, err) < 0)
		goto out;
	if (!c->damaged && migrate(c, err) < 0)
		goto out;
	/* a damaged cache cannot be migrated: only one of this version can be read as it is */
	if (c->damaged && (read_user_version(c, &version, err) < 0 ||
	                   (version != CACHE_SCHEMA_VERSION &&
	                    refuse_damaged(c, err, "upgrading the cache's tables") < 0)))
		goto out;
	*out = c;
	c = NULL;
	rc = 0;
out:
	if (rc < 0)
		err_wrap(err, "%s", path);
	cache_close(&c);
	return rc;
}

const char *cache_damage(const struct cache *c)
{
	return c != NULL && c->damaged ? c->damage : NULL;
}

void cache_close(struct cache **cp)
{
	struct cache *c = *cp;

	if (c == NULL)
		return;
	cache_run_end(c);
	sqlite3_close_v2(c->db);
	free(c);
	*cp = NULL;
}

int cache_schema_version(struct cache *c)
{
	int version = -1;

	if (read_user_version(c, &version, NULL) < 0)
		return -1;
	return version;
}

int cache_db_do(struct cache *c, const char *sql, const struct db_arg *args, int nargs,
                int64_t *out, struct err *err, const char *doing)
{
	sqlite3_stmt *st = NULL;
	int rc, params;

	if (cache_db_prepare(c, sql, &st, err) < 0)
		return -1;
	params = sqlite3_bind_parameter_count(st);
	for (int i = 0; i < nargs && i < params; i++) {
		if (args[i].type == DB_ARG_INT)
			sqlite3_bind_int64(st, i + 1, args[i].i);
		else if (args[i].type == DB_ARG_TEXT)
			cache_db_bind_text(st, i + 1, args[i].s);
		else
			sqlite3_bind_null(st, i + 1);
	}
	rc = cache_db_lookup(c, st, out, err, doing);
	sqlite3_finalize(st);
	return rc;
}
