/* SPDX-License-Identifier: MIT */
/*
 * test_daemon.c - rtcached's Criterion suite: option parsing, the control
 * socket's stale/live detection and mode, the notify protocol against a
 * fake NOTIFY_SOCKET, and request dispatch on a fake connection (its
 * replies decoded with the protocol codec).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <criterion/criterion.h>
#include <libmnl/libmnl.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "daemon/rtcached.h"
#include "daemon/reply.h"
#include "support/fib_text.h"

/* ------------------------------------------------------------ options */

static int
parse(struct rtcd_options *o, const char *line)
{
	static char buf[512];
	char *argv[32], *save = NULL, *t;
	int argc = 0, rv;
	FILE *null = fopen("/dev/null", "w");

	snprintf(buf, sizeof(buf), "rtcached %s", line);
	for (t = strtok_r(buf, " ", &save); t != NULL && argc < 31;
	    t = strtok_r(NULL, " ", &save))
		argv[argc++] = t;
	argv[argc] = NULL;
	rv = rtcd_parse_options(argc, argv, o, null, null);
	fclose(null);
	return rv;
}

Test(options, defaults)
{
	struct rtcd_options o;

	cr_assert_eq(parse(&o, ""), 0);
	cr_assert_eq(o.workers, 0);
	cr_assert_eq(o.max_clients, RTCD_MAX_CLIENTS);
	cr_assert_eq(o.idle_timeout, RTCD_IDLE_TIMEOUT);
	cr_assert_null(o.socket_path);
	cr_assert_null(o.netns);
}

Test(options, all_given)
{
	struct rtcd_options o;

	cr_assert_eq(parse(&o, "-f -d -c /etc/x.conf --netns blue --socket "
	    "/tmp/s --workers 3 --max-clients 9 --idle-timeout 5"), 0);
	cr_assert(o.foreground && o.debug);
	cr_assert_str_eq(o.config, "/etc/x.conf");
	cr_assert_str_eq(o.netns, "blue");
	cr_assert_str_eq(o.socket_path, "/tmp/s");
	cr_assert_eq(o.workers, 3);
	cr_assert_eq(o.max_clients, 9);
	cr_assert_eq(o.idle_timeout, 5);
	cr_assert_eq(parse(&o, "--routes-file /x --workers=2"), 0);
	cr_assert_str_eq(o.routes_file, "/x");
	cr_assert_eq(o.workers, 2);
}

Test(options, usage_errors)
{
	struct rtcd_options o;

	cr_assert_eq(parse(&o, "--bogus"), -1);
	cr_assert_eq(parse(&o, "-x"), -1);
	cr_assert_eq(parse(&o, "--workers"), -1);
	cr_assert_eq(parse(&o, "--workers 0"), -1);
	cr_assert_eq(parse(&o, "--workers 2x"), -1);
	cr_assert_eq(parse(&o, "--workers -1"), -1);
	cr_assert_eq(parse(&o, "extra"), -1);
	cr_assert_eq(parse(&o, "--netns a --routes-file b"), -1);
	cr_assert_eq(parse(&o, "--socket "
	    "/0123456789012345678901234567890123456789012345678901234567890123"
	    "456789012345678901234567890123456789012345678901234567890123456"),
	    -1);
}

Test(options, help_and_version)
{
	struct rtcd_options o;

	cr_assert_eq(parse(&o, "--help"), 1);
	cr_assert_eq(parse(&o, "-h"), 1);
	cr_assert_eq(parse(&o, "--version"), 1);
}

/* ------------------------------------------------------- control socket */

static char tmpdir[64];

static void
mkdir_tmp(void)
{
	strcpy(tmpdir, "/tmp/rtcd-test.XXXXXX");
	cr_assert_not_null(mkdtemp(tmpdir));
}

