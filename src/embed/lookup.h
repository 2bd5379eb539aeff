/* SPDX-License-Identifier: MIT */
/*
 * embed/lookup.h - one flow (struct rtc_flow) in, its answer (struct
 * rtc_result) out, as the kernel's inet_rtm_getroute answers
 * RTM_GETROUTE: the route cache's ip_route_output_key or
 * ip_route_input_key, and the rtable turned into what rt_fill_info()
 * would send.  Moved here from src/daemon/dispatch.c so that rtcached's
 * dispatcher and librtcache's embedded mode (src/embed/embed.c) answer
 * with the same code.
 *
 * The functions are static, in this header, and each of the two users
 * includes it once: the compiler inlines the lookup (and its inline hit
 * path, rtcache/route_hit.h) into the user's batch loop as it did when
 * this was dispatch.c's own code, and compiles it with the user's flags
 * (the daemon's: a program's; librtcache's: position-independent).
 * fibmatch_text() is out of line, in fibmatch.c.
 *
 * The caller is a registered QSBR thread, online; results stay valid
 * until its next quiescent state (the fibmatch text: until its next
 * fibmatch lookup on the thread).
 */
#ifndef RTCACHE_EMBED_LOOKUP_H
#define RTCACHE_EMBED_LOOKUP_H

#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "base/clock.h"
#include "rtcache/compiler.h"
#include "rtcache/fib.h"
#include "rtcache/netdev.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"

struct flowi4;
struct rtable;

/* fibmatch.c: `route get ... fibmatch`, the FIB entry behind an answer. */
int	 fibmatch_text(const struct flowi4 *fl4, int iif,
	    const struct rtable *rt, char **text, uint32_t *prefsrc);

/* each user calls some of these, not necessarily all */
#define LOOKUP_FN	static __attribute__((unused))

#define INVALID_UID	0xffffffffU

LOOKUP_FN int
flow_dev(const char *name, uint32_t index, int has_name, int has_index)
{
	struct net_device *dev;
	unsigned int n;

	if (has_name) {
		/*
		 * iproute2's ll_name_to_index: the name, else "ifN" read
		 * as index N (sscanf's "if%u"); a name it cannot resolve
		 * is its `Cannot find device`, before asking the kernel
		 * (-ENOENT here), an index that names no device the
		 * kernel's ENODEV.
		 */
		if ((dev = netdev_get_by_name(name)) == NULL) {
			if (sscanf(name, "if%u", &n) != 1 || n == 0)
				return -ENOENT;
			if (has_index && n != index)
				return -ENODEV;
			index = n;
			has_index = 1;
		} else if (has_index && (uint32_t)dev->ifindex != index)
			return -ENODEV;
		else
			return dev->ifindex;
	}
	if (has_index) {
		if (index > 0x7fffffff || netdev_get_by_index((int)index) ==
		    NULL)
			return -ENODEV;
		return (int)index;
	}
	return 0;
}

/* `vrf NAME`: iproute2's name_is_vrf(), a device of kind vrf. */
LOOKUP_FN int
flow_dev_is_vrf(int ifindex)
{
	struct net_device *dev;

	return ifindex > 0 && (dev = netdev_get_by_index(ifindex)) != NULL &&
	    netif_is_l3_master(dev);
}

LOOKUP_FN void
result_fill(const struct rtc_flow *fl, const struct flowi4 *fl4, int iif,
    const struct rtable *rt, struct rtc_result *res)
{
	struct net_device *dev = rt->dst.dev;
	uint32_t now, x;
	int i;

	res->present |= RTC_RES_F_DST | RTC_RES_F_TYPE | RTC_RES_F_TABLE |
	    RTC_RES_F_FLAGS;
	res->dst = fl->dst;
	res->type = rt->rt_type;
	res->table = rt->rt_table;
	res->flags = rt->rt_flags;
	if (fl4->saddr != 0) {
		res->present |= RTC_RES_F_SRC;
		res->src = fl4->saddr;
	}
	if (dev != NULL) {
		res->present |= RTC_RES_F_OIF | RTC_RES_F_OIFNAME;
		res->oif = (uint32_t)dev->ifindex;
		memcpy(res->oifname, dev->name, sizeof(res->oifname));
		res->oifname[sizeof(res->oifname) - 1] = '\0';
	}
	if (iif == 0 && rt->rt_src != fl4->saddr) {
		res->present |= RTC_RES_F_PREFSRC;
		res->prefsrc = rt->rt_src;
	}
	if (rt->rt_gateway != 0) {
		res->present |= RTC_RES_F_GATEWAY;
		res->gateway = rt->rt_gateway;
	}
	if (rt->dst.expires != 0) {
		now = (uint32_t)(clock_mono_ns() / 1000000);
		x = rt->dst.expires - now;
		res->present |= RTC_RES_F_EXPIRES;
		res->expires = (int32_t)x > 0 ? x / 1000 : 0;
	}
	if (rt->dst._metrics != NULL)
		for (i = 1; i <= RTAX_MAX && i <= RTC_METRIC_MAX; i++)
			if (rt->dst._metrics[i - 1] != 0) {
				res->present |= RTC_RES_F_METRICS;
				res->metrics_set |= 1U << i;
				res->metrics[i] = rt->dst._metrics[i - 1];
			}
	if (fl4->flowi4_mark != 0) {
		res->present |= RTC_RES_F_MARK;
		res->mark = fl4->flowi4_mark;
	}
	if (fl4->flowi4_uid != INVALID_UID) {
		res->present |= RTC_RES_F_UID;
		res->uid = fl4->flowi4_uid;
	}
	if (iif != 0) {
		struct net_device *idev = netdev_get_by_index(iif);

		res->present |= RTC_RES_F_IIF;
		res->iif = (uint32_t)iif;
		if (idev != NULL) {
			res->present |= RTC_RES_F_IIFNAME;
			memcpy(res->iifname, idev->name,
			    sizeof(res->iifname));
			res->iifname[sizeof(res->iifname) - 1] = '\0';
		}
	}
	if ((res->tos = rt->rt_tos) != 0)
		res->present |= RTC_RES_F_TOS;
	if ((res->flow = rt->rt_tclassid) != 0)
		res->present |= RTC_RES_F_FLOW;
}

