#!/bin/sh
# imsbed serve against a real SIP client: baresip registers one user,
# harry@ims.test (digest, scenarios/topology-c2d.yaml), twice through
# the P-CSCF, and the S-CSCF's 200 OK must list both contacts (RFC 3261
# 10.3 step 8: the binding as it stands), then none once baresip has
# de-registered.  Twice: one baresip with two accounts of the user (two
# contacts told apart by their URI), and two baresips, each a device
# with its own +sip.instance and RFC 5626 outbound.  Skipped, in one
# line that counts nothing, when baresip or its account and uuid modules
# are not installed.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
if ! command -v baresip >/dev/null 2>&1; then
	echo "baresip: not installed, skipped"
	exit 0
fi
mods=""
for d in /usr/lib/baresip/modules /usr/local/lib/baresip/modules \
	 /usr/lib/*/baresip/modules; do
	[ -f "$d/account.so" ] && [ -f "$d/uuid.so" ] && mods=$d && break
done
if [ -z "$mods" ]; then
	echo "baresip: its account and uuid modules not found, skipped"
	exit 0
fi

TOPO=scenarios/topology-c2d.yaml
PCSCF=127.0.1.1:5060
dir=$(mktemp -d)
srv=""
ues=""
trap '[ -n "$ues" ] && kill $ues 2>/dev/null
	[ -n "$srv" ] && kill $srv 2>/dev/null; rm -rf "$dir"' EXIT
passed=0
failed=0

# The account line of harry@ims.test: the IMPI is the Authorization
# username (TS 24.229 5.1.1.2.2), the P-CSCF the outbound proxy (baresip
# adds ";lr" to its Route itself).
account() {
	echo "<sip:harry@ims.test>;auth_user=harry@ims.test;auth_pass=h1;\
outbound=\"sip:$PCSCF\";regint=600$1"
}

# confdir NAME ADDR MODULE...: a config directory for one baresip on
# ADDR:5070 that loads only what registering needs (no audio, no video,
# no console); no DNS server is reachable, nor needed.
confdir() {
	c=$dir/$1
	mkdir -p "$c"
	{
		printf 'poll_method\tepoll\n'
		printf 'sip_listen\t%s:5070\n' "$2"
		printf 'net_interface\t%s\n' "$2"
		printf 'dns_server\t127.0.0.1:53\n'
		printf 'module_path\t%s\n' "$mods"
		shift 2
		for m in "$@"; do
			printf 'module_tmp\t%s.so\n' "$m"
		done
	} >"$c/config"
	: >"$c/accounts"
}

# start NAME: runs baresip on the config directory NAME, SIP traced.
start() {
	baresip -f "$dir/$1" -s </dev/null >"$dir/$1.log" 2>&1 &
	ues="$ues $!"
}

# oks N: waits (5 s at most) until the baresips have had N 200 OKs to
# their REGISTERs.
oks() {
	for _ in $(seq 50); do
		[ "$(cat "$dir"/*.log | grep -c '} 200 OK')" -ge "$1" ] &&
			return 0
		sleep 0.1
	done
	return 1
}

# ok WHAT / ko WHAT
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "baresip: FAIL $1"; bad=1; }

# contacts uri|instance: one line per 200 OK the S-CSCF sent to a
# REGISTER, in order: the URIs, or the +sip.instance values, of the
# contacts it lists that have not expired.
contacts() {
	awk -v what="$1" '
	index($0, "\"src\":\"scscf\",\"dst\":\"icscf\"") &&
	index($0, "\"raw\":\"SIP/2.0 200 OK\\r\\n") &&
	index($0, " REGISTER\\r\\n") {
		n = split($0, h, /\\r\\n/)
		out = ""
		for (i = 1; i <= n; i++) {
			if (h[i] !~ /^Contact: </ ||
			    h[i] ~ /;expires=0(;|$)/)
				continue
			v = h[i]
			if (what == "uri") {
				sub(/^Contact: </, "", v)
				sub(/>.*/, "", v)
			}
			else if (!sub(/.*;\+sip\.instance=\\"</, "", v))
				continue
			else
				sub(/>.*/, "", v)
			out = out " " v
		}
		print out
	}' "$dir/t.jsonl"
}

