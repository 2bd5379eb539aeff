/* SPDX-License-Identifier: MIT */
/*
 * test_names.c - the route name tables (base/rt_names.h) as iproute2
 * reads and prints them: the built-in names, numbers for what has no
 * name, the aliases ip accepts, and the files of a configuration
 * directory made for each test (rt_tables and rt_tables.d, the
 * /usr/share fallback, a corrupted line).  Each test runs in its own
 * process.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "base/log.h"
#include "base/rt_names.h"

static char dir[64], etc[128], usr[128];

/* @text into @base/@name, making the directories on the way. */
static void
put(const char *base, const char *name, const char *text)
{
	char path[256], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", base, name);
	for (slash = strchr(path + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	cr_assert_not_null(f = fopen(path, "w"), "%s", path);
	fputs(text, f);
	fclose(f);
}

/* An empty configuration: only the built-in names. */
static void
setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_names.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(etc, sizeof(etc), "%s/etc", dir);
	snprintf(usr, sizeof(usr), "%s/usr", dir);
	mkdir(etc, 0755);
	mkdir(usr, 0755);
	rt_names_set_confdir(etc, usr);
}

static void
teardown(void)
{
	char cmd[128];

	rt_names_set_confdir(NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(names, .init = setup, .fini = teardown);

static const char *
n2a(enum rt_names_kind kind, uint32_t id)
{
	static char buf[RT_NAME_BUFSZ];

	return rt_names_n2a(kind, id, buf, sizeof(buf));
}

static uint32_t
a2n(enum rt_names_kind kind, const char *name)
{
	uint32_t id = 0xdeadbeef;

	cr_assert_eq(rt_names_a2n(kind, name, &id), 0, "\"%s\"", name);
	return id;
}

Test(names, built_in_names_are_iproute2s)
{
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 2), "kernel");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 3), "boot");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 4), "static");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 99), "openr");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 186), "bgp");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 192), "eigrp");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 0), "global");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 200), "site");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 253), "link");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 254), "host");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 255), "nowhere");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 253), "default");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 254), "main");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 255), "local");
	cr_expect_str_eq(n2a(RT_NAMES_TYPE, 0), "none");
	cr_expect_str_eq(n2a(RT_NAMES_TYPE, 1), "unicast");
	cr_expect_str_eq(n2a(RT_NAMES_TYPE, 6), "blackhole");
	cr_expect_str_eq(n2a(RT_NAMES_TYPE, 11), "xresolve");
	cr_expect_str_eq(n2a(RT_NAMES_REALM, 0), "unknown");
}

Test(names, unknown_numbers_print_as_decimal_numbers)
{
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "250");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 17), "17");
	cr_expect_str_eq(n2a(RT_NAMES_TYPE, 12), "12");
	cr_expect_str_eq(n2a(RT_NAMES_REALM, 5), "5");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 300), "300");
	/* table 0 is named by the rt_tables file only, as with ip */
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 0), "0");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 4294967295u), "4294967295");
}

Test(names, names_and_numbers_parse_back)
{
	cr_expect_eq(a2n(RT_NAMES_PROTO, "kernel"), 2);
	cr_expect_eq(a2n(RT_NAMES_PROTO, "250"), 250);
	cr_expect_eq(a2n(RT_NAMES_PROTO, "0x10"), 16);
	cr_expect_eq(a2n(RT_NAMES_SCOPE, "link"), 253);
	cr_expect_eq(a2n(RT_NAMES_TABLE, "main"), 254);
	cr_expect_eq(a2n(RT_NAMES_TABLE, "100000"), 100000);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "unreachable"), 7);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "13"), 13);
}

Test(names, aliases_parse)
{
	cr_expect_eq(a2n(RT_NAMES_SCOPE, "universe"), 0);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "brd"), 3);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "unreach"), 7);
	/* ip's order: a prefix is the first type it begins */
	cr_expect_eq(a2n(RT_NAMES_TYPE, "b"), 3);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "u"), 7);
	cr_expect_eq(a2n(RT_NAMES_TYPE, "black"), 6);
}

Test(names, what_ip_refuses_does_not_parse)
{
	uint32_t id;

	cr_expect_eq(rt_names_a2n(RT_NAMES_PROTO, "256", &id), -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_PROTO, "kern", &id), -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_PROTO, "", &id), -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_SCOPE, "12x", &id), -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_TABLE, "4294967296", &id),
	    -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_TABLE, "-1", &id), -EINVAL);
	/* "none" is printed for type 0 but never parsed; "loc" is no prefix */
	cr_expect_eq(rt_names_a2n(RT_NAMES_TYPE, "none", &id), -EINVAL);
	cr_expect_eq(rt_names_a2n(RT_NAMES_TYPE, "loc", &id), -EINVAL);
}

