/* SPDX-License-Identifier: MIT */
/*
 * tools/gen-routes.c - route tables for tests and benchmarks.
 *
 * This program owns the translation of the real full view
 * (tests/data/fullview-2024.txt.gz, one prefix per line, IPv6 lines
 * skipped) into the route files the tests, benchmarks and integration
 * scripts load, and seeded synthetic stress tables:
 *
 *   real         the IPv4 prefixes of the input, deduplicated
 *   grow         the real table grown to N prefixes (default 1,036,829)
 *                with the real per-length histogram, by splitting prefixes
 *                that already exist, so that new prefixes sit in blocks
 *                that are already allocated (real tables cluster)
 *   adversarial  the real table plus, in many /16s that hold routes, one
 *                prefix of every length /25-/32 at a random place: the
 *                worst case for a per-/16 zone summary
 *
 * Output formats: plain "A.B.C.D/LEN" lines, `ip -batch` lines
 * ("route add P via GW dev DEV [table N]"), or the FIB's compact test
 * route text ("P via GW dev DEV [table N]", see fib_parse_route in
 * tests/support/fib_text.h).
 * Prefixes are spread over the gateways by a seeded hash of the prefix,
 * so a prefix keeps its gateway whatever the order.  Everything random
 * comes from --seed: the same arguments give the same output.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tools/local.mk passes the table's absolute path in the source tree */
#ifndef GEN_ROUTES_FULLVIEW
#define GEN_ROUTES_FULLVIEW	"tests/data/fullview-2024.txt.gz"
#endif

#define GROW_DEFAULT	1036829UL	/* the public IPv4 table, Nov 2025 */
#define MAX_GW		64

enum source { SRC_REAL, SRC_GROW, SRC_ADV };
enum format { FMT_PLAIN, FMT_IP, FMT_FIB };

/* A prefix: address in host order and length, packed for sorting. */
#define PFX(addr, len)	(((uint64_t)(addr) << 8) | (len))
#define PFX_ADDR(p)	((uint32_t)((p) >> 8))
#define PFX_LEN(p)	((unsigned int)((p) & 0xff))

struct pfx_set {
	uint64_t	*slot;		/* open addressing; 0 = empty */
	size_t		 mask;
	size_t		 n;
	uint64_t	*list;		/* insertion order */
	size_t		 cap;
};

static const char *progname = "gen-routes";

static void __attribute__((noreturn, format(printf, 1, 2)))
fatalx(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
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

/* ------------------------------------------------------------- random */

static uint64_t rng_state;

static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rng_below(uint64_t n)
{
	return n ? rng_next() % n : 0;
}

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdULL;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return z ^ (z >> 33);
}

