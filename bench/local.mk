# benchmarks (make bench): figures and ratios against reference tools, never part of make check
EXTRA_DIST += bench/frame.sh bench/nav.sh bench/tasks.sh bench/bigset.py bench/sync.sh

# the sync engine's driver for bench/sync.sh, built only for make bench
EXTRA_PROGRAMS = bench/sync_bench
bench_sync_bench_SOURCES = bench/sync_bench.c
bench_sync_bench_LDADD = libannotty.a $(DEPS_LIBS)
CLEANFILES += bench/sync_bench$(EXEEXT)

bench: annotty$(EXEEXT) bench/sync_bench$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/frame.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/nav.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' MODE=blocks COLS=140 PRESSES=40 $(SHELL) $(top_srcdir)/bench/nav.sh \
	  $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/tasks.sh $(abs_top_builddir)/annotty$(EXEEXT)
	PYTHON3='$(PYTHON3)' $(SHELL) $(top_srcdir)/bench/sync.sh $(abs_top_builddir)/bench/sync_bench$(EXEEXT)

.PHONY: bench