Test(control, fresh_socket_mode_0660)
{
	struct control_sock cs;
	char path[128];
	struct stat st;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/sub/s.sock", tmpdir);
	cr_assert_eq(control_open(&cs, path), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert(S_ISSOCK(st.st_mode));
	cr_assert_eq(st.st_mode & 0777, 0660);
	cr_assert_eq(control_check_live(path), 1);
	control_close(&cs);
	cr_assert_neq(access(path, F_OK), 0, "socket file removed");
	rmdir(tmpdir);
}

Test(control, live_daemon_is_kept)
{
	struct control_sock a, b;
	char path[128];

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/s.sock", tmpdir);
	cr_assert_eq(control_open(&a, path), 0);
	cr_assert_eq(control_open(&b, path), -EADDRINUSE);
	cr_assert_eq(control_check_live(path), 1);
	control_close(&a);
	rmdir(tmpdir);
}

Test(control, stale_socket_is_replaced)
{
	struct control_sock cs;
	struct sockaddr_un sun;
	char path[128];
	int fd;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/s.sock", tmpdir);
	/* a dead daemon's socket: bound, never listening, closed */
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, path);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	cr_assert_eq(control_check_live(path), 0);
	cr_assert_eq(control_open(&cs, path), 0);
	cr_assert_eq(control_check_live(path), 1);
	control_close(&cs);
	rmdir(tmpdir);
}

Test(control, not_a_socket_is_an_error)
{
	struct control_sock cs;
	char path[128];
	FILE *f;

	mkdir_tmp();
	snprintf(path, sizeof(path), "%s/s.sock", tmpdir);
	f = fopen(path, "w");
	fclose(f);
	cr_assert_eq(control_open(&cs, path), -ENOTSOCK);
	unlink(path);
	rmdir(tmpdir);
}

/* ------------------------------------------------------------- notify */

static void
notify_roundtrip(const char *name)
{
	struct sockaddr_un sun;
	socklen_t len;
	char buf[64];
	ssize_t n;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strcpy(sun.sun_path, name);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(name));
	if (name[0] == '@')
		sun.sun_path[0] = '\0';
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sun, len), 0);
	setenv("NOTIFY_SOCKET", name, 1);
	cr_assert_eq(notify_send("READY=1"), 1);
	n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	cr_assert_eq(n, 7);
	buf[n] = '\0';
	cr_assert_str_eq(buf, "READY=1");
	close(fd);
}

Test(notify, abstract_and_path)
{
	char name[96];

	snprintf(name, sizeof(name), "@rtcd-test-%d", (int)getpid());
	notify_roundtrip(name);
	mkdir_tmp();
	snprintf(name, sizeof(name), "%s/notify", tmpdir);
	notify_roundtrip(name);
	unlink(name);
	rmdir(tmpdir);
}

Test(notify, unset_is_zero)
{
	unsetenv("NOTIFY_SOCKET");
	cr_assert_eq(notify_send("READY=1"), 0);
	setenv("NOTIFY_SOCKET", "relative", 1);
	cr_assert_eq(notify_send("READY=1"), -EINVAL);
}

/* ----------------------------------------------------------- dispatch */

static struct conn fake;

static void
dispatch_setup(void)
{
	static const char *const cmds[] = {
		"link add lo index 1 up",
		"link add v0 index 2 up",
		"addr add 127.0.0.1/8 dev lo scope host",
		"addr add 10.0.0.1/24 dev v0",
		"route add 192.0.2.0/24 via 10.0.0.2 dev v0",
		"route add blackhole 198.18.0.0/16",
		"route add 198.51.100.0/24 via 10.0.0.3 dev v0 tos 0x10",
	};
	size_t i;

	rcu_register_thread();
	cr_assert_eq(fib_init(), 0);
	cr_assert_eq(rt_cache_init(NULL), 0);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		cr_assert_eq(fib_exec(cmds[i]), 0, "%s", cmds[i]);
	memset(&fake, 0, sizeof(fake));
	fake.w = worker_new(0);	/* not started: it owns the queue count */
	cr_assert_not_null(fake.w);
	fake.fd = -1;
	fake.uid = 1000;
	fake.pid = 1;
	TAILQ_INIT(&fake.outq);
}

static void
dispatch_teardown(void)
{
	struct omsg *m;

	while ((m = TAILQ_FIRST(&fake.outq)) != NULL) {
		TAILQ_REMOVE(&fake.outq, m, entry);
		free(m);
	}
	listing_free(fake.listing);
	worker_free(fake.w);
	rt_cache_quiescent();
	dispatch_thread_exit();
	rt_cache_exit();
	fib_exit();
	rcu_unregister_thread();
}

