#!/bin/sh
# tests/diff/difftest.sh - randomized differential test of rtcached
# against the kernel.  For each seed, tests/diff/diffgen writes a random
# IPv4 routing state (veth links up and down, addresses, routes of every
# type in several tables, nexthop objects, rules with every selector and
# action, devconf sysctls), changes to make while the daemon runs, and
# `route get` queries; this script builds the state in a fresh network
# namespace (rtcd-lib.sh: root only, exit 77 otherwise; the host's own
# network is never touched), starts rtcached there, asks every query of
# both `ip route get` and `rtcache route get` (output path, and input
# path with iif), applies a round of changes, waits for the mirror with
# a bound (a marker route in table 250, which no rule looks up), and
# asks again.  Answers are compared byte for byte (stdout and stderr of
# `-batch` runs); the one normalisation is multipath: when the kernel's
# matched route (`route get fibmatch`) has several legs, rtcache's leg
# only has to be one of them (the kernel hashes with its own seed), so
# via, dev and src are compared as a leg of that route and the rest
# byte for byte.  Each difference prints its seed, its class (path,
# both answers' kinds, the keywords whose values differ) and, for the
# first of each class, a reproduction minimized by deleting commands
# while the same class of difference persists (written as a runnable
# script).  `--seed N` replays one state.
#
# Modes.  The short run (the default; what `make check` runs: 6 states,
# 3 rounds of changes, 60 queries a round, well under 60 s) leaves out,
# with diffgen -x, the features where rtcache is known to differ from
# the kernel (SHORT_EXCLUDE_LIST below, each with its reason), so it
# covers: veth links up and down (carrier loss), device MTUs and groups,
# one primary address per subnet (brd, /31, /32, noprefixroute,
# metric), unicast routes by dev, via, onlink, multipath with weights,
# nexthop objects and groups, blackhole, unreachable, prohibit and throw
# routes, tos, metric, src, metrics (mtu, advmss, hoplimit, ...), tables
# main, default, 100, 101, 200 and 70000, rules with the selectors not,
# from, to, iif, oif, fwmark/mask, tos, uidrange (without uid 0) and
# the actions lookup, blackhole, unreachable, prohibit, goto (resolved
# or not), nop, suppress_prefixlength and suppress_ifgroup; the sysctls
# rp_filter, forwarding, src_valid_mark, route_localnet and
# accept_local, at start and while running (all, default and per
# device); 224.0.0.0/4 and 127.0.0.0/8 in prefixes and queries,
# multicast routes; changes of routes, rules, addresses, nexthops,
# links up, down and deleted, MTUs and groups while rtcached runs; and
# queries with to, from (subnet broadcasts too), iif, tos/dsfield, mark,
# uid (output path), ipproto, sport and dport.
# Any difference fails it.  `--full` (what `make difftest` runs)
# generates everything.  connected and fibmatch are not asked: rtcache
# route get has neither.
#
#   difftest.sh [--full] [--seed N | --base N] [--states N] [--rounds N]
#       [--queries N] [--duration SECONDS] [-x FEATURE]... [--show]
#       [--no-minimize] [--out DIR]

# The features the short run leaves out (diffgen -x), each for a class
# of difference that the full run finds in the current code:
SHORT_EXCLUDE_LIST='
addr-secondary      its seeds reach a route via one of our own addresses: the kernel answers without via (findings 5)
rt-broadcast        broadcast routes covering sources (the full source check)
rt-anycast          anycast routes covering input sources: the kernel rejects them with rules present
sys-ignore_linkdown ignore_routes_with_linkdown with a link coming up: other routes lost
'
SHORT_EXCLUDE=$(echo "$SHORT_EXCLUDE_LIST" | awk 'NF { print $1 }')

usage() {
	sed -n '/^#   difftest.sh/,/^$/p' "$0" | sed 's/^# \{0,3\}//'
	exit 64
}

MODE=short SEED='' BASE='' STATES='' ROUNDS='' QUERIES='' DURATION=''
EXTRA_X='' MINIMIZE=1 SHOW='' OUT=
while [ $# -gt 0 ]; do
	case $1 in
	--full) MODE=full ;;
	--short) MODE=short ;;
	--seed) SEED=$2; shift ;;
	--base) BASE=$2; shift ;;
	--states) STATES=$2; shift ;;
	--rounds) ROUNDS=$2; shift ;;
	--queries) QUERIES=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	-x) EXTRA_X="$EXTRA_X $2"; shift ;;
	--show) SHOW=1 ;;
	--no-minimize) MINIMIZE= ;;
	--out) OUT=$2; shift ;;
	*) usage ;;
	esac
	shift || usage
