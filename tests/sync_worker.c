/* The sync worker against the stand-in server: a sync asked for runs on its thread and says so
 * (started, progress, done with the server's counts, then the catalog) through the wake-up
 * descriptor; an asset's image is fetched on demand into the store; with the server gone the
 * sync ends offline and the edit stays queued; stopping during a sync returns promptly. */
#include "api/backend.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync_worker.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "tap.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir;
static char db_path[4096];

static struct backend *open_as(const struct standin *s)
{
	struct backend_locator loc = {.kind = "picsellia",
	                              .host = s->url,
	                              .organization = "demo-org",
	                              .token = "alice-token"};
	struct backend *b = NULL;
	struct err err = {0};

	if (backend_open(&loc, &b, &err) < 0)
		printf("# backend_open: %s\n", err.msg);
	return b;
}

static struct sync_worker *worker_for(const struct standin *s)
{
	struct sync_worker_config cfg = {.cache_path = db_path, .backend = open_as(s), .nimage = 2};
	struct sync_worker *w = NULL;
	struct err err = {0};

	cfg.image_backends[0] = open_as(s);
	cfg.image_backends[1] = open_as(s);
	if (sync_worker_start(&cfg, &w, &err) < 0)
		printf("# sync_worker_start: %s\n", err.msg);
	return w;
}

/* What came back while waiting for an event of kind `until` (at most seconds). */
struct seen {
	int started, progress, done, catalog, images;
	struct sync_event last_done;
	int catalog_versions;
	char catalog_type[64];
	int64_t image_asset;
	int image_failed;
};

static int wait_for(struct sync_worker *w, enum sync_event_kind until, int seconds,
                    struct seen *seen)
{
	struct pollfd p = {.fd = sync_worker_fd(w), .events = POLLIN};
	int got = 0;

	for (int i = 0; i < seconds * 10 && !got; i++) {
		struct sync_event *list, *e;

		if (poll(&p, 1, 100) <= 0)
			continue;
		list = sync_worker_collect(w);
		for (e = list; e != NULL; e = e->next) {
			got |= e->kind == until;
			seen->started += e->kind == SYNC_EVENT_STARTED;
			seen->progress += e->kind == SYNC_EVENT_PROGRESS;
			if (e->kind == SYNC_EVENT_DONE) {
				seen->done++;
				seen->last_done = *e;
				seen->last_done.next = NULL;
				seen->last_done.catalog = NULL;
			}
			if (e->kind == SYNC_EVENT_CATALOG) {
				seen->catalog++;
				seen->catalog_versions = e->ncatalog;
				for (int k = 0; k < e->ncatalog; k++)
					if (strcmp(e->catalog[k].name, "fields/v1") == 0)
						snprintf(seen->catalog_type,
						         sizeof seen->catalog_type, "%s",
						         e->catalog[k].type);
			}
			if (e->kind == SYNC_EVENT_IMAGE) {
				seen->images++;
				seen->image_asset = e->asset_id;
				seen->image_failed = e->failed;
			}
		}
		sync_events_free(list);
	}
	return got;
}

