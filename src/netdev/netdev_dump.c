/* SPDX-License-Identifier: MIT */
/*
 * netdev_dump.c - the device table as text: one line per link (as
 * `ip -o link` prints its head) and one per IPv4 address (as
 * `ip -4 -o addr`).  The daemon's LINK_SHOW and ADDR_SHOW replies are
 * these lines, as its route listings are fib_dump.c's.
 */
#include <stdio.h>
#include <arpa/inet.h>

#include "base/rcu.h"
#include "base/rt_names.h"
#include "rtcache/netdev.h"

static void
link_flags(FILE *out, unsigned int f)
{
	static const struct { unsigned int bit; const char *name; } t[] = {
		{ NETDEV_F_LOOPBACK, "LOOPBACK" },
		{ NETDEV_F_BROADCAST, "BROADCAST" },
		{ NETDEV_F_MULTICAST, "MULTICAST" },
		{ NETDEV_F_NOARP, "NOARP" },
		{ NETDEV_F_UP, "UP" },
		{ NETDEV_F_LOWER_UP, "LOWER_UP" },
	};
	const char *sep = "";
	size_t i;

	fputc('<', out);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (f & t[i].bit) {
			fprintf(out, "%s%s", sep, t[i].name);
			sep = ",";
		}
	fputc('>', out);
}

/* `ip -o link`-like: one line per device. */
int
netdev_dump_links(FILE *out)
{
	struct net_device *dev;
	int master;

	for (dev = netdev_first(); dev != NULL; dev = rcu_dereference(dev->dev_next)) {
		fprintf(out, "%d: %s: ", dev->ifindex, dev->name);
		link_flags(out, netdev_flags(dev));
		fprintf(out, " mtu %u", netdev_mtu(dev));
		master = netdev_master(dev);
		if (master != 0) {
			struct net_device *m = netdev_get_by_index(master);

			if (m != NULL)
				fprintf(out, " master %s", m->name);
		}
		fprintf(out, " state %s\n", !netdev_is_up(dev) ? "DOWN" :
		    netdev_has_carrier(dev) ? "UP" : "LOWERLAYERDOWN");
	}
	return 0;
}

/* `ip -4 -o addr`-like: one line per address. */
int
netdev_dump_addrs(FILE *out)
{
	struct net_device *dev;
	struct in_ifaddr *ifa;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], s[RT_NAME_BUFSZ];

	for (dev = netdev_first(); dev != NULL; dev = rcu_dereference(dev->dev_next))
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa)) {
			inet_ntop(AF_INET, &ifa->ifa_local, a, sizeof(a));
			fprintf(out, "%d: %s    inet %s", dev->ifindex,
			    dev->name, a);
			if (ifa->ifa_address != ifa->ifa_local) {
				inet_ntop(AF_INET, &ifa->ifa_address, b,
				    sizeof(b));
				fprintf(out, " peer %s", b);
			}
			fprintf(out, "/%u", ifa->ifa_prefixlen);
			if (ifa->ifa_broadcast != 0) {
				inet_ntop(AF_INET, &ifa->ifa_broadcast, b,
				    sizeof(b));
				fprintf(out, " brd %s", b);
			}
			fprintf(out, " scope %s%s %s\n",
			    rt_scope_n2a(ifa->ifa_scope, s, sizeof(s)),
			    (ifa->ifa_flags & NETDEV_IFA_SECONDARY) ?
			    " secondary" : "", ifa->ifa_label[0] ?
			    ifa->ifa_label : dev->name);
		}
	return 0;
}

/* Devices with their addresses, for the mirror dump and tests. */
int
netdev_dump(FILE *out)
{
	struct net_device *dev;
	struct in_ifaddr *ifa;
	char a[INET_ADDRSTRLEN];

	for (dev = netdev_first(); dev != NULL; dev = rcu_dereference(dev->dev_next)) {
		fprintf(out, "%d: %s:%s%s\n", dev->ifindex, dev->name,
		    netdev_is_up(dev) ? " UP" : "",
		    netdev_has_carrier(dev) ? " LOWER_UP" : "");
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa)) {
			inet_ntop(AF_INET, &ifa->ifa_local, a, sizeof(a));
			fprintf(out, "    inet %s/%u%s\n", a, ifa->ifa_prefixlen,
			    (ifa->ifa_flags & NETDEV_IFA_SECONDARY) ?
			    " secondary" : "");
		}
	}
	return 0;
}
