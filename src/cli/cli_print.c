/* SPDX-License-Identifier: MIT */
/*
 * cli_print.c - rtcache's output: a route lookup answer in `ip route get`
 * text or `ip -j route get` JSON, the lnstat-style table of `cache stats`,
 * and JSON derived from the text listings the daemon sends.
 *
 * Text and JSON of an answer come from one walk over the answer
 * (route_emit), each step writing either "key value " text or a JSON
 * member, in the order and with the keys of iproute2's print_route(), so
 * the two forms cannot drift apart.  What is printed depends only on which
 * attributes the daemon put in the answer (see proto.h), as with ip and
 * the kernel's RTM_NEWROUTE reply.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <linux/in_route.h>
#include <linux/rtnetlink.h>

#include "base/rt_names.h"
#include "cli/cli.h"

/* One output: text into @b, or members of @obj. */
struct pr {
	struct cli_buf	*b;
	json_object	*obj;
};

/* JSON "key": val, or text "word val " (just "val " without a word). */
static void
pr_str(struct pr *p, const char *key, const char *word, const char *val)
{
	if (p->obj != NULL)
		json_object_object_add(p->obj, key,
		    json_object_new_string(val));
	else {
		if (word != NULL) {
			cli_buf_puts(p->b, word);
			cli_buf_putc(p->b, ' ');
		}
		cli_buf_puts(p->b, val);
		cli_buf_putc(p->b, ' ');
	}
}

static void
pr_uint(struct pr *p, const char *key, const char *word, uint64_t v)
{
	if (p->obj != NULL)
		json_object_object_add(p->obj, key, json_object_new_uint64(v));
	else {
		if (word != NULL) {
			cli_buf_puts(p->b, word);
			cli_buf_putc(p->b, ' ');
		}
		cli_buf_u64(p->b, v);
		cli_buf_putc(p->b, ' ');
	}
}

/* An address: text "word A.B.C.D " formatted by hand, or a JSON string. */
static void
pr_addr(struct pr *p, const char *key, const char *word, uint32_t a)
{
	char buf[INET_ADDRSTRLEN];

	if (p->obj != NULL) {
		buf[cli_fmt_addr(buf, a)] = '\0';
		json_object_object_add(p->obj, key,
		    json_object_new_string(buf));
		return;
	}
	if (word != NULL) {
		cli_buf_puts(p->b, word);
		cli_buf_putc(p->b, ' ');
	}
	cli_buf_addr(p->b, a);
	cli_buf_putc(p->b, ' ');
}

/* rtm_flags as print_rt_flags() names them. */
static void
emit_rt_flags(struct pr *p, uint32_t rtm_flags)
{
	static const struct {
		uint32_t	 bit;
		const char	*name;
	} fl[] = {
		{ RTNH_F_DEAD, "dead" }, { RTNH_F_ONLINK, "onlink" },
		{ RTNH_F_PERVASIVE, "pervasive" }, { RTNH_F_OFFLOAD, "offload" },
		{ RTNH_F_TRAP, "trap" }, { RTM_F_NOTIFY, "notify" },
		{ RTNH_F_LINKDOWN, "linkdown" },
		{ RTNH_F_UNRESOLVED, "unresolved" },
		{ RTM_F_OFFLOAD, "rt_offload" }, { RTM_F_TRAP, "rt_trap" },
		{ RTM_F_OFFLOAD_FAILED, "rt_offload_failed" },
	};
	json_object *arr = NULL;
	size_t i;

	if (p->obj != NULL)
		arr = json_object_new_array();
	for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		if (!(rtm_flags & fl[i].bit))
			continue;
		if (arr != NULL)
			json_object_array_add(arr,
			    json_object_new_string(fl[i].name));
		else
		{
			cli_buf_puts(p->b, fl[i].name);
			cli_buf_putc(p->b, ' ');
		}
	}
	if (arr != NULL)
		json_object_object_add(p->obj, "flags", arr);
}

