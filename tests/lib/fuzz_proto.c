/* SPDX-License-Identifier: MIT */
/*
 * fuzz_proto.c - libFuzzer target: the daemon-side decoder.  Any bytes go
 * through rtc_msg_parse() as a request and, when accepted, every flow is
 * decoded as rtcached would; the reply-side decoder gets the same bytes.
 * Seeds: tests/lib/corpus/proto.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "rtcache/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t buf[RTC_MSG_MAX / 4 + 1];	/* aligned copy */
	const struct nlattr *a;
	struct rtc_result res;
	struct rtc_flow fl;
	struct rtc_msg m;
	const char *why, *name, *str;
	uint64_t v;

	if (size > RTC_MSG_MAX + 4)
		size = RTC_MSG_MAX + 4;
	if (size > sizeof(buf))
		size = sizeof(buf);
	memcpy(buf, data, size);
	if (rtc_msg_parse(buf, size, 1, &m, &why) == 0)
		rtc_msg_for_each(&m, a, RTC_A_FLOW)
			if (rtc_flow_parse(a, &fl, &why) != 0)
				__builtin_trap();	/* parse said valid */
	if (rtc_msg_parse(buf, size, 0, &m, &why) == 0) {
		rtc_msg_for_each(&m, a, RTC_A_RESULT)
			(void)rtc_result_parse(a, &res, &why);
		rtc_msg_for_each(&m, a, RTC_A_KV)
			(void)rtc_kv_parse(a, &name, &str, &v);
	}
	return 0;
}
