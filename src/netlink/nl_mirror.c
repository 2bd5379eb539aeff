/* SPDX-License-Identifier: MIT */
/*
 * nl_mirror.c - the mirror's sockets, start-up and resync state machine
 * on a libevent base.
 *
 * Two NETLINK_ROUTE sockets per mirror.  The event socket E is subscribed
 * to links, IPv4 addresses, routes, rules, netconf and nexthops, is never
 * written to, and drops datagrams whose sender is not the kernel.  The
 * dump socket D has strict checking and extended acks and carries our
 * requests.  Both are created inside the mirrored namespace by a
 * short-lived thread that setns()es there, so the caller's thread never
 * changes namespace.
 *
 * A sync (the first one, or a resync after ENOBUFS) subscribes first
 * (E exists before any dump), then dumps links, addresses, netconf,
 * nexthops, routes of every table and rules on D, applying each entry as
 * an upsert while E is drained into a pending queue of raw datagrams.
 * Dumps flagged NLM_F_DUMP_INTR are repeated a bounded number of times;
 * a kind whose dump never came back clean is not swept and another resync
 * is scheduled.  Then the sweeps run, the pending notifications replay in
 * arrival order, and one batch callback follows.  The sync runs to its
 * end inside one libevent callback: E keeps being drained meanwhile, and
 * the kernel paces D, which is not lossy.
 *
 * After the sync, E is read in bursts (up to batch_max datagrams per
 * callback, then the event is re-activated so timers run); each burst is
 * one batch.  ENOBUFS means notifications were lost: E is read until it
 * is empty (that clears the kernel's congestion state), and a resync is
 * scheduled, coalesced with any pending one and at most one per
 * resync_min_ms.  What changes without a netlink message (device
 * settings, the multipath sysctls) is nl_sysctl.c's: read at the start,
 * after every sync and on a timer, the devices' by a short dump on D
 * outside any sync (nl_dump_now).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/netconf.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>

#include <event2/event.h>
#include <libmnl/libmnl.h>

#include "base/nlattr.h"
#include "netlink/nl_internal.h"

#define NL_RXBUF	(256U << 10)	/* > the kernel's 32 KiB dump batches */
#define NL_DUMP_TIMEOUT_MS 10000

void
mirror_config_init(struct mirror_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rcvbuf = MIRROR_RCVBUF_DEFAULT;
	cfg->resync_min_ms = 1000;
	cfg->dump_retries = 10;
	cfg->batch_max = 4096;
}

struct mirror *
mirror_new(struct event_base *base, const struct mirror_config *cfg)
{
	struct mirror *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->base = base;
	if (cfg != NULL)
		m->cfg = *cfg;
	else
		mirror_config_init(&m->cfg);
	if (m->cfg.rcvbuf == 0)
		m->cfg.rcvbuf = MIRROR_RCVBUF_DEFAULT;
	if (m->cfg.batch_max == 0)
		m->cfg.batch_max = 4096;
	m->ev_fd = m->dump_fd = m->ask_fd = -1;
	nl_sysctl_init(m);
	nl_mp_init(m);
	m->rxsize = NL_RXBUF;
	if ((m->rxbuf = malloc(m->rxsize)) == NULL) {
		free(m);
		return NULL;
	}
	return m;
}

void
mirror_set_batch_cb(struct mirror *m, mirror_batch_fn fn, void *arg)
{
	m->batch_fn = fn;
	m->batch_arg = arg;
}

void
mirror_set_ready_cb(struct mirror *m, mirror_ready_fn fn, void *arg)
{
	m->ready_fn = fn;
	m->ready_arg = arg;
}

int
mirror_ready(const struct mirror *m)
{
	return m->ready;
}

uint64_t
mirror_last_activity(const struct mirror *m)
{
	return m->last_activity_ns;
}

void
mirror_get_stats(const struct mirror *m, struct mirror_stats *st)
{
	*st = m->st;
}

/* ------------------------------------------------------------------ */
/* Sockets, created inside the namespace.                              */

struct nl_open {
	struct mirror	*m;
	int		 nsfd;		/* -1: our namespace */
	int		 err;		/* -errno */
	const char	*what;
};

static int
setsockopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* The event socket's kernel buffer: FORCE needs CAP_NET_ADMIN. */
static void
nl_set_rcvbuf(struct mirror *m)
{
	int want = m->cfg.rcvbuf > (size_t)(1U << 30) ? 1 << 30 :
	    (int)m->cfg.rcvbuf, got = 0;
	socklen_t len = sizeof(got);
	const char *how = "SO_RCVBUFFORCE";

	if (setsockopt_int(m->ev_fd, SOL_SOCKET, SO_RCVBUFFORCE, want) < 0) {
		how = "SO_RCVBUF";
		setsockopt_int(m->ev_fd, SOL_SOCKET, SO_RCVBUF, want);
	}
	getsockopt(m->ev_fd, SOL_SOCKET, SO_RCVBUF, &got, &len);
	m->st.rcvbuf = (size_t)got;
	nl_log(LOG_INFO, "netlink: event socket buffer %d bytes (asked %d "
	    "with %s)", got, want, how);
}

