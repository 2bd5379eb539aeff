# tests/fuzz.mk: the libFuzzer targets.  In normal builds each target's
# source is linked with tests/fuzz_replay.c and replays its seed corpus
# as a test (crash inputs found later join the corpus and stay tests).
# With --enable-fuzz (CC=clang) the real fuzzers are built and
# `make fuzz` runs each for FUZZ_SECONDS (default 60) on a copy of its
# corpus.

fuzz_targets = netlink proto batch conf dispatch
fuzz_netlink_src = tests/netlink/fuzz_netlink.c
fuzz_netlink_corpus = tests/netlink/fixtures
fuzz_proto_src = tests/lib/fuzz_proto.c
fuzz_proto_corpus = tests/lib/corpus/proto
fuzz_batch_src = tests/cli/fuzz_batch.c
fuzz_batch_corpus = tests/cli/corpus/batch
fuzz_conf_corpus = tests/service/conf
# the request path: requests of the protocol's corpus, dispatched
fuzz_dispatch_src = tests/daemon/fuzz_dispatch.c
fuzz_dispatch_corpus = tests/lib/corpus/proto

fuzz_cli_ldadd = src/cli/libcli.a src/lib/librtcache.la src/libbase.a \
	$(LIBMNL_LIBS) $(JSONC_LIBS)

EXTRA_DIST += tests/fuzz_replay.c tests/service/fuzz_conf.c

# replays, in every build
fuzz_replays = tests/fuzz/replay_netlink tests/fuzz/replay_proto \
	tests/fuzz/replay_batch tests/fuzz/replay_conf tests/fuzz/replay_dispatch
check_PROGRAMS += $(fuzz_replays)
TESTS += $(fuzz_replays)

tests_fuzz_replay_netlink_SOURCES = tests/fuzz_replay.c \
	tests/netlink/fuzz_netlink.c
tests_fuzz_replay_netlink_CPPFLAGS = $(support_cppflags)
tests_fuzz_replay_netlink_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) \
	$(LIBMNL_CFLAGS) -DFUZZ_CORPUS='"$(fuzz_netlink_corpus)"'
tests_fuzz_replay_netlink_LDADD = $(support_ldadd) $(core_libs)

tests_fuzz_replay_proto_SOURCES = tests/fuzz_replay.c tests/lib/fuzz_proto.c
tests_fuzz_replay_proto_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS) \
	-DFUZZ_CORPUS='"$(fuzz_proto_corpus)"'
tests_fuzz_replay_proto_LDADD = src/lib/libproto.la $(LIBMNL_LIBS)

tests_fuzz_replay_batch_SOURCES = tests/fuzz_replay.c tests/cli/fuzz_batch.c
tests_fuzz_replay_batch_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS) \
	$(JSONC_CFLAGS) -DFUZZ_CORPUS='"$(fuzz_batch_corpus)"'
tests_fuzz_replay_batch_LDADD = $(fuzz_cli_ldadd)
tests_fuzz_replay_batch_LDFLAGS = -no-install

tests_fuzz_replay_conf_SOURCES = tests/fuzz_replay.c \
	tests/service/fuzz_conf.c
tests_fuzz_replay_conf_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) \
	-DFUZZ_CORPUS='"$(fuzz_conf_corpus)"'
tests_fuzz_replay_conf_LDADD = src/daemon/librtcsvc.a $(INIH_LIBS)

tests_fuzz_replay_dispatch_SOURCES = tests/fuzz_replay.c \
	tests/daemon/fuzz_dispatch.c
tests_fuzz_replay_dispatch_CPPFLAGS = $(support_cppflags)
tests_fuzz_replay_dispatch_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) \
	$(LIBMNL_CFLAGS) $(LIBEVENT_CFLAGS) \
	-DFUZZ_CORPUS='"$(fuzz_dispatch_corpus)"'
tests_fuzz_replay_dispatch_LDADD = $(support_ldadd) $(rtcd_ldadd)

