/* SPDX-License-Identifier: MIT */
/*
 * embed.c - librtcache's embedded mode (rtcache/embed.h): rtcached's
 * mirror, FIB and route cache inside the caller's process.
 *
 * The mirror thread does what rtcached's main thread does at start-up
 * and stop (src/daemon/main.c: daemon_start, daemon_stop): it registers
 * with QSBR, sets up the slab, the FIB and the route cache, runs the
 * netlink mirror (mirror.h) on an event base of its own, is the only FIB
 * writer, stays offline except in its one-second timer (the route cache's
 * periodic work, as the daemon's periodic_cb), and frees it all when
 * closed.  The batch callback invalidates the route cache, as the
 * daemon's does, and then signals the caller's eventfd.
 *
 * Calling threads are QSBR readers of their own (rtc_embed_thread_*): a
 * per-thread state says whether the thread is registered and online, so
 * that a lookup from any other thread is refused with -ESRCH instead of
 * reading RCU-protected memory unprotected.  Lookups are
 * src/embed/lookup.h, the code of the daemon's dispatcher.
 *
 * One instance per process: the FIB, the route cache and the slab are
 * process-wide.  `open` holds the process's one slot (embed_slot) from
 * the start of rtc_embed_open to the end of rtc_embed_close.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <event2/event.h>

#include "base/rcu.h"
#include "rtcache/compiler.h"
#include "rtcache/embed.h"
#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "embed/lookup.h"

#define RTC_EXPORT	__attribute__((visibility("default")))

#define EMBED_TIMEOUT_DEFAULT_MS	30000
#define EMBED_PERIODIC_MS		1000

struct rtc_embed {
	/* read by lookups: written once before the handle is returned */
	int		 ready;		/* atomic: first dump applied */
	uint32_t	 uid;		/* for flows without one */

	pthread_t	 thread;
	struct event_base *base;
	struct mirror	*mirror;
	struct event	*ev_stop;
	struct event	*ev_periodic;
	int		 stop_fd;	/* eventfd: close asks the loop to end */
	int		 notify_fd;	/* eventfd: the caller's */

	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;		/* started, ready */
	int		 started;	/* 1: init_err is set */
	int		 init_err;
	unsigned int	 threads;	/* registered calling threads */

	struct rtc_embed_config cfg;
	char		*netns;
};

/* The process's one instance (NULL, or a handle being opened or open). */
static pthread_mutex_t embed_slot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rtc_embed *embed_slot;

/* The calling thread's state. */
#define EMBED_T_NONE		0	/* not registered */
#define EMBED_T_ONLINE		1
#define EMBED_T_OFFLINE		2

static __thread int embed_state;

/*
 * fibmatch texts handed out by this thread's lookups (lookup.h keeps one,
 * in fib_text; a batch may return several): freed at the thread's next
 * lookup call, quiescent state, offline period or unregistration.
 */
static __thread char **embed_texts;
static __thread size_t embed_ntexts, embed_captexts;

static void
texts_release(void)
{
	size_t i;

	for (i = 0; i < embed_ntexts; i++)
		free(embed_texts[i]);
	embed_ntexts = 0;
}

/* The text lookup.h just made for a fibmatch answer is ours now. */
static void
texts_take(struct rtc_result *res)
{
	char **nt;
	size_t nc;

	if (fib_text == NULL)
		return;
	if (embed_ntexts == embed_captexts) {
		nc = embed_captexts ? embed_captexts * 2 : 8;
		if ((nt = realloc(embed_texts, nc * sizeof(*nt))) == NULL) {
			/* keep the answer, lose the text */
			free(fib_text);
			fib_text = NULL;
			res->present = RTC_RES_F_ERROR;
			res->error = ENOMEM;
			res->fib = NULL;
			return;
		}
		embed_texts = nt;
		embed_captexts = nc;
	}
	embed_texts[embed_ntexts++] = fib_text;
	fib_text = NULL;
}

static void
texts_free_all(void)
{
	texts_release();
	free(embed_texts);
	embed_texts = NULL;
	embed_captexts = 0;
	route_get_thread_exit();
}

/* ------------------------------------------------------ mirror thread */

static void
embed_log_quiet(int prio, const char *msg, void *arg)
{
	(void)prio, (void)msg, (void)arg;
}

/* The default: warnings and errors on stderr, the rest is not news. */
static void
embed_log_stderr(int prio, const char *msg, void *arg)
{
	(void)arg;
	if (prio <= LOG_WARNING)
		fprintf(stderr, "librtcache: %s\n", msg);
}

static void
embed_notify(struct rtc_embed *e)
{
	uint64_t one = 1;

	if (write(e->notify_fd, &one, sizeof(one)) < 0) {
		/* EAGAIN: the counter is full, it is readable anyway */
	}
}

