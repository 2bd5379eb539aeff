/* SPDX-License-Identifier: MIT */
/*
 * worker.c - rtcached's worker threads and the control connections they
 * serve.
 *
 * Each worker has its own event base, its own slab array caches and is
 * a liburcu QSBR reader that is online only inside a callback that
 * serves (between rcu_thread_online and rt_cache_quiescent +
 * rcu_thread_offline), so a worker blocked in epoll never holds up a
 * grace period and the noref rtables of a batch stay valid until its
 * replies are built.  The main thread hands accepted sockets over a pipe
 * per worker (round robin).
 *
 * A connection is non-blocking: requests are read while the queued
 * replies stay under RTCD_OUT_HIGH; past it, reading pauses until the
 * client drains them (a client that never reads stops costing more);
 * past RTCD_OUT_MAX, or after RTCD_WRITE_TIMEOUT s without progress, or
 * after the idle timeout without a request, it is closed.  A listing
 * (listing.c) runs here in steps, the next one only when the client has
 * taken the last (conn_pump), and a job (a request for the main thread)
 * comes back here to be answered; reading pauses while either is under
 * way, which keeps replies in request order.
 *
 * All queued replies together stay under the reply budget: each worker
 * keeps its connections under its share (budget / workers), and over it
 * closes first the connection whose queue has gone longest without
 * progress (worker_budget), with a log line and a counter.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <event2/event.h>
#include "base/clock.h"
#include "base/rcu.h"

#include "rtcache/compiler.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/rtcached.h"
#include "daemon/reply.h"

#define WORKER_READ_BURST	64	/* requests per read callback */
#define WORKER_SPIN_MAX_REQ	1024	/* larger requests: no spin (worker_loop) */
#define WORKER_REAP_MS		2000
#define WORKER_LISTING_STEPS	4	/* per callback, then other clients */

struct handoff {
	int		 fd;
	int		 privileged;
	struct ucred	 cr;
};

struct worker {
	int		 id;
	pthread_t	 thr;
	int		 started;
	struct event_base *base;
	int		 hpipe[2];
	struct event	*ev_handoff;
	struct event	*ev_reap;
	LIST_HEAD(, conn) conns;
	unsigned long	 nconns;	/* read by the main thread: atomic */
	size_t		 queued;	/* reply bytes queued: READ_ONCE */
	struct log_rl	 budget_rl;
	struct worker_counters cnt __attribute__((aligned(64)));
	unsigned char	*rbuf;		/* RTCD_MSG_MAX + 1 */
	unsigned long	 served;	/* callbacks that served: spin window */
	int		 spin;		/* last requests were small: spin */
	int		 stopping;	/* set by worker_stop: atomic */
};

struct job {
	LIST_ENTRY(job)	 live;		/* jobs_live, under jobs_lock */
	struct conn	*c;
	job_fn		 fn;
	job_done_fn	 done;
	void		*arg;
	int		 rv;
	char		*text;
	size_t		 len;
	size_t		 reqlen;
	unsigned char	 req[];
};

static struct daemon the_daemon;
struct daemon *rtcd = &the_daemon;

static void	 conn_read_cb(evutil_socket_t, short, void *);
static void	 conn_write_cb(evutil_socket_t, short, void *);
static void	 conn_flush(struct conn *c);
static void	 conn_pump(struct conn *c);

static void
serve_begin(struct worker *w)
{
	w->served++;
	rcu_thread_online();
}

static void
serve_end(void)
{
	rt_cache_quiescent();
	rcu_thread_offline();
}

/* ----------------------------------------------------------- conns */

static void
conn_free(struct conn *c)
{
	event_free(c->ev_read);
	event_free(c->ev_write);
	free(c);
}

