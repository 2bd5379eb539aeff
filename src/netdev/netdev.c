/* SPDX-License-Identifier: MIT */
/*
 * netdev.c - the device table: links by ifindex and name, each with its
 * IPv4 addresses and conf settings.
 *
 * Devices sit on one list sorted by ifindex (the namespace order that
 * inet_select_addr falls back to; loopback is normally index 1) and in a
 * small index hash.  Both, and each device's address list, are RCU
 * lists: the writer links new elements with release stores and unlinks
 * without touching the unlinked element's next pointer, so a reader
 * standing on it still finds the rest.  Unlinked devices and addresses
 * are freed after a grace period.  Primary addresses come before
 * secondaries, as in the kernel's ifa_list.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include "rtcache/netdev.h"
#include "rtcache/slab.h"
#include "base/rcu.h"

#define NETDEV_HASHSZ	256

static struct kmem_cache *netdev_cache;
static struct kmem_cache *ifa_cache;
static struct net_device *netdev_list;
static struct net_device *netdev_hash[NETDEV_HASHSZ];
static struct netdev_conf conf_all, conf_default;
static uint64_t addr_genid;
static uint64_t addr_seq;	/* the last in_ifaddr's ifa_seq */

static inline unsigned int
netdev_hashfn(int ifindex)
{
	unsigned int v = (unsigned int)ifindex;

	return (v ^ (v >> 8) ^ (v >> 16)) & (NETDEV_HASHSZ - 1);
}

/* inet_ifa_match: @addr is on @ifa's prefix, which is the peer's for a
 * peer address (ifa_address), else the address's own. */
static inline int
ifa_match(uint32_t addr, const struct in_ifaddr *ifa)
{
	return ((addr ^ ifa->ifa_address) & ifa->ifa_mask) == 0;
}

static inline uint32_t
mask_of(uint8_t plen)
{
	return plen == 0 ? 0 : htonl(~0U << (32 - plen));
}

/* The compiled-in values of a namespace's all and default (ipv4_devconf
 * and ipv4_devconf_dflt, net/ipv4/devinet.c), as far as we keep them. */
static void
conf_compiled(struct netdev_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->send_redirects = 1;
	c->shared_media = 1;
}

int
netdev_init(void)
{
	if (netdev_cache != NULL)
		return 0;
	conf_compiled(&conf_all);
	conf_compiled(&conf_default);
	netdev_cache = kmem_cache_create("net_device",
	    sizeof(struct net_device), 0, SLAB_HWCACHE_ALIGN, NULL);
	ifa_cache = kmem_cache_create("in_ifaddr", sizeof(struct in_ifaddr),
	    0, 0, NULL);
	if (netdev_cache == NULL || ifa_cache == NULL)
		return -ENOMEM;
	return 0;
}

void
netdev_exit(void)
{
	struct net_device *dev, *dnext;
	struct in_ifaddr *ifa, *inext;

	for (dev = netdev_list; dev != NULL; dev = dnext) {
		dnext = dev->dev_next;
		for (ifa = dev->ifa_list; ifa != NULL; ifa = inext) {
			inext = ifa->ifa_next;
			kmem_cache_free(ifa_cache, ifa);
		}
		kmem_cache_free(netdev_cache, dev);
	}
	netdev_list = NULL;
	memset(netdev_hash, 0, sizeof(netdev_hash));
	conf_compiled(&conf_all);
	conf_compiled(&conf_default);
}

