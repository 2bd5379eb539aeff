/* SPDX-License-Identifier: MIT */
/*
 * diffgen - the random state and query generator of the differential
 * tester (tests/diff/difftest.sh).  From one seed it writes a plan into
 * a directory: `build`, the shell commands (ip, sysctl; run inside a
 * fresh network namespace) that make a random IPv4 routing state of
 * veth links up and down, primary and secondary addresses, routes of
 * every type in several tables, nexthop objects and groups, policy
 * rules with every selector and action, and devconf sysctls; then for
 * each round r = 1..R the file `m<r>`, changes to make while rtcached
 * runs; and for r = 0..R the file `q<r>`, `route get` arguments to ask
 * both `ip` and `rtcache` after the changes of round r.  Each part has
 * its own generator stream (seed, round, kind), so the number of
 * queries never changes the state.  `-x FEATURE` leaves a feature out
 * (`diffgen -l` lists them); the driver's short mode uses it.
 *
 *   diffgen [-x FEATURE]... [-r ROUNDS] [-q QUERIES] -o DIR SEED
 *   diffgen -l
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- features (what -x can leave out) ---- */

static const char *const feature_names[] = {
	"lo-down",	/* lo left down */
	"link-down",	/* veth ends down (and peers without carrier) */
	"link-mtu",	/* device MTUs */
	"link-group",	/* device groups (and suppress_ifgroup) */
	"link-del",	/* a veth pair deleted while running */
	"addr-secondary", /* secondary addresses */
	"addr-shared-subnet", /* one subnet (or address) on two links */
	"addr-peer",	/* point-to-point addresses (peer) */
	"addr-scope",	/* addresses of scope link/host */
	"addr-noprefix", /* noprefixroute addresses */
	"addr-metric",	/* addresses with a prefix route metric */
	"addr-brd",	/* brd + */
	"addr-31",	/* /31 and /32 addresses */
	"rt-local", "rt-broadcast", "rt-multicast", "rt-anycast",
	"rt-blackhole", "rt-unreachable", "rt-prohibit", "rt-throw",
	"rt-gateway",	/* unicast via a gateway */
	"rt-onlink",
	"rt-multipath",	/* nexthop ... nexthop ... (weights) */
	"rt-metrics",	/* mtu, advmss, ... */
	"rt-metrics-nh", /* metrics on routes with nexthop objects */
	"rt-src",
	"rt-src-error",	/* src on blackhole, unreachable, ... routes */
	"rt-scope",
	"rt-tos",
	"rt-tos-error",	/* tos on blackhole, unreachable, ... routes */
	"rt-metric",	/* route priorities */
	"rt-realm",
	"rt-table-local", /* routes added to table local */
	"rt-flush",	/* ip route flush table T while running */
	"nh",		/* nexthop objects (nhid) */
	"nh-group",	/* nexthop groups */
	"nh-resilient",	/* resilient groups */
	"rule",		/* any rule beyond the default three */
	"rule-not",
	"rule-from", "rule-to", "rule-iif", "rule-oif", "rule-fwmark",
	"rule-tos", "rule-ipproto", "rule-sport", "rule-dport",
	"rule-uidrange",
	"rule-uidrange-0", /* uid ranges with uid 0 */
	"rule-goto", "rule-nop", "rule-blackhole", "rule-unreachable",
	"rule-prohibit", "rule-suppress-plen", "rule-suppress-ifgroup",
	"rule-nopref",	/* rules without a pref */
	"rule-default-edit", /* default rules deleted or moved */
	"sys-rp_filter", "sys-forwarding", "sys-route_localnet",
	"sys-accept_local", "sys-src_valid_mark",
	"sys-ignore_linkdown", "sys-send_redirects", "sys-shared_media",
	"sys-bc_forwarding", "sys-promote_secondaries",
	"sys-live",	/* sysctls changed while running */
	"q-input",	/* input path (iif) queries */
	"q-oif", "q-from", "q-tos", "q-mark", "q-uid", "q-ipproto",
	"q-uid-input",	/* uid on input path queries */
	"q-ports", "q-special", /* special destinations/sources */
	"q-format",	/* to X/32, dsfield */
	"q-src-bcast",	/* input sources that are a subnet's broadcast */
	"mcast",	/* 224.0.0.0/4 in prefixes and queries */
	"loopback",	/* 127.0.0.0/8 in prefixes and queries */
	NULL
};
#define NFEAT (sizeof(feature_names) / sizeof(feature_names[0]) - 1)
static bool excluded[NFEAT];

static bool
on(const char *name)
{
	for (size_t i = 0; i < NFEAT; i++)
		if (strcmp(feature_names[i], name) == 0)
			return !excluded[i];
	fprintf(stderr, "diffgen: internal: unknown feature %s\n", name);
	abort();
}

/* ---- random numbers: splitmix64, one stream per (seed, round, kind) ---- */

static uint64_t rs;

