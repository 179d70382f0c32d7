#!/bin/sh
# Bad input gets one precise line naming file:line:column and exit 2:
# each case feeds imsbed a broken topology or scenario and checks both.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0
failed=0

# case NAME EXPECTED-STDERR-SUBSTRING FILE-CONTENT
case_() {
	name=$1
	want=$2
	printf '%s' "$3" >"$dir/$name.yaml"
	out=$("$BIN" run -q "$dir/$name.yaml" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -eq 2 ] && printf '%s' "$out" | grep -qF -- "$want"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $name: rc=$rc, wanted '$want' in: $out"
	fi
}

T='domain: ims.test
nodes:
  - {name: pcscf, role: pcscf}
  - {name: icscf, role: icscf}
  - {name: scscf, role: scscf}
  - {name: ue1, role: ue, impi: u1@ims.test}
profiles: {p: {ifc: []}}
subscribers:
  - {impi: u1@ims.test, impu: sip:u1@ims.test, password: x, profile: p}
'
printf '%s' "$T" >"$dir/topo.yaml"

case_ syntax "syntax.yaml:3:1: YAML syntax: did not find expected ',' or ']'" 'steps:
  - [register: ue1
'
case_ nosteps "nosteps.yaml:1:1: scenario needs 'steps:'" \
"topology: topo.yaml
"
case_ fault-node "fault-node.yaml:2:17: from: unknown node 'nowhere'" \
"topology: topo.yaml
faults: [{from: nowhere, to: pcscf, method: REGISTER, drop: true}]
steps:
  - register: ue1
"
case_ fault-two "fault-two.yaml:4:14: a fault does one thing: drop, duplicate, delay, reorder or down" \
"topology: topo.yaml
steps:
  - register: ue1
    faults: [{from: ue1, to: pcscf, method: REGISTER, drop: true, delay: 1}]
"
case_ fault-nth "fault-nth.yaml:2:56: nth counts from 1" \
"topology: topo.yaml
faults: [{from: ue1, to: pcscf, method: REGISTER, nth: 0, drop: true}]
steps:
  - register: ue1
"
case_ unknown-ue "unknown-ue.yaml:3:15: register: unknown UE 'ue7'" \
"topology: topo.yaml
steps:
  - register: ue7
"
case_ unknown-node "unknown-node.yaml:5:25: unknown node 'nowhere'" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: nowhere, method: REGISTER}
"
case_ bad-status "bad-status.yaml:5:40: status must be a SIP status code" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, status: 999}
"
case_ unknown-key "unknown-key.yaml:3:5: unknown key 'regster' in step" \
"topology: topo.yaml
steps:
  - regster: ue1
"
case_ no-topology "nofile.yaml: cannot open" \
"topology: nofile.yaml
steps:
  - register: ue1
"
case_ dup-node "dup-node.yaml:5:14: duplicate node name 'pcscf'" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: pcscf, role: icscf}
steps:
  - wait: 0
"
case_ dup-node-case "dup-node-case.yaml:5:14: node name 'PCSCF' is 'pcscf' again: SIP host names ignore case" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: PCSCF, role: icscf}
steps:
  - wait: 0
"
case_ bad-role "bad-role.yaml:4:27: unknown role 'pcsf'" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcsf}
steps:
  - wait: 0
"
case_ dup-addr "dup-addr.yaml:5:40: node 'icscf': address 127.0.9.1:5060 is taken" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf, addr: 127.0.9.1}
    - {name: icscf, role: icscf, addr: 127.0.9.1}
steps:
  - wait: 0
"
case_ foreign-addr "foreign-addr.yaml:4:40: address '192.0.2.1' is not loopback" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf, addr: 192.0.2.1}
steps:
  - wait: 0
"

# A core of three, for the topology cases below.
CORE='  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: icscf, role: icscf}'
case_ ifc-as "ifc-as.yaml:10:30: profiles.p.ifc[0].as: 'sip:as9.ims.test' is no AS node or peer of the topology" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  profiles:
    p:
      ifc:
        - {priority: 0,  as: sip:as9.ims.test}
steps:
  - wait: 0
