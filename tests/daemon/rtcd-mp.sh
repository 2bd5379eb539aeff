#!/bin/sh
# Multipath flow for flow: `rtcache route get` names the leg `ip route
# get` names, for a classic route with weighted legs, a hash-threshold
# nexthop group of 40 weighted members (more than 32) and a resilient
# group, on the output path (with and without a source, the source of a
# leg included) and the input path (iif), for policies 0 and 1 with the
# hash seed set and random: at least 1000 flows each, and a route with a
# leg through one of our own addresses.  With the seed set
# rtcached must hash (self-test passed, no kernel questions but for the
# resilient group); with it random it must ask the kernel.  One daemon
# sees the sysctls change under it.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

FLOWS=${RTCD_MP_FLOWS:-1200}
CLI=$builddir/src/cli/rtcache
[ -x "$CLI" ] || { echo "no rtcache CLI: skipped"; exit 77; }
R() { "$CLI" -s "$SOCK" "$@"; }

rtcd_setup
legs=
w=1
for k in 0 1 2 3 4 5 6 7 8 9; do
	d=$((k % 4))
	legs="$legs nexthop via 10.0.$d.$((k + 2)) dev v$d weight $w"
	w=$((w * 3 % 17 + 1))
done
N route add 198.51.100.0/24 $legs
grp=
for k in $(seq 1 40); do
	d=$((k % 4))
	N nexthop add id $k via 10.0.$d.$((k + 100)) dev v$d
	grp="$grp${grp:+/}$k,$((k % 7 + 1))"
done
N nexthop add id 100 group "$grp"
N nexthop add id 101 group 1/2/3/4 type resilient buckets 64
N route add 203.0.113.0/24 nhid 100
N route add 100.64.0.0/16 nhid 101
N addr add 192.168.77.1/32 dev lo

# flows N SEED: output flows with and without a source (a leg's own, or
# one on no leg) and input flows from v0's subnet, TCP, UDP (also by
# default) and ICMP, through the three routes
flows() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		split("198.51.100 203.0.113 100.64.7 192.0.2", p, " ")
		for (i = 0; i < n; i++) {
			d = p[int(rand() * 4) + 1] "." int(rand() * 256)
			k = int(rand() * 6)
			if (k == 1) d = d " from 10.0." int(rand() * 4) ".1"
			else if (k == 2) d = d " from 192.168.77.1"
			else if (k >= 4) d = d " from 10.0.0." int(rand() * 250 + 2) " iif v0"
			q = int(rand() * 4)
			if (q == 1) d = d " ipproto tcp"
			else if (q == 2) d = d " ipproto icmp"
			else if (q == 3) d = d " ipproto udp"
			if (q != 2 || rand() < 0.5) {
				d = d " sport " int(rand() * 65535 + 1)
				d = d " dport " int(rand() * 65535 + 1)
			}
			print "route get " d
		}
	}'
}

# stat KEY: one value of `rtcache status`
stat() { R status | awk -v k="$1" '$1 == k { print $2 }'; }

# records FILE: one line per answer (continuation lines joined)
records() {
	awk '/^[ \t]/ { r = r "|" $0; next }
	    NR > 1 { print r } { r = $0 } END { if (NR) print r }' "$1"
}

