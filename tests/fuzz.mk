# Fuzz targets for every parser of outside data: COCO JSON, JPEG/PNG/EXIF, COCO keypoints and
# skeletons, the terminal's replies (and tmux's), the JSON the cache reads back (shape values,
# the edit log of undo and redo, the extras an export writes) and folder discovery. make check
# runs each target's smoke driver (seeds plus deterministic mutations); with --enable-fuzzing
# (clang), `make fuzz` runs libFuzzer on each for FUZZ_SECONDS, starting from the same seeds.
# Seeds: what a target makes itself, and the files of tests/fuzz/corpus/<target>/.
FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/seed.c
FUZZ_SMOKE = $(FUZZ_COMMON) tests/fuzz/smoke.c
FUZZ_CACHE = tests/fuzz/cache_env.c tests/fuzz/cache_env.h
FUZZ_TARGETS = coco image keypoints term shape_value edit_log export find
FUZZ_SECONDS = 20

check_PROGRAMS += tests/fuzz/coco.t tests/fuzz/image.t tests/fuzz/keypoints.t tests/fuzz/term.t \
	tests/fuzz/shape_value.t tests/fuzz/edit_log.t tests/fuzz/export.t tests/fuzz/find.t
tests_fuzz_coco_t_SOURCES = $(FUZZ_SMOKE) tests/fuzz/target_coco.c
tests_fuzz_coco_t_LDADD = $(TEST_LDADD)
tests_fuzz_image_t_SOURCES = $(FUZZ_SMOKE) tests/fuzz/target_image.c
tests_fuzz_image_t_LDADD = $(TEST_LDADD)
tests_fuzz_keypoints_t_SOURCES = $(FUZZ_SMOKE) $(FUZZ_CACHE) tests/fuzz/target_keypoints.c
tests_fuzz_keypoints_t_LDADD = $(TEST_LDADD)
tests_fuzz_term_t_SOURCES = $(FUZZ_SMOKE) tests/fuzz/target_term.c
tests_fuzz_term_t_LDADD = $(TEST_LDADD)
tests_fuzz_shape_value_t_SOURCES = $(FUZZ_SMOKE) tests/fuzz/target_shape_value.c
tests_fuzz_shape_value_t_LDADD = $(TEST_LDADD)
tests_fuzz_edit_log_t_SOURCES = $(FUZZ_SMOKE) $(FUZZ_CACHE) tests/fuzz/target_edit_log.c
tests_fuzz_edit_log_t_LDADD = $(TEST_LDADD)
tests_fuzz_export_t_SOURCES = $(FUZZ_SMOKE) $(FUZZ_CACHE) tests/fuzz/target_export.c
tests_fuzz_export_t_LDADD = $(TEST_LDADD)
tests_fuzz_find_t_SOURCES = $(FUZZ_SMOKE) tests/fuzz/target_find.c
tests_fuzz_find_t_LDADD = $(TEST_LDADD)
TESTS += tests/fuzz/coco.t tests/fuzz/image.t tests/fuzz/keypoints.t tests/fuzz/term.t \
	tests/fuzz/shape_value.t tests/fuzz/edit_log.t tests/fuzz/export.t tests/fuzz/find.t
EXTRA_DIST += tests/fuzz/entry.c tests/fuzz/corpus

if FUZZING
noinst_PROGRAMS = fuzz/coco fuzz/image fuzz/keypoints fuzz/term fuzz/shape_value \
	fuzz/edit_log fuzz/export fuzz/find
FUZZ_ENTRY = $(FUZZ_COMMON) tests/fuzz/entry.c
FUZZ_LINKFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
fuzz_coco_SOURCES = $(FUZZ_ENTRY) tests/fuzz/target_coco.c
fuzz_coco_LDADD = $(TEST_LDADD)
fuzz_coco_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_image_SOURCES = $(FUZZ_ENTRY) tests/fuzz/target_image.c
fuzz_image_LDADD = $(TEST_LDADD)
fuzz_image_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_keypoints_SOURCES = $(FUZZ_ENTRY) $(FUZZ_CACHE) tests/fuzz/target_keypoints.c
fuzz_keypoints_LDADD = $(TEST_LDADD)
fuzz_keypoints_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_term_SOURCES = $(FUZZ_ENTRY) tests/fuzz/target_term.c
fuzz_term_LDADD = $(TEST_LDADD)
fuzz_term_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_shape_value_SOURCES = $(FUZZ_ENTRY) tests/fuzz/target_shape_value.c
fuzz_shape_value_LDADD = $(TEST_LDADD)
fuzz_shape_value_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_edit_log_SOURCES = $(FUZZ_ENTRY) $(FUZZ_CACHE) tests/fuzz/target_edit_log.c
fuzz_edit_log_LDADD = $(TEST_LDADD)
fuzz_edit_log_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_export_SOURCES = $(FUZZ_ENTRY) $(FUZZ_CACHE) tests/fuzz/target_export.c
fuzz_export_LDADD = $(TEST_LDADD)
fuzz_export_LDFLAGS = $(FUZZ_LINKFLAGS)
fuzz_find_SOURCES = $(FUZZ_ENTRY) tests/fuzz/target_find.c
fuzz_find_LDADD = $(TEST_LDADD)
fuzz_find_LDFLAGS = $(FUZZ_LINKFLAGS)

# Each target starts from its own seeds and the repository's corpus and runs for FUZZ_SECONDS;
# a crash fails with the input saved under fuzz/findings/.
fuzz: $(noinst_PROGRAMS) $(FUZZ_TARGETS:%=tests/fuzz/%.t$(EXEEXT))
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t fuzz/findings; \
		tests/fuzz/$$t.t --write-seeds fuzz/corpus/$$t; \
		kept=$(srcdir)/tests/fuzz/corpus/$$t; test -d $$kept || kept=; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=1024 \
			-print_final_stats=1 -artifact_prefix=fuzz/findings/$$t- fuzz/corpus/$$t \
			$$kept 2>fuzz/$$t.log || { tail -n 40 fuzz/$$t.log; exit 1; }; \
		grep -E '^stat::number_of_executed_units' fuzz/$$t.log || true; \
	done
else
fuzz:
	@echo "configure with CC=clang --enable-fuzzing to run the fuzzers"; exit 1
endif
.PHONY: fuzz
clean-local: clean-fuzz
clean-fuzz:
	-rm -rf fuzz
.PHONY: clean-fuzz
