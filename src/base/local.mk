# src/base: the bottom layer, used by every other folder and using nothing
# of ours: memory ordering (include/rtcache/compiler.h), RCU and deferred
# freeing, lists and arrays (include/rtcache/list.h, array.h).
src_librtcore_a_SOURCES += \
	include/rtcache/compiler.h \
	include/rtcache/list.h \
	include/rtcache/array.h \
	src/base/rcu.h \
	src/base/rcu.c
