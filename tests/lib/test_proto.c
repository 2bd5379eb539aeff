/* SPDX-License-Identifier: MIT */
/*
 * test_proto.c - the control protocol codec: every message type built and
 * decoded again, and every class of malformed message refused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <criterion/criterion.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "rtcache/proto.h"

static unsigned char buf[RTC_MSG_MAX + 64];

static uint32_t
ip(const char *s)
{
	struct in_addr in;

	cr_assert_eq(inet_pton(AF_INET, s, &in), 1);
	return in.s_addr;
}

static void
must_parse(const struct nlmsghdr *nlh, int request, struct rtc_msg *m)
{
	const char *why = NULL;
	int rv = rtc_msg_parse(nlh, nlh->nlmsg_len, request, m, &why);

	cr_assert_eq(rv, 0, "parse failed: %d %s", rv, why ? why : "");
}

static int
parse_err(const void *b, size_t len, int request)
{
	struct rtc_msg m;
	const char *why = NULL;
	int rv = rtc_msg_parse(b, len, request, &m, &why);

	if (rv < 0)
		cr_assert_not_null(why, "an error without a message");
	return rv;
}

Test(proto, header_layout)
{
	cr_assert_eq(sizeof(struct rtc_hdr), 8);
	cr_assert_eq(RTC_HDRLEN, 24);
}

Test(proto, every_request_type_round_trips)
{
	uint16_t t;
	struct rtc_msg m;
	struct nlmsghdr *nlh;
	struct rtc_flow fl = { .dst = 0x01020304 };

	for (t = RTC_MSG_BASE; t <= RTC_MSG_REQ_LAST; t++) {
		nlh = rtc_msg_start(buf, RTC_MSG_MAX, t, NLM_F_REQUEST, t * 7);
		cr_assert_not_null(nlh);
		if (t == RTC_MSG_ROUTE_GET)
			cr_assert_eq(rtc_put_flow(nlh, RTC_MSG_MAX, &fl), 0);
		if (t == RTC_MSG_ROUTE_SHOW)
			cr_assert_eq(rtc_put_u32(nlh, RTC_MSG_MAX, RTC_A_TABLE,
			    0xffffffffU), 0);
		if (t == RTC_MSG_CACHE_FLUSH)
			cr_assert_eq(rtc_put_u32(nlh, RTC_MSG_MAX,
			    RTC_A_FLUSH_DELAY, 5), 0);
		if (t == RTC_MSG_SLAB_TUNE) {
			rtc_put_str(nlh, RTC_MSG_MAX, RTC_A_SLAB_NAME,
			    "ip_dst_cache");
			rtc_put_u32(nlh, RTC_MSG_MAX, RTC_A_SLAB_LIMIT, 120);
			rtc_put_u32(nlh, RTC_MSG_MAX, RTC_A_SLAB_BATCHCOUNT,
			    60);
			rtc_put_u32(nlh, RTC_MSG_MAX, RTC_A_SLAB_SHARED, 8);
		}
		must_parse(nlh, 1, &m);
		cr_assert_eq(m.type, t);
		cr_assert_eq(m.seq, t * 7u);
		cr_assert_eq(m.rh->rh_version, RTC_PROTO_VERSION);
		cr_assert_str_neq(rtc_msg_type_name(t), "unknown");
		/* a request is not a reply */
		cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EOPNOTSUPP);
	}
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_SLAB_TUNE,
	    NLM_F_REQUEST, 1);
	rtc_put_str(nlh, RTC_MSG_MAX, RTC_A_SLAB_NAME, "x");
	must_parse(nlh, 1, &m);
	cr_assert_str_eq(mnl_attr_get_str(m.tb[RTC_A_SLAB_NAME]), "x");
}

