# src/slab: the SLAB allocator (include/rtcache/slab.h)
src_librtcore_la_SOURCES += \
	include/rtcache/slab.h \
	src/slab/slab_internal.h \
	src/slab/kvmalloc.c \
	src/slab/page.c \
	src/slab/slab.c \
	src/slab/slab_debug.c \
	src/slab/slabinfo.c \
	src/slab/slab_rcu.c
