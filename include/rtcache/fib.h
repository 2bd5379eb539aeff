/* SPDX-License-Identifier: MIT */
/*
 * rtcache/fib.h - the IPv4 FIB: tables, routes, nexthop objects and
 * policy rules, with the running kernel's lookup answers.
 *
 * The structure is the Linux 2.6 fn_hash FIB: a fib_table per 32-bit id,
 * one fn_zone per prefix length, fib_nodes per prefix holding an ordered
 * list of fib_aliases that share fib_infos.  The answers (error codes,
 * tos and metric order, multipath by hash-threshold, linkdown, prefsrc)
 * are those of a modern kernel.  A per-/16 summary beside the zones keeps
 * lookups at one or two zone probes.
 *
 * Concurrency: one writer thread calls everything that changes state
 * (every function returning -errno below except the lookups); any number
 * of reader threads call fib_lookup(), fib_table_lookup() and read the
 * objects a result points to, inside a liburcu QSBR read-side section
 * (the thread is registered and online; it calls fib_rcu_quiescent(), or
 * rcu_quiescent_state(), between lookups, never while holding a result).
 * The writer thread must be registered with rcu_register_thread() too
 * (it may stay offline).  Replaced objects are freed after a grace
 * period through call_rcu.  Every change bumps fib_genid().
 *
 * Addresses are in network byte order; ports too (as in the kernel's
 * flowi4); everything else in host order.  Errors are -errno with the
 * kernel's values.
 */
#ifndef RTCACHE_FIB_H
#define RTCACHE_FIB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/rtnetlink.h>	/* RTN_*, RT_SCOPE_*, RT_TABLE_*, RTNH_F_*, RTAX_*, NLM_F_* */
#include <linux/fib_rules.h>	/* FR_ACT_*, FIB_RULE_* */

#include "rtcache/netdev.h"

/* Legs of a multipath route or members of a group: as many as iproute2
 * can send (its request bounds allow about 255 legs, 130 members). */
#define FIB_MAX_MP		256
#define FIB_TABLE_ALL		0xffffffffU	/* dump: every table */

struct fib_table;
struct fib_rule;
struct nexthop;

/* ------------------------------------------------------------------ */
/* Objects a lookup result points to (read-only for readers).          */

struct fib_nh {
	struct net_device *nh_dev;	/* NULL for routes without a device */
	struct fib_info	*nh_parent;	/* NULL in nexthop objects */
	uint32_t	 nh_gw;		/* 0: directly connected */
	int		 nh_oif;
	unsigned int	 nh_flags;	/* RTNH_F_*; readers: fib_nh_flags() */
	int		 nh_upper_bound; /* hash-threshold bound, -1 unusable */
	uint16_t	 nh_weight;	/* 1..256 */
	uint8_t		 nh_scope;	/* scope of the gateway, RT_SCOPE_* */
	uint32_t	 nh_tclassid;	/* realms (RTA_FLOW), from << 16 | to;
					   0 in nexthop objects */
};

struct fib_info {
	struct fib_info	*fib_hnext;	/* fib_info sharing hash */
	unsigned int	 fib_treeref;	/* aliases using it (writer only) */
	unsigned int	 fib_flags;	/* rtm_flags; RTNH_F_DEAD when all dead */
	uint8_t		 fib_protocol;
	uint8_t		 fib_scope;
	uint8_t		 fib_type;	/* the route type it was made for */
	uint8_t		 fib_dead;	/* unhashed, waiting for a grace period */
	unsigned int	 fib_settled;	/* fib_sync_settle's pass (writer) */
	uint32_t	 fib_prefsrc;
	uint32_t	 fib_priority;	/* metric */
	uint32_t	 fib_metrics[RTAX_MAX];	/* RTAX_x at [x-1]; 0 = unset */
	struct nexthop	*nh;		/* route by nexthop id, or NULL */
	int		 fib_nhs;	/* entries in fib_nh[] (0 with nh) */
	struct fib_nh	 fib_nh[];
};

/* Nexthop objects (ip nexthop): a single nexthop, a group, or blackhole. */
struct nh_grp_entry {
	struct nexthop	*nh;
	uint32_t	 weight;	/* 1..65536 (256 before 6.12) */
	int		 upper_bound;	/* hash-threshold bound */
};

