/* SPDX-License-Identifier: MIT */
/*
 * rt_names.c - the route name tables (rt_names.h): iproute2's built-in
 * names for types, scopes, protocols, tables, realms and device groups,
 * and its files.
 *
 * Each kind is described by one row of names_defs: its default names,
 * the spellings a2n accepts besides them, its file and directory, and the
 * largest number it takes.  The first lookup of a kind reads its files
 * under a lock, as iproute2's lib/rt_names.c does on first use:
 * <etc>/FILE, or <usr>/FILE when that does not exist; then the *.conf
 * files of <usr>/FILE.d that <etc>/FILE.d does not shadow, then those of
 * <etc>/FILE.d (in name order).  A file entry replaces the default name
 * of its id.  Ids below 256 print from a direct array; tables and groups,
 * whose ids are 32 bits wide, keep every entry in a list, newest last.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>

#include "rtcache/compiler.h"
#include "base/log.h"
#include "base/rt_names.h"

#define RT_NAMES_ETC	"/etc/iproute2"
#define RT_NAMES_USR	"/usr/share/iproute2"

struct rt_name {
	uint32_t	 id;
	const char	*name;
};

/* A spelling a2n accepts besides the printed names. */
struct rt_alias {
	const char	*word;
	uint32_t	 id;
	bool		 prefix;	/* any non-empty prefix of word too */
};

struct rt_names_def {
	const char		*file;		/* NULL: built in only */
	const char		*dir;		/* "FILE.d", or NULL */
	bool			 wide;		/* ids beyond 255: a list */
	bool			 parse_names;	/* a2n takes printed names */
	uint32_t		 max;		/* largest number a2n takes */
	const struct rt_name	*dflt;		/* ends with a NULL name */
	const struct rt_alias	*alias;		/* ends with a NULL word */
};

/* ip/rtm_map.c: the type names; only these spellings are parsed, in
 * this order, so that "b" is broadcast and "u" unreachable. */
static const struct rt_name type_names[] = {
	{ 0, "none" }, { 1, "unicast" }, { 2, "local" }, { 3, "broadcast" },
	{ 4, "anycast" }, { 5, "multicast" }, { 6, "blackhole" },
	{ 7, "unreachable" }, { 8, "prohibit" }, { 9, "throw" },
	{ 10, "nat" }, { 11, "xresolve" }, { 0, NULL },
};
static const struct rt_alias type_alias[] = {
	{ "local", 2, false }, { "nat", 10, false },
	{ "broadcast", 3, true }, { "brd", 3, false },
	{ "anycast", 4, true }, { "multicast", 5, true },
	{ "prohibit", 8, true }, { "unreachable", 7, true },
	{ "blackhole", 6, true }, { "xresolve", 11, true },
	{ "unicast", 1, true }, { "throw", 9, false }, { NULL, 0, false },
};

static const struct rt_name scope_names[] = {
	{ 0, "global" }, { 255, "nowhere" }, { 254, "host" },
	{ 253, "link" }, { 200, "site" }, { 0, NULL },
};
/* the kernel's RT_SCOPE_UNIVERSE */
static const struct rt_alias scope_alias[] = {
	{ "universe", 0, false }, { NULL, 0, false },
};

static const struct rt_name proto_names[] = {
	{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" }, { 3, "boot" },
	{ 4, "static" }, { 8, "gated" }, { 9, "ra" }, { 10, "mrt" },
	{ 11, "zebra" }, { 12, "bird" }, { 13, "dnrouted" }, { 14, "xorp" },
	{ 15, "ntk" }, { 16, "dhcp" }, { 18, "keepalived" }, { 42, "babel" },
	{ 99, "openr" }, { 186, "bgp" }, { 187, "isis" }, { 188, "ospf" },
	{ 189, "rip" }, { 192, "eigrp" }, { 0, NULL },
};

/* "unspec" (0) comes from the rt_tables file, as with ip. */
static const struct rt_name table_names[] = {
	{ 253, "default" }, { 254, "main" }, { 255, "local" }, { 0, NULL },
};

static const struct rt_name realm_names[] = {
	{ 0, "unknown" }, { 0, NULL },
};

/* lib/rt_names.c's dflt_group_entry */
static const struct rt_name group_names[] = {
	{ 0, "default" }, { 0, NULL },
};

static const struct rt_alias no_alias[] = { { NULL, 0, false } };

static const struct rt_names_def names_defs[RT_NAMES_NKINDS] = {
	[RT_NAMES_TYPE] = { NULL, NULL, false, false, 255,
	    type_names, type_alias },
	[RT_NAMES_SCOPE] = { "rt_scopes", NULL, false, true, 255,
	    scope_names, scope_alias },
	[RT_NAMES_PROTO] = { "rt_protos", "rt_protos.d", false, true, 255,
	    proto_names, no_alias },
	[RT_NAMES_TABLE] = { "rt_tables", "rt_tables.d", true, true,
	    UINT32_MAX, table_names, no_alias },
	[RT_NAMES_REALM] = { "rt_realms", NULL, false, true, 255,
	    realm_names, no_alias },
	[RT_NAMES_GROUP] = { "group", NULL, true, true, UINT32_MAX,
	    group_names, no_alias },
};

struct rt_names_state {
	bool		 loaded;	/* release-stored under names_lock */
	const char	*byid[256];	/* narrow kinds: the printed names */
	struct rt_name	*list;		/* wide kinds: every entry */
	size_t		 nlist, caplist;
	char		**owned;	/* strings read from files */
	size_t		 nowned, capowned;
};

static struct rt_names_state names_state[RT_NAMES_NKINDS];
static pthread_mutex_t names_lock = PTHREAD_MUTEX_INITIALIZER;
static char names_etc[1024] = RT_NAMES_ETC;
static char names_usr[1024] = RT_NAMES_USR;

static bool
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return true;
	c = *cap ? *cap * 2 : 16;
	if ((p = realloc(*v, c * size)) == NULL)
		return false;
	*v = p;
	*cap = c;
	return true;
}

