# src/route: the route cache (include/rtcache/route.h)
src_librtcore_la_SOURCES += \
	include/rtcache/route.h \
	include/rtcache/route_hit.h \
	src/route/route_internal.h \
	src/route/rt_cache.c \
	src/route/route.c
