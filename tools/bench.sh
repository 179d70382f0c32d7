#!/bin/sh
# make bench: the internal registration bench (N UEs through P-, I- and
# S-CSCF, HSS and a third-party REGISTER to an AS, all in the process)
# with the core over UDP and over TCP, then SIPp registering with MD5
# digest through 'imsbed serve' over UDP at fixed offered rates
# (tools/benchsipp.sh).  Each part runs in a private network namespace
# with only loopback up where one can be had (tools/netns.sh).  The
# outputs are kept in BENCH_DIR (build/bench) for tools/bench-peers.sh;
# the figures go to docs/BENCHMARKS.md by hand, with the machine below.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
N=${BENCH_N:-10000}
tools=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-$(pwd)/build/bench}
export BENCH_DIR
mkdir -p "$BENCH_DIR" || exit 1

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo |
	cut -d: -f2 | sed 's/^ *//'), kernel $(uname -r), $(date -u \
	'+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$tools/netns.sh" --probe

echo
echo "== floor: $BIN bench floor"
"$tools/netns.sh" "$BIN" bench floor >"$BENCH_DIR/floor" 2>&1 || exit 1
cat "$BENCH_DIR/floor"

for tp in udp tcp; do
	echo
	echo "== internal: $BIN bench $N 200 $tp"
	"$tools/netns.sh" "$BIN" bench "$N" 200 $tp \
		>"$BENCH_DIR/internal-$tp" 2>&1
	rc=$?
	cat "$BENCH_DIR/internal-$tp"
	[ $rc -eq 0 ] || exit 1
done

echo
echo "== SIPp -> $BIN serve, core over UDP, ${BENCH_SECS:-5} s a rate"
"$tools/netns.sh" "$tools/benchsipp.sh" imsbed "$BIN" ${BENCH_RATES:-} ||
	exit 1
echo
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
