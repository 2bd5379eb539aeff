/* SPDX-License-Identifier: MIT */
/*
 * test_cli.c - rtcache without a daemon: options and commands (good and
 * bad command lines with their exit codes), batch-line splitting, and the
 * text and JSON of route get answers against what `ip route get` prints.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <linux/in_route.h>
#include <linux/rtnetlink.h>

#include "cli/cli.h"

static uint32_t
ip(const char *s)
{
	struct in_addr in;

	cr_assert_eq(inet_pton(AF_INET, s, &in), 1, "%s", s);
	return in.s_addr;
}

/* Split @line into a NULL-ended argv in static storage. */
static int
words(const char *line, char **argv)
{
	static char buf[1024];
	int n;

	snprintf(buf, sizeof(buf), "%s", line);
	n = cli_split_line(buf, argv, CLI_MAXARGS - 1);
	cr_assert_geq(n, 0, "split %s", line);
	argv[n] = NULL;
	return n;
}

static char *json_str(json_object *o);

/* --- command parsing ------------------------------------------------------ */

struct cmd_case {
	const char		*line;
	int			 rv;	/* 0 or CLI_EXIT_USAGE */
	enum cli_cmd_kind	 kind;
};

static const struct cmd_case cmd_cases[] = {
	{ "route get 8.8.8.8", 0, CMD_ROUTE_GET },
	{ "r g 8.8.8.8", 0, CMD_ROUTE_GET },
	{ "route get to 8.8.8.8/32", 0, CMD_ROUTE_GET },
	{ "route get 8.8.8.8 from 10.1.0.1 iif v0 oif v1 tos 10 mark 0x10 "
	    "uid 1000 ipproto tcp sport 1234 dport 80", 0, CMD_ROUTE_GET },
	{ "route get 8.8.8.8 dev v0 dsfield 0x1c ipproto 17", 0,
	    CMD_ROUTE_GET },
	{ "route", 0, CMD_ROUTE_SHOW },
	{ "route show", 0, CMD_ROUTE_SHOW },
	{ "route list table all", 0, CMD_ROUTE_SHOW },
	{ "route show table 100", 0, CMD_ROUTE_SHOW },
	{ "route show table local", 0, CMD_ROUTE_SHOW },
	{ "rule show", 0, CMD_RULE_SHOW },
	{ "ru", 0, CMD_RULE_SHOW },
	{ "nexthop show", 0, CMD_NEXTHOP_SHOW },
	{ "nh", 0, CMD_NEXTHOP_SHOW },
	{ "link show", 0, CMD_LINK_SHOW },
	{ "addr show", 0, CMD_ADDR_SHOW },
	{ "a", 0, CMD_ADDR_SHOW },
	{ "cache", 0, CMD_CACHE_SHOW },
	{ "cache show", 0, CMD_CACHE_SHOW },
	{ "cache flush", 0, CMD_CACHE_FLUSH },
	{ "cache stats", 0, CMD_CACHE_STATS },
	{ "slabinfo", 0, CMD_SLABINFO },
	{ "slabinfo tune ip_dst_cache 120 60 8", 0, CMD_SLAB_TUNE },
	{ "status", 0, CMD_STATUS },
	{ "stats", 0, CMD_STATS },
	{ "help", 0, CMD_HELP },
	{ "route help", 0, CMD_HELP },
	/* bad */
	{ "", CLI_EXIT_USAGE, CMD_NONE },
	{ "bogus", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 300.1.1.1", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8/24", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get ::1", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 from", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 from x", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 9.9.9.9", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 iif 0123456789abcdef", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 tos 100", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 mark -1", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 mark 4294967296", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 sport 65536", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 ipproto nosuchproto", CLI_EXIT_USAGE, CMD_NONE },
	{ "route get 8.8.8.8 uid x", CLI_EXIT_USAGE, CMD_NONE },
	{ "route add 1.0.0.0/8", CLI_EXIT_USAGE, CMD_NONE },
	{ "route show table", CLI_EXIT_USAGE, CMD_NONE },
	{ "route show table bogus", CLI_EXIT_USAGE, CMD_NONE },
	{ "route show dev v0", CLI_EXIT_USAGE, CMD_NONE },
	{ "rule add", CLI_EXIT_USAGE, CMD_NONE },
	{ "rule show extra", CLI_EXIT_USAGE, CMD_NONE },
	{ "cache drop", CLI_EXIT_USAGE, CMD_NONE },
	{ "cache flush now", CLI_EXIT_USAGE, CMD_NONE },
	{ "slabinfo tune x 1 2", CLI_EXIT_USAGE, CMD_NONE },
	{ "slabinfo tune x 1 2 z", CLI_EXIT_USAGE, CMD_NONE },
	{ "status now", CLI_EXIT_USAGE, CMD_NONE },
};

Test(cli_parse, commands)
{
	char *argv[CLI_MAXARGS], err[512];
	struct cli_cmd cmd;
	size_t i;
	int argc, rv;

	for (i = 0; i < sizeof(cmd_cases) / sizeof(cmd_cases[0]); i++) {
		argc = words(cmd_cases[i].line, argv);
		err[0] = '\0';
		rv = cli_parse_cmd(argc, argv, &cmd, err, sizeof(err));
		cr_assert_eq(rv, cmd_cases[i].rv, "\"%s\": %d %s",
		    cmd_cases[i].line, rv, err);
		if (rv == 0)
			cr_assert_eq(cmd.kind, cmd_cases[i].kind, "\"%s\"",
			    cmd_cases[i].line);
		else
			cr_assert_neq(err[0], '\0', "\"%s\": no message",
			    cmd_cases[i].line);
	}
}

