#!/bin/sh
# tests/service/rtcd-service.sh - rtcached as systemd runs it, inside its
# own network namespace (root; exit 77 otherwise): a NOTIFY_SOCKET
# listener sees READY=1 only once the routes are synced (with STATUS=),
# WATCHDOG=1 every half WATCHDOG_USEC, RELOADING=1 then READY=1 around a
# SIGHUP, STOPPING=1 at the end; journal priority prefixes with
# JOURNAL_STREAM; Prometheus metrics scraped over loopback HTTP and
# parsed; a reload that applies live settings and refuses restart-only
# ones, and a broken file that changes nothing.

. "${top_srcdir:-.}/tests/daemon/rtcd-lib.sh"
command -v python3 >/dev/null 2>&1 || { echo "no python3: skipped"; exit 77; }

rtcd_setup
N route add 10.50.0.0/16 via 10.0.0.2 dev v0
N route add 10.60.0.0/16 via 10.0.2.2 dev v2 table 100
N rule add from 10.0.3.0/24 lookup 100

CONF=$WORK/rtcached.conf
NOTIFY=$WORK/notify
NLOG=$WORK/notify.log
cat >"$CONF" <<CONF
[daemon]
workers = 2
log_level = info
[route_cache]
gc_thresh = auto
[metrics]
listen = 127.0.0.1:9347
CONF

notify_listen "$NOTIFY" "$NLOG" || fail "no notify socket"

ip netns exec "$NS" env NOTIFY_SOCKET="$NOTIFY" WATCHDOG_USEC=1000000 \
    JOURNAL_STREAM=8:1234 "$RTCD" -f -c "$CONF" --socket "$SOCK" \
    2>"$WORK/rtcached.err" &
PID=$!
P wait-synced 60 || fail "rtcached not synced"
sleep 2.3

# READY=1 once, after the sync, with the route count
ready=$(grep -m1 'READY=1' "$NLOG") || fail "no READY=1"
echo "$ready" | grep -q 'STATUS=mirroring [1-9][0-9]* routes' ||
    fail "READY=1 without a synced STATUS: $ready"
first=$(head -1 "$NLOG")
[ "$first" = "$ready" ] || fail "a message before READY=1: $first"
echo "ok - READY=1 after sync: ${ready#* }"

# WATCHDOG=1 every 0.5 s
python3 - "$NLOG" <<'PY' || fail "watchdog period"
import sys
t = [float(l.split()[0]) for l in open(sys.argv[1]) if "WATCHDOG=1" in l]
d = [b - a for a, b in zip(t, t[1:])]
print("watchdog pings:", len(t), "intervals:", ["%.2f" % x for x in d])
sys.exit(0 if len(t) >= 3 and all(0.3 < x < 0.8 for x in d) else 1)
PY
echo "ok - WATCHDOG=1 at half WATCHDOG_USEC"

# journal priorities on stderr
grep -q '^<6>synced' "$WORK/rtcached.err" || fail "no <6> journal prefix"
! grep -v '^<[0-7]>' "$WORK/rtcached.err" | grep -q . ||
    fail "a line without a journal prefix"
echo "ok - journal priority prefixes"

# scrape: every family has HELP and TYPE, samples parse, values make sense
scrape() {
	NX python3 - "$1" <<'PY'
import re, sys, urllib.request
body = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1],
    timeout=10).read().decode()
assert body.endswith("\n")
types, helps, vals = {}, set(), {}
sample = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+)$')
for l in body.splitlines():
    if l.startswith("# HELP "):
        helps.add(l.split()[2])
    elif l.startswith("# TYPE "):
        _, _, n, t = l.split()
        types[n] = t
    else:
        m = sample.match(l)
        assert m, "bad sample line: " + l
        assert m.group(1) in types and m.group(1) in helps, l
        vals[m.group(1) + (m.group(2) or "")] = float(m.group(4))