Test(proto, flow_round_trip_all_fields)
{
	static struct rtc_flow in = {
		.present = RTC_FLOW_F_SRC | RTC_FLOW_F_IIF |
		    RTC_FLOW_F_IIFNAME | RTC_FLOW_F_OIF | RTC_FLOW_F_OIFNAME |
		    RTC_FLOW_F_TOS | RTC_FLOW_F_MARK | RTC_FLOW_F_UID |
		    RTC_FLOW_F_PROTO | RTC_FLOW_F_SPORT | RTC_FLOW_F_DPORT |
		    RTC_FLOW_F_FIBMATCH | RTC_FLOW_F_VRF,
		.dst = 0x08080808, .src = 0x0100000a, .iif = 3, .oif = 4,
		.mark = 0xdeadbeef, .uid = 1000, .sport = 0x3930,
		.dport = 0x5000, .tos = 0x10, .proto = 6,
		.iifname = "v0", .oifname = "veth-long-name",
	};
	struct rtc_flow out;
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	struct rtc_msg m;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	cr_assert_eq(rtc_put_flow(nlh, RTC_MSG_MAX, &in), 0);
	must_parse(nlh, 1, &m);
	cr_assert_eq(m.nflows, 1);
	cr_assert_eq(rtc_flow_parse(m.tb[RTC_A_FLOW], &out, NULL), 0);
	cr_assert_eq(memcmp(&in, &out, sizeof(in)), 0);
	rtc_msg_for_each(&m, a, RTC_A_FLOW)
		cr_assert_eq(a, m.tb[RTC_A_FLOW]);
}

Test(proto, result_round_trip_all_fields)
{
	static struct rtc_result in = {
		.present = RTC_RES_F_ERROR | RTC_RES_F_TYPE | RTC_RES_F_DST |
		    RTC_RES_F_SRC | RTC_RES_F_PREFSRC | RTC_RES_F_GATEWAY |
		    RTC_RES_F_OIF | RTC_RES_F_OIFNAME | RTC_RES_F_IIF |
		    RTC_RES_F_IIFNAME | RTC_RES_F_TABLE | RTC_RES_F_FLAGS |
		    RTC_RES_F_MARK | RTC_RES_F_UID | RTC_RES_F_METRICS |
		    RTC_RES_F_EXPIRES | RTC_RES_F_TOS | RTC_RES_F_FLOW,
		.error = 0, .dst = 1, .src = 2, .prefsrc = 3, .gateway = 4,
		.oif = 5, .iif = 6, .table = 254, .flags = 0x80000000,
		.mark = 7, .uid = 8, .expires = 9, .flow = 0x20003,
		.type = RTN_LOCAL,
		.tos = 0x10, .oifname = "lo", .iifname = "v0",
		.metrics_set = (1U << RTAX_MTU) | (1U << RTAX_LOCK),
	};
	struct rtc_result out;
	struct nlmsghdr *nlh;
	struct rtc_msg m;

	in.metrics[RTAX_MTU] = 1400;
	in.metrics[RTAX_LOCK] = 1U << RTAX_MTU;
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, NLM_F_MULTI, 9);
	cr_assert_eq(rtc_put_result(nlh, RTC_MSG_MAX, &in), 0);
	must_parse(nlh, 0, &m);
	cr_assert_eq(m.nresults, 1);
	cr_assert_eq(rtc_result_parse(m.tb[RTC_A_RESULT], &out, NULL), 0);
	cr_assert_eq(memcmp(&in, &out, sizeof(in)), 0);
}

