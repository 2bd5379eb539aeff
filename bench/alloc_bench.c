/* SPDX-License-Identifier: MIT */
/*
 * bench/alloc_bench.c - allocation workloads on 192-byte (rtable-sized)
 * objects, built once per allocator.
 *
 * This file owns the allocator benchmark of issue 3.  It is compiled with
 * exactly one of BENCH_SLAB (our kmem_cache), BENCH_GLIBC, BENCH_JEMALLOC
 * (plain malloc/free, with libjemalloc linked in front of libc) or
 * BENCH_MIMALLOC (mi_malloc/mi_free), and runs the same workloads through
 * obj_alloc()/obj_free():
 *
 *   rss          allocate 1M objects, free them all: peak RSS and RSS after
 *                free + shrink (kmem_cache_shrink, malloc_trim(0) for glibc)
 *   pair         same-thread alloc/free pairs
 *   fifo1k       allocate 1000, free them in allocation order, repeated
 *   xthread      producer (core 0) allocates and writes, consumer (core 1)
 *                frees, through a single-producer single-consumer ring
 *   churn        one thread, 256k live objects (48 MiB): free a random live
 *                object, allocate a new one
 *   churn2       two threads (cores 0 and 1), each doing churn; ns per step
 *                of one thread (wall time / steps per thread)
 *
 * Every allocated object gets 8 bytes written into it, as an rtable fill
 * would, and a compiler barrier keeps the pair from being optimised away.
 * Each timed workload runs a warm-up and then SAMPLES samples; the median
 * is printed as one machine-readable line:
 *
 *   result alloc=<name> test=<test> value=<x> unit=<ns|MiB>
 *
 * bench/alloc-bench.sh runs every allocator's binary several times,
 * interleaved, and compares the medians.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"

#if defined(BENCH_SLAB)
#include "rtcache/slab.h"
#define ALLOC_NAME	"kmem_cache"
#elif defined(BENCH_MIMALLOC)
#include <mimalloc.h>
#define ALLOC_NAME	"mimalloc"
#elif defined(BENCH_JEMALLOC)
#define ALLOC_NAME	"jemalloc"
#elif defined(BENCH_GLIBC)
#include <malloc.h>
#define ALLOC_NAME	"glibc"
#else
#error "define one of BENCH_SLAB, BENCH_GLIBC, BENCH_JEMALLOC, BENCH_MIMALLOC"
#endif

#define OBJ_SIZE	192
#define SAMPLES		5
#define RSS_OBJS	(1UL << 20)	/* 1M objects: 192 MiB of payload */
#define CHURN_LIVE	(256UL * 1024)	/* 48 MiB of live 192-byte objects */
#define FIFO_BATCH	1000
#define RING_SIZE	1024		/* power of two */

/* Iterations per sample; -s scales them (quick runs in make distcheck). */
static unsigned long	 n_pair = 4000000;
static unsigned long	 n_fifo = 3000;		/* rounds of FIFO_BATCH */
static unsigned long	 n_xthread = 1000000;
static unsigned long	 n_churn = 2000000;

#define barrier_ptr(p)	__asm__ __volatile__("" : : "r"(p) : "memory")

/* ------------------------------------------------------------ allocator */

#if defined(BENCH_SLAB)
static struct kmem_cache *bench_cache;

static inline void *
obj_alloc(void)
{
	return kmem_cache_alloc(bench_cache, 0);
}

static inline void
obj_free(void *p)
{
	kmem_cache_free(bench_cache, p);
}

static void
alloc_setup(void)
{
	bench_cache = kmem_cache_create("bench_192", OBJ_SIZE, 0,
	    SLAB_HWCACHE_ALIGN, NULL);
	if (bench_cache == NULL) {
		perror("kmem_cache_create");
		exit(1);
	}
}

static void
alloc_release(void)
{
	kmem_cache_shrink(bench_cache);
}
#elif defined(BENCH_MIMALLOC)
static inline void *
obj_alloc(void)
{
	return mi_malloc(OBJ_SIZE);
}

static inline void
obj_free(void *p)
{
	mi_free(p);
}

static void
alloc_setup(void)
{
}

static void
alloc_release(void)
{
}
#else
static inline void *
obj_alloc(void)
{
	return malloc(OBJ_SIZE);
}

static inline void
obj_free(void *p)
{
	free(p);
}

static void
alloc_setup(void)
{
}

static void
alloc_release(void)
{
#if defined(BENCH_GLIBC)
	malloc_trim(0);
#endif
}
#endif

/* Allocate and write 8 bytes, as filling an rtable would. */
static inline void *
obj_get(uint64_t tag)
{
	uint64_t *p = obj_alloc();

	if (__builtin_expect(p == NULL, 0)) {
		fprintf(stderr, "alloc_bench: %s: out of memory\n",
		    ALLOC_NAME);
		exit(1);
	}
	*p = tag;
	barrier_ptr(p);
	return p;
}

/* -------------------------------------------------------------- helpers */

