# tests/daemon: rtcached's Criterion suite (options, control socket,
# dispatch over a socketpair) and its integration tests, shell scripts
# that build their own network namespaces (root; exit 77 otherwise),
# start rtcached inside and compare its answers with the kernel's.
# tools/rtcd-probe (built by tools/local.mk) is their minimal protocol
# client.

criterion_tests += tests/daemon/test_daemon
tests_daemon_test_daemon_SOURCES = tests/daemon/test_daemon.c
tests_daemon_test_daemon_CPPFLAGS = $(support_cppflags)
tests_daemon_test_daemon_CFLAGS = $(test_cflags)
tests_daemon_test_daemon_LDADD = $(support_ldadd) $(rtcd_ldadd) \
	$(CRITERION_LIBS)

daemon_integration = \
	tests/daemon/rtcd-get.sh \
	tests/daemon/rtcd-addrs.sh \
	tests/daemon/rtcd-srcsel.sh \
	tests/daemon/rtcd-mp.sh \
	tests/daemon/rtcd-rules.sh \
	tests/daemon/rtcd-devconf.sh \
	tests/daemon/rtcd-rules-history.sh \
	tests/daemon/rtcd-order.sh \
	tests/daemon/rtcd-answers.sh \
	tests/daemon/rtcd-mcast.sh \
	tests/daemon/rtcd-abuse.sh
TESTS += $(daemon_integration)
EXTRA_DIST += $(daemon_integration) tests/daemon/rtcd-lib.sh
