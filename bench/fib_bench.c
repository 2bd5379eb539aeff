/* SPDX-License-Identifier: MIT */
/*
 * bench/fib_bench.c - the FIB benchmark of issue 4: our fn_hash FIB
 * against DPDK's rte_lpm on the same table and the same addresses, in
 * one process.
 *
 * This file owns the FIB measurements.  It loads a table (the real full
 * view by default; any "A.B.C.D/LEN" per line file, such as the output
 * of tools/gen-routes, gzipped or not) into table main through
 * fib_table_insert, spread over four gateways on two devices, and
 * reports:
 *
 *   insert       total seconds and ns per prefix (median of the runs; each
 *                run after the first deletes the table and inserts again)
 *   memory       bytes per prefix, from fib_mem_stats() (its total, and
 *                with the per-/16 summary added) and from the fib
 *                kmem_caches' slabinfo
 *   probes       average zones probed per lookup, per address stream
 *   lookups      ns per single fib_table_lookup() on three streams of
 *                1M addresses: uniform random 32-bit, a random host in a
 *                random table prefix, and 4096 hot in-table addresses
 *                cycled; also fib_lookup() (rules, then tables)
 *
 * Built with BENCH_WITH_DPDK, the same prefixes (next hop = prefix index)
 * go into an rte_lpm and the same streams are looked up there, the two
 * engines interleaved sample by sample; every stream is cross-checked
 * (our matched prefix must be the one rte_lpm names).  Output lines:
 *
 *   bench fib_<stream> ours=<ns> base=<ns> baseline=rte_lpm ratio=<x>
 *   bench fib_insert ours=<ns/prefix> base=<ns/prefix> baseline=rte_lpm ...
 *   bench fib_bytes_per_prefix ours=<B> base=<B> baseline=rte_lpm ...
 *   bench fib_probes_<stream> value=<zones>
 *
 * Lines starting with '#' are for people.  Exit status 1 on a mismatch.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/slab.h"
#include "bench_table.h"

#ifdef BENCH_WITH_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_version.h>
#endif

#define HOT		4096

enum { S_UNIFORM, S_INTABLE, S_HOT, NSTREAM };
static const char *stream_name[NSTREAM] = { "uniform", "intable", "hot4k" };

static uint32_t		*stream[NSTREAM];	/* host order */
static uint32_t		*stream_be[NSTREAM];	/* network order */
static size_t		 nstream = 1 << 20;
static int		 nruns = 5;

/* ------------------------------------------------------------ our FIB */

static double
fib_unload(struct fib_table *tb)
{
	struct fib_config cfg;
	unsigned long fails = 0;
	double t0 = bench_now_ns();
	size_t i;

	for (i = 0; i < bench_npfx; i++) {
		if (!bench_pfx[i].ours)
			continue;
		bench_route_cfg(&cfg, &bench_pfx[i]);
		if (fib_table_delete(tb, &cfg) != 0)
			fails++;
	}
	if (fails)
		bench_fatalx("fib_table_delete: %lu of %zu failed", fails,
		    bench_ntable);
	return bench_now_ns() - t0;
}

static double
ours_run(struct fib_table *tb, const uint32_t *s, size_t n)
{
	struct flowi4 fl4;
	struct fib_result res;
	uint64_t acc = 0;
	double t0;
	size_t i;

	memset(&fl4, 0, sizeof(fl4));
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		fl4.daddr = s[i];
		if (fib_table_lookup(tb, &fl4, &res) == 0)
			acc += res.prefixlen;
	}
	t0 = bench_now_ns() - t0;
	bench_sink += acc;
	fib_rcu_quiescent();
	return t0 / n;
}

static double
ours_rules_run(const uint32_t *s, size_t n)
{
	struct flowi4 fl4;
	struct fib_result res;
	uint64_t acc = 0;
	double t0;
	size_t i;

	memset(&fl4, 0, sizeof(fl4));
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		fl4.daddr = s[i];
		if (fib_lookup(&fl4, &res) == 0)
			acc += res.prefixlen;
	}
	t0 = bench_now_ns() - t0;
	bench_sink += acc;
	fib_rcu_quiescent();
	return t0 / n;
}

