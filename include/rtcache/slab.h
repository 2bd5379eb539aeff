/* SPDX-License-Identifier: MIT */
/*
 * rtcache/slab.h - the embedded SLAB allocator (after Linux v5.2 mm/slab.c).
 *
 * Every hot object of rtcached comes from a named kmem_cache.  A cache hands
 * out fixed-size objects carved from slabs of 2^order pages; each thread has
 * its own array_cache (a LIFO stack of free object pointers) per cache, so
 * kmem_cache_alloc and kmem_cache_free are a pop or a push with no lock and
 * no atomic read-modify-write.  Below the arrays sit per-node
 * kmem_cache_nodes (shared array, alien arrays, partial/full/free slab
 * lists) and an mmap-based page provider.  The fast paths are inline here;
 * everything else lives in src/slab/.
 *
 * Functions that can fail return NULL with errno set, or -errno.
 */
#ifndef RTCACHE_SLAB_H
#define RTCACHE_SLAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "rtcache/compiler.h"

/* Cache flags: the kernel's values. */
#define SLAB_RED_ZONE		0x00000400UL	/* guard words around objects */
#define SLAB_POISON		0x00000800UL	/* fill free objects with 0x6b */
#define SLAB_HWCACHE_ALIGN	0x00002000UL	/* align to the cache line */
#define SLAB_STORE_USER		0x00010000UL	/* record the last caller */
#define SLAB_RECLAIM_ACCOUNT	0x00020000UL	/* stop at the first fitting order */
#define SLAB_PANIC		0x00040000UL	/* abort() if creation fails */
#define SLAB_TYPESAFE_BY_RCU	0x00080000UL	/* slab pages freed after a grace period */
#define SLAB_NOLEAKTRACE	0x00800000UL	/* never OFF_SLAB */

#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER)

/* Allocation flags: a plain unsigned integer, 0 is the default. */
typedef unsigned int gfp_t;
#define GFP_KERNEL		0U
#define GFP_ATOMIC		0U
#define __GFP_ZERO		0x100U	/* zero object_size bytes */

#define SLAB_MAX_CACHES		256	/* live caches at once */
#define SLAB_MAX_NODES		64	/* real or simulated NUMA nodes */

/*
 * Per-thread (the kernel: per-CPU) stack of free objects.  Only its owner
 * thread touches avail, touched and entry[]; the statistics are written by
 * the owner with plain stores and read by others with relaxed loads.
 */
struct array_cache {
	unsigned int	 avail;		/* objects in entry[] */
	unsigned int	 limit;		/* capacity */
	unsigned int	 batchcount;	/* objects moved per refill/flush */
	unsigned int	 touched;	/* used since the last reap */
	/* owner-thread statistics */
	unsigned long	 allochit;
	unsigned long	 allocmiss;
	unsigned long	 freehit;
	unsigned long	 freemiss;
	/* bookkeeping for the slow path (src/slab/) */
	struct kmem_cache *cache;
	struct array_cache **owner_slot;	/* the owner's TLS pointer */
	struct array_cache *next;	/* cache's list of thread arrays */
	struct array_cache *prev;
	unsigned int	 node;		/* the owner's node */
	unsigned int	 gen;		/* cache tune generation when made */
	unsigned int	 drain_seen;	/* cache drain generation handled */
	void		*entry[];	/* LIFO: entry[avail - 1] is hottest */
};

struct kmem_cache_node;
struct slab_chunk;

struct kmem_cache {
	/* read by the inline fast paths: keep together */
	unsigned int	 id;		/* index into the thread's array table */
	unsigned int	 object_size;	/* what the creator asked for */
	unsigned long	 flags;		/* SLAB_* plus internal CFLGS_* */
	void		(*ctor)(void *);

	/* geometry (kernel names) */
	unsigned int	 size;		/* buffer size per object */
	unsigned int	 align;
	unsigned int	 num;		/* objects per slab */
	unsigned int	 gfporder;	/* slab = 2^gfporder pages */
	unsigned int	 colour;	/* distinct colour offsets */
	unsigned int	 colour_off;	/* colour step in bytes */
	unsigned int	 freelist_size;	/* num * sizeof(freelist_idx_t) */
	unsigned int	 obj_offset;	/* user object inside the buffer (debug) */
	uint32_t	 reciprocal_buffer_size;

	/* tunables */
	unsigned int	 limit;
	unsigned int	 batchcount;
	unsigned int	 shared;
	unsigned int	 tune_gen;	/* bumped by tune: threads remake arrays */
	unsigned int	 drain_gen;	/* bumped by shrink: threads drain arrays */

	/* statistics kept under the node list locks or the cache mutex */
	unsigned long	 num_active;
	unsigned long	 num_allocations;
	unsigned long	 high_mark;
	unsigned long	 grown;
	unsigned long	 reaped;
	unsigned long	 errors;
	unsigned long	 max_freeable;
	unsigned long	 node_allocs;
	unsigned long	 node_frees;
	unsigned long	 node_overflow;
	/* cpustat of arrays whose threads have gone */
	unsigned long	 retired_allochit;
	unsigned long	 retired_allocmiss;
	unsigned long	 retired_freehit;
	unsigned long	 retired_freemiss;

