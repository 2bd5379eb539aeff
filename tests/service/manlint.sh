#!/bin/sh
# tests/service/manlint.sh - the man pages lint clean: `mandoc -Tlint`
# with warnings and errors counted (style notes such as a referenced page
# missing on this machine depend on the host), and, where man(1) exists,
# formatting them prints nothing on stderr.  Exit 77 without mandoc.

set -u
: "${top_srcdir:=.}"
command -v mandoc >/dev/null 2>&1 || { echo "SKIP: no mandoc"; exit 77; }
fail=0 n=0
for p in rtcached.8 rtcache.8 rtcached.conf.5 librtcache.3 rtc_embed_open.3; do
	f=$top_srcdir/man/$p
	n=$((n + 1))
	if out=$(mandoc -Tlint -W warning "$f" 2>&1) && [ -z "$out" ]; then
		echo "ok $n - mandoc -Tlint $p"
	else
		printf '%s\n' "$out"
		echo "not ok $n - mandoc -Tlint $p"
		fail=1
	fi
	command -v man >/dev/null 2>&1 || continue
	n=$((n + 1))
	err=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 \
	    -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
	if [ -z "$err" ]; then
		echo "ok $n - man --warnings $p"
	else
		printf '%s\n' "$err"
		echo "not ok $n - man --warnings $p"
		fail=1
	fi
done
echo "1..$n"
exit $fail