static uint64_t
rnext(void)
{
	uint64_t z = (rs += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rseed(uint64_t seed, unsigned round, unsigned kind)
{
	rs = seed * 0x2545f4914f6cdd1dULL + round * 1000003ULL + kind;
	(void)rnext();
}

static unsigned
rn(unsigned n)
{
	return n ? (unsigned)(rnext() % n) : 0;
}

/* true with probability pct % */
static bool
rp(unsigned pct)
{
	return rn(100) < pct;
}

static int
rpick(const int *v, unsigned n)
{
	return v[rn(n)];
}

/* ---- output ---- */

static FILE *out;

static void
emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static const char *
ipstr(uint32_t a)
{
	static char buf[8][16];
	static unsigned k;
	char *b = buf[k++ % 8];

	snprintf(b, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	    (a >> 8) & 255, a & 255);
	return b;
}

static uint32_t
ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | b << 16 | c << 8 | d;
}

static uint32_t
mask(int plen)
{
	return plen == 0 ? 0 : 0xffffffffU << (32 - plen);
}

/* ---- the model ---- */

#define MAXLINK 6
#define MAXADDR 48
#define MAXROUTE 128
#define MAXRULE 48
#define MAXNH 24

struct link {
	char name[16];
	bool exists, up;
};

struct addr {
	uint32_t a, peer;
	int plen, link;
	bool present;
};

struct route {
	char key[128];		/* what `ip route del` needs */
	uint32_t prefix;
	int plen;
	bool present;
};

struct rule {
	char spec[200];
	int pref;
	bool present;
};

struct nh {
	int id;
	bool group, present;
};

static struct link links[MAXLINK];
static int nlinks;
static struct addr addrs[MAXADDR];
static int naddrs;
static struct route routes[MAXROUTE];
static int nroutes;
static struct rule rules[MAXRULE];
static int nrules;
static struct nh nhs[MAXNH];
static int nnhs;
static int next_nhid = 1;

static const char *
tname(void)
{
	static const char *const t[] = { "main", "main", "main", "100",
	    "100", "101", "200", "70000", "default", "local" };
	unsigned i = rn(10);

	if (i == 9 && !on("rt-table-local"))
		i = 0;
	return t[i];
}

static const char *
rule_tname(void)
{
	static const char *const t[] = { "main", "100", "100", "101", "200",
	    "70000", "default", "local", "300" };

	return t[rn(9)];
}

static int
rlink(void)
{
	return (int)rn((unsigned)nlinks);
}

/* a device name for selectors and queries: mostly ours, sometimes lo */
static const char *
rdev(void)
{
	if (rp(10))
		return "lo";
	return links[rlink()].name;
}

/* the subnet 10.0.S.0 a link's addresses come from */
static uint32_t
subnet_host(unsigned s)
{
	return ip4(10, 0, s, 1 + rn(254));
}

/* a gateway: a neighbour on one of the link's subnets, or anywhere near */
static uint32_t
gateway_for(int link)
{
	int cand[MAXADDR], n = 0;

	for (int i = 0; i < naddrs; i++)
		if (addrs[i].link == link && addrs[i].plen < 31)
			cand[n++] = i;
	if (n > 0 && rp(85)) {
		const struct addr *a = &addrs[cand[rn((unsigned)n)]];
		uint32_t m = mask(a->plen);
		uint32_t g = (a->a & m) | (rnext() & ~m);

		if (g == a->a || (g & ~m) == 0 || (g & ~m) == ~m)
			g = (a->a & m) | 2;
		return g;
	}
	return subnet_host(rn(8));
}

/* an address the excluded features allow */
static bool
addr_allowed(uint32_t a)
{
	if (!on("mcast") && (a >> 28) == 0xe)
		return false;
	if (!on("loopback") && (a >> 24) == 127)
		return false;
	return true;
}

/* a prefix around the places everything else uses */
static uint32_t
rprefix1(int *plen)
{
	uint32_t a;
	int lo, hi;

	switch (rn(12)) {
	case 0: case 1: case 2:
		a = subnet_host(rn(8)); lo = 16; hi = 32; break;
	case 3:
		a = ip4(10, rn(4), rn(256), rn(256)); lo = 8; hi = 20; break;
	case 4: case 5:
		a = ip4(172, 16 + rn(4), rn(256), rn(256)); lo = 12; hi = 32;
		break;
	case 6:
		a = ip4(198, 18 + rn(2), rn(4), rn(256)); lo = 15; hi = 32;
		break;
	case 7:
		a = 0; lo = 0; hi = rp(80) ? 0 : 2; break;
	case 8:
		a = ip4(192, 0, 2, rn(256)); lo = 24; hi = 32; break;
	case 9:
		if (rp(50)) {
			a = ip4(224, rn(2), rn(2), rn(256)); lo = 4; hi = 32;
		} else {
			a = ip4(127, rn(2), rn(256), rn(256)); lo = 8; hi = 32;
		}
		break;
	case 10:
		a = ip4(100, 64 + rn(4), rn(256), rn(256)); lo = 10; hi = 24;
		break;
	default:
		a = (uint32_t)rnext(); lo = 1; hi = 32; break;
	}
	*plen = lo + (int)rn((unsigned)(hi - lo + 1));
	/* favour /24 and /32 */
	if (hi >= 24 && lo <= 24 && rp(25))
		*plen = 24;
	return a & mask(*plen);
}

static uint32_t
rprefix(int *plen)
{
	uint32_t a;

	for (int i = 0; i < 50; i++)
		if (addr_allowed(a = rprefix1(plen)) || *plen < 4)
			break;
	return a;
}

/* a local address of the model (present or not), or 0 */
static uint32_t
raddr_local(void)
{
	if (naddrs == 0)
		return 0;
	return addrs[rn((unsigned)naddrs)].a;
}

/* ---- links ---- */

static void
gen_links(void)
{
	int pairs = 2 + (int)rn(2);

	if (!on("lo-down") || rp(95))
		emit("ip link set lo up");
	for (int p = 0; p < pairs; p++) {
		struct link *a = &links[nlinks], *b = &links[nlinks + 1];

		snprintf(a->name, sizeof(a->name), "v%d", nlinks);
		snprintf(b->name, sizeof(b->name), "v%d", nlinks + 1);
		emit("ip link add %s type veth peer name %s", a->name, b->name);
		a->exists = b->exists = true;
		nlinks += 2;
	}
	for (int i = 0; i < nlinks; i++) {
		if (on("link-mtu") && rp(15))
			emit("ip link set %s mtu %d", links[i].name,
			    rpick((const int[]){ 1280, 1400, 1500, 9000 }, 4));
		if (on("link-group") && rp(20))
			emit("ip link set %s group %d", links[i].name,
			    1 + (int)rn(2));
		links[i].up = !on("link-down") || rp(85);
		if (links[i].up)
			emit("ip link set %s up", links[i].name);
	}
}

/* ---- addresses ---- */

/* does link l (any link: -1) have an address in host/plen? (on the
 * same link, a second one would be a secondary) */
static bool
same_subnet(int l, uint32_t host, int plen)
{
	for (int i = 0; i < naddrs; i++) {
		const struct addr *a = &addrs[i];
		uint32_t m = mask(a->plen), n = mask(plen);

		if (!a->present || (l >= 0 && a->link != l))
			continue;
		if (a->plen == plen && ((a->a ^ host) & n) == 0)
			return true;
		/* the same address, or one's address the other's
		 * broadcast or network */
		if (l >= 0)
			continue;
		if (a->a == host)
			return true;
		if (a->plen < 31 && (host == (a->a | ~m) || host == (a->a & m)))
			return true;
		if (plen < 31 && (a->a == (host | ~n) || a->a == (host & n)))
			return true;
	}
	return false;
}

static void
gen_addr_on(int l)
{
	struct addr *a;
	char opts[96] = "";
	int plen;
	uint32_t host;

	if (naddrs >= MAXADDR)
		return;
	/* a secondary: the same subnet as one of the link's addresses */
	host = 0;
	plen = 24;
	if (on("addr-secondary") && rp(30)) {
		for (int i = 0; i < naddrs; i++)
			if (addrs[i].link == l && addrs[i].plen < 30) {
				uint32_t m = mask(addrs[i].plen);

				plen = addrs[i].plen;
				host = (addrs[i].a & m) | (rnext() & ~m);
				if ((host & ~m) == 0 || (host & ~m) == ~m)
					host = (addrs[i].a & m) | 3;
				break;
			}
	}
	if (host == 0) {
		static const int pl[] = { 24, 24, 24, 24, 25, 28, 30, 16, 8 };

		plen = pl[rn(9)];
		if (on("addr-31") && rp(10))
			plen = rp(50) ? 31 : 32;
		for (int t = 0;; t++) {
			host = subnet_host(rn(8));
			/* without secondaries: no second address of a
			 * subnet on one link; without shared subnets, on
			 * any link */
			if ((on("addr-secondary") ||
			    !same_subnet(l, host, plen)) &&
			    (on("addr-shared-subnet") ||
			    !same_subnet(-1, host, plen)))
				break;
			if (t == 50)
				return;
		}
	}
	a = &addrs[naddrs++];
	a->a = host;
	a->plen = plen;
	a->link = l;
	a->peer = 0;
	a->present = true;
	if (on("addr-peer") && rp(6)) {
		a->peer = subnet_host(rn(8));
		a->plen = rp(50) ? 32 : 24;	/* the peer's prefix */
		snprintf(opts, sizeof(opts), " peer %s/%d", ipstr(a->peer),
		    a->plen);
	}
	if (on("addr-brd") && rp(40))
		strcat(opts, " brd +");
	if (on("addr-scope") && rp(6))
		strcat(opts, rp(50) ? " scope link" : " scope host");
	if (on("addr-noprefix") && rp(6))
		strcat(opts, " noprefixroute");
	if (on("addr-metric") && rp(6))
		strcat(opts, rp(50) ? " metric 50" : " metric 5");
	if (a->peer)
		emit("ip addr add %s%s dev %s", ipstr(a->a), opts,
		    links[l].name);
	else
		emit("ip addr add %s/%d%s dev %s", ipstr(a->a), plen, opts,
		    links[l].name);
}

static void
gen_addr(void)
{
	gen_addr_on(rlink());
}

static void
del_addr(void)
{
	int cand[MAXADDR], n = 0;

	for (int i = 0; i < naddrs; i++)
		if (addrs[i].present)
			cand[n++] = i;
	if (n == 0)
		return;
	struct addr *a = &addrs[cand[rn((unsigned)n)]];

	a->present = false;
	if (a->peer)
		emit("ip addr del %s peer %s dev %s", ipstr(a->a),
		    ipstr(a->peer), links[a->link].name);
	else
		emit("ip addr del %s/%d dev %s", ipstr(a->a), a->plen,
		    links[a->link].name);
}

/* ---- nexthop objects ---- */

static int
nh_pick(bool group_ok)
{
	int cand[MAXNH], n = 0;

	for (int i = 0; i < nnhs; i++)
		if (group_ok || !nhs[i].group)
			cand[n++] = i;
	return n ? cand[rn((unsigned)n)] : -1;
}

static void
gen_nh(void)
{
	struct nh *h;
	int id, l;

	if (nnhs >= MAXNH)
		return;
	id = next_nhid++;
	if (on("nh-group") && nnhs >= 2 && rp(35)) {
		char g[96] = "";
		int k = 2 + (int)rn(2), used[4], nused = 0;

		for (int i = 0; i < k * 3 && nused < k; i++) {
			int j = nh_pick(false), dup = 0;
			char part[24];

			if (j < 0)
				break;
			for (int u = 0; u < nused; u++)
				dup |= used[u] == nhs[j].id;
			if (dup)
				continue;
			snprintf(part, sizeof(part), "%s%d", nused ? "/" : "",
			    nhs[j].id);
			used[nused++] = nhs[j].id;
			strcat(g, part);
			if (rp(40)) {
				snprintf(part, sizeof(part), ",%d",
				    1 + (int)rn(5));
				strcat(g, part);
			}
		}
		if (on("nh-resilient") && rp(25))
			emit("ip nexthop add id %d group %s type resilient "
			    "buckets %d", id, g, 8 << rn(3));
		else
			emit("ip nexthop add id %d group %s", id, g);
		h = &nhs[nnhs++];
		h->id = id;
		h->group = true;
		h->present = true;
		return;
	}
	l = rlink();
	switch (rn(6)) {
	case 0:
		emit("ip nexthop add id %d dev %s", id, links[l].name);
		break;
	case 1:
		emit("ip nexthop add id %d blackhole", id);
		break;
	case 2:
		if (on("rt-onlink")) {
			emit("ip nexthop add id %d via %s dev %s onlink", id,
			    ipstr(subnet_host(rn(8))), links[l].name);
			break;
		}
		/* fall through */
	default:
		emit("ip nexthop add id %d via %s dev %s", id,
		    ipstr(gateway_for(l)), links[l].name);
		break;
	}
	h = &nhs[nnhs++];
	h->id = id;
	h->group = false;
	h->present = true;
}

/* ---- routes ---- */

static void
metrics(char *o, size_t n)
{
	size_t k = strlen(o);

	switch (rn(7)) {
	case 0: case 1:
		snprintf(o + k, n - k, " mtu %s%d", rp(20) ? "lock " : "",
		    rpick((const int[]){ 576, 1280, 1400, 1460, 9000 }, 5));
		break;
	case 2:
		snprintf(o + k, n - k, " advmss %d", 500 + (int)rn(1000));
		break;
	case 3:
		snprintf(o + k, n - k, " hoplimit %d", 1 + (int)rn(255));
		break;
	case 4:
		snprintf(o + k, n - k, " initcwnd %d", 1 + (int)rn(20));
		break;
	case 5:
		snprintf(o + k, n - k, " window %d", 1000 + (int)rn(60000));
		break;
	default:
		snprintf(o + k, n - k, " mtu %d rtt %dms quickack 1",
		    1300 + (int)rn(200), 1 + (int)rn(300));
		break;
	}
}

static const char *
rtos(void)
{
	static const char *const t[] = { "0x10", "0x08", "0x04", "0x18",
	    "0x1c", "0xb8", "0x0c", "0x14" };

	return t[rn(8)];
}

/* The nexthop part of a unicast route; used_nhid says it is "nhid N". */
static bool used_nhid;

static void
unicast_nh(char *o, size_t n)
{
	int l = rlink(), j;
	size_t k = strlen(o);

	switch (rn(20)) {
	case 0: case 1: case 2: case 3: case 4:
		snprintf(o + k, n - k, " dev %s", links[l].name);
		return;
	case 5: case 6: case 7:
		if (on("rt-gateway")) {
			snprintf(o + k, n - k, " via %s",
			    ipstr(gateway_for(l)));
			return;
		}
		break;
	case 8:
		if (on("rt-onlink")) {
			snprintf(o + k, n - k, " via %s dev %s onlink",
			    ipstr(subnet_host(rn(8))), links[l].name);
			return;
		}
		break;
	case 9: case 10:
		if (on("rt-multipath")) {
			int legs = 2 + (int)rn(2);

			for (int i = 0; i < legs; i++) {
				k = strlen(o);
				l = rlink();
				if (rp(20) || !on("rt-gateway"))
					snprintf(o + k, n - k,
					    " nexthop dev %s", links[l].name);
				else
					snprintf(o + k, n - k,
					    " nexthop via %s dev %s",
					    ipstr(gateway_for(l)),
					    links[l].name);
				if (rp(50)) {
					k = strlen(o);
					snprintf(o + k, n - k, " weight %d",
					    1 + (int)rn(8));
				}
			}
			return;
		}
		break;
	case 11: case 12:
		if (on("nh") && (j = nh_pick(on("nh-group"))) >= 0) {
			snprintf(o + k, n - k, " nhid %d", nhs[j].id);
			used_nhid = true;
			return;
		}
		break;
	default:
		break;
	}
	if (on("rt-gateway"))
		snprintf(o + k, n - k, " via %s dev %s", ipstr(gateway_for(l)),
		    links[l].name);
	else
		snprintf(o + k, n - k, " dev %s", links[l].name);
}

/* a route type without nexthops (the kernel's fib_props error types) */
static bool
error_type(const char *type)
{
	return strcmp(type, "blackhole") == 0 ||
	    strcmp(type, "unreachable") == 0 ||
	    strcmp(type, "prohibit") == 0 || strcmp(type, "throw") == 0;
}

static void
gen_route(const char *verb)
{
	static const struct { const char *type, *feat; int w; } types[] = {
		{ "unicast", NULL, 50 }, { "local", "rt-local", 6 },
		{ "broadcast", "rt-broadcast", 4 },
		{ "multicast", "rt-multicast", 4 },
		{ "anycast", "rt-anycast", 2 },
		{ "blackhole", "rt-blackhole", 8 },
		{ "unreachable", "rt-unreachable", 8 },
		{ "prohibit", "rt-prohibit", 6 },
		{ "throw", "rt-throw", 8 },
	};
	char spec[320], key[128], tail[32] = "";
	const char *type = "unicast", *table;
	uint32_t prefix;
	int plen, w, sum = 0;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].feat == NULL || on(types[i].feat))
			sum += types[i].w;
	w = (int)rn((unsigned)sum);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].feat != NULL && !on(types[i].feat))
			continue;
		if (w < types[i].w) {
			type = types[i].type;
			break;
		}
		w -= types[i].w;
	}
	prefix = rprefix(&plen);
	table = tname();
	if (strcmp(type, "local") == 0 || strcmp(type, "broadcast") == 0) {
		if (rp(60)) {
			plen = 32;
			prefix = rp(50) ? subnet_host(rn(8)) : prefix;
		}
		if (rp(50))
			table = "local";
	}
	/* the key: type prefix [tos] table [metric] */
	if (on("rt-tos") && rp(8) && (on("rt-tos-error") || !error_type(type)))
		snprintf(tail, sizeof(tail), " tos %s", rtos());
	snprintf(key, sizeof(key), "%s %s/%d%s table %s", type, ipstr(prefix),
	    plen, tail, table);
	if (on("rt-metric") && rp(30)) {
		size_t k = strlen(key);

		snprintf(key + k, sizeof(key) - k, " metric %d",
		    rpick((const int[]){ 0, 1, 5, 10, 100, 1024 }, 6));
	}
	snprintf(spec, sizeof(spec), "%s", key);
	used_nhid = false;
	if (strcmp(type, "unicast") == 0)
		unicast_nh(spec, sizeof(spec));
	else if (strcmp(type, "local") == 0 || strcmp(type, "broadcast") == 0 ||
	    strcmp(type, "multicast") == 0 || strcmp(type, "anycast") == 0) {
		size_t k = strlen(spec);

		snprintf(spec + k, sizeof(spec) - k, " dev %s",
		    rp(10) ? "lo" : links[rlink()].name);
	}
	if (on("rt-src") && rp(15) && naddrs > 0 &&
	    (on("rt-src-error") || !error_type(type))) {
		size_t k = strlen(spec);

		snprintf(spec + k, sizeof(spec) - k, " src %s",
		    rp(85) ? ipstr(raddr_local()) :
		    ipstr(subnet_host(rn(8))));
	}
	if (on("rt-scope") && rp(10)) {
		size_t k = strlen(spec);

		snprintf(spec + k, sizeof(spec) - k, " scope %s",
		    rp(50) ? "link" : rp(50) ? "host" : "global");
	}
	if (on("rt-metrics") && rp(15) && (!used_nhid || on("rt-metrics-nh")))
		metrics(spec, sizeof(spec));
	if (on("rt-realm") && rp(4)) {
		size_t k = strlen(spec);

		snprintf(spec + k, sizeof(spec) - k, " realm %d",
		    1 + (int)rn(10));
	}
	if (rp(5)) {
		size_t k = strlen(spec);

		snprintf(spec + k, sizeof(spec) - k, " proto %s",
		    rp(50) ? "static" : "99");
	}
	emit("ip route %s %s", verb, spec);
	if (nroutes < MAXROUTE) {
		struct route *r = &routes[nroutes++];

		snprintf(r->key, sizeof(r->key), "%s", key);
		r->prefix = prefix;
		r->plen = plen;
		r->present = true;
	}
}

