#!/bin/sh
# Fault 4: the mirrored namespace deleted while rtcached runs.  rtcached
# runs in a second namespace (HOSTNS) and mirrors the test namespace with
# --netns; a veth pair joins the two, so the mirrored namespace really
# going away is visible from HOSTNS (its end of the pair disappears).
# Then `ip netns del` of the mirrored namespace.
#
# Must hold (fails otherwise): rtcached notices the
# deletion (inotify on /run/netns), says so naming the namespace, and
# stops with status 1; with its sockets closed the namespace really goes
# away (its veth end disappears from HOSTNS).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

HOSTNS=${NS}h
ip netns add "$HOSTNS" || fail "second namespace"
cleanup2() {
	rtcd_cleanup
	ip netns del "$HOSTNS" 2>/dev/null
}
trap cleanup2 EXIT

rtcd_setup
ip -n "$HOSTNS" link set lo up
N link add vx type veth peer name vh netns "$HOSTNS" || fail "veth across namespaces"
N link set vx up
N addr add 10.9.0.1/24 dev vx
pfx_batch add 0 20000 >"$WORK/b"
N -batch "$WORK/b" || fail "routes"
gen_flows "$SAMPLES" 4 20000 >"$WORK/flows"

ip netns exec "$HOSTNS" "$RTCD" -f --socket "$SOCK" --workers 2 --netns "$NS" \
    2>"$WORK/rtcached.err" &
PID=$!
P wait-synced 60 || fail "rtcached not synced"
poll_equal 60 "before the deletion"
note "mirroring $NS from $HOSTNS: equal at $(elapsed) s"
# the kernel's answers, kept for after the deletion
cp "$WORK/k.get" "$WORK/k.before"
cp "$WORK/k.show" "$WORK/k.show.before"
echo "ok 1 - rtcached --netns mirrors the other namespace"

t0=$(date +%s.%N)
ip netns del "$NS" || fail "ip netns del"
# rtcached should notice and stop (bounded wait), and then the
# namespace, no longer held by its sockets, go away: its veth end does
i=0
while [ $i -lt 100 ] && alive; do
	i=$((i + 1))
	sleep 0.1
done
if alive; then
	state=running
else
	wait "$PID"
	rc=$?
	PID=
	state="exited $rc"
fi
gone=0
i=0
while [ $i -lt 50 ]; do
	ip -n "$HOSTNS" link show vh >/dev/null 2>&1 || { gone=1; break; }
	i=$((i + 1))
	sleep 0.1
done
note "after ip netns del: rtcached $state; namespace gone: $gone ($(elapsed "$t0") s)"
sed 's/^/# log: /' "$WORK/rtcached.err" | tail -5

[ "$state" = "exited 1" ] ||
	fail "rtcached $state after the namespace was deleted (want exited 1)"
grep -iE 'netns|namespace' "$WORK/rtcached.err" | grep "$NS" |
    grep -qiE 'gone|delet|remov' ||
	fail "no message naming the deleted namespace"
echo "ok 2 - noticed the deletion and stopped with status 1"
[ $gone = 1 ] || fail "the deleted namespace stays alive"
echo "ok 3 - the namespace really went away"
exit 0
