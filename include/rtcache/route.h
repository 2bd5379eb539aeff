/* SPDX-License-Identifier: MIT */
/*
 * rtcache/route.h - the IPv4 route cache: rtable / dst_entry objects made
 * by kmem_cache_zalloc on a cache miss, hashed in rt_hash_table, found
 * again on the next lookup of the same flow.
 *
 * The structure is the Linux 2.6/3.x cache (rt_hash, rt_intern_hash,
 * rt_genid invalidation, garbage collection, rt_cache_stat); the answers
 * are those of the running modern kernel.  Two things differ from 2.6 on
 * purpose, both to keep lookups from writing shared memory and the cache
 * useful under a flood:
 *  - a lookup returns a "noref" rtable, valid until the calling thread's
 *    next quiescent state (rt_cache_quiescent / rcu_quiescent_state); it
 *    takes no reference and writes nothing shared.  dst_hold_safe() takes
 *    a reference for longer use, dst_release() drops it.
 *  - a new flow is cached only once it has missed twice within a window
 *    (admission filter), and last-use times are refreshed coarsely, so a
 *    flood of one-off flows neither fills the cache nor evicts hot flows.
 *
 * Threads that look up must be registered with liburcu QSBR and online.
 * The cache's generation is fib_genid(): a FIB change invalidates it on
 * its own, and rt_cache_flush() bumps it too.
 * Addresses in network byte order.
 */
#ifndef RTCACHE_ROUTE_H
#define RTCACHE_ROUTE_H

#include <stdint.h>
#include <stdio.h>

#include "rtcache/fib.h"

/* dst_entry flags (the kernel's DST_*). */
#define DST_HOST		0x0001
#define DST_NOCACHE		0x0010	/* not hashed: one use */
#define DST_KERNEL_LEG		0x0100	/* ours: its multipath leg was asked
					   of the kernel, so it is cached
					   without the admission filter */

#define DST_OBSOLETE_NONE	0
#define DST_OBSOLETE_FORCE_CHK	(-1)	/* live IPv4 route */
#define DST_OBSOLETE_DEAD	2	/* unlinked, waiting for holders */

/* rt_flags (the kernel's RTCF_*, linux/in_route.h). */
#define RTCF_NOTIFY		0x00010000
#define RTCF_REDIRECTED		0x00040000
#define RTCF_DOREDIRECT		0x01000000
#define RTCF_DIRECTSRC		0x04000000
#define RTCF_BROADCAST		0x10000000
#define RTCF_MULTICAST		0x20000000
#define RTCF_LOCAL		0x80000000

struct rtable;

struct dst_entry {
	struct rtable	*rt_next;	/* rt_hash chain (RCU) */
	struct net_device *dev;		/* output device (lo for local) */
	const uint32_t	*_metrics;	/* RTAX_x at [x-1], read-only */
	int		 __refcnt;	/* holders, +1 while hashed */
	uint32_t	 __use;		/* uses seen at last-use refreshes */
	uint32_t	 lastuse;	/* jiffies, refreshed coarsely */
	uint32_t	 expires;	/* jiffies, 0 = never */
	short		 error;		/* positive errno of reject routes */
	short		 obsolete;	/* DST_OBSOLETE_* */
	unsigned short	 flags;		/* DST_* */
};

struct rtable {
	struct dst_entry dst;		/* first, as in the kernel */

	/* the key: what was asked (second cache line, read by a hit) */
	uint32_t	 rt_key_dst;
	uint32_t	 rt_key_src;
	int		 rt_route_iif;	/* input ifindex; 0 for output routes */
	int		 rt_oif;	/* requested oif, 0 = any */
	uint32_t	 rt_mark;
	uint32_t	 rt_uid;
	uint8_t		 rt_key_tos;	/* tos & 0x1c */
	uint8_t		 rt_proto;
	uint16_t	 rt_sport;
	uint16_t	 rt_dport;
	uint8_t		 rt_type;	/* RTN_* */
	uint8_t		 rt_scope;
	uint32_t	 rt_genid;

	/* the answer */
	uint32_t	 rt_flags;	/* RTCF_* */
	uint32_t	 rt_dst;	/* path destination */
	uint32_t	 rt_src;	/* chosen source address */
	int		 rt_iif;	/* output: oif or the device; input: iif */
	uint32_t	 rt_gateway;	/* next hop; 0 when directly connected */
	uint32_t	 rt_spec_dst;	/* preferred source (RFC 1122) */
	uint32_t	 rt_table;	/* table that answered, as the kernel
					   reports it (main for local while
					   no custom rule exists); 0: none */
	uint32_t	 rt_pmtu;	/* route mtu metric, 0 = unset */
	uint16_t	 rt_nh_sel;	/* multipath leg chosen */
	uint8_t		 rt_prefixlen;	/* of the route that matched */
	uint8_t		 rt_tos;	/* of the route that matched */
	uint32_t	 rt_hash;	/* bucket (for unlinking) */
	uint32_t	 rt_tclassid;	/* realms, from << 16 | to (the
					   kernel's dst.tclassid); 0: none */
};

