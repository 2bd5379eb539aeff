#!/bin/sh
# Source address selection against the kernel (tests/diff findings 7):
# peer addresses (the prefix is the peer's: which address is primary,
# which one the kernel picks for a gateway or destination on it), the
# order of primaries by scope (a scope link address added later comes
# first; oif answers to anything, to 255.255.255.255 and to multicast
# take it), route_localnet (a scope host address counts as link scope),
# a promoted secondary, and a nexthop-object route of another device
# under an oif flow (the kernel leaves that prefix's key and answers on
# link).  Each check is a bounded poll until rtcached equals the kernel.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

N link set lo up
N link add v0 type veth peer name v1 || { echo "no veth: skipped"; exit 77; }
N link add v2 type veth peer name v3
N link add v4 type veth peer name v5
N link add v6 type veth peer name v7
for d in v0 v1 v2 v3 v4 v5 v6 v7; do N link set $d up; done
# a peer address, then an address of its local's prefix: both primary
N addr add 10.0.3.70 peer 10.0.1.101/24 brd + dev v0
N addr add 10.0.3.117/24 dev v0
# a gateway on the peer's prefix
N addr add 10.0.2.200 peer 10.0.0.116/24 dev v2
N addr add 10.0.0.87/28 dev v2
N route add default via 10.0.0.82
# a scope link address after a universe one goes first
N addr add 10.0.6.200/16 metric 5 dev v4
N addr add 10.0.5.12/25 scope link dev v4
rtcd_start

F=$WORK/flows
ok() { echo "ok - $1"; }

cat >"$F" <<EOF
10.0.3.117
10.0.3.70
10.0.1.101
10.0.3.1
8.8.8.8
10.0.0.82
10.0.0.116
192.0.2.23 oif v4
255.255.255.255 oif v4
224.0.0.1 oif v4
224.0.0.1 oif v0
EOF
rtcd_expect "$F" "peer addresses and scope order at start"
ok "peer addresses and scope order at start"

# while running: a scope link address on a device with a universe one
N addr add 10.0.7.140/31 scope link dev v5
N addr add 10.0.2.184/8 dev v5
N addr add 10.0.8.1/24 dev v6
N addr add 10.0.8.9/24 scope link dev v7
cat >"$F" <<EOF
192.0.2.23 oif v5
255.255.255.255 oif v5
224.0.0.1 oif v5
192.0.2.23 oif v6
192.0.2.23 oif v7
EOF
rtcd_expect "$F" "scope link addresses added while running"
ok "scope link addresses added while running"

# peer addresses added while running
N addr add 10.0.9.1 peer 10.0.10.5/24 dev v7
N route add 203.0.113.0/24 via 10.0.10.77 dev v7
cat >"$F" <<EOF
203.0.113.5
10.0.10.77
10.0.9.1
192.0.2.23 oif v7
EOF
rtcd_expect "$F" "a peer address added while running"
ok "a peer address added while running"

# route_localnet: scope host addresses count as link scope
N addr add 10.0.11.229/28 brd + scope host dev v3
NX sysctl -qw net.ipv4.conf.all.route_localnet=1
cat >"$F" <<EOF
10.0.3.177 oif v3
158.131.99.220 oif lo
EOF
rtcd_expect "$F" "route_localnet: a scope host address for oif answers"
ok "route_localnet: a scope host address for oif answers"
NX sysctl -qw net.ipv4.conf.all.route_localnet=0

# a promoted secondary: it stays first, a primary
NX sysctl -qw net.ipv4.conf.v1.promote_secondaries=1
N addr add 10.0.12.1/24 dev v1
N addr add 10.0.12.2/24 dev v1
N addr del 10.0.12.1/24 dev v1
cat >"$F" <<EOF
255.255.255.255 oif v1
192.0.2.23 oif v1
10.0.12.2
EOF
rtcd_expect "$F" "a promoted secondary"
ok "a promoted secondary"

# a nexthop-object route of another device under an oif flow
N addr add 10.20.0.14/24 brd + dev v6
N addr add 10.20.3.145/16 brd + dev v6
N nexthop add id 2 via 10.0.7.143 dev v5 onlink
N route add 10.20.0.0/17 metric 5 nhid 2
N route add 10.16.0.0/12 dev v6 src 10.20.3.145
cat >"$F" <<EOF
10.20.5.81 oif v6
10.20.5.81 oif v5
10.20.5.81
10.20.200.1 oif v6
EOF
rtcd_expect "$F" "an nhid route of another device under an oif flow"
ok "an nhid route of another device under an oif flow"
exit 0
