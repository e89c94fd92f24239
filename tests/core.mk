# tests of src/core
check_PROGRAMS += tests/core_str.t
tests_core_str_t_SOURCES = tests/core_str.c
tests_core_str_t_LDADD = $(TEST_LDADD)
TESTS += tests/core_str.t
