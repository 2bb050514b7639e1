# tests/e2e/lib.sh - helpers sourced by every tests/e2e/*.sh script.
#
# A script prints one `ok - WHAT` or `FAIL - WHAT` line per check (the
# latter followed by a few indented lines of context), and ends with
# `e2e_finish`, which exits 1 if any check failed.  tests/run counts those
# lines; a script also runs on its own from any directory:
#
#   tests/e2e/seed_nc.sh                       # uses ./epollviz
#   EPOLLVIZ=build-san/epollviz tests/e2e/cli.sh
#
# Waiting is always polling for a state (wait_for, wait_exit, tmux_wait),
# bounded by POLL_BOUND seconds (20; 3 after a check has failed), never a
# fixed sleep.  The tmux_* helpers run the terminal UI in a real terminal.
#
# shellcheck shell=bash

set -u
export LC_ALL=C TERM=xterm-256color
# No startup file (startup.h) unless a script writes one here: never the
# user's own.
export XDG_CONFIG_HOME=/nonexistent/epollviz-tests-config

E2E_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_NAME=$(basename "$0" .sh)
EPOLLVIZ=${EPOLLVIZ:-$E2E_TOP/epollviz}
case $EPOLLVIZ in /*) ;; *) EPOLLVIZ=$(cd "$(dirname "$EPOLLVIZ")" && pwd)/$(basename "$EPOLLVIZ") ;; esac
# Scratch space of this script, fresh on every run (tests/tmp is what
# `make clean` removes).
E2E_TMP=${E2E_TMP:-$E2E_TOP/tests/tmp/e2e/$E2E_NAME}
rm -rf "$E2E_TMP"
mkdir -p "$E2E_TMP"
POLL_BOUND=${POLL_BOUND:-20}

e2e_failed=0
e2e_pids=()
# Set by start_server and wait_exit.
server_pid='' server_port='' exit_status=''

# Rewrites anything of the form "N passed, N failed": that line form is
# reserved for the last line of tests/run, which CI reads.
e2e_sanitize() {
	sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 passed; \2 failed/g'
}

ok() {
	printf 'ok - %s\n' "$*" | e2e_sanitize
}

# fail WHAT [CONTEXT-LINE...]
fail() {
	printf 'FAIL - %s\n' "$1" | e2e_sanitize
	shift
	local l
	for l in "$@"; do
		printf '    %s\n' "$l"
	done | cat -v | e2e_sanitize
	e2e_failed=$((e2e_failed + 1))
	# Once something is broken, later waits are short: the script then
	# reports every check well within its timeout instead of being killed.
	[ "$POLL_BOUND" -le 3 ] || POLL_BOUND=3
}

# context FILE [LINES]: the last lines of FILE, indented, control bytes
# made visible.  For after a `fail`.
context() {
	local file=$1 n=${2:-12}
	if [ ! -s "$file" ]; then
		printf '    (%s is empty)\n' "${file#"$E2E_TOP"/}"
		return
	fi
	printf '    --- last lines of %s:\n' "${file#"$E2E_TOP"/}"
	tail -n "$n" "$file" | cat -v | sed 's/^/    | /' | e2e_sanitize
}

e2e_now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# poll_until BOUND_SECONDS COMMAND...: runs COMMAND every 50 ms until it
# succeeds (return 0) or the bound passes (return 1).
poll_until() {
	local bound=$1
	shift
	local deadline=$(($(e2e_now_ms) + bound * 1000))
	while :; do
		"$@" && return 0
		[ "$(e2e_now_ms)" -ge "$deadline" ] && break
		sleep 0.05
	done
	"$@"
}

# has FILE FIXED-STRING / has_re FILE EXTENDED-REGEX
has() { grep -aqF -- "$2" "$1" 2>/dev/null; }
has_re() { grep -aqE -- "$2" "$1" 2>/dev/null; }

# wait_for FILE FIXED-STRING [BOUND]: polls until FILE contains the string.
wait_for() { poll_until "${3:-$POLL_BOUND}" has "$1" "$2"; }

# exits_saying WHAT STATUS WANT FILE [FIXED-STRING...]: one check of a
# run that has ended: `ok` when its STATUS is WANT and FILE (its output)
# holds every string; else FAIL with the status and FILE's last lines.
exits_saying() {
	local what=$1 status=$2 want=$3 file=$4 s held=1
	shift 4
	for s in "$@"; do
		has "$file" "$s" || held=0
	done
	if [ "$status" = "$want" ] && [ "$held" = 1 ]; then
		ok "$what"
	else
		fail "$what" "status $status"
		context "$file"
	fi
}

# count FILE FIXED-STRING: number of lines containing it.
count() { grep -acF -- "$2" "$1" 2>/dev/null || true; }

# only_printable FILE: every byte is printable ASCII or a newline (no ESC,
# no raw UTF-8, no other control byte reached the transcript).
only_printable() {
	[ "$(tr -d '\n\040-\176' <"$1" | wc -c)" -eq 0 ]
}

alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }

# wait_exit PID [BOUND]: waits for a background child of this shell to end;
# sets $exit_status (124 if it did not end within the bound; it is then
# killed).  Returns 0 if it ended by itself.
wait_exit() {
	local pid=$1 bound=${2:-$POLL_BOUND}
	if poll_until "$bound" dead "$pid"; then
		wait "$pid"
		exit_status=$?
		e2e_forget "$pid"
		return 0
	fi
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	exit_status=124
	e2e_forget "$pid"
	return 1
}

# port_busy PORT: some TCP socket (any state, IPv4 or IPv6) uses PORT.
port_busy() {
	local hex
	hex=$(printf '%04X' "$1")
	awk -v h=":$hex" 'FNR > 1 && substr($2, length($2) - 4) == h { f = 1 }
		END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# pick_port: a port nothing uses now, below the ephemeral range so that
# outgoing connections do not take it meanwhile.  Callers still retry on
# "in use": another process may take it first.
pick_port() {
	local p _ lo=20000 hi=32767 first=0
	read -r first _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null
	if [ "${first:-0}" -gt 13000 ]; then
		hi=$((first - 1)) lo=$((first - 12000))
	fi
	for _ in $(seq 100); do
		p=$((lo + RANDOM % (hi - lo)))
		port_busy "$p" || break
	done
	echo "$p"
}

# start_server OUT ERR [ARGS...]: starts `epollviz --headless --port P
# ARGS` in the background, stdout to OUT and stderr to ERR, and waits for
# "listening on".  Picks another port when P turns out to be in use.
# Sets server_pid and server_port; returns 1 (with a FAIL line) if it never
# listened.
start_server() {
	local out=$1 err=$2 _
	shift 2
	for _ in 1 2 3 4 5; do
		server_port=$(pick_port)
		"$EPOLLVIZ" --headless --port "$server_port" "$@" >"$out" 2>"$err" </dev/null &
		server_pid=$!
		e2e_pids+=("$server_pid")
		if ! poll_until "$POLL_BOUND" e2e_started "$out" "$err" "$server_pid"; then
			fail "server on port $server_port did not say 'listening on' within ${POLL_BOUND}s" \
				"command: epollviz --headless --port $server_port $*"
			context "$out"
			context "$err"
			return 1
		fi
		has "$out" "listening on" && return 0
		wait_exit "$server_pid" 5
		has "$err" "in use" && continue
		fail "server exited with status $exit_status before listening" \
			"command: epollviz --headless --port $server_port $*"
		context "$err"
		return 1
	done
	fail "no free port found in 5 attempts"
	context "$err"
	return 1
}

e2e_started() {
	has "$1" "listening on" || has "$2" "in use" || dead "$3"
}

# stop_server PID OUT ERR WHAT: SIGTERM, then checks a clean exit: status 0
# within the bound, the summary line, and nothing on stderr (a sanitizer
# report, LeakSanitizer's included, lands there).
stop_server() {
	local pid=$1 out=$2 err=$3 what=$4
	kill -TERM "$pid" 2>/dev/null
	if ! wait_exit "$pid"; then
		fail "$what: exits within ${POLL_BOUND}s of SIGTERM (killed)"
		context "$out"
		return 1
	fi
	if [ "$exit_status" -eq 0 ]; then
		ok "$what: exits 0 after SIGTERM"
	else
		fail "$what: exits 0 after SIGTERM (status $exit_status)"
		context "$err" 20
	fi
	if has_re "$out" '^epollviz: [0-9]+ epoll_wait calls, '; then
		ok "$what: prints its summary line on SIGTERM"
	else
		fail "$what: prints its summary line on SIGTERM"
		context "$out"
	fi
	if [ ! -s "$err" ]; then
		ok "$what: nothing on stderr (no sanitizer or leak report)"
	else
		local leak=''
		has "$err" "LeakSanitizer" && leak=' (LeakSanitizer reports a leak)'
		fail "$what: nothing on stderr$leak"
		context "$err" 20
	fi
}

# e2e_forget PID: PID was reaped; never signal that number again.
e2e_forget() {
	local keep=() p
	for p in "${e2e_pids[@]}"; do
		[ "$p" = "$1" ] || keep+=("$p")
	done
	e2e_pids=("${keep[@]}")
}

e2e_cleanup() {
	local pid
	for pid in "${e2e_pids[@]}"; do
		kill -KILL "$pid" 2>/dev/null
	done
	# The private tmux server, if tmux_shell started one: its panes' shells
	# get SIGHUP, and whatever they run with them.  tmux leaves its socket.
	if [ -n "$e2e_tmux_used" ]; then
		local sock
		sock=$(tmux_e2e list-sessions -F '#{socket_path}' 2>/dev/null | head -n 1)
		tmux_e2e kill-server 2>/dev/null
		[ -z "$sock" ] || rm -f "$sock"
	fi
}

# ---- a real terminal: tmux ---------------------------------------------
# For the terminal UI.  Every session lives on a private tmux server (its
# own socket, no configuration file), killed on exit.  A session runs an
# interactive bash whose prompt shows the last exit status, "e2e[0]$ ",
# so a script types command lines into it as a person would (send-keys)
# and reads the screen back (capture-pane).

E2E_TMUX_SOCKET=epollviz-e2e-$$
e2e_tmux_used=''

# tmux_e2e ARGS...: tmux, talking to this script's private server.
tmux_e2e() { env -u TMUX tmux -L "$E2E_TMUX_SOCKET" -f /dev/null "$@"; }

# tmux_shell NAME COLS ROWS [VAR=VALUE...]: a new session NAME of COLS x
# ROWS running `bash --norc --noprofile` at the top of the tree, with
# TERM=xterm-256color, LANG=C.UTF-8 and LC_ALL unset (this script's
# LC_ALL=C would hide the UTF-8 locale), no history file, the prompt
# "e2e[$?]$ " and the VARs given.  Waits for the first prompt.
tmux_shell() {
	local name=$1 cols=$2 rows=$3 cmd
	shift 3
	cmd=$(printf '%q ' env -u LC_ALL -u LANGUAGE LANG=C.UTF-8 TERM=xterm-256color \
		'PS1=e2e[$?]$ ' HISTFILE=/dev/null "$@" bash --norc --noprofile)
	e2e_tmux_used=1
	if ! tmux_e2e new-session -d -s "$name" -x "$cols" -y "$rows" -c "$E2E_TOP" "$cmd"; then
		fail "tmux starts a ${cols}x$rows session '$name'"
		return 1
	fi
	if ! poll_until "$POLL_BOUND" tmux_at_prompt "$name"; then
		fail "tmux session '$name': the shell prompt within ${POLL_BOUND}s"
		tmux_context "$name"
		return 1
	fi
}

# tmux_screen TARGET [CAPTURE-PANE-OPTIONS...]: the pane's screen, one
# line per row (-e: with the SGR sequences of colours and attributes).
tmux_screen() {
	local t=$1
	shift
	tmux_e2e capture-pane -p "$@" -t "$t" 2>/dev/null
}

# tmux_get TARGET FORMAT: a tmux format of the pane, e.g. '#{cursor_y}'.
tmux_get() { tmux_e2e display-message -p -t "$1" "$2" 2>/dev/null; }

# tmux_has TARGET ERE: a line of the screen matches ERE.
tmux_has() { tmux_screen "$1" | grep -aqE -- "$2"; }

# tmux_wait TARGET ERE [BOUND]: polls until a line of the screen matches.
tmux_wait() { poll_until "${3:-$POLL_BOUND}" tmux_has "$1" "$2"; }

# tmux_wait_for TARGET ERE WHAT: `ok WHAT` once a line of the screen
# matches ERE, else `FAIL WHAT` with the screen as context.
tmux_wait_for() {
	if tmux_wait "$1" "$2"; then
		ok "$3"
		return 0
	fi
	fail "$3" "no line on the screen matched /$2/ within ${POLL_BOUND}s"
	tmux_context "$1"
	return 1
}

# tmux_type TARGET TEXT: types TEXT (literally) and Enter.
tmux_type() {
	tmux_e2e send-keys -t "$1" -l -- "$2" && tmux_e2e send-keys -t "$1" Enter
}

# tmux_keys TARGET KEY...: sends keys by tmux name (Space, Escape, C-c, q).
tmux_keys() {
	local t=$1
	shift
	tmux_e2e send-keys -t "$t" "$@"
}

# tmux_cursor_line TARGET: the row the cursor is on.
tmux_cursor_line() {
	local y
	y=$(tmux_get "$1" '#{cursor_y}') && [ -n "$y" ] || return 1
	tmux_screen "$1" | sed -n "$((y + 1))p"
}

# tmux_at_prompt TARGET [STATUS-ERE]: the shell waits for a command: its
# prompt, with nothing typed after it, is on the cursor's row (and the
# last exit status it shows matches STATUS-ERE, e.g. '0|143', if given).
tmux_at_prompt() {
	local line
	line=$(tmux_cursor_line "$1") || return 1
	[[ $line =~ ^e2e\[([0-9]+)\]\$\ ?$ ]] || return 1
	[ -z "${2:-}" ] || [[ ${BASH_REMATCH[1]} =~ ^($2)$ ]]
}

# tmux_context TARGET: the screen as failure context, blank runs squeezed,
# box-drawing and other non-ASCII characters shown in ASCII.
tmux_context() {
	printf '    --- screen of %s (%s):\n' "$1" "$(tmux_get "$1" '#{pane_width}x#{pane_height}')"
	tmux_screen "$1" | cat -s |
		perl -CSD -Mutf8 -pe 'tr/─│▶░█·…┌┐└┘▼▲✓✗/-|>.#.~++++v^+x/; s/[^\x00-\x7f]/?/g' |
		cat -v | sed 's/^/    | /' | e2e_sanitize
}

# ---- the terminal UI in a tmux session ----------------------------------
# One program at a time runs in a session's shell (launch), is driven with
# tmux_keys/tmux_type and read with tmux_screen; after_exit checks it left
# the terminal as it found it.  Its stderr goes to $E2E_TMP/S.err.

# The header's first row, and the key line at the bottom of the screen.
HEADER_RE='^ +(LT|ET|ONESHOT) +budget '
# A key is handled within a frame (1/30 s); a program that has not acted
# on one after this many seconds is wedged (no need to wait POLL_BOUND).
# shellcheck disable=SC2034 # used by the scripts that source this file
KEY_BOUND=$((POLL_BOUND < 5 ? POLL_BOUND : 5))
# shellcheck disable=SC2034
STATUS_RE='^(space next|m mode) '

# session S COLS ROWS [VAR=VALUE...]: a shell in tmux session S that knows
# $EV (the binary), $T (this script's scratch directory) and the VARs
# given; saves its terminal settings, as the shell hands them to a
# command, in $E2E_TMP/S.stty.
session() {
	local s=$1 cols=$2 rows=$3
	shift 3
	tmux_shell "$s" "$cols" "$rows" "EV=$EPOLLVIZ" "T=$E2E_TMP" "$@" || return 1
	: >"$E2E_TMP/$s.err"
	stty_save "$s" "$s.stty" || {
		fail "$s: stty -g runs in the shell"
		tmux_context "$s"
		return 1
	}
}

# stty_save S NAME: `stty -g` typed into S's shell, saved in $E2E_TMP/NAME.
stty_save() {
	rm -f "$E2E_TMP/$2"
	tmux_type "$1" "stty -g >\"\$T/$2.t\" && mv \"\$T/$2.t\" \"\$T/$2\""
	poll_until "$POLL_BOUND" test -s "$E2E_TMP/$2"
}

# launch S WHAT ENV ARGS: clears S's screen and runs `ENV "$EV" ARGS`
# there, its stderr appended to $E2E_TMP/S.err.  Waits for the header.
launch() {
	local s=$1 what=$2 env=$3 args=$4
	tmux_type "$s" "clear; $env${env:+ }\"\$EV\" $args 2>>\"\$T/$s.err\""
	if tmux_wait "$s" "$HEADER_RE"; then
		ok "$what: '${env:+$env }epollviz $args' starts the TUI (the header is drawn)"
		return 0
	fi
	fail "$what: '${env:+$env }epollviz $args' starts the TUI (the header is drawn)"
	tmux_context "$s"
	context "$E2E_TMP/$s.err"
	kill_leftover "$s"
	return 1
}

# ev_pid S: the program S's shell runs in the foreground (its child).
ev_pid() {
	local shell
	shell=$(tmux_get "$1" '#{pane_pid}') && [ -n "$shell" ] || return 1
	pgrep -P "$shell" | head -n 1
}

# kill_leftover S: a program still running in S after its checks failed
# would spoil the next ones: SIGKILL it, and wait for the prompt.
kill_leftover() {
	local pid
	pid=$(ev_pid "$1")
	[ -n "$pid" ] || return 0
	kill -KILL "$pid" 2>/dev/null
	kill -CONT "$pid" 2>/dev/null
	poll_until 3 tmux_at_prompt "$1"
	tmux_type "$1" "stty sane; clear" && poll_until 3 tmux_at_prompt "$1"
}

# nc_open PORT FIFO: a real client that stays connected while this script
# holds the fifo open (fd 9); its pid in $nc_pid.
nc_open() {
	rm -f "$2"
	mkfifo "$2"
	nc -N 127.0.0.1 "$1" <"$2" >/dev/null 2>&1 &
	nc_pid=$!
	e2e_pids+=("$nc_pid")
	exec 9>"$2"
}

# nc_close: closes nc's stdin (it sends FIN) and waits for it to end.
nc_pid=''
nc_close() {
	[ -n "$nc_pid" ] || return 0
	exec 9>&-
	wait_exit "$nc_pid" || true
	nc_pid=''
}

# paste_modes FILE RE: the bracketed-paste modes (h on, l off) in what the
# terminal was sent (FILE, from tmux pipe-pane), in order, up to the first
# match of the Perl regex RE.
paste_modes() {
	END=$2 perl -0777 -ne 'print join "", /\e\[\?2004([hl])/g if s/$ENV{END}.*//s' "$1"
}

