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
 * every attribute (nests included) with base/nlattr.h's iterator against
 * policy tables of data types and a per-type table of allowed attributes;
 * attributes must cover the payload exactly.  Requests are checked
 * strictly (unknown attributes are errors); replies leniently (unknown
 * attributes are skipped) so an older client can talk to a newer daemon.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "base/nlattr.h"
#include "rtcache/proto.h"
#include "lib/proto_internal.h"

/* --- builders ----------------------------------------------------------- */

/**
 * rtc_msg_start - start a message in @buf
 * @size: bytes available in @buf (clamped to RTC_MSG_MAX)
 *
 * Return: the header, or NULL when @size cannot hold the headers.
 */
/*
 * libmnl (1.0.4) leaves an attribute's padding as the buffer had it, and
 * reply buffers are reused: the writers of padded payloads (u8, u16,
 * strings) zero it, so that a message never carries bytes of an earlier
 * one.  u32 and u64 payloads have no padding.
 */
static bool
zero_pad(struct nlattr *a, bool ok)
{
	if (ok)
		memset((char *)a + a->nla_len, 0,
		    MNL_ALIGN(a->nla_len) - a->nla_len);
	return ok;
}

static bool
put_u8_check(struct nlmsghdr *nlh, size_t size, uint16_t type, uint8_t v)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	return zero_pad(a, mnl_attr_put_u8_check(nlh, size, type, v));
}

static bool
put_u16_check(struct nlmsghdr *nlh, size_t size, uint16_t type, uint16_t v)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	return zero_pad(a, mnl_attr_put_u16_check(nlh, size, type, v));
}

static bool
put_strz_check(struct nlmsghdr *nlh, size_t size, uint16_t type,
    const char *s)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(nlh);

	return zero_pad(a, mnl_attr_put_strz_check(nlh, size, type, s));
}

