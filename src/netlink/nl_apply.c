/* SPDX-License-Identifier: MIT */
/*
 * nl_apply.c - parsed rtnetlink objects into the FIB and the device table,
 * and the mark-and-sweep of a resync.
 *
 * Notifications read live are applied with the kernel's own flags, in
 * order: route aliases that share a key are an ordered list (append,
 * prepend and replace), rules are a multiset.  Notifications buffered
 * while a sync ran, and dump entries, are applied as idempotent upserts
 * by full identity, so "snapshot, then replay everything since the
 * subscription" converges.  Deletes of something absent are no-ops.
 *
 * The kernel's silent removals (a link going down, a device deleted, the
 * last address removed, a nexthop deleted, carrier loss taking the
 * nexthop objects of a device, rules naming a device that came or went)
 * happen inside fib_link_*, fib_addr_* and fib_nexthop_del; what only the netlink side knows, and
 * keeps here, is the list of rules (to diff a rule dump against, since a
 * multiset cannot be upserted) and the set of nexthop ids.
 *
 * A sync records what each dump contained.  After a clean dump of a kind
 * the objects of that kind it did not contain are swept; after an
 * interrupted one nothing is swept and another resync follows.  Routes are
 * swept by key (table, prefix, tos, metric, type, first nexthop) through
 * fib_route_remove_if(), and only when the alias count says something is
 * stale.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/netconf.h>

#include "rtcache/array.h"
#include "netlink/nl_internal.h"

/* ------------------------------------------------------------------ */
/* Key sets.                                                           */

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static int
nl_keyset_grow(struct nl_keyset *s)
{
	size_t ncap = s->cap ? s->cap * 2 : 64, i;
	uint64_t *nk = calloc(ncap, sizeof(*nk));

	if (nk == NULL)
		return -ENOMEM;
	for (i = 0; i < s->cap; i++) {
		size_t j;

		if (s->keys[i] == 0)
			continue;
		for (j = mix64(s->keys[i]) & (ncap - 1); nk[j] != 0;
		    j = (j + 1) & (ncap - 1))
			;
		nk[j] = s->keys[i];
	}
	free(s->keys);
	s->keys = nk;
	s->cap = ncap;
	return 0;
}

int
nl_keyset_add(struct nl_keyset *s, uint64_t key)
{
	size_t j;

	if (key == 0)
		key = 1;
	if ((s->n + 1) * 2 > s->cap && nl_keyset_grow(s) < 0)
		return -ENOMEM;
	for (j = mix64(key) & (s->cap - 1); s->keys[j] != 0;
	    j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == key)
			return 0;
	s->keys[j] = key;
	s->n++;
	return 1;
}

int
nl_keyset_has(const struct nl_keyset *s, uint64_t key)
{
	size_t j;

	if (key == 0)
		key = 1;
	if (s->cap == 0)
		return 0;
	for (j = mix64(key) & (s->cap - 1); s->keys[j] != 0;
	    j = (j + 1) & (s->cap - 1))
		if (s->keys[j] == key)
			return 1;
	return 0;
}

/* Deletion with backward shift, so lookups need no tombstones. */
int
nl_keyset_del(struct nl_keyset *s, uint64_t key)
{
	size_t j, k, mask = s->cap - 1;

	if (key == 0)
		key = 1;
	if (s->cap == 0)
		return 0;
	for (j = mix64(key) & mask; s->keys[j] != key; j = (j + 1) & mask)
		if (s->keys[j] == 0)
			return 0;
	s->keys[j] = 0;
	s->n--;
	for (k = (j + 1) & mask; s->keys[k] != 0; k = (k + 1) & mask) {
		size_t home = mix64(s->keys[k]) & mask;

		/* Move k back to j if j lies cyclically in [home, k). */
		if (((k - home) & mask) >= ((k - j) & mask)) {
			s->keys[j] = s->keys[k];
			s->keys[k] = 0;
			j = k;
		}
	}
	return 1;
}

