#!/usr/bin/env bash
# tests/e2e/long_work.sh - a lesson line that would run for minutes (1,000
# clients, `tick 100000` twice) never holds the demo: the TUI keeps
# reading keys and signals while it runs, shows its progress, and Esc
# abandons it; q, SIGTERM and Ctrl-C end the program within a second and
# give the terminal back.  Headless, SIGINT ends such a run at once.
#
# Each "within" is measured from the key or signal to the state that
# proves it was handled, and printed; the bound checked is LATENCY_BOUND
# (1 s, as the README promises).
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

need_tmux

LATENCY_BOUND=1
SLOW=$E2E_TMP/slow.scn
cat >"$SLOW" <<'SCN'
title "slow"
connect w 1000
say "1,000 clients are connected."
step
tick 100000
tick 100000
say "two hundred thousand ticks later"
step
say "the last step"
SCN

# within BOUND WHAT COMMAND...: polls COMMAND; ok/fail WHAT with the time
# it took (in ms) from now.
within() {
	local bound=$1 what=$2 t0 ms
	shift 2
	t0=$(e2e_now_ms)
	if poll_until "$POLL_BOUND" "$@"; then
		ms=$(($(e2e_now_ms) - t0))
		if [ "$ms" -le $((bound * 1000)) ]; then
			ok "$what (in $ms ms)"
			return 0
		fi
		fail "$what within ${bound} s (took $ms ms)"
		return 1
	fi
	fail "$what (not within ${POLL_BOUND} s)"
	return 1
}

# running S: the message line shows the long tick's progress.
# shellcheck disable=SC2317 # run through poll_until
running() { tmux_has "$1" 'running: tick [0-9,]+ of 100,000'; }

# start_long S WHAT: the slow lesson, its first step's 1,000 clients on
# screen, then space: the two long ticks start.
start_long() {
	local s=$1 what=$2
	launch "$s" "$what" '' "-p 0 '$SLOW'" || return 1
	if ! tmux_wait "$s" '1,000 clients are connected'; then
		fail "$what: the lesson's first step is on screen"
		tmux_context "$s"
		kill_leftover "$s"
		return 1
	fi
	tmux_keys "$s" Space
	if ! poll_until "$POLL_BOUND" running "$s"; then
		fail "$what: space starts the long step and its progress shows ('running: tick N of 100,000')"
		tmux_context "$s"
		kill_leftover "$s"
		return 1
	fi
	ok "$what: the long step runs and shows its progress ('running: tick N of 100,000')"
}

session l 100 30 || e2e_finish

# Esc abandons the step; the lesson says so and goes on.
if start_long l Esc; then
	first=$(tmux_screen l | sed -nE 's/.*running: tick ([0-9,]+) of.*/\1/p' | tr -d ,)
	# shellcheck disable=SC2317 # run through poll_until
	moved() { local n; n=$(tmux_screen l | sed -nE 's/.*running: tick ([0-9,]+) of.*/\1/p' | tr -d ,); [ "${n:-0}" -gt "${first:-0}" ]; }
	if poll_until "$POLL_BOUND" moved; then
		ok "Esc: the progress moves while the step runs (tick ${first:-?} and on)"
	else
		fail "Esc: the progress moves while the step runs"
		tmux_context l
	fi
	tmux_keys l Escape
	within "$LATENCY_BOUND" "Esc: abandons the running step; the narration says it was stopped" \
		tmux_has l 'Stopped by the presenter' || tmux_context l
	if tmux_has l 'two hundred thousand ticks later'; then
		fail "Esc: the step's lines after the long ticks are not run"
		tmux_context l
	else
		ok "Esc: the step's lines after the long ticks are not run"
	fi
	tmux_keys l Space
	if tmux_wait l 'the last step'; then
		ok "Esc: space then goes on to the next step"
	else
		fail "Esc: space then goes on to the next step"
		tmux_context l
	fi
	tmux_keys l q
	after_exit l "Esc, then q" 0
fi

# q while it runs: the quit? box comes at once, y ends the program.
if start_long l "q while running"; then
	tmux_keys l q
	within "$LATENCY_BOUND" "q while running: the quit? box" tmux_has l 'quit\?' || tmux_context l
	tmux_keys l y
	within "$LATENCY_BOUND" "q while running: y ends the program" tmux_at_prompt l 0
	after_exit l "q while running, y" 0
fi

# SIGTERM while it runs.
if start_long l "SIGTERM while running"; then
	kill -TERM "$(ev_pid l)" 2>/dev/null
	within "$LATENCY_BOUND" "SIGTERM while running: the program ends" tmux_at_prompt l 0
	after_exit l "SIGTERM while running" 0
fi

# Ctrl-C while it runs.
if start_long l "Ctrl-C while running"; then
	tmux_keys l C-c
	within "$LATENCY_BOUND" "Ctrl-C while running: the program ends" tmux_at_prompt l 0
	after_exit l "Ctrl-C while running" 0
fi
stderr_empty l

# Headless: SIGINT ends the same lesson while it runs (it would take minutes).
out=$E2E_TMP/headless.out err=$E2E_TMP/headless.err
"$EPOLLVIZ" --headless "$SLOW" >"$out" 2>"$err" </dev/null &
pid=$!
e2e_pids+=("$pid")
if wait_for "$out" "tick 3:"; then
	kill -INT "$pid" 2>/dev/null
	t0=$(e2e_now_ms)
	if wait_exit "$pid" && [ $(($(e2e_now_ms) - t0)) -le $((LATENCY_BOUND * 1000)) ] &&
		[ "$exit_status" = 130 ] && has "$out" "result: stopped before the end"; then
		ok "headless: SIGINT ends a long run (in $(($(e2e_now_ms) - t0)) ms, status 130, 'result: stopped before the end')"
	else
		fail "headless: SIGINT ends a long run within ${LATENCY_BOUND} s (status $exit_status)"
		context "$out"
	fi
else
	fail "headless: the slow lesson starts ticking"
	context "$out"
	context "$err"
	kill -KILL "$pid" 2>/dev/null
fi

e2e_finish
