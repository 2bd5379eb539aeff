/* SPDX-License-Identifier: MIT */
/*
 * daemon/rtcached.h - what the files of rtcached share: the options, the
 * daemon state the main thread owns, the worker threads and the
 * connections they serve, the control socket and the request dispatcher
 * (its lookups: src/embed/lookup.h and fibmatch.c).
 *
 * Threads: the main thread runs the netlink mirror (the only FIB writer),
 * accepts control connections and hands each to a worker; a worker reads
 * requests and answers lookups and listings itself, and passes the few
 * requests that need the main thread's state (status, stats, a cache
 * flush) to it as jobs whose result comes back to the worker to send.
 * Workers are QSBR readers, online only while serving.
 */
#ifndef RTCACHE_DAEMON_RTCACHED_H
#define RTCACHE_DAEMON_RTCACHED_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/queue.h>

#include "daemon/conf.h"
#include "daemon/log.h"

struct event;
struct event_base;
struct mirror;

#define RTCD_EX_USAGE		64	/* sysexits EX_USAGE */
#define RTCD_MSG_MAX		65536	/* bytes in one control message */
#define RTCD_MAX_CLIENTS	1024
#define RTCD_IDLE_TIMEOUT	60	/* s without a request: closed */
#define RTCD_WRITE_TIMEOUT	30	/* s without output progress: closed */
#define RTCD_OUT_HIGH		(1U << 20) /* queued reply bytes: stop reading */
#define RTCD_OUT_MAX		(256U << 20) /* queued reply bytes: drop client */
#define RTCD_LISTING_LOW	(64U << 10) /* queued bytes: next listing step */

/* Which options the command line gave (they override the file). */
#define RTCD_SET_WORKERS	0x01
#define RTCD_SET_MAX_CLIENTS	0x02
#define RTCD_SET_IDLE_TIMEOUT	0x04

struct rtcd_options {
	int		 foreground;
	int		 debug;
	int		 check;		/* -n: check the configuration, exit */
	int		 verbose;	/* -v: with -n, print it */
	unsigned int	 set;		/* RTCD_SET_* */
	const char	*config;	/* NULL: the default file, if any */
	const char	*netns;
	const char	*socket_path;	/* NULL: the default */
	const char	*routes_file;
	int		 workers;	/* 0: the number of CPUs */
	unsigned int	 max_clients;
	unsigned int	 idle_timeout;	/* seconds */
};

/* Returns 0 (run), 1 (--help/--version printed: exit 0) or -1 (usage). */
int	 rtcd_parse_options(int argc, char **argv, struct rtcd_options *o,
	    FILE *out, FILE *err);
void	 rtcd_usage(FILE *f);
/* The default control socket path for this uid (static storage). */
const char *rtcd_default_socket(void);

/* notify.c: the sd_notify protocol, standalone. */
int	 notify_send(const char *state);

/* nswatch.c: the mirrored namespace's deletion */
struct nswatch;
typedef void (*nswatch_fn)(const char *path, void *arg);
struct nswatch *nswatch_new(struct event_base *base, const char *path,
	    nswatch_fn fn, void *arg);
void	 nswatch_free(struct nswatch *w);

/* control.c: the listening socket. */
struct control_sock {
	int		 fd;
	char		 path[108];
	uint32_t	 gid;		/* the socket file's group */
	int		 created_dir;
	int		 passed;	/* from systemd (LISTEN_FDS): keep it */
};
int	 control_open(struct control_sock *cs, const char *path);
/* Take a socket-activated control socket: 1 taken, 0 none, -errno. */
int	 control_listen_fds(struct control_sock *cs);
/* Socket file mode and group from the configuration. */
int	 control_set_perm(struct control_sock *cs, unsigned int mode,
	    uint32_t gid);
int	 control_check_live(const char *path);
void	 control_close(struct control_sock *cs);