struct nexthop {
	struct nexthop	*nh_hnext;	/* id hash chain */
	uint32_t	 id;
	unsigned int	 refcnt;	/* routes and groups using it (writer) */
	uint8_t		 is_group;
	uint8_t		 blackhole;
	uint8_t		 protocol;
	uint8_t		 dead;
	struct fib_nh	 nh;		/* single: the nexthop */
	uint64_t	 saddr_genid;	/* single: netdev_addr_genid() when
					   made, ~0 when not known */
	int		 num_nh;	/* group: members */
	struct nh_grp_entry *grp;	/* group: members (RCU) */
	/* a resilient group (`type resilient`): its buckets are the
	 * kernel's, so its flows' legs are always asked of the kernel */
	uint8_t		 resilient;
	uint16_t	 res_buckets;
	uint32_t	 res_idle_timer;	/* clock_t (USER_HZ) */
	uint32_t	 res_unbalanced_timer;	/* clock_t */
};

/* ------------------------------------------------------------------ */
/* Lookups.                                                            */

struct flowi4 {
	int		 flowi4_oif;
	int		 flowi4_iif;	/* output lookups: the loopback index */
	int		 flowi4_l3mdev;	/* the VRF of the flow, 0: none; set
					   by l3mdev_update_flow() */
	uint32_t	 flowi4_mark;
	uint8_t		 flowi4_tos;	/* masked to 0x1c by the lookup */
	uint8_t		 flowi4_scope;	/* RT_SCOPE_UNIVERSE normally */
	uint8_t		 flowi4_proto;
	uint8_t		 flowi4_flags;	/* FLOWI_F_* */
	uint32_t	 flowi4_uid;
	uint32_t	 flowi4_mp_hash; /* the kernel's flowi4_multipath_hash:
					    mixed into the hash when not 0 */
	uint32_t	 daddr;
	uint32_t	 saddr;
	uint16_t	 fl4_sport;
	uint16_t	 fl4_dport;
};

/* A lookup that takes a linkdown nexthop even under
 * ignore_routes_with_linkdown (the kernel's FIB_LOOKUP_IGNORE_LINKSTATE:
 * gateway checks, the loose reverse-path check). */
#define FLOWI_F_IGNORE_LINKSTATE	0x01

struct fib_result {
	uint32_t	 prefix;	/* the matched prefix */
	uint8_t		 prefixlen;
	uint16_t	 nh_sel;	/* index into fi->fib_nh[] or group */
	uint8_t		 type;		/* RTN_* */
	uint8_t		 scope;
	uint8_t		 tos;		/* the matched route's tos */
	uint32_t	 table;		/* the table that answered */
	uint32_t	 probes;	/* zones probed (summed over tables) */
	struct fib_info	*fi;
	const struct fib_nh *nhc;	/* the chosen nexthop, NULL if none */
	const struct fib_rule *r;	/* the rule that gave the answer */
	uint32_t	 tclassid;	/* realms of that rule (FRA_FLOW), as
					   __fib_lookup copies them */
};

/*
 * fib_lookup - the policy-routing lookup (rules, then tables).
 * Return: 0 (res filled), -ENETUNREACH when nothing matches, or the
 * error of the matching route or rule: unreachable route -EHOSTUNREACH,
 * prohibit -EACCES, blackhole -EINVAL; rules: unreachable -ENETUNREACH,
 * prohibit -EACCES, blackhole -EINVAL.  A throw route continues with the
 * next rule.  Multipath: when fi has several legs and the flow has no
 * oif, the leg is the one the kernel's hash picks for an output flow
 * (fib_select_path_hash under the current parameters; never asking).
 */
int	 fib_lookup(const struct flowi4 *fl4, struct fib_result *res);
/* The same without the multipath choice: res->nhc is the first usable
 * leg, and the caller picks (fib_select_path), as the kernel's callers
 * of its fib_lookup do. */
int	 fib_lookup_nopath(const struct flowi4 *fl4, struct fib_result *res);
/*
 * l3mdev_update_flow - what the kernel's policy lookup (__fib_lookup)
 * does to the flow first: flowi4_l3mdev, unless set, becomes the VRF of
 * the oif (the VRF itself, or the one it is enslaved to), else of the
 * iif (not loopback); an oif that is a VRF is then cleared, so that it
 * only selects the table.  fib_lookup() does this on its own copy while
 * custom rules exist (as the kernel's fib_lookup does); callers that
 * read the flow afterwards (the output path) call it too.
 */
