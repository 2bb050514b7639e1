#!/usr/bin/env bash
# tests/e2e/fatal.sh - a signal that kills the terminal UI gives the
# terminal back.  In tmux, `sh -c` starts the TUI (sh, unlike an
# interactive bash, puts no terminal settings back after a child dies) and
# the test kills it with SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL and
# SIGUSR1 (none of which the host loop reads).  After each:
#
#   - sh reports the signal: the status is 128+N and it prints the
#     signal's name (so the process died of the signal, re-raised, not by
#     an exit(128+N));
#   - the alternate screen is off and the cursor shown, and bracketed
#     paste, which the program turned on, is off (what the terminal was
#     sent, from tmux pipe-pane);
#   - `stty -a`, run by sh right after, shows icanon and echo, and
#     `stty -g` is what it was;
#   - where core files land in the current directory, SIGSEGV says
#     "(core dumped)".
#
# Under AddressSanitizer (make check) its SEGV, BUS and FPE handlers are
# turned off for these runs (ASAN_OPTIONS), so the default action is what
# is checked; one more run keeps ASan's SEGV handler and checks that the
# program hands the signal on to it: ASan's report, and the terminal back.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_tmux

asan=''
grep -qa '__asan_init' "$EPOLLVIZ" && asan=1
quiet_asan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:handle_sigbus=0:handle_sigfpe=0"

