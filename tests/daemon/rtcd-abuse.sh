#!/bin/sh
# rtcached under abuse: garbage, truncated, oversized messages and
# unknown types get ERROR replies on a connection that stays usable;
# 500 concurrent clients, silent ones and ones that never read their
# replies never stop a well-behaved client from being answered; over the
# client limit a client is refused with a message; a silent client is
# timed out.  The daemon must still stop cleanly afterwards.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

rtcd_setup
for i in $(seq 1 50); do echo "route add 10.$((100 + i)).0.0/16 via 10.0.0.$((i + 1)) dev v0"; done >"$WORK/b"
N -batch "$WORK/b"
ulimit -n 4096
rtcd_start --max-clients 600 --idle-timeout 3
P abuse 500 >"$WORK/abuse.tap" || { cat "$WORK/abuse.tap"; fail "abuse"; }
cat "$WORK/abuse.tap"
grep -q '^not ok' "$WORK/abuse.tap" && fail "abuse"
kill -0 "$PID" || fail "rtcached died"
rtcd_stop || fail "rtcached did not stop cleanly"

# a soft descriptor limit below what max_clients needs is raised
ulimit -Sn 256
rtcd_start --max-clients 600 --idle-timeout 3
soft=$(awk '/^Max open files/ { print $4 }' "/proc/$PID/limits")
[ "${soft:-0}" -ge 600 ] || fail "soft fd limit $soft not raised for 600 clients"
echo "ok - soft fd limit raised from 256 to $soft for 600 clients"
rtcd_stop || fail "rtcached did not stop cleanly"
ulimit -Sn 4096

# a hard limit too low for max_clients: fewer clients, the rest refused
( ulimit -n 300; exec ip netns exec "$NS" "$RTCD" -f --socket "$SOCK" \
    --workers 2 --max-clients 1024 --idle-timeout 2 2>"$WORK/rtcached.err" ) &
PID=$!
P wait-synced 60 || fail "rtcached not synced"
max=$(sed -n 's/.*open files limited to 300: serving at most \([0-9]*\) clients.*/\1/p' \
    "$WORK/rtcached.err")
[ -n "$max" ] || { cat "$WORK/rtcached.err"; fail "no warning about the fd limit"; }
P limits "$max" 2 >"$WORK/limits.tap" || { cat "$WORK/limits.tap"; fail "limits at $max"; }
grep -q '^not ok' "$WORK/limits.tap" && { cat "$WORK/limits.tap"; fail "limits at $max"; }
echo "ok - hard fd limit 300: $max clients served, the next refused"
rtcd_stop || fail "rtcached did not stop cleanly"

# stopped while listings are queued: nothing leaks (LSan in the ASan
# build turns a leak into exit status 1), the stop is clean
awk 'BEGIN { for (i = 0; i < 30000; i++)
	printf "route add %d.%d.%d.0/24 via 10.0.0.2 dev v0\n", 16 + int(i / 65536),
	    int(i / 256) % 256, i % 256 }' >"$WORK/many"
N -batch "$WORK/many"
rtcd_start
P hold 20 5 >"$WORK/hold.out" &
HPID=$!
i=0
while ! grep -q 'connections asked' "$WORK/hold.out" && [ $i -lt 100 ]; do
	sleep 0.05; i=$((i + 1)); done
rtcd_stop || { tail -20 "$WORK/rtcached.err"; fail "stop with 20 listings queued: exit status $rc"; }
wait "$HPID"
echo "ok - stopped with 20 listings of 30k routes queued: exit 0, nothing leaked"

rtcd_start --max-clients 40 --idle-timeout 2
P limits 40 2 >"$WORK/limits.tap" || { cat "$WORK/limits.tap"; fail "limits"; }
cat "$WORK/limits.tap"
grep -q '^not ok' "$WORK/limits.tap" && fail "limits"
rtcd_stop || fail "rtcached did not stop cleanly"
exit 0
