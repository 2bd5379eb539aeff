/* SPDX-License-Identifier: MIT */
/*
 * rtcache/mirror.h - the netlink mirror: keeps the FIB and the device
 * table (rtcache/fib.h, rtcache/netdev.h) equal to one network namespace's
 * IPv4 routing state: links, addresses, per-device settings, routes of
 * every table, rules and nexthop objects.
 *
 * The mirror runs on the caller's libevent base, in the FIB's writer
 * thread: the caller has called fib_init() and rcu_register_thread() on
 * that thread.  mirror_start() opens the sockets (inside the namespace
 * given, if any) and schedules the initial dumps; the readiness callback
 * fires once they are applied.  Every applied batch of changes (one read
 * burst, a resync) ends with one call of the batch callback: the route
 * cache bumps its generation there.
 *
 * Errors are -errno.  Not thread-safe: one thread uses a mirror.
 */
#ifndef RTCACHE_MIRROR_H
#define RTCACHE_MIRROR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct event_base;
struct mirror;

struct mirror_config {
	const char	*netns;		/* NULL: ours; NAME (/run/netns/NAME)
					   or a path with a '/' */
	size_t		 rcvbuf;	/* event socket buffer request, bytes;
					   0: MIRROR_RCVBUF_DEFAULT */
	unsigned int	 resync_min_ms;	/* least time between resyncs */
	unsigned int	 dump_retries;	/* NLM_F_DUMP_INTR retries per dump */
	unsigned int	 batch_max;	/* messages per read burst */
	int		 verbose;	/* log dumps and resyncs at info level */
	int		 multipath;	/* MIRROR_MP_AUTO, _HASH or _ASK */
	unsigned int	 sysctl_poll_ms; /* settings that send no netlink
					    message re-read; 0: 1000 */
};

/*
 * How multipath legs are chosen (rtcache/fib.h, fib_mp_set): by the
 * kernel's hash computed here, or by asking the kernel once per new
 * flow.  AUTO hashes when the namespace's fib_multipath_hash_seed is set
 * and a self-test (a few hundred flows compared with the kernel's own
 * answers) passed, and asks otherwise.
 */
#define MIRROR_MP_AUTO		0
#define MIRROR_MP_HASH		1
#define MIRROR_MP_ASK		2

#define MIRROR_RCVBUF_DEFAULT	(128U << 20)	/* the kernel doubles it */

/* The file of mirror_config.netns @ns (a name or a path) into @buf. */
void	 mirror_netns_path(const char *ns, char *buf, size_t size);

struct mirror_stats {
	uint64_t	 messages;	/* notifications and dump messages read */
	uint64_t	 events;	/* notifications applied */
	uint64_t	 batches;	/* batch callbacks */
	uint64_t	 resyncs;	/* full resyncs (not the first sync) */
	uint64_t	 enobufs;	/* ENOBUFS on the event socket */
	uint64_t	 dump_intr;	/* dumps retried for NLM_F_DUMP_INTR */
	uint64_t	 parse_errors;	/* malformed messages rejected */
	uint64_t	 apply_errors;	/* messages the FIB refused */
	uint64_t	 ignored;	/* other families, exceptions, ... */
	uint64_t	 foreign;	/* datagrams not from the kernel */
	uint64_t	 swept;		/* objects removed by resync sweeps */
	uint64_t	 routes;	/* routes in the last route dump */
	size_t		 rcvbuf;	/* event socket buffer obtained */
	double		 sync_seconds;	/* duration of the last full sync */
	uint64_t	 polls;		/* device settings read by a link dump */
	uint64_t	 poll_changes;	/* timer polls that found a change */
	uint64_t	 poll_ns;	/* duration of the last timer poll */
};

/* The multipath state: sysctls read, mode in force and why, self-test. */
#define MIRROR_MP_TEST_NONE	0	/* not run: hashing is not wanted */
#define MIRROR_MP_TEST_PENDING	1	/* wanted, no multipath route yet */
#define MIRROR_MP_TEST_PASSED	2
#define MIRROR_MP_TEST_FAILED	3