	char		 name[64];
	struct kmem_cache *next;	/* global list, newest first */
	struct array_cache *arrays;	/* every thread's array for this cache */
	unsigned int	 nr_nodes;
	struct kmem_cache_node *node[SLAB_MAX_NODES];
};

/* Global set-up (optional; defaults: one node, or libnuma's count). */
struct slab_config {
	unsigned int	 sim_nodes;	/* >1: simulate this many nodes */
	size_t		 page_cache_bytes; /* free pages kept mapped per node */
	void		(*report)(const char *msg); /* debug reports; stderr */
	void		(*synchronize_rcu)(void); /* for SLAB_TYPESAFE_BY_RCU */
};
int	 slab_init(const struct slab_config *cfg);
unsigned int slab_nr_nodes(void);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
	    unsigned long flags, void (*ctor)(void *));
int	 kmem_cache_destroy(struct kmem_cache *cachep);
int	 kmem_cache_shrink(struct kmem_cache *cachep);
int	 kmem_cache_tune(struct kmem_cache *cachep, int limit, int batchcount,
	    int shared);
struct kmem_cache *kmem_cache_find(const char *name);

void	*__kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags);
void	 __kmem_cache_free(struct kmem_cache *cachep, void *objp);
void	*kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int node);
size_t	 kmem_cache_alloc_bulk(struct kmem_cache *cachep, gfp_t flags, size_t n,
	    void **objs);
void	 kmem_cache_free_bulk(struct kmem_cache *cachep, size_t n, void **objs);

/* Threads: optional.  A thread that never attaches gets node i mod n. */
int	 slab_thread_attach(int node);	/* -1: pick by CPU / round robin */
void	 slab_thread_detach(void);	/* give every array back */
int	 slab_thread_node(void);

/* Reaping: call about every 2 s from each thread that allocates. */
void	 cache_reap(void);

/* /proc/slabinfo 2.1 (with statistics) and its tune write. */
int	 slabinfo_show(FILE *out);
int	 slabinfo_write(const char *buf, size_t len);

/* Large zeroed tables (own mappings from 1 MiB up; see kvmalloc.c). */
void	*kvzalloc(size_t size);
void	*kvzalloc_huge(size_t size);
void	 kv_advise_huge(void *ptr);
void	 kvfree(void *ptr);
/* kmem_cache_free / kvfree after an RCU grace period (the RCU writer). */
void	 kmem_cache_free_rcu(struct kmem_cache *cachep, void *objp);
void	 kvfree_rcu(void *ptr);

/* Page provider totals, for tests and statistics. */
size_t	 slab_mapped_bytes(void);
/* Tests: after @skip more 4 MiB chunk maps, fail the next @count. */
void	 slab_inject_map_failure(unsigned int skip, unsigned int count);

extern __thread struct array_cache *slab_cpu_cache[SLAB_MAX_CACHES];

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

/**
 * kmem_cache_alloc - take an object from @cachep.
 *
 * The hot case pops the calling thread's array; anything else (empty
 * array, debug cache, flags) goes out of line.  Returns NULL with errno
 * ENOMEM when no memory can be had.
 */
static inline void *
kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	struct array_cache *ac = slab_cpu_cache[cachep->id];

	if (likely(ac != NULL && ac->avail != 0 && flags == 0 &&
	    !(cachep->flags & SLAB_DEBUG_FLAGS))) {
		ac->touched = 1;
		WRITE_ONCE(ac->allochit, ac->allochit + 1);
		return ac->entry[--ac->avail];
	}
	return __kmem_cache_alloc(cachep, flags);
}

static inline void *
kmem_cache_zalloc(struct kmem_cache *cachep, gfp_t flags)
{
	void *objp = kmem_cache_alloc(cachep, flags);

	if (likely(objp != NULL))
		memset(objp, 0, cachep->object_size);
	return objp;
}

/**
 * kmem_cache_free - give @objp back to @cachep.
 *
 * Pushes onto the calling thread's array when it has room.  With more
 * than one node the object's home node is checked (alien free), which
 * is done out of line, as is everything for debug caches.
 */
static inline void
kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	struct array_cache *ac = slab_cpu_cache[cachep->id];

	if (likely(ac != NULL && ac->avail < ac->limit && objp != NULL &&
	    cachep->nr_nodes == 1 && !(cachep->flags & SLAB_DEBUG_FLAGS))) {
		WRITE_ONCE(ac->freehit, ac->freehit + 1);
		ac->entry[ac->avail++] = objp;
		return;
	}
	__kmem_cache_free(cachep, objp);
}

#endif /* RTCACHE_SLAB_H */