void
nl_keyset_free(struct nl_keyset *s)
{
	free(s->keys);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* Identities.                                                         */

/**
 * nl_route_key - the sweep identity of a route: table, prefix, tos,
 * metric, type and the first nexthop (id, or gateway and device).
 */
uint64_t
nl_route_key(const struct fib_config *c)
{
	uint32_t gw = c->fc_gw, table = c->fc_table ? c->fc_table :
	    RT_TABLE_MAIN;
	int oif = c->fc_oif;
	uint64_t h;

	if (c->fc_nh_id != 0) {
		gw = c->fc_nh_id;
		oif = -1;
	} else if (c->fc_nhs > 0) {
		gw = c->fc_mp[0].gw;
		oif = c->fc_mp[0].oif;
	}
	h = mix64(((uint64_t)table << 32) | ntohl(c->fc_dst));
	h = mix64(h ^ (((uint64_t)c->fc_dst_len << 48) |
	    ((uint64_t)c->fc_tos << 40) | ((uint64_t)c->fc_type << 32) |
	    c->fc_priority));
	h = mix64(h ^ (((uint64_t)gw << 32) | (uint32_t)oif));
	return h;
}

static int
str_eq(const char *a, const char *b)
{
	return strncmp(a, b, NETDEV_NAMSIZ) == 0;
}

/* Field-wise (structure padding is not compared). */
int
nl_rule_eq(const struct fib_rule_cfg *a, const struct fib_rule_cfg *b)
{
	return a->fields == b->fields && a->pref == b->pref &&
	    a->action == b->action && a->tos == b->tos &&
	    a->src_len == b->src_len && a->dst_len == b->dst_len &&
	    a->src == b->src && a->dst == b->dst && a->table == b->table &&
	    a->target == b->target && a->flags == b->flags &&
	    a->mark == b->mark && a->mark_mask == b->mark_mask &&
	    str_eq(a->iifname, b->iifname) && str_eq(a->oifname, b->oifname) &&
	    a->ip_proto == b->ip_proto && a->protocol == b->protocol &&
	    a->sport_lo == b->sport_lo && a->sport_hi == b->sport_hi &&
	    a->dport_lo == b->dport_lo && a->dport_hi == b->dport_hi &&
	    a->sport_mask == b->sport_mask && a->dport_mask == b->dport_mask &&
	    a->uid_lo == b->uid_lo && a->uid_hi == b->uid_hi &&
	    a->suppress_prefixlen == b->suppress_prefixlen &&
	    a->suppress_ifgroup == b->suppress_ifgroup &&
	    a->tclassid == b->tclassid && a->tun_id == b->tun_id &&
	    a->l3mdev == b->l3mdev;
}

static int
rules_push(struct nl_rules *l, const struct fib_rule_cfg *r)
{
	if (array_reserve(&l->r, &l->cap, l->n, sizeof(*l->r), 16) < 0)
		return -ENOMEM;
	l->r[l->n++] = *r;
	return 0;
}

static int
rules_remove(struct nl_rules *l, const struct fib_rule_cfg *r)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (nl_rule_eq(&l->r[i], r)) {
			memmove(&l->r[i], &l->r[i + 1],
			    (l->n - i - 1) * sizeof(*l->r));
			l->n--;
			return 1;
		}
	return 0;
}

