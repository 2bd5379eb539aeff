/* SPDX-License-Identifier: MIT */
/*
 * l3mdev.c - L3 master devices (VRFs) in the device table: which device
 * is a VRF and of which FIB table, and which VRF a device belongs to
 * (net/l3mdev/l3mdev.c, include/net/l3mdev.h).
 *
 * A VRF is mirrored from its RTM_NEWLINK (IFLA_LINKINFO kind "vrf" with
 * IFLA_VRF_TABLE); a device belongs to it while its IFLA_MASTER names it.
 * Membership is worked out when asked, from the master's index, so the
 * order in which a VRF and its slaves arrive does not matter, and a
 * device whose master is a bridge or a bond is in no VRF (the kernel's
 * IFF_L3MDEV_SLAVE is set only by the VRF driver).  Readers run inside
 * RCU read-side sections like every device-table reader.
 */
#include <errno.h>

#include "rtcache/netdev.h"
#include "base/rcu.h"

int
netdev_link_set_vrf(int ifindex, uint32_t table)
{
	struct net_device *dev = netdev_get_by_index(ifindex);

	if (dev == NULL)
		return -ENODEV;
	if (READ_ONCE(dev->vrf_table) == table)
		return 0;
	WRITE_ONCE(dev->vrf_table, table);
	return 1;
}

int
netif_is_l3_master(const struct net_device *dev)
{
	return READ_ONCE(dev->vrf_table) != 0;
}

/* The device's master when that is a VRF. */
static struct net_device *
l3_master_of(const struct net_device *dev)
{
	struct net_device *m;
	int master = netdev_master(dev);

	if (master == 0 || (m = netdev_get_by_index(master)) == NULL)
		return NULL;
	return netif_is_l3_master(m) ? m : NULL;
}

int
netif_is_l3_slave(const struct net_device *dev)
{
	return l3_master_of(dev) != NULL;
}

struct net_device *
l3mdev_master_dev(const struct net_device *dev)
{
	if (dev == NULL)
		return NULL;
	if (netif_is_l3_master(dev))
		return (struct net_device *)dev;
	return l3_master_of(dev);
}

int
l3mdev_master_ifindex(const struct net_device *dev)
{
	const struct net_device *m = l3mdev_master_dev(dev);

	return m != NULL ? m->ifindex : 0;
}

int
l3mdev_master_ifindex_by_index(int ifindex)
{
	return ifindex != 0 ?
	    l3mdev_master_ifindex(netdev_get_by_index(ifindex)) : 0;
}

uint32_t
l3mdev_fib_table(const struct net_device *dev)
{
	const struct net_device *m = l3mdev_master_dev(dev);

	return m != NULL ? READ_ONCE(m->vrf_table) : 0;
}