# port_of S: the port of the screen's `listener 127.0.0.1:PORT` line.
port_of() {
	tmux_screen "$1" | sed -nE 's/^listener 127\.0\.0\.1:([0-9]+) .*/\1/p' | head -n 1
}

# menu_closed_port S: presses Esc on S's scenario menu and, once the menu
# is gone, prints the listener's port (the menu may cover its line).
menu_closed_port() {
	tmux_keys "$1" Escape
	poll_until "$POLL_BOUND" menu_gone "$1"
	port_of "$1"
}
menu_gone() { ! tmux_has "$1" 'Enter open'; }

# step_of S: N of the narration's "step N of M".
step_of() {
	tmux_screen "$1" | sed -nE 's/.*step ([0-9]+) of [0-9]+.*/\1/p' | head -n 1
}

# tick_of S: the header's tick count.
tick_of() {
	tmux_screen "$1" | head -n 1 | sed -nE 's/.*  tick ([0-9]+) *$/\1/p'
}

# tick_is S N: the header says tick N.
# shellcheck disable=SC2317 # run through poll_until
tick_is() { [ "$(tick_of "$1")" = "$2" ]; }

# tick_at_least S N: the header's tick is N or more.
# shellcheck disable=SC2317 # run through poll_until
tick_at_least() { local t; t=$(tick_of "$1"); [ "${t:-0}" -ge "$2" ]; }

