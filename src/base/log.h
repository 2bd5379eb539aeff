/* SPDX-License-Identifier: MIT */
/*
 * base/log.h - the log hook of the whole tree and its rate limiter.
 *
 * Any folder logs with log_msg(prio, ...), prio a syslog(3) priority.
 * The program installs the sink that writes the lines (rtcached's is in
 * daemon/log.c: stderr, or the journal's "<N>" prefix); without one a
 * line goes to stderr after the program's name.  Lines a peer or the
 * kernel can provoke go through a struct log_rl: at most burst lines per
 * interval seconds; what is held back is counted and reported, appended
 * to the next line let through ("... (N similar lines suppressed)") or,
 * with LOG_RL_OWN_LINE, as a line of its own when the next interval
 * begins ("N similar messages suppressed").  A limiter is used by one
 * thread at a time; it takes no lock.
 */
#ifndef RTCACHE_BASE_LOG_H
#define RTCACHE_BASE_LOG_H

#include <stdarg.h>
#include <stdint.h>

typedef void (*log_sink_fn)(int prio, const char *msg, void *arg);

/* Process-wide; NULL: stderr.  Set it before other threads log. */
void	 log_set_sink(log_sink_fn fn, void *arg);
void	 log_msg(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 log_vmsg(int prio, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

#define LOG_RL_INTERVAL	10	/* seconds, when .interval is 0 */
#define LOG_RL_BURST	5	/* lines per interval, when .burst is 0 */
#define LOG_RL_OWN_LINE	0x1	/* report the held-back count on its own */

/* A zeroed limiter lets LOG_RL_BURST lines through per LOG_RL_INTERVAL. */
struct log_rl {
	unsigned int	 interval;	/* seconds */
	unsigned int	 burst;		/* lines per interval */
	unsigned int	 flags;		/* LOG_RL_* */
	unsigned int	 count;		/* lines in this interval */
	uint64_t	 start;		/* interval start, seconds (monotonic) */
	unsigned long	 dropped;	/* held back, not yet reported */
};
#define LOG_RL_INIT(interval_, burst_, flags_) \
	{ .interval = (interval_), .burst = (burst_), .flags = (flags_) }

void	 log_rl_msg(struct log_rl *rl, int prio, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	 log_rl_vmsg(struct log_rl *rl, int prio, const char *fmt,
	    va_list ap) __attribute__((format(printf, 3, 0)));

#endif /* RTCACHE_BASE_LOG_H */
