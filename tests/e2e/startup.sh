#!/usr/bin/env bash
# tests/e2e/startup.sh - the startup file (README "For teachers"):
# $XDG_CONFIG_HOME/epollviz/epollvizrc sets knobs before the command line,
# which wins; -f reads another, -f /dev/null none; a broken line is
# file:line:col: error: and exit 2; --knobs says where each value came
# from.  XDG_CONFIG_HOME always points into this script's scratch space.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

export XDG_CONFIG_HOME=$E2E_TMP/config
rc=$XDG_CONFIG_HOME/epollviz/epollvizrc
mkdir -p "$(dirname "$rc")"
printf '# the class\nmode et   # edge-triggered\nbudget 16\npanes "trace"\n' >"$rc"
scn=$E2E_TMP/one.scn
printf 'title "one tick"\ntick\n' >"$scn"

# first_line WHAT WANT ARGS...: the headless run's first line says WANT.
first_line() {
	local what=$1 want=$2
	shift 2
	"$EPOLLVIZ" --headless "$@" "$scn" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	local st=$?
	if [ "$st" = 0 ] && head -n 1 "$E2E_TMP/out" | grep -qF -- "$want"; then
		ok "$what: the server starts with ($want)"
	else
		fail "$what: the server starts with ($want) (exit $st)" "$(head -n 1 "$E2E_TMP/out")" \
			"$(head -3 "$E2E_TMP/err")"
	fi
}
first_line "the startup file" "mode et, budget 16"
first_line "--mode lt on the command line wins" "mode lt, budget 16" --mode lt
first_line "-f /dev/null reads none" "mode lt, budget drain" -f /dev/null
other=$E2E_TMP/other.rc
printf 'budget 64\n' >"$other"
first_line "-f FILE reads FILE instead" "mode lt, budget 64" -f "$other"

"$EPOLLVIZ" --knobs -b 512 >"$E2E_TMP/knobs" 2>&1
if grep -qE "^mode .*\[et: startup file $rc:2\]$" "$E2E_TMP/knobs" &&
	grep -qE '^budget .*\[512 B: command line\]$' "$E2E_TMP/knobs" &&
	grep -qE '^reader .*\[eagain: default\]$' "$E2E_TMP/knobs"; then
	ok "--knobs says each knob's value and where it came from"
else
	fail "--knobs says each knob's value and where it came from" "$(head -4 "$E2E_TMP/knobs")"
fi

# The panes: the file's ("trace") shape a dump, unless --panes says
# otherwise.  The dump is what shows them headless.
dumps=$E2E_TMP/dumps
mkdir -p "$dumps"
printf 'title "dump"\nconnect a\nsend a 10\ntick 2\ndump d.txt\n' >"$dumps/d.scn"
(cd "$dumps" && "$EPOLLVIZ" --headless d.scn) >/dev/null 2>&1
if has "$dumps/d.txt" "epoll_wait(" && ! has "$dumps/d.txt" "kernel: epoll instance"; then
	ok "the startup file's panes \"trace\": the dump shows the trace and no kernel view"
else
	fail "the startup file's panes \"trace\": the dump shows the trace and no kernel view"
	context "$dumps/d.txt" 30
fi
rm -f "$dumps/d.txt"
(cd "$dumps" && "$EPOLLVIZ" --headless --panes kernel d.scn) >/dev/null 2>&1
if has "$dumps/d.txt" "kernel: epoll instance" && ! has "$dumps/d.txt" "epoll_wait("; then
	ok "--panes kernel on the command line wins over the startup file's panes"
else
	fail "--panes kernel on the command line wins over the startup file's panes"
	context "$dumps/d.txt" 30
fi

# show knobs in a scenario: the file's line, the command line, the
# scenario's own line, a lesson's start, the defaults.
printf 'title "show"\nreader short\nshow knobs\n' >"$E2E_TMP/show.scn"
"$EPOLLVIZ" --headless --accept one "$E2E_TMP/show.scn" 2>&1 | tr -s ' ' >"$E2E_TMP/show"
if grep -qxF "mode et startup file $rc:2" "$E2E_TMP/show" &&
	grep -qx 'accept one command line' "$E2E_TMP/show" &&
	grep -qxF "reader short scenario $E2E_TMP/show.scn:2" "$E2E_TMP/show" &&
	grep -qx 'rcvbuf 65536 B lesson start' "$E2E_TMP/show" &&
	grep -qx 'twin off default' "$E2E_TMP/show" &&
	grep -qx 'clock paused lesson start' "$E2E_TMP/show"; then
	ok "show knobs in a scenario: each knob's value and who set it (file:line, option, scenario line), the clock"
