#!/usr/bin/env bash
# tests/e2e/prompt.sh - the `:` prompt (GNU readline inside the TUI) and
# side by side (--compare), in a real terminal: tmux, as tui.sh does.
# Every shell runs with TERM=xterm-256color, LANG=C.UTF-8, INPUTRC=/dev/null
# (no user key bindings), and XDG_STATE_HOME and HOME in this script's
# scratch directory, so the history is private to the run.
#
#   p  100x30 free play: ':' opens the prompt (prompt row, hint row);
#      editing keys (C-w C-a C-k C-b Left C-e M-b Home End); Tab completes a
#      command and a value, several candidates in a "completions" box;
#      an error stays under the prompt in red with the usage and the demo
#      goes on; the clock ticks while half a line is typed; the cursor
#      column with accented and wide characters; Esc, C-g, C-c (drops the
#      line, does not quit); help and help CMD; compare lt et from a plain
#      run; q leaves the terminal sane
#   h  history across runs: Up, Down, Ctrl-R; a recalled line edited and
#      left for another (its undo list freed at exit: make check); the file in
#      $XDG_STATE_HOME/epollviz/history, else ~/.local/state/epollviz/
#   (--compare lt,et on a lesson, top and bottom at 100x30 and 80x24 and
#   left and right at 160x40: the golden screens, golden.sh)
#   k  a typed load with nc connected asks as the menu does; n keeps it;
#      bracketed paste: lines run as prompt lines with the prompt closed,
#      a paste in two reads, a paste whose end never comes; a paste whose
#      middle line asks (bracketed, and not): the lines after it are not
#      run; y runs the line as typed; a Ctrl-C byte in a paste, with the
#      prompt open and closed; Ctrl-C quits after a cut paste and with a
#      key behind it; a pasted quit leaves nothing for the shell;
#      bracketed paste off at the exit
#   headless --compare: both transcripts interleaved tick by tick, client
#      lines once, bad --compare values, the lessons marked "run also"
#
# After every run: the same checks as tui.sh (status, summary line,
# alternate screen left, stty -g as before, echo works) and nothing on
# the program's stderr.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

have_tmux=1
if ! command -v tmux >/dev/null 2>&1; then
	fail "tmux is installed (make deps installs it)"
	have_tmux=''
fi

et_lesson
need_openbsd_nc
# If an nc dies, a write to its fifo must fail, not kill this script.
trap "" PIPE

HINT_RE='^Enter runs +Esc or Ctrl-G cancels'
# Red, as a foreground: the 8/16-colour codes, the reds of the 256-colour
# cube, or a true colour with a strong red component and little else.
RED_FG_RE='fg=(31|91|5;(1|9|52|88|124|160|196)|2;2[0-9][0-9];[0-9]{1,2};[0-9]{1,2}) '

# ---- helpers ---------------------------------------------------------------

# width TEXT: how many terminal columns TEXT takes (wide characters: 2).
width() { printf '%s' "$1" | LC_ALL=C.UTF-8 wc -L; }

