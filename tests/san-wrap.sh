#!/bin/sh
# Run one test program; if a sanitizer reported anything on stderr, fail
# it even when the program itself exited 0 (leak reports arrive after a
# Criterion worker has sent its result).  stderr is kept in the log.
err=$(mktemp) || exit 99
"$@" 2>"$err"
rc=$?
cat "$err" >&2
if grep -Eq 'ERROR: [A-Za-z]+Sanitizer|runtime error:|WARNING: ThreadSanitizer' "$err"; then
	echo "Bail out! sanitizer report from $1"
	rc=1
fi
rm -f "$err"
exit $rc
