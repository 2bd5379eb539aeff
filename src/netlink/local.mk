# src/netlink: the rtnetlink mirror (include/rtcache/mirror.h): parser,
# apply and sweep, sockets and the sync state machine, the poll of what
# changes without a message (sysctls, device settings), multipath (the
# mode and its self-test), asking the kernel, logging.
src_librtcore_la_SOURCES += \
	include/rtcache/mirror.h \
	src/netlink/nl_internal.h \
	src/netlink/nl_parse.h \
	src/netlink/nl_parse.c \
	src/netlink/nl_apply.c \
	src/netlink/nl_mirror.c \
	src/netlink/nl_mp.c \
	src/netlink/nl_sysctl.c \
	src/netlink/nl_ask.c \
	src/netlink/nl_log.c