static void
del_route(void)
{
	int cand[MAXROUTE], n = 0;

	for (int i = 0; i < nroutes; i++)
		if (routes[i].present)
			cand[n++] = i;
	if (n == 0)
		return;
	struct route *r = &routes[cand[rn((unsigned)n)]];

	r->present = false;
	emit("ip route del %s", r->key);
}

/* ---- rules ---- */

static void
selector_prefix(char *o, size_t n, const char *kw)
{
	size_t k = strlen(o);
	uint32_t a;
	int plen;

	if (rp(40) && naddrs > 0) {
		a = raddr_local();
		plen = rp(50) ? 32 : 24;
		a &= mask(plen);
	} else
		a = rprefix(&plen);
	if (plen == 0)
		plen = 1;
	snprintf(o + k, n - k, " %s %s/%d", kw, ipstr(a), plen);
}

static int
rule_pref(void)
{
	return rpick((const int[]){ 5, 10, 100, 200, 300, 1000, 5000, 10000,
	    20000, 32000, 32765 }, 11) + (rp(30) ? (int)rn(5) : 0);
}

static void
gen_rule(void)
{
	char o[200] = "";
	size_t k;
	int pref, a;

	if (nrules >= MAXRULE)
		return;
	pref = rule_pref();
	if (on("rule-not") && rp(8))
		strcat(o, " not");
	if (on("rule-from") && rp(35))
		selector_prefix(o, sizeof(o), "from");
	if (on("rule-to") && rp(25))
		selector_prefix(o, sizeof(o), "to");
	k = strlen(o);
	if (on("rule-iif") && rp(15))
		snprintf(o + k, sizeof(o) - k, " iif %s", rdev());
	k = strlen(o);
	if (on("rule-oif") && rp(12))
		snprintf(o + k, sizeof(o) - k, " oif %s", rdev());
	k = strlen(o);
	if (on("rule-fwmark") && rp(22)) {
		if (rp(40))
			snprintf(o + k, sizeof(o) - k, " fwmark 0x%x/0x%x",
			    rpick((const int[]){ 1, 2, 0x10, 0x11, 0x100 }, 5),
			    rpick((const int[]){ 0xf, 0xff, 0x10, 0x1, 0xffff },
			    5));
		else
			snprintf(o + k, sizeof(o) - k, " fwmark %d",
			    rpick((const int[]){ 1, 2, 3, 16, 17, 255 }, 6));
	}
	k = strlen(o);
	if (on("rule-tos") && rp(10))
		snprintf(o + k, sizeof(o) - k, " tos %s", rtos());
	k = strlen(o);
	if (on("rule-ipproto") && rp(10))
		snprintf(o + k, sizeof(o) - k, " ipproto %s",
		    rp(40) ? "tcp" : rp(50) ? "udp" : "icmp");
	k = strlen(o);
	if (on("rule-sport") && rp(8)) {
		if (rp(50))
			snprintf(o + k, sizeof(o) - k, " sport %d",
			    rpick((const int[]){ 22, 53, 80, 1000 }, 4));
		else
			snprintf(o + k, sizeof(o) - k, " sport 1000-2000");
	}
	k = strlen(o);
	if (on("rule-dport") && rp(8)) {
		if (rp(50))
			snprintf(o + k, sizeof(o) - k, " dport %d",
			    rpick((const int[]){ 22, 53, 80, 443 }, 4));
		else
			snprintf(o + k, sizeof(o) - k, " dport 50-100");
	}
	k = strlen(o);
	if (on("rule-uidrange") && rp(10))
		snprintf(o + k, sizeof(o) - k, " uidrange %s",
		    rp(50) ? "1000-1999" : rp(50) && on("rule-uidrange-0") ?
		    "0-0" : "5-65534");
	k = strlen(o);
	if (!on("rule-nopref") || rp(92))
		snprintf(o + k, sizeof(o) - k, " pref %d", pref);
	else
		pref = -1;
	k = strlen(o);
	for (;;) {
		a = (int)rn(100);
		if (a < 60)
			break;
		if (a < 66 && on("rule-blackhole"))
			break;
		if (a < 72 && on("rule-unreachable"))
			break;
		if (a < 77 && on("rule-prohibit"))
			break;
		if (a < 84 && on("rule-goto") && pref >= 0 && pref < 32760)
			break;
		if (a < 86 && on("rule-nop"))
			break;
		if (a < 95 && on("rule-suppress-plen"))
			break;
		if (a >= 95 && on("rule-suppress-ifgroup"))
			break;
	}
	if (a < 60)
		snprintf(o + k, sizeof(o) - k, " lookup %s", rule_tname());
	else if (a < 66)
		snprintf(o + k, sizeof(o) - k, " blackhole");
	else if (a < 72)
		snprintf(o + k, sizeof(o) - k, " unreachable");
	else if (a < 77)
		snprintf(o + k, sizeof(o) - k, " prohibit");
	else if (a < 84) {
		/* sometimes a pref no rule has (an unresolved goto) */
		int t = pref + 1 + (int)rn(32766 - (unsigned)pref - 1);

		if (rp(60) && nrules > 0) {
			for (int i = 0; i < nrules; i++)
				if (rules[i].pref > pref) {
					t = rules[i].pref;
					break;
				}
		}
		snprintf(o + k, sizeof(o) - k, " goto %d", t);
	} else if (a < 86)
		snprintf(o + k, sizeof(o) - k, " nop");
	else if (a < 95)
		snprintf(o + k, sizeof(o) - k,
		    " lookup %s suppress_prefixlength %d", rule_tname(),
		    rpick((const int[]){ 0, 0, 8, 16, 24, 32 }, 6));
	else
		snprintf(o + k, sizeof(o) - k,
		    " lookup %s suppress_ifgroup %d", rule_tname(),
		    (int)rn(3));
	emit("ip rule add%s", o);
	struct rule *r = &rules[nrules++];

	snprintf(r->spec, sizeof(r->spec), "%s", o);
	r->pref = pref;
	r->present = true;
}

