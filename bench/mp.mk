# bench/mp.mk: the multipath miss-path benchmark (make bench-mp, as
# root): a leg asked of the kernel, or hashed here, against a one-leg
# route, every lookup a route-cache miss.  See bench/mp-bench.sh.

bench_mp_bench_SOURCES = bench/mp_bench.c bench/bench_table.c
bench_mp_bench_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_FULLVIEW='"$(bench_fullview)"'
bench_mp_bench_CFLAGS = $(AM_CFLAGS) -O2 $(URCU_CFLAGS) $(LIBEVENT_CFLAGS)
bench_mp_bench_LDADD = $(core_libs)
noinst_PROGRAMS += bench/mp_bench
EXTRA_DIST += bench/mp-bench.sh

.PHONY: bench-mp
bench-mp: bench/mp_bench
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/mp-bench.sh'