Test(proto, a_fibmatch_answer_and_an_error_message_round_trip)
{
	static const char fib[] = "203.0.113.0/24 \n\tnexthop via 10.0.0.2 "
	    "dev v0 weight 1 \n";
	struct rtc_result in, out;
	struct nlmsghdr *nlh;
	struct rtc_msg m;
	const struct nlattr *a;
	unsigned int n = 0;

	memset(&in, 0, sizeof(in));
	in.present = RTC_RES_F_FIB | RTC_RES_F_PREFSRC;
	in.fib = fib;
	in.prefsrc = 3;
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 9);
	cr_assert_eq(rtc_put_result(nlh, RTC_MSG_MAX, &in), 0);
	memset(&in, 0, sizeof(in));
	in.present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
	in.error = EOPNOTSUPP;
	in.errmsg = "Unsupported ip proto";
	/* the checked writer too: a size that forces it */
	cr_assert_eq(rtc_put_result(nlh, nlh->nlmsg_len + 64, &in), 0);
	must_parse(nlh, 0, &m);
	rtc_msg_for_each(&m, a, RTC_A_RESULT) {
		cr_assert_eq(rtc_result_parse(a, &out, NULL), 0);
		if (n++ == 0) {
			cr_assert_eq(out.present, RTC_RES_F_FIB |
			    RTC_RES_F_PREFSRC);
			cr_assert_str_eq(out.fib, fib);
			cr_assert_eq(out.prefsrc, 3);
		} else {
			cr_assert_eq(out.present, RTC_RES_F_ERROR |
			    RTC_RES_F_ERRMSG);
			cr_assert_str_eq(out.errmsg, "Unsupported ip proto");
		}
	}
	cr_assert_eq(n, 2);
	/* a text longer than the protocol allows is refused */
	memset(&in, 0, sizeof(in));
	in.present = RTC_RES_F_ERRMSG;
	in.errmsg = fib;
	{
		static char big[RTC_ERRMSG_MAX + 8];

		memset(big, 'x', sizeof(big) - 1);
		in.errmsg = big;
		nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 9);
		cr_assert_eq(rtc_put_result(nlh, RTC_MSG_MAX, &in), 0);
		cr_assert_neq(rtc_msg_parse(buf, nlh->nlmsg_len, 0, &m, NULL),
		    0, "an over-long message is malformed");
	}
}

Test(proto, reply_types_round_trip)
{
	struct nlmsghdr *nlh;
	const struct nlattr *a;
	const char *name, *str;
	uint64_t v;
	struct rtc_msg m;
	int n = 0;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_DONE, 0, 3);
	must_parse(nlh, 0, &m);
	cr_assert_eq(m.type, RTC_MSG_DONE);

	nlh = rtc_msg_error(buf, RTC_MSG_MAX, 4, -EPERM, "not allowed");
	must_parse(nlh, 0, &m);
	cr_assert_eq(mnl_attr_get_u32(m.tb[RTC_A_ERRNO]), EPERM);
	cr_assert_str_eq(mnl_attr_get_str(m.tb[RTC_A_ERRMSG]), "not allowed");

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_TEXT, NLM_F_MULTI, 5);
	cr_assert_eq(rtc_put_line(nlh, RTC_MSG_MAX, "default via 1.2.3.4 "),
	    0);
	cr_assert_eq(rtc_put_line(nlh, RTC_MSG_MAX, ""), 0);
	must_parse(nlh, 0, &m);
	cr_assert_eq(m.nlines, 2);
	rtc_msg_for_each(&m, a, RTC_A_LINE)
		cr_assert_str_eq(mnl_attr_get_str(a),
		    n++ == 0 ? "default via 1.2.3.4 " : "");

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_KV, 0, 6);
	cr_assert_eq(rtc_put_kv_u64(nlh, RTC_MSG_MAX, "in_hit", 1ULL << 40),
	    0);
	cr_assert_eq(rtc_put_kv_str(nlh, RTC_MSG_MAX, "version", "0.1.0"), 0);
	must_parse(nlh, 0, &m);
	cr_assert_eq(m.nkv, 2);
	n = 0;
	rtc_msg_for_each(&m, a, RTC_A_KV) {
		cr_assert_eq(rtc_kv_parse(a, &name, &str, &v), 0);
		if (n++ == 0) {
			cr_assert_str_eq(name, "in_hit");
			cr_assert_null(str);
			cr_assert_eq(v, 1ULL << 40);
		} else {
			cr_assert_str_eq(name, "version");
			cr_assert_str_eq(str, "0.1.0");
		}
	}
}

Test(proto, batch_fills_to_the_limit_and_rolls_back)
{
	struct rtc_flow fl = { .present = RTC_FLOW_F_MARK, .dst = 1 };
	struct nlmsghdr *nlh;
	struct rtc_msg m;
	uint32_t len;
	int n = 0;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	while (n < RTC_BATCH_MAX && rtc_put_flow(nlh, RTC_MSG_MAX, &fl) == 0)
		n++;
	cr_assert_lt(n, RTC_BATCH_MAX, "64 KiB holds fewer than the max");
	cr_assert_gt(n, 2000);
	len = nlh->nlmsg_len;
	cr_assert_eq(rtc_put_flow(nlh, RTC_MSG_MAX, &fl), -EMSGSIZE);
	cr_assert_eq(nlh->nlmsg_len, len, "a failed put leaves no trace");
	cr_assert_leq(len, RTC_MSG_MAX);
	must_parse(nlh, 1, &m);
	cr_assert_eq(m.nflows, (unsigned int)n);
}

