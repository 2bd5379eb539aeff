/* SPDX-License-Identifier: MIT */
/*
 * base/inet_proto.h - IP protocol numbers and their names as iproute2
 * reads and prints them (its lib/inet_proto.c): the names of
 * /etc/protocols, through the reentrant netdb calls, so any thread may
 * use them.
 */
#ifndef RTCACHE_BASE_INET_PROTO_H
#define RTCACHE_BASE_INET_PROTO_H

#include <stddef.h>

/* Room for any name inet_proto_n2a writes when there is none. */
#define INET_PROTO_BUFSZ	16

/* The protocol's name, or "ipproto-N" written into @buf. */
const char *inet_proto_n2a(unsigned int proto, char *buf, size_t len);
/*
 * A protocol as ip reads one (inet_proto_a2n): a decimal number up to
 * 255 as strtoul takes it, else a name or alias of /etc/protocols.
 * Return: 0..255, or -EINVAL.
 */
int	 inet_proto_a2n(const char *s);

#endif /* RTCACHE_BASE_INET_PROTO_H */
