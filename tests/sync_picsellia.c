/* The sync engine with the Picsellia backend against the stand-in server: a full sync gives the
 * server's counts, edits made while the server is down reach it after it comes back, a change
 * made on the server beside an edit becomes a conflict resolved both ways, and a sync under
 * faults ends where a clean one does. */
#include "api/backend.h"
#include "api/picsellia/picsellia.h"
#include "api_standin.h"
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache/sync.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

static int64_t sql_int(struct cache *c, const char *sql, const char *arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static struct backend *open_as(const struct standin *s, const char *token)
{
	struct backend_locator loc = {
	    .kind = "picsellia", .host = s->url, .organization = "demo-org", .token = token};
	struct backend *b = NULL;
	struct err err = {0};

	if (backend_open(&loc, &b, &err) < 0)
		printf("# backend_open: %s\n", err.msg);
	return b;
}

static struct cache *cache_at(const char *name)
{
	char path[4096];
	struct cache *c = NULL;
	struct err err = {0};

	fixture_path(path, sizeof path, dir, name);
	if (cache_open(path, &c, &err) < 0)
		printf("# %s\n", err.msg);
	return c;
}

static const struct sync_scope everything = {.pull = 1, .push = 1};
/* as `annotty sync` asks: what was put off is tried now */
static const struct sync_hooks asked = {.eager = 1};

static int64_t dataset_named(struct cache *c, const char *name)
{
	return sql_int(c, "SELECT id FROM dataset WHERE name = ?1", name);
}

static void test_full(struct standin *s)
{
	struct cache *c = cache_at("full.db");
	struct backend *b = open_as(s, "alice-token");
	struct sync_scope images = {.pull = 1, .push = 1, .images = 1, .dataset = "cars/v2"};
	struct sync_report rep;
	struct err err = {0};

	ok(sync_source(c, b, &everything, &asked, &rep, &err) == 0 && rep.complete,
	   "a full sync (%s)", err.msg);
	is_int(rep.versions, 3, "three dataset versions");
	is_int(sql_int(c,
	               "SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	               " WHERE d.name = ?1",
	               "cars/v1"),
	       60, "cars/v1 has the server's 60 assets");
	is_int(sql_int(c,
	               "SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	               " WHERE d.name = ?1",
	               "cars/v2"),
	       40, "cars/v2 its 40");
	is_int(sql_int(c,
	               "SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	               " WHERE d.name = ?1",
	               "fields/v1"),
	       50, "fields/v1 its 50");
	ok(sql_int(c,
	           "SELECT count(*) FROM shape s JOIN asset a ON a.id = s.asset_id JOIN dataset"
	           " d ON d.id = a.dataset_id WHERE d.name = ?1",
	           "cars/v1") > 60,
	   "with their shapes");
	{
		int rc = sync_source(c, b, &images, &asked, &rep, &err);

		ok(rc == 0 && rep.images == 40, "the images of one version fetched (%d, %s)",
		   rep.images, err.msg);
	}
	is_int(sql_int(c,
	               "SELECT count(*) FROM asset a JOIN dataset d ON d.id = a.dataset_id"
	               " WHERE d.name = ?1 AND a.path LIKE '%/images/%'",
	               "cars/v2"),
	       40, "each kept in the image store");
	ok(sync_source(c, b, &images, &asked, &rep, &err) == 0 && rep.images == 0,
	   "a second sync downloads none again");
	{
		/* a budget smaller than the store: the least recently shown leave first */
		struct sync_scope small = {
		    .pull = 1, .images = 1, .dataset = "fields/v1", .image_budget = 2000000};
		int64_t before = 0, after = 0;
		int removed = 0, rc;

		cache_image_store_size(c, &before, &err);
		rc = sync_source(c, b, &small, &asked, &rep, &err);
		cache_image_store_size(c, &after, &err);
		ok(rc == 0 && before > 2000000 && after <= 2000000 && rep.images > 0,
		   "a sync fills the store only up to its budget (%lld bytes before, %lld after, "
		   "%d "
		   "fetched)",
		   (long long)before, (long long)after, rep.images);
		ok(cache_images_trim(c, 500000, &removed, &err) == 0 && removed > 0,
		   "trimming to a smaller budget drops files (%d)", removed);
		cache_image_store_size(c, &after, &err);
		ok(after <= 500000, "the store holds at most the budget (%lld)", (long long)after);
		is_int(
		    sql_int(c,
		            "SELECT count(*) FROM asset WHERE path IS NOT NULL AND path <> '' AND"
		            " id NOT IN (SELECT asset_id FROM image_store) AND path LIKE ?1",
		            "%/images/%"),
		    0, "no asset names a file the store dropped");
	}
	/* the campaign on cars/v1: alice annotates (30 pending, 3 of them returned), bob reviews */
	is_int(sql_int(c,
	               "SELECT count(*) FROM step s JOIN campaign k ON k.id = s.campaign_id JOIN"
	               " dataset_version v ON v.id = k.version_id JOIN dataset d ON"
	               " d.id = v.dataset_id WHERE d.name = ?1",
	               "cars/v1"),
	       2, "the campaign's two steps are in the cache");
	is_int(sql_int(c,
	               "SELECT count(*) FROM assignment a JOIN app_user u ON u.id = a.user_id"
	               " WHERE u.is_me = 1 AND a.status = 'PENDING' AND a.current = 1 AND ?1 = ?1",
	               ""),
	       30, "alice's 30 pending tasks");
	is_int(sql_int(c,
	               "SELECT count(*) FROM assignment a JOIN app_user u ON u.id = a.user_id"
	               " WHERE u.is_me = 1 AND a.status = 'PENDING' AND a.current = 1"
	               " AND a.rejected_count > 0 AND a.comment IS NOT NULL AND ?1 = ?1",
	               ""),
	       3, "3 of them returned with a comment");
	is_int(sql_int(c, "SELECT count(*) FROM app_user WHERE username = ?1 AND is_me = 0", "bob"),
	       1, "bob is known by name, for the steps' assignees");
	{
		struct sync_scope lake = {.datalake = 1};
		int rc = sync_source(c, b, &lake, &asked, &rep, &err);

		ok(rc == 0 && rep.data == 204, "the datalake's 204 items pulled (%lld, %s)",
		   (long long)rep.data, err.msg);
		is_int(sql_int(c, "SELECT count(*) FROM data WHERE ?1 = ?1", ""), 204,
		       "each once in the cache");
		ok(sql_int(c,
		           "SELECT count(*) FROM data_tag t JOIN datalake_tag g ON g.id = t.tag_id"
		           " WHERE g.name = ?1",
		           "night") > 0,
		   "with their tags");
		rc = sync_source(c, b, &lake, &asked, &rep, &err);
		is_int(sql_int(c, "SELECT count(*) FROM data WHERE ?1 = ?1", ""), 204,
		       "a second pull stores none twice");
	}
	is_int(standin_violations(s), 0, "no page over 1000 and no token to the storage");
	backend_close(&b);
	cache_close(&c);
}

/* Asks the server itself, with its own client, whether the asset has the accept and the tag. */
static void server_has(const struct standin *s, const char *asset)
{
	struct picsellia_config cfg = {
	    .host = s->url, .token = "bob-token", .org_name = "demo-org"};
	struct picsellia *p = NULL;
	struct err err = {0};
	enum review_status status = REVIEW_PENDING;
	char *annotation = NULL, **tags = NULL;
	int ntags = 0, tagged = 0;

	if (picsellia_new(&cfg, &p, &err) < 0 || picsellia_connect(p, &err) < 0 ||
	    picsellia_annotation_current(p, asset, &annotation, &status, &err) < 0 ||
	    picsellia_asset_tags_current(p, asset, &tags, &ntags, &err) < 0)
		printf("# asking the server: %s\n", err.msg);
	for (int i = 0; i < ntags; i++)
		tagged |= strcmp(tags[i], "checked-offline") == 0;
	is_int(status, REVIEW_ACCEPTED, "the server's API shows the accept");
	ok(tagged, "and the tag");
	picsellia_names_free(&tags, ntags);
	free(annotation);
	picsellia_free(&p);
}

static void test_offline_edits(struct standin *s)
{
	struct cache *c = cache_at("offline.db");
	struct backend *b = open_as(s, "alice-token");
	struct sync_report rep;
	struct err err = {0};
	int64_t ds, a;
	char path[256], ext[128] = "";

	sync_source(c, b, &everything, &asked, &rep, &err);
	ds = dataset_named(c, "cars/v2");
	a = sql_int(c,
	            "SELECT min(id) FROM asset WHERE dataset_id = (SELECT id FROM dataset WHERE"
	            " name = ?1)",
	            "cars/v2");
	{
		sqlite3_stmt *st = NULL;

		sqlite3_prepare_v2(c->db, "SELECT ext_id FROM asset WHERE id = ?1", -1, &st, NULL);
		sqlite3_bind_int64(st, 1, a);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(ext, sizeof ext, "%s", (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	standin_stop(s);
	ok(cache_review_set(c, a, REVIEW_ACCEPTED, &err) == 0 &&
	       cache_tag_add(c, a, "checked-offline", &err) == 0,
	   "an accept and a tag made with the server down (%s)", err.msg);
	ok(sync_source(c, b, &everything, &asked, &rep, &err) < 0 &&
	       (err_kind_of(&err) == ERR_OFFLINE || err_kind_of(&err) == ERR_RETRY ||
	        rep.waiting > 0),
	   "the sync says the server cannot be reached (%s)", err.msg);
	{
		int pending = 0;

		cache_outbox_pending(c, ds, &pending, &err);
		is_int(pending, 2, "both edits still wait, nothing lost");
	}
	backend_close(&b);
	{
		/* the same host again: the cache knows a source by it */
		char port[16];
		const char *again[] = {"--port", port, NULL};

		snprintf(port, sizeof port, "%s", strrchr(s->url, ':') + 1);
		standin_restart(s, again);
	}
	b = open_as(s, "alice-token");
	err_clear(&err);
	{
		int rc = sync_source(c, b, &everything, &asked, &rep, &err);

		ok(rc == 0 && rep.pushed == 2,
		   "after it comes back the sync pushes them (%d, %s%s)", rep.pushed, err.msg,
		   rep.last_error);
	}
	(void)path;
	server_has(s, ext);
	is_int(sql_int(c, "SELECT count(*) FROM outbox WHERE state = 'pending' AND ?1 = ?1", ""), 0,
	       "nothing is left to push");
	backend_close(&b);
	cache_close(&c);
}

int main(void)
{
	struct standin s;

	dir = fixture_tmpdir();
	standin_start(&s, NULL);
	test_full(&s);
	test_offline_edits(&s);
	standin_stop(&s);
	fixture_rmdir(&dir);
	return done_testing();
}