static void
names_add(struct rt_names_state *st, const struct rt_names_def *def,
    uint32_t id, const char *name, bool copy)
{
	char *s = NULL;

	if (!def->wide && id > 255)
		return;
	if (copy) {
		if (!grow((void **)&st->owned, &st->capowned, st->nowned,
		    sizeof(*st->owned)) || (s = strdup(name)) == NULL)
			return;
		st->owned[st->nowned++] = s;
		name = s;
	}
	if (!def->wide) {
		st->byid[id] = name;
		return;
	}
	if (!grow((void **)&st->list, &st->caplist, st->nlist,
	    sizeof(*st->list)))
		return;
	st->list[st->nlist].id = id;
	st->list[st->nlist++].name = name;
}

/*
 * One line of a names file, as iproute2's fread_id_name reads it: "ID
 * NAME", ID decimal or 0x hex, anything after NAME ignored; blank lines
 * and '#' comments skipped.  1 with *@id and *@name set, 0 to skip the
 * line, -1 when it is malformed.
 */
static int
names_parse_line(char *p, long *id, char **name)
{
	char *end;

	p += strspn(p, " \t");
	if (*p == '#' || *p == '\n' || *p == '\0')
		return 0;
	errno = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		*id = strtol(p + 2, &end, 16);
		if (end == p + 2)
			end = p;
	} else
		*id = strtol(p, &end, 10);
	if (end == p)
		return -1;
	p = end + strspn(end, " \t");
	if ((end = p + strcspn(p, " \t\r\n")) == p)
		return -1;
	*end = '\0';
	*name = p;
	if (errno != 0 || *id < 0 || *id > INT_MAX)
		return 0;
	return 1;
}

static int
names_read_file(struct rt_names_state *st, const struct rt_names_def *def,
    const char *path)
{
	char *line = NULL, *name;
	size_t cap = 0;
	FILE *f;
	long id;
	int rv;

	if ((f = fopen(path, "re")) == NULL)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		if ((rv = names_parse_line(line, &id, &name)) < 0) {
			line[strcspn(line, "\n")] = '\0';
			log_msg(LOG_WARNING, "Database %s is corrupted at %s",
			    path, line);
			break;
		}
		if (rv > 0)
			names_add(st, def, (uint32_t)id, name, true);
	}
	free(line);
	fclose(f);
	return 0;
}

static int
conf_filter(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return de->d_name[0] != '.' && n > 5 &&
	    strcmp(de->d_name + n - 5, ".conf") == 0;
}

/* The *.conf files of @base/@dir, less those @shadow/@dir also has. */
static void
names_read_dir(struct rt_names_state *st, const struct rt_names_def *def,
    const char *base, const char *shadow)
{
	char path[PATH_MAX];
	struct dirent **de;
	struct stat sb;
	int i, n;

	snprintf(path, sizeof(path), "%s/%s", base, def->dir);
	if ((n = scandir(path, &de, conf_filter, alphasort)) < 0)
		return;
	for (i = 0; i < n; i++) {
		if (shadow != NULL) {
			snprintf(path, sizeof(path), "%s/%s/%s", shadow,
			    def->dir, de[i]->d_name);
			if (lstat(path, &sb) == 0)
				goto next;
		}
		snprintf(path, sizeof(path), "%s/%s/%s", base, def->dir,
		    de[i]->d_name);
		names_read_file(st, def, path);
next:
		free(de[i]);
	}
	free(de);
}

