/* SPDX-License-Identifier: MIT */
/*
 * reply.c - the replies of the control protocol, built on the thread
 * that answers (daemon/reply.h).  Every message starts in zeroed memory
 * (rtc_msg_start), so a reply carries no byte it did not mean to send.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "daemon/rtcached.h"
#include "daemon/reply.h"

/* One reply is built at a time per thread; 64 KiB stays off the stack. */
static __thread struct reply tls_reply;

static void
reply_start(struct reply *r, uint32_t index)
{
	struct rtc_hdr *rh;

	r->nlh = rtc_msg_start(r->buf, sizeof(r->buf), r->type,
	    r->multi ? NLM_F_MULTI : 0, r->seq);
	rh = mnl_nlmsg_get_payload(r->nlh);
	rh->rh_index = index;
}

struct reply *
reply_begin(struct conn *c, uint16_t type, uint32_t seq)
{
	struct reply *r = &tls_reply;

	r->c = c;
	r->type = type;
	r->seq = seq;
	r->multi = 0;
	r->err = 0;
	reply_start(r, 0);
	return r;
}

static void
reply_send_raw(struct reply *r, const struct nlmsghdr *nlh)
{
	int rv;

	if (r->err == 0 && (rv = conn_send(r->c, nlh, nlh->nlmsg_len)) < 0)
		r->err = rv;
}

void
reply_next(struct reply *r, uint32_t index)
{
	r->nlh->nlmsg_flags |= NLM_F_MULTI;
	r->multi = 1;
	reply_send_raw(r, r->nlh);
	reply_start(r, index);
}

void
reply_part(struct reply *r)
{
	r->nlh->nlmsg_flags |= NLM_F_MULTI;
	r->multi = 1;
	if (r->nlh->nlmsg_len > RTC_HDRLEN)
		reply_send_raw(r, r->nlh);
}

void
reply_end(struct reply *r)
{
	unsigned char done[RTC_HDRLEN + 16];

	if (r->multi)
		r->nlh->nlmsg_flags |= NLM_F_MULTI;
	if (!r->multi || r->nlh->nlmsg_len > RTC_HDRLEN)
		reply_send_raw(r, r->nlh);
	if (r->multi)
		reply_send_raw(r, rtc_msg_start(done, sizeof(done),
		    RTC_MSG_DONE, NLM_F_MULTI, r->seq));
}

void
reply_lines(struct reply *r, const char *text, size_t len)
{
	char line[RTC_LINE_MAX];
	const char *p = text, *end = text + len, *nl;
	size_t l;

	while (p < end && r->err == 0) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		l = (size_t)(nl - p);
		if (l >= sizeof(line))
			l = sizeof(line) - 1;
		memcpy(line, p, l);
		line[l] = '\0';
		if (rtc_put_line(r->nlh, sizeof(r->buf), line) == -EMSGSIZE) {
			reply_next(r, 0);
			rtc_put_line(r->nlh, sizeof(r->buf), line);
		}
		p = nl + 1;
	}
}

void
reply_text(struct conn *c, uint32_t seq, const char *text, size_t len)
{
	struct reply *r = reply_begin(c, RTC_MSG_TEXT, seq);

	reply_lines(r, text, len);
	reply_end(r);
}

void
reply_done(struct conn *c, uint32_t seq)
{
	unsigned char buf[RTC_HDRLEN + 16];

	conn_send(c, rtc_msg_start(buf, sizeof(buf), RTC_MSG_DONE, 0, seq),
	    RTC_HDRLEN);
}

/* An error reply; seq 0 concerns the connection (an idle timeout). */
void
reply_error(struct conn *c, uint32_t seq, int err, const char *fmt, ...)
{
	unsigned char buf[RTC_HDRLEN + RTC_ERRMSG_MAX + 64];
	char msg[RTC_ERRMSG_MAX];
	struct nlmsghdr *nlh;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((nlh = rtc_msg_error(buf, sizeof(buf), seq, err, msg)) != NULL)
		conn_send(c, nlh, nlh->nlmsg_len);
}

/* The refusal sent to a client over the connection limit. */
size_t
reply_refusal(void *buf, size_t size, const char *why)
{
	struct nlmsghdr *nlh = rtc_msg_error(buf, size, 0, EBUSY, why);

	return nlh != NULL ? nlh->nlmsg_len : 0;
}
