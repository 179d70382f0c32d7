#!/bin/sh
# make bench-peers: make bench (tools/bench.sh), then the same SIPp load
# against Kamailio's registrar (tools/bench/kamailio.cfg: one UDP
# worker, MD5 digest, location in memory) in the same run, and the
# ratios of issue 12's targets: imsbed's highest rate with 0 failed over
# Kamailio's, imsbed's CPU over Kamailio's at 1,000 registrations/s
# offered, and message events per CPU-second of the internal bench (UDP
# and TCP) over Kamailio's at the highest rate it held (4 events a
# registration: two requests in, two responses out).  The machine is
# shared: only the ratios of one run mean much.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
tools=$(cd "$(dirname "$0")" && pwd)
BENCH_DIR=${BENCH_DIR:-$(pwd)/build/bench}
export BENCH_DIR

"$tools/bench.sh" "$BIN" || exit 1
echo
echo "== SIPp -> Kamailio $(kamailio -v 2>/dev/null | awk 'NR == 1 {
	print $3 }') registrar, one UDP worker, ${BENCH_SECS:-5} s a rate"
"$tools/netns.sh" "$tools/benchsipp.sh" kamailio ${BENCH_PEER_RATES:-} ||
	exit 1

ims=$BENCH_DIR/imsbed/results
kam=$BENCH_DIR/kamailio/results
if [ ! -s "$ims" ] || [ ! -s "$kam" ]; then
	echo "ratios: no SIPp figures from both servers, none computed"
	exit 0
fi

echo
echo "== ratios (issue 12 targets), this run"
awk '
FILENAME ~ /internal-/ && /per CPU-second$/ && /message events/ {
	tp = FILENAME; sub(/.*internal-/, "", tp)
	for (i = 1; i <= NF; i++)
		if ($i == "per" && $(i + 1) == "CPU-second")
			ev[tp] = $(i - 1)
	next
}
FILENAME ~ /internal-/ { next }
FILENAME ~ /floor$/ && /at most/ {
	for (i = 1; i <= NF; i++)
		if ($i == "most")
			floor = $(i + 1)
	next
}
FILENAME ~ /floor$/ { next }
$1 == "best" { best[$2] = $3; next }
{
	# kind rate achieved failed retrans drops cpu% us/reg sipp% held
	if ($2 == 1000)
		cpu1k[$1] = $7
	if ($10 == 1)
		usreg[$1, $2] = $8
}
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "n/a" }
END {
	ki = best["imsbed"]; kk = best["kamailio"]
	printf "highest rate with 0 failed: imsbed %d/s, Kamailio %d/s:" \
	       " %s (target >= 0.5x)\n", ki, kk, ratio(ki, kk)
	printf "CPU at 1,000/s offered: imsbed %.0f %%, Kamailio %.0f %%:" \
	       " %s (target <= 3x)\n", cpu1k["imsbed"], cpu1k["kamailio"],
	       ratio(cpu1k["imsbed"], cpu1k["kamailio"])
	kev = usreg["kamailio", kk] > 0 ? 4e6 / usreg["kamailio", kk] : 0
	printf "message events per CPU-second: Kamailio %.0f (4 a" \
	       " registration at %d/s, %.0f us each)\n", kev, kk,
	       usreg["kamailio", kk]
	printf "  imsbed internal UDP %d: %s, TCP %d: %s (target >= 2x);" \
	       " UDP/TCP %s (target >= 1x)\n", ev["udp"],
	       ratio(ev["udp"], kev), ev["tcp"], ratio(ev["tcp"], kev),
	       ratio(ev["udp"], ev["tcp"])
	# libre decoding and loopback alone, with no node work at all.
	if (floor > 0)
		printf "  floor (bench floor) %d: %s of Kamailio; the 2x" \
		       " target needs %.0f\n", floor, ratio(floor, kev),
		       2 * kev
}' "$BENCH_DIR/internal-udp" "$BENCH_DIR/internal-tcp" "$BENCH_DIR/floor" \
	"$ims" "$kam"
