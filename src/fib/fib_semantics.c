/* SPDX-License-Identifier: MIT */
/*
 * fib_semantics.c - fib_info and fib_nh: validation of a route's
 * nexthops (fib_check_nh in net/ipv4/fib_semantics.c), sharing of
 * identical fib_infos through a hash with tree references, the first
 * usable nexthop for a flow, multipath hash-threshold bounds (the choice
 * among the legs is fib_mp.c's), dead/linkdown marking on device events
 * (1.15) and the nexthop objects of `ip nexthop`.
 *
 * A fib_info never changes after it is hashed except for its flags, its
 * nexthops' flags and upper bounds, which readers load atomically.  A
 * fib_info is freed after a grace period once its last alias is gone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fib/fib_internal.h"
#include "rtcache/list.h"

static struct fib_info **fi_hash;
static unsigned int fi_hash_size;
static unsigned int fi_count;
static size_t fi_bytes;

#define NH_HASHSZ	256
static struct nexthop *nh_hash[NH_HASHSZ];
static size_t nh_nr;			/* fib_nexthops_count() */
unsigned int fib_route_tclassid_users;	/* fib_num_tclassid_users() */

/* Realms of rules or routes in use: the kernel's fib_num_tclassid_users. */
unsigned int
fib_num_tclassid_users(void)
{
	return READ_ONCE(fib_rules_tclassid_users) +
	    READ_ONCE(fib_route_tclassid_users);
}

size_t
fib_nexthops_count(void)
{
	return READ_ONCE(nh_nr);
}

static const uint8_t fib_min_scope[RTN_MAX + 1] = {
	[RTN_UNSPEC] = RT_SCOPE_NOWHERE,
	[RTN_UNICAST] = RT_SCOPE_UNIVERSE,
	[RTN_LOCAL] = RT_SCOPE_HOST,
	[RTN_BROADCAST] = RT_SCOPE_LINK,
	[RTN_ANYCAST] = RT_SCOPE_LINK,
	[RTN_MULTICAST] = RT_SCOPE_UNIVERSE,
	[RTN_BLACKHOLE] = RT_SCOPE_UNIVERSE,
	[RTN_UNREACHABLE] = RT_SCOPE_UNIVERSE,
	[RTN_PROHIBIT] = RT_SCOPE_UNIVERSE,
	[RTN_THROW] = RT_SCOPE_UNIVERSE,
	[RTN_NAT] = RT_SCOPE_NOWHERE,
	[RTN_XRESOLVE] = RT_SCOPE_NOWHERE,
};

static int
fi_class(int nhs)
{
	int c = 0;

	while ((1 << c) < nhs)
		c++;
	return c;
}

size_t
fib_info_size(int nhs)
{
	return sizeof(struct fib_info) +
	    (size_t)(1 << fi_class(nhs < 1 ? 1 : nhs)) * sizeof(struct fib_nh);
}

unsigned int
fib_info_count(void)
{
	return fi_count;
}

size_t
fib_info_bytes(void)
{
	return fi_bytes;
}

static int
route_is_error(uint8_t type)
{
	return type == RTN_BLACKHOLE || type == RTN_UNREACHABLE ||
	    type == RTN_PROHIBIT || type == RTN_THROW || type == RTN_NAT ||
	    type == RTN_XRESOLVE;
}

static unsigned int
fi_hashfn(const struct fib_info *fi)
{
	uint32_t v = (uint32_t)fi->fib_nhs ^ fi->fib_protocol ^
	    fi->fib_prefsrc ^ fi->fib_priority ^ fi->fib_type;
	int i;

	for (i = 0; i < fi->fib_nhs; i++)
		v ^= (uint32_t)fi->fib_nh[i].nh_oif * 2654435761U ^
		    fi->fib_nh[i].nh_gw;
	if (fi->nh != NULL)
		v ^= fi->nh->id * 2246822519U;
	v ^= v >> 16;
	v *= 0x45d9f3bU;
	v ^= v >> 13;
	return v & (fi_hash_size - 1);
}

#define NH_CMP_IGNORE	(RTNH_F_DEAD | RTNH_F_LINKDOWN)

static int
fi_equal(const struct fib_info *a, const struct fib_info *b)
{
	int i;

	if (a->fib_nhs != b->fib_nhs || a->nh != b->nh ||
	    a->fib_protocol != b->fib_protocol ||
	    a->fib_scope != b->fib_scope || a->fib_type != b->fib_type ||
	    a->fib_prefsrc != b->fib_prefsrc ||
	    a->fib_priority != b->fib_priority ||
	    ((a->fib_flags ^ b->fib_flags) & ~NH_CMP_IGNORE) ||
	    memcmp(a->fib_metrics, b->fib_metrics, sizeof(a->fib_metrics)))
		return 0;
	for (i = 0; i < a->fib_nhs; i++) {
		const struct fib_nh *x = &a->fib_nh[i], *y = &b->fib_nh[i];

		if (x->nh_oif != y->nh_oif || x->nh_gw != y->nh_gw ||
		    x->nh_scope != y->nh_scope || x->nh_weight != y->nh_weight ||
		    x->nh_tclassid != y->nh_tclassid ||
		    ((x->nh_flags ^ y->nh_flags) & ~NH_CMP_IGNORE))
			return 0;
	}
	return 1;
}

static int
fi_hash_grow(void)
{
	unsigned int nsize = fi_hash_size ? fi_hash_size * 2 : 256, i;
	struct fib_info **nh, *fi, *next, **old = fi_hash;
	unsigned int osize = fi_hash_size;

	if ((nh = calloc(nsize, sizeof(*nh))) == NULL)
		return -ENOMEM;
	fi_hash = nh;
	fi_hash_size = nsize;
	for (i = 0; i < osize; i++)
		for (fi = old[i]; fi != NULL; fi = next) {
			unsigned int h = fi_hashfn(fi);

			next = fi->fib_hnext;
			fi->fib_hnext = nh[h];
			nh[h] = fi;
		}
	free(old);	/* the hash is the writer's alone */
	return 0;
}

void
fib_info_hash_free(void)
{
	free(fi_hash);
	fi_hash = NULL;
	fi_hash_size = 0;
	fi_count = 0;
	fib_route_tclassid_users = 0;
	fi_bytes = 0;
}

void
fib_info_walk(void (*fn)(struct fib_info *, void *), void *arg)
{
	unsigned int i;
	struct fib_info *fi, *next;

	for (i = 0; i < fi_hash_size; i++)
		for (fi = fi_hash[i]; fi != NULL; fi = next) {
			next = fi->fib_hnext;
			fn(fi, arg);
		}
}

