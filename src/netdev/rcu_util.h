/* SPDX-License-Identifier: MIT */
/*
 * netdev/rcu_util.h - the RCU pointer and shared-field accessors of the
 * netdev and fib modules, and their deferred-free queue.
 *
 * Readers load published pointers with acquire semantics and the writer
 * publishes with release stores: the same ordering as rcu_dereference and
 * rcu_assign_pointer, spelt with compiler atomics so that ThreadSanitizer
 * sees it.  Fields the writer changes after publication (flags, bounds)
 * are read and written with relaxed atomics.  Objects unlinked by the
 * writer go through rcu_defer_free(), which batches them and hands each
 * batch to call_rcu.
 */
#ifndef RTCACHE_RCU_UTIL_H
#define RTCACHE_RCU_UTIL_H

#include <stddef.h>

/* RCU_TSAN: 1 in ThreadSanitizer builds, where lock-free readers use
 * atomic scalar loads only (TSan does not model vector loads inside a
 * sequence count, nor fences). */
#if defined(__SANITIZE_THREAD__)
#define RCU_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RCU_TSAN 1
#endif
#endif
#ifndef RCU_TSAN
#define RCU_TSAN 0
#endif

struct kmem_cache;

#define RCU_LOAD(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define RCU_STORE(p, v)		__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define READ_SHARED(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_SHARED(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* Free @obj into @cache (NULL: free()) after a grace period. */
void	 rcu_defer_free(struct kmem_cache *cache, void *obj);
/* kvfree @obj (from kvzalloc) after a grace period. */
void	 rcu_defer_kvfree(void *obj);
/* Hand the pending batch to call_rcu (the writer, after each change). */
void	 rcu_defer_flush(void);
/* Wait for every deferred free to have run (teardown). */
void	 rcu_defer_barrier(void);
/* TSan: make a reader's quiescent state visible to the freeing thread. */
void	 rcu_tsan_release(void);
void	 rcu_tsan_acquire(void);

#endif /* RTCACHE_RCU_UTIL_H */
