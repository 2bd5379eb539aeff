# tests/service: file lists (see Makefile.am)