/* Drop what @c has queued (its peer will not get it). */
static void
conn_drop_output(struct conn *c)
{
	struct omsg *m;

	while ((m = TAILQ_FIRST(&c->outq)) != NULL) {
		TAILQ_REMOVE(&c->outq, m, entry);
		free(m);
	}
	WRITE_ONCE(c->w->queued, c->w->queued - c->outbytes);
	c->outbytes = 0;
}

static void
conn_close(struct conn *c)
{
	if (c->dead)
		return;
	c->dead = 1;
	event_del(c->ev_read);
	event_del(c->ev_write);
	close(c->fd);
	c->fd = -1;
	conn_drop_output(c);
	listing_free(c->listing);
	c->listing = NULL;
	LIST_REMOVE(c, entry);
	atomic_fetch_sub_relaxed(&c->w->nconns, 1);
	atomic_fetch_sub_relaxed(&rtcd->nclients, 1);
}

/* End of a callback on @c: free it if it was closed and nothing waits. */
static void
conn_release(struct conn *c)
{
	if (c->dead && c->jobs == 0)
		conn_free(c);
}

static void
conn_read_on(struct conn *c)
{
	struct timeval tv = { rtcd->opt.idle_timeout, 0 };

	if (!c->reading && !c->dead) {
		event_add(c->ev_read, &tv);
		c->reading = 1;
	}
}

static void
conn_read_off(struct conn *c)
{
	if (c->reading) {
		event_del(c->ev_read);
		c->reading = 0;
	}
}

static void
conn_new(struct worker *w, const struct handoff *h)
{
	struct conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("worker %d: connection", w->id);
		close(h->fd);
		atomic_fetch_sub_relaxed(&rtcd->nclients, 1);
		return;
	}
	c->w = w;
	c->fd = h->fd;
	c->pid = (uint32_t)h->cr.pid;
	c->uid = h->cr.uid;
	c->gid = h->cr.gid;
	c->privileged = h->privileged;
	TAILQ_INIT(&c->outq);
	c->ev_read = event_new(w->base, c->fd, EV_READ | EV_PERSIST,
	    conn_read_cb, c);
	c->ev_write = event_new(w->base, c->fd, EV_WRITE, conn_write_cb, c);
	if (c->ev_read == NULL || c->ev_write == NULL) {
		log_warnx("worker %d: event_new failed", w->id);
		event_free(c->ev_read);
		event_free(c->ev_write);
		close(c->fd);
		free(c);
		atomic_fetch_sub_relaxed(&rtcd->nclients, 1);
		return;
	}
	LIST_INSERT_HEAD(&w->conns, c, entry);
	atomic_fetch_add_relaxed(&w->nconns, 1);
	conn_read_on(c);
}

/**
 * conn_send - queue one reply message for @c.
 *
 * Return: 0, or -ENOBUFS when the client has let RTCD_OUT_MAX bytes pile
 * up (the connection is then closed by the caller's flush), -ENOMEM.
 */
int
conn_send(struct conn *c, const void *buf, size_t len)
{
	struct omsg *m;

	if (c->dead)
		return -EPIPE;
	if (c->outbytes + len > RTCD_OUT_MAX)
		return -ENOBUFS;
	if ((m = malloc(sizeof(*m) + len)) == NULL)
		return -ENOMEM;
	m->len = len;
	memcpy(m->data, buf, len);
	TAILQ_INSERT_TAIL(&c->outq, m, entry);
	c->outbytes += len;
	WRITE_ONCE(c->w->queued, c->w->queued + len);
	return 0;
}

/*
 * Send what the socket takes; wait for EV_WRITE for the rest.  A queue
 * left behind dates its stall from the last progress (stalled_ns), which
 * is what worker_budget goes by.
 */