struct net_device *
netdev_get_by_index(int ifindex)
{
	struct net_device *dev;

	for (dev = rcu_dereference(netdev_hash[netdev_hashfn(ifindex)]); dev != NULL;
	    dev = rcu_dereference(dev->dev_hnext))
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

struct net_device *
netdev_get_by_name(const char *name)
{
	struct net_device *dev;

	for (dev = rcu_dereference(netdev_list); dev != NULL;
	    dev = rcu_dereference(dev->dev_next))
		if (strncmp(dev->name, name, NETDEV_NAMSIZ) == 0)
			return dev;
	return NULL;
}

struct net_device *
netdev_first(void)
{
	return rcu_dereference(netdev_list);
}

unsigned int
netdev_flags(const struct net_device *dev)
{
	return READ_ONCE(dev->flags);
}

uint32_t
netdev_mtu(const struct net_device *dev)
{
	return READ_ONCE(dev->mtu);
}

int
netdev_master(const struct net_device *dev)
{
	return READ_ONCE(dev->master);
}

int
netdev_is_up(const struct net_device *dev)
{
	return (netdev_flags(dev) & NETDEV_F_UP) != 0;
}

int
netdev_has_carrier(const struct net_device *dev)
{
	return (netdev_flags(dev) & NETDEV_F_LOWER_UP) != 0;
}

struct in_ifaddr *
netdev_ifa_first(const struct net_device *dev)
{
	return rcu_dereference(((struct net_device *)dev)->ifa_list);
}

struct in_ifaddr *
netdev_ifa_next(const struct in_ifaddr *ifa)
{
	return rcu_dereference(((struct in_ifaddr *)ifa)->ifa_next);
}

/**
 * netdev_ifa_primary - the primary address a secondary @ifa of @dev
 * belongs to (same subnet), which the kernel gives its local and
 * broadcast routes as their source; @ifa itself when it is a primary;
 * NULL for a secondary without one.
 */
const struct in_ifaddr *
netdev_ifa_primary(const struct net_device *dev, const struct in_ifaddr *ifa)
{
	const struct in_ifaddr *p;

	if (!(READ_ONCE(ifa->ifa_flags) & NETDEV_IFA_SECONDARY))
		return ifa;
	/* inet_ifa_byprefix: the first of the same mask on the prefix */
	for (p = netdev_ifa_first(dev); p != NULL; p = netdev_ifa_next(p))
		if (!(READ_ONCE(p->ifa_flags) & NETDEV_IFA_SECONDARY) &&
		    p->ifa_mask == ifa->ifa_mask && ifa_match(ifa->ifa_address, p))
			return p;
	return NULL;
}

int
netdev_loopback_index(void)
{
	struct net_device *dev;

	for (dev = netdev_first(); dev != NULL; dev = rcu_dereference(dev->dev_next))
		if (netdev_flags(dev) & NETDEV_F_LOOPBACK)
			return dev->ifindex;
	return 0;
}

struct netdev_conf *
netdev_conf_all(void)
{
	return &conf_all;
}

struct netdev_conf *
netdev_conf_default(void)
{
	return &conf_default;
}

/* The values of a netdev_conf: all ints, in order. */
#define NETDEV_CONF_N	(sizeof(struct netdev_conf) / sizeof(int))
_Static_assert(sizeof(struct netdev_conf) % sizeof(int) == 0,
    "struct netdev_conf holds ints only");

int
netdev_conf_store(struct netdev_conf *to, const struct netdev_conf *from)
{
	int *t = (int *)to;
	const int *f = (const int *)from;
	int changed = 0;
	size_t i;

	for (i = 0; i < NETDEV_CONF_N; i++)
		if (t[i] != f[i]) {
			WRITE_ONCE(t[i], f[i]);
			changed = 1;
		}
	return changed;
}

int
netdev_set_conf(int ifindex, const struct netdev_conf *cnf)
{
	struct net_device *dev = netdev_get_by_index(ifindex);

	if (dev == NULL)
		return -ENODEV;
	netdev_conf_store(&dev->cnf, cnf);
	return 0;
}

int
netdev_link_set(int ifindex, const char *name, unsigned int flags, int master)
{
	struct net_device *dev, **pp;
	unsigned int h;

	if (ifindex <= 0 || name == NULL || name[0] == '\0' ||
	    strlen(name) >= NETDEV_NAMSIZ)
		return -EINVAL;
	if ((dev = netdev_get_by_index(ifindex)) != NULL) {
		struct net_device *other = netdev_get_by_name(name);

		if (other != NULL && other != dev)
			return -EEXIST;
		/*
		 * Written only on a real rename (every RTM_NEWLINK came here
		 * and rewrote the name under the workers' feet).  A rename is
		 * still not atomic for readers: names are advisory.
		 */
		if (strcmp(name, dev->name) != 0)
			snprintf(dev->name, NETDEV_NAMSIZ, "%s", name);
		if ((flags & NETDEV_F_UP) && !(dev->flags & NETDEV_F_UP))
			WRITE_ONCE(addr_genid, addr_genid + 1);
		WRITE_ONCE(dev->flags, flags);
		WRITE_ONCE(dev->master, master);
		return 0;
	}
	if (netdev_get_by_name(name) != NULL)
		return -EEXIST;
	if ((dev = kmem_cache_zalloc(netdev_cache, 0)) == NULL)
		return -ENOMEM;
	dev->ifindex = ifindex;
	snprintf(dev->name, NETDEV_NAMSIZ, "%s", name);
	dev->flags = flags;
	dev->master = master;
	dev->mtu = 1500;
	dev->cnf = conf_default;
	for (pp = &netdev_list; *pp != NULL && (*pp)->ifindex < ifindex;
	    pp = &(*pp)->dev_next)
		;
	dev->dev_next = *pp;
	rcu_assign_pointer(*pp, dev);
	h = netdev_hashfn(ifindex);
	dev->dev_hnext = netdev_hash[h];
	rcu_assign_pointer(netdev_hash[h], dev);
	return 0;
}

int
netdev_link_set_group(int ifindex, uint32_t group)
{
	struct net_device *dev = netdev_get_by_index(ifindex);

	if (dev == NULL)
		return -ENODEV;
	WRITE_ONCE(dev->group, group);
	return 0;
}

int
netdev_link_set_mtu(int ifindex, uint32_t mtu)
{
	struct net_device *dev = netdev_get_by_index(ifindex);

	if (dev == NULL)
		return -ENODEV;
	if (READ_ONCE(dev->mtu) != mtu)
		WRITE_ONCE(dev->mtu, mtu);
	return 0;
}

int
netdev_link_del(int ifindex)
{
	struct net_device *dev, **pp;
	struct in_ifaddr *ifa;

	if ((dev = netdev_get_by_index(ifindex)) == NULL)
		return -ENODEV;
	for (pp = &netdev_list; *pp != dev; pp = &(*pp)->dev_next)
		;
	rcu_assign_pointer(*pp, dev->dev_next);
	for (pp = &netdev_hash[netdev_hashfn(ifindex)]; *pp != dev;
	    pp = &(*pp)->dev_hnext)
		;
	rcu_assign_pointer(*pp, dev->dev_hnext);
	for (ifa = dev->ifa_list; ifa != NULL; ifa = ifa->ifa_next)
		kmem_cache_free_rcu(ifa_cache, ifa);
	kmem_cache_free_rcu(netdev_cache, dev);
	WRITE_ONCE(addr_genid, addr_genid + 1);
	return 0;
}

/*
 * An address is known by its local address, its prefix length and the
 * prefix of its address (the peer's for a peer address), as the kernel
 * finds duplicates (__inet_insert_ifa) and deletes (inet_rtm_deladdr):
 * `10.0.7.179 peer 10.0.5.29/24` and `10.0.7.179/24` are two.  An
 * @address of 0 is @local.
 */
static struct in_ifaddr *
ifa_find(struct net_device *dev, uint32_t local, uint32_t address,
    uint8_t plen)
{
	struct in_ifaddr *ifa;

	if (address == 0)
		address = local;
	for (ifa = dev->ifa_list; ifa != NULL; ifa = ifa->ifa_next)
		if (ifa->ifa_local == local && ifa->ifa_prefixlen == plen &&
		    ifa_match(address, ifa))
			return ifa;
	return NULL;
}

/*
 * As __inet_insert_ifa: a secondary when an address of the same mask
 * is on its prefix (the peer's prefix for a peer address), then after
 * every address; a primary after the last primary of a scope not below
 * its own, so that the primaries stay in scope order, host before link
 * before universe, and in add order within a scope.
 */
int
netdev_addr_add(int ifindex, uint32_t local, uint32_t address,
    uint8_t prefixlen, uint32_t broadcast, uint8_t scope, uint32_t flags)
{
	struct net_device *dev;
	struct in_ifaddr *ifa, *i, **pp, **last_primary;
	uint32_t mask;

	if ((dev = netdev_get_by_index(ifindex)) == NULL)
		return -ENODEV;
	if (prefixlen > 32)
		return -EINVAL;
	if (address == 0)
		address = local;
	if (ifa_find(dev, local, address, prefixlen) != NULL)
		return -EEXIST;
	if ((ifa = kmem_cache_zalloc(ifa_cache, 0)) == NULL)
		return -ENOBUFS;
	mask = mask_of(prefixlen);
	ifa->ifa_local = local;
	ifa->ifa_address = address;
	ifa->ifa_mask = mask;
	ifa->ifa_prefixlen = prefixlen;
	ifa->ifa_broadcast = broadcast;
	ifa->ifa_scope = scope;
	ifa->ifa_ifindex = ifindex;
	ifa->ifa_seq = ++addr_seq;
	ifa->ifa_flags = flags & ~NETDEV_IFA_SECONDARY;
	memcpy(ifa->ifa_label, dev->name, NETDEV_NAMSIZ);
	last_primary = &dev->ifa_list;
	for (pp = &dev->ifa_list; (i = *pp) != NULL; pp = &i->ifa_next) {
		if (!(i->ifa_flags & NETDEV_IFA_SECONDARY) &&
		    scope <= i->ifa_scope)
			last_primary = &i->ifa_next;
		if (i->ifa_mask == mask && ifa_match(i->ifa_address, ifa))
			ifa->ifa_flags |= NETDEV_IFA_SECONDARY;
	}
	if (!(ifa->ifa_flags & NETDEV_IFA_SECONDARY))
		pp = last_primary;
	ifa->ifa_next = *pp;
	rcu_assign_pointer(*pp, ifa);
	WRITE_ONCE(addr_genid, addr_genid + 1);
	return 0;
}

/*
 * As __inet_del_ifa.  The kernel deletes a primary's secondaries first
 * (announcing each) unless promote_secondaries is set; so a secondary
 * of the deleted primary's prefix still here was promoted: the first
 * one loses its flag and moves after the last primary that follows the
 * deleted one with a scope not below its own, or else after the first
 * address.  Its RTM_NEWADDR then finds it in place.
 */
int
netdev_addr_del(int ifindex, uint32_t local, uint32_t address,
    uint8_t prefixlen)
{
	struct net_device *dev;
	struct in_ifaddr *ifa, *i, *promote = NULL, *prev_prom = NULL;
	struct in_ifaddr **pp, **last_prim;

	if ((dev = netdev_get_by_index(ifindex)) == NULL)
		return -ENODEV;
	if ((ifa = ifa_find(dev, local, address, prefixlen)) == NULL)
		return -EADDRNOTAVAIL;
	for (pp = &dev->ifa_list; *pp != ifa; pp = &(*pp)->ifa_next)
		;
	/* after the first address, unless a later primary qualifies */
	last_prim = &dev->ifa_list->ifa_next;
	if (!(ifa->ifa_flags & NETDEV_IFA_SECONDARY))
		for (i = ifa->ifa_next; i != NULL; i = i->ifa_next) {
			if (!(i->ifa_flags & NETDEV_IFA_SECONDARY) &&
			    ifa->ifa_scope <= i->ifa_scope)
				last_prim = &i->ifa_next;
			if ((i->ifa_flags & NETDEV_IFA_SECONDARY) &&
			    i->ifa_mask == ifa->ifa_mask &&
			    ifa_match(ifa->ifa_address, i)) {
				promote = i;
				break;
			}
			prev_prom = i;
		}
	rcu_assign_pointer(*pp, ifa->ifa_next);
	if (last_prim == &ifa->ifa_next)
		/* the kernel links it after the deleted head, out of the
		 * list; it is kept, first */
		last_prim = &dev->ifa_list;
	if (promote != NULL) {
		if (prev_prom != NULL) {
			rcu_assign_pointer(prev_prom->ifa_next,
			    promote->ifa_next);
			promote->ifa_next = *last_prim;
			rcu_assign_pointer(*last_prim, promote);
		}
		WRITE_ONCE(promote->ifa_flags,
		    promote->ifa_flags & ~NETDEV_IFA_SECONDARY);
	}
	kmem_cache_free_rcu(ifa_cache, ifa);
	WRITE_ONCE(addr_genid, addr_genid + 1);
	return 0;
}

uint64_t
netdev_addr_genid(void)
{
	return READ_ONCE(addr_genid);	/* lookups read it too */
}

int
netdev_addr_is_local(uint32_t addr)
{
	struct net_device *dev;
	struct in_ifaddr *ifa;

	for (dev = netdev_first(); dev != NULL; dev = rcu_dereference(dev->dev_next))
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa))
			if (ifa->ifa_local == addr)
				return 1;
	return 0;
}

