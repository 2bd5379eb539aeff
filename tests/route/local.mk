# tests/route: the route cache's suites
criterion_tests += tests/route/test_route
tests_route_test_route_SOURCES = tests/route/test_route.c
tests_route_test_route_CPPFLAGS = $(support_cppflags)
tests_route_test_route_CFLAGS = $(test_cflags)
tests_route_test_route_LDADD = $(support_ldadd) $(test_ldadd)

stress_tests += tests/route/stress_route
tests_route_stress_route_SOURCES = tests/route/stress_route.c
tests_route_stress_route_CPPFLAGS = $(support_cppflags)
tests_route_stress_route_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS)
tests_route_stress_route_LDADD = $(support_ldadd) $(stress_ldadd)