Test(cli_parse, route_get_fields)
{
	char *argv[CLI_MAXARGS], err[512];
	struct cli_cmd cmd;
	int argc;

	argc = words("route get 8.8.8.8 from 10.1.0.1 iif v0 oif v1 tos 10 "
	    "mark 0x10 uid 1000 ipproto tcp sport 1234 dport 80", argv);
	cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)), 0);
	cr_assert_eq(cmd.flow.dst, ip("8.8.8.8"));
	cr_assert_eq(cmd.flow.src, ip("10.1.0.1"));
	cr_assert_str_eq(cmd.flow.iifname, "v0");
	cr_assert_str_eq(cmd.flow.oifname, "v1");
	cr_assert_eq(cmd.flow.tos, 0x10, "ip reads tos in hex");
	cr_assert_eq(cmd.flow.mark, 16);
	cr_assert_eq(cmd.flow.uid, 1000);
	cr_assert_eq(cmd.flow.proto, 6);
	cr_assert_eq(cmd.flow.sport, htons(1234));
	cr_assert_eq(cmd.flow.dport, htons(80));
	cr_assert_eq(cmd.flow.present, RTC_FLOW_F_SRC | RTC_FLOW_F_IIFNAME |
	    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_TOS | RTC_FLOW_F_MARK |
	    RTC_FLOW_F_UID | RTC_FLOW_F_PROTO | RTC_FLOW_F_SPORT |
	    RTC_FLOW_F_DPORT);

	argc = words("route get 8.8.8.8", argv);
	cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)), 0);
	cr_assert_eq(cmd.flow.present, 0, "uid is the daemon's business");

	argc = words("route show table all", argv);
	cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)), 0);
	cr_assert_eq(cmd.table, RTC_TABLE_ALL);
	argc = words("route show", argv);
	cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)), 0);
	cr_assert_eq(cmd.table, 0);

	/* ip(8)'s address forms: short, octal, hex */
	{
		static const struct { const char *in, *out; } f[] = {
			{ "route get 10.1", "10.1.0.0" },
			{ "route get 010.1.1.1", "8.1.1.1" },
			{ "route get 0x10.1.1.1", "16.1.1.1" },
			{ "route get 1.2.3.04/32", "1.2.3.4" },
			{ "route get 7", "7.0.0.0" },
		};
		char a[INET_ADDRSTRLEN];
		size_t k;

		for (k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
			argc = words(f[k].in, argv);
			cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err,
			    sizeof(err)), 0, "%s: %s", f[k].in, err);
			inet_ntop(AF_INET, &cmd.flow.dst, a, sizeof(a));
			cr_assert_str_eq(a, f[k].out, "%s", f[k].in);
		}
	}
	argc = words("route get 300.1.1.1", argv);
	cli_parse_cmd(argc, argv, &cmd, err, sizeof(err));
	cr_assert_str_eq(err,
	    "Error: any valid prefix is expected rather than \"300.1.1.1\".");
	argc = words("route get 1.1.1.1 from 1.2.3.4.5", argv);
	cli_parse_cmd(argc, argv, &cmd, err, sizeof(err));
	cr_assert_str_eq(err,
	    "Error: inet prefix is expected rather than \"1.2.3.4.5\".");
}

/* `connected`, `fibmatch` and the other words as ip 6.1 reads them. */
struct get_case {
	const char	*line;
	uint32_t	 present;	/* besides the destination */
	bool		 connected;
	uint8_t		 proto;
};

static const struct get_case get_cases[] = {
	{ "route get 8.8.8.8 connected", 0, true, 0 },
	{ "route get 8.8.8.8 c", 0, true, 0 },
	{ "route get 8.8.8.8 fibmatch", RTC_FLOW_F_FIBMATCH, false, 0 },
	{ "route get 8.8.8.8 fib conn", RTC_FLOW_F_FIBMATCH, true, 0 },
	/* prefixes in iproute_get()'s order: d is dsfield, f from, i iif,
	 * ip ipproto, dp dport, s sport, m mark, u uid, o oif */
	{ "route get 8.8.8.8 d 10", RTC_FLOW_F_TOS, false, 0 },
	{ "route get 8.8.8.8 f 1.1.1.1 i v0 m 1 u 5 s 1 dp 2 o v1 ip udp",
	    RTC_FLOW_F_SRC | RTC_FLOW_F_IIFNAME | RTC_FLOW_F_MARK |
	    RTC_FLOW_F_UID | RTC_FLOW_F_SPORT | RTC_FLOW_F_DPORT |
	    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_PROTO, false, 17 },
	/* ipproto: decimal, or a name or alias of /etc/protocols */
	{ "route get 8.8.8.8 ipproto 132", RTC_FLOW_F_PROTO, false, 132 },
	{ "route get 8.8.8.8 ipproto -0", RTC_FLOW_F_PROTO, false, 0 },
	{ "route get 8.8.8.8 ipproto 006", RTC_FLOW_F_PROTO, false, 6 },
};

Test(cli_parse, route_get_words_as_ip_reads_them)
{
	char *argv[CLI_MAXARGS], err[512];
	struct cli_cmd cmd;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(get_cases) / sizeof(get_cases[0]); i++) {
		argc = words(get_cases[i].line, argv);
		cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)),
		    0, "\"%s\": %s", get_cases[i].line, err);
		cr_assert_eq(cmd.flow.dst, ip("8.8.8.8"), "%s",
		    get_cases[i].line);
		cr_assert_eq(cmd.flow.present, get_cases[i].present,
		    "\"%s\": %#x", get_cases[i].line, cmd.flow.present);
		cr_assert_eq(cmd.connected, get_cases[i].connected, "%s",
		    get_cases[i].line);
		cr_assert_eq(cmd.flow.proto, get_cases[i].proto, "%s",
		    get_cases[i].line);
	}
}

