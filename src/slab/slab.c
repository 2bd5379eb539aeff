/* SPDX-License-Identifier: MIT */
/*
 * slab.c - kmem_cache: the SLAB allocator of Linux v5.2, in userspace.
 *
 * A cache hands out objects of one size.  Objects live in slabs of
 * 2^gfporder pages from the page provider (page.c); each slab has an index
 * array of its free objects (inside a free object, off the slab, or at the
 * slab's tail, whichever the kernel's geometry rules pick).  Slabs sit on
 * the partial, full or free list of their node's kmem_cache_node.
 *
 * In front of the slabs every thread has an array_cache per cache (the
 * kernel has one per CPU): alloc pops, free pushes, both inline in
 * rtcache/slab.h without a lock.  An empty array is refilled with
 * batchcount objects, from the node's shared array first and then from
 * slabs, growing the cache when both are dry; a full array flushes its
 * oldest batchcount objects to the shared array or back to their slabs.
 * Free slabs beyond free_limit go back to the page provider.  With more
 * than one node (real, or simulated: thread i on node i mod n), an object
 * freed on a foreign node goes through that node's alien array.
 *
 * The kernel drains other CPUs' arrays with IPIs; threads cannot be
 * interrupted like that, so draining is cooperative: a thread's own
 * arrays are drained by its own cache_reap() calls, kmem_cache_shrink()
 * asks the others (drain_gen) and they drain at their next slow path or
 * reap, tuning (tune_gen) makes each thread rebuild its array the same
 * way, and a thread's arrays go back to their node when it exits or
 * detaches.  kmem_cache_destroy() requires, as the kernel does, that
 * nobody uses the cache any more, and so may empty every array.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef HAVE_LIBNUMA
#include <numa.h>
#include <sched.h>
#endif

#include "base/clock.h"
#include "slab/slab_internal.h"

__thread struct array_cache *slab_cpu_cache[SLAB_MAX_CACHES];

struct slab_thread {
	int		 node;		/* -1 until chosen */
	int		 registered;	/* exit destructor armed */
};
static __thread struct slab_thread slab_self = { -1, 0 };

pthread_mutex_t slab_mutex = PTHREAD_MUTEX_INITIALIZER;
struct kmem_cache *slab_caches;		/* newest first */
static struct kmem_cache *cache_by_id[SLAB_MAX_CACHES];

static pthread_once_t slab_once = PTHREAD_ONCE_INIT;
static pthread_key_t slab_thread_key;
static unsigned int nr_nodes = 1;
static unsigned int nr_cpus = 1;
static unsigned int thread_seq;
static int slab_ready;
static struct slab_config slab_cfg;

static uint64_t
clock_ms(void)
{
	return clock_mono_ns() / NSEC_PER_MSEC;
}
uint64_t (*slab_clock_ms)(void) = clock_ms;

void
slab_report(struct kmem_cache *cachep, const char *fmt, ...)
{
	char msg[512];
	int n = 0;
	va_list ap;

	if (cachep != NULL) {
		atomic_fetch_add_relaxed(&cachep->errors, 1);
		n = snprintf(msg, sizeof(msg), "slab: %s: ", cachep->name);
	} else {
		n = snprintf(msg, sizeof(msg), "slab: ");
	}
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	if (slab_cfg.report != NULL)
		slab_cfg.report(msg);
	else
		fprintf(stderr, "%s\n", msg);
}

static void thread_exit(void *arg);

static void
slab_setup(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	unsigned int nodes = 1;

	nr_cpus = cpus > 0 ? (unsigned int)cpus : 1;
	if (slab_cfg.sim_nodes > 1) {
		nodes = slab_cfg.sim_nodes;
	} else {
#ifdef HAVE_LIBNUMA
		if (numa_available() >= 0)
			nodes = (unsigned int)numa_max_node() + 1;
#endif
	}
	if (nodes > SLAB_MAX_NODES)
		nodes = SLAB_MAX_NODES;
	nr_nodes = nodes;
	if (slab_cfg.page_cache_bytes == 0)
		slab_cfg.page_cache_bytes = 4UL << 20;
	pthread_key_create(&slab_thread_key, thread_exit);
	if (page_provider_init(nr_nodes, slab_cfg.page_cache_bytes) == 0)
		slab_ready = 1;
}

/**
 * slab_init - set the allocator up before the first cache is made.
 *
 * Optional: without it the first kmem_cache_create() sets up one node
 * (or libnuma's nodes).  Return: 0, or -EBUSY when already set up.
 */
int
slab_init(const struct slab_config *cfg)
{
	int first = 0;

	pthread_mutex_lock(&slab_mutex);
	if (!slab_ready) {
		if (cfg != NULL)
			slab_cfg = *cfg;
		first = 1;
	}
	pthread_mutex_unlock(&slab_mutex);
	if (!first)
		return -EBUSY;
	pthread_once(&slab_once, slab_setup);
	return slab_ready ? 0 : -ENOMEM;
}

unsigned int
slab_nr_nodes(void)
{
	pthread_once(&slab_once, slab_setup);
	return nr_nodes;
}

static unsigned int
cpus_on_node(void)
{
	unsigned int c = (nr_cpus + nr_nodes - 1) / nr_nodes;

	return c ? c : 1;
}

/* ------------------------------------------------------------ threads */

int
slab_thread_node(void)
{
	if (slab_self.node < 0) {
		pthread_once(&slab_once, slab_setup);
#ifdef HAVE_LIBNUMA
		if (slab_cfg.sim_nodes <= 1 && nr_nodes > 1) {
			int cpu = sched_getcpu();
			int node = cpu >= 0 ? numa_node_of_cpu(cpu) : 0;

			slab_self.node = node >= 0 ? node : 0;
			return slab_self.node;
		}
#endif
		slab_self.node = (int)(atomic_fetch_add_relaxed(&thread_seq, 1) %
		    nr_nodes);
	}
	return slab_self.node;
}

static void array_give_back(struct kmem_cache *cachep, struct array_cache *ac);

/* Drop every array of the calling thread (exit, detach, node change). */
static void
thread_release_arrays(void)
{
	unsigned int id;

	pthread_mutex_lock(&slab_mutex);
	for (id = 0; id < SLAB_MAX_CACHES; id++) {
		struct array_cache *ac = slab_cpu_cache[id];

		if (ac == NULL)
			continue;
		array_give_back(ac->cache, ac);
		slab_cpu_cache[id] = NULL;
	}
	pthread_mutex_unlock(&slab_mutex);
}

static void
thread_exit(void *arg)
{
	(void)arg;
	thread_release_arrays();
}

/**
 * slab_thread_attach - bind the calling thread to @node (-1: automatic).
 * Return: 0, or -EINVAL for a node that does not exist.
 */
int
slab_thread_attach(int node)
{
	pthread_once(&slab_once, slab_setup);
	if (node >= (int)nr_nodes || node < -1)
		return -EINVAL;
	if (slab_self.node >= 0 && node >= 0 && node != slab_self.node)
		thread_release_arrays();
	if (node >= 0)
		slab_self.node = node;
	else
		(void)slab_thread_node();
	return 0;
}

void
slab_thread_detach(void)
{
	thread_release_arrays();
}

/* ----------------------------------------------------------- geometry */

