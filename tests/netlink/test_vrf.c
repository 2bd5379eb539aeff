/* SPDX-License-Identifier: MIT */
/*
 * test_vrf.c - VRF (l3mdev) end to end through the mirror: recorded
 * rtnetlink messages go through nl_apply_nlh(), the real parse and apply
 * path, and the lookups are asked of ip_route_output_key() and
 * ip_route_input_key() as `ip route get` asks the kernel.
 *
 * The machine that runs the tests has no vrf module, so the messages are
 * not captured: they are written here with libmnl from the kernel's own
 * format, field by field and in its attribute order: links as
 * rtnl_fill_ifinfo() and rtnl_link_fill() send them (vrf_fillinfo's
 * IFLA_VRF_TABLE, vrf_fill_slave_info's IFLA_VRF_PORT_TABLE), addresses
 * as inet_fill_ifaddr(), routes as fib_dump_info() (the local, broadcast
 * and prefix routes fib_add_ifaddr() puts in the VRF's table), and the
 * rule as fib_nl_fill_rule() sends the one vrf_add_fib_rules() adds
 * (`1000: from all lookup [l3mdev-table]`, proto kernel).
 *
 * The namespace: lo=1; v0=2 192.168.1.1/24 outside any VRF, default via
 * 192.168.1.254; red=9 a VRF of table 10 (after its members in the
 * device list); v1=4 in red, 10.10.0.1/24, 172.16.0.0/16 via
 * 10.10.0.254 in table 10; v2=5 in red without an address,
 * 172.17.0.0/16 dev v2 in table 10.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <criterion/criterion.h>
#include <libmnl/libmnl.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/route.h"
#include "netlink/nl_internal.h"
#include "netlink/nl_parse.h"

#define LO	1
#define V0	2
#define RED	9
#define V1	4
#define V2	5
#define RED_TABLE 10

static char buf[8192];
static struct mirror M;

static uint32_t
A(const char *s)
{
	uint32_t a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

/* ------------------------------------------------------------------ */
/* Messages, as the kernel writes them.                                */

struct link_desc {
	int		 ifindex;
	const char	*name;
	unsigned int	 flags;
	int		 master;	/* IFLA_MASTER, 0: none */
	const char	*kind;		/* IFLA_INFO_KIND, NULL: none (lo) */
	uint32_t	 vrf_table;	/* kind vrf: IFLA_VRF_TABLE */
	uint32_t	 port_table;	/* a VRF member: IFLA_VRF_PORT_TABLE */
};

/* rtnl_link_fill: IFLA_LINKINFO (nests without NLA_F_NESTED). */
static void
put_linkinfo(struct nlmsghdr *nlh, const struct link_desc *d)
{
	struct nlattr *li, *data;

	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, d->kind);
	if (strcmp(d->kind, "vrf") == 0) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		mnl_attr_put_u32(nlh, IFLA_VRF_TABLE, d->vrf_table);
		mnl_attr_nest_end(nlh, data);
	}
	if (d->port_table != 0) {
		mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "vrf");
		data = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
		mnl_attr_put_u32(nlh, IFLA_VRF_PORT_TABLE, d->port_table);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, li);
}

/* RTM_NEWLINK as rtnl_fill_ifinfo() orders it (the attributes the
 * mirror reads and their neighbours; statistics left out). */
static struct nlmsghdr *
msg_link(const struct link_desc *d)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x10 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_type = d->ifindex == LO ? ARPHRD_LOOPBACK : ARPHRD_ETHER;
	ifi->ifi_index = d->ifindex;
	ifi->ifi_flags = d->flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, d->name);
	mnl_attr_put_u32(nlh, IFLA_TXQLEN, 1000);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, 6 /* IF_OPER_UP */);
	mnl_attr_put_u8(nlh, IFLA_LINKMODE, 0);
	mnl_attr_put_u32(nlh, IFLA_MTU, d->kind != NULL &&
	    strcmp(d->kind, "vrf") == 0 ? 65575 : 1500);
	mnl_attr_put_u32(nlh, IFLA_GROUP, 0);
	mnl_attr_put_u32(nlh, IFLA_PROMISCUITY, 0);
	mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, 1);
	mnl_attr_put_strz(nlh, IFLA_QDISC, "noqueue");
	mnl_attr_put_u32(nlh, IFLA_CARRIER_CHANGES, 1);
	mnl_attr_put_u8(nlh, IFLA_PROTO_DOWN, 0);
	if (d->master != 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)d->master);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	mnl_attr_put(nlh, IFLA_BROADCAST, sizeof(bcast), bcast);
	if (d->kind != NULL)
		put_linkinfo(nlh, d);
	return nlh;
}

