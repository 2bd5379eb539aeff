/* SPDX-License-Identifier: MIT */
/*
 * inet_proto.c - IP protocol names (inet_proto.h).  iproute2 looks them
 * up with getprotobynumber / getprotobyname and keeps the last one in a
 * static cache; these are the reentrant calls instead, with the same
 * answers: the official name of /etc/protocols (or the NSS source),
 * "ipproto-N" when there is none; numbers before names when reading,
 * in base 10 with strtoul's leniency (iproute2's get_u8).
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/inet_proto.h"

#define PROTO_DB_BUFSZ	1024

const char *
inet_proto_n2a(unsigned int proto, char *buf, size_t len)
{
	char db[PROTO_DB_BUFSZ];
	struct protoent pe, *res = NULL;

	if (proto <= 255 &&
	    getprotobynumber_r((int)proto, &pe, db, sizeof(db), &res) == 0 &&
	    res != NULL) {
		snprintf(buf, len, "%s", pe.p_name);
		return buf;
	}
	snprintf(buf, len, "ipproto-%u", proto);
	return buf;
}

/* get_u8(&v, s, 10): what strtoul takes, whole, at most 255. */
static int
proto_number(const char *s)
{
	unsigned long v;
	char *end;

	if (*s == '\0')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (end == s || *end != '\0' || (v == ULONG_MAX && errno == ERANGE) ||
	    v > 255)
		return -EINVAL;
	return (int)v;
}

int
inet_proto_a2n(const char *s)
{
	char db[PROTO_DB_BUFSZ];
	struct protoent pe, *res = NULL;
	int v;

	if ((v = proto_number(s)) >= 0)
		return v;
	if (getprotobyname_r(s, &pe, db, sizeof(db), &res) == 0 &&
	    res != NULL && pe.p_proto >= 0 && pe.p_proto <= 255)
		return pe.p_proto;
	return -EINVAL;
}
