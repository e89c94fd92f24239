# The command line: one file per subcommand, the command table and the shared parts.
annotty_SOURCES += src/cli/cli.h src/cli/cli.c src/cli/table.c src/cli/parse.c \
	src/cli/usage.c src/cli/output.c src/cli/session.c src/cli/libversions.c \
	src/cli/config.h src/cli/config.c src/cli/remote.c \
	src/cli/cli_open.c src/cli/cli_ls.c src/cli/cli_export.c src/cli/cli_show.c \
	src/cli/cli_doctor.c src/cli/cli_help.c src/cli/cli_complete.c \
	src/cli/cli_login.c src/cli/cli_sources.c src/cli/cli_cache.c src/cli/cli_sync.c src/cli/cli_ls_remote.c \
	src/cli/cli_edit.c src/cli/cli_conflicts.c src/cli/target.c src/cli/cli_ls_campaign.c \
	src/cli/cli_task.c src/cli/cli_campaign.c
