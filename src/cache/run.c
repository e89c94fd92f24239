/* Which run of annotty made an edit: each process that edits registers itself once (its pid
 * and host), stamps its edit-log rows with its run id, and says when it ends. Undo and redo
 * take only the edits of their own run and of runs that are over, never those of a process
 * still working beside them; an edit of an earlier run is reported as such. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "core/err.h"
#include "core/str.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

static const char sql_run_insert[] = "INSERT INTO run (id, pid, host) VALUES (?1, ?2, ?3)";
static const char sql_run_end[] = "UPDATE run SET ended_at = " CACHE_NOW " WHERE id = ?1";
static const char sql_run_get[] =
    "SELECT pid, coalesce(host, ''), ended_at IS NOT NULL FROM run WHERE id = ?1";

static void host_name(char *out, size_t outsz)
{
	if (gethostname(out, outsz) < 0)
		out[0] = '\0';
	out[outsz - 1] = '\0';
}

static int run_key_make(char *out, size_t outsz)
{
	unsigned char raw[8];
	ssize_t got = -1;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		got = read(fd, raw, sizeof raw);
		close(fd);
	}
	if (got != (ssize_t)sizeof raw || outsz < 2 * sizeof raw + 1)
		return -1;
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

const char *cache_run_id(struct cache *c, struct err *err)
{
	char host[256];
	char key[sizeof c->run_id];

	if (c->run_id[0] != '\0')
		return c->run_id;
	host_name(host, sizeof host);
	if (run_key_make(key, sizeof key) < 0) {
		err_set(err, "naming this run of annotty: cannot read /dev/urandom");
		return NULL;
	}
	if (CACHE_DB_DO(c, sql_run_insert, NULL, err, "recording this run of annotty", DB_TEXT(key),
	                DB_INT(getpid()), DB_TEXT(host)) < 0)
		return NULL;
	str_copy(c->run_id, key, sizeof c->run_id);
	return c->run_id;
}

void cache_run_end(struct cache *c)
{
	if (c->run_id[0] != '\0')
		CACHE_DB_DO(c, sql_run_end, NULL, NULL, "ending this run", DB_TEXT(c->run_id));
}

/* Whether the process of that run is alive: on this host, asked with signal 0; on another
 * host it cannot be told, so it counts as alive (its edits are left to it). */
static int process_alive(int64_t pid, const char *host)
{
	char mine[256];

	host_name(mine, sizeof mine);
	if (strcmp(host, mine) != 0)
		return 1;
	if (pid <= 0 || pid == (int64_t)getpid())
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

int cache_run_owner(struct cache *c, const char *run, struct err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = RUN_EARLIER;

	if (run == NULL || run[0] == '\0')
		return RUN_EARLIER; /* edits made before runs were recorded */
	if (strcmp(run, c->run_id) == 0)
		return RUN_MINE;
	if (cache_db_prepare(c, sql_run_get, &st, err) < 0)
		return -1;
	cache_db_bind_text(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW && !sqlite3_column_int(st, 2) &&
	    process_alive(sqlite3_column_int64(st, 0), cache_db_text(st, 1)))
		rc = RUN_BESIDE;
	sqlite3_finalize(st);
	return rc;
}

int cache_data_version(struct cache *c, int64_t *version, struct err *err)
{
	*version = 0;
	return CACHE_DB_DO(c, "PRAGMA data_version", version, err,
	                   "asking whether the cache changed") < 0
	           ? -1
	           : 0;
}