# fullest uri|instance: the line of contacts for the 200 OK that lists
# the most contacts.
fullest() {
	l=$(contacts uri | awk 'NF > n { n = NF; l = NR } END { print l }')
	[ -n "$l" ] && contacts "$1" | sed -n "${l}p"
}

# registered: the Contact URIs the baresips sent in their REGISTERs.
registered() {
	grep '"src":"ext","dst":"pcscf"' "$dir/t.jsonl" |
		grep -o '\\r\\nContact: <[^>]*>' |
		sed 's/.*<//; s/>$//' | sort -u
}

# check WHAT INSTANCES NAME...: serve, the baresips of the config dirs
# NAME, and what the S-CSCF answered them: both contacts, with
# INSTANCES distinct instance IDs among them.
check() {
	what=$1
	ninst=$2
	bad=0
	shift 2
	"$BIN" serve "$TOPO" --ladder lines --trace "$dir/t.jsonl" \
		>"$dir/serve.log" 2>&1 &
	srv=$!
	for _ in $(seq 50); do
		grep -q "^serving" "$dir/serve.log" 2>/dev/null && break
		sleep 0.1
	done
	names="$*"
	for ue in $names; do
		start "$ue"
	done

	if oks 2; then
		ok
	else
		ko "$what: two registrations did not succeed in 5 s"
	fi
	# Each baresip de-registers its accounts when told to stop.
	kill -TERM $ues 2>/dev/null
	for p in $ues; do
		wait "$p" 2>/dev/null
	done
	ues=""
	sleep 0.2
	kill -INT $srv
	wait $srv
	srv=""

	# One word per URI (no blanks, no glob characters in them).
	# shellcheck disable=SC2046
	set -- $(registered)
	full=$(fullest uri)
	if [ $# -eq 2 ] && [ "$(echo "$full" | wc -w)" -eq 2 ] &&
	   echo " $full " | grep -qF " $1 " &&
	   echo " $full " | grep -qF " $2 "; then
		ok
	else
		ko "$what: the binding holds '$full', the devices are '$*'"
	fi
	if grep -q '\[2 bindings\]' "$dir"/*.log; then
		ok
	else
		ko "$what: baresip did not read two bindings in the 200 OK"
	fi
	n=$(fullest instance | tr ' ' '\n' | grep . | sort -u | wc -l)
	if [ "$n" -eq "$ninst" ]; then
		ok
	else
		ko "$what: $n instance IDs in the binding, $ninst expected"
	fi
	left=$(contacts uri | tail -n 1)
	if [ -z "$left" ]; then
		ok
	else
		ko "$what: contacts left after de-registration:$left"
	fi
	if [ $bad -ne 0 ]; then
		sed 's/^/    /' "$dir/serve.log"
		for ue in $names; do
			tail -n 60 "$dir/$ue.log" | sed 's/^/    /'
		done
	fi
	rm -rf "${dir:?}"/*
}

# One baresip, two accounts of harry: no instance ID (no uuid module),
# so the two are told apart by their contacts' URIs (baresip gives each
# UA a user of its own); the second asks for q=0.5.
confdir one 127.0.0.10 account
account "" >>"$dir/one/accounts"
account ";regq=0.5" >>"$dir/one/accounts"
check "one baresip, two accounts" 0 one

# Two baresips, one account each: two devices, each with its own
# +sip.instance (uuid module) and a flow of its own (sipnat=outbound).
confdir pc 127.0.0.10 uuid account
confdir tab 127.0.0.11 uuid account
account ";sipnat=outbound" >>"$dir/pc/accounts"
account ";sipnat=outbound" >>"$dir/tab/accounts"
check "two baresips, two devices" 2 pc tab

echo "baresip: $passed passed, $failed failed"
[ $failed -eq 0 ]
