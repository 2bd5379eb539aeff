/* SPDX-License-Identifier: MIT */
/*
 * test_fibfix.c - what the FIB now does itself that the mirror used to
 * work around, or refused: the route walk the resync sweeps with, carrier
 * loss taking the device's nexthop objects, the last address keeping
 * them, nexthop replace in place, blackhole routes with a nexthop id,
 * rules re-attached by device name on link events, and the shared
 * fib_info fast path of fib_create_info.  States are built with fib_exec.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "support/fib_text.h"

static void
setup(void)
{
	rcu_register_thread();
	cr_assert_eq(fib_init(), 0);
}

static void
teardown(void)
{
	fib_exit();
	rcu_unregister_thread();
}

TestSuite(fibfix, .init = setup, .fini = teardown);

static void
run(const char *line)
{
	int rv = fib_exec(line);

	cr_assert_eq(rv, 0, "%s: %s", line, strerror(-rv));
}

static void
base(void)
{
	run("link add lo index 1 up");
	run("link add v0 index 3 up");
	run("link add v2 index 5 up");
	run("addr add 127.0.0.1/8 dev lo");
	run("addr add 10.0.0.1/24 dev v0");
	run("addr add 10.0.2.1/24 dev v2");
}

/* The text of a listing, for strstr checks (caller frees). */
static char *
listing(int (*dump)(FILE *))
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert_not_null(f);
	dump(f);
	fclose(f);
	return text;
}

static int
dump_all_routes(FILE *f)
{
	return fib_dump_routes(f, FIB_TABLE_ALL);
}

/* Does @dump's listing contain @needle? */
static int
listing_has(int (*dump)(FILE *), const char *needle)
{
	char *t = listing(dump);
	int found = strstr(t, needle) != NULL;

	free(t);
	return found;
}

static int
has_route(const char *needle)
{
	return listing_has(dump_all_routes, needle);
}

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1);
	return a.s_addr;
}

/* ------------------------------------------------------------------ */
/* (a) fib_route_walk                                                  */

struct walk_rec {
	int		 n;
	int		 found_mp, found_nh, found_metric, found_t100;
	int		 stop_after;
};

static int
walk_cb(const struct fib_config *c, void *arg)
{
	struct walk_rec *w = arg;

	w->n++;
	if (c->fc_dst == ip("203.0.113.0") && c->fc_nhs == 2 &&
	    c->fc_mp[0].gw == ip("10.0.0.2") && c->fc_mp[1].oif == 5 &&
	    c->fc_mp[1].weight == 3)
		w->found_mp++;
	if (c->fc_dst == ip("100.64.7.0") && c->fc_nh_id == 7)
		w->found_nh++;
	if (c->fc_dst == ip("192.0.2.0") && c->fc_priority == 20 &&
	    c->fc_protocol == RTPROT_STATIC && c->fc_gw == ip("10.0.0.2") &&
	    c->fc_oif == 3 && (c->fc_mx_set & (1U << RTAX_MTU)) &&
	    c->fc_metrics[RTAX_MTU] == 1400)
		w->found_metric++;
	if (c->fc_table == 100 && c->fc_dst == ip("5.5.5.0"))
		w->found_t100++;
	return w->stop_after && w->n >= w->stop_after ? 42 : 0;
}

Test(fibfix, walk_gives_back_what_was_added)
{
	struct walk_rec w;
	struct fib_mem_stats ms;

	base();
	run("route add 192.0.2.0/24 via 10.0.0.2 dev v0 metric 20 proto static mtu 1400");
	run("route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2 weight 3");
	run("route add 5.5.5.0/24 via 10.0.0.2 dev v0 table 100");
	run("nexthop add id 7 via 10.0.0.2 dev v0");
	run("route add 100.64.7.0/24 nhid 7");
	memset(&w, 0, sizeof(w));
	cr_assert_eq(fib_route_walk(FIB_TABLE_ALL, walk_cb, &w), 0);
	fib_mem_stats(&ms);
	cr_assert_eq((size_t)w.n, ms.aliases);
	cr_assert_eq(w.found_mp, 1);
	cr_assert_eq(w.found_nh, 1);
	cr_assert_eq(w.found_metric, 1);
	cr_assert_eq(w.found_t100, 1);

	memset(&w, 0, sizeof(w));
	cr_assert_eq(fib_route_walk(100, walk_cb, &w), 0);
	cr_assert_eq(w.n, 1);
	cr_assert_eq(fib_route_walk(4242, walk_cb, &w), -ESRCH);

	memset(&w, 0, sizeof(w));
	w.stop_after = 2;
	cr_assert_eq(fib_route_walk(FIB_TABLE_ALL, walk_cb, &w), 42);
	cr_assert_eq(w.n, 2);
}

