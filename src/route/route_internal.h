/* SPDX-License-Identifier: MIT */
/*
 * route_internal.h - what route.c (resolution) and rt_cache.c (the hash,
 * GC and statistics) share, and what white-box tests may look at.
 */
#ifndef RTCACHE_ROUTE_INTERNAL_H
#define RTCACHE_ROUTE_INTERNAL_H

#include <stdint.h>

#include "rtcache/route.h"
#include "base/rcu.h"

#define RT_HZ			1000	/* jiffies per second */
#define RT_TOUCH_SAMPLE		16	/* refresh lastuse on 1 hit in 16 */

extern struct kmem_cache *ip_dst_cache;

static inline unsigned int
rt_hash(uint32_t daddr, uint32_t saddr, int idx, uint32_t genid)
{
	return rt_hash_word(rt_slot_k1(daddr, saddr) ^
	    rt_slot_k2(idx, 0, genid));
}

/*
 * The bucket of a cache key: rt_hash for a key of addresses and an
 * interface (the one the inline hit path computes); a protocol or ports,
 * kept in the key only while a rule or the multipath hash reads them, are
 * folded in too, so that the port flows of one address pair spread over
 * buckets instead of crowding one chain.  Such keys are never slotted,
 * so the inline path never needs their bucket.
 */
static inline unsigned int
rt_key_hash(const struct rtable *k, uint32_t genid)
{
	uint64_t x = rt_slot_k1(k->rt_key_dst, k->rt_key_src) ^
	    rt_slot_k2(k->rt_route_iif ? k->rt_route_iif : k->rt_oif, 0,
	    genid);
	uint64_t l4 = (uint64_t)k->rt_proto << 32 |
	    (uint32_t)k->rt_sport << 16 | k->rt_dport;

	if (l4 != 0)
		x ^= (l4 + 1) * 0x9e3779b97f4a7c15ULL;
	return rt_hash_word(x);
}

/* Does a slot of bucket @h hold the key?  A hint for prefetching only. */
static inline int
rt_slot_peek(unsigned long h, uint64_t k1, uint64_t k2)
{
	return rt_slot_match(&rt_ro.table[h], k1, k2) >= 0;
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
