/* SPDX-License-Identifier: MIT */
/*
 * test_client.c - librtcache and rtcache against a fake rtcached: a thread
 * that speaks the protocol with the shared codec (answers every lookup
 * with its own destination, 10.255.0.0/16 unreachable), or misbehaves on
 * request (garbage, silence, hang-up).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "cli/cli.h"

enum fake_mode { FAKE_GOOD, FAKE_GARBAGE, FAKE_SILENT, FAKE_HANGUP };

static char sock_path[108];
static int lfd = -1;
static enum fake_mode mode;
static pthread_t thr;

static void
fake_send(int fd, const struct nlmsghdr *nlh)
{
	(void)send(fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL);
}

static void
fake_route_get(int fd, const struct rtc_msg *m, unsigned char *out)
{
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	struct rtc_result res;
	struct rtc_flow fl;
	struct rtc_hdr *rh;
	uint32_t index = 0;

	nlh = rtc_msg_start(out, RTC_MSG_MAX, RTC_MSG_ROUTE, NLM_F_MULTI,
	    m->seq);
	rtc_msg_for_each(m, a, RTC_A_FLOW) {
		rtc_flow_parse(a, &fl, NULL);
		memset(&res, 0, sizeof(res));
		res.present = RTC_RES_F_TYPE | RTC_RES_F_DST | RTC_RES_F_FLAGS;
		res.type = RTN_UNICAST;
		res.dst = fl.dst;
		if ((ntohl(fl.dst) >> 16) == 0x0aff) {
			res.present |= RTC_RES_F_ERROR;
			res.error = ENETUNREACH;
		} else {
			res.present |= RTC_RES_F_OIFNAME | RTC_RES_F_PREFSRC |
			    RTC_RES_F_UID;
			strcpy(res.oifname, "v0");
			res.prefsrc = htonl(0x0a000001);
		}
		if (rtc_put_result(nlh, RTC_MSG_MAX, &res) < 0) {
			fake_send(fd, nlh);
			nlh = rtc_msg_start(out, RTC_MSG_MAX, RTC_MSG_ROUTE,
			    NLM_F_MULTI, m->seq);
			rh = mnl_nlmsg_get_payload(nlh);
			rh->rh_index = index;
			rtc_put_result(nlh, RTC_MSG_MAX, &res);
		}
		index++;
	}
	fake_send(fd, nlh);
	fake_send(fd, rtc_msg_start(out, RTC_MSG_MAX, RTC_MSG_DONE, 0,
	    m->seq));
}

static void
fake_serve(int fd)
{
	static unsigned char in[RTC_MSG_MAX], out[RTC_MSG_MAX];
	struct nlmsghdr *nlh;
	struct rtc_msg m;
	const char *why;
	ssize_t n;
	int rv;

	while ((n = recv(fd, in, sizeof(in), 0)) > 0) {
		if (mode == FAKE_SILENT)
			continue;
		if (mode == FAKE_HANGUP)
			return;
		if (mode == FAKE_GARBAGE) {
			memset(out, 0x5a, 64);
			(void)send(fd, out, 64, MSG_NOSIGNAL);
			continue;
		}
		if ((rv = rtc_msg_parse(in, (size_t)n, 1, &m, &why)) < 0) {
			fake_send(fd, rtc_msg_error(out, RTC_MSG_MAX,
			    ((struct nlmsghdr *)in)->nlmsg_seq, rv, why));
			continue;
		}
		switch (m.type) {
		case RTC_MSG_ROUTE_GET:
			fake_route_get(fd, &m, out);
			break;
		case RTC_MSG_ROUTE_SHOW:
			nlh = rtc_msg_start(out, RTC_MSG_MAX, RTC_MSG_TEXT,
			    NLM_F_MULTI, m.seq);
			rtc_put_line(nlh, RTC_MSG_MAX,
			    "default via 10.0.0.254 dev v0 ");
			rtc_put_line(nlh, RTC_MSG_MAX,
			    "10.0.0.0/24 dev v0 proto kernel scope link "
			    "src 10.0.0.1 ");
			fake_send(fd, nlh);
			fake_send(fd, rtc_msg_start(out, RTC_MSG_MAX,
			    RTC_MSG_DONE, 0, m.seq));
			break;
		case RTC_MSG_CACHE_STATS:
		case RTC_MSG_STATUS:
			nlh = rtc_msg_start(out, RTC_MSG_MAX, RTC_MSG_KV, 0,
			    m.seq);
			rtc_put_kv_u64(nlh, RTC_MSG_MAX, "entries", 7);
			rtc_put_kv_u64(nlh, RTC_MSG_MAX, "in_hit", 3);
			if (m.type == RTC_MSG_STATUS)
				rtc_put_kv_str(nlh, RTC_MSG_MAX, "version",
				    "0.1.0");
			fake_send(fd, nlh);
			break;
		default:
			fake_send(fd, rtc_msg_error(out, RTC_MSG_MAX, m.seq,
			    EPERM, "permission denied: not root"));
			break;
		}
	}
}

static void *
fake_main(void *arg)
{
	int fd;

	(void)arg;
	while ((fd = accept(lfd, NULL, NULL)) >= 0) {
		fake_serve(fd);
		close(fd);
	}
	return NULL;
}

static void
fake_start(enum fake_mode m)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	mode = m;
	snprintf(sock_path, sizeof(sock_path), "/tmp/rtc-test-%d.sock",
	    (int)getpid());
	unlink(sock_path);
	strcpy(sun.sun_path, sock_path);
	lfd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	cr_assert_geq(lfd, 0);
	cr_assert_eq(bind(lfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	cr_assert_eq(listen(lfd, 8), 0);
	cr_assert_eq(pthread_create(&thr, NULL, fake_main, NULL), 0);
}

static void
fake_stop(void)
{
	shutdown(lfd, SHUT_RDWR);
	pthread_join(thr, NULL);
	close(lfd);
	unlink(sock_path);
}

static void good(void) { fake_start(FAKE_GOOD); }
static void garbage(void) { fake_start(FAKE_GARBAGE); }
static void silent(void) { fake_start(FAKE_SILENT); }
static void hangup(void) { fake_start(FAKE_HANGUP); }

TestSuite(client, .fini = fake_stop);

Test(client, single_get, .init = good)
{
	struct rtc_client *c;
	struct rtc_flow fl = { .dst = htonl(0x08080808) };
	struct rtc_result res;

	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	cr_assert_str_eq(rtc_path(c), sock_path);
	cr_assert_eq(rtc_route_get(c, &fl, &res), 0);
	cr_assert_eq(res.dst, fl.dst);
	cr_assert_str_eq(res.oifname, "v0");
	fl.dst = htonl(0x0aff0001);
	cr_assert_eq(rtc_route_get(c, &fl, &res), 0);
	cr_assert(res.present & RTC_RES_F_ERROR);
	cr_assert_eq(res.error, ENETUNREACH);
	rtc_close(c);
}

struct order {
	const struct rtc_flow	*flows;
	size_t			 seen;
};

static int
order_cb(void *arg, size_t index, const struct rtc_result *res)
{
	struct order *o = arg;

	cr_assert_eq(index, o->seen, "answers in order");
	cr_assert_eq(res->dst, o->flows[index].dst);
	o->seen++;
	return 0;
}

Test(client, big_pipelined_batch, .init = good)
{
	enum { N = 50000 };
	struct rtc_flow *flows = calloc(N, sizeof(*flows));
	struct order o = { flows, 0 };
	struct rtc_client *c;
	size_t i;

	for (i = 0; i < N; i++)
		flows[i].dst = htonl(0x01000000 + (uint32_t)i);
	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	cr_assert_eq(rtc_route_get_batch(c, flows, N, order_cb, &o), 0);
	cr_assert_eq(o.seen, N);
	rtc_set_batch(c, 7);
	o.seen = 0;
	cr_assert_eq(rtc_route_get_batch(c, flows, 100, order_cb, &o), 0);
	cr_assert_eq(o.seen, 100);
	rtc_close(c);
	free(flows);
}

static int
count_line(void *arg, const char *line)
{
	(void)line;
	(*(int *)arg)++;
	return 0;
}

static int
count_kv(void *arg, const char *name, const char *str, uint64_t v)
{
	(void)name;
	(void)str;
	(void)v;
	(*(int *)arg)++;
	return 0;
}

Test(client, listings_values_and_errors, .init = good)
{
	struct rtc_client *c;
	int n = 0;

	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	cr_assert_eq(rtc_route_show(c, RTC_TABLE_ALL, count_line, &n), 0);
	cr_assert_eq(n, 2);
	n = 0;
	cr_assert_eq(rtc_status(c, count_kv, &n), 0);
	cr_assert_eq(n, 3);
	cr_assert_eq(rtc_cache_flush(c, 0), -EPERM);
	cr_assert_str_eq(rtc_errmsg(c), "permission denied: not root");
	/* still in step after an error reply */
	n = 0;
	cr_assert_eq(rtc_cache_stats(c, count_kv, &n), 0);
	cr_assert_eq(n, 2);
	rtc_close(c);
}

