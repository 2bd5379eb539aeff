/* SPDX-License-Identifier: MIT */
/*
 * base/rt_names.h - the names of route types, scopes, protocols, tables,
 * realms and device groups, as iproute2 prints and reads them: its
 * built-in defaults plus the files of /etc/iproute2 (rt_scopes, rt_protos,
 * rt_tables, rt_realms, group, and the rt_protos.d and rt_tables.d
 * directories), with
 * /usr/share/iproute2 where iproute2 6.5 and later look too.  A kind's
 * files are read once, on its first lookup.
 *
 * n2a gives the name (or the decimal number when there is none, as ip
 * prints it); a2n takes a name, an alias ip accepts (type "brd" or a
 * prefix such as "unreach", scope "universe") or a number.  The names
 * returned stay valid until rt_names_set_confdir().
 */
#ifndef RTCACHE_BASE_RT_NAMES_H
#define RTCACHE_BASE_RT_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rt_names_kind {
	RT_NAMES_TYPE,		/* rtm_type, RTN_* (built in only) */
	RT_NAMES_SCOPE,		/* rtm_scope, RT_SCOPE_* (rt_scopes) */
	RT_NAMES_PROTO,		/* rtm_protocol, RTPROT_* (rt_protos) */
	RT_NAMES_TABLE,		/* table id, 32 bits (rt_tables) */
	RT_NAMES_REALM,		/* route realm (rt_realms) */
	RT_NAMES_GROUP,		/* device group, 32 bits (group) */
	RT_NAMES_NKINDS
};

/* Room for any number n2a prints. */
#define RT_NAME_BUFSZ	12

/* The name of @id, or @id in decimal written into @buf. */
const char *rt_names_n2a(enum rt_names_kind kind, uint32_t id, char *buf,
	    size_t len);
/* @name (name, alias or number) into *@id: 0, or -EINVAL. */
int	 rt_names_a2n(enum rt_names_kind kind, const char *name, uint32_t *id);
/* Whether @word is the name n2a prints for some id (no alias, no number),
 * and which: for reading ip's own output back. */
bool	 rt_names_printed(enum rt_names_kind kind, const char *word,
	    uint32_t *id);
/*
 * Read the files from @etc (default /etc/iproute2) and @usr (default
 * /usr/share/iproute2) from now on, forgetting what was read.  For tests
 * and start-up: not while another thread looks names up.
 */
void	 rt_names_set_confdir(const char *etc, const char *usr);

/* rt_type_n2a / rt_type_a2n and the same for scope, proto, table, realm
 * and group: rt_names_n2a / rt_names_a2n of one kind, under iproute2's
 * names. */
#define RT_NAMES_KIND(kind, KIND)					\
static inline const char *						\
rt_##kind##_n2a(uint32_t id, char *buf, size_t len)			\
{									\
	return rt_names_n2a(RT_NAMES_##KIND, id, buf, len);		\
}									\
static inline int							\
rt_##kind##_a2n(const char *name, uint32_t *id)				\
{									\
	return rt_names_a2n(RT_NAMES_##KIND, name, id);			\
}
RT_NAMES_KIND(type, TYPE)
RT_NAMES_KIND(scope, SCOPE)
RT_NAMES_KIND(proto, PROTO)
RT_NAMES_KIND(table, TABLE)
RT_NAMES_KIND(realm, REALM)
RT_NAMES_KIND(group, GROUP)
#undef RT_NAMES_KIND

#endif /* RTCACHE_BASE_RT_NAMES_H */