/* The daemon: owned by the main thread unless a field says otherwise. */
struct worker;
struct daemon {
	struct event_base *base;
	struct mirror	*mirror;
	struct rtcd_options opt;
	struct control_sock cs;
	struct event	*ev_accept;
	struct event	*ev_accept_pause;
	struct event	*ev_reap;
	struct event	*ev_periodic;
	struct event	*ev_sig[3];
	struct event	*ev_watchdog;	/* WATCHDOG=1 every half period */
	struct event	*ev_status;	/* STATUS= refresh */
	struct nswatch	*nswatch;	/* --netns NAME: its deletion */
	int		 exit_status;	/* main()'s return */
	struct rtcd_conf conf;		/* the running configuration */
	const char	*conf_path;
	struct metrics	*metrics;	/* NULL until [metrics] listen */
	uint64_t	 reloads;
	int		 reload_ok;
	double		 reload_time;	/* seconds since the epoch */
	double		 start_time;
	struct worker	**workers;
	int		 nworkers;
	unsigned int	 next_worker;	/* round robin */
	int		 synced;	/* read by workers: atomic */
	uint64_t	 start_ns;	/* CLOCK_MONOTONIC */
	unsigned long	 nclients;	/* open connections: atomic */
	uint64_t	 accepted;	/* atomics from here on */
	uint64_t	 refused;
	uint64_t	 bad_requests;
	uint64_t	 denied;
	uint64_t	 timeouts;
	uint64_t	 budget_cuts;	/* clients closed over the budget */
	size_t		 reply_budget;	/* bytes; written by the main thread */
	int		 notified;
};
extern struct daemon *rtcd;

/* A connection, owned by its worker. */
struct omsg {
	TAILQ_ENTRY(omsg) entry;
	size_t		 len;
	unsigned char	 data[];
};
TAILQ_HEAD(omsg_q, omsg);

struct conn {
	LIST_ENTRY(conn) entry;
	struct worker	*w;
	int		 fd;
	uint32_t	 pid, uid, gid;
	int		 privileged;	/* may flush and tune */
	struct event	*ev_read;
	struct event	*ev_write;
	struct omsg_q	 outq;
	size_t		 outbytes;
	uint64_t	 stalled_ns;	/* queued output, no progress since */
	struct listing	*listing;	/* a show request being answered */
	int		 jobs;		/* requests out at the main thread */
	int		 dead;		/* closed; freed when jobs == 0 */
	int		 reading;	/* ev_read is added */
	struct log_rl	 rl;
};

/* worker.c */
struct worker *worker_new(int id);
int	 worker_start(struct worker *w);
void	 worker_stop(struct worker *w);	/* joins */
void	 worker_free(struct worker *w);
int	 worker_handoff(struct worker *w, int fd, const struct ucred *cr,
	    int privileged);
unsigned long worker_conns(const struct worker *w);
size_t	 worker_queued(const struct worker *w);	/* reply bytes */
/*
 * What a worker counts as it serves, on its own cache line: written by
 * that worker alone, read by others with READ_ONCE (worker_counters_sum
 * over rtcd's workers), so the lookup path writes no shared line.
 */
struct worker_counters {
	uint64_t	 requests;
	uint64_t	 lookups;
};
struct worker_counters *worker_counters(struct worker *w);
void	 worker_counters_sum(struct worker_counters *sum);
/* Queue one reply message on @c (copied); -ENOBUFS past RTCD_OUT_MAX. */
int	 conn_send(struct conn *c, const void *buf, size_t len);
/*
 * Run @fn on the main thread with @c's request; the text it writes to
 * @out comes back to @c's worker and is sent by @done (on the worker,
 * online).  Takes a copy of @req.
 */
typedef int (*job_fn)(FILE *out, const void *req, size_t len, void *arg);
typedef void (*job_done_fn)(struct conn *c, int rv, char *text, size_t len,
	    const void *req, size_t reqlen);
int	 conn_job(struct conn *c, job_fn fn, job_done_fn done,
	    const void *req, size_t len, void *arg);
/* Free the jobs still queued when the daemon stops (after its threads). */
void	 jobs_free_all(void);

/* listing.c: show requests, in steps paced by the client (worker, online) */
struct rtc_msg;
struct listing;
void	 listing_start(struct conn *c, const struct rtc_msg *m);
int	 listing_step(struct conn *c);	/* 1: more to come */
void	 listing_park(struct listing *l);	/* its reader is stalled */
void	 listing_free(struct listing *l);

/* dispatch.c: one request in, replies queued on @c. */
void	 dispatch_request(struct conn *c, const void *msg, size_t len);
/* A worker thread's last call: frees its lookup scratch space. */
void	 dispatch_thread_exit(void);



#endif /* RTCACHE_DAEMON_RTCACHED_H */
