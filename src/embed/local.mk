# src/embed: librtcache's embedded mode (include/rtcache/embed.h): the
# mirror thread, calling-thread registration, inline lookups, change
# notification (embed.c), and the lookup shared with rtcached's
# dispatcher: lookup.h (static functions, included by both users) and
# fibmatch.c (src/daemon/local.mk lists them for the daemon too).
#
# A libtool convenience library with the core's flags (core_pic_cflags:
# hidden, initial-exec TLS); embed.c marks the rtc_embed_* calls it
# exports.  Only librtcache.la links it.
noinst_LTLIBRARIES += src/embed/libembed.la
src_embed_libembed_la_SOURCES = \
	include/rtcache/embed.h \
	src/embed/lookup.h \
	src/embed/fibmatch.c \
	src/embed/embed.c
src_embed_libembed_la_CFLAGS = $(AM_CFLAGS) $(core_pic_cflags) \
	$(URCU_CFLAGS) $(LIBMNL_CFLAGS) $(LIBEVENT_CFLAGS)
