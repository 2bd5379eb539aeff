/* SPDX-License-Identifier: MIT */
/*
 * fib_frontend.c - the FIB as a whole: its kmem_caches, the table hash
 * (local, main and default always exist), fib_lookup through the rules,
 * the generation counter, and what link and address events do to the
 * routes (net/ipv4/fib_frontend.c, modern variant: linkdown on carrier loss, no
 * network-address broadcast, prefsrc flush in main only).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <arpa/inet.h>
#include "base/rcu.h"

#include "fib/fib_internal.h"

#define FIB_TABLE_HASHSZ	256

struct kmem_cache *fib_node_cache, *fib_alias_cache;
struct kmem_cache *fib_info_cache[FIB_INFO_CLASSES];
struct kmem_cache *nexthop_cache, *fib_rule_cache;
uint64_t fib_genid_val;

static struct fib_table *fib_tables[FIB_TABLE_HASHSZ];
static int fib_ready;

void
fib_bump_genid(void)
{
	atomic_fetch_add_release(&fib_genid_val, 1);
}

uint64_t
fib_genid(void)
{
	return smp_load_acquire(&fib_genid_val);
}

void
fib_writer_done(void)
{
	rcu_defer_flush();
}

void
fib_rcu_quiescent(void)
{
	rcu_tsan_release();
	rcu_quiescent_state();
}

void
fib_flush_nh(const struct nexthop *nh)
{
	struct fib_table *tb;
	unsigned int h;

	for (h = 0; h < FIB_TABLE_HASHSZ; h++)
		for (tb = fib_tables[h]; tb != NULL; tb = tb->tb_next)
			fn_table_flush_nh(tb, nh);
}

struct fib_table *
fib_get_table(uint32_t id)
{
	struct fib_table *tb;

	if (id == 0)
		id = RT_TABLE_MAIN;
	for (tb = rcu_dereference(fib_tables[id & (FIB_TABLE_HASHSZ - 1)]);
	    tb != NULL; tb = rcu_dereference(tb->tb_next))
		if (tb->tb_id == id)
			return tb;
	return NULL;
}

struct fib_table *
fib_new_table(uint32_t id)
{
	struct fib_table *tb;
	unsigned int h;

	if (id == 0)
		id = RT_TABLE_MAIN;
	if ((tb = fib_get_table(id)) != NULL)
		return tb;
	if ((tb = fn_table_alloc(id)) == NULL)
		return NULL;
	h = id & (FIB_TABLE_HASHSZ - 1);
	tb->tb_next = fib_tables[h];
	rcu_assign_pointer(fib_tables[h], tb);
	return tb;
}

uint32_t
fib_table_id(const struct fib_table *tb)
{
	return tb->tb_id;
}

/**
 * fib_table_ids - the ids of the tables, in the order a dump of every
 * table lists them (the kernel's: by hash chain), into @ids.  Any thread,
 * online.  Return: how many there are, which may exceed @max.
 */
unsigned int
fib_table_ids(uint32_t *ids, unsigned int max)
{
	struct fib_table *tb;
	unsigned int h, n = 0;

	for (h = 0; h < FIB_TABLE_HASHSZ; h++)
		for (tb = rcu_dereference(fib_tables[h]); tb != NULL;
		    tb = rcu_dereference(tb->tb_next)) {
			if (n < max)
				ids[n] = tb->tb_id;
			n++;
		}
	return n;
}

unsigned int
fib_table_sizes(struct fib_table_size *out, unsigned int max)
{
	struct fib_table *tb;
	unsigned int h, n = 0;

	for (h = 0; h < FIB_TABLE_HASHSZ; h++)
		for (tb = rcu_dereference(fib_tables[h]); tb != NULL;
		    tb = rcu_dereference(tb->tb_next)) {
			if (n < max) {
				out[n].id = tb->tb_id;
				out[n].routes = READ_ONCE(tb->tb_aliases);
			}
			n++;
		}
	return n;
}

/* fib_sync_settle's pass, marked in each fib_info it has seen */
static unsigned int fib_settle_gen;

/* Writer-side iteration over all tables. */
#define for_each_table(h, tb) \
	for ((h) = 0; (h) < FIB_TABLE_HASHSZ; (h)++) \
		for ((tb) = fib_tables[(h)]; (tb) != NULL; (tb) = (tb)->tb_next)