done

if [ $MODE = short ]; then
	: "${STATES:=6}" "${ROUNDS:=3}" "${QUERIES:=60}" "${DURATION:=45}" "${BASE:=1000}"
	XOPTS=$SHORT_EXCLUDE
else
	: "${STATES:=1000000}" "${ROUNDS:=4}" "${QUERIES:=250}" "${DURATION:=600}"
	: "${BASE:=$(date +%s)}"
	XOPTS=
fi
XARGS=
for x in $XOPTS $EXTRA_X; do XARGS="$XARGS -x $x"; done

. "${top_srcdir:-$(dirname "$0")/../..}/tests/daemon/rtcd-lib.sh"

CLI=$builddir/src/cli/rtcache
GEN=${DIFFGEN:-$builddir/tests/diff/diffgen}
[ -x "$CLI" ] && [ -x "$GEN" ] || { echo "rtcache or diffgen not built: skipped"; exit 77; }
if [ -n "$OUT" ]; then mkdir -p "$OUT" || exit 2; else OUT=$WORK; fi
SYNC_BOUND=${DIFF_SYNC_BOUND:-10}	# seconds for the mirror to catch up
# rtcached reads the settings that come with no netlink message every
# 50 ms here (sysctl_poll_ms), so that sysctl_barrier is short
printf '[netlink]\nsysctl_poll_ms = 50\n' >"$WORK/diff.conf"

note() { echo "# $*"; }
now() { date +%s; }
R() { "$CLI" -s "$SOCK" "$@"; }

# ---- namespaces and the daemon ----

# ns_fresh: an empty namespace named $NS (the old one, if any, deleted)
ns_fresh() {
	if [ -n "$PID" ]; then kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=; fi
	ip netns del "$NS" 2>/dev/null
	ip netns add "$NS" || fail "ip netns add $NS"
	rm -f "$SOCK"
}

# run_cmds FILE: each line a shell command inside the namespace; a
# command that fails (the generator makes some on purpose) is logged
run_cmds() {
	[ -s "$1" ] || return 0
	NX sh "$1" >>"$WORK/cmds.log" 2>&1 </dev/null
}

# daemon_up: start rtcached and wait for its first sync (bounded)
daemon_up() {
	rtcd_launch -c "$WORK/diff.conf" </dev/null
	P wait-synced 30 >/dev/null 2>&1
}

# daemon_down: SIGTERM; status 0 when it stopped cleanly
daemon_down() {
	[ -n "$PID" ] || return 1
	kill "$PID" 2>/dev/null
	wait "$PID"
	_rc=$?
	PID=
	return $_rc
}

# barrier N: a marker route in table 250 (no rule looks that table up);
# rtcached has applied every earlier event once it lists the marker
barrier() {
	_m="198.51.100.$(($1 % 250 + 1))"
	N route add blackhole "$_m/32" table 250 2>/dev/null || return 0
	_end=$(( $(now) + SYNC_BOUND ))
	while :; do
		R route show table 250 2>/dev/null | grep -q "^blackhole $_m " && return 0
		[ "$(now)" -lt "$_end" ] || return 1
		sleep 0.02
	done
}

# polls: how many times rtcached has read the device settings by a link
# dump (its stats' netlink_polls)
polls() { P stats 2>/dev/null | awk '$1 == "netlink_polls" { print $2 }'; }

# sysctl_barrier FILE: when FILE writes sysctls, wait (bounded) for two
# more of rtcached's polls: most device settings (route_localnet,
# accept_local, src_valid_mark, ...) come with no netlink message and
# rtcached reads them again every sysctl_poll_ms; the first poll after the
# barrier may have read some files before the writes, the second has
# not.  Call it after barrier, which has seen every netlink event of
# the writes (a netconf for default makes rtcached dump the links too).
sysctl_barrier() {
	grep -q 'sysctl' "$1" 2>/dev/null || return 0
	_p0=$(polls)
	[ -n "$_p0" ] || return 1
	_end=$(( $(now) + SYNC_BOUND ))
	while :; do
		_p=$(polls)
		[ -n "$_p" ] && [ "$_p" -ge $((_p0 + 2)) ] && return 0
		[ "$(now)" -lt "$_end" ] || return 1
		sleep 0.05
	done
}

# ---- comparing ----

