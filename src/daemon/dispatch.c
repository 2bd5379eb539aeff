/* SPDX-License-Identifier: MIT */
/*
 * dispatch.c - the server side of the control protocol (rtcache/proto.h):
 * one request in, its replies queued on the connection.
 *
 * Lookups run here, on the worker, between the worker's online and
 * quiescent points: each flow of a ROUTE_GET batch becomes an
 * ip_route_output_key or ip_route_input call and its rtable is turned
 * into the attributes the kernel's rt_fill_info() would send for
 * RTM_GETROUTE (src/embed/lookup.c, shared with librtcache's embedded
 * mode).  Listings are answered in steps here too (listing.c),
 * and so are counters that any thread may read; what needs the main
 * thread's own numbers or changes its state (status, stats, a cache
 * flush) is a job for it (worker.c).  A table (req_handlers) says which
 * each request type is and whether it mutates.  Every refusal is an
 * ERROR reply with a text; the connection stays up.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/in_route.h>

#include <libmnl/libmnl.h>

#include "base/clock.h"
#include "base/rt_names.h"
#include "rtcache/compiler.h"
#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/netdev.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/rtcached.h"
#include "daemon/reply.h"
#include "embed/lookup.h"

/* The flows of one request, per thread (freed by dispatch_thread_exit). */
static __thread struct rtc_flow *flows;

void
dispatch_thread_exit(void)
{
	free(flows);
	flows = NULL;
	route_get_thread_exit();
}

static void
do_route_get(struct conn *c, const struct rtc_msg *m)
{
	struct worker_counters *wc;
	struct reply *rp;
	const struct nlattr *a;
	struct rtc_result res;
	const char *emsg = NULL;
	unsigned int n = 0, i;
	int rv;

	if (flows == NULL &&
	    (flows = malloc(RTC_BATCH_MAX * sizeof(*flows))) == NULL) {
		reply_error(c, m->seq, ENOMEM, "out of memory");
		return;
	}
	/* all flows first: a bad one refuses the request before any reply */
	rtc_msg_for_each(m, a, RTC_A_FLOW) {
		if (n >= RTC_BATCH_MAX) {
			reply_error(c, m->seq, E2BIG, "more than %u flows",
			    RTC_BATCH_MAX);
			return;
		}
		if ((rv = rtc_flow_parse(a, &flows[n], &emsg)) < 0) {
			reply_error(c, m->seq, -rv, "flow %u: %s", n,
			    emsg != NULL ? emsg : strerror(-rv));
			return;
		}
		n++;
	}
	if (n == 0) {
		reply_error(c, m->seq, EINVAL, "no flow in the request");
		return;
	}
	wc = worker_counters(c->w);
	WRITE_ONCE(wc->lookups, wc->lookups + n);
	rp = reply_begin(c, RTC_MSG_ROUTE, m->seq);
	for (i = 0; i < ROUTE_GET_STEPS(n); i++) {
		long j = route_get_pipeline_step(flows, n, i);

		if (j < 0)
			continue;
		route_get_flow(&flows[j], c->uid, &res);
		if (rtc_put_result(rp->nlh, sizeof(rp->buf), &res) == -EMSGSIZE) {
			reply_next(rp, j);
			rtc_put_result(rp->nlh, sizeof(rp->buf), &res);
		}
	}
	reply_end(rp);
}

/* ------------------------------------------------------- route cache */

static uint32_t
req_seq(const void *req)
{
	return ((const struct nlmsghdr *)req)->nlmsg_seq;
}

static int
job_cache_flush(FILE *out, const void *req, size_t len, void *arg)
{
	struct rtc_msg m;
	uint32_t ms = 0;

	(void)out, (void)arg;
	if (rtc_msg_parse(req, len, 1, &m, NULL) == 0 &&
	    m.tb[RTC_A_FLUSH_DELAY] != NULL)
		ms = mnl_attr_get_u32(m.tb[RTC_A_FLUSH_DELAY]);
	/* the route cache sweeps at once or at its next gc: delay >= 0 */
	rt_cache_flush(ms > 0x7fffffffU / 1000 ? 0x7fffffff / 1000 :
	    (int)(ms / 1000));
	return 0;
}

