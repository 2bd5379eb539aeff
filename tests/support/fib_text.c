/* SPDX-License-Identifier: MIT */
/*
 * fib_text.c - a test helper, the FIB in text: a compact `ip`-like
 * command language that tests use to build FIB states (routes, rules,
 * nexthops, links, addresses); see fib_text.h.  It is built into
 * tests/support/libtestsupport.a, never into librtcore.  Printing the
 * FIB (`ip -4 route show`, `ip nexthop show`) is the daemon's and lives
 * in src/fib/fib_dump.c.
 *
 * Parsing fills the same fib_config / fib_rule_cfg / fib_nexthop_cfg the
 * netlink mirror fills, with iproute2's defaults, so a test line means
 * what the same `ip` command would send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "base/inet_proto.h"
#include "base/rt_names.h"
#include "fib/fib_internal.h"
#include "support/fib_text.h"

/* enough for a route of FIB_MAX_MP legs of five words each */
#define MAXTOK	(FIB_MAX_MP * 5 + 64)
#define MAXTEXT	16384

static int
tokenize(const char *text, char *buf, size_t len, char **tok)
{
	int n = 0;
	char *p;

	if (strlen(text) >= len)
		return -EINVAL;
	strcpy(buf, text);
	for (p = strtok(buf, " \t\r\n"); p != NULL;
	    p = strtok(NULL, " \t\r\n")) {
		if (p[0] == '#')
			break;
		if (n == MAXTOK)
			return -E2BIG;
		tok[n++] = p;
	}
	return n;
}

static int
parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long x;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || *end != '\0' || x > 0xffffffffUL)
		return -EINVAL;
	*v = (uint32_t)x;
	return 0;
}

static int
parse_addr(const char *s, uint32_t *a)
{
	if (s == NULL || inet_pton(AF_INET, s, a) != 1)
		return -EINVAL;
	return 0;
}

