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
#include <urcu-qsbr.h>

#include "rtcache/fib.h"
#include "rtcache/slab.h"

#ifdef BENCH_WITH_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lpm.h>
#include <rte_version.h>
#endif

#ifndef FIB_BENCH_FULLVIEW
#define FIB_BENCH_FULLVIEW	"../shared/data/fullview-2024.txt.gz"
#endif

#define NGW		4
#define HOT		4096

enum { S_UNIFORM, S_INTABLE, S_HOT, NSTREAM };
static const char *stream_name[NSTREAM] = { "uniform", "intable", "hot4k" };

struct pfx {
	uint32_t	 addr;		/* host order */
	uint8_t		 len;
	uint8_t		 ours;		/* 1: inserted by us, 0: connected */
};

static struct pfx	*pfx;		/* sorted by (addr, len) */
static size_t		 npfx;
static size_t		 ntable;	/* prefixes from the input */
static uint32_t		 gw[NGW];	/* host order */
static int		 gw_oif[NGW];

static uint32_t		*stream[NSTREAM];	/* host order */
static uint32_t		*stream_be[NSTREAM];	/* network order */
static size_t		 nstream = 1 << 20;
static int		 nruns = 5;
static volatile uint64_t sink;

static void __attribute__((noreturn, format(printf, 1, 2)))
fatalx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fib_bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		fatalx("out of memory");
	return p;
}

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
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

static uint64_t rng_state = 0x853c49e6748fea9bULL;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
len_mask(unsigned int len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* ------------------------------------------------------------ the table */

static int
cmp_pfx(const void *a, const void *b)
{
	const struct pfx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/*
 * Read prefixes: the first "A.B.C.D/LEN" token of each line (so plain
 * lists, gen-routes' ip and fib formats all work); IPv6 lines skipped.
 */
static void
read_table(const char *path)
{
	char line[512], cmd[4200], *tok, *slash, *save;
	size_t cap = 1 << 20, n = strlen(path);
	struct in_addr in;
	int piped = 0;
	long len;
	FILE *f;

	if (strcmp(path, "-") == 0)
		f = stdin;
	else if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
		if (access(path, R_OK) != 0)
			fatalx("%s: %s", path, strerror(errno));
		if (strchr(path, '\'') != NULL || n > 4096)
			fatalx("%s: unusable file name", path);
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
		if ((f = popen(cmd, "r")) == NULL)
			fatalx("%s: %s", cmd, strerror(errno));
		piped = 1;
	} else if ((f = fopen(path, "r")) == NULL)
		fatalx("%s: %s", path, strerror(errno));

	pfx = xcalloc(cap, sizeof(*pfx));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strchr(line, ':') != NULL)
			continue;
		for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
		    tok = strtok_r(NULL, " \t\r\n", &save))
			if (isdigit((unsigned char)*tok))
				break;
		if (tok == NULL || (slash = strchr(tok, '/')) == NULL)
			continue;
		*slash = '\0';
		len = strtol(slash + 1, NULL, 10);
		if (inet_pton(AF_INET, tok, &in) != 1 || len < 1 || len > 32)
			continue;
		if (npfx == cap) {
			cap *= 2;
			if ((pfx = realloc(pfx, cap * sizeof(*pfx))) == NULL)
				fatalx("out of memory");
		}
		pfx[npfx].addr = ntohl(in.s_addr) & len_mask(len);
		pfx[npfx].len = len;
		pfx[npfx].ours = 1;
		npfx++;
	}
	if (piped ? pclose(f) != 0 : (f != stdin && fclose(f) != 0))
		fatalx("%s: read failed", path);
	if (npfx == 0)
		fatalx("%s: no IPv4 prefixes", path);
}

/*
 * Devices, addresses and the connected routes the gateways need; the
 * connected /24s join pfx[] (not ours to insert) so that rte_lpm holds
 * exactly what table main holds.  Then sort and drop duplicates.
 */
