# tests/daemon: file lists (see Makefile.am)