# step_to S N: presses space until the narration says "step N of".
step_to() {
	local s=$1 n=$2 cur _
	for _ in 1 2 3 4 5 6; do
		cur=$(step_of "$s")
		[ -n "$cur" ] || return 1
		[ "$cur" -ge "$n" ] && break
		tmux_keys "$s" Space
		tmux_wait "$s" "step $((cur + 1)) of " || return 1
	done
	[ "$(step_of "$s")" = "$n" ]
}

# screen_back S WHAT: the alternate screen is left and the cursor shown.
screen_back() {
	local alt cur
	alt=$(tmux_get "$1" '#{alternate_on}') cur=$(tmux_get "$1" '#{cursor_flag}')
	if [ "$alt" = 0 ] && [ "$cur" = 1 ]; then
		ok "$2: leaves the alternate screen and shows the cursor again"
	else
		fail "$2: leaves the alternate screen and shows the cursor again" \
			"alternate_on=$alt cursor_flag=$cur"
	fi
}

# stty_as_before S WHAT: $E2E_TMP/S.stty.after (`stty -g` after a run) is
# S.stty (before it).  Returns 1 if not.
stty_as_before() {
	if cmp -s "$E2E_TMP/$1.stty" "$E2E_TMP/$1.stty.after"; then
		ok "$2: the terminal settings (stty -g) are as before the run"
		return 0
	fi
	fail "$2: the terminal settings (stty -g) are as before the run" \
		"before: $(cat "$E2E_TMP/$1.stty" 2>/dev/null)" \
		"after:  $(cat "$E2E_TMP/$1.stty.after" 2>/dev/null)"
	return 1
}

