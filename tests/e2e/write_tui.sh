#!/usr/bin/env bash
# tests/e2e/write_tui.sh - the write side in the terminal UI: free play
# with --reply echo answers nc (printf 'ping\n' | nc -q1 prints ping) and
# the connection's panel shows what was written; then lessons 17 to 20
# (echo, the LT EPOLLOUT busy loop, ET write starvation, a slow reader),
# each started at 100x30 in tmux and stepped with space to its end, the
# terminal showing every golden step line for line.
#
# Every wait polls the screen with a bound (lib.sh); no fixed sleeps.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_tmux
need_openbsd_nc

# ---- e: free play as an echo server --------------------------------------
section_e() {
	local what="free play, --reply echo" port got
	session e 100 30 || return
	# A knob on the command line: free play at once, no menu.
	launch e "$what" '' "-p 0 --reply echo" || return
	port=$(port_of e)
	got=$(printf 'ping\n' | timeout "$POLL_BOUND" nc -q1 127.0.0.1 "${port:-0}")
	if [ "$got" = ping ]; then
		ok "$what: printf 'ping\\n' | nc -q1 prints ping"
	else
		fail "$what: printf 'ping\\n' | nc -q1 prints ping" "got: '$got' (port ${port:-none})"
		tmux_context e
	fi
	if tmux_wait e 'closed at tick [0-9]+: end of stream: read returned 0'; then
		ok "$what: the panel says the connection closed at its end of stream"
	else
		fail "$what: the panel says the connection closed at its end of stream"
		tmux_context e
	fi
	kill_leftover e
}

section_e
golden_walk a 17-echo
golden_walk b 18-lt-busy-loop
golden_walk c 19-et-write-starvation
golden_walk d 20-slow-reader

e2e_finish
