/* The Picsellia client against a stand-in that fails on purpose (5xx, 429 with Retry-After,
 * dropped connections, answers lost after a write, cut-short and malformed JSON, expired
 * URLs): a browse ends with exactly what a clean server gives, downloads all arrive, and
 * creates whose answers were lost are not made twice. */
#include "api/picsellia/picsellia.h"
#include "api_fixture.h"
#include "api_standin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAULTS                                                                                     \
	"latency=20ms,5xx=0.1,429=0.05,drop=0.05,malformed=0.02,truncate=0.02,expire=0.1,"         \
	"drop_after_write=0.2,retry_after=1,seed=3"

static struct picsellia *connect_to(const struct standin *s)
{
	struct picsellia_config cfg = {
	    .host = s->url, .token = "alice-token", .max_attempts = 8, .retry_after_cap_s = 2};
	struct picsellia *p = NULL;
	struct err err = {0};

	if (picsellia_new(&cfg, &p, &err) < 0 || picsellia_connect(p, &err) < 0) {
		printf("Bail out! cannot connect: %s\n", err.msg);
		exit(1);
	}
	return p;
}

/* What a browse saw, summed up so that two runs can be compared. */
struct summary {
	long data, assets, shapes, status_sum;
	unsigned long long ids_hash;
	char *vid;
	char *asset0; /* an asset id of cars/v1 */
};