/*
 * Memory of the FIB from slabinfo: object bytes and slab bytes of the
 * caches whose names say fib (ip_fib_hash, ip_fib_alias, fib_info, ...).
 */
static void
slab_fib_bytes(double *objbytes, double *slabbytes)
{
	char *buf = NULL, *line, *save;
	size_t len = 0;
	FILE *f;

	*objbytes = *slabbytes = 0;
	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	slabinfo_show(f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long active, num, objsize, perslab, pages, aslabs,
		    nslabs;
		const char *sd;

		if (line[0] == '#' || strncmp(line, "slabinfo", 8) == 0)
			continue;
		if (sscanf(line, "%63s %lu %lu %lu %lu %lu", name, &active,
		    &num, &objsize, &perslab, &pages) != 6)
			continue;
		if (strstr(name, "fib") == NULL && strncmp(name, "fn_", 3))
			continue;
		if ((sd = strstr(line, "slabdata")) == NULL ||
		    sscanf(sd, "slabdata %lu %lu", &aslabs, &nslabs) != 2)
			continue;
		*objbytes += (double)active * objsize;
		*slabbytes += (double)nslabs * pages * sysconf(_SC_PAGESIZE);
	}
	free(buf);
}

/* ------------------------------------------------------------ rte_lpm */

#ifdef BENCH_WITH_DPDK
static double
lpm_run(const uint32_t *s, size_t n)
{
	uint64_t acc = 0;
	uint32_t nh;
	double t0 = bench_now_ns();
	size_t i;

	for (i = 0; i < n; i++)
		if (rte_lpm_lookup(bench_lpm, s[i], &nh) == 0)
			acc += nh;
	t0 = bench_now_ns() - t0;
	bench_sink += acc;
	return t0 / n;
}

/* Our answer must be the prefix rte_lpm names; count the others. */
static unsigned long
verify(struct fib_table *tb, int si)
{
	struct flowi4 fl4;
	struct fib_result res;
	unsigned long bad = 0;
	uint32_t nh;
	long idx;
	size_t i;
	int rc, lrc;

	memset(&fl4, 0, sizeof(fl4));
	for (i = 0; i < nstream; i++) {
		fl4.daddr = stream_be[si][i];
		rc = fib_table_lookup(tb, &fl4, &res);
		lrc = rte_lpm_lookup(bench_lpm, stream[si][i], &nh);
		idx = rc == 0 ? bench_pfx_find(ntohl(res.prefix), res.prefixlen) : -1;
		if ((rc == 0) == (lrc == 0) && (rc != 0 || idx == (long)nh))
			continue;
		if (bad++ < 5)
			fprintf(stderr, "# mismatch %s: %s: ours %d /%u, "
			    "rte_lpm %d nh %u\n", stream_name[si],
			    inet_ntoa((struct in_addr){ stream_be[si][i] }),
			    rc, rc == 0 ? res.prefixlen : 0, lrc, nh);
	}
	fib_rcu_quiescent();
	return bad;
}
#endif /* BENCH_WITH_DPDK */

/* ------------------------------------------------------------ streams */

static void
make_streams(void)
{
	uint32_t hot[HOT], a;
	size_t i;
	int s;

	for (s = 0; s < NSTREAM; s++) {
		stream[s] = bench_xcalloc(nstream, sizeof(uint32_t));
		stream_be[s] = bench_xcalloc(nstream, sizeof(uint32_t));
	}
	for (i = 0; i < nstream; i++)
		stream[S_UNIFORM][i] = (uint32_t)bench_rng();
	for (i = 0; i < nstream + HOT; i++) {
		a = bench_intable_host();
		if (i < nstream)
			stream[S_INTABLE][i] = a;
		else
			hot[i - nstream] = a;
	}
	for (i = 0; i < nstream; i++)
		stream[S_HOT][i] = hot[i % HOT];
	for (s = 0; s < NSTREAM; s++)
		for (i = 0; i < nstream; i++)
			stream_be[s][i] = htonl(stream[s][i]);
}

