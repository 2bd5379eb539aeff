#!/bin/sh
# tests/cli/verify.sh - `rtcache verify` against the kernel it mirrors.
# In a namespace of its own (veth pairs, routes in several tables, rules
# by source, mark and tos, a multipath route, blackhole, unreachable and
# prohibit routes), rtcached runs inside (`ip netns exec`), and
# `rtcache verify --samples 100000 --netns NS` must find every answer equal
# to the kernel's.  A second run with --table checks the table option; a
# route added while the daemon runs must be followed; verify against
# another namespace must report mismatches and exit 1.  Root only (exit
# 77 otherwise); nothing outside the namespace is touched and no packet
# is sent.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
RTC=$builddir/src/cli/rtcache
[ -x "$RTC" ] || { echo "not built: skipped"; exit 77; }

rtcd_setup
N addr add 192.168.50.1/24 dev v2

# main: specifics, a default, multipath, the special types
N route add default via 10.0.0.254 dev v0
N route add 172.16.0.0/12 via 10.0.1.254 dev v1
N route add 172.16.5.0/24 via 10.0.2.254 dev v2
N route add 172.16.5.128/25 via 10.0.3.254 dev v3 metric 10
N route add 100.64.0.0/10 nexthop via 10.0.0.253 dev v0 weight 1 \
	nexthop via 10.0.2.253 dev v2 weight 2 nexthop via 10.0.3.253 dev v3
N route add 203.0.113.0/24 via 10.0.1.253 dev v1 src 10.0.1.1
N route add blackhole 198.51.100.0/24
N route add unreachable 198.51.101.0/24
N route add prohibit 198.51.102.0/24
N route add 11.0.0.0/8 via 10.0.2.250 dev v2 tos 0x10
# table 100 by source, table 200 by mark, table 300 by tos
N route add default via 10.0.3.254 dev v3 table 100
N route add 172.16.0.0/16 via 10.0.2.254 dev v2 table 100
N route add 8.8.0.0/16 via 10.0.1.250 dev v1 table 200
N route add unreachable 9.0.0.0/8 table 200
N route add blackhole 1.0.0.0/8 table 300
N route add 1.1.1.0/24 via 10.0.2.249 dev v2 table 300
N rule add from 10.0.3.1 lookup 100 pref 100
N rule add from 192.168.50.0/24 lookup 100 pref 110
N rule add fwmark 7 lookup 200 pref 200
N rule add fwmark 0x20/0xf0 lookup 200 pref 210
N rule add tos 0x08 lookup 300 pref 300
N rule add to 9.0.0.0/8 lookup 200 pref 400

rtcd_start

# 1. everything agrees: 100000 flows, and the summary says so
"$RTC" -s "$SOCK" verify --samples 100000 --seed 7 --netns "$NS" \
	>"$WORK/v1" 2>&1 || { cat "$WORK/v1" | head -40; fail "verify disagrees"; }
grep -q '^verify: 100000 flows, 100000 agree' "$WORK/v1" || { cat "$WORK/v1"; fail "summary"; }
cat "$WORK/v1"

# 2. one table only, another seed
"$RTC" -s "$SOCK" verify --samples 5000 --seed 99 --table 100 --netns "$NS" \
	>"$WORK/v2" 2>&1 || { head -40 "$WORK/v2"; fail "verify --table 100"; }
cat "$WORK/v2"

# 3. a route added now is followed: verify agrees once the event is in
N route add 100.64.0.0/12 via 10.0.1.249 dev v1
i=0
until "$RTC" -s "$SOCK" verify --samples 3000 --seed 3 --netns "$NS" \
	>"$WORK/v3" 2>&1; do
	i=$((i + 1))
	[ $i -lt 50 ] || { head -40 "$WORK/v3"; fail "verify after a change"; }
	sleep 0.1
done
# a mismatch must exit 1 and name both answers: verify in the wrong netns
ip netns add "$NS-x" || fail "second netns"
ip -n "$NS-x" link set lo up
"$RTC" -s "$SOCK" verify --samples 2000 --netns "$NS-x" >"$WORK/v4" 2>&1
rc=$?
ip netns del "$NS-x"
[ $rc = 1 ] || { head "$WORK/v4"; fail "verify against another namespace exited $rc"; }
grep -q '^  rtcached: ' "$WORK/v4" && grep -q '^  kernel:   ' "$WORK/v4" ||
	fail "mismatch lines"

# usage errors
"$RTC" -s "$SOCK" verify --samples 0 >/dev/null 2>&1; [ $? = 64 ] || fail "--samples 0"
"$RTC" -s "$SOCK" verify --bogus 1 >/dev/null 2>&1; [ $? = 64 ] || fail "--bogus"
echo "PASS"
exit 0