static double
now_ns(void)
{
	return (double)clock_mono_ns();
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int ncpus;

static void
pin_to(int cpu)
{
	cpu_set_t set;

	if (ncpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus, &set);
	/* Best effort: a restricted cpuset only costs precision. */
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void
result(const char *test, double value, const char *unit)
{
	printf("result alloc=%s test=%s value=%.3f unit=%s\n", ALLOC_NAME,
	    test, value, unit);
	fflush(stdout);
}

/* xorshift64*: cheap and good enough to pick victims. */
static inline uint64_t
rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static inline unsigned long
rng_below(uint64_t *s, unsigned long n)
{
	return (unsigned long)(((rng_next(s) >> 32) * (uint64_t)n) >> 32);
}

/* Resident and peak resident bytes, from /proc/self/status. */
static void
rss_read(long *rss, long *hwm)
{
	char line[256];
	FILE *f;

	*rss = *hwm = -1;
	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*rss = strtol(line + 6, NULL, 10) * 1024;
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = strtol(line + 6, NULL, 10) * 1024;
	}
	fclose(f);
}

static void
hwm_reset(void)
{
	int fd = open("/proc/self/clear_refs", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, "5", 1) != 1)
		fprintf(stderr, "alloc_bench: clear_refs: %s\n",
		    strerror(errno));
	close(fd);
}

/* ------------------------------------------------------------ workloads */

/* (6) 1M live objects: peak RSS, and RSS after free + shrink. */
static void
test_rss(void)
{
	long rss0, hwm0, rss1, hwm1, rss2, hwm2;
	void **v;
	unsigned long i;

	/* The pointer array is ours, not the allocator's: touch it first. */
	if ((v = calloc(RSS_OBJS, sizeof(*v))) == NULL) {
		perror("calloc");
		exit(1);
	}
	memset(v, 1, RSS_OBJS * sizeof(*v));
	hwm_reset();
	rss_read(&rss0, &hwm0);
	for (i = 0; i < RSS_OBJS; i++)
		v[i] = obj_get(i);
	rss_read(&rss1, &hwm1);
	for (i = 0; i < RSS_OBJS; i++)
		obj_free(v[i]);
	alloc_release();
	rss_read(&rss2, &hwm2);
	free(v);

	if (hwm1 < rss1)	/* clear_refs not allowed: use the RSS */
		hwm1 = rss1;
	result("rss_peak", (hwm1 - rss0) / 1048576.0, "MiB");
	result("rss_after_free", (rss2 - rss0) / 1048576.0, "MiB");
}

static double
run_pair(unsigned long n)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		obj_free(obj_get(i));
	return (now_ns() - t0) / n;
}

static double
run_fifo(unsigned long rounds)
{
	void *v[FIFO_BATCH];
	double t0 = now_ns();
	unsigned long r;
	int i;

	for (r = 0; r < rounds; r++) {
		for (i = 0; i < FIFO_BATCH; i++)
			v[i] = obj_get(i);
		for (i = 0; i < FIFO_BATCH; i++)
			obj_free(v[i]);
	}
	return (now_ns() - t0) / ((double)rounds * FIFO_BATCH);
}

/*
 * SPSC ring: head written by the producer, tail by the consumer, each on
 * its own line; each side caches the other's index and re-reads it only
 * when the ring looks full (or empty).
 */
struct ring {
	_Alignas(64) unsigned long head;
	_Alignas(64) unsigned long tail;
	_Alignas(64) void *slot[RING_SIZE];
	unsigned long n;
};

static inline void
cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static void *
xthread_producer(void *arg)
{
	struct ring *r = arg;
	unsigned long head = 0, tail = 0, i;

	pin_to(0);
	for (i = 0; i < r->n; i++) {
		void *p = obj_get(i);

		while (head - tail == RING_SIZE) {
			tail = __atomic_load_n(&r->tail, __ATOMIC_ACQUIRE);
			if (head - tail == RING_SIZE)
				cpu_relax();
		}
		r->slot[head & (RING_SIZE - 1)] = p;
		__atomic_store_n(&r->head, ++head, __ATOMIC_RELEASE);
	}
	return NULL;
}

static void *
xthread_consumer(void *arg)
{
	struct ring *r = arg;
	unsigned long head = 0, tail = 0;
	uint64_t sum = 0;

	pin_to(1);
	while (tail < r->n) {
		while (tail == head) {
			head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
			if (tail == head)
				cpu_relax();
		}
		while (tail != head) {
			uint64_t *p = r->slot[tail & (RING_SIZE - 1)];

			sum += *p;
			obj_free(p);
			tail++;
		}
		__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	}
	barrier_ptr(sum);
	return NULL;
}

static double
run_xthread(unsigned long n)
{
	pthread_t prod, cons;
	struct ring *r;
	double t0, t;

	if (posix_memalign((void **)&r, 64, sizeof(*r)) != 0) {
		perror("posix_memalign");
		exit(1);
	}
	memset(r, 0, sizeof(*r));
	r->n = n;
	t0 = now_ns();
	if (pthread_create(&cons, NULL, xthread_consumer, r) != 0 ||
	    pthread_create(&prod, NULL, xthread_producer, r) != 0) {
		perror("pthread_create");
		exit(1);
	}
	pthread_join(prod, NULL);
	pthread_join(cons, NULL);
	t = (now_ns() - t0) / n;
	free(r);
	return t;
}