static void
conn_flush(struct conn *c)
{
	struct timeval tv = { RTCD_WRITE_TIMEOUT, 0 };
	size_t before = c->outbytes;
	struct omsg *m;
	ssize_t n;

	if (c->dead)
		return;
	while ((m = TAILQ_FIRST(&c->outq)) != NULL) {
		n = send(c->fd, m->data, m->len, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK ||
			    errno == ENOBUFS) {
				event_add(c->ev_write, &tv);
				if (c->outbytes > RTCD_OUT_HIGH)
					conn_read_off(c);
				if (c->stalled_ns == 0 || c->outbytes != before)
					c->stalled_ns = clock_mono_coarse_ns();
				return;
			}
			if (errno == EINTR)
				continue;
			log_debug("client pid %u: send: %s", c->pid,
			    strerror(errno));
			conn_close(c);
			return;
		}
		TAILQ_REMOVE(&c->outq, m, entry);
		c->outbytes -= m->len;
		WRITE_ONCE(c->w->queued, c->w->queued - m->len);
		free(m);
	}
	c->stalled_ns = 0;
}

/*
 * worker_budget - close @w's connections, the one stalled longest first,
 * until its queued replies are within its share of the reply budget.
 * @self is the connection whose callback runs: closed, not freed.
 * Return: whether @self was closed.
 */
static int
worker_budget(struct worker *w, struct conn *self)
{
	size_t share = READ_ONCE(rtcd->reply_budget) /
	    (size_t)(rtcd->nworkers > 0 ? rtcd->nworkers : 1);
	uint64_t now = clock_mono_coarse_ns();
	struct conn *c, *slow;
	int closed_self = 0;

	while (w->queued > share) {
		slow = NULL;
		LIST_FOREACH(c, &w->conns, entry)
			if (c->outbytes > 0 && (slow == NULL ||
			    (c->stalled_ns ? c->stalled_ns : now) <
			    (slow->stalled_ns ? slow->stalled_ns : now)))
				slow = c;
		if (slow == NULL)
			break;
		atomic_fetch_add_relaxed(&rtcd->budget_cuts, 1);
		log_rl_warnx(&w->budget_rl, "client pid %u uid %u: %zu bytes "
		    "of replies not read for %llu ms: closed to keep the "
		    "replies queued under %zu bytes", slow->pid, slow->uid,
		    slow->outbytes, slow->stalled_ns ? (unsigned long long)
		    (now - slow->stalled_ns) / 1000000 : 0ULL, share);
		conn_close(slow);
		if (slow == self)
			closed_self = 1;
		else
			conn_release(slow);
	}
	return closed_self;
}

/*
 * Flush @c, then, while its client keeps up (the queue under
 * RTCD_LISTING_LOW), run the next steps of its listing: at most
 * WORKER_LISTING_STEPS per callback, then its write event is made active
 * so the other connections' events come first.  Reading resumes when no
 * listing or job is under way.
 */
static void
conn_pump(struct conn *c)
{
	int n;

	for (n = 0;; n++) {
		conn_flush(c);
		if (c->dead || c->listing == NULL ||
		    c->outbytes >= RTCD_LISTING_LOW)
			break;
		if (n == WORKER_LISTING_STEPS) {
			event_active(c->ev_write, EV_WRITE, 0);
			break;
		}
		serve_begin(c->w);
		listing_step(c);
		serve_end();
		if (worker_budget(c->w, c))
			return;
	}
	if (!c->dead && c->jobs == 0 && c->listing == NULL)
		conn_read_on(c);
}

static void
conn_write_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	(void)fd;
	if (what & EV_TIMEOUT) {
		atomic_fetch_add_relaxed(&rtcd->timeouts, 1);
		log_rl_warnx(&c->rl, "client pid %u uid %u: not reading its "
		    "replies for %d s: closed", c->pid, c->uid,
		    RTCD_WRITE_TIMEOUT);
		conn_close(c);
	} else
		conn_pump(c);
	conn_release(c);
}

/*
 * recv() returns 0 both for an empty message and once the peer has shut
 * down its side; only in the second case does the socket report
 * RDHUP.  An empty message is a bad request like any other: it gets an
 * error reply and the connection stays up.
 */