else
	fail "show knobs in a scenario: each knob's value and who set it (file:line, option, scenario line)" \
		"$(grep -A9 '^knob ' "$E2E_TMP/show")"
fi

# Headless free play reads command lines on its standard input (a pipe
# here): show knobs says the prompt set the budget; quit ends it.
mkfifo "$E2E_TMP/in"
"$EPOLLVIZ" --headless -p 0 <"$E2E_TMP/in" >"$E2E_TMP/free" 2>&1 &
free_pid=$!
e2e_pids+=("$free_pid")
exec 3>"$E2E_TMP/in"
printf 'budget 16\nshow knobs\nmode frob\n' >&3
if wait_for "$E2E_TMP/free" 'stdin:3:6: error: expected lt, et or oneshot' &&
	tr -s ' ' <"$E2E_TMP/free" | grep -qx 'budget 16 B prompt' &&
	tr -s ' ' <"$E2E_TMP/free" | grep -qxF "mode et startup file $rc:2"; then
	ok "headless free play runs stdin's lines: show knobs (budget 16 B: prompt), an error as stdin:3:6"
else
	fail "headless free play runs stdin's lines: show knobs (budget 16 B: prompt), an error as stdin:3:6" \
		"$(head -20 "$E2E_TMP/free")"
fi
printf 'run 8\nshow knobs\nquit\n' >&3
if wait_exit "$free_pid" "$POLL_BOUND" && [ "$exit_status" = 0 ] &&
	has "$E2E_TMP/free" 'epollviz: quit, stopping'; then
	ok "quit on stdin ends headless free play (status 0, the summary)"
else
	fail "quit on stdin ends headless free play (status ${exit_status:-?}, the summary)" \
		"$(tail -3 "$E2E_TMP/free")"
fi
if tr -s ' ' <"$E2E_TMP/free" | grep -qx 'clock on events default' &&
	tr -s ' ' <"$E2E_TMP/free" | grep -qx 'clock 8/s prompt'; then
	ok "show knobs lists the clock and who set it: on events (default), then 8/s (prompt: run 8)"
else
	fail "show knobs lists the clock and who set it: on events (default), then 8/s (prompt: run 8)" \
		"$(grep '^clock' "$E2E_TMP/free")"
fi
exec 3>&-

# The last line on standard input, without its newline, runs at the end
# of the input: here quit, so the run ends on its own.
printf 'budget 16\nquit' | timeout "$POLL_BOUND" "$EPOLLVIZ" --headless -p 0 >"$E2E_TMP/eof" 2>&1
st=$?
if [ "$st" = 0 ] && has "$E2E_TMP/eof" 'epollviz: quit, stopping'; then
	ok "headless free play runs stdin's last line without its newline (quit: status 0)"
else
	fail "headless free play runs stdin's last line without its newline (quit: status $st)" \
		"$(tail -3 "$E2E_TMP/eof")"
fi

# broken TEXT WANT: a startup file of TEXT is refused with WANT, exit 2.
broken() {
	printf '%b' "$1" >"$rc"
	"$EPOLLVIZ" --headless "$scn" >"$E2E_TMP/out" 2>"$E2E_TMP/err"
	local st=$?
	if [ "$st" = 2 ] && grep -qF -- "$2" "$E2E_TMP/err" && [ ! -s "$E2E_TMP/out" ]; then
		ok "a startup file '$1': exit 2 before anything runs, '$2'"
	else
		fail "a startup file '$1': exit 2 before anything runs, '$2' (exit $st)" \
			"$(head -3 "$E2E_TMP/err")"
	fi
}
broken 'mode et\nmode sideways\n' "$rc:2:6: error: mode: expected"
broken 'connect a\n' "$rc:1:1: error: unknown setting 'connect'"
broken 'budget\n' "$rc:1:7: error: budget takes one value"
broken 'rate 0\n' "$rc:1:6: error:"
broken 'panes trace,nope\n' "$rc:1:7: error: panes:"
broken 'mode "et\n' "$rc:1:"
"$EPOLLVIZ" -f "$E2E_TMP/missing.rc" --headless "$scn" >/dev/null 2>"$E2E_TMP/err"
st=$?
if [ "$st" = 2 ] && has "$E2E_TMP/err" "missing.rc: error: cannot open"; then
	ok "-f of a missing file: exit 2, cannot open"
else
	fail "-f of a missing file: exit 2, cannot open (exit $st)" "$(cat "$E2E_TMP/err")"
fi

e2e_finish
