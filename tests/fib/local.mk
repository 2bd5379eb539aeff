# tests/fib: the FIB's Criterion suites (test_fib; test_fibfix, what the
# FIB does itself that the mirror used to work around) and its TSan
# stress program.  They build their states with tests/support's fib_text.
criterion_tests += tests/fib/test_fib
tests_fib_test_fib_SOURCES = tests/fib/test_fib.c
tests_fib_test_fib_CPPFLAGS = $(support_cppflags)
tests_fib_test_fib_CFLAGS = $(test_cflags)
tests_fib_test_fib_LDADD = $(support_ldadd) $(test_ldadd)

criterion_tests += tests/fib/test_fibfix
tests_fib_test_fibfix_SOURCES = tests/fib/test_fibfix.c
tests_fib_test_fibfix_CPPFLAGS = $(support_cppflags)
tests_fib_test_fibfix_CFLAGS = $(test_cflags)
tests_fib_test_fibfix_LDADD = $(support_ldadd) $(test_ldadd)

stress_tests += tests/fib/stress_fib
tests_fib_stress_fib_SOURCES = tests/fib/stress_fib.c
tests_fib_stress_fib_CPPFLAGS = $(support_cppflags)
tests_fib_stress_fib_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS)
tests_fib_stress_fib_LDADD = $(support_ldadd) $(stress_ldadd)

# multipath: the kernel's hash against vectors recorded from the kernel
# (tests/fib/mp-vectors.sh writes tests/fib/mp-vectors.txt, as root)
criterion_tests += tests/fib/test_mphash
tests_fib_test_mphash_SOURCES = tests/fib/test_mphash.c
tests_fib_test_mphash_CPPFLAGS = $(support_cppflags)
tests_fib_test_mphash_CFLAGS = $(test_cflags)
tests_fib_test_mphash_LDADD = $(support_ldadd) $(test_ldadd)
EXTRA_DIST += tests/fib/mp-vectors.sh tests/fib/mp-vectors.txt
