/* SPDX-License-Identifier: MIT */
/*
 * fuzz_netlink.c - libFuzzer target over the mirror's message parser and
 * the path into the FIB: the input is a stream of rtnetlink messages (as
 * a datagram or an `ip route save` file), parsed message by message and
 * applied as a dump would be.  Nothing may crash, leak or leave a partial
 * object behind.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/mirror.h"
#include "netlink/nl_parse.h"
#include "support/fib_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_parse_one(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_msg m;

	(void)arg;
	nl_parse_msg(nlh, &m);
	return 0;
}

static void
fuzz_init(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	mirror_set_log(NULL, NULL);
	rcu_register_thread();
	if (fib_init() < 0)
		abort();
	fib_exec("link add lo index 1 up");
	fib_exec("addr add 127.0.0.1/8 dev lo");
	fib_exec("link add v0 index 3 up");
	fib_exec("addr add 10.0.0.1/24 dev v0");
	fib_exec("route add 10.0.0.0/24 dev v0 proto kernel scope link");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned int runs;
	uint8_t *copy;

	fuzz_init();
	/* An exact-size copy, so reads past the end are caught. */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	nl_walk_buf(copy, size, fuzz_parse_one, NULL);
	mirror_load_buf(copy, size, NULL);
	free(copy);
	if (++runs % 4096 == 0) {
		fib_table_flush(FIB_TABLE_ALL);
		fib_rules_flush();
	}
	return 0;
}