Test(cli_parse, route_get_refuses_what_ip_refuses_in_its_words)
{
	static const struct { const char *line, *err; } bad[] = {
		{ "route get 8.8.8.8 ipproto 0x6", "Error: argument \"0x6\" "
		    "is wrong: Invalid \"ipproto\" value" },
		{ "route get 8.8.8.8 ipproto 256", "Error: argument \"256\" "
		    "is wrong: Invalid \"ipproto\" value" },
		{ "route get 8.8.8.8 ipproto nosuchproto", "Error: argument "
		    "\"nosuchproto\" is wrong: Invalid \"ipproto\" value" },
		{ "route get 8.8.8.8 ipproto", "Command line is not complete. "
		    "Try option \"help\"" },
		{ "route get 8.8.8.8 notify", "Error: \"notify\" is not "
		    "supported by rtcache." },
		{ "route get 8.8.8.8 vrf", "Command line is not complete. "
		    "Try option \"help\"" },
		{ "route get 8.8.8.8 fibmatchx", "Error: either \"to\" is "
		    "duplicate, or \"fibmatchx\" is a garbage." },
	};
	char *argv[CLI_MAXARGS], err[512];
	struct cli_cmd cmd;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		argc = words(bad[i].line, argv);
		cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)),
		    CLI_EXIT_USAGE, "%s", bad[i].line);
		cr_assert_str_eq(err, bad[i].err, "%s", bad[i].line);
	}
}

/*
 * `vrf NAME` is ip's `oif NAME` with the check that NAME is a VRF, which
 * the daemon makes; the last of oif and vrf is the device sent.
 */
Test(cli_parse, route_get_vrf_is_the_oif_that_must_be_a_vrf)
{
	static const struct {
		const char *line, *oif;
		uint32_t present;
	} cases[] = {
		{ "route get 8.8.8.8 vrf red", "red",
		    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_VRF },
		{ "route get vrf red 8.8.8.8 from 10.0.0.1", "red",
		    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_VRF | RTC_FLOW_F_SRC },
		{ "route get 8.8.8.8 v red", "red",
		    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_VRF },
		{ "route get 8.8.8.8 oif v0 vrf red", "red",
		    RTC_FLOW_F_OIFNAME | RTC_FLOW_F_VRF },
		{ "route get 8.8.8.8 vrf red oif v0", "v0",
		    RTC_FLOW_F_OIFNAME },
		{ "route get 8.8.8.8 iif v0 vrf red", "red",
		    RTC_FLOW_F_IIFNAME | RTC_FLOW_F_OIFNAME |
		    RTC_FLOW_F_VRF },
	};
	char *argv[CLI_MAXARGS], err[512];
	struct cli_cmd cmd;
	size_t i;
	int argc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argc = words(cases[i].line, argv);
		cr_assert_eq(cli_parse_cmd(argc, argv, &cmd, err, sizeof(err)),
		    0, "\"%s\": %s", cases[i].line, err);
		cr_assert_str_eq(cmd.flow.oifname, cases[i].oif, "%s",
		    cases[i].line);
		cr_assert_eq(cmd.flow.present, cases[i].present, "\"%s\": %#x",
		    cases[i].line, cmd.flow.present);
	}
}

struct opt_case {
	const char	*line;
	int		 rv;
	int		 next;	/* first command word */
};

static const struct opt_case opt_cases[] = {
	{ "rtcache route get 1.1.1.1", 0, 1 },
	{ "rtcache -j -p route", 0, 3 },
	{ "rtcache -json -pretty -details route", 0, 4 },
	{ "rtcache --json route", 0, 2 },
	{ "rtcache -s /tmp/x.sock status", 0, 3 },
	{ "rtcache -S /tmp/x.sock status", 0, 3 },
	{ "rtcache --socket=/tmp/x.sock status", 0, 2 },
	{ "rtcache -b file", 0, 3 },
	{ "rtcache -force -batch -", 0, 4 },
	{ "rtcache --version", 0, 2 },
	{ "rtcache -h", 0, 2 },
	{ "rtcache -- route", 0, 2 },
	{ "rtcache", 0, 1 },
	{ "rtcache -x route", CLI_EXIT_USAGE, 0 },
	{ "rtcache --bogus", CLI_EXIT_USAGE, 0 },
	{ "rtcache -s", CLI_EXIT_USAGE, 0 },
	{ "rtcache -b", CLI_EXIT_USAGE, 0 },
	{ "rtcache --socket= status", CLI_EXIT_USAGE, 0 },
};

Test(cli_parse, options)
{
	char *argv[CLI_MAXARGS], err[512];
	struct cli_opts o;
	size_t i;
	int argc, next, rv;

	for (i = 0; i < sizeof(opt_cases) / sizeof(opt_cases[0]); i++) {
		argc = words(opt_cases[i].line, argv);
		rv = cli_parse_opts(argc, argv, &o, &next, err, sizeof(err));
		cr_assert_eq(rv, opt_cases[i].rv, "\"%s\"", opt_cases[i].line);
		if (rv == 0)
			cr_assert_eq(next, opt_cases[i].next, "\"%s\"",
			    opt_cases[i].line);
	}
	argc = words("rtcache -j -p -force -s /x -b f", argv);
	cr_assert_eq(cli_parse_opts(argc, argv, &o, &next, err, sizeof(err)),
	    0);
	cr_assert(o.json && o.pretty && o.force);
	cr_assert_str_eq(o.sock, "/x");
	cr_assert_str_eq(o.batch, "f");
}