/*
 * The packet inet_rtm_getroute builds for the lookup: UDP unless told
 * otherwise, its ports in a TCP or UDP header only
 * (inet_rtm_getroute_build_skb), which is where an input lookup finds
 * them; an output lookup takes the flow's ports as they were given.
 */
LOOKUP_FN void
flow_l4(const struct rtc_flow *fl, int input, struct flowi4 *fl4)
{
	fl4->flowi4_proto = (fl->present & RTC_FLOW_F_PROTO) ? fl->proto :
	    IPPROTO_UDP;
	fl4->fl4_sport = (fl->present & RTC_FLOW_F_SPORT) ? fl->sport : 0;
	fl4->fl4_dport = (fl->present & RTC_FLOW_F_DPORT) ? fl->dport : 0;
	if (input && fl4->flowi4_proto != IPPROTO_TCP &&
	    fl4->flowi4_proto != IPPROTO_UDP)
		fl4->fl4_sport = fl4->fl4_dport = 0;
}

/* A fibmatch answer's text, until the next lookup on this thread. */
static __thread char *fib_text;

/* The calling thread is done looking up: frees its fibmatch text. */
LOOKUP_FN void
route_get_thread_exit(void)
{
	free(fib_text);
	fib_text = NULL;
}

/*
 * fibmatch: the entry behind the answer instead of the answer, with the
 * entry's prefsrc (the kernel's RTA_PREFSRC, which `connected` reads).
 */
LOOKUP_FN void
result_fibmatch(const struct flowi4 *fl4, int iif, const struct rtable *rt,
    struct rtc_result *res)
{
	uint32_t prefsrc = 0;
	int err;

	free(fib_text);
	if ((err = fibmatch_text(fl4, iif, rt, &fib_text, &prefsrc)) < 0) {
		res->present = RTC_RES_F_ERROR;
		res->error = (uint32_t)-err;
		return;
	}
	res->present = RTC_RES_F_FIB;
	res->fib = fib_text;
	if (prefsrc != 0) {
		res->present |= RTC_RES_F_PREFSRC;
		res->prefsrc = prefsrc;
	}
}

/* inet_rtm_getroute's rtm_getroute_parse_ip_proto: tcp, udp, icmp. */
LOOKUP_FN int
flow_proto_ok(const struct rtc_flow *fl)
{
	return !(fl->present & RTC_FLOW_F_PROTO) ||
	    fl->proto == IPPROTO_TCP || fl->proto == IPPROTO_UDP ||
	    fl->proto == IPPROTO_ICMP;
}

/**
 * route_get_flow - one flow, as the kernel's inet_rtm_getroute answers it.
 *
 * An ipproto other than tcp, udp and icmp is EOPNOTSUPP, with the
 * kernel's message.  A `vrf` that is not a VRF is EINVAL with ip's
 * message (iproute2 refuses it before asking; `vrf NAME` is `oif
 * NAME`).  A device name that names no device (nor "ifN") is ENODEV
 * with RTC_ERRMSG_NO_IIF or RTC_ERRMSG_NO_OIF, before anything else
 * but the VRF check: iproute2's `Cannot find device`; an index that
 * names none is ENODEV, the kernel's, after the ipproto check;
 * ip_route_input's drops all read EINVAL; a reject route (an rtable
 * carrying dst.error) is its own errno.  Output lookups use @uid (the
 * daemon: the peer's) unless the flow names one; input lookups report
 * the uid named but match rules as the kernel's, with root's.
 */
