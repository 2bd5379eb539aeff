/* SPDX-License-Identifier: MIT */
/*
 * rt_cache.c - rt_hash_table: the cache of rtables, its generation,
 * insertion (rt_intern_hash), lookup chains, garbage collection, freeing
 * and the rt_cache statistics.
 *
 * The table is an array of chain heads sized like the kernel's (one per
 * 32 KiB of RAM up to 512Ki, or rhash_entries); readers walk chains under
 * RCU without a lock, writers take one of RT_HASH_LOCKS bucket locks.
 * The generation (rt_genid) is mixed into the hash, so after a flush new
 * lookups go to other buckets and stale entries are reclaimed lazily by
 * rt_intern_hash, the periodic expiry and the forced GC, as in 2.6.
 *
 * A hit writes nothing shared: no reference count, and the last-use time
 * is refreshed on a sample of hits only.  Under pressure (more than half
 * of gc_thresh hashed) a new flow is admitted only on its second miss
 * within a window, remembered in a small fingerprint filter, so one-off
 * flows of a flood are answered uncached instead of evicting hot ones.
 *
 * Freeing: an unlinked rtable, or an uncached one once its user's read
 * side has ended, goes into the calling thread's batch; a full batch (or
 * the pending one at a quiescent point) is handed to call_rcu and freed
 * with kmem_cache_free_bulk after the grace period.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <urcu-qsbr.h>

#include "rtcache/slab.h"
#include "route/route_internal.h"

#define RT_HASH_LOCKS		1024
#define RT_HASH_MAX_DEFAULT	(512U * 1024)
#define RT_FREE_BATCH		62
#define RT_ENTRIES_BATCH	32
#define RT_ADMIT_BITS		20
#define RT_TOUCH_SAMPLE		16	/* refresh lastuse on 1 hit in 16 */

struct rt_hash_bucket {
	struct rtable	*chain;
};

struct rt_free_batch {
	struct rcu_head	 head;
	unsigned int	 n;
	uintptr_t	 ent[RT_FREE_BATCH];	/* rtable | RT_BATCH_RELEASE */
};
#define RT_BATCH_RELEASE	0x1UL

/* Per-thread state: counters, the entries delta, the free batch. */
struct rt_thread {
	struct rt_cache_stat	 stat;
	struct rt_thread	*next;		/* all threads, for printing */
	long			 entries_delta;
	unsigned int		 hits;
	unsigned int		 misses;
	struct rt_free_batch	*batch;
	int			 index;
};

static __thread struct rt_thread *rt_self;

static struct rt_hash_bucket *rt_hash_table;
static unsigned int rt_hash_mask;
static unsigned int rt_hash_log;
static pthread_mutex_t rt_hash_locks[RT_HASH_LOCKS];

struct kmem_cache *ip_dst_cache;
static struct kmem_cache *rt_batch_cache;
static struct rt_cache_config rt_cfg;

/* rt_genid: read by every lookup, written on flushes: its own line. */
static struct {
	uint32_t	 genid;
	uint32_t	 fib_seen;
	uint32_t	 jiffies;
} rt_gen __attribute__((aligned(64)));

static long rt_entries __attribute__((aligned(64)));	/* folded deltas */
static long rt_batches_inflight;	/* handed to call_rcu, not yet run */
static long rt_hashed;
static pthread_mutex_t rt_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rt_thread *rt_threads;
static int rt_nthreads;

/* admission filter: 12-bit fingerprint + 4-bit epoch per slot */
static uint16_t *rt_admit_filter;
static uint32_t rt_admit_epoch = 1;
static unsigned long rt_admit_misses;

/* GC state (rt_garbage_collect's statics, rt_check_expire's rover) */
static pthread_mutex_t rt_gc_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t gc_expire, gc_last, gc_rover, expire_rover, expire_last;
static unsigned long gc_equilibrium;
static unsigned int rt_chain_length_max = 20;
static unsigned int rt_rebuild_count;
#define RT_REBUILD_LIMIT	4

/* --------------------------------------------------------------- time */

static uint32_t
now_jiffies(void)
{
	struct timespec ts;
	uint32_t j;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	j = (uint32_t)((uint64_t)ts.tv_sec * RT_HZ +
	    (uint64_t)ts.tv_nsec / (1000000000 / RT_HZ));
	__atomic_store_n(&rt_gen.jiffies, j, __ATOMIC_RELAXED);
	return j;
}

uint32_t
rt_jiffies(void)
{
	return now_jiffies();
}

/* ----------------------------------------------------------- threads */

static struct rt_thread *
rt_thread_get_slow(void)
{
	struct rt_thread *t = calloc(1, sizeof(*t));

	if (t == NULL)
		abort();	/* a few hundred bytes once per thread */
	pthread_mutex_lock(&rt_threads_lock);
	t->index = rt_nthreads++;
	t->next = rt_threads;
	rt_threads = t;
	pthread_mutex_unlock(&rt_threads_lock);
	rt_self = t;
	return t;
}

