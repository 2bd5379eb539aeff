/* SPDX-License-Identifier: MIT */
/*
 * nl_parse.c - rtnetlink message parser: links, IPv4 addresses, netconf,
 * IPv4 routes, rules and nexthop objects into struct nl_msg; of a link,
 * also its VRF table when it is a VRF.
 *
 * Every message is checked before anything is filled in: the fixed header
 * must fit, and every attribute must lie inside the message, have the
 * length its type's policy demands and the attributes must use up the
 * payload exactly (the policy tables and the walk are base/nlattr.h's, on
 * libmnl).  A message that fails any check is rejected whole with
 * -EBADMSG (or -E2BIG for more multipath legs than the FIB holds), so a
 * caller never sees half an object.  Attribute types are read with
 * NLA_F_NESTED and NLA_F_NET_BYTEORDER masked; unknown attributes are
 * skipped.  Things that are valid but not ours (IPv6, bridge links,
 * cached exceptions) return a positive NLS_* code and are dropped quietly
 * by the caller.  Also the devices a route names, for the routes file.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/netconf.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <linux/fib_rules.h>

#include "base/nlattr.h"
#include "netlink/nl_parse.h"

#define U8	{ MNL_TYPE_U8, 0, 0 }
#define U16	{ MNL_TYPE_U16, 0, 0 }
#define U32	{ MNL_TYPE_U32, 0, 0 }
#define U64	{ MNL_TYPE_U64, 0, 0 }
#define FLAG	{ MNL_TYPE_FLAG, 0, 0 }
#define NEST	{ MNL_TYPE_NESTED, 0, 0 }
#define NAME	{ MNL_TYPE_NUL_STRING, 0, IFNAMSIZ }
#define MIN(n)	{ MNL_TYPE_BINARY, (n), 0 }

/* ------------------------------------------------------------------ */
/* Device settings: what each is called where.                        */

#define CONF(dc, nc, name, field) \
	{ IPV4_DEVCONF_ ## dc, nc, name, offsetof(struct netdev_conf, field) }

const struct nl_conf_field nl_conf_fields[NL_CONF_NFIELDS] = {
	CONF(FORWARDING, NETCONFA_FORWARDING, "forwarding", forwarding),
	CONF(RP_FILTER, NETCONFA_RP_FILTER, "rp_filter", rp_filter),
	CONF(ACCEPT_LOCAL, 0, "accept_local", accept_local),
	CONF(SRC_VMARK, 0, "src_valid_mark", src_valid_mark),
	CONF(ROUTE_LOCALNET, 0, "route_localnet", route_localnet),
	CONF(IGNORE_ROUTES_WITH_LINKDOWN, NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
	    "ignore_routes_with_linkdown", ignore_routes_with_linkdown),
	CONF(SEND_REDIRECTS, 0, "send_redirects", send_redirects),
	CONF(SHARED_MEDIA, 0, "shared_media", shared_media),
	CONF(BC_FORWARDING, NETCONFA_BC_FORWARDING, "bc_forwarding",
	    bc_forwarding),
};

static void
conf_put(struct nl_conf *c, size_t i, int v)
{
	memcpy((char *)&c->v + nl_conf_fields[i].off, &v, sizeof(v));
	c->present |= 1U << i;
}

/* ------------------------------------------------------------------ */
/* Links.                                                              */

static const struct nlattr_pol link_pol[] = {
	[IFLA_IFNAME]	= NAME,
	[IFLA_MTU]	= U32,
	[IFLA_MASTER]	= U32,
	[IFLA_GROUP]	= U32,
	[IFLA_OPERSTATE] = U8,
	[IFLA_CARRIER]	= U8,
	[IFLA_AF_SPEC]	= NEST,
	[IFLA_LINKINFO]	= NEST,
};

static const struct nlattr_pol linkinfo_pol[] = {
	[IFLA_INFO_KIND] = { MNL_TYPE_NUL_STRING, 0, 0 },
	[IFLA_INFO_DATA] = NEST,
};

static const struct nlattr_pol vrf_pol[] = {
	[IFLA_VRF_TABLE] = U32,
};

static const struct nlattr_pol af_spec_pol[] = {
	[AF_INET]	= NEST,
};

static const struct nlattr_pol inet_pol[] = {
	[IFLA_INET_CONF] = MIN(sizeof(uint32_t)),
};

/*
 * IFLA_AF_SPEC: the device's IPv4 settings, when it has IPv4: the
 * kernel's whole devconf array (inet_fill_link_af), IPV4_DEVCONF_x at
 * [x - 1]; a shorter one (an older kernel) gives what it has.
 */
static int
nl_parse_link_conf(const struct nlattr *spec, struct nl_conf *c)
{
	const struct nlattr *af[NLATTR_MAX(af_spec_pol) + 1];
	const struct nlattr *in[NLATTR_MAX(inet_pol) + 1];
	const uint8_t *p;
	size_t n, i;
	int32_t v;

	if (nlattr_parse_nested(spec, af_spec_pol, NLATTR_MAX(af_spec_pol), 0,
	    af) < 0)
		return -EBADMSG;
	if (af[AF_INET] == NULL)
		return 0;
	if (nlattr_parse_nested(af[AF_INET], inet_pol, NLATTR_MAX(inet_pol),
	    0, in) < 0)
		return -EBADMSG;
	if (in[IFLA_INET_CONF] == NULL)
		return 0;
	p = mnl_attr_get_payload(in[IFLA_INET_CONF]);
	n = mnl_attr_get_payload_len(in[IFLA_INET_CONF]) / sizeof(v);
	for (i = 0; i < NL_CONF_NFIELDS; i++) {
		if (nl_conf_fields[i].devconf > n)
			continue;
		memcpy(&v, p + (nl_conf_fields[i].devconf - 1) * sizeof(v),
		    sizeof(v));
		conf_put(c, i, v);
	}
	return 0;
}

/*
 * IFLA_LINKINFO: the table of a VRF (kind "vrf", rtnl_link_fill and
 * vrf_fillinfo: IFLA_INFO_DATA / IFLA_VRF_TABLE).  Other kinds, and the
 * slave side (IFLA_INFO_SLAVE_KIND) a VRF's member carries, are not
 * read: membership is the member's IFLA_MASTER.
 */
static int
nl_parse_link_info(const struct nlattr *info, uint32_t *vrf_table)
{
	const struct nlattr *li[NLATTR_MAX(linkinfo_pol) + 1];
	const struct nlattr *vrf[NLATTR_MAX(vrf_pol) + 1];

	if (nlattr_parse_nested(info, linkinfo_pol, NLATTR_MAX(linkinfo_pol),
	    0, li) < 0)
		return -EBADMSG;
	if (li[IFLA_INFO_KIND] == NULL ||
	    strcmp(mnl_attr_get_str(li[IFLA_INFO_KIND]), "vrf") != 0 ||
	    li[IFLA_INFO_DATA] == NULL)
		return 0;
	if (nlattr_parse_nested(li[IFLA_INFO_DATA], vrf_pol,
	    NLATTR_MAX(vrf_pol), 0, vrf) < 0)
		return -EBADMSG;
	if (vrf[IFLA_VRF_TABLE] != NULL)
		*vrf_table = mnl_attr_get_u32(vrf[IFLA_VRF_TABLE]);
	return 0;
}

static int
nl_parse_link(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nl_link *l = &m->u.link;

	if (ifi->ifi_index <= 0)
		return -EBADMSG;
	m->kind = NLK_LINK;
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	if (tb[IFLA_IFNAME] != NULL)
		strncpy(l->name, mnl_attr_get_str(tb[IFLA_IFNAME]),
		    NETDEV_NAMSIZ - 1);
	else if (!m->del)
		return -EBADMSG;	/* a new link always has a name */
	if (tb[IFLA_MASTER] != NULL)
		l->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_MTU] != NULL)
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_GROUP] != NULL) {
		l->group = mnl_attr_get_u32(tb[IFLA_GROUP]);
		l->has_group = 1;
	}
	if (tb[IFLA_LINKINFO] != NULL &&
	    nl_parse_link_info(tb[IFLA_LINKINFO], &l->vrf_table) < 0)
		return -EBADMSG;
	if (tb[IFLA_AF_SPEC] != NULL)
		return nl_parse_link_conf(tb[IFLA_AF_SPEC], &l->conf);
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPv4 addresses.                                                     */

