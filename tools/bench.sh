#!/bin/sh
# make bench: N full registrations (P-, I-, S-CSCF, HSS, third-party
# REGISTER to an AS) with the core over TCP, then a smaller run over UDP
# for comparison; figures go to docs/BENCHMARKS.md by hand, with the
# machine they came from.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
N=${BENCH_N:-10000}

echo "== $N registrations, core over TCP"
"$BIN" bench "$N" 200 tcp || exit 1
echo
echo "== 2000 registrations, core over UDP"
"$BIN" bench 2000 200 udp || exit 1
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo |
	cut -d: -f2 | sed 's/^ *//')"
