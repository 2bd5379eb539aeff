/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_table.c - the pieces the table benchmarks share (see
 * bench_table.h): reading prefixes, loading table main over a few
 * gateways, in-table streams, and rte_lpm with its build cache.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "rtcache/fib.h"
#include "bench_table.h"

#ifdef BENCH_WITH_DPDK
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_version.h>
#endif

struct bench_pfx	*bench_pfx;
size_t			 bench_npfx;
size_t			 bench_ntable;
volatile uint64_t	 bench_sink;
static uint32_t		 gw[BENCH_NGW];	/* host order */
static int		 gw_oif[BENCH_NGW];

void
bench_fatalx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void *
bench_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL)
		bench_fatalx("out of memory");
	return p;
}

double
bench_now_ns(void)
{
	return (double)clock_mono_ns();
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bench_median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t rng_state = 0x853c49e6748fea9bULL;

void
bench_seed(uint64_t seed)
{
	rng_state ^= seed;
}

uint64_t
bench_rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t
bench_len_mask(unsigned int len)
{
	return len ? ~0U << (32 - len) : 0;
}

static int
cmp_pfx(const void *a, const void *b)
{
	const struct bench_pfx *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return (int)x->len - (int)y->len;
}

/*
 * Read prefixes: the first "A.B.C.D/LEN" token of each line (so plain
 * lists, gen-routes' ip and fib formats all work); IPv6 lines skipped.
 */
void
bench_read_table(const char *path)
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
			bench_fatalx("%s: %s", path, strerror(errno));
		if (strchr(path, '\'') != NULL || n > 4096)
			bench_fatalx("%s: unusable file name", path);
		snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
		if ((f = popen(cmd, "r")) == NULL)
			bench_fatalx("%s: %s", cmd, strerror(errno));
		piped = 1;
	} else if ((f = fopen(path, "r")) == NULL)
		bench_fatalx("%s: %s", path, strerror(errno));

	bench_pfx = bench_xcalloc(cap, sizeof(*bench_pfx));
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
		if (bench_npfx == cap) {
			cap *= 2;
			if ((bench_pfx = realloc(bench_pfx, cap * sizeof(*bench_pfx))) == NULL)
				bench_fatalx("out of memory");
		}
		bench_pfx[bench_npfx].addr = ntohl(in.s_addr) & bench_len_mask(len);
		bench_pfx[bench_npfx].len = len;
		bench_pfx[bench_npfx].ours = 1;
		bench_npfx++;
	}
	if (piped ? pclose(f) != 0 : (f != stdin && fclose(f) != 0))
		bench_fatalx("%s: read failed", path);
	if (bench_npfx == 0)
		bench_fatalx("%s: no IPv4 prefixes", path);
}

/*
 * Devices, addresses and the connected routes the gateways need; the
 * connected /24s join bench_pfx[] (not ours to insert) so that rte_lpm holds
 * exactly what table main holds.  Then sort and drop duplicates.
 */
