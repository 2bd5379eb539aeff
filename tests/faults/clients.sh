#!/bin/sh
# Fault 6: 1000 concurrent clients mixing batch lookups, listings and
# garbage.  At the same time:
#   - rtcd-probe's abuse scenarios with 1000 clients (garbage, truncated,
#     oversized messages, 1000 silent connections, clients that send and
#     never read, others that never read long listings);
#   - 16 lookup clients, each sending the sampled flows in batches again
#     and again: every answer must equal the kernel's;
#   - 4 listing clients: `route show table all` equal to the kernel's;
#   - 200 garbage clients (random bytes, random lengths, bad headers).
# Afterwards rtcached is alive, answers, and stops with exit 0.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/faults/fault-lib.sh"

NCL=${RTC_CLIENTS:-1000}
ROUNDS=${RTC_CLIENT_ROUNDS:-30}
[ -z "$FULL" ] || ROUNDS=200
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }
ulimit -n 8192 2>/dev/null || ulimit -n 4096 || { echo "cannot raise the fd limit: skipped"; exit 77; }

rtcd_setup
pfx_batch add 0 20000 >"$WORK/b"
N -batch "$WORK/b" || fail "routes"
gen_flows "$SAMPLES" 6 20000 >"$WORK/flows"
rtcd_start --max-clients $((NCL + 500)) --idle-timeout 30
poll_equal 60 "before"
cp "$WORK/k.get" "$WORK/k.ref"
cp "$WORK/k.show" "$WORK/k.showref"
rss0=$(rss_kb)
t0=$(date +%s.%N)

P abuse "$NCL" >"$WORK/abuse.tap" 2>&1 &
APID=$!
# client LABEL ROUNDS REF OUT CMD...: in the background, run CMD (flows on
# stdin) ROUNDS times; each answer must equal REF, else note it in errors.
client() {
	label=$1 rounds=$2 ref=$3 out=$4
	shift 4
	(
		r=0
		while [ $r -lt "$rounds" ]; do
			"$@" <"$WORK/flows" >"$out" 2>&1 && cmp -s "$ref" "$out" ||
			    { echo "$label round $r differs" >>"$WORK/errors"; exit 1; }
			r=$((r + 1))
		done
	) &
	pids="$pids $!"
}
pids=
i=0
while [ $i -lt 16 ]; do
	client "lookup client $i" "$ROUNDS" "$WORK/k.ref" "$WORK/get.$i" \
	    P -n $((50 + i * 20)) get
	i=$((i + 1))
done
i=0
while [ $i -lt 4 ]; do
	client "listing client $i" $((ROUNDS / 2 + 1)) "$WORK/k.showref" \
	    "$WORK/show.$i" P show all
	i=$((i + 1))
done
python3 - "$SOCK" 200 >"$WORK/garbage.out" 2>&1 <<'EOF' &
import os, random, socket, struct, sys
path, n = sys.argv[1], int(sys.argv[2])
random.seed(9)
socks, replied, closed, errors = [], 0, 0, 0
for i in range(n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    socks.append(s)
for i, s in enumerate(socks):
    k = i % 4
    if k == 0:
        msg = os.urandom(random.randint(1, 2000))
    elif k == 1:   # a header claiming more than is sent
        msg = struct.pack("=IHHII", 100000, random.randint(0, 70), 1, i, 0) + os.urandom(8)
    elif k == 2:   # plausible length, random type and payload
        body = os.urandom(random.randint(0, 300))
        msg = struct.pack("=IHHII", 16 + len(body), random.randint(0, 0xffff), random.randint(0, 0xffff), i, 0) + body
    else:          # zero-length header fields
        msg = bytes(16)
    try:
        s.send(msg)
    except OSError:
        errors += 1
for s in socks:
    s.settimeout(10)
    try:
        d = s.recv(70000)
        if d:
            replied += 1
        else:
            closed += 1
    except OSError:
        errors += 1
    s.close()
print("garbage clients %d: replied %d closed %d errors %d" % (n, replied, closed, errors))
sys.exit(0 if replied + closed == n else 1)
EOF
GPID=$!

for p in $pids; do wait "$p"; done
wait "$GPID" || echo "garbage clients: some got neither a reply nor a close" >>"$WORK/errors"
wait "$APID" || echo "rtcd-probe abuse failed" >>"$WORK/errors"
sed 's/^/# /' "$WORK/abuse.tap" "$WORK/garbage.out"
grep -q '^not ok' "$WORK/abuse.tap" && echo "abuse: a check failed" >>"$WORK/errors"
alive || fail "rtcached died under the clients"
if [ -s "$WORK/errors" ]; then
	sed 's/^/# /' "$WORK/errors" | head
	fail "clients"
fi
note "$NCL abuse + 16 x $ROUNDS lookup batches + 4 listing clients + 200 garbage: $(elapsed "$t0") s"
P stats | grep -E '^(requests|lookups|bad_requests|accepted|refused|timeouts) ' | tr '\n' ' ' | sed 's/^/# stats: /'; echo
echo "ok 1 - $NCL concurrent abusive clients, lookups and listings stayed equal to the kernel"

poll_equal 30 "after the clients"
[ "$(status_val clients)" -le 2 ] || note "clients still counted: $(status_val clients)"
rss_check "after the clients" "$rss0" "$(rss_kb)"
finish
echo "ok 2 - alive, equal, RSS bounded, SIGTERM exit 0 ($(elapsed) s)"
exit 0
