/* SPDX-License-Identifier: MIT */
/*
 * slab_debug.c - SLAB_RED_ZONE, SLAB_POISON and SLAB_STORE_USER.
 *
 * A debug cache's buffer is [redzone 1][object][redzone 2][last caller]:
 * the redzones hold RED_INACTIVE while the object is free and RED_ACTIVE
 * while it is in use, so a second free and a write past either end are
 * seen at the next free or allocation.  A poisoned free object is filled
 * with 0x6b (last byte 0xa5), so a write after free is seen when it is
 * handed out again.  Every finding is reported with the cache name and
 * the address and counted in the cache's error column; a bad free leaves
 * the object alone instead of corrupting the slab.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "slab/slab_internal.h"

static uint64_t *
redzone1(struct kmem_cache *cachep, void *buf)
{
	(void)cachep;
	return (uint64_t *)buf;
}

static uint64_t *
redzone2(struct kmem_cache *cachep, void *buf)
{
	size_t off = cachep->size - sizeof(uint64_t);

	if (cachep->flags & SLAB_STORE_USER)
		off -= sizeof(uint64_t);
	return (uint64_t *)((char *)buf + off);
}

static void **
user_word(struct kmem_cache *cachep, void *buf)
{
	return (void **)((char *)buf + cachep->size - sizeof(void *));
}

static void
poison_obj(struct kmem_cache *cachep, void *buf, unsigned char val)
{
	unsigned char *p = (unsigned char *)buf + cachep->obj_offset;

	memset(p, val, cachep->object_size);
	p[cachep->object_size - 1] = POISON_END;
}

/* Return: the offset of the first bad byte, or -1 when intact. */
static long
check_poison(struct kmem_cache *cachep, void *buf)
{
	unsigned char *p = (unsigned char *)buf + cachep->obj_offset;
	unsigned int i, last = cachep->object_size - 1;

	for (i = 0; i < last; i++)
		if (p[i] != POISON_FREE)
			return (long)i;
	return p[last] == POISON_END ? -1 : (long)last;
}

/* A new slab's object: mark it free. */
void
debug_init_obj(struct kmem_cache *cachep, void *buf)
{
	if (cachep->flags & SLAB_STORE_USER)
		*user_word(cachep, buf) = NULL;
	if (cachep->flags & SLAB_RED_ZONE) {
		*redzone1(cachep, buf) = RED_INACTIVE;
		*redzone2(cachep, buf) = RED_INACTIVE;
	}
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, buf, POISON_FREE);
	else if (cachep->ctor)
		cachep->ctor((char *)buf + cachep->obj_offset);
}

/* An object is about to be handed out.  Return: 0 (findings reported). */
int
debug_check_alloc(struct kmem_cache *cachep, void *buf, void *caller)
{
	void *objp = (char *)buf + cachep->obj_offset;

	if (cachep->flags & SLAB_POISON) {
		long bad = check_poison(cachep, buf);

		if (bad >= 0)
			slab_report(cachep, "slab corruption: object %p "
			    "written after free at offset %ld", objp, bad);
		poison_obj(cachep, buf, POISON_INUSE);
	}
	if (cachep->flags & SLAB_RED_ZONE) {
		uint64_t r1 = *redzone1(cachep, buf);
		uint64_t r2 = *redzone2(cachep, buf);

		if (r1 != RED_INACTIVE || r2 != RED_INACTIVE)
			slab_report(cachep, "double free, or memory outside "
			    "object %p was overwritten (redzone 1 %#" PRIx64
			    ", redzone 2 %#" PRIx64 ")", objp, r1, r2);
		*redzone1(cachep, buf) = RED_ACTIVE;
		*redzone2(cachep, buf) = RED_ACTIVE;
	}
	if (cachep->flags & SLAB_STORE_USER)
		*user_word(cachep, buf) = caller;
	if ((cachep->flags & SLAB_POISON) && cachep->ctor)
		cachep->ctor(objp);
	return 0;
}

/*
 * An object is being freed.  Return: 0 to go on freeing it, -1 when it
 * must not be freed (foreign pointer, wrong cache, not an object start,
 * double free).
 */
int
debug_check_free(struct kmem_cache *cachep, void *buf, void *caller)
{
	void *objp = (char *)buf + cachep->obj_offset;
	struct slab_page *pg;
	unsigned int idx;

	if (!page_owns(buf)) {
		slab_report(cachep, "kmem_cache_free: %p is not a slab "
		    "object", objp);
		return -1;
	}
	pg = virt_to_slab(buf);
	if (pg->slab_cache != cachep) {
		slab_report(cachep, "kmem_cache_free: %p belongs to cache %s",
		    objp, pg->slab_cache ? pg->slab_cache->name : "(none)");
		return -1;
	}
	idx = obj_to_index(cachep, pg, buf);
	if ((char *)buf < (char *)pg->s_mem || idx >= cachep->num ||
	    index_to_obj(cachep, pg, idx) != buf) {
		slab_report(cachep, "kmem_cache_free: %p is not the start of "
		    "an object", objp);
		return -1;
	}
	if (cachep->flags & SLAB_RED_ZONE) {
		uint64_t r1 = *redzone1(cachep, buf);
		uint64_t r2 = *redzone2(cachep, buf);

		if (r1 == RED_INACTIVE && r2 == RED_INACTIVE) {
			slab_report(cachep, "double free detected: object %p",
			    objp);
			return -1;
		}
		if (r1 != RED_ACTIVE || r2 != RED_ACTIVE)
			slab_report(cachep, "memory outside object %p was "
			    "overwritten (redzone 1 %#" PRIx64 ", redzone 2 %#"
			    PRIx64 ")", objp, r1, r2);
		*redzone1(cachep, buf) = RED_INACTIVE;
		*redzone2(cachep, buf) = RED_INACTIVE;
	}
	if (cachep->flags & SLAB_STORE_USER)
		*user_word(cachep, buf) = caller;
	if (cachep->flags & SLAB_POISON)
		poison_obj(cachep, buf, POISON_FREE);
	return 0;
}

/* A slab goes away: all its objects are free and must look it. */
void
debug_check_slab_destroy(struct kmem_cache *cachep, struct slab_page *pg)
{
	unsigned int i;

	for (i = 0; i < cachep->num; i++) {
		void *buf = index_to_obj(cachep, pg, i);

		if ((cachep->flags & SLAB_POISON) &&
		    check_poison(cachep, buf) >= 0)
			slab_report(cachep, "slab corruption: free object %p "
			    "written after free", (char *)buf +
			    cachep->obj_offset);
		if ((cachep->flags & SLAB_RED_ZONE) &&
		    (*redzone1(cachep, buf) != RED_INACTIVE ||
		    *redzone2(cachep, buf) != RED_INACTIVE))
			slab_report(cachep, "redzone overwritten around free "
			    "object %p", (char *)buf + cachep->obj_offset);
	}
}