static int
nl_open_here(struct nl_open *o)
{
	struct mirror *m = o->m;
	static const unsigned int groups[] = { RTNLGRP_LINK,
	    RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV4_RULE,
	    RTNLGRP_IPV4_NETCONF, RTNLGRP_NEXTHOP };
	unsigned int i;

	o->what = "socket";
	m->ev_nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK |
	    SOCK_CLOEXEC);
	m->dump_nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK |
	    SOCK_CLOEXEC);
	if (m->ev_nl == NULL || m->dump_nl == NULL)
		return -errno;
	m->ev_fd = mnl_socket_get_fd(m->ev_nl);
	m->dump_fd = mnl_socket_get_fd(m->dump_nl);
	/* Subscribe before anything is dumped. */
	o->what = "bind";
	if (mnl_socket_bind(m->ev_nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	nl_set_rcvbuf(m);
	o->what = "NETLINK_ADD_MEMBERSHIP";
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt_int(m->ev_fd, SOL_NETLINK,
		    NETLINK_ADD_MEMBERSHIP, (int)groups[i]) < 0)
			return -errno;
	o->what = "bind (dump socket)";
	if (mnl_socket_bind(m->dump_nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	m->dump_portid = mnl_socket_get_portid(m->dump_nl);
	o->what = "NETLINK_GET_STRICT_CHK";
	if (setsockopt_int(m->dump_fd, SOL_NETLINK, NETLINK_GET_STRICT_CHK,
	    1) < 0)
		return -errno;
	setsockopt_int(m->dump_fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
	setsockopt_int(m->dump_fd, SOL_SOCKET, SO_RCVBUF, 4 << 20);
	nl_sysctl_open(m);
	if (m->ask_fd < 0)
		m->ask_fd = nl_ask_socket();	/* -errno: no questions */
	return 0;
}

static void *
nl_open_thread(void *arg)
{
	struct nl_open *o = arg;

	if (setns(o->nsfd, CLONE_NEWNET) < 0) {
		o->err = -errno;
		o->what = "setns";
		return NULL;
	}
	o->err = nl_open_here(o);
	return NULL;
}

void
mirror_netns_path(const char *ns, char *buf, size_t size)
{
	if (strchr(ns, '/') != NULL)
		snprintf(buf, size, "%s", ns);
	else
		snprintf(buf, size, "/run/netns/%s", ns);
}

static int
nl_open_sockets(struct mirror *m)
{
	struct nl_open o = { m, -1, 0, "" };
	char path[4096];
	const char *ns = m->cfg.netns;
	pthread_t t;
	int rv;

	if (ns == NULL || ns[0] == '\0') {
		nl_ask_set_netns(NULL);
		o.err = nl_open_here(&o);
	} else {
		mirror_netns_path(ns, path, sizeof(path));
		nl_ask_set_netns(path);
		if ((o.nsfd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			rv = -errno;
			nl_log(LOG_ERR, "netlink: netns %s: %s", path,
			    strerror(errno));
			return rv;
		}
		/* A thread of its own enters the namespace and exits. */
		if ((rv = pthread_create(&t, NULL, nl_open_thread, &o)) != 0)
			o.err = -rv;
		else
			pthread_join(t, NULL);
		close(o.nsfd);
	}
	if (o.err < 0)
		nl_log(LOG_ERR, "netlink: %s: %s", o.what, strerror(-o.err));
	return o.err;
}

/* ------------------------------------------------------------------ */
/* Reading the event socket.                                           */

int
nl_pending_push(struct nl_pending *p, const void *data, size_t len)
{
	size_t need = sizeof(uint32_t) + NLMSG_ALIGN(len);
	uint32_t l = (uint32_t)len;

	if (p->len + need > p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 1 << 16;
		char *nb;

		while (nc < p->len + need)
			nc *= 2;
		if ((nb = realloc(p->buf, nc)) == NULL)
			return -ENOMEM;
		p->buf = nb;
		p->cap = nc;
	}
	memcpy(p->buf + p->len, &l, sizeof(l));
	memcpy(p->buf + p->len + sizeof(l), data, len);
	p->len += need;
	p->count++;
	return 0;
}

/*
 * nl_ev_recv - one datagram from E into m->rxbuf.
 * Return: its length, 0 for one to skip (not from the kernel,
 * truncated), -EAGAIN when empty, -ENOBUFS after a loss, other -errno.
 */
static ssize_t
nl_ev_recv(struct mirror *m)
{
	struct sockaddr_nl sa;
	struct iovec iov = { m->rxbuf, m->rxsize };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
	    .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if ((n = recvmsg(m->ev_fd, &mh, 0)) < 0) {
		if (errno == EINTR)
			return 0;
		if (errno == EWOULDBLOCK)
			return -EAGAIN;
		if (errno == ENOBUFS) {
			m->st.enobufs++;
			m->lost = 1;
		}
		return -errno;
	}
	m->last_activity_ns = clock_mono_ns();
	if (mh.msg_namelen != sizeof(sa) || sa.nl_pid != 0) {
		m->st.foreign++;
		return 0;
	}
	if (mh.msg_flags & MSG_TRUNC) {
		m->st.parse_errors++;
		nl_log_rl(LOG_WARNING, "netlink: notification truncated");
		return 0;
	}
	return n;
}

/* Move everything queued on E to the pending queue (during a sync). */
static void
nl_drain_to_pending(struct mirror *m)
{
	ssize_t n;

	for (;;) {
		n = nl_ev_recv(m);
		if (n == -EAGAIN)
			return;
		if (n == -ENOBUFS)
			continue;	/* lost: keep reading until empty */
		if (n < 0) {
			nl_log_rl(LOG_WARNING, "netlink: recv: %s",
			    strerror((int)-n));
			return;
		}
		if (n > 0 && nl_pending_push(&m->pend, m->rxbuf, (size_t)n) < 0) {
			/* Out of memory: drop it and resync later. */
			m->lost = 1;
		}
	}
}

struct nl_walk_ctx {
	struct mirror	*m;
	enum nl_mode	 mode;
	unsigned int	 applied;
};

static int
nl_walk_apply(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_walk_ctx *c = arg;

	c->applied += (unsigned int)nl_apply_nlh(c->m, nlh, c->mode);
	return 0;
}

static void
nl_apply_datagram(struct mirror *m, const void *buf, size_t len,
    enum nl_mode mode)
{
	struct nl_walk_ctx c = { m, mode, 0 };

	if (nl_walk_buf(buf, len, nl_walk_apply, &c) < 0) {
		m->st.parse_errors++;
		nl_log_rl(LOG_WARNING, "netlink: datagram of %zu bytes has "
		    "trailing garbage", len);
	}
}

/*
 * The end of a batch of changes: what the batch asks for (the devices'
 * settings read again after a change of conf/default, the kernel asked
 * about rules after rule events or a sync), then the batch callback.
 */
void
nl_batch_done(struct mirror *m)
{
	int rv;

	if (m->conf_reread) {
		m->conf_reread = 0;
		if ((rv = nl_sysctl_devices(m)) < 0)
			nl_log_rl(LOG_WARNING, "netlink: device settings: "
			    "link dump: %s", strerror(-rv));
	}
	if (m->rules_ask)
		nl_ask_custom_rules(m);
	m->st.batches++;
	nl_mp_batch(m);
	if (m->batch_fn != NULL)
		m->batch_fn(m->batch_arg);
}

static void nl_schedule_sync(struct mirror *m);

static void
nl_ev_read(evutil_socket_t fd, short what, void *arg)
{
	struct mirror *m = arg;
	unsigned int budget = m->cfg.batch_max, got = 0;
	ssize_t n;

	(void)fd;
	(void)what;
	if (m->syncing)
		return;
	while (got < budget || m->lost) {
		n = nl_ev_recv(m);
		if (n == -EAGAIN)
			break;
		if (n == -ENOBUFS) {
			nl_log_rl(LOG_WARNING, "netlink: ENOBUFS: notifications "
			    "lost, resync follows");
			continue;
		}
		if (n < 0) {
			nl_log_rl(LOG_WARNING, "netlink: recv: %s",
			    strerror((int)-n));
			break;
		}
		got++;
		if (n > 0)
			nl_apply_datagram(m, m->rxbuf, (size_t)n, NLM_LIVE);
	}
	if (got > 0)
		nl_batch_done(m);
	if (m->lost)
		nl_schedule_sync(m);
	else if (got >= budget)
		event_active(m->ev_read, EV_READ, 0);	/* more, after timers */
}

/* ------------------------------------------------------------------ */
/* Dumps on D.                                                         */

typedef int (*nl_dump_fn)(struct mirror *m, const struct nlmsghdr *nlh);

static int
nl_dump_entry(struct mirror *m, const struct nlmsghdr *nlh)
{
	nl_apply_nlh(m, nlh, NLM_DUMP);
	return 0;
}

/* The int after NLMSG_DONE / in NLMSG_ERROR, as -errno or 0. */
static int
nl_ctl_error(const struct nlmsghdr *nlh)
{
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	return err > 0 ? -err : err;
}

/*
 * The dump reader.  The kernel builds each dump datagram inside the
 * recvmsg() that asks for it, so a thread of its own receives D's
 * replies into a ring of slots while this thread parses and applies the
 * ones already in: the kernel's share of a full-table dump overlaps the
 * FIB inserts.  The reader stops at our NLMSG_DONE or NLMSG_ERROR, on a
 * failure, or when told to; it touches nothing but the ring and D.
 */
#define NLQ_SLOTS	32
#define NLQ_SLOT	(128U << 10)	/* > the kernel's 32 KiB batches */

struct nl_dumpq {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv_data;	/* reader -> applier */
	pthread_cond_t	 cv_space;	/* applier -> reader */
	char		*slots;		/* NLQ_SLOTS x NLQ_SLOT */
	size_t		 len[NLQ_SLOTS];
	unsigned int	 prod, cons;	/* free-running counters */
	int		 done;		/* the reader has finished */
	int		 stop;		/* the applier wants no more */
	int		 err;		/* the reader's -errno, or 0 */
	int		 fd;
	uint32_t	 seq, portid;
};

/* Our NLMSG_DONE or NLMSG_ERROR: stops the walk of nlq_is_end(). */
static int
nlq_end_msg(const struct nlmsghdr *nlh, void *arg)
{
	const struct nl_dumpq *q = arg;

	if (nlh->nlmsg_seq == q->seq && nlh->nlmsg_pid == q->portid &&
	    (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR))
		return -ECANCELED;
	return 0;
}

/* Does this datagram end our dump?  A broken one does: the applier
 * reports it. */
static int
nlq_is_end(const char *p, ssize_t n, const struct nl_dumpq *q)
{
	return nlmsg_walk(p, (size_t)n, nlq_end_msg, (void *)q) != 0;
}

static void *
nlq_reader(void *arg)
{
	struct nl_dumpq *q = arg;
	struct pollfd pfd = { q->fd, POLLIN, 0 };
	int waited = 0, err = 0, end = 0;

	while (!end) {
		unsigned int slot;
		char *buf;
		ssize_t n;
		int r;

		pthread_mutex_lock(&q->mu);
		while (q->prod - q->cons == NLQ_SLOTS && !q->stop)
			pthread_cond_wait(&q->cv_space, &q->mu);
		slot = q->prod % NLQ_SLOTS;
		r = q->stop;
		pthread_mutex_unlock(&q->mu);
		if (r)
			break;
		buf = q->slots + (size_t)slot * NLQ_SLOT;
		n = recv(q->fd, buf, NLQ_SLOT, MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN) {
				err = -errno;
				break;
			}
			/* Nothing yet: wait a little, then look at stop. */
			r = poll(&pfd, 1, 100);
			if (r < 0 && errno != EINTR) {
				err = -errno;
				break;
			}
			if (r == 0 && (waited += 100) >= NL_DUMP_TIMEOUT_MS) {
				err = -ETIMEDOUT;
				break;
			}
			if (r > 0)
				waited = 0;
			pthread_mutex_lock(&q->mu);
			r = q->stop;
			pthread_mutex_unlock(&q->mu);
			if (r)
				break;
			continue;
		}
		waited = 0;
		if ((size_t)n > NLQ_SLOT) {
			err = -ENOSPC;
			break;
		}
		end = nlq_is_end(buf, n, q);
		pthread_mutex_lock(&q->mu);
		q->len[slot] = (size_t)n;
		q->prod++;
		pthread_cond_signal(&q->cv_data);
		pthread_mutex_unlock(&q->mu);
	}
	pthread_mutex_lock(&q->mu);
	q->err = err;
	q->done = 1;
	pthread_cond_signal(&q->cv_data);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct nl_dump_walk {
	struct mirror	*m;
	uint32_t	 seq;
	nl_dump_fn	 fn;
	int		*intr;
	int		 rv;	/* once our DONE or ERROR is seen */
};

#define NL_DUMP_END	(-ECANCELED)	/* stops the walk: rv is set */

static int
nl_dump_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_dump_walk *w = arg;
	int r;

	if (nlh->nlmsg_seq != w->seq || nlh->nlmsg_pid != w->m->dump_portid)
		return 0;	/* a stale reply */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		*w->intr = 1;
	if (nlh->nlmsg_type == NLMSG_DONE) {
		r = nl_ctl_error(nlh);
		/* a strict dump of a missing table: empty */
		w->rv = r < 0 && r != -ENOENT ? r : *w->intr;
		return NL_DUMP_END;
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		r = nl_ctl_error(nlh);
		w->rv = r < 0 ? r : *w->intr;
		return NL_DUMP_END;
	}
	w->fn(w->m, nlh);
	return 0;
}

/*
 * One datagram of our dump: entries to @fn.  Return: 2 to go on, 0 done
 * clean, 1 done but interrupted, -errno failed.
 */
static int
nl_dump_datagram(struct mirror *m, const char *p, ssize_t n, uint32_t seq,
    nl_dump_fn fn, int *intr)
{
	struct nl_dump_walk w = { m, seq, fn, intr, 2 };
	int rv = nlmsg_walk(p, (size_t)n, nl_dump_msg, &w);

	if (rv == NL_DUMP_END)
		return w.rv;
	return rv < 0 ? rv : 2;
}

/*
 * nl_dump_read - read one dump's replies (through the reader thread),
 * draining E meanwhile.
 * Return: 0 clean, 1 interrupted (NLM_F_DUMP_INTR), -errno failed.
 */
static int
nl_dump_read(struct mirror *m, uint32_t seq, nl_dump_fn fn)
{
	struct nl_dumpq q;
	pthread_t t;
	int intr = 0, rv = 2, err;

	if (m->dumpq_slots == NULL &&
	    (m->dumpq_slots = malloc((size_t)NLQ_SLOTS * NLQ_SLOT)) == NULL)
		return -ENOMEM;
	memset(&q, 0, sizeof(q));
	q.slots = m->dumpq_slots;
	q.fd = m->dump_fd;
	q.seq = seq;
	q.portid = m->dump_portid;
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv_data, NULL);
	pthread_cond_init(&q.cv_space, NULL);
	if ((err = pthread_create(&t, NULL, nlq_reader, &q)) != 0) {
		rv = -err;
		goto out;
	}
	while (rv == 2) {
		unsigned int avail, i;
		int done;

		pthread_mutex_lock(&q.mu);
		while (q.cons == q.prod && !q.done) {
			struct timespec ts;

			/* E is drained at least every 50 ms. */
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += 50 * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			if (pthread_cond_timedwait(&q.cv_data, &q.mu,
			    &ts) == ETIMEDOUT)
				break;
		}
		avail = q.prod;
		done = q.done;
		err = q.err;
		pthread_mutex_unlock(&q.mu);
		nl_drain_to_pending(m);
		for (i = q.cons; i != avail && rv == 2; i++)
			rv = nl_dump_datagram(m, q.slots +
			    (size_t)(i % NLQ_SLOTS) * NLQ_SLOT,
			    (ssize_t)q.len[i % NLQ_SLOTS], seq, fn, &intr);
		pthread_mutex_lock(&q.mu);
		q.cons = avail;
		if (rv != 2)
			q.stop = 1;
		pthread_cond_signal(&q.cv_space);
		pthread_mutex_unlock(&q.mu);
		if (rv == 2 && done)
			rv = err < 0 ? err : -EIO;	/* ended without DONE */
	}
	pthread_join(t, NULL);
out:
	pthread_cond_destroy(&q.cv_space);
	pthread_cond_destroy(&q.cv_data);
	pthread_mutex_destroy(&q.mu);
	return rv;
}

/* Send a dump request: @hdr (@hdrlen bytes) after the netlink header. */
static int
nl_dump_send(struct mirror *m, uint16_t type, const void *hdr, size_t hdrlen,
    uint32_t *seqp)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	void *p;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = *seqp = ++m->seq;
	p = mnl_nlmsg_put_extra_header(nlh, hdrlen);
	memcpy(p, hdr, hdrlen);
	if (mnl_socket_sendto(m->dump_nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

/*
 * nl_dump - one kind, retried while NLM_F_DUMP_INTR says it was not
 * consistent.  Return: 0 clean, 1 still interrupted, -errno.
 */
static int
nl_dump(struct mirror *m, uint16_t type, const void *hdr, size_t hdrlen,
    const char *what)
{
	unsigned int tries = 0;
	uint32_t seq;
	int rv;

	for (;;) {
		if ((rv = nl_dump_send(m, type, hdr, hdrlen, &seq)) < 0)
			break;
		if (type == RTM_GETRULE && m->sync != NULL) {
			/* Notifications of rule changes the dump reflects
			 * are all queued on E by now. */
			nl_drain_to_pending(m);
			m->sync->rule_cut = m->pend.count;
		}
		rv = nl_dump_read(m, seq, nl_dump_entry);
		if (rv != 1)
			break;
		m->st.dump_intr++;
		if (++tries > m->cfg.dump_retries) {
			nl_log(LOG_WARNING, "netlink: %s dump still "
			    "interrupted after %u tries", what, tries);
			break;
		}
		usleep(1000U << (tries < 6 ? tries : 6));
	}
	if (rv < 0)
		nl_log(LOG_WARNING, "netlink: %s dump: %s", what,
		    strerror(-rv));
	return rv;
}

void
nl_link_req_init(struct nl_link_req *r)
{
	memset(r, 0, sizeof(*r));
	r->ifi.ifi_family = AF_UNSPEC;
	r->ext.nla_len = NLA_HDRLEN + sizeof(r->ext_mask);
	r->ext.nla_type = IFLA_EXT_MASK;
	r->ext_mask = RTEXT_FILTER_SKIP_STATS;
}

struct nl_now_walk {
	struct mirror	*m;
	uint32_t	 seq;
	nl_msg_fn	 fn;
	void		*arg;
	int		 rv;		/* once our DONE or ERROR is seen */
};

static int
nl_now_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_now_walk *w = arg;

	if (nlh->nlmsg_seq != w->seq || nlh->nlmsg_pid != w->m->dump_portid)
		return 0;	/* a stale reply */
	if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR) {
		w->rv = nl_ctl_error(nlh);
		return NL_DUMP_END;
	}
	return w->fn(nlh, w->arg);
}

/**
 * nl_dump_now - a short dump outside a sync (the poll of nl_sysctl.c),
 * read here on D without the reader thread and without touching E;
 * each of its messages to @fn.  Not during a sync.
 * Return: 0, or -errno (-ETIMEDOUT when D stays silent for a second).
 */
int
nl_dump_now(struct mirror *m, uint16_t type, const void *hdr, size_t hdrlen,
    nl_msg_fn fn, void *arg)
{
	struct nl_now_walk w = { m, 0, fn, arg, 1 };
	struct pollfd pfd = { m->dump_fd, POLLIN, 0 };
	ssize_t n;
	int rv;

	if (m->syncing || m->dump_nl == NULL)
		return -EBUSY;
	if ((rv = nl_dump_send(m, type, hdr, hdrlen, &w.seq)) < 0)
		return rv;
	while (w.rv == 1) {
		n = recv(m->dump_fd, m->rxbuf, m->rxsize, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if ((rv = poll(&pfd, 1, 1000)) == 0)
				return -ETIMEDOUT;
			if (rv < 0 && errno != EINTR)
				return -errno;
			continue;
		}
		if (n < 0)
			return -errno;
		rv = nlmsg_walk(m->rxbuf, (size_t)n, nl_now_msg, &w);
		if (rv < 0 && rv != NL_DUMP_END)
			return rv;
	}
	return w.rv;
}

/* ------------------------------------------------------------------ */
/* The sync.                                                           */

static int
nl_dump_all(struct mirror *m)
{
	struct nl_sync *s = m->sync;
	struct nl_link_req ifi;
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };
	struct netconfmsg ncm = { .ncm_family = AF_INET };
	struct nhmsg nhm = { .nh_family = AF_UNSPEC };
	struct rtmsg rtm = { .rtm_family = AF_INET };
	struct fib_rule_hdr frh = { .family = AF_INET };
	int rv;

	nl_link_req_init(&ifi);
	if ((rv = nl_dump(m, RTM_GETLINK, &ifi, sizeof(ifi), "link")) != 0)
		s->links_clean = 0;
	if (rv < 0)
		return rv;
	if ((rv = nl_dump(m, RTM_GETADDR, &ifa, sizeof(ifa), "address")) != 0)
		s->addrs_clean = 0;
	if (rv < 0)
		return rv;
	nl_dump(m, RTM_GETNETCONF, &ncm, sizeof(ncm), "netconf");
	nl_sync_prefix_routes(m);
	rv = nl_dump(m, RTM_GETNEXTHOP, &nhm, sizeof(nhm), "nexthop");
	if (rv != 0)
		s->nh_clean = 0;	/* kernels < 5.3: EOPNOTSUPP */
	nl_sync_apply_groups(m);
	if ((rv = nl_dump(m, RTM_GETROUTE, &rtm, sizeof(rtm), "route")) != 0)
		s->routes_clean = 0;
	if (rv == 0)
		nl_sync_prefix_routes_done(m);
	if (rv < 0)
		return rv;
	if ((rv = nl_dump(m, RTM_GETRULE, &frh, sizeof(frh), "rule")) != 0)
		s->rules_clean = 0;
	nl_sync_retry_deferred(m);
	return rv < 0 ? rv : 0;
}

static void
nl_replay_pending(struct mirror *m)
{
	struct nl_pending *p = &m->pend;
	size_t off = 0;

	m->replay_pos = 0;
	while (off < p->len) {
		uint32_t l;

		memcpy(&l, p->buf + off, sizeof(l));
		nl_apply_datagram(m, p->buf + off + sizeof(l), l, NLM_REPLAY);
		off += sizeof(l) + NLMSG_ALIGN(l);
		m->replay_pos++;
	}
	p->len = 0;
	p->count = 0;
	if (p->cap > (1U << 20)) {
		free(p->buf);
		p->buf = NULL;
		p->cap = 0;
	}
}

/*
 * nl_sync - the full sync of the namespace's state into the FIB.
 * Return: 0, or -errno when a dump failed (a resync is scheduled).
 */
static int
nl_sync(struct mirror *m)
{
	struct nl_sync s;
	uint64_t t0 = clock_mono_ns();
	int rv, dirty;

	m->syncing = 1;
	m->lost = 0;
	nl_sync_begin(m, &s);
	/* Whatever is queued now predates the dumps: replay it after. */
	nl_drain_to_pending(m);
	rv = nl_dump_all(m);
	if (rv == 0) {
		nl_sync_rules(m);
		if (m->first_done)
			nl_sync_sweep(m);
		fib_sync_settle();	/* every table and rule is in */
	}
	nl_drain_to_pending(m);
	nl_replay_pending(m);
	dirty = !s.links_clean || !s.addrs_clean || !s.nh_clean ||
	    !s.routes_clean || !s.rules_clean;
	nl_sync_end(m);
	m->syncing = 0;
	m->last_sync_ns = clock_mono_ns();
	m->st.sync_seconds = (double)(m->last_sync_ns - t0) / 1e9;
	if (m->first_done)
		m->st.resyncs++;
	if (m->cfg.verbose || m->first_done)
		nl_log(LOG_INFO, "netlink: %s in %.3f s, %llu routes%s",
		    m->first_done ? "resync" : "initial sync",
		    m->st.sync_seconds, (unsigned long long)m->st.routes,
		    dirty ? " (incomplete, will resync)" : "");
	if (rv < 0 || dirty)
		m->lost = 1;
	return rv;
}

static void
nl_sync_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mirror *m = arg;
	int first = !m->first_done;

	(void)fd;
	(void)what;
	m->sync_scheduled = 0;
	nl_sync(m);
	m->first_done = 1;
	nl_sysctl_synced(m);
	m->rules_ask = 1;
	nl_batch_done(m);
	if (first && !m->ready) {
		m->ready = 1;
		if (m->ready_fn != NULL)
			m->ready_fn(m->ready_arg);
	}
	if (m->lost)
		nl_schedule_sync(m);
	/* Anything that arrived after the replay is read live now. */
	event_active(m->ev_read, EV_READ, 0);
}

