/* `annotty config`: the configuration in effect (the file's settings over the defaults, every
 * action's keys), in the file's own form, and each wrong line of the file on standard error. */
#include "cli/cli.h"
#include "core/err.h"
#include "ui/config.h"

#include <stdlib.h>

int cli_run_config(const struct cli_call *call, struct err *err)
{
	struct ui_config *cfg = calloc(1, sizeof *cfg);
	int rc;

	if (cfg == NULL)
		return err_set(err, "config: out of memory");
	config_load(cfg);
	/* the bindings the file makes are the keys it shows */
	for (int i = 0; i < cfg->nbinds; i++)
		actions_bind(actions_find(cfg->binds[i].action), cfg->binds[i].key,
		             cfg->binds[i].nkeys, cfg->binds[i].shown);
	config_print(stdout, cfg);
	for (int i = 0; i < cfg->nerrors; i++)
		fprintf(stderr, "annotty: %s: %s\n", cfg->path, cfg->errors[i]);
	if (cfg->errors_more > 0)
		fprintf(stderr, "annotty: %s: %d more errors\n", cfg->path, cfg->errors_more);
	rc = cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
	free(cfg);
	return rc;
}
