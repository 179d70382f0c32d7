#!/bin/bash
# imsbed serve as an external peer meets it, with nothing but bash: a
# REGISTER sent over UDP and an HTTP GET over TCP from outside the
# topology (bash's /dev/udp and /dev/tcp).  The live ladder and the trace
# must show what the outside sent ('ext -> pcscf REGISTER', 'ext -> as1
# HTTP GET'), HTTP as HTTP, and --html must leave a page with one arrow
# per message when serve stops.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
dir=$(mktemp -d)
srv=""
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

"$BIN" serve scenarios/topology.yaml --ladder lines --trace "$dir/t.jsonl" \
	--html "$dir/page.html" >"$dir/serve.log" 2>&1 &
srv=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	grep -q "^serving" "$dir/serve.log" 2>/dev/null && break
	sleep 0.2
done

printf 'REGISTER sip:ims.test SIP/2.0\r
Via: SIP/2.0/UDP 127.0.0.1:5098;branch=z9hG4bKserve1\r
Max-Forwards: 70\r
From: <sip:user1@ims.test>;tag=s1\r
To: <sip:user1@ims.test>\r
Call-ID: servetest-1\r
CSeq: 1 REGISTER\r
Contact: <sip:user1@127.0.0.1:5098>\r
Expires: 600\r
Content-Length: 0\r
\r
' >"$dir/register.txt"
# One write, one datagram: cat writes the whole file at once.
cat "$dir/register.txt" >/dev/udp/127.0.1.1/5060

if exec 3<>/dev/tcp/127.0.1.4/8081; then
	printf 'GET /gm/v1/users/sip:user1@ims.test/profile HTTP/1.1\r
Host: 127.0.1.4:8081\r
Connection: close\r
\r
' >&3
	timeout 5 cat <&3 >"$dir/http.txt"
	exec 3<&-
fi
# The listen backlog is the kernel's limit, not libre's 5 (ss, from
# iproute2, shows a listening socket's backlog as its Send-Q).
backlog=""
if command -v ss >/dev/null 2>&1; then
	backlog=$(ss -ltnH 'sport = :8081' 2>/dev/null |
		  awk '$4 ~ /^127\.0\.1\.4:/ { print $3 }')
fi
sleep 0.3
kill -INT $srv
wait $srv
rc=$?
srv=""

if [ $rc -eq 0 ] && grep -q "stopped after" "$dir/serve.log"; then
	ok
else
	ko "serve did not stop cleanly on SIGINT (exit $rc)"
fi

if grep -Eq "^ +[0-9.]+ +ext +-> pcscf +REGISTER sip:ims.test" \
	"$dir/serve.log" &&
   grep -Eq "pcscf +-> ext +401 Unauthorized" "$dir/serve.log"; then
	ok
else
	ko "the ladder does not show the external REGISTER and its 401"
fi

if grep -Eq "ext +-> as1 +HTTP GET /gm/v1/users/sip:user1@ims.test/profile" \
	"$dir/serve.log" &&
   grep -Eq "as1 +-> ext +HTTP 401 Unauthorized" "$dir/serve.log" &&
   ! grep -q "CSeq 0" "$dir/serve.log"; then
	ok
else
	ko "HTTP is not shown as HTTP, or the GET from outside is missing"
fi

if grep -q '"src":"ext","dst":"pcscf"' "$dir/t.jsonl" &&
   grep -q '"proto":"http","transport":"tcp","src":"ext","dst":"as1"' \
	"$dir/t.jsonl"; then
	ok
else
	ko "the trace lacks what arrived from outside"
fi

if [ -z "$backlog" ]; then
	echo "serve: ss not installed, listen backlog not checked"
elif [ "$backlog" -ge 128 ]; then
	ok
else
	ko "the GM module listens with a backlog of $backlog"
fi

want=$(grep -cv '"proto":"rtp"' "$dir/t.jsonl")
got=$(grep -o 'class="arrow ' "$dir/page.html" 2>/dev/null | wc -l)
if [ "$want" -gt 0 ] && [ "$got" -eq "$want" ]; then
	ok
else
	ko "--html: $got arrows in the page for $want messages"
fi

[ "$failed" -eq 0 ] || sed 's/^/    /' "$dir/serve.log"
echo "serve: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