# after_exit S WHAT STATUS-ERE: the program has been told to end.  Checks
# it did, with a status matching STATUS-ERE, and left the terminal sane.
# Returns 1 if the shell's prompt did not come back: the session is spoilt.
after_exit() {
	local s=$1 what=$2 want=$3 st
	if poll_until "$POLL_BOUND" tmux_at_prompt "$s" "$want"; then
		st=$(tmux_cursor_line "$s" | sed -nE 's/^e2e\[([0-9]+)\].*/\1/p')
		ok "$what: exits with status $st and the shell's prompt is back"
	else
		fail "$what: exits (status $want) and the shell's prompt is back"
		tmux_context "$s"
		context "$E2E_TMP/$s.err"
		kill_leftover "$s"
		return 1
	fi
	if tmux_has "$s" '^epollviz: [0-9]+ epoll_wait calls?, [0-9]+ events?, '; then
		ok "$what: prints its summary line"
	else
		fail "$what: prints its summary line"
		tmux_context "$s"
	fi
	screen_back "$s" "$what"
	stty_save "$s" "$s.stty.after"
	if ! stty_as_before "$s" "$what"; then
		# Back to the settings of before, for the next run's comparison.
		tmux_type "$s" "stty \"\$(cat \"\$T/$s.stty\")\""
	fi
	# shellcheck disable=SC2016 # expanded by the shell in the pane
	tmux_type "$s" 'echo sane-$((6*7))'
	if tmux_wait "$s" '^sane-42$' && poll_until "$POLL_BOUND" tmux_at_prompt "$s"; then
		ok "$what: the shell echoes what is typed and runs it"
	else
		fail "$what: the shell echoes what is typed and runs it ('echo sane-\$((6*7))')"
		tmux_context "$s"
	fi
	return 0
}

