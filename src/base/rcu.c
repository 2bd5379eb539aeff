/* SPDX-License-Identifier: MIT */
/*
 * base/rcu.c - deferred calls for the RCU writer.
 *
 * The writer collects (function, argument, object) triples in a batch; a
 * full batch, or the pending one at the end of each writer call, is handed
 * to call_rcu, and its calls run once every reader has passed a quiescent
 * state.  Batching keeps the rcu_head out of every FIB object.  Batches
 * come from malloc: one serves RCU_BATCH_SIZE objects.
 */
#include <stdlib.h>
#include <unistd.h>

#include "base/rcu.h"

#define RCU_BATCH_SIZE	250

struct rcu_batch {
	struct rcu_head	 head;
	unsigned int	 n;
	struct {
		void	(*fn)(void *, void *);
		void	*arg;
		void	*obj;
	} ent[RCU_BATCH_SIZE];
};

static struct rcu_batch *rcu_pending;
static unsigned long rcu_tsan_clock;
static long rcu_inflight;	/* batches handed to call_rcu, not yet run */

void
rcu_tsan_release(void)
{
#if RTCACHE_TSAN
	atomic_fetch_add_release(&rcu_tsan_clock, 1);
#endif
}

void
rcu_tsan_acquire(void)
{
	(void)smp_load_acquire(&rcu_tsan_clock);
}

static void
rcu_batch_run(struct rcu_head *head)
{
	struct rcu_batch *b = caa_container_of(head, struct rcu_batch, head);
	unsigned int i;

	rcu_tsan_acquire();
	for (i = 0; i < b->n; i++)
		b->ent[i].fn(b->ent[i].arg, b->ent[i].obj);
	free(b);
}

static void
rcu_batch_cb(struct rcu_head *head)
{
	rcu_batch_run(head);
	/* after the calls, for rcu_defer_barrier's wait */
	atomic_sub_return_release(&rcu_inflight, 1);
}

void
rcu_defer(void (*fn)(void *, void *), void *arg, void *obj)
{
	struct rcu_batch *b = rcu_pending;

	if (obj == NULL)
		return;
	if (b == NULL && (b = malloc(sizeof(*b))) != NULL) {
		b->n = 0;
		rcu_pending = b;
	}
	if (b == NULL) {
		/* no memory for a batch: wait here instead */
		synchronize_rcu();
		rcu_tsan_acquire();
		fn(arg, obj);
		return;
	}
	b->ent[b->n].fn = fn;
	b->ent[b->n].arg = arg;
	b->ent[b->n].obj = obj;
	if (++b->n == RCU_BATCH_SIZE)
		rcu_defer_flush();
}

static void
free_cb(void *arg, void *obj)
{
	(void)arg;
	free(obj);
}

void
free_rcu(void *obj)
{
	rcu_defer(free_cb, NULL, obj);
}

void
rcu_defer_flush(void)
{
	struct rcu_batch *b = rcu_pending;

	if (b == NULL || b->n == 0)
		return;
	rcu_pending = NULL;
	rcu_tsan_release();	/* the batch's contents, for TSan */
	atomic_add_return_relaxed(&rcu_inflight, 1);
	call_rcu(&b->head, rcu_batch_cb);
}

/*
 * Teardown: run the pending batch after a grace period, here, and wait
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
	for (i = 0; i < 30000 && smp_load_acquire(&rcu_inflight) > 0; i++) {
		/* an online waiter would hold up the grace period */
		if (rcu_read_ongoing())
			rcu_quiescent_state();
		usleep(1000);
	}
}
