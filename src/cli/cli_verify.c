/* SPDX-License-Identifier: MIT */
/*
 * cli_verify.c - `rtcache verify`: does rtcached answer as the kernel does?
 *
 * Flows are drawn with a seeded generator: half the destinations inside
 * the prefixes the daemon mirrors (from its `route show`), half anywhere;
 * some with a source (mostly a local address, else any), a mark (the
 * rules' fwmarks, else small numbers) or a tos.  The daemon answers them
 * in one pipelined batch; the kernel answers the same flows to
 * RTM_GETROUTE requests over rtnetlink (many requests per sendmsg, so
 * 100k flows take a second), in the namespace the daemon mirrors (the
 * current one, or --netns NAME).  The answers are compared field by
 * field: error, type, table, device, gateway, preferred source.  When the
 * two chose different legs of a multipath route, the daemon's leg only
 * has to be a leg of the route that matched (the longest prefix of that
 * table holding the destination), as the kernel's hash may differ.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "base/nlattr.h"
#include "rtcache/array.h"
#include "base/rt_names.h"
#include "cli/cli.h"

#define VF_MAXLEGS	16

/* A leg of a multipath route; only those routes have any. */
struct vf_leg {
	uint32_t	 gw;
	char		 dev[RTC_IFNAMSIZ];
};

struct vf_route {
	uint32_t	 net;		/* network order */
	uint8_t		 plen;
	uint8_t		 type;		/* RTN_* */
	uint8_t		 nlegs;
	uint32_t	 table;
	size_t		 leg;		/* first in vf_state.legs */
};

struct vf_state {
	struct vf_route		*routes;
	size_t			 nroutes, cap;
	struct vf_leg		*legs;
	size_t			 nlegs, legcap;
	size_t			*sample;	/* routes of the table sampled */
	size_t			 nsample;
	uint32_t		*locals;	/* local addresses, for `from` */
	size_t			 nlocals, lcap;
	uint32_t		 marks[32];
	unsigned int		 nmarks;
	uint8_t			 toses[32];
	unsigned int		 ntoses;
	uint64_t		 rng;
	bool			 nomem;
	struct rtc_result	*dres;		/* daemon answers */
};