int
fib_init(void)
{
	static const char *const names[FIB_INFO_CLASSES] = { "fib_info",
	    "fib_info_mp2", "fib_info_mp4", "fib_info_mp8", "fib_info_mp16",
	    "fib_info_mp32", "fib_info_mp64", "fib_info_mp128",
	    "fib_info_mp256" };
	int i, err;

	if (fib_ready)
		return 0;
	if ((err = netdev_init()) != 0)
		return err;
	fib_node_cache = kmem_cache_create("ip_fib_hash",
	    sizeof(struct fib_node), 0, 0, NULL);
	fib_alias_cache = kmem_cache_create("ip_fib_alias",
	    sizeof(struct fib_alias), 0, 0, NULL);
	nexthop_cache = kmem_cache_create("nexthop", sizeof(struct nexthop),
	    0, 0, NULL);
	fib_rule_cache = kmem_cache_create("fib_rule",
	    sizeof(struct fib_rule_cfg) + 64, 0, 0, NULL);
	if (!fib_node_cache || !fib_alias_cache || !nexthop_cache ||
	    !fib_rule_cache)
		return -ENOMEM;
	for (i = 0; i < FIB_INFO_CLASSES; i++) {
		fib_info_cache[i] = kmem_cache_create(names[i],
		    sizeof(struct fib_info) + (1U << i) * sizeof(struct fib_nh),
		    0, 0, NULL);
		if (fib_info_cache[i] == NULL)
			return -ENOMEM;
	}
	if (!fib_new_table(RT_TABLE_LOCAL) || !fib_new_table(RT_TABLE_MAIN) ||
	    !fib_new_table(RT_TABLE_DEFAULT))
		return -ENOMEM;
	if ((err = fib_rules_init()) != 0)
		return err;
	fib_ready = 1;
	return 0;
}

void
fib_rules_set_custom(void)
{
	if (READ_ONCE(fib_rules_custom))
		return;
	WRITE_ONCE(fib_rules_custom, 1);
	fib_bump_genid();
}

void
fib_exit(void)
{
	struct fib_table *tb, *next;
	unsigned int h;

	if (!fib_ready)
		return;
	fib_rules_custom = 0;
	fib_has_custom_local_routes = 0;
	for (h = 0; h < FIB_TABLE_HASHSZ; h++) {
		for (tb = fib_tables[h]; tb != NULL; tb = next) {
			next = tb->tb_next;
			fn_table_free(tb);
		}
		fib_tables[h] = NULL;
	}
	fib_rules_exit();
	rcu_defer_barrier();
	fib_nexthops_free_all();
	fib_info_hash_free();
	fib_mp_exit();
	netdev_exit();
	rcu_defer_barrier();
	fib_ready = 0;
}

/* ------------------------------------------------------------- routes */

void
fib_config_init(struct fib_config *cfg)
{
	memset(cfg, 0, offsetof(struct fib_config, fc_mp));
	cfg->fc_table = RT_TABLE_MAIN;
	cfg->fc_protocol = RTPROT_BOOT;
	cfg->fc_type = RTN_UNICAST;
	cfg->fc_scope = RT_SCOPE_UNIVERSE;
	cfg->fc_nlflags = NLM_F_CREATE | NLM_F_EXCL;
}

int fib_has_custom_local_routes;

/*
 * A local route added by a request, not by the kernel for an address
 * (fib_magic: protocol kernel, table local), as inet_rtm_newroute
 * counts it.
 */
static bool
fib_route_is_custom_local(const struct fib_config *cfg)
{
	return cfg->fc_type == RTN_LOCAL &&
	    (cfg->fc_protocol != RTPROT_KERNEL ||
	    (cfg->fc_table != RT_TABLE_LOCAL));
}

int
fib_route_add(const struct fib_config *cfg)
{
	struct fib_table *tb;
	int err;

	if ((tb = fib_new_table(cfg->fc_table)) == NULL)
		return -ENOBUFS;
	err = fib_table_insert(tb, cfg);
	if (err == 0 && fib_route_is_custom_local(cfg) &&
	    !READ_ONCE(fib_has_custom_local_routes)) {
		WRITE_ONCE(fib_has_custom_local_routes, 1);
		fib_bump_genid();
	}
	fib_writer_done();
	return err;
}

