/* SPDX-License-Identifier: MIT */
/*
 * rtcd-conftest.c - the configuration checks of rtcached, alone, for the
 * golden tests: `-n [-v] [-c FILE] [-o SECTION.KEY=VALUE]...` behaves as
 * `rtcached -n` does (exit 0, or 1 with FILE:LINE messages; -v prints
 * the effective configuration), and `-r OLD NEW` prints what a reload
 * from OLD to NEW would apply and what it would keep.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/conf.h"

static void
print_msg(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s\n", msg);
}

static void
print_diff(void *arg, const char *key, const char *ov, const char *nv,
    int how)
{
	(void)arg;
	printf("%s %s: %s -> %s\n", how == CONF_LIVE ? "apply" : "restart",
	    key, ov, nv);
}

static int
override(struct rtcd_conf *c, char *arg)
{
	char err[256], *dot, *eq;

	if ((dot = strchr(arg, '.')) == NULL ||
	    (eq = strchr(dot, '=')) == NULL) {
		fprintf(stderr, "rtcd-conftest: -o SECTION.KEY=VALUE\n");
		return -1;
	}
	*dot = *eq = '\0';
	if (conf_set(c, arg, dot + 1, eq + 1, err, sizeof(err)) < 0) {
		fprintf(stderr, "command line: %s\n", err);
		return -1;
	}
	return 0;
}

static int
load(struct rtcd_conf *c, const char *path, int must_exist)
{
	int rv = conf_load(c, path, print_msg, NULL);

	if (rv == -ENOENT && !must_exist)	/* defaults */
		return 0;
	if (rv < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rv));
		return 1;
	}
	return rv;
}

int
main(int argc, char **argv)
{
	struct rtcd_conf c, nc;
	const char *path = NULL;
	char *ov[32];
	int i, nov = 0, ch, check = 0, verbose = 0, reload = 0, nerr;

	conf_init(&c);
	while ((ch = getopt(argc, argv, "c:no:rv")) != -1) {
		switch (ch) {
		case 'c':
			path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'o':
			if (nov == 32)
				return 64;
			ov[nov++] = optarg;
			break;
		case 'r':
			reload = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return 64;
		}
	}
	if (reload) {
		if (argc - optind != 2)
			return 64;
		conf_init(&nc);
		if (load(&c, argv[optind], 1) || load(&nc, argv[optind + 1], 1)) {
			printf("refused: nothing changes\n");
			conf_free(&c);
			conf_free(&nc);
			return 1;
		}
		printf("applied %d\n", conf_diff(&c, &nc, print_diff, NULL));
		conf_print(stdout, &c);
		conf_free(&c);
		conf_free(&nc);
		return 0;
	}
	if (!check || optind != argc)
		return 64;
	nerr = load(&c, path != NULL ? path : conf_default_path(),
	    path != NULL);
	/* the command line overrides the file, as in rtcached */
	for (i = 0; i < nov && nerr == 0; i++)
		if (override(&c, ov[i]) < 0)
			nerr = 1;
	if (nerr == 0 && verbose)
		conf_print(stdout, &c);
	if (nerr == 0)
		fprintf(stderr, "configuration OK\n");
	conf_free(&c);
	return nerr == 0 ? 0 : 1;
}
