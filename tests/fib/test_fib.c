/* SPDX-License-Identifier: MIT */
/*
 * test_fib.c - Criterion suites for the FIB: every route type and its
 * errno, rules (selectors, actions, goto, suppress, not), tos and metric
 * order, add/append/prepend/replace/change/delete codes, oif, dead and
 * linkdown nexthops, multipath weights, prefsrc, nexthop objects, and a
 * 1M-prefix comparison against a brute-force LPM.  The topology is the
 * reference harness's: lo, dummy0 10.0.0.1/24, dummy1 10.1.0.1/24.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/logging.h>
#include "base/rcu.h"

#include "base/inet_proto.h"
#include "rtcache/fib.h"
#include "fib/fib_internal.h"
#include "support/fib_text.h"

static void
setup(void)
{
	rcu_register_thread();
	cr_assert_eq(fib_init(), 0);
	cr_assert_eq(fib_exec("link add lo index 1 up"), 0);
	cr_assert_eq(fib_exec("addr add 127.0.0.1/8 dev lo"), 0);
	cr_assert_eq(fib_exec("link add dummy0 index 2 up"), 0);
	cr_assert_eq(fib_exec("link add dummy1 index 3 up"), 0);
	cr_assert_eq(fib_exec("addr add 10.0.0.1/24 dev dummy0"), 0);
	cr_assert_eq(fib_exec("addr add 10.1.0.1/24 dev dummy1"), 0);
}

static void
teardown(void)
{
	fib_exit();
	rcu_unregister_thread();
}

static uint32_t
A(const char *s)
{
	uint32_t a;

	cr_assert_eq(inet_pton(AF_INET, s, &a), 1, "bad address %s", s);
	return a;
}

static void
ok(const char *cmd)
{
	int err = fib_exec(cmd);

	cr_assert_eq(err, 0, "`%s` failed: %s", cmd, strerror(-err));
}

/* `get` returns the errno, or 0 with @via/@dev/@type in @res. */
static int
get(const char *dst, const char *src, int oif, uint8_t tos, uint32_t mark,
    struct fib_result *res)
{
	struct flowi4 fl4;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A(dst);
	if (src != NULL)
		fl4.saddr = A(src);
	fl4.flowi4_oif = oif;
	fl4.flowi4_iif = 1;
	fl4.flowi4_tos = tos;
	fl4.flowi4_mark = mark;
	memset(res, 0, sizeof(*res));
	return fib_lookup(&fl4, res);
}

static void
expect_via(const char *dst, int oif, uint8_t tos, const char *via,
    const char *dev)
{
	struct fib_result res;
	char a[INET_ADDRSTRLEN] = "";
	int err = get(dst, NULL, oif, tos, 0, &res);

	cr_assert_eq(err, 0, "get %s: %s", dst, strerror(-err));
	cr_assert_not_null(res.nhc, "get %s: no nexthop", dst);
	if (res.nhc->nh_gw)
		inet_ntop(AF_INET, &res.nhc->nh_gw, a, sizeof(a));
	cr_assert_str_eq(a, via ? via : "", "get %s: via %s, want %s", dst, a,
	    via ? via : "(none)");
	if (dev != NULL)
		cr_assert_str_eq(res.nhc->nh_dev->name, dev, "get %s: dev", dst);
}

static void
expect_err(const char *dst, int want)
{
	struct fib_result res;
	int err = get(dst, NULL, 0, 0, 0, &res);

	cr_assert_eq(err, want, "get %s: %d (%s), want %d (%s)", dst, err,
	    strerror(-err), want, strerror(-want));
}

static void
expect_exec(const char *cmd, int want)
{
	int err = fib_exec(cmd);

	cr_assert_eq(err, want, "`%s`: %d (%s), want %d (%s)", cmd, err,
	    strerror(-err), want, strerror(-want));
}

TestSuite(fib, .init = setup, .fini = teardown);

/* --------------------------------------------------------- route types */

struct type_case {
	char	cmd[64];
	char	dst[20];
	int	err;
	int	type;
};

static struct type_case type_cases[] = {
	{ "", "10.0.0.7", 0, RTN_UNICAST },
	{ "", "10.0.0.1", 0, RTN_LOCAL },
	{ "", "127.1.2.3", 0, RTN_LOCAL },
	{ "", "10.0.0.255", 0, RTN_BROADCAST },
	{ "", "10.0.0.0", 0, RTN_UNICAST },	/* 6.x: no network brd */
	{ "", "8.8.8.8", -ENETUNREACH, 0 },
	{ "unreachable 172.16.0.0/12", "172.16.1.1", -EHOSTUNREACH, 0 },
	{ "prohibit 172.17.0.0/16", "172.17.0.1", -EACCES, 0 },
	{ "blackhole 172.18.0.0/16", "172.18.0.1", -EINVAL, 0 },
	{ "throw 172.19.0.0/16", "172.19.0.1", -ENETUNREACH, 0 },
	{ "default via 10.0.0.254", "8.8.8.8", 0, RTN_UNICAST },
	{ "multicast 224.0.0.0/4 dev dummy0 table main", "224.0.0.5", 0,
	    RTN_MULTICAST },
};

ParameterizedTestParameters(fib, route_types)
{
	return cr_make_param_array(struct type_case, type_cases,
	    sizeof(type_cases) / sizeof(type_cases[0]));
}

ParameterizedTest(struct type_case *c, fib, route_types)
{
	struct fib_result res;
	int err;

	if (c->cmd[0])
		ok(c->cmd);
	err = get(c->dst, NULL, 0, 0, 0, &res);
	cr_assert_eq(err, c->err, "%s -> %s: %d, want %d", c->cmd, c->dst,
	    err, c->err);
	if (err == 0)
		cr_assert_eq(res.type, c->type, "%s: type %u", c->dst, res.type);
}

/* ---------------------------------------------------- writer error codes */

struct add_case {
	char	cmd[96];
	int	err;
};

static struct add_case add_cases[] = {
	{ "route add 10.23.0.1/16 dev dummy0", -EINVAL },	/* host bits */
	{ "route add 10.23.0.0/33 dev dummy0", -EINVAL },
	{ "route add 10.24.0.0/16 via 192.0.2.1", -ENETUNREACH },
	{ "route add 10.26.0.0/16 via 192.0.2.1 dev dummy0 onlink", 0 },
	{ "route add 10.27.0.0/16 via 192.0.2.1 dev dummy0 onlink scope link",
	    -EINVAL },
	{ "route add 10.28.0.0/16 dev dummy0 src 10.9.9.9", -EINVAL },
	{ "route add 10.28.0.0/16 dev dummy0 src 10.1.0.1", 0 },
	{ "route add local 10.29.0.1 dev dummy0 scope link", -EINVAL },
	{ "route add unreachable 10.30.0.0/16 dev dummy0", -EINVAL },
	{ "route add 10.10.0.0/16 tos 0x03 dev dummy0", -EINVAL },
	{ "route change 10.22.0.0/16 via 10.0.0.2", -ENOENT },
	{ "route test 10.22.0.0/16 via 10.0.0.2", -ENOENT },
	{ "route del 10.99.0.0/16", -ESRCH },
	{ "route del 10.99.0.0/16 table 77", -ESRCH },
	{ "route add 10.31.0.0/16 nhid 99", -EINVAL },
	{ "route add 10.32.0.0/16 dev nosuchdev", -ENODEV },
	{ "route add 10.33.0.0/16 via 10.0.0.1", 0 },	/* local gateway */
	{ "route add 10.34.0.0/16 via 10.0.0.255", -EINVAL },
	{ "route add 10.35.0.0/16 via 10.0.0.9 dev dummy1", -ENETUNREACH },
};

