/* Tests of importing into the cache, re-importing over local review work, reading one asset
 * back, and exporting a dataset_doc that equals what went in. */
#include "cache/cache.h"
#include "cache/internal.h"
#include "cache_fixture.h"
#include "core/err.h"
#include "core/model.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NASSETS 40

static char *dir;

static int doc_shapes(const struct dataset_doc *doc)
{
	int n = 0;

	for (int i = 0; i < doc->nassets; i++)
		n += doc->assets[i].nshapes;
	return n;
}

static int doc_label_uses(const struct dataset_doc *doc, int label)
{
	int n = 0;

	for (int i = 0; i < doc->nassets; i++)
		for (int k = 0; k < doc->assets[i].nshapes; k++)
			n += doc->assets[i].shapes[k].label == label;
	return n;
}

/* The id of the asset with exactly that filename, 0 when there is none. */
static int64_t asset_id_of(struct cache *c, int64_t ds, const char *filename)
{
	struct asset_query q = {.dataset_id = ds, .filter = FILTER_FILENAME};
	struct asset_row rows[16];
	int n = 0;

	snprintf(q.filter_text, sizeof q.filter_text, "%s", filename);
	if (cache_assets_page(c, &q, NULL, 0, rows, 16, &n, NULL) < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (strcmp(rows[i].filename, filename) == 0)
			return rows[i].id;
	return 0;
}

static int64_t sql_int(struct cache *c, const char *sql, int64_t arg)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, arg);
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return v;
}

static int detail_has_tag(const struct asset_detail *d, const char *tag)
{
	for (int i = 0; i < d->ntags; i++)
		if (strcmp(d->tags[i], tag) == 0)
			return 1;
	return 0;
}

static void test_first_import(struct cache *c, const struct dataset_doc *doc, int64_t *ds)
{
	struct import_stats st = {0};
	struct dataset_info info;
	struct err err = {0};
	char fp[64];
	int64_t found = -1;

	ok(cache_dataset_find(c, "/data/rich.json", &found, fp, sizeof fp, &err) == 0 && found == 0,
	   "a source never imported has no dataset");
	ok(cache_import(c, "coco", "/data/rich.json", "fp1", doc, ds, &st, &err) == 0,
	   "import succeeds (%s)", err.msg);
	ok(*ds > 0, "it returns the dataset id");
	is_int(st.assets_added, NASSETS, "every asset is added");
	is_int(st.assets_updated + st.assets_unchanged + st.assets_removed, 0,
	       "nothing updated, unchanged or removed");
	is_int(st.shapes, doc_shapes(doc), "shape count");
	is_int(st.labels, 4, "label count");
	ok(cache_dataset_find(c, "/data/rich.json", &found, fp, sizeof fp, &err) == 0 &&
	       found == *ds,
	   "the dataset is found by its locator");
	is_str(fp, "fp1", "with the fingerprint it was imported from");
	ok(cache_dataset_get(c, *ds, &info, &err) == 0, "dataset info");
	is_str(info.name, "rich dataset", "dataset name");
	is_str(info.kind, "coco", "source kind");
	is_str(info.locator, "/data/rich.json", "locator");
	is_int(info.asset_count, NASSETS, "asset count");
	is_int(info.label_count, 4, "label count in the info");
	is_int(sql_int(c, "SELECT count(*) FROM dataset_version WHERE dataset_id = ?1", *ds), 1,
	       "a local source has one version");
	is_int(sql_int(c, "SELECT sum(shape_count) FROM asset WHERE dataset_id = ?1", *ds),
	       doc_shapes(doc), "the denormalised shape counts add up");
}