static void
del_rule(void)
{
	int cand[MAXRULE], n = 0;

	for (int i = 0; i < nrules; i++)
		if (rules[i].present)
			cand[n++] = i;
	if (n == 0)
		return;
	struct rule *r = &rules[cand[rn((unsigned)n)]];

	r->present = false;
	emit("ip rule del%s", r->spec);
}

static void
edit_default_rules(void)
{
	switch (rn(4)) {
	case 0:
		emit("ip rule del pref 32766");
		break;
	case 1:
		emit("ip rule del pref 32767");
		break;
	case 2:
		emit("ip rule del pref 0");
		emit("ip rule add pref %d lookup local", 1 + (int)rn(2000));
		break;
	default:
		emit("ip rule del pref 32766");
		emit("ip rule add pref %d lookup main", 1 + (int)rn(2000));
		break;
	}
}

/* ---- sysctls ---- */

static const struct {
	const char *name, *feat;
	int max;
} sysctls[] = {
	{ "rp_filter", "sys-rp_filter", 2 },
	{ "forwarding", "sys-forwarding", 1 },
	{ "route_localnet", "sys-route_localnet", 1 },
	{ "accept_local", "sys-accept_local", 1 },
	{ "src_valid_mark", "sys-src_valid_mark", 1 },
	{ "ignore_routes_with_linkdown", "sys-ignore_linkdown", 1 },
	{ "send_redirects", "sys-send_redirects", 1 },
	{ "shared_media", "sys-shared_media", 1 },
	{ "bc_forwarding", "sys-bc_forwarding", 1 },
	{ "promote_secondaries", "sys-promote_secondaries", 1 },
};
#define NSYSCTL (sizeof(sysctls) / sizeof(sysctls[0]))

