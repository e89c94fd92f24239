# tests of src/frame
check_PROGRAMS += tests/frame_build.t
tests_frame_build_t_SOURCES = tests/frame_build.c
tests_frame_build_t_LDADD = $(TEST_LDADD)
TESTS += tests/frame_build.t
check_PROGRAMS += tests/frame_worker.t
tests_frame_worker_t_SOURCES = tests/frame_worker.c
tests_frame_worker_t_LDADD = $(TEST_LDADD)
TESTS += tests/frame_worker.t
check_PROGRAMS += tests/frame_match.t
tests_frame_match_t_SOURCES = tests/frame_match.c
tests_frame_match_t_LDADD = $(TEST_LDADD)
TESTS += tests/frame_match.t
