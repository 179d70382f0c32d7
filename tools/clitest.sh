#!/bin/sh
# The commands around a run: a saved trace shown again by 'imsbed ladder'
# gives the ladder the run printed, the diagram has a column per node, and
# 'imsbed pcap' turns the trace into a capture tshark reads.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

"$BIN" run --ladder lines --trace "$dir/t.jsonl" scenarios/sysinfo.yaml \
	>"$dir/run.txt" 2>/dev/null
grep -E '^ +[0-9]+\.[0-9]{3}  ' "$dir/run.txt" >"$dir/run.lines"
"$BIN" ladder --ladder lines "$dir/t.jsonl" >"$dir/ladder.txt" 2>&1
grep -E '^ +[0-9]+\.[0-9]{3}  ' "$dir/ladder.txt" >"$dir/ladder.lines"
if [ -s "$dir/run.lines" ] &&
   cmp -s "$dir/run.lines" "$dir/ladder.lines"; then
	ok
else
	ko "imsbed ladder does not repeat the run's ladder"
	diff "$dir/run.lines" "$dir/ladder.lines" | head -10
fi

"$BIN" ladder --ladder columns "$dir/t.jsonl" >"$dir/cols.txt" 2>&1
if head -1 "$dir/cols.txt" | grep -q 'ue1 .* pcscf .* scscf .* as1' &&
   grep -q -- '--REGISTER--' "$dir/cols.txt" &&
   ! grep -q "$(printf '\033')" "$dir/cols.txt"; then
	ok
else
	ko "diagram: no header, no arrows, or colour into a file"
	head -5 "$dir/cols.txt"
fi

if "$BIN" pcap "$dir/t.jsonl" "$dir/t.pcap" &&
   { ! command -v tshark >/dev/null 2>&1 ||
     [ "$(tshark -r "$dir/t.pcap" -Y 'sip || http' 2>/dev/null |
	  wc -l)" -eq "$(grep -c '"proto":"\(sip\|http\)"' "$dir/t.jsonl")" ]
   }; then
	ok
else
	ko "imsbed pcap: the capture does not hold every SIP/HTTP record"
fi

# --step under a terminal (script(1) gives it a pty): two Enters, then q.
if command -v script >/dev/null 2>&1; then
	printf '\n\nq\n' | script -qec "$BIN run --step \
		scenarios/register.yaml" /dev/null >"$dir/step.txt" 2>&1
	if grep -q "stopped by the trainer at message 3 of 28" \
		"$dir/step.txt" &&
	   grep -q -- "--- step 1: user1 registers" "$dir/step.txt" &&
	   [ "$(grep -c '^\[Enter/q\]' "$dir/step.txt")" -eq 3 ]; then
		ok
	else
		ko "--step: did not stop at the third message on q"
		tail -5 "$dir/step.txt"
	fi
fi

"$BIN" run --slow 0.001 scenarios/register-unknown-user.yaml \
	>"$dir/slow.txt" 2>/dev/null
if [ "$(grep -c '^#[0-9]' "$dir/slow.txt")" -eq 4 ] &&
   grep -q "PASS" "$dir/slow.txt"; then
	ok
else
	ko "--slow: not every message shown"
fi

# --seed: two runs, each in a network namespace of its own (so that no
# TCP port of the first is still in TIME_WAIT for the second), write
# byte for byte the same trace, times and RTP included: on the virtual
# clock the media is paced by the same clock as everything else.
# Another seed gives other bytes.
if tools/netns.sh --usable; then
	for run in a b; do
		tools/netns.sh "$BIN" run -q --seed 7 \
			--trace "$dir/seed-$run.jsonl" \
			scenarios/click-to-dial.yaml >/dev/null 2>&1
	done
	tools/netns.sh "$BIN" run -q --seed 8 --trace "$dir/seed-c.jsonl" \
		scenarios/click-to-dial.yaml >/dev/null 2>&1
	if [ -s "$dir/seed-a.jsonl" ] &&
	   grep -q '"proto":"rtp"' "$dir/seed-a.jsonl" &&
	   cmp -s "$dir/seed-a.jsonl" "$dir/seed-b.jsonl" &&
	   ! cmp -s "$dir/seed-a.jsonl" "$dir/seed-c.jsonl"; then
		ok
	else
		ko "--seed: two runs with one seed differ, or two seeds agree"
		diff "$dir/seed-a.jsonl" "$dir/seed-b.jsonl" | head -4
	fi
else
	echo "cli: --seed not checked: no network namespace of its own"
fi

# Into a pipe each result line comes as the scenario ends, not at exit:
# a job killed by its timeout still shows what had passed.
timeout 2 "$BIN" test scenarios/register.yaml \
	scenarios/sysinfo-lifecycle.yaml 2>/dev/null | cat >"$dir/pipe.txt"
if grep -q "^PASS scenarios/register.yaml" "$dir/pipe.txt"; then
	ok
else
	ko "imsbed test into a pipe: nothing shown before it was killed"
fi

# Scenario names as the user gave the folder, without a double slash.
mkdir "$dir/sc"
cp scenarios/register.yaml scenarios/topology.yaml "$dir/sc/"
"$BIN" test "$dir/sc/" 2>/dev/null | grep -E "^(PASS|FAIL) " \
	>"$dir/slash.txt"
if [ -s "$dir/slash.txt" ] && ! grep -q "//" "$dir/slash.txt" &&
   grep -q "^PASS $dir/sc/register.yaml " "$dir/slash.txt"; then
	ok
else
	ko "imsbed test scenarios/: names with a double slash"
	head -3 "$dir/slash.txt"
fi

# Logging by category and node: one machine of one node, nothing else.
"$BIN" test -v ue-reg=info --node ue2 scenarios/register.yaml \
	>"$dir/log.txt" 2>&1
if grep -q "^PASS" "$dir/log.txt" &&
   grep -q "ue2/ue-reg: ue2{AUTHENTICATING}: event 200 -> REGISTERED" \
	"$dir/log.txt" &&
   ! grep -q "ue1/\|info: [a-z0-9]*/[^u]" "$dir/log.txt"; then
	ok
else
	ko "-v ue-reg=info --node ue2: other lines, or not these"
	head -5 "$dir/log.txt"
fi
"$BIN" -v nope=debug run scenarios/register.yaml >"$dir/bad.txt" 2>&1
if [ $? -eq 2 ] && grep -q "no such log category" "$dir/bad.txt"; then
	ok
else
	ko "-v nope=debug: no precise error"
fi

echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
