# the sync engine against the stand-in server under faults and kills
SYNC_CHAOS_SOURCES = tests/sync_chaos.c tests/sync_chaos.h tests/api_standin.c \
	tests/api_standin.h tests/api_fixture.c tests/api_fixture.h $(CACHE_TEST_SOURCES)

check_PROGRAMS += tests/sync_faults.t
tests_sync_faults_t_SOURCES = tests/sync_faults.c $(SYNC_CHAOS_SOURCES)
tests_sync_faults_t_LDADD = $(TEST_LDADD)
TESTS += tests/sync_faults.t

check_PROGRAMS += tests/sync_kill.t
tests_sync_kill_t_SOURCES = tests/sync_kill.c $(SYNC_CHAOS_SOURCES)
tests_sync_kill_t_LDADD = $(TEST_LDADD)
TESTS += tests/sync_kill.t

# The long kill loop: SYNC_CHAOS_RUNS runs (50 unless set) of five kills each, alternately
# during a push and a pull; make check runs two of them.
check-chaos: tests/sync_kill.t
	SYNC_CHAOS_RUNS=$${SYNC_CHAOS_RUNS:-50} $(MAKE) $(AM_MAKEFLAGS) check TESTS=tests/sync_kill.t
	@grep '^# [0-9]* runs' tests/sync_kill.log

.PHONY: check-chaos
