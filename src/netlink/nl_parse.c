/* SPDX-License-Identifier: MIT */
/*
 * nl_parse.c - rtnetlink message parser: links, IPv4 addresses, netconf,
 * IPv4 routes, rules and nexthop objects into struct nl_msg.
 *
 * Every message is checked before anything is filled in: the fixed header
 * must fit, every attribute must lie inside the message and have the
 * length its type demands, and the attributes must use up the payload
 * exactly.  A message that fails any check is rejected whole with
 * -EBADMSG (or -E2BIG for more multipath legs than the FIB holds), so a
 * caller never sees half an object.  Attribute types are read with
 * NLA_F_NESTED and NLA_F_NET_BYTEORDER masked; unknown attributes are
 * skipped.  Things that are valid but not ours (IPv6, bridge links,
 * cached exceptions) return a positive NLS_* code and are dropped quietly
 * by the caller.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netconf.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/fib_rules.h>

#include "netlink/nl_parse.h"

/* Attribute policies: what length a type must have. */
enum {
	P_SKIP = 0,	/* not used: ignored whatever its length */
	P_U8,
	P_U16,
	P_U32,
	P_U64,
	P_FLAG,
	P_STR,		/* NUL-terminated, at most .len bytes with the NUL */
	P_MIN,		/* at least .len bytes */
	P_NEST,		/* nested attributes (checked when walked) */
};

struct nl_pol {
	uint8_t		 kind;
	uint16_t	 len;
};

#define NLA_HDR		((int)NLA_ALIGN(sizeof(struct nlattr)))

static int
nl_pol_ok(const struct nlattr *a, const struct nl_pol *p)
{
	size_t n = a->nla_len - NLA_HDR;
	const char *d = (const char *)a + NLA_HDR;

	switch (p->kind) {
	case P_U8:	return n == 1;
	case P_U16:	return n == 2;
	case P_U32:	return n == 4;
	case P_U64:	return n == 8;
	case P_FLAG:	return n == 0;
	case P_STR:
		return n > 0 && n <= p->len && memchr(d, '\0', n) != NULL;
	case P_MIN:	return n >= p->len;
	case P_NEST:	return 1;
	default:	return 1;
	}
}

/*
 * nl_attrs - walk the attributes in [start, start+len) into tb[0..max].
 * Return: 0, or -EBADMSG when an attribute overruns, is shorter than its
 * header or its policy, or bytes are left over.
 */
static int
nl_attrs(const void *start, size_t len, const struct nl_pol *pol,
    unsigned int max, const struct nlattr **tb)
{
	const char *p = start;
	unsigned int type;

	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len >= (size_t)NLA_HDR) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t step;

		if (a->nla_len < NLA_HDR || a->nla_len > len)
			return -EBADMSG;
		type = a->nla_type & NLA_TYPE_MASK;
		if (type <= max && pol[type].kind != P_SKIP) {
			if (!nl_pol_ok(a, &pol[type]))
				return -EBADMSG;
			tb[type] = a;
		}
		step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return len == 0 ? 0 : -EBADMSG;
}

static const void *
nla_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDR;
}

static size_t
nla_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDR;
}

static uint32_t
nla_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

static uint8_t
nla_u8(const struct nlattr *a)
{
	return *(const uint8_t *)nla_data(a);
}

/* Payload of @nlh after a fixed header of @hdrlen bytes, or NULL. */
static const void *
nl_payload(const struct nlmsghdr *nlh, size_t hdrlen, size_t *attrlen)
{
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;

	if (nlh->nlmsg_len < NLMSG_HDRLEN || plen < hdrlen)
		return NULL;
	hdrlen = NLMSG_ALIGN(hdrlen);
	*attrlen = plen > hdrlen ? plen - hdrlen : 0;
	return (const char *)nlh + NLMSG_HDRLEN + hdrlen;
}

/* ------------------------------------------------------------------ */
/* Links.                                                              */

