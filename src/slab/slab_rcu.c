/* SPDX-License-Identifier: MIT */
/*
 * slab_rcu.c - freeing into a kmem_cache, or kvfree, after an RCU grace
 * period: the kernel's kfree_rcu idea on top of base/rcu.h's batches.
 */
#include "rtcache/slab.h"
#include "base/rcu.h"

static void
cache_free_cb(void *cachep, void *objp)
{
	kmem_cache_free(cachep, objp);
}

static void
kvfree_cb(void *unused, void *ptr)
{
	(void)unused;
	kvfree(ptr);
}

void
kmem_cache_free_rcu(struct kmem_cache *cachep, void *objp)
{
	rcu_defer(cache_free_cb, cachep, objp);
}

void
kvfree_rcu(void *ptr)
{
	rcu_defer(kvfree_cb, NULL, ptr);
}