/** fib_route_move_last - see rtcache/fib.h. */
int
fib_route_move_last(const struct fib_config *cfg)
{
	struct fib_table *tb;
	int err;

	if ((tb = fib_get_table(cfg->fc_table)) == NULL)
		return -ESRCH;
	err = fib_table_move_last(tb, cfg);
	fib_writer_done();
	return err;
}

int
fib_route_del(const struct fib_config *cfg)
{
	struct fib_table *tb;
	int err;

	if ((tb = fib_get_table(cfg->fc_table)) == NULL)
		return -ESRCH;
	err = fib_table_delete(tb, cfg);
	fib_writer_done();
	return err;
}

int
fib_table_flush(uint32_t id)
{
	struct fib_table *tb;
	unsigned int h;
	int n = 0;

	if (id == FIB_TABLE_ALL) {
		for_each_table(h, tb)
			n += fn_table_flush_dead(tb, 1);
	} else if ((tb = fib_get_table(id)) != NULL) {
		n = fn_table_flush_dead(tb, 1);
	} else {
		return -ESRCH;
	}
	fib_bump_genid();
	fib_writer_done();
	return n;
}

static int
fib_flush(void)
{
	struct fib_table *tb;
	unsigned int h;
	int n = 0;

	for_each_table(h, tb)
		n += fn_table_flush_dead(tb, 0);
	return n;
}

/* ------------------------------------------------------------- lookups */

/*
 * Until a rule is added or deleted (fib_has_custom_rules, mirrored as
 * fib_rules_custom) the kernel's table local is an alias of main: one
 * trie (fib_new_table, fib_trie_table(id, alias)), split by fib_unmerge.
 */
static bool
fib_tables_merged(void)
{
	return !READ_ONCE(fib_rules_custom);
}

/*
 * One table's lookup, telling a match or an error of a route (a throw
 * too: res->type RTN_THROW) from no match at all.  Return: the lookup's
 * result, *@found whether some route of the table ended it.
 */
static int
fib_table_lookup_found(struct fib_table *tb, const struct flowi4 *fl4,
    struct fib_result *res, bool *found)
{
	int err;

	res->type = RTN_UNSPEC;
	err = tb != NULL ? fib_table_lookup(tb, fl4, res) : -EAGAIN;
	*found = err != -EAGAIN || res->type == RTN_THROW;
	return err;
}

/* The same, for lengths under @below, telling the nodes ended (@b). */
static int
fib_table_lookup_found_below(struct fib_table *tb, const struct flowi4 *fl4,
    struct fib_result *res, bool *found, unsigned int below,
    struct fib_bound *b)
{
	int err;

	b->below = below;
	b->miss = 33;
	res->type = RTN_UNSPEC;
	err = tb != NULL ? fib_table_lookup_bounded(tb, fl4, res, b) :
	    -EAGAIN;
	*found = err != -EAGAIN || res->type == RTN_THROW;
	return err;
}

/*
 * fib_merged_lookup - fib_table_lookup in the merged trie: its leaves
 * hold both tables' aliases, longest prefix first and, for one prefix,
 * local's before main's (fib_find_alias orders by tb_id, higher first),
 * so the answer is the longer prefix of the two tables' own answers,
 * local's on a tie.  A nexthop object that does not fit the flow ends
 * its node in the merged trie: the other table's routes of that length
 * that come after it (main's after local's) and of the shorter lengths
 * of that key are not tried; such an answer is looked for again below
 * them (difftest seed 1000938: `0.0.0.0/0 table local nhid 1` on v1
 * hides `0.0.0.0/0 tos 0x1c dev v0` from a flow out of v0).
 */
