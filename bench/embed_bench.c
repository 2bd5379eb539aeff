/* SPDX-License-Identifier: MIT */
/*
 * bench/embed_bench.c - librtcache's embedded mode against the kernel:
 * ns per cached single lookup (rtc_embed_route_get), per lookup of a
 * batch (rtc_embed_route_get_batch), and per RTM_GETROUTE round trip on
 * a netlink socket (a C request, not the ip process), for the same flows
 * in the same namespace.  Linked against the shared librtcache as a user
 * links it.
 *
 *   embed_bench [-n NETNS] [-r RUNS] [-d A.B.C.D] [-f FLOWS]
 *
 * The flows are FLOWS (default 1024) consecutive addresses from -d
 * (default 10.0.0.2, which a connected /24 or a route should cover).
 * Prints `bench <name> ours=<x> base=<y> baseline=<name> ratio=<y/x>`
 * lines (medians of RUNS runs) and '#' lines for people.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "rtcache/embed.h"

#define MAXRUNS		31

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_d);
	return v[n / 2];
}

struct nsopen {
	const char	*ns;
	struct mnl_socket *nl;
};

static void *
nsopen_thread(void *arg)
{
	struct nsopen *o = arg;
	char path[256];
	int fd;

	if (o->ns != NULL) {
		snprintf(path, sizeof(path), strchr(o->ns, '/') ? "%s" :
		    "/run/netns/%s", o->ns);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return NULL;
		if (setns(fd, CLONE_NEWNET) < 0) {
			close(fd);
			return NULL;
		}
		close(fd);
	}
	if ((o->nl = mnl_socket_open(NETLINK_ROUTE)) != NULL &&
	    mnl_socket_bind(o->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		mnl_socket_close(o->nl);
		o->nl = NULL;
	}
	return NULL;
}

/* One RTM_GETROUTE for @dst and its reply: 0 or -1. */
static int
kernel_get(struct mnl_socket *nl, uint32_t dst, uint32_t seq)
{
	char buf[4096];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = 32;
	rtm->rtm_flags = RTM_F_LOOKUP_TABLE;
	mnl_attr_put_u32(nlh, RTA_DST, dst);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	if (mnl_socket_recvfrom(nl, buf, sizeof(buf)) <= 0)
		return -1;
	return ((struct nlmsghdr *)buf)->nlmsg_type == RTM_NEWROUTE ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct rtc_embed_config cfg;
	struct rtc_embed *e;
	struct rtc_flow *flows;
	struct rtc_result *res;
	struct nsopen o = { NULL, NULL };
	double single[MAXRUNS], batch[MAXRUNS], kern[MAXRUNS], s, b, k;
	uint32_t first = htonl(0x0a000002);
	unsigned int nflows = 1024, i, rounds;
	int runs = 5, r, c, rv;
	uint64_t t0, sink = 0;
	pthread_t t;

	while ((c = getopt(argc, argv, "n:r:d:f:")) != -1)
		switch (c) {
		case 'n':
			o.ns = optarg;
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'd':
			if (inet_pton(AF_INET, optarg, &first) != 1)
				return 2;
			break;
		case 'f':
			nflows = (unsigned int)atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: embed_bench [-n NETNS] "
			    "[-r RUNS] [-d ADDR] [-f FLOWS]\n");
			return 2;
		}
	if (runs < 1 || runs > MAXRUNS || nflows < 1 || nflows > 65536)
		return 2;
	rtc_embed_config_init(&cfg);
	cfg.netns = o.ns;
	if ((rv = rtc_embed_open(&e, &cfg)) < 0) {
		fprintf(stderr, "embed_bench: rtc_embed_open: %s\n",
		    strerror(-rv));
		return 1;
	}
	pthread_create(&t, NULL, nsopen_thread, &o);
	pthread_join(t, NULL);
	if (o.nl == NULL) {
		fprintf(stderr, "embed_bench: no netlink socket\n");
		return 1;
	}
	flows = calloc(nflows, sizeof(*flows));
	res = calloc(nflows, sizeof(*res));
	for (i = 0; i < nflows; i++)
		flows[i].dst = htonl(ntohl(first) + i);
	rtc_embed_thread_register(e);
	/* warm: every flow cached (the admission filter wants two misses) */
	for (r = 0; r < 3; r++)
		rtc_embed_route_get_batch(e, flows, res, nflows);
	if (res[0].present & RTC_RES_F_ERROR)
		printf("# warning: the first flow fails: errno %u\n",
		    res[0].error);
	rounds = (4U << 20) / nflows;
	for (r = 0; r < runs; r++) {
		unsigned int n;

		t0 = now_ns();
		for (n = 0; n < rounds; n++) {
			for (i = 0; i < nflows; i++) {
				rtc_embed_route_get(e, &flows[i], &res[0]);
				sink += res[0].oif;
			}
			rtc_embed_quiescent(e);
		}
		single[r] = (double)(now_ns() - t0) / ((double)rounds * nflows);
		t0 = now_ns();
		for (n = 0; n < rounds; n++) {
			rtc_embed_route_get_batch(e, flows, res, nflows);
			sink += res[nflows - 1].oif;
			rtc_embed_quiescent(e);
		}
		batch[r] = (double)(now_ns() - t0) / ((double)rounds * nflows);
		rtc_embed_thread_offline(e);
		t0 = now_ns();
		for (i = 0; i < 20000; i++)
			if (kernel_get(o.nl, flows[i % nflows].dst, i + 1) < 0)
				sink++;
		kern[r] = (double)(now_ns() - t0) / 20000.0;
		rtc_embed_thread_online(e);
	}
	s = median(single, runs);
	b = median(batch, runs);
	k = median(kern, runs);
	printf("# %u flows from %s, %d runs, medians; sink %llu\n", nflows,
	    inet_ntoa(*(struct in_addr *)&first), runs,
	    (unsigned long long)(sink & 1));
	printf("bench embed_single_cached_ns value=%.2f\n", s);
	printf("bench embed_batch_cached_ns value=%.2f\n", b);
	printf("bench kernel_rtm_getroute_ns value=%.1f\n", k);
	printf("bench embed_single_vs_rtm_getroute ours=%.2f base=%.1f "
	    "baseline=rtm_getroute ratio=%.1f\n", s, k, k / s);
	rtc_embed_close(e);
	mnl_socket_close(o.nl);
	free(flows);
	free(res);
	return 0;
}
