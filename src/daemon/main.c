/* SPDX-License-Identifier: MIT */
/*
 * main.c - rtcached's main thread: options, start-up, the one libevent
 * loop that runs the netlink mirror (the only FIB writer), the control
 * listener, signals and timers, readiness, and a clean stop.
 *
 * rtcached never forks: under systemd (Type=notify) it runs in the
 * foreground and logs to stderr; -f only documents that.  READY=1 goes
 * to $NOTIFY_SOCKET once the first full sync is applied (or the routes
 * file loaded) and the control socket listens.  The main thread is a
 * registered QSBR thread that stays offline except while it runs a
 * job that reads the route cache, so it never holds up a grace period.
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include <event2/event.h>
#include <event2/thread.h>
#include <libmnl/libmnl.h>
#include <urcu-qsbr.h>

#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/rtcached.h"

#ifndef SO_PEERGROUPS
#define SO_PEERGROUPS	59
#endif

static struct log_rl accept_rl;

/* ------------------------------------------------------------ mirror */

static void
mirror_log(int prio, const char *msg, void *arg)
{
	(void)arg;
	logit(prio, "%s", msg);
}

static void
daemon_ready(struct daemon *d, unsigned long routes, double secs)
{
	char st[128];
	int rv;

	__atomic_store_n(&d->synced, 1, __ATOMIC_RELEASE);
	if (d->notified)
		return;
	d->notified = 1;
	log_info("synced: %lu routes in %.3f s; listening on %s", routes, secs,
	    d->cs.path);
	snprintf(st, sizeof(st), "READY=1\nSTATUS=mirroring %lu routes",
	    routes);
	if ((rv = notify_send(st)) < 0)
		log_warnx("sd_notify: %s", strerror(-rv));
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
routes_file_devices(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	size_t left = len;

	for (; mnl_nlmsg_ok(nlh, (int)left); nlh = mnl_nlmsg_next(nlh,
	    (int *)&left)) {
		const struct nlattr *a;
		char name[IF_NAMESIZE];
		int idx[FIB_MAX_MP + 1], n = 0, i;

		if (nlh->nlmsg_type != RTM_NEWROUTE ||
		    nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(struct rtmsg))
			continue;
		mnl_attr_for_each(a, nlh, sizeof(struct rtmsg)) {
			if (mnl_attr_get_type(a) == RTA_OIF &&
			    mnl_attr_get_payload_len(a) >= 4)
				idx[n++] = (int)mnl_attr_get_u32(a);
			else if (mnl_attr_get_type(a) == RTA_MULTIPATH) {
				const struct rtnexthop *nh =
				    mnl_attr_get_payload(a);
				int rem = (int)mnl_attr_get_payload_len(a);

				while (rem >= (int)sizeof(*nh) &&
				    nh->rtnh_len >= sizeof(*nh) &&
				    nh->rtnh_len <= rem && n < FIB_MAX_MP) {
					idx[n++] = nh->rtnh_ifindex;
					rem -= RTNH_ALIGN(nh->rtnh_len);
					nh = RTNH_NEXT(nh);
				}
			}
			if (n >= FIB_MAX_MP)
				break;
		}
		for (i = 0; i < n; i++) {
			if (idx[i] <= 0 || netdev_get_by_index(idx[i]) != NULL)
				continue;
			if (if_indextoname((unsigned int)idx[i], name) == NULL)
				snprintf(name, sizeof(name), "if%d", idx[i]);
			fib_link_set(idx[i], name, NETDEV_F_UP |
			    NETDEV_F_LOWER_UP | (strcmp(name, "lo") == 0 ?
			    NETDEV_F_LOOPBACK : 0), 0, 0);
		}
	}
}

static int
load_routes_file(struct daemon *d)
{
	struct mirror_stats st;
	FILE *f;
	char *buf = NULL;
	size_t len = 0;
	uint64_t t0 = rtcd_now_ns();
	int n;

	/* read it once for the devices; the loader reads it again */
	if ((f = fopen(d->opt.routes_file, "re")) == NULL)
		return -errno;
	buf = malloc(1 << 20);
	for (;;) {
		size_t got, cap = len + (1 << 20);
		char *nb = realloc(buf, cap);

		if (nb == NULL) {
			free(buf);
			fclose(f);
			return -ENOMEM;
		}
		buf = nb;
		if ((got = fread(buf + len, 1, 1 << 20, f)) == 0)
			break;
		len += got;
	}
	fclose(f);
	if (len >= 4)
		routes_file_devices(buf + 4, len - 4);
	free(buf);
	if ((n = mirror_load_file(d->opt.routes_file, &st)) < 0)
		return n;
	if (st.parse_errors || st.apply_errors)
		log_warnx("%s: %llu parse errors, %llu routes refused",
		    d->opt.routes_file, (unsigned long long)st.parse_errors,
		    (unsigned long long)st.apply_errors);
	rt_cache_flush(-1);
	daemon_ready(d, (unsigned long)n, (double)(rtcd_now_ns() - t0) / 1e9);
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
	size_t n = dispatch_refusal(buf, sizeof(buf), why);

	if (n > 0)
		(void)send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	close(fd);
	__atomic_add_fetch(&rtcd->refused, 1, __ATOMIC_RELAXED);
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
		if (__atomic_load_n(&d->nclients, __ATOMIC_RELAXED) >=
		    d->opt.max_clients) {
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
		__atomic_add_fetch(&d->nclients, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&d->accepted, 1, __ATOMIC_RELAXED);
		w = d->workers[d->next_worker++ % (unsigned int)d->nworkers];
		if (worker_handoff(w, fd, &cr, priv) < 0) {
			__atomic_sub_fetch(&d->nclients, 1, __ATOMIC_RELAXED);
			refuse(fd, "daemon busy: try again later");
		}
	}
}

/* ----------------------------------------------------- signals, timers */

static void
signal_cb(evutil_socket_t sig, short what, void *arg)
{
	struct daemon *d = arg;

	(void)what;
	switch (sig) {
	case SIGHUP:
		/* the configuration file comes with the service issue */
		log_info("reload");
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
	(void)fd, (void)what, (void)arg;
	cache_reap();
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

static void
daemon_start(struct daemon *d)
{
	static const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	struct mirror_config mc;
	const char *path;
	int i, rv;

	d->start_ns = rtcd_now_ns();
	if (evthread_use_pthreads() < 0)
		fatalx("libevent without threads");
	if ((d->base = event_base_new()) == NULL)
		fatalx("event_base_new");
	signal(SIGPIPE, SIG_IGN);
	rcu_register_thread();
	slab_thread_attach(-1);
	if ((rv = fib_init()) < 0)
		fatalx("fib_init: %s", strerror(-rv));
	if ((rv = rt_cache_init(NULL)) < 0)
		fatalx("rt_cache_init: %s", strerror(-rv));
	rcu_thread_offline();

	path = d->opt.socket_path != NULL ? d->opt.socket_path :
	    rtcd_default_socket();
	if ((rv = control_open(&d->cs, path)) == -EADDRINUSE)
		fatalx("%s: already running (a daemon answers on it)", path);
	else if (rv < 0)
		fatalx("control socket %s: %s", path, strerror(-rv));
	if ((d->ev_accept = event_new(d->base, d->cs.fd, EV_READ | EV_PERSIST,
	    accept_cb, d)) == NULL ||
	    (d->ev_accept_pause = evtimer_new(d->base, accept_resume_cb,
	    d)) == NULL)
		fatalx("event_new");
	for (i = 0; i < 3; i++)
		if ((d->ev_sig[i] = evsignal_new(d->base, sigs[i], signal_cb,
		    d)) == NULL || event_add(d->ev_sig[i], NULL) < 0)
			fatalx("evsignal_new");
	add_timer(d, &d->ev_reap, reap_cb, 2000);
	add_timer(d, &d->ev_periodic, periodic_cb, 1000);
	start_workers(d);
	event_add(d->ev_accept, NULL);

	if (d->opt.routes_file != NULL) {
		if ((rv = load_routes_file(d)) < 0)
			fatalx("%s: %s", d->opt.routes_file, strerror(-rv));
		return;
	}
	mirror_set_log(mirror_log, NULL);
	mirror_config_init(&mc);
	mc.netns = d->opt.netns;
	mc.verbose = d->opt.debug;
	if ((d->mirror = mirror_new(d->base, &mc)) == NULL)
		fatal("mirror_new");
	mirror_set_batch_cb(d->mirror, mirror_batch_cb, d);
	mirror_set_ready_cb(d->mirror, mirror_ready_cb, d);
	if ((rv = mirror_start(d->mirror)) < 0)
		fatalx("netlink%s%s: %s", d->opt.netns ? " in netns " : "",
		    d->opt.netns ? d->opt.netns : "", strerror(-rv));
}

static void
daemon_stop(struct daemon *d)
{
	int i;

	event_del(d->ev_accept);
	control_close(&d->cs);
	for (i = 0; i < d->nworkers; i++)
		worker_stop(d->workers[i]);
	for (i = 0; i < d->nworkers; i++)
		worker_free(d->workers[i]);
	free(d->workers);
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
	for (i = 0; i < 3; i++)
		event_free(d->ev_sig[i]);
	event_base_free(d->base);
	log_info("stopped");
}

int
main(int argc, char **argv)
{
	struct daemon *d = rtcd;
	int rv;

	rv = rtcd_parse_options(argc, argv, &d->opt, stdout, stderr);
	if (rv != 0)
		return rv > 0 ? 0 : RTCD_EX_USAGE;
	log_init(d->opt.debug, getenv("JOURNAL_STREAM") != NULL);
	if (d->opt.config != NULL)
		log_debug("configuration %s: accepted, not read yet",
		    d->opt.config);
	daemon_start(d);
	event_base_dispatch(d->base);
	daemon_stop(d);
	return 0;
}
