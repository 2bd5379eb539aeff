/* SPDX-License-Identifier: MIT */
/*
 * slabinfo.c - /proc/slabinfo version 2.1 with statistics, and its tune
 * write ("NAME LIMIT BATCHCOUNT SHARED"), byte for byte in the kernel's
 * layout: caches newest first, active objects counting those parked in
 * arrays, objsize the padded buffer size.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slab/slab_internal.h"

#define MAX_SLABINFO_WRITE	128

static void
cache_show(FILE *out, struct kmem_cache *cachep)
{
	unsigned long total_slabs = 0, free_slabs = 0, free_objects = 0;
	unsigned long shared_avail = 0, num_objs, st[4];
	unsigned int i;

	for (i = 0; i < cachep->nr_nodes; i++) {
		struct kmem_cache_node *n = cachep->node[i];

		pthread_mutex_lock(&n->list_lock);
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objects += n->free_objects;
		if (n->shared != NULL)
			shared_avail += n->shared->avail;
		pthread_mutex_unlock(&n->list_lock);
	}
	num_objs = total_slabs * cachep->num;
	slab_cpustat(cachep, st);
	fprintf(out, "%-17s %6lu %6lu %6u %4u %4d",
	    cachep->name, num_objs - free_objects, num_objs, cachep->size,
	    cachep->num, 1 << cachep->gfporder);
	fprintf(out, " : tunables %4u %4u %4u", cachep->limit,
	    cachep->batchcount, cachep->shared);
	fprintf(out, " : slabdata %6lu %6lu %6lu", total_slabs - free_slabs,
	    total_slabs, shared_avail);
	fprintf(out, " : globalstat %7lu %6lu %5lu %4lu %4lu %4lu %4lu %4lu "
	    "%4lu",
	    READ_ONCE(cachep->num_allocations),
	    READ_ONCE(cachep->high_mark),
	    READ_ONCE(cachep->grown),
	    READ_ONCE(cachep->reaped),
	    READ_ONCE(cachep->errors),
	    READ_ONCE(cachep->max_freeable),
	    READ_ONCE(cachep->node_allocs),
	    READ_ONCE(cachep->node_frees),
	    READ_ONCE(cachep->node_overflow));
	fprintf(out, " : cpustat %6lu %6lu %6lu %6lu\n", st[0], st[1], st[2],
	    st[3]);
}

/**
 * slabinfo_show - write /proc/slabinfo (2.1, statistics) to @out.
 * Return: 0, or -EIO when writing failed.
 */
int
slabinfo_show(FILE *out)
{
	struct kmem_cache *cachep;

	fputs("slabinfo - version: 2.1 (statistics)\n", out);
	fputs("# name            <active_objs> <num_objs> <objsize> "
	    "<objperslab> <pagesperslab> : tunables <limit> <batchcount> "
	    "<sharedfactor> : slabdata <active_slabs> <num_slabs> "
	    "<sharedavail> : globalstat <listallocs> <maxobjs> <grown> "
	    "<reaped> <error> <maxfreeable> <nodeallocs> <remotefrees> "
	    "<alienoverflow> : cpustat <allochit> <allocmiss> <freehit> "
	    "<freemiss>\n", out);
	pthread_mutex_lock(&slab_mutex);
	for (cachep = slab_caches; cachep != NULL; cachep = cachep->next)
		cache_show(out, cachep);
	pthread_mutex_unlock(&slab_mutex);
	return ferror(out) ? -EIO : 0;
}

/**
 * slabinfo_write - "NAME LIMIT BATCHCOUNT SHARED", as written to
 * /proc/slabinfo.  Out-of-range values are ignored, as the kernel does.
 * Return: @len, or -EINVAL (too long, malformed, unknown cache).
 */
int
slabinfo_write(const char *buf, size_t len)
{
	char kbuf[MAX_SLABINFO_WRITE + 1], *tmp;
	int limit, batchcount, shared, res;

	if (len > MAX_SLABINFO_WRITE)
		return -EINVAL;
	memcpy(kbuf, buf, len);
	kbuf[len] = '\0';
	tmp = strchr(kbuf, ' ');
	if (tmp == NULL)
		return -EINVAL;
	*tmp++ = '\0';
	if (sscanf(tmp, " %d %d %d", &limit, &batchcount, &shared) != 3)
		return -EINVAL;
	if (kmem_cache_find(kbuf) == NULL)
		return -EINVAL;
	if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0)
		return (int)len;
	res = kmem_cache_tune(kmem_cache_find(kbuf), limit, batchcount,
	    shared);
	return res < 0 ? res : (int)len;
}
