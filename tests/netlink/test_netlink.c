/* SPDX-License-Identifier: MIT */
/*
 * test_netlink.c - the mirror's parser and apply logic without sockets.
 *
 * Fixtures under tests/netlink/fixtures/ were captured in a throw-away
 * namespace (`ip route save`, `ip rule save`, `ip -4 addr save`, with the
 * matching `ip route show` / `ip rule show` text); the devices were lo=1,
 * v1=2, v0=3, v3=4, v2=5.  Other messages are built with libmnl here.
 * Malformed and truncated variants must be rejected whole; scripted event
 * orders check the reconcile rules (replay as upsert, rule multiset, the
 * cut of rule events a rule dump reflects, sweeps after a resync).
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/ip.h>
#include <linux/netconf.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <criterion/criterion.h>
#include <libmnl/libmnl.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "netlink/nl_internal.h"
#include "netlink/nl_parse.h"

static char buf[8192];
static struct mirror M;

static void
setup(void)
{
	rcu_register_thread();
	cr_assert_eq(fib_init(), 0);
	memset(&M, 0, sizeof(M));
	mirror_set_log(NULL, NULL);
}

static void
teardown(void)
{
	nl_mirror_clear(&M);
	fib_exit();
	rcu_unregister_thread();
}

/* The fixture namespace's devices. */
static void
fixture_links(void)
{
	unsigned int up = IFF_UP | IFF_RUNNING | NETDEV_F_LOWER_UP;

	cr_assert_eq(fib_link_set(1, "lo", up | IFF_LOOPBACK, 0, 0), 0);
	cr_assert_eq(fib_link_set(2, "v1", up, 0, 0), 0);
	cr_assert_eq(fib_link_set(3, "v0", up, 0, 0), 0);
	cr_assert_eq(fib_link_set(4, "v3", up, 0, 0), 0);
	cr_assert_eq(fib_link_set(5, "v2", up, 0, 0), 0);
}

static uint32_t
A(const char *s)
{
	uint32_t a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static char *
slurp(const char *name, size_t *lenp)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	FILE *f;
	char *b;
	long n;

	snprintf(path, sizeof(path), "%s/tests/netlink/fixtures/%s",
	    top ? top : ".", name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "fixture %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*lenp = (size_t)n;
	return b;
}

static char *
capture(unsigned int what)
{
	static char *out;
	static size_t len;
	FILE *f = open_memstream(&out, &len);

	mirror_dump(f, what);
	fclose(f);
	return out;
}

/* `ip` prints the compat expansion after "nhid N"; the FIB does not. */
static void
strip_nhid_expansion(char *s)
{
	char *p = s;

	while ((p = strstr(p, " nhid ")) != NULL) {
		char *v;

		p += 6;
		while (*p >= '0' && *p <= '9')
			p++;
		if (strncmp(p, " via ", 5) == 0 &&
		    (v = strstr(p + 5, " dev ")) != NULL) {
			char *e = strchr(v + 5, ' ');

			if (e != NULL)
				memmove(p, e, strlen(e) + 1);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Message builders.                                                   */

static struct nlmsghdr *
msg_route(uint16_t type, uint16_t flags, uint32_t table, const char *dst,
    uint8_t plen, const char *gw, uint32_t oif)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = plen;
	rtm->rtm_table = table > 255 ? RT_TABLE_COMPAT : (uint8_t)table;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (plen > 0)
		mnl_attr_put_u32(nlh, RTA_DST, A(dst));
	if (gw != NULL)
		mnl_attr_put_u32(nlh, RTA_GATEWAY, A(gw));
	if (oif != 0)
		mnl_attr_put_u32(nlh, RTA_OIF, oif);
	return nlh;
}

static struct nlmsghdr *
msg_link(uint16_t type, int ifindex, const char *name, unsigned int flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	if (name != NULL)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	return nlh;
}

/*
 * IFLA_AF_SPEC as the kernel sends it: AF_INET's IFLA_INET_CONF, the
 * devconf array (IPV4_DEVCONF_x at [x - 1]) of @n values, @set (pairs
 * of IPV4_DEVCONF_x, value) over zeros, and an AF_INET6 nest to skip.
 */
static void
put_inet_conf(struct nlmsghdr *nlh, int n, const int *set, int nset)
{
	struct nlattr *spec, *in, *in6;
	int32_t v[IPV4_DEVCONF_MAX];
	int i;

	memset(v, 0, sizeof(v));
	for (i = 0; i + 1 < nset; i += 2)
		v[set[i] - 1] = set[i + 1];
	spec = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_nest_end(nlh, in6);
	in = mnl_attr_nest_start(nlh, AF_INET);
	mnl_attr_put(nlh, IFLA_INET_CONF, (size_t)n * sizeof(v[0]), v);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_nest_end(nlh, spec);
}

static struct nlmsghdr *
msg_addr(uint16_t type, int ifindex, const char *a, uint8_t plen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = type;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, A(a));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, A(a));
	mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_PERMANENT);
	return nlh;
}

static struct nlmsghdr *
msg_nexthop(uint16_t type, uint32_t id, const char *gw, uint32_t oif)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nhmsg *nhm;

	nlh->nlmsg_type = type;
	nhm = mnl_nlmsg_put_extra_header(nlh, sizeof(*nhm));
	nhm->nh_family = AF_INET;
	nhm->nh_scope = RT_SCOPE_LINK;
	nhm->nh_protocol = RTPROT_BOOT;
	mnl_attr_put_u32(nlh, NHA_ID, id);
	if (gw != NULL)
		mnl_attr_put_u32(nlh, NHA_GATEWAY, A(gw));
	if (oif != 0)
		mnl_attr_put_u32(nlh, NHA_OIF, oif);
	return nlh;
}

static struct nlmsghdr *
msg_rule(uint16_t type, uint32_t pref, const char *src, uint32_t table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = type;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = FR_ACT_TO_TBL;
	frh->src_len = 32;
	frh->table = table > 255 ? RT_TABLE_COMPAT : (uint8_t)table;
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	mnl_attr_put_u32(nlh, FRA_PRIORITY, pref);
	mnl_attr_put_u32(nlh, FRA_SRC, A(src));
	return nlh;
}

