/* SPDX-License-Identifier: MIT */
/*
 * fib_text.h - a test helper: the FIB in text.  It owns the compact
 * `ip`-like command language that tests use to build FIB states (routes,
 * rules, nexthops, links, addresses) on top of rtcache/fib.h.  It is not
 * part of librtcore: tests link tests/support/libtestsupport.a, and
 * nothing under src/ or bench/ includes this header.  The opposite
 * direction, the FIB printed as `ip route show` text, is the daemon's own
 * (fib_dump_routes and friends in rtcache/fib.h).
 */
#ifndef RTCACHE_TESTS_FIB_TEXT_H
#define RTCACHE_TESTS_FIB_TEXT_H

#include "rtcache/fib.h"

/*
 * Compact route text (`ip` syntax, without the `ip route add` in front):
 *   [TYPE] PREFIX [tos T] [via GW] [dev NAME] [metric N] [table ID]
 *       [proto P] [scope S] [src A] [onlink] [mtu N] [advmss N]
 *       [features ecn|N] [nhid N]
 *       [nexthop via GW [dev NAME] [weight W] [onlink]]...
 *   PREFIX is A.B.C.D[/LEN] or "default".
 * fib_parse_route fills @cfg (fib_config_init defaults, NLM_F_CREATE |
 * NLM_F_EXCL); devices are resolved by name through netdev.
 */
int	 fib_parse_route(const char *text, struct fib_config *cfg);
/*   [not] [from P] [to P] [tos T] [fwmark M[/MASK]] [iif D] [oif D]
 *   [ipproto N|NAME] [sport A[-B]|P/MASK] [dport A[-B]|P/MASK]
 *   [uidrange A-B] [pref N]
 *   [l3mdev] [tun_id N] [realms [FROM/]TO] [proto P]
 *   (lookup|table) T | goto N | nop | blackhole | unreachable |
 *   prohibit  [suppress_prefixlength N] [suppress_ifgroup G] */
int	 fib_parse_rule(const char *text, struct fib_rule_cfg *cfg);
/*   id N (via GW dev D [onlink] | dev D | blackhole | group A[,W]/B...) */
int	 fib_parse_nexthop(const char *text, struct fib_nexthop_cfg *cfg);
/*
 * fib_exec: one command line, for building test states quickly:
 *   route add|append|prepend|replace|change|del ROUTE
 *   rule add|del RULE         nexthop add|replace|del NH
 *   link add NAME index N [up] [nocarrier] | link set NAME up|down|
 *       carrier on|off | link del NAME
 *   addr add|del A.B.C.D/LEN dev NAME [brd B] [scope S]
 *   (addr and link commands pass FIB_EV_KERNEL_ROUTES)
 * A line without a leading keyword is "route add".  Returns -errno.
 */
int	 fib_exec(const char *line);

#endif /* RTCACHE_TESTS_FIB_TEXT_H */