/* Exit codes of whole command lines that never reach a daemon. */
struct exit_case {
	const char	*line;
	int		 status;
};

static const struct exit_case exit_cases[] = {
	{ "rtcache --help", 0 },
	{ "rtcache help", 0 },
	{ "rtcache --version", 0 },
	{ "rtcache", CLI_EXIT_USAGE },
	{ "rtcache -q", CLI_EXIT_USAGE },
	{ "rtcache route get", CLI_EXIT_USAGE },
	{ "rtcache route get 1.2.3.4.5", CLI_EXIT_USAGE },
	{ "rtcache -b x route get 1.1.1.1", CLI_EXIT_USAGE },
	{ "rtcache -s /nonexistent/rtcached.sock status", CLI_EXIT_FAIL },
	{ "rtcache -s /nonexistent/rtcached.sock route get 1.1.1.1",
	    CLI_EXIT_FAIL },
	{ "rtcache -b /nonexistent/batch", CLI_EXIT_FAIL },
};

Test(cli_main, exit_codes, .init = cr_redirect_stdout)
{
	char *argv[CLI_MAXARGS];
	size_t i;
	int argc;

	cr_redirect_stderr();
	for (i = 0; i < sizeof(exit_cases) / sizeof(exit_cases[0]); i++) {
		argc = words(exit_cases[i].line, argv);
		cr_assert_eq(cli_main(argc, argv), exit_cases[i].status,
		    "\"%s\"", exit_cases[i].line);
	}
}

Test(cli_main, no_daemon_names_the_socket, .init = cr_redirect_stderr)
{
	char *argv[CLI_MAXARGS];
	int argc;

	argc = words("rtcache -s /nonexistent/x.sock status", argv);
	cr_assert_eq(cli_main(argc, argv), CLI_EXIT_FAIL);
	fflush(stderr);
	cr_assert_stderr_eq_str("rtcache: cannot connect to rtcached at "
	    "/nonexistent/x.sock: No such file or directory (is rtcached "
	    "running?)\n");
}

/* --- batch lines -------------------------------------------------------- */

Test(cli_batch, split_line)
{
	char *argv[8];
	char l1[] = "  route get\t8.8.8.8   from 10.0.0.1 \n";
	char l2[] = "# a comment";
	char l3[] = "   ";
	char l4[] = "route get 1.1.1.1 # trailing comment";
	char l5[] = "a \"b c\" 'd e' f";
	char l6[] = "a \"b c";
	char l7[] = "1 2 3 4 5 6 7 8 9";
	char l8[] = "";

	cr_assert_eq(cli_split_line(l1, argv, 8), 5);
	cr_assert_str_eq(argv[0], "route");
	cr_assert_str_eq(argv[2], "8.8.8.8");
	cr_assert_str_eq(argv[4], "10.0.0.1");
	cr_assert_eq(cli_split_line(l2, argv, 8), 0);
	cr_assert_eq(cli_split_line(l3, argv, 8), 0);
	cr_assert_eq(cli_split_line(l4, argv, 8), 3);
	cr_assert_eq(cli_split_line(l5, argv, 8), 4);
	cr_assert_str_eq(argv[1], "b c");
	cr_assert_str_eq(argv[2], "d e");
	cr_assert_str_eq(argv[3], "f");
	cr_assert_eq(cli_split_line(l6, argv, 8), -1);
	cr_assert_eq(cli_split_line(l7, argv, 8), -1);
	cr_assert_eq(cli_split_line(l8, argv, 8), 0);
}

/* --- route get output --------------------------------------------------- */

static char *
text_of(const struct rtc_result *res, int details)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	cli_print_route(f, res, details);
	fclose(f);
	return s;
}

static char *
json_of(const struct rtc_result *res, int details)
{
	json_object *arr = json_object_new_array();
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	json_object_array_add(arr, cli_route_json(res, details));
	cli_print_json(f, arr, 0);
	fclose(f);
	json_object_put(arr);
	return s;
}

/* An output answer as rtcached sends it (see proto.h). */
static struct rtc_result
out_res(uint8_t type, const char *dst, const char *gw, const char *dev,
    const char *prefsrc, uint32_t flags)
{
	struct rtc_result r;

	memset(&r, 0, sizeof(r));
	r.present = RTC_RES_F_TYPE | RTC_RES_F_DST | RTC_RES_F_OIF |
	    RTC_RES_F_OIFNAME | RTC_RES_F_TABLE | RTC_RES_F_FLAGS |
	    RTC_RES_F_UID;
	r.type = type;
	r.dst = ip(dst);
	if (gw != NULL) {
		r.gateway = ip(gw);
		r.present |= RTC_RES_F_GATEWAY;
	}
	if (prefsrc != NULL) {
		r.prefsrc = ip(prefsrc);
		r.present |= RTC_RES_F_PREFSRC;
	}
	r.oif = 2;
	snprintf(r.oifname, sizeof(r.oifname), "%s", dev);
	/* with only the default rules the kernel answers from its merged
	 * local+main trie as table main, and ip prints no table */
	r.table = 254;
	r.flags = flags;
	r.uid = 0;
	return r;
}

static void
expect_text(const struct rtc_result *r, const char *want)
{
	char *got = text_of(r, 0);

	cr_assert_str_eq(got, want);
	free(got);
}

