/* SPDX-License-Identifier: MIT */
/*
 * tests/embed/test_embed.c - librtcache's embedded mode (rtcache/embed.h)
 * against the kernel, through the installed API only (rtcache/embed.h,
 * rtcache/proto.h) and the shared library.
 *
 * Each test makes its own network namespace (unique name, deleted at the
 * end) with two veth pairs, addresses, routes of several kinds and a
 * rule, as tests/daemon/rtcd-lib.sh does, opens embedded mode inside it
 * by name, and compares each answer with the kernel's reply to the same
 * RTM_GETROUTE asked on a netlink socket in that namespace: type, table,
 * device, gateway, preferred source, uid, mtu metric, the RTCF flags and
 * the errno of a failed lookup.  Needs root with netns and veth: skipped
 * otherwise.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/wait.h>
#include <linux/rtnetlink.h>

#include <criterion/criterion.h>
#include <libmnl/libmnl.h>

#include "rtcache/embed.h"
#include "rtcache/proto.h"

static char ns[64];

static int
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void
ns_setup(void)
{
	static const char *const cmds[] = {
		"link set lo up",
		"link add v0 type veth peer name v1",
		"link add v2 type veth peer name v3",
		"link set v0 up", "link set v1 up", "link set v2 up",
		"link set v3 up",
		"addr add 10.0.0.1/24 dev v0",
		"addr add 10.0.1.1/24 dev v1",
		"addr add 10.0.2.1/24 dev v2",
		"addr add 10.0.3.1/24 dev v3",
		"route add 192.0.2.0/24 via 10.0.0.2",
		"route add 100.64.0.0/10 via 10.0.2.2 mtu 1400",
		"route add blackhole 203.0.113.0/24",
		"route add unreachable 198.18.0.0/15",
		"route add prohibit 198.51.100.0/24",
		"route add 192.0.2.0/24 via 10.0.2.2 table 100",
		"rule add from 10.0.1.0/24 lookup 100 pref 100",
	};
	size_t i;

	if (geteuid() != 0)
		cr_skip_test("not root");
	snprintf(ns, sizeof(ns), "rtce-%d-%d", (int)getpid(), rand() % 100000);
	if (sh("ip netns add %s 2>/dev/null", ns) != 0)
		cr_skip_test("no netns");
	if (sh("ip -n %s link add v0 type veth peer name v1 2>/dev/null",
	    ns) != 0) {
		sh("ip netns del %s", ns);
		cr_skip_test("no veth");
	}
	sh("ip -n %s link del v0", ns);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		cr_assert_eq(sh("ip -n %s %s", ns, cmds[i]), 0, "ip %s",
		    cmds[i]);
	sh("ip netns exec %s sh -c 'for f in /proc/sys/net/ipv4/conf/*/"
	    "rp_filter; do echo 0 > $f; done; "
	    "sysctl -qw net.ipv4.conf.all.forwarding=1'", ns);
}

static void
ns_teardown(void)
{
	if (ns[0] != '\0')
		sh("ip netns del %s 2>/dev/null", ns);
}

TestSuite(embed, .init = ns_setup, .fini = ns_teardown, .timeout = 60);

/* ------------------------------------------------ the kernel's answer */

struct nsopen {
	const char	*path;
	struct mnl_socket *nl;
};

static void *
nsopen_thread(void *arg)
{
	struct nsopen *o = arg;
	int fd = open(o->path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0 && setns(fd, CLONE_NEWNET) == 0)
		o->nl = mnl_socket_open(NETLINK_ROUTE);
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* A NETLINK_ROUTE socket in the test's namespace. */
static struct mnl_socket *
kernel_socket(void)
{
	char path[128];
	struct nsopen o = { path, NULL };
	pthread_t t;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	cr_assert_eq(pthread_create(&t, NULL, nsopen_thread, &o), 0);
	pthread_join(t, NULL);
	cr_assert_not_null(o.nl);
	cr_assert_geq(mnl_socket_bind(o.nl, 0, MNL_SOCKET_AUTOPID), 0);
	return o.nl;
}

static int
kernel_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;

	if (mnl_attr_type_valid(a, RTA_MAX) > 0)
		tb[mnl_attr_get_type(a)] = a;
	return MNL_CB_OK;
}