"
case_ set-as "set-as.yaml:10:30: shared_ifc_sets.4.ifc[0].as: 'sip:as9.ims.test' is no AS node or peer of the topology" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  shared_ifc_sets:
    4:
      ifc:
        - {priority: 0,  as: sip:as9.ims.test}
steps:
  - wait: 0
"
case_ set-unknown "set-unknown.yaml:8:27: profiles.p.shared_ifc_sets[0]: no shared iFC set 4 in shared_ifc_sets" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  profiles:
    p: {shared_ifc_sets: [4]}
steps:
  - wait: 0
"
case_ node-space "node-space.yaml:5:14: node name 'i cscf' must be a host label" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: 'i cscf', role: icscf}
steps:
  - wait: 0
"
case_ node-empty "node-empty.yaml:4:14: node name '' must be a host label" \
"topology:
  domain: ims.test
  nodes:
    - {name: '', role: pcscf}
steps:
  - wait: 0
"
case_ min-max "min-max.yaml:6:47: min_expires 100 is above max_expires 10" \
"topology:
$CORE
    - {name: scscf, role: scscf, min_expires: 100, max_expires: 10}
steps:
  - wait: 0
"
case_ port-range "port-range.yaml:4:40: address '127.0.9.1:99999': the port must be 1 to 65535" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf, addr: '127.0.9.1:99999'}
steps:
  - wait: 0
"
case_ two-docs "two-docs.yaml:4:1: a second YAML document: imsbed reads one per file" \
"topology: topo.yaml
steps:
  - wait: 0
---
steps:
  - wait: 5
"
case_ wait-inf "wait-inf.yaml:3:11: wait must be a number of seconds from 0 to 1e9, not 'inf'" \
"topology: topo.yaml
steps:
  - wait: inf
"
case_ wait-huge "wait-huge.yaml:3:11: wait must be a number of seconds from 0 to 1e9, not '1e308'" \
"topology: topo.yaml
steps:
  - wait: 1e308
"
case_ ring-huge "ring-huge.yaml:7:43: ring_timeout must be at most 86400 seconds" \
"topology:
$CORE
    - {name: scscf, role: scscf}
    - {name: as1, role: as, ring_timeout: 1e9}
steps:
  - wait: 0
"
case_ bad-regex "bad-regex.yaml:5:72: bad regex '(unclosed': Unmatched ( or \\(" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER, headers: {To: {regex: '(unclosed'}}}
"
case_ stacked-regex "stacked-regex.yaml:5:72: bad regex 'a++++b': a repetition of a repetition at '+++b'" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER, headers: {To: {regex: 'a++++b'}}}
"
case_ hss-db "hss-db.yaml:8:23: hss hss: database '/nonexistent/x/h.db': unable to open database file" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  hss:
    - {name: hss, db: /nonexistent/x/h.db}
steps:
  - wait: 0
"
deep=$(awk 'BEGIN { s = ""; for (i = 0; i < 100000; i++) s = s "["
	for (i = 0; i < 100000; i++) s = s "]"; print s }')
case_ deep "deep.yaml:2:72: nested deeper than 64 levels" \
"steps:
  - wait: $deep
"

case_ after-first "after-first.yaml:5:57: after: 1: the step's first arrow has no earlier arrow to follow" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER, after: 1}
"
case_ after-later "after-later.yaml:6:63: after: 2 must name an earlier arrow of this step (1 to 1)" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER}
      - {from: pcscf, to: icscf, method: REGISTER, after: [1, 2]}
"
case_ after-word "after-word.yaml:6:59: after must be a whole number, not 'first'" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER}
      - {from: pcscf, to: icscf, method: REGISTER, after: first}
"

# A port in use: hold it with a UDP listener while imsbed starts.
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import socket, time, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.9.9", 5060))
time.sleep(3)' &
	holder=$!
	sleep 0.5
	case_ port-in-use "port-in-use.yaml:4:7: node 'pcscf': cannot listen on 127.0.9.9:5060" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf, addr: 127.0.9.9}
steps:
  - wait: 0
