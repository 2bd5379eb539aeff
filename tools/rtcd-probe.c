/* SPDX-License-Identifier: MIT */
/*
 * rtcd-probe - a minimal client of the control protocol (the codec of
 * src/lib, its own socket code): status, route get in `ip route get`
 * text, listings, raw messages, latency and the abuse scenarios.  It is
 * a tool shared by the daemon's integration and fault tests and by
 * bench/daemon_bench.sh, not the CLI.
 *
 *   rtcd-probe [-W SECONDS] ...: connect retries for a daemon about to
 *       start (no socket yet, or not listening) for up to SECONDS
 *   rtcd-probe -s SOCK status | stats
 *   rtcd-probe -s SOCK [-n PER_MSG] [-w WINDOW] get < FLOWS (DST [from A]
 *       [iif D] [oif D] [tos T] [mark M] [uid U]; one answer each)
 *   rtcd-probe -s SOCK show TABLE|all | rules | nexthops | links | cache
 *   rtcd-probe -s SOCK wait-synced SECONDS
 *   rtcd-probe -s SOCK latency COUNT DST      (p50/p99 in microseconds)
 *   rtcd-probe -s SOCK abuse CLIENTS          (see abuse())
 *   rtcd-probe -s SOCK hold CLIENTS SECONDS   (unread listings)
 *   rtcd-probe -s SOCK rate SECONDS DST       (lookups/s, one at a time)
 *   rtcd-probe -s SOCK wait-route DST GW SECONDS (when DST goes via GW)
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/in_route.h>
#include <linux/rtnetlink.h>

#include "base/clock.h"
#include "base/rt_names.h"

#include <libmnl/libmnl.h>

#include "rtcache/proto.h"

static const char *sock_path;
static uint64_t wait_until;	/* -W: connect retries until then (ns) */
static uint32_t seqno = 1;
static unsigned char rbuf[RTC_MSG_MAX + 1];

static int
sock_open(void)
{
	struct sockaddr_un sun;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sock_path);
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		return -errno;
	while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		int e = errno;
		struct timespec ts = { 0, 100000 };

		/* -W: a daemon about to start; try again every 0.1 ms */
		if ((e == ENOENT || e == ECONNREFUSED) && clock_mono_ns() < wait_until) {
			nanosleep(&ts, NULL);
			continue;
		}
		close(fd);
		return -e;
	}
	return fd;
}

static int
recv_timeout(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	ssize_t n;

	if (poll(&p, 1, ms) <= 0)
		return -ETIMEDOUT;
	if ((n = recv(fd, rbuf, sizeof(rbuf), 0)) < 0)
		return -errno;
	return (int)n;
}

/* Calls @fn for every message of one reply; returns 0, -errno of an ERROR. */
static int
reply_each(int fd, void (*fn)(const struct rtc_msg *, void *), void *arg,
    const char **emsgp)
{
	static char emsg[RTC_ERRMSG_MAX];
	struct rtc_msg m;
	const char *why;
	int n, rv;

	for (;;) {
		if ((n = recv_timeout(fd, 30000)) <= 0)
			return n == 0 ? -ECONNRESET : n;
		if ((rv = rtc_msg_parse(rbuf, (size_t)n, 0, &m, &why)) < 0) {
			fprintf(stderr, "bad reply: %s\n", why);
			return rv;
		}
		if (m.type == RTC_MSG_ERROR) {
			snprintf(emsg, sizeof(emsg), "%s", m.tb[RTC_A_ERRMSG] ?
			    mnl_attr_get_str(m.tb[RTC_A_ERRMSG]) : "");
			if (emsgp)
				*emsgp = emsg;
			return -(int)mnl_attr_get_u32(m.tb[RTC_A_ERRNO]);
		}
		if (m.type == RTC_MSG_DONE)
			return 0;
		fn(&m, arg);
		if (!(m.flags & NLM_F_MULTI))
			return 0;
	}
}