/* The "cache" part: rt_flags as print_cache_flags() names them. */
static void
emit_cache_flags(struct pr *p, uint32_t flags)
{
	static const struct {
		uint32_t	 bit;
		const char	*name;
	} fl[] = {
		{ RTCF_LOCAL, "local" }, { RTCF_REJECT, "reject" },
		{ RTCF_MULTICAST, "mc" }, { RTCF_BROADCAST, "brd" },
		{ RTCF_DNAT, "dst-nat" }, { RTCF_SNAT, "src-nat" },
		{ RTCF_MASQ, "masq" }, { RTCF_DIRECTDST, "dst-direct" },
		{ RTCF_DIRECTSRC, "src-direct" },
		{ RTCF_REDIRECTED, "redirected" },
		{ RTCF_DOREDIRECT, "redirect" }, { RTCF_FAST, "fastroute" },
		{ RTCF_NOTIFY, "notify" }, { RTCF_TPROXY, "proxy" },
	};
	json_object *arr = NULL;
	char hex[16];
	size_t i;

	flags &= ~0xffffU;
	if (p->obj != NULL)
		arr = json_object_new_array();
	else {
		cli_buf_puts(p->b, "\n    cache ");
		if (flags == 0)
			return;
		cli_buf_putc(p->b, '<');
	}
	for (i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
		if (!(flags & fl[i].bit))
			continue;
		flags &= ~fl[i].bit;
		if (arr != NULL)
			json_object_array_add(arr,
			    json_object_new_string(fl[i].name));
		else
		{
			cli_buf_puts(p->b, fl[i].name);
			cli_buf_puts(p->b, flags ? "," : "> ");
		}
	}
	if (flags != 0) {
		snprintf(hex, sizeof(hex), "%x", flags);
		if (arr != NULL)
			json_object_array_add(arr, json_object_new_string(hex));
		else
		{
			cli_buf_puts(p->b, hex);
			cli_buf_putc(p->b, '>');
		}
	}
	if (arr != NULL)
		json_object_object_add(p->obj, "cache", arr);
}

static const char *const metric_names[] = {
	[RTAX_MTU] = "mtu", [RTAX_WINDOW] = "window", [RTAX_RTT] = "rtt",
	[RTAX_RTTVAR] = "rttvar", [RTAX_SSTHRESH] = "ssthresh",
	[RTAX_CWND] = "cwnd", [RTAX_ADVMSS] = "advmss",
	[RTAX_REORDERING] = "reordering", [RTAX_HOPLIMIT] = "hoplimit",
	[RTAX_INITCWND] = "initcwnd", [RTAX_FEATURES] = "features",
	[RTAX_RTO_MIN] = "rto_min", [RTAX_INITRWND] = "initrwnd",
	[RTAX_QUICKACK] = "quickack", [RTAX_CC_ALGO] = "congctl",
	[RTAX_FASTOPEN_NO_COOKIE] = "fastopen_no_cookie",
};
#define METRIC_NAMES	(sizeof(metric_names) / sizeof(metric_names[0]))

/*
 * print_rtax_features(): "ecn" for RTAX_FEATURE_ECN (JSON "ecn": null),
 * and the whole value in hex when other bits are set.
 */
static void
emit_features(struct pr *p, struct pr *mp, uint32_t v)
{
	char hex[16];

	snprintf(hex, sizeof(hex), "%#x", v);
	if (mp->obj != NULL) {
		if (v & RTAX_FEATURE_ECN)
			json_object_object_add(mp->obj, "ecn", NULL);
		if (v & ~RTAX_FEATURE_ECN)
			json_object_object_add(mp->obj, "features",
			    json_object_new_string(hex));
		return;
	}
	if (v & RTAX_FEATURE_ECN)
		cli_buf_puts(p->b, "ecn ");
	if (v & ~RTAX_FEATURE_ECN) {
		cli_buf_puts(p->b, hex);
		cli_buf_putc(p->b, ' ');
	}
}

