# tests/route: the route cache's suites
criterion_tests += tests/route/test_route
tests_route_test_route_SOURCES = tests/route/test_route.c
tests_route_test_route_CFLAGS = $(test_cflags)
tests_route_test_route_LDADD = $(test_ldadd)
