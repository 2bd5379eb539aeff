/* SPDX-License-Identifier: MIT */
/*
 * bench/route_bench.c - the route-cache benchmark of issue 5, on the real
 * full table, against DPDK's rte_lpm in the same process where it is
 * installed.
 *
 *   hit       64k hot flows (random hosts in random table prefixes),
 *             cached, looked up in random order with ip_route_output
 *             (addresses in registers, as rte_lpm_lookup takes its
 *             address) and with ip_route_output_key (a flowi4 in
 *             memory); rte_lpm on the same destinations
 *   miss      every flow new (the slow path: rules, fib lookup, source
 *             selection, kmem_cache_zalloc of the rtable, rt_intern_hash)
 *   threads   hit throughput of 1 and of 2 threads (one per core)
 *   flood     10M distinct destinations mixed 1:1 with the 64k hot flows:
 *             the hot flows' hit rate, the most entries ever hashed
 *             against max_size, and RSS; once with the default admission
 *             control and once without (the 2.6 behaviour)
 *
 * Prints `bench <name> ours=<x> base=<y> baseline=<name> ratio=<x/y>`
 * lines (medians of the runs) and '#' lines for people.
 */
#include "config.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "bench_table.h"

#define HOT		65536
#define SAMPLE		(4U << 20)	/* lookups per timed sample */
#define MISS_SAMPLE	(256U << 10)

static uint32_t	*hot_be;		/* network order */
static uint32_t	*hot_stream;		/* SAMPLE indices into hot_be */
static int	 nruns = 5;

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

static void
pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* How hit_run asks: ip_route_output (the addresses in registers, as
 * rte_lpm_lookup takes its address), ip_route_output_key (a flowi4 in
 * memory), or that with rt_prefetch_output 8 lookups ahead. */
enum hit_how { HIT_ADDR, HIT_FLOWI4, HIT_PREFETCH };

/*
 * ns per lookup over the hot stream (all hits).  The stream is taken in
 * chunks of 4096 with a quiescent state between them, as a worker takes
 * a batch, so the inner loop is the lookup alone, as rte_lpm's is.
 */
static double
hit_run_how(const uint32_t *stream, size_t n, enum hit_how how)
{
	const uint32_t *hot = hot_be;
	struct flowi4 fl, pf;
	struct rtable *rt;
	uint64_t acc = 0;
	double t0;
	size_t i, end;

	memset(&fl, 0, sizeof(fl));
	memset(&pf, 0, sizeof(pf));
	t0 = bench_now_ns();
	for (i = 0; i < n; i = end) {
		end = i + 4096 < n ? i + 4096 : n;
		switch (how) {
		case HIT_ADDR:
			for (; i < end; i++)
				if (ip_route_output(hot[stream[i]], 0, 0, 0,
				    &rt) == 0)
					acc += (uintptr_t)rt;
			break;
		case HIT_FLOWI4:
			for (; i < end; i++) {
				fl.daddr = hot[stream[i]];
				if (ip_route_output_key(&fl, &rt) == 0)
					acc += (uintptr_t)rt;
			}
			break;
		case HIT_PREFETCH:
			for (; i < end; i++) {
				if (i + 8 < n) {
					pf.daddr = hot[stream[i + 8]];
					rt_prefetch_output(&pf, 0);
				}
				fl.daddr = hot[stream[i]];
				if (ip_route_output_key(&fl, &rt) == 0)
					acc += (uintptr_t)rt;
			}
			break;
		}
		rt_cache_quiescent();
	}
	t0 = bench_now_ns() - t0;
	bench_sink += acc;
	return t0 / (double)n;
}

static double
hit_run(const uint32_t *stream, size_t n)
{
	return hit_run_how(stream, n, HIT_ADDR);
}

