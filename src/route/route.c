/* SPDX-License-Identifier: MIT */
/*
 * route.c - route resolution: ip_route_output_key and ip_route_input, the
 * slow paths that turn a FIB answer into an rtable, and RTM_GETROUTE's
 * rules (ip_route_get).
 *
 * The steps are those of the 2.6/3.x kernel (source checks, the device
 * of a given oif, local and broadcast results, multipath, source
 * selection, __mkroute_output; martian checks, local delivery, broadcast,
 * forwarding and reverse-path validation on input); where a modern
 * kernel answers differently, it is followed: route-specific errnos on
 * output, only 0.0.0.0 is "zeronet", a non-local source is ENETUNREACH,
 * the fib_validate_source fast path, directed broadcasts forwarded, the
 * flow rules see on input (root uid; protocol and ports only while a
 * rule needs them), the rules' realms, and `ip route get ... iif`
 * reports every input drop as EINVAL.  Device settings are read as the
 * kernel combines conf/all with the device's (CONF_OR, CONF_AND,
 * CONF_MAX, CONF_DEV below).  Each decision is commented with the
 * kernel behaviour it reproduces.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "rtcache/route.h"
#include "route/route_internal.h"

static inline int
ipv4_is_multicast(uint32_t a)
{
	return (ntohl(a) & 0xf0000000) == 0xe0000000;
}

static inline int
ipv4_is_local_multicast(uint32_t a)
{
	return (ntohl(a) & 0xffffff00) == 0xe0000000;
}

static inline int
ipv4_is_lbcast(uint32_t a)
{
	return a == 0xffffffff;
}

static inline int
ipv4_is_loopback(uint32_t a)
{
	return (ntohl(a) & 0xff000000) == 0x7f000000;
}

/* Modern kernels: only 0.0.0.0 itself (2.6-5.2: all of 0/8). */
static inline int
ipv4_is_zeronet(uint32_t a)
{
	return a == 0;
}

static struct net_device *
loopback_dev(void)
{
	int lo = netdev_loopback_index();

	return lo ? netdev_get_by_index(lo) : NULL;
}

/*
 * __ip_dev_find: the device that has @addr configured, or, as the kernel
 * falls back to, the device of a local route covering it (127.1.2.3 is
 * ours through "local 127.0.0.0/8 dev lo"); NULL when neither.  Of an
 * address on several devices the kernel finds the one added last (its
 * address hash chains add at the head): the mirror knows that order for
 * what it saw added, and takes dump order (devices by index) for what a
 * sync found.
 */
static struct net_device *
ip_dev_find(uint32_t addr)
{
	struct net_device *dev, *found = NULL;
	struct fib_result res;
	struct flowi4 fl4;
	uint64_t seq = 0;

	for (dev = netdev_first(); dev != NULL;
	    dev = rcu_dereference(dev->dev_next)) {
		struct in_ifaddr *ifa;

		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa))
			if (ifa->ifa_local == addr && ifa->ifa_seq >= seq) {
				found = dev;
				seq = ifa->ifa_seq;
			}
	}
	if (found != NULL)
		return found;
	memset(&fl4, 0, sizeof(fl4));
	memset(&res, 0, sizeof(res));
	fl4.daddr = addr;
	/* table local: main's local routes too while the two are one */
	if (fib_table_lookup_id(RT_TABLE_LOCAL, &fl4, &res) != 0 ||
	    res.type != RTN_LOCAL)
		return NULL;
	if (res.nhc != NULL && res.nhc->nh_dev != NULL)
		return res.nhc->nh_dev;
	return loopback_dev();
}

static int
dev_has_ipv4(const struct net_device *dev)
{
	return netdev_ifa_first(dev) != NULL;
}

/*
 * ip_check_mc_rcu: is the host a member of @group on @dev, for any
 * source?  The mirror knows no group memberships but the one every
 * device has: ip_mc_up() joins all-hosts (224.0.0.1, source filter
 * EXCLUDE nothing, so every source passes) when the device comes up,
 * IFF_MULTICAST or not (lo too), and ip_mc_down() leaves it; a device
 * whose MTU is below 68 has no IPv4 (inetdev_valid_mtu) and so no
 * groups.  Groups that sockets join (IP_ADD_MEMBERSHIP, listed in
 * /proc/net/igmp) are not mirrored: for them the answer is "not a
 * member" (tests/diff/findings.md, section 10).
 */
static int
ip_check_mc(const struct net_device *dev, uint32_t group)
{
	return group == htonl(0xe0000001) && netdev_is_up(dev) &&
	    netdev_mtu(dev) >= 68;
}

/*
 * A device setting as the kernel reads it (IN_DEV_ORCONF, ANDCONF and
 * MAXCONF of include/linux/inetdevice.h): conf/all's value combined
 * with @dev's.  rtcache/netdev.h says which field combines how.
 */
static inline int
conf_at(const struct netdev_conf *c, size_t off)
{
	return READ_ONCE(*(const int *)((const char *)c + off));
}

