/* SPDX-License-Identifier: MIT */
/*
 * fib_hash.c - the fn_hash table: one fn_zone per prefix length,
 * searched most specific first, each a hash of fib_nodes whose
 * fib_aliases are the routes of one prefix.
 *
 * Zone tables are arrays of 64-byte buckets with five inline keys, so a
 * probe reads one cache line before it reaches the node; a table grows by
 * the kernel's policy (fn_rehash_zone in 2.6's net/ipv4/fib_hash.c) into
 * a new array that is published whole, the old one freed after a grace
 * period.  Beside the zones, a per-/16 summary (doc/design.md, "Lookup
 * speed") records which lengths 17..32 exist under each /16 and the best
 * prefix of length <= 16 covering it, so a lookup probes only the zones
 * that can match.  Insert, delete and the alias order follow 2.6's
 * fn_hash_insert and fn_hash_delete with the modern kernel's answers
 * (net/ipv4/fib_trie.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "fib/fib_internal.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define FZ_MAX_DIVISOR	(1U << 20)
#define FZ_EMBEDDED	8

static inline uint32_t
fz_mask_of(unsigned int order)
{
	return order == 0 ? 0 : ~0U << (32 - order);
}

static inline uint32_t
fn_hashfn(uint32_t key, unsigned int order)
{
	uint32_t h;

	if (order == 0)
		return 0;
	/*
	 * The 2.6 fold (h ^= h>>20, >>10, >>5) leaves runs of adjacent
	 * prefixes in adjacent buckets, which open addressing turns into
	 * long overflow runs on real tables; a multiply-xorshift mix
	 * spreads them.
	 */
	h = key >> (32 - order);
	h ^= h >> 16;
	h *= 0x7feb352dU;
	h ^= h >> 15;
	h *= 0x846ca68bU;
	h ^= h >> 16;
	return h;
}

static struct fz_table *
fz_table_alloc(unsigned int nbuckets)
{
	struct fz_table *t;
	size_t sz = sizeof(*t) + (size_t)nbuckets * sizeof(struct fz_bucket);

	/* header padded to a line so every bucket is line-aligned */
	if ((t = kvzalloc_huge(sz + 64)) == NULL)
		return NULL;
	t->nbuckets = nbuckets;
	t->bmask = nbuckets - 1;
	return t;
}

static inline size_t
fz_table_bytes(const struct fz_table *t)
{
	return sizeof(*t) + 64 + (size_t)t->nbuckets * sizeof(struct fz_bucket);
}

/*
 * Which slots of @bk hold @key, as a bit mask.  With SSE2 four keys are
 * one compare, so the lookup takes no branch on which slot matched (a
 * coin toss that a predictor loses, on a line still coming from memory).
 */
static inline unsigned int
fz_bucket_match(const struct fz_bucket *bk, uint32_t key)
{
	unsigned int m;

#if defined(__SSE2__) && !RTCACHE_TSAN
	m = (unsigned int)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(
	    _mm_load_si128((const __m128i *)bk->key), _mm_set1_epi32((int)key))));
#else
	unsigned int i;

	for (m = 0, i = 0; i < 4; i++)
		m |= (unsigned int)(READ_ONCE(bk->key[i]) == key) << i;
#endif
	return m | (unsigned int)(READ_ONCE(bk->key[4]) == key) << 4;
}

/*
 * fn_zone_find - the node for @key in @fz, or NULL.  Readers and the
 * writer.  One bucket per probe unless it overflowed.  Kept out of line
 * on purpose: inlined into fib_table_lookup's zone loop, uniform lookups
 * on the full view measured 60 % slower (170 against 105 ns).
 */
struct fib_node *
fn_zone_find(const struct fn_zone *fz, uint32_t key, unsigned int *probes)
{
	const struct fz_table *t = rcu_dereference(((struct fn_zone *)fz)->fz_tab);
	uint32_t b = fn_hashfn(key, fz->fz_order) & t->bmask;
	unsigned int n, m;

	(void)probes;
	for (n = 0; n <= t->bmask; n++) {
		const struct fz_bucket *bk = &t->b[b];

		/* a removed node leaves its key: a key may match twice */
		for (m = fz_bucket_match(bk, key); m != 0; m &= m - 1) {
			struct fib_node *fn = rcu_dereference(((struct fz_bucket *)
			    bk)->node[__builtin_ctz(m)]);

			if (fn != NULL && fn->fn_key == key)
				return fn;
		}
		if (!(READ_ONCE(bk->flags) & FZB_OVERFLOW))
			return NULL;
		b = (b + 1) & t->bmask;
	}
	return NULL;
}