# ask_ip ARGS / ask_rtc ARGS: one answer, stdout and stderr (ARGS is
# split into words on purpose, here and in legs).  The kernel's route
# cache is flushed before each of its answers: a nexthop keeps the last
# output route made through it (per CPU, nhc_pcpu_rth_output) and hands
# it to the next flow that takes it, multicast or not, with the metrics
# of the route that made it, so without the flush the kernel's answer
# depends on the queries before it and on the CPU it ran on.
# shellcheck disable=SC2086
ask_ip() {
	ip -n "$NS" route flush cache 2>/dev/null
	ip -n "$NS" route get $1 2>&1 </dev/null
}
# shellcheck disable=SC2086
ask_rtc() { R route get $1 2>&1 </dev/null; }

# legs ARGS: the live legs ("via G dev D" or "dev D") of the route the
# kernel matches for the flow, one a line; nothing when not multipath
legs() {
	# shellcheck disable=SC2086
	_fm=$(ip -n "$NS" route get fibmatch $1 2>/dev/null) || return 0
	case $_fm in
	*nexthop*)
		echo "$_fm" | grep -v ' dead' | sed -n 's/^[[:space:]]*nexthop \(via [^ ]* \)\{0,1\}\(dev [^ ]*\).*/\1\2/p'
		;;
	*" nhid "*)
		_id=$(echo "$_fm" | sed -n 's/.* nhid \([0-9]*\).*/\1/p' | head -1)
		_g=$(ip -n "$NS" nexthop show id "$_id" 2>/dev/null | sed -n 's/.* group \([^ ]*\).*/\1/p')
		[ -n "$_g" ] || return 0
		for _m in $(echo "$_g" | tr '/' ' '); do
			ip -n "$NS" nexthop show id "${_m%%,*}" 2>/dev/null |
			    sed -n 's/.* \(via [^ ]* \)\{0,1\}\(dev [^ ]*\).*/\1\2/p'
		done
		;;
	esac
}

# strip_leg FILE: the answer without what depends on the leg: via, dev,
# src, and the redirect flag (set when a packet leaves by the device it
# came in on)
strip_leg() {
	sed -E '1s/ via [^ ]+//; 1s/ dev [^ ]+//; 1s/ src [^ ]+//
	    2s/ <redirect>//; 2s/<redirect,/</; 2s/,redirect>/>/; 2s/,redirect,/,/' "$1"
}

# mp_equal ARGS KFILE RFILE: equal but for the choice of a multipath
# leg: rtcache's dev is a live leg's, with that leg's gateway or none (a
# gateway that is a local address has host scope and is not shown)
mp_equal() {
	_legs=$(legs "$1")
	[ -n "$_legs" ] || return 1
	_via=$(sed -n '1s/.* via \([^ ]*\) .*/via \1 /p' "$3")
	_dev=$(sed -n '1s/.* dev \([^ ]*\) .*/dev \1/p' "$3")
	echo "$_legs" | grep -qxF "$_via$_dev" ||
	    { [ -z "$_via" ] && echo "$_legs" | grep -q " $_dev\$"; } || return 1
	[ "$(strip_leg "$2")" = "$(strip_leg "$3")" ]
}

# signature ARGS KFILE RFILE: the class of a difference: the path (in
# with iif, else out), the kind of each answer (error text or route
# type) and the keywords whose values differ
signature() {
	awk -v q=" $1 " '
	function kind(l) {
		if (l ~ /^RTNETLINK answers: /) { sub(/^RTNETLINK answers: /, "", l); return "error(" l ")" }
		if (l ~ /^Error/ || l ~ /^rtcache/) return "error(" substr(l, 1, 40) ")"
		if (l == "") return "empty"
		split(l, t, " ")
		if (t[1] ~ /^(local|broadcast|multicast|unreachable|blackhole|prohibit|throw|anycast)$/) return t[1]
		return "unicast"
	}
	function scan(s, v,   w, n, i) {
		n = split(s, w, /[ \t\n]+/)
		for (i = 1; i <= n; i++) {
			if (w[i] ~ /^(via|dev|src|from|mark|uid|tos|iif|oif|table|mtu|advmss|hoplimit|rtt|window|initcwnd|quickack|realm|realms|expires|error|proto)$/ && !(w[i] in v))
				v[w[i]] = w[i + 1]
			if (w[i] == "cache" && w[i + 1] ~ /^</)
				v["cache<>"] = w[i + 1]
		}
	}
	FNR == NR { k = k $0 "\n"; if (FNR == 1) k1 = $0; next }
	{ r = r $0 "\n"; if (FNR == 1) r1 = $0 }
	END {
		scan(k, kv); scan(r, rv)
		d = ""
		for (x in kv) if (!(x in rv) || kv[x] != rv[x]) d = d " " x
		for (x in rv) if (!(x in kv)) d = d " " x
		# a stable order
		n = split(d, a, " "); d = ""
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { tmp = a[i]; a[i] = a[j]; a[j] = tmp }
		for (i = 1; i <= n; i++) d = d (d == "" ? "" : ",") a[i]
		if (kind(k1) != kind(r1))
			printf "%s %s>%s\n", (q ~ / iif /) ? "in" : "out", kind(k1), kind(r1)
		else
			printf "%s %s>%s [%s]\n", (q ~ / iif /) ? "in" : "out", kind(k1), kind(r1), d == "" ? "text" : d
	}' "$2" "$3"
}

