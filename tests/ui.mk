# tests of the command line and the TUI (shell scripts driving the real binary)
TESTS += tests/cli_basics.sh tests/man_keys.sh tests/screen_review.sh
EXTRA_DIST += tests/cli_basics.sh tests/man_keys.sh tests/screen_review.sh
clean-local:
	rm -rf tests/demo-data tests/demo-data.lock