# quit_asks S WHAT: q at a scenario's step asks first; y quits.  Returns
# as after_exit does.
quit_asks() {
	local s=$1 what=$2
	tmux_keys "$s" q
	if tmux_wait "$s" 'quit\?' && tmux_has "$s" 'The scenario is at step [0-9]+ of [0-9]+'; then
		ok "$what: q mid-scenario asks first (the quit? box)"
	else
		fail "$what: q mid-scenario asks first (the quit? box)"
		tmux_context "$s"
	fi
	tmux_keys "$s" y
	after_exit "$s" "$what: y" 0
}

# stderr_empty S: nothing reached the program's stderr in session S.
stderr_empty() {
	local err=$E2E_TMP/$1.err
	if [ ! -s "$err" ]; then
		ok "$1: nothing on the program's stderr (no sanitizer or leak report)"
	else
		local leak=''
		has "$err" "LeakSanitizer" && leak=' (LeakSanitizer reports a leak)'
		fail "$1: nothing on the program's stderr$leak"
		context "$err" 20
	fi
}

# sgr_on S LINE-ERE WORD: the SGR state ("rev=0|1 fg=F bg=B", - for the
# default colour) in which WORD is drawn, on the first row of the screen
# (capture-pane -e) matching LINE-ERE.
sgr_on() {
	tmux_screen "$1" -e | grep -aE -- "$2" | head -n 1 | awk -v word="$3" '
	function sgr(list,   a, n, i, p) {
		n = split(list == "" ? "0" : list, a, ";")
		for (i = 1; i <= n; i++) {
			p = a[i] + 0
			if (p == 0) { rev = 0; fg = "-"; bg = "-" }
			else if (p == 7) rev = 1
			else if (p == 27) rev = 0
			else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) fg = p
			else if (p == 39) fg = "-"
			else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) bg = p
			else if (p == 49) bg = "-"
			else if ((p == 38 || p == 48) && a[i + 1] == 5) {
				if (p == 38) fg = "5;" a[i + 2]; else bg = "5;" a[i + 2]
				i += 2
			} else if ((p == 38 || p == 48) && a[i + 1] == 2) {
				v = "2;" a[i + 2] ";" a[i + 3] ";" a[i + 4]
				if (p == 38) fg = v; else bg = v
				i += 4
			}
		}
	}
	{
		rev = 0; fg = "-"; bg = "-"
		n = split($0, part, "\033\\[")
		for (i = 1; i <= n; i++) {
			text = part[i]
			if (i > 1 && match(text, /^[0-9;]*m/)) {
				sgr(substr(text, 1, RLENGTH - 1))
				text = substr(text, RLENGTH + 1)
			}
			if (index(text, word)) {
				print "rev=" rev " fg=" fg " bg=" bg
				exit
			}
		}
	}'
}

