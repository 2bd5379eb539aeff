#!/bin/sh
# tests/fib/mp-vectors.sh - records the kernel's multipath choices that
# tests/fib/test_mphash.c replays against rtcache's hash: in a network
# namespace of its own (root, veth), three multipath routes (32 equal
# legs; 4 weighted legs; a 40-member nexthop group) and a weighted group,
# under each hash policy, several hash field sets and two seeds, and for
# each the leg `ip route get` names for random flows (output, output from
# a leg's address or another local one, input on v0).  Writes the
# vectors file to stdout:
#   tests/fib/mp-vectors.sh > tests/fib/mp-vectors.txt
# Lines: "setup CMD" (tests/support/fib_text commands), "params POLICY
# FIELDS SEED", "get FLOW => GW DEV" (FLOW in `ip route get` words).
set -e
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 77; }
NS=mpvec-$$
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null' EXIT
N() { ip -n "$NS" "$@"; }
NX() { ip netns exec "$NS" "$@"; }
S() { echo "setup $*"; }

echo "# recorded by tests/fib/mp-vectors.sh on Linux $(uname -r)"
N link set lo up
S "link add lo index 1 up"
S "addr add 127.0.0.1/8 dev lo"
N addr add 192.168.77.1/32 dev lo
S "addr add 192.168.77.1/32 dev lo"
for i in 0 1 2 3; do
	N link add v$i type veth peer name p$i
	N link set v$i up
	N link set p$i up
	N addr add 10.$i.0.1/24 dev v$i
	S "link add v$i index $((i + 2)) up"
	S "addr add 10.$i.0.1/24 dev v$i"
done
NX sysctl -qw net.ipv4.ip_forward=1
for c in all default v0; do
	NX sysctl -qw net.ipv4.conf.$c.rp_filter=0
done

# route ROUTE: add it to the kernel and to the setup
route() { N route add "$@"; S "route add $*"; }
nexthop() { N nexthop add "$@"; S "nexthop add $*"; }

legs=
for k in $(seq 0 31); do
	legs="$legs nexthop via 10.$((k % 4)).0.$((k / 4 + 2)) dev v$((k % 4))"
done
route 198.51.100.0/24 $legs
route 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 weight 1 \
    nexthop via 10.1.0.2 dev v1 weight 3 nexthop via 10.2.0.2 dev v2 weight 7 \
    nexthop via 10.3.0.2 dev v3 weight 250
for k in $(seq 1 40); do
	nexthop id $k via 10.$((k % 4)).0.$((k / 4 + 20)) dev v$((k % 4))
done
nexthop id 100 group "$(seq -s/ 1 40)"
nexthop id 101 group 1,5/2/3,200/4,17
route 192.0.2.0/24 nhid 100
route 100.64.0.0/16 nhid 101

# flows PREFIX N SEED: N random flows into PREFIX (a /24 or /16)
flows() {
	awk -v p="$1" -v n="$2" -v seed="$3" 'BEGIN {
		srand(seed)
		split(p, o, ".")
		for (i = 0; i < n; i++) {
			if (o[3] == "0")
				d = o[1] "." o[2] "." int(rand() * 256) "." int(rand() * 256)
			else
				d = o[1] "." o[2] "." o[3] "." int(rand() * 256)
			k = int(rand() * 6)
			if (k == 1) d = d " from 10." int(rand() * 4) ".0.1"
			else if (k == 2) d = d " from 192.168.77.1"
			else if (k >= 4) d = d " from 10.0.0." int(rand() * 250 + 2) " iif v0"
			q = int(rand() * 4)
			if (q == 1) d = d " ipproto tcp"
			else if (q == 2) d = d " ipproto icmp"
			else if (q == 3) d = d " ipproto udp"
			if (rand() < 0.8) d = d " sport " int(rand() * 65536)
			if (rand() < 0.8) d = d " dport " int(rand() * 65536)
			print d
		}
	}'
}

B=$(mktemp)
trap 'ip netns del "$NS" 2>/dev/null; rm -f "$B" "$B.out"' EXIT
n=0
for seed in 12345 3735928559; do
	NX sysctl -qw net.ipv4.fib_multipath_hash_seed=$seed
	for pf in "0 7" "1 7" "2 7" "3 7" "3 55" "3 48" "3 17" "3 64"; do
		set -- $pf
		NX sysctl -qw net.ipv4.fib_multipath_hash_policy=$1
		NX sysctl -qw net.ipv4.fib_multipath_hash_fields=$2
		echo "params $1 $2 $seed"
		n=$((n + 1))
		{
			flows 198.51.100.0 32 $n
			flows 203.0.113.0 24 $((n + 100))
			flows 192.0.2.0 32 $((n + 200))
			flows 100.64.0.0 16 $((n + 300))
		} >"$B"
		sed 's/^/route get /' "$B" >"$B.b"
		ip -n "$NS" -batch "$B.b" >"$B.out"
		grep -v '^ *cache' "$B.out" | awk '{
			gw = "-"; dev = "-"
			for (i = 1; i < NF; i++) {
				if ($i == "via") gw = $(i + 1)
				if ($i == "dev") dev = $(i + 1)
			}
			print gw, dev
		}' | paste -d '|' "$B" - | sed 's/|/ => /; s/^/get /'
		rm -f "$B.b"
	done
done
