/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - GET /metrics in Prometheus' text format, served by evhttp
 * on the main thread's event base: the thread that writes the FIB, so a
 * scrape reads the FIB, the mirror and the slab statistics without any
 * lock or RCU section of its own.  Counters end in _total, sizes are in
 * bytes, durations in seconds; labels are few and bounded (table ids,
 * cache names).
 *
 * Routes per table, rules and nexthops are counts the FIB keeps as they
 * change, so a scrape walks nothing.  The listener is off unless
 * configured, and loopback when only a port is given.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>

#include "base/rt_names.h"
#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "rtcache/route.h"
#include "rtcache/slab.h"
#include "daemon/metrics.h"

#define METRICS_MAX_TABLES	64	/* more tables are summed as "other" */
#define METRICS_TIMEOUT		10	/* seconds per HTTP connection */

struct metrics {
	struct event_base *base;
	struct evhttp	*http;
	struct evhttp_bound_socket *bound;
	metrics_fill_fn	 fill;
	void		*arg;
	uint64_t	 scrapes;
};

/* ------------------------------------------------ counting the tables */

static int
by_table_id(const void *a, const void *b)
{
	const struct fib_table_size *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * The tables' route counts in id order, the tables past
 * METRICS_MAX_TABLES summed into out[METRICS_MAX_TABLES] ("other").
 * Return: how many of out[] are tables.
 */
static unsigned int
table_sizes(struct fib_table_size *out, size_t *other)
{
	struct fib_table_size all[4 * METRICS_MAX_TABLES];
	unsigned int n, i;

	n = fib_table_sizes(all, 4 * METRICS_MAX_TABLES);
	if (n > 4 * METRICS_MAX_TABLES)
		n = 4 * METRICS_MAX_TABLES;	/* the rest: not even counted */
	qsort(all, n, sizeof(all[0]), by_table_id);
	*other = 0;
	for (i = METRICS_MAX_TABLES; i < n; i++)
		*other += all[i].routes;
	n = n < METRICS_MAX_TABLES ? n : METRICS_MAX_TABLES;
	memcpy(out, all, n * sizeof(all[0]));
	return n;
}

/* ---------------------------------------------------------- writing */

static void
head(FILE *out, const char *name, const char *type, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
gauge(FILE *out, const char *name, const char *help, double v)
{
	head(out, name, "gauge", help);
	fprintf(out, "%s %.17g\n", name, v);
}

static void
counter(FILE *out, const char *name, const char *help, uint64_t v)
{
	head(out, name, "counter", help);
	fprintf(out, "%s %llu\n", name, (unsigned long long)v);
}

/* A label value, with '\\' and '"' escaped as the text format wants. */
static void
label_value(FILE *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', out);
		fputc(*v, out);
	}
}

static void
write_fib(FILE *out)
{
	struct fib_table_size t[METRICS_MAX_TABLES];
	struct fib_mem_stats fm;
	char name[RT_NAME_BUFSZ];
	unsigned int i, n;
	size_t other;

	n = table_sizes(t, &other);
	head(out, "rtcached_routes", "gauge",
	    "IPv4 routes mirrored, by routing table.");
	for (i = 0; i < n; i++) {
		fputs("rtcached_routes{table=\"", out);
		label_value(out, rt_table_n2a(t[i].id, name, sizeof(name)));
		fprintf(out, "\"} %zu\n", t[i].routes);
	}
	if (other)
		fprintf(out, "rtcached_routes{table=\"other\"} %zu\n", other);
	gauge(out, "rtcached_rules", "Policy routing rules mirrored.",
	    (double)fib_rules_count());
	gauge(out, "rtcached_nexthops", "Nexthop objects mirrored.",
	    (double)fib_nexthops_count());
	fib_mem_stats(&fm);
	gauge(out, "rtcached_fib_prefixes", "Distinct prefixes in the FIB "
	    "(fib_node objects).", (double)fm.nodes);
	gauge(out, "rtcached_fib_bytes", "Memory held by the FIB.",
	    (double)fm.total_bytes);
	gauge(out, "rtcached_fib_generation", "FIB generation (bumped by "
	    "every change and every route-cache flush).",
	    (double)fib_genid());
}

static void
write_cache(FILE *out)
{
	struct rt_cache_stat st;
	static const char *const lk = "rtcached_route_cache_lookups_total";

	rt_cache_stat_sum(&st);
	head(out, lk, "counter", "Route cache lookups, by path and result "
	    "(a miss is a FIB lookup).");
	fprintf(out, "%s{path=\"output\",result=\"hit\"} %lu\n", lk,
	    st.out_hit);
	fprintf(out, "%s{path=\"output\",result=\"miss\"} %lu\n", lk,
	    st.out_slow_tot);
	fprintf(out, "%s{path=\"input\",result=\"hit\"} %lu\n", lk,
	    st.in_hit);
	fprintf(out, "%s{path=\"input\",result=\"miss\"} %lu\n", lk,
	    st.in_slow_tot);
	head(out, "rtcached_route_cache_input_drops_total", "counter",
	    "Input route lookups that found no usable route, by reason.");
	fprintf(out, "rtcached_route_cache_input_drops_total"
	    "{reason=\"no_route\"} %lu\n", st.in_no_route);
	fprintf(out, "rtcached_route_cache_input_drops_total"
	    "{reason=\"martian_destination\"} %lu\n", st.in_martian_dst);
	fprintf(out, "rtcached_route_cache_input_drops_total"
	    "{reason=\"martian_source\"} %lu\n", st.in_martian_src);
	gauge(out, "rtcached_route_cache_entries", "Route cache entries "
	    "(rtable objects alive).", (double)rt_cache_entries());
	gauge(out, "rtcached_route_cache_buckets", "Route cache hash "
	    "buckets.", (double)rt_cache_buckets());
	counter(out, "rtcached_route_cache_gc_runs_total", "Route cache "
	    "garbage collections.", st.gc_total);
	counter(out, "rtcached_route_cache_gc_ignored_total", "Garbage "
	    "collections skipped (too soon after the last).", st.gc_ignored);
	counter(out, "rtcached_route_cache_gc_goal_misses_total", "Garbage "
	    "collections that did not reach their goal.", st.gc_goal_miss);
	counter(out, "rtcached_route_cache_overflows_total", "Entries not "
	    "cached because the cache was full.", st.gc_dst_overflow);
}

/* Per cache: /proc/slabinfo 2.1 lines, parsed. */
static void
write_slab(FILE *out)
{
	char *buf = NULL, *line, *save = NULL;
	size_t len = 0;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f;
	static const char *const hd[][2] = {
		{ "rtcached_slab_active_objects", "Objects in use, by cache." },
		{ "rtcached_slab_objects", "Objects allocated in slabs "
		    "(used and free), by cache." },
		{ "rtcached_slab_object_size_bytes", "Object size with its "
		    "padding, by cache." },
		{ "rtcached_slab_bytes", "Slab memory, by cache." },
	};
	struct {
		char		 name[64];
		unsigned long	 v[4];
	} c[SLAB_MAX_CACHES];
	unsigned long active, num, slabs;
	unsigned int size, per, pages, i, n = 0, j;

	if ((f = open_memstream(&buf, &len)) == NULL)
		return;
	slabinfo_show(f);
	fclose(f);
	for (line = strtok_r(buf, "\n", &save); line != NULL && n <
	    SLAB_MAX_CACHES; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || strncmp(line, "slabinfo", 8) == 0)
			continue;
		if (sscanf(line, "%63s %lu %lu %u %u %u : tunables %*u %*u %*u"
		    " : slabdata %*u %lu", c[n].name, &active, &num, &size,
		    &per, &pages, &slabs) != 7)
			continue;
		c[n].v[0] = active;
		c[n].v[1] = num;
		c[n].v[2] = size;
		c[n].v[3] = slabs * pages * (unsigned long)(page > 0 ? page :
		    4096);
		n++;
	}
	free(buf);
	for (j = 0; j < 4; j++) {
		head(out, hd[j][0], "gauge", hd[j][1]);
		for (i = 0; i < n; i++)
			fprintf(out, "%s{cache=\"%s\"} %lu\n", hd[j][0],
			    c[i].name, c[i].v[j]);
	}
	gauge(out, "rtcached_slab_mapped_bytes", "Memory mapped by the slab "
	    "page provider.", (double)slab_mapped_bytes());
}

