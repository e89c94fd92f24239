/* The cache against hostile or damaged data: keypoint lists far over the cap, numbers no
 * integer holds, a database whose pages were overwritten. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *dir;

/* A dataset of one image with one box whose extras and label are given. */
static struct dataset_doc *doc_one_box(const char *shape_extra, const char *label_extra)
{
	struct dataset_doc *doc = dataset_doc_new();
	struct label *l = dataset_doc_add_label(doc);
	struct asset *a = dataset_doc_add_asset(doc);
	struct shape *s = asset_add_shape(a);

	doc->name = strdup("hostile");
	doc->format = strdup("coco");
	l->name = strdup("person");
	l->ext_id = strdup("1");
	l->extra_json = label_extra != NULL ? strdup(label_extra) : NULL;
	a->ext_id = strdup("1");
	a->filename = strdup("a.jpg");
	a->width = 640;
	a->height = 480;
	s->kind = SHAPE_BOX;
	s->label = 0;
	s->box = (struct rect){10, 10, 100, 100};
	s->ext_id = strdup("1");
	s->extra_json = shape_extra != NULL ? strdup(shape_extra) : NULL;
	return doc;
}

/* Opens a new cache named name in the scratch folder and imports doc; the asset's id. */
static int64_t import_doc(const char *name, struct dataset_doc *doc, struct cache **c)
{
	struct asset_query q = {0};
	struct asset_row row;
	struct err err = {0};
	char path[4096];
	int64_t ds = 0;
	int n = 0;

	fixture_path(path, sizeof path, dir, name);
	if (cache_open(path, c, &err) < 0 ||
	    cache_import(*c, "coco", "/hostile.json", "fp", doc, &ds, NULL, &err) < 0) {
		printf("# %s\n", err.msg);
		return 0;
	}
	q.dataset_id = ds;
	if (cache_assets_page(*c, &q, NULL, 0, &row, 1, &n, &err) < 0 || n != 1)
		return 0;
	return row.id;
}

/* "[x, y, v, ...]" with n labelled keypoints, and a skeleton chaining them. */
static char *keypoints_json(int n)
{
	struct buf b;

	buf_init(&b, 64u << 20);
	buf_puts(&b, "{\"keypoints\":[");
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%d,%d,2", i ? "," : "", i % 640, i % 480);
	buf_puts(&b, "],\"num_keypoints\":1}");
	return (char *)buf_steal(&b, NULL);
}

static void test_many_keypoints(void)
{
	char *kp = keypoints_json(100000);
	struct dataset_doc *doc =
	    doc_one_box(kp, "{\"skeleton\":[[1,2],[2,3],[1e20,2],[-1e20,1]]}");
	struct cache *c = NULL;
	struct asset_detail d;
	struct err err = {0};
	int64_t id = import_doc("keypoints.db", doc, &c);
	double t0 = fixture_now(), took;
	int rc = id > 0 ? cache_asset_get(c, id, &d, &err) : -1;

	took = fixture_now() - t0;
	ok(rc == 0, "an asset whose box has 100,000 keypoints loads (%s)", err.msg);
	ok(took < 2.0, "in %.3f s: the list is read once, not once per keypoint", took);
	if (rc == 0) {
		is_int(d.nkeypoints, 4096, "the markers stop at the cap");
		ok(d.nlinks == 2 && d.keypoint_links[0][0] == 0 && d.keypoint_links[1][1] == 2,
		   "the skeleton's pairs in range link markers, 1e20 and -1e20 are passed over "
		   "(%d)",
		   d.nlinks);
		cache_asset_detail_free(&d);
	}
	cache_close(&c);
	dataset_doc_free(&doc);
	free(kp);
}

/* Edit-log values with numbers no integer holds are damaged values, refused with a message,
 * never cast (which is undefined behaviour). */
static void test_huge_numbers(void)
{
	static const char *const bad[] = {
	    "{\"kind\":\"box\",\"rev\":1e300,\"x\":1,\"y\":1,\"w\":2,\"h\":2}",
	    "{\"kind\":\"box\",\"seq\":1e20}",
	    "{\"kind\":\"box\",\"label_id\":-1e999}",
	    "{\"kind\":\"polygon\",\"points\":[0,0,1,1,2,0],\"parts\":[1e300]}",
	    "{\"kind\":\"polygon\",\"points\":[0,0,1,1,2,0],\"parts\":[-1e999]}",
	};
	struct shape_row r;
	struct err err = {0};

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err.msg[0] = '\0';
		ok(cache_shape_value_parse(bad[i], &r, &err) < 0 && err.msg[0] != '\0',
		   "%s is refused (%s)", bad[i], err.msg);
	}
	err.msg[0] = '\0';
	ok(cache_shape_value_parse("{\"kind\":\"polygon\",\"rev\":9007199254740992,\"seq\":-3,"
	                           "\"points\":[0,0,1,1,2,0],\"parts\":[3]}",
	                           &r, &err) == 0 &&
	       r.rev == 9007199254740992LL && r.seq == -3 && r.s.nparts == 1 &&
	       r.s.part_ends[0] == 3,
	   "large numbers in range still read (%s)", err.msg);
	cache_shape_row_clear(&r);
}