static const struct nl_pol link_pol[IFLA_MAX + 1] = {
	[IFLA_IFNAME]	= { P_STR, IFNAMSIZ },
	[IFLA_MTU]	= { P_U32, 0 },
	[IFLA_MASTER]	= { P_U32, 0 },
	[IFLA_GROUP]	= { P_U32, 0 },
	[IFLA_OPERSTATE] = { P_U8, 0 },
	[IFLA_CARRIER]	= { P_U8, 0 },
};

static int
nl_parse_link(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	struct nl_link *l = &m->u.link;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*ifi), &alen)) == NULL)
		return -EBADMSG;
	if (ifi->ifi_family != AF_UNSPEC)
		return NLS_FAMILY;	/* AF_BRIDGE port events and such */
	if ((rv = nl_attrs(attrs, alen, link_pol, IFLA_MAX, tb)) < 0)
		return rv;
	if (ifi->ifi_index <= 0)
		return -EBADMSG;
	m->kind = NLK_LINK;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME] != NULL)
		strncpy(l->name, nla_data(tb[IFLA_IFNAME]), NETDEV_NAMSIZ - 1);
	else if (!m->del)
		return -EBADMSG;	/* a new link always has a name */
	if (tb[IFLA_MASTER] != NULL)
		l->master = (int)nla_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_MTU] != NULL)
		l->mtu = nla_u32(tb[IFLA_MTU]);
	if (tb[IFLA_GROUP] != NULL) {
		l->group = nla_u32(tb[IFLA_GROUP]);
		l->has_group = 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPv4 addresses.                                                     */

static const struct nl_pol addr_pol[IFA_MAX + 1] = {
	[IFA_ADDRESS]	= { P_U32, 0 },
	[IFA_LOCAL]	= { P_U32, 0 },
	[IFA_BROADCAST]	= { P_U32, 0 },
	[IFA_LABEL]	= { P_STR, IFNAMSIZ },
	[IFA_FLAGS]	= { P_U32, 0 },
};

static int
nl_parse_addr(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct ifaddrmsg *ifa = NLMSG_DATA(nlh);
	struct nl_addr *a = &m->u.addr;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*ifa), &alen)) == NULL)
		return -EBADMSG;
	if (ifa->ifa_family != AF_INET)
		return NLS_FAMILY;
	if ((rv = nl_attrs(attrs, alen, addr_pol, IFA_MAX, tb)) < 0)
		return rv;
	if (ifa->ifa_prefixlen > 32 || ifa->ifa_index == 0)
		return -EBADMSG;
	if (tb[IFA_LOCAL] == NULL && tb[IFA_ADDRESS] == NULL)
		return -EBADMSG;
	m->kind = NLK_ADDR;
	a->ifindex = (int)ifa->ifa_index;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	/* One of LOCAL/ADDRESS may be missing: it is then the other. */
	a->local = nla_u32(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS]);
	a->address = nla_u32(tb[IFA_ADDRESS] ? tb[IFA_ADDRESS] : tb[IFA_LOCAL]);
	if (tb[IFA_BROADCAST] != NULL)
		a->broadcast = nla_u32(tb[IFA_BROADCAST]);
	if (tb[IFA_FLAGS] != NULL)
		a->flags = nla_u32(tb[IFA_FLAGS]);
	if (tb[IFA_LABEL] != NULL)
		strncpy(a->label, nla_data(tb[IFA_LABEL]), NETDEV_NAMSIZ - 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Per-device settings (RTM_NEWNETCONF, AF_INET).                      */

static const struct nl_pol conf_pol[NETCONFA_MAX + 1] = {
	[NETCONFA_IFINDEX]	= { P_U32, 0 },
	[NETCONFA_FORWARDING]	= { P_U32, 0 },
	[NETCONFA_RP_FILTER]	= { P_U32, 0 },
	[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN] = { P_U32, 0 },
};

static int
nl_parse_netconf(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[NETCONFA_MAX + 1];
	const struct netconfmsg *ncm = NLMSG_DATA(nlh);
	struct nl_netconf *c = &m->u.conf;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*ncm), &alen)) == NULL)
		return -EBADMSG;
	if (ncm->ncm_family != AF_INET)
		return NLS_FAMILY;
	if ((rv = nl_attrs(attrs, alen, conf_pol, NETCONFA_MAX, tb)) < 0)
		return rv;
	if (tb[NETCONFA_IFINDEX] == NULL)
		return -EBADMSG;
	m->kind = NLK_NETCONF;
	c->ifindex = (int)nla_u32(tb[NETCONFA_IFINDEX]);
	if (tb[NETCONFA_FORWARDING] != NULL) {
		c->forwarding = (int)nla_u32(tb[NETCONFA_FORWARDING]);
		c->present |= NLC_FORWARDING;
	}
	if (tb[NETCONFA_RP_FILTER] != NULL) {
		c->rp_filter = (int)nla_u32(tb[NETCONFA_RP_FILTER]);
		c->present |= NLC_RP_FILTER;
	}
	if (tb[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN] != NULL) {
		c->ignore_linkdown =
		    (int)nla_u32(tb[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN]);
		c->present |= NLC_IGNORE_LINKDOWN;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPv4 routes.                                                        */

static const struct nl_pol route_pol[RTA_MAX + 1] = {
	[RTA_DST]	= { P_U32, 0 },
	[RTA_SRC]	= { P_U32, 0 },
	[RTA_IIF]	= { P_U32, 0 },
	[RTA_OIF]	= { P_U32, 0 },
	[RTA_GATEWAY]	= { P_U32, 0 },
	[RTA_PRIORITY]	= { P_U32, 0 },
	[RTA_PREFSRC]	= { P_U32, 0 },
	[RTA_METRICS]	= { P_NEST, 0 },
	[RTA_MULTIPATH]	= { P_MIN, sizeof(struct rtnexthop) },
	[RTA_FLOW]	= { P_U32, 0 },
	[RTA_TABLE]	= { P_U32, 0 },
	[RTA_VIA]	= { P_MIN, sizeof(uint16_t) },
	[RTA_ENCAP_TYPE] = { P_U16, 0 },
	[RTA_ENCAP]	= { P_NEST, 0 },
	[RTA_NH_ID]	= { P_U32, 0 },
};

static const struct nl_pol leg_pol[RTA_MAX + 1] = {
	[RTA_GATEWAY]	= { P_U32, 0 },
	[RTA_VIA]	= { P_MIN, sizeof(uint16_t) },
	[RTA_FLOW]	= { P_U32, 0 },
	[RTA_ENCAP_TYPE] = { P_U16, 0 },
	[RTA_ENCAP]	= { P_NEST, 0 },
};

/* RTA_VIA: an IPv4 gateway in via form, or an IPv6 one (not ours). */
static int
nl_via(const struct nlattr *a, uint32_t *gw)
{
	const uint8_t *d = nla_data(a);
	uint16_t family;

	memcpy(&family, d, sizeof(family));
	if (family == AF_INET && nla_len(a) == 2 + 4) {
		memcpy(gw, d + 2, 4);
		return 0;
	}
	if (family == AF_INET6 && nla_len(a) == 2 + 16)
		return NLS_UNSUPPORTED;
	return -EBADMSG;
}

static int
nl_parse_multipath(const struct nlattr *mp, struct fib_config *cfg)
{
	const uint8_t *p = nla_data(mp);
	size_t len = nla_len(mp);
	const struct nlattr *tb[RTA_MAX + 1];
	int rv;

	while (len > 0) {
		struct rtnexthop rtnh;
		struct fib_nh_cfg *nh;

		if (len < sizeof(rtnh))
			return -EBADMSG;
		memcpy(&rtnh, p, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > len)
			return -EBADMSG;
		if (cfg->fc_nhs >= FIB_MAX_MP)
			return -E2BIG;
		nh = &cfg->fc_mp[cfg->fc_nhs++];
		nh->oif = rtnh.rtnh_ifindex;
		nh->weight = (uint16_t)rtnh.rtnh_hops + 1;
		nh->flags = rtnh.rtnh_flags & RTNH_F_ONLINK;
		rv = nl_attrs(p + RTNH_ALIGN(sizeof(rtnh)),
		    rtnh.rtnh_len - RTNH_ALIGN(sizeof(rtnh)), leg_pol, RTA_MAX,
		    tb);
		if (rv < 0)
			return rv;
		if (tb[RTA_ENCAP] != NULL || tb[RTA_ENCAP_TYPE] != NULL)
			return NLS_UNSUPPORTED;
		if (tb[RTA_GATEWAY] != NULL)
			nh->gw = nla_u32(tb[RTA_GATEWAY]);
		else if (tb[RTA_VIA] != NULL &&
		    (rv = nl_via(tb[RTA_VIA], &nh->gw)) != 0)
			return rv;
		if ((size_t)RTNH_ALIGN(rtnh.rtnh_len) >= len)
			break;
		p += RTNH_ALIGN(rtnh.rtnh_len);
		len -= RTNH_ALIGN(rtnh.rtnh_len);
	}
	return cfg->fc_nhs > 0 ? 0 : -EBADMSG;
}

static int
nl_parse_metrics(const struct nlattr *mx, struct fib_config *cfg)
{
	struct nl_pol mx_pol[RTAX_MAX + 1];
	const struct nlattr *tb[RTAX_MAX + 1];
	unsigned int i;
	int rv;

	for (i = 0; i <= RTAX_MAX; i++)
		mx_pol[i] = (struct nl_pol){ i ? P_U32 : P_SKIP, 0 };
	mx_pol[RTAX_CC_ALGO] = (struct nl_pol){ P_STR, 16 };

	if ((rv = nl_attrs(nla_data(mx), nla_len(mx), mx_pol, RTAX_MAX,
	    tb)) < 0)
		return rv;
	for (i = 1; i <= RTAX_MAX; i++) {
		if (tb[i] == NULL || i == RTAX_CC_ALGO)
			continue;	/* the FIB keeps numeric metrics only */
		cfg->fc_metrics[i] = nla_u32(tb[i]);
		cfg->fc_mx_set |= 1U << i;
	}
	return 0;
}

static int
nl_parse_route(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	struct fib_config *cfg = &m->u.route;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*rtm), &alen)) == NULL)
		return -EBADMSG;
	if (rtm->rtm_family != AF_INET)
		return NLS_FAMILY;
	if (rtm->rtm_flags & RTM_F_CLONED)
		return NLS_CLONED;
	if ((rv = nl_attrs(attrs, alen, route_pol, RTA_MAX, tb)) < 0)
		return rv;
	if (rtm->rtm_dst_len > 32 || rtm->rtm_src_len != 0)
		return -EBADMSG;
	if (tb[RTA_ENCAP] != NULL || tb[RTA_ENCAP_TYPE] != NULL)
		return NLS_UNSUPPORTED;	/* lwtunnel */

	m->kind = NLK_ROUTE;
	fib_config_init(cfg);
	cfg->fc_dst_len = rtm->rtm_dst_len;
	cfg->fc_tos = rtm->rtm_tos;
	cfg->fc_type = rtm->rtm_type;
	cfg->fc_scope = rtm->rtm_scope;
	cfg->fc_protocol = rtm->rtm_protocol;
	cfg->fc_flags = rtm->rtm_flags & RTNH_F_ONLINK;
	cfg->fc_nlflags = nlh->nlmsg_flags &
	    (NLM_F_CREATE | NLM_F_EXCL | NLM_F_REPLACE | NLM_F_APPEND);
	/* rtm_table says 252 for any table above 255: RTA_TABLE wins. */
	cfg->fc_table = tb[RTA_TABLE] ? nla_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	cfg->fc_dst = tb[RTA_DST] ? nla_u32(tb[RTA_DST]) : 0;
	cfg->fc_priority = tb[RTA_PRIORITY] ? nla_u32(tb[RTA_PRIORITY]) : 0;
	cfg->fc_prefsrc = tb[RTA_PREFSRC] ? nla_u32(tb[RTA_PREFSRC]) : 0;
	if (tb[RTA_METRICS] != NULL &&
	    (rv = nl_parse_metrics(tb[RTA_METRICS], cfg)) < 0)
		return rv;
	if (tb[RTA_NH_ID] != NULL) {
		/* Gateway, oif and legs beside it are only the compat
		 * expansion: the nexthop table is the truth. */
		cfg->fc_nh_id = nla_u32(tb[RTA_NH_ID]);
		if (cfg->fc_nh_id == 0)
			return -EBADMSG;
		return 0;
	}
	if (tb[RTA_OIF] != NULL)
		cfg->fc_oif = (int)nla_u32(tb[RTA_OIF]);
	if (tb[RTA_GATEWAY] != NULL)
		cfg->fc_gw = nla_u32(tb[RTA_GATEWAY]);
	else if (tb[RTA_VIA] != NULL && (rv = nl_via(tb[RTA_VIA],
	    &cfg->fc_gw)) != 0)
		return rv;
	if (tb[RTA_MULTIPATH] != NULL)
		return nl_parse_multipath(tb[RTA_MULTIPATH], cfg);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Rules.                                                              */

