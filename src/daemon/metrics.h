/* SPDX-License-Identifier: MIT */
/*
 * daemon/metrics.h - rtcached's Prometheus endpoint: the text exposition
 * format (version 0.0.4) over libevent's evhttp on the main thread's
 * event base, off unless [metrics] listen is set.
 */
#ifndef RTCACHE_DAEMON_METRICS_H
#define RTCACHE_DAEMON_METRICS_H

#include <stdint.h>
#include <stdio.h>

struct event_base;
struct metrics;
struct mirror;

/* The daemon's own numbers, gathered by its callback on each scrape. */
struct metrics_daemon {
	const struct mirror *mirror;	/* NULL: no netlink (routes file) */
	int		 synced;	/* first full sync applied */
	int		 workers;
	unsigned long	 clients;	/* open control connections */
	uint64_t	 accepted;
	uint64_t	 refused;
	uint64_t	 requests;
	uint64_t	 lookups;
	uint64_t	 bad_requests;
	uint64_t	 denied;
	uint64_t	 timeouts;
	uint64_t	 budget_cuts;
	uint64_t	 reply_budget;
	uint64_t	 queued_bytes;
	double		 start_time;	/* seconds since the epoch */
	int		 reload_ok;	/* the last (re)load was applied */
	double		 reload_time;	/* when a load last succeeded */
	uint64_t	 reloads;	/* SIGHUPs handled */
};
typedef void (*metrics_fill_fn)(struct metrics_daemon *md, void *arg);

struct metrics *metrics_new(struct event_base *base, metrics_fill_fn fn,
	    void *arg);
int	 metrics_listen(struct metrics *m, const char *addr, uint16_t port);
void	 metrics_unlisten(struct metrics *m);
int	 metrics_listening(const struct metrics *m);
void	 metrics_free(struct metrics *m);
/* The exposition text (the main thread: it walks the FIB). */
int	 metrics_write(FILE *out, const struct metrics_daemon *md);
uint64_t metrics_scrapes(const struct metrics *m);

#endif /* RTCACHE_DAEMON_METRICS_H */
