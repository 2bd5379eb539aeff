/* SPDX-License-Identifier: MIT */
/*
 * nl_ask.c - asking the kernel what `ip route get` answers: one
 * RTM_GETROUTE carrying a flow's keys, and the device, gateway, table
 * and type of the answer.  It is the FIB's FIB_MP_ASK hook
 * (fib_mp_set_ask) for multipath legs when the namespace's hash seed is
 * random and unreadable, the multipath self-test's oracle (nl_mp.c),
 * and how the mirror learns the one piece of history that changes
 * answers and that no dump shows: whether policy rules were ever
 * changed (nl_ask_custom_rules).
 *
 * A lookup thread that misses asks on a NETLINK_ROUTE socket of its own,
 * made on its first question inside the mirrored namespace (by a
 * short-lived thread that setns()es there, as the mirror's sockets are)
 * and closed when the thread exits.  Questions block, with a timeout:
 * they are on the miss path only, and the kernel answers in tens of
 * microseconds.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "rtcache/compiler.h"
#include "base/nlattr.h"
#include "netlink/nl_internal.h"

#define NL_ASK_TIMEOUT_MS	1000
#define NL_ASK_BUF		8192
#define INVALID_UID		0xffffffffU

/* ------------------------------------------------------- the question */

/* The request `ip route get` would send for @fl4. */
static size_t
ask_build(char *buf, uint32_t seq, const struct flowi4 *fl4, int input)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_src_len = fl4->saddr != 0 ? 32 : 0;
	rtm->rtm_tos = fl4->flowi4_tos;
	rtm->rtm_flags = RTM_F_LOOKUP_TABLE;	/* the table that answered */
	mnl_attr_put_u32(nlh, RTA_DST, fl4->daddr);
	if (fl4->saddr != 0)
		mnl_attr_put_u32(nlh, RTA_SRC, fl4->saddr);
	if (input)
		mnl_attr_put_u32(nlh, RTA_IIF, (uint32_t)fl4->flowi4_iif);
	if (fl4->flowi4_mark != 0)
		mnl_attr_put_u32(nlh, RTA_MARK, fl4->flowi4_mark);
	if (fl4->flowi4_uid != INVALID_UID && !input)
		mnl_attr_put_u32(nlh, RTA_UID, fl4->flowi4_uid);
	/* getroute takes these three; without one it routes UDP */
	if (fl4->flowi4_proto == IPPROTO_TCP ||
	    fl4->flowi4_proto == IPPROTO_UDP ||
	    fl4->flowi4_proto == IPPROTO_ICMP)
		mnl_attr_put_u8(nlh, RTA_IP_PROTO, fl4->flowi4_proto);
	if (fl4->fl4_sport != 0)
		mnl_attr_put_u16(nlh, RTA_SPORT, fl4->fl4_sport);
	if (fl4->fl4_dport != 0)
		mnl_attr_put_u16(nlh, RTA_DPORT, fl4->fl4_dport);
	return nlh->nlmsg_len;
}

static const struct nlattr_pol answer_pol[] = {
	[RTA_OIF]	= { MNL_TYPE_U32, 0, 0 },
	[RTA_GATEWAY]	= { MNL_TYPE_U32, 0, 0 },
	[RTA_TABLE]	= { MNL_TYPE_U32, 0, 0 },
};

/* One reply message: 0 with the answer, -errno, or 1 (not ours: skip). */
static int
ask_answer(const struct nlmsghdr *nlh, uint32_t seq, struct nl_answer *a)
{
	const struct nlattr *tb[NLATTR_MAX(answer_pol) + 1];
	const struct nlmsgerr *e;
	const struct rtmsg *rtm;

	if (nlh->nlmsg_seq != seq)
		return 1;		/* an answer that came too late */
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
			return -EBADMSG;
		e = mnl_nlmsg_get_payload(nlh);
		return e->error != 0 ? e->error : -ENOMSG;
	}
	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    !nlattr_msg_fits(nlh, sizeof(struct rtmsg)) ||
	    nlattr_parse_msg(nlh, sizeof(struct rtmsg), answer_pol,
	    NLATTR_MAX(answer_pol), tb) < 0)
		return -EBADMSG;
	if (tb[RTA_OIF] == NULL)
		return -ENOENT;
	rtm = mnl_nlmsg_get_payload(nlh);
	a->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	a->gw = tb[RTA_GATEWAY] != NULL ? mnl_attr_get_u32(tb[RTA_GATEWAY]) : 0;
	a->table = tb[RTA_TABLE] != NULL ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	a->type = rtm->rtm_type;
	return 0;
}

/**
 * nl_ask_route - ask on @fd (blocking, with a receive timeout) what the
 * kernel answers for @fl4: device, gateway (0: direct), table, type.
 * Return: 0, the kernel's -errno for the flow, -ETIMEDOUT, or -errno of
 * the socket.
 */
int
nl_ask_route(int fd, uint32_t *seqp, const struct flowi4 *fl4, int input,
    struct nl_answer *a)
{
	char buf[NL_ASK_BUF] __attribute__((aligned(8)));
	uint32_t seq = ++*seqp;
	size_t len = ask_build(buf, seq, fl4, input);
	ssize_t n;
	int rv;

	if (send(fd, buf, len, 0) < 0)
		return -errno;
	for (;;) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
		int left;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		for (left = (int)n; mnl_nlmsg_ok(nlh, left);
		    nlh = mnl_nlmsg_next(nlh, &left))
			if ((rv = ask_answer(nlh, seq, a)) <= 0)
				return rv;
	}
}

