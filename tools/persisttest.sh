#!/bin/sh
# Data that lasts: an address-book entry written in one run of imsbed is
# there in the next, when appdata names a file database and its key; the
# topology seeds only a new file, or one it says to reset; and a file
# sealed under another key is refused with its place, not misread.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
dir=$(mktemp -d)
trap '[ -n "$KEEP" ] || rm -rf "$dir"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; sed 's/^/    /' "$dir/out"; }

key=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
topo() {
	sed "s|^appdata:|appdata:\n  db: $dir/app.db\n  key: $1$2|" \
		scenarios/topology-c2d.yaml >"$dir/topo.yaml"
}

cat >"$dir/add.yaml" <<'YAML'
topology: topo.yaml
steps:
  - register: harry-pc
  - subscribe: harry-pc
  - book:
      ue: harry-pc
      op: add
      status: 201
      entry: {name: Night Shift, number: "+16328300117"}
YAML
cat >"$dir/list.yaml" <<'YAML'
topology: topo.yaml
steps:
  - register: harry-pc
  - subscribe: harry-pc
  - book: {ue: harry-pc, op: list}
    check: {node: harry-pc, book: "", contains: '"name":"Night Shift"'}
YAML

topo "$key"
"$BIN" test "$dir/add.yaml" >"$dir/out" 2>&1 &&
	"$BIN" test "$dir/list.yaml" >>"$dir/out" 2>&1 && ok ||
	ko "the entry written in one run is gone in the next"

topo "$key" "\n  reset: true"
"$BIN" test "$dir/list.yaml" >"$dir/out" 2>&1 &&
	ko "reset: true kept the old entry" || ok

topo "$key"
"$BIN" test "$dir/add.yaml" >"$dir/out" 2>&1
topo "ff${key#00}"
"$BIN" test "$dir/list.yaml" >"$dir/out" 2>&1
rc=$?
# the key line, which topo() puts two under appdata:
kline=$(($(grep -n '^appdata:' "$dir/topo.yaml" | cut -d: -f1) + 2))
if [ $rc -eq 2 ] &&
   grep -q "topo.yaml:$kline:8: appdata.db '.*' was sealed under another" \
	"$dir/out"; then
	ok
else
	ko "a file sealed under another key was not refused with its place"
fi

echo "persist: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