static void
job_ack_done(struct conn *c, int rv, char *text, size_t len,
    const void *req, size_t reqlen)
{
	(void)text, (void)len, (void)reqlen;
	if (rv < 0)
		reply_error(c, req_seq(req), -rv, "%s", strerror(-rv));
	else
		reply_done(c, req_seq(req));
}

/* ------------------------------------------------------ counters (KV) */

static void
kv_u64(struct reply *r, const char *name, uint64_t v)
{
	if (rtc_put_kv_u64(r->nlh, sizeof(r->buf), name, v) == -EMSGSIZE) {
		reply_next(r, 0);
		rtc_put_kv_u64(r->nlh, sizeof(r->buf), name, v);
	}
}

static void
kv_str(struct reply *r, const char *name, const char *v)
{
	if (rtc_put_kv_str(r->nlh, sizeof(r->buf), name, v) == -EMSGSIZE) {
		reply_next(r, 0);
		rtc_put_kv_str(r->nlh, sizeof(r->buf), name, v);
	}
}

static void
do_cache_stats(struct conn *c, const struct rtc_msg *m)
{
	static const char *const names[RT_CACHE_STAT_FIELDS] = {
		"in_hit", "in_slow_tot", "in_slow_mc", "in_no_route",
		"in_brd", "in_martian_dst", "in_martian_src", "out_hit",
		"out_slow_tot", "out_slow_mc", "gc_total", "gc_ignored",
		"gc_goal_miss", "gc_dst_overflow", "in_hlist_search",
		"out_hlist_search",
	};
	struct reply *rp;
	struct rt_cache_stat st;
	const unsigned long *v = (const unsigned long *)&st;
	int i;

	rt_cache_stat_sum(&st);
	rp = reply_begin(c, RTC_MSG_KV, m->seq);
	kv_u64(rp, "entries", rt_cache_entries());
	for (i = 0; i < RT_CACHE_STAT_FIELDS; i++)
		kv_u64(rp, names[i], v[i]);
	reply_end(rp);
}

/*
 * The main thread's numbers for STATUS and STATS, written by a job as a
 * binary record into its text buffer.
 */
struct snapshot {
	int		 synced;
	uint64_t	 genid;
	uint64_t	 routes, rules, nexthops, links, addresses;
	uint64_t	 cache_entries;
	struct mirror_stats ms;
	int		 has_mirror;
	struct fib_mem_stats fm;
	struct mirror_mp mp;
	struct fib_mp_stats fs;
};

static int
job_snapshot(FILE *out, const void *req, size_t len, void *arg)
{
	struct snapshot s;
	struct net_device *dev;
	struct in_ifaddr *ifa;

	(void)req, (void)len, (void)arg;
	memset(&s, 0, sizeof(s));
	s.synced = READ_ONCE(rtcd->synced);
	s.genid = fib_genid();
	fib_mem_stats(&s.fm);
	s.routes = s.fm.aliases;
	s.rules = fib_rules_count();
	s.nexthops = fib_nexthops_count();
	for (dev = netdev_first(); dev != NULL; dev = dev->dev_next) {
		s.links++;
		for (ifa = netdev_ifa_first(dev); ifa != NULL;
		    ifa = netdev_ifa_next(ifa))
			s.addresses++;
	}
	s.cache_entries = rt_cache_entries();
	if (rtcd->mirror != NULL) {
		mirror_get_stats(rtcd->mirror, &s.ms);
		mirror_get_mp(rtcd->mirror, &s.mp);
		s.has_mirror = 1;
	}
	fib_mp_stats(&s.fs);
	return fwrite(&s, sizeof(s), 1, out) == 1 ? 0 : -ENOMEM;
}

#define A(x)	READ_ONCE(rtcd->x)

static const char *const mp_config_names[] = { "auto", "hash",
    "ask-kernel" };
static const char *const mp_test_names[] = { "none", "pending", "passed",
    "failed" };