/* splitmix64: small, seedable, the same on every machine. */
static uint64_t
vf_rand(struct vf_state *v)
{
	uint64_t z = (v->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The RTN_* a route line begins with (the names the CLI prints), or -1. */
static int
vf_type(const char *w)
{
	uint32_t t;

	if (rt_names_printed(RT_NAMES_TYPE, w, &t) && t != RTN_UNSPEC)
		return (int)t;
	return -1;
}

static bool
vf_prefix(const char *w, uint32_t *net, uint8_t *plen)
{
	char buf[32];
	struct in_addr in;
	char *slash, *end;
	unsigned long l = 32;

	if (strcmp(w, "default") == 0) {
		*net = 0;
		*plen = 0;
		return true;
	}
	snprintf(buf, sizeof(buf), "%s", w);
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash++ = '\0';
		l = strtoul(slash, &end, 10);
		if (*end != '\0' || l > 32)
			return false;
	}
	if (inet_pton(AF_INET, buf, &in) != 1)
		return false;
	*net = in.s_addr;
	*plen = (uint8_t)l;
	return true;
}

static uint32_t
vf_mask(uint8_t plen)
{
	return plen == 0 ? 0 : htonl(0xffffffffU << (32 - plen));
}

/* One line of `ip -4 route show` (or a nexthop line under it). */
static int
vf_route_line(void *arg, const char *line)
{
	struct vf_state *v = arg;
	char buf[RTC_LINE_MAX], *argv[CLI_MAXARGS];
	struct vf_route *r;
	struct vf_leg *lg;
	struct in_addr in;
	int argc, i = 0, t;

	snprintf(buf, sizeof(buf), "%s", line);
	if ((argc = cli_split_line(buf, argv, CLI_MAXARGS)) <= 0)
		return 0;
	if (line[0] == '\t' || line[0] == ' ') {
		/* "nexthop via G dev D weight W" of the route above */
		if (v->nroutes == 0 || strcmp(argv[0], "nexthop") != 0)
			return 0;
		r = &v->routes[v->nroutes - 1];
		if (r->nlegs == VF_MAXLEGS)
			return 0;
		if (array_reserve(&v->legs, &v->legcap, v->nlegs,
		    sizeof(*v->legs), 64) < 0)
			goto nomem;
		lg = &v->legs[v->nlegs++];
		if (r->nlegs++ == 0)
			r->leg = (size_t)(lg - v->legs);
		memset(lg, 0, sizeof(*lg));
		for (i = 1; i + 1 < argc; i++) {
			if (strcmp(argv[i], "via") == 0 &&
			    inet_pton(AF_INET, argv[i + 1], &in) == 1)
				lg->gw = in.s_addr;
			else if (strcmp(argv[i], "dev") == 0)
				snprintf(lg->dev, RTC_IFNAMSIZ, "%s",
				    argv[i + 1]);
		}
		return 0;
	}
	if (array_reserve(&v->routes, &v->cap, v->nroutes, sizeof(*v->routes),
	    1024) < 0)
		goto nomem;
	r = &v->routes[v->nroutes];
	memset(r, 0, sizeof(*r));
	r->type = RTN_UNICAST;
	r->table = RT_TABLE_MAIN;
	if ((t = vf_type(argv[0])) > 0 && argc > 1) {
		r->type = (uint8_t)t;
		i = 1;
	}
	if (!vf_prefix(argv[i], &r->net, &r->plen))
		return 0;
	for (i++; i + 1 < argc; i++)
		if (strcmp(argv[i], "table") == 0 &&
		    cli_table_parse(argv[i + 1], &r->table) < 0)
			r->table = 0;
	if (r->type == RTN_LOCAL && r->plen == 32) {
		if (array_reserve(&v->locals, &v->lcap, v->nlocals,
		    sizeof(*v->locals), 64) < 0)
			goto nomem;
		v->locals[v->nlocals++] = r->net;
	}
	v->nroutes++;
	return 0;
nomem:
	v->nomem = true;
	return -ENOMEM;
}

/* `ip rule show` lines: remember fwmarks and tos values to draw. */
static int
vf_rule_line(void *arg, const char *line)
{
	struct vf_state *v = arg;
	char buf[RTC_LINE_MAX], *argv[CLI_MAXARGS];
	unsigned long n;
	int argc, i;

	snprintf(buf, sizeof(buf), "%s", line);
	if ((argc = cli_split_line(buf, argv, CLI_MAXARGS)) <= 0)
		return 0;
	for (i = 0; i + 1 < argc; i++) {
		n = strtoul(argv[i + 1], NULL, 0);
		if (strcmp(argv[i], "fwmark") == 0 && v->nmarks < 32)
			v->marks[v->nmarks++] = (uint32_t)n;
		else if ((strcmp(argv[i], "tos") == 0 ||
		    strcmp(argv[i], "dsfield") == 0) && v->ntoses < 32)
			v->toses[v->ntoses++] = (uint8_t)strtoul(argv[i + 1],
			    NULL, 16);
	}
	return 0;
}

static void
vf_draw(struct vf_state *v, struct rtc_flow *fl)
{
	static const uint8_t toses[] = { 0x04, 0x08, 0x10, 0x18, 0x1c };
	const struct vf_route *r;
	uint64_t x = vf_rand(v);
	uint32_t host;

	memset(fl, 0, sizeof(*fl));
	if ((x & 1) && v->nsample > 0) {
		r = &v->routes[v->sample[vf_rand(v) % v->nsample]];
		host = (uint32_t)vf_rand(v) & ~vf_mask(r->plen);
		/* sometimes the network or broadcast address itself */
		if ((x & 0x30) == 0x10)
			host = 0;
		else if ((x & 0x30) == 0x20)
			host = ~vf_mask(r->plen);
		fl->dst = r->net | host;
	} else
		fl->dst = (uint32_t)vf_rand(v);
	if (((x >> 8) & 3) == 0) {
		fl->present |= RTC_FLOW_F_SRC;
		if (v->nlocals > 0 && ((x >> 10) & 7) != 0)
			fl->src = v->locals[vf_rand(v) % v->nlocals];
		else
			fl->src = (uint32_t)vf_rand(v);
	}
	if (((x >> 13) & 3) == 0) {
		fl->present |= RTC_FLOW_F_MARK;
		if (v->nmarks > 0 && ((x >> 15) & 3) != 0)
			fl->mark = v->marks[vf_rand(v) % v->nmarks];
		else
			fl->mark = (uint32_t)(vf_rand(v) % 8);
	}
	if (((x >> 17) & 7) == 0) {
		fl->present |= RTC_FLOW_F_TOS;
		if (v->ntoses > 0 && ((x >> 20) & 1))
			fl->tos = v->toses[vf_rand(v) % v->ntoses];
		else
			fl->tos = toses[vf_rand(v) % sizeof(toses)];
	}
}

static int
vf_answer_cb(void *arg, size_t index, const struct rtc_result *res)
{
	struct vf_state *v = arg;

	v->dres[index] = *res;
	return 0;
}

/* --- the kernel's answers ------------------------------------------------ */

/*
 * RTM_GETROUTE requests per sendmsg.  Each reply is a whole
 * NLMSG_GOODSIZE skb in our receive queue, and a reply that does not fit
 * is dropped without a word, so few at a time, with a large buffer.
 */
#define VF_CHUNK	16
#define VF_RCVBUF	(4 << 20)
#define VF_TIMEOUT_MS	5000

struct vf_kernel {
	struct mnl_socket	*nl;
	struct rtc_result	*kres;
	size_t			 base;		/* flow index of seq 1 */
	size_t			 n;
	size_t			 got;
};

/* What a kernel answer to RTM_GETROUTE carries that we compare. */
#define U32	{ MNL_TYPE_U32, 0, 0 }
static const struct nlattr_pol vf_route_pol[] = {
	[RTA_DST]	= U32,
	[RTA_SRC]	= U32,
	[RTA_IIF]	= U32,
	[RTA_OIF]	= U32,
	[RTA_GATEWAY]	= U32,
	[RTA_PREFSRC]	= U32,
	[RTA_TABLE]	= U32,
	[RTA_MARK]	= U32,
	[RTA_UID]	= U32,
};
#undef U32

/* An RTM_NEWROUTE reply as the daemon would have sent it. */
static void
vf_kernel_result(const struct nlmsghdr *nlh, struct rtc_result *res)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[NLATTR_MAX(vf_route_pol) + 1];

	memset(res, 0, sizeof(*res));
	if (!nlattr_msg_fits(nlh, sizeof(*rtm)))
		return;
	/* a malformed answer keeps what came before the fault, and then
	 * differs from the daemon's */
	(void)nlattr_parse_msg(nlh, sizeof(*rtm), vf_route_pol,
	    NLATTR_MAX(vf_route_pol), tb);
	res->present = RTC_RES_F_TYPE | RTC_RES_F_TABLE | RTC_RES_F_FLAGS;
	res->type = rtm->rtm_type;
	res->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) :
	    rtm->rtm_table;
	res->flags = rtm->rtm_flags;