# ---- known differences ----
# Classes of difference (shell patterns over the signature) that are
# reported separately and do not fail the run, each with its reason.
# The short run avoids every known class by generation (SHORT_EXCLUDE),
# so this list is empty; entries look like
#   'out unicast>unicast [src]|reason in one line'
KNOWN=""

known_reason() {
	[ -n "$KNOWN" ] || return 1
	echo "$KNOWN" | while IFS='|' read -r _pat _why; do
		[ -n "$_pat" ] || continue
		# shellcheck disable=SC2254
		case $1 in $_pat) echo "$_why"; exit 0 ;; esac
	done | grep .
}

# history_reason ARGS KFILE RFILE SIG ROUND: the reason, when the difference
# is one a dump cannot settle because the kernel's answer depends on the
# order the state was made in: status 1 when it is not.
#  - via present in one answer only, for a gateway that a route of host
#    scope of the state's plan covered, now or earlier (plan_covers): the
#    kernel gave the gateway host scope (no via) if that route was there
#    when the gateway's route came, link scope if it came after, and
#    kept it; rtcached assumes before for such routes of tables local,
#    main and default and the route's own (fib_sync_settle), after for
#    the others.
history_reason() {
	case $4 in
	*" [via]"|*" [cache<>,via]")
		_g=$(for _f in "$2" "$3"; do sed -n '1s/.* via \([^ ]*\) .*/\1/p' "$_f"; done | head -1)
		[ -n "$_g" ] && plan_covers "$_g" "$5" || return 1
		echo "gateway under a route of host scope: its scope depends on which came first (findings 19)"
		return 0 ;;
	esac
	#  - a source the kernel cached: a nexthop object's, chosen at its
	#    own scope until an address or link changes, then at the asking
	#    route's (rtcached assumes no change before it started), and any
	#    route's, chosen when it came with the route_localnet of then and
	#    kept over a change of it (not followed: rtcached chooses with
	#    the setting of now): when the build changed addresses after a
	#    nexthop, or the plan route_localnet after a route
	case $4 in
	*"[src]"|*"[src,"*|*",src]"|*",src,"*)
		_r=1 _files=
		while [ "$_r" -le "$5" ]; do _files="$_files $PLAN/m$_r"; _r=$((_r + 1)); done
		# shellcheck disable=SC2086
		if { awk '/^ip nexthop (add|replace) / { nh = 1 }
		    nh && /^ip (addr (add|del)|link set [^ ]+ up)/ { f = 1 }
		    END { exit !f }' "$PLAN/build" ||
		    cat "$PLAN/build" $_files | awk '/^ip route (add|replace) / { rt = 1 }
		    rt && /route_localnet/ { f = 1 }
		    END { exit !f }'; }; then
			echo "a source the kernel cached, chosen with the addresses or route_localnet of then (findings 19)"
			return 0
		fi ;;
	esac
	#  - an output query from an address that the state was built with on
	#    two devices: the kernel's is the device that got it last; a
	#    dump lists addresses by device (rtcached follows the order of
	#    what it sees added)
	case " $1 " in *" iif "*) return 1 ;; esac
	_f=$(echo " $1 " | sed -n 's/.* from \([0-9.]*\) .*/\1/p')
	[ -n "$_f" ] && awk -v a="$_f" '
	    $1 == "ip" && $2 == "addr" && $3 == "add" {
		split($4, p, "/")
		for (i = 5; i < NF; i++) if ($i == "dev") d = $(i + 1)
		if (p[1] == a) devs[d] = 1
	    }
	    END { for (x in devs) n++; exit !(n >= 2) }' "$PLAN/build" || return 1
	echo "an address the state was built with on two devices: the kernel's is the device that got it last (findings 6)"
	return 0
}

