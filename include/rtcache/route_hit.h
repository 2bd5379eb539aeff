/* SPDX-License-Identifier: MIT */
/*
 * rtcache/route_hit.h - the route cache's hit path, inline in the caller
 * as DPDK's rte_lpm_lookup is: the bucket layout, the read-only words a
 * hit reads, the calling thread's counters, and the readers of a
 * bucket's slots.  rtcache/route.h includes it after its types (and
 * it includes route.h when included first);
 * rt_cache.c owns the writers (rt_slot_add, rt_slot_del, the GC) and
 * route.c everything else.
 *
 * Why inline: a hit is bound by memory, and how many hits the CPU keeps
 * in flight while their buckets come from memory is about its reorder
 * window divided by the instructions of one hit.  A call, a flow passed
 * through memory and an answer through a pointer are a third of those
 * instructions; inline, the compiler keeps the flow and the answer in
 * registers.  What is not a slot hit (a flow with a mark or tos, a slot
 * changing under the read, the chain, the slow path) goes out of line
 * to __ip_route_output_key.
 */
#ifndef RTCACHE_ROUTE_HIT_H
#define RTCACHE_ROUTE_HIT_H

#include <stdint.h>

#include "rtcache/compiler.h"
#include "rtcache/fib.h"
/* route.h's types; included first, route.h includes this file at its
 * end, where the guard above makes that a no-op */
#include "rtcache/route.h"

#ifndef IPTOS_RT_MASK
#define IPTOS_RT_MASK		0x1c	/* the tos bits routing looks at */
#endif

/*
 * Per-thread counters: only the owner writes, others read relaxed.  On
 * x86 an increment is one instruction on memory, which a single-copy
 * atomic reader can always read whole; as an asm the compiler does not
 * see a racy plain access.  (A relaxed load, add and store is three.)
 */
#define STAT_ADD(c, n)		WRITE_ONCE(c, READ_ONCE(c) + (n))
#if defined(__x86_64__) && !RTCACHE_TSAN
#define STAT_INC(c)		do {					\
	_Static_assert(sizeof(c) == 8, "STAT_INC: a 64-bit counter");	\
	__asm__("incq %0" : "+m"(c));					\
} while (0)
#else
#define STAT_INC(c)		STAT_ADD(c, 1)
#endif

/*
 * How a reader reads a bucket's slots between its two reads of the
 * sequence count.  On x86-64, plain loads between compiler barriers, as
 * the kernel's seqcount readers: the CPU keeps loads in order, the count
 * catches a torn read, and plain loads let the compiler fold each into
 * its compare (an atomic load never is).  Elsewhere, and in TSan builds
 * (which must see every racing access as atomic), acquire loads.
 */
#if defined(__x86_64__) && !RTCACHE_TSAN
#define SLOT_READ(x)		(x)
#define SLOT_BARRIER()		__asm__ __volatile__("" ::: "memory")
#else
#define SLOT_READ(x)		smp_load_acquire(&(x))
#define SLOT_BARRIER()		do { } while (0)
#endif

struct rtable;
struct rt_free_batch;

/*
 * A bucket is one cache line: the chain head (the kernel's structure,
 * every entry of the bucket is on it) and two slots that copy the key of
 * up to two "plain" entries (no mark, tos, uid, protocol or ports), so
 * that a hit on them reads this line and nothing else.  Writers change
 * slots under the bucket lock inside a sequence count; readers retry on
 * the chain when the count moved.
 */
struct rt_bslot {
	uint64_t	 k1;		/* saddr << 32 | daddr */
	uint64_t	 k2;		/* genid << 32 | idx | RT_SLOT_K2_INPUT */
	struct rtable	*rt;		/* NULL: empty */
};

#define RT_SLOTS		2
#define RT_SLOT_USED		0x2	/* hit since the GC last looked */
#define RT_SLOT_K2_INPUT	0x80000000U	/* idx is an iif */
/* k1 of a slot being written or emptied: source and destination both
 * 255.255.255.255, which no cached entry has (that source is martian) */
#define RT_SLOT_K1_NONE		(~(uint64_t)0)

struct rt_hash_bucket {
	struct rtable	*chain;
	uint32_t	 seq;		/* moves once per slot change */
	uint8_t		 sflags[RT_SLOTS];	/* RT_SLOT_USED */
	uint16_t	 pad;
	struct rt_bslot	 slot[RT_SLOTS];
} __attribute__((aligned(64)));

/*
 * What a lookup reads of the cache besides its bucket, on one line of
 * its own: written only at set-up and by the GC's clock (jiffies), never
 * by lookups.  (The generation is the FIB's, fib_genid_val.)
 */
struct rt_ro {
	struct rt_hash_bucket	*table;
	uint64_t		 rnd;		/* random odd hash multiplier */
	unsigned int		 mask;		/* buckets - 1 */
	unsigned int		 shift;		/* 64 - log2(buckets) */
	uint32_t		 jiffies;
} __attribute__((aligned(64)));

