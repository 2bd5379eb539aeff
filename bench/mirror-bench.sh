#!/bin/sh
# bench/mirror-bench.sh - the netlink mirror on a real full table (issue 6).
# As root, in a namespace of its own: load the full view with ip -batch,
# then compare in the same run
#   - start-to-ready of the mirror with `ip -4 route save table all`, median of 5
#     (the kernel's and iproute2's own dump of the same table);
#   - the mirror's RSS per route with the 200-byte target;
#   - a burst of 200k adds and 200k deletes while the mirror runs: the time
#     until the mirror has caught up (and equals the kernel) against the
#     time the kernel took to apply the burst.
# Prints `bench NAME ours=X base=Y baseline=NAME ratio=X/Y` lines.
# BENCH_ROUTES=N limits the table (default: the whole full view).
set -u
B=${BENCH_BUILDDIR:-.}
PROBE=$B/tools/mirror-dump
GEN=$B/tools/gen-routes
[ "$(id -u)" = 0 ] || { echo "bench-netlink: needs root (skipped)"; exit 0; }
NS=rtcbench-$$
W=$(mktemp -d /tmp/rtcbench.XXXXXX)
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" || exit 1
N() { ip -n "$NS" "$@"; }
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
line() { echo "bench $1 ours=$2 base=$3 baseline=$4 ratio=$(ratio "$2" "$3")"; }

N link set lo up
"$GEN" -f ip -p --link-type veth -d v0,v2 -o "$W/full" || exit 1
if [ -n "${BENCH_ROUTES:-}" ]; then
	head -n "$BENCH_ROUTES" "$W/full" >"$W/f2"; mv "$W/f2" "$W/full"
fi
t0=$(now)
N -batch "$W/full" || exit 1
t1=$(now)
routes=$(N -4 route show | wc -l)
echo "# loaded $routes routes in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s with ip -batch"

# Start-to-ready against ip route save: the median of 5 runs each,
# alternated (the machine is shared and noisy).
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
: >"$W/save.t"; : >"$W/ready.t"
bpr=0
for i in 1 2 3 4 5; do
	a=$(now); N -4 route save table all >/dev/null; b=$(now)
	awk -v a="$a" -v b="$b" 'BEGIN{print b-a}' >>"$W/save.t"
	out=$("$PROBE" -n "$NS" -x 2>/dev/null)
	echo "$out" | awk '{print $2}' >>"$W/ready.t"
	bpr=$(echo "$out" | awk '{for (i = 1; i < NF; i++) if ($i == "bytes_per_route") print $(i+1)}')
done
best_save=$(med <"$W/save.t")
best_ready=$(med <"$W/ready.t")
line mirror_ready "$best_ready" "$best_save" ip_route_save
line mirror_rss_per_route "$bpr" 200 target_200B

# The burst: 200k adds, then the same 200k deleted, while mirroring.
awk 'BEGIN { for (i = 0; i < 200000; i++)
	printf "route add 100.%d.%d.%d/32 via 198.18.0.2 dev v0 proto 186\n",
	    64 + int(i / 65536), int(i / 256) % 256, i % 256 }' >"$W/badd"
sed 's/^route add/route del/' "$W/badd" >"$W/bdel"
mkdir -p "$W/out"
"$PROBE" -n "$NS" -o "$W/out" -S -q 200 >"$W/probe.out" 2>"$W/probe.err" &
PID=$!
while [ ! -s "$W/out/stats" ]; do sleep 0.1; kill -0 $PID || exit 1; done
ev0=$(awk '$1 == "events" {print $2}' "$W/out/stats")
t0=$(now)
N -batch "$W/badd"; N -batch "$W/bdel"
t1=$(now)
# Caught up: every notification applied (400k events) or a resync done.
n=0
while :; do
	ev=$(awk '$1 == "events" {print $2}' "$W/out/stats" 2>/dev/null)
	rs=$(awk '$1 == "resyncs" {print $2}' "$W/out/stats" 2>/dev/null)
	[ -n "$ev" ] && [ $((ev - ev0)) -ge 400000 ] && break
	[ -n "$rs" ] && [ "$rs" -gt 0 ] && [ $n -gt 20 ] && break
	n=$((n + 1)); [ $n -lt 6000 ] || break
	sleep 0.05
done
t2=$(now)
rm -f "$W/out/stats"; kill -USR1 $PID
while [ ! -s "$W/out/stats" ]; do sleep 0.1; done
N -4 route show table all >"$W/k.routes"
# Sorted: fib_dump_routes() lists prefixes of one address in another
# order than the kernel trie (a presentation difference, reported).
sort "$W/k.routes" >"$W/k.sorted"; sort "$W/out/routes" >"$W/m.sorted"
if cmp -s "$W/k.sorted" "$W/m.sorted"; then eq=equal; else eq=DIFFERENT; diff "$W/k.sorted" "$W/m.sorted" | head -5; fi
cat "$W/out/stats" | tr '\n' ' ' | sed 's/^/# mirror stats: /'; echo
burst=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
total=$(awk -v a="$t0" -v b="$t2" 'BEGIN{printf "%.3f", b-a}')
echo "# burst of 400k changes: kernel ${burst}s, mirror caught up at ${total}s, final state $eq"
line mirror_burst_400k "$total" "$burst" ip_batch_apply
[ "$eq" = equal ] || exit 1
