# bench/daemon.mk: rtcached end to end (make bench-daemon, as root):
# `rtcache -b` against `ip -batch -force` with the same 100k route get
# lines in a namespace holding the full view, and single-lookup round
# trip latency over the control socket.  See bench/daemon_bench.sh.

EXTRA_DIST += bench/daemon_bench.sh

.PHONY: bench-daemon
bench-daemon: src/daemon/rtcached src/cli/rtcache tools/gen-routes \
	    tools/rtcd-probe
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    BENCH_SRCDIR='$(abs_top_srcdir)' \
	    BENCH_FULLVIEW='$(fullview)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/daemon_bench.sh'