# reports KEY VALUE...: does the daemon report all of them now?
reports() {
	R status >"$WORK/status" || return 1
	while [ $# -ge 2 ]; do
		[ "$(awk -v k="$1" '$1 == k { print $2 }' "$WORK/status")" = "$2" ] ||
		    return 1
		shift 2
	done
}

# wait_for KEY VALUE...: bounded wait (10 s) for the daemon to report them
wait_for() {
	i=0
	until reports "$@"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

rtcd_start
fails=0
n=0
for combo in "0 set" "1 set" "0 random" "1 random"; do
	set -- $combo
	policy=$1
	seed=$2
	n=$((n + 1))
	if [ "$seed" = set ]; then
		NX sysctl -qw net.ipv4.fib_multipath_hash_seed=$((n * 7919))
		mode=hash
	else
		NX sysctl -qw net.ipv4.fib_multipath_hash_seed=0
		mode=ask-kernel
	fi
	NX sysctl -qw net.ipv4.fib_multipath_hash_policy=$policy
	if [ "$seed" = random ] && [ -z "${own_leg:-}" ]; then
		# a leg through one of our own addresses, which the kernel's
		# answer names by its device alone (no via), asked of the
		# kernel (the hash disagrees with it on such a route: the
		# self-test would fail, see findings 19)
		N route add 192.0.2.0/24 nexthop via 10.0.1.2 dev v1 \
		    nexthop via 10.0.0.1 dev v0
		own_leg=1
		i=0
		until R route show | grep -q '^192\.0\.2\.0/24'; do
			i=$((i + 1))
			[ $i -lt 200 ] || fail "the route with an own-address leg not mirrored"
			sleep 0.05
		done
	fi
	what="policy $policy, seed $seed"
	# the sysctls are polled every second; the mode follows
	modeok=1
	if ! wait_for multipath_policy "$policy" multipath_seed "$seed" \
	    multipath "$mode"; then
		echo "# $what: rtcached reports multipath=$(stat multipath)" \
		    "policy=$(stat multipath_policy) seed=$(stat multipath_seed)"
		modeok=0
	fi
	flows "$FLOWS" $((n * 101)) >"$WORK/batch$n"
	nres=$(grep -c ' 100\.64\.' "$WORK/batch$n")
	q0=$(stat multipath_kernel_queries)
	stdbuf -o0 ip -n "$NS" -force -batch "$WORK/batch$n" 2>&1 |
	    grep -v '^Command failed' >"$WORK/k$n"
	stdbuf -o0 "$CLI" -s "$SOCK" -force -b "$WORK/batch$n" 2>&1 |
	    grep -v '^Command failed' >"$WORK/o$n"
	q1=$(stat multipath_kernel_queries)
	records "$WORK/k$n" >"$WORK/kr$n"
	records "$WORK/o$n" >"$WORK/or$n"
	total=$(wc -l <"$WORK/kr$n")
	differ=$(awk 'NR == FNR { k[FNR] = $0; next }
	    k[FNR] != $0 { d++ } END { print d + 0 }' "$WORK/kr$n" "$WORK/or$n")
	if [ "$total" -lt 1000 ] || [ "$differ" != 0 ] ||
	    ! cmp -s "$WORK/k$n" "$WORK/o$n"; then
		echo "not ok $n - $what: $differ of $total flows differ from ip route get"
		awk 'NR == FNR { k[FNR] = $0; next } k[FNR] != $0 {
		    print "#   ip:      " k[FNR] "\n#   rtcache: " $0
		    if (++m == 4) exit }' "$WORK/kr$n" "$WORK/or$n"
		fails=$((fails + 1))
		continue
	fi
	if [ $modeok = 0 ]; then
		echo "not ok $n - $what: answers right, mode not reported"
		fails=$((fails + 1))
		continue
	fi
	# hashing asks only about the resilient group's flows; asking, about
	# every new flow (each of the batch is new: a new generation)
	asked=$((q1 - q0))
	if [ "$mode" = hash ] && [ "$asked" -gt "$nres" ]; then
		echo "not ok $n - $what: hashing, yet $asked questions to the kernel (resilient flows: $nres)"
		fails=$((fails + 1))
		continue
	fi
	if [ "$mode" = ask-kernel ] && [ "$asked" -lt $((total / 2)) ]; then
		echo "not ok $n - $what: asking, yet only $asked questions for $total flows"
		fails=$((fails + 1))
		continue
	fi
	echo "ok $n - $what: $total flows as ip route get ($mode, $asked kernel questions)"
done
[ "$(stat multipath_selftest)" = none ] || echo "# last self-test: $(stat multipath_selftest)"
[ "$fails" = 0 ] || fail "$fails of 4 multipath combinations wrong"