/* What the walk gives, deleted and added again, is the same listing
 * (the kernel's address routes stay: the others need them). */
struct cfg_list {
	struct fib_config c[64];
	int n;
};

static int
collect_cb(const struct fib_config *c, void *arg)
{
	struct cfg_list *l = arg;

	if (c->fc_protocol == RTPROT_KERNEL)
		return 0;	/* the address routes the others depend on */
	cr_assert_lt(l->n, 64);
	l->c[l->n++] = *c;
	return 0;
}

Test(fibfix, walk_round_trips_through_delete_and_add)
{
	struct cfg_list *l = calloc(1, sizeof(*l));
	char *before, *after;
	int i;

	base();
	run("route add 192.0.2.0/24 via 10.0.0.2 dev v0 metric 20 proto static mtu 1400");
	run("route add 203.0.113.0/24 nexthop via 10.0.0.2 dev v0 nexthop via 10.0.2.2 dev v2 weight 3");
	run("route append 192.0.5.0/24 via 10.0.0.2 dev v0 metric 5");
	run("route append 192.0.5.0/24 dev v0 metric 5 proto static");
	run("route add 5.5.5.0/24 via 10.0.0.2 dev v0 table 100");
	before = listing(dump_all_routes);
	cr_assert_eq(fib_route_walk(FIB_TABLE_ALL, collect_cb, l), 0);
	for (i = 0; i < l->n; i++)
		cr_assert_eq(fib_route_del(&l->c[i]), 0, "route %d", i);
	cr_assert_eq(has_route("192.0.2.0"), 0);
	for (i = 0; i < l->n; i++)
		cr_assert_eq(fib_route_add(&l->c[i]), 0, "route %d", i);
	after = listing(dump_all_routes);
	cr_assert_str_eq(after, before);
	free(before);
	free(after);
	free(l);
}

/* ------------------------------------------------------------------ */
/* (b) carrier loss, (c) last address                                  */

Test(fibfix, carrier_loss_removes_nexthop_objects_and_their_routes)
{
	base();
	run("nexthop add id 7 via 10.0.0.2 dev v0");
	run("nexthop add id 8 via 10.0.2.2 dev v2");
	run("nexthop add id 9 blackhole");
	run("route add 100.64.7.0/24 nhid 7");
	run("route add 192.0.2.0/24 via 10.0.0.2 dev v0");
	cr_assert_eq(fib_link_set(3, "v0", NETDEV_F_UP, 0, 0), 0);
	cr_assert_null(fib_nexthop_get(7));
	cr_assert_not_null(fib_nexthop_get(8));
	cr_assert_not_null(fib_nexthop_get(9));	/* blackhole stays */
	cr_assert_eq(has_route("100.64.7.0"), 0);
	/* the inline route stays, linkdown */
	cr_assert(has_route("192.0.2.0/24 via 10.0.0.2 dev v0 linkdown"));
}

/* The kernel flushes once neither flag is left, also when one of them
 * goes in a later message than the other, in either order. */