static const struct nlattr_pol addr_pol[] = {
	[IFA_ADDRESS]	= U32,
	[IFA_LOCAL]	= U32,
	[IFA_BROADCAST]	= U32,
	[IFA_LABEL]	= NAME,
	[IFA_FLAGS]	= U32,
};

static int
nl_parse_addr(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *local = tb[IFA_LOCAL], *peer = tb[IFA_ADDRESS];
	struct nl_addr *a = &m->u.addr;

	if (ifa->ifa_prefixlen > 32 || ifa->ifa_index == 0)
		return -EBADMSG;
	if (local == NULL && peer == NULL)
		return -EBADMSG;
	m->kind = NLK_ADDR;
	a->ifindex = (int)ifa->ifa_index;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	/* One of LOCAL/ADDRESS may be missing: it is then the other. */
	a->local = mnl_attr_get_u32(local != NULL ? local : peer);
	a->address = mnl_attr_get_u32(peer != NULL ? peer : local);
	if (tb[IFA_BROADCAST] != NULL)
		a->broadcast = mnl_attr_get_u32(tb[IFA_BROADCAST]);
	if (tb[IFA_FLAGS] != NULL)
		a->flags = mnl_attr_get_u32(tb[IFA_FLAGS]);
	if (tb[IFA_LABEL] != NULL)
		strncpy(a->label, mnl_attr_get_str(tb[IFA_LABEL]),
		    NETDEV_NAMSIZ - 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Per-device settings (RTM_NEWNETCONF, AF_INET).                      */

static const struct nlattr_pol conf_pol[] = {
	[NETCONFA_IFINDEX]	= U32,
	[NETCONFA_FORWARDING]	= U32,
	[NETCONFA_RP_FILTER]	= U32,
	[NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN] = U32,
	[NETCONFA_BC_FORWARDING] = U32,
};

static int
nl_parse_netconf(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	struct nl_netconf *c = &m->u.conf;
	size_t i;

	(void)nlh;
	if (tb[NETCONFA_IFINDEX] == NULL)
		return -EBADMSG;
	m->kind = NLK_NETCONF;
	c->ifindex = (int)mnl_attr_get_u32(tb[NETCONFA_IFINDEX]);
	for (i = 0; i < NL_CONF_NFIELDS; i++) {
		uint16_t t = nl_conf_fields[i].netconf;

		if (t != 0 && tb[t] != NULL)
			conf_put(&c->conf, i, (int)mnl_attr_get_u32(tb[t]));
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* IPv4 routes.                                                        */

static const struct nlattr_pol route_pol[] = {
	[RTA_DST]	= U32,
	[RTA_SRC]	= U32,
	[RTA_IIF]	= U32,
	[RTA_OIF]	= U32,
	[RTA_GATEWAY]	= U32,
	[RTA_PRIORITY]	= U32,
	[RTA_PREFSRC]	= U32,
	[RTA_METRICS]	= NEST,
	[RTA_MULTIPATH]	= MIN(sizeof(struct rtnexthop)),
	[RTA_FLOW]	= U32,
	[RTA_TABLE]	= U32,
	[RTA_VIA]	= MIN(sizeof(uint16_t)),
	[RTA_ENCAP_TYPE] = U16,
	[RTA_ENCAP]	= NEST,
	[RTA_NH_ID]	= U32,
};

static const struct nlattr_pol leg_pol[] = {
	[RTA_GATEWAY]	= U32,
	[RTA_VIA]	= MIN(sizeof(uint16_t)),
	[RTA_FLOW]	= U32,
	[RTA_ENCAP_TYPE] = U16,
	[RTA_ENCAP]	= NEST,
};

/* RTAX_CC_ALGO is a name (TCP_CA_NAME_MAX, include/net/tcp.h). */
static const struct nlattr_pol metrics_pol[RTAX_MAX + 1] = {
	[1 ... RTAX_CC_ALGO - 1]	= U32,
	[RTAX_CC_ALGO]			= { MNL_TYPE_NUL_STRING, 0, 16 },
	[RTAX_CC_ALGO + 1 ... RTAX_MAX]	= U32,
};

/* RTA_VIA: an IPv4 gateway in via form, or an IPv6 one (not ours). */
static int
nl_via(const struct nlattr *a, uint32_t *gw)
{
	const uint8_t *d = mnl_attr_get_payload(a);
	uint16_t family, n = mnl_attr_get_payload_len(a);

	memcpy(&family, d, sizeof(family));
	if (family == AF_INET && n == 2 + 4) {
		memcpy(gw, d + 2, 4);
		return 0;
	}
	if (family == AF_INET6 && n == 2 + 16)
		return NLS_UNSUPPORTED;
	return -EBADMSG;
}

/* One leg of RTA_MULTIPATH: its header, then its attributes. */
typedef int (*nl_leg_fn)(const struct rtnexthop *rtnh, const void *attrs,
    size_t alen, void *arg);

/*
 * The legs of RTA_MULTIPATH are struct rtnexthop each followed by its
 * attributes, RTNH_ALIGNed (include/uapi/linux/rtnetlink.h): not
 * attributes themselves, so libmnl cannot walk them.  Return: 0, -EBADMSG
 * for a leg that overruns, else the first nonzero value of @fn.
 */
static int
nl_legs(const struct nlattr *mp, nl_leg_fn fn, void *arg)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t len = mnl_attr_get_payload_len(mp), hdr = RTNH_ALIGN(
	    sizeof(struct rtnexthop));
	struct rtnexthop rtnh;
	int rv;

	while (len > 0) {
		if (len < sizeof(rtnh))
			return -EBADMSG;
		memcpy(&rtnh, p, sizeof(rtnh));
		if (rtnh.rtnh_len < sizeof(rtnh) || rtnh.rtnh_len > len)
			return -EBADMSG;
		if ((rv = fn(&rtnh, p + hdr, rtnh.rtnh_len - hdr, arg)) != 0)
			return rv;
		if ((size_t)RTNH_ALIGN(rtnh.rtnh_len) >= len)
			break;
		p += RTNH_ALIGN(rtnh.rtnh_len);
		len -= RTNH_ALIGN(rtnh.rtnh_len);
	}
	return 0;
}

static int
nl_parse_leg(const struct rtnexthop *rtnh, const void *attrs, size_t alen,
    void *arg)
{
	const struct nlattr *tb[NLATTR_MAX(leg_pol) + 1];
	struct fib_config *cfg = arg;
	struct fib_nh_cfg *nh;
	int rv;

	if (cfg->fc_nhs >= FIB_MAX_MP)
		return -E2BIG;
	nh = &cfg->fc_mp[cfg->fc_nhs++];
	memset(nh, 0, sizeof(*nh));
	nh->oif = rtnh->rtnh_ifindex;
	nh->weight = (uint16_t)rtnh->rtnh_hops + 1;
	nh->flags = rtnh->rtnh_flags & RTNH_F_ONLINK;
	if ((rv = nlattr_parse(attrs, alen, leg_pol, NLATTR_MAX(leg_pol), 0,
	    tb)) < 0)
		return rv;
	if (tb[RTA_ENCAP] != NULL || tb[RTA_ENCAP_TYPE] != NULL)
		return NLS_UNSUPPORTED;
	if (tb[RTA_FLOW] != NULL)
		nh->flow = mnl_attr_get_u32(tb[RTA_FLOW]);
	if (tb[RTA_GATEWAY] != NULL)
		nh->gw = mnl_attr_get_u32(tb[RTA_GATEWAY]);
	else if (tb[RTA_VIA] != NULL)
		return nl_via(tb[RTA_VIA], &nh->gw);
	return 0;
}

static int
nl_parse_multipath(const struct nlattr *mp, struct fib_config *cfg)
{
	int rv;

	if ((rv = nl_legs(mp, nl_parse_leg, cfg)) != 0)
		return rv;
	return cfg->fc_nhs > 0 ? 0 : -EBADMSG;
}

static int
nl_parse_metrics(const struct nlattr *mx, struct fib_config *cfg)
{
	const struct nlattr *tb[RTAX_MAX + 1];
	unsigned int i;
	int rv;

	if ((rv = nlattr_parse_nested(mx, metrics_pol, RTAX_MAX, 0, tb)) < 0)
		return rv;
	for (i = 1; i <= RTAX_MAX; i++) {
		if (tb[i] == NULL || i == RTAX_CC_ALGO)
			continue;	/* the FIB keeps numeric metrics only */
		cfg->fc_metrics[i] = mnl_attr_get_u32(tb[i]);
		cfg->fc_mx_set |= 1U << i;
	}
	return 0;
}

static uint16_t
nl_u16_or(const struct nlattr *a, uint16_t dflt)
{
	return a != NULL ? mnl_attr_get_u16(a) : dflt;
}

static uint32_t
nl_u32_or(const struct nlattr *a, uint32_t dflt)
{
	return a != NULL ? mnl_attr_get_u32(a) : dflt;
}

static int
nl_parse_route(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct fib_config *cfg = &m->u.route;
	int rv;

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
	cfg->fc_kernel = 1;
	cfg->fc_flags = rtm->rtm_flags & RTNH_F_ONLINK;
	cfg->fc_nlflags = nlh->nlmsg_flags &
	    (NLM_F_CREATE | NLM_F_EXCL | NLM_F_REPLACE | NLM_F_APPEND);
	/* rtm_table says 252 for any table above 255: RTA_TABLE wins. */
	cfg->fc_table = nl_u32_or(tb[RTA_TABLE], rtm->rtm_table);
	cfg->fc_dst = nl_u32_or(tb[RTA_DST], 0);
	cfg->fc_priority = nl_u32_or(tb[RTA_PRIORITY], 0);
	cfg->fc_prefsrc = nl_u32_or(tb[RTA_PREFSRC], 0);
	if (tb[RTA_METRICS] != NULL &&
	    (rv = nl_parse_metrics(tb[RTA_METRICS], cfg)) < 0)
		return rv;
	if (tb[RTA_NH_ID] != NULL) {
		/* Gateway, oif and legs beside it are only the compat
		 * expansion: the nexthop table is the truth. */
		cfg->fc_nh_id = mnl_attr_get_u32(tb[RTA_NH_ID]);
		return cfg->fc_nh_id == 0 ? -EBADMSG : 0;
	}
	cfg->fc_oif = (int)nl_u32_or(tb[RTA_OIF], 0);
	/* realms: of the one nexthop (a multipath route's legs carry
	 * their own); a nexthop-object route has none (the kernel drops
	 * RTA_FLOW beside RTA_NH_ID) */
	cfg->fc_flow = nl_u32_or(tb[RTA_FLOW], 0);
	if (tb[RTA_GATEWAY] != NULL)
		cfg->fc_gw = mnl_attr_get_u32(tb[RTA_GATEWAY]);
	else if (tb[RTA_VIA] != NULL && (rv = nl_via(tb[RTA_VIA],
	    &cfg->fc_gw)) != 0)
		return rv;
	if (tb[RTA_MULTIPATH] != NULL)
		return nl_parse_multipath(tb[RTA_MULTIPATH], cfg);
	return 0;
}

/* The devices a route names, of any family (nl_route_oifs). */
static const struct nlattr_pol route_oif_pol[] = {
	[RTA_OIF]	= U32,
	[RTA_MULTIPATH]	= MIN(sizeof(struct rtnexthop)),
};

struct nl_oifs {
	int		*idx;
	int		 n, max;
};

static int
nl_leg_oif(const struct rtnexthop *rtnh, const void *attrs, size_t alen,
    void *arg)
{
	struct nl_oifs *o = arg;

	(void)attrs;
	(void)alen;
	if (o->n >= o->max)
		return 1;
	o->idx[o->n++] = rtnh->rtnh_ifindex;
	return 0;
}

/**
 * nl_route_oifs - the interface indexes an RTM_NEWROUTE of any family
 * names: RTA_OIF, then each multipath leg's.
 * Return: how many went into @idx (at most @max); 0 for another message
 * or a malformed one.
 */
int
nl_route_oifs(const struct nlmsghdr *nlh, int *idx, int max)
{
	const struct nlattr *tb[NLATTR_MAX(route_oif_pol) + 1];
	struct nl_oifs o = { idx, 0, max };

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    !nlattr_msg_fits(nlh, sizeof(struct rtmsg)) ||
	    nlattr_parse_msg(nlh, sizeof(struct rtmsg), route_oif_pol,
	    NLATTR_MAX(route_oif_pol), tb) < 0)
		return 0;
	if (tb[RTA_OIF] != NULL && o.n < max)
		idx[o.n++] = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (tb[RTA_MULTIPATH] != NULL)
		nl_legs(tb[RTA_MULTIPATH], nl_leg_oif, &o);
	return o.n;
}

/* ------------------------------------------------------------------ */
/* Rules.                                                              */

/* Rule attributes newer than the headers this may be built with. */
#define NL_FRA_SPORT_MASK	28	/* 6.15 */
#define NL_FRA_DPORT_MASK	29

static const struct nlattr_pol rule_pol[] = {
	[FRA_DST]	= U32,
	[FRA_SRC]	= U32,
	[FRA_IIFNAME]	= NAME,
	[FRA_OIFNAME]	= NAME,
	[FRA_GOTO]	= U32,
	[FRA_PRIORITY]	= U32,
	[FRA_FWMARK]	= U32,
	[FRA_FWMASK]	= U32,
	[FRA_FLOW]	= U32,
	[FRA_TUN_ID]	= U64,
	[FRA_SUPPRESS_IFGROUP] = U32,
	[FRA_SUPPRESS_PREFIXLEN] = U32,
	[FRA_TABLE]	= U32,
	[FRA_L3MDEV]	= U8,
	[FRA_UID_RANGE]	= MIN(sizeof(struct fib_rule_uid_range)),
	[FRA_PROTOCOL]	= U8,
	[FRA_IP_PROTO]	= U8,
	[FRA_SPORT_RANGE] = MIN(sizeof(struct fib_rule_port_range)),
	[FRA_DPORT_RANGE] = MIN(sizeof(struct fib_rule_port_range)),
	[NL_FRA_SPORT_MASK] = U16,
	[NL_FRA_DPORT_MASK] = U16,
};

static void
nl_port_range(const struct nlattr *a, uint16_t *lo, uint16_t *hi)
{
	struct fib_rule_port_range r;

	memcpy(&r, mnl_attr_get_payload(a), sizeof(r));
	*lo = r.start;
	*hi = r.end;
}

/* The selectors of a rule that come as prefixes, names and marks. */
static void
nl_rule_keys(const struct fib_rule_hdr *frh, const struct nlattr **tb,
    struct fib_rule_cfg *r)
{
	if (tb[FRA_SRC] != NULL) {
		r->src = mnl_attr_get_u32(tb[FRA_SRC]);
		r->src_len = frh->src_len;
		r->fields |= FIB_RULE_HAS_SRC;
	}
	if (tb[FRA_DST] != NULL) {
		r->dst = mnl_attr_get_u32(tb[FRA_DST]);
		r->dst_len = frh->dst_len;
		r->fields |= FIB_RULE_HAS_DST;
	}
	if (tb[FRA_IIFNAME] != NULL) {
		strncpy(r->iifname, mnl_attr_get_str(tb[FRA_IIFNAME]),
		    NETDEV_NAMSIZ - 1);
		r->fields |= FIB_RULE_HAS_IIF;
	}
	if (tb[FRA_OIFNAME] != NULL) {
		strncpy(r->oifname, mnl_attr_get_str(tb[FRA_OIFNAME]),
		    NETDEV_NAMSIZ - 1);
		r->fields |= FIB_RULE_HAS_OIF;
	}
	/* A zero mark comes with FRA_FWMASK alone. */
	if (tb[FRA_FWMARK] != NULL || tb[FRA_FWMASK] != NULL) {
		r->mark = nl_u32_or(tb[FRA_FWMARK], 0);
		r->mark_mask = nl_u32_or(tb[FRA_FWMASK], 0xffffffffU);
		r->fields |= FIB_RULE_HAS_MARK | FIB_RULE_HAS_MASK;
	}
}

/* The selectors of a rule on ports, protocols and uids; suppressors. */
static void
nl_rule_ranges(const struct nlattr **tb, struct fib_rule_cfg *r)
{
	if (tb[FRA_IP_PROTO] != NULL) {
		r->ip_proto = mnl_attr_get_u8(tb[FRA_IP_PROTO]);
		r->fields |= FIB_RULE_HAS_PROTO;
	}
	if (tb[FRA_PROTOCOL] != NULL)
		r->protocol = mnl_attr_get_u8(tb[FRA_PROTOCOL]);
	if (tb[FRA_SPORT_RANGE] != NULL) {
		nl_port_range(tb[FRA_SPORT_RANGE], &r->sport_lo, &r->sport_hi);
		r->fields |= FIB_RULE_HAS_SPORT;
	}
	if (tb[FRA_DPORT_RANGE] != NULL) {
		nl_port_range(tb[FRA_DPORT_RANGE], &r->dport_lo, &r->dport_hi);
		r->fields |= FIB_RULE_HAS_DPORT;
	}
	if (tb[NL_FRA_SPORT_MASK] != NULL) {
		r->sport_mask = mnl_attr_get_u16(tb[NL_FRA_SPORT_MASK]);
		r->fields |= FIB_RULE_HAS_SPORT_MASK;
	}
	if (tb[NL_FRA_DPORT_MASK] != NULL) {
		r->dport_mask = mnl_attr_get_u16(tb[NL_FRA_DPORT_MASK]);
		r->fields |= FIB_RULE_HAS_DPORT_MASK;
	}
	if (tb[FRA_UID_RANGE] != NULL) {
		struct fib_rule_uid_range u;

		memcpy(&u, mnl_attr_get_payload(tb[FRA_UID_RANGE]), sizeof(u));
		r->uid_lo = u.start;
		r->uid_hi = u.end;
		r->fields |= FIB_RULE_HAS_UID;
	}
	/* 0xffffffff is "unset" (fib_nl_fill_rule, net/core/fib_rules.c). */
	if (nl_u32_or(tb[FRA_SUPPRESS_PREFIXLEN], 0xffffffffU) != 0xffffffffU) {
		r->suppress_prefixlen =
		    (int)mnl_attr_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]);
		r->fields |= FIB_RULE_HAS_SUPP_PLEN;
	}
	if (nl_u32_or(tb[FRA_SUPPRESS_IFGROUP], 0xffffffffU) != 0xffffffffU) {
		r->suppress_ifgroup =
		    (int)mnl_attr_get_u32(tb[FRA_SUPPRESS_IFGROUP]);
		r->fields |= FIB_RULE_HAS_SUPP_IFG;
	}
}