static int
conf_or(const struct net_device *dev, size_t off)
{
	return conf_at(netdev_conf_all(), off) || conf_at(&dev->cnf, off);
}

static int
conf_and(const struct net_device *dev, size_t off)
{
	return conf_at(netdev_conf_all(), off) && conf_at(&dev->cnf, off);
}

static int
conf_max(const struct net_device *dev, size_t off)
{
	int all = conf_at(netdev_conf_all(), off), d = conf_at(&dev->cnf, off);

	return all > d ? all : d;
}

#define CONF_OR(dev, field)  conf_or(dev, offsetof(struct netdev_conf, field))
#define CONF_AND(dev, field) conf_and(dev, offsetof(struct netdev_conf, field))
#define CONF_MAX(dev, field) conf_max(dev, offsetof(struct netdev_conf, field))
#define CONF_DEV(dev, field) READ_ONCE((dev)->cnf.field)

/*
 * The cache key of a flow: uid, protocol and ports only when some rule
 * selects on them (otherwise they cannot change the answer, and leaving
 * them out lets one entry serve every user and port).  On the input
 * path the source check looks the way back up with the ports swapped,
 * so a rule on either port reads both.
 */
static void
flow_canonical(struct flowi4 *fl4, int input)
{
	unsigned int kf = READ_ONCE(fib_rules_key_fields);

	if (input && (kf & (FIB_RULE_HAS_SPORT | FIB_RULE_HAS_DPORT)))
		kf |= FIB_RULE_HAS_SPORT | FIB_RULE_HAS_DPORT;

	if (!(kf & FIB_RULE_HAS_UID))
		fl4->flowi4_uid = 0;
	if (!(kf & FIB_RULE_HAS_PROTO))
		fl4->flowi4_proto = 0;
	if (!(kf & FIB_RULE_HAS_SPORT))
		fl4->fl4_sport = 0;
	if (!(kf & FIB_RULE_HAS_DPORT))
		fl4->fl4_dport = 0;
}

static void
rt_set_key(struct rtable *rt, const struct flowi4 *fl4, int iif)
{
	rt->rt_key_dst = fl4->daddr;
	rt->rt_key_src = fl4->saddr;
	rt->rt_route_iif = iif;
	rt->rt_oif = iif ? 0 : fl4->flowi4_oif;
	rt->rt_mark = fl4->flowi4_mark;
	rt->rt_uid = fl4->flowi4_uid;
	rt->rt_key_tos = fl4->flowi4_tos & IPTOS_RT_MASK;
	rt->rt_proto = fl4->flowi4_proto;
	rt->rt_sport = fl4->fl4_sport;
	rt->rt_dport = fl4->fl4_dport;
}

/*
 * The table the kernel names in a getroute answer: with only the default
 * rules, tables local and main are one trie in modern kernels and the
 * answer says main.
 */
static uint32_t
rt_reported_table(uint32_t table)
{
	if (table == RT_TABLE_LOCAL &&
	    !READ_ONCE(fib_rules_custom))
		return RT_TABLE_MAIN;
	return table;
}

/*
 * rt_set_nexthop: gateway, metrics, the nexthop's realms and table from
 * the FIB answer.  Metrics and realms come with any fib_info, whatever
 * the route's type (local, broadcast and multicast included:
 * ip_dst_init_metrics, dst.tclassid = nh_tclassid).
 */
static void
rt_set_nexthop(struct rtable *rt, const struct fib_result *res)
{
	const struct fib_nh *nh = res->nhc;

	if (res->fi != NULL) {
		if (nh != NULL)
			rt->rt_tclassid = nh->nh_tclassid;
		rt->dst._metrics = res->fi->fib_metrics;
		rt->rt_pmtu = res->fi->fib_metrics[RTAX_MTU - 1];
		if (rt->rt_pmtu > 0xfff0)
			rt->rt_pmtu = 0xfff0;
	}
	/* a gateway's scope may be settled after a sync (fib_sync_settle) */
	if (nh != NULL && nh->nh_gw != 0 &&
	    READ_ONCE(nh->nh_scope) == RT_SCOPE_LINK)
		rt->rt_gateway = nh->nh_gw;
	rt->rt_table = rt_reported_table(res->table);
	rt->rt_tos = res->tos;
	rt->rt_nh_sel = res->nh_sel;
	rt->rt_prefixlen = res->prefixlen;
}

/*
 * set_class_tag: realms fill the halves (from, to) still empty: after
 * the nexthop's own (rt_set_nexthop), an output route takes its rule's,
 * an input route its rule's and then the reverse path's (itag).
 */
static void
rt_set_class_tag(struct rtable *rt, uint32_t tag)
{
	if (!(rt->rt_tclassid & 0xffff))
		rt->rt_tclassid |= tag & 0xffff;
	if (!(rt->rt_tclassid & 0xffff0000))
		rt->rt_tclassid |= tag & 0xffff0000;
}

/* ---------------------------------------------------------- output */

/*
 * A slow path's own flag beside the RTCF_* ones (which use the high 16
 * bits): the multipath leg came from the kernel.  It becomes the dst
 * flag DST_KERNEL_LEG and never reaches rt_flags.
 */