# plan_covers ADDR ROUND: a route of host scope (local, or any route
# with `scope host`) of the plan up to ROUND ($PLAN/build, $PLAN/m1 ...
# mROUND) covers ADDR, or ADDR is one of its addresses (its own local
# route: the kernel reaches it when the gateway's own table had no route
# to it yet)
plan_covers() {
	_r=1 _files="$PLAN/build"
	while [ "$_r" -le "$2" ]; do _files="$_files $PLAN/m$_r"; _r=$((_r + 1)); done
	# shellcheck disable=SC2086
	cat $_files 2>/dev/null |
	    awk -v a="$1" '
	function ip(s,   o) { split(s, o, "."); return ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4] }
	$1 == "ip" && $2 == "addr" && $3 == "add" {
		split($4, t, "/")
		if (t[1] == a) { f = 1; exit }
	}
	$1 == "ip" && $2 == "route" && ($3 == "add" || $3 == "replace") &&
	    ($4 == "local" || / scope host/) {
		p = $5; l = 32
		if (p == "default") { p = "0.0.0.0"; l = 0 }
		else if (split(p, t, "/") == 2) { p = t[1]; l = t[2] }
		m = 2 ^ (32 - l)
		if (int(ip(a) / m) == int(ip(p) / m)) { f = 1; exit }
	}
	END { exit !f }'
}

# ---- minimizing ----

# segments FILE: the lines after @start cut into runs of commands
# ($WORK/seg.N.sh) and runs of warm-up queries (@q ARGS lines, asked of
# rtcache only: $WORK/seg.N.q), their names printed in order
segments() {
	rm -f "$WORK"/seg.*
	sed '1,/^@start$/d' "$1" | awk -v w="$WORK" '
	{ k = ($0 ~ /^@q /) ? "q" : "sh"; if (k != last) { n++; last = k; print w "/seg." n "." k } }
	k == "q" { sub(/^@q /, "route get "); print > (w "/seg." n ".q"); next }
	{ print > (w "/seg." n ".sh") }'
}

# try_items FILE ARGS SIG: fresh namespace, the commands of FILE before
# the line @start, rtcached, the rest (each run of commands followed by a
# barrier), one query: status 0 when the difference of class SIG is there
try_items() {
	TRIES=$((TRIES + 1))
	ns_fresh
	sed '/^@start$/,$d' "$1" >"$WORK/t.pre"
	run_cmds "$WORK/t.pre"
	daemon_up || { daemon_down; return 1; }
	_b=0
	for _seg in $(segments "$1"); do
		case $_seg in
		*.sh)
			run_cmds "$_seg"
			_b=$((_b + 1))
			barrier $_b || { daemon_down; return 1; }
			sysctl_barrier "$_seg" || { daemon_down; return 1; } ;;
		*.q)
			R -force -b "$_seg" >/dev/null 2>&1 </dev/null ;;
		esac
	done
	ask_ip "$2" >"$WORK/t.k"
	ask_rtc "$2" >"$WORK/t.r"
	daemon_down
	cmp -s "$WORK/t.k" "$WORK/t.r" && return 1
	mp_equal "$2" "$WORK/t.k" "$WORK/t.r" 2>/dev/null && return 1
	[ "$(signature "$2" "$WORK/t.k" "$WORK/t.r")" = "$3" ] || return 1
	cp "$WORK/t.k" "$WORK/t.k.ok"; cp "$WORK/t.r" "$WORK/t.r.ok"
}

# minimize ITEMS ARGS SIG HISTORY: ITEMS shrunk in place (chunks deleted
# while the difference persists; @start stays).  When ITEMS does not
# reproduce it from scratch, HISTORY (the same with the earlier queries
# as @q lines) is tried instead; status 1 when neither does
minimize() {
	_f=$1
	TRIES=0
	# first: can everything happen before the daemon starts?
	{ grep -v '^@start$' "$_f"; echo @start; } >"$WORK/m.cand"
	if try_items "$WORK/m.cand" "$2" "$3"; then
		cp "$WORK/m.cand" "$_f"
	elif try_items "$_f" "$2" "$3"; then
		:
	elif try_items "$4" "$2" "$3"; then
		cp "$4" "$_f"
	else
		return 1
	fi
	_n=$(wc -l <"$_f")
	_chunk=$(( (_n + 1) / 2 ))
	while [ "$_chunk" -ge 1 ] && [ "$TRIES" -lt "${DIFF_MAX_TRIES:-400}" ]; do
		_i=1
		while [ "$_i" -le "$(wc -l <"$_f")" ] && [ "$TRIES" -lt "${DIFF_MAX_TRIES:-400}" ]; do
			awk -v a="$_i" -v b="$((_i + _chunk))" 'FNR < a || FNR >= b || $0 == "@start"' \
			    "$_f" >"$WORK/m.cand"
			if ! cmp -s "$_f" "$WORK/m.cand" && try_items "$WORK/m.cand" "$2" "$3"; then
				cp "$WORK/m.cand" "$_f"
			else
				_i=$((_i + _chunk))
			fi
		done
		[ "$_chunk" = 1 ] && break
		_chunk=$(( (_chunk + 1) / 2 ))
	done
	return 0
}