/* What a rule carries besides its selectors: realms, tunnel id, l3mdev. */
static void
nl_rule_extras(const struct nlattr **tb, struct fib_rule_cfg *r)
{
	if (tb[FRA_FLOW] != NULL) {
		r->tclassid = mnl_attr_get_u32(tb[FRA_FLOW]);
		r->fields |= FIB_RULE_HAS_FLOW;
	}
	if (tb[FRA_TUN_ID] != NULL)
		r->tun_id = be64toh(mnl_attr_get_u64(tb[FRA_TUN_ID]));
	if (tb[FRA_L3MDEV] != NULL)
		r->l3mdev = mnl_attr_get_u8(tb[FRA_L3MDEV]);
}

static int
nl_parse_rule(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	const struct fib_rule_hdr *frh = mnl_nlmsg_get_payload(nlh);
	struct fib_rule_cfg *r = &m->u.rule;

	if (frh->src_len > 32 || frh->dst_len > 32)
		return -EBADMSG;
	if (tb[FRA_L3MDEV] != NULL && mnl_attr_get_u8(tb[FRA_L3MDEV]) > 1)
		return -EBADMSG;

	m->kind = NLK_RULE;
	fib_rule_cfg_init(r);
	r->action = frh->action;
	r->flags = frh->flags & FIB_RULE_INVERT;
	r->nlflags = 0;		/* rules are a multiset: never EXCL here */
	/* the kernel leaves FRA_PRIORITY out for pref 0 */
	r->pref = nl_u32_or(tb[FRA_PRIORITY], 0);
	r->fields |= FIB_RULE_HAS_PREF;
	if (frh->tos != 0) {
		r->tos = frh->tos;
		r->fields |= FIB_RULE_HAS_TOS;
	}
	nl_rule_keys(frh, tb, r);
	nl_rule_ranges(tb, r);
	nl_rule_extras(tb, r);
	if (r->action == FR_ACT_GOTO) {
		if (tb[FRA_GOTO] == NULL)
			return -EBADMSG;
		r->target = mnl_attr_get_u32(tb[FRA_GOTO]);
		r->fields |= FIB_RULE_HAS_GOTO;
	}
	/* any action may name a table (`ip rule add unreachable table 5`) */
	r->table = nl_u32_or(tb[FRA_TABLE], frh->table);
	if (r->table != 0)
		r->fields |= FIB_RULE_HAS_TABLE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Nexthop objects.                                                    */

static const struct nlattr_pol nh_pol[] = {
	[NHA_ID]	= U32,
	[NHA_GROUP]	= MIN(sizeof(struct nexthop_grp)),
	[NHA_GROUP_TYPE] = U16,
	[NHA_BLACKHOLE]	= FLAG,
	[NHA_OIF]	= U32,
	[NHA_GATEWAY]	= MIN(4),
	[NHA_ENCAP_TYPE] = U16,
	[NHA_ENCAP]	= NEST,
	[NHA_FDB]	= FLAG,
	[NHA_RES_GROUP]	= NEST,
};

static int
nl_parse_group(const struct nlattr *a, struct fib_nexthop_cfg *nh)
{
	const char *d = mnl_attr_get_payload(a);
	size_t n = mnl_attr_get_payload_len(a), i;
	struct nexthop_grp g;

	if (n % sizeof(g) != 0 || n == 0)
		return -EBADMSG;
	if (n / sizeof(g) > FIB_MAX_MP)
		return -E2BIG;
	for (i = 0; i < n / sizeof(g); i++) {
		memcpy(&g, d + i * sizeof(g), sizeof(g));
		if (g.id == 0)
			return -EBADMSG;
		nh->grp[i].id = g.id;
		/* weight - 1 is sent, its high byte (6.12+, weight_high) in
		 * what older headers call resvd1 */
		nh->grp[i].weight = ((uint32_t)g.resvd1 << 8 | g.weight) + 1;
	}
	nh->ngrp = (int)i;
	return 0;
}

static const struct nlattr_pol res_pol[] = {
	[NHA_RES_GROUP_BUCKETS]	= U16,
	[NHA_RES_GROUP_IDLE_TIMER] = U32,
	[NHA_RES_GROUP_UNBALANCED_TIMER] = U32,
	[NHA_RES_GROUP_UNBALANCED_TIME] = U64,
};

/* NHA_RES_GROUP: a resilient group's bucket count and timers. */
static int
nl_parse_res_group(const struct nlattr *a, struct fib_nexthop_cfg *nh)
{
	const struct nlattr *tb[NLATTR_MAX(res_pol) + 1];

	if (nlattr_parse_nested(a, res_pol, NLATTR_MAX(res_pol), 0, tb) < 0)
		return -EBADMSG;
	nh->resilient = 1;
	nh->res_buckets = nl_u16_or(tb[NHA_RES_GROUP_BUCKETS], 0);
	nh->res_idle_timer = nl_u32_or(tb[NHA_RES_GROUP_IDLE_TIMER], 0);
	nh->res_unbalanced_timer = nl_u32_or(
	    tb[NHA_RES_GROUP_UNBALANCED_TIMER], 0);
	return 0;
}

static int
nl_parse_nexthop(const struct nlmsghdr *nlh, const struct nlattr **tb,
    struct nl_msg *m)
{
	const struct nhmsg *nhm = mnl_nlmsg_get_payload(nlh);
	struct fib_nexthop_cfg *nh = &m->u.nh;
	int rv;

	if (nl_u32_or(tb[NHA_ID], 0) == 0)
		return -EBADMSG;
	m->kind = NLK_NEXTHOP;
	nh->id = mnl_attr_get_u32(tb[NHA_ID]);
	if (m->del)
		return 0;	/* the id is all a delete needs */
	if (tb[NHA_FDB] != NULL || tb[NHA_ENCAP] != NULL)
		return NLS_UNSUPPORTED;
	nh->protocol = nhm->nh_protocol;
	nh->kernel = 1;
	nh->flags = nhm->nh_flags & RTNH_F_ONLINK;
	nh->nlflags = nlh->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL |
	    NLM_F_REPLACE | NLM_F_APPEND);
	if (tb[NHA_GROUP] != NULL) {
		if (nl_u16_or(tb[NHA_GROUP_TYPE], NEXTHOP_GRP_TYPE_MPATH) ==
		    NEXTHOP_GRP_TYPE_RES) {
			if (tb[NHA_RES_GROUP] == NULL)
				return -EBADMSG;
			if ((rv = nl_parse_res_group(tb[NHA_RES_GROUP],
			    nh)) < 0)
				return rv;
		}
		return nl_parse_group(tb[NHA_GROUP], nh);
	}
	if (tb[NHA_BLACKHOLE] != NULL) {
		nh->blackhole = 1;
		return 0;
	}
	if (tb[NHA_GATEWAY] != NULL) {
		if (mnl_attr_get_payload_len(tb[NHA_GATEWAY]) == 16)
			return NLS_FAMILY;	/* an IPv6 gateway */
		if (mnl_attr_get_payload_len(tb[NHA_GATEWAY]) != 4)
			return -EBADMSG;
		nh->gw = mnl_attr_get_u32(tb[NHA_GATEWAY]);
	}
	if (tb[NHA_OIF] == NULL)
		return -EBADMSG;
	nh->oif = (int)mnl_attr_get_u32(tb[NHA_OIF]);
	if (nhm->nh_family == AF_UNSPEC)
		return NLS_FAMILY;	/* neither v4 gw nor blackhole/group */
	return 0;
}