static bool
put_flag_check(struct nlmsghdr *nlh, size_t size, uint16_t type, int on)
{
	(void)on;
	return mnl_attr_put_check(nlh, size, type, 0, NULL);
}

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
	return put_strz_check(nlh, rtc_cap(size), type, s) ? 0 :
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
	PUT(RTC_FLOW_F_IIFNAME, put_strz_check, RTC_FLOW_IIFNAME,
	    fl->iifname);
	PUT(RTC_FLOW_F_OIF, mnl_attr_put_u32_check, RTC_FLOW_OIF, fl->oif);
	PUT(RTC_FLOW_F_OIFNAME, put_strz_check, RTC_FLOW_OIFNAME,
	    fl->oifname);
	PUT(RTC_FLOW_F_TOS, put_u8_check, RTC_FLOW_TOS, fl->tos);
	PUT(RTC_FLOW_F_MARK, mnl_attr_put_u32_check, RTC_FLOW_MARK, fl->mark);
	PUT(RTC_FLOW_F_UID, mnl_attr_put_u32_check, RTC_FLOW_UID, fl->uid);
	PUT(RTC_FLOW_F_PROTO, put_u8_check, RTC_FLOW_PROTO,
	    fl->proto);
	PUT(RTC_FLOW_F_SPORT, put_u16_check, RTC_FLOW_SPORT,
	    fl->sport);
	PUT(RTC_FLOW_F_DPORT, put_u16_check, RTC_FLOW_DPORT,
	    fl->dport);
	PUT(RTC_FLOW_F_FIBMATCH, put_flag_check, RTC_FLOW_FIBMATCH, 1);
	PUT(RTC_FLOW_F_VRF, put_flag_check, RTC_FLOW_VRF, 1);
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
	    RTC_RES_F_IIFNAME | RTC_RES_F_METRICS | RTC_RES_F_FIB |
	    RTC_RES_F_ERRMSG);
	size_t n = MNL_ATTR_HDRLEN;

	n += (size_t)__builtin_popcount(fixed) * 8;
	if (res->present & RTC_RES_F_OIFNAME)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->oifname) + 1);
	if (res->present & RTC_RES_F_IIFNAME)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->iifname) + 1);
	if (res->present & RTC_RES_F_FIB)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->fib) + 1);
	if (res->present & RTC_RES_F_ERRMSG)
		n += MNL_ALIGN(MNL_ATTR_HDRLEN + strlen(res->errmsg) + 1);
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
	PUT(RTC_RES_F_FLOW, rtc_put_raw_u32, RTC_RES_FLOW, res->flow);
	if (res->present & RTC_RES_F_FIB)
		rtc_put_raw(nlh, RTC_RES_FIB, res->fib, strlen(res->fib) + 1);
	if (res->present & RTC_RES_F_ERRMSG)
		rtc_put_raw(nlh, RTC_RES_ERRMSG, res->errmsg,
		    strlen(res->errmsg) + 1);
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
	PUT(RTC_RES_F_TYPE, put_u8_check, RTC_RES_TYPE, res->type);
	PUT(RTC_RES_F_DST, mnl_attr_put_u32_check, RTC_RES_DST, res->dst);
	PUT(RTC_RES_F_SRC, mnl_attr_put_u32_check, RTC_RES_SRC, res->src);
	PUT(RTC_RES_F_PREFSRC, mnl_attr_put_u32_check, RTC_RES_PREFSRC,
	    res->prefsrc);
	PUT(RTC_RES_F_GATEWAY, mnl_attr_put_u32_check, RTC_RES_GATEWAY,
	    res->gateway);
	PUT(RTC_RES_F_OIF, mnl_attr_put_u32_check, RTC_RES_OIF, res->oif);
	PUT(RTC_RES_F_OIFNAME, put_strz_check, RTC_RES_OIFNAME,
	    res->oifname);
	PUT(RTC_RES_F_IIF, mnl_attr_put_u32_check, RTC_RES_IIF, res->iif);
	PUT(RTC_RES_F_IIFNAME, put_strz_check, RTC_RES_IIFNAME,
	    res->iifname);
	PUT(RTC_RES_F_TABLE, mnl_attr_put_u32_check, RTC_RES_TABLE,
	    res->table);
	PUT(RTC_RES_F_FLAGS, mnl_attr_put_u32_check, RTC_RES_FLAGS,
	    res->flags);
	PUT(RTC_RES_F_MARK, mnl_attr_put_u32_check, RTC_RES_MARK, res->mark);
	PUT(RTC_RES_F_UID, mnl_attr_put_u32_check, RTC_RES_UID, res->uid);
	PUT(RTC_RES_F_EXPIRES, mnl_attr_put_u32_check, RTC_RES_EXPIRES,
	    res->expires);
	PUT(RTC_RES_F_TOS, put_u8_check, RTC_RES_TOS, res->tos);
	PUT(RTC_RES_F_FLOW, mnl_attr_put_u32_check, RTC_RES_FLOW, res->flow);
	PUT(RTC_RES_F_FIB, put_strz_check, RTC_RES_FIB, res->fib);
	PUT(RTC_RES_F_ERRMSG, put_strz_check, RTC_RES_ERRMSG, res->errmsg);
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
	ok = put_strz_check(nlh, size, RTC_KV_NAME, name);
	if (ok && str != NULL)
		ok = put_strz_check(nlh, size, RTC_KV_STR, str);
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

#define U8	{ MNL_TYPE_U8, 0, 0 }
#define U16	{ MNL_TYPE_U16, 0, 0 }
#define U32	{ MNL_TYPE_U32, 0, 0 }
#define U64	{ MNL_TYPE_U64, 0, 0 }
#define NEST	{ MNL_TYPE_NESTED, 0, 0 }
#define STR(n)	{ MNL_TYPE_NUL_STRING, 0, (n) }
#define FLAG	{ MNL_TYPE_FLAG, 0, 0 }

static const struct nlattr_pol rtc_flow_policy[RTC_FLOW_MAX + 1] = {
	[RTC_FLOW_DST]		= U32,
	[RTC_FLOW_SRC]		= U32,
	[RTC_FLOW_IIF]		= U32,
	[RTC_FLOW_IIFNAME]	= STR(RTC_IFNAMSIZ),
	[RTC_FLOW_OIF]		= U32,
	[RTC_FLOW_OIFNAME]	= STR(RTC_IFNAMSIZ),
	[RTC_FLOW_TOS]		= U8,
	[RTC_FLOW_MARK]		= U32,
	[RTC_FLOW_UID]		= U32,
	[RTC_FLOW_PROTO]	= U8,
	[RTC_FLOW_SPORT]	= U16,
	[RTC_FLOW_DPORT]	= U16,
	[RTC_FLOW_FIBMATCH]	= FLAG,
	[RTC_FLOW_VRF]		= FLAG,
};

