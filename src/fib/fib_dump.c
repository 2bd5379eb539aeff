/* SPDX-License-Identifier: MIT */
/*
 * fib_dump.c - the FIB as text, the way iproute2 prints it: one
 * `ip -4 route show table all` line per alias (fib_dump_alias, used by
 * fib_dump_routes), the entry behind `ip route get ... fibmatch`
 * (fib_dump_result), and `ip nexthop show` (fib_dump_nexthops).  The daemon
 * answers its show requests and writes its metrics with these.  The
 * reverse direction, text commands that build a FIB state, is a test
 * helper and lives in tests/support/fib_text.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "base/clock.h"
#include "base/rt_names.h"
#include "fib/fib_internal.h"

static void
nh_flags_print(FILE *out, unsigned int fl)
{
	if (fl & RTNH_F_DEAD)
		fprintf(out, " dead");
	if (fl & RTNH_F_ONLINK)
		fprintf(out, " onlink");
	if (fl & RTNH_F_PERVASIVE)
		fprintf(out, " pervasive");
	if (fl & RTNH_F_LINKDOWN)
		fprintf(out, " linkdown");
}

/* RTAX_* as iproute2's print_rta_metrics() writes them. */
enum mx_kind {
	MX_NONE,	/* not printed (congctl is a name, not kept) */
	MX_NUM,
	MX_RTT,		/* 1/8 ms */
	MX_RTTVAR,	/* 1/4 ms */
	MX_MS,
	MX_HOPLIMIT,	/* -1 is left out */
	MX_FEATURES,
};

static const struct {
	const char	*name;
	enum mx_kind	 kind;
} mx_names[RTAX_MAX + 1] = {
	[RTAX_MTU] = { "mtu", MX_NUM },
	[RTAX_WINDOW] = { "window", MX_NUM },
	[RTAX_RTT] = { "rtt", MX_RTT },
	[RTAX_RTTVAR] = { "rttvar", MX_RTTVAR },
	[RTAX_SSTHRESH] = { "ssthresh", MX_NUM },
	[RTAX_CWND] = { "cwnd", MX_NUM },
	[RTAX_ADVMSS] = { "advmss", MX_NUM },
	[RTAX_REORDERING] = { "reordering", MX_NUM },
	[RTAX_HOPLIMIT] = { "hoplimit", MX_HOPLIMIT },
	[RTAX_INITCWND] = { "initcwnd", MX_NUM },
	[RTAX_FEATURES] = { "features", MX_FEATURES },
	[RTAX_RTO_MIN] = { "rto_min", MX_MS },
	[RTAX_INITRWND] = { "initrwnd", MX_NUM },
	[RTAX_QUICKACK] = { "quickack", MX_NUM },
	[RTAX_CC_ALGO] = { "congctl", MX_NONE },
	[RTAX_FASTOPEN_NO_COOKIE] = { "fastopen_no_cookie", MX_NUM },
};

/* One metric's value: ms below a second, else seconds ("%g"). */
static void
mx_value(FILE *out, enum mx_kind kind, uint32_t v)
{
	switch (kind) {
	case MX_RTT:
	case MX_RTTVAR:
	case MX_MS:
		v = kind == MX_RTT ? v / 8 : kind == MX_RTTVAR ? v / 4 : v;
		if (v >= 1000)
			fprintf(out, " %gs", v / 1e3);
		else
			fprintf(out, " %ums", v);
		break;
	case MX_FEATURES:	/* print_rtax_features */
		if (v & RTAX_FEATURE_ECN)
			fprintf(out, " ecn");
		if (v & ~RTAX_FEATURE_ECN)
			fprintf(out, " %#x", v);
		break;
	default:
		fprintf(out, " %u", v);
		break;
	}
}

