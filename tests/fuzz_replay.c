/* SPDX-License-Identifier: MIT */
/*
 * fuzz_replay.c - runs a libFuzzer target over its seed corpus in normal
 * builds, so every corpus file (crashes found earlier included) stays a
 * regression test in `make check`.  Linked with one target's source;
 * arguments are corpus files or directories; without any, the
 * directories named at build time by FUZZ_CORPUS (relative to
 * $top_srcdir, ':'-separated).  Prints TAP: one line per directory.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int	LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0) {
		perror(path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	buf = malloc((size_t)st.st_size + 1);
	n = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (buf == NULL || n != (size_t)st.st_size) {
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
run_path(const char *path, unsigned int *count)
{
	struct dirent *de;
	struct stat st;
	char sub[4096];
	DIR *d;
	int rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path);
	}
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
		if (run_path(sub, count) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

#ifndef FUZZ_CORPUS
#define FUZZ_CORPUS	""
#endif

int
main(int argc, char **argv)
{
	char *dirs[16], *list, *save = NULL, *tok, path[4096];
	const char *top = getenv("top_srcdir");
	int i, fails = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc == 1) {
		static char paths[16][4096];

		snprintf(path, sizeof(path), "%s", FUZZ_CORPUS);
		list = path;
		dirs[0] = argv[0];
		for (tok = strtok_r(list, ":", &save); tok != NULL && argc < 16;
		    tok = strtok_r(NULL, ":", &save)) {
			snprintf(paths[argc], sizeof(paths[argc]), "%s/%s",
			    top ? top : ".", tok);
			dirs[argc] = paths[argc];
			argc++;
		}
		argv = dirs;
	}
	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		unsigned int count = 0;
		int rc = run_path(argv[i], &count);

		if (rc != 0 || count == 0)
			fails++;
		printf("%s %d - %s: %u inputs replayed\n", rc == 0 && count ?
		    "ok" : "not ok", i, argv[i], count);
	}
	return fails ? 1 : 0;
}