#define GET(rta, bit, field)						\
	if (tb[rta] != NULL) {						\
		res->field = mnl_attr_get_u32(tb[rta]);			\
		res->present |= bit;					\
	}
	GET(RTA_DST, RTC_RES_F_DST, dst);
	GET(RTA_SRC, RTC_RES_F_SRC, src);
	GET(RTA_PREFSRC, RTC_RES_F_PREFSRC, prefsrc);
	GET(RTA_GATEWAY, RTC_RES_F_GATEWAY, gateway);
	GET(RTA_OIF, RTC_RES_F_OIF, oif);
	GET(RTA_IIF, RTC_RES_F_IIF, iif);
	GET(RTA_MARK, RTC_RES_F_MARK, mark);
	GET(RTA_UID, RTC_RES_F_UID, uid);
#undef GET
	if ((res->present & RTC_RES_F_OIF) &&
	    if_indextoname(res->oif, res->oifname) != NULL)
		res->present |= RTC_RES_F_OIFNAME;
}

static int
vf_kernel_msg(const struct nlmsghdr *nlh, void *data)
{
	struct vf_kernel *k = data;
	const struct nlmsgerr *e;
	struct rtc_result *res;
	size_t i;

	if (nlh->nlmsg_seq == 0 || nlh->nlmsg_seq > k->n)
		return 0;
	i = k->base + nlh->nlmsg_seq - 1;
	res = &k->kres[i];
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (!nlattr_msg_fits(nlh, sizeof(*e)))
			return 0;
		e = mnl_nlmsg_get_payload(nlh);
		if (e->error == 0)
			return 0;	/* an ack: none asked */
		memset(res, 0, sizeof(*res));
		res->present = RTC_RES_F_ERROR;
		res->error = (uint32_t)-e->error;
	} else if (nlh->nlmsg_type == RTM_NEWROUTE)
		vf_kernel_result(nlh, res);
	else
		return 0;
	k->got++;
	return 0;
}