static int64_t sql_int(struct cache *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_sync_and_image(struct standin *s, struct cache *ui)
{
	struct sync_worker *w = worker_for(s);
	struct seen seen = {0};
	struct cache_image_ref ref;
	struct err err = {0};
	int64_t asset;

	ok(w != NULL && sync_worker_fd(w) >= 0, "the worker starts with a descriptor to poll");
	if (w == NULL)
		return;
	sync_worker_sync(w, NULL, 1);
	ok(sync_worker_busy(w), "a sync asked for is under way");
	ok(wait_for(w, SYNC_EVENT_DONE, 60, &seen), "the sync ends");
	ok(seen.started == 1, "it said it started");
	ok(seen.progress >= 1, "and how far it got (%d progress events)", seen.progress);
	ok(!seen.last_done.failed && seen.last_done.link == SYNC_LINK_ONLINE, "done, online (%s)",
	   seen.last_done.err_msg);
	is_int(seen.last_done.report.versions, 3, "three versions pulled");
	is_int((int)seen.last_done.report.assets, 150, "with the server's 150 assets");
	ok(wait_for(w, SYNC_EVENT_CATALOG, 20, &seen), "then the catalog");
	is_int(seen.catalog_versions, 3, "listing the three versions");
	ok(strcmp(seen.catalog_type, "SEGMENTATION") == 0, "with their types (fields/v1: %s)",
	   seen.catalog_type);
	ok(!sync_worker_busy(w), "nothing runs after it");
	is_int(sql_int(ui, "SELECT count(*) FROM asset"), 150,
	       "the UI's own connection reads what the worker wrote");

	asset = sql_int(ui, "SELECT min(id) FROM asset WHERE path IS NULL OR path = ''");
	sync_worker_image(w, asset, 1);
	ok(wait_for(w, SYNC_EVENT_IMAGE, 20, &seen) && seen.image_asset == asset &&
	       !seen.image_failed,
	   "an asset's image is fetched on demand");
	ok(cache_asset_image_ref(ui, asset, &ref, &err) == 0 && ref.has_file,
	   "and recorded in the store");
	{
		struct asset_detail d;
		ok(cache_asset_get(ui, asset, &d, &err) == 0 && access(d.path, R_OK) == 0,
		   "the file is there (%s)", d.path);
		cache_asset_detail_free(&d);
	}
	memset(&seen, 0, sizeof seen);
	sync_worker_image(w, asset, 0);
	ok(wait_for(w, SYNC_EVENT_IMAGE, 5, &seen) && !seen.image_failed,
	   "asked again, it is answered from the store");
	sync_worker_stop(&w);
	ok(w == NULL, "the worker stops");
}

static void test_offline(struct standin *s, struct cache *ui)
{
	struct sync_worker *w = worker_for(s);
	struct seen seen = {0};
	struct err err = {0};
	int64_t asset = sql_int(ui, "SELECT min(id) FROM asset");
	int pending = 0;

	ok(cache_review_set(ui, asset, REVIEW_REJECTED, &err) == 0, "an edit is made (%s)",
	   err.msg);
	standin_stop(s);
	sync_worker_sync(w, NULL, 1);
	ok(wait_for(w, SYNC_EVENT_DONE, 60, &seen), "a sync with the server gone ends");
	ok(seen.last_done.failed && seen.last_done.link == SYNC_LINK_OFFLINE &&
	       seen.last_done.err_kind == ERR_OFFLINE,
	   "offline (%s)", seen.last_done.err_msg);
	ok(seen.catalog == 0, "no catalog from a server that is not there");
	cache_outbox_pending(ui,
	                     sql_int(ui, "SELECT dataset_id FROM asset WHERE id = (SELECT"
	                                 " min(id) FROM asset)"),
	                     &pending, &err);
	ok(pending >= 1, "the edit waits in the outbox (%d)", pending);
	sync_worker_stop(&w);
}

static void test_stop_during_sync(void)
{
	struct standin big;
	const char *const seed[] = {"--seed", "20000", NULL};
	struct sync_worker *w;
	struct seen seen = {0};
	double t0;

	snprintf(db_path + strlen(db_path) - 3, 8, "2.db");
	standin_start(&big, seed);
	w = worker_for(&big);
	sync_worker_sync(w, NULL, 0);
	wait_for(w, SYNC_EVENT_PROGRESS, 30, &seen);
	ok(seen.progress >= 1, "a large sync is under way");
	t0 = fixture_now();
	sync_worker_stop(&w);
	ok(fixture_now() - t0 < 5, "stopping it returns within a page (%.2f s)",
	   fixture_now() - t0);
	standin_stop(&big);
}

int main(void)
{
	struct standin s;
	struct cache *ui = NULL;
	struct err err = {0};

	dir = fixture_tmpdir();
	fixture_path(db_path, sizeof db_path, dir, "cache.db");
	standin_start(&s, NULL);
	if (cache_open(db_path, &ui, &err) < 0)
		printf("# %s\n", err.msg);
	test_sync_and_image(&s, ui);
	test_offline(&s, ui);
	cache_close(&ui);
	test_stop_during_sync();
	fixture_rmdir(&dir);
	return done_testing();
}
