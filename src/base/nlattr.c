/* SPDX-License-Identifier: MIT */
/*
 * nlattr.c - the attribute iterator of nlattr.h: policy tables checked
 * over libmnl's attribute loop, and the walk over a buffer of messages.
 * Base layer: libc and libmnl only.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "base/nlattr.h"

struct nlattr_walker {
	const struct nlattr_pol	*pol;
	uint16_t		 max;
	unsigned int		 flags;
	nlattr_fn		 fn;
	void			*arg;
};

/*
 * Payload sizes of libmnl's fixed-size types, plus one (0: not fixed).
 * These are mnl_attr_validate()'s rules (exactly the size; FLAG empty),
 * checked here without the call: the control protocol runs this walk
 * for every lookup.  Every other type goes to mnl_attr_validate().
 */
static const uint8_t nlattr_fixed[MNL_TYPE_MAX] = {
	[MNL_TYPE_U8]	= 1 + 1,
	[MNL_TYPE_U16]	= 2 + 1,
	[MNL_TYPE_U32]	= 4 + 1,
	[MNL_TYPE_U64]	= 8 + 1,
	[MNL_TYPE_FLAG]	= 0 + 1,
};

static int
nlattr_valid(const struct nlattr *a, const struct nlattr_pol *p)
{
	uint16_t n = a->nla_len - MNL_ATTR_HDRLEN;	/* mnl_attr_ok'ed */

	if (p->type < MNL_TYPE_MAX && nlattr_fixed[p->type] != 0) {
		if (n != nlattr_fixed[p->type] - 1)
			return 0;
	} else if (mnl_attr_validate(a, (enum mnl_attr_data_type)p->type) < 0)
		return 0;
	return n >= p->min && (p->max == 0 || n <= p->max);
}

/*
 * libmnl's mnl_attr_ok(), mnl_attr_next() and mnl_attr_get_type(), with
 * the same rules, as inline code: they are calls into libmnl, three per
 * attribute, and this walk runs for every route of a dump and every flow
 * and result of the control protocol.
 */
static inline int
nlattr_ok(const struct nlattr *a, ptrdiff_t rest)
{
	return rest >= (ptrdiff_t)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	    a->nla_len <= rest;
}

static inline const struct nlattr *
nlattr_next(const struct nlattr *a)
{
	return (const struct nlattr *)((const char *)a + MNL_ALIGN(a->nla_len));
}

/* One attribute against its rule, then to the callback. */
static int
nlattr_one(const struct nlattr *a, const struct nlattr_walker *w)
{
	uint16_t t = a->nla_type & NLA_TYPE_MASK;

	if (t > w->max || w->pol[t].type == MNL_TYPE_UNSPEC)
		return w->flags & NLATTR_STRICT ? -ENOMSG : 0;
	if (!nlattr_valid(a, &w->pol[t]))
		return -EBADMSG;
	return w->fn != NULL ? w->fn(a, t, w->arg) : 0;
}

int
nlattr_walk(const void *buf, size_t len, const struct nlattr_pol *pol,
    uint16_t max, unsigned int flags, nlattr_fn fn, void *arg)
{
	struct nlattr_walker w = { pol, max, flags, fn, arg };
	const char *end = buf, *stop = (const char *)buf + len;
	const struct nlattr *a;
	int rv;

	if (len > INT_MAX)
		return -EBADMSG;
	/* mnl_attr_parse_payload()'s loop, without its callback */
	for (a = buf; nlattr_ok(a, stop - (const char *)a);
	    a = nlattr_next(a)) {
		if ((rv = nlattr_one(a, &w)) < 0)
			return rv;
		end = (const char *)a + MNL_ALIGN(a->nla_len);
	}
	/* Unwalked bytes: an attribute libmnl refused, or junk.  The last
	 * attribute's padding may be missing, nothing else. */
	return end < stop ? -EBADMSG : 0;
}

static int
nlattr_file(const struct nlattr *a, uint16_t type, void *arg)
{
	const struct nlattr **tb = arg;

	tb[type] = a;
	return 0;
}

int
nlattr_parse(const void *buf, size_t len, const struct nlattr_pol *pol,
    uint16_t max, unsigned int flags, const struct nlattr **tb)
{
	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	return nlattr_walk(buf, len, pol, max, flags, nlattr_file, tb);
}

int
nlattr_parse_nested(const struct nlattr *nest, const struct nlattr_pol *pol,
    uint16_t max, unsigned int flags, const struct nlattr **tb)
{
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return nlattr_parse(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), pol, max, flags, tb);
}

int
nlattr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
    const struct nlattr_pol *pol, uint16_t max, const struct nlattr **tb)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);
	size_t len = nlh->nlmsg_len > off ? nlh->nlmsg_len - off : 0;

	return nlattr_parse(mnl_nlmsg_get_payload_offset(nlh, hdrlen), len,
	    pol, max, 0, tb);
}

int
nlmsg_walk(const void *buf, size_t len, nlmsg_fn fn, void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int rest, rv;

	if (len > INT_MAX)
		return -EBADMSG;
	rest = (int)len;
	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest)) {
		/* libmnl 1.0.4 compares (int)nlmsg_len: 2 GiB and more
		 * would pass as negative */
		if (nlh->nlmsg_len > (uint32_t)rest)
			return -EBADMSG;
		if ((rv = fn(nlh, arg)) < 0)
			return rv;
	}
	/* As for attributes: only the last message's padding may be cut. */
	return rest > 0 ? -EBADMSG : 0;
}
