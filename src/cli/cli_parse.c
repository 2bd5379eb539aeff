/* SPDX-License-Identifier: MIT */
/*
 * cli_parse.c - rtcache's command line: global options, the command
 * words (the same grammar on the command line and in batch files), and
 * the splitting of a batch line into words.
 *
 * The grammar follows ip(8): objects and verbs may be abbreviated to any
 * prefix (the first match in table order wins, so "r" is route), `route
 * get` takes ip's keywords, abbreviated as ip takes them, numbers are read
 * as ip reads them (tos in hex, mark and uid in any C base, ipproto in
 * decimal or by its /etc/protocols name).  Nothing here talks to the daemon or
 * exits: errors come back as a message in the caller's buffer, so the
 * parser can be tested and fuzzed on its own.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/inet_proto.h"
#include "base/rt_names.h"
#include "cli/cli.h"

void
cli_usage(FILE *out)
{
	fputs(
"Usage: rtcache [OPTIONS] OBJECT COMMAND [ARGS]\n"
"       rtcache [OPTIONS] -b FILE      (- for stdin)\n"
"OPTIONS: -j[son] -p[retty] -d[etails] -s SOCKET -force -b[atch] FILE\n"
"         --version --help\n"
"OBJECT COMMAND:\n"
"  route get ADDR [from ADDR] [iif DEV] [oif DEV] [vrf NAME] [tos TOS]\n"
"            [mark MARK] [uid UID] [ipproto PROTO] [sport PORT]\n"
"            [dport PORT] [connected] [fibmatch]\n"
"  route show [table ID|all]\n"
"  rule show | nexthop show | link show | addr show\n"
"  cache show | cache flush | cache stats\n"
"  slabinfo | slabinfo tune NAME LIMIT BATCHCOUNT SHARED\n"
"  verify [--samples N] [--seed S] [--table ID|all] [--netns NAME]\n"
"  status | stats | help\n", out);
}

static int
cli_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return CLI_EXIT_USAGE;
}

/* ip's matches(): @word is a non-empty prefix of @key. */
static bool
matches(const char *word, const char *key)
{
	size_t n = strlen(word);

	return n > 0 && n <= strlen(key) && strncmp(word, key, n) == 0;
}

/* An option spelled -x, -word or --word. */
static bool
is_opt(const char *arg, const char *shrt, const char *lng)
{
	if (shrt != NULL && strcmp(arg, shrt) == 0)
		return true;
	if (lng == NULL)
		return false;
	if (arg[0] == '-' && arg[1] == '-')
		arg++;
	return arg[0] == '-' && strcmp(arg + 1, lng) == 0;
}

/**
 * cli_parse_opts - the global options before the command
 * @next: set to the index of the first command word
 *
 * Return: 0, or CLI_EXIT_USAGE with @err set.
 */
int
cli_parse_opts(int argc, char **argv, struct cli_opts *o, int *next,
    char *err, size_t errlen)
{
	const char *a;
	int i;

	memset(o, 0, sizeof(*o));
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (is_opt(a, "-j", "json"))
			o->json = 1;
		else if (is_opt(a, "-p", "pretty"))
			o->pretty = 1;
		else if (is_opt(a, "-d", "details"))
			o->details = 1;
		else if (is_opt(a, NULL, "force"))
			o->force = 1;
		else if (is_opt(a, "-V", "version"))
			o->version = 1;
		else if (is_opt(a, "-h", "help"))
			o->help = 1;
		else if (strncmp(a, "--socket=", 9) == 0)
			o->sock = a + 9;
		else if (is_opt(a, "-s", "socket") || is_opt(a, "-S", NULL) ||
		    is_opt(a, "-b", "batch")) {
			if (i + 1 >= argc)
				return cli_err(err, errlen,
				    "Option \"%s\" needs an argument", a);
			if (a[1] == 'b' || strstr(a, "batch") != NULL)
				o->batch = argv[++i];
			else
				o->sock = argv[++i];
		} else
			return cli_err(err, errlen,
			    "Option \"%s\" is unknown, try \"rtcache --help\"",
			    a);
	}
	if (o->sock != NULL && *o->sock == '\0')
		return cli_err(err, errlen, "Empty socket path");
	*next = i;
	return 0;
}

/* A whole unsigned number of at most @max, no sign, no blanks. */
static bool
get_ull(const char *s, int base, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long n;
	char *end;

	if (*s == '\0' || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || n > max)
		return false;
	*v = n;
	return true;
}

static bool
get_u32(const char *s, int base, uint32_t *v)
{
	unsigned long long n;

	if (!get_ull(s, base, UINT32_MAX, &n))
		return false;
	*v = (uint32_t)n;
	return true;
}

