/* SPDX-License-Identifier: MIT */
/*
 * rtcache.c - main() of rtcache, the command-line client of rtcached;
 * everything else is in cli_*.c (a library, so tests can drive it).
 */
#include "cli/cli.h"

int
main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
