/* SPDX-License-Identifier: MIT */
/*
 * daemon/log.h - rtcached's logging, after OpenBSD's log.c: stderr lines
 * with a priority, debug lines only with -d, fatal() for start-up errors
 * and broken invariants.  log_init installs the writer as the sink of
 * base/log.h, so that lines logged by other folders (netlink) come out
 * the same way.
 */
#ifndef RTCACHE_DAEMON_LOG_H
#define RTCACHE_DAEMON_LOG_H

#include <stdarg.h>
#include <stdint.h>

#include "base/log.h"

void	 log_init(int debug, int journal);
void	 log_setverbose(int verbose);
void	 log_setlevel(int level);
int	 log_getverbose(void);
void	 log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	 logit(int, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 vlog(int, const char *, va_list) __attribute__((format(printf, 2, 0)));
void	 fatal(const char *, ...) __attribute__((format(printf, 1, 2),
	    noreturn));
void	 fatalx(const char *, ...) __attribute__((format(printf, 1, 2),
	    noreturn));

/* A warning a peer can provoke, through the rate limiter @rl (base/log.h:
 * a zeroed one lets 5 lines through per 10 seconds). */
void	 log_rl_warnx(struct log_rl *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* RTCACHE_DAEMON_LOG_H */