static const struct nlattr_pol rtc_res_policy[RTC_RES_MAX + 1] = {
	[RTC_RES_ERROR]		= U32,
	[RTC_RES_TYPE]		= U8,
	[RTC_RES_DST]		= U32,
	[RTC_RES_SRC]		= U32,
	[RTC_RES_PREFSRC]	= U32,
	[RTC_RES_GATEWAY]	= U32,
	[RTC_RES_OIF]		= U32,
	[RTC_RES_OIFNAME]	= STR(RTC_IFNAMSIZ),
	[RTC_RES_IIF]		= U32,
	[RTC_RES_IIFNAME]	= STR(RTC_IFNAMSIZ),
	[RTC_RES_TABLE]		= U32,
	[RTC_RES_FLAGS]		= U32,
	[RTC_RES_MARK]		= U32,
	[RTC_RES_UID]		= U32,
	[RTC_RES_METRICS]	= NEST,
	[RTC_RES_EXPIRES]	= U32,
	[RTC_RES_TOS]		= U8,
	[RTC_RES_FLOW]		= U32,
	[RTC_RES_FIB]		= STR(RTC_FIB_MAX),
	[RTC_RES_ERRMSG]	= STR(RTC_ERRMSG_MAX),
};

static const struct nlattr_pol rtc_kv_policy[RTC_KV_MAX + 1] = {
	[RTC_KV_NAME]		= STR(RTC_KV_NAMESIZ),
	[RTC_KV_U64]		= U64,
	[RTC_KV_STR]		= STR(RTC_LINE_MAX),
};

static const struct nlattr_pol rtc_metric_policy[RTC_METRIC_MAX + 1] = {
	[1 ... RTC_METRIC_MAX]	= U32,
};

/* Internal marker while decoding a flow: RTC_FLOW_DST was seen. */
#define RTC_FLOW_F_HAS_DST	0x80000000U

/*
 * Where a checked attribute of a flow or a result goes, by type: numbers
 * are copied as they came (the policy fixed their size to the field's),
 * names cut to the field and terminated, texts pointed at where they
 * are (the policy checked their terminator), flags only marked present.
 */
enum rtc_field_kind {
	RTC_FIELD_NUM,
	RTC_FIELD_NAME,
	RTC_FIELD_TEXT,
	RTC_FIELD_FLAG,
};

struct rtc_field {
	uint16_t	 off;
	uint8_t		 size;
	uint8_t		 kind;
	uint32_t	 bit;		/* presence bit */
};

#define NUM(s, b, f) \
	{ offsetof(struct s, f), sizeof(((struct s *)0)->f), RTC_FIELD_NUM, b }
#define NAME(s, b, f) \
	{ offsetof(struct s, f), sizeof(((struct s *)0)->f), RTC_FIELD_NAME, b }
#define TEXT(s, b, f) \
	{ offsetof(struct s, f), sizeof(((struct s *)0)->f), RTC_FIELD_TEXT, b }
#define ISSET(b)	{ 0, 0, RTC_FIELD_FLAG, b }

static const struct rtc_field rtc_flow_fields[RTC_FLOW_MAX + 1] = {
	[RTC_FLOW_DST]	   = NUM(rtc_flow, RTC_FLOW_F_HAS_DST, dst),
	[RTC_FLOW_SRC]	   = NUM(rtc_flow, RTC_FLOW_F_SRC, src),
	[RTC_FLOW_IIF]	   = NUM(rtc_flow, RTC_FLOW_F_IIF, iif),
	[RTC_FLOW_IIFNAME] = NAME(rtc_flow, RTC_FLOW_F_IIFNAME, iifname),
	[RTC_FLOW_OIF]	   = NUM(rtc_flow, RTC_FLOW_F_OIF, oif),
	[RTC_FLOW_OIFNAME] = NAME(rtc_flow, RTC_FLOW_F_OIFNAME, oifname),
	[RTC_FLOW_TOS]	   = NUM(rtc_flow, RTC_FLOW_F_TOS, tos),
	[RTC_FLOW_MARK]	   = NUM(rtc_flow, RTC_FLOW_F_MARK, mark),
	[RTC_FLOW_UID]	   = NUM(rtc_flow, RTC_FLOW_F_UID, uid),
	[RTC_FLOW_PROTO]   = NUM(rtc_flow, RTC_FLOW_F_PROTO, proto),
	[RTC_FLOW_SPORT]   = NUM(rtc_flow, RTC_FLOW_F_SPORT, sport),
	[RTC_FLOW_DPORT]   = NUM(rtc_flow, RTC_FLOW_F_DPORT, dport),
	[RTC_FLOW_FIBMATCH] = ISSET(RTC_FLOW_F_FIBMATCH),
	[RTC_FLOW_VRF]	   = ISSET(RTC_FLOW_F_VRF),
};

