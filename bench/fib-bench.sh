#!/bin/sh
# fib-bench.sh: run the FIB benchmark of issue 4.
#
# Runs bench/fib_bench once; it repeats the insert RUNS times and takes
# RUNS samples of every lookup stream, ours and rte_lpm interleaved, and
# prints medians:
#
#   bench fib_<stream> ours=<ns> base=<ns> baseline=rte_lpm ratio=<x/y>
#
# plus fib_insert, fib_bytes_per_prefix and fib_probes_<stream> lines and
# '#' lines for people.  --summary prints only the bench lines.
#
#   --table real|grow|adversarial|FILE   the table (default: the real full
#        view); grow and adversarial are made by tools/gen-routes (seed 1)
#   --runs N      (default 5, or BENCH_RUNS)
#   --no-lpm      skip rte_lpm (its build takes ~45 us per prefix)
#   --no-cache    build rte_lpm even when bench/lpm-<table>.cache in the
#                 build directory holds the tables it built last time for
#                 the same prefixes (see fib_bench --help)
#
# Environment: BENCH_BUILDDIR (or top_builddir) names the build directory
# (default: the one this script sits in, else the current directory).
set -eu

usage() {
	echo "usage: fib-bench.sh [--summary] [--runs N] [--no-lpm] [--no-cache]" \
	    "[--table real|grow|adversarial|FILE]" >&2
	exit 2
}

summary=no
runs=${BENCH_RUNS:-5}
table=real
nolpm=
cache=yes
while [ $# -gt 0 ]; do
	case $1 in
	--summary) summary=yes ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--table) [ $# -ge 2 ] || usage; table=$2; shift ;;
	--no-lpm) nolpm=--no-lpm ;;
	--no-cache) cache=no ;;
	*) usage ;;
	esac
	shift
done

builddir=${BENCH_BUILDDIR:-${top_builddir:-}}
if [ -z "$builddir" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	if [ -x "$here/fib_bench" ]; then
		builddir=$here/..
	else
		builddir=.
	fi
fi
prog=$builddir/bench/fib_bench
if [ ! -x "$prog" ]; then
	echo "fib-bench.sh: $prog not built (run make)" >&2
	exit 1
fi

tmp=
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT INT TERM
case $table in
real)	input= ;;
grow|adversarial)
	tmp=$(mktemp "${TMPDIR:-/tmp}/fib-bench.XXXXXX")
	"$builddir/tools/gen-routes" --source "$table" --seed 1 -o "$tmp"
	input=$tmp ;;
*)	input=$table ;;
esac

# shellcheck disable=SC2086
set -- -r "$runs" $nolpm
[ -z "$input" ] || set -- "$@" -i "$input"
if [ $cache = yes ] && [ -z "$nolpm" ]; then
	set -- "$@" --lpm-cache \
	    "$builddir/bench/lpm-$(basename "$table" | tr -c 'A-Za-z0-9.\n_-' _).cache"
fi
if [ $summary = yes ]; then
	out=$("$prog" "$@" 2>/dev/null) || rc=$?
	printf '%s\n' "$out" | grep '^bench ' || true
	exit "${rc:-0}"
fi
exec "$prog" "$@"
