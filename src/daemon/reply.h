/* SPDX-License-Identifier: MIT */
/*
 * daemon/reply.h - building the replies of the control protocol
 * (rtcache/proto.h) on a connection: one message at a time in a buffer of
 * the thread's, sent to the connection's queue when full or ended, with
 * NLM_F_MULTI and a DONE when a reply spans messages.  Only one reply is
 * built at a time per thread.
 */
#ifndef RTCACHE_DAEMON_REPLY_H
#define RTCACHE_DAEMON_REPLY_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "rtcache/proto.h"

struct conn;

struct reply {
	struct conn	*c;
	uint16_t	 type;
	uint32_t	 seq;
	int		 multi;		/* MULTI: more messages follow or went */
	int		 err;		/* conn_send failed */
	struct nlmsghdr	*nlh;
	unsigned char	 buf[RTC_MSG_MAX];
};

/* The thread's reply, started as a @type message answering @seq. */
struct reply *reply_begin(struct conn *c, uint16_t type, uint32_t seq);
/* The current message is full: send it, start the next (rh_index @index). */
void	 reply_next(struct reply *r, uint32_t index);
/* Send the current message; a DONE after it if the reply spans. */
void	 reply_end(struct reply *r);
/* Send the current message as one of a reply that goes on (MULTI). */
void	 reply_part(struct reply *r);
/* Text, one TEXT line per line of @text. */
void	 reply_lines(struct reply *r, const char *text, size_t len);

/* A whole reply: DONE, ERROR, or @text as TEXT lines. */
void	 reply_done(struct conn *c, uint32_t seq);
void	 reply_error(struct conn *c, uint32_t seq, int err, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
void	 reply_text(struct conn *c, uint32_t seq, const char *text,
	    size_t len);

/* A refusal for a client over the limit, built in @buf: its length. */
size_t	 reply_refusal(void *buf, size_t size, const char *why);

#endif /* RTCACHE_DAEMON_REPLY_H */