/* ------------------------------------------------------------------ */
/* Parsing captured messages.                                          */

TestSuite(parse, .init = setup, .fini = teardown);

struct collect {
	struct fib_config routes[64];
	int n, skipped;
};

static int
collect_route(const struct nlmsghdr *nlh, void *arg)
{
	struct collect *c = arg;
	struct nl_msg m;
	int rv = nl_parse_msg(nlh, &m);

	cr_assert_geq(rv, 0, "fixture message rejected: %s", nl_skip_str(rv));
	if (rv > 0) {
		c->skipped++;
		return 0;
	}
	cr_assert_eq(m.kind, NLK_ROUTE);
	cr_assert_lt(c->n, 64);
	c->routes[c->n++] = m.u.route;
	return 0;
}

static const struct fib_config *
find_route(const struct collect *c, const char *dst, uint8_t plen)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->routes[i].fc_dst == A(dst) &&
		    c->routes[i].fc_dst_len == plen)
			return &c->routes[i];
	cr_assert_fail("route %s/%u not in the fixture", dst, plen);
	return NULL;
}

Test(parse, captured_routes)
{
	size_t len;
	char *b = slurp("routes.bin", &len);
	struct collect c = { .n = 0 };
	const struct fib_config *r;

	cr_assert_eq(nl_walk_buf(b + 4, len - 4, collect_route, &c), 0);
	cr_assert_geq(c.n, 20);
	r = find_route(&c, "198.18.0.0", 16);
	cr_assert_eq(r->fc_table, 70000, "RTA_TABLE, not rtm_table 252");
	r = find_route(&c, "203.0.113.0", 24);
	cr_assert_eq(r->fc_nhs, 2);
	cr_assert_eq(r->fc_mp[0].weight, 1);
	cr_assert_eq(r->fc_mp[1].weight, 3);
	cr_assert_eq(r->fc_mp[1].gw, A("10.0.2.2"));
	cr_assert_eq(r->fc_mp[1].oif, 5);
	r = find_route(&c, "198.51.100.0", 24);
	cr_assert(r->fc_mx_set & (1U << RTAX_MTU));
	cr_assert_eq(r->fc_metrics[RTAX_MTU], 1400);
	cr_assert_eq(r->fc_prefsrc, A("10.0.0.1"));
	r = find_route(&c, "100.64.7.0", 24);
	cr_assert_eq(r->fc_nh_id, 7);
	cr_assert_eq(r->fc_gw, 0, "compat expansion must not be used");
	r = find_route(&c, "192.0.9.0", 24);
	cr_assert_eq(r->fc_tos, 0x10);
	cr_assert(r->fc_flags & RTNH_F_ONLINK);
	r = find_route(&c, "5.5.5.0", 24);
	cr_assert_eq(r->fc_priority, 5);
	cr_assert_eq(r->fc_protocol, RTPROT_STATIC);
	r = find_route(&c, "198.21.0.0", 16);
	cr_assert_eq(r->fc_type, RTN_UNREACHABLE);
	free(b);
}

