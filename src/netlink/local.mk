# src/netlink: file lists (see Makefile.am)