static int
request(int fd, uint16_t type, uint32_t table, int has_table)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh = rtc_msg_start(buf, sizeof(buf), type,
	    NLM_F_REQUEST, seqno++);

	if (has_table)
		rtc_put_u32(nlh, sizeof(buf), RTC_A_TABLE, table);
	return send(fd, buf, nlh->nlmsg_len, 0) < 0 ? -errno : 0;
}

/* ------------------------------------------------------------ printers */

static void
print_lines(const struct rtc_msg *m, void *arg)
{
	const struct nlattr *a;

	(void)arg;
	rtc_msg_for_each(m, a, RTC_A_LINE)
		printf("%s\n", mnl_attr_get_str(a));
}

static void
print_kv(const struct rtc_msg *m, void *arg)
{
	const struct nlattr *a;
	const char *name, *str;
	uint64_t v;

	(void)arg;
	rtc_msg_for_each(m, a, RTC_A_KV) {
		str = NULL;
		if (rtc_kv_parse(a, &name, &str, &v) < 0)
			continue;
		if (str != NULL)
			printf("%s %s\n", name, str);
		else
			printf("%s %llu\n", name, (unsigned long long)v);
	}
}

/* `ip route get` text of one result, as iproute2 6.1 prints it. */
static void
print_result(FILE *f, const struct rtc_result *r)
{
	char a[INET_ADDRSTRLEN], tb[16];
	uint32_t fl;
	int i;

	if (r->present & RTC_RES_F_ERROR) {
		fprintf(f, "RTNETLINK answers: %s\n", strerror((int)r->error));
		return;
	}
	if (r->type != RTN_UNICAST)
		fprintf(f, "%s ", rt_type_n2a(r->type, tb, sizeof(tb)));
	fprintf(f, "%s ", inet_ntop(AF_INET, &r->dst, a, sizeof(a)));
	if (r->present & RTC_RES_F_SRC)
		fprintf(f, "from %s ", inet_ntop(AF_INET, &r->src, a,
		    sizeof(a)));
	if (r->present & RTC_RES_F_TOS)
		fprintf(f, "tos 0x%x ", r->tos);
	if (r->present & RTC_RES_F_GATEWAY)
		fprintf(f, "via %s ", inet_ntop(AF_INET, &r->gateway, a,
		    sizeof(a)));
	if (r->present & RTC_RES_F_OIFNAME)
		fprintf(f, "dev %s ", r->oifname);
	if ((r->present & RTC_RES_F_TABLE) && r->table != RT_TABLE_MAIN &&
	    r->table != 0)
		fprintf(f, "table %s ", rt_table_n2a(r->table, tb, sizeof(tb)));
	if (r->present & RTC_RES_F_PREFSRC)
		fprintf(f, "src %s ", inet_ntop(AF_INET, &r->prefsrc, a,
		    sizeof(a)));
	if (r->flags & 0x20000000)	/* RTM_F_OFFLOAD_FAILED = RTCF_MC */
		fprintf(f, "rt_offload_failed ");
	if (r->present & RTC_RES_F_MARK)
		fprintf(f, r->mark >= 16 ? "mark 0x%x " : "mark %u ", r->mark);
	if ((r->present & RTC_RES_F_FLOW) && (r->flow >> 16))
		fprintf(f, "realms %s/%s ", rt_realm_n2a(r->flow >> 16, tb,
		    sizeof(tb)), rt_realm_n2a(r->flow & 0xffff, a, sizeof(a)));
	else if (r->present & RTC_RES_F_FLOW)
		fprintf(f, "realm %s ", rt_realm_n2a(r->flow, tb, sizeof(tb)));
	if (r->present & RTC_RES_F_UID)
		fprintf(f, "uid %u ", r->uid);
	fprintf(f, "\n    cache ");
	fl = r->flags & ~0xffffU;
	if (fl) {
		static const struct { uint32_t b; const char *n; } t[] = {
			{ RTCF_LOCAL, "local" }, { RTCF_BROADCAST, "brd" },
			{ RTCF_MULTICAST, "mc" },
			{ RTCF_DIRECTSRC, "src-direct" },
			{ RTCF_REDIRECTED, "redirected" },
			{ RTCF_DOREDIRECT, "redirect" },
			{ RTCF_NOTIFY, "notify" },
		};
		fputc('<', f);
		for (i = 0; i < (int)(sizeof(t) / sizeof(t[0])); i++)
			if (fl & t[i].b) {
				fl &= ~t[i].b;
				fprintf(f, "%s%s", t[i].n, fl ? "," : ">");
			}
		if (fl)
			fprintf(f, "%#x>", fl);
		fputc(' ', f);
	}
	if (r->present & RTC_RES_F_EXPIRES)
		fprintf(f, "expires %usec ", r->expires);
	if (r->present & RTC_RES_F_METRICS)
		for (i = 1; i <= RTC_METRIC_MAX; i++)
			if (r->metrics_set & (1U << i)) {
				if (i == RTAX_MTU)
					fprintf(f, "mtu %u ", r->metrics[i]);
				else
					fprintf(f, "metric%d %u ", i,
					    r->metrics[i]);
			}
	if (r->present & RTC_RES_F_IIFNAME)
		fprintf(f, "iif %s ", r->iifname);
	fputc('\n', f);
}