static void
embed_batch_cb(void *arg)
{
	struct rtc_embed *e = arg;

	rt_cache_flush(-1);
	if (smp_load_acquire(&e->ready))
		embed_notify(e);
}

static void
embed_ready_cb(void *arg)
{
	struct rtc_embed *e = arg;

	rt_cache_flush(-1);
	pthread_mutex_lock(&e->lock);
	smp_store_release(&e->ready, 1);
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

static void
embed_stop_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rtc_embed *e = arg;
	uint64_t v;

	(void)what;
	if (read(fd, &v, sizeof(v)) < 0) {
		/* spurious: the loop ends anyway */
	}
	event_base_loopbreak(e->base);
}

static void
embed_periodic_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what, (void)arg;
	rcu_thread_online();
	rt_cache_periodic();
	rt_cache_quiescent();
	rcu_thread_offline();
	cache_reap();
}

static void
embed_started(struct rtc_embed *e, int err)
{
	pthread_mutex_lock(&e->lock);
	e->init_err = err;
	e->started = 1;
	pthread_cond_broadcast(&e->cond);
	pthread_mutex_unlock(&e->lock);
}

/* EACCES (the namespace file) and EPERM (setns, netlink) read the same. */
static int
embed_errno(int err)
{
	return err == -EACCES ? -EPERM : err;
}

static int
embed_loop_setup(struct rtc_embed *e)
{
	struct timeval tv = { EMBED_PERIODIC_MS / 1000,
	    (EMBED_PERIODIC_MS % 1000) * 1000 };
	struct mirror_config mc;
	int rv;

	if ((e->base = event_base_new()) == NULL)
		return -ENOMEM;
	if ((e->ev_stop = event_new(e->base, e->stop_fd, EV_READ | EV_PERSIST,
	    embed_stop_cb, e)) == NULL || event_add(e->ev_stop, NULL) < 0)
		return -ENOMEM;
	if ((e->ev_periodic = event_new(e->base, -1, EV_PERSIST,
	    embed_periodic_cb, e)) == NULL ||
	    event_add(e->ev_periodic, &tv) < 0)
		return -ENOMEM;
	mirror_config_init(&mc);
	mc.netns = e->netns;
	if ((e->mirror = mirror_new(e->base, &mc)) == NULL)
		return errno != 0 ? -errno : -ENOMEM;
	mirror_set_batch_cb(e->mirror, embed_batch_cb, e);
	mirror_set_ready_cb(e->mirror, embed_ready_cb, e);
	if ((rv = mirror_start(e->mirror)) < 0)
		return embed_errno(rv);
	return 0;
}

static void *
embed_main(void *arg)
{
	struct rtc_embed *e = arg;
	struct rt_cache_config rc;
	sigset_t all;
	int rv;

	/* the caller's signals go to the caller's threads */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);

	rcu_register_thread();
	if ((rv = slab_init(NULL)) < 0 && rv != -EBUSY)	/* EBUSY: reopened */
		goto out_rcu;
	slab_thread_attach(-1);
	if ((rv = fib_init()) < 0)
		goto out_slab;
	memset(&rc, 0, sizeof(rc));
	rc.hash_buckets = e->cfg.cache_buckets;
	if ((rv = rt_cache_init(&rc)) < 0)
		goto out_fib;
	rcu_thread_offline();

	if ((rv = embed_loop_setup(e)) < 0)
		goto out_loop;
	embed_started(e, 0);
	event_base_dispatch(e->base);
	rv = 0;
out_loop:
	if (e->mirror != NULL)
		mirror_free(e->mirror);
	e->mirror = NULL;
	if (e->ev_stop != NULL)
		event_free(e->ev_stop);
	if (e->ev_periodic != NULL)
		event_free(e->ev_periodic);
	if (e->base != NULL)
		event_base_free(e->base);
	e->ev_stop = e->ev_periodic = NULL;
	e->base = NULL;
	rcu_thread_online();
	rt_cache_exit();
out_fib:
	fib_exit();
out_slab:
	slab_thread_detach();
out_rcu:
	rcu_unregister_thread();
	if (rv < 0)
		embed_started(e, rv);
	return NULL;
}

/* --------------------------------------------------------- open, close */

RTC_EXPORT void
rtc_embed_config_init(struct rtc_embed_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->timeout_ms = EMBED_TIMEOUT_DEFAULT_MS;
}

static void
embed_free(struct rtc_embed *e)
{
	if (e->stop_fd >= 0)
		close(e->stop_fd);
	if (e->notify_fd >= 0)
		close(e->notify_fd);
	pthread_cond_destroy(&e->cond);
	pthread_mutex_destroy(&e->lock);
	free(e->netns);
	free(e);
}

