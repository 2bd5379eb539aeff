/* SPDX-License-Identifier: MIT */
/*
 * fib_internal.h - fn_hash structures and the calls between src/fib
 * files (and white-box tests).  Nothing outside src/fib and tests/fib
 * includes this.
 */
#ifndef RTCACHE_FIB_INTERNAL_H
#define RTCACHE_FIB_INTERNAL_H

#include <stdint.h>

#include "rtcache/fib.h"
#include "rtcache/slab.h"
#include "base/rcu.h"

#define FA_EMB_FREE	0	/* fn_embedded_alias never used */
#define FA_EMB_USED	1	/* fn_embedded_alias is in the list */
#define FA_EMB_RETIRED	2	/* was used; readers may still see it */

/* One route: (prefix, tos, priority in fa_info, type, scope, fib_info). */
struct fib_alias {
	struct fib_alias *fa_next;	/* RCU list, sorted (1.5) */
	struct fib_info	*fa_info;
	uint8_t		 fa_tos;
	uint8_t		 fa_type;
	uint8_t		 fa_scope;
	uint8_t		 fa_state;
};

/* One prefix.  The first alias lives inside the node (fn_embedded_alias). */
struct fib_node {
	uint32_t	 fn_key;	/* masked prefix, host order */
	uint8_t		 fn_plen;
	uint8_t		 fn_emb;	/* FA_EMB_* */
	struct fib_alias *fn_alias;	/* RCU list head */
	struct fib_alias fn_embedded_alias;
};

/*
 * A zone's hash table: 64-byte buckets of five inline keys with their
 * nodes, so a probe reads one line.  A bucket that ever overflowed sends
 * the search on to the next bucket.  The table is replaced whole when the
 * zone grows; slots are reused in place (node pointer cleared first,
 * then set last).
 */
#define FZ_SLOTS	5
#define FZB_OVERFLOW	0x1

struct fz_bucket {
	uint32_t	 key[FZ_SLOTS];	/* host order */
	uint32_t	 flags;
	struct fib_node	*node[FZ_SLOTS];
} __attribute__((aligned(64)));

struct fz_table {
	uint32_t	 nbuckets;	/* power of two */
	uint32_t	 bmask;
	struct fz_bucket b[];
};

struct fn_zone {
	struct fn_zone	*fz_next;	/* next less specific zone (RCU) */
	struct fz_table	*fz_tab;	/* RCU */
	unsigned int	 fz_nent;	/* fib_nodes */
	unsigned int	 fz_divisor;	/* kernel-sized divisor (1.4) */
	uint8_t		 fz_order;
	uint32_t	 fz_mask;	/* host order */
};

/* Per-/16 summary (doc/design.md): lengths 17..32 present, best <=16. */
struct fn_summary {
	uint32_t	 lenmask;	/* bit (len - 17) */
	uint32_t	 pad;
	struct fib_node	*best;		/* longest prefix <= /16 covering it */
};

#define FN_BLOCKS	65536
#define FN_SUM_HUGE_NODES 16384	/* tb_sum on a huge page from here */

struct fib_table {
	struct fib_table *tb_next;	/* table hash chain (RCU) */
	uint32_t	 tb_id;
	unsigned int	 tb_nodes;
	unsigned int	 tb_aliases;
	struct fn_zone	*fn_zones[33];	/* RCU */
	struct fn_zone	*fn_zone_list;	/* longest first (RCU) */
	struct fn_summary *tb_sum;	/* FN_BLOCKS entries, calloc'd */
	uint32_t	*tb_sumcnt;	/* [block][16] counts for 17..32 */
};

/* fib_frontend.c */
extern struct kmem_cache *fib_node_cache, *fib_alias_cache;
/* fib_infos by nexthop count: 1, 2, 4, ... FIB_MAX_MP (a power of two) */
#define FIB_INFO_CLASSES	9
_Static_assert(1 << (FIB_INFO_CLASSES - 1) == FIB_MAX_MP,
    "a fib_info class for every leg count");
extern struct kmem_cache *fib_info_cache[FIB_INFO_CLASSES];
extern struct kmem_cache *nexthop_cache, *fib_rule_cache;
void	 fib_flush_nh(const struct nexthop *nh);
void	 fib_writer_done(void);

/* fib_frontend.c: the table ids in dump order; how many (may exceed @max) */
unsigned int fib_table_ids(uint32_t *ids, unsigned int max);

/* fib_hash.c */
struct fib_table *fn_table_alloc(uint32_t id);
void	 fn_table_free(struct fib_table *tb);
size_t	 fib_alias_ext_count(void);
typedef int (*fn_alias_fn)(struct fib_table *tb, struct fn_zone *fz,
	    struct fib_node *fn, struct fib_alias *fa, void *arg);
int	 fn_table_for_each(struct fib_table *tb, fn_alias_fn cb, void *arg);
typedef int (*fa_pred_t)(const struct fib_table *tb,
	    const struct fib_node *fn, const struct fib_alias *fa,
	    const void *arg);
int	 fn_table_remove_if(struct fib_table *tb, fa_pred_t pred,
	    const void *arg);
int	 fn_table_flush_dead(struct fib_table *tb, int all);
int	 fn_table_flush_nh(struct fib_table *tb, const struct nexthop *nh);
int	 fn_table_flush_prefsrc(struct fib_table *tb, uint32_t addr);
int	 fib_dump_alias(FILE *out, const struct fib_table *tb,
	    const struct fib_node *fn, const struct fib_alias *fa);
void	 fn_table_mem(struct fib_table *tb, struct fib_mem_stats *st);
struct fib_node *fn_zone_find(const struct fn_zone *fz, uint32_t key,
	    unsigned int *probes);
