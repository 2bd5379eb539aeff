/* SPDX-License-Identifier: MIT */
/*
 * test_slab.c - Criterion suite of the SLAB allocator: geometry against
 * the reference's worked examples, the array/shared/alien/slab transfers
 * step by step, reaping and shrinking with the memory really returned,
 * slabinfo, the debug flags, and bad input.  Each test runs in its own
 * process, so each may set the allocator up its own way.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <criterion/theories.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtcache/slab.h"
#include "slab/slab_internal.h"

static unsigned int
ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (unsigned int)n : 1;
}

static void
nop_ctor(void *p)
{
	(void)p;
}

/* ------------------------------------------------------------ geometry */

struct geo_case {
	unsigned int	object_size;
	unsigned long	flags;
	int		ctor;
	unsigned int	size, align;
	unsigned long	layout;		/* CFLGS_* or 0 for ON_SLAB */
	unsigned int	num, order, left, colour, limit;
};

ParameterizedTestParameters(slab, geometry)
{
	static struct geo_case cases[] = {
		{ 8, 0, 0, 16, 8, 0, 240, 0, 16, 0, 120 },
		{ 20, SLAB_HWCACHE_ALIGN, 0, 32, 32, 0, 124, 0, 4, 0, 120 },
		{ 32, 0, 0, 32, 8, 0, 124, 0, 4, 0, 120 },
		{ 64, SLAB_HWCACHE_ALIGN, 1, 64, 64, 0, 63, 0, 1, 0, 120 },
		{ 100, 0, 0, 104, 8, CFLGS_OBJFREELIST_SLAB, 39, 0, 40, 0, 120 },
		{ 192, SLAB_HWCACHE_ALIGN, 1, 192, 64, 0, 21, 0, 43, 0, 120 },
		{ 256, 0, 0, 256, 8, CFLGS_OBJFREELIST_SLAB, 16, 0, 0, 0, 120 },
		{ 256, 0, 1, 256, 8, CFLGS_OFF_SLAB, 16, 0, 0, 0, 120 },
		{ 500, 0, 1, 504, 8, 0, 8, 0, 56, 0, 54 },
		{ 1024, 0, 0, 1024, 8, CFLGS_OBJFREELIST_SLAB, 4, 0, 0, 0, 54 },
		{ 3000, 0, 0, 3000, 8, CFLGS_OBJFREELIST_SLAB, 2, 1, 2192, 34, 24 },
		{ 3000, 0, 1, 3000, 8, 0, 2, 1, 2190, 34, 24 },
		{ 4096, 0, 0, 4096, 8, CFLGS_OBJFREELIST_SLAB, 1, 0, 0, 0, 24 },
		{ 5000, 0, 0, 5000, 8, CFLGS_OBJFREELIST_SLAB, 1, 1, 3192, 49, 8 },
		{ 8192, 0, 1, 8192, 8, CFLGS_OFF_SLAB, 1, 1, 0, 0, 8 },
		{ 200000, 0, 0, 200000, 8, CFLGS_OBJFREELIST_SLAB, 1, 6, 62144,
		  971, 1 },
	};

	return cr_make_param_array(struct geo_case, cases,
	    sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct geo_case *gc, slab, geometry)
{
	struct kmem_cache *c = kmem_cache_create("geo", gc->object_size, 0,
	    gc->flags, gc->ctor ? nop_ctor : NULL);
	unsigned long layout;
	size_t bytes, per, left;
	unsigned int shared;

	cr_assert_not_null(c, "create %u failed: %s", gc->object_size,
	    strerror(errno));
	layout = c->flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB);
	cr_expect_eq(c->size, gc->size, "size %u", c->size);
	cr_expect_eq(c->align, gc->align, "align %u", c->align);
	cr_expect_eq(layout, gc->layout, "layout %#lx", layout);
	cr_expect_eq(c->num, gc->num, "num %u", c->num);
	cr_expect_eq(c->gfporder, gc->order, "order %u", c->gfporder);
	bytes = PAGE_SIZE << c->gfporder;
	per = c->size + (layout ? 0 : 1);
	left = bytes - c->num * per;
	cr_expect_eq(left, gc->left, "left %zu", left);
	cr_expect_eq(c->colour, gc->colour, "colour %u", c->colour);
	cr_expect_eq(c->limit, gc->limit, "limit %u", c->limit);
	cr_expect_eq(c->batchcount, (gc->limit + 1) / 2);
	shared = (ncpus() > 1 && c->size <= PAGE_SIZE) ? 8 : 0;
	cr_expect_eq(c->shared, shared, "shared %u", c->shared);
	cr_expect_eq(c->node[0]->free_limit,
	    (1 + ncpus()) * c->batchcount + c->num);
	/* and the objects really work */
	{
		void *o = kmem_cache_alloc(c, 0);

		cr_assert_not_null(o);
		memset(o, 0x11, gc->object_size);
		kmem_cache_free(c, o);
	}
	cr_expect_eq(kmem_cache_destroy(c), 0);
}

