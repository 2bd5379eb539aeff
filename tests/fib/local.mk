# tests/fib: the FIB's Criterion suite and its TSan stress program.
criterion_tests += tests/fib/test_fib
tests_fib_test_fib_SOURCES = tests/fib/test_fib.c
tests_fib_test_fib_CFLAGS = $(test_cflags)
tests_fib_test_fib_LDADD = $(test_ldadd)

stress_tests += tests/fib/stress_fib
tests_fib_stress_fib_SOURCES = tests/fib/stress_fib.c
tests_fib_stress_fib_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS)
tests_fib_stress_fib_LDADD = $(stress_ldadd)
