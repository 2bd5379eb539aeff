/* SPDX-License-Identifier: MIT */
/*
 * rt_cache.c - the route cache: its hash table of rtables (rt_ro.table),
 * its generation, insertion (rt_intern_hash), lookup chains, garbage
 * collection, freeing and the rt_cache statistics.
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

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/rcu.h"

#include "rtcache/slab.h"
#include "route/route_internal.h"

#define RT_HASH_LOCKS		1024
#define RT_HASH_MAX_DEFAULT	(512U * 1024)
#define RT_FREE_BATCH		62
#define RT_ENTRIES_BATCH	32
#define RT_ADMIT_BITS		20



struct rt_free_batch {
	struct rcu_head	 head;
	unsigned int	 n;
	uintptr_t	 ent[RT_FREE_BATCH];	/* rtable | RT_BATCH_RELEASE */
};
#define RT_BATCH_RELEASE	0x1UL

__thread struct rt_thread *rt_self;

struct rt_ro rt_ro;
static pthread_mutex_t rt_hash_locks[RT_HASH_LOCKS];

struct kmem_cache *ip_dst_cache;
static struct kmem_cache *rt_batch_cache;
static struct rt_cache_config rt_cfg;

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
static uint32_t stale_sweep_genid, stale_rover;
static unsigned long stale_sweep_left;
static unsigned int rt_rebuild_count;
#define RT_REBUILD_LIMIT	4

/* --------------------------------------------------------------- time */

static uint32_t
now_jiffies(void)
{
	uint32_t j;

	j = (uint32_t)(clock_mono_coarse_ns() / (NSEC_PER_SEC / RT_HZ));
	WRITE_ONCE(rt_ro.jiffies, j);
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
	/* lines of its own: a hit writes its counter, and no other thread's */
	struct rt_thread *t = aligned_alloc(64, sizeof(*t));

	if (t == NULL)
		abort();	/* a few hundred bytes once per thread */
	memset(t, 0, sizeof(*t));
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
	long v = READ_ONCE(t->entries_delta) + d;

	if (v > RT_ENTRIES_BATCH || v < -RT_ENTRIES_BATCH) {
		atomic_fetch_add_relaxed(&rt_entries, v);
		v = 0;
	}
	WRITE_ONCE(t->entries_delta, v);
}

unsigned long
rt_cache_entries(void)
{
	struct rt_thread *t;
	long v;

	pthread_mutex_lock(&rt_threads_lock);
	v = READ_ONCE(rt_entries);
	for (t = rt_threads; t != NULL; t = t->next)
		v += READ_ONCE(t->entries_delta);
	pthread_mutex_unlock(&rt_threads_lock);
	return v > 0 ? (unsigned long)v : 0;
}

unsigned long
rt_cache_hashed(void)
{
	long v = READ_ONCE(rt_hashed);

	return v > 0 ? (unsigned long)v : 0;
}

unsigned int
rt_cache_buckets(void)
{
	return rt_ro.mask + 1;
}

/* ------------------------------------------------------------ freeing */

static void
rt_batch_run(struct rcu_head *head)
{
	struct rt_free_batch *b = caa_container_of(head, struct rt_free_batch,
	    head);
	void *objs[RT_FREE_BATCH];
	unsigned int i, n = 0;

	rcu_tsan_acquire();
	for (i = 0; i < smp_load_acquire(&b->n); i++) {
		struct rtable *rt = (struct rtable *)(b->ent[i] &
		    ~RT_BATCH_RELEASE);

		if ((b->ent[i] & RT_BATCH_RELEASE) &&
		    atomic_sub_return(&rt->dst.__refcnt, 1) != 0)
			continue;	/* somebody still holds it */
		objs[n++] = rt;
	}
	if (n) {
		kmem_cache_free_bulk(ip_dst_cache, n, objs);
		entries_add(-(long)n);
	}
	kmem_cache_free(rt_batch_cache, b);
	/* after every free above, for the teardown's wait */
	atomic_fetch_sub_release(&rt_batches_inflight, 1);
}

