/* SPDX-License-Identifier: MIT */
/*
 * route-decide - forwarding decisions from an embedded librtcache, as
 * `ip route get` prints them.
 *
 *   route-decide [-n NETNS] < flows
 *
 * Each line of standard input is what follows `ip route get`:
 *   ADDRESS [from ADDRESS] [iif NAME] [oif NAME] [mark N] [tos N]
 * and each answer is printed as `ip route get` prints it (its first line
 * exactly for output lookups; the "cache" line with the flags), or
 * "RTNETLINK answers: <error>" on standard error for a failed lookup.
 *
 * Built against the installed library only:
 *   cc route-decide.c $(pkg-config --cflags --libs librtcache)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <rtcache/embed.h>
#include <rtcache/proto.h>

#define RTCF_BROADCAST	0x10000000
#define RTCF_MULTICAST	0x20000000
#define RTCF_LOCAL	0x80000000
#define RTAX_MTU	2

static const char *
addr(uint32_t a, char *buf)
{
	return inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
}

static const char *
type_name(unsigned int t)
{
	static const char *const names[] = { "unspec", "unicast", "local",
	    "broadcast", "anycast", "multicast", "blackhole", "unreachable",
	    "prohibit", "throw", "nat", "xresolve" };

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static const char *
table_name(uint32_t t, char *buf, size_t size)
{
	switch (t) {
	case 253: return "default";
	case 254: return "main";
	case 255: return "local";
	}
	snprintf(buf, size, "%u", t);
	return buf;
}

/* One line of input into @fl: 0, or -1 for a line that is not a flow. */
static int
parse(char *line, struct rtc_flow *fl)
{
	char *w, *v, *save = NULL;

	memset(fl, 0, sizeof(*fl));
	if ((w = strtok_r(line, " \t\n", &save)) == NULL)
		return -1;
	if (strcmp(w, "to") == 0 && (w = strtok_r(NULL, " \t\n", &save)) ==
	    NULL)
		return -1;
	if (inet_pton(AF_INET, w, &fl->dst) != 1)
		return -1;
	while ((w = strtok_r(NULL, " \t\n", &save)) != NULL) {
		if ((v = strtok_r(NULL, " \t\n", &save)) == NULL)
			return -1;
		if (strcmp(w, "from") == 0 && inet_pton(AF_INET, v,
		    &fl->src) == 1)
			fl->present |= RTC_FLOW_F_SRC;
		else if (strcmp(w, "iif") == 0) {
			snprintf(fl->iifname, sizeof(fl->iifname), "%s", v);
			fl->present |= RTC_FLOW_F_IIFNAME;
		} else if (strcmp(w, "oif") == 0) {
			snprintf(fl->oifname, sizeof(fl->oifname), "%s", v);
			fl->present |= RTC_FLOW_F_OIFNAME;
		} else if (strcmp(w, "mark") == 0) {
			fl->mark = (uint32_t)strtoul(v, NULL, 0);
			fl->present |= RTC_FLOW_F_MARK;
		} else if (strcmp(w, "tos") == 0) {
			fl->tos = (uint8_t)strtoul(v, NULL, 16);
			fl->present |= RTC_FLOW_F_TOS;
		} else
			return -1;
	}
	return 0;
}

/* iproute2's print_route() for an RTM_GETROUTE answer. */
static void
print(const struct rtc_result *r)
{
	char b[INET_ADDRSTRLEN], t[16];
	int first = 1;

	if (r->type != 1)
		printf("%s ", type_name(r->type));
	printf("%s ", addr(r->dst, b));
	if (r->present & RTC_RES_F_SRC)
		printf("from %s ", addr(r->src, b));
	if (r->present & RTC_RES_F_GATEWAY)
		printf("via %s ", addr(r->gateway, b));
	if (r->present & RTC_RES_F_OIFNAME)
		printf("dev %s ", r->oifname);
	if ((r->present & RTC_RES_F_TABLE) && r->table != 254)
		printf("table %s ", table_name(r->table, t, sizeof(t)));
	if (r->present & RTC_RES_F_PREFSRC)
		printf("src %s ", addr(r->prefsrc, b));
	if (r->present & RTC_RES_F_MARK)
		printf("mark %u ", r->mark);
	if (r->present & RTC_RES_F_UID)
		printf("uid %u ", r->uid);
	printf("\n    cache ");
	if (r->flags & (RTCF_LOCAL | RTCF_BROADCAST | RTCF_MULTICAST)) {
		printf("<");
		if (r->flags & RTCF_LOCAL) {
			printf("local");
			first = 0;
		}
		if (r->flags & RTCF_BROADCAST) {
			printf("%sbrd", first ? "" : ",");
			first = 0;
		}
		if (r->flags & RTCF_MULTICAST)
			printf("%smc", first ? "" : ",");
		printf("> ");
	}
	if (r->metrics_set & (1U << RTAX_MTU))
		printf("mtu %u ", r->metrics[RTAX_MTU]);
	if (r->present & RTC_RES_F_IIFNAME)
		printf("iif %s ", r->iifname);
	printf("\n");
}

int
main(int argc, char **argv)
{
	struct rtc_embed_config cfg;
	struct rtc_embed *e;
	struct rtc_flow fl;
	struct rtc_result res;
	char line[512];
	int c, rv, status = 0;

	rtc_embed_config_init(&cfg);
	while ((c = getopt(argc, argv, "n:")) != -1)
		switch (c) {
		case 'n':
			cfg.netns = optarg;
			break;
		default:
			fprintf(stderr, "usage: route-decide [-n NETNS] "
			    "< flows\n");
			return 2;
		}
	if ((rv = rtc_embed_open(&e, &cfg)) < 0) {
		fprintf(stderr, "route-decide: %s: %s\n", cfg.netns ?
		    cfg.netns : "this namespace", strerror(-rv));
		return 1;
	}
	if ((rv = rtc_embed_thread_register(e)) < 0) {
		fprintf(stderr, "route-decide: register: %s\n", strerror(-rv));
		return 1;
	}
	/* reading stdin blocks: offline meanwhile, online to look up */
	rtc_embed_thread_offline(e);
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if (parse(line, &fl) < 0) {
			fprintf(stderr, "route-decide: not a flow: %s", line);
			status = 1;
			continue;
		}
		rtc_embed_thread_online(e);
		rv = rtc_embed_route_get(e, &fl, &res);
		if (rv < 0)
			fprintf(stderr, "route-decide: %s\n", strerror(-rv));
		else if (res.present & RTC_RES_F_ERROR)
			fprintf(stderr, "RTNETLINK answers: %s\n",
			    strerror((int)res.error));
		else
			print(&res);
		rtc_embed_thread_offline(e);
		fflush(stdout);
	}
	rtc_embed_close(e);
	return status;
}