void	 l3mdev_update_flow(struct flowi4 *fl4);
/* One table, no rules: 0, -EAGAIN (no match or throw), or a route error. */
int	 fib_table_lookup(struct fib_table *tb, const struct flowi4 *fl4,
	    struct fib_result *res);
/* The table @id as the kernel's lookups see it: local and main are one
 * (longest prefix of both, local first) until fib_rules_custom;
 * -EAGAIN for no table. */
int	 fib_table_lookup_id(uint32_t id, const struct flowi4 *fl4,
	    struct fib_result *res);

/* ------------------------------------------------------------------ */
/* Multipath (fib_mp.c): the kernel's hash and leg choice.             */

/* net.ipv4.fib_multipath_hash_fields (the kernel's
 * FIB_MULTIPATH_HASH_FIELD_*, include/net/ip_fib.h). */
#define FIB_MP_FIELD_SRC_IP		0x0001
#define FIB_MP_FIELD_DST_IP		0x0002
#define FIB_MP_FIELD_IP_PROTO		0x0004
#define FIB_MP_FIELD_FLOWLABEL		0x0008
#define FIB_MP_FIELD_SRC_PORT		0x0010
#define FIB_MP_FIELD_DST_PORT		0x0020
#define FIB_MP_FIELD_INNER_SRC_IP	0x0040
#define FIB_MP_FIELD_INNER_DST_IP	0x0080
#define FIB_MP_FIELD_INNER_IP_PROTO	0x0100
#define FIB_MP_FIELD_INNER_FLOWLABEL	0x0200
#define FIB_MP_FIELD_INNER_SRC_PORT	0x0400
#define FIB_MP_FIELD_INNER_DST_PORT	0x0800
#define FIB_MP_FIELD_OUTER_MASK		0x003f
#define FIB_MP_FIELD_DEFAULT		0x0007	/* the kernel's default */

#define FIB_MP_HASH	0	/* legs from the hash computed here */
#define FIB_MP_ASK	1	/* legs asked of the kernel (fib_mp_set_ask) */

struct fib_mp_params {
	uint8_t		 policy;	/* fib_multipath_hash_policy, 0..3 */
	uint8_t		 mode;		/* FIB_MP_HASH or FIB_MP_ASK */
	uint16_t	 pad;		/* not read */
	uint32_t	 fields;	/* fib_multipath_hash_fields */
	uint32_t	 seed;		/* the key's seed: the namespace's
					   fib_multipath_hash_seed when it is
					   set (0 there is a random one) */
};

/* Current parameters (any thread); new ones (writer: bumps the
 * generation when they changed).  -EINVAL, -ENOMEM. */
void	 fib_mp_get(struct fib_mp_params *p);
int	 fib_mp_set(const struct fib_mp_params *p);
/*
 * fib_mp_hash - the kernel's fib_multipath_hash() (already shifted right
 * by one, as it returns it) for the packet `ip route get` makes of @fl4:
 * saddr, daddr, flowi4_proto, and the ports for UDP and TCP only.
 * fib_multipath_hash: the same under the current parameters.
 */
uint32_t fib_mp_hash(const struct fib_mp_params *p, const struct flowi4 *fl4);
uint32_t fib_multipath_hash(const struct flowi4 *fl4);
/* The primitives, for tests: SipHash-2-4 and the kernel's jhash_2words. */
uint64_t fib_siphash(const void *data, size_t len, uint64_t k0, uint64_t k1);
uint32_t fib_jhash_2words(uint32_t a, uint32_t b, uint32_t initval);

/*
 * fib_select_path - the multipath leg of an output flow (only when it
 * has no oif), and fib_select_path_input that of a forwarded one (the
 * kernel's ip_mkroute_input: no preference for the source's leg).  In
 * FIB_MP_ASK mode, and always for a resilient group, the kernel is asked
 * through the hook; when that fails the hash decides (a resilient group:
 * its first member).  Return: 1 when the leg came from the kernel, else 0.
 */
int	 fib_select_path(struct fib_result *res, const struct flowi4 *fl4);
int	 fib_select_path_input(struct fib_result *res,
	    const struct flowi4 *fl4);
/* The hash's choice under @p, never asking (@input: the input path). */
void	 fib_select_path_hash(struct fib_result *res, const struct flowi4 *fl4,
	    const struct fib_mp_params *p, int input);
