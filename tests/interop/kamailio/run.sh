#!/bin/sh
# Starts and stops the Kamailio P-CSCF, I-CSCF and S-CSCF of the interop
# test, each a foreground process whose pid file, runtime dir, control
# socket and log live in DIR.
#
#   run.sh start DIR   returns once all three answer on their control socket
#   run.sh cx DIR      waits (up to 15 s) until the I-CSCF's and the
#                      S-CSCF's Diameter peer (the HSS) is open
#   run.sh stop DIR    returns once none of their processes is left
#
# Exit status: 0 done; 77 Kamailio or a module it needs is not installed
# (one line says which, so a caller can skip); 1 anything else.
# KAMAILIO_HOSTS names another hosts file (see ./hosts).

set -eu
PATH=$PATH:/usr/sbin:/sbin
here=$(cd "$(dirname "$0")" && pwd)
nodes="pcscf icscf scscf"
me="kamailio interop"

die() { echo "$me: $*" >&2; exit 1; }

usage() { echo "usage: $0 start|cx|stop DIR" >&2; exit 1; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

# The modules the three configs load and the Debian package of each.
modules="tm sl rr pv maxfwd textops siputils xlog ctl ipops db_text
	ims_usrloc_pcscf ims_ipsec_pcscf ims_registrar_pcscf cdp cdp_avp
	ims_icscf ims_dialog presence ims_usrloc_scscf ims_registrar_scscf
	ims_auth ims_isc"

package_of() {
	case $1 in
	ims_*|cdp*) echo kamailio-ims-modules ;;
	presence) echo kamailio-presence-modules ;;
	*) echo kamailio ;;
	esac
}

check_installed() {
	for b in kamailio kamcmd; do
		command -v $b >/dev/null 2>&1 ||
			{ echo "$me: skipped: $b not installed (apt-get install kamailio)"; exit 77; }
	done
	moddir=$(kamailio -h 2>&1 | sed -n 's/.*Modules search path (default: \(.*\)).*/\1/p')
	[ -n "$moddir" ] || die "cannot tell kamailio's module directory"
	for m in $modules; do
		[ -f "$moddir/$m.so" ] || { echo "$me: skipped: module $m not installed (apt-get install $(package_of $m))"; exit 77; }
	done
}

pid_of() { [ -s "$dir/$1.spid" ] && cat "$dir/$1.spid"; }

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

start_one() {
	n=$1
	mkdir -p "$dir/$n.run"
	# setsid: a group of its own, so that stop can reap stragglers by group.
	setsid kamailio -DD -E -m 32 -M 4 \
		-f "$here/$n.cfg" -P "$dir/$n.pid" -Y "$dir/$n.run" -w "$dir" \
		-A "CTL_SOCK=\"unix:$dir/$n.ctl\"" \
		-A "CDP_XML=\"$here/$n.xml\"" \
		-A "DB_URL=\"text://$here/icscf-db\"" \
		</dev/null >"$dir/$n.log" 2>&1 &
	# The main process's pid (setsid execs it, there is no fork in between),
	# known before Kamailio writes $n.pid: wait_ready sees an early death.
	echo $! >"$dir/$n.spid"
}

wait_ready() {
	n=$1
	i=0
	# Up to 10 s, by tenths: ready as soon as the control socket answers.
	while [ $i -lt 100 ]; do
		alive "$(pid_of $n || true)" || return 1
		if [ -S "$dir/$n.ctl" ] && kamcmd -s "unix:$dir/$n.ctl" core.uptime >/dev/null 2>&1; then
			return 0
		fi
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

load_hosts() {
	n=$1
	hosts=${KAMAILIO_HOSTS:-$here/hosts}
	# flags 2: permanent, never expires nor is asked of a resolver.
	while read -r name addr _; do
		case $name in ''|\#*) continue ;; esac
		kamcmd -s "unix:$dir/$n.ctl" dns.add_a "$name" 3600 "$addr" 2 >/dev/null ||
			{ echo "$me: $n: cannot add $name $addr to its DNS cache" >&2; return 1; }
	done <"$hosts"
}

# Each Kamailio takes about 2 s to end its children and itself, so all
# three are told at once and then waited for.
stop_all() {
	pids=""
	for n in $nodes; do
		pid=$(pid_of $n || true)
		if alive "$pid"; then
			pids="$pids $pid:$(ps -o pgid= -p "$pid" | tr -d ' ')"
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done
	for p in $pids; do
		pid=${p%:*}
		pgid=${p#*:}
		i=0
		while alive "$pid" && [ $i -lt 50 ]; do i=$((i + 1)); sleep 0.1; done
		# Still there after 5 s: its whole group goes now. (Once the main
		# process is gone its children are too: it waits for them.)
		if alive "$pid" && [ -n "$pgid" ]; then
			kill -KILL -- "-$pgid" 2>/dev/null || true
		fi
	done
	for n in $nodes; do rm -f "$dir/$n.spid" "$dir/$n.ctl"; done
}

case $cmd in
start)
	check_installed
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	for n in $nodes; do
		alive "$(pid_of $n || true)" && die "$n already running from $dir"
	done
	for n in $nodes; do start_one $n; done
	for node in $nodes; do
		if ! wait_ready $node || ! load_hosts $node; then
			stop_all
			die "$node did not start, see $dir/$node.log"
		fi
	done
	echo "$me: P-CSCF 127.0.0.71:5060, I-CSCF 127.0.0.72:5060, S-CSCF 127.0.0.73:5060 up, HSS expected at 127.0.0.74:3868, logs in $dir"
	;;
cx)
	# cdp dials the HSS at start-up and then every Tc (10 s, icscf.xml)
	# while it is not connected.
	for n in icscf scscf; do
		i=0
		until kamcmd -s "unix:$dir/$n.ctl" cdp.list_peers 2>/dev/null | grep -q 'State: I_Open'; do
			i=$((i + 1))
			[ $i -le 150 ] || die "$n: no Diameter connection to the HSS at 127.0.0.74:3868 (see $dir/$n.log)"
			sleep 0.1
		done
	done
	;;
stop)
	[ -d "$dir" ] || exit 0
	dir=$(cd "$dir" && pwd)
	stop_all
	;;
*)
	usage
	;;
esac