Test(fibfix, carrier_loss_in_two_messages)
{
	static const unsigned int stays[] = { NETDEV_F_RUNNING,
	    NETDEV_F_LOWER_UP };
	int i;

	base();
	for (i = 0; i < 2; i++) {
		cr_assert_eq(fib_link_set(3, "v0", NETDEV_F_UP |
		    NETDEV_F_RUNNING | NETDEV_F_LOWER_UP, 0, 0), 0);
		run("nexthop add id 7 via 10.0.0.2 dev v0");
		run("route add 100.64.7.0/24 nhid 7");
		cr_assert_eq(fib_link_set(3, "v0", NETDEV_F_UP | stays[i], 0,
		    0), 0);
		cr_assert_not_null(fib_nexthop_get(7), "flag 0x%x is left",
		    stays[i]);
		cr_assert_eq(fib_link_set(3, "v0", NETDEV_F_UP, 0, 0), 0);
		cr_assert_null(fib_nexthop_get(7), "order %d", i);
		cr_assert_eq(has_route("100.64.7.0"), 0);
	}
}

Test(fibfix, last_address_removed_keeps_nexthop_objects)
{
	base();
	run("route add 192.0.2.0/24 via 10.0.0.2 dev v0");
	run("route add 5.5.5.0/24 via 10.0.0.2 dev v0 table 100");
	run("nexthop add id 7 via 10.0.0.2 dev v0");
	run("route add 100.64.7.0/24 nhid 7");
	run("addr del 10.0.0.1/24 dev v0");
	cr_assert_eq(has_route("192.0.2.0"), 0);
	cr_assert_eq(has_route("5.5.5.0"), 0);
	cr_assert_not_null(fib_nexthop_get(7));
	cr_assert(has_route("100.64.7.0/24 nhid 7"));
	/* admin down still takes them */
	run("link set v0 down");
	cr_assert_null(fib_nexthop_get(7));
}

/* ------------------------------------------------------------------ */
/* (d) nexthop replace                                                 */

static int
lookup_gw(const char *dst, uint32_t *gw, int *oif)
{
	struct flowi4 fl4;
	struct fib_result res;
	int rv;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = ip(dst);
	fl4.flowi4_iif = 1;
	if ((rv = fib_lookup(&fl4, &res)) != 0)
		return rv;
	*gw = res.nhc != NULL ? res.nhc->nh_gw : 0;
	*oif = res.nhc != NULL ? res.nhc->nh_oif : 0;
	return 0;
}