static void
print_results(const struct rtc_msg *m, void *arg)
{
	const struct nlattr *a;
	struct rtc_result r;
	unsigned long *count = arg;

	rtc_msg_for_each(m, a, RTC_A_RESULT) {
		if (rtc_result_parse(a, &r, NULL) < 0) {
			printf("BAD RESULT\n");
			continue;
		}
		print_result(stdout, &r);
		(*count)++;
	}
}

/* ---------------------------------------------------------------- get */

static int
parse_flow(char *line, struct rtc_flow *fl)
{
	char *tok, *save = NULL, *v;

	memset(fl, 0, sizeof(*fl));
	if ((tok = strtok_r(line, " \t\n", &save)) == NULL)
		return -1;
	if (inet_pton(AF_INET, tok, &fl->dst) != 1)
		return -1;
	while ((tok = strtok_r(NULL, " \t\n", &save)) != NULL) {
		if ((v = strtok_r(NULL, " \t\n", &save)) == NULL)
			return -1;
		if (strcmp(tok, "from") == 0) {
			if (inet_pton(AF_INET, v, &fl->src) != 1)
				return -1;
			fl->present |= RTC_FLOW_F_SRC;
		} else if (strcmp(tok, "iif") == 0) {
			snprintf(fl->iifname, sizeof(fl->iifname), "%s", v);
			fl->present |= RTC_FLOW_F_IIFNAME;
		} else if (strcmp(tok, "oif") == 0) {
			snprintf(fl->oifname, sizeof(fl->oifname), "%s", v);
			fl->present |= RTC_FLOW_F_OIFNAME;
		} else if (strcmp(tok, "tos") == 0) {
			fl->tos = (uint8_t)strtoul(v, NULL, 16);
			fl->present |= RTC_FLOW_F_TOS;
		} else if (strcmp(tok, "mark") == 0) {
			fl->mark = (uint32_t)strtoul(v, NULL, 0);
			fl->present |= RTC_FLOW_F_MARK;
		} else if (strcmp(tok, "uid") == 0) {
			fl->uid = (uint32_t)strtoul(v, NULL, 0);
			fl->present |= RTC_FLOW_F_UID;
		} else
			return -1;
	}
	return 0;
}

/*
 * get: flows from stdin, @per to a message, up to @window messages in
 * flight (the protocol answers a connection's requests in order), so the
 * daemon's lookups overlap this side's printing.
 */