Test(proto, too_many_flows)
{
	static unsigned char big[4 * RTC_MSG_MAX];
	struct rtc_flow fl = { .dst = 1 };
	struct nlmsghdr *nlh;
	int i;

	/* more flows than RTC_BATCH_MAX cannot fit in RTC_MSG_MAX: refused */
	nlh = rtc_msg_start(big, sizeof(big), RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	for (i = 0; i <= RTC_BATCH_MAX; i++) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, RTC_A_FLOW);

		mnl_attr_put_u32(nlh, RTC_FLOW_DST, fl.dst);
		mnl_attr_nest_end(nlh, nest);
	}
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EMSGSIZE);
}

/* --- malformed messages ------------------------------------------------- */

static struct nlmsghdr *
good_get(void)
{
	struct rtc_flow fl = { .dst = 0x04030201 };
	struct nlmsghdr *nlh;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	rtc_put_flow(nlh, RTC_MSG_MAX, &fl);
	return nlh;
}

Test(proto_bad, truncated_header)
{
	struct nlmsghdr *nlh = good_get();
	size_t l;

	cr_assert_eq(parse_err(NULL, 0, 1), -EBADMSG);
	for (l = 0; l < RTC_HDRLEN; l++)
		cr_assert_eq(parse_err(nlh, l, 1), -EBADMSG, "len %zu", l);
}

Test(proto_bad, length_mismatch)
{
	struct nlmsghdr *nlh = good_get();
	uint32_t len = nlh->nlmsg_len;

	cr_assert_eq(parse_err(nlh, len - 4, 1), -EBADMSG);	/* cut */
	cr_assert_eq(parse_err(nlh, len + 4, 1), -EBADMSG);	/* extra */
	nlh->nlmsg_len = len + 1;
	cr_assert_eq(parse_err(nlh, len + 1, 1), -EBADMSG);	/* unaligned */
	nlh->nlmsg_len = 0xffffff00;
	cr_assert_eq(parse_err(nlh, len, 1), -EBADMSG);
}

Test(proto_bad, oversized)
{
	static unsigned char big[RTC_MSG_MAX + 8];
	struct nlmsghdr *nlh;

	nlh = rtc_msg_start(big, sizeof(big), RTC_MSG_STATUS, NLM_F_REQUEST, 1);
	nlh->nlmsg_len = sizeof(big);
	cr_assert_eq(parse_err(big, sizeof(big), 1), -EMSGSIZE);
}

Test(proto_bad, version)
{
	struct nlmsghdr *nlh = good_get();
	struct rtc_hdr *rh = mnl_nlmsg_get_payload(nlh);

	rh->rh_version = 0;
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EPROTO);
	rh->rh_version = RTC_PROTO_VERSION + 1;
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EPROTO);
}

Test(proto_bad, unknown_type)
{
	static const uint16_t types[] = { 0, 1, 2, 3, 15, RTC_MSG_REQ_LAST + 1,
	    63, RTC_MSG_REPLY_LAST + 1, 0xffff };
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		nlh = rtc_msg_start(buf, RTC_MSG_MAX, types[i],
		    NLM_F_REQUEST, 1);
		cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EOPNOTSUPP);
		cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EOPNOTSUPP);
	}
	cr_assert_str_eq(rtc_msg_type_name(0xffff), "unknown");
}

Test(proto_bad, request_flag_and_required_attrs)
{
	struct nlmsghdr *nlh;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_STATUS, 0, 1);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EINVAL);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_SLAB_TUNE,
	    NLM_F_REQUEST, 1);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EINVAL);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ERROR, 0, 1);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EBADMSG);
}