static void
emit_metrics(struct pr *p, const struct rtc_result *res)
{
	uint32_t lock = 0, v;
	struct pr mp = { p->b, NULL };
	char tmp[32];
	json_object *arr = NULL;
	char key[32];
	unsigned int i;

	if (p->obj != NULL) {
		arr = json_object_new_array();
		mp.obj = json_object_new_object();
		json_object_array_add(arr, mp.obj);
		json_object_object_add(p->obj, "metrics", arr);
	}
	if (res->metrics_set & (1U << RTAX_LOCK))
		lock = res->metrics[RTAX_LOCK];
	for (i = 2; i <= RTC_METRIC_MAX; i++) {
		if (!(res->metrics_set & (1U << i)) && !(lock & (1U << i)))
			continue;
		v = res->metrics_set & (1U << i) ? res->metrics[i] : 0;
		if (i == RTAX_HOPLIMIT && v == UINT32_MAX)
			continue;
		if (i == RTAX_CC_ALGO)
			continue;	/* a string in rtnetlink; not carried */
		if (i < METRIC_NAMES && metric_names[i] != NULL)
			snprintf(key, sizeof(key), "%s", metric_names[i]);
		else
			snprintf(key, sizeof(key), "metric %u", i);
		if (mp.obj == NULL) {
			cli_buf_puts(p->b, key);
			cli_buf_putc(p->b, ' ');
			if (lock & (1U << i))
				cli_buf_puts(p->b, "lock ");
		}
		if (i == RTAX_FEATURES)
			emit_features(p, &mp, v);
		else if (i == RTAX_RTT || i == RTAX_RTTVAR ||
		    i == RTAX_RTO_MIN) {
			v = i == RTAX_RTT ? v / 8 : i == RTAX_RTTVAR ? v / 4 : v;
			if (mp.obj != NULL)
				pr_uint(&mp, key, NULL, v);
			else {
				if (v >= 1000)
					snprintf(tmp, sizeof(tmp), "%gs ",
					    v / 1e3);
				else
					snprintf(tmp, sizeof(tmp), "%ums ", v);
				cli_buf_puts(p->b, tmp);
			}
		} else
			pr_uint(&mp, key, NULL, v);
	}
}

/* Realms as print_rta_flow() writes them: "realm TO " or "realms FROM/TO ". */
static void
emit_flow(struct pr *p, uint32_t flow)
{
	char f[RT_NAME_BUFSZ], t[RT_NAME_BUFSZ];
	const char *to = rt_realm_n2a(flow & 0xffff, t, sizeof(t));
	const char *from = rt_realm_n2a(flow >> 16, f, sizeof(f));
	json_object *o;

	if (p->obj != NULL) {
		o = json_object_new_object();
		if (flow >> 16)
			json_object_object_add(o, "from",
			    json_object_new_string(from));
		json_object_object_add(o, "to", json_object_new_string(to));
		json_object_object_add(p->obj, "flow", o);
		return;
	}
	if (flow >> 16) {
		cli_buf_puts(p->b, "realms ");
		cli_buf_puts(p->b, from);
		cli_buf_putc(p->b, '/');
	} else {
		cli_buf_puts(p->b, "realm ");
	}
	cli_buf_puts(p->b, to);
	cli_buf_putc(p->b, ' ');
}