/* one sysctl; where: 0 all, 1 default, 2 a device */
static void
gen_sysctl(int where)
{
	unsigned i = rn(NSYSCTL);
	const char *dev;

	if (!on(sysctls[i].feat))
		return;
	dev = where == 0 ? "all" : where == 1 ? "default" : rdev();
	emit("sysctl -qw net.ipv4.conf.%s.%s=%d", dev, sysctls[i].name,
	    (int)rn((unsigned)sysctls[i].max + 1));
}

/* ---- the state ---- */

static void
gen_build(void)
{
	int n;

	/* default.* first: it only matters for devices made after it */
	n = (int)rn(4);
	for (int i = 0; i < n; i++)
		gen_sysctl(1);
	gen_links();
	n = (int)rn(6);
	for (int i = 0; i < n; i++)
		gen_sysctl(rp(30) ? 0 : 2);
	for (int i = 0; i < nlinks; i++) {
		/* most links have an address, some several */
		int k = rp(85) ? 1 + (int)rn(2) + (rp(20) ? 1 : 0) : 0;

		for (int j = 0; j < k; j++)
			gen_addr_on(i);
	}
	if (on("nh")) {
		n = (int)rn(6);
		for (int i = 0; i < n; i++)
			gen_nh();
	}
	n = 10 + (int)rn(30);
	for (int i = 0; i < n; i++)
		gen_route("add");
	if (on("rule")) {
		n = (int)rn(9);
		for (int i = 0; i < n; i++)
			gen_rule();
		if (on("rule-default-edit") && rp(8))
			edit_default_rules();
	}
}