struct rt_cache_stat *
rt_stat(void)
{
	struct rt_thread *t = rt_self;

	if (__builtin_expect(t == NULL, 0))
		t = rt_thread_get_slow();
	return &t->stat;
}

const struct rt_cache_stat *
rt_cache_stat_this(void)
{
	return rt_stat();
}

static void
entries_add(long d)
{
	struct rt_thread *t = rt_self ? rt_self : rt_thread_get_slow();
	long v = __atomic_load_n(&t->entries_delta, __ATOMIC_RELAXED) + d;

	if (v > RT_ENTRIES_BATCH || v < -RT_ENTRIES_BATCH) {
		__atomic_fetch_add(&rt_entries, v, __ATOMIC_RELAXED);
		v = 0;
	}
	__atomic_store_n(&t->entries_delta, v, __ATOMIC_RELAXED);
}

unsigned long
rt_cache_entries(void)
{
	struct rt_thread *t;
	long v;

	pthread_mutex_lock(&rt_threads_lock);
	v = __atomic_load_n(&rt_entries, __ATOMIC_RELAXED);
	for (t = rt_threads; t != NULL; t = t->next)
		v += __atomic_load_n(&t->entries_delta, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&rt_threads_lock);
	return v > 0 ? (unsigned long)v : 0;
}

unsigned long
rt_cache_hashed(void)
{
	long v = __atomic_load_n(&rt_hashed, __ATOMIC_RELAXED);

	return v > 0 ? (unsigned long)v : 0;
}

unsigned int
rt_cache_buckets(void)
{
	return rt_hash_mask + 1;
}

/* ------------------------------------------------------------ freeing */

static void
rt_batch_run(struct rcu_head *head)
{
	struct rt_free_batch *b = caa_container_of(head, struct rt_free_batch,
	    head);
	void *objs[RT_FREE_BATCH];
	unsigned int i, n = 0;

	rt_tsan_acquire();
	for (i = 0; i < __atomic_load_n(&b->n, __ATOMIC_ACQUIRE); i++) {
		struct rtable *rt = (struct rtable *)(b->ent[i] &
		    ~RT_BATCH_RELEASE);

		if ((b->ent[i] & RT_BATCH_RELEASE) &&
		    __atomic_sub_fetch(&rt->dst.__refcnt, 1,
		    __ATOMIC_ACQ_REL) != 0)
			continue;	/* somebody still holds it */
		objs[n++] = rt;
	}
	if (n) {
		kmem_cache_free_bulk(ip_dst_cache, n, objs);
		entries_add(-(long)n);
	}
	kmem_cache_free(rt_batch_cache, b);
	/* after every free above, for the teardown's wait */
	__atomic_sub_fetch(&rt_batches_inflight, 1, __ATOMIC_RELEASE);
}

static void
rt_batch_flush(struct rt_thread *t)
{
	struct rt_free_batch *b = t->batch;

	if (b == NULL || b->n == 0)
		return;
	t->batch = NULL;
	/* call_rcu's queue is invisible to TSan: publish the contents */
	__atomic_store_n(&b->n, b->n, __ATOMIC_RELEASE);
	__atomic_add_fetch(&rt_batches_inflight, 1, __ATOMIC_RELAXED);
	call_rcu(&b->head, rt_batch_run);
}

/*
 * rt_defer - free @rt after a grace period; with @release, drop one
 * reference then and free only if it was the last.
 */
void
rt_defer(struct rtable *rt, int release)
{
	struct rt_thread *t = rt_self ? rt_self : rt_thread_get_slow();
	struct rt_free_batch *b = t->batch;

	if (b == NULL) {
		b = kmem_cache_alloc(rt_batch_cache, 0);
		if (b == NULL) {
			/* No memory for a batch: wait for readers here. */
			synchronize_rcu();
			if (!release || __atomic_sub_fetch(&rt->dst.__refcnt,
			    1, __ATOMIC_ACQ_REL) == 0) {
				kmem_cache_free(ip_dst_cache, rt);
				entries_add(-1);
			}
			return;
		}
		b->n = 0;
		t->batch = b;
	}
	b->ent[b->n++] = (uintptr_t)rt | (release ? RT_BATCH_RELEASE : 0);
	if (b->n == RT_FREE_BATCH)
		rt_batch_flush(t);
}