static struct rt_names_state *
names_get(enum rt_names_kind kind)
{
	struct rt_names_state *st = &names_state[kind];
	const struct rt_names_def *def = &names_defs[kind];
	const struct rt_name *d;
	char path[PATH_MAX];

	if (smp_load_acquire(&st->loaded))
		return st;
	pthread_mutex_lock(&names_lock);
	if (!st->loaded) {
		for (d = def->dflt; d->name != NULL; d++)
			names_add(st, def, d->id, d->name, false);
		if (def->file != NULL) {
			snprintf(path, sizeof(path), "%s/%s", names_etc,
			    def->file);
			if (names_read_file(st, def, path) == -ENOENT) {
				snprintf(path, sizeof(path), "%s/%s",
				    names_usr, def->file);
				names_read_file(st, def, path);
			}
		}
		if (def->dir != NULL) {
			names_read_dir(st, def, names_usr, names_etc);
			names_read_dir(st, def, names_etc, NULL);
		}
		smp_store_release(&st->loaded, true);
	}
	pthread_mutex_unlock(&names_lock);
	return st;
}

/* Wide kinds: the name of the newest entry for @id, or NULL. */
static const char *
list_name(const struct rt_names_state *st, uint32_t id)
{
	size_t i;

	for (i = st->nlist; i-- > 0;)
		if (st->list[i].id == id)
			return st->list[i].name;
	return NULL;
}

const char *
rt_names_n2a(enum rt_names_kind kind, uint32_t id, char *buf, size_t len)
{
	const struct rt_names_state *st = names_get(kind);
	const char *name;

	if (names_defs[kind].wide)
		name = list_name(st, id);
	else
		name = id < 256 ? st->byid[id] : NULL;
	if (name != NULL)
		return name;
	snprintf(buf, len, "%u", id);
	return buf;
}

/*
 * @word among the names: narrow kinds in id order; tables as iproute2's
 * hash finds them, by id modulo 256, then newest first.  @printed: only
 * a name n2a prints for its id.
 */
static bool
names_find(enum rt_names_kind kind, const char *word, bool printed,
    uint32_t *id)
{
	const struct rt_names_state *st = names_get(kind);
	const struct rt_name *e;
	unsigned int b;
	size_t i;

	if (!names_defs[kind].wide) {
		for (b = 0; b < 256; b++)
			if (st->byid[b] != NULL &&
			    strcmp(st->byid[b], word) == 0) {
				*id = b;
				return true;
			}
		return false;
	}
	for (b = 0; b < 256; b++)
		for (i = st->nlist; i-- > 0;) {
			e = &st->list[i];
			if ((e->id & 255) != b || strcmp(e->name, word) != 0)
				continue;
			if (printed && list_name(st, e->id) != e->name)
				continue;
			*id = e->id;
			return true;
		}
	return false;
}

int
rt_names_a2n(enum rt_names_kind kind, const char *name, uint32_t *id)
{
	const struct rt_names_def *def = &names_defs[kind];
	const struct rt_alias *a;
	unsigned long v;
	char *end;

	if (name[0] == '\0')
		return -EINVAL;
	if (def->parse_names && names_find(kind, name, false, id))
		return 0;
	for (a = def->alias; a->word != NULL; a++)
		if (a->prefix ? strncmp(a->word, name, strlen(name)) == 0 :
		    strcmp(a->word, name) == 0) {
			*id = a->id;
			return 0;
		}
	errno = 0;
	v = strtoul(name, &end, 0);
	if (end == name || *end != '\0' || errno != 0 || v > def->max)
		return -EINVAL;
	*id = (uint32_t)v;
	return 0;
}

bool
rt_names_printed(enum rt_names_kind kind, const char *word, uint32_t *id)
{
	return names_find(kind, word, true, id);
}

void
rt_names_set_confdir(const char *etc, const char *usr)
{
	struct rt_names_state *st;
	size_t i;
	int k;

	pthread_mutex_lock(&names_lock);
	for (k = 0; k < RT_NAMES_NKINDS; k++) {
		st = &names_state[k];
		for (i = 0; i < st->nowned; i++)
			free(st->owned[i]);
		free(st->owned);
		free(st->list);
		memset(st, 0, sizeof(*st));
	}
	snprintf(names_etc, sizeof(names_etc), "%s",
	    etc != NULL ? etc : RT_NAMES_ETC);
	snprintf(names_usr, sizeof(names_usr), "%s",
	    usr != NULL ? usr : RT_NAMES_USR);
	pthread_mutex_unlock(&names_lock);
}
