/* SPDX-License-Identifier: MIT */
/*
 * cli.h - rtcache's internals, shared by its files and tests/cli: command
 * parsing (cli_parse.c), output formatting (cli_print.c) and running
 * commands against the daemon (cli_run.c).
 */
#ifndef RTCACHE_CLI_H
#define RTCACHE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "rtcache/client.h"

/* Exit codes (documented in rtcache(8)). */
#define CLI_EXIT_OK		0
#define CLI_EXIT_FAIL		1	/* daemon unreachable; batch failures */
#define CLI_EXIT_LOOKUP		2	/* lookup or daemon error, as ip's 2 */
#define CLI_EXIT_USAGE		64	/* EX_USAGE: bad arguments */

#define CLI_MAXARGS		64	/* words per batch line */

enum cli_cmd_kind {
	CMD_NONE,
	CMD_ROUTE_GET,
	CMD_ROUTE_SHOW,
	CMD_RULE_SHOW,
	CMD_NEXTHOP_SHOW,
	CMD_LINK_SHOW,
	CMD_ADDR_SHOW,
	CMD_CACHE_SHOW,
	CMD_CACHE_FLUSH,
	CMD_CACHE_STATS,
	CMD_SLABINFO,
	CMD_SLAB_TUNE,
	CMD_STATUS,
	CMD_STATS,
	CMD_VERIFY,
	CMD_HELP,
};

struct cli_cmd {
	enum cli_cmd_kind kind;
	struct rtc_flow	 flow;		/* CMD_ROUTE_GET */
	bool		 connected;	/* CMD_ROUTE_GET: `connected` */
	uint32_t	 table;		/* CMD_ROUTE_SHOW: 0 main */
	char		 slab[64];	/* CMD_SLAB_TUNE */
	uint32_t	 limit, batchcount, shared;
	/* CMD_VERIFY (table above: 0 all) */
	uint32_t	 samples;
	uint64_t	 seed;
	char		 netns[64];
};

struct cli_opts {
	int		 json;
	int		 pretty;
	int		 details;
	int		 force;
	int		 version;
	int		 help;
	const char	*sock;
	const char	*batch;		/* -b FILE, "-" for stdin */
};

/*
 * An output buffer: batch mode formats every answer into one of these and
 * writes it with a few large write()s instead of stdio calls per token.
 * An allocation failure sets @nomem and drops what did not fit.
 */
struct cli_buf {
	char		*p;
	size_t		 len;
	size_t		 cap;
	bool		 nomem;
};

/* cli_buf.c */
void	 cli_buf_init(struct cli_buf *b);
void	 cli_buf_free(struct cli_buf *b);
int	 cli_buf_grow(struct cli_buf *b, size_t n);
int	 cli_buf_write(struct cli_buf *b, FILE *fp);
int	 cli_buf_write_fd(struct cli_buf *b, int fd);
size_t	 cli_fmt_addr(char *dst, uint32_t a);
void	 cli_buf_addr(struct cli_buf *b, uint32_t a);
void	 cli_buf_u64(struct cli_buf *b, uint64_t v);
void	 cli_buf_hex(struct cli_buf *b, uint32_t v);
int	 cli_parse_route_get_fast(const char *line, size_t len,
	    struct rtc_flow *fl);

static inline void
cli_buf_put(struct cli_buf *b, const char *s, size_t n)
{
	if (b->cap - b->len >= n || cli_buf_grow(b, n) == 0) {
		memcpy(b->p + b->len, s, n);
		b->len += n;
	}
}

static inline void
cli_buf_puts(struct cli_buf *b, const char *s)
{
	cli_buf_put(b, s, strlen(s));
}

static inline void
cli_buf_putc(struct cli_buf *b, char c)
{
	if (b->len < b->cap || cli_buf_grow(b, 1) == 0)
		b->p[b->len++] = c;
}

/* cli_parse.c */
int	 cli_parse_opts(int argc, char **argv, struct cli_opts *o, int *next,
	    char *err, size_t errlen);
int	 cli_parse_cmd(int argc, char **argv, struct cli_cmd *cmd, char *err,
	    size_t errlen);
int	 cli_split_line(char *line, char **argv, int max);
int	 cli_table_parse(const char *s, uint32_t *id);
void	 cli_usage(FILE *out);

/* cli_print.c */
void	 cli_print_route(FILE *out, const struct rtc_result *res, int details);
void	 cli_format_route(struct cli_buf *b, const struct rtc_result *res,
	    int details);
json_object *cli_route_json(const struct rtc_result *res, int details);
void	 cli_print_json(FILE *out, json_object *obj, int pretty);
void	 cli_print_lookup_error(FILE *out, int err);
void	 cli_format_lookup_error(struct cli_buf *b,
	    const struct rtc_result *res, const char *iifname,
	    const char *oifname);
bool	 cli_lookup_nodev(const struct rtc_result *res);
void	 cli_print_lnstat(FILE *out, const char *file, const char **names,
	    const uint64_t *vals, unsigned int n);
json_object *cli_route_lines_json(const char **lines, unsigned int n);
json_object *cli_route_text_json(const char *text);
json_object *cli_slabinfo_json(const char **lines, unsigned int n);

/* cli_verify.c */
int	 cli_verify(struct rtc_client *c, const struct cli_cmd *cmd, FILE *out,
	    FILE *err);

/* cli_run.c */
int	 cli_main(int argc, char **argv);

#endif /* RTCACHE_CLI_H */
