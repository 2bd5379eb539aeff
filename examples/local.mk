# examples: programs written as a user of the installed librtcache would
# write them.  They are not built by `make`: tests/examples.sh stages an
# install into a DESTDIR and compiles each with nothing but
# `pkg-config --cflags --libs librtcache` of that tree, then runs
# route-decide against `ip route get` (root; in a namespace of its own).
example_sources = examples/route-decide.c
EXTRA_DIST += $(example_sources) tests/examples.sh
TESTS += tests/examples.sh