/* ------------------------------------------------------------------ */
/* Message types.                                                      */

/*
 * Which messages we read: a family check on the fixed header (every
 * rtnetlink header opens with its family byte, include/uapi/linux/
 * rtnetlink.h), done before the attributes; then the attributes under
 * the type's policy; then the type's own parser.
 */
static int
nl_pre_unspec(const struct nlmsghdr *nlh)
{
	const uint8_t *family = mnl_nlmsg_get_payload(nlh);

	return *family == AF_UNSPEC ? 0 : NLS_FAMILY;	/* bridge ports */
}

static int
nl_pre_inet(const struct nlmsghdr *nlh)
{
	const uint8_t *family = mnl_nlmsg_get_payload(nlh);

	return *family == AF_INET ? 0 : NLS_FAMILY;
}

static int
nl_pre_route(const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	if (rtm->rtm_family != AF_INET)
		return NLS_FAMILY;
	return rtm->rtm_flags & RTM_F_CLONED ? NLS_CLONED : 0;
}

static int
nl_pre_nexthop(const struct nlmsghdr *nlh)
{
	const struct nhmsg *nhm = mnl_nlmsg_get_payload(nlh);

	return nhm->nh_family == AF_INET || nhm->nh_family == AF_UNSPEC ? 0 :
	    NLS_FAMILY;
}

