# tests/faults: end-to-end fault and soak tests (see Makefile.am)