Test(cli_format, route_get_text_like_ip)
{
	struct rtc_result r;

	r = out_res(RTN_UNICAST, "8.8.8.8", "10.0.0.254", "v0", "10.0.0.1", 0);
	expect_text(&r, "8.8.8.8 via 10.0.0.254 dev v0 src 10.0.0.1 uid 0 \n"
	    "    cache \n");

	r = out_res(RTN_LOCAL, "10.0.0.1", NULL, "lo", "10.0.0.1", RTCF_LOCAL);
	expect_text(&r, "local 10.0.0.1 dev lo src 10.0.0.1 uid 0 \n"
	    "    cache <local> \n");

	r = out_res(RTN_BROADCAST, "10.0.0.255", NULL, "v0", "10.0.0.1",
	    RTCF_BROADCAST | RTCF_LOCAL);
	expect_text(&r, "broadcast 10.0.0.255 dev v0 src 10.0.0.1 uid 0 \n"
	    "    cache <local,brd> \n");

	r = out_res(RTN_MULTICAST, "224.0.0.5", NULL, "v0", "10.0.0.1",
	    RTCF_MULTICAST);
	expect_text(&r, "multicast 224.0.0.5 dev v0 src 10.0.0.1 "
	    "rt_offload_failed uid 0 \n    cache <mc> \n");

	/* from: no src (the kernel leaves RTA_PREFSRC out) */
	r = out_res(RTN_UNICAST, "8.8.8.8", "10.0.0.254", "v0", NULL, 0);
	r.src = ip("10.1.0.1");
	r.present |= RTC_RES_F_SRC;
	expect_text(&r, "8.8.8.8 from 10.1.0.1 via 10.0.0.254 dev v0 uid 0 \n"
	    "    cache \n");

	r = out_res(RTN_UNICAST, "10.0.0.7", NULL, "v0", "10.0.0.1", 0);
	r.mark = 5;
	r.present |= RTC_RES_F_MARK;
	expect_text(&r, "10.0.0.7 dev v0 src 10.0.0.1 mark 5 uid 0 \n"
	    "    cache \n");
	r.mark = 0x10;
	expect_text(&r, "10.0.0.7 dev v0 src 10.0.0.1 mark 0x10 uid 0 \n"
	    "    cache \n");
}

Test(cli_format, route_get_input_text_like_ip)
{
	struct rtc_result r;

	/* input lookups: iif, no uid */
	r = out_res(RTN_UNICAST, "192.168.1.5", "10.1.0.2", "v2", NULL, 0);
	r.present &= ~RTC_RES_F_UID;
	r.present |= RTC_RES_F_SRC | RTC_RES_F_IIF | RTC_RES_F_IIFNAME;
	r.src = ip("10.0.0.9");
	r.iif = 3;
	strcpy(r.iifname, "v0");
	expect_text(&r, "192.168.1.5 from 10.0.0.9 via 10.1.0.2 dev v2 \n"
	    "    cache iif v0 \n");

	r = out_res(RTN_LOCAL, "10.0.0.1", NULL, "lo", NULL, RTCF_LOCAL);
	r.present &= ~RTC_RES_F_UID;
	r.present |= RTC_RES_F_SRC | RTC_RES_F_IIF | RTC_RES_F_IIFNAME;
	r.src = ip("10.0.0.9");
	strcpy(r.iifname, "v0");
	expect_text(&r, "local 10.0.0.1 from 10.0.0.9 dev lo \n"
	    "    cache <local> iif v0 \n");
}

Test(cli_format, route_get_text_names_other_tables)
{
	struct rtc_result r;

	/* seen from ip 6.1 on kernel 6.18 once a rule exists */
	r = out_res(RTN_UNICAST, "8.8.8.8", "10.0.0.254", "v0", "10.0.0.1", 0);
	r.table = 100;
	expect_text(&r, "8.8.8.8 via 10.0.0.254 dev v0 table 100 src 10.0.0.1 "
	    "uid 0 \n    cache \n");
	r = out_res(RTN_LOCAL, "10.0.0.1", NULL, "lo", "10.0.0.1", RTCF_LOCAL);
	r.table = 255;
	expect_text(&r, "local 10.0.0.1 dev lo table local src 10.0.0.1 uid 0 "
	    "\n    cache <local> \n");
}

Test(cli_format, route_get_text_details_metrics_expires)
{
	struct rtc_result r;
	char *got;

	r = out_res(RTN_UNICAST, "8.8.8.8", "10.0.0.254", "v0", "10.0.0.1",
	    RTCF_DOREDIRECT | RTCF_DIRECTSRC);
	r.present |= RTC_RES_F_METRICS | RTC_RES_F_EXPIRES;
	r.metrics_set = (1U << RTAX_MTU) | (1U << RTAX_LOCK) |
	    (1U << RTAX_RTT);
	r.metrics[RTAX_MTU] = 1400;
	r.metrics[RTAX_LOCK] = 1U << RTAX_MTU;
	r.metrics[RTAX_RTT] = 8 * 20;
	r.expires = 598;
	expect_text(&r, "8.8.8.8 via 10.0.0.254 dev v0 src 10.0.0.1 uid 0 \n"
	    "    cache <src-direct,redirect> expires 598sec mtu lock 1400 "
	    "rtt 20ms \n");
	got = text_of(&r, 1);
	cr_assert_eq(strncmp(got, "unicast 8.8.8.8 via 10.0.0.254 dev v0 "
	    "table main src", 46), 0, "%s", got);
	free(got);
	r.present &= ~(RTC_RES_F_GATEWAY | RTC_RES_F_OIFNAME |
	    RTC_RES_F_METRICS | RTC_RES_F_EXPIRES | RTC_RES_F_PREFSRC);
	r.flags = 0;
	expect_text(&r, "8.8.8.8 dev if2 uid 0 \n    cache \n");
}

