/* SPDX-License-Identifier: MIT */
/*
 * mirror-dump - run the netlink mirror alone and print what it mirrors.
 *
 * The integration tests and the benchmark drive it: it mirrors the
 * current namespace (or -n NAME|PATH) and, each time the mirror has been
 * quiet for a moment after a batch, writes routes, rules, nexthops and
 * statistics into -o DIR (each file replaced atomically), so a test can
 * poll until the mirror equals the kernel.  -x exits once ready, printing
 * the start-to-ready time and the memory used; with -S only the
 * statistics are written when quiet, everything on SIGUSR1 (for tables
 * too big to list after every burst); -f FILE loads an
 * `ip route save` file offline instead.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include "base/clock.h"
#include "base/rcu.h"

#include "rtcache/fib.h"
#include "rtcache/mirror.h"

struct probe {
	struct event_base *base;
	struct mirror	*m;
	struct event	*quiet;
	const char	*outdir;
	int		 exit_ready;
	int		 stats_only;	/* quiet: stats alone; SIGUSR1: all */
	unsigned int	 quiet_ms;
	unsigned long	 rss0;		/* KiB before the sync */
	uint64_t	 t0;		/* clock_mono_ns() at start */
	unsigned long	 writes;
};

static unsigned long
rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long kib = 0;

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %lu", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static double
since(uint64_t t0)
{
	return (double)(clock_mono_ns() - t0) / 1e9;
}

static int
write_file(const char *dir, const char *name, unsigned int what,
    const struct mirror_stats *st)
{
	char tmp[4096], path[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", dir, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(tmp, "w")) == NULL)
		return -errno;
	if (st != NULL)
		fprintf(f, "messages %llu\nevents %llu\nbatches %llu\n"
		    "resyncs %llu\nenobufs %llu\ndump_intr %llu\n"
		    "parse_errors %llu\napply_errors %llu\nignored %llu\n"
		    "foreign %llu\nswept %llu\nroutes %llu\nrcvbuf %zu\n",
		    (unsigned long long)st->messages,
		    (unsigned long long)st->events,
		    (unsigned long long)st->batches,
		    (unsigned long long)st->resyncs,
		    (unsigned long long)st->enobufs,
		    (unsigned long long)st->dump_intr,
		    (unsigned long long)st->parse_errors,
		    (unsigned long long)st->apply_errors,
		    (unsigned long long)st->ignored,
		    (unsigned long long)st->foreign,
		    (unsigned long long)st->swept,
		    (unsigned long long)st->routes, st->rcvbuf);
	else
		mirror_dump(f, what);
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		return -errno;
	return 0;
}

static void
probe_write(struct probe *p)
{
	struct mirror_stats st;

	mirror_get_stats(p->m, &st);
	if (p->stats_only) {
		write_file(p->outdir, "stats", 0, &st);
		return;
	}
	write_file(p->outdir, "routes", MIRROR_DUMP_ROUTES, NULL);
	write_file(p->outdir, "rules", MIRROR_DUMP_RULES, NULL);
	write_file(p->outdir, "nexthops", MIRROR_DUMP_NEXTHOPS, NULL);
	write_file(p->outdir, "links", MIRROR_DUMP_LINKS, NULL);
	/* stats last: its appearance says the others are fresh */
	write_file(p->outdir, "stats", 0, &st);
	p->writes++;
}

static void
probe_quiet(evutil_socket_t fd, short what, void *arg)
{
	struct probe *p = arg;
	uint64_t now = clock_mono_ns();

	(void)fd;
	(void)what;
	if (now - mirror_last_activity(p->m) < p->quiet_ms * 1000000ULL) {
		struct timeval tv = { 0, (suseconds_t)p->quiet_ms * 1000 };

		evtimer_add(p->quiet, &tv);	/* not quiet yet */
		return;
	}
	probe_write(p);
}

static void
probe_batch(void *arg)
{
	struct probe *p = arg;
	struct timeval tv = { 0, (suseconds_t)p->quiet_ms * 1000 };

	if (p->outdir != NULL && mirror_ready(p->m))
		evtimer_add(p->quiet, &tv);	/* restarts the wait */
}

static void
probe_ready(void *arg)
{
	struct probe *p = arg;
	struct mirror_stats st;
	struct fib_mem_stats ms;
	unsigned long rss = rss_kib();

	mirror_get_stats(p->m, &st);
	fib_mem_stats(&ms);
	printf("ready %.3f s routes %llu aliases %zu rss_delta_kib %lu "
	    "bytes_per_route %.1f fib_bytes %zu\n", since(p->t0),
	    (unsigned long long)st.routes, ms.aliases, rss - p->rss0,
	    ms.aliases ? (double)(rss - p->rss0) * 1024.0 /
	    (double)ms.aliases : 0.0, ms.total_bytes);
	fflush(stdout);
	if (p->exit_ready)
		event_base_loopbreak(p->base);
	else if (p->outdir != NULL)
		probe_write(p);
}

static void
probe_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(arg);
}