"
	kill $holder 2>/dev/null
	wait $holder 2>/dev/null
else
	echo "badinput: python3 not installed, port in use not checked"
fi

# IMS AKA's settings, each refused where it stands.
case_ vectors "vectors.yaml:4:43: vectors must be 1 to 5" \
"topology:
  domain: ims.test
  nodes:
    - {name: scscf, role: scscf, vectors: 9}
steps:
  - wait: 0
"
case_ aka-answer "aka-answer.yaml:6:33: ue: aka_answer is AKAv1-MD5 or AKAv2-MD5" \
"topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: ue1, role: ue, impi: u1@ims.test, impu: sip:u1@ims.test,
       password: x, aka_answer: AKAv3}
steps:
  - wait: 0
"
case_ usim-both "usim-both.yaml:3:11: usim: op or opc, not both" \
"topology: topo.yaml
steps:
  - usim: {ue: ue1, op: 00000000000000000000000000000000,
           opc: 00000000000000000000000000000000}
"
case_ usim-k "usim-k.yaml:3:24: usim: k must be 32 hex digits" \
"topology: topo.yaml
steps:
  - usim: {ue: ue1, k: 0011}
"

# The identities of a subscriber: sets, per-IMPU options, wildcards.
case_ impu-profile "impu-profile.yaml:11:63: subscribers[0].impu[1].profile: no profile 'nope' in profiles" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  profiles: {p: {}}
  subscribers:
    - impi: u1@ims.test
      password: x
      impu: [sip:u1@ims.test, {uri: sip:u2@ims.test, profile: nope}]
steps:
  - wait: 0
"
case_ set-empty "set-empty.yaml:13:18: subscribers[0].sets[1].impu must list at least one URI" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  profiles: {p: {}}
  subscribers:
    - impi: u1@ims.test
      password: x
      sets:
        - {impu: [sip:u1@ims.test]}
        - {impu: [], profile: p}
steps:
  - wait: 0
"
case_ impu-twice "impu-twice.yaml:13:18: subscribers[0].sets[2].impu[0]: duplicate IMPU 'sip:+15550100@ims.test;user=phone' (as 'tel:+15550100'), first at " \
"topology:
$CORE
    - {name: scscf, role: scscf}
  subscribers:
    - impi: u1@ims.test
      password: x
      sets:
        - impu: [sip:u1@ims.test]
        - impu: ['tel:+1-555-0100']
        - impu: ['sip:+15550100@ims.test;user=phone']
steps:
  - wait: 0
"
case_ bad-wildcard "bad-wildcard.yaml:10:31: subscribers[0].impu[1]: bad wildcard 'sip:u!(!@ims.test': Unmatched ( or \\(" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  subscribers:
    - impi: u1@ims.test
      password: x
      impu: [sip:u1@ims.test, 'sip:u!(!@ims.test']
steps:
  - wait: 0
"

case_ scscf-caps "scscf-caps.yaml:6:52: node 'scscf': capabilities[1] must be a whole number, not 'x'" \
"topology:
$CORE
    - {name: scscf, role: scscf, capabilities: [1, x]}
steps:
  - wait: 0
"
case_ scscf-caps-many "scscf-caps-many.yaml:6:48: node 'scscf': capabilities: at most 8" \
"topology:
$CORE
    - {name: scscf, role: scscf, capabilities: [1, 2, 3, 4, 5, 6, 7, 8, 9]}
steps:
  - wait: 0
"
case_ as-caps "as-caps.yaml:7:43: node 'as1': capabilities: only an scscf node has them" \
"topology:
$CORE
    - {name: scscf, role: scscf}
    - {name: as1, role: as, capabilities: [1]}
steps:
  - wait: 0
"
case_ caps-server "caps-server.yaml:12:39: subscribers[0].capabilities.servers[1]: 'as1' is no scscf node" \
"topology:
$CORE
    - {name: scscf, role: scscf}
    - {name: as1, role: as}
  subscribers:
    - impi: u1@ims.test
      password: x
      impu: [sip:u1@ims.test]
      capabilities: {servers: [scscf, as1]}
steps:
  - wait: 0