#define RT_KERNEL_LEG		0x1

static unsigned short
rt_dst_flags(unsigned int flags)
{
	return (flags & RT_KERNEL_LEG) ? DST_KERNEL_LEG : 0;
}

/* __mkroute_output: classify, allocate, fill, intern. */
static int
mkroute_output(const struct flowi4 *key, struct fib_result *res,
    uint32_t daddr, uint32_t saddr, struct net_device *dev_out,
    unsigned int flags, unsigned int h, uint32_t genid, struct rtable **rtp)
{
	uint8_t type = res->type;
	struct rtable *rth;

	if (ipv4_is_loopback(saddr) &&
	    !(netdev_flags(dev_out) & NETDEV_F_LOOPBACK) &&
	    !netif_is_l3_master(dev_out) &&
	    !CONF_OR(dev_out, route_localnet))
		return -EINVAL;
	if (ipv4_is_lbcast(daddr)) {
		type = RTN_BROADCAST;
		res->fi = NULL;		/* no gateway, metrics nor realms */
	} else if (ipv4_is_multicast(daddr))
		type = RTN_MULTICAST;
	else if (ipv4_is_zeronet(daddr))
		return -EINVAL;
	if (netdev_flags(dev_out) & NETDEV_F_LOOPBACK)
		flags |= RTCF_LOCAL;
	if (type == RTN_BROADCAST) {
		/* a broadcast route keeps its fib_info: its metrics and
		 * realms are the answer's */
		flags |= RTCF_BROADCAST | RTCF_LOCAL;
	} else if (type == RTN_MULTICAST) {
		flags |= RTCF_MULTICAST | RTCF_LOCAL;
		if (!ip_check_mc(dev_out, daddr))
			flags &= ~RTCF_LOCAL;
		/* never send multicast to the default route's gateway */
		if (res->fi != NULL && res->prefixlen < 4)
			res->fi = NULL;
	}
	rth = rt_dst_alloc(dev_out, rt_dst_flags(flags));
	if (rth == NULL)
		return -ENOBUFS;
	flags &= ~RT_KERNEL_LEG;
	rt_set_key(rth, key, 0);
	rth->rt_genid = genid;
	rth->rt_flags = flags;
	rth->rt_type = type;
	rth->rt_dst = daddr;
	rth->rt_src = saddr;
	rth->rt_iif = key->flowi4_oif ? key->flowi4_oif : dev_out->ifindex;
	rth->rt_spec_dst = saddr;
	if (flags & RTCF_LOCAL)
		rth->rt_spec_dst = daddr;
	if (flags & (RTCF_BROADCAST | RTCF_MULTICAST)) {
		rth->rt_spec_dst = saddr;
		if ((flags & RTCF_LOCAL) &&
		    !(netdev_flags(dev_out) & NETDEV_F_LOOPBACK))
			STAT_INC(rt_stat()->out_slow_mc);
	}
	if (res->fi == NULL)
		res->nhc = NULL;
	rt_set_nexthop(rth, res);
	rt_set_class_tag(rth, res->tclassid);
	if (type == RTN_LOCAL || type == RTN_BROADCAST)
		rth->rt_gateway = 0;
	STAT_INC(rt_stat()->out_slow_tot);
	*rtp = rt_intern_hash(h, rth);
	return 0;
}

/*
 * ip_route_output_slow - resolve an output flow the kernel's way.
 * @key: the flow as asked (it is also the cache key).
 */
static int
ip_route_output_slow(const struct flowi4 *key, unsigned int h, uint32_t genid,
    struct rtable **rtp)
{
	struct fib_result res;
	struct flowi4 fl4 = *key;
	struct net_device *dev_out = NULL;
	unsigned int flags = 0;
	uint32_t daddr = key->daddr, saddr = key->saddr;
	int err;

	memset(&res, 0, sizeof(res));
	res.type = RTN_UNICAST;
	fl4.flowi4_tos = key->flowi4_tos & IPTOS_RT_MASK;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.flowi4_iif = netdev_loopback_index();