/* Per-thread counters (/proc/net/stat/rt_cache columns, without entries). */
struct rt_cache_stat {
	unsigned long	 in_hit;
	unsigned long	 in_slow_tot;
	unsigned long	 in_slow_mc;
	unsigned long	 in_no_route;
	unsigned long	 in_brd;
	unsigned long	 in_martian_dst;
	unsigned long	 in_martian_src;
	unsigned long	 out_hit;
	unsigned long	 out_slow_tot;
	unsigned long	 out_slow_mc;
	unsigned long	 gc_total;
	unsigned long	 gc_ignored;
	unsigned long	 gc_goal_miss;
	unsigned long	 gc_dst_overflow;
	unsigned long	 in_hlist_search;
	unsigned long	 out_hlist_search;
};
#define RT_CACHE_STAT_FIELDS	16

/* Sizes and GC tunables (net.ipv4.route.*); 0 fields take defaults. */
struct rt_cache_config {
	unsigned int	 hash_buckets;	/* rhash_entries; default from RAM */
	unsigned long	 gc_thresh;	/* default: buckets */
	unsigned long	 max_size;	/* default: 16 x buckets */
	unsigned int	 gc_elasticity;	/* default 8 */
	unsigned int	 gc_min_interval_ms; /* default 500 */
	unsigned int	 gc_timeout_s;	/* default 300 */
	unsigned int	 gc_interval_s;	/* default 60 */
	int		 admission;	/* 0 default (on), 1 on, -1 off */
	int		 disabled;	/* 1: never cache (every lookup slow) */
};

int	 rt_cache_init(const struct rt_cache_config *cfg);
void	 rt_cache_exit(void);		/* frees every entry; no readers */
void	 rt_cache_get_config(struct rt_cache_config *cfg);
int	 rt_cache_set_gc(const struct rt_cache_config *cfg); /* live tunables */

/*
 * ip_route_input - the route of a packet received on @iif (ip route get
 * ... iif DEV).  Return: 0 with *@rtp (noref; rt->dst.error may be set for
 * reject routes, which is the answer's errno), or -errno for drops
 * (EINVAL for martians, EXDEV for rp_filter, ENODEV for a bad iif).
 * Rules see the namespace's root uid, as the kernel's input path has no
 * socket (sock_net_uid(net, NULL)): @uid is not used.
 */
int	 ip_route_input(uint32_t daddr, uint32_t saddr, uint8_t tos, int iif,
	    uint32_t mark, uint32_t uid, struct rtable **rtp);
/*
 * The same for a packet as a flow: the device in flowi4_iif, daddr,
 * saddr, tos, mark, and its protocol and ports, which rules and the
 * multipath hash read (the cache keys on them only while either does).
 */
int	 ip_route_input_key(const struct flowi4 *fl4, struct rtable **rtp);

/*
 * Batches: rt_prefetch_output(fl4, 0) some lookups ahead of the lookup,
 * then (fl4, 1) a few lookups later, lets the CPU fetch the bucket and
 * the FIB's lines of many lookups at once (the FIB's zone bucket only
 * when the cache bucket does not already hold the flow).  Reads only.
 */
void	 rt_prefetch_output(const struct flowi4 *fl4, int stage);

/* References beyond the read-side section. */
int	 dst_hold_safe(struct dst_entry *dst);	/* 0 if it is being freed */
void	 dst_release(struct dst_entry *dst);
static inline void
ip_rt_put(struct rtable *rt)
{
	if (rt != NULL)
		dst_release(&rt->dst);
}

/* Readers call this between lookups (QSBR quiescent state). */
void	 rt_cache_quiescent(void);
/* Wait until every rtable freed so far is back in ip_dst_cache. */
void	 rt_cache_synchronize(void);

/* rt_cache_flush: delay < 0 invalidates (fib_bump_genid), >= 0 also
 * sweeps the stale entries out at once. */
void	 rt_cache_flush(int delay);
uint32_t rt_cache_genid(void);
/* Periodic work (rt_check_expire), from a timer every second or so. */
void	 rt_cache_periodic(void);

/* Numbers for statistics and tests. */
unsigned long rt_cache_entries(void);	/* live rtables (the entries column) */
unsigned long rt_cache_hashed(void);	/* rtables in the hash */
unsigned int rt_cache_buckets(void);
void	 rt_cache_stat_sum(struct rt_cache_stat *sum);
void	 rt_cache_chains(unsigned int *longest, unsigned long *used,
	    unsigned long *entries);
/* The calling thread's counters. */
const struct rt_cache_stat *rt_cache_stat_this(void);

/* /proc/net/stat/rt_cache (3.5 layout, one line per thread that looked up). */
int	 rt_cache_stat_show(FILE *out);
/* /proc/net/rt_cache. */
int	 rt_cache_show(FILE *out);
/* The same in steps of about @max bytes: 1 more, 0 the end. */
int	 rt_cache_show_step(FILE *out, uint64_t *pos, size_t max);

/* ip_route_output_key and ip_route_output: inline, with the bucket
 * layout they read. */
#include "rtcache/route_hit.h"

#endif /* RTCACHE_ROUTE_H */