/* Pops the next queued reply and parses it. */
static struct omsg *
next_reply(struct rtc_msg *m)
{
	struct omsg *o = TAILQ_FIRST(&fake.outq);

	cr_assert_not_null(o, "a reply was queued");
	TAILQ_REMOVE(&fake.outq, o, entry);
	fake.outbytes -= o->len;
	cr_assert_eq(rtc_msg_parse(o->data, o->len, 0, m, NULL), 0);
	return o;
}

static uint32_t
expect_error(uint32_t seq)
{
	struct rtc_msg m;
	struct omsg *o = next_reply(&m);
	uint32_t err;

	cr_assert_eq(m.type, RTC_MSG_ERROR);
	cr_assert_eq(m.seq, seq);
	cr_assert_not_null(m.tb[RTC_A_ERRMSG], "an error text");
	err = mnl_attr_get_u32(m.tb[RTC_A_ERRNO]);
	free(o);
	return err;
}

static struct omsg *last_reply;	/* what get() parsed last */

static void
get(const struct rtc_flow *fl, int n, struct rtc_result *res)
{
	unsigned char buf[4096];
	struct nlmsghdr *nlh = rtc_msg_start(buf, sizeof(buf),
	    RTC_MSG_ROUTE_GET, NLM_F_REQUEST, 42);
	const struct nlattr *a;
	struct rtc_msg m;
	struct omsg *o;
	int i = 0;

	for (i = 0; i < n; i++)
		cr_assert_eq(rtc_put_flow(nlh, sizeof(buf), &fl[i]), 0);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	o = next_reply(&m);
	cr_assert_eq(m.type, RTC_MSG_ROUTE);
	cr_assert_eq(m.seq, 42);
	i = 0;
	rtc_msg_for_each(&m, a, RTC_A_RESULT)
		cr_assert_eq(rtc_result_parse(a, &res[i++], NULL), 0);
	cr_assert_eq(i, n);
	/* results point into the reply (errmsg, fib): kept until the next */
	free(last_reply);
	last_reply = o;
	rt_cache_quiescent();
}

TestSuite(dispatch, .init = dispatch_setup, .fini = dispatch_teardown);

Test(dispatch, malformed_messages_get_errors)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh;

	memset(buf, 0x5a, sizeof(buf));
	dispatch_request(&fake, buf, 3);
	expect_error(0);
	dispatch_request(&fake, buf, sizeof(buf));
	expect_error(0x5a5a5a5a);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_STATUS, NLM_F_REQUEST, 9);
	dispatch_request(&fake, buf, nlh->nlmsg_len - 4);	/* truncated */
	expect_error(9);
	nlh = rtc_msg_start(buf, sizeof(buf), 40, NLM_F_REQUEST, 10);
	dispatch_request(&fake, buf, nlh->nlmsg_len);		/* unknown */
	expect_error(10);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 11);
	dispatch_request(&fake, buf, nlh->nlmsg_len);		/* no flow */
	expect_error(11);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_DONE, 0, 12);
	dispatch_request(&fake, buf, nlh->nlmsg_len);		/* a reply */
	expect_error(12);
	cr_assert(TAILQ_EMPTY(&fake.outq));
}

Test(dispatch, oversized_error_helper)
{
	reply_error(&fake, 33, EMSGSIZE, "message of %d bytes", 70000);
	cr_assert_eq(expect_error(33), EMSGSIZE);
}

Test(dispatch, route_get_output)
{
	struct rtc_flow fl[3];
	struct rtc_result r[3];

	memset(fl, 0, sizeof(fl));
	inet_pton(AF_INET, "192.0.2.7", &fl[0].dst);
	inet_pton(AF_INET, "198.18.1.1", &fl[1].dst);
	inet_pton(AF_INET, "203.0.113.1", &fl[2].dst);
	get(fl, 3, r);
	cr_assert(r[0].present & RTC_RES_F_GATEWAY);
	cr_assert_eq(r[0].gateway, inet_addr("10.0.0.2"));
	cr_assert_str_eq(r[0].oifname, "v0");
	cr_assert_eq(r[0].prefsrc, inet_addr("10.0.0.1"));
	cr_assert(r[0].present & RTC_RES_F_UID);
	cr_assert_eq(r[0].uid, 1000, "the peer's uid");
	cr_assert_eq(r[0].table, RT_TABLE_MAIN);
	cr_assert_not(r[0].present & (RTC_RES_F_SRC | RTC_RES_F_IIF |
	    RTC_RES_F_TOS | RTC_RES_F_MARK));
	cr_assert_eq(r[1].error, EINVAL, "blackhole");
	cr_assert_eq(r[2].error, ENETUNREACH);
}

