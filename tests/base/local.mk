# tests/base: the base layer's suites (name tables, log hook).
criterion_tests += tests/base/test_names tests/base/test_log
tests_base_test_names_SOURCES = tests/base/test_names.c
tests_base_test_names_CFLAGS = $(test_cflags)
tests_base_test_names_LDADD = src/libbase.a $(CRITERION_LIBS)
tests_base_test_log_SOURCES = tests/base/test_log.c
tests_base_test_log_CFLAGS = $(test_cflags)
tests_base_test_log_LDADD = src/libbase.a $(CRITERION_LIBS)
