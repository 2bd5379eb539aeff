/* SPDX-License-Identifier: MIT */
/*
 * base/clock.h - the one monotonic clock of the tree, in nanoseconds:
 * CLOCK_MONOTONIC for durations and deadlines, and the coarse variant
 * (CLOCK_MONOTONIC_COARSE: the last tick, a few ns to read) for the
 * route cache's jiffies.
 */
#ifndef RTCACHE_BASE_CLOCK_H
#define RTCACHE_BASE_CLOCK_H

#include <stdint.h>
#include <time.h>

#define NSEC_PER_SEC	UINT64_C(1000000000)
#define NSEC_PER_MSEC	UINT64_C(1000000)
#define NSEC_PER_USEC	UINT64_C(1000)

static inline uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static inline uint64_t
clock_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static inline uint64_t
clock_mono_coarse_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

#endif /* RTCACHE_BASE_CLOCK_H */