/* The metrics a route has (0 is unset), locked ones marked. */
static void
mx_print(FILE *out, const uint32_t *mx)
{
	uint32_t lock = mx[RTAX_LOCK - 1], v;
	unsigned int i;

	for (i = RTAX_LOCK + 1; i <= RTAX_MAX; i++) {
		v = mx[i - 1];
		if ((v == 0 && !(lock & (1U << i))) ||
		    mx_names[i].kind == MX_NONE ||
		    (mx_names[i].kind == MX_HOPLIMIT && v == 0xffffffff))
			continue;
		fprintf(out, " %s", mx_names[i].name);
		if (lock & (1U << i))
			fprintf(out, " lock");
		mx_value(out, mx_names[i].kind, v);
	}
}

/* One FIB entry as the kernel's fib_dump_info() makes it. */
struct fib_entry_text {
	uint32_t	 table;
	uint32_t	 dst;		/* network order */
	uint8_t		 dst_len;
	uint8_t		 type;
	uint8_t		 tos;
	uint8_t		 scope;
	const struct fib_info *fi;
};

/* Realms as iproute2's print_rta_flow() writes them. */
static void
realms_print(FILE *out, uint32_t flow)
{
	char f[16], t[16];

	if (flow == 0)
		return;
	if (flow >> 16)
		fprintf(out, " realms %s/%s", rt_realm_n2a(flow >> 16, f,
		    sizeof(f)), rt_realm_n2a(flow & 0xffff, t, sizeof(t)));
	else
		fprintf(out, " realm %s", rt_realm_n2a(flow & 0xffff, t,
		    sizeof(t)));
}

/* Its nexthop lines, for a multipath route. */
static void
entry_print_legs(FILE *out, const struct fib_info *fi)
{
	char a[INET_ADDRSTRLEN];
	int i;

	for (i = 0; i < fi->fib_nhs; i++) {
		const struct fib_nh *nh = &fi->fib_nh[i];

		fprintf(out, "\tnexthop");
		if (nh->nh_gw) {
			inet_ntop(AF_INET, &nh->nh_gw, a, sizeof(a));
			fprintf(out, " via %s", a);
		}
		realms_print(out, nh->nh_tclassid);
		if (nh->nh_dev != NULL)
			fprintf(out, " dev %s", nh->nh_dev->name);
		fprintf(out, " weight %u", nh->nh_weight);
		nh_flags_print(out, fib_nh_flags(nh));
		fputc(' ', out);
		fputc('\n', out);
	}
}

/* `ip -4 route show` text of one entry (and its nexthop lines). */
static void
entry_print(FILE *out, const struct fib_entry_text *e)
{
	const struct fib_info *fi = e->fi;
	char a[INET_ADDRSTRLEN], b[16];

	if (e->type != RTN_UNICAST)
		fprintf(out, "%s ", rt_type_n2a(e->type, b, sizeof(b)));
	if (e->dst_len == 0) {
		fprintf(out, "default");
	} else {
		inet_ntop(AF_INET, &e->dst, a, sizeof(a));
		fprintf(out, "%s", a);
		if (e->dst_len != 32)
			fprintf(out, "/%u", e->dst_len);
	}
	if (e->tos)
		fprintf(out, " tos 0x%02x", e->tos);
	if (fi->nh != NULL)
		fprintf(out, " nhid %u", fi->nh->id);
	if (fi->fib_nhs == 1) {
		const struct fib_nh *nh = &fi->fib_nh[0];

		if (nh->nh_gw) {
			inet_ntop(AF_INET, &nh->nh_gw, a, sizeof(a));
			fprintf(out, " via %s", a);
		}
		if (nh->nh_dev != NULL)
			fprintf(out, " dev %s", nh->nh_dev->name);
	}
	if (e->table != RT_TABLE_MAIN)
		fprintf(out, " table %s", rt_table_n2a(e->table, b, sizeof(b)));
	if (fi->fib_protocol != RTPROT_BOOT)
		fprintf(out, " proto %s", rt_proto_n2a(fi->fib_protocol, b,
		    sizeof(b)));
	if (e->scope != RT_SCOPE_UNIVERSE)
		fprintf(out, " scope %s", rt_scope_n2a(e->scope, b, sizeof(b)));
	if (fi->fib_prefsrc) {
		inet_ntop(AF_INET, &fi->fib_prefsrc, a, sizeof(a));
		fprintf(out, " src %s", a);
	}
	if (fi->fib_priority)
		fprintf(out, " metric %u", fi->fib_priority);
	if (fi->fib_nhs == 1) {
		nh_flags_print(out, fib_nh_flags(&fi->fib_nh[0]));
		realms_print(out, fi->fib_nh[0].nh_tclassid);
	}
	mx_print(out, fi->fib_metrics);
	fputc(' ', out);
	fputc('\n', out);
	if (fi->fib_nhs > 1)
		entry_print_legs(out, fi);
}