# write_repro ITEMS ARGS FILE: a runnable script that builds the state,
# starts rtcached, makes the changes (and earlier queries), asks both
write_repro() {
	{
		echo "#!/bin/sh"
		echo "# difftest reproduction; run as root from anywhere"
		echo "B=\${B:-$builddir}"
		echo "NS=rtdiff-repro; S=/tmp/rtdiff-repro.sock"
		echo "ip netns add \$NS"
		echo "ip netns exec \$NS sh -x <<'EOF'"
		sed '/^@start$/,$d' "$1"
		echo "EOF"
		echo "ip netns exec \$NS \"\$B/src/daemon/rtcached\" -f --socket \$S 2>/dev/null & D=\$!"
		echo "\"\$B/tools/rtcd-probe\" -s \$S wait-synced 30"
		for _seg in $(segments "$1"); do
			case $_seg in
			*.sh)
				echo "ip netns exec \$NS sh -x <<'EOF'"
				cat "$_seg"
				echo "EOF"
				echo "sleep 2" ;;	# rtcached polls sysctls every second
			*.q)
				sed 's|^|"$B/src/cli/rtcache" -s $S |; s|$| >/dev/null|' "$_seg" ;;
			esac
		done
		echo "echo '--- ip route get $2'"
		echo "ip -n \$NS route get $2"
		echo "echo '--- rtcache route get $2'"
		echo "\"\$B/src/cli/rtcache\" -s \$S route get $2"
		echo "kill \$D; wait \$D; ip netns del \$NS"
	} >"$3"
	chmod +x "$3"
}

# ---- one state ----

NSTATES=0 NQUERIES=0 NMP=0 NFAIL=0 NKNOWN=0 NDIFF=0
: >"$WORK/classes"	# signature<TAB>count<TAB>first seed
: >"$WORK/queue"	# class number<TAB>round<TAB>signature<TAB>query
CUR_SEED=

# report ARGS KFILE RFILE ROUND: one difference; the first of a class
# is printed in full and queued for minimizing (after the state)
report() {
	_sig=$(signature "$1" "$2" "$3")
	NDIFF=$((NDIFF + 1))
	if _why=$(known_reason "$_sig") ||
	    _why=$(history_reason "$1" "$2" "$3" "$_sig" "$4"); then
		NKNOWN=$((NKNOWN + 1))
		_tag="known: $_why"
	else
		NFAIL=$((NFAIL + 1))
		_tag="FAIL"
	fi
	echo "DIFF seed=$CUR_SEED round=$4 [$_tag] $_sig: route get $1" >>"$OUT/diffs.log"
	# a known difference is a class of its own, apart from failures
	[ "$_tag" = FAIL ] || _sig="$_sig (known)"
	if awk -F '\t' -v s="$_sig" '$1 == s { f = 1 } END { exit !f }' "$WORK/classes"; then
		awk -F '\t' -v s="$_sig" 'BEGIN { OFS = "\t" } $1 == s { $2++ } { print }' \
		    "$WORK/classes" >"$WORK/classes.new" && mv "$WORK/classes.new" "$WORK/classes"
		return
	fi
	printf '%s\t1\t%s\n' "$_sig" "$CUR_SEED" >>"$WORK/classes"
	_n=$(wc -l <"$WORK/classes")
	{
		echo "class $_n: $_sig [$_tag]"
		echo "  seed $CUR_SEED round $4: route get $1"
		sed 's/^/  ip:      /' "$2"
		sed 's/^/  rtcache: /' "$3"
		echo "  replay: $0 --$MODE --seed $CUR_SEED --rounds $ROUNDS --queries $QUERIES$(for x in $EXTRA_X; do printf ' -x %s' "$x"; done)"
	} | tee -a "$OUT/classes.log" | sed 's/^/# /'
	# a known class is not minimized
	[ "$_tag" = FAIL ] && printf '%s\t%s\t%s\t%s\n' "$_n" "$4" "$_sig" "$1" >>"$WORK/queue"
	return 0
}

