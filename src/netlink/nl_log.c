/* SPDX-License-Identifier: MIT */
/*
 * nl_log.c - the mirror's logging: mirror_set_log installs the daemon's
 * sink as the log hook of base/log.h, and nl_log_limit rate-limits the
 * per-message complaints, so that a flood of bad messages costs at most
 * five lines a second plus a line counting what was suppressed.
 */
#include "config.h"

#include "netlink/nl_internal.h"

struct log_rl nl_log_limit = LOG_RL_INIT(1, 5, LOG_RL_OWN_LINE);

void
mirror_set_log(mirror_log_fn fn, void *arg)
{
	log_set_sink(fn, arg);
}
