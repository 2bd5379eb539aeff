/* SPDX-License-Identifier: MIT */
/*
 * rtcache/embed.h - librtcache's embedded mode: the netlink mirror, the
 * FIB and the route cache of rtcached, inside the calling process.
 *
 * rtc_embed_open() starts the mirror on a thread of its own (its own
 * libevent loop, the daemon's netlink code), optionally inside a named
 * network namespace, and waits until the first full dump is applied.
 * Lookups then run inline in the calling threads: the route-cache hit
 * path, the FIB and the rules on a miss, rtables from the embedded SLAB
 * with an array cache per calling thread.  The answers are those of
 * rtcached (and of `ip route get`): struct rtc_result of rtcache/proto.h.
 *
 * Threads (liburcu QSBR, see rtc_embed(3)):
 *  - a thread that looks up calls rtc_embed_thread_register() first and
 *    rtc_embed_thread_unregister() before it exits; lookups on a thread
 *    that is not registered fail with -ESRCH, they do not crash;
 *  - a registered thread is online: it must call rtc_embed_quiescent()
 *    regularly (between batches; at least every few milliseconds while
 *    it looks up), and rtc_embed_thread_offline() before it blocks or
 *    sleeps (rtc_embed_thread_online() after), otherwise the mirror's
 *    freed memory waits for it;
 *  - a result's pointers (fib, errmsg) are valid until the thread's next
 *    quiescent state, offline period or lookup.
 *
 * One embedded instance per process (the FIB and the route cache are
 * process-wide): a second rtc_embed_open() fails with -EBUSY until the
 * first is closed.  librtcache uses the initial-exec TLS model: link it
 * at start-up; dlopen() of it is not supported.
 *
 * Errors are -errno.  Link with `pkg-config --cflags --libs librtcache`.
 */
#ifndef RTCACHE_EMBED_H
#define RTCACHE_EMBED_H

#include <stddef.h>
#include <stdint.h>

#include "rtcache/proto.h"

#ifdef __cplusplus
extern "C" {
#endif

struct rtc_embed;

/* rtc_embed_config.flags */
#define RTC_EMBED_NOWAIT	0x1	/* return before the first dump is
					   applied; lookups fail with -EAGAIN
					   until it is (rtc_embed_wait) */
#define RTC_EMBED_QUIET		0x2	/* no log lines on stderr */

struct rtc_embed_config {
	const char	*netns;		/* NULL: the caller's namespace; NAME:
					   /var/run/netns/NAME (ip netns);
					   or a path with a '/' */
	int		 timeout_ms;	/* wait for the first dump; 0: 30000,
					   <0: no limit */
	unsigned int	 flags;		/* RTC_EMBED_* */
	unsigned int	 cache_buckets;	/* route cache buckets; 0: from RAM,
					   as the kernel sizes it */
	/* log lines of the mirror (syslog priority); NULL: warnings and
	   errors on stderr */
	void		(*log)(int prio, const char *msg, void *arg);
	void		*log_arg;
};

/* Defaults into @cfg (what a NULL config to rtc_embed_open means). */
void		 rtc_embed_config_init(struct rtc_embed_config *cfg);

/*
 * Start the mirror and wait for the first full dump.  Return 0 with *@ep,
 * or -EBUSY (already open in this process), -ENOENT (no such namespace),
 * -EPERM (no permission to enter the namespace or for netlink),
 * -ETIMEDOUT (no full dump within timeout_ms), -ENOMEM, other -errno.
 */
int		 rtc_embed_open(struct rtc_embed **ep,
		    const struct rtc_embed_config *cfg);
/*
 * Stop the mirror and free everything.  Every other thread that
 * registered must have unregistered first: while one has not,
 * rtc_embed_close() changes nothing and returns -EBUSY (so a thread that
 * is still looking up never reads freed memory).  The calling thread may
 * be registered: it is unregistered.  Return 0 (and @e is gone), -EBUSY
 * or -EINVAL.  After it, rtc_embed_open() may be called again.
 */
int		 rtc_embed_close(struct rtc_embed *e);
/* 1 once the first full dump is applied, else 0. */
int		 rtc_embed_ready(const struct rtc_embed *e);
/* Wait for that (after RTC_EMBED_NOWAIT): 0 or -ETIMEDOUT; <0: no limit. */
int		 rtc_embed_wait(struct rtc_embed *e, int timeout_ms);

/* Threads (see above).  register: 0, -EALREADY, -ENOMEM. */
int		 rtc_embed_thread_register(struct rtc_embed *e);
int		 rtc_embed_thread_unregister(struct rtc_embed *e);
int		 rtc_embed_quiescent(struct rtc_embed *e);
int		 rtc_embed_thread_offline(struct rtc_embed *e);
int		 rtc_embed_thread_online(struct rtc_embed *e);

/*
 * Lookups: what `ip route get` asks (struct rtc_flow, RTC_FLOW_F_* say
 * which fields are set) and what it prints (struct rtc_result).  An
 * output lookup of a flow without a uid uses the process's uid
 * (getuid() at rtc_embed_open), as `ip route get` run by that user.
 * Return 0 with *@res filled (a lookup the FIB refuses, unreachable,
 * prohibit, ..., is a result with RTC_RES_F_ERROR, as over the socket),
 * or -ESRCH (thread not registered), -EAGAIN (first dump not applied
 * yet), -EINVAL (NULL arguments).  The batch form fills @res[0..n-1]
 * and returns n, or the same errors before any result.
 */
int		 rtc_embed_route_get(struct rtc_embed *e,
		    const struct rtc_flow *fl, struct rtc_result *res);
long		 rtc_embed_route_get_batch(struct rtc_embed *e,
		    const struct rtc_flow *flows, struct rtc_result *res,
		    size_t n);

/*
 * Change: the generation changes whenever the mirrored state changes (a
 * route, rule, nexthop, address or link event applied, a resync): a
 * caller that keeps its own copy of a result compares the generation it
 * saw then with this one.  One load; any thread, registered or not.
 */
uint64_t	 rtc_embed_generation(const struct rtc_embed *e);
/*
 * An eventfd (EFD_NONBLOCK) that becomes readable when a batch of
 * changes has been applied (for the caller's epoll, libevent, libuv).
 * Owned by the library: do not close it.  rtc_embed_notify_ack() reads
 * it (resets it) and returns the current generation.
 */
int		 rtc_embed_notify_fd(const struct rtc_embed *e);
uint64_t	 rtc_embed_notify_ack(struct rtc_embed *e);

#ifdef __cplusplus
}
#endif

#endif /* RTCACHE_EMBED_H */
