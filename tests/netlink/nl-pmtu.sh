#!/bin/sh
# Scenario 28 of reference section 5: cached exceptions.  A router
# namespace forwards from the mirrored namespace to a host behind a link
# of MTU 1300; a ping of 1400 bytes with DF set makes the router answer
# "fragmentation needed" and the mirrored kernel learns a PMTU exception
# (an RTM_F_CLONED route, `ip route show cache`).  It must never enter
# the mirror's FIB: the mirror stays equal to `ip -4 route show table
# all` and lists no entry for the host.  Traffic stays inside the test's
# namespaces.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netlink/nl-lib.sh"

command -v ping >/dev/null 2>&1 || { echo "no ping: skipped"; exit 77; }
R=$NS-r
H=$NS-h
ip netns add "$R" || exit 77
ip netns add "$H" || { ip netns del "$R"; exit 77; }
pmtu_cleanup() {
	nl_cleanup
	ip netns del "$R" 2>/dev/null
	ip netns del "$H" 2>/dev/null
}
trap pmtu_cleanup EXIT

nl_setup
N link add pa type veth peer name pb netns "$R"
ip -n "$R" link add pc type veth peer name pd netns "$H"
N link set pa up
N addr add 10.50.0.1/24 dev pa
ip -n "$R" link set lo up
ip -n "$R" link set pb up
ip -n "$R" link set pc up mtu 1300
ip -n "$R" addr add 10.50.0.2/24 dev pb
ip -n "$R" addr add 10.60.0.1/24 dev pc
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
ip -n "$H" link set lo up
ip -n "$H" link set pd up mtu 1300
ip -n "$H" addr add 10.60.0.2/24 dev pd
ip -n "$H" route add default via 10.60.0.1
N route add 10.60.0.0/24 via 10.50.0.2

nl_start
nl_check "before the exception"

# small pings work; a big one with DF draws "frag needed" from R
ip netns exec "$NS" ping -c 1 -W 2 10.60.0.2 >/dev/null 2>&1 ||
    fail "no path to the host behind the router"
ip netns exec "$NS" ping -c 2 -W 1 -M do -s 1400 10.60.0.2 >/dev/null 2>&1
i=0
while ! N route get 10.60.0.2 | grep -q 'mtu 1300'; do
	i=$((i + 1))
	[ $i -le 30 ] || fail "no PMTU exception was learned"
	ip netns exec "$NS" ping -c 1 -W 1 -M do -s 1400 10.60.0.2 \
	    >/dev/null 2>&1
	sleep 0.1
done
echo "# kernel: $(N route get 10.60.0.2 | tr -s ' \n' ' ')"
echo "ok - a PMTU exception exists in the kernel"
nl_check "the exception stays out of the FIB"

# SIGUSR1 makes mirror-dump write every listing again
rm -f "$WORK/out/stats"
kill -USR1 "$PID"
nl_wait_listing
nl_check "after a fresh listing"
grep -q "10.60.0.2" "$WORK/out/routes" && fail "the exception is in the FIB"
echo "ok - no 10.60.0.2 entry in the mirror"
exit 0
