#!/bin/sh
# make test's share of the fuzzing: every fuzz target (DIR/replay_NAME,
# built with gcc, no clang needed) over its seed corpus, every crash found
# so far (tests/fuzz/crashes) and, for the SIP target, the RFC 4475
# messages where they lie.  A crash or a sanitizer report fails it.
DIR=${1:-build/rel/fuzz}
passed=0
failed=0

for t in sip http yaml body xml; do
	extra=""
	if [ "$t" = sip ] && [ -d ../shared/testdata/rfc4475 ]; then
		extra=../shared/testdata/rfc4475
	fi
	if "$DIR/replay_$t" "tests/fuzz/corpus/$t" "tests/fuzz/crashes/$t" \
		$extra; then
		passed=$((passed + 1))
	else
		echo "FAIL replay_$t"
		failed=$((failed + 1))
	fi
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
