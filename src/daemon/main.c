/* SPDX-License-Identifier: MIT */
/*
 * main.c - rtcached's main thread: options, start-up, the one libevent
 * loop that runs the netlink mirror (the only FIB writer), the control
 * listener, signals and timers, readiness, and a clean stop.
 *
 * rtcached never forks: under systemd (Type=notify) it runs in the
 * foreground and logs to stderr; -f only documents that.  The control
 * socket listens from the start but is accepted from only once the first
 * full sync is applied (or the routes file loaded), when READY=1 goes to
 * $NOTIFY_SOCKET: a client that connects earlier, or one queued on the
 * systemd socket unit, waits in the backlog and is never answered from a
 * partial table.  The main thread is a
 * registered QSBR thread that stays offline except while it runs a
 * job that reads the route cache, so it never holds up a grace period.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include <event2/event.h>
#include <event2/thread.h>
#include "base/clock.h"
#include "base/rcu.h"

#include "rtcache/compiler.h"
#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/metrics.h"
#include "daemon/rtcached.h"
#include "daemon/reply.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59
#endif

static struct log_rl accept_rl;

/* ------------------------------------------------------------ mirror */

/* "STATUS=..." for systemctl status: what is mirrored and cached. */
static void
daemon_status(struct daemon *d, const char *prefix)
{
	struct fib_mem_stats fm;
	char st[256];
	int rv;

	fib_mem_stats(&fm);
	snprintf(st, sizeof(st), "%sSTATUS=%s %zu routes, %lu cache entries, "
	    "%lu clients", prefix, d->synced ? "mirroring" : "syncing:",
	    fm.aliases, rt_cache_entries(),
	    READ_ONCE(d->nclients));
	if ((rv = notify_send(st)) < 0)
		log_rl_warnx(&accept_rl, "sd_notify: %s", strerror(-rv));
}

static void
daemon_ready(struct daemon *d, unsigned long routes, double secs)
{
	smp_store_release(&d->synced, 1);
	if (d->notified)
		return;
	d->notified = 1;
	/* only now: a client that connected earlier waited in the backlog */
	event_add(d->ev_accept, NULL);
	log_info("synced: %lu routes in %.3f s; listening on %s", routes, secs,
	    d->cs.path);
	daemon_status(d, "READY=1\n");
}

static void
mirror_batch_cb(void *arg)
{
	(void)arg;
	rt_cache_flush(-1);
}

static void
mirror_ready_cb(void *arg)
{
	struct daemon *d = arg;
	struct mirror_stats st;

	rt_cache_flush(-1);
	mirror_get_stats(d->mirror, &st);
	daemon_ready(d, (unsigned long)st.routes, st.sync_seconds);
}

/*
 * --routes-file: an `ip route save` image names devices by index only.
 * Make each index it uses a device (named as in this namespace when it
 * exists here, ifN otherwise), up with carrier, so its routes apply.
 */
static void
routes_file_device(int idx, void *arg)
{
	char name[IF_NAMESIZE];

	(void)arg;
	if (idx <= 0 || netdev_get_by_index(idx) != NULL)
		return;
	if (if_indextoname((unsigned int)idx, name) == NULL)
		snprintf(name, sizeof(name), "if%d", idx);
	fib_link_set(idx, name, NETDEV_F_UP | NETDEV_F_LOWER_UP |
	    (strcmp(name, "lo") == 0 ? NETDEV_F_LOOPBACK : 0), 0, 0);
}

static int
load_routes_file(struct daemon *d)
{
	struct mirror_stats st;
	uint64_t t0 = clock_mono_ns();
	int n;

	/* the devices first; the loader reads the file again */
	if ((n = mirror_file_oifs(d->opt.routes_file, routes_file_device,
	    NULL)) < 0)
		return n;
	if ((n = mirror_load_file(d->opt.routes_file, &st)) < 0)
		return n;
	if (st.parse_errors || st.apply_errors)
		log_warnx("%s: %llu parse errors, %llu routes refused",
		    d->opt.routes_file, (unsigned long long)st.parse_errors,
		    (unsigned long long)st.apply_errors);
	rt_cache_flush(-1);
	daemon_ready(d, (unsigned long)n, (double)(clock_mono_ns() - t0) / 1e9);
	return 0;
}

/* ------------------------------------------------------------ accept */