trap e2e_cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

e2e_finish() {
	[ "$e2e_failed" -eq 0 ]
	exit
}

# need_tmux, need_openbsd_nc: a script that drives the terminal or talks
# with nc fails at once, saying what to install, when its tool is missing.
need_tmux() {
	command -v tmux >/dev/null 2>&1 && return
	fail "tmux is installed (make deps installs it)"
	e2e_finish
}
need_openbsd_nc() {
	nc -h 2>&1 | grep -q OpenBSD && return
	fail "OpenBSD nc is installed (make deps installs netcat-openbsd)"
	e2e_finish
}

# et_lesson: SCN and LESSON name the ET starvation lesson (48 bytes strand
# at step 3 of 5), found by name since lessons get renumbered.
et_lesson() {
	local scns
	shopt -s nullglob
	scns=("$E2E_TOP"/scenarios/*-et-starvation.scn)
	shopt -u nullglob
	if [ ${#scns[@]} -eq 0 ]; then
		fail "a scenarios/NN-et-starvation.scn exists"
		e2e_finish
	fi
	SCN=scenarios/$(basename "${scns[0]}")
	LESSON=$(basename "$SCN" .scn)
}

# ---- golden screens ----------------------------------------------------------
# tests/golden/NAME.txt holds every step of scenarios/NAME.scn as
# `epollviz --screens` prints it (NAME.compare.txt: with the --compare its
# "# run also:" comment gives), with what legitimately differs between
# runs normalised by golden_normalise.  golden.sh compares them; `make
# golden` rewrites them.

# shellcheck disable=SC2034 # used by the scripts that source this file
GOLDEN_DIR=$E2E_TOP/tests/golden
# shellcheck disable=SC2034
GOLDEN_SIZES=100x30,80x24
# shellcheck disable=SC2034
GOLDEN_COMPARE_SIZES=100x30,80x24,160x40 # side by side from 141 columns

# golden_normalise SCN: stdin to stdout, with every port shown as PORT (and
# the kernel view's and the trace's descriptors as fd, the epoll fd as N) and,
# for a lesson whose "# transcript varies in:" comment names amounts the
# kernel decides, those amounts as N wherever the screen shows them.
# Returns 1 (and says which) for an amount this function has no rule for.
golden_normalise() {
	local varies w e=(-e 's/127\.0\.0\.1:[0-9]+/127.0.0.1:PORT/g' -e 's/(nc localhost )[0-9]+/\1PORT/g')
	# the kernel view's descriptor numbers: the process's own, which an
	# inherited descriptor would shift
	e+=(-e 's/(kernel: epoll instance )[0-9]+/\1N/' \
		-e 's/^[ 0-9]{4}[0-9] (.{14} (IN|OUT|RDHUP|disarmed|-))/   fd \1/')
	# and the trace pane's, strace-style: epoll_wait(3, [...]),
	# accept4(4 listener, ...) = 7 a, read(7 a, ...), sendto(7 a, ...)
	e+=(-e 's/(epoll_wait\()[0-9]+(, \[)/\1N\2/g' \
		-e 's/(accept4\()[0-9]+( listener, \.\.\.\) = )[0-9]+ /\1fd\2fd /g' \
		-e 's/(accept4\()[0-9]+( listener)/\1fd\2/g' \
		-e 's/(read\()[0-9]+ /\1fd /g' \
		-e 's/(sendto\()[0-9]+ /\1fd /g')
	varies=$(sed -n 's/^#[[:space:]]*transcript varies in:[[:space:]]*//p' "$1" | head -n 1)
	for w in $varies; do
		case $w in
		# an expect's detail, and the panel's "client: ... in its send queue"
		sendq) e+=(-e 's/(sendq is )[0-9]+/\1N/g' \
			-e 's/(client: )[0-9.]+ [KMG]?i?B( in its send queue)/\1N\2/g') ;;
		# an expect's detail, and the panel's "..., 38 KiB held back"
		queued) e+=(-e 's/(queued is )[0-9]+/\1N/g' \
			-e 's/[0-9.]+ [KMG]?i?B( held back)/N\1/g') ;;
		*)
			echo "golden_normalise: no rule for the screens of '$w' (named in $1)" >&2
			return 1
			;;
		esac
	done
	sed -E "${e[@]}"
}