"
case_ caps-both "caps-both.yaml:11:52: subscribers[0].capabilities.optional: 2 is mandatory already" \
"topology:
$CORE
    - {name: scscf, role: scscf}
  subscribers:
    - impi: u1@ims.test
      password: x
      impu: [sip:u1@ims.test]
      capabilities: {mandatory: [2], optional: [1, 2]}
steps:
  - wait: 0
"

out=$("$BIN" frobnicate 2>&1)
if [ $? -eq 2 ] && printf '%s' "$out" | grep -q "unknown command 'frobnicate'"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1)); echo "FAIL unknown command: $out"
fi

# Registration state: a UE's contact, the core's own steps.  ue_case
# NAME WANT KEYS: a lone UE whose node ends with KEYS (line 6).
ue_case() {
	case_ "$1" "$2" "topology:
  domain: ims.test
  nodes:
    - {name: pcscf, role: pcscf}
    - {name: ue1, role: ue, impi: u1@ims.test, impu: sip:u1@ims.test,
       password: x, $3}
steps:
  - wait: 0
"
}
ue_case ue-q "ue-q.yaml:6:24: ue: q is 0 to 1, three decimals at most" \
	"q: 1.5"
ue_case ue-regid "ue-regid.yaml:5:7: ue: reg_id and gruu need an instance" \
	"reg_id: 1"
ue_case ue-instance \
	"ue-instance.yaml:6:31: ue: instance is a URN (urn:uuid:...) or auto" \
	"instance: 1234"
case_ message-to "message-to.yaml:3:14: message: to must be a sip: or tel: URI" \
"topology: topo.yaml
steps:
  - message: {ue: ue1, to: bob, text: hi}
"
case_ dereg-by "dereg-by.yaml:3:53: deregister_network: by is scscf or hss" \
"topology: topo.yaml
steps:
  - deregister_network: {user: sip:u1@ims.test, by: icscf}
"
case_ dereg-reason "dereg-reason.yaml:4:15: deregister_network: reason is reregister or permanent" \
"topology: topo.yaml
steps:
  - deregister_network: {user: sip:u1@ims.test,
      reason: later}
"
case_ ppr-profile "ppr-profile.yaml:3:19: push_profile: needs profile: a profile of the topology" \
"topology: topo.yaml
steps:
  - push_profile: {user: sip:u1@ims.test}
"

case_ call-to "call-to.yaml:3:11: call: to must be a sip: or tel: URI" \
"topology: topo.yaml
steps:
  - call: {ue: ue1, to: mary}
"
case_ call-media "call-media.yaml:3:49: call: media is audio, late or none" \
"topology: topo.yaml
steps:
  - call: {ue: ue1, to: sip:u1@ims.test, media: video}
"
case_ call-se "call-se.yaml:4:29: call: session_expires is 90 s or more (RFC 4028 4: the smallest Min-SE)" \
"topology: topo.yaml
steps:
  - call: {ue: ue1, to: sip:u1@ims.test,
           session_expires: 30}
"

# A telephony AS's diversion rules (TS 24.604), each fault by name:
# as_case NAME EXPECTED RULES, an AS node with 'diversion: RULES'.
as_case() {
	case_ "$1" "$2" "topology:
$CORE
    - {name: scscf, role: scscf}
    - {name: as1, role: as, diversion: $3}
steps:
  - wait: 0
"
}
as_case cdiv-when "cdiv-when.yaml:7:70: node 'as1': diversion[0].when: 'busyy' is not unconditional, busy, no_answer or not_reachable" \
	'[{user: sip:b@ims.test, when: busyy, to: sip:c@ims.test}]'
as_case cdiv-after "cdiv-after.yaml:7:83: node 'as1': diversion[0].after: only a no_answer rule waits" \
	'[{user: sip:b@ims.test, when: busy, after: 3, to: sip:c@ims.test}]'
as_case cdiv-twice "cdiv-twice.yaml:7:97: node 'as1': diversion[1]: sip:b@ims.test has a busy rule already" \
	'[{user: sip:b@ims.test, when: busy, to: sip:c@ims.test}, {user: sip:b@ims.test, when: busy, to: sip:d@ims.test}]'
