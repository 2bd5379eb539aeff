/* SPDX-License-Identifier: MIT */
/*
 * rtcache/array.h - growing a heap array by doubling, for the writer
 * side and the CLI (nothing on a lookup path grows an array).
 */
#ifndef RTCACHE_ARRAY_H
#define RTCACHE_ARRAY_H

#include <errno.h>
#include <stdlib.h>

/*
 * Room for one more element in the array *@v of @n elements of @size
 * bytes (capacity *@cap, doubled from @first).  0 or -ENOMEM.
 */
static inline int
array_reserve(void *v, size_t *cap, size_t n, size_t size, size_t first)
{
	void **vp = v, *nv;
	size_t nc;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : first;
	if (nc > (size_t)-1 / size || (nv = realloc(*vp, nc * size)) == NULL)
		return -ENOMEM;
	*vp = nv;
	*cap = nc;
	return 0;
}

#endif /* RTCACHE_ARRAY_H */