/* Coalesced: one pending resync at a time, at most one per interval. */
static void
nl_schedule_sync(struct mirror *m)
{
	uint64_t now = clock_mono_ns(), next;
	struct timeval tv = { 0, 0 };

	if (m->sync_scheduled || m->ev_sync == NULL)
		return;
	next = m->last_sync_ns + (uint64_t)m->cfg.resync_min_ms * 1000000ULL;
	if (m->first_done && next > now) {
		tv.tv_sec = (time_t)((next - now) / 1000000000ULL);
		tv.tv_usec = (suseconds_t)((next - now) % 1000000000ULL / 1000);
	}
	m->sync_scheduled = 1;
	evtimer_add(m->ev_sync, &tv);
}

int
mirror_resync(struct mirror *m)
{
	if (!m->started)
		return -EINVAL;
	nl_schedule_sync(m);
	return 0;
}

/**
 * mirror_start - open the sockets (in the namespace configured) and
 * schedule the initial sync on the event base.
 * Return: 0, or -errno (logged) when the sockets cannot be set up.
 */
int
mirror_start(struct mirror *m)
{
	int rv;

	if (m->started)
		return -EALREADY;
	if ((rv = nl_open_sockets(m)) < 0)
		goto fail;
	m->ev_read = event_new(m->base, m->ev_fd, EV_READ | EV_PERSIST,
	    nl_ev_read, m);
	m->ev_sync = evtimer_new(m->base, nl_sync_cb, m);
	if (m->ev_read == NULL || m->ev_sync == NULL) {
		rv = -ENOMEM;
		goto fail;
	}
	event_add(m->ev_read, NULL);
	if ((rv = nl_sysctl_start(m)) < 0)
		goto fail;
	m->started = 1;
	nl_schedule_sync(m);
	return 0;
fail:
	mirror_stop(m);
	return rv;
}

