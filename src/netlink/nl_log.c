/* SPDX-License-Identifier: MIT */
/*
 * nl_log.c - the mirror's logging: one hook for the daemon (default:
 * stderr), and a rate-limited variant for per-message complaints, so that
 * a flood of bad messages costs one line per second plus a count of what
 * was suppressed.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "netlink/nl_internal.h"

static mirror_log_fn	 log_fn;
static void		*log_arg;

/* Rate limit: at most RL_BURST lines per second. */
#define RL_BURST	5

static uint64_t		 rl_window;
static unsigned int	 rl_count;
static unsigned long	 rl_suppressed;

void
mirror_set_log(mirror_log_fn fn, void *arg)
{
	log_fn = fn;
	log_arg = arg;
}

uint64_t
nl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
nl_vlog(int prio, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_fn != NULL)
		log_fn(prio, msg, log_arg);
	else
		fprintf(stderr, "mirror: %s\n", msg);
}

void
nl_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	nl_vlog(prio, fmt, ap);
	va_end(ap);
}

void
nl_log_rl(int prio, const char *fmt, ...)
{
	uint64_t sec = nl_now_ns() / 1000000000ULL;
	va_list ap;

	if (sec != rl_window) {
		if (rl_suppressed > 0)
			nl_log(LOG_WARNING, "%lu similar messages suppressed",
			    rl_suppressed);
		rl_window = sec;
		rl_count = 0;
		rl_suppressed = 0;
	}
	if (rl_count++ >= RL_BURST) {
		rl_suppressed++;
		return;
	}
	va_start(ap, fmt);
	nl_vlog(prio, fmt, ap);
	va_end(ap);
}
