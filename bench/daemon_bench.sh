#!/bin/sh
# bench/daemon_bench.sh - rtcached end to end (make bench-daemon, root).
# In a throwaway network namespace holding the real full view: 100k
# `route get` lines answered by `rtcache -b` against `ip -batch -force`
# with the same lines, in the same run; `route show table all` against
# ip's; single-lookup round trips over the control socket (p50/p99).  Prints `bench NAME ours= base=
# baseline= ratio=` lines.  Nothing outside the namespace is touched.
set -u
B=${BENCH_BUILDDIR:-$(pwd)}
S=${BENCH_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
LOOKUPS=${BENCH_LOOKUPS:-100000}
FULLVIEW=${BENCH_FULLVIEW:-$S/tests/data/fullview-2024.txt.gz}

[ "$(id -u)" = 0 ] || { echo "bench-daemon: needs root (network namespaces)"; exit 77; }
for p in src/daemon/rtcached src/cli/rtcache tools/gen-routes tools/rtcd-probe; do
	[ -x "$B/$p" ] || { echo "bench-daemon: $B/$p not built"; exit 1; }
done
[ -r "$FULLVIEW" ] || { echo "bench-daemon: no $FULLVIEW"; exit 77; }

NS=rtcd-bench-$$
W=$(mktemp -d /tmp/rtcd-bench.XXXXXX)
SOCK=$W/rtcached.sock
PID=
cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" || { echo "bench-daemon: no netns"; exit 77; }

now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0) ? a / b : 0 }'; }

ip -n "$NS" link set lo up
"$B/tools/gen-routes" -i "$FULLVIEW" -f ip -p --link-type veth -o "$W/routes" || exit 1
t0=$(now)
ip -n "$NS" -batch "$W/routes" || { echo "bench-daemon: loading the table failed"; exit 1; }
t1=$(now)
nroutes=$(ip -n "$NS" -4 route show | wc -l)
echo "# full view: $nroutes routes in the namespace ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s to load)"

ip netns exec "$NS" "$B/src/daemon/rtcached" -f --socket "$SOCK" 2>"$W/rtcached.err" &
PID=$!
t0=$(now)
"$B/tools/rtcd-probe" -s "$SOCK" wait-synced 600 || { cat "$W/rtcached.err"; exit 1; }
t1=$(now)
echo "# rtcached synced in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"

# 100k destinations spread over the address space (seeded)
awk -v n="$LOOKUPS" 'BEGIN { srand(42); for (i = 0; i < n; i++)
	printf "route get %d.%d.%d.%d\n", int(rand() * 223) + 1,
	    int(rand() * 256), int(rand() * 256), int(rand() * 256) }' >"$W/gets"
sed 's/^route get //' "$W/gets" >"$W/flows"

# warm both (page cache, route cache admission); then time each
ip -n "$NS" -force -batch "$W/gets" >/dev/null 2>&1
"$B/src/cli/rtcache" -s "$SOCK" -force -b "$W/gets" >/dev/null 2>&1
# five interleaved runs of each; the medians are reported
RUNS=${BENCH_RUNS:-5}
: >"$W/ip.t"; : >"$W/rtc.t"; : >"$W/probe.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	t0=$(now)
	ip -n "$NS" -force -batch "$W/gets" >"$W/ip.out" 2>/dev/null
	t1=$(now)
	"$B/src/cli/rtcache" -s "$SOCK" -force -b "$W/gets" >"$W/rtc.out" 2>/dev/null
	t2=$(now)
	"$B/tools/rtcd-probe" -s "$SOCK" get <"$W/flows" >/dev/null
	t3=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$W/ip.t"
	awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.4f\n", b - a }' >>"$W/rtc.t"
	awk -v a="$t2" -v b="$t3" 'BEGIN { printf "%.4f\n", b - a }' >>"$W/probe.t"
	i=$((i + 1))
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ip_s=$(median "$W/ip.t")
rtc_s=$(median "$W/rtc.t")
probe_s=$(median "$W/probe.t")
echo "# runs (s): ip $(tr '\n' ' ' <"$W/ip.t")| rtcache $(tr '\n' ' ' <"$W/rtc.t")"
echo "bench daemon_batch_${LOOKUPS}_s ours=$rtc_s base=$ip_s baseline=ip-batch-force ratio=$(ratio "$rtc_s" "$ip_s")"
echo "bench daemon_batch_raw_${LOOKUPS}_s ours=$probe_s base=$ip_s baseline=ip-batch-force ratio=$(ratio "$probe_s" "$ip_s")"
echo "# answers: ip $(wc -l <"$W/ip.out") lines, rtcache $(wc -l <"$W/rtc.out") lines"

# the whole table listed: `rtcache route show table all` (answered by
# the workers in paced steps) against `ip -4 route show table all`
: >"$W/ipshow.t"; : >"$W/rtcshow.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	t0=$(now)
	ip -n "$NS" -4 route show table all >"$W/ip.show"
	t1=$(now)
	"$B/src/cli/rtcache" -s "$SOCK" route show table all >"$W/rtc.show"
	t2=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$W/ipshow.t"
	awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.4f\n", b - a }' >>"$W/rtcshow.t"
	i=$((i + 1))
done
ipshow_s=$(median "$W/ipshow.t")
rtcshow_s=$(median "$W/rtcshow.t")
echo "# route show table all: ip $(wc -l <"$W/ip.show") lines, rtcache $(wc -l <"$W/rtc.show") lines;" \
    "$(cmp -s "$W/ip.show" "$W/rtc.show" && echo same || echo DIFFERENT) text"
echo "bench daemon_route_show_all_s ours=$rtcshow_s base=$ipshow_s baseline=ip-route-show ratio=$(ratio "$rtcshow_s" "$ipshow_s")"

# single lookups, one request per round trip
: >"$W/p50.t"; : >"$W/p99.t"
i=0
while [ "$i" -lt "$RUNS" ]; do
	lat=$("$B/tools/rtcd-probe" -s "$SOCK" latency 20000 1.0.0.1) || exit 1
	echo "$lat" | awk '{ print $2 }' >>"$W/p50.t"
	echo "$lat" | awk '{ print $4 }' >>"$W/p99.t"
	i=$((i + 1))
done
p50=$(median "$W/p50.t")
p99=$(median "$W/p99.t")
echo "# single-lookup p99 per run (us): $(tr '\n' ' ' <"$W/p99.t")"
per_ip=$(awk -v s="$ip_s" -v n="$LOOKUPS" 'BEGIN { printf "%.1f", s * 1e6 / n }')
echo "bench daemon_single_p50_us ours=$p50 base=$per_ip baseline=ip-batch-per-lookup ratio=$(ratio "$p50" "$per_ip")"
echo "bench daemon_single_p99_us ours=$p99 base=100 baseline=target-100us ratio=$(ratio "$p99" 100)"
kill "$PID"; wait "$PID"; PID=
exit 0