/*
 * An IPv4 address as ip(8) reads one: up to four numbers, each decimal,
 * octal (leading 0) or hex (0x), at most 255, separated by dots; missing
 * trailing parts are zero ("10.1" is 10.1.0.0, "010.1.1.1" is 8.1.1.1).
 */
static bool
get_addr_ipv4(const char *s, uint32_t *addr)
{
	uint8_t o[4] = { 0, 0, 0, 0 };
	unsigned long n;
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		errno = 0;
		n = strtoul(s, &end, 0);
		if (end == s || n > 255 || errno != 0)
			return false;
		o[i] = (uint8_t)n;
		if (*end == '\0')
			break;
		if (i == 3 || *end != '.')
			return false;
		s = end + 1;
	}
	memcpy(addr, o, sizeof(o));
	return true;
}

/* An IPv4 address, optionally written as a /32 prefix. */
static bool
get_addr(const char *s, uint32_t *addr)
{
	char buf[64];
	char *slash;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if ((slash = strchr(buf, '/')) != NULL) {
		if (strcmp(slash, "/32") != 0)
			return false;
		*slash = '\0';
	}
	return get_addr_ipv4(buf, addr);
}

static bool
get_ifname(const char *s, char *name)
{
	size_t n = strlen(s);

	if (n == 0 || n >= RTC_IFNAMSIZ || strchr(s, '/') != NULL ||
	    strpbrk(s, " \t\n") != NULL)
		return false;
	memcpy(name, s, n + 1);
	return true;
}

/**
 * cli_table_parse - a table as ip names it: all, a name of rt_tables
 * (main, local, default, ...) or a number; table 0 (unspec) is all.
 *
 * Return: 0 with @id set (all = RTC_TABLE_ALL), or -EINVAL.
 */
int
cli_table_parse(const char *s, uint32_t *id)
{
	if (strcmp(s, "all") == 0)
		*id = RTC_TABLE_ALL;
	else if (rt_table_a2n(s, id) != 0 || *id == RTC_TABLE_ALL)
		return -EINVAL;
	else if (*id == 0)
		*id = RTC_TABLE_ALL;
	return 0;
}

/*
 * The words of `route get`, in the order iproute2 6.1's iproute_get()
 * tries them: each may be abbreviated to any prefix (matches()) unless
 * it is exact, so "d" is dsfield and "c" connected; a word that is none
 * of them is the destination.  Words ip knows but rtcache cannot answer
 * (notify, as) are refused by name.  `vrf NAME` is `oif NAME`, as ip
 * sends it, that must be a VRF: ip asks the kernel before it sends, the
 * daemon is asked here (RTC_FLOW_F_VRF).
 */
enum get_word {
	GW_TOS, GW_FROM, GW_IIF, GW_MARK, GW_OIF, GW_NOTIFY, GW_CONNECTED,
	GW_VRF, GW_UID, GW_FIBMATCH, GW_AS, GW_SPORT, GW_DPORT, GW_IPPROTO,
	GW_TO,
};

static const struct {
	const char	*word;
	bool		 exact;
	bool		 arg;		/* takes the next word */
	enum get_word	 w;
} get_words[] = {
	{ "tos", true, true, GW_TOS }, { "dsfield", false, true, GW_TOS },
	{ "from", false, true, GW_FROM }, { "iif", false, true, GW_IIF },
	{ "mark", false, true, GW_MARK }, { "oif", false, true, GW_OIF },
	{ "dev", true, true, GW_OIF }, { "notify", false, false, GW_NOTIFY },
	{ "connected", false, false, GW_CONNECTED },
	{ "vrf", false, true, GW_VRF }, { "uid", false, true, GW_UID },
	{ "fibmatch", false, false, GW_FIBMATCH }, { "as", true, true, GW_AS },
	{ "sport", false, true, GW_SPORT }, { "dport", false, true, GW_DPORT },
	{ "ipproto", false, true, GW_IPPROTO }, { "to", true, true, GW_TO },
};

static int
get_word_find(const char *w)
{
	size_t i;

	for (i = 0; i < sizeof(get_words) / sizeof(get_words[0]); i++)
		if (get_words[i].exact ? strcmp(w, get_words[i].word) == 0 :
		    matches(w, get_words[i].word))
			return (int)i;
	return -1;
}

static int
bad_arg(char *err, size_t errlen, const char *arg, const char *what)
{
	return cli_err(err, errlen, "Error: argument \"%s\" is wrong: %s", arg,
	    what);
}

