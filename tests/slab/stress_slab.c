/* SPDX-License-Identifier: MIT */
/*
 * stress_slab.c - threaded stress of the SLAB allocator, a plain program
 * (Criterion's runner cannot run under TSan).  Four threads allocate,
 * free their own objects, and hand objects to each other to free
 * (cross-thread frees), with bulk calls and reaping mixed in.  Every
 * allocation claims its object with an atomic exchange, so an object
 * handed out twice at once is caught; every object carries its owner's
 * stamp, checked before it is freed.  Run once with one node and once
 * with two simulated nodes (alien frees).  Prints TAP.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rtcache/slab.h"

#define NTHREADS	4
#define LIVE		4096
#define INBOX		1024

struct obj {
	uint64_t	 stamp;		/* owner thread and sequence */
	uint64_t	 pad[15];
	uint64_t	 inuse;		/* at 128: clear of any freelist */
	uint64_t	 tail[7];
};

struct inbox {
	pthread_mutex_t	 lock;
	struct obj	*slot[INBOX];
	unsigned int	 n;
};

static struct kmem_cache *caches[2];
static struct inbox inboxes[NTHREADS];
static unsigned long ops_per_thread = 2000000;
static int failed;

static void
fail(const char *what, void *p)
{
	fprintf(stderr, "stress_slab: %s (%p)\n", what, p);
	__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

static void
ctor(void *p)
{
	memset(p, 0, sizeof(struct obj));
}

static struct obj *
get(struct kmem_cache *c, uint64_t stamp)
{
	struct obj *o = kmem_cache_alloc(c, 0);

	if (o == NULL) {
		fail("allocation failed", NULL);
		return NULL;
	}
	if (__atomic_exchange_n(&o->inuse, 1, __ATOMIC_ACQ_REL) != 0)
		fail("object handed out twice", o);
	o->stamp = stamp;
	return o;
}

static void
put(struct kmem_cache *c, struct obj *o, uint64_t stamp)
{
	if (o->stamp != stamp)
		fail("object overwritten while live", o);
	__atomic_store_n(&o->inuse, 0, __ATOMIC_RELEASE);
	kmem_cache_free(c, o);
}

static void
drain_inbox(unsigned int me)
{
	struct inbox *ib = &inboxes[me];
	struct obj *take[INBOX];
	unsigned int n, i;

	pthread_mutex_lock(&ib->lock);
	n = ib->n;
	memcpy(take, ib->slot, n * sizeof(take[0]));
	ib->n = 0;
	pthread_mutex_unlock(&ib->lock);
	for (i = 0; i < n; i++) {
		struct kmem_cache *c = caches[take[i]->stamp >> 63];

		put(c, take[i], take[i]->stamp);
	}
}

static int
give(unsigned int to, struct obj *o)
{
	struct inbox *ib = &inboxes[to];
	int ok = 0;

	pthread_mutex_lock(&ib->lock);
	if (ib->n < INBOX) {
		ib->slot[ib->n++] = o;
		ok = 1;
	}
	pthread_mutex_unlock(&ib->lock);
	return ok;
}

static void *
worker(void *arg)
{
	unsigned int me = (unsigned int)(uintptr_t)arg;
	struct obj *live[LIVE];
	uint64_t stamps[LIVE];
	unsigned int which[LIVE];
	uint64_t seq = 0, rnd = 0x9e3779b97f4a7c15ULL * (me + 1);
	unsigned long i;
	unsigned int k;

	memset(live, 0, sizeof(live));
	for (i = 0; i < ops_per_thread && !failed; i++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		k = (unsigned int)(rnd % LIVE);
		if (live[k] == NULL) {
			which[k] = (unsigned int)(rnd >> 40) & 1;
			stamps[k] = ((uint64_t)which[k] << 63) |
			    ((uint64_t)me << 56) | ++seq;
			live[k] = get(caches[which[k]], stamps[k]);
		} else if ((rnd >> 20) % 4 == 0 &&
		    give((me + 1 + (unsigned int)(rnd >> 32) % (NTHREADS - 1))
		    % NTHREADS, live[k])) {
			live[k] = NULL;		/* another thread frees it */
		} else {
			put(caches[which[k]], live[k], stamps[k]);
			live[k] = NULL;
		}
		if ((i & 1023) == 0)
			drain_inbox(me);
		if ((i & 65535) == 0)
			cache_reap();
		if ((i & 8191) == 4096) {
			void *b[64];
			unsigned int j;

			if (kmem_cache_alloc_bulk(caches[1], 0, 64, b) != 64) {
				fail("bulk allocation failed", NULL);
				continue;
			}
			for (j = 0; j < 64; j++) {
				struct obj *o = b[j];

				if (__atomic_exchange_n(&o->inuse, 1,
				    __ATOMIC_ACQ_REL) != 0)
					fail("bulk object handed out twice", o);
				__atomic_store_n(&o->inuse, 0,
				    __ATOMIC_RELEASE);
			}
			kmem_cache_free_bulk(caches[1], 64, b);
		}
	}
	for (k = 0; k < LIVE; k++)
		if (live[k] != NULL)
			put(caches[which[k]], live[k], stamps[k]);
	drain_inbox(me);
	return NULL;
}

static int
run(unsigned int nodes)
{
	struct slab_config cfg = { .sim_nodes = nodes };
	pthread_t t[NTHREADS];
	unsigned int i;

	slab_init(&cfg);
	caches[0] = kmem_cache_create("stress_plain", sizeof(struct obj), 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	caches[1] = kmem_cache_create("stress_ctor", sizeof(struct obj), 0,
	    SLAB_HWCACHE_ALIGN, ctor);
	if (caches[0] == NULL || caches[1] == NULL)
		return 1;
	for (i = 0; i < NTHREADS; i++)
		pthread_mutex_init(&inboxes[i].lock, NULL);
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	/* inboxes may have been refilled after their owner finished */
	for (i = 0; i < NTHREADS; i++)
		drain_inbox(i);
	for (i = 0; i < 2; i++) {
		if (kmem_cache_destroy(caches[i]) != 0)
			fail("objects leaked or double counted", caches[i]);
	}
	return failed;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("STRESS_OPS");
	unsigned int nodes;
	int st, rc = 0;

	(void)argc;
	(void)argv;
	if (env != NULL)
		ops_per_thread = strtoul(env, NULL, 10);
	printf("1..2\n");
	fflush(stdout);
	for (nodes = 1; nodes <= 2; nodes++) {
		pid_t pid;

		fflush(stdout);
		pid = fork();

		if (pid == 0)
			_exit(run(nodes));
		if (pid < 0 || waitpid(pid, &st, 0) != pid ||
		    !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			printf("not ok %u - %u threads, %u node(s)\n", nodes,
			    NTHREADS, nodes);
			rc = 1;
		} else {
			printf("ok %u - %u threads, %lu ops each, %u node(s), "
			    "cross-thread frees\n", nodes, NTHREADS,
			    ops_per_thread, nodes);
		}
	}
	return rc;
}