int
fib_merged_lookup(const struct flowi4 *fl4, struct fib_result *res)
{
	struct fib_table *ltb = fib_get_table(RT_TABLE_LOCAL);
	struct fib_table *mtb = fib_get_table(RT_TABLE_MAIN);
	struct fib_result m = *res;
	struct fib_bound lb, mb;
	bool lfound, mfound;
	int lerr, merr;

	lerr = fib_table_lookup_found_below(ltb, fl4, res, &lfound, 33, &lb);
	if (lfound && res->prefixlen == 32)
		return lerr;
	m.probes = res->probes;
	merr = fib_table_lookup_found_below(mtb, fl4, &m, &mfound, 33, &mb);
	if (mfound && lb.miss != 33 && m.prefixlen >= lb.below &&
	    m.prefixlen <= lb.miss)
		merr = fib_table_lookup_found_below(mtb, fl4, &m, &mfound,
		    lb.below, &mb);
	if (lfound && mb.miss != 33 && res->prefixlen >= mb.below &&
	    res->prefixlen < mb.miss) {
		res->probes = m.probes;
		lerr = fib_table_lookup_found_below(ltb, fl4, res, &lfound,
		    mb.below, &lb);
		m.probes = res->probes;
	}
	if (mfound && (!lfound || m.prefixlen > res->prefixlen)) {
		*res = m;
		return merr;
	}
	res->probes = m.probes;
	return lerr;
}

/**
 * fib_table_lookup_id - the kernel's fib_get_table(@id) and
 * fib_table_lookup: table local or main is the merged trie while they
 * are one.  Return: as fib_table_lookup, -EAGAIN for a table that does
 * not exist.
 */
int
fib_table_lookup_id(uint32_t id, const struct flowi4 *fl4,
    struct fib_result *res)
{
	if (id == 0)
		id = RT_TABLE_MAIN;
	if ((id == RT_TABLE_LOCAL || id == RT_TABLE_MAIN) &&
	    fib_tables_merged())
		return fib_merged_lookup(fl4, res);
	return fib_table_lookup_found(fib_get_table(id), fl4, res,
	    &(bool){ false });
}

int
fib_lookup_nopath(const struct flowi4 *fl4, struct fib_result *res)
{
	res->probes = 0;
	res->r = NULL;
	res->fi = NULL;
	res->nhc = NULL;
	return fib_rules_lookup(fl4, res);
}

int
fib_lookup(const struct flowi4 *fl4, struct fib_result *res)
{
	int err;

	if ((err = fib_lookup_nopath(fl4, res)) == 0 && res->fi != NULL)
		fib_mp_select_hashed(res, fl4);
	return err;
}

unsigned int
fib_table_probes(uint32_t id, uint32_t daddr)
{
	struct fib_table *tb = fib_get_table(id);
	struct fib_result res;
	struct flowi4 fl4;

	if (tb == NULL)
		return 0;
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	res.probes = 0;
	fib_table_lookup(tb, &fl4, &res);
	return res.probes;
}

int
fib_addr_type(uint32_t addr)
{
	return fib_addr_type_table(addr, RT_TABLE_LOCAL);
}

/* inet_addr_type_table: @addr's type as table @id says it (local and
 * main together while they are one table). */
int
fib_addr_type_table(uint32_t addr, uint32_t id)
{
	struct fib_result res;
	struct flowi4 fl4;

	if (addr == 0 || addr == 0xffffffff)
		return RTN_BROADCAST;
	if ((ntohl(addr) & 0xf0000000) == 0xe0000000)
		return RTN_MULTICAST;
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = addr;
	memset(&res, 0, sizeof(res));
	if (fib_table_lookup_id(id, &fl4, &res) == 0)
		return res.type;
	return RTN_UNICAST;
}

/* ------------------------------------------------------------- events */

static int
fib_magic(int add, uint8_t type, uint32_t dst, uint8_t plen, uint32_t prefsrc,
    const struct net_device *dev)
{
	struct fib_config cfg;
	struct fib_table *tb;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fc_dst = dst;
	cfg.fc_dst_len = plen;
	cfg.fc_type = type;
	cfg.fc_protocol = RTPROT_KERNEL;
	cfg.fc_scope = type != RTN_LOCAL ? RT_SCOPE_LINK : RT_SCOPE_HOST;
	cfg.fc_prefsrc = prefsrc;
	cfg.fc_oif = dev->ifindex;
	/* a VRF member's go to the VRF's table (fib_add_ifaddr) */
	cfg.fc_table = l3mdev_fib_table(dev);
	if (cfg.fc_table == 0)
		cfg.fc_table = type == RTN_UNICAST ? RT_TABLE_MAIN :
		    RT_TABLE_LOCAL;
	cfg.fc_nlflags = NLM_F_CREATE | NLM_F_APPEND;
	if (add) {
		tb = fib_new_table(cfg.fc_table);
		return tb != NULL ? fib_table_insert(tb, &cfg) : -ENOBUFS;
	}
	cfg.fc_prefsrc = 0;
	tb = fib_get_table(cfg.fc_table);
	return tb != NULL ? fib_table_delete(tb, &cfg) : -ESRCH;
}

