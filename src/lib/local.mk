# src/lib: file lists (see Makefile.am)
