/* SPDX-License-Identifier: MIT */
/*
 * bench/mp_bench.c - what a multipath leg costs on the route cache's miss
 * path (make bench-mp, as root; bench/mp-bench.sh makes the namespace
 * and runs this inside it).  The FIB is the namespace's, mirrored; the
 * route cache is off, so every lookup is a miss (rules, FIB lookup, leg,
 * source, the rtable from ip_dst_cache).  Each lookup is a new UDP flow:
 *
 *   miss_one_leg   through a route with one nexthop (the baseline)
 *   mp_ask_miss    through an 8-leg route, multipath = ask-kernel: one
 *                  RTM_GETROUTE to the kernel per lookup
 *   mp_hash_miss   the same route, multipath = hash (the namespace's
 *                  seed is set): SipHash and the leg walk here
 *
 * Prints `bench <name> ours=<ns/lookup> base=<ns/lookup>
 * baseline=miss_one_leg ratio=<ours/base>` lines, medians of the runs.
 */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/rcu.h"

#include <event2/event.h>

#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/route.h"
#include "bench_table.h"

#define MP_PREFIX	0xc6336400U	/* 198.51.100.0/24: 8 legs */
#define ONE_PREFIX	0xcb007100U	/* 203.0.113.0/24: one leg */

static int ready;

static void
ready_cb(void *arg)
{
	(void)arg;
	ready = 1;
}

/* @n lookups of new UDP flows into @prefix/24; ns per lookup. */
static double
miss_run(uint32_t prefix, size_t n)
{
	struct flowi4 fl4;
	struct rtable *rt;
	double t0, t1;
	size_t i;
	int err;

	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		uint64_t r = bench_rng();

		memset(&fl4, 0, sizeof(fl4));
		fl4.daddr = htonl(prefix | (uint32_t)(r & 0xff));
		fl4.flowi4_proto = 17;
		fl4.fl4_sport = (uint16_t)(r >> 8);
		fl4.fl4_dport = (uint16_t)(r >> 24);
		fl4.flowi4_uid = 0;
		if ((err = ip_route_output_key(&fl4, &rt)) != 0)
			bench_fatalx("lookup: %s", strerror(-err));
		bench_sink += (uint64_t)(uintptr_t)rt->dst.dev;
		if ((i & 63) == 63)
			rt_cache_quiescent();
	}
	t1 = bench_now_ns();
	rt_cache_quiescent();
	return (t1 - t0) / (double)n;
}

static void
line(const char *name, double ours, double base)
{
	printf("bench %s ours=%.1f base=%.1f baseline=miss_one_leg "
	    "ratio=%.2f\n", name, ours, base, base > 0 ? ours / base : 0);
}

static void
usage(void)
{
	fprintf(stderr, "usage: mp_bench [-r RUNS] [-n LOOKUPS]\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	struct rt_cache_config rc = { .disabled = 1 };
	struct mirror_config mc;
	struct event_base *base;
	struct fib_mp_stats st0, st1;
	struct mirror *m;
	double *one, *ask, *hash;
	size_t n = 20000;
	int runs = 5, c, i;

	while ((c = getopt(argc, argv, "r:n:")) != -1) {
		switch (c) {
		case 'r':
			runs = atoi(optarg);
			break;
		case 'n':
			n = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (runs < 1 || n < 1 || optind != argc)
		usage();
	rcu_register_thread();
	if ((c = fib_init()) != 0 || (c = rt_cache_init(&rc)) != 0)
		bench_fatalx("init: %s", strerror(-c));
	if ((base = event_base_new()) == NULL)
		bench_fatalx("event_base_new");
	mirror_config_init(&mc);
	mc.multipath = MIRROR_MP_ASK;
	if ((m = mirror_new(base, &mc)) == NULL)
		bench_fatalx("mirror_new");
	mirror_set_ready_cb(m, ready_cb, NULL);
	if ((c = mirror_start(m)) != 0)
		bench_fatalx("mirror_start: %s", strerror(-c));
	while (!ready)
		event_base_loop(base, EVLOOP_ONCE);
	if (fib_mp_routes() == 0)
		bench_fatalx("no multipath route: run bench/mp-bench.sh");
	bench_seed(7);
	one = bench_xcalloc((size_t)runs, sizeof(double));
	ask = bench_xcalloc((size_t)runs, sizeof(double));
	hash = bench_xcalloc((size_t)runs, sizeof(double));
	(void)miss_run(ONE_PREFIX, n / 4);	/* warm the slabs */
	fib_mp_stats(&st0);
	for (i = 0; i < runs; i++) {
		mirror_set_multipath(m, MIRROR_MP_ASK);
		one[i] = miss_run(ONE_PREFIX, n);
		ask[i] = miss_run(MP_PREFIX, n);
		mirror_set_multipath(m, MIRROR_MP_HASH);
		hash[i] = miss_run(MP_PREFIX, n);
	}
	fib_mp_stats(&st1);
	printf("# %d runs of %zu lookups each, every one a miss; %llu "
	    "questions to the kernel (%llu failed)\n", runs, n,
	    (unsigned long long)(st1.asks - st0.asks),
	    (unsigned long long)(st1.ask_errors - st0.ask_errors));
	line("mp_ask_miss", bench_median(ask, runs), bench_median(one, runs));
	line("mp_hash_miss", bench_median(hash, runs),
	    bench_median(one, runs));
	mirror_free(m);
	event_base_free(base);
	rt_cache_exit();
	fib_exit();
	rcu_unregister_thread();
	free(one);
	free(ask);
	free(hash);
	return 0;
}