	if (saddr) {
		if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr) ||
		    ipv4_is_zeronet(saddr))
			return -EINVAL;
		if (key->flowi4_oif == 0 &&
		    (ipv4_is_multicast(daddr) || ipv4_is_lbcast(daddr))) {
			/* send through the interface that owns saddr */
			dev_out = ip_dev_find(saddr);
			if (dev_out == NULL)
				return -ENETUNREACH;
			fl4.flowi4_oif = dev_out->ifindex;
			goto make_route;
		}
		/* modern: a source we do not own is "unreachable" */
		if (ip_dev_find(saddr) == NULL)
			return -ENETUNREACH;
	}
	if (key->flowi4_oif) {
		dev_out = netdev_get_by_index(key->flowi4_oif);
		if (dev_out == NULL)
			return -ENODEV;
		if (!netdev_is_up(dev_out))
			return -ENETUNREACH;
		if (ipv4_is_local_multicast(daddr) || ipv4_is_lbcast(daddr) ||
		    key->flowi4_proto == 2 /* IPPROTO_IGMP */) {
			if (!saddr)
				saddr = inet_select_addr(dev_out, 0,
				    RT_SCOPE_LINK);
			goto make_route;
		}
		if (!saddr) {
			if (ipv4_is_multicast(daddr))
				saddr = inet_select_addr(dev_out, 0,
				    fl4.flowi4_scope);
			else if (!daddr)
				saddr = inet_select_addr(dev_out, 0,
				    RT_SCOPE_HOST);
		}
	}
	if (!daddr) {
		/* "ip route get 0.0.0.0": ourselves, through loopback */
		daddr = saddr;
		if (!daddr)
			daddr = saddr = htonl(0x7f000001);
		dev_out = loopback_dev();
		if (dev_out == NULL)
			return -ENETUNREACH;
		fl4.flowi4_oif = dev_out->ifindex;
		flags |= RTCF_LOCAL;
		res.type = RTN_LOCAL;
		goto make_route;
	}
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	/* the kernel's fib_lookup leaves its flow so: an oif that is a VRF
	 * is cleared, the VRF is flowi4_l3mdev */
	if (READ_ONCE(fib_rules_custom))
		l3mdev_update_flow(&fl4);
	err = fib_lookup_nopath(&fl4, &res);
	if (err) {
		res.fi = NULL;
		res.nhc = NULL;
		/* inside a VRF no on-link guess, but for multicast */
		if (fl4.flowi4_oif && (ipv4_is_multicast(daddr) ||
		    !fl4.flowi4_l3mdev)) {
			/* Routing tables are wrong: assume it is on link.
			 * The kernel's failed lookup never set the result's
			 * tos (an error route matched leaves none). */
			if (!saddr)
				saddr = inet_select_addr(dev_out, 0,
				    RT_SCOPE_LINK);
			res.type = RTN_UNICAST;
			res.table = 0;
			res.tos = 0;
			goto make_route;
		}
		return err;
	}
	if (res.type == RTN_LOCAL) {
		if (!saddr) {
			if (res.fi != NULL && res.fi->fib_prefsrc)
				saddr = res.fi->fib_prefsrc;
			else
				saddr = daddr;
		}
		/* a VRF is the loopback of its domain */
		dev_out = l3mdev_master_dev(res.nhc != NULL ?
		    res.nhc->nh_dev : NULL);
		if (dev_out == NULL)
			dev_out = loopback_dev();
		if (dev_out == NULL)
			return -ENETUNREACH;
		fl4.flowi4_oif = dev_out->ifindex;
		flags |= RTCF_LOCAL;
		/* res.fi stays: the local route's metrics and realms */
		goto make_route;
	}
	if (fib_select_path(&res, &fl4))
		flags |= RT_KERNEL_LEG;
	if (res.nhc == NULL || res.nhc->nh_dev == NULL)
		return -ENETUNREACH;
	dev_out = res.nhc->nh_dev;
	if (!saddr) {
		fl4.saddr = 0;
		saddr = fib_result_prefsrc(&res);
	}
make_route:
	if (dev_out == NULL)
		return -ENETUNREACH;
	return mkroute_output(key, &res, daddr, saddr, dev_out, flags, h,
	    genid, rtp);
}

/*
 * __ip_route_output_key - everything but the inline slot hit of
 * rtcache/route_hit.h: a flow with a mark or tos, a slot that changed
 * under the inline read, a chain hit, or the slow path.  The generation
 * and bucket are read again, so that the inline part keeps nothing live
 * across the call.
 */
int
__ip_route_output_key(const struct flowi4 *flow, struct rtable **rtp)
{
	uint32_t genid = rt_genid_current();
	struct flowi4 fl4 = *flow;
	struct rtable key, *rth;
	unsigned int h;

	flow_canonical(&fl4, 0);
	rt_set_key(&key, &fl4, 0);
	h = rt_key_hash(&key, genid);
	rth = rt_cache_find(h, &key, genid, 0);
	if (rth != NULL) {
		STAT_INC(rt_stat()->out_hit);
		*rtp = rth;
		return 0;
	}
	return ip_route_output_slow(&fl4, h, genid, rtp);
}

/* __ip_route_output - ip_route_output's flow, out of line. */
int
__ip_route_output(uint32_t daddr, uint32_t saddr, uint8_t tos, int oif,
    struct rtable **rtp)
{
	struct flowi4 fl4;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_tos = tos;
	fl4.flowi4_oif = oif;
	return __ip_route_output_key(&fl4, rtp);
}

void
rt_prefetch_output(const struct flowi4 *fl4, int stage)
{
	uint64_t k1, k2;
	unsigned int h = rt_output_keys(fl4, rt_genid_current(), &k1, &k2);

	if (stage == 0) {
		__builtin_prefetch(&rt_ro.table[h]);
		fib_prefetch(RT_TABLE_MAIN, READ_ONCE(fl4->daddr), 0);
	} else if (!rt_slot_peek(h, k1, k2)) {
		/* a hit will not read the FIB: fetch its zone only for a miss */
		fib_prefetch(RT_TABLE_MAIN, READ_ONCE(fl4->daddr), 1);
	}
}

