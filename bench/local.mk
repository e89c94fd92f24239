# benchmarks (make bench): figures and ratios against reference tools, never part of make check
EXTRA_DIST += bench/frame.sh bench/nav.sh bench/tasks.sh bench/bigset.py bench/sync.sh bench/sync_keys.sh

# the sync engine's driver for bench/sync.sh, built only for make bench
EXTRA_PROGRAMS = bench/sync_bench
bench_sync_bench_SOURCES = bench/sync_bench.c
bench_sync_bench_LDADD = libannotty.a $(DEPS_LIBS)
CLEANFILES += bench/sync_bench$(EXEEXT)

bench: annotty$(EXEEXT) bench/sync_bench$(EXEEXT) bench/scale_queries$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/scale.sh $(abs_top_builddir)/annotty$(EXEEXT) \
	  $(abs_top_builddir)/bench/scale_queries$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/frame.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/nav.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' MODE=blocks COLS=140 PRESSES=40 $(SHELL) $(top_srcdir)/bench/nav.sh \
	  $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/tasks.sh $(abs_top_builddir)/annotty$(EXEEXT)
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/bench/sync.sh $(abs_top_builddir)/bench/sync_bench$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/sync_keys.sh $(abs_top_builddir)/annotty$(EXEEXT)

.PHONY: bench

# the list's queries on a large cache, for bench/scale.sh
EXTRA_PROGRAMS += bench/scale_queries
bench_scale_queries_SOURCES = bench/scale_queries.c
bench_scale_queries_LDADD = libannotty.a $(DEPS_LIBS)
EXTRA_DIST += bench/scale.sh bench/gen_coco.py