/* RTC_RES_METRICS is a nest: rtc_res_cb() decodes it. */
static const struct rtc_field rtc_res_fields[RTC_RES_MAX + 1] = {
	[RTC_RES_ERROR]	  = NUM(rtc_result, RTC_RES_F_ERROR, error),
	[RTC_RES_TYPE]	  = NUM(rtc_result, RTC_RES_F_TYPE, type),
	[RTC_RES_DST]	  = NUM(rtc_result, RTC_RES_F_DST, dst),
	[RTC_RES_SRC]	  = NUM(rtc_result, RTC_RES_F_SRC, src),
	[RTC_RES_PREFSRC] = NUM(rtc_result, RTC_RES_F_PREFSRC, prefsrc),
	[RTC_RES_GATEWAY] = NUM(rtc_result, RTC_RES_F_GATEWAY, gateway),
	[RTC_RES_OIF]	  = NUM(rtc_result, RTC_RES_F_OIF, oif),
	[RTC_RES_OIFNAME] = NAME(rtc_result, RTC_RES_F_OIFNAME, oifname),
	[RTC_RES_IIF]	  = NUM(rtc_result, RTC_RES_F_IIF, iif),
	[RTC_RES_IIFNAME] = NAME(rtc_result, RTC_RES_F_IIFNAME, iifname),
	[RTC_RES_TABLE]	  = NUM(rtc_result, RTC_RES_F_TABLE, table),
	[RTC_RES_FLAGS]	  = NUM(rtc_result, RTC_RES_F_FLAGS, flags),
	[RTC_RES_MARK]	  = NUM(rtc_result, RTC_RES_F_MARK, mark),
	[RTC_RES_UID]	  = NUM(rtc_result, RTC_RES_F_UID, uid),
	[RTC_RES_EXPIRES] = NUM(rtc_result, RTC_RES_F_EXPIRES, expires),
	[RTC_RES_TOS]	  = NUM(rtc_result, RTC_RES_F_TOS, tos),
	[RTC_RES_FLOW]	  = NUM(rtc_result, RTC_RES_F_FLOW, flow),
	[RTC_RES_FIB]	  = TEXT(rtc_result, RTC_RES_F_FIB, fib),
	[RTC_RES_ERRMSG]  = TEXT(rtc_result, RTC_RES_F_ERRMSG, errmsg),
};
#undef NUM
#undef NAME
#undef TEXT
#undef ISSET

/* What a field walk fills: the object, its presence bits, its fields. */
struct rtc_fill {
	void			*obj;
	uint32_t		*present;
	const struct rtc_field	*fields;
	const char		**errmsg;
};

/* nlattr_fn: one checked attribute into its field. */
static int
rtc_field_cb(const struct nlattr *a, uint16_t t, void *arg)
{
	struct rtc_fill *fl = arg;
	const struct rtc_field *f = &fl->fields[t];
	/* mnl_attr_get_payload() and _len(), without the calls: a leaf
	 * function, per attribute of every lookup */
	const char *src = (const char *)a + MNL_ATTR_HDRLEN;
	char *dst = (char *)fl->obj + f->off;
	size_t n;

	if (f->kind == RTC_FIELD_NAME) {
		n = a->nla_len - MNL_ATTR_HDRLEN;
		n = n < f->size ? n : f->size;
		memcpy(dst, src, n);
		dst[n - 1] = '\0';
	} else if (f->kind == RTC_FIELD_TEXT)
		memcpy(dst, &src, sizeof(src));
	else if (f->kind == RTC_FIELD_FLAG)
		;
	else if (f->size == 4)
		memcpy(dst, src, 4);
	else if (f->size == 2)
		memcpy(dst, src, 2);
	else
		*dst = *src;
	*fl->present |= f->bit;
	return 0;
}

/*
 * Walk the attributes of @nest with @fn, in the codec's words for what is
 * wrong: @what when @nest is no nest, else which attribute failed.
 */