static int
peer_in_group(int fd, uint32_t gid)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);
	size_t i;

	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return 0;
	for (i = 0; i < len / sizeof(groups[0]); i++)
		if (groups[i] == gid)
			return 1;
	return 0;
}

static void
refuse(int fd, const char *why)
{
	unsigned char buf[RTC_HDRLEN + RTC_ERRMSG_MAX + 64];
	size_t n = reply_refusal(buf, sizeof(buf), why);

	if (n > 0)
		(void)send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
	atomic_fetch_add_relaxed(&rtcd->refused, 1);
}

static void
accept_resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct daemon *d = arg;

	(void)fd, (void)what;
	event_add(d->ev_accept, NULL);
}

static void
accept_cb(evutil_socket_t lfd, short what, void *arg)
{
	struct daemon *d = arg;
	struct timeval pause = { 1, 0 };
	struct ucred cr;
	socklen_t crlen;
	struct worker *w;
	int fd, i, priv;

	(void)what;
	for (i = 0; i < 64; i++) {
		if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK |
		    SOCK_CLOEXEC)) < 0) {
			switch (errno) {
			case EINTR:
			case ECONNABORTED:
				continue;
			case EMFILE:
			case ENFILE:
			case ENOBUFS:
			case ENOMEM:
				log_rl_warnx(&accept_rl, "accept: %s: pausing "
				    "for 1 s", strerror(errno));
				event_del(d->ev_accept);
				evtimer_add(d->ev_accept_pause, &pause);
				return;
			default:	/* EAGAIN and the rest */
				return;
			}
		}
		if (READ_ONCE(d->nclients) >= d->opt.max_clients) {
			log_rl_warnx(&accept_rl, "%u clients connected: "
			    "refusing more", d->opt.max_clients);
			refuse(fd, "too many clients: try again later");
			continue;
		}
		crlen = sizeof(cr);
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) < 0) {
			log_warn("SO_PEERCRED");
			close(fd);
			continue;
		}
		priv = cr.uid == 0 || cr.gid == d->cs.gid ||
		    peer_in_group(fd, d->cs.gid);
		log_debug("client pid %d uid %u gid %u%s", (int)cr.pid, cr.uid,
		    cr.gid, priv ? " (may change state)" : "");
		atomic_fetch_add_relaxed(&d->nclients, 1);
		atomic_fetch_add_relaxed(&d->accepted, 1);
		w = d->workers[d->next_worker++ % (unsigned int)d->nworkers];
		if (worker_handoff(w, fd, &cr, priv) < 0) {
			atomic_fetch_sub_relaxed(&d->nclients, 1);
			refuse(fd, "daemon busy: try again later");
		}
	}
}

/* ------------------------------------------------------ configuration */

static void
conf_to_log(void *arg, const char *msg)
{
	(void)arg;
	log_warnx("%s", msg);
}

static void
conf_to_stderr(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
}

