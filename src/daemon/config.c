/* SPDX-License-Identifier: MIT */
/*
 * config.c - rtcached.conf: one INI file read with libinih, checked
 * strictly.  A table of keys drives everything: parsing each value with
 * its range, printing the effective configuration (-nv, which parses
 * again), and the reload diff that applies live settings and keeps the
 * old value of those that need a restart.
 *
 * libinih calls us back without line numbers and stops caring about a
 * line once it has split it, so this file feeds it through a reader of
 * its own: the reader counts lines, rejects what inih would misread
 * (a "key: value" line, indented continuation lines, lines longer than
 * inih's buffer, unknown sections) with FILE:LINE messages, and hands
 * inih only lines that are blank, a section, or "key = value".  Every
 * error is reported, not just the first.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <ini.h>

#include "daemon/conf.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif

enum conf_type {
	T_WORKERS,	/* auto | 1..hi */
	T_UINT,		/* lo..hi */
	T_ULONG_AUTO,	/* auto | lo..hi (unsigned long) */
	T_BUCKETS,	/* auto | power of two in lo..hi */
	T_SIZE,		/* bytes with K, M, G suffixes */
	T_BOOL,		/* yes | no: 1 | -1 */
	T_LEVEL,	/* syslog level name */
	T_NETNS,	/* empty | name | absolute path */
	T_SOCKPATH,	/* empty | absolute path */
	T_MODE,		/* octal permission bits */
	T_GROUP,	/* empty | name | gid */
	T_LISTEN,	/* off | PORT | ADDR:PORT | [ADDR6]:PORT */
	T_MULTIPATH,	/* auto | hash | ask-kernel */
};

struct conf_key {
	const char	*section;
	const char	*name;
	enum conf_type	 type;
	size_t		 off;
	unsigned long	 lo, hi;
	int		 live;		/* may change on reload */
};

/* the longest line inih hands us: less its newline and NUL */
#define CONF_LINE_MAX	(INI_MAX_LINE - 2)

#define OFF(f)	offsetof(struct rtcd_conf, f)

static const struct conf_key conf_keys[] = {
	{ "daemon", "workers", T_WORKERS, OFF(workers), 1, 1024, 0 },
	{ "daemon", "log_level", T_LEVEL, OFF(log_level), 0, 0, 1 },
	{ "daemon", "netns", T_NETNS, OFF(netns), 0, 0, 0 },
	{ "daemon", "max_clients", T_UINT, OFF(max_clients), 1, 1000000, 1 },
	{ "daemon", "idle_timeout", T_UINT, OFF(idle_timeout), 1, 86400, 0 },
	{ "daemon", "reply_budget", T_SIZE, OFF(reply_budget), 1UL << 20,
	    1UL << 40, 1 },
	{ "control", "socket", T_SOCKPATH, OFF(socket_path), 0, 0, 0 },
	{ "control", "socket_mode", T_MODE, OFF(socket_mode), 0, 0777, 0 },
	{ "control", "socket_group", T_GROUP, OFF(socket_group), 0, 0, 0 },
	{ "netlink", "rcvbuf", T_SIZE, OFF(rcvbuf), 65536, 1UL << 30, 0 },
	{ "netlink", "resync_interval_ms", T_UINT, OFF(resync_interval_ms),
	    0, 3600000, 0 },
	{ "netlink", "sysctl_poll_ms", T_UINT, OFF(sysctl_poll_ms),
	    10, 60000, 0 },
	{ "netlink", "multipath", T_MULTIPATH, OFF(multipath), 0, 0, 1 },
	{ "route_cache", "hash_buckets", T_BUCKETS, OFF(rt.hash_buckets),
	    16, 1UL << 26, 0 },
	{ "route_cache", "gc_thresh", T_ULONG_AUTO, OFF(rt.gc_thresh),
	    1, 1UL << 30, 1 },
	{ "route_cache", "max_size", T_ULONG_AUTO, OFF(rt.max_size),
	    1, 1UL << 30, 1 },
	{ "route_cache", "gc_elasticity", T_UINT, OFF(rt.gc_elasticity),
	    1, 1000, 1 },
	{ "route_cache", "gc_min_interval_ms", T_UINT,
	    OFF(rt.gc_min_interval_ms), 1, 60000, 1 },
	{ "route_cache", "gc_timeout", T_UINT, OFF(rt.gc_timeout_s),
	    1, 86400, 1 },
	{ "route_cache", "gc_interval", T_UINT, OFF(rt.gc_interval_s),
	    1, 3600, 1 },
	{ "route_cache", "admission", T_BOOL, OFF(rt.admission), 0, 0, 1 },
	{ "slab", "reap_interval_ms", T_UINT, OFF(reap_interval_ms),
	    100, 60000, 1 },
	{ "slab", "sim_nodes", T_UINT, OFF(sim_nodes), 1, 64, 0 },
	{ "metrics", "listen", T_LISTEN, OFF(metrics_listen), 0, 0, 1 },
};
#define NKEYS	(sizeof(conf_keys) / sizeof(conf_keys[0]))

