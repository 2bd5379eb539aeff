# tests/lib: the tests of src/lib: the control protocol codec
# (test_proto, and the fuzz_proto target with its seeds in corpus/proto)
# and librtcache with rtcache's client code against a fake rtcached
# (test_client).
lib_test_ldadd = src/cli/libcli.a src/lib/librtcache.la $(LIBMNL_LIBS) \
	$(test_ldadd) $(JSONC_LIBS)

criterion_tests += tests/lib/test_proto
tests_lib_test_proto_SOURCES = tests/lib/test_proto.c
tests_lib_test_proto_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_lib_test_proto_LDADD = $(lib_test_ldadd)
tests_lib_test_proto_LDFLAGS = -no-install

criterion_tests += tests/lib/test_client
tests_lib_test_client_SOURCES = tests/lib/test_client.c
tests_lib_test_client_CFLAGS = $(test_cflags) $(JSONC_CFLAGS)
tests_lib_test_client_LDADD = $(lib_test_ldadd)
tests_lib_test_client_LDFLAGS = -no-install

# libFuzzer target (see tests/fuzz.mk) and its seeds.
EXTRA_DIST += tests/lib/fuzz_proto.c tests/lib/corpus/proto
