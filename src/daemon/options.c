/* SPDX-License-Identifier: MIT */
/*
 * options.c - rtcached's command line: parsing into struct rtcd_options,
 * the usage text and the default control socket path.  No side effects
 * beyond writing to the two streams given, so tests can call it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/rtcached.h"

#define RTCD_DEFAULT_SOCK	"/run/rtcached/rtcached.sock"

enum {
	OPT_NETNS = 256,
	OPT_SOCKET,
	OPT_WORKERS,
	OPT_ROUTES_FILE,
	OPT_VERSION,
	OPT_MAX_CLIENTS,
	OPT_IDLE_TIMEOUT,
};

static const struct option longopts[] = {
	{ "foreground",		no_argument,		NULL, 'f' },
	{ "config",		required_argument,	NULL, 'c' },
	{ "debug",		no_argument,		NULL, 'd' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "check",		no_argument,		NULL, 'n' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "netns",		required_argument,	NULL, OPT_NETNS },
	{ "socket",		required_argument,	NULL, OPT_SOCKET },
	{ "workers",		required_argument,	NULL, OPT_WORKERS },
	{ "routes-file",	required_argument,	NULL, OPT_ROUTES_FILE },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "max-clients",	required_argument,	NULL, OPT_MAX_CLIENTS },
	{ "idle-timeout",	required_argument,	NULL, OPT_IDLE_TIMEOUT },
	{ NULL, 0, NULL, 0 }
};

void
rtcd_usage(FILE *f)
{
	fprintf(f,
	    "usage: rtcached [-dfhnv] [-c FILE] [--netns NAME] [--socket PATH]\n"
	    "                [--workers N] [--routes-file FILE]"
	    " [--max-clients N]\n"
	    "                [--idle-timeout SEC] [--version]\n"
	    "  -f, --foreground     stay in the foreground (rtcached never"
	    " forks; logs\n"
	    "                       go to stderr, which systemd keeps)\n"
	    "  -c, --config FILE    configuration file (default %s)\n"
	    "  -n, --check          check the configuration and exit\n"
	    "  -v, --verbose        with -n: print the configuration in"
	    " effect\n"
	    "  -d, --debug          debug logging\n"
	    "      --netns NAME     mirror network namespace NAME"
	    " (/run/netns/NAME)\n"
	    "      --socket PATH    control socket (default %s,\n"
	    "                       or $XDG_RUNTIME_DIR/rtcached.sock when"
	    " not root)\n"
	    "      --workers N      worker threads (default: CPUs)\n"
	    "      --routes-file F  serve an `ip route save` dump instead of"
	    " netlink\n"
	    "      --max-clients N  concurrent control connections"
	    " (default %u)\n"
	    "      --idle-timeout S close connections idle for S seconds"
	    " (default %u)\n",
	    conf_default_path(), RTCD_DEFAULT_SOCK, RTCD_MAX_CLIENTS,
	    RTCD_IDLE_TIMEOUT);
}

const char *
rtcd_default_socket(void)
{
	static char path[108];
	const char *xdg;

	if (geteuid() == 0 || (xdg = getenv("XDG_RUNTIME_DIR")) == NULL ||
	    *xdg != '/')
		return RTCD_DEFAULT_SOCK;
	if ((size_t)snprintf(path, sizeof(path), "%s/rtcached.sock", xdg) >=
	    sizeof(path))
		return RTCD_DEFAULT_SOCK;
	return path;
}

static int
parse_uint(const char *s, unsigned long lo, unsigned long hi,
    unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v < lo || *v > hi)
		return -ERANGE;
	return 0;
}

/**
 * rtcd_parse_options - fill @o from the command line.
 *
 * Return: 0 to run; 1 when --help or --version was printed on @out (the
 * caller exits 0); -1 after a usage message on @err (exit 64).
 */
int
rtcd_parse_options(int argc, char **argv, struct rtcd_options *o, FILE *out,
    FILE *err)
{
	unsigned long v;
	int ch;

	memset(o, 0, sizeof(*o));
	o->max_clients = RTCD_MAX_CLIENTS;
	o->idle_timeout = RTCD_IDLE_TIMEOUT;
	optind = 0;		/* GNU: full re-initialisation */
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":c:dfhnv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'd':
			o->debug = 1;
			break;
		case 'f':
			o->foreground = 1;
			break;
		case 'h':
			rtcd_usage(out);
			return 1;
		case 'n':
			o->check = 1;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case OPT_NETNS:
			if (*optarg == '\0')
				goto bad_value;
			o->netns = optarg;
			break;
		case OPT_SOCKET:
			if (*optarg == '\0' || strlen(optarg) >= 108) {
				fprintf(err, "rtcached: socket path too long "
				    "or empty\n");
				goto usage;
			}
			o->socket_path = optarg;
			break;
		case OPT_WORKERS:
			if (parse_uint(optarg, 1, 1024, &v) < 0)
				goto bad_value;
			o->workers = (int)v;
			o->set |= RTCD_SET_WORKERS;
			break;
		case OPT_ROUTES_FILE:
			o->routes_file = optarg;
			break;
		case OPT_MAX_CLIENTS:
			if (parse_uint(optarg, 1, 1000000, &v) < 0)
				goto bad_value;
			o->max_clients = (unsigned int)v;
			o->set |= RTCD_SET_MAX_CLIENTS;
			break;
		case OPT_IDLE_TIMEOUT:
			if (parse_uint(optarg, 1, 86400, &v) < 0)
				goto bad_value;
			o->idle_timeout = (unsigned int)v;
			o->set |= RTCD_SET_IDLE_TIMEOUT;
			break;
		case OPT_VERSION:
			fprintf(out, "rtcached %s\n", PACKAGE_VERSION);
			return 1;
		case ':':
			fprintf(err, "rtcached: option %s needs a value\n",
			    argv[optind - 1]);
			goto usage;
		default:
			if (optopt)
				fprintf(err, "rtcached: unknown option -%c\n",
				    optopt);
			else
				fprintf(err, "rtcached: unknown option %s\n",
				    argv[optind - 1]);
			goto usage;
		}
	}
	if (optind < argc) {
		fprintf(err, "rtcached: unexpected argument %s\n", argv[optind]);
		goto usage;
	}
	if (o->netns != NULL && o->routes_file != NULL) {
		fprintf(err, "rtcached: --netns and --routes-file exclude each "
		    "other\n");
		goto usage;
	}
	return 0;
bad_value:
	fprintf(err, "rtcached: bad option value: %s\n", optarg);
usage:
	rtcd_usage(err);
	return -1;
}
