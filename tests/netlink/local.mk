# tests/netlink: the mirror's Criterion suite (parser, malformed input,
# apply and reconcile), and its integration tests: shell scripts that
# build their own network namespaces (root; exit 77 otherwise) and compare
# tools/mirror-dump's view (built by tools/local.mk) with the kernel's
# own listings.

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
criterion_tests += tests/netlink/test_vrf
tests_netlink_test_vrf_SOURCES = tests/netlink/test_vrf.c
tests_netlink_test_vrf_CFLAGS = $(test_cflags)
tests_netlink_test_vrf_LDADD = $(test_ldadd)
EXTRA_DIST += tests/netlink/fixtures/routes.bin tests/netlink/fixtures/routes.txt \
	tests/netlink/fixtures/rules.bin tests/netlink/fixtures/rules.txt \
	tests/netlink/fixtures/addrs.bin tests/netlink/fixtures/links.txt \
	tests/netlink/fixtures/nlmsg-len-2g.bin
