/* `annotty help [COMMAND]`, and the hidden `annotty __synopsis` that writes the man page's
 * SYNOPSIS (a test holds share/annotty.1 to it). */
#include "cli/cli.h"
#include "core/err.h"

#include <string.h>

static void command_names(char *buf, size_t n)
{
	const char *last = "";

	buf[0] = '\0';
	for (const struct cli_command *c = cli_commands; c->name != NULL; c++) {
		size_t len = strlen(buf);

		if (c->hidden || c->name[0] == '\0' || strcmp(c->name, last) == 0)
			continue;
		snprintf(buf + len, n - len, "%s%s", len > 0 ? ", " : "", c->name);
		last = c->name;
	}
}

int cli_run_help(const struct cli_call *call, struct err *err)
{
	char names[256];

	if (call->nargs == 0) {
		cli_usage(stdout);
		return cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
	}
	if (!cli_command_known(call->args[0], 0)) {
		command_names(names, sizeof names);
		return err_setk(err, ERR_USAGE, "there is no command %s; commands: %s",
		                call->args[0], names);
	}
	cli_usage_command(stdout, call->args[0]);
	return cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
}

int cli_run_synopsis(const struct cli_call *call, struct err *err)
{
	(void)call;
	cli_synopsis_roff(stdout);
	return cli_flush_stdout(err) < 0 ? -1 : EXIT_OK;
}
