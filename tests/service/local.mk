# tests/service: the service's checks.  Golden configuration tests run
# rtcd-conftest (rtcached's -n/-nv code alone) over tests/service/conf;
# the units go through systemd-analyze, the man pages through mandoc
# (each skips with 77 without its tool).

check_PROGRAMS += tests/service/rtcd-conftest
tests_service_rtcd_conftest_SOURCES = tests/service/rtcd-conftest.c
tests_service_rtcd_conftest_CPPFLAGS = $(AM_CPPFLAGS)
tests_service_rtcd_conftest_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS)
tests_service_rtcd_conftest_LDADD = src/daemon/librtcsvc.a $(INIH_LIBS)

service_tests = \
	tests/service/conf-golden.sh \
	tests/service/units.sh \
	tests/service/manlint.sh \
	tests/service/rtcd-service.sh
TESTS += $(service_tests)
EXTRA_DIST += $(service_tests) $(service_golden)
service_golden = \
	tests/service/conf/bad-cross.conf \
	tests/service/conf/bad-dup.conf \
	tests/service/conf/bad-listen.conf \
	tests/service/conf/bad-range.conf \
	tests/service/conf/bad-syntax.conf \
	tests/service/conf/bad-unknown.conf \
	tests/service/conf/bad-text.conf \
	tests/service/conf/bad-value.conf \
	tests/service/conf/good-empty.conf \
	tests/service/conf/good-full.conf \
	tests/service/conf/good-listen-v4.conf \
	tests/service/conf/good-spelling.conf \
	tests/service/conf/reload-new.conf \
	tests/service/conf/bad-cross.ok \
	tests/service/conf/bad-dup.ok \
	tests/service/conf/bad-listen.ok \
	tests/service/conf/bad-range.ok \
	tests/service/conf/bad-syntax.ok \
	tests/service/conf/bad-unknown.ok \
	tests/service/conf/bad-text.ok \
	tests/service/conf/bad-value.ok \
	tests/service/conf/crash-netns-long-line \
	tests/service/conf/crash-netns-semicolon \
	tests/service/conf/good-empty.ok \
	tests/service/conf/good-full.ok \
	tests/service/conf/good-listen-v4.ok \
	tests/service/conf/good-spelling.ok \
	tests/service/conf/reload-new.ok \
	tests/service/conf/reload-refused.ok
