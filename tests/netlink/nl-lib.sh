# tests/netlink/nl-lib.sh - shared by the mirror's integration tests.
# Each test gets its own namespace (unique name, deleted on exit), runs
# tools/mirror-dump inside it and compares the mirror's listings with the
# kernel's own.  Skips (exit 77) unless root with netns and veth support.
# Nothing here touches the namespace the test was started in.

[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
command -v ip >/dev/null 2>&1 || exit 77

builddir=${top_builddir:-$(pwd)}
PROBE=$builddir/tools/mirror-dump
[ -x "$PROBE" ] || { echo "no $PROBE"; exit 77; }

NS=rtcnl-$$-${RANDOM}
WORK=$(mktemp -d /tmp/rtcnl.XXXXXX)
PID=
ip netns add "$NS" 2>/dev/null || { rm -rf "$WORK"; echo "no netns: skipped"; exit 77; }

nl_cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ -n "$NL_KEEP" ] || rm -rf "$WORK"
}
trap nl_cleanup EXIT
trap 'exit 1' INT TERM

N() { ip -n "$NS" "$@"; }

fail() { echo "FAIL: $*"; exit 1; }

# The standard set-up of reference section 5.
nl_setup() {
	N link set lo up
	N link add v0 type veth peer name v1 || { echo "no veth: skipped"; exit 77; }
	N link add v2 type veth peer name v3
	for d in v0 v1 v2 v3; do N link set $d up; done
	N addr add 10.0.0.1/24 dev v0
	N addr add 10.0.2.1/24 dev v2
}

# nl_start [mirror-dump options]: start the mirror, wait until ready.
nl_start() {
	mkdir -p "$WORK/out"
	rm -f "$WORK/out/"*
	"$PROBE" -n "$NS" -o "$WORK/out" "$@" >"$WORK/probe.out" \
	    2>"$WORK/probe.err" &
	PID=$!
	nl_wait_listing
}

# nl_wait_listing: wait (bounded) for mirror-dump's listings; it writes
# the stats file last, so once stats exists the others are new.
nl_wait_listing() {
	i=0
	while [ ! -s "$WORK/out/stats" ]; do
		i=$((i + 1))
		[ $i -le 600 ] || fail "mirror not ready after 60 s"
		kill -0 "$PID" 2>/dev/null || { cat "$WORK/probe.err"; fail "mirror exited"; }
		sleep 0.1
	done
}

nl_stop() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	PID=
}

nl_kernel() {
	N -4 route show table all >"$WORK/k.routes"
	N rule show >"$WORK/k.rules"
	N nexthop show >"$WORK/k.nexthops" 2>/dev/null
}

# iproute2 prints the compat expansion of an nhid route (" via GW dev D"
# after "nhid N", or "nexthop" lines for a group); fib_dump_routes() does
# not (yet): compare without it.
nl_norm() {
	sed -e 's/\(nhid [0-9]*\) via [0-9.]* dev [^ ]*/\1/' \
	    -e 's/\(nhid [0-9]*\) dev [^ ]*/\1/' "$1" |
	awk '/ nhid [0-9]+ / { skip = 1; print; next }
	    skip && /^\tnexthop/ { next } { skip = 0; print }' >"$1.n"
}

nl_same() {
	nl_norm "$WORK/k.routes"
	nl_norm "$WORK/out/routes"
	cmp -s "$WORK/k.routes.n" "$WORK/out/routes.n" &&
	    cmp -s "$WORK/k.rules" "$WORK/out/rules" &&
	    cmp -s "$WORK/k.nexthops" "$WORK/out/nexthops"
}

# nl_wait_equal [seconds]: poll until the mirror equals the kernel.
nl_wait_equal() {
	limit=$(( ${1:-20} * 10 ))
	i=0
	while :; do
		nl_kernel
		nl_same && return 0
		i=$((i + 1))
		if [ $i -ge $limit ]; then
			for f in routes rules nexthops; do
				diff -u "$WORK/k.$f" "$WORK/out/$f" | head -60
			done
			cat "$WORK/out/stats"
			tail -20 "$WORK/probe.err"
			fail "${2:-state} differs from the kernel"
		fi
		sleep 0.1
	done
}

nl_stat() {
	awk -v k="$1" '$1 == k { print $2 }' "$WORK/out/stats"
}

# nl_check NAME: wait until equal and report one TAP-ish line.
nl_check() {
	nl_wait_equal "${2:-20}" "$1"
	echo "ok - $1"
}

# nl_check_known NAME REASON: a check that fails because of a known
# limitation outside the mirror; reported, not fatal.
nl_check_known() {
	if (nl_wait_equal 3 "$1" >/dev/null 2>&1); then
		echo "ok - $1"
	else
		echo "known-fail - $1: $2"
	fi
}
