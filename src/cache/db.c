/* The cache's connection: opening, settings, versioned migrations, and the wrappers that turn
 * every SQLite failure into an error value. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_settings[] = "PRAGMA foreign_keys = ON;"
                                   "PRAGMA synchronous = NORMAL;"
                                   "PRAGMA temp_store = MEMORY;";
static const char sql_wal[] = "PRAGMA journal_mode = WAL";
static const char sql_user_version[] = "PRAGMA user_version";
static const char sql_set_user_version[] = "PRAGMA user_version = %d";

_Static_assert(CACHE_SCHEMA_VERSION >= 1, "the schema has at least one migration");

/* What the user can do about the failures that are theirs to act on. */
static const struct {
	int code;
	const char *hint;
} fail_hints[] = {
    {SQLITE_BUSY, "another annotty is writing to the cache; try again in a moment"},
    {SQLITE_LOCKED, "another annotty is writing to the cache; try again in a moment"},
    {SQLITE_FULL, "the disk holding the cache is full; free some space"},
    {SQLITE_IOERR, "the cache file could not be read or written; is the disk full or gone?"},
    {SQLITE_READONLY, "check the permissions of the cache file and its folder"},
    {SQLITE_CANTOPEN, "check the permissions of the cache file and its folder"},
    {SQLITE_PERM, "check the permissions of the cache file and its folder"},
    {SQLITE_CORRUPT, "the cache file is damaged; move it away to start afresh"},
    {SQLITE_NOTADB, "the cache file is damaged; move it away to start afresh"},
};

int cache_db_fail(struct cache *c, struct err *err, const char *doing)
{
	sqlite3 *db = c != NULL ? c->db : NULL;
	int code = db != NULL ? sqlite3_errcode(db) : SQLITE_ERROR;
	const char *msg = db != NULL ? sqlite3_errmsg(db) : "no database connection";

	for (size_t i = 0; i < sizeof fail_hints / sizeof fail_hints[0]; i++)
		if (fail_hints[i].code == code)
			return err_set(err, "%s: %s (%s)", doing, msg, fail_hints[i].hint);
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
	return cache_db_exec(c, "BEGIN IMMEDIATE", err, "starting a cache transaction");
}

int cache_db_end(struct cache *c, int rc, struct err *err)
{
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
	/* an in-memory or read-only database keeps its own journal mode; that is not an error */
	return cache_db_exec(c, sql_wal, err, "switching the cache to WAL mode");
}

int cache_open(const char *path, struct cache **out, struct err *err)
{
	struct cache *c = calloc(1, sizeof *c);
	int rc = -1;

	*out = NULL;
	if (c == NULL)
		return err_set(err, "opening the cache %s: out of memory", path);
	if (cache_schema_steps() != CACHE_SCHEMA_VERSION) {
		err_set(err, "the cache schema has %d steps for version %d", cache_schema_steps(),
		        CACHE_SCHEMA_VERSION);
		goto out;
	}
	/* each thread opens its own connection, so SQLite's per-call locking is not needed */
	if (sqlite3_open_v2(path, &c->db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		cache_db_fail(c, err, "opening the cache");
		goto out;
	}
	if (configure(c, err) < 0 || migrate(c, err) < 0)
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