#ifndef FRA_DSCP
#define FRA_DSCP	24
#endif

static const struct nl_pol rule_pol[FRA_MAX + 1] = {
	[FRA_DST]	= { P_U32, 0 },
	[FRA_SRC]	= { P_U32, 0 },
	[FRA_IIFNAME]	= { P_STR, IFNAMSIZ },
	[FRA_OIFNAME]	= { P_STR, IFNAMSIZ },
	[FRA_GOTO]	= { P_U32, 0 },
	[FRA_PRIORITY]	= { P_U32, 0 },
	[FRA_FWMARK]	= { P_U32, 0 },
	[FRA_FWMASK]	= { P_U32, 0 },
	[FRA_FLOW]	= { P_U32, 0 },
	[FRA_TUN_ID]	= { P_U64, 0 },
	[FRA_SUPPRESS_IFGROUP] = { P_U32, 0 },
	[FRA_SUPPRESS_PREFIXLEN] = { P_U32, 0 },
	[FRA_TABLE]	= { P_U32, 0 },
	[FRA_L3MDEV]	= { P_U8, 0 },
	[FRA_UID_RANGE]	= { P_MIN, sizeof(struct fib_rule_uid_range) },
	[FRA_PROTOCOL]	= { P_U8, 0 },
	[FRA_IP_PROTO]	= { P_U8, 0 },
	[FRA_SPORT_RANGE] = { P_MIN, sizeof(struct fib_rule_port_range) },
	[FRA_DPORT_RANGE] = { P_MIN, sizeof(struct fib_rule_port_range) },
};

