#!/bin/sh
# rtcached against the kernel on multicast and loopback addresses:
# input to a group (delivered when the input device has joined it:
# all-hosts, 224.0.0.1, on every device that is up, lo and devices
# without IFF_MULTICAST included; other groups are dropped), the
# multicast source checks (0.0.0.0 only to 224.0.0.0/24, loopback only
# with route_localnet, local and broadcast sources by the reverse path,
# rp_filter, realms), output to a group (<local,mc> when the output
# device is a member, lo included), multicast and local routes covering
# groups; then 127.0.0.0/8 with route_localnet, set before rtcached
# starts and while it runs.  Every flow is asked of `ip route get` and
# `rtcache route get`, in batches, byte for byte.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

S() { NX sysctl -qw "net.ipv4.conf.$1=$2"; }

rtcd_setup
N link add v4 type veth peer name v5
N link add v6 type veth peer name v7
N link set v4 up			# v5 and v6, v7 stay down
N link set v4 multicast off		# all-hosts all the same
N addr add 10.0.4.1/24 dev v4
N addr add 10.0.6.1/24 dev v6		# an address on a device that is down
N route add 10.9.0.0/16 via 10.0.0.2 realm 3
rtcd_start

# one pass over the flows of $WORK/flows; $1 says what
n=0
pass() {
	n=$((n + 1))
	rtcd_expect "$WORK/flows" "$1: answers differ"
	echo "ok $n - $1"
	[ -z "$RTCD_SHOW" ] || sed 's/^/# /' "$WORK/k.get"
}

cat >"$WORK/flows" <<'EOF'
224.0.0.1 iif v0
224.0.0.1 from 10.0.0.9 iif v0
224.0.0.1 from 10.9.1.1 iif v0
224.0.0.1 from 0.0.0.0 iif v0
224.0.0.1 from 10.0.0.1 iif v1
224.0.0.1 from 10.0.0.255 iif v0
224.0.0.1 from 127.0.0.1 iif v0
224.0.0.1 from 224.0.0.2 iif v0
224.0.0.1 from 255.255.255.255 iif v0
224.0.0.1 from 10.0.0.9 iif v4
224.0.0.1 from 10.0.0.9 iif v5
224.0.0.1 from 10.0.0.9 iif lo
224.0.0.1 from 127.0.0.1 iif lo
224.0.0.1 from 10.0.0.9 iif v0 tos 0x10 mark 7
224.0.0.2 from 10.0.0.9 iif v0
224.0.0.5 iif v0
239.1.2.3 from 10.0.0.9 iif v0
239.1.2.3 iif v0
224.0.0.1
224.0.0.1 oif lo
224.0.0.1 oif v0
224.0.0.1 oif v4
224.0.0.5 oif v0
224.0.0.5 oif lo
239.1.2.3
239.1.2.3 oif v0
224.0.0.1 from 10.0.0.1
224.0.0.1 from 10.0.6.1
224.0.0.1 from 127.0.0.1
224.0.0.1 from 10.0.1.1 oif lo
224.0.0.5 from 10.0.0.1
239.1.2.3 from 10.0.4.1
EOF
pass "multicast: input, output, sources"

# rp_filter and the full source check (a rule): the way back matters
S all.rp_filter 1
S v0.rp_filter 1
pass "multicast: rp_filter"
S all.rp_filter 0
S v0.rp_filter 0
N rule add pref 100 to 192.0.2.0/24 lookup 100
pass "multicast: a rule (the full source check)"

# routes covering groups: a multicast route in a table, a local one
N route add multicast 239.1.0.0/16 dev v0 table 100
N route add 239.1.0.0/16 dev v2
N route add local 224.0.0.0/14 table local metric 10 dev v3
N rule add pref 50 to 239.1.0.0/16 lookup 100
cat >>"$WORK/flows" <<'EOF'
224.0.0.1 from 10.0.0.1 oif v3
224.2.0.1
239.1.2.3 oif v2
239.1.2.3 oif v3
239.1.2.3 oif v0
239.1.2.3 from 10.0.0.1 oif v1
239.1.2.3 from 10.0.2.1
EOF
pass "multicast and local routes covering groups"

# a device going down leaves all-hosts, coming up joins it again
N link set v1 down
pass "multicast: the input device down"
N link set v1 up
N link set v5 up
pass "multicast: devices up again"

# route_localnet: loopback sources and destinations on input, loopback
# sources on output, set on all and on a device while rtcached runs
N route add 10.8.0.0/16 dev v0
cat >"$WORK/flows" <<'EOF'
127.0.0.1 from 10.0.0.9 iif v0
127.1.2.3 from 10.0.0.9 iif v0
127.1.2.3 from 10.0.0.255 iif lo
10.0.3.29 from 127.0.0.1 iif lo
10.0.3.29 from 127.0.0.1 iif v0
10.8.0.1 from 127.0.0.1 iif v0
10.0.0.1 from 127.0.0.1 iif v0
224.0.0.1 from 127.0.0.1 iif v0
10.8.0.1 from 127.0.0.1
10.8.0.1 from 127.0.0.1 oif v0
127.0.0.1 from 127.0.0.1
127.1.2.3
127.1.2.3 from 10.0.0.1 iif v1
EOF
pass "loopback addresses, route_localnet off"
S v0.route_localnet 1
pass "route_localnet on v0 while running"
S all.route_localnet 1
pass "route_localnet on all while running"
S all.route_localnet 0
S v0.route_localnet 0
pass "route_localnet off again"
exit 0
