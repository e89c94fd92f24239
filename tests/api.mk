# tests of src/api
API_FIXTURE = tests/api_fixture.c tests/api_fixture.h

check_PROGRAMS += tests/api_coco_read.t
tests_api_coco_read_t_SOURCES = tests/api_coco_read.c $(API_FIXTURE)
tests_api_coco_read_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_read.t

check_PROGRAMS += tests/api_coco_write.t
tests_api_coco_write_t_SOURCES = tests/api_coco_write.c $(API_FIXTURE)
tests_api_coco_write_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_write.t

check_PROGRAMS += tests/api_local.t
tests_api_local_t_SOURCES = tests/api_local.c $(API_FIXTURE)
tests_api_local_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_local.t

check_PROGRAMS += tests/api_coco_realdata.t
tests_api_coco_realdata_t_SOURCES = tests/api_coco_realdata.c $(API_FIXTURE)
tests_api_coco_realdata_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_realdata.t

check_PROGRAMS += tests/api_json_strict.t
tests_api_json_strict_t_SOURCES = tests/api_json_strict.c
tests_api_json_strict_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_json_strict.t

check_PROGRAMS += tests/api_coco_paths.t
tests_api_coco_paths_t_SOURCES = tests/api_coco_paths.c
tests_api_coco_paths_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_paths.t
