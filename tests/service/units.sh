#!/bin/sh
# tests/service/units.sh - the systemd units: `systemd-analyze verify`
# is clean and `systemd-analyze security --offline=true` scores each unit
# at 1.5 or less (exposure, lower is safer), also with the metrics drop-in.  The
# units are made from their .in files with ExecStart= pointing at the
# built rtcached, since verify wants the binary to exist.  Exit 77
# without systemd-analyze.

set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
command -v systemd-analyze >/dev/null 2>&1 || {
	echo "SKIP: no systemd-analyze"; exit 77; }
S=$top_srcdir/systemd
bin=$(cd "$top_builddir/src/daemon" 2>/dev/null && pwd)
[ -x "$bin/rtcached" ] || { echo "SKIP: rtcached not built"; exit 77; }
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
max=15			# tenths, as --threshold counts

subst() {
	sed -e "s|@sbindir@|$bin|g" -e "s|@bindir@|/usr/bin|g" \
	    -e "s|@sysconfdir@|/etc|g" -e "s|@runstatedir@|/run|g" "$1"
}

subst "$S/rtcached.service.in" >"$tmp/rtcached.service"
subst "$S/rtcached@.service.in" >"$tmp/rtcached@.service"
ln -s rtcached@.service "$tmp/rtcached@blue.service"
cp "$S/rtcached.socket" "$tmp/"
# the metrics drop-in, merged (--offline reads one file)
cat "$tmp/rtcached.service" "$S/rtcached-metrics.conf" \
    >"$tmp/rtcached-metrics.service"

for u in rtcached.service rtcached.socket rtcached@blue.service \
    rtcached-metrics.service; do
	n=$((n + 1))
	if (cd "$tmp" && systemd-analyze verify --man=no "./$u") \
	    >"$tmp/verify.log" 2>&1 && ! grep -v '^$' "$tmp/verify.log"; then
		echo "ok $n - verify $u"
	else
		cat "$tmp/verify.log"
		echo "not ok $n - verify $u"
		fail=1
	fi
	case $u in *.socket) continue ;; esac
	n=$((n + 1))
	score=$(cd "$tmp" && systemd-analyze security --offline=true \
	    "./$u" 2>&1 | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ] && (cd "$tmp" && systemd-analyze security \
	    --offline=true --threshold=$max "./$u" >/dev/null 2>&1); then
		echo "ok $n - $u exposure $score"
	else
		echo "not ok $n - $u exposure ${score:-?} (max 1.5)"
		fail=1
	fi
done
# what the daemon itself needs of its sandbox: chown of the socket to
# socket_group passes the syscall filter (applied line by line, as systemd
# does), the runtime directory outlives a stop (the socket unit's socket
# and the instances' directories are in it), and the descriptor limit
# covers max_clients (1024 by default) with room to spare.
sc_allowed() {	# UNIT SYSCALL
	python3 - "$1" "$2" <<'PY'
import subprocess, sys
def expand(item, seen=None):
    if not item.startswith("@"):
        return {item}
    out = subprocess.run(["systemd-analyze", "syscall-filter", item],
                         capture_output=True, text=True).stdout
    names = set()
    for line in out.splitlines()[1:]:
        w = line.strip()
        if w and not w.startswith("#"):
            names |= expand(w)
    return names
allowed = None
for line in open(sys.argv[1]):
    if not line.startswith("SystemCallFilter="):
        continue
    v = line.split("=", 1)[1].strip()
    deny = v.startswith("~")
    items = set()
    for w in v.lstrip("~").split():
        items |= expand(w)
    if allowed is None:
        allowed = set() if deny else items
        continue
    allowed = allowed - items if deny else allowed | items
sys.exit(0 if allowed is not None and sys.argv[2] in allowed else 1)
PY
}
for u in rtcached.service rtcached@blue.service; do
	n=$((n + 1))
	if sc_allowed "$tmp/$u" chown && sc_allowed "$tmp/$u" fchownat &&
	    ! sc_allowed "$tmp/$u" reboot; then
		echo "ok $n - $u: chown passes the syscall filter, reboot does not"
	else
		echo "not ok $n - $u: the syscall filter blocks chown (socket_group)"
		fail=1
	fi
	n=$((n + 1))
	if grep -qx 'RuntimeDirectoryPreserve=yes' "$tmp/$u" &&
	    lim=$(sed -n 's/^LimitNOFILE=//p' "$tmp/$u") && [ "${lim:-0}" -ge 4096 ]; then
		echo "ok $n - $u: runtime directory kept on stop, LimitNOFILE=$lim"
	else
		echo "not ok $n - $u: RuntimeDirectoryPreserve=yes or LimitNOFILE>=4096 missing"
		fail=1
	fi
done
echo "1..$n"
exit $fail