static unsigned long long hash_str(unsigned long long h, const char *s)
{
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static int walk_data(struct picsellia *p, struct summary *sum, struct err *err)
{
	struct picsellia_datalake lake = {0};
	long from = 0;

	if (picsellia_datalake_default(p, &lake, err) < 0)
		return -1;
	while (from >= 0) {
		struct picsellia_data_page page;

		if (picsellia_data_page(p, lake.id, NULL, from, 50, &page, err) < 0) {
			picsellia_datalake_clear(&lake);
			return -1;
		}
		for (int i = 0; i < page.n; i++)
			sum->ids_hash = hash_str(sum->ids_hash, page.items[i].id);
		sum->data += page.n;
		from = page.next;
		picsellia_data_page_clear(&page);
	}
	picsellia_datalake_clear(&lake);
	return 0;
}

static char *version_of(struct picsellia *p, struct err *err)
{
	struct picsellia_dataset *ds = NULL;
	struct picsellia_version *vs = NULL;
	int nds = 0, nvs = 0;
	char *vid = NULL;

	if (picsellia_datasets(p, &ds, &nds, err) < 0)
		return NULL;
	for (int i = 0; i < nds; i++)
		if (strcmp(ds[i].name, "cars") == 0 &&
		    picsellia_versions(p, ds[i].id, &vs, &nvs, err) == 0) {
			for (int j = 0; j < nvs; j++)
				if (!vid && strcmp(vs[j].version, "v1") == 0)
					vid = strdup(vs[j].id);
			picsellia_version_list_free(&vs, nvs);
		}
	picsellia_dataset_list_free(&ds, nds);
	return vid;
}

static int walk_assets(struct picsellia *p, struct summary *sum, struct err *err)
{
	struct label *labels = NULL;
	int nlabels = 0;
	long from = 0;

	if ((sum->vid = version_of(p, err)) == NULL ||
	    picsellia_labels(p, sum->vid, &labels, &nlabels, err) < 0)
		return -1;
	while (from >= 0) {
		struct picsellia_asset_page page;

		if (picsellia_assets_extended_page(p, sum->vid, NULL, from, 20, labels, nlabels,
		                                   &page, err) < 0) {
			picsellia_label_list_free(&labels, nlabels);
			return -1;
		}
		for (int i = 0; i < page.n; i++) {
			sum->ids_hash = hash_str(sum->ids_hash, page.items[i].asset.ext_id);
			sum->shapes += page.items[i].asset.nshapes;
			sum->status_sum += page.items[i].asset.status;
			if (!sum->asset0)
				sum->asset0 = strdup(page.items[i].asset.ext_id);
		}
		sum->assets += page.n;
		from = page.next;
		picsellia_asset_page_clear(&page);
	}
	picsellia_label_list_free(&labels, nlabels);
	return 0;
}

static int browse(struct picsellia *p, struct summary *sum, struct err *err)
{
	memset(sum, 0, sizeof *sum);
	sum->ids_hash = 1469598103934665603ULL;
	return walk_data(p, sum, err) < 0 || walk_assets(p, sum, err) < 0 ? -1 : 0;
}

static void test_downloads(struct picsellia *p)
{
	struct picsellia_datalake lake = {0};
	struct picsellia_data_page page = {0};
	struct picsellia_download dl[16] = {{0}};
	struct err err = {0};
	int good = 0;

	if (picsellia_datalake_default(p, &lake, &err) < 0 ||
	    picsellia_data_page(p, lake.id, NULL, 0, 16, &page, &err) < 0 || page.n < 16) {
		ok(0, "data to download: %s", err.msg);
		goto out;
	}
	for (int i = 0; i < 16; i++) {
		dl[i].data_id = page.items[i].id;
		dl[i].url = page.items[i].presigned_url;
	}
	/* A URL renewed once can come back expired too (expire=0.1 hits it again one time in
	 * ten): such an item fails alone, and the next round (as the sync engine makes) gets it. */
	if (picsellia_download_many(p, dl, 16, 4, &err) < 0)
		for (int i = 0; i < 16; i++)
			if (dl[i].status != 0 && dl[i].err.kind == ERR_FORBIDDEN)
				picsellia_download_many(p, &dl[i], 1, 1, &err);
	for (int i = 0; i < 16; i++) {
		good +=
		    dl[i].status == 0 && dl[i].len > 8 && memcmp(dl[i].bytes, "\x89PNG", 4) == 0;
		if (dl[i].status)
			printf("# %s\n", dl[i].err.msg);
		free(dl[i].bytes);
	}
	is_int(good, 16, "16 images arrive whole through the faults (at most two rounds)");
out:
	picsellia_data_page_clear(&page);
	picsellia_datalake_clear(&lake);
}

/* The asset's rectangles on its latest annotation, counted on the server. */
static int count_boxes(struct picsellia *p, const char *vid, const char *asset)
{
	struct picsellia_asset_filter f = {0};
	struct picsellia_asset_page page = {0};
	struct err err = {0};
	char q[160];
	int n = -1;

	snprintf(q, sizeof q, "id = \"%s\"", asset);
	f.q = q;
	if (picsellia_assets_extended_page(p, vid, &f, 0, 10, NULL, 0, &page, &err) == 0 &&
	    page.n == 1) {
		n = 0;
		for (int i = 0; i < page.items[0].asset.nshapes; i++)
			n += page.items[0].asset.shapes[i].kind == SHAPE_BOX;
	} else {
		printf("# count: %s (%d)\n", err.msg, page.n);
	}
	picsellia_asset_page_clear(&page);
	return n;
}

static void test_creates(struct picsellia *p, const struct summary *sum)
{
	struct label *labels = NULL;
	struct picsellia_answer ans = {0};
	struct err err = {0};
	int nlabels = 0, before, done = 0;

	if (picsellia_labels(p, sum->vid, &labels, &nlabels, &err) < 0 || nlabels == 0) {
		ok(0, "labels: %s", err.msg);
		return;
	}
	before = count_boxes(p, sum->vid, sum->asset0);
	for (int i = 0; i < 10; i++) {
		struct shape box = {.kind = SHAPE_BOX, .box = {100 + i, 50, 20, 20 + i}};
		enum picsellia_outcome o;

		/* A retry answer is what the sync engine would back off on and send again. */
		for (int tries = 0; tries < 5; tries++)
			if ((o = picsellia_shape_create(p, sum->asset0, &box, labels[0].ext_id,
			                                tries > 0 && ans.maybe_applied, &ans)) !=
			    PICSELLIA_RETRY)
				break;
		done += o == PICSELLIA_DONE;
		if (o != PICSELLIA_DONE)
			printf("# create %d: %s\n", i, ans.err.msg);
	}
	is_int(done, 10, "10 boxes created through lost answers");
	is_int(count_boxes(p, sum->vid, sum->asset0), before + 10,
	       "and the server has exactly 10 more, none twice");
	picsellia_answer_clear(&ans);
	picsellia_label_list_free(&labels, nlabels);
}

int main(void)
{
	const char *faults[] = {"--faults", FAULTS, NULL};
	struct standin clean, faulty;
	struct summary a, b;
	struct picsellia_stats st;
	struct picsellia *pc, *pf;
	struct err err = {0};

	standin_start(&clean, NULL);
	standin_start(&faulty, faults);
	pc = connect_to(&clean);
	pf = connect_to(&faulty);
	ok(browse(pc, &a, &err) == 0, "a clean browse %s", err.msg);
	ok(browse(pf, &b, &err) == 0, "a browse through faults %s", err.msg);
	ok(a.data > 200 && a.data == b.data && a.assets == b.assets && a.shapes == b.shapes &&
	       a.status_sum == b.status_sum && a.ids_hash == b.ids_hash,
	   "the same data (%ld/%ld), assets (%ld/%ld) and shapes (%ld/%ld)", a.data, b.data,
	   a.assets, b.assets, a.shapes, b.shapes);
	picsellia_stats_get(pf, &st);
	ok(st.retries > 0, "the faults were met and retried (%ld retries of %ld requests)",
	   st.retries, st.requests);
	test_downloads(pf);
	if (b.asset0)
		test_creates(pf, &b);
	is_int(standin_violations(&faulty), 0, "the faulty server recorded no violation");
	free(a.vid);
	free(a.asset0);
	free(b.vid);
	free(b.asset0);
	picsellia_free(&pc);
	picsellia_free(&pf);
	standin_stop(&clean);
	standin_stop(&faulty);
	fx_cleanup();
	return done_testing();
}
