/* SPDX-License-Identifier: MIT */
/*
 * fuzz_batch.c - libFuzzer target: one batch-file line through the word
 * splitter and the command parser, as `rtcache -b` reads it.
 * Seeds: tests/cli/corpus/batch.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[CLI_MAXARGS], err[512], *line;
	struct cli_cmd cmd;
	int argc;

	if ((line = malloc(size + 1)) == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	argc = cli_split_line(line, argv, CLI_MAXARGS);
	if (argc > 0)
		(void)cli_parse_cmd(argc, argv, &cmd, err, sizeof(err));
	free(line);
	return 0;
}