/* ------------------------------------------------------------ main */

static void
bench_line(const char *name, double ours, double base, int have_base)
{
	if (have_base)
		printf("bench %s ours=%.2f base=%.2f baseline=rte_lpm "
		    "ratio=%.3f\n", name, ours, base, base > 0 ? ours / base : 0);
	else
		printf("bench %s ours=%.2f\n", name, ours);
}

static void
usage(void)
{
	fprintf(stderr,
"usage: fib_bench [-i FILE] [-r RUNS] [-n ADDRS] [-s SEED] [--no-lpm]\n"
"                 [--lpm-cache FILE]\n"
"  -i FILE   prefixes (A.B.C.D/LEN first on a line; .gz ok; - stdin)\n"
"            default %s\n"
"  -r RUNS   insert runs and lookup samples, median taken (default 5)\n"
"  -n ADDRS  addresses per stream (default 1048576)\n"
"  -s SEED   seed of the address streams\n"
"  --no-lpm  skip rte_lpm (its table build takes about 45 us a prefix)\n"
"  --lpm-cache FILE  keep rte_lpm's built tables (and build time) there\n"
"            and reuse them when the table and DPDK version match\n",
	    BENCH_FULLVIEW);
	exit(2);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "no-lpm", no_argument, NULL, 'L' },
		{ "lpm-cache", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *input = BENCH_FULLVIEW;
	double t_ins[64], t_del[64], v[NSTREAM][2][64], vr[NSTREAM][64];
	double probes[NSTREAM], lpm_ins = 0, lpm_mem = 0, objb, slabb;
	int use_lpm = 1, have_lpm = 0, lpm_cached = 0, c, r, s;
	const char *lpm_cache = NULL;
	unsigned long bad = 0;
	struct fib_mem_stats st;
	struct fib_table *tb;
	size_t i;

	while ((c = getopt_long(argc, argv, "i:r:n:s:h", lopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'r':
			nruns = atoi(optarg);
			if (nruns < 1 || nruns > 64)
				usage();
			break;
		case 'n':
			nstream = strtoul(optarg, NULL, 0);
			if (nstream < HOT)
				usage();
			break;
		case 's':
			bench_seed(strtoull(optarg, NULL, 0));
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

	bench_read_table(input);
	rcu_register_thread();
	rcu_thread_offline();		/* the writer may stay offline */
	if ((c = fib_init()) != 0)
		bench_fatalx("fib_init: %s", strerror(-c));
	if ((tb = fib_get_table(RT_TABLE_MAIN)) == NULL)
		bench_fatalx("no main table");
	bench_setup_links();
	make_streams();
	printf("# table %s: %zu prefixes (+%zu connected), %d runs, "
	    "%zu addresses per stream\n", input, bench_ntable,
	    bench_npfx - bench_ntable, nruns, nstream);
	fflush(stdout);

#ifdef BENCH_WITH_DPDK
	if (use_lpm) {
		bench_lpm_init(argv[0]);
		lpm_ins = bench_lpm_load(lpm_cache, &lpm_cached);
		lpm_mem = bench_lpm_bytes();
		have_lpm = 1;
	}
#else
	(void)use_lpm;
	(void)lpm_cache;
#endif

	/* insert runs: the first into the empty table, then delete + add */
	t_ins[0] = bench_fib_load(tb);
	for (r = 1; r < nruns; r++) {
		t_del[r - 1] = fib_unload(tb);
		t_ins[r] = bench_fib_load(tb);
	}
	fib_mem_stats(&st);
	slab_fib_bytes(&objb, &slabb);

	rcu_thread_online();
	for (s = 0; s < NSTREAM; s++) {
		double sum = 0;

		for (i = 0; i < nstream; i++)
			sum += fib_table_probes(RT_TABLE_MAIN,
			    stream_be[s][i]);
		probes[s] = sum / nstream;
	}
#ifdef BENCH_WITH_DPDK
	if (have_lpm)
		for (s = 0; s < NSTREAM; s++)
			bad += verify(tb, s);
#endif
	/* warm-up, then the samples, engines interleaved */
	for (s = 0; s < NSTREAM; s++)
		ours_run(tb, stream_be[s], nstream);
	for (r = 0; r < nruns; r++)
		for (s = 0; s < NSTREAM; s++) {
			v[s][0][r] = ours_run(tb, stream_be[s], nstream);
			vr[s][r] = ours_rules_run(stream_be[s], nstream);
#ifdef BENCH_WITH_DPDK
			if (have_lpm)
				v[s][1][r] = lpm_run(stream[s], nstream);
#endif
		}
	rcu_thread_offline();

	printf("# insert: first %.3f s, median %.3f s for %zu prefixes",
	    t_ins[0] / 1e9, bench_median(t_ins, nruns) / 1e9, bench_ntable);
	if (nruns > 1)
		printf("; delete median %.3f s",
		    bench_median(t_del, nruns - 1) / 1e9);
	printf("\n# memory: %zu nodes, %zu aliases, %zu infos; node %zu B, "
	    "alias %zu B, info %zu B, hash %zu B, summary %zu B, total %zu B\n",
	    st.nodes, st.aliases, st.infos, st.node_bytes, st.alias_bytes,
	    st.info_bytes, st.hash_bytes, st.summary_bytes, st.total_bytes);
	printf("# slabinfo fib caches: %.0f B in objects, %.0f B in slabs "
	    "(%.1f B per prefix)\n", objb, slabb, slabb / bench_ntable);
	if (have_lpm)
		printf("# rte_lpm: build %.1f s (%.1f us per add)%s, %.1f MiB "
		    "(tbl24 + used tbl8 groups + rules)\n", lpm_ins / 1e9,
		    lpm_ins / 1e3 / bench_npfx, lpm_cached ? ", tables restored "
		    "from the cache" : "", lpm_mem / 1048576);
	if (have_lpm)
		printf("# verify: %zu lookups against rte_lpm, %lu "
		    "mismatches\n", nstream * NSTREAM, bad);
	for (s = 0; s < NSTREAM; s++)
		printf("# fib_lookup (rules 0/32766/32767, then tables) %s: "
		    "%.2f ns\n", stream_name[s], bench_median(vr[s], nruns));

	bench_line("fib_insert", bench_median(t_ins, nruns) / bench_ntable,
	    lpm_ins / bench_npfx, have_lpm);
	printf("bench fib_insert_total value=%.3f\n",
	    bench_median(t_ins, nruns) / 1e9);
	bench_line("fib_bytes_per_prefix", (double)st.total_bytes / bench_ntable,
	    lpm_mem / bench_npfx, have_lpm);
	/* everything the API counts, the per-/16 summary included */
	bench_line("fib_bytes_per_prefix_all", (double)(st.node_bytes +
	    st.alias_bytes + st.info_bytes + st.hash_bytes +
	    st.summary_bytes) / bench_ntable, lpm_mem / bench_npfx, have_lpm);
	printf("bench fib_slab_bytes_per_prefix value=%.1f\n", slabb / bench_ntable);
	for (s = 0; s < NSTREAM; s++)
		printf("bench fib_probes_%s value=%.2f\n", stream_name[s],
		    probes[s]);
	for (s = 0; s < NSTREAM; s++) {
		char name[32];

		snprintf(name, sizeof(name), "fib_%s", stream_name[s]);
		bench_line(name, bench_median(v[s][0], nruns),
		    have_lpm ? bench_median(v[s][1], nruns) : 0, have_lpm);
	}
	fflush(stdout);
	return bad ? 1 : 0;
}