Test(cli_format, route_get_json_like_ip)
{
	struct rtc_result r;
	char *got;

	r = out_res(RTN_UNICAST, "8.8.8.8", "10.0.0.254", "v0", "10.0.0.1", 0);
	got = json_of(&r, 0);
	cr_assert_str_eq(got, "[{\"dst\":\"8.8.8.8\",\"gateway\":\"10.0.0.254\","
	    "\"dev\":\"v0\",\"prefsrc\":\"10.0.0.1\",\"flags\":[],\"uid\":0,"
	    "\"cache\":[]}]\n");
	free(got);

	r = out_res(RTN_LOCAL, "10.0.0.1", NULL, "lo", NULL, RTCF_LOCAL);
	r.present &= ~RTC_RES_F_UID;
	r.present |= RTC_RES_F_SRC | RTC_RES_F_IIFNAME | RTC_RES_F_MARK;
	r.src = ip("10.0.0.9");
	r.mark = 300;
	strcpy(r.iifname, "v0");
	got = json_of(&r, 0);
	cr_assert_str_eq(got, "[{\"type\":\"local\",\"dst\":\"10.0.0.1\","
	    "\"from\":\"10.0.0.9\",\"dev\":\"lo\",\"flags\":[],\"mark\":300,"
	    "\"cache\":[\"local\"],\"iif\":\"v0\"}]\n");
	free(got);

	r = out_res(RTN_MULTICAST, "224.0.0.5", NULL, "v0", "10.0.0.1",
	    RTCF_MULTICAST);
	r.present |= RTC_RES_F_METRICS;
	r.metrics_set = 1U << RTAX_MTU;
	r.metrics[RTAX_MTU] = 9000;
	got = json_of(&r, 0);
	cr_assert_str_eq(got, "[{\"type\":\"multicast\",\"dst\":\"224.0.0.5\","
	    "\"dev\":\"v0\",\"prefsrc\":\"10.0.0.1\",\"flags\":"
	    "[\"rt_offload_failed\"],\"uid\":0,\"cache\":[\"mc\"],"
	    "\"metrics\":[{\"mtu\":9000}]}]\n");
	free(got);
}

Test(cli_format, route_get_realms_as_ip_prints_them)
{
	struct rtc_result r;
	char *got;

	/* seen from ip 6.1 on kernel 6.18 with `ip rule add ... realms` */
	r = out_res(RTN_UNICAST, "192.0.2.5", "10.0.0.2", "v0", "10.0.0.1", 0);
	r.table = 100;
	r.present |= RTC_RES_F_FLOW;
	r.flow = 3;
	expect_text(&r, "192.0.2.5 via 10.0.0.2 dev v0 table 100 src 10.0.0.1 "
	    "realm 3 uid 0 \n    cache \n");
	got = json_of(&r, 0);
	cr_assert_str_eq(got, "[{\"dst\":\"192.0.2.5\",\"gateway\":"
	    "\"10.0.0.2\",\"dev\":\"v0\",\"table\":\"100\",\"prefsrc\":"
	    "\"10.0.0.1\",\"flags\":[],\"flow\":{\"to\":\"3\"},\"uid\":0,"
	    "\"cache\":[]}]\n");
	free(got);
	r.flow = 2U << 16 | 3;
	r.mark = 1;
	r.present |= RTC_RES_F_MARK;
	expect_text(&r, "192.0.2.5 via 10.0.0.2 dev v0 table 100 src 10.0.0.1 "
	    "mark 1 realms 2/3 uid 0 \n    cache \n");
	got = json_of(&r, 0);
	cr_assert(strstr(got, "\"flow\":{\"from\":\"2\",\"to\":\"3\"}") !=
	    NULL, "%s", got);
	free(got);
}

Test(cli_format, route_get_features_ecn_as_ip_prints_them)
{
	struct rtc_result r;
	char *got;

	/* seen from ip 6.1 for `ip route add ... mtu 1400 features ecn` */
	r = out_res(RTN_UNICAST, "198.18.1.1", "10.0.0.2", "v0", "10.0.0.1", 0);
	r.present |= RTC_RES_F_METRICS;
	r.metrics_set = (1U << RTAX_MTU) | (1U << RTAX_FEATURES);
	r.metrics[RTAX_MTU] = 1400;
	r.metrics[RTAX_FEATURES] = RTAX_FEATURE_ECN;
	expect_text(&r, "198.18.1.1 via 10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n"
	    "    cache mtu 1400 features ecn \n");
	got = json_of(&r, 0);
	cr_assert(strstr(got, "\"metrics\":[{\"mtu\":1400,\"ecn\":null}]") !=
	    NULL, "%s", got);
	free(got);
	/* other bits: the whole value in hex (print_rtax_features) */
	r.metrics[RTAX_FEATURES] = RTAX_FEATURE_ECN | RTAX_FEATURE_SACK;
	expect_text(&r, "198.18.1.1 via 10.0.0.2 dev v0 src 10.0.0.1 uid 0 \n"
	    "    cache mtu 1400 features ecn 0x3 \n");
	r.metrics[RTAX_FEATURES] = RTAX_FEATURE_SACK;
	got = json_of(&r, 0);
	cr_assert(strstr(got, "{\"mtu\":1400,\"features\":\"0x2\"}") !=
	    NULL, "%s", got);
	free(got);
}

