/* The sync engine under faults ends where a clean run ends: the same edits (statuses, tags, a
 * new label, created, moved and deleted boxes, a box where there was no annotation) made in two
 * caches, one synced with a clean stand-in and one with a stand-in that fails on purpose (5xx,
 * 429, drops, latency, malformed and cut answers, expired URLs, answers lost after a write),
 * leave both servers and both caches in the same state, nothing pending, no conflict, no shape
 * made twice; the server saw no page over 1000 and no token at its storage; and a wrong token
 * is a clear error that leaves the outbox as it was. */
#include "api/backend.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "sync_chaos.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAULTS                                                                                     \
	"latency=200ms,5xx=0.1,429=0.05,drop=0.05,malformed=0.02,truncate=0.02,expire=0.05,"       \
	"drop_after_write=0.05,seed=7"
/* syncs one run may take before it must report complete */
#define SYNCS_MAX 12

static char *dir;
static const struct sync_scope cars = {.dataset = "cars", .pull = 1, .push = 1};
static const struct sync_scope cars_v2_images = {
    .dataset = "cars/v2", .pull = 1, .push = 1, .images = 1};

static struct cache *cache_at(const char *name)
{
	char path[4096];
	struct cache *c = NULL;
	struct err err = {0};

	fixture_path(path, sizeof path, dir, name);
	if (cache_open(path, &c, &err) < 0)
		printf("Bail out! %s\n", err.msg);
	return c;
}

/* The whole run on one server: pull, edit, sync until complete, fetch one version's images. */
static struct cache *run(const struct standin *s, const char *name, int *entries)
{
	struct cache *c = cache_at(name);
	struct backend *b = chaos_backend(s, "alice-token");
	struct err err = {0};
	int n;
	double t0 = fixture_now();

	n = chaos_sync_until(c, b, &cars, SYNCS_MAX, &err);
	ok(n > 0, "%s: the first pull completes (%d syncs, %s)", name, n, err.msg);
	ok(chaos_edits(c, 1, entries, &err) == 0, "%s: the edits are made (%s)", name, err.msg);
	n = chaos_sync_until(c, b, &cars, SYNCS_MAX, &err);
	ok(n > 0, "%s: the edits are synced (%d syncs, %s)", name, n, err.msg);
	n = chaos_sync_until(c, b, &cars_v2_images, SYNCS_MAX, &err);
	ok(n > 0, "%s: the images of cars/v2 arrive (%d syncs, %s)", name, n, err.msg);
	is_int(chaos_images(c, "cars/v2"), 40, "%s: each of the 40 in the image store", name);
	printf("# %s: %.1f s\n", name, fixture_now() - t0);
	backend_close(&b);
	return c;
}

/* The state of both servers (the faulty one restarted without faults, so that the look at it
 * is not itself under faults) and of both caches. */
static void compare(struct standin *clean, struct standin *faulty, struct cache *ca,
                    struct cache *cb, const struct chaos_state *seeded)
{
	struct chaos_state sa, sb, xa, xb;
	struct err err = {0};

