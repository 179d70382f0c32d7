#!/bin/sh
# The size limits of the layout (README, Layout), checked at every build:
# no source file over 600 lines, no function over 80.  A table or an
# initialiser is no function and has no limit.  A function is a line that
# starts in column 0 and holds '(', followed by a '{' in column 0; its
# length is what lies between that brace and the '}' in column 0.
MAX_FILE=600
MAX_FUNC=80
status=0

files=$(git ls-files '*.c' '*.h' 2>/dev/null)
[ -n "$files" ] || files=$(find emul cscf hss as ue tests include \
	-name '*.[ch]' 2>/dev/null)

for f in $files; do
	[ -f "$f" ] || continue
	n=$(wc -l < "$f")
	if [ "$n" -gt $MAX_FILE ]; then
		echo "$f: $n lines, more than $MAX_FILE"
		status=1
	fi
	awk -v F="$f" -v MAX=$MAX_FUNC '
	/^[a-zA-Z_].*\(/ && !/;[ \t]*$/ { head = $0; at = NR }
	/^\{/ && head != "" { open = NR }
	/^\}/ && open {
		if (NR - open - 1 > MAX)
			printf "%s:%d: %s: %d lines, more than %d\n", F, at,
			       head, NR - open - 1, MAX
		open = 0; head = ""
	}' "$f" | grep . && status=1
done

[ $status -eq 0 ] || echo "sizes: split the above into parts of one concept"
exit $status