as_case cdiv-uri "cdiv-uri.yaml:7:80: node 'as1': diversion[0].to: 'carol' is not a sip: or tel: URI" \
	'[{user: sip:b@ims.test, when: busy, to: carol}]'
as_case cdiv-self "cdiv-self.yaml:7:80: node 'as1': diversion[0]: sip:b@ims.test would divert to itself" \
	'[{user: sip:b@ims.test, when: busy, to: sip:b@ims.test}]'
as_case cdiv-noto "cdiv-noto.yaml:7:41: node 'as1': diversion[0]: missing 'to'" \
	'[{user: sip:b@ims.test, when: busy}]'
as_case cdiv-map "cdiv-map.yaml:7:40: node 'as1': diversion must be a list of {user, when, to}" \
	'{user: sip:b@ims.test}'
case_ cdiv-role "cdiv-role.yaml:8:59: node 'ue1': diversion: only an as node has diversion rules" \
"topology:
$CORE
    - {name: scscf, role: scscf}
    - {name: as1, role: as}
    - {name: ue1, role: ue, impi: u1@ims.test, diversion: [{user: sip:b@ims.test, when: busy, to: sip:c@ims.test}]}
  subscribers:
    - {impi: u1@ims.test, impu: sip:u1@ims.test, password: x}
steps:
  - wait: 0
"

case_ call-refresher "call-refresher.yaml:3:74: call: refresher is uac or uas (RFC 4028 9)" \
"topology: topo.yaml
steps:
  - call: {ue: ue1, to: sip:u1@ims.test, session_expires: 90, refresher: me}
"

case_ reject-code "reject-code.yaml:3:29: reject: code is a final failure, 300 to 699" \
"topology: topo.yaml
steps:
  - reject: {ue: ue1, code: 200}
"
case_ reject-nocode "reject-nocode.yaml:3:13: reject: needs a code" \
"topology: topo.yaml
steps:
  - reject: {ue: ue1}
"
case_ phone-reject "phone-reject.yaml:3:12: phone: mode reject needs a code" \
"topology: topo.yaml
steps:
  - phone: {ue: ue1, mode: reject}
"
case_ phone-code "phone-code.yaml:3:42: phone: code is a final failure, 300 to 699, for mode reject" \
"topology: topo.yaml
steps:
  - phone: {ue: ue1, mode: answer, code: 486}
"

case_ call-precond "call-precond.yaml:3:56: precondition must be true or false, not 'maybe'" \
"topology: topo.yaml
steps:
  - call: {ue: ue1, to: sip:u1@ims.test, precondition: maybe}
"

# Cx arrows: a command Diameter has, AVPs the dictionary knows, nothing
# of SIP's; the HSS's Diameter address stays on loopback
case_ cx-command "cx-command.yaml:5:41: command 'UAX' is no Diameter command" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: icscf, to: hss, command: UAX}
"
case_ cx-avp "cx-avp.yaml:5:52: no AVP is called 'User-Nmae'" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: icscf, to: hss, command: UAR, avp: {User-Nmae: x}}
"
case_ cx-sip "cx-sip.yaml:5:54: status is not for a Diameter arrow" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: hss, to: icscf, command: UAA, status: 200}
"
case_ cx-avp-sip "cx-avp-sip.yaml:5:55: avp is for a Diameter arrow" \
"topology: topo.yaml
steps:
  - register: ue1
    expect:
      - {from: ue1, to: pcscf, method: REGISTER, avp: {User-Name: x}}
"
case_ cx-addr "cx-addr.yaml:4:38: diameter addr 192.0.2.1:3868 is outside 127.0.0.0/8" \
"topology:
  domain: ims.test
  nodes: [{name: ue1, role: ue, impi: u1@ims.test}]
  hss: [{name: hss, diameter: {addr: 192.0.2.1}}]
  subscribers: [{impi: u1@ims.test, impu: sip:u1@ims.test, password: x}]
steps: []
"

echo "badinput: $passed passed, $failed failed"
[ $failed -eq 0 ]
