/* SPDX-License-Identifier: MIT */
/*
 * cli_run.c - rtcache's driver: global options, one command or a batch
 * file, the connection to rtcached, printing, and the exit status.
 *
 * Batch mode reads commands line by line like `ip -batch`.  A run of
 * consecutive `route get` lines is one pipelined stream: lines are read
 * and parsed only when a request message can go out, so the daemon
 * answers the flows before while this side parses the next (one line at
 * a time when reading a terminal).  Any other command ends the stream
 * after its answers are printed, so output keeps the order of the input.  A failed line prints "Command failed
 * FILE:LINE" and stops the batch unless -force is given; the exit status
 * is then 1, as ip's.
 *
 * The connection is opened on the first command that needs the daemon,
 * so `--help` and syntax errors never touch the socket.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rtcache/array.h"
#include "cli/cli.h"

/*
 * Line numbers of the flows of a stream still waiting for answers, by
 * flow index: a ring larger than the most the library has in flight
 * (RTC_WINDOW messages of at most RTC_BATCH_MAX flows).
 */
#define CLI_RING		(1U << 16)

/* a flow of the stream: its line, and its names for `Cannot find device` */
struct cli_pending {
	unsigned int		 line;
	char			 iifname[RTC_IFNAMSIZ];
	char			 oifname[RTC_IFNAMSIZ];
};

struct cli_ctx {
	const struct cli_opts	*o;
	struct rtc_client	*c;
	char			 path[108];
	FILE			*out;
	FILE			*err;
	const char		*file;		/* batch file name, or NULL */
	/* batch input: the current line, parsed */
	FILE			*in;
	char			*line;
	size_t			 linecap;
	unsigned int		 lineno;
	bool			 held;		/* line read, not yet run */
	int			 argc;		/* < 0: a split error */
	char			*argv[CLI_MAXARGS];
	struct cli_cmd		 cmd;
	int			 parse_rv;	/* cli_parse_cmd's */
	char			 perr[512];
	/* the route get stream */
	size_t			 nflows;	/* flows given to the library */
	size_t			 max_flows;	/* per stream: 1 on a terminal */
	struct cli_pending	*lines;		/* CLI_RING flows' lines */
	bool			 stop;		/* a line failed, no -force */
	int			 status;	/* exit status so far */
	/* batch answers and their error lines, written a chunk at a time */
	struct cli_buf		 obuf;
	struct cli_buf		 ebuf;
	bool			 same_file;	/* out and err: keep their order */
};

#define CLI_OBUF_HIGH		(1U << 20)	/* write out past this */