static int
set_conf_str(char **dst, const char *v)
{
	char *s;

	if ((s = strdup(v)) == NULL)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

/* The command line wins over the file. */
static int
apply_overrides(const struct rtcd_options *o, struct rtcd_conf *c)
{
	if (o->set & RTCD_SET_WORKERS)
		c->workers = o->workers;
	if (o->set & RTCD_SET_MAX_CLIENTS)
		c->max_clients = o->max_clients;
	if (o->set & RTCD_SET_IDLE_TIMEOUT)
		c->idle_timeout = o->idle_timeout;
	if (o->debug)
		c->log_level = LOG_DEBUG;
	if (o->socket_path != NULL && set_conf_str(&c->socket_path,
	    o->socket_path) < 0)
		return -ENOMEM;
	if (o->netns != NULL && set_conf_str(&c->netns, o->netns) < 0)
		return -ENOMEM;
	return 0;
}

/*
 * Read the configuration into @c (defaults when the default file does
 * not exist), command-line overrides applied.  Return: errors reported.
 */
static int
daemon_load_conf(struct daemon *d, struct rtcd_conf *c, conf_msg_fn fn)
{
	char msg[512];
	int rv;

	conf_init(c);
	rv = conf_load(c, d->conf_path, fn, NULL);
	if (rv == -ENOENT && d->opt.config == NULL)
		rv = 0;
	else if (rv < 0) {
		snprintf(msg, sizeof(msg), "%s: %s", d->conf_path,
		    strerror(-rv));
		fn(NULL, msg);
		rv = 1;
	}
	if (rv == 0 && apply_overrides(&d->opt, c) < 0)
		rv = 1;
	return rv;
}

/* rtcached -n [-v]: check, print, exit 0 or 1. */
static int
daemon_check_conf(struct daemon *d)
{
	struct rtcd_conf c;
	int nerr;

	nerr = daemon_load_conf(d, &c, conf_to_stderr);
	if (nerr == 0 && d->opt.verbose)
		conf_print(stdout, &c);
	if (nerr == 0)
		fprintf(stderr, "configuration OK\n");
	conf_free(&c);
	return nerr == 0 ? 0 : 1;
}

/* Settings the rest of the daemon reads from d->opt. */
static void
daemon_use_conf(struct daemon *d)
{
	d->opt.workers = d->conf.workers;
	d->opt.max_clients = d->conf.max_clients;
	d->opt.idle_timeout = d->conf.idle_timeout;
	WRITE_ONCE(d->reply_budget, d->conf.reply_budget);
	d->opt.socket_path = d->conf.socket_path;
	d->opt.netns = d->conf.netns;
	log_setlevel(d->conf.log_level);
}

static double
now_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
metrics_fill(struct metrics_daemon *md, void *arg)
{
	struct daemon *d = arg;
	struct worker_counters wc;
	int i;

	md->mirror = d->mirror;
	md->synced = READ_ONCE(d->synced);
	md->workers = d->nworkers;
	md->clients = READ_ONCE(d->nclients);
	md->accepted = READ_ONCE(d->accepted);
	md->refused = READ_ONCE(d->refused);
	worker_counters_sum(&wc);
	md->requests = wc.requests;
	md->lookups = wc.lookups;
	md->bad_requests = READ_ONCE(d->bad_requests);
	md->denied = READ_ONCE(d->denied);
	md->timeouts = READ_ONCE(d->timeouts);
	md->budget_cuts = READ_ONCE(d->budget_cuts);
	md->reply_budget = READ_ONCE(d->reply_budget);
	for (i = 0; i < d->nworkers; i++)
		md->queued_bytes += worker_queued(d->workers[i]);
	md->start_time = d->start_time;
	md->reload_ok = d->reload_ok;
	md->reload_time = d->reload_time;
	md->reloads = d->reloads;
}

/* Start, move or stop the metrics listener as [metrics] listen says. */
static int
daemon_metrics(struct daemon *d)
{
	int rv;

	if (d->conf.metrics_port == 0) {
		if (d->metrics != NULL && metrics_listening(d->metrics)) {
			metrics_unlisten(d->metrics);
			log_info("metrics: stopped");
		}
		return 0;
	}
	if (d->metrics == NULL &&
	    (d->metrics = metrics_new(d->base, metrics_fill, d)) == NULL)
		return -errno;
	if ((rv = metrics_listen(d->metrics, d->conf.metrics_addr,
	    d->conf.metrics_port)) < 0) {
		log_warnx("metrics: listen %s: %s", d->conf.metrics_listen,
		    strerror(-rv));
		return rv;
	}
	log_info("metrics: http://%s/metrics", d->conf.metrics_listen);
	return 0;
}

static void
reap_schedule(struct daemon *d)
{
	struct timeval tv = { d->conf.reap_interval_ms / 1000,
	    (d->conf.reap_interval_ms % 1000) * 1000 };

	event_add(d->ev_reap, &tv);
}

static void
reload_note(void *arg, const char *key, const char *ov, const char *nv,
    int how)
{
	(void)arg;
	if (how == CONF_LIVE)
		log_info("reload: %s: %s -> %s", key, ov, nv);
	else
		log_warnx("reload: %s: %s -> %s needs a restart; keeping %s",
		    key, ov, nv, ov);
}

/*
 * Descriptors: every client holds one, the daemon a few of its own
 * (netlink, control and metrics sockets, a pipe and an event base per
 * worker, liburcu's threads).  Raise the soft limit to what max_clients
 * needs, up to the hard limit; if even that is short, serve fewer
 * clients than configured, so the ones beyond are refused with EBUSY
 * instead of hanging in accept's EMFILE.
 */
#define RTCD_FD_RESERVE(nworkers)	(64 + 8 * (unsigned int)(nworkers))

static void
fit_max_clients(struct daemon *d)
{
	unsigned int want = d->opt.max_clients;
	rlim_t need = (rlim_t)want + RTCD_FD_RESERVE(d->nworkers);
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return;
	if (rl.rlim_cur < need) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ?
		    need : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0 &&
		    getrlimit(RLIMIT_NOFILE, &rl) < 0)
			return;
	}
	if (rl.rlim_cur >= need)
		return;
	d->opt.max_clients = rl.rlim_cur > RTCD_FD_RESERVE(d->nworkers) ?
	    (unsigned int)(rl.rlim_cur - RTCD_FD_RESERVE(d->nworkers)) : 1;
	log_warnx("open files limited to %llu: serving at most %u clients "
	    "(max_clients %u)", (unsigned long long)rl.rlim_cur,
	    d->opt.max_clients, want);
}

