/* SPDX-License-Identifier: MIT */
/*
 * fib_rules.c - policy routing: the priority-ordered rule list, its
 * selectors and actions, and the lookup loop (net/core/fib_rules.c,
 * net/ipv4/fib_rules.c).
 *
 * Rules sit on one RCU list sorted by pref (equal prefs keep insertion
 * order).  A goto's target is resolved to the first rule of that pref by
 * the writer after every change, so the lookup loop only follows
 * pointers.  Answers are the modern kernel's: rule errors unreachable
 * -ENETUNREACH, prohibit -EACCES, blackhole -EINVAL; a throw or a miss
 * goes on to the next rule; the end of the list is -ENETUNREACH.  While
 * custom rules exist the rules see the flow as l3mdev_update_flow()
 * makes it (its VRF, an oif that is a VRF cleared), and the l3mdev rule
 * looks up the table of the flow's VRF (net/l3mdev/l3mdev.c).
 *
 * A request (add or delete) is first made into a rule as the kernel's
 * fib_nl2rule() makes it: defaults filled in, ranges checked.  Which rule
 * a delete removes and which add is a duplicate follow one table of the
 * attributes the kernel compares (rule_keys): rule_find() compares those
 * the request gives, rule_exists() nearly all of them; a mirror removes
 * the rule equal in every attribute.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <arpa/inet.h>

#include "base/inet_proto.h"
#include "base/rt_names.h"
#include "fib/fib_internal.h"

#define LOOPBACK_IFINDEX	1	/* the kernel's, in every namespace */
#define UID_INVALID		0xffffffffU

struct fib_rule {
	struct fib_rule	*next;		/* RCU, by pref */
	struct fib_rule	*ctarget;	/* goto: resolved target (RCU) */
	struct fib_rule_cfg c;
	uint32_t	 srcmask, dstmask;
	int		 iifindex;	/* 0 any, -1 detached */
	int		 oifindex;
};

static struct fib_rule *rules;

unsigned int fib_rules_key_fields;
int fib_rules_custom;
unsigned int fib_rules_flow_dissect;
unsigned int fib_rules_tclassid_users;

static inline uint32_t
mask_of(uint8_t plen)
{
	return plen == 0 ? 0 : htonl(~0U << (32 - plen));
}

static int
dev_index_of(const char *name)
{
	struct net_device *dev;

	if (name[0] == '\0')
		return 0;
	dev = netdev_get_by_name(name);
	return dev != NULL ? dev->ifindex : -1;
}

/* Re-resolve goto targets and device names (writer, after changes). */
static void
rules_resolve(void)
{
	struct fib_rule *r, *t;

	for (r = rules; r != NULL; r = r->next) {
		struct fib_rule *target = NULL;

		if (r->c.action == FR_ACT_GOTO) {
			for (t = rules; t != NULL; t = t->next)
				if (t->c.pref == r->c.target) {
					target = t;
					break;
				}
		}
		rcu_assign_pointer(r->ctarget, target);
		WRITE_ONCE(r->iifindex, dev_index_of(r->c.iifname));
		WRITE_ONCE(r->oifindex, dev_index_of(r->c.oifname));
	}
}

/**
 * fib_rules_dev_event - a device appeared, went or was renamed: rules
 * that name devices are attached or [detached] again, silently, as the
 * kernel does by name (fib_link_set and fib_link_del call it).
 */
void
fib_rules_dev_event(void)
{
	struct fib_rule *r;

	for (r = rules; r != NULL; r = r->next)
		if (r->c.iifname[0] != '\0' || r->c.oifname[0] != '\0')
			break;
	if (r == NULL)
		return;
	rules_resolve();	/* both callers bump the genid after */
}

void
fib_rule_cfg_init(struct fib_rule_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->action = FR_ACT_TO_TBL;
	cfg->suppress_prefixlen = -1;
	cfg->suppress_ifgroup = -1;
	cfg->nlflags = NLM_F_CREATE | NLM_F_EXCL;
}

/* ------------------------------------------------------------ requests */

/* fib_rule_port_range_valid: 1..65534, low to high. */
static bool
port_range_valid(uint16_t lo, uint16_t hi)
{
	return lo != 0 && hi != 0 && hi < 0xffff && lo <= hi;
}

