/* SPDX-License-Identifier: MIT */
/*
 * nlattr.c - the attribute iterator of nlattr.h: policy tables checked
 * over libmnl's attribute walk, and the walk over a buffer of messages.
 * Base layer: libc and libmnl only.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "base/nlattr.h"

struct nlattr_walker {
	const struct nlattr_pol	*pol;
	uint16_t		 max;
	unsigned int		 flags;
	nlattr_fn		 fn;
	void			*arg;
	const char		*end;	/* past the last attribute walked */
	int			 err;
};

static int
nlattr_valid(const struct nlattr *a, const struct nlattr_pol *p)
{
	uint16_t n = mnl_attr_get_payload_len(a);

	if (mnl_attr_validate(a, (enum mnl_attr_data_type)p->type) < 0)
		return 0;
	return n >= p->min && (p->max == 0 || n <= p->max);
}

/* mnl_attr_cb_t: one attribute against its rule. */
static int
nlattr_one(const struct nlattr *a, void *data)
{
	struct nlattr_walker *w = data;
	uint16_t t = mnl_attr_get_type(a);

	w->end = (const char *)a + MNL_ALIGN(a->nla_len);
	if (mnl_attr_type_valid(a, w->max) < 0 ||
	    w->pol[t].type == MNL_TYPE_UNSPEC) {
		if (!(w->flags & NLATTR_STRICT))
			return MNL_CB_OK;
		w->err = -ENOMSG;
		return MNL_CB_ERROR;
	}
	if (!nlattr_valid(a, &w->pol[t]))
		w->err = -EBADMSG;
	else if (w->fn != NULL)
		w->err = w->fn(a, t, w->arg);
	return w->err < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int
nlattr_walk(const void *buf, size_t len, const struct nlattr_pol *pol,
    uint16_t max, unsigned int flags, nlattr_fn fn, void *arg)
{
	struct nlattr_walker w = { pol, max, flags, fn, arg, buf, 0 };

	if (len > INT_MAX)
		return -EBADMSG;
	if (mnl_attr_parse_payload(buf, len, nlattr_one, &w) < 0)
		return w.err;
	/* Unwalked bytes: an attribute libmnl refused, or junk.  The last
	 * attribute's padding may be missing, nothing else. */
	return w.end < (const char *)buf + len ? -EBADMSG : 0;
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
    uint16_t max, const struct nlattr **tb)
{
	memset(tb, 0, ((size_t)max + 1) * sizeof(*tb));
	return nlattr_walk(buf, len, pol, max, 0, nlattr_file, tb);
}

int
nlattr_parse_nested(const struct nlattr *nest, const struct nlattr_pol *pol,
    uint16_t max, const struct nlattr **tb)
{
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0)
		return -EBADMSG;
	return nlattr_parse(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), pol, max, tb);
}

int
nlattr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
    const struct nlattr_pol *pol, uint16_t max, const struct nlattr **tb)
{
	size_t off = MNL_NLMSG_HDRLEN + MNL_ALIGN(hdrlen);
	size_t len = nlh->nlmsg_len > off ? nlh->nlmsg_len - off : 0;

	return nlattr_parse(mnl_nlmsg_get_payload_offset(nlh, hdrlen), len,
	    pol, max, tb);
}

int
nlmsg_walk(const void *buf, size_t len, nlmsg_fn fn, void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int rest, rv;

	if (len > INT_MAX)
		return -EBADMSG;
	rest = (int)len;
	for (; mnl_nlmsg_ok(nlh, rest); nlh = mnl_nlmsg_next(nlh, &rest))
		if ((rv = fn(nlh, arg)) < 0)
			return rv;
	/* As for attributes: only the last message's padding may be cut. */
	return rest > 0 ? -EBADMSG : 0;
}
