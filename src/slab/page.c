/* SPDX-License-Identifier: MIT */
/*
 * page.c - the page provider under the SLAB allocator (the kernel's buddy
 * allocator, much simplified).
 *
 * Memory comes from the system in 4 MiB chunks mapped with mmap and
 * aligned to their size, on huge pages where the system has them.  A
 * chunk serves blocks of a single order for a single node, so a block's
 * descriptor is found from any address inside it by masking and shifting
 * (see slab_internal.h).  With libnuma and
 * real nodes, a chunk is bound to its node.
 *
 * A block given back by the slab layer goes on its pool's hot list and
 * stays mapped, so a slab that is destroyed and soon rebuilt costs no
 * system call and no page fault.  The hot list is bounded (keep_bytes per
 * node); beyond that, and whenever page_trim() is called from reaping or
 * shrinking, the oldest hot blocks are released with MADV_DONTNEED, which
 * really lowers the process RSS, and a chunk whose blocks are all
 * released is unmapped.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef HAVE_LIBNUMA
#include <numa.h>
#endif

#include "slab/slab_internal.h"

struct page_pool {
	pthread_mutex_t		 lock;
	struct list_head	 chunks;	/* chunks with cold or new blocks */
	struct list_head	 hot;		/* freed, still mapped; head newest */
	size_t			 nhot;
	size_t			 hot_at_trim;	/* hot blocks at the last trim */
};

struct node_pools {
	struct page_pool	 order[SLAB_MAX_ORDER + 1];
};

static struct node_pools *pools;
static unsigned int nr_pool_nodes;
static size_t keep_bytes = 4UL << 20;
static size_t mapped_bytes;		/* under registry_lock */
static size_t hot_bytes;		/* atomics */
static unsigned int mmap_failures;	/* injected by tests */
static unsigned int mmap_skip;		/* maps to let through first */

/* Every chunk we mapped, for page_owns() (debug checks only). */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static uintptr_t *registry;
static size_t registry_len, registry_cap;

int
page_provider_init(unsigned int nodes, size_t keep)
{
	unsigned int n, o;

	if (pools != NULL)
		return -EBUSY;
	pools = calloc(nodes, sizeof(*pools));
	if (pools == NULL)
		return -ENOMEM;
	for (n = 0; n < nodes; n++) {
		for (o = 0; o <= SLAB_MAX_ORDER; o++) {
			struct page_pool *pp = &pools[n].order[o];

			pthread_mutex_init(&pp->lock, NULL);
			INIT_LIST_HEAD(&pp->chunks);
			INIT_LIST_HEAD(&pp->hot);
		}
	}
	nr_pool_nodes = nodes;
	keep_bytes = keep;
	return 0;
}

void
page_inject_mmap_failure(unsigned int count)
{
	WRITE_ONCE(mmap_failures, count);
}

/* After @skip more chunk maps succeed, make the next @count fail. */
void
slab_inject_map_failure(unsigned int skip, unsigned int count)
{
	WRITE_ONCE(mmap_skip, skip);
	WRITE_ONCE(mmap_failures, count);
}

static int
registry_add(uintptr_t base)
{
	pthread_mutex_lock(&registry_lock);
	if (registry_len == registry_cap) {
		size_t cap = registry_cap ? registry_cap * 2 : 64;
		uintptr_t *r = realloc(registry, cap * sizeof(*r));

		if (r == NULL) {
			pthread_mutex_unlock(&registry_lock);
			return -ENOMEM;
		}
		registry = r;
		registry_cap = cap;
	}
	registry[registry_len++] = base;
	mapped_bytes += CHUNK_SIZE;
	pthread_mutex_unlock(&registry_lock);
	return 0;
}