static void
probe_usr1(evutil_socket_t sig, short what, void *arg)
{
	struct probe *p = arg;
	int so = p->stats_only;

	(void)sig;
	(void)what;
	if (p->outdir == NULL)
		return;
	p->stats_only = 0;
	probe_write(p);
	p->stats_only = so;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mirror-dump [-n NETNS] [-o DIR [-S]] "
	    "[-r RCVBUF] [-q MS] [-x] [-v]\n       mirror-dump -f FILE   (offline: "
	    "load an `ip route save` file, print the routes)\n");
	exit(2);
}

static int
offline(const char *path)
{
	struct mirror_stats st;
	int n = mirror_load_file(path, &st);

	if (n < 0) {
		fprintf(stderr, "mirror-dump: %s: %s\n", path, strerror(-n));
		return 1;
	}
	mirror_dump(stdout, MIRROR_DUMP_ROUTES);
	fprintf(stderr, "loaded %d (messages %llu, errors %llu parse %llu "
	    "apply, ignored %llu)\n", n, (unsigned long long)st.messages,
	    (unsigned long long)st.parse_errors,
	    (unsigned long long)st.apply_errors,
	    (unsigned long long)st.ignored);
	return 0;
}

int
main(int argc, char **argv)
{
	struct mirror_config cfg;
	struct probe p;
	struct event *sigs[3];
	const char *file = NULL;
	int c, rv;

	memset(&p, 0, sizeof(p));
	p.quiet_ms = 50;
	mirror_config_init(&cfg);
	while ((c = getopt(argc, argv, "f:n:o:q:r:Svx")) != -1) {
		switch (c) {
		case 'f': file = optarg; break;
		case 'n': cfg.netns = optarg; break;
		case 'o': p.outdir = optarg; break;
		case 'q': p.quiet_ms = (unsigned int)atoi(optarg); break;
		case 'r': cfg.rcvbuf = strtoul(optarg, NULL, 0); break;
		case 'S': p.stats_only = 1; break;
		case 'v': cfg.verbose = 1; break;
		case 'x': p.exit_ready = 1; break;
		default: usage();
		}
	}
	rcu_register_thread();
	if ((rv = fib_init()) < 0) {
		fprintf(stderr, "mirror-dump: fib_init: %s\n", strerror(-rv));
		return 1;
	}
	if (file != NULL)
		return offline(file);
	p.rss0 = rss_kib();
	p.t0 = clock_mono_ns();
	p.base = event_base_new();
	p.m = mirror_new(p.base, &cfg);
	p.quiet = evtimer_new(p.base, probe_quiet, &p);
	sigs[0] = evsignal_new(p.base, SIGTERM, probe_signal, p.base);
	sigs[1] = evsignal_new(p.base, SIGINT, probe_signal, p.base);
	event_add(sigs[0], NULL);
	event_add(sigs[1], NULL);
	sigs[2] = evsignal_new(p.base, SIGUSR1, probe_usr1, &p);
	event_add(sigs[2], NULL);
	mirror_set_batch_cb(p.m, probe_batch, &p);
	mirror_set_ready_cb(p.m, probe_ready, &p);
	if (mirror_start(p.m) < 0)
		return 1;
	event_base_dispatch(p.base);
	mirror_free(p.m);
	event_free(p.quiet);
	event_free(sigs[0]);
	event_free(sigs[1]);
	event_free(sigs[2]);
	event_base_free(p.base);
	fib_exit();
	rcu_unregister_thread();
	return 0;
}
