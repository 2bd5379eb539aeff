# bench/embed.mk: librtcache's embedded mode (issue 19): ns per cached
# single lookup and per batched lookup, against the kernel's RTM_GETROUTE
# round trip for the same flows (bench/embed_bench.c).  `make bench-embed`
# runs it in a namespace of its own as root (bench/embed-bench.sh), in
# the caller's namespace otherwise.  Linked against the shared
# librtcache, as a user links it.
bench_embed_bench_SOURCES = bench/embed_bench.c
bench_embed_bench_CFLAGS = $(AM_CFLAGS) -O2 $(LIBMNL_CFLAGS)
bench_embed_bench_LDADD = src/lib/librtcache.la $(LIBMNL_LIBS)
noinst_PROGRAMS += bench/embed_bench
bench_scripts += bench/embed-bench.sh
EXTRA_DIST += bench/embed-bench.sh

.PHONY: bench-embed
bench-embed: bench/embed_bench
	@BENCH_BUILDDIR='$(abs_top_builddir)' \
	    $(SHELL) '$(abs_top_srcdir)/bench/embed-bench.sh'
