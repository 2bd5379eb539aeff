#!/bin/sh
# tests/headers.sh - every public header stands alone.
#
# Stages `make install` of the headers and librtcache.pc into a temporary
# DESTDIR, then compiles each header of include/rtcache/ on its own with
# nothing but `pkg-config --cflags librtcache` of that staged tree (no -I
# of the source tree), and checks that no public header includes a src/
# header.  Needs top_srcdir, top_builddir and CC from the test harness.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

make -s -C "$top_builddir" DESTDIR="$tmp/root" \
    install-rtcacheincludeHEADERS install-pkgconfigDATA >/dev/null
pc=$(find "$tmp/root" -name librtcache.pc)
[ -n "$pc" ] || { echo "not ok - librtcache.pc was not installed"; exit 1; }
cflags=$(PKG_CONFIG_SYSROOT_DIR="$tmp/root" \
    PKG_CONFIG_PATH="$(dirname "$pc")" pkg-config --cflags librtcache)

for h in "$top_srcdir"/include/rtcache/*.h; do
	name=rtcache/$(basename "$h")
	if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$h" |
	    grep -vE '"rtcache/[a-z0-9_]+\.h"'; then
		echo "not ok - $name includes a header that is not public"
		fail=1
		continue
	fi
	# shellcheck disable=SC2086
	if ! printf '#include <%s>\n' "$name" |
	    $cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only $cflags \
	    -x c - 2>"$tmp/err"; then
		echo "not ok - $name does not compile alone:"
		sed 's/^/#   /' "$tmp/err"
		fail=1
	else
		echo "ok - $name compiles alone from the installed tree"
	fi
done
exit $fail