/*
 * The hook FIB_MP_ASK calls on a miss: the kernel's answer for @fl4
 * (output, or input on flowi4_iif when @input) as its device and gateway
 * (0 when direct).  Return 0 or -errno.  Called on lookup threads.
 */
typedef int (*fib_mp_ask_fn)(const struct flowi4 *fl4, int input, int *oif,
	    uint32_t *gw);
void	 fib_mp_set_ask(fib_mp_ask_fn fn);

struct fib_mp_stats {
	uint64_t	 asks;		/* kernel asked for a leg */
	uint64_t	 ask_errors;	/* the question failed: hashed */
	uint64_t	 ask_unmatched;	/* the answer was none of our legs */
	uint64_t	 hashed;	/* legs chosen by the hash */
};
void	 fib_mp_stats(struct fib_mp_stats *sum);
/* Routes' fib_infos and nexthop groups with several legs (writer). */
unsigned int fib_mp_routes(void);

/* The preferred source address for a result (prefsrc or selected). */
uint32_t fib_result_prefsrc(const struct fib_result *res);
unsigned int fib_nh_flags(const struct fib_nh *nh);
/* Batch lookups: prefetch stage 0 (summary), then 1 (zone bucket). */
void	 fib_prefetch(uint32_t id, uint32_t daddr, int stage);
/* Zones probed by a lookup of @daddr in table @id (benchmarks). */
unsigned int fib_table_probes(uint32_t id, uint32_t daddr);
/* Is @addr local (RTN_LOCAL in table local)? the kernel's inet_addr_type. */
int	 fib_addr_type(uint32_t addr);

/* Readers call this between lookups (rcu_quiescent_state, TSan-aware). */
void	 fib_rcu_quiescent(void);

/*
 * The generation (the kernel's rt_genid): every FIB, rule, nexthop or
 * device change bumps it, and so does a flush of the route cache, since
 * everything derived from the FIB is stale then.
 */
uint64_t fib_genid(void);
void	 fib_bump_genid(void);
extern uint64_t fib_genid_val;	/* what fib_genid() reads, for inlining */
/*
 * The flow fields some rule selects on (FIB_RULE_HAS_UID, _PROTO, _SPORT,
 * _DPORT) or the multipath hash reads while there are multipath routes,
 * read with a relaxed load: the route cache leaves the others out of its
 * key, since they cannot change an answer.
 */
extern unsigned int fib_rules_key_fields;
/*
 * Set once a rule other than the three defaults was added (and never
 * cleared, like the kernel's fib_has_custom_rules): until then the
 * kernel merges tables local and main and reports answers from either
 * as table main.
 */
extern int fib_rules_custom;
/*
 * How many rules the kernel's fib_rule_requires_fldissect() counts (an ip
 * protocol or port selector, not bound to iif lo): input lookups read
 * the packet's protocol and ports only while there are some
 * (fib4_rules_early_flow_dissect).  And how many rules carry realms
 * (fib_num_tclassid_users): while there are some, input lookups always
 * make the full reverse-path check, whose realms the route takes.
 */
extern unsigned int fib_rules_flow_dissect;
extern unsigned int fib_rules_tclassid_users;
/*
 * Set once a local route other than the kernel's own for an address was
 * added (never cleared, like the kernel's fib_has_custom_local_routes):
 * input lookups then check sources in full, not against the addresses.
 */
extern int fib_has_custom_local_routes;
/* Only the three default rules (writer). */
int	 fib_rules_are_defaults(void);
/*
 * The other half of the kernel's fib_num_tclassid_users: the route
 * nexthops (fib_nh) with realms, counted per fib_info as the kernel's
 * fib_nh_init()/fib_nh_release() do.  Realms of routes or rules in use:
 * fib_num_tclassid_users() != 0.
 */
extern unsigned int fib_route_tclassid_users;
unsigned int fib_num_tclassid_users(void);
/* Set it from what the kernel says (a rule changed before we looked),
 * bumping the generation when it was not set. */
void	 fib_rules_set_custom(void);

/* ------------------------------------------------------------------ */
/* Writer API.                                                         */

int	 fib_init(void);	/* caches, netdev, tables 253-255, rules */
void	 fib_exit(void);	/* frees everything; waits for callbacks */