static void
rules_free(struct nl_rules *l)
{
	free(l->r);
	memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------------------------ */
/* Applying one object.                                                */

static int
ok_if(int rv, int e1, int e2)
{
	return (rv == -e1 || rv == -e2) ? 0 : rv;
}

/*
 * Device settings.  A device's come whole with each RTM_NEWLINK
 * (IFLA_INET_CONF), some with each netconf message, and all of them
 * from the poll of nl_sysctl.c; conf/all and conf/default from netconf
 * and the poll.  A netconf message for a device not announced yet is
 * kept for its RTM_NEWLINK (the kernel sends it first).
 */

/* The values @c carries into @to: 1 when one changed. */
static int
conf_merge(struct netdev_conf *to, const struct nl_conf *c)
{
	struct netdev_conf v = *to;
	size_t i;

	for (i = 0; i < NL_CONF_NFIELDS; i++)
		if (c->present & (1U << i))
			memcpy((char *)&v + nl_conf_fields[i].off,
			    (const char *)&c->v + nl_conf_fields[i].off,
			    sizeof(int));
	return netdev_conf_store(to, &v);
}

/**
 * nl_conf_apply - settings of a device, or of all or default
 * (NETCONFA_IFINDEX_*).
 * Return: 1 when a value changed, 0, -ENODEV for a device not known.
 */
int
nl_conf_apply(int ifindex, const struct nl_conf *c)
{
	struct net_device *dev;

	if (ifindex == NETCONFA_IFINDEX_ALL)
		return conf_merge(netdev_conf_all(), c);
	if (ifindex == NETCONFA_IFINDEX_DEFAULT)
		return conf_merge(netdev_conf_default(), c);
	if ((dev = netdev_get_by_index(ifindex)) == NULL)
		return -ENODEV;
	return conf_merge(&dev->cnf, c);
}

static void
early_conf_keep(struct mirror *m, const struct nl_netconf *c)
{
	unsigned int i;

	for (i = 0; i < m->n_early_conf; i++)
		if (m->early_conf[i].ifindex == c->ifindex)
			break;
	if (i == m->n_early_conf) {
		if (m->n_early_conf == NL_EARLY_CONF)
			memmove(&m->early_conf[0], &m->early_conf[1],
			    --m->n_early_conf * sizeof(*c));
		i = m->n_early_conf++;
		memset(&m->early_conf[i], 0, sizeof(*c));
		m->early_conf[i].ifindex = c->ifindex;
	}
	m->early_conf[i].conf.present |= c->conf.present;
	conf_merge(&m->early_conf[i].conf.v, &c->conf);
}

static void
apply_early_conf(struct mirror *m, int ifindex)
{
	unsigned int i;

	for (i = 0; i < m->n_early_conf; i++)
		if (m->early_conf[i].ifindex == ifindex) {
			struct nl_netconf c = m->early_conf[i];

			memmove(&m->early_conf[i], &m->early_conf[i + 1],
			    (m->n_early_conf - i - 1) * sizeof(c));
			m->n_early_conf--;
			nl_conf_apply(ifindex, &c.conf);
			return;
		}
}

/*
 * A netconf message.  One for conf/default may have changed every
 * device that never had that setting written (devinet_copy_dflt_conf
 * tells only of default): the devices are read again after the batch.
 */
static int
apply_netconf(struct mirror *m, const struct nl_netconf *c)
{
	int rv = nl_conf_apply(c->ifindex, &c->conf);

	if (rv > 0 && c->ifindex == NETCONFA_IFINDEX_DEFAULT)
		m->conf_reread = 1;
	else if (rv == -ENODEV)
		early_conf_keep(m, c);
	return 0;
}

/*
 * Whether the link is a VRF, and of which table: lookups of its members
 * change with it, so cached answers go (fib_link_set bumped the
 * generation before this was written).
 */
static int
apply_link_vrf(const struct nl_link *l)
{
	int rv = netdev_link_set_vrf(l->ifindex, l->vrf_table);

	if (rv > 0)
		fib_bump_genid();
	return rv < 0 ? rv : 0;
}

static int
apply_link(struct mirror *m, const struct nl_msg *msg, enum nl_mode mode)
{
	const struct nl_link *l = &msg->u.link;
	struct net_device *dev;
	int rv;

	/* Carrier loss and rules naming devices are the FIB's business
	 * (fib_link_set, fib_link_del). */
	if (msg->del)
		return ok_if(fib_link_del(l->ifindex), ENODEV, ENOENT);
	/* A name held by another index: that device is gone (a lost
	 * RTM_DELLINK, or a new device of the same name). */
	dev = netdev_get_by_name(l->name);
	if (dev != NULL && dev->ifindex != l->ifindex)
		fib_link_del(dev->ifindex);
	rv = fib_link_set(l->ifindex, l->name, l->flags, l->master, 0);
	if (rv == 0 && m->n_early_conf > 0)
		apply_early_conf(m, l->ifindex);
	if (rv == 0)
		nl_conf_apply(l->ifindex, &l->conf);	/* newer than those */
	if (rv == 0 && l->has_group)
		rv = netdev_link_set_group(l->ifindex, l->group);
	if (rv == 0 && l->mtu != 0)
		rv = netdev_link_set_mtu(l->ifindex, l->mtu);
	if (rv == 0)
		rv = apply_link_vrf(l);
	if (rv == 0 && mode == NLM_DUMP && m->sync != NULL) {
		struct nl_sync *s = m->sync;

		if (array_reserve(&s->links, &s->caplinks, s->nlinks,
		    sizeof(*s->links), 32) < 0)
			return -ENOMEM;
		s->links[s->nlinks++] = l->ifindex;
	}
	return rv;
}

static int
apply_addr(struct mirror *m, const struct nl_msg *msg, enum nl_mode mode)
{
	const struct nl_addr *a = &msg->u.addr;
	int rv;

	if (msg->del)
		return ok_if(fib_addr_del(a->ifindex, a->local, a->address,
		    a->prefixlen, 0), EADDRNOTAVAIL, ENOENT);
	rv = ok_if(fib_addr_add_peer(a->ifindex, a->local, a->address,
	    a->prefixlen, a->broadcast, a->scope, 0), EEXIST, EEXIST);
	if (rv == 0 && mode == NLM_DUMP && m->sync != NULL) {
		struct nl_sync *s = m->sync;

		if (array_reserve(&s->addrs, &s->capaddrs, s->naddrs,
		    sizeof(*s->addrs), 32) < 0)
			return -ENOMEM;
		s->addrs[s->naddrs++] = (struct nl_addr_key){ a->ifindex,
		    a->local, a->address, a->prefixlen };
	}
	return rv;
}

/* A dumped route: counted, and recorded for the sweep of a resync. */
static void
dump_route_seen(struct mirror *m, const struct fib_config *cfg)
{
	struct nl_sync *s = m->sync;
	uint64_t key;

	m->st.routes++;
	if (!m->first_done && (s->nsynth == 0 ||
	    cfg->fc_protocol != RTPROT_KERNEL))
		return;	/* not one of nl_sync_prefix_routes() */
	key = nl_route_key(cfg);
	if (nl_keyset_has(&s->synth_keys, key))
		nl_keyset_add(&s->synth_seen, key);
	/* nothing is swept after the first sync: no record needed */
	if (m->first_done && nl_keyset_add(&s->route_seen, key) < 0)
		s->routes_clean = 0;
}

static int
apply_route(struct mirror *m, struct nl_msg *msg, enum nl_mode mode)
{
	struct fib_config *c = &msg->u.route, cfg;
	int rv;

	if (msg->del)
		return ok_if(fib_route_del(c), ESRCH, ENOENT);
	if (mode == NLM_DUMP) {
		/* Dump order is the kernel's alias order: append, or move
		 * one there already (nl_sync_prefix_routes) to the end */
		c->fc_nlflags = NLM_F_CREATE | NLM_F_APPEND;
		rv = fib_route_add(c);
		if (rv == -EEXIST)
			rv = ok_if(fib_route_move_last(c), ESRCH, ESRCH);
		if (rv == 0 && m->sync != NULL)
			dump_route_seen(m, c);
		return rv;
	}
	cfg = *c;
	switch (mode) {
	case NLM_LIVE:
		rv = fib_route_add(&cfg);
		if (rv == -EEXIST && (cfg.fc_nlflags & NLM_F_EXCL)) {
			/* Only after a divergence: keep it as an upsert. */
			cfg.fc_nlflags &= ~NLM_F_EXCL;
			rv = fib_route_add(&cfg);
		}
		return ok_if(rv, EEXIST, EEXIST);
	case NLM_REPLAY:
		if (!(cfg.fc_nlflags & NLM_F_REPLACE))
			cfg.fc_nlflags = NLM_F_CREATE |
			    (cfg.fc_nlflags & NLM_F_APPEND);
		return ok_if(fib_route_add(&cfg), EEXIST, EEXIST);
	default:
		return -EINVAL;
	}
}

/* Is the FIB's nexthop @id already what @cfg describes? */
static int
nh_same(const struct fib_nexthop_cfg *cfg)
{
	const struct nexthop *nh = fib_nexthop_get(cfg->id);
	int i;

	if (nh == NULL || nh->blackhole != cfg->blackhole ||
	    nh->is_group != (cfg->ngrp > 0))
		return 0;
	if (nh->is_group) {
		if (nh->num_nh != cfg->ngrp ||
		    nh->resilient != cfg->resilient ||
		    nh->res_buckets != cfg->res_buckets ||
		    nh->res_idle_timer != cfg->res_idle_timer ||
		    nh->res_unbalanced_timer != cfg->res_unbalanced_timer)
			return 0;
		for (i = 0; i < cfg->ngrp; i++)
			if (nh->grp[i].nh->id != cfg->grp[i].id ||
			    nh->grp[i].weight != cfg->grp[i].weight)
				return 0;
		return 1;
	}
	return nh->blackhole || (nh->nh.nh_gw == cfg->gw &&
	    nh->nh.nh_oif == cfg->oif);
}

static int
apply_nexthop(struct mirror *m, const struct nl_msg *msg, enum nl_mode mode)
{
	struct fib_nexthop_cfg nh = msg->u.nh;
	struct nl_sync *s = m->sync;
	int rv;

	if (msg->del) {
		nl_keyset_del(&m->nh_ids, nh.id);
		return ok_if(fib_nexthop_del(nh.id), ENOENT, ESRCH);
	}
	if (s != NULL && mode == NLM_DUMP) {
		nl_keyset_add(&s->nh_seen, nh.id);
		if (nh.ngrp > 0) {
			/* A group may come before its members. */
			if (array_reserve(&s->groups, &s->capgroups, s->ngroups,
			    sizeof(*s->groups), 8) < 0)
				return -ENOMEM;
			s->groups[s->ngroups++] = nh;
			return 0;
		}
	}
	if (mode != NLM_LIVE)
		nh.nlflags |= NLM_F_CREATE;
	if (nh_same(&nh)) {
		nl_keyset_add(&m->nh_ids, nh.id);
		return 0;	/* a dump or replay of what is there */
	}
	/* what the kernel announces is what it holds: replace in place, or
	 * create (fib_nexthop_add creates an absent id even with REPLACE) */
	nh.nlflags |= NLM_F_REPLACE;
	rv = fib_nexthop_add(&nh);
	if (rv == 0)
		nl_keyset_add(&m->nh_ids, nh.id);
	return rv;
}

static int
apply_rule(struct mirror *m, const struct nl_msg *msg, enum nl_mode mode)
{
	const struct fib_rule_cfg *r = &msg->u.rule;
	int rv;

	if (mode == NLM_DUMP && m->sync != NULL)
		return rules_push(&m->sync->rules, r);
	/* any change, a default rule's too, unmerges the kernel's tables
	 * (fib4_rule_configure, fib4_rule_delete); ask it after the batch
	 * too (nl_ask_custom_rules) */
	fib_rules_set_custom();
	m->rules_ask = 1;
	if (msg->del) {
		if (!rules_remove(&m->rules, r) && mode == NLM_REPLAY)
			return 0;
		/* the notification is the whole rule: remove that one */
		return ok_if(fib_rule_del_exact(r), ENOENT, ESRCH);
	}
	if ((rv = fib_rule_add(r)) == 0)
		rv = rules_push(&m->rules, r);
	return rv;
}

/**
 * nl_apply - apply one parsed object.
 * Return: 0, or the FIB's -errno (the caller counts and logs it).
 */
int
nl_apply(struct mirror *m, struct nl_msg *msg, enum nl_mode mode)
{
	switch (msg->kind) {
	case NLK_LINK:		return apply_link(m, msg, mode);
	case NLK_ADDR:		return apply_addr(m, msg, mode);
	case NLK_NETCONF:
		/* a device's settings go with its RTM_DELLINK */
		return msg->del ? 0 : apply_netconf(m, &msg->u.conf);
	case NLK_ROUTE:		return apply_route(m, msg, mode);
	case NLK_NEXTHOP:	return apply_nexthop(m, msg, mode);
	case NLK_RULE:		return apply_rule(m, msg, mode);
	default:		return 0;
	}
}

static const char *
kind_str(enum nl_kind k)
{
	static const char *const names[] = { "none", "link", "address",
	    "route", "rule", "nexthop", "netconf" };

	return (unsigned int)k < sizeof(names) / sizeof(names[0]) ?
	    names[k] : "?";
}

/*
 * Errors a dump entry gets when something it needs comes later in the
 * dumps: a gateway reachable only through a route not yet dumped (the
 * FIB checks nexthops as the kernel does at insert time), a nexthop id
 * or group member not yet there.
 */
static int
nl_order_error(int rv)
{
	return rv == -ENETUNREACH || rv == -EINVAL || rv == -ENODEV ||
	    rv == -ENOENT || rv == -ESRCH || rv == -EHOSTUNREACH;
}

/**
 * nl_apply_nlh - parse and apply one message, counting the outcome.
 * Return: 1 applied, 0 ignored or refused (counted and logged).
 */
int
nl_apply_nlh(struct mirror *m, const struct nlmsghdr *nlh, enum nl_mode mode)
{
	static struct nl_msg msg;	/* one writer thread; ~3 KiB */
	int rv;

	m->st.messages++;
	rv = nl_parse_msg(nlh, &msg);
	if (rv < 0) {
		m->st.parse_errors++;
		nl_log_rl(LOG_WARNING, "netlink: message type %u len %u "
		    "rejected: %s", nlh->nlmsg_type, nlh->nlmsg_len,
		    nl_skip_str(rv));
		return 0;
	}
	if (rv > 0) {
		if (rv != NLS_CONTROL)
			m->st.ignored++;
		if (rv == NLS_UNSUPPORTED)
			nl_log_rl(LOG_INFO, "netlink: message type %u "
			    "ignored: %s", nlh->nlmsg_type, nl_skip_str(rv));
		return 0;
	}
	if (mode == NLM_REPLAY && msg.kind == NLK_RULE && m->sync != NULL &&
	    m->replay_pos < m->sync->rule_cut)
		return 0;	/* the rule dump already reflects it */
	if ((rv = nl_apply(m, &msg, mode)) < 0) {
		if (mode == NLM_DUMP && m->sync != NULL && !m->sync->retrying &&
		    nl_order_error(rv) &&
		    nl_pending_push(&m->sync->deferred, nlh, nlh->nlmsg_len) == 0)
			return 0;	/* retried once the dumps are in */
		m->st.apply_errors++;
		if (m->sync != NULL && m->sync->retrying == 1)
			return 0;	/* a retry pass: quiet */
		nl_log_rl(LOG_WARNING, "netlink: %s %s not applied: %s",
		    msg.del ? "delete" : "new", kind_str(msg.kind),
		    strerror(-rv));
		return 0;
	}
	if (mode != NLM_DUMP)
		m->st.events++;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Sync: begin, groups, rules, sweep.                                  */

void
nl_sync_begin(struct mirror *m, struct nl_sync *s)
{
	memset(s, 0, sizeof(*s));
	s->links_clean = s->addrs_clean = s->nh_clean = 1;
	s->routes_clean = s->rules_clean = 1;
	m->sync = s;
	m->st.routes = 0;
}

/* Groups last: their members are all in by now. */
void
nl_sync_apply_groups(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	size_t i, kept = 0;

	for (i = 0; i < s->ngroups; i++) {
		struct fib_nexthop_cfg nh = s->groups[i];
		int rv;

		nh.nlflags |= NLM_F_CREATE;
		if (nh_same(&nh))
			rv = 0;
		else if ((rv = fib_nexthop_add(&nh)) == -EEXIST) {
			nh.nlflags |= NLM_F_REPLACE;
			rv = fib_nexthop_add(&nh);
		}
		if (rv == 0) {
			nl_keyset_add(&m->nh_ids, nh.id);
			continue;
		}
		if (s->retrying != 2) {
			s->groups[kept++] = s->groups[i];	/* later */
			continue;
		}
		m->st.apply_errors++;
		nl_log_rl(LOG_WARNING, "netlink: nexthop group %u: %s",
		    nh.id, strerror(-rv));
	}
	s->ngroups = kept;
}

/*
 * nl_sync_retry_deferred - apply the dump entries that failed for want
 * of something dumped later, in passes while a pass makes progress.
 */
void
nl_sync_retry_deferred(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	struct nl_pending *d = &s->deferred;
	uint64_t before;
	size_t off, left = d->count + s->ngroups, prev;

	s->retrying = 1;
	do {
		prev = left;
		left = 0;
		nl_sync_apply_groups(m);
		left += s->ngroups;
		for (off = 0; off < d->len; ) {
			uint32_t l;
			struct nlmsghdr *nlh;

			memcpy(&l, d->buf + off, sizeof(l));
			nlh = (struct nlmsghdr *)(d->buf + off + sizeof(l));
			off += sizeof(l) + NLMSG_ALIGN(l);
			if (nlh->nlmsg_type == NLMSG_NOOP)
				continue;	/* done in an earlier pass */
			before = m->st.apply_errors;
			m->st.messages--;
			if (nl_apply_nlh(m, nlh, NLM_DUMP) == 1)
				nlh->nlmsg_type = NLMSG_NOOP;
			else if (m->st.apply_errors != before) {
				m->st.apply_errors = before;
				left++;
			}
		}
	} while (left > 0 && left < prev);
	if (left > 0) {
		/* The last pass: count and log what still fails. */
		s->retrying = 2;
		nl_sync_apply_groups(m);
		for (off = 0; off < d->len; ) {
			uint32_t l;
			struct nlmsghdr *nlh;

			memcpy(&l, d->buf + off, sizeof(l));
			nlh = (struct nlmsghdr *)(d->buf + off + sizeof(l));
			off += sizeof(l) + NLMSG_ALIGN(l);
			if (nlh->nlmsg_type != NLMSG_NOOP) {
				m->st.messages--;
				nl_apply_nlh(m, nlh, NLM_DUMP);
			}
		}
	}
	s->ngroups = 0;
	free(d->buf);
	memset(d, 0, sizeof(*d));
	s->retrying = 0;
}

/* The kernel's three default rules, which fib_init() installs too. */
static void
default_rule(struct fib_rule_cfg *r, uint32_t pref, uint32_t table)
{
	fib_rule_cfg_init(r);
	r->fields = FIB_RULE_HAS_PREF | FIB_RULE_HAS_TABLE;
	r->pref = pref;
	r->action = FR_ACT_TO_TBL;
	r->table = table;
}

/*
 * nl_sync_rules - make the FIB's rules the dumped multiset.  The first
 * time the FIB holds only its defaults: remove them and add the dump in
 * order.  Later, diff against the shadow list: remove what the dump lacks,
 * add what the FIB lacks.
 */
void
nl_sync_rules(struct mirror *m)
{
	struct nl_rules *d = &m->sync->rules, old = m->rules;
	struct fib_rule_cfg r;
	size_t i;
	int rv;

	if (!m->sync->rules_clean)
		return;
	memset(&m->rules, 0, sizeof(m->rules));
	if (!m->first_done) {
		fib_rules_flush();
		default_rule(&r, 0, RT_TABLE_LOCAL);
		fib_rule_del(&r);
		default_rule(&r, 32766, RT_TABLE_MAIN);
		fib_rule_del(&r);
		default_rule(&r, 32767, RT_TABLE_DEFAULT);
		fib_rule_del(&r);
		rules_free(&old);
	}
	/* old - dump: delete; remember dump - old: add. */
	for (i = 0; i < old.n; i++) {
		size_t j;
		int found = 0;

		for (j = 0; j < d->n; j++)
			if (nl_rule_eq(&old.r[i], &d->r[j])) {
				found = 1;
				break;
			}
		if (found) {
			memmove(&d->r[j], &d->r[j + 1],
			    (d->n - j - 1) * sizeof(*d->r));
			d->n--;
			rules_push(&m->rules, &old.r[i]);
			continue;
		}
		fib_rule_del_exact(&old.r[i]);
		m->st.swept++;
	}
	for (i = 0; i < d->n; i++) {
		if ((rv = fib_rule_add(&d->r[i])) < 0) {
			m->st.apply_errors++;
			nl_log_rl(LOG_WARNING, "netlink: rule pref %u: %s",
			    d->r[i].pref, strerror(-rv));
			continue;
		}
		rules_push(&m->rules, &d->r[i]);
	}
	rules_free(&old);
	/* a default rule missing: one was deleted before we looked */
	if (!fib_rules_are_defaults())
		fib_rules_set_custom();
}

static int
link_seen(const struct nl_sync *s, int ifindex)
{
	size_t i;

	for (i = 0; i < s->nlinks; i++)
		if (s->links[i] == ifindex)
			return 1;
	return 0;
}

static int
addr_seen(const struct nl_sync *s, const struct in_ifaddr *ifa)
{
	size_t i;

	for (i = 0; i < s->naddrs; i++)
		if (s->addrs[i].ifindex == ifa->ifa_ifindex &&
		    s->addrs[i].local == ifa->ifa_local &&
		    s->addrs[i].address == ifa->ifa_address &&
		    s->addrs[i].prefixlen == ifa->ifa_prefixlen)
			return 1;
	return 0;
}

static void
sweep_links_addrs(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	struct net_device *dev;
	struct in_ifaddr *ifa;
	struct nl_addr_key *gone = NULL;
	int *gonel = NULL;
	size_t ngone = 0, nl = 0, i;

	for (dev = netdev_first(); dev != NULL; dev = dev->dev_next) {
		if (s->links_clean && !link_seen(s, dev->ifindex)) {
			int *n = realloc(gonel, (nl + 1) * sizeof(*n));

			if (n == NULL)
				break;
			gonel = n;
			gonel[nl++] = dev->ifindex;
			continue;
		}
		if (!s->addrs_clean)
			continue;
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa)) {
			struct nl_addr_key *n;

			if (addr_seen(s, ifa))
				continue;
			if ((n = realloc(gone, (ngone + 1) *
			    sizeof(*n))) == NULL)
				break;
			gone = n;
			gone[ngone++] = (struct nl_addr_key){ dev->ifindex,
			    ifa->ifa_local, ifa->ifa_address, ifa->ifa_prefixlen };
		}
	}
	for (i = 0; i < ngone; i++) {
		fib_addr_del(gone[i].ifindex, gone[i].local, gone[i].address,
		    gone[i].prefixlen, 0);
		m->st.swept++;
	}
	for (i = 0; i < nl; i++) {
		fib_link_del(gonel[i]);
		m->st.swept++;
	}
	free(gone);
	free(gonel);
}

