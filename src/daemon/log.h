/* SPDX-License-Identifier: MIT */
/*
 * daemon/log.h - rtcached's logging, after OpenBSD's log.c: stderr lines
 * with a priority, debug lines only with -d, fatal() for start-up errors
 * and broken invariants.
 */
#ifndef RTCACHE_DAEMON_LOG_H
#define RTCACHE_DAEMON_LOG_H

#include <stdarg.h>
#include <stdint.h>

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

/*
 * A rate limit for warnings a peer can provoke: at most LOG_RL_BURST
 * lines per LOG_RL_INTERVAL seconds per limiter; the lines held back
 * are counted and reported with the next line let through.
 */
#define LOG_RL_INTERVAL	10
#define LOG_RL_BURST	5
struct log_rl {
	uint64_t	 start;		/* window start, seconds (monotonic) */
	unsigned int	 count;		/* lines in this window */
	unsigned int	 dropped;	/* held back since the last line */
};
void	 log_rl_warnx(struct log_rl *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif /* RTCACHE_DAEMON_LOG_H */