struct fib_nh_cfg {
	uint32_t	 gw;
	int		 oif;
	uint16_t	 weight;	/* 1..256 (rtnh_hops + 1); 0 means 1 */
	uint8_t		 flags;		/* RTNH_F_ONLINK, ... */
	uint32_t	 flow;		/* realms (the leg's RTA_FLOW), 0 none */
};

/* The kernel's fib_config (a parsed RTM_NEWROUTE / RTM_DELROUTE). */
struct fib_config {
	uint32_t	 fc_dst;
	uint8_t		 fc_dst_len;
	uint8_t		 fc_tos;
	uint8_t		 fc_type;	/* RTN_*; delete: 0 = any */
	uint8_t		 fc_scope;	/* delete: RT_SCOPE_NOWHERE = any */
	uint8_t		 fc_protocol;	/* delete: 0 = any */
	uint32_t	 fc_priority;	/* metric; delete: 0 = any */
	uint32_t	 fc_prefsrc;
	uint32_t	 fc_table;	/* 0 = main */
	uint32_t	 fc_gw;
	int		 fc_oif;
	uint32_t	 fc_flags;	/* rtm_flags (RTNH_F_ONLINK, ...) */
	uint32_t	 fc_nh_id;	/* RTA_NH_ID, 0 = none */
	uint32_t	 fc_flow;	/* realms (RTA_FLOW), 0 = none; with
					   fc_nh_id the kernel ignores it */
	uint32_t	 fc_nlflags;	/* NLM_F_CREATE | EXCL | REPLACE | APPEND */
	uint8_t		 fc_kernel;	/* the kernel holds the route: its
					   gateways and source are not
					   refused for what changed since
					   it checked them */
	int		 fc_nhs;	/* multipath legs in fc_mp, 0 = none */
	uint32_t	 fc_mx_set;	/* bit x set: fc_metrics[x] given */
	uint32_t	 fc_metrics[RTAX_MAX + 1];	/* by RTAX_* */
	/* last: only the first fc_nhs legs are ever written or read */
	struct fib_nh_cfg fc_mp[FIB_MAX_MP];
};

/* Fills @cfg with what `ip route add` sends when nothing is given (the
 * legs stay unwritten: whoever adds one writes all of it). */
void	 fib_config_init(struct fib_config *cfg);

struct fib_table *fib_get_table(uint32_t id);	/* NULL if absent */

/* Routes per table, kept as routes come and go (no walk): up to @max
 * entries; the return is the number of tables, which may exceed @max.
 * Writer thread (or an RCU reader, for an approximate answer). */
struct fib_table_size {
	uint32_t	 id;
	size_t		 routes;
};
unsigned int fib_table_sizes(struct fib_table_size *out, unsigned int max);
size_t	 fib_rules_count(void);		/* rules, the default three included */
size_t	 fib_nexthops_count(void);	/* nexthop objects, groups included */
struct fib_table *fib_new_table(uint32_t id);	/* get or create */
uint32_t fib_table_id(const struct fib_table *tb);

/* Add (fc_nlflags: CREATE/EXCL/REPLACE/APPEND) and delete; -errno. */
int	 fib_route_add(const struct fib_config *cfg);
int	 fib_route_del(const struct fib_config *cfg);
/* The route @cfg selects put after the others of its prefix, tos and
 * priority (a dump's order is the kernel's); -ESRCH if there is none. */
int	 fib_route_move_last(const struct fib_config *cfg);
/* after a sync, what its dump cannot tell (fib_frontend.c): the scope
 * of gateways under local routes; returns how many changed */
unsigned int fib_sync_settle(void);
int	 fib_table_insert(struct fib_table *tb, const struct fib_config *cfg);
int	 fib_table_delete(struct fib_table *tb, const struct fib_config *cfg);
int	 fib_table_move_last(struct fib_table *tb, const struct fib_config *cfg);
/* Remove every route of a table (id FIB_TABLE_ALL: all); count removed. */
int	 fib_table_flush(uint32_t id);

