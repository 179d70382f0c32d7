#!/bin/sh
# imsbed serve against an independent SIP peer: SIPp registers user1
# through the P-CSCF with digest authentication.  Skipped (and counted as
# neither) when SIPp is not installed.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
if ! command -v sipp >/dev/null 2>&1; then
	echo "sipp: not installed, skipped"
	echo "sipp: 0 passed, 0 failed"
	exit 0
fi

dir=$(mktemp -d)
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$dir"' EXIT

"$BIN" serve scenarios/topology.yaml >"$dir/serve.log" 2>&1 &
srv=$!
sleep 0.5

if sipp -sf tests/sipp/register.xml -i 127.0.0.1 -p 5099 -m 1 -nostdin \
	-timeout 10s -trace_err -error_file "$dir/err.log" \
	127.0.1.1:5060 >"$dir/sipp.log" 2>&1; then
	kill -INT $srv
	wait $srv
	if grep -q "stopped after" "$dir/serve.log" &&
	   grep -Eq "pcscf +-> ext +200 OK" "$dir/serve.log"; then
		echo "sipp: 1 passed, 0 failed"
		exit 0
	fi
fi

echo "sipp: register through imsbed serve failed"
cat "$dir/serve.log" "$dir/sipp.log" "$dir/err.log" 2>/dev/null | tail -40
echo "sipp: 0 passed, 1 failed"
exit 1