/* nl_ask_route's device and gateway: the multipath leg. */
int
nl_ask_leg(int fd, uint32_t *seqp, const struct flowi4 *fl4, int input,
    int *oif, uint32_t *gw)
{
	struct nl_answer a;
	int rv = nl_ask_route(fd, seqp, fl4, input, &a);

	if (rv == 0) {
		*oif = a.oif;
		*gw = a.gw;
	}
	return rv;
}

/* ------------------------------------------------- the rules' history */

/* An address of table local's to ask about: a local /32 route's. */
static int
local_route_cb(const struct fib_config *cfg, void *arg)
{
	uint32_t *addr = arg;

	if (cfg->fc_type != RTN_LOCAL || cfg->fc_dst_len != 32)
		return 0;
	*addr = cfg->fc_dst;
	return 1;
}

/*
 * nl_ask_custom_rules - has a policy rule ever been added or deleted in
 * the namespace?  The kernel then keeps tables local and main apart for
 * good (fib_unmerge; net->ipv4.fib_has_custom_rules never goes back),
 * names table local in answers and checks sources in full; nothing
 * exports it, and it may predate the mirror.  So the mirror asks after
 * each sync and each batch with rule events, until it knows: the route
 * to one of our local addresses; an answer from table local sets
 * fib_rules_custom, one from main says not yet.  With no local route to
 * ask about (no address on a device that is up), it asks again after
 * the next batch.
 */
void
nl_ask_custom_rules(struct mirror *m)
{
	struct nl_answer a;
	struct flowi4 fl4;
	uint32_t addr = 0;
	int rv;

	if (READ_ONCE(fib_rules_custom)) {
		m->rules_ask = 0;
		return;
	}
	fib_route_walk(RT_TABLE_LOCAL, local_route_cb, &addr);
	if (addr == 0 || m->ask_fd < 0)
		return;
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = addr;
	rv = nl_ask_route(m->ask_fd, &m->ask_seq, &fl4, 0, &a);
	if (rv < 0) {
		nl_log_rl(LOG_WARNING, "netlink: asking the kernel about "
		    "rules: %s", strerror(-rv));
		return;
	}
	m->rules_ask = 0;
	if (a.type == RTN_LOCAL && a.table == RT_TABLE_LOCAL) {
		fib_rules_set_custom();
		nl_log(LOG_INFO, "netlink: the kernel keeps tables local and "
		    "main apart (policy rules were changed): answers name "
		    "table local");
	}
}

/* ---------------------------------------------------- sockets per thread */

static char ask_netns[4096];	/* "": ours; under ask_netns_lock */
static pthread_mutex_t ask_netns_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t ask_key;
static pthread_once_t ask_once = PTHREAD_ONCE_INIT;

struct ask_sock {
	int		 fd;
	uint32_t	 seq;
};

static __thread struct ask_sock *ask_self;

static void
ask_sock_free(void *p)
{
	struct ask_sock *s = p;

	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

static void
ask_key_make(void)
{
	pthread_key_create(&ask_key, ask_sock_free);
}

/* A blocking NETLINK_ROUTE socket with a receive timeout, here. */
static int
ask_socket_here(void)
{
	struct timeval tv = { NL_ASK_TIMEOUT_MS / 1000,
	    (NL_ASK_TIMEOUT_MS % 1000) * 1000 };
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd;

	if ((fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
	    NETLINK_ROUTE)) < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int rv = -errno;

		close(fd);
		return rv;
	}
	return fd;
}

struct ask_open {
	const char	*path;
	int		 fd;
};

static void *
ask_open_thread(void *arg)
{
	struct ask_open *o = arg;
	int nsfd = open(o->path, O_RDONLY | O_CLOEXEC);

	if (nsfd < 0) {
		o->fd = -errno;
		return NULL;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0)
		o->fd = -errno;
	else
		o->fd = ask_socket_here();
	close(nsfd);
	return NULL;
}

/* A socket for questions in the mirrored namespace: fd or -errno.
 * (Once per thread: the lock is off the lookup path.) */
int
nl_ask_socket(void)
{
	char path[sizeof(ask_netns)];
	struct ask_open o = { path, -EINVAL };
	pthread_t t;
	int rv;

	pthread_mutex_lock(&ask_netns_lock);
	memcpy(path, ask_netns, sizeof(path));
	pthread_mutex_unlock(&ask_netns_lock);
	if (path[0] == '\0')
		return ask_socket_here();
	if ((rv = pthread_create(&t, NULL, ask_open_thread, &o)) != 0)
		return -rv;
	pthread_join(t, NULL);
	return o.fd;
}

void
nl_ask_set_netns(const char *path)
{
	pthread_mutex_lock(&ask_netns_lock);
	snprintf(ask_netns, sizeof(ask_netns), "%s", path != NULL ? path : "");
	pthread_mutex_unlock(&ask_netns_lock);
}

/*
 * nl_ask_kernel - the FIB's FIB_MP_ASK hook: the kernel's leg for @fl4
 * on the calling thread's own socket.
 */
int
nl_ask_kernel(const struct flowi4 *fl4, int input, int *oif, uint32_t *gw)
{
	struct ask_sock *s = ask_self;
	int fd;

	if (s == NULL) {
		pthread_once(&ask_once, ask_key_make);
		if ((fd = nl_ask_socket()) < 0)
			return fd;
		if ((s = calloc(1, sizeof(*s))) == NULL) {
			close(fd);
			return -ENOMEM;
		}
		s->fd = fd;
		pthread_setspecific(ask_key, s);
		ask_self = s;
	}
	return nl_ask_leg(s->fd, &s->seq, fl4, input, oif, gw);
}
