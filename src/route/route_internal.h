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

#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define RCU_DEREF(p)		__atomic_load_n(&(p), __ATOMIC_CONSUME)
#define RCU_ASSIGN(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)

/* Per-thread counters: only the owner writes, others read relaxed. */
#define STAT_ADD(c, n)		WRITE_ONCE(c, READ_ONCE(c) + (n))
#define STAT_INC(c)		STAT_ADD(c, 1)

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

struct rt_cache_stat *rt_stat(void);
uint32_t rt_jiffies(void);
unsigned int rt_hash(uint32_t daddr, uint32_t saddr, int idx, uint32_t genid);
struct rtable *rt_cache_find(unsigned int h, const struct rtable *key,
	    uint32_t genid, int input);
struct rtable *rt_dst_alloc(struct net_device *dev, unsigned short flags);
struct rtable *rt_intern_hash(unsigned int h, struct rtable *rt);
void	 rt_defer(struct rtable *rt, int release);
int	 rt_garbage_collect(void);
void	 rt_do_flush(void);

#endif /* RTCACHE_ROUTE_INTERNAL_H */
