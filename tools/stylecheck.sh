#!/bin/sh
# The formatting rules of STYLE.md that a machine can check: lines of at
# most 79 columns (tabs 8 wide), no C++ comments, no trailing white space,
# an SPDX line on top of every C file.
status=0
for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]'); do
	awk -v f="$f" '
	{
		line = $0
		gsub(/\t/, "        ", line)
		if (length(line) > 79) {
			printf "%s:%d: line longer than 79 columns\n", f, NR
			bad = 1
		}
		if ($0 ~ /[ \t]+$/) {
			printf "%s:%d: trailing white space\n", f, NR
			bad = 1
		}
		if ($0 ~ /^[ \t]*\/\//) {
			printf "%s:%d: C++ comment\n", f, NR
			bad = 1
		}
	}
	NR == 1 && $0 !~ /SPDX-License-Identifier/ {
		printf "%s:1: no SPDX line\n", f
		bad = 1
	}
	END { exit bad }' "$f"
	rc=$?
	# 1 is a finding, printed above; anything else is awk's own failure
	[ $rc -gt 1 ] && echo "$f: awk stopped with status $rc"
	[ $rc -ne 0 ] && status=1
done
[ $status -eq 0 ] && echo "style: clean"
exit $status
