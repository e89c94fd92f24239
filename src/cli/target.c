/* What a campaign command works on: a local SOURCE (imported into the cache when it changed)
 * or what the cache holds of the Picsellia organization, one dataset version of it with
 * --dataset. */
#include "cli/cli.h"
#include "cache/cache.h"
#include "core/err.h"
#include "core/str.h"

#include <string.h>

static int target_local(struct cli_target *t, const struct cli_call *call, struct err *err)
{
	struct dataset_info info;

	if (cli_session_open(&t->local, call->args[0], call, err) < 0)
		return -1;
	t->cache = t->local.cache;
	t->dataset_id = t->local.dataset_id;
	t->first = 1;
	if (cache_dataset_get(t->cache, t->dataset_id, &info, err) < 0)
		return -1;
	str_copy(t->name, info.name, sizeof t->name);
	return 0;
}

static int target_remote(struct cli_target *t, const struct cli_call *call, int need_dataset,
                         struct err *err)
{
	const char *dataset = call->value[OPT_DATASET];

	t->is_remote = 1;
	if (cli_remote_open(&t->remote, call, err) < 0 ||
	    cli_remote_need_cached(&t->remote, err) < 0)
		return -1;
	t->cache = t->remote.cache;
	t->source_id = t->remote.source_id;
	str_copy(t->name, t->remote.label, sizeof t->name);
	if (dataset == NULL)
		return need_dataset ? err_setk(err, ERR_USAGE, "%s needs --dataset NAME/VERSION",
		                               call->cmd->name)
		                    : 0;
	if (cli_remote_dataset(&t->remote, dataset, &t->dataset_id, err) < 0)
		return -1;
	str_copy(t->name, dataset, sizeof t->name);
	return 0;
}

int cli_target_open(struct cli_target *t, const struct cli_call *call, int need_dataset,
                    struct err *err)
{
	int local = call->cmd->args[0].kind == CLI_KIND_SOURCE && call->nargs > 0;

	memset(t, 0, sizeof *t);
	if (local && call->value[OPT_DATASET] != NULL)
		return err_setk(err, ERR_USAGE, "%s %s takes a local SOURCE or --dataset, not both",
		                call->cmd->name, call->cmd->word ? call->cmd->word : "");
	return local ? target_local(t, call, err) : target_remote(t, call, need_dataset, err);
}

void cli_target_close(struct cli_target *t)
{
	if (t->is_remote)
		cli_remote_close(&t->remote);
	else
		cli_session_close(&t->local);
}