static int
parse_prefix(const char *s, uint32_t *a, uint8_t *len)
{
	char tmp[64], *slash;
	uint32_t l = 32;

	if (s == NULL || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	if (strcmp(s, "default") == 0 || strcmp(s, "all") == 0) {
		*a = 0;
		*len = 0;
		return 0;
	}
	strcpy(tmp, s);
	if ((slash = strchr(tmp, '/')) != NULL) {
		*slash = '\0';
		if (parse_u32(slash + 1, &l) != 0 || l > 32)
			return -EINVAL;
	}
	if (parse_addr(tmp, a) != 0)
		return -EINVAL;
	*len = (uint8_t)l;
	return 0;
}

static int
parse_dev(const char *s, int *ifindex)
{
	struct net_device *dev;

	if (s == NULL)
		return -EINVAL;
	if ((dev = netdev_get_by_name(s)) == NULL)
		return -ENODEV;
	*ifindex = dev->ifindex;
	return 0;
}

static int
parse_table(const char *s, uint32_t *id)
{
	return s == NULL ? -EINVAL : rt_table_a2n(s, id);
}

/* A route type keyword (not a number), or -1. */
static int
rtn_of(const char *s)
{
	uint32_t id;

	return rt_names_printed(RT_NAMES_TYPE, s, &id) ? (int)id : -1;
}

static int
parse_u8_name(enum rt_names_kind kind, const char *s, uint8_t *v)
{
	uint32_t id;

	if (s == NULL || rt_names_a2n(kind, s, &id) != 0 || id > 255)
		return -EINVAL;
	*v = (uint8_t)id;
	return 0;
}

static int
parse_scope(const char *s, uint8_t *scope)
{
	return parse_u8_name(RT_NAMES_SCOPE, s, scope);
}

static int
parse_proto(const char *s, uint8_t *p)
{
	return parse_u8_name(RT_NAMES_PROTO, s, p);
}

static int parse_realms(const char *s, uint32_t *tclassid);

/* The route text after the verb; @del: delete defaults. */
static int
route_parse(char **tok, int n, struct fib_config *cfg, int del)
{
	int i = 0, type, scope_ok = 0, table_ok = 0, err;
	uint32_t v;
	struct fib_nh_cfg *leg = NULL;

	fib_config_init(cfg);
	if (del) {
		cfg->fc_type = 0;
		cfg->fc_protocol = 0;
		cfg->fc_scope = RT_SCOPE_NOWHERE;
		cfg->fc_nlflags = 0;
	}
	if (i < n && (type = rtn_of(tok[i])) > 0) {
		cfg->fc_type = type;
		i++;
	}
	if (i >= n || parse_prefix(tok[i], &cfg->fc_dst, &cfg->fc_dst_len))
		return -EINVAL;
	for (i++; i < n; i++) {
		const char *k = tok[i], *a = i + 1 < n ? tok[i + 1] : NULL;

		if (strcmp(k, "nexthop") == 0) {
			if (cfg->fc_nhs >= FIB_MAX_MP)
				return -EINVAL;
			leg = &cfg->fc_mp[cfg->fc_nhs++];
			memset(leg, 0, sizeof(*leg));
			continue;
		}
		if (strcmp(k, "onlink") == 0) {
			if (leg)
				leg->flags |= RTNH_F_ONLINK;
			else
				cfg->fc_flags |= RTNH_F_ONLINK;
			continue;
		}
		if (a == NULL)
			return -EINVAL;
		i++;
		err = 0;
		if (strcmp(k, "via") == 0)
			err = parse_addr(a, leg ? &leg->gw : &cfg->fc_gw);
		else if (strcmp(k, "dev") == 0 || strcmp(k, "oif") == 0)
			err = parse_dev(a, leg ? &leg->oif : &cfg->fc_oif);
		else if (strcmp(k, "weight") == 0 && leg) {
			if ((err = parse_u32(a, &v)) == 0 && (v < 1 || v > 256))
				err = -EINVAL;
			leg->weight = (uint16_t)v;
		} else if (strcmp(k, "tos") == 0 || strcmp(k, "dsfield") == 0) {
			if ((err = parse_u32(a, &v)) == 0 && v > 255)
				err = -EINVAL;
			cfg->fc_tos = (uint8_t)v;
		} else if (strcmp(k, "metric") == 0 ||
		    strcmp(k, "priority") == 0 || strcmp(k, "preference") == 0)
			err = parse_u32(a, &cfg->fc_priority);
		else if (strcmp(k, "table") == 0) {
			err = parse_table(a, &cfg->fc_table);
			table_ok = 1;
		} else if (strcmp(k, "proto") == 0 || strcmp(k, "protocol") == 0)
			err = parse_proto(a, &cfg->fc_protocol);
		else if (strcmp(k, "scope") == 0) {
			err = parse_scope(a, &cfg->fc_scope);
			scope_ok = 1;
		} else if (strcmp(k, "src") == 0)
			err = parse_addr(a, &cfg->fc_prefsrc);
		else if (strcmp(k, "nhid") == 0)
			err = parse_u32(a, &cfg->fc_nh_id);
		else if (strcmp(k, "realm") == 0 || strcmp(k, "realms") == 0)
			err = parse_realms(a, leg ? &leg->flow : &cfg->fc_flow);
		else if (strcmp(k, "hoplimit") == 0) {
			err = parse_u32(a, &cfg->fc_metrics[RTAX_HOPLIMIT]);
			cfg->fc_mx_set |= 1U << RTAX_HOPLIMIT;
		} else if (strcmp(k, "mtu") == 0) {
			err = parse_u32(a, &cfg->fc_metrics[RTAX_MTU]);
			cfg->fc_mx_set |= 1U << RTAX_MTU;
		} else if (strcmp(k, "advmss") == 0) {
			err = parse_u32(a, &cfg->fc_metrics[RTAX_ADVMSS]);
			cfg->fc_mx_set |= 1U << RTAX_ADVMSS;
		} else if (strcmp(k, "features") == 0) {
			if (strcmp(a, "ecn") == 0)
				cfg->fc_metrics[RTAX_FEATURES] =
				    RTAX_FEATURE_ECN;
			else
				err = parse_u32(a,
				    &cfg->fc_metrics[RTAX_FEATURES]);
			cfg->fc_mx_set |= 1U << RTAX_FEATURES;
		} else
			return -EINVAL;
		if (err)
			return err;
	}
	if (!table_ok && (cfg->fc_type == RTN_LOCAL ||
	    cfg->fc_type == RTN_BROADCAST || cfg->fc_type == RTN_NAT ||
	    cfg->fc_type == RTN_ANYCAST))
		cfg->fc_table = RT_TABLE_LOCAL;
	if (!del && !scope_ok) {
		if (cfg->fc_type == RTN_LOCAL || cfg->fc_type == RTN_NAT)
			cfg->fc_scope = RT_SCOPE_HOST;
		else if (cfg->fc_type == RTN_BROADCAST ||
		    cfg->fc_type == RTN_MULTICAST ||
		    cfg->fc_type == RTN_ANYCAST)
			cfg->fc_scope = RT_SCOPE_LINK;
		else if (cfg->fc_type == RTN_UNICAST && !cfg->fc_gw &&
		    !cfg->fc_nhs && !cfg->fc_nh_id)
			cfg->fc_scope = RT_SCOPE_LINK;
	}
	return 0;
}

int
fib_parse_route(const char *text, struct fib_config *cfg)
{
	char buf[MAXTEXT], *tok[MAXTOK];
	int n = tokenize(text, buf, sizeof(buf), tok);

	if (n < 0)
		return n;
	return route_parse(tok, n, cfg, 0);
}

static int
parse_range(const char *s, uint32_t *lo, uint32_t *hi)
{
	char tmp[48], *dash;

	if (s == NULL || strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	if ((dash = strchr(tmp, '-')) != NULL) {
		*dash = '\0';
		return parse_u32(tmp, lo) || parse_u32(dash + 1, hi) ?
		    -EINVAL : 0;
	}
	if (parse_u32(tmp, lo))
		return -EINVAL;
	*hi = *lo;
	return 0;
}

/* PORT, LO-HI or PORT/MASK (newer iproute2's) of sport or dport. */
static int
parse_ports(const char *a, int src, struct fib_rule_cfg *c)
{
	char tmp[48], *sl;
	uint32_t v, w, m = 0;

	if (strlen(a) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, a);
	if ((sl = strchr(tmp, '/')) != NULL) {
		*sl = '\0';
		if (parse_u32(sl + 1, &m) || m > 65535)
			return -EINVAL;
		c->fields |= src ? FIB_RULE_HAS_SPORT_MASK :
		    FIB_RULE_HAS_DPORT_MASK;
	}
	if (parse_range(tmp, &v, &w) || v > 65535 || w > 65535)
		return -EINVAL;
	if (src) {
		c->sport_lo = v;
		c->sport_hi = w;
		c->sport_mask = m;
		c->fields |= FIB_RULE_HAS_SPORT;
	} else {
		c->dport_lo = v;
		c->dport_hi = w;
		c->dport_mask = m;
		c->fields |= FIB_RULE_HAS_DPORT;
	}
	return 0;
}

/* iproute2's get_rt_realms_or_raw: "TO" or "FROM/TO", names or numbers. */
static int
parse_realms(const char *s, uint32_t *tclassid)
{
	char tmp[48], *sl;
	uint32_t from = 0, to;

	if (strlen(s) >= sizeof(tmp))
		return -EINVAL;
	strcpy(tmp, s);
	if ((sl = strchr(tmp, '/')) != NULL) {
		*sl++ = '\0';
		if (rt_realm_a2n(tmp, &from) != 0)
			return -EINVAL;
	} else {
		sl = tmp;
	}
	if (rt_realm_a2n(sl, &to) != 0)
		return -EINVAL;
	*tclassid = from << 16 | to;
	return 0;
}

static int
rule_parse(char **tok, int n, struct fib_rule_cfg *c)
{
	int i;
	uint32_t v;

	fib_rule_cfg_init(c);
	c->action = 0;
	for (i = 0; i < n; i++) {
		const char *k = tok[i], *a = i + 1 < n ? tok[i + 1] : NULL;

		if (strcmp(k, "not") == 0) {
			c->flags |= FIB_RULE_INVERT;
			continue;
		}
		if (strcmp(k, "l3mdev") == 0) {
			c->l3mdev = 1;
			continue;
		}
		if (strcmp(k, "nop") == 0 || strcmp(k, "blackhole") == 0 ||
		    strcmp(k, "unreachable") == 0 ||
		    strcmp(k, "prohibit") == 0) {
			c->action = k[0] == 'n' ? FR_ACT_NOP :
			    k[0] == 'b' ? FR_ACT_BLACKHOLE :
			    k[0] == 'u' ? FR_ACT_UNREACHABLE : FR_ACT_PROHIBIT;
			continue;
		}
		if (a == NULL)
			return -EINVAL;
		i++;
		if (strcmp(k, "from") == 0) {
			if (parse_prefix(a, &c->src, &c->src_len))
				return -EINVAL;
			if (c->src_len)
				c->fields |= FIB_RULE_HAS_SRC;
		} else if (strcmp(k, "to") == 0) {
			if (parse_prefix(a, &c->dst, &c->dst_len))
				return -EINVAL;
			if (c->dst_len)
				c->fields |= FIB_RULE_HAS_DST;
		} else if (strcmp(k, "tos") == 0 || strcmp(k, "dsfield") == 0) {
			if (parse_u32(a, &v) || v > 255)
				return -EINVAL;
			c->tos = (uint8_t)v;
			c->fields |= FIB_RULE_HAS_TOS;
		} else if (strcmp(k, "fwmark") == 0) {
			char tmp[48], *sl;

			if (strlen(a) >= sizeof(tmp))
				return -EINVAL;
			strcpy(tmp, a);
			if ((sl = strchr(tmp, '/')) != NULL) {
				*sl = '\0';
				if (parse_u32(sl + 1, &c->mark_mask))
					return -EINVAL;
				c->fields |= FIB_RULE_HAS_MASK;
			}
			if (parse_u32(tmp, &c->mark))
				return -EINVAL;
			c->fields |= FIB_RULE_HAS_MARK;
		} else if (strcmp(k, "iif") == 0 || strcmp(k, "dev") == 0) {
			if (strlen(a) >= NETDEV_NAMSIZ)
				return -EINVAL;
			strcpy(c->iifname, a);
			c->fields |= FIB_RULE_HAS_IIF;
		} else if (strcmp(k, "oif") == 0) {
			if (strlen(a) >= NETDEV_NAMSIZ)
				return -EINVAL;
			strcpy(c->oifname, a);
			c->fields |= FIB_RULE_HAS_OIF;
		} else if (strcmp(k, "ipproto") == 0) {
			int p = inet_proto_a2n(a);

			if (p < 0)
				return -EINVAL;
			c->ip_proto = (uint8_t)p;
			c->fields |= FIB_RULE_HAS_PROTO;
		} else if (strcmp(k, "realms") == 0 ||
		    strcmp(k, "realm") == 0) {
			if (parse_realms(a, &c->tclassid))
				return -EINVAL;
			c->fields |= FIB_RULE_HAS_FLOW;
		} else if (strcmp(k, "tun_id") == 0) {
			char *end;

			c->tun_id = strtoull(a, &end, 0);
			if (*a == '\0' || *end != '\0')
				return -EINVAL;
		} else if (strcmp(k, "sport") == 0 || strcmp(k, "dport") == 0) {
			if (parse_ports(a, k[0] == 's', c))
				return -EINVAL;
		} else if (strcmp(k, "uidrange") == 0) {
			if (parse_range(a, &c->uid_lo, &c->uid_hi))
				return -EINVAL;
			c->fields |= FIB_RULE_HAS_UID;
		} else if (strcmp(k, "pref") == 0 || strcmp(k, "priority") == 0 ||
		    strcmp(k, "preference") == 0) {
			if (parse_u32(a, &c->pref))
				return -EINVAL;
			c->fields |= FIB_RULE_HAS_PREF;
		} else if (strcmp(k, "lookup") == 0 || strcmp(k, "table") == 0) {
			/* as iproute2: a table, not an action (an add
			 * without one looks the table up) */
			if (parse_table(a, &c->table))
				return -EINVAL;
			c->fields |= FIB_RULE_HAS_TABLE;
		} else if (strcmp(k, "goto") == 0) {
			if (parse_u32(a, &c->target))
				return -EINVAL;
			c->action = FR_ACT_GOTO;
			c->fields |= FIB_RULE_HAS_GOTO;
		} else if (strcmp(k, "suppress_prefixlength") == 0) {
			if (parse_u32(a, &v) || v > 32)
				return -EINVAL;
			c->suppress_prefixlen = (int)v;
			c->fields |= FIB_RULE_HAS_SUPP_PLEN;
		} else if (strcmp(k, "suppress_ifgroup") == 0) {
			if (parse_u32(a, &v))
				return -EINVAL;
			c->suppress_ifgroup = (int)v;
			c->fields |= FIB_RULE_HAS_SUPP_IFG;
		} else if (strcmp(k, "protocol") == 0 || strcmp(k, "proto") == 0) {
			if (parse_proto(a, &c->protocol))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int
fib_parse_rule(const char *text, struct fib_rule_cfg *cfg)
{
	char buf[MAXTEXT], *tok[MAXTOK];
	int n = tokenize(text, buf, sizeof(buf), tok), err;

	if (n < 0)
		return n;
	if ((err = rule_parse(tok, n, cfg)) == 0 && cfg->action == 0)
		cfg->action = FR_ACT_TO_TBL;
	return err;
}

static int
nexthop_parse(char **tok, int n, struct fib_nexthop_cfg *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		const char *k = tok[i], *a = i + 1 < n ? tok[i + 1] : NULL;

		if (strcmp(k, "blackhole") == 0) {
			c->blackhole = 1;
			continue;
		}
		if (strcmp(k, "onlink") == 0) {
			c->flags |= RTNH_F_ONLINK;
			continue;
		}
		if (a == NULL)
			return -EINVAL;
		i++;
		if (strcmp(k, "id") == 0) {
			if (parse_u32(a, &c->id))
				return -EINVAL;
		} else if (strcmp(k, "via") == 0) {
			if (parse_addr(a, &c->gw))
				return -EINVAL;
		} else if (strcmp(k, "dev") == 0) {
			int err = parse_dev(a, &c->oif);

			if (err)
				return err;
		} else if (strcmp(k, "proto") == 0 || strcmp(k, "protocol") == 0) {
			if (parse_proto(a, &c->protocol))
				return -EINVAL;
		} else if (strcmp(k, "group") == 0) {
			char tmp[4096], *p, *save = NULL;

			if (strlen(a) >= sizeof(tmp))
				return -EINVAL;
			strcpy(tmp, a);
			for (p = strtok_r(tmp, "/", &save); p != NULL;
			    p = strtok_r(NULL, "/", &save)) {
				char *comma = strchr(p, ',');
				uint32_t w = 1;

				if (c->ngrp >= FIB_MAX_MP)
					return -EINVAL;
				if (comma != NULL) {
					*comma = '\0';
					if (parse_u32(comma + 1, &w) || w < 1 ||
					    w > 256)
						return -EINVAL;
				}
				if (parse_u32(p, &c->grp[c->ngrp].id))
					return -EINVAL;
				c->grp[c->ngrp++].weight = (uint16_t)w;
			}
		} else {
			return -EINVAL;
		}
	}
	return 0;
}

int
fib_parse_nexthop(const char *text, struct fib_nexthop_cfg *cfg)
{
	char buf[MAXTEXT], *tok[MAXTOK];
	int n = tokenize(text, buf, sizeof(buf), tok);

	if (n < 0)
		return n;
	return nexthop_parse(tok, n, cfg);
}

static int
exec_link(char **tok, int n)
{
	struct net_device *dev;
	uint32_t idx = 0;
	unsigned int flags = 0;
	int i, up = 0, carrier = 1;

	if (n < 2)
		return -EINVAL;
	if (strcmp(tok[0], "add") == 0) {
		for (i = 2; i < n; i++) {
			if (strcmp(tok[i], "index") == 0 && i + 1 < n) {
				if (parse_u32(tok[++i], &idx))
					return -EINVAL;
			} else if (strcmp(tok[i], "up") == 0) {
				up = 1;
			} else if (strcmp(tok[i], "nocarrier") == 0) {
				carrier = 0;
			} else {
				return -EINVAL;
			}
		}
		if (strcmp(tok[1], "lo") == 0)
			flags |= NETDEV_F_LOOPBACK;
		if (up)
			flags |= NETDEV_F_UP | NETDEV_F_RUNNING;
		if (carrier)
			flags |= NETDEV_F_LOWER_UP;
		return fib_link_set((int)idx, tok[1], flags, 0,
		    FIB_EV_KERNEL_ROUTES);
	}
	if ((dev = netdev_get_by_name(tok[1])) == NULL)
		return -ENODEV;
	if (strcmp(tok[0], "del") == 0)
		return fib_link_del(dev->ifindex);
	if (strcmp(tok[0], "set") != 0 || n < 3)
		return -EINVAL;
	flags = dev->flags;
	if (strcmp(tok[2], "up") == 0)
		flags |= NETDEV_F_UP | NETDEV_F_RUNNING;
	else if (strcmp(tok[2], "down") == 0)
		flags &= ~(NETDEV_F_UP | NETDEV_F_RUNNING);
	else if (strcmp(tok[2], "carrier") == 0 && n > 3)
		flags = strcmp(tok[3], "on") == 0 ? flags | NETDEV_F_LOWER_UP :
		    flags & ~NETDEV_F_LOWER_UP;
	else if (strcmp(tok[2], "group") == 0 && n > 3) {
		uint32_t g;

		if (parse_u32(tok[3], &g))
			return -EINVAL;
		return netdev_link_set_group(dev->ifindex, g);
	} else
		return -EINVAL;
	return fib_link_set(dev->ifindex, dev->name, flags, dev->master,
	    FIB_EV_KERNEL_ROUTES);
}

static int
exec_addr(char **tok, int n)
{
	uint32_t a, peer, brd = 0;
	uint8_t len, scope = RT_SCOPE_UNIVERSE;
	int i = 2, ifindex = 0, err;

	if (n < 2)
		return -EINVAL;
	if (n > 3 && strcmp(tok[2], "peer") == 0) {
		/* LOCAL peer PEER/LEN */
		if (parse_addr(tok[1], &a) || parse_prefix(tok[3], &peer, &len))
			return -EINVAL;
		i = 4;
	} else if (parse_prefix(tok[1], &a, &len))
		return -EINVAL;
	else
		peer = a;
	for (; i + 1 < n; i += 2) {
		if (strcmp(tok[i], "dev") == 0) {
			if ((err = parse_dev(tok[i + 1], &ifindex)) != 0)
				return err;
		} else if (strcmp(tok[i], "brd") == 0 ||
		    strcmp(tok[i], "broadcast") == 0) {
			if (parse_addr(tok[i + 1], &brd))
				return -EINVAL;
		} else if (strcmp(tok[i], "scope") == 0) {
			if (parse_scope(tok[i + 1], &scope))
				return -EINVAL;
		} else {
			return -EINVAL;
		}
	}
	if (i != n || ifindex == 0)
		return -EINVAL;
	if ((ntohl(a) >> 24) == 127)
		scope = RT_SCOPE_HOST;
	if (strcmp(tok[0], "add") == 0)
		return fib_addr_add_peer(ifindex, a, peer, len, brd, scope,
		    FIB_EV_KERNEL_ROUTES);
	if (strcmp(tok[0], "del") == 0)
		return fib_addr_del(ifindex, a, peer, len, FIB_EV_KERNEL_ROUTES);
	return -EINVAL;
}

int
fib_exec(const char *line)
{
	char buf[MAXTEXT], *toks[MAXTOK], **tok = toks;
	struct fib_config cfg;
	int n = tokenize(line, buf, sizeof(buf), toks), err;
	uint32_t fl;

	if (n <= 0)
		return n;
	if (strcmp(tok[0], "link") == 0)
		return exec_link(tok + 1, n - 1);
	if (strcmp(tok[0], "addr") == 0)
		return exec_addr(tok + 1, n - 1);
	if (strcmp(tok[0], "rule") == 0) {
		struct fib_rule_cfg rc;

		if (n < 2)
			return -EINVAL;
		if ((err = rule_parse(tok + 2, n - 2, &rc)) != 0)
			return err;
		if (strcmp(tok[1], "add") == 0) {
			if (rc.action == 0)
				rc.action = FR_ACT_TO_TBL;
			return fib_rule_add(&rc);
		}
		if (strcmp(tok[1], "del") == 0)
			return fib_rule_del(&rc);
		return -EINVAL;
	}
	if (strcmp(tok[0], "nexthop") == 0) {
		struct fib_nexthop_cfg nc;
		uint32_t id;

		if (n < 3)
			return -EINVAL;
		if (strcmp(tok[1], "del") == 0)
			return parse_u32(tok[3 < n ? 3 : 2], &id) ? -EINVAL :
			    fib_nexthop_del(id);
		if ((err = nexthop_parse(tok + 2, n - 2, &nc)) != 0)
			return err;
		if (strcmp(tok[1], "replace") == 0)
			nc.nlflags = NLM_F_REPLACE | NLM_F_CREATE;
		else if (strcmp(tok[1], "add") != 0)
			return -EINVAL;
		err = fib_nexthop_add(&nc);
		fib_writer_done();
		return err;
	}
	if (strcmp(tok[0], "route") == 0) {
		tok++;
		n--;
		if (n < 1)
			return -EINVAL;
	} else {
		/* "route add" implied */
		if ((err = route_parse(tok, n, &cfg, 0)) != 0)
			return err;
		return fib_route_add(&cfg);
	}
	if (strcmp(tok[0], "add") == 0)
		fl = NLM_F_CREATE | NLM_F_EXCL;
	else if (strcmp(tok[0], "append") == 0)
		fl = NLM_F_CREATE | NLM_F_APPEND;
	else if (strcmp(tok[0], "prepend") == 0)
		fl = NLM_F_CREATE;
	else if (strcmp(tok[0], "replace") == 0)
		fl = NLM_F_CREATE | NLM_F_REPLACE;
	else if (strcmp(tok[0], "change") == 0)
		fl = NLM_F_REPLACE;
	else if (strcmp(tok[0], "test") == 0)
		fl = NLM_F_EXCL;
	else if (strcmp(tok[0], "del") == 0 || strcmp(tok[0], "delete") == 0) {
		if ((err = route_parse(tok + 1, n - 1, &cfg, 1)) != 0)
			return err;
		return fib_route_del(&cfg);
	} else
		return -EINVAL;
	if ((err = route_parse(tok + 1, n - 1, &cfg, 0)) != 0)
		return err;
	cfg.fc_nlflags = fl;
	return fib_route_add(&cfg);
}
