# src/daemon: file lists (see Makefile.am)