# A core file may land in the current directory only: then it is ours to
# look for (and remove); a piped core_pattern goes elsewhere.
core_here=''
pattern=$(cat /proc/sys/kernel/core_pattern 2>/dev/null)
[ -z "$asan" ] && [ -n "$pattern" ] && [[ $pattern != \|* && $pattern != */* ]] && core_here=1

# What sh says when a child dies of one of the signals sent here.
SIGNAL_WORDS='^(Segmentation fault|Bus error|Aborted|Floating point exception|Illegal instruction|User defined signal 1)( \(core dumped\))?$'

# run_in_sh S WHAT ENV: clears S's screen and types a line that has sh
# (not the interactive bash, which would put its own terminal settings
# back) run the program, then print its status and save `stty -a` and
# `stty -g` as they are right after it.  Waits for the header.
run_in_sh() {
	local s=$1 what=$2 env=$3
	rm -f "$E2E_TMP/$s.stty-a" "$E2E_TMP/$s.stty.after"
	# shellcheck disable=SC2016 # expanded by the shells in the pane
	tmux_type "$s" "clear; $env${env:+ }sh -c '\"\$EV\" -p 0 2>>\"\$T/$s.err\"; echo \"sh: status \$?\"; stty -a >\"\$T/$s.stty-a\"; stty -g >\"\$T/$s.stty.after\"'"
	if tmux_wait "$s" "$HEADER_RE"; then
		return 0
	fi
	fail "$what: sh -c 'epollviz -p 0' starts the TUI (the header is drawn)"
	tmux_context "$s"
	context "$E2E_TMP/$s.err"
	kill_leftover "$s"
	return 1
}

# sh_child S: the program, the child of the sh that S's shell runs.
sh_child() {
	local shell sh
	shell=$(tmux_get "$1" '#{pane_pid}') && [ -n "$shell" ] || return 1
	sh=$(pgrep -P "$shell" | head -n 1) && [ -n "$sh" ] || return 1
	pgrep -P "$sh" | head -n 1
}

# after_kill S WHAT SIGNAL [STATUS-ERE]: the program run by run_in_sh was
# just killed with SIGNAL; checks what sh saw and the terminal.
after_kill() {
	local s=$1 what=$2 sig=$3 want=${4:-$((128 + $(kill -l "$3")))} st
	if poll_until "$POLL_BOUND" test -s "$E2E_TMP/$s.stty.after"; then
		# (A terminal left raw may have mangled the line: no anchors.)
		st=$(tmux_screen "$s" | grep -aoE 'status [0-9]+' | tail -n 1 | cut -d' ' -f2)
		if [[ $st =~ ^($want)$ ]]; then
			ok "$what: sh reports status $st"
		else
			fail "$what: sh reports status $want" "sh: status ${st:-(no line)}"
			tmux_context "$s"
		fi
	else
		fail "$what: the program ends and sh runs stty after it"
		tmux_context "$s"
		kill_leftover "$s"
		return 1
	fi
	screen_back "$s" "$what"
	if tr ' ;' '\n\n' <"$E2E_TMP/$s.stty-a" | grep -qx icanon &&
		tr ' ;' '\n\n' <"$E2E_TMP/$s.stty-a" | grep -qx echo; then
		ok "$what: stty -a right after it shows icanon and echo"
	else
		fail "$what: stty -a right after it shows icanon and echo" \
			"$(tr ' ;' '\n\n' <"$E2E_TMP/$s.stty-a" 2>/dev/null | grep -E '^-?(icanon|echo|icrnl|ixon|onlcr)$' | tr '\n' ' ')"
	fi
	stty_as_before "$s" "$what" || true
}

# reset_terminal S: whatever happened, the next run starts sane.
reset_terminal() {
	tmux_type "$1" "stty \"\$(cat \"\$T/$1.stty\")\"; tput rmcup; tput cnorm; clear"
	poll_until "$POLL_BOUND" tmux_at_prompt "$1"
}

session k 100 30 || e2e_finish
# Cores, if any, land in the scratch directory and are removed.
limit=0
[ -z "$core_here" ] || limit=unlimited
tmux_type k "cd \"\$T\" && ulimit -c $limit"
poll_until "$POLL_BOUND" tmux_at_prompt k

# paste_off_before_sh S WHAT FILE: in what the terminal was sent (FILE,
# from pipe-pane), up to sh's status line, the program turned bracketed
# paste on and the crash handler turned it off (the interactive shell's
# own "off" before it ran sh may come first).
paste_off_before_sh() {
	local modes
	modes=$(paste_modes "$3" 'sh: status \d+')
	if [ "${modes#l}" = hl ]; then
		ok "$2: bracketed paste was turned on, and off again by the crash handler ($modes)"
	else
		fail "$2: bracketed paste was turned on, and off again by the crash handler" \
			"the 2004 modes sent, in order: '$modes'"
	fi
}

for sig in SEGV BUS ABRT FPE ILL USR1; do
	tmux_e2e pipe-pane -O -t k "cat >'$E2E_TMP/k-$sig.out'"
	run_in_sh k "SIG$sig" "$quiet_asan" || continue
	kill -"$sig" "$(sh_child k)" 2>/dev/null
	after_kill k "SIG$sig" "$sig"
	status=$?
	tmux_e2e pipe-pane -t k
	if [ "$status" -eq 0 ]; then
		paste_off_before_sh k "SIG$sig" "$E2E_TMP/k-$sig.out"
		# sh names the signal only when the process died of it (on the
		# command's stderr, redirected at the time).
		words=$(grep -aE "$SIGNAL_WORDS" "$E2E_TMP/k.err" | tail -n 1)
		case $sig:$words in
		SEGV:*"Segmentation fault"* | BUS:*"Bus error"* | ABRT:*Aborted* | \
			FPE:*"Floating point exception"* | ILL:*"Illegal instruction"* | \
			USR1:*"User defined signal 1"*)
			ok "SIG$sig: sh says the program died of it ($words)" ;;
		*)
			fail "SIG$sig: sh says the program died of it" "sh's line: ${words:-(none)}"
			tmux_context k ;;
		esac
		if [ "$sig" = SEGV ] && [ -n "$core_here" ]; then
			if [[ $words == *"(core dumped)"* ]]; then
				ok "SIGSEGV: the core is dumped, as the default action does"
			else
				fail "SIGSEGV: the core is dumped, as the default action does" "sh's line: $words"
			fi
		fi
	fi
	rm -f "$E2E_TMP"/core*
	reset_terminal k
done

# Under ASan: its own SEGV handler was there first.  The program gives the
# terminal back and hands the signal on; ASan reports and aborts.
if [ -n "$asan" ]; then
	: >"$E2E_TMP/k.err"
	if run_in_sh k "SIGSEGV under ASan" "ASAN_OPTIONS=${ASAN_OPTIONS:-}"; then
		kill -SEGV "$(sh_child k)" 2>/dev/null
		after_kill k "SIGSEGV under ASan" SEGV '1|134'
		if has "$E2E_TMP/k.err" "AddressSanitizer: SEGV"; then
			ok "SIGSEGV under ASan: ASan's handler still runs (its report is on stderr)"
		else
			fail "SIGSEGV under ASan: ASan's handler still runs (its report is on stderr)"
			context "$E2E_TMP/k.err" 5
		fi
		reset_terminal k
	fi
	: >"$E2E_TMP/k.err"
fi

# Nothing but sh's own lines: no sanitizer report, no error.
grep -avE "$SIGNAL_WORDS" "$E2E_TMP/k.err" >"$E2E_TMP/k.err.program"
if [ ! -s "$E2E_TMP/k.err.program" ]; then
	ok "nothing on the program's stderr"
else
	fail "nothing on the program's stderr"
	context "$E2E_TMP/k.err.program" 10
fi
e2e_finish