Test(fibfix, nexthop_replace_in_place)
{
	struct fib_nexthop_cfg nc;
	struct nexthop *nh, *g;
	uint32_t gw;
	int oif;

	base();
	run("nexthop add id 5 via 10.0.0.2 dev v0");
	run("route add 100.64.1.0/24 nhid 5");
	run("route add 100.64.9.0/24 nhid 5");
	nh = fib_nexthop_get(5);
	cr_assert_not_null(nh);
	cr_assert_eq(fib_parse_nexthop("id 5 via 10.0.2.3 dev v2", &nc), 0);
	cr_assert_eq(fib_nexthop_add(&nc), -EEXIST);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), 0);
	cr_assert_eq(fib_nexthop_get(5), nh);	/* the same object */
	cr_assert_eq(lookup_gw("100.64.1.7", &gw, &oif), 0);
	cr_assert_eq(gw, ip("10.0.2.3"));
	cr_assert_eq(oif, 5);
	cr_assert_eq(lookup_gw("100.64.9.7", &gw, &oif), 0);
	cr_assert_eq(gw, ip("10.0.2.3"));
	/* an unreachable gateway is refused, the old one kept */
	cr_assert_eq(fib_parse_nexthop("id 5 via 172.31.0.1 dev v0", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_lt(fib_nexthop_add(&nc), 0);
	cr_assert_eq(nh->nh.nh_gw, ip("10.0.2.3"));

	/* groups: new members and weights, routes follow */
	run("nexthop add id 10 via 10.0.0.2 dev v0");
	run("nexthop add id 11 via 10.0.2.2 dev v2");
	run("nexthop add id 20 group 10/11");
	run("route add 100.64.2.0/24 nhid 20");
	g = fib_nexthop_get(20);
	cr_assert_eq(fib_parse_nexthop("id 20 group 10,5/11,3", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), 0);
	cr_assert_eq(fib_nexthop_get(20), g);
	cr_assert_eq(g->num_nh, 2);
	cr_assert_eq(g->grp[0].weight, 5);
	cr_assert_eq(g->grp[1].weight, 3);
	cr_assert_eq(fib_parse_nexthop("id 20 group 11", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), 0);
	cr_assert_eq(g->num_nh, 1);
	cr_assert_eq(lookup_gw("100.64.2.1", &gw, &oif), 0);
	cr_assert_eq(gw, ip("10.0.2.2"));
	/* id 10 is no longer a member: deleting it leaves the group */
	run("nexthop del id 10");
	cr_assert_not_null(fib_nexthop_get(20));
	/* a group cannot become a nexthop, nor the other way */
	cr_assert_eq(fib_parse_nexthop("id 20 via 10.0.2.2 dev v2", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), -EINVAL);
	cr_assert_eq(fib_parse_nexthop("id 5 group 11", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), -EINVAL);
	/* a nexthop to blackhole and back */
	cr_assert_eq(fib_parse_nexthop("id 5 blackhole", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), 0);
	cr_assert_neq(lookup_gw("100.64.1.7", &gw, &oif), 0);
	cr_assert_eq(fib_parse_nexthop("id 5 via 10.0.0.2 dev v0", &nc), 0);
	nc.nlflags = NLM_F_REPLACE;
	cr_assert_eq(fib_nexthop_add(&nc), 0);
	cr_assert_eq(lookup_gw("100.64.1.7", &gw, &oif), 0);
	cr_assert_eq(gw, ip("10.0.0.2"));
}

/* ------------------------------------------------------------------ */
/* (e) blackhole with a nexthop id                                     */

Test(fibfix, blackhole_route_with_nexthop_id)
{
	struct fib_config cfg;
	uint32_t gw;
	int oif;

	base();
	run("nexthop add id 30 blackhole");
	cr_assert_eq(fib_parse_route("blackhole 100.64.3.0/24 nhid 30", &cfg),
	    0);
	cr_assert_eq(fib_route_add(&cfg), 0);
	cr_assert_eq(lookup_gw("100.64.3.1", &gw, &oif), -EINVAL);
	/* other error types with a nexthop id stay refused */
	cr_assert_eq(fib_parse_route("unreachable 100.64.4.0/24 nhid 30",
	    &cfg), 0);
	cr_assert_eq(fib_route_add(&cfg), -EINVAL);
	/* and the nexthop's deletion takes the route */
	run("nexthop del id 30");
	cr_assert_eq(has_route("100.64.3.0"), 0);
}

/* A blackhole may be a group's one member (nh_check_invalid_grp); such a
 * group is a blackhole to the lookup, which stops there (EINVAL) instead
 * of falling through to a shorter prefix. */
Test(fibfix, a_group_of_one_blackhole_is_a_blackhole)
{
	uint32_t gw;
	int oif;

	base();
	run("nexthop add id 31 blackhole");
	run("nexthop add id 32 via 10.0.0.2 dev v0");
	run("nexthop add id 33 group 31");
	cr_assert_neq(fib_exec("nexthop add id 34 group 31/32"), 0,
	    "a blackhole among several members is refused");
	run("route add 100.64.5.0/24 nhid 33");
	run("route add default via 10.0.0.2 dev v0");
	cr_assert_eq(lookup_gw("100.64.5.1", &gw, &oif), -EINVAL);
	cr_assert_eq(lookup_gw("100.64.6.1", &gw, &oif), 0);
}

/* ------------------------------------------------------------------ */
/* (f) rules by device name                                            */

static int
dump_rules(FILE *f)
{
	return fib_dump_rules(f);
}

static int
rules_have(const char *needle)
{
	return listing_has(dump_rules, needle);
}

Test(fibfix, rules_follow_device_names)
{
	base();
	run("rule add iif v2 table 100 pref 100");
	run("rule add oif v7 table 100 pref 101");
	cr_assert(rules_have("iif v2 lookup 100"));
	cr_assert_eq(rules_have("iif v2 [detached]"), 0);
	cr_assert(rules_have("oif v7 [detached]"));
	cr_assert_eq(fib_link_del(5), 0);
	cr_assert(rules_have("iif v2 [detached]"));
	run("link add v2 index 9 up");
	cr_assert_eq(rules_have("iif v2 [detached]"), 0);
	/* a rename attaches and detaches */
	cr_assert_eq(fib_link_set(9, "v7", NETDEV_F_UP | NETDEV_F_RUNNING |
	    NETDEV_F_LOWER_UP, 0, 0), 0);
	cr_assert(rules_have("iif v2 [detached]"));
	cr_assert_eq(rules_have("oif v7 [detached]"), 0);
}

/* ------------------------------------------------------------------ */
/* fib_create_info: one fib_info for every route of one gateway        */

Test(fibfix, shared_fib_info_fast_path)
{
	struct fib_mem_stats ms;
	struct fib_config cfg;
	char line[128];
	int i;

	base();
	for (i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line),
		    "route add 20.%d.%d.0/24 via 10.0.%d.2 dev v%d", i / 256,
		    i % 256, (i & 1) * 2, (i & 1) * 2);
		run(line);
	}
	fib_mem_stats(&ms);
	/* 2 gateways, plus the kernel's own routes of base() */
	run("route add 21.0.0.0/24 via 10.0.0.2 dev v0");
	{
		struct fib_mem_stats ms2;

		fib_mem_stats(&ms2);
		cr_assert_eq(ms2.infos, ms.infos);
	}
	/*
	 * A gateway on a device that went down is refused.  (This does not
	 * reach the fast path: the link down freed the v2 fib_info.  An
	 * existing fib_info whose gateway lost its connected route is
	 * still shared where the full path would say -ENETUNREACH; the
	 * mirror only adds what the kernel holds, so it never meets that.)
	 */
	run("link set v2 down");
	cr_assert_eq(fib_parse_route("22.0.0.0/24 via 10.0.2.2 dev v2", &cfg),
	    0);
	cr_assert_lt(fib_route_add(&cfg), 0);
	cr_assert_eq(fib_parse_route("22.0.0.0/24 via 10.0.0.2 dev v0 metric 7",
	    &cfg), 0);
	cr_assert_eq(fib_route_add(&cfg), 0);
	cr_assert(has_route("22.0.0.0/24 via 10.0.0.2 dev v0 metric 7"));
}