static inline int
nh_usable(const struct fib_nh *nh)
{
	unsigned int fl = READ_ONCE(((struct fib_nh *)nh)->nh_flags);

	if (fl & RTNH_F_DEAD)
		return 0;
	if ((fl & RTNH_F_LINKDOWN) && nh->nh_dev != NULL &&
	    (READ_ONCE(nh->nh_dev->cnf.ignore_routes_with_linkdown) ||
	    READ_ONCE(netdev_conf_all()->ignore_routes_with_linkdown)))
		return 0;
	return 1;
}

unsigned int
fib_nh_flags(const struct fib_nh *nh)
{
	return READ_ONCE(((struct fib_nh *)nh)->nh_flags);
}

/* DIV_ROUND_CLOSEST_ULL(w << 31, total) - 1: a leg's hash-threshold
 * upper bound after @w of @total weight. */
static int
mp_upper_bound(uint64_t w, uint64_t total)
{
	return (int)((((w << 31) + total / 2) / total) - 1);
}

/*
 * fib_rebalance (net/ipv4/fib_semantics.c): each usable leg's upper
 * bound from the weights before and of it; dead legs (and linkdown ones
 * under ignore_routes_with_linkdown) get -1 and no share.
 */
void
fib_rebalance(struct fib_info *fi)
{
	uint64_t total = 0, w = 0;
	int i;

	if (fi->fib_nhs < 2)
		return;
	for (i = 0; i < fi->fib_nhs; i++)
		if (nh_usable(&fi->fib_nh[i]))
			total += fi->fib_nh[i].nh_weight;
	for (i = 0; i < fi->fib_nhs; i++) {
		struct fib_nh *nh = &fi->fib_nh[i];
		int ub = -1;

		if (total != 0 && nh_usable(nh)) {
			w += nh->nh_weight;
			ub = mp_upper_bound(w, total);
		}
		WRITE_ONCE(nh->nh_upper_bound, ub);
	}
}

/*
 * nh_hthr_group_rebalance (net/ipv4/nexthop.c): the same over every
 * member, since the kernel takes a member whose device goes down or
 * loses its carrier out of the group instead of marking it.
 */
static void
nh_grp_bounds(struct nh_grp_entry *ng, int n)
{
	uint64_t total = 0, w = 0;
	int i;

	for (i = 0; i < n; i++)
		total += ng[i].weight;
	for (i = 0; i < n; i++) {
		w += ng[i].weight;
		WRITE_ONCE(ng[i].upper_bound, mp_upper_bound(w, total));
	}
}

void
nh_group_rebalance(struct nexthop *nh)
{
	if (nh->is_group)
		nh_grp_bounds(nh->grp, nh->num_nh);
}

/* ------------------------------------------------------------ validation */

/* The flow fib_check_nh looks a gateway up with, for a route of @scope. */
static void
gw_flow(struct flowi4 *fl4, const struct fib_nh *nh, uint8_t scope)
{
	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = nh->nh_gw;
	fl4->flowi4_scope = scope + 1 > RT_SCOPE_LINK ? scope + 1 :
	    RT_SCOPE_LINK;
	fl4->flowi4_oif = nh->nh_oif;
	fl4->flowi4_iif = netdev_loopback_index();
	fl4->flowi4_flags = FLOWI_F_IGNORE_LINKSTATE;
}

/*
 * fib_check_nh - the kernel's fib_check_nh: a nexthop's device and scope,
 * or why the route is refused.  The gateway checks read the FIB as it is
 * now, which is not what the kernel read when it took a route it holds
 * (@cfg->fc_kernel): a gateway that was a unicast address then may since
 * be covered by a local or reject route.  Such a route is kept, on its
 * own device with link scope, as the kernel keeps it.
 */
static int
fib_check_nh(const struct fib_config *cfg, struct fib_nh *nh)
{
	struct net_device *dev;

	if (nh->nh_gw != 0) {
		struct fib_result res;
		struct flowi4 fl4;
		int err = -EAGAIN;

		if (nh->nh_flags & RTNH_F_ONLINK) {
			if (cfg->fc_scope >= RT_SCOPE_LINK)
				return -EINVAL;
			if (nh->nh_oif == 0)
				return -EINVAL;
			if ((dev = netdev_get_by_index(nh->nh_oif)) == NULL)
				return -ENODEV;
			if (!netdev_is_up(dev))
				return -ENETDOWN;
			if (!cfg->fc_kernel &&
			    fib_addr_type(nh->nh_gw) != RTN_UNICAST)
				return -EINVAL;
			nh->nh_dev = dev;
			nh->nh_scope = RT_SCOPE_LINK;
			if (!netdev_has_carrier(dev))
				nh->nh_flags |= RTNH_F_LINKDOWN;
			return 0;
		}
		gw_flow(&fl4, nh, cfg->fc_scope);
		memset(&res, 0, sizeof(res));
		/* the route's own table first: table local is main's trie
		 * too while the two are one (fib_table_lookup_id) */
		if (cfg->fc_table != 0 && cfg->fc_table != RT_TABLE_MAIN)
			err = fib_table_lookup_id(cfg->fc_table, &fl4, &res);
		if (err != 0) {
			memset(&res, 0, sizeof(res));
			err = fib_lookup(&fl4, &res);
		}
		if (err == 0 && res.type != RTN_UNICAST &&
		    res.type != RTN_LOCAL)
			err = -EINVAL;
		if (err == 0 && (res.nhc == NULL || res.nhc->nh_dev == NULL))
			err = -ENODEV;
		if (err != 0) {
			if (!cfg->fc_kernel || nh->nh_oif == 0 ||
			    (dev = netdev_get_by_index(nh->nh_oif)) == NULL)
				return err;
			res.scope = RT_SCOPE_LINK;
		} else
			dev = res.nhc->nh_dev;
		nh->nh_scope = res.scope;
		nh->nh_oif = dev->ifindex;
		nh->nh_dev = dev;
		if (!netdev_is_up(dev))
			return -ENETDOWN;
		if (!netdev_has_carrier(dev))
			nh->nh_flags |= RTNH_F_LINKDOWN;
		return 0;
	}
	if (nh->nh_flags & (RTNH_F_PERVASIVE | RTNH_F_ONLINK))
		return -EINVAL;
	if ((dev = netdev_get_by_index(nh->nh_oif)) == NULL)
		return -ENODEV;
	if (!netdev_is_up(dev))
		return -ENETDOWN;
	nh->nh_dev = dev;
	nh->nh_scope = RT_SCOPE_HOST;
	if (!netdev_has_carrier(dev))
		nh->nh_flags |= RTNH_F_LINKDOWN;
	return 0;
}

