/* The command line's entry: parse against the table, answer --help and --version, run the
 * command's handler, and turn what it returns into an exit status and one-line messages. */
#include "cli/cli.h"
#include "core/err.h"
#include "core/log.h"
#include "core/paths.h"
#include "core/str.h"
#include "ui/actions.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

static void open_log(void)
{
	char logpath[PATH_MAX];
	struct err err;

	if (paths_log_file(logpath, sizeof logpath, &err) == 0)
		log_open(logpath);
}

/* --help, --version and --list-actions answer instead of the command. */
static int answer_global(const struct cli_call *call)
{
	if (call->value[OPT_HELP] != NULL) {
		if (call->topic != NULL)
			cli_usage_command(stdout, call->topic);
		else
			cli_usage(stdout);
	} else if (call->value[OPT_VERSION] != NULL) {
		printf("annotty %s\n", PACKAGE_VERSION);
	} else {
		actions_print(stdout);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAILURE_GENERIC;
}

/* The message in one line, then for a wrong command line where to read more; with --json, one
 * JSON object instead. */
static int report(const struct err *err, const char *topic, int json)
{
	char clean[ERR_MSG_MAX * 2];

	if (json) {
		cli_json_error(stderr, err);
		return err_kind_of(err) == ERR_USAGE ? EXIT_USAGE : EXIT_FAILURE_GENERIC;
	}
	fprintf(stderr, "annotty: %s\n", str_sanitize(err->msg, clean, sizeof clean));
	if (err_kind_of(err) == ERR_DAMAGED)
		fputs("annotty: to rebuild it: annotty cache rebuild\n", stderr);
	if (err_kind_of(err) != ERR_USAGE)
		return EXIT_FAILURE_GENERIC;
	if (topic != NULL && topic[0] != '\0' && strcmp(topic, "help") != 0)
		fprintf(stderr, "see 'annotty help %s'\n", topic);
	else
		fputs("see 'annotty help'\n", stderr);
	return EXIT_USAGE;
}

int cli_main(int argc, char **argv)
{
	struct cli_call call;
	struct err err;
	int rc;

	setlocale(LC_ALL, "");
	err_clear(&err);
	if (cli_parse(argc, argv, &call, &err) < 0)
		return report(&err, call.topic, call.value[OPT_JSON] != NULL);
	if (call.cmd == NULL)
		return answer_global(&call);
	open_log();
	rc = call.cmd->run(&call, &err);
	log_close();
	if (rc < 0)
		return report(&err, call.cmd->name, call.value[OPT_JSON] != NULL);
	return rc;
}