static int
cmd_get(int fd, unsigned int per, unsigned int window)
{
	static unsigned char buf[RTC_MSG_MAX];
	struct nlmsghdr *nlh;
	struct rtc_flow fl;
	char line[512];
	unsigned long count = 0, sent = 0;
	unsigned int n, inflight = 0;
	const char *emsg = NULL;
	int rv, eof = 0;

	while (!eof || inflight > 0) {
		if (!eof && inflight < window) {
			nlh = rtc_msg_start(buf, sizeof(buf),
			    RTC_MSG_ROUTE_GET, NLM_F_REQUEST, seqno++);
			for (n = 0; n < per; n++) {
				if (fgets(line, sizeof(line), stdin) == NULL) {
					eof = 1;
					break;
				}
				if (parse_flow(line, &fl) < 0) {
					fprintf(stderr, "bad flow line\n");
					return 1;
				}
				if (rtc_put_flow(nlh, sizeof(buf), &fl) < 0)
					return 1;
				sent++;
			}
			if (n > 0) {
				if (send(fd, buf, nlh->nlmsg_len, 0) < 0)
					return 1;
				inflight++;
			}
			continue;
		}
		if ((rv = reply_each(fd, print_results, &count, &emsg)) < 0) {
			fprintf(stderr, "error: %s (%s)\n", strerror(-rv),
			    emsg ? emsg : "");
			return 1;
		}
		inflight--;
	}
	return count == sent ? 0 : 1;
}

/* ------------------------------------------------------------ latency */

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmd_latency(int fd, unsigned long count, const char *dst)
{
	unsigned char buf[256];
	struct rtc_flow fl;
	struct nlmsghdr *nlh;
	uint64_t *t, t0;
	unsigned long i, c = 0;

	memset(&fl, 0, sizeof(fl));
	if (inet_pton(AF_INET, dst, &fl.dst) != 1 ||
	    (t = calloc(count, sizeof(*t))) == NULL)
		return 1;
	for (i = 0; i < count; i++) {
		nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_ROUTE_GET,
		    NLM_F_REQUEST, seqno++);
		fl.dst = htonl(ntohl(fl.dst) + 1);
		rtc_put_flow(nlh, sizeof(buf), &fl);
		t0 = clock_mono_ns();
		if (send(fd, buf, nlh->nlmsg_len, 0) < 0)
			return 1;
		if (recv(fd, rbuf, sizeof(rbuf), 0) <= 0)
			return 1;
		t[i] = clock_mono_ns() - t0;
		c++;
	}
	qsort(t, c, sizeof(*t), cmp_u64);
	printf("p50_us %.1f p99_us %.1f max_us %.1f n %lu\n",
	    (double)t[c / 2] / 1e3, (double)t[c * 99 / 100] / 1e3,
	    (double)t[c - 1] / 1e3, c);
	free(t);
	return 0;
}

/* One lookup of @dst (network order) on @fd: its gateway, or -1. */
static int64_t
lookup_gw(int fd, uint32_t dst)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	struct rtc_result r;
	struct rtc_flow fl;
	struct rtc_msg m;
	ssize_t n;

	memset(&fl, 0, sizeof(fl));
	fl.dst = dst;
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, seqno++);
	rtc_put_flow(nlh, sizeof(buf), &fl);
	if (send(fd, buf, nlh->nlmsg_len, 0) < 0 ||
	    (n = recv(fd, rbuf, sizeof(rbuf), 0)) <= 0 ||
	    rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) < 0 ||
	    m.type != RTC_MSG_ROUTE)
		return -1;
	rtc_msg_for_each(&m, a, RTC_A_RESULT)
		if (rtc_result_parse(a, &r, NULL) == 0 && r.error == 0)
			return (r.present & RTC_RES_F_GATEWAY) ? r.gateway : 0;
	return -1;
}

/*
 * rate SECONDS DST: single lookups one after the other for SECONDS; how
 * many per second and the slowest.
 */
static int
cmd_rate(int fd, double secs, const char *dst)
{
	uint64_t t0 = clock_mono_ns(), end = t0 + (uint64_t)(secs * 1e9),
	    t, now, worst = 0;
	unsigned long n = 0;
	uint32_t a;

	if (inet_pton(AF_INET, dst, &a) != 1)
		return 1;
	for (now = t0; now < end; n++) {
		t = now;
		if (lookup_gw(fd, a) < 0)
			return 1;
		now = clock_mono_ns();
		if (now - t > worst)
			worst = now - t;
	}
	printf("lookups %lu rate %.0f max_us %.1f\n", n,
	    (double)n * 1e9 / (double)(now - t0), (double)worst / 1e3);
	return 0;
}

/*
 * wait-route DST GW SECONDS: look DST up every millisecond until the
 * answer goes via GW; print the wall-clock time of that answer (seconds
 * since the epoch, to compare with when the route was added).
 */