ParameterizedTestParameters(fib, add_errors)
{
	return cr_make_param_array(struct add_case, add_cases,
	    sizeof(add_cases) / sizeof(add_cases[0]));
}

ParameterizedTest(struct add_case *c, fib, add_errors)
{
	expect_exec(c->cmd, c->err);
}

Test(fib, longest_prefix_and_default)
{
	ok("192.168.0.0/16 via 10.0.0.2");
	ok("192.168.1.0/24 via 10.1.0.2");
	expect_via("192.168.1.5", 0, 0, "10.1.0.2", "dummy1");
	expect_via("192.168.2.5", 0, 0, "10.0.0.2", "dummy0");
	expect_err("8.8.8.8", -ENETUNREACH);
	ok("default via 10.0.0.254");
	expect_via("8.8.8.8", 0, 0, "10.0.0.254", "dummy0");
	/* oif: the /24 alias is skipped */
	expect_via("192.168.1.5", 2, 0, "10.0.0.2", "dummy0");
}

Test(fib, tos_and_metric_order)
{
	ok("10.9.0.0/16 tos 0x10 via 10.1.0.2 metric 100");
	ok("10.9.0.0/16 via 10.0.0.2 metric 1");
	expect_via("10.9.0.1", 0, 0x10, "10.1.0.2", NULL);
	expect_via("10.9.0.1", 0, 0x08, "10.0.0.2", NULL);
	expect_via("10.9.0.1", 0, 0, "10.0.0.2", NULL);
	ok("10.9.1.0/24 via 10.0.0.3");
	expect_via("10.9.1.1", 0, 0x10, "10.0.0.3", NULL);

	ok("10.20.0.0/16 via 10.0.0.2 metric 20");
	ok("10.20.0.0/16 via 10.1.0.2 metric 10");
	expect_via("10.20.0.1", 0, 0, "10.1.0.2", NULL);
	ok("route del 10.20.0.0/16 metric 10");
	expect_via("10.20.0.1", 0, 0, "10.0.0.2", NULL);
}

Test(fib, append_prepend_replace_delete)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	const char *p1, *p2, *p3;

	ok("route add 10.21.0.0/16 via 10.0.0.2");
	ok("route append 10.21.0.0/16 via 10.1.0.2");
	ok("route prepend 10.21.0.0/16 via 10.1.0.3");
	expect_via("10.21.0.1", 0, 0, "10.1.0.3", NULL);
	f = open_memstream(&buf, &len);
	fib_dump_routes(f, RT_TABLE_MAIN);
	fclose(f);
	p1 = strstr(buf, "via 10.1.0.3");
	p2 = strstr(buf, "via 10.0.0.2");
	p3 = strstr(buf, "via 10.1.0.2");
	cr_assert(p1 && p2 && p3 && p1 < p2 && p2 < p3, "order:\n%s", buf);
	free(buf);
	expect_exec("route add 10.21.0.0/16 via 10.0.0.2", -EEXIST);
	expect_exec("route append 10.21.0.0/16 via 10.1.0.2", -EEXIST);
	ok("route replace 10.21.0.0/16 via 10.1.0.9");
	expect_via("10.21.0.1", 0, 0, "10.1.0.9", NULL);
	ok("route del 10.21.0.0/16");
	expect_via("10.21.0.1", 0, 0, "10.0.0.2", NULL);
	ok("route del 10.21.0.0/16 via 10.1.0.2");
	ok("route del 10.21.0.0/16");
	expect_exec("route del 10.21.0.0/16", -ESRCH);
	expect_err("10.21.0.1", -ENETUNREACH);
}

/*
 * A dump lists a prefix's routes in the kernel's order; a route the FIB
 * has already is moved after the others of its prefix, tos and metric,
 * so that moving each as the dump lists it gives the dump's order.
 */
Test(fib, move_last_puts_a_route_after_its_equals)
{
	struct fib_config cfg;

	ok("route add 10.21.0.0/16 via 10.0.0.2");
	ok("route append 10.21.0.0/16 via 10.1.0.2");
	ok("route add 10.21.0.0/16 via 10.1.0.7 metric 5");
	expect_via("10.21.0.1", 0, 0, "10.0.0.2", NULL);
	cr_assert_eq(fib_parse_route("10.21.0.0/16 via 10.0.0.2", &cfg), 0);
	cr_assert_eq(fib_route_move_last(&cfg), 0);
	expect_via("10.21.0.1", 0, 0, "10.1.0.2", NULL);
	cr_assert_eq(fib_route_move_last(&cfg), 0);	/* last already */
	expect_via("10.21.0.1", 0, 0, "10.1.0.2", NULL);
	cr_assert_eq(fib_parse_route("10.21.0.0/16 via 10.1.0.2", &cfg), 0);
	cr_assert_eq(fib_route_move_last(&cfg), 0);
	expect_via("10.21.0.1", 0, 0, "10.0.0.2", NULL);
	ok("route del 10.21.0.0/16 via 10.0.0.2");
	ok("route del 10.21.0.0/16 via 10.1.0.2");
	expect_via("10.21.0.1", 0, 0, "10.1.0.7", NULL);
	cr_assert_eq(fib_parse_route("10.21.0.0/16 via 10.0.0.9", &cfg), 0);
	cr_expect_eq(fib_route_move_last(&cfg), -ESRCH);
}

Test(fib, replace_same_is_noop_and_change)
{
	ok("route add 10.40.0.0/16 via 10.0.0.2");
	ok("route replace 10.40.0.0/16 via 10.0.0.2");
	ok("route change 10.40.0.0/16 via 10.0.0.3");
	expect_via("10.40.0.1", 0, 0, "10.0.0.3", NULL);
	ok("route replace 10.41.0.0/16 via 10.0.0.4");	/* creates */
	expect_via("10.41.0.1", 0, 0, "10.0.0.4", NULL);
}

Test(fib, genid_bumps)
{
	uint64_t g = fib_genid();

	ok("10.50.0.0/16 via 10.0.0.2");
	cr_assert_gt(fib_genid(), g);
	g = fib_genid();
	ok("rule add from 1.2.3.4 lookup 5");
	cr_assert_gt(fib_genid(), g);
}

/* ------------------------------------------------------------- rules */

