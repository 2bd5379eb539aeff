# tests/cli: file lists (see Makefile.am)
