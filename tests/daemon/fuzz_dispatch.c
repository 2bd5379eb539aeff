/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dispatch.c - libFuzzer target over the daemon's request path end
 * to end: the input is one control-protocol message, handed to
 * dispatch_request() on a privileged fake connection with a real FIB and
 * route cache behind it (links, addresses, routes, a rule), as a worker
 * hands what it receives, and a listing's steps run to its end.  Every reply queued must itself be a valid
 * message of a reply type; nothing may crash or leak.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/proto.h"
#include "rtcache/route.h"
#include "daemon/rtcached.h"
#include "support/fib_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct conn fake;

static void
fuzz_init(void)
{
	static const char *const cmds[] = {
		"link add lo index 1 up",
		"link add v0 index 2 up",
		"link add v1 index 3 up",
		"addr add 127.0.0.1/8 dev lo scope host",
		"addr add 10.0.0.1/24 dev v0",
		"addr add 10.0.1.1/24 dev v1",
		"route add 192.0.2.0/24 via 10.0.0.2 dev v0",
		("route add 198.51.100.0/24 nexthop via 10.0.0.2 dev v0 "
		    "nexthop via 10.0.1.2 dev v1"),
		"route add blackhole 198.18.0.0/16",
		"route add default via 10.0.1.2 dev v1 table 100",
		"rule add from 10.0.1.0/24 table 100 pref 100",
	};
	static int done;
	size_t i;

	if (done)
		return;
	done = 1;
	rcu_register_thread();
	if (fib_init() < 0 || rt_cache_init(NULL) < 0)
		abort();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (fib_exec(cmds[i]) < 0)
			abort();
	fake.w = worker_new(0);	/* not started: it owns the queue count */
	fake.fd = -1;
	fake.uid = 0;
	fake.pid = 1;
	fake.privileged = 1;
	TAILQ_INIT(&fake.outq);
}

/* Every queued reply parses as a reply; then it is dropped. */
static void
drain_replies(void)
{
	struct omsg *o;
	struct rtc_msg m;

	while ((o = TAILQ_FIRST(&fake.outq)) != NULL) {
		TAILQ_REMOVE(&fake.outq, o, entry);
		fake.outbytes -= o->len;
		if (rtc_msg_parse(o->data, o->len, 0, &m, NULL) < 0 ||
		    m.type < RTC_MSG_DONE || m.type > RTC_MSG_REPLY_LAST)
			abort();
		free(o);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *copy;

	fuzz_init();
	/* An exact-size copy, so reads past the end are caught. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	dispatch_request(&fake, copy, size);
	free(copy);
	drain_replies();
	while (fake.listing != NULL) {	/* as the worker paces a listing */
		listing_step(&fake);
		drain_replies();
	}
	rt_cache_quiescent();
	return 0;
}
