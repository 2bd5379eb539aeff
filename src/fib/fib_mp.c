/* SPDX-License-Identifier: MIT */
/*
 * fib_mp.c - multipath, flow for flow as the kernel: the hash of
 * fib_multipath_hash() (net/ipv4/route.c) with its four policies, the
 * hash fields and the per-namespace seed; the leg choice of
 * fib_select_multipath() (net/ipv4/fib_semantics.c) and of hash-threshold
 * nexthop groups (nexthop_select_path_hthr, net/ipv4/nexthop.c); and,
 * where the seed is random and unreadable, the hook that asks the kernel
 * instead (FIB_MP_ASK, the netlink side is src/netlink/nl_ask.c).
 * Resilient groups (nexthop_select_path_res: bucket hash % buckets) are
 * always asked about: their buckets move on the kernel's timers.
 *
 * The hash is the flow dissector's: a struct flow_keys is filled with the
 * fields the policy takes, made direction-independent
 * (__flow_hash_consistentify), and 48 of its bytes from `basic` on are
 * hashed with SipHash-2-4 under the key {seed:seed, seed:seed}
 * (fib_multipath_hash_construct_key, include/net/ip_fib.h); the 64-bit
 * result is cut to 32 bits, 0 becomes 1, and the caller compares
 * hash >> 1 with each leg's upper bound.  The flow is the packet that
 * `ip route get` makes (inet_rtm_getroute_build_skb): its protocol is UDP
 * unless one is given, and it carries ports only for UDP and TCP, since
 * the kernel dissects the packet, not the flowi4, on both paths.
 *
 * The parameters are one immutable struct published by RCU: a lookup
 * loads one pointer.  The writer replaces it and bumps the generation,
 * since every cached leg may have moved.
 */
#include "config.h"

#include <endian.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "fib/fib_internal.h"

/* ------------------------------------------------------------ parameters */

static struct fib_mp_params mp_boot = {
	.policy = 0,
	.mode = FIB_MP_HASH,
	.fields = FIB_MP_FIELD_DEFAULT,
	.seed = 0,
};
static struct fib_mp_params *mp_cur = &mp_boot;	/* RCU */
static fib_mp_ask_fn mp_ask;			/* set before readers */
static unsigned int mp_routes;			/* writer: see fib_mp_count */

static const struct fib_mp_params *
mp_params(void)
{
	return rcu_dereference(mp_cur);
}

void
fib_mp_get(struct fib_mp_params *p)
{
	*p = *mp_params();
}

static void
mp_free(void *arg, void *obj)
{
	(void)arg;
	free(obj);
}

/*
 * fib_mp_set - new multipath parameters (writer).  Every cached leg may
 * have moved, so the generation is bumped when anything changed.
 * Return: 0, -EINVAL (policy above 3, unknown mode), -ENOMEM.
 */
int
fib_mp_set(const struct fib_mp_params *p)
{
	struct fib_mp_params *np, *old = mp_cur;

	if (p->policy > 3 || (p->mode != FIB_MP_HASH && p->mode != FIB_MP_ASK))
		return -EINVAL;
	if (p->policy == old->policy && p->mode == old->mode &&
	    p->fields == old->fields && p->seed == old->seed)
		return 0;
	if ((np = calloc(1, sizeof(*np))) == NULL)
		return -ENOMEM;
	np->policy = p->policy;
	np->mode = p->mode;
	np->fields = p->fields;
	np->seed = p->seed;
	rcu_assign_pointer(mp_cur, np);
	if (old != &mp_boot)
		rcu_defer(mp_free, NULL, old);
	fib_key_fields_update();
	fib_bump_genid();
	fib_writer_done();
	return 0;
}

void
fib_mp_set_ask(fib_mp_ask_fn fn)
{
	WRITE_ONCE(mp_ask, fn);
}

/*
 * The flow fields the route cache must key on because the hash reads
 * them: only while some route or group has several legs, so that a host
 * with policy 1 and no multipath keeps the one-line hit path.
 */
