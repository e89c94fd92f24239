/* kill -9 during a sync, then a restart: a child process runs sync_source and is killed with
 * SIGKILL at a random moment, again and again, then a last sync runs to the end; the cache is
 * never corrupt, every edit is on the server exactly once (no shape made twice, none lost, the
 * same statuses, tags and labels as a run never killed), nothing is pending or in conflict, and
 * a pull resumes where it stopped. The two windows a kill can hit between the server acting and
 * the cache recording it (an edit sent and not marked, a pull's last page stored and the pull
 * not ended) are also hit on purpose. SYNC_CHAOS_RUNS (2 by default) runs of five kills each,
 * alternately during a push and during a pull, within SYNC_CHAOS_SECONDS (by default 120 s and 8 s
 * a run). */
#include "api/backend.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "sync_chaos.h"
#include "tap.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KILLS_PER_RUN 5
#define EDIT_ROUNDS   5
#define BENCH_ASSETS  "3000"
#define SYNCS_MAX     6
/* the small seed's server answers a little slower than loopback, so that a push lasts long
 * enough for kills to land all over it */
#define SLOW "latency=5ms"

static char *dir;
static const struct sync_scope cars = {.dataset = "cars", .pull = 1, .push = 1};
static const struct sync_scope bench = {.dataset = "bench/v1", .pull = 1};
static const struct sync_hooks asked = {.eager = 1};

/* The server and caches a run starts from, and what a run never killed ends with. */
struct world {
	struct standin cars;  /* the small seed, restored before each push run */
	struct standin bench; /* BENCH_ASSETS assets, only read */
	char port[16];
	char server_template[4096];
	char cache_template[4096];
	struct chaos_state want_server, want_cache, want_pull;
	double push_seconds, pull_seconds;
	int kills, hits;
};

static void path_in(char *out, size_t outsz, const char *name)
{
	fixture_path(out, outsz, dir, name);
}

static int copy_file(const char *from, const char *to)
{
	char cmd[9000];

	snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
	return system(cmd) == 0 ? 0 : -1;
}

static void remove_db(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

static struct cache *open_cache(const char *path)
{
	struct cache *c = NULL;
	struct err err = {0};

	if (cache_open(path, &c, &err) < 0)
		printf("# cache_open: %s\n", err.msg);
	return c;
}

/* The server back to its template state, on the same port (the cache knows it by its URL). */
static void server_restore(struct world *w)
{
	const char *again[] = {"--port", w->port, "--faults", SLOW, NULL};
	char live[4200];

	standin_stop(&w->cars);
	snprintf(live, sizeof live, "%s/picsellia.sqlite", w->cars.state);
	remove_db(live);
	if (copy_file(w->server_template, live) < 0)
		printf("Bail out! cannot restore the server's state\n"), exit(1);
	standin_restart(&w->cars, again);
}

/* A child that syncs the cache at path with the server and exits 0 when it completed. */
static pid_t sync_child(const char *path, const struct standin *s, const struct sync_scope *scope)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct cache *c = open_cache(path);
		struct backend *b = chaos_backend(s, "alice-token");
		struct sync_report rep;
		struct err err = {0};
		int rc = c && b ? sync_source(c, b, scope, &asked, &rep, &err) : -1;

		backend_close(&b);
		cache_close(&c);
		_exit(rc == 0 && rep.complete ? 0 : 1);
	}
	return pid;
}

/* KILLS_PER_RUN children, each killed after a random part of `seconds` (unless it ended). */
static void kill_loop(struct world *w, const char *path, const struct standin *s,
                      const struct sync_scope *scope, double seconds)
{
	for (int k = 0; k < KILLS_PER_RUN; k++) {
		pid_t pid = sync_child(path, s, scope);
		/* each child has less left to do than the one before it */
		double window = seconds * (KILLS_PER_RUN - k) / KILLS_PER_RUN;
		useconds_t delay = (useconds_t)(window * 1e6 * (rand() % 1000) / 1000.0);
		int status;

		usleep(delay);
		w->kills++;
		if (waitpid(pid, &status, WNOHANG) == 0) {
			kill(pid, SIGKILL);
			w->hits++;
		}
		waitpid(pid, &status, 0);
	}
}

/* ---- what the runs are compared with ------------------------------------------------------ */