static void
gen_mutations(void)
{
	int n = 1 + (int)rn(6);

	for (int i = 0; i < n; i++) {
		unsigned c = rn(100);
		int l;

		if (c < 28)
			gen_route(rp(80) ? "add" : "replace");
		else if (c < 42)
			del_route();
		else if (c < 50) {
			if (on("rule"))
				gen_rule();
		} else if (c < 57) {
			if (on("rule"))
				del_rule();
		} else if (c < 64)
			gen_addr();
		else if (c < 70)
			del_addr();
		else if (c < 79) {
			if (!on("link-down"))
				continue;
			l = rlink();
			if (!links[l].exists)
				continue;
			links[l].up = !links[l].up;
			emit("ip link set %s %s", links[l].name,
			    links[l].up ? "up" : "down");
		} else if (c < 81) {
			if (on("link-mtu"))
				emit("ip link set %s mtu %d", rdev(),
				    rpick((const int[]){ 1280, 1400, 1500,
				    9000 }, 4));
		} else if (c < 83) {
			if (on("link-group"))
				emit("ip link set %s group %d",
				    links[rlink()].name, (int)rn(3));
		} else if (c < 91) {
			if (on("sys-live"))
				gen_sysctl(rp(25) ? 0 : 2);
		} else if (c < 96) {
			if (!on("nh"))
				continue;
			if (rp(60) || nnhs == 0)
				gen_nh();
			else {
				int j = nh_pick(true);

				emit("ip nexthop del id %d", nhs[j].id);
			}
		} else if (c < 97) {
			if (on("link-del")) {
				l = rlink() & ~1;
				emit("ip link del %s", links[l].name);
				links[l].exists = links[l + 1].exists = false;
			}
		} else if (c < 98) {
			if (on("rt-flush"))
				emit("ip route flush table %s", tname());
		} else if (c < 99) {
			if (on("lo-down"))
				emit("ip link set lo %s", rp(50) ? "down" : "up");
		} else
			gen_route("add");
	}
}