static const char *const conf_sections[] = {
	"daemon", "control", "netlink", "route_cache", "slab", "metrics"
};
#define NSECTIONS (sizeof(conf_sections) / sizeof(conf_sections[0]))

/* multipath: the values of MIRROR_MP_AUTO, _HASH, _ASK (mirror.h) */
static const char *const conf_multipath[] = { "auto", "hash", "ask-kernel" };

static const struct {
	const char	*name;
	int		 level;
} conf_levels[] = {
	{ "error", LOG_ERR },
	{ "warning", LOG_WARNING },
	{ "notice", LOG_NOTICE },
	{ "info", LOG_INFO },
	{ "debug", LOG_DEBUG },
};

/* What one conf_load() call carries through inih. */
/* The reader's buffer (longer lines are an error; CONF_LINE_MAX, inih's
 * limit, is checked after it), and the largest file read: a configuration
 * is small, and a bound keeps `-c /dev/zero` from reading forever. */
#define CONF_READ_MAX	4096
#define CONF_FILE_MAX	(1024 * 1024)

struct conf_ctx {
	struct rtcd_conf *c;
	FILE		*f;
	const char	*path;
	conf_msg_fn	 fn;
	void		*arg;
	int		 lineno;
	int		 nerr;
	int		 bad_section;	/* keys under it were reported */
	int		 seen[NKEYS];	/* line each key was set on */
	size_t		 bytes;		/* read so far */
	int		 read_errno;	/* of a read error, else 0 */
	char		 line[CONF_READ_MAX];
};

#define FIELD(c, k, type)	((type *)(void *)((char *)(c) + (k)->off))
#define CFIELD(c, k, type)	((const type *)(const void *)	\
				    ((const char *)(c) + (k)->off))

const char *
conf_default_path(void)
{
	return SYSCONFDIR "/rtcached.conf";
}

const char *
conf_log_level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(conf_levels) / sizeof(conf_levels[0]); i++)
		if (conf_levels[i].level == level)
			return conf_levels[i].name;
	return "info";
}

/**
 * conf_init - the defaults, which are also what an empty file gives.
 */
void
conf_init(struct rtcd_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_INFO;
	c->max_clients = 1024;
	c->idle_timeout = 60;
	c->reply_budget = 64UL << 20;	/* rtcached.conf(5) */
	c->socket_mode = 0660;
	c->socket_gid = (uint32_t)-1;
	c->rcvbuf = 128UL << 20;
	c->resync_interval_ms = 1000;
	c->sysctl_poll_ms = 1000;
	c->rt.gc_elasticity = 8;
	c->rt.gc_min_interval_ms = 500;
	c->rt.gc_timeout_s = 300;
	c->rt.gc_interval_s = 60;
	c->rt.admission = 1;
	c->reap_interval_ms = 2000;
	c->sim_nodes = 1;
}

void
conf_free(struct rtcd_conf *c)
{
	free(c->netns);
	free(c->socket_path);
	free(c->socket_group);
	free(c->metrics_listen);
	c->netns = c->socket_path = c->socket_group = NULL;
	c->metrics_listen = NULL;
}

/* ------------------------------------------------------------ values */

static int
parse_ulong(const char *v, unsigned long *out)
{
	char *end;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	*out = strtoul(v, &end, 10);
	if (errno != 0)
		return -ERANGE;
	return *end == '\0' ? 0 : -EINVAL;
}