/* One keyword's value into @cmd. */
static int
get_value(enum get_word w, const char *kw, const char *a, struct cli_cmd *cmd,
    char *err, size_t errlen)
{
	struct rtc_flow *fl = &cmd->flow;
	uint32_t v;
	int p;

	switch (w) {
	case GW_FROM:
		if (!get_addr(a, &fl->src))
			return cli_err(err, errlen, "Error: inet prefix is "
			    "expected rather than \"%s\".", a);
		fl->present |= RTC_FLOW_F_SRC;
		return 0;
	case GW_IIF:
	case GW_OIF:
	case GW_VRF:
		if (!get_ifname(a, w == GW_IIF ? fl->iifname : fl->oifname))
			return cli_err(err, errlen, "Error: argument \"%s\" is "
			    "wrong: \"%s\" not a valid ifname", a, kw);
		fl->present |= w == GW_IIF ? RTC_FLOW_F_IIFNAME :
		    RTC_FLOW_F_OIFNAME;
		/* the last of oif and vrf is the one sent */
		if (w == GW_VRF)
			fl->present |= RTC_FLOW_F_VRF;
		else if (w == GW_OIF)
			fl->present &= ~RTC_FLOW_F_VRF;
		return 0;
	case GW_TOS:
		/* ip reads the dsfield in hex, with or without 0x */
		if (!get_u32(a, 16, &v) || v > 255)
			return bad_arg(err, errlen, a, "TOS value is invalid");
		fl->tos = (uint8_t)v;
		fl->present |= RTC_FLOW_F_TOS;
		return 0;
	case GW_MARK:
		if (!get_u32(a, 0, &fl->mark))
			return bad_arg(err, errlen, a, "invalid mark value");
		fl->present |= RTC_FLOW_F_MARK;
		return 0;
	case GW_UID:
		if (!get_u32(a, 0, &fl->uid))
			return bad_arg(err, errlen, a, "invalid UID");
		fl->present |= RTC_FLOW_F_UID;
		return 0;
	case GW_IPPROTO:
		/* inet_proto_a2n: a decimal number to 255, else a name or
		 * alias of /etc/protocols */
		if ((p = inet_proto_a2n(a)) < 0)
			return bad_arg(err, errlen, a,
			    "Invalid \"ipproto\" value");
		fl->proto = (uint8_t)p;
		fl->present |= RTC_FLOW_F_PROTO;
		return 0;
	case GW_SPORT:
	case GW_DPORT:
		if (!get_u32(a, 0, &v) || v > 65535)
			return bad_arg(err, errlen, a, w == GW_SPORT ?
			    "invalid sport" : "invalid dport");
		if (w == GW_SPORT) {
			fl->sport = htons((uint16_t)v);
			fl->present |= RTC_FLOW_F_SPORT;
		} else {
			fl->dport = htons((uint16_t)v);
			fl->present |= RTC_FLOW_F_DPORT;
		}
		return 0;
	default:
		return cli_err(err, errlen, "Error: \"%s\" is not supported "
		    "by rtcache.", kw);
	}
}

/* The destination, once, as ip reads it before it knows the family. */
static int
get_dst(const char *a, bool *have_dst, struct rtc_flow *fl, char *err,
    size_t errlen)
{
	if (*have_dst)
		return cli_err(err, errlen, "Error: either \"to\" is "
		    "duplicate, or \"%s\" is a garbage.", a);
	if (!get_addr(a, &fl->dst))
		return cli_err(err, errlen, "Error: any valid prefix is "
		    "expected rather than \"%s\".", a);
	*have_dst = true;
	return 0;
}

static int
parse_route_get(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	struct rtc_flow *fl = &cmd->flow;
	bool have_dst = false;
	int i, k, rv;

	memset(fl, 0, sizeof(*fl));
	cmd->connected = false;
	for (i = 0; i < argc; i++) {
		if ((k = get_word_find(argv[i])) < 0) {
			rv = get_dst(argv[i], &have_dst, fl, err, errlen);
		} else if (get_words[k].w == GW_CONNECTED) {
			cmd->connected = true;
			continue;
		} else if (get_words[k].w == GW_FIBMATCH) {
			fl->present |= RTC_FLOW_F_FIBMATCH;
			continue;
		} else if (get_words[k].arg && ++i >= argc) {
			return cli_err(err, errlen, "Command line is not "
			    "complete. Try option \"help\"");
		} else if (get_words[k].w == GW_TO) {
			rv = get_dst(argv[i], &have_dst, fl, err, errlen);
		} else {
			rv = get_value(get_words[k].w, get_words[k].word,
			    argv[i], cmd, err, errlen);
		}
		if (rv != 0)
			return rv;
	}
	if (!have_dst)
		return cli_err(err, errlen,
		    "Error: need at least a destination address");
	return 0;
}

