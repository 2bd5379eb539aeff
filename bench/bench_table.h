/* SPDX-License-Identifier: MIT */
/*
 * bench/bench_table.h - what the table benchmarks share: timing and
 * medians, a seeded generator, reading a prefix list (the real full view
 * by default), loading it into table main over a few gateways, in-table
 * address streams, and the same prefixes in DPDK's rte_lpm (next hop =
 * prefix index), whose slow build is kept in a cache file.
 */
#ifndef BENCH_TABLE_H
#define BENCH_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "rtcache/fib.h"

#ifdef BENCH_WITH_DPDK
#include <rte_lpm.h>
#endif

/* bench/local.mk passes the table's absolute path in the source tree */
#ifndef BENCH_FULLVIEW
#define BENCH_FULLVIEW		"tests/data/fullview-2024.txt.gz"
#endif

#define BENCH_NGW		4

struct bench_pfx {
	uint32_t	 addr;		/* host order */
	uint8_t		 len;
	uint8_t		 ours;		/* 1: from the table, 0: connected */
};

extern struct bench_pfx	*bench_pfx;	/* sorted by (addr, len) */
extern size_t		 bench_npfx;
extern size_t		 bench_ntable;	/* prefixes from the input */
extern volatile uint64_t bench_sink;

void	 bench_fatalx(const char *fmt, ...)
	    __attribute__((noreturn, format(printf, 1, 2)));
void	*bench_xcalloc(size_t n, size_t size);
double	 bench_now_ns(void);
double	 bench_median(double *v, int n);
void	 bench_seed(uint64_t seed);
uint64_t bench_rng(void);
uint32_t bench_len_mask(unsigned int len);

void	 bench_read_table(const char *path);
/* Devices and gateways; call after fib_init, before the loads. */
void	 bench_setup_links(void);
void	 bench_route_cfg(struct fib_config *cfg, const struct bench_pfx *p);
double	 bench_fib_load(struct fib_table *tb);		/* ns */
/* A random host inside a random table prefix (host order). */
uint32_t bench_intable_host(void);
long	 bench_pfx_find(uint32_t addr, unsigned int len);

#ifdef BENCH_WITH_DPDK
extern struct rte_lpm	*bench_lpm;
void	 bench_lpm_init(const char *prog);
double	 bench_lpm_load(const char *cache, int *cached);	/* ns */
double	 bench_lpm_bytes(void);
#endif

#endif /* BENCH_TABLE_H */
