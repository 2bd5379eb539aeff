/* SPDX-License-Identifier: MIT */
/*
 * slab_internal.h - what the files of src/slab/ (and its white-box tests)
 * share: the per-slab descriptor, the page provider, kmem_cache_node and
 * the helpers of the slow paths.
 *
 * Memory layout.  The page provider maps 4 MiB chunks aligned to 4 MiB.
 * A chunk serves blocks of one order (2^order pages) for one node; its
 * first pages hold the chunk header, which carries one struct slab_page
 * per block (the kernel keeps these fields in struct page).  So an object
 * finds its slab without any search: mask the address down to the chunk,
 * shift the offset by the chunk's order, index the descriptor array.
 */
#ifndef SLAB_INTERNAL_H
#define SLAB_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "rtcache/list.h"
#include "rtcache/slab.h"

/*
 * LeakSanitizer does not scan memory we map ourselves: tell it about
 * each chunk, or whatever the slab objects point to (zone tables,
 * nexthop arrays, ...) would be reported as leaked.
 */
#if defined(__SANITIZE_ADDRESS__)
#define SLAB_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_LSAN 1
#endif
#endif
#ifdef SLAB_LSAN
#include <sanitizer/lsan_interface.h>
#define lsan_register(p, n)	__lsan_register_root_region((p), (n))
#define lsan_unregister(p, n)	__lsan_unregister_root_region((p), (n))
#else
#define lsan_register(p, n)	((void)(p), (void)(n))
#define lsan_unregister(p, n)	((void)(p), (void)(n))
#endif

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define CACHE_LINE		64
#define BYTES_PER_WORD		sizeof(void *)
#define REDZONE_ALIGN		8

#define CHUNK_SHIFT		22
#define CHUNK_SIZE		(1UL << CHUNK_SHIFT)
#define CHUNK_PAGES		(CHUNK_SIZE >> PAGE_SHIFT)
#define SLAB_MAX_ORDER		8	/* largest slab: 1 MiB */
#define KMALLOC_MAX_ORDER	10	/* the kernel's order search bound */

/* Internal cache flags, as the kernel has them. */
#define CFLGS_OBJFREELIST_SLAB	0x40000000UL
#define CFLGS_OFF_SLAB		0x80000000UL

typedef unsigned char freelist_idx_t;
#define SLAB_OBJ_MIN_SIZE	16
#define SLAB_OBJ_MAX_NUM	255

#define BATCHREFILL_LIMIT	16
#define REAPTIMEOUT_AC_MS	2000
#define REAPTIMEOUT_NODE_MS	4000
#define ALIEN_LIMIT		12

/* Debug words (the kernel's poison values). */
#define RED_INACTIVE		0x09F911029D74E35BULL
#define RED_ACTIVE		0xD84156C5635688C0ULL
#define POISON_INUSE		0x5a
#define POISON_FREE		0x6b
#define POISON_END		0xa5

/* One slab (the fields the kernel keeps in the slab's struct page). */
struct slab_page {
	struct list_head	 slab_list;	/* on a node list / page pool */
	struct kmem_cache	*slab_cache;	/* NULL while not a slab */
	void			*s_mem;		/* object 0 */
	freelist_idx_t		*freelist;	/* free object indices */
	unsigned int		 active;	/* objects handed out */
	unsigned short		 node;
	unsigned char		 state;		/* PG_* */
	unsigned char		 pad;
};

enum { PG_NEW = 0, PG_SLAB, PG_HOT, PG_COLD };

struct slab_chunk {
	uint64_t		 magic;
	struct list_head	 chunk_list;	/* pool's chunks with room */
	unsigned int		 order;
	unsigned int		 node;
	unsigned int		 first;		/* first usable block */
	unsigned int		 nblocks;	/* blocks in the chunk */
	unsigned int		 used;		/* blocks not cold or new */
	unsigned int		 bump;		/* next never-used block */
	unsigned int		 ncold;		/* released blocks on cold */
	unsigned int		 small_pages;	/* MADV_NOHUGEPAGE given */
	struct list_head	 cold;		/* released (madvised) blocks */
	struct slab_page	 pages[];	/* one per block */
};
#define CHUNK_MAGIC		0x736c616263686b31ULL

static inline struct slab_page *
virt_to_slab(const void *objp)
{
	uintptr_t a = (uintptr_t)objp;
	struct slab_chunk *ch = (struct slab_chunk *)(a & ~(CHUNK_SIZE - 1));

	return &ch->pages[(a & (CHUNK_SIZE - 1)) >> (PAGE_SHIFT + ch->order)];
}

static inline void *
slab_page_address(const struct slab_page *pg)
{
	uintptr_t ch = (uintptr_t)pg & ~(CHUNK_SIZE - 1);
	const struct slab_chunk *c = (const struct slab_chunk *)ch;

	return (void *)(ch + ((uintptr_t)(pg - c->pages) <<
	    (PAGE_SHIFT + c->order)));
}

/* page.c: the page provider */
int	 page_provider_init(unsigned int nodes, size_t keep_bytes);
struct slab_page *page_alloc(unsigned int order, unsigned int node);
void	 page_free(struct slab_page *pg);
void	 page_trim(unsigned int node, bool all);
bool	 page_owns(const void *p);
size_t	 page_mapped_bytes(void);
size_t	 page_hot_bytes(void);
void	 page_inject_mmap_failure(unsigned int count);

struct kmem_cache_node {
	pthread_mutex_t		 list_lock;
	struct list_head	 slabs_partial;
	struct list_head	 slabs_full;
	struct list_head	 slabs_free;
	unsigned long		 total_slabs;
	unsigned long		 free_slabs;
	unsigned long		 free_objects;
	unsigned long		 free_limit;
	unsigned int		 colour_next;
	int			 free_touched;
	uint64_t		 next_reap;	/* ms, monotonic */
	struct array_cache	*shared;
	/* alien[i]: objects of node i freed here; lock per array */
	struct array_cache	**alien;
	pthread_mutex_t		*alien_lock;
	unsigned int		 reap_node;	/* round robin over aliens */
	/* slabs of SLAB_TYPESAFE_BY_RCU caches waiting for a grace period */
	struct list_head	 slabs_rcu;
};

/* slab.c internals used by slabinfo.c and slab_debug.c */
extern pthread_mutex_t slab_mutex;
extern struct kmem_cache *slab_caches;
extern uint64_t (*slab_clock_ms)(void);
void	 slab_report(struct kmem_cache *cachep, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 slab_cpustat(struct kmem_cache *cachep, unsigned long st[4]);
void	 __cache_reap(uint64_t now);

/* slab_debug.c */
void	 debug_init_obj(struct kmem_cache *cachep, void *buf);
int	 debug_check_alloc(struct kmem_cache *cachep, void *buf, void *caller);
int	 debug_check_free(struct kmem_cache *cachep, void *buf, void *caller);
void	 debug_check_slab_destroy(struct kmem_cache *cachep,
	    struct slab_page *pg);

static inline void *
index_to_obj(const struct kmem_cache *cachep, const struct slab_page *pg,
    unsigned int idx)
{
	return (char *)pg->s_mem + (size_t)cachep->size * idx;
}

static inline unsigned int
obj_to_index(const struct kmem_cache *cachep, const struct slab_page *pg,
    const void *obj)
{
	uint32_t off = (uint32_t)((const char *)obj - (const char *)pg->s_mem);

	return (uint32_t)(((uint64_t)off * cachep->reciprocal_buffer_size) >> 32);
}

#endif /* SLAB_INTERNAL_H */
