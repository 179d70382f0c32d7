#!/bin/sh
# sngrep opens imsbed's capture and lists its dialogs (when sngrep and
# tmux are installed): the click-to-dial run must show its REGISTERs,
# the SUBSCRIBE, the REFER and both INVITE legs, completed.
BIN=${1:-./imsbed}
case "$BIN" in */*) ;; *) BIN=./$BIN ;; esac
if ! command -v sngrep >/dev/null 2>&1 || ! command -v tmux >/dev/null 2>&1
then
	echo "sngrep: sngrep or tmux not installed, not checked"
	exit 0
fi

dir=$(mktemp -d)
sock="$dir/tmux"
pid=""
# sngrep outlives a killed tmux server (it spins on its dead terminal):
# end it by its pid first, then the server.
cleanup() {
	[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
	tmux -S "$sock" kill-server 2>/dev/null
	rm -rf "$dir"
}
trap cleanup EXIT

"$BIN" run -q --pcap "$dir/c.pcap" scenarios/click-to-dial.yaml \
	>/dev/null 2>&1
tmux -S "$sock" new-session -d -x 200 -y 50 "exec sngrep -I $dir/c.pcap"
pid=$(tmux -S "$sock" display-message -p '#{pane_pid}')
sleep 2
tmux -S "$sock" capture-pane -p >"$dir/screen.txt"
tmux -S "$sock" send-keys q
sleep 0.3

if grep -q "Dialogs: 8" "$dir/screen.txt" &&
   grep -q "REFER" "$dir/screen.txt" &&
   [ "$(grep -c 'INVITE.*COMPLETED' "$dir/screen.txt")" -eq 2 ]; then
	echo "sngrep: 8 dialogs shown, both INVITE legs completed"
	echo "sngrep: 1 passed, 0 failed"
	exit 0
fi

head -15 "$dir/screen.txt"
echo "sngrep: 0 passed, 1 failed"
exit 1
