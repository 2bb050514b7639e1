#!/usr/bin/env bash
# bench/idle.sh - CPU the TUI uses when nothing happens.
#
# Starts ./epollviz in a detached tmux terminal (100x30), clock paused:
# first on the ET starvation scenario (one connection), then on a scenario
# of 1,000 idle connections.  Each time it waits until the screen is up,
# reads utime+stime from /proc/PID/stat before and after SECONDS_IDLE
# (default 10) seconds and prints the share of one core.
#
#   bench/idle.sh            # or: EPOLLVIZ=path SECONDS_IDLE=30 bench/idle.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
bin=${EPOLLVIZ:-$top/epollviz}
secs=${SECONDS_IDLE:-10}
sock=epollviz-idle-$$
hz=$(getconf CLK_TCK)

scratch=$(mktemp -d)
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$scratch"' EXIT
printf 'title "1000 idle connections"\nconnect w 1000\ntick 2\n' >"$scratch/idle1000.scn"

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# measure WHAT SCENARIO: one run, one line.
measure() {
	tmux -L "$sock" -f /dev/null new -d -x 100 -y 30 \
		"cd '$top' && LANG=C.UTF-8 TERM=xterm-256color exec '$bin' -p 0 '$2'"
	local pid before after
	pid=$(tmux -L "$sock" display -p '#{pane_pid}')
	for _ in $(seq 300); do
		tmux -L "$sock" capture-pane -p | grep -q 'step 1 of' && break
		sleep 0.1
	done
	before=$(ticks "$pid")
	sleep "$secs"
	after=$(ticks "$pid")
	tmux -L "$sock" kill-server
	awk -v t=$((after - before)) -v hz="$hz" -v s="$secs" -v what="$1" 'BEGIN {
		printf "idle TUI, clock paused, 100x30, %s: %d CPU ticks of 1/%d s in %d s = %.2f%% of one core\n",
			what, t, hz, s, 100 * t / hz / s }'
}

measure "1 connection" "$top/scenarios/04-et-starvation.scn"
measure "1000 connections" "$scratch/idle1000.scn"
