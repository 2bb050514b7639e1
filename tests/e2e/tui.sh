#!/usr/bin/env bash
# tests/e2e/tui.sh - the terminal UI under a real terminal: tmux.  Each
# session runs an interactive bash; the test types `epollviz ...` into it,
# presses keys with send-keys and reads the screen with capture-pane (-e
# where colours and attributes matter), as a person at the keyboard would.
#
#   a  NN-et-starvation, started at 80x24: the terminal shows the golden
#      screens (tests/golden/, which golden.sh checks for every step of
#      every lesson) line for line, at 80x24, then at 100x30 stepping with
#      space to STARVED (and how it is drawn), and resized back to 80x24;
#      m changes the mode, a real nc sends an escape sequence (shown
#      escaped), resizes to 80x24, 50x15 (too small) and back, q asks, y
#      quits and the terminal is as it was
#   c  free play: the scenario menu, Esc, the nc hint, nc's bytes
#   d  SIGTERM, SIGINT, Ctrl-C, Ctrl-Z and fg (a bracketed paste after it)
#   e  NO_COLOR=1 and --mono: no colour, STARVED still in reverse video
#   f  --ascii and a non-UTF-8 locale: ASCII only
#
# After every run: the shell's prompt is back with the expected status,
# the summary line is printed, the alternate screen is left and the cursor
# shown, `stty -g` is what it was before, `echo` works, and the program's
# stderr (a file; sanitizer reports land there) stays empty.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_tmux
need_openbsd_nc
# If an nc dies, a write to its fifo must fail, not kill this script.
trap "" PIPE

# The ET starvation lesson: 48 bytes strand at step 3 of 5.  Found by
# name, as lessons get renumbered (02- when this was written).
et_lesson

# ---- helpers ---------------------------------------------------------------
# (session, launch, after_exit, quit_asks, step_to, tick_of, sgr_on... are
# in lib.sh, shared with prompt.sh.)

# no_starved_above_narration S: no row above the narration pane (whose
# text may say STARVED: it is the scenario's) says STARVED.
# shellcheck disable=SC2317 # run through poll_until
no_starved_above_narration() {
	! tmux_screen "$1" | sed -E '/step [0-9]+ of [0-9]+/,$d' | grep -q STARVED
}

# menu_has S NAME TITLE: one row of the screen names the file and its title.
menu_has() {
	tmux_screen "$1" | grep -F -- "$2" | grep -qF -- "$3"
}

# colour_sgr S: the SGR sequences on the screen that set a colour (3x/4x,
# 9x/10x, 38/48), one a line; nothing for a monochrome screen.
colour_sgr() {
	tmux_screen "$1" -e | grep -ao $'\e\\[[0-9;]*m' | sed -E 's/^.\[//; s/m$//' | awk -F';' '{
		for (i = 1; i <= NF; i++) {
			p = $i + 0
			if ($i != "" && ((p >= 30 && p <= 38) || (p >= 40 && p <= 48) ||
			    (p >= 90 && p <= 97) || (p >= 100 && p <= 107))) { print "ESC[" $0 "m"; next }
		}
	}' | sort -u
}

# layout_ok S COLS ROWS MODE PORT: a clean layout at COLS x ROWS: the
# header (showing MODE) on the first row, the key line on the last, the
# listener line, rules as wide as the terminal and no row wider.
# shellcheck disable=SC2317 # run through poll_until
layout_ok() {
	local s=$1 w=$2 h=$3 mode=$4 port=$5 screen widths
	[ "$(tmux_get "$s" '#{pane_width}x#{pane_height}')" = "${w}x$h" ] || return 1
	screen=$(tmux_screen "$s")
	[ "$(wc -l <<<"$screen")" -eq "$h" ] || return 1
	head -n 1 <<<"$screen" | grep -qE "^ +$mode +budget " || return 1
	tail -n 1 <<<"$screen" | grep -qE "$STATUS_RE" || return 1
	grep -qE "^listener 127\.0\.0\.1:$port " <<<"$screen" || return 1
	widths=$(perl -CSD -ne 'chomp; print length, "\n"' <<<"$screen" | sort -n | tail -n 1)
	[ "$widths" -le "$w" ] || return 1
	# The connections rule is drawn across the whole width.
	[ "$(grep -E '^─ connections ' <<<"$screen" |
		perl -CSD -ne 'chomp; print length')" = "$w" ]
}

