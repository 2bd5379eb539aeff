#!/bin/sh
# bench/mp-bench.sh - the multipath miss-path benchmark (make bench-mp,
# root): a throwaway network namespace with four veth legs, an 8-leg
# route 198.51.100.0/24 and a one-leg route 203.0.113.0/24, the hash
# seed set (so that hashing agrees with the kernel), then bench/mp_bench
# inside it.  Prints its `bench` lines.  Nothing outside the namespace
# is touched.
set -u
B=${BENCH_BUILDDIR:-$(pwd)}
[ "$(id -u)" = 0 ] ||
    { echo "bench-mp: needs root (network namespaces)"; exit 77; }
[ -x "$B/bench/mp_bench" ] ||
    { echo "bench-mp: $B/bench/mp_bench not built"; exit 1; }
NS=rtcd-mpbench-$$
cleanup() { ip netns del "$NS" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 1' INT TERM
ip netns add "$NS" || { echo "bench-mp: no netns"; exit 77; }
N() { ip -n "$NS" "$@"; }
N link set lo up
legs=
for i in 0 1 2 3; do
	N link add v$i type veth peer name p$i ||
	    { echo "bench-mp: no veth"; exit 77; }
	N link set v$i up
	N link set p$i up
	N addr add 10.0.$i.1/24 dev v$i
	legs="$legs nexthop via 10.0.$i.2 dev v$i nexthop via 10.0.$i.3 dev v$i"
done
N route add 198.51.100.0/24 $legs
N route add 203.0.113.0/24 via 10.0.0.2 dev v0
ip netns exec "$NS" sysctl -qw net.ipv4.fib_multipath_hash_policy=1
ip netns exec "$NS" sysctl -qw net.ipv4.fib_multipath_hash_seed=4242
ip netns exec "$NS" "$B/bench/mp_bench" "$@"