Test(fib, rules_selectors)
{
	struct fib_result res;

	ok("route add default via 10.1.0.254 table 100");
	ok("rule add from 10.1.0.1 lookup 100");
	ok("route add default via 10.0.0.254");
	cr_assert_eq(get("8.8.8.8", "10.1.0.1", 0, 0, 0, &res), 0);
	cr_assert_eq(res.table, 100);
	cr_assert_eq(get("8.8.8.8", "10.0.0.1", 0, 0, 0, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);

	ok("route add default via 10.1.0.253 table 101");
	ok("rule add fwmark 0x1/0x1 lookup 101");
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0, 3, &res), 0);
	cr_assert_eq(res.table, 101);
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0, 2, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);

	ok("route add default via 10.1.0.252 table 102");
	ok("rule add iif lo lookup 102 pref 50");
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(res.table, 102);
	ok("rule del pref 50");
	ok("rule add tos 0x10 lookup 102 pref 51");
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0x10, 0, &res), 0);
	cr_assert_eq(res.table, 102);
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0x08, 0, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
	ok("rule add not to 8.0.0.0/8 lookup 101 pref 52");
	cr_assert_eq(get("9.9.9.9", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(res.table, 101);
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
	ok("rule add oif dummy1 lookup 102 pref 53");
	cr_assert_eq(get("8.8.8.8", NULL, 3, 0, 0, &res), 0);
	cr_assert_eq(res.table, 102);
}

Test(fib, rules_ports_proto_uid)
{
	struct flowi4 fl4;
	struct fib_result res;

	ok("route add default via 10.1.0.254 table 100");
	ok("route add default via 10.0.0.254");
	ok("rule add ipproto tcp dport 80-90 uidrange 1000-2000 lookup 100 pref 10");
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("8.8.8.8");
	fl4.flowi4_proto = 6;
	fl4.fl4_dport = htons(85);
	fl4.flowi4_uid = 1500;
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, 100);
	fl4.fl4_dport = htons(91);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
	fl4.fl4_dport = htons(80);
	fl4.flowi4_uid = 999;
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
	fl4.flowi4_uid = 1000;
	fl4.flowi4_proto = 17;
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
}

struct rule_act_case {
	char	rule[64];
	int	err;
};

static struct rule_act_case rule_act_cases[] = {
	{ "rule add to 203.0.113.0/24 prohibit", -EACCES },
	{ "rule add to 203.0.113.0/24 unreachable", -ENETUNREACH },
	{ "rule add to 203.0.113.0/24 blackhole", -EINVAL },
	{ "rule add to 203.0.113.0/24 nop pref 5", 0 },
	{ "rule add to 203.0.113.0/24 goto 32767 pref 6", -ENETUNREACH },
};

ParameterizedTestParameters(fib, rule_actions)
{
	return cr_make_param_array(struct rule_act_case, rule_act_cases,
	    sizeof(rule_act_cases) / sizeof(rule_act_cases[0]));
}

ParameterizedTest(struct rule_act_case *c, fib, rule_actions)
{
	ok("default via 10.0.0.254");
	ok(c->rule);
	expect_err("203.0.113.1", c->err);
	expect_err("198.51.100.1", 0);
}

Test(fib, throw_continues_and_goto)
{
	ok("route add throw 10.40.0.0/16 table 100");
	ok("route add default via 10.1.0.254 table 100");
	ok("rule add pref 100 lookup 100");
	ok("route add 10.40.0.0/16 via 10.0.0.2");
	expect_via("10.40.0.1", 0, 0, "10.0.0.2", NULL);
	expect_via("8.8.8.8", 0, 0, "10.1.0.254", NULL);
	/* goto skips rule 100 */
	ok("rule add pref 50 to 8.8.8.0/24 goto 200");
	ok("route add default via 10.0.0.253 table 200");
	ok("rule add pref 200 lookup 200");
	expect_via("8.8.8.8", 0, 0, "10.0.0.253", NULL);
	expect_exec("rule add pref 500 goto 400", -EINVAL);
}

Test(fib, rule_prefs_and_duplicates)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("rule add from 1.2.3.4 table 5");
	ok("rule add from 5.6.7.8 table 5");
	ok("rule add pref 1000 from 1.2.3.4 table 5");
	expect_exec("rule add pref 1000 from 1.2.3.4 table 5", -EEXIST);
	f = open_memstream(&buf, &len);
	fib_dump_rules(f);
	fclose(f);
	cr_assert(strstr(buf, "32765:\tfrom 1.2.3.4 lookup 5") != NULL, "%s", buf);
	cr_assert(strstr(buf, "32764:\tfrom 5.6.7.8 lookup 5") != NULL, "%s", buf);
	cr_assert(strstr(buf, "0:\tfrom all lookup local") == buf, "%s", buf);
	free(buf);
	ok("rule del pref 1000");
	expect_exec("rule del pref 1000", -ENOENT);
	expect_exec("rule add tos 0x03 lookup 5", -EINVAL);
}

/* ------------------------------------------------------ rule identity */

/* What fib_dump_rules prints for the rules at @pref, lines joined. */
static char *
rules_at(uint32_t pref)
{
	char *buf = NULL, *out, *line, *save = NULL, head[16];
	size_t len = 0, n = 0;
	FILE *f;

	f = open_memstream(&buf, &len);
	fib_dump_rules(f);
	fclose(f);
	out = calloc(1, len + 1);
	cr_assert_not_null(out);
	snprintf(head, sizeof(head), "%u:\t", pref);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, head, strlen(head)) == 0)
			n += (size_t)sprintf(out + n, "%s%s", n ? "|" : "",
			    line);
	free(buf);
	return out;
}

static void
expect_rules_at(uint32_t pref, const char *want)
{
	char *got = rules_at(pref);

	cr_assert_str_eq(got, want, "rules at %u: \"%s\", want \"%s\"", pref,
	    got, want);
	free(got);
}

/*
 * Two rules differing in one attribute, both set: an exclusive add of
 * the second is no duplicate (rule_exists compares it), the first again
 * is; deleting by the second's words removes the second (rule_find
 * compares what a delete names).  Each line is also checked against the
 * kernel by tests/daemon/rtcd-rules.sh.
 */
struct rule_id_case {
	char	attr[24];
	char	first[80];
	char	second[80];
	char	left[80];	/* fib_dump_rules' line for the first */
};

static struct rule_id_case rule_id_cases[] = {
	{ "ipproto", "ipproto tcp lookup 100", "ipproto udp lookup 100",
	    "from all ipproto tcp lookup 100" },
	{ "sport", "sport 80 lookup 100", "sport 81-90 lookup 100",
	    "from all sport 80 lookup 100" },
	{ "dport", "dport 80 lookup 100", "dport 443 lookup 100",
	    "from all dport 80 lookup 100" },
	{ "uidrange", "uidrange 1000-2000 lookup 100",
	    "uidrange 1000-3000 lookup 100",
	    "from all uidrange 1000-2000 lookup 100" },
	{ "fwmark", "fwmark 0x1 lookup 100", "fwmark 0x2 lookup 100",
	    "from all fwmark 0x1 lookup 100" },
	{ "fwmark mask", "fwmark 0x1/0xff lookup 100",
	    "fwmark 0x1/0xf lookup 100",
	    "from all fwmark 0x1/0xff lookup 100" },
	{ "suppress_prefixlength", "lookup 100 suppress_prefixlength 0",
	    "lookup 100 suppress_prefixlength 8",
	    "from all lookup 100 suppress_prefixlength 0" },
	{ "suppress_ifgroup", "lookup 100 suppress_ifgroup 1",
	    "lookup 100 suppress_ifgroup 2",
	    "from all lookup 100 suppress_ifgroup 1" },
	{ "iif", "iif dummy0 lookup 100", "iif dummy1 lookup 100",
	    "from all iif dummy0 lookup 100" },
	{ "oif", "oif dummy0 lookup 100", "oif dummy1 lookup 100",
	    "from all oif dummy0 lookup 100" },
	{ "tos", "tos 0x04 lookup 100", "tos 0x08 lookup 100",
	    "from all tos 0x04 lookup 100" },
	{ "realms", "lookup 100 realms 3", "lookup 100 realms 2/4",
	    "from all lookup 100 realms 3" },
	{ "table", "lookup 100", "lookup 200", "from all lookup 100" },
	{ "from", "from 10.9.0.0/16 lookup 100", "from 10.8.0.0/16 lookup 100",
	    "from 10.9.0.0/16 lookup 100" },
	{ "to", "to 10.9.0.0/16 lookup 100", "to 10.9.0.0/24 lookup 100",
	    "from all to 10.9.0.0/16 lookup 100" },
	{ "protocol", "lookup 100 proto static", "lookup 100 proto boot",
	    "from all lookup 100 proto static" },
	{ "tun_id", "tun_id 5 lookup 100", "tun_id 6 lookup 100",
	    "from all tun_id 5 lookup 100" },
	{ "l3mdev", "unreachable", "l3mdev unreachable",
	    "from all unreachable" },
	{ "action", "lookup 100", "lookup 100 unreachable",
	    "from all lookup 100" },
};