static void
nl_port_range(const struct nlattr *a, uint16_t *lo, uint16_t *hi)
{
	struct fib_rule_port_range r;

	memcpy(&r, nla_data(a), sizeof(r));
	*lo = r.start;
	*hi = r.end;
}

static int
nl_parse_rule(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct fib_rule_hdr *frh = NLMSG_DATA(nlh);
	struct fib_rule_cfg *r = &m->u.rule;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*frh), &alen)) == NULL)
		return -EBADMSG;
	if (frh->family != AF_INET)
		return NLS_FAMILY;
	if ((rv = nl_attrs(attrs, alen, rule_pol, FRA_MAX, tb)) < 0)
		return rv;
	if (frh->src_len > 32 || frh->dst_len > 32)
		return -EBADMSG;
	if (tb[FRA_L3MDEV] != NULL && nla_u8(tb[FRA_L3MDEV]) != 0)
		return NLS_UNSUPPORTED;
	if (tb[FRA_TUN_ID] != NULL)
		return NLS_UNSUPPORTED;

	m->kind = NLK_RULE;
	fib_rule_cfg_init(r);
	r->action = frh->action;
	r->flags = frh->flags & FIB_RULE_INVERT;
	r->nlflags = 0;		/* rules are a multiset: never EXCL here */
	if (tb[FRA_PRIORITY] != NULL) {
		r->pref = nla_u32(tb[FRA_PRIORITY]);
		r->fields |= FIB_RULE_HAS_PREF;
	}
	if (frh->tos != 0) {
		r->tos = frh->tos;
		r->fields |= FIB_RULE_HAS_TOS;
	}
	if (tb[FRA_SRC] != NULL) {
		r->src = nla_u32(tb[FRA_SRC]);
		r->src_len = frh->src_len;
		r->fields |= FIB_RULE_HAS_SRC;
	}
	if (tb[FRA_DST] != NULL) {
		r->dst = nla_u32(tb[FRA_DST]);
		r->dst_len = frh->dst_len;
		r->fields |= FIB_RULE_HAS_DST;
	}
	if (tb[FRA_IIFNAME] != NULL) {
		strncpy(r->iifname, nla_data(tb[FRA_IIFNAME]),
		    NETDEV_NAMSIZ - 1);
		r->fields |= FIB_RULE_HAS_IIF;
	}
	if (tb[FRA_OIFNAME] != NULL) {
		strncpy(r->oifname, nla_data(tb[FRA_OIFNAME]),
		    NETDEV_NAMSIZ - 1);
		r->fields |= FIB_RULE_HAS_OIF;
	}
	/* A zero mark comes with FRA_FWMASK alone. */
	if (tb[FRA_FWMARK] != NULL || tb[FRA_FWMASK] != NULL) {
		r->mark = tb[FRA_FWMARK] ? nla_u32(tb[FRA_FWMARK]) : 0;
		r->mark_mask = tb[FRA_FWMASK] ? nla_u32(tb[FRA_FWMASK]) :
		    0xffffffffU;
		r->fields |= FIB_RULE_HAS_MARK;
	}
	if (tb[FRA_IP_PROTO] != NULL) {
		r->ip_proto = nla_u8(tb[FRA_IP_PROTO]);
		r->fields |= FIB_RULE_HAS_PROTO;
	}
	if (tb[FRA_PROTOCOL] != NULL)
		r->protocol = nla_u8(tb[FRA_PROTOCOL]);
	if (tb[FRA_SPORT_RANGE] != NULL) {
		nl_port_range(tb[FRA_SPORT_RANGE], &r->sport_lo, &r->sport_hi);
		r->fields |= FIB_RULE_HAS_SPORT;
	}
	if (tb[FRA_DPORT_RANGE] != NULL) {
		nl_port_range(tb[FRA_DPORT_RANGE], &r->dport_lo, &r->dport_hi);
		r->fields |= FIB_RULE_HAS_DPORT;
	}
	if (tb[FRA_UID_RANGE] != NULL) {
		struct fib_rule_uid_range u;

		memcpy(&u, nla_data(tb[FRA_UID_RANGE]), sizeof(u));
		r->uid_lo = u.start;
		r->uid_hi = u.end;
		r->fields |= FIB_RULE_HAS_UID;
	}
	if (tb[FRA_SUPPRESS_PREFIXLEN] != NULL &&
	    nla_u32(tb[FRA_SUPPRESS_PREFIXLEN]) != 0xffffffffU) {
		r->suppress_prefixlen = (int)nla_u32(tb[FRA_SUPPRESS_PREFIXLEN]);
		r->fields |= FIB_RULE_HAS_SUPP_PLEN;
	}
	if (tb[FRA_SUPPRESS_IFGROUP] != NULL &&
	    nla_u32(tb[FRA_SUPPRESS_IFGROUP]) != 0xffffffffU) {
		r->suppress_ifgroup = (int)nla_u32(tb[FRA_SUPPRESS_IFGROUP]);
		r->fields |= FIB_RULE_HAS_SUPP_IFG;
	}
	if (r->action == FR_ACT_GOTO) {
		if (tb[FRA_GOTO] == NULL)
			return -EBADMSG;
		r->target = nla_u32(tb[FRA_GOTO]);
		r->fields |= FIB_RULE_HAS_GOTO;
	} else if (r->action == FR_ACT_TO_TBL) {
		r->table = tb[FRA_TABLE] ? nla_u32(tb[FRA_TABLE]) : frh->table;
		r->fields |= FIB_RULE_HAS_TABLE;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Nexthop objects.                                                    */

static const struct nl_pol nh_pol[NHA_MAX + 1] = {
	[NHA_ID]	= { P_U32, 0 },
	[NHA_GROUP]	= { P_MIN, sizeof(struct nexthop_grp) },
	[NHA_GROUP_TYPE] = { P_U16, 0 },
	[NHA_BLACKHOLE]	= { P_FLAG, 0 },
	[NHA_OIF]	= { P_U32, 0 },
	[NHA_GATEWAY]	= { P_MIN, 4 },
	[NHA_ENCAP_TYPE] = { P_U16, 0 },
	[NHA_ENCAP]	= { P_NEST, 0 },
	[NHA_FDB]	= { P_FLAG, 0 },
	[NHA_RES_GROUP]	= { P_NEST, 0 },
};

static int
nl_parse_group(const struct nlattr *a, struct fib_nexthop_cfg *nh)
{
	size_t n = nla_len(a), i;
	struct nexthop_grp g;

	if (n % sizeof(g) != 0 || n == 0)
		return -EBADMSG;
	if (n / sizeof(g) > FIB_MAX_MP)
		return -E2BIG;
	for (i = 0; i < n / sizeof(g); i++) {
		memcpy(&g, (const char *)nla_data(a) + i * sizeof(g),
		    sizeof(g));
		if (g.id == 0)
			return -EBADMSG;
		nh->grp[i].id = g.id;
		/* weight - 1 is sent; weight_high (6.12+) is not ours yet */
		nh->grp[i].weight = (uint16_t)g.weight + 1;
	}
	nh->ngrp = (int)i;
	return 0;
}

static int
nl_parse_nexthop(const struct nlmsghdr *nlh, struct nl_msg *m)
{
	const struct nlattr *tb[NHA_MAX + 1];
	const struct nhmsg *nhm = NLMSG_DATA(nlh);
	struct fib_nexthop_cfg *nh = &m->u.nh;
	const void *attrs;
	size_t alen;
	int rv;

	if ((attrs = nl_payload(nlh, sizeof(*nhm), &alen)) == NULL)
		return -EBADMSG;
	if (nhm->nh_family != AF_INET && nhm->nh_family != AF_UNSPEC)
		return NLS_FAMILY;
	if ((rv = nl_attrs(attrs, alen, nh_pol, NHA_MAX, tb)) < 0)
		return rv;
	if (tb[NHA_ID] == NULL || nla_u32(tb[NHA_ID]) == 0)
		return -EBADMSG;
	m->kind = NLK_NEXTHOP;
	nh->id = nla_u32(tb[NHA_ID]);
	if (m->del)
		return 0;	/* the id is all a delete needs */
	if (tb[NHA_FDB] != NULL || tb[NHA_ENCAP] != NULL ||
	    tb[NHA_RES_GROUP] != NULL)
		return NLS_UNSUPPORTED;
	nh->protocol = nhm->nh_protocol;
	nh->flags = nhm->nh_flags & RTNH_F_ONLINK;
	nh->nlflags = nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL |
	    NLM_F_REPLACE | NLM_F_APPEND);
	if (tb[NHA_GROUP] != NULL)
		return nl_parse_group(tb[NHA_GROUP], nh);
	if (tb[NHA_BLACKHOLE] != NULL) {
		nh->blackhole = 1;
		return 0;
	}
	if (tb[NHA_GATEWAY] != NULL) {
		if (nla_len(tb[NHA_GATEWAY]) == 16)
			return NLS_FAMILY;	/* an IPv6 gateway */
		if (nla_len(tb[NHA_GATEWAY]) != 4)
			return -EBADMSG;
		nh->gw = nla_u32(tb[NHA_GATEWAY]);
	}
	if (tb[NHA_OIF] == NULL)
		return -EBADMSG;
	nh->oif = (int)nla_u32(tb[NHA_OIF]);
	if (nhm->nh_family == AF_UNSPEC)
		return NLS_FAMILY;	/* neither v4 gw nor blackhole/group */
	return 0;
}

