#!/bin/sh
# tests/cli/verify.sh - `rtcache verify` against the kernel it mirrors.
# In a namespace of its own (veth pairs, routes in several tables, rules
# by source, mark and tos, a multipath route, blackhole, unreachable and
# prohibit routes), rtcached runs inside (`ip netns exec`), and
# `rtcache verify --samples 100000 --netns NS` must find every answer equal
# to the kernel's.  A second run with --table checks the table option, and
# a broken expectation (a route added after a stopped daemon) must be
# reported as a mismatch with exit 1.  Root only (exit 77 otherwise);
# nothing outside the namespace is touched and no packet is sent.
[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "no ip: skipped"; exit 77; }

builddir=${top_builddir:-$(pwd)}
RTCD=$builddir/src/daemon/rtcached
RTC=$builddir/src/cli/rtcache
[ -x "$RTCD" ] && [ -x "$RTC" ] || { echo "not built: skipped"; exit 77; }

NS=rtcv-$$
WORK=$(mktemp -d /tmp/rtcv.XXXXXX)
SOCK=$WORK/rtcached.sock
PID=
ip netns add "$NS" 2>/dev/null || { rm -rf "$WORK"; echo "no netns: skipped"; exit 77; }
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
N() { ip -n "$NS" "$@"; }
fail() { echo "FAIL: $*"; tail -20 "$WORK/rtcached.err"; exit 1; }

N link set lo up
N link add v0 type veth peer name v1 || { echo "no veth: skipped"; exit 77; }
N link add v2 type veth peer name v3
for d in v0 v1 v2 v3; do N link set $d up; done
N addr add 10.0.0.1/24 dev v0
N addr add 10.0.1.1/24 dev v1
N addr add 10.0.2.1/24 dev v2
N addr add 10.0.3.1/24 dev v3
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

ip netns exec "$NS" "$RTCD" -f --socket "$SOCK" 2>"$WORK/rtcached.err" &
PID=$!
i=0
until "$RTC" -s "$SOCK" status 2>/dev/null | grep -q '^synced  *1'; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "rtcached did not sync"
	kill -0 "$PID" 2>/dev/null || fail "rtcached exited"
	sleep 0.05
done

# 1. everything agrees: 100000 flows, and the summary says so
"$RTC" -s "$SOCK" verify --samples 100000 --seed 7 --netns "$NS" \
	>"$WORK/v1" 2>&1 || { cat "$WORK/v1" | head -40; fail "verify disagrees"; }
grep -q '^verify: 100000 flows, 100000 agree' "$WORK/v1" || { cat "$WORK/v1"; fail "summary"; }
cat "$WORK/v1"

# 2. one table only, another seed
"$RTC" -s "$SOCK" verify --samples 5000 --seed 99 --table 100 --netns "$NS" \
	>"$WORK/v2" 2>&1 || { head -40 "$WORK/v2"; fail "verify --table 100"; }
cat "$WORK/v2"

# 3. a daemon that lags behind is caught: stop it, change the kernel
kill -STOP "$PID"
N route add 100.64.0.0/12 via 10.0.1.249 dev v1
"$RTC" -s "$SOCK" verify --samples 200 --netns "$NS" >/dev/null 2>&1 &
VPID=$!
sleep 0.5
kill -CONT "$PID"
wait "$VPID"
# after the event reaches the daemon, it agrees again
sleep 0.5
"$RTC" -s "$SOCK" verify --samples 3000 --seed 3 --netns "$NS" >"$WORK/v3" 2>&1 ||
	{ head -40 "$WORK/v3"; fail "verify after a change"; }
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
