# src/cli: rtcache, the command-line client (see Makefile.am).
# Everything but main() is in src/cli/libcli.a so tests/cli can drive it.

noinst_LIBRARIES += src/cli/libcli.a
src_cli_libcli_a_SOURCES = \
	src/cli/cli.h \
	src/cli/cli_buf.c \
	src/cli/cli_parse.c \
	src/cli/cli_print.c \
	src/cli/cli_run.c \
	src/cli/cli_verify.c \
	src/base/nlattr.h \
	src/base/nlattr.c
# (src/base/nlattr.[ch] are base files: librtcache does not export them.)
src_cli_libcli_a_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS) $(JSONC_CFLAGS)

bin_PROGRAMS = src/cli/rtcache
src_cli_rtcache_SOURCES = src/cli/rtcache.c
src_cli_rtcache_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS) $(JSONC_CFLAGS)
src_cli_rtcache_LDADD = src/cli/libcli.a src/lib/librtcache.la \
	$(LIBMNL_LIBS) $(JSONC_LIBS)