Test(client, garbage_reply, .init = garbage)
{
	struct rtc_client *c;
	struct rtc_flow fl = { .dst = 1 };
	struct rtc_result res;

	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	cr_assert_eq(rtc_route_get(c, &fl, &res), -EPROTO);
	cr_assert_eq(rtc_route_get(c, &fl, &res), -EPIPE, "broken stays so");
	rtc_close(c);
}

Test(client, silent_daemon_times_out, .init = silent)
{
	struct rtc_client *c;
	int n = 0;

	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	rtc_set_timeout(c, 200);
	cr_assert_eq(rtc_status(c, count_kv, &n), -ETIMEDOUT);
	rtc_close(c);
}

Test(client, daemon_hangs_up, .init = hangup)
{
	struct rtc_client *c;
	int n = 0;

	cr_assert_eq(rtc_connect(&c, sock_path), 0);
	cr_assert_eq(rtc_status(c, count_kv, &n), -ECONNRESET);
	rtc_close(c);
}

static int
run(const char *args)
{
	char line[512], *argv[CLI_MAXARGS];
	int argc;

	snprintf(line, sizeof(line), "rtcache -s %s %s", sock_path, args);
	argc = cli_split_line(line, argv, CLI_MAXARGS - 1);
	argv[argc] = NULL;
	return cli_main(argc, argv);
}