/*
 * The common route (one gateway, or a device, or a nexthop id) whose
 * fib_info exists already: compare @cfg with the hashed fib_infos before
 * anything is allocated or a gateway looked up.  The nexthops of a live
 * fib_info were checked when it was made and are marked dead when their
 * device goes; a fib_info whose nexthops are not all usable now, or a
 * route with a prefsrc, takes the full path.  Return: the shared fib_info
 * with one more tree reference, or NULL.
 */
static struct fib_info *
fib_find_info(const struct fib_config *cfg, struct nexthop *nho, int nhs)
{
	struct fib_info *fi;
	uint32_t v, mx[RTAX_MAX];
	unsigned int flags = cfg->fc_flags & ~(RTNH_F_DEAD | RTNH_F_LINKDOWN) &
	    ~0xffU;
	int i;

	if (fi_hash_size == 0 || cfg->fc_prefsrc != 0)
		return NULL;
	if (nho == NULL && !route_is_error(cfg->fc_type)) {
		/* the device is what the gateway check would find */
		if (cfg->fc_nhs == 0 && cfg->fc_oif == 0)
			return NULL;
		for (i = 0; i < cfg->fc_nhs; i++)
			if (cfg->fc_mp[i].oif == 0)
				return NULL;
	}
	for (i = 1; i <= RTAX_MAX; i++)
		mx[i - 1] = (cfg->fc_mx_set & (1U << i)) ? cfg->fc_metrics[i] :
		    0;
	/* fi_hashfn() over the fib_info @cfg would make */
	v = (uint32_t)nhs ^ cfg->fc_protocol ^ cfg->fc_prefsrc ^
	    cfg->fc_priority ^ cfg->fc_type;
	if (cfg->fc_nhs > 0)
		for (i = 0; i < nhs; i++)
			v ^= (uint32_t)cfg->fc_mp[i].oif * 2654435761U ^
			    cfg->fc_mp[i].gw;
	else if (nhs == 1)
		v ^= (uint32_t)cfg->fc_oif * 2654435761U ^ cfg->fc_gw;
	if (nho != NULL)
		v ^= nho->id * 2246822519U;
	v ^= v >> 16;
	v *= 0x45d9f3bU;
	v ^= v >> 13;
	for (fi = fi_hash[v & (fi_hash_size - 1)]; fi != NULL;
	    fi = fi->fib_hnext) {
		if (fi->fib_nhs != nhs || fi->nh != nho ||
		    fi->fib_protocol != cfg->fc_protocol ||
		    fi->fib_scope != cfg->fc_scope ||
		    fi->fib_type != cfg->fc_type || fi->fib_prefsrc != 0 ||
		    fi->fib_priority != cfg->fc_priority ||
		    (fi->fib_flags & ~NH_CMP_IGNORE) != flags ||
		    memcmp(fi->fib_metrics, mx, sizeof(mx)) != 0)
			continue;
		for (i = 0; i < nhs; i++) {
			const struct fib_nh *nh = &fi->fib_nh[i];
			const struct fib_nh_cfg *mp = &cfg->fc_mp[i];
			unsigned int nf = cfg->fc_nhs > 0 ?
			    (cfg->fc_flags & ~0xffU) | mp->flags :
			    cfg->fc_flags & 0xff;

			if (cfg->fc_nhs > 0 ? (nh->nh_oif != mp->oif ||
			    nh->nh_gw != mp->gw ||
			    nh->nh_weight != (mp->weight ? mp->weight : 1) ||
			    nh->nh_tclassid != mp->flow) :
			    (nh->nh_oif != cfg->fc_oif ||
			    nh->nh_gw != cfg->fc_gw || nh->nh_weight != 1 ||
			    nh->nh_tclassid != cfg->fc_flow))
				break;
			if ((nh->nh_flags ^ nf) & ~NH_CMP_IGNORE)
				break;
			if (nh->nh_flags & RTNH_F_DEAD)
				break;
			if (!route_is_error(cfg->fc_type) &&
			    (nh->nh_dev == NULL || !netdev_is_up(nh->nh_dev)))
				break;
		}
		if (i < nhs)
			continue;
		fi->fib_treeref++;
		return fi;
	}
	return NULL;
}

/*
 * fib_check_nexthop: the kernel's checks of a route through a nexthop
 * object against the route's scope (nexthop_check_scope): a host route
 * cannot go through a group or a gateway, nor a link-or-wider one
 * through an onlink nexthop.  A group is judged by its first member.
 */
static int
fib_check_nexthop(const struct nexthop *nh, uint8_t scope)
{
	const struct nh_grp_entry *g;

	if (nh->is_group) {
		if (scope == RT_SCOPE_HOST)
			return -EINVAL;
		g = rcu_dereference(((struct nexthop *)nh)->grp);
		if (g == NULL || nh->num_nh < 1)
			return 0;
		nh = g[0].nh;
	}
	if (scope == RT_SCOPE_HOST && nh->nh.nh_gw != 0)
		return -EINVAL;
	if ((nh->nh.nh_flags & RTNH_F_ONLINK) && scope >= RT_SCOPE_LINK)
		return -EINVAL;
	return 0;
}

/* The realms of @fi's nexthops as fib_num_tclassid_users counts them. */
static void
fi_count_tclassid(const struct fib_info *fi, int d)
{
	int i;

	for (i = 0; i < fi->fib_nhs; i++)
		if (fi->fib_nh[i].nh_tclassid != 0)
			WRITE_ONCE(fib_route_tclassid_users,
			    fib_route_tclassid_users + d);
}

static void
fi_free_now(struct fib_info *fi)
{
	kmem_cache_free(fib_info_cache[fi_class(fi->fib_nhs < 1 ? 1 :
	    fi->fib_nhs)], fi);
}

/*
 * fib_valid_prefsrc: a route's prefsrc must be local in its own table
 * (main asks local), else in table local: a VRF's routes name the VRF's
 * addresses, which are local in the VRF's table only.  A local route
 * for the address itself needs no check.
 */
