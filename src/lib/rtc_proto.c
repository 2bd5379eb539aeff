/* SPDX-License-Identifier: MIT */
/*
 * rtc_proto.c - the control protocol codec (include/rtcache/proto.h),
 * linked by both rtcached and librtcache.
 *
 * Messages are built in the caller's buffer with libmnl's helpers; each
 * builder that adds a piece checks that it fits first (mnl_attr_put_*_check,
 * mnl_attr_nest_start_check) and rolls a half-written nest back, so a
 * batch writer can fill a message until -EMSGSIZE and start the next.
 *
 * Decoding trusts nothing: rtc_msg_parse() checks the sizes against the
 * bytes received, the version, the type and its direction, then walks
 * every attribute (nests included) against a per-type table of allowed
 * attributes and data types.  Attributes must cover the payload exactly:
 * libmnl's iterators stop quietly at a bad attribute, so the walk here
 * also checks that nothing is left over.  Requests are checked strictly
 * (unknown attributes are errors); replies leniently (unknown attributes
 * are skipped) so an older client can talk to a newer daemon.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "rtcache/proto.h"
#include "lib/proto_internal.h"

/* --- builders ----------------------------------------------------------- */

/**
 * rtc_msg_start - start a message in @buf
 * @size: bytes available in @buf (clamped to RTC_MSG_MAX)
 *
 * Return: the header, or NULL when @size cannot hold the headers.
 */
struct nlmsghdr *
rtc_msg_start(void *buf, size_t size, uint16_t type, uint16_t flags,
    uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct rtc_hdr *rh;

	if (buf == NULL || size < RTC_HDRLEN)
		return NULL;
	memset(buf, 0, RTC_HDRLEN);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = 0;
	rh = mnl_nlmsg_put_extra_header(nlh, sizeof(*rh));
	rh->rh_version = RTC_PROTO_VERSION;
	return nlh;
}

static size_t
rtc_cap(size_t size)
{
	return size > RTC_MSG_MAX ? RTC_MSG_MAX : size;
}

int
rtc_put_u32(struct nlmsghdr *nlh, size_t size, uint16_t type, uint32_t v)
{
	return mnl_attr_put_u32_check(nlh, rtc_cap(size), type, v) ? 0 :
	    -EMSGSIZE;
}

int
rtc_put_str(struct nlmsghdr *nlh, size_t size, uint16_t type, const char *s)
{
	return mnl_attr_put_strz_check(nlh, rtc_cap(size), type, s) ? 0 :
	    -EMSGSIZE;
}

/* Undo everything after @len (a failed nest). */
static int
rtc_rollback(struct nlmsghdr *nlh, uint32_t len)
{
	nlh->nlmsg_len = len;
	return -EMSGSIZE;
}

int
rtc_put_flow(struct nlmsghdr *nlh, size_t size, const struct rtc_flow *fl)
{
	uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest;
	bool ok = true;

	size = rtc_cap(size);
	if ((nest = mnl_attr_nest_start_check(nlh, size, RTC_A_FLOW)) == NULL)
		return -EMSGSIZE;
	ok = mnl_attr_put_u32_check(nlh, size, RTC_FLOW_DST, fl->dst);
#define PUT(bit, fn, attr, val)						\
	if (ok && (fl->present & (bit)))				\
		ok = fn(nlh, size, attr, val)
	PUT(RTC_FLOW_F_SRC, mnl_attr_put_u32_check, RTC_FLOW_SRC, fl->src);
	PUT(RTC_FLOW_F_IIF, mnl_attr_put_u32_check, RTC_FLOW_IIF, fl->iif);
	PUT(RTC_FLOW_F_IIFNAME, mnl_attr_put_strz_check, RTC_FLOW_IIFNAME,
	    fl->iifname);
	PUT(RTC_FLOW_F_OIF, mnl_attr_put_u32_check, RTC_FLOW_OIF, fl->oif);
	PUT(RTC_FLOW_F_OIFNAME, mnl_attr_put_strz_check, RTC_FLOW_OIFNAME,
	    fl->oifname);
	PUT(RTC_FLOW_F_TOS, mnl_attr_put_u8_check, RTC_FLOW_TOS, fl->tos);
	PUT(RTC_FLOW_F_MARK, mnl_attr_put_u32_check, RTC_FLOW_MARK, fl->mark);
	PUT(RTC_FLOW_F_UID, mnl_attr_put_u32_check, RTC_FLOW_UID, fl->uid);
	PUT(RTC_FLOW_F_PROTO, mnl_attr_put_u8_check, RTC_FLOW_PROTO,
	    fl->proto);
	PUT(RTC_FLOW_F_SPORT, mnl_attr_put_u16_check, RTC_FLOW_SPORT,
	    fl->sport);
	PUT(RTC_FLOW_F_DPORT, mnl_attr_put_u16_check, RTC_FLOW_DPORT,
	    fl->dport);
#undef PUT
	if (!ok)
		return rtc_rollback(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

static bool
rtc_put_metrics(struct nlmsghdr *nlh, size_t size,
    const struct rtc_result *res)
{
	struct nlattr *nest;
	unsigned int i;

	if ((nest = mnl_attr_nest_start_check(nlh, size,
	    RTC_RES_METRICS)) == NULL)
		return false;
	for (i = 1; i <= RTC_METRIC_MAX; i++)
		if ((res->metrics_set & (1U << i)) &&
		    !mnl_attr_put_u32_check(nlh, size, i, res->metrics[i]))
			return false;
	mnl_attr_nest_end(nlh, nest);
	return true;
}

/*
 * The unchecked writers of the fast path: the same bytes as mnl_attr_put()
 * and mnl_attr_nest_start(), once the caller knows everything fits.
 */
static inline void
rtc_put_raw(struct nlmsghdr *nlh, uint16_t type, const void *data,
    size_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh +
	    MNL_ALIGN(nlh->nlmsg_len));
	size_t alen = MNL_ATTR_HDRLEN + len;

	a->nla_type = type;
	a->nla_len = (uint16_t)alen;
	memcpy((char *)a + MNL_ATTR_HDRLEN, data, len);
	if (MNL_ALIGN(len) != len)
		memset((char *)a + alen, 0, MNL_ALIGN(len) - len);
	nlh->nlmsg_len += MNL_ALIGN(alen);
}

static inline void
rtc_put_raw_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	rtc_put_raw(nlh, type, &v, sizeof(v));
}

