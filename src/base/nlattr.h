/* SPDX-License-Identifier: MIT */
/*
 * nlattr.h - the project's one netlink attribute iterator, on libmnl.
 *
 * A policy table says, for each attribute type of one message or nest,
 * its libmnl data type and length bounds.  A walk checks each attribute
 * with mnl_attr_validate() and the bounds, hands the valid ones to a
 * callback or files them in tb[type], and insists that the attributes
 * use up their bytes exactly: libmnl's iterators stop quietly at an
 * attribute that overruns, so bytes left unwalked make the whole walk
 * fail.  Also here: the walk over a buffer of netlink messages.
 *
 * Base layer: uses libc and libmnl, nothing of the project's.
 */
#ifndef RTCACHE_BASE_NLATTR_H
#define RTCACHE_BASE_NLATTR_H

#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * One attribute type's rule.  An all-zero entry (MNL_TYPE_UNSPEC) marks a
 * type that is not ours: skipped, or an error under NLATTR_STRICT.  The
 * types of libmnl keep their meaning (U8..U64 and FLAG exact, NUL_STRING
 * ends with its NUL, NESTED empty or at least one header, BINARY any).
 */
struct nlattr_pol {
	uint8_t		 type;		/* enum mnl_attr_data_type */
	uint16_t	 min;		/* payload bytes, at least */
	uint16_t	 max;		/* payload bytes, at most; 0: no bound */
};

/* A table's highest type, for the @max arguments below. */
#define NLATTR_MAX(pol)	((uint16_t)(sizeof(pol) / sizeof((pol)[0]) - 1))

#define NLATTR_STRICT	0x1	/* a type without a rule is an error */

/* Called for each valid attribute; a negative return stops the walk. */
typedef int (*nlattr_fn)(const struct nlattr *a, uint16_t type, void *arg);

/*
 * nlattr_walk - check the attributes in [@buf, @buf + @len) against
 * @pol[0..@max] and call @fn (may be NULL) for each one that has a rule.
 * Return: 0; -EBADMSG when an attribute overruns, is shorter than its
 * header, breaks its rule, or bytes are left over; -ENOMSG for a type
 * without a rule under NLATTR_STRICT; else what @fn returned.
 */
int	 nlattr_walk(const void *buf, size_t len, const struct nlattr_pol *pol,
	    uint16_t max, unsigned int flags, nlattr_fn fn, void *arg);

/* nlattr_walk() into @tb[0..@max], zeroed first (the last of a type
 * wins). */
int	 nlattr_parse(const void *buf, size_t len, const struct nlattr_pol *pol,
	    uint16_t max, unsigned int flags, const struct nlattr **tb);

/* The same over the payload of @nest, which must be a valid nest. */
int	 nlattr_parse_nested(const struct nlattr *nest,
	    const struct nlattr_pol *pol, uint16_t max, unsigned int flags,
	    const struct nlattr **tb);

/* Does @nlh hold its fixed header of @hdrlen bytes? */
static inline int
nlattr_msg_fits(const struct nlmsghdr *nlh, size_t hdrlen)
{
	return nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + hdrlen;
}

/* The attributes after @nlh's fixed header of @hdrlen bytes, which must
 * fit (nlattr_msg_fits), into @tb as nlattr_parse() without flags. */
int	 nlattr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
	    const struct nlattr_pol *pol, uint16_t max, const struct nlattr **tb);

/* Called for each message; a negative return stops the walk. */
typedef int (*nlmsg_fn)(const struct nlmsghdr *nlh, void *arg);

/*
 * nlmsg_walk - call @fn for each message in a datagram or file of
 * netlink messages (mnl_nlmsg_ok / mnl_nlmsg_next).
 * Return: 0; the first negative value of @fn; -EBADMSG when a message
 * overruns or bytes after the last whole message do not form one.
 */
int	 nlmsg_walk(const void *buf, size_t len, nlmsg_fn fn, void *arg);

#endif /* RTCACHE_BASE_NLATTR_H */