Test(cli_format, fibmatch_json_as_ip_prints_the_entry)
{
	char *got;

	got = json_str(cli_route_text_json("198.18.0.0/16 via 10.0.0.2 dev v0 "
	    "proto static metric 7 mtu 1400 features ecn \n"));
	cr_assert_str_eq(got, "[{\"dst\":\"198.18.0.0/16\",\"gateway\":"
	    "\"10.0.0.2\",\"dev\":\"v0\",\"protocol\":\"static\",\"metric\":"
	    "7,\"flags\":[],\"metrics\":[{\"mtu\":1400,\"ecn\":null}]}]");
	free(got);
	got = json_str(cli_route_text_json("192.0.2.0/24 via 10.0.0.2 dev v0 "
	    "table 100 \n"));
	cr_assert_str_eq(got, "[{\"dst\":\"192.0.2.0/24\",\"gateway\":"
	    "\"10.0.0.2\",\"dev\":\"v0\",\"table\":\"100\",\"flags\":[]}]",
	    "a table is a name to ip -j, even a number");
	free(got);
	got = json_str(cli_route_text_json("203.0.113.0/24 \n\tnexthop via "
	    "10.0.0.2 dev v0 weight 1 \n\tnexthop via 10.0.2.2 dev v2 "
	    "weight 3 \n"));
	cr_assert_str_eq(got, "[{\"dst\":\"203.0.113.0/24\",\"flags\":[],"
	    "\"nexthops\":[{\"gateway\":\"10.0.0.2\",\"dev\":\"v0\","
	    "\"weight\":1,\"flags\":[]},{\"gateway\":\"10.0.2.2\",\"dev\":"
	    "\"v2\",\"weight\":3,\"flags\":[]}]}]");
	free(got);
}

Test(cli_format, a_lookup_error_with_a_message_prints_the_message)
{
	struct rtc_result r;
	struct cli_buf b;

	memset(&r, 0, sizeof(r));
	r.present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
	r.error = EOPNOTSUPP;
	r.errmsg = "Unsupported ip proto";
	cli_buf_init(&b);
	cli_format_lookup_error(&b, &r, "", "");
	r.present = RTC_RES_F_ERROR;
	r.error = ENETUNREACH;
	cli_format_lookup_error(&b, &r, "", "");
	cli_buf_putc(&b, '\0');
	cr_assert_str_eq(b.p, "Error: Unsupported ip proto.\n"
	    "RTNETLINK answers: Network is unreachable\n");
	cli_buf_free(&b);
}

/* a name that names no device: iproute2's nodev() words, iif first */
Test(cli_format, lookup_error_cannot_find_device)
{
	struct rtc_result r;
	struct cli_buf b;

	memset(&r, 0, sizeof(r));
	r.present = RTC_RES_F_ERROR | RTC_RES_F_ERRMSG;
	r.error = ENODEV;
	r.errmsg = RTC_ERRMSG_NO_IIF;
	cr_assert(cli_lookup_nodev(&r));
	cli_buf_init(&b);
	cli_format_lookup_error(&b, &r, "v9", "v8");
	r.errmsg = RTC_ERRMSG_NO_OIF;
	cli_format_lookup_error(&b, &r, "v9", "v8");
	r.present = RTC_RES_F_ERROR;	/* the kernel's: an index */
	cr_assert_not(cli_lookup_nodev(&r));
	cli_format_lookup_error(&b, &r, "if999", "");
	cli_buf_putc(&b, '\0');
	cr_assert_str_eq(b.p, "Cannot find device \"v9\"\n"
	    "Cannot find device \"v8\"\n"
	    "RTNETLINK answers: No such device\n");
	cli_buf_free(&b);
}

Test(cli_format, lookup_errors_like_ip)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	cli_print_lookup_error(f, ENETUNREACH);
	cli_print_lookup_error(f, -EACCES);
	fclose(f);
	cr_assert_str_eq(s, "RTNETLINK answers: Network is unreachable\n"
	    "RTNETLINK answers: Permission denied\n");
	free(s);
}

Test(cli_format, lnstat_layout)
{
	const char *names[] = { "entries", "in_hit", "in_slow_tot" };
	const uint64_t vals[] = { 5, 123456789012ULL, 3 };
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	cli_print_lnstat(f, "rt_cache", names, vals, 3);
	fclose(f);
	cr_assert_str_eq(s,
	    "rt_cache|rt_cache|rt_cache|\n"
	    " entries|  in_hit|in_slow_|\n"
	    "        |        |     tot|\n"
	    "       5|123456789012|       3|\n");
	free(s);
}

static char *
json_str(json_object *o)
{
	char *s = strdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return s;
}

Test(cli_format, route_show_json_from_text)
{
	const char *lines[] = {
		"default via 10.0.0.254 dev v0 proto static metric 100 ",
		"10.0.0.0/24 dev v0 proto kernel scope link src 10.0.0.1 ",
		"blackhole 192.168.0.0/16 ",
		"10.9.0.0/16 proto static metric 5 ",
		"\tnexthop via 10.0.0.2 dev v0 weight 1 ",
		"\tnexthop via 10.0.0.3 dev v0 weight 2 onlink ",
		"10.8.0.0/16 via 10.0.0.9 dev v0 mtu lock 1400 ",
	};
	char *got = json_str(cli_route_lines_json(lines, 7));

	cr_assert_str_eq(got, "["
	    "{\"dst\":\"default\",\"gateway\":\"10.0.0.254\",\"dev\":\"v0\","
	    "\"protocol\":\"static\",\"metric\":100,\"flags\":[]},"
	    "{\"dst\":\"10.0.0.0/24\",\"dev\":\"v0\",\"protocol\":\"kernel\","
	    "\"scope\":\"link\",\"prefsrc\":\"10.0.0.1\",\"flags\":[]},"
	    "{\"type\":\"blackhole\",\"dst\":\"192.168.0.0/16\",\"flags\":[]},"
	    "{\"dst\":\"10.9.0.0/16\",\"protocol\":\"static\",\"metric\":5,"
	    "\"flags\":[],\"nexthops\":["
	    "{\"gateway\":\"10.0.0.2\",\"dev\":\"v0\",\"weight\":1,"
	    "\"flags\":[]},"
	    "{\"gateway\":\"10.0.0.3\",\"dev\":\"v0\",\"weight\":2,"
	    "\"flags\":[\"onlink\"]}]},"
	    "{\"dst\":\"10.8.0.0/16\",\"gateway\":\"10.0.0.9\",\"dev\":\"v0\","
	    "\"flags\":[],\"metrics\":[{\"mtu\":1400}]}]");
	free(got);
}