/* Writer: put @fn into @t.  -ENOSPC when every bucket is full. */
static int
fz_table_put(struct fz_table *t, struct fib_node *fn, unsigned int order)
{
	uint32_t b = fn_hashfn(fn->fn_key, order) & t->bmask;
	unsigned int i, n;

	for (n = 0; n <= t->bmask; n++) {
		struct fz_bucket *bk = &t->b[b];

		for (i = 0; i < FZ_SLOTS; i++) {
			if (bk->node[i] == NULL) {
				WRITE_ONCE(bk->key[i], fn->fn_key);
				rcu_assign_pointer(bk->node[i], fn);
				return 0;
			}
		}
		if (!(bk->flags & FZB_OVERFLOW))
			WRITE_ONCE(bk->flags, bk->flags | FZB_OVERFLOW);
		b = (b + 1) & t->bmask;
	}
	return -ENOSPC;
}

static void
fz_table_remove(struct fz_table *t, struct fib_node *fn, unsigned int order)
{
	uint32_t b = fn_hashfn(fn->fn_key, order) & t->bmask;
	unsigned int i, n;

	for (n = 0; n <= t->bmask; n++) {
		struct fz_bucket *bk = &t->b[b];

		for (i = 0; i < FZ_SLOTS; i++) {
			if (bk->node[i] == fn) {
				rcu_assign_pointer(bk->node[i], NULL);
				return;
			}
		}
		b = (b + 1) & t->bmask;
	}
}

static inline unsigned int
fz_nbuckets(unsigned int divisor)
{
	/* a bucket per kernel chain: about two nodes in five slots */
	return divisor;
}

/* Build a table of @nb buckets holding @fz's nodes and publish it. */
static int
fz_rebuild(struct fn_zone *fz, unsigned int nb)
{
	struct fz_table *old = fz->fz_tab, *t;
	unsigned int b, i;

	for (;;) {
		if ((t = fz_table_alloc(nb)) == NULL)
			return -ENOMEM;
		for (b = 0; b < old->nbuckets; b++)
			for (i = 0; i < FZ_SLOTS; i++)
				if (old->b[b].node[i] != NULL &&
				    fz_table_put(t, old->b[b].node[i],
				    fz->fz_order) != 0)
					goto bigger;
		break;
bigger:
		kvfree(t);
		nb *= 2;
	}
	rcu_assign_pointer(fz->fz_tab, t);
	kvfree_rcu(old);
	return 0;
}

/* The kernel's growth step (2.6.38): E, E*E, E*E*E/2, then doubling. */
static void
fn_maybe_grow(struct fn_zone *fz)
{
	unsigned int nd;

	if (fz->fz_nent <= 2 * fz->fz_divisor || fz->fz_divisor >= FZ_MAX_DIVISOR)
		return;
	if (fz->fz_order != 32 && (1ULL << fz->fz_order) <= fz->fz_divisor)
		return;
	switch (fz->fz_divisor) {
	case FZ_EMBEDDED:
		nd = FZ_EMBEDDED * FZ_EMBEDDED;
		break;
	case FZ_EMBEDDED * FZ_EMBEDDED:
		nd = FZ_EMBEDDED * FZ_EMBEDDED * FZ_EMBEDDED / 2;
		break;
	default:
		nd = fz->fz_divisor * 2;
	}
	if (nd > FZ_MAX_DIVISOR)
		return;
	if (fz_rebuild(fz, fz_nbuckets(nd)) == 0)
		fz->fz_divisor = nd;
}

static struct fn_zone *
fn_new_zone(struct fib_table *tb, unsigned int z)
{
	struct fn_zone *fz, **pp;
	unsigned int i;

	if ((fz = calloc(1, sizeof(*fz))) == NULL)
		return NULL;
	fz->fz_divisor = z == 0 ? 1 : FZ_EMBEDDED;
	fz->fz_order = z;
	fz->fz_mask = fz_mask_of(z);
	if ((fz->fz_tab = fz_table_alloc(fz_nbuckets(fz->fz_divisor))) == NULL) {
		free(fz);
		return NULL;
	}
	/* after the nearest more specific zone, or at the head */
	pp = &tb->fn_zone_list;
	for (i = z + 1; i <= 32; i++) {
		if (tb->fn_zones[i] != NULL) {
			pp = &tb->fn_zones[i]->fz_next;
			break;
		}
	}
	fz->fz_next = *pp;
	rcu_assign_pointer(*pp, fz);
	rcu_assign_pointer(tb->fn_zones[z], fz);
	return fz;
}