int	 fib_route_type_error(uint8_t type);

/* fib_semantics.c */
int	 fib_create_info(const struct fib_config *cfg, struct fib_info **fip);
void	 fib_release_info(struct fib_info *fi);
int	 fib_nh_match(const struct fib_config *cfg, const struct fib_info *fi);
int	 __fib_match_alias_nh(const struct fib_info *fi,
	    const struct flowi4 *fl4, struct fib_result *res);
void	 fib_rebalance(struct fib_info *fi);
void	 nh_group_rebalance(struct nexthop *nh);
int	 fib_sync_down_dev(const struct net_device *dev, int event, int force);
int	 fib_sync_up(const struct net_device *dev, unsigned int nh_flags);
void	 fib_nexthop_for_each(void (*fn)(const struct nexthop *nh, void *arg),
	    void *arg);
void	 fib_nexthops_dev_down(const struct net_device *dev);
/* nexthop_is_blackhole: a blackhole, or a group of one blackhole (the
 * only group a blackhole may be in). */
static inline int
nexthop_is_blackhole(const struct nexthop *nh)
{
	const struct nh_grp_entry *g;

	if (!nh->is_group)
		return nh->blackhole;
	g = rcu_dereference(((struct nexthop *)nh)->grp);
	return nh->num_nh == 1 && g != NULL && g[0].nh->blackhole;
}

/*
 * The kernel's fib_info_nhc(fi, 0): a route's first nexthop (a group's
 * first member), whichever leg a lookup chose.  NULL for none.
 */
static inline const struct fib_nh *
fib_info_nhc0(const struct fib_info *fi)
{
	const struct nh_grp_entry *g;

	if (fi == NULL)
		return NULL;
	if (fi->nh == NULL)
		return fi->fib_nhs > 0 ? &fi->fib_nh[0] : NULL;
	if (!fi->nh->is_group)
		return &fi->nh->nh;
	g = rcu_dereference(((struct nexthop *)fi->nh)->grp);
	return g != NULL && fi->nh->num_nh > 0 ? &g[0].nh->nh : NULL;
}
void	 fib_nexthops_free_all(void);
void	 fib_info_walk(void (*fn)(struct fib_info *, void *), void *arg);
/*
 * A lookup that leaves some lengths out: in the kernel's merged trie a
 * nexthop object that does not fit the flow ends its node, the other
 * table's routes of that prefix and the shorter ones of the same key
 * (fib_table_lookup's `goto miss`).  @below: lengths under it are
 * tried (33: all); @miss: the longest length such a node was at, 33 if
 * none.  fib_table_lookup_bounded takes @below and gives both.
 */
struct fib_bound {
	unsigned int	 below;
	unsigned int	 miss;
};
int	 fib_table_lookup_bounded(struct fib_table *tb,
	    const struct flowi4 *fl4, struct fib_result *res,
	    struct fib_bound *b);
/* fib_semantics.c: what fib_sync_settle does for one route's fib_info */
unsigned int fib_info_settle_gateways(struct fib_info *fi, uint32_t tb_id);
unsigned int fib_nexthops_settle_gateways(void);
/* tables local and main as one, whether or not they are (fib_frontend.c) */
int	 fib_merged_lookup(const struct flowi4 *fl4, struct fib_result *res);
size_t	 fib_info_size(int nhs);
void	 fib_info_hash_free(void);
unsigned int fib_info_count(void);
size_t	 fib_info_bytes(void);

/*
 * fib_match_alias_nh - the first usable nexthop of @fi for the flow: 0
 * (res->nhc, res->nh_sel set), or -1 when none.  The case of nearly
 * every route (one classic nexthop, up, no device asked for) is answered
 * here, inline in the lookup; the rest in __fib_match_alias_nh.
 */
static inline int
fib_match_alias_nh(const struct fib_info *fi, const struct flowi4 *fl4,
    struct fib_result *res)
{
	if (fi->nh == NULL && fi->fib_nhs == 1 && fl4->flowi4_oif == 0 &&
	    !(READ_ONCE(fi->fib_nh[0].nh_flags) &
	    (RTNH_F_DEAD | RTNH_F_LINKDOWN))) {
		res->nhc = &fi->fib_nh[0];
		res->nh_sel = 0;
		return 0;
	}
	return __fib_match_alias_nh(fi, fl4, res);
}

/* fib_walk.c: the routes of a table as fib_configs */
int	 fn_table_walk(struct fib_table *tb, fib_route_walk_fn fn, void *arg);
int	 fn_table_remove_routes(struct fib_table *tb, fib_route_walk_fn pred,
	    void *arg);

/* fib_mp.c */
void	 fib_mp_count(int delta);
void	 fib_mp_select_hashed(struct fib_result *res, const struct flowi4 *fl4);
unsigned int fib_mp_key_fields(void);
void	 fib_mp_exit(void);

/* fib_rules.c */
void	 fib_key_fields_update(void);
int	 fib_rules_init(void);
void	 fib_rules_exit(void);
int	 fib_rules_lookup(const struct flowi4 *fl4, struct fib_result *res);
/* Rules naming devices re-resolved (fib_link_set/del call it). */
void	 fib_rules_dev_event(void);
/* inet_addr_type_table: RTN_LOCAL, RTN_BROADCAST, ... in table @id. */
int	 fib_addr_type_table(uint32_t addr, uint32_t id);

#define FIB_EV_DOWN		1
#define FIB_EV_UNREGISTER	2
#define FIB_EV_CHANGE		3

#endif /* RTCACHE_FIB_INTERNAL_H */