static void
registry_del(uintptr_t base)
{
	size_t i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_len; i++) {
		if (registry[i] == base) {
			registry[i] = registry[--registry_len];
			mapped_bytes -= CHUNK_SIZE;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

bool
page_owns(const void *p)
{
	uintptr_t base = (uintptr_t)p & ~(CHUNK_SIZE - 1);
	const struct slab_chunk *ch;
	bool found = false;
	size_t i;

	pthread_mutex_lock(&registry_lock);
	for (i = 0; i < registry_len && !found; i++)
		found = registry[i] == base;
	pthread_mutex_unlock(&registry_lock);
	if (!found)
		return false;
	ch = (const struct slab_chunk *)base;
	return ((uintptr_t)p & (CHUNK_SIZE - 1)) >= ((uintptr_t)ch->first <<
	    (PAGE_SHIFT + ch->order));
}

size_t
page_mapped_bytes(void)
{
	size_t b;

	pthread_mutex_lock(&registry_lock);
	b = mapped_bytes;
	pthread_mutex_unlock(&registry_lock);
	return b;
}

size_t
page_hot_bytes(void)
{
	return READ_ONCE(hot_bytes);
}

/* Map a CHUNK_SIZE-aligned chunk: over-map by one chunk, trim both ends. */
static void *
chunk_map(unsigned int node)
{
	unsigned int inject = READ_ONCE(mmap_failures);
	uintptr_t raw, base;
	void *p;

	if (inject > 0) {
		unsigned int skip = READ_ONCE(mmap_skip);

		if (skip > 0) {
			WRITE_ONCE(mmap_skip, skip - 1);
		} else {
			WRITE_ONCE(mmap_failures, inject - 1);
			errno = ENOMEM;
			return NULL;
		}
	}
	p = mmap(NULL, 2 * CHUNK_SIZE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	raw = (uintptr_t)p;
	base = (raw + CHUNK_SIZE - 1) & ~(CHUNK_SIZE - 1);
	if (base > raw)
		munmap(p, base - raw);
	munmap((void *)(base + CHUNK_SIZE), raw + CHUNK_SIZE - base);
	/* FIB nodes and rtables are read at random: two TLB entries a chunk
	 * instead of 1024 (see page_release for the way back) */
	(void)madvise((void *)base, CHUNK_SIZE, MADV_HUGEPAGE);
#ifdef HAVE_LIBNUMA
	if (nr_pool_nodes > 1 && numa_available() >= 0 &&
	    (int)node <= numa_max_node())
		numa_tonode_memory((void *)base, CHUNK_SIZE, (int)node);
#else
	(void)node;
#endif
	return (void *)base;
}

static struct slab_chunk *
chunk_new(unsigned int order, unsigned int node)
{
	size_t block = PAGE_SIZE << order;
	unsigned int nblocks = (unsigned int)(CHUNK_SIZE / block);
	size_t hdr = sizeof(struct slab_chunk) +
	    nblocks * sizeof(struct slab_page);
	struct slab_chunk *ch = chunk_map(node);

	if (ch == NULL)
		return NULL;
	if (registry_add((uintptr_t)ch) < 0) {
		munmap(ch, CHUNK_SIZE);
		errno = ENOMEM;
		return NULL;
	}
	lsan_register(ch, CHUNK_SIZE);
	ch->magic = CHUNK_MAGIC;
	ch->order = order;
	ch->node = node;
	ch->nblocks = nblocks;
	ch->first = (unsigned int)((hdr + block - 1) / block);
	ch->bump = ch->first;
	ch->used = 0;
	ch->ncold = 0;
	ch->small_pages = 0;
	INIT_LIST_HEAD(&ch->cold);
	/* Descriptors of never-used blocks stay zero (PG_NEW) from mmap. */
	return ch;
}

static struct slab_chunk *
page_chunk(const struct slab_page *pg)
{
	return (struct slab_chunk *)((uintptr_t)pg & ~(CHUNK_SIZE - 1));
}

/**
 * page_alloc - a block of 2^@order pages on @node.
 *
 * Hot blocks (recently freed, still mapped) first, then released blocks
 * of existing chunks, then never-used blocks, then a new chunk.
 * Return: the block's descriptor, or NULL with errno ENOMEM.
 */
struct slab_page *
page_alloc(unsigned int order, unsigned int node)
{
	struct page_pool *pp = &pools[node].order[order];
	struct slab_chunk *ch;
	struct slab_page *pg;

	pthread_mutex_lock(&pp->lock);
	if (!list_empty(&pp->hot)) {
		pg = list_first_entry(&pp->hot, struct slab_page, slab_list);
		list_del(&pg->slab_list);
		pp->nhot--;
		if (pp->hot_at_trim > pp->nhot)
			pp->hot_at_trim = pp->nhot;
		atomic_fetch_sub_relaxed(&hot_bytes, PAGE_SIZE << order);
		goto out;
	}
	if (list_empty(&pp->chunks)) {
		ch = chunk_new(order, node);
		if (ch == NULL) {
			pthread_mutex_unlock(&pp->lock);
			return NULL;
		}
		list_add(&ch->chunk_list, &pp->chunks);
	}
	ch = list_first_entry(&pp->chunks, struct slab_chunk, chunk_list);
	if (!list_empty(&ch->cold)) {
		pg = list_first_entry(&ch->cold, struct slab_page, slab_list);
		list_del(&pg->slab_list);
		ch->ncold--;
	} else {
		pg = &ch->pages[ch->bump++];
	}
	ch->used++;
	if (ch->ncold == 0 && ch->bump == ch->nblocks)
		list_del(&ch->chunk_list);
out:
	pg->state = PG_SLAB;
	pg->node = (unsigned short)node;
	pthread_mutex_unlock(&pp->lock);
	return pg;
}

/* Give a hot block back to the system.  Pool lock held. */
static void
page_release(struct page_pool *pp, struct slab_page *pg)
{
	struct slab_chunk *ch = page_chunk(pg);
	size_t block = PAGE_SIZE << ch->order;
	bool had_room = ch->ncold != 0 || ch->bump != ch->nblocks;

	/*
	 * The first release from a chunk takes it off huge pages for good:
	 * otherwise khugepaged may later fill the released holes with
	 * zeroes to rebuild a huge page, and the RSS we gave back returns.
	 */
	if (!ch->small_pages) {
		(void)madvise(ch, CHUNK_SIZE, MADV_NOHUGEPAGE);
		ch->small_pages = 1;
	}
	madvise(slab_page_address(pg), block, MADV_DONTNEED);
	pg->state = PG_COLD;
	list_add(&pg->slab_list, &ch->cold);
	ch->ncold++;
	ch->used--;
	if (ch->used == 0) {
		/* Nothing of this chunk is in use or hot: unmap it. */
		if (had_room)
			list_del(&ch->chunk_list);
		ch->magic = 0;
		registry_del((uintptr_t)ch);
		lsan_unregister(ch, CHUNK_SIZE);
		munmap(ch, CHUNK_SIZE);
		return;
	}
	if (!had_room)
		list_add_tail(&ch->chunk_list, &pp->chunks);
}

static void
pool_trim(struct page_pool *pp, size_t keep, unsigned int order)
{
	while (pp->nhot > keep) {
		struct slab_page *pg = list_last_entry(&pp->hot,
		    struct slab_page, slab_list);

		list_del(&pg->slab_list);
		pp->nhot--;
		atomic_fetch_sub_relaxed(&hot_bytes, PAGE_SIZE << order);
		page_release(pp, pg);
	}
	pp->hot_at_trim = pp->nhot;
}

/* page_free - a slab's block comes back: keep it hot, within bounds. */
void
page_free(struct slab_page *pg)
{
	struct slab_chunk *ch = page_chunk(pg);
	struct page_pool *pp = &pools[ch->node].order[ch->order];
	size_t keep = keep_bytes >> (PAGE_SHIFT + ch->order);

	pthread_mutex_lock(&pp->lock);
	pg->slab_cache = NULL;
	pg->state = PG_HOT;
	list_add(&pg->slab_list, &pp->hot);
	pp->nhot++;
	atomic_fetch_add_relaxed(&hot_bytes, PAGE_SIZE << ch->order);
	if (pp->nhot > keep)
		pool_trim(pp, keep, ch->order);
	pthread_mutex_unlock(&pp->lock);
}

/**
 * page_trim - release hot blocks of @node to the system.
 *
 * With @all every hot block goes; otherwise the blocks that were already
 * hot at the previous trim and have not been reused since (the reaper's
 * "untouched for a period" rule), so a steady working set stays mapped.
 */
void
page_trim(unsigned int node, bool all)
{
	unsigned int o;

	if (pools == NULL || node >= nr_pool_nodes)
		return;
	for (o = 0; o <= SLAB_MAX_ORDER; o++) {
		struct page_pool *pp = &pools[node].order[o];

		pthread_mutex_lock(&pp->lock);
		pool_trim(pp, all ? 0 : pp->nhot - pp->hot_at_trim, o);
		pthread_mutex_unlock(&pp->lock);
	}
}