static void test_labels_tags(struct cache *c, const struct dataset_doc *doc, int64_t ds)
{
	struct label_row labels[8];
	char tags[8][128];
	struct err err = {0};
	int n = 0, uses_ok = 1;

	ok(cache_labels_list(c, ds, labels, 8, &n, &err) == 0 && n == 4, "four labels");
	for (int i = 0; i < n; i++)
		uses_ok &= labels[i].index == i &&
		           strcmp(labels[i].name, doc->labels[i].name) == 0 &&
		           labels[i].shape_count == doc_label_uses(doc, i);
	ok(uses_ok, "labels in order with their index and shape counts");
	ok(cache_labels_list(c, ds, labels, 2, &n, &err) == 0 && n == 2, "max bounds the list");
	ok(cache_tags_list(c, ds, tags, 8, &n, &err) == 0 && n == 2, "two tags");
	is_str(tags[0], "night", "the most used tag comes first");
	is_str(tags[1], "blurry", "then the next");
}

static int keypoint_owner = -1;

/* A box or polygon of asset 6 gets COCO keypoints among its extras, as a person has them. */
static void give_keypoints(struct dataset_doc *doc)
{
	struct asset *a = &doc->assets[6];

	for (int i = 0; i < a->nshapes && keypoint_owner < 0; i++)
		if (a->shapes[i].kind == SHAPE_BOX || a->shapes[i].kind == SHAPE_POLYGON) {
			free(a->shapes[i].extra_json);
			a->shapes[i].extra_json = strdup(
			    "{\"keypoints\":[10,20,2,0,0,0,30,40,1,5,6],\"num_keypoints\":2}");
			keypoint_owner = i;
			/* its category's skeleton, numbered from 1 as COCO does: 1-3 joins the two
			 * labelled ones, 1-2 reaches the unlabelled one, 3-9 a keypoint that is not
			 * there */
			if (a->shapes[i].label >= 0) {
				struct label *l = &doc->labels[a->shapes[i].label];
				free(l->extra_json);
				l->extra_json = strdup("{\"skeleton\":[[1,3],[1,2],[3,9]]}");
			}
		}
}

static void test_asset_get(struct cache *c, const struct dataset_doc *doc, int64_t ds)
{
	const struct asset *a = &doc->assets[6]; /* six shapes of every kind, tags night+blurry */
	struct asset_detail d;
	struct err err = {0};
	char why[256] = "";
	int64_t id = asset_id_of(c, ds, a->filename);
	int same = 1, names = 1;

	ok(id > 0 && cache_asset_get(c, id, &d, &err) == 0, "asset loads (%s)", err.msg);
	is_str(d.filename, a->filename, "filename");
	is_str(d.path, a->path, "path");
	ok(d.width == a->width && d.height == a->height, "size");
	is_int(d.status, a->status, "status");
	is_int(d.dataset_id, ds, "dataset");
	is_int(d.nshapes, a->nshapes, "shape count");
	for (int i = 0; i < d.nshapes && i < a->nshapes; i++) {
		int l = a->shapes[i].label;

		if (fixture_shapes_compare(&a->shapes[i], &d.shapes[i], why, sizeof why) < 0)
			same = 0;
		names &= strcmp(d.shape_labels[i], l >= 0 ? doc->labels[l].name : "") == 0;
		names &= d.shape_ids[i] > 0;
	}
	ok(same, "shapes come back exactly: points, parts, text, ext ids, extras %s", why);
	ok(names, "with their label names and ids");
	ok(d.ntags == 2 && detail_has_tag(&d, "night") && detail_has_tag(&d, "blurry"), "tags");
	/* main gave one shape COCO keypoints: two labelled, one not, and a short triple */
	ok(d.nkeypoints == 2 && d.keypoints[0].x == 10 && d.keypoints[0].y == 20 &&
	       d.keypoints[1].x == 30 && d.keypoints[1].y == 40,
	   "the labelled keypoints come as markers (%d)", d.nkeypoints);
	ok(d.nkeypoints == 2 && d.keypoint_shape[0] == keypoint_owner &&
	       d.keypoint_shape[1] == keypoint_owner,
	   "each with the shape it belongs to");
	ok(d.nlinks == 1 && d.keypoint_links[0][0] == 0 && d.keypoint_links[0][1] == 1,
	   "the skeleton links the two labelled keypoints, and nothing else (%d)", d.nlinks);
	cache_asset_detail_free(&d);
	ok(d.keypoints == NULL && d.nkeypoints == 0 && d.keypoint_links == NULL,
	   "free clears them too");
	ok(d.shapes == NULL && d.nshapes == 0, "free clears the detail");
	ok(cache_asset_get(c, 999999, &d, &err) < 0 && strstr(err.msg, "999999") != NULL,
	   "a missing asset is an error: %s", err.msg);
}