Test(parse, captured_rules_and_addresses)
{
	size_t len;
	char *b = slurp("rules.bin", &len);
	struct nl_msg m;
	const char *p = b + 4;
	int found = 0;

	while (p < b + len) {
		const struct nlmsghdr *nlh = (const void *)p;

		cr_assert_eq(nl_parse_msg(nlh, &m), 0);
		cr_assert_eq(m.kind, NLK_RULE);
		if (m.u.rule.pref == 150) {
			found = 1;
			cr_assert(m.u.rule.flags & FIB_RULE_INVERT);
			cr_assert_eq(m.u.rule.table, 70000);
			cr_assert_eq(m.u.rule.mark, 5);
			cr_assert_eq(m.u.rule.mark_mask, 0xf);
			cr_assert_str_eq(m.u.rule.iifname, "v2");
			cr_assert_eq(m.u.rule.sport_lo, 1000);
			cr_assert_eq(m.u.rule.sport_hi, 2000);
			cr_assert_eq(m.u.rule.dport_lo, 80);
			cr_assert_eq(m.u.rule.uid_lo, 100);
			cr_assert_eq(m.u.rule.uid_hi, 200);
			cr_assert_eq(m.u.rule.dst_len, 16);
		}
		if (m.u.rule.pref == 152) {
			cr_assert_eq(m.u.rule.action, FR_ACT_GOTO);
			cr_assert_eq(m.u.rule.target, 32766);
		}
		p += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	cr_assert(found);
	free(b);
	b = slurp("addrs.bin", &len);
	cr_assert_eq(nl_parse_msg((const void *)(b + 4), &m), 0);
	cr_assert_eq(m.kind, NLK_ADDR);
	free(b);
}

/* The whole fixture through the offline loader equals `ip route show`. */
Test(parse, offline_load_equals_ip_route_show)
{
	size_t len, tlen;
	char *b, *want, *got;
	struct mirror_stats st;
	struct fib_nexthop_cfg nh = { .id = 7, .oif = 3 };
	int n;

	fixture_links();
	b = slurp("addrs.bin", &len);
	cr_assert_geq(mirror_load_buf(b, len, &st), 4);
	free(b);
	nh.gw = A("10.0.0.2");
	b = slurp("routes.bin", &len);
	/* The connected route first: the nexthop's gateway needs it. */
	n = mirror_load_buf(b, len, &st);
	cr_assert_geq(n, 18, "%d: messages %llu apply errors %llu ignored "
	    "%llu", n, (unsigned long long)st.messages,
	    (unsigned long long)st.apply_errors,
	    (unsigned long long)st.ignored);
	cr_assert_eq(fib_nexthop_add(&nh), 0);
	cr_assert_gt(mirror_load_buf(b, len, &st), 0);
	cr_assert_eq(st.parse_errors, 0);
	cr_assert_eq(st.apply_errors, 0);
	free(b);
	want = slurp("routes.txt", &tlen);
	strip_nhid_expansion(want);
	got = capture(MIRROR_DUMP_ROUTES);
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
	b = slurp("rules.bin", &len);
	cr_assert_gt(mirror_load_buf(b, len, &st), 0);
	free(b);
	want = slurp("rules.txt", &tlen);
	got = capture(MIRROR_DUMP_RULES);
	cr_assert_str_eq(got, want);
	free(got);
	free(want);
}

/* ------------------------------------------------------------------ */
/* Malformed and truncated input: rejected whole, never a crash.       */

Test(parse, every_truncation_of_every_captured_message)
{
	static const char *const files[] = { "routes.bin", "rules.bin",
	    "addrs.bin" };
	unsigned int f, rejected = 0;

	for (f = 0; f < 3; f++) {
		size_t len;
		char *b = slurp(files[f], &len), *p = b + 4;

		while (p < b + len) {
			struct nlmsghdr *nlh = (void *)p;
			uint32_t full = nlh->nlmsg_len, cut;
			struct nl_msg m;

			for (cut = 1; cut < full - NLMSG_HDRLEN; cut++) {
				int rv;

				nlh->nlmsg_len = full - cut;
				rv = nl_parse_msg(nlh, &m);
				/* Rejected whole, or (cut on an attribute's
				 * end) a complete shorter object: never a
				 * partial one. */
				if (rv < 0) {
					cr_assert_eq(m.kind, NLK_NONE);
					rejected++;
				} else if (rv == 0)
					cr_assert_neq(m.kind, NLK_NONE);
				if (cut % 4 != 0 && nlh->nlmsg_len -
				    NLMSG_HDRLEN < 12)
					cr_assert_neq(rv, 0, "%s: header cut "
					    "%u accepted", files[f], cut);
			}
			nlh->nlmsg_len = full;
			p += NLMSG_ALIGN(full);
		}
		free(b);
	}
	cr_assert_gt(rejected, 1000);
}

Test(parse, malformed_attributes)
{
	struct nlmsghdr *nlh;
	struct nlattr *a;
	struct nl_msg m;

	/* nla_len below the header size. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, "10.0.0.2", 3);
	a = (struct nlattr *)((char *)nlh + NLMSG_HDRLEN +
	    NLMSG_ALIGN(sizeof(struct rtmsg)));
	a->nla_len = 2;
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	cr_assert_eq(m.kind, NLK_NONE, "no partial object");
	/* nla_len past the end. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, "10.0.0.2", 3);
	a->nla_len = 200;
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* RTA_DST of 3 bytes. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 3);
	mnl_attr_put(nlh, RTA_PREFSRC, 3, "abc");
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* dst_len 33. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 3);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_dst_len = 33;
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A header shorter than struct rtmsg. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWROUTE;
	mnl_nlmsg_put_extra_header(nlh, 4);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* nlmsg_len below the netlink header. */
	nlh->nlmsg_len = 8;
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A link name without its NUL. */
	nlh = msg_link(RTM_NEWLINK, 3, NULL, IFF_UP);
	mnl_attr_put(nlh, IFLA_IFNAME, 4, "v0v0");
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A new link without a name. */
	nlh = msg_link(RTM_NEWLINK, 3, NULL, IFF_UP);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A nexthop without NHA_ID. */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEXTHOP;
	((struct nhmsg *)mnl_nlmsg_put_extra_header(nlh,
	    sizeof(struct nhmsg)))->nh_family = AF_INET;
	mnl_attr_put_u32(nlh, NHA_OIF, 3);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A group payload that is not a whole number of entries. */
	nlh = msg_nexthop(RTM_NEWNEXTHOP, 9, NULL, 0);
	mnl_attr_put(nlh, NHA_GROUP, 12, "123456789012");
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* A goto rule without its target. */
	nlh = msg_rule(RTM_NEWRULE, 10, "1.1.1.1", 100);
	((struct fib_rule_hdr *)mnl_nlmsg_get_payload(nlh))->action =
	    FR_ACT_GOTO;
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* Trailing bytes after the last message of a datagram. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 3);
	cr_assert_eq(nl_walk_buf(buf, nlh->nlmsg_len + 6,
	    (nl_msg_fn)nl_parse_msg, &m), -EBADMSG);
}

Test(parse, multipath_limits)
{
	struct nlmsghdr *nlh;
	struct nlattr *mp;
	struct nl_msg m;
	int i;

	/* rtnh_len 0 must not loop. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 0);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	memset(mnl_nlmsg_get_payload_tail(nlh), 0, 8);
	nlh->nlmsg_len += 8;
	mnl_attr_nest_end(nlh, mp);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* More legs than the FIB holds. */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 0);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < FIB_MAX_MP + 1; i++) {
		struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);

		rtnh->rtnh_len = sizeof(*rtnh);
		rtnh->rtnh_flags = 0;
		rtnh->rtnh_hops = (uint8_t)i;
		rtnh->rtnh_ifindex = 3;
		nlh->nlmsg_len += sizeof(*rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
	cr_assert_eq(nl_parse_msg(nlh, &m), -E2BIG);
}

/* Realms: RTA_FLOW of a route and of each leg (RTNH attributes); none
 * beside RTA_NH_ID, which the kernel ignores there. */
Test(parse, route_realms_of_the_route_and_of_each_leg)
{
	struct nlmsghdr *nlh;
	struct nlattr *mp;
	struct rtnexthop *rtnh;
	struct nl_msg m;
	int i;

	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, "10.0.0.2", 3);
	mnl_attr_put_u32(nlh, RTA_FLOW, 3U << 16 | 4);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_expect_eq(m.u.route.fc_flow, 3U << 16 | 4);

	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 0);
	mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (i = 0; i < 2; i++) {
		rtnh = mnl_nlmsg_get_payload_tail(nlh);
		memset(rtnh, 0, sizeof(*rtnh));
		rtnh->rtnh_ifindex = 3;
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		mnl_attr_put_u32(nlh, RTA_GATEWAY, A(i ? "10.0.0.3" :
		    "10.0.0.2"));
		if (i == 1)
			mnl_attr_put_u32(nlh, RTA_FLOW, 7);
		rtnh->rtnh_len = (unsigned short)((char *)
		    mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.route.fc_nhs, 2);
	cr_expect_eq(m.u.route.fc_mp[0].flow, 0);
	cr_expect_eq(m.u.route.fc_mp[1].flow, 7);
	cr_expect_eq(m.u.route.fc_mp[1].gw, A("10.0.0.3"));

	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.0.0", 16, NULL, 0);
	mnl_attr_put_u32(nlh, RTA_NH_ID, 5);
	mnl_attr_put_u32(nlh, RTA_FLOW, 9);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_expect_eq(m.u.route.fc_nh_id, 5);
	cr_expect_eq(m.u.route.fc_flow, 0);
}

