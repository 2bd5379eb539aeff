/* SPDX-License-Identifier: MIT */
/*
 * fib_walk.c - the routes of the FIB read back as fib_configs: every
 * alias of every node of every zone, turned into what would add it again
 * (prefix, tos, type, scope, protocol, metric, prefsrc, table, nexthops
 * or nexthop id, metrics), to read or to remove by predicate.  The
 * netlink mirror sweeps a resync with it instead of parsing the text
 * listing.  Writer thread only; the callbacks must not change the FIB.
 */
#include <string.h>
#include <arpa/inet.h>

#include "fib/fib_internal.h"

static void
fib_alias_config(const struct fib_table *tb, const struct fib_node *fn,
    const struct fib_alias *fa, struct fib_config *cfg)
{
	const struct fib_info *fi = fa->fa_info;
	int i;

	memset(cfg, 0, offsetof(struct fib_config, fc_mp));
	cfg->fc_dst = htonl(fn->fn_key);
	cfg->fc_dst_len = fn->fn_plen;
	cfg->fc_tos = fa->fa_tos;
	cfg->fc_type = fa->fa_type;
	cfg->fc_scope = fa->fa_scope;
	cfg->fc_protocol = fi->fib_protocol;
	cfg->fc_priority = fi->fib_priority;
	cfg->fc_prefsrc = fi->fib_prefsrc;
	cfg->fc_table = tb->tb_id;
	cfg->fc_nlflags = NLM_F_CREATE | NLM_F_APPEND;
	cfg->fc_flags = fi->fib_flags & ~(RTNH_F_DEAD | RTNH_F_LINKDOWN);
	cfg->fc_mx_set = 0;
	for (i = 1; i <= RTAX_MAX; i++) {
		cfg->fc_metrics[i] = fi->fib_metrics[i - 1];
		if (fi->fib_metrics[i - 1] != 0)
			cfg->fc_mx_set |= 1U << i;
	}
	cfg->fc_metrics[0] = 0;
	if (fi->nh != NULL) {
		cfg->fc_nh_id = fi->nh->id;
		return;
	}
	if (fi->fib_nhs == 1) {
		const struct fib_nh *nh = &fi->fib_nh[0];

		cfg->fc_gw = nh->nh_gw;
		cfg->fc_oif = nh->nh_oif;
		cfg->fc_flags |= nh->nh_flags & RTNH_F_ONLINK;
		cfg->fc_flow = nh->nh_tclassid;
		return;
	}
	cfg->fc_nhs = fi->fib_nhs;
	for (i = 0; i < fi->fib_nhs && i < FIB_MAX_MP; i++) {
		const struct fib_nh *nh = &fi->fib_nh[i];

		cfg->fc_mp[i].gw = nh->nh_gw;
		cfg->fc_mp[i].oif = nh->nh_oif;
		cfg->fc_mp[i].weight = nh->nh_weight;
		cfg->fc_mp[i].flags = (uint8_t)(nh->nh_flags & RTNH_F_ONLINK);
		cfg->fc_mp[i].flow = nh->nh_tclassid;
	}
}

struct walk_ctx {
	fib_route_walk_fn	 fn;
	void			*arg;
};

static int
walk_cb(struct fib_table *tb, struct fn_zone *fz, struct fib_node *fn,
    struct fib_alias *fa, void *arg)
{
	const struct walk_ctx *w = arg;
	struct fib_config cfg;

	fib_alias_config(tb, fn, fa, &cfg);
	return w->fn(&cfg, w->arg);
}

/* Call @fn for every route of @tb; its first non-zero return stops. */
int
fn_table_walk(struct fib_table *tb, fib_route_walk_fn fn, void *arg)
{
	struct walk_ctx w = { fn, arg };

	return fn_table_for_each(tb, walk_cb, &w);
}

static int
remove_pred(const struct fib_table *tb, const struct fib_node *fn,
    const struct fib_alias *fa, const void *arg)
{
	const struct walk_ctx *w = arg;
	struct fib_config cfg;

	fib_alias_config(tb, fn, fa, &cfg);
	return w->fn(&cfg, w->arg) != 0;
}

/* Remove every route of @tb for which @pred says yes; count them. */
int
fn_table_remove_routes(struct fib_table *tb, fib_route_walk_fn pred,
    void *arg)
{
	struct walk_ctx w = { pred, arg };

	return fn_table_remove_if(tb, remove_pred, &w);
}
