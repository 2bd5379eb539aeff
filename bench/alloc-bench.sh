#!/bin/sh
# alloc-bench.sh: run the allocator benchmark of issue 3.
#
# Runs bench/alloc_bench_<allocator> for every allocator that was built
# (kmem_cache always; glibc, jemalloc, mimalloc where configure found
# them), RUNS times each, interleaved (run 1 of each, then run 2, ...),
# takes the median of the per-process medians, prints a table and then
# one line per comparison:
#
#   bench slab_<test> ours=<x> base=<y> baseline=<allocator> ratio=<x/y>
#
# ours is our kmem_cache.  ns per operation for the timed tests, MiB for
# rss_peak and rss_after_free.  --summary prints only the bench lines.
#
# Environment: BENCH_BUILDDIR (or top_builddir) names the build directory
# (default: the one this script sits in, else the current directory);
# BENCH_RUNS (default 5), BENCH_SCALE (iteration multiplier, default 1).
set -eu

usage() {
	echo "usage: alloc-bench.sh [--summary] [--runs N] [--scale S] [TEST...]" >&2
	echo "  tests: rss pair fifo1k xthread churn churn2 (default: all)" >&2
	exit 2
}

summary=no
runs=${BENCH_RUNS:-5}
scale=${BENCH_SCALE:-1}
while [ $# -gt 0 ]; do
	case $1 in
	--summary) summary=yes ;;
	--runs) [ $# -ge 2 ] || usage; runs=$2; shift ;;
	--scale) [ $# -ge 2 ] || usage; scale=$2; shift ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
	shift
done
tests="$*"

builddir=${BENCH_BUILDDIR:-${top_builddir:-}}
if [ -z "$builddir" ]; then
	here=$(cd "$(dirname "$0")" && pwd)
	if [ -x "$here/alloc_bench_slab" ]; then
		builddir=$here/..
	else
		builddir=.
	fi
fi
bin=$builddir/bench
if [ ! -x "$bin/alloc_bench_slab" ]; then
	echo "alloc-bench.sh: $bin/alloc_bench_slab not built (run make)" >&2
	exit 1
fi

allocs=
for a in slab glibc jemalloc mimalloc; do
	[ -x "$bin/alloc_bench_$a" ] && allocs="$allocs $a"
done

say() {
	[ $summary = yes ] || echo "$@" >&2
}

out=$(mktemp "${TMPDIR:-/tmp}/alloc-bench.XXXXXX")
trap 'rm -f "$out"' EXIT INT TERM

say "alloc-bench: allocators:$allocs; $runs runs each, interleaved"
r=1
while [ "$r" -le "$runs" ]; do
	# rotate the order so no allocator always runs first
	# shellcheck disable=SC2086
	set -- $allocs
	i=1
	while [ "$i" -lt "$r" ]; do
		a=$1; shift; set -- "$@" "$a"; i=$((i + 1))
	done
	for a in "$@"; do
		say "alloc-bench: run $r/$runs: $a"
		# shellcheck disable=SC2086
		"$bin/alloc_bench_$a" -s "$scale" $tests >>"$out"
	done
	r=$((r + 1))
done

awk -v summary="$summary" -v runs="$runs" '
function median(key,    n, i, j, t, v) {
	n = cnt[key]
	for (i = 1; i <= n; i++)
		v[i] = val[key, i]
	for (i = 2; i <= n; i++) {
		t = v[i]
		for (j = i - 1; j >= 1 && v[j] > t; j--)
			v[j + 1] = v[j]
		v[j + 1] = t
	}
	if (n % 2)
		return v[(n + 1) / 2]
	return (v[n / 2] + v[n / 2 + 1]) / 2
}
$1 == "result" {
	for (i = 2; i <= NF; i++) {
		split($i, kv, "=")
		f[kv[1]] = kv[2]
	}
	a = f["alloc"]; t = f["test"]
	if (!(a in seena)) { seena[a] = 1; alist[++na] = a }
	if (!(t in seent)) { seent[t] = 1; tlist[++nt] = t; unit[t] = f["unit"] }
	k = a SUBSEP t
	val[k, ++cnt[k]] = f["value"]
}
END {
	# targets against jemalloc (issue 3)
	target["pair"] = "<=1.0x je"; target["fifo1k"] = "<=0.5x je"
	target["xthread"] = "<=0.5x je"; target["churn"] = "<=1.0x je"
	target["churn2"] = "<=1.0x je"
	target["rss_peak"] = "<=201.6 MiB"
	target["rss_after_free"] = "<=2 MiB"
	ours = "kmem_cache"
	for (j = 1; j <= nt; j++)
		for (i = 1; i <= na; i++) {
			k = alist[i] SUBSEP tlist[j]
			if (cnt[k] > 0)
				med[k] = median(k)
		}
	if (summary != "yes") {
		printf "\nmedian of %d process runs (each a median of its samples)\n", runs
		printf "%-18s %-5s", "test", "unit"
		for (i = 1; i <= na; i++)
			printf " %11s", alist[i]
		printf "  %s\n", "target"
		for (j = 1; j <= nt; j++) {
			t = tlist[j]
			printf "%-18s %-5s", t, unit[t]
			for (i = 1; i <= na; i++) {
				k = alist[i] SUBSEP t
				if (k in med)
					printf " %11.2f", med[k]
				else
					printf " %11s", "-"
			}
			printf "  %s\n", (t in target) ? target[t] : ""
		}
		printf "\n"
	}
	for (j = 1; j <= nt; j++) {
		t = tlist[j]
		ko = ours SUBSEP t
		if (!(ko in med))
			continue
		for (i = 1; i <= na; i++) {
			a = alist[i]
			if (a == ours || !((a SUBSEP t) in med))
				continue
			b = med[a SUBSEP t]
			if (b > 0 && med[ko] >= 0)
				r = sprintf("%.3f", med[ko] / b)
			else
				r = "n/a"
			printf "bench slab_%s ours=%.2f base=%.2f baseline=%s ratio=%s\n",
			    t, med[ko], b, a, r
		}
	}
}' "$out"
