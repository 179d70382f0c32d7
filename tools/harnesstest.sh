#!/bin/sh
# The test harness on a newcomer's machine: what make test meets on a
# minimal Debian or in a clone with nothing beside it.
#  - tools/netns.sh where neither ip nor ifconfig exists: the scenarios
#    still pass (they run in the host's network, never in a namespace
#    whose loopback is down);
#  - the unit suites where ../shared/ is absent: the torture suite says
#    so in one line and counts nothing, every other suite passes.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
UNIT=${2:-build/rel/run_tests}
top=$(pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL $*"; sed 's/^/    /' "$dir/out"; }

# A PATH with the shell's tools but no ip and no ifconfig.
mkdir "$dir/bin"
for t in sh env cat grep sed unshare mktemp rm; do
	p=$(command -v $t) && ln -s "$p" "$dir/bin/$t"
done
PATH="$dir/bin" tools/netns.sh --probe >"$dir/out" 2>&1
PATH="$dir/bin" tools/netns.sh "$BIN" test scenarios/register.yaml \
	>>"$dir/out" 2>&1
if grep -q "^PASS scenarios/register.yaml" "$dir/out" &&
   grep -q "host's network" "$dir/out"; then
	ok
else
	ko "without ip or ifconfig, a scenario does not pass"
fi

# The unit suites from a folder with nothing beside it.
mkdir -p "$dir/alone/clone"
ln -s "$top/scenarios" "$dir/alone/clone/scenarios"
ln -s "$top/tests" "$dir/alone/clone/tests"
case "$UNIT" in /*) u=$UNIT ;; *) u=$top/$UNIT ;; esac
(cd "$dir/alone/clone" && tools_netns="$top/tools/netns.sh" &&
	"$tools_netns" "$u") >"$dir/out" 2>&1
if grep -q "^torture: ../shared/testdata/rfc4475 not found, not checked" \
	"$dir/out" &&
   grep -Eq "^unit: [0-9]+ passed, 0 failed" "$dir/out" &&
   ! grep -q "fd [0-9]* in use" "$dir/out"; then
	ok
else
	ko "unit suites without ../shared/ beside the clone"
fi

echo "harness: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
