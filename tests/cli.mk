# The command line of the platform half: login, sync, ls, tag, review, conflicts, campaign
# tasks.
TESTS += tests/cli_picsellia.sh tests/cli_edit.sh tests/cli_tasks.sh tests/cli_cache.sh
EXTRA_DIST += tests/cli_picsellia.sh tests/cli_edit.sh tests/cli_tasks.sh tests/cli_cache.sh
