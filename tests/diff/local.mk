# tests/diff: the randomized differential tester (issue 18).  diffgen
# writes random routing states, changes and queries from a seed;
# difftest.sh builds each state in its own network namespace, runs
# rtcached there and compares `rtcache route get` with `ip route get`
# (root only, exit 77 otherwise).  `make check` runs its short mode;
# `make difftest DURATION=<seconds>` runs the full generator that long
# (DIFFTEST_FLAGS adds options, e.g. --seed N, --show, --out DIR).

noinst_PROGRAMS += tests/diff/diffgen
tests_diff_diffgen_SOURCES = tests/diff/diffgen.c

TESTS += tests/diff/difftest.sh
EXTRA_DIST += tests/diff/difftest.sh tests/diff/findings.md

DURATION = 600
DIFFTEST_FLAGS =
difftest: all
	top_srcdir=$(abs_top_srcdir) top_builddir=$(abs_top_builddir) \
	    $(SHELL) $(top_srcdir)/tests/diff/difftest.sh --full \
	    --duration $(DURATION) $(DIFFTEST_FLAGS)
.PHONY: difftest
