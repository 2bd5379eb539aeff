# src/daemon: rtcached.  Everything but main() sits in a convenience
# library that tests/daemon links too; the protocol codec is src/lib's
# libproto.la.

sbin_PROGRAMS = src/daemon/rtcached
noinst_LIBRARIES += src/daemon/librtcd.a

rtcd_cflags = $(AM_CFLAGS) $(URCU_CFLAGS) $(LIBMNL_CFLAGS) $(LIBEVENT_CFLAGS) \
	$(INIH_CFLAGS) $(LIBEVENT_EXTRA_CFLAGS)

src_daemon_librtcd_a_SOURCES = \
	include/rtcache/proto.h \
	src/daemon/rtcached.h \
	src/daemon/log.h \
	src/daemon/log.c \
	src/daemon/options.c \
	src/daemon/notify.c \
	src/daemon/nswatch.c \
	src/daemon/control.c \
	src/daemon/worker.c \
	src/daemon/reply.h \
	src/daemon/reply.c \
	src/daemon/listing.c \
	src/daemon/dispatch.c \
	src/embed/lookup.h \
	src/embed/fibmatch.c
src_daemon_librtcd_a_CFLAGS = $(rtcd_cflags)

rtcd_ldadd = src/daemon/librtcd.a src/daemon/librtcsvc.a src/lib/libproto.la \
	$(core_libs) $(INIH_LIBS) $(LIBEVENT_EXTRA_LIBS) $(LIBEVENT_LIBS) \
	$(LIBMNL_LIBS)

src_daemon_rtcached_SOURCES = src/daemon/main.c
src_daemon_rtcached_CFLAGS = $(rtcd_cflags)
src_daemon_rtcached_LDADD = $(rtcd_ldadd)

dist_man8_MANS = man/rtcached.8
