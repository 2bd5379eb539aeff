/* SPDX-License-Identifier: MIT */
/*
 * nl_mp.c - the mirror's side of multipath: it reads the namespace's
 * net.ipv4.fib_multipath_hash_{policy,fields,seed}, decides whether legs
 * are hashed here or asked of the kernel, and runs the self-test that
 * lets `multipath = auto` hash.
 *
 * The sysctls have no netlink notification (a write only raises the
 * in-kernel NETEVENT_IPV4_MPATH_HASH_UPDATE), so they are read when the
 * mirror starts, at the end of every sync, and on the timer of
 * nl_sysctl.c, which owns their files.
 *
 * The seed: the kernel keys its SipHash with {s:s, s:s} where s is the
 * seed written to the sysctl, or, when 0 is written (the default), a
 * random number drawn at boot that nothing exports
 * (proc_fib_multipath_hash_set_seed, net/ipv4/sysctl_net_ipv4.c).  So
 * the hash can be computed here only when the sysctl reads back
 * non-zero.  In `auto` that is not enough: a self-test asks the kernel
 * for a few hundred flows through the multipath routes it finds and
 * hashes only if every answer agrees; until a multipath route exists to
 * test on, the kernel is asked.  The test runs again after every sync
 * and every change of the sysctls.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <netinet/in.h>

#include "rtcache/fib.h"
#include "netlink/nl_internal.h"

#define NL_MP_PROBES		256	/* flows a self-test asks about */
#define NL_MP_MIN_PROBES	32	/* compared, for a verdict */
#define NL_MP_ROUTES		16	/* multipath routes probed */

void
nl_mp_init(struct mirror *m)
{
	m->mp.st.configured = m->cfg.multipath;
	m->mp.st.fields = FIB_MP_FIELD_DEFAULT;
	m->mp.rnd = clock_mono_ns() | 1;
}

void
nl_mp_close(struct mirror *m)
{
	(void)m;
	fib_mp_set_ask(NULL);
}

/* ------------------------------------------------------------ the test */

static uint32_t
mp_rand(struct nl_mp *mp)
{
	uint64_t x = mp->rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	mp->rnd = x;
	return (uint32_t)(x >> 16);
}

struct mp_prefix {
	uint32_t	 dst;		/* network order */
	uint8_t		 len;
};

struct mp_found {
	struct mp_prefix p[NL_MP_ROUTES];
	int		 n;
};

static int
mp_route_cb(const struct fib_config *cfg, void *arg)
{
	struct mp_found *f = arg;
	struct nexthop *nh;

	if (cfg->fc_nhs < 2) {
		if (cfg->fc_nh_id == 0 ||
		    (nh = fib_nexthop_get(cfg->fc_nh_id)) == NULL ||
		    !nh->is_group || nh->num_nh < 2 || nh->resilient)
			return 0;	/* resilient groups always ask */
	}
	f->p[f->n].dst = cfg->fc_dst;
	f->p[f->n].len = cfg->fc_dst_len;
	return ++f->n == NL_MP_ROUTES;
}

/* A flow into @p: a random host of the prefix, protocol and ports. */
static void
mp_probe_flow(struct nl_mp *mp, const struct mp_prefix *p,
    struct flowi4 *fl4)
{
	static const uint8_t protos[] = { IPPROTO_UDP, IPPROTO_TCP,
	    IPPROTO_ICMP };
	uint32_t host = mp_rand(mp) << 16 | mp_rand(mp);
	uint32_t mask = p->len ? ~0U << (32 - p->len) : 0;

	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = htonl((ntohl(p->dst) & mask) | (host & ~mask));
	fl4->flowi4_proto = protos[mp_rand(mp) % 3];
	fl4->fl4_sport = (uint16_t)mp_rand(mp);
	fl4->fl4_dport = (uint16_t)mp_rand(mp);
	fl4->flowi4_uid = 0;	/* sent: rules see the same uid on both sides */
}

/* Our leg for @fl4 under @p, hashing: 0 with its device and gateway,
 * or -1 when the flow does not end on a multipath route here. */
