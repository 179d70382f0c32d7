#!/bin/sh
# imsbed hss export and import (TS 29.228 XML): for every topology the
# scenarios ship, export -> import -> export gives the same documents;
# a topology whose profiles come from its own export runs a scenario as
# before (its golden ladder); stdout holds one document per subscriber;
# file names are made safe; bad input is one line and exit 2.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }

# Each topology once: a scenario that names a topology file is its
for t in scenarios/*.yaml; do
	grep -q '^topology: *[A-Za-z0-9]' "$t" && continue
	n=$(basename "$t" .yaml)
	if "$BIN" hss export "$t" --out "$dir/$n.a" >/dev/null &&
	   "$BIN" hss import "$dir/$n.a"/*.xml >"$dir/$n.yaml" &&
	   "$BIN" hss export "$dir/$n.yaml" --out "$dir/$n.b" >/dev/null &&
	   diff -r "$dir/$n.a" "$dir/$n.b" >"$dir/$n.diff"; then
		ok
	else
		ko "$t: export, import, export differ"
		head -20 "$dir/$n.diff"
	fi
done

# topology.yaml with its profiles from its own export: register.yaml
# runs and its ladder is the golden one
mkdir "$dir/run"
"$BIN" hss export scenarios/topology.yaml --out "$dir/run/xml" >/dev/null
awk '/^profiles:/ { print "profiles: {xml: xml}"; skip = 1; next }
     /^[a-z]/ { skip = 0 }
     !skip' scenarios/topology.yaml >"$dir/run/topology.yaml"
cp scenarios/register.yaml "$dir/run/"
if ! grep -q 'ifc:' "$dir/run/topology.yaml" &&
   "$BIN" test "$dir/run/register.yaml" --golden tests/golden \
	>"$dir/run.txt" 2>&1; then
	ok
else
	ko "register.yaml with profiles from XML"
	cat "$dir/run.txt"
fi

# stdout: every document, a comment between two
"$BIN" hss export scenarios/topology.yaml >"$dir/out.xml"
docs=$(grep -c '^<?xml ' "$dir/out.xml")
seps=$(grep -c '^<!-- imsbed hss export' "$dir/out.xml")
if [ "$docs" -eq 5 ] && [ "$seps" -eq 4 ]; then
	ok
else
	ko "stdout: $docs documents, $seps separators"
fi

# file names: a '/' cannot leave the folder; two IMPIs one name: refused
cat >"$dir/names.yaml" <<'T'
subscribers:
  - {impi: "../up/x@ims.test", impu: sip:x@ims.test, password: x}
  - {impi: ".hidden@ims.test", impu: sip:h@ims.test, password: x}
T
if "$BIN" hss export "$dir/names.yaml" --out "$dir/n" >/dev/null &&
   [ -f "$dir/n/_._up_x@ims.test.xml" ] &&
   [ -f "$dir/n/_hidden@ims.test.xml" ] && [ ! -d "$dir/up" ]; then
	ok
else
	ko "file names"
	ls -la "$dir/n" "$dir"
fi
cat >"$dir/clash.yaml" <<'T'
subscribers:
  - {impi: "a/b@ims.test", impu: sip:x@ims.test, password: x}
  - {impi: "a_b@ims.test", impu: sip:y@ims.test, password: x}
T
out=$("$BIN" hss export "$dir/clash.yaml" --out "$dir/c" 2>&1)
if [ $? -eq 2 ] && printf '%s' "$out" | grep -qF \
   "imsbed hss export: IMPIs 'a/b@ims.test' and 'a_b@ims.test' would both be written to $dir/c/a_b@ims.test.xml"; then
	ok
else
	ko "two IMPIs, one file name: $out"
fi

# bad input: one line naming the place, exit 2
printf '<IMSSubscription>\n<PrivateID>a</PrivateID>\n<Foo/>\n' \
	>"$dir/bad.xml"
printf '</IMSSubscription>\n' >>"$dir/bad.xml"
# case WANT COMMAND...
case_() {
	want=$1
	shift
	out=$("$@" 2>&1 >/dev/null)
	if [ $? -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] &&
	   printf '%s' "$out" | grep -qF -- "$want"; then
		ok
	else
		ko "$*: wanted '$want', got: $out"
	fi
}
case_ "imsbed hss import: $dir/bad.xml:3: <Foo> unknown in <IMSSubscription>" \
	"$BIN" hss import "$dir/bad.xml"
case_ "imsbed hss import: $dir/none.xml: cannot open: No such file" \
	"$BIN" hss import "$dir/none.xml"
case_ "imsbed hss export: $dir/none.yaml: cannot open" \
	"$BIN" hss export "$dir/none.yaml"
case_ "imsbed hss: usage: hss export TOPOLOGY [--out DIR]" \
	"$BIN" hss export a b
case_ "imsbed hss: usage:" "$BIN" hss
case_ "imsbed hss export: $dir/bad.xml/x: cannot make the folder" \
	"$BIN" hss export scenarios/topology.yaml --out "$dir/bad.xml/x"

echo "hss: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