/*
 * A port range and its mask as fib_nl2rule() takes them: a single port
 * is compared in all its bits unless a mask says which (6.15); a mask
 * needs one port, within it.
 */
static int
request_ports(uint16_t *lo, uint16_t *hi, uint16_t *mask, bool has_range,
    bool has_mask)
{
	if (!has_range)
		*lo = *hi = 0;
	else if (!port_range_valid(*lo, *hi))
		return -EINVAL;		/* "Invalid sport range" */
	if (!has_mask) {
		*mask = has_range && *lo == *hi ? 0xffff : 0;
		return 0;
	}
	if (!has_range || *lo != *hi || (*lo & ~*mask))
		return -EINVAL;		/* "Invalid port mask" */
	return 0;
}

/* fib_default_rule_pref: one below the second rule's pref, else 0. */
static uint32_t
default_pref(void)
{
	if (rules != NULL && rules->next != NULL && rules->next->c.pref != 0)
		return rules->next->c.pref - 1;
	return 0;
}

/* The selectors that come as a mark, uids and ports. */
static int
request_ranges(struct fib_rule_cfg *c)
{
	if (!(c->fields & FIB_RULE_HAS_MARK))
		c->mark = c->mark_mask = 0;
	else if (!(c->fields & FIB_RULE_HAS_MASK) && c->mark_mask == 0)
		c->mark_mask = c->mark != 0 ? 0xffffffff : 0;
	if (!(c->fields & FIB_RULE_HAS_UID)) {
		c->uid_lo = 0;
		c->uid_hi = UID_INVALID;
	} else if (c->uid_lo == UID_INVALID || c->uid_hi == UID_INVALID ||
	    c->uid_lo > c->uid_hi) {
		return -EINVAL;		/* "Invalid uid range" */
	}
	if (request_ports(&c->sport_lo, &c->sport_hi, &c->sport_mask,
	    c->fields & FIB_RULE_HAS_SPORT,
	    c->fields & FIB_RULE_HAS_SPORT_MASK) != 0 ||
	    request_ports(&c->dport_lo, &c->dport_hi, &c->dport_mask,
	    c->fields & FIB_RULE_HAS_DPORT,
	    c->fields & FIB_RULE_HAS_DPORT_MASK) != 0)
		return -EINVAL;
	if (!(c->fields & FIB_RULE_HAS_FLOW))
		c->tclassid = 0;
	return 0;
}

/*
 * A request made into a rule, as fib_nl2rule() does for both add and
 * delete: the default pref, the mark's mask, unset uid and port ranges,
 * the goto and l3mdev checks.  Return: 0 or -EINVAL.
 */
static int
rule_from_request(struct fib_rule_cfg *c)
{
	if (c->src_len > 32 || c->dst_len > 32)
		return -EINVAL;
	if (!(c->fields & FIB_RULE_HAS_PREF))
		c->pref = default_pref();
	if (c->l3mdev > 1)
		return -EINVAL;		/* "Invalid l3mdev attribute" */
	if (c->fields & FIB_RULE_HAS_GOTO) {
		if (c->action != FR_ACT_GOTO || c->target <= c->pref)
			return -EINVAL;
	} else if (c->action == FR_ACT_GOTO) {
		return -EINVAL;
	}
	if (c->l3mdev && c->table != 0)
		return -EINVAL;
	return request_ranges(c);
}

/* ------------------------------------------------------------ identity */

/*
 * When a request gives an attribute: a flag of fields, a value other
 * than zero, or other than -1 (the suppressors).  KEY_NEVER: an attribute
 * the kernel never compares, for exact identity only.
 */
enum key_given {
	KEY_NONZERO,
	KEY_FIELD,
	KEY_SET,
	KEY_NEVER,
};

/*
 * One attribute of rule identity: the bytes compared, when a request
 * gives it (by @given, from the bytes at @goff, or the @bit of fields),
 * and whether rule_exists() compares it even when not given (the
 * attributes of net/core/fib_rules.c; the others are fib4_rule_compare's,
 * which compares only what the new rule gives).
 */
struct rule_key {
	size_t		 off, len;
	enum key_given	 given;
	size_t		 goff, glen;
	unsigned int	 bit;
	bool		 always;
};

