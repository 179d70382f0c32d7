#!/bin/sh
# The --html page of every shipped scenario renders in headless Chromium
# (when it is installed): the DOM after scripts holds one arrow per
# message of the run; and a screenshot of the click-to-dial page.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
CHROME=$(command -v chromium || command -v chromium-browser ||
	 command -v google-chrome)
if [ -z "$CHROME" ]; then
	echo "html: chromium not installed, not checked"
	exit 0
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync
--user-data-dir=$dir/profile"

fails=0
total=0
for sc in scenarios/*.yaml; do
	case "$(basename "$sc")" in topology*) continue ;; esac
	total=$((total + 1))
	rm -f "$dir/page.html" "$dir/t.jsonl"
	"$BIN" run -q --html "$dir/page.html" --trace "$dir/t.jsonl" "$sc" \
		>/dev/null 2>&1
	want=$(grep -cv '"proto":"rtp"' "$dir/t.jsonl")
	# shellcheck disable=SC2086
	timeout 60 "$CHROME" $flags --dump-dom "file://$dir/page.html" \
		>"$dir/dom.html" 2>/dev/null
	got=$(grep -o 'class="arrow ' "$dir/dom.html" | wc -l)
	if [ "$want" -eq 0 ] || [ "$got" -ne "$want" ]; then
		echo "html: $sc: $got arrows rendered, $want messages"
		fails=$((fails + 1))
	fi
done

# One screenshot, of the click-to-dial page.
"$BIN" run -q --html "$dir/page.html" scenarios/click-to-dial.yaml \
	>/dev/null 2>&1
# shellcheck disable=SC2086
timeout 60 "$CHROME" $flags --window-size=1400,1000 \
	--screenshot="$dir/page.png" "file://$dir/page.html" >/dev/null 2>&1

if [ "$fails" -eq 0 ] &&
   [ "$(wc -c <"$dir/page.png" 2>/dev/null || echo 0)" -gt 10000 ]; then
	echo "html: $total pages rendered with every arrow, screenshot taken"
	echo "html: 1 passed, 0 failed"
	exit 0
fi

echo "html: $fails of $total pages wrong, or no screenshot"
echo "html: 0 passed, 1 failed"
exit 1
