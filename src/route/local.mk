# src/route: file lists (see Makefile.am)
