/* SPDX-License-Identifier: MIT */
/*
 * log.c - rtcached's log lines, after OpenBSD's log.c.  Everything goes
 * to stderr, one line each: under systemd (JOURNAL_STREAM set) with a
 * "<N>" sd-daemon(3) priority prefix the journal understands, otherwise
 * with the program name.  Debug lines are written only with -d.  The
 * writer is also the sink of base/log.h, and lines a peer can provoke go
 * through base/log.h's rate limiter (log_rl_warnx).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "daemon/log.h"

static int	 log_debug_on;
static int	 log_level = LOG_INFO;	/* least severe priority written */
static int	 log_journal;

/* The sink of base/log.h: one line to stderr. */
static void
log_write(int pri, const char *msg, void *arg)
{
	(void)arg;
	if (pri > log_level)
		return;
	/* one fprintf: lines of concurrent threads do not interleave */
	if (log_journal)
		fprintf(stderr, "<%d>%s\n", pri, msg);
	else
		fprintf(stderr, "rtcached: %s\n", msg);
}

void
log_init(int debug, int journal)
{
	log_debug_on = debug;
	log_level = debug ? LOG_DEBUG : LOG_INFO;
	log_journal = journal;
	log_set_sink(log_write, NULL);
}

void
log_setverbose(int verbose)
{
	log_debug_on = verbose;
	log_level = verbose ? LOG_DEBUG : LOG_INFO;
}

/* [daemon] log_level: LOG_ERR .. LOG_DEBUG (applied live on reload). */
void
log_setlevel(int level)
{
	log_level = level;
	log_debug_on = level >= LOG_DEBUG;
}

int
log_getverbose(void)
{
	return log_debug_on;
}

void
vlog(int pri, const char *fmt, va_list ap)
{
	char buf[1024];

	if (pri > log_level)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	log_write(pri, buf, NULL);
}

void
logit(int pri, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(pri, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *emsg, ...)
{
	char buf[1024];
	int saved = errno;
	va_list ap;

	va_start(ap, emsg);
	vsnprintf(buf, sizeof(buf), emsg, ap);
	va_end(ap);
	logit(LOG_ERR, "%s: %s", buf, strerror(saved));
	errno = saved;
}

void
log_warnx(const char *emsg, ...)
{
	va_list ap;

	va_start(ap, emsg);
	vlog(LOG_ERR, emsg, ap);
	va_end(ap);
}

void
log_info(const char *emsg, ...)
{
	va_list ap;

	va_start(ap, emsg);
	vlog(LOG_INFO, emsg, ap);
	va_end(ap);
}

void
log_debug(const char *emsg, ...)
{
	va_list ap;

	if (!log_debug_on)
		return;
	va_start(ap, emsg);
	vlog(LOG_DEBUG, emsg, ap);
	va_end(ap);
}

static void __attribute__((noreturn))
vfatalc(int code, const char *emsg, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), emsg, ap);
	if (code)
		logit(LOG_CRIT, "fatal: %s: %s", buf, strerror(code));
	else
		logit(LOG_CRIT, "fatal: %s", buf);
	exit(1);
}

void
fatal(const char *emsg, ...)
{
	va_list ap;

	va_start(ap, emsg);
	vfatalc(errno, emsg, ap);
}

void
fatalx(const char *emsg, ...)
{
	va_list ap;

	va_start(ap, emsg);
	vfatalc(0, emsg, ap);
}

/**
 * log_rl_warnx - a warning a peer can provoke, rate-limited per @rl.
 *
 * The limiter is owned by one thread (a connection's worker), so it
 * needs no lock.
 */
void
log_rl_warnx(struct log_rl *rl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_rl_vmsg(rl, LOG_WARNING, fmt, ap);
	va_end(ap);
}