static int
mp_our_leg(const struct flowi4 *fl4, const struct fib_mp_params *p,
    int *oif, uint32_t *gw)
{
	struct fib_result res;
	struct flowi4 f = *fl4;

	memset(&res, 0, sizeof(res));
	f.flowi4_iif = netdev_loopback_index();
	f.flowi4_scope = RT_SCOPE_UNIVERSE;
	if (fib_lookup_nopath(&f, &res) != 0 || res.fi == NULL ||
	    res.nhc == NULL || (res.fi->fib_nhs < 2 && (res.fi->nh == NULL ||
	    !res.fi->nh->is_group || res.fi->nh->num_nh < 2 ||
	    res.fi->nh->resilient)))
		return -1;
	fib_select_path_hash(&res, &f, p, 0);
	if (res.nhc->nh_dev == NULL)
		return -1;
	*oif = res.nhc->nh_dev->ifindex;
	*gw = res.nhc->nh_gw;
	return 0;
}

/*
 * The self-test: flows through up to NL_MP_ROUTES multipath routes,
 * each asked of the kernel and hashed here under @p.  Sets the test's
 * state and counts; PENDING when there was nothing to test on.
 */
static void
mp_selftest(struct mirror *m, const struct fib_mp_params *p)
{
	struct nl_mp *mp = &m->mp;
	struct mp_found f;
	unsigned int probes = 0, differ = 0, i;
	struct flowi4 fl4;

	memset(&f, 0, sizeof(f));
	if (fib_mp_routes() > 0)
		fib_route_walk(FIB_TABLE_ALL, mp_route_cb, &f);
	for (i = 0; f.n > 0 && i < NL_MP_PROBES && m->ask_fd >= 0; i++) {
		int koif, ooif;
		uint32_t kgw, ogw;

		mp_probe_flow(mp, &f.p[i % (unsigned int)f.n], &fl4);
		if (mp_our_leg(&fl4, p, &ooif, &ogw) < 0)
			continue;
		if (nl_ask_leg(m->ask_fd, &m->ask_seq, &fl4, 0, &koif,
		    &kgw) != 0)
			continue;
		probes++;
		if (koif != ooif || kgw != ogw)
			differ++;
	}
	mp->st.tests++;
	mp->st.test_probes = probes;
	mp->st.test_differ = differ;
	if (probes < NL_MP_MIN_PROBES)
		mp->st.test = MIRROR_MP_TEST_PENDING;
	else
		mp->st.test = differ == 0 ? MIRROR_MP_TEST_PASSED :
		    MIRROR_MP_TEST_FAILED;
	nl_log(differ ? LOG_WARNING : LOG_INFO, "multipath: self-test: %u "
	    "of %u flows hashed as the kernel chose", probes - differ, probes);
}

/* ------------------------------------------------------- the decision */

/* The mode for the state read; sets why. */
static int
mp_decide(struct nl_mp *mp)
{
	struct mirror_mp *st = &mp->st;

	switch (st->configured) {
	case MIRROR_MP_HASH:
		snprintf(st->why, sizeof(st->why), "configured%s",
		    st->seed == 0 ? " (the kernel's seed is random: legs "
		    "will differ)" : "");
		return FIB_MP_HASH;
	case MIRROR_MP_ASK:
		snprintf(st->why, sizeof(st->why), "configured");
		return FIB_MP_ASK;
	}
	if (!st->sysctls || st->seed == 0) {
		snprintf(st->why, sizeof(st->why), "%s", !st->sysctls ?
		    "hash sysctls unreadable" : "the kernel's seed is random");
		return FIB_MP_ASK;
	}
	switch (st->test) {
	case MIRROR_MP_TEST_PASSED:
		snprintf(st->why, sizeof(st->why), "seed set, self-test "
		    "passed (%u flows)", st->test_probes);
		return FIB_MP_HASH;
	case MIRROR_MP_TEST_FAILED:
		snprintf(st->why, sizeof(st->why), "seed set, self-test "
		    "failed (%u of %u flows differ)", st->test_differ,
		    st->test_probes);
		return FIB_MP_ASK;
	default:
		snprintf(st->why, sizeof(st->why), "seed set, self-test "
		    "pending (no multipath route yet)");
		return FIB_MP_ASK;
	}
}

/* Publish the parameters and mode to the FIB (it bumps the generation
 * only when they changed). */