# golden_compare_args SCN: the --compare option its "# run also:" comment
# asks for, or nothing.
golden_compare_args() {
	sed -n 's/^#[[:space:]]*run also:[[:space:]]*\(--compare [a-z]*,[a-z]*\).*/\1/p' "$1" | head -n 1
}

# golden_step FILE STEP SIZE: one screen of a golden file (step STEP at
# SIZE, e.g. 3 100x30; its first page if the narration takes more),
# without its === line: what the terminal shows once it reached the step.
golden_step() {
	awk -v head="^=== step $2 of [0-9]+ at $3(, page 1 of [0-9]+)? ===\$" '
		$0 ~ head { on = 1; next }
		/^=== step / || /^# / { on = 0 }
		on' "$1"
}

# shows_golden S FILE STEP SIZE: the terminal S shows, line for line, step
# STEP at SIZE of the golden file FILE (its lesson normalised the same way).
# shellcheck disable=SC2317 # run through poll_until
shows_golden() {
	local scn
	scn=$E2E_TOP/scenarios/$(basename "$2" .txt).scn
	cmp -s <(tmux_screen "$1" | golden_normalise "$scn") <(golden_step "$2" "$3" "$4")
}

# golden_diff KEPT NOW: the first rows that differ, each named by its
# step, size and row, in ASCII (the report shows bytes >= 0x80 as M-x).
golden_diff() {
	local f n=0
	for f in "$1" "$2"; do
		n=$((n + 1))
		awk '/^=== step / { at = substr($0, 5, length($0) - 8); row = 0; next }
			{ row++; printf "%s, row %d: %s\n", at, row, $0 }' "$f" >"$E2E_TMP/rows.$n"
	done
	diff -U 0 "$E2E_TMP/rows.1" "$E2E_TMP/rows.2" | grep -E '^[-+][^-+]' | head -n 16 |
		iconv -f UTF-8 -t ASCII//TRANSLIT 2>/dev/null
}

