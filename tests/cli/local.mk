# tests/cli: the control protocol codec, librtcache and rtcache.
cli_test_ldadd = src/cli/libcli.a src/lib/librtcache.la $(LIBMNL_LIBS) \
	$(test_ldadd) $(JSONC_LIBS)

criterion_tests += tests/cli/test_proto
tests_cli_test_proto_SOURCES = tests/cli/test_proto.c
tests_cli_test_proto_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_cli_test_proto_LDADD = $(cli_test_ldadd)
tests_cli_test_proto_LDFLAGS = -no-install

criterion_tests += tests/cli/test_cli
tests_cli_test_cli_SOURCES = tests/cli/test_cli.c
tests_cli_test_cli_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_cli_test_cli_LDADD = $(cli_test_ldadd)
tests_cli_test_cli_LDFLAGS = -no-install

# libFuzzer targets (wired by --enable-fuzz later) and their seeds.
EXTRA_DIST += tests/cli/fuzz_proto.c tests/cli/fuzz_batch.c \
	tests/cli/corpus/proto tests/cli/corpus/batch

criterion_tests += tests/cli/test_client
tests_cli_test_client_SOURCES = tests/cli/test_client.c
tests_cli_test_client_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_cli_test_client_LDADD = $(cli_test_ldadd)
tests_cli_test_client_LDFLAGS = -no-install

# rtcache verify against the kernel, in a namespace of its own (root).
TESTS += tests/cli/verify.sh
EXTRA_DIST += tests/cli/verify.sh
