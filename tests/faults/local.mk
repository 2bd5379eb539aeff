# tests/faults: end-to-end fault and soak tests (see Makefile.am).
# Root only (exit 77 otherwise); each builds its own namespace(s) with
# veth links, runs rtcached inside, provokes one fault and compares the
# daemon with the kernel afterwards.  RTC_FAULT_FULL=1 runs the full-size
# versions; SOAK_SECONDS sets the soak's length (default 120).

fault_tests = \
	tests/faults/burst.sh \
	tests/faults/stall.sh \
	tests/faults/flap.sh \
	tests/faults/netns-del.sh \
	tests/faults/restart.sh \
	tests/faults/clients.sh \
	tests/faults/alloc-fail.sh \
	tests/faults/start-query.sh \
	tests/faults/listing-load.sh \
	tests/faults/soak.sh
TESTS += $(fault_tests)
EXTRA_DIST += $(fault_tests) tests/faults/fault-lib.sh
