#!/bin/sh
# Device settings the kernel's route lookup reads (net.ipv4.conf.*:
# forwarding, rp_filter, accept_local, src_valid_mark, route_localnet,
# ignore_routes_with_linkdown, send_redirects, shared_media,
# bc_forwarding), set on all and on a device, before rtcached starts
# and while it runs: `rtcache route get` answers every flow each of
# them changes as `ip route get` does.  Most of these writes send no
# netlink message: rtcached reads them again every second, so each
# check is a bounded poll.  Then the same once a policy rule exists
# (the kernel checks sources in full from then on), a write to
# conf/default (it silently reaches every device that never had that
# setting written) and a device made after one.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
[ -x "$CLI" ] || { echo "no rtcache CLI: skipped"; exit 77; }

S() { NX sysctl -qw "net.ipv4.conf.$1=$2"; }

rtcd_setup
N link add v4 type veth peer name v5	# no setting written: default's
N link add v6 type veth peer name v7	# v7 down: v6 has no carrier
for d in v4 v5 v6; do N link set $d up; done
N addr add 10.0.4.1/24 dev v4
N addr add 10.0.6.1/24 dev v6
N route add 192.0.2.0/24 via 10.0.0.9 dev v0
N route add 10.0.5.0/24 dev v0
N route add 10.8.0.0/16 via 10.0.0.2 dev v0
N route add 10.9.0.0/16 via 10.0.0.3 dev v0
N route add 10.9.0.0/16 via 10.0.3.2 dev v3 table 300
N route add 198.51.100.0/24 via 10.0.6.2 dev v6 metric 10
N route add 198.51.100.0/24 via 10.0.2.2 dev v2 metric 20

# The flows, grouped by the setting that changes their answer.
cat >"$WORK/flows" <<'EOF'
127.0.0.1 from 10.0.0.7 iif v0
10.0.0.1 from 127.0.0.5 iif v0
10.0.0.1 from 127.0.0.1 iif v0
192.0.2.9 from 127.0.0.5 iif v0
10.0.0.7 from 127.0.0.1
10.0.0.1 from 10.0.2.1 iif v0
10.0.2.77 from 10.0.1.1 iif v0
10.0.0.1 from 10.0.0.1 iif v0
10.0.2.50 from 10.8.1.1 iif v2
10.0.2.50 from 10.8.1.1 iif v0
10.0.2.50 from 10.7.1.1 iif v2
10.0.0.1 from 10.8.1.1 iif v2
10.0.2.50 from 10.8.1.1 iif v4
10.0.2.50 from 10.0.0.7 iif v5
10.0.2.50 from 10.0.1.255 iif v0
10.0.2.50 from 10.9.1.1 iif v3 mark 0x20
10.0.2.50 from 10.9.1.1 iif v3
10.0.2.50 from 10.9.1.1 iif v0 mark 0x20
10.0.2.50 from 10.0.0.7 iif v0
192.0.2.5 from 10.0.1.7 iif v1
10.0.2.255 from 10.0.0.7 iif v0
10.0.0.255 from 10.0.0.7 iif v0
10.0.2.255 from 10.0.4.7 iif v4
10.0.0.77 from 10.0.0.7 iif v0
192.0.2.5 from 10.0.0.7 iif v0
192.0.2.5 from 10.0.5.7 iif v0
10.0.0.77 from 10.0.5.7 iif v0
198.51.100.1
198.51.100.1 from 10.0.0.7 iif v0
EOF

# Each setting: NAME VALUE DEVICE BASE (the value of all and DEVICE
# otherwise).
SETTINGS="route_localnet 1 v0 0
accept_local 1 v0 0
rp_filter 1 v2 0
rp_filter 2 v2 0
src_valid_mark 1 v3 0
forwarding 0 v1 1
bc_forwarding 1 v0 0
send_redirects 0 v0 1
shared_media 0 v0 1
ignore_routes_with_linkdown 1 v6 0"

# Before the start: every setting on a device, some on all too
S v0.route_localnet 1
S all.accept_local 1
S all.rp_filter 2
S v2.rp_filter 1
S all.bc_forwarding 1
S v0.bc_forwarding 1
S all.send_redirects 0
S v0.send_redirects 0
S all.shared_media 0
S v0.shared_media 0
S v1.forwarding 0
S v6.ignore_routes_with_linkdown 1
S v3.src_valid_mark 1
rtcd_start
rtcd_expect "$WORK/flows" "settings made before the start"
echo "ok 1 - settings made before the start are the kernel's"

# back to the base while running
while read -r name value dev base; do
	S all.$name "$base"
	S $dev.$name "$base"
done <<EOF
$SETTINGS
EOF
rtcd_expect "$WORK/flows" "settings reset while running"
echo "ok 2 - settings reset while running are followed"

# sweep CASE: each setting on its device, on all, off the device, off
# all, while running, compared after each step
sweep() {
	while read -r name value dev base; do
		for step in "$dev $value" "all $value" "$dev $base" "all $base"; do
			set -- $step
			S "$1.$name" "$2"
			rtcd_expect "$WORK/flows" "$CASE: $name=$2 on $1"
		done
	done <<EOF
$SETTINGS
EOF
}
CASE="no rules"
sweep
echo "ok 3 - each setting on a device and on all, then off, while running"

# A policy rule: from now on the kernel validates sources in full (and
# src_valid_mark's mark meets a rule); everything again.
N rule add fwmark 0x20 table 300 pref 100
S v3.rp_filter 1
rtcd_expect "$WORK/flows" "after a policy rule"
CASE="with a rule"
sweep
echo "ok 4 - the same with a policy rule in place"

# conf/default: v4 and v5 never had rp_filter or accept_local written
S default.rp_filter 1
rtcd_expect "$WORK/flows" "default.rp_filter=1 reaching v4, v5"
S default.accept_local 1
echo "10.0.4.1 from 10.0.6.1 iif v4" >>"$WORK/flows"
rtcd_expect "$WORK/flows" "default.accept_local=1 reaching v4"
echo "ok 5 - a write to conf/default reaches devices that never had it written"

# a device made now starts with default's values
N link add v8 type veth peer name v9
N link set v8 up
N link set v9 up
N addr add 10.0.8.1/24 dev v8
echo "10.0.8.1 from 10.0.6.1 iif v8
10.0.2.50 from 10.8.1.1 iif v8" >>"$WORK/flows"
rtcd_expect "$WORK/flows" "a device made after default changed"
S default.rp_filter 0
S default.accept_local 0
rtcd_expect "$WORK/flows" "default back to 0"
echo "ok 6 - a device made while running has the settings it was made with"

P stats >"$WORK/stats" || fail "stats"
echo "# link dumps for settings: $(awk '$1 == "netlink_polls" { print $2 }' "$WORK/stats"), last poll $(awk '$1 == "netlink_poll_us" { print $2 }' "$WORK/stats") us"
exit 0
