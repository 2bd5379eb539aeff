# src/cli: file lists (see Makefile.am)