static int
cmd_wait_route(int fd, const char *dst, const char *gw, double secs)
{
	uint64_t end = clock_mono_ns() + (uint64_t)(secs * 1e9);
	struct timespec ts, pause = { 0, 1000000 };
	uint32_t a, g;

	if (inet_pton(AF_INET, dst, &a) != 1 || inet_pton(AF_INET, gw, &g) != 1)
		return 1;
	while (clock_mono_ns() < end) {
		if (lookup_gw(fd, a) == (int64_t)g) {
			clock_gettime(CLOCK_REALTIME, &ts);
			printf("seen %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	printf("not seen in %.1f s\n", secs);
	return 1;
}

/* -------------------------------------------------------------- abuse */

/* One well-behaved lookup on a fresh connection; 0 when answered. */
static int
good_lookup(int ms)
{
	unsigned char buf[256];
	struct rtc_flow fl;
	struct nlmsghdr *nlh;
	struct rtc_msg m;
	int fd, n, rv = -1;

	if ((fd = sock_open()) < 0)
		return fd;
	memset(&fl, 0, sizeof(fl));
	fl.dst = htonl(0x7f000001);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_ROUTE_GET, NLM_F_REQUEST,
	    77);
	rtc_put_flow(nlh, sizeof(buf), &fl);
	if (send(fd, buf, nlh->nlmsg_len, 0) >= 0 &&
	    (n = recv_timeout(fd, ms)) > 0 &&
	    rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) == 0 &&
	    m.type == RTC_MSG_ROUTE && m.seq == 77)
		rv = 0;
	close(fd);
	return rv;
}

/* Sends @len bytes; expects an ERROR reply (with @seq when >= 0). */
static int
expect_error(int fd, const void *msg, size_t len, long seq)
{
	struct rtc_msg m;
	int n;

	if (send(fd, msg, len, 0) < 0)
		return -errno;
	if ((n = recv_timeout(fd, 5000)) <= 0)
		return n == 0 ? -ECONNRESET : n;
	if (rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) < 0 ||
	    m.type != RTC_MSG_ERROR)
		return -EPROTO;
	if (seq >= 0 && m.seq != (uint32_t)seq)
		return -EPROTO;
	return 0;
}

static void
print_kv_quiet(const struct rtc_msg *m, void *arg)
{
	(void)m, (void)arg;
}

static int nt;
static void
tap(int ok, const char *what)
{
	printf("%s %d - %s\n", ok ? "ok" : "not ok", ++nt, what);
	fflush(stdout);
}

/*
 * The abuse scenarios, in one process (TAP on stdout): garbage,
 * truncated and oversized messages and unknown types on one connection
 * that must stay usable; @clients concurrent connections with a good
 * client answered throughout; silent clients; clients that never read
 * a long listing.
 */