static void
rt_batch_flush(struct rt_thread *t)
{
	struct rt_free_batch *b = t->batch;

	if (b == NULL || b->n == 0)
		return;
	t->batch = NULL;
	/* call_rcu's queue is invisible to TSan: publish the contents */
	smp_store_release(&b->n, b->n);
	atomic_fetch_add_relaxed(&rt_batches_inflight, 1);
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
			if (!release ||
			    atomic_sub_return(&rt->dst.__refcnt, 1) == 0) {
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
	int v = READ_ONCE(dst->__refcnt);

	do {
		if (v == 0)
			return 0;
	} while (!try_cmpxchg(&dst->__refcnt, &v, v + 1));
	return 1;
}

void
dst_release(struct dst_entry *dst)
{
	if (atomic_sub_return(&dst->__refcnt, 1) == 0)
		rt_defer((struct rtable *)dst, 0);
}

void
rt_cache_quiescent(void)
{
	struct rt_thread *t = rt_self;

	if (t != NULL)
		rt_batch_flush(t);
	rcu_tsan_release();
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
	    smp_load_acquire(&rt_batches_inflight) > 0; i++) {
		/* an online waiter would hold up the grace period */
		if (rcu_read_ongoing())
			rcu_quiescent_state();
		usleep(1000);
	}
}

/* Unlink-side free: drop the table's reference after a grace period. */
static void
rt_free(struct rtable *rt)
{
	WRITE_ONCE(rt->dst.obsolete, DST_OBSOLETE_DEAD);
	atomic_fetch_sub_relaxed(&rt_hashed, 1);
	rt_defer(rt, 1);
}

/* ------------------------------------------------------------ genid */

/* The generation a lookup must match (see rt_genid_current). */
uint32_t
rt_cache_genid(void)
{
	return rt_genid_current();
}

void
rt_cache_flush(int delay)
{
	fib_bump_genid();
	if (delay >= 0)
		rt_do_flush();
}

/* ------------------------------------------------------------- hash */

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

/* A key with nothing but addresses and an interface fits a slot. */
static inline int
rt_key_plain(const struct rtable *k)
{
	return (k->rt_mark | k->rt_uid | k->rt_key_tos | k->rt_proto |
	    k->rt_sport | k->rt_dport) == 0;
}

/*
 * Slot writers hold the bucket lock.  A slot's k1 is also its valid mark:
 * a writer sets it to RT_SLOT_K1_NONE first, then moves the sequence
 * count once, then writes the rest, and the key last; so a reader that
 * matched k1 and then finds the count unchanged read one entry's key and
 * rtable (the argument is at rt_slot_find).
 *
 * Entries are slotted only while no rule selects on uid, protocol or
 * ports, which lets the hit path skip that test (see flow_plain): the
 * entry's generation was read before fib_rules_key_fields is read here,
 * and a rule change sets the fields before it bumps the generation.
 */
static void
rt_slot_add(struct rt_hash_bucket *b, struct rtable *rt)
{
	int input = rt->rt_route_iif != 0;
	uint64_t k1 = rt_slot_k1(rt->rt_key_dst, rt->rt_key_src);
	uint64_t k1_old = b->slot[0].k1;

	if (!rt_key_plain(rt) || k1 == RT_SLOT_K1_NONE ||
	    READ_ONCE(fib_rules_key_fields) != 0)
		return;
	smp_store_release(&b->slot[0].k1, RT_SLOT_K1_NONE);
	smp_store_release(&b->slot[1].k1, RT_SLOT_K1_NONE);
	smp_store_release(&b->seq, b->seq + 1);
	/* newest first: slot 0 moves to slot 1 */
	smp_store_release(&b->slot[1].k2, b->slot[0].k2);
	smp_store_release(&b->slot[1].rt, b->slot[0].rt);
	smp_store_release(&b->sflags[1], READ_ONCE(b->sflags[0]));
	smp_store_release(&b->slot[0].k2, rt_slot_k2(input ? rt->rt_route_iif :
	    rt->rt_oif, input, rt->rt_genid));
	smp_store_release(&b->slot[0].rt, rt);
	smp_store_release(&b->sflags[0], 0);
	smp_store_release(&b->slot[1].k1, k1_old);
	smp_store_release(&b->slot[0].k1, k1);
}