	ok(chaos_server_state(clean, "cars", &sa, &err) == 0, "the clean server is read (%s)",
	   err.msg);
	ok(chaos_server_state(faulty, "cars", &sb, &err) == 0, "the other one too (%s)", err.msg);
	ok(chaos_state_same(&sa, &sb), "both servers hold the same statuses, tags, shapes, labels");
	ok(strcmp(seeded->text, sa.text) != 0,
	   "and that is not the seed's state: the edits are there");
	is_int(sa.shapes, seeded->shapes + 2, "three boxes made, one shape deleted");
	is_int(sb.shapes, sa.shapes, "the same number of shapes on both");
	is_int(sb.duplicates, seeded->duplicates, "no shape made twice");
	is_int(sb.annotations_extra, seeded->annotations_extra, "no annotation made twice");
	ok(strstr(sb.text, " truck-0") != NULL, "the new label is on the server");
	ok(chaos_cache_state(ca, "cars", &xa, &err) == 0 &&
	       chaos_cache_state(cb, "cars", &xb, &err) == 0,
	   "the caches are read (%s)", err.msg);
	ok(chaos_state_same(&xa, &xb), "both caches hold the same");
	is_int(xb.assets, sb.assets, "the cache has the server's assets");
	is_int(xb.shapes, sb.shapes, "and its shapes");
	is_int(xb.duplicates, 0, "no shape twice in the cache");
	is_int(chaos_pending(ca) + chaos_pending(cb), 0, "nothing pending in either cache");
	is_int(chaos_conflicts(ca) + chaos_conflicts(cb), 0, "no conflict in either");
	chaos_state_clear(&sa);
	chaos_state_clear(&sb);
	chaos_state_clear(&xa);
	chaos_state_clear(&xb);
}

/* A wrong token: a clear error, and the edit waits as it was for a right one. */
static void wrong_token(const struct standin *s, struct cache *c)
{
	struct backend *b = chaos_backend(s, "not-a-token");
	struct sync_hooks asked = {.eager = 1};
	int64_t asset = 0;
	struct sync_report rep;
	struct err err = {0};
	char *before, *after;
	int rc;

	{
		sqlite3_stmt *st = NULL;

		sqlite3_prepare_v2(c->db,
		                   "SELECT a.id FROM asset a JOIN dataset d ON d.id = a.dataset_id"
		                   " WHERE d.name = 'cars/v2' ORDER BY a.filename LIMIT 1 OFFSET 9",
		                   -1, &st, NULL);
		if (sqlite3_step(st) == SQLITE_ROW)
			asset = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	ok(cache_tag_add(c, asset, "after-login", &err) == 0, "one more edit (%s)", err.msg);
	before = chaos_outbox_text(c);
	rc = sync_source(c, b, &cars, &asked, &rep, &err);
	ok(rc < 0 && err_kind_of(&err) == ERR_AUTH, "a wrong token fails the sync as auth (%s)",
	   err.msg);
	ok(strstr(err.msg, "login") != NULL || strstr(err.msg, "PICSELLIA_TOKEN") != NULL,
	   "and says what to do");
	ok(!rep.complete && rep.pushed == 0, "nothing was pushed");
	after = chaos_outbox_text(c);
	ok(before && after && strcmp(before, after) == 0, "the outbox is as it was");
	if (before && after && strcmp(before, after) != 0)
		printf("# before:\n%s# after:\n%s", before, after);
	free(before);
	free(after);
	backend_close(&b);
}

int main(void)
{
	static const char *const faults[] = {"--faults", FAULTS, NULL};
	struct standin clean, faulty;
	struct chaos_state seeded;
	struct cache *ca, *cb;
	struct err err = {0};
	int na = 0, nb = 0;

	dir = fixture_tmpdir();
	standin_start(&clean, NULL);
	standin_start(&faulty, faults);
	ok(chaos_server_state(&clean, "cars", &seeded, &err) == 0, "the seed's state (%s)",
	   err.msg);
	ca = run(&clean, "clean.db", &na);
	cb = run(&faulty, "faulty.db", &nb);
	is_int(nb, na, "the same %d edits queued in both", na);
	is_int(standin_violations(&clean), 0, "the clean server saw no violation");
	is_int(standin_violations(&faulty), 0, "nor did the faulty one");
	standin_restart(&faulty, NULL);
	compare(&clean, &faulty, ca, cb, &seeded);
	wrong_token(&clean, ca);
	is_int(standin_violations(&clean), 0, "no violation after the wrong token either");
	chaos_state_clear(&seeded);
	cache_close(&ca);
	cache_close(&cb);
	standin_stop(&clean);
	standin_stop(&faulty);
	fixture_rmdir(&dir);
	return done_testing();
}
