#!/bin/sh
# Mirror integration under load: start while routes are being added and
# deleted (scenario 2), ENOBUFS with a tiny buffer and the resync that
# follows (3, 4), interrupted dumps while addresses and links churn (23),
# and a restart over an existing table (27).  Scaled for `make check`.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/netlink/nl-lib.sh"

nl_setup
gen() {	# gen add|del COUNT SECOND-OCTET
	i=0
	while [ $i -lt $2 ]; do
		echo "route $1 10.$3.$((i / 256 % 256)).$((i % 256))/32 via 10.0.0.2 dev v0 proto 186 metric 20"
		i=$((i + 1))
	done
}
gen add 30000 100 >"$WORK/add1"
gen del 30000 100 >"$WORK/del1"
gen add 20000 101 >"$WORK/add2"

# 2: start while 30k routes are added, then deleted.
N -batch "$WORK/add2"
(N -batch "$WORK/add1"; N -batch "$WORK/del1") &
LOAD=$!
nl_start
wait $LOAD
nl_check "scenario 2: started during 30k adds and deletes" 60

# 27: SIGKILL and restart with the table present.
kill -9 "$PID"; wait "$PID" 2>/dev/null; PID=
nl_start
nl_check "scenario 27: restart over 20k routes" 60

# 3/4: a tiny receive buffer: 30k adds overflow it; resync restores.
nl_stop
nl_start -r 4096
# stopped while the adds run, so the overflow does not depend on the
# scheduler (a reader that kept up let the test pass without ENOBUFS)
kill -STOP "$PID"
N -batch "$WORK/add1"
kill -CONT "$PID"
nl_check "scenario 3/4: equal after ENOBUFS" 60
[ "$(nl_stat enobufs)" -gt 0 ] || fail "no ENOBUFS with a 4 KiB buffer"
[ "$(nl_stat resyncs)" -gt 0 ] || fail "ENOBUFS without a resync"
echo "# enobufs $(nl_stat enobufs) resyncs $(nl_stat resyncs) (coalesced)"
N -batch "$WORK/del1"
nl_check "scenario 3/4: equal after the deletes" 60

# 23: address and link churn during start-up: bounded retries, equality.
nl_stop
(
	end=$(( $(date +%s) + 3 )) j=0
	while [ "$(date +%s)" -lt $end ]; do
		j=$(( (j + 1) % 250 ))
		N addr add 10.9.$j.1/32 dev v2 2>/dev/null
		N addr flush dev v2 to 10.9.0.0/16 2>/dev/null
		N link add c0 type veth peer name c1 2>/dev/null
		N link del c0 2>/dev/null
	done
) &
CHURN=$!
nl_start
wait $CHURN
nl_check "scenario 23: churn during start-up" 60
echo "# dump_intr $(nl_stat dump_intr)"

[ "$(nl_stat parse_errors)" = 0 ] || fail "parse errors"
exit 0
