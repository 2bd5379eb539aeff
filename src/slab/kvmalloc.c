/* SPDX-License-Identifier: MIT */
/*
 * kvmalloc.c - kvzalloc and kvfree: zeroed memory for the large tables
 * that are not slab objects (fn_zone hash tables, the per-/16 zone
 * summary, the route cache's bucket array), as the kernel takes them
 * from vmalloc or alloc_large_system_hash.
 *
 * Small requests come from the C heap.  From 1 MiB up, the memory is an
 * mmap of its own, starting on a 2 MiB boundary, so that it can be put
 * on huge pages: kvzalloc_huge at once, kv_advise_huge later (when a
 * table turns out to be big).  These tables are read at random by every
 * lookup, and with 4 KiB pages nearly every probe of a table of tens of
 * MiB also misses the TLB (fib_bench, uniform lookups: 148 -> 115 ns
 * with the slab on huge pages, 110-119 ns with the tables too).  Huge pages are only
 * advice: the kernel uses small ones when it has none or THP is off.
 * They are not the default because a touched huge page is 2 MiB of RSS,
 * too much for the summary of a table holding three routes.
 *
 * A 64-byte header before the memory records how it was obtained, so
 * kvfree takes either kind; the memory itself starts on a cache line.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "slab/slab_internal.h"

#define KV_HDR		64
#define KV_MAP_MIN	(1UL << 20)
#define KV_HUGE		(2UL << 20)
#define KV_MAGIC_HEAP	0x6b76686561700000ULL	/* "kvheap" */
#define KV_MAGIC_MAP	0x6b766d6170000000ULL	/* "kvmap" */

struct kv_hdr {
	uint64_t	 magic;
	void		*base;		/* what to free or unmap */
	size_t		 len;		/* mapping length (KV_MAGIC_MAP) */
};

/* The header of memory from kv_alloc. */
static inline struct kv_hdr *
kv_hdr_of(void *ptr)
{
	return (struct kv_hdr *)((char *)ptr - KV_HDR);
}

static void *
kv_alloc(size_t size, int huge)
{
	struct kv_hdr *h;
	uintptr_t raw, p;
	size_t len;

	if (size > SIZE_MAX - KV_HDR - 2 * KV_HUGE) {
		errno = ENOMEM;
		return NULL;
	}
	if (size < KV_MAP_MIN) {
		void *mem;

		if (posix_memalign(&mem, KV_HDR, KV_HDR + size) != 0) {
			errno = ENOMEM;
			return NULL;
		}
		memset(mem, 0, KV_HDR + size);
		h = mem;
		h->magic = KV_MAGIC_HEAP;
		h->base = mem;
		return (char *)mem + KV_HDR;
	}
	/*
	 * Map a huge page more than needed and put the header one line
	 * before a 2 MiB boundary, so that the table itself starts on one.
	 */
	len = (KV_HDR + size + 2 * KV_HUGE - 1) & ~(KV_HUGE - 1);
	raw = (uintptr_t)mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if ((void *)raw == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	if (huge)
		(void)madvise((void *)raw, len, MADV_HUGEPAGE);
	p = (raw + KV_HDR + KV_HUGE - 1) & ~(KV_HUGE - 1);
	h = kv_hdr_of((void *)p);
	h->magic = KV_MAGIC_MAP;
	h->base = (void *)raw;
	h->len = len;
	lsan_register((void *)raw, len);
	return (void *)p;
}

/**
 * kvzalloc - @size zeroed bytes, cache-line aligned.
 * Return: the memory, or NULL with errno ENOMEM.
 */
void *
kvzalloc(size_t size)
{
	return kv_alloc(size, 0);
}

/** kvzalloc_huge - kvzalloc, on huge pages from 1 MiB up. */
void *
kvzalloc_huge(size_t size)
{
	return kv_alloc(size, 1);
}

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25	/* Linux 6.1 */
#endif

/**
 * kv_advise_huge - put memory from kvzalloc on huge pages from now on,
 * and (Linux 6.1 and later) what is already resident too.  Small
 * (heap) allocations are left alone.
 */
void
kv_advise_huge(void *ptr)
{
	struct kv_hdr *h;

	if (ptr == NULL || (h = kv_hdr_of(ptr))->magic != KV_MAGIC_MAP)
		return;
	(void)madvise(h->base, h->len, MADV_HUGEPAGE);
	(void)madvise(h->base, h->len, MADV_COLLAPSE);
}

/** kvfree - give back memory from kvzalloc (NULL: nothing). */
void
kvfree(void *ptr)
{
	struct kv_hdr *h;

	if (ptr == NULL)
		return;
	h = kv_hdr_of(ptr);
	if (h->magic == KV_MAGIC_MAP) {
		h->magic = 0;
		lsan_unregister(h->base, h->len);
		munmap(h->base, h->len);
	} else if (h->magic == KV_MAGIC_HEAP) {
		h->magic = 0;
		free(h->base);
	} else {
		abort();	/* not ours, or freed twice */
	}
}