static inline void
rtc_put_raw_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	rtc_put_raw(nlh, type, &v, sizeof(v));
}

static inline struct nlattr *
rtc_nest_raw(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *a = (struct nlattr *)((char *)nlh +
	    MNL_ALIGN(nlh->nlmsg_len));

	a->nla_type = NLA_F_NESTED | type;
	nlh->nlmsg_len += MNL_ALIGN(sizeof(struct nlattr));
	return a;
}

static inline void
rtc_nest_raw_end(struct nlmsghdr *nlh, struct nlattr *a)
{
	a->nla_len = (uint16_t)((char *)nlh + MNL_ALIGN(nlh->nlmsg_len) -
	    (char *)a);
}

/* Bytes the result nest of @res takes. */
static size_t
rtc_result_size(const struct rtc_result *res)
{
	uint32_t fixed = res->present & ~(RTC_RES_F_OIFNAME |
	    RTC_RES_F_IIFNAME | RTC_RES_F_METRICS);
	size_t n = MNL_ATTR_HDRLEN;

	n += (size_t)__builtin_popcount(fixed) * 8;
	if (res->present & RTC_RES_F_OIFNAME)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->oifname) + 1);
	if (res->present & RTC_RES_F_IIFNAME)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->iifname) + 1);
	if (res->present & RTC_RES_F_METRICS)
		n += MNL_ATTR_HDRLEN + (size_t)__builtin_popcount(
		    res->metrics_set & ~1U) * 8;
	return n;
}

/* rtc_put_result() when the whole nest is known to fit. */
static void
rtc_put_result_raw(struct nlmsghdr *nlh, const struct rtc_result *res)
{
	struct nlattr *nest, *mx;
	unsigned int i;

	nest = rtc_nest_raw(nlh, RTC_A_RESULT);
#define PUT(bit, fn, attr, val)						\
	if (res->present & (bit))					\
		fn(nlh, attr, val)
	PUT(RTC_RES_F_ERROR, rtc_put_raw_u32, RTC_RES_ERROR, res->error);
	PUT(RTC_RES_F_TYPE, rtc_put_raw_u8, RTC_RES_TYPE, res->type);
	PUT(RTC_RES_F_DST, rtc_put_raw_u32, RTC_RES_DST, res->dst);
	PUT(RTC_RES_F_SRC, rtc_put_raw_u32, RTC_RES_SRC, res->src);
	PUT(RTC_RES_F_PREFSRC, rtc_put_raw_u32, RTC_RES_PREFSRC,
	    res->prefsrc);
	PUT(RTC_RES_F_GATEWAY, rtc_put_raw_u32, RTC_RES_GATEWAY,
	    res->gateway);
	PUT(RTC_RES_F_OIF, rtc_put_raw_u32, RTC_RES_OIF, res->oif);
	if (res->present & RTC_RES_F_OIFNAME)
		rtc_put_raw(nlh, RTC_RES_OIFNAME, res->oifname,
		    strlen(res->oifname) + 1);
	PUT(RTC_RES_F_IIF, rtc_put_raw_u32, RTC_RES_IIF, res->iif);
	if (res->present & RTC_RES_F_IIFNAME)
		rtc_put_raw(nlh, RTC_RES_IIFNAME, res->iifname,
		    strlen(res->iifname) + 1);
	PUT(RTC_RES_F_TABLE, rtc_put_raw_u32, RTC_RES_TABLE, res->table);
	PUT(RTC_RES_F_FLAGS, rtc_put_raw_u32, RTC_RES_FLAGS, res->flags);
	PUT(RTC_RES_F_MARK, rtc_put_raw_u32, RTC_RES_MARK, res->mark);
	PUT(RTC_RES_F_UID, rtc_put_raw_u32, RTC_RES_UID, res->uid);
	PUT(RTC_RES_F_EXPIRES, rtc_put_raw_u32, RTC_RES_EXPIRES,
	    res->expires);
	PUT(RTC_RES_F_TOS, rtc_put_raw_u8, RTC_RES_TOS, res->tos);
#undef PUT
	if (res->present & RTC_RES_F_METRICS) {
		mx = rtc_nest_raw(nlh, RTC_RES_METRICS);
		for (i = 1; i <= RTC_METRIC_MAX; i++)
			if (res->metrics_set & (1U << i))
				rtc_put_raw_u32(nlh, (uint16_t)i,
				    res->metrics[i]);
		rtc_nest_raw_end(nlh, mx);
	}
	rtc_nest_raw_end(nlh, nest);
}