/* ---- queries ---- */

/* a destination (or source) worth asking about */
static uint32_t
qaddr1(void)
{
	unsigned c = rn(100);

	if (c < 20 && naddrs > 0) {
		const struct addr *a = &addrs[rn((unsigned)naddrs)];
		uint32_t m = mask(a->plen), b = a->peer ? a->peer : a->a;

		switch (rn(5)) {
		case 0: case 1:
			return a->a;
		case 2:
			return a->plen < 31 ? (b | ~m) : b;
		case 3:
			return a->peer ? a->peer : b & m;
		default:
			return (b & m) | (rnext() & ~m);
		}
	}
	if (c < 55 && nroutes > 0) {
		const struct route *r = &routes[rn((unsigned)nroutes)];
		uint32_t m = mask(r->plen);

		switch (rn(6)) {
		case 0:
			return r->prefix;
		case 1:
			return r->prefix | ~m;
		case 2:
			return (r->prefix | ~m) + 1;
		default:
			return r->prefix | (rnext() & ~m);
		}
	}
	if (c < 75)
		return subnet_host(rn(8));
	if (c < 88 && on("q-special")) {
		static const uint32_t sp[] = {
			0x7f000001, 0x7f010203, 0, 0xffffffff, 0xe0000001,
			0xe0010105, 0xf0000001, 0xa9fe0101, 0x0a0000ff,
			0x0a000000, 0xe00000fb,
		};

		return sp[rn(sizeof(sp) / sizeof(sp[0]))];
	}
	return (uint32_t)rnext();
}

/* a subnet's broadcast or network address */
static bool
is_subnet_bcast(uint32_t a)
{
	for (int i = 0; i < naddrs; i++) {
		uint32_t m = mask(addrs[i].plen);

		uint32_t b = addrs[i].peer ? addrs[i].peer : addrs[i].a;

		if (addrs[i].plen < 31 && (a == (b | ~m) || a == (b & m)))
			return true;
	}
	return false;
}