ParameterizedTestParameters(fib, rule_delete_and_excl_add_tell_apart_one_attribute)
{
	return cr_make_param_array(struct rule_id_case, rule_id_cases,
	    sizeof(rule_id_cases) / sizeof(rule_id_cases[0]));
}

ParameterizedTest(struct rule_id_case *c, fib,
    rule_delete_and_excl_add_tell_apart_one_attribute)
{
	char cmd[160], want[96];

	snprintf(cmd, sizeof(cmd), "rule add pref 100 %s", c->first);
	ok(cmd);
	snprintf(cmd, sizeof(cmd), "rule add pref 100 %s", c->second);
	ok(cmd);
	snprintf(cmd, sizeof(cmd), "rule add pref 100 %s", c->first);
	expect_exec(cmd, -EEXIST);
	snprintf(cmd, sizeof(cmd), "rule del pref 100 %s", c->second);
	ok(cmd);
	snprintf(want, sizeof(want), "100:\t%s", c->left);
	expect_rules_at(100, want);
}

Test(fib, rule_delete_ignores_what_it_does_not_name_and_takes_the_first)
{
	ok("rule add pref 100 ipproto tcp lookup 100");
	ok("rule add pref 100 lookup 100");
	ok("rule del pref 100 lookup 100");
	expect_rules_at(100, "100:\tfrom all lookup 100");
	/* a delete names no target: the first goto of the pref goes */
	ok("rule add pref 200 to 10.1.0.0/16 goto 300");
	ok("rule add pref 200 to 10.2.0.0/16 goto 400");
	ok("rule del pref 200 goto 400");
	expect_rules_at(200,
	    "200:\tfrom all to 10.2.0.0/16 goto 400 [unresolved]");
}

Test(fib, rule_delete_of_a_mark_without_mask_takes_only_a_full_mask)
{
	ok("rule add pref 100 fwmark 0x1/0xff lookup 100");
	ok("rule add pref 100 fwmark 0x1 lookup 100");
	ok("rule del pref 100 fwmark 0x1");
	expect_rules_at(100, "100:\tfrom all fwmark 0x1/0xff lookup 100");
	ok("rule add pref 101 fwmark 0/0xff lookup 100");
	expect_rules_at(101, "101:\tfrom all fwmark 0/0xff lookup 100");
}

Test(fib, rule_excl_add_ignores_not_and_the_goto_target)
{
	ok("rule add pref 100 from 10.9.0.0/16 lookup 100");
	expect_exec("rule add pref 100 not from 10.9.0.0/16 lookup 100",
	    -EEXIST);
	ok("rule add pref 200 goto 300");
	expect_exec("rule add pref 200 goto 400", -EEXIST);
}

Test(fib, rule_excl_add_compares_prefixes_tos_and_realms_only_when_given)
{
	ok("rule add pref 100 from 10.9.0.0/16 to 10.8.0.0/16 tos 0x04 "
	    "lookup 100 realms 3");
	expect_exec("rule add pref 100 lookup 100", -EEXIST);
	ok("rule add pref 100 lookup 100 realms 4");
	ok("rule add pref 100 from 10.7.0.0/16 lookup 100");
	/* a table chosen by the kernel is not known yet when it compares */
	ok("rule add pref 300 lookup 5");
	ok("rule add pref 300");
}

struct rule_bad_case {
	char	rule[64];
};

static struct rule_bad_case rule_bad_cases[] = {
	{ "sport 65535 lookup 100" },
	{ "sport 0 lookup 100" },
	{ "sport 80-90/0xff lookup 100" },
	{ "dport 81/0xfff0 lookup 100" },
	{ "dport 90-80 lookup 100" },
	{ "uidrange 0-4294967295 lookup 100" },
	{ "uidrange 5-1 lookup 100" },
	{ "l3mdev lookup 100" },
	{ "goto 50" },
};

ParameterizedTestParameters(fib, rule_requests_with_bad_ranges_are_refused)
{
	return cr_make_param_array(struct rule_bad_case, rule_bad_cases,
	    sizeof(rule_bad_cases) / sizeof(rule_bad_cases[0]));
}

ParameterizedTest(struct rule_bad_case *c, fib,
    rule_requests_with_bad_ranges_are_refused)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rule add pref 100 %s", c->rule);
	expect_exec(cmd, -EINVAL);
	snprintf(cmd, sizeof(cmd), "rule del pref 100 %s", c->rule);
	expect_exec(cmd, -EINVAL);
}

Test(fib, rule_ports_with_a_mask_match_the_bits_it_names)
{
	struct flowi4 fl4;
	struct fib_result res;

	ok("route add default via 10.1.0.254 table 100");
	ok("route add default via 10.0.0.254");
	/* 6.15's FRA_SPORT_MASK: 0x50 under 0xfff0 is 80..95 */
	ok("rule add pref 100 sport 80/0xfff0 lookup 100");
	ok("rule add pref 100 sport 80 lookup 100");
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("8.8.8.8");
	fl4.fl4_sport = htons(95);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, 100);
	fl4.fl4_sport = htons(96);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN);
	/* the two differ in their mask only: each is its own rule */
	expect_exec("rule add pref 100 sport 80/0xfff0 lookup 100", -EEXIST);
	ok("rule del pref 100 sport 80/0xfff0");
	fl4.fl4_sport = htons(95);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, RT_TABLE_MAIN, "the masked rule went");
	fl4.fl4_sport = htons(80);
	cr_assert_eq(fib_lookup(&fl4, &res), 0);
	cr_assert_eq(res.table, 100, "the exact one stayed");
}

