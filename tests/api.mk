# tests of src/api
API_FIXTURE = tests/api_fixture.c tests/api_fixture.h

check_PROGRAMS += tests/api_coco_read.t
tests_api_coco_read_t_SOURCES = tests/api_coco_read.c $(API_FIXTURE)
tests_api_coco_read_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_read.t

check_PROGRAMS += tests/api_coco_stream.t
tests_api_coco_stream_t_SOURCES = tests/api_coco_stream.c $(API_FIXTURE)
tests_api_coco_stream_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_stream.t

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
# The Picsellia client against the stand-in server (skipped when the server is not there).
API_STANDIN = tests/api_standin.c tests/api_standin.h $(API_FIXTURE)

check_PROGRAMS += tests/api_picsellia_connect.t
tests_api_picsellia_connect_t_SOURCES = tests/api_picsellia_connect.c $(API_STANDIN)
tests_api_picsellia_connect_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_picsellia_connect.t

check_PROGRAMS += tests/api_picsellia_browse.t
tests_api_picsellia_browse_t_SOURCES = tests/api_picsellia_browse.c $(API_STANDIN)
tests_api_picsellia_browse_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_picsellia_browse.t

check_PROGRAMS += tests/api_picsellia_download.t
tests_api_picsellia_download_t_SOURCES = tests/api_picsellia_download.c $(API_STANDIN)
tests_api_picsellia_download_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_picsellia_download.t

check_PROGRAMS += tests/api_picsellia_push.t
tests_api_picsellia_push_t_SOURCES = tests/api_picsellia_push.c $(API_STANDIN)
tests_api_picsellia_push_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_picsellia_push.t

check_PROGRAMS += tests/api_picsellia_faults.t
tests_api_picsellia_faults_t_SOURCES = tests/api_picsellia_faults.c $(API_STANDIN)
tests_api_picsellia_faults_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_picsellia_faults.t

check_PROGRAMS += tests/api_json_strict.t
tests_api_json_strict_t_SOURCES = tests/api_json_strict.c
tests_api_json_strict_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_json_strict.t

check_PROGRAMS += tests/api_coco_paths.t
tests_api_coco_paths_t_SOURCES = tests/api_coco_paths.c
tests_api_coco_paths_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_paths.t

# the local formats besides COCO, the faithful COCO export, and the real data in each format
check_PROGRAMS += tests/api_coco_faithful.t
tests_api_coco_faithful_t_SOURCES = tests/api_coco_faithful.c $(API_FIXTURE)
tests_api_coco_faithful_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_coco_faithful.t

TESTS += tests/cli_formats_realdata.sh
EXTRA_DIST += tests/cli_formats_realdata.sh

check_PROGRAMS += tests/api_formats.t
tests_api_formats_t_SOURCES = tests/api_formats.c $(API_FIXTURE)
tests_api_formats_t_LDADD = $(TEST_LDADD)
TESTS += tests/api_formats.t
TESTS += tests/cli_export_faithful.sh
EXTRA_DIST += tests/cli_export_faithful.sh