Test(dispatch, route_get_local_and_tos)
{
	struct rtc_flow fl[2];
	struct rtc_result r[2];

	memset(fl, 0, sizeof(fl));
	inet_pton(AF_INET, "10.0.0.1", &fl[0].dst);
	inet_pton(AF_INET, "198.51.100.1", &fl[1].dst);
	fl[1].tos = 0x10;
	fl[1].present = RTC_FLOW_F_TOS | RTC_FLOW_F_MARK | RTC_FLOW_F_UID;
	fl[1].mark = 7;
	fl[1].uid = 5;
	get(fl, 2, r);
	cr_assert_eq(r[0].type, RTN_LOCAL);
	cr_assert_str_eq(r[0].oifname, "lo");
	/* only the default rules: the kernel's merged local+main trie
	 * answers as table main */
	cr_assert_eq(r[0].table, RT_TABLE_MAIN);
	cr_assert(r[1].present & RTC_RES_F_TOS);
	cr_assert_eq(r[1].tos, 0x10);
	cr_assert_eq(r[1].mark, 7);
	cr_assert_eq(r[1].uid, 5);
}

Test(dispatch, route_get_input)
{
	struct rtc_flow fl[3];
	struct rtc_result r[3];

	memset(fl, 0, sizeof(fl));
	inet_pton(AF_INET, "10.0.0.1", &fl[0].dst);
	inet_pton(AF_INET, "10.0.0.9", &fl[0].src);
	strcpy(fl[0].iifname, "v0");
	fl[0].present = RTC_FLOW_F_SRC | RTC_FLOW_F_IIFNAME;
	fl[1] = fl[0];
	strcpy(fl[1].iifname, "nosuch");
	fl[2] = fl[0];
	fl[2].src = 0;		/* martian source: EINVAL */
	get(fl, 3, r);
	cr_assert_eq(r[0].present & RTC_RES_F_ERROR, 0);
	cr_assert_eq(r[0].type, RTN_LOCAL);
	cr_assert_str_eq(r[0].iifname, "v0");
	cr_assert(r[0].present & RTC_RES_F_SRC);
	cr_assert_not(r[0].present & (RTC_RES_F_UID | RTC_RES_F_PREFSRC));
	cr_assert_eq(r[1].error, ENODEV);
	cr_assert(r[1].present & RTC_RES_F_ERRMSG);
	cr_assert_str_eq(r[1].errmsg, RTC_ERRMSG_NO_IIF);
	cr_assert_eq(r[2].error, EINVAL);
}

/*
 * `route get ... vrf NAME`: NAME is the oif (iproute2 sends RTA_OIF),
 * looked up in the VRF's table through the l3mdev rule; a NAME that is
 * no VRF is refused with ip's text.  red is a VRF of table 10 with v1 in
 * it, whose address's routes go to table 10 as the kernel puts them.
 */