unsigned int
fib_mp_key_fields(void)
{
	const struct fib_mp_params *p = mp_params();
	unsigned int f = 0;

	if (mp_routes == 0)
		return 0;
	if (p->policy == 1)
		return FIB_RULE_HAS_PROTO | FIB_RULE_HAS_SPORT |
		    FIB_RULE_HAS_DPORT;
	if (p->policy == 3 && (p->fields & FIB_MP_FIELD_OUTER_MASK)) {
		if (p->fields & FIB_MP_FIELD_IP_PROTO)
			f |= FIB_RULE_HAS_PROTO;
		if (p->fields & FIB_MP_FIELD_SRC_PORT)
			f |= FIB_RULE_HAS_SPORT | FIB_RULE_HAS_PROTO;
		if (p->fields & FIB_MP_FIELD_DST_PORT)
			f |= FIB_RULE_HAS_DPORT | FIB_RULE_HAS_PROTO;
	}
	return f;
}

/* A fib_info or group with several legs came (+1) or went (-1). */
void
fib_mp_count(int delta)
{
	unsigned int was = mp_routes;

	mp_routes += (unsigned int)delta;
	if ((was == 0) != (mp_routes == 0))
		fib_key_fields_update();
}

unsigned int
fib_mp_routes(void)
{
	return mp_routes;
}

/* ------------------------------------------------------ per-thread counts */

struct mp_thread {
	struct fib_mp_stats	 st;
	struct mp_thread	*next;
} __attribute__((aligned(64)));

static __thread struct mp_thread *mp_self;
static struct mp_thread *mp_threads;
static pthread_mutex_t mp_threads_lock = PTHREAD_MUTEX_INITIALIZER;

static struct fib_mp_stats *
mp_stat(void)
{
	struct mp_thread *t = mp_self;

	if (t != NULL)
		return &t->st;
	/* its own cache line: calloc does not align past 16 bytes */
	if ((t = aligned_alloc(_Alignof(struct mp_thread), sizeof(*t))) == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	pthread_mutex_lock(&mp_threads_lock);
	t->next = mp_threads;
	mp_threads = t;
	pthread_mutex_unlock(&mp_threads_lock);
	mp_self = t;
	return &t->st;
}

#define MP_STAT_INC(field) do {					\
	struct fib_mp_stats *s_ = mp_stat();				\
	if (s_ != NULL)							\
		WRITE_ONCE(s_->field, READ_ONCE(s_->field) + 1);	\
} while (0)

void
fib_mp_stats(struct fib_mp_stats *sum)
{
	struct mp_thread *t;

	memset(sum, 0, sizeof(*sum));
	pthread_mutex_lock(&mp_threads_lock);
	for (t = mp_threads; t != NULL; t = t->next) {
		sum->asks += READ_ONCE(t->st.asks);
		sum->ask_errors += READ_ONCE(t->st.ask_errors);
		sum->ask_unmatched += READ_ONCE(t->st.ask_unmatched);
		sum->hashed += READ_ONCE(t->st.hashed);
	}
	pthread_mutex_unlock(&mp_threads_lock);
}