/* Nexthop objects (ip nexthop add id N ...). */
struct fib_nexthop_cfg {
	uint32_t	 id;
	uint32_t	 gw;
	int		 oif;
	uint32_t	 flags;		/* RTNH_F_ONLINK */
	uint8_t		 blackhole;
	uint8_t		 protocol;
	uint8_t		 kernel;	/* the kernel holds it: as fc_kernel */
	uint32_t	 nlflags;	/* NLM_F_REPLACE to change in place */
	uint8_t		 resilient;	/* NEXTHOP_GRP_TYPE_RES */
	uint16_t	 res_buckets;
	uint32_t	 res_idle_timer;	/* clock_t (USER_HZ) */
	uint32_t	 res_unbalanced_timer;	/* clock_t */
	int		 ngrp;		/* group members, 0 = single */
	/* last: only the first ngrp members are ever written or read */
	struct {
		uint32_t id;
		uint32_t weight;	/* 1..65536; 0 means 1 */
	} grp[FIB_MAX_MP];
};
int	 fib_nexthop_add(const struct fib_nexthop_cfg *cfg);
int	 fib_nexthop_del(uint32_t id);
struct nexthop *fib_nexthop_get(uint32_t id);

/* Policy rules (ip rule). */
#define FIB_RULE_HAS_PREF	0x0001
#define FIB_RULE_HAS_SRC	0x0002
#define FIB_RULE_HAS_DST	0x0004
#define FIB_RULE_HAS_IIF	0x0008
#define FIB_RULE_HAS_OIF	0x0010
#define FIB_RULE_HAS_MARK	0x0020
#define FIB_RULE_HAS_TOS	0x0040
#define FIB_RULE_HAS_PROTO	0x0080	/* ipproto */
#define FIB_RULE_HAS_SPORT	0x0100
#define FIB_RULE_HAS_DPORT	0x0200
#define FIB_RULE_HAS_UID	0x0400
#define FIB_RULE_HAS_TABLE	0x0800
#define FIB_RULE_HAS_GOTO	0x1000
#define FIB_RULE_HAS_SUPP_PLEN	0x2000
#define FIB_RULE_HAS_SUPP_IFG	0x4000
#define FIB_RULE_HAS_FLOW	0x8000	/* realms given, 0 included */
#define FIB_RULE_HAS_MASK	0x10000	/* fwmark mask given, 0 included */
#define FIB_RULE_HAS_SPORT_MASK	0x20000	/* a port and its mask (6.15+) */
#define FIB_RULE_HAS_DPORT_MASK	0x40000

struct fib_rule_cfg {
	unsigned int	 fields;	/* FIB_RULE_HAS_*: what was given */
	uint32_t	 pref;
	uint8_t		 action;	/* FR_ACT_* */
	uint8_t		 tos;
	uint8_t		 src_len;
	uint8_t		 dst_len;
	uint32_t	 src;
	uint32_t	 dst;
	uint32_t	 table;
	uint32_t	 target;	/* goto pref */
	uint32_t	 flags;		/* FIB_RULE_INVERT */
	uint32_t	 mark;
	uint32_t	 mark_mask;
	char		 iifname[NETDEV_NAMSIZ];
	char		 oifname[NETDEV_NAMSIZ];
	uint8_t		 ip_proto;
	uint8_t		 protocol;	/* who installed it (RTPROT_*) */
	uint16_t	 sport_lo, sport_hi;	/* host order, inclusive */
	uint16_t	 dport_lo, dport_hi;
	uint16_t	 sport_mask, dport_mask; /* one port: the bits compared
					   (all of them unless given) */
	uint32_t	 uid_lo, uid_hi;
	int		 suppress_prefixlen;	/* -1 off */
	int		 suppress_ifgroup;	/* -1 off */
	uint32_t	 tclassid;	/* realms: from << 16 | to */
	uint64_t	 tun_id;	/* host order, 0 none (never matches a
					   lookup: flows carry no tunnel key) */
	uint8_t		 l3mdev;	/* 1: the table of the flow's l3mdev
					   (its VRF); no VRF: no match */
	uint32_t	 nlflags;	/* NLM_F_EXCL: EEXIST on a duplicate */
};
void	 fib_rule_cfg_init(struct fib_rule_cfg *cfg);
/*
 * fib_rule_add - ip rule add: with NLM_F_EXCL, -EEXIST when a rule equal
 * in what the kernel's rule_exists() compares is there.
 * fib_rule_del - ip rule del: the first rule that agrees with every
 * attribute @cfg gives (an unset one matches anything), as the kernel's
 * rule_find() picks it.
 * fib_rule_del_exact - the first rule equal to @cfg in every attribute:
 * for a mirror, whose RTM_DELRULE describes the whole rule.
 */