static void
setup_links(void)
{
	char cmd[128];
	size_t i, j;
	int k, rc;

	for (k = 0; k < 2; k++) {
		snprintf(cmd, sizeof(cmd), "link add bench%d index %d up", k,
		    10 + k);
		if ((rc = fib_exec(cmd)) != 0)
			fatalx("fib_exec(%s): %s", cmd, strerror(-rc));
	}
	for (k = 0; k < NGW; k++) {
		gw[k] = 0xc6120001U + (k << 8);		/* 198.18.k.1 */
		gw_oif[k] = 10 + k % 2;
		snprintf(cmd, sizeof(cmd), "addr add 198.18.%d.254/24 dev "
		    "bench%d", k, k % 2);
		if ((rc = fib_exec(cmd)) != 0)
			fatalx("fib_exec(%s): %s", cmd, strerror(-rc));
		if ((pfx = realloc(pfx, (npfx + 1) * sizeof(*pfx))) == NULL)
			fatalx("out of memory");
		pfx[npfx].addr = gw[k] & len_mask(24);
		pfx[npfx].len = 24;
		pfx[npfx].ours = 0;
		npfx++;
	}
	qsort(pfx, npfx, sizeof(*pfx), cmp_pfx);
	for (i = 0, j = 0; i < npfx; i++) {
		if (j > 0 && cmp_pfx(&pfx[j - 1], &pfx[i]) == 0) {
			pfx[j - 1].ours &= pfx[i].ours;
			continue;
		}
		pfx[j++] = pfx[i];
	}
	npfx = j;
	for (i = 0, ntable = 0; i < npfx; i++)
		ntable += pfx[i].ours;
}

/* ------------------------------------------------------------ our FIB */

static void
route_cfg(struct fib_config *cfg, const struct pfx *p)
{
	/* a gateway per prefix from a hash, as gen-routes spreads them */
	unsigned int k = ((p->addr * 0x9e3779b1U) ^ p->len) >> 30;

	fib_config_init(cfg);
	cfg->fc_dst = htonl(p->addr);
	cfg->fc_dst_len = p->len;
	cfg->fc_table = RT_TABLE_MAIN;
	cfg->fc_gw = htonl(gw[k % NGW]);
	cfg->fc_oif = gw_oif[k % NGW];
	cfg->fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
}

/* Insert every prefix of ours; returns ns for all of them. */
static double
fib_load(struct fib_table *tb)
{
	struct fib_config cfg;
	unsigned long fails = 0;
	int rc = 0, first = 0;
	double t0 = now_ns(), t;
	size_t i;

	for (i = 0; i < npfx; i++) {
		if (!pfx[i].ours)
			continue;
		route_cfg(&cfg, &pfx[i]);
		if ((rc = fib_table_insert(tb, &cfg)) != 0 && fails++ == 0)
			first = rc;
	}
	t = now_ns() - t0;
	if (fails)
		fatalx("fib_table_insert: %lu of %zu failed (first: %s)",
		    fails, ntable, strerror(-first));
	return t;
}

static double
fib_unload(struct fib_table *tb)
{
	struct fib_config cfg;
	unsigned long fails = 0;
	double t0 = now_ns();
	size_t i;

	for (i = 0; i < npfx; i++) {
		if (!pfx[i].ours)
			continue;
		route_cfg(&cfg, &pfx[i]);
		if (fib_table_delete(tb, &cfg) != 0)
			fails++;
	}
	if (fails)
		fatalx("fib_table_delete: %lu of %zu failed", fails, ntable);
	return now_ns() - t0;
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
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fl4.daddr = s[i];
		if (fib_table_lookup(tb, &fl4, &res) == 0)
			acc += res.prefixlen;
	}
	t0 = now_ns() - t0;
	sink += acc;
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
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		fl4.daddr = s[i];
		if (fib_lookup(&fl4, &res) == 0)
			acc += res.prefixlen;
	}
	t0 = now_ns() - t0;
	sink += acc;
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
static struct rte_lpm *lpm;

