/* SPDX-License-Identifier: MIT */
/*
 * proto_internal.h - codec calls shared by src/lib's files only (not
 * exported by librtcache: its symbols are the ones named rtc_*).
 */
#ifndef RTCACHE_PROTO_INTERNAL_H
#define RTCACHE_PROTO_INTERNAL_H

#include <stdbool.h>

#include "rtcache/proto.h"

int	rtcp_msg_parse(const void *buf, size_t len, int request,
	    struct rtc_msg *m, const char **errmsg, bool deep);

#endif /* RTCACHE_PROTO_INTERNAL_H */