/* One answer, in print_route()'s order. */
static void
route_emit(struct pr *p, const struct rtc_result *res, int details)
{
	char name[RTC_IFNAMSIZ + 8], tb[16];
	uint32_t rtm_flags;
	uint8_t type = res->present & RTC_RES_F_TYPE ? res->type : RTN_UNICAST;

	if (type != RTN_UNICAST || details)
		pr_str(p, "type", NULL, rt_type_n2a(type, tb, sizeof(tb)));
	pr_addr(p, "dst", NULL, res->dst);
	if (res->present & RTC_RES_F_SRC)
		pr_addr(p, "from", "from", res->src);
	if ((res->present & RTC_RES_F_TOS) && res->tos != 0) {
		snprintf(tb, sizeof(tb), "0x%02x", res->tos);
		pr_str(p, "tos", "tos", tb);
	}
	if (res->present & RTC_RES_F_GATEWAY)
		pr_addr(p, "gateway", "via", res->gateway);
	if (res->present & (RTC_RES_F_OIF | RTC_RES_F_OIFNAME)) {
		if (res->present & RTC_RES_F_OIFNAME)
			pr_str(p, "dev", "dev", res->oifname);
		else {
			snprintf(name, sizeof(name), "if%u", res->oif);
			pr_str(p, "dev", "dev", name);
		}
	}
	/* as print_route(): any table but main (main only with details) */
	if ((res->present & RTC_RES_F_TABLE) && res->table != 0 &&
	    (res->table != RT_TABLE_MAIN || details))
		pr_str(p, "table", "table", rt_table_n2a(res->table, tb,
		    sizeof(tb)));
	if (res->present & RTC_RES_F_PREFSRC)
		pr_addr(p, "prefsrc", "src", res->prefsrc);
	/* the kernel's rt_fill_info(): rtm_flags of a cloned route */
	rtm_flags = (res->flags & ~0xffffU) | RTM_F_CLONED;
	if (res->flags & RTCF_NOTIFY)
		rtm_flags |= RTM_F_NOTIFY;
	emit_rt_flags(p, rtm_flags);
	if ((res->present & RTC_RES_F_MARK) && res->mark != 0) {
		if (p->obj != NULL)
			pr_uint(p, "mark", NULL, res->mark);
		else {
			cli_buf_puts(p->b, "mark ");
			if (res->mark >= 16)
				cli_buf_hex(p->b, res->mark);
			else
				cli_buf_u64(p->b, res->mark);
			cli_buf_putc(p->b, ' ');
		}
	}
	if ((res->present & RTC_RES_F_FLOW) && res->flow != 0)
		emit_flow(p, res->flow);
	if (res->present & RTC_RES_F_UID)
		pr_uint(p, "uid", "uid", res->uid);
	emit_cache_flags(p, res->flags);
	if ((res->present & RTC_RES_F_EXPIRES) && res->expires != 0) {
		if (p->obj != NULL)
			json_object_object_add(p->obj, "expires",
			    json_object_new_int64(res->expires));
		else {
			cli_buf_puts(p->b, "expires ");
			if ((int)res->expires < 0) {
				cli_buf_putc(p->b, '-');
				cli_buf_u64(p->b, -(int64_t)(int)res->expires);
			} else
				cli_buf_u64(p->b, res->expires);
			cli_buf_puts(p->b, "sec ");
		}
	}
	if (res->present & RTC_RES_F_METRICS)
		emit_metrics(p, res);
	if (res->present & (RTC_RES_F_IIF | RTC_RES_F_IIFNAME)) {
		if (res->present & RTC_RES_F_IIFNAME)
			snprintf(name, sizeof(name), "%s", res->iifname);
		else
			snprintf(name, sizeof(name), "if%u", res->iif);
		pr_str(p, "iif", "iif", name);
	}
}

/**
 * cli_format_route - append an answer as `ip route get` prints it (two
 * lines, the last newline included) to @b
 */
void
cli_format_route(struct cli_buf *b, const struct rtc_result *res,
    int details)
{
	struct pr p = { b, NULL };

	route_emit(&p, res, details);
	cli_buf_putc(b, '\n');
}

/**
 * cli_print_route - an answer as `ip route get` prints it (two lines)
 */
void
cli_print_route(FILE *out, const struct rtc_result *res, int details)
{
	struct cli_buf b;

	cli_buf_init(&b);
	cli_format_route(&b, res, details);
	cli_buf_write(&b, out);
	cli_buf_free(&b);
}

