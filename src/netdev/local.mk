# src/netdev: the device table (include/rtcache/netdev.h).
src_librtcore_a_SOURCES += \
	include/rtcache/netdev.h \
	src/netdev/netdev.c