struct mirror_mp {
	int		 configured;	/* MIRROR_MP_AUTO, _HASH, _ASK */
	int		 asking;	/* 1: legs asked of the kernel */
	char		 why[96];	/* why that mode, one phrase */
	int		 sysctls;	/* 1: the three were read */
	unsigned int	 policy;	/* fib_multipath_hash_policy */
	unsigned int	 fields;	/* fib_multipath_hash_fields */
	uint32_t	 seed;		/* fib_multipath_hash_seed, 0: random */
	int		 test;		/* MIRROR_MP_TEST_* */
	unsigned int	 test_probes;	/* flows compared by the last test */
	unsigned int	 test_differ;	/* of them, the kernel chose otherwise */
	uint64_t	 tests;		/* self-tests run */
	uint64_t	 changes;	/* sysctl changes seen */
};
void	 mirror_get_mp(const struct mirror *m, struct mirror_mp *mp);
/* Change the configured way (a reload); applied at once. */
void	 mirror_set_multipath(struct mirror *m, int multipath);

typedef void (*mirror_batch_fn)(void *arg);
typedef void (*mirror_ready_fn)(void *arg);
/* Log hook: @prio is a syslog priority; default writes to stderr. */
typedef void (*mirror_log_fn)(int prio, const char *msg, void *arg);

void	 mirror_config_init(struct mirror_config *cfg);
struct mirror *mirror_new(struct event_base *base,
	    const struct mirror_config *cfg);
void	 mirror_set_batch_cb(struct mirror *m, mirror_batch_fn fn, void *arg);
void	 mirror_set_ready_cb(struct mirror *m, mirror_ready_fn fn, void *arg);
void	 mirror_set_log(mirror_log_fn fn, void *arg);	/* process-wide */
int	 mirror_start(struct mirror *m);
int	 mirror_ready(const struct mirror *m);
int	 mirror_resync(struct mirror *m);	/* request one (rate-limited) */
/* Current time of the last event socket activity (CLOCK_MONOTONIC, ns). */
uint64_t mirror_last_activity(const struct mirror *m);
void	 mirror_get_stats(const struct mirror *m, struct mirror_stats *st);
void	 mirror_stop(struct mirror *m);		/* close sockets, events */
void	 mirror_free(struct mirror *m);		/* stops first */

/*
 * Offline source: a file written by `ip route save` (a stream of
 * RTM_NEWROUTE messages after a 4-byte magic), `ip rule save`, `ip addr
 * save`, or any file of raw rtnetlink messages, applied through the same
 * parser as a dump.  Devices named by the routes must exist already.  @st
 * (may be NULL) gets messages, routes, parse_errors, apply_errors and
 * ignored.  Return: messages applied, or -errno.
 */
int	 mirror_load_file(const char *path, struct mirror_stats *st);
int	 mirror_load_buf(const void *buf, size_t len, struct mirror_stats *st);
/* The interface indexes the routes of such a file name, each to @fn
 * (repeats included), for a caller that must make those devices first.
 * Return: 0 or -errno. */
typedef void (*mirror_oif_fn)(int ifindex, void *arg);
int	 mirror_file_oifs(const char *path, mirror_oif_fn fn, void *arg);

/* The mirrored state in `ip` text form (what tests compare). */
#define MIRROR_DUMP_ROUTES	0x1	/* ip -4 route show table all */
#define MIRROR_DUMP_RULES	0x2	/* ip rule show */
#define MIRROR_DUMP_NEXTHOPS	0x4	/* ip nexthop show */
#define MIRROR_DUMP_LINKS	0x8	/* netdev_dump() */
int	 mirror_dump(FILE *out, unsigned int what);

#endif /* RTCACHE_MIRROR_H */
