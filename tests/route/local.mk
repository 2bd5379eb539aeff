# tests/route: file lists (see Makefile.am)
