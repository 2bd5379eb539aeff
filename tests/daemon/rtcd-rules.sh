#!/bin/sh
# Rules against the kernel.  Identity: for each attribute a rule can
# carry, two rules at one pref that differ only in it are added with ip,
# one is deleted with ip (by the words of the second), and `rtcache rule
# show` must print what `ip rule show` prints and `rtcache route get`
# answer a set of output and input flows as `ip route get` does.  Then
# input lookups through rules (uid, protocol, ports, what makes the
# kernel read them) and realms.  Root only (exit 77 otherwise);
# everything happens in a namespace of its own.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"
RTC=$builddir/src/cli/rtcache
[ -x "$RTC" ] || { echo "not built: skipped"; exit 77; }

rtcd_setup
N route add 192.0.2.0/24 via 10.0.0.2 dev v0 table 100
N route add 192.0.2.0/24 via 10.0.2.2 dev v2 table 200
N route add default via 10.0.0.3 dev v0
N link set v0 group 1

rtcd_start

# The flows each case is asked about: output, and input from v1 and v0
# (the kernel's input lookups match rules with uid 0, and with the
# packet's protocol and ports while a rule needs them).
cat >"$WORK/flows" <<'EOF'
route get 192.0.2.5
route get 192.0.2.5 ipproto tcp dport 80
route get 192.0.2.5 ipproto udp sport 85 dport 443
route get 192.0.2.5 ipproto icmp sport 80 dport 80
route get 192.0.2.5 mark 1
route get 192.0.2.5 mark 2
route get 192.0.2.5 uid 1500
route get 192.0.2.5 tos 0x04
route get 192.0.2.5 oif v0
route get 192.0.2.5 oif v1
route get 192.0.2.5 from 10.0.1.9 iif v1
route get 192.0.2.5 from 10.0.1.9 iif v1 uid 1500
route get 192.0.2.5 from 10.0.1.9 iif v1 ipproto tcp sport 85 dport 80
route get 192.0.2.5 from 10.0.1.9 iif v1 ipproto icmp sport 80 dport 80
route get 192.0.2.5 from 10.0.1.9 iif v1 mark 1
route get 192.0.2.5 from 10.9.0.9 iif v0 tos 0x04
route get 10.0.0.1 from 10.0.1.9 iif v1
EOF

rules_same() {
	N rule show >"$WORK/k.rules"
	"$RTC" -s "$SOCK" rule show >"$WORK/o.rules" 2>&1 &&
	    cmp -s "$WORK/k.rules" "$WORK/o.rules"
}

gets_same() {
	stdbuf -o0 ip -n "$NS" -force -batch "$WORK/flows" >"$WORK/k.get" 2>&1
	stdbuf -o0 "$RTC" -s "$SOCK" -force -b "$WORK/flows" >"$WORK/o.get" 2>&1
	cmp -s "$WORK/k.get" "$WORK/o.get"
}

# Cases whose answers are not compared (none).
RULES_ONLY=" "

# wait_same NAME: bounded poll until rules and answers agree; shows
# the differences and fails when they do not.
wait_same() {
	i=0
	rm -f "$WORK/k.get" "$WORK/o.get"
	until rules_same && { [ "${RULES_ONLY#* $1 }" != "$RULES_ONLY" ] ||
	    gets_same; }; do
		i=$((i + 1))
		if [ $i -ge 50 ]; then
			diff -u "$WORK/k.rules" "$WORK/o.rules" | sed 's/^/# /'
			[ -f "$WORK/k.get" ] && diff -u "$WORK/k.get" \
			    "$WORK/o.get" | sed 's/^/# /'
			return 1
		fi
		sleep 0.1
	done
}

# case_del NAME FIRST SECOND [DEL]: both at pref 100 (compared), then ip
# rule del with DEL's words (default SECOND's), compared again.  Every
# case runs; the test fails at the end if one did.
n=0
failed=0
case_del() {
	n=$((n + 1))
	N rule add pref 100 $2 || fail "$1: ip rule add $2"
	N rule add pref 100 $3 || fail "$1: ip rule add $3"
	m=
	[ "${RULES_ONLY#* $1 }" = "$RULES_ONLY" ] || m=" (rules only)"
	if wait_same "$1" && N rule del pref 100 ${4:-$3} &&
	    wait_same "$1"; then
		echo "ok $n - $1: the rule ip deleted is the one rtcache deleted$m"
	else
		echo "not ok $n - $1: rtcache differs from ip$m"
		failed=1
	fi
	while N rule del pref 100 2>/dev/null; do :; done
}