static size_t
align_up(size_t x, size_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/* The kmalloc size class an OFF_SLAB index array would come from. */
static size_t
kmalloc_size(size_t n)
{
	size_t s;

	if (n <= 32)
		return 32;
	if (n <= 64)
		return 64;
	if (n <= 96)
		return 96;
	if (n <= 128)
		return 128;
	if (n <= 192)
		return 192;
	for (s = 256; s < n; s <<= 1)
		;
	return s;
}

static void
cache_estimate(unsigned int order, size_t size, unsigned long flags,
    size_t *left, unsigned int *num)
{
	size_t bytes = PAGE_SIZE << order;
	size_t per = size;

	if (!(flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)))
		per += sizeof(freelist_idx_t);
	*num = (unsigned int)(bytes / per);
	*left = bytes % per;
}

/* Pick the slab order as calculate_slab_order does.  Return: left over. */
static size_t
calculate_slab_order(struct kmem_cache *cachep, size_t size,
    unsigned long flags)
{
	size_t left_over = 0;
	unsigned int order;

	for (order = 0; order <= KMALLOC_MAX_ORDER; order++) {
		unsigned int num;
		size_t rem;

		cache_estimate(order, size, flags, &rem, &num);
		if (num == 0)
			continue;
		if (num > SLAB_OBJ_MAX_NUM)
			break;
		if (flags & CFLGS_OFF_SLAB) {
			size_t fl = kmalloc_size(num * sizeof(freelist_idx_t));

			/* Our kmalloc classes are never OFF_SLAB themselves. */
			if (fl > cachep->size / 2)
				continue;
		}
		cachep->num = num;
		cachep->gfporder = order;
		left_over = rem;
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if (order >= 1)		/* slab_max_order: RAM > 32 MiB */
			break;
		if (left_over * 8 <= (PAGE_SIZE << order))
			break;
	}
	return left_over;
}

static int
set_objfreelist(struct kmem_cache *cachep, size_t size, unsigned long flags)
{
	size_t left;

	if (cachep->ctor || (flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)))
		return 0;
	cachep->num = 0;
	left = calculate_slab_order(cachep, size,
	    flags | CFLGS_OBJFREELIST_SLAB);
	if (cachep->num == 0)
		return 0;
	if (cachep->num * sizeof(freelist_idx_t) > cachep->object_size)
		return 0;
	cachep->colour = (unsigned int)(left / cachep->colour_off);
	return 1;
}

static int
set_off_slab(struct kmem_cache *cachep, size_t size, unsigned long flags)
{
	size_t left;

	cachep->num = 0;
	if (flags & SLAB_NOLEAKTRACE)
		return 0;
	left = calculate_slab_order(cachep, size, flags | CFLGS_OFF_SLAB);
	if (cachep->num == 0)
		return 0;
	/* The index array fits in the slack: keep it on the slab. */
	if (left >= cachep->num * sizeof(freelist_idx_t))
		return 0;
	cachep->colour = (unsigned int)(left / cachep->colour_off);
	return 1;
}

static int
set_on_slab(struct kmem_cache *cachep, size_t size, unsigned long flags)
{
	size_t left;

	cachep->num = 0;
	left = calculate_slab_order(cachep, size, flags);
	if (cachep->num == 0)
		return 0;
	cachep->colour = (unsigned int)(left / cachep->colour_off);
	return 1;
}

static size_t
calculate_alignment(unsigned long flags, size_t align, size_t size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		size_t ralign = CACHE_LINE;

		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;
	return align_up(align, sizeof(void *));
}

/* Compute size, alignment, layout, order and colour.  Return: -errno. */
static int
cache_geometry(struct kmem_cache *cachep, size_t size, size_t align,
    unsigned long flags)
{
	size_t ralign;

	size = align_up(size, BYTES_PER_WORD);
	if (flags & SLAB_RED_ZONE) {
		ralign = REDZONE_ALIGN;
		size = align_up(size, REDZONE_ALIGN);
	} else {
		ralign = BYTES_PER_WORD;
	}
	if (ralign < align)
		ralign = align;
	if (ralign > sizeof(uint64_t))
		flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	cachep->align = (unsigned int)ralign;
	cachep->colour_off = CACHE_LINE;
	if (cachep->colour_off < ralign)
		cachep->colour_off = (unsigned int)ralign;
	cachep->obj_offset = 0;
	if (flags & SLAB_RED_ZONE) {
		cachep->obj_offset += sizeof(uint64_t);
		size += 2 * sizeof(uint64_t);
	}
	if (flags & SLAB_STORE_USER)
		size += BYTES_PER_WORD;
	size = align_up(size, ralign);
	if (size < SLAB_OBJ_MIN_SIZE)
		size = align_up(SLAB_OBJ_MIN_SIZE, ralign);
	cachep->size = (unsigned int)size;

	if (set_objfreelist(cachep, size, flags)) {
		flags |= CFLGS_OBJFREELIST_SLAB;
	} else if (set_off_slab(cachep, size, flags)) {
		flags |= CFLGS_OFF_SLAB;
	} else if (!set_on_slab(cachep, size, flags)) {
		return -E2BIG;
	}
	if (cachep->gfporder > SLAB_MAX_ORDER)
		return -E2BIG;
	cachep->flags = flags;
	cachep->freelist_size = cachep->num * (unsigned int)sizeof(freelist_idx_t);
	cachep->reciprocal_buffer_size =
	    (uint32_t)(((1ULL << 32) + size - 1) / size);
	return 0;
}

/* ------------------------------------------------------------ tunables */

static unsigned int
default_limit(size_t size)
{
	if (size > 131072)
		return 1;
	if (size > PAGE_SIZE)
		return 8;
	if (size > 1024)
		return 24;
	if (size > 256)
		return 54;
	return 120;
}

/*
 * The largest array that can be had, as the kernel's is bounded by its
 * largest kmalloc (KMALLOC_MAX_SIZE, 4 MiB with SLAB on x86-64): a tuning
 * that asks for more fails with ENOMEM there, and so here.
 */
#define ARRAY_CACHE_MAX_BYTES	(4UL << 20)

static int
arraycache_fits(size_t entries)
{
	return entries <= (ARRAY_CACHE_MAX_BYTES -
	    sizeof(struct array_cache)) / sizeof(void *);
}

static struct array_cache *
alloc_arraycache(size_t entries, unsigned int batchcount)
{
	size_t bytes;
	struct array_cache *ac;

	if (!arraycache_fits(entries))
		return NULL;
	bytes = align_up(sizeof(struct array_cache) + entries * sizeof(void *),
	    CACHE_LINE);
	if ((ac = aligned_alloc(CACHE_LINE, bytes)) == NULL)
		return NULL;
	memset(ac, 0, sizeof(*ac));
	ac->limit = (unsigned int)entries;
	ac->batchcount = batchcount;
	return ac;
}

static void free_block(struct kmem_cache *cachep, void **objs, unsigned int nr,
    unsigned int node, struct list_head *list);
static void slabs_destroy(struct kmem_cache *cachep, struct list_head *list);
static void drain_alien(struct kmem_cache *cachep, struct array_cache *al,
    unsigned int rnode);

/*
 * New shared arrays for every node (@shared times @batchcount entries;
 * none when @shared is 0) into @out: all of them, or none and -ENOMEM.
 */
