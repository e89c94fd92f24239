/* Edits pushed to the stand-in and their typed answers: status, tags on assets and data,
 * shapes created, updated and deleted, labels, task decisions; conflicts on a locked version,
 * on a shape gone, on a task someone else holds; the server's current values read back. */
#include "api/picsellia/picsellia.h"
#include "api_fixture.h"
#include "api_standin.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct standin srv;

struct world {
	struct picsellia *alice, *bob;
	char *vid;
	struct picsellia_asset_page assets;
	struct label *labels;
	int nlabels;
	char *step_ann, *step_rev;
};

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

static int has(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static int world_load(struct world *w)
{
	struct picsellia_dataset *ds = NULL;
	struct picsellia_version *vs = NULL;
	struct picsellia_version v = {0};
	struct picsellia_step *steps = NULL;
	struct err err = {0};
	int nds = 0, nvs = 0, nsteps = 0;

	w->alice = connect_as("alice-token");
	w->bob = connect_as("bob-token");
	picsellia_datasets(w->alice, &ds, &nds, &err);
	for (int i = 0; i < nds; i++)
		if (strcmp(ds[i].name, "cars") == 0 &&
		    picsellia_versions(w->alice, ds[i].id, &vs, &nvs, &err) == 0)
			for (int j = 0; j < nvs; j++)
				if (strcmp(vs[j].version, "v1") == 0)
					w->vid = strdup(vs[j].id);
	picsellia_dataset_list_free(&ds, nds);
	picsellia_version_list_free(&vs, nvs);
	if (w->vid == NULL ||
	    picsellia_labels(w->alice, w->vid, &w->labels, &w->nlabels, &err) < 0 ||
	    picsellia_assets_extended_page(w->alice, w->vid, NULL, 0, 1000, w->labels, w->nlabels,
	                                   &w->assets, &err) < 0 ||
	    picsellia_version_get(w->alice, w->vid, &v, &err) < 0 || v.campaign_id == NULL ||
	    picsellia_steps(w->alice, v.campaign_id, &steps, &nsteps, &err) < 0 || nsteps < 2) {
		printf("# %s\n", err.msg);
		return -1;
	}
	w->step_ann = strdup(steps[0].id);
	w->step_rev = strdup(steps[1].id);
	picsellia_step_list_free(&steps, nsteps);
	picsellia_version_clear(&v);
	return 0;
}

static void test_status(struct world *w)
{
	const struct picsellia_asset *a = &w->assets.items[0];
	struct picsellia_answer ans = {0};
	enum review_status now = REVIEW_PENDING;
	struct err err = {0};
	char *ann = NULL;

	is_int(picsellia_status_push(w->alice, a->asset.ext_id, a->annotation_id, REVIEW_REJECTED,
	                             &ans),
	       PICSELLIA_DONE, "reject an asset %s", ans.err.msg);
	ok(picsellia_annotation_current(w->alice, a->asset.ext_id, &ann, &now, &err) == 0 &&
	       now == REVIEW_REJECTED,
	   "the server has it REFUSED");
	is_int(picsellia_status_push(w->alice, a->asset.ext_id, NULL, REVIEW_ACCEPTED, &ans),
	       PICSELLIA_DONE, "accept it, the annotation looked up");
	free(ann);
	ann = NULL;
	picsellia_annotation_current(w->alice, a->asset.ext_id, &ann, &now, &err);
	is_int(now, REVIEW_ACCEPTED, "the server has it ACCEPTED");
	is_int(picsellia_status_push(w->alice, a->asset.ext_id,
	                             "00000000-dead-4000-8000-000000000000", REVIEW_ACCEPTED, &ans),
	       PICSELLIA_CONFLICT, "an annotation gone: a conflict");
	is_int(ans.err.kind, ERR_NOT_FOUND, "of kind not found: %s", ans.err.msg);
	free(ann);
	picsellia_answer_clear(&ans);
}

static void test_tags(struct world *w)
{
	const struct picsellia_asset *a = &w->assets.items[1];
	struct picsellia_datalake lake = {0};
	struct picsellia_answer ans = {0};
	struct err err = {0};
	char **tags = NULL;
	int n = 0;

	is_int(picsellia_asset_tag_push(w->alice, w->vid, a->asset.ext_id, "needs-fix", 1, &ans),
	       PICSELLIA_DONE, "tag an asset with a new tag %s", ans.err.msg);
	picsellia_asset_tags_current(w->alice, a->asset.ext_id, &tags, &n, &err);
	ok(has(tags, n, "needs-fix"), "the server shows the tag");
	picsellia_names_free(&tags, n);
	is_int(picsellia_asset_tag_push(w->alice, w->vid, a->asset.ext_id, "needs-fix", 1, &ans),
	       PICSELLIA_DONE, "tagging again is harmless");
	is_int(picsellia_asset_tag_push(w->alice, w->vid, a->asset.ext_id, "needs-fix", 0, &ans),
	       PICSELLIA_DONE, "untag it");
	picsellia_asset_tags_current(w->alice, a->asset.ext_id, &tags, &n, &err);
	ok(!has(tags, n, "needs-fix"), "the server no longer shows it");
	picsellia_names_free(&tags, n);
	is_int(picsellia_asset_tag_push(w->alice, w->vid, a->asset.ext_id, "never-made", 0, &ans),
	       PICSELLIA_DONE, "untagging a tag that does not exist is done");
	picsellia_datalake_default(w->alice, &lake, &err);
	is_int(picsellia_data_tag_push(w->alice, lake.id, a->data_id, "blurry", 1, &ans),
	       PICSELLIA_DONE, "tag a data item %s", ans.err.msg);
	picsellia_data_tags_current(w->alice, a->data_id, &tags, &n, &err);
	ok(has(tags, n, "blurry"), "the data item has it");
	picsellia_names_free(&tags, n);
	picsellia_datalake_clear(&lake);
	picsellia_answer_clear(&ans);
}

static void test_shapes(struct world *w)
{
	const struct picsellia_asset *a = &w->assets.items[2];
	struct shape box = {.kind = SHAPE_BOX, .box = {10, 20, 30, 40}}, moved, cur = {0};
	struct picsellia_answer ans = {0};
	const char *label = w->labels[0].ext_id;
	struct err err = {0};
	char *id = NULL, *cur_label = NULL;

	is_int(picsellia_shape_create(w->alice, a->asset.ext_id, &box, label, 0, &ans),
	       PICSELLIA_DONE, "create a box %s", ans.err.msg);
	id = ans.new_id ? strdup(ans.new_id) : NULL;
	ok(id && picsellia_shape_current(w->alice, SHAPE_BOX, id, &cur, &cur_label, &err) == 0 &&
	       cur.box.x == 10 && cur.box.h == 40 && strcmp(cur_label, label) == 0,
	   "the server has it with its label %s", err.msg);
	shape_clear(&cur);
	free(cur_label);
	moved = box;
	moved.box.x = 15;
	is_int(picsellia_shape_update(w->alice, id, &box, label, &moved, w->labels[1].ext_id, &ans),
	       PICSELLIA_DONE, "move it and change its label %s", ans.err.msg);
	picsellia_shape_current(w->alice, SHAPE_BOX, id, &cur, &cur_label, &err);
	ok(cur.box.x == 15 && cur.box.y == 20 && strcmp(cur_label, w->labels[1].ext_id) == 0,
	   "the server has the change");
	shape_clear(&cur);
	free(cur_label);
	is_int(picsellia_shape_update(w->alice, id, &moved, NULL, &moved, NULL, &ans),
	       PICSELLIA_DONE, "nothing changed: done without a request");
	is_int(picsellia_shape_delete(w->alice, SHAPE_BOX, id, &ans), PICSELLIA_DONE, "delete it");
	is_int(picsellia_shape_delete(w->alice, SHAPE_BOX, id, &ans), PICSELLIA_DONE,
	       "deleting it again is done (a replay must not fail)");
	is_int(picsellia_shape_update(w->alice, id, &box, label, &moved, label, &ans),
	       PICSELLIA_CONFLICT, "updating a shape gone is a conflict");
	ok(picsellia_shape_current(w->alice, SHAPE_BOX, id, &cur, &cur_label, &err) < 0 &&
	       err.kind == ERR_NOT_FOUND,
	   "it is not found");
	free(id);
	picsellia_answer_clear(&ans);
}

/* An asset with no annotation gets one for its first shape. */
static void test_first_annotation(struct world *w)
{
	struct picsellia_asset_page v2 = {0};
	struct shape pt = {.kind = SHAPE_POINT};
	struct picsellia_answer ans = {0};
	enum review_status st;
	struct err err = {0};
	const char *asset = NULL;
	char *ann = NULL;

	shape_add_point(&pt, 5, 6);
	for (int i = 0; i < w->assets.n && !asset; i++)
		if (w->assets.items[i].nannotations == 0)
			asset = w->assets.items[i].asset.ext_id;
	if (asset == NULL) {
		ok(1, "# SKIP no asset without an annotation in the seed");
		goto out;
	}
	is_int(picsellia_shape_create(w->alice, asset, &pt, w->labels[0].ext_id, 0, &ans),
	       PICSELLIA_DONE, "a point on an asset without an annotation %s", ans.err.msg);
	ok(picsellia_annotation_current(w->alice, asset, &ann, &st, &err) == 0 && ann,
	   "the asset now has an annotation");
out:
	free(ann);
	free(pt.points);
	picsellia_asset_page_clear(&v2);
	picsellia_answer_clear(&ans);
}

static void test_labels(struct world *w)
{
	struct picsellia_answer ans = {0};
	char *first = NULL;

	is_int(picsellia_label_push(w->alice, w->vid, "scooter", &ans), PICSELLIA_DONE,
	       "create a label %s", ans.err.msg);
	first = ans.new_id ? strdup(ans.new_id) : NULL;
	is_int(picsellia_label_push(w->alice, w->vid, "scooter", &ans), PICSELLIA_DONE,
	       "creating it again finds it (409)");
	ok(first && ans.new_id && strcmp(first, ans.new_id) == 0, "with the same id");
	free(first);
	picsellia_answer_clear(&ans);
}

/* A locked version refuses writes with 423: conflicts, with the server's value beside. */
static void test_locked(struct world *w)
{
	const struct picsellia_asset *a = &w->assets.items[3];
	struct shape *s = a->asset.nshapes ? &a->asset.shapes[0] : NULL;
	struct picsellia_answer ans = {0};
	char path[256];
	struct shape moved;

	snprintf(path, sizeof path, "/api/dataset/version/%s/lock", w->vid);
	ok(standin_api(&srv, "POST", path, "alice-token", NULL) < 300, "lock cars/v1");
	is_int(picsellia_status_push(w->alice, a->asset.ext_id, a->annotation_id, REVIEW_SKIPPED,
	                             &ans),
	       PICSELLIA_CONFLICT, "a status on a locked version: conflict (%s)", ans.err.msg);
	ok(ans.current_json && strstr(ans.current_json, "status"),
	   "with the server's status beside it: %s", ans.current_json ? ans.current_json : "");
	if (s && s->kind == SHAPE_BOX) {
		moved = *s;
		moved.box.x += 3;
		is_int(picsellia_shape_update(w->alice, s->ext_id, s, NULL, &moved, NULL, &ans),
		       PICSELLIA_CONFLICT, "a shape move on it: conflict");
		ok(ans.current_json != NULL, "with the server's shape: %s",
		   ans.current_json ? ans.current_json : "");
	}
	snprintf(path, sizeof path, "/api/dataset/version/%s/unlock", w->vid);
	standin_api(&srv, "POST", path, "alice-token", NULL);
	picsellia_answer_clear(&ans);
}

static const struct picsellia_asset *first_task(struct picsellia *p, const char *vid,
                                                const char *step, struct picsellia_asset_page *page)
{
	struct picsellia_asset_filter f;
	struct err err = {0};

	if (picsellia_tasks_filter(p, step, &f, &err) < 0 ||
	    picsellia_assets_page(p, vid, &f, 0, 10, NULL, 0, page, &err) < 0 || page->n == 0)
		return NULL;
	return &page->items[0];
}

static void test_tasks(struct world *w)
{
	struct picsellia_asset_page mine = {0}, bobs = {0};
	const struct picsellia_asset *t = first_task(w->alice, w->vid, w->step_ann, &mine);
	const struct picsellia_asset *r = first_task(w->bob, w->vid, w->step_rev, &bobs);
	struct picsellia_assignment next = {0};
	struct picsellia_answer ans = {0};
	int has_next = 0;

	if (!ok(t && r, "alice and bob each have a task"))
		goto out;
	is_int(picsellia_task_decide(w->alice, t->assignment.id, PICSELLIA_TASK_SUBMIT, 12.5, NULL,
	                             &next, &has_next, &ans),
	       PICSELLIA_DONE, "alice submits %s", ans.err.msg);
	ok(has_next && strcmp(next.step_id, w->step_rev) == 0 &&
	       strcmp(next.status, "PENDING") == 0,
	   "the task moves on to the review step");
	picsellia_assignment_clear(&next);
	is_int(picsellia_task_decide(w->alice, t->assignment.id, PICSELLIA_TASK_SUBMIT, 12.5, NULL,
	                             NULL, NULL, &ans),
	       PICSELLIA_DONE, "submitting it again (a replay) is done, not a conflict");
	is_int(picsellia_task_decide(w->alice, r->assignment.id, PICSELLIA_TASK_ACCEPT, 0, NULL,
	                             NULL, NULL, &ans),
	       PICSELLIA_CONFLICT, "alice deciding bob's task: a conflict (403)");
	ok(ans.current_json && strstr(ans.current_json, "PENDING"), "with the task as it is: %s",
	   ans.current_json ? ans.current_json : "");
	is_int(picsellia_task_decide(w->bob, r->assignment.id, PICSELLIA_TASK_SUBMIT, 0, NULL, NULL,
	                             NULL, &ans),
	       PICSELLIA_REFUSED, "submit on a review step is refused: %s", ans.err.msg);
	is_int(picsellia_task_decide(w->bob, r->assignment.id, PICSELLIA_TASK_REJECT, 0,
	                             "the box is loose", &next, &has_next, &ans),
	       PICSELLIA_DONE, "bob rejects with a comment %s", ans.err.msg);
	ok(has_next && next.comment && strcmp(next.comment, "the box is loose") == 0 &&
	       next.rejected_count >= 1,
	   "the task goes back with the comment");
	is_int(picsellia_task_decide(w->bob, r->assignment.id, PICSELLIA_TASK_ACCEPT, 0, NULL, NULL,
	                             NULL, &ans),
	       PICSELLIA_CONFLICT, "accepting it after the reject: a conflict (409)");
out:
	picsellia_assignment_clear(&next);
	picsellia_asset_page_clear(&mine);
	picsellia_asset_page_clear(&bobs);
	picsellia_answer_clear(&ans);
}

int main(void)
{
	struct world w = {0};

	standin_start(&srv, NULL);
	if (world_load(&w) < 0 || w.assets.n < 4 || w.nlabels < 2) {
		printf("Bail out! the seed is not as expected\n");
		return 1;
	}
	test_status(&w);
	test_tags(&w);
	test_shapes(&w);
	test_first_annotation(&w);
	test_labels(&w);
	test_locked(&w);
	test_tasks(&w);
	is_int(standin_violations(&srv), 0, "the server recorded no violation");
	picsellia_asset_page_clear(&w.assets);
	picsellia_label_list_free(&w.labels, w.nlabels);
	free(w.vid);
	free(w.step_ann);
	free(w.step_rev);
	picsellia_free(&w.alice);
	picsellia_free(&w.bob);
	standin_stop(&srv);
	fx_cleanup();
	return done_testing();
}