Test(proto_bad, malformed_attributes)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest, *a;

	/* attribute length past the end */
	nlh = good_get();
	a = (struct nlattr *)((char *)nlh + RTC_HDRLEN);
	a->nla_len = 0x4000;
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* attribute length below its header */
	a->nla_len = 2;
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* trailing bytes that are not an attribute */
	nlh = good_get();
	memset((char *)nlh + nlh->nlmsg_len, 0, 4);
	nlh->nlmsg_len += 4;
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* u32 with a wrong size */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_SHOW,
	    NLM_F_REQUEST, 1);
	mnl_attr_put_u16(nlh, RTC_A_TABLE, 5);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* attribute not allowed in this type, duplicate, unknown */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_STATUS, NLM_F_REQUEST, 1);
	mnl_attr_put_u32(nlh, RTC_A_TABLE, 5);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_SHOW,
	    NLM_F_REQUEST, 1);
	mnl_attr_put_u32(nlh, RTC_A_TABLE, 5);
	mnl_attr_put_u32(nlh, RTC_A_TABLE, 6);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_STATUS, NLM_F_REQUEST, 1);
	mnl_attr_put_u32(nlh, 200, 5);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* flow: no dst, string without NUL, name too long, unknown attr */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_FLOW);
	mnl_attr_put_u32(nlh, RTC_FLOW_MARK, 1);
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EINVAL);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_FLOW);
	mnl_attr_put_u32(nlh, RTC_FLOW_DST, 1);
	mnl_attr_put(nlh, RTC_FLOW_IIFNAME, 4, "eth0");
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_FLOW);
	mnl_attr_put_u32(nlh, RTC_FLOW_DST, 1);
	mnl_attr_put_strz(nlh, RTC_FLOW_OIFNAME, "0123456789abcdefXYZ");
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_FLOW);
	mnl_attr_put_u32(nlh, RTC_FLOW_DST, 1);
	mnl_attr_put_u32(nlh, 99, 1);
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* flow nest that is not a nest */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	mnl_attr_put_u16(nlh, RTC_A_FLOW, 1);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 1), -EBADMSG);
	/* reply: bad result and bad key/value */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_RESULT);
	mnl_attr_put_u16(nlh, RTC_RES_DST, 1);
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EBADMSG);
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_KV, 0, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_KV);
	mnl_attr_put_u64(nlh, RTC_KV_U64, 1);
	mnl_attr_nest_end(nlh, nest);
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EBADMSG);
	/* line without its NUL */
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_TEXT, 0, 1);
	mnl_attr_put(nlh, RTC_A_LINE, 3, "abc");
	cr_assert_eq(parse_err(nlh, nlh->nlmsg_len, 0), -EBADMSG);
}

Test(proto_bad, replies_skip_unknown_attributes)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct rtc_result res;
	struct rtc_msg m;

	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 1);
	mnl_attr_put_u32(nlh, 77, 1);
	nest = mnl_attr_nest_start(nlh, RTC_A_RESULT);
	mnl_attr_put_u32(nlh, RTC_RES_DST, ip("1.2.3.4"));
	mnl_attr_put_u32(nlh, 250, 1);
	mnl_attr_nest_end(nlh, nest);
	must_parse(nlh, 0, &m);
	cr_assert_eq(rtc_result_parse(m.tb[RTC_A_RESULT], &res, NULL), 0);
	cr_assert_eq(res.dst, ip("1.2.3.4"));
	cr_assert_eq(res.present, RTC_RES_F_DST);
}

Test(proto_bad, builders_refuse_what_does_not_fit)
{
	unsigned char small[RTC_HDRLEN + 8];
	struct nlmsghdr *nlh;
	struct rtc_flow fl = { .dst = 1 };
	char line[RTC_LINE_MAX + 1];

	cr_assert_null(rtc_msg_start(small, RTC_HDRLEN - 1, RTC_MSG_DONE, 0,
	    1));
	nlh = rtc_msg_start(small, sizeof(small), RTC_MSG_ROUTE_GET,
	    NLM_F_REQUEST, 1);
	cr_assert_eq(rtc_put_flow(nlh, sizeof(small), &fl), -EMSGSIZE);
	cr_assert_eq(nlh->nlmsg_len, RTC_HDRLEN);
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	nlh = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_TEXT, 0, 1);
	cr_assert_eq(rtc_put_line(nlh, RTC_MSG_MAX, line), -EINVAL);
}

/*
 * rtc_put_result() writes a result without a check per attribute when it
 * fits: the bytes must be those libmnl's checked helpers write.
 */