/* One `ip -4 route show table all` line (and its nexthop lines). */
int
fib_dump_alias(FILE *out, const struct fib_table *tb,
    const struct fib_node *fn, const struct fib_alias *fa)
{
	struct fib_entry_text e = {
		.table = tb->tb_id, .dst = htonl(fn->fn_key),
		.dst_len = (uint8_t)fn->fn_plen, .type = fa->fa_type,
		.tos = fa->fa_tos, .scope = fa->fa_scope, .fi = fa->fa_info,
	};

	entry_print(out, &e);
	return 0;
}

/**
 * fib_dump_result - the FIB entry a lookup matched, as the kernel's
 * RTM_F_FIB_MATCH answer describes it (inet_rtm_getroute): @res's prefix,
 * tos and fib_info, in the table it names (as rt_table reports it), with
 * the type of the route made from it (@type).
 * Return: 0, or -EHOSTUNREACH when @res holds no entry.
 */
int
fib_dump_result(FILE *out, const struct fib_result *res, uint8_t type,
    uint32_t table)
{
	struct fib_entry_text e;

	if (res->fi == NULL)
		return -EHOSTUNREACH;
	e.table = table;
	e.dst = res->prefix;
	e.dst_len = res->prefixlen;
	e.type = type;
	e.tos = res->tos;
	e.scope = res->fi->fib_scope;
	e.fi = res->fi;
	entry_print(out, &e);
	return 0;
}

static void
nh_dump_one(FILE *out, const struct nexthop *nh)
{
	char a[INET_ADDRSTRLEN];
	int i;

	fprintf(out, "id %u", nh->id);
	if (nh->is_group) {
		fprintf(out, " group ");
		for (i = 0; i < nh->num_nh; i++) {
			fprintf(out, "%s%u", i ? "/" : "", nh->grp[i].nh->id);
			if (nh->grp[i].weight > 1)
				fprintf(out, ",%u", nh->grp[i].weight);
		}
		/* iproute2 prints the timers in seconds; the time spent
		 * unbalanced is not mirrored */
		if (nh->resilient)
			fprintf(out, " type resilient buckets %u idle_timer %u "
			    "unbalanced_timer %u unbalanced_time 0",
			    nh->res_buckets, nh->res_idle_timer / 100,
			    nh->res_unbalanced_timer / 100);
	} else if (nh->blackhole) {
		fprintf(out, " blackhole");
	} else {
		if (nh->nh.nh_gw) {
			inet_ntop(AF_INET, &nh->nh.nh_gw, a, sizeof(a));
			fprintf(out, " via %s", a);
		}
		if (nh->nh.nh_dev != NULL)
			fprintf(out, " dev %s", nh->nh.nh_dev->name);
		fprintf(out, " scope %s", nh->nh.nh_gw ? "link" : "host");
		nh_flags_print(out, fib_nh_flags(&nh->nh));
	}
	fputc(' ', out);
	fputc('\n', out);
}

/* ---------------------------------------------------------------- cursor */

