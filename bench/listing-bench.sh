#!/bin/sh
# bench/listing-bench.sh - rtcached under listings nobody reads during a
# burst of route changes (make bench-listing, root): runs the fault test
# tests/faults/listing-load.sh (240 stalled `route show table all`
# clients of a 300k-route table while 300k more routes arrive) BENCH_RUNS
# times (default 5) and compares the medians of its figures with their
# targets and baselines:
#   listing_load_route_seen_ms   a route added mid-burst answered, against 1 s
#   listing_load_lookup_rate     lookups/s under the load, against unloaded
#   listing_load_watchdog_gap_s  longest gap between WATCHDOG=1, against 1 s
#   listing_load_peak_rss_kb     peak RSS, against the FIB growth + budget
# Prints `bench NAME ours= base= baseline= ratio=` lines.
set -u
B=${BENCH_BUILDDIR:-$(pwd)}
S=${BENCH_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
RUNS=${BENCH_RUNS:-5}

[ "$(id -u)" = 0 ] || { echo "bench-listing: needs root (network namespaces)"; exit 77; }
W=$(mktemp -d /tmp/rtcd-lbench.XXXXXX)
trap 'rm -rf "$W"' EXIT

i=1
while [ "$i" -le "$RUNS" ]; do
	RTC_LOAD_REPORT="$W/run.$i" top_srcdir="$S" top_builddir="$B" \
	    sh "$S/tests/faults/listing-load.sh" >"$W/log.$i" 2>&1
	rc=$?
	[ "$rc" = 0 ] && [ -s "$W/run.$i" ] || {
		echo "bench-listing: run $i failed (exit $rc)"; tail -5 "$W/log.$i"; exit 1; }
	grep '^# ' "$W/log.$i" | sed "s/^# /# run $i: /" | head -5
	i=$((i + 1))
done

# median KEY: the median over the runs of one figure
median() {
	cat "$W"/run.* | awk -v k="$1" '$1 == k { print $2 }' | sort -g |
	    awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
line() {	# line NAME OURS BASE BASELINE
	echo "bench $1 ours=$2 base=$3 baseline=$4 ratio=$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.4f", (b > 0) ? a / b : 0 }')"
}
line listing_load_route_seen_ms "$(median lag_ms)" 1000 target-1s
line listing_load_lookup_rate "$(median load_rate)" "$(median base_rate)" unloaded-lookup-rate
line listing_load_watchdog_gap_s "$(median watchdog_gap_s)" 1.0 watchdog-usec
line listing_load_peak_rss_kb "$(median peak_rss_kb)" "$(median allowed_rss_kb)" fib-growth-plus-budget
