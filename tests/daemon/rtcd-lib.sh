# tests/daemon/rtcd-lib.sh - shared by rtcached's integration tests.
# Each test gets its own network namespace (unique name, deleted on
# exit), starts rtcached inside it with its control socket in a private
# temporary directory, and waits for readiness with a bounded poll.
# Skips (exit 77) unless root with netns and veth support.  Nothing here
# touches the namespace the test was started in.

[ "$(id -u)" = 0 ] || { echo "not root: skipped"; exit 77; }
command -v ip >/dev/null 2>&1 || { echo "no ip: skipped"; exit 77; }

builddir=${top_builddir:-$(pwd)}
RTCD=$builddir/src/daemon/rtcached
PROBE=$builddir/tools/rtcd-probe
[ -x "$RTCD" ] && [ -x "$PROBE" ] || { echo "not built: skipped"; exit 77; }

NS=rtcd-$$-${RANDOM}
WORK=$(mktemp -d /tmp/rtcd.XXXXXX)
SOCK=$WORK/rtcached.sock
PID=
ip netns add "$NS" 2>/dev/null || { rm -rf "$WORK"; echo "no netns: skipped"; exit 77; }

rtcd_cleanup() {
	[ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	[ -n "$RTCD_KEEP" ] || rm -rf "$WORK"
}
trap rtcd_cleanup EXIT
trap 'exit 1' INT TERM

# stdbuf(1), which the tests put before the CLI to keep its stdout and
# stderr in order, works by preloading a library, and an ASan-built
# program refuses to start with any library before the ASan runtime.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
export ASAN_OPTIONS

N() { ip -n "$NS" "$@"; }
NX() { ip netns exec "$NS" "$@"; }
P() { "$PROBE" -s "$SOCK" "$@"; }

fail() {
	echo "FAIL: $*"
	[ -f "$WORK/rtcached.err" ] && tail -20 "$WORK/rtcached.err"
	exit 1
}

# Two veth pairs inside the namespace, addresses, sysctls set explicitly.
rtcd_setup() {
	N link set lo up
	N link add v0 type veth peer name v1 || { echo "no veth: skipped"; exit 77; }
	N link add v2 type veth peer name v3
	for d in v0 v1 v2 v3; do N link set $d up; done
	N addr add 10.0.0.1/24 dev v0
	N addr add 10.0.1.1/24 dev v1
	N addr add 10.0.2.1/24 dev v2
	N addr add 10.0.3.1/24 dev v3
	NX sysctl -qw net.ipv4.conf.all.forwarding=1
	NX sysctl -qw net.ipv4.conf.all.rp_filter=0
	NX sysctl -qw net.ipv4.conf.default.rp_filter=0
	for d in lo v0 v1 v2 v3; do
		NX sysctl -qw net.ipv4.conf.$d.rp_filter=0
		NX sysctl -qw net.ipv4.conf.$d.forwarding=1
	done
}

# rtcd_launch [options]: start rtcached in the namespace (PID), no wait.
rtcd_launch() {
	ip netns exec "$NS" "$RTCD" -f --socket "$SOCK" --workers 2 "$@" \
	    2>"$WORK/rtcached.err" &
	PID=$!
}

# rtcd_start [options]: rtcd_launch, then wait for sync.
rtcd_start() {
	rtcd_launch "$@"
	P wait-synced 60 || fail "rtcached not synced"
}

# notify_listen SOCKET LOG: the service manager's side of sd_notify, in
# the background (LPID): one LOG line per datagram, its monotonic time
# then the message with newlines as '|', until STOPPING=1.  Returns once
# SOCKET exists (bounded wait).  Needs python3.
notify_listen() {
	python3 - "$1" "$2" <<'PY' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "w", buffering=1) as f:
    while True:
        m = s.recv(4096).decode()
        f.write("%.3f %s\n" % (time.monotonic(), m.replace("\n", "|")))
        if m.startswith("STOPPING=1"):
            break
PY
	LPID=$!
	_i=0
	while [ ! -S "$1" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
	[ -S "$1" ]
}

# rtcd_kill9: SIGKILL rtcached and reap it.
rtcd_kill9() {
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null
	PID=
}

rtcd_stop() {
	[ -n "$PID" ] || return 0
	kill "$PID"
	wait "$PID"
	rc=$?
	PID=
	return $rc
}

# rtcd_compare FLOWS: `rtcache -b` answers `route get` of every flow of
# FLOWS (one a line, what follows `ip route get`) as `ip -batch` does,
# byte for byte; the two outputs are left in $WORK/k.get, $WORK/o.get.
CLI=$builddir/src/cli/rtcache
rtcd_compare() {
	sed 's/^/route get /' "$1" >"$WORK/batch"
	stdbuf -o0 ip -n "$NS" -force -batch "$WORK/batch" 2>&1 |
	    grep -v '^Command failed' >"$WORK/k.get"
	stdbuf -o0 "$CLI" -s "$SOCK" -force -b "$WORK/batch" 2>&1 |
	    grep -v '^Command failed' >"$WORK/o.get"
	cmp -s "$WORK/k.get" "$WORK/o.get"
}

# rtcd_expect FLOWS WHAT: bounded wait (10 s) until rtcd_compare holds;
# else the first differing answers and a failure.
rtcd_expect() {
	_i=0
	until rtcd_compare "$1"; do
		_i=$((_i + 1))
		if [ $_i -ge 50 ]; then
			diff "$WORK/k.get" "$WORK/o.get" | head -12 | sed 's/^/# /'
			fail "$2"
		fi
		sleep 0.2
	done
}
