/* SPDX-License-Identifier: MIT */
/*
 * nl_internal.h - the mirror's state shared by the files of src/netlink
 * (sockets and sync in nl_mirror.c, applying and sweeping in nl_apply.c,
 * the timer's reads in nl_sysctl.c, multipath in nl_mp.c, questions to
 * the kernel in nl_ask.c, logging in nl_log.c) and by the white-box unit
 * tests.
 */
#ifndef RTCACHE_NL_INTERNAL_H
#define RTCACHE_NL_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/rtnetlink.h>

#include "rtcache/mirror.h"
#include "base/clock.h"
#include "base/log.h"
#include "netlink/nl_parse.h"

#define NL_EARLY_CONF	16

struct mnl_socket;
struct event;

/* How a parsed message is applied (see nl_apply.c). */
enum nl_mode {
	NLM_LIVE,	/* a notification in order: the kernel's flags */
	NLM_REPLAY,	/* a notification buffered during a sync: upsert */
	NLM_DUMP,	/* a dump entry: upsert, and mark it seen */
};

/* A set of 64-bit keys (open addressing, 0 is never stored). */
struct nl_keyset {
	uint64_t	*keys;
	size_t		 n;
	size_t		 cap;		/* power of two, or 0 */
};

/* A list of rules, in kernel order (the shadow of the FIB's rules). */
struct nl_rules {
	struct fib_rule_cfg *r;
	size_t		 n;
	size_t		 cap;
};

/* Raw notifications kept while a sync runs: [u32 len][bytes] records. */
struct nl_pending {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 count;
};

/* Address identity seen in a dump. */
struct nl_addr_key {		/* the kernel's identity of an address */
	int		 ifindex;
	uint32_t	 local;
	uint32_t	 address;	/* the peer's, or local */
	uint8_t		 prefixlen;
};

/* What one full sync has seen, for the sweeps. */
struct nl_sync {
	int		*links;
	size_t		 nlinks, caplinks;
	struct nl_addr_key *addrs;
	size_t		 naddrs, capaddrs;
	struct nl_keyset nh_seen;
	struct nl_keyset route_seen;
	struct nl_rules	 rules;
	struct fib_nexthop_cfg *groups;	/* groups, applied after the dump */
	size_t		 ngroups, capgroups;
	struct nl_pending deferred;	/* dump entries that came too early */
	struct fib_config *synth;	/* prefix routes put in ahead */
	size_t		 nsynth, capsynth;
	struct nl_keyset synth_keys, synth_seen;
	int		 retrying;
	size_t		 rule_cut;	/* pending records older: in the dump */
	uint8_t		 links_clean, addrs_clean, nh_clean, routes_clean,
			 rules_clean;
};

/*
 * The sysctl files read again on a timer (nl_sysctl.c), by id: the
 * multipath hash's three, then conf/all and conf/default of each
 * device setting (nl_conf_fields[i] at NL_SC_CONF_ALL + i and
 * NL_SC_CONF_DEFAULT + i).
 */
#define NL_SC_MP_POLICY		0
#define NL_SC_MP_FIELDS		1
#define NL_SC_MP_SEED		2
#define NL_SC_CONF_ALL		3
#define NL_SC_CONF_DEFAULT	(NL_SC_CONF_ALL + NL_CONF_NFIELDS)
#define NL_SC_N			(NL_SC_CONF_DEFAULT + NL_CONF_NFIELDS)

struct nl_sysctl {
	int		 fd[NL_SC_N];		/* opened in the namespace */
	struct event	*ev_poll;
};

/* Multipath (nl_mp.c): the hash sysctls as read, and the mode. */
struct nl_mp {
	uint64_t	 rnd;			/* probe flows */
	int		 warned;		/* hash with a random seed */
	char		 logged[96];		/* the why last logged */
	struct mirror_mp st;
};

struct mirror {
	struct event_base *base;
	struct mirror_config cfg;
	struct mnl_socket *ev_nl;	/* subscribed, never sends */
	struct mnl_socket *dump_nl;	/* requests, strict, ext ack */
	int		 ev_fd, dump_fd;
	unsigned int	 dump_portid;
	uint32_t	 seq;
	struct event	*ev_read;
	struct event	*ev_sync;
	char		*rxbuf;
	size_t		 rxsize;
	char		*dumpq_slots;	/* the dump reader's ring */
	int		 started, ready, syncing, first_done;
	int		 lost;		/* ENOBUFS seen: resync needed */
	int		 sync_scheduled;
	uint64_t	 last_sync_ns;
	uint64_t	 last_activity_ns;
	struct mirror_stats st;
	mirror_batch_fn	 batch_fn;
	void		*batch_arg;
	mirror_ready_fn	 ready_fn;
	void		*ready_arg;
	struct nl_pending pend;
	size_t		 replay_pos;	/* record being replayed */
	struct nl_sync	*sync;		/* non-NULL while a sync runs */
	struct nl_rules	 rules;		/* shadow of the FIB's rules */
	struct nl_keyset nh_ids;	/* nexthop ids the FIB holds */
	/* Netconf of a device not yet announced (RTM_NEWNETCONF comes
	 * before the device's RTM_NEWLINK). */
	struct nl_netconf early_conf[NL_EARLY_CONF];
	unsigned int	 n_early_conf;
	int		 conf_reread;	/* conf/default changed: read devices */
	struct nl_sysctl sc;
	struct nl_mp	 mp;
	int		 ask_fd;	/* the mirror's questions to the kernel */
	uint32_t	 ask_seq;
	int		 rules_ask;	/* ask about custom rules after the batch */
};