/**
 * cli_route_json - an answer as an object of `ip -j route get`
 */
json_object *
cli_route_json(const struct rtc_result *res, int details)
{
	struct pr p = { NULL, json_object_new_object() };

	route_emit(&p, res, details);
	return p.obj;
}

void
cli_print_json(FILE *out, json_object *obj, int pretty)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(obj, flags), out);
	fputc('\n', out);
}

void
cli_print_lookup_error(FILE *out, int err)
{
	fprintf(out, "RTNETLINK answers: %s\n", strerror(err < 0 ? -err : err));
}

/**
 * cli_format_lookup_error - a failed lookup as ip reports it: the
 * kernel's message as "Error: MSG." when there is one (nl_dump_ext_ack),
 * else "RTNETLINK answers: ERRNO"; a device name that names no device
 * (ENODEV with RTC_ERRMSG_NO_IIF or RTC_ERRMSG_NO_OIF) as iproute2's
 * nodev() says it before asking, with the name from @iifname or
 * @oifname
 */
void
cli_format_lookup_error(struct cli_buf *b, const struct rtc_result *res,
    const char *iifname, const char *oifname)
{
	const char *m = (res->present & RTC_RES_F_ERRMSG) ? res->errmsg : "";

	if (res->error == ENODEV && (strcmp(m, RTC_ERRMSG_NO_IIF) == 0 ||
	    strcmp(m, RTC_ERRMSG_NO_OIF) == 0)) {
		cli_buf_puts(b, "Cannot find device \"");
		cli_buf_puts(b, strcmp(m, RTC_ERRMSG_NO_IIF) == 0 ?
		    iifname : oifname);
		cli_buf_puts(b, "\"");
	} else if (*m != '\0') {
		cli_buf_puts(b, "Error: ");
		cli_buf_puts(b, m);
		if (m[strlen(m) - 1] != '.')
			cli_buf_putc(b, '.');
	} else {
		cli_buf_puts(b, "RTNETLINK answers: ");
		cli_buf_puts(b, strerror((int)res->error));
	}
	cli_buf_putc(b, '\n');
}

/** cli_lookup_nodev - is @res iproute2's `Cannot find device`? */
bool
cli_lookup_nodev(const struct rtc_result *res)
{
	return (res->present & RTC_RES_F_ERROR) && res->error == ENODEV &&
	    (res->present & RTC_RES_F_ERRMSG) &&
	    (strcmp(res->errmsg, RTC_ERRMSG_NO_IIF) == 0 ||
	    strcmp(res->errmsg, RTC_ERRMSG_NO_OIF) == 0);
}

/**
 * cli_print_lnstat - one sample as `lnstat -f FILE -c 1` lays it out:
 * a row of file names, the field names cut into 8-column pieces, then
 * the values, each column right-aligned and closed by '|'
 */
void
cli_print_lnstat(FILE *out, const char *file, const char **names,
    const uint64_t *vals, unsigned int n)
{
	const int w = 8;
	unsigned int i, row, rows = 1;
	size_t len;

	for (i = 0; i < n; i++) {
		len = strlen(names[i]);
		if ((len + w - 1) / w > rows)
			rows = (unsigned int)((len + w - 1) / w);
	}
	for (i = 0; i < n; i++)
		fprintf(out, "%*.*s|", w, w, file);
	fputc('\n', out);
	for (row = 0; row < rows; row++) {
		for (i = 0; i < n; i++) {
			len = strlen(names[i]);
			fprintf(out, "%*.*s|", w, w, row * w < len ?
			    names[i] + row * w : "");
		}
		fputc('\n', out);
	}
	for (i = 0; i < n; i++)
		fprintf(out, "%*llu|", w, (unsigned long long)vals[i]);
	fputc('\n', out);
}

/* --- JSON from text listings ---------------------------------------------- */