static void
write_mirror(FILE *out, const struct mirror *mr)
{
	struct mirror_stats st;

	memset(&st, 0, sizeof(st));
	if (mr != NULL)
		mirror_get_stats(mr, &st);
	counter(out, "rtcached_netlink_messages_total", "Netlink messages "
	    "read (notifications and dumps).", st.messages);
	counter(out, "rtcached_netlink_events_total", "Netlink "
	    "notifications applied.", st.events);
	counter(out, "rtcached_netlink_resyncs_total", "Full "
	    "resynchronisations after the first sync.", st.resyncs);
	counter(out, "rtcached_netlink_enobufs_total", "Event socket "
	    "overruns (ENOBUFS), each followed by a resync.", st.enobufs);
	counter(out, "rtcached_netlink_dump_interrupted_total", "Dumps "
	    "retried because they were interrupted (NLM_F_DUMP_INTR).",
	    st.dump_intr);
	counter(out, "rtcached_netlink_parse_errors_total", "Malformed "
	    "netlink messages rejected.", st.parse_errors);
	counter(out, "rtcached_netlink_apply_errors_total", "Netlink "
	    "messages the FIB refused.", st.apply_errors);
	counter(out, "rtcached_netlink_foreign_total", "Datagrams not sent "
	    "by the kernel, dropped.", st.foreign);
	gauge(out, "rtcached_netlink_receive_buffer_bytes", "Event socket "
	    "receive buffer obtained.", (double)st.rcvbuf);
	gauge(out, "rtcached_netlink_last_sync_duration_seconds", "Duration "
	    "of the last full sync.", st.sync_seconds);
}

