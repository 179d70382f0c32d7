#!/bin/sh
# make test: the CUnit suites, then every scenario over the wire, then
# the robustness and style checks; the counts are added up into one
# closing line 'N passed, N failed'.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
UNIT=${2:-build/rel/run_tests}
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Tests that feed foreign messages run in a private network namespace
# (tools/netns.sh: only where loopback can be brought up in it).
netns() {
	tools/netns.sh "$@"
}
tools/netns.sh --probe

# As count, for a check that may be skipped (its tool not installed).
count_if_run() {
	if grep -qE '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$1"; then
		count "$1" "$2"
	fi
}

count() {
	# $1: output file, $2: exit status; adds the file's 'N passed,
	# N failed' line to the totals, and a failure when the command
	# failed without saying so (a sanitizer's report at exit, say).
	line=$(grep -E '^([a-z]+: )?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	p=$(echo "$line" | sed -E 's/^([a-z]+: )?([0-9]+) passed.*/\2/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-1}))
	if [ "${2:-0}" -ne 0 ] && [ "${f:-1}" -eq 0 ]; then
		echo "(exit status $2 with no failure counted: one added)"
		failed=$((failed + 1))
	fi
}

# stage TITLE must|may COMMAND...: runs a check, shows its output and
# adds its counts; a 'may' check that was skipped (tool missing) counts
# nothing.
stage() {
	title=$1
	kind=$2
	shift 2
	echo "== $title"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	if [ "$kind" = may ]; then
		count_if_run "$log" $rc
	else
		count "$log" $rc
	fi
}

stage "unit tests" must netns "$UNIT"

echo "== scenarios"
junit=$(mktemp)
pcap=$(mktemp)
netns "$BIN" test scenarios --golden tests/golden --junit "$junit" \
	--pcap "$pcap" >"$log" 2>&1
rc=$?
cat "$log"
count "$log" $rc

# The JUnit report is well-formed and counts what the run counted.
echo "== JUnit report"
n=$(grep -cE '^(PASS|FAIL) ' "$log")
if command -v python3 >/dev/null 2>&1 &&
   python3 -c 'import sys, xml.dom.minidom as m
d = m.parse(sys.argv[1]).documentElement
sys.exit(0 if d.tagName == "testsuite" and
	 int(d.getAttribute("tests")) == int(sys.argv[2]) and
	 len(d.getElementsByTagName("testcase")) == int(sys.argv[2])
	 else 1)' "$junit" "$n"; then
	echo "junit: 1 passed, 0 failed"
	passed=$((passed + 1))
elif ! command -v python3 >/dev/null 2>&1; then
	echo "junit: python3 not installed, not checked"
else
	echo "junit: report does not match the run"
	failed=$((failed + 1))
fi
rm -f "$junit"

# The capture of every scenario: tshark must read each packet as SIP,
# HTTP, RTP or Diameter (or a TCP segment without payload), nothing
# malformed and no expert warning or error; the Cx as 3GPP's Cx.
echo "== capture (tshark)"
if command -v tshark >/dev/null 2>&1; then
	frames=$(tshark -r "$pcap" 2>/dev/null | wc -l)
	bad=$(tshark -r "$pcap" -Y '_ws.malformed ||
		_ws.expert.severity >= 6291456 ||
		!(sip || http || rtp || diameter || (tcp && tcp.len == 0))' \
		2>/dev/null | wc -l)
	cx=$(tshark -r "$pcap" -Y 'diameter.applicationId == 16777216' \
		2>/dev/null | wc -l)
	if [ "$frames" -gt 0 ] && [ "$bad" -eq 0 ] && [ "$cx" -gt 0 ]; then
		echo "pcap: $frames frames, all dissected cleanly, $cx of" \
			"them Cx"
		echo "pcap: 1 passed, 0 failed"
		passed=$((passed + 1))
	else
		echo "pcap: $frames frames, $bad not clean, $cx Cx:"
		tshark -r "$pcap" -Y '_ws.malformed ||
			_ws.expert.severity >= 6291456 ||
			!(sip || http || rtp || diameter ||
			  (tcp && tcp.len == 0))' \
			2>/dev/null | head -20
		failed=$((failed + 1))
	fi
else
	echo "pcap: tshark not installed, not checked"
fi
rm -f "$pcap"

# Each message of the patent flows lost, then repeated: they recover;
# so do an IMS AKA registration with its resynchronisation, and the
# registration state's forking, GRUUs and reg event NOTIFYs, and calls
# between users (forked, held, to voicemail, diverted).
stage "chaos: the patent flows, each message lost and repeated" must \
	netns "$BIN" chaos scenarios/register.yaml scenarios/sysinfo.yaml \
	scenarios/click-to-dial.yaml scenarios/register-aka.yaml \
	scenarios/register-aka-resync.yaml scenarios/register-gruu.yaml \
	scenarios/reg-event.yaml scenarios/call-basic.yaml \
	scenarios/call-forking.yaml scenarios/call-hold.yaml \
	scenarios/call-unregistered.yaml scenarios/call-cdiv.yaml
stage "trace, ladder and capture commands" must netns tools/clitest.sh "$BIN"
stage "capture in sngrep" may netns tools/sngreptest.sh "$BIN"
stage "HTML page (headless Chromium)" may netns tools/htmltest.sh "$BIN"
stage "bad input" must netns tools/badinput.sh "$BIN"
stage "test harness on a newcomer's machine" must \
	tools/harnesstest.sh "$BIN" "$UNIT"
stage "fuzz corpora and crashes, replayed" must netns \
	tools/fuzzreplay.sh "$(dirname "$UNIT")/fuzz"

stage "data that lasts (a file database across runs)" must \
	netns tools/persisttest.sh "$BIN"
stage "serve to the outside (bash's /dev/udp and /dev/tcp)" must \
	netns tools/servetest.sh "$BIN"
stage "external peer (SIPp)" must netns tools/sipp.sh "$BIN"
stage "real client (baresip: one user, two devices)" may \
	netns tools/baresip.sh "$BIN"

stage "hss export and import (TS 29.228 XML)" must tools/hsstest.sh "$BIN"
stage "real core (Kamailio IMS: P-, I- and S-CSCF)" may \
	netns tools/kamailio.sh "$BIN"
stage "public headers, each by itself" must tools/headertest.sh

echo "== style"
if tools/stylecheck.sh >"$log" 2>&1; then
	passed=$((passed + 1))
else
	cat "$log"
	failed=$((failed + 1))
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