int	 fib_rule_add(const struct fib_rule_cfg *cfg);
int	 fib_rule_del(const struct fib_rule_cfg *cfg);
int	 fib_rule_del_exact(const struct fib_rule_cfg *cfg);
void	 fib_rules_flush(void);	/* back to the default rules */

/*
 * Device events.  Each updates the netdev table and then does what the
 * kernel does to the FIB.  FIB_EV_KERNEL_ROUTES: also add/remove the
 * kernel's own local/broadcast/connected routes (a mirror that receives
 * those routes over netlink leaves it out).
 */
#define FIB_EV_KERNEL_ROUTES	0x1
int	 fib_link_set(int ifindex, const char *name, unsigned int flags,
	    int master, unsigned int evflags);	/* add/update; up/down/carrier */
int	 fib_link_del(int ifindex);	/* NETDEV_UNREGISTER */
int	 fib_addr_add(int ifindex, uint32_t local, uint8_t prefixlen,
	    uint32_t broadcast, uint8_t scope, unsigned int evflags);
/* the same with a peer (ip addr add LOCAL peer PEER/LEN): its prefix is
 * the peer's */
int	 fib_addr_add_peer(int ifindex, uint32_t local, uint32_t peer,
	    uint8_t prefixlen, uint32_t broadcast, uint8_t scope,
	    unsigned int evflags);
int	 fib_addr_del(int ifindex, uint32_t local, uint32_t address,
	    uint8_t prefixlen, unsigned int evflags);	/* address 0: local */

/*
 * fib_route_walk - every route of table @id (FIB_TABLE_ALL: every
 * table) as the fib_config that would add it again, in table order, the
 * aliases of a prefix in their list order.  @fn must not change the FIB;
 * a non-zero return stops the walk and is returned.  Writer thread.
 */
typedef int (*fib_route_walk_fn)(const struct fib_config *cfg, void *arg);
int	 fib_route_walk(uint32_t id, fib_route_walk_fn fn, void *arg);
/* Remove every route, of every table, for which @pred returns non-zero
 * (@pred must not change the FIB); return how many.  Writer thread. */
int	 fib_route_remove_if(fib_route_walk_fn pred, void *arg);

/* ------------------------------------------------------------------ */
/* Text: `ip -4 route show table all` / `ip rule show` / `ip nexthop`. */

int	 fib_dump_routes(FILE *out, uint32_t id);	/* FIB_TABLE_ALL */
int	 fib_dump_rules(FILE *out);
/*
 * The FIB entry behind a lookup result, as `ip route get ... fibmatch`
 * prints it: @type is the answer's (the route made from the entry may be
 * broadcast or multicast), @table the table as the answer names it.
 * Readers, online.  Return: 0, or -EHOSTUNREACH when @res holds none.
 */
int	 fib_dump_result(FILE *out, const struct fib_result *res,
	    uint8_t type, uint32_t table);
int	 fib_dump_nexthops(FILE *out);

/*
 * The same listings in steps, for a reader that takes them a piece at a
 * time: each fib_cursor_step prints about @max more bytes (1: more to
 * come, 0: the end, -ENOMEM) from a window of objects sorted per pass
 * over the table, @window at first (0: the whole table).  Any thread, online during each call (not between:
 * the cursor holds no pointer into the FIB).
 */
struct fib_cursor;
int	 fib_cursor_routes(uint32_t id, size_t window, struct fib_cursor **cp);
int	 fib_cursor_nexthops(size_t window, struct fib_cursor **cp);
int	 fib_cursor_step(struct fib_cursor *c, FILE *out, size_t max);
void	 fib_cursor_park(struct fib_cursor *c);	/* reader gone quiet */
void	 fib_cursor_free(struct fib_cursor *c);

/* ------------------------------------------------------------------ */
/* Statistics.                                                         */

struct fib_mem_stats {
	size_t		 nodes;		/* fib_node objects (= prefixes) */
	size_t		 aliases;	/* routes */
	size_t		 infos;		/* fib_info objects */
	size_t		 node_bytes;	/* slab object bytes of the above */
	size_t		 alias_bytes;
	size_t		 info_bytes;
	size_t		 hash_bytes;	/* zone bucket arrays */
	size_t		 summary_bytes;	/* per-/16 summaries */
	size_t		 total_bytes;
};
void	 fib_mem_stats(struct fib_mem_stats *st);

#endif /* RTCACHE_FIB_H */
