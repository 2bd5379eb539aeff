# bench: the allocator benchmark (issue 3) and the FIB benchmark (issue 4).
# alloc_bench.c is built once per allocator; the baselines only where
# configure found them, and never in sanitizer builds (the sanitizer
# runtime replaces malloc, so a "baseline" would measure it instead).
# `make bench` runs the driver scripts from the build directory.

bench_cflags = $(AM_CFLAGS) -O2 -fno-builtin-malloc -fno-builtin-free
bench_programs = bench/alloc_bench_slab bench/alloc_bench_glibc

bench_alloc_bench_slab_SOURCES = bench/alloc_bench.c
bench_alloc_bench_slab_CFLAGS = $(bench_cflags) -DBENCH_SLAB
bench_alloc_bench_slab_LDADD = $(core_libs)

bench_alloc_bench_glibc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_glibc_CFLAGS = $(bench_cflags) -DBENCH_GLIBC

if !SAN_ASAN
if !SAN_TSAN
if HAVE_JEMALLOC
bench_programs += bench/alloc_bench_jemalloc
endif
if HAVE_MIMALLOC
bench_programs += bench/alloc_bench_mimalloc
endif
endif
endif

bench_alloc_bench_jemalloc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_jemalloc_CFLAGS = $(bench_cflags) $(JEMALLOC_CFLAGS) \
	-DBENCH_JEMALLOC
bench_alloc_bench_jemalloc_LDADD = $(JEMALLOC_LIBS)

bench_alloc_bench_mimalloc_SOURCES = bench/alloc_bench.c
bench_alloc_bench_mimalloc_CFLAGS = $(bench_cflags) $(MIMALLOC_CFLAGS) \
	-DBENCH_MIMALLOC
bench_alloc_bench_mimalloc_LDADD = $(MIMALLOC_LIBS)

noinst_PROGRAMS += $(bench_programs)

bench_scripts += bench/alloc-bench.sh
EXTRA_DIST += $(bench_scripts)

.PHONY: bench
bench: $(bench_programs)
	BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/alloc-bench.sh'
