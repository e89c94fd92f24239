/* `annotty tag add|rm ASSET TAG...` and `annotty review accept|reject|reset ASSET...`: the same
 * edits the review screen makes (cache_tag_add, cache_tag_remove, cache_review_set), each one
 * transaction with its outbox entry, on a synced Picsellia dataset (--dataset) or a local
 * SOURCE. Every asset is looked up before the first edit, so a wrong name changes nothing. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <stdlib.h>
#include <string.h>

struct edit_target {
	struct cli_session local;
	struct cli_remote_session remote;
	int is_remote;
	struct cache *cache;
	int64_t dataset_id;
	int first; /* the index in call->args of the first ASSET */
};

static int target_open(struct edit_target *t, const struct cli_call *call, struct err *err)
{
	memset(t, 0, sizeof *t);
	t->is_remote = call->value[OPT_DATASET] != NULL;
	if (t->is_remote) {
		if (cli_remote_open(&t->remote, call, err) < 0 ||
		    cli_remote_dataset(&t->remote, call->value[OPT_DATASET], &t->dataset_id, err) <
		        0)
			return -1;
		t->cache = t->remote.cache;
		return 0;
	}
	if (cli_session_open(&t->local, call->args[0], call, err) < 0)
		return -1;
	t->cache = t->local.cache;
	t->dataset_id = t->local.dataset_id;
	t->first = 1;
	return 0;
}

static void target_close(struct edit_target *t)
{
	if (t->is_remote)
		cli_remote_close(&t->remote);
	else
		cli_session_close(&t->local);
}

/* The row ids of args[from..to), all found or none. */
static int assets_resolve(struct edit_target *t, const struct cli_call *call, int from, int to,
                          int64_t *ids, struct err *err)
{
	for (int i = from; i < to; i++)
		if (cache_asset_lookup(t->cache, t->dataset_id, call->args[i], &ids[i - from],
		                       err) < 0)
			return -1;
	return 0;
}

static void edit_footer(const struct edit_target *t, int queued)
{
	if (queued == 0)
		printf("nothing changed\n");
	else if (t->is_remote)
		printf("%d %s queued; annotty sync sends %s\n", queued,
		       cli_plural(queued, "edit", "edits"), cli_plural(queued, "it", "them"));
	else
		printf("%d %s made; annotty export writes %s to the file\n", queued,
		       cli_plural(queued, "edit", "edits"), cli_plural(queued, "it", "them"));
}

static int asset_has_tag(const struct asset_detail *d, const char *tag)
{
	for (int i = 0; i < d->ntags; i++)
		if (strcmp(d->tags[i], tag) == 0)
			return 1;
	return 0;
}

/* One tag on one asset; *queued counts it when it changed something. */
static int tag_one(struct edit_target *t, int64_t id, const char *tag, int add, int *queued,
                   struct err *err)
{
	struct asset_detail d;
	char name[1024], clean[512];
	int had;

	if (cache_asset_get(t->cache, id, &d, err) < 0)
		return -1;
	had = asset_has_tag(&d, tag);
	str_sanitize(d.filename, name, sizeof name);
	cache_asset_detail_free(&d);
	if ((add ? cache_tag_add(t->cache, id, tag, err)
	         : cache_tag_remove(t->cache, id, tag, err)) < 0)
		return err_wrap(err, "%s", name);
	str_sanitize(tag, clean, sizeof clean);
	if (had == add) {
		printf("%s: %s %s\n", name, add ? "already has" : "has no", clean);
		return 0;
	}
	printf("%s: %s%s\n", name, add ? "+" : "-", clean);
	(*queued)++;
	return 0;
}

int cli_run_tag(const struct cli_call *call, struct err *err)
{
	struct edit_target t;
	int add = strcmp(call->cmd->word, "add") == 0, queued = 0, rc = -1;
	int64_t id;

	if (target_open(&t, call, err) < 0 ||
	    assets_resolve(&t, call, t.first, t.first + 1, &id, err) < 0)
		goto out;
	for (int i = t.first + 1; i < call->nargs; i++)
		if (tag_one(&t, id, call->args[i], add, &queued, err) < 0)
			goto out;
	rc = 0;
out:
	if (rc == 0 || queued > 0)
		edit_footer(&t, queued);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
	target_close(&t);
	return rc < 0 ? -1 : EXIT_OK;
}

static int review_one(struct edit_target *t, int64_t id, enum review_status status, int *queued,
                      struct err *err)
{
	struct asset_detail d;
	char name[1024];
	enum review_status had;

	if (cache_asset_get(t->cache, id, &d, err) < 0)
		return -1;
	had = d.status;
	str_sanitize(d.filename, name, sizeof name);
	cache_asset_detail_free(&d);
	if (cache_review_set(t->cache, id, status, err) < 0)
		return err_wrap(err, "%s", name);
	printf("%s: %s%s\n", name, had == status ? "already " : "", review_status_name(status));
	*queued += had != status;
	return 0;
}

/* The status a word of review sets: accept, reject, reset (back to pending). */
static enum review_status review_word(const char *word)
{
	if (strcmp(word, "accept") == 0)
		return REVIEW_ACCEPTED;
	return strcmp(word, "reject") == 0 ? REVIEW_REJECTED : REVIEW_PENDING;
}

int cli_run_review(const struct cli_call *call, struct err *err)
{
	struct edit_target t;
	enum review_status status = review_word(call->cmd->word);
	int64_t *ids = NULL;
	int queued = 0, rc = -1, n;

	if (target_open(&t, call, err) < 0)
		goto out;
	n = call->nargs - t.first;
	if ((ids = calloc((size_t)n + 1, sizeof *ids)) == NULL) {
		err_set(err, "out of memory for %d assets", n);
		goto out;
	}
	if (assets_resolve(&t, call, t.first, call->nargs, ids, err) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (review_one(&t, ids[i], status, &queued, err) < 0)
			goto out;
	rc = 0;
out:
	if (rc == 0 || queued > 0)
		edit_footer(&t, queued);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
	free(ids);
	target_close(&t);
	return rc < 0 ? -1 : EXIT_OK;
}
