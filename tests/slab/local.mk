# tests/slab: the SLAB allocator's suites
criterion_tests += tests/slab/test_slab
tests_slab_test_slab_SOURCES = tests/slab/test_slab.c
tests_slab_test_slab_CFLAGS = $(test_cflags)
tests_slab_test_slab_LDADD = $(test_ldadd)

stress_tests += tests/slab/stress_slab
tests_slab_stress_slab_SOURCES = tests/slab/stress_slab.c
tests_slab_stress_slab_LDADD = $(stress_ldadd)
