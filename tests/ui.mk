# tests of the command line and the TUI (shell scripts driving the real binary)
TESTS += tests/cli_basics.sh tests/cli_show.sh tests/man_keys.sh tests/screen_review.sh tests/screen_badinput.sh
EXTRA_DIST += tests/cli_basics.sh tests/cli_show.sh tests/man_keys.sh tests/screen_review.sh tests/screen_badinput.sh
clean-local:
	rm -rf tests/demo-data tests/demo-data.lock
check_PROGRAMS += tests/ui_frame.t
tests_ui_frame_t_SOURCES = tests/ui_frame.c
tests_ui_frame_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_frame.t
