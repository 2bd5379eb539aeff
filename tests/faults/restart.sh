#!/bin/sh
# Fault 5: SIGKILL and restart with a big table present.  The routes of
# the real full view (tests/data/fullview-2024.txt.gz, via
# tools/gen-routes) are in the kernel; rtcached syncs, is killed with
# SIGKILL (its socket file left behind), restarted, must be ready again
# (cold start, no reliance on old state) and equal to the kernel.  Then
# it is killed again in the middle of its initial sync and restarted.
#   default: the first 200k prefixes of the full view
#   RTC_FAULT_FULL=1: all of it (901,899 IPv4 prefixes)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

if [ -n "$FULL" ]; then NR=0; else NR=${RTC_RESTART_N:-200000}; fi

rtcd_setup
fullview_routes "$WORK/full"
[ "$NR" = 0 ] || { head -n "$NR" "$WORK/full" >"$WORK/part"; mv "$WORK/part" "$WORK/full"; }
NR=$(wc -l <"$WORK/full")
t0=$(date +%s.%N)
N -force -batch "$WORK/full" 2>"$WORK/batch.err" | head -3
note "$NR routes added in $(elapsed "$t0") s ($(grep -c 'Command failed' "$WORK/batch.err") refused)"

# flows: an address inside a sampled prefix, or anywhere
awk -v n="$SAMPLES" -v total="$NR" 'BEGIN { srand(5) }
	{ if (rand() < 2 * n / total) print $3 }' "$WORK/full" |
    head -n $((SAMPLES * 8 / 10)) | awk 'BEGIN { srand(6) } {
	split($1, p, "/"); split(p[1], o, ".")
	a = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
	span = 2 ^ (32 - p[2]); a += int(rand() * span)
	print int(a / 16777216) "." int(a / 65536) % 256 "." int(a / 256) % 256 "." a % 256
	if (rand() < 0.2) print int(rand() * 223 + 1) "." int(rand() * 256) "." int(rand() * 256) "." int(rand() * 256) " from 10.0.0.1"
}' >"$WORK/flows"

ready() {
	t0=$(date +%s.%N)
	rtcd_start
	tr=$(elapsed "$t0")
	poll_equal 120 "$1"
	note "$1: ready in $tr s, equal at $(elapsed "$t0") s; $(status_val routes) routes, resyncs $(status_val resyncs), rss $(rss_kb) kB"
}

ready "first start"
rss1=$(rss_kb)
echo "ok 1 - cold start with $NR routes: ready and equal"

rtcd_kill9
[ -e "$SOCK" ] && note "stale socket left by SIGKILL"
ready "restart after SIGKILL"
rss2=$(rss_kb)
echo "ok 2 - SIGKILL, restart: ready again and equal"

# killed in the middle of the initial sync
rtcd_kill9
rtcd_launch
i=0
while ! grep -q 'event socket' "$WORK/rtcached.err" && [ $i -lt 100 ]; do
	i=$((i + 1)); sleep 0.01
done
rtcd_kill9
ready "restart after SIGKILL during sync"
echo "ok 3 - SIGKILL during the initial sync, restart: ready and equal"
rss_check "restarted vs first start" "$rss1" "$(rss_kb)"
finish
echo "ok 4 - alive, RSS like the first start ($rss1 / $rss2 kB), SIGTERM exit 0 ($(elapsed) s)"
exit 0
