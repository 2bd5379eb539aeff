/* SPDX-License-Identifier: MIT */
/*
 * cli_buf.c - the output buffer of batch mode and the hand-written
 * formatting behind it (dotted quads, decimal and hex numbers), plus the
 * fast path of the batch-line parser.
 *
 * `rtcache -b` answers 100k lookups in a fraction of the time `ip -batch`
 * takes only if the client itself costs little per line: printf's format
 * parsing and stdio's per-call locking were most of its CPU time.  Here an
 * answer is appended to a growing buffer with memcpy and table-free digit
 * loops, and the buffer goes out in large write()s.  The output is the
 * same bytes inet_ntop() and printf("%u" / "0x%x") would produce.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

void
cli_buf_init(struct cli_buf *b)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->nomem = false;
}

void
cli_buf_free(struct cli_buf *b)
{
	free(b->p);
	cli_buf_init(b);
}

/**
 * cli_buf_grow - make room for @n more bytes
 *
 * Return: 0, or -ENOMEM (with @nomem set).
 */
int
cli_buf_grow(struct cli_buf *b, size_t n)
{
	size_t cap = b->cap ? b->cap : 4096;
	char *p;

	while (cap - b->len < n) {
		if (cap > SIZE_MAX / 2)
			goto nomem;
		cap *= 2;
	}
	if ((p = realloc(b->p, cap)) == NULL)
		goto nomem;
	b->p = p;
	b->cap = cap;
	return 0;
nomem:
	b->nomem = true;
	return -ENOMEM;
}

/**
 * cli_buf_write - write out and empty the buffer
 *
 * Return: 0, or -1 on a write error (stdio's error flag is set).
 */
int
cli_buf_write(struct cli_buf *b, FILE *fp)
{
	size_t n = b->len;

	b->len = 0;
	if (n == 0)
		return 0;
	return fwrite(b->p, 1, n, fp) == n ? 0 : -1;
}

/* Same, straight to a file descriptor (the caller has no stdio data). */
int
cli_buf_write_fd(struct cli_buf *b, int fd)
{
	size_t off = 0;
	ssize_t n;

	while (off < b->len) {
		n = write(fd, b->p + off, b->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			b->len = 0;
			return -1;
		}
		off += (size_t)n;
	}
	b->len = 0;
	return 0;
}

/* Up to three digits of @v (< 256) at @dst; returns how many. */
static size_t
fmt_octet(char *dst, unsigned int v)
{
	if (v >= 100) {
		dst[0] = (char)('0' + v / 100);
		dst[1] = (char)('0' + v / 10 % 10);
		dst[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		dst[0] = (char)('0' + v / 10);
		dst[1] = (char)('0' + v % 10);
		return 2;
	}
	dst[0] = (char)('0' + v);
	return 1;
}

/**
 * cli_fmt_addr - an IPv4 address (network order) as inet_ntop writes it
 * @dst: at least 15 bytes; no NUL is written
 *
 * Return: the length.
 */
size_t
cli_fmt_addr(char *dst, uint32_t a)
{
	const uint8_t *o = (const uint8_t *)&a;
	size_t n;

	n = fmt_octet(dst, o[0]);
	dst[n++] = '.';
	n += fmt_octet(dst + n, o[1]);
	dst[n++] = '.';
	n += fmt_octet(dst + n, o[2]);
	dst[n++] = '.';
	n += fmt_octet(dst + n, o[3]);
	return n;
}

void
cli_buf_addr(struct cli_buf *b, uint32_t a)
{
	if (b->cap - b->len >= 16 || cli_buf_grow(b, 16) == 0)
		b->len += cli_fmt_addr(b->p + b->len, a);
}

/* @v in decimal, as printf("%llu"). */
void
cli_buf_u64(struct cli_buf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);

	do
		tmp[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	cli_buf_put(b, tmp + i, sizeof(tmp) - i);
}

/* @v in hex, as printf("0x%x"). */
void
cli_buf_hex(struct cli_buf *b, uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[10];
	size_t i = sizeof(tmp);

	do
		tmp[--i] = digits[v & 15];
	while ((v >>= 4) != 0);
	tmp[--i] = 'x';
	tmp[--i] = '0';
	cli_buf_put(b, tmp + i, sizeof(tmp) - i);
}

/* A dotted quad as inet_pton() accepts it (no leading zeros); -1 if not. */
static int
scan_addr(const char *s, const char *end, uint32_t *addr)
{
	uint8_t o[4];
	unsigned int v;
	int i;

	for (i = 0; i < 4; i++) {
		if (s == end || *s < '0' || *s > '9')
			return -1;
		v = (unsigned int)(*s++ - '0');
		if (v != 0)
			while (s != end && *s >= '0' && *s <= '9') {
				v = v * 10 + (unsigned int)(*s++ - '0');
				if (v > 255)
					return -1;
			}
		o[i] = (uint8_t)v;
		if (i < 3 && (s == end || *s++ != '.'))
			return -1;
	}
	if (s != end)
		return -1;
	memcpy(addr, o, 4);
	return 0;
}

/**
 * cli_parse_route_get_fast - the common batch line, "route get A.B.C.D"
 * @line: the line without its newline, @len bytes
 *
 * Recognises only the exact shape (words separated by single spaces or
 * tabs, nothing but the address after "route get", optional trailing
 * blanks); everything else, valid or not, is left to cli_split_line()
 * and cli_parse_cmd(), which give the same answer for these lines.
 * Return: 1 with @fl set, or 0 to take the general path.
 */
int
cli_parse_route_get_fast(const char *line, size_t len, struct rtc_flow *fl)
{
	const char *p = line, *end = line + len;
	uint32_t dst;

	while (p != end && (*p == ' ' || *p == '\t'))
		p++;
	if ((size_t)(end - p) < 10 || memcmp(p, "route get", 9) != 0 ||
	    (p[9] != ' ' && p[9] != '\t'))
		return 0;
	p += 10;
	while (p != end && (*p == ' ' || *p == '\t'))
		p++;
	while (end != p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (scan_addr(p, end, &dst) < 0)
		return 0;
	memset(fl, 0, sizeof(*fl));
	fl->dst = dst;
	return 1;
}