static void
sweep_nexthops(struct mirror *m)
{
	struct nl_keyset *ids = &m->nh_ids;
	uint64_t *stale;
	size_t n = 0, i;

	if ((stale = calloc(ids->n + 1, sizeof(*stale))) == NULL)
		return;
	for (i = 0; i < ids->cap; i++)
		if (ids->keys[i] != 0 &&
		    !nl_keyset_has(&m->sync->nh_seen, ids->keys[i]))
			stale[n++] = ids->keys[i];
	for (i = 0; i < n; i++) {
		/* the FIB may have dropped it already (carrier loss) */
		if (fib_nexthop_del((uint32_t)stale[i]) == 0)
			m->st.swept++;
		nl_keyset_del(ids, stale[i]);
	}
	free(stale);
}

static int
route_stale(const struct fib_config *cfg, void *arg)
{
	const struct mirror *m = arg;

	return !nl_keyset_has(&m->sync->route_seen, nl_route_key(cfg));
}

/*
 * Route sweep.  The dumps upserted everything they held, so when the FIB
 * holds no more aliases than distinct dumped keys nothing is stale.
 * Otherwise every route whose key no dump held is removed.
 */
static void
sweep_routes(struct mirror *m)
{
	struct fib_mem_stats ms;

	fib_mem_stats(&ms);
	if (ms.aliases <= m->sync->route_seen.n)
		return;
	m->st.swept += (uint64_t)fib_route_remove_if(route_stale, m);
}