# ---- a: the ET starvation lesson, end to end -----------------------------
# The terminal must show the golden screens (tests/golden/, made by
# --screens) line for line: that is what lets golden.sh check every other
# step of every lesson without a terminal.
section_a() {
	local what="$LESSON" port r tick step gold=$GOLDEN_DIR/$LESSON.txt
	session a 80 24 || return
	launch a "80x24 $what" '' "-p 0 $SCN" || return

	# 1. Started at 80x24, straight into the lesson: its golden step 1.
	if poll_until "$KEY_BOUND" shows_golden a "$gold" 1 80x24; then
		ok "80x24 $what: opens straight into the lesson, as tests/golden/$LESSON.txt's step 1 at 80x24, line for line"
	else
		fail "80x24 $what: opens straight into the lesson, as tests/golden/$LESSON.txt's step 1 at 80x24"
		golden_context a "$gold" 1 80x24
	fi
	port=$(port_of a)
	if [ -n "$port" ] && [ "$port" -gt 0 ]; then
		ok "$what: -p 0: the listener line shows the port chosen (127.0.0.1:$port)"
	else
		fail "$what: -p 0: the listener line shows the port chosen"
		tmux_context a
		port=0
	fi

	# 2. At 100x30, space steps through the golden screens to the starvation.
	tmux_e2e resize-window -t a -x 100 -y 30
	for step in 1 2 3; do
		[ "$step" = 1 ] || tmux_keys a Space
		if ! poll_until "$KEY_BOUND" shows_golden a "$gold" "$step" 100x30; then
			fail "$what: resized to 100x30, then space: the terminal shows the golden step $step at 100x30"
			golden_context a "$gold" "$step" 100x30
			break
		fi
	done
	[ "$step" = 3 ] && shows_golden a "$gold" 3 100x30 &&
		ok "$what: resized to 100x30, then space twice: the terminal shows the golden steps 1, 2 and 3 at 100x30, line for line (a STARVED with 48 B waiting)"
	tmux_e2e resize-window -t a -x 80 -y 24
	if poll_until "$KEY_BOUND" shows_golden a "$gold" 3 80x24; then
		ok "$what: resized to 80x24 at step 3: the golden step 3 at 80x24"
	else
		fail "$what: resized to 80x24 at step 3: the golden step 3 at 80x24"
		golden_context a "$gold" 3 80x24
	fi
	tmux_e2e resize-window -t a -x 100 -y 30
	poll_until "$KEY_BOUND" shows_golden a "$gold" 3 100x30
	r=$(sgr_on a 'STARVED.*48 B waiting' STARVED)
	if [[ $r == rev=1* || $r =~ bg=(41|101|5\;(1|9|52|88|124|160|196)|2\;2[0-9][0-9]\;[0-9]{1,2}\;[0-9]{1,2})$ ]]; then
		ok "$what: STARVED is drawn in reverse video or on red ($r)"
	else
		fail "$what: STARVED is drawn in reverse video or on red" "SGR state on the word: ${r:-(not found)}"
		tmux_screen a -e | grep -aF STARVED | cat -v | sed 's/^/    | /'
	fi

	# 3. m: ET to LT (m toggles the two); the starvation ends (EPOLL_CTL_MOD
	# re-reports).
	tmux_keys a m
	if tmux_wait a '^ +LT +budget ' && tmux_screen a | head -n 2 | grep -qE '^ +LT +budget '; then
		ok "$what: m toggles the mode: the header's first row shows LT"
	else
		fail "$what: m toggles the mode: the header's first row shows LT"
		tmux_context a
	fi
	# The scenario's own narration says "STARVED"; the panels must not.
	if poll_until "$POLL_BOUND" no_starved_above_narration a && tmux_has a '─ connections .* 0 starved'; then
		ok "$what: after m, no panel says STARVED (0 starved)"
	else
		fail "$what: after m, no panel says STARVED (0 starved)"
		tmux_context a
	fi

	# 4. A real client sends an escape sequence and a CR.
	nc_open "$port" "$E2E_TMP/a.fifo"
	printf 'hi\033[31mX\r\n' >&9 2>/dev/null
	# The clock is paused: each t is one tick (accept, then read).
	local deadline=$(($(e2e_now_ms) + POLL_BOUND * 1000))
	while ! tmux_has a '"hi\\x1b\[31mX\\r\\n"' && [ "$(e2e_now_ms)" -lt "$deadline" ]; do
		tmux_keys a t
		tmux_wait a '"hi\\x1b\[31mX\\r\\n"' 1
	done
	if tmux_has a '^  127\.0\.0\.1:[0-9]+ +open '; then
		ok "$what: nc's connection gets a panel labelled 127.0.0.1:PORT"
	else
		fail "$what: nc's connection gets a panel labelled 127.0.0.1:PORT"
		tmux_context a
	fi
	if tmux_has a '"hi\\x1b\[31mX\\r\\n"' && ! tmux_has a '"hiX'; then
		ok "$what: nc's bytes are shown escaped: \"hi\\x1b[31mX\\r\\n\" (no raw ESC or CR reaches the screen)"
	else
		fail "$what: nc's bytes are shown escaped: \"hi\\x1b[31mX\\r\\n\""
		tmux_context a
	fi

	# 5. Resizes: a clean layout at 80x24, "too small" at 50x15, and back.
	tick=$(tick_of a)
	tmux_e2e resize-window -t a -x 80 -y 24
	if poll_until "$POLL_BOUND" layout_ok a 80 24 LT "$port"; then
		ok "$what: resized to 80x24: header first, key line last, listener line, rules 80 wide, no row wider"
	else
		fail "$what: resized to 80x24: header first, key line last, listener line, rules 80 wide, no row wider"
		tmux_context a
	fi
	tmux_keys a t
	if [ -n "$tick" ] && poll_until "$KEY_BOUND" tick_is a $((tick + 1)); then
		ok "$what: after the resize, keys still work (t: tick $tick -> $((tick + 1)))"
	else
		fail "$what: after the resize, keys still work (t: tick ${tick:-?} -> $((${tick:-0} + 1)))" \
			"the program: $(ps -o pid=,stat=,pcpu=,time= -p "$(ev_pid a)" 2>/dev/null)"
		tmux_context a
		kill_leftover a
		return
	fi
	tmux_e2e resize-window -t a -x 50 -y 15
	tmux_wait_for a 'terminal too small: 50x15' "$what: at 50x15 the screen says 'terminal too small: 50x15'"
	tmux_e2e resize-window -t a -x 100 -y 30
	if poll_until "$POLL_BOUND" layout_ok a 100 30 LT "$port"; then
		ok "$what: back to 100x30: the normal screen returns"
	else
		fail "$what: back to 100x30: the normal screen returns"
		tmux_context a
	fi

	# 6. q asks mid-scenario; y quits; the terminal is sane.
	quit_asks a "$what"
}