#define CFG_SIZE(f)	sizeof(((struct fib_rule_cfg *)0)->f)
#define KEY_AT(f, n, g, gf, b, a)					\
	{ offsetof(struct fib_rule_cfg, f), (n), (g),			\
	    offsetof(struct fib_rule_cfg, gf), CFG_SIZE(gf), (b), (a) }
#define KEY(f, g, b, a)		KEY_AT(f, CFG_SIZE(f), g, f, b, a)
/* lo and hi of a range, next to each other in fib_rule_cfg */
#define KEY_RANGE(lo, hi, b)	KEY_AT(lo, CFG_SIZE(lo) + CFG_SIZE(hi),	\
	KEY_FIELD, lo, b, true)

/* In the kernel's order: rule_find(), then fib4_rule_compare(). */
static const struct rule_key rule_keys[] = {
	KEY(action, KEY_NONZERO, 0, true),
	KEY(table, KEY_NONZERO, 0, true),
	KEY(pref, KEY_FIELD, FIB_RULE_HAS_PREF, true),
	KEY(iifname, KEY_NONZERO, 0, true),
	KEY(oifname, KEY_NONZERO, 0, true),
	KEY(mark, KEY_NONZERO, 0, true),
	KEY(suppress_ifgroup, KEY_SET, 0, true),
	KEY(suppress_prefixlen, KEY_SET, 0, true),
	KEY(mark_mask, KEY_NONZERO, 0, true),
	KEY(tun_id, KEY_NONZERO, 0, true),
	KEY(l3mdev, KEY_NONZERO, 0, true),
	KEY_RANGE(uid_lo, uid_hi, FIB_RULE_HAS_UID),
	KEY(ip_proto, KEY_NONZERO, 0, true),
	KEY(protocol, KEY_NONZERO, 0, true),
	KEY_RANGE(sport_lo, sport_hi, FIB_RULE_HAS_SPORT),
	KEY(sport_mask, KEY_NONZERO, 0, true),
	KEY_RANGE(dport_lo, dport_hi, FIB_RULE_HAS_DPORT),
	KEY(dport_mask, KEY_NONZERO, 0, true),
	KEY(src_len, KEY_NONZERO, 0, false),
	KEY(dst_len, KEY_NONZERO, 0, false),
	KEY(tos, KEY_NONZERO, 0, false),
	KEY(tclassid, KEY_FIELD, FIB_RULE_HAS_FLOW, false),
	KEY_AT(src, CFG_SIZE(src), KEY_NONZERO, src_len, 0, false),
	KEY_AT(dst, CFG_SIZE(dst), KEY_NONZERO, dst_len, 0, false),
	KEY(flags, KEY_NEVER, 0, false),
	KEY(target, KEY_NEVER, 0, false),
};

enum rule_cmp {
	CMP_FIND,	/* rule_find(): what the request gives */
	CMP_EXISTS,	/* rule_exists() */
	CMP_EXACT,	/* every attribute */
};

static bool
key_given(const struct rule_key *k, const struct fib_rule_cfg *c)
{
	const unsigned char *p = (const unsigned char *)c + k->goff;
	int v;
	size_t i;

	switch (k->given) {
	case KEY_FIELD:
		return (c->fields & k->bit) != 0;
	case KEY_SET:
		memcpy(&v, p, sizeof(v));
		return v != -1;
	case KEY_NEVER:
		return false;
	default:
		for (i = 0; i < k->glen; i++)
			if (p[i] != 0)
				return true;
		return false;
	}
}

static bool
rule_is(const struct fib_rule_cfg *r, const struct fib_rule_cfg *req,
    enum rule_cmp how)
{
	const struct rule_key *k;
	size_t i;

	for (i = 0; i < sizeof(rule_keys) / sizeof(rule_keys[0]); i++) {
		k = &rule_keys[i];
		if (how == CMP_FIND && !key_given(k, req))
			continue;
		if (how == CMP_EXISTS && !k->always && !key_given(k, req))
			continue;
		if (memcmp((const char *)r + k->off, (const char *)req + k->off,
		    k->len) != 0)
			return false;
	}
	return true;
}

