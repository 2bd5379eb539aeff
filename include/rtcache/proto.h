/* SPDX-License-Identifier: MIT */
/*
 * rtcache/proto.h - the control protocol between rtcached and its clients
 * (rtcache, librtcache users), and the codec both sides link.
 *
 * Transport: a UNIX socket of type SOCK_SEQPACKET, so one send is one
 * message and one recv returns exactly one message.  Default path
 * RTC_SOCK_PATH for root, $XDG_RUNTIME_DIR/RTC_SOCK_NAME otherwise (see
 * rtc_default_path()).
 *
 * Message layout (all integers in host byte order, IPv4 addresses and
 * ports in network byte order, as in rtnetlink):
 *
 *	struct nlmsghdr		len (whole message), type (RTC_MSG_*),
 *				flags (NLM_F_*), seq, pid = 0
 *	struct rtc_hdr		version, flags, index (8 bytes)
 *	attributes		struct nlattr TLVs, 4-byte aligned, built with
 *				mnl_attr_put_* and checked with mnl_attr_parse
 *				plus the per-type policy of src/lib/rtc_proto.c
 *
 * One message is at most RTC_MSG_MAX bytes and nlmsg_len must equal the
 * number of bytes received.  A message that fails any check is refused
 * with an RTC_MSG_ERROR reply (errno + text); the connection stays up.
 *
 * Conversation: the client sends requests with NLM_F_REQUEST and a
 * sequence number of its choice; it may send several before reading
 * (pipelining).  The daemon answers a connection's requests in order; each
 * reply echoes the request's nlmsg_seq.  A reply is complete when the
 * client has read either
 *	- one message of the reply type without NLM_F_MULTI, or
 *	- messages with NLM_F_MULTI ended by RTC_MSG_DONE, or
 *	- RTC_MSG_ERROR (ends the reply at any point; nothing follows).
 * An ERROR with nlmsg_seq 0 concerns the connection, not a request (too
 * many clients, idle timeout, a message that could not be read): the
 * daemon closes the connection after sending it.
 * Requests that only act (CACHE_FLUSH, SLAB_TUNE) are answered by DONE.
 *
 * Mutating requests (CACHE_FLUSH, SLAB_TUNE) are refused with EPERM unless
 * the peer (SO_PEERCRED) is root or in the socket's group.
 */
#ifndef RTCACHE_PROTO_H
#define RTCACHE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>	/* struct nlmsghdr, struct nlattr, NLM_F_* */