/* Multipath: the mode in force, the self-test, the kernel's answers. */
static void
write_multipath(FILE *out, const struct mirror *mr)
{
	struct fib_mp_stats fs;
	struct mirror_mp mp;
	int asking = 0;

	memset(&mp, 0, sizeof(mp));
	if (mr != NULL) {
		mirror_get_mp(mr, &mp);
		asking = mp.asking;
	}
	fib_mp_stats(&fs);
	head(out, "rtcached_multipath_mode", "gauge", "How multipath legs "
	    "are chosen: 1 for the mode in force.");
	fprintf(out, "rtcached_multipath_mode{mode=\"hash\"} %d\n", !asking);
	fprintf(out, "rtcached_multipath_mode{mode=\"ask-kernel\"} %d\n",
	    asking);
	gauge(out, "rtcached_multipath_seed_set", "1 when the namespace's "
	    "fib_multipath_hash_seed is set (readable).", mp.seed != 0);
	gauge(out, "rtcached_multipath_selftest_passed", "1 when the last "
	    "self-test hashed every flow as the kernel chose.",
	    mp.test == MIRROR_MP_TEST_PASSED);
	counter(out, "rtcached_multipath_selftests_total", "Self-tests run "
	    "(multipath = auto with a seed).", mp.tests);
	counter(out, "rtcached_multipath_kernel_queries_total", "Flows whose "
	    "leg was asked of the kernel (RTM_GETROUTE).", fs.asks);
	counter(out, "rtcached_multipath_kernel_query_errors_total",
	    "Questions to the kernel that failed (the hash chose).",
	    fs.ask_errors);
	counter(out, "rtcached_multipath_kernel_unmatched_total", "Kernel "
	    "answers naming none of the route's legs.", fs.ask_unmatched);
	counter(out, "rtcached_multipath_hashed_total", "Legs chosen by the "
	    "hash computed here.", fs.hashed);
}

static void
write_daemon(FILE *out, const struct metrics_daemon *md)
{
	head(out, "rtcached_build_info", "gauge", "Always 1; the version "
	    "as a label.");
	fprintf(out, "rtcached_build_info{version=\"%s\"} 1\n",
	    PACKAGE_VERSION);
	gauge(out, "rtcached_synced", "1 once the first full sync is "
	    "applied (the service is ready).", md->synced ? 1 : 0);
	gauge(out, "rtcached_start_time_seconds", "Start time, seconds "
	    "since the epoch.", md->start_time);
	gauge(out, "rtcached_workers", "Worker threads.", md->workers);
	gauge(out, "rtcached_control_clients", "Open control connections.",
	    (double)md->clients);
	counter(out, "rtcached_control_connections_total", "Control "
	    "connections accepted.", md->accepted);
	counter(out, "rtcached_control_refused_total", "Control connections "
	    "refused (over the client limit, or busy).", md->refused);
	counter(out, "rtcached_control_requests_total", "Control requests "
	    "served.", md->requests);
	counter(out, "rtcached_control_bad_requests_total", "Malformed "
	    "control requests.", md->bad_requests);
	counter(out, "rtcached_control_denied_total", "Requests refused "
	    "for lack of privilege.", md->denied);
	counter(out, "rtcached_control_timeouts_total", "Connections "
	    "closed for idleness or a stalled reader.", md->timeouts);
	counter(out, "rtcached_control_budget_cuts_total", "Connections "
	    "closed to keep the queued replies under the reply budget.",
	    md->budget_cuts);
	gauge(out, "rtcached_control_queued_bytes", "Reply bytes queued "
	    "for all clients.", (double)md->queued_bytes);
	gauge(out, "rtcached_control_reply_budget_bytes", "The reply "
	    "budget.", (double)md->reply_budget);
	counter(out, "rtcached_lookups_total", "Route lookups asked over "
	    "the control socket.", md->lookups);
	counter(out, "rtcached_config_reloads_total", "Reloads asked "
	    "(SIGHUP).", md->reloads);
	gauge(out, "rtcached_config_last_reload_successful", "1 if the last "
	    "configuration load was applied.", md->reload_ok ? 1 : 0);
	gauge(out, "rtcached_config_last_reload_success_timestamp_seconds",
	    "When the configuration was last loaded successfully.",
	    md->reload_time);
}