static int
alloc_shared_arrays(const struct kmem_cache *cachep, unsigned int shared,
    unsigned int batchcount, struct array_cache **out)
{
	unsigned int i;

	for (i = 0; i < cachep->nr_nodes; i++) {
		out[i] = NULL;
		if (shared == 0)
			continue;
		out[i] = alloc_arraycache((size_t)shared * batchcount,
		    0xbaadf00d);
		if (out[i] == NULL) {
			while (i-- > 0)
				free(out[i]);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Install @new_shared (alloc_shared_arrays) as the nodes' shared arrays
 * and resize their alien arrays. */
static void
setup_kmem_cache_nodes(struct kmem_cache *cachep,
    struct array_cache **new_shared)
{
	unsigned int i, j;

	for (i = 0; i < cachep->nr_nodes; i++) {
		struct kmem_cache_node *n = cachep->node[i];
		struct array_cache *shared = new_shared[i], *old;
		struct list_head list;

		INIT_LIST_HEAD(&list);
		pthread_mutex_lock(&n->list_lock);
		old = n->shared;
		if (old != NULL)
			free_block(cachep, old->entry, old->avail, i, &list);
		n->shared = shared;
		n->free_limit = (1 + cpus_on_node()) * cachep->batchcount +
		    cachep->num;
		pthread_mutex_unlock(&n->list_lock);
		free(old);
		slabs_destroy(cachep, &list);
		/* Lock order: alien lock, then the home node's list lock. */
		for (j = 0; j < cachep->nr_nodes && n->alien; j++) {
			struct array_cache *al, *nal;

			if (j == i)
				continue;
			nal = alloc_arraycache(cachep->limit > 1 ?
			    ALIEN_LIMIT : cachep->limit, 0xbaadf00d);
			if (nal == NULL)
				continue;	/* keep the old one */
			pthread_mutex_lock(&n->alien_lock[j]);
			al = n->alien[j];
			if (al != NULL)
				drain_alien(cachep, al, j);
			n->alien[j] = nal;
			pthread_mutex_unlock(&n->alien_lock[j]);
			free(al);
		}
	}
}

/*
 * As the kernel's do_tune_cpucache: everything that can fail is
 * allocated first, so a tuning that fails with ENOMEM changes nothing.
 */
static int
do_tune_cpucache(struct kmem_cache *cachep, unsigned int limit,
    unsigned int batchcount, unsigned int shared)
{
	struct array_cache *new_shared[SLAB_MAX_NODES];
	int rv;

	if (!arraycache_fits(limit))	/* each thread's array */
		return -ENOMEM;
	if ((rv = alloc_shared_arrays(cachep, shared, batchcount,
	    new_shared)) < 0)
		return rv;
	cachep->limit = limit;
	cachep->batchcount = batchcount;
	cachep->shared = shared;
	atomic_fetch_add_release(&cachep->tune_gen, 1);
	setup_kmem_cache_nodes(cachep, new_shared);
	return 0;
}

/**
 * kmem_cache_tune - set the per-thread array @limit, the @batchcount
 * moved per refill or flush, and the @shared array factor.
 *
 * Threads rebuild their arrays at their next slow path or reap.
 * Return: 0, or -EINVAL as the kernel validates (limit >= 1,
 * 1 <= batchcount <= limit, shared >= 0), or -ENOMEM when the arrays
 * cannot be had (then nothing changed).
 */
int
kmem_cache_tune(struct kmem_cache *cachep, int limit, int batchcount,
    int shared)
{
	int rv;

	if (cachep == NULL || limit < 1 || batchcount < 1 ||
	    batchcount > limit || shared < 0)
		return -EINVAL;
	pthread_mutex_lock(&slab_mutex);
	rv = do_tune_cpucache(cachep, (unsigned int)limit,
	    (unsigned int)batchcount, (unsigned int)shared);
	pthread_mutex_unlock(&slab_mutex);
	return rv;
}

/* ------------------------------------------------------ create/destroy */

static void
free_nodes(struct kmem_cache *cachep)
{
	unsigned int i, j;

	for (i = 0; i < SLAB_MAX_NODES; i++) {
		struct kmem_cache_node *n = cachep->node[i];

		if (n == NULL)
			continue;
		free(n->shared);
		if (n->alien != NULL) {
			for (j = 0; j < cachep->nr_nodes; j++) {
				free(n->alien[j]);
				pthread_mutex_destroy(&n->alien_lock[j]);
			}
		}
		free(n->alien);
		free(n->alien_lock);
		pthread_mutex_destroy(&n->list_lock);
		free(n);
		cachep->node[i] = NULL;
	}
}

static int
alloc_nodes(struct kmem_cache *cachep)
{
	uint64_t now = slab_clock_ms();
	unsigned int i, j;

	for (i = 0; i < cachep->nr_nodes; i++) {
		struct kmem_cache_node *n = calloc(1, sizeof(*n));

		if (n == NULL)
			return -ENOMEM;
		cachep->node[i] = n;
		pthread_mutex_init(&n->list_lock, NULL);
		INIT_LIST_HEAD(&n->slabs_partial);
		INIT_LIST_HEAD(&n->slabs_full);
		INIT_LIST_HEAD(&n->slabs_free);
		INIT_LIST_HEAD(&n->slabs_rcu);
		n->next_reap = now + REAPTIMEOUT_NODE_MS +
		    ((uintptr_t)cachep / 64) % REAPTIMEOUT_NODE_MS;
		if (cachep->nr_nodes > 1) {
			n->alien = calloc(cachep->nr_nodes, sizeof(*n->alien));
			n->alien_lock = calloc(cachep->nr_nodes,
			    sizeof(*n->alien_lock));
			if (n->alien == NULL || n->alien_lock == NULL)
				return -ENOMEM;
			for (j = 0; j < cachep->nr_nodes; j++)
				pthread_mutex_init(&n->alien_lock[j], NULL);
		}
	}
	return 0;
}

/**
 * kmem_cache_create - make a cache of @size-byte objects.
 * @name: shown by slabinfo (at most 63 bytes kept; should be unique)
 * @size: object size, 1 .. 1 MiB less headers
 * @align: 0 or a power of two
 * @flags: SLAB_*
 * @ctor: run on every object when its slab is built (and, with
 *        SLAB_POISON, at every allocation), never by the free path
 *
 * Return: the cache, or NULL with errno EINVAL (bad argument), E2BIG (no
 * slab order fits), ENOSPC (too many caches) or ENOMEM.
 */
struct kmem_cache *
kmem_cache_create(const char *name, size_t size, size_t align,
    unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *cachep;
	unsigned int id, limit, cpus;
	int err;

	pthread_once(&slab_once, slab_setup);
	err = EINVAL;
	if (!slab_ready) {
		err = ENOMEM;
		goto fail;
	}
	if (name == NULL || *name == '\0' || size == 0 ||
	    size > (PAGE_SIZE << SLAB_MAX_ORDER) ||
	    (align & (align - 1)) != 0 || align > PAGE_SIZE)
		goto fail;
	cachep = aligned_alloc(CACHE_LINE, align_up(sizeof(*cachep),
	    CACHE_LINE));
	if (cachep == NULL) {
		err = ENOMEM;
		goto fail;
	}
	memset(cachep, 0, sizeof(*cachep));
	snprintf(cachep->name, sizeof(cachep->name), "%s", name);
	cachep->object_size = (unsigned int)size;
	cachep->ctor = ctor;
	cachep->nr_nodes = nr_nodes;
	align = calculate_alignment(flags, align, size);
	if ((err = -cache_geometry(cachep, size, align, flags)) != 0)
		goto fail_free;
	if ((err = -alloc_nodes(cachep)) != 0)
		goto fail_nodes;

	limit = default_limit(cachep->size);
	cpus = nr_cpus;
	pthread_mutex_lock(&slab_mutex);
	for (id = 0; id < SLAB_MAX_CACHES && cache_by_id[id]; id++)
		;
	if (id == SLAB_MAX_CACHES) {
		pthread_mutex_unlock(&slab_mutex);
		err = ENOSPC;
		goto fail_nodes;
	}
	cachep->id = id;
	if (do_tune_cpucache(cachep, limit, (limit + 1) / 2,
	    cachep->size <= PAGE_SIZE && cpus > 1 ? 8 : 0) < 0) {
		pthread_mutex_unlock(&slab_mutex);
		err = ENOMEM;
		goto fail_nodes;
	}
	cache_by_id[id] = cachep;
	cachep->next = slab_caches;
	slab_caches = cachep;
	pthread_mutex_unlock(&slab_mutex);
	return cachep;

fail_nodes:
	free_nodes(cachep);
fail_free:
	free(cachep);
fail:
	if (flags & SLAB_PANIC) {
		fprintf(stderr, "slab: kmem_cache_create(%s) failed: %s\n",
		    name ? name : "(null)", strerror(err));
		abort();
	}
	errno = err;
	return NULL;
}

struct kmem_cache *
kmem_cache_find(const char *name)
{
	struct kmem_cache *c;

	pthread_mutex_lock(&slab_mutex);
	for (c = slab_caches; c != NULL; c = c->next)
		if (strcmp(c->name, name) == 0)
			break;
	pthread_mutex_unlock(&slab_mutex);
	return c;
}

/* ----------------------------------------------------------- slabs */

static void *
slab_get_obj(struct kmem_cache *cachep, struct slab_page *pg)
{
	void *objp = index_to_obj(cachep, pg, pg->freelist[pg->active]);

	pg->active++;
	return objp;
}

static void
slab_put_obj(struct kmem_cache *cachep, struct slab_page *pg, void *objp)
{
	unsigned int objnr = obj_to_index(cachep, pg, objp);

	/* OBJFREELIST: the first object freed into a full slab holds it. */
	if (pg->freelist == NULL)
		pg->freelist = (freelist_idx_t *)((char *)objp +
		    cachep->obj_offset);
	pg->active--;
	pg->freelist[pg->active] = (freelist_idx_t)objnr;
}

/* Build a slab on @node.  Called without the node lock. */
static struct slab_page *
cache_grow_begin(struct kmem_cache *cachep, unsigned int node)
{
	struct kmem_cache_node *n = cachep->node[node];
	struct slab_page *pg;
	unsigned int offset, i;
	char *addr;

	pg = page_alloc(cachep->gfporder, node);
	if (pg == NULL)
		return NULL;
	pthread_mutex_lock(&n->list_lock);
	offset = n->colour_next;
	if (++n->colour_next >= cachep->colour)
		n->colour_next = 0;
	pthread_mutex_unlock(&n->list_lock);
	offset *= cachep->colour_off;
	addr = slab_page_address(pg);
	pg->s_mem = addr + offset;
	pg->active = 0;
	pg->slab_cache = cachep;
	if (cachep->flags & CFLGS_OFF_SLAB) {
		pg->freelist = malloc(cachep->freelist_size);
		if (pg->freelist == NULL) {
			pg->slab_cache = NULL;
			page_free(pg);
			errno = ENOMEM;
			return NULL;
		}
	} else if (cachep->flags & CFLGS_OBJFREELIST_SLAB) {
		pg->freelist = (freelist_idx_t *)((char *)index_to_obj(cachep,
		    pg, cachep->num - 1) + cachep->obj_offset);
	} else {
		pg->freelist = (freelist_idx_t *)(addr +
		    (PAGE_SIZE << cachep->gfporder) - cachep->freelist_size);
	}
	for (i = 0; i < cachep->num; i++) {
		void *objp = index_to_obj(cachep, pg, i);

		if (cachep->flags & SLAB_DEBUG_FLAGS)
			debug_init_obj(cachep, objp);
		else if (cachep->ctor)
			cachep->ctor(objp);
	}
	/* After the ctors: an OBJFREELIST array lives in the last object. */
	for (i = 0; i < cachep->num; i++)
		pg->freelist[i] = (freelist_idx_t)i;
	return pg;
}

/* Put a grown slab on its list.  Node lock held. */
static void
cache_grow_end(struct kmem_cache *cachep, struct kmem_cache_node *n,
    struct slab_page *pg)
{
	n->total_slabs++;
	if (pg->active == 0) {
		list_add_tail(&pg->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else if (pg->active == cachep->num) {
		list_add(&pg->slab_list, &n->slabs_full);
		if (cachep->flags & CFLGS_OBJFREELIST_SLAB)
			pg->freelist = NULL;
	} else {
		list_add(&pg->slab_list, &n->slabs_partial);
	}
	atomic_fetch_add_relaxed(&cachep->grown, 1);
	n->free_objects += cachep->num - pg->active;
}

static void
slab_destroy(struct kmem_cache *cachep, struct slab_page *pg)
{
	if (cachep->flags & SLAB_DEBUG_FLAGS)
		debug_check_slab_destroy(cachep, pg);
	if (cachep->flags & CFLGS_OFF_SLAB)
		free(pg->freelist);
	pg->freelist = NULL;
	page_free(pg);
}

/* Destroy the slabs on @list (collected under a node lock, freed after). */
static void
slabs_destroy(struct kmem_cache *cachep, struct list_head *list)
{
	struct slab_page *pg, *tmp;

	list_for_each_entry_safe(pg, tmp, list, slab_list) {
		list_del(&pg->slab_list);
		if (cachep->flags & SLAB_TYPESAFE_BY_RCU) {
			struct kmem_cache_node *n = cachep->node[pg->node];

			/* Pages wait for a grace period (cache_reap/shrink). */
			pthread_mutex_lock(&n->list_lock);
			list_add_tail(&pg->slab_list, &n->slabs_rcu);
			pthread_mutex_unlock(&n->list_lock);
			continue;
		}
		slab_destroy(cachep, pg);
	}
}

/* Release slabs that waited for an RCU grace period. */
static void
rcu_slabs_release(struct kmem_cache *cachep)
{
	struct list_head list;
	unsigned int i;
	int any = 0;

	for (i = 0; i < cachep->nr_nodes; i++)
		any |= !list_empty(&cachep->node[i]->slabs_rcu);
	if (!any)
		return;
	/* Wait for readers that may still hold pointers into the slabs. */
	if (slab_cfg.synchronize_rcu != NULL)
		slab_cfg.synchronize_rcu();
	for (i = 0; i < cachep->nr_nodes; i++) {
		struct kmem_cache_node *n = cachep->node[i];
		struct slab_page *pg, *tmp;

		INIT_LIST_HEAD(&list);
		pthread_mutex_lock(&n->list_lock);
		list_for_each_entry_safe(pg, tmp, &n->slabs_rcu, slab_list)
			list_move_tail(&pg->slab_list, &list);
		pthread_mutex_unlock(&n->list_lock);
		list_for_each_entry_safe(pg, tmp, &list, slab_list) {
			list_del(&pg->slab_list);
			slab_destroy(cachep, pg);
		}
	}
}

/*
 * free_block - objects of @node go back into their slabs.  Node lock held.
 * Emptied slabs go to the head of slabs_free, others to the tail of
 * slabs_partial; free slabs beyond free_limit move to @list.
 */
static void
free_block(struct kmem_cache *cachep, void **objs, unsigned int nr,
    unsigned int node, struct list_head *list)
{
	struct kmem_cache_node *n = cachep->node[node];
	unsigned int i;

	n->free_objects += nr;
	for (i = 0; i < nr; i++) {
		struct slab_page *pg = virt_to_slab(objs[i]);

		slab_put_obj(cachep, pg, objs[i]);
		if (pg->active == 0) {
			list_move(&pg->slab_list, &n->slabs_free);
			n->free_slabs++;
		} else if (n->slabs_partial.prev != &pg->slab_list) {
			/* Objects freed together mostly share a slab: one
			 * already at the tail stays, saving four line writes. */
			list_move_tail(&pg->slab_list, &n->slabs_partial);
		}
	}
	atomic_fetch_sub_relaxed(&cachep->num_active, nr);
	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		struct slab_page *pg = list_last_entry(&n->slabs_free,
		    struct slab_page, slab_list);

		list_move(&pg->slab_list, list);
		n->free_objects -= cachep->num;
		n->free_slabs--;
		n->total_slabs--;
	}
}

/* Free up to @tofree free slabs of node @n.  Return: how many. */
static unsigned long
drain_freelist(struct kmem_cache *cachep, struct kmem_cache_node *n,
    unsigned long tofree)
{
	struct list_head list;
	unsigned long nr = 0;

	INIT_LIST_HEAD(&list);
	pthread_mutex_lock(&n->list_lock);
	while (nr < tofree && !list_empty(&n->slabs_free)) {
		struct slab_page *pg = list_last_entry(&n->slabs_free,
		    struct slab_page, slab_list);

		list_move(&pg->slab_list, &list);
		n->free_objects -= cachep->num;
		n->free_slabs--;
		n->total_slabs--;
		nr++;
	}
	pthread_mutex_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
	return nr;
}

static void
note_active(struct kmem_cache *cachep, unsigned long nr)
{
	unsigned long act = atomic_add_return_relaxed(&cachep->num_active,
	    nr);

	atomic_fetch_add_relaxed(&cachep->num_allocations, nr);
	if (act > READ_ONCE(cachep->high_mark))
		WRITE_ONCE(cachep->high_mark, act);
}

/* First slab to allocate from: partial, else free.  Node lock held. */
static struct slab_page *
get_first_slab(struct kmem_cache_node *n)
{
	struct slab_page *pg;

	if (!list_empty(&n->slabs_partial))
		return list_first_entry(&n->slabs_partial, struct slab_page,
		    slab_list);
	if (list_empty(&n->slabs_free))
		return NULL;
	pg = list_first_entry(&n->slabs_free, struct slab_page, slab_list);
	n->free_slabs--;
	n->free_touched = 1;
	return pg;
}

/* Move a slab to full or partial after taking objects.  Node lock held. */
static void
fixup_slab_list(struct kmem_cache *cachep, struct kmem_cache_node *n,
    struct slab_page *pg)
{
	list_del(&pg->slab_list);
	if (pg->active == cachep->num) {
		list_add(&pg->slab_list, &n->slabs_full);
		if (cachep->flags & CFLGS_OBJFREELIST_SLAB)
			pg->freelist = NULL;
	} else {
		list_add(&pg->slab_list, &n->slabs_partial);
	}
}

static unsigned int
alloc_block(struct kmem_cache *cachep, struct array_cache *ac,
    struct slab_page *pg, unsigned int batchcount)
{
	unsigned int taken = 0;

	while (pg->active < cachep->num && taken < batchcount) {
		ac->entry[ac->avail++] = slab_get_obj(cachep, pg);
		taken++;
	}
	return taken;
}

/* ------------------------------------------------------------ arrays */

/* Return @ac's objects to the node and unlink it.  slab_mutex held. */
static void
array_give_back(struct kmem_cache *cachep, struct array_cache *ac)
{
	struct kmem_cache_node *n = cachep->node[ac->node];
	struct list_head list;

	INIT_LIST_HEAD(&list);
	if (ac->avail) {
		pthread_mutex_lock(&n->list_lock);
		free_block(cachep, ac->entry, ac->avail, ac->node, &list);
		pthread_mutex_unlock(&n->list_lock);
		ac->avail = 0;
	}
	cachep->retired_allochit += ac->allochit;
	cachep->retired_allocmiss += ac->allocmiss;
	cachep->retired_freehit += ac->freehit;
	cachep->retired_freemiss += ac->freemiss;
	if (ac->prev)
		ac->prev->next = ac->next;
	else
		cachep->arrays = ac->next;
	if (ac->next)
		ac->next->prev = ac->prev;
	if (ac->owner_slot != NULL)
		*ac->owner_slot = NULL;
	free(ac);
	slabs_destroy(cachep, &list);
}

/* The calling thread's array for @cachep, made on first use. */
static struct array_cache *
cpu_cache_get(struct kmem_cache *cachep)
{
	struct array_cache *ac = slab_cpu_cache[cachep->id];
	unsigned int gen = smp_load_acquire(&cachep->tune_gen);

	if (ac != NULL && ac->gen == gen && ac->cache == cachep)
		return ac;
	pthread_mutex_lock(&slab_mutex);
	if (ac != NULL)
		array_give_back(ac->cache, ac);
	if (!slab_self.registered) {
		pthread_setspecific(slab_thread_key, &slab_self);
		slab_self.registered = 1;
	}
	ac = alloc_arraycache(cachep->limit, cachep->batchcount);
	if (ac != NULL) {
		ac->cache = cachep;
		ac->node = (unsigned int)slab_thread_node();
		ac->gen = gen;
		ac->drain_seen = READ_ONCE(cachep->drain_gen);
		ac->owner_slot = &slab_cpu_cache[cachep->id];
		ac->next = cachep->arrays;
		ac->prev = NULL;
		if (ac->next)
			ac->next->prev = ac;
		cachep->arrays = ac;
	}
	slab_cpu_cache[cachep->id] = ac;
	pthread_mutex_unlock(&slab_mutex);
	return ac;
}

/* Flush the oldest @nr objects of @ac to the node. */
static void
drain_array_front(struct kmem_cache *cachep, struct array_cache *ac,
    unsigned int nr)
{
	struct kmem_cache_node *n = cachep->node[ac->node];
	struct list_head list;

	if (nr == 0)
		return;
	INIT_LIST_HEAD(&list);
	pthread_mutex_lock(&n->list_lock);
	free_block(cachep, ac->entry, nr, ac->node, &list);
	pthread_mutex_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
	ac->avail -= nr;
	memmove(ac->entry, &ac->entry[nr], sizeof(void *) * ac->avail);
}

/* A shrink elsewhere asked every thread to empty its array. */
static void
check_drain_request(struct kmem_cache *cachep, struct array_cache *ac)
{
	unsigned int g = READ_ONCE(cachep->drain_gen);

	if (ac->drain_seen != g) {
		ac->drain_seen = g;
		drain_array_front(cachep, ac, ac->avail);
	}
}

static void *
cache_alloc_refill(struct kmem_cache *cachep, struct array_cache *ac)
{
	unsigned int node = ac->node;
	struct kmem_cache_node *n = cachep->node[node];
	unsigned int batchcount = ac->batchcount, taken = 0;
	struct array_cache *shared;
	struct slab_page *pg;

	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	if (batchcount > ac->limit - ac->avail)
		batchcount = ac->limit - ac->avail;

	pthread_mutex_lock(&n->list_lock);
	shared = n->shared;
	if (n->free_objects == 0 && (shared == NULL || shared->avail == 0))
		goto direct_grow;
	if (shared != NULL && shared->avail) {
		unsigned int nr = shared->avail < batchcount ?
		    shared->avail : batchcount;

		shared->avail -= nr;
		memcpy(&ac->entry[ac->avail], &shared->entry[shared->avail],
		    sizeof(void *) * nr);
		ac->avail += nr;
		shared->touched = 1;
		goto alloc_done;
	}
	while (taken < batchcount) {
		unsigned int got;

		pg = get_first_slab(n);
		if (pg == NULL)
			break;
		got = alloc_block(cachep, ac, pg, batchcount - taken);
		taken += got;
		fixup_slab_list(cachep, n, pg);
	}
	n->free_objects -= taken;
alloc_done:
direct_grow:
	pthread_mutex_unlock(&n->list_lock);
	if (taken)
		note_active(cachep, taken);

	if (ac->avail == 0) {
		pg = cache_grow_begin(cachep, node);
		if (pg == NULL)
			return NULL;
		pthread_mutex_lock(&n->list_lock);
		/* A new slab is not counted in free_objects yet. */
		taken = alloc_block(cachep, ac, pg, batchcount);
		cache_grow_end(cachep, n, pg);
		pthread_mutex_unlock(&n->list_lock);
		note_active(cachep, taken);
		if (ac->avail == 0) {
			errno = ENOMEM;
			return NULL;
		}
	}
	ac->touched = 1;
	return ac->entry[--ac->avail];
}

static void *
____cache_alloc(struct kmem_cache *cachep, struct array_cache *ac)
{
	check_drain_request(cachep, ac);
	if (ac->avail) {
		ac->touched = 1;
		WRITE_ONCE(ac->allochit, ac->allochit + 1);
		return ac->entry[--ac->avail];
	}
	WRITE_ONCE(ac->allocmiss, ac->allocmiss + 1);
	return cache_alloc_refill(cachep, ac);
}

/* Take one object straight from node @node's slabs (node_allocs). */
static void *
____cache_alloc_node(struct kmem_cache *cachep, unsigned int node)
{
	struct kmem_cache_node *n = cachep->node[node];
	struct slab_page *pg;
	void *objp;

	pthread_mutex_lock(&n->list_lock);
	pg = get_first_slab(n);
	if (pg == NULL) {
		pthread_mutex_unlock(&n->list_lock);
		pg = cache_grow_begin(cachep, node);
		if (pg == NULL)
			return NULL;
		pthread_mutex_lock(&n->list_lock);
		objp = slab_get_obj(cachep, pg);
		cache_grow_end(cachep, n, pg);
	} else {
		objp = slab_get_obj(cachep, pg);
		fixup_slab_list(cachep, n, pg);
		n->free_objects--;
	}
	pthread_mutex_unlock(&n->list_lock);
	note_active(cachep, 1);
	atomic_fetch_add_relaxed(&cachep->node_allocs, 1);
	return objp;
}

/**
 * __kmem_cache_alloc - the slow path of kmem_cache_alloc (also its whole
 * path for debug caches and non-zero @flags).
 */
void *
__kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	void *caller = __builtin_return_address(0);
	struct array_cache *ac = cpu_cache_get(cachep);
	void *buf;

	if (ac == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		buf = ____cache_alloc(cachep, ac);
		if (buf == NULL)
			return NULL;
		/* A corrupt object is reported and left out of circulation. */
		if (!(cachep->flags & SLAB_DEBUG_FLAGS) ||
		    debug_check_alloc(cachep, buf, caller) == 0)
			break;
	}
	buf = (char *)buf + cachep->obj_offset;
	if (flags & __GFP_ZERO)
		memset(buf, 0, cachep->object_size);
	return buf;
}

void *
kmem_cache_alloc_node(struct kmem_cache *cachep, gfp_t flags, int node)
{
	void *buf;

	if (node < 0 || (unsigned int)node == (unsigned int)slab_thread_node())
		return kmem_cache_alloc(cachep, flags);
	if ((unsigned int)node >= cachep->nr_nodes) {
		errno = EINVAL;
		return NULL;
	}
	buf = ____cache_alloc_node(cachep, (unsigned int)node);
	if (buf == NULL)
		return NULL;
	if ((cachep->flags & SLAB_DEBUG_FLAGS) &&
	    debug_check_alloc(cachep, buf, __builtin_return_address(0)) < 0)
		return NULL;
	buf = (char *)buf + cachep->obj_offset;
	if (flags & __GFP_ZERO)
		memset(buf, 0, cachep->object_size);
	return buf;
}

static void
cache_flusharray(struct kmem_cache *cachep, struct array_cache *ac)
{
	struct kmem_cache_node *n = cachep->node[ac->node];
	unsigned int batchcount = ac->batchcount;
	struct array_cache *shared;
	struct list_head list;

	INIT_LIST_HEAD(&list);
	if (batchcount > ac->avail)
		batchcount = ac->avail;
	pthread_mutex_lock(&n->list_lock);
	shared = n->shared;
	if (shared != NULL && shared->avail < shared->limit) {
		unsigned int room = shared->limit - shared->avail;

		if (batchcount > room)
			batchcount = room;
		memcpy(&shared->entry[shared->avail], ac->entry,
		    sizeof(void *) * batchcount);
		shared->avail += batchcount;
	} else {
		free_block(cachep, ac->entry, batchcount, ac->node, &list);
	}
	if (n->free_slabs > cachep->max_freeable)
		cachep->max_freeable = n->free_slabs;
	pthread_mutex_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
	ac->avail -= batchcount;
	memmove(ac->entry, &ac->entry[batchcount], sizeof(void *) * ac->avail);
}

/* Drain node @n's alien array for @rnode into that node.  Alien lock held. */
static void
drain_alien(struct kmem_cache *cachep, struct array_cache *al,
    unsigned int rnode)
{
	struct kmem_cache_node *rn = cachep->node[rnode];
	struct list_head list;
	unsigned int moved = 0;

	if (al->avail == 0)
		return;
	INIT_LIST_HEAD(&list);
	pthread_mutex_lock(&rn->list_lock);
	if (rn->shared != NULL) {
		unsigned int room = rn->shared->limit - rn->shared->avail;

		moved = al->avail < room ? al->avail : room;
		memcpy(&rn->shared->entry[rn->shared->avail],
		    &al->entry[al->avail - moved], sizeof(void *) * moved);
		rn->shared->avail += moved;
		al->avail -= moved;
	}
	if (al->avail)
		free_block(cachep, al->entry, al->avail, rnode, &list);
	al->avail = 0;
	pthread_mutex_unlock(&rn->list_lock);
	slabs_destroy(cachep, &list);
}

static void
cache_free_alien(struct kmem_cache *cachep, void *buf, unsigned int home,
    unsigned int here)
{
	struct kmem_cache_node *n = cachep->node[here];
	struct array_cache *al;

	atomic_fetch_add_relaxed(&cachep->node_frees, 1);
	pthread_mutex_lock(&n->alien_lock[home]);
	al = n->alien[home];
	if (al->avail == al->limit) {
		atomic_fetch_add_relaxed(&cachep->node_overflow, 1);
		drain_alien(cachep, al, home);
	}
	if (al->limit == 0) {
		struct kmem_cache_node *rn = cachep->node[home];
		struct list_head list;

		INIT_LIST_HEAD(&list);
		pthread_mutex_lock(&rn->list_lock);
		free_block(cachep, &buf, 1, home, &list);
		pthread_mutex_unlock(&rn->list_lock);
		pthread_mutex_unlock(&n->alien_lock[home]);
		slabs_destroy(cachep, &list);
		return;
	}
	al->entry[al->avail++] = buf;
	pthread_mutex_unlock(&n->alien_lock[home]);
}

/* The free path for a buffer address (debug already checked). */
static void
___cache_free(struct kmem_cache *cachep, struct array_cache *ac, void *buf)
{
	if (cachep->nr_nodes > 1) {
		unsigned int home = virt_to_slab(buf)->node;

		if (home != ac->node) {
			cache_free_alien(cachep, buf, home, ac->node);
			return;
		}
	}
	check_drain_request(cachep, ac);
	if (ac->avail < ac->limit) {
		WRITE_ONCE(ac->freehit, ac->freehit + 1);
	} else {
		WRITE_ONCE(ac->freemiss, ac->freemiss + 1);
		cache_flusharray(cachep, ac);
	}
	ac->entry[ac->avail++] = buf;
}

/**
 * __kmem_cache_free - the slow path of kmem_cache_free: a thread's first
 * free, a full array, a foreign node's object, or a debug cache (whose
 * checks report a double free, an overrun, a foreign or misplaced
 * pointer and keep the object out of circulation).
 */
void
__kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	void *caller = __builtin_return_address(0);
	struct array_cache *ac;
	void *buf;

	if (objp == NULL) {
		if (cachep->flags & SLAB_DEBUG_FLAGS)
			slab_report(cachep, "kmem_cache_free(NULL) ignored");
		return;
	}
	buf = (char *)objp - cachep->obj_offset;
	if ((cachep->flags & SLAB_DEBUG_FLAGS) &&
	    debug_check_free(cachep, buf, caller) < 0)
		return;
	ac = cpu_cache_get(cachep);
	if (ac == NULL) {
		/* No array (out of memory): straight back to the slab. */
		unsigned int node = virt_to_slab(buf)->node;
		struct kmem_cache_node *n = cachep->node[node];
		struct list_head list;

		INIT_LIST_HEAD(&list);
		pthread_mutex_lock(&n->list_lock);
		free_block(cachep, &buf, 1, node, &list);
		pthread_mutex_unlock(&n->list_lock);
		slabs_destroy(cachep, &list);
		return;
	}
	___cache_free(cachep, ac, buf);
}

/**
 * kmem_cache_alloc_bulk - allocate @n objects into @objs.
 * Return: how many were allocated (all, or 0 with errno set: a partial
 * bulk is freed again, as the kernel does).
 */
size_t
kmem_cache_alloc_bulk(struct kmem_cache *cachep, gfp_t flags, size_t n,
    void **objs)
{
	struct array_cache *ac;
	size_t i = 0;

	if ((cachep->flags & SLAB_DEBUG_FLAGS) || (flags & ~__GFP_ZERO)) {
		for (; i < n; i++)
			if ((objs[i] = __kmem_cache_alloc(cachep, flags)) == NULL)
				goto fail;
		return n;
	}
	ac = cpu_cache_get(cachep);
	if (ac == NULL)
		goto fail;
	check_drain_request(cachep, ac);
	while (i < n) {
		unsigned int k;

		if (ac->avail == 0) {
			void *objp;

			WRITE_ONCE(ac->allocmiss, ac->allocmiss + 1);
			if ((objp = cache_alloc_refill(cachep, ac)) == NULL)
				goto fail;
			objs[i++] = objp;
			continue;
		}
		k = ac->avail;
		if (k > n - i)
			k = (unsigned int)(n - i);
		while (k--)
			objs[i++] = ac->entry[--ac->avail];
		ac->touched = 1;
		WRITE_ONCE(ac->allochit, ac->allochit + 1);
	}
	if (flags & __GFP_ZERO)
		for (i = 0; i < n; i++)
			memset(objs[i], 0, cachep->object_size);
	return n;
fail:
	kmem_cache_free_bulk(cachep, i, objs);
	errno = ENOMEM;
	return 0;
}

/* kmem_cache_free_bulk - free @n objects of @objs (NULL entries skipped). */
void
kmem_cache_free_bulk(struct kmem_cache *cachep, size_t n, void **objs)
{
	struct array_cache *ac;
	size_t i = 0;

	if ((cachep->flags & SLAB_DEBUG_FLAGS) || cachep->nr_nodes > 1 ||
	    (ac = cpu_cache_get(cachep)) == NULL) {
		for (; i < n; i++)
			if (objs[i] != NULL)
				__kmem_cache_free(cachep, objs[i]);
		return;
	}
	check_drain_request(cachep, ac);
	while (i < n) {
		unsigned int room;

		if (ac->avail == ac->limit) {
			WRITE_ONCE(ac->freemiss, ac->freemiss + 1);
			cache_flusharray(cachep, ac);
		}
		room = ac->limit - ac->avail;
		while (room-- && i < n) {
			if (objs[i] != NULL)
				ac->entry[ac->avail++] = objs[i];
			i++;
		}
		WRITE_ONCE(ac->freehit, ac->freehit + 1);
	}
}

/* ------------------------------------------------------------- reaping */

/* drain_array: the reaper's 1/5 rule (or all with @all).  */
static void
drain_own_array(struct kmem_cache *cachep, struct array_cache *ac)
{
	unsigned int tofree;

	if (ac == NULL || ac->avail == 0)
		return;
	if (ac->touched) {
		ac->touched = 0;
		return;
	}
	tofree = (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	drain_array_front(cachep, ac, tofree);
}

/* The shared array of @n: same touched rule, node lock taken here. */
static void
drain_shared(struct kmem_cache *cachep, struct kmem_cache_node *n,
    unsigned int node, bool all)
{
	struct array_cache *sh = n->shared;
	struct list_head list;
	unsigned int tofree;

	INIT_LIST_HEAD(&list);
	pthread_mutex_lock(&n->list_lock);
	sh = n->shared;
	if (sh == NULL || sh->avail == 0) {
		pthread_mutex_unlock(&n->list_lock);
		return;
	}
	if (!all && sh->touched) {
		sh->touched = 0;
		pthread_mutex_unlock(&n->list_lock);
		return;
	}
	tofree = all ? sh->avail : (sh->limit + 4) / 5;
	if (tofree > sh->avail)
		tofree = (sh->avail + 1) / 2;
	free_block(cachep, sh->entry, tofree, node, &list);
	sh->avail -= tofree;
	memmove(sh->entry, &sh->entry[tofree], sizeof(void *) * sh->avail);
	pthread_mutex_unlock(&n->list_lock);
	slabs_destroy(cachep, &list);
}

static void
drain_aliens(struct kmem_cache *cachep, unsigned int node, int only)
{
	struct kmem_cache_node *n = cachep->node[node];
	unsigned int j;

	if (n->alien == NULL)
		return;
	for (j = 0; j < cachep->nr_nodes; j++) {
		if (j == node || (only >= 0 && (unsigned int)only != j))
			continue;
		if (only >= 0) {
			/* The reaper does not wait for a busy alien array. */
			if (pthread_mutex_trylock(&n->alien_lock[j]) != 0)
				continue;
		} else {
			pthread_mutex_lock(&n->alien_lock[j]);
		}
		if (n->alien[j] != NULL)
			drain_alien(cachep, n->alien[j], j);
		pthread_mutex_unlock(&n->alien_lock[j]);
	}
}

/*
 * __cache_reap - one reaping pass of the calling thread at time @now (ms):
 * its own arrays by the touched rule, one alien array round robin, and
 * every REAPTIMEOUT_NODE the node's shared array and about a fifth of
 * free_limit's worth of free slabs.  Hot pages that stayed unused since
 * the previous pass go back to the system.
 */
void
__cache_reap(uint64_t now)
{
	int node = slab_thread_node();
	struct kmem_cache *cachep;

	if (pthread_mutex_trylock(&slab_mutex) != 0)
		return;
	for (cachep = slab_caches; cachep != NULL; cachep = cachep->next) {
		struct kmem_cache_node *n = cachep->node[node];
		struct array_cache *ac = slab_cpu_cache[cachep->id];
		unsigned long tofree;

		if (ac != NULL && ac->cache == cachep) {
			check_drain_request(cachep, ac);
			drain_own_array(cachep, ac);
		}
		if (cachep->nr_nodes > 1) {
			n->reap_node = (n->reap_node + 1) % cachep->nr_nodes;
			if (n->reap_node == (unsigned int)node)
				n->reap_node = (n->reap_node + 1) %
				    cachep->nr_nodes;
			drain_aliens(cachep, (unsigned int)node,
			    (int)n->reap_node);
		}
		pthread_mutex_lock(&n->list_lock);
		if (n->next_reap > now) {
			pthread_mutex_unlock(&n->list_lock);
			continue;
		}
		n->next_reap = now + REAPTIMEOUT_NODE_MS;
		pthread_mutex_unlock(&n->list_lock);
		drain_shared(cachep, n, (unsigned int)node, false);
		pthread_mutex_lock(&n->list_lock);
		if (n->free_touched) {
			n->free_touched = 0;
			pthread_mutex_unlock(&n->list_lock);
		} else {
			tofree = (n->free_limit + 5 * cachep->num - 1) /
			    (5 * cachep->num);
			pthread_mutex_unlock(&n->list_lock);
			tofree = drain_freelist(cachep, n, tofree);
			atomic_fetch_add_relaxed(&cachep->reaped, tofree);
		}
		rcu_slabs_release(cachep);
	}
	pthread_mutex_unlock(&slab_mutex);
	page_trim((unsigned int)node, false);
}

void
cache_reap(void)
{
	__cache_reap(slab_clock_ms());
}

/* Empty every array, alien and shared array of @cachep.  slab_mutex held. */
static void
drain_cpu_caches(struct kmem_cache *cachep, bool all_threads)
{
	struct array_cache *ac = slab_cpu_cache[cachep->id];
	unsigned int i;

	atomic_fetch_add_relaxed(&cachep->drain_gen, 1);
	if (ac != NULL && ac->cache == cachep) {
		ac->drain_seen = cachep->drain_gen;
		drain_array_front(cachep, ac, ac->avail);
	}
	if (all_threads) {
		for (ac = cachep->arrays; ac != NULL; ac = ac->next)
			drain_array_front(cachep, ac, ac->avail);
	}
	for (i = 0; i < cachep->nr_nodes; i++)
		drain_aliens(cachep, i, -1);
	for (i = 0; i < cachep->nr_nodes; i++)
		drain_shared(cachep, cachep->node[i], i, true);
}

static int
__kmem_cache_shrink(struct kmem_cache *cachep, bool all_threads)
{
	unsigned int i;
	int ret = 0;

	drain_cpu_caches(cachep, all_threads);
	for (i = 0; i < cachep->nr_nodes; i++) {
		struct kmem_cache_node *n = cachep->node[i];

		drain_freelist(cachep, n, ~0UL);
		pthread_mutex_lock(&n->list_lock);
		if (!list_empty(&n->slabs_full) ||
		    !list_empty(&n->slabs_partial))
			ret = 1;
		pthread_mutex_unlock(&n->list_lock);
	}
	rcu_slabs_release(cachep);
	for (i = 0; i < cachep->nr_nodes; i++)
		page_trim(i, true);
	return ret;
}

/**
 * kmem_cache_shrink - give every free slab of @cachep back to the system.
 *
 * Empties the caller's array, the shared and alien arrays, and asks the
 * other threads to empty theirs at their next slow path or reap.
 * Return: 1 if objects are still in use, else 0.
 */
int
kmem_cache_shrink(struct kmem_cache *cachep)
{
	int ret;

	pthread_mutex_lock(&slab_mutex);
	ret = __kmem_cache_shrink(cachep, false);
	pthread_mutex_unlock(&slab_mutex);
	return ret;
}

/**
 * kmem_cache_destroy - remove an unused cache.
 *
 * The caller guarantees nobody allocates from or frees to @cachep any
 * more (as in the kernel); objects cached in any thread's array are then
 * taken back.  A cache that still has objects in use is not destroyed:
 * it is reported and stays usable.
 * Return: 0, or -EBUSY with objects still in use.
 */
int
kmem_cache_destroy(struct kmem_cache *cachep)
{
	struct kmem_cache **pp;

	if (cachep == NULL)
		return 0;
	pthread_mutex_lock(&slab_mutex);
	if (__kmem_cache_shrink(cachep, true)) {
		pthread_mutex_unlock(&slab_mutex);
		slab_report(cachep, "kmem_cache_destroy: %lu objects still in "
		    "use, cache kept",
		    READ_ONCE(cachep->num_active));
		return -EBUSY;
	}
	while (cachep->arrays != NULL)
		array_give_back(cachep, cachep->arrays);
	for (pp = &slab_caches; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == cachep) {
			*pp = cachep->next;
			break;
		}
	}
	cache_by_id[cachep->id] = NULL;
	pthread_mutex_unlock(&slab_mutex);
	free_nodes(cachep);
	free(cachep);
	return 0;
}

/* Sum of the per-thread cpustat counters (allochit..freemiss). */
void
slab_cpustat(struct kmem_cache *cachep, unsigned long st[4])
{
	struct array_cache *ac;

	st[0] = cachep->retired_allochit;
	st[1] = cachep->retired_allocmiss;
	st[2] = cachep->retired_freehit;
	st[3] = cachep->retired_freemiss;
	for (ac = cachep->arrays; ac != NULL; ac = ac->next) {
		st[0] += READ_ONCE(ac->allochit);
		st[1] += READ_ONCE(ac->allocmiss);
		st[2] += READ_ONCE(ac->freehit);
		st[3] += READ_ONCE(ac->freemiss);
	}
}

size_t
slab_mapped_bytes(void)
{
	return page_mapped_bytes();
}
