#!/bin/sh
# make fuzz: each libFuzzer target of tests/fuzz for SECONDS (60), seeded
# from tests/fuzz/corpus, from the messages of the scenarios' own traces
# (sip, http; needs python3 to split them) and from the RFC 4475 files
# where ../shared/testdata lies.  The network targets run in a private
# network namespace (tools/netns.sh).  What a target crashes on is left
# in DIR/crashes/TARGET/; once fixed, keep it in tests/fuzz/crashes/TARGET/
# so that make test replays it for ever.
BIN=${1:-./imsbed}
DIR=${2:-build/fuzz}
SECS=${3:-60}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
crashes=0

for t in sip http yaml body xml; do
	mkdir -p "$DIR/corpus/$t" "$DIR/crashes/$t"
	cp tests/fuzz/corpus/$t/* "$DIR/corpus/$t/"
done

torture=../shared/testdata/rfc4475
if [ -d "$torture" ]; then
	for f in "$torture"/*.dat; do
		# first byte 0: to the P-CSCF
		{ printf '\000'; cat "$f"; } \
			>"$DIR/corpus/sip/rfc4475-$(basename "$f" .dat)"
	done
else
	echo "fuzz: $torture not found, no RFC 4475 seeds"
fi

if command -v python3 >/dev/null 2>&1; then
	tools/netns.sh "$BIN" test scenarios --trace "$DIR/trace.jsonl" \
		>/dev/null 2>&1
	python3 - "$DIR" <<'PY'
import json, sys
d = sys.argv[1]
nodes = ["pcscf", "icscf", "scscf", "as1", "ue1"]
for i, line in enumerate(open(d + "/trace.jsonl")):
    r = json.loads(line)
    raw = r["raw"].encode("latin-1", "replace")
    if r["proto"] == "sip" and r["dst"] in nodes:
        open("%s/corpus/sip/trace-%d" % (d, i), "wb").write(
            bytes([nodes.index(r["dst"])]) + raw)
    elif r["proto"] == "http" and not raw.startswith(b"HTTP/"):
        open("%s/corpus/http/trace-%d" % (d, i), "wb").write(raw)
PY
else
	echo "fuzz: python3 not installed, no seeds from the traces"
fi

for t in sip http yaml body xml; do
	echo "== fuzz_$t, $SECS s"
	tools/netns.sh "$DIR/fuzz/fuzz_$t" -max_total_time="$SECS" \
		-timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$DIR/crashes/$t/" "$DIR/corpus/$t" \
		>"$DIR/fuzz_$t.log" 2>&1
	grep -aE "^stat::number_of_executed_units|^#[0-9]+ *DONE" \
		"$DIR/fuzz_$t.log" | tail -2
	n=$(find "$DIR/crashes/$t" -type f | wc -l)
	if [ "$n" -gt 0 ]; then
		echo "fuzz_$t: $n crashing inputs in $DIR/crashes/$t:"
		grep -aE "ERROR|SUMMARY" "$DIR/fuzz_$t.log" | head -5
		crashes=$((crashes + n))
	fi
done

echo "fuzz: $crashes crashing inputs"
[ "$crashes" -eq 0 ]