static void test_export(struct cache *c, const struct dataset_doc *doc, int64_t ds)
{
	struct dataset_doc *out = NULL, *again = NULL;
	struct err err = {0};
	char why[512] = "";
	int64_t ds2 = 0;

	ok(cache_export_doc(c, ds, &out, &err) == 0, "export (%s)", err.msg);
	ok(out != NULL && fixture_docs_compare(doc, out, why, sizeof why) == 0,
	   "the export equals the imported doc %s", why);
	ok(cache_import(c, "coco", "/data/copy.json", "fp", out, &ds2, NULL, &err) == 0 &&
	       ds2 != ds,
	   "the export imports as another dataset");
	ok(cache_export_doc(c, ds2, &again, &err) == 0 &&
	       fixture_docs_compare(out, again, why, sizeof why) == 0,
	   "and exports the same again %s", why);
	dataset_doc_free(&out);
	dataset_doc_free(&again);
}

/* Removes asset i from the doc. */
static void doc_drop(struct dataset_doc *doc, int i)
{
	asset_clear(&doc->assets[i]);
	memmove(&doc->assets[i], &doc->assets[i + 1],
	        (size_t)(doc->nassets - i - 1) * sizeof doc->assets[0]);
	doc->nassets--;
}

/* The same dataset as the source might send it next time: labels listed in reverse order,
 * asset 4 with a moved box, asset 16 renamed, asset 12 with a new ext id, asset 8 gone, one
 * new asset, a new tag on asset 0. */
static struct dataset_doc *doc_next(void)
{
	struct dataset_doc *doc = fixture_doc_rich(NASSETS);
	struct label tmp;
	struct asset *a;

	for (int i = 0; i < 2; i++) {
		tmp = doc->labels[i];
		doc->labels[i] = doc->labels[3 - i];
		doc->labels[3 - i] = tmp;
	}
	for (int i = 0; i < doc->nassets; i++)
		for (int k = 0; k < doc->assets[i].nshapes; k++)
			if (doc->assets[i].shapes[k].label >= 0)
				doc->assets[i].shapes[k].label = 3 - doc->assets[i].shapes[k].label;
	doc->assets[4].shapes[0].box.x += 1;
	free(doc->assets[16].filename);
	doc->assets[16].filename = strdup("renamed_16.jpg");
	free(doc->assets[12].ext_id);
	doc->assets[12].ext_id = strdup("new-id-12");
	asset_add_tag(&doc->assets[0], "from-source");
	doc_drop(doc, 8);
	a = dataset_doc_add_asset(doc);
	a->ext_id = strdup("1000");
	a->filename = strdup("new_0.jpg");
	a->width = 10;
	a->height = 10;
	a->status = REVIEW_REJECTED;
	asset_add_tag(a, "fresh");
	return doc;
}

/* The assets the re-import test follows, by their ids before it. */
struct followed {
	int64_t a0;  /* unchanged, reviewed and tagged locally */
	int64_t a4;  /* changed by the source, reviewed and tagged locally */
	int64_t a8;  /* gone from the source */
	int64_t a12; /* unchanged under a new ext id, reviewed locally */
	int64_t a16; /* renamed by the source */
};

static void local_edits(struct cache *c, int64_t ds, struct followed *f)
{
	struct err err = {0};

	f->a0 = asset_id_of(c, ds, "img_0.jpg");
	f->a4 = asset_id_of(c, ds, "img_4.jpg");
	f->a8 = asset_id_of(c, ds, "img_8.jpg");
	f->a12 = asset_id_of(c, ds, "img_12.jpg");
	f->a16 = asset_id_of(c, ds, "img_16.jpg");
	ok(cache_review_set(c, f->a0, REVIEW_ACCEPTED, &err) == 0 &&
	       cache_tag_add(c, f->a0, "mine", &err) == 0 &&
	       cache_review_set(c, f->a12, REVIEW_SKIPPED, &err) == 0 &&
	       cache_review_set(c, f->a4, REVIEW_ACCEPTED, &err) == 0 &&
	       cache_tag_add(c, f->a4, "mine", &err) == 0 &&
	       cache_tag_add(c, f->a8, "doomed", &err) == 0,
	   "local edits (%s)", err.msg);
}