static int
cli_connect(struct cli_ctx *x)
{
	int rv;

	if (x->c != NULL)
		return 0;
	if ((rv = rtc_connect(&x->c, x->o->sock)) < 0) {
		fprintf(x->err, "rtcache: cannot connect to rtcached at %s: "
		    "%s (is rtcached running?)\n", x->path, strerror(-rv));
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* A failed call after connecting: the daemon's or the library's words. */
static int
cli_daemon_error(struct cli_ctx *x, int rv)
{
	const char *msg = rtc_errmsg(x->c);

	fprintf(x->err, "rtcache: %s\n", *msg != '\0' ? msg : strerror(-rv));
	return CLI_EXIT_LOOKUP;
}

/* --- route get ------------------------------------------------------------ */

/* An answer, text or JSON (@json), appended to @b. */
static void
cli_format_answer(struct cli_ctx *x, struct cli_buf *b,
    const struct rtc_result *res, int json)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;
	json_object *arr;

	if (!json) {
		if (res->present & RTC_RES_F_FIB)
			cli_buf_puts(b, res->fib);
		else
			cli_format_route(b, res, x->o->details);
		return;
	}
	flags |= x->o->pretty ? JSON_C_TO_STRING_PRETTY :
	    JSON_C_TO_STRING_PLAIN;
	if (res->present & RTC_RES_F_FIB)
		arr = cli_route_text_json(res->fib);
	else {
		arr = json_object_new_array();
		json_object_array_add(arr, cli_route_json(res,
		    x->o->details));
	}
	cli_buf_puts(b, json_object_to_json_string_ext(arr, flags));
	cli_buf_putc(b, '\n');
	json_object_put(arr);
}

static void
cli_print_answer(struct cli_ctx *x, const struct rtc_result *res, int json)
{
	struct cli_buf b;

	cli_buf_init(&b);
	cli_format_answer(x, &b, res, json);
	cli_buf_write(&b, x->out);
	cli_buf_free(&b);
}

/* A failed lookup's words, as ip prints them, to x->err. */
static void
cli_print_failed(struct cli_ctx *x, const struct rtc_flow *fl,
    const struct rtc_result *res)
{
	struct cli_buf b;

	cli_buf_init(&b);
	cli_format_lookup_error(&b, res, fl->iifname, fl->oifname);
	fflush(x->out);
	cli_buf_write(&b, x->err);
	cli_buf_free(&b);
}

/* Write out the answers and error lines gathered so far. */
static void
cli_drain(struct cli_ctx *x)
{
	if (x->obuf.len > 0)
		cli_buf_write(&x->obuf, x->out);
	if (x->ebuf.len > 0) {
		fflush(x->out);
		cli_buf_write(&x->ebuf, x->err);
	}
}

/*
 * An error line of batch mode.  When stdout and stderr are one file (a
 * terminal, 2>&1) the answers before it are written first, as ip's
 * unbuffered stderr shows them; otherwise the lines wait in x->ebuf.
 */
static void
cli_err_text(struct cli_ctx *x, const char *s)
{
	if (x->same_file) {
		cli_drain(x);
		fflush(x->out);
		fputs(s, x->err);
		return;
	}
	cli_buf_puts(&x->ebuf, s);
	if (x->ebuf.len >= CLI_OBUF_HIGH)
		cli_drain(x);
}

static void
cli_failed(struct cli_ctx *x, unsigned int line)
{
	char msg[64 + 4096];

	if (x->file != NULL) {
		snprintf(msg, sizeof(msg), "Command failed %s:%u\n", x->file,
		    line);
		cli_err_text(x, msg);
		x->status = CLI_EXIT_FAIL;
		if (!x->o->force)
			x->stop = true;
	}
}

static int
cli_answer_cb(void *arg, size_t index, const struct rtc_result *res)
{
	struct cli_ctx *x = arg;
	const struct cli_pending *p = &x->lines[index % CLI_RING];
	struct cli_buf b;

	if (res->present & RTC_RES_F_ERROR) {
		cli_buf_init(&b);
		cli_format_lookup_error(&b, res, p->iifname, p->oifname);
		cli_buf_putc(&b, '\0');
		cli_err_text(x, b.nomem ? "\n" : b.p);
		cli_buf_free(&b);
		cli_failed(x, p->line);
		return x->stop ? -ECANCELED : 0;
	}
	cli_format_answer(x, &x->obuf, res, x->o->json);
	if (x->obuf.len >= CLI_OBUF_HIGH)
		cli_buf_write(&x->obuf, x->out);
	return 0;
}

/* A `vrf` that is no VRF: ip's argument error (iproute2's invarg). */
static bool
cli_vrf_refused(const struct rtc_flow *fl, const struct rtc_result *res)
{
	return (fl->present & RTC_FLOW_F_VRF) && res->error == EINVAL &&
	    (res->present & RTC_RES_F_ERRMSG) &&
	    strcmp(res->errmsg, RTC_ERRMSG_INVALID_VRF) == 0;
}

/* One lookup into @res; its failure printed. */
static int
cli_get(struct cli_ctx *x, const struct rtc_flow *fl, struct rtc_result *res)
{
	int rv;

	if ((rv = rtc_route_get(x->c, fl, res)) < 0)
		return cli_daemon_error(x, rv);
	if ((res->present & RTC_RES_F_ERROR) && cli_vrf_refused(fl, res)) {
		fflush(x->out);
		fprintf(x->err, "Error: argument \"%s\" is wrong: %s\n",
		    fl->oifname, RTC_ERRMSG_INVALID_VRF);
		return CLI_EXIT_USAGE;
	}
	if (res->present & RTC_RES_F_ERROR) {
		cli_print_failed(x, fl, res);
		/* iproute2's nodev() is -1 before asking: ip exits 1 */
		return cli_lookup_nodev(res) ? CLI_EXIT_FAIL :
		    CLI_EXIT_LOOKUP;
	}
	return 0;
}

/*
 * `connected` without `from`, as iproute2 6.1's iproute_get() runs it:
 * the answer is printed, then it must name a source (RTA_PREFSRC or
 * RTA_SRC), else "Failed to connect the route" (and under -j the JSON
 * array is left unclosed, as ip leaves it); then the same request goes
 * again and its answer is printed once more, as text even under -j (ip
 * has closed its JSON output by then).
 */
static int
cli_connected(struct cli_ctx *x, const struct rtc_flow *fl,
    const struct rtc_result *first)
{
	struct rtc_result res;
	struct cli_buf b;
	int rv;

	cli_buf_init(&b);
	cli_format_answer(x, &b, first, x->o->json);
	if (!(first->present & (RTC_RES_F_PREFSRC | RTC_RES_F_SRC))) {
		if (x->o->json && b.len >= 2)
			b.len -= 2;	/* "]\n" */
		cli_buf_write(&b, x->out);
		cli_buf_free(&b);
		fflush(x->out);
		fprintf(x->err, "Failed to connect the route\n");
		return CLI_EXIT_FAIL;	/* ip's status too */
	}
	cli_buf_write(&b, x->out);
	cli_buf_free(&b);
	if ((rv = cli_get(x, fl, &res)) == 0)
		cli_print_answer(x, &res, 0);
	return rv;
}

static int
cli_route_get(struct cli_ctx *x, const struct cli_cmd *cmd)
{
	struct rtc_result res;
	int rv;

	if ((rv = cli_connect(x)) != 0)
		return rv;
	if ((rv = cli_get(x, &cmd->flow, &res)) != 0)
		return rv;
	if (cmd->connected && !(cmd->flow.present & RTC_FLOW_F_SRC))
		return cli_connected(x, &cmd->flow, &res);
	cli_print_answer(x, &res, x->o->json);
	return 0;
}

/* --- listings and values ---------------------------------------------------- */

struct cli_lines {
	struct cli_ctx	*x;
	char		**v;
	unsigned int	 n;
	size_t		 cap;
	bool		 nomem;
};

static int
cli_line_cb(void *arg, const char *line)
{
	struct cli_lines *l = arg;

	if (!l->x->o->json) {
		fprintf(l->x->out, "%s\n", line);
		return 0;
	}
	if (array_reserve(&l->v, &l->cap, l->n, sizeof(*l->v), 64) < 0 ||
	    (l->v[l->n] = strdup(line)) == NULL) {
		l->nomem = true;
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

static int
cli_listing(struct cli_ctx *x, const struct cli_cmd *cmd)
{
	struct cli_lines l = { x, NULL, 0, 0, false };
	json_object *arr;
	unsigned int i;
	int rv;

	if ((rv = cli_connect(x)) != 0)
		return rv;
	switch (cmd->kind) {
	case CMD_ROUTE_SHOW:
		rv = rtc_route_show(x->c, cmd->table, cli_line_cb, &l);
		break;
	case CMD_RULE_SHOW:
		rv = rtc_rule_show(x->c, cli_line_cb, &l);
		break;
	case CMD_NEXTHOP_SHOW:
		rv = rtc_nexthop_show(x->c, cli_line_cb, &l);
		break;
	case CMD_LINK_SHOW:
		rv = rtc_link_show(x->c, cli_line_cb, &l);
		break;
	case CMD_ADDR_SHOW:
		rv = rtc_addr_show(x->c, cli_line_cb, &l);
		break;
	case CMD_CACHE_SHOW:
		rv = rtc_cache_show(x->c, cli_line_cb, &l);
		break;
	default:
		rv = rtc_slabinfo(x->c, cli_line_cb, &l);
		break;
	}
	if (rv == 0 && x->o->json) {
		if (cmd->kind == CMD_ROUTE_SHOW)
			arr = cli_route_lines_json((const char **)l.v, l.n);
		else if (cmd->kind == CMD_SLABINFO)
			arr = cli_slabinfo_json((const char **)l.v, l.n);
		else {
			arr = json_object_new_array();
			for (i = 0; i < l.n; i++)
				json_object_array_add(arr,
				    json_object_new_string(l.v[i]));
		}
		cli_print_json(x->out, arr, x->o->pretty);
		json_object_put(arr);
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	if (l.nomem) {
		fprintf(x->err, "rtcache: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	return rv < 0 ? cli_daemon_error(x, rv) : 0;
}

#define CLI_KV_MAX	256

struct cli_kv {
	json_object	*obj;
	const char	*names[CLI_KV_MAX];
	char		*owned[CLI_KV_MAX];
	uint64_t	 vals[CLI_KV_MAX];
	unsigned int	 n;
	FILE		*out;
};

static int
cli_kv_cb(void *arg, const char *name, const char *str, uint64_t v)
{
	struct cli_kv *kv = arg;

	if (kv->obj != NULL) {
		json_object_object_add(kv->obj, name, str != NULL ?
		    json_object_new_string(str) : json_object_new_uint64(v));
		return 0;
	}
	if (kv->out != NULL) {
		if (str != NULL)
			fprintf(kv->out, "%-20s %s\n", name, str);
		else
			fprintf(kv->out, "%-20s %llu\n", name,
			    (unsigned long long)v);
		return 0;
	}
	if (kv->n < CLI_KV_MAX && str == NULL &&
	    (kv->owned[kv->n] = strdup(name)) != NULL) {
		kv->names[kv->n] = kv->owned[kv->n];
		kv->vals[kv->n++] = v;
	}
	return 0;
}

static int
cli_values(struct cli_ctx *x, const struct cli_cmd *cmd)
{
	struct cli_kv *kv;
	unsigned int i;
	int rv;

	if ((rv = cli_connect(x)) != 0)
		return rv;
	if ((kv = calloc(1, sizeof(*kv))) == NULL)
		return CLI_EXIT_FAIL;
	if (x->o->json)
		kv->obj = json_object_new_object();
	else if (cmd->kind != CMD_CACHE_STATS)
		kv->out = x->out;
	if (cmd->kind == CMD_CACHE_STATS)
		rv = rtc_cache_stats(x->c, cli_kv_cb, kv);
	else if (cmd->kind == CMD_STATUS)
		rv = rtc_status(x->c, cli_kv_cb, kv);
	else
		rv = rtc_stats(x->c, cli_kv_cb, kv);
	if (rv == 0 && kv->obj != NULL)
		cli_print_json(x->out, kv->obj, x->o->pretty);
	else if (rv == 0 && cmd->kind == CMD_CACHE_STATS)
		cli_print_lnstat(x->out, "rt_cache", kv->names, kv->vals,
		    kv->n);
	json_object_put(kv->obj);
	for (i = 0; i < kv->n; i++)
		free(kv->owned[i]);
	free(kv);
	return rv < 0 ? cli_daemon_error(x, rv) : 0;
}

/* Run one parsed command now (route get lines of a batch are gathered). */
static int
cli_run(struct cli_ctx *x, const struct cli_cmd *cmd)
{
	int rv;

	switch (cmd->kind) {
	case CMD_HELP:
		cli_usage(x->out);
		return 0;
	case CMD_ROUTE_GET:
		return cli_route_get(x, cmd);
	case CMD_CACHE_STATS:
	case CMD_STATUS:
	case CMD_STATS:
		return cli_values(x, cmd);
	case CMD_CACHE_FLUSH:
	case CMD_SLAB_TUNE:
		if ((rv = cli_connect(x)) != 0)
			return rv;
		rv = cmd->kind == CMD_CACHE_FLUSH ? rtc_cache_flush(x->c, 0) :
		    rtc_slab_tune(x->c, cmd->slab, cmd->limit,
		    cmd->batchcount, cmd->shared);
		return rv < 0 ? cli_daemon_error(x, rv) : 0;
	case CMD_VERIFY:
		if ((rv = cli_connect(x)) != 0)
			return rv;
		return cli_verify(x->c, cmd, x->out, x->err);
	case CMD_NONE:
		return CLI_EXIT_USAGE;
	default:
		return cli_listing(x, cmd);
	}
}

/* --- batch ------------------------------------------------------------------ */

/* Do @a and @b write to the same file (or can we not tell)? */
static bool
cli_same_file(FILE *a, FILE *b)
{
	struct stat sa, sb;
	int fa = fileno(a), fb = fileno(b);

	if (fa < 0 || fb < 0 || fstat(fa, &sa) < 0 || fstat(fb, &sb) < 0)
		return true;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Read the next batch line into x->line; false at the end. */
static bool
cli_read_line(struct cli_ctx *x)
{
	ssize_t len;

	if ((len = getline(&x->line, &x->linecap, x->in)) == -1)
		return false;
	x->lineno++;
	if (len > 0 && x->line[len - 1] == '\n')
		x->line[--len] = '\0';
	x->argc = 0;
	x->parse_rv = -1;
	x->cmd.kind = CMD_NONE;
	if (cli_parse_route_get_fast(x->line, (size_t)len, &x->cmd.flow)) {
		x->cmd.kind = CMD_ROUTE_GET;
		x->cmd.connected = false;
		x->parse_rv = 0;
		x->argc = 1;
		return true;
	}
	if ((x->argc = cli_split_line(x->line, x->argv, CLI_MAXARGS)) < 0)
		snprintf(x->perr, sizeof(x->perr), "Error: unbalanced quote "
		    "or more than %d words", CLI_MAXARGS);
	else if (x->argc > 0)
		x->parse_rv = cli_parse_cmd(x->argc, x->argv, &x->cmd, x->perr,
		    sizeof(x->perr));
	return true;
}

/*
 * Is the line just read a route get for the stream (its flow in
 * x->cmd.flow)?  One with `connected` runs alone: it may ask twice.
 */
static bool
cli_line_is_get(const struct cli_ctx *x)
{
	return x->argc > 0 && x->parse_rv == 0 &&
	    x->cmd.kind == CMD_ROUTE_GET && !x->cmd.connected;
}

/*
 * The stream's source: the line that began it, then the route get lines
 * after it; the first other line is held for cli_batch.
 */
static int
cli_stream_src(void *arg, struct rtc_flow *fl)
{
	struct cli_ctx *x = arg;
	struct cli_pending *p;

	/* the line that began the stream is still in x->cmd */
	if (x->nflows > 0) {
		if (x->stop || x->nflows >= x->max_flows)
			return 0;
		do {
			if (!cli_read_line(x))
				return 0;
		} while (x->argc == 0);		/* blank lines, comments */
		if (!cli_line_is_get(x)) {
			x->held = true;
			return 0;
		}
	}
	*fl = x->cmd.flow;
	p = &x->lines[x->nflows++ % CLI_RING];
	p->line = x->lineno;
	memcpy(p->iifname, fl->iifname, sizeof(p->iifname));
	memcpy(p->oifname, fl->oifname, sizeof(p->oifname));
	return 1;
}

/* Look up the run of route get lines that starts with x->cmd's. */
static void
cli_stream(struct cli_ctx *x)
{
	unsigned int first = x->lineno;
	int rv;

	if (cli_connect(x) != 0) {
		x->status = CLI_EXIT_FAIL;
		x->stop = true;
		return;
	}
	x->nflows = 0;
	rv = rtc_route_get_stream(x->c, cli_stream_src, cli_answer_cb, x);
	cli_drain(x);
	if (rv < 0 && rv != -ECANCELED) {
		cli_daemon_error(x, rv);
		cli_failed(x, first);
		cli_drain(x);
		x->status = CLI_EXIT_FAIL;
		x->stop = true;	/* the connection is gone or out of step */
	}
}

static int
cli_batch(struct cli_ctx *x, const char *file)
{
	x->file = file;
	x->same_file = cli_same_file(x->out, x->err);
	if ((x->lines = calloc(CLI_RING, sizeof(*x->lines))) == NULL) {
		fprintf(x->err, "rtcache: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	if (strcmp(file, "-") == 0)
		x->in = stdin;
	else if ((x->in = fopen(file, "r")) == NULL) {
		fprintf(x->err, "rtcache: cannot open %s: %s\n", file,
		    strerror(errno));
		return CLI_EXIT_FAIL;
	}
	/* answer as the user types */
	x->max_flows = isatty(fileno(x->in)) ? 1 : SIZE_MAX;
	while (!x->stop) {
		if (x->held)
			x->held = false;
		else if (!cli_read_line(x))
			break;
		if (x->argc == 0)
			continue;
		if (cli_line_is_get(x)) {
			cli_stream(x);
			continue;
		}
		if (x->argc < 0 || x->parse_rv != 0 ||
		    x->cmd.kind == CMD_NONE) {
			fflush(x->out);
			fprintf(x->err, "%s\n", x->perr);
			cli_failed(x, x->lineno);
			cli_drain(x);
			continue;
		}
		if (cli_run(x, &x->cmd) != 0)
			cli_failed(x, x->lineno);
		cli_drain(x);
	}
	free(x->line);
	if (x->in != stdin)
		fclose(x->in);
	return x->status;
}

/**
 * cli_main - rtcache's main()
 *
 * Return: the exit status (CLI_EXIT_*).
 */
int
cli_main(int argc, char **argv)
{
	struct cli_ctx x = { .out = stdout, .err = stderr };
	struct cli_opts o;
	struct cli_cmd cmd;
	char err[512];
	int next, rv;

	if (cli_parse_opts(argc, argv, &o, &next, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		cli_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (o.help) {
		cli_usage(stdout);
		return 0;
	}
	if (o.version) {
		printf("rtcache %s\n", PACKAGE_VERSION);
		return 0;
	}
	x.o = &o;
	if (o.sock != NULL)
		snprintf(x.path, sizeof(x.path), "%s", o.sock);
	else
		rtc_default_path(x.path, sizeof(x.path));
	if (o.batch != NULL) {
		if (next < argc) {
			fprintf(stderr, "Error: a command and -b FILE "
			    "together\n");
			cli_usage(stderr);
			return CLI_EXIT_USAGE;
		}
		rv = cli_batch(&x, o.batch);
	} else if (next >= argc) {
		cli_usage(stderr);
		return CLI_EXIT_USAGE;
	} else if (cli_parse_cmd(argc - next, argv + next, &cmd, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return CLI_EXIT_USAGE;
	} else
		rv = cli_run(&x, &cmd);
	rtc_close(x.c);
	cli_buf_free(&x.obuf);
	cli_buf_free(&x.ebuf);
	free(x.lines);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "rtcache: write error: %s\n", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return rv;
}
