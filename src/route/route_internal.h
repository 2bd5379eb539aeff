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

#define RCU_DEREF(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define RCU_ASSIGN(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

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

static inline unsigned int
rt_hash(uint32_t daddr, uint32_t saddr, int idx, uint32_t genid)
{
	return rt_hash_word(rt_slot_k1(daddr, saddr) ^
	    rt_slot_k2(idx, 0, genid));
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