void
mirror_stop(struct mirror *m)
{
	if (m->ev_read != NULL)
		event_free(m->ev_read);
	if (m->ev_sync != NULL)
		event_free(m->ev_sync);
	m->ev_read = m->ev_sync = NULL;
	nl_mp_close(m);
	nl_sysctl_close(m);
	if (m->ask_fd >= 0)
		close(m->ask_fd);
	m->ask_fd = -1;
	if (m->ev_nl != NULL)
		mnl_socket_close(m->ev_nl);
	if (m->dump_nl != NULL)
		mnl_socket_close(m->dump_nl);
	m->ev_nl = m->dump_nl = NULL;
	m->ev_fd = m->dump_fd = -1;
	m->started = 0;
	m->sync_scheduled = 0;
}

void
mirror_free(struct mirror *m)
{
	if (m == NULL)
		return;
	mirror_stop(m);
	nl_mirror_clear(m);
	free(m->pend.buf);
	free(m->dumpq_slots);
	free(m->rxbuf);
	free(m);
}

/* ------------------------------------------------------------------ */
/* Offline source and text output.                                     */

/* iproute2's file headers: ip route save, ip rule save, ip addr save. */
#define IP_ROUTE_SAVE_MAGIC	0x45311224U
#define IP_RULE_SAVE_MAGIC	0x71706986U
#define IP_ADDR_SAVE_MAGIC	0x47361222U