/* Ask the kernel about @n flows starting at @flows[base]. */
static int
vf_kernel_chunk(struct vf_kernel *k, const struct rtc_flow *flows,
    size_t base, size_t n)
{
	static char buf[VF_CHUNK * 128];
	static char rbuf[1 << 17];
	struct pollfd pfd;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	size_t i, off = 0;
	ssize_t len;

	for (i = 0; i < n; i++) {
		const struct rtc_flow *fl = &flows[base + i];

		nlh = mnl_nlmsg_put_header(buf + off);
		nlh->nlmsg_type = RTM_GETROUTE;
		nlh->nlmsg_flags = NLM_F_REQUEST;
		nlh->nlmsg_seq = (uint32_t)(i + 1);
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = AF_INET;
		rtm->rtm_dst_len = 32;
		/* as ip route get: the table that answered, not just main */
		rtm->rtm_flags = RTM_F_LOOKUP_TABLE;
		mnl_attr_put_u32(nlh, RTA_DST, fl->dst);
		if (fl->present & RTC_FLOW_F_SRC) {
			rtm->rtm_src_len = 32;
			mnl_attr_put_u32(nlh, RTA_SRC, fl->src);
		}
		if (fl->present & RTC_FLOW_F_TOS)
			rtm->rtm_tos = fl->tos;
		if (fl->present & RTC_FLOW_F_MARK)
			mnl_attr_put_u32(nlh, RTA_MARK, fl->mark);
		off += nlh->nlmsg_len;
	}
	k->base = base;
	k->n = n;
	k->got = 0;
	if (mnl_socket_sendto(k->nl, buf, off) < 0)
		return -errno;
	while (k->got < n) {
		pfd.fd = mnl_socket_get_fd(k->nl);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, VF_TIMEOUT_MS) == 0)
			return -ETIMEDOUT;	/* a reply was dropped */
		if ((len = mnl_socket_recvfrom(k->nl, rbuf, sizeof(rbuf))) < 0)
			return -errno;
		/* not mnl_cb_run(): it stops at the first NLMSG_ERROR, and
		 * each error here answers one flow */
		(void)nlmsg_walk(rbuf, (size_t)len, vf_kernel_msg, k);
	}
	return 0;
}

