/* SPDX-License-Identifier: MIT */
/*
 * listing.c - the show requests (routes, nexthops, rules, links,
 * addresses, the route cache, slabinfo), answered in steps by the worker
 * that owns the connection, never by the thread that applies netlink
 * events.
 *
 * A step runs online, as an RCU reader (the FIB writer never waits for
 * it), and writes about LISTING_STEP bytes of text, sent as TEXT lines.
 * The worker runs the next step only when the connection's queue is back
 * under RTCD_LISTING_LOW (worker.c): the client's reading paces the
 * listing, and a client that stops reading holds one step of text, not
 * the table (and, parked by its worker, no cursor window).  Routes and nexthops resume from a fib_cursor, the route
 * cache from its bucket; rules, links, addresses and slabinfo are small
 * and take one step.  A listing whose first step is its last is sent as
 * any reply (one message when it fits); a longer one is MULTI messages
 * and a DONE.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "rtcache/fib.h"
#include "rtcache/netdev.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/rtcached.h"
#include "daemon/reply.h"

#define LISTING_STEP	(64U << 10)	/* text bytes per step */
#define LISTING_WINDOW	4096		/* routes or nexthops per pass */

struct listing_kind;

struct listing {
	const struct listing_kind *k;
	uint32_t	 seq;
	unsigned int	 parts;		/* steps sent */
	struct fib_cursor *fc;		/* routes, nexthops */
	uint64_t	 pos;		/* route cache: buckets done */
};

struct listing_kind {
	uint16_t	 type;
	int		(*start)(struct listing *l, const struct rtc_msg *m);
	int		(*step)(struct listing *l, FILE *out);
	int		(*dump)(FILE *out);	/* the one-step kinds */
};

static int
routes_start(struct listing *l, const struct rtc_msg *m)
{
	uint32_t id = m->tb[RTC_A_TABLE] != NULL ?
	    mnl_attr_get_u32(m->tb[RTC_A_TABLE]) : RT_TABLE_MAIN;
	int rv = fib_cursor_routes(id, LISTING_WINDOW, &l->fc);

	return rv == -ESRCH ? 0 : rv;	/* ip: an absent table is empty */
}

static int
nexthops_start(struct listing *l, const struct rtc_msg *m)
{
	(void)m;
	return fib_cursor_nexthops(LISTING_WINDOW, &l->fc);
}

static int
cursor_step(struct listing *l, FILE *out)
{
	return l->fc != NULL ? fib_cursor_step(l->fc, out, LISTING_STEP) : 0;
}

static int
cache_step(struct listing *l, FILE *out)
{
	return rt_cache_show_step(out, &l->pos, LISTING_STEP);
}

static int
dump_step(struct listing *l, FILE *out)
{
	int rv = l->k->dump(out);

	return rv < 0 ? rv : 0;
}

static const struct listing_kind listing_kinds[] = {
	{ RTC_MSG_ROUTE_SHOW, routes_start, cursor_step, NULL },
	{ RTC_MSG_NEXTHOP_SHOW, nexthops_start, cursor_step, NULL },
	{ RTC_MSG_CACHE_SHOW, NULL, cache_step, NULL },
	{ RTC_MSG_RULE_SHOW, NULL, dump_step, fib_dump_rules },
	{ RTC_MSG_LINK_SHOW, NULL, dump_step, netdev_dump_links },
	{ RTC_MSG_ADDR_SHOW, NULL, dump_step, netdev_dump_addrs },
	{ RTC_MSG_SLABINFO, NULL, dump_step, slabinfo_show },
};

/* @l's client has stopped reading: drop what only speeds it up. */
void
listing_park(struct listing *l)
{
	if (l->fc != NULL)
		fib_cursor_park(l->fc);
}

void
listing_free(struct listing *l)
{
	if (l != NULL)
		fib_cursor_free(l->fc);
	free(l);
}

/**
 * listing_start - take the show request @m from @c: its first step runs
 * when the worker next flushes @c.  Worker, online.  A refusal is
 * replied here.
 */
void
listing_start(struct conn *c, const struct rtc_msg *m)
{
	const struct listing_kind *k = NULL;
	struct listing *l;
	size_t i;
	int rv = -ENOMEM;

	for (i = 0; i < sizeof(listing_kinds) / sizeof(listing_kinds[0]); i++)
		if (listing_kinds[i].type == m->type)
			k = &listing_kinds[i];
	if (k == NULL)
		rv = -EOPNOTSUPP;
	else if ((l = calloc(1, sizeof(*l))) != NULL) {
		l->k = k;
		l->seq = m->seq;
		if (k->start == NULL || (rv = k->start(l, m)) == 0) {
			c->listing = l;
			return;
		}
		listing_free(l);
	}
	reply_error(c, m->seq, -rv, "%s: %s", rtc_msg_type_name(m->type),
	    strerror(-rv));
}

/* Send one step's @text; @more: the listing goes on. */
static int
listing_send(struct conn *c, struct listing *l, const char *text,
    size_t len, int more)
{
	struct reply *r;

	if (!more && l->parts == 0) {
		reply_text(c, l->seq, text, len);
		return 0;
	}
	r = reply_begin(c, RTC_MSG_TEXT, l->seq);
	r->multi = 1;
	reply_lines(r, text, len);
	if (more)
		reply_part(r);
	else
		reply_end(r);
	l->parts++;
	return r->err;
}

/**
 * listing_step - run the next step of @c's listing and queue its text.
 * Worker, online.  The listing is freed at its end or on an error.
 * Return: 1 when it goes on, 0 when it is over.
 */
int
listing_step(struct conn *c)
{
	struct listing *l = c->listing;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rv;

	if ((f = open_memstream(&text, &len)) == NULL)
		rv = -ENOMEM;
	else {
		rv = l->k->step(l, f);
		if (fclose(f) != 0 && rv >= 0)
			rv = -ENOMEM;
	}
	if (rv < 0)
		reply_error(c, l->seq, -rv, "%s: %s",
		    rtc_msg_type_name(l->k->type), strerror(-rv));
	else if (listing_send(c, l, text != NULL ? text : "", len,
	    rv > 0) < 0) {
		log_rl_warnx(&c->rl, "client pid %u uid %u: listing over the "
		    "output limit: closing", c->pid, c->uid);
		rv = -ENOBUFS;
	}
	free(text);
	if (rv <= 0) {
		listing_free(l);
		c->listing = NULL;
		return 0;
	}
	return 1;
}
