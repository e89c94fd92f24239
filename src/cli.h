/* The command line: parsing options and running the subcommands (ls, export, the TUI). */
#ifndef ANNOTTY_CLI_H
#define ANNOTTY_CLI_H

/* Exit codes */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_GENERIC = 1, /* the operation failed (bad input, I/O) */
	EXIT_USAGE = 2,           /* the command line is wrong */
};

int cli_main(int argc, char **argv);

#endif