static bool
is_number(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static json_object *
json_token(const char *s)
{
	if (is_number(s) && strlen(s) < 20)
		return json_object_new_uint64(strtoull(s, NULL, 10));
	return json_object_new_string(s);
}

static bool
in_list(const char *w, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(w, *list) == 0)
			return true;
	return false;
}

/*
 * "features [lock] [ecn] [0xN]" (print_rtax_features) as ip -j has it:
 * "ecn": null and "features": "0xN".  Return: the last word used.
 */
static int
features_json(json_object *mx, char **argv, int argc, int i)
{
	if (i + 1 < argc && strcmp(argv[i + 1], "lock") == 0)
		i++;
	if (i + 1 < argc && strcmp(argv[i + 1], "ecn") == 0) {
		json_object_object_add(mx, "ecn", NULL);
		i++;
	}
	if (i + 1 < argc && strncmp(argv[i + 1], "0x", 2) == 0) {
		json_object_object_add(mx, "features",
		    json_object_new_string(argv[i + 1]));
		i++;
	}
	return i;
}

/*
 * One line of `ip -4 route show` (or a "\tnexthop ..." continuation) into
 * @obj, with `ip -j route show`'s keys.
 */
static void
route_line_json(json_object *obj, char *line, bool nexthop)
{
	static const char *const flags[] = { "dead", "onlink", "pervasive",
	    "offload", "trap", "notify", "linkdown", "unresolved",
	    "rt_offload", "rt_trap", "rt_offload_failed", NULL };
	/* names ip prints with print_string stay strings: "table":"100" */
	static const struct {
		const char	*word;
		const char	*key;
		bool		 name;
	} keys[] = {
		{ "from", "from", true }, { "tos", "tos", true },
		{ "via", "gateway", true }, { "dev", "dev", true },
		{ "table", "table", true }, { "proto", "protocol", true },
		{ "scope", "scope", true }, { "src", "prefsrc", true },
		{ "metric", "metric", false }, { "nhid", "nhid", false },
		{ "mark", "mark", false }, { "uid", "uid", false },
		{ "weight", "weight", false }, { "realm", "realm", true },
		{ "expires", "expires", false }, { "pref", "pref", true },
	};
	char *argv[CLI_MAXARGS];
	json_object *fl = NULL, *mx = NULL;
	uint32_t type;
	int argc, i;
	size_t k;

	if ((argc = cli_split_line(line, argv, CLI_MAXARGS)) <= 0)
		return;
	i = 0;
	if (nexthop && strcmp(argv[0], "nexthop") == 0)
		i++;
	else if (!nexthop) {
		if (rt_names_printed(RT_NAMES_TYPE, argv[0], &type) &&
		    argc > 1) {
			json_object_object_add(obj, "type",
			    json_object_new_string(argv[i++]));
		}
		json_object_object_add(obj, "dst",
		    json_object_new_string(argv[i++]));
	}
	fl = json_object_new_array();
	for (; i < argc; i++) {
		if (in_list(argv[i], flags)) {
			json_object_array_add(fl,
			    json_object_new_string(argv[i]));
			continue;
		}
		if (i + 1 >= argc)
			break;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(argv[i], keys[k].word) == 0)
				break;
		if (k < sizeof(keys) / sizeof(keys[0])) {
			i++;
			json_object_object_add(obj, keys[k].key, keys[k].name ?
			    json_object_new_string(argv[i]) :
			    json_token(argv[i]));
			continue;
		}
		/* metrics: NAME [lock] VALUE */
		if (mx == NULL)
			mx = json_object_new_object();
		if (strcmp(argv[i], "features") == 0) {
			i = features_json(mx, argv, argc, i);
			continue;
		}
		if (strcmp(argv[i + 1], "lock") == 0 && i + 2 < argc) {
			json_object_object_add(mx, argv[i], json_token(argv[i + 2]));
			i += 2;
		} else {
			json_object_object_add(mx, argv[i], json_token(argv[i + 1]));
			i++;
		}
	}
	json_object_object_add(obj, "flags", fl);
	if (mx != NULL) {
		fl = json_object_new_array();
		json_object_array_add(fl, mx);
		json_object_object_add(obj, "metrics", fl);
	}
}

