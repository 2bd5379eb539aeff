# tests/support: code the tests share that librtcore must not carry.
# libtestsupport.a holds fib_text, the compact `ip`-like command language
# tests build FIB states with (support/fib_text.h).  Targets that use it
# add $(support_ldadd) ahead of the core libraries and compile with
# $(support_cppflags); nothing under src/, bench/ or tools/ links it.

noinst_LIBRARIES += tests/support/libtestsupport.a
tests_support_libtestsupport_a_SOURCES = \
	tests/support/fib_text.h \
	tests/support/fib_text.c
tests_support_libtestsupport_a_CPPFLAGS = $(support_cppflags)
tests_support_libtestsupport_a_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) \
	$(LIBMNL_CFLAGS)

support_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/tests
support_ldadd = tests/support/libtestsupport.a
