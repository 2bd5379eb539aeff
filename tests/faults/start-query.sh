#!/bin/sh
# Clients that ask from the first moment: with 300k routes of the real
# full view in the kernel, four clients wait for rtcached's control socket
# and send their lookups the moment it listens, long before the first
# sync has been applied.  Every answer must equal `ip route
# get`: the daemon may make a client wait for the sync, never answer it
# from a partial table.  Before this was so, the first 40-90 ms of
# answers said ENETUNREACH or followed the default route.
#   RTC_START_N: routes (default 300000)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

NR=${RTC_START_N:-300000}
CLIENTS=4

rtcd_setup
N route add default via 10.0.2.2 dev v2
fullview_routes "$WORK/full"
head -n "$NR" "$WORK/full" >"$WORK/part"
N -force -batch "$WORK/part" 2>/dev/null
note "$(N -4 route show | wc -l) routes in the kernel"

# destinations inside sampled prefixes (most of them), and anywhere
awk -v n="$SAMPLES" -v total="$NR" 'BEGIN { srand(11) }
	{ if (rand() < 2 * n / total) print $3 }' "$WORK/part" | awk 'BEGIN { srand(12) } {
	split($1, p, "/"); split(p[1], o, ".")
	a = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
	a += int(rand() * 2 ^ (32 - p[2]))
	print int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256
	if (rand() < 0.2) print int(rand() * 223 + 1) "." int(rand() * 256) "." int(rand() * 256) "." int(rand() * 256)
}' >"$WORK/flows"
sed 's/^/route get /' "$WORK/flows" >"$WORK/batch"
ip -n "$NS" -force -batch "$WORK/batch" 2>/dev/null >"$WORK/k.get"
note "$(wc -l <"$WORK/flows") flows, kernel answers taken"

# the clients first: each retries its connect every 0.1 ms, so they are
# in the listen backlog from the moment the socket listens, before the
# daemon's event loop has run once
t0=$(date +%s.%N)
c=1
while [ $c -le $CLIENTS ]; do
	"$PROBE" -s "$SOCK" -W 30 get <"$WORK/flows" >"$WORK/o$c.get" 2>"$WORK/o$c.err" &
	eval "cpid$c=$!"
	c=$((c + 1))
done
rtcd_launch
c=1
while [ $c -le $CLIENTS ]; do
	eval "wait \$cpid$c" || { cat "$WORK/o$c.err"; fail "client $c failed"; }
	c=$((c + 1))
done
note "clients answered $(elapsed "$t0") s after they started; $(grep 'synced:' "$WORK/rtcached.err" | sed 's/.*synced: //')"

bad=0
c=1
while [ $c -le $CLIENTS ]; do
	if ! cmp -s "$WORK/k.get" "$WORK/o$c.get"; then
		echo "# client $c: $(diff "$WORK/k.get" "$WORK/o$c.get" | grep -c '^>') answers differ from the kernel's:"
		diff "$WORK/k.get" "$WORK/o$c.get" | head -6 | sed 's/^/#   /'
		bad=1
	fi
	c=$((c + 1))
done
[ $bad = 0 ] || fail "answers given before the sync"
echo "ok 1 - $CLIENTS clients asking from the start: every answer equals the kernel's"
rtcd_stop || fail "rtcached did not stop cleanly"
exit 0
