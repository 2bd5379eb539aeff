#!/bin/sh
# rtcached against the kernel on what an answer carries beside the
# route: realms (a route's RTA_FLOW, a multipath leg's, the reverse
# path's on input, and realms forcing the full source check), the
# metrics of local, broadcast, multicast and anycast routes, the matched
# route's tos (input answers; none for the on-link answer after an
# error route), and routes the mirror used to refuse: error routes with
# a src that is not local, a nexthop-object route of scope host, a
# route over a resilient group.  Then realms in `route show`.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

rtcd_setup
N link add v4 type veth peer name v5
N link set v4 up
N link set v5 up
rtcd_start

# Realms force the full source check (fib_num_tclassid_users), here
# before any custom local route makes the kernel check in full anyway
# (fib_has_custom_local_routes, which stays set): a subnet broadcast as
# the source passes the fast check only.
echo "10.0.3.9 from 10.0.2.255 iif v0" >"$WORK/flows0"
rtcd_expect "$WORK/flows0" "no realms: answers differ"
grep -q 'Invalid argument' "$WORK/o.get" && fail "no realms, yet the full source check"
N route add 10.2.0.0/16 via 10.0.0.2 realm 2
rtcd_expect "$WORK/flows0" "a realm added: answers differ"
grep -q 'Invalid argument' "$WORK/o.get" || fail "a realm, yet the fast source check"
N route del 10.2.0.0/16
rtcd_expect "$WORK/flows0" "the realm deleted: answers differ"
grep -q 'Invalid argument' "$WORK/o.get" && fail "no realms left, yet the full source check"
echo "ok 1 - realms in use force the full source check"

N route add 10.2.0.0/16 via 10.0.0.2 realms 3/4 mtu 1400
N route add 10.3.0.0/16 nexthop via 10.0.0.2 realm 5 nexthop via 10.0.2.2 realm 7
N route add 10.4.0.0/16 via 10.0.2.2 realm 4
N route add broadcast 10.5.0.192/27 table local dev v0 realm 8 mtu 1300
N route add local 198.18.2.184/29 table local dev v0 realm 6 hoplimit 18
N route add multicast 239.1.0.0/16 table local dev v0 realm 9 hoplimit 3
N route add anycast 10.6.0.0/16 table local dev v0 realm 10 hoplimit 4
N route add local 172.16.0.0/12 tos 0x10 table local dev v3
N route add broadcast 192.0.2.0/32 tos 0x14 table local dev v1
N route add blackhole 100.64.0.0/16 tos 0x04
N route add unreachable 10.0.9.192/26 src 10.0.9.37
N route add blackhole 10.7.0.0/16 src 10.7.7.7 realm 4
N route add prohibit 10.8.0.0/16 src 10.8.8.8
N nexthop add id 1 blackhole
N nexthop add id 2 dev v4
N nexthop add id 3 group 2 type resilient buckets 16
N route add 10.9.1.0/24 nhid 1 scope host
N route add 10.9.2.0/24 nhid 2 scope host
N route add 10.9.3.0/24 nhid 3

cat >"$WORK/flows" <<'EOF'
10.2.0.1
10.2.0.1 from 10.0.0.1
10.3.0.1
10.3.0.2 sport 7 dport 9
10.4.0.1 from 10.0.2.1
10.5.0.223
10.5.0.223 from 10.0.0.1
198.18.2.186
239.1.0.1
239.1.0.1 oif v0
10.6.0.1
255.255.255.255 oif v0
10.2.0.1 from 10.0.0.9 iif v1
10.2.0.1 from 10.0.0.9 iif v0
10.2.0.1 from 10.4.0.9 iif v0
10.3.0.1 from 10.2.0.9 iif v0
10.4.0.1 from 10.3.0.9 iif v0
198.18.2.186 from 10.2.0.9 iif v0
198.18.2.186 from 10.0.0.9 iif v0
10.5.0.223 from 10.3.0.9 iif v0
10.6.0.1 from 10.2.0.9 iif v0
172.19.16.201 from 10.0.0.87 iif v3 tos 0x10
172.19.16.201 tos 0x10
192.0.2.0 from 31.27.90.0 iif v3 tos 0x14
100.64.255.255 oif v0 tos 0x04
100.64.255.255 tos 0x04
10.0.9.200
10.7.0.1
10.8.0.1
10.0.9.200 from 10.0.0.9 iif v0
10.9.1.1
10.9.2.1
10.9.2.1 from 10.0.0.9 iif v0
10.9.3.1
10.9.3.1 from 10.0.0.9 iif v0
EOF
rtcd_expect "$WORK/flows" "answers differ from the kernel"
echo "ok 2 - realms, metrics, tos and the routes once refused answer as ip route get"

# realms in the listing: the realmed routes' lines, legs included
N -4 route show table all | grep realm >"$WORK/k.show"
i=0
until "$CLI" -s "$SOCK" route show table all | grep realm >"$WORK/o.show" &&
    cmp -s "$WORK/k.show" "$WORK/o.show"; do
	i=$((i + 1))
	if [ $i -ge 50 ]; then
		diff "$WORK/k.show" "$WORK/o.show" | head -12 | sed 's/^/# /'
		fail "realms in route show differ"
	fi
	sleep 0.2
done
echo "ok 3 - route show lists realms as ip does"

rtcd_stop || fail "rtcached exit status"