static bool
is_show(const char *w)
{
	return matches(w, "show") || matches(w, "list") ||
	    strcmp(w, "lst") == 0 || strcmp(w, "ls") == 0;
}

/* OBJECT [show|list] with nothing after it. */
static int
parse_show_only(int argc, char **argv, enum cli_cmd_kind kind,
    struct cli_cmd *cmd, char *err, size_t errlen)
{
	if (argc > 1 && !is_show(argv[1]))
		return cli_err(err, errlen, "Command \"%s\" is unknown, "
		    "try \"rtcache %s help\".", argv[1], argv[0]);
	if (argc > 2)
		return cli_err(err, errlen,
		    "Error: argument \"%s\" is wrong: unsupported selector",
		    argv[2]);
	cmd->kind = kind;
	return 0;
}

static int
parse_route(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	int i;

	if (argc > 1 && matches(argv[1], "get")) {
		cmd->kind = CMD_ROUTE_GET;
		return parse_route_get(argc - 2, argv + 2, cmd, err, errlen);
	}
	if (argc > 1 && matches(argv[1], "help")) {
		cmd->kind = CMD_HELP;
		return 0;
	}
	if (argc > 1 && !is_show(argv[1]))
		return cli_err(err, errlen, "Command \"%s\" is unknown, "
		    "try \"rtcache route help\".", argv[1]);
	cmd->kind = CMD_ROUTE_SHOW;
	cmd->table = 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "table") != 0)
			return cli_err(err, errlen, "Error: argument \"%s\" "
			    "is wrong: unsupported selector", argv[i]);
		if (++i >= argc)
			return cli_err(err, errlen, "Command line is not "
			    "complete. Try option \"help\"");
		if (cli_table_parse(argv[i], &cmd->table) < 0)
			return cli_err(err, errlen, "Error: argument \"%s\" "
			    "is wrong: table id value is invalid", argv[i]);
	}
	return 0;
}

static int
parse_cache(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	if (argc > 2)
		return cli_err(err, errlen, "Error: argument \"%s\" is wrong: "
		    "unsupported selector", argv[2]);
	if (argc == 1 || is_show(argv[1]))
		cmd->kind = CMD_CACHE_SHOW;
	else if (matches(argv[1], "flush"))
		cmd->kind = CMD_CACHE_FLUSH;
	else if (matches(argv[1], "stats") || matches(argv[1], "statistics"))
		cmd->kind = CMD_CACHE_STATS;
	else
		return cli_err(err, errlen, "Command \"%s\" is unknown, try "
		    "\"rtcache help\".", argv[1]);
	return 0;
}

static int
parse_slabinfo(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	if (argc == 1 || (argc == 2 && is_show(argv[1]))) {
		cmd->kind = CMD_SLABINFO;
		return 0;
	}
	if (!matches(argv[1], "tune"))
		return cli_err(err, errlen, "Command \"%s\" is unknown, try "
		    "\"rtcache help\".", argv[1]);
	if (argc != 6)
		return cli_err(err, errlen, "Usage: rtcache slabinfo tune "
		    "NAME LIMIT BATCHCOUNT SHARED");
	if (strlen(argv[2]) == 0 || strlen(argv[2]) >= sizeof(cmd->slab))
		return cli_err(err, errlen, "Error: argument \"%s\" is wrong: "
		    "bad cache name", argv[2]);
	strcpy(cmd->slab, argv[2]);
	if (!get_u32(argv[3], 10, &cmd->limit) ||
	    !get_u32(argv[4], 10, &cmd->batchcount) ||
	    !get_u32(argv[5], 10, &cmd->shared))
		return cli_err(err, errlen, "Error: slab tunables must be "
		    "numbers");
	cmd->kind = CMD_SLAB_TUNE;
	return 0;
}

