/* Browsing the stand-in with the Picsellia client: datalake pages with tag filters, datasets,
 * versions, labels, assets with their shapes, campaigns and steps, "my tasks"; pages never over
 * 1000, counts equal to the server's, a cursor that resumes; and answers that do not validate. */
#include "api/picsellia/picsellia.h"
#include "api_fixture.h"
#include "api_standin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct standin srv;

static struct picsellia *connect_as(const char *token)
{
	struct picsellia_config cfg = {.host = srv.url, .token = token};
	struct picsellia *p = NULL;
	struct err err = {0};

	if (picsellia_new(&cfg, &p, &err) < 0 || picsellia_connect(p, &err) < 0) {
		printf("Bail out! cannot connect: %s\n", err.msg);
		exit(1);
	}
	return p;
}

/* Whether the data item carries the tag. */
static int has_tag(const struct picsellia_data *d, const char *tag)
{
	for (int i = 0; i < d->ntags; i++)
		if (strcmp(d->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* Walks every page of the datalake (limit per page) with a filter; returns the items seen or
 * -1; *count is the server's count; every item must pass check when given. */
static long walk_data(struct picsellia *p, const char *lake, const struct picsellia_data_filter *f,
                      int limit, long *count, int (*check)(const struct picsellia_data *), int *bad)
{
	long from = 0, seen = 0;
	struct err err = {0};

	*bad = 0;
	while (from >= 0) {
		struct picsellia_data_page page;

		if (picsellia_data_page(p, lake, f, from, limit, &page, &err) < 0) {
			printf("# %s\n", err.msg);
			return -1;
		}
		for (int i = 0; check && i < page.n; i++)
			*bad += !check(&page.items[i]);
		seen += page.n;
		*count = page.count;
		from = page.next;
		picsellia_data_page_clear(&page);
	}
	return seen;
}

static const char *tag_a, *tag_b;

static int has_a(const struct picsellia_data *d)
{
	return has_tag(d, tag_a);
}

static int has_a_or_b(const struct picsellia_data *d)
{
	return has_tag(d, tag_a) || has_tag(d, tag_b);
}

static int has_a_and_b(const struct picsellia_data *d)
{
	return has_tag(d, tag_a) && has_tag(d, tag_b);
}

/* Two tags that some data item carries together, so that all-of finds something. */
static void pick_pair(struct picsellia *p, const char *lake)
{
	static char a[128], b[128];
	struct picsellia_data_page page;
	struct err err = {0};

	tag_a = tag_b = NULL;
	if (picsellia_data_page(p, lake, NULL, 0, 1000, &page, &err) < 0)
		return;
	for (int i = 0; i < page.n && !tag_a; i++)
		if (page.items[i].ntags >= 2) {
			snprintf(a, sizeof a, "%s", page.items[i].tags[0]);
			snprintf(b, sizeof b, "%s", page.items[i].tags[1]);
			tag_a = a;
			tag_b = b;
		}
	picsellia_data_page_clear(&page);
}

static void test_datalake(struct picsellia *p)
{
	struct picsellia_datalake lake = {0}, *lakes = NULL;
	struct picsellia_tag *tags = NULL;
	struct picsellia_data_filter f = {0};
	struct err err = {0};
	long count = 0, seen, any_n, all_n, c2;
	int nlakes = 0, ntags = 0, bad, pages;
	const char *pair[2];
	cJSON *log;

	picsellia_datalakes(p, &lakes, &nlakes, &err);
	ok(nlakes >= 1, "the organization's datalakes (%d) %s", nlakes, err.msg);
	ok(picsellia_datalake_default(p, &lake, &err) == 0 && lake.id, "its default datalake %s",
	   err.msg);
	standin_reset(&srv);
	seen = walk_data(p, lake.id, NULL, 1000, &count, NULL, &bad);
	ok(count >= 200 && seen == count, "every data item in pages of 1000: %ld of %ld", seen,
	   count);
	standin_reset(&srv);
	seen = walk_data(p, lake.id, NULL, 60, &c2, NULL, &bad);
	log = standin_log(&srv);
	pages = standin_count(log, "GET", "/api/datalake/");
	is_int(pages, (count + 59) / 60, "pages of 60: exactly ceil(count/60) requests");
	is_int(seen, count, "and the same items");
	cJSON_Delete(log);
	if (picsellia_data_tags(p, lake.id, &tags, &ntags, &err) < 0 || ntags < 2) {
		ok(0, "the datalake's tags (%d): %s", ntags, err.msg);
		goto out;
	}
	ok(1, "the datalake's tags (%d)", ntags);
	pick_pair(p, lake.id);
	if (!ok(tag_a != NULL, "a data item with two tags"))
		goto out;
	pair[0] = tag_a;
	pair[1] = tag_b;
	f.tags = pair;
	f.ntags = 1;
	seen = walk_data(p, lake.id, &f, 1000, &count, has_a, &bad);
	ok(seen > 0 && seen == count && bad == 0, "tag %s: %ld items, each with it", tag_a, seen);
	f.ntags = 2;
	any_n = walk_data(p, lake.id, &f, 1000, &count, has_a_or_b, &bad);
	ok(any_n >= seen && bad == 0, "any of %s, %s: %ld items, each with one", tag_a, tag_b,
	   any_n);
	f.all_of = 1;
	all_n = walk_data(p, lake.id, &f, 1000, &count, has_a_and_b, &bad);
	ok(all_n > 0 && all_n <= seen && bad == 0, "all of them: %ld items, each with both", all_n);
out:
	picsellia_tag_list_free(&tags, ntags);
	picsellia_datalake_list_free(&lakes, nlakes);
	picsellia_datalake_clear(&lake);
}

static void test_query_text(void)
{
	const char *two[] = {"a", "b\"c"};
	char *any = picsellia_q_tags("", two, 2, 0), *all = picsellia_q_tags("data.", two, 2, 1);

	is_str(any, "tags.name in (\"a\",\"b\\\"c\")", "any-of as the SDK writes it");
	is_str(all, "data.tags.name = \"a\" and data.tags.name = \"b\\\"c\"",
	       "all-of with the data prefix");
	ok(picsellia_q_tags("", NULL, 0, 0) == NULL, "no tags, no query");
	free(any);
	free(all);
}

/* cars/v1's id, found through datasets and versions. */
static char *find_version(struct picsellia *p, const char *dataset, const char *version)
{
	struct picsellia_dataset *ds = NULL;
	struct picsellia_version *vs = NULL;
	struct err err = {0};
	int nds = 0, nvs = 0;
	char *id = NULL;

	if (picsellia_datasets(p, &ds, &nds, &err) < 0)
		return NULL;
	for (int i = 0; i < nds && !id; i++) {
		if (strcmp(ds[i].name, dataset) != 0 ||
		    picsellia_versions(p, ds[i].id, &vs, &nvs, &err) < 0)
			continue;
		for (int j = 0; j < nvs && !id; j++)
			if (strcmp(vs[j].version, version) == 0 &&
			    strcmp(vs[j].origin_name, dataset) == 0)
				id = strdup(vs[j].id);
		picsellia_version_list_free(&vs, nvs);
	}
	picsellia_dataset_list_free(&ds, nds);
	return id;
}

static void test_datasets(struct picsellia *p)
{
	struct picsellia_dataset *ds = NULL;
	struct err err = {0};
	int nds = 0, cars = 0, fields = 0;

	ok(picsellia_datasets(p, &ds, &nds, &err) == 0, "datasets %s", err.msg);
	for (int i = 0; i < nds; i++) {
		cars += strcmp(ds[i].name, "cars") == 0;
		fields += strcmp(ds[i].name, "fields") == 0;
	}
	ok(cars == 1 && fields == 1, "cars and fields among %d datasets", nds);
	picsellia_dataset_list_free(&ds, nds);
}

/* Every asset of a version through assets/extended, in pages of `limit`. */
static long walk_assets(struct picsellia *p, const char *vid, const struct label *labels,
                        int nlabels, int limit, long *count, int *nshapes, int statuses[4])
{
	long from = 0, seen = 0;
	struct err err = {0};

	while (from >= 0) {
		struct picsellia_asset_page page;

		if (picsellia_assets_extended_page(p, vid, NULL, from, limit, labels, nlabels,
		                                   &page, &err) < 0) {
			printf("# %s\n", err.msg);
			return -1;
		}
		for (int i = 0; i < page.n; i++) {
			const struct picsellia_asset *a = &page.items[i];

			*nshapes += a->asset.nshapes;
			statuses[a->asset.status]++;
			for (int s = 0; s < a->asset.nshapes; s++)
				if (a->asset.shapes[s].label < 0)
					printf("# shape with an unknown label in %s\n",
					       a->asset.ext_id);
		}
		seen += page.n;
		*count = page.count;
		from = page.next;
		picsellia_asset_page_clear(&page);
	}
	return seen;
}

static void test_assets(struct picsellia *p, const char *vid)
{
	struct label *labels = NULL;
	struct picsellia_asset_page first = {0}, rest = {0};
	struct err err = {0};
	int nlabels = 0, nshapes = 0, statuses[4] = {0};
	long count = 0, seen;

	picsellia_labels(p, vid, &labels, &nlabels, &err);
	ok(nlabels > 0, "cars/v1 labels (%d) %s", nlabels, err.msg);
	seen = walk_assets(p, vid, labels, nlabels, 1000, &count, &nshapes, statuses);
	ok(seen > 0 && seen == count, "every asset with its annotation: %ld of %ld", seen, count);
	ok(nshapes > seen, "and their shapes (%d)", nshapes);
	ok(statuses[REVIEW_PENDING] && statuses[REVIEW_ACCEPTED] && statuses[REVIEW_REJECTED] &&
	       statuses[REVIEW_SKIPPED],
	   "every review status is read (%d/%d/%d/%d)", statuses[0], statuses[1], statuses[2],
	   statuses[3]);
	/* A cursor kept from one page resumes exactly after it. */
	if (picsellia_assets_page(p, vid, NULL, 0, 25, labels, nlabels, &first, &err) == 0 &&
	    picsellia_assets_page(p, vid, NULL, first.next, 25, labels, nlabels, &rest, &err) == 0)
		ok(first.n == 25 && first.next == 25 && rest.n > 0 &&
		       strcmp(first.items[24].asset.ext_id, rest.items[0].asset.ext_id) != 0,
		   "a stored cursor resumes after the page it came from");
	else
		ok(0, "pages of 25: %s", err.msg);
	ok(first.n && first.items[0].data_id && first.items[0].asset.filename &&
	       first.items[0].asset.width > 0,
	   "an asset has its data id, file name and size");
	picsellia_asset_page_clear(&first);
	picsellia_asset_page_clear(&rest);
	picsellia_label_list_free(&labels, nlabels);
}

static void test_campaign(struct picsellia *p, const char *vid)
{
	struct picsellia_version v = {0};
	struct picsellia_campaign *cs = NULL;
	struct picsellia_step *steps = NULL;
	struct picsellia_asset_filter f = {0};
	struct picsellia_asset_page page = {0};
	struct err err = {0};
	int ncs = 0, nsteps = 0, mine = 1;

	ok(picsellia_version_get(p, vid, &v, &err) == 0 && v.campaign_id,
	   "cars/v1 has a campaign %s", err.msg);
	picsellia_campaigns(p, &cs, &ncs, &err);
	ok(ncs >= 1, "the campaigns (%d) %s", ncs, err.msg);
	if (!v.campaign_id || picsellia_steps(p, v.campaign_id, &steps, &nsteps, &err) < 0) {
		ok(0, "its steps: %s", err.msg);
		goto out;
	}
	ok(nsteps >= 2 && strcmp(steps[0].type, "ANNOTATION") == 0 &&
	       strcmp(steps[1].type, "REVIEW") == 0,
	   "its steps in order: annotation, then review");
	if (picsellia_tasks_filter(p, steps[0].id, &f, &err) < 0 ||
	    picsellia_assets_page(p, vid, &f, 0, 1000, NULL, 0, &page, &err) < 0) {
		ok(0, "alice's tasks: %s", err.msg);
		goto out;
	}
	for (int i = 0; i < page.n; i++)
		mine &= page.items[i].has_assignment &&
		        strcmp(page.items[i].assignment.status, "PENDING") == 0 &&
		        strcmp(page.items[i].assignment.user_id, f.assignment_user_id) == 0 &&
		        strcmp(page.items[i].assignment.step_id, steps[0].id) == 0;
	ok(page.n > 0 && mine, "alice's pending tasks in the annotation step (%d), each hers",
	   page.n);
out:
	picsellia_asset_page_clear(&page);
	picsellia_step_list_free(&steps, nsteps);
	picsellia_campaign_list_free(&cs, ncs);
	picsellia_version_clear(&v);
}

/* Answers that do not validate: a missing field, a mistyped one, cut-short JSON. */
static void bad_answer(const char *body, const char *want, enum err_kind kind)
{
	static char resp[4096];
	struct picsellia_config cfg = {.token = "t", .max_attempts = 1};
	struct picsellia_asset_page page = {0};
	struct picsellia *p = NULL;
	struct err err = {0};

	snprintf(resp, sizeof resp,
	         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Connection: close\r\n\r\n%s",
	         strlen(body), body);
	cfg.host = canned_start(resp);
	if (picsellia_new(&cfg, &p, &err) == 0)
		picsellia_assets_page(p, "1234abcd-0000", NULL, 0, 10, NULL, 0, &page, &err);
	ok(err.kind == kind && strstr(err.msg, want), "%s", err.msg);
	picsellia_free(&p);
	canned_stop();
}

static void test_validation(void)
{
	const char *asset =
	    "{\"id\":\"a%d\",\"data\":{\"id\":\"d\",\"filename\":\"f.png\","
	    "\"object_name\":\"o\",\"content_type\":\"image/png\",\"type\":\"IMAGE\","
	    "\"upload_status\":\"DONE\",\"meta\":{\"width\":4%s}}}";
	char body[2048], one[400];
	size_t n;

	n = (size_t)snprintf(body, sizeof body, "{\"count\":4,\"items\":[");
	for (int i = 0; i < 4; i++) {
		snprintf(one, sizeof one, asset, i, i == 3 ? "" : ",\"height\":3");
		n += (size_t)snprintf(body + n, sizeof body - n, "%s%s", i ? "," : "", one);
	}
	snprintf(body + n, sizeof body - n, "]}");
	bad_answer(body,
	           "GET /api/dataset/version/\xe2\x80\xa6/assets: item 3: \"data.meta.height\" is "
	           "missing",
	           ERR_PARSE);
	bad_answer("{\"count\":1,\"items\":[{\"id\":7}]}",
	           "item 0: \"id\" is a number, not a string", ERR_PARSE);
	bad_answer("{\"count\":1,\"items\":[{\"id\":", "not valid JSON", ERR_PARSE);
	bad_answer("{\"count\":1}", "\"items\" is missing", ERR_PARSE);
}

int main(void)
{
	struct picsellia *p;
	char *vid;

	test_query_text();
	test_validation();
	standin_start(&srv, NULL);
	p = connect_as("alice-token");
	test_datalake(p);
	test_datasets(p);
	vid = find_version(p, "cars", "v1");
	ok(vid != NULL, "cars/v1 found through datasets and versions");
	if (vid) {
		test_assets(p, vid);
		test_campaign(p, vid);
	}
	is_int(standin_violations(&srv), 0, "the server saw no page over 1000 and no token leak");
	free(vid);
	picsellia_free(&p);
	standin_stop(&srv);
	fx_cleanup();
	return done_testing();
}
