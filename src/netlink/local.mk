# src/netlink: the rtnetlink mirror (include/rtcache/mirror.h): parser,
# apply and sweep, sockets and the sync state machine, logging.
#
# src/base/nlattr.[ch], the attribute iterator, are base files (libc and
# libmnl only) listed here until src/base has a fragment of its own; the
# control codec and the CLI list them too (see src/lib, src/cli).
src_librtcore_a_SOURCES += \
	src/base/nlattr.h \
	src/base/nlattr.c \
	include/rtcache/array.h \
	include/rtcache/mirror.h \
	src/netlink/nl_internal.h \
	src/netlink/nl_parse.h \
	src/netlink/nl_parse.c \
	src/netlink/nl_apply.c \
	src/netlink/nl_mirror.c \
	src/netlink/nl_log.c
