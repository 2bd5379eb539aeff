#!/bin/sh
# Fault: listings nobody reads, during a burst of route changes.  240
# clients ask `route show table all` of a 300k-route table and never
# read the answer, and at the same moment 300k more routes come from the
# kernel.  Listings run on the workers in steps paced by the reader, so
# rtcached must, and this test checks:
#   - answer a route added in the middle of the burst (bounded poll);
#   - keep answering lookups throughout;
#   - keep its peak RSS within the new routes' own FIB memory plus the
#     reply budget (64M by default) plus 16M of slack (not in sanitizer
#     builds: shadow memory);
#   - send WATCHDOG=1 throughout (WATCHDOG_USEC = 1 s);
#   - end equal to the kernel, with no client cut under the default budget.
# Then, started again with the smallest reply budget (1M), the same
# stalled clients are cut (log line, budget_cuts counter), the queues end
# within the budget, and a well-behaved client is still answered.
# The timings are figures, not assertions (`# ` lines; with
# RTC_LOAD_REPORT=FILE also written there): how long after `ip route add`
# started the route was answered, the lookup rate before and during the
# load, the longest watchdog gap.  bench/listing-bench.sh (make
# bench-listing) runs this five times and compares them with their
# targets.  Sanitizer builds run it at 60k routes and 120 clients.
#   RTC_LOAD_ROUTES (300000) and RTC_LOAD_CLIENTS (240) set the size.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }

NR=${RTC_LOAD_ROUTES:-300000}
NC=${RTC_LOAD_CLIENTS:-240}
if [ -n "$SANITIZED" ]; then NR=${RTC_LOAD_ROUTES:-60000}; NC=${RTC_LOAD_CLIENTS:-120}; fi
ulimit -n 4096

rtcd_setup
pfx_batch add 0 "$NR" >"$WORK/base"
pfx_batch add "$NR" "$NR" >"$WORK/burst"
N -batch "$WORK/base" || fail "ip -batch (base table)"

NOTIFY=$WORK/notify
notify_listen "$NOTIFY" "$WORK/notify.log" || fail "no notify socket"

# launch [CONF]: rtcached under a 1 s watchdog, synced
launch() {
	ip netns exec "$NS" env NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=1000000 \
	    "$RTCD" -f --socket "$SOCK" --workers 2 ${1:+-c "$1"} \
	    2>"$WORK/rtcached.err" &
	PID=$!
	P wait-synced 120 || fail "rtcached not synced"
}

# hold_clients SECONDS: $NC clients ask for every route and never read;
# waits (bounded) until each is connected or cut and every listing has
# stopped for want of a reader (the queued bytes no longer grow).
hold_clients() {
	P hold "$NC" "$1" >"$WORK/hold.out" &
	HPID=$!
	_i=0 _q=-1
	while [ $_i -lt 300 ]; do
		P stats >"$WORK/stats" 2>/dev/null
		_c=$(awk '$1 == "clients" { c = $2 } $1 == "budget_cuts" { c += $2 } END { print c + 0 }' "$WORK/stats")
		_n=$(awk '/_queued_bytes/ { s += $2 } END { print s + 0 }' "$WORK/stats")
		[ "$_c" -gt "$NC" ] && [ "$_n" = "$_q" ] && break
		_q=$_n
		sleep 0.1; _i=$((_i + 1))
	done
	QUEUED=$_n
	note "$NC clients holding listings: $(status_val clients) connected, $QUEUED bytes queued"
}

launch
base_rate=$(P rate 2 16.0.0.1 | awk '{ print $4 }')
fib0=$(status_val fib_bytes stats)
hold_clients 60
echo 5 >"/proc/$PID/clear_refs"	# VmHWM from here
rss0=$(rss_kb)

# the burst, a route added when it is under way, lookups all along
P rate 6 16.0.0.1 >"$WORK/rate.out" &
RPID=$!
t0=$(date +%s.%N)
N -batch "$WORK/burst" &
BPID=$!
i=0
while [ "$(status_val routes)" -lt $((NR + NR / 20)) ] && [ $i -lt 600 ]; do
	sleep 0.01; i=$((i + 1)); done