/* ------------------------------------------------------------------ */
/* (h) realms, error routes with any src, nexthop routes of scope host */

static int
route_add_text(const char *text)
{
	struct fib_config cfg;
	int rv;

	if ((rv = fib_parse_route(text, &cfg)) != 0)
		return rv;
	return fib_route_add(&cfg);
}

Test(fibfix, route_realms_are_kept_listed_and_counted)
{
	struct flowi4 fl4;
	struct fib_result res;

	base();
	cr_assert_eq(fib_num_tclassid_users(), 0);
	run("route add 100.64.1.0/24 via 10.0.0.2 realms 3/4");
	run("route add 100.64.2.0/24 nexthop via 10.0.0.2 realm 5 "
	    "nexthop via 10.0.2.2");
	cr_assert(has_route("100.64.1.0/24 via 10.0.0.2 dev v0 realms 3/4"));
	cr_assert(has_route("nexthop via 10.0.0.2 realm 5 dev v0 weight 1"));
	/* one realmed nexthop in each of two fib_infos */
	cr_assert_eq(fib_num_tclassid_users(), 2);
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = ip("100.64.1.9");
	fl4.flowi4_iif = 1;
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_not_null(res.nhc);
	cr_expect_eq(res.nhc->nh_tclassid, 3U << 16 | 4);
	/* a route differing only in its realms is another fib_info, and
	 * a delete naming realms takes only the one that has them */
	run("route append 100.64.1.0/24 via 10.0.0.2 realm 6 metric 9");
	cr_assert_eq(fib_num_tclassid_users(), 3);
	run("route del 100.64.1.0/24 via 10.0.0.2 realm 6");
	cr_assert(has_route("100.64.1.0/24 via 10.0.0.2 dev v0 realms 3/4"));
	cr_assert_eq(has_route("metric 9"), 0);
	/* a multipath route's RTA_FLOW must agree with its first leg's */
	cr_assert_eq(route_add_text("100.64.3.0/24 realm 7 nexthop via "
	    "10.0.0.2 realm 8 nexthop via 10.0.2.2"), -EINVAL);
	run("route del 100.64.1.0/24");
	run("route del 100.64.2.0/24");
	cr_assert_eq(fib_num_tclassid_users(), 0);
}