int
rtc_put_result(struct nlmsghdr *nlh, size_t size,
    const struct rtc_result *res)
{
	uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest;
	bool ok = true;

	size = rtc_cap(size);
	/* per lookup in the daemon: one size check instead of one a field */
	if (MNL_ALIGN(len) + rtc_result_size(res) <= size) {
		rtc_put_result_raw(nlh, res);
		return 0;
	}
	if ((nest = mnl_attr_nest_start_check(nlh, size, RTC_A_RESULT)) ==
	    NULL)
		return -EMSGSIZE;
#define PUT(bit, fn, attr, val)						\
	if (ok && (res->present & (bit)))				\
		ok = fn(nlh, size, attr, val)
	PUT(RTC_RES_F_ERROR, mnl_attr_put_u32_check, RTC_RES_ERROR,
	    res->error);
	PUT(RTC_RES_F_TYPE, mnl_attr_put_u8_check, RTC_RES_TYPE, res->type);
	PUT(RTC_RES_F_DST, mnl_attr_put_u32_check, RTC_RES_DST, res->dst);
	PUT(RTC_RES_F_SRC, mnl_attr_put_u32_check, RTC_RES_SRC, res->src);
	PUT(RTC_RES_F_PREFSRC, mnl_attr_put_u32_check, RTC_RES_PREFSRC,
	    res->prefsrc);
	PUT(RTC_RES_F_GATEWAY, mnl_attr_put_u32_check, RTC_RES_GATEWAY,
	    res->gateway);
	PUT(RTC_RES_F_OIF, mnl_attr_put_u32_check, RTC_RES_OIF, res->oif);
	PUT(RTC_RES_F_OIFNAME, mnl_attr_put_strz_check, RTC_RES_OIFNAME,
	    res->oifname);
	PUT(RTC_RES_F_IIF, mnl_attr_put_u32_check, RTC_RES_IIF, res->iif);
	PUT(RTC_RES_F_IIFNAME, mnl_attr_put_strz_check, RTC_RES_IIFNAME,
	    res->iifname);
	PUT(RTC_RES_F_TABLE, mnl_attr_put_u32_check, RTC_RES_TABLE,
	    res->table);
	PUT(RTC_RES_F_FLAGS, mnl_attr_put_u32_check, RTC_RES_FLAGS,
	    res->flags);
	PUT(RTC_RES_F_MARK, mnl_attr_put_u32_check, RTC_RES_MARK, res->mark);
	PUT(RTC_RES_F_UID, mnl_attr_put_u32_check, RTC_RES_UID, res->uid);
	PUT(RTC_RES_F_EXPIRES, mnl_attr_put_u32_check, RTC_RES_EXPIRES,
	    res->expires);
	PUT(RTC_RES_F_TOS, mnl_attr_put_u8_check, RTC_RES_TOS, res->tos);
#undef PUT
	if (ok && (res->present & RTC_RES_F_METRICS))
		ok = rtc_put_metrics(nlh, size, res);
	if (!ok)
		return rtc_rollback(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int
rtc_put_line(struct nlmsghdr *nlh, size_t size, const char *line)
{
	if (strlen(line) >= RTC_LINE_MAX)
		return -EINVAL;
	return rtc_put_str(nlh, size, RTC_A_LINE, line);
}

static int
rtc_put_kv(struct nlmsghdr *nlh, size_t size, const char *name,
    const char *str, uint64_t v)
{
	uint32_t len = nlh->nlmsg_len;
	struct nlattr *nest;
	bool ok;

	if (strlen(name) >= RTC_KV_NAMESIZ ||
	    (str != NULL && strlen(str) >= RTC_LINE_MAX))
		return -EINVAL;
	size = rtc_cap(size);
	if ((nest = mnl_attr_nest_start_check(nlh, size, RTC_A_KV)) == NULL)
		return -EMSGSIZE;
	ok = mnl_attr_put_strz_check(nlh, size, RTC_KV_NAME, name);
	if (ok && str != NULL)
		ok = mnl_attr_put_strz_check(nlh, size, RTC_KV_STR, str);
	else if (ok)
		ok = mnl_attr_put_u64_check(nlh, size, RTC_KV_U64, v);
	if (!ok)
		return rtc_rollback(nlh, len);
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

int
rtc_put_kv_u64(struct nlmsghdr *nlh, size_t size, const char *name,
    uint64_t v)
{
	return rtc_put_kv(nlh, size, name, NULL, v);
}

int
rtc_put_kv_str(struct nlmsghdr *nlh, size_t size, const char *name,
    const char *v)
{
	return rtc_put_kv(nlh, size, name, v != NULL ? v : "", 0);
}

/**
 * rtc_msg_error - build a whole ERROR reply
 * @err: errno, either sign
 *
 * A message longer than RTC_ERRMSG_MAX - 1 is cut.
 * Return: the message, or NULL when @size is too small.
 */
struct nlmsghdr *
rtc_msg_error(void *buf, size_t size, uint32_t seq, int err, const char *msg)
{
	char text[RTC_ERRMSG_MAX];
	struct nlmsghdr *nlh;

	if ((nlh = rtc_msg_start(buf, size, RTC_MSG_ERROR, 0, seq)) == NULL)
		return NULL;
	if (rtc_put_u32(nlh, size, RTC_A_ERRNO, err < 0 ? -err : err) < 0)
		return NULL;
	if (msg != NULL && *msg != '\0') {
		strncpy(text, msg, sizeof(text) - 1);
		text[sizeof(text) - 1] = '\0';
		if (rtc_put_str(nlh, size, RTC_A_ERRMSG, text) < 0)
			return NULL;
	}
	return nlh;
}

/* --- decoders ----------------------------------------------------------- */

/* One attribute's expected data type; MNL_TYPE_UNSPEC = not allowed. */
struct rtc_policy {
	enum mnl_attr_data_type	 type;
	uint16_t		 maxlen;	/* strings: bytes with NUL */
};

typedef int (*rtc_attr_cb_t)(const struct nlattr *a, void *data,
    const char **errmsg);

/*
 * mnl_attr_validate() plus the policy's length limit, open-coded (same
 * rules: fixed-size types need at least their size, NUL strings a NUL as
 * their last byte, nests nothing or at least one header).
 */
static inline bool
rtc_attr_valid(const struct nlattr *a, const struct rtc_policy *pol)
{
	size_t plen = a->nla_len - MNL_ATTR_HDRLEN;
	const char *d = (const char *)a + MNL_ATTR_HDRLEN;

	if (pol->maxlen != 0 && plen > pol->maxlen)
		return false;
	switch (pol->type) {
	case MNL_TYPE_U8:
		return plen >= 1;
	case MNL_TYPE_U16:
		return plen >= 2;
	case MNL_TYPE_U32:
		return plen >= 4;
	case MNL_TYPE_U64:
		return plen >= 8;
	case MNL_TYPE_NUL_STRING:
		return plen > 0 && d[plen - 1] == '\0';
	case MNL_TYPE_NESTED:
		return plen == 0 || plen >= MNL_ATTR_HDRLEN;
	default:
		return mnl_attr_validate(a, pol->type) >= 0;
	}
}

/* Payload readers without a call into libmnl. */
static inline uint32_t
rtc_get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, (const char *)a + MNL_ATTR_HDRLEN, sizeof(v));
	return v;
}

static inline uint16_t
rtc_get_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, (const char *)a + MNL_ATTR_HDRLEN, sizeof(v));
	return v;
}

