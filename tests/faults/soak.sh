#!/bin/sh
# Soak: SOAK_SECONDS (default 120) of continuous route churn (blocks of
# 2000 /24s added and the previous block deleted, over 20k routes that
# stay) plus 3 clients asking for the sampled flows without pause.
# Every 5 s rtcached's RSS is sampled; every 30 s the churn pauses for a
# checkpoint: listing and sampled flows equal to the kernel (zero
# mismatches).  After the warm-up (the first quarter, at least 20 s) RSS
# must stay flat: the last sample at most 10% (and 8 MiB) above the one
# at the end of the warm-up.  Prints `# rss start=... end=...`.  Ends
# with SIGTERM: exit 0.
#
# The route cache is configured to reclaim entries orphaned by FIB
# changes within seconds (gc_interval = 1, gc_timeout = 5); with the
# defaults (60 s / 300 s) every change orphans the whole cache and RSS
# climbs for about five minutes before it levels off (see flap.sh).
# SOAK_DEFAULT_GC=1 keeps the defaults.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

SECS=${SOAK_SECONDS:-120}
WARM=$((SECS / 4)); [ $WARM -ge 20 ] || WARM=20
BASE=20000
BLOCK=2000

rtcd_setup
pfx_batch add 0 "$BASE" >"$WORK/b"
N -batch "$WORK/b" || fail "routes"
gen_flows "$SAMPLES" 8 $((BASE + 20 * BLOCK)) >"$WORK/flows"
write_conf "rcvbuf = 128M"
[ -n "$SOAK_DEFAULT_GC" ] ||
	printf '[route_cache]\ngc_interval = 1\ngc_timeout = 5\n' >>"$WORK/rtcached.conf"
rtcd_start -c "$WORK/rtcached.conf"
poll_equal 60 "start"

# the churn: block k of the window added, block k-1 deleted; pauses
# while $WORK/pause exists (acknowledged with $WORK/paused)
(
	k=0
	prev=
	while [ ! -e "$WORK/stop" ] && [ -d "$WORK" ]; do
		if [ -e "$WORK/pause" ]; then
			touch "$WORK/paused"
			sleep 0.1
			continue
		fi
		rm -f "$WORK/paused"
		first=$((BASE + (k % 20) * BLOCK))
		{ pfx_batch add "$first" "$BLOCK" "via 10.0.$((k % 2 * 2)).2 dev v$((k % 2 * 2))"
		  [ -z "$prev" ] || pfx_batch del "$prev" "$BLOCK" " "; } >"$WORK/churn.b"
		N -batch "$WORK/churn.b" >/dev/null 2>&1 || echo "churn batch $k failed" >>"$WORK/errors"
		prev=$first
		k=$((k + 1))
		echo "$k" >"$WORK/churn.count"
	done
) &
CPID=$!
LPIDS=
for c in 1 2 3; do
	(
		while [ ! -e "$WORK/stop" ] && [ -d "$WORK" ]; do
			P -n $((100 * c)) get <"$WORK/flows" >/dev/null 2>>"$WORK/lookup.err" ||
			    echo "lookup client $c failed" >>"$WORK/errors"
			sleep 0.01
		done
	) &
	LPIDS="$LPIDS $!"
done

checkpoint() {
	touch "$WORK/pause"
	i=0
	while [ ! -e "$WORK/paused" ]; do
		i=$((i + 1)); [ $i -lt 300 ] || fail "churn did not pause"
		sleep 0.1
	done
	poll_equal 30 "checkpoint $1"
	NCHECK=$((NCHECK + 1))
	rm -f "$WORK/pause"
}

NCHECK=0
t0=$(date +%s)
rss_start=$(rss_kb)
rss_warm=
rss_max=0
next_check=$((t0 + 30))
: >"$WORK/rss"
while :; do
	now=$(date +%s)
	el=$((now - t0))
	[ $el -lt "$SECS" ] || break
	alive || fail "rtcached died at $el s"
	r=$(rss_kb)
	echo "$el $r" >>"$WORK/rss"
	if [ $el -ge $WARM ]; then
		[ -n "$rss_warm" ] || rss_warm=$r
		[ "$r" -le $rss_max ] || rss_max=$r
	fi
	if [ "$now" -ge $next_check ]; then
		checkpoint "at $el s"
		next_check=$(( $(date +%s) + 30 ))
	fi
	sleep 5		# the sampling period
done
touch "$WORK/stop"
wait "$CPID"
for p in $LPIDS; do wait "$p"; done
poll_equal 30 "end"
NCHECK=$((NCHECK + 1))
rss_end=$(rss_kb)
[ -n "$rss_warm" ] || rss_warm=$rss_end
note "rss samples (s kB): $(tr '\n' ' ' <"$WORK/rss")"
echo "# rss start=${rss_start}kB warm=${rss_warm}kB max=${rss_max}kB end=${rss_end}kB"
note "$(cat "$WORK/churn.count" 2>/dev/null || echo 0) churn batches ($((2 * BLOCK)) changes each), $NCHECK checkpoints equal," \
    "resyncs $(status_val resyncs), $(status_val lookups stats) lookups, cache $(status_val cache_entries) entries"
if [ -s "$WORK/errors" ]; then
	sort "$WORK/errors" | uniq -c | head | sed 's/^/# /'
	sort "$WORK/lookup.err" 2>/dev/null | uniq -c | head | sed 's/^/# lookup: /'
	fail "errors during the soak"
fi
echo "ok 1 - $SECS s of churn and lookups: zero mismatches at $NCHECK checkpoints"
lim=$((rss_warm + rss_warm / 10)); [ $lim -ge $((rss_warm + 8192)) ] || lim=$((rss_warm + 8192))
if [ -n "$SANITIZED" ]; then
	echo "ok 2 # SKIP sanitizer build: RSS not bounded"
else
	[ "$rss_end" -le $lim ] || fail "RSS not flat after warm-up: ${rss_warm} kB -> ${rss_end} kB (limit $lim)"
	echo "ok 2 - RSS flat after warm-up"
fi
finish
echo "ok 3 - SIGTERM: exit 0, socket removed ($(elapsed) s)"
exit 0