static void
mnl_result(struct nlmsghdr *nlh, const struct rtc_result *r)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, RTC_A_RESULT), *mx;
	unsigned int i;

	if (r->present & RTC_RES_F_ERROR)
		mnl_attr_put_u32(nlh, RTC_RES_ERROR, r->error);
	if (r->present & RTC_RES_F_TYPE)
		mnl_attr_put_u8(nlh, RTC_RES_TYPE, r->type);
	if (r->present & RTC_RES_F_DST)
		mnl_attr_put_u32(nlh, RTC_RES_DST, r->dst);
	if (r->present & RTC_RES_F_SRC)
		mnl_attr_put_u32(nlh, RTC_RES_SRC, r->src);
	if (r->present & RTC_RES_F_PREFSRC)
		mnl_attr_put_u32(nlh, RTC_RES_PREFSRC, r->prefsrc);
	if (r->present & RTC_RES_F_GATEWAY)
		mnl_attr_put_u32(nlh, RTC_RES_GATEWAY, r->gateway);
	if (r->present & RTC_RES_F_OIF)
		mnl_attr_put_u32(nlh, RTC_RES_OIF, r->oif);
	if (r->present & RTC_RES_F_OIFNAME)
		mnl_attr_put_strz(nlh, RTC_RES_OIFNAME, r->oifname);
	if (r->present & RTC_RES_F_IIF)
		mnl_attr_put_u32(nlh, RTC_RES_IIF, r->iif);
	if (r->present & RTC_RES_F_IIFNAME)
		mnl_attr_put_strz(nlh, RTC_RES_IIFNAME, r->iifname);
	if (r->present & RTC_RES_F_TABLE)
		mnl_attr_put_u32(nlh, RTC_RES_TABLE, r->table);
	if (r->present & RTC_RES_F_FLAGS)
		mnl_attr_put_u32(nlh, RTC_RES_FLAGS, r->flags);
	if (r->present & RTC_RES_F_MARK)
		mnl_attr_put_u32(nlh, RTC_RES_MARK, r->mark);
	if (r->present & RTC_RES_F_UID)
		mnl_attr_put_u32(nlh, RTC_RES_UID, r->uid);
	if (r->present & RTC_RES_F_EXPIRES)
		mnl_attr_put_u32(nlh, RTC_RES_EXPIRES, r->expires);
	if (r->present & RTC_RES_F_TOS)
		mnl_attr_put_u8(nlh, RTC_RES_TOS, r->tos);
	if (r->present & RTC_RES_F_FLOW)
		mnl_attr_put_u32(nlh, RTC_RES_FLOW, r->flow);
	if (r->present & RTC_RES_F_FIB)
		mnl_attr_put_strz(nlh, RTC_RES_FIB, r->fib);
	if (r->present & RTC_RES_F_ERRMSG)
		mnl_attr_put_strz(nlh, RTC_RES_ERRMSG, r->errmsg);
	if (r->present & RTC_RES_F_METRICS) {
		mx = mnl_attr_nest_start(nlh, RTC_RES_METRICS);
		for (i = 1; i <= RTC_METRIC_MAX; i++)
			if (r->metrics_set & (1U << i))
				mnl_attr_put_u32(nlh, (uint16_t)i,
				    r->metrics[i]);
		mnl_attr_nest_end(nlh, mx);
	}
	mnl_attr_nest_end(nlh, nest);
}

