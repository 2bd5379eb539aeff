# src/daemon/service.mk: configuration, metrics, units, man pages (see Makefile.am)