/* Writer: @rt leaves the bucket; forget its slot. */
static void
rt_slot_del(struct rt_hash_bucket *b, const struct rtable *rt)
{
	int i;

	for (i = 0; i < RT_SLOTS; i++) {
		if (b->slot[i].rt != rt)
			continue;
		smp_store_release(&b->slot[i].k1, RT_SLOT_K1_NONE);
		smp_store_release(&b->seq, b->seq + 1);
		smp_store_release(&b->slot[i].rt, NULL);
		smp_store_release(&b->slot[i].k2, 0);
	}
}

/*
 * Writer (bucket lock held): slot hits since the last look become the
 * entries' last use, so eviction and expiry see them.
 */
static void
rt_slot_harvest(struct rt_hash_bucket *b)
{
	uint32_t j = READ_ONCE(rt_ro.jiffies);
	int i;

	for (i = 0; i < RT_SLOTS; i++) {
		uint8_t f = READ_ONCE(b->sflags[i]);
		struct rtable *rt = b->slot[i].rt;

		if (!(f & RT_SLOT_USED))
			continue;
		WRITE_ONCE(b->sflags[i], (uint8_t)(f & ~RT_SLOT_USED));
		if (rt != NULL && READ_ONCE(rt->dst.lastuse) != j) {
			WRITE_ONCE(rt->dst.lastuse, j);
			WRITE_ONCE(rt->dst.__use, READ_ONCE(rt->dst.__use) + 1);
		}
	}
}

/* Unlink @rth, found at *@rthp in bucket @b, and free it. */
static void
rt_unlink(struct rt_hash_bucket *b, struct rtable **rthp, struct rtable *rth)
{
	rcu_assign_pointer(*rthp, rth->dst.rt_next);
	rt_slot_del(b, rth);
	rt_free(rth);
}

/* Refresh last use on a sample of hits (writes the entry's first line). */
void
rt_touch_slow(struct rtable *rth)
{
	uint32_t j = READ_ONCE(rt_ro.jiffies);

	if (READ_ONCE(rth->dst.lastuse) != j) {
		WRITE_ONCE(rth->dst.lastuse, j);
		WRITE_ONCE(rth->dst.__use, READ_ONCE(rth->dst.__use) +
		    RT_TOUCH_SAMPLE);
	}
}