static int
parse_size(const char *v, unsigned long *out)
{
	unsigned long n, mul = 1;
	char *end;

	if (!isdigit((unsigned char)*v))
		return -EINVAL;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno != 0)
		return -ERANGE;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1UL << 10;
		break;
	case 'm': case 'M':
		mul = 1UL << 20;
		break;
	case 'g': case 'G':
		mul = 1UL << 30;
		break;
	default:
		return -EINVAL;
	}
	if (*end != '\0' && end[1] != '\0')
		return -EINVAL;
	if (n > ULONG_MAX / mul)
		return -ERANGE;
	*out = n * mul;
	return 0;
}

static int
parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "on", "true", "1" };
	static const char *const no[] = { "no", "off", "false", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return -1;
	}
	return 0;
}

/* "off", "PORT", "ADDR:PORT" or "[ADDR6]:PORT"; a bare port is loopback. */
static int
parse_listen(const char *v, char *addr, size_t alen, uint16_t *port,
    const char **why)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char host[64];
	const char *p;
	unsigned long n;
	size_t hl;

	*why = "expected off, PORT, ADDRESS:PORT or [ADDRESS6]:PORT";
	if (v[0] == '[') {
		if ((p = strchr(v, ']')) == NULL || p[1] != ':')
			return -EINVAL;
		hl = (size_t)(p - v - 1);
		if (hl >= sizeof(host))
			return -EINVAL;
		memcpy(host, v + 1, hl);
		host[hl] = '\0';
		if (inet_pton(AF_INET6, host, buf) != 1) {
			*why = "not a numeric IPv6 address";
			return -EINVAL;
		}
		p += 2;
	} else if ((p = strrchr(v, ':')) != NULL) {
		hl = (size_t)(p - v);
		if (hl >= sizeof(host) || memchr(v, ':', hl) != NULL)
			return -EINVAL;
		memcpy(host, v, hl);
		host[hl] = '\0';
		if (strcmp(host, "localhost") == 0)
			strcpy(host, "127.0.0.1");
		if (inet_pton(AF_INET, host, buf) != 1) {
			*why = "not a numeric IPv4 address (IPv6 goes "
			    "in brackets)";
			return -EINVAL;
		}
		p++;
	} else {
		strcpy(host, "127.0.0.1");
		p = v;
	}
	if (parse_ulong(p, &n) < 0 || n < 1 || n > 65535) {
		*why = "port out of range (1..65535)";
		return -ERANGE;
	}
	if (strlen(host) >= alen)
		return -EINVAL;
	strcpy(addr, host);
	*port = (uint16_t)n;
	return 0;
}