Test(slab, alignment_rules)
{
	struct kmem_cache *c;
	void *o[50];

	c = kmem_cache_create("a40", 40, 0, SLAB_HWCACHE_ALIGN, NULL);
	cr_assert_not_null(c);
	cr_expect_eq(c->align, 64);
	c = kmem_cache_create("a8", 8, 0, SLAB_HWCACHE_ALIGN, NULL);
	cr_assert_not_null(c);
	cr_expect_eq(c->align, 8);
	c = kmem_cache_create("a128", 24, 128, 0, NULL);
	cr_assert_not_null(c);
	cr_expect_eq(c->align, 128);
	cr_expect_eq(c->size, 128);
	cr_expect(c->flags & CFLGS_OFF_SLAB);
	for (int i = 0; i < 50; i++) {
		o[i] = kmem_cache_alloc(c, 0);
		cr_assert_eq((uintptr_t)o[i] % 128, 0);
	}
	for (int i = 0; i < 50; i++)
		kmem_cache_free(c, o[i]);
	cr_expect_eq(kmem_cache_destroy(c), 0);
}

/* ------------------------------------------------------- alloc / free */

Test(slab, zalloc_zeroes)
{
	struct kmem_cache *c = kmem_cache_create("z", 192, 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	unsigned char *p, *q;
	unsigned int i;

	p = kmem_cache_alloc(c, 0);
	memset(p, 0xee, 192);
	kmem_cache_free(c, p);
	q = kmem_cache_zalloc(c, 0);
	cr_assert_eq(p, q, "LIFO reuse expected");
	for (i = 0; i < 192; i++)
		cr_assert_eq(q[i], 0, "byte %u not zero", i);
	memset(q, 0xee, 192);
	kmem_cache_free(c, q);
	q = kmem_cache_alloc(c, __GFP_ZERO);
	for (i = 0; i < 192; i++)
		cr_assert_eq(q[i], 0);
}

static int ctor_calls;

static void
count_ctor(void *p)
{
	ctor_calls++;
	memset(p, 0x42, 64);
}

Test(slab, ctor_runs_when_slab_is_built)
{
	struct kmem_cache *c = kmem_cache_create("ctor", 64, 0,
	    SLAB_HWCACHE_ALIGN, count_ctor);
	unsigned char *o[100];
	int i;

	o[0] = kmem_cache_alloc(c, 0);
	cr_assert_eq(ctor_calls, (int)c->num, "ctor ran %d times", ctor_calls);
	cr_expect_eq(o[0][10], 0x42);
	o[0][10] = 1;
	kmem_cache_free(c, o[0]);
	o[0] = kmem_cache_alloc(c, 0);
	cr_expect_eq(o[0][10], 1, "ctor must not run again on reuse");
	for (i = 1; i < 100; i++)
		o[i] = kmem_cache_alloc(c, 0);
	cr_expect_eq(ctor_calls, (int)(2 * c->num), "two slabs built");
}

Test(slab, refill_and_flush_move_batches)
{
	struct kmem_cache *c = kmem_cache_create("batch", 192, 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache_node *n = c->node[0];
	struct array_cache *ac;
	void *o[500];
	unsigned int i;

	cr_assume_eq(c->shared, 8);
	o[0] = kmem_cache_alloc(c, 0);
	ac = slab_cpu_cache[c->id];
	cr_assert_not_null(ac);
	/* untouched array: refill capped at BATCHREFILL_LIMIT */
	cr_expect_eq(ac->avail, BATCHREFILL_LIMIT - 1);
	cr_expect_eq(ac->allocmiss, 1);
	for (i = 1; i < BATCHREFILL_LIMIT; i++)
		o[i] = kmem_cache_alloc(c, 0);
	cr_expect_eq(ac->avail, 0);
	o[i++] = kmem_cache_alloc(c, 0);
	/* touched: up to a whole batch, but only what the lists hold (the
	 * rest of the first slab); no growing while anything was found */
	cr_expect_eq(ac->avail, c->num - BATCHREFILL_LIMIT - 1);
	cr_expect_eq(ac->allocmiss, 2);
	cr_expect_eq(ac->allochit, BATCHREFILL_LIMIT - 1);
	while (ac->avail)
		o[i++] = kmem_cache_alloc(c, 0);
	/* lists dry: grow one slab and take all of it (num < batchcount) */
	o[i++] = kmem_cache_alloc(c, 0);
	cr_expect_eq(ac->avail, c->num - 1);
	cr_expect_eq(c->node[0]->total_slabs, 2);
	while (i < 300 || ac->avail)
		o[i++] = kmem_cache_alloc(c, 0);
	/* free until the array is full, then once more: one batch flushes */
	for (i = 0; ac->avail < ac->limit; i++)
		kmem_cache_free(c, o[i]);
	cr_assert_eq(i, ac->limit);
	cr_assert_eq(n->shared->avail, 0);
	kmem_cache_free(c, o[i++]);
	cr_expect_eq(ac->avail, ac->limit - c->batchcount + 1);
	cr_expect_eq(n->shared->avail, c->batchcount);
	cr_expect_eq(ac->freemiss, 1);
	/* the flushed batch holds the oldest entries: o[0..batchcount) */
	for (i = 0; i < c->batchcount; i++)
		cr_expect_eq(n->shared->entry[i], o[i]);
	/* empty the array, then the next refill comes from shared */
	while (ac->avail)
		(void)kmem_cache_alloc(c, 0);
	(void)kmem_cache_alloc(c, 0);
	cr_expect_eq(n->shared->avail, 0);
	cr_expect_eq(ac->avail, c->batchcount - 1);
}

Test(slab, shared_array_between_threads)
{
	struct kmem_cache *c = kmem_cache_create("xshared", 128, 0, 0, NULL);
	struct kmem_cache_node *n = c->node[0];
	void *o[600];
	unsigned int i;

	cr_assume(c->shared > 0);
	for (i = 0; i < 600; i++)
		o[i] = kmem_cache_alloc(c, 0);
	for (i = 0; i < 600; i++)
		kmem_cache_free(c, o[i]);
	cr_expect(n->shared->avail > 0);
	/* a slab-to-shared round trip keeps counts consistent */
	cr_expect_eq(c->num_active, slab_cpu_cache[c->id]->avail +
	    n->shared->avail);
}

/* ------------------------------------------------------------- aliens */

struct alien_arg {
	struct kmem_cache *c;
	void **objs;
	unsigned int n;
};

static void *
free_on_node1(void *arg)
{
	struct alien_arg *a = arg;
	unsigned int i;

	slab_thread_attach(1);
	for (i = 0; i < a->n; i++)
		kmem_cache_free(a->c, a->objs[i]);
	return NULL;
}

Test(slab, alien_frees_across_simulated_nodes)
{
	struct slab_config cfg = { .sim_nodes = 2 };
	struct kmem_cache *c;
	struct alien_arg a;
	pthread_t t;
	void *o[40];
	unsigned int i;

	cr_assert_eq(slab_init(&cfg), 0);
	cr_assert_eq(slab_nr_nodes(), 2);
	cr_assert_eq(slab_thread_attach(0), 0);
	c = kmem_cache_create("alien", 192, 0, SLAB_HWCACHE_ALIGN, NULL);
	cr_assert_not_null(c);
	for (i = 0; i < 40; i++) {
		o[i] = kmem_cache_alloc(c, 0);
		cr_assert_eq(virt_to_slab(o[i])->node, 0);
	}
	a.c = c;
	a.objs = o;
	a.n = 40;
	pthread_create(&t, NULL, free_on_node1, &a);
	pthread_join(t, NULL);
	cr_expect_eq(c->node_frees, 40);
	/* alien array of 12: drained when full, so overflows happened */
	cr_expect_eq(c->node_overflow, 40 / ALIEN_LIMIT);
	cr_expect_eq(c->node[1]->alien[0]->avail, 40 % ALIEN_LIMIT);
	/* node 1 never grew: every object went home to node 0 */
	cr_expect_eq(c->node[1]->total_slabs, 0);
	/* node_allocs: a direct allocation on the other node */
	{
		void *x = kmem_cache_alloc_node(c, 0, 1);

		cr_assert_not_null(x);
		cr_expect_eq(virt_to_slab(x)->node, 1);
		cr_expect_eq(c->node_allocs, 1);
		kmem_cache_free(c, x);	/* alien again: home is node 1 */
		cr_expect_eq(c->node_frees, 41);
	}
	cr_expect_eq(kmem_cache_shrink(c), 0);
	cr_expect_eq(c->num_active, 0);
	cr_expect_eq(kmem_cache_destroy(c), 0);
}

Test(slab, attach_rejects_unknown_node)
{
	cr_expect_eq(slab_thread_attach(5), -EINVAL);
	cr_expect_eq(slab_thread_attach(0), 0);
	cr_expect_eq(slab_thread_node(), 0);
}

/* ----------------------------------------------------- reap and shrink */

static uint64_t fake_now;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

static size_t
rss_bytes(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return (size_t)rss * (size_t)sysconf(_SC_PAGESIZE);
}

Test(slab, reap_drains_untouched_arrays_and_releases_slabs)
{
	struct kmem_cache *c;
	struct array_cache *ac;
	struct kmem_cache_node *n;
	enum { N = 200000 };
	void **o = malloc(N * sizeof(void *));
	size_t rss_full, rss_after, mapped_full;
	unsigned int i, avail;

	slab_clock_ms = fake_clock;
	fake_now = 1000;
	c = kmem_cache_create("reap", 192, 0, SLAB_HWCACHE_ALIGN, NULL);
	n = c->node[0];
	for (i = 0; i < N; i++) {
		o[i] = kmem_cache_alloc(c, 0);
		memset(o[i], 1, 192);
	}
	rss_full = rss_bytes();
	mapped_full = slab_mapped_bytes();
	for (i = 0; i < N; i++)
		kmem_cache_free(c, o[i]);
	ac = slab_cpu_cache[c->id];
	avail = ac->avail;
	cr_assert_gt(avail, (ac->limit + 4) / 5);
	/* free_limit bounds what stays in free slabs */
	cr_expect(n->free_objects <= n->free_limit + c->num);
	/* touched: the first pass only clears the flag */
	ac->touched = 1;
	__cache_reap(fake_now);
	cr_expect_eq(ac->avail, avail);
	cr_expect_eq(ac->touched, 0);
	/* untouched: (limit + 4) / 5 go back each pass */
	__cache_reap(fake_now);
	cr_expect_eq(ac->avail, avail - (ac->limit + 4) / 5);
	avail = ac->avail;
	/* node work only once next_reap has passed */
	fake_now += 10000;
	n->free_touched = 0;
	__cache_reap(fake_now);
	cr_expect(ac->avail < avail);
	cr_expect(c->reaped > 0, "free slabs released by the reaper");
	cr_expect_eq(kmem_cache_shrink(c), 0);
	cr_expect_eq(n->total_slabs, 0);
	cr_expect_eq(n->free_objects, 0);
	rss_after = rss_bytes();
	cr_expect(slab_mapped_bytes() < mapped_full / 10,
	    "mapped %zu of %zu", slab_mapped_bytes(), mapped_full);
	cr_expect(rss_after + 30 * 1024 * 1024 < rss_full,
	    "RSS %zu -> %zu did not fall", rss_full, rss_after);
	free(o);
}

Test(slab, shrink_and_destroy)
{
	struct kmem_cache *c = kmem_cache_create("shr", 100, 0, 0, NULL);
	void *o[1000];
	unsigned int i;

	for (i = 0; i < 1000; i++)
		o[i] = kmem_cache_alloc(c, 0);
	cr_expect_eq(kmem_cache_shrink(c), 1, "objects in use");
	cr_expect_eq(kmem_cache_destroy(c), -EBUSY);
	cr_expect(c->errors > 0, "refusal is reported and counted");
	/* the cache is still usable */
	for (i = 0; i < 1000; i++)
		kmem_cache_free(c, o[i]);
	cr_expect_eq(kmem_cache_shrink(c), 0);
	cr_expect_eq(c->node[0]->total_slabs, 0);
	cr_expect_eq(kmem_cache_destroy(c), 0);
	cr_expect_null(kmem_cache_find("shr"));
}

/* -------------------------------------------------------------- bulk */

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

Test(slab, bulk_alloc_and_free)
{
	struct kmem_cache *c = kmem_cache_create("bulk", 192, 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	static void *o[5000], *s[5000];
	struct array_cache *ac;
	size_t i;

	cr_assert_eq(kmem_cache_alloc_bulk(c, 0, 5000, o), 5000);
	for (i = 0; i < 5000; i++)
		memset(o[i], (int)i, 192);
	memcpy(s, o, sizeof(o));
	qsort(s, 5000, sizeof(void *), cmp_ptr);
	for (i = 0; i < 4999; i++)
		cr_assert_neq(s[i], s[i + 1], "object handed out twice");
	ac = slab_cpu_cache[c->id];
	/* objects out of slabs = handed out + parked in arrays */
	cr_expect_eq(c->num_active, 5000 + ac->avail +
	    c->node[0]->shared->avail);
	kmem_cache_free_bulk(c, 5000, o);
	cr_expect_eq(kmem_cache_shrink(c), 0);
	cr_expect_eq(c->num_active, 0);
	cr_expect_eq(kmem_cache_alloc_bulk(c, __GFP_ZERO, 10, o), 10);
	for (i = 0; i < 10; i++)
		cr_expect_eq(((unsigned char *)o[i])[100], 0);
	kmem_cache_free_bulk(c, 10, o);
}

/* ---------------------------------------------------------- slabinfo */

Test(slab, slabinfo_parses_back)
{
	struct kmem_cache *c = kmem_cache_create("ip_dst_cache", 192, 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	struct kmem_cache *d = kmem_cache_create("fib_info", 100, 0, 0, NULL);
	char *buf = NULL, line[512], name[64];
	size_t len = 0;
	void *o[100];
	unsigned long act, num, size, per, pages, lim, bat, sh, aslabs,
	    nslabs, savail, st[13];
	FILE *f;
	int i, found = 0, lineno = 0;

	for (i = 0; i < 100; i++)
		o[i] = kmem_cache_alloc(c, 0);
	for (i = 0; i < 50; i++)
		kmem_cache_free(c, o[i]);
	(void)d;
	f = open_memstream(&buf, &len);
	cr_assert_eq(slabinfo_show(f), 0);
	fclose(f);
	f = fmemopen(buf, len, "r");
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (lineno == 1) {
			cr_expect_str_eq(line,
			    "slabinfo - version: 2.1 (statistics)\n");
			continue;
		}
		if (lineno == 2) {
			cr_expect(strncmp(line, "# name            <active_objs>",
			    31) == 0);
			continue;
		}
		if (lineno == 3)
			cr_expect(strncmp(line, "fib_info ", 9) == 0,
			    "newest cache first");
		cr_assert_eq(sscanf(line, "%63s %lu %lu %lu %lu %lu : tunables "
		    "%lu %lu %lu : slabdata %lu %lu %lu : globalstat %lu %lu "
		    "%lu %lu %lu %lu %lu %lu %lu : cpustat %lu %lu %lu %lu",
		    name, &act, &num, &size, &per, &pages, &lim, &bat, &sh,
		    &aslabs, &nslabs, &savail, &st[0], &st[1], &st[2], &st[3],
		    &st[4], &st[5], &st[6], &st[7], &st[8], &st[9], &st[10],
		    &st[11], &st[12]), 25, "bad line: %s", line);
		if (strcmp(name, "ip_dst_cache") == 0) {
			found = 1;
			cr_expect_eq(size, 192);
			cr_expect_eq(per, 21);
			cr_expect_eq(pages, 1);
			cr_expect_eq(lim, 120);
			cr_expect_eq(bat, 60);
			cr_expect_eq(num, nslabs * 21);
			/* 100 taken in batches: active counts array objects */
			cr_expect_eq(act, c->num_active);
			cr_expect_geq(act, 50);
			cr_expect_eq(st[9] + st[10], 100);
			cr_expect_eq(st[11], 50, "freehit");
		}
	}
	fclose(f);
	cr_expect_eq(strncmp(strstr(buf, "\nip_dst_cache") + 1,
	    "ip_dst_cache      ", 18), 0, "name column is %%-17s");
	free(buf);
	cr_expect(found);
}

Test(slab, slabinfo_write_tunes)
{
	struct kmem_cache *c = kmem_cache_create("tune_me", 192, 0, 0, NULL);
	const char *ok = "tune_me 32 16 2";
	void *o;

	cr_expect_eq(slabinfo_write(ok, strlen(ok)), (int)strlen(ok));
	cr_expect_eq(c->limit, 32);
	cr_expect_eq(c->batchcount, 16);
	cr_expect_eq(c->shared, 2);
	cr_expect_eq(c->node[0]->shared->limit, 32);
	cr_expect_eq(c->node[0]->free_limit, (1 + ncpus()) * 16 + c->num);
	/* out of range: silently ignored, as the kernel does */
	cr_expect_eq(slabinfo_write("tune_me 10 20 0", 15), 15);
	cr_expect_eq(c->limit, 32);
	cr_expect_eq(slabinfo_write("nosuch 10 5 0", 13), -EINVAL);
	cr_expect_eq(slabinfo_write("tune_me 10", 10), -EINVAL);
	cr_expect_eq(slabinfo_write("tune_me", 7), -EINVAL);
	cr_expect_eq(kmem_cache_tune(c, 10, 20, 0), -EINVAL);
	cr_expect_eq(kmem_cache_tune(c, 0, 0, 0), -EINVAL);
	cr_expect_eq(kmem_cache_tune(c, 10, 5, -1), -EINVAL);
	/* the thread's array is rebuilt with the new limit */
	o = kmem_cache_alloc(c, 0);
	cr_expect_eq(slab_cpu_cache[c->id]->limit, 32);
	kmem_cache_free(c, o);
}

/* A tuning whose arrays cannot be had (the kernel's kmalloc bound) fails
 * with ENOMEM and changes nothing: limits, shared arrays, generation. */
Test(slab, tune_that_fails_with_enomem_changes_nothing)
{
	struct kmem_cache *c = kmem_cache_create("tune_nomem", 192, 0, 0,
	    NULL);
	unsigned int gen;

	cr_assert_eq(kmem_cache_tune(c, 32, 16, 2), 0);
	gen = c->tune_gen;
	/* the shared arrays: 8 x 2^20 entries, 64 MiB */
	cr_expect_eq(kmem_cache_tune(c, 1 << 20, 1 << 20, 8), -ENOMEM);
	/* each thread's array: 2^30 entries */
	cr_expect_eq(kmem_cache_tune(c, 1 << 30, 16, 0), -ENOMEM);
	/* unsigned overflow of shared x batchcount must not wrap to small */
	cr_expect_eq(kmem_cache_tune(c, 0x7fffffff, 0x40000000, 4), -ENOMEM);
	cr_expect_eq(c->limit, 32);
	cr_expect_eq(c->batchcount, 16);
	cr_expect_eq(c->shared, 2);
	cr_expect_eq(c->tune_gen, gen);
	cr_expect_eq(c->node[0]->shared->limit, 32);
}

/* -------------------------------------------------------------- debug */

static char last_report[512];
static int nreports;

static void
capture(const char *msg)
{
	snprintf(last_report, sizeof(last_report), "%s", msg);
	nreports++;
}

static void
debug_setup(void)
{
	struct slab_config cfg = { .report = capture };

	slab_init(&cfg);
}

Test(slab, debug_double_free, .init = debug_setup)
{
	struct kmem_cache *c = kmem_cache_create("dbl", 64, 0,
	    SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, NULL);
	void *a, *b;

	a = kmem_cache_alloc(c, 0);
	kmem_cache_free(c, a);
	cr_expect_eq(nreports, 0, "clean free reported: %s", last_report);
	kmem_cache_free(c, a);
	cr_expect_eq(nreports, 1);
	cr_expect(strstr(last_report, "double free") != NULL, "%s",
	    last_report);
	cr_expect(strstr(last_report, "dbl") != NULL, "names the cache");
	/* the object went around once only */
	a = kmem_cache_alloc(c, 0);
	b = kmem_cache_alloc(c, 0);
	cr_expect_neq(a, b);
	cr_expect_eq(c->errors, 1);
}

Test(slab, debug_overrun, .init = debug_setup)
{
	struct kmem_cache *c = kmem_cache_create("ovr", 100, 0,
	    SLAB_RED_ZONE, NULL);
	char *a = kmem_cache_alloc(c, 0);
	char addr[32];

	memset(a, 'x', 100 + 12);	/* past the end, into the redzone */
	kmem_cache_free(c, a);
	cr_expect_eq(nreports, 1);
	cr_expect(strstr(last_report, "overwritten") != NULL, "%s",
	    last_report);
	snprintf(addr, sizeof(addr), "%p", (void *)a);
	cr_expect(strstr(last_report, addr) != NULL, "names the address");
}

Test(slab, debug_use_after_free, .init = debug_setup)
{
	struct kmem_cache *c = kmem_cache_create("uaf", 64, 0, SLAB_POISON,
	    NULL);
	char *a = kmem_cache_alloc(c, 0), *b;

	kmem_cache_free(c, a);
	a[5] = 1;
	b = kmem_cache_alloc(c, 0);
	cr_expect_eq(a, b);
	cr_expect(strstr(last_report, "written after free") != NULL, "%s",
	    last_report);
}

Test(slab, debug_wrong_cache_and_foreign_pointer, .init = debug_setup)
{
	struct kmem_cache *c1 = kmem_cache_create("one", 64, 0, SLAB_RED_ZONE,
	    NULL);
	struct kmem_cache *c2 = kmem_cache_create("two", 64, 0, SLAB_RED_ZONE,
	    NULL);
	char stackbuf[128];
	void *a = kmem_cache_alloc(c1, 0);

	kmem_cache_free(c2, a);
	cr_expect(strstr(last_report, "belongs to cache one") != NULL, "%s",
	    last_report);
	kmem_cache_free(c2, stackbuf + 8);
	cr_expect(strstr(last_report, "not a slab object") != NULL, "%s",
	    last_report);
	kmem_cache_free(c1, (char *)a + 4);
	cr_expect(strstr(last_report, "not the start") != NULL, "%s",
	    last_report);
	kmem_cache_free(c1, NULL);
	cr_expect(strstr(last_report, "NULL") != NULL);
	kmem_cache_free(c1, a);		/* the real free still works */
	cr_expect_eq(nreports, 4);
}

/* ---------------------------------------------------------- bad input */

Test(slab, bad_arguments)
{
	errno = 0;
	cr_expect_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(kmem_cache_create("huge", 64UL << 20, 0, 0, NULL));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(kmem_cache_create("align3", 64, 3, 0, NULL));
	cr_expect_eq(errno, EINVAL);
	cr_expect_null(kmem_cache_create(NULL, 64, 0, 0, NULL));
	cr_expect_null(kmem_cache_create("", 64, 0, 0, NULL));
	cr_expect_eq(kmem_cache_destroy(NULL), 0);
}

Test(slab, mmap_failure_gives_enomem)
{
	struct kmem_cache *c = kmem_cache_create("nomem", 70000, 0, 0, NULL);
	void *o;

	cr_assert_not_null(c);
	page_inject_mmap_failure(1);
	errno = 0;
	o = kmem_cache_alloc(c, 0);
	cr_expect_null(o);
	cr_expect_eq(errno, ENOMEM);
	/* and it recovers */
	o = kmem_cache_alloc(c, 0);
	cr_expect_not_null(o);
	kmem_cache_free(c, o);
}

Test(slab, too_many_caches)
{
	struct kmem_cache *c;
	int i, made = 0;
	char name[32];

	for (i = 0; i < SLAB_MAX_CACHES + 5; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		c = kmem_cache_create(name, 32, 0, 0, NULL);
		if (c == NULL) {
			cr_expect_eq(errno, ENOSPC);
			break;
		}
		made++;
	}
	cr_expect_eq(made, SLAB_MAX_CACHES);
}

/* ------------------------------------------------- typesafe by RCU */

static int grace_periods;

static void
fake_synchronize(void)
{
	grace_periods++;
}

Test(slab, typesafe_by_rcu_waits_for_grace_period)
{
	struct slab_config cfg = { .synchronize_rcu = fake_synchronize };
	struct kmem_cache *c;
	void *o[2000];
	int i;

	slab_init(&cfg);
	c = kmem_cache_create("rcu", 192, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	cr_assert(!(c->flags & CFLGS_OBJFREELIST_SLAB));
	for (i = 0; i < 2000; i++)
		o[i] = kmem_cache_alloc(c, 0);
	for (i = 0; i < 2000; i++)
		kmem_cache_free(c, o[i]);
	/* slabs past free_limit wait instead of going back at once */
	cr_expect(!list_empty(&c->node[0]->slabs_rcu));
	cr_expect_eq(grace_periods, 0);
	cr_expect_eq(kmem_cache_shrink(c), 0);
	cr_expect_eq(grace_periods, 1);
	cr_expect(list_empty(&c->node[0]->slabs_rcu));
}

/* a thread's arrays go back when it exits */
static void *
alloc_and_exit(void *arg)
{
	struct kmem_cache *c = arg;
	void *o[10];
	int i;

	for (i = 0; i < 10; i++)
		o[i] = kmem_cache_alloc(c, 0);
	for (i = 0; i < 10; i++)
		kmem_cache_free(c, o[i]);
	return NULL;
}

Test(slab, thread_exit_gives_arrays_back)
{
	struct kmem_cache *c = kmem_cache_create("exit", 192, 0, 0, NULL);
	unsigned long st[4];
	pthread_t t;

	pthread_create(&t, NULL, alloc_and_exit, c);
	pthread_join(t, NULL);
	cr_expect_null(c->arrays, "no array left registered");
	cr_expect_eq(c->num_active, 0);
	slab_cpustat(c, st);
	cr_expect_eq(st[0] + st[1], 10, "cpustat survives the thread");
	cr_expect_eq(kmem_cache_destroy(c), 0);
}

/* kvzalloc: zeroed, line-aligned, both kinds; large ones on 2 MiB. */
Test(slab, kvzalloc_small_and_large)
{
	static const size_t sizes[] = { 1, 4096, (1UL << 20) - 65, 1UL << 20,
	    (4UL << 20) + 3 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = i & 1 ? kvzalloc_huge(sizes[i]) :
		    kvzalloc(sizes[i]);
		size_t j;

		cr_assert_not_null(p, "size %zu", sizes[i]);
		cr_expect_eq((uintptr_t)p % 64, 0);
		if (sizes[i] >= (1UL << 20))
			cr_expect_eq((uintptr_t)p % (2UL << 20), 0,
			    "size %zu not on a huge page boundary", sizes[i]);
		for (j = 0; j < sizes[i]; j += 4093)
			cr_assert_eq(p[j], 0);
		cr_assert_eq(p[sizes[i] - 1], 0);
		memset(p, 0xa5, sizes[i]);
		kv_advise_huge(p);
		cr_expect_eq(p[sizes[i] - 1], 0xa5, "advice changed contents");
		kvfree(p);
	}
	kvfree(NULL);
	kv_advise_huge(NULL);
	errno = 0;
	cr_expect_null(kvzalloc(SIZE_MAX - 100));
	cr_expect_eq(errno, ENOMEM);
}
