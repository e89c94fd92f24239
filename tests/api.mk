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

# the stand-in Picsellia server (Python), checked against the API spec and the SDK's trace
TESTS += tests/standin_api.sh
EXTRA_DIST += tests/standin_api.sh tests/standin_api.py tests/standin/picsellia.py \
	tests/standin/api.py tests/standin/routes_browse.py tests/standin/routes_write.py \
	tests/standin/tasks.py tests/standin/store.py tests/standin/seed.py tests/standin/qlang.py \
	tests/standin/faults.py tests/standin/pngimage.py tests/standin/README.md