static void
synth_route_add(struct nl_sync *s, const struct fib_config *cfg)
{
	if (fib_route_add(cfg) != 0)
		return;	/* there already, or refused */
	if (array_reserve(&s->synth, &s->capsynth, s->nsynth, sizeof(*s->synth),
	    16) < 0) {
		fib_route_del(cfg);
		return;
	}
	s->synth[s->nsynth++] = *cfg;
	nl_keyset_add(&s->synth_keys, nl_route_key(cfg));
}

/*
 * nl_sync_prefix_routes - before the route dump, put in the local and
 * prefix routes the kernel keeps for each address.  Routes via a
 * gateway need the connected route to be there (the FIB checks nexthops
 * as the kernel does at insert time), and the connected route's prefsrc
 * needs the local route; the dump lists table main before table local,
 * and prefixes in order, so without this most of a full table would wait
 * for 198.18.0.0/24 or its like and be applied twice.  The dump stays
 * the truth: one of these it does not list is removed again by
 * nl_sync_prefix_routes_done().
 */
void
nl_sync_prefix_routes(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	struct net_device *dev;
	struct in_ifaddr *ifa;
	struct fib_config cfg;
	int pass;

	for (pass = 0; pass < 2; pass++)
	for (dev = netdev_first(); dev != NULL; dev = dev->dev_next) {
		if (dev->master != 0 || netif_is_l3_master(dev) ||
		    !netdev_is_up(dev))
			continue;	/* VRF tables, dead routes: skip */
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa)) {
			const struct in_ifaddr *prim =
			    netdev_ifa_primary(dev, ifa);

			fib_config_init(&cfg);
			cfg.fc_protocol = RTPROT_KERNEL;
			/* a secondary's routes take its primary as source */
			cfg.fc_prefsrc = (prim != NULL ? prim : ifa)->ifa_local;
			cfg.fc_oif = dev->ifindex;
			cfg.fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
			if (pass == 0) {
				/* local ADDR dev D table local scope host */
				cfg.fc_dst = ifa->ifa_local;
				cfg.fc_dst_len = 32;
				cfg.fc_table = RT_TABLE_LOCAL;
				cfg.fc_type = RTN_LOCAL;
				cfg.fc_scope = RT_SCOPE_HOST;
				synth_route_add(s, &cfg);
				continue;
			}
			if (ifa->ifa_prefixlen >= 31 ||
			    (ifa->ifa_flags & NETDEV_IFA_SECONDARY) ||
			    (netdev_flags(dev) & NETDEV_F_LOOPBACK))
				continue;
			cfg.fc_dst = ifa->ifa_address & ifa->ifa_mask;
			cfg.fc_dst_len = ifa->ifa_prefixlen;
			cfg.fc_table = RT_TABLE_MAIN;
			cfg.fc_type = RTN_UNICAST;
			cfg.fc_scope = RT_SCOPE_LINK;
			synth_route_add(s, &cfg);
		}
	}
}

