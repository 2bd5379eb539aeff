# tests: shared test plumbing.  Criterion suites and plain stress programs
# both speak TAP (tap-driver); *.sh integration tests use exit codes
# (77 = skipped).  Module fragments append to criterion_tests (Criterion
# binaries, not built under TSan) and stress_tests (plain programs, run
# in every build, and the only tests of the TSan build).

TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
AM_LOG_DRIVER_FLAGS = --comments
SH_LOG_DRIVER = $(SHELL) $(top_srcdir)/build-aux/test-driver
LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/san-wrap.sh

AM_TESTS_ENVIRONMENT = \
	CRITERION_OUTPUTS=tap:/dev/stdout; export CRITERION_OUTPUTS; \
	CRITERION_JOBS=$${CRITERION_JOBS:-2}; export CRITERION_JOBS; \
	ASAN_OPTIONS=$${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}; export ASAN_OPTIONS; \
	UBSAN_OPTIONS=$${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}; export UBSAN_OPTIONS; \
	TSAN_OPTIONS=$${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}; export TSAN_OPTIONS; \
	LSAN_OPTIONS=suppressions=$(abs_top_srcdir)/tests/lsan.supp:print_suppressions=0; export LSAN_OPTIONS; \
	top_srcdir=$(abs_top_srcdir); export top_srcdir; \
	top_builddir=$(abs_top_builddir); export top_builddir; \
	CC='$(CC)'; export CC; \
	SAN_CFLAGS='$(SAN_CFLAGS)'; export SAN_CFLAGS;

EXTRA_DIST += tests/san-wrap.sh tests/lsan.supp tests/headers.sh

# every public header compiles alone from an installed tree
TESTS += tests/headers.sh

criterion_tests =
stress_tests =
test_cflags = $(AM_CFLAGS) $(CRITERION_CFLAGS) $(URCU_CFLAGS) $(LIBMNL_CFLAGS) $(LIBEVENT_CFLAGS)
test_ldadd = $(core_libs) $(CRITERION_LIBS)
stress_ldadd = $(core_libs)

if ENABLE_TESTS
if !SAN_TSAN
check_PROGRAMS += $(criterion_tests)
TESTS += $(criterion_tests)
endif
endif
check_PROGRAMS += $(stress_tests)
TESTS += $(stress_tests)