/* The kernel's RTM_GETROUTE answer to @fl, as a struct rtc_result. */
static void
kernel_get(struct mnl_socket *nl, const struct rtc_flow *fl,
    struct rtc_result *res)
{
	char buf[8192];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 }, *a;
	struct rtmsg *rtm;
	ssize_t n;

	memset(res, 0, sizeof(*res));
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = 1;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_tos = (fl->present & RTC_FLOW_F_TOS) ? fl->tos : 0;
	rtm->rtm_flags = RTM_F_LOOKUP_TABLE;	/* as ip route get asks */
	mnl_attr_put_u32(nlh, RTA_DST, fl->dst);
	if (fl->present & RTC_FLOW_F_SRC) {
		mnl_attr_put_u32(nlh, RTA_SRC, fl->src);
		rtm->rtm_src_len = 32;
	}
	if (fl->present & RTC_FLOW_F_IIF)
		mnl_attr_put_u32(nlh, RTA_IIF, fl->iif);
	if (fl->present & RTC_FLOW_F_OIF)
		mnl_attr_put_u32(nlh, RTA_OIF, fl->oif);
	if (fl->present & RTC_FLOW_F_MARK)
		mnl_attr_put_u32(nlh, RTA_MARK, fl->mark);
	cr_assert_geq(mnl_socket_sendto(nl, nlh, nlh->nlmsg_len), 0);
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	cr_assert_gt(n, 0);
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

		res->present = RTC_RES_F_ERROR;
		res->error = (uint32_t)-e->error;
		return;
	}
	cr_assert_eq(nlh->nlmsg_type, RTM_NEWROUTE);
	rtm = mnl_nlmsg_get_payload(nlh);
	mnl_attr_parse(nlh, sizeof(*rtm), kernel_attr, tb);
	res->present = RTC_RES_F_TYPE | RTC_RES_F_FLAGS;
	res->type = rtm->rtm_type;
	res->flags = rtm->rtm_flags;
	if (tb[RTA_TABLE] != NULL) {
		res->present |= RTC_RES_F_TABLE;
		res->table = mnl_attr_get_u32(tb[RTA_TABLE]);
	}
	if (tb[RTA_OIF] != NULL) {
		res->present |= RTC_RES_F_OIF;
		res->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	}
	if (tb[RTA_GATEWAY] != NULL) {
		res->present |= RTC_RES_F_GATEWAY;
		res->gateway = mnl_attr_get_u32(tb[RTA_GATEWAY]);
	}
	if (tb[RTA_PREFSRC] != NULL) {
		res->present |= RTC_RES_F_PREFSRC;
		res->prefsrc = mnl_attr_get_u32(tb[RTA_PREFSRC]);
	}
	if (tb[RTA_UID] != NULL) {
		res->present |= RTC_RES_F_UID;
		res->uid = mnl_attr_get_u32(tb[RTA_UID]);
	}
	if (tb[RTA_METRICS] != NULL)
		mnl_attr_for_each_nested(a, tb[RTA_METRICS])
			if (mnl_attr_get_type(a) == RTAX_MTU) {
				res->present |= RTC_RES_F_METRICS;
				res->metrics_set |= 1U << RTAX_MTU;
				res->metrics[RTAX_MTU] = mnl_attr_get_u32(a);
			}
}

#define KEEP	(RTC_RES_F_ERROR | RTC_RES_F_TYPE | RTC_RES_F_TABLE | \
		 RTC_RES_F_OIF | RTC_RES_F_GATEWAY | RTC_RES_F_PREFSRC | \
		 RTC_RES_F_UID | RTC_RES_F_METRICS | RTC_RES_F_FLAGS)