Test(names, printed_names_only_are_recognised_as_printed)
{
	uint32_t id = 0;

	cr_expect(rt_names_printed(RT_NAMES_TYPE, "blackhole", &id));
	cr_expect_eq(id, 6);
	cr_expect(rt_names_printed(RT_NAMES_TYPE, "none", &id));
	cr_expect_eq(id, 0);
	cr_expect_not(rt_names_printed(RT_NAMES_TYPE, "brd", &id));
	cr_expect_not(rt_names_printed(RT_NAMES_TYPE, "6", &id));
	cr_expect_not(rt_names_printed(RT_NAMES_TYPE, "default", &id));
}

Test(names, a_rt_tables_entry_overrides_the_built_in_name)
{
	uint32_t id = 0;

	put(etc, "rt_tables", "# comment\n\n 254\tprimary\n"
	    "100 isp1 # trailing comment\n0x65 isp2\n0 unspec\n"
	    "70000 wide\n");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 254), "primary");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 100), "isp1");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 101), "isp2");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 0), "unspec");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 70000), "wide");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 255), "local");
	cr_expect_eq(a2n(RT_NAMES_TABLE, "primary"), 254);
	cr_expect_eq(a2n(RT_NAMES_TABLE, "isp2"), 101);
	cr_expect_eq(a2n(RT_NAMES_TABLE, "wide"), 70000);
	/* as with ip, the built-in name of a table still parses */
	cr_expect_eq(a2n(RT_NAMES_TABLE, "main"), 254);
	cr_expect_not(rt_names_printed(RT_NAMES_TABLE, "main", &id));
	cr_expect(rt_names_printed(RT_NAMES_TABLE, "primary", &id));
	cr_expect_eq(id, 254);
}

Test(names, a_rt_protos_entry_replaces_the_built_in_name)
{
	uint32_t id;

	put(etc, "rt_protos", "2 kern\n250 mine\n");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 2), "kern");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "mine");
	cr_expect_eq(a2n(RT_NAMES_PROTO, "kern"), 2);
	/* unlike tables, the replaced name no longer parses (ip's arrays) */
	cr_expect_eq(rt_names_a2n(RT_NAMES_PROTO, "kernel", &id), -EINVAL);
}

Test(names, scopes_and_realms_come_from_their_files)
{
	put(etc, "rt_scopes", "0 global\n100 campus\n");
	put(etc, "rt_realms", "0 cosmos\n7 lab\n");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 100), "campus");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 253), "link");
	cr_expect_eq(a2n(RT_NAMES_SCOPE, "campus"), 100);
	cr_expect_str_eq(n2a(RT_NAMES_REALM, 0), "cosmos");
	cr_expect_eq(a2n(RT_NAMES_REALM, "lab"), 7);
}

Test(names, conf_d_files_are_read_and_etc_shadows_usr)
{
	put(etc, "rt_tables", "254 main\n");
	put(etc, "rt_tables.d/a.conf", "200 vpn\n");
	put(usr, "rt_tables.d/a.conf", "200 shadowed\n201 shadowed2\n");
	put(usr, "rt_tables.d/b.conf", "202 lab\n");
	put(etc, "rt_tables.d/c.txt", "203 ignored\n");
	put(etc, "rt_protos.d/x.conf", "251 ours\n");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 200), "vpn");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 201), "201");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 202), "lab");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 203), "203");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 251), "ours");
}

Test(names, usr_share_is_read_only_when_etc_has_no_file)
{
	put(usr, "rt_protos", "250 fromusr\n");
	put(usr, "rt_tables", "100 fromusr\n");
	put(etc, "rt_tables", "101 frometc\n");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "fromusr");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 100), "100");
	cr_expect_str_eq(n2a(RT_NAMES_TABLE, 101), "frometc");
}

static char logged[256];

static void
capture(int prio, const char *msg, void *arg)
{
	(void)arg;
	snprintf(logged, sizeof(logged), "%d %s", prio, msg);
}

Test(names, a_corrupted_line_ends_the_file_with_iproute2s_warning)
{
	char want[256];

	log_set_sink(capture, NULL);
	put(etc, "rt_scopes", "100 a\nbogus line\n101 b\n");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 100), "a");
	cr_expect_str_eq(n2a(RT_NAMES_SCOPE, 101), "101");
	snprintf(want, sizeof(want),
	    "%d Database %s/rt_scopes is corrupted at bogus line",
	    LOG_WARNING, etc);
	cr_expect_str_eq(logged, want);
}

Test(names, files_are_read_once)
{
	put(etc, "rt_protos", "250 first\n");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "first");
	put(etc, "rt_protos", "250 second\n");
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "first");
	rt_names_set_confdir(etc, usr);
	cr_expect_str_eq(n2a(RT_NAMES_PROTO, 250), "second");
}
