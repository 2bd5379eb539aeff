#!/bin/sh
# Fault 3: a link-flap storm with 100k routes through the link.
#   phase 1, carrier: the peer v1 set down/up 200 times, so v0 loses and
#     regains carrier; the 100k routes via v0 stay, flagged linkdown
#     while it is down (no route notifications for that);
#   phase 2, admin: v0 itself set down/up 200 times; the first down
#     removes its 100k routes without a notification per route, a
#     multipath route keeps its v2 leg (dead v0 leg), 10k via v2 stay.
# Lookups from a client run throughout and must keep being answered.
# After each phase (and once in the middle, with the link down) equal to
# the kernel; with the default buffer no resync is needed and none may
# happen.  RTC_FAULT_FULL=1: 500 flaps per phase, 200k routes.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

if [ -n "$FULL" ]; then NR=200000; FLAPS=500; else NR=${RTC_FLAP_N:-100000}; FLAPS=${RTC_FLAPS:-200}; fi

rtcd_setup
{
	pfx_batch add 0 "$NR"
	pfx_batch add "$NR" 10000 "via 10.0.2.2 dev v2"
	echo "route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2"
	echo "route add 198.51.100.0/24 dev v0 metric 10"
	echo "route add 198.51.100.0/24 via 10.0.2.2 dev v2 metric 20"
} >"$WORK/routes"
N -batch "$WORK/routes" || fail "route setup"
{ gen_flows "$SAMPLES" 3 $((NR + 10000)); for i in 1 7 77 200; do echo "198.51.100.$i"; done; } >"$WORK/flows"
for i in $(seq 1 32); do echo "203.0.113.$i"; done >"$WORK/mp"

# mp_check LEGS WHAT: the multipath route's answers (the kernel hashes
# with a per-boot seed, so only the legs can be compared) all use LEGS
mp_check() {
	P get <"$WORK/mp" >"$WORK/mp.out" || fail "$2: multipath lookups"
	[ "$(grep -cE "$1" "$WORK/mp.out")" = 32 ] ||
	    { grep -vE "$1" "$WORK/mp.out" | grep via | head -3; fail "$2: multipath answers outside $1"; }
}
BOTH='via 10.0.0.2 dev v0|via 10.0.2.2 dev v2'
V2='via 10.0.2.2 dev v2 '

rtcd_start
poll_equal 60 "initial"
mp_check "$BOTH" initial
note "$NR + 10000 routes, synced and equal at $(elapsed) s, rss $(rss_kb) kB"
rss0=$(rss_kb)

# lookups throughout: a client asks for the sample again and again
: >"$WORK/lookup.errors"
(
	while [ ! -e "$WORK/stop-lookups" ] && [ -d "$WORK" ]; do
		P get <"$WORK/flows" >/dev/null 2>>"$WORK/lookup.errors" ||
		    echo "lookup failed" >>"$WORK/lookup.errors"
	done
) &
LPID=$!

# storm DEV COUNT: down/up COUNT times, ending up
storm() {
	i=0
	while [ $i -lt "$2" ]; do
		N link set "$1" down && N link set "$1" up || fail "link set $1"
		i=$((i + 1))
	done
}

# storm_phase KIND DEV LEGS LABEL: a storm on DEV left down (LEGS must
# answer, LABEL names the check), then up again: equal each time, and
# no resync, for none is needed.
storm_phase() {
	_r0=$(status_num resyncs) || fail "no resyncs in status"
	t0=$(date +%s.%N)
	storm "$2" $((FLAPS - 1))
	N link set "$2" down
	poll_equal 60 "$1 storm, $2 left down"
	N -4 route show | grep -c linkdown | sed 's/^/# routes flagged linkdown: /'
	mp_check "$3" "$4"
	N link set "$2" up
	poll_equal 60 "$1 storm, $2 up again"
	mp_check "$BOTH" "$2 up"
	_r1=$(status_num resyncs) || fail "no resyncs in status"
	note "$1: $FLAPS flaps, equal at $(elapsed "$t0") s, resyncs $_r0 -> $_r1," \
	    "$(status_val routes) routes in rtcached, rss $(rss_kb) kB"
	[ "$_r1" = "$_r0" ] || fail "$1 storm: a resync happened where none was needed"
}

storm_phase carrier v1 "$BOTH" "v1 down"
note "cache entries after the carrier storm: $(status_val cache_entries); rss $(rss_kb) kB"
P flush >/dev/null || fail "cache flush"
rss1=$(rss_kb)
echo "ok 1 - carrier flap storm ($FLAPS) with $NR routes via the link: equal, no resync"

storm_phase admin v0 "$V2" "v0 down (dead leg)"
echo "ok 2 - admin flap storm ($FLAPS): routes via v0 gone, multipath kept, equal, no resync"

touch "$WORK/stop-lookups"
wait "$LPID"
if [ -s "$WORK/lookup.errors" ]; then
	head -5 "$WORK/lookup.errors" | sed 's/^/# /'
	fail "lookups failed during the storms"
fi
echo "ok 3 - lookups answered throughout the storms"
# Every FIB change bumps the cache generation, so each flap orphans the
# route cache (reclaimed lazily, as in 2.6, by gc_interval/gc_timeout):
# compare RSS with the cache flushed, after the first storm and the second.
P flush >/dev/null || fail "cache flush"
rss_check "after the admin storm vs after the carrier storm (cache flushed)" "$rss1" "$(rss_kb)"
finish
echo "ok 4 - alive, RSS bounded, SIGTERM exit 0 ($(elapsed) s)"
exit 0