int
dst_hold_safe(struct dst_entry *dst)
{
	int v = __atomic_load_n(&dst->__refcnt, __ATOMIC_RELAXED);

	do {
		if (v == 0)
			return 0;
	} while (!__atomic_compare_exchange_n(&dst->__refcnt, &v, v + 1, 1,
	    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 1;
}

void
dst_release(struct dst_entry *dst)
{
	if (__atomic_sub_fetch(&dst->__refcnt, 1, __ATOMIC_ACQ_REL) == 0)
		rt_defer((struct rtable *)dst, 0);
}

void
rt_cache_quiescent(void)
{
	struct rt_thread *t = rt_self;

	if (t != NULL)
		rt_batch_flush(t);
	rt_tsan_release();
	rcu_quiescent_state();
}

/**
 * rt_cache_synchronize - hand this thread's pending frees to call_rcu and
 * wait until every batch handed over so far has run (bounded at about
 * 30 s).  The caller must be a registered thread.  rcu_barrier would do,
 * but its bookkeeping is invisible to TSan.
 */
void
rt_cache_synchronize(void)
{
	int i;

	if (rt_self != NULL)
		rt_batch_flush(rt_self);
	for (i = 0; i < 30000 &&
	    __atomic_load_n(&rt_batches_inflight, __ATOMIC_ACQUIRE) > 0; i++) {
		rcu_quiescent_state();
		usleep(1000);
	}
}

/* Unlink-side free: drop the table's reference after a grace period. */
static void
rt_free(struct rtable *rt)
{
	__atomic_store_n(&rt->dst.obsolete, DST_OBSOLETE_DEAD,
	    __ATOMIC_RELAXED);
	__atomic_fetch_sub(&rt_hashed, 1, __ATOMIC_RELAXED);
	rt_defer(rt, 1);
}

/* ------------------------------------------------------------ genid */

/*
 * The generation a lookup must match: the cache's own flush count plus
 * the FIB's change count, so a FIB change invalidates even when nobody
 * called rt_cache_flush().
 */
uint32_t
rt_cache_genid(void)
{
	return __atomic_load_n(&rt_gen.genid, __ATOMIC_ACQUIRE) +
	    (uint32_t)fib_genid();
}

void
rt_cache_flush(int delay)
{
	uint32_t r = (uint32_t)random() % 256 + 1;

	__atomic_fetch_add(&rt_gen.genid, r, __ATOMIC_RELEASE);
	if (delay >= 0)
		rt_do_flush();
}

/* ------------------------------------------------------------- hash */

static inline uint32_t
rol32(uint32_t w, unsigned int s)
{
	return (w << s) | (w >> (32 - s));
}

/* Bob Jenkins' lookup3 final mix over three words (jhash_3words). */
static inline uint32_t
jhash_3words(uint32_t a, uint32_t b, uint32_t c, uint32_t initval)
{
	a += 0xdeadbeef;
	b += 0xdeadbeef;
	c += initval;
	c ^= b; c -= rol32(b, 14);
	a ^= c; a -= rol32(c, 11);
	b ^= a; b -= rol32(a, 25);
	c ^= b; c -= rol32(b, 16);
	a ^= c; a -= rol32(c, 4);
	b ^= a; b -= rol32(a, 14);
	c ^= b; c -= rol32(b, 24);
	return c;
}

unsigned int
rt_hash(uint32_t daddr, uint32_t saddr, int idx, uint32_t genid)
{
	return jhash_3words(daddr, saddr, (uint32_t)idx, genid) & rt_hash_mask;
}

static int
compare_keys(const struct rtable *a, const struct rtable *b)
{
	return a->rt_key_dst == b->rt_key_dst &&
	    a->rt_key_src == b->rt_key_src &&
	    a->rt_route_iif == b->rt_route_iif && a->rt_oif == b->rt_oif &&
	    a->rt_mark == b->rt_mark && a->rt_key_tos == b->rt_key_tos &&
	    a->rt_uid == b->rt_uid && a->rt_proto == b->rt_proto &&
	    a->rt_sport == b->rt_sport && a->rt_dport == b->rt_dport;
}

static int
compare_hash_inputs(const struct rtable *a, const struct rtable *b)
{
	return a->rt_key_dst == b->rt_key_dst &&
	    a->rt_key_src == b->rt_key_src &&
	    a->rt_route_iif == b->rt_route_iif;
}

/*
 * rt_cache_find - walk bucket @h for the flow in @key (an rtable used as
 * a key holder).  Counts hlist searches in @st; refreshes last use on a
 * sample of hits.  RCU read side.
 */
struct rtable *
rt_cache_find(unsigned int h, const struct rtable *key, uint32_t genid,
    int input)
{
	struct rt_thread *t = rt_self ? rt_self : rt_thread_get_slow();
	struct rtable *rth;
	unsigned long searched = 0;

	if (rt_hash_table == NULL)
		return NULL;
	for (rth = RCU_DEREF(rt_hash_table[h].chain); rth != NULL;
	    rth = RCU_DEREF(rth->dst.rt_next)) {
		if (rth->rt_genid == genid && compare_keys(rth, key)) {
			if ((++t->hits & (RT_TOUCH_SAMPLE - 1)) == 0) {
				uint32_t j = __atomic_load_n(&rt_gen.jiffies,
				    __ATOMIC_RELAXED);

				if (READ_ONCE(rth->dst.lastuse) != j) {
					WRITE_ONCE(rth->dst.lastuse, j);
					WRITE_ONCE(rth->dst.__use,
					    READ_ONCE(rth->dst.__use) +
					    RT_TOUCH_SAMPLE);
				}
			}
			break;
		}
		searched++;
	}
	if (searched) {
		if (input)
			STAT_ADD(t->stat.in_hlist_search, searched);
		else
			STAT_ADD(t->stat.out_hlist_search, searched);
	}
	return rth;
}

/* ------------------------------------------------------- admission */

static uint32_t
admit_hash(const struct rtable *rt)
{
	uint32_t a = jhash_3words(rt->rt_key_dst, rt->rt_key_src,
	    (uint32_t)rt->rt_route_iif ^ ((uint32_t)rt->rt_oif << 16),
	    0x9e3779b9);

	return jhash_3words(a, rt->rt_mark ^ rt->rt_key_tos,
	    rt->rt_uid ^ ((uint32_t)rt->rt_sport << 16 | rt->rt_dport),
	    rt->rt_proto);
}

/* Should a new flow be hashed?  Always, until the cache is under
 * pressure; then only when it missed already in the current window. */
static int
rt_admit(const struct rtable *rt)
{
	uint32_t h, epoch, want, have;
	size_t idx;

	if (rt_cfg.admission < 0 ||
	    rt_cache_hashed() < rt_cfg.gc_thresh / 2)
		return 1;
	h = admit_hash(rt);
	idx = h & ((1U << RT_ADMIT_BITS) - 1);
	epoch = __atomic_load_n(&rt_admit_epoch, __ATOMIC_RELAXED);
	want = (uint16_t)(((epoch & 0xf) << 12) | ((h >> 20) & 0xfff));
	have = __atomic_load_n(&rt_admit_filter[idx], __ATOMIC_RELAXED);
	if (have == want)
		return 1;
	__atomic_store_n(&rt_admit_filter[idx], (uint16_t)want, __ATOMIC_RELAXED);
	/* a window is about half a filter of distinct misses */
	if (++rt_self->misses >= 256) {
		unsigned long m = __atomic_add_fetch(&rt_admit_misses,
		    rt_self->misses, __ATOMIC_RELAXED);

		rt_self->misses = 0;
		if (m >= (1UL << (RT_ADMIT_BITS - 1))) {
			__atomic_store_n(&rt_admit_misses, 0,
			    __ATOMIC_RELAXED);
			epoch = (epoch + 1) & 0xf;
			__atomic_store_n(&rt_admit_epoch, epoch ? epoch : 1,
			    __ATOMIC_RELAXED);
		}
	}
	return 0;
}

/* --------------------------------------------------------- allocation */

/*
 * rt_dst_alloc - a zeroed rtable from ip_dst_cache on the calling
 * thread's array.  Over gc_thresh the forced GC runs first; when it
 * cannot make room the rtable is still made, marked DST_NOCACHE.
 */
struct rtable *
rt_dst_alloc(struct net_device *dev, unsigned short flags)
{
	struct rtable *rt;

	if (rt_cache_hashed() > rt_cfg.gc_thresh && rt_garbage_collect() != 0)
		flags |= DST_NOCACHE;
	rt = kmem_cache_zalloc(ip_dst_cache, 0);
	if (rt == NULL)
		return NULL;
	entries_add(1);
	rt->dst.dev = dev;
	rt->dst.__refcnt = 1;
	rt->dst.obsolete = DST_OBSOLETE_FORCE_CHK;
	rt->dst.flags = DST_HOST | flags;
	rt->dst.lastuse = __atomic_load_n(&rt_gen.jiffies, __ATOMIC_RELAXED);
	rt->dst.__use = 1;
	return rt;
}

/* A new rtable nobody else has seen. */
static void
rt_drop_unpublished(struct rtable *rt)
{
	kmem_cache_free(ip_dst_cache, rt);
	entries_add(-1);
}

/* ---------------------------------------------------------- intern */

static uint32_t
rt_score(const struct rtable *rt)
{
	uint32_t age = __atomic_load_n(&rt_gen.jiffies, __ATOMIC_RELAXED) -
	    READ_ONCE(rt->dst.lastuse);
	uint32_t score = ~age & ~(3U << 30);

	if (rt->rt_flags & (RTCF_REDIRECTED | RTCF_NOTIFY))
		score |= 1U << 31;
	if (rt->rt_route_iif == 0 ||
	    !(rt->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST | RTCF_LOCAL)))
		score |= 1U << 30;
	return score;
}

/*
 * rt_intern_hash - publish @rt in bucket @h, or return the equal entry
 * another thread published first (then @rt is dropped).  An uncacheable
 * rt (caching disabled, GC overflow, not admitted) is handed back as is,
 * to be freed once the caller's read side ends.
 */
struct rtable *
rt_intern_hash(unsigned int h, struct rtable *rt)
{
	struct rtable *rth, **rthp, *cand = NULL, **candp = NULL;
	uint32_t genid = rt->rt_genid, min_score = ~0U;
	unsigned int chain_length = 0, slow_length = 0;
	pthread_mutex_t *lock;

	if (rt_cfg.disabled || rt_rebuild_count > RT_REBUILD_LIMIT ||
	    (rt->dst.flags & DST_NOCACHE) || !rt_admit(rt))
		goto nocache;
restart:
	lock = &rt_hash_locks[h & (RT_HASH_LOCKS - 1)];
	pthread_mutex_lock(lock);
	rthp = &rt_hash_table[h].chain;
	while ((rth = *rthp) != NULL) {
		if (rth->rt_genid != rt_cache_genid()) {
			/* stale: reclaim as we pass */
			RCU_ASSIGN(*rthp, rth->dst.rt_next);
			rt_free(rth);
			continue;
		}
		if (compare_keys(rth, rt)) {
			/* Lost a race: move it to the head and use it. */
			RCU_ASSIGN(*rthp, rth->dst.rt_next);
			RCU_ASSIGN(rth->dst.rt_next, rt_hash_table[h].chain);
			RCU_ASSIGN(rt_hash_table[h].chain, rth);
			pthread_mutex_unlock(lock);
			rt_drop_unpublished(rt);
			return rth;
		}
		if (__atomic_load_n(&rth->dst.__refcnt, __ATOMIC_RELAXED) == 1) {
			uint32_t score = rt_score(rth);

			if (score <= min_score) {
				cand = rth;
				candp = rthp;
				min_score = score;
			}
		}
		chain_length++;
		{
			struct rtable *p;

			for (p = rt_hash_table[h].chain; p != rth;
			    p = p->dst.rt_next)
				if (compare_hash_inputs(p, rth))
					break;
			if (p == rth)
				slow_length++;
		}
		rthp = &rth->dst.rt_next;
	}
	if (cand != NULL) {
		if (chain_length > rt_cfg.gc_elasticity) {
			RCU_ASSIGN(*candp, cand->dst.rt_next);
			rt_free(cand);
		}
	} else if (chain_length > rt_chain_length_max &&
	    slow_length > rt_chain_length_max) {
		/* Everything held and the chain still too long: rebuild. */
		pthread_mutex_unlock(lock);
		if (++rt_rebuild_count > RT_REBUILD_LIMIT)
			goto nocache;
		rt_cache_flush(-1);
		genid = rt_cache_genid();
		rt->rt_genid = genid;
		h = rt_hash(rt->rt_key_dst, rt->rt_key_src,
		    rt->rt_route_iif ? rt->rt_route_iif : rt->rt_oif, genid);
		goto restart;
	}
	rt->rt_hash = h;
	rt->dst.__refcnt = 1;			/* the table's reference */
	RCU_ASSIGN(rt->dst.rt_next, rt_hash_table[h].chain);
	RCU_ASSIGN(rt_hash_table[h].chain, rt);
	__atomic_fetch_add(&rt_hashed, 1, __ATOMIC_RELAXED);
	pthread_mutex_unlock(lock);
	return rt;
nocache:
	rt->dst.flags |= DST_NOCACHE;
	rt_defer(rt, 1);	/* freed after the caller's read side */
	return rt;
}

/* ---------------------------------------------------- expiry and GC */

static int
rt_fast_clean(const struct rtable *rth)
{
	return (rth->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) &&
	    rth->rt_route_iif != 0 && rth->dst.rt_next != NULL;
}

static int
rt_valuable(const struct rtable *rth)
{
	return (rth->rt_flags & (RTCF_REDIRECTED | RTCF_NOTIFY)) ||
	    rth->dst.expires != 0;
}

static int
rt_may_expire(const struct rtable *rth, uint32_t tmo1, uint32_t tmo2)
{
	uint32_t age;

	if (__atomic_load_n(&rth->dst.__refcnt, __ATOMIC_RELAXED) > 1)
		return 0;
	age = __atomic_load_n(&rt_gen.jiffies, __ATOMIC_RELAXED) -
	    READ_ONCE(rth->dst.lastuse);
	if ((age <= tmo1 && !rt_fast_clean(rth)) ||
	    (age <= tmo2 && rt_valuable(rth)))
		return 0;
	return 1;
}

/*
 * Scan bucket @i freeing stale entries and those rt_may_expire() lets go
 * (@tmo halving for every entry kept).  Return: how many were freed.
 */
static unsigned long
rt_scan_bucket(unsigned int i, uint32_t tmo, uint32_t tmo2, int all)
{
	pthread_mutex_t *lock = &rt_hash_locks[i & (RT_HASH_LOCKS - 1)];
	struct rtable *rth, **rthp;
	uint32_t genid = rt_cache_genid();
	unsigned long freed = 0;

	if (READ_ONCE(rt_hash_table[i].chain) == NULL)
		return 0;
	pthread_mutex_lock(lock);
	rthp = &rt_hash_table[i].chain;
	while ((rth = *rthp) != NULL) {
		if (all || rth->rt_genid != genid ||
		    rt_may_expire(rth, tmo, tmo2)) {
			RCU_ASSIGN(*rthp, rth->dst.rt_next);
			rt_free(rth);
			freed++;
			continue;
		}
		tmo >>= 1;
		rthp = &rth->dst.rt_next;
	}
	pthread_mutex_unlock(lock);
	return freed;
}

/* Free every entry now (rt_cache_flush with delay >= 0). */
void
rt_do_flush(void)
{
	unsigned int i;

	for (i = 0; i <= rt_hash_mask; i++)
		rt_scan_bucket(i, 0, 0, 1);
}

/*
 * rt_garbage_collect - the forced GC of 2.6 (dst_ops.gc), run when the
 * cache passes gc_thresh.  Return: 0 when there is room, 1 when the
 * cache stays at max_size (dst cache overflow).
 */
int
rt_garbage_collect(void)
{
	struct rt_cache_stat *st = rt_stat();
	uint32_t now = now_jiffies();
	uint32_t min_iv = rt_cfg.gc_min_interval_ms * RT_HZ / 1000;
	unsigned long entries = rt_cache_hashed();
	long goal;

	STAT_INC(st->gc_total);
	if (pthread_mutex_trylock(&rt_gc_lock) != 0)
		return entries >= rt_cfg.max_size;
	if (now - gc_last < min_iv && entries < rt_cfg.max_size) {
		STAT_INC(st->gc_ignored);
		goto work_done;
	}
	goal = (long)entries - (long)((unsigned long)rt_cfg.gc_elasticity <<
	    rt_hash_log);
	if (goal <= 0) {
		if (gc_equilibrium < rt_cfg.gc_thresh)
			gc_equilibrium = rt_cfg.gc_thresh;
		goal = (long)entries - (long)gc_equilibrium;
		if (goal > 0) {
			long add = goal / 2;

			if (add > (long)rt_hash_mask + 1)
				add = rt_hash_mask + 1;
			gc_equilibrium += (unsigned long)add;
			goal = (long)entries - (long)gc_equilibrium;
		}
	} else {
		goal /= 2;
		if (goal < (long)rt_hash_mask + 1)
			goal = rt_hash_mask + 1;
		gc_equilibrium = entries - (unsigned long)goal;
	}
	if (now - gc_last >= min_iv)
		gc_last = now;
	if (goal <= 0) {
		gc_equilibrium += (unsigned long)(-goal);
		goto work_done;
	}
	do {
		unsigned int k;

		for (k = 0; k <= rt_hash_mask && goal > 0; k++) {
			gc_rover = (gc_rover + 1) & rt_hash_mask;
			goal -= (long)rt_scan_bucket(gc_rover, gc_expire,
			    gc_expire, 0);
		}
		if (goal <= 0)
			goto work_done;
		STAT_INC(st->gc_goal_miss);
		if (gc_expire == 0)
			break;
		gc_expire >>= 1;
	} while (rt_cache_hashed() >= rt_cfg.max_size);
	if (rt_cache_hashed() < rt_cfg.max_size)
		goto work_done_unlocked_ok;
	pthread_mutex_unlock(&rt_gc_lock);
	STAT_INC(st->gc_dst_overflow);
	return 1;
work_done:
	gc_expire += min_iv;
	if (gc_expire > rt_cfg.gc_timeout_s * RT_HZ ||
	    rt_cache_hashed() < rt_cfg.gc_thresh)
		gc_expire = rt_cfg.gc_timeout_s * RT_HZ;
work_done_unlocked_ok:
	pthread_mutex_unlock(&rt_gc_lock);
	return 0;
}

/*
 * rt_cache_periodic - rt_check_expire: sweep a share of the buckets so
 * the whole table is seen once per gc_timeout, freeing stale and idle
 * entries, and re-derive rt_chain_length_max.  Also flushes this
 * thread's pending frees.  Call from a timer (every second or so).
 */
void
rt_cache_periodic(void)
{
	uint32_t now = now_jiffies();
	uint32_t timeout = rt_cfg.gc_timeout_s * RT_HZ;
	unsigned long goal, i;

	if (rt_hash_table == NULL)
		return;
	if (pthread_mutex_trylock(&rt_gc_lock) != 0)
		return;
	if (expire_last == 0)
		expire_last = now;
	goal = (unsigned long)(now - expire_last) * (rt_hash_mask + 1) /
	    (timeout ? timeout : 1);
	if (goal > rt_hash_mask + 1)
		goal = rt_hash_mask + 1;
	if (goal)
		expire_last = now;
	for (i = 0; i < goal; i++) {
		expire_rover = (expire_rover + 1) & rt_hash_mask;
		rt_scan_bucket(expire_rover, timeout, timeout, 0);
	}
	if (rt_chain_length_max < rt_cfg.gc_elasticity)
		rt_chain_length_max = rt_cfg.gc_elasticity;
	pthread_mutex_unlock(&rt_gc_lock);
	if (rt_self != NULL)
		rt_batch_flush(rt_self);
}

/* --------------------------------------------------------- set-up */

static unsigned int
default_buckets(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	unsigned long long bytes = (unsigned long long)pages * (unsigned long long)psz;
	unsigned int scale = bytes >= (512ULL << 20) ? 15 : 17;
	unsigned long long n;
	unsigned int b = 1;

	bytes = (bytes + (1ULL << 20) - 1) & ~((1ULL << 20) - 1);
	n = bytes >> scale;
	while (b < n && b < RT_HASH_MAX_DEFAULT)
		b <<= 1;
	return b;
}

static void
apply_defaults(struct rt_cache_config *c)
{
	if (c->hash_buckets == 0)
		c->hash_buckets = default_buckets();
	if (c->gc_thresh == 0)
		c->gc_thresh = c->hash_buckets;
	if (c->max_size == 0)
		c->max_size = 16UL * c->hash_buckets;
	if (c->gc_elasticity == 0)
		c->gc_elasticity = 8;
	if (c->gc_min_interval_ms == 0)
		c->gc_min_interval_ms = 500;
	if (c->gc_timeout_s == 0)
		c->gc_timeout_s = 300;
	if (c->gc_interval_s == 0)
		c->gc_interval_s = 60;
}

/**
 * rt_cache_init - create ip_dst_cache and the hash table.
 * Return: 0, -EINVAL (bucket count not a power of two, or over 2^26),
 * -EBUSY (already set up) or -ENOMEM.
 */
int
rt_cache_init(const struct rt_cache_config *cfg)
{
	struct rt_cache_config c;
	unsigned int i;

	if (rt_hash_table != NULL)
		return -EBUSY;
	memset(&c, 0, sizeof(c));
	if (cfg != NULL)
		c = *cfg;
	if (c.hash_buckets & (c.hash_buckets - 1) ||
	    c.hash_buckets > (1U << 26))
		return -EINVAL;
	apply_defaults(&c);
	ip_dst_cache = kmem_cache_create("ip_dst_cache", sizeof(struct rtable),
	    0, SLAB_HWCACHE_ALIGN, NULL);
	rt_batch_cache = kmem_cache_create("rt_free_batch",
	    sizeof(struct rt_free_batch), 0, SLAB_HWCACHE_ALIGN, NULL);
	rt_admit_filter = calloc(1U << RT_ADMIT_BITS, sizeof(*rt_admit_filter));
	if (ip_dst_cache == NULL || rt_batch_cache == NULL || rt_admit_filter == NULL)
		goto fail;
	rt_hash_table = calloc(c.hash_buckets, sizeof(*rt_hash_table));
	if (rt_hash_table == NULL)
		goto fail;
	for (i = 0; i < RT_HASH_LOCKS; i++)
		pthread_mutex_init(&rt_hash_locks[i], NULL);
	rt_hash_mask = c.hash_buckets - 1;
	for (rt_hash_log = 0; (1U << rt_hash_log) < c.hash_buckets;
	    rt_hash_log++)
		;
	rt_cfg = c;
	gc_expire = c.gc_timeout_s * RT_HZ;
	gc_equilibrium = 0;
	rt_rebuild_count = 0;
	rt_gen.genid = (uint32_t)random();
	now_jiffies();
	return 0;
fail:
	free(rt_admit_filter);
	rt_admit_filter = NULL;
	kmem_cache_destroy(rt_batch_cache);
	kmem_cache_destroy(ip_dst_cache);
	ip_dst_cache = rt_batch_cache = NULL;
	return -ENOMEM;
}

void
rt_cache_get_config(struct rt_cache_config *cfg)
{
	*cfg = rt_cfg;
}

/* Change the GC tunables live (sizes of the table stay). */
int
rt_cache_set_gc(const struct rt_cache_config *cfg)
{
	struct rt_cache_config c = *cfg;

	c.hash_buckets = rt_cfg.hash_buckets;
	apply_defaults(&c);
	if (c.gc_thresh > c.max_size)
		return -EINVAL;
	pthread_mutex_lock(&rt_gc_lock);
	rt_cfg = c;
	pthread_mutex_unlock(&rt_gc_lock);
	return 0;
}

/* Tear down: no readers may run.  Waits for pending frees. */
void
rt_cache_exit(void)
{
	struct rt_thread *t, *next;

	if (rt_hash_table == NULL)
		return;
	rt_do_flush();
	pthread_mutex_lock(&rt_threads_lock);
	for (t = rt_threads; t != NULL; t = t->next)
		if (t != rt_self)
			rt_batch_flush(t);	/* threads are gone or idle */
	pthread_mutex_unlock(&rt_threads_lock);
	rt_cache_synchronize();
	free(rt_hash_table);
	rt_hash_table = NULL;
	free(rt_admit_filter);
	rt_admit_filter = NULL;
	kmem_cache_destroy(rt_batch_cache);
	kmem_cache_destroy(ip_dst_cache);
	ip_dst_cache = rt_batch_cache = NULL;
	pthread_mutex_lock(&rt_threads_lock);
	for (t = rt_threads; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	rt_threads = NULL;
	rt_nthreads = 0;
	rt_entries = 0;
	rt_hashed = 0;
	pthread_mutex_unlock(&rt_threads_lock);
	rt_self = NULL;
}

/* ------------------------------------------------------------- stats */

void
rt_cache_stat_sum(struct rt_cache_stat *sum)
{
	struct rt_thread *t;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	pthread_mutex_lock(&rt_threads_lock);
	for (t = rt_threads; t != NULL; t = t->next) {
		const unsigned long *src = (const unsigned long *)&t->stat;
		unsigned long *dst = (unsigned long *)sum;

		for (i = 0; i < RT_CACHE_STAT_FIELDS; i++)
			dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&rt_threads_lock);
}

/**
 * rt_cache_stat_show - /proc/net/stat/rt_cache in the 3.5 layout: the
 * header, then one line per thread that looked up (the kernel: per CPU),
 * 17 fields of 8 hex digits, entries first.
 */
int
rt_cache_stat_show(FILE *out)
{
	unsigned long entries = rt_cache_entries();
	struct rt_thread **v;
	struct rt_thread *t;
	int n = 0, i, j;

	fputs("entries  in_hit in_slow_tot in_slow_mc in_no_route in_brd "
	    "in_martian_dst in_martian_src  out_hit out_slow_tot out_slow_mc"
	    "  gc_total gc_ignored gc_goal_miss gc_dst_overflow "
	    "in_hlist_search out_hlist_search\n", out);
	pthread_mutex_lock(&rt_threads_lock);
	v = calloc((size_t)rt_nthreads + 1, sizeof(*v));
	for (t = rt_threads; t != NULL && v != NULL; t = t->next)
		v[n++] = t;
	/* oldest thread first, like CPU order */
	for (i = n - 1; i >= 0; i--) {
		const unsigned long *c = (const unsigned long *)&v[i]->stat;

		fprintf(out, "%08x  ", (unsigned int)entries);
		for (j = 0; j < 7; j++)
			fprintf(out, "%08x ", (unsigned int)
			    __atomic_load_n(&c[j], __ATOMIC_RELAXED));
		fputc(' ', out);
		for (j = 7; j < RT_CACHE_STAT_FIELDS; j++)
			fprintf(out, "%08x ", (unsigned int)
			    __atomic_load_n(&c[j], __ATOMIC_RELAXED));
		fputc('\n', out);
	}
	pthread_mutex_unlock(&rt_threads_lock);
	free(v);
	return ferror(out) ? -EIO : 0;
}

/**
 * rt_cache_show - /proc/net/rt_cache: current-generation entries, buckets
 * from the highest down, lines padded to 127 columns.
 */
int
rt_cache_show(FILE *out)
{
	uint32_t genid = rt_cache_genid();
	char line[160];
	int i;

	fprintf(out, "%-127s\n", "Iface\tDestination\tGateway \tFlags\t\t"
	    "RefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\tTOS\tHHRef\t"
	    "HHUptod\tSpecDst");
	if (rt_hash_table == NULL)
		return 0;
	rcu_read_lock();
	for (i = (int)rt_hash_mask; i >= 0; i--) {
		struct rtable *r;

		for (r = RCU_DEREF(rt_hash_table[i].chain); r != NULL;
		    r = RCU_DEREF(r->dst.rt_next)) {
			if (r->rt_genid != genid)
				continue;
			snprintf(line, sizeof(line), "%s\t%08X\t%08X\t%8X\t%d\t"
			    "%u\t%u\t%08X\t%d\t%u\t%u\t%02X\t%d\t%u\t%08X",
			    r->dst.dev ? r->dst.dev->name : "*", r->rt_dst,
			    r->rt_gateway ? r->rt_gateway : r->rt_dst,
			    r->rt_flags,
			    __atomic_load_n(&r->dst.__refcnt,
			    __ATOMIC_RELAXED) - 1,
			    READ_ONCE(r->dst.__use), 0, r->rt_src,
			    r->rt_pmtu ? (int)r->rt_pmtu : 0, 0, 0,
			    r->rt_key_tos, -1, 0, r->rt_spec_dst);
			fprintf(out, "%-127s\n", line);
		}
	}
	rcu_read_unlock();
	return ferror(out) ? -EIO : 0;
}
