#!/bin/sh
# Fault: memory runs out during a table load.  rtcached starts with
# RTCACHED_FAIL_MAPS=SKIP:COUNT, so its slab page provider refuses every
# 4 MiB chunk after the first few while 200k routes of the full view are
# being mirrored.  It must either keep running, report the failures, and
# hold a consistent FIB (every route it lists is one the kernel has, and
# lookups answer), or exit cleanly with a clear message: never crash.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

NR=${RTC_ALLOCFAIL_N:-200000}

rtcd_setup
fullview_routes "$WORK/full"
head -n "$NR" "$WORK/full" >"$WORK/part"
N -force -batch "$WORK/part" 2>/dev/null
note "$(N -4 route show table all | wc -l) kernel routes"

RTCACHED_FAIL_MAPS=${RTC_ALLOCFAIL_SKIP:-1}:1000000 ip netns exec "$NS" "$RTCD" -f \
    --socket "$SOCK" --workers 2 2>"$WORK/rtcached.err" &
PID=$!
i=0
while [ $i -lt 300 ] && alive && ! P status >/dev/null 2>&1; do
	i=$((i + 1)); sleep 0.1
done
if ! alive; then
	# it gave up: cleanly, with a message, not by a signal
	wait "$PID"; rc=$?
	PID=
	[ "$rc" -lt 128 ] || fail "rtcached died by signal $((rc - 128))"
	grep -qi 'memory\|ENOMEM' "$WORK/rtcached.err" ||
	    fail "exit $rc without a message about memory"
	note "exited $rc: $(grep -i 'memory' "$WORK/rtcached.err" | head -1)"
	echo "ok 1 - out of memory during the load: clean exit with a message"
	exit 0
fi
P wait-synced 120 >/dev/null 2>&1 || note "not synced (still failing)"
grep -qi 'memory\|ENOMEM\|No buffer space' "$WORK/rtcached.err" ||
    fail "no allocation failure reported"
note "reported: $(grep -ci 'memory\|No buffer space' "$WORK/rtcached.err") lines, e.g. $(grep -i 'memory\|No buffer space' "$WORK/rtcached.err" | head -1)"
echo "ok 1 - allocation failures reported, still running"

# consistent: what it lists is a subset of the kernel's routes
P show all >"$WORK/ours" 2>/dev/null || fail "route show failed"
N -4 route show table all >"$WORK/kernel"
sort "$WORK/ours" >"$WORK/ours.s"
sort "$WORK/kernel" >"$WORK/kernel.s"
extra=$(comm -23 "$WORK/ours.s" "$WORK/kernel.s" | wc -l)
note "listed $(wc -l <"$WORK/ours") of $(wc -l <"$WORK/kernel") routes, $extra not in the kernel"
[ "$extra" -eq 0 ] || { comm -23 "$WORK/ours.s" "$WORK/kernel.s" | head -5; fail "routes the kernel does not have"; }
echo "ok 2 - the routes it holds are whole and the kernel's"

# lookups still answer (an answer or an error, never a hang or a crash)
printf '%s\n' 1.0.0.1 8.8.8.8 10.0.0.5 "10.0.2.9 from 10.0.0.1" >"$WORK/f"
P get <"$WORK/f" >/dev/null 2>&1
alive || fail "rtcached died answering lookups"
echo "ok 3 - lookups answered"
finish
echo "ok 4 - SIGTERM: exit 0"
exit 0
