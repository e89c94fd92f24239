# benchmarks (make bench): figures and ratios against reference tools, never part of make check
EXTRA_DIST += bench/frame.sh bench/nav.sh bench/tasks.sh bench/bigset.py bench/sync_keys.sh

bench: annotty$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/frame.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/nav.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' MODE=blocks COLS=140 PRESSES=40 $(SHELL) $(top_srcdir)/bench/nav.sh \
	  $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/tasks.sh $(abs_top_builddir)/annotty$(EXEEXT)
	TMUX_BIN='$(TMUX)' $(SHELL) $(top_srcdir)/bench/sync_keys.sh $(abs_top_builddir)/annotty$(EXEEXT)

.PHONY: bench
