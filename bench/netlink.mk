# bench: the netlink mirror benchmark (issue 6).  `make bench-netlink`, as
# root: full-view start-to-ready against `ip route save`, RSS per route,
# a 400k-change burst.  BENCH_ROUTES=N limits the table.
EXTRA_DIST += bench/mirror-bench.sh

.PHONY: bench-netlink
bench-netlink: tools/mirror-dump tools/gen-routes
	BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/mirror-bench.sh'