/* Groups: more than 32 members, weights above 256 (the kernel's
 * weight_high, 6.12+), resilient groups with their buckets and timers. */
Test(parse, nexthop_groups)
{
	struct nexthop_grp g[200];
	struct nlmsghdr *nlh;
	struct nlattr *res;
	struct nl_msg m;
	int i;

	memset(g, 0, sizeof(g));
	for (i = 0; i < 200; i++) {
		g[i].id = (uint32_t)i + 1;
		g[i].weight = (uint8_t)i;
	}
	g[7].resvd1 = 3;	/* weight_high: weight (3 << 8 | 7) + 1 */
	nlh = msg_nexthop(RTM_NEWNEXTHOP, 900, NULL, 0);
	mnl_attr_put(nlh, NHA_GROUP, sizeof(g), g);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.nh.ngrp, 200);
	cr_assert_eq(m.u.nh.grp[199].id, 200);
	cr_assert_eq(m.u.nh.grp[199].weight, 200);
	cr_assert_eq(m.u.nh.grp[7].weight, 776);
	cr_assert_eq(m.u.nh.resilient, 0);
	/* resilient */
	nlh = msg_nexthop(RTM_NEWNEXTHOP, 901, NULL, 0);
	mnl_attr_put(nlh, NHA_GROUP, 4 * sizeof(g[0]), g);
	mnl_attr_put_u16(nlh, NHA_GROUP_TYPE, NEXTHOP_GRP_TYPE_RES);
	res = mnl_attr_nest_start(nlh, NHA_RES_GROUP);
	mnl_attr_put_u16(nlh, NHA_RES_GROUP_BUCKETS, 64);
	mnl_attr_put_u32(nlh, NHA_RES_GROUP_IDLE_TIMER, 12000);
	mnl_attr_put_u32(nlh, NHA_RES_GROUP_UNBALANCED_TIMER, 500);
	mnl_attr_nest_end(nlh, res);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.nh.ngrp, 4);
	cr_assert_eq(m.u.nh.resilient, 1);
	cr_assert_eq(m.u.nh.res_buckets, 64);
	cr_assert_eq(m.u.nh.res_idle_timer, 12000);
	cr_assert_eq(m.u.nh.res_unbalanced_timer, 500);
	/* a resilient type without its parameters */
	nlh = msg_nexthop(RTM_NEWNEXTHOP, 902, NULL, 0);
	mnl_attr_put(nlh, NHA_GROUP, 4 * sizeof(g[0]), g);
	mnl_attr_put_u16(nlh, NHA_GROUP_TYPE, NEXTHOP_GRP_TYPE_RES);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
}

Test(parse, ignored_quietly)
{
	struct nlmsghdr *nlh;
	struct nl_msg m;

	/* scenario 28: a cached exception never becomes a route */
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.2.3", 32, "10.0.0.2", 3);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_flags |=
	    RTM_F_CLONED;
	cr_assert_eq(nl_parse_msg(nlh, &m), NLS_CLONED);
	nlh = msg_route(RTM_NEWROUTE, 0, 254, "10.1.2.3", 32, NULL, 3);
	((struct rtmsg *)mnl_nlmsg_get_payload(nlh))->rtm_family = AF_INET6;
	cr_assert_eq(nl_parse_msg(nlh, &m), NLS_FAMILY);
	nlh = msg_link(RTM_NEWLINK, 3, "v0", IFF_UP);
	((struct ifinfomsg *)mnl_nlmsg_get_payload(nlh))->ifi_family =
	    AF_BRIDGE;
	cr_assert_eq(nl_parse_msg(nlh, &m), NLS_FAMILY);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	cr_assert_eq(nl_parse_msg(nlh, &m), NLS_UNKNOWN_TYPE);
}

/* Every RTM_NEWLINK carries the device's IPv4 settings; an older
 * kernel's shorter array gives what it has; a broken nest is refused. */
Test(parse, link_carries_its_ipv4_settings)
{
	static const int set[] = { IPV4_DEVCONF_FORWARDING, 1,
	    IPV4_DEVCONF_RP_FILTER, 2, IPV4_DEVCONF_ACCEPT_LOCAL, 1,
	    IPV4_DEVCONF_SRC_VMARK, 1, IPV4_DEVCONF_ROUTE_LOCALNET, 1,
	    IPV4_DEVCONF_IGNORE_ROUTES_WITH_LINKDOWN, 1,
	    IPV4_DEVCONF_SEND_REDIRECTS, 0, IPV4_DEVCONF_SHARED_MEDIA, 1,
	    IPV4_DEVCONF_BC_FORWARDING, 1 };
	struct nlmsghdr *nlh;
	struct nl_msg m;
	const struct netdev_conf *c = &m.u.link.conf.v;

	nlh = msg_link(RTM_NEWLINK, 3, "v0", IFF_UP);
	put_inet_conf(nlh, IPV4_DEVCONF_MAX, set, sizeof(set) / sizeof(set[0]));
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.link.conf.present, (1U << NL_CONF_NFIELDS) - 1);
	cr_expect_eq(c->forwarding, 1);
	cr_expect_eq(c->rp_filter, 2);
	cr_expect_eq(c->accept_local, 1);
	cr_expect_eq(c->src_valid_mark, 1);
	cr_expect_eq(c->route_localnet, 1);
	cr_expect_eq(c->ignore_routes_with_linkdown, 1);
	cr_expect_eq(c->send_redirects, 0);
	cr_expect_eq(c->shared_media, 1);
	cr_expect_eq(c->bc_forwarding, 1);

	/* 4.x: no bc_forwarding yet */
	nlh = msg_link(RTM_NEWLINK, 3, "v0", IFF_UP);
	put_inet_conf(nlh, IPV4_DEVCONF_BC_FORWARDING - 1, set,
	    sizeof(set) / sizeof(set[0]));
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_expect_eq(m.u.link.conf.present, (1U << (NL_CONF_NFIELDS - 1)) - 1);
	cr_expect_eq(c->route_localnet, 1);

	/* no IPv4 on the device: no settings */
	nlh = msg_link(RTM_NEWLINK, 3, "v0", IFF_UP);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_expect_eq(m.u.link.conf.present, 0);

	nlh = msg_link(RTM_NEWLINK, 3, "v0", IFF_UP);
	put_inet_conf(nlh, IPV4_DEVCONF_MAX, set, 2);
	((struct nlattr *)((char *)nlh + nlh->nlmsg_len - 4 *
	    IPV4_DEVCONF_MAX - 2 * NLA_HDRLEN))->nla_len = 0xfff0;
	cr_expect_eq(nl_parse_msg(nlh, &m), -EBADMSG);
}