/* nl_apply.c */
int	 nl_apply(struct mirror *m, struct nl_msg *msg, enum nl_mode mode);
int	 nl_apply_nlh(struct mirror *m, const struct nlmsghdr *nlh,
	    enum nl_mode mode);
void	 nl_sync_begin(struct mirror *m, struct nl_sync *s);
void	 nl_sync_apply_groups(struct mirror *m);
void	 nl_sync_retry_deferred(struct mirror *m);
void	 nl_sync_prefix_routes(struct mirror *m);
void	 nl_sync_prefix_routes_done(struct mirror *m);
int	 nl_pending_push(struct nl_pending *p, const void *data, size_t len);
void	 nl_sync_rules(struct mirror *m);
void	 nl_sync_sweep(struct mirror *m);
void	 nl_sync_end(struct mirror *m);
void	 nl_mirror_clear(struct mirror *m);
uint64_t nl_route_key(const struct fib_config *cfg);
int	 nl_rule_eq(const struct fib_rule_cfg *a, const struct fib_rule_cfg *b);
int	 nl_conf_apply(int ifindex, const struct nl_conf *c);	/* 1 changed */

int	 nl_keyset_add(struct nl_keyset *s, uint64_t key);	/* 1 new */
int	 nl_keyset_has(const struct nl_keyset *s, uint64_t key);
int	 nl_keyset_del(struct nl_keyset *s, uint64_t key);
void	 nl_keyset_free(struct nl_keyset *s);

/* nl_ask.c */
struct nl_answer {
	int		 oif;
	uint32_t	 gw;		/* 0: direct */
	uint32_t	 table;		/* RTA_TABLE, else rtm_table */
	uint8_t		 type;		/* RTN_* */
};
int	 nl_ask_route(int fd, uint32_t *seq, const struct flowi4 *fl4,
	    int input, struct nl_answer *a);
void	 nl_ask_custom_rules(struct mirror *m);
int	 nl_ask_leg(int fd, uint32_t *seq, const struct flowi4 *fl4, int input,
	    int *oif, uint32_t *gw);
int	 nl_ask_socket(void);
void	 nl_ask_set_netns(const char *path);
int	 nl_ask_kernel(const struct flowi4 *fl4, int input, int *oif,
	    uint32_t *gw);

/* nl_mp.c */
void	 nl_mp_init(struct mirror *m);
void	 nl_mp_start(struct mirror *m);
void	 nl_mp_poll(struct mirror *m);
void	 nl_mp_synced(struct mirror *m);
void	 nl_mp_batch(struct mirror *m);
void	 nl_mp_close(struct mirror *m);

/* nl_sysctl.c */
void	 nl_sysctl_init(struct mirror *m);
void	 nl_sysctl_open(struct mirror *m);	/* in the namespace */
int	 nl_sysctl_read(const struct mirror *m, int id, unsigned long *v);
int	 nl_sysctl_start(struct mirror *m);
void	 nl_sysctl_synced(struct mirror *m);
int	 nl_sysctl_devices(struct mirror *m);	/* 1 changed */
void	 nl_sysctl_close(struct mirror *m);

/* nl_mirror.c: a short dump outside a sync, read at once (E untouched);
 * each message of ours to @fn.  Return: 0, -errno. */
int	 nl_dump_now(struct mirror *m, uint16_t type, const void *hdr,
	    size_t hdrlen, nl_msg_fn fn, void *arg);
void	 nl_batch_done(struct mirror *m);
/* The RTM_GETLINK request: every link, without statistics. */
struct nl_link_req {
	struct ifinfomsg ifi;
	struct nlattr	 ext;		/* IFLA_EXT_MASK */
	uint32_t	 ext_mask;
};
void	 nl_link_req_init(struct nl_link_req *r);

/*
 * Logging goes through the hook of base/log.h (mirror_set_log installs
 * its sink); complaints about single messages through one limiter
 * (nl_log.c): 5 lines a second, then a count of what was held back.
 */
extern struct log_rl nl_log_limit;
#define nl_log(prio, ...)	log_msg((prio), __VA_ARGS__)
#define nl_log_rl(prio, ...)	log_rl_msg(&nl_log_limit, (prio), __VA_ARGS__)

#endif /* RTCACHE_NL_INTERNAL_H */