/*
 * SIGHUP: read the file again into a new configuration; with errors,
 * change nothing.  Otherwise apply what can change live (log level, route
 * cache gc, slab reaping, client limit, reply budget, metrics, multipath)
 * and log what waits for a restart.  RELOADING=1 before, READY=1 after,
 * as sd_notify(3) asks.
 */
static void
daemon_reload(struct daemon *d)
{
	struct rtcd_conf nc;
	char msg[96];
	int nerr, changed, rv;

	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%" PRIu64,
	    clock_mono_ns() / NSEC_PER_USEC);
	notify_send(msg);
	d->reloads++;
	log_info("reload: reading %s", d->conf_path);
	if ((nerr = daemon_load_conf(d, &nc, conf_to_log)) != 0) {
		log_warnx("reload: %s: %d error%s: nothing changed",
		    d->conf_path, nerr, nerr == 1 ? "" : "s");
		d->reload_ok = 0;
	} else if ((changed = conf_diff(&d->conf, &nc, reload_note,
	    NULL)) < 0) {
		log_warnx("reload: %s", strerror(-changed));
		d->reload_ok = 0;
	} else {
		d->opt.max_clients = d->conf.max_clients;
		fit_max_clients(d);
		WRITE_ONCE(d->reply_budget, d->conf.reply_budget);
		log_setlevel(d->conf.log_level);
		if ((rv = rt_cache_set_gc(&d->conf.rt)) < 0)
			log_warnx("reload: route cache: %s", strerror(-rv));
		if (d->mirror != NULL)
			mirror_set_multipath(d->mirror, d->conf.multipath);
		event_del(d->ev_reap);
		reap_schedule(d);
		d->reload_ok = daemon_metrics(d) == 0;
		if (d->reload_ok)
			d->reload_time = now_real();
		log_info("reload: done, %d setting%s changed", changed,
		    changed == 1 ? "" : "s");
	}
	conf_free(&nc);
	daemon_status(d, "READY=1\n");
}

/* ----------------------------------------------------- signals, timers */

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		daemon_reload(d);
		break;
	default:
		log_info("%s: stopping", strsignal((int)sig));
		notify_send("STOPPING=1");
		event_base_loopbreak(d->base);
		break;
	}
}

static void
reap_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	cache_reap();
	reap_schedule(arg);
}

static void
watchdog_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	notify_send("WATCHDOG=1");
}

static void
status_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	daemon_status(arg, "");
}

/*
 * The watchdog: $WATCHDOG_USEC (for us if $WATCHDOG_PID is unset or
 * ours), pinged every half period from this loop, so a wedged loop is
 * noticed.  The variables are unset for children.  Return: period (us).
 */
static uint64_t
watchdog_usec(void)
{
	const char *us = getenv("WATCHDOG_USEC"), *pid = getenv("WATCHDOG_PID");
	uint64_t v = 0;

	if (us != NULL && (pid == NULL || atol(pid) == (long)getpid()))
		v = strtoull(us, NULL, 10);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return v;
}

static void
periodic_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	rcu_thread_online();
	rt_cache_periodic();
	rt_cache_quiescent();
	rcu_thread_offline();
}

/* --------------------------------------------------------- start, stop */