static uint32_t
qaddr(bool src)
{
	uint32_t a = 0;

	for (int i = 0; i < 50; i++) {
		a = qaddr1();
		if (!addr_allowed(a))
			continue;
		if (src && !on("q-src-bcast") && is_subnet_bcast(a))
			continue;
		break;
	}
	return a;
}

static void
gen_query(void)
{
	char q[256];
	size_t k;
	bool input = on("q-input") && rp(40);

	if (on("q-format") && rp(5))
		snprintf(q, sizeof(q), "to %s/32", ipstr(qaddr(false)));
	else if (rp(10))
		snprintf(q, sizeof(q), "to %s", ipstr(qaddr(false)));
	else
		snprintf(q, sizeof(q), "%s", ipstr(qaddr(false)));
	k = strlen(q);
	if (input) {
		if (rp(90))
			snprintf(q + k, sizeof(q) - k, " from %s",
			    ipstr(qaddr(true)));
		k = strlen(q);
		snprintf(q + k, sizeof(q) - k, " iif %s", rdev());
	} else {
		if (on("q-from") && rp(35))
			snprintf(q + k, sizeof(q) - k, " from %s",
			    rp(60) && naddrs ? ipstr(raddr_local()) :
			    ipstr(qaddr(true)));
		k = strlen(q);
		if (on("q-oif") && rp(15))
			snprintf(q + k, sizeof(q) - k, " oif %s", rdev());
	}
	k = strlen(q);
	if (on("q-tos") && rp(15)) {
		static const char *const t[] = { "0x10", "0x08", "0x04",
		    "0x18", "0x1c", "0xb8", "0x11", "0x02", "0x03", "0xff",
		    "0x0c", "0x14" };

		snprintf(q + k, sizeof(q) - k, " %s %s",
		    on("q-format") && rp(30) ? "dsfield" : "tos", t[rn(12)]);
	}
	k = strlen(q);
	if (on("q-mark") && rp(20))
		snprintf(q + k, sizeof(q) - k, " mark %d",
		    rpick((const int[]){ 0, 1, 2, 3, 16, 17, 0x101, 255 }, 8));
	k = strlen(q);
	if (on("q-uid") && rp(15) && (!input || on("q-uid-input")))
		snprintf(q + k, sizeof(q) - k, " uid %d",
		    rpick((const int[]){ 0, 5, 1000, 1500, 65534, 70000 }, 6));
	k = strlen(q);
	if (on("q-ipproto") && rp(15))
		snprintf(q + k, sizeof(q) - k, " ipproto %s",
		    rp(40) ? "tcp" : rp(50) ? "udp" : rp(50) ? "icmp" : "6");
	k = strlen(q);
	if (on("q-ports") && rp(12))
		snprintf(q + k, sizeof(q) - k, " sport %d",
		    rpick((const int[]){ 22, 53, 80, 1000, 1500, 3000 }, 6));
	k = strlen(q);
	if (on("q-ports") && rp(12))
		snprintf(q + k, sizeof(q) - k, " dport %d",
		    rpick((const int[]){ 22, 53, 60, 80, 443, 8080 }, 6));
	emit("%s", q);
}

/* ---- main ---- */

static FILE *
open_in(const char *dir, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "diffgen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

static void
close_out(void)
{
	if (fclose(out) != 0) {
		fprintf(stderr, "diffgen: write: %s\n", strerror(errno));
		exit(2);
	}
}

static void
usage(void)
{
	fprintf(stderr, "usage: diffgen [-x FEATURE]... [-r ROUNDS] "
	    "[-q QUERIES] -o DIR SEED\n       diffgen -l\n");
	exit(64);
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
	unsigned rounds = 2, queries = 100;
	uint64_t seed;
	char name[32], *end;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];

		if (strcmp(o, "-l") == 0) {
			for (size_t f = 0; f < NFEAT; f++)
				puts(feature_names[f]);
			return 0;
		}
		if (i + 1 >= argc)
			usage();
		if (strcmp(o, "-o") == 0)
			dir = argv[++i];
		else if (strcmp(o, "-r") == 0)
			rounds = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(o, "-q") == 0)
			queries = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(o, "-x") == 0) {
			const char *x = argv[++i];
			size_t f;

			for (f = 0; f < NFEAT; f++)
				if (strcmp(feature_names[f], x) == 0)
					break;
			if (f == NFEAT) {
				fprintf(stderr, "diffgen: unknown feature %s "
				    "(diffgen -l lists them)\n", x);
				return 64;
			}
			excluded[f] = true;
		} else
			usage();
	}
	if (dir == NULL || i + 1 != argc)
		usage();
	errno = 0;
	seed = strtoull(argv[i], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[i])
		usage();
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "diffgen: %s: %s\n", dir, strerror(errno));
		return 2;
	}

	/* The model evolves over build and mutations; queries only read it. */
	for (unsigned r = 0; r <= rounds; r++) {
		if (r == 0) {
			rseed(seed, 0, 'b');
			out = open_in(dir, "build");
			gen_build();
		} else {
			rseed(seed, r, 'm');
			snprintf(name, sizeof(name), "m%u", r);
			out = open_in(dir, name);
			gen_mutations();
		}
		close_out();
		rseed(seed, r, 'q');
		snprintf(name, sizeof(name), "q%u", r);
		out = open_in(dir, name);
		for (unsigned j = 0; j < queries; j++)
			gen_query();
		close_out();
	}
	return 0;
}