P wait-route 203.0.113.1 10.0.2.2 30 >"$WORK/seen.out" &
WPID=$!
t_add=$(date +%s.%N)	# before: the lag measured is an upper bound
N route add 203.0.113.0/24 via 10.0.2.2 dev v2 || fail "marker route"
wait "$WPID" || fail "the route added during the burst was never answered"
lag_ms=$(awk -v a="$t_add" '{ printf "%d", ($2 - a) * 1000 }' "$WORK/seen.out")
wait "$BPID" || fail "ip -batch (burst)"
t_burst=$(elapsed "$t0")
wait "$RPID" || fail "lookups failed under load"
load_rate=$(awk '{ print $4 }' "$WORK/rate.out")
load_max=$(awk '{ print $6 }' "$WORK/rate.out")
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
gen_flows "$SAMPLES" 3 $((2 * NR)) >"$WORK/flows"
poll_equal 180 "after the burst"
fib1=$(status_val fib_bytes stats)
budget=$(status_val reply_budget stats)
kill "$HPID" 2>/dev/null; wait "$HPID" 2>/dev/null

allow=$(( rss0 + (fib1 - fib0) / 1024 + budget / 1024 + 16384 ))
note "burst of $NR routes in $t_burst s; route added during it answered after $lag_ms ms"
note "lookups: $base_rate/s unloaded, $load_rate/s under load (slowest $load_max us)"
note "rss: ${rss0} kB before, peak ${hwm} kB, allowed ${allow} kB" \
    "(fib +$(( (fib1 - fib0) / 1024 )) kB, budget $((budget / 1024)) kB)"
wd=$(python3 - "$WORK/notify.log" <<'PY'
import sys
t = [float(l.split()[0]) for l in open(sys.argv[1]) if "WATCHDOG=1" in l]
d = [b - a for a, b in zip(t, t[1:])]
print("%d %.3f" % (len(t), max(d) if d else 99))
PY
)
note "watchdog: ${wd% *} pings, longest gap ${wd#* } s"

if [ -n "$RTC_LOAD_REPORT" ]; then
	printf 'lag_ms %s\nbase_rate %s\nload_rate %s\nwatchdog_gap_s %s\npeak_rss_kb %s\nallowed_rss_kb %s\n' \
	    "$lag_ms" "$base_rate" "$load_rate" "${wd#* }" "$hwm" "$allow" >"$RTC_LOAD_REPORT"
fi
echo "ok - the route added during the burst answered, lookups answered throughout"
[ "${wd% *}" -ge 2 ] || fail "no watchdog pings during the load (${wd% *})"
echo "ok - WATCHDOG=1 sent throughout (${wd% *} pings)"
if [ -n "$SANITIZED" ]; then
	echo "ok - peak RSS ${hwm} kB # SKIP sanitizer build"
else
	[ "$hwm" -le "$allow" ] || fail "peak RSS ${hwm} kB over ${allow} kB"
	echo "ok - peak RSS within the FIB growth plus the reply budget (${hwm} of ${allow} kB)"
fi
cuts=$(status_val budget_cuts stats)
[ "$cuts" = 0 ] || fail "$cuts clients cut under the default budget"
rtcd_stop || fail "rtcached did not stop cleanly"

# the smallest budget: stalled clients are cut, the rest served
printf '[daemon]\nreply_budget = 1M\n' >"$WORK/small.conf"
launch "$WORK/small.conf"
hold_clients 30
cuts=$(status_val budget_cuts stats)
[ "$cuts" -gt 0 ] || fail "no client cut over a 1M budget ($QUEUED bytes queued)"
# within the budget once the workers have looked (each step, each 2 s)
i=0
while [ "$QUEUED" -gt 1048576 ] && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1))
	QUEUED=$(P stats | awk '/_queued_bytes/ { s += $2 } END { print s + 0 }')
done
[ "$QUEUED" -le 1048576 ] || fail "$QUEUED bytes queued over a 1M budget"
grep -q 'closed to keep the replies queued under' "$WORK/rtcached.err" ||
    fail "no log line for the clients cut"
P rate 0.5 16.0.0.1 >/dev/null || fail "a good client not answered"
echo "ok - 1M budget: $cuts of $NC stalled clients cut, $QUEUED bytes left queued, others answered"
kill "$HPID" 2>/dev/null; wait "$HPID" 2>/dev/null
finish
wait "$LPID" 2>/dev/null
exit 0