# golden_context S FILE STEP SIZE: how the terminal differs from the golden
# screen, for a failure.
golden_context() {
	local scn
	scn=$E2E_TOP/scenarios/$(basename "$2" .txt).scn
	printf '=== step %s of N at %s ===\n' "$3" "$4" >"$E2E_TMP/kept.txt"
	golden_step "$2" "$3" "$4" >>"$E2E_TMP/kept.txt"
	printf '=== step %s of N at %s ===\n' "$3" "$4" >"$E2E_TMP/shown.txt"
	tmux_screen "$1" | golden_normalise "$scn" >>"$E2E_TMP/shown.txt"
	echo "    rows that differ (- golden, + the terminal):"
	golden_diff "$E2E_TMP/kept.txt" "$E2E_TMP/shown.txt" | sed 's/^/    /' | e2e_sanitize
}

# ---- a lesson stepped in the terminal against its golden screens ------

# block FILE HEAD: the screen under the golden file's heading line HEAD.
block() {
	awk -v head="$2" '$0 == head { on = 1; next } /^=== step / || /^# / { on = 0 } on' "$1"
}

# shows_block S FILE HEAD: the terminal S shows that screen, line for line.
# shellcheck disable=SC2317 # run through poll_until
shows_block() {
	local scn
	scn=$E2E_TOP/scenarios/$(basename "$2" .txt).scn
	cmp -s <(tmux_screen "$1" | golden_normalise "$scn") <(block "$2" "$3")
}

# golden_walk S LESSON: the lesson in session S, space after each screen (a step,
# or a page of a step's narration), every screen compared.
golden_walk() {
	local s=$1 lesson=$2 gold=$GOLDEN_DIR/$2.txt head n=0 screens
	screens=$(grep -c '^=== step .* at 100x30' "$gold")
	session "$s" 100 30 || return
	launch "$s" "$lesson" '' "-p 0 scenarios/$lesson.scn" || return
	while IFS= read -r head; do
		[ "$n" = 0 ] || tmux_keys "$s" Space
		n=$((n + 1))
		if ! poll_until "$KEY_BOUND" shows_block "$s" "$gold" "$head"; then
			fail "$lesson: space to the golden '$head': the terminal shows it, line for line"
			block "$gold" "$head" >"$E2E_TMP/kept.txt"
			tmux_screen "$s" | golden_normalise "$E2E_TOP/scenarios/$lesson.scn" >"$E2E_TMP/shown.txt"
			diff "$E2E_TMP/kept.txt" "$E2E_TMP/shown.txt" | head -n 12 | sed 's/^/    /' | e2e_sanitize
			kill_leftover "$s"
			return
		fi
	done < <(grep '^=== step .* at 100x30' "$gold")
	ok "$lesson: space through its $screens screens (steps and narration pages): the terminal shows each golden screen at 100x30, line for line"
	kill_leftover "$s"
}