extern struct rt_ro rt_ro;

/* Per-thread state: counters, the entries delta, the free batch. */
struct rt_thread {
	struct rt_cache_stat	 stat;
	struct rt_thread	*next;		/* all threads, for printing */
	long			 entries_delta;
	unsigned int		 hits;
	unsigned int		 misses;
	struct rt_free_batch	*batch;
	int			 index;
} __attribute__((aligned(64)));

/* The calling thread's state, NULL until its first slow-path lookup.
 * The default TLS model: linked into a program the linker makes it one
 * %fs-relative load; in a shared object it costs a __tls_get_addr. */
extern __thread struct rt_thread *rt_self;

static inline uint64_t
rt_slot_k1(uint32_t dst, uint32_t src)
{
	return (uint64_t)src << 32 | dst;
}

static inline uint64_t
rt_slot_k2(int idx, int input, uint32_t genid)
{
	return (uint64_t)genid << 32 | (uint32_t)idx |
	    (input ? RT_SLOT_K2_INPUT : 0);
}

/*
 * The generation a lookup must match (the kernel's rt_genid): the FIB's
 * change count, which a flush of the cache also bumps, so a FIB change
 * invalidates without anyone flushing, and a hit reads one word for it.
 */
static inline uint32_t
rt_genid_current(void)
{
	return (uint32_t)smp_load_acquire(&fib_genid_val);
}

/*
 * The bucket of a flow: (daddr, saddr, idx) with the generation, as the
 * kernel's rt_hash mixes them with jhash_3words and a random seed.  Here
 * the four words are folded into one 64-bit word and hashed by
 * multiply-shift with a random odd multiplier (universal: two distinct
 * words share a bucket with probability about 2/buckets, whatever the
 * flows), because on a hit the hash is much of the work.  The generation
 * is in the hash so that a flush also scatters the new entries away from
 * the stale ones.
 */
static inline unsigned long
rt_hash_word(uint64_t x)
{
	return (x * rt_ro.rnd) >> rt_ro.shift;	/* < buckets */
}

/*
 * The slot keys and bucket of an output flow.  Each field is read as
 * the 4-byte load it was stored as (READ_SHARED keeps the compiler from
 * merging daddr and saddr into one 8-byte load): callers fill a flowi4
 * field by field just before the call, and a load spanning two recent
 * smaller stores cannot be forwarded from them; it waits until they
 * retire, so until the previous lookup's bucket miss is over, which
 * serialises lookups that would otherwise overlap (measured: 21 -> 70 ns
 * a hit on the 64k-flow stream; inline, 10 -> 47-79 ns).
 */
static inline unsigned long
rt_output_keys(const struct flowi4 *fl, uint32_t genid, uint64_t *k1,
    uint64_t *k2)
{
	*k1 = rt_slot_k1(READ_ONCE(fl->daddr), READ_ONCE(fl->saddr));
	*k2 = rt_slot_k2(READ_ONCE(fl->flowi4_oif), 0, genid);
	return rt_hash_word(*k1 ^ *k2);
}

/*
 * Which slot of @b holds the key: 0 or 1, or -1.  Slot 0 is compared
 * first, and on its own: at the cache's usual load most buckets hold one
 * entry, in slot 0, so the branch is predicted and a hit costs two
 * compares.  The instruction count is what matters here, more than
 * avoiding branches: while a bucket comes from memory the CPU keeps
 * going on the next lookups only as far as its reorder window reaches,
 * so the fewer instructions a lookup takes, the more lookups overlap.
 * The branch-free SSE2 compare of both slots with cmov that this
 * replaced took more instructions; with this and the cuts around it, a
 * hit on a stream whose buckets all stay in cache went from 6.1 to 3.9 ns.
 */
static inline int
rt_slot_match(const struct rt_hash_bucket *b, uint64_t k1, uint64_t k2)
{
	/* each k1 is read before the rest of its slot (see rt_slot_find) */
	if (__builtin_expect(SLOT_READ(b->slot[0].k1) == k1, 1)) {
		SLOT_BARRIER();
		if (__builtin_expect(SLOT_READ(b->slot[0].k2) == k2, 1))
			return 0;
	}
	if (SLOT_READ(b->slot[1].k1) == k1) {
		SLOT_BARRIER();
		if (SLOT_READ(b->slot[1].k2) == k2)
			return 1;
	}
	return -1;
}

/*
 * Slot @i of @b matched: its entry, if the bucket's slots did not change
 * since @seq was read.  The hit sets the slot's use bit for the GC in the
 * line it already has: set once, cleared when the GC harvests it, so a
 * hot bucket is written about once per GC pass, not per hit.
 */
