#!/bin/sh
# rtcached against the kernel: several thousand random flows (with and
# without from/iif/mark/tos) answered by rtcached equal `ip route get`
# line for line, `route show table all` equals `ip -4 route show table
# all`, and after route changes the next lookups follow the kernel.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

FLOWS=${RTCD_FLOWS:-3000}

rtcd_setup
N route add 192.0.2.0/24 via 10.0.0.2 dev v0
N route add 198.51.100.0/24 via 10.0.2.2 dev v2 mtu 1400
N route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2 weight 3
N route add 100.64.0.0/10 via 10.0.2.3 dev v2 metric 20
N route add 100.64.0.0/10 via 10.0.0.3 dev v0 metric 10
N route add 100.65.0.0/16 via 10.0.0.4 dev v0 tos 0x10
N route add blackhole 198.18.0.0/16
N route add unreachable 198.19.0.0/16
N route add prohibit 198.20.0.0/16
N route add 172.16.0.0/12 via 10.0.2.2 dev v2 table 100
N route add default via 10.0.0.2 dev v0 table 100
N route add 172.16.5.0/24 dev v2 table 200 src 10.0.2.1
N route add unreachable default table 200
N route add 10.200.0.0/16 via 10.0.2.4 dev v2 table 70000
N route add default via 10.0.0.2 dev v0 metric 100
N rule add from 10.0.1.0/24 table 100 pref 100
N rule add fwmark 0x10 table 200 pref 200
N rule add to 10.200.0.0/16 table 70000 pref 300
N rule add iif v3 table 100 pref 400
N rule add tos 0x08 table 200 pref 500
N rule add from 10.0.3.77 prohibit pref 600

rtcd_start

# Random flows: destinations around every prefix above plus anywhere.
gen_flows() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		split("192.0.2 198.51.100 100.66.0 100.64.1 100.65.3 198.18.4 198.19.1 198.20.9 172.16.5 172.17.1 10.200.3 10.0.0 10.0.1 10.0.2 10.0.3 127.0.0 8.8.8 1.1.1 224.0.0 255.255.255 203.0.113", p, " ")
		np = 21
		for (i = 0; i < n; i++) {
			r = int(rand() * (np + 2))
			if (r < np)
				d = p[r + 1] "." int(rand() * 256)
			else
				d = int(rand() * 223 + 1) "." int(rand() * 256) "." int(rand() * 256) "." int(rand() * 256)
			o = d
			k = int(rand() * 8)
			if (k == 1) o = o " from 10.0.0.1"
			else if (k == 2) o = o " from 10.0.2.1"
			else if (k == 3) o = o " from 10.0.1." int(rand() * 254 + 1) " iif v1"
			else if (k == 4) o = o " from 10.0.3." int(rand() * 254 + 1) " iif v3"
			else if (k == 5) o = o " from 192.0.2." int(rand() * 254 + 1) " iif v1"
			if (rand() < 0.15) o = o " mark " (rand() < 0.5 ? 16 : 5)
			if (rand() < 0.15) o = o " tos " (rand() < 0.5 ? "0x10" : "0x8")
			print o
		}
	}'
}

# compare FLOWFILE: rtcached's answers against ip's, one per flow, with
# rtcd-probe's printer, or the rtcache CLI in batch mode when
# RTCD_USE_CLI is set (cli_check below always reports how the CLI does).
CLI=$builddir/src/cli/rtcache
compare() {
	sed 's/^/route get /' "$1" >"$WORK/batch"
	# ip -batch: stdout unbuffered so errors stay in order
	stdbuf -o0 ip -n "$NS" -force -batch "$WORK/batch" >"$WORK/k.out" 2>&1
	grep -v '^Command failed' "$WORK/k.out" >"$WORK/k.get"
	if [ -x "$CLI" ] && [ -n "$RTCD_USE_CLI" ]; then
		stdbuf -o0 "$CLI" -s "$SOCK" -force -b "$WORK/batch" >"$WORK/o.out" 2>&1
		grep -v '^Command failed' "$WORK/o.out" >"$WORK/o.get"
	else
		P get <"$1" >"$WORK/o.get" 2>"$WORK/o.err" || { cat "$WORK/o.err"; return 1; }
	fi
	cmp -s "$WORK/k.get" "$WORK/o.get"
}

compare_show() {
	N -4 route show table all >"$WORK/k.show"
	if [ -x "$CLI" ] && [ -n "$RTCD_USE_CLI" ]; then
		"$CLI" -s "$SOCK" route show table all >"$WORK/o.show" || return 1
	else
		P show all >"$WORK/o.show" || return 1
	fi
	cmp -s "$WORK/k.show" "$WORK/o.show"
}

report_diff() {
	awk 'NR == FNR { k[FNR] = $0; next } k[FNR] != $0 { print "line " FNR ":\n  ip:  " k[FNR] "\n  rtcd: " $0; if (++n > 8) exit }' "$WORK/k.get" "$WORK/o.get"
}