static inline uint8_t
rtc_get_u8(const struct nlattr *a)
{
	return *((const uint8_t *)a + MNL_ATTR_HDRLEN);
}

/* A validated NUL string of at most @size bytes into @dst. */
static inline void
rtc_get_name(const struct nlattr *a, char *dst, size_t size)
{
	size_t plen = a->nla_len - MNL_ATTR_HDRLEN;

	if (plen > size)
		plen = size;
	memcpy(dst, (const char *)a + MNL_ATTR_HDRLEN, plen);
	dst[plen - 1] = '\0';
}

/*
 * Walk the attributes in [@start, @start + @len): each must be well formed
 * (mnl_attr_ok), valid for its type under @pol (types above @max, or
 * without a policy, are errors when @strict, skipped otherwise), and the
 * attributes must use up the bytes exactly.
 */
static int
rtc_attr_walk(const void *start, size_t len, const struct rtc_policy *pol,
    unsigned int max, bool strict, rtc_attr_cb_t cb, void *data,
    const char **errmsg)
{
	const struct nlattr *a = start;
	int rest = (int)len, rv;
	unsigned int t;

	/* mnl_attr_ok() and mnl_attr_next(), open-coded: this is per lookup */
	while (rest >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	    (int)a->nla_len <= rest) {
		rest -= MNL_ALIGN(a->nla_len);
		t = a->nla_type & NLA_TYPE_MASK;
		if (t > max || pol[t].type == MNL_TYPE_UNSPEC) {
			if (!strict)
				goto next;
			*errmsg = "unexpected attribute";
			return -EBADMSG;
		}
		if (!rtc_attr_valid(a, &pol[t])) {
			*errmsg = "malformed attribute";
			return -EBADMSG;
		}
		if (cb != NULL && (rv = cb(a, data, errmsg)) < 0)
			return rv;
next:
		a = (const struct nlattr *)((const char *)a +
		    MNL_ALIGN(a->nla_len));
	}
	/* A last attribute's padding may be missing only if nothing follows. */
	if (rest != 0 && !(rest < 0 && rest > -MNL_ALIGNTO)) {
		*errmsg = "malformed attribute";
		return -EBADMSG;
	}
	return 0;
}

static const struct rtc_policy rtc_nest_policy = { MNL_TYPE_NESTED, 0 };

/* Internal marker while decoding a flow: RTC_FLOW_DST was seen. */
#define RTC_FLOW_F_HAS_DST	0x80000000U

static inline const void *
rtc_payload(const struct nlattr *a)
{
	return (const char *)a + MNL_ATTR_HDRLEN;
}

