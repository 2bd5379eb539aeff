#!/bin/sh
# tests/service/conf-golden.sh - rtcached's configuration checks against
# golden files, as bgpd's regress/config does: for each conf/NAME.conf,
# `-nv -c NAME.conf` (stdout, stderr with FILE:LINE errors, exit status)
# must equal conf/NAME.ok; a file that passes must print a configuration
# that passes again and prints the same; the shipped example must give
# the defaults; reloads apply live keys and keep restart-only ones.
# rtcd-conftest runs the same code as `rtcached -n`.
#
# RTCD_GOLDEN_UPDATE=1 rewrites the .ok files (then review the diff).

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
T=$top_builddir/tests/service/rtcd-conftest
D=$top_srcdir/tests/service/conf
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

norm() {
	sed 's/^# rtcached [^:]*: /# rtcached VERSION: /'
}

# golden NAME CMD...: run CMD in $D, compare with NAME.ok
golden() {
	name=$1
	shift
	(cd "$D" && "$@" >"$tmp/out" 2>"$tmp/err"; echo "exit $?" >"$tmp/rc")
	{ norm <"$tmp/out"; cat "$tmp/err" "$tmp/rc"; } >"$tmp/$name.got"
	n=$((n + 1))
	if [ "${RTCD_GOLDEN_UPDATE:-0}" = 1 ]; then
		cp "$tmp/$name.got" "$D/$name.ok"
		echo "updated $name.ok"
	elif diff -u "$D/$name.ok" "$tmp/$name.got"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		fail=1
	fi
}

check() {
	n=$((n + 1))
	if "$@"; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		fail=1
	fi
}

for f in "$D"/*.conf; do
	name=$(basename "$f" .conf)
	case $name in reload-*) continue ;; esac
	golden "$name" "$T" -nv -c "$name.conf"
	if [ "$(cat "$tmp/rc")" = "exit 0" ]; then
		# what -nv printed parses again, to the same configuration
		cp "$tmp/out" "$tmp/$name.nv"
		"$T" -nv -c "$tmp/$name.nv" >"$tmp/$name.nv2" 2>/dev/null
		rc=$?
		what="$name: -nv output parses again"
		check test $rc = 0
		what="$name: and prints the same"
		check cmp -s "$tmp/$name.nv" "$tmp/$name.nv2"
	fi
done

# the shipped example documents the defaults: it must mean exactly them
"$T" -nv -c "$D/good-empty.conf" >"$tmp/defaults" 2>/dev/null
"$T" -nv -c "$top_srcdir/conf/rtcached.conf" >"$tmp/example" 2>/dev/null
rc=$?
what="conf/rtcached.conf is valid"
check test $rc = 0
what="conf/rtcached.conf gives the defaults"
check cmp -s "$tmp/defaults" "$tmp/example"
# ... and mentions every key of the effective configuration
what="conf/rtcached.conf documents every key"
check sh -c 'for k in $(sed -n "s/^\([a-z_]*\) =.*/\1/p" "$1"); do
	grep -q "^#$k =" "$2" || { echo "undocumented: $k"; exit 1; }; done' \
    sh "$tmp/defaults" "$top_srcdir/conf/rtcached.conf"

# command-line overrides win over the file
"$T" -nv -c "$D/good-full.conf" -o daemon.workers=16 -o metrics.listen=off \
    >"$tmp/ov" 2>/dev/null
what="overrides win over the file"
check grep -q '^workers = 16$' "$tmp/ov"
what="overrides: metrics off"
check grep -q '^listen = off$' "$tmp/ov"
what="a bad override is refused"
check sh -c '! "$1" -n -c "$2" -o daemon.workers=0 2>/dev/null' sh "$T" \
    "$D/good-full.conf"

# a missing file named with -c is an error
what="missing file: exit 1"
check sh -c '! "$1" -n -c "$2" 2>"$3" && grep -q "No such file" "$3"' sh \
    "$T" "$tmp/nonexistent.conf" "$tmp/err2"

# an endless or unreadable file is an error, never an empty configuration
what="-c /dev/zero: exit 1, the file is refused"
check sh -c '! "$1" -n -c /dev/zero 2>"$2" && grep -q "NUL byte in line\|larger than" "$2"' \
    sh "$T" "$tmp/err3"
what="-c /dev/zero under a 64 MiB address-space limit: exit 1"
check sh -c '(ulimit -v 65536; ! "$1" -n -c /dev/zero 2>/dev/null)' sh "$T"
what="-c a directory: a read error, exit 1"
check sh -c '! "$1" -n -c "$2" 2>"$3" && grep -q "read error" "$3"' sh \
    "$T" "$D" "$tmp/err4"

# rtcached -n itself says the same as the test driver, file by file
R=$top_builddir/src/daemon/rtcached
if [ -x "$R" ]; then
	for f in "$D"/*.conf; do
		name=$(basename "$f" .conf)
		(cd "$D" && "$T" -nv -c "$name.conf" >"$tmp/a" 2>&1; echo $? >>"$tmp/a")
		(cd "$D" && "$R" -nv -c "$name.conf" >"$tmp/b" 2>&1; echo $? >>"$tmp/b")
		what="rtcached -nv $name.conf agrees"
		check cmp -s "$tmp/a" "$tmp/b"
	done
fi

# reloads: live keys applied, restart-only keys kept; a bad file refused
golden reload-new "$T" -r good-full.conf reload-new.conf
golden reload-refused "$T" -r good-full.conf bad-dup.conf

echo "1..$n"
exit $fail
