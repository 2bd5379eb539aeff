#!/bin/sh
# Mirror integration: nexthop objects.  Replace with many dependent routes
# in compat mode on and off (scenario 14, 20k routes), group changes down
# to an empty group (15), resilient and 40-member groups (15b), delete with
# dependants (16), rule duplicates and multiset deletes (20).  (No ipproto selector: fib_dump_rules() prints protocol
# numbers where ip prints names, or ipproto-N.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netlink/nl-lib.sh"

nl_setup
N nexthop add id 5 via 10.0.0.2 dev v0
nl_start
nl_check "start"

# 14: 20k routes by nhid 5, replaced in compat mode 1, then 0.
i=0
while [ $i -lt 20000 ]; do
	echo "route add 10.$((100 + i / 65536)).$((i / 256 % 256)).$((i % 256))/32 nhid 5"
	i=$((i + 1))
done >"$WORK/b"
N -batch "$WORK/b"
nl_check "scenario 14: 20k routes via nhid 5" 60
N nexthop replace id 5 via 10.0.0.3 dev v0
nl_check "scenario 14: replaced, compat mode 1"
ip netns exec "$NS" sysctl -qw net.ipv4.nexthop_compat_mode=0 2>/dev/null
N nexthop replace id 5 via 10.0.0.4 dev v0
nl_check "scenario 14: replaced, compat mode 0"

# 16: deleting a nexthop silently deletes its 20k routes.
N nexthop del id 5
nl_check "scenario 16: nexthop deleted with 20k dependants" 60
ip netns exec "$NS" sysctl -qw net.ipv4.nexthop_compat_mode=1 2>/dev/null

# 15: a group changes, loses a member, then empties.
N nexthop add id 10 via 10.0.0.2 dev v0
N nexthop add id 11 via 10.0.2.2 dev v2
N nexthop add id 20 group 10/11
N route add 100.64.2.0/24 nhid 20
nl_check "scenario 15: group 10/11"
N nexthop replace id 20 group 10,5/11,3
nl_check "scenario 15: weights 5/3"
N nexthop del id 11
nl_check "scenario 15: member 11 deleted"
N link set v0 down
nl_check "scenario 15: v0 down empties the group"
N link set v0 up
N nexthop add id 30 blackhole
N route add 100.64.3.0/24 nhid 30
nl_check "scenario 15: blackhole nexthop"
N route del 100.64.3.0/24
nl_check "scenario 15: blackhole route removed"

# 15b: a resilient group, and a group of more than 32 members.
N nexthop add id 12 via 10.0.2.3 dev v2
N nexthop add id 40 group 10/12 type resilient buckets 32 idle_timer 60
N route add 100.64.4.0/24 nhid 40
i=100
while [ $i -lt 140 ]; do
	N nexthop add id $i via 10.0.2.$((i - 90)) dev v2
	i=$((i + 1))
done
N nexthop add id 41 group "$(seq -s/ 100 139)"
N route add 100.64.5.0/24 nhid 41
nl_check "scenario 15b: resilient group, 40-member group"

# 20: rules are a multiset.
N rule add from 1.1.1.1 table 100 pref 100
N rule add from 1.1.1.1 table 100 pref 100 2>/dev/null || true
N rule add from 1.1.1.1 table 100 pref 100 2>/dev/null || true
nl_check "scenario 20: duplicates"
N rule del from 1.1.1.1 table 100 pref 100
nl_check "scenario 20: one duplicate deleted"
N rule add not from 2.2.2.0/24 to 3.3.0.0/16 tos 0x10 fwmark 0x5/0xf iif v2 oif v0 sport 1000-2000 dport 80 uidrange 100-200 lookup 200 pref 150
N rule add from all fwmark 0 lookup 201 pref 151
N rule add from all goto 32766 pref 152
N rule add from all table main suppress_prefixlength 0 pref 153
N rule add from all unreachable pref 154
N rule add from all prohibit pref 155
N rule add from all blackhole pref 156
N rule add from all nop pref 157
nl_check "scenario 20: every selector and action"

[ "$(nl_stat parse_errors)" = 0 ] || fail "parse errors"
echo "# resyncs $(nl_stat resyncs) enobufs $(nl_stat enobufs)"
exit 0
