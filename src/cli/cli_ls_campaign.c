/* `annotty ls campaigns|steps|tasks [SOURCE]`: a local dataset's campaign, or the synced
 * campaigns of the Picsellia organization (of one version with --dataset), their steps with
 * the counts per status, and my pending tasks, returned work first. Read from the cache (it
 * works offline), as tab-separated lines or a JSON array written row by row. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <string.h>

#define CLEAN_MAX 4096

struct lsc {
	int json;
	long count;
};

/* ---- JSON and text pieces ---------------------------------------------------------------- */

static void j_str(const char *key, const char *v)
{
	printf(", \"%s\": ", key);
	if (v != NULL)
		cli_json_string(stdout, v);
	else
		fputs("null", stdout);
}

static void j_int(const char *key, long long v)
{
	printf(", \"%s\": %lld", key, v);
}

static void j_bool(const char *key, int v)
{
	printf(", \"%s\": %s", key, v ? "true" : "false");
}

/* Opens a row's object with its id. */
static void j_open(struct lsc *o, const char *id)
{
	printf("%s\n{\"id\": ", o->count++ > 0 ? "," : "");
	cli_json_string(stdout, id);
}

static const char *t_clean(const char *s, char *buf)
{
	return str_sanitize(s != NULL ? s : "-", buf, CLEAN_MAX);
}

/* The id a listing shows: the source's, else the cache's row number (a local campaign). */
static const char *shown_id(const char *ext_id, int64_t row, char *buf, size_t n)
{
	if (ext_id != NULL)
		return ext_id;
	snprintf(buf, n, "%lld", (long long)row);
	return buf;
}

/* ---- campaigns --------------------------------------------------------------------------- */

static int campaign_row(const struct cache_campaign_row *r, void *ctx)
{
	struct lsc *o = ctx;
	char id[32], a[CLEAN_MAX], b[CLEAN_MAX], c[CLEAN_MAX], d[CLEAN_MAX];
	const char *shown = shown_id(r->ext_id, r->id, id, sizeof id);

	if (!o->json) {
		printf("%s\t%s\t%s\t%s\t%d %s\t%lld %s\t%s\t%s\n", t_clean(shown, a),
		       t_clean(r->name, b), r->kind, t_clean(r->dataset, c), r->steps,
		       cli_plural(r->steps, "step", "steps"), (long long)r->assignments,
		       cli_plural(r->assignments, "task", "tasks"),
		       r->local    ? "local"
		       : r->closed ? "closed"
		                   : "open",
		       t_clean(r->instructions, d));
		o->count++;
		return 0;
	}
	j_open(o, shown);
	j_str("name", r->name);
	j_str("kind", r->kind);
	j_str("dataset", r->dataset);
	j_str("instructions", r->instructions);
	j_bool("local", r->local);
	j_bool("closed", r->closed);
	j_int("step_count", r->steps);
	j_int("task_count", r->assignments);
	fputc('}', stdout);
	return 0;
}

/* ---- steps ------------------------------------------------------------------------------- */

static void step_names_text(const struct cache_step_row *r)
{
	char c[CLEAN_MAX];

	for (int i = 0; i < r->nassignees; i++)
		printf("%s%s", i > 0 ? "," : "", t_clean(r->assignees[i], c));
	if (r->nassignees == 0)
		fputc('-', stdout);
}

static void step_text(const struct cache_step_row *r)
{
	char id[32], cid[32], a[CLEAN_MAX], b[CLEAN_MAX], c[CLEAN_MAX];

	printf("%s\t%s\t%d\t%s\t%s\t", t_clean(shown_id(r->ext_id, r->id, id, sizeof id), a),
	       t_clean(shown_id(r->campaign_ext_id, r->campaign_id, cid, sizeof cid), b),
	       r->position, t_clean(r->name, c), r->type);
	step_names_text(r);
	printf("\tmine %lld, others %lld, submitted %lld, accepted %lld, rejected %lld, skipped "
	       "%lld\n",
	       (long long)r->pending_mine, (long long)r->pending_others, (long long)r->submitted,
	       (long long)r->accepted, (long long)r->rejected, (long long)r->skipped);
}