/* The first rule that is @req in the sense of @how, with its link. */
static struct fib_rule **
rule_find(const struct fib_rule_cfg *req, enum rule_cmp how)
{
	struct fib_rule **pp;

	for (pp = &rules; *pp != NULL; pp = &(*pp)->next)
		if (rule_is(&(*pp)->c, req, how))
			return pp;
	return NULL;
}

/* ------------------------------------------------------------ add, del */

/* fib_rule_requires_fldissect(), with the rule's device as it is now. */
static bool
rule_needs_dissect(const struct fib_rule *r)
{
	return r->iifindex != LOOPBACK_IFINDEX && (r->c.ip_proto != 0 ||
	    (r->c.fields & (FIB_RULE_HAS_SPORT | FIB_RULE_HAS_DPORT)));
}

static unsigned int rules_sel_fields;	/* what the rules select on */

/*
 * Which flow fields the route cache keys on: uid, ip protocol and ports
 * only when some rule could make them matter, or the multipath hash
 * reads them (fib_mp_key_fields).  Callers bump the generation after.
 */
void
fib_key_fields_update(void)
{
	WRITE_ONCE(fib_rules_key_fields, rules_sel_fields |
	    fib_mp_key_fields());
}

static void
rules_update_key_fields(void)
{
	unsigned int f = 0;
	struct fib_rule *r;

	for (r = rules; r != NULL; r = r->next)
		f |= r->c.fields & (FIB_RULE_HAS_UID | FIB_RULE_HAS_PROTO |
		    FIB_RULE_HAS_SPORT | FIB_RULE_HAS_DPORT);
	rules_sel_fields = f;
	fib_key_fields_update();
}

static size_t rules_nr;		/* fib_rules_count() */

size_t
fib_rules_count(void)
{
	return READ_ONCE(rules_nr);
}

/* The counters fib4_rule_configure() and fib4_rule_delete() keep. */
static void
rule_count(const struct fib_rule *r, int d)
{
	WRITE_ONCE(rules_nr, rules_nr + (size_t)(ssize_t)d);
	if (rule_needs_dissect(r) && (d > 0 || fib_rules_flow_dissect > 0))
		WRITE_ONCE(fib_rules_flow_dissect, fib_rules_flow_dissect + d);
	if (r->c.tclassid != 0)
		WRITE_ONCE(fib_rules_tclassid_users,
		    fib_rules_tclassid_users + d);
}

static int
rule_insert(const struct fib_rule_cfg *cfg)
{
	struct fib_rule *r, **pp;

	if ((r = kmem_cache_zalloc(fib_rule_cache, 0)) == NULL)
		return -ENOBUFS;
	r->c = *cfg;
	r->srcmask = mask_of(cfg->src_len);
	r->dstmask = mask_of(cfg->dst_len);
	r->iifindex = dev_index_of(cfg->iifname);
	r->oifindex = dev_index_of(cfg->oifname);
	for (pp = &rules; *pp != NULL && (*pp)->c.pref <= cfg->pref;
	    pp = &(*pp)->next)
		;
	r->next = *pp;
	rcu_assign_pointer(*pp, r);
	rule_count(r, 1);
	rules_resolve();
	return 0;
}

static int
table_in_use(uint32_t id)
{
	struct fib_rule *r;

	if (fib_get_table(id) != NULL)
		return 1;
	for (r = rules; r != NULL; r = r->next)
		if (r->c.action == FR_ACT_TO_TBL && r->c.table == id)
			return 1;
	return 0;
}

/* One of the kernel's own three rules (a mirror adds them like others). */
static bool
rule_is_default(const struct fib_rule_cfg *c)
{
	unsigned int sel = c->fields & ~(FIB_RULE_HAS_PREF |
	    FIB_RULE_HAS_TABLE);

	return sel == 0 && c->action == FR_ACT_TO_TBL && c->flags == 0 &&
	    ((c->pref == 0 && c->table == RT_TABLE_LOCAL) ||
	    (c->pref == 32766 && c->table == RT_TABLE_MAIN) ||
	    (c->pref == 32767 && c->table == RT_TABLE_DEFAULT));
}

/**
 * fib_rules_are_defaults - are the rules the three a namespace starts
 * with?  If not, some were added or deleted, which unmerges the kernel's
 * tables for good (fib4_rule_configure, fib4_rule_delete).
 */
