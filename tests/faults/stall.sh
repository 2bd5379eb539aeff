#!/bin/sh
# Fault 2: a stalled consumer.  rtcached is stopped with SIGSTOP for 5 s
# while `ip -batch` makes 100k route changes, then continued with SIGCONT.
#   round 1, the default receive buffer (128M asked): the notifications
#     fit, so rtcached must catch up without losing any (no ENOBUFS, no
#     resync needed and none done);
#   round 2, rcvbuf = 1M: the buffer overflows while it is stopped; on
#     resume ENOBUFS is seen and a resync done.
# After each, equal to the kernel (listing and sampled flows).
#   RTC_FAULT_FULL=1: 300k changes (adds, then a third deleted).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

if [ -n "$FULL" ]; then NADD=200000; NDEL=100000; else NADD=${RTC_STALL_N:-80000}; NDEL=$((NADD / 4)); fi

rtcd_setup
{ pfx_batch add 0 "$NADD"; pfx_batch del 0 "$NDEL"; } >"$WORK/changes"
pfx_batch del "$NDEL" $((NADD - NDEL)) >"$WORK/clean"
gen_flows "$SAMPLES" 2 "$NADD" >"$WORK/flows"

# stall_round LABEL: the batch in the background, SIGSTOP once rtcached
# has applied some of it, 5 s stopped, SIGCONT, then equal.
stall_round() {
	r0=$(status_num resyncs) || fail "$1: no resyncs in status"
	e0=$(status_num netlink_enobufs stats) || fail "$1: no netlink_enobufs in stats"
	t0=$(date +%s.%N)
	N -batch "$WORK/changes" &
	bp=$!
	i=0
	until v=$(status_num routes) && [ "$v" -ge 2000 ]; do
		i=$((i + 1))
		[ $i -lt 200 ] || fail "$1: rtcached saw no routes of the batch"
		sleep 0.02
	done
	kill -STOP "$PID"
	ts=$(elapsed "$t0")
	sleep 5		# the scenario: stopped for 5 s
	kill -0 "$bp" 2>/dev/null && bstate="still running" || bstate="done"
	kill -CONT "$PID"
	wait "$bp" || fail "$1: ip -batch failed"
	poll_equal 90 "$1"
	r1=$(status_num resyncs) || fail "$1: no resyncs in status"
	e1=$(status_num netlink_enobufs stats) || fail "$1: no netlink_enobufs in stats"
	note "$1: stopped at ${ts} s for 5 s (batch $bstate on SIGCONT), equal at $(elapsed "$t0") s;" \
	    "enobufs $e0 -> $e1, resyncs $r0 -> $r1, rss $(rss_kb) kB"
	N -batch "$WORK/clean" || fail "cleanup"
	poll_equal 60 "$1: after cleanup"
}

rtcd_start
stall_round "default rcvbuf"
[ "$e1" = "$e0" ] && [ "$r1" = "$r0" ] ||
    fail "default rcvbuf: $((NADD + NDEL)) notifications should fit, yet enobufs $e0 -> $e1, resyncs $r0 -> $r1"
echo "ok 1 - SIGSTOP 5 s during $((NADD + NDEL)) changes, 128M buffer: no loss, no resync, equal"
finish

SOCK=$WORK/small.sock
write_conf "rcvbuf = 1M"
rtcd_start -c "$WORK/rtcached.conf"
stall_round "rcvbuf 1M"
[ "$e1" -gt "$e0" ] && [ "$r1" -gt "$r0" ] ||
    fail "rcvbuf 1M: overflow not detected (enobufs $e0 -> $e1, resyncs $r0 -> $r1)"
echo "ok 2 - SIGSTOP 5 s during $((NADD + NDEL)) changes, 1M buffer: ENOBUFS, resync, equal"
finish
echo "ok 3 - alive throughout, SIGTERM exit 0 ($(elapsed) s)"
exit 0
