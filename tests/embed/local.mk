# tests/embed: librtcache's embedded mode (include/rtcache/embed.h),
# through the shared library and the public headers only.
#  - test_embed (Criterion, root: its own namespaces with veth links,
#    skipped otherwise): answers against the kernel's RTM_GETROUTE, a
#    batch against single lookups, changes through the notification fd
#    and the generation, the errors of bad use;
#  - stress_embed (plain, also the TSan build's): two lookup threads while
#    routes change, close refused while they are registered, then closed.
embed_test_cflags = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
embed_test_ldadd = src/lib/librtcache.la $(LIBMNL_LIBS)

criterion_tests += tests/embed/test_embed
tests_embed_test_embed_SOURCES = tests/embed/test_embed.c
tests_embed_test_embed_CFLAGS = $(embed_test_cflags) $(CRITERION_CFLAGS)
tests_embed_test_embed_LDADD = $(embed_test_ldadd) $(CRITERION_LIBS)

stress_tests += tests/embed/stress_embed
tests_embed_stress_embed_SOURCES = tests/embed/stress_embed.c
tests_embed_stress_embed_CFLAGS = $(embed_test_cflags)
tests_embed_stress_embed_LDADD = $(embed_test_ldadd)