typedef int (*nl_parse_fn)(const struct nlmsghdr *nlh,
    const struct nlattr **tb, struct nl_msg *m);

struct nl_type {
	int			(*pre)(const struct nlmsghdr *nlh);
	nl_parse_fn		 parse;
	const struct nlattr_pol	*pol;
	uint16_t		 max;
	uint8_t			 hdrlen;
	uint8_t			 del;
};

#define NL_TYPE(pre, fn, pol, hdr, del) \
	{ pre, fn, pol, NLATTR_MAX(pol), sizeof(hdr), del }

static const struct nl_type nl_types[] = {
	[RTM_NEWLINK] = NL_TYPE(nl_pre_unspec, nl_parse_link, link_pol,
	    struct ifinfomsg, 0),
	[RTM_DELLINK] = NL_TYPE(nl_pre_unspec, nl_parse_link, link_pol,
	    struct ifinfomsg, 1),
	[RTM_NEWADDR] = NL_TYPE(nl_pre_inet, nl_parse_addr, addr_pol,
	    struct ifaddrmsg, 0),
	[RTM_DELADDR] = NL_TYPE(nl_pre_inet, nl_parse_addr, addr_pol,
	    struct ifaddrmsg, 1),
	[RTM_NEWROUTE] = NL_TYPE(nl_pre_route, nl_parse_route, route_pol,
	    struct rtmsg, 0),
	[RTM_DELROUTE] = NL_TYPE(nl_pre_route, nl_parse_route, route_pol,
	    struct rtmsg, 1),
	[RTM_NEWRULE] = NL_TYPE(nl_pre_inet, nl_parse_rule, rule_pol,
	    struct fib_rule_hdr, 0),
	[RTM_DELRULE] = NL_TYPE(nl_pre_inet, nl_parse_rule, rule_pol,
	    struct fib_rule_hdr, 1),
	[RTM_NEWNETCONF] = NL_TYPE(nl_pre_inet, nl_parse_netconf, conf_pol,
	    struct netconfmsg, 0),
	[RTM_DELNETCONF] = NL_TYPE(nl_pre_inet, nl_parse_netconf, conf_pol,
	    struct netconfmsg, 1),
	[RTM_NEWNEXTHOP] = NL_TYPE(nl_pre_nexthop, nl_parse_nexthop, nh_pol,
	    struct nhmsg, 0),
	[RTM_DELNEXTHOP] = NL_TYPE(nl_pre_nexthop, nl_parse_nexthop, nh_pol,
	    struct nhmsg, 1),
};