Test(dispatch, route_get_vrf_is_the_oif_and_must_be_a_vrf)
{
	static const char *const cmds[] = {
		"link add red index 3 up",
		"link add v1 index 4 up",
		"addr add 10.10.0.1/24 dev v1",
		"route add 172.16.0.0/16 via 10.10.0.254 dev v1 table 10",
		"rule add pref 1000 l3mdev",
	};
	struct net_device *v1;
	struct rtc_flow fl[3];
	struct rtc_result r[3];
	size_t i;

	cr_assert_eq(fib_exec(cmds[0]), 0);
	cr_assert_eq(netdev_link_set_vrf(3, 10), 1);
	cr_assert_eq(fib_exec(cmds[1]), 0);
	v1 = netdev_get_by_index(4);
	cr_assert_eq(fib_link_set(4, "v1", v1->flags, 3, 0), 0);
	for (i = 2; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		cr_assert_eq(fib_exec(cmds[i]), 0, "%s", cmds[i]);
	memset(fl, 0, sizeof(fl));
	inet_pton(AF_INET, "172.16.1.1", &fl[0].dst);
	strcpy(fl[0].oifname, "red");
	fl[0].present = RTC_FLOW_F_OIFNAME | RTC_FLOW_F_VRF;
	fl[1] = fl[0];
	inet_pton(AF_INET, "10.10.0.1", &fl[1].dst);
	fl[2] = fl[0];
	strcpy(fl[2].oifname, "v0");
	get(fl, 3, r);
	cr_assert_eq(r[0].present & RTC_RES_F_ERROR, 0, "error %u",
	    r[0].error);
	cr_assert_str_eq(r[0].oifname, "v1");
	cr_assert_eq(r[0].gateway, inet_addr("10.10.0.254"));
	cr_assert_eq(r[0].prefsrc, inet_addr("10.10.0.1"));
	cr_assert_eq(r[0].table, 10);
	cr_assert_eq(r[1].type, RTN_LOCAL);
	cr_assert_str_eq(r[1].oifname, "red");
	cr_assert_eq(r[1].table, 10);
	cr_assert_eq(r[2].error, EINVAL, "v0 is no VRF");
	cr_assert(r[2].present & RTC_RES_F_ERRMSG);
	cr_assert_str_eq(r[2].errmsg, RTC_ERRMSG_INVALID_VRF);
}

Test(dispatch, mutating_requests_need_privilege)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh;

	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_CACHE_FLUSH,
	    NLM_F_REQUEST, 20);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	cr_assert_eq(expect_error(20), EPERM);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_SLAB_TUNE,
	    NLM_F_REQUEST, 21);
	rtc_put_str(nlh, sizeof(buf), RTC_A_SLAB_NAME, "ip_dst_cache");
	rtc_put_u32(nlh, sizeof(buf), RTC_A_SLAB_LIMIT, 100);
	rtc_put_u32(nlh, sizeof(buf), RTC_A_SLAB_BATCHCOUNT, 50);
	rtc_put_u32(nlh, sizeof(buf), RTC_A_SLAB_SHARED, 8);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	cr_assert_eq(expect_error(21), EPERM);
	fake.privileged = 1;
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	{
		struct rtc_msg m;
		struct omsg *o = next_reply(&m);

		cr_assert_eq(m.type, RTC_MSG_DONE);
		free(o);
	}
}

Test(dispatch, cache_stats_and_slabinfo)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	const char *name, *str;
	struct rtc_msg m;
	struct omsg *o;
	uint64_t v;
	int n = 0;

	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_CACHE_STATS,
	    NLM_F_REQUEST, 30);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	o = next_reply(&m);
	cr_assert_eq(m.type, RTC_MSG_KV);
	rtc_msg_for_each(&m, a, RTC_A_KV) {
		cr_assert_eq(rtc_kv_parse(a, &name, &str, &v), 0);
		if (n++ == 0)
			cr_assert_str_eq(name, "entries");
	}
	cr_assert_eq(n, 17);
	free(o);
	nlh = rtc_msg_start(buf, sizeof(buf), RTC_MSG_SLABINFO, NLM_F_REQUEST,
	    31);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	cr_assert_eq(listing_step(&fake), 0, "slabinfo is one step");
	o = next_reply(&m);
	cr_assert_eq(m.type, RTC_MSG_TEXT);
	cr_assert_geq(m.nlines, 3);
	free(o);
}

/* ------------------------------------------------------------ listings */

/*
 * Take every queued reply of a listing: its lines go to @out.  Return 1
 * when the listing's reply is over (a DONE, or a lone TEXT message).
 */
static int
take_listing_replies(FILE *out, uint32_t seq, int *multi)
{
	const struct nlattr *a;
	struct rtc_msg m;
	struct omsg *o;
	int over = 0;

	while (!TAILQ_EMPTY(&fake.outq)) {
		o = next_reply(&m);
		cr_assert_eq(m.seq, seq);
		cr_assert(!over, "nothing after the end of the reply");
		if (m.type == RTC_MSG_DONE) {
			cr_assert(*multi, "DONE ends a MULTI reply");
			over = 1;
		} else {
			cr_assert_eq(m.type, RTC_MSG_TEXT);
			if (m.nlh->nlmsg_flags & NLM_F_MULTI)
				*multi = 1;
			else
				over = 1;
			rtc_msg_for_each(&m, a, RTC_A_LINE)
				fprintf(out, "%s\n", mnl_attr_get_str(a));
		}
		free(o);
	}
	return over;
}