static inline size_t
rtc_payload_len(const struct nlattr *a)
{
	return a->nla_len - MNL_ATTR_HDRLEN;
}

static const struct rtc_policy rtc_flow_policy[RTC_FLOW_MAX + 1] = {
	[RTC_FLOW_DST]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_SRC]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_IIF]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_IIFNAME]	= { MNL_TYPE_NUL_STRING, RTC_IFNAMSIZ },
	[RTC_FLOW_OIF]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_OIFNAME]	= { MNL_TYPE_NUL_STRING, RTC_IFNAMSIZ },
	[RTC_FLOW_TOS]		= { MNL_TYPE_U8, 0 },
	[RTC_FLOW_MARK]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_UID]		= { MNL_TYPE_U32, 0 },
	[RTC_FLOW_PROTO]	= { MNL_TYPE_U8, 0 },
	[RTC_FLOW_SPORT]	= { MNL_TYPE_U16, 0 },
	[RTC_FLOW_DPORT]	= { MNL_TYPE_U16, 0 },
};

static const struct rtc_policy rtc_res_policy[RTC_RES_MAX + 1] = {
	[RTC_RES_ERROR]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_TYPE]		= { MNL_TYPE_U8, 0 },
	[RTC_RES_DST]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_SRC]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_PREFSRC]	= { MNL_TYPE_U32, 0 },
	[RTC_RES_GATEWAY]	= { MNL_TYPE_U32, 0 },
	[RTC_RES_OIF]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_OIFNAME]	= { MNL_TYPE_NUL_STRING, RTC_IFNAMSIZ },
	[RTC_RES_IIF]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_IIFNAME]	= { MNL_TYPE_NUL_STRING, RTC_IFNAMSIZ },
	[RTC_RES_TABLE]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_FLAGS]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_MARK]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_UID]		= { MNL_TYPE_U32, 0 },
	[RTC_RES_METRICS]	= { MNL_TYPE_NESTED, 0 },
	[RTC_RES_EXPIRES]	= { MNL_TYPE_U32, 0 },
	[RTC_RES_TOS]		= { MNL_TYPE_U8, 0 },
};

static const struct rtc_policy rtc_kv_policy[RTC_KV_MAX + 1] = {
	[RTC_KV_NAME]		= { MNL_TYPE_NUL_STRING, RTC_KV_NAMESIZ },
	[RTC_KV_U64]		= { MNL_TYPE_U64, 0 },
	[RTC_KV_STR]		= { MNL_TYPE_NUL_STRING, RTC_LINE_MAX },
};

static const struct rtc_policy rtc_metric_policy[RTC_METRIC_MAX + 1] = {
	[1 ... RTC_METRIC_MAX]	= { MNL_TYPE_U32, 0 },
};

static int
rtc_flow_cb(const struct nlattr *a, void *data, const char **errmsg)
{
	struct rtc_flow *fl = data;

	(void)errmsg;
	switch (a->nla_type & NLA_TYPE_MASK) {
	case RTC_FLOW_DST:
		fl->dst = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_HAS_DST;
		break;
	case RTC_FLOW_SRC:
		fl->src = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_SRC;
		break;
	case RTC_FLOW_IIF:
		fl->iif = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_IIF;
		break;
	case RTC_FLOW_IIFNAME:
		rtc_get_name(a, fl->iifname, sizeof(fl->iifname));
		fl->present |= RTC_FLOW_F_IIFNAME;
		break;
	case RTC_FLOW_OIF:
		fl->oif = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_OIF;
		break;
	case RTC_FLOW_OIFNAME:
		rtc_get_name(a, fl->oifname, sizeof(fl->oifname));
		fl->present |= RTC_FLOW_F_OIFNAME;
		break;
	case RTC_FLOW_TOS:
		fl->tos = rtc_get_u8(a);
		fl->present |= RTC_FLOW_F_TOS;
		break;
	case RTC_FLOW_MARK:
		fl->mark = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_MARK;
		break;
	case RTC_FLOW_UID:
		fl->uid = rtc_get_u32(a);
		fl->present |= RTC_FLOW_F_UID;
		break;
	case RTC_FLOW_PROTO:
		fl->proto = rtc_get_u8(a);
		fl->present |= RTC_FLOW_F_PROTO;
		break;
	case RTC_FLOW_SPORT:
		fl->sport = rtc_get_u16(a);
		fl->present |= RTC_FLOW_F_SPORT;
		break;
	case RTC_FLOW_DPORT:
		fl->dport = rtc_get_u16(a);
		fl->present |= RTC_FLOW_F_DPORT;
		break;
	}
	return 0;
}

/**
 * rtc_flow_parse - decode and check one RTC_A_FLOW nest
 *
 * Return: 0, or -EBADMSG (malformed) / -EINVAL (no destination).
 */
int
rtc_flow_parse(const struct nlattr *nest, struct rtc_flow *fl,
    const char **errmsg)
{
	const char *dummy;
	bool has_dst;
	int rv;

	if (errmsg == NULL)
		errmsg = &dummy;
	memset(fl, 0, sizeof(*fl));
	if (!rtc_attr_valid(nest, &rtc_nest_policy)) {
		*errmsg = "malformed flow";
		return -EBADMSG;
	}
	if ((rv = rtc_attr_walk(rtc_payload(nest), rtc_payload_len(nest),
	    rtc_flow_policy, RTC_FLOW_MAX, true, rtc_flow_cb, fl,
	    errmsg)) < 0)
		return rv;
	has_dst = (fl->present & RTC_FLOW_F_HAS_DST) != 0;
	fl->present &= ~RTC_FLOW_F_HAS_DST;
	if (!has_dst) {
		*errmsg = "flow without destination";
		return -EINVAL;
	}
	return 0;
}