Test(parse, netconf_values_by_the_table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct netconfmsg *ncm;
	struct nl_msg m;

	nlh->nlmsg_type = RTM_NEWNETCONF;
	ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
	ncm->ncm_family = AF_INET;
	mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, (uint32_t)NETCONFA_IFINDEX_ALL);
	mnl_attr_put_u32(nlh, NETCONFA_RP_FILTER, 1);
	mnl_attr_put_u32(nlh, NETCONFA_BC_FORWARDING, 1);
	mnl_attr_put_u32(nlh, NETCONFA_PROXY_NEIGH, 1);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.kind, NLK_NETCONF);
	cr_expect_eq(m.u.conf.ifindex, NETCONFA_IFINDEX_ALL);
	cr_expect_eq(m.u.conf.conf.v.rp_filter, 1);
	cr_expect_eq(m.u.conf.conf.v.bc_forwarding, 1);
	cr_expect_eq(__builtin_popcount(m.u.conf.conf.present), 2);
}

/* ------------------------------------------------------------------ */
/* Apply and reconcile with scripted event orders.                     */

TestSuite(apply, .init = setup, .fini = teardown);

static void
base_state(void)
{
	unsigned int up = IFF_UP | IFF_RUNNING | NETDEV_F_LOWER_UP;

	cr_assert_eq(nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 1, "lo",
	    up | IFF_LOOPBACK), NLM_LIVE), 1);
	cr_assert_eq(nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", up),
	    NLM_LIVE), 1);
	cr_assert_eq(nl_apply_nlh(&M, msg_addr(RTM_NEWADDR, 3, "10.0.0.1",
	    24), NLM_LIVE), 1);
	/* the kernel's connected route, as notified */
	cr_assert_eq(nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, 254, "10.0.0.0", 24, NULL, 3), NLM_LIVE), 1);
}

static int
routes_matching(const char *needle)
{
	char *s = capture(MIRROR_DUMP_ROUTES), *p = s;
	int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p++;
	}
	free(s);
	return n;
}

Test(apply, replay_is_an_upsert)
{
	base_state();
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 254,
	    "192.0.2.0", 24, "10.0.0.2", 3), NLM_DUMP);
	/* the event that caused it, buffered during the dump */
	cr_assert_eq(nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE |
	    NLM_F_EXCL, 254, "192.0.2.0", 24, "10.0.0.2", 3), NLM_REPLAY), 1);
	cr_assert_eq(routes_matching("192.0.2.0/24"), 1);
	/* a replayed delete of something absent is a no-op */
	cr_assert_eq(nl_apply_nlh(&M, msg_route(RTM_DELROUTE, 0, 254,
	    "192.0.3.0", 24, "10.0.0.2", 3), NLM_REPLAY), 1);
	cr_assert_eq(M.st.apply_errors, 0);
}

Test(apply, append_prepend_replace_order)
{
	struct nlmsghdr *nlh;
	char *s;

	base_state();
	nlh = msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 254,
	    "192.0.5.0", 24, "10.0.0.2", 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 5);
	nl_apply_nlh(&M, nlh, NLM_LIVE);
	nlh = msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_APPEND, 254,
	    "192.0.5.0", 24, "10.0.0.3", 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 5);
	nl_apply_nlh(&M, nlh, NLM_LIVE);
	nlh = msg_route(RTM_NEWROUTE, NLM_F_CREATE, 254, "192.0.5.0", 24,
	    "10.0.0.4", 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 5);
	nl_apply_nlh(&M, nlh, NLM_LIVE);
	nlh = msg_route(RTM_NEWROUTE, NLM_F_REPLACE, 254, "192.0.5.0", 24,
	    "10.0.0.5", 3);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, 5);
	nl_apply_nlh(&M, nlh, NLM_LIVE);
	s = capture(MIRROR_DUMP_ROUTES);
	/* .4 was prepended, then replaced by .5; then .2, then .3 */
	cr_assert_not_null(strstr(s, "192.0.5.0/24 via 10.0.0.5 dev v0 "
	    "metric 5 \n192.0.5.0/24 via 10.0.0.2 dev v0 metric 5 \n"
	    "192.0.5.0/24 via 10.0.0.3 dev v0 metric 5 \n"), "%s", s);
	free(s);
	cr_assert_eq(M.st.apply_errors, 0);
}

Test(apply, rules_are_a_multiset)
{
	struct fib_rule_cfg r;
	char *s;

	base_state();
	nl_apply_nlh(&M, msg_rule(RTM_NEWRULE, 100, "1.1.1.1", 100), NLM_LIVE);
	nl_apply_nlh(&M, msg_rule(RTM_NEWRULE, 100, "1.1.1.1", 100), NLM_LIVE);
	nl_apply_nlh(&M, msg_rule(RTM_DELRULE, 100, "1.1.1.1", 100), NLM_LIVE);
	s = capture(MIRROR_DUMP_RULES);
	cr_assert_not_null(strstr(s, "100:\tfrom 1.1.1.1 lookup 100"));
	cr_assert_null(strstr(strstr(s, "100:\tfrom") + 1, "100:\tfrom"));
	free(s);
	cr_assert_eq(M.rules.n, 1);
	(void)r;
}

/* A rule with nothing but a pref (when not 0, as the kernel sends it)
 * and a table; callers add attributes. */