/* Past the magic of an iproute2 save file, if @buf opens with one. */
static const void *
nl_skip_magic(const void *buf, size_t *len)
{
	uint32_t magic;

	if (*len < sizeof(magic))
		return buf;
	memcpy(&magic, buf, sizeof(magic));
	if (magic != IP_ROUTE_SAVE_MAGIC && magic != IP_RULE_SAVE_MAGIC &&
	    magic != IP_ADDR_SAVE_MAGIC)
		return buf;
	*len -= sizeof(magic);
	return (const char *)buf + sizeof(magic);
}

/**
 * mirror_load_buf - apply a buffer of rtnetlink messages (an
 * `ip route save`, `ip rule save` or `ip addr save` image, with or without
 * its magic) to the FIB.
 * Return: messages applied, or -EBADMSG when the stream is broken (what
 * came before the break stays applied).
 */
int
mirror_load_buf(const void *buf, size_t len, struct mirror_stats *st)
{
	struct mirror m;
	struct nl_sync s;
	struct nl_walk_ctx c = { &m, NLM_DUMP, 0 };
	int rv;

	memset(&m, 0, sizeof(m));
	buf = nl_skip_magic(buf, &len);
	/* As a dump: groups after members, entries that came too early
	 * retried, rules replacing the defaults only if there are any. */
	nl_sync_begin(&m, &s);
	rv = nl_walk_buf(buf, len, nl_walk_apply, &c);
	if (rv < 0)
		m.st.parse_errors++;
	nl_sync_retry_deferred(&m);
	if (s.rules.n > 0)
		nl_sync_rules(&m);
	fib_sync_settle();
	nl_sync_end(&m);
	nl_mirror_clear(&m);
	if (st != NULL)
		*st = m.st;
	if (rv < 0)
		return rv;
	return (int)(m.st.messages - m.st.parse_errors - m.st.apply_errors -
	    m.st.ignored);
}

