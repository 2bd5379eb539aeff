/* SPDX-License-Identifier: MIT */
/*
 * test_mphash.c - Criterion suite for multipath (src/fib/fib_mp.c): the
 * SipHash reference vector, the kernel's own choices recorded by
 * tests/fib/mp-vectors.sh (every policy, several hash field sets, two
 * seeds; classic routes with equal and weighted legs, hash-threshold
 * groups of 40 members and weighted ones; output flows with and without
 * a source, input flows) replayed through the FIB, the cache key fields
 * the hash adds, and the ask-the-kernel hook.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "fib/fib_internal.h"
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

TestSuite(mphash, .init = setup, .fini = teardown);

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

/* The reference vectors of the SipHash paper (key 00..0f). */
Test(mphash, siphash_reference)
{
	uint8_t m[15];
	uint64_t k0 = 0x0706050403020100ULL, k1 = 0x0f0e0d0c0b0a0908ULL;
	int i;

	for (i = 0; i < 15; i++)
		m[i] = (uint8_t)i;
	cr_assert_eq(fib_siphash(m, 0, k0, k1), 0x726fdb47dd0e0e31ULL);
	cr_assert_eq(fib_siphash(m, 15, k0, k1), 0xa129ca6149be45e5ULL);
}

/* One `ip route get` flow of the vectors file into @fl4; 1 if input. */
static int
parse_flow(char *words, struct flowi4 *fl4)
{
	char *w, *save = NULL;
	int input = 0;

	memset(fl4, 0, sizeof(*fl4));
	fl4->flowi4_proto = IPPROTO_UDP;	/* inet_rtm_getroute's default */
	w = strtok_r(words, " ", &save);
	fl4->daddr = A(w);
	while ((w = strtok_r(NULL, " ", &save)) != NULL) {
		char *a = strtok_r(NULL, " ", &save);

		cr_assert_not_null(a, "%s without a value", w);
		if (strcmp(w, "from") == 0) {
			fl4->saddr = A(a);
		} else if (strcmp(w, "iif") == 0) {
			struct net_device *dev = netdev_get_by_name(a);

			cr_assert_not_null(dev, "no device %s", a);
			fl4->flowi4_iif = dev->ifindex;
			input = 1;
		} else if (strcmp(w, "ipproto") == 0) {
			fl4->flowi4_proto = strcmp(a, "tcp") == 0 ? IPPROTO_TCP :
			    strcmp(a, "icmp") == 0 ? IPPROTO_ICMP : IPPROTO_UDP;
		} else if (strcmp(w, "sport") == 0) {
			fl4->fl4_sport = htons((uint16_t)atoi(a));
		} else if (strcmp(w, "dport") == 0) {
			fl4->fl4_dport = htons((uint16_t)atoi(a));
		} else {
			cr_assert_fail("unknown flow word %s", w);
		}
	}
	return input;
}

