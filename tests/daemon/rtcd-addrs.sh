#!/bin/sh
# Secondary addresses against the kernel.  A secondary's local and
# broadcast routes take its primary as their source: rtcached, started
# on a device with secondaries already there, must list them as
# `ip -4 route show table all` does and answer `route get` of each
# address with the kernel's source; then after a secondary is removed,
# after the primary is removed with promote_secondaries (a secondary
# takes its place) and without it (the secondaries go too).  Each check
# is a bounded poll until rtcached equals the kernel.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

rtcd_setup
N addr add 10.9.0.1/24 dev v0
N addr add 10.9.0.2/24 dev v0
N addr add 10.9.0.3/24 dev v0
N addr add 10.8.0.1/16 dev v0
N addr add 10.8.7.7/16 dev v0
rtcd_start

DSTS="10.9.0.1 10.9.0.2 10.9.0.3 10.9.0.5 10.9.0.255 10.8.0.1 10.8.7.7 10.8.5.5"

same() {
	N -4 route show table all >"$WORK/k.show"
	P show all >"$WORK/o.show" || return 1
	cmp -s "$WORK/k.show" "$WORK/o.show" || return 1
	for d in $DSTS; do echo "route get $d"; done >"$WORK/gets"
	N -force -batch "$WORK/gets" 2>&1 | grep -v '^Command failed' >"$WORK/k.get"
	for d in $DSTS; do echo "$d"; done | P get >"$WORK/o.get" || return 1
	cmp -s "$WORK/k.get" "$WORK/o.get"
}

# expect WHAT: rtcached equals the kernel within 10 s
expect() {
	_i=0
	until same; do
		_i=$((_i + 1))
		if [ $_i -ge 100 ]; then
			diff "$WORK/k.show" "$WORK/o.show" | sed 's/^/# show: /'
			diff "$WORK/k.get" "$WORK/o.get" | sed 's/^/# get: /'
			fail "$1"
		fi
		sleep 0.1
	done
	echo "ok - $1"
}

expect "secondaries present at start: the primary is their source"
N addr del 10.9.0.3/24 dev v0
expect "a secondary removed: its local route goes"
NX sysctl -qw net.ipv4.conf.v0.promote_secondaries=1
N addr del 10.9.0.1/24 dev v0
expect "the primary removed with promote_secondaries: 10.9.0.2 promoted"
NX sysctl -qw net.ipv4.conf.v0.promote_secondaries=0
N addr add 10.9.0.4/24 dev v0
N addr del 10.8.0.1/16 dev v0
expect "the primary removed without promote_secondaries: its secondaries go"
rtcd_stop || fail "rtcached did not stop cleanly"
exit 0
