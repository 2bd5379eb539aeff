#!/bin/sh
# tests/cli/route-get.sh - `rtcache route get` words against ip's:
# `connected` (printed twice, or "Failed to connect the route"),
# `fibmatch` (the FIB entry: multipath, metrics, local, broadcast and
# multicast answers, entries that are not there), devices that are not
# there (ip's `Cannot find device`, names "ifN" read as index N, the
# kernel's ENODEV), ipproto by number and
# by /etc/protocols name and the kernel's "Unsupported ip proto", words
# abbreviated as ip takes them, and `features ecn` in answers and in
# route show.  Each command runs under ip and under rtcache, text and
# -j, alone and in a batch; stdout, stderr and the exit status must be
# the same.  Root only (exit 77 otherwise); a namespace of its own.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
RTC=$builddir/src/cli/rtcache
[ -x "$RTC" ] || { echo "not built: skipped"; exit 77; }

rtcd_setup
N route add 192.0.2.0/24 via 10.0.0.2 dev v0 table 100
N route add default via 10.0.0.3 dev v0
N route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 \
	nexthop via 10.0.2.2 dev v2 weight 3
N route add 198.18.0.0/16 via 10.0.0.2 dev v0 features ecn mtu 1400 \
	metric 7 proto static
N route add 198.19.0.0/16 via 10.0.2.2 dev v2 advmss 1360 window 65535
N route add unreachable 198.51.100.0/24

rtcd_start

cat >"$WORK/cmds" <<'EOF'
route get 192.0.2.5 connected
route get 192.0.2.5 from 10.0.1.9 iif v1 connected
route get 192.0.2.5 iif v1 connected
route get 198.18.1.1 fibmatch connected
route get 10.0.0.1 fibmatch connected
route get 203.0.113.9 fibmatch
route get 198.18.1.1 fibmatch
route get 198.18.1.1
route get 198.19.1.1
route get 198.19.1.1 fibmatch
route get 10.0.0.1 fibmatch
route get 10.0.0.255 fibmatch
route get 255.255.255.255 fibmatch
route get 224.0.0.5 fibmatch
route get 0.0.0.0 fibmatch
route get 198.51.100.1 fibmatch
route get 10.0.0.7 from 10.0.1.9 iif v1 fibmatch
route get 10.0.0.1 from 10.0.1.9 iif v1 fibmatch
route get 10.0.0.255 from 10.0.1.9 iif v1 fibmatch
route get 192.0.2.5 fib
route get 192.0.2.5 c
route get 192.0.2.5 ipproto 132
route get 192.0.2.5 ipproto sctp
route get 192.0.2.5 ipproto -0
route get 192.0.2.5 ipproto TCP
route get 192.0.2.5 ipproto icmp
route get 192.0.2.5 ip udp s 80 dp 443
route get 192.0.2.5 d 0x10 m 5 u 1000
route get 192.0.2.5 f 10.0.1.9 i v1
route get 192.0.2.5 oif v9
route get 192.0.2.5 iif v9
route get 192.0.2.5 from 10.0.1.9 iif v9 oif v8
route get 192.0.2.5 from 10.0.1.9 iif v1 oif v9
route get 192.0.2.5 oif v9 ipproto sctp
route get 192.0.2.5 oif if999 ipproto sctp
route get 192.0.2.5 oif if999
route get 192.0.2.5 from 10.0.1.9 iif if999
route get 192.0.2.5 oif if1
route get 192.0.2.5 from 10.0.1.9 iif if0
EOF

n=0
failed=0
same() {
	n=$((n + 1))
	if cmp -s "$WORK/k" "$WORK/o"; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		diff "$WORK/k" "$WORK/o" | head -10 | sed 's/^/# /'
		failed=1
	fi
}

# each_cmd [-j]: every command alone, output and status compared.
each_cmd() {
	while read -r c; do
		ip -n "$NS" $1 $c >"$WORK/k" 2>&1
		echo "exit $?" >>"$WORK/k"
		"$RTC" -s "$SOCK" $1 $c >"$WORK/o" 2>&1
		echo "exit $?" >>"$WORK/o"
		same "$1 $c"
	done <"$WORK/cmds"
}

# batch [-j]: all commands in one batch, ip -batch against rtcache -b.
batch() {
	stdbuf -o0 ip -n "$NS" $1 -force -batch "$WORK/cmds" >"$WORK/k" 2>&1
	echo "exit $?" >>"$WORK/k"
	stdbuf -o0 "$RTC" -s "$SOCK" $1 -force -b "$WORK/cmds" >"$WORK/o" 2>&1
	echo "exit $?" >>"$WORK/o"
	same "$1 batch of them all"
}

round() {
	each_cmd
	each_cmd -j
	batch
	batch -j
	N route show >"$WORK/k"
	"$RTC" -s "$SOCK" route show >"$WORK/o" 2>&1
	same "route show (metrics, features ecn)"
}

round
# with a rule the kernel's tables local and main part: entries say so
N rule add pref 100 to 192.0.2.0/24 lookup 100
sleep 0.5
round

# ipproto words ip refuses itself: the same message (ip adds a blank
# line and exits 255, rtcache exits 64, its usage status)
for p in 0x6 256 nosuchproto; do
	ip -n "$NS" route get 192.0.2.5 ipproto $p 2>&1 | head -1 >"$WORK/k"
	"$RTC" -s "$SOCK" route get 192.0.2.5 ipproto $p 2>"$WORK/o" && failed=1
	same "ipproto $p refused"
done
[ $failed = 0 ] || fail "rtcache route get differs from ip"
exit 0