static int
cmd_abuse(int clients)
{
	static unsigned char big[RTC_MSG_MAX + 4096];
	unsigned char buf[512];
	struct nlmsghdr *nlh;
	int fd, *fds, i, n, ok, bad;

	printf("1..8\n");
	if ((fd = sock_open()) < 0) {
		printf("Bail out! connect: %s\n", strerror(-fd));
		return 1;
	}
	/* garbage */
	memset(buf, 0xa5, sizeof(buf));
	ok = expect_error(fd, buf, 100, -1) == 0;
	/* truncated: nlmsg_len says more than was sent */
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_STATUS, NLM_F_REQUEST,
	    5);
	nlh->nlmsg_len = 200;
	ok = ok && expect_error(fd, buf, 40, 5) == 0;
	/* shorter than a header */
	ok = ok && expect_error(fd, buf, 3, -1) == 0;
	/* empty: a message of 0 bytes, not the end of the connection */
	ok = ok && expect_error(fd, buf, 0, -1) == 0;
	tap(ok, "garbage, truncated, short and empty messages get ERROR "
	    "replies");
	if (!ok && (close(fd), (fd = sock_open()) < 0))
		return 1;
	/* unknown type, bad version */
	nlh = rtc_msg_start(buf, sizeof(buf), 63, NLM_F_REQUEST, 6);
	ok = expect_error(fd, buf, nlh->nlmsg_len, 6) == 0;
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_STATUS, NLM_F_REQUEST, 7);
	((struct rtc_hdr *)mnl_nlmsg_get_payload(nlh))->rh_version = 99;
	ok = ok && expect_error(fd, buf, nlh->nlmsg_len, 7) == 0;
	/* a route get of no flow, and a flow without a destination */
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_ROUTE_GET, NLM_F_REQUEST,
	    8);
	ok = ok && expect_error(fd, buf, nlh->nlmsg_len, 8) == 0;
	tap(ok, "unknown type, bad version, empty batch: ERROR replies");
	/* oversized */
	nlh = rtc_msg_start(big, sizeof(big), RTC_MSG_STATUS, NLM_F_REQUEST, 9);
	nlh->nlmsg_len = sizeof(big);
	n = expect_error(fd, big, sizeof(big), 9);
	tap(n == 0, "an oversized message gets an ERROR reply");
	/* the connection still answers */
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_STATUS, NLM_F_REQUEST,
	    10);
	ok = send(fd, buf, nlh->nlmsg_len, 0) > 0 &&
	    reply_each(fd, print_kv_quiet, NULL, NULL) == 0;
	tap(ok, "the same connection answers a good request afterwards");
	close(fd);

	/* many concurrent (silent) clients, a good one keeps being answered */
	if ((fds = calloc((size_t)clients, sizeof(*fds))) == NULL)
		return 1;
	for (i = 0, bad = 0; i < clients; i++) {
		if ((fds[i] = sock_open()) < 0)
			bad++;
		if (i % 50 == 0 && good_lookup(5000) < 0)
			bad++;
	}
	tap(bad == 0, "concurrent silent clients: all connected, good client "
	    "answered throughout");
	/* each of them asks once, without reading the answer */
	for (i = 0, bad = 0; i < clients; i++) {
		if (fds[i] < 0)
			continue;
		nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_STATUS,
		    NLM_F_REQUEST, 11);
		if (send(fds[i], buf, nlh->nlmsg_len, MSG_DONTWAIT) < 0)
			bad++;
	}
	tap(bad == 0 && good_lookup(5000) == 0, "requests on every connection, "
	    "none read: the good client is answered");
	/* non-readers of a long listing */
	for (i = 0, bad = 0; i < clients && i < 50; i++) {
		int k;

		if (fds[i] < 0)
			continue;
		for (k = 0; k < 20; k++) {
			nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_SLABINFO,
			    NLM_F_REQUEST, 12);
			send(fds[i], buf, nlh->nlmsg_len, MSG_DONTWAIT);
		}
	}
	tap(good_lookup(5000) == 0, "clients that never read listings: the "
	    "good client is answered");
	for (i = 0; i < clients; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	tap(good_lookup(5000) == 0, "after they all left: answered");
	return 0;
}

/*
 * hold N SECONDS: N connections each ask for `route show table all` and
 * never read the answer; after SECONDS they close.  For the stop tests:
 * a daemon told to stop meanwhile must not leak the queued listings.
 */
