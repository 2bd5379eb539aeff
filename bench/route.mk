# bench/route.mk: the route-cache benchmark (issue 5), sharing the table
# and rte_lpm code of bench/bench_table.c.  `make bench-route`.

bench_route_bench_SOURCES = bench/route_bench.c bench/bench_table.c
bench_route_bench_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_FULLVIEW='"$(bench_fullview)"'
bench_route_bench_CFLAGS = $(AM_CFLAGS) -O2 $(URCU_CFLAGS)
bench_route_bench_LDADD = $(core_libs)
if !SAN_ASAN
if !SAN_TSAN
if HAVE_DPDK
bench_route_bench_CFLAGS += -DBENCH_WITH_DPDK $(DPDK_CFLAGS)
bench_route_bench_LDADD += $(DPDK_LIBS)
endif
endif
endif
noinst_PROGRAMS += bench/route_bench

.PHONY: bench-route
bench-route: bench/route_bench
	bench/route_bench --lpm-cache bench/lpm-real.cache
