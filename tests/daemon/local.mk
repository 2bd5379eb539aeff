# tests/daemon: rtcached's Criterion suite (options, control socket,
# dispatch over a socketpair) and its integration tests, shell scripts
# that build their own network namespaces (root; exit 77 otherwise),
# start rtcached inside and compare its answers with the kernel's.
# tests/daemon/rtcd-probe is their minimal protocol client.

check_PROGRAMS += tests/daemon/rtcd-probe
tests_daemon_rtcd_probe_SOURCES = tests/daemon/rtcd-probe.c
tests_daemon_rtcd_probe_CFLAGS = $(rtcd_cflags)
tests_daemon_rtcd_probe_LDADD = src/lib/libproto.la $(LIBMNL_LIBS)

criterion_tests += tests/daemon/test_daemon
tests_daemon_test_daemon_SOURCES = tests/daemon/test_daemon.c
tests_daemon_test_daemon_CFLAGS = $(test_cflags)
tests_daemon_test_daemon_LDADD = $(rtcd_ldadd) $(CRITERION_LIBS)

daemon_integration = \
	tests/daemon/rtcd-get.sh \
	tests/daemon/rtcd-abuse.sh
TESTS += $(daemon_integration)
EXTRA_DIST += $(daemon_integration) tests/daemon/rtcd-lib.sh
