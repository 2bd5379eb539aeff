# tests/netlink: the mirror's Criterion suite (parser, malformed input,
# apply and reconcile), and its integration tests: shell scripts that
# build their own network namespaces (root; exit 77 otherwise) and compare
# tools/mirror-dump's view with the kernel's own listings.

noinst_PROGRAMS += tools/mirror-dump
tools_mirror_dump_SOURCES = tools/mirror-dump.c
tools_mirror_dump_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) $(LIBEVENT_CFLAGS)
tools_mirror_dump_LDADD = $(core_libs)

nl_integration = \
	tests/netlink/nl-basic.sh \
	tests/netlink/nl-links.sh \
	tests/netlink/nl-nexthop.sh \
	tests/netlink/nl-burst.sh \
	tests/netlink/nl-pmtu.sh
TESTS += $(nl_integration)
EXTRA_DIST += $(nl_integration) tests/netlink/nl-lib.sh

criterion_tests += tests/netlink/test_netlink
tests_netlink_test_netlink_SOURCES = tests/netlink/test_netlink.c
tests_netlink_test_netlink_CFLAGS = $(test_cflags)
tests_netlink_test_netlink_LDADD = $(test_ldadd)
EXTRA_DIST += tests/netlink/fixtures/routes.bin tests/netlink/fixtures/routes.txt \
	tests/netlink/fixtures/rules.bin tests/netlink/fixtures/rules.txt \
	tests/netlink/fixtures/addrs.bin tests/netlink/fixtures/links.txt \
	tests/netlink/fixtures/nlmsg-len-2g.bin

criterion_tests += tests/netlink/test_fibfix
tests_netlink_test_fibfix_SOURCES = tests/netlink/test_fibfix.c
tests_netlink_test_fibfix_CFLAGS = $(test_cflags)
tests_netlink_test_fibfix_LDADD = $(test_ldadd)
