/* SPDX-License-Identifier: MIT */
/*
 * rtc_client.c - librtcache's calls (include/rtcache/client.h): one
 * connection to rtcached, its requests and the reading of their replies.
 *
 * The socket is non-blocking and every wait is a poll() with the client's
 * timeout, so a silent or misbehaving daemon costs a timeout, never a
 * hang.  Every reply is checked by rtc_msg_parse() and against the request
 * it answers (sequence number, reply type, result count and order).  A
 * violation leaves the connection in an unknown state: the client marks
 * itself broken and later calls fail with -EPIPE.
 *
 * Batches are pipelined with a small window of request messages in
 * flight; sending and reading are driven by one poll loop, so neither side
 * can fill its socket buffer while waiting for the other to read.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>
#include <libmnl/libmnl.h>

#include "lib/proto_internal.h"

#include "rtcache/client.h"

#define RTC_TIMEOUT_MS		30000	/* default inactivity timeout */
#define RTC_WINDOW		4	/* batch request messages in flight */
#define RTC_BATCH_DEFAULT	2048	/* flows per batch message */

struct rtc_client {
	int		 fd;
	int		 timeout_ms;	/* <0: wait forever */
	unsigned int	 batch;		/* flows per request message */
	uint32_t	 seq;		/* last sequence number used */
	bool		 broken;	/* protocol state unknown: refuse */
	char		 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	char		 errmsg[RTC_ERRMSG_MAX + 128];
	/* rtc_route_get's answer texts, kept until the next call */
	char		 res_fib[RTC_FIB_MAX];
	char		 res_errmsg[RTC_ERRMSG_MAX];
	/* netlink headers are read in place: keep the buffers aligned */
	unsigned char	 rbuf[RTC_MSG_MAX]	/* one received message */
	    __attribute__((aligned(8)));
	unsigned char	 sbuf[RTC_MSG_MAX]	/* one request being built */
	    __attribute__((aligned(8)));
};

static int
rtc_fail(struct rtc_client *c, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->errmsg, sizeof(c->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/* The connection can no longer be trusted to be in step. */
static int
rtc_break(struct rtc_client *c, int err, const char *fmt, const char *what)
{
	c->broken = true;
	return rtc_fail(c, err, fmt, what);
}

/**
 * rtc_default_path - the control socket to use when none is given
 *
 * Root uses RTC_SOCK_PATH.  Others use $XDG_RUNTIME_DIR/rtcached.sock when
 * that socket exists (a daemon run by the user), else RTC_SOCK_PATH (the
 * system daemon).  Return: @buf.
 */
const char *
rtc_default_path(char *buf, size_t size)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	snprintf(buf, size, "%s", RTC_SOCK_PATH);
	if (geteuid() == 0 || xdg == NULL || *xdg == '\0')
		return buf;
	snprintf(buf, size, "%s/%s", xdg, RTC_SOCK_NAME);
	if (stat(buf, &st) == 0 && S_ISSOCK(st.st_mode))
		return buf;
	snprintf(buf, size, "%s", RTC_SOCK_PATH);
	return buf;
}

/**
 * rtc_connect - connect to rtcached
 * @path: the socket, or NULL for rtc_default_path()
 *
 * Return: 0 with *@cp set, or -errno (-ENOENT, -ECONNREFUSED: no daemon;
 * -EACCES: no permission; -ENAMETOOLONG; -ENOMEM).  On failure *@cp is
 * NULL.
 */
int
rtc_connect(struct rtc_client **cp, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct timeval tv = { RTC_TIMEOUT_MS / 1000, 0 };
	struct rtc_client *c;
	char def[sizeof(sun.sun_path)];
	int err;

	*cp = NULL;
	if (path == NULL)
		path = rtc_default_path(def, sizeof(def));
	if (strlen(path) >= sizeof(sun.sun_path) || *path == '\0')
		return -ENAMETOOLONG;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -ENOMEM;
	strcpy(c->path, path);
	strcpy(sun.sun_path, path);
	c->timeout_ms = RTC_TIMEOUT_MS;
	c->batch = RTC_BATCH_DEFAULT;
	if ((c->fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0)
		goto fail_free;
	/* connect() waits on a full backlog: bound it like the rest. */
	(void)setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
		goto fail_close;
	if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0)
		goto fail_close;
	*cp = c;
	return 0;

fail_close:
	err = errno;
	close(c->fd);
	errno = err;
fail_free:
	err = errno;
	free(c);
	return -err;
}

void
rtc_close(struct rtc_client *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c);
}