/* Index of (addr, len) in pfx[], or -1. */
static long
pfx_find(uint32_t addr, unsigned int len)
{
	struct pfx key = { .addr = addr, .len = len };
	struct pfx *p = bsearch(&key, pfx, npfx, sizeof(*pfx), cmp_pfx);

	return p ? p - pfx : -1;
}

static void
lpm_init(void)
{
	char *eal_argv[] = {
		"fib_bench", "--no-huge", "--no-pci", "-m", "512",
		"--no-telemetry", "--no-shconf", "-l", "0",
		"--log-level=lib.eal:error", NULL
	};
	int eal_argc = sizeof(eal_argv) / sizeof(eal_argv[0]) - 1;

	if (rte_eal_init(eal_argc, eal_argv) < 0)
		fatalx("rte_eal_init: %s", rte_strerror(rte_errno));
}

/*
 * The rte_lpm build is quadratic (rte_lpm_add scans every rule of the
 * same depth: ~45 us a prefix at 900k), so the tables it built can be
 * kept in a cache file keyed by the prefix list and the DPDK version and
 * copied back into a fresh rte_lpm: the lookup tables are then exactly
 * what rte_lpm_add made.  The rule table stays empty, which only add and
 * delete read.  The file also keeps the build time.
 */
struct lpm_cache_hdr {
	char		 magic[8];	/* "RTLPMC1\0" */
	uint64_t	 key;
	uint64_t	 npfx;
	uint64_t	 tbl8_entries;	/* stored after tbl24 */
	double		 build_ns;
};

static uint64_t
lpm_cache_key(void)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ RTE_VERSION;
	size_t i;

	for (i = 0; i < npfx; i++) {
		h = (h ^ pfx[i].addr) * 0x100000001b3ULL;
		h = (h ^ pfx[i].len) * 0x100000001b3ULL;
	}
	return h ^ sizeof(struct rte_lpm_tbl_entry);
}

static int
lpm_cache_read(const char *path, double *build_ns)
{
	struct lpm_cache_hdr hdr;
	size_t n24 = RTE_LPM_TBL24_NUM_ENTRIES;
	FILE *f;
	int ok;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	ok = fread(&hdr, sizeof(hdr), 1, f) == 1 &&
	    memcmp(hdr.magic, "RTLPMC1", 8) == 0 &&
	    hdr.key == lpm_cache_key() && hdr.npfx == npfx &&
	    hdr.tbl8_entries <= 65536UL * RTE_LPM_TBL8_GROUP_NUM_ENTRIES &&
	    fread(lpm->tbl24, sizeof(lpm->tbl24[0]), n24, f) == n24 &&
	    fread(lpm->tbl8, sizeof(lpm->tbl8[0]), hdr.tbl8_entries, f) ==
	    hdr.tbl8_entries;
	fclose(f);
	*build_ns = hdr.build_ns;
	return ok ? 0 : -1;
}

static void
lpm_cache_write(const char *path, double build_ns)
{
	struct lpm_cache_hdr hdr = { .magic = "RTLPMC1" };
	size_t n24 = RTE_LPM_TBL24_NUM_ENTRIES, i, top = 0;
	char tmp[4200];
	FILE *f;
	int ok;

	for (i = 0; i < n24; i++)
		if (lpm->tbl24[i].valid && lpm->tbl24[i].valid_group &&
		    (size_t)lpm->tbl24[i].next_hop + 1 > top)
			top = lpm->tbl24[i].next_hop + 1;
	hdr.key = lpm_cache_key();
	hdr.npfx = npfx;
	hdr.tbl8_entries = top * RTE_LPM_TBL8_GROUP_NUM_ENTRIES;
	hdr.build_ns = build_ns;
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "wb")) == NULL)
		return;
	ok = fwrite(&hdr, sizeof(hdr), 1, f) == 1 &&
	    fwrite(lpm->tbl24, sizeof(lpm->tbl24[0]), n24, f) == n24 &&
	    fwrite(lpm->tbl8, sizeof(lpm->tbl8[0]), hdr.tbl8_entries, f) ==
	    hdr.tbl8_entries;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0)
		unlink(tmp);
}

