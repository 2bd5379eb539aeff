#!/bin/sh
# One prefix or address on two devices (tests/diff/findings.md section
# 6): the kernel answers with the first route of equal prefix, tos and
# metric, in the order the routes were made, which its dump lists.
# rtcached, started with them there (it makes the kernel's routes of
# each address before the dump, in its own order), must keep the dump's
# order, and a limited broadcast from an address on two devices leaves
# through the one that got it last.  Then the same made while it runs.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
[ -x "$CLI" ] || { echo "no rtcache CLI: skipped"; exit 77; }

cat >"$WORK/flows" <<'EOF'
10.2.0.0
10.141.218.152 from 193.61.175.44 iif v0
10.7.0.255
255.255.255.255 from 10.8.1.59
EOF

N link set lo up
N link add v0 type veth peer name v1 || { echo "no veth: skipped"; exit 77; }
N link add v4 type veth peer name v5
for d in v0 v1 v4 v5; do N link set $d up; done
NX sysctl -qw net.ipv4.conf.all.forwarding=1
N addr add 10.0.2.125/8 dev v0
N addr add 10.0.6.157/8 dev v1
N addr add 10.7.0.1/24 brd + dev v4
N addr add 10.7.0.255/16 dev v5
N addr add 10.8.1.59/32 dev v1
N addr add 10.8.1.59/24 dev v4
rtcd_start
rtcd_expect "$WORK/flows" "addresses made before the start"
echo "ok 1 - one prefix or address on two devices, made before the start"
N addr flush dev v0
N addr flush dev v1
N addr flush dev v4
N addr flush dev v5
N addr add 10.0.2.125/8 dev v0
N addr add 10.0.6.157/8 dev v1
N addr add 10.7.0.1/24 brd + dev v4
N addr add 10.7.0.255/16 dev v5
N addr add 10.8.1.59/32 dev v1
N addr add 10.8.1.59/24 dev v4
rtcd_expect "$WORK/flows" "addresses made while running"
echo "ok 2 - one prefix or address on two devices, made while running"
rtcd_stop || fail "rtcached did not stop cleanly"
exit 0