for n, t in types.items():
    assert (t == "counter") == n.endswith("_total"), n
for k, v in sorted(vals.items()):
    print(k, v)
PY
}
scrape 9347 >"$WORK/m1" || fail "scrape"
for want in 'rtcached_synced 1.0' 'rtcached_workers 2.0' \
    'rtcached_routes{table="main"}' 'rtcached_routes{table="100"} 1.0' \
    'rtcached_rules ' 'rtcached_nexthops ' \
    'rtcached_route_cache_lookups_total{path="output",result="hit"}' \
    'rtcached_route_cache_entries ' 'rtcached_slab_objects{cache="ip_dst_cache"}' \
    'rtcached_slab_bytes{cache=' 'rtcached_netlink_messages_total ' \
    'rtcached_netlink_resyncs_total 0' 'rtcached_netlink_enobufs_total ' \
    'rtcached_netlink_parse_errors_total 0' \
    'rtcached_config_last_reload_successful 1.0'; do
	grep -qF "$want" "$WORK/m1" || fail "metrics: no $want"
done
echo "ok - metrics scraped and parsed ($(wc -l <"$WORK/m1") samples)"

# reload: live keys applied, a restart-only key kept
sed -i -e 's/^workers = 2/workers = 3/' -e 's/^log_level = info/log_level = debug/' \
    -e 's/^gc_thresh = auto/gc_thresh = 1000/' -e 's/9347/9348/' "$CONF"
kill -HUP "$PID"
i=0
while ! grep -q 'reload: done' "$WORK/rtcached.err" && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1)); done
for want in 'reload: daemon.log_level: info -> debug' \
    'reload: route_cache.gc_thresh: auto -> 1000' \
    'reload: metrics.listen: 127.0.0.1:9347 -> 127.0.0.1:9348' \
    'reload: daemon.workers: 2 -> 3 needs a restart; keeping 2'; do
	grep -qF "$want" "$WORK/rtcached.err" || fail "reload: no '$want'"
done
# three live settings changed (the restart-only one is kept, not counted)
grep -qF 'reload: done, 3 settings changed' "$WORK/rtcached.err" ||
    fail "reload: the count of changed settings is not 3"
grep -q 'RELOADING=1|MONOTONIC_USEC=[0-9]' "$NLOG" || fail "no RELOADING=1"
sed -n '/RELOADING=1/,$p' "$NLOG" | grep -q 'READY=1' || fail "no READY=1 after reload"
scrape 9348 >"$WORK/m2" || fail "scrape on the new port"
grep -qF 'rtcached_workers 2.0' "$WORK/m2" || fail "workers changed live"
! scrape 9347 >/dev/null 2>&1 || fail "old metrics port still open"
echo "ok - reload applied live settings, kept workers"

# a broken file changes nothing
printf '[daemon]\nlog_level = info\nbogus = 1\n[metrics]\nlisten = 9349\n' >"$CONF"
kill -HUP "$PID"
i=0
while ! grep -q 'nothing changed' "$WORK/rtcached.err" && [ $i -lt 50 ]; do
	sleep 0.1; i=$((i + 1)); done
grep -qF "$CONF:3: unknown key bogus in [daemon]" "$WORK/rtcached.err" ||
    fail "no FILE:LINE error for the broken file"
scrape 9348 >"$WORK/m3" || fail "metrics moved on a broken reload"
grep -qF 'rtcached_config_last_reload_successful 0.0' "$WORK/m3" ||
    fail "reload failure not in the metrics"
grep -qF 'rtcached_config_reloads_total 2.0' "$WORK/m3" || fail "reloads_total"
echo "ok - broken file refused, nothing changed"

# stop: STOPPING=1, exit 0
rtcd_stop || fail "exit status $rc"
wait "$LPID"
tail -1 "$NLOG" | grep -q 'STOPPING=1' || fail "no STOPPING=1"
echo "ok - STOPPING=1, exit 0"