static const char *
ip(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

/* What `ip route get` prints of the two answers is the same. */
static void
same(const char *what, const struct rtc_result *k, const struct rtc_result *o)
{
	char b1[INET_ADDRSTRLEN], b2[INET_ADDRSTRLEN];
	uint32_t kp = k->present & KEEP, op = o->present & KEEP;

	if (k->present & RTC_RES_F_ERROR) {
		/* a failed lookup: the errno is the answer */
		cr_assert(op & RTC_RES_F_ERROR, "%s: kernel says errno %u, "
		    "embedded answers", what, k->error);
		cr_expect_eq(o->error, k->error, "%s: errno %u, kernel %u",
		    what, o->error, k->error);
		return;
	}
	cr_assert_eq(op, kp, "%s: attributes %#x, kernel %#x (error %u)",
	    what, op, kp, o->error);
	cr_expect_eq(o->type, k->type, "%s: type %u, kernel %u", what,
	    o->type, k->type);
	cr_expect_eq(o->table, k->table, "%s: table %u, kernel %u", what,
	    o->table, k->table);
	cr_expect_eq(o->oif, k->oif, "%s: dev %u, kernel %u", what, o->oif,
	    k->oif);
	cr_expect_eq(o->gateway, k->gateway, "%s: via %s, kernel %s", what,
	    ip(o->gateway, b1), ip(k->gateway, b2));
	cr_expect_eq(o->prefsrc, k->prefsrc, "%s: src %s, kernel %s", what,
	    ip(o->prefsrc, b1), ip(k->prefsrc, b2));
	cr_expect_eq(o->uid, k->uid, "%s: uid", what);
	cr_expect_eq(o->metrics_set, k->metrics_set, "%s: metrics", what);
	cr_expect_eq(o->metrics[RTAX_MTU], k->metrics[RTAX_MTU],
	    "%s: mtu %u, kernel %u", what, o->metrics[RTAX_MTU],
	    k->metrics[RTAX_MTU]);
	/* rt_fill_info: rtm_flags = (rt_flags & ~0xffff) | RTM_F_CLONED */
	cr_expect_eq(o->flags & ~0xffffU, k->flags & ~0xffffU,
	    "%s: flags %#x, kernel %#x", what, o->flags, k->flags);
}

static struct rtc_flow
flow(const char *dst, const char *src, const char *iif, const char *oif,
    uint32_t mark)
{
	struct rtc_flow fl;

	memset(&fl, 0, sizeof(fl));
	inet_pton(AF_INET, dst, &fl.dst);
	if (src != NULL) {
		inet_pton(AF_INET, src, &fl.src);
		fl.present |= RTC_FLOW_F_SRC;
	}
	if (iif != NULL) {
		fl.present |= RTC_FLOW_F_IIFNAME;
		snprintf(fl.iifname, sizeof(fl.iifname), "%s", iif);
	}
	if (oif != NULL) {
		fl.present |= RTC_FLOW_F_OIFNAME;
		snprintf(fl.oifname, sizeof(fl.oifname), "%s", oif);
	}
	if (mark != 0) {
		fl.mark = mark;
		fl.present |= RTC_FLOW_F_MARK;
	}
	return fl;
}

/* Device names to the namespace's indexes (the kernel's request needs
 * indexes): read back from an embedded answer's oif by name. */
static uint32_t
ns_ifindex(const char *name)
{
	char cmd[256], line[64];
	FILE *p;
	unsigned int idx = 0;

	snprintf(cmd, sizeof(cmd), "ip -n %s -o link show dev %s", ns, name);
	if ((p = popen(cmd, "r")) != NULL) {
		if (fgets(line, sizeof(line), p) == NULL ||
		    sscanf(line, "%u:", &idx) != 1)
			idx = 0;
		pclose(p);
	}
	cr_assert_gt(idx, 0, "no device %s in %s", name, ns);
	return idx;
}

/* The kernel's flow: names as indexes. */
static struct rtc_flow
kernel_flow(const struct rtc_flow *fl)
{
	struct rtc_flow k = *fl;

	if (fl->present & RTC_FLOW_F_IIFNAME) {
		k.present = (k.present & ~RTC_FLOW_F_IIFNAME) | RTC_FLOW_F_IIF;
		k.iif = ns_ifindex(fl->iifname);
	}
	if (fl->present & RTC_FLOW_F_OIFNAME) {
		k.present = (k.present & ~RTC_FLOW_F_OIFNAME) | RTC_FLOW_F_OIF;
		k.oif = ns_ifindex(fl->oifname);
	}
	return k;
}

static struct rtc_embed *
open_in_ns(void)
{
	struct rtc_embed_config cfg;
	struct rtc_embed *e = NULL;
	int rv;

	rtc_embed_config_init(&cfg);
	cfg.netns = ns;
	cfg.timeout_ms = 20000;
	cfg.flags = RTC_EMBED_QUIET;
	rv = rtc_embed_open(&e, &cfg);
	cr_assert_eq(rv, 0, "rtc_embed_open in %s: %s", ns, strerror(-rv));
	cr_assert(rtc_embed_ready(e));
	return e;
}

#define NFLOWS	14

static void
scenario(struct rtc_flow *f)
{
	f[0] = flow("10.0.0.5", NULL, NULL, NULL, 0);	/* connected */
	f[1] = flow("192.0.2.7", NULL, NULL, NULL, 0);	/* via a gateway */
	f[2] = flow("100.64.1.1", NULL, NULL, NULL, 0);	/* mtu metric */
	f[3] = flow("10.0.0.1", NULL, NULL, NULL, 0);	/* local */
	f[4] = flow("10.0.0.255", NULL, NULL, NULL, 0);	/* broadcast */
	f[5] = flow("203.0.113.1", NULL, NULL, NULL, 0); /* blackhole */
	f[6] = flow("198.18.1.1", NULL, NULL, NULL, 0);	/* unreachable */
	f[7] = flow("198.51.100.1", NULL, NULL, NULL, 0); /* prohibit */
	f[8] = flow("8.8.8.8", NULL, NULL, NULL, 0);	/* no route */
	f[9] = flow("192.0.2.7", "10.0.1.1", NULL, NULL, 0); /* rule, t100 */
	f[10] = flow("192.0.2.7", "10.0.1.9", "v1", NULL, 0); /* forwarded */
	f[11] = flow("10.0.3.7", NULL, NULL, "v3", 0);	/* oif */
	f[12] = flow("192.0.2.9", NULL, NULL, NULL, 7);	/* mark */
	f[13] = flow("10.0.2.1", "10.0.0.9", "v0", NULL, 0); /* local, in */
}

static void
check_all(struct rtc_embed *e, struct mnl_socket *nl, struct rtc_flow *f,
    int n, const char *pass)
{
	struct rtc_result o, k;
	struct rtc_flow kf;
	char what[96], b[INET_ADDRSTRLEN];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "%s flow %d (%s)", pass, i,
		    ip(f[i].dst, b));
		cr_assert_eq(rtc_embed_route_get(e, &f[i], &o), 0, "%s", what);
		kf = kernel_flow(&f[i]);
		kernel_get(nl, &kf, &k);
		same(what, &k, &o);
		rtc_embed_quiescent(e);
	}
}

