/* SPDX-License-Identifier: MIT */
/*
 * rtcache/list.h - intrusive doubly linked lists, kernel style.
 *
 * A struct list_head is embedded in each element; a list is a sentinel
 * list_head whose next/prev point at itself when empty.  hlist is the
 * one-pointer-head variant for hash buckets.
 */
#ifndef RTCACHE_LIST_H
#define RTCACHE_LIST_H

#include <stddef.h>

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

static inline void
INIT_LIST_HEAD(struct list_head *h)
{
	h->next = h;
	h->prev = h;
}

static inline int
list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void
__list_link(struct list_head *n, struct list_head *prev, struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void
list_add(struct list_head *n, struct list_head *head)
{
	__list_link(n, head, head->next);
}

static inline void
list_add_tail(struct list_head *n, struct list_head *head)
{
	__list_link(n, head->prev, head);
}

static inline void
list_del(struct list_head *n)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	n->next = n->prev = NULL;
}

static inline void
list_move(struct list_head *n, struct list_head *head)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	list_add(n, head);
}

static inline void
list_move_tail(struct list_head *n, struct list_head *head)
{
	n->next->prev = n->prev;
	n->prev->next = n->next;
	list_add_tail(n, head);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(h, type, member) list_entry((h)->next, type, member)
#define list_last_entry(h, type, member) list_entry((h)->prev, type, member)

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif /* RTCACHE_LIST_H */