#ifdef __cplusplus
extern "C" {
#endif

#define RTC_PROTO_VERSION	1
#define RTC_MSG_MAX		65536	/* bytes per message, headers included */
#define RTC_BATCH_MAX		8192	/* flows per ROUTE_GET message */
#define RTC_IFNAMSIZ		16	/* IFNAMSIZ, NUL included */
#define RTC_LINE_MAX		4096	/* bytes per RTC_A_LINE, NUL included */
#define RTC_ERRMSG_MAX		256	/* bytes per RTC_A_ERRMSG, NUL included */
#define RTC_FIB_MAX		32768	/* bytes per RTC_RES_FIB, NUL included */
#define RTC_SOCK_PATH		"/run/rtcached/rtcached.sock"
#define RTC_SOCK_NAME		"rtcached.sock"	/* under $XDG_RUNTIME_DIR */

/* Our fixed header, right after struct nlmsghdr. */
struct rtc_hdr {
	uint8_t		 rh_version;	/* RTC_PROTO_VERSION */
	uint8_t		 rh_flags;	/* 0; reserved */
	uint16_t	 rh_reserved;	/* 0 */
	uint32_t	 rh_index;	/* ROUTE replies: request index of the
					   first RTC_A_RESULT; otherwise 0 */
};

#define RTC_HDRLEN	(NLMSG_HDRLEN + sizeof(struct rtc_hdr))	/* 24 */

/*
 * Message types (nlmsg_type).  Below 16 is netlink's control range and is
 * never used.  Requests, with their attributes and their replies:
 *
 * RTC_MSG_ROUTE_GET	1..RTC_BATCH_MAX RTC_A_FLOW nests, one per lookup
 *			(a single lookup is a batch of one).  Reply: RTC_MSG_ROUTE
 *			messages carrying one RTC_A_RESULT per flow, in request
 *			order (rh_index = index of the message's first result),
 *			NLM_F_MULTI + DONE when more than one message is needed.
 *			A failed lookup is a result with RTC_RES_ERROR, not an
 *			ERROR message; ERROR means the request itself was bad.
 * RTC_MSG_ROUTE_SHOW	optional RTC_A_TABLE (u32; absent = main, 0xffffffff =
 *			all tables).  Reply: TEXT lines, `ip -4 route show`.
 * RTC_MSG_RULE_SHOW	no attributes.  Reply: TEXT lines, `ip rule show`.
 * RTC_MSG_NEXTHOP_SHOW	no attributes.  Reply: TEXT lines, `ip nexthop show`.
 * RTC_MSG_LINK_SHOW	no attributes.  Reply: TEXT lines, the netdev table
 *			(links with index, name, flags, mtu).
 * RTC_MSG_ADDR_SHOW	no attributes.  Reply: TEXT lines, the IPv4 addresses.
 * RTC_MSG_CACHE_SHOW	no attributes.  Reply: TEXT lines, the route cache.
 * RTC_MSG_CACHE_FLUSH	optional RTC_A_FLUSH_DELAY (u32, ms; absent = 0 = now).
 *			Mutating.  Reply: DONE.
 * RTC_MSG_CACHE_STATS	no attributes.  Reply: KV message(s), the columns of
 *			/proc/net/stat/rt_cache in their order: "entries",
 *			"in_hit", "in_slow_tot", "in_slow_mc", "in_no_route",
 *			"in_brd", "in_martian_dst", "in_martian_src",
 *			"out_hit", "out_slow_tot", "out_slow_mc", "gc_total",
 *			"gc_ignored", "gc_goal_miss", "gc_dst_overflow",
 *			"in_hlist_search", "out_hlist_search" (u64 each).
 * RTC_MSG_SLABINFO	no attributes.  Reply: TEXT lines, /proc/slabinfo 2.1
 *			(with its two header lines).
 * RTC_MSG_SLAB_TUNE	RTC_A_SLAB_NAME (string), RTC_A_SLAB_LIMIT,
 *			RTC_A_SLAB_BATCHCOUNT, RTC_A_SLAB_SHARED (u32 each),
 *			as a write to /proc/slabinfo.  Mutating.  Reply: DONE.
 * RTC_MSG_STATUS	no attributes.  Reply: KV message(s).  Names the daemon
 *			sends (others may follow; clients print unknown ones):
 *			"version" (str), "pid", "synced" (0/1), "generation"
 *			(fib genid), "uptime" (s), "resyncs", "routes",
 *			"rules", "nexthops", "links", "addresses", "workers",
 *			"clients", "cache_entries".
 * RTC_MSG_STATS	no attributes.  Reply: KV message(s): daemon counters
 *			(requests, lookups, errors, per worker ...), free-form
 *			names, u64 values.
 *
 * Replies:
 *
 * RTC_MSG_DONE		ends a multi-part reply, acknowledges an action.
 *			No attributes.
 * RTC_MSG_ERROR	RTC_A_ERRNO (u32, positive errno) and RTC_A_ERRMSG
 *			(string, human text, may be absent).  Ends the reply.
 * RTC_MSG_ROUTE	RTC_A_RESULT nests (see RTC_RES_*).
 * RTC_MSG_TEXT		RTC_A_LINE strings, one text line each without its
 *			newline; as many as fit.
 * RTC_MSG_KV		RTC_A_KV nests (RTC_KV_NAME + RTC_KV_U64 or RTC_KV_STR),
 *			in the order they should be printed.
 */
enum rtc_msg_type {
	RTC_MSG_BASE = 16,

	RTC_MSG_ROUTE_GET = RTC_MSG_BASE,	/* 16 */
	RTC_MSG_ROUTE_SHOW,			/* 17 */
	RTC_MSG_RULE_SHOW,			/* 18 */
	RTC_MSG_NEXTHOP_SHOW,			/* 19 */
	RTC_MSG_LINK_SHOW,			/* 20 */
	RTC_MSG_ADDR_SHOW,			/* 21 */
	RTC_MSG_CACHE_SHOW,			/* 22 */
	RTC_MSG_CACHE_FLUSH,			/* 23 */
	RTC_MSG_CACHE_STATS,			/* 24 */
	RTC_MSG_SLABINFO,			/* 25 */
	RTC_MSG_SLAB_TUNE,			/* 26 */
	RTC_MSG_STATUS,				/* 27 */
	RTC_MSG_STATS,				/* 28 */
	RTC_MSG_REQ_LAST = RTC_MSG_STATS,

	RTC_MSG_DONE = 64,			/* 64 */
	RTC_MSG_ERROR,				/* 65 */
	RTC_MSG_ROUTE,				/* 66 */
	RTC_MSG_TEXT,				/* 67 */
	RTC_MSG_KV,				/* 68 */
	RTC_MSG_REPLY_LAST = RTC_MSG_KV,
};

/* Top-level attributes (in any message type above that lists them). */
enum rtc_attr {
	RTC_A_UNSPEC,
	RTC_A_FLOW,		/* nested RTC_FLOW_*: one lookup */
	RTC_A_RESULT,		/* nested RTC_RES_*: one lookup's answer */
	RTC_A_TABLE,		/* u32 table id, 0xffffffff = all */
	RTC_A_LINE,		/* string: one line of a listing */
	RTC_A_KV,		/* nested RTC_KV_*: one named value */
	RTC_A_ERRNO,		/* u32: positive errno */
	RTC_A_ERRMSG,		/* string: human message */
	RTC_A_FLUSH_DELAY,	/* u32: ms */
	RTC_A_SLAB_NAME,	/* string: kmem_cache name */
	RTC_A_SLAB_LIMIT,	/* u32 */
	RTC_A_SLAB_BATCHCOUNT,	/* u32 */
	RTC_A_SLAB_SHARED,	/* u32 */
	__RTC_A_MAX
};
#define RTC_A_MAX	(__RTC_A_MAX - 1)

/*
 * One lookup (inside RTC_A_FLOW), as the arguments of `ip route get`.
 * Only RTC_FLOW_DST is required.  With an input interface (IIF or
 * IIFNAME) the lookup is ip_route_input (a packet arriving there, SRC
 * required by the kernel's rules as ip gives it: absent = 0.0.0.0);
 * otherwise ip_route_output_key.  A name is resolved by the daemon as
 * iproute2 resolves it (a device's name, else "ifN" as index N); one
 * that names no device fails with ENODEV and RTC_ERRMSG_NO_IIF or
 * RTC_ERRMSG_NO_OIF (ip's `Cannot find device`); when both index and
 * name are given they must agree (else ENODEV).
 */
enum rtc_flow_attr {
	RTC_FLOW_UNSPEC,
	RTC_FLOW_DST,		/* u32, network order: the address asked */
	RTC_FLOW_SRC,		/* u32, network order: `from` */
	RTC_FLOW_IIF,		/* u32 ifindex: `iif` */
	RTC_FLOW_IIFNAME,	/* string < RTC_IFNAMSIZ: `iif` */
	RTC_FLOW_OIF,		/* u32 ifindex: `oif` */
	RTC_FLOW_OIFNAME,	/* string < RTC_IFNAMSIZ: `oif` */
	RTC_FLOW_TOS,		/* u8: `tos` / `dsfield` */
	RTC_FLOW_MARK,		/* u32: `mark` */
	RTC_FLOW_UID,		/* u32: `uid`; absent = the peer's SO_PEERCRED
				   uid for output lookups */
	RTC_FLOW_PROTO,		/* u8: `ipproto` */
	RTC_FLOW_SPORT,		/* u16, network order: `sport` */
	RTC_FLOW_DPORT,		/* u16, network order: `dport` */
	RTC_FLOW_FIBMATCH,	/* flag: `fibmatch`, answer with the FIB entry
				   that matched (RTM_F_FIB_MATCH) */
	RTC_FLOW_VRF,		/* flag: the OIF/OIFNAME was named by `vrf`:
				   it must be a VRF, else the flow fails
				   with EINVAL and RTC_ERRMSG_INVALID_VRF */
	__RTC_FLOW_MAX
};
#define RTC_FLOW_MAX	(__RTC_FLOW_MAX - 1)

/*
 * One answer (inside RTC_A_RESULT).  The daemon puts an attribute exactly
 * when the kernel's rt_fill_info() would put the matching RTA_* in its
 * RTM_NEWROUTE reply to RTM_GETROUTE, so the client prints what is
 * present, as ip does:
 *	DST		always (the key destination, /32)
 *	SRC		when the request had RTC_FLOW_SRC (the key source)
 *	OIF/OIFNAME	the output device (lo for local routes)
 *	GATEWAY		when the route has a gateway
 *	PREFSRC		output lookups, when the chosen source differs from
 *			the requested one (i.e. no `from`)
 *	METRICS		the route's metrics that are set (e.g. RTAX_MTU)
 *	EXPIRES		when the cached entry expires (pmtu)
 *	MARK		when non-zero
 *	UID		output lookups
 *	IIF/IIFNAME	input lookups
 *	TOS		when the matched route has a tos (rtm_tos)
 *	FLOW		when the route has realms (the rule's, and on input
 *			the reverse path's: the kernel's dst.tclassid)
 *	TYPE, FLAGS	always
 *	TABLE		always: the table that answered, as the kernel
 *			names it (main for tables local and main while only
 *			the default rules exist); the CLI prints it unless
 *			it is main, as ip does
 * A failed lookup carries RTC_RES_ERROR (positive errno, e.g. ENETUNREACH,
 * EHOSTUNREACH, EACCES, EINVAL) and, when a route matched, its TYPE
 * (RTN_BLACKHOLE, ...) and TABLE; nothing else is required; ERRMSG when
 * the kernel gives the error a message (its extack: "Unsupported ip
 * proto" for an ipproto other than tcp, udp and icmp, EOPNOTSUPP).
 * A flow with RTC_FLOW_FIBMATCH is answered, as the kernel answers
 * RTM_F_FIB_MATCH, by the FIB entry that matched instead of the cached
 * route: FIB holds it as `ip route show` prints it, and PREFSRC is the
 * entry's prefsrc when it has one; a lookup that matched no entry (a
 * local answer for 0.0.0.0, a route made up for an oif) fails with
 * EHOSTUNREACH.
 */
enum rtc_res_attr {
	RTC_RES_UNSPEC,
	RTC_RES_ERROR,		/* u32: positive errno of a failed lookup */
	RTC_RES_TYPE,		/* u8: RTN_* */
	RTC_RES_DST,		/* u32, network order */
	RTC_RES_SRC,		/* u32, network order: key source (`from`) */
	RTC_RES_PREFSRC,	/* u32, network order: chosen source (`src`) */
	RTC_RES_GATEWAY,	/* u32, network order: `via` */
	RTC_RES_OIF,		/* u32 ifindex: `dev` */
	RTC_RES_OIFNAME,	/* string: `dev` */
	RTC_RES_IIF,		/* u32 ifindex: `iif` */
	RTC_RES_IIFNAME,	/* string: `iif` */
	RTC_RES_TABLE,		/* u32 table id */
	RTC_RES_FLAGS,		/* u32: rt_flags (RTCF_*, linux/in_route.h) */
	RTC_RES_MARK,		/* u32 */
	RTC_RES_UID,		/* u32 */
	RTC_RES_METRICS,	/* nested: u32 attributes of type RTAX_* */
	RTC_RES_EXPIRES,	/* u32: seconds until the entry expires */
	RTC_RES_TOS,		/* u8: tos of the matched route, when non-zero */
	RTC_RES_FLOW,		/* u32: realms, from << 16 | to (RTA_FLOW) */
	RTC_RES_FIB,		/* string < RTC_FIB_MAX: `fibmatch`'s FIB entry,
				   every line ended by a newline */
	RTC_RES_ERRMSG,		/* string < RTC_ERRMSG_MAX: the error's text */
	__RTC_RES_MAX
};
#define RTC_RES_MAX	(__RTC_RES_MAX - 1)
#define RTC_METRIC_MAX	31	/* highest RTAX_* kept by the codec */

/* One named value (inside RTC_A_KV). */
enum rtc_kv_attr {
	RTC_KV_UNSPEC,
	RTC_KV_NAME,		/* string < 64 bytes: the key */
	RTC_KV_U64,		/* u64 value */
	RTC_KV_STR,		/* string value (< RTC_LINE_MAX) */
	__RTC_KV_MAX
};
#define RTC_KV_MAX	(__RTC_KV_MAX - 1)
#define RTC_KV_NAMESIZ	64

/*
 * The codec (src/lib/rtc_proto.c; in librtcache and in the daemon's
 * convenience library).  Builders write into a caller's buffer of @size
 * bytes (at most RTC_MSG_MAX) and return 0 or -EMSGSIZE when the next
 * piece does not fit, leaving the message as it was before the call, so
 * a batch writer can close the message and start the next.  Decoders
 * return 0 or -errno (-EBADMSG, -EPROTO, -EOPNOTSUPP, -EMSGSIZE) and
 * point *errmsg, when given, at a static text saying what was wrong.
 */

/* Decoded lookup request; fields valid when their RTC_FLOW_F_* bit is set. */
#define RTC_FLOW_F_SRC		0x0001
#define RTC_FLOW_F_IIF		0x0002
#define RTC_FLOW_F_IIFNAME	0x0004
#define RTC_FLOW_F_OIF		0x0008
#define RTC_FLOW_F_OIFNAME	0x0010
#define RTC_FLOW_F_TOS		0x0020
#define RTC_FLOW_F_MARK		0x0040
#define RTC_FLOW_F_UID		0x0080
#define RTC_FLOW_F_PROTO	0x0100
#define RTC_FLOW_F_SPORT	0x0200
#define RTC_FLOW_F_DPORT	0x0400
#define RTC_FLOW_F_FIBMATCH	0x0800
#define RTC_FLOW_F_VRF		0x1000

/* The ERRMSG of a flow whose `vrf` is no VRF (iproute2's invarg text). */
#define RTC_ERRMSG_INVALID_VRF	"Invalid VRF"
/*
 * The ERRMSG of a flow (error ENODEV) whose iif or oif name names no
 * device: iproute2 resolves names before it asks the kernel and says
 * `Cannot find device "NAME"` itself (the input interface first).
 */
#define RTC_ERRMSG_NO_IIF	"Cannot find device (iif)"
#define RTC_ERRMSG_NO_OIF	"Cannot find device (oif)"

struct rtc_flow {
	uint32_t	 present;	/* RTC_FLOW_F_* */
	uint32_t	 dst;		/* network order */
	uint32_t	 src;		/* network order */
	uint32_t	 iif;
	uint32_t	 oif;
	uint32_t	 mark;
	uint32_t	 uid;
	uint16_t	 sport;		/* network order */
	uint16_t	 dport;		/* network order */
	uint8_t		 tos;
	uint8_t		 proto;
	char		 iifname[RTC_IFNAMSIZ];
	char		 oifname[RTC_IFNAMSIZ];
};

/* Decoded answer; fields valid when their RTC_RES_F_* bit is set. */
#define RTC_RES_F_ERROR		0x00001
#define RTC_RES_F_TYPE		0x00002
#define RTC_RES_F_DST		0x00004
#define RTC_RES_F_SRC		0x00008
#define RTC_RES_F_PREFSRC	0x00010
#define RTC_RES_F_GATEWAY	0x00020
#define RTC_RES_F_OIF		0x00040
#define RTC_RES_F_OIFNAME	0x00080
#define RTC_RES_F_IIF		0x00100
#define RTC_RES_F_IIFNAME	0x00200
#define RTC_RES_F_TABLE		0x00400
#define RTC_RES_F_FLAGS		0x00800
#define RTC_RES_F_MARK		0x01000
#define RTC_RES_F_UID		0x02000
#define RTC_RES_F_METRICS	0x04000
#define RTC_RES_F_EXPIRES	0x08000
#define RTC_RES_F_TOS		0x10000
#define RTC_RES_F_FLOW		0x20000
#define RTC_RES_F_FIB		0x40000
#define RTC_RES_F_ERRMSG	0x80000

struct rtc_result {
	uint32_t	 present;	/* RTC_RES_F_* */
	uint32_t	 error;		/* positive errno */
	uint32_t	 dst;		/* addresses in network order */
	uint32_t	 src;
	uint32_t	 prefsrc;
	uint32_t	 gateway;
	uint32_t	 oif;
	uint32_t	 iif;
	uint32_t	 table;
	uint32_t	 flags;		/* RTCF_* */
	uint32_t	 mark;
	uint32_t	 uid;
	uint32_t	 expires;	/* seconds */
	uint32_t	 flow;		/* realms: from << 16 | to */
	uint32_t	 metrics_set;	/* bit n: metrics[n] (RTAX_n) is set */
	uint32_t	 metrics[RTC_METRIC_MAX + 1];
	uint8_t		 type;		/* RTN_* */
	uint8_t		 tos;
	char		 oifname[RTC_IFNAMSIZ];
	char		 iifname[RTC_IFNAMSIZ];
	/* texts point into the reply: valid during a result callback, or,
	 * from rtc_route_get, until the next call on the client */
	const char	*fib;
	const char	*errmsg;
};

/* A decoded message: the headers plus where its attributes are. */
struct rtc_msg {
	const struct nlmsghdr	*nlh;
	const struct rtc_hdr	*rh;
	uint16_t		 type;		/* RTC_MSG_* */
	uint16_t		 flags;		/* NLM_F_* */
	uint32_t		 seq;
	const struct nlattr	*tb[RTC_A_MAX + 1];	/* last of each type */
	unsigned int		 nflows;	/* RTC_A_FLOW count */
	unsigned int		 nresults;	/* RTC_A_RESULT count */
	unsigned int		 nlines;	/* RTC_A_LINE count */
	unsigned int		 nkv;		/* RTC_A_KV count */
};

/* Builders. */
struct nlmsghdr	*rtc_msg_start(void *buf, size_t size, uint16_t type,
		    uint16_t flags, uint32_t seq);
int		 rtc_put_u32(struct nlmsghdr *nlh, size_t size, uint16_t type,
		    uint32_t v);
int		 rtc_put_str(struct nlmsghdr *nlh, size_t size, uint16_t type,
		    const char *s);
int		 rtc_put_flow(struct nlmsghdr *nlh, size_t size,
		    const struct rtc_flow *fl);
int		 rtc_put_result(struct nlmsghdr *nlh, size_t size,
		    const struct rtc_result *res);
int		 rtc_put_line(struct nlmsghdr *nlh, size_t size, const char *line);
int		 rtc_put_kv_u64(struct nlmsghdr *nlh, size_t size,
		    const char *name, uint64_t v);
int		 rtc_put_kv_str(struct nlmsghdr *nlh, size_t size,
		    const char *name, const char *v);
/* A whole ERROR message; a NULL or "" @msg leaves RTC_A_ERRMSG out. */
struct nlmsghdr	*rtc_msg_error(void *buf, size_t size, uint32_t seq,
		    int err, const char *msg);

/*
 * Decoders.  rtc_msg_parse() checks one received message of @len bytes:
 * sizes, version, type, every attribute against the type's policy
 * (nests included: flows, results, key/values), and the request-side
 * rules (NLM_F_REQUEST on requests, 1..RTC_BATCH_MAX flows, no reply
 * types); @request selects whether requests (daemon) or replies (client)
 * are accepted.
 */
int		 rtc_msg_parse(const void *buf, size_t len, int request,
		    struct rtc_msg *m, const char **errmsg);
int		 rtc_flow_parse(const struct nlattr *nest, struct rtc_flow *fl,
		    const char **errmsg);
int		 rtc_result_parse(const struct nlattr *nest,
		    struct rtc_result *res, const char **errmsg);
int		 rtc_kv_parse(const struct nlattr *nest, const char **name,
		    const char **str, uint64_t *u64);
const char	*rtc_msg_type_name(uint16_t type);

/* Iterate the top-level attributes of type @t in a parsed message. */
#define rtc_msg_for_each(m, a, t)					\
	mnl_attr_for_each((a), (m)->nlh, sizeof(struct rtc_hdr))	\
		if (mnl_attr_get_type(a) == (t))

#ifdef __cplusplus
}
#endif

#endif /* RTCACHE_PROTO_H */
