#!/bin/sh
# Once a policy rule has been added or deleted in a namespace, the
# kernel keeps tables local and main apart for good: `ip route get` of
# a local address says `table local`, and input sources are checked in
# full (a subnet's broadcast address as source is refused).  rtcached
# must answer so when that happened before it started (a rule added
# and deleted again), and when a rule change leaves no custom rule
# behind while it runs (a default rule deleted); and answer `table
# main` as the kernel does while nothing of the kind happened.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
[ -x "$CLI" ] || { echo "no rtcache CLI: skipped"; exit 77; }

NS1=$NS
trap 'rtcd_cleanup; for n in "$NS1" "$NS2" "$NS3"; do [ -n "$n" ] && ip netns del "$n" 2>/dev/null; done' EXIT

cat >"$WORK/flows" <<'EOF'
10.0.0.1
10.0.1.1
127.0.0.1
10.0.0.255
10.0.0.1 from 10.0.0.7 iif v0
10.0.0.255 from 10.0.0.7 iif v0
10.0.2.50 from 10.0.1.255 iif v0
10.0.2.50 from 10.0.0.7 iif v0
192.0.2.1
EOF

# has_table_local: does the kernel's last answer name table local?
has_table_local() { grep -q 'table local' "$WORK/k.get"; }

rtcd_setup
N route add 192.0.2.0/24 via 10.0.2.2 dev v2
rtcd_start
rtcd_expect "$WORK/flows" "no rule history"
has_table_local && fail "the kernel names table local without history?"
echo "ok 1 - without rule history: table main, as the kernel"
rtcd_stop || fail "rtcached did not stop"

N rule add from 1.2.3.4 table 100 pref 50
N rule del from 1.2.3.4 table 100 pref 50
rtcd_start
rtcd_expect "$WORK/flows" "a rule added and deleted before the start"
has_table_local || fail "the kernel does not name table local?"
echo "ok 2 - a rule added and deleted before the start: table local, full source checks"
rtcd_stop || fail "rtcached did not stop"

# a fresh namespace: a default rule deleted while rtcached runs
NS2=rtcd-$$-${RANDOM}-b
NS=$NS2
ip netns add "$NS" || fail "second namespace"
rtcd_setup
N route add 192.0.2.0/24 via 10.0.2.2 dev v2
rtcd_start
rtcd_expect "$WORK/flows" "fresh namespace"
N rule del pref 32767
rtcd_expect "$WORK/flows" "after a default rule was deleted while running"
has_table_local || fail "the kernel does not name table local?"
echo "ok 3 - a default rule deleted while running: table local from then on"
rtcd_stop || fail "rtcached did not stop"

# a third namespace with no address to ask the kernel about (lo down):
# the rule history shows in the dump (a default rule missing) and in
# events
NS3=rtcd-$$-${RANDOM}-c
NS=$NS3
ip netns add "$NS" || fail "third namespace"
N link add v0 type veth peer name v1
N link set v0 up
N route add broadcast 10.0.5.9 dev v0 table local
N rule del pref 32766
echo 10.0.5.9 >"$WORK/flows4"
rtcd_start
rtcd_expect "$WORK/flows4" "a default rule deleted before the start, no address"
has_table_local || fail "the kernel does not name table local?"
rtcd_stop || fail "rtcached did not stop"
NS=rtcd-$$-${RANDOM}-d
ip netns add "$NS" || fail "fourth namespace"
N link add v0 type veth peer name v1
N link set v0 up
N route add broadcast 10.0.5.9 dev v0 table local
rtcd_start
rtcd_expect "$WORK/flows4" "fresh namespace, no address"
N rule add pref 100 from 1.2.3.4 lookup 100
rtcd_expect "$WORK/flows4" "a rule added while running, no address"
has_table_local || fail "the kernel does not name table local?"
echo "ok 4 - rule history without an address to ask about: table local"
exit 0