int
fib_rules_are_defaults(void)
{
	const struct fib_rule *r;
	unsigned int n = 0;

	for (r = rules; r != NULL; r = r->next, n++)
		if (!rule_is_default(&r->c))
			return 0;
	return n == 3;
}

/* fib4_rule_configure: the tos, and a table for a rule that names none. */
static int
rule_configure(struct fib_rule_cfg *c)
{
	uint32_t id;

	if (c->action == FR_ACT_UNSPEC || c->action > FR_ACT_MAX)
		return -EINVAL;
	if (c->tos & ~0x1c)
		return -EINVAL;
	if (c->action == FR_ACT_TO_TBL && c->table == 0 && !c->l3mdev) {
		for (id = 1; id < RT_TABLE_MAX && table_in_use(id); id++)
			;
		c->table = id;
	}
	return 0;
}

/**
 * fib_rule_add - ip rule add.
 * Return: 0, -EINVAL (bad tos, goto, action, prefix, range), -EEXIST
 * (NLM_F_EXCL and an equal rule, as rule_exists() sees it), -ENOBUFS.
 */
int
fib_rule_add(const struct fib_rule_cfg *in)
{
	struct fib_rule_cfg c = *in;
	int err;

	if ((err = rule_from_request(&c)) != 0)
		return err;
	c.fields |= FIB_RULE_HAS_PREF;
	if ((c.nlflags & NLM_F_EXCL) && rule_find(&c, CMP_EXISTS) != NULL)
		return -EEXIST;
	if ((err = rule_configure(&c)) != 0)
		return err;
	if (rule_insert(&c) != 0)
		return -ENOBUFS;
	if (!rule_is_default(&c))
		WRITE_ONCE(fib_rules_custom, 1);
	rules_update_key_fields();
	fib_bump_genid();
	return 0;
}

static int
rule_unlink(struct fib_rule **pp)
{
	struct fib_rule *r = *pp;

	if (r->c.flags & FIB_RULE_PERMANENT)
		return -EPERM;
	rule_count(r, -1);
	rcu_assign_pointer(*pp, r->next);
	rules_resolve();
	kmem_cache_free_rcu(fib_rule_cache, r);
	rules_update_key_fields();
	fib_bump_genid();
	return 0;
}

/* Remove the first rule that @in describes, as @how compares. */
static int
rule_del(const struct fib_rule_cfg *in, enum rule_cmp how)
{
	struct fib_rule_cfg c = *in;
	struct fib_rule **pp;
	int err;

	if ((err = rule_from_request(&c)) != 0)
		return err;
	if ((pp = rule_find(&c, how)) == NULL)
		return -ENOENT;
	return rule_unlink(pp);
}

/* The first rule agreeing with every attribute @c gives; -ENOENT if none. */
int
fib_rule_del(const struct fib_rule_cfg *in)
{
	return rule_del(in, CMP_FIND);
}

int
fib_rule_del_exact(const struct fib_rule_cfg *in)
{
	return rule_del(in, CMP_EXACT);
}

static void
rules_clear(void)
{
	struct fib_rule *r, *next;

	for (r = rules; r != NULL; r = next) {
		next = r->next;
		kmem_cache_free_rcu(fib_rule_cache, r);
	}
	rcu_assign_pointer(rules, NULL);
	WRITE_ONCE(rules_nr, 0);
	WRITE_ONCE(fib_rules_flow_dissect, 0);
	WRITE_ONCE(fib_rules_tclassid_users, 0);
}

static int
rules_defaults(void)
{
	static const struct {
		uint32_t pref, table;
	} def[] = { { 0, RT_TABLE_LOCAL }, { 32766, RT_TABLE_MAIN },
	    { 32767, RT_TABLE_DEFAULT } };
	struct fib_rule_cfg c;
	unsigned int i;

	for (i = 0; i < sizeof(def) / sizeof(def[0]); i++) {
		fib_rule_cfg_init(&c);
		c.fields = FIB_RULE_HAS_PREF | FIB_RULE_HAS_TABLE;
		c.pref = def[i].pref;
		c.table = def[i].table;
		c.uid_hi = UID_INVALID;
		c.protocol = RTPROT_KERNEL;
		if (rule_insert(&c) != 0)
			return -ENOBUFS;
	}
	return 0;
}