static void prepare_push(struct world *w)
{
	struct cache *c;
	struct backend *b;
	struct err err = {0};
	char path[4096], live[4200];
	int entries = 0;
	double t0;

	path_in(w->cache_template, sizeof w->cache_template, "template.db");
	c = open_cache(w->cache_template);
	b = chaos_backend(&w->cars, "alice-token");
	ok(chaos_sync_until(c, b, &cars, SYNCS_MAX, &err) > 0, "the template cache is pulled (%s)",
	   err.msg);
	backend_close(&b);
	cache_close(&c);
	standin_stop(&w->cars);
	snprintf(live, sizeof live, "%s/picsellia.sqlite", w->cars.state);
	path_in(w->server_template, sizeof w->server_template, "server-template.sqlite");
	if (copy_file(live, w->server_template) < 0)
		printf("Bail out! cannot keep the server's state\n"), exit(1);
	server_restore(w);
	/* the run never killed */
	path_in(path, sizeof path, "reference.db");
	copy_file(w->cache_template, path);
	c = open_cache(path);
	ok(chaos_edits(c, EDIT_ROUNDS, &entries, &err) == 0, "%d edits queued (%s)", entries,
	   err.msg);
	b = chaos_backend(&w->cars, "alice-token");
	t0 = fixture_now();
	ok(chaos_sync_until(c, b, &cars, 1, &err) == 1, "a sync never killed pushes them (%s)",
	   err.msg);
	w->push_seconds = fixture_now() - t0;
	ok(chaos_server_state(&w->cars, "cars", &w->want_server, &err) == 0 &&
	       chaos_cache_state(c, "cars", &w->want_cache, &err) == 0,
	   "its end state is read (%s)", err.msg);
	printf("# a push and pull of %d edits takes %.2f s\n", entries, w->push_seconds);
	backend_close(&b);
	cache_close(&c);
}

static void prepare_pull(struct world *w)
{
	struct cache *c;
	struct backend *b;
	struct err err = {0};
	char path[4096];
	double t0;

	path_in(path, sizeof path, "pull-reference.db");
	c = open_cache(path);
	b = chaos_backend(&w->bench, "alice-token");
	t0 = fixture_now();
	ok(chaos_sync_until(c, b, &bench, 1, &err) == 1, "a pull never killed (%s)", err.msg);
	w->pull_seconds = fixture_now() - t0;
	ok(chaos_cache_state(c, "bench", &w->want_pull, &err) == 0, "its end state is read (%s)",
	   err.msg);
	is_int(w->want_pull.assets, atoi(BENCH_ASSETS), "it has the server's %s assets",
	       BENCH_ASSETS);
	printf("# a pull of %s assets takes %.2f s\n", BENCH_ASSETS, w->pull_seconds);
	backend_close(&b);
	cache_close(&c);
}

/* ---- after the kills ---------------------------------------------------------------------- */

/* The last sync, run to the end, and what the cache and the server then hold. */
static void final_check(const char *what, const char *path, const struct standin *s,
                        const struct sync_scope *scope, const char *dataset,
                        const struct chaos_state *want_cache, const struct chaos_state *want_server)
{
	struct cache *c = open_cache(path);
	struct backend *b = chaos_backend(s, "alice-token");
	struct chaos_state got = {0};
	struct err err = {0};
	int n, same;

	ok(c != NULL && chaos_integrity_ok(c), "%s: the cache is sound (integrity_check ok)", what);
	n = chaos_sync_until(c, b, scope, SYNCS_MAX, &err);
	ok(n > 0, "%s: a last sync completes (%d syncs, %s)", what, n, err.msg);
	is_int(chaos_pending(c), 0, "%s: nothing pending", what);
	is_int(chaos_conflicts(c), 0, "%s: no conflict", what);
	same = chaos_cache_state(c, dataset, &got, &err) == 0 && chaos_state_same(want_cache, &got);
	ok(same, "%s: the cache holds what a run never killed holds (%ld assets, %ld shapes)", what,
	   got.assets, got.shapes);
	chaos_state_clear(&got);
	if (want_server != NULL) {
		same = chaos_server_state(s, dataset, &got, &err) == 0 &&
		       chaos_state_same(want_server, &got);
		ok(same, "%s: the server has every edit once, none lost (%ld shapes, %ld twice)",
		   what, got.shapes, got.duplicates);
		chaos_state_clear(&got);
	}
	is_int(standin_violations(s), 0, "%s: no page over 1000, no token at the storage", what);
	backend_close(&b);
	cache_close(&c);
}

static void push_run(struct world *w, int run)
{
	char path[4096], name[64], what[64];
	struct err err = {0};
	struct cache *c;
	int entries = 0;

	server_restore(w);
	snprintf(name, sizeof name, "push-%d.db", run);
	snprintf(what, sizeof what, "run %d (push)", run);
	path_in(path, sizeof path, name);
	remove_db(path);
	copy_file(w->cache_template, path);
	c = open_cache(path);
	if (chaos_edits(c, EDIT_ROUNDS, &entries, &err) < 0)
		printf("# %s: %s\n", what, err.msg);
	cache_close(&c);
	kill_loop(w, path, &w->cars, &cars, w->push_seconds);
	final_check(what, path, &w->cars, &cars, "cars", &w->want_cache, &w->want_server);
	remove_db(path);
}