/* ------------------------------------------------------------------ */

/**
 * nl_parse_msg - parse one rtnetlink message.
 * @nlh: the message; nlmsg_len must already lie inside its buffer.
 * @out: filled only on success (zeroed first in every case).
 *
 * Return: 0 with @out filled; NLS_* (> 0) for a message that is valid
 * but ignored; -EBADMSG or -E2BIG for a malformed one.
 */
int
nl_parse_msg(const struct nlmsghdr *nlh, struct nl_msg *out)
{
	int rv;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EBADMSG;
	out->nlflags = nlh->nlmsg_flags;
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_DONE:
	case NLMSG_ERROR:
	case NLMSG_OVERRUN:
		return NLS_CONTROL;
	case RTM_DELLINK:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWLINK:
		rv = nl_parse_link(nlh, out);
		break;
	case RTM_DELADDR:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWADDR:
		rv = nl_parse_addr(nlh, out);
		break;
	case RTM_DELROUTE:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWROUTE:
		rv = nl_parse_route(nlh, out);
		break;
	case RTM_DELRULE:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWRULE:
		rv = nl_parse_rule(nlh, out);
		break;
	case RTM_DELNEXTHOP:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWNEXTHOP:
		rv = nl_parse_nexthop(nlh, out);
		break;
	case RTM_DELNETCONF:
		out->del = 1;
		/* FALLTHROUGH */
	case RTM_NEWNETCONF:
		rv = nl_parse_netconf(nlh, out);
		break;
	default:
		return NLS_UNKNOWN_TYPE;
	}
	if (rv != 0) {
		int del = out->del;

		memset(out, 0, sizeof(*out));
		out->del = (uint8_t)del;
	}
	return rv;
}

const char *
nl_skip_str(int rv)
{
	switch (rv) {
	case NLS_OK:		return "ok";
	case NLS_CONTROL:	return "control message";
	case NLS_UNKNOWN_TYPE:	return "unknown message type";
	case NLS_FAMILY:	return "other address family";
	case NLS_CLONED:	return "cached exception";
	case NLS_UNSUPPORTED:	return "unsupported feature";
	case -EBADMSG:		return "malformed message";
	case -E2BIG:		return "too many nexthops";
	default:		return rv < 0 ? strerror(-rv) : "?";
	}
}

/**
 * nl_walk_buf - call @fn for each message in a received datagram or file.
 *
 * Return: the first negative value @fn returned, -EBADMSG when bytes
 * after the last whole message do not form one, else 0.
 */
int
nl_walk_buf(const void *buf, size_t len, nl_msg_fn fn, void *arg)
{
	const char *p = buf;
	int rv;

	while (len >= NLMSG_HDRLEN) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)p;
		size_t step;

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
			return -EBADMSG;
		if ((rv = fn(nlh, arg)) < 0)
			return rv;
		step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	return len == 0 ? 0 : -EBADMSG;
}
