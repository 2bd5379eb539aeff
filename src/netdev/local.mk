# src/netdev: the device table (include/rtcache/netdev.h) and its text.
src_librtcore_la_SOURCES += \
	include/rtcache/netdev.h \
	src/netdev/netdev.c \
	src/netdev/l3mdev.c \
	src/netdev/netdev_dump.c
