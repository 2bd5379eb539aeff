# tests/cli: the rtcache command-line tool: its Criterion suite, its
# batch-mode fuzz target and seeds, `rtcache verify` and `rtcache route
# get`'s words against the kernel and ip.  The tests of src/lib (protocol
# codec, librtcache) are in tests/lib.
cli_test_ldadd = src/cli/libcli.a src/lib/librtcache.la $(LIBMNL_LIBS) \
	$(test_ldadd) $(JSONC_LIBS)

criterion_tests += tests/cli/test_cli
tests_cli_test_cli_SOURCES = tests/cli/test_cli.c
tests_cli_test_cli_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_cli_test_cli_LDADD = $(cli_test_ldadd)
tests_cli_test_cli_LDFLAGS = -no-install

# libFuzzer target (see tests/fuzz.mk) and its seeds.
EXTRA_DIST += tests/cli/fuzz_batch.c tests/cli/corpus/batch

# rtcache verify against the kernel, in a namespace of its own (root).
TESTS += tests/cli/verify.sh
EXTRA_DIST += tests/cli/verify.sh

# rtcache route get's words (connected, fibmatch, ipproto) against ip's.
TESTS += tests/cli/route-get.sh
EXTRA_DIST += tests/cli/route-get.sh
