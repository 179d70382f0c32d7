#!/bin/sh
# Checks for, or installs, the Debian packages imsbed builds against, so
# that 'make run' and 'make test' work on a fresh machine.
set -e
PKGS="libre libsrtp2 sqlite3 yaml-0.1 cunit libcrypto libpcap libxml-2.0"

case "$1" in
check)
	command -v pkg-config >/dev/null 2>&1 || exit 1
	for p in $PKGS; do pkg-config --exists "$p" || exit 1; done
	# freeDiameter's libfdproto has no pkg-config file
	[ -f /usr/include/freeDiameter/libfdproto.h ] || exit 1
	exit 0
	;;
install)
	shift
	missing=""
	for d in "$@"; do
		dpkg -s "$d" >/dev/null 2>&1 || missing="$missing $d"
	done
	[ -z "$missing" ] && exit 0
	echo "imsbed: installing missing packages:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing
	;;
*)
	echo "usage: $0 check|install PKG..." >&2
	exit 2
	;;
esac