const char *
rtc_errmsg(const struct rtc_client *c)
{
	return c->errmsg;
}

const char *
rtc_path(const struct rtc_client *c)
{
	return c->path;
}

int
rtc_fd(const struct rtc_client *c)
{
	return c->fd;
}

void
rtc_set_timeout(struct rtc_client *c, int ms)
{
	c->timeout_ms = ms;
}

void
rtc_set_batch(struct rtc_client *c, unsigned int flows)
{
	if (flows == 0)
		flows = RTC_BATCH_DEFAULT;
	c->batch = flows > RTC_BATCH_MAX ? RTC_BATCH_MAX : flows;
}

/* Wait for @events; returns the revents or -errno. */
static int
rtc_wait(struct rtc_client *c, short events)
{
	struct pollfd pfd = { .fd = c->fd, .events = events };
	int n;

	do
		n = poll(&pfd, 1, c->timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return rtc_fail(c, -errno, "poll: %s", strerror(errno));
	if (n == 0)
		return rtc_break(c, -ETIMEDOUT, "%s", "no answer from rtcached");
	return pfd.revents;
}

/* Send one message, -EAGAIN when @block is false and it would block. */
static int
rtc_send(struct rtc_client *c, const struct nlmsghdr *nlh, bool block)
{
	ssize_t n;
	int rv;

	for (;;) {
		n = send(c->fd, nlh, nlh->nlmsg_len, MSG_NOSIGNAL |
		    MSG_DONTWAIT);
		if (n == (ssize_t)nlh->nlmsg_len)
			return 0;
		if (n >= 0)
			return rtc_break(c, -EIO, "%s", "short send");
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return rtc_break(c, -errno, "send: %s",
			    strerror(errno));
		if (!block)
			return -EAGAIN;
		if ((rv = rtc_wait(c, POLLOUT)) < 0)
			return rv;
	}
}

/*
 * Receive and check one reply message into c->rbuf; -EAGAIN when @block
 * is false and nothing is waiting.
 */
static int
rtc_recv(struct rtc_client *c, struct rtc_msg *m, bool block)
{
	struct iovec iov = { c->rbuf, sizeof(c->rbuf) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	const char *why;
	ssize_t n;
	int rv;

	for (;;) {
		n = recvmsg(c->fd, &mh, MSG_DONTWAIT);
		if (n > 0)
			break;
		if (n == 0)
			return rtc_break(c, -ECONNRESET, "%s",
			    "rtcached closed the connection");
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return rtc_break(c, -errno, "recv: %s",
			    strerror(errno));
		if (!block)
			return -EAGAIN;
		if ((rv = rtc_wait(c, POLLIN)) < 0)
			return rv;
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))
		return rtc_break(c, -EMSGSIZE, "%s",
		    "reply longer than the protocol allows");
	/* results are decoded, and so checked, by rtc_batch_reply() */
	if ((rv = rtcp_msg_parse(c->rbuf, (size_t)n, 0, m, &why, false)) < 0)
		return rtc_break(c, -EPROTO, "bad reply from rtcached: %s", why);
	return 0;
}

/* Record an ERROR reply; returns its -errno. */
static int
rtc_error_reply(struct rtc_client *c, const struct rtc_msg *m)
{
	uint32_t err = mnl_attr_get_u32(m->tb[RTC_A_ERRNO]);

	if (err == 0 || err > 4095)
		err = EIO;
	if (m->tb[RTC_A_ERRMSG] != NULL)
		rtc_fail(c, 0, "%s", mnl_attr_get_str(m->tb[RTC_A_ERRMSG]));
	else
		rtc_fail(c, 0, "%s", strerror((int)err));
	return -(int)err;
}

typedef int (*rtc_reply_fn)(struct rtc_client *c, const struct rtc_msg *m,
    void *arg);

/*
 * Send the request in c->sbuf and read its replies, handing each message
 * of type @reply to @fn.  A negative return of @fn stops the calls; the
 * rest of the reply is still read.  Return: 0, @fn's error, or -errno.
 */
static int
rtc_transact(struct rtc_client *c, uint16_t reply, rtc_reply_fn fn,
    void *arg)
{
	const struct nlmsghdr *req = (const struct nlmsghdr *)c->sbuf;
	struct rtc_msg m;
	int rv, cbrv = 0;

	if (c->broken)
		return rtc_fail(c, -EPIPE, "%s",
		    "connection unusable after an earlier error");
	if ((rv = rtc_send(c, req, true)) < 0)
		return rv;
	for (;;) {
		if ((rv = rtc_recv(c, &m, true)) < 0)
			return rv;
		if (m.type == RTC_MSG_ERROR && m.seq == 0) {
			c->broken = true;
			return rtc_error_reply(c, &m);
		}
		if (m.seq != req->nlmsg_seq)
			return rtc_break(c, -EPROTO, "%s",
			    "reply to another request");
		if (m.type == RTC_MSG_ERROR)
			return rtc_error_reply(c, &m);
		if (m.type == RTC_MSG_DONE)
			return cbrv;
		if (m.type != reply || fn == NULL)
			return rtc_break(c, -EPROTO, "unexpected %s reply",
			    rtc_msg_type_name(m.type));
		if (cbrv >= 0 && (rv = fn(c, &m, arg)) < 0)
			cbrv = rv;
		if (!(m.flags & NLM_F_MULTI))
			return cbrv;
	}
}

static struct nlmsghdr *
rtc_request(struct rtc_client *c, uint16_t type)
{
	return rtc_msg_start(c->sbuf, sizeof(c->sbuf), type, NLM_F_REQUEST,
	    ++c->seq);
}

/* --- listings and named values ------------------------------------------ */

struct rtc_cbs {
	rtc_line_cb_t	 line;
	rtc_kv_cb_t	 kv;
	void		*arg;
};

static int
rtc_text_fn(struct rtc_client *c, const struct rtc_msg *m, void *arg)
{
	struct rtc_cbs *cbs = arg;
	const struct nlattr *a;
	int rv;

	(void)c;
	rtc_msg_for_each(m, a, RTC_A_LINE)
		if ((rv = cbs->line(cbs->arg, mnl_attr_get_str(a))) < 0)
			return rv;
	return 0;
}

static int
rtc_kv_fn(struct rtc_client *c, const struct rtc_msg *m, void *arg)
{
	struct rtc_cbs *cbs = arg;
	const struct nlattr *a;
	const char *name, *str;
	uint64_t v;
	int rv;

	rtc_msg_for_each(m, a, RTC_A_KV) {
		if (rtc_kv_parse(a, &name, &str, &v) < 0)
			return rtc_break(c, -EPROTO, "%s", "bad key/value");
		if ((rv = cbs->kv(cbs->arg, name, str, v)) < 0)
			return rv;
	}
	return 0;
}

static int
rtc_listing(struct rtc_client *c, uint16_t type, rtc_line_cb_t cb, void *arg)
{
	struct rtc_cbs cbs = { cb, NULL, arg };

	rtc_request(c, type);
	return rtc_transact(c, RTC_MSG_TEXT, rtc_text_fn, &cbs);
}

static int
rtc_values(struct rtc_client *c, uint16_t type, rtc_kv_cb_t cb, void *arg)
{
	struct rtc_cbs cbs = { NULL, cb, arg };

	rtc_request(c, type);
	return rtc_transact(c, RTC_MSG_KV, rtc_kv_fn, &cbs);
}

/**
 * rtc_route_show - the routes of one table, as `ip -4 route show`
 * @table: a table id, RTC_TABLE_ALL, or 0 for main
 */
int
rtc_route_show(struct rtc_client *c, uint32_t table, rtc_line_cb_t cb,
    void *arg)
{
	struct rtc_cbs cbs = { cb, NULL, arg };
	struct nlmsghdr *nlh;

	nlh = rtc_request(c, RTC_MSG_ROUTE_SHOW);
	if (table != 0)
		rtc_put_u32(nlh, sizeof(c->sbuf), RTC_A_TABLE, table);
	return rtc_transact(c, RTC_MSG_TEXT, rtc_text_fn, &cbs);
}

int
rtc_rule_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_RULE_SHOW, cb, arg);
}

