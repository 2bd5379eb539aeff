# tools: programs the tests and the benchmarks share.  gen-routes turns
# the real full view (tests/data, $(fullview)) into route files and makes
# seeded synthetic stress tables (see tools/gen-routes --help);
# mirror-dump runs the netlink mirror and prints its listings (the
# netlink integration tests, bench-netlink); rtcd-probe is a minimal
# client of rtcached's control protocol (the daemon and fault tests,
# bench-daemon).

noinst_PROGRAMS += tools/gen-routes
tools_gen_routes_SOURCES = tools/gen-routes.c
tools_gen_routes_CFLAGS = $(AM_CFLAGS) -O2
tools_gen_routes_CPPFLAGS = $(AM_CPPFLAGS) \
	-DGEN_ROUTES_FULLVIEW='"$(fullview)"'

noinst_PROGRAMS += tools/mirror-dump
tools_mirror_dump_SOURCES = tools/mirror-dump.c
tools_mirror_dump_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) $(LIBEVENT_CFLAGS)
tools_mirror_dump_LDADD = $(core_libs)

noinst_PROGRAMS += tools/rtcd-probe
tools_rtcd_probe_SOURCES = tools/rtcd-probe.c
tools_rtcd_probe_CFLAGS = $(rtcd_cflags)
tools_rtcd_probe_LDADD = src/lib/libproto.la src/libbase.a $(LIBMNL_LIBS)