static void check_kept(struct cache *c, int64_t ds, const struct followed *f)
{
	struct asset_detail d;
	struct err err = {0};

	ok(asset_id_of(c, ds, "img_0.jpg") == f->a0 && cache_asset_get(c, f->a0, &d, &err) == 0,
	   "the unchanged asset keeps its id");
	is_int(d.status, REVIEW_ACCEPTED, "and its accepted status");
	ok(detail_has_tag(&d, "mine") && detail_has_tag(&d, "night") &&
	       detail_has_tag(&d, "from-source"),
	   "keeps its local tag and gains the source's new one");
	cache_asset_detail_free(&d);
	is_int(sql_int(c, "SELECT count(*) FROM edit_log WHERE asset_id = ?1", f->a0), 2,
	       "and its edit history");
	ok(cache_asset_get(c, f->a12, &d, &err) == 0 && d.status == REVIEW_SKIPPED,
	   "an asset matched by filename under a new ext id keeps its review");
	cache_asset_detail_free(&d);
}

static void check_changed(struct cache *c, int64_t ds, const struct dataset_doc *next,
                          const struct followed *f)
{
	struct asset_detail d;
	struct err err = {0};
	char why[256] = "";
	int64_t idnew;

	ok(cache_asset_get(c, f->a4, &d, &err) == 0, "the changed asset is still there");
	/* a changed file must not reset the user's review (it did: an accepted image went back
	 * to pending) */
	is_int(d.status, REVIEW_ACCEPTED, "its review stays the user's");
	ok(d.nshapes == next->assets[4].nshapes &&
	       fixture_shapes_compare(&next->assets[4].shapes[0], &d.shapes[0], why, sizeof why) ==
	           0,
	   "its shapes are the new ones %s", why);
	ok(detail_has_tag(&d, "mine"), "its local tag stays");
	cache_asset_detail_free(&d);
	is_int(sql_int(c,
	               "SELECT count(*) FROM edit_log WHERE asset_id = ?1"
	               " AND op = 'annotation.status'",
	               f->a4),
	       1, "and its review can still be undone");
	ok(cache_asset_get(c, f->a16, &d, &err) == 0 && strcmp(d.filename, "renamed_16.jpg") == 0,
	   "an asset matched by ext id takes its new filename");
	cache_asset_detail_free(&d);
	ok(cache_asset_get(c, f->a8, &d, &err) < 0, "the asset gone from the source is removed");
	idnew = asset_id_of(c, ds, "new_0.jpg");
	ok(idnew > 0 && cache_asset_get(c, idnew, &d, &err) == 0 && d.status == REVIEW_REJECTED &&
	       detail_has_tag(&d, "fresh"),
	   "the new asset appears with the doc's status and tags");
	cache_asset_detail_free(&d);
}

/* The tag put on the image the source dropped: it stayed pending, counted as an edit not
 * exported, for an image that no longer exists. */
static void check_gone_edits(struct cache *c, int64_t ds, const struct import_stats *st)
{
	struct conflict_row rows[8];
	struct err err = {0};
	int n = 0, pending = -1, found = 0;

	ok(st->conflicts >= 1, "the re-import reports the conflict (%d)", st->conflicts);
	ok(cache_conflicts_list(c, ds, rows, 8, &n, &err) == 0, "conflicts listed (%s)", err.msg);
	for (int i = 0; i < n; i++)
		found |= rows[i].refused && strstr(rows[i].mine, "doomed") != NULL;
	ok(found, "the gone image's tag is a refused conflict, not a lost edit");
	cache_conflict_rows_clear(rows, n);
	ok(cache_outbox_pending(c, ds, &pending, &err) == 0 &&
	       sql_int(c,
	               "SELECT count(*) FROM outbox WHERE state = 'pending' AND payload LIKE"
	               " '%doomed%' AND ?1 = ?1",
	               0) == 0,
	   "and no longer counts as waiting for export");
}

