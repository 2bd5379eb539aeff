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
	tests/netlink/nl-burst.sh
TESTS += $(nl_integration)
EXTRA_DIST += $(nl_integration) tests/netlink/nl-lib.sh