static int
cmd_hold(int n, int secs)
{
	int *fds, i, bad = 0;

	if ((fds = calloc((size_t)n, sizeof(*fds))) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if ((fds[i] = sock_open()) < 0 ||
		    request(fds[i], RTC_MSG_ROUTE_SHOW, 0xffffffffU, 1) < 0)
			bad++;
	printf("%d connections asked, %d failed\n", n, bad);
	fflush(stdout);
	sleep((unsigned int)secs);
	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	return bad != 0;
}

/*
 * limits MAX IDLE: past MAX connections a client gets ERROR EBUSY (seq 0)
 * and is closed; a silent client gets ERROR ETIMEDOUT (seq 0) after IDLE
 * seconds and is closed; the good client is answered throughout.
 */
static int
cmd_limits(int max, int idle)
{
	struct rtc_msg m;
	int *fds, i, n, fd, refused = 0, bad = 0;

	printf("1..2\n");
	if ((fds = calloc((size_t)max + 8, sizeof(*fds))) == NULL)
		return 1;
	for (i = 0; i < max; i++)
		fds[i] = sock_open();
	/*
	 * The daemon counts a connection once its worker has it: open
	 * probes (bounded, well within the idle timeout) until one is
	 * refused, so the ones after it are over the limit however loaded
	 * the machine is.
	 */
	for (i = 0; i < 200; i++) {
		int pfd = sock_open();

		if (pfd < 0)
			continue;
		n = recv_timeout(pfd, 10);
		close(pfd);
		if (n > 0 && rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) == 0 &&
		    m.type == RTC_MSG_ERROR)
			break;
	}
	for (i = max; i < max + 8; i++)
		fds[i] = sock_open();
	/* the daemon counts a connection once its worker has it: look at
	   the last ones, which must be refused */
	for (i = max; i < max + 8; i++) {
		if (fds[i] < 0)
			continue;
		n = recv_timeout(fds[i], 3000);
		if (n > 0 && rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) == 0 &&
		    m.type == RTC_MSG_ERROR && m.seq == 0 &&
		    mnl_attr_get_u32(m.tb[RTC_A_ERRNO]) == EBUSY &&
		    recv_timeout(fds[i], 3000) == 0)
			refused++;
	}
	for (i = 0; i < max + 8; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	/* the daemon notices the hang-ups in its own time: a bounded wait */
	for (i = 0, n = -1; i < 50 && n != 0; i++) {
		if ((n = good_lookup(5000)) != 0)
			usleep(100000);
	}
	tap(refused >= 8 - 1 && n == 0, "over the client "
	    "limit: ERROR EBUSY then close; the good client is answered");
	if ((fd = sock_open()) < 0)
		return 1;
	n = recv_timeout(fd, (idle + 5) * 1000);
	if (n <= 0 || rtc_msg_parse(rbuf, (size_t)n, 0, &m, NULL) < 0 ||
	    m.type != RTC_MSG_ERROR || m.seq != 0 ||
	    mnl_attr_get_u32(m.tb[RTC_A_ERRNO]) != ETIMEDOUT ||
	    recv_timeout(fd, 3000) != 0)
		bad = 1;
	close(fd);
	tap(!bad, "a silent client: ERROR ETIMEDOUT after the idle timeout, "
	    "then close");
	return 0;
}

/* --------------------------------------------------------------- main */

static int
kv_get(int fd, const char *want, uint64_t *v)
{
	/* status as text, picked by name */
	FILE *saved = stdout;
	char *buf = NULL, name[64];
	size_t len = 0;
	unsigned long long x;
	const char *p;
	int rv, found = 0;

	if ((stdout = open_memstream(&buf, &len)) == NULL) {
		stdout = saved;
		return -ENOMEM;
	}
	rv = request(fd, RTC_MSG_STATUS, 0, 0);
	if (rv == 0)
		rv = reply_each(fd, print_kv, NULL, NULL);
	fclose(stdout);
	stdout = saved;
	for (p = buf; rv == 0 && p != NULL && *p; p = strchr(p, '\n'),
	    p = p ? p + 1 : p)
		if (sscanf(p, "%63s %llu", name, &x) == 2 &&
		    strcmp(name, want) == 0) {
			*v = x;
			found = 1;
		}
	free(buf);
	return rv < 0 ? rv : found ? 0 : -ENOENT;
}

static int
cmd_wait_synced(double secs)
{
	uint64_t end = clock_mono_ns() + (uint64_t)(secs * 1e9), v = 0;
	struct timespec ts = { 0, 50000000 };
	int fd;

	while (clock_mono_ns() < end) {
		if ((fd = sock_open()) >= 0) {
			if (kv_get(fd, "synced", &v) == 0 && v == 1) {
				close(fd);
				return 0;
			}
			close(fd);
		}
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "rtcd-probe: %s: not synced after %.0f s\n",
	    sock_path, secs);
	return 1;
}

static int
usage(void)
{
	fprintf(stderr, "usage: rtcd-probe -s SOCKET command ...\n");
	return 64;
}