static int
peer_shut_down(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLRDHUP };

	return poll(&p, 1, 0) == 1 &&
	    (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

static void
conn_read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct worker *w = c->w;
	ssize_t n;
	int i;

	if (what & EV_TIMEOUT) {
		atomic_fetch_add_relaxed(&rtcd->timeouts, 1);
		log_debug("client pid %u: idle for %u s: closed", c->pid,
		    rtcd->opt.idle_timeout);
		/* proto.h: an ERROR with seq 0 concerns the connection */
		reply_error(c, 0, ETIMEDOUT, "idle for %u s: closing",
		    rtcd->opt.idle_timeout);
		conn_flush(c);
		conn_close(c);
		conn_release(c);
		return;
	}
	serve_begin(w);
	w->spin = 1;
	for (i = 0; i < WORKER_READ_BURST; i++) {
		n = recv(fd, w->rbuf, RTCD_MSG_MAX + 1,
		    MSG_DONTWAIT | MSG_TRUNC);
		if (n > WORKER_SPIN_MAX_REQ)
			w->spin = 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				log_debug("client pid %u: recv: %s", c->pid,
				    strerror(errno));
				conn_close(c);
			}
			break;
		}
		if (n == 0 && peer_shut_down(fd)) {
			/* send what is queued */
			conn_flush(c);
			conn_close(c);
			break;
		}
		if ((size_t)n > RTCD_MSG_MAX) {
			atomic_fetch_add_relaxed(&rtcd->bad_requests, 1);
			log_rl_warnx(&c->rl, "client pid %u uid %u: message "
			    "of %zd bytes exceeds %u", c->pid, c->uid, n,
			    RTCD_MSG_MAX);
			/* its header was read: answer its seq */
			reply_error(c, ((struct nlmsghdr *)w->rbuf)->nlmsg_seq,
			    EMSGSIZE, "message of %zd bytes exceeds the limit "
			    "of %u", n, RTCD_MSG_MAX);
		} else
			dispatch_request(c, w->rbuf, (size_t)n);
		if (c->dead || c->jobs > 0 || c->listing != NULL ||
		    c->outbytes > RTCD_OUT_HIGH)
			break;
	}
	serve_end();
	if (!c->dead && (c->jobs > 0 || c->listing != NULL))
		conn_read_off(c);
	if (!c->dead && c->outbytes > RTCD_OUT_MAX - RTCD_MSG_MAX) {
		log_rl_warnx(&c->rl, "client pid %u uid %u: %zu bytes of "
		    "replies unread: closed", c->pid, c->uid, c->outbytes);
		conn_close(c);
	}
	if (!c->dead && !worker_budget(w, c))
		conn_pump(c);
	conn_release(c);
}

/* ------------------------------------------------------------ jobs */

/*
 * Every job from conn_job until its done step ran, so that the ones still
 * queued on an event base when the daemon stops are freed (jobs_free_all)
 * instead of leaked.  Jobs are listings, never lookups: the lock is off
 * the fast path.
 */
static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(, job) jobs_live = LIST_HEAD_INITIALIZER(jobs_live);

static void
job_free(struct job *j)
{
	pthread_mutex_lock(&jobs_lock);
	LIST_REMOVE(j, live);
	pthread_mutex_unlock(&jobs_lock);
	free(j->text);
	free(j);
}

/* After every thread that runs jobs has stopped. */
void
jobs_free_all(void)
{
	while (!LIST_EMPTY(&jobs_live))
		job_free(LIST_FIRST(&jobs_live));
}

static void
job_done_worker(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	struct conn *c = j->c;

	(void)fd;
	(void)what;
	c->jobs--;
	if (!c->dead) {
		serve_begin(c->w);
		j->done(c, j->rv, j->text, j->len, j->req, j->reqlen);
		serve_end();
	}
	job_free(j);
	conn_pump(c);
	conn_release(c);
}

