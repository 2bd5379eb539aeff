/* SPDX-License-Identifier: MIT */
/*
 * fibmatch.c - `ip route get ... fibmatch`: the FIB entry behind an
 * answer, as the kernel's RTM_F_FIB_MATCH reply gives it
 * (inet_rtm_getroute): the entry's prefix, tos and fib_info, in the
 * table the answer names, with the answer's type.
 *
 * The route cache keeps no FIB result, so the lookup the slow path made
 * for the flow is made again with the flow it used: on output the flow
 * as asked, from loopback; on input the flow rules see there (root's
 * uid; protocol and ports only while some rule needs them).  The paths
 * of route.c that make no FIB lookup (0.0.0.0, a multicast or limited
 * broadcast destination sent from a source or by a given device, a
 * broadcast arriving) have no entry, and neither has an answer made up
 * for a given oif when the lookup failed: that is EHOSTUNREACH, the
 * kernel's fib_props error for an entry-less answer.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "rtcache/compiler.h"
#include "rtcache/fib.h"
#include "rtcache/netdev.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "embed/lookup.h"

#define IPTOS_RT_MASK	0x1c

static bool
is_multicast(uint32_t a)
{
	return (ntohl(a) & 0xf0000000) == 0xe0000000;
}

static bool
is_local_multicast(uint32_t a)
{
	return (ntohl(a) & 0xffffff00) == 0xe0000000;
}

static bool
is_lbcast(uint32_t a)
{
	return a == 0xffffffff;
}

/* The output lookup of ip_route_output_slow, or false when it makes none. */
static bool
output_flow(const struct flowi4 *in, const struct rtable *rt,
    struct flowi4 *fl4)
{
	uint32_t d = in->daddr, s = in->saddr;

	if (d == 0)
		return false;
	if (s != 0 && in->flowi4_oif == 0 && (is_multicast(d) ||
	    is_lbcast(d)))
		return false;
	if (in->flowi4_oif != 0 && (is_local_multicast(d) || is_lbcast(d) ||
	    in->flowi4_proto == IPPROTO_IGMP))
		return false;
	*fl4 = *in;
	fl4->flowi4_tos &= IPTOS_RT_MASK;
	fl4->flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4->flowi4_iif = netdev_loopback_index();
	/* a multicast destination by a given device: its source first */
	if (s == 0 && in->flowi4_oif != 0 && is_multicast(d))
		fl4->saddr = rt->rt_src;
	return true;
}

/* The input lookup of ip_route_input_slow, or false when it makes none. */
static bool
input_flow(const struct flowi4 *in, int iif, struct flowi4 *fl4)
{
	if (is_lbcast(in->daddr) || (in->saddr == 0 && in->daddr == 0))
		return false;
	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = in->daddr;
	fl4->saddr = in->saddr;
	fl4->flowi4_iif = iif;
	fl4->flowi4_mark = in->flowi4_mark;
	fl4->flowi4_tos = in->flowi4_tos & IPTOS_RT_MASK;
	fl4->flowi4_scope = RT_SCOPE_UNIVERSE;
	if (READ_ONCE(fib_rules_flow_dissect)) {
		fl4->flowi4_proto = in->flowi4_proto;
		fl4->fl4_sport = in->fl4_sport;
		fl4->fl4_dport = in->fl4_dport;
	}
	return true;
}

/**
 * fibmatch_text - the entry behind @rt, the answer for @fl4 (input when
 * @iif), as `ip route show` prints it, into *@text (malloc'ed), and its
 * prefsrc (0: none) into *@prefsrc.
 * Return: 0, -EHOSTUNREACH (no entry), -ENOMEM or -EMSGSIZE.
 */
int
fibmatch_text(const struct flowi4 *fl4, int iif, const struct rtable *rt,
    char **text, uint32_t *prefsrc)
{
	struct fib_result res;
	struct flowi4 fl;
	size_t len = 0;
	FILE *out;
	int err;

	*text = NULL;
	if (!(iif ? input_flow(fl4, iif, &fl) : output_flow(fl4, rt, &fl)))
		return -EHOSTUNREACH;
	memset(&res, 0, sizeof(res));
	if (fib_lookup(&fl, &res) != 0 || res.fi == NULL)
		return -EHOSTUNREACH;
	*prefsrc = res.fi->fib_prefsrc;
	if ((out = open_memstream(text, &len)) == NULL)
		return -ENOMEM;
	err = fib_dump_result(out, &res, rt->rt_type, rt->rt_table);
	if (fclose(out) != 0 && err == 0)
		err = -ENOMEM;
	if (err == 0 && len >= RTC_FIB_MAX)
		err = -EMSGSIZE;
	if (err != 0) {
		free(*text);
		*text = NULL;
	}
	return err;
}