/**
 * metrics_write - the whole exposition: daemon, FIB, route cache, slab
 * netlink and multipath families, each with HELP and TYPE.  Call on the FIB
 * writer's thread.
 * Return: 0, or -EIO when @out failed.
 */
int
metrics_write(FILE *out, const struct metrics_daemon *md)
{
	write_daemon(out, md);
	write_fib(out);
	write_cache(out);
	write_slab(out);
	write_mirror(out, md->mirror);
	write_multipath(out, md->mirror);
	return ferror(out) ? -EIO : 0;
}

/* ------------------------------------------------------------- HTTP */

static void
metrics_cb(struct evhttp_request *req, void *arg)
{
	struct metrics *m = arg;
	struct metrics_daemon md;
	struct evbuffer *eb;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	memset(&md, 0, sizeof(md));
	if (m->fill != NULL)
		m->fill(&md, m->arg);
	if ((f = open_memstream(&text, &len)) == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	if (metrics_write(f, &md) < 0 || fclose(f) != 0 ||
	    (eb = evbuffer_new()) == NULL) {
		free(text);
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	m->scrapes++;
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	if (evhttp_request_get_command(req) != EVHTTP_REQ_HEAD)
		evbuffer_add(eb, text, len);
	free(text);
	evhttp_send_reply(req, HTTP_OK, "OK", eb);
	evbuffer_free(eb);
}

static void
notfound_cb(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_send_error(req, HTTP_NOTFOUND, "try /metrics");
}

/**
 * metrics_new - an HTTP server on @base, not listening yet.
 * @fn: fills the daemon's numbers at each scrape.
 */
struct metrics *
metrics_new(struct event_base *base, metrics_fill_fn fn, void *arg)
{
	struct metrics *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->base = base;
	m->fill = fn;
	m->arg = arg;
	if ((m->http = evhttp_new(base)) == NULL) {
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	evhttp_set_allowed_methods(m->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_max_headers_size(m->http, 8192);
	evhttp_set_max_body_size(m->http, 0);
	evhttp_set_timeout(m->http, METRICS_TIMEOUT);
	evhttp_set_cb(m->http, "/metrics", metrics_cb, m);
	evhttp_set_gencb(m->http, notfound_cb, m);
	return m;
}

/**
 * metrics_listen - listen on @addr (numeric) port @port, closing any
 * previous listener first.  Return: 0 or -errno (the old one is gone).
 */
int
metrics_listen(struct metrics *m, const char *addr, uint16_t port)
{
	metrics_unlisten(m);
	errno = 0;
	m->bound = evhttp_bind_socket_with_handle(m->http, addr, port);
	if (m->bound == NULL)
		return errno != 0 ? -errno : -EADDRNOTAVAIL;
	return 0;
}

void
metrics_unlisten(struct metrics *m)
{
	if (m->bound != NULL) {
		evhttp_del_accept_socket(m->http, m->bound);
		m->bound = NULL;
	}
}

int
metrics_listening(const struct metrics *m)
{
	return m->bound != NULL;
}

uint64_t
metrics_scrapes(const struct metrics *m)
{
	return m->scrapes;
}

void
metrics_free(struct metrics *m)
{
	if (m == NULL)
		return;
	metrics_unlisten(m);
	evhttp_free(m->http);
	free(m);
}