static void
job_run_main(evutil_socket_t fd, short what, void *arg)
{
	struct job *j = arg;
	FILE *f;

	(void)fd;
	(void)what;
	rcu_thread_online();
	if ((f = open_memstream(&j->text, &j->len)) == NULL)
		j->rv = -errno;
	else {
		j->rv = j->fn(f, j->req, j->reqlen, j->arg);
		if (fclose(f) != 0 && j->rv >= 0)
			j->rv = -ENOMEM;
	}
	rt_cache_quiescent();
	rcu_thread_offline();
	if (event_base_once(j->c->w->base, -1, EV_TIMEOUT, job_done_worker, j,
	    NULL) < 0)
		fatalx("event_base_once to worker %d failed", j->c->w->id);
}

/**
 * conn_job - run @fn on the main thread, then @done on @c's worker.
 * Reading from @c pauses until @done has run.
 */
int
conn_job(struct conn *c, job_fn fn, job_done_fn done, const void *req,
    size_t len, void *arg)
{
	struct job *j;

	if ((j = calloc(1, sizeof(*j) + len)) == NULL)
		return -ENOMEM;
	j->c = c;
	j->fn = fn;
	j->done = done;
	j->arg = arg;
	j->reqlen = len;
	memcpy(j->req, req, len);
	pthread_mutex_lock(&jobs_lock);
	LIST_INSERT_HEAD(&jobs_live, j, live);
	pthread_mutex_unlock(&jobs_lock);
	if (event_base_once(rtcd->base, -1, EV_TIMEOUT, job_run_main, j,
	    NULL) < 0) {
		job_free(j);
		return -ENOMEM;
	}
	c->jobs++;
	return 0;
}

/* --------------------------------------------------------- threads */

static void
worker_handoff_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	struct handoff h[16];
	ssize_t n;
	size_t i;

	(void)what;
	n = read(fd, h, sizeof(h));
	if (n <= 0)
		return;
	for (i = 0; i < (size_t)n / sizeof(h[0]); i++)
		conn_new(w, &h[i]);
}

/*
 * Every WORKER_REAP_MS: slab reaping, the budget, and the windows of
 * listings whose reader has not taken anything for a second dropped.
 */
static void
worker_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct worker *w = arg;
	uint64_t now = clock_mono_coarse_ns();
	struct conn *c;

	(void)fd;
	(void)what;
	cache_reap();
	worker_budget(w, NULL);
	LIST_FOREACH(c, &w->conns, entry)
		if (c->listing != NULL && c->stalled_ns != 0 &&
		    now - c->stalled_ns > NSEC_PER_SEC)
			listing_park(c->listing);
}

/*
 * The worker's loop: after it served small requests, it polls without
 * sleeping for WORKER_SPIN_US before blocking in epoll again.  A client
 * asking one question at a time then finds the worker awake: on a VM a
 * halted vCPU costs some 50 us to wake, ten times a round trip's own
 * work.  After a large request (a batch) it does not spin: the client is
 * busy decoding the answers, and on this machine's two vCPUs a spinning
 * worker slows it down (100k-line batch against the full view, 11
 * alternating runs: median 75.6 ms with the spin, 70.7 ms without).
 */
#define WORKER_SPIN_US		200

/*
 * One pass of the event loop; 0 when the worker must stop.  The stop is
 * our own flag, not libevent's break: event_base_loop() clears the break
 * when it starts, so a loopbreak that lands between two passes would be
 * lost (its wake-up only ends the next pass) and the worker would block.
 */
static int
worker_pass(struct worker *w, int flags)
{
	return event_base_loop(w->base, flags) >= 0 &&
	    !smp_load_acquire(&w->stopping);
}

