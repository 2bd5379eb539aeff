#!/bin/sh
# Mirror integration: what the kernel does without telling (reference
# section 2): admin down (scenario 7), a multipath leg down and up (8),
# carrier loss (10), device deletion with multipath and rules (11), the
# last address removed (12), prefsrc routes (13), ifindex reuse and
# rename (29).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netlink/nl-lib.sh"

nl_setup
N link add v4 type veth peer name v5
N link set v4 up; N link set v5 up
N addr add 10.0.4.1/24 dev v4
nl_start
nl_check "start"

# 7: admin down: gateway, device, prefix and broadcast routes go silently.
N route add 192.0.2.0/24 via 10.0.0.2 dev v0
N route add 192.0.3.0/24 dev v0
nl_check "scenario 7: routes via v0"
N link set v0 down
nl_check "scenario 7: v0 down"
N link set v0 up
nl_check "scenario 7: v0 up again"

# 8: a multipath leg goes dead and comes back.
N route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2
nl_check "scenario 8: multipath"
N link set v0 down
nl_check "scenario 8: leg via v0 dead"
N link set v0 up
nl_check "scenario 8: leg via v0 back"

# 10: carrier loss: linkdown routes stay; nexthop objects on v0 go.
N nexthop add id 10 via 10.0.0.2 dev v0
N route add 100.64.10.0/24 nhid 10
N route add 192.0.4.0/24 via 10.0.0.2 dev v0
nl_check "scenario 10: before carrier loss"
N link set v1 down
nl_check "scenario 10: carrier lost"
N link set v1 up
nl_check "scenario 10: carrier back"

# 11: deleting v2 removes the whole multipath route; iif v2 rule detached.
N rule add iif v2 table 100 pref 1000
N route add 192.0.7.0/24 via 10.0.2.2 dev v2 table 100
nl_check "scenario 11: before v2 deletion"
N link del v2
nl_check "scenario 11: v2 deleted"
N link add v2 type veth peer name v3
N link set v2 up; N link set v3 up
nl_check "scenario 11/20: v2 re-created, rule attached again"

# 12: the last address of v0 removed: inline routes via v0 gone in every
# table; nexthop objects and their routes stay.
N route add 192.0.2.0/24 via 10.0.0.2 dev v0
N route add 5.5.5.0/24 via 10.0.0.2 dev v0 table 100
N nexthop add id 7 via 10.0.0.2 dev v0
N route add 100.64.7.0/24 nhid 7
nl_check "scenario 12: before"
N addr del 10.0.0.1/24 dev v0
nl_check "scenario 12: last address removed"
N nexthop del id 7 2>/dev/null
nl_check "scenario 12: converged after nexthop 7 deleted"

# 13: a non-last address with prefsrc routes in main and table 100.
N addr add 10.0.4.2/24 dev v4
N addr add 10.0.3.1/24 dev v4
N route add 6.6.7.0/24 via 10.0.4.9 dev v4 src 10.0.3.1
N route add 5.5.6.0/24 via 10.0.4.9 dev v4 table 100 src 10.0.3.1
nl_check "scenario 13: before"
N addr del 10.0.3.1/24 dev v4
nl_check "scenario 13: prefsrc address removed"

# 29: ifindex reuse and rename.
N rule add iif v9 table 100 pref 1100
N link del v4
N link add v4 type veth peer name v5
N link set v4 up; N link set v5 up
N addr add 10.0.4.1/24 dev v4
nl_check "scenario 29: v4 re-created with a new index"
N link set v5 down
N link set v5 name v9
N link set v9 up
nl_check "scenario 29: v5 renamed v9"

[ "$(nl_stat parse_errors)" = 0 ] || fail "parse errors"
[ "$(nl_stat resyncs)" = 0 ] || fail "unexpected resync"
exit 0
