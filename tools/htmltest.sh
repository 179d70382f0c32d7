#!/bin/sh
# The --html page renders in headless Chromium (when it is installed):
# the DOM after scripts holds one arrow per message of the run, and a
# screenshot is written.
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

"$BIN" run -q --html "$dir/page.html" --trace "$dir/t.jsonl" \
	scenarios/click-to-dial.yaml >/dev/null 2>&1
want=$(grep -cv '"proto":"rtp"' "$dir/t.jsonl")
# shellcheck disable=SC2086
timeout 60 "$CHROME" $flags --dump-dom "file://$dir/page.html" \
	>"$dir/dom.html" 2>/dev/null
got=$(grep -o 'class="arrow ' "$dir/dom.html" | wc -l)
# shellcheck disable=SC2086
timeout 60 "$CHROME" $flags --window-size=1400,1000 \
	--screenshot="$dir/page.png" "file://$dir/page.html" >/dev/null 2>&1

if [ "$want" -gt 0 ] && [ "$got" -eq "$want" ] &&
   [ "$(wc -c <"$dir/page.png" 2>/dev/null || echo 0)" -gt 10000 ]; then
	echo "html: $got arrows rendered, screenshot taken"
	echo "html: 1 passed, 0 failed"
	exit 0
fi

echo "html: $got arrows in the rendered page, $want messages in the run"
echo "html: 0 passed, 1 failed"
exit 1