int
rtc_nexthop_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_NEXTHOP_SHOW, cb, arg);
}

int
rtc_link_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_LINK_SHOW, cb, arg);
}

int
rtc_addr_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_ADDR_SHOW, cb, arg);
}

int
rtc_cache_show(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_CACHE_SHOW, cb, arg);
}

int
rtc_slabinfo(struct rtc_client *c, rtc_line_cb_t cb, void *arg)
{
	return rtc_listing(c, RTC_MSG_SLABINFO, cb, arg);
}

int
rtc_cache_stats(struct rtc_client *c, rtc_kv_cb_t cb, void *arg)
{
	return rtc_values(c, RTC_MSG_CACHE_STATS, cb, arg);
}

int
rtc_status(struct rtc_client *c, rtc_kv_cb_t cb, void *arg)
{
	return rtc_values(c, RTC_MSG_STATUS, cb, arg);
}

int
rtc_stats(struct rtc_client *c, rtc_kv_cb_t cb, void *arg)
{
	return rtc_values(c, RTC_MSG_STATS, cb, arg);
}

int
rtc_cache_flush(struct rtc_client *c, uint32_t delay_ms)
{
	struct nlmsghdr *nlh;

	nlh = rtc_request(c, RTC_MSG_CACHE_FLUSH);
	if (delay_ms != 0)
		rtc_put_u32(nlh, sizeof(c->sbuf), RTC_A_FLUSH_DELAY, delay_ms);
	return rtc_transact(c, RTC_MSG_DONE, NULL, NULL);
}

