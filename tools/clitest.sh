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

# --step pauses the live run at each message as it is sent.  The
# trainer's keys come through a FIFO, each once its prompt is out; at
# each pause the run has not ended, shows no message beyond the one it
# stopped at, and (in a network namespace of its own, whose counters
# are the run's alone) has sent no more UDP datagrams than that (one
# less if it pauses before the datagram leaves): every message of
# register.yaml is one.  q lets the run finish unpaused.
prompts() { grep -c '^\[Enter/q\]' "$dir/step.txt"; }
await_prompt() {
	i=0
	while [ "$(prompts)" -lt "$1" ] && [ $i -lt 200 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	sleep 0.2       # time enough for a run that did not pause to go on
}
udp_sent() {
	awk '/^Udp:/ { if (h) { print $5; exit } h = 1 }' "/proc/$1/net/snmp"
}
paused_at() {   # PID K: paused at message K, and nothing beyond it
	grep -q "^#$2 " "$dir/step.txt" &&
	! grep -q "^#$(($2 + 1)) " "$dir/step.txt" &&
	! grep -q "^The scenario ran" "$dir/step.txt" && kill -0 "$1" &&
	{ [ -z "$own_ns" ] || { n=$(udp_sent "$1") &&
	  [ "$n" -le "$2" ] && [ "$n" -ge $(($2 - 1)) ]; }; }
}
own_ns=
tools/netns.sh --usable && own_ns=yes
mkfifo "$dir/keys"
tools/netns.sh "$BIN" run --step scenarios/register.yaml <"$dir/keys" \
	>"$dir/step.txt" 2>&1 &
pid=$!
exec 3>"$dir/keys"
await_prompt 1
if paused_at $pid 1; then at1=ok; else at1=; fi
printf '\n\n' >&3
await_prompt 3
if paused_at $pid 3; then at3=ok; else at3=; fi
printf 'q\n' >&3
exec 3>&-
wait $pid
if [ -n "$at1" ] && [ -n "$at3" ] &&
   grep -q "stopped by the trainer at message 3:" "$dir/step.txt" &&
   grep -q "^The scenario ran (PASS): 48 messages" "$dir/step.txt" &&
   grep -q "^PASS scenarios/register.yaml" "$dir/step.txt" &&
   grep -q -- "--- step 1: user1 registers" "$dir/step.txt" &&
   [ "$(prompts)" -eq 3 ]; then
	ok
else
	ko "--step: not paused live at messages 1 and 3 (${at1:-no}," \
	   "${at3:-no}), or q did not let the run finish"
	tail -5 "$dir/step.txt"
fi
[ -n "$own_ns" ] ||
	echo "cli: --step: datagrams not counted: no network namespace"

# Enter through a whole step: once its arrows are checked, their notes
# come under the lines of the messages they took.
yes '' | "$BIN" run --step scenarios/sysinfo.yaml >"$dir/notes.txt" 2>&1
if grep -q "^--- step 1 checked, as expected; the notes of its arrows:" \
	"$dir/notes.txt" &&
   grep -A1 "^#[0-9]* .*scscf *-> icscf *401" "$dir/notes.txt" |
	grep -q "^  >>> Step 302\." &&
   grep -q "^PASS scenarios/sysinfo.yaml" "$dir/notes.txt"; then
	ok
else
	ko "--step: no arrow notes once the step was checked"
fi

# --slow: live too, each message a pause of wall time while the virtual
# clock stands still (also when --clock real asks otherwise: a pause on
# the real clock would fire SIP's timers), so every time shown is 0.
t0=$(date +%s%N)
"$BIN" run --slow 0.3 --clock real scenarios/register-unknown-user.yaml \
	>"$dir/slow.txt" 2>&1 &
pid=$!
i=0
while ! grep -q "^#1 " "$dir/slow.txt" && [ $i -lt 200 ]; do
	sleep 0.05
	i=$((i + 1))
done
sleep 0.1
if grep -q "^#2 " "$dir/slow.txt"; then slow1=; else slow1=ok; fi
wait $pid
t1=$(date +%s%N)
if [ -n "$slow1" ] && [ "$(grep -c '^#[0-9]' "$dir/slow.txt")" -eq 8 ] &&
   [ "$(grep -c '^#[0-9] *0\.000 ' "$dir/slow.txt")" -eq 8 ] &&
   [ $(((t1 - t0) / 1000000)) -ge 1200 ] &&
   grep -q "keep the run on the virtual clock" "$dir/slow.txt" &&
   grep -q "^PASS" "$dir/slow.txt"; then
	ok
else
	ko "--slow: not paced live, or the clock moved"
	head -5 "$dir/slow.txt"
fi

# Cx in the ladder: the CSCFs' Diameter with the HSS, as lines, as
# the diagram's own column, and in the page; --no-cx hides it all but
# leaves the checks (register.yaml expects Cx arrows) to pass.
"$BIN" run --ladder lines --html "$dir/cx.html" scenarios/register.yaml \
	>"$dir/cx.txt" 2>&1
"$BIN" run --ladder columns scenarios/register.yaml >"$dir/cxcol.txt" 2>&1
"$BIN" run --no-cx --ladder lines --html "$dir/nocx.html" \
	scenarios/register.yaml >"$dir/nocx.txt" 2>&1
if grep -q "icscf  *-> hss  *Diameter UAR sip:user1@ims.test" \
	"$dir/cx.txt" &&
   grep -q "hss  *-> scscf  *Diameter SAA 2001 DIAMETER_SUCCESS" \
	"$dir/cx.txt" &&
   grep -q "^PASS" "$dir/cx.txt" && grep -q "class=\"arrow diam" \
	"$dir/cx.html" && grep -q "UAA 2002" "$dir/cxcol.txt" &&
   ! grep -q "Diameter" "$dir/nocx.txt" && grep -q "^PASS" "$dir/nocx.txt" &&
   ! grep -q "class=\"arrow diam" "$dir/nocx.html" &&
   grep -q "class=\"arrow req" "$dir/nocx.html"; then
	ok
else
	ko "Cx: not in the ladder and the page, or --no-cx left some"
fi

# diameter_peers: a core that never dials fails the step, saying how
# many peers came (none here) and after how long
printf 'name: peers\ntopology: %s/tests/interop/kamailio/topology.yaml\nsteps:\n  - diameter_peers: {hss: hss, count: 2, within: 0.5}\n' \
	"$PWD" >"$dir/peers.yaml"
"$BIN" run -q "$dir/peers.yaml" >"$dir/peers.txt" 2>&1
if grep -q "diameter_peers: 0 of 2 Diameter peers open at HSS hss after 1 s" \
	"$dir/peers.txt" && grep -q "^FAIL" "$dir/peers.txt"; then
	ok
else
	ko "diameter_peers: no failure naming the peers that came"
	cat "$dir/peers.txt"
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

# imsbed aka milenage: TS 35.208 test set 1, and a K one digit short.
set1="--k 465b5ce8b199b49faa5f0a2ee238a6bc --rand
23553cbe9637a89d218ae64dae47bf35 --sqn ff9bb4d0b607 --amf b9b9"
# shellcheck disable=SC2086
"$BIN" aka milenage $set1 --op cdc202d5123e20f62b6d676ac72cb318 \
	>"$dir/aka.txt" 2>&1
if [ $? -eq 0 ] && [ "$(sed -n 's/^f2: //p; s/^autn: //p' "$dir/aka.txt" |
	tr '\n' ' ')" = "a54211d5e3ba50bf 55f328b43577b9b94a9ffac354dfafb3 " ]
then
	ok
else
	ko "aka milenage: not test set 1's f2 and AUTN"
	cat "$dir/aka.txt"
fi
"$BIN" aka milenage --k 465b5ce8b199b49faa5f0a2ee238a6b --op \
	cdc202d5123e20f62b6d676ac72cb318 >"$dir/aka.txt" 2>&1
if [ $? -eq 2 ] && [ "$(cat "$dir/aka.txt")" = "imsbed aka milenage: --k:\
 465b5ce8b199b49faa5f0a2ee238a6b, not 32 hex digits" ]; then
	ok
else
	ko "aka milenage: a short K is not one line naming --k, exit 2"
	cat "$dir/aka.txt"
fi

# imsbed aka explain on a run's trace: each AKA answer, what was wrong.
"$BIN" run -q --trace "$dir/aka.jsonl" scenarios/register-aka-failures.yaml \
	>/dev/null 2>&1
"$BIN" aka explain "$dir/aka.jsonl" scenarios/topology-aka.yaml \
	>"$dir/explain.txt" 2>&1
if [ $? -eq 0 ] &&
   grep -q "^0.000 dan@ims.test AKAv1-MD5 nc=-: empty response: the UE \
refused AUTN (MAC failure)" "$dir/explain.txt" &&
   grep -q "fay@ims.test AKAv2-MD5 nc=00000001: response does not match:\
 made with RES as the password where AKAv2-MD5 wants RFC 4169's" \
	"$dir/explain.txt"; then
	ok
else
	ko "aka explain: not dan's MAC failure and fay's RES for AKAv2"
	cat "$dir/explain.txt"
fi

echo "cli: $passed passed, $failed failed"
[ $failed -eq 0 ]