/*
 * Every prefix, next hop = its index in pfx[]; returns the ns the adds
 * took (when restored from @cache, the time recorded there).
 */
static double
lpm_load(const char *cache, int *cached)
{
	struct rte_lpm_config cfg = {
		.max_rules = npfx + npfx / 10 + 16,
		.number_tbl8s = 65536,
	};
	double t0;
	size_t i;
	int rc;

	if ((lpm = rte_lpm_create("fib_bench", -1, &cfg)) == NULL)
		fatalx("rte_lpm_create: %s", rte_strerror(rte_errno));
	*cached = 0;
	if (cache != NULL && lpm_cache_read(cache, &t0) == 0) {
		*cached = 1;
		return t0;
	}
	if (cache != NULL) {	/* a partial read may have written some */
		rte_lpm_free(lpm);
		if ((lpm = rte_lpm_create("fib_bench", -1, &cfg)) == NULL)
			fatalx("rte_lpm_create: %s", rte_strerror(rte_errno));
	}
	fprintf(stderr, "# building rte_lpm (slow: its rule table is a "
	    "linear scan per add)\n");
	t0 = now_ns();
	for (i = 0; i < npfx; i++)
		if ((rc = rte_lpm_add(lpm, pfx[i].addr, pfx[i].len, i)) != 0)
			fatalx("rte_lpm_add: %s", strerror(-rc));
	t0 = now_ns() - t0;
	if (cache != NULL)
		lpm_cache_write(cache, t0);
	return t0;
}

/* tbl24 plus the tbl8 groups in use plus the rule table, per prefix. */
static double
lpm_bytes(void)
{
	size_t i, groups = 0;

	for (i = 0; i < RTE_LPM_TBL24_NUM_ENTRIES; i++)
		if (lpm->tbl24[i].valid && lpm->tbl24[i].valid_group)
			groups++;
	return ((double)RTE_LPM_TBL24_NUM_ENTRIES * 4 +
	    (double)groups * RTE_LPM_TBL8_GROUP_NUM_ENTRIES * 4 +
	    (double)npfx * 8);
}

