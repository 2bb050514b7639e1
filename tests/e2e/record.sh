#!/usr/bin/env bash
# tests/e2e/record.sh - `--record FILE`: the terminal UI's session as an
# asciicast v2 file, in a real terminal (tmux).
#
#   r  free play at 100x30 with --record: a few keys, a real nc sends an
#      escape sequence, the window shrinks to 80x24, Ctrl-Z (no suspend
#      while recording); the file checks line by line as asciicast v2
#      (cast_check.py, Python's json module), has the resize, holds the
#      client's bytes only escaped, and its output bytes replayed into a
#      fresh 80x24 terminal (`cat` in a second tmux session) give the
#      screen the first one shows; q, and the terminal is as it was; the
#      recorded bytes are, byte for byte, those the terminal got (tmux's
#      pipe-pane)
#   s  SIGTERM to the recording process ends the TUI as SIGTERM does
#   e  a file that cannot be created: the reason, status 2, no screen;
#      --record without a terminal or with --headless: status 2, no file
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in tmux python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		fail "$tool is installed (make deps installs it)"
		e2e_finish
	fi
done
check=$E2E_TOP/tests/e2e/cast_check.py
cast=$E2E_TMP/session.cast

# cast_ok WHAT [SIZE]: the recording so far checks, and its output bytes
# are in $E2E_TMP/raw; its summary in $E2E_TMP/check.out.
cast_ok() {
	python3 "$check" "$cast" "$E2E_TMP/raw" ${2:+"$2"} >"$E2E_TMP/check.out" 2>&1
}