/* Replay the kernel's choices: every one must be ours. */
Test(mphash, kernel_vectors)
{
	const char *top = getenv("top_srcdir");
	char path[4096], line[16384];
	struct fib_mp_params p;
	unsigned int n = 0, bad = 0, blocks = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/fib/mp-vectors.txt",
	    top != NULL ? top : "../..");
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	memset(&p, 0, sizeof(p));
	while (fgets(line, sizeof(line), f) != NULL) {
		char *arrow, gw[32], dev[32], got[32];
		struct fib_result res;
		struct flowi4 fl4;
		unsigned long pol, fields, seed;
		int input;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "setup ", 6) == 0) {
			ok(line + 6);
		} else if (sscanf(line, "params %lu %lu %lu", &pol, &fields,
		    &seed) == 3) {
			p.policy = (uint8_t)pol;
			p.fields = (uint32_t)fields;
			p.seed = (uint32_t)seed;
			p.mode = FIB_MP_HASH;
			cr_assert_eq(fib_mp_set(&p), 0);
			blocks++;
		} else if (strncmp(line, "get ", 4) == 0) {
			cr_assert_not_null(arrow = strstr(line, " => "));
			cr_assert_eq(sscanf(arrow + 4, "%31s %31s", gw, dev), 2);
			*arrow = '\0';
			input = parse_flow(line + 4, &fl4);
			memset(&res, 0, sizeof(res));
			cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0, "%s",
			    line + 4);
			fib_select_path_hash(&res, &fl4, &p, input);
			cr_assert_not_null(res.nhc);
			inet_ntop(AF_INET, &res.nhc->nh_gw, got, sizeof(got));
			n++;
			if (strcmp(got, gw) != 0 ||
			    strcmp(res.nhc->nh_dev->name, dev) != 0) {
				if (bad++ < 10)
					cr_log_error("policy %u fields %u seed "
					    "%u: %s: kernel %s %s, ours %s %s",
					    p.policy, p.fields, p.seed,
					    line + 4, gw, dev, got,
					    res.nhc->nh_dev->name);
			}
		}
	}
	fclose(f);
	cr_assert_gt(blocks, 0);
	cr_assert_geq(n, 1000, "only %u vectors", n);
	cr_assert_eq(bad, 0, "%u of %u kernel choices differ", bad, n);
}

static void
topology(void)
{
	ok("link add lo index 1 up");
	ok("addr add 127.0.0.1/8 dev lo");
	ok("link add v0 index 2 up");
	ok("link add v1 index 3 up");
	ok("addr add 10.0.0.1/24 dev v0");
	ok("addr add 10.1.0.1/24 dev v1");
}

/* The cache keys on protocol and ports only while the hash reads them. */
Test(mphash, key_fields)
{
	struct fib_mp_params p = { .policy = 1, .mode = FIB_MP_HASH,
	    .fields = FIB_MP_FIELD_DEFAULT };
	unsigned int l4 = FIB_RULE_HAS_PROTO | FIB_RULE_HAS_SPORT |
	    FIB_RULE_HAS_DPORT;

	topology();
	cr_assert_eq(fib_mp_set(&p), 0);
	cr_assert_eq(fib_rules_key_fields & l4, 0, "no multipath route yet");
	ok("10.9.0.0/16 nexthop via 10.0.0.2 dev v0 nexthop via 10.1.0.2 dev v1");
	cr_assert_eq(fib_mp_routes(), 1);
	cr_assert_eq(fib_rules_key_fields & l4, l4);
	p.policy = 0;
	cr_assert_eq(fib_mp_set(&p), 0);
	cr_assert_eq(fib_rules_key_fields & l4, 0);
	p.policy = 3;
	p.fields = FIB_MP_FIELD_SRC_IP | FIB_MP_FIELD_DST_PORT;
	cr_assert_eq(fib_mp_set(&p), 0);
	cr_assert_eq(fib_rules_key_fields & l4,
	    FIB_RULE_HAS_PROTO | FIB_RULE_HAS_DPORT);
	ok("route del 10.9.0.0/16");
	cr_assert_eq(fib_mp_routes(), 0);
	cr_assert_eq(fib_rules_key_fields & l4, 0);
	/* groups count too, and only with several members */
	ok("nexthop add id 1 via 10.0.0.2 dev v0");
	ok("nexthop add id 2 via 10.1.0.2 dev v1");
	ok("nexthop add id 3 group 1");
	cr_assert_eq(fib_mp_routes(), 0);
	ok("nexthop add id 4 group 1/2");
	cr_assert_eq(fib_mp_routes(), 1);
	cr_assert_eq(fib_rules_key_fields & l4,
	    FIB_RULE_HAS_PROTO | FIB_RULE_HAS_DPORT);
	ok("nexthop del 2");
	cr_assert_eq(fib_mp_routes(), 0);
}

static int ask_oif, ask_err;
static uint32_t ask_gw;
static unsigned int ask_calls;