/* @verb ("add", "del") @n routes of 172.16/12 in @table. */
static void
routes(const char *verb, unsigned int table, unsigned int n)
{
	char cmd[128];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof(cmd), "route %s 172.%u.%u.0/24 via "
		    "10.0.0.2 dev v0 table %u", verb, 16 + i / 256, i % 256,
		    table);
		cr_assert_eq(fib_exec(cmd), 0, "%s", cmd);
	}
}

static void
route_show_all(uint32_t seq)
{
	unsigned char buf[256];
	struct nlmsghdr *nlh = rtc_msg_start(buf, sizeof(buf),
	    RTC_MSG_ROUTE_SHOW, NLM_F_REQUEST, seq);

	mnl_attr_put_u32(nlh, RTC_A_TABLE, 0xffffffffU);
	dispatch_request(&fake, buf, nlh->nlmsg_len);
	cr_assert_not_null(fake.listing, "a listing waits for its steps");
	cr_assert(TAILQ_EMPTY(&fake.outq), "nothing is built before a step");
}

Test(dispatch, a_long_listing_comes_in_small_steps_that_add_up_to_the_table)
{
	char *want = NULL, *got = NULL;
	size_t wl = 0, gl = 0;
	FILE *w, *g;
	int steps = 0, multi = 0, over = 0;

	routes("add", 254, 4000);
	routes("add", 100, 3000);
	routes("add", 200, 3000);
	cr_assert_not_null(w = open_memstream(&want, &wl));
	cr_assert_eq(fib_dump_routes(w, FIB_TABLE_ALL), 0);
	fclose(w);
	cr_assert_not_null(g = open_memstream(&got, &gl));
	route_show_all(50);
	while (fake.listing != NULL) {
		listing_step(&fake);
		steps++;
		/* one step queues about 64 KiB, never the table */
		cr_assert_lt(fake.outbytes, 80U << 10, "step %d queued %zu",
		    steps, fake.outbytes);
		over = take_listing_replies(g, 50, &multi);
		cr_assert_eq(over, fake.listing == NULL);
	}
	fclose(g);
	cr_assert_gt(steps, 5, "%zu bytes in %d steps", wl, steps);
	cr_assert(multi);
	cr_assert_eq(gl, wl);
	cr_assert(memcmp(got, want, wl) == 0, "the steps print the table");
	free(want);
	free(got);
}

Test(dispatch, routes_removed_during_a_listing_are_skipped_and_none_comes_twice)
{
	char *got = NULL, *line, *prev = NULL, *save;
	size_t gl = 0, first;
	FILE *g;
	int multi = 0;

	routes("add", 254, 4000);
	cr_assert_not_null(g = open_memstream(&got, &gl));
	route_show_all(51);
	listing_step(&fake);
	take_listing_replies(g, 51, &multi);
	fflush(g);
	first = gl;
	cr_assert(first > 0 && fake.listing != NULL);
	/* every 172.16/12 route goes; new ones come behind and ahead */
	routes("del", 254, 4000);
	cr_assert_eq(fib_exec("route add 172.16.0.0/16 via 10.0.0.2 dev v0"),
	    0);
	cr_assert_eq(fib_exec("route add 203.0.113.0/24 via 10.0.0.2 dev v0"),
	    0);
	while (fake.listing != NULL) {
		listing_step(&fake);
		take_listing_replies(g, 51, &multi);
	}
	fclose(g);
	cr_assert(strstr(got + first, "172.") == NULL,
	    "nothing removed is printed after the removal");
	cr_assert_not_null(strstr(got + first, "203.0.113.0/24"),
	    "a route added ahead of the cursor is printed");
	for (line = strtok_r(got, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		cr_assert(prev == NULL || strcmp(prev, line) != 0,
		    "%s twice", line);
		prev = line;
	}
	free(got);
}