Test(client, cli_route_get, .init = good)
{
	cr_redirect_stdout();
	cr_redirect_stderr();
	cr_assert_eq(run("route get 8.8.8.8"), 0);
	cr_assert_eq(run("-j route get 8.8.4.4"), 0);
	cr_assert_eq(run("route get 10.255.1.1"), CLI_EXIT_LOOKUP);
	fflush(stdout);
	fflush(stderr);
	cr_assert_stdout_eq_str(
	    "8.8.8.8 dev v0 src 10.0.0.1 uid 0 \n    cache \n"
	    "[{\"dst\":\"8.8.4.4\",\"dev\":\"v0\",\"prefsrc\":\"10.0.0.1\","
	    "\"flags\":[],\"uid\":0,\"cache\":[]}]\n");
	cr_assert_stderr_eq_str("RTNETLINK answers: Network is unreachable\n");
}

Test(client, cli_batch_force, .init = good)
{
	char file[] = "/tmp/rtc-batch-XXXXXX";
	int fd = mkstemp(file);
	const char *text = "route get 1.1.1.1\n# comment\n\n"
	    "route get 10.255.0.1\nroute get 2.2.2.2 mark 5\n"
	    "route show\nbogus line\nroute get 3.3.3.3\n";
	char args[128];

	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cr_redirect_stdout();
	cr_redirect_stderr();
	snprintf(args, sizeof(args), "-force -b %s", file);
	cr_assert_eq(run(args), CLI_EXIT_FAIL);
	snprintf(args, sizeof(args), "-b %s", file);
	cr_assert_eq(run(args), CLI_EXIT_FAIL);
	fflush(stdout);
	fflush(stderr);
	unlink(file);
	cr_assert_stdout_eq_str(
	    "1.1.1.1 dev v0 src 10.0.0.1 uid 0 \n    cache \n"
	    "2.2.2.2 dev v0 src 10.0.0.1 uid 0 \n    cache \n"
	    "default via 10.0.0.254 dev v0 \n"
	    "10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 \n"
	    "3.3.3.3 dev v0 src 10.0.0.1 uid 0 \n    cache \n"
	    /* without -force: stops at line 4 */
	    "1.1.1.1 dev v0 src 10.0.0.1 uid 0 \n    cache \n");
}
