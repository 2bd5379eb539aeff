/* SPDX-License-Identifier: MIT */
/*
 * rtcache/client.h - librtcache: ask rtcached over its control socket.
 *
 * A struct rtc_client is one connection; it is not thread-safe (use one
 * per thread).  Every call returns 0 (or a count) on success and -errno on
 * failure; rtc_errmsg() then says what went wrong in words: the daemon's
 * own message for an ERROR reply, or what the library saw (timeout,
 * protocol violation, connection closed).  A route lookup that fails in
 * the FIB (unreachable, prohibit, ...) is not a call failure: its result
 * carries RTC_RES_F_ERROR and the errno.
 *
 * Calls block, with a per-call inactivity timeout (rtc_set_timeout,
 * default 30 s).  Batch lookups are pipelined: up to a few request
 * messages of up to RTC_MSG_MAX bytes are in flight while replies are
 * read, so thousands of lookups cost a handful of system calls.
 *
 * Link with `pkg-config --cflags --libs librtcache`.
 */
#ifndef RTCACHE_CLIENT_H
#define RTCACHE_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "rtcache/proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define RTC_TABLE_ALL	0xffffffffU	/* rtc_route_show: every table */

struct rtc_client;

/* Called once per answer of a batch, in request order; index into @flows. */
typedef int (*rtc_result_cb_t)(void *arg, size_t index,
    const struct rtc_result *res);
/* Gives the next flow of a stream: 1, 0 for no more, or -errno. */
typedef int (*rtc_flow_src_t)(void *arg, struct rtc_flow *fl);
/* Called once per text line of a listing (no newline). */
typedef int (*rtc_line_cb_t)(void *arg, const char *line);
/* Called once per named value: @str is NULL for numbers. */
typedef int (*rtc_kv_cb_t)(void *arg, const char *name, const char *str,
    uint64_t value);

/* The socket path used when none is given: root or not, see proto.h. */
const char	*rtc_default_path(char *buf, size_t size);

int		 rtc_connect(struct rtc_client **cp, const char *path);
void		 rtc_close(struct rtc_client *c);
const char	*rtc_errmsg(const struct rtc_client *c);
const char	*rtc_path(const struct rtc_client *c);
int		 rtc_fd(const struct rtc_client *c);
void		 rtc_set_timeout(struct rtc_client *c, int ms); /* <0: none */
/* Flows per request message in batches (1..RTC_BATCH_MAX; 0 = default). */
void		 rtc_set_batch(struct rtc_client *c, unsigned int flows);

/* Lookups. */
int		 rtc_route_get(struct rtc_client *c, const struct rtc_flow *fl,
		    struct rtc_result *res);
int		 rtc_route_get_batch(struct rtc_client *c,
		    const struct rtc_flow *flows, size_t n, rtc_result_cb_t cb,
		    void *arg);
int		 rtc_route_get_stream(struct rtc_client *c,
		    rtc_flow_src_t src, rtc_result_cb_t cb, void *arg);

/* Listings (text lines as the daemon prints them). */
int		 rtc_route_show(struct rtc_client *c, uint32_t table,
		    rtc_line_cb_t cb, void *arg);
int		 rtc_rule_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg);
int		 rtc_nexthop_show(struct rtc_client *c, rtc_line_cb_t cb,
		    void *arg);
int		 rtc_link_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg);
int		 rtc_addr_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg);
int		 rtc_cache_show(struct rtc_client *c, rtc_line_cb_t cb,
		    void *arg);
int		 rtc_slabinfo(struct rtc_client *c, rtc_line_cb_t cb, void *arg);

/* Named values. */
int		 rtc_cache_stats(struct rtc_client *c, rtc_kv_cb_t cb, void *arg);
int		 rtc_status(struct rtc_client *c, rtc_kv_cb_t cb, void *arg);
int		 rtc_stats(struct rtc_client *c, rtc_kv_cb_t cb, void *arg);

/* Actions (root or the socket's group). */
int		 rtc_cache_flush(struct rtc_client *c, uint32_t delay_ms);
int		 rtc_slab_tune(struct rtc_client *c, const char *name,
		    uint32_t limit, uint32_t batchcount, uint32_t shared);

#ifdef __cplusplus
}
#endif

#endif /* RTCACHE_CLIENT_H */
