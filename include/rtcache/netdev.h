/* SPDX-License-Identifier: MIT */
/*
 * rtcache/netdev.h - the device table: links, their IPv4 addresses and
 * per-device IPv4 settings, as one network namespace has them.
 *
 * One writer (the thread that also writes the FIB) changes the table;
 * any number of readers look devices and addresses up inside liburcu QSBR
 * read-side sections, without a lock.  A device or address that goes away
 * is freed after a grace period.  Addresses are in network byte order.
 *
 * Link and address changes that must also update the FIB (dead nexthops,
 * kernel routes) go through fib_link_*() and fib_addr_*() in rtcache/fib.h,
 * which call the netdev_* writers below; the netdev_* writers alone only
 * change this table.
 */
#ifndef RTCACHE_NETDEV_H
#define RTCACHE_NETDEV_H

#include <stdint.h>
#include <stdio.h>

#define NETDEV_NAMSIZ		16

/* Link flags: the kernel's IFF_* values (a subset). */
#define NETDEV_F_UP		0x1
#define NETDEV_F_BROADCAST	0x2
#define NETDEV_F_LOOPBACK	0x8
#define NETDEV_F_NOARP		0x80
#define NETDEV_F_RUNNING	0x40
#define NETDEV_F_MULTICAST	0x1000
#define NETDEV_F_LOWER_UP	0x10000	/* carrier */

/* Address flags: the kernel's IFA_F_* values (a subset). */
#define NETDEV_IFA_SECONDARY	0x01
#define NETDEV_IFA_PERMANENT	0x80

/*
 * Per-device IPv4 settings (net.ipv4.conf.<dev>.*): those the kernel's
 * route lookup reads.  How each is combined with conf/all is the
 * kernel's (include/linux/inetdevice.h): forwarding is the device's
 * alone; rp_filter is the larger of all and the device; bc_forwarding
 * needs both; the others take either.  conf/default is never read by a
 * lookup: a new device starts with it.  Defaults are those of a new
 * namespace with compiled-in values: 0, but send_redirects and
 * shared_media 1.  Every field is an int, read with READ_ONCE.
 */
struct netdev_conf {
	int		 forwarding;	/* device only */
	int		 rp_filter;	/* max: 0 off, 1 strict, 2 loose */
	int		 accept_local;	/* or */
	int		 src_valid_mark; /* or */
	int		 route_localnet; /* or */
	int		 ignore_routes_with_linkdown; /* or (6.x) */
	int		 send_redirects; /* or */
	int		 shared_media;	/* or */
	int		 bc_forwarding;	/* and */
};

struct in_ifaddr {
	struct in_ifaddr *ifa_next;	/* primaries first, by scope (netdev_addr_add) */
	uint32_t	 ifa_local;	/* the address */
	uint32_t	 ifa_address;	/* peer address, or ifa_local */
	uint32_t	 ifa_mask;
	uint32_t	 ifa_broadcast;	/* 0: none given */
	uint8_t		 ifa_prefixlen;
	uint8_t		 ifa_scope;	/* RT_SCOPE_* */
	uint32_t	 ifa_flags;	/* NETDEV_IFA_* */
	int		 ifa_ifindex;
	uint64_t	 ifa_seq;	/* order added (dump order at a sync) */
	char		 ifa_label[NETDEV_NAMSIZ];
};

struct net_device {
	struct net_device *dev_next;	/* namespace list, by ifindex */
	struct net_device *dev_hnext;	/* index hash chain */
	int		 ifindex;
	char		 name[NETDEV_NAMSIZ];
	unsigned int	 flags;		/* NETDEV_F_*; read with netdev_flags() */
	int		 master;	/* L3/bridge master's ifindex, 0; netdev_master() */
	uint32_t	 vrf_table;	/* a VRF (l3mdev master): its FIB table
					   (IFLA_VRF_TABLE, never 0); 0: not a
					   VRF; read with l3mdev_fib_table() */
	uint32_t	 group;		/* ifgroup */
	uint32_t	 mtu;		/* read with netdev_mtu() */
	struct in_ifaddr *ifa_list;	/* RCU list */
	struct netdev_conf cnf;
};

/*
 * Set-up.  netdev_init() is idempotent and is called by fib_init().
 * netdev_exit() frees every device (no readers may be running).
 */
