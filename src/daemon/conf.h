/* SPDX-License-Identifier: MIT */
/*
 * daemon/conf.h - rtcached's configuration file (rtcached.conf(5)): the
 * settings, their defaults, loading with FILE:LINE errors, printing the
 * effective configuration, and comparing two of them on reload.
 *
 * (Not "config.h": that name is autoconf's, and every .c here includes
 * it with quotes, which would find a header in this folder first.)
 */
#ifndef RTCACHE_DAEMON_CONF_H
#define RTCACHE_DAEMON_CONF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rtcache/route.h"

struct rtcd_conf {
	/* [daemon] */
	int		 workers;	/* 0: the number of CPUs */
	int		 log_level;	/* LOG_ERR .. LOG_DEBUG */
	char		*netns;		/* NULL: the daemon's own */
	unsigned int	 max_clients;
	unsigned int	 idle_timeout;	/* seconds */
	size_t		 reply_budget;	/* bytes of replies queued, in all */
	/* [control] */
	char		*socket_path;	/* NULL: the default for the uid */
	unsigned int	 socket_mode;	/* permission bits */
	char		*socket_group;	/* NULL: the daemon's group */
	uint32_t	 socket_gid;	/* resolved socket_group */
	/* [netlink] */
	size_t		 rcvbuf;	/* bytes asked for the event socket */
	unsigned int	 resync_interval_ms; /* least time between resyncs */
	unsigned int	 sysctl_poll_ms; /* settings with no netlink message */
	int		 multipath;	/* MIRROR_MP_AUTO, _HASH, _ASK */
	/* [route_cache]: 0 in hash_buckets, gc_thresh, max_size is "auto" */
	struct rt_cache_config rt;
	/* [slab] */
	unsigned int	 reap_interval_ms;
	unsigned int	 sim_nodes;	/* 1: real nodes only */
	/* [metrics] */
	char		*metrics_listen; /* NULL: off; else "ADDR:PORT" */
	char		 metrics_addr[64]; /* numeric address, from listen */
	uint16_t	 metrics_port;
};

/* Called once per error or note with "FILE:LINE: message" (no newline). */
typedef void (*conf_msg_fn)(void *arg, const char *msg);

/* What conf_diff reports for each setting that changed. */
#define CONF_LIVE	1	/* applied on reload */
#define CONF_RESTART	2	/* needs a restart: the old value stays */
typedef void (*conf_diff_fn)(void *arg, const char *key, const char *oldv,
	    const char *newv, int how);

/* $(sysconfdir)/rtcached.conf */
const char *conf_default_path(void);
void	 conf_init(struct rtcd_conf *c);
int	 conf_load(struct rtcd_conf *c, const char *path, conf_msg_fn fn,
	    void *arg);
int	 conf_set(struct rtcd_conf *c, const char *section, const char *key,
	    const char *value, char *err, size_t errlen);
void	 conf_print(FILE *out, const struct rtcd_conf *c);
int	 conf_diff(struct rtcd_conf *run, const struct rtcd_conf *nc,
	    conf_diff_fn fn, void *arg);
int	 conf_copy(struct rtcd_conf *dst, const struct rtcd_conf *src);
void	 conf_free(struct rtcd_conf *c);
const char *conf_log_level_name(int level);

#endif /* RTCACHE_DAEMON_CONF_H */
