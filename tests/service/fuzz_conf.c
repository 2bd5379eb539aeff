/* SPDX-License-Identifier: MIT */
/*
 * fuzz_conf.c - libFuzzer target over rtcached.conf parsing: any bytes
 * as a configuration file.  A file that loads must print (-nv) to text
 * that loads again to the same configuration; nothing may crash or
 * leak.  The input goes through a memfd, since conf_load reads a path.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "daemon/conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Load @len bytes of @buf as a file; 0 when it has no error. */
static int
load_bytes(struct rtcd_conf *c, const void *buf, size_t len)
{
	char path[64];
	int fd, rv;

	conf_init(c);	/* the caller frees it whatever happens */
	if ((fd = memfd_create("fuzz_conf", MFD_CLOEXEC)) < 0)
		return -1;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rv = conf_load(c, path, quiet, NULL);
	close(fd);
	return rv;
}

static char *
print_conf(const struct rtcd_conf *c, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (f == NULL)
		abort();
	conf_print(f, c);
	fclose(f);
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rtcd_conf a, b;
	char *t1, *t2;
	size_t l1, l2;

	if (load_bytes(&a, data, size) != 0) {
		conf_free(&a);
		return 0;
	}
	t1 = print_conf(&a, &l1);
	if (load_bytes(&b, t1, l1) != 0)
		abort();		/* -nv output must load again */
	t2 = print_conf(&b, &l2);
	if (l1 != l2 || memcmp(t1, t2, l1) != 0)
		abort();		/* ... to the same configuration */
	free(t1);
	free(t2);
	conf_free(&a);
	conf_free(&b);
	return 0;
}