static int
fib_valid_prefsrc(const struct fib_config *cfg, uint32_t prefsrc)
{
	uint32_t id = cfg->fc_table ? cfg->fc_table : RT_TABLE_MAIN;

	if (cfg->fc_type == RTN_LOCAL && cfg->fc_dst != 0 &&
	    cfg->fc_dst == prefsrc)
		return 1;
	if (id == RT_TABLE_MAIN)
		id = RT_TABLE_LOCAL;
	if (fib_addr_type_table(prefsrc, id) == RTN_LOCAL)
		return 1;
	return id != RT_TABLE_LOCAL &&
	    fib_addr_type_table(prefsrc, RT_TABLE_LOCAL) == RTN_LOCAL;
}

/**
 * fib_create_info - validate @cfg's route attributes and find or make
 * the shared fib_info for them (one more tree reference).
 * Return: 0, -EINVAL, -ENODEV, -ENETDOWN, -ENETUNREACH, -ENOBUFS.
 */
int
fib_create_info(const struct fib_config *cfg, struct fib_info **fip)
{
	struct fib_info *fi, *o;
	struct nexthop *nho = NULL;
	int nhs = cfg->fc_nhs > 0 ? cfg->fc_nhs : 1, i, err = -EINVAL;
	unsigned int h;

	if (cfg->fc_type == RTN_UNSPEC || cfg->fc_type > RTN_MAX)
		return -EINVAL;
	if (fib_min_scope[cfg->fc_type] > cfg->fc_scope)
		return -EINVAL;
	/* error routes skip the scope check (fib_create_info's link_it) */
	if (cfg->fc_scope > RT_SCOPE_HOST && !route_is_error(cfg->fc_type))
		return -EINVAL;
	if (cfg->fc_nhs < 0 || cfg->fc_nhs > FIB_MAX_MP)
		return -EINVAL;
	if (cfg->fc_nhs > 0) {
		if (cfg->fc_oif && cfg->fc_oif != cfg->fc_mp[0].oif)
			return -EINVAL;
		if (cfg->fc_gw && cfg->fc_gw != cfg->fc_mp[0].gw)
			return -EINVAL;
		/* fib_get_nhs: "Nexthop class id does not match RTA_FLOW" */
		if (cfg->fc_flow && cfg->fc_flow != cfg->fc_mp[0].flow)
			return -EINVAL;
	}
	if (cfg->fc_nh_id) {
		if (cfg->fc_gw || cfg->fc_oif || cfg->fc_nhs)
			return -EINVAL;
		if ((nho = fib_nexthop_get(cfg->fc_nh_id)) == NULL)
			return -EINVAL;
		/* A route through a blackhole nexthop object is reported
		 * with type blackhole: accept it as such. */
		if (route_is_error(cfg->fc_type) &&
		    cfg->fc_type != RTN_BLACKHOLE)
			return -EINVAL;
		if (!route_is_error(cfg->fc_type) &&
		    (err = fib_check_nexthop(nho, cfg->fc_scope)) != 0)
			return err;
		err = -EINVAL;
		nhs = 0;
	}
	if (route_is_error(cfg->fc_type) &&
	    (cfg->fc_gw || cfg->fc_oif || cfg->fc_nhs))
		return -EINVAL;
	for (i = 1; i <= RTAX_MAX; i++)
		if ((cfg->fc_mx_set & (1U << i)) == 0 && cfg->fc_metrics[i])
			break;
	if (cfg->fc_mx_set >> (RTAX_MAX + 1))
		return -EINVAL;

	if ((fi = fib_find_info(cfg, nho, nho != NULL ? 0 : nhs)) != NULL) {
		*fip = fi;
		return 0;
	}
	if (fi_count >= fi_hash_size && fi_hash_grow() != 0)
		return -ENOBUFS;
	fi = kmem_cache_zalloc(fib_info_cache[fi_class(nhs < 1 ? 1 : nhs)], 0);
	if (fi == NULL)
		return -ENOBUFS;
	fi->fib_protocol = cfg->fc_protocol;
	fi->fib_scope = cfg->fc_scope;
	fi->fib_type = cfg->fc_type;
	fi->fib_flags = cfg->fc_flags & ~(RTNH_F_DEAD | RTNH_F_LINKDOWN) &
	    ~0xffU;
	fi->fib_prefsrc = cfg->fc_prefsrc;
	fi->fib_priority = cfg->fc_priority;
	for (i = 1; i <= RTAX_MAX; i++)
		if (cfg->fc_mx_set & (1U << i))
			fi->fib_metrics[i - 1] = cfg->fc_metrics[i];
	fi->nh = nho;
	fi->fib_nhs = nho != NULL ? 0 : nhs;
	for (i = 0; i < fi->fib_nhs; i++) {
		struct fib_nh *nh = &fi->fib_nh[i];

		nh->nh_parent = fi;
		if (cfg->fc_nhs > 0) {
			nh->nh_gw = cfg->fc_mp[i].gw;
			nh->nh_oif = cfg->fc_mp[i].oif;
			nh->nh_weight = cfg->fc_mp[i].weight ?
			    cfg->fc_mp[i].weight : 1;
			nh->nh_flags = (cfg->fc_flags & ~0xffU) |
			    cfg->fc_mp[i].flags;
			nh->nh_tclassid = cfg->fc_mp[i].flow;
		} else {
			nh->nh_gw = cfg->fc_gw;
			nh->nh_oif = cfg->fc_oif;
			nh->nh_weight = 1;
			nh->nh_flags = cfg->fc_flags & 0xff;
			nh->nh_tclassid = cfg->fc_flow;
		}
		nh->nh_flags &= ~(RTNH_F_DEAD | RTNH_F_LINKDOWN);
	}

	if (route_is_error(cfg->fc_type) || nho != NULL) {
		/* no nexthop checks */
	} else if (cfg->fc_scope == RT_SCOPE_HOST) {
		struct fib_nh *nh = &fi->fib_nh[0];

		if (fi->fib_nhs != 1 || nh->nh_gw)
			goto fail;
		nh->nh_scope = RT_SCOPE_NOWHERE;
		err = -ENODEV;
		if ((nh->nh_dev = netdev_get_by_index(nh->nh_oif)) == NULL)
			goto fail;
	} else {
		for (i = 0; i < fi->fib_nhs; i++)
			if ((err = fib_check_nh(cfg, &fi->fib_nh[i])) != 0)
				goto fail;
	}
	/* error routes skip the prefsrc check (fib_create_info's link_it);
	 * a route the kernel holds had it when it came, against the state
	 * of then (a longer route of main may since cover the source) */
	if (fi->fib_prefsrc != 0 && !route_is_error(cfg->fc_type) &&
	    !cfg->fc_kernel && !fib_valid_prefsrc(cfg, fi->fib_prefsrc)) {
		err = -EINVAL;
		goto fail;
	}
	fib_rebalance(fi);

	h = fi_hashfn(fi);
	for (o = fi_hash[h]; o != NULL; o = o->fib_hnext) {
		if (fi_equal(o, fi)) {
			fi_free_now(fi);
			o->fib_treeref++;
			*fip = o;
			return 0;
		}
	}
	fi->fib_treeref = 1;
	fi->fib_hnext = fi_hash[h];
	fi_hash[h] = fi;
	fi_count++;
	fi_count_tclassid(fi, 1);
	if (fi->fib_nhs > 1)
		fib_mp_count(1);
	fi_bytes += fib_info_cache[fi_class(nhs < 1 ? 1 : nhs)]->object_size;
	if (nho != NULL)
		nho->refcnt++;
	*fip = fi;
	return 0;
fail:
	fi_free_now(fi);
	return err;
}