int
rtc_slab_tune(struct rtc_client *c, const char *name, uint32_t limit,
    uint32_t batchcount, uint32_t shared)
{
	struct nlmsghdr *nlh;

	if (name == NULL || strlen(name) >= 64)
		return rtc_fail(c, -EINVAL, "%s", "bad cache name");
	nlh = rtc_request(c, RTC_MSG_SLAB_TUNE);
	rtc_put_str(nlh, sizeof(c->sbuf), RTC_A_SLAB_NAME, name);
	rtc_put_u32(nlh, sizeof(c->sbuf), RTC_A_SLAB_LIMIT, limit);
	rtc_put_u32(nlh, sizeof(c->sbuf), RTC_A_SLAB_BATCHCOUNT, batchcount);
	rtc_put_u32(nlh, sizeof(c->sbuf), RTC_A_SLAB_SHARED, shared);
	return rtc_transact(c, RTC_MSG_DONE, NULL, NULL);
}

/* --- lookups ------------------------------------------------------------ */

struct rtc_inflight {
	uint32_t	 seq;
	size_t		 first;		/* index of its first flow */
	size_t		 count;		/* flows in it */
	size_t		 got;		/* results read so far */
};

struct rtc_batch {
	const struct rtc_flow	*flows;		/* an array of n flows, or */
	size_t			 n;
	rtc_flow_src_t		 src;		/* a source of flows */
	struct rtc_flow		 held;		/* from src, did not fit */
	bool			 has_held;
	bool			 src_done;	/* src said there are no more */
	bool			 built;		/* c->sbuf holds count flows */
	size_t			 count;
	size_t			 next;		/* next flow to send */
	struct rtc_inflight	 q[RTC_WINDOW];
	unsigned int		 head, len;	/* ring of requests in flight */
	rtc_result_cb_t		 cb;
	void			*arg;
	int			 err;		/* first error: stop sending */
};

/* Are there flows left to send? */
static bool
rtc_batch_more(const struct rtc_batch *b)
{
	if (b->built)
		return true;
	if (b->src == NULL)
		return b->next < b->n;
	return b->has_held || !b->src_done;
}

/*
 * The next flow to send, or NULL (none left, or the source's error in
 * b->err).  A flow that does not fit is given back by setting has_held.
 */