/*
 * Listings in steps.  iproute2 prints a table in the kernel's trie order
 * (by key, the longest prefix first at one key) and nexthop objects by
 * id, and a step starts where the last one stopped; but the zones and
 * the nexthop hash have no order.  So a cursor works from a window: the
 * next objects after the last one printed, found by one pass and sorted
 * by rank (a route's key and length, a nexthop's id).  The pass over a
 * zone reads its bucket arrays front to back (the keys are inline) and
 * no node, and keeps the smallest ranks with a bounded selection, so a
 * pass costs one read of the table.  Windows start at @window objects and
 * double per pass up to an eighth of the table, so a listing read to its
 * end passes about a dozen times, and one whose reader has stopped holds
 * a small window (fib_cursor_park drops it).
 *
 * A step prints each object of the window as it is when it gets there,
 * looking it up again: an object removed meanwhile is not printed.  When
 * the FIB has changed since the pass (fib_genid), the next step passes
 * again from the cursor once the window is older than FRESH_NS or used
 * up, so an object added ahead of the cursor is printed unless it lands
 * in the window being printed within FRESH_NS of its pass; one added
 * behind the cursor is not: the kernel's own dumps behave so, less that
 * window.  A window of 0 means "everything in one pass".
 */
#define FRESH_NS	(100 * NSEC_PER_MSEC)

struct fib_cursor {
	int		 nexthops;	/* else routes */
	size_t		 window;	/* the first pass's size (0: all) */
	size_t		 want;		/* the next pass's */
	uint32_t	*ids;		/* tables, in dump order */
	unsigned int	 nids, t;	/* t: the table being printed */
	uint64_t	*win;		/* sorted ranks */
	size_t		 n, pos;
	int		 more;		/* the window was full: pass again */
	int		 started;	/* @last is set */
	uint64_t	 last;		/* the last rank printed */
	uint64_t	 genid;		/* fib_genid() at the pass */
	uint64_t	 pass_ns;	/* and the time */
};

/* Ranks sort as iproute2 prints: the key, then the longest prefix. */
static inline uint64_t
route_rank(uint32_t key, unsigned int plen)
{
	return (uint64_t)key << 8 | (32 - plen);
}
#define RANK_BITS	40