/* ----------------------------------------------------------- input */

/*
 * The reverse path's realms for the route (fib_combine_itag): the way
 * back's nexthop "to" realm becomes "from" (the rule's "to" when the
 * nexthop has none), and the rule's "from" becomes "to".
 */
static uint32_t
fib_combine_itag(const struct fib_result *res)
{
	uint32_t itag = res->nhc != NULL ? res->nhc->nh_tclassid << 16 : 0;

	if (itag == 0)
		itag = res->tclassid << 16;
	return itag | res->tclassid >> 16;
}

/* nhc_l3mdev_matches_dev: @nh leaves through @dev, or @dev is the VRF
 * of its device. */
static int
nh_matches_dev(const struct fib_nh *nh, const struct net_device *dev)
{
	return nh->nh_dev == dev || (nh->nh_dev != NULL &&
	    l3mdev_master_ifindex(nh->nh_dev) == dev->ifindex);
}

/* fib_info_nh_uses_dev: does a nexthop of @fi (a group's member
 * included) leave through @dev (or a device of the VRF @dev)? */
static int
fib_info_uses_dev(const struct fib_info *fi, const struct net_device *dev)
{
	const struct nexthop *nh;
	const struct nh_grp_entry *g;
	int i;

	if (fi == NULL)
		return 0;
	if ((nh = fi->nh) == NULL) {
		for (i = 0; i < fi->fib_nhs; i++)
			if (nh_matches_dev(&fi->fib_nh[i], dev))
				return 1;
		return 0;
	}
	if (!nh->is_group)
		return nh_matches_dev(&nh->nh, dev);
	g = rcu_dereference(((struct nexthop *)nh)->grp);
	for (i = 0; g != NULL && i < nh->num_nh; i++)
		if (nh_matches_dev(&g[i].nh->nh, dev))
			return 1;
	return 0;
}

/*
 * fib_validate_source_full - __fib_validate_source, the reverse-path
 * lookup: the route back to @src from @dev's point of view, with the
 * packet's protocol and its ports swapped (@pkt, as the rules see it).
 * Return: < 0 (EINVAL for a source that is local, broadcast or a reject
 * route's; EXDEV for rp_filter), else 1 when the way back is a direct
 * route on @dev, 0 otherwise.  Sets *@spec_dst and *@itag (the reverse
 * path's realms).
 */
static int
fib_validate_source_full(uint32_t src, uint32_t dst, uint8_t tos, int oif,
    struct net_device *dev, int rpf, const struct flowi4 *pkt,
    uint32_t *spec_dst, uint32_t *itag)
{
	struct fib_result res;
	struct flowi4 fl4;
	int ret, no_addr = !dev_has_ipv4(dev);

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = src;
	fl4.saddr = dst;
	fl4.flowi4_tos = tos;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.flowi4_iif = oif ? oif : netdev_loopback_index();
	fl4.flowi4_l3mdev = l3mdev_master_ifindex(dev);	/* its VRF's table */
	fl4.flowi4_mark = CONF_OR(dev, src_valid_mark) ? pkt->flowi4_mark : 0;
	fl4.flowi4_proto = pkt->flowi4_proto;
	fl4.fl4_sport = pkt->fl4_dport;
	fl4.fl4_dport = pkt->fl4_sport;
	if (fib_lookup_nopath(&fl4, &res) != 0)
		goto last_resort;
	if (res.type != RTN_UNICAST &&
	    (res.type != RTN_LOCAL || !CONF_OR(dev, accept_local)))
		return -EINVAL;
	*itag = fib_combine_itag(&res);
	*spec_dst = fib_result_prefsrc(&res);
	if (fib_info_uses_dev(res.fi, dev) || (res.type == RTN_LOCAL &&
	    (netdev_flags(dev) & NETDEV_F_LOOPBACK)))
		return res.nhc != NULL &&
		    READ_ONCE(res.nhc->nh_scope) >= RT_SCOPE_HOST;
	if (no_addr)
		goto last_resort;
	if (rpf == 1)
		return -EXDEV;
	/* loose: any route back, through any device */
	fl4.flowi4_oif = dev->ifindex;
	fl4.flowi4_flags = FLOWI_F_IGNORE_LINKSTATE;
	ret = 0;
	if (fib_lookup_nopath(&fl4, &res) == 0 && res.type == RTN_UNICAST) {
		*spec_dst = fib_result_prefsrc(&res);
		ret = res.nhc != NULL &&
		    READ_ONCE(res.nhc->nh_scope) >= RT_SCOPE_HOST;
	}
	return ret;
last_resort:
	if (rpf)
		return -EXDEV;
	*itag = 0;
	*spec_dst = inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE);
	return 0;
}