/* RTM_NEWADDR as inet_fill_ifaddr() writes a permanent address. */
static struct nlmsghdr *
msg_addr(int ifindex, const char *a, uint8_t plen, const char *brd,
    uint8_t scope, const char *label)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	struct ifa_cacheinfo ci = { 0xffffffff, 0xffffffff, 100, 100 };

	nlh->nlmsg_type = RTM_NEWADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_flags = IFA_F_PERMANENT;
	ifa->ifa_scope = scope;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_ADDRESS, A(a));
	mnl_attr_put_u32(nlh, IFA_LOCAL, A(a));
	if (brd != NULL)
		mnl_attr_put_u32(nlh, IFA_BROADCAST, A(brd));
	mnl_attr_put_strz(nlh, IFA_LABEL, label);
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT);
	mnl_attr_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	return nlh;
}

struct route_desc {
	uint32_t	 table;
	uint8_t		 type, scope, protocol;
	const char	*dst;
	uint8_t		 plen;
	uint32_t	 priority;
	const char	*prefsrc;
	const char	*gw;
	int		 oif;
};

/* RTM_NEWROUTE as fib_dump_info() writes a single-path route. */
static struct nlmsghdr *
msg_route(const struct route_desc *r)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = r->plen;
	rtm->rtm_table = r->table < 256 ? (uint8_t)r->table : RT_TABLE_COMPAT;
	rtm->rtm_type = r->type;
	rtm->rtm_scope = r->scope;
	rtm->rtm_protocol = r->protocol;
	mnl_attr_put_u32(nlh, RTA_TABLE, r->table);
	if (r->plen != 0)
		mnl_attr_put_u32(nlh, RTA_DST, A(r->dst));
	if (r->priority != 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, r->priority);
	if (r->prefsrc != NULL)
		mnl_attr_put_u32(nlh, RTA_PREFSRC, A(r->prefsrc));
	if (r->gw != NULL)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, A(r->gw));
	if (r->oif != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->oif);
	return nlh;
}

/* RTM_NEWRULE as fib_nl_fill_rule() writes the VRF driver's rule. */
static struct nlmsghdr *
msg_l3mdev_rule(uint16_t type)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = type;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->table = RT_TABLE_UNSPEC;
	frh->action = FR_ACT_TO_TBL;
	mnl_attr_put_u32(nlh, FRA_TABLE, 0);
	mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, 0xffffffff);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTPROT_KERNEL);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, 1000);
	mnl_attr_put_u8(nlh, FRA_L3MDEV, 1);
	return nlh;
}

/* One event through the mirror, which must apply it. */
static void
apply(const struct nlmsghdr *nlh)
{
	struct nl_msg m;
	int rv = nl_parse_msg(nlh, &m);

	cr_assert_eq(rv, 0, "message type %u: %s", nlh->nlmsg_type,
	    nl_skip_str(rv));
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1,
	    "message type %u not applied", nlh->nlmsg_type);
}

#define UP	(IFF_UP | IFF_RUNNING | NETDEV_F_LOWER_UP)

static const struct link_desc lo_link = { LO, "lo", UP | IFF_LOOPBACK,
	0, NULL, 0, 0 };
static const struct link_desc v0_link = { V0, "v0", UP | IFF_BROADCAST |
	IFF_MULTICAST, 0, "veth", 0, 0 };