/* How multipath legs are chosen, and how often the kernel was asked. */
static void
kv_multipath(struct reply *rp, const struct snapshot *s)
{
	const struct mirror_mp *mp = &s->mp;

	if (!s->has_mirror) {
		kv_str(rp, "multipath", "hash");
		kv_str(rp, "multipath_why", "routes file: no kernel to ask");
	} else {
		kv_str(rp, "multipath", mp->asking ? "ask-kernel" : "hash");
		kv_str(rp, "multipath_config", mp->configured >= 0 &&
		    mp->configured < 3 ? mp_config_names[mp->configured] :
		    "?");
		kv_str(rp, "multipath_why", mp->why);
		kv_u64(rp, "multipath_policy", mp->policy);
		kv_u64(rp, "multipath_fields", mp->fields);
		kv_str(rp, "multipath_seed", mp->seed ? "set" : "random");
		kv_str(rp, "multipath_selftest", mp->test >= 0 &&
		    mp->test < 4 ? mp_test_names[mp->test] : "?");
		kv_u64(rp, "multipath_selftest_flows", mp->test_probes);
		kv_u64(rp, "multipath_selftest_differ", mp->test_differ);
	}
	kv_u64(rp, "multipath_kernel_queries", s->fs.asks);
	kv_u64(rp, "multipath_kernel_query_errors", s->fs.ask_errors);
	kv_u64(rp, "multipath_kernel_unmatched", s->fs.ask_unmatched);
	kv_u64(rp, "multipath_hashed", s->fs.hashed);
}

static void
job_status_done(struct conn *c, int rv, char *text, size_t len,
    const void *req, size_t reqlen)
{
	struct reply *rp;
	struct snapshot s;

	(void)reqlen;
	if (rv < 0 || len != sizeof(s)) {
		reply_error(c, req_seq(req), rv < 0 ? -rv : EIO, "status: %s",
		    strerror(rv < 0 ? -rv : EIO));
		return;
	}
	memcpy(&s, text, sizeof(s));
	rp = reply_begin(c, RTC_MSG_KV, req_seq(req));
	kv_str(rp, "version", PACKAGE_VERSION);
	kv_u64(rp, "pid", (uint64_t)getpid());
	kv_u64(rp, "synced", (uint64_t)s.synced);
	kv_u64(rp, "generation", s.genid);
	kv_u64(rp, "uptime", (clock_mono_ns() - rtcd->start_ns) / 1000000000);
	kv_u64(rp, "resyncs", s.ms.resyncs);
	kv_u64(rp, "routes", s.routes);
	kv_u64(rp, "rules", s.rules);
	kv_u64(rp, "nexthops", s.nexthops);
	kv_u64(rp, "links", s.links);
	kv_u64(rp, "addresses", s.addresses);
	kv_u64(rp, "workers", (uint64_t)rtcd->nworkers);
	kv_u64(rp, "clients", A(nclients));
	kv_u64(rp, "cache_entries", s.cache_entries);
	kv_str(rp, "source", rtcd->opt.routes_file != NULL ? "file" :
	    "netlink");
	if (rtcd->opt.netns != NULL)
		kv_str(rp, "netns", rtcd->opt.netns);
	kv_multipath(rp, &s);
	reply_end(rp);
}

