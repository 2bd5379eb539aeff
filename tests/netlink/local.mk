# tests/netlink: file lists (see Makefile.am)