static int
rtc_metric_cb(const struct nlattr *a, void *data, const char **errmsg)
{
	struct rtc_result *res = data;
	unsigned int t = a->nla_type & NLA_TYPE_MASK;

	(void)errmsg;
	res->metrics[t] = rtc_get_u32(a);
	res->metrics_set |= 1U << t;
	return 0;
}

static int
rtc_res_cb(const struct nlattr *a, void *data, const char **errmsg)
{
	struct rtc_result *res = data;

	switch (a->nla_type & NLA_TYPE_MASK) {
#define GET(attr, bit, field, fn)					\
	case attr:							\
		res->field = fn(a);					\
		res->present |= bit;					\
		break
	GET(RTC_RES_ERROR, RTC_RES_F_ERROR, error, rtc_get_u32);
	GET(RTC_RES_TYPE, RTC_RES_F_TYPE, type, rtc_get_u8);
	GET(RTC_RES_DST, RTC_RES_F_DST, dst, rtc_get_u32);
	GET(RTC_RES_SRC, RTC_RES_F_SRC, src, rtc_get_u32);
	GET(RTC_RES_PREFSRC, RTC_RES_F_PREFSRC, prefsrc, rtc_get_u32);
	GET(RTC_RES_GATEWAY, RTC_RES_F_GATEWAY, gateway, rtc_get_u32);
	GET(RTC_RES_OIF, RTC_RES_F_OIF, oif, rtc_get_u32);
	GET(RTC_RES_IIF, RTC_RES_F_IIF, iif, rtc_get_u32);
	GET(RTC_RES_TABLE, RTC_RES_F_TABLE, table, rtc_get_u32);
	GET(RTC_RES_FLAGS, RTC_RES_F_FLAGS, flags, rtc_get_u32);
	GET(RTC_RES_MARK, RTC_RES_F_MARK, mark, rtc_get_u32);
	GET(RTC_RES_UID, RTC_RES_F_UID, uid, rtc_get_u32);
	GET(RTC_RES_EXPIRES, RTC_RES_F_EXPIRES, expires, rtc_get_u32);
	GET(RTC_RES_TOS, RTC_RES_F_TOS, tos, rtc_get_u8);
#undef GET
	case RTC_RES_OIFNAME:
		rtc_get_name(a, res->oifname, sizeof(res->oifname));
		res->present |= RTC_RES_F_OIFNAME;
		break;
	case RTC_RES_IIFNAME:
		rtc_get_name(a, res->iifname, sizeof(res->iifname));
		res->present |= RTC_RES_F_IIFNAME;
		break;
	case RTC_RES_METRICS:
		res->present |= RTC_RES_F_METRICS;
		return rtc_attr_walk(rtc_payload(a), rtc_payload_len(a),
		    rtc_metric_policy,
		    RTC_METRIC_MAX, false, rtc_metric_cb, res, errmsg);
	}
	return 0;
}

/**
 * rtc_result_parse - decode one RTC_A_RESULT nest
 *
 * Unknown attributes are skipped.  Return: 0 or -EBADMSG.
 */
int
rtc_result_parse(const struct nlattr *nest, struct rtc_result *res,
    const char **errmsg)
{
	const char *dummy;

	if (errmsg == NULL)
		errmsg = &dummy;
	memset(res, 0, sizeof(*res));
	if (!rtc_attr_valid(nest, &rtc_nest_policy)) {
		*errmsg = "malformed result";
		return -EBADMSG;
	}
	return rtc_attr_walk(rtc_payload(nest), rtc_payload_len(nest),
	    rtc_res_policy, RTC_RES_MAX, false,
	    rtc_res_cb, res, errmsg);
}

struct rtc_kv {
	const char	*name;
	const char	*str;
	uint64_t	 u64;
	bool		 has_u64;
};

static int
rtc_kv_cb(const struct nlattr *a, void *data, const char **errmsg)
{
	struct rtc_kv *kv = data;

	(void)errmsg;
	switch (mnl_attr_get_type(a)) {
	case RTC_KV_NAME:
		kv->name = mnl_attr_get_str(a);
		break;
	case RTC_KV_STR:
		kv->str = mnl_attr_get_str(a);
		break;
	case RTC_KV_U64:
		kv->u64 = mnl_attr_get_u64(a);
		kv->has_u64 = true;
		break;
	}
	return 0;
}

/**
 * rtc_kv_parse - decode one RTC_A_KV nest
 * @str: set to the string value, or NULL when the value is a number
 *
 * Return: 0, or -EBADMSG when malformed, nameless or valueless.
 */