/* ns per lookup with every flow new; the cache is emptied first. */
static double
miss_run(size_t n, int batch)
{
	uint32_t *s = bench_xcalloc(n, sizeof(*s));
	struct rtable *rt;
	uint64_t acc = 0;
	double t0;
	size_t i;

	for (i = 0; i < n; i++)
		s[i] = htonl(bench_intable_host());
	rt_cache_flush(0);
	rt_cache_synchronize();
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		if (batch) {
			struct flowi4 pf;

			memset(&pf, 0, sizeof(pf));
			if (i + 16 < n) {
				pf.daddr = s[i + 16];
				rt_prefetch_output(&pf, 0);
			}
			if (i + 8 < n) {
				pf.daddr = s[i + 8];
				rt_prefetch_output(&pf, 1);
			}
		}
		if (ip_route_output(s[i], 0, 0, 0, &rt) == 0)
			acc += rt->rt_gateway;
		if ((i & 4095) == 4095)
			rt_cache_quiescent();
	}
	t0 = bench_now_ns() - t0;
	bench_sink += acc;
	free(s);
	return t0 / (double)n;
}

struct thr {
	pthread_t	 tid;
	int		 cpu;
	double		 ns;
	uint32_t	*stream;
};

static void *
thr_main(void *arg)
{
	struct thr *t = arg;

	pin(t->cpu);
	rcu_register_thread();
	slab_thread_attach(-1);
	(void)hit_run(t->stream, SAMPLE / 4);	/* warm this thread */
	t->ns = hit_run(t->stream, SAMPLE);
	rt_cache_quiescent();
	slab_thread_detach();
	rcu_unregister_thread();
	return NULL;
}

/* Aggregate hit lookups per second with @n threads. */
static double
threads_run(int n)
{
	struct thr t[2];
	double mops = 0;
	int i;

	rcu_thread_offline();
	for (i = 0; i < n; i++) {
		t[i].cpu = i;
		t[i].stream = hot_stream + (size_t)i * 7919;
		pthread_create(&t[i].tid, NULL, thr_main, &t[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i].tid, NULL);
		mops += 1e3 / t[i].ns;
	}
	rcu_thread_online();
	return mops;		/* million lookups per second */
}

/*
 * The flood: @nflood distinct destinations, each followed by one of the
 * hot flows.  Return: the hot flows' hit rate; *@max_hashed the most
 * entries the table ever held.
 */
static double
flood_run(size_t nflood, unsigned long *max_hashed)
{
	const struct rt_cache_stat *st = rt_cache_stat_this();
	unsigned long hits = 0, before;
	struct rtable *rt;
	uint32_t x = 0x12345678;
	size_t i;

	*max_hashed = 0;
	for (i = 0; i < nflood; i++) {
		/* distinct: an odd-multiplier walk over all 2^32 values,
		 * kept inside routed space by mixing in a table host */
		x += 0x9e3779b9;
		(void)ip_route_output(htonl((bench_intable_host() &
		    0xffffff00) | (x & 0xff)), 0, 0, 0, &rt);
		before = st->out_hit;
		(void)ip_route_output(hot_be[hot_stream[i % SAMPLE]], 0, 0, 0,
		    &rt);
		hits += st->out_hit - before;
		if ((i & 4095) == 4095) {
			unsigned long h = rt_cache_hashed();

			if (h > *max_hashed)
				*max_hashed = h;
			rt_cache_quiescent();
		}
		if ((i & 0xfffff) == 0xfffff)
			rt_cache_periodic();
	}
	return (double)hits / (double)nflood;
}

static void
line(const char *name, double ours, double base, const char *baseline)
{
	printf("bench %s ours=%.2f base=%.2f baseline=%s ratio=%.3f\n", name,
	    ours, base, baseline, base > 0 ? ours / base : 0);
}