static const struct link_desc red_link = { RED, "red", UP | IFF_MASTER |
	IFF_NOARP, 0, "vrf", RED_TABLE, 0 };
static const struct link_desc v1_link = { V1, "v1", UP | IFF_BROADCAST |
	IFF_MULTICAST | IFF_SLAVE, RED, "veth", 0, RED_TABLE };
static const struct link_desc v2_link = { V2, "v2", UP | IFF_BROADCAST |
	IFF_MULTICAST | IFF_SLAVE, RED, "veth", 0, RED_TABLE };

static const struct route_desc routes[] = {
	/* lo and v0: tables local and main, in fib_add_ifaddr()'s order */
	{ RT_TABLE_LOCAL, RTN_LOCAL, RT_SCOPE_HOST, RTPROT_KERNEL,
	    "127.0.0.1", 32, 0, "127.0.0.1", NULL, LO },
	{ RT_TABLE_LOCAL, RTN_LOCAL, RT_SCOPE_HOST, RTPROT_KERNEL,
	    "127.0.0.0", 8, 0, "127.0.0.1", NULL, LO },
	{ RT_TABLE_LOCAL, RTN_LOCAL, RT_SCOPE_HOST, RTPROT_KERNEL,
	    "192.168.1.1", 32, 0, "192.168.1.1", NULL, V0 },
	{ RT_TABLE_LOCAL, RTN_BROADCAST, RT_SCOPE_LINK, RTPROT_KERNEL,
	    "192.168.1.255", 32, 0, "192.168.1.1", NULL, V0 },
	{ RT_TABLE_MAIN, RTN_UNICAST, RT_SCOPE_LINK, RTPROT_KERNEL,
	    "192.168.1.0", 24, 0, "192.168.1.1", NULL, V0 },
	{ RT_TABLE_MAIN, RTN_UNICAST, RT_SCOPE_UNIVERSE, RTPROT_BOOT,
	    NULL, 0, 0, NULL, "192.168.1.254", V0 },
	/* v1 in red: fib_add_ifaddr() with the VRF's table for both */
	{ RED_TABLE, RTN_LOCAL, RT_SCOPE_HOST, RTPROT_KERNEL,
	    "10.10.0.1", 32, 0, "10.10.0.1", NULL, V1 },
	{ RED_TABLE, RTN_BROADCAST, RT_SCOPE_LINK, RTPROT_KERNEL,
	    "10.10.0.255", 32, 0, "10.10.0.1", NULL, V1 },
	{ RED_TABLE, RTN_UNICAST, RT_SCOPE_LINK, RTPROT_KERNEL,
	    "10.10.0.0", 24, 0, "10.10.0.1", NULL, V1 },
	{ RED_TABLE, RTN_UNICAST, RT_SCOPE_UNIVERSE, RTPROT_BOOT,
	    "172.16.0.0", 16, 0, NULL, "10.10.0.254", V1 },
	{ RED_TABLE, RTN_UNICAST, RT_SCOPE_LINK, RTPROT_BOOT,
	    "172.17.0.0", 16, 0, NULL, NULL, V2 },
};

/* `ip route add unreachable default metric 4278198272 vrf red`, the
 * end of a VRF's table its documentation asks for. */
static const struct route_desc red_unreachable = { RED_TABLE,
	RTN_UNREACHABLE, RT_SCOPE_UNIVERSE, RTPROT_BOOT, NULL, 0, 4278198272U,
	NULL, NULL, 0 };

static void
setup(void)
{
	size_t i;

	rcu_register_thread();
	cr_assert_eq(fib_init(), 0);
	cr_assert_eq(rt_cache_init(NULL), 0);
	memset(&M, 0, sizeof(M));
	mirror_set_log(NULL, NULL);
	apply(msg_link(&lo_link));
	apply(msg_link(&v0_link));
	apply(msg_link(&red_link));
	apply(msg_link(&v1_link));
	apply(msg_link(&v2_link));
	apply(msg_addr(LO, "127.0.0.1", 8, NULL, RT_SCOPE_HOST, "lo"));
	apply(msg_addr(V0, "192.168.1.1", 24, "192.168.1.255",
	    RT_SCOPE_UNIVERSE, "v0"));
	apply(msg_addr(V1, "10.10.0.1", 24, "10.10.0.255", RT_SCOPE_UNIVERSE,
	    "v1"));
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		apply(msg_route(&routes[i]));
	apply(msg_l3mdev_rule(RTM_NEWRULE));
}