static const struct rtc_flow *
rtc_batch_get(struct rtc_batch *b, size_t i)
{
	int rv;

	if (b->src == NULL)
		return i < b->n ? &b->flows[i] : NULL;
	if (b->has_held) {
		b->has_held = false;
		return &b->held;
	}
	if (b->src_done)
		return NULL;
	if ((rv = b->src(b->arg, &b->held)) <= 0) {
		b->src_done = true;
		if (rv < 0)
			b->err = rv;
		return NULL;
	}
	return &b->held;
}

/*
 * Build (unless built already) and try to send the next request message
 * of the batch.  A message that meets EAGAIN stays built in c->sbuf and
 * is sent again later: flows taken from a source are never lost.
 */
static int
rtc_batch_send(struct rtc_client *c, struct rtc_batch *b)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)c->sbuf;
	const struct rtc_flow *fl;
	struct rtc_inflight *in;
	size_t i;
	int rv;

	if (!b->built) {
		nlh = rtc_request(c, RTC_MSG_ROUTE_GET);
		for (i = b->next; i - b->next < c->batch; i++) {
			if ((fl = rtc_batch_get(b, i)) == NULL)
				break;
			if (rtc_put_flow(nlh, sizeof(c->sbuf), fl) < 0) {
				b->has_held = b->src != NULL;
				break;
			}
		}
		if (i == b->next) {
			c->seq--;	/* nothing to send: the number is free */
			if (!rtc_batch_more(b))
				return 0;	/* the source ran dry */
			return rtc_fail(c, -EMSGSIZE, "%s",
			    "flow does not fit");
		}
		b->built = true;
		b->count = i - b->next;
	}
	if ((rv = rtc_send(c, nlh, false)) < 0)
		return rv;
	b->built = false;
	in = &b->q[(b->head + b->len++) % RTC_WINDOW];
	in->seq = nlh->nlmsg_seq;
	in->first = b->next;
	in->count = b->count;
	in->got = 0;
	b->next += b->count;
	return 0;
}

/* Handle one reply message of the batch. */
static int
rtc_batch_reply(struct rtc_client *c, struct rtc_batch *b,
    const struct rtc_msg *m)
{
	struct rtc_inflight *in = &b->q[b->head];
	const struct nlattr *a;
	struct rtc_result res;
	bool done;
	int rv;

	if (m->type == RTC_MSG_ERROR && m->seq == 0) {
		c->broken = true;
		return rtc_error_reply(c, m);
	}
	if (b->len == 0 || m->seq != in->seq)
		return rtc_break(c, -EPROTO, "%s", "reply to another request");
	switch (m->type) {
	case RTC_MSG_ERROR:
		rv = rtc_error_reply(c, m);
		if (b->err == 0)
			b->err = rv;
		done = true;
		break;
	case RTC_MSG_DONE:
		if (in->got != in->count)
			return rtc_break(c, -EPROTO, "%s",
			    "answers missing in a batch reply");
		done = true;
		break;
	case RTC_MSG_ROUTE:
		if (m->rh->rh_index != in->got)
			return rtc_break(c, -EPROTO, "%s",
			    "batch answers out of order");
		rtc_msg_for_each(m, a, RTC_A_RESULT) {
			if (in->got == in->count)
				return rtc_break(c, -EPROTO, "%s",
				    "more answers than questions");
			if (rtc_result_parse(a, &res, NULL) < 0)
				return rtc_break(c, -EPROTO, "%s",
				    "bad answer");
			if (b->err == 0 &&
			    (rv = b->cb(b->arg, in->first + in->got, &res)) < 0)
				b->err = rv;
			in->got++;
		}
		done = !(m->flags & NLM_F_MULTI);
		if (done && in->got != in->count)
			return rtc_break(c, -EPROTO, "%s",
			    "answers missing in a batch reply");
		break;
	default:
		return rtc_break(c, -EPROTO, "unexpected %s reply",
		    rtc_msg_type_name(m->type));
	}
	if (done) {
		b->head = (b->head + 1) % RTC_WINDOW;
		b->len--;
	}
	return 0;
}