void
bench_setup_links(void)
{
	char name[16];
	size_t i, j;
	int k, rc;

	/* benchK, index 10+K: up, running, carrier (as `ip link` reports) */
	for (k = 0; k < 2; k++) {
		snprintf(name, sizeof(name), "bench%d", k);
		if ((rc = fib_link_set(10 + k, name, NETDEV_F_UP |
		    NETDEV_F_RUNNING | NETDEV_F_LOWER_UP, 0,
		    FIB_EV_KERNEL_ROUTES)) != 0)
			bench_fatalx("link %s: %s", name, strerror(-rc));
	}
	/* 198.18.k.254/24 on bench(k % 2), scope global, no broadcast */
	for (k = 0; k < BENCH_NGW; k++) {
		gw[k] = 0xc6120001U + (k << 8);		/* 198.18.k.1 */
		gw_oif[k] = 10 + k % 2;
		if ((rc = fib_addr_add(gw_oif[k], htonl(gw[k] + 253), 24, 0,
		    RT_SCOPE_UNIVERSE, FIB_EV_KERNEL_ROUTES)) != 0)
			bench_fatalx("addr 198.18.%d.254/24: %s", k,
			    strerror(-rc));
		bench_pfx = realloc(bench_pfx,
		    (bench_npfx + 1) * sizeof(*bench_pfx));
		if (bench_pfx == NULL)
			bench_fatalx("out of memory");
		bench_pfx[bench_npfx].addr = gw[k] & bench_len_mask(24);
		bench_pfx[bench_npfx].len = 24;
		bench_pfx[bench_npfx].ours = 0;
		bench_npfx++;
	}
	qsort(bench_pfx, bench_npfx, sizeof(*bench_pfx), cmp_pfx);
	for (i = 0, j = 0; i < bench_npfx; i++) {
		if (j > 0 && cmp_pfx(&bench_pfx[j - 1], &bench_pfx[i]) == 0) {
			bench_pfx[j - 1].ours &= bench_pfx[i].ours;
			continue;
		}
		bench_pfx[j++] = bench_pfx[i];
	}
	bench_npfx = j;
	for (i = 0, bench_ntable = 0; i < bench_npfx; i++)
		bench_ntable += bench_pfx[i].ours;
}

void
bench_route_cfg(struct fib_config *cfg, const struct bench_pfx *p)
{
	/* a gateway per prefix from a hash, as gen-routes spreads them */
	unsigned int k = ((p->addr * 0x9e3779b1U) ^ p->len) >> 30;

	fib_config_init(cfg);
	cfg->fc_dst = htonl(p->addr);
	cfg->fc_dst_len = p->len;
	cfg->fc_table = RT_TABLE_MAIN;
	cfg->fc_gw = htonl(gw[k % BENCH_NGW]);
	cfg->fc_oif = gw_oif[k % BENCH_NGW];
	cfg->fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
}

/* Insert every prefix of ours; returns ns for all of them. */
double
bench_fib_load(struct fib_table *tb)
{
	struct fib_config cfg;
	unsigned long fails = 0;
	int rc = 0, first = 0;
	double t0 = bench_now_ns(), t;
	size_t i;

	for (i = 0; i < bench_npfx; i++) {
		if (!bench_pfx[i].ours)
			continue;
		bench_route_cfg(&cfg, &bench_pfx[i]);
		if ((rc = fib_table_insert(tb, &cfg)) != 0 && fails++ == 0)
			first = rc;
	}
	t = bench_now_ns() - t0;
	if (fails)
		bench_fatalx("fib_table_insert: %lu of %zu failed (first: %s)",
		    fails, bench_ntable, strerror(-first));
	return t;
}

/* A random host inside a random prefix of the input table. */
uint32_t
bench_intable_host(void)
{
	size_t k;

	do
		k = bench_rng() % bench_npfx;
	while (!bench_pfx[k].ours);
	return bench_pfx[k].addr |
	    ((uint32_t)bench_rng() & ~bench_len_mask(bench_pfx[k].len));
}

long
bench_pfx_find(uint32_t addr, unsigned int len)
{
	struct bench_pfx key = { .addr = addr, .len = len };
	struct bench_pfx *p = bsearch(&key, bench_pfx, bench_npfx,
	    sizeof(*bench_pfx), cmp_pfx);

	return p ? (long)(p - bench_pfx) : -1;
}

#ifdef BENCH_WITH_DPDK
struct rte_lpm *bench_lpm;

void
bench_lpm_init(const char *prog)
{
	char *eal_argv[] = {
		(char *)prog, "--no-huge", "--no-pci", "-m", "512",
		"--no-telemetry", "--no-shconf", "-l", "0",
		"--log-level=lib.eal:error", NULL
	};
	int eal_argc = sizeof(eal_argv) / sizeof(eal_argv[0]) - 1;

	if (rte_eal_init(eal_argc, eal_argv) < 0)
		bench_fatalx("rte_eal_init: %s", rte_strerror(rte_errno));
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
	uint64_t	 bench_npfx;
	uint64_t	 tbl8_entries;	/* stored after tbl24 */
	double		 build_ns;
};