static double
lpm_run(const uint32_t *s, size_t n)
{
	uint64_t acc = 0;
	uint32_t nh;
	double t0 = now_ns();
	size_t i;

	for (i = 0; i < n; i++)
		if (rte_lpm_lookup(lpm, s[i], &nh) == 0)
			acc += nh;
	t0 = now_ns() - t0;
	sink += acc;
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
		lrc = rte_lpm_lookup(lpm, stream[si][i], &nh);
		idx = rc == 0 ? pfx_find(ntohl(res.prefix), res.prefixlen) : -1;
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
	size_t i, k;
	int s;

	for (s = 0; s < NSTREAM; s++) {
		stream[s] = xcalloc(nstream, sizeof(uint32_t));
		stream_be[s] = xcalloc(nstream, sizeof(uint32_t));
	}
	for (i = 0; i < nstream; i++)
		stream[S_UNIFORM][i] = (uint32_t)rng_next();
	for (i = 0; i < nstream + HOT; i++) {
		do
			k = rng_next() % npfx;
		while (!pfx[k].ours);
		a = pfx[k].addr | ((uint32_t)rng_next() & ~len_mask(pfx[k].len));
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
	    FIB_BENCH_FULLVIEW);
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
	const char *input = FIB_BENCH_FULLVIEW;
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
			rng_state ^= strtoull(optarg, NULL, 0);
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

	read_table(input);
	rcu_register_thread();
	rcu_thread_offline();		/* the writer may stay offline */
	if ((c = fib_init()) != 0)
		fatalx("fib_init: %s", strerror(-c));
	if ((tb = fib_get_table(RT_TABLE_MAIN)) == NULL)
		fatalx("no main table");
	setup_links();
	make_streams();
	printf("# table %s: %zu prefixes (+%zu connected), %d runs, "
	    "%zu addresses per stream\n", input, ntable, npfx - ntable,
	    nruns, nstream);
	fflush(stdout);

#ifdef BENCH_WITH_DPDK
	if (use_lpm) {
		lpm_init();
		lpm_ins = lpm_load(lpm_cache, &lpm_cached);
		lpm_mem = lpm_bytes();
		have_lpm = 1;
	}
#else
	(void)use_lpm;
	(void)lpm_cache;
#endif

	/* insert runs: the first into the empty table, then delete + add */
	t_ins[0] = fib_load(tb);
	for (r = 1; r < nruns; r++) {
		t_del[r - 1] = fib_unload(tb);
		t_ins[r] = fib_load(tb);
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
	    t_ins[0] / 1e9, median(t_ins, nruns) / 1e9, ntable);
	if (nruns > 1)
		printf("; delete median %.3f s", median(t_del, nruns - 1) / 1e9);
	printf("\n# memory: %zu nodes, %zu aliases, %zu infos; node %zu B, "
	    "alias %zu B, info %zu B, hash %zu B, summary %zu B, total %zu B\n",
	    st.nodes, st.aliases, st.infos, st.node_bytes, st.alias_bytes,
	    st.info_bytes, st.hash_bytes, st.summary_bytes, st.total_bytes);
	printf("# slabinfo fib caches: %.0f B in objects, %.0f B in slabs "
	    "(%.1f B per prefix)\n", objb, slabb, slabb / ntable);
	if (have_lpm)
		printf("# rte_lpm: build %.1f s (%.1f us per add)%s, %.1f MiB "
		    "(tbl24 + used tbl8 groups + rules)\n", lpm_ins / 1e9,
		    lpm_ins / 1e3 / npfx, lpm_cached ? ", tables restored "
		    "from the cache" : "", lpm_mem / 1048576);
	if (have_lpm)
		printf("# verify: %zu lookups against rte_lpm, %lu "
		    "mismatches\n", nstream * NSTREAM, bad);
	for (s = 0; s < NSTREAM; s++)
		printf("# fib_lookup (rules 0/32766/32767, then tables) %s: "
		    "%.2f ns\n", stream_name[s], median(vr[s], nruns));

	bench_line("fib_insert", median(t_ins, nruns) / ntable,
	    lpm_ins / npfx, have_lpm);
	printf("bench fib_insert_total value=%.3f\n",
	    median(t_ins, nruns) / 1e9);
	bench_line("fib_bytes_per_prefix", (double)st.total_bytes / ntable,
	    lpm_mem / npfx, have_lpm);
	/* everything the API counts, the per-/16 summary included */
	bench_line("fib_bytes_per_prefix_all", (double)(st.node_bytes +
	    st.alias_bytes + st.info_bytes + st.hash_bytes +
	    st.summary_bytes) / ntable, lpm_mem / npfx, have_lpm);
	printf("bench fib_slab_bytes_per_prefix value=%.1f\n", slabb / ntable);
	for (s = 0; s < NSTREAM; s++)
		printf("bench fib_probes_%s value=%.2f\n", stream_name[s],
		    probes[s]);
	for (s = 0; s < NSTREAM; s++) {
		char name[32];

		snprintf(name, sizeof(name), "fib_%s", stream_name[s]);
		bench_line(name, median(v[s][0], nruns),
		    have_lpm ? median(v[s][1], nruns) : 0, have_lpm);
	}
	fflush(stdout);
	return bad ? 1 : 0;
}
