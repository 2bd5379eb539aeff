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

rtcd_start --max-clients 40 --idle-timeout 2
P limits 40 2 >"$WORK/limits.tap" || { cat "$WORK/limits.tap"; fail "limits"; }
cat "$WORK/limits.tap"
grep -q '^not ok' "$WORK/limits.tap" && fail "limits"
rtcd_stop || fail "rtcached did not stop cleanly"
exit 0
