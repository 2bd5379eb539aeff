/* SPDX-License-Identifier: MIT */
/*
 * base/rcu.h - RCU for the whole tree: liburcu's QSBR flavour, its
 * rcu_dereference and rcu_assign_pointer, and a deferred-free queue.
 *
 * Files include this header instead of <urcu-qsbr.h>.  Readers load
 * published pointers with rcu_dereference and the writer publishes with
 * rcu_assign_pointer, as in the kernel.  In ThreadSanitizer builds
 * rcu_assign_pointer becomes a release store, since liburcu's volatile
 * store is invisible to TSan.  Objects the writer unlinks go through
 * rcu_defer(), which batches them and hands each batch to call_rcu, so no
 * object needs an rcu_head of its own; slab.h adds kmem_cache_free_rcu
 * and kvfree_rcu on top.
 */
#ifndef RTCACHE_BASE_RCU_H
#define RTCACHE_BASE_RCU_H

#include <urcu-qsbr.h>

#include "rtcache/compiler.h"

#if RTCACHE_TSAN
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v)	smp_store_release(&(p), (v))
#endif

/* Call @fn(@arg, @obj) after a grace period (the writer). */
void	 rcu_defer(void (*fn)(void *arg, void *obj), void *arg, void *obj);
/* free(@obj) after a grace period. */
void	 free_rcu(void *obj);
/* Hand the pending batch to call_rcu (the writer, after each change). */
void	 rcu_defer_flush(void);
/* Wait for every deferred call to have run (teardown). */
void	 rcu_defer_barrier(void);
/* TSan: make a reader's quiescent state visible to the freeing thread. */
void	 rcu_tsan_release(void);
void	 rcu_tsan_acquire(void);

#endif /* RTCACHE_BASE_RCU_H */