static inline void
rt_touch(struct rt_thread *t, struct rtable *rth)
{
	if ((++t->hits & (RT_TOUCH_SAMPLE - 1)) == 0)
		rt_touch_slow(rth);
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

	if (rt_key_plain(key)) {
		rth = rt_slot_find(h, rt_slot_k1(key->rt_key_dst,
		    key->rt_key_src), rt_slot_k2(input ? key->rt_route_iif :
		    key->rt_oif, input, genid));
		if (rth != NULL)
			return rth;
	}
	for (rth = rcu_dereference(rt_ro.table[h].chain); rth != NULL;
	    rth = rcu_dereference(rth->dst.rt_next)) {
		if (rth->rt_genid == genid && compare_keys(rth, key)) {
			rt_touch(t, rth);
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
	uint64_t h = ((uint64_t)rt->rt_key_dst << 32 | rt->rt_key_src) ^
	    0x5851f42d4c957f2dULL;

	h = (h ^ ((uint64_t)(uint32_t)rt->rt_route_iif << 32 |
	    (uint32_t)rt->rt_oif)) * 0x9e3779b97f4a7c15ULL;
	h = (h ^ ((uint64_t)rt->rt_mark << 32 | rt->rt_uid)) *
	    0xbf58476d1ce4e5b9ULL;
	h = (h ^ ((uint64_t)rt->rt_key_tos << 40 | (uint64_t)rt->rt_proto << 32 |
	    (uint32_t)rt->rt_sport << 16 | rt->rt_dport)) *
	    0x94d049bb133111ebULL;
	return (uint32_t)(h >> 32);
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
	epoch = READ_ONCE(rt_admit_epoch);
	want = (uint16_t)(((epoch & 0xf) << 12) | ((h >> 20) & 0xfff));
	have = READ_ONCE(rt_admit_filter[idx]);
	if (have == want)
		return 1;
	WRITE_ONCE(rt_admit_filter[idx], (uint16_t)want);
	/* a window is about half a filter of distinct misses */
	if (++rt_self->misses >= 256) {
		unsigned long m = atomic_add_return_relaxed(&rt_admit_misses,
		    rt_self->misses);

		rt_self->misses = 0;
		if (m >= (1UL << (RT_ADMIT_BITS - 1))) {
			WRITE_ONCE(rt_admit_misses, 0);
			epoch = (epoch + 1) & 0xf;
			WRITE_ONCE(rt_admit_epoch, epoch ? epoch : 1);
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
	rt->dst.lastuse = READ_ONCE(rt_ro.jiffies);
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
	uint32_t age = READ_ONCE(rt_ro.jiffies) -
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
	uint32_t genid = rt->rt_genid, min_score = ~0U, cur;
	unsigned int chain_length = 0, slow_length = 0;
	pthread_mutex_t *lock;

	if (rt_cfg.disabled || rt_rebuild_count > RT_REBUILD_LIMIT ||
	    (rt->dst.flags & DST_NOCACHE) ||
	    (!(rt->dst.flags & DST_KERNEL_LEG) && !rt_admit(rt)))
		goto nocache;
restart:
	lock = &rt_hash_locks[h & (RT_HASH_LOCKS - 1)];
	pthread_mutex_lock(lock);
	cur = rt_cache_genid();
	rt_slot_harvest(&rt_ro.table[h]);
	rthp = &rt_ro.table[h].chain;
	while ((rth = *rthp) != NULL) {
		if (rth->rt_genid != cur) {
			/* stale: reclaim as we pass */
			rt_unlink(&rt_ro.table[h], rthp, rth);
			continue;
		}
		if (compare_keys(rth, rt)) {
			/* Lost a race: move it to the head and use it. */
			rcu_assign_pointer(*rthp, rth->dst.rt_next);
			rcu_assign_pointer(rth->dst.rt_next, rt_ro.table[h].chain);
			rcu_assign_pointer(rt_ro.table[h].chain, rth);
			pthread_mutex_unlock(lock);
			rt_drop_unpublished(rt);
			return rth;
		}
		if (READ_ONCE(rth->dst.__refcnt) == 1) {
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

			for (p = rt_ro.table[h].chain; p != rth;
			    p = p->dst.rt_next)
				if (compare_hash_inputs(p, rth))
					break;
			if (p == rth)
				slow_length++;
		}
		rthp = &rth->dst.rt_next;
	}
	if (cand != NULL) {
		if (chain_length > rt_cfg.gc_elasticity)
			rt_unlink(&rt_ro.table[h], candp, cand);
	} else if (chain_length > rt_chain_length_max &&
	    slow_length > rt_chain_length_max) {
		/* Everything held and the chain still too long: rebuild. */
		pthread_mutex_unlock(lock);
		if (++rt_rebuild_count > RT_REBUILD_LIMIT)
			goto nocache;
		rt_cache_flush(-1);
		genid = rt_cache_genid();
		rt->rt_genid = genid;
		h = rt_key_hash(rt, genid);
		goto restart;
	}
	rt->rt_hash = h;
	rt->dst.__refcnt = 1;			/* the table's reference */
	rcu_assign_pointer(rt->dst.rt_next, rt_ro.table[h].chain);
	rcu_assign_pointer(rt_ro.table[h].chain, rt);
	rt_slot_add(&rt_ro.table[h], rt);
	atomic_fetch_add_relaxed(&rt_hashed, 1);
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

	if (READ_ONCE(rth->dst.__refcnt) > 1)
		return 0;
	age = READ_ONCE(rt_ro.jiffies) -
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

	if (READ_ONCE(rt_ro.table[i].chain) == NULL)
		return 0;
	pthread_mutex_lock(lock);
	rt_slot_harvest(&rt_ro.table[i]);
	rthp = &rt_ro.table[i].chain;
	while ((rth = *rthp) != NULL) {
		if (all || rth->rt_genid != genid ||
		    rt_may_expire(rth, tmo, tmo2)) {
			rt_unlink(&rt_ro.table[i], rthp, rth);
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

	for (i = 0; i <= rt_ro.mask; i++)
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
	goal = (long)entries - (long)((unsigned long)rt_cfg.gc_elasticity *
	    rt_cache_buckets());
	if (goal <= 0) {
		if (gc_equilibrium < rt_cfg.gc_thresh)
			gc_equilibrium = rt_cfg.gc_thresh;
		goal = (long)entries - (long)gc_equilibrium;
		if (goal > 0) {
			long add = goal / 2;

			if (add > (long)rt_cache_buckets())
				add = rt_cache_buckets();
			gc_equilibrium += (unsigned long)add;
			goal = (long)entries - (long)gc_equilibrium;
		}
	} else {
		goal /= 2;
		if (goal < (long)rt_cache_buckets())
			goal = rt_cache_buckets();
		gc_equilibrium = entries - (unsigned long)goal;
	}
	if (now - gc_last >= min_iv)
		gc_last = now;
	if (goal <= 0) {
		/* the kernel's "equilibrium += goal": down to where we are */
		gc_equilibrium -= (unsigned long)(-goal);
		goto work_done;
	}
	do {
		unsigned int k;

		for (k = 0; k <= rt_ro.mask && goal > 0; k++) {
			gc_rover = (gc_rover + 1) & rt_ro.mask;
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

	if (rt_ro.table == NULL)
		return;
	if (pthread_mutex_trylock(&rt_gc_lock) != 0)
		return;
	if (expire_last == 0)
		expire_last = now;
	goal = (unsigned long)(now - expire_last) * rt_cache_buckets() /
	    (timeout ? timeout : 1);
	if (goal > rt_cache_buckets())
		goal = rt_cache_buckets();
	if (goal)
		expire_last = now;
	for (i = 0; i < goal; i++) {
		expire_rover = (expire_rover + 1) & rt_ro.mask;
		rt_scan_bucket(expire_rover, timeout, timeout, 0);
	}
	/*
	 * Beyond 2.6: after an invalidation the old generation is garbage.
	 * Reclaim it an eighth of the table per call, so a flapping link
	 * does not keep a cache's worth of dead entries until gc_timeout.
	 */
	if (stale_sweep_left == 0 && rt_cache_hashed() > 0 &&
	    rt_cache_genid() != stale_sweep_genid) {
		stale_sweep_genid = rt_cache_genid();
		stale_sweep_left = rt_cache_buckets();
	}
	for (i = 0; i < rt_cache_buckets() / 8 + 1 && stale_sweep_left > 0;
	    i++, stale_sweep_left--) {
		stale_rover = (stale_rover + 1) & rt_ro.mask;
		rt_scan_bucket(stale_rover, ~0U, ~0U, 0);
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

/* The largest bucket that @n keys (@key(i) for i < n) fill; @cnt is
 * zeroed, one byte a bucket, and left so. */
static unsigned int
rt_spread(unsigned char *cnt, unsigned int n, uint64_t (*key)(unsigned int))
{
	unsigned int i, max = 0;

	for (i = 0; i < n; i++) {
		unsigned int h = rt_hash_word(key(i));

		if (cnt[h] < 255 && ++cnt[h] > max)
			max = cnt[h];
	}
	for (i = 0; i < n; i++)
		cnt[rt_hash_word(key(i))] = 0;	/* clean for the next set */
	return max;
}

static uint64_t seq_dst(unsigned int i) { return htonl(0x0a000000 + i); }
static uint64_t seq_src(unsigned int i) { return (uint64_t)htonl(0x0a000000 + i) << 32; }
static uint64_t last_octet(unsigned int i) { return (uint64_t)(i & 255) << 24; }

/*
 * rt_pick_multiplier - the hash's odd multiplier, random so that no one
 * can choose flows that share a bucket.  A multiplicative hash spreads
 * consecutive keys more evenly than chance for almost every multiplier,
 * and badly for a few (those close to a fraction with a small
 * denominator: about 1 in 3,000 puts 21 of 128 consecutive addresses in
 * one bucket of 1,024).  Consecutive addresses are what clients of one
 * subnet are, so a multiplier that piles them up is drawn again.
 */
static void
rt_pick_multiplier(unsigned int buckets)
{
	uint64_t (*const sets[])(unsigned int) = { seq_dst, seq_src,
	    last_octet };
	unsigned int n = buckets < 65536 ? buckets : 65536, k, tries, s;
	unsigned char *cnt = calloc(buckets, 1);

	for (tries = 0; tries < 32; tries++) {
		if (getrandom(&rt_ro.rnd, sizeof(rt_ro.rnd), GRND_NONBLOCK) !=
		    (ssize_t)sizeof(rt_ro.rnd))
			rt_ro.rnd = (uint64_t)random() << 33 ^
			    (uint64_t)random() << 11 ^ (uint64_t)random() ^
			    (uint64_t)time(NULL);
		rt_ro.rnd |= 1;
		if (cnt == NULL)
			break;
		for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
			k = sets[s] == last_octet && n > 256 ? 256 : n;
			if (rt_spread(cnt, k, sets[s]) > 4 + 2 * k / buckets)
				break;
		}
		if (s == sizeof(sets) / sizeof(sets[0]))
			break;
	}
	free(cnt);
}

/**
 * rt_cache_init - create ip_dst_cache and the hash table.
 * Return: 0, -EINVAL (bucket count 1, not a power of two, or over 2^26),
 * -EBUSY (already set up) or -ENOMEM.
 */
int
rt_cache_init(const struct rt_cache_config *cfg)
{
	struct rt_cache_config c;
	unsigned int i;

	if (rt_ro.table != NULL)
		return -EBUSY;
	memset(&c, 0, sizeof(c));
	if (cfg != NULL)
		c = *cfg;
	if (c.hash_buckets & (c.hash_buckets - 1) || c.hash_buckets == 1 ||
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
	/* from kvzalloc: on huge pages where the system has them, since a
	 * hit's bucket is one line anywhere in tens of MiB */
	rt_ro.table = kvzalloc_huge((size_t)c.hash_buckets * sizeof(*rt_ro.table));
	if (rt_ro.table == NULL)
		goto fail;
	for (i = 0; i < RT_HASH_LOCKS; i++)
		pthread_mutex_init(&rt_hash_locks[i], NULL);
	rt_ro.mask = c.hash_buckets - 1;
	rt_ro.shift = (unsigned int)__builtin_clzll(c.hash_buckets) + 1;
	rt_pick_multiplier(c.hash_buckets);
	rt_cfg = c;
	gc_expire = c.gc_timeout_s * RT_HZ;
	gc_equilibrium = 0;
	rt_rebuild_count = 0;
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
	struct rt_thread *t;

	if (rt_ro.table == NULL)
		return;
	rt_do_flush();
	pthread_mutex_lock(&rt_threads_lock);
	for (t = rt_threads; t != NULL; t = t->next)
		if (t != rt_self)
			rt_batch_flush(t);	/* threads are gone or idle */
	pthread_mutex_unlock(&rt_threads_lock);
	rt_cache_synchronize();
	kvfree(rt_ro.table);
	rt_ro.table = NULL;
	free(rt_admit_filter);
	rt_admit_filter = NULL;
	kmem_cache_destroy(rt_batch_cache);
	kmem_cache_destroy(ip_dst_cache);
	ip_dst_cache = rt_batch_cache = NULL;
	/* The threads' states stay, emptied: another thread's rt_self still
	 * points at its own, and a cache made again (an embedded user's
	 * close and open) takes it up as it is. */
	pthread_mutex_lock(&rt_threads_lock);
	for (t = rt_threads; t != NULL; t = t->next) {
		struct rt_thread *next = t->next;
		int index = t->index;

		memset(t, 0, sizeof(*t));
		t->next = next;
		t->index = index;
	}
	rt_entries = 0;
	rt_hashed = 0;
	pthread_mutex_unlock(&rt_threads_lock);
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
			dst[i] += READ_ONCE(src[i]);
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
			    READ_ONCE(c[j]));
		fputc(' ', out);
		for (j = 7; j < RT_CACHE_STAT_FIELDS; j++)
			fprintf(out, "%08x ", (unsigned int)
			    READ_ONCE(c[j]));
		fputc('\n', out);
	}
	pthread_mutex_unlock(&rt_threads_lock);
	free(v);
	return ferror(out) ? -EIO : 0;
}

/**
 * rt_cache_show_step - /proc/net/rt_cache (the header, then the entries
 * of the current generation, from the last bucket down as the kernel
 * reads them, lines padded to 127 columns) in steps of about @max bytes
 * (0: all at once).  *@pos starts at 0 and counts the
 * buckets printed.  The caller is online.  Return: 1 when there is more,
 * 0 at the end, -EIO.
 */
int
rt_cache_show_step(FILE *out, uint64_t *pos, size_t max)
{
	uint32_t genid = rt_cache_genid();
	long start = ftell(out);
	char line[160];

	if (*pos == 0)
		fprintf(out, "%-127s\n", "Iface\tDestination\tGateway \tFlags"
		    "\t\tRefCnt\tUse\tMetric\tSource\t\tMTU\tWindow\tIRTT\t"
		    "TOS\tHHRef\tHHUptod\tSpecDst");
	if (rt_ro.table == NULL)
		return 0;
	while (*pos <= rt_ro.mask) {
		const struct rtable *r;

		for (r = rcu_dereference(rt_ro.table[rt_ro.mask - *pos].chain);
		    r != NULL; r = rcu_dereference(r->dst.rt_next)) {
			if (r->rt_genid != genid)
				continue;
			snprintf(line, sizeof(line), "%s\t%08X\t%08X\t%8X\t%d\t"
			    "%u\t%u\t%08X\t%d\t%u\t%u\t%02X\t%d\t%u\t%08X",
			    r->dst.dev ? r->dst.dev->name : "*", r->rt_dst,
			    r->rt_gateway ? r->rt_gateway : r->rt_dst,
			    r->rt_flags,
			    READ_ONCE(r->dst.__refcnt) - 1,
			    READ_ONCE(r->dst.__use), 0, r->rt_src,
			    r->rt_pmtu ? (int)r->rt_pmtu : 0, 0, 0,
			    r->rt_key_tos, -1, 0, r->rt_spec_dst);
			fprintf(out, "%-127s\n", line);
		}
		if (++*pos <= rt_ro.mask && max != 0 &&
		    (size_t)(ftell(out) - start) >= max)
			return ferror(out) ? -EIO : 1;
	}
	return ferror(out) ? -EIO : 0;
}

int
rt_cache_show(FILE *out)
{
	uint64_t pos = 0;

	return rt_cache_show_step(out, &pos, 0);
}

/*
 * rt_cache_chains - chain statistics of the current table: the longest
 * chain and the number of non-empty buckets (for tests and benchmarks).
 */
void
rt_cache_chains(unsigned int *longest, unsigned long *used,
    unsigned long *entries)
{
	unsigned int i;

	*longest = 0;
	*used = *entries = 0;
	for (i = 0; rt_ro.table != NULL && i <= rt_ro.mask; i++) {
		struct rtable *r;
		unsigned int n = 0;

		for (r = rcu_dereference(rt_ro.table[i].chain); r != NULL;
		    r = rcu_dereference(r->dst.rt_next))
			n++;
		if (n > *longest)
			*longest = n;
		*used += n != 0;
		*entries += n;
	}
}