static void
worker_loop(struct worker *w)
{
	for (;;) {
		unsigned long seen = w->served;
		uint64_t last = clock_mono_ns();

		while (w->spin &&
		    clock_mono_ns() - last < WORKER_SPIN_US * 1000ULL) {
			if (!worker_pass(w, EVLOOP_NONBLOCK))
				return;
			if (w->served != seen) {
				seen = w->served;
				last = clock_mono_ns();
			}
		}
		if (!worker_pass(w, EVLOOP_ONCE))
			return;
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct conn *c;

	rcu_register_thread();
	rcu_thread_offline();
	slab_thread_attach(-1);
	worker_loop(w);
	while ((c = LIST_FIRST(&w->conns)) != NULL) {
		c->jobs = 0;	/* the main loop has stopped: none return */
		conn_close(c);
		conn_release(c);
	}
	rcu_thread_online();
	rt_cache_quiescent();
	dispatch_thread_exit();
	slab_thread_detach();
	rcu_unregister_thread();
	return NULL;
}

struct worker *
worker_new(int id)
{
	struct timeval reap = { WORKER_REAP_MS / 1000, 0 };
	struct worker *w;

	/* its counters' own cache line needs the struct's alignment */
	if (posix_memalign((void **)&w, _Alignof(struct worker),
	    sizeof(*w)) != 0)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->id = id;
	w->hpipe[0] = w->hpipe[1] = -1;
	LIST_INIT(&w->conns);
	if ((w->rbuf = malloc(RTCD_MSG_MAX + 1)) == NULL ||
	    (w->base = event_base_new()) == NULL ||
	    pipe2(w->hpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		goto fail;
	w->ev_handoff = event_new(w->base, w->hpipe[0], EV_READ | EV_PERSIST,
	    worker_handoff_cb, w);
	w->ev_reap = event_new(w->base, -1, EV_PERSIST, worker_reap_cb, w);
	if (w->ev_handoff == NULL || w->ev_reap == NULL)
		goto fail;
	event_add(w->ev_handoff, NULL);
	event_add(w->ev_reap, &reap);
	return w;
fail:
	worker_free(w);
	return NULL;
}

int
worker_start(struct worker *w)
{
	int rv;

	w->stopping = 0;
	if ((rv = pthread_create(&w->thr, NULL, worker_main, w)) != 0)
		return -rv;
	w->started = 1;
	return 0;
}

void
worker_stop(struct worker *w)
{
	if (!w->started)
		return;
	smp_store_release(&w->stopping, 1);
	event_base_loopbreak(w->base);	/* wakes the worker's pass */
	pthread_join(w->thr, NULL);
	w->started = 0;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->ev_handoff != NULL)
		event_free(w->ev_handoff);
	if (w->ev_reap != NULL)
		event_free(w->ev_reap);
	if (w->base != NULL)
		event_base_free(w->base);
	if (w->hpipe[0] >= 0)
		close(w->hpipe[0]);
	if (w->hpipe[1] >= 0)
		close(w->hpipe[1]);
	free(w->rbuf);
	free(w);
}

/* Main thread: hand @fd to @w.  -EAGAIN when its pipe is full. */
int
worker_handoff(struct worker *w, int fd, const struct ucred *cr,
    int privileged)
{
	struct handoff h;

	memset(&h, 0, sizeof(h));
	h.fd = fd;
	h.cr = *cr;
	h.privileged = privileged;
	if (write(w->hpipe[1], &h, sizeof(h)) != (ssize_t)sizeof(h))
		return errno == EAGAIN ? -EAGAIN : -EIO;
	return 0;
}

unsigned long
worker_conns(const struct worker *w)
{
	return READ_ONCE(w->nconns);
}

size_t
worker_queued(const struct worker *w)
{
	return READ_ONCE(w->queued);
}

struct worker_counters *
worker_counters(struct worker *w)
{
	return &w->cnt;
}

void
worker_counters_sum(struct worker_counters *sum)
{
	int i;

	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < rtcd->nworkers; i++) {
		sum->requests += READ_ONCE(rtcd->workers[i]->cnt.requests);
		sum->lookups += READ_ONCE(rtcd->workers[i]->cnt.lookups);
	}
}
