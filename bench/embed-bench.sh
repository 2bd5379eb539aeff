#!/bin/sh
# bench/embed-bench.sh - bench/embed_bench in a namespace of its own with
# a veth pair and 10.0.0.0/24 connected (root), else in the caller's
# namespace against its default route (-d 192.0.2.1: TEST-NET-1).
set -eu
b=${BENCH_BUILDDIR:-.}/bench/embed_bench
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1; then
	ns=rtcbench-$$
	ip netns add "$ns"
	trap 'ip netns del "$ns"' EXIT
	ip -n "$ns" link set lo up
	ip -n "$ns" link add v0 type veth peer name v1
	ip -n "$ns" link set v0 up
	ip -n "$ns" link set v1 up
	ip -n "$ns" addr add 10.0.0.1/16 dev v0
	"$b" -n "$ns" "$@"
else
	echo "# not root: the caller's namespace"
	"$b" -d 192.0.2.1 "$@"
fi
