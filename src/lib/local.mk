# src/lib: the control protocol codec and librtcache (see Makefile.am).
#
# src/lib/libproto.la is the codec alone, a libtool convenience library
# that rtcached links (LDADD += src/lib/libproto.la $(LIBMNL_LIBS)).
# The codec decodes with base's attribute iterator; libproto.la carries
# its own copy of src/base/nlattr.c, for the programs that link it alone.
rtc_proto_sources = include/rtcache/proto.h src/lib/proto_internal.h \
	src/lib/rtc_proto.c src/base/nlattr.h src/base/nlattr.c

noinst_LTLIBRARIES += src/lib/libproto.la
src_lib_libproto_la_SOURCES = $(rtc_proto_sources)
src_lib_libproto_la_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
src_lib_libproto_la_LIBADD = $(LIBMNL_LIBS)

# The installed src/lib/librtcache.la: the client calls and the codec
# (client mode), and embedded mode: src/embed/libembed.la with the whole
# core (src/librtcore.la, src/libbase.la, whose nlattr.c the codec uses
# here).  The core and embed are built -fvisibility=hidden and the export
# list keeps rtc_* only, so none of the core's names leak.
lib_LTLIBRARIES = src/lib/librtcache.la
src_lib_librtcache_la_SOURCES = include/rtcache/client.h src/lib/rtc_client.c \
	include/rtcache/proto.h src/lib/proto_internal.h src/lib/rtc_proto.c
src_lib_librtcache_la_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
src_lib_librtcache_la_LIBADD = src/embed/libembed.la src/librtcore.la \
	src/libbase.la $(URCU_LIBS) $(NUMA_LIBS) $(LIBMNL_LIBS) \
	$(LIBEVENT_LIBS)
# current:revision:age; change per the libtool rules on every release.
# 1:0:1: interfaces added (rtc_embed_*), none removed or changed.
src_lib_librtcache_la_LDFLAGS = -version-info 1:0:1 -no-undefined \
	-export-symbols-regex '^rtc_'

rtcacheincludedir = $(includedir)/rtcache
# every public header is installed; tests/headers.sh compiles each alone
# from a staged install with only `pkg-config --cflags librtcache`
rtcacheinclude_HEADERS = $(public_headers)

pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = src/lib/librtcache.pc
EXTRA_DIST += src/lib/librtcache.pc.in
CLEANFILES += src/lib/librtcache.pc

src/lib/librtcache.pc: $(srcdir)/src/lib/librtcache.pc.in Makefile
	$(AM_V_GEN)$(MKDIR_P) src/lib && sed \
	    -e 's|@prefix[@]|$(prefix)|g' \
	    -e 's|@exec_prefix[@]|$(exec_prefix)|g' \
	    -e 's|@libdir[@]|$(libdir)|g' \
	    -e 's|@includedir[@]|$(includedir)|g' \
	    -e 's|@VERSION[@]|$(VERSION)|g' \
	    $(srcdir)/src/lib/librtcache.pc.in > $@.tmp && mv $@.tmp $@

# section 3: the overview and the embedded mode's family
dist_man3_MANS = man/librtcache.3 man/rtc_embed_open.3
