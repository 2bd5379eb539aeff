# src/base: the bottom layer, used by every other folder and using nothing
# of ours: memory ordering (include/rtcache/compiler.h), RCU and deferred
# freeing, lists and arrays (include/rtcache/list.h, array.h), the clock,
# the log hook and its rate limiter, the route name tables, IP protocol
# names, and the netlink attribute iterator on libmnl (nlattr).  It is a
# library of its own, src/libbase.a, so that the CLI, which does not link
# the daemon's core, can use it too: core_libs lists it after librtcore.la.
# The core links src/libbase.la, the same sources built as a libtool
# convenience library with the core's flags (Makefile.am, core_pic_cflags)
# so that librtcache.so can carry it; src/libbase.a stays for the programs
# that link base without the core (rtcache, rtcd-probe, tests/base).
base_sources = \
	include/rtcache/compiler.h \
	include/rtcache/list.h \
	include/rtcache/array.h \
	src/base/rcu.h \
	src/base/rcu.c \
	src/base/clock.h \
	src/base/log.h \
	src/base/log.c \
	src/base/rt_names.h \
	src/base/rt_names.c \
	src/base/inet_proto.h \
	src/base/inet_proto.c \
	src/base/nlattr.h \
	src/base/nlattr.c
noinst_LIBRARIES += src/libbase.a
src_libbase_a_SOURCES = $(base_sources)
src_libbase_a_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) $(LIBMNL_CFLAGS)

noinst_LTLIBRARIES += src/libbase.la
src_libbase_la_SOURCES = $(base_sources)
src_libbase_la_CFLAGS = $(AM_CFLAGS) $(core_pic_cflags) $(URCU_CFLAGS) \
	$(LIBMNL_CFLAGS)
