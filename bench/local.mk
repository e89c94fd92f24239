# benchmarks (make bench): figures and ratios against reference tools, never part of make check
EXTRA_DIST += bench/frame.sh

bench: annotty$(EXEEXT)
	$(SHELL) $(top_srcdir)/bench/frame.sh $(abs_top_builddir)/annotty$(EXEEXT)

.PHONY: bench