# ---- c: free play ----------------------------------------------------------
section_c() {
	local what="free play" port f name title missing=()
	session c 100 30 || return
	launch c "$what" '' "-p 0" || return
	for f in "$E2E_TOP"/scenarios/*.scn; do
		name=$(basename "$f")
		title=$(sed -nE 's/^title "(.*)"$/\1/p' "$f" | head -n 1 | cut -c1-30)
		menu_has c "$name" "$title" || missing+=("$name: $title")
	done
	if tmux_has c 'scenarios' && [ ${#missing[@]} -eq 0 ]; then
		ok "$what: the scenario menu lists every scenarios/*.scn with its title"
	else
		fail "$what: the scenario menu lists every scenarios/*.scn with its title" \
			"missing: ${missing[*]}"
		tmux_context c
	fi
	port=$(menu_closed_port c)
	# The hint is also in the narration pane; centred in the connections
	# area, it shows only with the menu (and its footer) gone.
	# Both at once: the hint may show beside the menu before Esc is read.
	# shellcheck disable=SC2317 # run through poll_until
	menu_gone_hint_shown() { tmux_has c "^ {8,}try: nc localhost $port " && ! tmux_has c 'Enter open'; }
	if [ -n "$port" ] && poll_until "$POLL_BOUND" menu_gone_hint_shown; then
		ok "$what: Esc closes the menu; the hint says 'try: nc localhost $port'"
	else
		fail "$what: Esc closes the menu; the hint says 'try: nc localhost ${port:-PORT}'"
		tmux_context c
	fi
	nc_open "${port:-0}" "$E2E_TMP/c.fifo"
	printf 'hello\n' >&9 2>/dev/null
	if tmux_wait c '^▶ 127\.0\.0\.1:[0-9]+ ' && tmux_wait c '"hello\\n"'; then
		ok "$what: nc's panel appears and shows \"hello\\n\" with no key pressed (the clock runs)"
	else
		fail "$what: nc's panel appears and shows \"hello\\n\" with no key pressed (the clock runs)"
		tmux_context c
	fi
	# nc is still connected: q asks first, as r does (its connection is reset).
	tmux_keys c q
	if tmux_wait c 'Quitting resets 1 outside connection'; then
		ok "$what: q with nc connected asks first"
	else
		fail "$what: q with nc connected asks first"
		tmux_context c
	fi
	tmux_keys c y
	after_exit c "$what: q, y" 0
}

# ---- d: signals --------------------------------------------------------
section_d() {
	local pid
	session d 100 30 || return

	launch d SIGTERM '' "-p 0" || return
	pid=$(ev_pid d)
	kill -TERM "$pid" 2>/dev/null
	after_exit d "SIGTERM" '0' || return

	launch d "SIGINT (kill -INT)" '' "-p 0" || return
	pid=$(ev_pid d)
	kill -INT "$pid" 2>/dev/null
	after_exit d "SIGINT (kill -INT)" '0' || return

	launch d Ctrl-C '' "-p 0" || return
	tmux_keys d C-c
	after_exit d "Ctrl-C" '0' || return

	launch d 'Ctrl-\' '' "-p 0" || return
	tmux_keys d 'C-\'
	after_exit d 'Ctrl-\' '0' || return

	# Ctrl-S must not stop the terminal's output (and with it the loop):
	# the free-play clock keeps moving the tick on screen after it.
	launch d Ctrl-S '' "-p 0" || return
	tmux_keys d Escape
	tmux_wait d 'try: nc localhost'
	tmux_keys d C-s
	local before
	before=$(tick_of d)
	before=${before:-0}
	if poll_until "$KEY_BOUND" tick_at_least d "$((before + 2))"; then
		ok "Ctrl-S: the screen keeps updating (tick $before -> $((before + 2)))"
	else
		fail "Ctrl-S: the screen keeps updating after it (flow control must be off)"
		tmux_context d
	fi
	tmux_keys d q
	after_exit d "Ctrl-S, then q" '0' || return

	# Ctrl-Z must stop the program whenever it comes, also during a
	# redraw: ncurses sets SIGTSTP to SIG_IGN around each doupdate() of a
	# program that left it at SIG_DFL, and that discards a pending Ctrl-Z.
	# Each round sends Esc (closing the menu the first time), which the
	# program holds for 25 ms in case more of a key follows and then
	# answers with a redraw, and Ctrl-Z from the next command, a few ms
	# later: inside that window.  It then waits for what only the stop
	# makes: the shell's "Stopped" line and its prompt.
	launch d Ctrl-Z '' "-p 0" || return
	if ! tmux_wait d 'Enter open'; then
		fail "Ctrl-Z: the scenario menu is up before the first round"
		tmux_context d
		kill_leftover d
		return
	fi
	local round
	for round in 1 2 3 4 5; do
		tmux_keys d Escape
		tmux_keys d C-z
		if ! { tmux_wait d 'Stopped' && poll_until "$POLL_BOUND" tmux_at_prompt d; }; then
			fail "Ctrl-Z right after Esc (round $round of 5): the program stops; the shell shows the stopped job and its prompt"
			tmux_context d
			kill_leftover d
			return
		fi
		if [ "$(tmux_get d '#{alternate_on}')" != 0 ] || [ "$(tmux_get d '#{cursor_flag}')" != 1 ]; then
			fail "Ctrl-Z (round $round): the terminal is back to the normal screen with a cursor while stopped"
			kill_leftover d
			return
		fi
		tmux_type d 'clear; fg'
		if ! { tmux_wait d "$HEADER_RE" && poll_until "$POLL_BOUND" tmux_has d "$STATUS_RE"; }; then
			fail "fg (round $round): the program resumes and redraws the screen (header, key line)"
			tmux_context d
			kill_leftover d
			return
		fi
	done
	ok "Ctrl-Z: 5 of 5 presses, each right after Esc, stop the program; the shell shows the stopped job and its prompt"
	ok "Ctrl-Z: the terminal is back to the normal screen with a cursor while stopped"
	ok "fg: the program resumes and redraws the screen (header, key line)"
	tmux_keys d m
	if tmux_wait d '^ +ET +budget ' "$KEY_BOUND"; then
		ok "fg: keys work after the resume (m: LT -> ET)"
	else
		fail "fg: keys work after the resume (m: LT -> ET)" \
			"the program: $(ps -o pid=,stat=,pcpu=,time= -p "$(ev_pid d)" 2>/dev/null)"
		tmux_context d
		kill_leftover d
		return
	fi
	# The shell turned bracketed paste off and on for itself meanwhile:
	# the program asks for it again, so a paste still goes to the prompt.
	# (As keys, "budget 64" would be b, u, d, ...: no budget of 64 B.)
	tmux_e2e set-buffer -b d-paste $'budget 64\n'
	tmux_e2e paste-buffer -p -b d-paste -t d
	if tmux_wait d '^ +ET +budget 64 B ' "$KEY_BOUND" && tmux_has d "$STATUS_RE"; then
		ok "fg: a bracketed paste of 'budget 64' runs as a prompt line after the resume"
	else
		fail "fg: a bracketed paste of 'budget 64' runs as a prompt line after the resume"
		tmux_context d
	fi
	tmux_keys d q
	after_exit d "fg, then q" 0
}

# ---- e: no colour ----------------------------------------------------------
section_e() {
	local how r c
	session e 100 30 || return
	for how in NO_COLOR=1 --mono; do
		if [ "$how" = --mono ]; then
			launch e "$how" '' "--mono -p 0 $SCN" || continue
		else
			launch e "$how" "$how" "-p 0 $SCN" || continue
		fi
		if ! step_to e 3 || ! tmux_wait e 'STARVED.*48 B waiting'; then
			fail "$how: steps to STARVED"
			tmux_context e
		fi
		c=$(colour_sgr e)
		if [ -z "$c" ]; then
			ok "$how: no colour on the screen (no 3x/4x/9x/10x/38/48 SGR)"
		else
			fail "$how: no colour on the screen" "colour SGRs: $(printf '%s' "$c" | tr '\n' ' ' | cat -v)"
		fi
		r=$(sgr_on e 'STARVED.*48 B waiting' STARVED)
		if [[ $r == rev=1* ]]; then
			ok "$how: STARVED is still in reverse video (SGR 7)"
		else
			fail "$how: STARVED is still in reverse video (SGR 7)" "SGR state on the word: ${r:-(not found)}"
			tmux_screen e -e | grep -aF STARVED | cat -v | sed 's/^/    | /'
		fi
		quit_asks e "$how" || return
	done
}

# ---- f: ASCII --------------------------------------------------------------
section_f() {
	local how n
	session f 100 30 || return
	for how in --ascii LANG=C; do
		if [ "$how" = --ascii ]; then
			launch f "$how" '' "--ascii -p 0 $SCN" || continue
		else
			launch f "$how" "$how" "-p 0 $SCN" || continue
		fi
		if step_to f 3 && tmux_wait f 'STARVED.*48 B waiting' &&
			tmux_wait f '^> a +open +buffer \[#+\.+\] 48 B of '; then
			ok "$how: the panel uses ASCII: '> a', a [#....] bar, at STARVED"
		else
			fail "$how: the panel uses ASCII: '> a', a [#....] bar, at STARVED"
			tmux_context f
		fi
		n=$(tmux_screen f | LC_ALL=C tr -d '\000-\177' | wc -c)
		if [ "$n" -eq 0 ]; then
			ok "$how: no byte >= 0x80 on the screen"
		else
			fail "$how: no byte >= 0x80 on the screen ($n found)"
			tmux_screen f | grep -naP '[^\x00-\x7f]' | head -n 5 | cat -v | sed 's/^/    | /'
		fi
		quit_asks f "$how" || return
	done
}

# end_section S: the client closed, and whatever the program wrote to
# stderr in all of S's runs.
end_section() {
	nc_close
	[ ! -e "$E2E_TMP/$1.err" ] || stderr_empty "$1"
}

started=$(e2e_now_ms)
section_a
end_section a
section_c
end_section c
section_d
end_section d
section_e
end_section e
section_f
end_section f
echo "# tui.sh took $((($(e2e_now_ms) - started) / 1000)) s"
e2e_finish