static inline struct rtable *
rt_slot_take(struct rt_hash_bucket *b, int i, uint32_t seq)
{
	struct rtable *rt = SLOT_READ(b->slot[i].rt);

	SLOT_BARRIER();
	if (__builtin_expect(SLOT_READ(b->seq) != seq, 0))
		return NULL;
	if (__builtin_expect(!(SLOT_READ(b->sflags[i]) & RT_SLOT_USED), 0))
		WRITE_ONCE(b->sflags[i], RT_SLOT_USED);
	return rt;
}

/*
 * The entry of bucket @h's slots with the key, or NULL.  Why the count
 * is read twice and never tested for odd (writers: rt_slot_add): the
 * reader's loads are ordered, and so are a writer's stores.  If the k1
 * it matched was written by update U, the k2 and rtable it reads next
 * are U's or newer; newer means a later update U' wrote them, and U'
 * moved the count before, and made k1 invalid before that, so the count
 * read first (before the matched k1, which U' had not yet invalidated)
 * is older than the count read last.  No check is needed for a miss: a
 * reader that misses a slot being written walks the chain, which holds
 * every entry.
 */
static inline struct rtable *
rt_slot_find(unsigned long h, uint64_t k1, uint64_t k2)
{
	struct rt_hash_bucket *b = &rt_ro.table[h];
	uint32_t seq = smp_load_acquire(&b->seq);

	SLOT_BARRIER();
	/* two copies of the tail, each with constant offsets */
	switch (rt_slot_match(b, k1, k2)) {
	case 0:
		return rt_slot_take(b, 0, seq);
	case 1:
		return rt_slot_take(b, 1, seq);
	default:
		return NULL;
	}
}

/*
 * rt_output_hit - the hit path of an output flow with no mark and no
 * tos: its entry, if a slot of its bucket holds it in the current
 * generation.  Return 1 with *@rtp set, or 0 (the chain and the slow
 * path are out of line).  One bucket line read, one counter of this
 * thread written.
 */
static inline int
rt_output_hit(uint32_t daddr, uint32_t saddr, int oif, struct rtable **rtp)
{
	uint64_t k1 = rt_slot_k1(daddr, saddr);
	uint64_t k2 = rt_slot_k2(oif, 0, rt_genid_current());
	struct rt_thread *t;
	struct rtable *rt;

	rt = rt_slot_find(rt_hash_word(k1 ^ k2), k1, k2);
	if (__builtin_expect(rt == NULL, 0) ||
	    __builtin_expect((t = rt_self) == NULL, 0))
		return 0;
	STAT_INC(t->stat.out_hit);
	*rtp = rt;
	return 1;
}

/* The out-of-line rest of ip_route_output_key and ip_route_output. */
int	 __ip_route_output_key(const struct flowi4 *fl4, struct rtable **rtp);
int	 __ip_route_output(uint32_t daddr, uint32_t saddr, uint8_t tos,
	    int oif, struct rtable **rtp);

/*
 * ip_route_output_key - the route for a locally generated packet.
 * @fl4: daddr, saddr (0 = choose), flowi4_oif, flowi4_tos, flowi4_mark,
 *       flowi4_uid, flowi4_proto and ports.
 * Return: 0 with *@rtp set (noref), or -errno as the kernel answers
 * (ENETUNREACH, EHOSTUNREACH, EACCES, EINVAL, ENODEV).
 * Its uid, protocol and ports need no test on the hit path: entries are
 * slotted only while no rule selects on them (rt_slot_add).
 */
static inline int
ip_route_output_key(const struct flowi4 *fl4, struct rtable **rtp)
{
	if (__builtin_expect((fl4->flowi4_mark |
	    (fl4->flowi4_tos & IPTOS_RT_MASK)) == 0, 1) &&
	    rt_output_hit(READ_ONCE(fl4->daddr), READ_ONCE(fl4->saddr),
	    READ_ONCE(fl4->flowi4_oif), rtp))
		return 0;
	return __ip_route_output_key(fl4, rtp);
}

/*
 * ip_route_output - the kernel's helper of the same name: the route to
 * @daddr from @saddr (0 = choose) with @tos, out of @oif (0 = any), for a
 * flow with no mark, uid 0, no protocol and no ports.  Return as
 * ip_route_output_key.  The addresses stay in registers, so this is the
 * cheapest way to ask; it answers what ip_route_output_key answers for
 * the same flowi4.
 */
static inline int
ip_route_output(uint32_t daddr, uint32_t saddr, uint8_t tos, int oif,
    struct rtable **rtp)
{
	if (__builtin_expect((tos & IPTOS_RT_MASK) == 0, 1) &&
	    rt_output_hit(daddr, saddr, oif, rtp))
		return 0;
	return __ip_route_output(daddr, saddr, tos, oif, rtp);
}

#endif /* RTCACHE_ROUTE_HIT_H */
