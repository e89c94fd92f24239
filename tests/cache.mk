# tests of src/cache
CACHE_TEST_SOURCES = tests/cache_fixture.c tests/cache_fixture.h

check_PROGRAMS += tests/cache_schema.t
tests_cache_schema_t_SOURCES = tests/cache_schema.c $(CACHE_TEST_SOURCES)
tests_cache_schema_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_schema.t

check_PROGRAMS += tests/cache_import.t
tests_cache_import_t_SOURCES = tests/cache_import.c $(CACHE_TEST_SOURCES)
tests_cache_import_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_import.t

check_PROGRAMS += tests/cache_page.t
tests_cache_page_t_SOURCES = tests/cache_page.c $(CACHE_TEST_SOURCES)
tests_cache_page_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_page.t

check_PROGRAMS += tests/cache_edit.t
tests_cache_edit_t_SOURCES = tests/cache_edit.c $(CACHE_TEST_SOURCES)
tests_cache_edit_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_edit.t

check_PROGRAMS += tests/cache_shape_edit.t
tests_cache_shape_edit_t_SOURCES = tests/cache_shape_edit.c $(CACHE_TEST_SOURCES)
tests_cache_shape_edit_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_shape_edit.t

check_PROGRAMS += tests/cache_perf.t
tests_cache_perf_t_SOURCES = tests/cache_perf.c $(CACHE_TEST_SOURCES)
tests_cache_perf_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_perf.t

check_PROGRAMS += tests/cache_sync.t
tests_cache_sync_t_SOURCES = tests/cache_sync.c tests/backend_script.c tests/backend_script.h \
	$(CACHE_TEST_SOURCES)
tests_cache_sync_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_sync.t

check_PROGRAMS += tests/cache_runs.t
tests_cache_runs_t_SOURCES = tests/cache_runs.c $(CACHE_TEST_SOURCES)
tests_cache_runs_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_runs.t

check_PROGRAMS += tests/cache_harden.t
tests_cache_harden_t_SOURCES = tests/cache_harden.c $(CACHE_TEST_SOURCES)
tests_cache_harden_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_harden.t

# the sync engine with the Picsellia backend against the stand-in server
check_PROGRAMS += tests/sync_picsellia.t
tests_sync_picsellia_t_SOURCES = tests/sync_picsellia.c tests/api_standin.c tests/api_standin.h \
	tests/api_fixture.c tests/api_fixture.h \
	$(CACHE_TEST_SOURCES)
tests_sync_picsellia_t_LDADD = $(TEST_LDADD)
TESTS += tests/sync_picsellia.t

check_PROGRAMS += tests/cache_campaign.t
tests_cache_campaign_t_SOURCES = tests/cache_campaign.c $(CACHE_TEST_SOURCES)
tests_cache_campaign_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_campaign.t

# the campaign loop of two people against the stand-in server
check_PROGRAMS += tests/sync_tasks.t
tests_sync_tasks_t_SOURCES = tests/sync_tasks.c tests/api_standin.c tests/api_standin.h \
	tests/api_fixture.c tests/api_fixture.h $(CACHE_TEST_SOURCES)
tests_sync_tasks_t_LDADD = $(TEST_LDADD)
TESTS += tests/sync_tasks.t

# the sync worker's threads against the stand-in server
check_PROGRAMS += tests/sync_worker.t
tests_sync_worker_t_SOURCES = tests/sync_worker.c tests/api_standin.c tests/api_standin.h \
	tests/api_fixture.c tests/api_fixture.h \
	$(CACHE_TEST_SOURCES)
tests_sync_worker_t_LDADD = $(TEST_LDADD)
TESTS += tests/sync_worker.t

check_PROGRAMS += tests/cache_bulk.t
tests_cache_bulk_t_SOURCES = tests/cache_bulk.c $(CACHE_TEST_SOURCES)
tests_cache_bulk_t_LDADD = $(TEST_LDADD)
TESTS += tests/cache_bulk.t