/*
 * fib_validate_source - is @src a believable source for a packet that
 * arrived on @dev (on its way out of @oif, 0 for local delivery)?  As
 * __fib_validate_source, after the kernel's shortcut: with no rp_filter,
 * no realms in use and no redirect to decide, only a source that is one
 * of our addresses is refused (any with accept_local), unless custom
 * rules or custom local routes make the full lookup necessary.  Sets
 * *@spec_dst and *@itag.
 */
static int
fib_validate_source(uint32_t src, uint32_t dst, uint8_t tos, int oif,
    struct net_device *dev, const struct flowi4 *pkt, uint32_t *spec_dst,
    uint32_t *itag)
{
	int rpf = CONF_MAX(dev, rp_filter);

	*itag = 0;
	if (!rpf && !fib_num_tclassid_users() &&
	    (oif != dev->ifindex || !CONF_OR(dev, send_redirects))) {
		if (!CONF_OR(dev, accept_local)) {
			if (READ_ONCE(fib_rules_custom) ||
			    READ_ONCE(fib_has_custom_local_routes))
				goto full;
			/* inet_lookup_ifaddr_rcu: addresses, not routes */
			if (netdev_addr_is_local(src))
				return -EINVAL;
		}
		*spec_dst = inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE);
		return 0;
	}
full:
	return fib_validate_source_full(src, dst, tos, oif, dev, rpf, pkt,
	    spec_dst, itag);
}

/*
 * inet_addr_onlink: are @a, and @b unless 0, on a subnet of @dev's
 * addresses?
 */
static int
inet_addr_onlink(const struct net_device *dev, uint32_t a, uint32_t b)
{
	const struct in_ifaddr *ifa;

	for (ifa = netdev_ifa_first(dev); ifa != NULL;
	    ifa = netdev_ifa_next(ifa))
		if (((a ^ ifa->ifa_address) & ifa->ifa_mask) == 0 &&
		    (b == 0 || ((b ^ ifa->ifa_address) & ifa->ifa_mask) == 0))
			return 1;
	return 0;
}

/*
 * __mkroute_input's IPSKB_DOREDIRECT: a packet forwarded back out the
 * device it came in on, from a direct neighbour (@direct: what
 * fib_validate_source returned), with send_redirects on, and the
 * medium shared or source and gateway on one of the device's subnets.
 */
static int
mkroute_redirect(const struct net_device *dev, const struct fib_nh *nh,
    uint32_t saddr, int direct)
{
	return nh->nh_dev == dev && direct && CONF_OR(dev, send_redirects) &&
	    (CONF_OR(dev, shared_media) ||
	    inet_addr_onlink(dev, saddr, nh->nh_gw));
}

/*
 * ip_rt_get_dev: the device of a locally delivered packet's route: the
 * VRF of the route's device (the loopback of its domain), else lo, else
 * the input device.
 */
static struct net_device *
ip_rt_get_dev(const struct fib_result *res, struct net_device *lo,
    struct net_device *dev)
{
	struct net_device *l3 = NULL;

	if (res->fi != NULL && res->nhc != NULL)
		l3 = l3mdev_master_dev(res->nhc->nh_dev);
	return l3 != NULL ? l3 : lo != NULL ? lo : dev;
}

/*
 * Build and intern an input route.  Realms: a forwarded packet's route
 * takes its rule's, then the reverse path's (@itag, rt_set_nexthop); a
 * locally delivered one only the reverse path's.
 */
static int
mkroute_input(const struct flowi4 *key, int iif, struct fib_result *res,
    struct net_device *dev, unsigned int flags, uint32_t spec_dst,
    uint32_t itag, short error, unsigned int h, uint32_t genid,
    struct rtable **rtp)
{
	struct rtable *rth = rt_dst_alloc(dev, rt_dst_flags(flags));

	if (rth == NULL)
		return -ENOBUFS;
	rt_set_key(rth, key, iif);
	rth->rt_genid = genid;
	rth->rt_flags = flags & ~RT_KERNEL_LEG;
	rth->rt_type = res->type;
	rth->rt_dst = key->daddr;
	rth->rt_src = key->saddr;
	rth->rt_iif = iif;
	rth->rt_spec_dst = spec_dst;
	rth->dst.error = error;
	if (!(flags & RTCF_LOCAL) && res->fi != NULL) {
		rt_set_nexthop(rth, res);	/* forwarded: unicast, broadcast */
	} else {
		/* delivered: no metrics nor the route's realms, but the
		 * matched route's tos (the kernel's res.dscp) */
		rth->rt_table = rt_reported_table(res->table);
		rth->rt_tos = res->tos;
	}
	if (!(flags & RTCF_LOCAL) && error == 0)
		rt_set_class_tag(rth, res->tclassid);
	rt_set_class_tag(rth, itag);
	*rtp = rt_intern_hash(h, rth);
	return 0;
}