/* The whole of @path into a malloc'ed *@bufp.  Return: 0 or -errno. */
static int
nl_read_file(const char *path, char **bufp, size_t *lenp)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, rv = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	for (;;) {
		if (len == cap) {
			size_t nc = cap ? cap * 2 : 1 << 20;
			char *nb = realloc(buf, nc);

			if (nb == NULL) {
				rv = -ENOMEM;
				break;
			}
			buf = nb;
			cap = nc;
		}
		if ((n = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rv = n < 0 ? -errno : 0;
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	if (rv < 0)
		free(buf);
	*bufp = rv < 0 ? NULL : buf;
	*lenp = len;
	return rv;
}

int
mirror_load_file(const char *path, struct mirror_stats *st)
{
	char *buf;
	size_t len;
	int rv;

	if ((rv = nl_read_file(path, &buf, &len)) < 0)
		return rv;
	rv = mirror_load_buf(buf, len, st);
	free(buf);
	return rv;
}

struct nl_oif_walk {
	mirror_oif_fn	 fn;
	void		*arg;
};

static int
nl_oif_msg(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_oif_walk *w = arg;
	int idx[FIB_MAX_MP + 1], n, i;

	n = nl_route_oifs(nlh, idx, FIB_MAX_MP + 1);
	for (i = 0; i < n; i++)
		w->fn(idx[i], w->arg);
	return 0;
}

/**
 * mirror_file_oifs - call @fn with each interface index the routes of an
 * `ip route save` image name (a device may come more than once).  A
 * broken stream ends the walk quietly: mirror_load_file() reports it.
 * Return: 0 or -errno (the file could not be read).
 */
int
mirror_file_oifs(const char *path, mirror_oif_fn fn, void *arg)
{
	struct nl_oif_walk w = { fn, arg };
	const char *p;
	char *buf;
	size_t len;
	int rv;

	if ((rv = nl_read_file(path, &buf, &len)) < 0)
		return rv;
	p = nl_skip_magic(buf, &len);
	nlmsg_walk(p, len, nl_oif_msg, &w);
	free(buf);
	return 0;
}

int
mirror_dump(FILE *out, unsigned int what)
{
	int rv = 0;

	if ((what & MIRROR_DUMP_LINKS) && rv >= 0)
		rv = netdev_dump(out);
	if ((what & MIRROR_DUMP_ROUTES) && rv >= 0)
		rv = fib_dump_routes(out, FIB_TABLE_ALL);
	if ((what & MIRROR_DUMP_RULES) && rv >= 0)
		rv = fib_dump_rules(out);
	if ((what & MIRROR_DUMP_NEXTHOPS) && rv >= 0)
		rv = fib_dump_nexthops(out);
	return rv < 0 ? rv : 0;
}
