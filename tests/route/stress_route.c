/* SPDX-License-Identifier: MIT */
/*
 * stress_route.c - threaded stress of the route cache, a plain program
 * (Criterion's runner cannot run under TSan).  Reader threads look up a
 * mix of repeated and new flows, hold and release some answers, and pass
 * quiescent states, while the writer flips a route between two gateways
 * and the GC runs from the main thread.  Every answer must be one the FIB
 * could give at some time during the lookup: via the old or the new
 * gateway for the flipping prefix, the fixed gateway elsewhere.  Prints
 * TAP.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/route.h"
#include "support/fib_text.h"

#define READERS		3
#define OPS		300000

static int failed;
static int stop;

static uint32_t
A(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static void
bad(const char *what, uint32_t dst, uint32_t gw)
{
	char d[16], g[16];

	inet_ntop(AF_INET, &dst, d, sizeof(d));
	inet_ntop(AF_INET, &gw, g, sizeof(g));
	fprintf(stderr, "stress_route: %s: %s via %s\n", what, d, g);
	__atomic_store_n(&failed, 1, __ATOMIC_RELAXED);
}

static void *
reader(void *arg)
{
	uint64_t rnd = 0x9e3779b97f4a7c15ULL * ((uintptr_t)arg + 1);
	uint32_t flip_a = A("10.0.0.2"), flip_b = A("10.1.0.2");
	uint32_t fixed = A("10.0.0.254");
	struct rtable *held = NULL;
	unsigned long i;

	rcu_register_thread();
	for (i = 0; i < OPS && !__atomic_load_n(&failed, __ATOMIC_RELAXED);
	    i++) {
		struct flowi4 fl;
		struct rtable *rt;
		uint32_t host;
		int err;

		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		memset(&fl, 0, sizeof(fl));
		/* half in the flipping /16, half elsewhere; 1 in 8 new */
		host = (uint32_t)(rnd >> 8) & ((rnd & 7) ? 0x3ff : 0xffff);
		if (rnd & 0x100)
			fl.daddr = htonl(0xc0a80000 | host);	/* 192.168/16 */
		else
			fl.daddr = htonl(0x08000000 | host);	/* 8/16 */
		fl.flowi4_mark = (uint32_t)(rnd >> 60) & 1;
		err = ip_route_output_key(&fl, &rt);
		if (err) {
			bad("lookup failed", fl.daddr, 0);
			break;
		}
		if (rt->rt_key_dst != fl.daddr || rt->rt_mark != fl.flowi4_mark)
			bad("answer for another flow", fl.daddr, rt->rt_gateway);
		if (rnd & 0x100) {
			if (rt->rt_gateway != flip_a && rt->rt_gateway != flip_b)
				bad("impossible gateway", fl.daddr,
				    rt->rt_gateway);
		} else if (rt->rt_gateway != fixed) {
			bad("impossible gateway", fl.daddr, rt->rt_gateway);
		}
		if ((rnd & 0xff0000) == 0 && held == NULL &&
		    dst_hold_safe(&rt->dst))
			held = rt;
		if ((i & 63) == 0) {
			if (held != NULL && held->rt_key_dst == 0)
				bad("held entry freed", 0, 0);
			if ((rnd & 0x300000) == 0 && held != NULL) {
				ip_rt_put(held);
				held = NULL;
			}
			rt_cache_quiescent();
		}
	}
	if (held != NULL)
		ip_rt_put(held);
	rt_cache_quiescent();
	rcu_unregister_thread();
	return NULL;
}

int
main(void)
{
	struct rt_cache_config cfg = { .hash_buckets = 256, .gc_thresh = 512,
	    .max_size = 2048, .gc_min_interval_ms = 1 };
	pthread_t t[READERS];
	unsigned long flips = 0;
	int i;

	printf("1..1\n");
	fflush(stdout);
	rcu_register_thread();
	if (fib_init() != 0 || rt_cache_init(&cfg) != 0)
		return 1;
	fib_exec("link add lo index 1 up");
	fib_exec("link add v0 index 2 up");
	fib_exec("link add v2 index 3 up");
	fib_exec("addr add 10.0.0.1/24 dev v0");
	fib_exec("addr add 10.1.0.1/24 dev v2");
	fib_exec("route add default via 10.0.0.254");
	fib_exec("route add 192.168.0.0/16 via 10.0.0.2");
	rcu_thread_offline();
	for (i = 0; i < READERS; i++)
		pthread_create(&t[i], NULL, reader, (void *)(uintptr_t)i);
	/* the writer: flip the /16 between two gateways, run GC */
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED) && flips < 2000) {
		rcu_thread_online();
		fib_exec(flips & 1 ? "route replace 192.168.0.0/16 via 10.0.0.2"
		    : "route replace 192.168.0.0/16 via 10.1.0.2");
		rt_cache_flush(-1);
		rt_cache_periodic();
		rt_cache_quiescent();
		rcu_thread_offline();
		flips++;
	}
	for (i = 0; i < READERS; i++)
		pthread_join(t[i], NULL);
	rcu_thread_online();
	rt_cache_exit();
	fib_exit();
	rcu_unregister_thread();
	if (failed) {
		printf("not ok 1 - route cache under concurrent changes\n");
		return 1;
	}
	printf("ok 1 - %d readers x %d lookups, %lu route flips, GC running\n",
	    READERS, OPS, flips);
	return 0;
}
