#!/bin/sh
# tests/examples.sh - the examples build against an installed librtcache
# and answer as `ip route get`.
#
# Stages `make install` of the library, the headers and librtcache.pc
# into a temporary DESTDIR (as tests/headers.sh does), compiles each
# examples/*.c with only `pkg-config --cflags --libs librtcache` of that
# tree (no -I or -L of the build tree), and, as root, runs route-decide
# in a namespace of its own made with veth links: the first line of each
# answer must be the first line `ip route get` prints, and a failed
# lookup the same error.  Needs top_srcdir, top_builddir and CC.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
cc=${CC:-cc}
tmp=$(mktemp -d)
NS=
cleanup() {
	[ -z "$NS" ] || ip netns del "$NS" 2>/dev/null || :
	rm -rf "$tmp"
}
trap cleanup EXIT

make -s -C "$top_builddir" DESTDIR="$tmp/root" install-libLTLIBRARIES \
    install-rtcacheincludeHEADERS install-pkgconfigDATA >/dev/null \
    2>"$tmp/install.err" || { cat "$tmp/install.err"; exit 1; }
pc=$(find "$tmp/root" -name librtcache.pc)
[ -n "$pc" ] || { echo "FAIL: librtcache.pc was not installed"; exit 1; }
export PKG_CONFIG_SYSROOT_DIR="$tmp/root" PKG_CONFIG_PATH="$(dirname "$pc")"
flags=$(pkg-config --cflags --libs librtcache)
libdir=$(pkg-config --variable=libdir librtcache)
echo "# pkg-config --cflags --libs librtcache: $flags"
for src in "$top_srcdir"/examples/*.c; do
	name=$(basename "$src" .c)
	# a sanitizer build's library wants its runtime in the program too
	# shellcheck disable=SC2086
	$cc -std=gnu11 -Wall -Wextra -Werror ${SAN_CFLAGS:-} -o "$tmp/$name" "$src" $flags ||
	    { echo "FAIL: $name does not build from the installed tree"; exit 1; }
	echo "ok: $name builds with pkg-config --cflags --libs librtcache"
done
# (some pkg-config versions put the sysroot in front of variables too)
case $libdir in "$tmp/root"/*) ;; *) libdir=$tmp/root$libdir ;; esac
export LD_LIBRARY_PATH="$libdir"
# It links the installed copy, not the build tree's.
ldd "$tmp/route-decide" | grep -q "librtcache.so.0 => $tmp/root" ||
    { echo "FAIL: route-decide does not load the staged librtcache"; exit 1; }

[ "$(id -u)" = 0 ] || { echo "not root: build checked, run skipped"; exit 0; }
command -v ip >/dev/null 2>&1 || { echo "no ip: run skipped"; exit 0; }
NS=rtcex-$$-${RANDOM:-0}
ip netns add "$NS" 2>/dev/null || { NS=; echo "no netns: run skipped"; exit 0; }
N() { ip -n "$NS" "$@"; }
N link set lo up
N link add v0 type veth peer name v1 2>/dev/null ||
    { echo "no veth: run skipped"; exit 0; }
N link add v2 type veth peer name v3
for d in v0 v1 v2 v3; do N link set $d up; done
N addr add 10.0.0.1/24 dev v0
N addr add 10.0.1.1/24 dev v1
N addr add 10.0.2.1/24 dev v2
N route add 192.0.2.0/24 via 10.0.0.2
N route add 100.64.0.0/10 via 10.0.2.2 mtu 1400
N route add 198.51.100.0/24 via 10.0.2.2 table 100
N rule add from 10.0.1.0/24 lookup 100 pref 100
N route add unreachable 198.18.0.0/15

cat > "$tmp/flows" <<'FLOWS'
10.0.0.5
192.0.2.7
100.64.1.1
10.0.0.1
10.0.0.255
198.51.100.3 from 10.0.1.1
10.0.2.9 oif v2
192.0.2.9 mark 7
198.18.1.1
8.8.8.8
FLOWS
"$tmp/route-decide" -n "$NS" <"$tmp/flows" >"$tmp/ours" 2>"$tmp/ours.err" ||
    { echo "FAIL: route-decide failed:"; cat "$tmp/ours.err"; exit 1; }
: >"$tmp/kernel"
: >"$tmp/kernel.err"
while read -r f; do
	# shellcheck disable=SC2086
	ip -n "$NS" route get $f >>"$tmp/kernel" 2>>"$tmp/kernel.err" || :
done <"$tmp/flows"
# first lines (the answers) and the errors, trailing blanks aside
first() { awk 'NR % 2 == 1 { sub(/[ \t]+$/, ""); print }' "$1"; }
first "$tmp/ours" >"$tmp/o1"
first "$tmp/kernel" >"$tmp/k1"
fail=0
if ! diff -u "$tmp/k1" "$tmp/o1"; then
	echo "FAIL: route-decide's answers differ from ip route get's (- ip, + ours)"
	fail=1
fi
if ! diff -u "$tmp/kernel.err" "$tmp/ours.err"; then
	echo "FAIL: the errors differ (- ip, + ours)"
	fail=1
fi
[ $fail = 0 ] && echo "ok: route-decide answers $(wc -l <"$tmp/flows") flows as ip route get"
exit $fail