# rtrim TEXT: without trailing blanks (capture-pane drops them).
rtrim() {
	local t=$1
	printf '%s' "${t%"${t##*[! ]}"}"
}

# cursor_x S
cursor_x() { tmux_get "$1" '#{cursor_x}'; }

# prompt_is S TEXT [X]: the prompt is open and shows TEXT: the cursor is
# visible on a row that reads ":TEXT", in column X (default: right after
# the text, 1 + its display width).
# shellcheck disable=SC2317 # run through poll_until
prompt_is() {
	local s=$1 text=$2 x=${3:-}
	[ -n "$x" ] || x=$((1 + $(width "$text")))
	[ "$(tmux_get "$s" '#{cursor_flag}')" = 1 ] || return 1
	[ "$(rtrim "$(tmux_cursor_line "$s")")" = "$(rtrim ":$text")" ] || return 1
	[ "$(cursor_x "$s")" = "$x" ]
}

# prompt_state S: what the prompt row and the cursor look like, for a
# failure's context.
prompt_state() {
	printf 'cursor row: "%s"  cursor at column %s (visible: %s)' \
		"$(tmux_cursor_line "$1")" "$(cursor_x "$1")" "$(tmux_get "$1" '#{cursor_flag}')"
}

# edit S WHAT TEXT X KEY...: presses KEYs (tmux key names; -l TEXT types
# TEXT literally) and waits until the prompt shows TEXT with the cursor in
# column X ('' = at the end).  On a timeout, sets edit_failed to a line
# of context.
edit_failed=''
edit() {
	local s=$1 text=$2 x=$3
	shift 3
	[ -z "$edit_failed" ] || return 1
	tmux_keys "$s" "$@"
	poll_until "$KEY_BOUND" prompt_is "$s" "$text" "$x" && return 0
	edit_failed="after $*: expected \":$text\" with the cursor at column ${x:-$((1 + $(width "$text")))}; $(prompt_state "$s")"
	return 1
}

# prompt_closed S: the key line is back at the bottom, the hint gone, and
# no cursor is shown.
# shellcheck disable=SC2317 # run through poll_until
prompt_closed() {
	tmux_screen "$1" | tail -n 1 | grep -qE "$STATUS_RE" &&
		[ "$(tmux_get "$1" '#{cursor_flag}')" = 0 ]
}

# open_prompt S WHAT: ':' opens an empty prompt (after C-g, if one was
# left open by a check that failed).
open_prompt() {
	if [ "$(tmux_get "$1" '#{cursor_flag}')" = 1 ]; then
		tmux_keys "$1" C-g
		poll_until "$KEY_BOUND" prompt_closed "$1"
	fi
	tmux_keys "$1" :
	poll_until "$KEY_BOUND" prompt_is "$1" '' 1 && return 0
	fail "$2: ':' opens the prompt" "$(prompt_state "$1")"
	tmux_context "$1"
	return 1
}

# run_line S LINE: opens the prompt, types LINE and Enter; waits for the
# prompt to close.
run_line() {
	open_prompt "$1" "'$2'" || return 1
	tmux_e2e send-keys -t "$1" -l -- "$2" && tmux_keys "$1" Enter
	poll_until "$KEY_BOUND" prompt_closed "$1"
}

# header S: the screen's first row.
header() { tmux_screen "$1" | head -n 1; }

# header_has S ERE
# shellcheck disable=SC2317 # run through poll_until
header_has() { header "$1" | grep -qE -- "$2"; }
# shellcheck disable=SC2317 # run through poll_until
header_has_not() { ! header_has "$1" "$2"; }

# prompt_failed S: the prompt is open with an error under it (red row,
# then the usage row).
# shellcheck disable=SC2317 # run through poll_until
prompt_failed() {
	[ "$(tmux_get "$1" '#{cursor_flag}')" = 1 ] && tmux_screen "$1" | tail -n 1 | grep -q 'usage: '
}


# n_headers S: how many rows are a header's first row.
n_headers() { tmux_screen "$1" | grep -cE "$HEADER_RE"; }

# headers_are S N: N header rows on the screen.
# shellcheck disable=SC2317 # run through poll_until
headers_are() { [ "$(n_headers "$1")" = "$2" ]; }

# box_ok S TITLE WORD...: a box titled TITLE is drawn right above the
# prompt row (its top ┌─ TITLE ─...┐, its bottom └─...┘ on the row over the
# cursor's), every WORD is inside it, and no row outside the box has any
# of them: the candidates were drawn into the screen, not printed over it.
# shellcheck disable=SC2317 # run through poll_until
box_ok() {
	local s=$1 title=$2 y
	shift 2
	y=$(tmux_get "$s" '#{cursor_y}') && [ -n "$y" ] || return 1
	tmux_screen "$s" | perl -CSDA -Mutf8 -e '
		my ($y, $title, @words) = @ARGV;
		chomp(my @row = <STDIN>);
		exit 1 unless ($row[$y - 1] // "") =~ /^└─+┘$/;
		my $top = $y - 2;
		$top-- while $top >= 0 && $row[$top] =~ /^│/;
		exit 1 unless $top >= 0 && index($row[$top], "┌─ $title ─") == 0;
		for my $w (@words) {
			my $inside = 0;
			for my $r (0 .. $#row) {
				next unless $row[$r] =~ /\b\Q$w\E\b/;
				exit 1 unless $r > $top && $r < $y - 1;
				$inside = 1;
			}
			exit 1 unless $inside;
		}' "$y" "$title" "$@"
}

# in_free_play S: no menu on the screen, the free-play hint, the key line.
# shellcheck disable=SC2317 # run through poll_until
in_free_play() {
	! tmux_has "$1" 'Enter open' && tmux_has "$1" '^ +try: nc localhost [0-9]+ ' && prompt_closed "$1"
}

# free_play S WHAT: Esc closes the scenario menu that a run without a
# scenario opens on.
free_play() {
	tmux_keys "$1" Escape
	poll_until "$KEY_BOUND" in_free_play "$1" && return 0
	fail "$2: Esc closes the scenario menu (free play: the hint, the key line)"
	tmux_context "$1"
	return 1
}

# exited S WHAT: the program ended with status 0 and the shell is back
# (the short form of after_exit, between two runs of one check).
exited() {
	poll_until "$POLL_BOUND" tmux_at_prompt "$1" 0 && return 0
	fail "$2: exits with status 0 and the shell's prompt is back"
	tmux_context "$1"
	kill_leftover "$1"
	return 1
}

# ---- p: the prompt, in free play -------------------------------------------
section_p() {
	local what="prompt" y t x r pid mode
	session p 100 30 "INPUTRC=/dev/null" "XDG_STATE_HOME=$E2E_TMP/state-p" "HOME=$E2E_TMP/home-p" || return
	launch p "$what" '' "-p 0" || return
	free_play p "$what"

	# 1. ':' opens the prompt on the bottom rows.
	tmux_keys p :
	if poll_until "$KEY_BOUND" prompt_is p '' 1 &&
		[ "$(tmux_get p '#{cursor_y}')" = 28 ] && tmux_screen p | tail -n 1 | grep -qE "$HINT_RE"; then
		ok "$what: ':' opens the prompt on the bottom rows: ':' on row 29 of 30 with the cursor after it, the last row 'Enter runs   Esc or Ctrl-G cancels ...'"
	else
		fail "$what: ':' opens the prompt on the bottom rows (':' on row 29 of 30, the hint on the last)" \
			"$(prompt_state p)"
		tmux_context p
	fi

	# Editing keys (readline's emacs mode), then Enter.
	edit_failed=''
	edit p 'mode lt' '' -l 'mode lt' &&
		edit p 'mode ' '' C-w &&
		edit p 'mode ' 1 C-a &&
		edit p '' '' C-k &&
		edit p 'budgt 64' '' -l 'budgt 64' &&
		edit p 'budgt 64' 5 C-b C-b C-b Left &&
		edit p 'budget 64' 6 e &&
		edit p 'budget 64' '' C-e &&
		edit p 'budget 64' 8 M-b &&
		edit p 'budget 64' 1 -l $'\eOH' &&
		edit p 'budget 64' '' -l $'\eOF' &&
		edit p 'budget 64' 1 C-a &&
		edit p 'udget 64' 1 DC &&
		edit p 'budget 64' 2 b &&
		edit p 'budget 64' '' C-e &&
		edit p 'budget 64' 8 C-Left &&
		edit p 'budget 64' 10 C-Right &&
		edit p 'budget 64' 8 M-Left
	if [ -z "$edit_failed" ]; then
		ok "$what: editing keys: 'mode lt' C-w -> 'mode ', C-a C-k -> '', 'budgt 64' C-b C-b C-b Left e -> 'budget 64' (cursor at column 6), C-e, M-b (column 8), Home, End (as xterm sends them), Delete, Ctrl- and Alt-arrows by word"
	else
		fail "$what: editing keys (C-w C-a C-k C-b Left C-e M-b Home End Delete) edit the line, the cursor follows" "$edit_failed"
		tmux_context p
	fi
	tmux_keys p Enter
	if poll_until "$KEY_BOUND" header_has p '  budget 64 B  ' && poll_until "$KEY_BOUND" prompt_closed p &&
		tmux_has p '^budget 64: read at most 64 B per wakeup'; then
		ok "$what: Enter runs the edited line: the header says 'budget 64 B', the message 'budget 64: ...', the prompt closes"
	else
		fail "$what: Enter runs the edited line: the header says 'budget 64 B', the prompt closes"
		tmux_context p
	fi

	# Tab completion: a command, then a value.
	edit_failed=''
	open_prompt p "$what" &&
		edit p 'mo' '' -l mo &&
		edit p 'mode ' '' Tab &&
		edit p 'mode e' '' e &&
		edit p 'mode et ' '' Tab
	if [ -z "$edit_failed" ]; then
		ok "$what: Tab completes 'mo' to 'mode ' and 'mode e' to 'mode et ' (the cursor after the space)"
	else
		fail "$what: Tab completes 'mo' to 'mode ' and 'mode e' to 'mode et '" "$edit_failed"
		tmux_context p
	fi
	tmux_keys p Enter
	if poll_until "$KEY_BOUND" header_has p '^ +ET +budget 64 B ' && poll_until "$KEY_BOUND" prompt_closed p; then
		ok "$what: the completed 'mode et' runs: the header's mode badge says ET"
	else
		fail "$what: the completed 'mode et' runs: the header's mode badge says ET"
		tmux_context p
	fi

	# Several candidates: a box above the prompt.
	open_prompt p "$what" && tmux_e2e send-keys -t p -l 'mode ' && tmux_keys p Tab
	if poll_until "$KEY_BOUND" box_ok p completions et lt oneshot && prompt_is p 'mode ' &&
		header_has p "$HEADER_RE"; then
		ok "$what: 'mode ' Tab: et, lt, oneshot listed in a box titled 'completions' right above the prompt (nowhere else on the screen), the line unchanged"
	else
		fail "$what: 'mode ' Tab: et, lt, oneshot listed in a box titled 'completions' right above the prompt" \
			"$(prompt_state p)"
		tmux_context p
	fi
	edit_failed=''
	edit p '' '' C-a C-k && edit p 'compare ' '' -l 'compare ' && tmux_keys p Tab
	if [ -z "$edit_failed" ] && poll_until "$KEY_BOUND" box_ok p completions et lt off oneshot && prompt_is p 'compare '; then
		ok "$what: 'compare ' Tab: et, lt, off, oneshot in the completions box"
	else
		fail "$what: 'compare ' Tab: et, lt, off, oneshot in the completions box" "$edit_failed" "$(prompt_state p)"
		tmux_context p
	fi

	# 5. Esc closes the prompt (and its box).
	tmux_keys p Escape
	if poll_until "$KEY_BOUND" prompt_closed p && ! tmux_has p 'completions' && ! tmux_has p "$HINT_RE"; then
		ok "$what: Esc closes the prompt: the box and the hint are gone, the key line is back, no cursor"
	else
		fail "$what: Esc closes the prompt: the box and the hint are gone, the key line is back, no cursor" \
			"$(prompt_state p)"
		tmux_context p
	fi

	# 5b. Esc pressed twice, both read at once (readline alone would take
	# them as M-ESC and keep the prompt open), closes it too.
	open_prompt p "$what" && tmux_e2e send-keys -t p -l 'mode' && tmux_keys p Escape Escape
	if poll_until "$KEY_BOUND" prompt_closed p; then
		ok "$what: Esc Esc in one read closes the prompt"
	else
		fail "$what: Esc Esc in one read closes the prompt" "$(prompt_state p)"
		tmux_context p
	fi

	# 2. An error stays under the prompt, in red, with the usage.
	open_prompt p "$what" && tmux_e2e send-keys -t p -l 'budget lots' && tmux_keys p Enter
	if poll_until "$KEY_BOUND" prompt_is p '' 1 && y=$(tmux_get p '#{cursor_y}') &&
		tmux_screen p | sed -n "$((y + 2))p" | grep -qE "expected a byte count .*found 'lots'" &&
		tmux_screen p | sed -n "$((y + 3))p" | grep -qE '^usage: budget BYTES\|drain'; then
		ok "$what: 'budget lots': the prompt stays open; under it \"... expected a byte count ... found 'lots'\", then 'usage: budget BYTES|drain'"
	else
		fail "$what: 'budget lots': the prompt stays open; under it the error, then 'usage: budget BYTES|drain'" \
			"$(prompt_state p)"
		tmux_context p
	fi
	r=$(sgr_on p "found 'lots'" expected)
	if [[ $r =~ $RED_FG_RE ]]; then
		ok "$what: the error is drawn in red ($r)"
	else
		fail "$what: the error is drawn in red" "SGR state on the word: ${r:-(not found)}"
		tmux_screen p -e | grep -aF "found 'lots'" | cat -v | sed 's/^/    | /'
	fi
	t=$(tick_of p)
	if [ -n "$t" ] && poll_until "$KEY_BOUND" tick_at_least p $((t + 3)) &&
		tmux_has p "found 'lots'" && prompt_is p '' 1 && header_has p '  budget 64 B  '; then
		ok "$what: the demo goes on under the error: the clock ticks ($t -> $(tick_of p)), the budget is still 64 B"
	else
		fail "$what: the demo goes on under the error: the clock ticks (${t:-?} -> $(tick_of p))"
		tmux_context p
	fi
	# The failed line is in the history: Up, fix it, Enter.
	edit_failed=''
	edit p 'budget lots' '' Up && edit p 'budget ' '' C-w && edit p 'budget 32' '' -l 32 && tmux_keys p Enter
	if [ -z "$edit_failed" ] && poll_until "$KEY_BOUND" header_has p '  budget 32 B  ' &&
		poll_until "$KEY_BOUND" prompt_closed p && ! tmux_has p "found 'lots'"; then
		ok "$what: Up brings the failed line back; fixed ('budget 32') it runs, the error goes, the prompt closes"
	else
		fail "$what: Up brings the failed line back; fixed ('budget 32') it runs, the error goes, the prompt closes" \
			"$edit_failed"
		tmux_context p
	fi

	# 3. The loop never blocks while a line is half typed.
	edit_failed=''
	open_prompt p "$what" && edit p 'budget 1' '' -l 'budget 1'
	t=$(tick_of p)
	if [ -z "$edit_failed" ] && [ -n "$t" ] && poll_until "$KEY_BOUND" tick_at_least p $((t + 4)) &&
		prompt_is p 'budget 1'; then
		ok "$what: with 'budget 1' half typed, the header's tick keeps going ($t -> $(tick_of p)) and the line waits"
	else
		fail "$what: with 'budget 1' half typed, the header's tick keeps going (${t:-?} -> $(tick_of p))" \
			"$edit_failed" "$(prompt_state p)"
		tmux_context p
	fi

	# 4. The cursor column with accented and wide characters.
	local txt='say "héé' wide='say "héé 日本'
	x=$((1 + $(width "$txt")))
	edit_failed=''
	edit p '' '' C-a C-k && edit p "$txt" "$x" -l "$txt"
	if [ -z "$edit_failed" ]; then
		ok "$what: '$txt' typed: the cursor is at column $x (1 + its display width $((x - 1)); it is $(printf '%s' "$txt" | wc -c) bytes)"
	else
		fail "$what: '$txt' typed: the cursor is at column $x (1 + its display width)" "$edit_failed"
	fi
	edit p "$txt" $((x - 2)) Left Left
	if [ -z "$edit_failed" ]; then
		ok "$what: Left twice moves the cursor back 2 columns, to $((x - 2))"
	else
		fail "$what: Left twice moves the cursor back 2 columns, to $((x - 2))" "$edit_failed"
	fi
	x=$((1 + $(width "$wide")))
	edit p "$txt" '' C-e && edit p "$wide" "$x" -l ' 日本' && edit p "$wide" $((x - 2)) Left
	if [ -z "$edit_failed" ]; then
		ok "$what: with two wide characters ('$wide'): the cursor at column $x, Left moves back 2 columns over one"
	else
		fail "$what: with two wide characters ('$wide'): the cursor at column $x, Left moves back 2 columns over one" \
			"$edit_failed"
		tmux_context p
	fi

	# 5. C-g closes the prompt.
	tmux_keys p C-g
	if poll_until "$KEY_BOUND" prompt_closed p && ! tmux_has p "$HINT_RE"; then
		ok "$what: C-g closes the prompt (the key line is back)"
	else
		fail "$what: C-g closes the prompt (the key line is back)" "$(prompt_state p)"
		tmux_context p
	fi

	# C-c drops the line and closes the prompt, without quitting.
	tmux_keys p p
	poll_until "$KEY_BOUND" header_has p 'clock paused' || {
		fail "$what: p pauses the clock"
		tmux_context p
	}
	t=$(tick_of p)
	open_prompt p "$what" && tmux_e2e send-keys -t p -l 'tick 5' && poll_until "$KEY_BOUND" prompt_is p 'tick 5'
	tmux_keys p C-c
	pid=$(ev_pid p)
	if poll_until "$KEY_BOUND" prompt_closed p && [ -n "$pid" ] && alive "$pid" && header_has p "$HEADER_RE"; then
		ok "$what: C-c closes the prompt; the program is still running"
	else
		fail "$what: C-c closes the prompt; the program is still running" "$(prompt_state p)"
		tmux_context p
		context "$E2E_TMP/p.err"
	fi
	if tmux_at_prompt p; then
		# It quit: start it again for the checks that follow.
		launch p "$what (again, after C-c ended it)" '' "-p 0" || return
		free_play p "$what"
	else
		tmux_keys p t
		if [ -n "$t" ] && poll_until "$KEY_BOUND" tick_is p $((t + 1)); then
			ok "$what: after C-c keys work and 'tick 5' was dropped, not run (t: tick $t -> $((t + 1)))"
		else
			fail "$what: after C-c keys work and 'tick 5' was dropped, not run (t: tick ${t:-?} -> $((${t:-0} + 1)), it says $(tick_of p))"
			tmux_context p
		fi
		if open_prompt p "$what"; then
			ok "$what: the prompt opens empty again after C-c"
			tmux_keys p Escape
			poll_until "$KEY_BOUND" prompt_closed p
		fi
	fi

	# A paste of several lines: each one runs as a prompt line, none as a
	# key (as keys, "mode lt" would cycle the mode from ET to ONESHOT).
	if open_prompt p "$what" &&
		tmux_e2e send-keys -t p -l -- $'budget 512\rmode lt\r' &&
		poll_until "$KEY_BOUND" header_has p '^ +LT +budget 512 B ' &&
		poll_until "$KEY_BOUND" prompt_closed p; then
		ok "$what: a pasted 'budget 512' and 'mode lt' run as two prompt lines, not as keys"
	else
		fail "$what: a pasted 'budget 512' and 'mode lt' run as two prompt lines, not as keys"
		tmux_context p
	fi
	run_line p 'mode et' # as the checks below expect

	# 7. help, help CMD.
	run_line p help
	if tmux_wait p '^ *┌─ help ─' "$KEY_BOUND" && tmux_has p '│ mode +notification model' &&
		tmux_has p '│ budget +bytes read per wakeup'; then
		ok "$what: 'help' opens an overlay listing the commands (mode, budget, ...)"
	else
		fail "$what: 'help' opens an overlay listing the commands (mode, budget, ...)"
		tmux_context p
	fi
	# Not every command fits in 30 rows: a taller terminal shows them all.
	tmux_e2e resize-window -t p -x 100 -y 48
	if tmux_wait p '│ compare +two servers side by side' "$KEY_BOUND" && tmux_has p '│ help +list commands' &&
		! tmux_has p 'more: make the terminal taller'; then
		ok "$what: at 100x48 the help lists every command, compare and help included"
	else
		fail "$what: at 100x48 the help lists every command, compare and help included"
		tmux_context p
	fi
	tmux_e2e resize-window -t p -x 100 -y 30
	tmux_wait p 'more: make the terminal taller' "$KEY_BOUND"
	mode=$(header p | awk '{ print $1 }')
	tmux_keys p m
	if poll_until "$KEY_BOUND" tmux_has_not p '┌─ help ─' && header_has p "^ +$mode +budget "; then
		ok "$what: any key closes the help, and only closes it (m: the mode stays $mode)"
	else
		fail "$what: any key closes the help, and only closes it (m: the mode stays ${mode:-?})"
		tmux_context p
	fi
	run_line p 'help mode'
	if tmux_wait p '┌─ help mode ─' "$KEY_BOUND" && tmux_has p '│ usage: mode lt\|et\|oneshot '; then
		ok "$what: 'help mode' shows 'usage: mode lt|et|oneshot' in a box titled 'help mode'"
	else
		fail "$what: 'help mode' shows 'usage: mode lt|et|oneshot' in a box titled 'help mode'"
		tmux_context p
	fi
	tmux_keys p Space
	poll_until "$KEY_BOUND" tmux_has_not p '┌─ help mode ─'

	# show knobs: who set each knob, a key by its name (B: 512 -> 64);
	# the clock and the panes too (p twice, v once round all five).
	tmux_keys p B
	poll_until "$KEY_BOUND" header_has p '^ +ET +budget 64 B '
	tmux_keys p p p v v v v v
	run_line p 'show knobs'
	if tmux_wait p '┌─ show knobs ─' "$KEY_BOUND" && tmux_has p '│ budget +64 B +key B ' &&
		tmux_has p '│ mode +et +prompt ' && tmux_has p '│ twin +off +default ' &&
		tmux_has p '│ clock +([0-9]+/s|paused|on events) +key p ' &&
		tmux_has p '│ panes +all +key v '; then
		ok "$what: after the keys B, p and v, 'show knobs' says budget 64 B was set by 'key B' (mode et: prompt), the clock by 'key p', the panes by 'key v'"
	else
		fail "$what: after the keys B, p and v, 'show knobs' says budget 64 B was set by 'key B' (mode et: prompt), the clock by 'key p', the panes by 'key v'"
		tmux_context p
	fi
	tmux_keys p Space
	poll_until "$KEY_BOUND" tmux_has_not p '┌─ show knobs ─'

	# 8. compare lt et from a plain run: two servers; compare off: one.
	run_line p 'compare lt et'
	if poll_until "$KEY_BOUND" headers_are p 2 && header_has p '^ +LT +budget ' && tmux_has p '^ +ET +budget ' &&
		[ "$(tmux_screen p | grep -cE '^listener 127\.0\.0\.1:[0-9]+ ')" = 2 ] &&
		[ "$(tmux_screen p | sed -nE 's/^listener 127\.0\.0\.1:([0-9]+) .*/\1/p' | sort -u | wc -l)" = 2 ]; then
		ok "$what: 'compare lt et' from a plain run: two headers (LT first, ET), two listeners on different ports"
	else
		fail "$what: 'compare lt et' from a plain run: two headers (LT, ET), two listeners on different ports"
		tmux_context p
	fi
	run_line p 'compare off'
	if poll_until "$KEY_BOUND" headers_are p 1 && [ "$(tmux_screen p | grep -cE '^listener ')" = 1 ] &&
		tmux_has p '^one server again'; then
		ok "$what: 'compare off': one header, one listener again ('one server again')"
	else
		fail "$what: 'compare off': one header, one listener again ('one server again')"
		tmux_context p
	fi

	# 5. q quits (free play does not ask); the terminal is sane.
	tmux_keys p q
	after_exit p "$what: q" 0
}

# tmux_has_not S ERE: no row of the screen matches.
# shellcheck disable=SC2317 # run through poll_until
tmux_has_not() { ! tmux_has "$1" "$2"; }

# ---- h: the history, across runs --------------------------------------------
section_h() {
	local what="history" state=$E2E_TMP/state-h home=$E2E_TMP/home-h file lines
	file=$state/epollviz/history
	session h 100 30 "INPUTRC=/dev/null" "XDG_STATE_HOME=$state" "HOME=$home" || return
	mkdir -p "$home"

	launch h "$what (run 1)" '' "-p 0" || return
	free_play h "$what"
	if ! { run_line h 'budget 16' && poll_until "$KEY_BOUND" header_has h '  budget 16 B  ' &&
		run_line h 'accept one' && poll_until "$KEY_BOUND" header_has h '  accept one  '; }; then
		fail "$what: run 1: 'budget 16' and 'accept one' run"
		tmux_context h
	fi
	tmux_keys h q
	exited h "$what: run 1: q" || return
	lines=$(cat "$file" 2>/dev/null)
	if [ "$lines" = $'budget 16\naccept one' ]; then
		ok "$what: \$XDG_STATE_HOME/epollviz/history holds the two lines typed, in order, and nothing else"
	else
		fail "$what: \$XDG_STATE_HOME/epollviz/history holds the two lines typed, in order, and nothing else" \
			"files: $(find "$state" 2>&1 | tr '\n' ' ')"
		context "$file"
	fi
	if [ ! -e "$home/.local" ]; then
		ok "$what: nothing written under \$HOME/.local when XDG_STATE_HOME is set"
	else
		fail "$what: nothing written under \$HOME/.local when XDG_STATE_HOME is set" "$(find "$home" | head -n 5)"
	fi

	launch h "$what (run 2)" '' "-p 0" || return
	free_play h "$what"
	edit_failed=''
	open_prompt h "$what" &&
		edit h 'accept one' '' Up &&
		edit h 'budget 16' '' Up &&
		edit h 'accept one' '' Down
	if [ -z "$edit_failed" ]; then
		ok "$what: run 2: ':' Up shows 'accept one', Up again 'budget 16', Down 'accept one'"
	else
		fail "$what: run 2: ':' Up shows 'accept one', Up again 'budget 16', Down 'accept one'" "$edit_failed"
		tmux_context h
	fi
	tmux_keys h C-g
	poll_until "$KEY_BOUND" prompt_closed h
	open_prompt h "$what" && tmux_keys h C-r
	tmux_wait h '^\(reverse-i-search\)`'"'"': *$' "$KEY_BOUND"
	tmux_e2e send-keys -t h -l budg
	if poll_until "$KEY_BOUND" tmux_has h '^\(reverse-i-search\)`budg'"'"': budget 16$' &&
		[[ $(tmux_cursor_line h) == '(reverse-i-search)`budg'* ]]; then
		ok "$what: run 2: C-r then 'budg' shows the matching line: (reverse-i-search)\`budg': budget 16"
	else
		fail "$what: run 2: C-r then 'budg' shows the matching line: (reverse-i-search)\`budg': budget 16" \
			"$(prompt_state h)"
		tmux_context h
	fi
	tmux_keys h Enter
	if poll_until "$KEY_BOUND" header_has h '  budget 16 B  ' && poll_until "$KEY_BOUND" prompt_closed h; then
		ok "$what: run 2: Enter runs the line found (the header says budget 16 B)"
	else
		fail "$what: run 2: Enter runs the line found (the header says budget 16 B)"
		tmux_context h
	fi
	# A recalled line edited and then left for another keeps its edit,
	# and readline keeps the edit's undo list with the entry: quitting
	# frees them (under the sanitizers a leak fails the status and the
	# stderr checks).
	edit_failed=''
	open_prompt h "$what" &&
		edit h 'budget 16' '' Up &&
		edit h 'budget 16x' '' x &&
		edit h 'accept one' '' Up
	if [ -z "$edit_failed" ]; then
		ok "$what: run 2: a recalled line edited (Up, x), then Up to another"
	else
		fail "$what: run 2: a recalled line edited (Up, x), then Up to another" "$edit_failed"
		tmux_context h
	fi
	tmux_keys h C-g
	poll_until "$KEY_BOUND" prompt_closed h
	tmux_keys h q
	after_exit h "$what: run 2: q" 0 || return

	# Without XDG_STATE_HOME: ~/.local/state/epollviz/history.
	launch h "$what (run 3)" 'env -u XDG_STATE_HOME' "-p 0" || return
	free_play h "$what"
	if ! { run_line h 'budget 512' && poll_until "$KEY_BOUND" header_has h '  budget 512 B  '; }; then
		fail "$what: run 3: 'budget 512' runs"
		tmux_context h
	fi
	tmux_keys h q
	exited h "$what: run 3: q" || return
	if [ "$(cat "$home/.local/state/epollviz/history" 2>/dev/null)" = 'budget 512' ] &&
		! grep -q 512 "$file"; then
		ok "$what: without XDG_STATE_HOME the history goes to \$HOME/.local/state/epollviz/history"
	else
		fail "$what: without XDG_STATE_HOME the history goes to \$HOME/.local/state/epollviz/history" \
			"$(find "$home" 2>&1 | head -n 5 | tr '\n' ' ')"
	fi
}

# ---- headless --compare ------------------------------------------------------
section_headless() {
	local what="headless --compare lt,et $LESSON" out=$E2E_TMP/hl-compare.out err=$E2E_TMP/hl-compare.err
	local single=$E2E_TMP/hl-single.out bad st n1 n2 f also=()
	(cd "$E2E_TOP" && timeout 60 "$EPOLLVIZ" --headless --compare lt,et "$SCN") >"$out" 2>"$err"
	st=$?
	if [ "$st" -eq 0 ] && [ ! -s "$err" ]; then
		ok "$what: exits 0, nothing on stderr"
	else
		fail "$what: exits 0, nothing on stderr (status $st)"
		context "$out"
		context "$err"
	fi
	if has_re "$out" '^\[lt\] tick 1: ' && has_re "$out" '^\[et\] tick 1: ' &&
		! has_re "$out" '^(tick [0-9]+:|  )'; then
		ok "$what: server lines are marked '[lt] ' and '[et] ' (no unmarked tick or indented line)"
	else
		fail "$what: server lines are marked '[lt] ' and '[et] ' (no unmarked tick or indented line)"
		grep -nE '^(tick [0-9]+:|  )' "$out" | head -n 5 | sed 's/^/    | /'
		context "$out"
	fi
	bad=$(awk '
		match($0, /^\[(lt|et)\] tick [0-9]+:/) {
			side = substr($0, 2, 2); n = $3 + 0; k++
			want_side = (k % 2) ? "lt" : "et"
			want_n = (k % 2) ? last + 1 : last
			if (side != want_side || n != want_n) { print NR ": " $0 " (expected [" want_side "] tick " want_n ")"; exit }
			last = n
		}
		END { if (!k) print "no tick line"; else if (k % 2) print "the last tick has no [et] line" }' "$out")
	n1=$(grep -cE '^\[lt\] tick [0-9]+:' "$out")
	if [ -z "$bad" ] && [ "$n1" -ge 5 ]; then
		ok "$what: interleaved by tick: [lt] tick N, [et] tick N, [lt] tick N+1 ... ($n1 ticks each)"
	else
		fail "$what: interleaved by tick: [lt] tick N, [et] tick N, [lt] tick N+1 ..." "${bad:-only $n1 ticks}"
	fi
	(cd "$E2E_TOP" && timeout 60 "$EPOLLVIZ" --headless "$SCN") >"$single" 2>&1
	n1=$(grep -cE '^client [a-z0-9.]+: ' "$out")
	n2=$(grep -cE '^client [a-z0-9.]+: ' "$single")
	if [ "$n1" -gt 0 ] && [ "$n1" = "$n2" ] && ! has_re "$out" '^\[(lt|et)\] +client '; then
		ok "$what: client lines once, unmarked, as many as a single run's ($n1)"
	else
		fail "$what: client lines once, unmarked, as many as a single run's ($n1 here, $n2 single)"
		grep -nE 'client ' "$out" | head -n 8 | sed 's/^/    | /'
	fi
	for bad in lt,lt xx; do
		"$EPOLLVIZ" --headless --compare "$bad" "$E2E_TOP/$SCN" >"$E2E_TMP/hl-bad.out" 2>"$E2E_TMP/hl-bad.err" </dev/null
		st=$?
		if [ "$st" -eq 2 ] && has "$E2E_TMP/hl-bad.err" "--compare" && [ ! -s "$E2E_TMP/hl-bad.out" ]; then
			ok "--compare $bad: exits 2 with a message naming --compare ($(head -n 1 "$E2E_TMP/hl-bad.err"))"
		else
			fail "--compare $bad: exits 2 with a message naming --compare (status $st)"
			context "$E2E_TMP/hl-bad.err"
		fi
	done
	for f in "$E2E_TOP"/scenarios/*.scn; do
		grep -qE '^#[[:space:]]*run also:[[:space:]]*--compare lt,et' "$f" && also+=("$(basename "$f")")
	done
	if [[ " ${also[*]} " == *" 03-"*" 04-"*" 10-"* ]]; then
		ok "lessons 03, 04 and 10 say '# run also: --compare lt,et' (${also[*]})"
	else
		fail "lessons 03, 04 and 10 say '# run also: --compare lt,et'" "found: ${also[*]:-none}"
	fi
	for f in "${also[@]}"; do
		(cd "$E2E_TOP" && timeout 60 "$EPOLLVIZ" --headless --compare lt,et "scenarios/$f") \
			>"$E2E_TMP/hl-$f.out" 2>&1
		st=$?
		if [ "$st" -eq 0 ] && has_re "$E2E_TMP/hl-$f.out" '^result: ok'; then
			ok "scenarios/$f --compare lt,et: exits 0, every expect held on both sides"
		else
			fail "scenarios/$f --compare lt,et: exits 0, every expect held on both sides (status $st)"
			grep -aE 'FAILED|error' "$E2E_TMP/hl-$f.out" | head -n 5 | sed 's/^/    | /'
			context "$E2E_TMP/hl-$f.out"
		fi
	done
}

# fresh_free_play S WHAT: the program started again in S, in free play.
fresh_free_play() {
	tmux_type "$1" clear
	launch "$1" "$2" '' "-p 0" && free_play "$1" "$2"
}

# nothing_left_for_shell S WHAT: the program exits, and the shell then
# runs only what is typed next (echo MARK_42), not the paste's
# "echo LEFT_42".
nothing_left_for_shell() {
	# shellcheck disable=SC2016 # expanded by the shell in the pane
	exited "$1" "$2" && tmux_type "$1" 'echo MARK_$((6*7))'
	if tmux_wait "$1" '^MARK_42$' && tmux_has_not "$1" 'LEFT_42'; then
		ok "$2: the lines after it never reach the shell"
	else
		fail "$2: the lines after it never reach the shell"
		tmux_context "$1"
	fi
}

# ---- k: a typed line asks where its key asks --------------------------------
section_k() {
	local what="typed lines ask" port lesson="$E2E_TOP/$SCN" modes
	session k 100 30 "INPUTRC=/dev/null" "XDG_STATE_HOME=$E2E_TMP/state-k" "HOME=$E2E_TMP/home-k" || return
	# What the terminal is sent: bracketed paste on, and off at the end.
	tmux_e2e pipe-pane -O -t k "cat >'$E2E_TMP/k.out'"
	launch k "$what" '' "-p 0" || return
	port=$(menu_closed_port k)
	nc_open "${port:-0}" "$E2E_TMP/k.fifo"
	printf 'hello\n' >&9 2>/dev/null
	if ! tmux_wait k '"hello\\n"'; then
		fail "$what: nc's \"hello\\n\" is shown"
		tmux_context k
	fi
	# A student is connected: a typed load asks, as the menu would; n
	# keeps the class (and free play).
	run_line k "load $lesson"
	if tmux_wait k 'open this lesson\?' "$KEY_BOUND" && tmux_has k 'A fresh server resets 1 outside connection'; then
		ok "$what: a typed load with nc connected asks first ('A fresh server resets 1 outside connection')"
	else
		fail "$what: a typed load with nc connected asks first ('A fresh server resets 1 outside connection')"
		tmux_context k
	fi
	tmux_keys k n
	if poll_until "$KEY_BOUND" tmux_has_not k 'open this lesson\?' && tmux_has k '^ +try: nc localhost [0-9]+ ' &&
		tmux_has k '127\.0\.0\.1:[0-9]+ +open' && alive "$nc_pid"; then
		ok "$what: n keeps free play, and nc stays connected"
	else
		fail "$what: n keeps free play, and nc stays connected"
		tmux_context k
	fi
	# Bracketed paste (tmux wraps what it pastes when the program asked
	# for it): with the prompt closed, the lines run as prompt lines.
	tmux_e2e set-buffer -b k-lines $'budget 512\nmode et\n'
	tmux_e2e paste-buffer -p -b k-lines -t k
	if poll_until "$KEY_BOUND" header_has k '^ +ET +budget 512 B ' && poll_until "$KEY_BOUND" prompt_closed k; then
		ok "$what: a bracketed paste of 'budget 512' and 'mode et', prompt closed: both run as prompt lines"
	else
		fail "$what: a bracketed paste of 'budget 512' and 'mode et', prompt closed: both run as prompt lines"
		tmux_context k
	fi
	# A paste that comes in two reads: the second half is still the
	# prompt's ('mode lt' is whole; the q after it is no key).
	tmux_e2e send-keys -t k -l -- $'\e[200~budget 16\rmo'
	poll_until "$KEY_BOUND" header_has k '^ +ET +budget 16 B '
	tmux_e2e send-keys -t k -l -- $'de lt\rq\e[201~'
	if poll_until "$KEY_BOUND" header_has k '^ +LT +budget 16 B ' && poll_until "$KEY_BOUND" prompt_is k q 2; then
		ok "$what: a paste in two reads: 'mode lt' across them runs, the q after it waits in the prompt"
	else
		fail "$what: a paste in two reads: 'mode lt' across them runs, the q after it waits in the prompt" \
			"$(prompt_state k)"
		tmux_context k
	fi
	tmux_keys k C-g
	poll_until "$KEY_BOUND" prompt_closed k
	# A paste whose end never comes: once it has been quiet for twice the
	# program's bound (0.5 s), keys are keys again.
	tmux_e2e send-keys -t k -l -- $'\e[200~budget 64\r'
	if poll_until "$KEY_BOUND" header_has k '^ +LT +budget 64 B '; then
		sleep 1 # the bound is a time: nothing to poll for
		tmux_keys k p
		if poll_until "$KEY_BOUND" header_has k 'clock paused' && prompt_closed k; then
			ok "$what: a paste cut before its end: after a quiet second, p is the key (the clock pauses)"
		else
			fail "$what: a paste cut before its end: after a quiet second, p is the key (the clock pauses)"
			tmux_context k
		fi
	else
		fail "$what: a paste cut before its end: its line runs ('budget 64')"
		tmux_context k
	fi
	# An Esc byte in a paste is no key: it neither cancels the line nor
	# eats the end marker (p right after is the key at once).
	tmux_e2e set-buffer -b k-esc $'budget 8\e\nmode et\n'
	tmux_e2e paste-buffer -p -b k-esc -t k
	if poll_until "$KEY_BOUND" header_has k '^ +ET +budget 8 B ' && poll_until "$KEY_BOUND" prompt_closed k; then
		tmux_keys k p
		if poll_until "$KEY_BOUND" header_has_not k 'clock paused'; then
			ok "$what: a paste with an Esc in it runs whole, and p right after is the key"
		else
			fail "$what: a paste with an Esc in it runs whole, and p right after is the key"
			tmux_context k
		fi
	else
		fail "$what: a paste with an Esc in it runs whole ('budget 8', 'mode et')" "$(prompt_state k)"
		tmux_context k
	fi
	# A line that fails stops the paste: its error stays under the prompt,
	# and the lines after it are not run.
	tmux_e2e set-buffer -b k-bad $'budget lots\nmode lt\n'
	tmux_e2e paste-buffer -p -b k-bad -t k
	if tmux_wait k 'the lines pasted after it were not run' "$KEY_BOUND" && tmux_has k 'budget' &&
		[ "$(tmux_get k '#{cursor_flag}')" = 1 ] && header_has k '^ +ET +budget 8 B '; then
		ok "$what: a pasted line that fails stops the paste: its error under the prompt, 'mode lt' not run"
	else
		fail "$what: a pasted line that fails stops the paste: its error under the prompt, 'mode lt' not run" \
			"$(prompt_state k)"
		tmux_context k
	fi
	tmux_keys k C-g
	poll_until "$KEY_BOUND" prompt_closed k
	# One failing line and its newline: nothing came after it, so nothing
	# is said to be "not run".
	tmux_e2e set-buffer -b k-one $'budget lots\n'
	tmux_e2e paste-buffer -p -b k-one -t k
	if tmux_wait k 'budget' "$KEY_BOUND" && poll_until "$KEY_BOUND" prompt_failed k &&
		tmux_has_not k 'not run'; then
		ok "$what: one pasted line that fails: its error, and no word of lines not run"
	else
		fail "$what: one pasted line that fails: its error, and no word of lines not run"
		tmux_context k
	fi
	tmux_keys k C-g
	poll_until "$KEY_BOUND" prompt_closed k
	run_line k 'mode lt'
	# A Ctrl-C byte in a paste, the prompt open: the terminal driver makes
	# it SIGINT and drops what came before it, begin marker included. The
	# line is dropped, and what follows must not act as keys.
	open_prompt k "$what" &&
		tmux_e2e set-buffer -b k-int $'budget 5\003budget 7\nmode et\n' &&
		tmux_e2e paste-buffer -p -b k-int -t k
	if tmux_wait k 'a Ctrl-C in the paste: the rest of it was not run' "$KEY_BOUND" &&
		header_has k '^ +LT +budget 8 B ' && alive "$(ev_pid k)" && prompt_closed k; then
		tmux_keys k p
		if poll_until "$KEY_BOUND" header_has k 'clock paused'; then
			ok "$what: a paste with a Ctrl-C byte, prompt open: nothing of it runs, no key acts, p is the key after it"
		else
			fail "$what: a paste with a Ctrl-C byte, prompt open: p is the key after it"
			tmux_context k
		fi
	else
		fail "$what: a paste with a Ctrl-C byte, prompt open: nothing of it runs, no key acts, the program goes on"
		tmux_context k
	fi
	tmux_keys k p
	poll_until "$KEY_BOUND" header_has_not k 'clock paused'
	# A new paste while one whose end never came is still open: the new
	# one runs ('budget 21'), the old one's failed line aside.
	tmux_e2e send-keys -t k -l -- $'\e[200~bogus\r'
	tmux_e2e set-buffer -b k-next $'budget 21\n'
	tmux_e2e paste-buffer -p -b k-next -t k
	if poll_until "$KEY_BOUND" header_has k '^ +LT +budget 21 B '; then
		ok "$what: a paste that starts while another's end never came runs"
	else
		fail "$what: a paste that starts while another's end never came runs" "$(prompt_state k)"
		tmux_context k
	fi
	tmux_keys k C-g
	poll_until "$KEY_BOUND" prompt_closed k
	# An end marker cut after its Esc (a slow link; ncurses waits 25 ms
	# for the rest of a key): the rest of it still ends the paste.
	tmux_e2e send-keys -t k -l -- $'\e[200~budget 18\r\e'
	poll_until "$KEY_BOUND" header_has k '^ +LT +budget 18 B '
	tmux_e2e send-keys -t k -l -- '[201~'
	tmux_keys k p
	if poll_until "$KEY_BOUND" header_has k 'clock paused' && prompt_closed k; then
		ok "$what: an end marker cut after its Esc still ends the paste (p right after is the key)"
	else
		fail "$what: an end marker cut after its Esc still ends the paste (p right after is the key)" \
			"$(prompt_state k)"
		tmux_context k
	fi
	tmux_keys k p
	poll_until "$KEY_BOUND" header_has_not k 'clock paused'
	# A bracketed paste whose middle line asks: the lines after it are not
	# run; n keeps free play.
	tmux_e2e set-buffer -b k-ask "budget 32"$'\n'"load $lesson"$'\nmode et\n'
	tmux_e2e paste-buffer -p -b k-ask -t k
	if tmux_wait k 'open this lesson\?' "$KEY_BOUND" &&
		poll_until "$KEY_BOUND" tmux_has k 'the lines pasted after it were not run' &&
		header_has k '^ +LT +budget 32 B '; then
		ok "$what: a bracketed paste of 'budget 32', a load and 'mode et': budget runs, load asks, 'mode et' is not run"
	else
		fail "$what: a bracketed paste of 'budget 32', a load and 'mode et': budget runs, load asks, 'mode et' is not run"
		tmux_context k
	fi
	# While the question is open, a paste is not run at all.
	tmux_e2e set-buffer -b k-wait $'mode et\n'
	tmux_e2e paste-buffer -p -b k-wait -t k
	if tmux_wait k 'the paste was not run: answer y or n first' "$KEY_BOUND" && header_has k '^ +LT ' &&
		tmux_has k 'open this lesson\?'; then
		ok "$what: a paste while the question is open is not run, and does not answer it"
	else
		fail "$what: a paste while the question is open is not run, and does not answer it"
		tmux_context k
	fi
	tmux_keys k n
	poll_until "$KEY_BOUND" tmux_has_not k 'open this lesson\?'
	# The same without bracketed paste (a terminal that has none): the
	# lines after the one that asks, in the same read, are not run either.
	open_prompt k "$what" &&
		tmux_e2e send-keys -t k -l -- $'budget 512\r'"load $lesson"$'\rmode et\r'
	if tmux_wait k 'open this lesson\?' "$KEY_BOUND" &&
		poll_until "$KEY_BOUND" tmux_has k 'the lines pasted after it were not run' &&
		header_has k '^ +LT +budget 512 B '; then
		ok "$what: a paste of 'budget 512', a load and 'mode et': budget runs, load asks, 'mode et' is not run"
	else
		fail "$what: a paste of 'budget 512', a load and 'mode et': budget runs, load asks, 'mode et' is not run"
		tmux_context k
	fi
	# y runs the line as typed: the lesson opens, nc's connection gone.
	tmux_keys k y
	if tmux_wait k 'step 1 of 5' "$KEY_BOUND" && tmux_has_not k '127\.0\.0\.1:[0-9]+ +open'; then
		ok "$what: y opens the lesson typed; nc's connection is not on the fresh server"
	else
		fail "$what: y opens the lesson typed; nc's connection is not on the fresh server"
		tmux_context k
	fi
	nc_close
	tmux_keys k q
	tmux_keys k y
	exited k "$what: q, y"
	tmux_e2e pipe-pane -t k
	# A pasted quit ends the program at once (nothing to lose): the rest of
	# the paste must not reach the shell, which would run it.
	fresh_free_play k "$what (a pasted quit)" || return
	tmux_e2e set-buffer -b k-quit $'quit\necho LEFT_$((6*7))\n'
	tmux_e2e paste-buffer -p -b k-quit -t k
	nothing_left_for_shell k "$what: a pasted quit"
	# The same with the paste's rest coming a moment later (a slow link):
	# the program reads on to the paste's end before it exits.
	fresh_free_play k "$what (a pasted quit, in two pieces)" || return
	tmux_e2e send-keys -t k -l -- $'\e[200~quit\r'
	sleep 0.1 # the link's pause: the program waits a second of quiet
	tmux_e2e send-keys -t k -l -- $'echo LEFT_$((6*7))\r\e[201~'
	nothing_left_for_shell k "$what: a pasted quit in two pieces"
	# A Ctrl-C byte in a paste with the prompt closed is Ctrl-C: it quits,
	# and what followed it never reaches the shell.
	fresh_free_play k "$what (a pasted Ctrl-C)" || return
	tmux_e2e set-buffer -b k-cq $'budget 5\003echo LEFT_$((6*7))\n'
	tmux_e2e paste-buffer -p -b k-cq -t k
	nothing_left_for_shell k "$what: a pasted Ctrl-C, prompt closed, quits"
	# A paste whose end never came does not keep Ctrl-C from quitting.
	fresh_free_play k "$what (Ctrl-C after a cut paste)" || return
	tmux_e2e send-keys -t k -l -- $'\e[200~budget 64\r'
	poll_until "$KEY_BOUND" header_has k '^ +LT +budget 64 B '
	sleep 1 # twice the paste's quiet bound: nothing to poll for
	tmux_keys k C-c
	exited k "$what: Ctrl-C a second after a paste whose end never came quits" &&
		ok "$what: Ctrl-C a second after a paste whose end never came quits"
	# Nor does a key that comes with the Ctrl-C.
	fresh_free_play k "$what (Ctrl-C and q at once)" || return
	tmux_keys k C-c q
	exited k "$what: Ctrl-C with a key right behind it quits" &&
		ok "$what: Ctrl-C with a key right behind it quits"
	# Up to the summary line (the shell may turn the mode on for itself
	# afterwards, and off before it runs a command): on once, then off.
	modes=$(paste_modes "$E2E_TMP/k.out" 'epollviz: \d+ epoll_wait')
	if [ "${modes#l}" = hl ]; then
		ok "$what: the terminal was asked for bracketed paste, and it was turned off before the exit ($modes)"
	else
		fail "$what: the terminal was asked for bracketed paste, and it was turned off before the exit" \
			"the program's 2004 modes in order: '${modes}'"
	fi
}

started=$(e2e_now_ms)
if [ -n "$have_tmux" ]; then
	section_p
	stderr_empty p
	section_h
	stderr_empty h
	section_k
	stderr_empty k
fi
section_headless
echo "# prompt.sh took $((($(e2e_now_ms) - started) / 1000)) s"
e2e_finish