Test(proto, result_fast_path_same_bytes_as_libmnl)
{
	static unsigned char ref[RTC_MSG_MAX];
	struct nlmsghdr *a, *b;
	struct rtc_result r;
	unsigned int i, k;

	srandom(3);
	for (i = 0; i < 2000; i++) {
		memset(&r, 0, sizeof(r));
		r.present = (uint32_t)random() & 0xfffff;
		r.error = (uint32_t)random();
		r.type = (uint8_t)random();
		r.dst = (uint32_t)random();
		r.src = (uint32_t)random();
		r.prefsrc = (uint32_t)random();
		r.gateway = (uint32_t)random();
		r.oif = (uint32_t)random();
		r.iif = (uint32_t)random();
		r.table = (uint32_t)random();
		r.flags = (uint32_t)random();
		r.mark = (uint32_t)random();
		r.uid = (uint32_t)random();
		r.expires = (uint32_t)random();
		r.tos = (uint8_t)random();
		r.flow = (uint32_t)random();
		r.fib = "10.0.0.0/8 dev v0 \n";
		r.errmsg = "Unsupported ip proto";
		snprintf(r.oifname, sizeof(r.oifname), "%.*s",
		    (int)(random() % 16), "abcdefghijklmnop");
		snprintf(r.iifname, sizeof(r.iifname), "%.*s",
		    (int)(random() % 16), "ABCDEFGHIJKLMNOP");
		r.metrics_set = (uint32_t)random() & ~1U;
		for (k = 0; k <= RTC_METRIC_MAX; k++)
			r.metrics[k] = (uint32_t)random();
		/* zeroed: this libmnl may leave padding unwritten */
		memset(buf, 0, sizeof(buf));
		memset(ref, 0, sizeof(ref));
		a = rtc_msg_start(buf, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 1);
		b = rtc_msg_start(ref, RTC_MSG_MAX, RTC_MSG_ROUTE, 0, 1);
		for (k = 0; k < 3; k++) {
			cr_assert_eq(rtc_put_result(a, RTC_MSG_MAX, &r), 0);
			mnl_result(b, &r);
		}
		cr_assert_eq(a->nlmsg_len, b->nlmsg_len, "case %u", i);
		for (k = 0; k < a->nlmsg_len; k++)
			cr_assert_eq(((unsigned char *)a)[k],
			    ((unsigned char *)b)[k], "case %u byte %u", i, k);
	}
}

/* Every message built into @fill-filled memory, by the builders a reply
 * uses; the length is returned. */
static size_t
build_all_kinds(unsigned char *b, int fill)
{
	struct rtc_flow fl = { .present = RTC_FLOW_F_IIFNAME |
	    RTC_FLOW_F_TOS | RTC_FLOW_F_PROTO | RTC_FLOW_F_SPORT,
	    .dst = htonl(0x01020304), .iifname = "v1", .tos = 0x10,
	    .proto = 6, .sport = htons(53) };
	struct rtc_result res = { .present = RTC_RES_F_TYPE |
	    RTC_RES_F_OIFNAME | RTC_RES_F_DST, .type = RTN_UNICAST,
	    .dst = htonl(0x01020304), .oifname = "eth0" };
	struct nlmsghdr *nlh;
	size_t off = 0;

	memset(b, fill, 4 * 1024);
	nlh = rtc_msg_start(b, 1024, RTC_MSG_ROUTE_GET, NLM_F_REQUEST, 1);
	cr_assert_eq(rtc_put_flow(nlh, 1024, &fl), 0);
	cr_assert_eq(rtc_put_result(nlh, 1024, &res), 0);
	off += nlh->nlmsg_len;
	nlh = rtc_msg_start(b + off, 1024, RTC_MSG_TEXT, NLM_F_MULTI, 2);
	cr_assert_eq(rtc_put_line(nlh, 1024, "a"), 0);
	cr_assert_eq(rtc_put_line(nlh, 1024, "odd length"), 0);
	off += nlh->nlmsg_len;
	nlh = rtc_msg_start(b + off, 1024, RTC_MSG_KV, 0, 3);
	cr_assert_eq(rtc_put_kv_str(nlh, 1024, "version", "0.1.0"), 0);
	cr_assert_eq(rtc_put_kv_u64(nlh, 1024, "pid", 42), 0);
	off += nlh->nlmsg_len;
	nlh = rtc_msg_error(b + off, 1024, 4, -EINVAL, "bad");
	off += nlh->nlmsg_len;
	return off;
}

/* A reply must never carry memory it did not mean to send: the bytes of
 * a message, padding included, do not depend on what the buffer held. */
Test(proto, messages_do_not_depend_on_the_buffer_they_are_built_in)
{
	static unsigned char zero[4096], dirty[4096];
	size_t n0 = build_all_kinds(zero, 0x00);
	size_t n1 = build_all_kinds(dirty, 0xa5);

	cr_assert_eq(n0, n1);
	cr_assert(memcmp(zero, dirty, n0) == 0,
	    "bytes left from the buffer's old contents");
}