static struct nlmsghdr *
msg_rule_bare(uint16_t type, uint32_t pref, uint8_t action, uint32_t table)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct fib_rule_hdr *frh;

	nlh->nlmsg_type = type;
	frh = mnl_nlmsg_put_extra_header(nlh, sizeof(*frh));
	frh->family = AF_INET;
	frh->action = action;
	frh->table = table > 255 ? RT_TABLE_COMPAT : (uint8_t)table;
	mnl_attr_put_u32(nlh, FRA_TABLE, table);
	if (pref != 0)
		mnl_attr_put_u32(nlh, FRA_PRIORITY, pref);
	mnl_attr_put_u32(nlh, FRA_SUPPRESS_PREFIXLEN, 0xffffffff);
	mnl_attr_put_u8(nlh, FRA_PROTOCOL, RTPROT_BOOT);
	return nlh;
}

Test(apply, a_rule_delete_removes_the_rule_it_describes_whole)
{
	struct nlmsghdr *nlh;
	char *s;

	base_state();
	nlh = msg_rule_bare(RTM_NEWRULE, 100, FR_ACT_TO_TBL, 100);
	mnl_attr_put_u8(nlh, FRA_IP_PROTO, 6);
	nl_apply_nlh(&M, nlh, NLM_LIVE);
	nl_apply_nlh(&M, msg_rule_bare(RTM_NEWRULE, 100, FR_ACT_TO_TBL, 100),
	    NLM_LIVE);
	/* the kernel took the second (`ip rule del pref 100 ipproto 0`
	 * cannot name it, but a notification describes the rule gone) */
	nl_apply_nlh(&M, msg_rule_bare(RTM_DELRULE, 100, FR_ACT_TO_TBL, 100),
	    NLM_LIVE);
	s = capture(MIRROR_DUMP_RULES);
	cr_assert_not_null(strstr(s, "100:\tfrom all ipproto "), "%s", s);
	cr_assert_null(strstr(s, "100:\tfrom all lookup 100\n"), "%s", s);
	free(s);
	cr_assert_eq(M.rules.n, 1);
	cr_assert_eq(M.st.apply_errors, 0);
}

Test(apply, a_rule_with_a_port_mask_matches_the_ports_the_kernel_matches)
{
	struct fib_rule_port_range pr = { 80, 80 };
	struct nlmsghdr *nlh;
	struct fib_result res;
	struct flowi4 fl4;

	base_state();
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    100, "8.8.0.0", 16, "10.0.0.2", 3), NLM_LIVE);
	/* `ip rule add sport 80/0xfff0 lookup 100` (iproute2 6.15) */
	nlh = msg_rule_bare(RTM_NEWRULE, 100, FR_ACT_TO_TBL, 100);
	mnl_attr_put(nlh, FRA_SPORT_RANGE, sizeof(pr), &pr);
	mnl_attr_put_u16(nlh, 28 /* FRA_SPORT_MASK */, 0xfff0);
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("8.8.8.8");
	fl4.fl4_sport = htons(95);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, 100, "80..95 under the mask");
}

Test(parse, a_rule_keeps_realms_tunnel_id_l3mdev_protocol_and_pref_0)
{
	struct nlmsghdr *nlh;
	struct nl_msg m;

	nlh = msg_rule_bare(RTM_NEWRULE, 0, FR_ACT_UNREACHABLE, 5);
	mnl_attr_put_u32(nlh, FRA_FLOW, 2U << 16 | 3);
	mnl_attr_put_u64(nlh, FRA_TUN_ID, htobe64(77));
	mnl_attr_put_u32(nlh, FRA_FWMASK, 0xff);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.rule.pref, 0);
	cr_assert(m.u.rule.fields & FIB_RULE_HAS_PREF);
	cr_assert_eq(m.u.rule.tclassid, 2U << 16 | 3);
	cr_assert(m.u.rule.fields & FIB_RULE_HAS_FLOW);
	cr_assert_eq(m.u.rule.tun_id, 77);
	cr_assert_eq(m.u.rule.protocol, RTPROT_BOOT);
	cr_assert_eq(m.u.rule.table, 5, "any action may name a table");
	cr_assert_eq(m.u.rule.mark, 0);
	cr_assert_eq(m.u.rule.mark_mask, 0xff);
	cr_assert(m.u.rule.fields & FIB_RULE_HAS_MASK);
	nlh = msg_rule_bare(RTM_NEWRULE, 9, FR_ACT_TO_TBL, 0);
	mnl_attr_put_u8(nlh, FRA_L3MDEV, 1);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.rule.l3mdev, 1);
	nlh = msg_rule_bare(RTM_NEWRULE, 9, FR_ACT_TO_TBL, 0);
	mnl_attr_put_u8(nlh, FRA_L3MDEV, 2);
	cr_assert_eq(nl_parse_msg(nlh, &m), -EBADMSG);
	/* a single port comes with FRA_SPORT_MASK (28) since 6.15 */
	nlh = msg_rule_bare(RTM_NEWRULE, 9, FR_ACT_TO_TBL, 5);
	{
		struct fib_rule_port_range pr = { 80, 80 };

		mnl_attr_put(nlh, FRA_SPORT_RANGE, sizeof(pr), &pr);
	}
	mnl_attr_put_u16(nlh, 28, 0xfff0);
	cr_assert_eq(nl_parse_msg(nlh, &m), 0);
	cr_assert_eq(m.u.rule.sport_lo, 80);
	cr_assert_eq(m.u.rule.sport_mask, 0xfff0);
	cr_assert(m.u.rule.fields & FIB_RULE_HAS_SPORT_MASK);
}

Test(apply, rule_events_before_the_rule_dump_are_dropped)
{
	struct nl_sync s;
	char *t;

	base_state();
	nl_sync_begin(&M, &s);
	nl_apply_nlh(&M, msg_rule(RTM_NEWRULE, 100, "1.1.1.1", 100),
	    NLM_DUMP);
	nl_sync_rules(&M);
	s.rule_cut = 1;		/* record 0 came before the dump request */
	M.replay_pos = 0;
	nl_apply_nlh(&M, msg_rule(RTM_NEWRULE, 100, "1.1.1.1", 100),
	    NLM_REPLAY);
	M.replay_pos = 1;	/* after: applied */
	nl_apply_nlh(&M, msg_rule(RTM_NEWRULE, 200, "2.2.2.2", 100),
	    NLM_REPLAY);
	nl_sync_end(&M);
	t = capture(MIRROR_DUMP_RULES);
	cr_assert_str_eq(t, "100:\tfrom 1.1.1.1 lookup 100\n"
	    "200:\tfrom 2.2.2.2 lookup 100\n", "%s", t);
	free(t);
}