struct churn {
	void		**live;
	unsigned long	 steps;
	uint64_t	 seed;
	int		 cpu;
	pthread_barrier_t *start;	/* churn2: time both threads together */
	double		 ns;		/* per step */
};

static void
churn_fill(struct churn *c)
{
	unsigned long i;

	if (c->live == NULL &&
	    (c->live = malloc(CHURN_LIVE * sizeof(void *))) == NULL) {
		perror("malloc");
		exit(1);
	}
	for (i = 0; i < CHURN_LIVE; i++)
		c->live[i] = obj_get(i);
}

static void
churn_empty(struct churn *c)
{
	unsigned long i;

	for (i = 0; i < CHURN_LIVE; i++)
		obj_free(c->live[i]);
}

static void
churn_steps(struct churn *c)
{
	uint64_t s = c->seed;
	unsigned long i, k;
	double t0 = now_ns();

	for (i = 0; i < c->steps; i++) {
		k = rng_below(&s, CHURN_LIVE);
		obj_free(c->live[k]);
		c->live[k] = obj_get(i);
	}
	c->ns = (now_ns() - t0) / c->steps;
	c->seed = s;
}

/* One churn thread: fill, warm up, SAMPLES timed runs, empty. */
static void *
churn_thread(void *arg)
{
	struct churn *c = arg;
	double v[SAMPLES];
	unsigned long steps = c->steps;
	int i;

	pin_to(c->cpu);
	churn_fill(c);
	c->steps = steps / 4;
	churn_steps(c);
	c->steps = steps;
	if (c->start != NULL)
		pthread_barrier_wait(c->start);
	for (i = 0; i < SAMPLES; i++) {
		churn_steps(c);
		v[i] = c->ns;
	}
	c->ns = median(v, SAMPLES);
	churn_empty(c);
	free(c->live);
	c->live = NULL;
	return NULL;
}

/*
 * Two threads churning at once.  Each runs its own samples; the result
 * is the mean of the two threads' medians (per-thread ns per step, so
 * perfect scaling gives the one-thread figure).
 */
static double
run_churn2(void)
{
	struct churn c[2] = {
		{ .steps = n_churn, .seed = 0x9e3779b97f4a7c15ULL, .cpu = 0 },
		{ .steps = n_churn, .seed = 0xd1b54a32d192ed03ULL, .cpu = 1 },
	};
	pthread_barrier_t start;
	pthread_t t[2];
	int i;

	pthread_barrier_init(&start, NULL, 2);
	for (i = 0; i < 2; i++) {
		c[i].start = &start;
		if (pthread_create(&t[i], NULL, churn_thread, &c[i]) != 0) {
			perror("pthread_create");
			exit(1);
		}
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	return (c[0].ns + c[1].ns) / 2;
}

static void
sample(const char *test, double (*fn)(unsigned long), unsigned long n)
{
	double v[SAMPLES];
	int i;

	fn(n / 4 + 1);		/* warm-up */
	for (i = 0; i < SAMPLES; i++)
		v[i] = fn(n);
	result(test, median(v, SAMPLES), "ns");
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: alloc_bench [-s SCALE] [TEST...]\n"
	    "  tests: rss pair fifo1k xthread churn churn2 (default: all)\n"
	    "  -s SCALE  multiply the iteration counts (default 1)\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	static const char *all[] = {
		"rss", "pair", "fifo1k", "xthread", "churn", "churn2", NULL
	};
	const char **tests = all;
	double scale = 1;
	int c, i;

	while ((c = getopt(argc, argv, "s:h")) != -1) {
		switch (c) {
		case 's':
			scale = strtod(optarg, NULL);
			if (!(scale > 0))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind < argc)
		tests = (const char **)argv + optind;
	n_pair = n_pair * scale + 1;
	n_fifo = n_fifo * scale + 1;
	n_xthread = n_xthread * scale + 1;
	n_churn = n_churn * scale + 1;

	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	alloc_setup();
	pin_to(0);

	for (i = 0; tests[i] != NULL; i++) {
		if (strcmp(tests[i], "rss") == 0)
			test_rss();
		else if (strcmp(tests[i], "pair") == 0)
			sample("pair", run_pair, n_pair);
		else if (strcmp(tests[i], "fifo1k") == 0)
			sample("fifo1k", run_fifo, n_fifo);
		else if (strcmp(tests[i], "xthread") == 0)
			sample("xthread", run_xthread, n_xthread);
		else if (strcmp(tests[i], "churn") == 0) {
			struct churn ch = { .steps = n_churn,
			    .seed = 0x2545f4914f6cdd1dULL, .cpu = 0 };

			churn_thread(&ch);
			result("churn", ch.ns, "ns");
		} else if (strcmp(tests[i], "churn2") == 0)
			result("churn2", run_churn2(), "ns");
		else {
			fprintf(stderr, "alloc_bench: unknown test %s\n",
			    tests[i]);
			usage();
		}
	}
	return 0;
}