int
main(int argc, char **argv)
{
	unsigned int per = 1000, window = 4;
	const char *emsg = NULL;
	uint16_t type = 0;
	uint32_t table = RT_TABLE_MAIN;
	int c, fd, rv, has_table = 0;
	unsigned long cnt = 0;

	while ((c = getopt(argc, argv, "n:s:w:W:")) != -1) {
		switch (c) {
		case 'n': per = (unsigned int)atoi(optarg); break;
		case 'w': window = (unsigned int)atoi(optarg); break;
		case 's': sock_path = optarg; break;
		case 'W': wait_until = clock_mono_ns() +
		    (uint64_t)(atof(optarg) * 1e9); break;
		default: return usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (sock_path == NULL || argc < 1)
		return usage();
	if (strcmp(argv[0], "wait-synced") == 0)
		return cmd_wait_synced(argc > 1 ? atof(argv[1]) : 20);
	if ((fd = sock_open()) < 0) {
		fprintf(stderr, "rtcd-probe: %s: %s\n", sock_path,
		    strerror(-fd));
		return 1;
	}
	if (strcmp(argv[0], "get") == 0)
		return cmd_get(fd, per ? per : 1, window ? window : 1);
	if (strcmp(argv[0], "latency") == 0 && argc == 3)
		return cmd_latency(fd, strtoul(argv[1], NULL, 0), argv[2]);
	if (strcmp(argv[0], "limits") == 0 && argc == 3) {
		close(fd);
		return cmd_limits(atoi(argv[1]), atoi(argv[2]));
	}
	if (strcmp(argv[0], "abuse") == 0)
		return cmd_abuse(argc > 1 ? atoi(argv[1]) : 500);
	if (strcmp(argv[0], "hold") == 0 && argc == 3)
		return cmd_hold(atoi(argv[1]), atoi(argv[2]));
	if (strcmp(argv[0], "rate") == 0 && argc == 3)
		return cmd_rate(fd, atof(argv[1]), argv[2]);
	if (strcmp(argv[0], "wait-route") == 0 && argc == 4)
		return cmd_wait_route(fd, argv[1], argv[2], atof(argv[3]));
	if (strcmp(argv[0], "status") == 0)
		type = RTC_MSG_STATUS;
	else if (strcmp(argv[0], "stats") == 0)
		type = RTC_MSG_STATS;
	else if (strcmp(argv[0], "cache-stats") == 0)
		type = RTC_MSG_CACHE_STATS;
	else if (strcmp(argv[0], "flush") == 0)
		type = RTC_MSG_CACHE_FLUSH;
	else if (strcmp(argv[0], "rules") == 0)
		type = RTC_MSG_RULE_SHOW;
	else if (strcmp(argv[0], "nexthops") == 0)
		type = RTC_MSG_NEXTHOP_SHOW;
	else if (strcmp(argv[0], "links") == 0)
		type = RTC_MSG_LINK_SHOW;
	else if (strcmp(argv[0], "addrs") == 0)
		type = RTC_MSG_ADDR_SHOW;
	else if (strcmp(argv[0], "cache") == 0)
		type = RTC_MSG_CACHE_SHOW;
	else if (strcmp(argv[0], "slabinfo") == 0)
		type = RTC_MSG_SLABINFO;
	else if (strcmp(argv[0], "show") == 0) {
		type = RTC_MSG_ROUTE_SHOW;
		if (argc > 1) {
			has_table = 1;
			table = strcmp(argv[1], "all") == 0 ? 0xffffffffU :
			    (uint32_t)strtoul(argv[1], NULL, 0);
		}
	} else
		return usage();
	if ((rv = request(fd, type, table, has_table)) == 0)
		rv = reply_each(fd, type == RTC_MSG_STATUS ||
		    type == RTC_MSG_STATS || type == RTC_MSG_CACHE_STATS ?
		    print_kv : print_lines, &cnt, &emsg);
	if (rv < 0) {
		fprintf(stderr, "rtcd-probe: %s%s%s\n", strerror(-rv),
		    emsg ? ": " : "", emsg ? emsg : "");
		return 2;
	}
	return 0;
}