/**
 * cli_route_lines_json - `ip -j route show` from `ip route show` lines
 *
 * Lines starting with a tab continue the route above (multipath legs,
 * into its "nexthops" array).
 */
json_object *
cli_route_lines_json(const char **lines, unsigned int n)
{
	json_object *arr = json_object_new_array(), *obj = NULL, *nhs, *nh;
	char buf[RTC_LINE_MAX];
	unsigned int i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		if (buf[0] == '\t' && obj != NULL) {
			if (!json_object_object_get_ex(obj, "nexthops", &nhs)) {
				nhs = json_object_new_array();
				json_object_object_add(obj, "nexthops", nhs);
			}
			nh = json_object_new_object();
			route_line_json(nh, buf, true);
			json_object_array_add(nhs, nh);
			continue;
		}
		obj = json_object_new_object();
		route_line_json(obj, buf, false);
		if (json_object_object_length(obj) == 0) {
			json_object_put(obj);
			obj = NULL;
			continue;
		}
		json_object_array_add(arr, obj);
	}
	return arr;
}

/**
 * cli_route_text_json - cli_route_lines_json of a text of lines each
 * ended by a newline (a fibmatch answer)
 */
json_object *
cli_route_text_json(const char *text)
{
	char *copy = strdup(text), *p, *nl;
	const char **lines;
	unsigned int n = 1;
	json_object *arr;

	for (p = copy; p != NULL && (p = strchr(p, '\n')) != NULL; p++)
		n++;
	if (copy == NULL || (lines = calloc(n, sizeof(*lines))) == NULL) {
		free(copy);
		return json_object_new_array();
	}
	n = 0;
	for (p = copy; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		else
			*nl = '\0';
		lines[n++] = p;
	}
	arr = cli_route_lines_json(lines, n);
	free(lines);
	free(copy);
	return arr;
}

/**
 * cli_slabinfo_json - /proc/slabinfo 2.1 rows as objects keyed by the
 * column names of its "# name <active_objs> ..." header line
 */
json_object *
cli_slabinfo_json(const char **lines, unsigned int n)
{
	json_object *arr = json_object_new_array(), *obj;
	char hdr[RTC_LINE_MAX], buf[RTC_LINE_MAX];
	char *keys[CLI_MAXARGS], *vals[CLI_MAXARGS], *w;
	int nkeys = 0, nv, j, k;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (strncmp(lines[i], "slabinfo", 8) == 0)
			continue;
		if (lines[i][0] == '#') {
			snprintf(hdr, sizeof(hdr), "%s", lines[i] + 1);
			nkeys = 0;
			for (w = strtok(hdr, " \t:"); w != NULL &&
			    nkeys < CLI_MAXARGS; w = strtok(NULL, " \t:"))
				if (w[0] == '<' || strcmp(w, "name") == 0) {
					w[strcspn(w, ">")] = '\0';
					keys[nkeys++] = w + (w[0] == '<');
				}
			continue;
		}
		snprintf(buf, sizeof(buf), "%s", lines[i]);
		nv = 0;
		for (w = strtok(buf, " \t"); w != NULL && nv < CLI_MAXARGS;
		    w = strtok(NULL, " \t"))
			if (strcmp(w, ":") != 0 && (nv == 0 ||
			    isdigit((unsigned char)w[0])))
				vals[nv++] = w;
		if (nv == 0)
			continue;
		obj = json_object_new_object();
		for (j = 0, k = 0; j < nv; j++, k++)
			json_object_object_add(obj, k < nkeys ? keys[k] :
			    "extra", j == 0 ? json_object_new_string(vals[j]) :
			    json_token(vals[j]));
		json_object_array_add(arr, obj);
	}
	return arr;
}