LOOKUP_FN void
route_get_flow(const struct rtc_flow *fl, uint32_t uid, struct rtc_result *res)
{
	struct flowi4 fl4;
	struct rtable *rt = NULL;
	int iif, oif, err;

	memset(res, 0, sizeof(*res));
	memset(&fl4, 0, sizeof(fl4));
	oif = flow_dev(fl->oifname, fl->oif, !!(fl->present &
	    RTC_FLOW_F_OIFNAME), !!(fl->present & RTC_FLOW_F_OIF));
	if ((fl->present & RTC_FLOW_F_VRF) && !flow_dev_is_vrf(oif)) {
		res->present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
		res->error = EINVAL;
		res->errmsg = RTC_ERRMSG_INVALID_VRF;
		return;
	}
	iif = flow_dev(fl->iifname, fl->iif, !!(fl->present &
	    RTC_FLOW_F_IIFNAME), !!(fl->present & RTC_FLOW_F_IIF));
	/* ip resolves iif, then oif, before it asks the kernel */
	if (iif == -ENOENT || oif == -ENOENT) {
		res->present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
		res->error = ENODEV;
		res->errmsg = iif == -ENOENT ? RTC_ERRMSG_NO_IIF :
		    RTC_ERRMSG_NO_OIF;
		return;
	}
	if (!flow_proto_ok(fl)) {
		res->present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
		res->error = EOPNOTSUPP;
		res->errmsg = "Unsupported ip proto";
		return;
	}
	if (iif < 0 || oif < 0) {
		err = -ENODEV;
		goto fail;
	}
	fl4.daddr = fl->dst;
	fl4.saddr = (fl->present & RTC_FLOW_F_SRC) ? fl->src : 0;
	fl4.flowi4_oif = oif;
	fl4.flowi4_tos = (fl->present & RTC_FLOW_F_TOS) ? fl->tos : 0;
	fl4.flowi4_mark = (fl->present & RTC_FLOW_F_MARK) ? fl->mark : 0;
	flow_l4(fl, iif != 0, &fl4);
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	if (fl->present & RTC_FLOW_F_UID)
		fl4.flowi4_uid = fl->uid;
	else
		fl4.flowi4_uid = iif ? INVALID_UID : uid;
	if (iif) {
		/* the uid is only reported: input rules see root's */
		fl4.flowi4_iif = iif;
		err = ip_route_input_key(&fl4, &rt);
		if (err < 0)
			err = -EINVAL;
		else if (rt->dst.error != 0) {
			err = -rt->dst.error;
			res->present |= RTC_RES_F_TYPE | RTC_RES_F_TABLE;
			res->type = rt->rt_type;
			res->table = rt->rt_table;
		}
	} else {
		fl4.flowi4_iif = netdev_loopback_index();
		err = ip_route_output_key(&fl4, &rt);
	}
	if (err < 0)
		goto fail;
	if (fl->present & RTC_FLOW_F_FIBMATCH)
		result_fibmatch(&fl4, iif, rt, res);
	else
		result_fill(fl, &fl4, iif, rt, res);
	return;
fail:
	res->present |= RTC_RES_F_ERROR;
	res->error = (uint32_t)-err;
}

/* Prefetch stage @stage of an output flow's lookup (input flows: none). */
LOOKUP_FN void
route_get_prefetch(const struct rtc_flow *fl, int stage)
{
	struct flowi4 fl4;

	if (fl->present & (RTC_FLOW_F_IIF | RTC_FLOW_F_IIFNAME))
		return;
	fl4.daddr = fl->dst;
	fl4.saddr = (fl->present & RTC_FLOW_F_SRC) ? fl->src : 0;
	fl4.flowi4_oif = (fl->present & RTC_FLOW_F_OIF) ? (int)fl->oif : 0;
	rt_prefetch_output(&fl4, stage);
}

/*
 * The software pipeline of a batch of @n flows: a flow's cache bucket
 * and FIB summary are fetched ROUTE_GET_PF_DIST flows before its zone
 * bucket, and that ROUTE_GET_PF_DIST flows before its lookup, so the
 * misses of many flows overlap.  Step @i runs from 0 to
 * n + 2 * ROUTE_GET_PF_DIST - 1.  Return: the flow to look up now, or
 * -1 while the pipeline fills.
 */
#define ROUTE_GET_PF_DIST	8
#define ROUTE_GET_STEPS(n)	((n) + 2 * ROUTE_GET_PF_DIST)

LOOKUP_FN long
route_get_pipeline_step(const struct rtc_flow *flows, size_t n, size_t i)
{
	if (i < n)
		route_get_prefetch(&flows[i], 0);
	if (i >= ROUTE_GET_PF_DIST && i - ROUTE_GET_PF_DIST < n)
		route_get_prefetch(&flows[i - ROUTE_GET_PF_DIST], 1);
	return i < 2 * ROUTE_GET_PF_DIST ? -1 :
	    (long)(i - 2 * ROUTE_GET_PF_DIST);
}

#endif /* RTCACHE_EMBED_LOOKUP_H */