int
rtc_kv_parse(const struct nlattr *nest, const char **name, const char **str,
    uint64_t *u64)
{
	struct rtc_kv kv = { NULL, NULL, 0, false };
	const char *errmsg;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    rtc_attr_walk(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), rtc_kv_policy, RTC_KV_MAX, false,
	    rtc_kv_cb, &kv, &errmsg) < 0 ||
	    kv.name == NULL || (kv.str == NULL && !kv.has_u64))
		return -EBADMSG;
	*name = kv.name;
	*str = kv.str;
	*u64 = kv.u64;
	return 0;
}

/* Which top-level attributes a message type may carry. */
#define A(x)	(1U << (x))
struct rtc_type_info {
	const char	*name;
	uint32_t	 attrs;		/* allowed RTC_A_* */
	uint32_t	 repeat;	/* of those, allowed more than once */
};

static const struct rtc_type_info rtc_types[] = {
	[RTC_MSG_ROUTE_GET - RTC_MSG_BASE] = { "route_get",
	    A(RTC_A_FLOW), A(RTC_A_FLOW) },
	[RTC_MSG_ROUTE_SHOW - RTC_MSG_BASE] = { "route_show",
	    A(RTC_A_TABLE), 0 },
	[RTC_MSG_RULE_SHOW - RTC_MSG_BASE] = { "rule_show", 0, 0 },
	[RTC_MSG_NEXTHOP_SHOW - RTC_MSG_BASE] = { "nexthop_show", 0, 0 },
	[RTC_MSG_LINK_SHOW - RTC_MSG_BASE] = { "link_show", 0, 0 },
	[RTC_MSG_ADDR_SHOW - RTC_MSG_BASE] = { "addr_show", 0, 0 },
	[RTC_MSG_CACHE_SHOW - RTC_MSG_BASE] = { "cache_show", 0, 0 },
	[RTC_MSG_CACHE_FLUSH - RTC_MSG_BASE] = { "cache_flush",
	    A(RTC_A_FLUSH_DELAY), 0 },
	[RTC_MSG_CACHE_STATS - RTC_MSG_BASE] = { "cache_stats", 0, 0 },
	[RTC_MSG_SLABINFO - RTC_MSG_BASE] = { "slabinfo", 0, 0 },
	[RTC_MSG_SLAB_TUNE - RTC_MSG_BASE] = { "slab_tune",
	    A(RTC_A_SLAB_NAME) | A(RTC_A_SLAB_LIMIT) |
	    A(RTC_A_SLAB_BATCHCOUNT) | A(RTC_A_SLAB_SHARED), 0 },
	[RTC_MSG_STATUS - RTC_MSG_BASE] = { "status", 0, 0 },
	[RTC_MSG_STATS - RTC_MSG_BASE] = { "stats", 0, 0 },
};

static const struct rtc_type_info rtc_reply_types[] = {
	[RTC_MSG_DONE - RTC_MSG_DONE] = { "done", 0, 0 },
	[RTC_MSG_ERROR - RTC_MSG_DONE] = { "error",
	    A(RTC_A_ERRNO) | A(RTC_A_ERRMSG), 0 },
	[RTC_MSG_ROUTE - RTC_MSG_DONE] = { "route",
	    A(RTC_A_RESULT), A(RTC_A_RESULT) },
	[RTC_MSG_TEXT - RTC_MSG_DONE] = { "text", A(RTC_A_LINE), A(RTC_A_LINE) },
	[RTC_MSG_KV - RTC_MSG_DONE] = { "kv", A(RTC_A_KV), A(RTC_A_KV) },
};
#undef A

static const struct rtc_policy rtc_top_policy[RTC_A_MAX + 1] = {
	[RTC_A_FLOW]		= { MNL_TYPE_NESTED, 0 },
	[RTC_A_RESULT]		= { MNL_TYPE_NESTED, 0 },
	[RTC_A_TABLE]		= { MNL_TYPE_U32, 0 },
	[RTC_A_LINE]		= { MNL_TYPE_NUL_STRING, RTC_LINE_MAX },
	[RTC_A_KV]		= { MNL_TYPE_NESTED, 0 },
	[RTC_A_ERRNO]		= { MNL_TYPE_U32, 0 },
	[RTC_A_ERRMSG]		= { MNL_TYPE_NUL_STRING, RTC_ERRMSG_MAX },
	[RTC_A_FLUSH_DELAY]	= { MNL_TYPE_U32, 0 },
	[RTC_A_SLAB_NAME]	= { MNL_TYPE_NUL_STRING, 64 },
	[RTC_A_SLAB_LIMIT]	= { MNL_TYPE_U32, 0 },
	[RTC_A_SLAB_BATCHCOUNT]	= { MNL_TYPE_U32, 0 },
	[RTC_A_SLAB_SHARED]	= { MNL_TYPE_U32, 0 },
};

static const struct rtc_type_info *
rtc_type_info(uint16_t type, int request)
{
	if (request) {
		if (type >= RTC_MSG_BASE && type <= RTC_MSG_REQ_LAST)
			return &rtc_types[type - RTC_MSG_BASE];
	} else if (type >= RTC_MSG_DONE && type <= RTC_MSG_REPLY_LAST)
		return &rtc_reply_types[type - RTC_MSG_DONE];
	return NULL;
}

const char *
rtc_msg_type_name(uint16_t type)
{
	const struct rtc_type_info *ti;

	if ((ti = rtc_type_info(type, 1)) == NULL &&
	    (ti = rtc_type_info(type, 0)) == NULL)
		return "unknown";
	return ti->name;
}