static void
mp_apply(struct mirror *m)
{
	struct nl_mp *mp = &m->mp;
	struct fib_mp_params p;
	int mode = mp_decide(mp), rv;

	memset(&p, 0, sizeof(p));
	p.policy = (uint8_t)(mp->st.policy <= 3 ? mp->st.policy : 0);
	p.fields = mp->st.fields;
	p.seed = mp->st.seed;
	p.mode = (uint8_t)mode;
	if (mode == FIB_MP_HASH && mp->st.seed == 0 && !mp->warned) {
		mp->warned = 1;
		nl_log(LOG_WARNING, "multipath: hashing with the kernel's "
		    "random seed unknown: legs will differ from the kernel's");
	}
	if ((rv = fib_mp_set(&p)) < 0)
		nl_log(LOG_ERR, "multipath: %s", strerror(-rv));
	if (strcmp(mp->logged, mp->st.why) != 0 ||
	    mp->st.asking != (mode == FIB_MP_ASK))
		nl_log(LOG_INFO, "multipath: legs %s (%s)", mode ==
		    FIB_MP_ASK ? "asked of the kernel" : "hashed here",
		    mp->st.why);
	memcpy(mp->logged, mp->st.why, sizeof(mp->logged));
	mp->st.asking = mode == FIB_MP_ASK;
}

/* Is a self-test wanted: auto, a seed, and something untested. */
static int
mp_test_wanted(const struct nl_mp *mp)
{
	return mp->st.configured == MIRROR_MP_AUTO && mp->st.sysctls &&
	    mp->st.seed != 0;
}

static void
mp_test_now(struct mirror *m)
{
	struct fib_mp_params p;

	memset(&p, 0, sizeof(p));
	p.policy = (uint8_t)(m->mp.st.policy <= 3 ? m->mp.st.policy : 0);
	p.fields = m->mp.st.fields;
	p.seed = m->mp.st.seed;
	p.mode = FIB_MP_HASH;
	mp_selftest(m, &p);
}

/*
 * Read the sysctls; 1 when they changed.  A missing seed file (kernels
 * before 6.11) reads as a random seed, a missing fields file (before
 * 5.14) as the default fields.
 */
static int
mp_refresh(struct mirror *m)
{
	unsigned long v[3] = { 0, FIB_MP_FIELD_DEFAULT, 0 };
	struct mirror_mp *st = &m->mp.st;
	int ok, changed;

	ok = nl_sysctl_read(m, NL_SC_MP_POLICY, &v[0]) == 0;
	(void)nl_sysctl_read(m, NL_SC_MP_FIELDS, &v[1]);
	(void)nl_sysctl_read(m, NL_SC_MP_SEED, &v[2]);
	changed = !st->sysctls || st->policy != v[0] ||
	    st->fields != v[1] || st->seed != v[2];
	if (!ok) {
		changed = st->sysctls;
		st->sysctls = 0;
		return changed;
	}
	if (changed && st->sysctls) {
		st->changes++;
		nl_log(LOG_INFO, "multipath: hash policy %lu fields %#lx seed "
		    "%s", v[0], v[1], v[2] ? "set" : "random");
	}
	st->sysctls = 1;
	st->policy = (unsigned int)v[0];
	st->fields = (unsigned int)v[1];
	st->seed = (uint32_t)v[2];
	return changed;
}

/* After reading: test again when needed, then decide. */
static void
mp_update(struct mirror *m, int retest)
{
	struct nl_mp *mp = &m->mp;

	if (!mp_test_wanted(mp))
		mp->st.test = MIRROR_MP_TEST_NONE;
	else if (retest || mp->st.test == MIRROR_MP_TEST_NONE ||
	    (mp->st.test == MIRROR_MP_TEST_PENDING && fib_mp_routes() > 0))
		mp_test_now(m);
	mp_apply(m);
}

/* The timer (nl_sysctl.c): the sysctls again. */
void
nl_mp_poll(struct mirror *m)
{
	if (mp_refresh(m))
		mp_update(m, 1);
}

void
nl_mp_start(struct mirror *m)
{
	fib_mp_set_ask(nl_ask_kernel);
	mp_refresh(m);
	mp_apply(m);
}

/* The end of a sync: the sysctls again, and the test on the new FIB. */
void
nl_mp_synced(struct mirror *m)
{
	mp_refresh(m);
	mp_update(m, 1);
}

/* After a batch: a pending test runs once a multipath route exists. */
void
nl_mp_batch(struct mirror *m)
{
	struct nl_mp *mp = &m->mp;

	if (mp->st.test == MIRROR_MP_TEST_PENDING && fib_mp_routes() > 0 &&
	    mp_test_wanted(mp)) {
		mp_test_now(m);
		mp_apply(m);
	}
}

void
mirror_set_multipath(struct mirror *m, int multipath)
{
	if (m->mp.st.configured == multipath)
		return;
	m->mp.st.configured = multipath;
	m->mp.warned = 0;
	if (m->started)
		mp_update(m, 1);
}

void
mirror_get_mp(const struct mirror *m, struct mirror_mp *mp)
{
	*mp = m->mp.st;
}
