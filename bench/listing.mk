# bench/listing.mk: rtcached with 240 stalled listing clients during a
# 300k-route burst (make bench-listing, as root); see
# bench/listing-bench.sh, which runs tests/faults/listing-load.sh.

EXTRA_DIST += bench/listing-bench.sh

.PHONY: bench-listing
bench-listing: src/daemon/rtcached tools/rtcd-probe tools/gen-routes
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    BENCH_SRCDIR='$(abs_top_srcdir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/listing-bench.sh'
