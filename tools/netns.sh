#!/bin/sh
# netns.sh CMD...: runs CMD in a private network namespace with only
# loopback up, so that what a test sends cannot leave the machine even
# by mistake.  A namespace whose loopback stays down would fail every
# test that opens a socket ("Network is unreachable"), so one is used
# only when loopback could be brought up in it (ip from iproute2, or
# ifconfig); otherwise CMD runs in the host's network, where imsbed's
# own loopback guard still refuses every address outside 127.0.0.0/8.
# 'netns.sh --probe' says which of the two it would do; 'netns.sh
# --usable' answers by its exit status alone.
lo_up='ip link set lo up 2>/dev/null || ifconfig lo up 2>/dev/null'

usable() {
	command -v unshare >/dev/null 2>&1 &&
		unshare -n sh -c "$lo_up" 2>/dev/null
}

if [ "$1" = --usable ]; then
	usable
	exit
fi

if [ "$1" = --probe ]; then
	if usable; then
		echo "netns: private network namespace, loopback up"
	else
		echo "netns: no private network namespace with loopback up" \
		     "(unshare refused, or neither ip nor ifconfig):" \
		     "tests run in the host's network"
	fi
	exit 0
fi

if usable; then
	exec unshare -n sh -c "$lo_up"' || {
		echo "netns: loopback did not come up" >&2; exit 97; }
	exec "$@"' sh "$@"
fi
exec "$@"
