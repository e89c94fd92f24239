# The command line of the platform half: login, sync, ls, tag, review, conflicts.
TESTS += tests/cli_picsellia.sh tests/cli_cache.sh tests/cli_edit.sh
EXTRA_DIST += tests/cli_picsellia.sh tests/cli_cache.sh tests/cli_edit.sh
