/* SPDX-License-Identifier: MIT */
/*
 * stress_embed.c - librtcache's embedded mode with two lookup threads
 * while the mirrored routes change under them, then close.  Plain main()
 * printing TAP, so it also runs under TSan (the TSan build's check).
 *
 * As root the program moves into a network namespace of its own
 * (unshare), brings lo up and, while the two threads look up (single and
 * batch lookups, a quiescent state every few), adds and deletes routes
 * 10.9.N.0/24 dev lo over netlink; every answer must be one of the two
 * states: no route (ENETUNREACH) or lo.  Not root: the same lookups
 * against the caller's namespace, with no changes.  Checks that close is
 * refused (-EBUSY) while the threads are registered, and succeeds after
 * they unregister.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "rtcache/embed.h"

#define NTHREADS	2
#define NCHANGES	1500
#define BATCH		16

static struct rtc_embed *e;
static int stop, registered;
static unsigned long bad[NTHREADS], lookups[NTHREADS];
static int own_ns;

static void
check(int t, const struct rtc_result *r)
{
	lookups[t]++;
	if (r->present & RTC_RES_F_ERROR) {
		if (r->error != ENETUNREACH)
			bad[t]++;
	} else if (own_ns && r->oif != 1) {
		bad[t]++;
	} else if (!(r->present & RTC_RES_F_OIF)) {
		bad[t]++;
	}
}

static void
flow_of(struct rtc_flow *f, unsigned int i)
{
	memset(f, 0, sizeof(*f));
	f->dst = htonl(0x0a090001 | (i & 0xff) << 8);
}

static void *
looker(void *arg)
{
	int t = (int)(long)arg;
	struct rtc_flow f[BATCH];
	struct rtc_result r[BATCH];
	unsigned int i = (unsigned int)t * 7919, j;

	if (rtc_embed_thread_register(e) != 0) {
		bad[t]++;
		return NULL;
	}
	__atomic_add_fetch(&registered, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		for (j = 0; j < 64; j++, i++) {
			flow_of(&f[0], i);
			if (rtc_embed_route_get(e, &f[0], &r[0]) != 0)
				bad[t]++;
			else
				check(t, &r[0]);
		}
		for (j = 0; j < BATCH; j++)
			flow_of(&f[j], i + j * 13);
		if (rtc_embed_route_get_batch(e, f, r, BATCH) != BATCH)
			bad[t]++;
		else
			for (j = 0; j < BATCH; j++)
				check(t, &r[j]);
		rtc_embed_quiescent(e);
	}
	if (rtc_embed_thread_unregister(e) != 0)
		bad[t]++;
	return NULL;
}

/* Add (or delete) 10.9.@n.0/24 dev lo; wait for the ack. */
static int
route_change(struct mnl_socket *nl, int add, unsigned int n)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK |
	    (add ? NLM_F_CREATE | NLM_F_REPLACE : 0);
	nlh->nlmsg_seq = n + 1;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 24;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put_u32(nlh, RTA_DST, htonl(0x0a090000 | (n & 0xff) << 8));
	mnl_attr_put_u32(nlh, RTA_OIF, 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	if (mnl_socket_recvfrom(nl, buf, sizeof(buf)) < 0)
		return -errno;
	return 0;
}

int
main(void)
{
	struct rtc_embed_config cfg;
	struct mnl_socket *nl = NULL;
	pthread_t th[NTHREADS];
	unsigned long nbad = 0, nlook = 0;
	int i, rv, busy;

	printf("1..3\n");
	if (geteuid() == 0 && unshare(CLONE_NEWNET) == 0 &&
	    system("ip link set lo up") == 0)
		own_ns = 1;
	rtc_embed_config_init(&cfg);
	cfg.flags = RTC_EMBED_QUIET;
	cfg.cache_buckets = 1024;
	if ((rv = rtc_embed_open(&e, &cfg)) < 0) {
		printf("Bail out! rtc_embed_open: %s\n", strerror(-rv));
		return 1;
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, looker, (void *)(long)i);
	while (__atomic_load_n(&registered, __ATOMIC_ACQUIRE) < NTHREADS)
		usleep(1000);
	busy = rtc_embed_close(e);
	printf("%s 1 - close while two threads are registered: %s\n",
	    busy == -EBUSY ? "ok" : "not ok", strerror(-busy));

	if (own_ns && (nl = mnl_socket_open(NETLINK_ROUTE)) != NULL &&
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) == 0) {
		for (i = 0; i < NCHANGES; i++)
			route_change(nl, (i / 256) % 2 == 0, (unsigned int)i);
	} else {
		usleep(300 * 1000);
	}
	if (nl != NULL)
		mnl_socket_close(nl);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		nbad += bad[i];
		nlook += lookups[i];
	}
	printf("%s 2 - %lu lookups in 2 threads%s, %lu bad\n",
	    nbad == 0 && nlook > 0 ? "ok" : "not ok", nlook,
	    own_ns ? " while routes changed" : "", nbad);
	rv = rtc_embed_close(e);
	printf("%s 3 - close after the threads unregistered: %s\n",
	    rv == 0 ? "ok" : "not ok", strerror(-rv));
	return 0;
}