Test(fib, rule_show_prints_as_ip_rule_show)
{
	char want[128], p[INET_PROTO_BUFSZ];

	ok("rule add pref 100 unreachable table 100");
	ok("rule add pref 101 goto 200 table 5");
	ok("rule add pref 102 l3mdev");
	ok("rule add pref 103 lookup 100 suppress_ifgroup 0 realms 1/2 "
	    "proto static");
	ok("rule add pref 104 fwmark 0x5/0 tun_id 7 lookup 100");
	ok("rule add pref 105 ipproto 132 sport 5 dport 6-7 lookup 100");
	expect_rules_at(100, "100:\tfrom all lookup 100 unreachable");
	expect_rules_at(101, "101:\tfrom all lookup 5 goto 200 [unresolved]");
	expect_rules_at(102, "102:\tfrom all lookup [l3mdev-table]");
	expect_rules_at(103, "103:\tfrom all lookup 100 suppress_ifgroup "
	    "default realms 1/2 proto static");
	expect_rules_at(104, "104:\tfrom all fwmark 0x5/0 tun_id 7 lookup 100");
	snprintf(want, sizeof(want), "105:\tfrom all ipproto %s sport 5 "
	    "dport 6-7 lookup 100", inet_proto_n2a(132, p, sizeof(p)));
	expect_rules_at(105, want);
}