void
nl_sync_prefix_routes_done(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	size_t i;

	for (i = 0; i < s->nsynth; i++)
		if (!nl_keyset_has(&s->synth_seen, nl_route_key(&s->synth[i])))
			fib_route_del(&s->synth[i]);
	s->nsynth = 0;
}

/* After the dumps of a resync, before the buffered events replay. */
void
nl_sync_sweep(struct mirror *m)
{
	struct nl_sync *s = m->sync;

	if (s->nh_clean)
		sweep_nexthops(m);
	if (s->routes_clean)
		sweep_routes(m);
	if (s->links_clean || s->addrs_clean)
		sweep_links_addrs(m);
}

void
nl_sync_end(struct mirror *m)
{
	struct nl_sync *s = m->sync;

	if (s == NULL)
		return;
	free(s->links);
	free(s->addrs);
	free(s->groups);
	free(s->deferred.buf);
	free(s->synth);
	nl_keyset_free(&s->synth_keys);
	nl_keyset_free(&s->synth_seen);
	nl_keyset_free(&s->nh_seen);
	nl_keyset_free(&s->route_seen);
	rules_free(&s->rules);
	m->sync = NULL;
}

void
nl_mirror_clear(struct mirror *m)
{
	rules_free(&m->rules);
	nl_keyset_free(&m->nh_ids);
}