/*
 * ip_route_input_mc - a packet to a multicast group, as
 * ip_route_input_rcu and ip_route_input_mc take it: delivered (dev lo,
 * <local,mc>, no table) when the input device is a member of the group
 * (ip_check_mc_rcu), else dropped (EINVAL): multicast forwarding needs a
 * multicast routing daemon's socket (mc_forwarding), which the mirror
 * does not see and a namespace does not have unless one runs.  The
 * source is checked by ip_mc_validate_source: no multicast or limited
 * broadcast, loopback only with route_localnet, 0.0.0.0 only to
 * 224.0.0.0/24 (or IGMP), any other through fib_validate_source (its
 * realms are the route's).
 */
static int
ip_route_input_mc(const struct flowi4 *key, int iif, struct net_device *dev,
    struct net_device *lo, const struct flowi4 *pkt, unsigned int h,
    uint32_t genid, struct rtable **rtp)
{
	uint32_t daddr = key->daddr, saddr = key->saddr, spec_dst = 0, itag = 0;
	struct fib_result res;
	int err;

	if (!ip_check_mc(dev, daddr))
		return -EINVAL;
	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		return -EINVAL;
	if (ipv4_is_loopback(saddr) && !CONF_OR(dev, route_localnet))
		return -EINVAL;
	if (ipv4_is_zeronet(saddr)) {
		if (!ipv4_is_local_multicast(daddr) &&
		    key->flowi4_proto != 2 /* IPPROTO_IGMP */)
			return -EINVAL;
	} else {
		err = fib_validate_source(saddr, 0,
		    key->flowi4_tos & IPTOS_RT_MASK, 0, dev, pkt, &spec_dst,
		    &itag);
		if (err < 0)
			return err;
	}
	STAT_INC(rt_stat()->in_slow_mc);
	memset(&res, 0, sizeof(res));
	res.type = RTN_MULTICAST;	/* no FIB lookup: no table, no tos */
	return mkroute_input(key, iif, &res, lo != NULL ? lo : dev,
	    RTCF_MULTICAST | RTCF_LOCAL, spec_dst, itag, 0, h, genid, rtp);
}

static int
ip_route_input_slow(const struct flowi4 *key, int iif, unsigned int h,
    uint32_t genid, struct rtable **rtp)
{
	struct rt_cache_stat *st = rt_stat();
	uint32_t daddr = key->daddr, saddr = key->saddr, spec_dst = 0, itag = 0;
	struct net_device *dev = netdev_get_by_index(iif), *lo, *ldev;
	struct fib_result res;
	struct flowi4 fl4, pkt = *key;
	unsigned int flags = 0;
	int err;

	/*
	 * Rules and the source check see the protocol and ports only while
	 * some rule needs them (fib4_rules_early_flow_dissect); the
	 * multipath hash dissects the packet whatever the rules.
	 */
	if (!READ_ONCE(fib_rules_flow_dissect))
		pkt.flowi4_proto = pkt.fl4_sport = pkt.fl4_dport = 0;
	memset(&res, 0, sizeof(res));
	if (dev == NULL)
		return -ENODEV;
	lo = loopback_dev();
	/* ip_route_input_rcu: multicast before anything else */
	if (ipv4_is_multicast(daddr))
		return ip_route_input_mc(key, iif, dev, lo, &pkt, h, genid,
		    rtp);
	/* martian sources and the special destinations, in kernel order */
	if (ipv4_is_multicast(saddr) || ipv4_is_lbcast(saddr))
		goto martian_source;
	if (ipv4_is_lbcast(daddr) || (saddr == 0 && daddr == 0))
		goto brd_input;
	if (ipv4_is_zeronet(saddr))
		goto martian_source;
	if (ipv4_is_zeronet(daddr))
		goto martian_destination;
	if (ipv4_is_loopback(daddr) && !CONF_OR(dev, route_localnet))
		goto martian_destination;
	if (ipv4_is_loopback(saddr) && !CONF_OR(dev, route_localnet))
		goto martian_source;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_iif = iif;
	fl4.flowi4_mark = key->flowi4_mark;
	fl4.flowi4_tos = key->flowi4_tos & IPTOS_RT_MASK;
	fl4.flowi4_scope = RT_SCOPE_UNIVERSE;
	fl4.flowi4_uid = key->flowi4_uid;
	fl4.flowi4_proto = pkt.flowi4_proto;
	fl4.fl4_sport = pkt.fl4_sport;
	fl4.fl4_dport = pkt.fl4_dport;
	err = fib_lookup_nopath(&fl4, &res);
	if (err) {
		if (!CONF_DEV(dev, forwarding))
			err = -EHOSTUNREACH;
		goto no_route;
	}
	if (res.type == RTN_BROADCAST) {
		/* a directed broadcast is forwarded only when all and the
		 * device say so, forwarding or not */
		if (CONF_AND(dev, bc_forwarding))
			goto make_route;
		goto brd_input;
	}
	STAT_INC(st->in_slow_tot);
	if (res.type == RTN_LOCAL) {
		err = fib_validate_source(saddr, daddr, fl4.flowi4_tos, 0, dev,
		    &pkt, &spec_dst, &itag);
		if (err < 0)
			goto martian_source_err;
		spec_dst = daddr;
		goto local_input;
	}
	if (!CONF_DEV(dev, forwarding)) {
		err = -EHOSTUNREACH;
		goto no_route;
	}
	if (res.type != RTN_UNICAST)
		goto martian_destination;

make_route:	/* forwarding: ip_mkroute_input */
	fl4.flowi4_proto = key->flowi4_proto;
	fl4.fl4_sport = key->fl4_sport;
	fl4.fl4_dport = key->fl4_dport;
	if (fib_select_path_input(&res, &fl4))
		flags |= RT_KERNEL_LEG;
	if (res.nhc == NULL || res.nhc->nh_dev == NULL)
		return -EINVAL;
	err = fib_validate_source(saddr, daddr, fl4.flowi4_tos,
	    res.nhc->nh_dev->ifindex, dev, &pkt, &spec_dst, &itag);
	if (err < 0)
		goto martian_source_err;
	/* (modern kernels no longer mark RTCF_DIRECTSRC) */
	if (mkroute_redirect(dev, res.nhc, saddr, err))
		flags |= RTCF_DOREDIRECT;
	return mkroute_input(key, iif, &res, res.nhc->nh_dev, flags, spec_dst,
	    itag, 0, h, genid, rtp);

brd_input:
	if (saddr == 0) {
		spec_dst = inet_select_addr(dev, 0, RT_SCOPE_LINK);
	} else {
		err = fib_validate_source(saddr, 0, key->flowi4_tos & IPTOS_RT_MASK,
		    0, dev, &pkt, &spec_dst, &itag);
		if (err < 0)
			goto martian_source_err;
	}
	flags |= RTCF_BROADCAST;
	res.type = RTN_BROADCAST;
	ldev = ip_rt_get_dev(&res, lo, dev);	/* of the route looked up */
	res.fi = NULL;
	STAT_INC(st->in_brd);
	goto local_deliver;
local_input:
	ldev = ip_rt_get_dev(&res, lo, dev);
local_deliver:
	flags |= RTCF_LOCAL;
	return mkroute_input(key, iif, &res, ldev, flags, spec_dst,
	    itag, 0, h, genid, rtp);

no_route:
	STAT_INC(st->in_no_route);
	res.type = RTN_UNREACHABLE;
	res.fi = NULL;
	res.table = 0;
	res.tos = 0;		/* a failed lookup sets no tos */
	spec_dst = inet_select_addr(dev, 0, RT_SCOPE_UNIVERSE);
	/* reject routes keep their errno; "no route" is ENETUNREACH */
	if (err == -ESRCH)
		err = -ENETUNREACH;
	return mkroute_input(key, iif, &res, lo ? lo : dev, 0, spec_dst, 0,
	    (short)-err, h, genid, rtp);

martian_destination:
	STAT_INC(st->in_martian_dst);
	return -EINVAL;
martian_source:
	err = -EINVAL;
martian_source_err:
	STAT_INC(st->in_martian_src);
	return err;
}

