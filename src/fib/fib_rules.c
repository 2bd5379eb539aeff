/* SPDX-License-Identifier: MIT */
/*
 * fib_rules.c - policy routing: the priority-ordered rule list, its
 * selectors and actions, and the lookup loop (net/core/fib_rules.c).
 *
 * Rules sit on one RCU list sorted by pref (equal prefs keep insertion
 * order).  A goto's target is resolved to the first rule of that pref by
 * the writer after every change, so the lookup loop only follows
 * pointers.  Answers are the modern kernel's: rule errors unreachable
 * -ENETUNREACH, prohibit -EACCES, blackhole -EINVAL; a throw or a miss
 * goes on to the next rule; the end of the list is -ENETUNREACH.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "base/rt_names.h"
#include "fib/fib_internal.h"

struct fib_rule {
	struct fib_rule	*next;		/* RCU, by pref */
	struct fib_rule	*ctarget;	/* goto: resolved target (RCU) */
	struct fib_rule_cfg c;
	uint32_t	 srcmask, dstmask;
	int		 iifindex;	/* 0 any, -1 detached */
	int		 oifindex;
};

static struct fib_rule *rules;

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

static int
rule_same(const struct fib_rule *r, const struct fib_rule_cfg *c)
{
	const struct fib_rule_cfg *a = &r->c;

	return a->pref == c->pref && a->action == c->action &&
	    a->tos == c->tos && a->src_len == c->src_len &&
	    a->dst_len == c->dst_len && a->src == c->src && a->dst == c->dst &&
	    a->table == c->table && a->target == c->target &&
	    a->flags == c->flags && a->mark == c->mark &&
	    a->mark_mask == c->mark_mask &&
	    strcmp(a->iifname, c->iifname) == 0 &&
	    strcmp(a->oifname, c->oifname) == 0 &&
	    a->ip_proto == c->ip_proto && a->sport_lo == c->sport_lo &&
	    a->sport_hi == c->sport_hi && a->dport_lo == c->dport_lo &&
	    a->dport_hi == c->dport_hi && a->uid_lo == c->uid_lo &&
	    a->uid_hi == c->uid_hi &&
	    a->suppress_prefixlen == c->suppress_prefixlen &&
	    a->suppress_ifgroup == c->suppress_ifgroup;
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

/**
 * fib_rule_add - ip rule add.
 * Return: 0, -EINVAL (bad tos, goto, action, prefix), -EEXIST
 * (NLM_F_EXCL and an equal rule), -ENOBUFS.
 */
unsigned int fib_rules_key_fields;
int fib_rules_custom;

/* One of the kernel's own three rules (a mirror adds them like others). */
static int
rule_is_default(const struct fib_rule_cfg *c)
{
	unsigned int sel = c->fields & ~(FIB_RULE_HAS_PREF |
	    FIB_RULE_HAS_TABLE);

	return sel == 0 && c->action == FR_ACT_TO_TBL && c->flags == 0 &&
	    ((c->pref == 0 && c->table == RT_TABLE_LOCAL) ||
	    (c->pref == 32766 && c->table == RT_TABLE_MAIN) ||
	    (c->pref == 32767 && c->table == RT_TABLE_DEFAULT));
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

int
fib_rule_add(const struct fib_rule_cfg *in)
{
	struct fib_rule_cfg c = *in;
	struct fib_rule *r;

	if (c.action == FR_ACT_UNSPEC || c.action > FR_ACT_MAX)
		return -EINVAL;
	if (c.src_len > 32 || c.dst_len > 32)
		return -EINVAL;
	if ((c.src & ~mask_of(c.src_len)) || (c.dst & ~mask_of(c.dst_len)))
		return -EINVAL;
	if (c.tos & ~0x1c)
		return -EINVAL;
	if (!!(c.fields & FIB_RULE_HAS_GOTO) != (c.action == FR_ACT_GOTO))
		return -EINVAL;
	if (!(c.fields & FIB_RULE_HAS_MARK))
		c.mark = c.mark_mask = 0;
	else if (c.mark_mask == 0 && c.mark != 0)
		c.mark_mask = 0xffffffff;
	if (!(c.fields & FIB_RULE_HAS_UID)) {
		c.uid_lo = 0;
		c.uid_hi = 0xffffffff;
	} else if (c.uid_lo > c.uid_hi) {
		return -EINVAL;
	}
	if ((c.fields & FIB_RULE_HAS_SPORT) && c.sport_lo > c.sport_hi)
		return -EINVAL;
	if ((c.fields & FIB_RULE_HAS_DPORT) && c.dport_lo > c.dport_hi)
		return -EINVAL;
	if (!(c.fields & FIB_RULE_HAS_PREF)) {
		c.pref = 0;
		if (rules != NULL && rules->next != NULL &&
		    rules->next->c.pref != 0)
			c.pref = rules->next->c.pref - 1;
	}
	if (c.action == FR_ACT_GOTO && c.target <= c.pref)
		return -EINVAL;
	if (c.action == FR_ACT_TO_TBL && c.table == 0) {
		uint32_t id;

		for (id = 1; id < RT_TABLE_MAX && table_in_use(id); id++)
			;
		c.table = id;
	}
	c.fields |= FIB_RULE_HAS_PREF;
	if (c.nlflags & NLM_F_EXCL)
		for (r = rules; r != NULL; r = r->next)
			if (rule_same(r, &c))
				return -EEXIST;
	if (rule_insert(&c) != 0)
		return -ENOBUFS;
	if (!rule_is_default(&c))
		WRITE_ONCE(fib_rules_custom, 1);
	rules_update_key_fields();
	fib_bump_genid();
	return 0;
}

/* The first rule matching every attribute @c gives; -ENOENT if none. */
int
fib_rule_del(const struct fib_rule_cfg *c)
{
	struct fib_rule *r, **pp;

	for (pp = &rules; (r = *pp) != NULL; pp = &r->next) {
		const struct fib_rule_cfg *a = &r->c;

		if ((c->fields & FIB_RULE_HAS_PREF) && a->pref != c->pref)
			continue;
		if (c->action && c->action != a->action)
			continue;
		if ((c->fields & FIB_RULE_HAS_TABLE) && c->table != a->table)
			continue;
		if ((c->fields & FIB_RULE_HAS_SRC) &&
		    (a->src != c->src || a->src_len != c->src_len))
			continue;
		if ((c->fields & FIB_RULE_HAS_DST) &&
		    (a->dst != c->dst || a->dst_len != c->dst_len))
			continue;
		if ((c->fields & FIB_RULE_HAS_TOS) && a->tos != c->tos)
			continue;
		if ((c->fields & FIB_RULE_HAS_MARK) && a->mark != c->mark)
			continue;
		if ((c->fields & FIB_RULE_HAS_IIF) &&
		    strcmp(a->iifname, c->iifname) != 0)
			continue;
		if ((c->fields & FIB_RULE_HAS_OIF) &&
		    strcmp(a->oifname, c->oifname) != 0)
			continue;
		if ((c->fields & FIB_RULE_HAS_GOTO) && a->target != c->target)
			continue;
		if ((c->flags & FIB_RULE_INVERT) != (a->flags & FIB_RULE_INVERT))
			continue;
		if (a->flags & FIB_RULE_PERMANENT)
			return -EPERM;
		rcu_assign_pointer(*pp, r->next);
		rules_resolve();
		kmem_cache_free_rcu(fib_rule_cache, r);
		rules_update_key_fields();
		fib_bump_genid();
		return 0;
	}
	return -ENOENT;
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
		c.uid_hi = 0xffffffff;
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
}

static int
rule_match(const struct fib_rule *r, const struct flowi4 *fl4)
{
	const struct fib_rule_cfg *c = &r->c;
	int iif = READ_ONCE(((struct fib_rule *)r)->iifindex);
	int oif = READ_ONCE(((struct fib_rule *)r)->oifindex);
	int ret = 0;

	if (iif && iif != fl4->flowi4_iif)
		goto out;
	if (oif && oif != fl4->flowi4_oif)
		goto out;
	if ((c->mark ^ fl4->flowi4_mark) & c->mark_mask)
		goto out;
	if (fl4->flowi4_uid < c->uid_lo || fl4->flowi4_uid > c->uid_hi)
		goto out;
	if ((fl4->saddr ^ c->src) & r->srcmask)
		goto out;
	if ((fl4->daddr ^ c->dst) & r->dstmask)
		goto out;
	if (c->tos && c->tos != (fl4->flowi4_tos & 0x1c))
		goto out;
	if (c->ip_proto && c->ip_proto != fl4->flowi4_proto)
		goto out;
	if ((c->fields & FIB_RULE_HAS_SPORT) &&
	    (ntohs(fl4->fl4_sport) < c->sport_lo ||
	    ntohs(fl4->fl4_sport) > c->sport_hi))
		goto out;
	if ((c->fields & FIB_RULE_HAS_DPORT) &&
	    (ntohs(fl4->fl4_dport) < c->dport_lo ||
	    ntohs(fl4->fl4_dport) > c->dport_hi))
		goto out;
	ret = 1;
out:
	return (c->flags & FIB_RULE_INVERT) ? !ret : ret;
}

static int
rule_suppress(const struct fib_rule *r, const struct fib_result *res)
{
	if (r->c.suppress_prefixlen >= 0 &&
	    res->prefixlen <= r->c.suppress_prefixlen)
		return 1;
	if (r->c.suppress_ifgroup >= 0 && res->nhc != NULL &&
	    res->nhc->nh_dev != NULL &&
	    READ_ONCE(res->nhc->nh_dev->group) ==
	    (uint32_t)r->c.suppress_ifgroup)
		return 1;
	return 0;
}

/**
 * fib_rules_lookup - walk the rules for @fl4 (the kernel's fib_rules_lookup).
 * Return: 0 with @res filled, or the final error (-ENETUNREACH when the
 * list runs out).
 */
int
fib_rules_lookup(const struct flowi4 *fl4, struct fib_result *res)
{
	struct fib_rule *r = rcu_dereference(rules);
	int err;

	while (r != NULL) {
		if (!rule_match(r, fl4)) {
			r = rcu_dereference(r->next);
			continue;
		}
		switch (r->c.action) {
		case FR_ACT_GOTO: {
			struct fib_rule *t = rcu_dereference(r->ctarget);

			r = t != NULL ? t : rcu_dereference(r->next);
			continue;
		}
		case FR_ACT_NOP:
			r = rcu_dereference(r->next);
			continue;
		case FR_ACT_TO_TBL: {
			struct fib_table *tb = fib_get_table(r->c.table);

			err = -EAGAIN;
			if (tb != NULL)
				err = fib_table_lookup(tb, fl4, res);
			if (err == 0 && rule_suppress(r, res))
				err = -EAGAIN;
			break;
		}
		case FR_ACT_UNREACHABLE:
			err = -ENETUNREACH;
			break;
		case FR_ACT_PROHIBIT:
			err = -EACCES;
			break;
		default:
			err = -EINVAL;
			break;
		}
		if (err != -EAGAIN) {
			res->r = r;
			return err;
		}
		r = rcu_dereference(r->next);
	}
	return -ENETUNREACH;
}

/* ------------------------------------------------------------------ dump */

/* `ip rule show` text. */
int
fib_dump_rules(FILE *out)
{
	struct fib_rule *r;
	char a[INET_ADDRSTRLEN], tb[16];

	for (r = rcu_dereference(rules); r != NULL; r = rcu_dereference(r->next)) {
		const struct fib_rule_cfg *c = &r->c;

		fprintf(out, "%u:\t", c->pref);
		if (c->flags & FIB_RULE_INVERT)
			fprintf(out, "not ");
		if (c->src_len) {
			inet_ntop(AF_INET, &c->src, a, sizeof(a));
			fprintf(out, "from %s", a);
			if (c->src_len != 32)
				fprintf(out, "/%u", c->src_len);
			fputc(' ', out);
		} else {
			fprintf(out, "from all ");
		}
		if (c->dst_len) {
			inet_ntop(AF_INET, &c->dst, a, sizeof(a));
			fprintf(out, "to %s", a);
			if (c->dst_len != 32)
				fprintf(out, "/%u", c->dst_len);
			fputc(' ', out);
		}
		if (c->tos)
			fprintf(out, "tos 0x%02x ", c->tos);
		if (c->mark || c->mark_mask) {
			fprintf(out, "fwmark 0x%x", c->mark);
			if (c->mark_mask != 0xffffffff)
				fprintf(out, "/0x%x", c->mark_mask);
			fputc(' ', out);
		}
		if (c->iifname[0])
			fprintf(out, "iif %s%s ", c->iifname,
			    r->iifindex < 0 ? " [detached]" : "");
		if (c->oifname[0])
			fprintf(out, "oif %s%s ", c->oifname,
			    r->oifindex < 0 ? " [detached]" : "");
		if (c->fields & FIB_RULE_HAS_UID)
			fprintf(out, "uidrange %u-%u ", c->uid_lo, c->uid_hi);
		if (c->ip_proto)
			fprintf(out, "ipproto %u ", c->ip_proto);
		if (c->fields & FIB_RULE_HAS_SPORT)
			fprintf(out, c->sport_lo == c->sport_hi ? "sport %u " :
			    "sport %u-%u ", c->sport_lo, c->sport_hi);
		if (c->fields & FIB_RULE_HAS_DPORT)
			fprintf(out, c->dport_lo == c->dport_hi ? "dport %u " :
			    "dport %u-%u ", c->dport_lo, c->dport_hi);
		switch (c->action) {
		case FR_ACT_TO_TBL:
			fprintf(out, "lookup %s",
			    rt_table_n2a(c->table, tb, sizeof(tb)));
			if (c->suppress_prefixlen >= 0)
				fprintf(out, " suppress_prefixlength %d",
				    c->suppress_prefixlen);
			if (c->suppress_ifgroup >= 0)
				fprintf(out, " suppress_ifgroup %d",
				    c->suppress_ifgroup);
			break;
		case FR_ACT_GOTO:
			fprintf(out, "goto %u", c->target);
			if (rcu_dereference(r->ctarget) == NULL)
				fprintf(out, " [unresolved]");
			break;
		case FR_ACT_NOP:
			fprintf(out, "nop");
			break;
		default:	/* as ip: FR_ACT_BLACKHOLE is RTN_BLACKHOLE... */
			fprintf(out, "%s",
			    rt_type_n2a(c->action, tb, sizeof(tb)));
			break;
		}
		fputc('\n', out);
	}
	return 0;
}