void
fib_mp_exit(void)
{
	struct mp_thread *t, *next;

	pthread_mutex_lock(&mp_threads_lock);
	for (t = mp_threads; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	mp_threads = NULL;
	pthread_mutex_unlock(&mp_threads_lock);
	mp_self = NULL;
	if (mp_cur != &mp_boot)
		free(mp_cur);
	mp_cur = &mp_boot;
	mp_routes = 0;
	mp_ask = NULL;
}

/* ------------------------------------------------------------- the hash */

/* SipHash-2-4 (Aumasson and Bernstein), as the kernel's siphash(). */
static inline uint64_t
rol64(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32);	\
	v2 += v3; v3 = rol64(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rol64(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32);	\
} while (0)

static inline uint64_t
le64_at(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return le64toh(v);
}

uint64_t
fib_siphash(const void *data, size_t len, uint64_t k0, uint64_t k1)
{
	const uint8_t *p = data;
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
	uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
	uint64_t v3 = 0x7465646279746573ULL ^ k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64_at(p + i);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	while (left-- > 0)
		b |= (uint64_t)p[i + left] << (8 * left);
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

/* Bob Jenkins' lookup3 final mix, as the kernel's jhash_2words(). */
static inline uint32_t
rol32(uint32_t x, int b)
{
	return (x << b) | (x >> (32 - b));
}

uint32_t
fib_jhash_2words(uint32_t a, uint32_t b, uint32_t initval)
{
	uint32_t c;

	initval += 0xdeadbeefU + (2 << 2);	/* JHASH_INITVAL + 2 words */
	a += initval;
	b += initval;
	c = initval;
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

/*
 * The hashed part of the kernel's struct flow_keys for IPv4 on a 64-bit
 * machine: from `basic` (offset 8, aligned for SipHash) up to the end of
 * the v4 addresses, plus the 4 bytes flow_keys_hash_length() counts past
 * them (it subtracts from sizeof, which alignment pads from 76 to 80).
 *   0 basic.n_proto(2) ip_proto(1) pad(1)   4 tags   8 vlan   16 cvlan
 *  24 keyid   28 ports.src(2) ports.dst(2)   32 icmp   36 v4 src, dst
 */
#define FK_LEN		48
#define FK_IP_PROTO	2
#define FK_SPORT	28
#define FK_DPORT	30
#define FK_SRC		36
#define FK_DST		40

struct mp_keys {
	uint32_t	 src, dst;	/* network order, as in the packet */
	uint16_t	 sport, dport;	/* network order */
	uint8_t		 proto;
};

/* __flow_hash_from_keys: consistentify, SipHash, never 0. */
static uint32_t
mp_keys_hash(const struct mp_keys *k, uint32_t seed)
{
	uint8_t b[FK_LEN];
	uint32_t src = k->src, dst = k->dst;
	uint16_t sport = k->sport, dport = k->dport;
	uint64_t key = (uint64_t)seed << 32 | seed;
	uint32_t h;

	/* the kernel compares the raw big-endian words as integers */
	if (dst < src) {
		src = k->dst;
		dst = k->src;
	}
	if (dport < sport) {
		sport = k->dport;
		dport = k->sport;
	}
	memset(b, 0, sizeof(b));
	b[FK_IP_PROTO] = k->proto;
	memcpy(b + FK_SPORT, &sport, 2);
	memcpy(b + FK_DPORT, &dport, 2);
	memcpy(b + FK_SRC, &src, 4);
	memcpy(b + FK_DST, &dst, 4);
	h = (uint32_t)fib_siphash(b, sizeof(b), key, key);
	return h != 0 ? h : 1;
}

/* The L4 part of the packet `ip route get` builds: ports for UDP, TCP. */
static void
mp_packet_l4(const struct flowi4 *fl4, struct mp_keys *k)
{
	k->proto = fl4->flowi4_proto;
	if (k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP) {
		k->sport = fl4->fl4_sport;
		k->dport = fl4->fl4_dport;
	}
}

/* Policy 3 on a packet: the outer hash, then jhash_2words with the
 * inner one (0: the packet carries no encapsulation). */
static uint32_t
mp_custom_hash(const struct fib_mp_params *p, const struct flowi4 *fl4)
{
	struct mp_keys k, pk;
	uint32_t outer = 0;

	if (p->fields & FIB_MP_FIELD_OUTER_MASK) {
		memset(&k, 0, sizeof(k));
		memset(&pk, 0, sizeof(pk));
		mp_packet_l4(fl4, &pk);
		if (p->fields & FIB_MP_FIELD_SRC_IP)
			k.src = fl4->saddr;
		if (p->fields & FIB_MP_FIELD_DST_IP)
			k.dst = fl4->daddr;
		if (p->fields & FIB_MP_FIELD_IP_PROTO)
			k.proto = pk.proto;
		if (p->fields & FIB_MP_FIELD_SRC_PORT)
			k.sport = pk.sport;
		if (p->fields & FIB_MP_FIELD_DST_PORT)
			k.dport = pk.dport;
		outer = mp_keys_hash(&k, p->seed);
	}
	return fib_jhash_2words(outer, 0, 0);
}

/**
 * fib_mp_hash - what the kernel's fib_multipath_hash() returns (already
 * shifted right by one) for the packet of @fl4 under @p: policy 0 and 2
 * hash the addresses, 1 adds the protocol and ports, 3 takes the fields.
 */
uint32_t
fib_mp_hash(const struct fib_mp_params *p, const struct flowi4 *fl4)
{
	struct mp_keys k;
	uint32_t h;

	memset(&k, 0, sizeof(k));
	switch (p->policy) {
	case 1:
		mp_packet_l4(fl4, &k);
		/* fall through */
	case 0:
	case 2:
		k.src = fl4->saddr;
		k.dst = fl4->daddr;
		h = mp_keys_hash(&k, p->seed);
		break;
	default:
		h = mp_custom_hash(p, fl4);
		break;
	}
	if (fl4->flowi4_mp_hash != 0)
		h = fib_jhash_2words(h, fl4->flowi4_mp_hash, 0);
	return h >> 1;
}

uint32_t
fib_multipath_hash(const struct flowi4 *fl4)
{
	return fib_mp_hash(mp_params(), fl4);
}

/* ------------------------------------------------------------ the choice */

/* The number of legs a result chooses among (fib_info_num_path). */
static int
mp_num_path(const struct fib_info *fi)
{
	if (fi->nh != NULL)
		return fi->nh->is_group ?
		    READ_ONCE(((struct nexthop *)fi->nh)->num_nh) : 1;
	return fi->fib_nhs;
}

/* The source address the kernel caches in a leg (fib_nh's nh_saddr). */
static uint32_t
mp_nh_saddr(const struct fib_info *fi, const struct fib_nh *nh)
{
	if (nh->nh_dev == NULL)
		return 0;
	return inet_select_addr(nh->nh_dev, nh->nh_gw, fi->fib_scope);
}

/*
 * fib_select_multipath, as of 6.18.y: legs without a carrier under
 * ignore_routes_with_linkdown (upper bound -1) are skipped; a leg scores
 * 2 when its source address is the flow's and 1 when the hash falls
 * under its bound, and the first leg of the best score wins.  The input
 * path passes no source (@saddr 0), which leaves plain hash-threshold.
 * (fib_multipath_use_neigh would skip legs whose neighbour failed; the
 * neighbour table is not mirrored, so it is taken as 0.)
 */
static void
mp_select_classic(struct fib_result *res, int hash, uint32_t saddr)
{
	struct fib_info *fi = res->fi;
	int i, score = -1;

	for (i = 0; i < fi->fib_nhs; i++) {
		const struct fib_nh *nh = &fi->fib_nh[i];
		int ub = READ_ONCE(fi->fib_nh[i].nh_upper_bound), s = 0;

		if (ub == -1)
			continue;
		if (saddr != 0 && mp_nh_saddr(fi, nh) == saddr)
			s += 2;
		if (hash <= ub)
			s++;
		if (s <= score)
			continue;
		res->nhc = nh;
		res->nh_sel = i;
		if (s == 3 || (saddr == 0 && s == 1))
			return;
		score = s;
	}
}

/* nexthop_select_path_hthr: the first member under whose bound the hash
 * falls (members whose neighbour failed are passed over by the kernel;
 * not mirrored, so none is). */
static void
mp_select_group(struct fib_result *res, int hash)
{
	struct nexthop *g = res->fi->nh;
	struct nh_grp_entry *ng = rcu_dereference(g->grp);
	int n = READ_ONCE(g->num_nh), i;

	for (i = 0; i < n; i++) {
		if (hash > READ_ONCE(ng[i].upper_bound))
			continue;
		res->nhc = &ng[i].nh->nh;
		res->nh_sel = i;
		return;
	}
}

/**
 * fib_select_path_hash - the leg the kernel's hash picks for @fl4 under
 * @p, on the output path (with the preference for the flow's source
 * address) or the input path (@input).  Only results with several legs
 * and flows without an oif are touched.
 */
void
fib_select_path_hash(struct fib_result *res, const struct flowi4 *fl4,
    const struct fib_mp_params *p, int input)
{
	int hash;

	if (res->fi == NULL || res->nhc == NULL || fl4->flowi4_oif != 0 ||
	    mp_num_path(res->fi) < 2)
		return;
	hash = (int)fib_mp_hash(p, fl4);
	if (res->fi->nh != NULL) {
		/* resilient: bucket hash % buckets holds the kernel's
		 * member, which is not mirrored; the first one stays */
		if (!res->fi->nh->resilient)
			mp_select_group(res, hash);
	} else
		mp_select_classic(res, hash, input ? 0 : fl4->saddr);
}

/* fib_lookup's choice: the hash under the current parameters. */
void
fib_mp_select_hashed(struct fib_result *res, const struct flowi4 *fl4)
{
	fib_select_path_hash(res, fl4, mp_params(), 0);
}

/*
 * Is @nh the leg the kernel named (@oif, @gw)?  Its answer names a
 * gateway only when the route uses it (link scope): a leg through one of
 * our own addresses (host scope) is named by its device alone
 * (difftest seed 4004959).
 */
static int
nh_is(const struct fib_nh *nh, int oif, uint32_t gw)
{
	if (nh->nh_dev == NULL || nh->nh_dev->ifindex != oif)
		return 0;
	return nh->nh_gw == gw || (gw == 0 &&
	    READ_ONCE(((struct fib_nh *)nh)->nh_scope) != RT_SCOPE_LINK);
}

/* The leg of @res that is (@oif, @gw), or -1; res->nhc set to it. */
static int
mp_leg_of(struct fib_result *res, int oif, uint32_t gw)
{
	const struct fib_info *fi = res->fi;
	const struct nh_grp_entry *ng = NULL;
	const struct fib_nh *nh;
	int i, n = fi->fib_nhs;

	if (fi->nh != NULL) {
		ng = rcu_dereference(fi->nh->grp);
		n = READ_ONCE(fi->nh->num_nh);
	}
	for (i = 0; i < n; i++) {
		nh = ng != NULL ? &ng[i].nh->nh : &fi->fib_nh[i];
		if (nh_is(nh, oif, gw)) {
			res->nhc = nh;
			res->nh_sel = i;
			return i;
		}
	}
	return -1;
}

/*
 * The kernel's own choice: ask it for the flow and take the leg it
 * names.  Return 1 when that leg was found in @res; 0 when the question
 * failed or the answer is not one of our legs (the mirror lags the
 * kernel for an instant), and the hash decides.
 */
static int
mp_ask_kernel(struct fib_result *res, const struct flowi4 *fl4, int input)
{
	fib_mp_ask_fn fn = READ_ONCE(mp_ask);
	uint32_t gw = 0;
	int oif = 0;

	if (fn == NULL)
		return 0;
	MP_STAT_INC(asks);
	if (fn(fl4, input, &oif, &gw) != 0) {
		MP_STAT_INC(ask_errors);
		return 0;
	}
	if (mp_leg_of(res, oif, gw) < 0) {
		MP_STAT_INC(ask_unmatched);
		return 0;
	}
	return 1;
}

/* Through a resilient group: the kernel's buckets decide, so it is
 * asked whatever the mode. */
static int
mp_resilient(const struct fib_info *fi)
{
	return fi->nh != NULL && fi->nh->resilient;
}

static int
mp_select(struct fib_result *res, const struct flowi4 *fl4, int input)
{
	const struct fib_mp_params *p;

	if (res->fi == NULL || res->nhc == NULL || fl4->flowi4_oif != 0 ||
	    mp_num_path(res->fi) < 2)
		return 0;
	p = mp_params();
	if ((p->mode == FIB_MP_ASK || mp_resilient(res->fi)) &&
	    mp_ask_kernel(res, fl4, input))
		return 1;
	MP_STAT_INC(hashed);
	fib_select_path_hash(res, fl4, p, input);
	return 0;
}

/**
 * fib_select_path - the multipath leg for an output flow (the kernel's
 * fib_select_path: only without an oif).  In FIB_MP_ASK mode the kernel
 * is asked.  Return: 1 when the leg came from the kernel, else 0.
 */
int
fib_select_path(struct fib_result *res, const struct flowi4 *fl4)
{
	return mp_select(res, fl4, 0);
}

/* ip_mkroute_input's choice for a forwarded flow (no source preference). */
int
fib_select_path_input(struct fib_result *res, const struct flowi4 *fl4)
{
	return mp_select(res, fl4, 1);
}