static void step_json(struct lsc *o, const struct cache_step_row *r)
{
	char id[32], cid[32];

	j_open(o, shown_id(r->ext_id, r->id, id, sizeof id));
	j_str("name", r->name);
	j_str("type", r->type);
	j_int("order", r->position);
	j_str("campaign_id", shown_id(r->campaign_ext_id, r->campaign_id, cid, sizeof cid));
	j_str("campaign", r->campaign);
	j_str("dataset", r->dataset);
	fputs(", \"assignees\": [", stdout);
	for (int i = 0; i < r->nassignees; i++) {
		fputs(i > 0 ? ", " : "", stdout);
		cli_json_string(stdout, r->assignees[i]);
	}
	fputc(']', stdout);
	j_int("task_count", r->assignments);
	printf(", \"counts\": {\"pending_mine\": %lld, \"pending_others\": %lld, \"submitted\": "
	       "%lld, \"accepted\": %lld, \"rejected\": %lld, \"skipped\": %lld}}",
	       (long long)r->pending_mine, (long long)r->pending_others, (long long)r->submitted,
	       (long long)r->accepted, (long long)r->rejected, (long long)r->skipped);
}

static int step_row(const struct cache_step_row *r, void *ctx)
{
	struct lsc *o = ctx;

	if (o->json) {
		step_json(o, r);
	} else {
		step_text(r);
		o->count++;
	}
	return 0;
}

/* ---- tasks ------------------------------------------------------------------------------- */

static void task_text(const struct cache_task_brief *r, const char *id)
{
	char a[CLEAN_MAX], b[CLEAN_MAX], c[CLEAN_MAX], d[CLEAN_MAX], e[CLEAN_MAX], f[CLEAN_MAX];

	printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", t_clean(id, a), t_clean(r->dataset, b),
	       t_clean(r->filename, c), t_clean(r->asset_ext_id, d), t_clean(r->step, e), r->status,
	       r->rejected_count, t_clean(r->comment, f));
}

static int task_row(const struct cache_task_brief *r, void *ctx)
{
	struct lsc *o = ctx;
	char buf[32];
	const char *id = shown_id(r->ext_id, r->id, buf, sizeof buf);

	if (!o->json) {
		task_text(r, id);
		o->count++;
		return 0;
	}
	j_open(o, id);
	j_str("dataset", r->dataset);
	fputs(", \"asset\": {\"id\": ", stdout);
	if (r->asset_ext_id != NULL)
		cli_json_string(stdout, r->asset_ext_id);
	else
		fputs("null", stdout);
	j_str("filename", r->filename);
	fputc('}', stdout);
	j_str("step", r->step);
	j_str("step_type", r->step_type);
	j_str("status", r->status);
	j_int("rejected_count", r->rejected_count);
	j_str("comment", r->comment);
	fputc('}', stdout);
	return 0;
}

/* ---- the command ------------------------------------------------------------------------- */

static int ls_walk(const char *word, struct cli_target *t, struct lsc *o, struct err *err)
{
	if (strcmp(word, "campaigns") == 0)
		return cache_campaigns_each(t->cache, t->source_id, t->dataset_id, campaign_row, o,
		                            err);
	if (strcmp(word, "steps") == 0)
		return cache_steps_each(t->cache, t->source_id, t->dataset_id, step_row, o, err);
	return cache_tasks_each(t->cache, t->source_id, t->dataset_id, task_row, o, err);
}

int cli_run_ls_campaign(const struct cli_call *call, struct err *err)
{
	struct cli_target t;
	struct lsc o = {.json = call->value[OPT_JSON] != NULL};
	int rc = -1;

	if (cli_target_open(&t, call, 0, err) < 0)
		goto out;
	/* the array opens once nothing before the first row can fail */
	if (o.json)
		fputc('[', stdout);
	rc = ls_walk(call->cmd->word, &t, &o, err);
	if (o.json)
		fputs(o.count > 0 ? "\n]\n" : "]\n", stdout);
	if (cli_flush_stdout(rc < 0 ? NULL : err) < 0)
		rc = -1;
out:
	cli_target_close(&t);
	return rc < 0 ? -1 : EXIT_OK;
}