/* verify [--samples N] [--seed S] [--table T] [--netns NAME] */
static int
parse_verify(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	unsigned long long seed;
	const char *w;
	int i;

	cmd->kind = CMD_VERIFY;
	cmd->samples = 10000;
	cmd->seed = 1;
	cmd->table = 0;
	for (i = 1; i < argc; i++) {
		w = argv[i];
		w += w[0] == '-' ? (w[1] == '-' ? 2 : 1) : 0;
		if (i + 1 >= argc)
			return cli_err(err, errlen, "Command line is not "
			    "complete. Try option \"help\"");
		if (strcmp(w, "samples") == 0) {
			if (!get_u32(argv[++i], 10, &cmd->samples) ||
			    cmd->samples == 0 || cmd->samples > 10000000)
				return cli_err(err, errlen, "Error: argument "
				    "\"%s\" is wrong: samples 1..10000000",
				    argv[i]);
		} else if (strcmp(w, "seed") == 0) {
			if (!get_ull(argv[++i], 0, ULLONG_MAX, &seed))
				return cli_err(err, errlen, "Error: argument "
				    "\"%s\" is wrong: invalid seed", argv[i]);
			cmd->seed = seed;
		} else if (strcmp(w, "table") == 0) {
			if (cli_table_parse(argv[++i], &cmd->table) < 0)
				return cli_err(err, errlen, "Error: argument "
				    "\"%s\" is wrong: table id value is "
				    "invalid", argv[i]);
		} else if (strcmp(w, "netns") == 0) {
			if (strlen(argv[++i]) == 0 || strlen(argv[i]) >=
			    sizeof(cmd->netns) || strchr(argv[i], '/') != NULL)
				return cli_err(err, errlen, "Error: argument "
				    "\"%s\" is wrong: bad netns name", argv[i]);
			strcpy(cmd->netns, argv[i]);
		} else
			return cli_err(err, errlen, "Error: argument \"%s\" "
			    "is wrong: unknown verify option", argv[i]);
	}
	if (cmd->table == RTC_TABLE_ALL)
		cmd->table = 0;
	return 0;
}

/**
 * cli_parse_cmd - one command: OBJECT [COMMAND [ARGS]]
 *
 * Return: 0, or CLI_EXIT_USAGE with @err set.
 */
int
cli_parse_cmd(int argc, char **argv, struct cli_cmd *cmd, char *err,
    size_t errlen)
{
	const char *obj;

	memset(cmd, 0, sizeof(*cmd));
	if (argc < 1)
		return cli_err(err, errlen, "No command given, try "
		    "\"rtcache help\".");
	obj = argv[0];
	if (matches(obj, "route"))
		return parse_route(argc, argv, cmd, err, errlen);
	if (matches(obj, "rule"))
		return parse_show_only(argc, argv, CMD_RULE_SHOW, cmd, err,
		    errlen);
	if (matches(obj, "nexthop") || strcmp(obj, "nh") == 0)
		return parse_show_only(argc, argv, CMD_NEXTHOP_SHOW, cmd, err,
		    errlen);
	if (matches(obj, "link"))
		return parse_show_only(argc, argv, CMD_LINK_SHOW, cmd, err,
		    errlen);
	if (matches(obj, "address"))
		return parse_show_only(argc, argv, CMD_ADDR_SHOW, cmd, err,
		    errlen);
	if (matches(obj, "cache"))
		return parse_cache(argc, argv, cmd, err, errlen);
	if (matches(obj, "slabinfo"))
		return parse_slabinfo(argc, argv, cmd, err, errlen);
	if (strcmp(obj, "stats") == 0 || strcmp(obj, "statistics") == 0 ||
	    matches(obj, "status")) {
		if (argc > 1)
			return cli_err(err, errlen, "Error: argument \"%s\" "
			    "is wrong: no arguments expected", argv[1]);
		cmd->kind = matches(obj, "status") ? CMD_STATUS : CMD_STATS;
		return 0;
	}
	if (strcmp(obj, "verify") == 0)
		return parse_verify(argc, argv, cmd, err, errlen);
	if (matches(obj, "help")) {
		cmd->kind = CMD_HELP;
		return 0;
	}
	return cli_err(err, errlen, "Object \"%s\" is unknown, try \"rtcache "
	    "help\".", obj);
}

/**
 * cli_split_line - cut a batch line into words, in place
 *
 * Words are separated by blanks; "..." and '...' quote (the quotes are
 * removed); a word starting with # starts a comment.
 * Return: the number of words (0 for a blank line), or -1 for an
 * unbalanced quote or more than @max words.
 */
int
cli_split_line(char *line, char **argv, int max)
{
	char *p = line, *w;
	char q;
	int n = 0;

	for (;;) {
		while (*p != '\0' && isspace((unsigned char)*p))
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return -1;
		if (*p == '"' || *p == '\'') {
			q = *p++;
			w = p;
			while (*p != '\0' && *p != q)
				p++;
			if (*p == '\0')
				return -1;
		} else {
			w = p;
			while (*p != '\0' && !isspace((unsigned char)*p))
				p++;
		}
		argv[n++] = w;
		if (*p != '\0')
			*p++ = '\0';
	}
}