static void
fib_add_ifaddr(const struct net_device *dev, const struct in_ifaddr *ifa)
{
	const struct in_ifaddr *prim = netdev_ifa_primary(dev, ifa);
	uint32_t prefix = ifa->ifa_address & ifa->ifa_mask;
	uint8_t ptype;

	if (prim == NULL)
		return;
	fib_magic(1, RTN_LOCAL, ifa->ifa_local, 32, prim->ifa_local, dev);
	if (!netdev_is_up(dev))
		return;
	if (ifa->ifa_broadcast && ifa->ifa_broadcast != 0xffffffff)
		fib_magic(1, RTN_BROADCAST, ifa->ifa_broadcast, 32,
		    prim->ifa_local, dev);
	if (prefix != 0 && !(ifa->ifa_flags & NETDEV_IFA_SECONDARY) &&
	    (prefix != ifa->ifa_local || ifa->ifa_prefixlen < 32)) {
		ptype = (netdev_flags(dev) & NETDEV_F_LOOPBACK) ? RTN_LOCAL :
		    RTN_UNICAST;
		fib_magic(1, ptype, prefix, ifa->ifa_prefixlen,
		    prim->ifa_local, dev);
		if (ifa->ifa_prefixlen < 31)
			fib_magic(1, RTN_BROADCAST, prefix | ~ifa->ifa_mask, 32,
			    prim->ifa_local, dev);
	}
}

static int
brd_in_use(const struct net_device *dev, uint32_t brd)
{
	const struct in_ifaddr *p;

	for (p = dev->ifa_list; p != NULL; p = p->ifa_next) {
		if (p->ifa_broadcast == brd)
			return 1;
		if (p->ifa_prefixlen < 31 &&
		    ((p->ifa_address & p->ifa_mask) | ~p->ifa_mask) == brd)
			return 1;
	}
	return 0;
}

static void
fib_del_ifaddr(const struct net_device *dev, const struct in_ifaddr *ifa)
{
	const struct in_ifaddr *p;
	uint32_t prefix = ifa->ifa_address & ifa->ifa_mask;

	if (prefix != 0 && !(ifa->ifa_flags & NETDEV_IFA_SECONDARY) &&
	    (prefix != ifa->ifa_local || ifa->ifa_prefixlen < 32))
		fib_magic(0, (netdev_flags(dev) & NETDEV_F_LOOPBACK) ?
		    RTN_LOCAL : RTN_UNICAST, prefix, ifa->ifa_prefixlen, 0, dev);
	if (ifa->ifa_broadcast && ifa->ifa_broadcast != 0xffffffff &&
	    !brd_in_use(dev, ifa->ifa_broadcast))
		fib_magic(0, RTN_BROADCAST, ifa->ifa_broadcast, 32, 0, dev);
	if (ifa->ifa_prefixlen < 31 && !brd_in_use(dev, prefix | ~ifa->ifa_mask))
		fib_magic(0, RTN_BROADCAST, prefix | ~ifa->ifa_mask, 32, 0, dev);
	for (p = dev->ifa_list; p != NULL; p = p->ifa_next)
		if (p->ifa_local == ifa->ifa_local)
			return;
	fib_magic(0, RTN_LOCAL, ifa->ifa_local, 32, 0, dev);
}

static void
fib_disable_ip(const struct net_device *dev, int event, int force)
{
	if (fib_sync_down_dev(dev, event, force))
		fib_flush();
}

