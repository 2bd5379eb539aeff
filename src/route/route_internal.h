/* SPDX-License-Identifier: MIT */
/*
 * route_internal.h - what route.c (resolution) and rt_cache.c (the hash,
 * GC and statistics) share, and what white-box tests may look at.
 */
#ifndef RTCACHE_ROUTE_INTERNAL_H
#define RTCACHE_ROUTE_INTERNAL_H

#include <stdint.h>

#include "rtcache/route.h"
#include "netdev/rcu_util.h"

#define RT_HZ			1000	/* jiffies per second */
#define RT_TOUCH_SAMPLE		16	/* refresh lastuse on 1 hit in 16 */

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
/* seqcount sides without fences (TSan does not model fences): acquire
 * data loads keep the re-read of the count after them; release data
 * stores keep them after the odd count.  Plain moves on x86. */
#define LOAD_ACQ(x)		__atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define STORE_REL(x, v)		__atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define RCU_DEREF(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define RCU_ASSIGN(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

/*
 * Per-thread counters: only the owner writes, others read relaxed.  On
 * x86 an increment is one instruction on memory, which a single-copy
 * atomic reader can always read whole; as an asm the compiler does not
 * see a racy plain access.  (A relaxed load, add and store is three.)
 */
#define STAT_ADD(c, n)		WRITE_ONCE(c, READ_ONCE(c) + (n))
#if defined(__x86_64__) && !RCU_TSAN
#define STAT_INC(c)		do {					\
	_Static_assert(sizeof(c) == 8, "STAT_INC: a 64-bit counter");	\
	__asm__("incq %0" : "+m"(c));					\
} while (0)
#else
#define STAT_INC(c)		STAT_ADD(c, 1)
#endif

static inline void
rt_tsan_release(void)
{
	rcu_tsan_release();
}

static inline void
rt_tsan_acquire(void)
{
	rcu_tsan_acquire();
}

extern struct kmem_cache *ip_dst_cache;

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

/*
 * The bucket of a flow: (daddr, saddr, idx) with the generation, as the
 * kernel's rt_hash mixes them with jhash_3words and a random seed.  Here
 * the four words are folded into one 64-bit word and hashed by
 * multiply-shift with a random odd multiplier (universal: two distinct
 * words share a bucket with probability about 2/buckets, whatever the
 * flows), because on a hit the hash is much of the work, and the fewer
 * instructions a lookup takes, the more lookups the CPU overlaps while
 * their buckets come from memory.  The generation is in the hash so
 * that a flush also scatters the new entries away from the stale ones.
 */
static inline unsigned long
rt_hash_word(uint64_t x)
{
	return (x * rt_ro.rnd) >> rt_ro.shift;	/* < buckets */
}

static inline unsigned int
rt_hash(uint32_t daddr, uint32_t saddr, int idx, uint32_t genid)
{
	return rt_hash_word(rt_slot_k1(daddr, saddr) ^
	    rt_slot_k2(idx, 0, genid));
}

/*
 * The slot keys and bucket of an output flow.  Each field is read as
 * the 4-byte load it was stored as (READ_ONCE keeps the compiler from
 * merging daddr and saddr into one 8-byte load): callers fill a flowi4
 * field by field just before the call, and a load spanning two recent
 * smaller stores cannot be forwarded from them; it waits until they
 * retire, so until the previous lookup's bucket miss is over, which
 * serialises lookups that would otherwise overlap (measured: 21 -> 70 ns
 * a hit on the 64k-flow stream).
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
 * How a reader reads a bucket's slots between its two reads of the
 * sequence count.  On x86-64, plain loads between compiler barriers, as
 * the kernel's seqcount readers: the CPU keeps loads in order, the count
 * catches a torn read, and plain loads let the compiler fold each into
 * its compare (an atomic load never is).  Elsewhere, and in TSan builds
 * (which must see every racing access as atomic), acquire loads.
 */
#if defined(__x86_64__) && !RCU_TSAN
#define SLOT_READ(x)		(x)
#define SLOT_BARRIER()		__asm__ __volatile__("" ::: "memory")
#else
#define SLOT_READ(x)		LOAD_ACQ(x)
#define SLOT_BARRIER()		do { } while (0)
#endif

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

/* Does a slot of bucket @h hold the key?  A hint for prefetching only. */
static inline int
rt_slot_peek(unsigned long h, uint64_t k1, uint64_t k2)
{
	return rt_slot_match(&rt_ro.table[h], k1, k2) >= 0;
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
		__atomic_store_n(&b->sflags[i], RT_SLOT_USED,
		    __ATOMIC_RELAXED);
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
	uint32_t seq = LOAD_ACQ(b->seq);

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


extern __thread struct rt_thread *rt_self
    __attribute__((tls_model("initial-exec")));


/*
 * The generation a lookup must match (the kernel's rt_genid): the FIB's
 * change count, which a flush of the cache also bumps, so a FIB change
 * invalidates without anyone flushing, and a hit reads one word for it.
 */
static inline uint32_t
rt_genid_current(void)
{
	return (uint32_t)__atomic_load_n(&fib_genid_val, __ATOMIC_ACQUIRE);
}

void	 rt_touch_slow(struct rtable *rth);

struct rt_cache_stat *rt_stat(void);
uint32_t rt_jiffies(void);
struct rtable *rt_cache_find(unsigned int h, const struct rtable *key,
	    uint32_t genid, int input);
struct rtable *rt_dst_alloc(struct net_device *dev, unsigned short flags);
struct rtable *rt_intern_hash(unsigned int h, struct rtable *rt);
void	 rt_defer(struct rtable *rt, int release);
int	 rt_garbage_collect(void);
void	 rt_do_flush(void);

#endif /* RTCACHE_ROUTE_INTERNAL_H */