static int
set_str(char **dst, const char *v)
{
	char *s = NULL;

	if (*v != '\0' && (s = strdup(v)) == NULL)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

static int
resolve_group(const char *v, uint32_t *gid)
{
	struct group gr, *res = NULL;
	char buf[4096];
	unsigned long n;

	if (parse_ulong(v, &n) == 0) {
		if (n >= UINT32_MAX)
			return -ERANGE;
		*gid = (uint32_t)n;
		return 0;
	}
	if (getgrnam_r(v, &gr, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -ENOENT;
	*gid = (uint32_t)res->gr_gid;
	return 0;
}

/*
 * Each value type is a row of conf_codecs: a setter that parses the text
 * into the key's field, a formatter that spells the field as the file
 * would, and the field's size for copies (0: a string, char *, checked
 * by text_check and duplicated).  A setter returns 0 or -errno; on error
 * it either points e->why at the reason for the common "bad value"
 * message or writes its own message into e->msg.
 */
struct conf_err {
	const char	*why;
	char		*msg;
	size_t		 len;
};

typedef int (*conf_set_fn)(const struct conf_key *k, struct rtcd_conf *c,
	    const char *v, struct conf_err *e);
typedef void (*conf_format_fn)(const struct conf_key *k,
	    const struct rtcd_conf *c, char *buf, size_t len);

struct conf_codec {
	conf_set_fn	 set;
	conf_format_fn	 format;
	size_t		 size;		/* 0: a string */
	/* copies what the setter derived from the string, if anything */
	void		(*copy_derived)(struct rtcd_conf *dst,
			    const struct rtcd_conf *src);
};

/*
 * Text values must survive `rtcached -nv` and a reload of its output:
 * the file format has no quoting, and " ;" begins a comment.
 */
static int
text_check(const struct conf_key *k, const char *v, struct conf_err *e)
{
	size_t i;

	for (i = 0; v[i] != '\0'; i++)
		if (v[i] == ';' || v[i] == '#' ||
		    (unsigned char)v[i] < 0x20 || v[i] == 0x7f) {
			snprintf(e->msg, e->len, "%s: bad value: ';', '#' and "
			    "control characters cannot be written in this "
			    "file", k->name);
			return -EINVAL;
		}
	/* `key = value` must fit the reader's line when printed */
	if (strlen(k->name) + 3 + strlen(v) > CONF_LINE_MAX) {
		snprintf(e->msg, e->len, "%s: value longer than %zu bytes",
		    k->name, CONF_LINE_MAX - 3 - strlen(k->name));
		return -EINVAL;
	}
	return 0;
}

/* A number within @k's bounds, or "auto" (0) when @auto_ok. */
static int
number_get(const struct conf_key *k, const char *v, int auto_ok,
    unsigned long *n, struct conf_err *e)
{
	int rv;

	if (auto_ok && strcmp(v, "auto") == 0) {
		*n = 0;
		return 0;
	}
	if ((rv = parse_ulong(v, n)) == -EINVAL) {
		e->why = auto_ok ? "expected a number or auto" :
		    "expected a number";
		return rv;
	}
	if (rv < 0 || *n < k->lo || *n > k->hi) {
		snprintf(e->msg, e->len, "%s: %s out of range (%lu..%lu)",
		    k->name, v, k->lo, k->hi);
		return -ERANGE;
	}
	return 0;
}

static int
set_workers(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	unsigned long n;
	int rv;

	if ((rv = number_get(k, v, 1, &n, e)) == 0)
		*FIELD(c, k, int) = (int)n;
	return rv;
}

static int
set_uint(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	unsigned long n;
	int rv;

	if ((rv = number_get(k, v, 0, &n, e)) == 0)
		*FIELD(c, k, unsigned int) = (unsigned int)n;
	return rv;
}

static int
set_ulong_auto(const struct conf_key *k, struct rtcd_conf *c,
    const char *v, struct conf_err *e)
{
	unsigned long n;
	int rv;

	if ((rv = number_get(k, v, 1, &n, e)) == 0)
		*FIELD(c, k, unsigned long) = n;
	return rv;
}

static int
set_buckets(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	unsigned long n;
	int rv;

	if ((rv = number_get(k, v, 1, &n, e)) < 0)
		return rv;
	if ((n & (n - 1)) != 0) {
		snprintf(e->msg, e->len, "%s: %s is not a power of two",
		    k->name, v);
		return -EINVAL;
	}
	*FIELD(c, k, unsigned int) = (unsigned int)n;
	return 0;
}

static int
set_size(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	unsigned long n;
	int rv;

	if ((rv = parse_size(v, &n)) == -EINVAL) {
		e->why = "expected bytes, optionally with K, M or G";
		return rv;
	}
	if (rv < 0 || n < k->lo || n > k->hi) {
		snprintf(e->msg, e->len, "%s: %s out of range (64K..1G)",
		    k->name, v);
		return -ERANGE;
	}
	*FIELD(c, k, size_t) = n;
	return 0;
}

static int
set_bool(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	int b;

	if ((b = parse_bool(v)) == 0) {
		e->why = "expected yes or no";
		return -EINVAL;
	}
	*FIELD(c, k, int) = b;
	return 0;
}

static int
set_level(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	size_t i;

	for (i = 0; i < sizeof(conf_levels) / sizeof(conf_levels[0]); i++)
		if (strcasecmp(v, conf_levels[i].name) == 0) {
			*FIELD(c, k, int) = conf_levels[i].level;
			return 0;
		}
	e->why = "expected error, warning, notice, info or debug";
	return -EINVAL;
}

static int
set_multipath(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	size_t i;

	for (i = 0; i < sizeof(conf_multipath) / sizeof(conf_multipath[0]);
	    i++)
		if (strcasecmp(v, conf_multipath[i]) == 0) {
			*FIELD(c, k, int) = (int)i;
			return 0;
		}
	e->why = "expected auto, hash or ask-kernel";
	return -EINVAL;
}

static int
set_netns(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	if (strchr(v, '/') != NULL && v[0] != '/') {
		e->why = "expected a name or an absolute path";
		return -EINVAL;
	}
	return set_str(FIELD(c, k, char *), v);
}

static int
set_sockpath(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	if (*v != '\0' && v[0] != '/') {
		e->why = "expected an absolute path";
		return -EINVAL;
	}
	if (strlen(v) >= 108) {
		snprintf(e->msg, e->len, "%s: path longer than 107 bytes",
		    k->name);
		return -ERANGE;
	}
	return set_str(FIELD(c, k, char *), v);
}

static int
set_mode(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	unsigned long n;

	if (*v < '0' || *v > '7' || strspn(v, "01234567") != strlen(v) ||
	    strlen(v) > 4) {
		e->why = "expected octal permission bits such as 0660";
		return -EINVAL;
	}
	n = strtoul(v, NULL, 8);
	if (n > k->hi) {
		snprintf(e->msg, e->len, "%s: %s out of range (0..0777)",
		    k->name, v);
		return -ERANGE;
	}
	*FIELD(c, k, unsigned int) = (unsigned int)n;
	return 0;
}

/* socket_group, and socket_gid resolved from it */
static int
set_group(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	uint32_t gid = (uint32_t)-1;
	int rv;

	if (*v != '\0' && (rv = resolve_group(v, &gid)) < 0) {
		snprintf(e->msg, e->len, "%s: no such group: %s", k->name, v);
		return rv;
	}
	c->socket_gid = gid;
	return set_str(FIELD(c, k, char *), v);
}

/* metrics listen, and metrics_addr / metrics_port parsed from it */
static int
set_listen(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    struct conf_err *e)
{
	char canon[96];
	int rv;

	if (strcasecmp(v, "off") == 0 || strcasecmp(v, "no") == 0 ||
	    *v == '\0') {
		c->metrics_addr[0] = '\0';
		c->metrics_port = 0;
		return set_str(FIELD(c, k, char *), "");
	}
	if ((rv = parse_listen(v, c->metrics_addr, sizeof(c->metrics_addr),
	    &c->metrics_port, &e->why)) < 0)
		return rv;
	snprintf(canon, sizeof(canon), strchr(c->metrics_addr, ':') ?
	    "[%s]:%u" : "%s:%u", c->metrics_addr, c->metrics_port);
	return set_str(FIELD(c, k, char *), canon);
}

static void
fmt_workers(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	if (*CFIELD(c, k, int) == 0)
		snprintf(buf, len, "auto");
	else
		snprintf(buf, len, "%d", *CFIELD(c, k, int));
}

static void
fmt_uint(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	snprintf(buf, len, "%u", *CFIELD(c, k, unsigned int));
}

static void
fmt_auto(unsigned long n, char *buf, size_t len)
{
	if (n == 0)
		snprintf(buf, len, "auto");
	else
		snprintf(buf, len, "%lu", n);
}

static void
fmt_ulong_auto(const struct conf_key *k, const struct rtcd_conf *c,
    char *buf, size_t len)
{
	fmt_auto(*CFIELD(c, k, unsigned long), buf, len);
}

static void
fmt_buckets(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	fmt_auto(*CFIELD(c, k, unsigned int), buf, len);
}

static void
fmt_size(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	unsigned long n = *CFIELD(c, k, size_t);

	if (n != 0 && n % (1UL << 30) == 0)
		snprintf(buf, len, "%luG", n >> 30);
	else if (n != 0 && n % (1UL << 20) == 0)
		snprintf(buf, len, "%luM", n >> 20);
	else if (n != 0 && n % (1UL << 10) == 0)
		snprintf(buf, len, "%luK", n >> 10);
	else
		snprintf(buf, len, "%lu", n);
}

static void
fmt_bool(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s", *CFIELD(c, k, int) < 0 ? "no" : "yes");
}

static void
fmt_level(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s", conf_log_level_name(*CFIELD(c, k, int)));
}

static void
fmt_multipath(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	int v = *CFIELD(c, k, int);

	snprintf(buf, len, "%s", v >= 0 && v < 3 ? conf_multipath[v] : "?");
}

static void
fmt_mode(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	snprintf(buf, len, "%04o", *CFIELD(c, k, unsigned int));
}

static void
fmt_str(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	const char *s = *CFIELD(c, k, char *);

	snprintf(buf, len, "%s", s != NULL ? s : "");
}

static void
fmt_listen(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	const char *s = *CFIELD(c, k, char *);

	snprintf(buf, len, "%s", s != NULL && *s ? s : "off");
}

static void
copy_gid(struct rtcd_conf *dst, const struct rtcd_conf *src)
{
	dst->socket_gid = src->socket_gid;
}

static void
copy_listen(struct rtcd_conf *dst, const struct rtcd_conf *src)
{
	memcpy(dst->metrics_addr, src->metrics_addr,
	    sizeof(dst->metrics_addr));
	dst->metrics_port = src->metrics_port;
}

static const struct conf_codec conf_codecs[] = {
	[T_WORKERS] =	 { set_workers, fmt_workers, sizeof(int), NULL },
	[T_UINT] =	 { set_uint, fmt_uint, sizeof(unsigned int), NULL },
	[T_ULONG_AUTO] = { set_ulong_auto, fmt_ulong_auto,
			    sizeof(unsigned long), NULL },
	[T_BUCKETS] =	 { set_buckets, fmt_buckets, sizeof(unsigned int),
			    NULL },
	[T_SIZE] =	 { set_size, fmt_size, sizeof(size_t), NULL },
	[T_BOOL] =	 { set_bool, fmt_bool, sizeof(int), NULL },
	[T_LEVEL] =	 { set_level, fmt_level, sizeof(int), NULL },
	[T_NETNS] =	 { set_netns, fmt_str, 0, NULL },
	[T_SOCKPATH] =	 { set_sockpath, fmt_str, 0, NULL },
	[T_MODE] =	 { set_mode, fmt_mode, sizeof(unsigned int), NULL },
	[T_GROUP] =	 { set_group, fmt_str, 0, copy_gid },
	[T_LISTEN] =	 { set_listen, fmt_listen, 0, copy_listen },
	[T_MULTIPATH] =	 { set_multipath, fmt_multipath, sizeof(int), NULL },
};

/* Parse @v into @c's field for @k; 0, or -errno with @err filled. */
static int
key_set(const struct conf_key *k, struct rtcd_conf *c, const char *v,
    char *err, size_t errlen)
{
	const struct conf_codec *t = &conf_codecs[k->type];
	struct conf_err e = { NULL, err, errlen };
	int rv;

	if (t->size == 0 && (rv = text_check(k, v, &e)) < 0)
		return rv;
	if ((rv = t->set(k, c, v, &e)) < 0 && e.why != NULL)
		snprintf(err, errlen, "%s: bad value '%s': %s", k->name, v,
		    e.why);
	return rv;
}

/* The value of @k in @c as the file would spell it. */
static void
key_format(const struct conf_key *k, const struct rtcd_conf *c, char *buf,
    size_t len)
{
	conf_codecs[k->type].format(k, c, buf, len);
}

/* Copy @k's value from @src to @dst (strings duplicated). */
static int
key_copy(const struct conf_key *k, struct rtcd_conf *dst,
    const struct rtcd_conf *src)
{
	const struct conf_codec *t = &conf_codecs[k->type];
	const char *from;
	char *s = NULL;

	if (t->size != 0) {
		memcpy(FIELD(dst, k, char), CFIELD(src, k, char), t->size);
		return 0;
	}
	from = *CFIELD(src, k, char *);
	if (from != NULL && (s = strdup(from)) == NULL)
		return -ENOMEM;
	free(*FIELD(dst, k, char *));
	*FIELD(dst, k, char *) = s;
	if (t->copy_derived != NULL)
		t->copy_derived(dst, src);
	return 0;
}

static const struct conf_key *
key_find(const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(conf_keys[i].section, section) == 0 &&
		    strcmp(conf_keys[i].name, name) == 0)
			return &conf_keys[i];
	return NULL;
}

/**
 * conf_set - set one key, as the file would (for command-line overrides
 * and tests).
 * Return: 0, or -errno with a message in @err.
 */
int
conf_set(struct rtcd_conf *c, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	const struct conf_key *k;

	if ((k = key_find(section, key)) == NULL) {
		snprintf(err, errlen, "unknown key %s in [%s]", key, section);
		return -ENOENT;
	}
	return key_set(k, c, value, err, errlen);
}

/* ------------------------------------------------------------ loading */

static void
conf_error(struct conf_ctx *x, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
conf_error(struct conf_ctx *x, int line, const char *fmt, ...)
{
	char msg[512], full[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(full, sizeof(full), "%s:%d: %s", x->path, line, msg);
	else
		snprintf(full, sizeof(full), "%s: %s", x->path, msg);
	x->nerr++;
	if (x->fn != NULL)
		x->fn(x->arg, full);
}

static int
section_known(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < NSECTIONS; i++)
		if (strlen(conf_sections[i]) == len &&
		    strncmp(conf_sections[i], s, len) == 0)
			return 1;
	return 0;
}

/* Give inih "\n" instead of a line we reported. */
static char *
blank_line(char *str)
{
	str[0] = '\n';
	str[1] = '\0';
	return str;
}

/*
 * One line of the file into x->line, without its newline: its length,
 * -1 at the end of the file, on a read error (ferror) or past
 * CONF_FILE_MAX bytes (reported), -2 for a line with a NUL byte or longer
 * than CONF_READ_MAX (reported; the rest of the line is skipped).
 */
static int
conf_getline(struct conf_ctx *x)
{
	size_t n = 0;
	int ch, bad = 0;

	while ((ch = getc(x->f)) != EOF && ch != '\n') {
		if (++x->bytes > CONF_FILE_MAX) {
			conf_error(x, x->lineno + 1, "file larger than %d "
			    "bytes", CONF_FILE_MAX);
			return -1;
		}
		if (ch == '\0' && !bad) {
			conf_error(x, x->lineno + 1, "NUL byte in line");
			bad = 1;
		} else if (n + 1 >= sizeof(x->line) && !bad) {
			conf_error(x, x->lineno + 1, "line longer than %zu "
			    "bytes", sizeof(x->line) - 1);
			bad = 1;
		} else if (!bad)
			x->line[n++] = (char)ch;
	}
	if (ch == EOF && ferror(x->f)) {
		x->read_errno = errno;
		return -1;
	}
	if (ch == EOF && n == 0 && !bad)
		return -1;
	x->bytes++;		/* the newline */
	x->lineno++;
	x->line[n] = '\0';
	return bad ? -2 : (int)n;
}

/*
 * inih's reader: one line per call, checked.  Lines come back without
 * leading blanks, so inih never sees a continuation line.
 */
static char *
conf_reader(char *str, int num, void *stream)
{
	struct conf_ctx *x = stream;
	char *s, *e, *sep;
	int n;

	if ((n = conf_getline(x)) == -1)
		return NULL;
	if (n == -2)
		return blank_line(str);
	s = x->line;
	if (x->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
		s += 3;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	*e = '\0';
	if (*s == '\0' || *s == '#' || *s == ';')
		return blank_line(str);
	if ((size_t)(e - s) + 2 > (size_t)num) {
		conf_error(x, x->lineno, "line longer than %d bytes", num - 2);
		return blank_line(str);
	}
	if (*s == '[') {
		char *end = strchr(s, ']');

		if (end == NULL || end == s + 1 ||
		    (end[1] != '\0' && end[1] != ';' && end[1] != '#' &&
		    !isspace((unsigned char)end[1]))) {
			conf_error(x, x->lineno, "syntax error: expected "
			    "[SECTION]");
			x->bad_section = 1;
			return blank_line(str);
		}
		x->bad_section = 0;
		if (!section_known(s + 1, (size_t)(end - s - 1))) {
			conf_error(x, x->lineno, "unknown section [%.*s]",
			    (int)(end - s - 1), s + 1);
			x->bad_section = 1;
		}
		*++end = '\0';	/* drop a trailing comment */
	} else if ((sep = strpbrk(s, "=:")) == NULL || *sep == ':' ||
	    sep == s) {
		conf_error(x, x->lineno, "syntax error: expected KEY = VALUE");
		return blank_line(str);
	}
	snprintf(str, (size_t)num, "%s\n", s);
	return str;
}

static int
conf_handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct conf_ctx *x = user;
	const struct conf_key *k;
	char err[256];
	size_t i;

	if (*section == '\0') {
		conf_error(x, x->lineno, "%s outside a section", name);
		return 1;
	}
	if (x->bad_section)
		return 1;
	if ((k = key_find(section, name)) == NULL) {
		conf_error(x, x->lineno, "unknown key %s in [%s]", name,
		    section);
		return 1;
	}
	i = (size_t)(k - conf_keys);
	if (x->seen[i]) {
		conf_error(x, x->lineno, "%s set again (first on line %d)",
		    name, x->seen[i]);
		return 1;
	}
	x->seen[i] = x->lineno;
	if (key_set(k, x->c, value, err, sizeof(err)) < 0)
		conf_error(x, x->lineno, "%s", err);
	return 1;
}

/* Checks between keys, reported on the later key's line. */
static void
conf_check(struct conf_ctx *x)
{
	const struct conf_key *gt = key_find("route_cache", "gc_thresh");
	const struct conf_key *ms = key_find("route_cache", "max_size");
	struct rtcd_conf *c = x->c;
	int lt, lm;

	lt = x->seen[gt - conf_keys];
	lm = x->seen[ms - conf_keys];
	if (c->rt.gc_thresh != 0 && c->rt.max_size != 0 &&
	    c->rt.gc_thresh > c->rt.max_size)
		conf_error(x, lt > lm ? lt : lm, "gc_thresh %lu is above "
		    "max_size %lu", c->rt.gc_thresh, c->rt.max_size);
}

/**
 * conf_load - read @path into @c (which holds defaults or a previous
 * configuration: keys the file sets replace those values).
 * @fn: called with "FILE:LINE: message" for each error.
 *
 * Return: the number of errors (0: @c is usable), or -errno when the
 * file cannot be read (nothing reported).
 */
int
conf_load(struct rtcd_conf *c, const char *path, conf_msg_fn fn, void *arg)
{
	struct conf_ctx x;
	int rv;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.path = path;
	x.fn = fn;
	x.arg = arg;
	if ((x.f = fopen(path, "re")) == NULL)
		return -errno;
	rv = ini_parse_stream(conf_reader, &x, conf_handler, &x);
	if (x.read_errno != 0) {
		conf_error(&x, 0, "read error: %s", strerror(x.read_errno));
	} else if (rv != 0 && x.nerr == 0) {
		/* inih found something the reader let through */
		conf_error(&x, rv > 0 ? rv : 0, "syntax error");
	}
	if (x.nerr == 0)
		conf_check(&x);
	fclose(x.f);
	return x.nerr;
}

/* ------------------------------------------------------ print, diff */

/**
 * conf_print - the effective configuration, in the file's syntax:
 * every key with its value, so that it parses again to the same thing.
 */
void
conf_print(FILE *out, const struct rtcd_conf *c)
{
	const char *section = NULL;
	char val[256];
	size_t i;

	fprintf(out, "# rtcached %s: effective configuration\n",
	    PACKAGE_VERSION);
	for (i = 0; i < NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];

		if (section == NULL || strcmp(section, k->section) != 0) {
			fprintf(out, "%s[%s]\n", section != NULL ? "\n" : "",
			    k->section);
			section = k->section;
		}
		key_format(k, c, val, sizeof(val));
		if (*val == '\0')
			fprintf(out, "%s =\n", k->name);
		else
			fprintf(out, "%s = %s\n", k->name, val);
	}
}

/**
 * conf_diff - compare the running configuration @run with @nc, the
 * newly read one; copy each changed live setting into @run and report
 * it with CONF_LIVE; report each changed restart-only setting with
 * CONF_RESTART and keep the old value.
 *
 * Return: the number of settings applied, or -ENOMEM.
 */
int
conf_diff(struct rtcd_conf *run, const struct rtcd_conf *nc,
    conf_diff_fn fn, void *arg)
{
	char ov[256], nv[256];
	size_t i;
	int applied = 0, rv;

	for (i = 0; i < NKEYS; i++) {
		const struct conf_key *k = &conf_keys[i];
		char key[64];

		key_format(k, run, ov, sizeof(ov));
		key_format(k, nc, nv, sizeof(nv));
		if (strcmp(ov, nv) == 0)
			continue;
		snprintf(key, sizeof(key), "%s.%s", k->section, k->name);
		if (k->live) {
			if ((rv = key_copy(k, run, nc)) < 0)
				return rv;
			applied++;
		}
		if (fn != NULL)
			fn(arg, key, ov, nv, k->live ? CONF_LIVE :
			    CONF_RESTART);
	}
	return applied;
}

/* A deep copy of @src into @dst (which holds nothing to free). */
int
conf_copy(struct rtcd_conf *dst, const struct rtcd_conf *src)
{
	size_t i;
	int rv;

	*dst = *src;
	dst->netns = dst->socket_path = dst->socket_group = NULL;
	dst->metrics_listen = NULL;
	for (i = 0; i < NKEYS; i++)
		if ((rv = key_copy(&conf_keys[i], dst, src)) < 0) {
			conf_free(dst);
			return rv;
		}
	return 0;
}
