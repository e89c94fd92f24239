# Fuzz targets for the parsers of outside data (COCO JSON, JPEG/PNG/EXIF). make check runs each
# target's smoke driver (seeds plus deterministic mutations); with --enable-fuzzing (clang),
# `make fuzz` runs libFuzzer on each for FUZZ_SECONDS, starting from the same seeds.
FUZZ_COMMON = tests/fuzz/fuzz.h tests/fuzz/smoke.c

check_PROGRAMS += tests/fuzz/coco.t tests/fuzz/image.t
tests_fuzz_coco_t_SOURCES = $(FUZZ_COMMON) tests/fuzz/target_coco.c
tests_fuzz_coco_t_LDADD = $(TEST_LDADD)
tests_fuzz_image_t_SOURCES = $(FUZZ_COMMON) tests/fuzz/target_image.c
tests_fuzz_image_t_LDADD = $(TEST_LDADD)
TESTS += tests/fuzz/coco.t tests/fuzz/image.t
EXTRA_DIST += tests/fuzz/entry.c

FUZZ_TARGETS = coco image
FUZZ_SECONDS = 20

if FUZZING
noinst_PROGRAMS = fuzz/coco fuzz/image
fuzz_coco_SOURCES = tests/fuzz/fuzz.h tests/fuzz/entry.c tests/fuzz/target_coco.c
fuzz_coco_LDADD = $(TEST_LDADD)
fuzz_coco_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
fuzz_image_SOURCES = tests/fuzz/fuzz.h tests/fuzz/entry.c tests/fuzz/target_image.c
fuzz_image_LDADD = $(TEST_LDADD)
fuzz_image_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer

# Each target starts from its seeds and runs for FUZZ_SECONDS; a crash fails with the input
# saved under fuzz/findings/.
fuzz: $(noinst_PROGRAMS) tests/fuzz/coco.t$(EXEEXT) tests/fuzz/image.t$(EXEEXT)
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/corpus/$$t fuzz/findings; \
		tests/fuzz/$$t.t --write-seeds fuzz/corpus/$$t; \
		echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
		fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=1024 \
			-print_final_stats=1 -artifact_prefix=fuzz/findings/$$t- fuzz/corpus/$$t \
			2>fuzz/$$t.log || { tail -n 40 fuzz/$$t.log; exit 1; }; \
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