void
fib_rules_flush(void)
{
	rules_clear();
	rules_defaults();
	rules_update_key_fields();
	fib_bump_genid();
}

int
fib_rules_init(void)
{
	return rules_defaults();
}

void
fib_rules_exit(void)
{
	struct fib_rule *r, *next;

	for (r = rules; r != NULL; r = next) {
		next = r->next;
		kmem_cache_free(fib_rule_cache, r);
	}
	rules = NULL;
	rules_nr = 0;
	fib_rules_flow_dissect = 0;
	fib_rules_tclassid_users = 0;
}

/* ------------------------------------------------------------- lookup */

/* fib_rule_port_match: the masked bits of one port, or the range. */
static bool
port_match(uint16_t port, uint16_t lo, uint16_t hi, uint16_t mask)
{
	if ((lo ^ ntohs(port)) & mask)
		return false;
	return mask != 0 || (ntohs(port) >= lo && ntohs(port) <= hi);
}

/* fib4_rule_match: addresses, tos, protocol and ports. */
static bool
rule_match_ip4(const struct fib_rule *r, const struct flowi4 *fl4)
{
	const struct fib_rule_cfg *c = &r->c;

	if ((fl4->saddr ^ c->src) & r->srcmask)
		return false;
	if ((fl4->daddr ^ c->dst) & r->dstmask)
		return false;
	if (c->tos && c->tos != (fl4->flowi4_tos & 0x1c))
		return false;
	if (c->ip_proto && c->ip_proto != fl4->flowi4_proto)
		return false;
	if ((c->fields & FIB_RULE_HAS_SPORT) && !port_match(fl4->fl4_sport,
	    c->sport_lo, c->sport_hi, c->sport_mask))
		return false;
	if ((c->fields & FIB_RULE_HAS_DPORT) && !port_match(fl4->fl4_dport,
	    c->dport_lo, c->dport_hi, c->dport_mask))
		return false;
	return true;
}

/* net/l3mdev/l3mdev.c, on the flow as __fib_lookup passes it on. */
void
l3mdev_update_flow(struct flowi4 *fl4)
{
	struct net_device *dev;

	if (fl4->flowi4_oif &&
	    (dev = netdev_get_by_index(fl4->flowi4_oif)) != NULL) {
		if (!fl4->flowi4_l3mdev)
			fl4->flowi4_l3mdev = l3mdev_master_ifindex(dev);
		/* an oif that is the VRF only points at its table */
		if (netif_is_l3_master(dev))
			fl4->flowi4_oif = 0;
		return;
	}
	if (fl4->flowi4_iif > LOOPBACK_IFINDEX && !fl4->flowi4_l3mdev)
		fl4->flowi4_l3mdev =
		    l3mdev_master_ifindex_by_index(fl4->flowi4_iif);
}

/*
 * l3mdev_fib_rule_match: the flow's VRF gives the table (*@table, the
 * kernel's arg->table); a flow in none does not match.
 */
static bool
l3mdev_fib_rule_match(const struct flowi4 *fl4, uint32_t *table)
{
	struct net_device *dev;

	if (!fl4->flowi4_l3mdev ||
	    (dev = netdev_get_by_index(fl4->flowi4_l3mdev)) == NULL ||
	    !netif_is_l3_master(dev))
		return false;
	*table = READ_ONCE(dev->vrf_table);
	return true;
}

/*
 * fib_rule_match: devices, mark, tunnel id (flows here carry none),
 * l3mdev (the flow's VRF, whose table it stores in *@table), uids, then
 * the IPv4 part; inverted by `not`.
 */
static bool
rule_match(const struct fib_rule *r, const struct flowi4 *fl4,
    uint32_t *table)
{
	const struct fib_rule_cfg *c = &r->c;
	int iif = READ_ONCE(((struct fib_rule *)r)->iifindex);
	int oif = READ_ONCE(((struct fib_rule *)r)->oifindex);
	bool ret = false;

	if (iif && iif != fl4->flowi4_iif)
		goto out;
	if (oif && oif != fl4->flowi4_oif)
		goto out;
	if ((c->mark ^ fl4->flowi4_mark) & c->mark_mask)
		goto out;
	if (c->tun_id != 0)
		goto out;
	if (c->l3mdev && !l3mdev_fib_rule_match(fl4, table))
		goto out;
	if (fl4->flowi4_uid < c->uid_lo || fl4->flowi4_uid > c->uid_hi)
		goto out;
	ret = rule_match_ip4(r, fl4);
out:
	return (c->flags & FIB_RULE_INVERT) ? !ret : ret;
}