Test(apply, dump_entries_that_come_too_early_are_retried)
{
	struct nl_sync s;

	M.first_done = 1;
	nl_sync_begin(&M, &s);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", IFF_UP | IFF_RUNNING |
	    NETDEV_F_LOWER_UP), NLM_DUMP);
	nl_apply_nlh(&M, msg_addr(RTM_NEWADDR, 3, "10.0.0.1", 24), NLM_DUMP);
	/* a nexthop, and a route, before the connected route */
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_DUMP);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 100, "5.5.5.0",
	    24, "10.0.0.2", 3), NLM_DUMP);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 254, "10.0.0.0",
	    24, NULL, 3), NLM_DUMP);
	cr_assert_eq(M.st.apply_errors, 0);
	nl_sync_retry_deferred(&M);
	nl_sync_end(&M);
	cr_assert_eq(M.st.apply_errors, 0);
	cr_assert_not_null(fib_nexthop_get(7));
	cr_assert_eq(routes_matching("5.5.5.0/24 via 10.0.0.2"), 1);
}

/*
 * The kernel checks a gateway when it takes the route; what comes after
 * (a local route over the gateway, here a default one in table local)
 * does not remove it.  A dump after that holds both (difftest seed
 * 60008: the mirror checked the gateway again and refused the route).
 */
/* @nlh (a msg_route) made a route of @type and @scope */
static struct nlmsghdr *
typed(struct nlmsghdr *nlh, uint8_t type, uint8_t scope)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_type = type;
	rtm->rtm_scope = scope;
	return nlh;
}

Test(apply, a_route_whose_gateway_is_covered_since_is_kept)
{
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	base_state();
	cr_assert_eq(nl_apply_nlh(&M, typed(msg_route(RTM_NEWROUTE,
	    NLM_F_CREATE | NLM_F_EXCL, 255, "0.0.0.0", 0, NULL, 3), RTN_LOCAL,
	    RT_SCOPE_HOST), NLM_LIVE), 1);
	nlh = msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 255,
	    "100.64.0.0", 10, "10.9.0.79", 3);
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_flags = RTNH_F_ONLINK;
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    100, "5.5.0.0", 16, "10.8.0.1", 3), NLM_LIVE);
	/* a nexthop object and a route whose gateway a blackhole covers */
	cr_assert_eq(nl_apply_nlh(&M, typed(msg_route(RTM_NEWROUTE,
	    NLM_F_CREATE | NLM_F_EXCL, 255, "10.0.0.0", 25, NULL, 0),
	    RTN_BLACKHOLE, RT_SCOPE_UNIVERSE), NLM_LIVE), 1);
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_LIVE);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    100, "5.6.0.0", 16, "10.0.0.3", 3), NLM_LIVE);
	cr_assert_eq(M.st.apply_errors, 0);
	cr_assert_eq(routes_matching("100.64.0.0/10 via 10.9.0.79 dev v0"), 1);
	cr_assert_eq(routes_matching("5.5.0.0/16 via 10.8.0.1 dev v0"), 1);
	cr_assert_eq(routes_matching("5.6.0.0/16 via 10.0.0.3 dev v0"), 1);
	cr_assert_not_null(fib_nexthop_get(7));
	/* a source a longer route of main covers since (seed 300110) */
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
	    254, "10.0.0.64", 26, "10.0.0.2", 3), NLM_LIVE);
	nlh = typed(msg_route(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, 255,
	    "192.0.2.0", 24, NULL, 3), RTN_LOCAL, RT_SCOPE_HOST);
	mnl_attr_put_u32(nlh, RTA_PREFSRC, A("10.0.0.70"));
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	cr_assert_eq(M.st.apply_errors, 0);
	cr_assert_eq(routes_matching("local 192.0.2.0/24"), 1);
}

Test(apply, resync_sweeps_what_the_dumps_lack)
{
	struct nl_sync s;

	base_state();
	M.first_done = 1;
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 5, "v2", IFF_UP), NLM_LIVE);
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_LIVE);
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 8, "10.0.0.3", 3),
	    NLM_LIVE);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE, 254,
	    "192.0.2.0", 24, "10.0.0.2", 3), NLM_LIVE);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_CREATE, 254,
	    "192.0.3.0", 24, "10.0.0.2", 3), NLM_LIVE);
	cr_assert_eq(M.st.apply_errors, 0);
	/* The resync's dumps: v2, nexthop 8 and 192.0.3.0/24 are gone. */
	nl_sync_begin(&M, &s);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 1, "lo", IFF_UP | IFF_RUNNING |
	    NETDEV_F_LOWER_UP | IFF_LOOPBACK), NLM_DUMP);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", IFF_UP | IFF_RUNNING |
	    NETDEV_F_LOWER_UP), NLM_DUMP);
	nl_apply_nlh(&M, msg_addr(RTM_NEWADDR, 3, "10.0.0.1", 24), NLM_DUMP);
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_DUMP);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 254, "10.0.0.0",
	    24, NULL, 3), NLM_DUMP);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 254,
	    "192.0.2.0", 24, "10.0.0.2", 3), NLM_DUMP);
	nl_sync_retry_deferred(&M);
	nl_sync_rules(&M);
	nl_sync_sweep(&M);
	nl_sync_end(&M);
	cr_assert_null(netdev_get_by_index(5));
	cr_assert_null(fib_nexthop_get(8));
	cr_assert_not_null(fib_nexthop_get(7));
	cr_assert_eq(routes_matching("192.0.3.0/24"), 0);
	cr_assert_eq(routes_matching("192.0.2.0/24"), 1);
	cr_assert_geq(M.st.swept, 3);
}

