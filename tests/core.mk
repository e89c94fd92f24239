# tests of src/core, and the layer rule over the whole tree
check_PROGRAMS += tests/core_str.t
tests_core_str_t_SOURCES = tests/core_str.c
tests_core_str_t_LDADD = $(TEST_LDADD)
check_PROGRAMS += tests/core_shape_edit.t
tests_core_shape_edit_t_SOURCES = tests/core_shape_edit.c
tests_core_shape_edit_t_LDADD = $(TEST_LDADD)
TESTS += tests/core_shape_edit.t
check_PROGRAMS += tests/core_num.t
tests_core_num_t_SOURCES = tests/core_num.c
tests_core_num_t_LDADD = $(TEST_LDADD)
TESTS += tests/core_num.t

check_PROGRAMS += tests/core_workq.t
tests_core_workq_t_SOURCES = tests/core_workq.c
tests_core_workq_t_LDADD = $(TEST_LDADD)
TESTS += tests/core_workq.t
TESTS += tests/core_str.t tests/check_layers.sh
EXTRA_DIST += tests/check_layers.sh
check_PROGRAMS += tests/core_files.t
tests_core_files_t_SOURCES = tests/core_files.c
tests_core_files_t_LDADD = $(TEST_LDADD)
TESTS += tests/core_files.t