/*
 * fib4_rule_suppress: the device it reads is the route's first
 * nexthop's, not the leg the lookup chose (difftest seed 2004702: a
 * flow out of the third leg's device, of a suppressed group, kept the
 * route of the first leg's).
 */
static int
rule_suppress(const struct fib_rule *r, const struct fib_result *res)
{
	const struct fib_nh *nh0;

	if (r->c.suppress_prefixlen >= 0 &&
	    res->prefixlen <= r->c.suppress_prefixlen)
		return 1;
	if (r->c.suppress_ifgroup >= 0 &&
	    (nh0 = fib_info_nhc0(res->fi)) != NULL && nh0->nh_dev != NULL &&
	    READ_ONCE(nh0->nh_dev->group) == (uint32_t)r->c.suppress_ifgroup)
		return 1;
	return 0;
}

/*
 * fib4_rule_action: a table (0 is main, as fib_get_table has it); an
 * l3mdev rule's is the one its match found (fib_rule_get_table).
 */
static int
rule_action(const struct fib_rule *r, const struct flowi4 *fl4,
    uint32_t l3mdev_table, struct fib_result *res)
{
	uint32_t id = r->c.l3mdev ? l3mdev_table : r->c.table;
	int err;

	switch (r->c.action) {
	case FR_ACT_TO_TBL:
		err = fib_table_lookup_id(id, fl4, res);
		if (err == 0 && rule_suppress(r, res))
			err = -EAGAIN;
		return err;
	case FR_ACT_UNREACHABLE:
		return -ENETUNREACH;
	case FR_ACT_PROHIBIT:
		return -EACCES;
	default:
		return -EINVAL;
	}
}

/**
 * fib_rules_lookup - walk the rules for @flow (the kernel's __fib_lookup
 * and fib_rules_lookup): while custom rules exist, on the flow as
 * l3mdev_update_flow() leaves it (which is the only way to a VRF: its
 * rule is a custom one).
 * Return: 0 with @res filled, or the final error (-ENETUNREACH when the
 * list runs out).  @res->tclassid: the realms of the rule that answered.
 */
int
fib_rules_lookup(const struct flowi4 *flow, struct fib_result *res)
{
	struct fib_rule *r = rcu_dereference(rules);
	struct flowi4 l3fl;
	const struct flowi4 *fl4 = flow;
	uint32_t l3mdev_table = 0;	/* the kernel's arg->table */
	int err;

	if (READ_ONCE(fib_rules_custom)) {
		l3fl = *flow;
		l3mdev_update_flow(&l3fl);
		fl4 = &l3fl;
	}
	res->tclassid = 0;
	while (r != NULL) {
		if (!rule_match(r, fl4, &l3mdev_table)) {
			r = rcu_dereference(r->next);
			continue;
		}
		if (r->c.action == FR_ACT_GOTO) {
			struct fib_rule *t = rcu_dereference(r->ctarget);

			r = t != NULL ? t : rcu_dereference(r->next);
			continue;
		}
		if (r->c.action == FR_ACT_NOP) {
			r = rcu_dereference(r->next);
			continue;
		}
		if ((err = rule_action(r, fl4, l3mdev_table, res)) != -EAGAIN) {
			res->r = r;
			res->tclassid = r->c.tclassid;
			return err;
		}
		r = rcu_dereference(r->next);
	}
	return -ENETUNREACH;
}

/* ------------------------------------------------------------------ dump */