# minimize_queue: each queued class, minimized over the commands of the
# state's plan up to its round, written as $OUT/repro-N.sh
minimize_queue() {
	[ -s "$WORK/queue" ] || return 0
	[ -n "$MINIMIZE" ] || { : >"$WORK/queue"; return 0; }
	while IFS='	' read -r _qn _qround _qsig _q; do
		{
			cat "$PLAN/build"; echo @start
			_r=1
			while [ "$_r" -le "$_qround" ]; do cat "$PLAN/m$_r"; _r=$((_r + 1)); done
		} >"$WORK/items"
		{
			cat "$PLAN/build"; echo @start
			sed 's/^/@q /' "$PLAN/q0"
			_r=1
			while [ "$_r" -le "$_qround" ]; do
				cat "$PLAN/m$_r"; sed 's/^/@q /' "$PLAN/q$_r"
				_r=$((_r + 1))
			done
		} >"$WORK/hitems"
		_all=$(grep -vc '^@start$' "$WORK/items")
		if minimize "$WORK/items" "$_q" "$_qsig" "$WORK/hitems"; then
			_left=$(grep -vc '^@start$' "$WORK/items")
			grep -q '^@q ' "$WORK/items" &&
			    _all="$_all (and $(grep -c '^@q ' "$WORK/hitems") earlier queries)"
			write_repro "$WORK/items" "$_q" "$OUT/repro-$_qn.sh"
			{
				echo "class $_qn minimized: $_left of $_all commands ($TRIES runs): $OUT/repro-$_qn.sh"
				if [ "$(tail -1 "$WORK/items")" = @start ]; then
					echo "  (no change while rtcached runs is needed)"
				fi
				sed 's/^/    /' "$WORK/items"
				echo "    route get $_q"
				sed 's/^/    ip:      /' "$WORK/t.k.ok"
				sed 's/^/    rtcache: /' "$WORK/t.r.ok"
			} | tee -a "$OUT/classes.log" | sed 's/^/# /'
		else
			echo "class $_qn: not reproduced from scratch in $TRIES runs, with or without the earlier queries: replay the seed" |
			    tee -a "$OUT/classes.log" | sed 's/^/# /'
		fi
	done <"$WORK/queue"
	: >"$WORK/queue"
}

# compare_round QFILE ROUND
compare_round() {
	sed 's/^/route get /' "$1" >"$WORK/batch"
	sed 's/^/route flush cache\nroute get /' "$1" >"$WORK/kbatch"
	# (ask_ip says why the flush; an error names its line of kbatch,
	# twice its line of batch)
	stdbuf -o0 ip -n "$NS" -force -batch "$WORK/kbatch" 2>&1 |
	    awk -v b="$WORK/batch" '/^Command failed / && match($0, /:[0-9]+$/) {
		print "Command failed " b ":" substr($0, RSTART + 1) / 2; next }
	    { print }' >"$WORK/k.out"
	stdbuf -o0 "$CLI" -s "$SOCK" -force -b "$WORK/batch" >"$WORK/r.out" 2>&1
	NQUERIES=$((NQUERIES + $(wc -l <"$1")))
	cmp -s "$WORK/k.out" "$WORK/r.out" && return 0
	# which answers differ: an answer ends with its cache line, or with
	# the batch's "Command failed" line after an error; when the outputs
	# cannot be cut so, every query is asked again
	awk -v n="$(wc -l <"$1")" '
	FNR == 1 { if (f) c[f] = i - 1; f++; i = 1 }
	{ a[f, i] = a[f, i] $0 "\n" }
	/^    cache/ || /^Command failed / { i++ }
	END {
		c[f] = i - 1
		if (c[1] != n || c[2] != n) {
			for (i = 1; i <= n; i++) print i
			exit
		}
		for (i = 1; i <= n; i++) if (a[1, i] != a[2, i]) print i
	}' "$WORK/k.out" "$WORK/r.out" >"$WORK/which"
	_found=0
	while IFS= read -r _i; do
		_q=$(sed -n "${_i}p" "$1")
		ask_ip "$_q" >"$WORK/q.k"
		ask_rtc "$_q" >"$WORK/q.r"
		cmp -s "$WORK/q.k" "$WORK/q.r" && continue
		_found=1
		if mp_equal "$_q" "$WORK/q.k" "$WORK/q.r"; then
			NMP=$((NMP + 1))
			continue
		fi
		report "$_q" "$WORK/q.k" "$WORK/q.r" "$2"
	done <"$WORK/which"
	if [ $_found = 0 ]; then
		# the batch differs though no single answer does
		{ echo "batch-only difference, seed $CUR_SEED round $2:"; diff "$WORK/k.out" "$WORK/r.out" | head -10; } |
		    tee -a "$OUT/classes.log" | sed 's/^/# /'
		NFAIL=$((NFAIL + 1))
	fi
}

