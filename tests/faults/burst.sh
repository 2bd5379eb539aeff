#!/bin/sh
# Fault 1: a burst of route changes far faster than rtcached reads, into
# a deliberately small netlink receive buffer (rcvbuf = 64K, the least
# the configuration allows): the kernel drops notifications (ENOBUFS),
# rtcached must notice, resync (rate-limited, coalesced) and end equal to
# the kernel: `route show table all` line for line and sampled flows.
# The burst runs twice; the second round must not grow RSS past the
# first (no leak per resync).
#   default: 2 rounds of 200k adds (+20k that stay) then 200k deletes
#   RTC_FAULT_FULL=1: 2 rounds of 500k adds (+50k) then 500k deletes
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

if [ -n "$FULL" ]; then NCH=500000; else NCH=${RTC_BURST_N:-200000}; fi
KEEP=$((NCH / 10))

rtcd_setup
write_conf "rcvbuf = 64K" "resync_interval_ms = 500"
rtcd_start -c "$WORK/rtcached.conf"
note "rtcached synced at $(elapsed) s"

# adds of NCH + KEEP /24s, then deletes of the first NCH: one batch
{ pfx_batch add 0 $((NCH + KEEP)); pfx_batch del 0 "$NCH"; } >"$WORK/burst"
gen_flows "$SAMPLES" 1 $((NCH + KEEP)) >"$WORK/flows"

for round in 1 2; do
	r0=$(status_val resyncs)
	e0=$(status_val netlink_enobufs stats)
	t0=$(date +%s.%N)
	N -batch "$WORK/burst" || fail "ip -batch failed"
	tb=$(elapsed "$t0")
	poll_equal 120 "round $round"
	tq=$(elapsed "$t0")
	r1=$(status_val resyncs)
	e1=$(status_val netlink_enobufs stats)
	routes=$(N -4 route show table all | wc -l)
	note "round $round: $((2 * NCH + KEEP)) changes in ${tb} s, equal at ${tq} s;" \
	    "enobufs $e0 -> $e1, resyncs $r0 -> $r1, $routes routes, rss $(rss_kb) kB"
	[ "$e1" != "?" ] && [ "$e1" -gt "$e0" ] || fail "round $round: no ENOBUFS counted ($e0 -> $e1)"
	[ "$r1" -gt "$r0" ] || fail "round $round: no resync counted ($r0 -> $r1)"
	# coalesced: at most one per 500 ms interval plus slack
	maxr=$(awk -v t="$tq" 'BEGIN { printf "%d", t * 2 + 4 }')
	[ $((r1 - r0)) -le "$maxr" ] || fail "round $round: $((r1 - r0)) resyncs in $tq s (not coalesced)"
	echo "ok $round - burst round $round: ENOBUFS, resync, equal to the kernel"
	if [ $round = 1 ]; then
		rss1=$(rss_kb)
		# the same state again: delete the survivors, so round 2 repeats it
		pfx_batch del "$NCH" "$KEEP" >"$WORK/clean"
		N -batch "$WORK/clean" || fail "cleanup batch"
		poll_equal 60 "after cleanup"
	fi
done
rss_check "burst round 2 vs round 1" "$rss1" "$(rss_kb)"
grep -c 'ENOBUFS' "$WORK/rtcached.err" | sed 's/^/# ENOBUFS log lines: /'
finish
echo "ok 3 - still alive, RSS bounded, SIGTERM exit 0 ($(elapsed) s)"
exit 0