/*
 * The flow of a packet on the input path (ip_route_input_slow): the
 * namespace's root uid, never the asker's (sock_net_uid(net, NULL)), and
 * the packet's protocol and ports, which the multipath hash reads from
 * the packet and rules only while one needs them (ip_route_input_slow).
 * The cache keys on them only while either reads them (flow_canonical).
 */
static void
flow_input(struct flowi4 *fl4, const struct flowi4 *pkt)
{
	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = pkt->daddr;
	fl4->saddr = pkt->saddr;
	fl4->flowi4_tos = pkt->flowi4_tos & IPTOS_RT_MASK;
	fl4->flowi4_mark = pkt->flowi4_mark;
	fl4->flowi4_uid = 0;
	fl4->flowi4_proto = pkt->flowi4_proto;
	fl4->fl4_sport = pkt->fl4_sport;
	fl4->fl4_dport = pkt->fl4_dport;
}

int
ip_route_input_key(const struct flowi4 *pkt, struct rtable **rtp)
{
	uint32_t genid = rt_cache_genid();
	int iif = pkt->flowi4_iif;
	struct flowi4 fl4;
	struct rtable key, *rth;
	unsigned int h;

	flow_input(&fl4, pkt);
	flow_canonical(&fl4, 1);
	rt_set_key(&key, &fl4, iif);
	h = rt_key_hash(&key, genid);
	rth = rt_cache_find(h, &key, genid, 1);
	if (rth != NULL) {
		STAT_INC(rt_stat()->in_hit);
		*rtp = rth;
		return 0;
	}
	return ip_route_input_slow(&fl4, iif, h, genid, rtp);
}

int
ip_route_input(uint32_t daddr, uint32_t saddr, uint8_t tos, int iif,
    uint32_t mark, uint32_t uid, struct rtable **rtp)
{
	struct flowi4 fl4;

	(void)uid;	/* not the kernel's input path's: see route.h */
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	fl4.saddr = saddr;
	fl4.flowi4_tos = tos;
	fl4.flowi4_iif = iif;
	fl4.flowi4_mark = mark;
	return ip_route_input_key(&fl4, rtp);
}
