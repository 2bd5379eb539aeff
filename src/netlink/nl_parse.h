/* SPDX-License-Identifier: MIT */
/*
 * nl_parse.h - rtnetlink messages turned into the FIB's own config
 * structures.  Parsing is pure: it reads one message and fills one
 * struct nl_msg, or rejects the message whole.  Shared by the mirror,
 * the offline loader, the unit tests and the fuzz target.
 */
#ifndef RTCACHE_NL_PARSE_H
#define RTCACHE_NL_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "rtcache/fib.h"
#include "rtcache/netdev.h"

enum nl_kind {
	NLK_NONE = 0,
	NLK_LINK,
	NLK_ADDR,
	NLK_ROUTE,
	NLK_RULE,
	NLK_NEXTHOP,
	NLK_NETCONF,
};

/*
 * The device settings mirrored (the fields of struct netdev_conf), by
 * the kernel's names: the index in IFLA_INET_CONF (IPV4_DEVCONF_*), the
 * netconf attribute that carries it (0: none does), the sysctl.
 */
struct nl_conf_field {
	uint16_t	 devconf;
	uint16_t	 netconf;
	const char	*name;		/* net.ipv4.conf.<dev>.<name> */
	size_t		 off;		/* in struct netdev_conf */
};

#define NL_CONF_NFIELDS	9
extern const struct nl_conf_field nl_conf_fields[NL_CONF_NFIELDS];

/* Some of a device's settings: bit i of @present for nl_conf_fields[i]. */
struct nl_conf {
	unsigned int	 present;
	struct netdev_conf v;
};

struct nl_link {
	int		 ifindex;
	unsigned int	 flags;		/* ifi_flags (IFF_*) */
	int		 master;	/* IFLA_MASTER, 0 */
	uint32_t	 vrf_table;	/* IFLA_LINKINFO kind "vrf":
					   IFLA_VRF_TABLE; 0: not a VRF */
	uint32_t	 mtu;
	uint32_t	 group;
	uint8_t		 has_group;
	char		 name[NETDEV_NAMSIZ];
	struct nl_conf	 conf;		/* IFLA_AF_SPEC/AF_INET/IFLA_INET_CONF */
};

struct nl_addr {
	int		 ifindex;
	uint32_t	 local;		/* network order */
	uint32_t	 address;	/* peer, or local */
	uint32_t	 broadcast;	/* 0: none */
	uint8_t		 prefixlen;
	uint8_t		 scope;
	uint32_t	 flags;		/* IFA_F_* (IFA_FLAGS wins) */
	char		 label[NETDEV_NAMSIZ];
};

struct nl_netconf {
	int		 ifindex;	/* or NETCONFA_IFINDEX_ALL/DEFAULT */
	struct nl_conf	 conf;		/* the values sent */
};

/* One parsed message. */
struct nl_msg {
	enum nl_kind	 kind;
	uint8_t		 del;		/* RTM_DEL* */
	uint16_t	 nlflags;	/* nlmsg_flags */
	union {
		struct nl_link		 link;
		struct nl_addr		 addr;
		struct fib_config	 route;
		struct fib_rule_cfg	 rule;
		struct fib_nexthop_cfg	 nh;
		struct nl_netconf	 conf;
	} u;
};

/* Why a message was not turned into an object (nl_parse_msg > 0). */
enum nl_skip {
	NLS_OK = 0,
	NLS_CONTROL,		/* NLMSG_NOOP / DONE / ERROR / OVERRUN */
	NLS_UNKNOWN_TYPE,
	NLS_FAMILY,		/* IPv6, bridge, ... ignored quietly */
	NLS_CLONED,		/* RTM_F_CLONED: a cached exception */
	NLS_UNSUPPORTED,	/* valid, but not representable in the FIB */
};

int	 nl_parse_msg(const struct nlmsghdr *nlh, struct nl_msg *out);
/* Text of a -errno or NLS_* result, for logs and tests. */
const char *nl_skip_str(int rv);

/* The interface indexes an RTM_NEWROUTE of any family names (RTA_OIF,
 * then the multipath legs'), at most @max: how many; 0 for other or
 * malformed messages.  For a routes file, whose devices must exist. */
int	 nl_route_oifs(const struct nlmsghdr *nlh, int *idx, int max);

/* Messages in a buffer: calls @fn for each well-formed one; -EBADMSG
 * when trailing bytes do not form a message (those are skipped). */
typedef int (*nl_msg_fn)(const struct nlmsghdr *nlh, void *arg);
int	 nl_walk_buf(const void *buf, size_t len, nl_msg_fn fn, void *arg);

#endif /* RTCACHE_NL_PARSE_H */