Test(embed, answers_as_the_kernel_in_a_namespace)
{
	struct rtc_embed *e = open_in_ns();
	struct mnl_socket *nl = kernel_socket();
	struct rtc_flow f[NFLOWS];

	scenario(f);
	cr_assert_eq(rtc_embed_thread_register(e), 0);
	check_all(e, nl, f, NFLOWS, "first");	/* misses */
	check_all(e, nl, f, NFLOWS, "again");	/* cached */
	cr_assert_eq(rtc_embed_close(e), 0);
	mnl_socket_close(nl);
}

Test(embed, a_batch_answers_as_single_lookups)
{
	struct rtc_embed *e = open_in_ns();
	struct rtc_flow f[NFLOWS];
	struct rtc_result one, many[NFLOWS];
	int i;

	scenario(f);
	cr_assert_eq(rtc_embed_thread_register(e), 0);
	cr_assert_eq(rtc_embed_route_get_batch(e, f, many, NFLOWS), NFLOWS);
	for (i = 0; i < NFLOWS; i++) {
		cr_assert_eq(rtc_embed_route_get(e, &f[i], &one), 0);
		cr_expect_eq(one.present, many[i].present, "flow %d", i);
		cr_expect_eq(one.error, many[i].error, "flow %d", i);
		cr_expect_eq(one.oif, many[i].oif, "flow %d", i);
		cr_expect_eq(one.gateway, many[i].gateway, "flow %d", i);
		cr_expect_eq(one.prefsrc, many[i].prefsrc, "flow %d", i);
		cr_expect_eq(one.table, many[i].table, "flow %d", i);
	}
	cr_assert_eq(rtc_embed_route_get_batch(e, f, many, 0), 0);
	cr_assert_eq(rtc_embed_close(e), 0);
}

