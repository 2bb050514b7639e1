#!/usr/bin/env bash
# bench/idle.sh - CPU the TUI uses when nothing happens.
#
# Starts ./epollviz in a detached tmux terminal (100x30) on the ET
# starvation scenario, whose clock is paused, waits until the screen is up,
# then reads utime+stime from /proc/PID/stat before and after SECONDS
# (default 10) seconds and prints the share of one core.
#
#   bench/idle.sh            # or: EPOLLVIZ=path SECONDS_IDLE=30 bench/idle.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${EPOLLVIZ:-$top/epollviz}
secs=${SECONDS_IDLE:-10}
sock=epollviz-idle-$$
hz=$(getconf CLK_TCK)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT

tmux -L "$sock" -f /dev/null new -d -x 100 -y 30 \
	"cd '$top' && LANG=C.UTF-8 TERM=xterm-256color exec '$bin' -p 0 scenarios/04-et-starvation.scn"
pid=$(tmux -L "$sock" display -p '#{pane_pid}')
for _ in $(seq 100); do
	tmux -L "$sock" capture-pane -p | grep -q 'step 1 of' && break
	sleep 0.1
done
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
before=$(ticks)
sleep "$secs"
after=$(ticks)
awk -v t=$((after - before)) -v hz="$hz" -v s="$secs" 'BEGIN {
	printf "idle TUI (clock paused, 100x30): %d CPU ticks of 1/%d s in %d s = %.2f%% of one core\n",
		t, hz, s, 100 * t / hz / s }'