struct fib_table *
fn_table_alloc(uint32_t id)
{
	struct fib_table *tb;

	if ((tb = calloc(1, sizeof(*tb))) == NULL)
		return NULL;
	tb->tb_id = id;
	tb->tb_sum = kvzalloc(FN_BLOCKS * sizeof(*tb->tb_sum));
	tb->tb_sumcnt = kvzalloc((size_t)FN_BLOCKS * 16 * sizeof(uint32_t));
	if (tb->tb_sum == NULL || tb->tb_sumcnt == NULL) {
		kvfree(tb->tb_sum);
		kvfree(tb->tb_sumcnt);
		free(tb);
		return NULL;
	}
	return tb;
}

/* ---------------------------------------------------------------- summary */

static void
fn_summary_add(struct fib_table *tb, struct fib_node *fn)
{
	uint32_t blk = fn->fn_key >> 16, n, i;

	if (fn->fn_plen > 16) {
		uint32_t *c = &tb->tb_sumcnt[blk * 16 + (fn->fn_plen - 17)];

		if ((*c)++ == 0)
			WRITE_ONCE(tb->tb_sum[blk].lenmask,
			    tb->tb_sum[blk].lenmask | 1U << (fn->fn_plen - 17));
		return;
	}
	n = 1U << (16 - fn->fn_plen);
	for (i = 0; i < n; i++) {
		struct fib_node *b = tb->tb_sum[blk + i].best;

		if (b == NULL || b->fn_plen < fn->fn_plen)
			rcu_assign_pointer(tb->tb_sum[blk + i].best, fn);
	}
}

static struct fib_node *
fn_covering(struct fib_table *tb, uint32_t key, unsigned int below)
{
	struct fib_node *fn;
	int z;

	for (z = (int)below - 1; z >= 0; z--) {
		struct fn_zone *fz = tb->fn_zones[z];

		if (fz != NULL && fz->fz_nent != 0 &&
		    (fn = fn_zone_find(fz, key & fz->fz_mask, NULL)) != NULL)
			return fn;
	}
	return NULL;
}

static void
fn_summary_del(struct fib_table *tb, struct fib_node *fn)
{
	uint32_t blk = fn->fn_key >> 16, n, i;
	struct fib_node *parent;

	if (fn->fn_plen > 16) {
		uint32_t *c = &tb->tb_sumcnt[blk * 16 + (fn->fn_plen - 17)];

		if (--(*c) == 0)
			WRITE_ONCE(tb->tb_sum[blk].lenmask,
			    tb->tb_sum[blk].lenmask & ~(1U << (fn->fn_plen - 17)));
		return;
	}
	parent = fn_covering(tb, fn->fn_key, fn->fn_plen);
	n = 1U << (16 - fn->fn_plen);
	for (i = 0; i < n; i++)
		if (tb->tb_sum[blk + i].best == fn)
			rcu_assign_pointer(tb->tb_sum[blk + i].best, parent);
}

/* ----------------------------------------------------------------- aliases */

