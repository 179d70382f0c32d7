#!/bin/sh
# The floors of emul/ (README, Layout), checked at every build: a folder
# includes the public headers of its own floor and those beneath it,
# never one above.  From the ground up:
#   emul/host      host.h
#   emul/sip       + sipkit.h, yml.h, digest.h, tsx.h
#   emul/proxy     + proxy.h (the proxy core, on the SIP kit)
#   emul/diam      diam.h (Diameter messages), beside the SIP kit
#   cscf hss as ue + the nodes' own headers (cscf.h, hss.h, as.h, ue.h)
#   emul/report    + report.h
#   emul/scen      + scen.h
#   emul/cli       + its private cmd.h
status=0

check() {
	dir=$1
	shift
	for f in "$dir"/*.c "$dir"/*.h "$dir"/*/*.c "$dir"/*/*.h; do
		[ -f "$f" ] || continue
		for h in "$@"; do
			if grep -Eq "^#include [<\"]([./a-z]*/)?$h[>\"]" "$f"
			then
				echo "$f includes $h, a floor above its own"
				status=1
			fi
		done
	done
}

above_nodes="report.h scen.h cmd.h engine.h"
check emul/host sipkit.h yml.h digest.h tsx.h proxy.h diam.h cscf.h hss.h as.h ue.h $above_nodes
check emul/sip proxy.h cscf.h hss.h as.h ue.h $above_nodes
check emul/proxy cscf.h hss.h as.h ue.h $above_nodes
check emul/diam sipkit.h tsx.h proxy.h cscf.h hss.h as.h ue.h $above_nodes
for d in cscf hss as ue; do
	check "$d" $above_nodes
done
check emul/report scen.h cmd.h engine.h
check emul/scen cmd.h

[ $status -eq 0 ] || echo "floors: a folder reaches above its floor"
exit $status