if ENABLE_FUZZ
noinst_PROGRAMS += tests/fuzz/fuzz_netlink tests/fuzz/fuzz_proto \
	tests/fuzz/fuzz_batch tests/fuzz/fuzz_conf
tests_fuzz_fuzz_netlink_SOURCES = tests/netlink/fuzz_netlink.c
tests_fuzz_fuzz_netlink_CPPFLAGS = $(support_cppflags)
tests_fuzz_fuzz_netlink_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) $(LIBMNL_CFLAGS)
tests_fuzz_fuzz_netlink_LDADD = $(support_ldadd) $(core_libs)
tests_fuzz_fuzz_netlink_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_proto_SOURCES = tests/lib/fuzz_proto.c
tests_fuzz_fuzz_proto_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS)
tests_fuzz_fuzz_proto_LDADD = src/lib/libproto.la $(LIBMNL_LIBS)
tests_fuzz_fuzz_proto_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_batch_SOURCES = tests/cli/fuzz_batch.c
tests_fuzz_fuzz_batch_CFLAGS = $(AM_CFLAGS) $(LIBMNL_CFLAGS) $(JSONC_CFLAGS)
tests_fuzz_fuzz_batch_LDADD = $(fuzz_cli_ldadd)
tests_fuzz_fuzz_batch_LDFLAGS = $(FUZZ_LDFLAGS) -no-install

tests_fuzz_fuzz_conf_SOURCES = tests/service/fuzz_conf.c
tests_fuzz_fuzz_conf_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS)
tests_fuzz_fuzz_conf_LDADD = src/daemon/librtcsvc.a $(INIH_LIBS)
tests_fuzz_fuzz_conf_LDFLAGS = $(FUZZ_LDFLAGS)
noinst_PROGRAMS += tests/fuzz/fuzz_dispatch
tests_fuzz_fuzz_dispatch_SOURCES = tests/daemon/fuzz_dispatch.c
tests_fuzz_fuzz_dispatch_CPPFLAGS = $(support_cppflags)
tests_fuzz_fuzz_dispatch_CFLAGS = $(AM_CFLAGS) $(URCU_CFLAGS) \
	$(LIBMNL_CFLAGS) $(LIBEVENT_CFLAGS)
tests_fuzz_fuzz_dispatch_LDADD = $(support_ldadd) $(rtcd_ldadd)
tests_fuzz_fuzz_dispatch_LDFLAGS = $(FUZZ_LDFLAGS)

FUZZ_SECONDS ?= 60
fuzz: tests/fuzz/fuzz_netlink tests/fuzz/fuzz_proto tests/fuzz/fuzz_batch \
	tests/fuzz/fuzz_conf tests/fuzz/fuzz_dispatch
	@for t in $(fuzz_targets); do \
	    case $$t in \
	    netlink) c=$(fuzz_netlink_corpus) ;; \
	    proto) c=$(fuzz_proto_corpus) ;; \
	    batch) c=$(fuzz_batch_corpus) ;; \
	    conf) c=$(fuzz_conf_corpus) ;; \
	    dispatch) c=$(fuzz_dispatch_corpus) ;; \
	    esac; \
	    rm -rf fuzz-corpus/$$t; $(MKDIR_P) fuzz-corpus/$$t; \
	    echo "  FUZZ     $$t ($(FUZZ_SECONDS) s)"; \
	    ./tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	        -print_final_stats=1 fuzz-corpus/$$t $(srcdir)/$$c \
	        > fuzz-$$t.log 2>&1 || { tail -40 fuzz-$$t.log; exit 1; }; \
	    grep -E 'stat::number_of_executed_units|cov:' fuzz-$$t.log | tail -2; \
	done
CLEANFILES += fuzz-*.log
else
fuzz:
	@echo "make fuzz: configure with --enable-fuzz CC=clang" >&2; exit 1
endif
.PHONY: fuzz