# replay_shows S: the recording's bytes so far, written by `cat` into a
# fresh terminal of S's size, end on the screen S shows now.  The screen
# must be still; the file is written right after the terminal, so a
# capture may run ahead of it for a moment: the caller polls.
# shellcheck disable=SC2317 # run through poll_until
replay_shows() {
	local s=$1 size
	size=$(tmux_get "$s" '#{pane_width} #{pane_height}') || return 1
	tmux_screen "$s" >"$E2E_TMP/live.txt" || return 1
	cast_ok || return 1
	tmux_e2e kill-session -t play 2>/dev/null
	# shellcheck disable=SC2086 # width and height are two words
	tmux_e2e new-session -d -s play -x ${size% *} -y ${size#* } \
		"cat '$E2E_TMP/raw'; exec sleep 600" || return 1
	poll_until 2 replay_equal
}
# shellcheck disable=SC2317
replay_equal() {
	tmux_screen play >"$E2E_TMP/replay.txt" && cmp -s "$E2E_TMP/live.txt" "$E2E_TMP/replay.txt"
}

# ---- r: a recorded session ---------------------------------------------
section_r() {
	local what="--record" port
	session r 100 30 || return
	# Everything the terminal is sent, as tmux reads it from the pane.
	tmux_e2e pipe-pane -O -t r "cat >'$E2E_TMP/pane.out'"
	launch r "$what" '' "-p 0 --record \"\$T/session.cast\"" || return
	port=$(menu_closed_port r)
	# A client that tries to colour the screen and ring the bell (short
	# enough for the panel's last bytes; LT, reading until EAGAIN, reads
	# the end of stream and closes).
	printf '\033[31mX\007' | nc -N 127.0.0.1 "${port:-0}" >/dev/null 2>&1 &
	e2e_pids+=("$!")
	if tmux_wait r '"\\x1b\[31mX\\x07"'; then
		ok "$what: the client's bytes are on the screen, escaped"
	else
		fail "$what: the client's bytes are on the screen, escaped"
		tmux_context r
	fi
	tmux_keys r m
	tmux_wait r '^ +ET +budget ' || true
	tmux_keys r b
	tmux_keys r p # pause the clock: a still screen to compare
	tmux_wait r 'clock paused' || true

	tmux_e2e resize-window -t r -x 80 -y 24
	tmux_keys r C-z
	tmux_keys r a
	if tmux_wait r 'accept one' && [ "$(tmux_get r '#{alternate_on}')" = 1 ]; then
		ok "$what: at 80x24, Ctrl-Z does not suspend a recording; the next key works"
	else
		fail "$what: at 80x24, Ctrl-Z does not suspend a recording; the next key works"
		tmux_context r
	fi

	if poll_until "$POLL_BOUND" replay_shows r; then
		ok "$what: the recording replayed into an 80x24 terminal ends on the screen shown"
	else
		fail "$what: the recording replayed into an 80x24 terminal ends on the screen shown" \
			"$(cat "$E2E_TMP/check.out")" \
			"$(diff "$E2E_TMP/live.txt" "$E2E_TMP/replay.txt" | head -n 12)"
	fi
	tmux_e2e kill-session -t play 2>/dev/null

	tmux_keys r q
	after_exit r "$what: q" 0 || return
	# -J: the line wraps at 80 columns when the path is long.
	if tmux_screen r -J | grep -aqE "^epollviz: recorded [0-9.]+ s in .*session\.cast"; then
		ok "$what: says where the recording is"
	else
		fail "$what: says where the recording is"
		tmux_context r
	fi
	stderr_empty r

	tmux_e2e pipe-pane -t r
	wait_for "$E2E_TMP/pane.out" "session.cast (play it" || true
	if cast_ok "$what" 100x30; then
		ok "$what: asciicast v2, line by line ($(cat "$E2E_TMP/check.out"))"
	else
		fail "$what: asciicast v2, line by line" "$(cat "$E2E_TMP/check.out")"
	fi
	if grep -q 'resizes 80x24 ' "$E2E_TMP/check.out"; then
		ok "$what: the resize is an \"r\" event \"80x24\""
	else
		fail "$what: the resize is an \"r\" event \"80x24\"" "$(cat "$E2E_TMP/check.out")"
	fi
	if python3 -c 'import sys; sys.exit(open(sys.argv[2], "rb").read().find(open(sys.argv[1], "rb").read()) < 0)' \
		"$E2E_TMP/raw" "$E2E_TMP/pane.out" && [ -s "$E2E_TMP/raw" ]; then
		ok "$what: the recording is byte for byte what the terminal was sent (tmux pipe-pane)"
	else
		fail "$what: the recording is byte for byte what the terminal was sent (tmux pipe-pane)" \
			"recorded $(wc -c <"$E2E_TMP/raw") bytes, the pane got $(wc -c <"$E2E_TMP/pane.out")"
	fi
	# What the terminal was sent: the escaped text, never the client's
	# own control sequences; and the summary line after the screen ends.
	if grep -aqF '"\x1b[31mX\x07"' "$E2E_TMP/raw" && ! grep -aqF $'\033[31mX' "$E2E_TMP/raw" &&
		! grep -aqF $'X\007' "$E2E_TMP/raw"; then
		ok "$what: the recording holds the client's bytes only escaped, as shown"
	else
		fail "$what: the recording holds the client's bytes only escaped, as shown"
	fi
	if grep -aqE 'epollviz: [0-9]+ epoll_wait calls?, ' "$E2E_TMP/raw" &&
		[ "$(grep -aoF $'\033[?1049l' "$E2E_TMP/raw" | wc -l)" = 1 ]; then
		ok "$what: the alternate screen is left once, at the end, then the summary line"
	else
		fail "$what: the alternate screen is left once, at the end, then the summary line" \
			"times left: $(grep -aoF $'\033[?1049l' "$E2E_TMP/raw" | wc -l)"
	fi
}

# ---- e: errors -----------------------------------------------------------
section_e() {
	local what="--record errors" err
	session e 80 24 || return
	tmux_type e "clear; \"\$EV\" --record /nonexistent-dir/x.cast -p 0 2>\"\$T/e.msg\""
	if poll_until "$POLL_BOUND" tmux_at_prompt e 2 &&
		has "$E2E_TMP/e.msg" 'epollviz: --record /nonexistent-dir/x.cast: No such file or directory'; then
		ok "$what: a file that cannot be created: its reason, status 2"
	else
		fail "$what: a file that cannot be created: its reason, status 2"
		tmux_context e
		context "$E2E_TMP/e.msg"
	fi
	if ! tmux_has e "$HEADER_RE"; then
		ok "$what: ... before the screen starts"
	else
		fail "$what: ... before the screen starts"
		tmux_context e
	fi

	err=$E2E_TMP/nontty.err
	"$EPOLLVIZ" --record "$E2E_TMP/no.cast" -p 0 </dev/null >/dev/null 2>"$err"
	if [ $? = 2 ] && [ ! -e "$E2E_TMP/no.cast" ] && has "$err" 'needs a terminal'; then
		ok "$what: without a terminal: status 2, no file"
	else
		fail "$what: without a terminal: status 2, no file"
		context "$err"
	fi
	"$EPOLLVIZ" --record "$E2E_TMP/no.cast" --headless -p 0 </dev/null >/dev/null 2>"$err"
	if [ $? = 2 ] && [ ! -e "$E2E_TMP/no.cast" ] && has "$err" '--headless'; then
		ok "$what: with --headless: status 2, no file"
	else
		fail "$what: with --headless: status 2, no file"
		context "$err"
	fi
}

# ---- s: signals reach the TUI through the relay ---------------------------
section_s() {
	local what="--record, SIGTERM" pid
	session s 80 24 || return
	launch s "$what" '' "-p 0 --record \"\$T/term.cast\"" || return
	pid=$(ev_pid s)
	kill -TERM "$pid" 2>/dev/null
	after_exit s "$what" 0 || return
	cast=$E2E_TMP/term.cast
	if cast_ok && grep -aqE 'epollviz: [0-9]+ epoll_wait calls?, ' "$E2E_TMP/raw"; then
		ok "$what: the TUI ended as on SIGTERM (its summary is in the recording)"
	else
		fail "$what: the TUI ended as on SIGTERM (its summary is in the recording)" \
			"$(cat "$E2E_TMP/check.out")"
	fi
	stderr_empty s
}

section_r
section_s
section_e
e2e_finish