/* One resync whose dumps hold @v0flags for v0 and nexthop 7 if @nh7. */
static void
resync_v0(unsigned int v0flags, int nh7)
{
	struct nl_sync s;

	nl_sync_begin(&M, &s);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 1, "lo", IFF_UP | IFF_RUNNING |
	    NETDEV_F_LOWER_UP | IFF_LOOPBACK), NLM_DUMP);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", v0flags), NLM_DUMP);
	nl_apply_nlh(&M, msg_addr(RTM_NEWADDR, 3, "10.0.0.1", 24), NLM_DUMP);
	if (nh7)
		nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
		    NLM_DUMP);
	nl_apply_nlh(&M, msg_route(RTM_NEWROUTE, NLM_F_MULTI, 254, "10.0.0.0",
	    24, NULL, 3), NLM_DUMP);
	nl_sync_retry_deferred(&M);
	nl_sync_rules(&M);
	nl_sync_sweep(&M);
	nl_sync_end(&M);
}

/* A nexthop the FIB dropped on carrier loss is not counted as swept by
 * the next resync: only what a sweep removes is. */
Test(apply, resync_counts_only_what_it_removes)
{
	uint64_t before;

	base_state();
	M.first_done = 1;
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_LIVE);
	resync_v0(IFF_UP | IFF_RUNNING | NETDEV_F_LOWER_UP, 1);
	cr_assert_not_null(fib_nexthop_get(7));
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", IFF_UP), NLM_LIVE);
	cr_assert_null(fib_nexthop_get(7));
	before = M.st.swept;
	resync_v0(IFF_UP, 0);
	cr_assert_eq(M.st.swept, before, "swept %llu more",
	    (unsigned long long)(M.st.swept - before));
}

Test(apply, carrier_loss_removes_nexthop_objects)
{
	base_state();
	nl_apply_nlh(&M, msg_nexthop(RTM_NEWNEXTHOP, 7, "10.0.0.2", 3),
	    NLM_LIVE);
	cr_assert_not_null(fib_nexthop_get(7));
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 3, "v0", IFF_UP), NLM_LIVE);
	cr_assert_null(fib_nexthop_get(7));
}

Test(apply, netconf_before_its_link)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct netconfmsg *ncm;

	nlh->nlmsg_type = RTM_NEWNETCONF;
	ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
	ncm->ncm_family = AF_INET;
	mnl_attr_put_u32(nlh, NETCONFA_IFINDEX, 9);
	mnl_attr_put_u32(nlh, NETCONFA_FORWARDING, 1);
	mnl_attr_put_u32(nlh, NETCONFA_RP_FILTER, 2);
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 9, "v9", IFF_UP), NLM_LIVE);
	cr_assert_eq(netdev_get_by_index(9)->cnf.forwarding, 1);
	cr_assert_eq(netdev_get_by_index(9)->cnf.rp_filter, 2);
}

/* A link message sets the device's settings whole: the values no
 * netconf message carries among them. */
Test(apply, link_settings_are_the_devices)
{
	static const int set[] = { IPV4_DEVCONF_ACCEPT_LOCAL, 1,
	    IPV4_DEVCONF_ROUTE_LOCALNET, 1, IPV4_DEVCONF_SHARED_MEDIA, 1 };
	struct nlmsghdr *nlh = msg_link(RTM_NEWLINK, 9, "v9", IFF_UP);
	const struct netdev_conf *c;

	put_inet_conf(nlh, IPV4_DEVCONF_MAX, set, sizeof(set) / sizeof(set[0]));
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	c = &netdev_get_by_index(9)->cnf;
	cr_expect_eq(c->accept_local, 1);
	cr_expect_eq(c->route_localnet, 1);
	cr_expect_eq(c->send_redirects, 0);
	cr_expect_eq(c->shared_media, 1);
	/* without IPv4 settings (an older kernel, a device without IPv4)
	 * the link keeps what it had */
	cr_assert_eq(nl_apply_nlh(&M, msg_link(RTM_NEWLINK, 9, "v9", 0),
	    NLM_LIVE), 1);
	cr_expect_eq(c->accept_local, 1);
}

/* A change of conf/default may have reached every device that never
 * had it written, silently: the devices are to be read again. */
Test(apply, default_change_asks_for_the_devices)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct netconfmsg *ncm;

	nlh->nlmsg_type = RTM_NEWNETCONF;
	ncm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ncm));
	ncm->ncm_family = AF_INET;
	mnl_attr_put_u32(nlh, NETCONFA_IFINDEX,
	    (uint32_t)NETCONFA_IFINDEX_DEFAULT);
	mnl_attr_put_u32(nlh, NETCONFA_RP_FILTER, 1);
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	cr_expect_eq(netdev_conf_default()->rp_filter, 1);
	cr_expect_eq(M.conf_reread, 1);
	M.conf_reread = 0;
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 1);
	cr_expect_eq(M.conf_reread, 0, "no change, nothing to read");
}

Test(apply, malformed_counted_not_applied)
{
	struct nlmsghdr *nlh;

	base_state();
	nlh = msg_route(RTM_NEWROUTE, NLM_F_CREATE, 254, "192.0.2.0", 24,
	    "10.0.0.2", 3);
	nlh->nlmsg_len -= 2;
	cr_assert_eq(nl_apply_nlh(&M, nlh, NLM_LIVE), 0);
	cr_assert_eq(M.st.parse_errors, 1);
	cr_assert_eq(routes_matching("192.0.2.0/24"), 0);
}

/* ------------------------------------------------------------------ */

TestSuite(keyset);

Test(keyset, add_has_del)
{
	struct nl_keyset s = { 0 };
	uint64_t i;

	for (i = 1; i <= 10000; i++)
		cr_assert_eq(nl_keyset_add(&s, i * 7919), 1);
	cr_assert_eq(nl_keyset_add(&s, 7919), 0);
	for (i = 1; i <= 10000; i += 2)
		cr_assert_eq(nl_keyset_del(&s, i * 7919), 1);
	for (i = 1; i <= 10000; i++)
		cr_assert_eq(nl_keyset_has(&s, i * 7919), i % 2 == 0);
	cr_assert_eq(s.n, 5000);
	nl_keyset_free(&s);
}