case_del ipproto "ipproto tcp lookup 100" "ipproto udp lookup 100"
case_del sport "sport 80 lookup 100" "sport 81-90 lookup 100"
case_del dport "dport 80 lookup 100" "dport 443 lookup 100"
case_del uidrange "uidrange 1000-2000 lookup 100" "uidrange 1000-3000 lookup 100"
case_del fwmark "fwmark 0x1 lookup 100" "fwmark 0x2 lookup 100"
case_del "fwmark mask" "fwmark 0x1/0xff lookup 100" "fwmark 0x1/0xf lookup 100"
case_del "fwmark without mask" "fwmark 0x1/0xff lookup 100" "fwmark 0x1 lookup 100"
case_del suppress_prefixlength "lookup 100 suppress_prefixlength 0" \
    "lookup 100 suppress_prefixlength 8"
case_del suppress_ifgroup "lookup 100 suppress_ifgroup 1" \
    "lookup 100 suppress_ifgroup 2"
case_del iif "iif v0 lookup 100" "iif v1 lookup 100"
case_del oif "oif v0 lookup 100" "oif v1 lookup 100"
case_del tos "tos 0x04 lookup 100" "tos 0x08 lookup 100"
case_del realms "lookup 100 realms 3" "lookup 100 realms 2/4"
case_del table "lookup 100" "lookup 200"
case_del from "from 10.9.0.0/16 lookup 100" "from 10.8.0.0/16 lookup 100"
case_del to "to 192.0.2.0/24 lookup 100" "to 192.0.2.0/25 lookup 100"
case_del protocol "lookup 100 proto static" "lookup 100 proto boot"
case_del tun_id "tun_id 5 lookup 100" "tun_id 6 lookup 100"
case_del l3mdev "l3mdev unreachable" "unreachable"
case_del action "lookup 100" "lookup 100 unreachable"
case_del "what a delete leaves out" "ipproto tcp lookup 100" "lookup 100"
case_del "goto target" "to 192.0.2.0/25 goto 300" "to 192.0.2.0/24 goto 400" \
    "goto 400"

# case_get NAME RULE...: the rules (each "pref N ..."), then the flows;
# the rules are removed after.
case_get() {
	name=$1
	shift
	n=$((n + 1))
	for r in "$@"; do
		N rule add $r || fail "$name: ip rule add $r"
	done
	if wait_same "$name"; then
		echo "ok $n - $name: rtcache answers as ip route get"
	else
		echo "not ok $n - $name: rtcache differs from ip"
		failed=1
	fi
	for r in "$@"; do
		N rule del $r || fail "$name: ip rule del $r"
	done
}

# Input lookups: the kernel's see uid 0 whatever uid is asked; a flow
# is UDP unless told; ports exist only in a TCP or UDP packet; rules on
# iif lo alone do not make the kernel read protocol and ports.
N route add 192.0.2.0/24 via 10.0.0.4 dev v0 table 300
cat >>"$WORK/flows" <<'EOF'
route get 192.0.2.5 from 10.0.1.9 iif v1 uid 0
route get 192.0.2.5 from 10.0.1.9 iif v1 ipproto udp dport 80
route get 192.0.2.5 from 10.0.1.9 iif lo
route get 192.0.2.5 from 10.0.1.9 iif lo ipproto tcp
route get 10.0.1.9 from 192.0.2.7 iif v0
route get 192.0.2.5 from 10.0.0.255 iif v1
route get 10.0.1.9
EOF
case_get "input: uid" "pref 100 uidrange 1000-2000 lookup 100" \
    "pref 101 uidrange 0-0 lookup 200"
case_get "input: udp unless told" "pref 100 ipproto udp lookup 100"
case_get "input: ports of tcp and udp only" "pref 100 dport 80 lookup 100"
case_get "input: iif lo rules alone dissect nothing" \
    "pref 100 iif lo ipproto udp lookup 300"
case_get "input: another rule makes them dissect" \
    "pref 100 iif lo ipproto udp lookup 300" "pref 101 ipproto tcp lookup 200"
case_get "realms of the rule" "pref 100 lookup 100 realms 2/3"
case_get "realms of the reverse path" \
    "pref 90 to 10.0.1.0/24 lookup main realms 4/5" \
    "pref 100 lookup 100 realms 3"
case_get "a custom rule makes the full source check" \
    "pref 100 to 198.18.0.0/15 lookup 200"
[ $failed = 0 ] || fail "rtcache and ip disagree"
exit 0