int	 netdev_init(void);
void	 netdev_exit(void);

/* Writer side: 0 or -errno. */
int	 netdev_link_set(int ifindex, const char *name, unsigned int flags,
	    int master);		/* add, or update an existing one */
int	 netdev_link_set_group(int ifindex, uint32_t group);
int	 netdev_link_set_mtu(int ifindex, uint32_t mtu);
/* The device is a VRF of table @table (0: it is not one): 1 when that
 * changed, 0 when not, -ENODEV (l3mdev.c). */
int	 netdev_link_set_vrf(int ifindex, uint32_t table);
int	 netdev_link_del(int ifindex);
/* @address: the peer of a peer address (IFA_ADDRESS), else @local or 0 */
int	 netdev_addr_add(int ifindex, uint32_t local, uint32_t address,
	    uint8_t prefixlen, uint32_t broadcast, uint8_t scope,
	    uint32_t flags);
int	 netdev_addr_del(int ifindex, uint32_t local, uint32_t address,
	    uint8_t prefixlen);
struct netdev_conf *netdev_conf_all(void);	/* conf/all */
struct netdev_conf *netdev_conf_default(void);	/* conf/default */
/* A device's settings, all at once: 0, -ENODEV. */
int	 netdev_set_conf(int ifindex, const struct netdev_conf *cnf);
/* Store @from into @to (a device's, all or default) value by value
 * for the readers: 1 when a value changed, else 0. */
int	 netdev_conf_store(struct netdev_conf *to, const struct netdev_conf *from);

/* Readers (RCU read side, or the writer). */
struct net_device *netdev_get_by_index(int ifindex);
struct net_device *netdev_get_by_name(const char *name);
struct net_device *netdev_first(void);	/* then dev->dev_next (RCU) */
unsigned int netdev_flags(const struct net_device *dev);
uint32_t netdev_mtu(const struct net_device *dev);
int	 netdev_master(const struct net_device *dev);
int	 netdev_is_up(const struct net_device *dev);	/* IFF_UP */
int	 netdev_has_carrier(const struct net_device *dev); /* LOWER_UP */
struct in_ifaddr *netdev_ifa_first(const struct net_device *dev);
struct in_ifaddr *netdev_ifa_next(const struct in_ifaddr *ifa);
const struct in_ifaddr *netdev_ifa_primary(const struct net_device *dev,
	    const struct in_ifaddr *ifa);
int	 netdev_loopback_index(void);	/* 0 when there is no loopback */

/*
 * L3 master devices (l3mdev.c; readers), by the kernel's names
 * (include/net/l3mdev.h): a VRF is an l3 master; a device whose master
 * is a VRF is its l3 slave (a bridge port's master is the bridge, so it
 * is none).  The master of a master is itself.
 */
int	 netif_is_l3_master(const struct net_device *dev);
int	 netif_is_l3_slave(const struct net_device *dev);
/* The VRF @dev is or belongs to, NULL when none (@dev may be NULL). */
struct net_device *l3mdev_master_dev(const struct net_device *dev);
int	 l3mdev_master_ifindex(const struct net_device *dev);	/* 0: none */
int	 l3mdev_master_ifindex_by_index(int ifindex);
/* The FIB table of the VRF @dev is or belongs to; 0 when none. */
uint32_t l3mdev_fib_table(const struct net_device *dev);

/*
 * inet_select_addr: the source address the kernel would pick on @dev
 * for destination @dst (0: any) with at most @scope; 0 when none.  Past
 * @dev's own addresses, inside a VRF the VRF device's are tried first,
 * then only devices of the same VRF (outside one: devices in none).
 */
uint32_t inet_select_addr(const struct net_device *dev, uint32_t dst,
	    int scope);
/* Is @addr configured on any device? (what the local table says). */
int	 netdev_addr_is_local(uint32_t addr);
/* Bumped on every address add/remove and link up (dev_addr_genid). */
uint64_t netdev_addr_genid(void);

/* Text (netdev_dump.c; readers): `ip -4 addr`-ish listing for debugging
 * and tests; one line per link as `ip -o link` prints its head; one line
 * per address as `ip -4 -o addr`. */
int	 netdev_dump(FILE *out);
int	 netdev_dump_links(FILE *out);
int	 netdev_dump_addrs(FILE *out);

#endif /* RTCACHE_NETDEV_H */
