# tests of src/demo
check_PROGRAMS += tests/demo_gen.t
tests_demo_gen_t_SOURCES = tests/demo_gen.c
tests_demo_gen_t_LDADD = $(TEST_LDADD)
TESTS += tests/demo_gen.t