static void
start_workers(struct daemon *d)
{
	long ncpu;
	int i, rv;

	if ((d->nworkers = d->opt.workers) == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		d->nworkers = ncpu > 0 ? (int)(ncpu > 256 ? 256 : ncpu) : 1;
	}
	if ((d->workers = calloc((size_t)d->nworkers,
	    sizeof(*d->workers))) == NULL)
		fatal("workers");
	for (i = 0; i < d->nworkers; i++) {
		if ((d->workers[i] = worker_new(i)) == NULL)
			fatal("worker %d", i);
		if ((rv = worker_start(d->workers[i])) < 0)
			fatalx("worker %d: %s", i, strerror(-rv));
	}
}

static void
add_timer(struct daemon *d, struct event **ev, event_callback_fn fn, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if ((*ev = event_new(d->base, -1, EV_PERSIST, fn, d)) == NULL ||
	    event_add(*ev, &tv) < 0)
		fatalx("timer");
}

/*
 * The mirrored namespace was deleted.  Our netlink sockets are what keeps
 * it alive now, and nothing in it will change again: stop, with status 1
 * so that a service manager sees a failure (Restart=on-failure picks the
 * namespace up again once it is re-created).
 */
static void
netns_gone_cb(const char *path, void *arg)
{
	struct daemon *d = arg;

	log_warnx("netns %s: deleted (%s is gone); stopping so that the "
	    "namespace can go away", d->opt.netns, path);
	notify_send("STOPPING=1");
	d->exit_status = 1;
	event_base_loopbreak(d->base);
}

static void
netns_watch(struct daemon *d)
{
	char path[4096];
	const char *ns = d->opt.netns;

	if (ns == NULL || ns[0] == '\0')
		return;
	mirror_netns_path(ns, path, sizeof(path));
	if ((d->nswatch = nswatch_new(d->base, path, netns_gone_cb, d)) == NULL)
		log_warn("netns %s: cannot watch %s for its deletion", ns,
		    path);
}

static void
daemon_start(struct daemon *d)
{
	static const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	struct mirror_config mc;
	struct slab_config sc;
	const char *path;
	uint64_t wd;
	int i, rv;

	d->start_ns = clock_mono_ns();
	d->start_time = d->reload_time = now_real();
	d->reload_ok = 1;
	if (evthread_use_pthreads() < 0)
		fatalx("libevent without threads");
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	signal(SIGPIPE, SIG_IGN);
	rcu_register_thread();
	memset(&sc, 0, sizeof(sc));
	sc.sim_nodes = d->conf.sim_nodes;	/* before any cache exists */
	if ((rv = slab_init(&sc)) < 0)
		fatalx("slab_init: %s", strerror(-rv));
	slab_thread_attach(-1);
	if ((rv = fib_init()) < 0)
		fatalx("fib_init: %s", strerror(-rv));
	if ((rv = rt_cache_init(&d->conf.rt)) < 0)
		fatalx("rt_cache_init: %s", strerror(-rv));
	rcu_thread_offline();

	path = d->opt.socket_path != NULL ? d->opt.socket_path :
	    rtcd_default_socket();
	if ((rv = control_listen_fds(&d->cs)) < 0)
		fatalx("socket activation: %s", strerror(-rv));
	else if (rv > 0)
		log_info("control socket %s from systemd", d->cs.path);
	else if ((rv = control_open(&d->cs, path)) == -EADDRINUSE)
		fatalx("%s: already running (a daemon answers on it)", path);
	else if (rv < 0)
		fatalx("control socket %s: %s", path, strerror(-rv));
	else if ((rv = control_set_perm(&d->cs, d->conf.socket_mode,
	    d->conf.socket_gid)) < 0)
		fatalx("control socket %s: mode or group: %s", path,
		    strerror(-rv));
	if ((d->ev_accept = event_new(d->base, d->cs.fd, EV_READ | EV_PERSIST,
	    accept_cb, d)) == NULL ||
	    (d->ev_accept_pause = evtimer_new(d->base, accept_resume_cb,
	    d)) == NULL)
		fatalx("event_new");
	for (i = 0; i < 3; i++)
		if ((d->ev_sig[i] = evsignal_new(d->base, sigs[i], signal_cb,
		    d)) == NULL || event_add(d->ev_sig[i], NULL) < 0)
			fatalx("evsignal_new");
	if ((d->ev_reap = evtimer_new(d->base, reap_cb, d)) == NULL)
		fatalx("timer");
	reap_schedule(d);
	add_timer(d, &d->ev_periodic, periodic_cb, 1000);
	if ((wd = watchdog_usec()) > 0) {
		add_timer(d, &d->ev_watchdog, watchdog_cb,
		    (int)(wd / 2000 > 0 ? wd / 2000 : 1));
		log_debug("watchdog: every %" PRIu64 " ms", wd / 2000);
	}
	if (getenv("NOTIFY_SOCKET") != NULL)
		add_timer(d, &d->ev_status, status_cb, 5000);
	if (daemon_metrics(d) < 0)
		fatalx("metrics: cannot listen on %s", d->conf.metrics_listen);
	start_workers(d);
	fit_max_clients(d);

	if (d->opt.routes_file != NULL) {
		if ((rv = load_routes_file(d)) < 0)
			fatalx("%s: %s", d->opt.routes_file, strerror(-rv));
		return;
	}
	mirror_config_init(&mc);
	mc.netns = d->opt.netns;
	mc.verbose = d->opt.debug;
	mc.rcvbuf = d->conf.rcvbuf;
	mc.resync_min_ms = d->conf.resync_interval_ms;
	mc.sysctl_poll_ms = d->conf.sysctl_poll_ms;
	mc.multipath = d->conf.multipath;
	if ((d->mirror = mirror_new(d->base, &mc)) == NULL)
		fatal("mirror_new");
	mirror_set_batch_cb(d->mirror, mirror_batch_cb, d);
	mirror_set_ready_cb(d->mirror, mirror_ready_cb, d);
	if ((rv = mirror_start(d->mirror)) < 0)
		fatalx("netlink%s%s: %s", d->opt.netns ? " in netns " : "",
		    d->opt.netns ? d->opt.netns : "", strerror(-rv));
	netns_watch(d);
}