static void
teardown(void)
{
	rt_cache_quiescent();
	nl_mirror_clear(&M);
	rt_cache_exit();
	fib_exit();
	rcu_unregister_thread();
}

TestSuite(vrf, .init = setup, .fini = teardown);

/* ------------------------------------------------------------------ */
/* Lookups, as inet_rtm_getroute makes them.                          */

static int
get_out(const char *dst, const char *src, int oif, struct rtable **rtp)
{
	struct flowi4 fl4;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A(dst);
	fl4.saddr = src != NULL ? A(src) : 0;
	fl4.flowi4_oif = oif;
	fl4.flowi4_iif = LO;
	fl4.flowi4_proto = IPPROTO_UDP;
	rt_cache_quiescent();
	return ip_route_output_key(&fl4, rtp);
}

static int
get_in(const char *dst, const char *src, int iif, struct rtable **rtp)
{
	struct flowi4 fl4;
	int err;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A(dst);
	fl4.saddr = A(src);
	fl4.flowi4_iif = iif;
	fl4.flowi4_proto = IPPROTO_UDP;
	rt_cache_quiescent();
	err = ip_route_input_key(&fl4, rtp);
	if (err == 0 && (*rtp)->dst.error != 0)
		err = -(*rtp)->dst.error;
	return err;
}

static void
set_forwarding(int ifindex)
{
	struct net_device *dev = netdev_get_by_index(ifindex);
	struct netdev_conf c = dev->cnf;

	c.forwarding = 1;
	cr_assert_eq(netdev_set_conf(ifindex, &c), 0);
	fib_bump_genid();
}

/* ------------------------------------------------------------------ */

Test(vrf, a_vrf_link_carries_its_table_and_a_member_its_master)
{
	struct nl_msg m;

	cr_assert_eq(nl_parse_msg(msg_link(&red_link), &m), 0);
	cr_assert_eq(m.u.link.vrf_table, RED_TABLE);
	cr_assert_eq(m.u.link.master, 0);
	cr_assert_eq(nl_parse_msg(msg_link(&v1_link), &m), 0);
	cr_assert_eq(m.u.link.vrf_table, 0, "a member is no VRF itself");
	cr_assert_eq(m.u.link.master, RED);
	cr_assert_eq(nl_parse_msg(msg_link(&v0_link), &m), 0);
	cr_assert_eq(m.u.link.vrf_table, 0);
}

Test(vrf, the_device_table_knows_each_devices_vrf_and_its_table)
{
	struct net_device *red = netdev_get_by_index(RED);
	struct net_device *v1 = netdev_get_by_index(V1);
	struct net_device *v0 = netdev_get_by_index(V0);

	cr_assert(netif_is_l3_master(red));
	cr_assert_not(netif_is_l3_master(v1));
	cr_assert(netif_is_l3_slave(v1));
	cr_assert_not(netif_is_l3_slave(v0));
	cr_assert_eq(l3mdev_master_ifindex(red), RED, "a VRF is its own");
	cr_assert_eq(l3mdev_master_ifindex(v1), RED);
	cr_assert_eq(l3mdev_master_ifindex(v0), 0);
	cr_assert_eq(l3mdev_fib_table(v1), RED_TABLE);
	cr_assert_eq(l3mdev_fib_table(red), RED_TABLE);
	cr_assert_eq(l3mdev_fib_table(v0), 0);
}