struct rtc_top {
	struct rtc_msg			*m;
	const struct rtc_type_info	*ti;
	uint32_t			 seen;
	int				 request;
	bool				 deep;		/* decode results too */
};

static int
rtc_top_cb(const struct nlattr *a, void *data, const char **errmsg)
{
	struct rtc_top *top = data;
	struct rtc_msg *m = top->m;
	unsigned int t = mnl_attr_get_type(a);
	struct rtc_result res;
	struct rtc_flow fl;
	const char *name, *str;
	uint64_t u64;
	int rv;

	if (!(top->ti->attrs & (1U << t))) {
		if (!top->request)
			return 0;	/* replies: skip what we don't know */
		*errmsg = "unexpected attribute";
		return -EBADMSG;
	}
	if ((top->seen & (1U << t)) && !(top->ti->repeat & (1U << t))) {
		*errmsg = "duplicate attribute";
		return -EBADMSG;
	}
	top->seen |= 1U << t;
	m->tb[t] = a;
	switch (t) {
	case RTC_A_FLOW:
		if (++m->nflows > RTC_BATCH_MAX) {
			*errmsg = "too many flows in one message";
			return -E2BIG;
		}
		if ((rv = rtc_flow_parse(a, &fl, errmsg)) < 0)
			return rv;
		break;
	case RTC_A_RESULT:
		m->nresults++;
		if (top->deep && (rv = rtc_result_parse(a, &res, errmsg)) < 0)
			return rv;
		break;
	case RTC_A_LINE:
		m->nlines++;
		break;
	case RTC_A_KV:
		m->nkv++;
		if (rtc_kv_parse(a, &name, &str, &u64) < 0) {
			*errmsg = "malformed key/value";
			return -EBADMSG;
		}
		break;
	}
	return 0;
}

/**
 * rtc_msg_parse - check one received message and index its attributes
 * @request: nonzero to accept requests (daemon side), zero for replies
 *
 * Return: 0 or -errno: -EBADMSG truncated, bad length or malformed
 * attribute; -EMSGSIZE longer than RTC_MSG_MAX; -EPROTO other version;
 * -EOPNOTSUPP unknown type; -E2BIG too many flows; -EINVAL a required
 * attribute missing.  *@errmsg says which.
 */
int
rtc_msg_parse(const void *buf, size_t len, int request, struct rtc_msg *m,
    const char **errmsg)
{
	return rtcp_msg_parse(buf, len, request, m, errmsg, true);
}

/**
 * rtcp_msg_parse - rtc_msg_parse(), optionally without decoding each
 * RTC_A_RESULT nest: for a client that decodes (and so checks) every
 * result with rtc_result_parse() right after, which halves its work per
 * answer.  Everything else is checked as by rtc_msg_parse().
 */
int
rtcp_msg_parse(const void *buf, size_t len, int request, struct rtc_msg *m,
    const char **errmsg, bool deep)
{
	const struct nlmsghdr *nlh = buf;
	struct rtc_top top;
	const char *dummy;
	int rv;

	if (errmsg == NULL)
		errmsg = &dummy;
	memset(m, 0, sizeof(*m));
	if (buf == NULL || len < RTC_HDRLEN) {
		*errmsg = "truncated message";
		return -EBADMSG;
	}
	if (len > RTC_MSG_MAX) {
		*errmsg = "message too long";
		return -EMSGSIZE;
	}
	if (nlh->nlmsg_len != len || len % MNL_ALIGNTO != 0) {
		*errmsg = "bad message length";
		return -EBADMSG;
	}
	m->nlh = nlh;
	m->rh = mnl_nlmsg_get_payload(nlh);
	m->type = nlh->nlmsg_type;
	m->flags = nlh->nlmsg_flags;
	m->seq = nlh->nlmsg_seq;
	if (m->rh->rh_version != RTC_PROTO_VERSION) {
		*errmsg = "unsupported protocol version";
		return -EPROTO;
	}
	top.m = m;
	top.seen = 0;
	top.request = request;
	top.deep = deep || request;
	if ((top.ti = rtc_type_info(m->type, request)) == NULL) {
		*errmsg = "unknown message type";
		return -EOPNOTSUPP;
	}
	if (request && !(m->flags & NLM_F_REQUEST)) {
		*errmsg = "request without NLM_F_REQUEST";
		return -EBADMSG;
	}
	if ((rv = rtc_attr_walk((const char *)buf + RTC_HDRLEN,
	    len - RTC_HDRLEN, rtc_top_policy, RTC_A_MAX, request != 0,
	    rtc_top_cb, &top, errmsg)) < 0)
		return rv;
	if (m->type == RTC_MSG_ROUTE_GET && m->nflows == 0) {
		*errmsg = "route get without a flow";
		return -EINVAL;
	}
	if (m->type == RTC_MSG_SLAB_TUNE && m->tb[RTC_A_SLAB_NAME] == NULL) {
		*errmsg = "slab tune without a cache name";
		return -EINVAL;
	}
	if (m->type == RTC_MSG_ERROR && m->tb[RTC_A_ERRNO] == NULL) {
		*errmsg = "error reply without an errno";
		return -EBADMSG;
	}
	return 0;
}