/* Room for the attributes of the largest policy above. */
#define NL_TB_SIZE	(IFLA_CARRIER + 1)
_Static_assert(NLATTR_MAX(link_pol) < NL_TB_SIZE &&
    NLATTR_MAX(route_pol) < NL_TB_SIZE && NLATTR_MAX(rule_pol) < NL_TB_SIZE &&
    NLATTR_MAX(nh_pol) < NL_TB_SIZE && NLATTR_MAX(addr_pol) < NL_TB_SIZE &&
    NLATTR_MAX(conf_pol) < NL_TB_SIZE, "NL_TB_SIZE too small");

static int
nl_parse_typed(const struct nlmsghdr *nlh, const struct nl_type *t,
    struct nl_msg *out)
{
	const struct nlattr *tb[NL_TB_SIZE];
	int rv;

	if (!nlattr_msg_fits(nlh, t->hdrlen))
		return -EBADMSG;
	if ((rv = t->pre(nlh)) != 0)
		return rv;
	if ((rv = nlattr_parse_msg(nlh, t->hdrlen, t->pol, t->max, tb)) < 0)
		return rv;
	return t->parse(nlh, tb, out);
}

/**
 * nl_parse_msg - parse one rtnetlink message.
 * @nlh: the message; nlmsg_len must already lie inside its buffer.
 * @out: filled only on success (zeroed first in every case).
 *
 * Return: 0 with @out filled; NLS_* (> 0) for a message that is valid
 * but ignored; -EBADMSG or -E2BIG for a malformed one.
 */