static int
rtc_nest(const struct nlattr *nest, const struct nlattr_pol *pol,
    uint16_t max, unsigned int flags, nlattr_fn fn, void *arg,
    const char *what, const char **errmsg)
{
	int rv;

	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0) {
		*errmsg = what;
		return -EBADMSG;
	}
	rv = nlattr_walk(mnl_attr_get_payload(nest),
	    mnl_attr_get_payload_len(nest), pol, max, flags, fn, arg);
	if (rv == -ENOMSG) {
		*errmsg = "unexpected attribute";
		return -EBADMSG;
	}
	if (rv == -EBADMSG)
		*errmsg = "malformed attribute";
	return rv;
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
	struct rtc_fill f = { fl, &fl->present, rtc_flow_fields, errmsg };
	const char *dummy;
	bool has_dst;
	int rv;

	if (errmsg == NULL)
		errmsg = &dummy;
	memset(fl, 0, sizeof(*fl));
	if ((rv = rtc_nest(nest, rtc_flow_policy, RTC_FLOW_MAX, NLATTR_STRICT,
	    rtc_field_cb, &f, "malformed flow", errmsg)) < 0)
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
rtc_metric_cb(const struct nlattr *a, uint16_t t, void *arg)
{
	struct rtc_result *res = arg;

	res->metrics[t] = mnl_attr_get_u32(a);
	res->metrics_set |= 1U << t;
	return 0;
}

static int
rtc_res_cb(const struct nlattr *a, uint16_t t, void *arg)
{
	struct rtc_fill *fl = arg;

	if (t != RTC_RES_METRICS)
		return rtc_field_cb(a, t, arg);
	*fl->present |= RTC_RES_F_METRICS;
	return rtc_nest(a, rtc_metric_policy, RTC_METRIC_MAX, 0, rtc_metric_cb,
	    fl->obj, "malformed attribute", fl->errmsg);
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
	struct rtc_fill f = { res, &res->present, rtc_res_fields, NULL };
	const char *dummy;

	if (errmsg == NULL)
		errmsg = &dummy;
	f.errmsg = errmsg;
	memset(res, 0, sizeof(*res));
	return rtc_nest(nest, rtc_res_policy, RTC_RES_MAX, 0, rtc_res_cb, &f,
	    "malformed result", errmsg);
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
	const struct nlattr *tb[RTC_KV_MAX + 1];

	if (nlattr_parse_nested(nest, rtc_kv_policy, RTC_KV_MAX, 0, tb) < 0 ||
	    tb[RTC_KV_NAME] == NULL ||
	    (tb[RTC_KV_STR] == NULL && tb[RTC_KV_U64] == NULL))
		return -EBADMSG;
	*name = mnl_attr_get_str(tb[RTC_KV_NAME]);
	*str = tb[RTC_KV_STR] ? mnl_attr_get_str(tb[RTC_KV_STR]) : NULL;
	*u64 = tb[RTC_KV_U64] ? mnl_attr_get_u64(tb[RTC_KV_U64]) : 0;
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

static const struct nlattr_pol rtc_top_policy[RTC_A_MAX + 1] = {
	[RTC_A_FLOW]		= NEST,
	[RTC_A_RESULT]		= NEST,
	[RTC_A_TABLE]		= U32,
	[RTC_A_LINE]		= STR(RTC_LINE_MAX),
	[RTC_A_KV]		= NEST,
	[RTC_A_ERRNO]		= U32,
	[RTC_A_ERRMSG]		= STR(RTC_ERRMSG_MAX),
	[RTC_A_FLUSH_DELAY]	= U32,
	[RTC_A_SLAB_NAME]	= STR(64),
	[RTC_A_SLAB_LIMIT]	= U32,
	[RTC_A_SLAB_BATCHCOUNT]	= U32,
	[RTC_A_SLAB_SHARED]	= U32,
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
	const char			*errmsg;	/* set with an error */
};

static int
rtc_top_cb(const struct nlattr *a, uint16_t t, void *data)
{
	struct rtc_top *top = data;
	struct rtc_msg *m = top->m;
	const char **errmsg = &top->errmsg;
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
	top.errmsg = NULL;
	if ((top.ti = rtc_type_info(m->type, request)) == NULL) {
		*errmsg = "unknown message type";
		return -EOPNOTSUPP;
	}
	if (request && !(m->flags & NLM_F_REQUEST)) {
		*errmsg = "request without NLM_F_REQUEST";
		return -EBADMSG;
	}
	rv = nlattr_walk((const char *)buf + RTC_HDRLEN, len - RTC_HDRLEN,
	    rtc_top_policy, RTC_A_MAX, request ? NLATTR_STRICT : 0,
	    rtc_top_cb, &top);
	if (rv < 0) {
		*errmsg = top.errmsg != NULL ? top.errmsg : rv == -ENOMSG ?
		    "unexpected attribute" : "malformed attribute";
		return rv == -ENOMSG ? -EBADMSG : rv;
	}
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
