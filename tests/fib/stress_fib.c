/* SPDX-License-Identifier: MIT */
/*
 * stress_fib.c - readers look up while one writer inserts and deletes
 * (and zones grow); every answer must be one the old or the new state
 * gives: a prefix that contains the address, with that prefix's own
 * gateway.  Plain main() printing TAP, so it also runs under TSan.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "support/fib_text.h"

#define NPFX	4096
#define NREADER	2

static int stop;
static unsigned long bad, lookups;

/* the gateway a prefix of length len at key has: a function of both */
static uint32_t
gw_of(uint32_t key, int len)
{
	return htonl(0x0a000002 + ((key >> 8) + (uint32_t)len) % 200);
}

static uint32_t
pfx_key(unsigned int i, int len)
{
	uint32_t k = 0x14000000 | (i << 8) | (i & 0xff);

	return k & (~0U << (32 - len));
}

static void *
reader(void *arg)
{
	uint64_t r = (uintptr_t)arg * 7919 + 1;
	unsigned long n = 0, b = 0;
	struct fib_result res;
	struct flowi4 fl4;

	rcu_register_thread();
	memset(&fl4, 0, sizeof(fl4));
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		unsigned int i;
		uint32_t dst, m;
		int err;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		i = r % NPFX;
		dst = pfx_key(i, 32);
		fl4.daddr = htonl(dst);
		err = fib_lookup(&fl4, &res);
		n++;
		if (err != 0 || res.nhc == NULL) {
			b++;
		} else {
			m = res.prefixlen ? ~0U << (32 - res.prefixlen) : 0;
			if ((dst & m) != ntohl(res.prefix) ||
			    res.nhc->nh_gw != gw_of(ntohl(res.prefix),
			    res.prefixlen))
				b++;
		}
		fib_rcu_quiescent();
	}
	__atomic_fetch_add(&lookups, n, __ATOMIC_RELAXED);
	__atomic_fetch_add(&bad, b, __ATOMIC_RELAXED);
	rcu_unregister_thread();
	return NULL;
}

static int
route(int add, uint32_t key, int len, uint32_t nlflags)
{
	struct fib_config cfg;

	fib_config_init(&cfg);
	cfg.fc_dst = htonl(key);
	cfg.fc_dst_len = len;
	cfg.fc_gw = gw_of(key, len);
	cfg.fc_nlflags = nlflags;
	if (add)
		return fib_route_add(&cfg);
	cfg.fc_type = 0;
	cfg.fc_scope = RT_SCOPE_NOWHERE;
	cfg.fc_protocol = 0;
	return fib_route_del(&cfg);
}

int
main(void)
{
	pthread_t th[NREADER];
	unsigned int round, i;
	int lens[3] = { 24, 32, 20 }, err = 0;
	static char buf[128];
	char *msg = "";

	rcu_register_thread();
	if (fib_init() != 0 || fib_exec("link add lo index 1 up") ||
	    fib_exec("link add dummy0 index 2 up") ||
	    fib_exec("addr add 10.0.0.1/16 dev dummy0")) {
		printf("1..1\nnot ok 1 - set-up failed\n");
		return 1;
	}
	/* a stable cover: every address has an answer */
	if (route(1, 0x14000000, 8, NLM_F_CREATE | NLM_F_EXCL) != 0) {
		printf("1..1\nnot ok 1 - cover route\n");
		return 1;
	}
	for (i = 0; i < NREADER; i++)
		pthread_create(&th[i], NULL, reader, (void *)(uintptr_t)(i + 1));
	for (round = 0; round < 6 && err == 0; round++) {
		int len = lens[round % 3];

		for (i = 0; i < NPFX && err == 0; i++) {
			err = route(1, pfx_key(i, len), len,
			    NLM_F_CREATE | NLM_F_APPEND);
			if (err == -EEXIST)
				err = 0;
			if ((i & 63) == 0)
				fib_rcu_quiescent();
		}
		/* replace churn: same prefix, same gateway, new metric 0 */
		for (i = 0; i < NPFX && err == 0; i += 3) {
			err = route(0, pfx_key(i, len), len, 0);
			if (err == -ESRCH)
				err = 0;
			if ((i & 63) == 0)
				fib_rcu_quiescent();
		}
		fib_rcu_quiescent();
	}
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	rcu_thread_offline();
	for (i = 0; i < NREADER; i++)
		pthread_join(th[i], NULL);
	rcu_thread_online();
	if (err) {
		snprintf(buf, sizeof(buf), "writer failed (%d)", err);
		msg = buf;
	}
	printf("1..1\n");
	if (err || bad) {
		printf("not ok 1 - fib stress: %s %lu bad of %lu lookups\n",
		    msg, bad, lookups);
		return 1;
	}
	printf("ok 1 - fib stress: %lu lookups, all valid\n", lookups);
	fib_exit();
	rcu_unregister_thread();
	return 0;
}
