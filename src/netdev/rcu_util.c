/* SPDX-License-Identifier: MIT */
/*
 * rcu_util.c - deferred freeing for the netdev and fib writers.
 *
 * The writer collects unlinked objects in a batch (a fixed array of
 * cache/object pairs, itself a kmem_cache object); a full batch, or the
 * pending one at the end of each writer call, is handed to call_rcu and
 * its objects go back to their caches once every reader has passed a
 * quiescent state.  Batching keeps the rcu_head out of every FIB object.
 */
#include <stdlib.h>
#include <unistd.h>
#include <urcu-qsbr.h>

#include "rtcache/slab.h"
#include "netdev/rcu_util.h"

#define RCU_BATCH_SIZE	250

struct rcu_batch {
	struct rcu_head	 head;
	unsigned int	 n;
	struct {
		struct kmem_cache *cache;
		void		*obj;
	} ent[RCU_BATCH_SIZE];
};

/* the "cache" of objects that kvfree gives back */
#define RCU_KVFREE	((struct kmem_cache *)1)

static struct kmem_cache *rcu_batch_cache;
static struct rcu_batch *rcu_pending;
static unsigned long rcu_tsan_clock;
static long rcu_inflight;	/* batches handed to call_rcu, not yet run */

void
rcu_tsan_release(void)
{
#if RCU_TSAN
	__atomic_fetch_add(&rcu_tsan_clock, 1, __ATOMIC_RELEASE);
#endif
}

void
rcu_tsan_acquire(void)
{
	(void)__atomic_load_n(&rcu_tsan_clock, __ATOMIC_ACQUIRE);
}

static void
rcu_free_now(struct kmem_cache *cache, void *obj)
{
	if (cache == RCU_KVFREE)
		kvfree(obj);
	else if (cache != NULL)
		kmem_cache_free(cache, obj);
	else
		free(obj);
}

static void
rcu_batch_run(struct rcu_head *head)
{
	struct rcu_batch *b = caa_container_of(head, struct rcu_batch, head);
	unsigned int i;

	rcu_tsan_acquire();
	for (i = 0; i < b->n; i++)
		rcu_free_now(b->ent[i].cache, b->ent[i].obj);
	kmem_cache_free(rcu_batch_cache, b);
}

static void
rcu_batch_cb(struct rcu_head *head)
{
	rcu_batch_run(head);
	/* after the frees, for rcu_defer_barrier's wait */
	__atomic_sub_fetch(&rcu_inflight, 1, __ATOMIC_RELEASE);
}

static struct rcu_batch *
rcu_batch_get(void)
{
	if (rcu_batch_cache == NULL) {
		rcu_batch_cache = kmem_cache_create("rcu_batch",
		    sizeof(struct rcu_batch), 0, SLAB_PANIC, NULL);
	}
	if (rcu_pending == NULL) {
		rcu_pending = kmem_cache_alloc(rcu_batch_cache, 0);
		if (rcu_pending == NULL)
			return NULL;
		rcu_pending->n = 0;
	}
	return rcu_pending;
}

void
rcu_defer_free(struct kmem_cache *cache, void *obj)
{
	struct rcu_batch *b;

	if (obj == NULL)
		return;
	if ((b = rcu_batch_get()) == NULL) {
		/* no memory for a batch: wait here instead */
		synchronize_rcu();
		rcu_tsan_acquire();
		rcu_free_now(cache, obj);
		return;
	}
	b->ent[b->n].cache = cache;
	b->ent[b->n].obj = obj;
	if (++b->n == RCU_BATCH_SIZE)
		rcu_defer_flush();
}

void
rcu_defer_kvfree(void *obj)
{
	rcu_defer_free(RCU_KVFREE, obj);
}

void
rcu_defer_flush(void)
{
	struct rcu_batch *b = rcu_pending;

	if (b == NULL || b->n == 0)
		return;
	rcu_pending = NULL;
	rcu_tsan_release();	/* the batch's contents, for TSan */
	__atomic_add_fetch(&rcu_inflight, 1, __ATOMIC_RELAXED);
	call_rcu(&b->head, rcu_batch_cb);
}

/*
 * Teardown: free the pending batch after a grace period, here, and wait
 * (bounded, about 30 s) for the batches already handed to call_rcu, so
 * nothing is freed into a cache after it is destroyed.  rcu_barrier
 * would do, but its bookkeeping is invisible to TSan.  The caller is a
 * registered thread.
 */
void
rcu_defer_barrier(void)
{
	struct rcu_batch *b = rcu_pending;
	int i;

	if (b != NULL) {
		rcu_pending = NULL;
		synchronize_rcu();
		rcu_batch_run(&b->head);
	}
	for (i = 0; i < 30000 &&
	    __atomic_load_n(&rcu_inflight, __ATOMIC_ACQUIRE) > 0; i++) {
		/* an online waiter would hold up the grace period */
		if (rcu_read_ongoing())
			rcu_quiescent_state();
		usleep(1000);
	}
}