Test(fib, rule_realms_reach_the_lookup_result)
{
	struct fib_result res;

	ok("route add default via 10.1.0.254 table 100");
	ok("rule add pref 100 to 8.8.0.0/16 lookup 100 realms 2/3");
	cr_assert_eq(get("8.8.8.8", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(res.tclassid, 2U << 16 | 3);
	expect_err("9.9.9.9", -ENETUNREACH);
	cr_assert_eq(get("9.9.9.9", NULL, 0, 0, 0, &res), -ENETUNREACH);
	cr_assert_eq(res.tclassid, 0);
	cr_assert_eq(fib_rules_tclassid_users, 1);
	ok("rule del pref 100");
	cr_assert_eq(fib_rules_tclassid_users, 0);
}

Test(fib, rules_on_an_l3mdev_or_a_tunnel_id_never_match_a_flow)
{
	ok("route add default via 10.1.0.254 table 100");
	ok("rule add pref 100 tun_id 5 lookup 100");
	ok("rule add pref 101 l3mdev unreachable");
	expect_err("8.8.8.8", -ENETUNREACH);
	ok("rule add pref 102 not tun_id 5 lookup 100");
	expect_via("8.8.8.8", 0, 0, "10.1.0.254", NULL);
}

Test(fib, rules_count_what_makes_input_lookups_read_ports)
{
	ok("rule add pref 100 iif lo ipproto tcp lookup 100");
	cr_assert_eq(fib_rules_flow_dissect, 0, "a rule on iif lo does not");
	ok("rule add pref 101 dport 80 lookup 100");
	ok("rule add pref 102 iif dummy0 ipproto udp lookup 100");
	cr_assert_eq(fib_rules_flow_dissect, 2);
	ok("rule del pref 101");
	cr_assert_eq(fib_rules_flow_dissect, 1);
	fib_rules_flush();
	cr_assert_eq(fib_rules_flow_dissect, 0);
}

Test(fib, suppress_prefixlength)
{
	ok("route add default via 10.0.0.254");
	ok("route add 192.168.0.0/16 via 10.0.0.2");
	ok("route add default via 10.1.0.254 table 100");
	ok("rule add pref 10 lookup main suppress_prefixlength 0");
	ok("rule add pref 11 lookup 100");
	expect_via("192.168.1.1", 0, 0, "10.0.0.2", NULL);
	expect_via("8.8.8.8", 0, 0, "10.1.0.254", NULL);
	ok("link set dummy1 group 7");
	ok("rule add pref 5 lookup 100 suppress_ifgroup 7");
	expect_via("192.168.1.1", 0, 0, "10.0.0.2", NULL);
}

/* ------------------------------------------------- devices and nexthops */

Test(fib, link_down_up)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("10.50.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.1.0.2 weight 3");
	ok("192.168.1.0/24 via 10.1.0.2");
	ok("link set dummy1 down");
	expect_via("10.50.0.1", 0, 0, "10.0.0.2", NULL);
	expect_err("192.168.1.5", -ENETUNREACH);
	f = open_memstream(&buf, &len);
	fib_dump_routes(f, FIB_TABLE_ALL);
	fclose(f);
	cr_assert(strstr(buf, "192.168.1.0/24") == NULL, "%s", buf);
	cr_assert(strstr(buf, "dev dummy1 weight 3 dead linkdown") != NULL,
	    "%s", buf);
	free(buf);
	ok("link set dummy1 up");
	expect_via("10.1.0.7", 0, 0, NULL, "dummy1");	/* connected back */
	expect_err("192.168.1.5", -ENETUNREACH);	/* not restored */
	ok("link set dummy0 down");
	expect_err("10.0.0.7", -ENETUNREACH);
	{
		struct fib_result res;

		cr_assert_eq(get("10.0.0.1", NULL, 0, 0, 0, &res), 0);
		cr_assert_eq(res.type, RTN_LOCAL);
	}
}

Test(fib, carrier_linkdown)
{
	struct netdev_conf c;

	ok("192.168.1.0/24 via 10.1.0.2");
	ok("192.168.0.0/16 via 10.0.0.2");
	ok("link set dummy1 carrier off");
	expect_via("192.168.1.5", 0, 0, "10.1.0.2", NULL);
	memset(&c, 0, sizeof(c));
	c.ignore_routes_with_linkdown = 1;
	cr_assert_eq(netdev_set_conf(3, &c), 0);
	expect_via("192.168.1.5", 0, 0, "10.0.0.2", NULL);
	ok("link set dummy1 carrier on");
	expect_via("192.168.1.5", 0, 0, "10.1.0.2", NULL);
}

/* The gateway check of a new route takes a linkdown device even under
 * ignore_routes_with_linkdown (fib_check_nh_v4_gw looks up with
 * FIB_LOOKUP_IGNORE_LINKSTATE): the kernel keeps such routes, and so
 * must a mirror that learns the setting before the routes. */
Test(fib, gateway_check_takes_a_linkdown_device_under_ignore_linkdown)
{
	struct netdev_conf c;

	ok("192.168.0.0/16 via 10.0.0.2");
	ok("link set dummy1 carrier off");
	c = netdev_get_by_index(3)->cnf;
	c.ignore_routes_with_linkdown = 1;
	cr_assert_eq(netdev_set_conf(3, &c), 0);
	ok("192.168.1.0/24 via 10.1.0.2");
	expect_via("192.168.1.5", 0, 0, "10.0.0.2", NULL);
	ok("link set dummy1 carrier on");
	expect_via("192.168.1.5", 0, 0, "10.1.0.2", "dummy1");
}

Test(fib, addr_removal_and_link_delete)
{
	/* a second address keeps dummy0's IP alive: only prefsrc matters */
	ok("addr add 10.5.0.1/24 dev dummy0");
	ok("10.60.0.0/16 dev dummy0 src 10.0.0.1");
	ok("10.60.0.0/16 dev dummy0 src 10.0.0.1 table 200");
	ok("addr del 10.0.0.1/24 dev dummy0");
	expect_exec("route del 10.60.0.0/16", -ESRCH);
	ok("route del 10.60.0.0/16 table 200");
	ok("192.168.1.0/24 via 10.1.0.2");
	ok("link del dummy1");
	expect_err("192.168.1.5", -ENETUNREACH);
	expect_err("10.1.0.1", -ENETUNREACH);
}

Test(fib, secondary_address_prefsrc)
{
	struct fib_result res;

	ok("addr add 10.0.0.200/24 dev dummy0");
	cr_assert_eq(get("10.0.0.200", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(res.type, RTN_LOCAL);
	cr_assert_eq(fib_result_prefsrc(&res), A("10.0.0.1"));
	ok("10.70.0.0/16 via 10.0.0.2 src 10.1.0.1");
	cr_assert_eq(get("10.70.0.1", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(fib_result_prefsrc(&res), A("10.1.0.1"));
	ok("10.71.0.0/16 via 10.1.0.2");
	cr_assert_eq(get("10.71.0.1", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(fib_result_prefsrc(&res), A("10.1.0.1"));
	cr_assert_eq(get("198.51.100.1", NULL, 0, 0, 0, &res), -ENETUNREACH);
}

Test(fib, multipath_weights)
{
	struct fib_result res;
	struct flowi4 fl4;
	int n[2] = { 0, 0 }, i;
	char dst[32];

	ok("10.50.0.0/16 nexthop via 10.0.0.2 weight 1 nexthop via 10.1.0.2 weight 3");
	for (i = 0; i < 40000; i++) {
		snprintf(dst, sizeof(dst), "10.50.%d.%d", (i >> 8) & 255, i & 255);
		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = A(dst);
		cr_assert_eq(fib_lookup(&fl4, &res), 0);
		n[res.nh_sel]++;
		/* a source on a leg's device: that leg (6.15+) */
		{
			struct fib_result r1;

			fl4.saddr = A("10.0.0.1");
			cr_assert_eq(fib_lookup(&fl4, &r1), 0);
			cr_assert_eq(r1.nh_sel, 0);
			fl4.saddr = 0;
		}
		/* stable per flow */
		{
			struct fib_result r2;

			cr_assert_eq(fib_lookup(&fl4, &r2), 0);
			cr_assert_eq(r2.nhc, res.nhc);
		}
	}
	cr_assert(n[1] > 2.7 * n[0] && n[1] < 3.3 * n[0], "%d:%d", n[0], n[1]);
	/* oif selects the nexthop */
	expect_via("10.50.0.1", 3, 0, "10.1.0.2", NULL);
	/* upper bounds: the last usable leg ends at 2^31 - 1 */
	cr_assert_eq(res.fi->fib_nh[1].nh_upper_bound, 0x7fffffff);
	cr_assert_eq(res.fi->fib_nh[0].nh_upper_bound, (1 << 29) - 1);
}

Test(fib, nexthop_objects)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("nexthop add id 1 via 10.0.0.2 dev dummy0");
	ok("nexthop add id 2 via 10.1.0.2 dev dummy1");
	ok("nexthop add id 10 group 1/2,3");
	ok("nexthop add id 3 blackhole");
	expect_exec("nexthop add id 1 via 10.0.0.3 dev dummy0", -EEXIST);
	expect_exec("nexthop add id 11 group 1/99", -EINVAL);
	ok("10.80.0.0/16 nhid 1");
	ok("10.81.0.0/16 nhid 10");
	ok("10.82.0.0/16 nhid 3");
	expect_via("10.80.0.1", 0, 0, "10.0.0.2", "dummy0");
	expect_err("10.82.0.1", -EINVAL);
	expect_via("10.81.0.1", 2, 0, "10.0.0.2", NULL);
	f = open_memstream(&buf, &len);
	fib_dump_nexthops(f);
	fclose(f);
	cr_assert(strstr(buf, "id 10 group 1/2,3") != NULL, "%s", buf);
	free(buf);
	ok("nexthop del id 1");
	expect_err("10.80.0.1", -ENETUNREACH);
	expect_via("10.81.0.1", 0, 0, "10.1.0.2", NULL);
	ok("link set dummy1 down");	/* removes nexthop 2, then group 10 */
	expect_err("10.81.0.1", -ENETUNREACH);
	cr_assert_null(fib_nexthop_get(10));
}

/*
 * A nexthop-object route that does not fit the flow (oif) ends the
 * kernel's look at its trie leaf: the routes of shorter prefixes of the
 * same key (10.20.0.0/17 and /16) are not tried, shorter keys are.
 */
Test(fib, an_nhid_route_that_misses_skips_its_key)
{
	struct fib_result res;

	ok("nexthop add id 2 via 10.1.0.2 dev dummy1");
	ok("10.20.0.0/16 dev dummy0");
	ok("10.20.0.0/17 nhid 2");
	ok("10.16.0.0/12 dev dummy0");
	ok("0.0.0.0/1 nhid 2");
	ok("default dev dummy0");
	/* the nexthop's own device: the /17 */
	cr_assert_eq(get("10.20.5.81", NULL, 3, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 17);
	/* another device: not the /16 of the same key, the /12 */
	cr_assert_eq(get("10.20.5.81", NULL, 2, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 12);
	cr_expect_str_eq(res.nhc->nh_dev->name, "dummy0");
	/* outside the /17 the /16 is the first to fit */
	cr_assert_eq(get("10.20.200.1", NULL, 2, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 16);
	/* no oif: the /17 */
	cr_assert_eq(get("10.20.5.81", NULL, 0, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 17);
	/* key 0.0.0.0: /1 and the default are one leaf, nothing is left */
	cr_expect_neq(get("100.1.1.1", NULL, 2, 0, 0, &res), 0);
	cr_assert_eq(get("100.1.1.1", NULL, 3, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 1);
	/* a route of another key in between is still found */
	ok("100.0.0.0/8 dev dummy0");
	cr_assert_eq(get("100.1.1.1", NULL, 2, 0, 0, &res), 0);
	cr_expect_eq(res.prefixlen, 8);
}

/*
 * Everything fib_cursor_step prints, @max bytes per step, to a string;
 * with @park, the window is dropped after every step.
 */
static char *
cursor_text(struct fib_cursor *c, size_t max, int park, int *steps)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rv;

	*steps = 0;
	do {
		rv = fib_cursor_step(c, f, max);
		cr_assert_geq(rv, 0);
		(*steps)++;
		if (park)
			fib_cursor_park(c);
	} while (rv > 0);
	fib_cursor_free(c);
	fclose(f);
	return buf;
}

static char *
whole_text(int (*dump)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_eq(dump(f), 0);
	fclose(f);
	return buf;
}

static int
dump_all_routes(FILE *f)
{
	return fib_dump_routes(f, FIB_TABLE_ALL);
}

Test(fib, a_cursor_in_small_windows_and_steps_prints_the_whole_dump)
{
	static const size_t windows[] = { 1, 2, 7, 100, 5000 };
	static const size_t maxes[] = { 1, 333, 0 };
	char cmd[160], *want, *got;
	struct fib_cursor *c;
	unsigned int i, w, m, plen, seed = 7;
	uint32_t key;
	int steps;

	/* random prefixes of every length, some twice (tos), 3 tables */
	for (i = 0; i < 3000; i++) {
		plen = (unsigned int)rand_r(&seed) % 33;
		key = plen ? ((uint32_t)rand_r(&seed) << 1) &
		    (0xffffffffU << (32 - plen)) : 0;
		snprintf(cmd, sizeof(cmd), "route add %u.%u.%u.%u/%u via "
		    "10.0.0.2 table %u%s", key >> 24, (key >> 16) & 255,
		    (key >> 8) & 255, key & 255, plen, 100 + i % 3,
		    i % 7 == 0 ? " tos 0x10" : "");
		fib_exec(cmd);	/* a repeat is refused: fine */
	}
	ok("nexthop add id 5 via 10.0.0.2 dev dummy0");
	for (i = 10; i < 300; i += 3) {
		snprintf(cmd, sizeof(cmd), "nexthop add id %u via 10.1.0.%u "
		    "dev dummy1", i, i % 250 + 2);
		ok(cmd);
	}
	want = whole_text(dump_all_routes);
	for (w = 0; w < sizeof(windows) / sizeof(windows[0]); w++)
		for (m = 0; m < sizeof(maxes) / sizeof(maxes[0]); m++) {
			cr_assert_eq(fib_cursor_routes(FIB_TABLE_ALL,
			    windows[w], &c), 0);
			got = cursor_text(c, maxes[m], m == 1, &steps);
			cr_assert_str_eq(got, want, "window %zu, max %zu%s",
			    windows[w], maxes[m], m == 1 ? ", parked" : "");
			free(got);
		}
	free(want);
	want = whole_text(fib_dump_nexthops);
	cr_assert_eq(fib_cursor_nexthops(3, &c), 0);
	got = cursor_text(c, 1, 0, &steps);
	cr_assert_str_eq(got, want);
	cr_assert_eq(steps, 99, "98 nexthops one per step, then the end");
	free(got);
	free(want);
	cr_assert_eq(fib_cursor_routes(4242, 10, &c), -ESRCH);
}

Test(fib, dump_format)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("10.90.0.0/16 via 10.0.0.2 metric 5 mtu 1400");
	ok("blackhole 10.91.0.0/16");
	f = open_memstream(&buf, &len);
	fib_dump_routes(f, FIB_TABLE_ALL);
	fclose(f);
	cr_assert(strstr(buf, "10.0.0.0/24 dev dummy0 proto kernel scope link src 10.0.0.1 \n"), "%s", buf);
	cr_assert(strstr(buf, "10.90.0.0/16 via 10.0.0.2 dev dummy0 metric 5 mtu 1400 \n"), "%s", buf);
	cr_assert(strstr(buf, "blackhole 10.91.0.0/16 \n"), "%s", buf);
	cr_assert(strstr(buf, "local 10.0.0.1 dev dummy0 table local proto kernel scope host src 10.0.0.1 \n"), "%s", buf);
	cr_assert(strstr(buf, "broadcast 10.0.0.255 dev dummy0 table local proto kernel scope link src 10.0.0.1 \n"), "%s", buf);
	free(buf);
}

Test(fib, route_show_prints_the_metrics_as_ip_does)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("10.90.0.0/16 via 10.0.0.2 mtu 1400 advmss 1360 features ecn");
	ok("10.91.0.0/16 via 10.0.0.2 features 3");
	f = open_memstream(&buf, &len);
	fib_dump_routes(f, RT_TABLE_MAIN);
	fclose(f);
	cr_assert(strstr(buf, "10.90.0.0/16 via 10.0.0.2 dev dummy0 mtu 1400 "
	    "advmss 1360 features ecn \n"), "%s", buf);
	cr_assert(strstr(buf, "10.91.0.0/16 via 10.0.0.2 dev dummy0 features "
	    "ecn 0x3 \n"), "%s", buf);
	free(buf);
}

Test(fib, fibmatch_prints_the_entry_behind_a_result)
{
	struct fib_result res;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	ok("10.90.0.0/16 via 10.0.0.2 metric 7 proto static mtu 1400 "
	    "features ecn");
	ok("route add 10.92.0.0/16 table 100 nexthop via 10.0.0.2 nexthop via "
	    "10.1.0.2 weight 3");
	ok("rule add pref 100 to 10.92.0.0/16 lookup 100");
	f = open_memstream(&buf, &len);
	cr_assert_eq(get("10.90.1.1", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(fib_dump_result(f, &res, RTN_UNICAST, res.table), 0);
	/* the route made from it may be of another type */
	cr_assert_eq(fib_dump_result(f, &res, RTN_BROADCAST, res.table), 0);
	cr_assert_eq(get("10.92.1.1", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(fib_dump_result(f, &res, RTN_UNICAST, res.table), 0);
	cr_assert_eq(get("10.0.0.1", NULL, 0, 0, 0, &res), 0);
	cr_assert_eq(fib_dump_result(f, &res, RTN_LOCAL, res.table), 0);
	res.fi = NULL;
	cr_assert_eq(fib_dump_result(f, &res, RTN_LOCAL, res.table),
	    -EHOSTUNREACH);
	fclose(f);
	cr_assert_str_eq(buf,
	    "10.90.0.0/16 via 10.0.0.2 dev dummy0 proto static metric 7 "
	    "mtu 1400 features ecn \n"
	    "broadcast 10.90.0.0/16 via 10.0.0.2 dev dummy0 proto static "
	    "metric 7 mtu 1400 features ecn \n"
	    "10.92.0.0/16 table 100 \n"
	    "\tnexthop via 10.0.0.2 dev dummy0 weight 1 \n"
	    "\tnexthop via 10.1.0.2 dev dummy1 weight 3 \n"
	    "local 10.0.0.1 dev dummy0 table local proto kernel scope host "
	    "src 10.0.0.1 \n");
	free(buf);
}

Test(fib, fib_info_shared_and_flush)
{
	struct fib_mem_stats st;
	unsigned int before;

	fib_mem_stats(&st);
	before = st.infos;
	ok("10.100.0.0/16 via 10.0.0.2");
	ok("10.101.0.0/16 via 10.0.0.2");
	ok("10.102.0.0/16 via 10.0.0.2");
	fib_mem_stats(&st);
	cr_assert_eq(st.infos, before + 1);
	cr_assert_geq(fib_table_flush(RT_TABLE_MAIN), 4);
	expect_err("10.100.0.1", -ENETUNREACH);
}

/* --------------------------------------------------------------- scale */

struct pfx {
	uint32_t	 key;	/* host order, masked */
	uint8_t		 len;
	uint8_t		 live;
	uint16_t	 gw;	/* gateway index */
};

static uint64_t rng = 88172645463325252ULL;

static uint32_t
xr(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static uint8_t
real_len(void)
{
	/* roughly the full view: 60% /24, then /22-/23, /16-/21, a few long */
	uint32_t r = xr() % 1000;

	if (r < 600)
		return 24;
	if (r < 750)
		return 22 + (r & 1);
	if (r < 930)
		return 16 + r % 6;
	if (r < 980)
		return 8 + r % 8;
	return 25 + r % 8;
}

/* brute force: per length, a sorted key array */
static int
key_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
ref_lookup(uint64_t **byl, size_t *nbyl, uint32_t dst)
{
	int l;

	for (l = 32; l >= 0; l--) {
		uint32_t k = l ? dst & (~0U << (32 - l)) : 0;
		uint64_t want = (uint64_t)k << 16;
		size_t lo = 0, hi = nbyl[l];

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if ((byl[l][mid] >> 16) < (uint64_t)k)
				lo = mid + 1;
			else
				hi = mid;
		}
		(void)want;
		if (lo < nbyl[l] && (byl[l][lo] >> 16) == k)
			return (int)(byl[l][lo] & 0xffff) | (l << 16);
	}
	return -1;
}

static void
build_ref(struct pfx *p, size_t n, uint64_t **byl, size_t *nbyl)
{
	size_t i;
	int l;

	for (l = 0; l <= 32; l++)
		nbyl[l] = 0;
	for (i = 0; i < n; i++)
		if (p[i].live)
			byl[p[i].len][nbyl[p[i].len]++] =
			    ((uint64_t)p[i].key << 16) | p[i].gw;
	for (l = 0; l <= 32; l++)
		qsort(byl[l], nbyl[l], sizeof(uint64_t), key_cmp);
}

static void
compare(struct fib_table *tb, uint64_t **byl, size_t *nbyl, struct pfx *p,
    size_t n, unsigned int nq, uint32_t gw_base)
{
	unsigned int q, probes = 0;
	struct fib_result res;
	struct flowi4 fl4;

	memset(&fl4, 0, sizeof(fl4));
	for (q = 0; q < nq; q++) {
		uint32_t dst;
		int want, err;

		if (q & 1) {
			const struct pfx *x = &p[xr() % n];

			dst = x->key | (xr() & (x->len ? ~(~0U << (32 - x->len)) : ~0U));
		} else {
			dst = xr();
		}
		fl4.daddr = htonl(dst);
		res.probes = 0;
		err = fib_table_lookup(tb, &fl4, &res);
		probes += res.probes;
		want = ref_lookup(byl, nbyl, dst);
		if (want < 0) {
			cr_assert_eq(err, -EAGAIN, "%08x: found /%u", dst,
			    res.prefixlen);
			continue;
		}
		cr_assert_eq(err, 0, "%08x: err %d, want /%d", dst, err,
		    want >> 16);
		cr_assert_eq(res.prefixlen, want >> 16, "%08x: /%u, want /%d",
		    dst, res.prefixlen, want >> 16);
		cr_assert_eq(ntohl(res.nhc->nh_gw) - gw_base,
		    (uint32_t)(want & 0xffff), "%08x: wrong gateway", dst);
	}
	cr_log_info("average zones probed: %.2f", (double)probes / nq);
	cr_assert_leq(probes, 6 * nq, "too many probes: %u", probes);
}

Test(fib, scale_1m_vs_bruteforce, .timeout = 120)
{
	const size_t n = 1000000;
	struct pfx *p = calloc(n, sizeof(*p));
	uint64_t *byl[33];
	size_t nbyl[33], i, live = 0;
	struct fib_table *tb = fib_new_table(1000);
	struct fib_config cfg;
	struct fib_mem_stats st;
	int l;

	cr_assert_not_null(p);
	cr_assert_not_null(tb);
	for (l = 0; l <= 32; l++)
		cr_assert_not_null(byl[l] = malloc(n * sizeof(uint64_t)));
	fib_config_init(&cfg);
	cfg.fc_table = 1000;
	for (i = 0; i < n; i++) {
		int err;

		p[i].len = real_len();
		p[i].key = xr() & (~0U << (32 - p[i].len));
		p[i].gw = xr() % 16;
		cfg.fc_dst = htonl(p[i].key);
		cfg.fc_dst_len = p[i].len;
		cfg.fc_gw = htonl(0x0a000002 + p[i].gw);
		err = fib_table_insert(tb, &cfg);
		if (err == -EEXIST)
			continue;
		cr_assert_eq(err, 0, "insert: %s", strerror(-err));
		p[i].live = 1;
		live++;
	}
	fib_mem_stats(&st);
	cr_log_info("%zu prefixes, %zu bytes each", live,
	    st.total_bytes / live);
	build_ref(p, n, byl, nbyl);
	compare(tb, byl, nbyl, p, n, 300000, 0x0a000002);
	/* delete half */
	for (i = 0; i < n; i += 2) {
		if (!p[i].live)
			continue;
		cfg.fc_dst = htonl(p[i].key);
		cfg.fc_dst_len = p[i].len;
		cfg.fc_gw = 0;
		cfg.fc_type = 0;
		cfg.fc_scope = RT_SCOPE_NOWHERE;
		cfg.fc_protocol = 0;
		cr_assert_eq(fib_table_delete(tb, &cfg), 0);
		p[i].live = 0;
	}
	fib_writer_done();
	build_ref(p, n, byl, nbyl);
	compare(tb, byl, nbyl, p, n, 300000, 0x0a000002);
	for (l = 0; l <= 32; l++)
		free(byl[l]);
	free(p);
}

/* Lines of a dump that start a route, rule or nexthop (legs are indented). */
static size_t
dump_entries(int (*dump)(FILE *, uint32_t), uint32_t table)
{
	char *buf = NULL, *p;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	dump(f, table);
	fclose(f);
	for (p = buf; p < buf + len; p = strchr(p, '\n') + 1)
		n += *p != '\t' && *p != ' ' && *p != '\n';
	free(buf);
	return n;
}

static int dump_rules(FILE *f, uint32_t t) { (void)t; return fib_dump_rules(f); }
static int dump_nhs(FILE *f, uint32_t t) { (void)t; return fib_dump_nexthops(f); }

Test(fib, counts_kept_as_things_change_equal_what_the_dumps_hold)
{
	struct fib_table_size t[16];
	char cmd[128];
	unsigned int i, n, r;

	srandom(7);
	for (r = 0; r < 3000; r++) {
		unsigned int x = (unsigned int)random();
		uint32_t table = 100 + x % 3;

		switch (x >> 8 & 7) {
		case 0: case 1: case 2:
			snprintf(cmd, sizeof(cmd), "route add 10.%u.%u.0/24 "
			    "via 10.0.0.2 table %u", x >> 12 & 3, x >> 16 & 63,
			    table);
			break;
		case 3: case 4:
			snprintf(cmd, sizeof(cmd), "route del 10.%u.%u.0/24 "
			    "table %u", x >> 12 & 3, x >> 16 & 63, table);
			break;
		case 5:
			snprintf(cmd, sizeof(cmd), "rule %s pref %u lookup %u",
			    x >> 11 & 1 ? "add" : "del", 100 + (x >> 12 & 15),
			    table);
			break;
		default:
			snprintf(cmd, sizeof(cmd), x >> 11 & 1 ?
			    "nexthop add id %u via 10.0.0.2 dev dummy0" :
			    "nexthop del id %u", 1 + (x >> 12 & 31));
			break;
		}
		(void)fib_exec(cmd);	/* EEXIST, ESRCH, ENOENT: fine */
	}
	n = fib_table_sizes(t, 16);
	cr_assert_leq(n, 16);
	cr_assert_geq(n, 3, "tables local, main and the three made");
	for (i = 0; i < n; i++)
		cr_expect_eq(t[i].routes, dump_entries(fib_dump_routes, t[i].id),
		    "table %u: %zu routes counted", t[i].id, t[i].routes);
	cr_expect_eq(fib_rules_count(), dump_entries(dump_rules, 0));
	cr_expect_eq(fib_nexthops_count(), dump_entries(dump_nhs, 0));
	cr_expect_gt(fib_nexthops_count(), 0);
	cr_expect_gt(fib_rules_count(), 3);
}
