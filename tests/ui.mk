# tests of the command line and the TUI (shell scripts driving the real binary)
TESTS += tests/cli_basics.sh tests/cli_show.sh tests/cli_complete.sh tests/cli_usage.sh tests/cli_signals.sh tests/man_keys.sh tests/screen_review.sh tests/screen_badinput.sh tests/screen_edit.sh tests/screen_feedback.sh tests/screen_conflicts.sh tests/screen_beside.sh tests/screen_tasks.sh tests/screen_platform.sh tests/screen_marks.sh tests/screen_terminals.sh tests/screen_search.sh
EXTRA_DIST += tests/cli_basics.sh tests/cli_show.sh tests/cli_complete.sh tests/cli_usage.sh tests/cli_signals.sh tests/man_keys.sh tests/screen_review.sh tests/screen_badinput.sh tests/screen_edit.sh tests/screen_feedback.sh tests/screen_conflicts.sh tests/screen_beside.sh tests/screen_tasks.sh tests/screen_platform.sh tests/screen_marks.sh tests/screen_terminals.sh tests/screen_search.sh
# annotty in a real xterm under Xvfb, checked on screenshots
TESTS += tests/xterm_real.sh
EXTRA_DIST += tests/xterm_real.sh tests/xterm_pixels.py
clean-local:
	rm -rf tests/demo-data tests/demo-data.lock
check_PROGRAMS += tests/ui_edit.t
tests_ui_edit_t_SOURCES = tests/ui_edit.c
tests_ui_edit_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_edit.t
check_PROGRAMS += tests/ui_term.t
tests_ui_term_t_SOURCES = tests/ui_term.c
tests_ui_term_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_term.t
check_PROGRAMS += tests/ui_screen.t
tests_ui_screen_t_SOURCES = tests/ui_screen.c
tests_ui_screen_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_screen.t
check_PROGRAMS += tests/ui_actions.t
tests_ui_actions_t_SOURCES = tests/ui_actions.c
tests_ui_actions_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_actions.t
check_PROGRAMS += tests/ui_conflicts.t
tests_ui_conflicts_t_SOURCES = tests/ui_conflicts.c
tests_ui_conflicts_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_conflicts.t

check_PROGRAMS += tests/ui_campaign.t
tests_ui_campaign_t_SOURCES = tests/ui_campaign.c
tests_ui_campaign_t_LDADD = $(TEST_LDADD)
TESTS += tests/ui_campaign.t