/* Wait (bounded) until the notification fd is readable. */
static int
readable(int fd, int ms)
{
	struct pollfd p = { fd, POLLIN, 0 };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

Test(embed, a_change_is_seen_through_the_fd_and_the_generation)
{
	struct rtc_embed *e = open_in_ns();
	struct mnl_socket *nl = kernel_socket();
	struct rtc_flow f = flow("172.16.5.5", NULL, NULL, NULL, 0);
	struct rtc_result o, k;
	uint64_t g0, g1;
	int fd = rtc_embed_notify_fd(e);

	cr_assert_geq(fd, 0);
	cr_assert_eq(rtc_embed_thread_register(e), 0);
	rtc_embed_notify_ack(e);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	cr_assert(o.present & RTC_RES_F_ERROR);
	cr_assert_eq(o.error, ENETUNREACH);
	g0 = rtc_embed_generation(e);
	cr_assert_not(readable(fd, 0), "readable before any change");

	/* a route appears: the fd wakes, the generation moves, the
	 * lookup answers as the kernel, even from the cache */
	rtc_embed_thread_offline(e);
	cr_assert_eq(sh("ip -n %s route add 172.16.0.0/16 via 10.0.2.2", ns),
	    0);
	cr_assert(readable(fd, 5000), "no notification of the new route");
	rtc_embed_thread_online(e);
	g1 = rtc_embed_notify_ack(e);
	cr_assert_neq(g1, g0, "generation unchanged");
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	kernel_get(nl, &f, &k);
	same("after route add", &k, &o);
	cr_assert_eq(o.gateway, htonl(0x0a000202));
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);	/* the hit */
	same("after route add, cached", &k, &o);
	cr_expect_eq(rtc_embed_generation(e), g1, "generation moved alone");

	/* it goes again */
	rtc_embed_thread_offline(e);
	cr_assert_eq(sh("ip -n %s route del 172.16.0.0/16", ns), 0);
	cr_assert(readable(fd, 5000), "no notification of the removal");
	rtc_embed_thread_online(e);
	cr_assert_neq(rtc_embed_notify_ack(e), g1);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	cr_assert_eq(o.error, ENETUNREACH);

	/* a device change too: v2 down takes its routes */
	rtc_embed_thread_offline(e);
	cr_assert_eq(sh("ip -n %s link set v2 down", ns), 0);
	cr_assert(readable(fd, 5000), "no notification of the link");
	rtc_embed_thread_online(e);
	rtc_embed_notify_ack(e);
	f = flow("100.64.1.1", NULL, NULL, NULL, 0);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	kernel_get(nl, &f, &k);
	same("after link down", &k, &o);
	cr_assert_eq(rtc_embed_close(e), 0);
	mnl_socket_close(nl);
}

Test(embed, bad_use_gets_clear_errors)
{
	struct rtc_embed_config cfg;
	struct rtc_embed *e = NULL, *e2 = NULL;
	struct rtc_flow f = flow("10.0.0.5", NULL, NULL, NULL, 0);
	struct rtc_result o;
	int rv;

	/* a namespace that does not exist */
	rtc_embed_config_init(&cfg);
	cfg.netns = "rtce-no-such-namespace";
	cfg.flags = RTC_EMBED_QUIET;
	cr_assert_eq(rtc_embed_open(&e, &cfg), -ENOENT);
	cr_assert_null(e);

	e = open_in_ns();
	/* twice */
	cfg.netns = ns;
	cr_assert_eq(rtc_embed_open(&e2, &cfg), -EBUSY);
	cr_assert_null(e2);
	/* a thread that did not register */
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), -ESRCH);
	cr_assert_eq(rtc_embed_route_get_batch(e, &f, &o, 1), -ESRCH);
	cr_assert_eq(rtc_embed_quiescent(e), -ESRCH);
	cr_assert_eq(rtc_embed_thread_unregister(e), -ESRCH);
	cr_assert_eq(rtc_embed_route_get(e, NULL, &o), -EINVAL);
	cr_assert_eq(rtc_embed_thread_register(e), 0);
	cr_assert_eq(rtc_embed_thread_register(e), -EALREADY);
	/* offline is not registered-and-online */
	cr_assert_eq(rtc_embed_thread_offline(e), 0);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), -ESRCH);
	cr_assert_eq(rtc_embed_thread_online(e), 0);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	cr_assert_eq(rtc_embed_close(e), 0);	/* unregisters us */

	/* open again after close; NOWAIT: -EAGAIN until ready */
	cfg.flags |= RTC_EMBED_NOWAIT;
	cr_assert_eq(rtc_embed_open(&e, &cfg), 0);
	cr_assert_eq(rtc_embed_thread_register(e), 0);
	rv = rtc_embed_route_get(e, &f, &o);
	cr_assert(rv == -EAGAIN || (rv == 0 && rtc_embed_ready(e)),
	    "before ready: %d", rv);
	cr_assert_eq(rtc_embed_wait(e, 20000), 0);
	cr_assert_eq(rtc_embed_route_get(e, &f, &o), 0);
	cr_assert_eq(o.present & RTC_RES_F_ERROR, 0);
	cr_assert_eq(rtc_embed_close(e), 0);
}

Test(embed, no_permission_for_the_namespace_is_eperm)
{
	struct rtc_embed_config cfg;
	struct rtc_embed *e = NULL;
	pid_t pid;
	int st;

	rtc_embed_config_init(&cfg);
	cfg.netns = ns;
	cfg.flags = RTC_EMBED_QUIET;
	if ((pid = fork()) == 0) {
		if (setgid(65534) != 0 || setuid(65534) != 0)
			_exit(2);
		_exit(rtc_embed_open(&e, &cfg) == -EPERM ? 0 : 1);
	}
	cr_assert_gt(pid, 0);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "unprivileged open: not -EPERM (status %#x)", st);
}