static int
fake_ask(const struct flowi4 *fl4, int input, int *oif, uint32_t *gw)
{
	(void)fl4;
	(void)input;
	ask_calls++;
	*oif = ask_oif;
	*gw = ask_gw;
	return ask_err;
}

/* FIB_MP_ASK: the kernel's leg wins; a failed or foreign answer falls
 * back to the hash and is counted. */
Test(mphash, ask_hook)
{
	struct fib_mp_params p = { .policy = 0, .mode = FIB_MP_ASK,
	    .fields = FIB_MP_FIELD_DEFAULT, .seed = 7 };
	struct fib_mp_stats st;
	struct fib_result res;
	struct flowi4 fl4;
	int leg, i;

	topology();
	ok("10.9.0.0/16 nexthop via 10.0.0.2 dev v0 nexthop via 10.1.0.2 dev v1");
	cr_assert_eq(fib_mp_set(&p), 0);
	fib_mp_set_ask(fake_ask);
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("10.9.1.1");
	for (i = 0; i < 2; i++) {
		ask_oif = 2 + i;
		ask_gw = A(i ? "10.1.0.2" : "10.0.0.2");
		ask_err = 0;
		cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
		cr_assert_eq(fib_select_path(&res, &fl4), 1);
		cr_assert_eq(res.nh_sel, i);
	}
	/* the hash's own leg, for the fallbacks */
	p.mode = FIB_MP_HASH;
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	fib_select_path_hash(&res, &fl4, &p, 0);
	leg = res.nh_sel;
	ask_err = -ETIMEDOUT;
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	cr_assert_eq(fib_select_path(&res, &fl4), 0);
	cr_assert_eq(res.nh_sel, leg);
	ask_err = 0;
	ask_oif = 9;
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	cr_assert_eq(fib_select_path(&res, &fl4), 0);
	cr_assert_eq(res.nh_sel, leg);
	/* an oif, or a single leg, never asks */
	ask_calls = 0;
	fl4.flowi4_oif = 3;
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	cr_assert_eq(fib_select_path(&res, &fl4), 0);
	fl4.flowi4_oif = 0;
	ok("10.8.0.0/16 via 10.0.0.2 dev v0");
	fl4.daddr = A("10.8.0.1");
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	cr_assert_eq(fib_select_path(&res, &fl4), 0);
	cr_assert_eq(ask_calls, 0);
	fib_mp_stats(&st);
	cr_assert_eq(st.asks, 4);
	cr_assert_eq(st.ask_errors, 1);
	cr_assert_eq(st.ask_unmatched, 1);
	fib_mp_set_ask(NULL);
}

/* Upper bounds as fib_rebalance and nh_hthr_group_rebalance make them. */
Test(mphash, upper_bounds)
{
	struct fib_result res;
	struct flowi4 fl4;
	struct nexthop *g;

	topology();
	ok("10.9.0.0/16 nexthop via 10.0.0.2 dev v0 weight 1 nexthop via 10.1.0.2 dev v1 weight 2 nexthop via 10.0.0.3 dev v0 weight 4");
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = A("10.9.0.1");
	cr_assert_eq(fib_lookup_nopath(&fl4, &res), 0);
	/* DIV_ROUND_CLOSEST_ULL(w << 31, 7) - 1 */
	cr_assert_eq(res.fi->fib_nh[0].nh_upper_bound, 306783377);
	cr_assert_eq(res.fi->fib_nh[1].nh_upper_bound, 920350134);
	cr_assert_eq(res.fi->fib_nh[2].nh_upper_bound, 2147483647);
	ok("nexthop add id 1 via 10.0.0.2 dev v0");
	ok("nexthop add id 2 via 10.1.0.2 dev v1");
	ok("nexthop add id 3 group 1,3/2,256");
	g = fib_nexthop_get(3);
	cr_assert_eq(g->grp[0].upper_bound, 24874327);
	cr_assert_eq(g->grp[1].upper_bound, 2147483647);
}
