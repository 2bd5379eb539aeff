/* SPDX-License-Identifier: MIT */
/*
 * nl_sysctl.c - what the kernel changes without a netlink message: the
 * settings the mirror reads again when it starts, at the end of every
 * sync and on one timer (sysctl_poll_ms, 1 s by default).
 *
 *  - the multipath hash sysctls (nl_mp.c says what they mean);
 *  - conf/all and conf/default of every device setting mirrored
 *    (nl_conf_fields): netconf messages carry at most four of them, and
 *    none is sent for accept_local, route_localnet, src_valid_mark,
 *    send_redirects, shared_media or bc_forwarding;
 *  - every device's settings, from one link dump on the mirror's dump
 *    socket (each RTM_NEWLINK has the device's whole IFLA_INET_CONF).
 *    Writes to conf/default also change, silently, every device that
 *    never had that setting written (devinet_copy_dflt_conf): a netconf
 *    message for default makes the devices be read at the end of its
 *    batch too.
 *
 * The files are opened once, inside the mirrored namespace, by the
 * thread that makes the sockets there: an open file of /proc/sys/net
 * stays bound to the namespace it was opened in.  The devices are read
 * by a dump rather than from their own files: with 1000 links a dump
 * without statistics costs about 5 ms of CPU (1.1 MB), reading nine
 * files per device 11 ms through 9000 descriptors, which would also
 * have to be opened inside the namespace for every new device and
 * again after every rename.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <linux/netconf.h>

#include <event2/event.h>

#include "rtcache/netdev.h"
#include "netlink/nl_internal.h"

static const char *const sc_mp_files[NL_SC_CONF_ALL] = {
	"/proc/sys/net/ipv4/fib_multipath_hash_policy",
	"/proc/sys/net/ipv4/fib_multipath_hash_fields",
	"/proc/sys/net/ipv4/fib_multipath_hash_seed",
};

/* The file of sysctl @id. */
static void
sc_path(int id, char *buf, size_t size)
{
	int i = id - NL_SC_CONF_ALL;

	if (id < NL_SC_CONF_ALL)
		snprintf(buf, size, "%s", sc_mp_files[id]);
	else
		snprintf(buf, size, "/proc/sys/net/ipv4/conf/%s/%s",
		    i < NL_CONF_NFIELDS ? "all" : "default",
		    nl_conf_fields[i % NL_CONF_NFIELDS].name);
}

void
nl_sysctl_init(struct mirror *m)
{
	int i;

	for (i = 0; i < NL_SC_N; i++)
		m->sc.fd[i] = -1;
}

void
nl_sysctl_open(struct mirror *m)
{
	char path[128];
	int i;

	for (i = 0; i < NL_SC_N; i++) {
		if (m->sc.fd[i] >= 0)
			continue;
		sc_path(i, path, sizeof(path));
		m->sc.fd[i] = open(path, O_RDONLY | O_CLOEXEC);
	}
}

void
nl_sysctl_close(struct mirror *m)
{
	int i;

	if (m->sc.ev_poll != NULL)
		event_free(m->sc.ev_poll);
	m->sc.ev_poll = NULL;
	for (i = 0; i < NL_SC_N; i++) {
		if (m->sc.fd[i] >= 0)
			close(m->sc.fd[i]);
		m->sc.fd[i] = -1;
	}
}

/**
 * nl_sysctl_read - sysctl @id's value now.
 * Return: 0, or -errno (-ENOENT: not on this kernel).
 */
int
nl_sysctl_read(const struct mirror *m, int id, unsigned long *v)
{
	char buf[32], *end;
	ssize_t n;
	int fd = m->sc.fd[id];

	if (fd < 0)
		return -ENOENT;
	if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	*v = strtoul(buf, &end, 0);
	return end == buf ? -EINVAL : 0;
}

/* conf/all (@base NL_SC_CONF_ALL) or conf/default into the device
 * table: 1 when a value changed.  A file that cannot be read (a
 * setting newer than the kernel) keeps its value. */
static int
sc_conf_read(struct mirror *m, int base, int ifindex)
{
	struct nl_conf c;
	unsigned long v;
	int i;

	memset(&c, 0, sizeof(c));
	for (i = 0; i < NL_CONF_NFIELDS; i++) {
		int x;

		if (nl_sysctl_read(m, base + i, &v) < 0)
			continue;
		x = (int)v;
		memcpy((char *)&c.v + nl_conf_fields[i].off, &x, sizeof(x));
		c.present |= 1U << i;
	}
	return nl_conf_apply(ifindex, &c) > 0;
}

static int
sc_conf_files(struct mirror *m)
{
	int all = sc_conf_read(m, NL_SC_CONF_ALL, NETCONFA_IFINDEX_ALL);
	int dflt = sc_conf_read(m, NL_SC_CONF_DEFAULT,
	    NETCONFA_IFINDEX_DEFAULT);

	return all || dflt;
}

/* One RTM_NEWLINK of the poll's dump: its settings, if we know the
 * device (a new one comes with its own notification). */
static int
sc_link_msg(const struct nlmsghdr *nlh, void *arg)
{
	static struct nl_msg msg;	/* the writer thread's */
	int *changed = arg;

	if (nl_parse_msg(nlh, &msg) != 0 || msg.kind != NLK_LINK ||
	    msg.u.link.conf.present == 0)
		return 0;
	if (nl_conf_apply(msg.u.link.ifindex, &msg.u.link.conf) > 0)
		*changed = 1;
	return 0;
}

/**
 * nl_sysctl_devices - every device's settings again, from a link dump.
 * Return: 1 when one changed, 0, or -errno (the dump failed).
 */
int
nl_sysctl_devices(struct mirror *m)
{
	struct nl_link_req req;
	int changed = 0, rv;

	nl_link_req_init(&req);
	rv = nl_dump_now(m, RTM_GETLINK, &req, sizeof(req), sc_link_msg,
	    &changed);
	m->st.polls++;
	return rv < 0 ? rv : changed;
}

/* Everything the timer reads; 1 when a device setting changed. */
static int
sc_poll(struct mirror *m)
{
	uint64_t t0 = clock_mono_ns();
	int files = sc_conf_files(m), devs = nl_sysctl_devices(m);

	m->conf_reread = 0;
	m->st.poll_ns = clock_mono_ns() - t0;
	if (devs < 0)
		nl_log_rl(LOG_WARNING, "netlink: device settings: link dump: "
		    "%s", strerror(-devs));
	return files || devs > 0;
}

static void
sc_poll_cb(evutil_socket_t fd, short what, void *arg)
{
	struct mirror *m = arg;

	(void)fd;
	(void)what;
	if (m->syncing)
		return;
	nl_mp_poll(m);
	if (sc_poll(m)) {
		m->st.poll_changes++;
		nl_batch_done(m);	/* the route cache starts again */
	}
}

int
nl_sysctl_start(struct mirror *m)
{
	unsigned int ms = m->cfg.sysctl_poll_ms ? m->cfg.sysctl_poll_ms : 1000;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if ((m->sc.ev_poll = event_new(m->base, -1, EV_PERSIST, sc_poll_cb,
	    m)) == NULL)
		return -ENOMEM;
	event_add(m->sc.ev_poll, &tv);
	sc_conf_files(m);
	nl_mp_start(m);
	return 0;
}

/* The end of a sync: its link dump brought the devices' settings; the
 * files again, and multipath's. */
void
nl_sysctl_synced(struct mirror *m)
{
	sc_conf_files(m);
	m->conf_reread = 0;
	nl_mp_synced(m);
}