/* The selectors, as iproute2's print_rule() writes them. */
static void
dump_selectors(FILE *out, const struct fib_rule *r)
{
	const struct fib_rule_cfg *c = &r->c;
	char a[INET_ADDRSTRLEN], p[INET_PROTO_BUFSZ];

	if (c->flags & FIB_RULE_INVERT)
		fprintf(out, "not ");
	if (c->src_len) {
		inet_ntop(AF_INET, &c->src, a, sizeof(a));
		fprintf(out, "from %s", a);
		if (c->src_len != 32)
			fprintf(out, "/%u", c->src_len);
	} else {
		fprintf(out, "from all");
	}
	if (c->dst_len) {
		inet_ntop(AF_INET, &c->dst, a, sizeof(a));
		fprintf(out, " to %s", a);
		if (c->dst_len != 32)
			fprintf(out, "/%u", c->dst_len);
	}
	if (c->tos)
		fprintf(out, " tos 0x%02x", c->tos);
	if (c->mark || c->mark_mask) {
		fprintf(out, " fwmark %#x", c->mark);
		if (c->mark_mask != 0xffffffff)
			fprintf(out, "/%#x", c->mark_mask);
	}
	if (c->iifname[0])
		fprintf(out, " iif %s%s", c->iifname,
		    r->iifindex < 0 ? " [detached]" : "");
	if (c->oifname[0])
		fprintf(out, " oif %s%s", c->oifname,
		    r->oifindex < 0 ? " [detached]" : "");
	if (c->l3mdev)
		fprintf(out, " lookup [l3mdev-table]");
	if (c->fields & FIB_RULE_HAS_UID)
		fprintf(out, " uidrange %u-%u", c->uid_lo, c->uid_hi);
	if (c->ip_proto)
		fprintf(out, " ipproto %s",
		    inet_proto_n2a(c->ip_proto, p, sizeof(p)));
	if (c->fields & FIB_RULE_HAS_SPORT)
		fprintf(out, c->sport_lo == c->sport_hi ? " sport %u" :
		    " sport %u-%u", c->sport_lo, c->sport_hi);
	if (c->fields & FIB_RULE_HAS_DPORT)
		fprintf(out, c->dport_lo == c->dport_hi ? " dport %u" :
		    " dport %u-%u", c->dport_lo, c->dport_hi);
	if (c->tun_id)
		fprintf(out, " tun_id %llu", (unsigned long long)c->tun_id);
}

/* The table, realms, action and protocol that follow. */
static void
dump_action(FILE *out, const struct fib_rule *r)
{
	const struct fib_rule_cfg *c = &r->c;
	char b[RT_NAME_BUFSZ], f[RT_NAME_BUFSZ];

	if (c->table) {
		fprintf(out, " lookup %s", rt_table_n2a(c->table, b,
		    sizeof(b)));
		if (c->suppress_prefixlen != -1)
			fprintf(out, " suppress_prefixlength %d",
			    c->suppress_prefixlen);
		if (c->suppress_ifgroup != -1)
			fprintf(out, " suppress_ifgroup %s",
			    rt_group_n2a((uint32_t)c->suppress_ifgroup, b,
			    sizeof(b)));
	}
	if (c->tclassid >> 16)
		fprintf(out, " realms %s/%s", rt_realm_n2a(c->tclassid >> 16,
		    f, sizeof(f)), rt_realm_n2a(c->tclassid & 0xffff, b,
		    sizeof(b)));
	else if (c->tclassid)
		fprintf(out, " realms %s", rt_realm_n2a(c->tclassid, b,
		    sizeof(b)));
	if (c->action == FR_ACT_GOTO) {
		fprintf(out, " goto %u", c->target);
		if (rcu_dereference(r->ctarget) == NULL)
			fprintf(out, " [unresolved]");
	} else if (c->action == FR_ACT_NOP) {
		fprintf(out, " nop");
	} else if (c->action != FR_ACT_TO_TBL) {
		/* as ip: FR_ACT_BLACKHOLE is RTN_BLACKHOLE... */
		fprintf(out, " %s", rt_type_n2a(c->action, b, sizeof(b)));
	}
	if (c->protocol && c->protocol != RTPROT_KERNEL)
		fprintf(out, " proto %s", rt_proto_n2a(c->protocol, b,
		    sizeof(b)));
}

/* `ip rule show` text. */
int
fib_dump_rules(FILE *out)
{
	struct fib_rule *r;

	for (r = rcu_dereference(rules); r != NULL; r = rcu_dereference(r->next)) {
		fprintf(out, "%u:\t", r->c.pref);
		dump_selectors(out, r);
		dump_action(out, r);
		fputc('\n', out);
	}
	return 0;
}