static uint32_t
len_mask(unsigned int len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* ---------------------------------------------------------- prefix set */

static void
set_init(struct pfx_set *s, size_t hint)
{
	size_t sz = 1024;

	while (sz < hint * 2)
		sz <<= 1;
	s->slot = xcalloc(sz, sizeof(*s->slot));
	s->mask = sz - 1;
	s->n = 0;
	s->cap = hint > 16 ? hint : 16;
	s->list = xcalloc(s->cap, sizeof(*s->list));
}

static int set_add(struct pfx_set *s, uint64_t p);

static void
set_grow(struct pfx_set *s)
{
	struct pfx_set t;
	size_t i;

	set_init(&t, s->n * 2);
	for (i = 0; i < s->n; i++)
		set_add(&t, s->list[i]);
	free(s->slot);
	free(s->list);
	*s = t;
}

/* 1 if added, 0 if it was there.  Keys are never 0 (len is >= 1). */
static int
set_add(struct pfx_set *s, uint64_t p)
{
	size_t i;

	if ((s->n + 1) * 2 > s->mask + 1 || s->n == s->cap)
		set_grow(s);
	for (i = mix64(p) & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask)
		if (s->slot[i] == p)
			return 0;
	s->slot[i] = p;
	s->list[s->n++] = p;
	return 1;
}

static int
set_has(const struct pfx_set *s, uint64_t p)
{
	size_t i;

	for (i = mix64(p) & s->mask; s->slot[i] != 0; i = (i + 1) & s->mask)
		if (s->slot[i] == p)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- input */

static FILE *
input_open(const char *path, int *piped)
{
	size_t n = strlen(path);
	char *cmd;
	FILE *f;

	*piped = 0;
	if (strcmp(path, "-") == 0)
		return stdin;
	if (n > 3 && strcmp(path + n - 3, ".gz") == 0) {
		if ((f = fopen(path, "r")) == NULL)
			fatalx("%s: %s", path, strerror(errno));
		fclose(f);
		/* the name goes to the shell in single quotes */
		if (strchr(path, '\'') != NULL)
			fatalx("%s: quote in file name", path);
		cmd = xcalloc(1, n + 32);
		snprintf(cmd, n + 32, "gzip -dc '%s'", path);
		f = popen(cmd, "r");
		free(cmd);
		if (f == NULL)
			fatalx("gzip -dc %s: %s", path, strerror(errno));
		*piped = 1;
		return f;
	}
	if ((f = fopen(path, "r")) == NULL)
		fatalx("%s: %s", path, strerror(errno));
	return f;
}

/* "A.B.C.D/LEN" (or "A.B.C.D", a /32).  0 on success. */
static int
parse_prefix(const char *s, uint32_t *addr, unsigned int *len)
{
	char buf[64], *slash, *end;
	struct in_addr in;
	long l = 32;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		errno = 0;
		l = strtol(slash, &end, 10);
		if (errno != 0 || end == slash || *end != '\0' || l < 0 ||
		    l > 32)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return -1;
	*addr = ntohl(in.s_addr);
	*len = (unsigned int)l;
	return 0;
}

/*
 * Read the IPv4 prefixes of @path into @s.  IPv6 lines, blank lines and
 * '#' comments are skipped; host bits are cleared (and counted).
 */
static void
read_table(const char *path, struct pfx_set *s)
{
	char line[256], *p, *e;
	unsigned long lineno = 0, bad = 0, hostbits = 0, dups = 0, v6 = 0;
	unsigned int len;
	uint32_t addr;
	int piped, rc;
	FILE *f;

	f = input_open(path, &piped);
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		for (p = line; isspace((unsigned char)*p); p++)
			;
		for (e = p + strlen(p); e > p && isspace((unsigned char)e[-1]);)
			*--e = '\0';
		if (*p == '\0' || *p == '#')
			continue;
		if (strchr(p, ':') != NULL) {
			v6++;
			continue;
		}
		if (parse_prefix(p, &addr, &len) != 0 || len == 0) {
			if (bad++ < 5)
				fprintf(stderr, "%s: %s:%lu: bad prefix "
				    "\"%s\"\n", progname, path, lineno, p);
			continue;
		}
		if (addr & ~len_mask(len)) {
			hostbits++;
			addr &= len_mask(len);
		}
		if (!set_add(s, PFX(addr, len)))
			dups++;
	}
	if (ferror(f))
		fatalx("%s: read error", path);
	if (piped) {
		if ((rc = pclose(f)) != 0)
			fatalx("%s: gzip -dc failed (status %d)", path, rc);
	} else if (f != stdin)
		fclose(f);
	if (s->n == 0)
		fatalx("%s: no IPv4 prefixes", path);
	if (bad || hostbits || dups)
		fprintf(stderr, "%s: %s: %lu bad lines skipped, %lu with host "
		    "bits (cleared), %lu duplicates\n", progname, path, bad,
		    hostbits, dups);
	(void)v6;
}

/* ------------------------------------------------------------ synthesis */

static void
histogram(const struct pfx_set *s, unsigned long h[33])
{
	size_t i;

	memset(h, 0, 33 * sizeof(h[0]));
	for (i = 0; i < s->n; i++)
		h[PFX_LEN(s->list[i])]++;
}

/*
 * A new prefix of length @len inside a random existing prefix of
 * @base (the original table) that is shorter and at most 8 bits
 * shorter; for lengths with no such parents, the covering /len of a
 * random longer prefix.  Returns 0 when it found nothing new.
 */
static uint64_t
grow_one(const struct pfx_set *base, const struct pfx_set *s,
    unsigned int len)
{
	unsigned int plen, tries;
	uint64_t p, q;
	uint32_t a;

	for (tries = 0; tries < 64; tries++) {
		p = base->list[rng_below(base->n)];
		plen = PFX_LEN(p);
		if (plen < len && len - plen <= 8) {
			a = PFX_ADDR(p) | ((uint32_t)rng_next() &
			    ~len_mask(plen) & len_mask(len));
			q = PFX(a, len);
		} else if (plen > len && tries >= 32)
			q = PFX(PFX_ADDR(p) & len_mask(len), len);
		else
			continue;
		if (!set_has(s, q))
			return q;
	}
	return 0;
}

/*
 * Scale the real histogram to @n prefixes and grow (or thin) every
 * length to its share.  The rounding remainder goes to /24.
 */
static void
synth_grow(struct pfx_set *s, unsigned long n)
{
	struct pfx_set base = *s, out;
	unsigned long h[33], want[33], sum = 0, fails;
	unsigned int len;
	size_t i;
	uint64_t q;

	histogram(s, h);
	for (len = 0; len <= 32; len++) {
		want[len] = (unsigned long)((double)h[len] * n / s->n + 0.5);
		sum += want[len];
	}
	if (sum > n && want[24] < sum - n)
		fatalx("grow: -n %lu too small", n);
	want[24] = want[24] + n - sum;

	set_init(&out, n);
	/* keep a random want[len] of the originals of each length */
	for (len = 1; len <= 32; len++) {
		unsigned long keep = want[len] < h[len] ? want[len] : h[len];
		unsigned long seen = 0, kept = 0;

		for (i = 0; i < base.n && kept < keep; i++) {
			if (PFX_LEN(base.list[i]) != len)
				continue;
			/* selection sampling: exactly keep of h[len] */
			if (rng_below(h[len] - seen) < keep - kept) {
				set_add(&out, base.list[i]);
				kept++;
			}
			seen++;
		}
	}
	for (len = 1; len <= 32; len++) {
		unsigned long have = want[len] < h[len] ? want[len] : h[len];

		for (fails = 0; have < want[len] && fails < 100000;) {
			if ((q = grow_one(&base, &out, len)) == 0) {
				fails++;
				continue;
			}
			set_add(&out, q);
			have++;
		}
		if (have < want[len])
			fprintf(stderr, "%s: grow: /%u: made %lu of %lu\n",
			    progname, len, have, want[len]);
	}
	free(base.slot);
	free(base.list);
	*s = out;
}

/*
 * Adversarial: in @n16 of the /16s that hold routes (all by default),
 * add @per16 prefixes with lengths cycling /25../32, each at a random
 * place in the /16.
 */
static void
synth_adversarial(struct pfx_set *s, unsigned long n16, unsigned int per16)
{
	unsigned char *used = xcalloc(65536, 1);
	uint32_t *list, t;
	unsigned long nused = 0, i, j;
	unsigned int k, len, tries;
	size_t orig = s->n;
	uint32_t a;

	for (i = 0; i < orig; i++) {
		uint64_t p = s->list[i];

		/* the /16s a prefix covers, up to 256 of them for a /8 */
		for (j = 0; j < (PFX_LEN(p) >= 16 ? 1UL :
		    1UL << (16 - PFX_LEN(p))) && j < 256; j++) {
			a = (PFX_ADDR(p) >> 16) + j;
			if (!used[a]) {
				used[a] = 1;
				nused++;
			}
		}
	}
	list = xcalloc(nused, sizeof(*list));
	for (i = 0, j = 0; i < 65536; i++)
		if (used[i])
			list[j++] = i;
	/* Fisher-Yates, then take the first n16 */
	for (i = nused - 1; i > 0; i--) {
		j = rng_below(i + 1);
		t = list[i];
		list[i] = list[j];
		list[j] = t;
	}
	if (n16 == 0 || n16 > nused)
		n16 = nused;
	for (i = 0; i < n16; i++)
		for (k = 0; k < per16; k++) {
			len = 25 + k % 8;
			for (tries = 0; tries < 16; tries++) {
				a = (list[i] << 16) |
				    ((uint32_t)rng_next() & 0xffff);
				if (set_add(s, PFX(a & len_mask(len), len)))
					break;
			}
		}
	free(list);
	free(used);
}

/* --------------------------------------------------------------- output */

static int
cmp_pfx(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

struct out_cfg {
	enum format	 fmt;
	uint32_t	 table;		/* 0: none given */
	int		 ngw;
	uint32_t	 gw[MAX_GW];
	char		*dev[MAX_GW];	/* dev of gw i */
	uint64_t	 seed;
	int		 preamble;
	int		 veth;		/* ip preamble: veth pairs, not dummy */
};

static const char *
ip4str(uint32_t a, char *buf)
{
	struct in_addr in = { .s_addr = htonl(a) };

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

/* Devices and their addresses, so that every gateway is reachable. */
static void
write_preamble(FILE *out, const struct out_cfg *oc)
{
	char a[INET_ADDRSTRLEN];
	int i, j, idx = 2;

	for (i = 0; i < oc->ngw; i++) {
		uint32_t gw = oc->gw[i], local;

		for (j = 0; j < i; j++)
			if (strcmp(oc->dev[j], oc->dev[i]) == 0)
				break;
		if (j == i) {
			if (oc->fmt == FMT_IP && oc->veth) {
				fprintf(out, "link add %s type veth peer name "
				    "%sp\n", oc->dev[i], oc->dev[i]);
				fprintf(out, "link set %sp up\n", oc->dev[i]);
				fprintf(out, "link set %s up\n", oc->dev[i]);
			} else if (oc->fmt == FMT_IP) {
				fprintf(out, "link add %s type dummy\n",
				    oc->dev[i]);
				fprintf(out, "link set %s up\n", oc->dev[i]);
			} else
				fprintf(out, "link add %s index %d up\n",
				    oc->dev[i], idx++);
		}
		/* the gateway's /24, with .254 (or .253) as our address */
		local = (gw & 0xffffff00U) | 254;
		if (local == gw)
			local--;
		fprintf(out, "addr add %s/24 dev %s\n", ip4str(local, a),
		    oc->dev[i]);
	}
}

static void
write_routes(FILE *out, const struct pfx_set *s, const struct out_cfg *oc)
{
	char a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], tbl[32] = "";
	size_t i;
	int k;

	if (oc->table != 0)
		snprintf(tbl, sizeof(tbl), " table %" PRIu32, oc->table);
	if (oc->preamble && oc->fmt != FMT_PLAIN)
		write_preamble(out, oc);
	for (i = 0; i < s->n; i++) {
		uint64_t p = s->list[i];

		ip4str(PFX_ADDR(p), a);
		if (oc->fmt == FMT_PLAIN) {
			fprintf(out, "%s/%u\n", a, PFX_LEN(p));
			continue;
		}
		k = (int)(mix64(p ^ oc->seed) % (uint64_t)oc->ngw);
		fprintf(out, "%s%s/%u via %s dev %s%s\n",
		    oc->fmt == FMT_IP ? "route add " : "", a, PFX_LEN(p),
		    ip4str(oc->gw[k], g), oc->dev[k], tbl);
	}
	if (fflush(out) != 0 || ferror(out))
		fatalx("write error: %s", strerror(errno));
}

/* ----------------------------------------------------------------- main */

static void
usage(FILE *f, int code)
{
	fprintf(f,
"usage: gen-routes [options]\n"
"Turn the real full view into route files, or make a synthetic table.\n"
"\n"
"  -i, --input FILE    prefixes, one per line; .gz is read via gzip -dc;\n"
"                      - is stdin (default %s)\n"
"  -S, --source SRC    real (default), grow or adversarial\n"
"  -n, --count N       grow: prefixes wanted (default %lu)\n"
"      --per16 N       adversarial: prefixes per /16, lengths /25../32\n"
"                      in turn (default 8)\n"
"      --n16 N         adversarial: number of /16s (default: every /16\n"
"                      that holds a route)\n"
"  -f, --format FMT    plain (A.B.C.D/LEN), ip (ip -batch: route add P\n"
"                      via GW dev DEV [table N]) or fib (the FIB test\n"
"                      route text: P via GW dev DEV [table N])\n"
"  -g, --gw LIST       gateways, comma separated (default\n"
"                      198.18.0.1,198.18.1.1,198.18.2.1,198.18.3.1)\n"
"  -d, --dev LIST      devices, comma separated; gateway i uses device\n"
"                      i mod count (default eth0,eth1)\n"
"  -t, --table N       add \"table N\" to every route\n"
"  -p, --preamble      ip/fib: first create the devices and give each a\n"
"                      /24 address in its gateway's subnet\n"
"      --link-type T   ip preamble: dummy (default) or veth (a pair\n"
"                      NAME/NAMEp, for kernels without the dummy module)\n"
"  -s, --seed N        seed for everything random (default 1)\n"
"      --shuffle       random order (default: sorted by address)\n"
"  -o, --output FILE   write there instead of stdout\n"
"  -h, --help          this text\n"
"\n"
"Gateways are chosen by a seeded hash of the prefix.  Statistics (count\n"
"per length) go to stderr with -v.\n",
	    GEN_ROUTES_FULLVIEW, GROW_DEFAULT);
	exit(code);
}

static unsigned long
parse_ulong(const char *s, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *s == '-')
		fatalx("bad %s \"%s\"", what, s);
	return v;
}

static int
split_list(char *s, char **v, int max)
{
	int n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok != NULL; tok = strtok(NULL, ",")) {
		if (n == max)
			fatalx("more than %d list items", max);
		v[n++] = tok;
	}
	return n;
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "input",	required_argument, NULL, 'i' },
		{ "source",	required_argument, NULL, 'S' },
		{ "count",	required_argument, NULL, 'n' },
		{ "per16",	required_argument, NULL, 1 },
		{ "n16",	required_argument, NULL, 2 },
		{ "shuffle",	no_argument,	   NULL, 3 },
		{ "link-type",	required_argument, NULL, 4 },
		{ "format",	required_argument, NULL, 'f' },
		{ "gw",		required_argument, NULL, 'g' },
		{ "dev",	required_argument, NULL, 'd' },
		{ "table",	required_argument, NULL, 't' },
		{ "preamble",	no_argument,	   NULL, 'p' },
		{ "seed",	required_argument, NULL, 's' },
		{ "output",	required_argument, NULL, 'o' },
		{ "verbose",	no_argument,	   NULL, 'v' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char gwdef[] = "198.18.0.1,198.18.1.1,198.18.2.1,198.18.3.1";
	char devdef[] = "eth0,eth1";
	char *gwlist = gwdef, *devlist = devdef, *gws[MAX_GW], *devs[MAX_GW];
	const char *input = GEN_ROUTES_FULLVIEW, *output = NULL;
	enum source src = SRC_REAL;
	unsigned long count = GROW_DEFAULT, n16 = 0, h[33];
	unsigned int per16 = 8, len;
	struct out_cfg oc = { .fmt = FMT_PLAIN, .seed = 1 };
	struct pfx_set set;
	int c, i, ndev, shuffle = 0, verbose = 0;
	unsigned int dummy;
	FILE *out = stdout;

	while ((c = getopt_long(argc, argv, "i:S:n:f:g:d:t:ps:o:vh", lopts,
	    NULL)) != -1) {
		switch (c) {
		case 'i':
			input = optarg;
			break;
		case 'S':
			if (strcmp(optarg, "real") == 0)
				src = SRC_REAL;
			else if (strcmp(optarg, "grow") == 0)
				src = SRC_GROW;
			else if (strcmp(optarg, "adversarial") == 0)
				src = SRC_ADV;
			else
				fatalx("unknown source \"%s\"", optarg);
			break;
		case 'n':
			count = parse_ulong(optarg, "count");
			break;
		case 1:
			per16 = parse_ulong(optarg, "--per16");
			break;
		case 2:
			n16 = parse_ulong(optarg, "--n16");
			break;
		case 3:
			shuffle = 1;
			break;
		case 4:
			if (strcmp(optarg, "veth") == 0)
				oc.veth = 1;
			else if (strcmp(optarg, "dummy") != 0)
				fatalx("unknown link type \"%s\"", optarg);
			break;
		case 'f':
			if (strcmp(optarg, "plain") == 0)
				oc.fmt = FMT_PLAIN;
			else if (strcmp(optarg, "ip") == 0)
				oc.fmt = FMT_IP;
			else if (strcmp(optarg, "fib") == 0)
				oc.fmt = FMT_FIB;
			else
				fatalx("unknown format \"%s\"", optarg);
			break;
		case 'g':
			gwlist = optarg;
			break;
		case 'd':
			devlist = optarg;
			break;
		case 't':
			oc.table = parse_ulong(optarg, "table");
			break;
		case 'p':
			oc.preamble = 1;
			break;
		case 's':
			oc.seed = parse_ulong(optarg, "seed");
			break;
		case 'o':
			output = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'h':
			usage(stdout, 0);
			break;
		default:
			usage(stderr, 2);
		}
	}
	if (optind != argc)
		usage(stderr, 2);
	if (count == 0)
		fatalx("count must be positive");

	oc.ngw = split_list(gwlist, gws, MAX_GW);
	ndev = split_list(devlist, devs, MAX_GW);
	if (oc.ngw == 0 || ndev == 0)
		fatalx("need at least one gateway and one device");
	for (i = 0; i < oc.ngw; i++) {
		if (parse_prefix(gws[i], &oc.gw[i], &dummy) != 0 ||
		    dummy != 32)
			fatalx("bad gateway \"%s\"", gws[i]);
		oc.dev[i] = devs[i % ndev];
		if (strlen(oc.dev[i]) >= 15)	/* room for the veth 'p' */
			fatalx("device name too long: %s", oc.dev[i]);
	}
	rng_state = mix64(oc.seed ^ 0x6a09e667f3bcc908ULL);

	set_init(&set, 1 << 20);
	read_table(input, &set);
	if (src == SRC_GROW)
		synth_grow(&set, count);
	else if (src == SRC_ADV)
		synth_adversarial(&set, n16, per16);

	qsort(set.list, set.n, sizeof(*set.list), cmp_pfx);
	if (shuffle) {
		size_t k, j;
		uint64_t t;

		for (k = set.n - 1; k > 0; k--) {
			j = rng_below(k + 1);
			t = set.list[k];
			set.list[k] = set.list[j];
			set.list[j] = t;
		}
	}
	if (verbose) {
		histogram(&set, h);
		fprintf(stderr, "%s: %zu prefixes\n", progname, set.n);
		for (len = 1; len <= 32; len++)
			if (h[len])
				fprintf(stderr, "  /%-2u %8lu\n", len, h[len]);
	}
	if (output != NULL && (out = fopen(output, "w")) == NULL)
		fatalx("%s: %s", output, strerror(errno));
	write_routes(out, &set, &oc);
	if (out != stdout && fclose(out) != 0)
		fatalx("%s: %s", output, strerror(errno));
	/* freed so that an ASan build's leak check passes (fault tests) */
	free(set.slot);
	free(set.list);
	return 0;
}