static void
job_stats_done(struct conn *c, int rv, char *text, size_t len,
    const void *req, size_t reqlen)
{
	struct worker_counters wc;
	struct reply *rp;
	struct snapshot s;
	char name[RTC_KV_NAMESIZ];
	int i;

	(void)reqlen;
	if (rv < 0 || len != sizeof(s)) {
		reply_error(c, req_seq(req), EIO, "stats: %s", strerror(EIO));
		return;
	}
	memcpy(&s, text, sizeof(s));
	rp = reply_begin(c, RTC_MSG_KV, req_seq(req));
	worker_counters_sum(&wc);
	kv_u64(rp, "requests", wc.requests);
	kv_u64(rp, "lookups", wc.lookups);
	kv_u64(rp, "bad_requests", A(bad_requests));
	kv_u64(rp, "denied", A(denied));
	kv_u64(rp, "timeouts", A(timeouts));
	kv_u64(rp, "accepted", A(accepted));
	kv_u64(rp, "refused", A(refused));
	kv_u64(rp, "clients", A(nclients));
	kv_u64(rp, "budget_cuts", A(budget_cuts));
	kv_u64(rp, "reply_budget", A(reply_budget));
	for (i = 0; i < rtcd->nworkers; i++) {
		snprintf(name, sizeof(name), "worker%d_clients", i);
		kv_u64(rp, name, worker_conns(rtcd->workers[i]));
		snprintf(name, sizeof(name), "worker%d_queued_bytes", i);
		kv_u64(rp, name, worker_queued(rtcd->workers[i]));
	}
	kv_u64(rp, "fib_bytes", s.fm.total_bytes);
	kv_u64(rp, "fib_infos", s.fm.infos);
	kv_u64(rp, "slab_mapped_bytes", slab_mapped_bytes());
	if (s.has_mirror) {
		kv_u64(rp, "netlink_messages", s.ms.messages);
		kv_u64(rp, "netlink_events", s.ms.events);
		kv_u64(rp, "netlink_batches", s.ms.batches);
		kv_u64(rp, "netlink_resyncs", s.ms.resyncs);
		kv_u64(rp, "netlink_enobufs", s.ms.enobufs);
		kv_u64(rp, "netlink_dump_intr", s.ms.dump_intr);
		kv_u64(rp, "netlink_parse_errors", s.ms.parse_errors);
		kv_u64(rp, "netlink_apply_errors", s.ms.apply_errors);
		kv_u64(rp, "netlink_rcvbuf", s.ms.rcvbuf);
		kv_u64(rp, "netlink_polls", s.ms.polls);
		kv_u64(rp, "netlink_poll_changes", s.ms.poll_changes);
		kv_u64(rp, "netlink_poll_us", s.ms.poll_ns / 1000);
	}
	reply_end(rp);
}

/* ------------------------------------------------------------- slab */

static void
do_slab_tune(struct conn *c, const struct rtc_msg *m)
{
	char line[160];
	const char *name;
	int rv;

	if (m->tb[RTC_A_SLAB_NAME] == NULL || m->tb[RTC_A_SLAB_LIMIT] == NULL ||
	    m->tb[RTC_A_SLAB_BATCHCOUNT] == NULL ||
	    m->tb[RTC_A_SLAB_SHARED] == NULL) {
		reply_error(c, m->seq, EINVAL, "slab tune needs name, limit, "
		    "batchcount and shared");
		return;
	}
	name = mnl_attr_get_str(m->tb[RTC_A_SLAB_NAME]);
	snprintf(line, sizeof(line), "%.63s %u %u %u", name,
	    mnl_attr_get_u32(m->tb[RTC_A_SLAB_LIMIT]),
	    mnl_attr_get_u32(m->tb[RTC_A_SLAB_BATCHCOUNT]),
	    mnl_attr_get_u32(m->tb[RTC_A_SLAB_SHARED]));
	if ((rv = slabinfo_write(line, strlen(line))) < 0) {
		reply_error(c, m->seq, -rv, "slab tune %s: %s", name,
		    strerror(-rv));
		return;
	}
	log_info("client pid %u uid %u: slab tune %s", c->pid, c->uid, line);
	reply_done(c, m->seq);
}

/* ------------------------------------------------------------ dispatch */

static int
deny(struct conn *c, const struct rtc_msg *m)
{
	if (c->privileged)
		return 0;
	atomic_fetch_add_relaxed(&rtcd->denied, 1);
	log_rl_warnx(&c->rl, "client pid %u uid %u: %s refused: not root "
	    "nor in the socket's group", c->pid, c->uid,
	    rtc_msg_type_name(m->type));
	reply_error(c, m->seq, EPERM, "%s needs root or the socket's group",
	    rtc_msg_type_name(m->type));
	return 1;
}

static void
job(struct conn *c, const struct rtc_msg *m, const void *msg, size_t len,
    job_fn fn, job_done_fn done)
{
	int rv;

	if ((rv = conn_job(c, fn, done, msg, len, NULL)) < 0)
		reply_error(c, m->seq, -rv, "%s", strerror(-rv));
}