int
fib_link_set(int ifindex, const char *name, unsigned int flags, int master,
    unsigned int evflags)
{
	struct net_device *dev = netdev_get_by_index(ifindex);
	unsigned int old = dev != NULL ? dev->flags : 0;
	struct in_ifaddr *ifa;
	int err, renamed;

	renamed = dev == NULL || (name != NULL &&
	    strncmp(dev->name, name, NETDEV_NAMSIZ) != 0);
	if ((err = netdev_link_set(ifindex, name, flags, master)) != 0)
		return err;
	dev = netdev_get_by_index(ifindex);
	if (renamed)
		fib_rules_dev_event();
	if ((old & NETDEV_F_UP) && !(flags & NETDEV_F_UP)) {
		fib_disable_ip(dev, FIB_EV_DOWN, 0);
		fib_nexthops_dev_down(dev);
	} else if (!(old & NETDEV_F_UP) && (flags & NETDEV_F_UP)) {
		fib_sync_up(dev, RTNH_F_DEAD);
		if (evflags & FIB_EV_KERNEL_ROUTES)
			for (ifa = dev->ifa_list; ifa != NULL;
			    ifa = ifa->ifa_next)
				fib_add_ifaddr(dev, ifa);
	} else if (flags & NETDEV_F_UP) {
		/* Carrier loss: inline nexthops linkdown. */
		if ((old ^ flags) & NETDEV_F_LOWER_UP) {
			if (flags & NETDEV_F_LOWER_UP)
				fib_sync_up(dev, RTNH_F_LINKDOWN);
			else
				fib_sync_down_dev(dev, FIB_EV_CHANGE, 0);
		}
		/* Nexthop objects on the device go, with their routes,
		 * silently, once neither RUNNING nor LOWER_UP is left
		 * (nh_netdev_event, NETDEV_CHANGE), whichever of the two
		 * went last and in whichever message. */
		if ((old & (NETDEV_F_RUNNING | NETDEV_F_LOWER_UP)) &&
		    !(flags & (NETDEV_F_RUNNING | NETDEV_F_LOWER_UP)))
			fib_nexthops_dev_down(dev);
	}
	fib_bump_genid();
	fib_writer_done();
	return 0;
}

int
fib_link_del(int ifindex)
{
	struct net_device *dev = netdev_get_by_index(ifindex);
	int err;

	if (dev == NULL)
		return -ENODEV;
	fib_disable_ip(dev, FIB_EV_UNREGISTER, 2);
	fib_nexthops_dev_down(dev);
	err = netdev_link_del(ifindex);
	fib_rules_dev_event();
	fib_bump_genid();
	fib_writer_done();
	return err;
}

int
fib_addr_add(int ifindex, uint32_t local, uint8_t prefixlen, uint32_t brd,
    uint8_t scope, unsigned int evflags)
{
	return fib_addr_add_peer(ifindex, local, local, prefixlen, brd, scope,
	    evflags);
}

int
fib_addr_add_peer(int ifindex, uint32_t local, uint32_t peer,
    uint8_t prefixlen, uint32_t brd, uint8_t scope, unsigned int evflags)
{
	struct net_device *dev;
	struct in_ifaddr *ifa;
	int err;

	if ((err = netdev_addr_add(ifindex, local, peer, prefixlen, brd, scope,
	    0)) != 0)
		return err;
	dev = netdev_get_by_index(ifindex);
	if (evflags & FIB_EV_KERNEL_ROUTES)
		for (ifa = dev->ifa_list; ifa != NULL; ifa = ifa->ifa_next)
			if (ifa->ifa_local == local &&
			    ifa->ifa_prefixlen == prefixlen &&
			    ifa->ifa_address == (peer ? peer : local))
				fib_add_ifaddr(dev, ifa);
	fib_sync_up(dev, RTNH_F_DEAD);
	fib_bump_genid();
	fib_writer_done();
	return 0;
}

/*
 * After an address is gone: is @local still ours?  fib_del_ifaddr asks
 * the other addresses and table local (inet_addr_type_dev_table), where
 * a local route on any device covering it (`local 10.0.0.0/9 dev v4`)
 * keeps it ours.  The address's own /32 local route, which the kernel
 * deletes after it announces the address gone, does not count: the
 * neighbouring address is asked instead, which a covering route of
 * length 31 or less covers too.
 */
static int
addr_still_local(uint32_t local)
{
	struct fib_result res;
	struct flowi4 fl4;

	if (netdev_addr_is_local(local))
		return 1;
	memset(&fl4, 0, sizeof(fl4));
	memset(&res, 0, sizeof(res));
	fl4.daddr = local ^ htonl(1);
	return fib_table_lookup_id(RT_TABLE_LOCAL, &fl4, &res) == 0 &&
	    res.type == RTN_LOCAL && res.prefixlen < 32;
}

