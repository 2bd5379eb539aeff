/* SPDX-License-Identifier: MIT */
/*
 * rtcache/compiler.h - the one vocabulary for memory ordering, with the
 * kernel's names (the public part of src/base).
 *
 * READ_ONCE / WRITE_ONCE are single, untorn accesses of a shared scalar
 * with no ordering (the kernel's include/linux/compiler.h);
 * smp_load_acquire / smp_store_release order them (the kernel's
 * asm-generic/barrier.h); the atomic_* read-modify-write forms follow the
 * kernel's atomic_t operations and ordering suffixes, on plain integer
 * objects.  They are spelt with C11 <stdatomic.h> on the object viewed as
 * _Atomic, so that GCC, clang and ThreadSanitizer all see atomic accesses
 * and the header needs nothing but the C library.  Only scalars and
 * pointers may be passed.  RCU pointer accessors (rcu_dereference,
 * rcu_assign_pointer) are in src/base/rcu.h, on top of liburcu.
 */
#ifndef RTCACHE_COMPILER_H
#define RTCACHE_COMPILER_H

#include <stdatomic.h>

/* RTCACHE_TSAN: 1 in ThreadSanitizer builds, where lock-free readers use
 * atomic scalar loads only (TSan does not model vector loads inside a
 * sequence count, nor fences). */
#if defined(__SANITIZE_THREAD__)
#define RTCACHE_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define RTCACHE_TSAN 1
#endif
#endif
#ifndef RTCACHE_TSAN
#define RTCACHE_TSAN 0
#endif

/* the object @x seen as an atomic one of the same type */
#define __rtc_atomic(x)		((_Atomic __typeof__(x) *)&(x))

#define READ_ONCE(x)		\
	atomic_load_explicit(__rtc_atomic(x), memory_order_relaxed)
#define WRITE_ONCE(x, v)	\
	atomic_store_explicit(__rtc_atomic(x), (v), memory_order_relaxed)

/* @p points at the object, as in the kernel */
#define smp_load_acquire(p)	\
	atomic_load_explicit(__rtc_atomic(*(p)), memory_order_acquire)
#define smp_store_release(p, v)	\
	atomic_store_explicit(__rtc_atomic(*(p)), (v), memory_order_release)

/*
 * Read-modify-write on the integer *@p.  No suffix: fully ordered;
 * _relaxed, _acquire, _release: as in the kernel.  The add_return forms
 * give the new value, the fetch_ forms the old one.
 */
#define __rtc_rmw(op, p, v, mo)	\
	atomic_##op##_explicit(__rtc_atomic(*(p)), (v), (mo))

#define atomic_fetch_add_relaxed(p, v)	__rtc_rmw(fetch_add, p, v, memory_order_relaxed)
#define atomic_fetch_add_release(p, v)	__rtc_rmw(fetch_add, p, v, memory_order_release)
#define atomic_fetch_sub_relaxed(p, v)	__rtc_rmw(fetch_sub, p, v, memory_order_relaxed)
#define atomic_fetch_sub_release(p, v)	__rtc_rmw(fetch_sub, p, v, memory_order_release)
#define atomic_fetch_or_relaxed(p, v)	__rtc_rmw(fetch_or, p, v, memory_order_relaxed)
#define atomic_xchg(p, v)		\
	atomic_exchange_explicit(__rtc_atomic(*(p)), (v), memory_order_seq_cst)

#define __rtc_rmw_return(op, sign, p, v, mo) __extension__ ({	\
	__typeof__(*(p)) __rtc_v = (v);					\
	(__typeof__(*(p)))(__rtc_rmw(op, p, __rtc_v, mo) sign __rtc_v);	\
})
#define atomic_add_return(p, v)		__rtc_rmw_return(fetch_add, +, p, v, memory_order_seq_cst)
#define atomic_add_return_relaxed(p, v)	__rtc_rmw_return(fetch_add, +, p, v, memory_order_relaxed)
#define atomic_add_return_release(p, v)	__rtc_rmw_return(fetch_add, +, p, v, memory_order_release)
#define atomic_sub_return(p, v)		__rtc_rmw_return(fetch_sub, -, p, v, memory_order_seq_cst)
#define atomic_sub_return_relaxed(p, v)	__rtc_rmw_return(fetch_sub, -, p, v, memory_order_relaxed)
#define atomic_sub_return_release(p, v)	__rtc_rmw_return(fetch_sub, -, p, v, memory_order_release)

/* Store @new in *@p if it equals *@oldp: true when stored, else false with
 * the value seen written into *@oldp (the kernel's try_cmpxchg). */
#define try_cmpxchg(p, oldp, new)	\
	atomic_compare_exchange_strong_explicit(__rtc_atomic(*(p)), (oldp), \
	    (new), memory_order_seq_cst, memory_order_relaxed)

#endif /* RTCACHE_COMPILER_H */