# poll_compare FLOWFILE: bounded wait for the mirror to catch up.
poll_compare() {
	i=0
	while ! compare "$1"; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			report_diff
			fail "$2"
		fi
		sleep 0.2
	done
}

# Multipath: the legs of 203.0.113.0/24 are in the flows above too, and
# must be the kernel's (the seed is random here: rtcached asks the
# kernel; tests/daemon/rtcd-mp.sh covers the rest); first, every answer
# is one of the route's legs.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do echo "203.0.113.$i"; done >"$WORK/mp"
P get <"$WORK/mp" >"$WORK/mp.out" || fail "multipath lookups"
[ "$(grep -cE 'via 10.0.0.2 dev v0|via 10.0.2.2 dev v2' "$WORK/mp.out")" = 16 ] ||
    fail "multipath answers outside the route's legs"

gen_flows "$FLOWS" 7 >"$WORK/flows"
poll_compare "$WORK/flows" "route get differs from the kernel"
echo "ok 1 - $FLOWS random flows: rtcached answers as ip route get"

i=0
while ! compare_show; do
	i=$((i + 1))
	[ $i -lt 50 ] || { diff -u "$WORK/k.show" "$WORK/o.show" | head -40; fail "route show differs"; }
	sleep 0.2
done
echo "ok 2 - route show table all equals ip -4 route show table all"

# The CLI: reported, not failed on (its printer is another module's).
cli_check() {
	[ -x "$CLI" ] || return 0
	stdbuf -o0 "$CLI" -s "$SOCK" -force -b "$WORK/batch" >"$WORK/c.out" 2>&1
	grep -v '^Command failed' "$WORK/c.out" >"$WORK/c.get"
	d=$(diff "$WORK/k.get" "$WORK/c.get" | grep -c '^>')
	echo "# rtcache -b: $d of $(wc -l <"$WORK/k.get") lines differ from ip -batch"
	[ "$d" = 0 ] || diff "$WORK/k.get" "$WORK/c.get" | head -6 | sed 's/^/#   /'
	"$CLI" -s "$SOCK" route show table all >"$WORK/c.show" 2>&1
	cmp -s "$WORK/k.show" "$WORK/c.show" &&
	    echo "# rtcache route show table all: equal to ip" ||
	    echo "# rtcache route show table all: differs from ip"
}
compare "$WORK/flows" >/dev/null
cli_check

# Changes: the next lookups follow the kernel.
N route add 192.0.2.128/25 via 10.0.2.2 dev v2
N route del 100.64.0.0/10 via 10.0.0.3 dev v0 metric 10
N route replace 203.0.113.0/24 via 10.0.2.5 dev v2
N route add prohibit 8.8.8.0/24
N rule del pref 200
N rule add fwmark 0x5 table 100 pref 150
N route add 1.1.1.0/24 dev v2 table 100
gen_flows 1000 11 >"$WORK/flows2"
poll_compare "$WORK/flows2" "after changes, route get differs from the kernel"
echo "ok 3 - after route and rule changes rtcached follows the kernel"

N link set v2 down
poll_compare "$WORK/flows2" "after a link went down, route get differs"
echo "ok 4 - after a link went down rtcached follows the kernel"

# Device MTUs as the kernel has them (lo's 65536, a change on v0)
N link set v0 mtu 1380
i=0
until P links >"$WORK/links" 2>&1 && grep -q ' lo: .* mtu 65536 ' "$WORK/links" &&
    grep -q ' v0: .* mtu 1380 ' "$WORK/links"; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$WORK/links"; fail "link MTUs differ from the kernel's"; }
	sleep 0.1
done
echo "ok 4b - link listing has the kernel's MTUs"

P status >"$WORK/status" || fail "status"
grep -q '^synced 1$' "$WORK/status" || fail "status says not synced"
rtcd_stop || fail "rtcached did not stop cleanly"
[ ! -e "$SOCK" ] || fail "socket left behind"
echo "ok 5 - SIGTERM: clean exit 0, socket removed"

# --routes-file: the same state from an `ip route save` image.
N route save table all >"$WORK/routes.save"
SOCK=$WORK/file.sock
rtcd_start --routes-file "$WORK/routes.save"
P status | grep -q '^source file$' || fail "status: source is not file"
# a saved image has no link state: every device counts as up with carrier
N -4 route show table all | sed 's/ linkdown / /' >"$WORK/k.show"
P show all >"$WORK/o.show" || fail "show from file"
cmp -s "$WORK/k.show" "$WORK/o.show" || { diff -u "$WORK/k.show" "$WORK/o.show" | head -20; fail "--routes-file: route show differs"; }
rtcd_stop || fail "rtcached (routes file) did not stop cleanly"
echo "ok 6 - --routes-file serves an ip route save image"
exit 0