static void test_reimport(struct cache *c, int64_t ds)
{
	struct dataset_doc *next = doc_next();
	struct import_stats st = {0};
	struct followed f;
	struct err err = {0};
	int64_t ds2 = 0;

	local_edits(c, ds, &f);
	ok(cache_import(c, "coco", "/data/rich.json", "fp2", next, &ds2, &st, &err) == 0,
	   "re-import succeeds (%s)", err.msg);
	is_int(ds2, ds, "into the same dataset");
	ok(st.assets_added == 1 && st.assets_removed == 1 && st.assets_updated == 2 &&
	       st.assets_unchanged == NASSETS - 3,
	   "stats: 1 added, 1 removed, 2 updated, the rest unchanged (%d %d %d %d)",
	   st.assets_added, st.assets_removed, st.assets_updated, st.assets_unchanged);
	check_kept(c, ds, &f);
	check_changed(c, ds, next, &f);
	check_gone_edits(c, ds, &st);
	dataset_doc_free(&next);
}

static void test_reimport_labels(struct cache *c, int64_t ds)
{
	struct label_row labels[8];
	struct asset_detail d;
	struct err err = {0};
	int64_t id = asset_id_of(c, ds, "img_6.jpg");
	int n = 0, right = 1;
	char fp[16];

	ok(cache_labels_list(c, ds, labels, 8, &n, &err) == 0 && n == 4 &&
	       strcmp(labels[0].name, "dog") == 0 && strcmp(labels[3].name, "car") == 0,
	   "labels take the source's new order");
	ok(cache_asset_get(c, id, &d, &err) == 0, "an unchanged asset loads");
	for (int i = 0; i < d.nshapes; i++)
		if (d.shape_labels[i][0] != '\0')
			right &= strcmp(labels[d.shapes[i].label].name, d.shape_labels[i]) == 0;
	ok(right, "its shapes' label indexes follow the new order");
	cache_asset_detail_free(&d);
	cache_dataset_find(c, "/data/rich.json", &id, fp, sizeof fp, &err);
	is_str(fp, "fp2", "the fingerprint is the new one");
}

static void test_reimport_same(struct cache *c, int64_t ds)
{
	struct dataset_doc *out = NULL, *again = NULL;
	struct import_stats st = {0};
	struct err err = {0};
	char why[512] = "";

	cache_export_doc(c, ds, &out, &err);
	ok(cache_import(c, "coco", "/data/rich.json", "fp3", out, NULL, &st, &err) == 0,
	   "importing the dataset's own export");
	ok(st.assets_added == 0 && st.assets_removed == 0 && st.assets_updated == 0 &&
	       st.assets_unchanged == out->nassets,
	   "changes nothing");
	cache_export_doc(c, ds, &again, &err);
	ok(again != NULL && fixture_docs_compare(out, again, why, sizeof why) == 0,
	   "and the export is the same %s", why);
	dataset_doc_free(&out);
	dataset_doc_free(&again);
}

int main(void)
{
	struct dataset_doc *doc = fixture_doc_rich(NASSETS);
	struct cache *c = NULL;
	struct err err = {0};
	char path[4096];
	int64_t ds = 0;

	dir = fixture_tmpdir();
	give_keypoints(doc);
	fixture_path(path, sizeof path, dir, "import.db");
	if (cache_open(path, &c, &err) < 0) {
		printf("# %s\n", err.msg);
		return 1;
	}
	test_first_import(c, doc, &ds);
	test_labels_tags(c, doc, ds);
	test_asset_get(c, doc, ds);
	test_export(c, doc, ds);
	test_reimport(c, ds);
	test_reimport_labels(c, ds);
	test_reimport_same(c, ds);
	cache_close(&c);
	dataset_doc_free(&doc);
	fixture_rmdir(&dir);
	return done_testing();
}
