# bench: the allocator benchmark (issue 3) and the FIB benchmark (issue 4).
# alloc_bench.c is built once per allocator; the baselines only where
# configure found them, and never in sanitizer builds (the sanitizer
# runtime replaces malloc, so a "baseline" would measure it instead).
# `make bench` runs both driver scripts from the build directory;
# `make bench-summary` prints the allocator comparison lines only.

bench_cflags = $(AM_CFLAGS) -O2 -fno-builtin-malloc -fno-builtin-free
bench_fullview = $(fullview)
bench_alloc_programs = bench/alloc_bench_slab bench/alloc_bench_glibc

bench_alloc_bench_slab_SOURCES = bench/alloc_bench.c
bench_alloc_bench_slab_CFLAGS = $(bench_cflags) -DBENCH_SLAB
bench_alloc_bench_slab_LDADD = $(core_libs)

bench_alloc_bench_glibc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_glibc_CFLAGS = $(bench_cflags) -DBENCH_GLIBC

bench_alloc_bench_jemalloc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_jemalloc_CFLAGS = $(bench_cflags) $(JEMALLOC_CFLAGS) \
	-DBENCH_JEMALLOC
bench_alloc_bench_jemalloc_LDADD = $(JEMALLOC_LIBS)

bench_alloc_bench_mimalloc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_mimalloc_CFLAGS = $(bench_cflags) $(MIMALLOC_CFLAGS) \
	-DBENCH_MIMALLOC
bench_alloc_bench_mimalloc_LDADD = $(MIMALLOC_LIBS)

# The FIB benchmark; rte_lpm beside it where DPDK is installed.
bench_fib_bench_SOURCES = bench/fib_bench.c bench/bench_table.c \
	bench/bench_table.h
bench_fib_bench_CPPFLAGS = $(AM_CPPFLAGS) \
	-DBENCH_FULLVIEW='"$(bench_fullview)"'
bench_fib_bench_CFLAGS = $(AM_CFLAGS) -O2 $(URCU_CFLAGS)
bench_fib_bench_LDADD = $(core_libs)

if !SAN_ASAN
if !SAN_TSAN
if HAVE_JEMALLOC
bench_alloc_programs += bench/alloc_bench_jemalloc
endif
if HAVE_MIMALLOC
bench_alloc_programs += bench/alloc_bench_mimalloc
endif
if HAVE_DPDK
bench_fib_bench_CFLAGS += -DBENCH_WITH_DPDK $(DPDK_CFLAGS)
bench_fib_bench_LDADD += $(DPDK_LIBS)
endif
endif
endif

bench_programs = $(bench_alloc_programs) bench/fib_bench
noinst_PROGRAMS += $(bench_programs)
bench_scripts += bench/alloc-bench.sh bench/fib-bench.sh
EXTRA_DIST += $(bench_scripts)
CLEANFILES += bench/lpm-*.cache

.PHONY: bench bench-summary
bench: $(bench_programs) tools/gen-routes
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/alloc-bench.sh'
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/fib-bench.sh'

# The README's first command: the allocator comparison, bench lines only.
bench-summary: $(bench_alloc_programs)
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/alloc-bench.sh' --summary