/* Reorder @a so that a[k] is the (k+1)th smallest, none larger before it. */
static void
rank_select(uint64_t *a, long n, long k)
{
	long lo = 0, hi = n - 1, i, j;
	uint64_t x, t;

	while (lo < hi) {
		x = a[lo + (hi - lo) / 2];
		i = lo;
		j = hi;
		while (i <= j) {
			while (a[i] < x)
				i++;
			while (a[j] > x)
				j--;
			if (i <= j) {
				t = a[i];
				a[i++] = a[j];
				a[j--] = t;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

/* Sort @n ranks (RANK_BITS wide) by radix, @tmp as large: no compares. */
static void
rank_sort(uint64_t *a, uint64_t *tmp, size_t n)
{
	uint64_t *src = a, *dst = tmp, *t;
	size_t cnt[256], i, sum, c;
	unsigned int sh;

	for (sh = 0; n > 1 && sh < RANK_BITS; sh += 8) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i < n; i++)
			cnt[(src[i] >> sh) & 255]++;
		if (cnt[(src[0] >> sh) & 255] == n)
			continue;	/* one value of this byte */
		for (sum = 0, i = 0; i < 256; i++) {
			c = cnt[i];
			cnt[i] = sum;
			sum += c;
		}
		for (i = 0; i < n; i++)
			dst[cnt[(src[i] >> sh) & 255]++] = src[i];
		t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/*
 * One pass keeps the @want smallest ranks above the cursor: they gather
 * in a buffer of twice that; a full buffer is cut to its @want smallest,
 * whose largest then bounds what is taken after it.
 */
struct rank_pass {
	struct fib_cursor *c;
	uint64_t	*buf;
	size_t		 n, want;
	uint64_t	 bound;
};

static void
rank_take(struct rank_pass *p, uint64_t v)
{
	if ((p->c->started && v <= p->c->last) || v >= p->bound)
		return;
	p->buf[p->n++] = v;
	if (p->n == 2 * p->want) {
		rank_select(p->buf, (long)p->n, (long)p->want - 1);
		p->n = p->want;
		p->bound = p->buf[p->want - 1];
	}
}

/* @all: about how many objects the pass will see. */
static int
rank_pass_begin(struct rank_pass *p, struct fib_cursor *c, size_t all)
{
	free(c->win);
	c->win = NULL;
	c->n = c->pos = 0;
	c->genid = fib_genid();
	c->pass_ns = clock_mono_ns();
	p->c = c;
	p->n = 0;
	p->want = c->window != 0 ? c->want : all + 1;
	p->bound = UINT64_MAX;
	p->buf = malloc(2 * p->want * sizeof(*p->buf));
	if (c->window != 0 && c->want < all / 8)
		c->want *= 2;
	return p->buf != NULL ? 0 : -ENOMEM;
}

static void
rank_pass_end(struct rank_pass *p)
{
	struct fib_cursor *c = p->c;

	c->more = p->n >= p->want;
	if (p->n > p->want)
		rank_select(p->buf, (long)p->n, (long)p->want - 1);
	c->n = c->more ? p->want : p->n;
	rank_sort(p->buf, p->buf + p->want, c->n);
	c->win = p->buf;
}

static int
route_pass(struct fib_cursor *c, struct fib_table *tb)
{
	struct rank_pass p;
	struct fn_zone *fz;
	unsigned int b, s;
	int rv;

	if ((rv = rank_pass_begin(&p, c, READ_ONCE(tb->tb_nodes))) < 0)
		return rv;
	for (fz = rcu_dereference(tb->fn_zone_list); fz != NULL;
	    fz = rcu_dereference(fz->fz_next)) {
		struct fz_table *t = rcu_dereference(fz->fz_tab);

		for (b = 0; b < t->nbuckets; b++)
			for (s = 0; s < FZ_SLOTS; s++)
				if (rcu_dereference(t->b[b].node[s]) != NULL)
					rank_take(&p, route_rank(READ_ONCE(
					    t->b[b].key[s]), fz->fz_order));
	}
	rank_pass_end(&p);
	return 0;
}

static void
nexthop_take(const struct nexthop *nh, void *arg)
{
	rank_take(arg, nh->id);
}

static int
nexthop_pass(struct fib_cursor *c)
{
	struct rank_pass p;
	int rv;

	if ((rv = rank_pass_begin(&p, c, 1024)) < 0)
		return rv;
	fib_nexthop_for_each(nexthop_take, &p);
	rank_pass_end(&p);
	return 0;
}

/* Print the route prefix of rank @v in @tb, if it is still there. */
static void
route_print(FILE *out, struct fib_table *tb, uint64_t v)
{
	unsigned int plen = 32 - (unsigned int)(v & 0xff);
	struct fn_zone *fz = rcu_dereference(tb->fn_zones[plen]);
	struct fib_node *fn;
	struct fib_alias *fa;

	if (fz == NULL || (fn = fn_zone_find(fz, (uint32_t)(v >> 8),
	    NULL)) == NULL)
		return;
	for (fa = rcu_dereference(fn->fn_alias); fa != NULL;
	    fa = rcu_dereference(fa->fa_next))
		fib_dump_alias(out, tb, fn, fa);
}

static void
nexthop_print(FILE *out, uint64_t v)
{
	struct nexthop *nh = fib_nexthop_get((uint32_t)v);

	if (nh != NULL)
		nh_dump_one(out, nh);
}

static void
cursor_print(struct fib_cursor *c, FILE *out)
{
	struct fib_table *tb;

	if (c->nexthops)
		nexthop_print(out, c->last);
	else if ((tb = fib_get_table(c->ids[c->t])) != NULL)
		route_print(out, tb, c->last);
}

/* Whether the window still serves: see "Listings in steps". */
static int
cursor_window_holds(const struct fib_cursor *c)
{
	if (c->genid == fib_genid())
		return c->pos < c->n || (c->started && !c->more);
	return c->pos < c->n && clock_mono_ns() - c->pass_ns < FRESH_NS;
}

/* The next window of the current table; 0 when it has none left. */
static int
cursor_refill(struct fib_cursor *c)
{
	struct fib_table *tb;
	int rv;

	if (cursor_window_holds(c))
		return c->pos < c->n;
	if (c->nexthops)
		rv = nexthop_pass(c);
	else if ((tb = fib_get_table(c->ids[c->t])) == NULL)
		return 0;
	else
		rv = route_pass(c, tb);
	return rv < 0 ? rv : c->n > 0;
}

/**
 * fib_cursor_step - print the next objects of @c to @out, about @max
 * bytes of them (0: all).  The caller is online for the step.
 * Return: 1 when there may be more, 0 at the end, or -ENOMEM.
 */
int
fib_cursor_step(struct fib_cursor *c, FILE *out, size_t max)
{
	long start = ftell(out);
	int rv;

	while (c->t < c->nids) {
		if ((rv = cursor_refill(c)) < 0)
			return rv;
		if (rv == 0) {
			c->t++;
			c->started = 0;
			fib_cursor_park(c);
			continue;
		}
		c->last = c->win[c->pos++];
		c->started = 1;
		cursor_print(c, out);
		if (ferror(out))
			return -ENOMEM;
		if (max != 0 && (size_t)(ftell(out) - start) >= max)
			return 1;
	}
	return 0;
}

static struct fib_cursor *
cursor_alloc(size_t window, unsigned int nids)
{
	struct fib_cursor *c;

	if ((c = calloc(1, sizeof(*c) + nids * sizeof(uint32_t))) == NULL)
		return NULL;
	c->window = c->want = window;
	c->ids = (uint32_t *)(c + 1);
	c->nids = nids;
	return c;
}

/**
 * fib_cursor_routes - a cursor over the routes of table @id
 * (FIB_TABLE_ALL: of every table that exists now), @window prefixes per
 * pass.  Online.  Return: 0, -ESRCH (no such table), -ENOMEM.
 */
int
fib_cursor_routes(uint32_t id, size_t window, struct fib_cursor **cp)
{
	struct fib_cursor *c;
	unsigned int n;

	*cp = NULL;
	if (id != FIB_TABLE_ALL) {
		if (fib_get_table(id) == NULL)
			return -ESRCH;
		if ((c = cursor_alloc(window, 1)) == NULL)
			return -ENOMEM;
		c->ids[0] = id;
	} else {
		do {
			n = fib_table_ids(NULL, 0);
			if ((c = cursor_alloc(window, n)) == NULL)
				return -ENOMEM;
			if (fib_table_ids(c->ids, n) == n)
				break;
			free(c);	/* a table came meanwhile */
		} while (1);
	}
	*cp = c;
	return 0;
}

/** fib_cursor_nexthops - a cursor over the nexthop objects, by id. */
int
fib_cursor_nexthops(size_t window, struct fib_cursor **cp)
{
	if ((*cp = cursor_alloc(window, 1)) == NULL)
		return -ENOMEM;
	(*cp)->nexthops = 1;
	return 0;
}

/**
 * fib_cursor_park - drop @c's window (a reader that stopped): the next
 * step makes a new one, small again.  Its position stays.
 */
void
fib_cursor_park(struct fib_cursor *c)
{
	free(c->win);
	c->win = NULL;
	c->n = c->pos = 0;
	c->more = 1;
	c->want = c->window;
}

void
fib_cursor_free(struct fib_cursor *c)
{
	if (c != NULL)
		free(c->win);
	free(c);
}

static int
cursor_print_all(struct fib_cursor *c, FILE *out)
{
	int rv = fib_cursor_step(c, out, 0);

	fib_cursor_free(c);
	return rv;
}

/* `ip -4 route show table ID`, in one pass per table. */
int
fib_dump_routes(FILE *out, uint32_t id)
{
	struct fib_cursor *c;
	int rv;

	if ((rv = fib_cursor_routes(id, 0, &c)) < 0)
		return rv;
	return cursor_print_all(c, out);
}

/* `ip nexthop show`, by id. */
int
fib_dump_nexthops(FILE *out)
{
	struct fib_cursor *c;
	int rv;

	if ((rv = fib_cursor_nexthops(0, &c)) < 0)
		return rv;
	return cursor_print_all(c, out);
}