static void
embed_slot_release(void)
{
	pthread_mutex_lock(&embed_slot_lock);
	embed_slot = NULL;
	pthread_mutex_unlock(&embed_slot_lock);
}

/* Stop the mirror thread and wait for it; @e stays allocated. */
static void
embed_stop_thread(struct rtc_embed *e)
{
	uint64_t one = 1;

	if (write(e->stop_fd, &one, sizeof(one)) < 0) {
		/* cannot fail on a fresh eventfd */
	}
	pthread_join(e->thread, NULL);
}

/* Wait under e->lock until @what or the deadline: 0 or -ETIMEDOUT. */
static int
embed_wait_locked(struct rtc_embed *e, const int *what, int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	while (!READ_ONCE(*what))
		if (timeout_ms < 0)
			pthread_cond_wait(&e->cond, &e->lock);
		else if (pthread_cond_timedwait(&e->cond, &e->lock, &ts) ==
		    ETIMEDOUT)
			return READ_ONCE(*what) ? 0 : -ETIMEDOUT;
	return 0;
}

RTC_EXPORT int
rtc_embed_open(struct rtc_embed **ep, const struct rtc_embed_config *cfg)
{
	struct rtc_embed *e;
	pthread_condattr_t ca;
	int rv;

	if (ep == NULL)
		return -EINVAL;
	*ep = NULL;
	pthread_mutex_lock(&embed_slot_lock);
	if (embed_slot != NULL) {
		pthread_mutex_unlock(&embed_slot_lock);
		return -EBUSY;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		pthread_mutex_unlock(&embed_slot_lock);
		return -ENOMEM;
	}
	embed_slot = e;
	pthread_mutex_unlock(&embed_slot_lock);

	if (cfg != NULL)
		e->cfg = *cfg;
	else
		rtc_embed_config_init(&e->cfg);
	if (e->cfg.timeout_ms == 0)
		e->cfg.timeout_ms = EMBED_TIMEOUT_DEFAULT_MS;
	e->uid = (uint32_t)getuid();
	e->stop_fd = e->notify_fd = -1;
	pthread_mutex_init(&e->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&e->cond, &ca);
	pthread_condattr_destroy(&ca);
	if (e->cfg.netns != NULL && e->cfg.netns[0] != '\0' &&
	    (e->netns = strdup(e->cfg.netns)) == NULL) {
		rv = -ENOMEM;
		goto fail;
	}
	e->cfg.netns = e->netns;
	if ((e->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    (e->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
		rv = -errno;
		goto fail;
	}
	if (e->cfg.flags & RTC_EMBED_QUIET)
		mirror_set_log(embed_log_quiet, NULL);
	else if (e->cfg.log != NULL)
		mirror_set_log(e->cfg.log, e->cfg.log_arg);
	else
		mirror_set_log(embed_log_stderr, NULL);
	if ((rv = pthread_create(&e->thread, NULL, embed_main, e)) != 0) {
		rv = -rv;
		goto fail;
	}
	pthread_mutex_lock(&e->lock);
	embed_wait_locked(e, &e->started, -1);
	rv = e->init_err;
	pthread_mutex_unlock(&e->lock);
	if (rv < 0) {
		pthread_join(e->thread, NULL);
		goto fail;
	}
	if (!(e->cfg.flags & RTC_EMBED_NOWAIT) &&
	    (rv = rtc_embed_wait(e, e->cfg.timeout_ms)) < 0) {
		embed_stop_thread(e);
		goto fail;
	}
	*ep = e;
	return 0;
fail:
	embed_free(e);
	embed_slot_release();
	return rv;
}

RTC_EXPORT int
rtc_embed_wait(struct rtc_embed *e, int timeout_ms)
{
	int rv;

	if (e == NULL)
		return -EINVAL;
	if (smp_load_acquire(&e->ready))
		return 0;
	pthread_mutex_lock(&e->lock);
	rv = embed_wait_locked(e, &e->ready, timeout_ms);
	pthread_mutex_unlock(&e->lock);
	return rv;
}

RTC_EXPORT int
rtc_embed_ready(const struct rtc_embed *e)
{
	return e != NULL && smp_load_acquire(&e->ready);
}

RTC_EXPORT int
rtc_embed_close(struct rtc_embed *e)
{
	int self;

	if (e == NULL)
		return -EINVAL;
	self = embed_state != EMBED_T_NONE;
	pthread_mutex_lock(&e->lock);
	if (e->threads > (unsigned int)self) {
		pthread_mutex_unlock(&e->lock);
		return -EBUSY;
	}
	pthread_mutex_unlock(&e->lock);
	if (self)
		rtc_embed_thread_unregister(e);
	embed_stop_thread(e);
	embed_free(e);
	embed_slot_release();
	return 0;
}

/* ------------------------------------------------------------ threads */

RTC_EXPORT int
rtc_embed_thread_register(struct rtc_embed *e)
{
	if (e == NULL)
		return -EINVAL;
	if (embed_state != EMBED_T_NONE)
		return -EALREADY;
	pthread_mutex_lock(&e->lock);
	e->threads++;
	pthread_mutex_unlock(&e->lock);
	rcu_register_thread();		/* online */
	slab_thread_attach(-1);
	embed_state = EMBED_T_ONLINE;
	return 0;
}

RTC_EXPORT int
rtc_embed_thread_unregister(struct rtc_embed *e)
{
	if (e == NULL)
		return -EINVAL;
	if (embed_state == EMBED_T_NONE)
		return -ESRCH;
	if (embed_state == EMBED_T_OFFLINE)
		rcu_thread_online();
	rt_cache_quiescent();		/* hands this thread's frees over */
	texts_free_all();
	slab_thread_detach();
	rcu_unregister_thread();
	embed_state = EMBED_T_NONE;
	pthread_mutex_lock(&e->lock);
	e->threads--;
	pthread_mutex_unlock(&e->lock);
	return 0;
}

RTC_EXPORT int
rtc_embed_quiescent(struct rtc_embed *e)
{
	(void)e;
	if (__builtin_expect(embed_state != EMBED_T_ONLINE, 0))
		return -ESRCH;
	texts_release();
	rt_cache_quiescent();
	return 0;
}

RTC_EXPORT int
rtc_embed_thread_offline(struct rtc_embed *e)
{
	(void)e;
	if (embed_state != EMBED_T_ONLINE)
		return embed_state == EMBED_T_OFFLINE ? -EALREADY : -ESRCH;
	texts_release();
	rt_cache_quiescent();
	rcu_thread_offline();
	embed_state = EMBED_T_OFFLINE;
	return 0;
}

RTC_EXPORT int
rtc_embed_thread_online(struct rtc_embed *e)
{
	(void)e;
	if (embed_state != EMBED_T_OFFLINE)
		return embed_state == EMBED_T_ONLINE ? -EALREADY : -ESRCH;
	rcu_thread_online();
	rcu_tsan_acquire();
	embed_state = EMBED_T_ONLINE;
	return 0;
}

/* ------------------------------------------------------------ lookups */

static inline int
embed_check(const struct rtc_embed *e)
{
	if (__builtin_expect(embed_state != EMBED_T_ONLINE, 0))
		return -ESRCH;
	if (__builtin_expect(!smp_load_acquire(&e->ready), 0))
		return -EAGAIN;
	return 0;
}

RTC_EXPORT int
rtc_embed_route_get(struct rtc_embed *e, const struct rtc_flow *fl,
    struct rtc_result *res)
{
	int rv;

	if (__builtin_expect(e == NULL || fl == NULL || res == NULL, 0))
		return -EINVAL;
	if ((rv = embed_check(e)) < 0)
		return rv;
	if (__builtin_expect(embed_ntexts != 0, 0))
		texts_release();
	route_get_flow(fl, e->uid, res);
	if (__builtin_expect(fl->present & RTC_FLOW_F_FIBMATCH, 0))
		texts_take(res);
	return 0;
}

RTC_EXPORT long
rtc_embed_route_get_batch(struct rtc_embed *e, const struct rtc_flow *flows,
    struct rtc_result *res, size_t n)
{
	size_t i;
	int rv;

	if (e == NULL || (n > 0 && (flows == NULL || res == NULL)) ||
	    n > (size_t)__LONG_MAX__)
		return -EINVAL;
	if ((rv = embed_check(e)) < 0)
		return rv;
	if (embed_ntexts != 0)
		texts_release();
	for (i = 0; i < ROUTE_GET_STEPS(n); i++) {
		long j = route_get_pipeline_step(flows, n, i);

		if (j < 0)
			continue;
		route_get_flow(&flows[j], e->uid, &res[j]);
		if (__builtin_expect(flows[j].present & RTC_FLOW_F_FIBMATCH,
		    0))
			texts_take(&res[j]);
	}
	return (long)n;
}

/* ------------------------------------------------------------- change */

RTC_EXPORT uint64_t
rtc_embed_generation(const struct rtc_embed *e)
{
	(void)e;
	return (uint64_t)smp_load_acquire(&fib_genid_val);
}

RTC_EXPORT int
rtc_embed_notify_fd(const struct rtc_embed *e)
{
	return e != NULL ? e->notify_fd : -EINVAL;
}

RTC_EXPORT uint64_t
rtc_embed_notify_ack(struct rtc_embed *e)
{
	uint64_t v;

	if (read(e->notify_fd, &v, sizeof(v)) < 0) {
		/* EAGAIN: nothing was pending */
	}
	return rtc_embed_generation(e);
}