int
fib_addr_del(int ifindex, uint32_t local, uint32_t address,
    uint8_t prefixlen, unsigned int evflags)
{
	struct net_device *dev = netdev_get_by_index(ifindex);
	struct in_ifaddr copy, *ifa;
	struct fib_table *tb;
	int err;

	if (dev == NULL)
		return -ENODEV;
	if (address == 0)
		address = local;
	for (ifa = dev->ifa_list; ifa != NULL; ifa = ifa->ifa_next)
		if (ifa->ifa_local == local &&
		    ifa->ifa_prefixlen == prefixlen &&
		    ((address ^ ifa->ifa_address) & ifa->ifa_mask) == 0)
			break;
	if (ifa == NULL)
		return -EADDRNOTAVAIL;
	copy = *ifa;
	if ((err = netdev_addr_del(ifindex, local, address, prefixlen)) != 0)
		return err;
	if (evflags & FIB_EV_KERNEL_ROUTES)
		fib_del_ifaddr(dev, &copy);
	if (!addr_still_local(local) &&
	    (tb = fib_get_table(RT_TABLE_MAIN)) != NULL)
		fn_table_flush_prefsrc(tb, local);
	if (dev->ifa_list == NULL)
		/* not the nexthop objects: the kernel's nexthop code
		 * listens to device events, not address events */
		fib_disable_ip(dev, FIB_EV_DOWN, 1);
	fib_bump_genid();
	fib_writer_done();
	return 0;
}

/* ------------------------------------------------------------- stats */

void
fib_mem_stats(struct fib_mem_stats *st)
{
	struct fib_table *tb;
	unsigned int h;

	memset(st, 0, sizeof(*st));
	for_each_table(h, tb)
		fn_table_mem(tb, st);
	st->infos = fib_info_count();
	st->node_bytes = st->nodes * fib_node_cache->size;
	st->alias_bytes = fib_alias_ext_count() * fib_alias_cache->size;
	st->info_bytes = fib_info_bytes();
	st->total_bytes = st->node_bytes + st->alias_bytes + st->info_bytes +
	    st->hash_bytes;
}

/**
 * fib_route_walk - see rtcache/fib.h.
 * Return: 0, @fn's first non-zero return, or -ESRCH (no such table).
 */
int
fib_route_walk(uint32_t id, fib_route_walk_fn fn, void *arg)
{
	struct fib_table *tb;
	unsigned int h;
	int rv;

	if (id != FIB_TABLE_ALL) {
		if ((tb = fib_get_table(id)) == NULL)
			return -ESRCH;
		return fn_table_walk(tb, fn, arg);
	}
	for_each_table(h, tb)
		if ((rv = fn_table_walk(tb, fn, arg)) != 0)
			return rv;
	return 0;
}

static int
settle_cb(struct fib_table *tb, struct fn_zone *fz, struct fib_node *fn,
    struct fib_alias *fa, void *arg)
{
	struct fib_info *fi = fa->fa_info;
	unsigned int *changed = arg;

	(void)fz;
	(void)fn;
	if (fi != NULL && fi->fib_settled != fib_settle_gen) {
		fi->fib_settled = fib_settle_gen;
		*changed += fib_info_settle_gateways(fi, tb->tb_id);
	}
	return 0;
}

/**
 * fib_sync_settle - after a sync, what its dump cannot tell: the scope
 * of gateways a route of host scope covers, of nexthop objects and of
 * routes (fib_info_settle_gateways, once per fib_info, with the first
 * table that uses it).  Return: how many gateways changed scope.
 */
unsigned int
fib_sync_settle(void)
{
	struct fib_table *tb;
	unsigned int h, changed = 0;

	fib_settle_gen++;
	changed = fib_nexthops_settle_gateways();
	for_each_table(h, tb)
		(void)fn_table_for_each(tb, settle_cb, &changed);
	fib_bump_genid();
	return changed;
}

/** fib_route_remove_if - see rtcache/fib.h. */
int
fib_route_remove_if(fib_route_walk_fn pred, void *arg)
{
	struct fib_table *tb;
	unsigned int h;
	int n = 0;

	for_each_table(h, tb)
		n += fn_table_remove_routes(tb, pred, arg);
	fib_writer_done();
	return n;
}
