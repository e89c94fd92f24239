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

int main(void)
{
	dir = fixture_tmpdir();
	test_many_keypoints();
	test_huge_numbers();
	fixture_rmdir(&dir);
	return done_testing();
}
