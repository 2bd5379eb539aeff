# src/netdev: the device table (include/rtcache/netdev.h) and the RCU
# helpers shared with src/fib.
src_librtcore_a_SOURCES += \
	include/rtcache/netdev.h \
	src/netdev/rcu_util.h \
	src/netdev/rcu_util.c \
	src/netdev/netdev.c