static long log_last_seq(const struct standin *s)
{
	cJSON *log = standin_log(s);
	const cJSON *it;
	long seq = 0;

	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(log, "items"))
	{
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "seq");

		if (cJSON_IsNumber(v) && (long)v->valuedouble > seq)
			seq = (long)v->valuedouble;
	}
	cJSON_Delete(log);
	return seq;
}

/* Pages of the pull asked for after seq: how many, and how many went back to an offset before
 * one already asked for while the pull was not at its last page (a resume that starts over). */
static void pages_since(const struct standin *s, long seq, long total, int *pages, int *back)
{
	char path[64];
	cJSON *log;
	const cJSON *it;
	long max = -1;

	snprintf(path, sizeof path, "/_standin/log?since=%ld", seq);
	usleep(200000); /* the last request is recorded after its answer */
	log = standin_get(s, path, 0);
	*pages = *back = 0;
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(log, "items"))
	{
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, "path");
		const cJSON *q = cJSON_GetObjectItemCaseSensitive(it, "query");
		const char *off = cJSON_IsString(q) ? strstr(q->valuestring, "offset=") : NULL;
		long at = off ? atol(off + 7) : 0;

		if (!cJSON_IsString(p) || strstr(p->valuestring, "/assets/extended") == NULL)
			continue;
		(*pages)++;
		*back += at < max && max < total - 1000;
		max = at < max && max >= total - 1000 ? at : (at > max ? at : max);
	}
	cJSON_Delete(log);
}

static void pull_run(struct world *w, int run)
{
	char path[4096], name[64], what[64];
	long seq = log_last_seq(&w->bench);
	int pages, back;

	snprintf(name, sizeof name, "pull-%d.db", run);
	snprintf(what, sizeof what, "run %d (pull)", run);
	path_in(path, sizeof path, name);
	remove_db(path);
	kill_loop(w, path, &w->bench, &bench, w->pull_seconds);
	pages_since(&w->bench, seq, atol(BENCH_ASSETS), &pages, &back);
	is_int(back, 0, "%s: each restart resumed where the pull stopped (%d pages asked)", what,
	       pages);
	final_check(what, path, &w->bench, &bench, "bench", &w->want_pull, NULL);
	remove_db(path);
}

/* ---- the windows, hit on purpose ---------------------------------------------------------- */

static void stop_after_one(const char *what, int64_t done, int64_t total, void *ctx)
{
	(void)what, (void)done, (void)total;
	atomic_store((atomic_int *)ctx, 1);
}

/* Each entry is sent, then the process "dies" before marking it (the entry stays pending), and
 * a sync sends it again: the server must end as if it had been sent once. */
static void window_push(struct world *w)
{
	char path[4096];
	int64_t ids[8];
	struct cache *c;
	struct backend *b;
	struct err err = {0};
	int entries = 0, n = 0, resent = 0, conflicts = 0;

	server_restore(w);
	path_in(path, sizeof path, "window-push.db");
	remove_db(path);
	copy_file(w->cache_template, path);
	c = open_cache(path);
	b = chaos_backend(&w->cars, "alice-token");
	chaos_edits(c, EDIT_ROUNDS, &entries, &err);
	cache_source_datasets(c, b->locator, ids, 8, &n, &err);
	for (int i = 0; i < n; i++) {
		struct outbox_entry e;

		while (cache_outbox_next(c, ids[i], &e, &err) == 1) {
			atomic_int stop = 0;
			struct sync_hooks one = {
			    .progress = stop_after_one, .ctx = &stop, .cancel = &stop, .eager = 1};
			struct push_answer ans = {0};
			struct push_result res;

			/* sent, and the answer never recorded */
			if (backend_push(b, &e.change, &ans, &err) == 0 && ans.outcome == PUSH_DONE)
				resent++;
			push_answer_clear(&ans);
			cache_outbox_entry_clear(&e);
			if (sync_push(c, b, ids[i], &one, &res, &err) < 0 ||
			    res.pushed + res.conflicts != 1)
				break;
			conflicts += res.conflicts;
		}
	}
	is_int(resent, entries, "each of the %d edits sent once without its answer recorded",
	       entries);
	is_int(conflicts, 0, "sending them again meets no conflict");
	backend_close(&b);
	cache_close(&c);
	final_check("sent and not marked", path, &w->cars, &cars, "cars", &w->want_cache,
	            &w->want_server);
}