/* Send the flows of @b and read their answers, a window at a time. */
static int
rtc_batch_run(struct rtc_client *c, struct rtc_batch *b)
{
	bool blocked = false;	/* the last send found the peer's queue full */
	struct rtc_msg m;
	short ev;
	int rv;

	if (c->broken)
		return rtc_fail(c, -EPIPE, "%s",
		    "connection unusable after an earlier error");
	while (b->len > 0 || (b->err == 0 && rtc_batch_more(b))) {
		ev = 0;
		if (b->len > 0)
			ev |= POLLIN;
		/*
		 * poll() says a seqpacket socket is writable even when the
		 * daemon's receive queue is full; after an EAGAIN wait for a
		 * reply (or a moment) instead of spinning.
		 */
		if (b->err == 0 && rtc_batch_more(b) && b->len < RTC_WINDOW &&
		    !(blocked && b->len > 0))
			ev |= POLLOUT;
		if (blocked && b->len == 0)
			(void)poll(NULL, 0, 1);
		if ((rv = rtc_wait(c, ev)) < 0)
			return rv;
		blocked = false;
		if ((rv & POLLOUT) && (ev & POLLOUT) &&
		    (rv = rtc_batch_send(c, b)) < 0) {
			if (rv == -EAGAIN)
				blocked = true;
			else if (b->len == 0)
				return rv;
			else
				b->err = rv;
		}
		/* Read everything that is waiting before sending more. */
		while (b->len > 0) {
			if ((rv = rtc_recv(c, &m, false)) == -EAGAIN)
				break;
			if (rv < 0 || (rv = rtc_batch_reply(c, b, &m)) < 0)
				return rv;
		}
	}
	return b->err;
}

/**
 * rtc_route_get_batch - look up @n flows, pipelined
 * @cb: called for every answer in order, with the flow's index; a
 *	negative return stops the calls and is returned (the replies
 *	already asked for are still read)
 *
 * Return: 0, @cb's error, the daemon's -errno for a refused request, or
 * -errno of the connection.
 */
int
rtc_route_get_batch(struct rtc_client *c, const struct rtc_flow *flows,
    size_t n, rtc_result_cb_t cb, void *arg)
{
	struct rtc_batch b = { .flows = flows, .n = n, .cb = cb, .arg = arg };

	return rtc_batch_run(c, &b);
}

/**
 * rtc_route_get_stream - look up flows as @src produces them, pipelined
 * @src: fills the next flow and returns 1, returns 0 when there are no
 *	more, or -errno (then no more flows are sent and it is returned).
 *	It is called only when a request can go out, so it may read and
 *	parse its input while the daemon answers the flows before.
 * @cb: as for rtc_route_get_batch; the index counts the flows from 0.
 *
 * Return: as rtc_route_get_batch.
 */
int
rtc_route_get_stream(struct rtc_client *c, rtc_flow_src_t src,
    rtc_result_cb_t cb, void *arg)
{
	struct rtc_batch b = { .src = src, .cb = cb, .arg = arg };

	return rtc_batch_run(c, &b);
}

struct rtc_copy {
	struct rtc_client	*c;
	struct rtc_result	*res;
};

/* The answer, its texts copied out of the reply into the client. */
static int
rtc_copy_result(void *arg, size_t index, const struct rtc_result *res)
{
	struct rtc_copy *cp = arg;

	(void)index;
	*cp->res = *res;
	if (res->present & RTC_RES_F_FIB) {
		snprintf(cp->c->res_fib, sizeof(cp->c->res_fib), "%s",
		    res->fib);
		cp->res->fib = cp->c->res_fib;
	}
	if (res->present & RTC_RES_F_ERRMSG) {
		snprintf(cp->c->res_errmsg, sizeof(cp->c->res_errmsg), "%s",
		    res->errmsg);
		cp->res->errmsg = cp->c->res_errmsg;
	}
	return 0;
}

/**
 * rtc_route_get - look up one flow
 *
 * Return: 0 with @res filled (check RTC_RES_F_ERROR; its texts stay
 * valid until the next call on @c), or -errno.
 */
int
rtc_route_get(struct rtc_client *c, const struct rtc_flow *fl,
    struct rtc_result *res)
{
	struct rtc_copy cp = { c, res };

	memset(res, 0, sizeof(*res));
	return rtc_route_get_batch(c, fl, 1, rtc_copy_result, &cp);
}