/*
 * What each request type runs, indexed by type - RTC_MSG_BASE: either
 * @run, here on the worker, or @job on the main thread with @done
 * answering its result back on the worker.
 */
#define REQ_MUTATING	0x1	/* needs root or the socket's group */

struct req_handler {
	void		(*run)(struct conn *c, const struct rtc_msg *m);
	job_fn		 job;
	job_done_fn	 done;
	unsigned int	 flags;		/* REQ_* */
};

#define REQ_RUN(t, fn, fl)	[(t) - RTC_MSG_BASE] = { fn, NULL, NULL, fl }
#define REQ_JOB(t, fn, d, fl)	[(t) - RTC_MSG_BASE] = { NULL, fn, d, fl }

static const struct req_handler req_handlers[] = {
	REQ_RUN(RTC_MSG_ROUTE_GET, do_route_get, 0),
	REQ_RUN(RTC_MSG_ROUTE_SHOW, listing_start, 0),
	REQ_RUN(RTC_MSG_RULE_SHOW, listing_start, 0),
	REQ_RUN(RTC_MSG_NEXTHOP_SHOW, listing_start, 0),
	REQ_RUN(RTC_MSG_LINK_SHOW, listing_start, 0),
	REQ_RUN(RTC_MSG_ADDR_SHOW, listing_start, 0),
	REQ_RUN(RTC_MSG_CACHE_SHOW, listing_start, 0),
	REQ_JOB(RTC_MSG_CACHE_FLUSH, job_cache_flush, job_ack_done,
	    REQ_MUTATING),
	REQ_RUN(RTC_MSG_CACHE_STATS, do_cache_stats, 0),
	REQ_RUN(RTC_MSG_SLABINFO, listing_start, 0),
	REQ_RUN(RTC_MSG_SLAB_TUNE, do_slab_tune, REQ_MUTATING),
	REQ_JOB(RTC_MSG_STATUS, job_snapshot, job_status_done, 0),
	REQ_JOB(RTC_MSG_STATS, job_snapshot, job_stats_done, 0),
};
#define NREQ	(sizeof(req_handlers) / sizeof(req_handlers[0]))

/* @type's handler, or NULL for a type no row answers */
static const struct req_handler *
req_handler(uint16_t type)
{
	const struct req_handler *h;

	if (type < RTC_MSG_BASE || (size_t)(type - RTC_MSG_BASE) >= NREQ)
		return NULL;
	h = &req_handlers[type - RTC_MSG_BASE];
	return h->run != NULL || h->job != NULL ? h : NULL;
}

/**
 * dispatch_request - answer one message of @len bytes from @c.
 *
 * Runs on @c's worker, online.  Replies (or a job that will reply) are
 * queued on @c; nothing here closes the connection.
 */
void
dispatch_request(struct conn *c, const void *msg, size_t len)
{
	struct worker_counters *wc;
	const struct req_handler *h;
	struct rtc_msg m;
	const char *emsg = NULL;
	uint32_t seq = 0;
	int rv;

	wc = worker_counters(c->w);
	WRITE_ONCE(wc->requests, wc->requests + 1);
	if (len >= sizeof(struct nlmsghdr))
		seq = ((const struct nlmsghdr *)msg)->nlmsg_seq;
	if ((rv = rtc_msg_parse(msg, len, 1, &m, &emsg)) < 0) {
		atomic_fetch_add_relaxed(&rtcd->bad_requests, 1);
		log_rl_warnx(&c->rl, "client pid %u uid %u: bad request: %s",
		    c->pid, c->uid, emsg != NULL ? emsg : strerror(-rv));
		reply_error(c, seq, -rv, "%s", emsg != NULL ? emsg :
		    strerror(-rv));
		return;
	}
	if ((h = req_handler(m.type)) == NULL) {
		atomic_fetch_add_relaxed(&rtcd->bad_requests, 1);
		reply_error(c, m.seq, EOPNOTSUPP, "unknown request type %u",
		    m.type);
		return;
	}
	if ((h->flags & REQ_MUTATING) && deny(c, &m))
		return;
	if (h->run != NULL)
		h->run(c, &m);
	else
		job(c, &m, msg, len, h->job, h->done);
}