static int64_t sql_assets(struct cache *c)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(c->db, "SELECT count(*) FROM asset", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static char *bench_version(struct backend *b)
{
	struct container_list ds = {0}, vs = {0};
	struct err err = {0};
	char *id = NULL;

	if (backend_list(b, CONTAINER_DATASET, NULL, &ds, &err) == 0)
		for (int i = 0; i < ds.n && id == NULL; i++)
			if (strcmp(ds.items[i].name, "bench") == 0 &&
			    backend_list(b, CONTAINER_VERSION, ds.items[i].ext_id, &vs, &err) ==
			        0 &&
			    vs.n > 0)
				id = strdup(vs.items[0].ext_id);
	container_list_clear(&vs);
	container_list_clear(&ds);
	return id;
}

/* Every page stored, and the process gone before the pull was ended: the next sync ends it
 * without asking for a page again. */
static void window_pull(struct world *w)
{
	char path[4096];
	struct cache *c;
	struct backend *b = chaos_backend(&w->bench, "alice-token");
	char *version = bench_version(b), *cursor = NULL;
	struct cache_pull_target t = {.kind = "picsellia",
	                              .locator = b->locator,
	                              .container_ext_id = version,
	                              .name = "bench/v1",
	                              .version_name = "v1"};
	struct cache_pull_resume resume = {0};
	struct pull_result res;
	struct err err = {0};
	int64_t ds = 0;
	int pages = 0, back = 0, stored = 0;
	long seq;

	path_in(path, sizeof path, "window-pull.db");
	remove_db(path);
	c = open_cache(path);
	if (version != NULL && cache_pull_begin(c, &t, &ds, &resume, &err) == 0) {
		do {
			struct backend_page page = {0};

			if (backend_pull(b, version, cursor, &page, &err) < 0 ||
			    cache_pull_page(c, ds, page.doc, page.next_cursor, page.total, NULL,
			                    &err) < 0) {
				backend_page_clear(&page);
				break;
			}
			stored++;
			free(cursor);
			cursor = page.next_cursor;
			page.next_cursor = NULL;
			backend_page_clear(&page);
		} while (cursor != NULL);
	}
	ok(stored == 3 && cursor == NULL, "every page stored, the pull not ended (%s)", err.msg);
	seq = log_last_seq(&w->bench);
	ok(sync_pull_container(c, b, &t, &asked, &res, NULL, &err) == 0,
	   "the next pull ends it (%s)", err.msg);
	pages_since(&w->bench, seq, atol(BENCH_ASSETS), &pages, &back);
	is_int(pages, 0, "without asking for a page again");
	is_int(sql_assets(c), atol(BENCH_ASSETS), "the cache has every asset once");
	free(cursor);
	free(resume.cursor);
	free(version);
	backend_close(&b);
	cache_close(&c);
}

static int env_int(const char *name, int fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? atoi(v) : fallback;
}

int main(void)
{
	static const char *const big[] = {"--seed", BENCH_ASSETS, NULL};
	static const char *const slow[] = {"--faults", SLOW, NULL};
	static struct world w;
	int runs = env_int("SYNC_CHAOS_RUNS", 2), budget;
	unsigned seed = (unsigned)env_int("SYNC_CHAOS_SEED", (int)time(NULL));
	double t0 = fixture_now();
	int done = 0;

	/* a bound on the whole loop: about 8 s a run on a slow machine, at least two minutes */
	budget = env_int("SYNC_CHAOS_SECONDS", 120 + 8 * runs);

	srand(seed);
	printf("# SYNC_CHAOS_SEED=%u SYNC_CHAOS_RUNS=%d\n", seed, runs);
	dir = fixture_tmpdir();
	standin_start(&w.cars, slow);
	snprintf(w.port, sizeof w.port, "%s", strrchr(w.cars.url, ':') + 1);
	standin_start(&w.bench, big);
	prepare_push(&w);
	prepare_pull(&w);
	window_push(&w);
	window_pull(&w);
	for (; done < runs && fixture_now() - t0 < budget; done++) {
		if (done % 2 == 0)
			push_run(&w, done);
		else
			pull_run(&w, done);
	}
	printf("# %d runs, %d kills, %d of them while the sync ran, in %.1f s\n", done, w.kills,
	       w.hits, fixture_now() - t0);
	is_int(done, runs, "every run asked for ran within %d s", budget);
	ok(w.hits * 10 >= w.kills * 4, "most kills hit a running sync (%d of %d)", w.hits, w.kills);
	chaos_state_clear(&w.want_server);
	chaos_state_clear(&w.want_cache);
	chaos_state_clear(&w.want_pull);
	standin_stop(&w.cars);
	standin_stop(&w.bench);
	fixture_rmdir(&dir);
	return done_testing();
}