/* A dataset of n images, each with a long extra field, so that the asset rows fill many pages. */
static struct dataset_doc *doc_many(int n)
{
	struct dataset_doc *doc = dataset_doc_new();
	char name[64], extra[2100];

	doc->name = strdup("many");
	doc->format = strdup("coco");
	memset(extra, 0, sizeof extra);
	for (int i = 0; i < n; i++) {
		struct asset *a = dataset_doc_add_asset(doc);
		snprintf(name, sizeof name, "img_%04d.jpg", i);
		a->filename = strdup(name);
		snprintf(name, sizeof name, "%d", i + 1);
		a->ext_id = strdup(name);
		a->width = 100;
		a->height = 100;
		snprintf(extra, sizeof extra, "{\"note\":\"%0*d\"}", 2000, i);
		a->extra_json = strdup(extra);
	}
	return doc;
}

/* Overwrites pages [from, to) of the file with garbage. */
static int damage_pages(const char *path, long from, long to)
{
	FILE *f = fopen(path, "r+b");
	unsigned char page[4096];

	for (size_t i = 0; i < sizeof page; i++)
		page[i] = (unsigned char)(i * 7919u >> 3);
	if (f == NULL)
		return -1;
	for (long p = from; p < to; p++)
		if (fseek(f, p * 4096, SEEK_SET) < 0 ||
		    fwrite(page, 1, sizeof page, f) != sizeof page)
			break;
	return fclose(f);
}

static long file_pages(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f) / 4096;
	fclose(f);
	return n;
}

/* Makes a cache with three pending edits (on the first and last images), damages the middle
 * of its file; *ds is its dataset. */
static int make_damaged(const char *path, int64_t *ds)
{
	struct dataset_doc *doc = doc_many(400);
	struct asset_query q = {0};
	struct asset_row rows[400];
	struct cache *c = NULL;
	struct err err = {0};
	int n = 0, rc = -1;
	long pages;

	if (cache_open(path, &c, &err) < 0 ||
	    cache_import(c, "coco", "/many.json", "fp", doc, ds, NULL, &err) < 0)
		goto out;
	q.dataset_id = *ds;
	if (cache_assets_page(c, &q, NULL, 0, rows, 400, &n, &err) < 0 || n != 400 ||
	    cache_review_set(c, rows[0].id, REVIEW_ACCEPTED, &err) < 0 ||
	    cache_tag_add(c, rows[0].id, "night", &err) < 0 ||
	    cache_review_set(c, rows[399].id, REVIEW_REJECTED, &err) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		printf("# %s\n", err.msg);
	cache_close(&c);
	dataset_doc_free(&doc);
	pages = file_pages(path);
	return rc == 0 && pages > 100 ? damage_pages(path, pages * 2 / 5, pages / 2) : -1;
}

static void test_damaged_cache(void)
{
	struct cache_rebuild_report rep;
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	int64_t ds = 0;
	int pending = -1, rc;

	fixture_path(path, sizeof path, dir, "damaged.db");
	ok(make_damaged(path, &ds) == 0, "a cache with three pending edits, its pages overwritten");
	rc = cache_open(path, &c, &err);
	ok(rc == 0 && cache_damage(c) != NULL, "opening it finds the damage: %s (%s)",
	   c != NULL && cache_damage(c) != NULL ? cache_damage(c) : "none", err.msg);
	err.msg[0] = '\0';
	ok(c != NULL && cache_tag_add(c, 1, "more", &err) < 0 && err.kind == ERR_DAMAGED &&
	       strstr(err.msg, "rebuild") != NULL,
	   "and refuses to write to it: %s", err.msg);
	cache_close(&c);
	err.msg[0] = '\0';
	ok(cache_rebuild(path, &rep, &err) == 0, "the cache is rebuilt (%s)", err.msg);
	ok(rep.aside[0] != '\0' && access(rep.aside, F_OK) == 0 && strstr(rep.aside, "damaged"),
	   "the damaged file is kept aside at %s", rep.aside);
	ok(rep.unread_ranges > 0 && rep.rows_lost > 0 && rep.rows_kept > 0,
	   "the report counts %ld rows kept and about %ld lost in %d stretches", rep.rows_kept,
	   rep.rows_lost, rep.unread_ranges);
	ok(rep.pending_kept + rep.pending_lost >= 3 && rep.pending_kept >= 1,
	   "pending edits: %d kept, %d lost", rep.pending_kept, rep.pending_lost);
	err.msg[0] = '\0';
	ok(cache_open(path, &c, &err) == 0 && cache_damage(c) == NULL,
	   "the new cache is sound (%s)", err.msg);
	if (c != NULL)
		cache_outbox_pending(c, ds, &pending, &err);
	is_int(pending, rep.pending_kept, "and holds the pending edits the report counts");
	ok(c != NULL && rep.edits_kept >= 1, "with %d rows of the undo history (%d lost)",
	   rep.edits_kept, rep.edits_lost);
	cache_close(&c);
}

int main(void)
{
	dir = fixture_tmpdir();
	test_many_keypoints();
	test_huge_numbers();
	test_damaged_cache();
	fixture_rmdir(&dir);
	return done_testing();
}