Test(fibfix, error_routes_take_a_src_that_is_not_local)
{
	uint32_t gw;
	int oif;

	base();
	cr_assert_eq(route_add_text("unreachable 10.0.0.192/26 src 10.0.0.37"),
	    0);
	cr_assert_eq(route_add_text("blackhole 10.9.0.0/16 src 10.7.7.7 "
	    "realm 4"), 0);
	cr_assert_eq(route_add_text("prohibit 10.10.0.0/16 src 10.7.7.7"), 0);
	cr_assert_eq(route_add_text("throw 10.11.0.0/16 src 10.7.7.7"), 0);
	cr_assert(has_route("blackhole 10.9.0.0/16 src 10.7.7.7 realm 4"));
	cr_assert_eq(lookup_gw("10.0.0.200", &gw, &oif), -EHOSTUNREACH);
	cr_assert_eq(lookup_gw("10.9.1.1", &gw, &oif), -EINVAL);
	/* a unicast route still needs a local src */
	cr_assert_eq(route_add_text("10.12.0.0/16 dev v0 src 10.7.7.7"),
	    -EINVAL);
}

Test(fibfix, nexthop_routes_of_scope_host)
{
	struct flowi4 fl4;
	struct fib_result res;

	base();
	run("nexthop add id 1 blackhole");
	run("nexthop add id 2 dev v2");
	run("nexthop add id 3 via 10.0.0.2 dev v0");
	run("nexthop add id 4 group 2/3");
	/* nexthop_check_scope: no gateway, no group under scope host */
	cr_assert_eq(route_add_text("10.20.0.0/24 nhid 1 scope host"), 0);
	cr_assert_eq(route_add_text("10.21.0.0/24 nhid 2 scope host"), 0);
	cr_assert_eq(route_add_text("10.22.0.0/24 nhid 3 scope host"),
	    -EINVAL);
	cr_assert_eq(route_add_text("10.23.0.0/24 nhid 4 scope host"),
	    -EINVAL);
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = ip("10.20.0.1");
	fl4.flowi4_iif = 1;
	cr_assert_eq(fib_lookup(&fl4, &res), -EINVAL, "a blackhole nexthop");
	fl4.daddr = ip("10.21.0.1");
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	/* its source: the nexthop's (scope link below its host scope),
	 * not one for the route's host scope (which would be lo's) */
	cr_expect_eq(fib_result_prefsrc(&res), ip("10.0.2.1"));
}

/*
 * The gateway check looks in the route's own table first, and table
 * local is main's trie while the two are one: a route of table local
 * whose gateway a multicast route of table local covers is accepted
 * when main has a longer unicast prefix for it (the kernel's
 * fib_get_table(local) is then the merged table).  Dumps list table
 * local's routes in prefix order, so the mirror meets the multicast
 * route first.
 */
Test(fibfix, gateway_check_in_table_local_sees_main_while_merged)
{
	uint32_t gw;
	int oif;

	base();
	run("route add multicast 10.0.0.0/12 table local dev v0");
	cr_assert_eq(route_add_text("10.0.3.0/24 table local via 10.0.0.170"),
	    0);
	cr_assert_eq(lookup_gw("10.0.3.97", &gw, &oif), 0);
	cr_expect_eq(gw, ip("10.0.0.170"));
	/* with a rule the tables part: local alone covers it by multicast,
	 * and the fall-back to the rules is for no answer only */
	run("rule add pref 100 to 192.0.2.0/24 lookup 100");
	cr_assert_eq(route_add_text("10.0.5.0/24 table local via 10.0.0.171"),
	    -EINVAL);
}