# compare_show ROUND: listings (with --show)
compare_show() {
	for _w in "route show table all|-4 route show table all" "rule show|rule show" "nexthop show|nexthop show"; do
		_sr=${_w%%|*}; _sk=${_w#*|}
		N $_sk >"$WORK/s.k" 2>&1
		R $_sr >"$WORK/s.r" 2>&1
		cmp -s "$WORK/s.k" "$WORK/s.r" && continue
		_sig="show: $_sr"
		if ! grep -qF "$_sig	" "$WORK/classes"; then
			printf '%s\t1\t%s\n' "$_sig" "$CUR_SEED" >>"$WORK/classes"
			{ echo "DIFF seed=$CUR_SEED round=$1 $_sig"; diff "$WORK/s.k" "$WORK/s.r" | head -8; } |
			    tee -a "$OUT/diffs.log" | sed 's/^/# /'
		fi
		NDIFF=$((NDIFF + 1)); NFAIL=$((NFAIL + 1))
	done
}

# run_state SEED
run_state() {
	CUR_SEED=$1
	PLAN=$WORK/plan
	rm -rf "$PLAN"
	# shellcheck disable=SC2086
	"$GEN" $XARGS -r "$ROUNDS" -q "$QUERIES" -o "$PLAN" "$1" || fail "diffgen $1"
	ns_fresh
	run_cmds "$PLAN/build"
	if ! daemon_up; then
		echo "DIFF seed=$1: rtcached did not sync" | tee -a "$OUT/diffs.log" | sed 's/^/# /'
		NFAIL=$((NFAIL + 1))
		return
	fi
	NSTATES=$((NSTATES + 1))
	_r=0
	while [ $_r -le "$ROUNDS" ]; do
		if [ $_r -gt 0 ]; then
			run_cmds "$PLAN/m$_r"
			if ! barrier $_r || ! sysctl_barrier "$PLAN/m$_r"; then
				echo "DIFF seed=$1 round=$_r: rtcached did not catch up in $SYNC_BOUND s" |
				    tee -a "$OUT/diffs.log" | sed 's/^/# /'
				NFAIL=$((NFAIL + 1))
				break
			fi
		fi
		compare_round "$PLAN/q$_r" $_r
		[ -n "$SHOW" ] && compare_show $_r
		_r=$((_r + 1))
	done
	if [ -n "$PID" ] && ! daemon_down; then
		echo "DIFF seed=$1: rtcached did not stop cleanly" | tee -a "$OUT/diffs.log" | sed 's/^/# /'
		NFAIL=$((NFAIL + 1))
	fi
	minimize_queue
}

: >"$OUT/diffs.log"; : >"$OUT/classes.log"
T0=$(now)
note "mode $MODE: rounds $ROUNDS, queries $QUERIES a round, duration ${DURATION}s"
[ -z "$XOPTS$EXTRA_X" ] || note "without:" $XOPTS $EXTRA_X
if [ -n "$SEED" ]; then
	run_state "$SEED"
else
	i=0
	while [ $i -lt "$STATES" ] && [ $(( $(now) - T0 )) -lt "$DURATION" ]; do
		run_state $((BASE + i))
		i=$((i + 1))
	done
fi
T=$(( $(now) - T0 ))
note "$NSTATES states, $NQUERIES queries in ${T}s (seeds from ${SEED:-$BASE}); $NMP multipath answers equal but for the leg"
if [ -s "$WORK/classes" ]; then
	note "classes of difference (count, first seed):"
	awk -F '\t' '{ printf "#   %5d  seed %-12s %s\n", $2, $3, $1 }' "$WORK/classes"
fi
[ "$OUT" = "$WORK" ] || note "logs: $OUT/classes.log (each class, minimized), $OUT/diffs.log (every difference)"
[ $NKNOWN = 0 ] || note "$NKNOWN known differences (not failures)"
if [ $NFAIL -gt 0 ]; then
	[ "$OUT" = "$WORK" ] && RTCD_KEEP=1 && note "work directory kept: $WORK"
	echo "FAIL: $NFAIL differences"
	exit 1
fi
echo "ok - $NSTATES random states, $NQUERIES queries: rtcache answers as ip"
exit 0
