/* `annotty task submit|accept|reject|skip ID`: one decision on one of my campaign tasks, made
 * as task mode makes it (cache_task_decide: the local queue moves on at once and the decision
 * waits in the outbox), on a synced Picsellia version (--dataset) or a local SOURCE. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const decided[TASK_DECISION_COUNT] = {[TASK_SUBMIT] = "submitted",
                                                         [TASK_ACCEPT] = "accepted",
                                                         [TASK_REJECT] = "rejected",
                                                         [TASK_SKIP] = "skipped"};

/* The task ID names, with its row for the messages. */
static int task_find(struct cli_target *t, const char *key, struct task_row *row, struct err *err)
{
	int64_t id;
	int found;

	if (cache_task_lookup(t->cache, t->dataset_id, key, &id, err) < 0)
		return err_wrap(err, "%s", t->name);
	if ((found = cache_task_get(t->cache, id, row, err)) < 0)
		return -1;
	if (found == 0)
		return err_setk(err, ERR_NOT_FOUND, "%s: no task %s", t->name, key);
	return 0;
}

static void task_report(const struct cli_target *t, const char *key, const struct task_row *row,
                        enum task_decision d, const struct cli_call *call, int duration)
{
	char k[1024], name[1024], why[1024];

	str_sanitize(row->filename, name, sizeof name);
	if (strcmp(key, row->filename) == 0)
		printf("%s: %s", name, decided[d]);
	else
		printf("task %s (%s): %s", str_sanitize(key, k, sizeof k), name, decided[d]);
	if (d == TASK_REJECT && call->value[OPT_COMMENT] != NULL &&
	    call->value[OPT_COMMENT][0] != '\0')
		printf(": %s", str_sanitize(call->value[OPT_COMMENT], why, sizeof why));
	fputc('\n', stdout);
	if (call->value[OPT_DURATION] == NULL)
		printf("time spent: 0 s (--duration SECONDS gives the time the task took)\n");
	else
		printf("time spent: %d s\n", duration);
	printf(t->is_remote ? "1 decision queued; annotty sync sends it\n"
	                    : "1 decision made; annotty export writes it to the file\n");
}

int cli_run_task(const struct cli_call *call, struct err *err)
{
	struct cli_target t;
	struct task_row row;
	enum task_decision d;
	const char *key;
	int duration = 0, rc = -1;

	if (task_decision_parse(call->cmd->word, &d) < 0)
		return err_set(err, "task %s is no decision", call->cmd->word);
	if (call->value[OPT_DURATION] != NULL)
		duration = atoi(call->value[OPT_DURATION]); /* the parser checked its range */
	if (cli_target_open(&t, call, 1, err) < 0)
		goto out;
	key = call->args[t.first];
	if (task_find(&t, key, &row, err) < 0)
		goto out;
	if (cache_task_decide(t.cache, row.id, d, call->value[OPT_COMMENT], duration, err) < 0) {
		if (strcmp(key, row.filename) == 0)
			err_wrap(err, "%s", key);
		else
			err_wrap(err, "task %s (%s)", key, row.filename);
		goto out;
	}
	task_report(&t, key, &row, d, call, duration);
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
out:
	cli_target_close(&t);
	return rc;
}