static int
vf_setns(const char *name, FILE *err)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(err, "rtcache: verify: %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		fprintf(err, "rtcache: verify: setns %s: %s\n", name,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* --- comparing ---------------------------------------------------------- */

/* The longest prefix of @table holding @dst (a multipath one matters). */
static const struct vf_route *
vf_match(const struct vf_state *v, uint32_t table, uint32_t dst)
{
	const struct vf_route *best = NULL, *r;
	size_t i;

	for (i = 0; i < v->nroutes; i++) {
		r = &v->routes[i];
		if (r->table != table || ((dst ^ r->net) & vf_mask(r->plen)))
			continue;
		if (best == NULL || r->plen > best->plen)
			best = r;
	}
	return best;
}

static bool
vf_is_leg(const struct vf_state *v, const struct vf_route *r,
    const struct rtc_result *res)
{
	const struct vf_leg *lg = &v->legs[r->leg];
	unsigned int i;

	for (i = 0; i < r->nlegs; i++)
		if (lg[i].gw == ((res->present & RTC_RES_F_GATEWAY) ?
		    res->gateway : 0) && strcmp(lg[i].dev, res->oifname) == 0)
			return true;
	return false;
}

static const char *
vf_dev(const struct rtc_result *r)
{
	return (r->present & RTC_RES_F_OIFNAME) ? r->oifname : "";
}

static bool
vf_same_dev(const struct rtc_result *d, const struct rtc_result *k)
{
	if (!(d->present & RTC_RES_F_OIFNAME) && (d->present & RTC_RES_F_OIF))
		return (k->present & RTC_RES_F_OIF) && d->oif == k->oif;
	return strcmp(vf_dev(d), vf_dev(k)) == 0;
}

/*
 * 0 agree, 1 agree on another leg of a multipath route, -1 differ (with
 * @why naming the first field that differs).
 */
static int
vf_compare(const struct vf_state *v, const struct rtc_result *d,
    const struct rtc_result *k, const char **why)
{
	uint8_t dt = (d->present & RTC_RES_F_TYPE) ? d->type : RTN_UNICAST;
	const struct vf_route *r;
	bool leg = false;

	*why = "error";
	if ((d->present & RTC_RES_F_ERROR) || (k->present & RTC_RES_F_ERROR))
		return (d->present & k->present & RTC_RES_F_ERROR) &&
		    d->error == k->error ? 0 : -1;
	*why = "type";
	if (dt != k->type)
		return -1;
	*why = "table";
	if (d->table != k->table)
		return -1;
	if (!vf_same_dev(d, k) ||
	    (d->present & RTC_RES_F_GATEWAY) !=
	    (k->present & RTC_RES_F_GATEWAY) ||
	    d->gateway != k->gateway) {
		*why = "dev/gateway";
		r = vf_match(v, k->table, k->dst);
		if (r == NULL || r->nlegs < 2 || !vf_is_leg(v, r, d) ||
		    !vf_is_leg(v, r, k))
			return -1;
		leg = true;
	}
	*why = "prefsrc";
	if (!leg && ((d->present & RTC_RES_F_PREFSRC) !=
	    (k->present & RTC_RES_F_PREFSRC) || d->prefsrc != k->prefsrc))
		return -1;
	return leg ? 1 : 0;
}

static void
vf_flow_text(struct cli_buf *b, const struct rtc_flow *fl)
{
	cli_buf_puts(b, "route get ");
	cli_buf_addr(b, fl->dst);
	if (fl->present & RTC_FLOW_F_SRC) {
		cli_buf_puts(b, " from ");
		cli_buf_addr(b, fl->src);
	}
	if (fl->present & RTC_FLOW_F_TOS) {
		char t[8];

		snprintf(t, sizeof(t), "0x%02x", fl->tos);
		cli_buf_puts(b, " tos ");
		cli_buf_puts(b, t);
	}
	if (fl->present & RTC_FLOW_F_MARK) {
		cli_buf_puts(b, " mark ");
		cli_buf_u64(b, fl->mark);
	}
}

static void
vf_answer_text(struct cli_buf *b, const char *who, const struct rtc_result *r)
{
	struct rtc_result c = *r;
	size_t start;

	cli_buf_puts(b, who);
	if (r->present & RTC_RES_F_ERROR) {
		cli_buf_puts(b, "RTNETLINK answers: ");
		cli_buf_puts(b, strerror((int)r->error));
		cli_buf_putc(b, '\n');
		return;
	}
	c.present &= ~RTC_RES_F_UID;
	start = b->len;
	cli_format_route(b, &c, 1);
	/* one line: "\n    cache" becomes " cache" */
	for (; start < b->len - 1; start++)
		if (b->p[start] == '\n') {
			memmove(b->p + start, b->p + start + 4,
			    b->len - start - 4);
			b->len -= 4;
			b->p[start] = ' ';
		}
}

/**
 * cli_verify - draw flows, ask rtcached and the kernel, compare
 *
 * Return: CLI_EXIT_OK when every answer agrees, CLI_EXIT_FAIL when some
 * differ, CLI_EXIT_LOOKUP when a side could not be asked.
 */
int
cli_verify(struct rtc_client *c, const struct cli_cmd *cmd, FILE *out,
    FILE *err)
{
	struct vf_state v = { 0 };
	struct vf_kernel k = { NULL, NULL, 0, 0, 0 };
	struct rtc_flow *flows = NULL;
	struct cli_buf b;
	size_t n = cmd->samples, i, agree = 0, legs = 0, bad = 0;
	const char *why;
	int rv, rcvbuf, status = CLI_EXIT_LOOKUP;

	cli_buf_init(&b);
	v.rng = cmd->seed;
	/* every table: a multipath leg may sit outside the one sampled */
	if ((rv = rtc_route_show(c, RTC_TABLE_ALL, vf_route_line, &v)) < 0 ||
	    (rv = rtc_rule_show(c, vf_rule_line, &v)) < 0) {
		fprintf(err, "rtcache: verify: %s\n", v.nomem ?
		    "out of memory" : rtc_errmsg(c));
		goto out;
	}
	if ((v.sample = calloc(v.nroutes ? v.nroutes : 1,
	    sizeof(*v.sample))) == NULL) {
		fprintf(err, "rtcache: verify: out of memory\n");
		goto out;
	}
	for (i = 0; i < v.nroutes; i++)
		if (cmd->table == 0 || v.routes[i].table == cmd->table)
			v.sample[v.nsample++] = i;
	if ((flows = calloc(n ? n : 1, sizeof(*flows))) == NULL ||
	    (v.dres = calloc(n ? n : 1, sizeof(*v.dres))) == NULL ||
	    (k.kres = calloc(n ? n : 1, sizeof(*k.kres))) == NULL) {
		fprintf(err, "rtcache: verify: out of memory\n");
		goto out;
	}
	for (i = 0; i < n; i++)
		vf_draw(&v, &flows[i]);
	if ((rv = rtc_route_get_batch(c, flows, n, vf_answer_cb, &v)) < 0) {
		fprintf(err, "rtcache: verify: rtcached: %s\n", rtc_errmsg(c));
		goto out;
	}
	if (cmd->netns[0] != '\0' && vf_setns(cmd->netns, err) < 0)
		goto out;
	if ((k.nl = mnl_socket_open(NETLINK_ROUTE)) == NULL ||
	    mnl_socket_bind(k.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(err, "rtcache: verify: netlink: %s\n", strerror(errno));
		goto out;
	}
	rcvbuf = VF_RCVBUF;
	if (setsockopt(mnl_socket_get_fd(k.nl), SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcvbuf, sizeof(rcvbuf)) < 0)
		(void)setsockopt(mnl_socket_get_fd(k.nl), SOL_SOCKET,
		    SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	for (i = 0; i < n; i += VF_CHUNK)
		if ((rv = vf_kernel_chunk(&k, flows, i, n - i < VF_CHUNK ?
		    n - i : VF_CHUNK)) < 0) {
			fprintf(err, "rtcache: verify: RTM_GETROUTE: %s\n",
			    strerror(-rv));
			goto out;
		}
	for (i = 0; i < n; i++) {
		switch (vf_compare(&v, &v.dres[i], &k.kres[i], &why)) {
		case 0:
			agree++;
			continue;
		case 1:
			agree++;
			legs++;
			continue;
		}
		bad++;
		cli_buf_puts(&b, "mismatch (");
		cli_buf_puts(&b, why);
		cli_buf_puts(&b, "): ");
		vf_flow_text(&b, &flows[i]);
		cli_buf_putc(&b, '\n');
		vf_answer_text(&b, "  rtcached: ", &v.dres[i]);
		vf_answer_text(&b, "  kernel:   ", &k.kres[i]);
		cli_buf_write(&b, out);
	}
	fprintf(out, "verify: %zu flows, %zu agree (%zu on another leg of a "
	    "multipath route), %zu differ; %zu prefixes, seed %llu\n", n,
	    agree, legs, bad, v.nroutes, (unsigned long long)cmd->seed);
	status = bad == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
out:
	if (k.nl != NULL)
		mnl_socket_close(k.nl);
	cli_buf_free(&b);
	free(flows);
	free(v.dres);
	free(k.kres);
	free(v.routes);
	free(v.legs);
	free(v.sample);
	free(v.locals);
	return status;
}
