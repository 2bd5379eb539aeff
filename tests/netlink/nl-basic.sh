#!/bin/sh
# Mirror integration: cold start over an existing state (scenario 1, small),
# replace/append/prepend order (17), multipath replace in table 1000 (18),
# tables above 255 and table 252 (21), table flush (19, small).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netlink/nl-lib.sh"

nl_setup
N route add 192.0.2.0/24 via 10.0.0.2 dev v0
N route add 5.5.5.0/24 via 10.0.0.2 dev v0 table 100 metric 5
N route add 198.18.0.0/16 via 10.0.2.2 dev v2 table 70000
N route add 198.19.0.0/16 dev v2 table 252
N route add blackhole 198.20.0.0/16
N route add unreachable 198.21.0.0/16 table 100
N route add prohibit 198.22.0.0/16 metric 7
N route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2 weight 3
N route add 198.51.100.0/24 via 10.0.0.2 dev v0 mtu 1400 src 10.0.0.1
N route add default via 10.0.0.2 dev v0 metric 100
N route add default via 10.0.2.2 dev v2 metric 50
N rule add from 1.1.1.1 table 100 pref 100
N rule add to 2.2.0.0/16 table 70000 pref 200
N rule add fwmark 0x10/0xff table 252 pref 300
N rule add iif v2 table 100 pref 400
N nexthop add id 7 via 10.0.0.2 dev v0
N nexthop add id 8 via 10.0.2.2 dev v2
N nexthop add id 20 group 7/8,3
N route add 100.64.7.0/24 nhid 20
nl_start
nl_check "scenario 1: cold start equals the kernel"

# 17: replace, append and prepend on one key, in the kernel's order.
N route add 192.0.5.0/24 via 10.0.0.2 dev v0 metric 5
N route append 192.0.5.0/24 dev v0 metric 5 proto static
N route prepend 192.0.5.0/24 via 10.0.0.3 dev v0 metric 5
nl_check "scenario 17: append and prepend"
N route replace 192.0.5.0/24 via 10.0.0.4 dev v0 metric 5
nl_check "scenario 17: replace takes the first alias"
N route del 192.0.5.0/24 metric 5
nl_check "scenario 17: delete the first matching alias"

# 18: multipath replace in table 1000.
N route replace 192.0.6.0/24 table 1000 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2
nl_check "scenario 18: multipath in table 1000"
N route replace 192.0.6.0/24 table 1000 via 10.0.0.2 dev v0
nl_check "scenario 18: replaced by a single path"
N route replace 192.0.6.0/24 table 1000 nexthop via 10.0.0.2 dev v0 weight 1 nexthop via 10.0.2.2 dev v2 weight 10 nexthop via 10.0.0.3 dev v0 weight 256
nl_check "scenario 18: three legs, weights 1/10/256"

# 21: tables > 255 and 252.
N route add 198.23.0.0/16 via 10.0.0.2 dev v0 table 70000
N route del 198.19.0.0/16 dev v2 table 252
N rule add from 3.3.3.3 table 70001 pref 500
nl_check "scenario 21: table 70000 vs 252"

# 19: flush a table; a later resync must not fail on the missing table.
for i in $(seq 1 200); do echo "route add 172.16.$((i / 256)).$((i % 256))/32 dev v2 table 4242"; done >"$WORK/b"
N -batch "$WORK/b"
nl_check "scenario 19: table 4242 filled"
N route flush table 4242
nl_check "scenario 19: table 4242 flushed"

[ "$(nl_stat parse_errors)" = 0 ] || fail "parse errors"
[ "$(nl_stat resyncs)" = 0 ] || fail "unexpected resync"
exit 0