Test(cli_format, slabinfo_json_from_text)
{
	const char *lines[] = {
		"slabinfo - version: 2.1 (statistics)",
		"# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> "
		    "<batchcount> <sharedfactor> : slabdata <active_slabs> "
		    "<num_slabs> <sharedavail>",
		"ip_dst_cache        10     32    256   16    1 : tunables  "
		    "120   60    8 : slabdata      2      2      0",
	};
	char *got = json_str(cli_slabinfo_json(lines, 3));

	cr_assert_str_eq(got, "[{\"name\":\"ip_dst_cache\",\"active_objs\":10,"
	    "\"num_objs\":32,\"objsize\":256,\"objperslab\":16,"
	    "\"pagesperslab\":1,\"limit\":120,\"batchcount\":60,"
	    "\"sharedfactor\":8,\"active_slabs\":2,\"num_slabs\":2,"
	    "\"sharedavail\":0}]");
	free(got);
}

/* --- batch fast paths ------------------------------------------------------ */

Test(cli_fast, addresses_as_inet_ntop)
{
	char want[INET_ADDRSTRLEN], got[INET_ADDRSTRLEN];
	struct in_addr in;
	uint32_t i, a;
	size_t n;

	srandom(7);
	for (i = 0; i < 200000; i++) {
		a = i < 1024 ? i * 0x01010101U + (i >> 8) :
		    (uint32_t)random() ^ ((uint32_t)random() << 16);
		in.s_addr = a;
		inet_ntop(AF_INET, &in, want, sizeof(want));
		n = cli_fmt_addr(got, a);
		got[n] = '\0';
		cr_assert_str_eq(got, want);
	}
}

Test(cli_fast, numbers_as_printf)
{
	static const uint64_t v[] = { 0, 1, 9, 10, 15, 16, 255, 4096,
	    0xffffffffULL, 12345678901234ULL, UINT64_MAX };
	struct cli_buf b;
	char want[64];
	size_t i;

	cli_buf_init(&b);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		b.len = 0;
		cli_buf_u64(&b, v[i]);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		cr_assert_eq(b.len, strlen(want));
		cr_assert(memcmp(b.p, want, b.len) == 0, "%s", want);
		if (v[i] > UINT32_MAX)
			continue;
		b.len = 0;
		cli_buf_hex(&b, (uint32_t)v[i]);
		snprintf(want, sizeof(want), "0x%x", (unsigned int)v[i]);
		cr_assert_eq(b.len, strlen(want));
		cr_assert(memcmp(b.p, want, b.len) == 0, "%s", want);
	}
	/* growth past the first allocation keeps every byte */
	b.len = 0;
	for (i = 0; i < 100000; i++)
		cli_buf_addr(&b, htonl((uint32_t)i));
	cr_assert_geq(b.cap, b.len);
	cr_assert(!b.nomem);
	cli_buf_free(&b);
}

/* The fast line parser agrees with the general one, or declines. */
Test(cli_fast, route_get_lines_like_the_parser)
{
	static const char *const lines[] = {
		"route get 1.2.3.4", "route get 10.0.0.1   ",
		"  route get\t192.168.1.255", "route get 0.0.0.0",
		"route get 255.255.255.255", "route get 01.2.3.4",
		"route get 1.2.3", "route get 1.2.3.4.5", "route get 256.1.1.1",
		"route get 1.2.3.4/32", "route get 1.2.3.4 from 5.6.7.8",
		"route get 1.2.3.4 # comment", "route  get 1.2.3.4",
		"r get 1.2.3.4", "route get", "route get ", "route getx 1.2.3.4",
		"route get 1.2.3.4\r", "route get 1..3.4", "route get 1.2.3.",
		"route get 9.99.199.249", "route get 1.2.3.4x",
		"route get 300.1.1.1", "route get 00.1.1.1",
	};
	struct rtc_flow fast, slow;
	struct cli_cmd cmd;
	char *argv[CLI_MAXARGS], err[256];
	size_t i;
	int argc, rv;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		memset(&fast, 0xa5, sizeof(fast));
		if (!cli_parse_route_get_fast(lines[i], strlen(lines[i]),
		    &fast))
			continue;
		argc = words(lines[i], argv);
		rv = cli_parse_cmd(argc, argv, &cmd, err, sizeof(err));
		cr_assert_eq(rv, 0, "%s: %s", lines[i], err);
		cr_assert_eq(cmd.kind, CMD_ROUTE_GET, "%s", lines[i]);
		slow = cmd.flow;
		cr_assert(memcmp(&fast, &slow, sizeof(fast)) == 0, "%s",
		    lines[i]);
	}
	cr_assert(cli_parse_route_get_fast("route get 1.2.3.4", 17, &fast));
	cr_assert_eq(fast.dst, ip("1.2.3.4"));
	cr_assert_eq(fast.present, 0);
	cr_assert(!cli_parse_route_get_fast("route get 01.2.3.4", 18, &fast));
	cr_assert(!cli_parse_route_get_fast("route get 1.2.3.4/32", 20,
	    &fast));
	cr_assert(!cli_parse_route_get_fast("route get 256.1.1.1", 19,
	    &fast));
}