Test(vrf, a_device_whose_master_is_no_vrf_is_in_no_vrf)
{
	static const struct link_desc br = { 6, "br0", UP | IFF_MASTER, 0,
	    "bridge", 0, 0 };
	static const struct link_desc port = { 7, "p0", UP | IFF_SLAVE, 6,
	    "veth", 0, 0 };

	apply(msg_link(&br));
	apply(msg_link(&port));
	cr_assert_eq(l3mdev_master_ifindex(netdev_get_by_index(7)), 0);
	cr_assert_eq(l3mdev_fib_table(netdev_get_by_index(7)), 0);
}

Test(vrf, output_by_a_vrf_member_is_answered_from_the_vrf_table)
{
	struct rtable *rt;

	cr_assert_eq(get_out("172.16.1.1", NULL, V1, &rt), 0);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->rt_gateway, A("10.10.0.254"));
	cr_assert_eq(rt->dst.dev->ifindex, V1);
	cr_assert_eq(rt->rt_src, A("10.10.0.1"));
}

Test(vrf, output_by_the_vrf_device_is_answered_from_its_table_and_leaves_by_the_route)
{
	struct rtable *rt;

	/* `ip route get 172.16.1.1 vrf red` sends oif red */
	cr_assert_eq(get_out("172.16.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->dst.dev->ifindex, V1, "the route's device, not red");
	cr_assert_eq(rt->rt_gateway, A("10.10.0.254"));
	cr_assert_eq(rt->rt_src, A("10.10.0.1"));
}

Test(vrf, a_local_address_of_the_vrf_is_delivered_through_the_vrf_device)
{
	struct rtable *rt;

	cr_assert_eq(get_out("10.10.0.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_type, RTN_LOCAL);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->dst.dev->ifindex, RED, "the VRF is its loopback");
	cr_assert_eq(rt->rt_src, A("10.10.0.1"));
	/* outside the VRF the same address is not local: main's default */
	cr_assert_eq(get_out("10.10.0.1", NULL, 0, &rt), 0);
	cr_assert_eq(rt->rt_type, RTN_UNICAST);
	cr_assert_eq(rt->dst.dev->ifindex, V0);
}

Test(vrf, a_flow_outside_any_vrf_does_not_match_the_l3mdev_rule)
{
	struct fib_result res;
	struct flowi4 fl4;
	struct rtable *rt;

	cr_assert_eq(get_out("172.16.1.1", NULL, 0, &rt), 0);
	cr_assert_eq(rt->rt_table, RT_TABLE_MAIN);
	cr_assert_eq(rt->rt_gateway, A("192.168.1.254"));
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("172.16.1.1");
	fl4.flowi4_iif = V0;
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN, "iif v0 is in no VRF");
}

Test(vrf, input_on_a_vrf_member_is_forwarded_from_the_vrf_table)
{
	struct rtable *rt;

	set_forwarding(V1);
	cr_assert_eq(get_in("172.16.1.1", "10.10.0.2", V1, &rt), 0);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->dst.dev->ifindex, V1);
	cr_assert_eq(rt->rt_gateway, A("10.10.0.254"));
	cr_assert_eq(rt->rt_flags & RTCF_LOCAL, 0);
}

Test(vrf, input_for_a_vrf_address_is_delivered_through_the_vrf_device)
{
	struct rtable *rt;

	cr_assert_eq(get_in("10.10.0.1", "10.10.0.2", V1, &rt), 0);
	cr_assert_eq(rt->rt_type, RTN_LOCAL);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->dst.dev->ifindex, RED);
	/* the directed broadcast of the VRF's subnet, likewise */
	cr_assert_eq(get_in("10.10.0.255", "10.10.0.2", V1, &rt), 0);
	cr_assert_eq(rt->rt_type, RTN_BROADCAST);
	cr_assert_eq(rt->dst.dev->ifindex, RED);
	/* and a packet on v0 for the same address is not ours */
	set_forwarding(V0);
	cr_assert_eq(get_in("10.10.0.1", "192.168.1.2", V0, &rt), 0);
	cr_assert_eq(rt->rt_type, RTN_UNICAST);
	cr_assert_eq(rt->rt_table, RT_TABLE_MAIN);
}

Test(vrf, a_vrf_member_with_no_route_is_not_guessed_on_link)
{
	static const struct link_desc v3 = { 6, "v3", UP, 0, "veth", 0, 0 };
	struct rtable *rt;

	/* table 10 cannot answer, main's default leaves by v0: no match
	 * for oif v1, and inside a VRF no on-link guess */
	cr_assert_eq(get_out("8.8.8.8", NULL, V1, &rt), -ENETUNREACH);
	/* outside a VRF, a device no route uses: the kernel guesses the
	 * destination is on link */
	apply(msg_link(&v3));
	cr_assert_eq(get_out("8.8.8.8", NULL, 6, &rt), 0);
	cr_assert_eq(rt->dst.dev->ifindex, 6);
	cr_assert_eq(rt->rt_gateway, 0);
}

Test(vrf, a_vrf_table_that_cannot_answer_goes_on_to_the_next_rules)
{
	struct rtable *rt;

	/* with the oif cleared, main's default answers (the kernel's leak
	 * that the unreachable default of a VRF table closes) */
	cr_assert_eq(get_out("8.8.8.8", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_table, RT_TABLE_MAIN);
	cr_assert_eq(rt->dst.dev->ifindex, V0);
	apply(msg_route(&red_unreachable));
	cr_assert_eq(get_out("8.8.8.8", NULL, RED, &rt), -EHOSTUNREACH);
	cr_assert_eq(get_out("8.8.8.8", NULL, V1, &rt), -EHOSTUNREACH);
}

Test(vrf, source_selection_stays_inside_the_vrf)
{
	struct rtable *rt;

	/* v2 has no address: not v0's (first by index), but v1's */
	cr_assert_eq(get_out("172.17.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->dst.dev->ifindex, V2);
	cr_assert_eq(rt->rt_src, A("10.10.0.1"));
	/* an address on the VRF device itself comes first */
	apply(msg_addr(RED, "10.99.0.1", 32, NULL, RT_SCOPE_UNIVERSE, "red"));
	cr_assert_eq(get_out("172.17.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_src, A("10.99.0.1"));
	/* and outside the VRF none of the VRF's addresses */
	cr_assert_eq(inet_select_addr(NULL, 0, RT_SCOPE_UNIVERSE),
	    A("192.168.1.1"));
}

Test(vrf, leaving_the_vrf_is_a_link_change_that_the_cache_sees)
{
	static const struct link_desc v1_out = { V1, "v1", UP |
	    IFF_BROADCAST | IFF_MULTICAST, 0, "veth", 0, 0 };
	struct rtable *rt;

	cr_assert_eq(get_out("172.16.1.1", NULL, V1, &rt), 0);
	cr_assert_eq(get_out("172.16.1.1", NULL, V1, &rt), 0);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	apply(msg_link(&v1_out));
	cr_assert_eq(l3mdev_master_ifindex(netdev_get_by_index(V1)), 0);
	/* no l3mdev: main only, whose default leaves by v0; on link */
	cr_assert_eq(get_out("172.16.1.1", NULL, V1, &rt), 0);
	cr_assert_neq(rt->rt_table, RED_TABLE);
	cr_assert_eq(rt->rt_gateway, 0);
}

Test(vrf, a_changed_vrf_table_is_the_one_looked_up)
{
	struct link_desc red20 = red_link;
	struct rtable *rt;

	cr_assert_eq(get_out("172.16.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_table, RED_TABLE);
	red20.vrf_table = 20;
	apply(msg_link(&red20));
	cr_assert_eq(get_out("172.16.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_table, RT_TABLE_MAIN, "table 20 has no route");
}

Test(vrf, without_the_l3mdev_rule_a_vrf_flow_finds_main)
{
	struct rtable *rt;

	apply(msg_l3mdev_rule(RTM_DELRULE));
	cr_assert_eq(get_out("172.16.1.1", NULL, RED, &rt), 0);
	cr_assert_eq(rt->rt_table, RT_TABLE_MAIN);
}