int
fib_route_type_error(uint8_t type)
{
	switch (type) {
	case RTN_UNICAST:
	case RTN_LOCAL:
	case RTN_BROADCAST:
	case RTN_ANYCAST:
	case RTN_MULTICAST:
		return 0;
	case RTN_BLACKHOLE:
		return -EINVAL;
	case RTN_UNREACHABLE:
		return -EHOSTUNREACH;
	case RTN_PROHIBIT:
		return -EACCES;
	case RTN_THROW:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

/* First alias with fa_tos <= tos and (fa_tos < tos or priority >= prio). */
static struct fib_alias *
fib_find_alias(struct fib_node *fn, uint8_t tos, uint32_t prio)
{
	struct fib_alias *fa;

	for (fa = fn->fn_alias; fa != NULL; fa = fa->fa_next)
		if (fa->fa_tos <= tos &&
		    (fa->fa_tos < tos || fa->fa_info->fib_priority >= prio))
			return fa;
	return NULL;
}

static size_t fib_alias_ext;	/* aliases from ip_fib_alias */

size_t
fib_alias_ext_count(void)
{
	return fib_alias_ext;
}

static struct fib_alias *
fa_alloc(struct fib_node *fn)
{
	struct fib_alias *fa;

	if (fn->fn_emb == FA_EMB_FREE) {
		fn->fn_emb = FA_EMB_USED;
		return &fn->fn_embedded_alias;
	}
	if ((fa = kmem_cache_alloc(fib_alias_cache, 0)) != NULL)
		fib_alias_ext++;
	return fa;
}

/* A new alias of @fn for the route @cfg (info @fi), to go before @next. */
static struct fib_alias *
fa_new(struct fib_node *fn, struct fib_info *fi, const struct fib_config *cfg,
    struct fib_alias *next)
{
	struct fib_alias *fa = fa_alloc(fn);

	if (fa == NULL)
		return NULL;
	fa->fa_next = next;
	fa->fa_info = fi;
	fa->fa_tos = cfg->fc_tos;
	fa->fa_type = cfg->fc_type;
	fa->fa_scope = fi->fib_scope;
	fa->fa_state = 0;
	return fa;
}

static void
fa_free(struct fib_node *fn, struct fib_alias *fa)
{
	if (fa == &fn->fn_embedded_alias)
		fn->fn_emb = FA_EMB_RETIRED;	/* never reused: readers */
	else {
		fib_alias_ext--;
		kmem_cache_free_rcu(fib_alias_cache, fa);
	}
}

/* The pointer that points at @fa in @fn's list. */
static struct fib_alias **
fa_link(struct fib_node *fn, struct fib_alias *fa)
{
	struct fib_alias **pp = &fn->fn_alias;

	while (*pp != fa)
		pp = &(*pp)->fa_next;
	return pp;
}

static void
fn_unlink_node(struct fib_table *tb, struct fn_zone *fz, struct fib_node *fn)
{
	fn_summary_del(tb, fn);
	fz_table_remove(fz->fz_tab, fn, fz->fz_order);
	fz->fz_nent--;
	WRITE_ONCE(tb->tb_nodes, tb->tb_nodes - 1);	/* listings read it */
	kmem_cache_free_rcu(fib_node_cache, fn);
}

static void
fn_remove_alias(struct fib_table *tb, struct fn_zone *fz, struct fib_node *fn,
    struct fib_alias *fa)
{
	struct fib_alias **pp = fa_link(fn, fa);
	struct fib_info *fi = fa->fa_info;

	rcu_assign_pointer(*pp, fa->fa_next);
	WRITE_ONCE(tb->tb_aliases, tb->tb_aliases - 1);
	fa_free(fn, fa);
	if (fn->fn_alias == NULL)
		fn_unlink_node(tb, fz, fn);	/* frees the node after a GP */
	fib_release_info(fi);
}

/**
 * fib_table_insert - add a route to @tb with the NLM_F_* semantics.
 * Return: 0, or -EINVAL, -EEXIST, -ENOENT, -ENOBUFS, or a fib_info error.
 */
int
fib_table_insert(struct fib_table *tb, const struct fib_config *cfg)
{
	struct fib_alias *fa = NULL, *fa_first, *fa_match = NULL, *nfa, **pp;
	struct fib_info *fi;
	struct fib_node *fn;
	struct fn_zone *fz;
	uint32_t key, mask, flags = cfg->fc_nlflags;
	uint8_t tos = cfg->fc_tos;
	int err;

	if (cfg->fc_dst_len > 32)
		return -EINVAL;
	if (tos & 0x03)
		return -EINVAL;		/* ECN bits */
	key = ntohl(cfg->fc_dst);
	mask = fz_mask_of(cfg->fc_dst_len);
	if (key & ~mask)
		return -EINVAL;
	if ((err = fib_create_info(cfg, &fi)) != 0)
		return err;
	if ((fz = tb->fn_zones[cfg->fc_dst_len]) == NULL &&
	    (fz = fn_new_zone(tb, cfg->fc_dst_len)) == NULL) {
		err = -ENOBUFS;
		goto out;
	}
	fn_maybe_grow(fz);
	fn = fn_zone_find(fz, key, NULL);
	if (fn != NULL)
		fa = fib_find_alias(fn, tos, fi->fib_priority);

	if (fa != NULL && fa->fa_tos == tos &&
	    fa->fa_info->fib_priority == fi->fib_priority) {
		struct fib_alias *f;

		err = -EEXIST;
		if (flags & NLM_F_EXCL)
			goto out;
		fa_first = fa;
		for (f = fa; f != NULL; f = f->fa_next) {
			if (f->fa_tos != tos ||
			    f->fa_info->fib_priority != fi->fib_priority)
				break;
			if (f->fa_type == cfg->fc_type && f->fa_info == fi) {
				fa_match = f;
				break;
			}
		}
		if (flags & NLM_F_REPLACE) {
			if (fa_match != NULL) {
				if (fa_match == fa_first)
					err = 0;
				goto out;
			}
			nfa = fa_new(fn, fi, cfg, fa_first->fa_next);
			if (nfa == NULL) {
				err = -ENOBUFS;
				goto out;
			}
			pp = fa_link(fn, fa_first);
			rcu_assign_pointer(*pp, nfa);
			fib_release_info(fa_first->fa_info);
			fa_free(fn, fa_first);
			fib_bump_genid();
			return 0;
		}
		if (fa_match != NULL)
			goto out;
		if (flags & NLM_F_APPEND) {
			/* after the run of equal (tos, priority) */
			for (f = fa_first; f != NULL; f = f->fa_next)
				if (f->fa_tos != tos ||
				    f->fa_info->fib_priority != fi->fib_priority)
					break;
			fa = f;
		} else {
			fa = fa_first;
		}
	}
	err = -ENOENT;
	if (!(flags & NLM_F_CREATE))
		goto out;

	err = -ENOBUFS;
	if (fn == NULL) {
		if ((fn = kmem_cache_alloc(fib_node_cache, 0)) == NULL)
			goto out;
		fn->fn_key = key;
		fn->fn_plen = cfg->fc_dst_len;
		fn->fn_emb = FA_EMB_FREE;
		/* the node's embedded alias: cannot fail */
		fn->fn_alias = fa_new(fn, fi, cfg, NULL);
		if (fz_table_put(fz->fz_tab, fn, fz->fz_order) != 0 &&
		    (fz_rebuild(fz, fz->fz_tab->nbuckets * 2) != 0 ||
		    fz_table_put(fz->fz_tab, fn, fz->fz_order) != 0)) {
			kmem_cache_free(fib_node_cache, fn);
			goto out;
		}
		fz->fz_nent++;
		/* a big table: every lookup reads its summary, keep it in
		 * one TLB entry (see kvmalloc.c) */
		WRITE_ONCE(tb->tb_nodes, tb->tb_nodes + 1);
		if (tb->tb_nodes == FN_SUM_HUGE_NODES)
			kv_advise_huge(tb->tb_sum);
		fn_summary_add(tb, fn);
	} else {
		/* before fa (the list stays sorted by tos down, then
		 * priority up), or at the tail */
		if ((nfa = fa_new(fn, fi, cfg, fa)) == NULL)
			goto out;
		pp = fa_link(fn, fa);
		rcu_assign_pointer(*pp, nfa);
	}
	WRITE_ONCE(tb->tb_aliases, tb->tb_aliases + 1);
	fib_bump_genid();
	return 0;
out:
	fib_release_info(fi);
	return err;
}

/* The first alias of @fn that @cfg selects, as a delete does. */
static struct fib_alias *
fn_find_route(struct fib_node *fn, const struct fib_config *cfg)
{
	struct fib_alias *fa = fib_find_alias(fn, cfg->fc_tos, 0);

	for (; fa != NULL && fa->fa_tos == cfg->fc_tos; fa = fa->fa_next) {
		struct fib_info *fi = fa->fa_info;

		if (cfg->fc_type && fa->fa_type != cfg->fc_type)
			continue;
		if (cfg->fc_scope != RT_SCOPE_NOWHERE &&
		    fa->fa_scope != cfg->fc_scope)
			continue;
		if (cfg->fc_protocol && fi->fib_protocol != cfg->fc_protocol)
			continue;
		if (cfg->fc_prefsrc && fi->fib_prefsrc != cfg->fc_prefsrc)
			continue;
		if (fib_nh_match(cfg, fi) != 0)
			continue;
		return fa;
	}
	return NULL;
}

/**
 * fib_table_delete - remove the first route of @tb that @cfg selects.
 * Return: 0, -EINVAL (bad prefix) or -ESRCH (no such route).
 */
int
fib_table_delete(struct fib_table *tb, const struct fib_config *cfg)
{
	struct fib_alias *fa;
	struct fib_node *fn;
	struct fn_zone *fz;
	uint32_t key, mask;

	if (cfg->fc_dst_len > 32)
		return -EINVAL;
	key = ntohl(cfg->fc_dst);
	mask = fz_mask_of(cfg->fc_dst_len);
	if (key & ~mask)
		return -EINVAL;
	if ((fz = tb->fn_zones[cfg->fc_dst_len]) == NULL)
		return -ESRCH;
	if ((fn = fn_zone_find(fz, key, NULL)) == NULL)
		return -ESRCH;
	if ((fa = fn_find_route(fn, cfg)) == NULL)
		return -ESRCH;
	fn_remove_alias(tb, fz, fn, fa);
	fib_bump_genid();
	return 0;
}

/**
 * fib_table_move_last - put the route @cfg selects after the others of
 * its prefix, tos and priority, where NLM_F_APPEND puts a new one: a
 * dump lists a prefix's routes in the kernel's order, which a mirror
 * that had some of them already keeps by moving each as it comes.  The
 * copy is linked before the original goes, so readers never miss it.
 * Return: 0, -EINVAL (bad prefix), -ESRCH (no such route), -ENOBUFS.
 */
int
fib_table_move_last(struct fib_table *tb, const struct fib_config *cfg)
{
	struct fib_alias *fa, *last, *nfa;
	struct fib_node *fn;
	struct fn_zone *fz;
	uint32_t key = ntohl(cfg->fc_dst);

	if (cfg->fc_dst_len > 32 || (key & ~fz_mask_of(cfg->fc_dst_len)))
		return -EINVAL;
	if ((fz = tb->fn_zones[cfg->fc_dst_len]) == NULL ||
	    (fn = fn_zone_find(fz, key, NULL)) == NULL ||
	    (fa = fn_find_route(fn, cfg)) == NULL)
		return -ESRCH;
	for (last = fa; last->fa_next != NULL &&
	    last->fa_next->fa_tos == fa->fa_tos &&
	    last->fa_next->fa_info->fib_priority ==
	    fa->fa_info->fib_priority; last = last->fa_next)
		;
	if (last == fa)
		return 0;
	if ((nfa = fa_alloc(fn)) == NULL)
		return -ENOBUFS;
	*nfa = *fa;
	nfa->fa_next = last->fa_next;
	fa->fa_info->fib_treeref++;	/* the copy's; the original's goes */
	rcu_assign_pointer(last->fa_next, nfa);
	tb->tb_aliases++;
	fn_remove_alias(tb, fz, fn, fa);
	fib_bump_genid();
	return 0;
}

/* ------------------------------------------------------------------ lookup */

#define FN_NOMATCH	1
/*
 * A nexthop-object route of the node did not fit the flow (its device
 * is not the flow's oif, or it is dead or linkdown): the kernel's
 * fib_table_lookup leaves the trie leaf there ("goto miss") and
 * backtracks, so neither the node's later routes nor those of shorter
 * prefixes of the same key (the same leaf: 10.0.0.0/17, /16 and /8) are
 * tried; the lookup goes on below them (fn_skip_below).
 */
#define FN_MISSKEY	2

static int
fn_semantic_match(struct fib_table *tb, struct fib_node *fn,
    const struct flowi4 *fl4, struct fib_result *res)
{
	struct fib_alias *fa;
	uint8_t tos = fl4->flowi4_tos & 0x1c;
	int err;

	for (fa = rcu_dereference(fn->fn_alias); fa != NULL;
	    fa = rcu_dereference(fa->fa_next)) {
		struct fib_info *fi = fa->fa_info;

		if (fa->fa_tos != 0 && fa->fa_tos != tos)
			continue;
		/*
		 * No fib_dead check (the kernel has one): an alias replaced
		 * under us is still the old answer, and skipping it would
		 * fall through to a shorter prefix, an answer the FIB never
		 * gave.  RCU keeps its fib_info valid until we are done.
		 */
		if (fa->fa_scope < fl4->flowi4_scope)
			continue;
		res->prefix = htonl(fn->fn_key);
		res->prefixlen = fn->fn_plen;
		res->type = fa->fa_type;
		res->scope = fa->fa_scope;
		res->tos = fa->fa_tos;
		res->table = tb->tb_id;
		res->fi = fi;
		res->nhc = NULL;
		res->nh_sel = 0;
		if ((err = fib_route_type_error(fa->fa_type)) != 0)
			return err;
		if (READ_ONCE(fi->fib_flags) & RTNH_F_DEAD)
			continue;
		if (fib_match_alias_nh(fi, fl4, res) == 0)
			return 0;
		if (fi->nh != NULL)
			return nexthop_is_blackhole(fi->nh) ? -EINVAL :
			    FN_MISSKEY;
	}
	return FN_NOMATCH;
}

/* After FN_MISSKEY at @res's prefix: the lengths left to try are those
 * below the shortest one that gives the same key (the prefix's last one
 * bit); none when the key is 0.0.0.0. */
static inline unsigned int
fn_skip_below(const struct fib_result *res)
{
	uint32_t k = ntohl(res->prefix);

	return k == 0 ? 0 : 32 - (unsigned int)__builtin_ctz(k);
}

static inline __attribute__((always_inline)) int
fn_probe(struct fib_table *tb, struct fn_zone *fz, uint32_t key,
    const struct flowi4 *fl4, struct fib_result *res)
{
	struct fib_node *fn;

	res->probes++;
	if ((fn = fn_zone_find(fz, key & fz->fz_mask, NULL)) == NULL)
		return FN_NOMATCH;
	return fn_semantic_match(tb, fn, fl4, res);
}

/* After FN_MISSKEY: the new bound, noted in @b when there is one. */
static inline unsigned int
fn_missed(const struct fib_result *res, struct fib_bound *b)
{
	unsigned int below = fn_skip_below(res);

	if (b != NULL) {
		if (b->miss == 33)
			b->miss = res->prefixlen;
		b->below = below;
	}
	return below;
}

/*
 * The lookup of fib_table_lookup, with lengths from @b->below down only;
 * @b->miss (when not NULL-ed by the caller) keeps the longest length a
 * nexthop that does not fit the flow ended the node at (FN_MISSKEY), 33
 * if none, and @b->below the bound the walk ended with.
 */
static inline __attribute__((always_inline)) int
fn_lookup(struct fib_table *tb, const struct flowi4 *fl4,
    struct fib_result *res, struct fib_bound *b)
{
	uint32_t key = ntohl(fl4->daddr);
	const struct fn_summary *s = &tb->tb_sum[key >> 16];
	uint32_t lm = READ_ONCE(((struct fn_summary *)s)->lenmask);
	unsigned int below = b != NULL ? b->below : 33;
	struct fib_node *best;
	struct fn_zone *fz;
	int err;

	while (lm != 0) {
		unsigned int bit = 31 - __builtin_clz(lm);

		lm &= ~(1U << bit);
		if (17 + bit >= below)
			continue;
		fz = rcu_dereference(tb->fn_zones[17 + bit]);
		if (fz == NULL)
			continue;
		err = fn_probe(tb, fz, key, fl4, res);
		if (err == FN_MISSKEY)
			below = fn_missed(res, b);
		else if (err != FN_NOMATCH)
			return err;
	}
	best = rcu_dereference(((struct fn_summary *)s)->best);
	if (best == NULL)
		return -EAGAIN;
	if (best->fn_plen < below) {
		res->probes++;
		err = fn_semantic_match(tb, best, fl4, res);
		if (err == FN_MISSKEY)
			below = fn_missed(res, b);
		else if (err != FN_NOMATCH)
			return err;
	}
	/* the best prefix did not fit the flow: shorter ones, one by one */
	for (fz = rcu_dereference(tb->fn_zone_list); fz != NULL;
	    fz = rcu_dereference(fz->fz_next)) {
		if (fz->fz_order >= best->fn_plen || fz->fz_order >= below)
			continue;
		err = fn_probe(tb, fz, key, fl4, res);
		if (err == FN_MISSKEY)
			below = fn_missed(res, b);
		else if (err != FN_NOMATCH)
			return err;
	}
	return -EAGAIN;
}

/**
 * fib_table_lookup - longest-prefix match in one table.
 *
 * The /16 summary names the zones above /16 that hold a prefix under
 * the destination's /16, longest first, and the best prefix of length
 * 16 or less; the zones below that prefix are walked only when none of
 * its routes fits the flow.
 * Return: 0, -EAGAIN (no match or throw), or the route's error.
 */
int
fib_table_lookup(struct fib_table *tb, const struct flowi4 *fl4,
    struct fib_result *res)
{
	return fn_lookup(tb, fl4, res, NULL);
}

/* fib_table_lookup within and telling @b (fib_internal.h). */
int
fib_table_lookup_bounded(struct fib_table *tb, const struct flowi4 *fl4,
    struct fib_result *res, struct fib_bound *b)
{
	return fn_lookup(tb, fl4, res, b);
}

/* ----------------------------------------------------------- bulk walks */

/**
 * fn_table_for_each - call @cb for every alias of @tb with its zone and
 * node, zone by zone from the longest prefixes.  @cb may remove the
 * alias it was given (fn_remove_alias), nothing else.  Writer only.
 * Return: @cb's first non-zero return, or 0.
 */
int
fn_table_for_each(struct fib_table *tb, fn_alias_fn cb, void *arg)
{
	struct fn_zone *fz;
	unsigned int b, i;
	int rv;

	for (fz = tb->fn_zone_list; fz != NULL; fz = fz->fz_next) {
		struct fz_table *t = fz->fz_tab;

		for (b = 0; b < t->nbuckets; b++) {
			for (i = 0; i < FZ_SLOTS; i++) {
				struct fib_node *fn = t->b[b].node[i];
				struct fib_alias *fa, *next;

				if (fn == NULL)
					continue;
				for (fa = fn->fn_alias; fa != NULL; fa = next) {
					next = fa->fa_next;
					if ((rv = cb(tb, fz, fn, fa, arg)) != 0)
						return rv;
				}
			}
		}
	}
	return 0;
}

struct remove_ctx {
	fa_pred_t	 pred;
	const void	*arg;
	int		 found;
};

static int
remove_cb(struct fib_table *tb, struct fn_zone *fz, struct fib_node *fn,
    struct fib_alias *fa, void *arg)
{
	struct remove_ctx *r = arg;

	if (r->pred(tb, fn, fa, r->arg)) {
		r->found++;
		fn_remove_alias(tb, fz, fn, fa);
	}
	return 0;
}

/* Remove every alias of @tb for which @pred says yes; count them. */
int
fn_table_remove_if(struct fib_table *tb, fa_pred_t pred, const void *arg)
{
	struct remove_ctx r = { pred, arg, 0 };

	(void)fn_table_for_each(tb, remove_cb, &r);
	if (r.found)
		fib_bump_genid();
	return r.found;
}

static int
pred_dead(const struct fib_table *tb, const struct fib_node *fn,
    const struct fib_alias *fa, const void *arg)
{
	return *(const int *)arg ||
	    (READ_ONCE(fa->fa_info->fib_flags) & RTNH_F_DEAD);
}

int
fn_table_flush_dead(struct fib_table *tb, int all)
{
	return fn_table_remove_if(tb, pred_dead, &all);
}

static int
pred_nh(const struct fib_table *tb, const struct fib_node *fn,
    const struct fib_alias *fa, const void *arg)
{
	const struct nexthop *nh = arg;
	const struct nexthop *fnh = fa->fa_info->nh;
	int i;

	if (fnh == NULL)
		return 0;
	if (fnh == nh)
		return 1;
	if (fnh->is_group)
		for (i = 0; i < fnh->num_nh; i++)
			if (fnh->grp[i].nh == nh)
				return fnh->num_nh == 1;
	return 0;
}

int
fn_table_flush_nh(struct fib_table *tb, const struct nexthop *nh)
{
	return fn_table_remove_if(tb, pred_nh, nh);
}

static int
pred_prefsrc(const struct fib_table *tb, const struct fib_node *fn,
    const struct fib_alias *fa, const void *arg)
{
	return fa->fa_info->fib_prefsrc == *(const uint32_t *)arg;
}

int
fn_table_flush_prefsrc(struct fib_table *tb, uint32_t addr)
{
	return fn_table_remove_if(tb, pred_prefsrc, &addr);
}

void
fn_table_free(struct fib_table *tb)
{
	struct fn_zone *fz, *next;
	int all = 1;

	fn_table_flush_dead(tb, all);
	for (fz = tb->fn_zone_list; fz != NULL; fz = next) {
		next = fz->fz_next;
		kvfree(fz->fz_tab);
		free(fz);
	}
	kvfree(tb->tb_sum);
	kvfree(tb->tb_sumcnt);
	free(tb);
}

void
fn_table_mem(struct fib_table *tb, struct fib_mem_stats *st)
{
	struct fn_zone *fz;

	for (fz = tb->fn_zone_list; fz != NULL; fz = fz->fz_next)
		st->hash_bytes += fz_table_bytes(fz->fz_tab) + sizeof(*fz);
	st->summary_bytes += FN_BLOCKS * sizeof(struct fn_summary) +
	    (size_t)FN_BLOCKS * 16 * sizeof(uint32_t);
	st->nodes += tb->tb_nodes;
	st->aliases += tb->tb_aliases;
}

/* ------------------------------------------------------------- prefetch */

/**
 * fib_prefetch - start fetching what a lookup of @daddr (network order)
 * in table @id will read, so a batch of lookups overlaps its misses.
 * @stage 0: the /16 summary entry; stage 1 (some lookups later, when
 * the summary is in cache): the bucket of the longest zone it names and
 * the fallback node.  Reads only; no effect on answers.
 */
void
fib_prefetch(uint32_t id, uint32_t daddr, int stage)
{
	struct fib_table *tb = fib_get_table(id);
	uint32_t key = ntohl(daddr);
	const struct fn_summary *s;
	const struct fz_table *t;
	struct fn_zone *fz;
	uint32_t lm;

	if (tb == NULL)
		return;
	s = &tb->tb_sum[key >> 16];
	if (stage == 0) {
		__builtin_prefetch(s);
		return;
	}
	lm = READ_ONCE(((struct fn_summary *)s)->lenmask);
	__builtin_prefetch(rcu_dereference(((struct fn_summary *)s)->best));
	if (lm == 0)
		return;
	fz = rcu_dereference(tb->fn_zones[17 + 31 - __builtin_clz(lm)]);
	if (fz == NULL)
		return;
	t = rcu_dereference(fz->fz_tab);
	__builtin_prefetch(&t->b[fn_hashfn(key & fz->fz_mask, fz->fz_order) &
	    t->bmask]);
}