static void
usage(void)
{
	fprintf(stderr,
"usage: route_bench [-i FILE] [-r RUNS] [--flood N] [--no-lpm]\n"
"                   [--lpm-cache FILE]\n"
"  -i FILE      prefixes (default %s)\n"
"  -r RUNS      samples per figure, median taken (default 5)\n"
"  --flood N    distinct flows in the flood (default 10000000; 0: skip)\n"
"  --buckets N  rt_hash buckets (default: from RAM, as the kernel)\n"
"  --no-lpm     skip rte_lpm\n"
"  --lpm-cache FILE  reuse rte_lpm's built tables (see fib_bench)\n",
	    BENCH_FULLVIEW);
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "flood", required_argument, NULL, 'F' },
		{ "buckets", required_argument, NULL, 'B' },
		{ "no-lpm", no_argument, NULL, 'L' },
		{ "lpm-cache", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *input = BENCH_FULLVIEW, *lpm_cache = NULL;
	double hit[64], base_hit[64], miss[64], base_miss[64], t1[64], t2[64];
	double missb[64], hitb[64], hitk[64];
	size_t nflood = 10000000, i, rss0, rss1;
	int use_lpm = 1, have_lpm = 0, c, r, cached = 0;
	unsigned long maxh;
	struct rt_cache_config cfg, want;
	struct fib_table *tb;
	double rate;

	memset(&want, 0, sizeof(want));
	while ((c = getopt_long(argc, argv, "i:r:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'r':
			nruns = atoi(optarg);
			if (nruns < 1 || nruns > 64)
				usage();
			break;
		case 'F':
			nflood = strtoul(optarg, NULL, 0);
			break;
		case 'B':
			want.hash_buckets = (unsigned int)strtoul(optarg, NULL,
			    0);
			break;
		case 'L':
			use_lpm = 0;
			break;
		case 'C':
			lpm_cache = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	pin(0);
	bench_read_table(input);
	rcu_register_thread();
	if ((c = fib_init()) != 0)
		bench_fatalx("fib_init: %s", strerror(-c));
	if ((c = rt_cache_init(&want)) != 0)
		bench_fatalx("rt_cache_init: %s", strerror(-c));
	tb = fib_get_table(RT_TABLE_MAIN);
	bench_setup_links();
	bench_fib_load(tb);
	rt_cache_get_config(&cfg);
	printf("# table %s: %zu prefixes; rt_hash %u buckets, gc_thresh %lu, "
	    "max_size %lu\n", input, bench_ntable, cfg.hash_buckets,
	    cfg.gc_thresh, cfg.max_size);
#ifdef BENCH_WITH_DPDK
	if (use_lpm) {
		bench_lpm_init(argv[0]);
		bench_lpm_load(lpm_cache, &cached);
		have_lpm = 1;
	}
#else
	(void)use_lpm;
	(void)cached;
	(void)lpm_cache;
#endif
	hot_be = bench_xcalloc(HOT, sizeof(*hot_be));
	hot_stream = bench_xcalloc(SAMPLE + 8192, sizeof(*hot_stream));
	for (i = 0; i < HOT; i++)
		hot_be[i] = htonl(bench_intable_host());
	for (i = 0; i < SAMPLE + 8192; i++)
		hot_stream[i] = (uint32_t)(bench_rng() % HOT);

	/* (a) hits, rte_lpm interleaved sample by sample */
	(void)hit_run(hot_stream, HOT * 4);
	{
		unsigned long used, ent;
		unsigned int longest;

		rt_cache_chains(&longest, &used, &ent);
		printf("# cache: %lu entries in %lu buckets, longest chain "
		    "%u\n", ent, used, longest);
	}
	for (r = 0; r < nruns; r++) {
		hit[r] = hit_run(hot_stream, SAMPLE);
		hitk[r] = hit_run_how(hot_stream, SAMPLE, HIT_FLOWI4);
#ifdef BENCH_WITH_DPDK
		if (have_lpm) {
			uint64_t acc = 0;
			uint32_t nh;
			double t0 = bench_now_ns();

			for (i = 0; i < SAMPLE; i++)
				if (rte_lpm_lookup(bench_lpm,
				    ntohl(hot_be[hot_stream[i]]), &nh) == 0)
					acc += nh;
			base_hit[r] = (bench_now_ns() - t0) / SAMPLE;
			bench_sink += acc;
		}
#endif
	}
	/* (c) threads on hits */
	for (r = 0; r < nruns; r++) {
		t1[r] = threads_run(1);
		t2[r] = threads_run(2);
	}
	/* (b) misses: every flow new */
	for (r = 0; r < nruns; r++) {
		miss[r] = miss_run(MISS_SAMPLE, 0);
		missb[r] = miss_run(MISS_SAMPLE, 1);
		hitb[r] = hit_run_how(hot_stream, SAMPLE, HIT_PREFETCH);
#ifdef BENCH_WITH_DPDK
		if (have_lpm) {
			uint64_t acc = 0;
			uint32_t nh, *s = bench_xcalloc(MISS_SAMPLE, 4);
			double t0;

			for (i = 0; i < MISS_SAMPLE; i++)
				s[i] = bench_intable_host();
			t0 = bench_now_ns();
			for (i = 0; i < MISS_SAMPLE; i++)
				if (rte_lpm_lookup(bench_lpm, s[i], &nh) == 0)
					acc += nh;
			base_miss[r] = (bench_now_ns() - t0) / MISS_SAMPLE;
			bench_sink += acc;
			free(s);
		}
#endif
	}
	if (have_lpm) {
		line("rtcache_hit_64k", bench_median(hit, nruns),
		    bench_median(base_hit, nruns), "rte_lpm");
		line("rtcache_hit_64k_flowi4", bench_median(hitk, nruns),
		    bench_median(base_hit, nruns), "rte_lpm");
		line("rtcache_miss", bench_median(miss, nruns),
		    bench_median(base_miss, nruns), "rte_lpm");
	} else {
		printf("bench rtcache_hit_64k value=%.2f\n",
		    bench_median(hit, nruns));
		printf("bench rtcache_hit_64k_flowi4 value=%.2f\n",
		    bench_median(hitk, nruns));
		printf("bench rtcache_miss value=%.2f\n",
		    bench_median(miss, nruns));
	}
	if (have_lpm) {
		line("rtcache_hit_64k_prefetch", bench_median(hitb, nruns),
		    bench_median(base_hit, nruns), "rte_lpm");
		line("rtcache_miss_prefetch", bench_median(missb, nruns),
		    bench_median(base_miss, nruns), "rte_lpm");
	}
	line("rtcache_hit_2threads_mlps", bench_median(t2, nruns),
	    bench_median(t1, nruns), "1thread");
	fflush(stdout);

	/* (d) the flood, with admission control (default) and without */
	if (nflood > 0) {
		struct rt_cache_config off = cfg;
		double rate26;
		unsigned long maxh26;

		rt_cache_flush(0);
		(void)hit_run(hot_stream, HOT * 4);
		rss0 = rss_bytes();
		rate = flood_run(nflood, &maxh);
		rt_cache_quiescent();
		rss1 = rss_bytes();
		printf("# flood %zu flows: hot hit rate %.4f, most hashed %lu "
		    "(max_size %lu), RSS %.1f -> %.1f MiB, entries %lu\n",
		    nflood, rate, maxh, cfg.max_size, rss0 / 1048576.0,
		    rss1 / 1048576.0, rt_cache_entries());
		off.admission = -1;
		rt_cache_set_gc(&off);
		rt_cache_flush(0);
		(void)hit_run(hot_stream, HOT * 4);
		rate26 = flood_run(nflood / 4, &maxh26);
		printf("# flood %zu flows, no admission (2.6): hot hit rate "
		    "%.4f, most hashed %lu\n", nflood / 4, rate26, maxh26);
		printf("bench rtcache_flood_hot_hit_rate ours=%.4f base=%.4f "
		    "baseline=no_admission ratio=%.3f\n", rate, rate26,
		    rate26 > 0 ? rate / rate26 : 0);
		printf("bench rtcache_flood_max_hashed ours=%lu base=%lu "
		    "baseline=max_size ratio=%.3f\n", maxh, cfg.max_size,
		    (double)maxh / (double)cfg.max_size);
		printf("bench rtcache_flood_rss_mib value=%.1f\n",
		    rss1 / 1048576.0);
	}
	rt_cache_quiescent();
	return 0;
}
