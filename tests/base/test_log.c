/* SPDX-License-Identifier: MIT */
/*
 * test_log.c - the log hook and its rate limiter (base/log.h): lines
 * reach the installed sink with their priority; a limiter lets its burst
 * through and reports what it held back, appended to the next line let
 * through or on a line of its own.  Each test runs in its own process.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "base/log.h"

static char lines[16][256];
static int nlines;

static void
capture(int prio, const char *msg, void *arg)
{
	cr_assert_eq(arg, (void *)lines);
	if (nlines < 16)
		snprintf(lines[nlines++], sizeof(lines[0]), "%d %s", prio,
		    msg);
}

static void
setup(void)
{
	nlines = 0;
	log_set_sink(capture, lines);
}

TestSuite(log, .init = setup);

Test(log, lines_reach_the_sink_with_their_priority)
{
	log_msg(LOG_INFO, "hello %s %d", "world", 42);
	cr_assert_eq(nlines, 1);
	cr_expect_str_eq(lines[0], "6 hello world 42");
}

Test(log, a_zeroed_limiter_lets_five_lines_through)
{
	struct log_rl rl = { 0 };
	int i;

	for (i = 0; i < 8; i++)
		log_rl_msg(&rl, LOG_WARNING, "line %d", i);
	cr_assert_eq(nlines, 5);
	cr_expect_str_eq(lines[4], "4 line 4");
	cr_expect_eq(rl.dropped, 3);
}

Test(log, held_back_lines_are_counted_on_the_next_line_let_through)
{
	struct log_rl rl = LOG_RL_INIT(1, 2, 0);
	int i;

	for (i = 0; i < 5; i++)
		log_rl_msg(&rl, LOG_WARNING, "line %d", i);
	cr_assert_eq(nlines, 2);
	rl.start -= 1;		/* the next interval, without waiting */
	log_rl_msg(&rl, LOG_WARNING, "later");
	cr_assert_eq(nlines, 3);
	cr_expect_str_eq(lines[2], "4 later (3 similar lines suppressed)");
}

Test(log, own_line_reports_come_when_the_next_interval_begins)
{
	struct log_rl rl = LOG_RL_INIT(1, 2, LOG_RL_OWN_LINE);
	int i;

	for (i = 0; i < 5; i++)
		log_rl_msg(&rl, LOG_ERR, "line %d", i);
	cr_assert_eq(nlines, 2);
	rl.start -= 1;
	log_rl_msg(&rl, LOG_ERR, "later");
	cr_assert_eq(nlines, 4);
	cr_expect_str_eq(lines[2], "4 3 similar messages suppressed");
	cr_expect_str_eq(lines[3], "3 later");
}
