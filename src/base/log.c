/* SPDX-License-Identifier: MIT */
/*
 * log.c - the log hook (log_msg and the sink the program installs) and
 * the rate limiter (log_rl_msg); see log.h.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <syslog.h>

#include "rtcache/compiler.h"
#include "base/clock.h"
#include "base/log.h"

/* Set once at start-up, before the threads that log exist. */
static log_sink_fn	 log_sink;
static void		*log_sink_arg;

void
log_set_sink(log_sink_fn fn, void *arg)
{
	WRITE_ONCE(log_sink_arg, arg);
	WRITE_ONCE(log_sink, fn);
}

static void
log_emit(int prio, const char *msg)
{
	log_sink_fn fn = READ_ONCE(log_sink);

	if (fn != NULL)
		fn(prio, msg, READ_ONCE(log_sink_arg));
	else	/* one fprintf: lines of concurrent threads do not interleave */
		fprintf(stderr, "%s: %s\n", program_invocation_short_name, msg);
}

void
log_vmsg(int prio, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_emit(prio, buf);
}

void
log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(prio, fmt, ap);
	va_end(ap);
}

void
log_rl_vmsg(struct log_rl *rl, int prio, const char *fmt, va_list ap)
{
	uint64_t now = clock_mono_ns() / NSEC_PER_SEC;
	unsigned int interval = rl->interval ? rl->interval : LOG_RL_INTERVAL;
	unsigned int burst = rl->burst ? rl->burst : LOG_RL_BURST;
	char buf[1024];

	if (now - rl->start >= interval) {
		rl->start = now;
		rl->count = 0;
		if (rl->dropped && (rl->flags & LOG_RL_OWN_LINE)) {
			log_msg(LOG_WARNING, "%lu similar messages suppressed",
			    rl->dropped);
			rl->dropped = 0;
		}
	}
	if (rl->count >= burst) {
		rl->dropped++;
		return;
	}
	rl->count++;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	if (rl->dropped) {
		log_msg(prio, "%s (%lu similar lines suppressed)", buf,
		    rl->dropped);
		rl->dropped = 0;
	} else
		log_emit(prio, buf);
}

void
log_rl_msg(struct log_rl *rl, int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_rl_vmsg(rl, prio, fmt, ap);
	va_end(ap);
}
