#!/bin/sh
# Every public header (include/*.h) compiles by itself, included alone
# and twice, with the project's warnings: a file includes what it uses,
# never what a header happened to need.
CC=${CC:-cc}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0
failed=0
flags="-std=c11 -D_GNU_SOURCE -DHAVE_INTTYPES_H -DHAVE_STDBOOL_H
-DHAVE_INET6 -Wall -Wextra -Werror -Wno-unused-parameter
-Wmissing-prototypes -Wshadow -Wstrict-prototypes -Iinclude
$(pkg-config --cflags libre yaml-0.1 2>/dev/null)"

for h in include/*.h; do
	n=$(basename "$h")
	printf '#include "%s"\n#include "%s"\n' "$n" "$n" >"$dir/t.c"
	# shellcheck disable=SC2086
	if $CC $flags -fsyntax-only "$dir/t.c" 2>"$dir/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $h does not compile by itself:"
		head -5 "$dir/err"
	fi
done

echo "headers: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