/*
 * What nl_parse_msg clears: everything but the legs of a route and the
 * members of a group (several KiB that the parsers write one by one, as
 * many as they fill), so that a message costs what it carries.
 */
#define NL_MAX(a, b)	((a) > (b) ? (a) : (b))
#define NL_U_HEAD	NL_MAX(NL_MAX(offsetof(struct fib_config, fc_mp),	\
	offsetof(struct fib_nexthop_cfg, grp)), NL_MAX(NL_MAX(		\
	sizeof(struct nl_link), sizeof(struct nl_addr)), NL_MAX(	\
	sizeof(struct fib_rule_cfg), sizeof(struct nl_netconf))))
#define NL_MSG_HEAD	(offsetof(struct nl_msg, u) + NL_U_HEAD)

int
nl_parse_msg(const struct nlmsghdr *nlh, struct nl_msg *out)
{
	const struct nl_type *t;
	int rv;

	memset(out, 0, NL_MSG_HEAD);
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN)
		return -EBADMSG;
	out->nlflags = nlh->nlmsg_flags;
	if (nlh->nlmsg_type >= NLMSG_NOOP && nlh->nlmsg_type <= NLMSG_OVERRUN)
		return NLS_CONTROL;
	if (nlh->nlmsg_type >= sizeof(nl_types) / sizeof(nl_types[0]) ||
	    (t = &nl_types[nlh->nlmsg_type])->parse == NULL)
		return NLS_UNKNOWN_TYPE;
	out->del = t->del;
	if ((rv = nl_parse_typed(nlh, t, out)) != 0) {
		memset(out, 0, NL_MSG_HEAD);
		out->del = t->del;
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
	return nlmsg_walk(buf, len, fn, arg);
}