/* in_dev_select_addr: a primary address of @dev within @scope that is
 * not link scope. */
static uint32_t
in_dev_select_addr(const struct net_device *dev, int scope)
{
	struct in_ifaddr *ifa;

	for (ifa = netdev_ifa_first(dev); ifa != NULL; ifa = netdev_ifa_next(ifa)) {
		if (READ_ONCE(ifa->ifa_flags) & NETDEV_IFA_SECONDARY)
			continue;
		if (ifa->ifa_scope != RT_SCOPE_LINK && ifa->ifa_scope <= scope)
			return ifa->ifa_local;
	}
	return 0;
}

/*
 * The kernel's choice: a primary address of @dev within @scope, the
 * first one whose prefix (a peer address's: the peer's) holds @dst if
 * any, else the first; with route_localnet (all or @dev) a host scope
 * address counts as link scope there.  Else, in @dev's L3 domain, the
 * VRF device's (it stands in for loopback there), then any device's of
 * the same domain (outside a VRF: devices in none), that is not link
 * scope.  The primaries are in the kernel's order (netdev_addr_add).
 */
uint32_t
inet_select_addr(const struct net_device *dev, uint32_t dst, int scope)
{
	struct in_ifaddr *ifa;
	struct net_device *d, *master;
	uint32_t addr = 0;
	int master_idx, localnet_scope = RT_SCOPE_HOST;

	if (dev != NULL) {
		if (READ_ONCE(conf_all.route_localnet) ||
		    READ_ONCE(dev->cnf.route_localnet))
			localnet_scope = RT_SCOPE_LINK;
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa)) {
			int s = ifa->ifa_scope < localnet_scope ?
			    ifa->ifa_scope : localnet_scope;

			if (READ_ONCE(ifa->ifa_flags) & NETDEV_IFA_SECONDARY)
				continue;
			if (s > scope)
				continue;
			if (dst == 0 || ifa_match(dst, ifa))
				return ifa->ifa_local;
			if (addr == 0)
				addr = ifa->ifa_local;
		}
		if (addr != 0)
			return addr;
	}
	master_idx = l3mdev_master_ifindex(dev);
	if (master_idx != 0 && (master = netdev_get_by_index(master_idx)) != NULL &&
	    (addr = in_dev_select_addr(master, scope)) != 0)
		return addr;
	for (d = netdev_first(); d != NULL; d = rcu_dereference(d->dev_next)) {
		if (l3mdev_master_ifindex(d) != master_idx)
			continue;
		if ((addr = in_dev_select_addr(d, scope)) != 0)
			return addr;
	}
	return 0;
}