/* Drop one tree reference; the last one unhashes and frees after a GP. */
void
fib_release_info(struct fib_info *fi)
{
	struct fib_info **pp;
	int nhs = fi->fib_nhs < 1 ? 1 : fi->fib_nhs;

	if (--fi->fib_treeref != 0)
		return;
	for (pp = &fi_hash[fi_hashfn(fi)]; *pp != NULL; pp = &(*pp)->fib_hnext)
		if (*pp == fi) {
			*pp = fi->fib_hnext;
			break;
		}
	if (fi->nh != NULL)
		fi->nh->refcnt--;
	fi_count_tclassid(fi, -1);
	if (fi->fib_nhs > 1)
		fib_mp_count(-1);
	WRITE_ONCE(fi->fib_dead, 1);
	fi_count--;
	fi_bytes -= fib_info_cache[fi_class(nhs)]->object_size;
	kmem_cache_free_rcu(fib_info_cache[fi_class(nhs)], fi);
}

/* fib_nh_match: 0 when @cfg's nexthop selectors fit @fi (delete). */
int
fib_nh_match(const struct fib_config *cfg, const struct fib_info *fi)
{
	int i;

	if (cfg->fc_priority && cfg->fc_priority != fi->fib_priority)
		return 1;
	if (cfg->fc_nh_id)
		return (fi->nh != NULL && fi->nh->id == cfg->fc_nh_id) ? 0 : 1;
	if (cfg->fc_oif || cfg->fc_gw) {
		if (fi->fib_nhs < 1)
			return 1;
		if (cfg->fc_oif && cfg->fc_oif != fi->fib_nh[0].nh_oif)
			return 1;
		if (cfg->fc_gw && cfg->fc_gw != fi->fib_nh[0].nh_gw)
			return 1;
		if (cfg->fc_flow && cfg->fc_flow != fi->fib_nh[0].nh_tclassid)
			return 1;
	}
	if (cfg->fc_nhs > 0) {
		if (cfg->fc_nhs != fi->fib_nhs)
			return 1;
		for (i = 0; i < cfg->fc_nhs; i++) {
			if (cfg->fc_mp[i].oif &&
			    cfg->fc_mp[i].oif != fi->fib_nh[i].nh_oif)
				return 1;
			if (cfg->fc_mp[i].gw &&
			    cfg->fc_mp[i].gw != fi->fib_nh[i].nh_gw)
				return 1;
			if (cfg->fc_mp[i].flow &&
			    cfg->fc_mp[i].flow != fi->fib_nh[i].nh_tclassid)
				return 1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- lookup */

static inline int
nh_fits(const struct fib_nh *nh, const struct flowi4 *fl4)
{
	if (!nh_usable(nh) && ((fl4->flowi4_flags &
	    FLOWI_F_IGNORE_LINKSTATE) == 0 ||
	    (READ_ONCE(((struct fib_nh *)nh)->nh_flags) & RTNH_F_DEAD)))
		return 0;
	return fl4->flowi4_oif == 0 || nh->nh_oif == fl4->flowi4_oif;
}

/* fib_match_alias_nh (fib_internal.h) beyond its inline case. */
int
__fib_match_alias_nh(const struct fib_info *fi, const struct flowi4 *fl4,
    struct fib_result *res)
{
	int i;

	if (fi->nh != NULL) {
		const struct nexthop *nh = fi->nh;
		const struct nh_grp_entry *g;

		if (nexthop_is_blackhole(nh))
			return -1;
		if (!nh->is_group) {
			if (!nh_fits(&nh->nh, fl4))
				return -1;
			res->nhc = &nh->nh;
			res->nh_sel = 0;
			return 0;
		}
		g = rcu_dereference(((struct nexthop *)nh)->grp);
		for (i = 0; i < READ_ONCE(((struct nexthop *)nh)->num_nh) &&
		    i < FIB_MAX_MP; i++) {
			if (nh_fits(&g[i].nh->nh, fl4)) {
				res->nhc = &g[i].nh->nh;
				res->nh_sel = i;
				return 0;
			}
		}
		return -1;
	}
	for (i = 0; i < fi->fib_nhs; i++) {
		if (nh_fits(&fi->fib_nh[i], fl4)) {
			res->nhc = &fi->fib_nh[i];
			res->nh_sel = i;
			return 0;
		}
	}
	return -1;
}

uint32_t
fib_result_prefsrc(const struct fib_result *res)
{
	const struct fib_info *fi = res->fi;

	if (fi == NULL)
		return 0;
	if (fi->fib_prefsrc)
		return fi->fib_prefsrc;
	if (res->type == RTN_LOCAL && res->prefixlen == 32)
		return res->prefix;
	if (res->nhc == NULL || res->nhc->nh_dev == NULL)
		return 0;
	/*
	 * A nexthop object's source is the one it cached when it was made
	 * (nh_create_ipv4: the scope below the nexthop's own), not one for
	 * the route's scope: a scope host route through it has one, until
	 * an address changes.  Then the kernel computes it again with the
	 * asking route's scope (and keeps it for the next route to ask,
	 * which is not followed: each route gets its own scope's).  A
	 * nexthop a sync finds is taken as made after the addresses it
	 * finds, with none changed since.
	 */
	if (fi->nh != NULL && READ_ONCE(container_of(res->nhc,
	    struct nexthop, nh)->saddr_genid) == netdev_addr_genid())
		return inet_select_addr(res->nhc->nh_dev, res->nhc->nh_gw,
		    READ_ONCE(res->nhc->nh_scope) ?
		    READ_ONCE(res->nhc->nh_scope) - 1 : 0);
	return inet_select_addr(res->nhc->nh_dev, res->nhc->nh_gw,
	    fi->fib_scope);
}

/* ---------------------------------------------------------- device events */

struct sync_arg {
	const struct net_device *dev;
	int	event;
	int	force;
	unsigned int nh_flags;
	int	ret;
};

static void
sync_down_one(struct fib_info *fi, void *argp)
{
	struct sync_arg *a = argp;
	int scope = a->force ? -1 : RT_SCOPE_NOWHERE;
	int dead = 0, i, touched = 0;

	for (i = 0; i < fi->fib_nhs; i++) {
		struct fib_nh *nh = &fi->fib_nh[i];
		unsigned int fl = nh->nh_flags;

		if (nh->nh_dev == a->dev)
			touched = 1;
		if (fl & RTNH_F_DEAD) {
			dead++;
		} else if (nh->nh_dev == a->dev && nh->nh_scope != scope) {
			if (a->event != FIB_EV_CHANGE)
				fl |= RTNH_F_DEAD;
			fl |= RTNH_F_LINKDOWN;
			WRITE_ONCE(nh->nh_flags, fl);
			dead++;
		}
		if (a->event == FIB_EV_UNREGISTER && nh->nh_dev == a->dev) {
			dead = fi->fib_nhs;
			break;
		}
	}
	if (!touched)
		return;
	if (dead == fi->fib_nhs) {
		unsigned int fl = fi->fib_flags;

		if (a->event != FIB_EV_CHANGE)
			fl |= RTNH_F_DEAD;
		fl |= RTNH_F_LINKDOWN;
		WRITE_ONCE(fi->fib_flags, fl);
		a->ret++;
	}
	fib_rebalance(fi);
}

int
fib_sync_down_dev(const struct net_device *dev, int event, int force)
{
	struct sync_arg a = { dev, event, force, 0, 0 };

	fib_info_walk(sync_down_one, &a);
	return a.ret;
}

static void
sync_up_one(struct fib_info *fi, void *argp)
{
	struct sync_arg *a = argp;
	int alive = 0, i, touched = 0;

	for (i = 0; i < fi->fib_nhs; i++) {
		struct fib_nh *nh = &fi->fib_nh[i];

		if (!(nh->nh_flags & a->nh_flags)) {
			alive++;
			continue;
		}
		if (nh->nh_dev != a->dev)
			continue;
		touched = 1;
		WRITE_ONCE(nh->nh_flags, nh->nh_flags & ~a->nh_flags);
		alive++;
	}
	if (!touched)
		return;
	if (alive > 0) {
		WRITE_ONCE(fi->fib_flags, fi->fib_flags & ~a->nh_flags);
		a->ret++;
	}
	fib_rebalance(fi);
}

int
fib_sync_up(const struct net_device *dev, unsigned int nh_flags)
{
	struct sync_arg a = { dev, 0, 0, nh_flags, 0 };

	if (!netdev_is_up(dev) && (nh_flags & RTNH_F_DEAD))
		return 0;
	if ((nh_flags & RTNH_F_DEAD) && netdev_has_carrier(dev))
		a.nh_flags |= RTNH_F_LINKDOWN;
	fib_info_walk(sync_up_one, &a);
	return a.ret;
}

/*
 * A gateway's scope is what the kernel's lookup of it found when the
 * route was added (fib_check_nh: the route's own table, then the rules):
 * link for a neighbour, host for one of our own addresses (then the
 * answer has no via).  A sync applies tables in dump order (by id;
 * local and default last, a table's longer prefixes first) and the
 * rules after every route, so a gateway was looked up in part of the
 * FIB with the default rules.  Once all is in (fib_sync_settle), each
 * gateway of a route of table @tb_id is looked up again as then, in
 * the whole of those tables (its own, then local and main as one, then
 * default), and one that a route of host scope (a local route, or
 * `0.0.0.0/0 table local dev v2 scope host`) on the nexthop's own
 * device answers takes host scope: `local 10.0.0.0/11 table default`
 * added before `10.0.0.0/15 via 10.0.2.3 table default`.  Nothing
 * else is changed: what the kernel found depends on what was there
 * when the route came (a rule, a local route added after it), which a
 * dump does not tell.  @nh is of a route of @scope.  Return: 1 when it
 * changed.
 */
static unsigned int
nh_settle_gateway(struct fib_nh *nh, uint8_t scope, uint32_t tb_id)
{
	struct fib_result res;
	struct flowi4 fl4;
	int err = -EAGAIN;

	if (nh->nh_gw == 0 || (nh->nh_flags & RTNH_F_ONLINK) ||
	    nh->nh_dev == NULL || nh->nh_scope == RT_SCOPE_HOST)
		return 0;
	gw_flow(&fl4, nh, scope);
	memset(&res, 0, sizeof(res));
	if (tb_id != RT_TABLE_MAIN)
		err = fib_table_lookup_id(tb_id, &fl4, &res);
	if (err != 0) {
		memset(&res, 0, sizeof(res));
		err = fib_merged_lookup(&fl4, &res);
	}
	if (err != 0) {
		memset(&res, 0, sizeof(res));
		err = fib_table_lookup_id(RT_TABLE_DEFAULT, &fl4, &res);
	}
	if (err != 0 || (res.type != RTN_LOCAL && res.type != RTN_UNICAST) ||
	    res.nhc == NULL || res.nhc->nh_dev != nh->nh_dev ||
	    res.scope != RT_SCOPE_HOST)
		return 0;
	WRITE_ONCE(nh->nh_scope, res.scope);
	return 1;
}

unsigned int
fib_info_settle_gateways(struct fib_info *fi, uint32_t tb_id)
{
	unsigned int changed = 0;
	int i;

	for (i = 0; i < fi->fib_nhs; i++)
		changed += nh_settle_gateway(&fi->fib_nh[i], fi->fib_scope,
		    tb_id);
	return changed;
}

/* A nexthop object's gateway, as a route of table main (nh_single_fill):
 * nexthops are dumped before the routes that make gateways ours
 * (difftest seed 4001217: a gateway that is our address on two devices,
 * the nexthop's device's local route not yet in). */
static void
nh_settle_one(const struct nexthop *nh, void *arg)
{
	unsigned int *changed = arg;

	if (!nh->is_group && !nh->blackhole)
		*changed += nh_settle_gateway(&((struct nexthop *)nh)->nh,
		    RT_SCOPE_UNIVERSE, RT_TABLE_MAIN);
}

unsigned int
fib_nexthops_settle_gateways(void)
{
	unsigned int changed = 0;

	fib_nexthop_for_each(nh_settle_one, &changed);
	return changed;
}

/* ------------------------------------------------------- nexthop objects */

static inline unsigned int
nh_hashfn(uint32_t id)
{
	return (id ^ (id >> 8) ^ (id >> 16)) & (NH_HASHSZ - 1);
}

struct nexthop *
fib_nexthop_get(uint32_t id)
{
	struct nexthop *nh;

	for (nh = rcu_dereference(nh_hash[nh_hashfn(id)]); nh != NULL;
	    nh = rcu_dereference(nh->nh_hnext))
		if (nh->id == id)
			return nh;
	return NULL;
}

/* Call @fn (if not NULL) for every group @m is a member of; count them. */
static int
nh_groups_of(const struct nexthop *m, void (*fn)(struct nexthop *g))
{
	struct nexthop *g;
	unsigned int h;
	int i, n = 0;

	for (h = 0; h < NH_HASHSZ; h++)
		for (g = nh_hash[h]; g != NULL; g = g->nh_hnext)
			for (i = 0; g->is_group && i < g->num_nh; i++)
				if (g->grp[i].nh == m) {
					if (fn != NULL)
						fn(g);
					n++;
					break;
				}
	return n;
}

/* Members of a new group array from @cfg: 0, or -EINVAL. */
static int
nh_grp_fill(struct nh_grp_entry *ng, const struct fib_nexthop_cfg *cfg)
{
	int i, j;

	for (i = 0; i < cfg->ngrp; i++) {
		struct nexthop *m = fib_nexthop_get(cfg->grp[i].id);

		/* a blackhole only as the one member (nh_check_invalid_grp) */
		if (m == NULL || m->is_group ||
		    (m->blackhole && cfg->ngrp > 1))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (ng[j].nh == m)
				return -EINVAL;
		ng[i].nh = m;
		ng[i].weight = cfg->grp[i].weight ? cfg->grp[i].weight : 1;
	}
	return 0;
}

/* A single nexthop from @cfg into @n, checked as a route's would be. */
static int
nh_single_fill(struct fib_nh *n, const struct fib_nexthop_cfg *cfg)
{
	struct fib_config fc;

	if (cfg->oif == 0)
		return -EINVAL;
	memset(&fc, 0, sizeof(fc));
	fc.fc_scope = RT_SCOPE_UNIVERSE;
	fc.fc_table = RT_TABLE_MAIN;
	fc.fc_kernel = cfg->kernel;
	n->nh_gw = cfg->gw;
	n->nh_oif = cfg->oif;
	n->nh_flags = cfg->flags & RTNH_F_ONLINK;
	n->nh_weight = 1;
	return fib_check_nh(&fc, n);
}

/*
 * Publish @ng (@n members, bounds computed here) as @g's array; the old
 * one is freed after a grace period.  Readers bound their walk by the
 * smaller count, so num_nh shrinks before the switch and grows after.
 */
static void
nh_grp_publish(struct nexthop *g, struct nh_grp_entry *ng, int n)
{
	struct nh_grp_entry *old = g->grp;

	if ((g->num_nh > 1) != (n > 1))
		fib_mp_count(n > 1 ? 1 : -1);
	nh_grp_bounds(ng, n);
	if (n < g->num_nh)
		WRITE_ONCE(g->num_nh, n);
	rcu_assign_pointer(g->grp, ng);
	WRITE_ONCE(g->num_nh, n);
	free_rcu(old);
}

/* A resilient group's parameters (the kernel keeps the buckets). */
static void
nh_res_set(struct nexthop *nh, const struct fib_nexthop_cfg *cfg)
{
	nh->resilient = cfg->resilient;
	nh->res_buckets = cfg->res_buckets;
	nh->res_idle_timer = cfg->res_idle_timer;
	nh->res_unbalanced_timer = cfg->res_unbalanced_timer;
}

/*
 * fib_nexthop_replace - `ip nexthop replace`: @nh takes @cfg's nexthop
 * in place, so the routes and groups using the id follow it (the kernel
 * sends nothing for them with nexthop_compat_mode=0).  A group stays a
 * group and a nexthop a nexthop, as in the kernel.  A group's members are
 * published as a new array; a single nexthop's fields are stored one by
 * one (a lookup racing the change may see a mix of the old and the new
 * gateway for that instant; the genid bump makes cached answers stale).
 */
static int
fib_nexthop_replace(struct nexthop *nh, const struct fib_nexthop_cfg *cfg)
{
	struct nh_grp_entry *ng;
	int i, err;

	if ((cfg->ngrp > 0) != (nh->is_group != 0) ||
	    (cfg->ngrp > 0 && cfg->resilient != nh->resilient))
		return -EINVAL;
	if (cfg->ngrp > 0) {
		nh_res_set(nh, cfg);
		if ((ng = calloc(cfg->ngrp, sizeof(*ng))) == NULL)
			return -ENOBUFS;
		if ((err = nh_grp_fill(ng, cfg)) != 0) {
			free(ng);
			return err;
		}
		for (i = 0; i < cfg->ngrp; i++)
			ng[i].nh->refcnt++;
		for (i = 0; i < nh->num_nh; i++)
			nh->grp[i].nh->refcnt--;
		nh_grp_publish(nh, ng, cfg->ngrp);
	} else if (cfg->blackhole) {
		if (cfg->gw || cfg->oif)
			return -EINVAL;
		if (nh_groups_of(nh, NULL) > 0)
			return -EINVAL;
		WRITE_ONCE(nh->blackhole, 1);
	} else {
		struct fib_nh n;

		memset(&n, 0, sizeof(n));
		if ((err = nh_single_fill(&n, cfg)) != 0)
			return err;
		WRITE_ONCE(nh->nh.nh_dev, n.nh_dev);
		WRITE_ONCE(nh->nh.nh_gw, n.nh_gw);
		WRITE_ONCE(nh->nh.nh_oif, n.nh_oif);
		WRITE_ONCE(nh->nh.nh_scope, n.nh_scope);
		WRITE_ONCE(nh->nh.nh_flags, n.nh_flags);
		WRITE_ONCE(nh->saddr_genid, netdev_addr_genid());
		WRITE_ONCE(nh->blackhole, 0);
		(void)nh_groups_of(nh, nh_group_rebalance);
	}
	nh->protocol = cfg->protocol;
	fib_bump_genid();
	return 0;
}

/**
 * fib_nexthop_add - create nexthop object @cfg->id (single, blackhole or
 * group), or with NLM_F_REPLACE change an existing one in place.
 * Return: 0, -EEXIST, -EINVAL, -ENODEV, -ENETDOWN, -ENOBUFS.
 */
int
fib_nexthop_add(const struct fib_nexthop_cfg *cfg)
{
	struct nexthop *nh;
	unsigned int h;
	int i, err;

	if (cfg->id == 0)
		return -EINVAL;
	if (cfg->ngrp < 0 || cfg->ngrp > FIB_MAX_MP)
		return -EINVAL;
	if ((nh = fib_nexthop_get(cfg->id)) != NULL)
		return (cfg->nlflags & NLM_F_REPLACE) ?
		    fib_nexthop_replace(nh, cfg) : -EEXIST;
	if (cfg->ngrp > 0 && (cfg->gw || cfg->oif || cfg->blackhole))
		return -EINVAL;
	if (cfg->blackhole && (cfg->gw || cfg->oif))
		return -EINVAL;
	if ((nh = kmem_cache_zalloc(nexthop_cache, 0)) == NULL)
		return -ENOBUFS;
	nh->id = cfg->id;
	nh->protocol = cfg->protocol;
	if (cfg->ngrp > 0) {
		nh->is_group = 1;
		nh_res_set(nh, cfg);
		nh->grp = calloc(cfg->ngrp, sizeof(*nh->grp));
		err = -ENOBUFS;
		if (nh->grp == NULL)
			goto fail;
		if ((err = nh_grp_fill(nh->grp, cfg)) != 0)
			goto fail;
		nh->num_nh = cfg->ngrp;
		for (i = 0; i < cfg->ngrp; i++)
			nh->grp[i].nh->refcnt++;
		nh_group_rebalance(nh);
		if (nh->num_nh > 1)
			fib_mp_count(1);
	} else if (cfg->blackhole) {
		nh->blackhole = 1;
	} else if ((err = nh_single_fill(&nh->nh, cfg)) != 0) {
		goto fail;
	}
	nh->saddr_genid = netdev_addr_genid();
	h = nh_hashfn(nh->id);
	nh->nh_hnext = nh_hash[h];
	rcu_assign_pointer(nh_hash[h], nh);
	WRITE_ONCE(nh_nr, nh_nr + 1);
	fib_bump_genid();
	return 0;
fail:
	free(nh->grp);
	kmem_cache_free(nexthop_cache, nh);
	return err;
}

static void
nh_unlink_free(struct nexthop *nh)
{
	struct nexthop **pp;

	for (pp = &nh_hash[nh_hashfn(nh->id)]; *pp != NULL;
	    pp = &(*pp)->nh_hnext)
		if (*pp == nh) {
			rcu_assign_pointer(*pp, nh->nh_hnext);
			WRITE_ONCE(nh_nr, nh_nr - 1);
			break;
		}
	if (nh->is_group && nh->num_nh > 1)
		fib_mp_count(-1);
	if (nh->grp != NULL)
		free_rcu(nh->grp);
	kmem_cache_free_rcu(nexthop_cache, nh);
}

static void
nh_flush_routes(struct nexthop *nh)
{
	fib_flush_nh(nh);
}

/* Take @m out of group @g (new member array, published whole). */
static int
nh_group_remove(struct nexthop *g, struct nexthop *m)
{
	struct nh_grp_entry *ng;
	int i, n = 0;

	if ((ng = calloc((unsigned int)g->num_nh, sizeof(*ng))) == NULL)
		return -ENOBUFS;
	for (i = 0; i < g->num_nh; i++)
		if (g->grp[i].nh != m)
			ng[n++] = g->grp[i];
	nh_grp_publish(g, ng, n);
	m->refcnt--;
	return n;
}

int
fib_nexthop_del(uint32_t id)
{
	struct nexthop *nh = fib_nexthop_get(id), *g;
	unsigned int h;
	int i;

	if (nh == NULL)
		return -ENOENT;
	if (!nh->is_group) {
		/* leave every group; an emptied group goes too */
		for (h = 0; h < NH_HASHSZ; h++) {
			for (g = nh_hash[h]; g != NULL; g = g->nh_hnext) {
				if (!g->is_group)
					continue;
				for (i = 0; i < g->num_nh; i++)
					if (g->grp[i].nh == nh)
						break;
				if (i == g->num_nh)
					continue;
				if (g->num_nh == 1) {
					nh_flush_routes(g);
					fib_nexthop_del(g->id);
					g = nh_hash[h];
					if (g == NULL)
						break;
				} else {
					nh_group_remove(g, nh);
				}
			}
		}
	} else {
		for (i = 0; i < nh->num_nh; i++)
			nh->grp[i].nh->refcnt--;
	}
	nh_flush_routes(nh);
	nh_unlink_free(nh);
	fib_bump_genid();
	return 0;
}

/*
 * Modern kernels remove nexthop objects (and the routes using them)
 * whose device goes down, loses its carrier or goes away.
 */
void
fib_nexthops_dev_down(const struct net_device *dev)
{
	unsigned int h;
	struct nexthop *nh;

again:
	for (h = 0; h < NH_HASHSZ; h++)
		for (nh = nh_hash[h]; nh != NULL; nh = nh->nh_hnext)
			if (!nh->is_group && !nh->blackhole &&
			    nh->nh.nh_dev == dev) {
				fib_nexthop_del(nh->id);
				goto again;
			}
}

void
fib_nexthops_free_all(void)
{
	unsigned int h;
	struct nexthop *nh, *next;

	for (h = 0; h < NH_HASHSZ; h++) {
		for (nh = nh_hash[h]; nh != NULL; nh = next) {
			next = nh->nh_hnext;
			free(nh->grp);
			kmem_cache_free(nexthop_cache, nh);
		}
		nh_hash[h] = NULL;
	}
	nh_nr = 0;
}

/* Call @fn for every nexthop object, in no order.  Any thread, online. */
void
fib_nexthop_for_each(void (*fn)(const struct nexthop *nh, void *arg),
    void *arg)
{
	struct nexthop *nh;
	unsigned int h;

	for (h = 0; h < NH_HASHSZ; h++)
		for (nh = rcu_dereference(nh_hash[h]); nh != NULL;
		    nh = rcu_dereference(nh->nh_hnext))
			fn(nh, arg);
}