static uint64_t
lpm_cache_key(void)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ RTE_VERSION;
	size_t i;

	for (i = 0; i < bench_npfx; i++) {
		h = (h ^ bench_pfx[i].addr) * 0x100000001b3ULL;
		h = (h ^ bench_pfx[i].len) * 0x100000001b3ULL;
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
	    hdr.key == lpm_cache_key() && hdr.bench_npfx == bench_npfx &&
	    hdr.tbl8_entries <= 65536UL * RTE_LPM_TBL8_GROUP_NUM_ENTRIES &&
	    fread(bench_lpm->tbl24, sizeof(bench_lpm->tbl24[0]), n24, f) == n24 &&
	    fread(bench_lpm->tbl8, sizeof(bench_lpm->tbl8[0]), hdr.tbl8_entries, f) ==
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
		if (bench_lpm->tbl24[i].valid && bench_lpm->tbl24[i].valid_group &&
		    (size_t)bench_lpm->tbl24[i].next_hop + 1 > top)
			top = bench_lpm->tbl24[i].next_hop + 1;
	hdr.key = lpm_cache_key();
	hdr.bench_npfx = bench_npfx;
	hdr.tbl8_entries = top * RTE_LPM_TBL8_GROUP_NUM_ENTRIES;
	hdr.build_ns = build_ns;
	snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid());
	if ((f = fopen(tmp, "wb")) == NULL)
		return;
	ok = fwrite(&hdr, sizeof(hdr), 1, f) == 1 &&
	    fwrite(bench_lpm->tbl24, sizeof(bench_lpm->tbl24[0]), n24, f) == n24 &&
	    fwrite(bench_lpm->tbl8, sizeof(bench_lpm->tbl8[0]), hdr.tbl8_entries, f) ==
	    hdr.tbl8_entries;
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0)
		unlink(tmp);
}

/*
 * Every prefix, next hop = its index in bench_pfx[]; returns the ns the adds
 * took (when restored from @cache, the time recorded there).
 */
double
bench_lpm_load(const char *cache, int *cached)
{
	struct rte_lpm_config cfg = {
		.max_rules = bench_npfx + bench_npfx / 10 + 16,
		.number_tbl8s = 65536,
	};
	double t0;
	size_t i;
	int rc;

	if ((bench_lpm = rte_lpm_create("bench", -1, &cfg)) == NULL)
		bench_fatalx("rte_lpm_create: %s", rte_strerror(rte_errno));
	*cached = 0;
	if (cache != NULL && lpm_cache_read(cache, &t0) == 0) {
		*cached = 1;
		return t0;
	}
	if (cache != NULL) {	/* a partial read may have written some */
		rte_lpm_free(bench_lpm);
		if ((bench_lpm = rte_lpm_create("bench", -1, &cfg)) == NULL)
			bench_fatalx("rte_lpm_create: %s", rte_strerror(rte_errno));
	}
	fprintf(stderr, "# building rte_lpm (slow: its rule table is a "
	    "linear scan per add)\n");
	t0 = bench_now_ns();
	for (i = 0; i < bench_npfx; i++)
		if ((rc = rte_lpm_add(bench_lpm, bench_pfx[i].addr,
		    bench_pfx[i].len, i)) != 0)
			bench_fatalx("rte_lpm_add: %s", strerror(-rc));
	t0 = bench_now_ns() - t0;
	if (cache != NULL)
		lpm_cache_write(cache, t0);
	return t0;
}

/* tbl24 plus the tbl8 groups in use plus the rule table, per prefix. */
double
bench_lpm_bytes(void)
{
	size_t i, groups = 0;

	for (i = 0; i < RTE_LPM_TBL24_NUM_ENTRIES; i++)
		if (bench_lpm->tbl24[i].valid && bench_lpm->tbl24[i].valid_group)
			groups++;
	return ((double)RTE_LPM_TBL24_NUM_ENTRIES * 4 +
	    (double)groups * RTE_LPM_TBL8_GROUP_NUM_ENTRIES * 4 +
	    (double)bench_npfx * 8);
}
#endif /* BENCH_WITH_DPDK */
