# src/fib: the IPv4 FIB (include/rtcache/fib.h): fn_hash tables, fib_info
# and nexthops, policy rules, device events, text commands and dumps.
src_librtcore_a_SOURCES += \
	include/rtcache/fib.h \
	src/fib/fib_internal.h \
	src/fib/fib_hash.c \
	src/fib/fib_semantics.c \
	src/fib/fib_rules.c \
	src/fib/fib_frontend.c \
	src/fib/fib_text.c \
	src/fib/fib_walk.c
