# src/fib: the IPv4 FIB (include/rtcache/fib.h): fn_hash tables, fib_info
# and nexthops, policy rules, device events, the route walk and the `ip`-style text
# dumps.  (The text command language of the tests is not here: it is
# tests/support/fib_text.c.)
src_librtcore_la_SOURCES += \
	include/rtcache/fib.h \
	src/fib/fib_internal.h \
	src/fib/fib_hash.c \
	src/fib/fib_semantics.c \
	src/fib/fib_mp.c \
	src/fib/fib_rules.c \
	src/fib/fib_frontend.c \
	src/fib/fib_dump.c \
	src/fib/fib_walk.c