static void
daemon_stop(struct daemon *d)
{
	int i;

	event_del(d->ev_accept);
	metrics_free(d->metrics);
	d->metrics = NULL;
	control_close(&d->cs);
	for (i = 0; i < d->nworkers; i++)
		worker_stop(d->workers[i]);
	for (i = 0; i < d->nworkers; i++)
		worker_free(d->workers[i]);
	free(d->workers);
	nswatch_free(d->nswatch);
	d->nswatch = NULL;
	if (d->mirror != NULL)
		mirror_free(d->mirror);
	rcu_thread_online();
	rt_cache_exit();
	fib_exit();
	slab_thread_detach();
	rcu_unregister_thread();
	event_free(d->ev_accept);
	event_free(d->ev_accept_pause);
	event_free(d->ev_reap);
	event_free(d->ev_periodic);
	if (d->ev_watchdog != NULL)
		event_free(d->ev_watchdog);
	if (d->ev_status != NULL)
		event_free(d->ev_status);
	conf_free(&d->conf);
	for (i = 0; i < 3; i++)
		event_free(d->ev_sig[i]);
	event_base_free(d->base);
	jobs_free_all();
	log_info("stopped");
}

int
main(int argc, char **argv)
{
	struct daemon *d = rtcd;
	const char *fail;
	int rv;

	rv = rtcd_parse_options(argc, argv, &d->opt, stdout, stderr);
	if (rv != 0)
		return rv > 0 ? 0 : RTCD_EX_USAGE;
	d->conf_path = d->opt.config != NULL ? d->opt.config :
	    conf_default_path();
	if (d->opt.check)
		return daemon_check_conf(d);
	log_init(d->opt.debug, getenv("JOURNAL_STREAM") != NULL);
	/* fault tests: RTCACHED_FAIL_MAPS=SKIP:COUNT makes the slab's page
	 * provider fail COUNT chunk maps after SKIP good ones */
	if ((fail = getenv("RTCACHED_FAIL_MAPS")) != NULL) {
		unsigned int skip = 0, count = 0;

		if (sscanf(fail, "%u:%u", &skip, &count) == 2) {
			log_warnx("RTCACHED_FAIL_MAPS: %u chunk maps will fail "
			    "after %u", count, skip);
			slab_inject_map_failure(skip, count);
		}
	}
	if (daemon_load_conf(d, &d->conf, conf_to_log) != 0) {
		log_warnx("%s: not started", d->conf_path);
		return 1;
	}
	daemon_use_conf(d);
	daemon_start(d);
	event_base_dispatch(d->base);
	daemon_stop(d);
	return d->exit_status;
}
